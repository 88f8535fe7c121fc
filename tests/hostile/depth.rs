//! Deep plans: real module trees are read and followed however deep Terraform nests them;
//! hostile nesting is an error, never a stack overflow — on the binary's main thread too. (A
//! plan 100 modules deep, one nested 100,000 levels and one just within the limit are cases of
//! the table in `cases.rs`, run on 2 MiB stacks.)

use super::plans::{deep_plan, hostile_depth};
use crate::blast_exact::res;
use crate::common::*;
use serde_json::{json, Value};

fn on_a_2_mib_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// The deepest module trees a plan can hold (a module costs three levels of nesting): a key
/// 320 modules down one branch, handed up through outputs and down another branch through
/// variables to a volume 320 modules down — 640 steps, on a 2 MiB stack.
#[test]
fn the_deepest_module_trees_are_followed_up_and_down() {
    const N: usize = 320;
    let path = |b: &str| {
        (0..N)
            .map(|i| format!("module.{b}{i}"))
            .collect::<Vec<_>>()
            .join(".")
    };
    let mut key_side = json!({
        "resources": [{"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k", "expressions": {}}],
        "outputs": {"arn": {"expression": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}}}
    });
    let mut volume_side = json!({
        "resources": [{"address": "aws_ebs_volume.v", "mode": "managed", "type": "aws_ebs_volume", "name": "v",
                       "expressions": {"kms_key_id": {"references": ["var.key"]}}}],
        "variables": {"key": {}}
    });
    for i in (1..N).rev() {
        key_side = json!({"module_calls": {format!("b{i}"): {"source": "./b", "module": key_side}},
            "outputs": {"arn": {"expression": {"references": [format!("module.b{i}.arn"), format!("module.b{i}")]}}}});
        volume_side = json!({"module_calls": {format!("a{i}"): {"source": "./a",
            "expressions": {"key": {"references": ["var.key"]}}, "module": volume_side}},
            "variables": {"key": {}}});
    }
    let configuration = json!({"root_module": {"module_calls": {
        "b0": {"source": "./b", "module": key_side},
        "a0": {"source": "./a", "expressions": {"key": {"references": ["module.b0.arn", "module.b0"]}}, "module": volume_side}
    }}});
    let key_address = format!("{}.aws_kms_key.k", path("b"));
    let volume_address = format!("{}.aws_ebs_volume.v", path("a"));
    let doc = plan_doc(
        vec![
            res(
                &key_address,
                &["delete", "create"],
                json!({"arn": key_arn(KEY_ID), "key_id": KEY_ID}),
                json!({}),
                json!({"arn": true, "key_id": true}),
            ),
            res(
                &volume_address,
                &["create"],
                Value::Null,
                json!({"size": 8}),
                json!({"kms_key_id": true}),
            ),
        ],
        Some(configuration),
    );
    let report = on_a_2_mib_thread(move || {
        let path = temp_file("deepest-plan.json", doc.to_string().as_bytes());
        let r = cli([
            "analyze".as_ref(),
            path.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        report_from(&r.stdout)
    });
    assert!(blast_ids(&report, &key_address).contains(&volume_address));
}

/// The binary on its main thread, with the stack cut to 2 MiB (`ulimit -s`).
#[cfg(unix)]
#[test]
fn the_binary_reads_deep_plans_on_a_2_mib_main_thread() {
    let deep = temp_file("deep-main.json", deep_plan().to_string().as_bytes());
    let hostile = temp_file("hostile-main.json", &hostile_depth());
    for (plan, code) in [(&deep, 0), (&hostile, 2)] {
        for format in ["text", "json", "html"] {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg("ulimit -s 2048 && exec \"$0\" analyze \"$1\" --format \"$2\" >/dev/null")
                .arg(env!("CARGO_BIN_EXE_keyblast"))
                .arg(plan)
                .arg(format)
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(code),
                "{} {format}: {}",
                plan.display(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

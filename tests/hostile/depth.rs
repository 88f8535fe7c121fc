//! Deep plans: real module trees are read and followed however deep Terraform nests them;
//! hostile nesting is an error, never a stack overflow — on a test thread's 2 MiB stack and
//! on the binary's main thread alike.

use crate::blast_exact::res;
use crate::common::*;
use keyblast::plan::MAX_DEPTH;
use serde_json::{json, Value};

const MODULES: usize = 100;

/// `module.m0.module.m1…module.m{n-1}`.
fn module_path(n: usize) -> String {
    (0..n)
        .map(|i| format!("module.m{i}"))
        .collect::<Vec<_>>()
        .join(".")
}

/// The configuration of a root key handed down as `var.key` through `n` nested module calls
/// to a volume in the innermost module.
fn nested_configuration(n: usize) -> Value {
    let mut module = json!({"resources": [{
        "address": "aws_ebs_volume.v", "mode": "managed", "type": "aws_ebs_volume", "name": "v",
        "expressions": {"kms_key_id": {"references": ["var.key"]}}
    }], "variables": {"key": {}}});
    for i in (0..n).rev() {
        let arg = if i == 0 {
            json!({"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]})
        } else {
            json!({"references": ["var.key"]})
        };
        let mut parent = json!({"module_calls": {format!("m{i}"): {
            "source": format!("./m{i}"), "expressions": {"key": arg}, "module": module
        }}});
        if i > 0 {
            parent["variables"] = json!({"key": {}});
        }
        module = parent;
    }
    module["resources"] = json!([{"address": "aws_kms_key.k", "mode": "managed",
        "type": "aws_kms_key", "name": "k", "expressions": {}}]);
    json!({"root_module": module})
}

/// `planned_values` as Terraform nests it (two levels a module).
fn nested_planned_values(n: usize) -> Value {
    let mut inner = json!({"address": module_path(n), "resources": []});
    for i in (1..n).rev() {
        inner = json!({"address": module_path(i), "child_modules": [inner]});
    }
    json!({"root_module": {"resources": [], "child_modules": [inner]}})
}

/// A value nested `d` levels (objects and lists alternating).
fn nested_value(d: usize, leaf: Value) -> Value {
    (0..d).fold(leaf, |v, i| {
        if i % 2 == 0 {
            json!({"k": v})
        } else {
            json!([v])
        }
    })
}

/// The key is replaced; a volume 100 modules down is created with the key it gets through
/// 100 variables; values nested close to the limit sit in tags and masks.
fn deep_plan() -> Value {
    let arn = key_arn(KEY_ID);
    let key_before =
        json!({"arn": arn, "key_id": KEY_ID, "tags": nested_value(MAX_DEPTH - 10, json!("a"))});
    let mut key = res(
        "aws_kms_key.k",
        &["delete", "create"],
        key_before,
        json!({"tags": nested_value(MAX_DEPTH - 10, json!("b"))}),
        json!({"arn": true, "key_id": true}),
    );
    key["change"]["before_sensitive"] = json!({"tags": nested_value(MAX_DEPTH - 10, json!(true))});
    let volume = res(
        &format!("{}.aws_ebs_volume.v", module_path(MODULES)),
        &["create"],
        Value::Null,
        json!({"size": 8}),
        json!({"kms_key_id": true}),
    );
    let mut doc = plan_doc(vec![key, volume], Some(nested_configuration(MODULES)));
    doc["planned_values"] = nested_planned_values(MODULES);
    doc
}

/// Runs every format on `plan` in-process; returns the JSON report.
fn every_format(plan: &[u8]) -> Value {
    let path = temp_file("deep-plan.json", plan);
    let mut json_report = Value::Null;
    for format in ["text", "json", "markdown", "html", "dot", "mermaid"] {
        let r = cli([
            "analyze".as_ref(),
            path.as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
        ]);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        if format == "json" {
            json_report = report_from(&r.stdout);
        }
    }
    json_report
}

fn on_a_2_mib_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn a_hundred_nested_modules_are_read_and_followed_on_a_2_mib_stack() {
    let plan = deep_plan().to_string();
    let report = on_a_2_mib_thread(move || every_format(plan.as_bytes()));
    let deep = format!("{}.aws_ebs_volume.v", module_path(MODULES));
    let ids = blast_ids(&report, "aws_kms_key.k");
    assert!(
        ids.contains(&deep),
        "the key's blast radius reaches 100 modules down: {ids:?}"
    );
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

#[test]
fn hostile_depth_is_an_error_naming_the_place() {
    let mut doc = String::from(
        r#"{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"t","change":{"actions":["create"],"after":{"x":"#,
    );
    doc.push_str(&"[".repeat(100_000));
    doc.push_str(&"]".repeat(100_000));
    doc.push_str("}}}]}");
    let r = on_a_2_mib_thread(move || {
        let path = temp_file("hostile-depth.json", doc.as_bytes());
        cli(["analyze".as_ref(), path.as_os_str()])
    });
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("hostile-depth.json:1:")
            && r.stderr.contains("nested deeper than 1000 levels"),
        "{}",
        r.stderr
    );
    // just within the limit is read
    let within = json!({"format_version": "1.2", "resource_changes": [
        rc("aws_s3_bucket.b", &["create"], Value::Null, json!({"x": nested_value(MAX_DEPTH - 5, json!(1))}))
    ]});
    let r = on_a_2_mib_thread(move || {
        let path = temp_file("within-depth.json", within.to_string().as_bytes());
        cli([
            "analyze".as_ref(),
            path.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ])
    });
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// The binary on its main thread, with the stack cut to 2 MiB (`ulimit -s`).
#[cfg(unix)]
#[test]
fn the_binary_reads_deep_plans_on_a_2_mib_main_thread() {
    let deep = temp_file("deep-main.json", deep_plan().to_string().as_bytes());
    let hostile = temp_file(
        "hostile-main.json",
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).as_bytes(),
    );
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

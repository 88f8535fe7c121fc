use crate::common::*;
use serde_json::{json, Value};

fn delete_plan() -> Value {
    plan_doc(
        vec![rc(
            "aws_kms_key.main",
            &["delete"],
            json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID)}),
            Value::Null,
        )],
        None,
    )
}

fn tag_plan() -> Value {
    plan_doc(
        vec![rc(
            "aws_s3_bucket.b",
            &["update"],
            json!({"bucket": "b", "tags": {}}),
            json!({"bucket": "b", "tags": {"a": "1"}}),
        )],
        None,
    )
}

#[test]
fn fail_on_sets_exit_status() {
    let high = temp_file("high.json", delete_plan().to_string().as_bytes());
    let low = temp_file("low.json", tag_plan().to_string().as_bytes());
    let code = |p: &std::path::Path, level: &str| {
        cli([
            "analyze".as_ref(),
            p.as_os_str(),
            "--fail-on".as_ref(),
            level.as_ref(),
        ])
        .code
    };
    assert_eq!(code(&high, "none"), 0);
    assert_eq!(code(&high, "high"), 1);
    assert_eq!(code(&high, "low"), 1);
    assert_eq!(code(&low, "medium"), 0);
    assert_eq!(code(&low, "low"), 1);
    assert_eq!(
        cli(["analyze".as_ref(), high.as_os_str()]).code,
        0,
        "default --fail-on is none"
    );
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    assert_eq!(cli(["analyze"]).code, 2, "a plan is required");
    assert_eq!(cli(["analyze", "x.json", "--format", "yaml"]).code, 2);
    assert_eq!(cli(["analyze", "x.json", "--max-depth", "-1"]).code, 2);
    assert_eq!(cli(["frobnicate"]).code, 2);
    let h = cli(["analyze", "--help"]);
    assert_eq!(h.code, 0);
    assert!(h.stdout.contains("--fail-on") && h.stdout.contains("--max-depth"));
    let v = cli(["--version"]);
    assert_eq!(v.code, 0);
    assert!(v.stdout.contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn several_plans_make_one_report_and_link_across() {
    // the network workspace deletes a key that the app workspace hard-codes by ARN
    let network = temp_file("network.json", delete_plan().to_string().as_bytes());
    let app = plan_doc(
        vec![
            rc(
                "aws_cloudwatch_log_group.app",
                &["no-op"],
                json!({"name": "/app", "kms_key_id": key_arn(KEY_ID)}),
                json!({"name": "/app", "kms_key_id": key_arn(KEY_ID)}),
            ),
            rc(
                "aws_s3_bucket.b",
                &["create"],
                Value::Null,
                json!({"bucket": "b"}),
            ),
        ],
        None,
    );
    let app = temp_file("app.json", app.to_string().as_bytes());
    let r = cli([
        "analyze".as_ref(),
        network.as_os_str(),
        app.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = report_from(&r.stdout);
    assert_eq!(v["summary"]["plans"].as_array().unwrap().len(), 2);
    let key = change(&v, "aws_kms_key.main");
    assert_eq!(key["plan"], network.display().to_string());
    assert_eq!(key["blast_radius"][0]["id"], "aws_cloudwatch_log_group.app");
    assert_eq!(key["blast_radius"][0]["plan"], app.display().to_string());
    assert_eq!(
        change(&v, "aws_s3_bucket.b")["plan"],
        app.display().to_string()
    );
}

#[test]
fn output_file_and_max_depth() {
    let plan = temp_file("depth.json", delete_plan().to_string().as_bytes());
    let out = plan.with_file_name("report.json");
    let r = cli([
        "analyze".as_ref(),
        plan.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--output".as_ref(),
        out.as_os_str(),
        "--max-depth".as_ref(),
        "1".as_ref(),
    ]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.is_empty(), "report goes to the file");
    let v: Value = report_from(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(v["summary"]["max_depth"], 1);
    let bad = cli([
        "analyze".as_ref(),
        plan.as_os_str(),
        "--output".as_ref(),
        "/nonexistent-dir/r.json".as_ref(),
    ]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("/nonexistent-dir/r.json"));
}

/// `--output` replaces the report whole or not at all (src/atomic.rs).
#[test]
fn the_report_file_is_replaced_whole_or_not_at_all() {
    let plan = temp_file("atomic-plan.json", delete_plan().to_string().as_bytes());
    let dir = temp_dir("atomic-out");
    let out = dir.join("report.json");
    std::fs::write(&out, b"the previous report").unwrap();
    let analyze = |plan: &std::path::Path, out: &std::path::Path| {
        cli([
            "analyze".as_ref(),
            plan.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
        ])
    };
    // a failed run leaves the previous report as it was
    let broken = temp_file(
        "atomic-broken.json",
        b"{\"format_version\": \"1.2\", \"resource_changes\": [",
    );
    let r = analyze(&broken, &out);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(std::fs::read(&out).unwrap(), b"the previous report");
    // a successful one replaces it, and leaves nothing else
    let r = analyze(&plan, &out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = report_from(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(v["summary"]["overall"], "high");
    assert_eq!(left_behind(&dir, &["report.json"]), Vec::<String>::new());
    // a target the rename cannot replace (a directory): an error naming it, the directory
    // untouched, no temporary file left
    let taken = dir.join("taken.json");
    std::fs::create_dir(&taken).unwrap();
    std::fs::write(taken.join("inside"), b"kept").unwrap();
    let r = analyze(&plan, &taken);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("taken.json: cannot write: ") && r.stderr.lines().count() == 1,
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read(taken.join("inside")).unwrap(), b"kept");
    assert_eq!(
        left_behind(&dir, &["report.json", "taken.json"]),
        Vec::<String>::new()
    );
}

#[test]
fn max_depth_bounds_the_blast_radius() {
    let key = rc(
        "aws_kms_key.main",
        &["delete"],
        json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID)}),
        Value::Null,
    );
    let alias = rc(
        "aws_kms_alias.a",
        &["no-op"],
        json!({"name": "alias/a", "target_key_id": KEY_ID}),
        json!({"name": "alias/a", "target_key_id": KEY_ID}),
    );
    let p = rc(
        "aws_ssm_parameter.p",
        &["no-op"],
        json!({"name": "/p", "key_id": "alias/a"}),
        json!({"name": "/p", "key_id": "alias/a"}),
    );
    let d = plan_doc(vec![key, alias, p], None);
    for (depth, n) in [("1", 1), ("2", 2), ("0", 0)] {
        let f = temp_file(&format!("d{depth}.json"), d.to_string().as_bytes());
        let r = cli([
            "analyze".as_ref(),
            f.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
            "--max-depth".as_ref(),
            depth.as_ref(),
        ]);
        let v: Value = report_from(&r.stdout);
        assert_eq!(
            change(&v, "aws_kms_key.main")["blast_radius"]
                .as_array()
                .unwrap()
                .len(),
            n,
            "depth {depth}"
        );
    }
}

#[test]
fn text_output_has_no_colour_when_not_a_tty_and_escapes_control_chars() {
    let d = plan_doc(
        vec![rc(
            "aws_s3_bucket.b",
            &["delete"],
            json!({"bucket": "evil\u{1b}[31mred"}),
            Value::Null,
        )],
        None,
    );
    let f = temp_file("ctl.json", d.to_string().as_bytes());
    let r = cli(["analyze".as_ref(), f.as_os_str()]);
    assert!(!r.stdout.contains('\u{1b}'), "{:?}", r.stdout);
    assert!(r.stdout.contains("HIGH"));
    let c = cli([
        "analyze".as_ref(),
        f.as_os_str(),
        "--color".as_ref(),
        "always".as_ref(),
    ]);
    assert!(c.stdout.contains("\u{1b}[1;31m"), "colour on request");
    assert!(
        !c.stdout.contains("evil\u{1b}"),
        "still no raw escapes from the plan"
    );
}

#[test]
fn json_is_deterministic() {
    let f = temp_file("det.json", delete_plan().to_string().as_bytes());
    let run = || {
        cli([
            "analyze".as_ref(),
            f.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ])
        .stdout
    };
    assert_eq!(run(), run());
}

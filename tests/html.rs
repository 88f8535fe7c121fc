use crate::common::*;
use keyblast::report::{html, Report};
use serde_json::{json, Value};

pub const ROLE: &str = "arn:aws:iam::111122223333:role/app";

fn noop(address: &str, v: Value) -> Value {
    rc(address, &["no-op"], v.clone(), v)
}

fn key_policy(principal: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "root", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "app", "Effect": "Allow", "Principal": {"AWS": principal}, "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"}
    ]})
    .to_string()
}

/// A plan a reviewer might see: a key replaced by a new one, with its alias, a grant, a log
/// group moved to the new key, and everything that still uses the old key; plus two tag-only
/// changes.
pub fn sample_plan() -> Value {
    let old = json!({"key_id": KEY_ID, "id": KEY_ID, "arn": key_arn(KEY_ID), "is_enabled": true,
        "enable_key_rotation": true, "deletion_window_in_days": 30, "policy": key_policy(ROLE)});
    let new = json!({"is_enabled": true, "enable_key_rotation": true, "deletion_window_in_days": 7,
        "policy": key_policy(ROLE)});
    let mut new_key = rc("aws_kms_key.next", &["create"], Value::Null, new);
    new_key["change"]["after_unknown"] = json!({"arn": true, "key_id": true, "id": true});
    let mut alias = rc(
        "aws_kms_alias.app",
        &["update"],
        json!({"name": "alias/app", "target_key_id": KEY_ID}),
        json!({"name": "alias/app", "target_key_id": null}),
    );
    alias["change"]["after_unknown"] = json!({"target_key_id": true});
    let mut logs = rc(
        "aws_cloudwatch_log_group.app",
        &["update"],
        json!({"name": "/app/api", "kms_key_id": key_arn(KEY_ID), "retention_in_days": 30}),
        json!({"name": "/app/api", "kms_key_id": null, "retention_in_days": 30}),
    );
    logs["change"]["after_unknown"] = json!({"kms_key_id": true});
    plan_doc(
        vec![
            rc("aws_kms_key.main", &["delete"], old, Value::Null),
            new_key,
            alias,
            rc(
                "aws_kms_grant.worker",
                &["delete"],
                json!({"key_id": KEY_ID, "grantee_principal": ROLE, "operations": ["Decrypt"]}),
                Value::Null,
            ),
            logs,
            noop("aws_iam_role.app", json!({"name": "app", "arn": ROLE})),
            noop(
                "aws_lambda_function.api",
                json!({"function_name": "app-api", "role": ROLE, "kms_key_arn": key_arn(KEY_ID)}),
            ),
            noop(
                "aws_db_instance.main",
                json!({"identifier": "app-db", "kms_key_id": key_arn(KEY_ID), "storage_encrypted": true}),
            ),
            noop(
                "aws_s3_bucket_server_side_encryption_configuration.data",
                json!({"bucket": "app-data", "rule": [{"apply_server_side_encryption_by_default": [
                    {"kms_master_key_id": key_arn(KEY_ID), "sse_algorithm": "aws:kms"}]}]}),
            ),
            noop(
                "aws_ebs_volume.data",
                json!({"id": "vol-0123456789abcdef0", "kms_key_id": key_arn(KEY_ID)}),
            ),
            noop(
                "aws_ebs_snapshot.nightly",
                json!({"id": "snap-0123456789abcdef0", "volume_id": "vol-0123456789abcdef0"}),
            ),
            noop(
                "aws_ssm_parameter.db_url",
                json!({"name": "/app/db-url", "type": "SecureString", "key_id": "alias/app"}),
            ),
            rc(
                "aws_s3_bucket.logs",
                &["update"],
                json!({"bucket": "app-logs", "tags": {"team": "a"}}),
                json!({"bucket": "app-logs", "tags": {"team": "b"}}),
            ),
            rc(
                "aws_sqs_queue.jobs",
                &["update"],
                json!({"name": "jobs", "kms_master_key_id": "alias/app", "tags": {}}),
                json!({"name": "jobs", "kms_master_key_id": "alias/app", "tags": {"env": "prod"}}),
            ),
        ],
        None,
    )
}

/// The HTML report of `docs`, rendered in-process.
pub fn html_of(docs: &[Value]) -> String {
    let report = Report::new(&analyze_docs(docs), None);
    let mut out = Vec::new();
    html::render(&report, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// [`html_of`] as a large page writes it: details as HTML only within `static_rows` rows, the
/// rest in the data block.
pub fn html_with(docs: &[Value], static_rows: usize) -> String {
    let report = Report::new(&analyze_docs(docs), None);
    let mut out = Vec::new();
    html::render_with(&report, static_rows, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

const DATA_OPEN: &str = "<script type=\"application/json\" id=\"kb-details\">";

/// The page's data block, as it stands in the page (None when it has none).
pub fn data_block(h: &str) -> Option<&str> {
    let start = h.find(DATA_OPEN)? + DATA_OPEN.len();
    Some(&h[start..start + h[start..].find("</script>").expect("the data block closes")])
}

/// The details bodies in the page's data block (empty when it has none), after checking that
/// nothing in it could end the script element or start the parser's escaped state.
pub fn lazy_bodies(h: &str) -> Vec<String> {
    let Some(block) = data_block(h) else {
        return Vec::new();
    };
    assert!(
        !block.contains("</") && !block.contains("<!"),
        "the data block cannot close itself"
    );
    serde_json::from_str(block).expect("the data block is a JSON array of strings")
}

/// The part of a page (or a dumped DOM) from change `k`'s details section to its end.
pub fn section(h: &str, k: usize) -> &str {
    let start = h.find("<details class=\"change").unwrap();
    let start = start
        + h[start..]
            .find(&format!("id=\"c{k}\""))
            .expect("the section");
    &h[start..start + h[start..].find("</details>").unwrap()]
}

/// The details body of change `k` as the page writes it in HTML.
fn static_body(h: &str, k: usize) -> &str {
    let s = section(h, k);
    s[s.find("<div class=\"body\">")
        .expect("a body written as HTML")..]
        .trim_end()
}

#[test]
fn large_pages_keep_the_details_of_lower_risk_changes_in_a_data_block() {
    let docs = [sample_plan(), small_plan()];
    let full = html_of(&docs);
    assert_eq!(
        data_block(&full),
        None,
        "a small report is written all in HTML"
    );
    let sections = full.matches("<details class=\"change").count();
    assert!(sections >= 4, "{sections}");

    // Everything in the data block: each body is exactly the markup the HTML page has.
    let lazy = html_with(&docs, 0);
    let bodies = lazy_bodies(&lazy);
    assert_eq!(bodies.len(), sections);
    for (k, body) in bodies.iter().enumerate() {
        assert_eq!(body.trim(), static_body(&full, k), "change {k}'s details");
        assert!(lazy.contains(&format!("<div class=\"body\" data-lazy=\"{k}\"></div>")));
    }
    assert!(
        !lazy.contains("<h3>Findings</h3>"),
        "no details written as HTML"
    );
    assert!(
        !lazy.contains("\" open>"),
        "sections built when opened start closed"
    );
    let risky = full.matches("<details class=\"change risk-high").count()
        + full.matches("<details class=\"change risk-medium").count();
    assert!(risky > 0);
    assert!(
        lazy.contains(&format!(
            "<noscript><p class=\"capped\">This page is large: the details of the last {sections} changes below ({risky} of them high or medium risk)"
        )),
        "without a script, the page says which details it cannot show"
    );

    // A budget keeps the worst changes' details as HTML: a prefix of the sections.
    let some = (1..10_000)
        .map(|budget| html_with(&docs, budget))
        .find(|h| lazy_bodies(h).len() < sections)
        .expect("a budget writes the worst change as HTML");
    let rest = lazy_bodies(&some);
    assert!(
        !rest.is_empty() && rest.len() < sections,
        "{} of {sections}",
        rest.len()
    );
    assert_eq!(static_body(&some, 0), static_body(&full, 0));
    assert_eq!(
        rest[0].trim(),
        static_body(&full, sections - rest.len()),
        "the data block's first is the first change not written as HTML"
    );
}

#[test]
fn sample_report_has_every_part() {
    let h = html_of(&[sample_plan()]);
    assert!(h.contains("HIGH RISK"));
    assert!(h.contains("id=\"changes\""), "the table");
    assert!(h.contains("<svg id=\"graph\""), "the graph");
    assert!(h.contains("id=\"c0\""), "per-change sections");
    assert!(h.contains("encrypted-by"), "edge labels");
    assert!(h.contains("plan0.json"), "plans read");
    assert!(
        h.contains("(known after apply)"),
        "attributes before → after"
    );
    assert!(!h.contains("generated "), "no timestamp unless passed in");
}

/// The page with the stylesheet and script bodies left out (they are constants; checked
/// separately), so snapshots show what the plan put in.
pub fn without_assets(h: &str) -> String {
    let mut out = h.to_string();
    for (open, close, asset, name) in [
        ("<style>", "</style>", CSS, "templates/report.css"),
        ("<script>", "</script>", JS, "templates/report.js"),
    ] {
        let start = out.find(open).unwrap() + open.len();
        let end = start + out[start..].find(close).unwrap();
        assert_eq!(
            &out[start..end],
            asset,
            "{open} holds the constant asset, unchanged"
        );
        out.replace_range(start..end, &format!("/* {name} */"));
    }
    out
}

const CSS: &str = include_str!("../templates/report.css");
const JS: &str = include_str!("../templates/report.js");

/// A key deleted under an encrypted bucket, and a tag-only change.
fn small_plan() -> Value {
    plan_doc(
        vec![
            rc(
                "aws_kms_key.main",
                &["delete"],
                json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID), "is_enabled": true}),
                Value::Null,
            ),
            noop(
                "aws_s3_bucket_server_side_encryption_configuration.data",
                json!({"bucket": "app-data", "rule": [{"apply_server_side_encryption_by_default": [
                    {"kms_master_key_id": key_arn(KEY_ID), "sse_algorithm": "aws:kms"}]}]}),
            ),
            rc(
                "aws_s3_bucket.logs",
                &["update"],
                json!({"bucket": "app-logs", "tags": {"team": "a"}}),
                json!({"bucket": "app-logs", "tags": {"team": "b"}}),
            ),
        ],
        None,
    )
}

#[test]
fn snapshot_small_plan() {
    let a = analyze_docs(&[small_plan()]);
    let report = Report::new(&a, Some("2026-01-02T03:04:05Z".into()));
    let mut out = Vec::new();
    html::render(&report, &mut out).unwrap();
    let h = String::from_utf8(out).unwrap();
    assert!(h.contains("generated 2026-01-02T03:04:05Z"));
    insta::assert_snapshot!(without_assets(&h));
}

#[test]
fn snapshot_no_changes() {
    let doc = plan_doc(
        vec![noop(
            "aws_kms_key.main",
            json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID)}),
        )],
        None,
    );
    insta::assert_snapshot!(without_assets(&html_of(&[doc])));
}

#[test]
fn output_is_deterministic() {
    assert_eq!(html_of(&[sample_plan()]), html_of(&[sample_plan()]));
}

#[test]
fn cli_writes_html_to_a_file() {
    let plan = temp_file("sample.html.json", sample_plan().to_string().as_bytes());
    let out = plan.with_extension("out.html");
    let r = cli([
        "analyze".as_ref(),
        plan.as_os_str(),
        "--format".as_ref(),
        "html".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let h = std::fs::read_to_string(&out).unwrap();
    assert!(h.starts_with("<!DOCTYPE html>"));
    assert!(h.contains("Content-Security-Policy"));
}

#[test]
fn several_plans_link_and_highlight_across_plans() {
    let network = plan_doc(
        vec![rc(
            "aws_kms_key.main",
            &["delete"],
            json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID)}),
            Value::Null,
        )],
        None,
    );
    let app = plan_doc(
        vec![noop(
            "aws_cloudwatch_log_group.app",
            json!({"name": "/app", "kms_key_id": key_arn(KEY_ID)}),
        )],
        None,
    );
    let h = html_of(&[network, app]);
    // the key's row highlights the key and the log group in the other plan, and their edge
    assert!(
        h.contains("<tr id=\"r0\" class=\"risk-high\" data-risk=\"high\" data-i=\"0\" data-hl=\"0 1\" data-he=\"0\">"),
        "{h}"
    );
    assert!(
        h.contains("<div class=\"muted small\">plan0.json</div>"),
        "rows name their plan"
    );
    assert!(
        h.contains("<code>plan1.json</code>"),
        "both plans are listed"
    );
}

/// The bundled key-replace sample (real terraform output), pinned.
#[test]
fn snapshot_key_replace_sample() {
    let r = cli([
        "analyze",
        "samples/key-replace/plan.json",
        "--format",
        "html",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("kb-sample-secret-DO-NOT-PRINT"));
    insta::assert_snapshot!(without_assets(&r.stdout));
}

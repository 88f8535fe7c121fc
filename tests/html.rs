//! The HTML report: pinned for a sample, self-contained, hostile text escaped everywhere
//! (SVG and attributes included), secrets absent, and loaded in a real browser.

use crate::common::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

fn html(path: &Path) -> String {
    let r = cli([
        "analyze".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "html".as_ref(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn sample_report_is_pinned_and_self_contained() {
    let out = html(Path::new("samples/key-replace/plan.json"));
    assert!(out.starts_with("<!DOCTYPE html>"));
    assert!(
        out.contains("default-src 'none'"),
        "a CSP forbids loading anything"
    );
    for remote in ["http://", "https://", "src=\"", "<link"] {
        let hits: Vec<_> = out
            .match_indices(remote)
            .map(|(i, _)| &out[i.saturating_sub(40)..(i + 60).min(out.len())])
            .collect();
        let allowed = |h: &&str| h.contains("xmlns=\"http://www.w3.org/2000/svg\"");
        assert!(hits.iter().all(allowed), "{remote} in {hits:?}");
    }
    assert!(out.contains("<svg id=\"graph\""));
    assert!(!out.contains("kb-sample-secret-DO-NOT-PRINT"));
    insta::assert_snapshot!("key-replace.html", out);
}

#[test]
fn hostile_text_is_escaped_in_text_svg_and_attributes() {
    let evil = "<script>alert(1)</script><img src=x onerror=alert(1)>\"><svg onload=alert(1)></style>]]>javascript:alert(1)";
    let changes = vec![
        rc(
            "aws_kms_key.main",
            &["delete"],
            json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID), "description": evil}),
            Value::Null,
        ),
        rc(
            "aws_s3_bucket.evil",
            &["no-op"],
            json!({"bucket": evil, "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": key_arn(KEY_ID)}]}]}]}),
            json!({"bucket": evil}),
        ),
        rc(
            "aws_ssm_parameter.t",
            &["update"],
            json!({"name": evil, "tags": {"t": evil}}),
            json!({"name": evil, "tags": {"t": format!("{evil}!")}}),
        ),
    ];
    let path = temp_file(
        "hostile.html.json",
        plan_doc(changes, None).to_string().as_bytes(),
    );
    let out = html(&path);
    assert!(out.contains("alert(1)"), "the text is shown, escaped");
    for bad in [
        "<script>alert",
        "<img",
        "<svg onload",
        "\"><svg",
        "</style>]]",
    ] {
        assert!(!out.contains(bad), "{bad:?} reached the page");
    }
    assert_eq!(
        out.matches("<script>").count(),
        1,
        "only the page's own script"
    );
}

#[test]
fn sensitive_values_stay_out_of_the_page() {
    let mut p = rc(
        "aws_ssm_parameter.p",
        &["update"],
        json!({"name": "/p", "value": "kb-html-secret", "key_id": KEY_ID}),
        json!({"name": "/p", "value": "kb-html-secret-2", "key_id": OTHER_ID}),
    );
    p["change"]["before_sensitive"] = json!({"value": true});
    p["change"]["after_sensitive"] = json!({"value": true});
    let out = html(&temp_file(
        "sensitive.html.json",
        plan_doc(vec![p], None).to_string().as_bytes(),
    ));
    assert!(out.contains("aws_ssm_parameter.p"));
    assert!(!out.contains("kb-html-secret"));
}

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn run_chromium(bin: &Path, profile: &Path, extra: &[&str], page: &Path) -> std::process::Output {
    Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--window-size=1400,1000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs")
}

/// Needs Debian's chromium (scripts/test installs it). Set KEYBLAST_SKIP_BROWSER=1 to skip
/// on a machine without it; CI never sets it.
#[test]
fn browser_renders_report_without_js_errors_unless_keyblast_skip_browser() {
    if std::env::var_os("KEYBLAST_SKIP_BROWSER").is_some() {
        eprintln!("KEYBLAST_SKIP_BROWSER is set: browser test skipped");
        return;
    }
    let bin = chromium()
        .expect("chromium is not installed: run scripts/test (it installs Debian's chromium)");
    let dir = std::env::temp_dir().join(format!("keyblast-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("report.html");
    let r = cli([
        "analyze".as_ref(),
        "samples/key-replace/plan.json".as_ref(),
        "--format".as_ref(),
        "html".as_ref(),
        "-o".as_ref(),
        page.as_os_str(),
    ]);
    assert_eq!(r.code, 0);
    let dom = run_chromium(
        &bin,
        &dir.join("profile-dom"),
        &["--dump-dom", "--virtual-time-budget=3000"],
        &page,
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("data-ready=\"1\""),
        "the page's script did not finish: {}",
        &dom[..dom.len().min(400)]
    );
    assert!(
        dom.contains("data-js-errors=\"0\""),
        "JavaScript errors on the page"
    );
    // low-risk rows start hidden by the filter; high ones are shown
    assert!(dom.contains("data-risk=\"low\"") && dom.contains("style=\"display: none;\""));
    let png = dir.join("report.png");
    let shot = run_chromium(
        &bin,
        &dir.join("profile-shot"),
        &[&format!("--screenshot={}", png.display())],
        &page,
    );
    assert!(
        shot.status.success(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 20_000,
        "screenshot too small to hold the report ({size} bytes)"
    );
}

#[test]
fn large_plans_cap_the_graph_and_say_so() {
    let mut changes = Vec::new();
    for k in 0..200 {
        let id = format!("{k:08x}-0000-4000-8000-{k:012x}");
        changes.push(rc(
            &format!("aws_kms_key.k{k}"),
            &["delete"],
            json!({"key_id": id, "arn": key_arn(&id)}),
            Value::Null,
        ));
        for d in 0..4 {
            let v = json!({"name": format!("/p/{k}/{d}"), "key_id": id});
            changes.push(rc(
                &format!("aws_ssm_parameter.p{k}_{d}"),
                &["no-op"],
                v.clone(),
                v,
            ));
        }
    }
    let out = html(&temp_file(
        "large.html.json",
        plan_doc(changes, None).to_string().as_bytes(),
    ));
    assert!(out.contains(&format!(
        "The graph shows the {} nodes",
        keyblast::report::html::GRAPH_CAP
    )));
    assert!(out.matches("data-node=").count() <= keyblast::report::html::GRAPH_CAP);
    assert_eq!(
        out.matches("<tr class=\"change\"").count(),
        200,
        "every change is in the table"
    );
}

//! Hostile plan text in every human format: nothing GitHub would link, mention or reference
//! reaches the PR comment; bidi overrides and zero-width characters show in every human format
//! and stay exact in JSON; a huge name is shortened and every high finding keeps its title.

use crate::common::*;
use crate::github::hazards;
use keyblast::report::markdown::{comment, MAX_CHARS};
use keyblast::report::Report;
use serde_json::{json, Value};

/// Text GitHub would turn into links, mentions, references, images or markup, and characters
/// that hide or reorder text.
pub const HOSTILE: &str = "www.example.com https://evil.test/x WWW.Shout.org a@b.co @here @org/team #123 GH-5 gh-6 org/repo#7 org/repo@deadbeefcafe 1234567deadbeef :shipit: JIRA-12 xmpp:a@b.c mailto:a@b.c \u{202e}gnp.exe\u{202c} zero\u{200b}width \u{2066}iso\u{2069} bom\u{feff} <img src=x onerror=alert(1)> [x](https://x) ![i](https://i) ~~s~~ <https://y> $x$ [^1]";

/// Every bidi control, zero-width and separator character the issue names.
const INVISIBLE: &[char] = &[
    '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{200e}', '\u{200f}', '\u{2028}', '\u{2029}',
    '\u{feff}', '\u{061c}',
];

/// A key deleted (high) under a hostile for_each key, with a hostile description, tags, a
/// policy whose Sid and removed principal are hostile; a bucket (hostile name) depending on
/// it; a hostile parameter updated (low).
pub fn hostile_plan(evil: &str) -> Value {
    let root = format!("arn:aws:iam::{ACCOUNT}:root");
    let role = format!("arn:aws:iam::{ACCOUNT}:role/{evil}");
    let stmt = |sid: &str, who: &str| json!({"Sid": sid, "Effect": "Allow", "Principal": {"AWS": who}, "Action": "kms:*", "Resource": "*"});
    let before =
        json!({"Version": "2012-10-17", "Statement": [stmt(evil, &root), stmt("app", &role)]});
    let after = json!({"Version": "2012-10-17", "Statement": [stmt(evil, &root)]});
    let key = |policy: &Value| {
        json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID), "description": evil,
        "policy": policy.to_string(), "tags": {"owner": evil}, "enable_key_rotation": true})
    };
    let sse = json!([{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": key_arn(KEY_ID)}]}]}]);
    // a for_each instance keyed by the hostile text
    let each = |ty: &str, name: &str, actions: &[&str], before: Value, after: Value| {
        let mut c = rc(&format!("{ty}.{name}"), actions, before, after);
        c["address"] = json!(format!("{ty}.{name}[{}]", json!(evil)));
        c["index"] = json!(evil);
        c
    };
    plan_doc(
        vec![
            each("aws_kms_key", "k", &["update"], key(&before), key(&after)),
            each(
                "aws_s3_bucket",
                "b",
                &["delete"],
                json!({"bucket": evil, "server_side_encryption_configuration": sse}),
                Value::Null,
            ),
            each(
                "aws_ssm_parameter",
                "p",
                &["update"],
                json!({"name": evil, "tags": {"t": evil}, "description": "a"}),
                json!({"name": evil, "tags": {"t": evil}, "description": evil}),
            ),
        ],
        None,
    )
}

#[test]
fn nothing_hostile_reaches_the_comment() {
    let a = analyze_docs(&[hostile_plan(HOSTILE)]);
    let md = comment(&Report::new(&a, None));
    let found = hazards(&md);
    assert!(found.is_empty(), "{found:#?}\n{md}");
    // the text is still there to read (prose with joiners, identifiers exact in code)
    assert!(md.contains("`aws_kms_key.k[\""), "{md}");
    assert!(
        md.contains("www.example.com https://evil.test/x"),
        "exact in code: {md}"
    );
    assert!(md.contains("@here"), "{md}");
    assert!(!md.contains('\u{202e}'), "{md}");
    // escaped prose: a description that is not an identifier
    let prose = keyblast::report::markdown::md(HOSTILE);
    let found = hazards(&prose);
    assert!(found.is_empty(), "{found:#?}\n{prose}");
    assert!(hazards(&format!("| a |\n|---|\n| {prose} |\n")).is_empty());
}

#[test]
fn escaped_prose_reads_as_written() {
    use keyblast::report::markdown::md;
    // as GitHub shows it, without the joiners: the same text
    let shown = |s: &str| {
        let html = crate::github::gfm(&md(s));
        let inner = html
            .trim()
            .trim_start_matches("<p>")
            .trim_end_matches("</p>");
        inner
            .replace('\u{2060}', "")
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
    };
    for s in [
        "www.example.com",
        "a@b.co",
        "fix #12 and GH-5",
        "deadbeefcafe1234",
        "https://x/y",
        "x_y *z* `c`",
    ] {
        assert_eq!(shown(s), s);
    }
}

#[test]
fn invisible_characters_show_in_human_formats_and_stay_exact_in_json() {
    let evil: String = INVISIBLE.iter().map(|c| format!("x{c}")).collect();
    let a = analyze_docs(&[hostile_plan(&evil)]);
    let report = Report::new(&a, None);
    for (format, out) in all_formats(&report) {
        if format == "json" {
            let v: Value = serde_json::from_str(&out).unwrap();
            let addresses: Vec<&str> = v["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["address"].as_str().unwrap())
                .collect();
            assert!(
                addresses.iter().any(|a| a.contains(&evil)),
                "JSON keeps the data exact: {addresses:?}"
            );
            continue;
        }
        for c in INVISIBLE {
            assert!(
                !out.contains(*c),
                "{format}: U+{:04X} passed through",
                *c as u32
            );
        }
        assert!(out.contains("\\u{202e}"), "{format} shows the override");
        assert!(
            out.contains("\\u{200b}"),
            "{format} shows the zero-width space"
        );
    }
}

/// 300 deleted keys, one with a 100 kB address, each with a dependent.
fn long_names_plan() -> Value {
    let mut changes = Vec::new();
    for k in 0..300 {
        let id = format!("{k:08x}-0000-4000-8000-{k:012x}");
        let address = if k == 7 {
            format!("aws_kms_key.k7[\"{}tail\"]", "a".repeat(100_000))
        } else {
            format!("aws_kms_key.k{k}[\"{}\"]", "b".repeat(300))
        };
        changes.push(rc(
            &address,
            &["delete"],
            json!({"key_id": id, "arn": key_arn(&id)}),
            Value::Null,
        ));
        let v = json!({"name": format!("/p/{k}"), "key_id": id});
        changes.push(rc(
            &format!("aws_ssm_parameter.p{k}"),
            &["no-op"],
            v.clone(),
            v,
        ));
    }
    plan_doc(changes, None)
}

#[test]
fn long_names_are_shortened_and_every_high_title_stays() {
    let a = analyze_docs(&[long_names_plan()]);
    let report = Report::new(&a, None);
    let md = comment(&report);
    assert!(md.chars().count() <= MAX_CHARS, "{}", md.chars().count());
    for k in 0..300 {
        assert!(
            md.contains(&format!("`aws_kms_key.k{k}[")),
            "high change k{k} lost its title:\n{md}"
        );
    }
    assert!(
        md.contains("chars)…"),
        "the marker says a name was shortened"
    );
    assert!(md.contains("tail\"]`"), "the tail is kept");
    assert_eq!(md.matches("key scheduled for deletion").count(), 300);
    // every human format shortens; the JSON keeps the address whole
    for (format, out) in all_formats(&report) {
        let longest = out
            .split(['\n', '"', '`', '<', '>'])
            .map(|l| l.chars().count())
            .max();
        if format == "json" {
            assert!(out.contains(&format!("{}tail", "a".repeat(100_000))));
        } else {
            assert!(
                !out.contains(&"a".repeat(1_000)),
                "{format} prints the whole name"
            );
            assert!(out.contains("chars)…"), "{format} says it shortened");
            assert!(
                longest < Some(3_000),
                "{format}: a {longest:?}-character line"
            );
        }
    }
}

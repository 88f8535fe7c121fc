//! What some hostile cases must show beyond their exit status and messages: named checks of
//! the reports of all of a case's runs (one per format), each named in the table
//! (`cases.rs`).

use super::plans::{deep_volume, INVISIBLE};
use super::run::Ran;
use crate::common::*;
use crate::github::hazards;
use keyblast::report::markdown::MAX_CHARS;
use serde_json::Value;

/// The report of the run in `format`.
fn output<'a>(runs: &'a [Ran], format: &str) -> &'a str {
    &runs
        .iter()
        .find(|r| r.format == Some(format))
        .unwrap_or_else(|| panic!("no {format} run"))
        .stdout
}

/// The PR comment holds no link, mention, reference, image or markup from the plan (as
/// comrak renders it, with GitHub's filters after it), yet the text is still there to read:
/// identifiers exact in code spans.
pub fn nothing_linked_mentioned_or_referenced(runs: &[Ran]) {
    let md = output(runs, "markdown");
    let found = hazards(md);
    assert!(found.is_empty(), "{found:#?}\n{md}");
    assert!(md.contains("`aws_kms_key.k[\""), "{md}");
    assert!(
        md.contains("www.example.com https://evil.test/x"),
        "exact in code: {md}"
    );
    assert!(md.contains("@here"), "{md}");
    assert!(!md.contains('\u{202e}'), "{md}");
}

/// Every human format writes invisible and bidi characters out (`\u{202e}`); the JSON report
/// keeps the address exact.
pub fn invisible_characters_written_out(runs: &[Ran]) {
    let evil = super::plans::invisible_text();
    for r in runs {
        let (format, out) = (r.format.unwrap(), &r.stdout);
        if format == "json" {
            let v: Value = serde_json::from_str(out).unwrap();
            let exact = v["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["address"].as_str().unwrap().contains(&evil));
            assert!(exact, "JSON keeps the data exact");
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

/// The comment fits GitHub's limit and keeps the title of every one of the 300 high
/// findings, the 100 kB address shortened with a marker; every human format shortens it;
/// the JSON report keeps it whole.
pub fn every_high_title_kept(runs: &[Ran]) {
    let md = output(runs, "markdown");
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
    for r in runs {
        let (format, out) = (r.format.unwrap(), &r.stdout);
        if format == "json" {
            assert!(out.contains(&format!("{}tail", "a".repeat(100_000))));
            continue;
        }
        let longest = out
            .split(['\n', '"', '`', '<', '>'])
            .map(|l| l.chars().count())
            .max();
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

/// The plan's hostile file name: exact in the JSON report, controls neutralised and the
/// override written out in the HTML page (the formats that name the plan read).
pub fn file_name_exact_in_json_shown_in_html(runs: &[Ran]) {
    let name = super::cases::EVIL_NAME;
    let report: Value = serde_json::from_str(output(runs, "json")).unwrap();
    let path = report["summary"]["plans"][0]["path"].as_str().unwrap();
    assert!(path.ends_with(name), "{path:?}");
    let html = output(runs, "html");
    assert!(
        html.contains("/evil\u{fffd}[2J\u{fffd}keyblast: error: forged\\u{202e}nosj.json</code>"),
        "{html}"
    );
}

/// The key's blast radius reaches the volume 100 modules down.
pub fn deep_volume_reached(runs: &[Ran]) {
    let report = report_from(output(runs, "json"));
    let ids = blast_ids(&report, "aws_kms_key.k");
    assert!(
        ids.contains(&deep_volume()),
        "the key's blast radius reaches 100 modules down: {ids:?}"
    );
}

/// Text and HTML list 20 findings of each key and say how many more there are; the comment
/// says so too; the JSON report has all 100.
pub fn findings_left_out_said(runs: &[Ran]) {
    for format in ["text", "html"] {
        let out = output(runs, format);
        assert!(
            out.contains("… and 30 more findings (see --format json)"),
            "{format}:\n{out}"
        );
    }
    assert!(output(runs, "markdown").contains("more findings"));
    let json = output(runs, "json");
    assert_eq!(
        json.matches("\"rule\":\"key-policy-access-removed\"")
            .count(),
        100
    );
}

/// The plan as loaded holds no secret, however it is printed (`{:?}`): redaction happens
/// when the plan is read, whole values under secret names (a map of plaintexts too), so no
/// output can contain them. The outputs cannot show what the loaded plan does not hold.
pub fn secrets_gone_when_read(_: &[Ran]) {
    let path = repo().join("tests/hostile/corpus/pre-0.15-secrets.json");
    let plan = keyblast::plan::load(&path, None, &Default::default()).unwrap();
    let dump = format!("{plan:?}");
    for secret in super::cases::SECRETS {
        assert!(!dump.contains(secret), "the loaded plan holds {secret}");
    }
    assert!(dump.contains("(sensitive)"));
}

/// A message quoting 100 kB stays one short line.
pub fn one_short_line(runs: &[Ran]) {
    for r in runs {
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(
            r.stderr.len() < 400,
            "{} bytes: {}",
            r.stderr.len(),
            r.stderr
        );
    }
}

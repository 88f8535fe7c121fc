//! The fuzz targets' corpus (`fuzz/corpus/<target>/`) and every crash they found
//! (`fuzz/regressions/<target>/`), replayed through the same checks on stable, so CI keeps
//! every fixed crash fixed without a nightly toolchain. Fuzzing itself: `fuzz/run.sh`.

use crate::common::repo;
use crate::fuzz_checks::{html_escaper, markdown_escaper, plan_reader, policy_parser};

/// The inputs of `target`: its corpus and its regressions, sorted.
fn inputs(target: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(repo().join("fuzz").join(dir).join(target)) else {
            continue;
        };
        out.extend(
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.is_file() && !p.ends_with(".gitkeep")),
        );
    }
    out.sort();
    out
}

fn replay(target: &str, check: fn(&[u8])) {
    let files = inputs(target);
    assert!(!files.is_empty(), "no corpus for {target}");
    for f in files {
        let data = std::fs::read(&f).unwrap();
        if let Err(e) = std::panic::catch_unwind(|| check(&data)) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{target}: {} fails: {msg}", f.display());
        }
    }
}

#[test]
fn plan_reader_corpus() {
    replay("plan_reader", plan_reader);
}

#[test]
fn policy_parser_corpus() {
    replay("policy_parser", policy_parser);
}

#[test]
fn markdown_escaper_corpus() {
    replay("markdown_escaper", markdown_escaper);
}

#[test]
fn html_escaper_corpus() {
    replay("html_escaper", html_escaper);
}

//! The shape of the code, checked: one place for AWS type knowledge (the catalog), a library
//! that neither prints nor reads the environment (the CLI does both, and injects them), and
//! one way of writing a whole file (atomically). See docs/architecture.md.

use crate::common::*;
use serde_json::json;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `(file, line number, line)` of the code lines of `src/` outside `skip` that contain
/// `needle`: comment lines and everything from a file's `#[cfg(test)]` on (its test module)
/// are not code that ships.
fn code_lines_with(needle: &str, skip: &[&str]) -> Vec<String> {
    let src = repo().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(repo())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if skip.iter().any(|s| rel.starts_with(s)) {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let t = line.trim_start();
            if t.starts_with("#[cfg(test)]") {
                break;
            }
            if t.starts_with("//") {
                continue;
            }
            if line.contains(needle) {
                found.push(format!("{rel}:{}: {}", i + 1, t));
            }
        }
    }
    found
}

#[test]
fn aws_resource_types_are_named_only_in_the_catalog() {
    let found = code_lines_with("\"aws_", &["src/catalog/"]);
    assert!(
        found.is_empty(),
        "resource types belong in src/catalog (add an entry or a constant there):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_library_neither_prints_nor_reads_the_environment() {
    let skip = ["src/cli/", "src/main.rs"];
    let mut found = Vec::new();
    for needle in [
        "println!",
        "eprintln!",
        "print!(",
        "eprint!(",
        "std::io::stdout",
        "std::io::stderr",
        "env::var",
        "env::vars",
    ] {
        found.extend(code_lines_with(needle, &skip));
    }
    assert!(
        found.is_empty(),
        "only the CLI prints and reads the environment; the library gets them injected:\n{}",
        found.join("\n")
    );
}

#[test]
fn whole_files_are_written_only_atomically() {
    // the report and the inventory go through src/atomic.rs (a temporary file renamed over
    // the target); the one file keyblast does not write whole is GitHub's job summary, which
    // it appends to
    let mut found = Vec::new();
    for needle in ["fs::write(", "File::create(", "fs::rename(", "create_new("] {
        found.extend(code_lines_with(needle, &["src/atomic.rs"]));
    }
    assert!(
        found.is_empty(),
        "write whole files with keyblast::atomic::write (a failed run must not leave half a file):\n{}",
        found.join("\n")
    );
}

#[test]
fn key_policies_are_parsed_only_through_the_analysis_cache() {
    // graph, rules and report read `Policies` (src/policy/cache.rs), so a policy text is
    // parsed once per analysis however many of them read it
    let found = code_lines_with("policy::parse(", &["src/policy/"]);
    assert!(found.is_empty(), "{}", found.join("\n"));
    let a = analyze_docs(&[plan_doc(
        (0..3)
            .map(|i| {
                let k = format!("{i:08x}-1111-4222-8333-{i:012x}");
                let v = json!({"arn": key_arn(&k), "id": k, "key_id": k, "policy": POLICY});
                rc(&format!("aws_kms_key.k{i}"), &["update"], v.clone(), v)
            })
            .collect(),
        None,
    )]);
    let _ = keyblast::report::Report::new(&a, None);
    assert_eq!(a.policies.len(), 1, "three keys, one policy text");
}

const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;

use crate::common::{cli, real_fixtures};
use keyblast::analyze::{analyze, Options};
use keyblast::plan::{load_file, LoadError};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                if p.file_name().unwrap() != "_edge" {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_real_plan_loads_and_analyzes() {
    let files = json_files(&real_fixtures());
    assert!(
        files.len() >= 59,
        "expected the 59 real plans, found {}",
        files.len()
    );
    for f in &files {
        let plan = load_file(f).unwrap_or_else(|e| panic!("{e}"));
        let a = analyze(vec![plan], Options::default());
        // every change is assessed and explained
        for c in &a.changes {
            assert!(
                !c.findings.is_empty(),
                "{}: a change without findings",
                f.display()
            );
        }
        let r = cli([
            OsString::from("analyze"),
            f.into(),
            "--format".into(),
            "json".into(),
        ]);
        assert_eq!(r.code, 0, "{}: {}", f.display(), r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v["schema_version"], keyblast::report::model::SCHEMA_VERSION);
    }
}

fn edge(name: &str) -> PathBuf {
    real_fixtures().join("_edge").join(name)
}

#[test]
fn utf16_plan_is_read() {
    let p = load_file(&edge("checkov/tfplan_win_utf16.json")).unwrap();
    assert!(p.notes.iter().any(|n| n.contains("UTF-16")));
    assert!(p.resources.iter().any(|r| r.rtype == "aws_s3_bucket"));
}

#[test]
fn ci_wrapper_text_is_stripped() {
    let p = load_file(&edge("infracost/plan_with_terraform_wrapper.json")).unwrap();
    assert!(
        p.notes.iter().any(|n| n.contains("wrapper")),
        "{:?}",
        p.notes
    );
    assert!(p
        .resources
        .iter()
        .any(|r| r.address == "aws_instance.web_app"));
}

#[test]
fn plan_without_format_version_is_read_with_a_note() {
    let p = load_file(&edge("overmind/plan-no-format-version.json")).unwrap();
    assert!(p.format_version.is_none());
    assert!(p.notes.iter().any(|n| n.contains("format_version")));
    assert!(!p.resources.is_empty());
}

#[test]
fn create_then_delete_without_before_is_read() {
    let p = load_file(&edge("checkov/plan_with_deleted_resources.json")).unwrap();
    let a = analyze(vec![p], Options::default());
    assert!(!a.changes.is_empty());
}

#[test]
fn malformed_json_is_refused_with_position() {
    let e = load_file(&edge("terraform-json/invalid-plan.json")).unwrap_err();
    assert!(
        matches!(
            e,
            LoadError::Json {
                line: 676,
                column: 29,
                ..
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string()
            .contains("invalid-plan.json:676:29: invalid JSON"),
        "{e}"
    );
}

#[test]
fn hcp_redacted_plan_is_refused() {
    let e = load_file(&edge("terraform/hcp-redacted-plan-json-basic.json")).unwrap_err();
    let s = e.to_string();
    assert!(
        s.contains("HCP Terraform") && s.contains("terraform show -json"),
        "{s}"
    );
}

/// Every file under `dir`, recursively, sorted.
fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn nothing_reads_fixtures_from_outside_the_repository() {
    // Built at run time so that this file does not match itself.
    let needles = [["..", "shared"].join("/"), ["/work", "shared"].join("/")];
    let root = crate::common::repo();
    let mut offenders = Vec::new();
    let mut scanned = 0;
    for dir in ["src", "tests", "scripts"] {
        for f in all_files(&root.join(dir)) {
            let bytes = std::fs::read(&f).unwrap();
            scanned += 1;
            for n in &needles {
                if bytes.windows(n.len()).any(|w| w == n.as_bytes()) {
                    offenders.push(format!("{} mentions {n}", f.display()));
                }
            }
        }
    }
    assert!(scanned > 100, "scanned only {scanned} files");
    assert!(offenders.is_empty(), "{offenders:#?}");
}

#[test]
fn every_vendored_plan_has_its_provenance_and_license() {
    let root = real_fixtures();
    let sources = std::fs::read_to_string(root.join("SOURCES.md")).unwrap();
    let plans: Vec<String> = all_files(&root)
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let rel = p.strip_prefix(&root).unwrap().to_string_lossy();
            rel.replace('\\', "/")
        })
        .collect();
    assert_eq!(
        plans.iter().filter(|p| !p.starts_with("_edge/")).count(),
        59,
        "the collection's 60 but the one whose license notice could not be shipped"
    );
    assert_eq!(plans.iter().filter(|p| p.starts_with("_edge/")).count(), 6);
    for p in &plans {
        let line = sources
            .lines()
            .find(|l| l.starts_with(&format!("- `{p}` |")))
            .unwrap_or_else(|| panic!("{p} is not listed in SOURCES.md"));
        let license = line.split(" | ").nth(4).unwrap();
        let text = if license.starts_with("Apache-2.0") {
            "Apache-2.0.txt"
        } else if license.starts_with("MPL-2.0") {
            "MPL-2.0.txt"
        } else {
            assert!(license.starts_with("MIT"), "{p}: license {license}");
            // the MIT origins each have their own file, or a note in SOURCES.md
            let origin = line.split(" | ").nth(1).unwrap();
            let file = match origin {
                "terraform-compliance/cli" => "MIT-terraform-compliance-cli.txt",
                "dineshba/tf-summarize" => "MIT-tf-summarize.txt",
                other => panic!("{p}: no license file for {other}"),
            };
            let t = std::fs::read_to_string(root.join("LICENSES").join(file)).unwrap();
            assert!(t.contains("Copyright") && t.contains("Permission is hereby granted"));
            continue;
        };
        assert!(root.join("LICENSES").join(text).is_file(), "{p}: no {text}");
    }
}

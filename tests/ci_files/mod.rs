//! The CI integration files: action.yml (a composite GitHub Action), its step scripts in
//! ci/action/, the examples for GitHub, GitLab, Bitbucket and Azure Pipelines, docs/ci.md.
//!
//! Every file parses; the action is wired up (inputs declared, outputs mapped to steps that
//! write them, no `${{ }}` inside a `run:` script, the gate last, uploads always); every
//! `keyblast` invocation uses only flags and values the real binary's `--help` lists; and the
//! scripts run for real (bash, sh) on a sample plan against loopback stand-ins for GitHub and
//! GitLab, with no network and no Terraform.

/// action.yml's structure: composite, inputs and outputs wired up, the gate last, the token.
mod action;
/// Live discovery in the analysis script, against moto.
mod discovery;
/// docs/ci.md and the README's `## In CI` section.
mod docs;
/// Every file parses; the GitHub, Bitbucket and Azure examples; the placeholder owner.
mod examples;
/// Every `keyblast` invocation checked against the real `--help`.
mod flags;
/// The GitLab template: its jobs, and its script run for real.
mod gitlab;
/// Reading clap's `--help` into flags and their possible values.
mod help;
/// The action's scripts (analyze, gate, prepare) run for real against a stand-in GitHub.
mod scripts;
/// A small shell tokenizer, to find keyblast's flags in scripts and CI files.
mod shell;

use crate::common::{repo, Run};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

const ACTION: &str = "action.yml";
const GITHUB_EXAMPLE: &str = "examples/github/keyblast.yml";
const GITLAB_TEMPLATE: &str = "examples/gitlab/keyblast.gitlab-ci.yml";
const BITBUCKET_EXAMPLE: &str = "examples/bitbucket/bitbucket-pipelines.yml";
const AZURE_EXAMPLE: &str = "examples/azure/azure-pipelines.yml";
const YAML_FILES: [&str; 5] = [
    ACTION,
    GITHUB_EXAMPLE,
    GITLAB_TEMPLATE,
    BITBUCKET_EXAMPLE,
    AZURE_EXAMPLE,
];
/// The placeholder for the repository keyblast is taken from, the same everywhere.
const OWNER: &str = "OWNER";

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn yaml(rel: &str) -> Yaml {
    let docs = YamlLoader::load_from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_eq!(docs.len(), 1, "{rel}: one YAML document");
    let doc = docs.into_iter().next().unwrap();
    assert!(doc.as_hash().is_some(), "{rel}: a mapping at the top");
    doc
}

/// A JSON file (a report, an inventory) the scripts wrote.
fn read_json(path: impl AsRef<Path>) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn s(y: &Yaml) -> &str {
    y.as_str().unwrap_or("")
}

fn keys(y: &Yaml) -> Vec<String> {
    y.as_hash()
        .map(|h| {
            h.keys()
                .filter_map(|k| k.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Every string scalar in a document (values and sequence items, not keys).
fn strings(y: &Yaml, out: &mut Vec<String>) {
    match y {
        Yaml::String(v) => out.push(v.clone()),
        Yaml::Array(a) => a.iter().for_each(|i| strings(i, out)),
        Yaml::Hash(h) => h.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// A character of a name in `steps.NAME`, `inputs.NAME` or `OWNER/keyblast`.
fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// The README's `## In CI` section.
fn readme_in_ci() -> String {
    let readme = read("README.md");
    let start = readme
        .find("\n## In CI")
        .expect("README has an `## In CI` section");
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map(|e| e + 3).unwrap_or(rest.len());
    rest[..end].to_string()
}

/// A fresh, empty folder for one test.
fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("keyblast-ci-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The absolute path of `rel` in the repository, as a string for a command line or a variable.
fn repo_path(rel: &str) -> String {
    repo().join(rel).to_str().unwrap().to_string()
}

fn sample() -> String {
    repo_path("samples/key-replace/plan.json")
}

fn script(name: &str) -> String {
    repo_path(&format!("ci/action/{name}"))
}

fn keyblast() -> &'static str {
    env!("CARGO_BIN_EXE_keyblast")
}

/// Runs `program args` in `dir` with exactly `env` (and a PATH): nothing of this machine's
/// environment (a real token, a CI's variables, a proxy) reaches it.
fn run_in(dir: &Path, program: &str, args: &[&str], env: &BTreeMap<String, String>) -> Run {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .envs(env)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `name=value` lines of a GITHUB_OUTPUT file (the last value of a name wins, as on a runner).
fn outputs(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn env_of(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

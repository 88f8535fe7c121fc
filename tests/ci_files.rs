//! The CI integration files: action.yml (a composite GitHub Action), its step scripts in
//! ci/action/, the examples for GitHub, GitLab, Bitbucket and Azure Pipelines, docs/ci.md.
//!
//! Every file parses; the action is wired up (inputs declared, outputs mapped to steps that
//! write them, no `${{ }}` inside a `run:` script, the gate last, uploads always); every
//! `keyblast` invocation uses only flags and values the real binary's `--help` lists; and the
//! scripts run for real (bash, sh) on a sample plan against loopback stand-ins for GitHub and
//! GitLab, with no network and no Terraform.

use crate::comment::stand_in::{Dialect, StandIn, TOKEN};
use crate::common::repo;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
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

/// A fresh, empty folder for one test.
fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("keyblast-ci-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn sample() -> String {
    repo()
        .join("samples/key-replace/plan.json")
        .to_str()
        .unwrap()
        .to_string()
}

fn keyblast() -> &'static str {
    env!("CARGO_BIN_EXE_keyblast")
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `program args` in `dir` with exactly `env` (and a PATH): nothing of this machine's
/// environment (a real token, a CI's variables, a proxy) reaches it.
fn run_in(dir: &Path, program: &str, args: &[&str], env: &BTreeMap<String, String>) -> Ran {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .envs(env)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    Ran {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn script(name: &str) -> String {
    repo()
        .join("ci/action")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
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

// --- every file parses ----------------------------------------------------------------------

#[test]
fn every_ci_file_parses_and_is_checked_here() {
    for f in YAML_FILES {
        yaml(f);
    }
    // A new example is checked too: every YAML file under examples/ is one of the above.
    let mut found = Vec::new();
    let mut stack = vec![repo().join("examples")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yml" || x == "yaml") {
                let rel = p
                    .strip_prefix(repo())
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                found.push(rel);
            }
        }
    }
    found.sort();
    let mut listed: Vec<String> = YAML_FILES[1..].iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        found, listed,
        "examples/ holds exactly the files this module checks"
    );
}

// --- action.yml -----------------------------------------------------------------------------

/// `prefix.NAME` references in `text` (NAME: letters, digits, `-`, `_`).
fn references(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().last();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

/// The `${{ ... }}` expressions in `text`.
fn expressions(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("${{") {
        let after = &rest[i + 3..];
        let end = after.find("}}").expect("an unclosed ${{");
        out.push(after[..end].trim().to_string());
        rest = &after[end + 2..];
    }
    out
}

/// The script a `run:` step runs: `bash "$GITHUB_ACTION_PATH/ci/action/X.sh"`.
fn step_script(run: &str) -> Option<String> {
    let i = run.find("$GITHUB_ACTION_PATH/")?;
    let path: String = run[i + "$GITHUB_ACTION_PATH/".len()..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '"')
        .collect();
    Some(path)
}

/// Outputs a script writes with its `output NAME VALUE` helper.
fn script_outputs(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("output "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .map(String::from)
        .collect()
}

fn action_steps(a: &Yaml) -> &Vec<Yaml> {
    a["runs"]["steps"].as_vec().expect("runs.steps")
}

#[test]
fn the_action_is_composite_with_a_shell_on_every_run_step_and_no_expression_in_any_script() {
    let a = yaml(ACTION);
    assert_eq!(s(&a["runs"]["using"]), "composite");
    assert!(!s(&a["name"]).is_empty() && !s(&a["description"]).is_empty());
    let steps = action_steps(&a);
    assert!(steps.len() >= 5, "{} steps", steps.len());
    for (i, st) in steps.iter().enumerate() {
        let name = s(&st["name"]);
        assert!(!name.is_empty(), "step {i} has a name");
        let run = &st["run"];
        let uses = &st["uses"];
        assert!(
            run.is_badvalue() != uses.is_badvalue(),
            "{name}: exactly one of run and uses"
        );
        if let Some(run) = run.as_str() {
            assert!(
                matches!(s(&st["shell"]), "bash"),
                "{name}: a composite run step needs `shell:` (bash here)"
            );
            // Script injection: an input, a branch name or a PR title expanded into the
            // script would be code. Everything goes through env: instead.
            assert!(!run.contains("${{"), "{name}: `${{{{` inside run: {run}");
            let path = step_script(run).unwrap_or_else(|| panic!("{name}: runs a script file"));
            assert!(repo().join(&path).is_file(), "{name}: {path} exists");
            assert!(
                run.contains(&format!("\"$GITHUB_ACTION_PATH/{path}\"")),
                "{name}: the script path is quoted"
            );
        } else {
            let u = s(uses);
            let (action, version) = u.split_once('@').expect("uses: X@ref");
            assert!(
                version.starts_with('v') && version[1..].chars().all(|c| c.is_ascii_digit()),
                "{name}: {u} names a major tag (docs/ci.md tells users to pin SHAs)"
            );
            assert!(
                action.starts_with("actions/"),
                "{name}: only GitHub's own actions"
            );
        }
    }
}

#[test]
fn every_input_used_is_declared_and_every_declared_input_is_used() {
    let a = yaml(ACTION);
    let text = read(ACTION);
    let declared: BTreeSet<String> = keys(&a["inputs"]).into_iter().collect();
    let mut used = BTreeSet::new();
    for e in expressions(&text) {
        used.extend(references(&e, "inputs."));
    }
    // `if:` is an expression without `${{ }}`.
    for st in action_steps(&a) {
        used.extend(references(s(&st["if"]), "inputs."));
    }
    let undeclared: Vec<_> = used.difference(&declared).collect();
    assert!(
        undeclared.is_empty(),
        "used but not declared: {undeclared:?}"
    );
    let unused: Vec<_> = declared.difference(&used).collect();
    assert!(unused.is_empty(), "declared but never used: {unused:?}");
    assert!(declared.contains("plan-path"));
    assert_eq!(a["inputs"]["plan-path"]["required"].as_bool(), Some(true));
    assert_eq!(
        s(&a["inputs"]["github-token"]["default"]),
        "${{ github.token }}"
    );
    for (name, spec) in a["inputs"].as_hash().unwrap() {
        assert!(
            !s(&spec["description"]).is_empty(),
            "input {} has a description",
            s(name)
        );
    }
}

#[test]
fn every_output_maps_to_a_step_output_that_exists() {
    let a = yaml(ACTION);
    let steps = action_steps(&a);
    // What each step (by id) writes: its script's outputs, or the used action's known ones.
    let mut writes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for st in steps {
        let id = s(&st["id"]).to_string();
        order.push(id.clone());
        if id.is_empty() {
            continue;
        }
        let outs = match st["run"].as_str() {
            Some(run) => script_outputs(&read(&step_script(run).unwrap())),
            None if s(&st["uses"]).starts_with("actions/cache/restore@") => {
                ["cache-hit", "cache-primary-key", "cache-matched-key"]
                    .map(String::from)
                    .into()
            }
            None => BTreeSet::new(),
        };
        assert!(!outs.is_empty(), "step {id} writes outputs");
        writes.insert(id, outs);
    }
    let declared = keys(&a["outputs"]);
    for want in ["risk", "exit-code", "report-json", "report-html"] {
        assert!(declared.iter().any(|d| d == want), "output {want} declared");
    }
    for name in &declared {
        let value = s(&a["outputs"][name.as_str()]["value"]);
        let e = expressions(value);
        assert_eq!(e.len(), 1, "output {name}: one expression: {value}");
        let (id, out) = e[0]
            .strip_prefix("steps.")
            .and_then(|r| r.split_once(".outputs."))
            .unwrap_or_else(|| panic!("output {name}: steps.ID.outputs.NAME: {value}"));
        let w = writes
            .get(id)
            .unwrap_or_else(|| panic!("output {name}: no step {id}"));
        assert!(
            w.contains(out),
            "output {name}: step {id} never writes {out}"
        );
    }
    // Every steps.X.outputs.Y used anywhere refers to an earlier step that writes Y.
    for (i, st) in steps.iter().enumerate() {
        let mut texts = Vec::new();
        strings(st, &mut texts);
        for t in texts {
            for e in expressions(&t).into_iter().chain(
                // `if:` may be written without ${{ }}.
                (t == s(&st["if"])).then(|| t.clone()),
            ) {
                for r in references(&e, "steps.") {
                    let after = e.split(&format!("steps.{r}.outputs.")).nth(1);
                    let Some(after) = after else { continue };
                    let out: String = after
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect();
                    let pos = order.iter().position(|o| *o == r);
                    assert!(
                        pos.is_some_and(|p| p < i),
                        "step {i} uses steps.{r}, which is not an earlier step"
                    );
                    assert!(
                        writes[&r].contains(&out),
                        "step {i} uses steps.{r}.outputs.{out}, which {r} never writes"
                    );
                }
            }
        }
    }
}

#[test]
fn the_gate_is_the_last_step_and_uploads_always_run() {
    let a = yaml(ACTION);
    let steps = action_steps(&a);
    let last = steps.last().unwrap();
    assert!(
        s(&last["run"]).contains("ci/action/gate.sh"),
        "the last step gates on fail-on"
    );
    assert!(
        s(&last["if"]).contains("always()"),
        "the gate runs even when an earlier step failed (and then fails the job)"
    );
    assert!(
        steps[..steps.len() - 1]
            .iter()
            .all(|st| !s(&st["run"]).contains("gate.sh")),
        "only one gate"
    );
    let uploads: Vec<&Yaml> = steps
        .iter()
        .filter(|st| s(&st["uses"]).starts_with("actions/upload-artifact@"))
        .collect();
    assert!(!uploads.is_empty(), "the reports are uploaded");
    for u in &uploads {
        let cond = s(&u["if"]);
        assert!(
            cond.contains("always()") || cond.contains("!cancelled()"),
            "an upload runs whatever happened before: if: {cond}"
        );
        assert!(s(&u["with"]["name"]).contains("steps.analyze.outputs.artifact-name"));
        assert!(s(&u["with"]["path"]).contains("steps.analyze.outputs.output-dir"));
    }
    // The analysis comes before the uploads and never fails the job itself: the script
    // exits 0 once exit-code is written.
    let analyze = steps
        .iter()
        .position(|st| s(&st["id"]) == "analyze")
        .unwrap();
    let upload = steps
        .iter()
        .position(|st| s(&st["uses"]).starts_with("actions/upload-artifact@"))
        .unwrap();
    assert!(analyze < upload);
    // The cache is saved right after the build, not at the end of a job that may fail.
    let build = steps
        .iter()
        .position(|st| s(&st["run"]).contains("build.sh"))
        .unwrap();
    let save = steps
        .iter()
        .position(|st| s(&st["uses"]).starts_with("actions/cache/save@"))
        .unwrap();
    let restore = steps
        .iter()
        .position(|st| s(&st["uses"]).starts_with("actions/cache/restore@"))
        .unwrap();
    assert!(restore < build && build < save && save < analyze);
}

#[test]
fn the_token_reaches_only_the_analysis_step_and_only_through_env() {
    let a = yaml(ACTION);
    for st in action_steps(&a) {
        let mut texts = Vec::new();
        strings(st, &mut texts);
        let mentions = texts.iter().any(|t| t.contains("inputs.github-token"));
        if s(&st["id"]) == "analyze" {
            assert_eq!(s(&st["env"]["GITHUB_TOKEN"]), "${{ inputs.github-token }}");
        } else {
            assert!(
                !mentions,
                "{}: has no business with the token",
                s(&st["name"])
            );
        }
    }
}

// --- keyblast invocations against the real --help -------------------------------------------

#[derive(Debug, Default, Clone)]
struct Flag {
    takes_value: bool,
    values: Vec<String>,
}

#[derive(Debug, Default)]
struct Help {
    /// `--long` and `-s` names, both mapping to the same spec.
    flags: BTreeMap<String, Flag>,
}

/// Parses clap's `--help` (long and compact layouts): flag lines start with two spaces and
/// `-s, --long` or six spaces and `--long`; `[possible values: a, b]` (perhaps wrapped) or a
/// `Possible values:` list of `- value[: text]` lines follow in the flag's block.
fn parse_help(text: &str) -> Help {
    let mut help = Help::default();
    let mut blocks: Vec<(Vec<String>, bool, Vec<String>)> = Vec::new();
    for line in text.lines() {
        let flag_line = line
            .strip_prefix("  -")
            .filter(|r| r.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
            .map(|_| &line[2..])
            .or_else(|| line.strip_prefix("      --").map(|_| &line[6..]));
        if let Some(spec) = flag_line {
            let head = spec.split("  ").next().unwrap();
            let names: Vec<String> = head
                .split([',', ' '])
                .filter(|w| w.starts_with('-'))
                .map(String::from)
                .collect();
            let takes_value = head.contains('<');
            blocks.push((names, takes_value, vec![spec.to_string()]));
        } else if let Some(b) = blocks.last_mut() {
            b.2.push(line.to_string());
        }
    }
    for (names, takes_value, lines) in blocks {
        let joined = lines.join(" ");
        let mut values = Vec::new();
        if let Some(i) = joined.find("[possible values: ") {
            let rest = &joined[i + "[possible values: ".len()..];
            let end = rest.find(']').unwrap();
            values.extend(
                rest[..end]
                    .split(',')
                    .map(|v| v.split_whitespace().collect::<String>()),
            );
        }
        let mut in_list = false;
        for l in &lines {
            let t = l.trim();
            if t == "Possible values:" {
                in_list = true;
            } else if in_list {
                match t.strip_prefix("- ") {
                    Some(v) => values.push(v.split(':').next().unwrap().trim().to_string()),
                    None => in_list = false,
                }
            }
        }
        let flag = Flag {
            takes_value,
            values,
        };
        for n in names {
            help.flags.insert(n, flag.clone());
        }
    }
    help
}

const SUBCOMMANDS: [&str; 7] = [
    "",
    "analyze",
    "discover",
    "comment github",
    "comment gitlab",
    "comment bitbucket",
    "comment azure-devops",
];

fn helps() -> BTreeMap<String, Help> {
    SUBCOMMANDS
        .iter()
        .map(|sub| {
            let mut args: Vec<&str> = sub.split(' ').filter(|a| !a.is_empty()).collect();
            args.push("--help");
            let r = run_in(&std::env::temp_dir(), keyblast(), &args, &BTreeMap::new());
            assert_eq!(r.code, 0, "keyblast {sub} --help: {}", r.stderr);
            let h = parse_help(&r.stdout);
            assert!(
                h.flags.contains_key("--help"),
                "{sub}: parsed {:?}",
                h.flags.keys()
            );
            (sub.to_string(), h)
        })
        .collect()
}

#[derive(Debug, Clone)]
struct Word {
    text: String,
    /// No `$` outside single quotes: the text is what the shell passes.
    literal: bool,
    /// An unquoted operator: `;` `|` `||` `&&` `&` `(` `)` `>` `<`.
    op: bool,
}

/// A small shell tokenizer: quotes, backslashes, operators, `#` comments.
fn shell_words(line: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut literal = true;
    let mut started = false;
    let mut chars = line.chars().peekable();
    let flush = |out: &mut Vec<Word>, cur: &mut String, literal: &mut bool, started: &mut bool| {
        if *started {
            out.push(Word {
                text: std::mem::take(cur),
                literal: *literal,
                op: false,
            });
        }
        *literal = true;
        *started = false;
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                started = true;
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                    cur.push(d);
                }
            }
            '"' => {
                started = true;
                while let Some(d) = chars.next() {
                    match d {
                        '"' => break,
                        '\\' => {
                            if let Some(e) = chars.next() {
                                cur.push(e);
                            }
                        }
                        '$' => {
                            literal = false;
                            cur.push(d);
                        }
                        _ => cur.push(d),
                    }
                }
            }
            '\\' => {
                started = true;
                if let Some(e) = chars.next() {
                    cur.push(e);
                }
            }
            '$' => {
                started = true;
                literal = false;
                cur.push(c);
                // ${...} may hold quotes and operators: take it whole.
                if chars.peek() == Some(&'{') {
                    let mut depth = 0;
                    for d in chars.by_ref() {
                        cur.push(d);
                        match d {
                            '{' => depth += 1,
                            '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                } else if chars.peek() == Some(&'(') {
                    let mut depth = 0;
                    for d in chars.by_ref() {
                        cur.push(d);
                        match d {
                            '(' => depth += 1,
                            ')' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            '#' if !started => break,
            c if c.is_whitespace() => flush(&mut out, &mut cur, &mut literal, &mut started),
            ';' | '|' | '&' | '(' | ')' | '<' | '>' => {
                flush(&mut out, &mut cur, &mut literal, &mut started);
                let mut op = c.to_string();
                if (c == '|' || c == '&') && chars.peek() == Some(&c) {
                    op.push(chars.next().unwrap());
                }
                out.push(Word {
                    text: op,
                    literal: true,
                    op: true,
                });
            }
            _ => {
                started = true;
                cur.push(c);
            }
        }
    }
    flush(&mut out, &mut cur, &mut literal, &mut started);
    out
}

/// One use of keyblast's flags: a command line, or a line that adds arguments to an
/// `*analyze*_args` / `*discover*_args` variable (how the scripts build optional flags).
#[derive(Debug)]
struct Use {
    file: String,
    sub: String,
    words: Vec<Word>,
    line: String,
}

fn is_keyblast(w: &Word) -> bool {
    let t = w.text.as_str();
    t == "keyblast" || t.ends_with("/keyblast") || t == "$KEYBLAST_BIN" || t == "${KEYBLAST_BIN}"
}

/// `NAME=` / `NAME+=` where NAME names keyblast arguments of a subcommand.
fn args_variable(w: &Word) -> Option<(String, String)> {
    let (name, rest) = w.text.split_once('=')?;
    let name = name.strip_suffix('+').unwrap_or(name);
    if !name.ends_with("_args") || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return None;
    }
    let sub = if name.contains("analyze") {
        "analyze"
    } else if name.contains("discover") {
        "discover"
    } else {
        return None;
    };
    Some((sub.to_string(), rest.to_string()))
}

fn uses_in(file: &str, text: &str, out: &mut Vec<Use>) {
    // Join `\`-continued lines.
    let joined = text.replace("\\\n", " ");
    for raw in joined.lines() {
        let mut line = raw.trim();
        for p in ["- ", "run: ", "script: "] {
            line = line.strip_prefix(p).unwrap_or(line).trim_start();
        }
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let words = shell_words(line);
        for seg in words.split(|w| w.op && w.text != "(" && w.text != ")") {
            let mut seg: Vec<Word> = seg.to_vec();
            while seg.first().is_some_and(|w| {
                matches!(
                    w.text.as_str(),
                    "do" | "then" | "else" | "if" | "!" | "exec" | "command" | "time"
                ) || (w.text.contains('=')
                    && !w.text.starts_with('-')
                    && args_variable(w).is_none()
                    && w.text
                        .split('=')
                        .next()
                        .unwrap()
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            }) {
                seg.remove(0);
            }
            let Some(first) = seg.first() else { continue };
            if is_keyblast(first) {
                let mut sub = seg.get(1).map(|w| w.text.clone()).unwrap_or_default();
                let mut rest = 2;
                if sub.starts_with('-') {
                    // `keyblast --version`: the top-level flags.
                    sub = String::new();
                    rest = 1;
                } else if sub == "comment" {
                    sub = format!(
                        "comment {}",
                        seg.get(2).map(|w| w.text.as_str()).unwrap_or("")
                    );
                    rest = 3;
                }
                out.push(Use {
                    file: file.to_string(),
                    sub,
                    words: seg[rest.min(seg.len())..].to_vec(),
                    line: line.to_string(),
                });
            } else if let Some((sub, value)) = args_variable(first) {
                // `x_args=(--a b)`, `x_args+=(--a "$b")`, `x_args="$x_args --a $b"`.
                let mut ws: Vec<Word> = value
                    .split_whitespace()
                    .map(|t| Word {
                        text: t.to_string(),
                        literal: !t.contains('$'),
                        op: false,
                    })
                    .collect();
                ws.extend(seg[1..].iter().filter(|w| !w.op).cloned());
                out.push(Use {
                    file: file.to_string(),
                    sub,
                    words: ws,
                    line: line.to_string(),
                });
            }
        }
    }
}

/// Fenced code blocks of a markdown text.
fn code_blocks(md: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for l in md.lines() {
        if l.trim_start().starts_with("```") {
            inside = !inside;
        } else if inside {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

fn readme_in_ci() -> String {
    let readme = read("README.md");
    let start = readme
        .find("\n## In CI")
        .expect("README has an `## In CI` section");
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map(|e| e + 3).unwrap_or(rest.len());
    rest[..end].to_string()
}

/// The shell commands of a CI file: the strings under `run` (GitHub), `script`,
/// `before_script` and `after_script` (GitLab, Bitbucket, Azure Pipelines).
fn commands(y: &Yaml, out: &mut Vec<String>) {
    match y {
        Yaml::Array(a) => a.iter().for_each(|i| commands(i, out)),
        Yaml::Hash(h) => {
            for (k, v) in h {
                if matches!(s(k), "run" | "script" | "before_script" | "after_script") {
                    strings(v, out);
                } else {
                    commands(v, out);
                }
            }
        }
        _ => {}
    }
}

fn all_uses() -> Vec<Use> {
    let mut uses = Vec::new();
    for f in YAML_FILES {
        let mut texts = Vec::new();
        commands(&yaml(f), &mut texts);
        for t in texts {
            uses_in(f, &t, &mut uses);
        }
    }
    for f in ["analyze.sh", "prepare.sh", "build.sh", "gate.sh"] {
        let rel = format!("ci/action/{f}");
        uses_in(&rel, &read(&rel), &mut uses);
    }
    uses_in("docs/ci.md", &code_blocks(&read("docs/ci.md")), &mut uses);
    uses_in("README.md", &code_blocks(&readme_in_ci()), &mut uses);
    uses
}

#[test]
fn every_keyblast_invocation_uses_flags_and_values_the_cli_accepts() {
    let helps = helps();
    let uses = all_uses();
    let mut problems = Vec::new();
    let mut values_checked = 0;
    for u in &uses {
        let Some(help) = helps.get(&u.sub) else {
            problems.push(format!(
                "{}: unknown subcommand `{}`: {}",
                u.file, u.sub, u.line
            ));
            continue;
        };
        let mut i = 0;
        while i < u.words.len() {
            let w = &u.words[i];
            i += 1;
            if !w.literal || !w.text.starts_with('-') || w.text == "-" {
                continue;
            }
            let (name, inline) = match w.text.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (w.text.clone(), None),
            };
            let Some(flag) = help.flags.get(&name) else {
                problems.push(format!(
                    "{}: `keyblast {}` has no {name}: {}",
                    u.file, u.sub, u.line
                ));
                continue;
            };
            if !flag.takes_value {
                continue;
            }
            let value = match inline {
                Some(v) => Some((v, true)),
                None => {
                    let v = u.words.get(i).map(|v| (v.text.clone(), v.literal));
                    i += 1;
                    v
                }
            };
            match value {
                None => problems.push(format!("{}: {name} without a value: {}", u.file, u.line)),
                Some((v, true)) if !flag.values.is_empty() => {
                    values_checked += 1;
                    if !flag.values.contains(&v) {
                        problems.push(format!(
                            "{}: {name} {v} is not one of {:?}: {}",
                            u.file, flag.values, u.line
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    // The check saw what it should: each place that runs keyblast, and the enumerations.
    let count = |f: &str| uses.iter().filter(|u| u.file == f).count();
    assert!(
        count("ci/action/analyze.sh") >= 8,
        "{}",
        count("ci/action/analyze.sh")
    );
    for f in [
        GITLAB_TEMPLATE,
        BITBUCKET_EXAMPLE,
        AZURE_EXAMPLE,
        "docs/ci.md",
    ] {
        assert!(count(f) >= 3, "{f}: {} uses", count(f));
    }
    assert!(
        values_checked >= 15,
        "only {values_checked} enumerated values checked"
    );
    for (file, platform) in [
        ("ci/action/analyze.sh", "github"),
        (GITLAB_TEMPLATE, "gitlab"),
        (BITBUCKET_EXAMPLE, "bitbucket"),
        (AZURE_EXAMPLE, "azure-devops"),
    ] {
        assert!(
            uses.iter().any(|u| u.file == file
                && u.words
                    .windows(2)
                    .any(|w| w[0].text == "--comment" && w[1].text == platform)),
            "{file} posts with --comment {platform}"
        );
    }
}

#[test]
fn the_help_parser_reads_the_enumerations() {
    let h = helps();
    let a = &h["analyze"];
    assert_eq!(
        a.flags["--fail-on"].values,
        ["none", "low", "medium", "high"]
    );
    assert!(a.flags["--format"].values.contains(&"html".to_string()));
    assert!(a.flags["--format"].values.contains(&"markdown".to_string()));
    assert_eq!(
        a.flags["--comment"].values,
        ["github", "gitlab", "bitbucket", "azure-devops"]
    );
    assert!(a.flags["-o"].takes_value && !a.flags["--discover"].takes_value);
    assert_eq!(
        h["comment github"].flags["--behavior"].values,
        ["update", "new", "hide-and-new", "delete-and-new"]
    );
    // The tokenizer keeps quoted words and splits operators.
    let w = shell_words(r#""$KEYBLAST_BIN" analyze "${a[@]}" --fail-on high || rc=$? # note"#);
    let t: Vec<&str> = w.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(
        t,
        [
            "$KEYBLAST_BIN",
            "analyze",
            "${a[@]}",
            "--fail-on",
            "high",
            "||",
            "rc=$?"
        ]
    );
}

/// `case $VAR in a | b | c)` in analyze.sh: the values the script accepts for an input.
fn case_values(script: &str, var: &str) -> Vec<String> {
    let line = script
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("case ${var} in ")))
        .unwrap_or_else(|| panic!("analyze.sh checks {var}"));
    let list = line.split(" in ").nth(1).unwrap();
    let list = &list[..list.find(')').unwrap()];
    list.split('|').map(|v| v.trim().to_string()).collect()
}

#[test]
fn the_script_accepts_exactly_the_values_the_cli_accepts() {
    let h = helps();
    let text = read("ci/action/analyze.sh");
    assert_eq!(
        case_values(&text, "KEYBLAST_FAIL_ON"),
        h["analyze"].flags["--fail-on"].values
    );
    assert_eq!(
        case_values(&text, "KEYBLAST_BEHAVIOR"),
        h["analyze"].flags["--behavior"].values
    );
    let a = yaml(ACTION);
    assert!(h["analyze"].flags["--fail-on"]
        .values
        .contains(&s(&a["inputs"]["fail-on"]["default"]).to_string()));
    assert!(h["analyze"].flags["--behavior"]
        .values
        .contains(&s(&a["inputs"]["behavior"]["default"]).to_string()));
    let g = yaml(GITLAB_TEMPLATE);
    let vars = &g[".keyblast"]["variables"];
    assert!(h["analyze"].flags["--fail-on"]
        .values
        .contains(&s(&vars["KEYBLAST_FAIL_ON"]).to_string()));
    assert!(h["analyze"].flags["--behavior"]
        .values
        .contains(&s(&vars["KEYBLAST_BEHAVIOR"]).to_string()));
}

// --- the action's scripts, run for real -----------------------------------------------------

fn github_env(si: &StandIn, dir: &Path) -> BTreeMap<String, String> {
    let mut e = crate::comment::ci_env(si, Dialect::GitHub);
    let d = dir.to_str().unwrap();
    e.insert("KEYBLAST_BIN".into(), keyblast().into());
    e.insert("KEYBLAST_PLANS".into(), sample());
    e.insert("GITHUB_OUTPUT".into(), format!("{d}/github_output"));
    e.insert("GITHUB_STEP_SUMMARY".into(), format!("{d}/step_summary.md"));
    e.insert("RUNNER_TEMP".into(), format!("{d}/runner_temp"));
    std::fs::create_dir_all(dir.join("runner_temp")).unwrap();
    e
}

fn analyze_script(dir: &Path, env: &BTreeMap<String, String>) -> (Ran, BTreeMap<String, String>) {
    let r = run_in(dir, "bash", &[&script("analyze.sh")], env);
    assert_eq!(
        r.code, 0,
        "the script exits 0 once exit-code is written: {}",
        r.stderr
    );
    assert!(
        !r.stdout.contains(TOKEN) && !r.stderr.contains(TOKEN),
        "the token leaked"
    );
    let o = outputs(&dir.join("github_output"));
    (r, o)
}

#[test]
fn the_analysis_script_writes_the_reports_posts_the_comment_and_reports_high() {
    let dir = temp_dir("analyze");
    let si = StandIn::start(Dialect::GitHub);
    let mut env = github_env(&si, &dir);
    env.insert("KEYBLAST_FAIL_ON".into(), "high".into());
    env.insert("KEYBLAST_TAG".into(), "prod/us-east-1".into());
    let (r, o) = analyze_script(&dir, &env);

    assert_eq!(o["risk"], "high", "{o:?}\n{}", r.stderr);
    assert_eq!(o["exit-code"], "1", "high is at or above fail-on high");
    // Every output the action maps from this step is written.
    let a = yaml(ACTION);
    for name in keys(&a["outputs"]) {
        let v = s(&a["outputs"][name.as_str()]["value"]);
        let out = v.split(".outputs.").nth(1).unwrap().trim_end_matches(" }}");
        assert!(o.contains_key(out), "{out} not written: {o:?}");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&o["report-json"]).unwrap()).unwrap();
    assert_eq!(json["summary"]["overall"], "high");
    let html = std::fs::read_to_string(&o["report-html"]).unwrap();
    assert!(
        html.to_ascii_lowercase().starts_with("<!doctype html"),
        "{}",
        &html[..40]
    );
    let md = std::fs::read_to_string(&o["report-markdown"]).unwrap();
    assert!(md.contains("HIGH"), "{md}");
    // Per-tag names, safe for an artifact (no `/` or `:`), under RUNNER_TEMP.
    assert_eq!(o["artifact-name"], "keyblast-report-prod-us-east-1");
    assert!(
        o["output-dir"].ends_with("runner_temp/keyblast-prod-us-east-1"),
        "{}",
        o["output-dir"]
    );
    for k in ["report-json", "report-html", "report-markdown"] {
        assert!(o[k].starts_with(&o["output-dir"]), "{k}: {}", o[k]);
    }
    // The comment, tagged; the job summary once.
    let c = si.comments();
    assert_eq!(c.len(), 1);
    assert!(
        c[0].body
            .starts_with("<!-- keyblast:report tag=prod/us-east-1 -->\n"),
        "{}",
        &c[0].body[..80]
    );
    let summary = std::fs::read_to_string(dir.join("step_summary.md")).unwrap();
    assert_eq!(
        summary.matches("keyblast: HIGH risk").count(),
        1,
        "{summary}"
    );

    // Run again: the comment is updated, not duplicated.
    std::fs::remove_file(dir.join("github_output")).unwrap();
    let (_, o2) = analyze_script(&dir, &env);
    assert_eq!(o2["exit-code"], "1");
    assert_eq!(si.comments().len(), 1, "behavior update edits the comment");

    // The gate fails the job on that exit code.
    let g = run_in(
        &dir,
        "bash",
        &[&script("gate.sh")],
        &env_of(&[
            ("KEYBLAST_EXIT_CODE", &o["exit-code"]),
            ("KEYBLAST_RISK", &o["risk"]),
            ("KEYBLAST_FAIL_ON", "high"),
        ]),
    );
    assert_eq!(g.code, 1);
    assert!(
        g.stdout
            .contains("::error title=keyblast::overall risk high"),
        "{}",
        g.stdout
    );
}

#[test]
fn without_a_comment_or_a_gate_the_script_needs_no_token_and_exits_0() {
    let dir = temp_dir("no-comment");
    let d = dir.to_str().unwrap();
    let env = env_of(&[
        ("KEYBLAST_BIN", keyblast()),
        ("KEYBLAST_PLANS", &format!("  {}\n", sample())),
        ("KEYBLAST_COMMENT", "false"),
        ("KEYBLAST_FAIL_ON", "none"),
        ("KEYBLAST_STEP_SUMMARY", "false"),
        ("KEYBLAST_OUTPUT_DIR", "reports"),
        ("GITHUB_OUTPUT", &format!("{d}/github_output")),
        ("GITHUB_STEP_SUMMARY", &format!("{d}/step_summary.md")),
    ]);
    let (r, o) = analyze_script(&dir, &env);
    assert_eq!(o["exit-code"], "0", "{}", r.stderr);
    assert_eq!(o["risk"], "high");
    assert_eq!(o["artifact-name"], "keyblast-report");
    // A relative output-dir is resolved (the outputs are used from other steps).
    assert_eq!(
        Path::new(&o["output-dir"]),
        dir.canonicalize().unwrap().join("reports")
    );
    assert!(Path::new(&o["report-html"]).is_file());
    assert!(!dir.join("step_summary.md").exists(), "step-summary false");
    let g = run_in(
        &dir,
        "bash",
        &[&script("gate.sh")],
        &env_of(&[("KEYBLAST_EXIT_CODE", "0"), ("KEYBLAST_RISK", "high")]),
    );
    assert_eq!(g.code, 0, "{}", g.stdout);
}

#[test]
fn several_plans_and_globs_make_one_report() {
    let dir = temp_dir("globs");
    let d = dir.to_str().unwrap();
    let plans = dir.join("plans");
    std::fs::create_dir_all(&plans).unwrap();
    for (name, sample) in [("a.json", "key-replace"), ("b.json", "alias")] {
        std::fs::copy(
            repo().join("samples").join(sample).join("plan.json"),
            plans.join(name),
        )
        .unwrap();
    }
    let env = env_of(&[
        ("KEYBLAST_BIN", keyblast()),
        ("KEYBLAST_PLANS", "plans/*.json"),
        ("KEYBLAST_COMMENT", "false"),
        ("KEYBLAST_FAIL_ON", "none"),
        ("GITHUB_OUTPUT", &format!("{d}/github_output")),
        ("RUNNER_TEMP", d),
    ]);
    let (r, o) = analyze_script(&dir, &env);
    assert_eq!(o["exit-code"], "0", "{}", r.stderr);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&o["report-json"]).unwrap()).unwrap();
    let paths: Vec<&str> = json["summary"]["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["plans/a.json", "plans/b.json"]);
}

/// A name, the environment it changes, and what the script then says.
type BadCase = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

#[test]
fn unusable_input_and_bad_inputs_give_exit_code_2_and_the_gate_fails() {
    let cases: [BadCase; 5] = [
        ("missing-plan", &[("KEYBLAST_PLANS", "nope/plan.json")], ""),
        (
            "no-plan",
            &[("KEYBLAST_PLANS", "  \n ")],
            "plan-path is empty",
        ),
        (
            "fail-on",
            &[("KEYBLAST_FAIL_ON", "critical")],
            "fail-on must be",
        ),
        (
            "behavior",
            &[("KEYBLAST_BEHAVIOR", "replace")],
            "behavior must be",
        ),
        (
            "bool",
            &[("KEYBLAST_COMMENT", "yes")],
            "KEYBLAST_COMMENT must be true or false",
        ),
    ];
    for (name, extra, says) in cases {
        let dir = temp_dir(&format!("bad-{name}"));
        let d = dir.to_str().unwrap();
        let mut env = env_of(&[
            ("KEYBLAST_BIN", keyblast()),
            ("KEYBLAST_PLANS", &sample()),
            ("KEYBLAST_COMMENT", "false"),
            ("GITHUB_OUTPUT", &format!("{d}/github_output")),
            ("RUNNER_TEMP", d),
        ]);
        for (k, v) in extra {
            env.insert(k.to_string(), v.to_string());
        }
        let (r, o) = analyze_script(&dir, &env);
        assert_eq!(o["exit-code"], "2", "{name}: {o:?} {}", r.stderr);
        assert_eq!(o["risk"], "", "{name}");
        assert!(r.stdout.contains(says), "{name}: {}", r.stdout);
        if name == "missing-plan" {
            assert!(
                r.stderr.contains("nope/plan.json"),
                "keyblast names the file: {}",
                r.stderr
            );
        }
        let g = run_in(
            &dir,
            "bash",
            &[&script("gate.sh")],
            &env_of(&[("KEYBLAST_EXIT_CODE", "2")]),
        );
        assert_eq!(g.code, 2, "{name}");
    }
    // A missing binary, and a gate whose analysis never finished.
    let dir = temp_dir("no-binary");
    let d = dir.to_str().unwrap();
    let (_, o) = analyze_script(
        &dir,
        &env_of(&[
            ("KEYBLAST_BIN", &format!("{d}/nothing")),
            ("KEYBLAST_PLANS", &sample()),
            ("GITHUB_OUTPUT", &format!("{d}/github_output")),
        ]),
    );
    assert_eq!(o["exit-code"], "2");
    let g = run_in(&dir, "bash", &[&script("gate.sh")], &BTreeMap::new());
    assert_eq!(g.code, 2);
    assert!(g.stdout.contains("did not finish"), "{}", g.stdout);
}

#[test]
fn a_failed_post_exits_2_unless_allowed() {
    let dir = temp_dir("post-fails");
    let si = StandIn::start(Dialect::GitHub);
    let mut env = github_env(&si, &dir);
    env.insert("KEYBLAST_FAIL_ON".into(), "none".into());
    env.remove("GITHUB_TOKEN");
    let (r, o) = analyze_script(&dir, &env);
    assert_eq!(
        o["exit-code"], "2",
        "no token: the post fails: {}",
        r.stderr
    );
    assert_eq!(o["risk"], "high", "the reports are still there");
    assert!(Path::new(&o["report-html"]).is_file());

    std::fs::remove_file(dir.join("github_output")).unwrap();
    env.insert("KEYBLAST_ALLOW_COMMENT_FAILURE".into(), "true".into());
    let (r, o) = analyze_script(&dir, &env);
    assert_eq!(o["exit-code"], "0", "{}", r.stderr);
    assert!(
        r.stderr.contains("warning: the comment was not posted"),
        "{}",
        r.stderr
    );
    assert!(si.comments().is_empty());
}

#[test]
fn live_discovery_runs_first_and_its_inventory_joins_the_reports() {
    let moto = crate::moto::Moto::start();
    let dir = temp_dir("discover");
    let d = dir.to_str().unwrap();
    let env = env_of(&[
        ("KEYBLAST_BIN", keyblast()),
        ("KEYBLAST_PLANS", &sample()),
        ("KEYBLAST_COMMENT", "false"),
        ("KEYBLAST_FAIL_ON", "none"),
        ("KEYBLAST_DISCOVER", "true"),
        ("KEYBLAST_REGIONS", "us-east-1,eu-west-1"),
        ("KEYBLAST_ENDPOINT_URL", &moto.endpoint),
        ("GITHUB_OUTPUT", &format!("{d}/github_output")),
        ("RUNNER_TEMP", d),
        // Static test credentials; no instance metadata (it would leave loopback).
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let (r, o) = analyze_script(&dir, &env);
    assert_eq!(o["exit-code"], "0", "{}", r.stderr);
    let inv: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&o["inventory"]).unwrap()).unwrap();
    assert!(inv.is_object(), "{inv}");
    assert!(
        o["inventory"].starts_with(&o["output-dir"]),
        "uploaded with the reports"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&o["report-json"]).unwrap()).unwrap();
    let regions = &json["summary"]["discovery"]["inventories"][0]["regions"];
    assert_eq!(
        regions,
        &serde_json::json!(["eu-west-1", "us-east-1"]),
        "{json:#}"
    );

    // Discovery that cannot start (no credentials) stops before any analysis.
    let dir = temp_dir("discover-fails");
    let d = dir.to_str().unwrap();
    let mut env = env;
    env.remove("AWS_ACCESS_KEY_ID");
    env.remove("AWS_SECRET_ACCESS_KEY");
    env.insert("GITHUB_OUTPUT".into(), format!("{d}/github_output"));
    env.insert("RUNNER_TEMP".into(), d.into());
    let (r, o) = analyze_script(&dir, &env);
    assert_eq!(o["exit-code"], "2", "{}", r.stderr);
    assert!(!o.contains_key("report-json"), "{o:?}");
    assert!(r.stdout.contains("live discovery failed"), "{}", r.stdout);
}

#[test]
fn prepare_keys_the_cache_on_os_ref_lockfile_and_sources() {
    let dir = temp_dir("prepare");
    let d = dir.to_str().unwrap();
    let root = repo();
    let run = |extra: &[(&str, &str)]| {
        let _ = std::fs::remove_file(dir.join("github_output"));
        let mut env = env_of(&[
            ("GITHUB_ACTION_PATH", root.to_str().unwrap()),
            ("GITHUB_OUTPUT", &format!("{d}/github_output")),
            ("RUNNER_OS", "Linux"),
            ("RUNNER_ARCH", "X64"),
            ("RUNNER_TEMP", d),
        ]);
        for (k, v) in extra {
            env.insert(k.to_string(), v.to_string());
        }
        let r = run_in(&dir, "bash", &[&script("prepare.sh")], &env);
        assert_eq!(r.code, 0, "{}", r.stderr);
        outputs(&dir.join("github_output"))
    };
    let lock = Sha256::digest(std::fs::read(root.join("Cargo.lock")).unwrap());
    let lock: String = lock.iter().map(|b| format!("{b:02x}")).collect();

    let o = run(&[("KEYBLAST_ACTION_REF", "v1")]);
    assert_eq!(o["build"], "true");
    let key = &o["cache-key"];
    assert!(
        key.starts_with(&format!("keyblast-bin-1-Linux-X64-v1-{}-", &lock[..16])),
        "{key}"
    );
    assert!(key.len() <= 512 && !key.contains(','), "{key}");
    assert!(o["keyblast"].starts_with(&o["bin-dir"]) && o["bin-dir"].starts_with(d));
    // Deterministic; a ref with slashes is made safe; no ref (a local action) still keys.
    assert_eq!(run(&[("KEYBLAST_ACTION_REF", "v1")])["cache-key"], *key);
    let branch = run(&[("KEYBLAST_ACTION_REF", "feature/x,y")]);
    assert!(
        branch["cache-key"].contains("-feature_x_y-"),
        "{}",
        branch["cache-key"]
    );
    assert!(run(&[])["cache-key"].contains("-local-"));

    // A prebuilt binary: nothing to build or cache.
    let o = run(&[("KEYBLAST_PREBUILT", keyblast())]);
    assert_eq!(o["build"], "false");
    assert_eq!(
        Path::new(&o["keyblast"]).canonicalize().unwrap(),
        Path::new(keyblast()).canonicalize().unwrap()
    );
    assert!(!o.contains_key("cache-key"));
}

// --- the examples ---------------------------------------------------------------------------

#[test]
fn the_github_example_plans_uses_the_action_with_declared_inputs_and_the_permissions_it_needs() {
    let w = yaml(GITHUB_EXAMPLE);
    let text = read(GITHUB_EXAMPLE);
    assert_eq!(s(&w["permissions"]["pull-requests"]), "write");
    assert_eq!(s(&w["permissions"]["contents"]), "read");
    assert!(
        !w["on"]["pull_request"].is_badvalue(),
        "runs on pull requests"
    );
    let inputs: BTreeSet<String> = keys(&yaml(ACTION)["inputs"]).into_iter().collect();
    let mut found = false;
    let mut saw_show = false;
    for job in w["jobs"].as_hash().unwrap().values() {
        for st in job["steps"].as_vec().unwrap() {
            if s(&st["run"]).contains("terraform show -json") {
                saw_show = true;
            }
            let u = s(&st["uses"]);
            if u.starts_with(&format!("{OWNER}/keyblast@")) {
                found = true;
                assert!(saw_show, "the plan JSON is made before the action runs");
                for k in keys(&st["with"]) {
                    assert!(
                        inputs.contains(&k),
                        "with: {k} is not an input of the action"
                    );
                }
                assert!(!s(&st["with"]["plan-path"]).is_empty());
                assert!(s(&st["with"]["plan-path"]).ends_with("plan.json"));
            }
        }
    }
    assert!(found, "uses: {OWNER}/keyblast@...");
    for needle in [
        "fork",
        "403",
        "pull_request_target",
        "allow-comment-failure",
        "SHA",
    ] {
        assert!(text.contains(needle), "the example explains {needle}");
    }
}

#[test]
fn the_placeholder_owner_is_the_same_everywhere() {
    let mut texts: Vec<(String, String)> = YAML_FILES
        .iter()
        .map(|f| (f.to_string(), read(f)))
        .collect();
    texts.push(("docs/ci.md".into(), read("docs/ci.md")));
    texts.push(("README.md".into(), readme_in_ci()));
    texts.push((
        "examples/gitlab/README.md".into(),
        read("examples/gitlab/README.md"),
    ));
    let mut seen = 0;
    for (f, t) in &texts {
        for needle in ["/keyblast@", "/keyblast.git", "/keyblast/"] {
            let mut rest = t.as_str();
            while let Some(i) = rest.find(needle) {
                let owner: String = rest[..i]
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                rest = &rest[i + needle.len()..];
                if owner.is_empty() || ["examples", "github", "gitlab"].contains(&owner.as_str()) {
                    continue;
                }
                seen += 1;
                assert_eq!(owner, OWNER, "{f}: {owner}{needle}");
            }
        }
    }
    assert!(seen >= 8, "{seen}");
}

#[test]
fn the_gitlab_template_has_a_hidden_job_a_merge_request_job_and_artifacts_always() {
    let g = yaml(GITLAB_TEMPLATE);
    let text = read(GITLAB_TEMPLATE);
    let hidden = &g[".keyblast"];
    assert!(!hidden.is_badvalue(), "a hidden .keyblast job to extend");
    assert_eq!(s(&hidden["artifacts"]["when"]), "always");
    let job = &g["keyblast"];
    assert_eq!(s(&job["extends"]), ".keyblast");
    let rules = job["rules"].as_vec().unwrap();
    assert!(rules
        .iter()
        .any(|r| s(&r["if"]).contains("$CI_PIPELINE_SOURCE == \"merge_request_event\"")));
    for needle in ["CI_JOB_TOKEN", "GITLAB_TOKEN", "`api` scope", "masked"] {
        assert!(text.contains(needle), "the template explains {needle}");
    }
}

/// The `.keyblast` job's script, run by sh with its variables, in a GitLab-like environment.
#[test]
fn the_gitlab_template_script_runs_for_real_and_comments_on_the_merge_request() {
    let g = yaml(GITLAB_TEMPLATE);
    let hidden = &g[".keyblast"];
    let script: Vec<&str> = hidden["script"].as_vec().unwrap().iter().map(s).collect();
    let dir = temp_dir("gitlab");
    let si = StandIn::start(Dialect::GitLab);
    let mut env = crate::comment::ci_env(&si, Dialect::GitLab);
    for (k, v) in hidden["variables"].as_hash().unwrap() {
        env.insert(s(k).to_string(), s(v).to_string());
    }
    env.insert("KEYBLAST_BIN".into(), keyblast().into());
    env.insert("KEYBLAST_PLANS".into(), sample());
    env.insert("KEYBLAST_TAG".into(), "network".into());
    env.insert("CI_PROJECT_DIR".into(), dir.to_str().unwrap().into());
    let r = run_in(&dir, "sh", &["-c", &script.join("\n")], &env);
    assert_eq!(
        r.code, 1,
        "high is at or above the default fail-on: {}",
        r.stderr
    );
    assert!(!r.stdout.contains(TOKEN) && !r.stderr.contains(TOKEN));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("keyblast-report/keyblast.json")).unwrap())
            .unwrap();
    assert_eq!(json["summary"]["overall"], "high");
    assert!(
        std::fs::read_to_string(dir.join("keyblast-report/keyblast.html"))
            .unwrap()
            .to_ascii_lowercase()
            .starts_with("<!doctype html")
    );
    assert!(dir.join("keyblast-report/keyblast.md").is_file());
    let notes = si.comments();
    assert_eq!(notes.len(), 1, "{}", r.stderr);
    assert!(
        notes[0]
            .body
            .starts_with("<!-- keyblast:report tag=network -->\n"),
        "{}",
        &notes[0].body[..80]
    );

    // Outside a merge request pipeline: no note, the gate still decides.
    env.remove("CI_MERGE_REQUEST_IID");
    env.insert("KEYBLAST_FAIL_ON".into(), "none".into());
    let r = run_in(&dir, "sh", &["-c", &script.join("\n")], &env);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(si.comments().len(), 1);
}

#[test]
fn the_bitbucket_and_azure_examples_post_with_their_tokens_and_keep_the_reports() {
    let b = yaml(BITBUCKET_EXAMPLE);
    let bt = read(BITBUCKET_EXAMPLE);
    assert!(bt.contains("BITBUCKET_TOKEN") && bt.contains("pullrequest:write"));
    let steps = b["pipelines"]["pull-requests"]["**"].as_vec().unwrap();
    let last = &steps.last().unwrap()["step"];
    let script: Vec<&str> = last["script"].as_vec().unwrap().iter().map(s).collect();
    assert!(script
        .last()
        .unwrap()
        .contains("--comment bitbucket --fail-on"));
    assert!(last["artifacts"]
        .as_vec()
        .unwrap()
        .iter()
        .any(|a| s(a).starts_with("keyblast-report")));

    let a = yaml(AZURE_EXAMPLE);
    let at = read(AZURE_EXAMPLE);
    assert!(at.contains("Contribute to pull requests"));
    let steps = a["steps"].as_vec().unwrap();
    let post = steps
        .iter()
        .find(|st| s(&st["script"]).contains("--comment azure-devops"))
        .expect("a step posts the comment");
    // The job token is not in the environment unless mapped explicitly.
    assert_eq!(
        s(&post["env"]["SYSTEM_ACCESSTOKEN"]),
        "$(System.AccessToken)"
    );
    let publish = steps
        .iter()
        .find(|st| s(&st["task"]).starts_with("PublishPipelineArtifact@"))
        .expect("the reports are published");
    assert_eq!(s(&publish["condition"]), "always()");
}

// --- docs -----------------------------------------------------------------------------------

#[test]
fn docs_ci_lists_every_input_and_output_of_the_action() {
    let doc = read("docs/ci.md");
    let a = yaml(ACTION);
    for section in ["inputs", "outputs"] {
        for name in keys(&a[section]) {
            assert!(
                doc.contains(&format!("| `{name}` |")),
                "docs/ci.md has a table row for the {section} `{name}`"
            );
        }
    }
    for needle in [
        "pull-requests: write",
        "pull_request_target",
        "CI_JOB_TOKEN",
        "BITBUCKET_TOKEN",
        "SYSTEM_ACCESSTOKEN",
        "Contribute to pull requests",
        "--allow-failure",
        "--tag",
        "SHA",
        "hashFiles",
    ] {
        assert!(doc.contains(needle), "docs/ci.md covers {needle}");
    }
    let readme = readme_in_ci();
    assert!(readme.contains("docs/ci.md"));
    assert!(readme.contains(&format!("uses: {OWNER}/keyblast@")));
    assert!(readme.contains("include:"));
}

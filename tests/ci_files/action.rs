//! action.yml: a composite action, inputs and outputs wired up, the gate last, the token.

use super::{keys, name_char, read, s, strings, yaml, ACTION};
use crate::common::repo;
use std::collections::{BTreeMap, BTreeSet};
use yaml_rust2::Yaml;

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
        let name: String = rest.chars().take_while(|c| name_char(*c)).collect();
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
                    let out: String = after.chars().take_while(|c| name_char(*c)).collect();
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

//! Every `keyblast` invocation (the scripts, the examples, docs/ci.md, the README) uses only
//! flags and values the real binary's `--help` lists.

use super::help::helps;
use super::shell::{shell_words, Word};
use super::{
    read, readme_in_ci, s, strings, yaml, ACTION, AZURE_EXAMPLE, BITBUCKET_EXAMPLE,
    GITLAB_TEMPLATE, YAML_FILES,
};
use yaml_rust2::Yaml;

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

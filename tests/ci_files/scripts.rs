//! The action's scripts run for real (bash) on a sample plan against a stand-in GitHub.

use super::{
    env_of, keyblast, keys, outputs, read_json, run_in, s, sample, script, temp_dir, yaml, ACTION,
};
use crate::comment::stand_in::{Dialect, StandIn, TOKEN};
use crate::common::{repo, Run};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

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

/// Runs analyze.sh, which always exits 0 and never prints the token, and reads its outputs.
pub(super) fn analyze_script(
    dir: &Path,
    env: &BTreeMap<String, String>,
) -> (Run, BTreeMap<String, String>) {
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

/// Runs gate.sh with exactly `env`.
fn gate(dir: &Path, env: &BTreeMap<String, String>) -> Run {
    run_in(dir, "bash", &[&script("gate.sh")], env)
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
    let json = read_json(&o["report-json"]);
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
    let g = gate(
        &dir,
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
fn on_events_other_than_pull_requests_the_comment_is_skipped_with_a_notice() {
    // a push to main with the defaults (comment: true): no pull request to comment on, so
    // no comment, no exit 2, and fail-on alone decides
    for (event, fail_on, code) in [("push", "none", "0"), ("schedule", "high", "1")] {
        let dir = temp_dir(&format!("event-{event}"));
        let si = StandIn::start(Dialect::GitHub);
        let mut env = github_env(&si, &dir);
        let payload = dir.join("push.json");
        std::fs::write(&payload, r#"{"ref":"refs/heads/main"}"#).unwrap();
        env.insert("GITHUB_EVENT_NAME".into(), event.into());
        env.insert("GITHUB_EVENT_PATH".into(), payload.to_str().unwrap().into());
        env.insert("KEYBLAST_FAIL_ON".into(), fail_on.into());
        let (r, o) = analyze_script(&dir, &env);
        assert_eq!(o["exit-code"], code, "{event}: {}", r.stderr);
        assert_eq!(o["risk"], "high");
        assert!(
            si.log().is_empty(),
            "{event}: nothing sent: {:?}",
            si.lines()
        );
        assert!(
            r.stdout.contains(&format!(
                "::notice title=keyblast::no pull-request comment: the {event} event is not about a pull request"
            )),
            "{event}: {}",
            r.stdout
        );
        // the reports and the job summary are still written
        assert!(Path::new(&o["report-markdown"]).is_file());
        assert!(dir.join("step_summary.md").is_file());
    }
    // pull_request_target comments like pull_request
    let dir = temp_dir("event-target");
    let si = StandIn::start(Dialect::GitHub);
    let mut env = github_env(&si, &dir);
    env.insert("GITHUB_EVENT_NAME".into(), "pull_request_target".into());
    env.insert("KEYBLAST_FAIL_ON".into(), "none".into());
    let (r, o) = analyze_script(&dir, &env);
    assert_eq!(o["exit-code"], "0", "{}", r.stderr);
    assert_eq!(si.comments().len(), 1);
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
    let g = gate(
        &dir,
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
    let json = read_json(&o["report-json"]);
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
        let g = gate(&dir, &env_of(&[("KEYBLAST_EXIT_CODE", "2")]));
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
    let g = gate(&dir, &BTreeMap::new());
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

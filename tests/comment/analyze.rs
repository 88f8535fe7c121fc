//! `analyze --comment`: the report and the comment in one step, the comment posted before the
//! `--fail-on` status is decided; GitHub Actions' job summary.

use super::stand_in::{Dialect, Reply, StandIn};
use super::{ci_env, extra_flags, subcommand, ALL};
use crate::common::{cli_env, repo, temp_file};
use serde_json::json;

fn sample() -> String {
    repo()
        .join("samples/key-replace/plan.json")
        .to_str()
        .unwrap()
        .to_string()
}

fn analyze(si: &StandIn, d: Dialect, flags: &[&str]) -> crate::common::Run {
    let mut args: Vec<String> = vec![
        "analyze".into(),
        sample(),
        "--comment".into(),
        subcommand(d).into(),
    ];
    args.extend(extra_flags(si, d));
    args.extend(flags.iter().map(|s| s.to_string()));
    let r = cli_env(args, &ci_env(si, d), b"");
    super::assert_no_token(&r);
    r
}

#[test]
fn a_blocked_pull_request_still_gets_the_comment() {
    for d in ALL {
        let si = StandIn::start(d);
        let out = temp_file(&format!("analyze-comment-{d:?}.json"), b"");
        let r = analyze(
            &si,
            d,
            &[
                "--fail-on",
                "high",
                "--format",
                "json",
                "-o",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 1, "{d:?}: {}", r.stderr);
        let c = si.comments();
        assert_eq!(c.len(), 1, "{d:?}");
        assert!(
            c[0].body
                .starts_with("<!-- keyblast:report -->\n### 🔴 keyblast: HIGH risk"),
            "{}",
            &c[0].body[..80]
        );
        // the report written is the JSON one
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        assert_eq!(json["summary"]["overall"], "high");
        // a second run updates it in place
        let r = analyze(
            &si,
            d,
            &[
                "--fail-on",
                "high",
                "--format",
                "json",
                "-o",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 1);
        assert_eq!(si.comments().len(), 1);
        assert!(r.stderr.contains("already up to date"), "{}", r.stderr);
    }
}

#[test]
fn a_failed_post_is_exit_2_unless_allowed() {
    let si = StandIn::start(Dialect::GitHub);
    si.force(Reply::json(404, json!({"message": "Not Found"})));
    let r = analyze(&si, Dialect::GitHub, &["-o", "/dev/null"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(
            "keyblast: error: the comment was not posted: GitHub: not found (404: Not Found)"
        ),
        "{}",
        r.stderr
    );
    si.force(Reply::json(404, json!({"message": "Not Found"})));
    let r = analyze(
        &si,
        Dialect::GitHub,
        &["-o", "/dev/null", "--allow-failure", "--fail-on", "high"],
    );
    assert_eq!(r.code, 1, "the risk gate still decides: {}", r.stderr);
    assert!(r
        .stderr
        .contains("keyblast: warning: the comment was not posted"));
}

#[test]
fn the_comment_is_rendered_within_the_platforms_limit_with_the_tag() {
    let si = StandIn::start(Dialect::Bitbucket);
    let r = analyze(
        &si,
        Dialect::Bitbucket,
        &["-o", "/dev/null", "--tag", "prod"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let body = &si.comments()[0].body;
    assert!(body.starts_with("<!-- keyblast:report tag=prod -->\n"));
    assert!(body.len() < 32_768);
}

#[test]
fn posting_flags_need_comment_and_must_fit_the_platform() {
    let env = Default::default();
    for (args, want) in [
        (vec!["--tag", "x"], "--tag needs --comment PLATFORM"),
        (vec!["--dry-run"], "--dry-run needs --comment PLATFORM"),
        (
            vec!["--comment", "github", "--mr", "3"],
            "--mr is not used by --comment github",
        ),
        (
            vec!["--comment", "gitlab", "--pr", "3"],
            "--pr is not used by --comment gitlab",
        ),
        (
            vec!["--comment", "bitbucket", "--thread-status", "active"],
            "--thread-status is not used by --comment bitbucket",
        ),
        (
            vec!["--comment", "azure-devops", "--workspace", "w"],
            "--workspace is not used by --comment azure-devops",
        ),
    ] {
        let mut a = vec!["analyze".to_string(), sample()];
        a.extend(args.iter().map(|s| s.to_string()));
        let r = cli_env(a, &env, b"");
        assert_eq!(r.code, 2, "{args:?}");
        assert_eq!(r.stderr, format!("keyblast: error: {want}\n"));
        assert!(r.stdout.is_empty(), "nothing analysed on a usage error");
    }
}

#[test]
fn dry_run_goes_to_stderr_beside_the_report() {
    let si = StandIn::start(Dialect::GitLab);
    let r = analyze(&si, Dialect::GitLab, &["--dry-run", "--format", "markdown"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(si.log().is_empty());
    assert!(
        r.stdout.starts_with("<!-- keyblast:report -->"),
        "the report on stdout"
    );
    assert!(
        r.stderr.contains("keyblast: dry run: GitLab project 42 !7"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_job_summary_gets_the_report_unless_opted_out() {
    let summary = temp_file("step-summary.md", b"earlier step\n");
    let mut env = std::collections::BTreeMap::new();
    env.insert(
        "GITHUB_STEP_SUMMARY".to_string(),
        summary.to_str().unwrap().to_string(),
    );
    let r = cli_env(["analyze", &sample(), "-o", "/dev/null"], &env, b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("earlier step\n<!-- keyblast:report -->\n### 🔴 keyblast: HIGH risk"),
        "appended: {}",
        &text[..60]
    );
    let len = text.len();
    let r = cli_env(
        ["analyze", &sample(), "-o", "/dev/null", "--no-step-summary"],
        &env,
        b"",
    );
    assert_eq!(r.code, 0);
    assert_eq!(std::fs::read_to_string(&summary).unwrap().len(), len);
    // an unwritable summary only warns
    env.insert(
        "GITHUB_STEP_SUMMARY".into(),
        "/nonexistent/dir/summary.md".into(),
    );
    let r = cli_env(
        ["analyze", &sample(), "-o", "/dev/null", "--fail-on", "high"],
        &env,
        b"",
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .starts_with("keyblast: warning: GITHUB_STEP_SUMMARY: cannot append the report"),
        "{}",
        r.stderr
    );
}

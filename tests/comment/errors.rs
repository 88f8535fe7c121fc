//! Each error class with its message, retries and rate limits, and the token never shown.

use super::stand_in::{Dialect, Reply, StandIn, TOKEN};
use super::{ci_env, paths, post, post_env, ALL};
use serde_json::json;
use std::time::{Duration, Instant};

const BODY: &str = "<!-- keyblast:report -->\nreport\n";

#[test]
fn a_refused_token_is_exit_2_with_the_platforms_hint() {
    for d in ALL {
        let si = StandIn::start(d);
        let mut env = ci_env(&si, d);
        for v in [
            "GITHUB_TOKEN",
            "GITLAB_TOKEN",
            "BITBUCKET_TOKEN",
            "SYSTEM_ACCESSTOKEN",
        ] {
            if env.contains_key(v) {
                env.insert(v.into(), format!("{TOKEN}-revoked"));
            }
        }
        let r = post_env(&si, d, BODY, &[], &env);
        assert_eq!(r.code, 2, "{d:?}");
        let want = match d {
            Dialect::GitHub => {
                "GitHub refused the token (401: Bad credentials): GITHUB_TOKEN is not valid"
            }
            Dialect::GitLab => {
                "GitLab refused the token (401: 401 Unauthorized): GITLAB_TOKEN is not valid"
            }
            Dialect::Bitbucket => "Bitbucket refused the token (401: Token is invalid",
            Dialect::Azure => "Azure DevOps refused the token (401, a sign-in page (203))",
        };
        assert!(r.stderr.contains(want), "{d:?}: {}", r.stderr);
        assert!(r
            .stderr
            .starts_with("keyblast: error: the comment was not posted: "));
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(si.comments().is_empty());
    }
}

#[test]
fn no_token_names_the_variable() {
    for d in ALL {
        let si = StandIn::start(d);
        let mut env = ci_env(&si, d);
        env.retain(|k, _| !k.contains("TOKEN"));
        let r = post_env(&si, d, BODY, &[], &env);
        assert_eq!(r.code, 2);
        let want = match d {
            Dialect::GitHub => "GitHub: no token: set GITHUB_TOKEN",
            Dialect::GitLab => "GitLab: no token: set GITLAB_TOKEN",
            Dialect::Bitbucket => "Bitbucket: no token: set BITBUCKET_TOKEN",
            Dialect::Azure => "Azure DevOps: no token: map the job token",
        };
        assert!(r.stderr.contains(want), "{d:?}: {}", r.stderr);
        assert!(si.log().is_empty(), "{d:?}: nothing sent without a token");
    }
}

#[test]
fn a_missing_permission_names_it() {
    let si = StandIn::start(Dialect::GitHub);
    si.force(Reply::json(200, json!([])));
    si.force(Reply::json(
        403,
        json!({"message": "Resource not accessible by integration", "documentation_url": "https://docs.github.com/rest/issues/comments#create-an-issue-comment", "status": "403"}),
    ));
    let r = post(&si, Dialect::GitHub, BODY, &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("GitHub denied the request (403: Resource not accessible by integration)")
            && r.stderr.contains("`permissions: pull-requests: write`"),
        "{}",
        r.stderr
    );
}

#[test]
fn gitlabs_job_token_is_sent_as_job_token_and_its_refusals_say_to_set_gitlab_token() {
    // without GITLAB_TOKEN, CI_JOB_TOKEN goes in JOB-TOKEN (GitLab's header for job tokens);
    // notes are not among the endpoints a job token reaches: 404 (the stand-in's own answer),
    // 401 or 403 all say what to use instead
    let hint = "CI_JOB_TOKEN usually cannot write merge request notes: set GITLAB_TOKEN to a project access token with the `api` scope";
    for forced in [
        None,
        Some(Reply::json(401, json!({"message": "401 Unauthorized"}))),
        Some(Reply::json(403, json!({"message": "403 Forbidden"}))),
    ] {
        let si = StandIn::start(Dialect::GitLab);
        let mut env = ci_env(&si, Dialect::GitLab);
        env.remove("GITLAB_TOKEN");
        env.insert("CI_JOB_TOKEN".into(), TOKEN.into());
        let status = forced.as_ref().map_or(404, |f| f.status);
        if let Some(f) = forced {
            si.force(f);
        }
        let r = post_env(&si, Dialect::GitLab, BODY, &[], &env);
        assert_eq!(r.code, 2);
        assert!(
            r.stderr.contains(&format!("({status}")) && r.stderr.contains(hint),
            "{status}: {}",
            r.stderr
        );
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert_eq!(si.log()[0].header("job-token"), Some(TOKEN));
        assert_eq!(si.log()[0].header("private-token"), None);
        assert!(si.comments().is_empty());
    }
    // with GITLAB_TOKEN, a 404 is only a 404
    let si = StandIn::start(Dialect::GitLab);
    let r = post(&si, Dialect::GitLab, BODY, &["--project", "99"]);
    assert!(!r.stderr.contains("CI_JOB_TOKEN"), "{}", r.stderr);
}

#[test]
fn not_found_says_what_to_check() {
    for d in ALL {
        let si = StandIn::start(d);
        let flags: &[&str] = match d {
            Dialect::GitHub => &["--repo", "o/missing"],
            Dialect::GitLab => &["--project", "99"],
            Dialect::Bitbucket => &["--repo", "missing"],
            Dialect::Azure => &["--pr", "404"],
        };
        let r = post(&si, d, BODY, flags);
        assert_eq!(r.code, 2, "{d:?}");
        assert!(
            r.stderr.contains("not found (404")
                && r.stderr
                    .contains("check the repository and pull request number"),
            "{d:?}: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains("for GET /"),
            "{d:?}: names the request: {}",
            r.stderr
        );
    }
}

#[test]
fn a_rejected_request_quotes_the_platform() {
    let si = StandIn::start(Dialect::GitHub);
    si.force(Reply::json(200, json!([])));
    si.force(Reply::json(
        422,
        json!({"message": "Validation Failed", "errors": [{"resource": "IssueComment", "code": "unprocessable", "field": "data", "message": "Unprocessable"}]}),
    ));
    let r = post(&si, Dialect::GitHub, BODY, &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("GitHub rejected the request (422: Validation Failed: Unprocessable)"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_short_rate_limit_is_waited_out() {
    for d in [Dialect::GitHub, Dialect::GitLab] {
        let si = StandIn::start(d);
        si.force(
            Reply::json(429, json!({"message": "API rate limit exceeded"}))
                .with("Retry-After", "1"),
        );
        let t = Instant::now();
        let r = post(&si, d, BODY, &[]);
        assert_eq!(r.code, 0, "{d:?}: {}", r.stderr);
        assert!(
            t.elapsed() >= Duration::from_secs(1),
            "waited per Retry-After"
        );
        let p = paths(d);
        assert_eq!(
            si.lines(),
            vec![p.list.clone(), p.list.clone(), p.create.clone()]
        );
    }
    // GitHub's secondary limit: 403 with x-ratelimit-remaining 0 and a reset epoch
    let si = StandIn::start(Dialect::GitHub);
    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    si.force(
        Reply::json(
            403,
            json!({"message": "API rate limit exceeded for installation"}),
        )
        .with("x-ratelimit-remaining", "0")
        .with("x-ratelimit-reset", &reset.to_string()),
    );
    let r = post(&si, Dialect::GitHub, BODY, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(si.comments().len(), 1);
}

#[test]
fn a_long_rate_limit_fails_at_once_saying_when_to_retry() {
    let si = StandIn::start(Dialect::GitHub);
    si.force(
        Reply::json(403, json!({"message": "API rate limit exceeded"}))
            .with("x-ratelimit-remaining", "0")
            .with("Retry-After", "3600"),
    );
    let t = Instant::now();
    let r = post(&si, Dialect::GitHub, BODY, &[]);
    assert!(t.elapsed() < Duration::from_secs(5));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("GitHub rate limit (status 403, retry-after: 3600, x-ratelimit-remaining: 0): retry in 3600 s, longer than keyblast waits at once (at most 60 s)"), "{}", r.stderr);
    assert_eq!(si.log().len(), 1);
}

#[test]
fn rate_limits_are_bounded_in_count() {
    let si = StandIn::start(Dialect::Bitbucket);
    for _ in 0..10 {
        si.force(Reply::json(429, json!({"type": "error", "error": {"message": "Rate limit for this resource has been exceeded"}})).with("Retry-After", "0"));
    }
    let r = post(&si, Dialect::Bitbucket, BODY, &[]);
    assert_eq!(r.code, 2);
    assert_eq!(si.log().len(), 4, "at most 4 attempts");
    assert!(
        r.stderr.contains(
            "Bitbucket rate limit (status 429, retry-after: 0, 4 attempts): still limited after waiting as asked"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn server_errors_are_retried_only_where_a_retry_cannot_duplicate() {
    // a GET is retried
    let si = StandIn::start(Dialect::GitLab);
    si.force(Reply::json(502, json!({"message": "502 Bad Gateway"})));
    let r = post(&si, Dialect::GitLab, BODY, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(si.comments().len(), 1);
    // a POST is not: it may have created the comment
    let si = StandIn::start(Dialect::GitLab);
    si.force(Reply::json(200, json!([])));
    si.force(Reply::json(
        500,
        json!({"message": "500 Internal Server Error"}),
    ));
    let r = post(&si, Dialect::GitLab, BODY, &[]);
    assert_eq!(r.code, 2);
    assert_eq!(
        si.lines().iter().filter(|l| l.starts_with("POST")).count(),
        1
    );
    assert!(
        r.stderr
            .contains("GitLab server error (500: 500 Internal Server Error)"),
        "{}",
        r.stderr
    );
}

#[test]
fn network_failures_are_network_errors() {
    // a port nothing listens on: bind, read the port, close
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let r = crate::common::cli_env(
        [
            "comment",
            "github",
            "--body-file",
            super::body_file(BODY).to_str().unwrap(),
            "--repo",
            "o/r",
            "--pr",
            "5",
            "--api-url",
            &format!("http://127.0.0.1:{port}/api/v3"),
        ],
        &[("GITHUB_TOKEN".to_string(), TOKEN.to_string())]
            .into_iter()
            .collect(),
        b"",
    );
    super::assert_no_token(&r);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot reach GitHub: GET /api/v3/repos/o/r/issues/5/comments on 127.0.0.1: connection failed"), "{}", r.stderr);
}

#[test]
fn allow_failure_warns_and_exits_0() {
    let si = StandIn::start(Dialect::Azure);
    let mut env = ci_env(&si, Dialect::Azure);
    env.insert("SYSTEM_ACCESSTOKEN".into(), "wrong".into());
    let r = post_env(&si, Dialect::Azure, BODY, &["--allow-failure"], &env);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.starts_with(
            "keyblast: warning: the comment was not posted: Azure DevOps refused the token"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn an_echoed_token_and_hostile_error_text_are_scrubbed() {
    for d in ALL {
        let si = StandIn::start(d);
        let msg = format!("bad token {TOKEN}\u{1b}[2J\nforged line\u{202e}");
        si.force(Reply::json(
            400,
            json!({"message": msg, "error": {"message": msg}}),
        ));
        let r = post(&si, d, BODY, &[]);
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains("bad token ***"), "{d:?}: {}", r.stderr);
        assert!(!r.stderr.contains('\u{1b}') && !r.stderr.contains('\u{202e}'));
        assert_eq!(
            r.stderr.lines().count(),
            1,
            "{d:?}: no forged line: {}",
            r.stderr
        );
    }
}

#[test]
fn the_token_goes_only_in_the_auth_header_and_only_to_the_api_origin() {
    for d in ALL {
        let si = StandIn::start(d);
        assert_eq!(post(&si, d, BODY, &[]).code, 0);
        for rec in si.log() {
            let carrying: Vec<&str> = rec
                .headers
                .iter()
                .filter(|(_, v)| v.contains(TOKEN))
                .map(|(k, _)| k.as_str())
                .collect();
            let expected = if d == Dialect::GitLab {
                "PRIVATE-TOKEN"
            } else {
                "Authorization"
            };
            assert_eq!(carrying.len(), 1, "{d:?}: {carrying:?}");
            assert!(carrying[0].eq_ignore_ascii_case(expected));
            assert!(!rec.url.contains(TOKEN) && !rec.body.contains(TOKEN));
            assert!(rec.header("user-agent").unwrap().starts_with("keyblast/"));
        }
        if d == Dialect::GitHub {
            let rec = &si.log()[0];
            assert_eq!(rec.header("accept"), Some("application/vnd.github+json"));
            assert_eq!(rec.header("x-github-api-version"), Some("2022-11-28"));
        }
        if d == Dialect::Azure {
            // a version every supported Azure DevOps Server takes (2019: up to 5.0)
            assert!(si.log().iter().all(|r| r.url.contains("api-version=5.0")));
        }
    }
    // a redirect to another origin is not followed (the token would go with it)
    let si = StandIn::start(Dialect::GitHub);
    si.force(Reply {
        status: 302,
        headers: vec![("Location".into(), "http://127.0.0.1:9/steal".into())],
        body: String::new(),
    });
    let r = post(&si, Dialect::GitHub, BODY, &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("redirect"), "{}", r.stderr);
    // nor a next-page link to another origin
    let si = StandIn::start(Dialect::Bitbucket);
    si.force(Reply::json(
        200,
        json!({"values": [], "next": "http://127.0.0.1:9/2.0/steal?page=2"}),
    ));
    let r = post(&si, Dialect::Bitbucket, BODY, &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("a next-page link to another origin (not followed)"),
        "{}",
        r.stderr
    );
    assert_eq!(si.log().len(), 1);
}

#[test]
fn the_real_binary_never_prints_the_token() {
    // the same failure through the executable, with the token in the process environment
    let si = StandIn::start(Dialect::GitHub);
    si.force(Reply::json(
        401,
        json!({"message": format!("Bad credentials {TOKEN}")}),
    ));
    let file = super::body_file(BODY);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_keyblast"))
        .args(["comment", "github", "--body-file"])
        .arg(&file)
        .args(["--repo", "o/r", "--pr", "5", "--api-url", &si.api()])
        .env_clear()
        .env("GITHUB_TOKEN", TOKEN)
        .env("RUST_BACKTRACE", "1")
        .env("RUST_LOG", "trace")
        .output()
        .unwrap();
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        e.contains("GitHub refused the token (401: Bad credentials ***)"),
        "{e}"
    );
    assert!(!o.contains(TOKEN) && !e.contains(TOKEN));
}

//! Where to post, from each CI system's environment; missing values name the flag and the
//! variable; `--dry-run` sends nothing.

use super::stand_in::{
    Dialect, StandIn, AZURE_PAT_USER, BITBUCKET_USER, BITBUCKET_USER_UUID, TOKEN,
};
use super::{ci_env, post_env, ALL};
use crate::common::{cli_env, temp_file};
use keyblast::comment::scrub::base64;
use std::collections::BTreeMap;

const BODY: &str = "<!-- keyblast:report -->\nreport\n";

#[test]
fn every_ci_variable_that_is_missing_is_named_with_its_flag() {
    let cases: &[(Dialect, &str, &str)] = &[
        (Dialect::GitHub, "GITHUB_REPOSITORY", "no repository: pass --repo OWNER/NAME (in CI, GITHUB_REPOSITORY gives it)"),
        (Dialect::GitHub, "GITHUB_EVENT_PATH", "no pull request: pass --pr N (in CI, GITHUB_EVENT_PATH gives it)"),
        (Dialect::GitLab, "CI_PROJECT_ID", "no project: pass --project ID|PATH (in CI, CI_PROJECT_ID gives it)"),
        (Dialect::GitLab, "CI_MERGE_REQUEST_IID", "no merge request: pass --mr IID (in CI, CI_MERGE_REQUEST_IID (set in merge request pipelines) gives it)"),
        (Dialect::Bitbucket, "BITBUCKET_WORKSPACE", "no workspace: pass --workspace W (in CI, BITBUCKET_WORKSPACE gives it)"),
        (Dialect::Bitbucket, "BITBUCKET_REPO_SLUG", "no repository: pass --repo SLUG (in CI, BITBUCKET_REPO_SLUG gives it)"),
        (Dialect::Bitbucket, "BITBUCKET_PR_ID", "no pull request: pass --pr N (in CI, BITBUCKET_PR_ID (set in pull-request pipelines) gives it)"),
        (Dialect::Azure, "SYSTEM_COLLECTIONURI", "no organisation URL: pass --org-url URL (in CI, SYSTEM_COLLECTIONURI gives it)"),
        (Dialect::Azure, "SYSTEM_TEAMPROJECT", "no project: pass --project P (in CI, SYSTEM_TEAMPROJECT gives it)"),
        (Dialect::Azure, "BUILD_REPOSITORY_ID", "no repository: pass --repo ID (in CI, BUILD_REPOSITORY_ID gives it)"),
        (Dialect::Azure, "SYSTEM_PULLREQUEST_PULLREQUESTID", "no pull request: pass --pr N (in CI, SYSTEM_PULLREQUEST_PULLREQUESTID (set in pull-request builds) gives it)"),
    ];
    for (d, var, want) in cases {
        let si = StandIn::start(*d);
        let mut env = ci_env(&si, *d);
        assert!(env.remove(*var).is_some(), "{var}");
        let r = post_env(&si, *d, BODY, &[], &env);
        assert_eq!(r.code, 2, "{var}");
        assert_eq!(
            r.stderr,
            format!("keyblast: error: the comment was not posted: {want}\n"),
            "{var}"
        );
        assert!(si.log().is_empty());
    }
}

#[test]
fn flags_win_over_the_environment() {
    let si = StandIn::start(Dialect::GitLab);
    let mut env = ci_env(&si, Dialect::GitLab);
    env.insert("CI_PROJECT_ID".into(), "999".into());
    env.insert("CI_MERGE_REQUEST_IID".into(), "1".into());
    // a project path is one URL segment: group%2Fproject
    let r = post_env(
        &si,
        Dialect::GitLab,
        BODY,
        &["--project", "group/project", "--mr", "7"],
        &env,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(si.log()[0]
        .url
        .starts_with("/api/v4/projects/group%2Fproject/merge_requests/7/notes?"));
}

#[test]
fn github_takes_the_pull_request_from_the_event_payload() {
    let si = StandIn::start(Dialect::GitHub);
    // issue_comment on a pull request: the number is the issue's
    let mut env = ci_env(&si, Dialect::GitHub);
    let ev = temp_file(
        "event-issue-comment.json",
        br#"{"issue":{"number":5,"pull_request":{"url":"x"}},"comment":{"id":1}}"#,
    );
    env.insert("GITHUB_EVENT_PATH".into(), ev.to_str().unwrap().into());
    assert_eq!(post_env(&si, Dialect::GitHub, BODY, &[], &env).code, 0);
    assert_eq!(si.comments().len(), 1);
    // a push event is not about a pull request
    let ev = temp_file(
        "event-push.json",
        br#"{"ref":"refs/heads/main","commits":[]}"#,
    );
    env.insert("GITHUB_EVENT_PATH".into(), ev.to_str().unwrap().into());
    env.insert("GITHUB_EVENT_NAME".into(), "push".into());
    let r = post_env(&si, Dialect::GitHub, BODY, &[], &env);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("this GitHub Actions event (push) is not about a pull request: pass --pr N"),
        "{}",
        r.stderr
    );
    // --pr wins
    assert_eq!(
        post_env(&si, Dialect::GitHub, BODY, &["--pr", "5"], &env).code,
        0
    );
    // an endless payload is refused at its cap, like every input
    env.insert("GITHUB_EVENT_PATH".into(), "/dev/zero".into());
    let r = post_env(&si, Dialect::GitHub, BODY, &[], &env);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(
            "GITHUB_EVENT_PATH: /dev/zero: the event payload is larger than 67108864 bytes (64 MiB)"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn github_enterprise_graphql_is_found_beside_rest() {
    // without GITHUB_GRAPHQL_URL, https://HOST/api/v3 → https://HOST/api/graphql
    let si = StandIn::start(Dialect::GitHub);
    let old = si.seed(BODY);
    let mut env = ci_env(&si, Dialect::GitHub);
    env.remove("GITHUB_GRAPHQL_URL");
    let r = post_env(
        &si,
        Dialect::GitHub,
        "<!-- keyblast:report -->\nnew\n",
        &["--behavior", "hide-and-new"],
        &env,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(si.comments().iter().find(|c| c.id == old).unwrap().hidden);
}

#[test]
fn azure_threads_are_closed_unless_asked_active() {
    let si = StandIn::start(Dialect::Azure);
    assert_eq!(
        post_env(
            &si,
            Dialect::Azure,
            BODY,
            &["--tag", "a"],
            &ci_env(&si, Dialect::Azure)
        )
        .code,
        0
    );
    assert_eq!(si.log()[1].json()["status"], 4);
    assert_eq!(si.log()[1].json()["comments"][0]["parentCommentId"], 0);
    si.clear_log();
    let r = post_env(
        &si,
        Dialect::Azure,
        BODY,
        &["--tag", "b", "--thread-status", "active"],
        &ci_env(&si, Dialect::Azure),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(si.log()[1].json()["status"], 1);
}

#[test]
fn azure_accepts_a_personal_access_token_as_basic_auth() {
    let si = StandIn::start(Dialect::Azure);
    let mut env = ci_env(&si, Dialect::Azure);
    env.remove("SYSTEM_ACCESSTOKEN");
    env.insert("AZURE_DEVOPS_EXT_PAT".into(), TOKEN.into());
    // sent as Basic with an empty user name; its account is the PAT's user
    let old = si.seed_by(BODY, AZURE_PAT_USER);
    let r = post_env(
        &si,
        Dialect::Azure,
        "<!-- keyblast:report -->\nnew\n",
        &[],
        &env,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for rec in si.log() {
        assert_eq!(
            rec.header("authorization").unwrap(),
            format!("Basic {}", base64(format!(":{TOKEN}").as_bytes(), false))
        );
    }
    assert!(
        r.stderr
            .contains(&format!("updated comment 1 in thread {old}")),
        "{}",
        r.stderr
    );
    // a refused PAT (a sign-in page, 203) says so
    env.insert("AZURE_DEVOPS_EXT_PAT".into(), format!("{TOKEN}-revoked"));
    let r = post_env(&si, Dialect::Azure, BODY, &[], &env);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("AZURE_DEVOPS_EXT_PAT is not valid"),
        "{}",
        r.stderr
    );
}

#[test]
fn bitbucket_api_tokens_go_as_basic_with_the_user_name_and_can_say_who_they_are() {
    let si = StandIn::start(Dialect::Bitbucket);
    let mut env = ci_env(&si, Dialect::Bitbucket);
    env.insert("BITBUCKET_USERNAME".into(), BITBUCKET_USER.into());
    let old = si.seed_by(BODY, BITBUCKET_USER_UUID);
    let r = post_env(
        &si,
        Dialect::Bitbucket,
        "<!-- keyblast:report -->\nnew\n",
        &[],
        &env,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let auth = si.log()[0].header("authorization").unwrap().to_string();
    assert_eq!(
        auth,
        format!(
            "Basic {}",
            base64(format!("{BITBUCKET_USER}:{TOKEN}").as_bytes(), false)
        )
    );
    // GET /user answers for an account's token: the comment is edited in place
    let p = super::paths(Dialect::Bitbucket);
    assert_eq!(
        si.lines(),
        vec![
            p.list,
            p.whoami,
            format!("PUT {}", super::comment_path(Dialect::Bitbucket, old))
        ]
    );
}

#[test]
fn dry_run_sends_nothing_and_says_what_it_would_send() {
    for d in ALL {
        let si = StandIn::start(d);
        let mut env = ci_env(&si, d);
        // a dry run needs no token
        env.retain(|k, _| !k.contains("TOKEN"));
        let r = post_env(
            &si,
            d,
            BODY,
            &["--dry-run", "--behavior", "hide-and-new"],
            &env,
        );
        assert_eq!(r.code, 0, "{d:?}: {}", r.stderr);
        assert!(si.log().is_empty(), "{d:?}: sent {:?}", si.lines());
        assert!(r.stdout.starts_with("keyblast: dry run: "), "{}", r.stdout);
        assert!(r.stdout.contains("nothing is sent"));
        let body_len = "<!-- keyblast:report -->\nreport\n".len();
        assert!(
            r.stdout.contains(&format!("body {body_len} ")),
            "{d:?}: {}",
            r.stdout
        );
        let p = super::paths(d);
        assert!(r.stdout.contains(&p.list), "{d:?}: {}", r.stdout);
        assert!(
            r.stdout.contains(&p.whoami)
                && r.stdout
                    .contains(" when a marked comment exists (who the token is"),
            "{d:?}: {}",
            r.stdout
        );
        if d == Dialect::GitHub {
            assert!(
                r.stdout.contains(
                    "POST /api/graphql for each earlier marked comment of the token's account not hidden yet (hide as outdated"
                ),
                "{}",
                r.stdout
            );
        } else {
            assert!(r.stdout.contains("cannot hide comments"), "{}", r.stdout);
        }
    }
}

#[test]
fn body_file_from_standard_input_and_its_limits() {
    let si = StandIn::start(Dialect::GitHub);
    let env = ci_env(&si, Dialect::GitHub);
    let r = cli_env(
        ["comment", "github", "--body-file", "-"],
        &env,
        b"from stdin\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        si.comments()[0].body,
        "<!-- keyblast:report -->\nfrom stdin\n"
    );
    let r = cli_env(
        ["comment", "github", "--body-file", "-"],
        &env,
        b"\xff\xfe bad",
    );
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "keyblast: error: standard input: the comment body is not UTF-8\n"
    );
    let r = cli_env(
        ["comment", "github", "--body-file", "/nonexistent/x.md"],
        &env,
        b"",
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("keyblast: error: /nonexistent/x.md: cannot read the comment body"),
        "{}",
        r.stderr
    );
    let huge = vec![b'a'; (16 << 20) + 1];
    let r = cli_env(["comment", "github", "--body-file", "-"], &env, &huge);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("the comment body is larger than 16777216 bytes (16 MiB)"),
        "{}",
        r.stderr
    );
}

#[test]
fn tags_are_validated() {
    let env = BTreeMap::new();
    for bad in ["has space", "x-->", "", &"t".repeat(101)] {
        let r = cli_env(
            ["comment", "github", "--body-file", "-", "--tag", bad],
            &env,
            b"x",
        );
        assert_eq!(r.code, 2, "{bad}");
        assert!(r.stderr.contains("a tag is 1 to 100 of"), "{}", r.stderr);
    }
}

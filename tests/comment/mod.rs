//! The PR comment bot against stand-in API servers on loopback: each behaviour's exact request
//! sequence, pagination, size limits, error classes and messages, headers, the token absent from
//! all output, and environment detection for each CI system.

mod analyze;
mod behaviours;
mod environment;
mod errors;
mod limits;
mod ownership;
pub mod stand_in;

use crate::common::{cli_env, temp_file, Run};
use stand_in::{Dialect, StandIn, TOKEN};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub const ALL: [Dialect; 4] = [
    Dialect::GitHub,
    Dialect::GitLab,
    Dialect::Bitbucket,
    Dialect::Azure,
];

pub fn subcommand(d: Dialect) -> &'static str {
    match d {
        Dialect::GitHub => "github",
        Dialect::GitLab => "gitlab",
        Dialect::Bitbucket => "bitbucket",
        Dialect::Azure => "azure-devops",
    }
}

/// The environment the platform's CI gives a job on a pull request, pointing at `si`.
pub fn ci_env(si: &StandIn, d: Dialect) -> BTreeMap<String, String> {
    let mut e = BTreeMap::new();
    let mut set = |k: &str, v: &str| {
        e.insert(k.to_string(), v.to_string());
    };
    match d {
        Dialect::GitHub => {
            let event = temp_file(
                &format!("event-{}.json", si.origin.replace([':', '/', '.'], "_")),
                br#"{"action":"synchronize","number":5,"pull_request":{"number":5}}"#,
            );
            set("GITHUB_ACTIONS", "true");
            set("GITHUB_API_URL", &si.api());
            set("GITHUB_GRAPHQL_URL", &format!("{}/api/graphql", si.origin));
            set("GITHUB_REPOSITORY", "o/r");
            set("GITHUB_EVENT_NAME", "pull_request");
            set("GITHUB_EVENT_PATH", event.to_str().unwrap());
            set("GITHUB_TOKEN", TOKEN);
        }
        Dialect::GitLab => {
            set("GITLAB_CI", "true");
            set("CI_API_V4_URL", &si.api());
            set("CI_PROJECT_ID", "42");
            set("CI_MERGE_REQUEST_IID", "7");
            set("GITLAB_TOKEN", TOKEN);
        }
        Dialect::Bitbucket => {
            set("BITBUCKET_WORKSPACE", "ws");
            set("BITBUCKET_REPO_SLUG", "infra");
            set("BITBUCKET_PR_ID", "3");
            set("BITBUCKET_TOKEN", TOKEN);
        }
        Dialect::Azure => {
            set("TF_BUILD", "True");
            set("SYSTEM_COLLECTIONURI", &format!("{}/org", si.origin));
            set("SYSTEM_TEAMPROJECT", "My Project");
            set("BUILD_REPOSITORY_ID", "repo-1");
            set("SYSTEM_PULLREQUEST_PULLREQUESTID", "9");
            set("SYSTEM_ACCESSTOKEN", TOKEN);
        }
    }
    e
}

/// Flags a job needs beyond its environment (Bitbucket Pipelines has no API-URL variable).
pub fn extra_flags(si: &StandIn, d: Dialect) -> Vec<String> {
    match d {
        Dialect::Bitbucket => vec!["--api-url".into(), si.api()],
        _ => Vec::new(),
    }
}

pub fn body_file(text: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    temp_file(&format!("comment-body-{n}.md"), text.as_bytes())
}

/// `keyblast comment <platform> --body-file FILE [flags]` in the platform's CI environment.
pub fn post(si: &StandIn, d: Dialect, body: &str, flags: &[&str]) -> Run {
    post_env(si, d, body, flags, &ci_env(si, d))
}

pub fn post_env(
    si: &StandIn,
    d: Dialect,
    body: &str,
    flags: &[&str],
    env: &BTreeMap<String, String>,
) -> Run {
    let file = body_file(body);
    let mut args: Vec<String> = vec![
        "comment".into(),
        subcommand(d).into(),
        "--body-file".into(),
        file.to_str().unwrap().into(),
    ];
    args.extend(extra_flags(si, d));
    args.extend(flags.iter().map(|s| s.to_string()));
    let r = cli_env(args, env, b"");
    assert_no_token(&r);
    r
}

/// The token never reaches stdout or stderr, whatever happened.
pub fn assert_no_token(r: &Run) {
    assert!(
        !r.stdout.contains(TOKEN) && !r.stderr.contains(TOKEN),
        "token leaked: {}{}",
        r.stdout,
        r.stderr
    );
    assert!(
        !r.stderr.contains("7f3a9c"),
        "part of the token leaked: {}",
        r.stderr
    );
}

/// How the platform spells each request of a behaviour (method, path), for exact sequences.
pub struct Paths {
    pub list: String,
    pub create: String,
    /// Who the token is (asked once a marked comment exists).
    pub whoami: String,
    pub edit_method: &'static str,
    pub delete_method: &'static str,
}

pub fn paths(d: Dialect) -> Paths {
    match d {
        Dialect::GitHub => Paths {
            list: "GET /api/v3/repos/o/r/issues/5/comments".into(),
            create: "POST /api/v3/repos/o/r/issues/5/comments".into(),
            whoami: "POST /api/graphql".into(),
            edit_method: "PATCH",
            delete_method: "DELETE",
        },
        Dialect::GitLab => Paths {
            list: "GET /api/v4/projects/42/merge_requests/7/notes".into(),
            create: "POST /api/v4/projects/42/merge_requests/7/notes".into(),
            whoami: "GET /api/v4/user".into(),
            edit_method: "PUT",
            delete_method: "DELETE",
        },
        Dialect::Bitbucket => Paths {
            list: "GET /2.0/repositories/ws/infra/pullrequests/3/comments".into(),
            create: "POST /2.0/repositories/ws/infra/pullrequests/3/comments".into(),
            whoami: "GET /2.0/user".into(),
            edit_method: "PUT",
            delete_method: "DELETE",
        },
        Dialect::Azure => Paths {
            list: "GET /org/My%20Project/_apis/git/repositories/repo-1/pullRequests/9/threads"
                .into(),
            create: "POST /org/My%20Project/_apis/git/repositories/repo-1/pullRequests/9/threads"
                .into(),
            whoami: "GET /org/_apis/connectionData".into(),
            edit_method: "PATCH",
            delete_method: "DELETE",
        },
    }
}

/// True when the token the CI environment gives can say who it is: a Bitbucket repository
/// access token cannot (`GET /user` refuses it), so there keyblast learns its account from the
/// comment it posts, and `update` replaces its comment instead of editing it.
pub fn knows_identity(d: Dialect) -> bool {
    d != Dialect::Bitbucket
}

/// How messages name the comment with `id`.
pub fn label(d: Dialect, id: u64) -> String {
    match d {
        Dialect::Azure => format!("1 in thread {id}"),
        _ => id.to_string(),
    }
}

/// The path of one comment's edit/delete request.
pub fn comment_path(d: Dialect, id: u64) -> String {
    match d {
        Dialect::GitHub => format!("/api/v3/repos/o/r/issues/comments/{id}"),
        Dialect::GitLab => format!("/api/v4/projects/42/merge_requests/7/notes/{id}"),
        Dialect::Bitbucket => format!("/2.0/repositories/ws/infra/pullrequests/3/comments/{id}"),
        Dialect::Azure => format!(
            "/org/My%20Project/_apis/git/repositories/repo-1/pullRequests/9/threads/{id}/comments/1"
        ),
    }
}

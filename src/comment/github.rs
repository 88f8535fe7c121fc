//! GitHub and GitHub Enterprise Server: issue comments of a pull request (REST), hidden as
//! outdated with GraphQL's `minimizeComment`.
//!
//! In GitHub Actions: `GITHUB_API_URL` (`https://api.github.com`, or `https://HOST/api/v3`),
//! `GITHUB_GRAPHQL_URL`, `GITHUB_REPOSITORY`, and the pull-request number from the event
//! payload at `GITHUB_EVENT_PATH` (`pull_request`, `pull_request_target`, and `issue_comment`
//! on a pull request). The token is `GITHUB_TOKEN` (or `GH_TOKEN`).

use super::env::{number, pick, Env};
use super::error::CommentError;
use super::http::{Auth, Hints, Http, Method, Secret};
use super::platform::{
    id_of, join, json, next_link, planned, text_at, Existing, Platform, Requests, MAX_PAGES,
};
use super::Settings;
use crate::report::markdown::Limit;
use reqwest::Url;
use serde_json::json as j;
use std::collections::BTreeSet;

const NAME: &str = "GitHub";
const DEFAULT_API: &str = "https://api.github.com";
/// Largest event payload read.
const MAX_EVENT: u64 = 64 << 20;

pub struct GitHub {
    api: Url,
    graphql: Url,
    owner: String,
    repo: String,
    pr: u64,
}

pub fn auth(env: &dyn Env) -> Result<Auth, CommentError> {
    env.var("GITHUB_TOKEN")
        .or_else(|| env.var("GH_TOKEN"))
        .map(|t| Auth::Bearer(Secret::new(t)))
        .ok_or(CommentError::NoToken {
            platform: NAME,
            hint: "set GITHUB_TOKEN (in GitHub Actions: `env: GITHUB_TOKEN: ${{ github.token }}`)"
                .into(),
        })
}

pub fn api_url(s: &Settings, env: &dyn Env) -> Result<Url, CommentError> {
    let raw = s
        .api_url
        .clone()
        .or_else(|| env.var("GITHUB_API_URL"))
        .unwrap_or_else(|| DEFAULT_API.into());
    parse_api(&raw, "--api-url / GITHUB_API_URL")
}

/// An API root: http(s), no query or fragment.
pub fn parse_api(raw: &str, what: &str) -> Result<Url, CommentError> {
    let u = Url::parse(raw.trim()).map_err(|e| {
        CommentError::Invalid(format!(
            "{what} is not a URL ({e}): {}",
            super::scrub::scrub(raw, &[])
        ))
    })?;
    if !matches!(u.scheme(), "https" | "http") || u.host_str().is_none() || u.cannot_be_a_base() {
        return Err(CommentError::Invalid(format!(
            "{what} must be an http(s) URL: {}",
            super::scrub::scrub(raw, &[])
        )));
    }
    Ok(u)
}

/// GraphQL beside REST: `https://api.github.com/graphql`, or `https://HOST/api/graphql` for
/// Enterprise Server's `https://HOST/api/v3`.
fn graphql_of(api: &Url) -> Url {
    let path = api.path().trim_end_matches('/');
    let mut u = api.clone();
    match path.strip_suffix("/v3") {
        Some(prefix) => u.set_path(&format!("{prefix}/graphql")),
        None => u.set_path(&format!("{path}/graphql")),
    }
    u
}

/// The pull-request number in an Actions event payload.
fn pr_from_event(env: &dyn Env) -> Result<u64, CommentError> {
    let missing = CommentError::Missing {
        what: "pull request number",
        flag: "--pr N",
        variable: "GITHUB_EVENT_PATH (a pull_request event's payload)",
    };
    let Some(path) = env.var("GITHUB_EVENT_PATH") else {
        return Err(missing);
    };
    // through the reader every input goes through: capped as it is read, never hanging on a
    // named pipe
    let limits = crate::input::Limits {
        max_bytes: MAX_EVENT,
        ..Default::default()
    };
    let text = crate::input::read(std::path::Path::new(&path), "event payload", None, &limits)
        .map_err(|e| CommentError::Invalid(format!("GITHUB_EVENT_PATH: {e}")))?;
    let v: serde_json::Value = serde_json::from_slice(&text).map_err(|e| {
        CommentError::Invalid(format!(
            "GITHUB_EVENT_PATH: the event payload is not JSON: {e}"
        ))
    })?;
    let n = v
        .pointer("/pull_request/number")
        .or_else(|| {
            v.get("issue")
                .filter(|i| i.get("pull_request").is_some())
                .and_then(|i| i.get("number"))
        })
        .and_then(|n| n.as_u64());
    n.ok_or_else(|| {
        let event = env.var("GITHUB_EVENT_NAME").unwrap_or_else(|| "unknown".into());
        CommentError::Invalid(format!(
            "this GitHub Actions event ({}) is not about a pull request: pass --pr N, or run on pull_request",
            super::scrub::scrub(&event, &[])
        ))
    })
}

impl GitHub {
    pub fn from_settings(s: &Settings, env: &dyn Env) -> Result<Self, CommentError> {
        let api = api_url(s, env)?;
        let graphql = match (&s.api_url, env.var("GITHUB_GRAPHQL_URL")) {
            (None, Some(g)) => parse_api(&g, "GITHUB_GRAPHQL_URL")?,
            _ => graphql_of(&api),
        };
        let full = pick(
            s.repo.as_deref(),
            env,
            "repository",
            "--repo OWNER/NAME",
            "GITHUB_REPOSITORY",
        )?;
        let (owner, repo) = full
            .split_once('/')
            .filter(|(o, r)| !o.is_empty() && !r.is_empty() && !r.contains('/'))
            .ok_or_else(|| {
                CommentError::Invalid(format!(
                    "the repository must be OWNER/NAME: {}",
                    super::scrub::scrub(&full, &[])
                ))
            })?;
        let pr = match s.pr {
            Some(n) => n,
            None => match env.var("GITHUB_EVENT_PATH") {
                Some(_) => pr_from_event(env)?,
                None => number(None, env, "pull request", "--pr N", "GITHUB_EVENT_PATH")?,
            },
        };
        Ok(Self {
            api,
            graphql,
            owner: owner.to_string(),
            repo: repo.to_string(),
            pr,
        })
    }

    fn comments_url(&self) -> Url {
        let pr = self.pr.to_string();
        join(
            &self.api,
            &["repos", &self.owner, &self.repo, "issues", &pr, "comments"],
        )
    }

    fn comment_url(&self, id: &str) -> Url {
        join(
            &self.api,
            &["repos", &self.owner, &self.repo, "issues", "comments", id],
        )
    }

    fn existing(v: &serde_json::Value) -> Option<Existing> {
        Some(Existing {
            id: id_of(v.get("id")?)?,
            body: v
                .get("body")
                .and_then(|b| b.as_str())
                .unwrap_or("")
                .to_string(),
            handle: v
                .get("node_id")
                .and_then(|n| n.as_str())
                .map(str::to_string),
            author: text_at(v, "/user/login"),
        })
    }

    /// Sends a GraphQL query; its `data`, or its `errors` as a rejection.
    fn graphql(
        &self,
        http: &Http,
        what: &str,
        query: &str,
        variables: serde_json::Value,
    ) -> Result<serde_json::Value, CommentError> {
        let r = http.send(
            Method::Post,
            &self.graphql,
            Some(&j!({ "query": query, "variables": variables })),
        )?;
        let v = json(NAME, what, &r.body)?;
        if let Some(errors) = v
            .get("errors")
            .and_then(|e| e.as_array())
            .filter(|e| !e.is_empty())
        {
            let msg = errors
                .iter()
                .filter_map(|e| e.get("message").and_then(|m| m.as_str()))
                .collect::<Vec<_>>()
                .join("; ");
            return Err(CommentError::Rejected {
                platform: NAME,
                status: r.status,
                detail: format!(": {what}: {}", http.scrub(&msg)),
            });
        }
        Ok(v.get("data").cloned().unwrap_or_default())
    }
}

impl Platform for GitHub {
    fn name(&self) -> &'static str {
        NAME
    }

    fn limit(&self) -> Limit {
        super::PlatformKind::Github.limit()
    }

    fn place(&self) -> String {
        format!("{}/{}#{}", self.owner, self.repo, self.pr)
    }

    fn origin(&self) -> &Url {
        &self.api
    }

    fn headers(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            ("Accept", "application/vnd.github+json"),
            ("X-GitHub-Api-Version", "2022-11-28"),
        ]
    }

    fn hints(&self, _auth: &Auth) -> Hints {
        Hints {
            unauthorized: "GITHUB_TOKEN is not valid (expired, revoked, or for another host)".into(),
            forbidden: "the token may not comment on this pull request: in GitHub Actions give the job `permissions: pull-requests: write` (a pull request from a fork gets a read-only token; see docs/ci.md)".into(),
        }
    }

    fn list(&self, http: &Http) -> Result<Vec<Existing>, CommentError> {
        let mut url = self.comments_url();
        url.query_pairs_mut().append_pair("per_page", "100");
        let mut out = Vec::new();
        for _ in 0..MAX_PAGES {
            let r = http.send(Method::Get, &url, None)?;
            let v = json(NAME, "the comment list", &r.body)?;
            let items = v.as_array().ok_or_else(|| CommentError::Unexpected {
                platform: NAME,
                detail: "the comment list is not a JSON array".into(),
            })?;
            out.extend(items.iter().filter_map(Self::existing));
            match r.header("link").and_then(next_link) {
                Some(next) => {
                    let next = Url::parse(&next).map_err(|_| CommentError::Unexpected {
                        platform: NAME,
                        detail: "a next-page link that is not a URL".into(),
                    })?;
                    if !http.same_origin(&next) {
                        return Err(CommentError::Unexpected {
                            platform: NAME,
                            detail: "a next-page link to another origin (not followed)".into(),
                        });
                    }
                    url = next;
                }
                None => return Ok(out),
            }
        }
        Err(CommentError::Unexpected {
            platform: NAME,
            detail: format!("more than {MAX_PAGES} pages of comments"),
        })
    }

    fn create(&self, http: &Http, body: &str) -> Result<Existing, CommentError> {
        let r = http.send(
            Method::Post,
            &self.comments_url(),
            Some(&j!({ "body": body })),
        )?;
        let v = json(NAME, "the created comment", &r.body)?;
        Self::existing(&v).ok_or(CommentError::Unexpected {
            platform: NAME,
            detail: "the created comment has no id".into(),
        })
    }

    fn update(&self, http: &Http, c: &Existing, body: &str) -> Result<(), CommentError> {
        http.send(
            Method::Patch,
            &self.comment_url(&c.id),
            Some(&j!({ "body": body })),
        )?;
        Ok(())
    }

    fn delete(&self, http: &Http, c: &Existing) -> Result<(), CommentError> {
        http.send(Method::Delete, &self.comment_url(&c.id), None)?;
        Ok(())
    }

    /// GraphQL's `viewer`: REST's `GET /user` refuses installation tokens (Actions'
    /// `GITHUB_TOKEN`), `viewer` names them (`github-actions[bot]`) as it names a user.
    fn whoami(&self, http: &Http) -> Result<String, CommentError> {
        let data = self.graphql(
            http,
            "who the token is",
            "query { viewer { login } }",
            j!({}),
        )?;
        text_at(&data, "/viewer/login").ok_or(CommentError::Unexpected {
            platform: NAME,
            detail: "the GraphQL viewer has no login".into(),
        })
    }

    /// REST's comment list does not say whether a comment is minimised: GraphQL's
    /// `isMinimized` does, 100 node ids per query.
    fn hidden(&self, http: &Http, comments: &[Existing]) -> Result<BTreeSet<String>, CommentError> {
        let by_node: Vec<(&str, &str)> = comments
            .iter()
            .filter_map(|c| c.handle.as_deref().map(|h| (h, c.id.as_str())))
            .collect();
        let mut out = BTreeSet::new();
        for chunk in by_node.chunks(100) {
            let ids: Vec<&str> = chunk.iter().map(|(h, _)| *h).collect();
            let data = self.graphql(
                http,
                "which comments are hidden",
                "query($ids: [ID!]!) { nodes(ids: $ids) { ... on IssueComment { id isMinimized } } }",
                j!({ "ids": ids }),
            )?;
            for n in data
                .get("nodes")
                .and_then(|n| n.as_array())
                .into_iter()
                .flatten()
            {
                if n.get("isMinimized").and_then(|m| m.as_bool()) == Some(true) {
                    let node = n.get("id").and_then(|i| i.as_str());
                    out.extend(
                        chunk
                            .iter()
                            .filter(|(h, _)| Some(*h) == node)
                            .map(|(_, id)| id.to_string()),
                    );
                }
            }
        }
        Ok(out)
    }

    fn hide(&self, http: &Http, c: &Existing) -> Option<Result<(), CommentError>> {
        let Some(node) = &c.handle else {
            return Some(Err(CommentError::Unexpected {
                platform: NAME,
                detail: format!("comment {} has no node_id to hide it by", c.id),
            }));
        };
        let query = "mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }";
        Some(
            self.graphql(
                http,
                &format!("hiding comment {}", c.id),
                query,
                j!({ "id": node }),
            )
            .map(|_| ()),
        )
    }

    fn requests(&self) -> Requests {
        let mut list = self.comments_url();
        list.query_pairs_mut().append_pair("per_page", "100");
        Requests {
            list: planned(Method::Get, &list),
            whoami: planned(Method::Post, &self.graphql),
            create: planned(Method::Post, &self.comments_url()),
            update: planned(Method::Patch, &self.comment_url("{id}")),
            delete: planned(Method::Delete, &self.comment_url("{id}")),
            hide: Some(planned(Method::Post, &self.graphql)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphql_beside_rest() {
        let g = |s: &str| graphql_of(&Url::parse(s).unwrap()).to_string();
        assert_eq!(
            g("https://api.github.com"),
            "https://api.github.com/graphql"
        );
        assert_eq!(
            g("https://ghe.example.com/api/v3"),
            "https://ghe.example.com/api/graphql"
        );
        assert_eq!(
            g("https://ghe.example.com/api/v3/"),
            "https://ghe.example.com/api/graphql"
        );
    }
}

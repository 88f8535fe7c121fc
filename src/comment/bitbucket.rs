//! Bitbucket Cloud: comments of a pull request (API 2.0). Bitbucket cannot hide a comment, so
//! `hide-and-new` deletes instead.
//!
//! In Bitbucket Pipelines: `BITBUCKET_WORKSPACE`, `BITBUCKET_REPO_SLUG`, `BITBUCKET_PR_ID`
//! (pull-request pipelines only). The token is `BITBUCKET_TOKEN`: a repository or workspace
//! access token with the `pullrequest:write` scope, sent as `Authorization: Bearer`; with
//! `BITBUCKET_USERNAME` also set (an Atlassian account e-mail and its API token), the pair is
//! sent as HTTP Basic instead.

use super::env::{number, pick, Env};
use super::error::CommentError;
use super::github::parse_api;
use super::http::{Auth, Hints, Http, Method, Secret};
use super::platform::{
    id_of, join, json, planned, text_at, Existing, Platform, Requests, MAX_PAGES,
};
use super::Settings;
use crate::report::markdown::Limit;
use reqwest::Url;
use serde_json::json as j;

const NAME: &str = "Bitbucket";
const DEFAULT_API: &str = "https://api.bitbucket.org/2.0";

pub struct Bitbucket {
    api: Url,
    workspace: String,
    repo: String,
    pr: u64,
}

pub fn auth(env: &dyn Env) -> Result<Auth, CommentError> {
    let token = env.var("BITBUCKET_TOKEN").ok_or(CommentError::NoToken {
        platform: NAME,
        hint: "set BITBUCKET_TOKEN to a repository access token with the `pullrequest:write` scope (a secured repository variable)".into(),
    })?;
    Ok(match env.var("BITBUCKET_USERNAME") {
        Some(user) => Auth::Basic {
            user,
            password: Secret::new(token),
        },
        None => Auth::Bearer(Secret::new(token)),
    })
}

impl Bitbucket {
    pub fn from_settings(s: &Settings, env: &dyn Env) -> Result<Self, CommentError> {
        let raw = s.api_url.clone().unwrap_or_else(|| DEFAULT_API.into());
        Ok(Self {
            api: parse_api(&raw, "--api-url")?,
            workspace: pick(
                s.workspace.as_deref(),
                env,
                "workspace",
                "--workspace W",
                "BITBUCKET_WORKSPACE",
            )?,
            repo: pick(
                s.repo.as_deref(),
                env,
                "repository",
                "--repo SLUG",
                "BITBUCKET_REPO_SLUG",
            )?,
            pr: number(
                s.pr,
                env,
                "pull request",
                "--pr N",
                "BITBUCKET_PR_ID (set in pull-request pipelines)",
            )?,
        })
    }

    fn comments_url(&self) -> Url {
        let pr = self.pr.to_string();
        join(
            &self.api,
            &[
                "repositories",
                &self.workspace,
                &self.repo,
                "pullrequests",
                &pr,
                "comments",
            ],
        )
    }

    fn comment_url(&self, id: &str) -> Url {
        let pr = self.pr.to_string();
        join(
            &self.api,
            &[
                "repositories",
                &self.workspace,
                &self.repo,
                "pullrequests",
                &pr,
                "comments",
                id,
            ],
        )
    }

    fn list_url(&self) -> Url {
        let mut u = self.comments_url();
        u.query_pairs_mut().append_pair("pagelen", "100");
        u
    }

    /// A top-level, not deleted comment (inline comments on the diff and replies are never
    /// keyblast's).
    fn existing(v: &serde_json::Value) -> Option<Existing> {
        if v.get("deleted").and_then(|d| d.as_bool()) == Some(true)
            || v.get("inline").is_some_and(|i| !i.is_null())
            || v.get("parent").is_some_and(|p| !p.is_null())
        {
            return None;
        }
        Some(Existing {
            id: id_of(v.get("id")?)?,
            body: v
                .pointer("/content/raw")
                .and_then(|b| b.as_str())
                .unwrap_or("")
                .to_string(),
            handle: None,
            author: text_at(v, "/user/uuid"),
        })
    }
}

impl Platform for Bitbucket {
    fn name(&self) -> &'static str {
        NAME
    }

    fn limit(&self) -> Limit {
        super::PlatformKind::Bitbucket.limit()
    }

    fn place(&self) -> String {
        format!("{}/{} pull request #{}", self.workspace, self.repo, self.pr)
    }

    fn origin(&self) -> &Url {
        &self.api
    }

    fn hints(&self, _auth: &Auth) -> Hints {
        Hints {
            unauthorized: "BITBUCKET_TOKEN is not valid (expired or revoked?); with BITBUCKET_USERNAME set it is sent with that user name as HTTP Basic".into(),
            forbidden: "the token needs the `pullrequest:write` scope on this repository".into(),
        }
    }

    fn list(&self, http: &Http) -> Result<Vec<Existing>, CommentError> {
        let mut out = Vec::new();
        let mut url = self.list_url();
        for _ in 0..MAX_PAGES {
            let r = http.send(Method::Get, &url, None)?;
            let v = json(NAME, "the comment list", &r.body)?;
            let items = v.get("values").and_then(|x| x.as_array()).ok_or_else(|| {
                CommentError::Unexpected {
                    platform: NAME,
                    detail: "the comment list has no `values` array".into(),
                }
            })?;
            out.extend(items.iter().filter_map(Self::existing));
            let next = match v.get("next") {
                None | Some(serde_json::Value::Null) => return Ok(out),
                Some(n) => n.as_str().ok_or_else(|| CommentError::Unexpected {
                    platform: NAME,
                    detail: "`next` is not a URL".into(),
                })?,
            };
            let u = Url::parse(next).map_err(|_| CommentError::Unexpected {
                platform: NAME,
                detail: "`next` is not a URL".into(),
            })?;
            if !http.same_origin(&u) {
                return Err(CommentError::Unexpected {
                    platform: NAME,
                    detail: "a next-page link to another origin (not followed)".into(),
                });
            }
            url = u;
        }
        Err(CommentError::Unexpected {
            platform: NAME,
            detail: format!("more than {MAX_PAGES} pages of comments"),
        })
    }

    /// `GET /user`: answers for an account's API token or app password; repository, project
    /// and workspace access tokens are refused ("not supported for this endpoint"), and the
    /// account is then learnt from the comment keyblast posts (see `identity`).
    fn whoami(&self, http: &Http) -> Result<String, CommentError> {
        let r = http.send(Method::Get, &join(&self.api, &["user"]), None)?;
        text_at(&json(NAME, "the token's user", &r.body)?, "/uuid").ok_or(
            CommentError::Unexpected {
                platform: NAME,
                detail: "the token's user has no uuid".into(),
            },
        )
    }

    fn create(&self, http: &Http, body: &str) -> Result<Existing, CommentError> {
        let payload = j!({ "content": { "raw": body } });
        let r = http.send(Method::Post, &self.comments_url(), Some(&payload))?;
        let v = json(NAME, "the created comment", &r.body)?;
        Self::existing(&v).ok_or(CommentError::Unexpected {
            platform: NAME,
            detail: "the created comment has no id".into(),
        })
    }

    fn update(&self, http: &Http, c: &Existing, body: &str) -> Result<(), CommentError> {
        let payload = j!({ "content": { "raw": body } });
        http.send(Method::Put, &self.comment_url(&c.id), Some(&payload))?;
        Ok(())
    }

    fn delete(&self, http: &Http, c: &Existing) -> Result<(), CommentError> {
        http.send(Method::Delete, &self.comment_url(&c.id), None)?;
        Ok(())
    }

    fn hide(&self, _http: &Http, _c: &Existing) -> Option<Result<(), CommentError>> {
        None
    }

    fn requests(&self) -> Requests {
        Requests {
            list: planned(Method::Get, &self.list_url()),
            whoami: planned(Method::Get, &join(&self.api, &["user"])),
            create: planned(Method::Post, &self.comments_url()),
            update: planned(Method::Put, &self.comment_url("{id}")),
            delete: planned(Method::Delete, &self.comment_url("{id}")),
            hide: None,
        }
    }
}

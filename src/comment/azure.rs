//! Azure DevOps Services and Server 2019 or later (Azure Repos git): one comment thread per
//! report on a pull request. keyblast's comment is the first comment of a thread it started;
//! edits and deletes go to that comment. Azure DevOps cannot hide a comment, so `hide-and-new` deletes instead.
//!
//! New threads are created *closed* by default, so a branch policy requiring comment
//! resolution is not blocked by a report (gating is `--fail-on`'s job); `--thread-status
//! active` opens them active instead, for teams that want each report acknowledged.
//!
//! In Azure Pipelines: `SYSTEM_COLLECTIONURI` (the organisation URL), `SYSTEM_TEAMPROJECT`,
//! `BUILD_REPOSITORY_ID`, `SYSTEM_PULLREQUEST_PULLREQUESTID` (pull-request builds only). The
//! token is `SYSTEM_ACCESSTOKEN` (the job's OAuth token, which a pipeline must map into the
//! environment explicitly; sent as Bearer), else `AZURE_DEVOPS_EXT_PAT` (a personal access
//! token with Code (Read & write); sent as HTTP Basic).

use super::env::{number, pick, Env};
use super::error::CommentError;
use super::github::parse_api;
use super::http::{Auth, Hints, Http, Method, Response, Secret};
use super::platform::{id_of, join, json, planned, text_at, Existing, Platform, Requests};
use super::Settings;
use crate::report::markdown::Limit;
use reqwest::Url;
use serde_json::json as j;

const NAME: &str = "Azure DevOps";
/// The REST API version of every thread and comment request. Microsoft's versioning table
/// (learn.microsoft.com/azure/devops/integrate/concepts/rest-api-versioning): Azure DevOps
/// Services takes every version, Azure DevOps Server 2022 up to 7.0, Server 2020 up to 6.0,
/// Server 2019 up to 5.0 — so 5.0, in which the pull request threads and thread comments APIs
/// keyblast uses are released, is accepted by all of them. (TFS 2018 and older are not
/// supported: they predate 5.0.)
const API_VERSION: &str = "5.0";
/// `connectionData` has no released version.
const CONNECTION_DATA_VERSION: &str = "5.0-preview";
/// `CommentThreadStatus`: 1 active, 4 closed.
const ACTIVE: u8 = 1;
const CLOSED: u8 = 4;

pub struct Azure {
    org: Url,
    project: String,
    repo: String,
    pr: u64,
    status: u8,
}

pub fn auth(env: &dyn Env) -> Result<Auth, CommentError> {
    if let Some(t) = env.var("SYSTEM_ACCESSTOKEN") {
        return Ok(Auth::Bearer(Secret::new(t)));
    }
    if let Some(t) = env.var("AZURE_DEVOPS_EXT_PAT") {
        return Ok(Auth::Basic {
            user: String::new(),
            password: Secret::new(t),
        });
    }
    Err(CommentError::NoToken {
        platform: NAME,
        hint: "map the job token into the step's environment (`env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)`), or set AZURE_DEVOPS_EXT_PAT to a personal access token with Code (Read & write)".into(),
    })
}

impl Azure {
    pub fn from_settings(s: &Settings, env: &dyn Env) -> Result<Self, CommentError> {
        let raw = match s.org_url.as_deref().or(s.api_url.as_deref()) {
            Some(v) => v.to_string(),
            None => pick(
                None,
                env,
                "organisation URL",
                "--org-url URL",
                "SYSTEM_COLLECTIONURI",
            )?,
        };
        let mut org = parse_api(&raw, "--org-url / SYSTEM_COLLECTIONURI")?;
        // `https://dev.azure.com/org` and `https://dev.azure.com/org/` are the same organisation
        if !org.path().ends_with('/') {
            let p = format!("{}/", org.path());
            org.set_path(&p);
        }
        Ok(Self {
            org,
            project: pick(
                s.project.as_deref(),
                env,
                "project",
                "--project P",
                "SYSTEM_TEAMPROJECT",
            )?,
            repo: pick(
                s.repo.as_deref(),
                env,
                "repository",
                "--repo ID",
                "BUILD_REPOSITORY_ID",
            )?,
            pr: number(
                s.pr,
                env,
                "pull request",
                "--pr N",
                "SYSTEM_PULLREQUEST_PULLREQUESTID (set in pull-request builds)",
            )?,
            status: if s.thread_active { ACTIVE } else { CLOSED },
        })
    }

    fn url(&self, tail: &[&str]) -> Url {
        let pr = self.pr.to_string();
        let mut segs = vec![
            self.project.as_str(),
            "_apis",
            "git",
            "repositories",
            self.repo.as_str(),
            "pullRequests",
            pr.as_str(),
            "threads",
        ];
        segs.extend_from_slice(tail);
        let mut u = join(&self.org, &segs);
        u.query_pairs_mut().append_pair("api-version", API_VERSION);
        u
    }

    fn list_url(&self) -> Url {
        self.url(&[])
    }

    fn comment_url(&self, c: &Existing) -> Result<Url, CommentError> {
        let thread = c.handle.as_deref().ok_or(CommentError::Unexpected {
            platform: NAME,
            detail: "a comment without its thread".into(),
        })?;
        Ok(self.url(&[thread, "comments", &c.id]))
    }

    /// The first comment of a thread that is not deleted and is text (not a system message
    /// such as a vote or a push).
    fn existing(thread: &serde_json::Value) -> Option<Existing> {
        if thread.get("isDeleted").and_then(|d| d.as_bool()) == Some(true) {
            return None;
        }
        let thread_id = id_of(thread.get("id")?)?;
        let first = thread.get("comments")?.as_array()?.iter().find(|c| {
            c.get("parentCommentId")
                .and_then(|p| p.as_u64())
                .unwrap_or(0)
                == 0
        })?;
        let text = match first.get("commentType") {
            Some(serde_json::Value::String(t)) => t.eq_ignore_ascii_case("text"),
            Some(serde_json::Value::Number(n)) => n.as_u64() == Some(1),
            _ => true,
        };
        if !text || first.get("isDeleted").and_then(|d| d.as_bool()) == Some(true) {
            return None;
        }
        Some(Existing {
            id: id_of(first.get("id")?)?,
            body: first
                .get("content")
                .and_then(|b| b.as_str())
                .unwrap_or("")
                .to_string(),
            handle: Some(thread_id),
            author: text_at(first, "/author/id"),
        })
    }

    /// `_apis/connectionData` of the organisation (or collection): who the token is. It has
    /// only ever been a preview API, in every version from Azure DevOps Server 2019 on.
    fn connection_data_url(&self) -> Url {
        let mut u = join(&self.org, &["_apis", "connectionData"]);
        u.query_pairs_mut()
            .append_pair("api-version", CONNECTION_DATA_VERSION);
        u
    }

    /// Azure DevOps answers a refused personal access token with 203 and a sign-in page.
    fn signed_in(r: &Response) -> Result<(), CommentError> {
        if r.status == 203 {
            return Err(CommentError::Unauthorized {
                platform: NAME,
                detail: ", a sign-in page (203)".into(),
                hint: "AZURE_DEVOPS_EXT_PAT is not valid (expired or revoked?)".into(),
            });
        }
        Ok(())
    }
}

impl Platform for Azure {
    fn name(&self) -> &'static str {
        NAME
    }

    fn limit(&self) -> Limit {
        super::PlatformKind::AzureDevops.limit()
    }

    fn place(&self) -> String {
        format!("{}/{} pull request {}", self.project, self.repo, self.pr)
    }

    fn origin(&self) -> &Url {
        &self.org
    }

    fn hints(&self, auth: &Auth) -> Hints {
        let job = matches!(auth, Auth::Bearer(_));
        Hints {
            unauthorized: if job {
                "SYSTEM_ACCESSTOKEN was refused: map it into the step with `env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)` (it is not in the environment unless mapped)".into()
            } else {
                "AZURE_DEVOPS_EXT_PAT is not valid (expired or revoked?)".into()
            },
            forbidden: if job {
                "the build service identity needs \"Contribute to pull requests\" on the repository (Project settings → Repositories → Security)".into()
            } else {
                "the personal access token needs the Code (Read & write) scope and \"Contribute to pull requests\" on the repository".into()
            },
        }
    }

    /// "Retrieve all threads in a pull request": the list is not paged (its only parameters
    /// are `$iteration` and `$baseIteration`), so one request has every thread.
    fn list(&self, http: &Http) -> Result<Vec<Existing>, CommentError> {
        let r = http.send(Method::Get, &self.list_url(), None)?;
        Self::signed_in(&r)?;
        let v = json(NAME, "the thread list", &r.body)?;
        let items =
            v.get("value")
                .and_then(|x| x.as_array())
                .ok_or_else(|| CommentError::Unexpected {
                    platform: NAME,
                    detail: "the thread list has no `value` array".into(),
                })?;
        Ok(items.iter().filter_map(Self::existing).collect())
    }

    /// `authenticatedUser.id`: for `SYSTEM_ACCESSTOKEN` the build service identity, which is
    /// also the author of the threads it starts.
    fn whoami(&self, http: &Http) -> Result<String, CommentError> {
        let r = http.send(Method::Get, &self.connection_data_url(), None)?;
        Self::signed_in(&r)?;
        text_at(
            &json(NAME, "the connection data", &r.body)?,
            "/authenticatedUser/id",
        )
        .ok_or(CommentError::Unexpected {
            platform: NAME,
            detail: "the connection data names no authenticated user".into(),
        })
    }

    fn create(&self, http: &Http, body: &str) -> Result<Existing, CommentError> {
        let payload = j!({
            "comments": [{ "parentCommentId": 0, "content": body, "commentType": 1 }],
            "status": self.status,
        });
        let r = http.send(Method::Post, &self.url(&[]), Some(&payload))?;
        Self::signed_in(&r)?;
        let v = json(NAME, "the created thread", &r.body)?;
        Self::existing(&v).ok_or(CommentError::Unexpected {
            platform: NAME,
            detail: "the created thread has no comment id".into(),
        })
    }

    fn update(&self, http: &Http, c: &Existing, body: &str) -> Result<(), CommentError> {
        let r = http.send(
            Method::Patch,
            &self.comment_url(c)?,
            Some(&j!({ "content": body })),
        )?;
        Self::signed_in(&r)
    }

    fn delete(&self, http: &Http, c: &Existing) -> Result<(), CommentError> {
        let r = http.send(Method::Delete, &self.comment_url(c)?, None)?;
        Self::signed_in(&r)
    }

    fn hide(&self, _http: &Http, _c: &Existing) -> Option<Result<(), CommentError>> {
        None
    }

    fn label(&self, c: &Existing) -> String {
        match &c.handle {
            Some(t) => format!("{} in thread {t}", c.id),
            None => c.id.clone(),
        }
    }

    fn requests(&self) -> Requests {
        let each = self.url(&["{thread}", "comments", "{id}"]);
        Requests {
            list: planned(Method::Get, &self.list_url()),
            whoami: planned(Method::Get, &self.connection_data_url()),
            create: planned(Method::Post, &self.url(&[])),
            update: planned(Method::Patch, &each),
            delete: planned(Method::Delete, &each),
            hide: None,
        }
    }
}

//! GitLab (gitlab.com and self-managed): notes of a merge request. GitLab cannot hide a note
//! through its API, so `hide-and-new` deletes instead.
//!
//! In GitLab CI: `CI_API_V4_URL`, `CI_PROJECT_ID`, `CI_MERGE_REQUEST_IID` (merge request
//! pipelines only). The token is `GITLAB_TOKEN` (sent as `PRIVATE-TOKEN`; a project, group or
//! personal access token with the `api` scope), else `CI_JOB_TOKEN` (sent as `JOB-TOKEN`, the
//! header GitLab's REST documentation gives for job tokens; job tokens reach only some
//! endpoints, usually not merge request notes, so a 401, 403 or 404 then says to set
//! `GITLAB_TOKEN`).

use super::env::{number, pick, Env};
use super::error::CommentError;
use super::github::parse_api;
use super::http::{Auth, Hints, Http, Method, Secret};
use super::platform::{
    id_of, join, json, next_link, planned, text_at, Existing, Platform, Requests, MAX_PAGES,
};
use super::Settings;
use crate::report::markdown::Limit;
use reqwest::Url;
use serde_json::json as j;

const NAME: &str = "GitLab";
const DEFAULT_API: &str = "https://gitlab.com/api/v4";

pub struct GitLab {
    api: Url,
    project: String,
    mr: u64,
}

pub fn auth(env: &dyn Env) -> Result<Auth, CommentError> {
    if let Some(t) = env.var("GITLAB_TOKEN") {
        return Ok(Auth::Header("PRIVATE-TOKEN", Secret::new(t)));
    }
    if let Some(t) = env.var("CI_JOB_TOKEN") {
        return Ok(Auth::Header("JOB-TOKEN", Secret::new(t)));
    }
    Err(CommentError::NoToken {
        platform: NAME,
        hint: "set GITLAB_TOKEN to an access token with the `api` scope (a masked CI/CD variable)"
            .into(),
    })
}

impl GitLab {
    pub fn from_settings(s: &Settings, env: &dyn Env) -> Result<Self, CommentError> {
        let raw = s
            .api_url
            .clone()
            .or_else(|| env.var("CI_API_V4_URL"))
            .unwrap_or_else(|| DEFAULT_API.into());
        Ok(Self {
            api: parse_api(&raw, "--api-url / CI_API_V4_URL")?,
            project: pick(
                s.project.as_deref(),
                env,
                "project",
                "--project ID|PATH",
                "CI_PROJECT_ID",
            )?,
            mr: number(
                s.mr,
                env,
                "merge request",
                "--mr IID",
                "CI_MERGE_REQUEST_IID (set in merge request pipelines)",
            )?,
        })
    }

    fn notes_url(&self) -> Url {
        let mr = self.mr.to_string();
        join(
            &self.api,
            &["projects", &self.project, "merge_requests", &mr, "notes"],
        )
    }

    fn note_url(&self, id: &str) -> Url {
        let mr = self.mr.to_string();
        join(
            &self.api,
            &[
                "projects",
                &self.project,
                "merge_requests",
                &mr,
                "notes",
                id,
            ],
        )
    }

    fn list_url(&self, page: u64) -> Url {
        let mut u = self.notes_url();
        u.query_pairs_mut()
            .append_pair("per_page", "100")
            .append_pair("sort", "asc")
            .append_pair("order_by", "created_at")
            .append_pair("page", &page.to_string());
        u
    }

    fn existing(v: &serde_json::Value) -> Option<Existing> {
        if v.get("system").and_then(|s| s.as_bool()) == Some(true) {
            return None;
        }
        Some(Existing {
            id: id_of(v.get("id")?)?,
            body: v
                .get("body")
                .and_then(|b| b.as_str())
                .unwrap_or("")
                .to_string(),
            handle: None,
            author: text_at(v, "/author/id"),
        })
    }
}

impl Platform for GitLab {
    fn name(&self) -> &'static str {
        NAME
    }

    fn limit(&self) -> Limit {
        super::PlatformKind::Gitlab.limit()
    }

    fn place(&self) -> String {
        format!("project {} !{}", self.project, self.mr)
    }

    fn origin(&self) -> &Url {
        &self.api
    }

    fn hints(&self, auth: &Auth) -> Hints {
        // GitLab lets a job token reach only some endpoints, and merge request notes are
        // usually not among them: it answers 401, 403, or 404 (a private project it then
        // treats as invisible). Each of those says so.
        const JOB: &str = "CI_JOB_TOKEN usually cannot write merge request notes: set GITLAB_TOKEN to a project access token with the `api` scope (Reporter role or higher) as a masked CI/CD variable";
        if auth.is_job_token() {
            return Hints {
                unauthorized: JOB.into(),
                forbidden: JOB.into(),
            };
        }
        Hints {
            unauthorized: "GITLAB_TOKEN is not valid (expired or revoked?)".into(),
            forbidden:
                "the token needs the `api` scope and at least the Reporter role on the project"
                    .into(),
        }
    }

    fn list(&self, http: &Http) -> Result<Vec<Existing>, CommentError> {
        let mut out = Vec::new();
        let mut url = self.list_url(1);
        for _ in 0..MAX_PAGES {
            let r = http.send(Method::Get, &url, None)?;
            let v = json(NAME, "the note list", &r.body)?;
            let items = v.as_array().ok_or_else(|| CommentError::Unexpected {
                platform: NAME,
                detail: "the note list is not a JSON array".into(),
            })?;
            out.extend(items.iter().filter_map(Self::existing));
            // X-Next-Page (offset pagination), else a Link header's rel="next"
            let next_page = r
                .header("x-next-page")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| {
                    p.parse::<u64>().map_err(|_| CommentError::Unexpected {
                        platform: NAME,
                        detail: "X-Next-Page is not a number".into(),
                    })
                })
                .transpose()?;
            url = match (next_page, r.header("link").and_then(next_link)) {
                (Some(p), _) => self.list_url(p),
                (None, Some(link)) => {
                    let u = Url::parse(&link).map_err(|_| CommentError::Unexpected {
                        platform: NAME,
                        detail: "a next-page link that is not a URL".into(),
                    })?;
                    if !http.same_origin(&u) {
                        return Err(CommentError::Unexpected {
                            platform: NAME,
                            detail: "a next-page link to another origin (not followed)".into(),
                        });
                    }
                    u
                }
                (None, None) => return Ok(out),
            };
        }
        Err(CommentError::Unexpected {
            platform: NAME,
            detail: format!("more than {MAX_PAGES} pages of notes"),
        })
    }

    /// `GET /user`: a project or group access token is its bot user.
    fn whoami(&self, http: &Http) -> Result<String, CommentError> {
        let r = http.send(Method::Get, &join(&self.api, &["user"]), None)?;
        text_at(&json(NAME, "the token's user", &r.body)?, "/id").ok_or(CommentError::Unexpected {
            platform: NAME,
            detail: "the token's user has no id".into(),
        })
    }

    fn create(&self, http: &Http, body: &str) -> Result<Existing, CommentError> {
        let r = http.send(Method::Post, &self.notes_url(), Some(&j!({ "body": body })))?;
        let v = json(NAME, "the created note", &r.body)?;
        Self::existing(&v).ok_or(CommentError::Unexpected {
            platform: NAME,
            detail: "the created note has no id".into(),
        })
    }

    fn update(&self, http: &Http, c: &Existing, body: &str) -> Result<(), CommentError> {
        http.send(
            Method::Put,
            &self.note_url(&c.id),
            Some(&j!({ "body": body })),
        )?;
        Ok(())
    }

    fn delete(&self, http: &Http, c: &Existing) -> Result<(), CommentError> {
        http.send(Method::Delete, &self.note_url(&c.id), None)?;
        Ok(())
    }

    fn hide(&self, _http: &Http, _c: &Existing) -> Option<Result<(), CommentError>> {
        None
    }

    fn requests(&self) -> Requests {
        Requests {
            list: planned(Method::Get, &self.list_url(1)),
            whoami: planned(Method::Get, &join(&self.api, &["user"])),
            create: planned(Method::Post, &self.notes_url()),
            update: planned(Method::Put, &self.note_url("{id}")),
            delete: planned(Method::Delete, &self.note_url("{id}")),
            hide: None,
        }
    }
}

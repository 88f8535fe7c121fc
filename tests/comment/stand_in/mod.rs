//! Stand-in API servers on loopback (tiny_http on 127.0.0.1:0) that behave like each platform
//! where the comment bot depends on it: the comment list and its pagination (GitHub's `Link`
//! header with `/repositories/ID` URLs, GitLab's `X-Next-Page`, Bitbucket's `next`; Azure
//! DevOps' thread list is one unpaged answer, as on the platform), comment authors and who a
//! token is, the size limit that rejects an oversized body with the platform's error body,
//! authentication, and the error statuses. Each request is recorded;
//! tests can force the next replies (errors, rate limits) before the platform logic sees them.

mod azure;
mod bitbucket;
mod github;
mod gitlab;

use reqwest::Url;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

pub const TOKEN: &str = "tok_SECRET_7f3a9c";
/// The Bitbucket account that sends TOKEN as HTTP Basic (an API token) with BITBUCKET_USERNAME.
pub const BITBUCKET_USER: &str = "ci-bot@example.com";

/// The account TOKEN acts as, sent the way each CI environment sends it (GitHub Actions'
/// `GITHUB_TOKEN`, a GitLab project access token, a Bitbucket repository access token's bot
/// user, the Azure DevOps build service), named as the platform names accounts.
pub fn me(d: Dialect) -> &'static str {
    match d {
        Dialect::GitHub => "github-actions[bot]",
        Dialect::GitLab => "4242",
        Dialect::Bitbucket => "{0b07b07a-0000-4000-8000-0000000000a1}",
        Dialect::Azure => "0b11d5e7-0000-4000-8000-000000000001",
    }
}

/// Someone else: a person who can comment on the pull request.
pub fn other(d: Dialect) -> &'static str {
    match d {
        Dialect::GitHub => "mallory",
        Dialect::GitLab => "7",
        Dialect::Bitbucket => "{3a110770-0000-4000-8000-0000000000b2}",
        Dialect::Azure => "3a110770-0000-4000-8000-000000000002",
    }
}

/// The Bitbucket account of BITBUCKET_USER, and the Azure DevOps user of a personal access
/// token: the accounts TOKEN acts as when sent as HTTP Basic.
pub const BITBUCKET_USER_UUID: &str = "{c1b07000-0000-4000-8000-0000000000c3}";
pub const AZURE_PAT_USER: &str = "a11ce000-0000-4000-8000-000000000004";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    GitHub,
    GitLab,
    Bitbucket,
    Azure,
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, as sent.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.url.split('?').next().unwrap_or("")
    }

    /// `GET /path` (no query).
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string(),
        }
    }

    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

#[derive(Debug, Clone)]
pub struct Stored {
    pub id: u64,
    pub body: String,
    /// GitHub: minimised as outdated.
    pub hidden: bool,
    /// Not keyblast's kind of comment: a GitLab system note, a Bitbucket inline comment or
    /// reply, an Azure DevOps system thread.
    pub foreign_kind: bool,
    /// Who wrote it, as the platform names accounts ([`me`], [`other`]).
    pub author: String,
}

pub struct State {
    pub dialect: Dialect,
    pub comments: Vec<Stored>,
    pub next_id: u64,
    /// Comments per page the server hands out (whatever the client asks).
    pub page_size: usize,
    pub log: Vec<Recorded>,
    /// Replies served, in order, before the platform logic sees a request.
    pub forced: VecDeque<Reply>,
}

pub struct StandIn {
    /// `http://127.0.0.1:PORT`
    pub origin: String,
    state: Arc<Mutex<State>>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl StandIn {
    pub fn start(dialect: Dialect) -> Self {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind loopback"));
        let port = server.server_addr().to_ip().expect("ip").port();
        let origin = format!("http://127.0.0.1:{port}");
        let state = Arc::new(Mutex::new(State {
            dialect,
            comments: Vec::new(),
            next_id: 1000,
            page_size: 100,
            log: Vec::new(),
            forced: VecDeque::new(),
        }));
        let (s, st, base) = (server.clone(), state.clone(), origin.clone());
        let thread = std::thread::spawn(move || {
            for mut rq in s.incoming_requests() {
                let mut body = String::new();
                let _ = rq.as_reader().read_to_string(&mut body);
                let rec = Recorded {
                    method: rq.method().as_str().to_string(),
                    url: rq.url().to_string(),
                    headers: rq
                        .headers()
                        .iter()
                        .map(|h| {
                            (
                                h.field.as_str().as_str().to_string(),
                                h.value.as_str().to_string(),
                            )
                        })
                        .collect(),
                    body,
                };
                let reply = {
                    let mut g = st.lock().unwrap();
                    g.log.push(rec.clone());
                    match g.forced.pop_front() {
                        Some(r) => r,
                        None => g.handle(&base, &rec),
                    }
                };
                let mut resp = tiny_http::Response::from_string(reply.body)
                    .with_status_code(tiny_http::StatusCode(reply.status));
                for (k, v) in reply.headers {
                    resp.add_header(
                        tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).unwrap(),
                    );
                }
                let _ = rq.respond(resp);
            }
        });
        Self {
            origin,
            state,
            server,
            thread: Some(thread),
        }
    }

    /// The API root the platform's CI variable would hold.
    pub fn api(&self) -> String {
        let d = self.state.lock().unwrap().dialect;
        match d {
            Dialect::GitHub => format!("{}/api/v3", self.origin),
            Dialect::GitLab => format!("{}/api/v4", self.origin),
            Dialect::Bitbucket => format!("{}/2.0", self.origin),
            Dialect::Azure => format!("{}/org/", self.origin),
        }
    }

    pub fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    pub fn force(&self, r: Reply) {
        self.state().forced.push_back(r);
    }

    /// Adds a comment as if the token's account ([`me`]) had posted it earlier; returns its
    /// id.
    pub fn seed(&self, body: &str) -> u64 {
        self.seed_kind(body, false)
    }

    pub fn seed_kind(&self, body: &str, foreign_kind: bool) -> u64 {
        let d = self.state().dialect;
        self.seed_full(body, foreign_kind, me(d))
    }

    /// Adds a comment written by `author`.
    pub fn seed_by(&self, body: &str, author: &str) -> u64 {
        self.seed_full(body, false, author)
    }

    fn seed_full(&self, body: &str, foreign_kind: bool, author: &str) -> u64 {
        let mut g = self.state();
        let id = g.next_id;
        g.next_id += 1;
        g.comments.push(Stored {
            id,
            body: body.into(),
            hidden: false,
            foreign_kind,
            author: author.into(),
        });
        id
    }

    pub fn log(&self) -> Vec<Recorded> {
        self.state().log.clone()
    }

    /// Request lines (`METHOD /path`) so far.
    pub fn lines(&self) -> Vec<String> {
        self.log().iter().map(Recorded::line).collect()
    }

    pub fn clear_log(&self) {
        self.state().log.clear();
    }

    pub fn comments(&self) -> Vec<Stored> {
        self.state().comments.clone()
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn not_found(d: Dialect) -> Reply {
    match d {
        Dialect::GitHub => Reply::json(
            404,
            json!({"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"}),
        ),
        Dialect::GitLab => Reply::json(404, json!({"message": "404 Not found"})),
        Dialect::Bitbucket => Reply::json(
            404,
            json!({"type": "error", "error": {"message": "Repository not found"}}),
        ),
        Dialect::Azure => Reply::json(
            404,
            json!({"$id": "1", "message": "TF401180: The requested pull request was not found.", "typeKey": "GitPullRequestNotFoundException", "errorCode": 0}),
        ),
    }
}

/// `Basic base64(user:password)`.
fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        keyblast::comment::scrub::base64(format!("{user}:{password}").as_bytes(), false)
    )
}

impl State {
    /// The account the request's credentials act as; `None` when they are refused.
    pub(super) fn caller(&self, r: &Recorded) -> Option<String> {
        let auth = r.header("authorization");
        let bearer = auth == Some(&format!("Bearer {TOKEN}"));
        let who = match self.dialect {
            Dialect::GitHub if bearer => me(self.dialect),
            Dialect::GitLab if r.header("private-token") == Some(TOKEN) => me(self.dialect),
            Dialect::Bitbucket if bearer => me(self.dialect),
            Dialect::Bitbucket if auth == Some(&basic(BITBUCKET_USER, TOKEN)) => {
                BITBUCKET_USER_UUID
            }
            Dialect::Azure if bearer => me(self.dialect),
            Dialect::Azure if auth == Some(&basic("", TOKEN)) => AZURE_PAT_USER,
            _ => return None,
        };
        Some(who.to_string())
    }

    fn authorised(&self, r: &Recorded) -> Result<(), Reply> {
        // GitLab takes a CI job token in JOB-TOKEN, but only on the endpoints job tokens may
        // use; merge request notes are not among them, so the request counts as anonymous and
        // the private project is invisible: 404.
        if self.dialect == Dialect::GitLab && r.header("job-token") == Some(TOKEN) {
            return Err(Reply::json(
                404,
                json!({"message": "404 Project Not Found"}),
            ));
        }
        let ok = self.caller(r).is_some();
        if ok {
            return Ok(());
        }
        Err(match self.dialect {
            Dialect::GitHub => Reply::json(
                401,
                json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"}),
            ),
            Dialect::GitLab => Reply::json(401, json!({"message": "401 Unauthorized"})),
            Dialect::Bitbucket => Reply::json(
                401,
                json!({"type": "error", "error": {"message": "Token is invalid or not supported for this endpoint."}}),
            ),
            Dialect::Azure => Reply {
                status: 203,
                headers: vec![("Content-Type".into(), "text/html".into())],
                body: "<html><title>Sign In</title></html>".into(),
            },
        })
    }

    fn too_long(&self, body: &str) -> Option<Reply> {
        match self.dialect {
            Dialect::GitHub if body.chars().count() > 65_536 => Some(Reply::json(
                422,
                json!({"message": "Validation Failed", "errors": [{"resource": "IssueComment", "code": "custom", "field": "body", "message": "body is too long (maximum is 65536 characters)"}], "documentation_url": "https://docs.github.com/rest/issues/comments#create-an-issue-comment", "status": "422"}),
            )),
            Dialect::GitLab if body.chars().count() > 1_000_000 => Some(Reply::json(
                400,
                json!({"message": {"note": ["is too long (maximum is 1000000 characters)"]}}),
            )),
            // Bitbucket Cloud documents no limit: keyblast's conservative guess (Bitbucket
            // Server's 32,767) is what this stand-in enforces, in Cloud's error shape
            Dialect::Bitbucket if body.len() >= 32_768 => Some(Reply::json(
                400,
                json!({"type": "error", "error": {"message": "Bad request", "fields": {"content.raw": ["Ensure this value has at most 32767 characters."]}, "detail": "content.raw must be less than 32768 chars"}}),
            )),
            Dialect::Azure if body.encode_utf16().count() > 150_000 => Some(Reply::json(
                400,
                json!({"$id": "1", "message": "A discussion comment cannot be longer than 150000 characters.\r\nParameter name: comment.Content", "typeKey": "ArgumentException", "errorCode": 0}),
            )),
            _ => None,
        }
    }

    fn handle(&mut self, base: &str, r: &Recorded) -> Reply {
        if let Err(e) = self.authorised(r) {
            return e;
        }
        let url = Url::parse(&format!("{base}{}", r.url)).unwrap();
        let segs: Vec<String> = url.path_segments().unwrap().map(str::to_string).collect();
        let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
        let query = |k: &str| {
            url.query_pairs()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.into_owned())
        };
        match self.dialect {
            Dialect::GitHub => self.github(base, r, &segs, &query),
            Dialect::GitLab => self.gitlab(r, &segs, &query),
            Dialect::Bitbucket => self.bitbucket(base, r, &segs, &query),
            Dialect::Azure => self.azure(r, &segs, &query),
        }
    }

    fn page(&self, page: usize) -> (Vec<Stored>, bool) {
        let start = (page - 1) * self.page_size;
        let items: Vec<Stored> = self
            .comments
            .iter()
            .skip(start)
            .take(self.page_size)
            .cloned()
            .collect();
        (items, start + self.page_size < self.comments.len())
    }

    fn create(&mut self, body: String, author: String) -> Stored {
        let c = Stored {
            id: self.next_id,
            body,
            hidden: false,
            foreign_kind: false,
            author,
        };
        self.next_id += 1;
        self.comments.push(c.clone());
        c
    }

    fn edit(&mut self, id: &str, body: String) -> bool {
        match self.comments.iter_mut().find(|c| c.id.to_string() == id) {
            Some(c) => {
                c.body = body;
                true
            }
            None => false,
        }
    }

    fn remove(&mut self, id: &str) -> bool {
        let before = self.comments.len();
        self.comments.retain(|c| c.id.to_string() != id);
        before != self.comments.len()
    }
}

//! The one HTTP client of the comment bot: reqwest (blocking) over rustls on aws-lc-rs, the TLS
//! stack the AWS SDK already brings.
//!
//! - The token goes only into the platform's authentication header, and only to the API's own
//!   origin: redirects and next-page links to another scheme, host or port are refused.
//! - Time is bounded ([`Limits`]): each attempt (connecting, sending, reading the whole answer)
//!   times out after 30 s; a timed-out request is retried at most once, and no retry starts
//!   that could end more than 75 s after the request's first attempt began. A request that
//!   never gets an answer fails within about a minute.
//! - Rate limits ([`super::rate`]) are waited out when the platform says how long and that is
//!   at most 60 s, and at most 120 s in all in one run; a longer wait fails at once, saying
//!   when to retry. At most [`MAX_ATTEMPTS`] attempts per request.
//! - Server errors and network failures are retried for idempotent methods only: a `POST`
//!   that failed after being sent may have created the comment.
//! - Every text that comes back from a server is scrubbed ([`super::scrub`]) before it reaches
//!   a message: every form of the token removed (a server could echo it, or the Basic
//!   `Authorization` value), control characters escaped, length capped.

use super::error::{CommentError, Overrun};
use super::rate;
use super::scrub;
use reqwest::blocking::Client;
use reqwest::header::HeaderMap;
use reqwest::Url;
use std::cell::Cell;
use std::fmt;
use std::io::Read;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Attempts per request, the first included.
pub const MAX_ATTEMPTS: u32 = 4;
/// Largest response body read.
const MAX_RESPONSE: u64 = 32 << 20;

/// How long keyblast waits, per attempt, per request and per run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connecting (within [`Limits::attempt`]).
    pub connect: Duration,
    /// One attempt: connecting, sending and reading the whole answer.
    pub attempt: Duration,
    /// No retry of a failed attempt starts that could end later than this after the
    /// request's first attempt began (rate-limit waits, which the platform asks for, aside).
    pub deadline: Duration,
    /// Longest single rate-limit wait; a platform asking for more fails the request at once.
    pub max_wait: Duration,
    /// All rate-limit waits of one run together.
    pub total_wait: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            attempt: Duration::from_secs(30),
            deadline: Duration::from_secs(75),
            max_wait: Duration::from_secs(60),
            total_wait: Duration::from_secs(120),
        }
    }
}

/// A token: no `Display`, a `Debug` that hides it, never serialised.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: String) -> Self {
        Self(s)
    }

    fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How the token is sent.
#[derive(Debug, Clone)]
pub enum Auth {
    /// `Authorization: Bearer TOKEN`.
    Bearer(Secret),
    /// A header of the platform's own (`PRIVATE-TOKEN`, `JOB-TOKEN`).
    Header(&'static str, Secret),
    /// `Authorization: Basic base64(user:password)` (an Azure DevOps personal access token).
    Basic { user: String, password: Secret },
}

impl Auth {
    /// Every form of the token a server could echo (see [`scrub::forms`]).
    fn forms(&self) -> Vec<String> {
        match self {
            Self::Bearer(s) | Self::Header(_, s) => scrub::forms(s.expose(), None),
            Self::Basic { user, password } => scrub::forms(password.expose(), Some(user)),
        }
    }

    /// True for GitLab's `JOB-TOKEN` (a CI job token).
    pub fn is_job_token(&self) -> bool {
        matches!(self, Self::Header(name, _) if name.eq_ignore_ascii_case("JOB-TOKEN"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    fn idempotent(self) -> bool {
        !matches!(self, Self::Post)
    }

    fn reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Patch => reqwest::Method::PATCH,
            Self::Delete => reqwest::Method::DELETE,
        }
    }
}

/// What to tell the user when the token is refused or lacks a permission.
#[derive(Debug, Clone)]
pub struct Hints {
    pub unauthorized: String,
    pub forbidden: String,
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub struct Http {
    client: Client,
    platform: &'static str,
    auth: Auth,
    /// Every form of the token, for [`Http::scrub`].
    secrets: Vec<String>,
    origin: Url,
    headers: Vec<(&'static str, &'static str)>,
    hints: Hints,
    limits: Limits,
    /// Rate-limit waits so far in this run.
    waited: Cell<Duration>,
    /// Secondary rate limits met so far in this run.
    secondary_hits: Cell<u32>,
}

/// An attempt that got no (whole) answer.
struct Failure {
    timed_out: bool,
    what: &'static str,
    detail: String,
}

impl Failure {
    fn of(e: &reqwest::Error) -> Self {
        let what = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "connection failed"
        } else if e.is_redirect() {
            "redirected to another origin (refused)"
        } else {
            "request failed"
        };
        Self {
            timed_out: e.is_timeout(),
            what,
            detail: error_chain(e),
        }
    }

    /// Reading the body failed (cut off, or the attempt's time ran out while reading).
    fn reading(e: &std::io::Error) -> Self {
        let timed_out = e.kind() == std::io::ErrorKind::TimedOut
            || e.get_ref()
                .and_then(|i| i.downcast_ref::<reqwest::Error>())
                .is_some_and(reqwest::Error::is_timeout);
        Self {
            timed_out,
            what: if timed_out {
                "timed out reading the answer"
            } else {
                "the answer was cut off"
            },
            detail: error_chain(e),
        }
    }
}

impl Http {
    /// A client for `platform`'s API at `origin` (only that scheme, host and port get the
    /// token), waiting at most per `limits`.
    pub fn new(
        platform: &'static str,
        origin: &Url,
        auth: Auth,
        headers: Vec<(&'static str, &'static str)>,
        hints: Hints,
        limits: Limits,
    ) -> Result<Self, CommentError> {
        let allowed = origin.origin();
        let redirect = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 5 || attempt.url().origin() != allowed {
                attempt.stop()
            } else {
                attempt.follow()
            }
        });
        let client = Client::builder()
            .user_agent(concat!("keyblast/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(limits.connect.min(limits.attempt))
            .timeout(limits.attempt)
            .redirect(redirect)
            .build()
            .map_err(|e| CommentError::Network {
                platform,
                detail: format!("cannot set up the HTTP client: {e}"),
            })?;
        Ok(Self {
            client,
            platform,
            secrets: auth.forms(),
            auth,
            origin: origin.clone(),
            headers,
            hints,
            limits,
            waited: Cell::new(Duration::ZERO),
            secondary_hits: Cell::new(0),
        })
    }

    /// True when `url` is on the API's own origin (a next-page link may be followed).
    pub fn same_origin(&self, url: &Url) -> bool {
        url.origin() == self.origin.origin()
    }

    /// `text` fit for a message: no form of the token, no control characters, at most a few
    /// hundred characters.
    pub fn scrub(&self, text: &str) -> String {
        scrub::scrub(text, &self.secrets)
    }

    /// Sends a request with a JSON body (or none) and returns a 2xx response; anything else
    /// is the matching [`CommentError`].
    pub fn send(
        &self,
        method: Method,
        url: &Url,
        body: Option<&serde_json::Value>,
    ) -> Result<Response, CommentError> {
        if !self.same_origin(url) {
            return Err(CommentError::Invalid(format!(
                "{}: refusing to send the token to {} (not the API's origin {})",
                self.platform,
                scrub::scrub(url.as_str(), &[]),
                self.origin.origin().ascii_serialization()
            )));
        }
        let payload = body.map(|b| serde_json::to_vec(b).expect("JSON values serialise"));
        let started = Instant::now();
        let mut attempt = 1;
        let mut timeouts = 0;
        loop {
            let outcome = self.once(method, url, payload.as_deref());
            let backoff = Duration::from_millis(500 << attempt);
            // a retry of a failure must be able to end within the request's deadline
            let in_time = started.elapsed() + backoff + self.limits.attempt <= self.limits.deadline;
            // (how long to wait, whether the platform asked for it)
            let retry = match &outcome {
                Ok(r) if (200..300).contains(&r.status) => None,
                Ok(r) => match self.rate_limited(r, attempt) {
                    Some(l) => Some((self.rate_wait(r, l)?, true)),
                    None if r.status >= 500 && method.idempotent() && in_time => {
                        Some((backoff, false))
                    }
                    None => None,
                },
                Err(f) if method.idempotent() && in_time && (!f.timed_out || timeouts == 0) => {
                    Some((backoff, false))
                }
                Err(_) => None,
            };
            if let Err(f) = &outcome {
                timeouts += u32::from(f.timed_out);
            }
            match retry {
                Some((wait, asked)) if attempt < MAX_ATTEMPTS => {
                    if asked {
                        self.waited.set(self.waited.get() + wait);
                    }
                    std::thread::sleep(wait);
                    attempt += 1;
                }
                _ => return self.classify(method, url, outcome, attempt),
            }
        }
    }

    /// The rate limit `r` is, counting secondary limits for the run.
    fn rate_limited(&self, r: &Response, attempt: u32) -> Option<rate::Limited> {
        let kind = rate::kind(r)?;
        if kind == rate::Kind::Secondary {
            self.secondary_hits.set(self.secondary_hits.get() + 1);
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        rate::limited(r, attempt, self.secondary_hits.get(), now)
    }

    /// The wait for a rate limit; an error when it is longer than keyblast waits at once or
    /// would exceed what is left of the run's budget.
    fn rate_wait(&self, r: &Response, l: rate::Limited) -> Result<Duration, CommentError> {
        let waited = self.waited.get();
        let overrun = if l.wait > self.limits.max_wait {
            Some(Overrun::TooLong {
                max: self.limits.max_wait.as_secs(),
            })
        } else if waited + l.wait > self.limits.total_wait {
            Some(Overrun::BudgetSpent {
                waited: waited.as_secs(),
                total: self.limits.total_wait.as_secs(),
            })
        } else {
            None
        };
        match overrun {
            Some(why) => Err(CommentError::RateLimited {
                platform: self.platform,
                kind: l.kind.as_str(),
                wait: Some(l.wait.as_secs().max(1)),
                why: Some(why),
                detail: self.rate_detail(r),
            }),
            None => Ok(l.wait),
        }
    }

    fn once(&self, method: Method, url: &Url, payload: Option<&[u8]>) -> Result<Response, Failure> {
        let mut req = self.client.request(method.reqwest(), url.clone());
        req = match &self.auth {
            Auth::Bearer(s) => req.bearer_auth(s.expose()),
            Auth::Header(name, s) => req.header(*name, s.expose()),
            Auth::Basic { user, password } => req.basic_auth(user, Some(password.expose())),
        };
        for (k, v) in &self.headers {
            req = req.header(*k, *v);
        }
        if let Some(p) = payload {
            req = req
                .header("Content-Type", "application/json")
                .body(p.to_vec());
        }
        let resp = req.send().map_err(|e| Failure::of(&e))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let mut bytes = Vec::new();
        resp.take(MAX_RESPONSE)
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::reading(&e))?;
        Ok(Response {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }

    fn classify(
        &self,
        method: Method,
        url: &Url,
        outcome: Result<Response, Failure>,
        attempts: u32,
    ) -> Result<Response, CommentError> {
        let platform = self.platform;
        let r = match outcome {
            Ok(r) => r,
            Err(f) => {
                let host = url.host_str().unwrap_or("?");
                let tries = if attempts > 1 {
                    format!(" (after {attempts} attempts)")
                } else {
                    String::new()
                };
                return Err(CommentError::Network {
                    platform,
                    detail: format!(
                        "{} {} on {host}: {}{tries}: {}",
                        method.as_str(),
                        url.path(),
                        f.what,
                        self.scrub(&f.detail)
                    ),
                });
            }
        };
        if (200..300).contains(&r.status) {
            return Ok(r);
        }
        if (300..400).contains(&r.status) {
            return Err(CommentError::Unexpected {
                platform,
                detail: format!(
                    "{} {}: redirect ({}) to another origin, not followed",
                    method.as_str(),
                    url.path(),
                    r.status
                ),
            });
        }
        let detail = self.detail(&r);
        let job = self.auth.is_job_token();
        Err(match r.status {
            401 => CommentError::Unauthorized {
                platform,
                detail,
                hint: self.hints.unauthorized.clone(),
            },
            403 | 429 if rate::kind(&r).is_some() => CommentError::RateLimited {
                platform,
                kind: rate::kind(&r).map_or("rate limit", rate::Kind::as_str),
                wait: None,
                why: None,
                detail: format!("{}, {attempts} attempts", self.rate_detail(&r)),
            },
            403 => CommentError::Forbidden {
                platform,
                detail,
                hint: self.hints.forbidden.clone(),
            },
            404 => CommentError::NotFound {
                platform,
                request: format!("{} {}", method.as_str(), url.path()),
                detail,
                hint: job.then(|| self.hints.forbidden.clone()),
            },
            s @ 500..=599 => CommentError::Server {
                platform,
                status: s,
                detail,
            },
            s => CommentError::Rejected {
                platform,
                status: s,
                detail,
            },
        })
    }

    /// `: <the platform's message>`, scrubbed; empty when the body says nothing.
    fn detail(&self, r: &Response) -> String {
        match error_message(&r.body) {
            Some(m) if !m.is_empty() => format!(": {}", self.scrub(&m)),
            _ => String::new(),
        }
    }

    /// The rate-limit figures: status and headers, scrubbed.
    fn rate_detail(&self, r: &Response) -> String {
        let mut parts = vec![format!("status {}", r.status)];
        for h in [
            "retry-after",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
            "ratelimit-reset",
        ] {
            if let Some(v) = r.header(h) {
                parts.push(format!("{h}: {}", self.scrub(v)));
            }
        }
        parts.join(", ")
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        out.push_str(": ");
        out.push_str(&s.to_string());
        src = s.source();
    }
    out
}

/// The human part of a platform's error body: GitHub `message` + `errors[].message`, GitLab
/// `message` (text or field → errors) or `error`, Bitbucket `error.message` + `error.detail`,
/// Azure DevOps `message`.
fn error_message(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    };
    let mut parts: Vec<String> = Vec::new();
    match v.get("error") {
        Some(serde_json::Value::Object(e)) => {
            parts.extend(e.get("message").and_then(text));
            parts.extend(e.get("detail").and_then(text));
        }
        Some(e) => parts.extend(text(e)),
        None => {}
    }
    parts.extend(v.get("message").and_then(text));
    if let Some(errors) = v.get("errors").and_then(|e| e.as_array()) {
        for e in errors.iter().take(3) {
            parts.extend(e.get("message").and_then(text).or_else(|| text(e)));
        }
    }
    parts.extend(v.get("error_description").and_then(text));
    (!parts.is_empty()).then(|| parts.join(": "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug() {
        let s = Secret::new("ghp_abc".into());
        assert!(format!("{s:?}").contains("***") && !format!("{s:?}").contains("abc"));
        let a = Auth::Basic {
            user: "u".into(),
            password: s,
        };
        assert!(!format!("{a:?}").contains("abc"));
    }

    #[test]
    fn error_bodies_of_each_platform() {
        assert_eq!(
            error_message(r#"{"message":"Validation Failed","errors":[{"resource":"IssueComment","code":"custom","field":"body","message":"body is too long (maximum is 65536 characters)"}]}"#).unwrap(),
            "Validation Failed: body is too long (maximum is 65536 characters)"
        );
        assert_eq!(
            error_message(
                r#"{"message":{"note":["is too long (maximum is 1000000 characters)"]}}"#
            )
            .unwrap(),
            r#"{"note":["is too long (maximum is 1000000 characters)"]}"#
        );
        assert_eq!(
            error_message(
                r#"{"type":"error","error":{"message":"Bad request","detail":"too long"}}"#
            )
            .unwrap(),
            "Bad request: too long"
        );
        assert_eq!(error_message("<html>"), None);
    }
}

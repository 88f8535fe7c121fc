//! The one HTTP client of the comment bot: reqwest (blocking) over rustls on aws-lc-rs, the TLS
//! stack the AWS SDK already brings.
//!
//! - The token goes only into the platform's authentication header, and only to the API's own
//!   origin: redirects and next-page links to another scheme, host or port are refused.
//! - Rate limits (429, or 403 with `x-ratelimit-remaining: 0` or `retry-after`) are waited out
//!   when the platform says how long (`retry-after`, `x-ratelimit-reset`, `ratelimit-reset`) and
//!   that is at most [`MAX_WAIT`]; at most [`MAX_ATTEMPTS`] attempts in all.
//! - Server errors and network failures are retried for idempotent methods only: a `POST`
//!   that failed after being sent may have created the comment.
//! - Every text that comes back from a server is scrubbed before it reaches a message: the
//!   token removed (a server could echo it), control characters escaped, length capped.

use super::error::CommentError;
use reqwest::blocking::Client;
use reqwest::header::HeaderMap;
use reqwest::Url;
use std::fmt;
use std::io::Read;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Longest wait for a rate limit; longer ones fail at once, saying when to retry.
pub const MAX_WAIT: Duration = Duration::from_secs(60);
/// Attempts per request, the first included.
pub const MAX_ATTEMPTS: u32 = 4;
/// Largest response body read.
const MAX_RESPONSE: u64 = 32 << 20;
/// Longest server text quoted in a message.
const MAX_DETAIL: usize = 300;

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
    fn secret(&self) -> &Secret {
        match self {
            Self::Bearer(s) | Self::Header(_, s) | Self::Basic { password: s, .. } => s,
        }
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
    origin: Url,
    headers: Vec<(&'static str, &'static str)>,
    hints: Hints,
}

impl Http {
    /// A client for `platform`'s API at `origin` (only that scheme, host and port get the token).
    pub fn new(
        platform: &'static str,
        origin: &Url,
        auth: Auth,
        headers: Vec<(&'static str, &'static str)>,
        hints: Hints,
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
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .redirect(redirect)
            .build()
            .map_err(|e| CommentError::Network {
                platform,
                detail: format!("cannot set up the HTTP client: {e}"),
            })?;
        Ok(Self {
            client,
            platform,
            auth,
            origin: origin.clone(),
            headers,
            hints,
        })
    }

    /// True when `url` is on the API's own origin (a next-page link may be followed).
    pub fn same_origin(&self, url: &Url) -> bool {
        url.origin() == self.origin.origin()
    }

    /// `text` fit for a message: no token, no control characters, at most a few hundred
    /// characters.
    pub fn scrub(&self, text: &str) -> String {
        scrub(text, Some(self.auth.secret()))
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
                scrub(url.as_str(), None),
                self.origin.origin().ascii_serialization()
            )));
        }
        let payload = body.map(|b| serde_json::to_vec(b).expect("JSON values serialise"));
        let mut waited = Duration::ZERO;
        let mut attempt = 1;
        loop {
            let outcome = self.once(method, url, payload.as_deref());
            let retry = match &outcome {
                Ok(r) if (200..300).contains(&r.status) => None,
                Ok(r) => match rate_limit_wait(r, attempt) {
                    Some(wait) if wait <= MAX_WAIT && waited + wait <= MAX_WAIT * 2 => Some(wait),
                    Some(wait) => {
                        return Err(CommentError::RateLimited {
                            platform: self.platform,
                            wait: Some(wait.as_secs().max(1)),
                            detail: self.detail(r, true),
                        })
                    }
                    None if r.status >= 500 && method.idempotent() => {
                        Some(Duration::from_millis(500 << attempt))
                    }
                    None => None,
                },
                Err(_) if method.idempotent() => Some(Duration::from_millis(500 << attempt)),
                Err(_) => None,
            };
            match retry {
                Some(wait) if attempt < MAX_ATTEMPTS => {
                    std::thread::sleep(wait);
                    waited += wait;
                    attempt += 1;
                }
                _ => return self.classify(method, url, outcome),
            }
        }
    }

    fn once(
        &self,
        method: Method,
        url: &Url,
        payload: Option<&[u8]>,
    ) -> Result<Response, reqwest::Error> {
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
        let resp = req.send()?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let mut bytes = Vec::new();
        // a body that cannot be read whole is treated as empty; the status still decides
        let _ = resp.take(MAX_RESPONSE).read_to_end(&mut bytes);
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
        outcome: Result<Response, reqwest::Error>,
    ) -> Result<Response, CommentError> {
        let platform = self.platform;
        let r = match outcome {
            Ok(r) => r,
            Err(e) => {
                let what = if e.is_timeout() {
                    "timed out"
                } else if e.is_connect() {
                    "connection failed"
                } else if e.is_redirect() {
                    "redirected to another origin (refused)"
                } else {
                    "request failed"
                };
                let host = url.host_str().unwrap_or("?");
                return Err(CommentError::Network {
                    platform,
                    detail: format!(
                        "{} {} on {host}: {what}: {}",
                        method.as_str(),
                        url.path(),
                        self.scrub(&error_chain(&e))
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
        let detail = self.detail(&r, false);
        Err(match r.status {
            401 => CommentError::Unauthorized {
                platform,
                detail,
                hint: self.hints.unauthorized.clone(),
            },
            403 | 429 if is_rate_limited(&r) => CommentError::RateLimited {
                platform,
                wait: None,
                detail: self.detail(&r, true),
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

    /// `: <the platform's message>` (or the rate-limit figures), scrubbed; empty when the
    /// body says nothing.
    fn detail(&self, r: &Response, rate: bool) -> String {
        if rate {
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
            return parts.join(", ");
        }
        match error_message(&r.body) {
            Some(m) if !m.is_empty() => format!(": {}", self.scrub(&m)),
            _ => String::new(),
        }
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

fn is_rate_limited(r: &Response) -> bool {
    r.status == 429
        || (r.status == 403
            && (r.header("x-ratelimit-remaining") == Some("0")
                || r.header("retry-after").is_some()))
}

/// How long to wait before retrying a rate-limited response; `None` when it is not one.
fn rate_limit_wait(r: &Response, attempt: u32) -> Option<Duration> {
    if !is_rate_limited(r) {
        return None;
    }
    if let Some(s) = r
        .header("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        return Some(Duration::from_secs(s));
    }
    let reset = r
        .header("x-ratelimit-reset")
        .or_else(|| r.header("ratelimit-reset"))
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(reset) = reset {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        // an epoch (GitHub, GitLab) or, when small, seconds from now (IETF draft style)
        let secs = if reset > 1_000_000_000 {
            reset.saturating_sub(now)
        } else {
            reset
        };
        return Some(Duration::from_secs(secs + 1));
    }
    Some(Duration::from_secs(1 << attempt))
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

/// Removes `secret`, escapes control and bidi characters, caps the length.
pub fn scrub(text: &str, secret: Option<&Secret>) -> String {
    let mut t = text.to_string();
    if let Some(s) = secret {
        if !s.expose().is_empty() {
            t = t.replace(s.expose(), "***");
        }
    }
    let mut out = String::new();
    for (n, c) in t.chars().enumerate() {
        if n >= MAX_DETAIL {
            out.push('…');
            break;
        }
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                out.push_str(&c.escape_unicode().to_string())
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_removes_the_token_and_controls() {
        let s = Secret::new("ghp_abc".into());
        let t = scrub("bad ghp_abc\u{1b}[2J\nnext\u{202e}", Some(&s));
        assert_eq!(t, "bad ***\\u{1b}[2J next\\u{202e}");
        assert!(format!("{s:?}").contains("***") && !format!("{s:?}").contains("abc"));
        assert_eq!(
            scrub(&"x".repeat(1000), None).chars().count(),
            MAX_DETAIL + 1
        );
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

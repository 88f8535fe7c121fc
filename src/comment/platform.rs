//! What each code-hosting platform implements: one file per platform behind [`Platform`].

use super::error::CommentError;
use super::http::{Auth, Hints, Http, Method};
use crate::report::markdown::Limit;
use reqwest::Url;

/// A comment already on the pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    /// The id the edit and delete calls take (Azure DevOps: the comment's thread is `thread`).
    pub id: String,
    pub body: String,
    /// GitHub: the GraphQL node id (`minimizeComment` takes it). Azure DevOps: the thread id.
    pub handle: Option<String>,
    /// Who wrote it, as [`Platform::whoami`] names accounts (GitHub login, GitLab user id,
    /// Bitbucket account uuid, Azure DevOps identity id); `None` when the platform did not say.
    pub author: Option<String>,
}

/// One request of a behaviour, for `--dry-run`: method and path (with query).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub method: Method,
    pub path: String,
}

/// The requests a platform makes, described for `--dry-run`; `{id}` stands for a comment id.
#[derive(Debug, Clone)]
pub struct Requests {
    pub list: Planned,
    /// Who the token is (asked when a marked comment exists).
    pub whoami: Planned,
    pub create: Planned,
    pub update: Planned,
    pub delete: Planned,
    /// `None` when the platform cannot hide comments.
    pub hide: Option<Planned>,
}

pub trait Platform {
    /// `GitHub`, `GitLab`, `Bitbucket`, `Azure DevOps`.
    fn name(&self) -> &'static str;
    /// The largest comment the platform accepts.
    fn limit(&self) -> Limit;
    /// Where the comment goes, for messages: `owner/repo#5`.
    fn place(&self) -> String;
    /// The API root: only its origin gets the token.
    fn origin(&self) -> &Url;
    /// Extra headers every request carries (GitHub's `Accept` and API version).
    fn headers(&self) -> Vec<(&'static str, &'static str)> {
        Vec::new()
    }
    /// What to say when the token is refused (401) or lacks a permission (403).
    fn hints(&self, auth: &Auth) -> Hints;
    /// Every comment, walking every page.
    fn list(&self, http: &Http) -> Result<Vec<Existing>, CommentError>;
    /// The account the token acts as, named as [`Existing::author`] names it. An error the
    /// caller may read as "cannot tell" (see [`super::identity`]).
    fn whoami(&self, http: &Http) -> Result<String, CommentError>;
    /// Which of `comments` (by id) are hidden already; platforms that cannot hide have none.
    fn hidden(
        &self,
        _http: &Http,
        _comments: &[Existing],
    ) -> Result<std::collections::BTreeSet<String>, CommentError> {
        Ok(std::collections::BTreeSet::new())
    }
    fn create(&self, http: &Http, body: &str) -> Result<Existing, CommentError>;
    fn update(&self, http: &Http, c: &Existing, body: &str) -> Result<(), CommentError>;
    fn delete(&self, http: &Http, c: &Existing) -> Result<(), CommentError>;
    /// Collapses a comment as outdated; `None` when the platform has no such thing.
    fn hide(&self, http: &Http, c: &Existing) -> Option<Result<(), CommentError>>;
    fn requests(&self) -> Requests;
    /// How messages name a comment: its id (Azure DevOps: the comment and its thread).
    fn label(&self, c: &Existing) -> String {
        c.id.clone()
    }
}

/// `url` with `segments` appended (each percent-encoded as one segment, `/` included).
pub fn join(base: &Url, segments: &[&str]) -> Url {
    let mut u = base.clone();
    if let Ok(mut p) = u.path_segments_mut() {
        p.pop_if_empty();
        p.extend(segments);
    }
    u
}

/// A path with its query, as `--dry-run` prints it.
pub fn path_of(u: &Url) -> String {
    match u.query() {
        Some(q) => format!("{}?{q}", u.path()),
        None => u.path().to_string(),
    }
}

pub fn planned(method: Method, u: &Url) -> Planned {
    Planned {
        method,
        path: path_of(u)
            .replace("%7Bid%7D", "{id}")
            .replace("%7Bthread%7D", "{thread}"),
    }
}

/// Parses a response body as JSON, or says which request gave something else.
pub fn json(
    platform: &'static str,
    what: &str,
    body: &str,
) -> Result<serde_json::Value, CommentError> {
    serde_json::from_str(body).map_err(|e| CommentError::Unexpected {
        platform,
        detail: format!("{what}: not JSON ({e})"),
    })
}

/// The text at `pointer` in `v` (a string, or a number as text), for ids and logins.
pub fn text_at(v: &serde_json::Value, pointer: &str) -> Option<String> {
    v.pointer(pointer).and_then(id_of)
}

/// A JSON id (number or string) as text.
pub fn id_of(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// The `rel="next"` target of an RFC 8288 `Link` header.
pub fn next_link(header: &str) -> Option<String> {
    let mut rest = header;
    while let Some(start) = rest.find('<') {
        let end = start + rest[start..].find('>')?;
        let target = &rest[start + 1..end];
        let after = &rest[end + 1..];
        let params_end = after.find('<').unwrap_or(after.len());
        let params = &after[..params_end];
        let is_next = params.split(';').any(|p| {
            let p = p.trim().trim_end_matches(',').trim();
            p.strip_prefix("rel=").is_some_and(|v| {
                v.trim_matches('"')
                    .split_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
            })
        });
        if is_next {
            return Some(target.to_string());
        }
        rest = &after[params_end..];
    }
    None
}

/// Longest walk through a comment list: beyond it, something is looping.
pub const MAX_PAGES: usize = 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers() {
        let h = r#"<https://api.github.com/repositories/1/issues/5/comments?page=2>; rel="next", <https://api.github.com/repositories/1/issues/5/comments?page=9>; rel="last""#;
        assert_eq!(
            next_link(h).as_deref(),
            Some("https://api.github.com/repositories/1/issues/5/comments?page=2")
        );
        assert_eq!(next_link(r#"<https://x/a?page=1>; rel="prev""#), None);
        assert_eq!(
            next_link(r#"<https://x/a?page=3>; rel=next"#).as_deref(),
            Some("https://x/a?page=3")
        );
    }

    #[test]
    fn segments_are_encoded_whole() {
        let base = Url::parse("https://gitlab.example.com/api/v4").unwrap();
        let u = join(&base, &["projects", "group/sub project", "notes"]);
        assert_eq!(u.path(), "/api/v4/projects/group%2Fsub%20project/notes");
        let base = Url::parse("https://dev.azure.com/org/").unwrap();
        assert_eq!(
            join(&base, &["My Project", "_apis"]).path(),
            "/org/My%20Project/_apis"
        );
    }
}

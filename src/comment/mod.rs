//! The PR comment bot: posts keyblast's markdown report on a pull request (GitHub, GitLab,
//! Bitbucket Cloud, Azure DevOps) and keeps one comment per tag up to date.
//!
//! keyblast's comment is one carrying its hidden marker as a line of its own
//! (`<!-- keyblast:report -->`, or `<!-- keyblast:report tag=NAME -->` with `--tag`) and
//! written by the account the token acts as ([`identity`]); no other comment is ever edited,
//! hidden or deleted. Behaviours ([`Behavior`], in [`behaviors`]):
//! - `update` (default): edit the newest such comment in place, post one when there is none,
//!   make no write at all when its body is already the same;
//! - `new`: always post a new comment;
//! - `delete-and-new`: post the new comment, then delete the earlier ones (posting first
//!   means a failure never leaves the pull request without a report);
//! - `hide-and-new`: post, then hide the earlier ones not hidden yet as outdated (GitHub's
//!   `minimizeComment`); GitLab, Bitbucket and Azure DevOps cannot hide a comment through
//!   their APIs, so there it says so and does `delete-and-new`.
//!
//! The body always fits the platform's limit ([`PlatformKind::limit`]): a report is rendered
//! within it, a finished body file is shortened the same way. See docs/comment.md.

pub mod azure;
mod behaviors;
pub mod bitbucket;
mod dry_run;
pub mod env;
pub mod error;
pub mod github;
pub mod gitlab;
pub mod http;
pub mod identity;
pub mod platform;
pub mod rate;
pub mod scrub;

pub use env::Env;
pub use error::CommentError;

use crate::report::markdown::{self, Limit, Unit};
use http::{Auth, Http, Limits};
use platform::Platform;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlatformKind {
    Github,
    Gitlab,
    Bitbucket,
    AzureDevops,
}

impl PlatformKind {
    /// The largest comment each platform accepts, as it counts it (sources in
    /// docs/comment.md). Bitbucket Cloud's is unverified: 32,767 is Bitbucket Server's
    /// documented refusal ("less than 32768 characters"), taken as a conservative guess and
    /// counted in bytes, which are never fewer than characters.
    pub fn limit(self) -> Limit {
        match self {
            Self::Github => Limit::GITHUB,
            Self::Gitlab => Limit {
                max: 1_000_000,
                unit: Unit::Chars,
                platform: "GitLab",
            },
            Self::Bitbucket => Limit {
                max: 32_767,
                unit: Unit::Bytes,
                platform: "Bitbucket",
            },
            Self::AzureDevops => Limit {
                max: 150_000,
                unit: Unit::Utf16,
                platform: "Azure DevOps",
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Behavior {
    #[default]
    Update,
    New,
    HideAndNew,
    DeleteAndNew,
}

/// Where to post, from flags; what a flag leaves out comes from the CI environment.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub api_url: Option<String>,
    /// GitHub `OWNER/NAME`, Bitbucket repository slug, Azure DevOps repository id or name.
    pub repo: Option<String>,
    pub pr: Option<u64>,
    /// GitLab project id or path; Azure DevOps project.
    pub project: Option<String>,
    pub mr: Option<u64>,
    pub workspace: Option<String>,
    pub org_url: Option<String>,
    /// Azure DevOps: open new threads active (they block a comment-resolution policy) rather
    /// than closed.
    pub thread_active: bool,
}

/// A validated `--tag`: letters, digits and `._/:@+=-`, at most 100 characters, so the marker
/// stays one HTML comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag(String);

impl Tag {
    pub fn parse(s: &str) -> Result<Self, String> {
        let ok = !s.is_empty()
            && s.chars().count() <= 100
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._/:@+=-".contains(c));
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err("a tag is 1 to 100 of A-Z a-z 0-9 . _ / : @ + = -".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One posting.
#[derive(Debug, Clone)]
pub struct Request {
    pub platform: PlatformKind,
    pub settings: Settings,
    pub behavior: Behavior,
    pub tag: Option<Tag>,
    pub dry_run: bool,
}

impl Request {
    pub fn marker(&self) -> String {
        markdown::marker(self.tag.as_ref().map(Tag::as_str))
    }
}

/// What a posting did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created {
        id: String,
    },
    Updated {
        id: String,
    },
    /// The marked comment already had this body: nothing was written.
    Unchanged {
        id: String,
    },
    /// Posted `id`, then deleted or hid the earlier marked comments of the token's account
    /// (`already_hidden` of them were hidden before and left as they were).
    Replaced {
        id: String,
        deleted: usize,
        hidden: usize,
        already_hidden: usize,
    },
    DryRun,
}

/// A finished body (a `--body-file`) made ready for `req`: the marker for its tag as the first
/// line, CRLF as LF, shortened to the platform's limit. Every keyblast marker line already in
/// the body (tagged or not, wherever it is: after a blank line, or in a second report pasted
/// below the first) is removed, so the posted body carries exactly one marker, its own, and
/// no other run's `update` can take it for its comment.
pub fn prepare(text: &str, req: &Request) -> String {
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let marker = req.marker();
    let rest: String = text
        .split_inclusive('\n')
        .filter(|l| !is_marker_line(l.trim_end_matches('\n')))
        .collect();
    let rest = rest.trim_start_matches('\n');
    markdown::fit(&format!("{marker}\n{rest}"), &req.platform.limit())
}

/// Any keyblast marker, tagged or not.
fn is_marker_line(line: &str) -> bool {
    let l = line.trim();
    l == markdown::MARKER
        || (l.starts_with("<!-- keyblast:report tag=")
            && l.ends_with(" -->")
            && !l[4..l.len() - 4].contains("--"))
}

/// True when `body` is keyblast's comment for `marker` (the marker is a line of its own).
pub fn carries(body: &str, marker: &str) -> bool {
    body.lines().any(|l| l.trim_end_matches('\r') == marker)
}

fn platform_of(req: &Request, env: &dyn Env) -> Result<Box<dyn Platform>, CommentError> {
    let s = &req.settings;
    Ok(match req.platform {
        PlatformKind::Github => Box::new(github::GitHub::from_settings(s, env)?),
        PlatformKind::Gitlab => Box::new(gitlab::GitLab::from_settings(s, env)?),
        PlatformKind::Bitbucket => Box::new(bitbucket::Bitbucket::from_settings(s, env)?),
        PlatformKind::AzureDevops => Box::new(azure::Azure::from_settings(s, env)?),
    })
}

fn auth_of(kind: PlatformKind, env: &dyn Env) -> Result<Auth, CommentError> {
    match kind {
        PlatformKind::Github => github::auth(env),
        PlatformKind::Gitlab => gitlab::auth(env),
        PlatformKind::Bitbucket => bitbucket::auth(env),
        PlatformKind::AzureDevops => azure::auth(env),
    }
}

/// Posts `body` (already within the platform's limit and carrying `req`'s marker) per `req`'s
/// behaviour. Progress lines go to `log`; nothing written there or returned ever holds the
/// token.
pub fn post(
    req: &Request,
    body: &str,
    env: &dyn Env,
    log: &mut dyn Write,
) -> Result<Outcome, CommentError> {
    post_within(req, body, env, log, Limits::default())
}

/// [`post`] with other time limits than keyblast's own: for tests (a stand-in that never
/// answers times out in a second, not half a minute). Not a user setting.
#[doc(hidden)]
pub fn post_within(
    req: &Request,
    body: &str,
    env: &dyn Env,
    log: &mut dyn Write,
    limits: Limits,
) -> Result<Outcome, CommentError> {
    let p = platform_of(req, env)?;
    if req.dry_run {
        dry_run::print(req, p.as_ref(), body, log);
        return Ok(Outcome::DryRun);
    }
    let auth = auth_of(req.platform, env)?;
    let hints = p.hints(&auth);
    let http = Http::new(p.name(), p.origin(), auth, p.headers(), hints, limits)?;
    let marker = req.marker();
    let outcome = behaviors::run(req.behavior, p.as_ref(), &http, body, &marker, log)?;
    let place = p.place();
    let _ = match &outcome {
        Outcome::Created { id } => writeln!(
            log,
            "keyblast: {}: posted comment {id} on {place}",
            p.name()
        ),
        Outcome::Updated { id } => writeln!(
            log,
            "keyblast: {}: updated comment {id} on {place}",
            p.name()
        ),
        Outcome::Unchanged { id } => writeln!(
            log,
            "keyblast: {}: comment {id} on {place} is already up to date",
            p.name()
        ),
        Outcome::Replaced {
            id,
            deleted,
            hidden,
            already_hidden,
        } => writeln!(
            log,
            "keyblast: {}: posted comment {id} on {place}{}",
            p.name(),
            behaviors::replaced_tail(*deleted, *hidden, *already_hidden)
        ),
        Outcome::DryRun => Ok(()),
    };
    Ok(outcome)
}

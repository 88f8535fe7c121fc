//! What can go wrong when posting a comment, one variant per thing the user does about it.
//!
//! Messages never contain a token: tokens live in [`super::http::Secret`], which has no
//! `Display`, and every text a server sends back is passed through
//! [`super::http::Http::scrub`] (which also removes any echo of the token, raw or as HTTP
//! Basic encodes it) before it is kept.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentError {
    /// A value neither a flag nor the CI environment gave.
    Missing {
        what: &'static str,
        flag: &'static str,
        variable: &'static str,
    },
    /// A flag or variable with an unusable value.
    Invalid(String),
    /// No token in the environment.
    NoToken {
        platform: &'static str,
        hint: String,
    },
    /// 401: the token was refused.
    Unauthorized {
        platform: &'static str,
        detail: String,
        hint: String,
    },
    /// 403 (not rate limiting): the token lacks a permission.
    Forbidden {
        platform: &'static str,
        detail: String,
        hint: String,
    },
    /// 404: repository, project or pull request not found (or not visible to the token).
    NotFound {
        platform: &'static str,
        request: String,
        detail: String,
        /// What the token itself likely cannot do (GitLab's CI_JOB_TOKEN).
        hint: Option<String>,
    },
    /// 400 / 413 / 422: the platform refused the request's content.
    Rejected {
        platform: &'static str,
        status: u16,
        detail: String,
    },
    /// Rate limited beyond what keyblast waits for.
    RateLimited {
        platform: &'static str,
        /// `rate limit` or `secondary rate limit`.
        kind: &'static str,
        /// What the platform asked to wait, in seconds.
        wait: Option<u64>,
        /// Why keyblast did not wait it out; `None` when it did and was still limited.
        why: Option<Overrun>,
        detail: String,
    },
    /// 5xx after retries.
    Server {
        platform: &'static str,
        status: u16,
        detail: String,
    },
    /// Could not connect, or the connection failed or timed out.
    Network {
        platform: &'static str,
        detail: String,
    },
    /// A response keyblast cannot read (not the platform's JSON shape).
    Unexpected {
        platform: &'static str,
        detail: String,
    },
    /// Reading the body file.
    Body(String),
}

/// Why a rate-limit wait was not waited out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overrun {
    /// The platform asked for longer than keyblast ever waits at once.
    TooLong { max: u64 },
    /// This run has already waited so long that the wait would exceed its budget.
    BudgetSpent { waited: u64, total: u64 },
}

impl fmt::Display for CommentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing { what, flag, variable } => write!(
                f,
                "no {what}: pass {flag} (in CI, {variable} gives it)"
            ),
            Self::Invalid(m) | Self::Body(m) => f.write_str(m),
            Self::NoToken { platform, hint } => write!(f, "{platform}: no token: {hint}"),
            Self::Unauthorized { platform, detail, hint } => {
                write!(f, "{platform} refused the token (401{detail}): {hint}")
            }
            Self::Forbidden { platform, detail, hint } => {
                write!(f, "{platform} denied the request (403{detail}): {hint}")
            }
            Self::NotFound { platform, request, detail, hint } => {
                write!(
                    f,
                    "{platform}: not found (404{detail}) for {request}: check the repository and pull request number, and that the token can see them"
                )?;
                match hint {
                    Some(h) => write!(f, "; {h}"),
                    None => Ok(()),
                }
            }
            Self::Rejected { platform, status, detail } => {
                write!(f, "{platform} rejected the request ({status}{detail})")
            }
            Self::RateLimited { platform, kind, wait, why, detail } => match (wait, why) {
                (Some(s), Some(Overrun::TooLong { max })) => write!(
                    f,
                    "{platform} {kind} ({detail}): retry in {s} s, longer than keyblast waits at once (at most {max} s)"
                ),
                (Some(s), Some(Overrun::BudgetSpent { waited, total })) => write!(
                    f,
                    "{platform} {kind} ({detail}): retry in {s} s; keyblast already waited {waited} s for rate limits in this run and waits at most {total} s in all"
                ),
                _ => write!(
                    f,
                    "{platform} {kind} ({detail}): still limited after waiting as asked"
                ),
            },
            Self::Server { platform, status, detail } => {
                write!(f, "{platform} server error ({status}{detail}) after retrying")
            }
            Self::Network { platform, detail } => write!(f, "cannot reach {platform}: {detail}"),
            Self::Unexpected { platform, detail } => {
                write!(f, "{platform} sent a response keyblast cannot read: {detail}")
            }
        }
    }
}

impl std::error::Error for CommentError {}

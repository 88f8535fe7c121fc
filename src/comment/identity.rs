//! Whose comment is it: keyblast only edits, hides or deletes comments written by the account
//! its token acts as, so a marker planted in someone else's comment (or quoted in a reply)
//! never makes keyblast overwrite or delete that comment.
//!
//! Each platform says who the token is ([`super::platform::Platform::whoami`]):
//! - GitHub: GraphQL `viewer { login }`, which answers for personal access tokens and for
//!   GitHub App installation tokens alike (Actions' `GITHUB_TOKEN` is `github-actions[bot]`),
//!   where REST `GET /user` refuses installation tokens; compared with each comment's
//!   `user.login`.
//! - GitLab: `GET /user` (a project or group access token is its bot user); `author.id`.
//! - Bitbucket: `GET /user`, which answers for an account's API token or app password
//!   (`BITBUCKET_USERNAME`) but refuses repository, project and workspace access tokens;
//!   `user.uuid`.
//! - Azure DevOps: `_apis/connectionData`'s `authenticatedUser.id` (the build service
//!   identity for `SYSTEM_ACCESSTOKEN`); the first comment's `author.id`.
//!
//! When the platform cannot tell ([`Identity::Unknown`]), keyblast learns the account from the
//! comment it posts (every platform returns the new comment with its author) and touches only
//! earlier marked comments by that same account: `delete-and-new` and `hide-and-new` post first
//! anyway, and `update` then posts a new comment and deletes its own earlier ones instead of
//! editing one in place (an unchanged body still writes nothing). Only if even the new comment
//! names no author does keyblast fall back to the marker alone, and it says so on stderr.

use super::error::CommentError;

/// Who the token acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Known(String),
    /// The platform would not say; why, for the note on stderr.
    Unknown(String),
}

/// A `whoami` answer: refusals and answers keyblast cannot read mean "cannot tell"; a rate
/// limit, a server error or a network failure stays an error (the writes would fail alike).
pub fn of(answer: Result<String, CommentError>) -> Result<Identity, CommentError> {
    match answer {
        Ok(me) if !me.is_empty() => Ok(Identity::Known(me)),
        Ok(_) => Ok(Identity::Unknown("an empty account name".into())),
        Err(
            e @ (CommentError::Unauthorized { .. }
            | CommentError::Forbidden { .. }
            | CommentError::NotFound { .. }
            | CommentError::Rejected { .. }
            | CommentError::Unexpected { .. }),
        ) => Ok(Identity::Unknown(e.to_string())),
        Err(e) => Err(e),
    }
}

/// True when `author` is `me`: logins, uuids and GUIDs compare without case.
pub fn same(author: Option<&str>, me: &str) -> bool {
    author.is_some_and(|a| a.eq_ignore_ascii_case(me))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_mean_cannot_tell_and_outages_stay_errors() {
        assert_eq!(
            of(Ok("github-actions[bot]".into())).unwrap(),
            Identity::Known("github-actions[bot]".into())
        );
        let refused = CommentError::Unauthorized {
            platform: "Bitbucket",
            detail: ": Token is invalid or not supported for this endpoint.".into(),
            hint: "h".into(),
        };
        assert!(
            matches!(of(Err(refused)).unwrap(), Identity::Unknown(w) if w.contains("not supported"))
        );
        let down = CommentError::Network {
            platform: "GitLab",
            detail: "x".into(),
        };
        assert!(of(Err(down)).is_err());
        assert!(same(Some("GitHub-Actions[bot]"), "github-actions[bot]"));
        assert!(!same(None, "x") && !same(Some("mallory"), "x"));
    }
}

//! Who a policy statement is about: [`Principal`], its normalisation and account helpers.
//!
//! Design decisions:
//! - A principal is its kind plus the string as written, after exactly two normalisations done
//!   at parse time: `{"AWS": "*"}` becomes [`Principal::Any`] (AWS treats it exactly like
//!   `"*"`), and a bare 12-digit account id in `AWS` becomes `arn:aws:iam::<id>:root` (AWS
//!   rewrites it that way when storing the policy). Nothing else is rewritten, so equality is
//!   plain string equality; a role ARN and its account root are different principals.
//! - The partition of a normalised bare account id is always `aws`: a policy does not say which
//!   partition it lives in.
//! - When the account is unknown, the default key policy names the placeholder root
//!   `arn:aws:iam::(this account):root` ([`THIS_ACCOUNT`]); it counts as an account root.

use std::fmt;

/// Stand-in for the account id in the default key policy when the account is not known.
pub const THIS_ACCOUNT: &str = "(this account)";

/// One principal named in a `Principal` or `NotPrincipal` element.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Principal {
    /// `"*"` or `{"AWS": "*"}`: everyone, in every account, authenticated or not.
    Any,
    /// An IAM ARN (account root, role, user, assumed-role session, ...) or unique id.
    Aws(String),
    /// An AWS service, e.g. `logs.us-east-1.amazonaws.com`.
    Service(String),
    /// A SAML or OIDC identity provider.
    Federated(String),
    /// An S3 canonical user id.
    CanonicalUser(String),
    /// Never parsed from a policy: in a [`diff`](super::diff()) result, the IAM principals of
    /// this account that neither document names, when what they may do differs from what
    /// [`Principal::Any`] ("anyone else") may do. Typically a `"*"` statement conditioned on
    /// `aws:PrincipalAccount`, or a Deny on the account root.
    OtherInAccount(String),
}

impl Principal {
    /// An `AWS` principal, normalised: `"*"` is [`Principal::Any`], a bare 12-digit account id
    /// becomes that account's root ARN.
    pub fn aws(s: &str) -> Principal {
        if s == "*" {
            Principal::Any
        } else if is_account_id(s) {
            Principal::Aws(format!("arn:aws:iam::{s}:root"))
        } else {
            Principal::Aws(s.to_string())
        }
    }

    /// The 12-digit account of an AWS principal ARN or bare account id; `None` otherwise
    /// (other kinds, unique ids like `AROA...`, malformed ARNs, the unknown-account placeholder).
    pub fn account(&self) -> Option<&str> {
        if let Principal::OtherInAccount(a) = self {
            return Some(a.as_str()).filter(|a| is_account_id(a));
        }
        let Principal::Aws(s) = self else { return None };
        if is_account_id(s) {
            return Some(s);
        }
        let parts = arn_parts(s)?;
        Some(parts[4]).filter(|a| is_account_id(a))
    }

    /// Whether this is an account root, `arn:<partition>:iam::<account>:root` (or a bare account
    /// id, or the [`THIS_ACCOUNT`] placeholder root). In a key policy an account root delegates
    /// to that account's IAM policies.
    pub fn is_account_root(&self) -> bool {
        let Principal::Aws(s) = self else {
            return false;
        };
        if is_account_id(s) {
            return true;
        }
        arn_parts(s).is_some_and(|p| {
            !p[1].is_empty()
                && p[2] == "iam"
                && p[3].is_empty()
                && (is_account_id(p[4]) || p[4] == THIS_ACCOUNT)
                && p[5] == "root"
        })
    }
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Principal::Any => f.write_str("*"),
            Principal::Aws(s)
            | Principal::Service(s)
            | Principal::Federated(s)
            | Principal::CanonicalUser(s) => f.write_str(s),
            Principal::OtherInAccount(a) => write!(f, "any other principal of account {a}"),
        }
    }
}

/// Twelve ASCII digits.
pub(crate) fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `arn:partition:service:region:account:resource`, split into its six fields.
fn arn_parts(s: &str) -> Option<[&str; 6]> {
    let mut it = s.splitn(6, ':');
    let parts = [
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    ];
    (parts[0] == "arn").then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aws(s: &str) -> Principal {
        Principal::Aws(s.to_string())
    }

    #[test]
    fn normalisation() {
        assert_eq!(Principal::aws("*"), Principal::Any);
        assert_eq!(
            Principal::aws("111122223333"),
            aws("arn:aws:iam::111122223333:root")
        );
        assert_eq!(Principal::aws("11112222333"), aws("11112222333"));
        assert_eq!(Principal::aws("1111222233334"), aws("1111222233334"));
        let role = "arn:aws:iam::111122223333:role/app";
        assert_eq!(Principal::aws(role), aws(role));
    }

    #[test]
    fn account_of_arns_and_ids() {
        assert_eq!(
            aws("arn:aws:iam::111122223333:role/app").account(),
            Some("111122223333")
        );
        assert_eq!(
            aws("arn:aws:sts::444455556666:assumed-role/r/session").account(),
            Some("444455556666")
        );
        assert_eq!(
            aws("arn:aws-cn:iam::111122223333:root").account(),
            Some("111122223333")
        );
        assert_eq!(aws("111122223333").account(), Some("111122223333"));
        assert_eq!(aws("AROAEXAMPLEID").account(), None);
        assert_eq!(aws("arn:aws:iam::(this account):root").account(), None);
        assert_eq!(aws("arn:aws:iam::12345:root").account(), None);
        assert_eq!(aws("not:an:arn:at:111122223333:all").account(), None);
        assert_eq!(aws("arn:aws:iam").account(), None);
        assert_eq!(Principal::Any.account(), None);
        assert_eq!(
            Principal::Service("logs.amazonaws.com".into()).account(),
            None
        );
    }

    #[test]
    fn account_roots() {
        assert!(aws("arn:aws:iam::111122223333:root").is_account_root());
        assert!(aws("arn:aws-us-gov:iam::111122223333:root").is_account_root());
        assert!(aws("111122223333").is_account_root());
        assert!(aws("arn:aws:iam::(this account):root").is_account_root());
        assert!(!aws("arn:aws:iam::111122223333:role/root").is_account_root());
        assert!(!aws("arn:aws:iam::111122223333:user/admin").is_account_root());
        assert!(!aws("arn:aws:sts::111122223333:root").is_account_root());
        assert!(!aws("arn::iam::111122223333:root").is_account_root());
        assert!(!aws("arn:aws:iam:us-east-1:111122223333:root").is_account_root());
        assert!(!aws("arn:aws:iam::notanaccount:root").is_account_root());
        assert!(!Principal::Any.is_account_root());
        assert!(!Principal::Service("arn:aws:iam::111122223333:root".into()).is_account_root());
    }

    #[test]
    fn display_is_the_raw_name() {
        assert_eq!(Principal::Any.to_string(), "*");
        assert_eq!(
            aws("arn:aws:iam::111122223333:root").to_string(),
            "arn:aws:iam::111122223333:root"
        );
        assert_eq!(
            Principal::Service("logs.us-east-1.amazonaws.com".into()).to_string(),
            "logs.us-east-1.amazonaws.com"
        );
        assert_eq!(
            Principal::Federated("cognito-identity.amazonaws.com".into()).to_string(),
            "cognito-identity.amazonaws.com"
        );
        assert_eq!(
            Principal::CanonicalUser("79a59df9".into()).to_string(),
            "79a59df9"
        );
        let others = Principal::OtherInAccount("111122223333".into());
        assert_eq!(
            others.to_string(),
            "any other principal of account 111122223333"
        );
        assert_eq!(others.account(), Some("111122223333"));
        assert!(!others.is_account_root());
    }

    #[test]
    fn ordering_puts_any_first_then_by_kind() {
        let mut v = vec![
            Principal::Service("a".into()),
            aws("z"),
            Principal::Any,
            aws("b"),
        ];
        v.sort();
        assert_eq!(
            v,
            [
                Principal::Any,
                aws("b"),
                aws("z"),
                Principal::Service("a".into())
            ]
        );
    }
}

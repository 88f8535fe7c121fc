//! What a principal string identifies: the parts of IAM and STS ARNs that decide matching, and
//! the parts of a service principal name.
//!
//! Design decisions:
//! - Only the shapes AWS documents for the `Principal` element are recognised (see
//!   docs/policy.md): account root `arn:P:iam::A:root`, IAM user `arn:P:iam::A:user/path/name`,
//!   IAM role `arn:P:iam::A:role/path/name`, assumed-role session
//!   `arn:P:sts::A:assumed-role/name/session` (sessions carry no path) and federated user
//!   `arn:P:sts::A:federated-user/name`. Anything else (unique ids such as `AROA...`, malformed
//!   ARNs) is [`Identity::Other`] and matches only itself.
//! - The region field must be empty and the account twelve digits (or, for a root, the
//!   [`THIS_ACCOUNT`] placeholder of the default policy, which then counts as an account of its
//!   own).
//! - A service principal is `<name>[.<region>].amazonaws.com[.cn]`; the regional and global
//!   forms of one service are reported as related, not equal (see `matching.rs`).

use super::principal::{is_account_id, THIS_ACCOUNT};

/// The matching-relevant parts of an `AWS` principal string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Identity<'a> {
    Root {
        partition: &'a str,
        account: &'a str,
    },
    User {
        partition: &'a str,
        account: &'a str,
    },
    Role {
        partition: &'a str,
        account: &'a str,
        /// The role name: the last `/` segment of the resource.
        name: &'a str,
    },
    Session {
        partition: &'a str,
        account: &'a str,
        /// The name of the role the session belongs to.
        role: &'a str,
    },
    FederatedUser {
        partition: &'a str,
        account: &'a str,
    },
    Other,
}

impl<'a> Identity<'a> {
    pub(crate) fn parse(s: &'a str) -> Identity<'a> {
        parse(s).unwrap_or(Identity::Other)
    }

    pub(crate) fn account(&self) -> Option<&'a str> {
        match *self {
            Identity::Root { account, .. }
            | Identity::User { account, .. }
            | Identity::Role { account, .. }
            | Identity::Session { account, .. }
            | Identity::FederatedUser { account, .. } => Some(account),
            Identity::Other => None,
        }
    }

    pub(crate) fn partition(&self) -> Option<&'a str> {
        match *self {
            Identity::Root { partition, .. }
            | Identity::User { partition, .. }
            | Identity::Role { partition, .. }
            | Identity::Session { partition, .. }
            | Identity::FederatedUser { partition, .. } => Some(partition),
            Identity::Other => None,
        }
    }

    /// Principals whose requests always carry `aws:PrincipalArn` and friends: every kind of
    /// IAM identity keyblast can parse.
    pub(crate) fn is_iam(&self) -> bool {
        !matches!(self, Identity::Other)
    }
}

fn parse(s: &str) -> Option<Identity<'_>> {
    let mut it = s.splitn(6, ':');
    let (arn, partition, service, region, account, resource) = (
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    );
    if arn != "arn" || partition.is_empty() || !region.is_empty() {
        return None;
    }
    if service == "iam" && resource == "root" && (is_account_id(account) || account == THIS_ACCOUNT)
    {
        return Some(Identity::Root { partition, account });
    }
    if !is_account_id(account) {
        return None;
    }
    let named = |prefix: &str| {
        let rest = resource.strip_prefix(prefix)?;
        let name = rest.rsplit('/').next()?;
        (!name.is_empty()).then_some(name)
    };
    match service {
        "iam" if named("user/").is_some() => Some(Identity::User { partition, account }),
        "iam" => named("role/").map(|name| Identity::Role {
            partition,
            account,
            name,
        }),
        "sts" => {
            if let Some(rest) = resource.strip_prefix("assumed-role/") {
                let (role, session) = rest.split_once('/')?;
                (!role.is_empty() && !session.is_empty()).then_some(Identity::Session {
                    partition,
                    account,
                    role,
                })
            } else {
                named("federated-user/").map(|_| Identity::FederatedUser { partition, account })
            }
        }
        _ => None,
    }
}

/// `logs.us-east-1.amazonaws.com` → (`logs`, Some(`us-east-1`)); `logs.amazonaws.com` →
/// (`logs`, None). Lower-cased. `None` for names that are not `*.amazonaws.com[.cn]`.
pub(crate) fn service_parts(s: &str) -> Option<(String, Option<String>)> {
    let lower = s.to_ascii_lowercase();
    let stem = lower
        .strip_suffix(".amazonaws.com")
        .or_else(|| lower.strip_suffix(".amazonaws.com.cn"))?;
    match stem.rsplit_once('.') {
        Some((base, region)) if looks_like_region(region) => {
            Some((base.to_string(), Some(region.to_string())))
        }
        _ => (!stem.is_empty()).then(|| (stem.to_string(), None)),
    }
}

/// `us-east-1`, `ap-southeast-4`, `us-gov-west-1`: letters and dashes ending in `-<digits>`.
fn looks_like_region(s: &str) -> bool {
    let Some((head, digits)) = s.rsplit_once('-') else {
        return false;
    };
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && head.contains('-')
        && head.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iam_and_sts_shapes() {
        let a = "111122223333";
        assert_eq!(
            Identity::parse("arn:aws:iam::111122223333:root"),
            Identity::Root {
                partition: "aws",
                account: a
            }
        );
        assert_eq!(
            Identity::parse("arn:aws:iam::(this account):root").account(),
            Some(THIS_ACCOUNT)
        );
        assert_eq!(
            Identity::parse("arn:aws-cn:iam::111122223333:role/ops/team/App"),
            Identity::Role {
                partition: "aws-cn",
                account: a,
                name: "App"
            }
        );
        assert_eq!(
            Identity::parse("arn:aws:sts::111122223333:assumed-role/App/i-0abc"),
            Identity::Session {
                partition: "aws",
                account: a,
                role: "App"
            }
        );
        assert_eq!(
            Identity::parse("arn:aws:iam::111122223333:user/dev/bob"),
            Identity::User {
                partition: "aws",
                account: a
            }
        );
        assert_eq!(
            Identity::parse("arn:aws:sts::111122223333:federated-user/bob"),
            Identity::FederatedUser {
                partition: "aws",
                account: a
            }
        );
        for other in [
            "AROAEXAMPLEID",
            "arn:aws:iam::1111:role/x",
            "arn:aws:iam:us-east-1:111122223333:role/x",
            "arn:aws:iam::111122223333:role/",
            "arn:aws:iam::111122223333:group/g",
            "arn:aws:sts::111122223333:assumed-role/App",
            "arn:aws:sts::111122223333:assumed-role//s",
            "arn::iam::111122223333:root",
            "arn:aws:s3:::bucket",
            "arn:aws:iam::(this account):role/x",
        ] {
            assert_eq!(Identity::parse(other), Identity::Other, "{other}");
        }
        assert!(!Identity::Other.is_iam());
        assert_eq!(Identity::Other.partition(), None);
    }

    #[test]
    fn service_names() {
        assert_eq!(
            service_parts("logs.us-east-1.amazonaws.com"),
            Some(("logs".into(), Some("us-east-1".into())))
        );
        assert_eq!(
            service_parts("Logs.amazonaws.com"),
            Some(("logs".into(), None))
        );
        assert_eq!(
            service_parts("logs.cn-north-1.amazonaws.com.cn"),
            Some(("logs".into(), Some("cn-north-1".into())))
        );
        assert_eq!(
            service_parts("apidestinations.events.amazonaws.com"),
            Some(("apidestinations.events".into(), None))
        );
        assert_eq!(service_parts("amazonaws.com"), None);
        assert_eq!(service_parts("example.com"), None);
        assert_eq!(service_parts(".amazonaws.com"), None);
    }
}

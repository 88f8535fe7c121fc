//! Every way of naming a KMS key, parsed into one [`KeyRef`].
//!
//! Terraform attributes and AWS APIs name keys in five ways, all accepted wherever AWS accepts
//! them and all seen in real plans and in moto, which stores whatever form it was given:
//!
//! | form | example |
//! |---|---|
//! | key id | `1234abcd-12ab-34cd-56ef-1234567890ab`, multi-region `mrk-1234abcd12ab34cd56ef1234567890ab` |
//! | key ARN | `arn:aws:kms:us-east-1:111122223333:key/<key id>` |
//! | alias name | `alias/app` |
//! | alias ARN | `arn:aws:kms:us-east-1:111122223333:alias/app` |
//!
//! Partitions `aws`, `aws-cn`, `aws-us-gov` (and any other `aws-*`) are accepted. Parsing is
//! purely syntactic; turning a reference into *the* key it means (aliases, replicas, other
//! accounts) is [`crate::graph`]'s key index, which knows the keys and aliases in play.
//! Key ids compare case-insensitively (AWS prints them lower-case); alias names are
//! case-sensitive, as in AWS.

use std::fmt;

/// A syntactically valid reference to a KMS key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyRef {
    KeyId(String),
    KeyArn(ArnParts),
    AliasName(String),
    AliasArn(ArnParts),
}

/// The parts of a KMS ARN; `resource` is the key id (lower-cased) or the `alias/…` name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArnParts {
    pub partition: String,
    pub region: String,
    pub account: String,
    pub resource: String,
}

fn is_hex(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `8-4-4-4-12` hexadecimal groups, or `mrk-` and 32 hexadecimal digits.
pub fn is_key_id(s: &str) -> bool {
    if let Some(rest) = s.strip_prefix("mrk-") {
        // AWS: 32 hex digits. Emulators (moto) use a UUID after `mrk-`; accept both.
        return (rest.len() == 32 && is_hex(rest)) || is_key_id(rest) && !rest.starts_with("mrk-");
    }
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && is_hex(g))
}

/// `alias/` then 1–250 of `[A-Za-z0-9/_-]` (AWS's alias name rule).
pub fn is_alias_name(s: &str) -> bool {
    s.strip_prefix("alias/").is_some_and(|rest| {
        !rest.is_empty()
            && rest.len() <= 250
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-'))
    })
}

fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

impl KeyRef {
    /// Parses a string that names a key; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.len() > 2048 {
            return None;
        }
        if let Some(rest) = s.strip_prefix("arn:") {
            let mut parts = rest.splitn(5, ':');
            let partition = parts.next()?;
            let service = parts.next()?;
            let region = parts.next()?;
            let account = parts.next()?;
            let resource = parts.next()?;
            if !(partition == "aws" || partition.starts_with("aws-"))
                || service != "kms"
                || region.is_empty()
                || !is_account(account)
            {
                return None;
            }
            let arn = |resource: String| ArnParts {
                partition: partition.to_string(),
                region: region.to_string(),
                account: account.to_string(),
                resource,
            };
            if let Some(id) = resource.strip_prefix("key/") {
                return is_key_id(id).then(|| Self::KeyArn(arn(id.to_ascii_lowercase())));
            }
            return is_alias_name(resource).then(|| Self::AliasArn(arn(resource.to_string())));
        }
        if is_alias_name(s) {
            return Some(Self::AliasName(s.to_string()));
        }
        is_key_id(s).then(|| Self::KeyId(s.to_ascii_lowercase()))
    }

    /// The key id, for the forms that carry one.
    pub fn key_id(&self) -> Option<&str> {
        match self {
            Self::KeyId(id) => Some(id),
            Self::KeyArn(a) => Some(&a.resource),
            _ => None,
        }
    }

    /// The alias name (`alias/…`), for the forms that carry one.
    pub fn alias(&self) -> Option<&str> {
        match self {
            Self::AliasName(n) => Some(n),
            Self::AliasArn(a) => Some(&a.resource),
            _ => None,
        }
    }

    pub fn arn(&self) -> Option<&ArnParts> {
        match self {
            Self::KeyArn(a) | Self::AliasArn(a) => Some(a),
            _ => None,
        }
    }

    pub fn region(&self) -> Option<&str> {
        self.arn().map(|a| a.region.as_str())
    }

    pub fn account(&self) -> Option<&str> {
        self.arn().map(|a| a.account.as_str())
    }

    /// True for multi-region key ids (`mrk-…`), whose replicas share the id in other regions.
    pub fn is_multi_region(&self) -> bool {
        self.key_id().is_some_and(|id| id.starts_with("mrk-"))
    }

    /// AWS managed keys are named by `alias/aws/…`; nobody can delete or change them.
    pub fn is_aws_managed_alias(&self) -> bool {
        self.alias().is_some_and(|a| a.starts_with("alias/aws/"))
    }

    /// Which form this is, for explanations.
    pub fn form(&self) -> &'static str {
        match self {
            Self::KeyId(_) => "key id",
            Self::KeyArn(_) => "key ARN",
            Self::AliasName(_) => "alias name",
            Self::AliasArn(_) => "alias ARN",
        }
    }
}

impl fmt::Display for KeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::KeyId(s) | Self::AliasName(s) => f.write_str(s),
            Self::KeyArn(a) => write!(
                f,
                "arn:{}:kms:{}:{}:key/{}",
                a.partition, a.region, a.account, a.resource
            ),
            Self::AliasArn(a) => write!(
                f,
                "arn:{}:kms:{}:{}:{}",
                a.partition, a.region, a.account, a.resource
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "1234abcd-12ab-34cd-56ef-1234567890ab";

    #[test]
    fn parses_every_form() {
        assert_eq!(KeyRef::parse(ID), Some(KeyRef::KeyId(ID.into())));
        assert_eq!(
            KeyRef::parse(&ID.to_uppercase()).unwrap().key_id(),
            Some(ID),
            "ids compare lower-case"
        );
        let arn = KeyRef::parse(&format!("arn:aws:kms:eu-west-1:111122223333:key/{ID}")).unwrap();
        assert_eq!(arn.key_id(), Some(ID));
        assert_eq!(arn.region(), Some("eu-west-1"));
        assert_eq!(arn.account(), Some("111122223333"));
        assert_eq!(arn.form(), "key ARN");
        assert_eq!(
            arn.to_string(),
            format!("arn:aws:kms:eu-west-1:111122223333:key/{ID}")
        );
        let alias = KeyRef::parse("alias/app/prod-1").unwrap();
        assert_eq!(alias.alias(), Some("alias/app/prod-1"));
        let alias_arn =
            KeyRef::parse("arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/app").unwrap();
        assert_eq!(alias_arn.alias(), Some("alias/app"));
        assert_eq!(alias_arn.arn().unwrap().partition, "aws-us-gov");
        let mrk = KeyRef::parse("mrk-1234abcd12ab34cd56ef1234567890ab").unwrap();
        assert!(mrk.is_multi_region());
        assert!(!KeyRef::parse(ID).unwrap().is_multi_region());
        assert!(KeyRef::parse("alias/aws/s3")
            .unwrap()
            .is_aws_managed_alias());
    }

    #[test]
    fn rejects_look_alikes() {
        for s in [
            "",
            "alias/",
            "alias/has space",
            "1234abcd-12ab-34cd-56ef-1234567890a",
            "mrk-123",
            "arn:aws:s3:::bucket",
            "arn:aws:kms:us-east-1:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms::111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:us-east-1:111122223333:key/not-an-id",
            "arn:other:kms:us-east-1:111122223333:alias/x",
            "arn:aws:iam::111122223333:role/alias/x",
        ] {
            assert_eq!(KeyRef::parse(s), None, "{s:?}");
        }
    }
}

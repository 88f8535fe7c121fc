//! The kinds of relationship between AWS resources that keyblast knows. An edge of the
//! blast-radius graph points from a dependent to what it depends on ("bucket —encrypted-by→
//! key"); which attribute makes which kind is the catalog's knowledge ([`super::key_edge`],
//! [`super::other_edge`]).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// An attribute names the key (or alias) that encrypts the resource's data.
    EncryptedBy,
    /// `aws_kms_alias.target_key_id` → key.
    AliasOf,
    /// `aws_kms_grant.key_id` → key.
    GrantOn,
    /// A principal that a grant gives operations to → the grant.
    GranteeOf,
    /// `aws_kms_key_policy` → the key whose policy it sets.
    KeyPolicyOf,
    /// A role or user → a key whose key policy allows it some KMS actions.
    PolicyAllows,
    /// `aws_kms_replica_key` → its multi-region primary.
    ReplicaOf,
    /// A function, task or service → the IAM role it runs as.
    UsesRole,
    /// An instance → the volume attached to it; a role → the policy attached to it.
    AttachedTo,
    /// A snapshot → the volume or database it was taken from.
    SnapshotOf,
    /// A snapshot copy → its source snapshot.
    CopyOf,
    /// A deposed object → the instance that replaces it.
    ReplacedWith,
    /// Any other configuration reference or ARN/id in an attribute.
    References,
}

impl EdgeKind {
    pub const ALL: [EdgeKind; 13] = [
        Self::EncryptedBy,
        Self::AliasOf,
        Self::GrantOn,
        Self::GranteeOf,
        Self::KeyPolicyOf,
        Self::PolicyAllows,
        Self::ReplicaOf,
        Self::UsesRole,
        Self::AttachedTo,
        Self::SnapshotOf,
        Self::CopyOf,
        Self::ReplacedWith,
        Self::References,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::EncryptedBy => "encrypted-by",
            Self::AliasOf => "alias-of",
            Self::GrantOn => "grant-on",
            Self::GranteeOf => "grantee-of",
            Self::KeyPolicyOf => "key-policy-of",
            Self::PolicyAllows => "policy-allows",
            Self::ReplicaOf => "replica-of",
            Self::UsesRole => "uses-role",
            Self::AttachedTo => "attached-to",
            Self::SnapshotOf => "snapshot-of",
            Self::CopyOf => "copy-of",
            Self::ReplacedWith => "replaced-with",
            Self::References => "references",
        }
    }

    /// Edge kinds through which a key change reaches data or workloads directly.
    pub fn is_key_use(self) -> bool {
        matches!(
            self,
            Self::EncryptedBy
                | Self::AliasOf
                | Self::ReplicaOf
                | Self::GrantOn
                | Self::PolicyAllows
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_and_kebab_case() {
        let names: HashSet<_> = EdgeKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), EdgeKind::ALL.len());
        for k in EdgeKind::ALL {
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
    }
}

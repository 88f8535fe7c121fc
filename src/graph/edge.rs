//! Typed edges of the blast-radius graph. An edge points from a dependent to what it depends
//! on ("bucket —encrypted-by→ key"), so the blast radius of a change is everything that can
//! reach the changed node.

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

/// When an edge holds: before the change, after it, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Phase {
    pub before: bool,
    pub after: bool,
}

impl Phase {
    pub const BEFORE: Phase = Phase {
        before: true,
        after: false,
    };
    pub const AFTER: Phase = Phase {
        before: false,
        after: true,
    };
    pub const BOTH: Phase = Phase {
        before: true,
        after: true,
    };

    pub fn union(self, o: Phase) -> Phase {
        Phase {
            before: self.before || o.before,
            after: self.after || o.after,
        }
    }
}

/// Whether the plan says an edge holds, or only that it may.
///
/// An edge is `possible` when a configuration reference names several instances and the plan
/// cannot say which one the dependent will use (`values(module.kms.key_arns)[0]`, a `for_each`
/// output indexed with a key no instance has): each candidate gets a possible edge. Values
/// (ARNs, ids) and references that select one instance make certain edges. Ordered so that
/// `max` is the stronger claim: linking the same edge once certainly makes it certain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Certainty {
    Possible,
    #[default]
    Certain,
}

impl Certainty {
    pub fn is_possible(self) -> bool {
        self == Self::Possible
    }

    /// The certainty of a path: possible as soon as one edge on it is.
    pub fn and(self, o: Certainty) -> Certainty {
        self.min(o)
    }
}

/// Edge data: kind, the attribute that made it, when it holds, and whether it surely does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub kind: EdgeKind,
    /// Attribute path on the dependent, e.g. `root_block_device.kms_key_id`.
    pub attr: Option<Box<str>>,
    pub phase: Phase,
    pub certainty: Certainty,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn certainty_of_paths_and_merges() {
        use Certainty::*;
        assert_eq!(Certain.and(Possible), Possible);
        assert_eq!(Certain.and(Certain), Certain);
        assert_eq!(
            Possible.max(Certain),
            Certain,
            "a certain link wins a merge"
        );
        assert!(Possible.is_possible() && !Certain.is_possible());
    }

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

//! What keyblast knows about AWS resource types: which are keys, which hold data, how people
//! name them, how they name themselves (ARN and id attributes, in [`identity`]), and what kind
//! of edge an attribute makes.
//!
//! Unknown types still take part: any attribute whose value resolves to a key is an
//! `encrypted-by` dependency (Secrets Manager, SQS, SNS, DynamoDB, Kinesis, ...), and any other
//! configuration reference or ARN is a `references` edge.

use serde_json::Value;

mod edge_kind;
mod identity;
pub mod shapes;
pub mod types;
pub use edge_kind::EdgeKind;
pub use identity::{canonical_id, identity, placeholder_type, Identity};
pub use types::{info, Attachment, Kms, TypeInfo};

/// Resource types that are KMS keys (keys, replicas, external keys).
pub fn is_key_type(t: &str) -> bool {
    matches!(info(t).kms, Kms::Key { .. })
}

/// Multi-region replica keys.
pub fn is_replica_type(t: &str) -> bool {
    matches!(info(t).kms, Kms::Key { replica: true, .. })
}

pub fn is_alias_type(t: &str) -> bool {
    info(t).kms == Kms::Alias
}

pub fn is_grant_type(t: &str) -> bool {
    info(t).kms == Kms::Grant
}

/// A type that carries a key policy: a key, or `aws_kms_key_policy`.
pub fn is_policy_bearing(t: &str) -> bool {
    is_key_type(t) || info(t).kms == Kms::KeyPolicy
}

pub fn is_key_policy_type(t: &str) -> bool {
    info(t).kms == Kms::KeyPolicy
}

/// Any `aws_kms_*` resource: keys, aliases, grants, key policies and the rest of KMS, also
/// those of a newer provider that the table does not list yet.
pub fn is_kms_type(t: &str) -> bool {
    !matches!(info(t).kms, Kms::None | Kms::Principal) || t.starts_with("aws_kms_")
}

pub fn is_role_type(t: &str) -> bool {
    info(t).kms == Kms::Principal
}

/// Types whose deletion destroys data, with what a person calls one.
pub fn stateful_store(t: &str) -> Option<&'static str> {
    info(t).store
}

/// The attributes that hold a resource's human name, most specific first.
fn name_attrs(t: &str) -> &'static [&'static str] {
    info(t).names
}

/// The human name of a resource from its current value: bucket, function, log group,
/// parameter, volume, instance or DB identifier, else `tags.Name`, else `None`.
pub fn human_name(t: &str, value: Option<&Value>) -> Option<String> {
    let v = value?;
    if v.is_null() {
        return None;
    }
    for a in name_attrs(t) {
        if let Some(s) = v.get(*a).and_then(Value::as_str).filter(|s| !s.is_empty()) {
            return Some(s.to_string());
        }
    }
    v.get("tags")
        .and_then(|t| t.get("Name"))
        .and_then(Value::as_str)
        .or_else(|| v.get("id").and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Attributes whose change is cosmetic or monitoring-only, on every type.
pub const COSMETIC: &[&str] = &["tags", "tags_all", "description", "timeouts"];

/// A cosmetic attribute ([`COSMETIC`]): its change says nothing about the resource's use of a
/// key, and it is never scanned for references (tags and free text say nothing about use).
pub fn is_cosmetic(name: &str) -> bool {
    COSMETIC.contains(&name)
}

/// Last segment of a dotted attribute path.
pub fn leaf(attr: &str) -> &str {
    attr.rsplit('.').next().unwrap_or(attr)
}

/// Attribute names that carry the IAM role or principal a workload acts as.
pub fn is_role_attr(attr: &str) -> bool {
    let l = leaf(attr);
    l == "role" || l.ends_with("role_arn") || l == "service_role" || l == "iam_role"
}

/// Attribute names that hold a policy document (JSON in a string).
pub fn is_policy_attr(attr: &str) -> bool {
    matches!(
        leaf(attr),
        "policy" | "policy_document" | "assume_role_policy" | "json" | "inline_policy"
    )
}

/// The edge an attribute of `referrer` (a type, `data.`-prefixed for data sources) makes to a
/// KMS key or alias: the type's own [`TypeInfo::key_edges`], else `references` from data
/// sources, keys, aliases and policy documents, else `encrypted-by`.
pub fn key_edge(referrer: &str, attr: &str) -> EdgeKind {
    let l = leaf(attr);
    if let Some((_, kind)) = info(referrer).key_edges.iter().find(|(a, _)| *a == l) {
        return *kind;
    }
    if referrer.starts_with("data.")
        || is_key_type(referrer)
        || is_alias_type(referrer)
        || is_policy_attr(attr)
    {
        EdgeKind::References
    } else {
        EdgeKind::EncryptedBy
    }
}

/// The edge an attribute of `referrer` makes to a non-key resource of type `target`: a role
/// attribute naming a role or user is `uses-role`; else the type's own
/// [`TypeInfo::ref_edges`] (snapshot-of, copy-of); else `references`.
pub fn other_edge(referrer: &str, attr: &str, target: &str) -> EdgeKind {
    if is_role_type(target) && is_role_attr(attr) {
        return EdgeKind::UsesRole;
    }
    let l = leaf(attr);
    info(referrer)
        .ref_edges
        .iter()
        .find(|(a, _)| *a == l)
        .map_or(EdgeKind::References, |(_, kind)| *kind)
}

/// An IAM role or user ARN (what a key policy or a workload's role attribute names).
pub fn is_iam_principal_arn(s: &str) -> bool {
    let mut p = s.splitn(6, ':');
    p.next() == Some("arn")
        && p.next().is_some()
        && p.next() == Some("iam")
        && p.next() == Some("")
        && p.next().is_some_and(|a| a.len() == 12)
        && p.next()
            .is_some_and(|r| r.starts_with("role/") || r.starts_with("user/"))
}

/// AWS-style resource ids worth indexing for value matches (`vol-…`, `i-…`, `snap-…`).
pub fn is_aws_id(s: &str) -> bool {
    let Some((prefix, rest)) = s.split_once('-') else {
        return false;
    };
    (1..=8).contains(&prefix.len())
        && prefix.bytes().all(|b| b.is_ascii_lowercase())
        && (8..=17).contains(&rest.len())
        && rest.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn edge_kinds_by_attribute() {
        assert_eq!(
            key_edge("aws_kms_alias", "target_key_id"),
            EdgeKind::AliasOf
        );
        assert_eq!(key_edge("aws_kms_grant", "key_id"), EdgeKind::GrantOn);
        assert_eq!(
            key_edge("aws_kms_key_policy", "key_id"),
            EdgeKind::KeyPolicyOf
        );
        assert_eq!(key_edge("aws_kms_key_policy", "id"), EdgeKind::KeyPolicyOf);
        assert_eq!(
            key_edge("aws_kms_replica_key", "primary_key_arn"),
            EdgeKind::ReplicaOf
        );
        assert_eq!(
            key_edge("aws_instance", "root_block_device.kms_key_id"),
            EdgeKind::EncryptedBy
        );
        assert_eq!(
            key_edge("aws_sqs_queue", "kms_master_key_id"),
            EdgeKind::EncryptedBy
        );
        assert_eq!(key_edge("aws_iam_policy", "policy"), EdgeKind::References);
        assert_eq!(
            other_edge("aws_lambda_function", "role", "aws_iam_role"),
            EdgeKind::UsesRole
        );
        assert_eq!(
            other_edge("aws_ebs_snapshot", "volume_id", "aws_ebs_volume"),
            EdgeKind::SnapshotOf
        );
        assert_eq!(
            other_edge(
                "aws_ebs_snapshot_copy",
                "source_snapshot_id",
                "aws_ebs_snapshot"
            ),
            EdgeKind::CopyOf
        );
        assert_eq!(
            other_edge("aws_s3_bucket_policy", "bucket", "aws_s3_bucket"),
            EdgeKind::References
        );
    }

    #[test]
    fn names_and_ids() {
        assert_eq!(
            human_name(
                "aws_s3_bucket",
                Some(&json!({"bucket": "logs", "id": "logs"}))
            )
            .as_deref(),
            Some("logs")
        );
        assert_eq!(
            human_name(
                "aws_instance",
                Some(&json!({"id": "i-1", "tags": {"Name": "web"}}))
            )
            .as_deref(),
            Some("web")
        );
        assert_eq!(
            human_name("aws_instance", Some(&json!({"tags": null}))),
            None
        );
        assert!(is_iam_principal_arn("arn:aws:iam::123456789012:role/app"));
        assert!(!is_iam_principal_arn("arn:aws:iam::123456789012:root"));
        assert!(is_aws_id("vol-0123456789abcdef0"));
        assert!(is_aws_id("i-12345678"));
        assert!(!is_aws_id("my-bucket"));
        assert!(stateful_store("aws_dynamodb_table").is_some());
        assert!(stateful_store("aws_iam_role").is_none());
    }
}

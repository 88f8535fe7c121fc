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
pub use edge_kind::EdgeKind;
pub use identity::{canonical_id, identity, placeholder_type, Identity};

/// Resource types that are KMS keys.
pub fn is_key_type(t: &str) -> bool {
    matches!(
        t,
        "aws_kms_key"
            | "aws_kms_replica_key"
            | "aws_kms_external_key"
            | "aws_kms_replica_external_key"
    )
}

pub fn is_alias_type(t: &str) -> bool {
    t == "aws_kms_alias"
}

pub fn is_role_type(t: &str) -> bool {
    matches!(t, "aws_iam_role" | "aws_iam_user")
}

/// Types whose deletion destroys data, with what a person calls one.
pub fn stateful_store(t: &str) -> Option<&'static str> {
    Some(match t {
        "aws_db_instance" | "aws_rds_cluster_instance" => "database instance",
        "aws_rds_cluster" | "aws_docdb_cluster" | "aws_neptune_cluster" => "database cluster",
        "aws_redshift_cluster" => "data warehouse",
        "aws_db_snapshot" | "aws_db_cluster_snapshot" | "aws_db_snapshot_copy" => {
            "database snapshot"
        }
        "aws_ebs_volume" => "volume",
        "aws_ebs_snapshot" | "aws_ebs_snapshot_copy" => "volume snapshot",
        "aws_s3_bucket" => "bucket",
        "aws_cloudwatch_log_group" => "log group",
        "aws_ssm_parameter" => "parameter",
        "aws_dynamodb_table" => "table",
        "aws_efs_file_system" => "file system",
        "aws_secretsmanager_secret" => "secret",
        "aws_sqs_queue" => "queue",
        "aws_kinesis_stream" => "stream",
        "aws_elasticache_replication_group" | "aws_elasticache_cluster" => "cache",
        "aws_opensearch_domain" | "aws_elasticsearch_domain" => "search domain",
        "aws_backup_vault" => "backup vault",
        "aws_fsx_lustre_file_system"
        | "aws_fsx_windows_file_system"
        | "aws_fsx_ontap_file_system" => "file system",
        _ => return None,
    })
}

/// The attributes that hold a resource's human name, most specific first.
fn name_attrs(t: &str) -> &'static [&'static str] {
    match t {
        "aws_s3_bucket" => &["bucket", "id"],
        "aws_db_instance" => &["identifier", "id"],
        "aws_rds_cluster" | "aws_docdb_cluster" | "aws_neptune_cluster" => {
            &["cluster_identifier", "id"]
        }
        "aws_rds_cluster_instance" => &["identifier", "id"],
        "aws_lambda_function" => &["function_name"],
        "aws_kms_key" | "aws_kms_replica_key" | "aws_kms_external_key" => &["key_id", "id"],
        "aws_db_snapshot" => &["db_snapshot_identifier", "id"],
        "aws_db_cluster_snapshot" => &["db_cluster_snapshot_identifier", "id"],
        "aws_s3_bucket_server_side_encryption_configuration" => &["bucket"],
        "aws_kms_grant" => &["name", "grant_id"],
        _ => &["name"],
    }
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

/// Attributes never scanned for references: tags and free text say nothing about use.
pub fn skip_attr(name: &str) -> bool {
    matches!(name, "tags" | "tags_all" | "description" | "timeouts")
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

/// The edge an attribute of `referrer` makes to a KMS key or alias.
pub fn key_edge(referrer: &str, attr: &str) -> EdgeKind {
    match (referrer, leaf(attr)) {
        ("aws_kms_alias", "target_key_id" | "target_key_arn") => EdgeKind::AliasOf,
        ("aws_kms_grant", "key_id") => EdgeKind::GrantOn,
        // the provider sets a key policy's `id` to its key's id
        ("aws_kms_key_policy", "key_id" | "id") => EdgeKind::KeyPolicyOf,
        ("aws_kms_replica_key" | "aws_kms_replica_external_key", "primary_key_arn") => {
            EdgeKind::ReplicaOf
        }
        (r, _) if r.starts_with("data.") || is_key_type(r) || is_alias_type(r) => {
            EdgeKind::References
        }
        (_, _) if is_policy_attr(attr) => EdgeKind::References,
        _ => EdgeKind::EncryptedBy,
    }
}

/// The edge an attribute of `referrer` makes to a non-key resource of type `target`.
pub fn other_edge(referrer: &str, attr: &str, target: &str) -> EdgeKind {
    let l = leaf(attr);
    match (referrer, l, target) {
        (_, _, t) if is_role_type(t) && is_role_attr(attr) => EdgeKind::UsesRole,
        ("aws_ebs_snapshot", "volume_id", _) => EdgeKind::SnapshotOf,
        ("aws_db_snapshot", "db_instance_identifier", _) => EdgeKind::SnapshotOf,
        ("aws_db_cluster_snapshot", "db_cluster_identifier", _) => EdgeKind::SnapshotOf,
        ("aws_ebs_snapshot_copy", "source_snapshot_id", _) => EdgeKind::CopyOf,
        ("aws_db_snapshot_copy", "source_db_snapshot_identifier", _) => EdgeKind::CopyOf,
        _ => EdgeKind::References,
    }
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

//! One entry per AWS resource type keyblast knows: what it is to KMS, whether deleting it
//! destroys data, how people and AWS name it, which of its attributes make which edge, what a
//! reviewer should see of it, and the shapes of the attributes keyblast reads.
//!
//! Adding a type is one entry here (see docs/architecture.md). A type not listed still takes
//! part through [`OTHER`]: any attribute that names a key is `encrypted-by`, any other ARN or
//! id a `references` edge.

use super::edge_kind::EdgeKind;
use super::identity::Identity;
use super::shapes::{Read, Shape};
use crate::hash::HashMap;
use std::sync::OnceLock;

/// What a type is to KMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kms {
    /// A KMS key: `aws_kms_key` and its replica and external variants.
    Key {
        replica: bool,
        external: bool,
    },
    Alias,
    Grant,
    /// `aws_kms_key_policy`: sets the policy of a key defined elsewhere.
    KeyPolicy,
    /// Another `aws_kms_*` resource (custom key store, ciphertext, ...): it changes how keys
    /// behave in ways no rule judges.
    OtherKms,
    /// An IAM role or user: a principal that workloads act as.
    Principal,
    /// Not a KMS resource.
    None,
}

/// A resource whose own attribute makes it the link between two others (an attachment).
#[derive(Debug, Clone, Copy)]
pub struct Attachment {
    /// The attribute naming the dependent (an instance, a role).
    pub dependent: &'static str,
    /// The attribute naming what it depends on (a volume, a policy); `None`: the attachment
    /// resource itself is the dependency (an inline role policy).
    pub dependency: Option<&'static str>,
}

/// Everything keyblast knows about one resource type.
#[derive(Debug, Clone, Copy)]
pub struct TypeInfo {
    /// The Terraform type, `aws_…`.
    pub name: &'static str,
    pub kms: Kms,
    /// What a person calls one, when deleting it destroys data ("volume", "bucket").
    pub store: Option<&'static str>,
    /// Attributes holding its human name, most specific first (else `tags.Name`, then `id`).
    pub names: &'static [&'static str],
    /// Attributes holding its own ARN and AWS id (see [`super::identity`]).
    pub identity: Identity,
    /// Attributes that make a particular edge to the key they name (default `encrypted-by`).
    pub key_edges: &'static [(&'static str, EdgeKind)],
    /// Attributes that make a particular edge to the non-key resource they name (default
    /// `references`; role attributes naming a role are `uses-role` for every type).
    pub ref_edges: &'static [(&'static str, EdgeKind)],
    pub attachment: Option<Attachment>,
    /// Settings a reviewer always sees for a change of it (KMS resources).
    pub settings: &'static [&'static str],
    /// Attributes that hold a secret whatever the plan's marks say (the provider marks them
    /// sensitive; plans before Terraform 0.15 carry no marks): redacted whole, whatever
    /// their shape (a string, a map, a list). A data source's are listed under its type.
    pub secrets: &'static [&'static str],
    /// Attributes read by name, with their JSON shape (checked when a plan is loaded).
    pub reads: &'static [Read],
}

const fn r(path: &'static [&'static str], shape: Shape) -> Read {
    Read { path, shape }
}

use Shape::{Bool, Number, Str, Strings};

const ARN_ID: Identity = Identity {
    arns: &["arn", "id"],
    ids: &["id"],
};
const ARN: Identity = Identity {
    arns: &["arn"],
    ids: &[],
};
const ARN_AWS_ID: Identity = Identity {
    arns: &["arn"],
    ids: &["id"],
};
const COMMON_READS: &[Read] = &[r(&["arn"], Str), r(&["id"], Str)];

/// The entry of a type keyblast has nothing particular to say about.
pub const OTHER: TypeInfo = TypeInfo {
    name: "",
    kms: Kms::None,
    store: None,
    names: &["name"],
    identity: ARN_ID,
    key_edges: &[],
    ref_edges: &[],
    attachment: None,
    settings: &[],
    secrets: &[],
    reads: COMMON_READS,
};

/// Types that hold data: the store name is all they add.
const fn store(name: &'static str, what: &'static str) -> TypeInfo {
    TypeInfo {
        name,
        store: Some(what),
        ..OTHER
    }
}

const KEY_SETTINGS: &[&str] = &[
    "is_enabled",
    "enabled",
    "enable_key_rotation",
    "rotation_period_in_days",
    "deletion_window_in_days",
    "multi_region",
    "key_usage",
    "customer_master_key_spec",
    "bypass_policy_lockout_safety_check",
    "policy",
];

const KEY_READS: &[Read] = &[
    r(&["arn"], Str),
    r(&["id"], Str),
    r(&["key_id"], Str),
    r(&["is_enabled"], Bool),
    r(&["enabled"], Bool),
    r(&["enable_key_rotation"], Bool),
    r(&["rotation_period_in_days"], Number),
    r(&["deletion_window_in_days"], Number),
    r(&["multi_region"], Bool),
    r(&["bypass_policy_lockout_safety_check"], Bool),
    r(&["customer_master_key_spec"], Str),
    r(&["key_spec"], Str),
    r(&["key_usage"], Str),
];

const fn key(name: &'static str, replica: bool, external: bool) -> TypeInfo {
    TypeInfo {
        name,
        kms: Kms::Key { replica, external },
        names: &["key_id", "id"],
        identity: ARN,
        key_edges: if replica {
            &[("primary_key_arn", EdgeKind::ReplicaOf)]
        } else {
            &[]
        },
        settings: KEY_SETTINGS,
        // the key material imported into an external key
        secrets: if external {
            &["key_material_base64"]
        } else {
            &[]
        },
        reads: KEY_READS,
        ..OTHER
    }
}

/// The KMS key types.
pub const KMS_KEY: &str = "aws_kms_key";
pub const KMS_REPLICA_KEY: &str = "aws_kms_replica_key";
pub const KMS_ALIAS: &str = "aws_kms_alias";
pub const KMS_GRANT: &str = "aws_kms_grant";
pub const KMS_KEY_POLICY: &str = "aws_kms_key_policy";
pub const IAM_ROLE: &str = "aws_iam_role";
pub const IAM_USER: &str = "aws_iam_user";
pub const S3_BUCKET: &str = "aws_s3_bucket";
pub const SSM_PARAMETER: &str = "aws_ssm_parameter";
pub const EBS_VOLUME: &str = "aws_ebs_volume";
pub const EBS_SNAPSHOT: &str = "aws_ebs_snapshot";
pub const EBS_DEFAULT_KEY: &str = "aws_ebs_default_kms_key";
pub const INSTANCE: &str = "aws_instance";
pub const DB_INSTANCE: &str = "aws_db_instance";
pub const RDS_CLUSTER: &str = "aws_rds_cluster";
pub const DB_SNAPSHOT: &str = "aws_db_snapshot";
pub const DB_CLUSTER_SNAPSHOT: &str = "aws_db_cluster_snapshot";
pub const LAMBDA_FUNCTION: &str = "aws_lambda_function";
pub const LOG_GROUP: &str = "aws_cloudwatch_log_group";
/// What a resource known only by an ARN of an unknown shape is.
pub const UNKNOWN_RESOURCE: &str = "aws_resource";

/// Every type keyblast knows something particular about.
pub const TYPES: &[TypeInfo] = &[
    key(KMS_KEY, false, false),
    key(KMS_REPLICA_KEY, true, false),
    key("aws_kms_external_key", false, true),
    key("aws_kms_replica_external_key", true, true),
    TypeInfo {
        name: KMS_ALIAS,
        kms: Kms::Alias,
        identity: ARN,
        key_edges: &[
            ("target_key_id", EdgeKind::AliasOf),
            ("target_key_arn", EdgeKind::AliasOf),
        ],
        settings: &["name", "target_key_id"],
        reads: &[
            r(&["arn"], Str),
            r(&["id"], Str),
            r(&["name"], Str),
            r(&["target_key_id"], Str),
            r(&["target_key_arn"], Str),
        ],
        ..OTHER
    },
    TypeInfo {
        name: KMS_GRANT,
        kms: Kms::Grant,
        names: &["name", "grant_id"],
        key_edges: &[("key_id", EdgeKind::GrantOn)],
        settings: &["grantee_principal", "operations", "retiring_principal"],
        reads: &[
            r(&["id"], Str),
            r(&["key_id"], Str),
            r(&["grant_id"], Str),
            r(&["name"], Str),
            r(&["grantee_principal"], Str),
            r(&["retiring_principal"], Str),
            r(&["operations"], Strings),
        ],
        ..OTHER
    },
    TypeInfo {
        name: KMS_KEY_POLICY,
        kms: Kms::KeyPolicy,
        // the provider sets a key policy's `id` to its key's id
        key_edges: &[
            ("key_id", EdgeKind::KeyPolicyOf),
            ("id", EdgeKind::KeyPolicyOf),
        ],
        settings: &["key_id", "policy"],
        reads: &[
            r(&["id"], Str),
            r(&["key_id"], Str),
            r(&["bypass_policy_lockout_safety_check"], Bool),
        ],
        ..OTHER
    },
    TypeInfo {
        name: "aws_kms_custom_key_store",
        kms: Kms::OtherKms,
        ..OTHER
    },
    TypeInfo {
        name: "aws_kms_ciphertext",
        kms: Kms::OtherKms,
        secrets: &["plaintext"],
        ..OTHER
    },
    // data source: what it decrypted, a map of name → plaintext
    TypeInfo {
        name: "aws_kms_secrets",
        kms: Kms::OtherKms,
        secrets: &["plaintext"],
        ..OTHER
    },
    TypeInfo {
        name: "aws_iam_access_key",
        secrets: &["secret", "ses_smtp_password_v4"],
        ..OTHER
    },
    TypeInfo {
        name: "aws_iam_user_login_profile",
        secrets: &["password"],
        ..OTHER
    },
    TypeInfo {
        name: "aws_elasticache_user",
        secrets: &["passwords"],
        ..OTHER
    },
    TypeInfo {
        name: IAM_ROLE,
        kms: Kms::Principal,
        identity: ARN,
        ..OTHER
    },
    TypeInfo {
        name: IAM_USER,
        kms: Kms::Principal,
        identity: ARN,
        ..OTHER
    },
    TypeInfo {
        name: S3_BUCKET,
        store: Some("bucket"),
        names: &["bucket", "id"],
        identity: ARN,
        reads: &[
            r(&["arn"], Str),
            r(&["id"], Str),
            r(&["bucket"], Str),
            r(
                &[
                    "server_side_encryption_configuration",
                    "rule",
                    "apply_server_side_encryption_by_default",
                    "kms_master_key_id",
                ],
                Str,
            ),
        ],
        ..OTHER
    },
    TypeInfo {
        name: "aws_s3_bucket_server_side_encryption_configuration",
        names: &["bucket"],
        reads: &[
            r(&["id"], Str),
            r(&["bucket"], Str),
            r(
                &[
                    "rule",
                    "apply_server_side_encryption_by_default",
                    "kms_master_key_id",
                ],
                Str,
            ),
        ],
        ..OTHER
    },
    TypeInfo {
        name: DB_INSTANCE,
        store: Some("database instance"),
        names: &["identifier", "id"],
        identity: ARN,
        secrets: &["password", "password_wo"],
        ..OTHER
    },
    TypeInfo {
        name: "aws_rds_cluster_instance",
        store: Some("database instance"),
        names: &["identifier", "id"],
        identity: ARN,
        ..OTHER
    },
    TypeInfo {
        name: RDS_CLUSTER,
        store: Some("database cluster"),
        names: &["cluster_identifier", "id"],
        identity: ARN,
        secrets: &["master_password", "master_password_wo"],
        ..OTHER
    },
    TypeInfo {
        names: &["cluster_identifier", "id"],
        ..store("aws_docdb_cluster", "database cluster")
    },
    TypeInfo {
        names: &["cluster_identifier", "id"],
        ..store("aws_neptune_cluster", "database cluster")
    },
    store("aws_redshift_cluster", "data warehouse"),
    TypeInfo {
        name: DB_SNAPSHOT,
        store: Some("database snapshot"),
        names: &["db_snapshot_identifier", "id"],
        identity: Identity {
            arns: &["db_snapshot_arn"],
            ids: &[],
        },
        ref_edges: &[("db_instance_identifier", EdgeKind::SnapshotOf)],
        reads: &[
            r(&["db_snapshot_arn"], Str),
            r(&["db_instance_identifier"], Str),
        ],
        ..OTHER
    },
    TypeInfo {
        name: "aws_db_snapshot_copy",
        store: Some("database snapshot"),
        identity: Identity {
            arns: &["db_snapshot_arn"],
            ids: &[],
        },
        ref_edges: &[("source_db_snapshot_identifier", EdgeKind::CopyOf)],
        reads: &[r(&["db_snapshot_arn"], Str)],
        ..OTHER
    },
    TypeInfo {
        name: DB_CLUSTER_SNAPSHOT,
        store: Some("database snapshot"),
        names: &["db_cluster_snapshot_identifier", "id"],
        identity: Identity {
            arns: &["db_cluster_snapshot_arn"],
            ids: &[],
        },
        ref_edges: &[("db_cluster_identifier", EdgeKind::SnapshotOf)],
        reads: &[
            r(&["db_cluster_snapshot_arn"], Str),
            r(&["db_cluster_identifier"], Str),
        ],
        ..OTHER
    },
    TypeInfo {
        name: EBS_VOLUME,
        store: Some("volume"),
        identity: ARN_AWS_ID,
        ..OTHER
    },
    TypeInfo {
        name: EBS_SNAPSHOT,
        store: Some("volume snapshot"),
        identity: ARN_AWS_ID,
        ref_edges: &[("volume_id", EdgeKind::SnapshotOf)],
        ..OTHER
    },
    TypeInfo {
        name: "aws_ebs_snapshot_copy",
        store: Some("volume snapshot"),
        identity: ARN_AWS_ID,
        ref_edges: &[("source_snapshot_id", EdgeKind::CopyOf)],
        ..OTHER
    },
    TypeInfo {
        name: EBS_DEFAULT_KEY,
        ..OTHER
    },
    TypeInfo {
        name: INSTANCE,
        identity: ARN_AWS_ID,
        reads: &[
            r(&["arn"], Str),
            r(&["id"], Str),
            r(&["root_block_device", "kms_key_id"], Str),
            r(&["ebs_block_device", "kms_key_id"], Str),
        ],
        ..OTHER
    },
    TypeInfo {
        name: "aws_launch_template",
        reads: &[
            r(&["arn"], Str),
            r(&["id"], Str),
            r(&["block_device_mappings", "ebs", "kms_key_id"], Str),
        ],
        ..OTHER
    },
    TypeInfo {
        name: "aws_volume_attachment",
        attachment: Some(Attachment {
            dependent: "instance_id",
            dependency: Some("volume_id"),
        }),
        reads: &[r(&["volume_id"], Str), r(&["instance_id"], Str)],
        ..OTHER
    },
    TypeInfo {
        name: "aws_iam_role_policy_attachment",
        attachment: Some(Attachment {
            dependent: "role",
            dependency: Some("policy_arn"),
        }),
        reads: &[r(&["role"], Str), r(&["policy_arn"], Str)],
        ..OTHER
    },
    TypeInfo {
        name: "aws_iam_user_policy_attachment",
        attachment: Some(Attachment {
            dependent: "user",
            dependency: Some("policy_arn"),
        }),
        reads: &[r(&["user"], Str), r(&["policy_arn"], Str)],
        ..OTHER
    },
    TypeInfo {
        name: "aws_iam_role_policy",
        attachment: Some(Attachment {
            dependent: "role",
            dependency: None,
        }),
        ..OTHER
    },
    TypeInfo {
        name: LAMBDA_FUNCTION,
        names: &["function_name"],
        identity: Identity {
            arns: &["arn", "qualified_arn"],
            ids: &[],
        },
        reads: &[
            r(&["arn"], Str),
            r(&["qualified_arn"], Str),
            r(&["function_name"], Str),
            r(&["role"], Str),
        ],
        ..OTHER
    },
    TypeInfo {
        name: LOG_GROUP,
        store: Some("log group"),
        identity: ARN,
        ..OTHER
    },
    TypeInfo {
        name: SSM_PARAMETER,
        store: Some("parameter"),
        identity: ARN,
        // `insecure_value` is the provider's non-secret variant: shown
        secrets: &["value", "value_wo"],
        ..OTHER
    },
    store("aws_dynamodb_table", "table"),
    store("aws_efs_file_system", "file system"),
    TypeInfo {
        secrets: &["secret_string", "secret_binary"],
        ..store("aws_secretsmanager_secret", "secret")
    },
    TypeInfo {
        name: "aws_secretsmanager_secret_version",
        secrets: &["secret_string", "secret_binary", "secret_string_wo"],
        ..OTHER
    },
    store("aws_sqs_queue", "queue"),
    store("aws_kinesis_stream", "stream"),
    store("aws_elasticache_replication_group", "cache"),
    store("aws_elasticache_cluster", "cache"),
    store("aws_opensearch_domain", "search domain"),
    store("aws_elasticsearch_domain", "search domain"),
    store("aws_backup_vault", "backup vault"),
    store("aws_fsx_lustre_file_system", "file system"),
    store("aws_fsx_windows_file_system", "file system"),
    store("aws_fsx_ontap_file_system", "file system"),
];

/// The entry for `rtype` (a data source's type is its resource's: `aws_kms_key` for
/// `data.aws_kms_key`); [`OTHER`] for a type not listed.
pub fn info(rtype: &str) -> &'static TypeInfo {
    static INDEX: OnceLock<HashMap<&'static str, &'static TypeInfo>> = OnceLock::new();
    INDEX
        .get_or_init(|| TYPES.iter().map(|t| (t.name, t)).collect())
        .get(rtype)
        .copied()
        .unwrap_or(&OTHER)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_type_is_listed_once_and_named_like_terraform() {
        let mut seen = HashSet::new();
        for t in TYPES {
            assert!(t.name.starts_with("aws_"), "{}", t.name);
            assert!(seen.insert(t.name), "{} twice", t.name);
        }
        assert_eq!(info("aws_nothing_like_this").name, "");
        assert_eq!(info(KMS_GRANT).kms, Kms::Grant);
    }

    #[test]
    fn key_types_are_the_four_key_resources() {
        let keys: Vec<&str> = TYPES
            .iter()
            .filter(|t| matches!(t.kms, Kms::Key { .. }))
            .map(|t| t.name)
            .collect();
        assert_eq!(
            keys,
            [
                KMS_KEY,
                KMS_REPLICA_KEY,
                "aws_kms_external_key",
                "aws_kms_replica_external_key"
            ]
        );
    }
}

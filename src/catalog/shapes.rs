//! The JSON shape of every resource attribute keyblast reads, so a plan whose values have the
//! wrong type there is refused (exit 2) instead of judged on a misreading.
//!
//! Why: keyblast reads some attributes by name (a key's `is_enabled`, a grant's `operations`,
//! an S3 encryption rule's `kms_master_key_id`). A value of another type there is not
//! something Terraform writes; reading it as "absent" would be the safe-looking guess the
//! project never makes (`"is_enabled": "false"` read as "not false" scores a disable low; a
//! `rule` that is a string hides the bucket's key and shrinks the blast radius). So the loader
//! checks each attribute below and names the JSON path and what was expected.
//!
//! Two kinds of entry:
//! - [`KEY_ATTRS`]: attribute names that hold a KMS key reference on every type (hashicorp/aws
//!   5.x schemas): wherever they occur in a value, they are a string or null.
//! - [`reads`]: per resource type, the paths read by name. Every step but the last is a
//!   nested block: null, an object, or a list of objects (or nulls). The last step has a
//!   [`Shape`]. Attributes not listed are not read by name and may hold anything.
//!
//! `policy` is deliberately absent: a key policy that is not a string is judged
//! (`key-policy-unparseable`, high), not refused, so the reviewer sees which key it is.

/// What the value at the end of a path must be (or null).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Bool,
    Number,
    Str,
    /// A list of strings.
    Strings,
}

impl Shape {
    /// Words for "expected …".
    pub fn expected(self) -> &'static str {
        match self {
            Shape::Bool => "true, false or null",
            Shape::Number => "a number or null",
            Shape::Str => "a string or null",
            Shape::Strings => "a list of strings or null",
        }
    }
}

/// One attribute read by name: the path from the resource's value, and the shape at its end.
#[derive(Debug, Clone, Copy)]
pub struct Read {
    pub path: &'static [&'static str],
    pub shape: Shape,
}

const fn r(path: &'static [&'static str], shape: Shape) -> Read {
    Read { path, shape }
}

/// Attribute names that name a KMS key wherever they occur (any type, any depth).
pub const KEY_ATTRS: &[&str] = &[
    "kms_key_id",
    "kms_key_arn",
    "kms_master_key_id",
    "performance_insights_kms_key_id",
    "master_user_secret_kms_key_id",
    "target_key_id",
    "target_key_arn",
    "primary_key_arn",
];

use Shape::{Bool, Number, Str, Strings};

/// What every resource is read for: its own ARN and id (identity, see [`super::identity`]).
const COMMON: &[Read] = &[r(&["arn"], Str), r(&["id"], Str)];

const KEY: &[Read] = &[
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

const ALIAS: &[Read] = &[
    r(&["arn"], Str),
    r(&["id"], Str),
    r(&["name"], Str),
    r(&["target_key_id"], Str),
    r(&["target_key_arn"], Str),
];

const GRANT: &[Read] = &[
    r(&["id"], Str),
    r(&["key_id"], Str),
    r(&["grant_id"], Str),
    r(&["name"], Str),
    r(&["grantee_principal"], Str),
    r(&["retiring_principal"], Str),
    r(&["operations"], Strings),
];

const KEY_POLICY: &[Read] = &[
    r(&["id"], Str),
    r(&["key_id"], Str),
    r(&["bypass_policy_lockout_safety_check"], Bool),
];

const S3_SSE: &[Read] = &[
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
];

const S3_BUCKET: &[Read] = &[
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
];

const INSTANCE: &[Read] = &[
    r(&["arn"], Str),
    r(&["id"], Str),
    r(&["root_block_device", "kms_key_id"], Str),
    r(&["ebs_block_device", "kms_key_id"], Str),
];

const LAUNCH_TEMPLATE: &[Read] = &[
    r(&["arn"], Str),
    r(&["id"], Str),
    r(&["block_device_mappings", "ebs", "kms_key_id"], Str),
];

const LAMBDA: &[Read] = &[
    r(&["arn"], Str),
    r(&["qualified_arn"], Str),
    r(&["function_name"], Str),
    r(&["role"], Str),
];

const VOLUME_ATTACHMENT: &[Read] = &[r(&["volume_id"], Str), r(&["instance_id"], Str)];

const ROLE_POLICY_ATTACHMENT: &[Read] = &[r(&["role"], Str), r(&["policy_arn"], Str)];

const USER_POLICY_ATTACHMENT: &[Read] = &[r(&["user"], Str), r(&["policy_arn"], Str)];

const DB_SNAPSHOT: &[Read] = &[
    r(&["db_snapshot_arn"], Str),
    r(&["db_instance_identifier"], Str),
];

const DB_CLUSTER_SNAPSHOT: &[Read] = &[
    r(&["db_cluster_snapshot_arn"], Str),
    r(&["db_cluster_identifier"], Str),
];

/// The attributes of `rtype` that keyblast reads by name (besides [`KEY_ATTRS`]).
pub fn reads(rtype: &str) -> &'static [Read] {
    match rtype {
        "aws_kms_key"
        | "aws_kms_replica_key"
        | "aws_kms_external_key"
        | "aws_kms_replica_external_key" => KEY,
        "aws_kms_alias" => ALIAS,
        "aws_kms_grant" => GRANT,
        "aws_kms_key_policy" => KEY_POLICY,
        "aws_s3_bucket_server_side_encryption_configuration" => S3_SSE,
        "aws_s3_bucket" => S3_BUCKET,
        "aws_instance" => INSTANCE,
        "aws_launch_template" => LAUNCH_TEMPLATE,
        "aws_lambda_function" => LAMBDA,
        "aws_volume_attachment" => VOLUME_ATTACHMENT,
        "aws_iam_role_policy_attachment" => ROLE_POLICY_ATTACHMENT,
        "aws_iam_user_policy_attachment" => USER_POLICY_ATTACHMENT,
        "aws_db_snapshot" | "aws_db_snapshot_copy" => DB_SNAPSHOT,
        "aws_db_cluster_snapshot" => DB_CLUSTER_SNAPSHOT,
        _ => COMMON,
    }
}

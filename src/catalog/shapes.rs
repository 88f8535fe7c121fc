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
//! - [`super::TypeInfo::reads`]: per resource type, the paths read by name. Every step but the
//!   last is a nested block: null, an object, or a list of objects (or nulls). The last step
//!   has a [`Shape`]. Attributes not listed are not read by name and may hold anything.
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

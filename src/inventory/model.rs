//! The inventory: what live discovery found in one account (and some regions), saved as a
//! versioned JSON document so an analysis can be replayed offline (`--inventory`).
//! Documented in docs/inventory.md; `inventory_version` changes only on breaking changes.
//!
//! Resources are described the way the graph needs them, not the way each AWS API returns
//! them: a Terraform-style type (`aws_s3_bucket`), an id (the ARN, or the AWS id where there
//! is none), a human name, and the key references exactly as AWS reported them (moto and AWS
//! return ids, ARNs, alias names or alias ARNs; the key index resolves every form).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const INVENTORY_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    pub inventory_version: u32,
    /// The account discovered (from STS), when known.
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default = "default_partition")]
    pub partition: String,
    /// Regions discovered.
    #[serde(default)]
    pub regions: Vec<String>,
    /// When discovery ran (RFC 3339), as recorded by the tool.
    #[serde(default)]
    pub generated_at: Option<String>,
    #[serde(default)]
    pub keys: Vec<LiveKey>,
    #[serde(default)]
    pub aliases: Vec<LiveAlias>,
    #[serde(default)]
    pub resources: Vec<LiveResource>,
    /// Every call that failed: discovery is complete only when this is empty.
    #[serde(default)]
    pub errors: Vec<DiscoveryError>,
}

fn default_partition() -> String {
    "aws".into()
}

impl Inventory {
    pub fn new(account: Option<String>, regions: Vec<String>) -> Self {
        Self {
            inventory_version: INVENTORY_VERSION,
            account,
            partition: default_partition(),
            regions,
            ..Self::default()
        }
    }

    pub fn complete(&self) -> bool {
        self.errors.is_empty()
    }

    /// Sorts every list so saved inventories are deterministic.
    pub fn normalise(&mut self) {
        self.regions.sort();
        self.regions.dedup();
        self.keys.sort_by(|a, b| a.arn.cmp(&b.arn));
        for k in &mut self.keys {
            k.grants.sort_by(|a, b| a.grant_id.cmp(&b.grant_id));
        }
        self.aliases
            .sort_by(|a, b| (&a.region, &a.name).cmp(&(&b.region, &b.name)));
        self.resources
            .sort_by(|a, b| (&a.rtype, &a.id).cmp(&(&b.rtype, &b.id)));
        for r in &mut self.resources {
            r.key_refs.sort();
            r.links.sort();
        }
        self.errors.sort();
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LiveKey {
    pub arn: String,
    pub key_id: String,
    pub region: String,
    #[serde(default)]
    pub description: Option<String>,
    /// `Enabled`, `Disabled`, `PendingDeletion`, `PendingImport`, ...
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub enabled: Option<bool>,
    /// `CUSTOMER` or `AWS`.
    #[serde(default)]
    pub manager: Option<String>,
    #[serde(default)]
    pub spec: Option<String>,
    #[serde(default)]
    pub usage: Option<String>,
    #[serde(default)]
    pub multi_region: Option<bool>,
    /// For multi-region replicas: the primary key's ARN.
    #[serde(default)]
    pub primary_arn: Option<String>,
    #[serde(default)]
    pub rotation_enabled: Option<bool>,
    /// The key policy document (policy text is not secret; it is what reviewers check).
    #[serde(default)]
    pub policy: Option<String>,
    #[serde(default)]
    pub grants: Vec<LiveGrant>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LiveGrant {
    pub grant_id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub grantee_principal: Option<String>,
    #[serde(default)]
    pub retiring_principal: Option<String>,
    #[serde(default)]
    pub operations: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LiveAlias {
    /// `alias/…`
    pub name: String,
    pub arn: String,
    pub region: String,
    /// Absent for AWS managed aliases whose key was never created.
    #[serde(default)]
    pub target_key_id: Option<String>,
}

/// A resource that may use a key, as discovered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LiveResource {
    /// ARN, or the AWS id where the service has no ARN for it.
    pub id: String,
    /// Terraform resource type it corresponds to, e.g. `aws_db_instance`.
    #[serde(rename = "type")]
    pub rtype: String,
    /// Human name: bucket, function, log group, parameter, volume, DB identifier.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    /// Other ids the same resource is known by (a volume's `vol-…` id, a bucket's name), so a
    /// plan resource holding any of them is recognised as this one.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Key references exactly as the API returned them.
    #[serde(default)]
    pub key_refs: Vec<KeyUse>,
    /// Other dependencies: the role a function runs as, the instance a volume is attached to,
    /// the volume a snapshot was taken from.
    #[serde(default)]
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KeyUse {
    /// The attribute it came from, in Terraform's naming (`kms_key_id`, `kms_key_arn`, ...).
    pub attr: String,
    pub key: String,
}

/// A dependency of a live resource on something that is not a key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Link {
    pub kind: LinkKind,
    /// ARN or AWS id of the other end.
    pub target: String,
}

/// How a live resource is linked to the other end of a [`Link`]. A kind keyblast does not
/// know makes the inventory unreadable (exit 2), never a silent `references` edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// A function runs as this role (the target is the role's ARN).
    UsesRole,
    /// On a volume: the instance it is attached to (the instance depends on the volume).
    AttachedTo,
    /// A snapshot's source: a volume, a DB instance or cluster.
    SnapshotOf,
    /// A copy's source snapshot.
    CopyOf,
}

/// A discovery call that failed. Recorded, never dropped: a failure must not shrink the blast
/// radius silently.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DiscoveryError {
    pub service: String,
    pub operation: String,
    #[serde(default)]
    pub region: Option<String>,
    /// The resource the call was about (a bucket name, a key id), if any.
    #[serde(default)]
    pub resource: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    pub message: String,
}

//! RDS: DescribeDBInstances, DescribeDBClusters, DescribeDBSnapshots and
//! DescribeDBClusterSnapshots (`KmsKeyId`, `PerformanceInsightsKMSKeyId`,
//! `MasterUserSecret.KmsKeyId`). Snapshots are linked to their key and to the instance or
//! cluster they were taken from.

use super::context::RegionCtx;
use super::found::{items, Call, Found};
use super::service::{ops, Operation, Service};
use crate::catalog::types;
use crate::inventory::{KeyUse, Link, LinkKind, LiveResource};
use futures_util::future::BoxFuture;

const SERVICE: &str = "rds";

pub struct Rds;

impl Service for Rds {
    fn name(&self) -> &'static str {
        SERVICE
    }

    fn finds(&self) -> &'static str {
        "DB instances and clusters (storage, Performance Insights and master-secret keys) and their snapshots"
    }

    fn operations(&self) -> &'static [Operation] {
        ops!("rds": DescribeDBInstances, DescribeDBClusters, DescribeDBSnapshots, DescribeDBClusterSnapshots)
    }

    fn discover<'a>(&'a self, ctx: &'a RegionCtx) -> BoxFuture<'a, Found> {
        Box::pin(discover(ctx))
    }
}

/// What one RDS item says: which resource it is, the keys it names, what it was taken from.
struct Item<'a> {
    rtype: &'static str,
    arn: Option<&'a str>,
    id: Option<&'a str>,
    keys: [(&'static str, Option<&'a str>); 3],
    /// The instance (`db:ID`) or cluster (`cluster:ID`) a snapshot was taken from.
    source: Option<String>,
}

impl Item<'_> {
    fn resource(&self, ctx: &RegionCtx) -> Option<LiveResource> {
        let (arn, id) = (self.arn?, self.id?);
        Some(LiveResource {
            id: arn.into(),
            rtype: self.rtype.into(),
            name: Some(id.into()),
            region: Some(ctx.region.clone()),
            key_refs: self
                .keys
                .iter()
                .filter_map(|(attr, k)| {
                    k.filter(|k| !k.is_empty()).map(|k| KeyUse {
                        attr: (*attr).into(),
                        key: k.into(),
                    })
                })
                .collect(),
            links: self
                .source
                .iter()
                .map(|target| Link {
                    kind: LinkKind::SnapshotOf,
                    target: target.clone(),
                })
                .collect(),
            ..LiveResource::default()
        })
    }
}

const KMS: &str = "kms_key_id";
const PI: &str = "performance_insights_kms_key_id";
const SECRET: &str = "master_user_secret.kms_key_id";

async fn discover(ctx: &RegionCtx) -> Found {
    let client = super::context::client!(aws_sdk_rds, ctx);
    let mut found = Found::default();
    let at = |op| Call::new(SERVICE, op, &ctx.region);

    let p = client.describe_db_instances().into_paginator();
    for db in items(p.items().send(), at("DescribeDBInstances"), &mut found).await {
        let secret = db.master_user_secret().and_then(|s| s.kms_key_id());
        let item = Item {
            rtype: types::DB_INSTANCE,
            arn: db.db_instance_arn(),
            id: db.db_instance_identifier(),
            keys: [
                (KMS, db.kms_key_id()),
                (PI, db.performance_insights_kms_key_id()),
                (SECRET, secret),
            ],
            source: None,
        };
        found.resources.extend(item.resource(ctx));
    }

    let p = client.describe_db_clusters().into_paginator();
    for c in items(p.items().send(), at("DescribeDBClusters"), &mut found).await {
        let secret = c.master_user_secret().and_then(|s| s.kms_key_id());
        let item = Item {
            rtype: types::RDS_CLUSTER,
            arn: c.db_cluster_arn(),
            id: c.db_cluster_identifier(),
            keys: [
                (KMS, c.kms_key_id()),
                (PI, c.performance_insights_kms_key_id()),
                (SECRET, secret),
            ],
            source: None,
        };
        found.resources.extend(item.resource(ctx));
    }

    let p = client.describe_db_snapshots().into_paginator();
    for s in items(p.items().send(), at("DescribeDBSnapshots"), &mut found).await {
        let item = Item {
            rtype: types::DB_SNAPSHOT,
            arn: s.db_snapshot_arn(),
            id: s.db_snapshot_identifier(),
            keys: [(KMS, s.kms_key_id()), (PI, None), (SECRET, None)],
            source: s
                .db_instance_identifier()
                .map(|db| ctx.arn("rds", &format!("db:{db}"))),
        };
        found.resources.extend(item.resource(ctx));
    }

    let p = client.describe_db_cluster_snapshots().into_paginator();
    for s in items(
        p.items().send(),
        at("DescribeDBClusterSnapshots"),
        &mut found,
    )
    .await
    {
        let item = Item {
            rtype: types::DB_CLUSTER_SNAPSHOT,
            arn: s.db_cluster_snapshot_arn(),
            id: s.db_cluster_snapshot_identifier(),
            keys: [(KMS, s.kms_key_id()), (PI, None), (SECRET, None)],
            source: s
                .db_cluster_identifier()
                .map(|c| ctx.arn("rds", &format!("cluster:{c}"))),
        };
        found.resources.extend(item.resource(ctx));
    }
    found
}

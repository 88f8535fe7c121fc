//! RDS: DescribeDBInstances, DescribeDBClusters, DescribeDBSnapshots and
//! DescribeDBClusterSnapshots (`KmsKeyId`, `PerformanceInsightsKMSKeyId`,
//! `MasterUserSecret.KmsKeyId`). Snapshots are linked to their key and to the instance or
//! cluster they were taken from.

use super::context::RegionCtx;
use super::found::{items, Found};
use crate::inventory::{KeyUse, Link, LiveResource};

const SERVICE: &str = "rds";

fn uses(pairs: &[(&str, Option<&str>)]) -> Vec<KeyUse> {
    pairs
        .iter()
        .filter_map(|(attr, k)| {
            k.filter(|k| !k.is_empty()).map(|k| KeyUse {
                attr: (*attr).into(),
                key: k.into(),
            })
        })
        .collect()
}

fn resource(
    ctx: &RegionCtx,
    arn: &str,
    rtype: &str,
    name: &str,
    key_refs: Vec<KeyUse>,
    source: Option<String>,
) -> LiveResource {
    LiveResource {
        id: arn.into(),
        rtype: rtype.into(),
        name: Some(name.into()),
        region: Some(ctx.region.clone()),
        key_refs,
        links: source
            .into_iter()
            .map(|target| Link {
                kind: "snapshot-of".into(),
                target,
            })
            .collect(),
        ..LiveResource::default()
    }
}

pub async fn discover(ctx: &RegionCtx) -> Found {
    let client = super::context::client!(aws_sdk_rds, ctx);
    let mut found = Found::default();
    let at = |op| (SERVICE, op, ctx.region.as_str());

    let dbs = items(
        client
            .describe_db_instances()
            .into_paginator()
            .items()
            .send(),
        at("DescribeDBInstances"),
        &mut found,
    )
    .await;
    for db in dbs {
        let (Some(arn), Some(id)) = (db.db_instance_arn(), db.db_instance_identifier()) else {
            continue;
        };
        let refs = uses(&[
            ("kms_key_id", db.kms_key_id()),
            (
                "performance_insights_kms_key_id",
                db.performance_insights_kms_key_id(),
            ),
            (
                "master_user_secret.kms_key_id",
                db.master_user_secret().and_then(|s| s.kms_key_id()),
            ),
        ]);
        found
            .resources
            .push(resource(ctx, arn, "aws_db_instance", id, refs, None));
    }

    let clusters = items(
        client
            .describe_db_clusters()
            .into_paginator()
            .items()
            .send(),
        at("DescribeDBClusters"),
        &mut found,
    )
    .await;
    for c in clusters {
        let (Some(arn), Some(id)) = (c.db_cluster_arn(), c.db_cluster_identifier()) else {
            continue;
        };
        let refs = uses(&[
            ("kms_key_id", c.kms_key_id()),
            (
                "performance_insights_kms_key_id",
                c.performance_insights_kms_key_id(),
            ),
            (
                "master_user_secret.kms_key_id",
                c.master_user_secret().and_then(|s| s.kms_key_id()),
            ),
        ]);
        found
            .resources
            .push(resource(ctx, arn, "aws_rds_cluster", id, refs, None));
    }

    let snaps = items(
        client
            .describe_db_snapshots()
            .into_paginator()
            .items()
            .send(),
        at("DescribeDBSnapshots"),
        &mut found,
    )
    .await;
    for s in snaps {
        let (Some(arn), Some(id)) = (s.db_snapshot_arn(), s.db_snapshot_identifier()) else {
            continue;
        };
        let source = s
            .db_instance_identifier()
            .map(|db| ctx.arn("rds", &format!("db:{db}")));
        found.resources.push(resource(
            ctx,
            arn,
            "aws_db_snapshot",
            id,
            uses(&[("kms_key_id", s.kms_key_id())]),
            source,
        ));
    }

    let csnaps = items(
        client
            .describe_db_cluster_snapshots()
            .into_paginator()
            .items()
            .send(),
        at("DescribeDBClusterSnapshots"),
        &mut found,
    )
    .await;
    for s in csnaps {
        let (Some(arn), Some(id)) = (
            s.db_cluster_snapshot_arn(),
            s.db_cluster_snapshot_identifier(),
        ) else {
            continue;
        };
        let source = s
            .db_cluster_identifier()
            .map(|c| ctx.arn("rds", &format!("cluster:{c}")));
        found.resources.push(resource(
            ctx,
            arn,
            "aws_db_cluster_snapshot",
            id,
            uses(&[("kms_key_id", s.kms_key_id())]),
            source,
        ));
    }
    found
}

//! RDS: DescribeDBInstances, DescribeDBClusters, DescribeDBSnapshots and
//! DescribeDBClusterSnapshots (`KmsKeyId`, `PerformanceInsightsKMSKeyId`,
//! `MasterUserSecret.KmsKeyId`). Snapshots are linked to their key and to the instance or
//! cluster they were taken from.

use super::context::RegionCtx;
use super::found::{failure, Found};
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
) -> LiveResource {
    LiveResource {
        id: arn.into(),
        rtype: rtype.into(),
        name: Some(name.into()),
        region: Some(ctx.region.clone()),
        key_refs,
        ..LiveResource::default()
    }
}

pub async fn discover(ctx: &RegionCtx) -> Found {
    let client = super::context::client!(aws_sdk_rds, ctx);
    let mut found = Found::default();
    let region = ctx.region.as_str();

    let mut pages = client
        .describe_db_instances()
        .into_paginator()
        .items()
        .send();
    while let Some(item) = pages.next().await {
        match item {
            Ok(db) => {
                let (Some(arn), Some(id)) = (db.db_instance_arn(), db.db_instance_identifier())
                else {
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
                    .push(resource(ctx, arn, "aws_db_instance", id, refs));
            }
            Err(e) => {
                found
                    .errors
                    .push(failure(SERVICE, "DescribeDBInstances", region, None, &e));
                break;
            }
        }
    }

    let mut pages = client
        .describe_db_clusters()
        .into_paginator()
        .items()
        .send();
    while let Some(item) = pages.next().await {
        match item {
            Ok(c) => {
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
                    .push(resource(ctx, arn, "aws_rds_cluster", id, refs));
            }
            Err(e) => {
                found
                    .errors
                    .push(failure(SERVICE, "DescribeDBClusters", region, None, &e));
                break;
            }
        }
    }

    let mut pages = client
        .describe_db_snapshots()
        .into_paginator()
        .items()
        .send();
    while let Some(item) = pages.next().await {
        match item {
            Ok(s) => {
                let (Some(arn), Some(id)) = (s.db_snapshot_arn(), s.db_snapshot_identifier())
                else {
                    continue;
                };
                let mut r = resource(
                    ctx,
                    arn,
                    "aws_db_snapshot",
                    id,
                    uses(&[("kms_key_id", s.kms_key_id())]),
                );
                if let Some(db) = s.db_instance_identifier() {
                    r.links.push(Link {
                        kind: "snapshot-of".into(),
                        target: ctx.arn("rds", &format!("db:{db}")),
                    });
                }
                found.resources.push(r);
            }
            Err(e) => {
                found
                    .errors
                    .push(failure(SERVICE, "DescribeDBSnapshots", region, None, &e));
                break;
            }
        }
    }

    let mut pages = client
        .describe_db_cluster_snapshots()
        .into_paginator()
        .items()
        .send();
    while let Some(item) = pages.next().await {
        match item {
            Ok(s) => {
                let (Some(arn), Some(id)) = (
                    s.db_cluster_snapshot_arn(),
                    s.db_cluster_snapshot_identifier(),
                ) else {
                    continue;
                };
                let mut r = resource(
                    ctx,
                    arn,
                    "aws_db_cluster_snapshot",
                    id,
                    uses(&[("kms_key_id", s.kms_key_id())]),
                );
                if let Some(c) = s.db_cluster_identifier() {
                    r.links.push(Link {
                        kind: "snapshot-of".into(),
                        target: ctx.arn("rds", &format!("cluster:{c}")),
                    });
                }
                found.resources.push(r);
            }
            Err(e) => {
                found.errors.push(failure(
                    SERVICE,
                    "DescribeDBClusterSnapshots",
                    region,
                    None,
                    &e,
                ));
                break;
            }
        }
    }
    found
}

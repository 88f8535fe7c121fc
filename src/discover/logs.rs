//! CloudWatch Logs: DescribeLogGroups (`kmsKeyId`). Log group ARNs end in `:*` in this API;
//! the suffix is removed so they match Terraform's `arn` attribute.

use super::context::RegionCtx;
use super::found::{items, Call, Found};
use super::service::{ops, Operation, Service};
use crate::catalog::types;
use crate::inventory::{KeyUse, LiveResource};
use futures_util::future::BoxFuture;

const SERVICE: &str = "logs";

pub struct Logs;

impl Service for Logs {
    fn name(&self) -> &'static str {
        SERVICE
    }

    fn sdk_id(&self) -> &'static str {
        "cloudwatchlogs"
    }

    fn finds(&self) -> &'static str {
        "log groups and their key (`kms_key_id`)"
    }

    fn operations(&self) -> &'static [Operation] {
        ops!("logs": DescribeLogGroups)
    }

    fn discover<'a>(&'a self, ctx: &'a RegionCtx) -> BoxFuture<'a, Found> {
        Box::pin(discover(ctx))
    }
}

async fn discover(ctx: &RegionCtx) -> Found {
    let client = super::context::client!(aws_sdk_cloudwatchlogs, ctx);
    let mut found = Found::default();
    let groups = items(
        client.describe_log_groups().into_paginator().items().send(),
        Call::new(SERVICE, "DescribeLogGroups", &ctx.region),
        &mut found,
    )
    .await;
    for g in groups {
        let Some(name) = g.log_group_name() else {
            continue;
        };
        let arn = match g.arn() {
            Some(a) => a.trim_end_matches(":*").to_string(),
            None => ctx.arn("logs", &format!("log-group:{name}")),
        };
        let mut r = LiveResource {
            id: arn,
            rtype: types::LOG_GROUP.into(),
            name: Some(name.into()),
            region: Some(ctx.region.clone()),
            ..LiveResource::default()
        };
        if let Some(k) = g.kms_key_id().filter(|k| !k.is_empty()) {
            r.key_refs.push(KeyUse {
                attr: "kms_key_id".into(),
                key: k.into(),
            });
        }
        found.resources.push(r);
    }
    found
}

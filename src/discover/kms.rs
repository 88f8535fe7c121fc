//! KMS: ListKeys, then per key ([`key`], bounded concurrency) DescribeKey, GetKeyPolicy,
//! GetKeyRotationStatus, ListGrants, ListResourceTags; and ListAliases alongside.
//!
//! Only read-only calls, and never on an alias: DescribeKey on an `alias/aws/*` alias creates
//! the AWS managed key, so keys are always addressed by the key id ListKeys returned.
//! GetKeyPolicy is always called with `PolicyName=default` (the only name AWS has; moto
//! insists on it being passed).

mod key;

use super::context::RegionCtx;
use super::found::{items, Call, Found};
use super::limit::Limit;
use super::service::{ops, Operation, Service};
use crate::inventory::LiveAlias;
use futures_util::future::BoxFuture;
use futures_util::stream::{self, StreamExt};

const SERVICE: &str = "kms";
/// ListKeys' largest page (default 100).
const LIST_KEYS_PAGE: i32 = 1000;
/// ListAliases' and ListGrants' largest page (default 50).
const PAGE: i32 = 100;

pub struct Kms;

impl Service for Kms {
    fn name(&self) -> &'static str {
        SERVICE
    }

    fn finds(&self) -> &'static str {
        "keys (state, enabled, manager, spec, usage, multi-region primary, rotation, policy, grants, tags) and aliases"
    }

    fn operations(&self) -> &'static [Operation] {
        ops!("kms": ListKeys, DescribeKey, GetKeyPolicy, GetKeyRotationStatus, ListGrants, ListResourceTags, ListAliases)
    }

    fn discover<'a>(&'a self, ctx: &'a RegionCtx) -> BoxFuture<'a, Found> {
        Box::pin(discover(ctx))
    }
}

async fn discover(ctx: &RegionCtx) -> Found {
    let client = &super::context::client!(aws_sdk_kms, ctx);
    let mut found = Found::default();
    let region = ctx.region.as_str();
    let keys = items(
        client
            .list_keys()
            .limit(LIST_KEYS_PAGE)
            .into_paginator()
            .items()
            .send(),
        Call::new(SERVICE, "ListKeys", region),
        &mut found,
    )
    .await;
    let ids: Vec<String> = keys
        .iter()
        .filter_map(|k| k.key_id().map(str::to_string))
        .collect();
    let limit = Limit::new(ctx.concurrency);
    let per_key = stream::iter(ids)
        .map(|id| {
            let (client, limit) = (client.clone(), &limit);
            async move { key::read(&client, ctx, limit, &id).await }
        })
        .buffer_unordered(ctx.concurrency)
        .collect::<Vec<Found>>();
    // the alias list runs alongside the keys' reads
    let mut listed = Found::default();
    let aliases = limit.run(items(
        client
            .list_aliases()
            .limit(PAGE)
            .into_paginator()
            .items()
            .send(),
        Call::new(SERVICE, "ListAliases", region),
        &mut listed,
    ));
    let (results, aliases) = futures_util::future::join(per_key, aliases).await;
    for r in results {
        found.extend(r);
    }
    found.extend(listed);
    for a in aliases {
        if let (Some(name), Some(arn)) = (a.alias_name(), a.alias_arn()) {
            found.aliases.push(LiveAlias {
                name: name.into(),
                arn: arn.into(),
                region: region.into(),
                target_key_id: a.target_key_id().map(str::to_string),
            });
        }
    }
    found
}

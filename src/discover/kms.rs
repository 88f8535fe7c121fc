//! KMS: ListKeys, then per key (bounded concurrency) DescribeKey, GetKeyPolicy,
//! GetKeyRotationStatus, ListGrants, ListResourceTags; and ListAliases.
//!
//! Only read-only calls, and never on an alias: DescribeKey on an `alias/aws/*` alias creates
//! the AWS managed key, so keys are always addressed by the key id ListKeys returned.
//! GetKeyPolicy is always called with `PolicyName=default` (the only name AWS has; moto
//! insists on it being passed).

use super::context::RegionCtx;
use super::found::{code_of, failure, items, Call, Found};
use super::service::{ops, Operation, Service};
use crate::inventory::{LiveAlias, LiveGrant, LiveKey};
use aws_sdk_kms::Client;
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
    let results: Vec<Found> = stream::iter(ids)
        .map(|id| {
            let client = client.clone();
            async move { key(&client, ctx, &id).await }
        })
        .buffer_unordered(ctx.concurrency)
        .collect()
        .await;
    for r in results {
        found.extend(r);
    }
    let aliases = items(
        client
            .list_aliases()
            .limit(PAGE)
            .into_paginator()
            .items()
            .send(),
        Call::new(SERVICE, "ListAliases", region),
        &mut found,
    )
    .await;
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

async fn key(client: &Client, ctx: &RegionCtx, id: &str) -> Found {
    let region = ctx.region.as_str();
    let mut found = Found::default();
    let meta = match client.describe_key().key_id(id).send().await {
        Ok(out) => match out.key_metadata {
            Some(m) => m,
            None => return found,
        },
        Err(e) => {
            found
                .errors
                .push(failure(SERVICE, "DescribeKey", region, Some(id), &e));
            return found;
        }
    };
    let arn = meta
        .arn()
        .map(str::to_string)
        .unwrap_or_else(|| ctx.arn("kms", &format!("key/{id}")));
    let customer = meta.key_manager().map(|m| m.as_str()) == Some("CUSTOMER");
    let mut k = LiveKey {
        arn,
        key_id: meta.key_id().to_string(),
        region: region.into(),
        description: meta
            .description()
            .map(str::to_string)
            .filter(|d| !d.is_empty()),
        state: meta.key_state().map(|s| s.as_str().to_string()),
        enabled: Some(meta.enabled()),
        manager: meta.key_manager().map(|m| m.as_str().to_string()),
        spec: meta.key_spec().map(|s| s.as_str().to_string()),
        usage: meta.key_usage().map(|u| u.as_str().to_string()),
        multi_region: meta.multi_region(),
        primary_arn: meta
            .multi_region_configuration()
            .filter(|c| c.multi_region_key_type().map(|t| t.as_str()) == Some("REPLICA"))
            .and_then(|c| c.primary_key())
            .and_then(|p| p.arn())
            .map(str::to_string),
        ..LiveKey::default()
    };
    match client
        .get_key_policy()
        .key_id(id)
        .policy_name("default")
        .send()
        .await
    {
        Ok(p) => k.policy = p.policy().map(str::to_string),
        Err(e) => found
            .errors
            .push(failure(SERVICE, "GetKeyPolicy", region, Some(id), &e)),
    }
    let symmetric = k.spec.as_deref().is_none_or(|s| s == "SYMMETRIC_DEFAULT");
    if customer && symmetric {
        match client.get_key_rotation_status().key_id(id).send().await {
            Ok(r) => k.rotation_enabled = Some(r.key_rotation_enabled()),
            // keys in some states (pending import, external stores) cannot answer: not a failure
            Err(e) if code_of(&e).as_deref() == Some("UnsupportedOperationException") => {}
            Err(e) => found.errors.push(failure(
                SERVICE,
                "GetKeyRotationStatus",
                region,
                Some(id),
                &e,
            )),
        }
    }
    let grants = items(
        client
            .list_grants()
            .key_id(id)
            .limit(PAGE)
            .into_paginator()
            .items()
            .send(),
        Call::new(SERVICE, "ListGrants", region).about(id),
        &mut found,
    )
    .await;
    k.grants = grants
        .into_iter()
        .map(|g| LiveGrant {
            grant_id: g.grant_id().unwrap_or_default().to_string(),
            name: g.name().map(str::to_string).filter(|n| !n.is_empty()),
            grantee_principal: g.grantee_principal().map(str::to_string),
            retiring_principal: g.retiring_principal().map(str::to_string),
            operations: g
                .operations()
                .iter()
                .map(|o| o.as_str().to_string())
                .collect(),
        })
        .collect();
    match client.list_resource_tags().key_id(id).send().await {
        Ok(t) => {
            for tag in t.tags() {
                k.tags
                    .insert(tag.tag_key().to_string(), tag.tag_value().to_string());
            }
        }
        Err(e) => found
            .errors
            .push(failure(SERVICE, "ListResourceTags", region, Some(id), &e)),
    }
    found.keys.push(k);
    found
}

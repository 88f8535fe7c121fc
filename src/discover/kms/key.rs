//! One key's reads: DescribeKey first (its manager and spec decide whether rotation can be
//! asked), then GetKeyPolicy, GetKeyRotationStatus, ListGrants and ListResourceTags together —
//! two round trips per key instead of five. Each call holds a permit of the service's
//! [`Limit`].

use super::{PAGE, SERVICE};
use crate::discover::context::RegionCtx;
use crate::discover::found::{code_of, failure, items, Call, Found};
use crate::discover::limit::Limit;
use crate::inventory::{LiveGrant, LiveKey};
use aws_sdk_kms::types::KeyMetadata;
use aws_sdk_kms::Client;

/// Everything about key `id`; failures recorded, the key kept whenever DescribeKey answered.
pub async fn read(client: &Client, ctx: &RegionCtx, limit: &Limit, id: &str) -> Found {
    let region = ctx.region.as_str();
    let mut found = Found::default();
    let meta = match limit.run(client.describe_key().key_id(id).send()).await {
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
    let mut k = live_key(ctx, id, &meta);
    let customer = k.manager.as_deref() == Some("CUSTOMER");
    let symmetric = k.spec.as_deref().is_none_or(|s| s == "SYMMETRIC_DEFAULT");

    let policy = limit.run(
        client
            .get_key_policy()
            .key_id(id)
            .policy_name("default")
            .send(),
    );
    let rotation = async {
        match customer && symmetric {
            true => Some(
                limit
                    .run(client.get_key_rotation_status().key_id(id).send())
                    .await,
            ),
            false => None,
        }
    };
    let mut listed = Found::default();
    let grants = limit.run(items(
        client
            .list_grants()
            .key_id(id)
            .limit(PAGE)
            .into_paginator()
            .items()
            .send(),
        Call::new(SERVICE, "ListGrants", region).about(id),
        &mut listed,
    ));
    let tags = limit.run(client.list_resource_tags().key_id(id).send());
    let (policy, rotation, grants, tags) = tokio::join!(policy, rotation, grants, tags);

    match policy {
        Ok(p) => k.policy = p.policy().map(str::to_string),
        Err(e) => found
            .errors
            .push(failure(SERVICE, "GetKeyPolicy", region, Some(id), &e)),
    }
    match rotation {
        None => {}
        Some(Ok(r)) => k.rotation_enabled = Some(r.key_rotation_enabled()),
        // keys in some states (pending import, external stores) cannot answer: not a failure
        Some(Err(e)) if code_of(&e).as_deref() == Some("UnsupportedOperationException") => {}
        Some(Err(e)) => found.errors.push(failure(
            SERVICE,
            "GetKeyRotationStatus",
            region,
            Some(id),
            &e,
        )),
    }
    found.extend(listed);
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
    match tags {
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

/// What DescribeKey says about a key.
fn live_key(ctx: &RegionCtx, id: &str, meta: &KeyMetadata) -> LiveKey {
    LiveKey {
        arn: meta
            .arn()
            .map(str::to_string)
            .unwrap_or_else(|| ctx.arn("kms", &format!("key/{id}"))),
        key_id: meta.key_id().to_string(),
        region: ctx.region.clone(),
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
    }
}

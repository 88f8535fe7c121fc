//! SSM: DescribeParameters (`KeyId` of SecureString parameters). Parameter values are never
//! read: this API returns metadata only. Pages of 50, the API's maximum (the default, 10,
//! makes a long chain of sequential calls on accounts with many parameters).

use super::context::RegionCtx;
use super::found::{items, Call, Found};
use super::service::{ops, Operation, Service};
use crate::catalog::types;
use crate::inventory::{KeyUse, LiveResource};
use futures_util::future::BoxFuture;

const SERVICE: &str = "ssm";
/// DescribeParameters' largest page.
const PAGE: i32 = 50;

pub struct Ssm;

impl Service for Ssm {
    fn name(&self) -> &'static str {
        SERVICE
    }

    fn finds(&self) -> &'static str {
        "parameters and the key of SecureString ones (`key_id`; values are never read)"
    }

    fn operations(&self) -> &'static [Operation] {
        ops!("ssm": DescribeParameters)
    }

    fn discover<'a>(&'a self, ctx: &'a RegionCtx) -> BoxFuture<'a, Found> {
        Box::pin(discover(ctx))
    }
}

async fn discover(ctx: &RegionCtx) -> Found {
    let client = super::context::client!(aws_sdk_ssm, ctx);
    let mut found = Found::default();
    // this paginator has no item stream: drain the pages
    let pages = items(
        client
            .describe_parameters()
            .max_results(PAGE)
            .into_paginator()
            .send(),
        Call::new(SERVICE, "DescribeParameters", &ctx.region),
        &mut found,
    )
    .await;
    for p in pages.iter().flat_map(|page| page.parameters()) {
        let Some(name) = p.name() else { continue };
        let arn = match p.arn() {
            Some(a) => a.to_string(),
            None => ctx.arn(
                "ssm",
                &format!("parameter/{}", name.trim_start_matches('/')),
            ),
        };
        let mut r = LiveResource {
            id: arn,
            rtype: types::SSM_PARAMETER.into(),
            name: Some(name.into()),
            region: Some(ctx.region.clone()),
            ..LiveResource::default()
        };
        if let Some(k) = p.key_id().filter(|k| !k.is_empty()) {
            r.key_refs.push(KeyUse {
                attr: "key_id".into(),
                key: k.into(),
            });
        }
        found.resources.push(r);
    }
    found
}

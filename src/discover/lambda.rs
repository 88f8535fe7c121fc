//! Lambda: ListFunctions (`KMSKeyArn` for environment encryption, and `Role`, so key-policy
//! changes reach functions through their execution role).

use super::context::RegionCtx;
use super::found::{items, Call, Found};
use super::service::{ops, Operation, Service};
use crate::catalog::types;
use crate::inventory::{KeyUse, Link, LinkKind, LiveResource};
use futures_util::future::BoxFuture;

const SERVICE: &str = "lambda";

pub struct Lambda;

impl Service for Lambda {
    fn name(&self) -> &'static str {
        SERVICE
    }

    fn finds(&self) -> &'static str {
        "functions, their environment key (`kms_key_arn`) and their execution role"
    }

    fn operations(&self) -> &'static [Operation] {
        ops!("lambda": ListFunctions)
    }

    fn discover<'a>(&'a self, ctx: &'a RegionCtx) -> BoxFuture<'a, Found> {
        Box::pin(discover(ctx))
    }
}

async fn discover(ctx: &RegionCtx) -> Found {
    let client = super::context::client!(aws_sdk_lambda, ctx);
    let mut found = Found::default();
    let functions = items(
        client.list_functions().into_paginator().items().send(),
        Call::new(SERVICE, "ListFunctions", &ctx.region),
        &mut found,
    )
    .await;
    for f in functions {
        let (Some(arn), Some(name)) = (f.function_arn(), f.function_name()) else {
            continue;
        };
        let mut r = LiveResource {
            id: arn.into(),
            rtype: types::LAMBDA_FUNCTION.into(),
            name: Some(name.into()),
            region: Some(ctx.region.clone()),
            ..LiveResource::default()
        };
        if let Some(k) = f.kms_key_arn().filter(|k| !k.is_empty()) {
            r.key_refs.push(KeyUse {
                attr: "kms_key_arn".into(),
                key: k.into(),
            });
        }
        if let Some(role) = f.role() {
            r.links.push(Link {
                kind: LinkKind::UsesRole,
                target: role.into(),
            });
        }
        found.resources.push(r);
    }
    found
}

//! S3: ListBuckets, then per bucket (bounded concurrency) its region and GetBucketEncryption.
//! `KMSMasterKeyID` may be a key id, key ARN or alias ARN. Buckets in other regions are asked
//! through a client for their own region. A bucket without default encryption is not an
//! error (real AWS answers SSE-S3; moto answers ServerSideEncryptionConfigurationNotFound).
//! S3 is global ([`Scope::Global`]): buckets are listed once, through the first region. Each
//! bucket's region comes from ListBuckets (`BucketRegion`, which AWS returns when the request
//! carries a parameter: MaxBuckets is sent); GetBucketLocation is asked only when an endpoint
//! does not say (moto never does).

use super::context::RegionCtx;
use super::found::{code_of, failure, items, Call, Found};
use super::service::{ops, Operation, Scope, Service};
use crate::catalog::types;
use crate::inventory::{KeyUse, LiveResource};
use aws_sdk_s3::Client;
use futures_util::future::BoxFuture;
use futures_util::stream::{self, StreamExt};

const SERVICE: &str = "s3";
/// ListBuckets' largest page.
const MAX_BUCKETS: i32 = 10_000;

pub struct S3;

impl Service for S3 {
    fn name(&self) -> &'static str {
        SERVICE
    }

    fn finds(&self) -> &'static str {
        "buckets and their default encryption key (`kms_master_key_id`)"
    }

    fn operations(&self) -> &'static [Operation] {
        ops!("s3": ListBuckets as "s3:ListAllMyBuckets", GetBucketLocation, GetBucketEncryption as "s3:GetEncryptionConfiguration")
    }

    fn scope(&self) -> Scope {
        Scope::Global
    }

    fn discover<'a>(&'a self, ctx: &'a RegionCtx) -> BoxFuture<'a, Found> {
        Box::pin(discover(ctx))
    }
}

fn client(ctx: &RegionCtx, region: &str) -> Client {
    let mut b = aws_sdk_s3::config::Builder::from(&ctx.conf)
        .region(aws_sdk_s3::config::Region::new(region.to_string()));
    if ctx.custom_endpoint {
        b = b.force_path_style(true);
    }
    if let Some(log) = &ctx.calls {
        b = b.interceptor(log.clone());
    }
    Client::from_conf(b.build())
}

async fn discover(ctx: &RegionCtx) -> Found {
    let mut found = Found::default();
    let home = client(ctx, &ctx.region);
    // MaxBuckets makes ListBuckets paginated and say each bucket's `BucketRegion` (AWS says it
    // only when the request carries a parameter): GetBucketLocation only where it is missing.
    let buckets = items(
        home.list_buckets()
            .max_buckets(MAX_BUCKETS)
            .into_paginator()
            .items()
            .send(),
        Call::new(SERVICE, "ListBuckets", &ctx.region),
        &mut found,
    )
    .await;
    let names: Vec<(String, Option<String>)> = buckets
        .iter()
        .filter_map(|b| Some((b.name()?.to_string(), b.bucket_region().map(str::to_string))))
        .collect();
    let results: Vec<Found> = stream::iter(names)
        .map(|(name, region)| {
            let home = home.clone();
            async move { bucket(ctx, &home, &name, region).await }
        })
        .buffer_unordered(ctx.concurrency)
        .collect()
        .await;
    for r in results {
        found.extend(r);
    }
    found
}

async fn bucket(ctx: &RegionCtx, home: &Client, name: &str, region: Option<String>) -> Found {
    let mut found = Found::default();
    let region = match region {
        Some(r) => r,
        None => match home.get_bucket_location().bucket(name).send().await {
            // an empty constraint means us-east-1
            Ok(l) => l
                .location_constraint()
                .map(|c| c.as_str().to_string())
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| "us-east-1".into()),
            Err(e) => {
                found.errors.push(failure(
                    SERVICE,
                    "GetBucketLocation",
                    &ctx.region,
                    Some(name),
                    &e,
                ));
                ctx.region.clone()
            }
        },
    };
    let c = if region == ctx.region {
        home.clone()
    } else {
        client(ctx, &region)
    };
    let mut r = LiveResource {
        id: format!("arn:{}:s3:::{name}", ctx.partition),
        rtype: types::S3_BUCKET.into(),
        name: Some(name.into()),
        region: Some(region.clone()),
        aliases: vec![name.into()],
        ..LiveResource::default()
    };
    match c.get_bucket_encryption().bucket(name).send().await {
        Ok(out) => {
            let rules = out
                .server_side_encryption_configuration()
                .map(|c| c.rules())
                .unwrap_or_default();
            for rule in rules {
                if let Some(key) = rule
                    .apply_server_side_encryption_by_default()
                    .and_then(|d| d.kms_master_key_id())
                {
                    r.key_refs.push(KeyUse {
                        attr: "kms_master_key_id".into(),
                        key: key.into(),
                    });
                }
            }
        }
        Err(e)
            if code_of(&e).as_deref() == Some("ServerSideEncryptionConfigurationNotFoundError") => {
        }
        Err(e) => found.errors.push(failure(
            SERVICE,
            "GetBucketEncryption",
            &region,
            Some(name),
            &e,
        )),
    }
    found.resources.push(r);
    found
}

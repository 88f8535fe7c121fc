//! SSM: DescribeParameters (`KeyId` of SecureString parameters). Parameter values are never
//! read: this API returns metadata only.

use super::context::RegionCtx;
use super::found::{failure, Found};
use crate::inventory::{KeyUse, LiveResource};

pub async fn discover(ctx: &RegionCtx) -> Found {
    let client = super::context::client!(aws_sdk_ssm, ctx);
    let mut found = Found::default();
    let mut pages = client.describe_parameters().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                for p in page.parameters() {
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
                        rtype: "aws_ssm_parameter".into(),
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
            }
            Err(e) => {
                found
                    .errors
                    .push(failure("ssm", "DescribeParameters", &ctx.region, None, &e));
                break;
            }
        }
    }
    found
}

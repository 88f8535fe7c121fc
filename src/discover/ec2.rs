//! EC2/EBS: DescribeVolumes (with attachments: the instances using a volume join the blast
//! radius one step further), DescribeSnapshots owned by the account (linked to their key and
//! to their source volume: moto reports no `KmsKeyId` for snapshots of encrypted volumes, so
//! the volume link is what connects them), and the account's default EBS key.

use super::context::RegionCtx;
use super::found::{code_of, failure, items, Call, Found};
use super::service::{ops, Operation, Service};
use crate::catalog::types;
use crate::inventory::{KeyUse, Link, LinkKind, LiveResource};
use futures_util::future::BoxFuture;

const SERVICE: &str = "ec2";

pub struct Ec2;

impl Service for Ec2 {
    fn name(&self) -> &'static str {
        SERVICE
    }

    fn finds(&self) -> &'static str {
        "EBS volumes (and the instances they are attached to), snapshots and the default EBS key"
    }

    fn operations(&self) -> &'static [Operation] {
        ops!("ec2": DescribeVolumes, DescribeSnapshots, GetEbsDefaultKmsKeyId)
    }

    fn discover<'a>(&'a self, ctx: &'a RegionCtx) -> BoxFuture<'a, Found> {
        Box::pin(discover(ctx))
    }
}

/// An EBS volume or snapshot: known by its AWS id (`vol-…`, `snap-…`) as well as the ARN.
fn ebs(
    ctx: &RegionCtx,
    rtype: &str,
    kind: &str,
    id: &str,
    key: Option<&str>,
    links: Vec<Link>,
) -> LiveResource {
    LiveResource {
        id: ctx.arn("ec2", &format!("{kind}/{id}")),
        rtype: rtype.into(),
        name: Some(id.into()),
        region: Some(ctx.region.clone()),
        aliases: vec![id.into()],
        key_refs: key
            .filter(|k| !k.is_empty())
            .map(|k| KeyUse {
                attr: "kms_key_id".into(),
                key: k.into(),
            })
            .into_iter()
            .collect(),
        links,
    }
}

async fn discover(ctx: &RegionCtx) -> Found {
    let client = super::context::client!(aws_sdk_ec2, ctx);
    let mut found = Found::default();
    let region = ctx.region.as_str();
    let at = |op| Call::new(SERVICE, op, region);

    let p = client.describe_volumes().into_paginator();
    for v in items(p.items().send(), at("DescribeVolumes"), &mut found).await {
        let Some(id) = v.volume_id() else { continue };
        let attached = v
            .attachments()
            .iter()
            .filter_map(|a| a.instance_id())
            .map(|i| Link {
                kind: LinkKind::AttachedTo,
                target: i.into(),
            })
            .collect();
        let r = ebs(
            ctx,
            types::EBS_VOLUME,
            "volume",
            id,
            v.kms_key_id(),
            attached,
        );
        found.resources.push(r);
    }

    let p = client
        .describe_snapshots()
        .owner_ids("self")
        .into_paginator();
    for s in items(p.items().send(), at("DescribeSnapshots"), &mut found).await {
        let Some(id) = s.snapshot_id() else { continue };
        let source = s
            .volume_id()
            .filter(|v| v.starts_with("vol-") && *v != "vol-ffffffff")
            .map(|v| Link {
                kind: LinkKind::SnapshotOf,
                target: v.into(),
            })
            .into_iter()
            .collect();
        let r = ebs(
            ctx,
            types::EBS_SNAPSHOT,
            "snapshot",
            id,
            s.kms_key_id(),
            source,
        );
        found.resources.push(r);
    }

    match client.get_ebs_default_kms_key_id().send().await {
        Ok(out) => {
            if let Some(k) = out.kms_key_id().filter(|k| !k.is_empty()) {
                found.resources.push(LiveResource {
                    id: ctx.arn("ec2", "ebs-default-kms-key"),
                    rtype: types::EBS_DEFAULT_KEY.into(),
                    name: Some(format!("EBS default key ({region})")),
                    region: Some(region.into()),
                    key_refs: vec![KeyUse {
                        attr: "key_arn".into(),
                        key: k.into(),
                    }],
                    ..LiveResource::default()
                });
            }
        }
        Err(e) => {
            let mut f = failure(SERVICE, "GetEbsDefaultKmsKeyId", region, None, &e);
            if code_of(&e).is_none() {
                // emulators without this API answer with no error code at all
                f.message = format!("not answered by this endpoint: {}", f.message);
            }
            found.errors.push(f);
        }
    }
    found
}

//! EC2/EBS: DescribeVolumes (with attachments: the instances using a volume join the blast
//! radius one step further), DescribeSnapshots owned by the account (linked to their key and
//! to their source volume: moto reports no `KmsKeyId` for snapshots of encrypted volumes, so
//! the volume link is what connects them), and the account's default EBS key.

use super::context::RegionCtx;
use super::found::{code_of, failure, items, Found};
use crate::inventory::{KeyUse, Link, LiveResource};

const SERVICE: &str = "ec2";

pub async fn discover(ctx: &RegionCtx) -> Found {
    let client = super::context::client!(aws_sdk_ec2, ctx);
    let mut found = Found::default();
    let region = ctx.region.as_str();

    let at = |op| (SERVICE, op, region);
    let volumes = items(
        client.describe_volumes().into_paginator().items().send(),
        at("DescribeVolumes"),
        &mut found,
    )
    .await;
    for v in volumes {
        let Some(id) = v.volume_id() else { continue };
        let mut r = LiveResource {
            id: ctx.arn("ec2", &format!("volume/{id}")),
            rtype: "aws_ebs_volume".into(),
            name: Some(id.into()),
            region: Some(region.into()),
            aliases: vec![id.into()],
            ..LiveResource::default()
        };
        if let Some(k) = v.kms_key_id().filter(|k| !k.is_empty()) {
            r.key_refs.push(KeyUse {
                attr: "kms_key_id".into(),
                key: k.into(),
            });
        }
        for a in v.attachments() {
            if let Some(i) = a.instance_id() {
                r.links.push(Link {
                    kind: "attached-to".into(),
                    target: i.into(),
                });
            }
        }
        found.resources.push(r);
    }

    let snapshots = items(
        client
            .describe_snapshots()
            .owner_ids("self")
            .into_paginator()
            .items()
            .send(),
        at("DescribeSnapshots"),
        &mut found,
    )
    .await;
    for s in snapshots {
        let Some(id) = s.snapshot_id() else { continue };
        let mut r = LiveResource {
            id: ctx.arn("ec2", &format!("snapshot/{id}")),
            rtype: "aws_ebs_snapshot".into(),
            name: Some(id.into()),
            region: Some(region.into()),
            aliases: vec![id.into()],
            ..LiveResource::default()
        };
        if let Some(k) = s.kms_key_id().filter(|k| !k.is_empty()) {
            r.key_refs.push(KeyUse {
                attr: "kms_key_id".into(),
                key: k.into(),
            });
        }
        if let Some(v) = s
            .volume_id()
            .filter(|v| v.starts_with("vol-") && *v != "vol-ffffffff")
        {
            r.links.push(Link {
                kind: "snapshot-of".into(),
                target: v.into(),
            });
        }
        found.resources.push(r);
    }

    match client.get_ebs_default_kms_key_id().send().await {
        Ok(out) => {
            if let Some(k) = out.kms_key_id().filter(|k| !k.is_empty()) {
                found.resources.push(LiveResource {
                    id: ctx.arn("ec2", "ebs-default-kms-key"),
                    rtype: "aws_ebs_default_kms_key".into(),
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

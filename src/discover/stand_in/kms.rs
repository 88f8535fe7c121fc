//! KMS's JSON protocol (`X-Amz-Target: TrentService.ListKeys`, a JSON body both ways, errors as
//! `{"__type": CODE, "message": ...}` with status 400), for the operations discovery calls.

use super::json_api::{self, error, ok};
use super::{Faults, Protocol, Reply, Request, World, ACCOUNT};
use serde_json::{json, Value};

pub struct Kms;

fn arn(region: &str, id: &str) -> String {
    format!("arn:aws:kms:{region}:{ACCOUNT}:key/{id}")
}

impl Protocol for Kms {
    fn decode(&self, target: Option<&str>, _: &reqwest::Url, body: &str) -> Request {
        json_api::decode(target, body, Some("KeyId"))
    }

    fn throttled(&self) -> Reply {
        json_api::throttled()
    }

    fn denied(&self, rq: &Request) -> Reply {
        json_api::denied("kms", rq)
    }

    fn answer(&self, world: &World, faults: &Faults, rq: &Request) -> Reply {
        let region = "us-east-1";
        let id = rq.resource.as_deref().unwrap_or_default();
        let known = world.keys.contains(&id);
        match rq.op.as_str() {
            "ListKeys" => {
                let keys: Vec<Value> = world
                    .keys
                    .iter()
                    .map(|k| json!({"KeyId": k, "KeyArn": arn(region, k)}))
                    .collect();
                if faults.marker_loop {
                    ok(json!({"Keys": keys, "Truncated": true, "NextMarker": "same-marker"}))
                } else {
                    ok(json!({"Keys": keys, "Truncated": false}))
                }
            }
            "ListAliases" => ok(json!({"Aliases": [], "Truncated": false})),
            _ if !known => error("NotFoundException", &format!("Key '{id}' does not exist")),
            "DescribeKey" => ok(json!({"KeyMetadata": {
                "KeyId": id, "Arn": arn(region, id), "AWSAccountId": ACCOUNT,
                "Enabled": true, "KeyState": "Enabled", "KeyManager": "CUSTOMER",
                "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT",
                "Description": format!("stand-in key {id}"),
            }})),
            "GetKeyPolicy" => ok(json!({
                "Policy": json!({"Version": "2012-10-17", "Statement": []}).to_string(),
                "PolicyName": "default",
            })),
            "GetKeyRotationStatus" => ok(json!({"KeyRotationEnabled": true})),
            "ListGrants" => ok(json!({"Grants": [], "Truncated": false})),
            "ListResourceTags" => ok(json!({"Tags": [], "Truncated": false})),
            other => error(
                "UnknownOperationException",
                &format!("the stand-in does not answer {other}"),
            ),
        }
    }
}

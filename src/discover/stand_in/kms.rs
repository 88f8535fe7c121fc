//! KMS's JSON protocol (`X-Amz-Target: TrentService.ListKeys`, a JSON body both ways, errors as
//! `{"__type": CODE, "message": ...}` with status 400), for the operations discovery calls.

use super::{json_params, Faults, Protocol, Reply, Request, World, ACCOUNT};
use serde_json::{json, Value};

pub struct Kms;

const JSON: &str = "application/x-amz-json-1.1";

fn arn(region: &str, id: &str) -> String {
    format!("arn:aws:kms:{region}:{ACCOUNT}:key/{id}")
}

fn error(code: &str, message: &str) -> Reply {
    Reply {
        status: 400,
        content_type: JSON,
        body: json!({"__type": code, "message": message}).to_string(),
    }
}

fn ok(body: Value) -> Reply {
    Reply {
        status: 200,
        content_type: JSON,
        body: body.to_string(),
    }
}

impl Protocol for Kms {
    fn decode(&self, target: Option<&str>, _: &reqwest::Url, body: &str) -> Request {
        let op = target
            .and_then(|t| t.rsplit_once('.'))
            .map(|(_, op)| op.to_string())
            .unwrap_or_default();
        let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        Request {
            op,
            resource: json["KeyId"].as_str().map(str::to_string),
            params: json_params(&json),
        }
    }

    fn throttled(&self) -> Reply {
        error("ThrottlingException", "Rate exceeded")
    }

    fn denied(&self, rq: &Request) -> Reply {
        error(
            "AccessDeniedException",
            &format!("not authorized to perform kms:{}", rq.op),
        )
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

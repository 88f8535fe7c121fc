//! SSM's JSON protocol (`X-Amz-Target: AmazonSSM.DescribeParameters`), for DescribeParameters:
//! pages of MaxResults (default 10, at most 50, as AWS), continued by an opaque NextToken.

use super::{json_params, Faults, Protocol, Reply, Request, World, ACCOUNT};
use serde_json::{json, Value};

pub struct Ssm;

const JSON: &str = "application/x-amz-json-1.1";

fn reply(status: u16, body: Value) -> Reply {
    Reply {
        status,
        content_type: JSON,
        body: body.to_string(),
    }
}

fn error(code: &str, message: &str) -> Reply {
    reply(400, json!({"__type": code, "message": message}))
}

impl Protocol for Ssm {
    fn decode(&self, target: Option<&str>, _: &reqwest::Url, body: &str) -> Request {
        let op = target
            .and_then(|t| t.rsplit_once('.'))
            .map(|(_, op)| op.to_string())
            .unwrap_or_default();
        let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        Request {
            op,
            resource: None,
            params: json_params(&json),
        }
    }

    fn throttled(&self) -> Reply {
        error("ThrottlingException", "Rate exceeded")
    }

    fn denied(&self, rq: &Request) -> Reply {
        error(
            "AccessDeniedException",
            &format!("not authorized to perform ssm:{}", rq.op),
        )
    }

    fn answer(&self, world: &World, _: &Faults, rq: &Request) -> Reply {
        if rq.op != "DescribeParameters" {
            return error(
                "InvalidAction",
                "the stand-in answers DescribeParameters only",
            );
        }
        let param = |k: &str| {
            rq.params
                .iter()
                .find(|(p, _)| p == k)
                .and_then(|(_, v)| v.parse::<usize>().ok())
        };
        let page = param("MaxResults").unwrap_or(10);
        if !(1..=50).contains(&page) {
            return error("ValidationException", "MaxResults must be 1 to 50");
        }
        let start = param("NextToken").unwrap_or(0);
        let end = (start + page).min(world.parameters);
        let key = world.keys.first().copied().unwrap_or("k1");
        let parameters: Vec<Value> = (start..end)
            .map(|i| {
                json!({
                    "Name": format!("/kb/{i:04}"),
                    "ARN": format!("arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/kb/{i:04}"),
                    "Type": "SecureString", "KeyId": key,
                })
            })
            .collect();
        let mut out = json!({ "Parameters": parameters });
        if end < world.parameters {
            out["NextToken"] = json!(end.to_string());
        }
        reply(200, out)
    }
}

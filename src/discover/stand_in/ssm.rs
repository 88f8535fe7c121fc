//! SSM's JSON protocol (`X-Amz-Target: AmazonSSM.DescribeParameters`), for DescribeParameters:
//! pages of MaxResults (default 10, at most 50, as AWS), continued by an opaque NextToken.

use super::json_api::{self, error, reply};
use super::{Faults, Protocol, Reply, Request, World, ACCOUNT};
use serde_json::{json, Value};

pub struct Ssm;

impl Protocol for Ssm {
    fn decode(&self, target: Option<&str>, _: &reqwest::Url, body: &str) -> Request {
        json_api::decode(target, body, None)
    }

    fn throttled(&self) -> Reply {
        json_api::throttled()
    }

    fn denied(&self, rq: &Request) -> Reply {
        json_api::denied("ssm", rq)
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

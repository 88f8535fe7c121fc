//! What KMS and SSM share: AWS's JSON protocol (`X-Amz-Target: Service.Operation`, a JSON body
//! both ways, errors as `{"__type": CODE, "message": ...}` with status 400).

use super::{Reply, Request};
use serde_json::{json, Value};

const JSON: &str = "application/x-amz-json-1.1";

pub fn reply(status: u16, body: Value) -> Reply {
    Reply {
        status,
        content_type: JSON,
        body: body.to_string(),
    }
}

pub fn ok(body: Value) -> Reply {
    reply(200, body)
}

pub fn error(code: &str, message: &str) -> Reply {
    reply(400, json!({"__type": code, "message": message}))
}

/// The operation from the target header, the body's scalar members as parameters, and the
/// member named `resource` (KMS's `KeyId`) as what the request is about.
pub fn decode(target: Option<&str>, body: &str, resource: Option<&str>) -> Request {
    let op = target
        .and_then(|t| t.rsplit_once('.'))
        .map(|(_, op)| op.to_string())
        .unwrap_or_default();
    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    Request {
        op,
        resource: resource.and_then(|m| json[m].as_str()).map(str::to_string),
        params: params(&json),
    }
}

pub fn throttled() -> Reply {
    error("ThrottlingException", "Rate exceeded")
}

/// AccessDenied for `service:operation` (`kms:ListKeys`).
pub fn denied(service: &str, rq: &Request) -> Reply {
    error(
        "AccessDeniedException",
        &format!("not authorized to perform {service}:{}", rq.op),
    )
}

/// The scalar members of a JSON request body, as text (`("Limit", "1000")`).
fn params(body: &Value) -> Vec<(String, String)> {
    let Some(members) = body.as_object() else {
        return Vec::new();
    };
    members
        .iter()
        .filter(|(_, v)| !v.is_object() && !v.is_array())
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), str::to_string),
            )
        })
        .collect()
}

//! The hostile plans built in code: too large, too deep or too regular to keep as files, or
//! generated from a piece of hostile text (the property tests feed them arbitrary text).

use crate::blast_exact::res;
use crate::common::*;
use keyblast::plan::MAX_DEPTH;
use serde_json::{json, Value};

/// Text GitHub would turn into links, mentions, references, images or markup, and characters
/// that hide or reorder text.
pub const HOSTILE: &str = "www.example.com https://evil.test/x WWW.Shout.org a@b.co @here @org/team #123 GH-5 gh-6 org/repo#7 org/repo@deadbeefcafe 1234567deadbeef :shipit: JIRA-12 xmpp:a@b.c mailto:a@b.c \u{202e}gnp.exe\u{202c} zero\u{200b}width \u{2066}iso\u{2069} bom\u{feff} <img src=x onerror=alert(1)> [x](https://x) ![i](https://i) ~~s~~ <https://y> $x$ [^1]";

/// Every bidi control, zero-width and separator character the issue names.
pub const INVISIBLE: &[char] = &[
    '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{200e}', '\u{200f}', '\u{2028}', '\u{2029}',
    '\u{feff}', '\u{061c}',
];

/// `x` followed by each of [`INVISIBLE`]: an address that looks like `xxxx…`.
pub fn invisible_text() -> String {
    INVISIBLE.iter().map(|c| format!("x{c}")).collect()
}

/// A key deleted (high) under a hostile for_each key, with a hostile description, tags, a
/// policy whose Sid and removed principal are hostile; a bucket (hostile name) depending on
/// it; a hostile parameter updated (low).
pub fn hostile_plan(evil: &str) -> Value {
    let root = format!("arn:aws:iam::{ACCOUNT}:root");
    let role = format!("arn:aws:iam::{ACCOUNT}:role/{evil}");
    let stmt = |sid: &str, who: &str| json!({"Sid": sid, "Effect": "Allow", "Principal": {"AWS": who}, "Action": "kms:*", "Resource": "*"});
    let before =
        json!({"Version": "2012-10-17", "Statement": [stmt(evil, &root), stmt("app", &role)]});
    let after = json!({"Version": "2012-10-17", "Statement": [stmt(evil, &root)]});
    let key = |policy: &Value| {
        json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID), "description": evil,
        "policy": policy.to_string(), "tags": {"owner": evil}, "enable_key_rotation": true})
    };
    let sse = json!([{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": key_arn(KEY_ID)}]}]}]);
    // a for_each instance keyed by the hostile text
    let each = |ty: &str, name: &str, actions: &[&str], before: Value, after: Value| {
        let mut c = rc(&format!("{ty}.{name}"), actions, before, after);
        c["address"] = json!(format!("{ty}.{name}[{}]", json!(evil)));
        c["index"] = json!(evil);
        c
    };
    plan_doc(
        vec![
            each("aws_kms_key", "k", &["update"], key(&before), key(&after)),
            each(
                "aws_s3_bucket",
                "b",
                &["delete"],
                json!({"bucket": evil, "server_side_encryption_configuration": sse}),
                Value::Null,
            ),
            each(
                "aws_ssm_parameter",
                "p",
                &["update"],
                json!({"name": evil, "tags": {"t": evil}, "description": "a"}),
                json!({"name": evil, "tags": {"t": evil}, "description": evil}),
            ),
        ],
        None,
    )
}

/// 300 deleted keys, one (`k7`) with a 100 kB address, each with a dependent.
pub fn long_names_plan() -> Value {
    let mut changes = Vec::new();
    for k in 0..300 {
        let id = format!("{k:08x}-0000-4000-8000-{k:012x}");
        let address = if k == 7 {
            format!("aws_kms_key.k7[\"{}tail\"]", "a".repeat(100_000))
        } else {
            format!("aws_kms_key.k{k}[\"{}\"]", "b".repeat(300))
        };
        changes.push(rc(
            &address,
            &["delete"],
            json!({"key_id": id, "arn": key_arn(&id)}),
            Value::Null,
        ));
        let v = json!({"name": format!("/p/{k}"), "key_id": id});
        changes.push(rc(
            &format!("aws_ssm_parameter.p{k}"),
            &["no-op"],
            v.clone(),
            v,
        ));
    }
    plan_doc(changes, None)
}

/// Module levels of [`deep_plan`].
pub const MODULES: usize = 100;

/// `module.m0.module.m1…module.m{n-1}`.
pub fn module_path(n: usize) -> String {
    (0..n)
        .map(|i| format!("module.m{i}"))
        .collect::<Vec<_>>()
        .join(".")
}

/// The volume [`deep_plan`] creates, [`MODULES`] modules down.
pub fn deep_volume() -> String {
    format!("{}.aws_ebs_volume.v", module_path(MODULES))
}

/// The configuration of a root key handed down as `var.key` through `n` nested module calls
/// to a volume in the innermost module.
fn nested_configuration(n: usize) -> Value {
    let mut module = json!({"resources": [{
        "address": "aws_ebs_volume.v", "mode": "managed", "type": "aws_ebs_volume", "name": "v",
        "expressions": {"kms_key_id": {"references": ["var.key"]}}
    }], "variables": {"key": {}}});
    for i in (0..n).rev() {
        let arg = if i == 0 {
            json!({"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]})
        } else {
            json!({"references": ["var.key"]})
        };
        let mut parent = json!({"module_calls": {format!("m{i}"): {
            "source": format!("./m{i}"), "expressions": {"key": arg}, "module": module
        }}});
        if i > 0 {
            parent["variables"] = json!({"key": {}});
        }
        module = parent;
    }
    module["resources"] = json!([{"address": "aws_kms_key.k", "mode": "managed",
        "type": "aws_kms_key", "name": "k", "expressions": {}}]);
    json!({"root_module": module})
}

/// `planned_values` as Terraform nests it (two levels a module).
fn nested_planned_values(n: usize) -> Value {
    let mut inner = json!({"address": module_path(n), "resources": []});
    for i in (1..n).rev() {
        inner = json!({"address": module_path(i), "child_modules": [inner]});
    }
    json!({"root_module": {"resources": [], "child_modules": [inner]}})
}

/// A value nested `d` levels (objects and lists alternating).
pub fn nested_value(d: usize, leaf: Value) -> Value {
    (0..d).fold(leaf, |v, i| {
        if i % 2 == 0 {
            json!({"k": v})
        } else {
            json!([v])
        }
    })
}

/// The key is replaced; a volume [`MODULES`] modules down is created with the key it gets
/// through as many variables; values nested close to the limit sit in tags and masks.
pub fn deep_plan() -> Value {
    let arn = key_arn(KEY_ID);
    let key_before =
        json!({"arn": arn, "key_id": KEY_ID, "tags": nested_value(MAX_DEPTH - 10, json!("a"))});
    let mut key = res(
        "aws_kms_key.k",
        &["delete", "create"],
        key_before,
        json!({"tags": nested_value(MAX_DEPTH - 10, json!("b"))}),
        json!({"arn": true, "key_id": true}),
    );
    key["change"]["before_sensitive"] = json!({"tags": nested_value(MAX_DEPTH - 10, json!(true))});
    let volume = res(
        &deep_volume(),
        &["create"],
        Value::Null,
        json!({"size": 8}),
        json!({"kms_key_id": true}),
    );
    let mut doc = plan_doc(vec![key, volume], Some(nested_configuration(MODULES)));
    doc["planned_values"] = nested_planned_values(MODULES);
    doc
}

/// A resource value nested 100,000 arrays deep.
pub fn hostile_depth() -> Vec<u8> {
    let mut doc = String::from(
        r#"{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"t","change":{"actions":["create"],"after":{"x":"#,
    );
    doc.push_str(&"[".repeat(100_000));
    doc.push_str(&"]".repeat(100_000));
    doc.push_str("}}}]}");
    doc.into_bytes()
}

/// A resource value nested just within [`MAX_DEPTH`].
pub fn within_depth() -> Vec<u8> {
    json!({"format_version": "1.2", "resource_changes": [
        rc("aws_s3_bucket.b", &["create"], Value::Null, json!({"x": nested_value(MAX_DEPTH - 5, json!(1))}))
    ]})
    .to_string()
    .into_bytes()
}

/// 3,000 resources whose values each nest 140 levels (past serde_json's own limit of 128,
/// within keyblast's): each value is scanned alone when it reaches serde_json's limit, never
/// the whole plan once per value (which took minutes on a plan this size).
pub fn many_deep_values() -> Vec<u8> {
    let changes: Vec<Value> = (0..3000)
        .map(|i| {
            rc(
                &format!("aws_s3_bucket.b{i}"),
                &["create"],
                Value::Null,
                json!({"bucket": format!("b{i}"), "x": nested_value(140, json!(1))}),
            )
        })
        .collect();
    json!({"format_version": "1.2", "resource_changes": changes})
        .to_string()
        .into_bytes()
}

/// A plan whose first change is a 100 kB string instead of an object.
pub fn huge_change() -> Vec<u8> {
    json!({"format_version": "1.2", "resource_changes": [
        {"address": "aws_s3_bucket.b", "type": "aws_s3_bucket", "name": "b", "change": "c".repeat(100_000)}
    ]})
    .to_string()
    .into_bytes()
}

/// A plan whose first action is 100 kB of text that starts by forging a line and colouring
/// the terminal.
pub fn huge_action() -> Vec<u8> {
    let action = format!("tele\nport\u{1b}[31m{}", "x".repeat(100_000));
    json!({"format_version": "1.2", "resource_changes": [
        rc("aws_s3_bucket.b", &[&action], json!({"bucket": "b"}), json!({"bucket": "b"}))
    ]})
    .to_string()
    .into_bytes()
}

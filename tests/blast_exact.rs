//! Exact blast radii (ids, depth, via, possible): key satellites (`aws_kms_key_policy`,
//! grants, aliases), `for_each`/`count` instances through modules, certain versus possible
//! dependents in every format, and deposed objects.
//!
//! The configuration blocks are the ones Terraform 1.11 wrote for a stack with a `for_each`
//! key module (`output "key_arns" { value = {for k, v in aws_kms_key.this : k => v.arn} }`),
//! a `for_each` module call, a nested module taking the map as a variable, `count` resources
//! and a separate `aws_kms_key_policy`, trimmed to the fields keyblast reads.

use crate::common::*;
use serde_json::{json, Value};

/// `(id, depth, via, possible)` of each blast-radius entry of a change, in report order.
pub type Entry = (String, u64, Vec<String>, bool);

pub fn blast(report: &Value, address: &str) -> Vec<Entry> {
    change(report, address)["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["id"].as_str().unwrap().to_string(),
                b["depth"].as_u64().unwrap(),
                b["via"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect(),
                b["possible"].as_bool().unwrap(),
            )
        })
        .collect()
}

pub fn e(id: &str, depth: u64, via: &[&str], possible: bool) -> Entry {
    (
        id.to_string(),
        depth,
        via.iter().map(|s| s.to_string()).collect(),
        possible,
    )
}

/// A resource change as Terraform writes it (module address and index included).
fn res(address: &str, actions: &[&str], before: Value, after: Value, unknown: Value) -> Value {
    let mut r = rc(address, actions, before, after);
    r["change"]["after_unknown"] = unknown;
    if let Some(p) = keyblast::plan::address::parse(address) {
        if !p.module_instance.is_empty() {
            r["module_address"] = json!(p.module_instance);
        }
        let (ty, name) = p.resource.rsplit_once('.').unwrap();
        r["type"] = json!(ty.rsplit('.').next().unwrap());
        r["name"] = json!(name);
        if let Some(k) = p.key {
            let k = &k[1..k.len() - 1];
            r["index"] = serde_json::from_str(k).unwrap();
        }
    }
    r
}

fn kid(i: u32) -> String {
    format!("{i:08x}-1111-4222-8333-{i:012x}")
}

// ---------------------------------------------------------------- key satellites

const ROLE: &str = "arn:aws:iam::111122223333:role/app";

/// A key whose policy is managed by a separate `aws_kms_key_policy` (the provider's shape:
/// its `id` is the key id), a role the policy allows, a Lambda running as the role, a bucket
/// encrypted by the key, an alias with a parameter using it by name, and a grant to the role.
fn satellites(policy_actions: &[&str], grant_actions: &[&str], alias_actions: &[&str]) -> Value {
    let k = kid(1);
    let arn = key_arn(&k);
    let doc = |with_role: bool| {
        let mut st = vec![
            json!({"Sid": "root", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "kms:*", "Resource": "*"}),
        ];
        if with_role {
            st.push(json!({"Sid": "app", "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Decrypt", "Resource": "*"}));
        }
        json!({"Version": "2012-10-17", "Statement": st}).to_string()
    };
    let policy = json!({"bypass_policy_lockout_safety_check": false, "id": k, "key_id": k});
    let (mut pb, mut pa) = (policy.clone(), policy);
    pb["policy"] = json!(doc(true));
    pa["policy"] = json!(doc(false));
    let grant = json!({"grant_id": "g1", "id": format!("{k}:g1"), "key_id": k, "grantee_principal": ROLE, "operations": ["Decrypt"], "name": "app"});
    let alias = json!({"arn": format!("arn:aws:kms:us-east-1:{ACCOUNT}:alias/app"), "id": "alias/app", "name": "alias/app", "target_key_arn": arn, "target_key_id": k});
    let after = |acts: &[&str], x: Value| if acts == ["delete"] { Value::Null } else { x };
    plan_doc(
        vec![
            rc(
                "aws_kms_key.main",
                &["no-op"],
                json!({"arn": arn, "id": k, "key_id": k, "policy": doc(true)}),
                json!({"arn": arn, "id": k, "key_id": k, "policy": doc(true)}),
            ),
            rc("aws_kms_key_policy.main", policy_actions, pb, pa),
            rc(
                "aws_kms_grant.app",
                grant_actions,
                grant.clone(),
                after(grant_actions, grant),
            ),
            rc(
                "aws_kms_alias.app",
                alias_actions,
                alias.clone(),
                after(alias_actions, alias),
            ),
            rc(
                "aws_iam_role.app",
                &["no-op"],
                json!({"arn": ROLE, "name": "app"}),
                json!({"arn": ROLE, "name": "app"}),
            ),
            rc(
                "aws_lambda_function.fn",
                &["no-op"],
                json!({"arn": "arn:aws:lambda:us-east-1:111122223333:function:fn", "function_name": "fn", "role": ROLE}),
                json!({"arn": "arn:aws:lambda:us-east-1:111122223333:function:fn", "function_name": "fn", "role": ROLE}),
            ),
            rc(
                "aws_s3_bucket_server_side_encryption_configuration.data",
                &["no-op"],
                json!({"bucket": "data", "id": "data", "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": arn, "sse_algorithm": "aws:kms"}]}]}),
                json!({"bucket": "data", "id": "data", "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": arn, "sse_algorithm": "aws:kms"}]}]}),
            ),
            rc(
                "aws_ssm_parameter.token",
                &["no-op"],
                json!({"arn": "arn:aws:ssm:us-east-1:111122223333:parameter/token", "name": "/token", "key_id": "alias/app", "type": "SecureString"}),
                json!({"arn": "arn:aws:ssm:us-east-1:111122223333:parameter/token", "name": "/token", "key_id": "alias/app", "type": "SecureString"}),
            ),
        ],
        None,
    )
}

#[test]
fn a_key_policy_resource_has_its_keys_blast_radius() {
    let d = satellites(&["update"], &["no-op"], &["no-op"]);
    let a = analyze_docs(&[d]);
    let r = report_json(&a);
    assert_eq!(
        blast(&r, "aws_kms_key_policy.main"),
        [
            e("aws_kms_key.main", 1, &["key-policy-of"], false),
            e(
                "aws_iam_role.app",
                2,
                &["key-policy-of", "policy-allows"],
                false
            ),
            e(
                "aws_kms_alias.app",
                2,
                &["key-policy-of", "alias-of"],
                false
            ),
            e(
                "aws_kms_grant.app",
                2,
                &["key-policy-of", "grant-on"],
                false
            ),
            e(
                "aws_s3_bucket_server_side_encryption_configuration.data",
                2,
                &["key-policy-of", "encrypted-by"],
                false
            ),
            e(
                "aws_lambda_function.fn",
                3,
                &["key-policy-of", "policy-allows", "uses-role"],
                false
            ),
            e(
                "aws_ssm_parameter.token",
                3,
                &["key-policy-of", "alias-of", "encrypted-by"],
                false
            ),
        ]
    );
    let through = &change(&r, "aws_kms_key_policy.main")["blast_radius"][5]["through"];
    assert_eq!(*through, json!(["aws_kms_key.main", "aws_iam_role.app"]));
    // the finding names the Lambda, and the headline counts what it reaches
    let msg = change(&r, "aws_kms_key_policy.main")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("aws_lambda_function.fn"), "{msg}");
    assert_eq!(r["summary"]["blast_radius"], 7);
    let text = Render::text(&a);
    assert!(
        text.contains("; 7 resources in the blast radius (depth ≤ 3)"),
        "{text}"
    );
    assert!(
        text.contains("    1 aws_kms_key.main (") && text.contains("via key-policy-of\n"),
        "{text}"
    );
}

/// Rendering helpers over the library, so these tests need no files.
pub struct Render;

impl Render {
    pub fn render(a: &keyblast::analyze::Analysis, f: keyblast::report::Format) -> String {
        use keyblast::report::{self, Format};
        let rep = report::Report::new(a, None);
        let mut out = Vec::new();
        match f {
            Format::Text => report::text::render(&rep, false, &mut out).unwrap(),
            Format::Json => report::json::render(&rep, &mut out).unwrap(),
            Format::Markdown => report::markdown::render(&rep, &mut out).unwrap(),
            Format::Html => report::html::render(&rep, &mut out).unwrap(),
            Format::Dot => report::graph_export::dot(&rep.graph, &mut out).unwrap(),
            Format::Mermaid => report::graph_export::mermaid(&rep.graph, &mut out).unwrap(),
        }
        String::from_utf8(out).unwrap()
    }

    pub fn text(a: &keyblast::analyze::Analysis) -> String {
        Self::render(a, keyblast::report::Format::Text)
    }
}

#[test]
fn a_key_policy_is_key_policy_of_in_its_keys_blast_radius() {
    // the key changes; the policy resource's `id` (the key id) must not make it `encrypted-by`
    let mut d = satellites(&["no-op"], &["no-op"], &["no-op"]);
    d["resource_changes"][0]["change"]["actions"] = json!(["update"]);
    d["resource_changes"][0]["change"]["after"]["is_enabled"] = json!(false);
    d["resource_changes"][1]["change"]["after"] =
        d["resource_changes"][1]["change"]["before"].clone();
    let a = analyze_docs(&[d]);
    let r = report_json(&a);
    let entry = blast(&r, "aws_kms_key.main")
        .into_iter()
        .find(|x| x.0 == "aws_kms_key_policy.main")
        .unwrap();
    assert_eq!(
        entry,
        e("aws_kms_key_policy.main", 1, &["key-policy-of"], false)
    );
    let kinds: Vec<&str> = a
        .graph
        .edges()
        .filter(|(f, _, _)| a.graph.node(*f).id == "aws_kms_key_policy.main")
        .map(|(_, _, e)| e.kind.as_str())
        .collect();
    assert_eq!(kinds, ["key-policy-of", "key-policy-of"], "key_id and id");
}

#[test]
fn a_grant_reaches_its_grantee_and_an_alias_what_uses_the_alias() {
    let r = report_json(&analyze_docs(&[satellites(
        &["no-op"],
        &["delete"],
        &["delete"],
    )]));
    assert_eq!(
        blast(&r, "aws_kms_grant.app"),
        [
            e("aws_iam_role.app", 1, &["grantee-of"], false),
            e(
                "aws_lambda_function.fn",
                2,
                &["grantee-of", "uses-role"],
                false
            ),
        ]
    );
    assert_eq!(
        blast(&r, "aws_kms_alias.app"),
        [e("aws_ssm_parameter.token", 1, &["encrypted-by"], false)]
    );
}

// ---------------------------------------------------------------- for_each and count

/// The `configuration` Terraform 1.11 wrote for the for_each stack (see the module docs).
fn for_each_configuration() -> Value {
    let lg = |name: &str, kms: Value, extra: Value| {
        let mut r = json!({"address": format!("aws_cloudwatch_log_group.{name}"), "mode": "managed",
            "type": "aws_cloudwatch_log_group", "name": name, "provider_config_key": "aws",
            "expressions": {"kms_key_id": kms, "name": {"constant_value": name}}, "schema_version": 0});
        if let Value::Object(m) = extra {
            r.as_object_mut().unwrap().extend(m);
        }
        r
    };
    let kms_module = json!({
        "outputs": {
            "key_arns": {"expression": {"references": ["aws_kms_key.this"]}},
            "key_ids": {"expression": {"references": ["aws_kms_key.this"]}}
        },
        "resources": [
            {"address": "aws_kms_alias.this", "mode": "managed", "type": "aws_kms_alias", "name": "this",
             "provider_config_key": "aws", "schema_version": 0,
             "expressions": {"name": {"references": ["each.key"]},
                             "target_key_id": {"references": ["each.value.key_id", "each.value"]}},
             "for_each_expression": {"references": ["aws_kms_key.this"]}},
            {"address": "aws_kms_key.this", "mode": "managed", "type": "aws_kms_key", "name": "this",
             "provider_config_key": "aws", "schema_version": 0,
             "expressions": {"description": {"references": ["each.key"]}},
             "for_each_expression": {"references": ["var.names"]}}
        ],
        "variables": {"names": {}}
    });
    json!({"root_module": {
        "resources": [
            lg("all", json!({"references": ["module.kms.key_arns", "module.kms"]}), json!({})),
            lg("app", json!({"references": ["module.kms.key_arns[\"app\"]", "module.kms.key_arns", "module.kms"]}), json!({})),
            lg("each", json!({"references": ["module.kms.key_arns", "module.kms", "each.key"]}),
               json!({"for_each_expression": {"constant_value": ["app", "logs"]}})),
            lg("reg", json!({"references": ["module.regional[\"a\"].key_arns[\"r-a\"]", "module.regional[\"a\"].key_arns", "module.regional[\"a\"]"]}), json!({})),
            {"address": "aws_kms_key.c", "mode": "managed", "type": "aws_kms_key", "name": "c",
             "provider_config_key": "aws", "schema_version": 0,
             "expressions": {"description": {"references": ["count.index"]}},
             "count_expression": {"constant_value": 2}},
            {"address": "aws_kms_key_policy.app", "mode": "managed", "type": "aws_kms_key_policy", "name": "app",
             "provider_config_key": "aws", "schema_version": 0,
             "expressions": {"key_id": {"references": ["module.kms.key_ids[\"app\"]", "module.kms.key_ids", "module.kms"]},
                             "policy": {"references": ["data.aws_caller_identity.current.account_id", "data.aws_caller_identity.current"]}}},
            {"address": "aws_ssm_parameter.c", "mode": "managed", "type": "aws_ssm_parameter", "name": "c",
             "provider_config_key": "aws", "schema_version": 0,
             "expressions": {"key_id": {"references": ["aws_kms_key.c", "count.index"]},
                             "name": {"references": ["count.index"]},
                             "type": {"constant_value": "SecureString"}, "value": {"constant_value": "v"}},
             "count_expression": {"constant_value": 2}}
        ],
        "module_calls": {
            "app": {"source": "./modules/app",
                "expressions": {"key_arns": {"references": ["module.kms.key_arns", "module.kms"]}},
                "module": {"resources": [
                    {"address": "aws_cloudwatch_log_group.nested", "mode": "managed", "type": "aws_cloudwatch_log_group",
                     "name": "nested", "provider_config_key": "aws", "schema_version": 0,
                     "expressions": {"kms_key_id": {"references": ["each.value"]}, "name": {"references": ["each.key"]}},
                     "for_each_expression": {"references": ["var.key_arns"]}},
                    {"address": "aws_cloudwatch_log_group.pick", "mode": "managed", "type": "aws_cloudwatch_log_group",
                     "name": "pick", "provider_config_key": "aws", "schema_version": 0,
                     "expressions": {"kms_key_id": {"references": ["var.key_arns[\"logs\"]", "var.key_arns"]},
                                     "name": {"constant_value": "pick"}}}
                ], "variables": {"key_arns": {}}}},
            "kms": {"source": "./modules/kms",
                "expressions": {"names": {"constant_value": ["app", "logs"]}},
                "module": kms_module.clone()},
            "regional": {"source": "./modules/kms",
                "expressions": {"names": {"references": ["each.key"]}},
                "for_each_expression": {"constant_value": ["a", "b"]},
                "module": kms_module}
        }
    }})
}

const KEYS: [&str; 6] = [
    r#"module.kms.aws_kms_key.this["app"]"#,
    r#"module.kms.aws_kms_key.this["logs"]"#,
    r#"module.regional["a"].aws_kms_key.this["r-a"]"#,
    r#"module.regional["b"].aws_kms_key.this["r-b"]"#,
    "aws_kms_key.c[0]",
    "aws_kms_key.c[1]",
];

/// The first apply of the stack: everything is created, every ARN is known after apply only,
/// so only the configuration can say which key each dependent uses.
fn first_apply() -> Value {
    let unknown_key = json!({"arn": true, "id": true, "key_id": true, "policy": true});
    let mut changes: Vec<Value> = KEYS
        .iter()
        .map(|k| {
            res(
                k,
                &["create"],
                Value::Null,
                json!({"is_enabled": true, "enable_key_rotation": false}),
                unknown_key.clone(),
            )
        })
        .collect();
    for (m, names) in [
        ("module.kms", ["app", "logs"]),
        ("module.regional[\"a\"]", ["r-a", ""]),
        ("module.regional[\"b\"]", ["r-b", ""]),
    ] {
        for n in names.iter().filter(|n| !n.is_empty()) {
            changes.push(res(
                &format!("{m}.aws_kms_alias.this[\"{n}\"]"),
                &["create"],
                Value::Null,
                json!({"name": format!("alias/{n}")}),
                json!({"arn": true, "id": true, "target_key_arn": true, "target_key_id": true}),
            ));
        }
    }
    let lg_unknown = json!({"arn": true, "id": true, "kms_key_id": true});
    for (addr, name) in [
        ("aws_cloudwatch_log_group.all", "all"),
        ("aws_cloudwatch_log_group.app", "app"),
        ("aws_cloudwatch_log_group.each[\"app\"]", "each-app"),
        ("aws_cloudwatch_log_group.each[\"logs\"]", "each-logs"),
        ("aws_cloudwatch_log_group.reg", "reg"),
        (
            "module.app.aws_cloudwatch_log_group.nested[\"app\"]",
            "nested-app",
        ),
        (
            "module.app.aws_cloudwatch_log_group.nested[\"logs\"]",
            "nested-logs",
        ),
        ("module.app.aws_cloudwatch_log_group.pick", "pick"),
    ] {
        changes.push(res(
            addr,
            &["create"],
            Value::Null,
            json!({"name": name}),
            lg_unknown.clone(),
        ));
    }
    for i in 0..2 {
        changes.push(res(
            &format!("aws_ssm_parameter.c[{i}]"),
            &["create"],
            Value::Null,
            json!({"name": format!("p{i}"), "type": "SecureString", "value": "(sensitive)"}),
            json!({"arn": true, "id": true, "key_id": true}),
        ));
    }
    changes.push(res(
        "aws_kms_key_policy.app",
        &["create"],
        Value::Null,
        json!({"bypass_policy_lockout_safety_check": false}),
        json!({"id": true, "key_id": true, "policy": true}),
    ));
    plan_doc(changes, Some(for_each_configuration()))
}

#[test]
fn for_each_and_count_references_resolve_to_the_instance_they_name() {
    let r = report_json(&analyze_docs(&[first_apply()]));
    assert_eq!(
        blast(&r, KEYS[0]),
        [
            e("aws_cloudwatch_log_group.all", 1, &["encrypted-by"], true),
            // key_arns["app"]: the index names the instance
            e("aws_cloudwatch_log_group.app", 1, &["encrypted-by"], false),
            // key_arns[each.key]: the dependent's own key names it
            e(
                "aws_cloudwatch_log_group.each[\"app\"]",
                1,
                &["encrypted-by"],
                false
            ),
            // key_ids["app"], and through the policy resource nothing more
            e("aws_kms_key_policy.app", 1, &["key-policy-of"], false),
            // each.value of a for_each over var.key_arns = module.kms.key_arns, in a module
            e(
                "module.app.aws_cloudwatch_log_group.nested[\"app\"]",
                1,
                &["encrypted-by"],
                false
            ),
            // each.value.key_id of a for_each over aws_kms_key.this
            e(
                "module.kms.aws_kms_alias.this[\"app\"]",
                1,
                &["alias-of"],
                false
            ),
        ]
    );
    assert_eq!(
        blast(&r, KEYS[1]),
        [
            e("aws_cloudwatch_log_group.all", 1, &["encrypted-by"], true),
            e(
                "aws_cloudwatch_log_group.each[\"logs\"]",
                1,
                &["encrypted-by"],
                false
            ),
            e(
                "module.app.aws_cloudwatch_log_group.nested[\"logs\"]",
                1,
                &["encrypted-by"],
                false
            ),
            // var.key_arns["logs"] inside the module
            e(
                "module.app.aws_cloudwatch_log_group.pick",
                1,
                &["encrypted-by"],
                false
            ),
            e(
                "module.kms.aws_kms_alias.this[\"logs\"]",
                1,
                &["alias-of"],
                false
            ),
        ]
    );
    // module.regional["a"].key_arns["r-a"]: only the "a" instance of the for_each module
    assert_eq!(
        blast(&r, KEYS[2]),
        [
            e("aws_cloudwatch_log_group.reg", 1, &["encrypted-by"], false),
            e(
                "module.regional[\"a\"].aws_kms_alias.this[\"r-a\"]",
                1,
                &["alias-of"],
                false
            ),
        ]
    );
    assert_eq!(
        blast(&r, KEYS[3]),
        [e(
            "module.regional[\"b\"].aws_kms_alias.this[\"r-b\"]",
            1,
            &["alias-of"],
            false
        )]
    );
    // aws_kms_key.c[count.index]: Terraform lists `aws_kms_key.c` and `count.index`
    assert_eq!(
        blast(&r, KEYS[4]),
        [e("aws_ssm_parameter.c[0]", 1, &["encrypted-by"], false)]
    );
    assert_eq!(
        blast(&r, KEYS[5]),
        [e("aws_ssm_parameter.c[1]", 1, &["encrypted-by"], false)]
    );
    // the policy resource of module.kms.key_ids["app"]: that key, then through it
    assert_eq!(
        blast(&r, "aws_kms_key_policy.app"),
        [
            e(KEYS[0], 1, &["key-policy-of"], false),
            e(
                "aws_cloudwatch_log_group.all",
                2,
                &["key-policy-of", "encrypted-by"],
                true
            ),
            e(
                "aws_cloudwatch_log_group.app",
                2,
                &["key-policy-of", "encrypted-by"],
                false
            ),
            e(
                "aws_cloudwatch_log_group.each[\"app\"]",
                2,
                &["key-policy-of", "encrypted-by"],
                false
            ),
            e(
                "module.app.aws_cloudwatch_log_group.nested[\"app\"]",
                2,
                &["key-policy-of", "encrypted-by"],
                false
            ),
            e(
                "module.kms.aws_kms_alias.this[\"app\"]",
                2,
                &["key-policy-of", "alias-of"],
                false
            ),
        ]
    );
    // 14 dependents of the keys and the app key itself (through its policy)
    assert_eq!(r["summary"]["blast_radius"], 15);
    assert_eq!(r["summary"]["blast_radius_possible"], 1);
}

/// A hint no instance matches says nothing: every instance is possible.
#[test]
fn an_index_no_instance_has_makes_every_instance_possible() {
    let mut d = first_apply();
    let cfg = &mut d["configuration"]["root_module"]["resources"][1]["expressions"]["kms_key_id"];
    *cfg = json!({"references": ["module.kms.key_arns[\"gone\"]", "module.kms.key_arns", "module.kms"]});
    let r = report_json(&analyze_docs(&[d]));
    for k in &KEYS[..2] {
        assert!(
            blast(&r, k).contains(&e(
                "aws_cloudwatch_log_group.app",
                1,
                &["encrypted-by"],
                true
            )),
            "{k}: {:?}",
            blast(&r, k)
        );
    }
}

/// The second plan of the stack: `-replace` of the "app" key. Dependents of that key lose
/// their known value (known after apply); `all` (`values(module.kms.key_arns)[0]`) named the
/// app key before, so it certainly uses it now and only possibly either key afterwards.
fn replace_app_key() -> Value {
    let (app, logs) = (kid(0xa), kid(0xb));
    let key = |k: &str| json!({"arn": key_arn(k), "id": k, "key_id": k, "is_enabled": true, "enable_key_rotation": true, "deletion_window_in_days": 30});
    let lg = |name: &str, k: &str| json!({"arn": format!("arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{name}"), "id": name, "name": name, "kms_key_id": key_arn(k)});
    let lg_after = |name: &str| {
        let mut v = lg(name, &app);
        v.as_object_mut().unwrap().remove("kms_key_id");
        v
    };
    let unknown = json!({"kms_key_id": true});
    let mut changes = vec![
        res(
            KEYS[0],
            &["delete", "create"],
            key(&app),
            json!({"is_enabled": true}),
            json!({"arn": true, "id": true, "key_id": true}),
        ),
        res(KEYS[1], &["no-op"], key(&logs), key(&logs), json!({})),
        res(
            "aws_cloudwatch_log_group.all",
            &["update"],
            lg("all", &app),
            lg_after("all"),
            unknown.clone(),
        ),
        res(
            "aws_cloudwatch_log_group.app",
            &["update"],
            lg("app", &app),
            lg_after("app"),
            unknown.clone(),
        ),
        res(
            "aws_cloudwatch_log_group.each[\"logs\"]",
            &["no-op"],
            lg("each-logs", &logs),
            lg("each-logs", &logs),
            json!({}),
        ),
    ];
    changes[0]["change"]["replace_paths"] = json!([]);
    plan_doc(changes, Some(for_each_configuration()))
}

#[test]
fn rules_name_possible_dependents_as_possible() {
    let a = analyze_docs(&[replace_app_key()]);
    let r = report_json(&a);
    assert_eq!(
        blast(&r, KEYS[0]),
        [
            // named the app key before: certain, whatever it names afterwards
            e("aws_cloudwatch_log_group.all", 1, &["encrypted-by"], false),
            e("aws_cloudwatch_log_group.app", 1, &["encrypted-by"], false),
        ]
    );
    // the logs key disabled in the same run: `all` may use it after the change
    let mut d = replace_app_key();
    d["resource_changes"][1]["change"]["actions"] = json!(["update"]);
    d["resource_changes"][1]["change"]["after"]["is_enabled"] = json!(false);
    let r = report_json(&analyze_docs(&[d]));
    assert_eq!(
        blast(&r, KEYS[1]),
        [
            e("aws_cloudwatch_log_group.all", 1, &["encrypted-by"], true),
            e(
                "aws_cloudwatch_log_group.each[\"logs\"]",
                1,
                &["encrypted-by"],
                false
            ),
        ]
    );
    assert_eq!(r["summary"]["blast_radius"], 3);
    assert_eq!(
        r["summary"]["blast_radius_possible"], 0,
        "`all` is certain in the app key's blast radius"
    );
    let f = &change(&r, KEYS[1])["findings"][0];
    assert_eq!(f["rule"], "key-disabled");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.ends_with(r#" 1 resource depends on it: aws_cloudwatch_log_group.each["logs"] (each-logs); 1 more may (the plan cannot tell which of several candidates they use): aws_cloudwatch_log_group.all (all)."#),
        "{msg}"
    );
}

#[test]
fn possible_dependents_are_labelled_in_every_format() {
    use keyblast::report::Format;
    let a = analyze_docs(&[first_apply()]);
    let r = report_json(&a);
    assert_eq!(r["schema_version"], 2);
    assert_eq!(r["summary"]["blast_radius"], 15);
    assert_eq!(r["summary"]["blast_radius_possible"], 1);
    let text = Render::render(&a, Format::Text);
    assert!(
        text.contains("; 15 resources in the blast radius (+1 possible) (depth ≤ 3)"),
        "{text}"
    );
    assert!(text.contains("  blast radius (5, +1 possible):"), "{text}");
    assert!(
        text.contains("    1 aws_cloudwatch_log_group.all (all)  via encrypted-by  (possible)\n"),
        "{text}"
    );
    assert!(
        text.contains("    1 aws_cloudwatch_log_group.app (app)  via encrypted-by\n"),
        "{text}"
    );
    let md = Render::render(&a, Format::Markdown);
    assert!(
        md.contains("**15** resources in the blast radius (+1 possible)."),
        "{md}"
    );
    assert!(md.contains(" | 5 (+1 possible) |"), "{md}");
    assert!(md.contains("Blast radius (5 (+1 possible)):"), "{md}");
    assert!(
        md.contains(
            "- 1 aws&#95;cloudwatch&#95;log&#95;group.all (all) — via encrypted-by · *possible*\n"
        ),
        "{md}"
    );
    let html = Render::render(&a, Format::Html);
    assert!(html.contains("in the blast radius (+1 possible)"), "banner");
    assert!(html.contains(">5 (+1 possible)</td>"), "table count");
    assert!(
        html.contains("<h3>Blast radius (5 (+1 possible))</h3>"),
        "section"
    );
    assert!(html.contains(r#"<tr class="possible">"#), "blast row");
    assert!(html.contains(r#"<span class="tag possible""#), "blast tag");
    assert!(html.contains(r#"<g class="edge possible""#), "dashed edge");
    let dot = Render::render(&a, Format::Dot);
    assert!(
        dot.contains(r#""aws_cloudwatch_log_group.all" -> "module.kms.aws_kms_key.this[\"app\"]" [label="encrypted-by", style=dashed];"#),
        "{dot}"
    );
    assert!(
        dot.contains(r#""aws_cloudwatch_log_group.app" -> "module.kms.aws_kms_key.this[\"app\"]" [label="encrypted-by"];"#),
        "{dot}"
    );
    let mm = Render::render(&a, Format::Mermaid);
    let all = mm
        .lines()
        .find(|l| l.contains("aws_cloudwatch_log_group.all"))
        .and_then(|l| l.trim().split('[').next())
        .unwrap()
        .to_string();
    assert!(mm.contains(&format!("  {all} -.->|encrypted-by| ")), "{mm}");
    assert!(!mm.contains(&format!("  {all} -->|")), "{mm}");
}

/// A resource only possibly in any blast radius (not a change itself) is drawn as such: an
/// unchanged instance profile whose `role` (a role *name*, so the value links nothing) is
/// `values(module.roles.names)[0]` of a `for_each` role module; the disabled key's policy
/// allows one of the roles.
#[test]
fn possible_dependents_are_drawn_dashed() {
    use keyblast::report::Format;
    let k = kid(0xf);
    let role = |n: &str| format!("arn:aws:iam::{ACCOUNT}:role/{n}");
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "a", "Effect": "Allow", "Principal": {"AWS": role("a")}, "Action": "kms:Decrypt", "Resource": "*"}]})
    .to_string();
    let key = json!({"arn": key_arn(&k), "id": k, "key_id": k, "is_enabled": true, "enable_key_rotation": true, "policy": policy});
    let mut off = key.clone();
    off["is_enabled"] = json!(false);
    let noop = |a: &str, v: Value| res(a, &["no-op"], v.clone(), v, json!({}));
    let d = plan_doc(
        vec![
            res("aws_kms_key.main", &["update"], key, off, json!({})),
            noop(
                r#"module.roles.aws_iam_role.this["a"]"#,
                json!({"arn": role("a"), "id": "a", "name": "a"}),
            ),
            noop(
                r#"module.roles.aws_iam_role.this["b"]"#,
                json!({"arn": role("b"), "id": "b", "name": "b"}),
            ),
            noop(
                "aws_iam_instance_profile.p",
                json!({"arn": format!("arn:aws:iam::{ACCOUNT}:instance-profile/p"), "id": "p", "name": "p", "role": "a"}),
            ),
        ],
        Some(json!({"root_module": {
            "resources": [{"address": "aws_iam_instance_profile.p", "mode": "managed", "type": "aws_iam_instance_profile",
                "name": "p", "provider_config_key": "aws", "schema_version": 0,
                "expressions": {"name": {"constant_value": "p"}, "role": {"references": ["module.roles.names", "module.roles"]}}}],
            "module_calls": {"roles": {"source": "./modules/roles", "expressions": {}, "module": {
                "outputs": {"names": {"expression": {"references": ["aws_iam_role.this"]}}},
                "resources": [{"address": "aws_iam_role.this", "mode": "managed", "type": "aws_iam_role", "name": "this",
                    "provider_config_key": "aws", "schema_version": 0,
                    "expressions": {"name": {"references": ["each.key"]}},
                    "for_each_expression": {"constant_value": ["a", "b"]}}]}}}
        }})),
    );
    let a = analyze_docs(&[d]);
    let r = report_json(&a);
    assert_eq!(
        blast(&r, "aws_kms_key.main"),
        [
            e(
                r#"module.roles.aws_iam_role.this["a"]"#,
                1,
                &["policy-allows"],
                false
            ),
            e(
                "aws_iam_instance_profile.p",
                2,
                &["policy-allows", "uses-role"],
                true
            ),
        ]
    );
    assert_eq!(r["summary"]["blast_radius"], 1);
    assert_eq!(r["summary"]["blast_radius_possible"], 1);
    let html = Render::render(&a, Format::Html);
    assert!(
        html.contains(r#"<g class="node n-dep possible""#),
        "dashed node"
    );
    assert!(html.contains(">possible · p</text>"), "node tag");
    let dot = Render::render(&a, Format::Dot);
    assert!(
        dot.contains(r##"[label="aws_iam_instance_profile.p\np\n[possible]", fillcolor="#eeeeee", style="rounded,filled,dashed"];"##),
        "{dot}"
    );
    assert!(
        !dot.contains(r#"module.roles.aws_iam_role.this[\"b\"]"#),
        "role b is in no blast radius, so not drawn: {dot}"
    );
    let mm = Render::render(&a, Format::Mermaid);
    assert!(
        mm.contains(r#"["aws_iam_instance_profile.p · p · [possible]"]:::possible"#),
        "{mm}"
    );
    assert!(mm.contains("classDef possible"), "{mm}");
}

// ---------------------------------------------------------------- deposed objects

/// A create-before-destroy key replacement that stopped half way: the old key is deposed and
/// deleted now, a log group still names it by ARN, a bucket already uses the new key.
#[test]
fn a_deposed_key_has_the_dependents_that_still_name_it() {
    let (old, new) = (kid(0xd0), kid(0xd1));
    let key =
        |k: &str| json!({"arn": key_arn(k), "id": k, "key_id": k, "deletion_window_in_days": 30});
    let mut deposed = rc("aws_kms_key.main", &["delete"], key(&old), Value::Null);
    deposed["deposed"] = json!("00000001");
    let d = plan_doc(
        vec![
            rc("aws_kms_key.main", &["no-op"], key(&new), key(&new)),
            deposed,
            rc(
                "aws_cloudwatch_log_group.old",
                &["no-op"],
                json!({"name": "old", "kms_key_id": key_arn(&old)}),
                json!({"name": "old", "kms_key_id": key_arn(&old)}),
            ),
            rc(
                "aws_s3_bucket_server_side_encryption_configuration.b",
                &["no-op"],
                json!({"bucket": "b", "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": key_arn(&new)}]}]}),
                json!({"bucket": "b", "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": key_arn(&new)}]}]}),
            ),
        ],
        None,
    );
    let r = report_json(&analyze_docs(&[d]));
    let dep = r["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == "aws_kms_key.main")
        .unwrap();
    assert_eq!(dep["findings"][0]["rule"], "key-deleted");
    let entries: Vec<(String, u64, bool)> = dep["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["id"].as_str().unwrap().into(),
                b["depth"].as_u64().unwrap(),
                b["possible"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [("aws_cloudwatch_log_group.old".to_string(), 1, false)]
    );
    assert_eq!(dep["blast_radius"][0]["via"], json!(["encrypted-by"]));
    let msg = dep["findings"][0]["message"].as_str().unwrap();
    assert!(
        msg.ends_with("1 resource depends on it: aws_cloudwatch_log_group.old (old)."),
        "{msg}"
    );
}

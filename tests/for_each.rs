//! `for_each`, `count` and module-instance references resolved to the instance they name.
//!
//! The configuration blocks are the ones Terraform 1.11 wrote for a stack with a `for_each`
//! key module (`output "key_arns" { value = {for k, v in aws_kms_key.this : k => v.arn} }`),
//! a `for_each` module call, a nested module taking the map as a variable, `count` resources
//! and a separate `aws_kms_key_policy`, trimmed of the provider block.

use crate::blast_exact::{blast, e, res};
use crate::common::*;
use serde_json::{json, Value};

/// The `configuration` Terraform 1.11 wrote for the for_each stack (see the module docs).
pub fn for_each_configuration() -> Value {
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

pub const KEYS: [&str; 6] = [
    r#"module.kms.aws_kms_key.this["app"]"#,
    r#"module.kms.aws_kms_key.this["logs"]"#,
    r#"module.regional["a"].aws_kms_key.this["r-a"]"#,
    r#"module.regional["b"].aws_kms_key.this["r-b"]"#,
    "aws_kms_key.c[0]",
    "aws_kms_key.c[1]",
];

/// The first apply of the stack: everything is created, every ARN is known after apply only,
/// so only the configuration can say which key each dependent uses.
pub fn first_apply() -> Value {
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

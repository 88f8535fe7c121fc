//! Dependents the plan cannot pin to one instance are *possible*: in the blast radius,
//! in rule messages and in every format (JSON, text, markdown, HTML, DOT, Mermaid).

use crate::blast_exact::{blast, e, kid, res, Render};
use crate::common::*;
use crate::for_each::{first_apply, for_each_configuration, KEYS};
use serde_json::{json, Value};

/// The second plan of the stack: `-replace` of the "app" key. Dependents of that key lose
/// their known value (known after apply); `all` (`values(module.kms.key_arns)[0]`) named the
/// app key before, so it certainly uses it now and only possibly either key afterwards.
pub(crate) fn replace_app_key() -> Value {
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
    assert_eq!(r["schema_version"], 3);
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
        md.contains("- 1 `aws_cloudwatch_log_group.all` (`all`) — via encrypted-by · *possible*\n"),
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
    // DOT nodes are `n<index>`, labelled with their id (quotes escaped)
    let dot_id = |label: &str| -> String {
        dot.lines()
            .find(|l| {
                l.contains(&format!("[label=\"{label}\\n"))
                    || l.contains(&format!("[label=\"{label}\""))
            })
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or_else(|| panic!("no node {label} in {dot}"))
            .to_string()
    };
    let key = dot_id(r#"module.kms.aws_kms_key.this[\"app\"]"#);
    assert!(
        dot.contains(&format!(
            "  {} -> {key} [label=\"encrypted-by\", style=dashed];",
            dot_id("aws_cloudwatch_log_group.all")
        )),
        "{dot}"
    );
    assert!(
        dot.contains(&format!(
            "  {} -> {key} [label=\"encrypted-by\"];",
            dot_id("aws_cloudwatch_log_group.app")
        )),
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

/// `alias-changed` lists what refers to the alias; what only possibly does is marked so.
#[test]
fn alias_users_the_plan_cannot_pin_are_marked_possibly() {
    let alias = |n: &str| {
        res(
            &format!("module.kms.aws_kms_alias.this[\"{n}\"]"),
            &["create"],
            Value::Null,
            json!({"name": format!("alias/{n}")}),
            json!({"arn": true, "id": true, "target_key_arn": true, "target_key_id": true}),
        )
    };
    let param = res(
        "aws_ssm_parameter.p",
        &["create"],
        Value::Null,
        json!({"name": "/p", "type": "SecureString", "value": "(sensitive)"}),
        json!({"arn": true, "id": true, "key_id": true}),
    );
    let cfg = json!({"root_module": {
        "resources": [{"address": "aws_ssm_parameter.p", "mode": "managed", "type": "aws_ssm_parameter",
            "name": "p", "provider_config_key": "aws", "schema_version": 0,
            "expressions": {"key_id": {"references": ["module.kms.alias_names", "module.kms"]},
                            "name": {"constant_value": "/p"}}}],
        "module_calls": {"kms": {"source": "./modules/kms", "expressions": {}, "module": {
            "outputs": {"alias_names": {"expression": {"references": ["aws_kms_alias.this"]}}},
            "resources": [{"address": "aws_kms_alias.this", "mode": "managed", "type": "aws_kms_alias",
                "name": "this", "provider_config_key": "aws", "schema_version": 0,
                "expressions": {"name": {"references": ["each.key"]}},
                "for_each_expression": {"constant_value": ["a", "b"]}}]}}}
    }});
    let r = report_json(&analyze_docs(&[plan_doc(
        vec![alias("a"), alias("b"), param],
        Some(cfg),
    )]));
    let a = r#"module.kms.aws_kms_alias.this["a"]"#;
    assert_eq!(
        blast(&r, a),
        [e("aws_ssm_parameter.p", 1, &["encrypted-by"], true)]
    );
    let msg = change(&r, a)["findings"][0]["message"].as_str().unwrap();
    assert!(
        msg.ends_with(" Referring to it: aws_ssm_parameter.p (/p) (possibly)."),
        "{msg}"
    );
}

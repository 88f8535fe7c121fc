//! Plans with a wrong type (or a duplicate member, or an unknown action) in a field keyblast
//! reads are refused: exit 2, one line naming the file, the exact JSON path and what was
//! expected. Every case starts from one valid plan that exercises every field the loader
//! reads (`valid()`), and breaks one thing.

use crate::common::*;
use keyblast::plan::load_bytes;
use proptest::prelude::*;
use serde_json::{json, Value};

/// A valid plan: a key deletion (with masks, replace paths, an import and a moved address), a
/// deposed object, a deferred change, configuration through a module, and prior state with a
/// child module.
fn valid() -> Value {
    let mut key = rc(
        "aws_kms_key.main",
        &["delete"],
        json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID), "is_enabled": true, "policy": "{}", "tags": {"owner": "a"}}),
        Value::Null,
    );
    key["previous_address"] = json!("aws_kms_key.old");
    key["action_reason"] = json!("delete_because_no_resource_config");
    key["change"]["before_sensitive"] = json!({"tags": {"owner": true}});
    key["change"]["after_sensitive"] = json!(false);
    key["change"]["replace_paths"] = json!([["policy"], ["tags", "owner"], ["x", 0]]);
    let mut imported = rc(
        "aws_s3_bucket.b",
        &["no-op"],
        json!({"bucket": "b"}),
        json!({"bucket": "b"}),
    );
    imported["change"]["importing"] = json!({"id": "b"});
    imported["change"]["after_unknown"] = json!({"tags": {"k": true}, "rules": [false, true]});
    let mut deposed = rc(
        "aws_kms_alias.a",
        &["delete"],
        json!({"name": "alias/a", "target_key_id": KEY_ID}),
        Value::Null,
    );
    deposed["deposed"] = json!("00000001");
    let mut doc = plan_doc(vec![key, imported, deposed], None);
    doc["planned_values"] = json!({"root_module": {}});
    doc["errored"] = json!(false);
    doc["deferred_changes"] = json!([{"reason": "provider_config_unknown", "resource_change": rc(
        "aws_sqs_queue.q", &["create"], Value::Null, json!({"kms_master_key_id": KEY_ID}))}]);
    doc["configuration"] = json!({"provider_config": {"aws": {"name": "aws"}}, "root_module": {
        "resources": [{"address": "aws_s3_bucket.b", "mode": "managed", "for_each_expression": {"references": ["var.buckets"]}, "expressions": {
            "bucket": {"constant_value": "b"}, "tags": {"references": ["module.kms.arn", "module.kms"]}}}],
        "module_calls": {"kms": {"source": "./kms", "for_each_expression": {"constant_value": {"a": 1}}, "expressions": {"alias": {"constant_value": "a"}}, "module": {
            "outputs": {"arn": {"expression": {"references": ["aws_kms_key.this.arn"]}}},
            "resources": [{"address": "aws_kms_key.this", "expressions": {}}]}}},
        "outputs": {"bucket": {"expression": {"references": ["aws_s3_bucket.b"]}}}
    }});
    doc["prior_state"] = json!({"format_version": "1.0", "values": {"root_module": {
        "resources": [{"address": "data.aws_caller_identity.me", "mode": "data", "type": "aws_caller_identity",
                       "name": "me", "provider_name": "registry.terraform.io/hashicorp/aws",
                       "values": {"account_id": ACCOUNT}, "sensitive_values": {}}],
        "child_modules": [{"address": "module.kms", "resources": [
            {"address": "module.kms.data.aws_iam_policy_document.p", "mode": "data", "type": "aws_iam_policy_document",
             "name": "p", "values": {"json": "{}", "statement": [{"sid": "a"}]}, "sensitive_values": {"statement": [{}]}},
            {"address": "module.kms.aws_kms_key.gone", "mode": "managed", "type": "aws_kms_key", "name": "gone",
             "values": {"key_id": OTHER_ID}, "deposed_key": "00000002"}]}]
    }}});
    doc
}

/// Runs `analyze` on `doc` written as `name`; returns the one stderr line of a refusal.
fn refused(name: &str, text: &str) -> String {
    let path = temp_file(name, text.as_bytes());
    let r = cli(["analyze".as_ref(), path.as_os_str()]);
    assert_eq!(r.code, 2, "{name}: exit {} {}", r.code, r.stderr);
    assert!(r.stdout.is_empty(), "{name}: {}", r.stdout);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{name}: one line, got {:?}", r.stderr);
    assert!(
        lines[0].contains(name),
        "{name}: the file is named: {}",
        lines[0]
    );
    lines[0].to_string()
}

/// Sets the member at `pointer` (a JSON pointer) to `v`.
fn set(doc: &mut Value, pointer: &str, v: Value) {
    *doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in the valid plan")) = v;
}

#[test]
fn the_valid_plan_loads_and_analyzes() {
    let plan = load("valid.json", &valid());
    assert_eq!(plan.resources.len(), 6, "{:#?}", plan.resources);
    let a = analyze_docs(&[valid()]);
    assert!(!a.changes.is_empty());
}

const RC0: &str = "/resource_changes/0";
const CH0: &str = "/resource_changes/0/change";
const PS: &str = "/prior_state/values/root_module";
const CFG: &str = "/configuration/root_module";

/// (case name, pointer, replacement, JSON path in the message, expectation in the message)
fn cases() -> Vec<(&'static str, String, Value, &'static str, &'static str)> {
    let p = |s: &str, rest: &str| format!("{s}{rest}");
    vec![
        ("actions-number", p(CH0, "/actions"), json!(5), "resource_changes[0].change.actions", "expected a list of action names, found a number"),
        ("actions-string", p(CH0, "/actions"), json!("delete"), "resource_changes[0].change.actions", "expected a list of action names, found a string"),
        ("actions-empty", p(CH0, "/actions"), json!([]), "resource_changes[0].change.actions", "expected a list of action names, found an empty list"),
        ("action-number", p(CH0, "/actions/0"), json!(1), "resource_changes[0].change.actions[0]", "expected an action name (no-op, create, read, update, delete or forget), found a number"),
        ("action-unknown", p(CH0, "/actions/0"), json!("teleport"), "resource_changes[0].change.actions[0]", "keyblast does not know this action: \"teleport\""),
        ("address-object", p(RC0, "/address"), json!({"a": 1}), "resource_changes[0].address", "expected a string, found an object"),
        ("type-number", p(RC0, "/type"), json!(7), "resource_changes[0].type", "expected a string, found a number"),
        ("before-number", p(CH0, "/before"), json!(3), "resource_changes[0].change.before", "expected an object (the resource's attributes) or null, found a number"),
        ("after-list", p(CH0, "/after"), json!([1]), "resource_changes[0].change.after", "expected an object (the resource's attributes) or null, found a list"),
        ("after-unknown-string", p(CH0, "/after_unknown"), json!("yes"), "resource_changes[0].change.after_unknown", "expected an object, true/false or null (a mask that mirrors the value), found a string"),
        ("after-unknown-inner-number", "/resource_changes/1/change/after_unknown/tags/k".into(), json!(1), "resource_changes[1].change.after_unknown", "expected only objects, lists and true/false inside a mask, found a number at tags.k"),
        ("before-sensitive-number", p(CH0, "/before_sensitive"), json!(1), "resource_changes[0].change.before_sensitive", "found a number"),
        ("before-sensitive-inner-string", p(CH0, "/before_sensitive/tags/owner"), json!("yes"), "resource_changes[0].change.before_sensitive", "found a string at tags.owner"),
        ("after-sensitive-list", p(CH0, "/after_sensitive"), json!([true]), "resource_changes[0].change.after_sensitive", "expected an object, true/false or null (a mask that mirrors the value), found a list"),
        ("replace-paths-string", p(CH0, "/replace_paths"), json!("policy"), "resource_changes[0].change.replace_paths", "expected a list, found a string"),
        ("replace-paths-entry-object", p(CH0, "/replace_paths/0"), json!({"policy": 1}), "resource_changes[0].change.replace_paths[0]", "expected a list, found an object"),
        ("replace-paths-step-bool", p(CH0, "/replace_paths/1/1"), json!(true), "resource_changes[0].change.replace_paths[1][1]", "expected an attribute name or an index, found a boolean"),
        ("importing-string", "/resource_changes/1/change/importing".into(), json!("b"), "resource_changes[1].change.importing", "expected an object (the import of a resource), found a string"),
        ("importing-id-number", "/resource_changes/1/change/importing/id".into(), json!(1), "resource_changes[1].change.importing.id", "expected a string, found a number"),
        ("action-reason-number", p(RC0, "/action_reason"), json!(1), "resource_changes[0].action_reason", "expected a string, found a number"),
        ("mode-number", p(RC0, "/mode"), json!(0), "resource_changes[0].mode", "expected a resource mode (managed or data), found a number"),
        ("mode-unknown", p(RC0, "/mode"), json!("ephemeral"), "resource_changes[0].mode", "keyblast does not know this resource mode: \"ephemeral\""),
        ("name-list", p(RC0, "/name"), json!(["main"]), "resource_changes[0].name", "expected a string, found a list"),
        ("previous-address-object", p(RC0, "/previous_address"), json!({}), "resource_changes[0].previous_address", "expected a string, found an object"),
        ("deposed-number", "/resource_changes/2/deposed".into(), json!(1), "resource_changes[2].deposed", "expected a string, found a number"),
        ("provider-name-bool", p(RC0, "/provider_name"), json!(true), "resource_changes[0].provider_name", "expected a string, found a boolean"),
        ("change-null", p(RC0, "/change"), Value::Null, "resource_changes[0].change", "expected an object (the change of a resource), found null"),
        ("change-list", p(RC0, "/change"), json!([["delete"]]), "resource_changes[0].change", "expected an object (the change of a resource), found a list"),
        ("change-entry-list", RC0.into(), json!(["aws_kms_key.main", "managed"]), "resource_changes[0]", "expected an object (a resource change), found a list"),
        ("importing-list", "/resource_changes/1/change/importing".into(), json!(["b"]), "resource_changes[1].change.importing", "expected an object (the import of a resource), found a list"),
        ("change-entry-null", RC0.into(), Value::Null, "resource_changes[0]", "expected an object (a resource change), found null"),
        ("resource-changes-string", "/resource_changes".into(), json!("nope"), "resource_changes", "expected a list, found a string"),
        ("format-version-number", "/format_version".into(), json!(1.2), "format_version", "expected a string, found a number"),
        ("terraform-version-list", "/terraform_version".into(), json!([]), "terraform_version", "expected a string, found a list"),
        ("errored-string", "/errored".into(), json!("no"), "errored", "expected a boolean, found a string"),
        ("configuration-string", "/configuration".into(), json!("x"), "configuration", "expected an object (the configuration), found a string"),
        ("root-module-list", CFG.into(), json!([]), "configuration.root_module", "expected an object (a configuration module), found a list"),
        ("config-resources-object", p(CFG, "/resources"), json!({}), "configuration.root_module.resources", "expected a list, found an object"),
        ("config-address-number", p(CFG, "/resources/0/address"), json!(1), "configuration.root_module.resources[0].address", "expected a string, found a number"),
        ("config-expressions-list", p(CFG, "/resources/0/expressions"), json!([]), "configuration.root_module.resources[0].expressions", "expected an object (configuration expressions), found a list"),
        ("config-references-number", p(CFG, "/resources/0/expressions/tags/references/0"), json!(5), "configuration.root_module.resources[0].expressions", "expected a list of reference strings at tags.references[0], found a number"),
        ("config-for-each-number", p(CFG, "/resources/0/for_each_expression"), json!(5), "configuration.root_module.resources[0].for_each_expression", "expected an object (configuration expressions), found a number"),
        ("config-for-each-references-string", p(CFG, "/resources/0/for_each_expression"), json!({"references": "var.keys"}), "configuration.root_module.resources[0].for_each_expression", "expected a list of reference strings at references, found a string"),
        ("module-call-for-each-list", p(CFG, "/module_calls/kms/for_each_expression"), json!(["a"]), "configuration.root_module.module_calls.kms.for_each_expression", "expected an object (configuration expressions), found a list"),
        ("module-calls-list", p(CFG, "/module_calls"), json!([1]), "configuration.root_module.module_calls", "expected an object, found a list"),
        ("module-call-module-string", p(CFG, "/module_calls/kms/module"), json!("./kms"), "configuration.root_module.module_calls.kms.module", "expected an object (a configuration module), found a string"),
        ("module-call-expressions-number", p(CFG, "/module_calls/kms/expressions"), json!(1), "configuration.root_module.module_calls.kms.expressions", "found a number"),
        ("outputs-string", p(CFG, "/outputs"), json!("x"), "configuration.root_module.outputs", "expected an object, found a string"),
        ("output-expression-number", p(CFG, "/module_calls/kms/module/outputs/arn/expression"), json!(1), "configuration.root_module.module_calls.kms.module.outputs.arn.expression", "found a number"),
        ("prior-state-list", "/prior_state".into(), json!([]), "prior_state", "expected an object (the prior state), found a list"),
        ("prior-values-string", "/prior_state/values".into(), json!("x"), "prior_state.values", "expected an object (the values of the prior state), found a string"),
        ("prior-resources-object", p(PS, "/resources"), json!({}), "prior_state.values.root_module.resources", "expected a list, found an object"),
        ("prior-address-number", p(PS, "/resources/0/address"), json!(1), "prior_state.values.root_module.resources[0].address", "expected a string, found a number"),
        ("prior-type-number", p(PS, "/resources/0/type"), json!(1), "prior_state.values.root_module.resources[0].type", "expected a string, found a number"),
        ("prior-mode-bool", p(PS, "/resources/0/mode"), json!(false), "prior_state.values.root_module.resources[0].mode", "found a boolean"),
        ("prior-name-number", p(PS, "/resources/0/name"), json!(1), "prior_state.values.root_module.resources[0].name", "expected a string, found a number"),
        ("prior-provider-number", p(PS, "/resources/0/provider_name"), json!(1), "prior_state.values.root_module.resources[0].provider_name", "expected a string, found a number"),
        ("prior-values-list", p(PS, "/resources/0/values"), json!([]), "prior_state.values.root_module.resources[0].values", "found a list"),
        ("prior-sensitive-values-number", p(PS, "/resources/0/sensitive_values"), json!(2), "prior_state.values.root_module.resources[0].sensitive_values", "found a number"),
        ("prior-deposed-key-number", p(PS, "/child_modules/0/resources/1/deposed_key"), json!(2), "prior_state.values.root_module.child_modules[0].resources[1].deposed_key", "expected a string, found a number"),
        ("child-modules-string", p(PS, "/child_modules"), json!("x"), "prior_state.values.root_module.child_modules", "expected a list, found a string"),
        ("child-module-values-list", p(PS, "/child_modules/0/resources/0/values"), json!([]), "prior_state.values.root_module.child_modules[0].resources[0].values", "found a list"),
        ("deferred-object", "/deferred_changes".into(), json!({}), "deferred_changes", "expected a list, found an object"),
        ("deferred-reason-number", "/deferred_changes/0/reason".into(), json!(1), "deferred_changes[0].reason", "expected a string, found a number"),
        ("deferred-actions-number", "/deferred_changes/0/resource_change/change/actions".into(), json!(5), "deferred_changes[0].resource_change.change.actions", "expected a list of action names, found a number"),
        ("deferred-change-missing", "/deferred_changes/0/resource_change".into(), Value::Null, "deferred_changes[0].resource_change", "found null"),
    ]
}

#[test]
fn each_wrong_type_is_refused_naming_file_path_and_expectation() {
    for (name, pointer, replacement, json_path, expected) in cases() {
        let mut doc = valid();
        set(&mut doc, &pointer, replacement);
        let file = format!("malformed-{name}.json");
        let line = refused(&file, &doc.to_string());
        assert!(
            line.contains(&format!("{file}:1:")),
            "{name}: line:column of the typed parse: {line}"
        );
        assert!(
            line.contains(&format!(" {json_path}: ")),
            "{name}: the exact path {json_path}: {line}"
        );
        assert!(line.contains(expected), "{name}: {expected:?} in {line}");
    }
}

/// Attributes keyblast reads by name inside resource values (the catalog's shapes): a wrong
/// type there is refused too, never read as "absent" (`"is_enabled": "false"` is no disable).
#[test]
fn wrong_types_in_attributes_keyblast_reads_are_refused() {
    let cases: Vec<(&str, String, Value, &str, &str)> = vec![
        (
            "is-enabled-string",
            format!("{CH0}/before/is_enabled"),
            json!("false"),
            "resource_changes[0].change.before.is_enabled",
            "expected true, false or null, found a string",
        ),
        (
            "key-id-number",
            format!("{CH0}/before/key_id"),
            json!(5),
            "resource_changes[0].change.before.key_id",
            "expected a string or null, found a number",
        ),
        (
            "alias-name-list",
            "/resource_changes/2/change/before/name".into(),
            json!(["alias/a"]),
            "resource_changes[2].change.before.name",
            "expected a string or null, found a list",
        ),
        (
            "deferred-key-number",
            "/deferred_changes/0/resource_change/change/after/kms_master_key_id".into(),
            json!(7),
            "deferred_changes[0].resource_change.change.after.kms_master_key_id",
            "expected a key reference (a string) or null, found a number",
        ),
        (
            "prior-state-key-object",
            format!("{PS}/child_modules/0/resources/1/values/key_id"),
            json!({}),
            "",
            "",
        ),
    ];
    for (name, pointer, replacement, json_path, expected) in cases {
        let mut doc = valid();
        set(&mut doc, &pointer, replacement);
        let file = format!("shape-{name}.json");
        if json_path.is_empty() {
            // a deposed prior-state object is not read: nothing to refuse
            let path = temp_file(&file, doc.to_string().as_bytes());
            assert_eq!(
                cli(["analyze".as_ref(), path.as_os_str()]).code,
                0,
                "{name}"
            );
            continue;
        }
        let line = refused(&file, &doc.to_string());
        assert!(
            line.contains(&format!(" {json_path}: ")),
            "{name}: the exact path {json_path}: {line}"
        );
        assert!(line.contains(expected), "{name}: {expected:?} in {line}");
    }
    // the shapes of S3 encryption rules: a string where the block is
    let bucket = rc(
        "aws_s3_bucket_server_side_encryption_configuration.b",
        &["no-op"],
        json!({"bucket": "b", "rule": "x"}),
        json!({"bucket": "b", "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": KEY_ID}]}]}),
    );
    let line = refused("shape-rule.json", &plan_doc(vec![bucket], None).to_string());
    assert!(
        line.contains(" resource_changes[0].change.before.rule: expected a nested block (an object or a list of objects) or null, found a string"),
        "{line}"
    );
}

#[test]
fn a_mask_that_does_not_fit_is_refused_with_its_path() {
    // a mask reaching into a string would leave the string unredacted
    let mut doc = valid();
    set(
        &mut doc,
        &format!("{PS}/child_modules/0/resources/0/sensitive_values/statement/0"),
        json!({"sid": {"inner": true}}),
    );
    let line = refused("mask-misfit.json", &doc.to_string());
    assert!(
        line.contains(" prior_state.values.root_module.child_modules[0].resources[0].sensitive_values.statement[0].sid: ")
            && line.contains("expected a mask that mirrors values, found one that marks parts inside a string"),
        "{line}"
    );
    // in a change: the string the mask reaches into is not printed
    let mut doc = valid();
    set(
        &mut doc,
        &format!("{CH0}/before/tags"),
        json!("owner=hunter2"),
    );
    let line = refused("change-mask-misfit.json", &doc.to_string());
    assert!(
        line.contains(" resource_changes[0].change.before_sensitive.tags: expected a mask that mirrors before")
            && !line.contains("hunter2"),
        "{line}"
    );
}

#[test]
fn missing_required_members_are_named() {
    for (name, pointer, member, at) in [
        ("no-address", RC0, "address", "resource_changes[0]"),
        ("no-type", RC0, "type", "resource_changes[0]"),
        ("no-change", RC0, "change", "resource_changes[0]"),
        ("no-actions", CH0, "actions", "resource_changes[0].change"),
        (
            "no-prior-address",
            "/prior_state/values/root_module/resources/0",
            "address",
            "prior_state.values.root_module.resources[0]",
        ),
        (
            "no-config-address",
            "/configuration/root_module/resources/0",
            "address",
            "configuration.root_module.resources[0]",
        ),
    ] {
        let mut doc = valid();
        doc.pointer_mut(pointer)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove(member);
        let file = format!("missing-{name}.json");
        let line = refused(&file, &doc.to_string());
        assert!(
            line.contains(&format!(" {at}: missing member \"{member}\" (required)")),
            "{name}: {line}"
        );
    }
}

/// `valid()` as text with the member `"__dup__":0` at `pointer` turned into `dup`.
fn with_duplicate(pointer: &str, dup: &str) -> String {
    let mut doc = valid();
    doc.pointer_mut(pointer)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .insert("__dup__".into(), json!(0));
    let text = doc.to_string();
    assert_eq!(text.matches("\"__dup__\":0").count(), 1);
    text.replace("\"__dup__\":0", dup)
}

#[test]
fn duplicate_members_are_refused() {
    for (name, pointer, dup, at, expected) in [
        // `"is_enabled": true, "is_enabled": false`: serde_json alone would keep the last
        (
            "after-dup",
            "/resource_changes/1/change/after".to_string(),
            "\"bucket\":\"c\"",
            "resource_changes[1].change.after",
            "duplicate member \"bucket\"",
        ),
        (
            "before-dup",
            CH0.to_string() + "/before",
            "\"is_enabled\":false",
            "resource_changes[0].change.before",
            "duplicate member \"is_enabled\"",
        ),
        (
            "before-sensitive-dup",
            CH0.to_string() + "/before_sensitive",
            "\"tags\":false",
            "resource_changes[0].change.before_sensitive",
            "duplicate member \"tags\"",
        ),
        (
            "after-unknown-dup",
            "/resource_changes/1/change/after_unknown".into(),
            "\"tags\":false",
            "resource_changes[1].change.after_unknown",
            "duplicate member \"tags\"",
        ),
        (
            "prior-values-dup",
            PS.to_string() + "/resources/0/values",
            "\"account_id\":\"444455556666\"",
            "prior_state.values.root_module.resources[0].values",
            "duplicate member \"account_id\"",
        ),
        (
            "nested-dup",
            CH0.to_string() + "/before/tags",
            "\"owner\":\"b\"",
            "resource_changes[0].change.before.tags",
            "a member name appears twice in an object inside this attribute",
        ),
        (
            "actions-dup",
            CH0.to_string(),
            "\"actions\":[\"no-op\"]",
            "resource_changes[0].change",
            "duplicate member \"actions\"",
        ),
        (
            "address-dup",
            RC0.to_string(),
            "\"address\":\"aws_kms_key.other\"",
            "resource_changes[0]",
            "duplicate member \"address\"",
        ),
        (
            "config-expressions-dup",
            CFG.to_string() + "/resources/0/expressions",
            "\"bucket\":{}",
            "configuration.root_module.resources[0].expressions",
            "duplicate member \"bucket\"",
        ),
    ] {
        let file = format!("dup-{name}.json");
        let line = refused(&file, &with_duplicate(&pointer, dup));
        assert!(line.contains(&format!(" {at}: ")), "{name}: {line}");
        assert!(line.contains(expected), "{name}: {expected:?} in {line}");
    }
    // the nested duplicate's name is not printed: map keys may be sensitive
    let line = refused(
        "dup-hidden.json",
        &with_duplicate(&(CH0.to_string() + "/before/tags"), "\"owner\":\"b\""),
    );
    assert!(!line.contains("owner"), "{line}");
}

#[test]
fn a_disable_hidden_behind_a_duplicate_is_not_scored() {
    let mut doc = plan_doc(
        vec![rc(
            "aws_kms_key.main",
            &["update"],
            json!({"key_id": KEY_ID, "is_enabled": true}),
            json!({"key_id": KEY_ID, "__dup__": 0}),
        )],
        None,
    );
    doc["format_version"] = json!("1.2");
    let text = doc
        .to_string()
        .replace("\"__dup__\":0", "\"is_enabled\":false,\"is_enabled\":true");
    let line = refused("disable-dup.json", &text);
    assert!(
        line.contains(" resource_changes[0].change.after: duplicate member \"is_enabled\""),
        "{line}"
    );
}

/// Pointers of every field the loader reads in `v`, without descending into values, masks
/// and expressions (those are read as a whole).
fn read_fields(v: &Value, at: String, out: &mut Vec<String>) {
    const WHOLE: &[&str] = &[
        "before",
        "after",
        "after_unknown",
        "before_sensitive",
        "after_sensitive",
        "values",
        "sensitive_values",
        "expressions",
        "expression",
        "for_each_expression",
        "planned_values",
    ];
    let leaf = at.rsplit('/').next().unwrap_or("");
    let whole = WHOLE.contains(&leaf) && !at.ends_with("/prior_state/values");
    if !at.is_empty() {
        out.push(at.clone());
    }
    if whole {
        return;
    }
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, sub)| read_fields(sub, format!("{at}/{k}"), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, sub)| read_fields(sub, format!("{at}/{i}"), out)),
        _ => {}
    }
}

/// `/resource_changes/0/change/actions` → `resource_changes[0].change.actions`.
fn display_path(pointer: &str) -> String {
    let mut out = String::new();
    for part in pointer.split('/').skip(1) {
        if part.parse::<usize>().is_ok() {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(part);
        }
    }
    out
}

fn replacement() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!(true)),
        Just(json!(false)),
        Just(json!(0)),
        Just(json!(-7)),
        Just(json!(2.5)),
        Just(json!("")),
        Just(json!("delete")),
        Just(json!([])),
        Just(json!([1, "a"])),
        Just(json!({})),
        Just(json!({"a": [true]})),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// A type mutation of any read field loads, or fails naming that field's path (or a
    /// path inside it); never a panic.
    #[test]
    fn mutating_any_read_field_loads_or_names_its_path(index in any::<prop::sample::Index>(), v in replacement()) {
        let base = valid();
        let mut fields = Vec::new();
        read_fields(&base, String::new(), &mut fields);
        prop_assert!(fields.len() > 80, "{} fields", fields.len());
        let pointer = index.get(&fields).clone();
        let mut doc = base;
        set(&mut doc, &pointer, v.clone());
        if let Err(e) = load_bytes("mutated.json", doc.to_string().as_bytes()) {
            let msg = e.to_string();
            let path = display_path(&pointer);
            prop_assert!(
                msg.contains(&format!(" {path}: ")) || msg.contains(&format!(" {path}.")) || msg.contains(&format!(" {path}[")),
                "{pointer} = {v}: {msg}"
            );
            prop_assert!(msg.starts_with("mutated.json"), "{msg}");
        }
    }
}

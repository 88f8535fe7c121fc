//! Live placeholders (link targets not seen yet) become the live resource whatever order the
//! inventories list things in; live edges of a resource the plan changes hold before the
//! change only, so a key in a plan is named by its address with discovery on.

use crate::common::*;
use crate::live_merge::{arn, inventory, key_plan, noop, run};
use keyblast::graph::Origin;
use keyblast::inventory::Inventory;
use serde_json::{json, Value};

/// Live only: a cluster, its automated snapshot, an instance and its snapshot, a volume and
/// its snapshot, all encrypted by the plan's key, which is deleted.
fn live_stack() -> Vec<Value> {
    let k = key_arn(KEY_ID);
    let r = |id: String, ty: &str, name: &str, aliases: Value, links: Value| {
        json!({"id": id, "type": ty, "name": name, "region": "us-east-1", "aliases": aliases,
               "key_refs": [{"attr": "kms_key_id", "key": k}], "links": links})
    };
    vec![
        r(
            arn("rds", "cluster-snapshot:rds:orders-2026-11-30-03-10"),
            "aws_db_cluster_snapshot",
            "rds:orders-2026-11-30-03-10",
            json!([]),
            json!([{"kind": "snapshot-of", "target": arn("rds", "cluster:orders")}]),
        ),
        r(
            arn("rds", "snapshot:rds:app-db-2026-11-30"),
            "aws_db_snapshot",
            "rds:app-db-2026-11-30",
            json!([]),
            json!([{"kind": "snapshot-of", "target": arn("rds", "db:app-db")}]),
        ),
        r(
            arn("ec2", "snapshot/snap-0aaaaaaaaaaaaaaa1"),
            "aws_ebs_snapshot",
            "snap-0aaaaaaaaaaaaaaa1",
            json!(["snap-0aaaaaaaaaaaaaaa1"]),
            json!([{"kind": "snapshot-of", "target": "vol-0aaaaaaaaaaaaaaa1"}]),
        ),
        r(
            arn("rds", "cluster:orders"),
            "aws_rds_cluster",
            "orders",
            json!([]),
            json!([]),
        ),
        r(
            arn("rds", "db:app-db"),
            "aws_db_instance",
            "app-db",
            json!([]),
            json!([]),
        ),
        r(
            arn("ec2", "volume/vol-0aaaaaaaaaaaaaaa1"),
            "aws_ebs_volume",
            "vol-0aaaaaaaaaaaaaaa1",
            json!(["vol-0aaaaaaaaaaaaaaa1"]),
            json!([{"kind": "attached-to", "target": "i-0aaaaaaaaaaaaaaa1"}]),
        ),
    ]
}

#[test]
fn placeholders_become_the_live_resource_in_any_order() {
    let plan = key_plan(Vec::new(), &["delete"]);
    let forward = live_stack();
    let mut backward = forward.clone();
    backward.reverse();
    let report = |resources: Vec<Value>| {
        let inv = inventory(json!([]), json!([]), Value::Array(resources));
        let a = run(&plan, vec![inv]);
        (report_json(&a), a.graph.node_count())
    };
    let (f, fnodes) = report(forward);
    let (b, bnodes) = report(backward);
    assert_eq!(f, b, "the inventory's order does not matter");
    assert_eq!(fnodes, bnodes);
    // key + 6 live resources + the instance the volume is attached to
    assert_eq!(fnodes, 8);
    let entries: Vec<(String, String, Value, u64)> = change(&f, "aws_kms_key.main")["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["id"].as_str().unwrap().to_string(),
                b["type"].as_str().unwrap().to_string(),
                b["name"].clone(),
                b["depth"].as_u64().unwrap(),
            )
        })
        .collect();
    let want =
        |id: String, ty: &str, name: &str, depth: u64| (id, ty.to_string(), json!(name), depth);
    assert_eq!(
        entries,
        [
            want(
                arn("ec2", "snapshot/snap-0aaaaaaaaaaaaaaa1"),
                "aws_ebs_snapshot",
                "snap-0aaaaaaaaaaaaaaa1",
                1
            ),
            want(
                arn("ec2", "volume/vol-0aaaaaaaaaaaaaaa1"),
                "aws_ebs_volume",
                "vol-0aaaaaaaaaaaaaaa1",
                1
            ),
            want(
                arn("rds", "cluster-snapshot:rds:orders-2026-11-30-03-10"),
                "aws_db_cluster_snapshot",
                "rds:orders-2026-11-30-03-10",
                1
            ),
            want(arn("rds", "cluster:orders"), "aws_rds_cluster", "orders", 1),
            want(arn("rds", "db:app-db"), "aws_db_instance", "app-db", 1),
            want(
                arn("rds", "snapshot:rds:app-db-2026-11-30"),
                "aws_db_snapshot",
                "rds:app-db-2026-11-30",
                1
            ),
            // known only from the attachment: a placeholder typed by its id
            want(
                "i-0aaaaaaaaaaaaaaa1".into(),
                "aws_instance",
                "i-0aaaaaaaaaaaaaaa1",
                2
            ),
        ]
    );
    let origins: Vec<&str> = change(&f, "aws_kms_key.main")["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["origin"].as_str().unwrap())
        .collect();
    assert_eq!(
        origins,
        ["live", "live", "live", "live", "live", "live", "reference"]
    );
}

/// An alias first named by a live resource of one inventory (a placeholder) and listed by
/// another (keys of every inventory join first, aliases per inventory).
#[test]
fn an_alias_placeholder_becomes_the_live_alias_in_any_order() {
    let other = key_arn(OTHER_ID);
    let alias_arn = arn("kms", "alias/shared");
    let user = inventory(
        json!([]),
        json!([]),
        json!([{"id": arn("logs", "log-group:/x"), "type": "aws_cloudwatch_log_group", "name": "/x",
                "region": "us-east-1", "key_refs": [{"attr": "kms_key_id", "key": "alias/shared"}]}]),
    );
    let owner = inventory(
        json!([{"arn": other, "key_id": OTHER_ID, "region": "us-east-1"}]),
        json!([{"name": "alias/shared", "arn": alias_arn, "region": "us-east-1", "target_key_id": OTHER_ID}]),
        json!([]),
    );
    let plan = key_plan(Vec::new(), &["no-op"]);
    type Row = (String, String, Option<String>, bool, Vec<String>);
    let graphs: Vec<Vec<Row>> = [vec![user.clone(), owner.clone()], vec![owner, user]]
        .into_iter()
        .map(|invs| {
            let a = run(&plan, invs);
            let mut v: Vec<Row> = a
                .graph
                .nodes()
                .map(|(ix, n)| {
                    let mut deps: Vec<String> = a
                        .graph
                        .dependencies(ix)
                        .map(|(t, e)| format!("{} {}", e.kind.as_str(), a.graph.node(t).id))
                        .collect();
                    deps.sort();
                    (
                        n.id.clone(),
                        n.rtype.clone(),
                        n.name.clone(),
                        matches!(n.origin, Origin::Live { .. }),
                        deps,
                    )
                })
                .collect();
            v.sort();
            v
        })
        .collect();
    assert_eq!(graphs[0], graphs[1]);
    assert!(
        graphs[0].contains(&(
            alias_arn.clone(),
            "aws_kms_alias".into(),
            Some("alias/shared".into()),
            true,
            vec![format!("alias-of {other}")]
        )),
        "{:#?}",
        graphs[0]
    );
    assert!(
        graphs[0]
            .iter()
            .any(|r| r.0 == arn("logs", "log-group:/x")
                && r.4 == [format!("encrypted-by {alias_arn}")]),
        "{:#?}",
        graphs[0]
    );
    assert_eq!(graphs[0].len(), 4, "plan key, live key, alias, log group");
}

/// `alias-changed` with discovery on: the live alias still points at the old key; the plan
/// moves it. The new key is named by its address either way.
#[test]
fn an_alias_retarget_names_plan_keys_by_address_with_discovery() {
    let key = |id: &str| json!({"arn": key_arn(id), "id": id, "key_id": id});
    let alias = |id: &str| json!({"arn": arn("kms", "alias/app"), "id": "alias/app", "name": "alias/app", "target_key_arn": key_arn(KEY_ID), "target_key_id": id});
    let plan = plan_doc(
        vec![
            noop("aws_kms_key.old", key(KEY_ID)),
            noop("aws_kms_key.new", key(OTHER_ID)),
            rc(
                "aws_kms_alias.app",
                &["update"],
                alias(KEY_ID),
                alias(OTHER_ID),
            ),
        ],
        None,
    );
    let inv = inventory(
        json!([{"arn": key_arn(KEY_ID), "key_id": KEY_ID, "region": "us-east-1"},
               {"arn": key_arn(OTHER_ID), "key_id": OTHER_ID, "region": "us-east-1"}]),
        json!([{"name": "alias/app", "arn": arn("kms", "alias/app"), "region": "us-east-1", "target_key_id": KEY_ID}]),
        json!([]),
    );
    let message = |invs: Vec<Inventory>| {
        let r = report_json(&run(&plan, invs));
        change(&r, "aws_kms_alias.app")["findings"][0]["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let offline = message(Vec::new());
    let live = message(vec![inv.clone()]);
    // the live alias describes the state before the change: it does not say where the alias
    // points afterwards
    let a = run(&plan, vec![inv]);
    let alias = a.graph.find(&arn("kms", "alias/app")).unwrap();
    let mut targets: Vec<(String, bool, bool)> = a
        .graph
        .dependencies(alias)
        .filter(|(_, e)| e.attr.as_deref() == Some("target_key_id"))
        .map(|(k, e)| (a.graph.node(k).id.clone(), e.phase.before, e.phase.after))
        .collect();
    targets.sort();
    assert_eq!(
        targets,
        [
            ("aws_kms_key.new".to_string(), false, true),
            ("aws_kms_key.old".to_string(), true, false)
        ]
    );
    let want = format!(
        "Alias alias/app moves from aws_kms_key.old (alias/app, {KEY_ID}) to aws_kms_key.new (alias/app, {OTHER_ID})."
    );
    assert!(offline.starts_with(&want), "{offline}");
    assert_eq!(live, offline);
}

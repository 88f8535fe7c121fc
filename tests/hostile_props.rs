//! Property tests with hostile plans (proptest; case counts keep the file within ~30 s in a
//! debug build):
//! - arbitrary plan-shaped JSON never panics, and the same bytes give the same report twice,
//!   in every format;
//! - values the plan marks sensitive (at the top level, inside nested lists and maps, whole
//!   objects; in any attribute, key references and policies included) never show in any
//!   format, in an error or in the analysis' debug output;
//! - for any plan text (addresses, names, tags, descriptions, policy Sids, principal ARNs,
//!   mixing autolinks, mentions, references, markup and invisible characters), the PR comment
//!   as comrak renders it (GFM) holds no raw HTML, link, image, mention, reference or
//!   invisible character that keyblast did not put there (`github::hazards`).

use crate::common::*;
use crate::github::hazards;
use crate::hostile::plans::hostile_plan;
use keyblast::analyze::{analyze, Options};
use keyblast::plan::load_bytes;
use keyblast::report::markdown::comment;
use keyblast::report::Report;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Pieces of hostile text: what GitHub links, mentions or references, markup, table and code
/// breakers, characters that hide or reorder text, terminal escapes.
const FRAGMENTS: &[&str] = &[
    "www.example.com",
    "WWW.x.io",
    "https://evil.test/a?b=c",
    "http://x",
    "ftp://y",
    "a@b.co",
    "mailto:a@b.c",
    "xmpp:u@h.d",
    "@here",
    "@org/team",
    "#1",
    "#123",
    "GH-5",
    "gh-77",
    "org/repo#7",
    "org/repo@deadbeef",
    "deadbeefcafe1",
    "1234567",
    "JIRA-12",
    ":shipit:",
    ":+1:",
    "<img src=x onerror=alert(1)>",
    "<script>",
    "</code>",
    "</summary>",
    "<!--",
    "-->",
    "[x](https://x)",
    "![i](https://i)",
    "<https://y>",
    "[^1]",
    "[ ]",
    "> [!NOTE]",
    "$x$",
    "~~s~~",
    "**b**",
    "_i_",
    "`",
    "``",
    "|",
    "\\|",
    "\\",
    "&amp;",
    "&#35;",
    "\n",
    "\r\n",
    "\t",
    "\u{1b}[31m",
    "\u{0}",
    "\u{202e}",
    "\u{202a}",
    "\u{2066}",
    "\u{2069}",
    "\u{200b}",
    "\u{200d}",
    "\u{200f}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{061c}",
    "\u{2060}",
    "\u{e0041}",
    " ",
    "-",
    "/",
    ".",
    ":",
    "\"",
    "'",
];

/// Hostile text: fragments and arbitrary characters.
fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(FRAGMENTS).prop_map(str::to_string),
            1 => prop::collection::vec(any::<char>(), 0..4).prop_map(|c| c.into_iter().collect()),
            1 => "[a-z0-9]{1,6}",
        ],
        0..6,
    )
    .prop_map(|v| v.concat())
}

const TYPES: &[&str] = &[
    "aws_kms_key",
    "aws_kms_alias",
    "aws_kms_grant",
    "aws_kms_key_policy",
    "aws_s3_bucket",
    "aws_ssm_parameter",
    "aws_db_instance",
    "aws_iam_role",
    "aws_lambda_function",
    "aws_ebs_volume",
    "null_resource",
];
const ATTRS: &[&str] = &[
    "key_id",
    "arn",
    "id",
    "name",
    "policy",
    "target_key_id",
    "kms_key_id",
    "kms_master_key_id",
    "description",
    "tags",
    "bucket",
    "role",
    "grantee_principal",
    "operations",
    "is_enabled",
    "deletion_window_in_days",
    "value",
    "password",
];
const IDS: &[&str] = &[
    "1234abcd-12ab-34cd-56ef-1234567890ab",
    "0987dcba-09fe-87dc-65ba-ab0987654321",
];
const ACTIONS: &[&[&str]] = &[
    &["create"],
    &["delete"],
    &["update"],
    &["no-op"],
    &["read"],
    &["delete", "create"],
    &["create", "delete"],
    &["forget"],
];

/// Any JSON value, a few levels deep, with hostile strings.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        hostile().prop_map(Value::String),
        prop::sample::select(IDS).prop_map(|id| json!(key_arn(id))),
        prop::sample::select(IDS).prop_map(|id| json!(id)),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    prop::sample::select(ATTRS).prop_map(str::to_string),
                    hostile()
                ],
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A key policy as JSON text: statements with hostile Sids and principals.
fn policy_text() -> impl Strategy<Value = String> {
    let statement = (
        hostile(),
        prop::sample::select(&["Allow", "Deny"][..]),
        prop_oneof![
            Just(json!("*")),
            hostile().prop_map(|h| json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:role/{h}")})),
            Just(json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:root")})),
            Just(json!({"AWS": "arn:aws:iam::444455556666:root"})),
        ],
        prop::sample::select(&["kms:*", "kms:Decrypt", "kms:PutKeyPolicy"][..]),
        prop::option::of(hostile()),
    )
        .prop_map(|(sid, effect, who, action, cond)| {
            let mut s = json!({"Sid": sid, "Effect": effect, "Principal": who, "Action": action, "Resource": "*"});
            if let Some(c) = cond {
                s["Condition"] = json!({"StringEquals": {"kms:ViaService": c}});
            }
            s
        });
    prop::collection::vec(statement, 0..4)
        .prop_map(|st| json!({"Version": "2012-10-17", "Statement": st}).to_string())
}

/// Attributes holding a string (or null) in the shape checks of the plan reader.
const STRINGS: &[&str] = &[
    "key_id",
    "arn",
    "id",
    "name",
    "target_key_id",
    "kms_key_id",
    "kms_master_key_id",
    "description",
    "bucket",
    "role",
    "grantee_principal",
    "value",
    "password",
];
/// Attributes of any shape.
const FREE: &[&str] = &["tags", "settings", "environment", "rule"];

/// A string attribute's value: hostile text, a key reference or id, or null.
fn string_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => hostile().prop_map(Value::String),
        2 => prop::sample::select(IDS).prop_map(|id| json!(key_arn(id))),
        1 => prop::sample::select(IDS).prop_map(|id| json!(id)),
        1 => Just(json!("alias/app")),
        1 => Just(Value::Null),
    ]
}

/// One attribute, shaped as the plan reader expects it (mostly), or anything (sometimes, so
/// the reader's refusals are exercised too).
fn attribute() -> impl Strategy<Value = (String, Value)> {
    prop_oneof![
        6 => (prop::sample::select(STRINGS), string_value()).prop_map(|(n, v)| (n.to_string(), v)),
        2 => policy_text().prop_map(|p| ("policy".to_string(), json!(p))),
        1 => prop::collection::vec(prop::sample::select(&["Decrypt", "Encrypt", "CreateGrant"][..]), 0..3)
            .prop_map(|o| ("operations".to_string(), json!(o))),
        1 => any::<bool>().prop_map(|b| ("is_enabled".to_string(), json!(b))),
        1 => (7u32..31).prop_map(|d| ("deletion_window_in_days".to_string(), json!(d))),
        2 => (prop::sample::select(FREE), value()).prop_map(|(n, v)| (n.to_string(), v)),
        1 => (prop::sample::select(ATTRS), value()).prop_map(|(n, v)| (n.to_string(), v)),
    ]
}

/// Attributes of a resource.
fn attributes() -> impl Strategy<Value = Value> {
    prop::collection::vec(attribute(), 0..6).prop_map(|v| Value::Object(v.into_iter().collect()))
}

/// A `resource_changes` entry: any type, a hostile for_each key, any actions, any sides.
fn change() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(TYPES),
        "[a-z]{1,3}",
        prop::option::of(hostile()),
        prop::sample::select(ACTIONS),
        prop::option::of(attributes()),
        prop::option::of(attributes()),
        prop::option::weighted(0.1, value()),
    )
        .prop_map(|(ty, name, key, actions, before, after, extra)| {
            let mut c = rc(
                &format!("{ty}.{name}"),
                actions,
                before.unwrap_or(Value::Null),
                after.unwrap_or(Value::Null),
            );
            if let Some(k) = key {
                c["address"] = json!(format!("{ty}.{name}[{}]", json!(k)));
                c["index"] = json!(k);
            }
            if let Some(x) = extra {
                c["change"]["after_unknown"] = x;
            }
            c
        })
}

/// A plan: a few changes, sometimes a configuration or prior state of arbitrary shape.
fn plan() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(change(), 0..5),
        prop::option::weighted(0.2, value()),
        prop::option::weighted(0.2, value()),
    )
        .prop_map(|(changes, configuration, prior)| {
            let mut d = plan_doc(changes, configuration);
            if let Some(p) = prior {
                d["prior_state"] = p;
            }
            d
        })
}

/// Every format of the report of `bytes`, or the error's message.
fn outputs(bytes: &[u8]) -> Result<Vec<(&'static str, String)>, String> {
    let plan = load_bytes("hostile.json", bytes).map_err(|e| e.to_string())?;
    let a = analyze(vec![plan], Options::default());
    Ok(all_formats(&Report::new(&a, None)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn plan_shaped_json_never_panics_and_reports_the_same_twice(doc in plan()) {
        let bytes = doc.to_string();
        prop_assert_eq!(outputs(bytes.as_bytes()), outputs(bytes.as_bytes()));
    }

    #[test]
    fn arbitrary_json_never_panics(doc in value()) {
        let bytes = doc.to_string();
        prop_assert_eq!(outputs(bytes.as_bytes()), outputs(bytes.as_bytes()));
    }
}

/// A value with secrets at random places, and the mask Terraform would write for it: `true`
/// on each secret leaf, or on a whole list or map (everything inside is then secret too).
fn secret_tree(depth: u32) -> impl Strategy<Value = (Value, Value)> {
    let leaf = prop_oneof![
        // a secret leaf, marked
        (0u32..1000).prop_map(|i| (json!(format!("kbSECRET{i}x")), json!(true))),
        // an ordinary leaf: a hostile string, a key reference, a number
        hostile().prop_map(|s| (json!(s.replace("kbSECRET", "")), json!(false))),
        prop::sample::select(IDS).prop_map(|id| (json!(key_arn(id)), json!(false))),
        any::<u8>().prop_map(|b| (json!(b), json!(false))),
    ];
    leaf.prop_recursive(depth, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| {
                let (vals, masks): (Vec<Value>, Vec<Value>) = v.into_iter().unzip();
                (Value::Array(vals), Value::Array(masks))
            }),
            prop::collection::btree_map("[a-z_]{1,8}", inner.clone(), 0..4).prop_map(|m| {
                let mut vals = Map::new();
                let mut masks = Map::new();
                for (k, (v, mask)) in m {
                    vals.insert(k.clone(), v);
                    masks.insert(k, mask);
                }
                (Value::Object(vals), Value::Object(masks))
            }),
            // a whole subtree marked: secrets inside it, the mask just `true`
            prop::collection::vec(
                (0u32..1000).prop_map(
                    |i| json!({"k": format!("kbSECRET{i}y"), "l": [format!("kbSECRET{i}z")]})
                ),
                1..3
            )
            .prop_map(|v| (Value::Array(v), json!(true))),
        ]
    })
}

/// A resource whose attributes (any of the known names, key references and policies among
/// them) hold secrets on either side, marked in `before_sensitive` / `after_sensitive`.
fn sensitive_change() -> impl Strategy<Value = Value> {
    let attribute = || {
        prop_oneof![
            // a tree of secrets in an attribute of any shape
            3 => (prop::sample::select(FREE), secret_tree(3)).prop_map(|(n, t)| (n.to_string(), t)),
            // a secret string, or an ordinary one
            2 => (prop::sample::select(STRINGS), 0u32..1000, any::<bool>()).prop_map(|(n, i, secret)| {
                if secret {
                    (n.to_string(), (json!(format!("kbSECRET{i}s")), json!(true)))
                } else {
                    (n.to_string(), (json!(format!("plain{i}")), json!(false)))
                }
            }),
            // a whole secret policy: its Sid and principal the secret
            1 => (0u32..1000).prop_map(|i| ("policy".to_string(), (
                json!(json!({"Version": "2012-10-17", "Statement": [{"Sid": format!("kbSECRET{i}p"), "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:role/kbSECRET{i}r")}, "Action": "kms:*", "Resource": "*"}]}).to_string()),
                json!(true)
            ))),
            // a secret key reference
            1 => (prop::sample::select(&["kms_key_id", "target_key_id", "key_id"][..]), 0u32..1000)
                .prop_map(|(n, i)| (n.to_string(), (json!(key_arn(&format!("kbSECRET{i}k"))), json!(true)))),
        ]
    };
    let side = move || prop::collection::vec(attribute(), 0..5);
    (
        prop::sample::select(TYPES),
        prop::sample::select(ACTIONS),
        side(),
        side(),
        any::<bool>(),
    )
        .prop_map(|(ty, actions, before, after, whole)| {
            let split = |m: Vec<(String, (Value, Value))>| {
                let mut vals = Map::new();
                let mut masks = Map::new();
                for (k, (v, mask)) in m {
                    vals.insert(k.clone(), v);
                    masks.insert(k, mask);
                }
                (Value::Object(vals), Value::Object(masks))
            };
            let (b, bm) = split(before);
            let (a, am) = split(after);
            let mut c = rc(&format!("{ty}.s"), actions, b, a);
            // sometimes the whole object is marked
            c["change"]["before_sensitive"] = if whole { json!(true) } else { bm };
            c["change"]["after_sensitive"] = am;
            c
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn marked_values_never_show(changes in prop::collection::vec(sensitive_change(), 1..4), other in prop::collection::vec(change(), 0..3)) {
        let mut all = changes;
        all.extend(other.into_iter().map(|mut c| {
            // the ordinary changes hold no secret
            let s = c.to_string().replace("kbSECRET", "kb");
            c = serde_json::from_str(&s).unwrap();
            c
        }));
        let bytes = plan_doc(all, None).to_string();
        match load_bytes("sensitive.json", bytes.as_bytes()) {
            Err(e) => {
                let msg = format!("{e} {e:?}");
                prop_assert!(!msg.contains("kbSECRET"), "an error shows a secret: {}", msg);
            }
            Ok(plan) => {
                let a = analyze(vec![plan], Options::default());
                let debug = format!("{:?} {:?}", a.plans, a.changes);
                prop_assert!(!debug.contains("kbSECRET"), "debug output shows a secret");
                for (format, out) in all_formats(&Report::new(&a, None)) {
                    prop_assert!(!out.contains("kbSECRET"), "{} shows a secret:\n{}", format, out);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn the_comment_holds_nothing_keyblast_did_not_write(evil in hostile(), doc in plan()) {
        // hostile text in addresses, names, tags, descriptions, Sids and principal ARNs
        let a = analyze_docs(&[hostile_plan(&evil)]);
        let md = comment(&Report::new(&a, None));
        let found = hazards(&md);
        prop_assert!(found.is_empty(), "{:?}\n{}", found, md);
        // and anywhere in a random plan
        if let Ok(plan) = load_bytes("random.json", doc.to_string().as_bytes()) {
            let md = comment(&Report::new(&analyze(vec![plan], Options::default()), None));
            let found = hazards(&md);
            prop_assert!(found.is_empty(), "{:?}\n{}", found, md);
        }
    }
}

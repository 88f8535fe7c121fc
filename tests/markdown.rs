//! The pull-request comment: pinned for a sample, within GitHub's limit for any plan,
//! hostile text neutralised, secrets absent.

use crate::common::*;
use keyblast::report::markdown::{MARKER, MAX_CHARS};
use serde_json::{json, Value};

fn markdown(path: &std::path::Path) -> String {
    let r = cli([
        "analyze".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "markdown".as_ref(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn sample_comment_is_pinned_and_marked() {
    let r = cli([
        "analyze",
        "samples/key-replace/plan.json",
        "--format",
        "markdown",
    ]);
    assert!(r.stdout.starts_with(MARKER));
    assert!(r.stdout.contains("### 🔴 keyblast: HIGH risk"));
    assert!(!r.stdout.contains("kb-sample-secret-DO-NOT-PRINT"));
    insta::assert_snapshot!("key-replace.md", r.stdout);
}

#[test]
fn huge_plans_fit_one_comment_and_keep_every_high_title() {
    // 30,000 changes: 300 key deletions (high) with 20 dependents each, the rest tag updates.
    let mut changes = Vec::new();
    for k in 0..300 {
        let id = format!("{k:08x}-0000-4000-8000-{k:012x}");
        changes.push(rc(
            &format!("aws_kms_key.k{k}"),
            &["delete"],
            json!({"key_id": id, "arn": key_arn(&id)}),
            Value::Null,
        ));
        for d in 0..20 {
            let v = json!({"name": format!("/p/{k}/{d}"), "key_id": id, "tags": {}});
            changes.push(rc(
                &format!("aws_ssm_parameter.p{k}_{d}"),
                &["no-op"],
                v.clone(),
                v,
            ));
        }
    }
    for i in 0..29_700 {
        changes.push(rc(
            &format!("aws_s3_bucket.b{i}"),
            &["update"],
            json!({"bucket": format!("b{i}"), "tags": {}}),
            json!({"bucket": format!("b{i}"), "tags": {"a": "b"}}),
        ));
    }
    let path = temp_file(
        "huge-markdown.json",
        plan_doc(changes, None).to_string().as_bytes(),
    );
    let out = markdown(&path);
    assert!(
        out.chars().count() <= MAX_CHARS,
        "{} characters",
        out.chars().count()
    );
    assert!(out.starts_with(MARKER));
    for k in 0..300 {
        assert!(
            out.contains(&format!("`aws_kms_key.k{k}`")),
            "high change k{k} lost its title"
        );
    }
    assert!(
        out.contains("shortened to fit GitHub"),
        "the comment says it was shortened"
    );
}

#[test]
fn hostile_names_cannot_inject_or_ping() {
    let evil = "<script>alert(1)</script><img src=x onerror=alert(1)> | `code` @here @org/team ](javascript:alert(1)) \n# heading";
    let changes = vec![
        rc(
            "aws_kms_key.main",
            &["delete"],
            json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID), "description": evil}),
            Value::Null,
        ),
        rc(
            "aws_s3_bucket.evil",
            &["no-op"],
            json!({"bucket": evil, "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": key_arn(KEY_ID)}]}]}]}),
            json!({"bucket": evil}),
        ),
        rc(
            "aws_ssm_parameter.tagged",
            &["update"],
            json!({"name": evil, "tags": {"t": evil}}),
            json!({"name": evil, "tags": {"t": format!("{evil}2")}}),
        ),
        // an address (a for_each key) that tries to close the <summary>'s <code>
        rc(
            "aws_s3_bucket.b[\"</code></summary><img src=x onerror=alert(2)> @here\"]",
            &["delete"],
            json!({"bucket": "b", "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": key_arn(KEY_ID)}]}]}]}),
            Value::Null,
        ),
    ];
    let path = temp_file(
        "hostile-markdown.json",
        plan_doc(changes, None).to_string().as_bytes(),
    );
    let out = markdown(&path);
    assert!(
        out.contains("alert(1)") && out.contains("alert(2)"),
        "the text is shown"
    );
    // identifiers are code spans (or <code> in the <summary> lines): as GitHub renders it,
    // no element, link or heading of the plan's gets through, and mentions are only ever
    // inside <code>, where GitHub does not ping
    let html = gfm(&out);
    for bad in ["<script", "<img", "<a ", "<h1", "<iframe"] {
        assert!(!html.contains(bad), "{bad:?} reached the comment:\n{html}");
    }
    let mut outside_code = String::new();
    let mut rest = html.as_str();
    // (code spans, <code> in summaries, and the mermaid block's <pre><code class=…>)
    while let Some(i) = rest.find("<code") {
        outside_code.push_str(&rest[..i]);
        rest = &rest[i + rest[i..].find("</code>").expect("closed") + "</code>".len()..];
    }
    outside_code.push_str(rest);
    for bad in ["@here", "@org/team", "onerror"] {
        assert!(
            !outside_code.contains(bad),
            "{bad:?} outside code:\n{outside_code}"
        );
    }
    // the hostile address is escaped inside its <summary>'s <code>, which stays one element
    assert!(
        out.contains("<summary>🔴 high <code>aws_s3_bucket.b[&quot;&lt;/code&gt;&lt;/summary&gt;&lt;img src=x onerror=alert(2)&gt; @here&quot;]</code> delete</summary>"),
        "{out}"
    );
    assert_eq!(
        html.matches("<details>").count(),
        html.matches("</details>").count()
    );
    for line in out
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("|---"))
    {
        let cells = line.matches(" | ").count() - line.matches("\\| ").count();
        assert!(cells <= 4, "a table row was broken: {line}");
    }
}

#[test]
fn sensitive_values_stay_out_of_the_comment() {
    let mut p = rc(
        "aws_ssm_parameter.p",
        &["update"],
        json!({"name": "/p", "value": "kb-md-secret", "key_id": KEY_ID}),
        json!({"name": "/p", "value": "kb-md-secret-2", "key_id": OTHER_ID}),
    );
    p["change"]["before_sensitive"] = json!({"value": true});
    p["change"]["after_sensitive"] = json!({"value": true});
    let path = temp_file(
        "sensitive-markdown.json",
        plan_doc(vec![p], None).to_string().as_bytes(),
    );
    let out = markdown(&path);
    assert!(out.contains("`aws_ssm_parameter.p`"));
    assert!(!out.contains("kb-md-secret"));
}

#[test]
fn graph_exports_are_pinned_and_escaped() {
    let dot = cli(["analyze", "samples/alias/plan.json", "--format", "dot"]);
    assert_eq!(dot.code, 0);
    assert!(dot.stdout.starts_with("digraph keyblast {") && dot.stdout.trim_end().ends_with('}'));
    insta::assert_snapshot!("alias.dot", dot.stdout);
    let mm = cli(["analyze", "samples/alias/plan.json", "--format", "mermaid"]);
    assert!(mm.stdout.starts_with("flowchart RL"));
    insta::assert_snapshot!("alias.mermaid", mm.stdout);
    // hostile labels stay inside their quotes
    let evil = "a\"];\nclick n0 \"javascript:alert(1)\"\\";
    let changes = vec![
        rc(
            "aws_kms_key.main",
            &["delete"],
            json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID)}),
            Value::Null,
        ),
        rc(
            "aws_sqs_queue.q",
            &["no-op"],
            json!({"name": evil, "kms_master_key_id": KEY_ID}),
            json!({"name": evil, "kms_master_key_id": KEY_ID}),
        ),
    ];
    let path = temp_file(
        "hostile-graph.json",
        plan_doc(changes, None).to_string().as_bytes(),
    );
    let m = cli([
        "analyze".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "mermaid".as_ref(),
    ])
    .stdout;
    assert!(!m.contains("\nclick"), "{m}");
    for line in m.lines().filter(|l| l.contains('[')) {
        assert_eq!(
            line.matches('"').count(),
            2,
            "a label escaped its quotes: {line}"
        );
    }
    let d = cli([
        "analyze".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "dot".as_ref(),
    ])
    .stdout;
    assert!(d.contains("a\\\"];\\nclick"), "{d}");
}

/// Markdown as GitHub renders it (GFM: tables, autolinks, strikethrough; raw HTML kept so a
/// test can see any that got through).
fn gfm(md: &str) -> String {
    let mut o = comrak::Options::default();
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.strikethrough = true;
    o.render.r#unsafe = true;
    comrak::markdown_to_html(md, &o)
}

#[test]
fn identifiers_are_code_spans_that_hostile_text_cannot_escape() {
    use keyblast::report::markdown::{code, code_cell};
    // backticks inside: a longer fence, the text kept whole
    let html = gfm(&format!("x {} y", code("a``b`")));
    assert!(html.contains("<code>a``b`</code>"), "{html}");
    // markup, mentions and autolinks mean nothing inside
    let html = gfm(&code("<script>@here www.example.com *x*"));
    assert!(
        !html.contains("<script>") && !html.contains("<a ") && !html.contains("<em>"),
        "{html}"
    );
    assert!(
        html.contains("<code>&lt;script&gt;@here www.example.com *x*</code>"),
        "{html}"
    );
    // a newline cannot end the line (and so the table row or list item)
    assert!(!code("a\nb").contains('\n'));
    // in a table cell a `|` stays in the cell
    let table = format!("| a | b |\n|---|---|\n| {} | z |\n", code_cell("p|q"));
    let html = gfm(&table);
    assert_eq!(html.matches("<td>").count(), 2, "{html}");
    assert!(html.contains("<code>p|q</code>"), "{html}");
    assert_eq!(code(""), "` `");
}

#[test]
fn the_table_shows_short_titles_and_dependents_say_what_they_follow_from() {
    let md = markdown(std::path::Path::new("samples/key-replace/plan.json"));
    let html = gfm(&md);
    let table = &html[..html.find("</table>").expect("a table")];
    let rows: Vec<&str> = table.split("<tr>").skip(2).collect();
    assert!(rows.len() >= 4, "{html}");
    for row in &rows {
        let cell = row.split("<td>").nth(4).unwrap_or("");
        let text = cell.split("</td>").next().unwrap();
        assert_eq!(row.matches("<td>").count(), 5, "{row}");
        assert!(text.chars().count() < 140, "a long top finding: {text}");
        assert!(!text.contains("dependent-replaced-by-key-change"), "{text}");
    }
    assert!(html.contains("key replaced: its old key material is scheduled for deletion"));
    assert!(
        table.contains("<td><code>aws_kms_key.main</code></td>"),
        "addresses are code: {table}"
    );
    // attributes that matter: a replacement lists no attribute it merely drops
    assert!(!md.contains("customer_owned_ip_enabled"), "{md}");
    assert!(html.contains("<td><code>kms_key_id</code></td>"), "{html}");
    // root cause first: within the high changes, the key before what it replaces
    let at = |a: &str| table.find(&format!("<code>{a}</code>")).unwrap();
    assert!(at("aws_kms_key.main") < at("aws_db_instance.db"), "{table}");
    assert!(
        at("aws_kms_key.main") < at("aws_ebs_volume.data"),
        "{table}"
    );
    assert!(
        html.contains("Follows from <code>aws_kms_key.main</code> (replace)."),
        "{html}"
    );
    // identifiers are code everywhere, also in the <summary> lines (raw HTML, where GFM reads
    // no markdown: <code>), the full messages, the blast radius names and the low-risk list;
    // no address is entity-escaped any more
    assert!(
        html.contains("<summary>🔴 high <code>aws_kms_key.main</code> replace</summary>"),
        "{html}"
    );
    assert!(
        !html.contains("<summary>🔴 high `"),
        "no backticks shown in a summary"
    );
    assert!(
        html.contains("KMS key <code>aws_kms_key.main</code> (<code>alias/app</code>, <code>2bd2deb9-3942-4d67-b091-fe31af9a30a7</code>) is replaced"),
        "{html}"
    );
    assert!(
        html.contains("(<code>kms_key_id</code>: <code>arn:aws:kms:us-east-1:123456789012:key/2bd2deb9-3942-4d67-b091-fe31af9a30a7</code> → known after apply: <code>aws_kms_key.main</code>"),
        "{html}"
    );
    assert!(
        html.contains("<code>aws_cloudwatch_log_group.app</code> (<code>/app/service</code>) — via encrypted-by"),
        "{html}"
    );
    assert!(
        html.contains("<li><code>aws_volume_attachment.data</code> replace</li>"),
        "{html}"
    );
    assert!(!md.contains("aws&#95;"), "an entity-escaped address:\n{md}");
    // only keyblast's own HTML: details, summary and the marker
    for tag in ["<script", "<img", "<iframe", "<a "] {
        assert!(!html.contains(tag), "{tag} in {html}");
    }
}

/// The ```mermaid block of a comment.
fn mermaid_block(md: &str) -> &str {
    let start = md.find("```mermaid\n").expect("a diagram") + "```mermaid\n".len();
    &md[start..start + md[start..].find("```").unwrap()]
}

#[test]
fn the_diagram_draws_each_edge_once_and_says_capped_only_when_it_is() {
    let md = markdown(std::path::Path::new("samples/key-replace/plan.json"));
    let block = mermaid_block(&md);
    let edges: Vec<&str> = block
        .lines()
        .filter(|l| l.contains("-->") || l.contains("-.->"))
        .collect();
    let distinct: std::collections::BTreeSet<&str> = edges.iter().copied().collect();
    assert_eq!(edges.len(), distinct.len(), "a repeated edge:\n{block}");
    // aws_volume_attachment.data references the volume: reached from the key and from the
    // volume, drawn once
    let nodes = block.lines().filter(|l| l.contains("[\"")).count();
    assert_eq!(nodes, 13, "{block}");
    assert!(
        !block.contains("capped"),
        "13 nodes are not capped:\n{block}"
    );

    // 40 dependents of one deleted key: 41 nodes, 30 drawn, and the note says so
    let id = "00000000-0000-4000-8000-000000000040";
    let mut changes = vec![rc(
        "aws_kms_key.k",
        &["delete"],
        json!({"key_id": id, "arn": key_arn(id)}),
        Value::Null,
    )];
    for d in 0..40 {
        let v = json!({"name": format!("/p/{d}"), "key_id": id});
        changes.push(rc(
            &format!("aws_ssm_parameter.p{d}"),
            &["no-op"],
            v.clone(),
            v,
        ));
    }
    let path = temp_file(
        "diagram-cap.json",
        plan_doc(changes, None).to_string().as_bytes(),
    );
    let md = markdown(&path);
    let block = mermaid_block(&md);
    assert!(
        block.contains("%% capped at 30 of 41 nodes for readability"),
        "{block}"
    );
    assert_eq!(block.lines().filter(|l| l.contains("[\"")).count(), 30);
    // no edge to a node that was left out
    assert!(!block.contains("n30"), "{block}");
}

#[test]
fn every_title_of_every_sample_stays_under_the_title_cap() {
    use keyblast::risk::TITLE_CAP;
    let mut seen = 0;
    let mut longest = (0, String::new());
    for (name, plans) in crate::samples::SAMPLES {
        let r = crate::samples::json(plans);
        for c in r["changes"].as_array().unwrap() {
            for f in c["findings"].as_array().unwrap() {
                let t = f["title"].as_str().unwrap();
                let n = t.chars().count();
                assert!(
                    n < TITLE_CAP,
                    "{name}: {} {}: a {n}-character title: {t}",
                    c["address"],
                    f["rule"]
                );
                if n > longest.0 {
                    longest = (n, t.to_string());
                }
                seen += 1;
            }
        }
    }
    assert!(seen > 50, "only {seen} titles checked");
    // the cap is meant: the longest title comes near it
    assert!(longest.0 > TITLE_CAP / 2, "{longest:?}");
}

#[test]
fn attributes_that_matter_are_kms_relevant_or_identifying() {
    // key-replace: the instance lists its key attributes, not `credit_specification`
    let md = markdown(std::path::Path::new("samples/key-replace/plan.json"));
    let instance = &md[md
        .find("<code>aws_instance.app</code> replace</summary>")
        .unwrap()..];
    let instance = &instance[..instance.find("</details>").unwrap()];
    assert!(instance.contains("| `root_block_device` |"), "{instance}");
    assert!(!instance.contains("credit_specification"), "{instance}");

    // a parameter that moves to another key, is renamed and retagged: its key and its name,
    // not its tags or description; a key keeps its settings and what else changes
    let changes = vec![
        rc(
            "aws_kms_key.main",
            &["update"],
            json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID), "enable_key_rotation": true, "description": "old"}),
            json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID), "enable_key_rotation": true, "description": "new"}),
        ),
        rc(
            "aws_ssm_parameter.p",
            &["update"],
            json!({"name": "/old", "key_id": KEY_ID, "tags": {"a": "1"}, "description": "x", "tier": "Standard"}),
            json!({"name": "/new", "key_id": OTHER_ID, "tags": {"a": "2"}, "description": "y", "tier": "Advanced"}),
        ),
    ];
    let path = temp_file(
        "attributes-that-matter.json",
        plan_doc(changes, None).to_string().as_bytes(),
    );
    let json: Value = serde_json::from_str(
        &cli([
            "analyze".as_ref(),
            path.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ])
        .stdout,
    )
    .unwrap();
    let names = |address: &str| -> Vec<String> {
        change(&json, address)["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names("aws_ssm_parameter.p"), ["key_id", "name"]);
    let key = names("aws_kms_key.main");
    assert!(
        key.contains(&"enable_key_rotation".to_string())
            && key.contains(&"description".to_string()),
        "{key:?}"
    );
}

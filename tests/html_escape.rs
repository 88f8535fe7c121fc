use crate::common::*;
use crate::html::{data_block, html_of, html_with, lazy_bodies};
use serde_json::{json, Value};

/// Markup that would run script or break out of a context if it reached the page unescaped.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "'><b onmouseover=alert(1)>",
    "</style><script>alert(2)</script>",
    "</title><script>alert(3)</script>",
    "]]><script>alert(4)</script>",
];
const JS_URL: &str = "javascript:alert(1)";

/// Every payload in one string, so any field holding it carries them all.
fn all() -> String {
    format!("{}{JS_URL}", PAYLOADS.concat())
}

/// Payloads in addresses (so in node labels, SVG titles, links' text), bucket names, tag
/// values, descriptions, a principal in a key policy and a grant, an alias name and a plan
/// path.
fn hostile_plan() -> Value {
    let evil = all();
    let role = format!("arn:aws:iam::{ACCOUNT}:role/{evil}");
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": evil, "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "app", "Effect": "Allow", "Principal": {"AWS": role}, "Action": "kms:Decrypt", "Resource": "*"}
    ]})
    .to_string();
    let open = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "root", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "kms:*", "Resource": "*"}
    ]})
    .to_string();
    let key = json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID), "description": evil, "policy": policy,
        "tags": {"owner": evil}});
    let mut key_after = key.clone();
    key_after["policy"] = json!(open);
    key_after["description"] = json!(format!("{evil}-2"));
    let mut named = rc(
        "aws_s3_bucket.x",
        &["update"],
        json!({"bucket": evil, "tags": {"note": "a"}}),
        json!({"bucket": evil, "tags": {"note": evil}}),
    );
    named["address"] = json!(format!("aws_s3_bucket.{evil}"));
    named["name"] = json!(evil);
    plan_doc(
        vec![
            rc("aws_kms_key.main", &["update"], key, key_after),
            rc(
                "aws_kms_alias.a",
                &["delete"],
                json!({"name": format!("alias/{evil}"), "target_key_id": KEY_ID}),
                Value::Null,
            ),
            rc(
                "aws_kms_grant.g",
                &["delete"],
                json!({"key_id": KEY_ID, "grantee_principal": role, "operations": ["Decrypt"], "name": evil}),
                Value::Null,
            ),
            rc(
                "aws_s3_bucket_server_side_encryption_configuration.sse",
                &["no-op"],
                json!({"bucket": evil, "rule": [{"apply_server_side_encryption_by_default": [
                    {"kms_master_key_id": key_arn(KEY_ID), "sse_algorithm": "aws:kms"}]}]}),
                json!({"bucket": evil, "rule": [{"apply_server_side_encryption_by_default": [
                    {"kms_master_key_id": key_arn(KEY_ID), "sse_algorithm": "aws:kms"}]}]}),
            ),
            named,
        ],
        None,
    )
}

/// Tags allowed in the page, and attributes allowed on them.
const TAGS: &[&str] = &[
    "!doctype", "html", "head", "meta", "link", "title", "style", "script", "body", "header",
    "main", "footer", "section", "div", "p", "span", "b", "h1", "h2", "h3", "ul", "ol", "li", "a",
    "code", "fieldset", "legend", "label", "input", "table", "thead", "tbody", "tr", "th", "td",
    "button", "details", "summary", "svg", "defs", "marker", "path", "g", "text", "rect",
    "noscript",
];
const ATTRS: &[&str] = &[
    "lang",
    "charset",
    "http-equiv",
    "content",
    "name",
    "rel",
    "href",
    "class",
    "id",
    "role",
    "type",
    "value",
    "checked",
    "placeholder",
    "autocomplete",
    "xmlns",
    "width",
    "height",
    "viewbox",
    "refx",
    "refy",
    "markerwidth",
    "markerheight",
    "orient",
    "d",
    "marker-end",
    "x",
    "y",
    "text-anchor",
    "rx",
    "tabindex",
    "open",
    "hidden",
];

/// Checks every tag outside the style and script bodies: known tag, known attributes (no
/// event handlers), every value quoted, links only to fragments or `data:`.
fn check_markup(h: &str) {
    let mut rest = h.to_string();
    // Constants of the page: the style that shows collapsed rows without a script, and the
    // data block (checked here: escaped so it cannot end itself; its bodies are checked too).
    rest = rest.replace(
        "<noscript><style>#changes tr[hidden] { display: table-row !important; }</style></noscript>",
        "",
    );
    if let Some(block) = data_block(h) {
        for body in lazy_bodies(h) {
            check_fragment(&body);
        }
        rest = rest.replace(block, "");
    }
    for (open, close) in [("<style>", "</style>"), ("<script>", "</script>")] {
        assert_eq!(rest.matches(open).count(), 1, "exactly one {open}");
        let start = rest.find(open).unwrap() + open.len();
        let end = start + rest[start..].find(close).unwrap();
        rest.replace_range(start..end, "");
    }
    check_fragment(&rest);
}

/// [`check_markup`]'s check of every tag, on markup without style or script bodies.
fn check_fragment(rest: &str) {
    let mut at = 0;
    while let Some(i) = rest[at..].find('<') {
        let s = &rest[at + i + 1..];
        let mut quoted = false;
        let end = s
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '>' && !quoted
            })
            .map(|(j, _)| j)
            .expect("tag closes");
        let tag = &s[..end];
        at += i + 1 + end;
        let body = tag.strip_prefix('/').unwrap_or(tag);
        let name: String = body
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase();
        assert!(TAGS.contains(&name.as_str()), "unexpected tag <{tag}>");
        // attributes: name or name="value"
        let mut a = body[name.len()..].trim_start();
        while !a.is_empty() {
            let n: String = a
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '=')
                .collect();
            a = &a[n.len()..];
            let lower = n.to_lowercase();
            let allowed = ATTRS.contains(&lower.as_str())
                || lower.starts_with("data-")
                || lower.starts_with("aria-")
                || (name == "!doctype" && lower == "html");
            assert!(allowed, "unexpected attribute {n} in <{tag}>");
            if let Some(v) = a.strip_prefix('=') {
                assert!(v.starts_with('"'), "unquoted value of {n} in <{tag}>");
                let close = v[1..].find('"').expect("value closes") + 1;
                let value = &v[1..close];
                assert!(!value.to_lowercase().contains("javascript:"), "<{tag}>");
                if lower == "href" {
                    assert!(
                        value.starts_with('#') || value.starts_with("data:"),
                        "link outside the page: <{tag}>"
                    );
                }
                a = &v[close + 1..];
            }
            a = a.trim_start();
        }
    }
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let h = html_of(&[hostile_plan()]);
    for p in PAYLOADS {
        assert!(!h.contains(p), "{p} appears unescaped");
    }
    for raw in ["<img", "<svg onload", "<b onmouseover", "]]><"] {
        assert!(!h.contains(raw), "{raw} appears unescaped");
    }
    // The payloads did reach the page, escaped: the table, the sections and the SVG.
    let escaped = "&#60;script&#62;alert(1)&#60;/script&#62;";
    assert!(
        h.matches(escaped).count() > 3,
        "payloads are shown, escaped"
    );
    let svg = &h[h.find("<svg").unwrap()..h.find("</svg>").unwrap()];
    assert!(svg.contains("&#60;"), "SVG text holds an escaped payload");
    check_markup(&h);
}

/// The same, on a large page: the details built when opened are as escaped as the rest, and
/// nothing in the data block can end the script element that holds it.
#[test]
fn hostile_text_is_escaped_in_the_data_block() {
    let h = html_with(&[hostile_plan()], 0);
    let bodies = lazy_bodies(&h);
    assert!(
        bodies.len() >= 4,
        "every change's details are in the data block"
    );
    for p in PAYLOADS {
        assert!(!h.contains(p), "{p} appears unescaped");
        assert!(
            bodies.iter().all(|b| !b.contains(p)),
            "{p} in a body unescaped"
        );
    }
    assert_eq!(
        h.matches("</script>").count(),
        2,
        "the data block's and the script's ends only"
    );
    assert!(
        bodies
            .concat()
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "payloads are shown, escaped"
    );
    check_markup(&h);
}

#[test]
fn hostile_plan_path_is_escaped() {
    // A file name can hold markup too (no '/').
    let name = "<img src=x onerror=alert(1)>\"'.json";
    let path = temp_file(name, hostile_plan().to_string().as_bytes());
    let r = cli([
        "analyze".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "html".as_ref(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r
        .stdout
        .contains("&#60;img src=x onerror=alert(1)&#62;&#34;&#39;.json"));
    assert!(!r.stdout.contains("<img"));
    check_markup(&r.stdout);
}

#[test]
fn markup_check_catches_injections() {
    let ok = "<style>x</style><script>y</script>";
    check_markup(&format!("{ok}<a href=\"#c1\">x</a>"));
    for bad in [
        "<img src=\"x\">",
        "<a href=\"#x\" onclick=\"y\">",
        "<a href=x>",
        "<a href=\"https://example.org\">",
    ] {
        let caught = std::panic::catch_unwind(|| check_markup(&format!("{ok}{bad}")));
        assert!(caught.is_err(), "{bad} passes the check");
    }
}

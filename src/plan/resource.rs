//! One resource change of the raw plan → one [`Resource`], values redacted.

use super::deferred;
use super::error::LoadError;
use super::fields::{Mask, ObjectValue};
use super::model::{Mode, Resource, Values};
use super::raw::RawChange;
use super::redact;
use super::sensitive::{SensitiveAttrs, Unredacted};
use serde_json::value::RawValue;
use serde_json::Value;

/// Checks that `mask` fits `value`, then redacts: returns the redacted value and the
/// unredacted top-level attributes that redaction changed. `at` is the JSON path of the
/// object holding the value and mask, `fields` their member names (for errors).
pub(super) fn clean(
    file: &str,
    at: &str,
    fields: (&str, &str),
    rtype: &str,
    value: Option<Value>,
    mask: Option<&Value>,
) -> Result<(Option<Value>, SensitiveAttrs), LoadError> {
    let Some(mut v) = value else {
        return Ok((None, SensitiveAttrs::new()));
    };
    if let Some((inside, what)) = mask.and_then(|m| redact::misfit(&v, m)) {
        let sep = if inside.is_empty() || inside.starts_with('[') {
            ""
        } else {
            "."
        };
        return Err(LoadError::Malformed {
            path: file.into(),
            position: None,
            json_path: format!("{at}.{}{sep}{inside}", fields.1),
            expected: format!(
                "expected a mask that mirrors {}, found one that marks parts inside {}",
                fields.0, what
            ),
        });
    }
    super::shapes::check(file, &format!("{at}.{}", fields.0), rtype, &v)?;
    let attrs = redact::redact_keeping(rtype, &mut v, mask);
    Ok((Some(v), attrs))
}

/// Builds the resource of one change; `at` is its JSON path (`resource_changes[3]`), `text`
/// the plan's text that `rc` borrows from.
///
/// When `before` and `after` are the same text with the same sensitive marks (every `no-op`,
/// most of a large plan), the value is parsed, checked and redacted once and stands for both
/// sides ([`Values::same`]).
pub(super) fn from_change(
    file: &str,
    text: &str,
    at: &str,
    rc: RawChange<'_>,
    deferred: Option<String>,
) -> Result<Resource, LoadError> {
    let body = rc.change.0;
    let change_at = format!("{at}.change");
    let mask = |member: &str, raw| -> Result<Mask, LoadError> {
        deferred::read(file, text, &change_at, member, raw)
    };
    // one side: read, checked against its mask, redacted
    let side = |(value, mask): (&str, &str), raw, marks: Option<&Value>| {
        let read: ObjectValue = deferred::read(file, text, &change_at, value, raw)?;
        clean(file, &change_at, (value, mask), &rc.rtype, read.0, marks)
    };
    fn text_of(raw: Option<&RawValue>) -> Option<&str> {
        raw.map(RawValue::get)
    }
    // equal marks on both sides (nearly always) are read once
    let same_marks = text_of(body.before_sensitive) == text_of(body.after_sensitive);
    let after_marks = mask("after_sensitive", body.after_sensitive)?.0;
    let own_before_marks = (!same_marks)
        .then(|| mask("before_sensitive", body.before_sensitive))
        .transpose()?;
    let before_marks = match &own_before_marks {
        Some(m) => m.0.as_ref(),
        None => after_marks.as_ref(),
    };
    let after_marks = after_marks.as_ref();
    let same =
        same_marks && matches!((body.before, body.after), (Some(b), Some(a)) if b.get() == a.get());
    let (values, unredacted) = if same {
        let (value, attrs) = side(("after", "after_sensitive"), body.after, after_marks)?;
        (Values::same(value), Unredacted::new(attrs.clone(), attrs))
    } else {
        let (before, before_attrs) =
            side(("before", "before_sensitive"), body.before, before_marks)?;
        let (after, after_attrs) = side(("after", "after_sensitive"), body.after, after_marks)?;
        (
            Values::new(before, after),
            Unredacted::new(before_attrs, after_attrs),
        )
    };
    let replace_paths = body
        .replace_paths
        .unwrap_or_default()
        .into_iter()
        .map(|p| p.into_iter().map(|s| s.0).collect())
        .collect();
    Ok(Resource {
        previous_address: rc.previous_address,
        mode: rc.mode.map_or(Mode::Managed, |m| m.0),
        name: rc.name.unwrap_or_default(),
        provider: rc.provider_name,
        deposed: rc.deposed,
        actions: body.actions.0,
        values,
        after_unknown: mask("after_unknown", body.after_unknown)?.0,
        replace_paths,
        action_reason: rc.action_reason,
        importing: body.importing.map(|i| i.0.id.unwrap_or_default()),
        deferred,
        unredacted,
        address: rc.address,
        rtype: rc.rtype,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_mask_that_does_not_fit_its_value_is_an_error() {
        let e = clean(
            "p.json",
            "resource_changes[0].change",
            ("after", "after_sensitive"),
            "aws_kms_key",
            Some(json!({"tags": "secret-looking"})),
            Some(&json!({"tags": {"owner": true}})),
        )
        .unwrap_err();
        let s = e.to_string();
        assert!(
            s.contains("resource_changes[0].change.after_sensitive.tags")
                && !s.contains("secret-looking"),
            "{s}"
        );
        // nothing marked, or nothing there to hide: fine
        for (v, m) in [
            (json!({"tags": "x"}), json!({"tags": {}})),
            (json!({"tags": null}), json!({"tags": {"owner": true}})),
            (json!({"list": ["a"]}), json!({"list": [false, true]})),
        ] {
            assert!(clean(
                "p",
                "x",
                ("after", "after_sensitive"),
                "t",
                Some(v),
                Some(&m)
            )
            .is_ok());
        }
    }

    #[test]
    fn a_no_op_holds_one_value_for_both_sides() {
        let rc = |actions: &str, before: &str, after: &str, masks: (&str, &str)| {
            format!(
                r#"{{"format_version":"1.2","resource_changes":[{{"address":"aws_s3_bucket.b","type":"aws_s3_bucket","name":"b","change":{{"actions":["{actions}"],"before":{before},"after":{after},"before_sensitive":{},"after_sensitive":{}}}}}]}}"#,
                masks.0, masks.1
            )
        };
        let v = r#"{"bucket":"b","tags":{"k":"v"}}"#;
        let plan =
            crate::plan::load_bytes("p", rc("no-op", v, v, ("{}", "{}")).as_bytes()).unwrap();
        let r = &plan.resources[0];
        assert!(r.values.is_same());
        assert_eq!(r.before(), r.after());
        assert_eq!(r.after().unwrap()["tags"]["k"], json!("v"));
        // other marks on one side: two values, each redacted by its own marks
        let marks = (r#"{"tags":{"k":true}}"#, "{}");
        let plan = crate::plan::load_bytes("p", rc("no-op", v, v, marks).as_bytes()).unwrap();
        let r = &plan.resources[0];
        assert!(!r.values.is_same());
        assert_ne!(r.before().unwrap()["tags"]["k"], json!("v"));
        assert_eq!(r.after().unwrap()["tags"]["k"], json!("v"));
        let w = r#"{"bucket":"c"}"#;
        let plan =
            crate::plan::load_bytes("p", rc("update", v, w, ("{}", "{}")).as_bytes()).unwrap();
        assert!(!plan.resources[0].values.is_same());
        assert_eq!(plan.resources[0].after().unwrap()["bucket"], json!("c"));
    }
}

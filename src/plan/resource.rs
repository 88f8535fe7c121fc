//! One resource change of the raw plan → one [`Resource`], values redacted.

use super::error::LoadError;
use super::model::{Mode, Resource};
use super::raw::RawChange;
use super::redact;
use super::sensitive::{SensitiveAttrs, Unredacted};
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

/// Builds the resource of one change; `at` is its JSON path (`resource_changes[3]`).
pub(super) fn from_change(
    file: &str,
    at: &str,
    rc: RawChange,
    deferred: Option<String>,
) -> Result<Resource, LoadError> {
    let body = rc.change.0;
    let change_at = format!("{at}.change");
    let (before, before_attrs) = clean(
        file,
        &change_at,
        ("before", "before_sensitive"),
        &rc.rtype,
        body.before.0,
        body.before_sensitive.0.as_ref(),
    )?;
    let (after, after_attrs) = clean(
        file,
        &change_at,
        ("after", "after_sensitive"),
        &rc.rtype,
        body.after.0,
        body.after_sensitive.0.as_ref(),
    )?;
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
        before,
        after,
        after_unknown: body.after_unknown.0,
        replace_paths,
        action_reason: rc.action_reason,
        importing: body.importing.map(|i| i.0.id.unwrap_or_default()),
        deferred,
        unredacted: Unredacted::new(before_attrs, after_attrs),
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
}

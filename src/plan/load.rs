//! Reading a plan file: bytes → text → typed JSON ([`super::raw`]) → [`Plan`].
//!
//! A plan keyblast cannot fully read is refused (exit 2), never scored: a wrong type in any
//! field the analysis reads, a required field missing (a change's `address`, `type`,
//! `change.actions`), an action or mode keyblast does not know, a member name given twice in
//! a resource's values or masks, or a sensitivity mask that does not fit its value. The
//! error names the file, the JSON path (`resource_changes[3].change.actions`), what was
//! expected and what was found, with line:column where the parser knew them
//! ([`LoadError::Malformed`], [`LoadError::Unsupported`]).
//!
//! Tolerated, on purpose:
//! - Unknown extra fields anywhere: newer Terraform versions add fields.
//! - JSON `null` wherever a field is optional (`"before": null`, `"replace_paths": null`).
//! - Fields keyblast does not read are not checked at all: `planned_values`,
//!   `resource_drift` (terraform-compliance 1.0.0 writes drift entries without `address`),
//!   `output_changes`, `variables`, `checks`, and the parts of `configuration` the graph does
//!   not follow.
//! - A no-op with `before` and `after` both null (tf-summarize's fixture: Terraform 1.1 after
//!   an out-of-band delete).
//! - UTF-8 with or without BOM, and UTF-16 LE/BE with BOM (PowerShell's `>` redirect).
//! - Text wrapped around the JSON by CI wrappers (hashicorp/setup-terraform prints a
//!   `[command]…` line before and `::set-output`/`::debug::` lines after) is stripped, and a
//!   note says so; any other leading text is a JSON error.
//! - A plan without `format_version` but with `resource_changes` is read, with a note; a
//!   `format_version` whose major version is not 0 or 1 is refused (a newer Terraform's
//!   format: Terraform asks readers not to guess at an unknown major version).
//!
//! Refused with a hint: a binary plan (zip), a state file, `terraform show -json` of a state,
//! HCP Terraform's redacted plan format (`plan_format_version`) and JSON with nothing
//! plan-like (`{}`). JSON syntax errors carry line:column.
//! - Nesting: up to [`depth::MAX_DEPTH`] (1,000) levels of arrays and objects (serde_json's
//!   own limit of 128 is too low for plans: real module trees nest deeper). A plan is parsed
//!   with serde_json's limit first; only one that reaches it is scanned ([`parse`]) and read
//!   without it; deeper than 1,000 is an error naming line:column, never a stack overflow.
//!
//! Speed: the file is parsed once, straight into the typed structs (no `serde_json::Value` of
//! the whole plan; skipped fields are never built). Only when that parse fails on a type is
//! the text parsed a second time with `serde_path_to_error`, to name the path.

use super::depth::{self, MAX_DEPTH};
use super::error::LoadError;
use super::fields::{quote, Obj, DOES_NOT_KNOW};
use super::malformed;
use super::model::{Plan, Resource};
use super::raw::RawPlan;
use super::resource;
use crate::hash::HashSet;
use crate::input::{self, Limits};
use serde::de::IgnoredAny;
use std::io::Read;
use std::path::Path;

/// Reads and parses the plan at `path` (`-`: `stdin`, when given), within `limits`.
pub fn load(path: &Path, stdin: Option<&mut dyn Read>, limits: &Limits) -> Result<Plan, LoadError> {
    let bytes = input::read(path, "plan", stdin, limits)?;
    let name = path.display().to_string();
    crate::stack::on_big_stack(|| read_plan(&name, bytes))
}

/// Reads and parses one plan file (no standard input: `-` is a file name here).
pub fn load_file(path: &Path) -> Result<Plan, LoadError> {
    load(path, None, &Limits::default())
}

/// Parses plan bytes; `path` is only used to name the input in errors and reports.
pub fn load_bytes(path: &str, bytes: &[u8]) -> Result<Plan, LoadError> {
    crate::stack::on_big_stack(|| read_plan(path, bytes.to_vec()))
}

/// `bytes` is taken by value: UTF-8 text becomes the `String` it is parsed from in place
/// (a plan is read into memory once, not copied).
fn read_plan(path: &str, bytes: Vec<u8>) -> Result<Plan, LoadError> {
    let mut notes = Vec::new();
    let text = decode(path, bytes, &mut notes)?;
    if text.trim().is_empty() {
        return Err(LoadError::Empty { path: path.into() });
    }
    let raw = parse_json(path, &text, &mut notes)?;
    build(path, &text, raw, notes)
}

fn decode(path: &str, mut bytes: Vec<u8>, notes: &mut Vec<String>) -> Result<String, LoadError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(LoadError::BinaryPlan { path: path.into() });
    }
    let utf16 = |body: &[u8], le: bool| -> Result<String, LoadError> {
        if body.len() % 2 != 0 {
            return Err(LoadError::Encoding {
                path: path.into(),
                detail: "UTF-16 text with an odd number of bytes".into(),
            });
        }
        let units = body.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|e| LoadError::Encoding {
                path: path.into(),
                detail: format!("invalid UTF-16: {e}"),
            })
    };
    if let Some(body) = bytes.strip_prefix(b"\xff\xfe") {
        notes.push("read as UTF-16 (little-endian, with BOM)".into());
        return utf16(body, true);
    }
    if let Some(body) = bytes.strip_prefix(b"\xfe\xff") {
        notes.push("read as UTF-16 (big-endian, with BOM)".into());
        return utf16(body, false);
    }
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| LoadError::Encoding {
        path: path.into(),
        detail: format!(
            "not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

fn json_error(path: &str, e: &serde_json::Error, line_offset: usize) -> LoadError {
    // serde_json appends " at line L column C"; we print position first instead.
    let message = malformed::reword(&malformed::message_of(e));
    LoadError::Json {
        path: path.into(),
        line: e.line() + line_offset,
        column: e.column(),
        message,
    }
}

fn parse_json<'a>(
    path: &str,
    text: &'a str,
    notes: &mut Vec<String>,
) -> Result<RawPlan<'a>, LoadError> {
    let first = text.trim_start().chars().next();
    let array = || LoadError::NotAPlan {
        path: path.into(),
        what: "the file holds a JSON array, a plan is a JSON object".into(),
    };
    let parsed = parse::<RawPlan>(text).map_err(|(line, column)| LoadError::TooDeep {
        path: path.into(),
        line,
        column,
        limit: MAX_DEPTH,
    })?;
    match parsed {
        Ok(_) if first == Some('[') => Err(array()),
        Ok(raw) => Ok(raw),
        Err(e) if first != Some('{') => match unwrap_ci_wrapper(text) {
            Some((line_offset, body)) => {
                checked_depth(path, body, line_offset)?;
                let mut de = serde_json::Deserializer::from_str(body);
                de.disable_recursion_limit();
                let mut stream = de.into_iter::<RawPlan>();
                match stream.next() {
                    Some(Ok(raw)) => {
                        notes.push(format!(
                            "plan JSON found inside CI wrapper output (from line {}); surrounding text ignored",
                            line_offset + 1
                        ));
                        Ok(raw)
                    }
                    Some(Err(inner)) if inner.is_data() => {
                        Err(with_path(path, body, &inner, line_offset))
                    }
                    Some(Err(inner)) => Err(json_error(path, &inner, line_offset)),
                    None => Err(json_error(path, &e, 0)),
                }
            }
            None if first == Some('[') && matches!(parse::<IgnoredAny>(text), Ok(Ok(_))) => {
                Err(array())
            }
            None => Err(json_error(path, &e, 0)),
        },
        Err(e) if e.is_data() => Err(with_path(path, text, &e, 0)),
        Err(e) => Err(json_error(path, &e, 0)),
    }
}

/// Refuses `text` when it nests deeper than [`MAX_DEPTH`] (see [`super::depth`]): checked
/// before every parse, which then runs without serde_json's own (much lower) limit.
fn checked_depth(path: &str, text: &str, line_offset: usize) -> Result<(), LoadError> {
    match depth::too_deep(text, MAX_DEPTH) {
        Some((line, column)) => Err(LoadError::TooDeep {
            path: path.into(),
            line: line + line_offset,
            column,
            limit: MAX_DEPTH,
        }),
        None => Ok(()),
    }
}

/// Parses `text` as `T`. serde_json's recursion limit (128 levels) stays on for the first try:
/// every ordinary plan fits in it, so the depth scan costs nothing there (it was a tenth of a
/// large plan's reading). A text that reaches the limit is scanned, and parsed again without
/// the limit when it nests within [`MAX_DEPTH`]; `Err((line, column))` says where in `text` it
/// goes deeper. Only `text` is scanned, never the whole plan it may be part of: a plan of many
/// values each deeper than 128 levels costs one scan of each, not one of the plan per value.
/// Parts of a plan that serde_json skips or keeps as raw text are walked without recursion,
/// so a limit is only ever reached while building values, and each such value is parsed
/// through here (a deferred value's depth counts from the value itself).
pub(super) fn parse<'a, T: serde::Deserialize<'a>>(
    text: &'a str,
) -> Result<Result<T, serde_json::Error>, (usize, usize)> {
    let once = |limited: bool| -> Result<T, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        if !limited {
            de.disable_recursion_limit();
        }
        let value = T::deserialize(&mut de)?;
        de.end()?;
        Ok(value)
    };
    match once(true) {
        // serde_json's message for its limit (its error code is not public)
        Err(e) if e.to_string().starts_with("recursion limit exceeded") => {
            match depth::too_deep(text, MAX_DEPTH) {
                Some(at) => Err(at),
                None => Ok(once(false)),
            }
        }
        parsed => Ok(parsed),
    }
}

/// Parses `text` again, tracking the JSON path, to say where the type error `e` is.
fn with_path(path: &str, text: &str, e: &serde_json::Error, line_offset: usize) -> LoadError {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    match serde_path_to_error::deserialize::<_, RawPlan>(&mut de) {
        Err(pe) if pe.inner().is_data() => malformed::from_path_error(path, &pe, line_offset),
        // Cannot happen (the same text, the same types); say what the first parse said.
        _ => json_error(path, e, line_offset),
    }
}

/// Finds the JSON object in output such as setup-terraform's wrapper: a first line starting
/// with `[command]` or `::`, then a line starting with `{`. Returns the zero-based line
/// number where the JSON starts and the text from there.
fn unwrap_ci_wrapper(text: &str) -> Option<(usize, &str)> {
    let mut offset = 0usize;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let t = line.trim_start();
        if t.starts_with('{') {
            return (n > 0).then(|| (n, &text[offset..]));
        }
        let wrapper_line = t.is_empty() || t.starts_with("[command]") || t.starts_with("::");
        if !wrapper_line || n > 50 {
            return None;
        }
        offset += line.len();
    }
    None
}

/// The plan format's major version must be one keyblast knows (0 or 1): Terraform changes the
/// major version only for changes a reader cannot ignore, and asks readers to refuse a major
/// version they do not know rather than guess. Minor versions only add, so `1.3` is read.
fn check_format_version(path: &str, v: &str) -> Result<(), LoadError> {
    let major = v.split('.').next().and_then(|m| m.parse::<u64>().ok());
    let err = |what: String| LoadError::Unsupported {
        path: path.into(),
        position: None,
        json_path: "format_version".into(),
        what,
    };
    match major {
        Some(0 | 1) => Ok(()),
        Some(_) => Err(err(format!(
            "{DOES_NOT_KNOW} plan format version: {} (keyblast reads format versions 0.x and 1.x; a plan from a newer Terraform needs a newer keyblast)",
            quote(v)
        ))),
        None => Err(LoadError::Malformed {
            path: path.into(),
            position: None,
            json_path: "format_version".into(),
            expected: format!("expected a version such as \"1.2\", found {}", quote(v)),
        }),
    }
}

/// `text` is what `raw` borrows from (deferred members are read from it here).
fn build(
    path: &str,
    text: &str,
    raw: RawPlan<'_>,
    mut notes: Vec<String>,
) -> Result<Plan, LoadError> {
    let not_a_plan = |what: &str| LoadError::NotAPlan {
        path: path.into(),
        what: what.into(),
    };
    let plan_like = raw.resource_changes.is_some()
        || raw.planned_values.is_some()
        || raw.configuration.is_some()
        || raw.prior_state.is_some();
    if raw.lineage.is_some() || raw.serial.is_some() {
        return Err(not_a_plan(
            "this is a Terraform state file (it has `lineage`/`serial`)",
        ));
    }
    if raw.plan_format_version.is_some() && raw.format_version.is_none() {
        return Err(not_a_plan(
            "this is HCP Terraform's redacted plan format (`plan_format_version`), which keyblast does not read",
        ));
    }
    if raw.values.is_some() && !plan_like {
        return Err(not_a_plan(
            "this is `terraform show -json` of a state, not of a plan",
        ));
    }
    if !plan_like {
        return Err(not_a_plan(if raw.format_version.is_some() {
            "it has no resource_changes, planned_values or configuration"
        } else {
            "it has none of format_version, resource_changes, planned_values or configuration"
        }));
    }
    match raw.format_version.as_deref() {
        None => notes.push("no format_version: read as a recent plan format".into()),
        Some(v) => check_format_version(path, v)?,
    }
    let errored = raw.errored == Some(true);
    if errored {
        notes.push(
            "Terraform reported errors while planning (errored: true): the plan may be incomplete"
                .into(),
        );
    }
    // sized once: a large plan's resources are tens of megabytes, and doubling would leave up
    // to half of that unused at the peak
    let changes = raw.resource_changes.iter().flatten().map(|Obj(rc)| rc);
    let deferred = raw.deferred_changes.iter().flatten();
    let known: HashSet<&str> = changes
        .map(|rc| rc.address.as_str())
        .chain(
            deferred
                .clone()
                .map(|Obj(d)| d.resource_change.0.address.as_str()),
        )
        .collect();
    let size = raw.resource_changes.as_ref().map_or(0, Vec::len)
        + deferred.count()
        + raw
            .prior_state
            .as_ref()
            .map_or(0, |Obj(s)| super::prior::count_new(s, &known));
    drop(known);
    let mut resources: Vec<Resource> = Vec::with_capacity(size);
    for (i, Obj(rc)) in raw.resource_changes.into_iter().flatten().enumerate() {
        let at = format!("resource_changes[{i}]");
        resources.push(resource::from_change(path, text, &at, rc, None)?);
    }
    for (i, Obj(d)) in raw.deferred_changes.into_iter().flatten().enumerate() {
        let reason = d.reason.unwrap_or_else(|| "unknown".into());
        let at = format!("deferred_changes[{i}].resource_change");
        resources.push(resource::from_change(
            path,
            text,
            &at,
            d.resource_change.0,
            Some(reason),
        )?);
    }
    if let Some(Obj(state)) = raw.prior_state {
        super::prior::add_prior_state(path, text, state, &mut resources)?;
    }
    debug_assert_eq!(
        resources.len(),
        size,
        "the resources were counted before they were read"
    );
    Ok(Plan {
        path: path.into(),
        format_version: raw.format_version,
        terraform_version: raw.terraform_version,
        errored,
        notes,
        resources,
        configuration: raw.configuration.map(|c| c.into_value()),
    })
}

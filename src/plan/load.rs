//! Reading a plan file: bytes → text → JSON → [`Plan`].
//!
//! Decisions about real-world oddities (see the `_edge` fixtures):
//! - UTF-8 with or without BOM, and UTF-16 LE/BE with BOM (PowerShell's `>` redirect) are read.
//! - Text wrapped around the JSON by CI wrappers (hashicorp/setup-terraform prints a
//!   `[command]…` line before and `::set-output`/`::debug::` lines after) is stripped, and a
//!   note says so; any other leading text is a JSON error.
//! - A binary plan (zip), a state file, `terraform show -json` of a state, HCP Terraform's
//!   redacted plan format (`plan_format_version`) and JSON with nothing plan-like (`{}`) are
//!   refused with a hint. A plan without `format_version` but with `resource_changes` is read,
//!   with a note.
//! - JSON errors carry line:column; nesting beyond serde_json's limit (128) is an error, not a
//!   crash.

use super::action::Actions;
use super::error::LoadError;
use super::model::{Mode, Plan, Resource};
use super::sensitive;
use serde::Deserialize;
use serde_json::Value;
use std::path::Path;

/// Largest plan file keyblast reads.
pub const MAX_PLAN_BYTES: u64 = 1 << 30;

#[derive(Deserialize, Default)]
struct RawPlan {
    format_version: Option<Value>,
    terraform_version: Option<Value>,
    plan_format_version: Option<serde::de::IgnoredAny>,
    values: Option<serde::de::IgnoredAny>,
    lineage: Option<serde::de::IgnoredAny>,
    serial: Option<serde::de::IgnoredAny>,
    planned_values: Option<serde::de::IgnoredAny>,
    resource_changes: Option<Vec<RawChange>>,
    deferred_changes: Option<Vec<RawDeferred>>,
    prior_state: Option<Value>,
    configuration: Option<Value>,
    errored: Option<Value>,
}

#[derive(Deserialize, Default)]
struct RawChange {
    address: Option<Value>,
    previous_address: Option<Value>,
    mode: Option<Value>,
    #[serde(rename = "type")]
    rtype: Option<Value>,
    name: Option<Value>,
    provider_name: Option<Value>,
    deposed: Option<Value>,
    change: Option<RawBody>,
    action_reason: Option<Value>,
}

#[derive(Deserialize, Default)]
struct RawBody {
    actions: Option<Value>,
    before: Option<Value>,
    after: Option<Value>,
    after_unknown: Option<Value>,
    before_sensitive: Option<Value>,
    after_sensitive: Option<Value>,
    replace_paths: Option<Value>,
    importing: Option<Value>,
}

#[derive(Deserialize)]
struct RawDeferred {
    reason: Option<Value>,
    resource_change: Option<RawChange>,
}

fn string(v: Option<Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads and parses one plan file.
pub fn load_file(path: &Path) -> Result<Plan, LoadError> {
    let display = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| LoadError::Io {
        path: display.clone(),
        source,
    })?;
    if meta.len() > MAX_PLAN_BYTES {
        return Err(LoadError::TooLarge {
            path: display,
            limit: MAX_PLAN_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: display.clone(),
        source,
    })?;
    load_bytes(&display, &bytes)
}

/// Parses plan bytes; `path` is only used to name the input in errors and reports.
pub fn load_bytes(path: &str, bytes: &[u8]) -> Result<Plan, LoadError> {
    let mut notes = Vec::new();
    let text = decode(path, bytes, &mut notes)?;
    if text.trim().is_empty() {
        return Err(LoadError::Empty { path: path.into() });
    }
    let raw = parse_json(path, &text, &mut notes)?;
    drop(text);
    build(path, raw, notes)
}

fn decode(path: &str, bytes: &[u8], notes: &mut Vec<String>) -> Result<String, LoadError> {
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
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    String::from_utf8(body.to_vec()).map_err(|e| LoadError::Encoding {
        path: path.into(),
        detail: format!(
            "not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

fn json_error(path: &str, e: &serde_json::Error, line_offset: usize) -> LoadError {
    let full = e.to_string();
    // serde_json appends " at line L column C"; we print position first instead.
    let message = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(m, _)| m)
        .to_string();
    LoadError::Json {
        path: path.into(),
        line: e.line() + line_offset,
        column: e.column(),
        message,
    }
}

fn parse_json(path: &str, text: &str, notes: &mut Vec<String>) -> Result<RawPlan, LoadError> {
    let first = text.trim_start().chars().next();
    let array = || LoadError::NotAPlan {
        path: path.into(),
        what: "the file holds a JSON array, a plan is a JSON object".into(),
    };
    match serde_json::from_str::<RawPlan>(text) {
        Ok(_) if first == Some('[') => Err(array()),
        Ok(raw) => Ok(raw),
        Err(e) if first != Some('{') => match unwrap_ci_wrapper(text) {
            Some((line_offset, body)) => {
                let mut stream = serde_json::Deserializer::from_str(body).into_iter::<RawPlan>();
                match stream.next() {
                    Some(Ok(raw)) => {
                        notes.push(format!(
                            "plan JSON found inside CI wrapper output (from line {}); surrounding text ignored",
                            line_offset + 1
                        ));
                        Ok(raw)
                    }
                    Some(Err(inner)) => Err(json_error(path, &inner, line_offset)),
                    None => Err(json_error(path, &e, 0)),
                }
            }
            None if first == Some('[')
                && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() =>
            {
                Err(array())
            }
            None => Err(json_error(path, &e, 0)),
        },
        Err(e) if e.is_data() => Err(LoadError::NotAPlan {
            path: path.into(),
            what: format!("unexpected shape: {}", e.to_string().replace('`', "'")),
        }),
        Err(e) => Err(json_error(path, &e, 0)),
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

fn build(path: &str, raw: RawPlan, mut notes: Vec<String>) -> Result<Plan, LoadError> {
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
    let format_version = string(raw.format_version);
    if format_version.is_none() {
        notes.push("no format_version: read as a recent plan format".into());
    }
    let errored = matches!(raw.errored, Some(Value::Bool(true)));
    if errored {
        notes.push(
            "Terraform reported errors while planning (errored: true): the plan may be incomplete"
                .into(),
        );
    }
    let mut resources: Vec<Resource> = Vec::new();
    for rc in raw.resource_changes.unwrap_or_default() {
        resources.extend(resource_from_change(rc, None));
    }
    for d in raw.deferred_changes.unwrap_or_default() {
        let reason = string(d.reason).unwrap_or_else(|| "unknown".into());
        if let Some(rc) = d.resource_change {
            resources.extend(resource_from_change(rc, Some(reason)));
        }
    }
    if let Some(state) = raw.prior_state {
        super::prior::add_prior_state(state, &mut resources);
    }
    Ok(Plan {
        path: path.into(),
        format_version,
        terraform_version: string(raw.terraform_version),
        errored,
        notes,
        resources,
        configuration: raw.configuration,
    })
}

pub(super) fn mode_of(v: Option<Value>) -> Mode {
    match v.as_ref().and_then(Value::as_str) {
        Some("data") => Mode::Data,
        _ => Mode::Managed,
    }
}

fn resource_from_change(rc: RawChange, deferred: Option<String>) -> Option<Resource> {
    let address = string(rc.address)?;
    let rtype = string(rc.rtype).unwrap_or_default();
    let body = rc.change.unwrap_or_default();
    let actions = match body.actions {
        Some(Value::Array(items)) => Actions::from_strs(items.iter().filter_map(Value::as_str)),
        Some(Value::String(s)) => Actions::from_strs([s.as_str()]),
        _ => Actions::default(),
    };
    let clean = |v: Option<Value>, mask: Option<&Value>| -> Option<Value> {
        let mut v = v.filter(|v| !v.is_null())?;
        sensitive::redact(&rtype, &mut v, mask);
        Some(v)
    };
    let before = clean(body.before, body.before_sensitive.as_ref());
    let after = clean(body.after, body.after_sensitive.as_ref());
    let replace_paths = match body.replace_paths {
        Some(Value::Array(paths)) => paths
            .into_iter()
            .filter_map(|p| match p {
                Value::Array(steps) => Some(steps),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let importing = body
        .importing
        .map(|i| match i.get("id").and_then(Value::as_str) {
            Some(id) => id.to_string(),
            None => String::new(),
        });
    Some(Resource {
        previous_address: string(rc.previous_address),
        mode: mode_of(rc.mode),
        name: string(rc.name).unwrap_or_default(),
        provider: string(rc.provider_name),
        deposed: string(rc.deposed),
        actions,
        before,
        after,
        after_unknown: body.after_unknown,
        replace_paths,
        action_reason: string(rc.action_reason),
        importing,
        deferred,
        address,
        rtype,
    })
}

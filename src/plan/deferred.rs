//! Members of a plan kept as raw JSON (borrowed from the plan's text) while the plan is
//! parsed, and read only when needed: the prior state's values (most of them are never read,
//! see [`super::prior`]) and the `before`/`after` of a resource change, which are compared as
//! text first, so a `no-op`'s value (the same on both sides) is built once (see
//! [`super::resource`]). Errors name the member's JSON path and its line:column in the plan.

use super::error::LoadError;
use serde::Deserialize;
use serde_json::value::RawValue;

/// Reads the deferred member `member` of the object at `at`; errors name
/// its JSON path and its line:column in the plan's `text`.
pub(super) fn read<T: for<'de> Deserialize<'de> + Default>(
    file: &str,
    text: &str,
    at: &str,
    member: &str,
    raw: Option<&RawValue>,
) -> Result<T, LoadError> {
    let Some(raw) = raw else {
        return Ok(T::default());
    };
    let inner = raw.get();
    // A position inside `inner` as one in `text` (which `inner` borrows from); computed only
    // for an error: it counts the lines before the value.
    let in_text = |(l, c): (usize, usize)| {
        let start = (inner.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        let before = &text[..start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        if l <= 1 {
            (line, col + c.saturating_sub(1))
        } else {
            (line + l - 1, c)
        }
    };
    let parsed = super::load::parse::<T>(inner).map_err(|at| {
        let (line, column) = in_text(at);
        LoadError::TooDeep {
            path: file.into(),
            line,
            column,
            limit: super::depth::MAX_DEPTH,
        }
    })?;
    parsed.map_err(|e| {
        let position = in_text((e.line(), e.column()));
        // parsed again, tracking the path inside the value, to say where
        let mut de = serde_json::Deserializer::from_str(inner);
        de.disable_recursion_limit();
        let value_path = format!("{at}.{member}");
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Err(pe) => super::malformed::from_value_error(file, &value_path, &pe, Some(position)),
            // cannot happen (the same text, the same type): say what the first parse said
            Ok(_) => LoadError::Malformed {
                path: file.into(),
                position: Some(position),
                json_path: value_path,
                expected: super::malformed::reword(&super::malformed::message_of(&e)),
            },
        }
    })
}

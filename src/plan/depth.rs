//! How deep a plan's JSON nests, checked before it is parsed without serde_json's limit.
//!
//! serde_json refuses nesting beyond 128 levels ("recursion limit exceeded"). Terraform nests
//! its `configuration` about three levels per module (`module_calls` → call → `module`) and
//! `planned_values`/`prior_state` two per module, so a real module tree 40 modules deep hit
//! that limit. keyblast parses with serde_json's limit first (every ordinary plan fits, and
//! pays nothing for this check); a plan that reaches it is read again without the limit, under
//! keyblast's own, much larger one, [`MAX_DEPTH`] (1,000 levels: more than 300 nested
//! modules), enforced by this scan of the whole text: one pass over the bytes, no recursion,
//! so hostile depth (100,000 nested arrays) is an error naming line and column, never a stack
//! overflow (see `load::parse`). The analysis below the parser walks values recursively too;
//! 1,000 levels fit a 2 MiB thread stack in a debug build (tested).
//!
//! The scan follows JSON's own rules for strings (a `"` inside a string is escaped), so on
//! the text it checks it sees exactly the nesting serde_json will see, up to the first syntax
//! error (where serde_json stops anyway). It must be run on the text handed to the parser
//! (or the whole plan that text is part of).

/// Deepest nesting of arrays and objects read in a plan.
pub const MAX_DEPTH: usize = 1000;

/// Where the nesting first goes deeper than `max`: 1-based line and column (in bytes).
/// Strings are skipped with `memchr` (most of a plan's bytes are inside strings); the line
/// and column are counted only when there is something to report.
pub fn too_deep(text: &str, max: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                // to the closing quote, over escapes
                i += 1;
                loop {
                    match memchr::memchr2(b'"', b'\\', &bytes[i..]) {
                        None => return None,
                        Some(n) if bytes[i + n] == b'\\' => i += n + 2,
                        Some(n) => {
                            i += n;
                            break;
                        }
                    }
                    if i >= bytes.len() {
                        return None;
                    }
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    let line_start = bytes[..i]
                        .iter()
                        .rposition(|&b| b == b'\n')
                        .map_or(0, |p| p + 1);
                    let line = 1 + memchr::memchr_iter(b'\n', &bytes[..i]).count();
                    return Some((line, i - line_start + 1));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_nesting_outside_strings_only() {
        assert_eq!(too_deep("[[[]]]", 3), None);
        assert_eq!(too_deep("[[[[]]]]", 3), Some((1, 4)));
        assert_eq!(too_deep("{\"a\":\n [{\"b\": [1]}]}", 3), Some((2, 9)));
        let in_string = format!("[\"{}\"]", "[".repeat(10));
        assert_eq!(too_deep(&in_string, 1), None);
        let escaped_quote = format!("[\"\\\"{}\"]", "[".repeat(10));
        assert_eq!(too_deep(&escaped_quote, 1), None);
        let escaped_backslash = format!("[\"\\\\\"{}]", "[".repeat(10));
        assert_eq!(too_deep(&escaped_backslash, 3), Some((1, 8)));
        // an unterminated string or a trailing escape ends the scan (the parser reports it)
        assert_eq!(too_deep("[\"[[[[", 1), None);
        assert_eq!(too_deep("[\"\\", 1), None);
        assert_eq!(too_deep("[\"a\\\"\"[[", 2), Some((1, 8)));
        // siblings do not add up
        assert_eq!(too_deep(&"[[]]".repeat(1000), 2), None);
    }

    #[test]
    fn hostile_depth_is_found_without_recursion() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert_eq!(too_deep(&deep, MAX_DEPTH), Some((1, MAX_DEPTH + 1)));
    }
}

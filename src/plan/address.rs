//! Terraform resource addresses: split them without being fooled by `for_each` keys.
//!
//! An instance address looks like `module.db["eu.west"].module.kms[0].aws_kms_key.main["a.b"]`.
//! Instance keys may hold dots, brackets and escaped quotes, so we split on `.` only outside
//! brackets and strings. The configuration block of the plan speaks of *configuration*
//! addresses (no instance keys, module paths relative to the module), so we also derive the
//! `module.db.module.kms` style path used to join instances to their configuration.

/// One dot-separated part of an address, with its instance key (if any) kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    pub name: &'a str,
    /// The bracketed key including brackets, e.g. `["a.b"]` or `[0]`.
    pub key: Option<&'a str>,
}

/// Splits an address into segments. Never fails: malformed input yields best-effort segments.
pub fn segments(address: &str) -> Vec<Segment<'_>> {
    let bytes = address.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    let mut key_start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_str {
            if escaped {
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
            } else if c == b'"' {
                in_str = false;
            }
        } else {
            match c {
                b'"' => in_str = true,
                b'[' => {
                    if depth == 0 && key_start.is_none() {
                        key_start = Some(i);
                    }
                    depth += 1;
                }
                b']' => depth = depth.saturating_sub(1),
                b'.' if depth == 0 => {
                    out.push(make_segment(address, start, i, key_start));
                    start = i + 1;
                    key_start = None;
                }
                _ => {}
            }
        }
        i += 1;
    }
    out.push(make_segment(address, start, address.len(), key_start));
    out
}

fn make_segment(address: &str, start: usize, end: usize, key_start: Option<usize>) -> Segment<'_> {
    match key_start {
        Some(k) if k >= start && k < end => Segment {
            name: &address[start..k],
            key: Some(&address[k..end]),
        },
        _ => Segment {
            name: &address[start..end],
            key: None,
        },
    }
}

/// The parts of a resource instance address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceAddress<'a> {
    /// Module instance path, e.g. `module.db["x"]` (empty for the root module).
    pub module_instance: &'a str,
    /// Module configuration path without keys, e.g. `module.db` (empty for root).
    pub module_config: String,
    /// `aws_kms_key.main` or `data.aws_iam_policy_document.x`, without the instance key.
    pub resource: String,
    /// Instance key of the resource, e.g. `[0]`.
    pub key: Option<&'a str>,
}

/// Parses an instance address. Returns `None` for strings with fewer than two parts.
pub fn parse(address: &str) -> Option<ResourceAddress<'_>> {
    let segs = segments(address);
    let mut i = 0;
    let mut module_config = String::new();
    let mut module_end = 0usize;
    while i + 1 < segs.len() && segs[i].name == "module" {
        let m = &segs[i + 1];
        if !module_config.is_empty() {
            module_config.push('.');
        }
        module_config.push_str("module.");
        module_config.push_str(m.name);
        // byte offset of the end of this module segment within `address`
        let seg_end = offset_of(address, m.name) + m.name.len() + m.key.map_or(0, str::len);
        module_end = seg_end;
        i += 2;
    }
    let rest = &segs[i..];
    let (resource, key) = match rest {
        [data, ty, name] if data.name == "data" => {
            (format!("data.{}.{}", ty.name, name.name), name.key)
        }
        [ty, name] => (format!("{}.{}", ty.name, name.name), name.key),
        _ => return None,
    };
    Some(ResourceAddress {
        module_instance: &address[..module_end],
        module_config,
        resource,
        key,
    })
}

/// Byte offset of `part` (a subslice of `whole`) within `whole`.
fn offset_of(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

/// The configuration address of an instance: module path and resource without instance keys.
/// `module.a["x"].aws_s3_bucket.b[0]` → `module.a.aws_s3_bucket.b`.
pub fn config_address(address: &str) -> String {
    match parse(address) {
        Some(p) if p.module_config.is_empty() => p.resource,
        Some(p) => format!("{}.{}", p.module_config, p.resource),
        None => address.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_keys_with_dots_and_brackets() {
        let s = segments(r#"module.a["x.y]"].aws_s3_bucket.b["q\"]."]"#);
        let names: Vec<_> = s.iter().map(|s| s.name).collect();
        assert_eq!(names, ["module", "a", "aws_s3_bucket", "b"]);
        assert_eq!(s[1].key, Some(r#"["x.y]"]"#));
        assert_eq!(s[3].key, Some(r#"["q\"]."]"#));
    }

    #[test]
    fn parses_module_and_data_addresses() {
        let p = parse(r#"module.db["eu"].module.kms[0].data.aws_iam_policy_document.p"#).unwrap();
        assert_eq!(p.module_instance, r#"module.db["eu"].module.kms[0]"#);
        assert_eq!(p.module_config, "module.db.module.kms");
        assert_eq!(p.resource, "data.aws_iam_policy_document.p");
        assert_eq!(p.key, None);
        let r = parse("aws_kms_key.k[3]").unwrap();
        assert_eq!(
            (r.module_instance, r.resource.as_str(), r.key),
            ("", "aws_kms_key.k", Some("[3]"))
        );
        assert!(parse("nonsense").is_none());
    }

    #[test]
    fn config_address_strips_keys() {
        assert_eq!(
            config_address(r#"module.a["x"].module.b[1].aws_s3_bucket.c["k"]"#),
            "module.a.module.b.aws_s3_bucket.c"
        );
        assert_eq!(config_address("aws_kms_key.k"), "aws_kms_key.k");
    }
}

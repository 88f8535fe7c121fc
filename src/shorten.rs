//! Shortening long text with a marker that says so: `aws_s3_bucket.aaa…(99,820 chars)…aaa`.
//! Used wherever plan text of any length is shown to people: identifiers in findings'
//! messages ([`crate::risk::Text`]) and everything the human report formats show
//! ([`crate::report::visible`]).

use std::borrow::Cow;

/// `1234567` → `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `s` within about `max` characters: when longer, its first and last parts with
/// `…(N chars)…` between them, N the characters left out. Borrowed when it fits.
pub fn shorten(s: &str, max: usize) -> Cow<'_, str> {
    // cheap for the common case: a string of at most `max` bytes has at most `max` chars
    if s.len() <= max {
        return Cow::Borrowed(s);
    }
    let n = s.chars().count();
    if n <= max {
        return Cow::Borrowed(s);
    }
    // the marker takes some of the budget; what remains is split between head and tail
    let marker_len = format!("…({} chars)…", thousands(n)).chars().count();
    let keep = max.saturating_sub(marker_len).max(2);
    let head = keep.div_ceil(2);
    let tail = keep - head;
    let left_out = n - head - tail;
    let mut out = String::with_capacity(max * 4);
    out.extend(s.chars().take(head));
    out.push_str(&format!("…({} chars)…", thousands(left_out)));
    out.extend(s.chars().skip(n - tail));
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_keep_head_and_tail() {
        assert_eq!(shorten("short", 10), "short");
        let long = format!("aws_s3_bucket.{}end", "a".repeat(100_000));
        let s = shorten(&long, 200);
        assert!(s.chars().count() <= 200, "{}", s.chars().count());
        assert!(
            s.starts_with("aws_s3_bucket.aaa") && s.ends_with("aaaend"),
            "{s}"
        );
        // the marker counts exactly what was left out
        let (at, end) = (s.find("…(").unwrap(), s.find(" chars)…").unwrap());
        let cut: usize = s[at + "…(".len()..end].replace(',', "").parse().unwrap();
        let marker = format!("…({} chars)…", thousands(cut));
        assert_eq!(cut + s.chars().count() - marker.chars().count(), 100_017);
        // characters, not bytes
        let wide = "é".repeat(300);
        assert_eq!(shorten(&wide, 300), wide);
        assert!(shorten(&"é".repeat(301), 300).chars().count() <= 300);
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(12), "12");
    }
}

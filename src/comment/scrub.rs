//! Making server text fit for a message: every form of the token removed, control and bidi
//! characters escaped, the length capped.
//!
//! A server can echo what it was sent: the token itself, or the `Authorization: Basic` value,
//! which is `base64(user:token)` (Bitbucket with `BITBUCKET_USERNAME`) or `base64(:token)` (an
//! Azure DevOps personal access token). [`forms`] lists every such form of a token, and
//! [`scrub`] removes each of them.

/// Longest server text quoted in a message.
pub const MAX_DETAIL: usize = 300;

/// RFC 4648 base64 of `bytes`, with padding; `url` for the URL-safe alphabet.
pub fn base64(bytes: &[u8], url: bool) -> String {
    let alphabet: &[u8; 64] = if url {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    } else {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    };
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Every form in which `token` (sent alone, or as HTTP Basic with `user`) could come back in
/// a server's text: the token, and the base64 of `token`, `:token` and `user:token`, in both
/// alphabets, with and without their padding. Longest first, so a longer form is removed
/// before a shorter one inside it.
pub fn forms(token: &str, user: Option<&str>) -> Vec<String> {
    if token.is_empty() {
        return Vec::new();
    }
    let mut plain = vec![token.to_string(), format!(":{token}")];
    if let Some(u) = user {
        plain.push(format!("{u}:{token}"));
    }
    let mut out = vec![token.to_string()];
    for p in &plain {
        for url in [false, true] {
            let coded = base64(p.as_bytes(), url);
            out.push(coded.trim_end_matches('=').to_string());
            out.push(coded);
        }
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.len()));
    out.dedup();
    out
}

/// `text` with every one of `secrets` replaced by `***`, newlines and tabs as spaces, control
/// and bidi characters escaped, at most [`MAX_DETAIL`] characters.
pub fn scrub(text: &str, secrets: &[String]) -> String {
    let mut t = text.to_string();
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        t = t.replace(s.as_str(), "***");
    }
    let mut out = String::new();
    for (n, c) in t.chars().enumerate() {
        if n >= MAX_DETAIL {
            out.push('…');
            break;
        }
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                out.push_str(&c.escape_unicode().to_string())
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_of_rfc4648_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes(), false), coded);
        }
        assert_eq!(base64(&[0xfb, 0xff], false), "+/8=");
        assert_eq!(base64(&[0xfb, 0xff], true), "-_8=");
    }

    #[test]
    fn scrub_removes_the_token_and_controls() {
        let forms = forms("ghp_abc", None);
        let t = scrub("bad ghp_abc\u{1b}[2J\nnext\u{202e}", &forms);
        assert_eq!(t, "bad ***\\u{1b}[2J next\\u{202e}");
        assert_eq!(
            scrub(&"x".repeat(1000), &[]).chars().count(),
            MAX_DETAIL + 1
        );
    }

    #[test]
    fn scrub_removes_the_basic_auth_forms() {
        let token = "tok_SECRET_7f3a9c";
        let f = forms(token, Some("ci-bot@example.com"));
        let basic = base64(format!("ci-bot@example.com:{token}").as_bytes(), false);
        let pat = base64(format!(":{token}").as_bytes(), false);
        let text = format!("echo: Basic {basic} and Basic {pat} and {token}");
        let s = scrub(&text, &f);
        assert_eq!(s, "echo: Basic *** and Basic *** and ***");
        // padded or not, standard or URL-safe
        let url = base64(format!(":{token}").as_bytes(), true);
        assert!(!scrub(&url, &f).contains(url.trim_end_matches('=')));
        assert!(forms("", Some("u")).is_empty());
    }
}

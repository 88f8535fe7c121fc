//! The PR comment as GitHub shows it: comrak's GFM rendering (autolink, tables,
//! strikethrough, footnotes, task lists, math and alerts on, raw HTML kept: stricter than
//! GitHub's tagfilter), then what GitHub's own filters would make of
//! the rendered text (mentions, issue and commit references, emoji codes: they run on the text
//! outside `<code>`, `<pre>` and `<a>`, after character references are decoded). [`hazards`]
//! lists everything in a comment that keyblast did not put there itself.

/// Elements keyblast's comment is made of (the markdown it writes, and its raw
/// `<details><summary><code>` and `<sub>`); anything else came from a plan.
const ELEMENTS: &[&str] = &[
    "p",
    "h3",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "ul",
    "li",
    "strong",
    "em",
    "code",
    "pre",
    "details",
    "summary",
    "blockquote",
    "sub",
];

/// The only attributes in the comment: the Mermaid block's language.
const ATTRIBUTES: &[&str] = &[
    "<pre lang=\"mermaid\">",
    "<code class=\"language-mermaid\">",
];

pub fn gfm(md: &str) -> String {
    let mut o = comrak::Options::default();
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.strikethrough = true;
    // what else GitHub reads: footnotes, task lists, math, alerts
    o.extension.footnotes = true;
    o.extension.tasklist = true;
    o.extension.math_dollars = true;
    o.extension.alerts = true;
    // stricter than GitHub: autolinks matched liberally, and every raw HTML tag kept (comrak
    // has no tagfilter; keeping all of it is stricter, any tag from a plan shows)
    o.parse.relaxed_autolinks = true;
    o.render.r#unsafe = true;
    comrak::markdown_to_html(md, &o)
}

/// `&lt;` → `<`, `&#64;` → `@`: the text as the browser (and GitHub's filters) read it.
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|e| *e < 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// What GitHub's filters would link, mention or reference in one text node, and what hides.
fn text_hazards(text: &str, out: &mut Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    let lower: String = text.to_lowercase();
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() || *c == '_');
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1);
        let prev = i.checked_sub(1).and_then(|j| chars.get(j));
        match c {
            '@' if next.is_some_and(|n| n.is_ascii_alphanumeric()) => {
                out.push(format!("a mention or e-mail: {}", around(&chars, i)))
            }
            '#' if next.is_some_and(|n| n.is_ascii_digit()) => {
                out.push(format!("an issue reference: {}", around(&chars, i)))
            }
            '-' if next.is_some_and(|n| n.is_ascii_digit()) && word(prev) => {
                out.push(format!("a GH-N or custom reference: {}", around(&chars, i)))
            }
            ':' if next.is_some_and(|n| *n == '/') => {
                out.push(format!("a URL scheme: {}", around(&chars, i)))
            }
            c if is_hidden(c) && c != '\u{2060}' => out.push(format!(
                "an invisible U+{:04X}: {}",
                c as u32,
                around(&chars, i)
            )),
            _ => {}
        }
    }
    // `www.x`, `mailto:a`, `xmpp:a` autolink
    for pattern in ["www.", "mailto:", "xmpp:"] {
        for (at, _) in lower.match_indices(pattern) {
            let after = lower[at + pattern.len()..].chars().next();
            if after.is_some_and(|c| c.is_alphanumeric()) {
                out.push(format!("an autolink {pattern:?}: {text}"));
            }
        }
    }
    // a commit SHA: 7 to 40 hex digits standing alone
    let mut run = 0;
    for (i, c) in chars.iter().chain([&' ']).enumerate() {
        if c.is_ascii_hexdigit() {
            run += 1;
            continue;
        }
        let before = (i - run).checked_sub(1).and_then(|j| chars.get(j));
        if run >= 7 && !word(before) && !(c.is_alphanumeric() || *c == '_') {
            out.push(format!("a commit SHA: {}", around(&chars, i - 1)));
        }
        run = 0;
    }
    // an emoji code (`:shipit:` is an image)
    for part in text.split(':').skip(1).collect::<Vec<_>>().windows(2) {
        let name = part[0];
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_+-".contains(c))
        {
            out.push(format!("an emoji code :{name}:"));
        }
    }
}

/// Characters that draw nothing or reorder text (keyblast writes them out as `\u{…}`).
fn is_hidden(c: char) -> bool {
    keyblast::report::visible::is_invisible(c)
}

fn around(chars: &[char], i: usize) -> String {
    let from = i.saturating_sub(20);
    let to = (i + 20).min(chars.len());
    chars[from..to].iter().collect()
}

/// Everything in `md`, as GitHub shows it, that keyblast did not put there: an element or
/// attribute it does not write (a link, an image, a script), a mention, an issue or commit
/// reference, an autolink or emoji code in the text outside code, or an invisible character
/// anywhere (in code too).
pub fn hazards(md: &str) -> Vec<String> {
    let html = gfm(md);
    let mut out = Vec::new();
    // keyblast's marker is the only comment
    let mut html = html.as_str().to_string();
    while let Some(i) = html.find("<!--") {
        let end = html[i..].find("-->").map_or(html.len(), |e| i + e + 3);
        html.replace_range(i..end, "");
    }
    let mut rest = html.as_str();
    let mut code = 0usize;
    loop {
        let (text, tag) = match rest.find('<') {
            Some(i) => (&rest[..i], Some(i)),
            None => (rest, None),
        };
        let text = decode(text);
        if code == 0 {
            text_hazards(&text, &mut out);
        } else if let Some(c) = text.chars().find(|c| is_hidden(*c)) {
            out.push(format!("an invisible U+{:04X} in code: {text}", c as u32));
        }
        let Some(i) = tag else { break };
        let end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        let t = &rest[i..end];
        let closing = t.starts_with("</");
        let name: String = t[if closing { 2 } else { 1 }..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        let plain = t == format!("<{name}>") || t == format!("</{name}>");
        if !ELEMENTS.contains(&name.as_str()) || !(plain || ATTRIBUTES.contains(&t)) {
            out.push(format!("an element keyblast does not write: {t}"));
        }
        if name == "code" || name == "pre" || name == "a" {
            if closing {
                code = code.saturating_sub(1);
            } else {
                code += 1;
            }
        }
        rest = &rest[end..];
    }
    out
}

#[test]
fn the_checker_finds_what_github_would_link() {
    for bad in [
        "www.example.com",
        "see https://x.test",
        "a@b.co",
        "@here",
        "fixes #123",
        "GH-5",
        "org/repo#7",
        "org/repo@1234567",
        "commit deadbeef1",
        "<img src=x>",
        "[x](https://x)",
        "![x](y)",
        ":shipit:",
        "a\u{202e}b",
        "~~gone~~",
        "`a\u{200b}b`",
    ] {
        assert!(!hazards(bad).is_empty(), "{bad:?} passed the checker");
    }
    for fine in [
        "plain words, 30-day window, key: value",
        "`www.example.com @here #1 deadbeef1`",
        "<details><summary><code>@here</code></summary>\n\nx\n</details>",
    ] {
        assert!(hazards(fine).is_empty(), "{fine:?}: {:?}", hazards(fine));
    }
}

//! What each fuzz target checks, as plain functions of the input bytes: they panic on a
//! violation. The cargo-fuzz targets (`fuzz/fuzz_targets/`) call them on nightly, and the main
//! test suite replays the checked-in corpus and every regression through them on stable
//! (`tests/fuzz_replay.rs`; this file is included there as a module, so it uses only
//! `keyblast`, `comrak` and `crate::github`).

use crate::github::{gfm, hazards};
use keyblast::analyze::{analyze, Options};
use keyblast::report::markdown::{code, code_cell, html_code, md, mermaid, MAX_CHARS};
use keyblast::report::visible::{human, is_invisible};
use keyblast::report::{graph_export, html, json, markdown, text, Report};

/// Every format of a report: `(format, output)`, JSON first (the tests use it too).
pub fn render_all(r: &Report) -> Vec<(&'static str, String)> {
    type Render = fn(&Report, &mut dyn std::io::Write) -> std::io::Result<()>;
    let formats: [(&'static str, Render); 7] = [
        ("json", json::render),
        ("text", |r, o| text::render(r, false, o)),
        ("markdown", markdown::render),
        ("html", html::render),
        // a large page: every change's details in the data block
        ("html-lazy", |r, o| html::render_with(r, 0, o)),
        ("dot", graph_export::dot),
        ("mermaid", graph_export::mermaid),
    ];
    formats
        .into_iter()
        .map(|(name, render)| {
            let mut out = Vec::new();
            render(r, &mut out).expect("rendering to memory cannot fail");
            (name, String::from_utf8(out).expect("every format is UTF-8"))
        })
        .collect()
}

/// `plan_reader`: any bytes load as a plan or give an error, never a panic; a plan that loads
/// is analysed and rendered in every format, the same twice; no terminal escape reaches the
/// text report, no invisible character a human format, and the comment fits GitHub.
pub fn plan_reader(data: &[u8]) {
    let Ok(plan) = keyblast::plan::load_bytes("fuzz.json", data) else {
        return;
    };
    let again = keyblast::plan::load_bytes("fuzz.json", data).expect("loads twice");
    let first = render_all(&Report::new(&analyze(vec![plan], Options::default()), None));
    let second = render_all(&Report::new(
        &analyze(vec![again], Options::default()),
        None,
    ));
    assert_eq!(first, second, "the same plan gave two reports");
    for (format, out) in &first {
        match *format {
            "json" => {
                serde_json_free_parse(out);
                // escaped as \uXXXX: nothing in the file can drive a terminal or hide text
                let raw = out
                    .chars()
                    .find(|c| matches!(c, '\u{7f}'..='\u{9f}') || is_invisible(*c));
                assert!(raw.is_none(), "json holds a raw {raw:?}");
            }
            "text" => assert!(!out.contains('\u{1b}'), "an escape sequence in text"),
            "markdown" => assert!(out.chars().count() <= MAX_CHARS, "comment too long"),
            "html-lazy" => {
                let open = "<script type=\"application/json\" id=\"kb-details\">";
                if let Some(start) = out.find(open).map(|i| i + open.len()) {
                    let block = &out[start..start + out[start..].find("</script>").unwrap()];
                    assert!(
                        !block.contains("</") && !block.contains("<!"),
                        "the data block can end itself"
                    );
                }
            }
            _ => {}
        }
        if *format != "json" {
            // keyblast's own word joiners (markdown) are the only invisible characters
            let hidden = out.chars().find(|c| is_invisible(*c) && *c != '\u{2060}');
            assert!(hidden.is_none(), "{format} shows an invisible {hidden:?}");
        }
    }
}

/// The JSON report is one line of JSON: balanced outside strings (no serde_json here, so
/// the fuzz crate needs no more dependencies than it has).
fn serde_json_free_parse(out: &str) {
    assert!(
        out.ends_with('\n') && out.matches('\n').count() == 1,
        "one line"
    );
    let (mut depth, mut in_str, mut escaped) = (0i64, false, false);
    for c in out.chars() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            _ => {}
        }
        assert!(depth >= 0, "unbalanced JSON");
    }
    assert_eq!(depth, 0, "unbalanced JSON");
}

/// `policy_parser`: any text parses to a policy or an error, never a panic; a policy that
/// parses can be judged (access, lockout, posture, diff against the default policy).
pub fn policy_parser(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = keyblast::policy::parse(text) else {
        return;
    };
    let doc = doc.attached_to(Some(
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    ));
    let _ = keyblast::policy::effective_access(&doc);
    let _ = keyblast::policy::is_locked_out(&doc);
    let _ = keyblast::policy::unmanageable_actions(&doc);
    let _ = keyblast::policy::unconditional_public_allows(&doc);
    let _ = keyblast::policy::full_access_principals(&doc);
    let default = keyblast::policy::default_key_policy(Some("111122223333"));
    let there = keyblast::policy::diff_documents(&default, &doc);
    let back = keyblast::policy::diff_documents(&doc, &default);
    // what one direction gains the other loses
    let gained: usize = there.iter().map(|c| c.gained.len()).sum();
    let lost: usize = back.iter().map(|c| c.lost.len()).sum();
    assert_eq!(gained, lost, "diff is not symmetric");
    assert!(
        keyblast::policy::diff_documents(&doc, &doc).is_empty(),
        "a policy differs from itself"
    );
}

/// The text a code span or `<code>` must show for `s`: visible, shortened, newlines as
/// spaces, other control characters U+FFFD.
fn shown(s: &str) -> String {
    human(s)
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// `&lt;` → `<`, `&#64;` → `@` (what comrak writes in text and code).
fn decode(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find(';').map(|e| i + e).expect("an entity ends");
        let e = &rest[i + 1..end];
        out.push(match e {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            _ if e.starts_with('#') => e[1..]
                .parse::<u32>()
                .ok()
                .and_then(char::from_u32)
                .expect("a numeric reference"),
            _ => panic!("an unknown entity &{e};"),
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The text of the only `<code>` element of `html`.
fn only_code(html: &str) -> String {
    assert_eq!(
        html.matches("<code>").count(),
        1,
        "one code element: {html}"
    );
    let start = html.find("<code>").unwrap() + "<code>".len();
    let end = html.find("</code>").expect("closed");
    decode(&html[start..end])
}

/// `markdown_escaper`: escaped prose renders as one paragraph of text with nothing GitHub
/// would link, mention or reference; a code span, a code span in a table cell and an HTML
/// `<code>` each render as one code element showing exactly the text; a Mermaid label
/// cannot leave its quotes.
pub fn markdown_escaper(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let prose = md(&s);
    let html = gfm(&format!("x {prose} y"));
    let tags: Vec<&str> = html
        .split('<')
        .skip(1)
        .map(|t| &t[..t.find('>').unwrap_or(t.len())])
        .collect();
    assert!(
        tags.iter().all(|t| *t == "p" || *t == "/p"),
        "markup from prose: {html}"
    );
    let found = hazards(&format!("x {prose} y"));
    assert!(found.is_empty(), "{found:?} in {prose:?}");

    let want = shown(&s);
    // (GFM strips the one space each side keyblast pads a span with)
    let got = only_code(&gfm(&format!("x {} y", code(&s))));
    assert_eq!(got, want, "a code span changed the text");

    let table = gfm(&format!(
        "| a | b |\n|---|---|\n| {} | z |\n",
        code_cell(&s)
    ));
    assert_eq!(table.matches("<td>").count(), 2, "two cells: {table}");
    assert!(table.contains("<td>z</td>"), "the row is intact: {table}");
    let got = if want.contains("\\|") {
        // escaped prose (see `code_cell`)
        let cell = &table[table.find("<td>").unwrap() + 4..table.find("</td>").unwrap()];
        assert!(!cell.contains('<'), "markup in a cell: {table}");
        // (a cell is trimmed)
        decode(cell).replace('\u{2060}', "")
    } else {
        only_code(&table)
    };
    let want_cell = if want.contains("\\|") {
        want.trim()
    } else {
        &want
    };
    assert_eq!(got, want_cell, "a table cell changed the text");

    let h = html_code(&s);
    let inner = h
        .strip_prefix("<code>")
        .and_then(|x| x.strip_suffix("</code>"))
        .expect("one <code>");
    assert!(
        !inner.contains(['<', '>', '"', '\'']),
        "markup in <code>: {h}"
    );
    assert_eq!(decode(inner), want, "<code> changed the text");

    let m = mermaid(&s);
    assert!(
        !m.contains(['"', '<', '>', '`', '|', '\n', '\r']),
        "a label breaks out: {m}"
    );
    assert!(
        !m.chars().any(is_invisible),
        "an invisible character in a label"
    );
}

/// `html_escaper`: a plan string as the HTML report writes it has no markup character, every
/// `&` starts a character reference, nothing invisible and no control character.
pub fn html_escaper(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let e = html::escape(&s);
    assert!(!e.contains(['<', '>', '"', '\'']), "markup: {e}");
    for (i, _) in e.match_indices('&') {
        let rest = &e[i + 1..];
        let end = rest.find(';').expect("a reference ends");
        let name = &rest[..end];
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '#'),
            "a bare &: {e}"
        );
    }
    assert!(
        !e.chars().any(is_invisible),
        "an invisible character: {e:?}"
    );
    assert!(
        !e.chars().any(char::is_control),
        "a control character: {e:?}"
    );
    assert_eq!(e, html::escape(&s), "the same twice");
}

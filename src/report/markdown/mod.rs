//! `--format markdown`: a GitHub/GitLab pull-request comment.
//!
//! It opens with a hidden [`MARKER`] (the comment bot finds and updates its own comment by
//! it), a one-line verdict, a table of the high and medium changes, a `<details>` block per
//! change (findings, attributes before → after, blast radius) and a small Mermaid diagram.
//!
//! Budget: every platform caps a comment ([`Limit`]; `--format markdown` uses GitHub's 65,536
//! characters). The comment is rendered at decreasing levels of detail until it fits; what
//! always stays is the verdict and the title of every high finding (as a table row or a title
//! line), down to the last level, where even titles are cut with "… and N more". A shortened
//! comment says so and where the full report is. A final guard truncates at a line boundary and
//! closes what it cut open. [`fit`] shortens a finished body (`keyblast comment --body-file`)
//! the same way.

mod escape;
mod view;

use crate::report::Report;
use crate::shorten::thousands;
use askama::Template;
use std::io::{self, Write};
use view::{build, CommentView, Level};

pub use escape::{code, code_cell, html_code, md, mermaid};

/// First line of every comment without a tag; the PR bot looks for it.
pub const MARKER: &str = "<!-- keyblast:report -->";
/// GitHub's limit for one comment, in characters.
pub const MAX_CHARS: usize = 65_536;

/// How a platform counts a comment's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Unicode scalar values (Ruby's `String#length`: GitHub, GitLab).
    Chars,
    /// UTF-16 code units (.NET's `String.Length`: Azure DevOps); an emoji counts 2.
    Utf16,
    /// UTF-8 bytes.
    Bytes,
}

/// The largest comment a platform accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: usize,
    pub unit: Unit,
    /// Named in the "shortened" note: `GitHub's 65,536-character limit`.
    pub platform: &'static str,
}

impl Limit {
    /// GitHub's: `--format markdown` renders within it.
    pub const GITHUB: Limit = Limit {
        max: MAX_CHARS,
        unit: Unit::Chars,
        platform: "GitHub",
    };

    /// `s`'s length as the platform counts it.
    pub fn measure(&self, s: &str) -> usize {
        match self.unit {
            Unit::Chars => s.chars().count(),
            Unit::Utf16 => s.encode_utf16().count(),
            Unit::Bytes => s.len(),
        }
    }

    pub fn fits(&self, s: &str) -> bool {
        self.measure(s) <= self.max
    }
}

/// The hidden first line that identifies keyblast's comment: [`MARKER`] without a tag,
/// `<!-- keyblast:report tag=NAME -->` with one (the tag is validated by the caller: no `-->`,
/// no whitespace).
pub fn marker(tag: Option<&str>) -> String {
    match tag {
        None => MARKER.to_string(),
        Some(t) => format!("<!-- keyblast:report tag={t} -->"),
    }
}

#[derive(Template)]
#[template(path = "comment.md", escape = "none")]
struct Comment<'a> {
    v: &'a CommentView,
}

const LEVELS: &[Level] = &[
    Level {
        blast: 25,
        details: 50,
        rows: 200,
        low: 50,
        titles: 1000,
        findings: 20,
        name_cap: 200,
        attributes: true,
        mermaid: true,
    },
    Level {
        blast: 10,
        details: 30,
        rows: 100,
        low: 20,
        titles: 1000,
        findings: 10,
        name_cap: 160,
        attributes: true,
        mermaid: true,
    },
    Level {
        blast: 5,
        details: 15,
        rows: 60,
        low: 0,
        titles: 1000,
        findings: 5,
        name_cap: 120,
        attributes: false,
        mermaid: false,
    },
    Level {
        blast: 0,
        details: 0,
        rows: 40,
        low: 0,
        titles: 800,
        findings: 3,
        name_cap: 96,
        attributes: false,
        mermaid: false,
    },
    Level {
        blast: 0,
        details: 0,
        rows: 0,
        low: 0,
        titles: 400,
        findings: 1,
        name_cap: 64,
        attributes: false,
        mermaid: false,
    },
    Level {
        blast: 0,
        details: 0,
        rows: 0,
        low: 0,
        titles: 100,
        findings: 1,
        name_cap: 48,
        attributes: false,
        mermaid: false,
    },
];

/// The note a shortened comment ends with.
fn shortened_note(limit: &Limit) -> String {
    let unit = match limit.unit {
        Unit::Chars | Unit::Utf16 => "character",
        Unit::Bytes => "byte",
    };
    format!(
        "This comment was shortened to fit {}'s {}-{unit} limit. The full report: `keyblast analyze … --format html` (or `--format json`) in the CI job's artifacts.",
        limit.platform,
        thousands(limit.max)
    )
}

fn render_level(r: &Report, level: Level, marker: &str, shortened: Option<String>) -> String {
    let v = build(r, level, marker.to_string(), shortened);
    Comment { v: &v }
        .render()
        .unwrap_or_else(|e| format!("{marker}\nkeyblast: cannot render the comment: {e}\n"))
}

/// The comment text for GitHub, untagged: what `--format markdown` prints.
pub fn comment(r: &Report) -> String {
    comment_for(r, None, &Limit::GITHUB)
}

/// The comment text with `tag`'s marker, within `limit`.
pub fn comment_for(r: &Report, tag: Option<&str>, limit: &Limit) -> String {
    let marker = marker(tag);
    let note = shortened_note(limit);
    for (i, level) in LEVELS.iter().enumerate() {
        let text = render_level(r, *level, &marker, (i > 0).then(|| note.clone()));
        if limit.fits(&text) {
            return text;
        }
    }
    let last = *LEVELS.last().expect("levels");
    guard(
        render_level(r, last, &marker, Some(note.clone())),
        limit,
        &note,
    )
}

/// Shortens a finished comment body to `limit` (a `--body-file` that is too long): whole
/// `<details>` blocks go first, the last (least risky) first, then the guard cuts lines.
/// A body that fits is returned unchanged.
pub fn fit(body: &str, limit: &Limit) -> String {
    if limit.fits(body) {
        return body.to_string();
    }
    let note = shortened_note(limit);
    let note_len = limit.measure(&format!("\n\n> {note}\n"));
    let mut text = body.to_string();
    // measured once, then kept up to date: linear in the body however many blocks go
    let mut size = limit.measure(&text);
    while let Some(start) = text.rfind("<details>") {
        let Some(len) = text[start..].find("</details>") else {
            break;
        };
        let end = start + len + "</details>".len();
        size -= limit.measure(&text[start..end]);
        text.replace_range(start..end, "");
        let kept = text.trim_end().len();
        if size - limit.measure(&text[kept..]) + note_len <= limit.max {
            text.truncate(kept);
            return format!("{text}\n\n> {note}\n");
        }
    }
    guard(text, limit, &note)
}

/// Last resort: cut at a line boundary (a single over-long line at a character boundary),
/// close an open `<details>`, keep the marker.
fn guard(text: String, limit: &Limit, note: &str) -> String {
    let note_open = format!("\n</details>\n\n> {note}\n");
    let note_closed = format!("\n> {note}\n");
    let budget = limit.max.saturating_sub(limit.measure(&note_open));
    let mut out = String::new();
    let mut count = 0;
    for line in text.split_inclusive('\n') {
        let n = limit.measure(line);
        if count + n > budget {
            if out.is_empty() {
                // one line longer than the whole budget (a marker never is)
                for c in line.chars() {
                    let m = limit.measure(c.encode_utf8(&mut [0; 4]));
                    if count + m > budget {
                        break;
                    }
                    out.push(c);
                    count += m;
                }
                out.push('\n');
            }
            break;
        }
        out.push_str(line);
        count += n;
    }
    if out.matches("<details>").count() > out.matches("</details>").count() {
        out.push_str(&note_open);
    } else {
        out.push_str(&note_closed);
    }
    out
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(comment(report).as_bytes())
}

//! `--format markdown`: a GitHub/GitLab pull-request comment.
//!
//! It opens with a hidden [`MARKER`] (the comment bot finds and updates its own comment by
//! it), a one-line verdict, a table of the high and medium changes, a `<details>` block per
//! change (findings, attributes before → after, blast radius) and a small Mermaid diagram.
//!
//! Budget: a GitHub comment holds at most 65,536 characters, for any plan. The comment is
//! rendered at decreasing levels of detail until it fits; what always stays is the verdict and
//! the title of every high finding (as a table row or a title line), down to the last level,
//! where even titles are cut with "… and N more". A shortened comment says so and where the
//! full report is. A final guard truncates at a line boundary and closes what it cut open.

mod escape;
mod view;

use crate::report::Report;
use askama::Template;
use std::io::{self, Write};
use view::{build, CommentView, Level};

pub use escape::{md, mermaid};

/// First line of every comment; the PR bot looks for it.
pub const MARKER: &str = "<!-- keyblast:report -->";
/// GitHub's limit for one comment, in characters.
pub const MAX_CHARS: usize = 65_536;

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
        attributes: true,
        mermaid: true,
    },
    Level {
        blast: 10,
        details: 30,
        rows: 100,
        low: 20,
        titles: 1000,
        attributes: true,
        mermaid: true,
    },
    Level {
        blast: 5,
        details: 15,
        rows: 60,
        low: 0,
        titles: 1000,
        attributes: false,
        mermaid: false,
    },
    Level {
        blast: 0,
        details: 0,
        rows: 40,
        low: 0,
        titles: 800,
        attributes: false,
        mermaid: false,
    },
    Level {
        blast: 0,
        details: 0,
        rows: 0,
        low: 0,
        titles: 400,
        attributes: false,
        mermaid: false,
    },
    Level {
        blast: 0,
        details: 0,
        rows: 0,
        low: 0,
        titles: 100,
        attributes: false,
        mermaid: false,
    },
];

const SHORTENED: &str = "This comment was shortened to fit GitHub's 65,536-character limit. The full report: `keyblast analyze … --format html` (or `--format json`) in the CI job's artifacts.";

fn render_level(r: &Report, level: Level, shortened: bool) -> String {
    let v = build(r, level, shortened.then(|| SHORTENED.to_string()));
    Comment { v: &v }
        .render()
        .unwrap_or_else(|e| format!("{MARKER}\nkeyblast: cannot render the comment: {e}\n"))
}

/// The comment text, within [`MAX_CHARS`].
pub fn comment(r: &Report) -> String {
    for (i, level) in LEVELS.iter().enumerate() {
        let text = render_level(r, *level, i > 0);
        if text.chars().count() <= MAX_CHARS {
            return text;
        }
    }
    guard(render_level(r, *LEVELS.last().expect("levels"), true))
}

/// Last resort: cut at a line boundary, close an open `<details>`, keep the marker.
fn guard(text: String) -> String {
    let note = format!("\n</details>\n\n> {SHORTENED}\n");
    let budget = MAX_CHARS - note.chars().count();
    let mut out = String::new();
    let mut count = 0;
    for line in text.split_inclusive('\n') {
        let n = line.chars().count();
        if count + n > budget {
            break;
        }
        out.push_str(line);
        count += n;
    }
    if out.matches("<details>").count() > out.matches("</details>").count() {
        out.push_str(&note);
    } else {
        out.push_str(&note.replace("\n</details>\n", "\n"));
    }
    out
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(comment(report).as_bytes())
}

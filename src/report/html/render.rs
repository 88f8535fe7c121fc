//! Renders the HTML report: the askama template `templates/report.html` with the page view,
//! the stylesheet and the script inlined, and the CSP that allows exactly that script. The
//! details of changes past the page's budget are rendered alone (`templates/change-body.html`)
//! into the data block (see [`super::lazy`]).

use super::csp::policy;
use super::lazy::{static_prefix, ScriptJson, STATIC_ROWS};
use super::view::{ChangeRow, Page};
use crate::report::Report;
use askama::filters::Safe;
use askama::Template;
use std::io::{self, Write};

/// The stylesheet and the script: constants of the program, never plan-derived, so the
/// template writes them unescaped (`Safe` takes only `'static` text here).
const CSS: &str = include_str!("../../../templates/report.css");
const JS: &str = include_str!("../../../templates/report.js");

#[derive(Template)]
#[template(path = "report.html")]
struct HtmlReport<'a> {
    page: &'a Page,
    csp: String,
    css: Safe<&'static str>,
    js: Safe<&'static str>,
    /// The details of the changes built when opened, when there are any.
    details: Option<ScriptJson>,
    /// How many changes' details are in it, and how many of those are high or medium risk.
    lazy: usize,
    lazy_risky: usize,
}

/// One change's details body, alone.
#[derive(Template)]
#[template(path = "change-body.html")]
struct Body<'a> {
    page: &'a Page,
    r: &'a ChangeRow,
}

/// Writes the report as one self-contained HTML page.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    render_with(report, STATIC_ROWS, out)
}

/// [`render`], writing the details of changes as HTML only until `static_rows` rows are spent
/// (0: every change's details go to the data block).
pub fn render_with(report: &Report, static_rows: usize, out: &mut dyn Write) -> io::Result<()> {
    let mut page = Page::new(report);
    let keep = static_prefix(page.rows.iter().map(ChangeRow::rows), static_rows);
    let bodies = page.rows[keep..]
        .iter()
        .map(|r| Body { page: &page, r }.render())
        .collect::<Result<Vec<String>, _>>()
        .map_err(io::Error::other)?;
    // Closed, whatever their risk: opening the rest of a large plan's risky changes at load
    // would build their details too (594 open sections on the 50k benchmark plan took the page
    // from 0.8 s to 1.7 s); the table lists every change with its top finding.
    let risky = page.rows[keep..].iter().filter(|r| r.rank > 1).count();
    for (k, r) in page.rows[keep..].iter_mut().enumerate() {
        r.lazy = Some(k);
        r.open = false;
    }
    let t = HtmlReport {
        page: &page,
        csp: policy(JS),
        css: Safe(CSS),
        js: Safe(JS),
        details: (!bodies.is_empty()).then(|| ScriptJson::strings(&bodies)),
        lazy: bodies.len(),
        lazy_risky: risky,
    };
    t.write_into(out)
}

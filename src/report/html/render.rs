//! Renders the HTML report: the askama template `templates/report.html` with the page view,
//! the stylesheet and the script inlined, and the CSP that allows exactly that script.

use super::csp::policy;
use super::view::Page;
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
}

/// Writes the report as one self-contained HTML page.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let page = Page::new(report);
    let t = HtmlReport {
        page: &page,
        csp: policy(JS),
        css: Safe(CSS),
        js: Safe(JS),
    };
    t.write_into(out)
}

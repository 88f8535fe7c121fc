//! `--format html`: one self-contained file (inline CSS, inline SVG, a little inline script,
//! a Content-Security-Policy that forbids loading anything) to keep as a CI artifact or open
//! locally. It shows the verdict, a sortable, filterable table of every change (low risk
//! hidden until asked for), each change's findings, attributes before → after and blast
//! radius, and the blast-radius graph laid out in Rust ([`layout`]) and drawn as SVG.
//! Everything from the plan goes through askama's HTML escaping, attribute values included.

pub mod layout;
mod view;

use crate::report::Report;
use askama::Template;
use std::io::{self, Write};
pub use view::GRAPH_CAP;

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    v: &'a view::HtmlView,
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let v = view::build(report);
    let html = Page { v: &v }.render().map_err(io::Error::other)?;
    out.write_all(html.as_bytes())
}

//! `--format html`: one self-contained page (inline CSS, inline SVG, a small inline script,
//! a strict CSP; nothing loaded from the network) with the verdict, a sortable and filterable
//! table of changes, each change's findings and attributes, and the blast-radius graph laid
//! out here in Rust.
//!
//! [`view`] turns the report view-model into what the template reads; [`svg`] draws the graph
//! from [`select`] (the cap) and [`layout`] (which uses `order` and `coords`), with `labels`
//! placing edge labels; [`render`] fills the askama template `templates/report.html`, and
//! [`csp`] writes its Content-Security-Policy. On large pages, [`lazy`] keeps the details of
//! the less risky changes in a data block that the page's script builds when they are opened.

mod coords;
pub mod csp;
pub mod escape;
mod labels;
pub mod layout;
pub mod lazy;
mod order;
pub mod render;
pub mod select;
pub mod svg;
pub mod view;

pub use escape::escape;
pub use render::{render, render_with};

//! Reports: a view-model ([`Report`]) built once from the analysis, and one renderer per
//! format. Renderers see only the view-model.

pub mod attrs;
pub mod graph_export;
pub mod graph_view;
pub mod html;
pub mod json;
pub mod limits;
pub mod markdown;
pub mod model;
pub mod nodes;
pub mod text;
pub mod visible;

pub use model::Report;
pub use nodes::{NodeOrigin, NodeRef, NodeView};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// A pull-request comment (GitHub/GitLab markdown).
    Markdown,
    /// One self-contained HTML page with the graph.
    Html,
    /// The blast-radius graph alone, as Graphviz DOT.
    Dot,
    /// The blast-radius graph alone, as a Mermaid flowchart.
    Mermaid,
}

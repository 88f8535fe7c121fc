//! `--format dot` and `--format mermaid`: the blast-radius graph alone (every change and
//! everything in its blast radius, with the edges among them), for people who feed it into
//! their own tooling. Deterministic: nodes and edges come sorted from the view-model; a node is
//! `n<index>` after its place in the report's node table, so both are linear in the graph.
//! Changes are coloured by risk; edges point from dependent to dependency and carry their kind.
//! What the plan cannot pin down is drawn as such: possible edges dashed (DOT) or dotted
//! (Mermaid `-.->`), dependents only possibly reached with a dashed border and "possible".

use super::graph_view::GraphNode;
use super::markdown::mermaid as mermaid_label;
use super::model::Report;
use super::visible::{human, visible};
use crate::risk::Risk;
use std::io::{self, Write};

fn fill(risk: Option<Risk>) -> &'static str {
    match risk {
        Some(Risk::High) => "#f8c4c4",
        Some(Risk::Medium) => "#fbe0b5",
        Some(Risk::Low) => "#cfe3f7",
        None => "#eeeeee",
    }
}

/// A DOT string literal: quotes, backslashes and newlines escaped, invisible characters made
/// visible.
fn dot_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in visible(s).chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A node's label: its id (`(deposed X)` for a deposed object), its name, and its change (or
/// "possible"); the id and the name visible and bounded.
fn label(report: &Report, n: &GraphNode) -> String {
    let v = report.node(n.node);
    let id = v.label();
    let mut l = human(&id).into_owned();
    if let Some(name) = v.name.as_deref().filter(|name| *name != id) {
        l.push_str(&format!("\n{}", human(name)));
    }
    if let Some(c) = report.change_of(n.node) {
        l.push_str(&format!("\n[{}]", c.change.as_str()));
    } else if n.possible {
        l.push_str("\n[possible]");
    }
    l
}

fn risk_of(report: &Report, n: &GraphNode) -> Option<Risk> {
    report.change_of(n.node).map(|c| c.risk)
}

pub fn dot(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let g = &report.graph;
    writeln!(out, "digraph keyblast {{")?;
    writeln!(
        out,
        "  rankdir=RL;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];"
    )?;
    for n in &g.nodes {
        let style = if n.possible {
            ", style=\"rounded,filled,dashed\""
        } else {
            ""
        };
        writeln!(
            out,
            "  n{} [label={}, fillcolor=\"{}\"{style}];",
            n.node.0,
            dot_str(&label(report, n)),
            fill(risk_of(report, n))
        )?;
    }
    for e in &g.edges {
        let style = if e.possible { ", style=dashed" } else { "" };
        writeln!(
            out,
            "  n{} -> n{} [label={}{style}];",
            e.from.0,
            e.to.0,
            dot_str(e.kind.as_str())
        )?;
    }
    writeln!(out, "}}")
}

pub fn mermaid(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let g = &report.graph;
    writeln!(out, "flowchart RL")?;
    for n in &g.nodes {
        let l = label(report, n).replace('\n', " · ");
        let class = match risk_of(report, n) {
            Some(Risk::High) => ":::high",
            Some(Risk::Medium) => ":::medium",
            Some(Risk::Low) => ":::low",
            None if n.possible => ":::possible",
            None => "",
        };
        writeln!(out, "  n{}[\"{}\"]{class}", n.node.0, mermaid_label(&l))?;
    }
    for e in &g.edges {
        let arrow = if e.possible { "-.->" } else { "-->" };
        writeln!(
            out,
            "  n{} {arrow}|{}| n{}",
            e.from.0,
            e.kind.as_str(),
            e.to.0
        )?;
    }
    for (risk, r) in [
        (Risk::High, Some(Risk::High)),
        (Risk::Medium, Some(Risk::Medium)),
        (Risk::Low, Some(Risk::Low)),
    ] {
        writeln!(out, "  classDef {} fill:{}", risk.as_str(), fill(r))?;
    }
    if g.nodes.iter().any(|n| n.possible) {
        writeln!(out, "  classDef possible stroke-dasharray:4 3")?;
    }
    Ok(())
}

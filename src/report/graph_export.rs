//! `--format dot` and `--format mermaid`: the blast-radius graph alone (every change and
//! everything in its blast radius, with the edges among them), for people who feed it into
//! their own tooling. Deterministic: nodes and edges come sorted from the view-model.
//! Changes are coloured by risk; edges point from dependent to dependency and carry their kind.
//! What the plan cannot pin down is drawn as such: possible edges dashed (DOT) or dotted
//! (Mermaid `-.->`), dependents only possibly reached with a dashed border and "possible".

use super::graph_view::GraphView;
use super::markdown::mermaid as mermaid_label;
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

/// A DOT string literal: quotes, backslashes and newlines escaped.
fn dot_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
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

fn label(id: &str, name: Option<&str>, change: Option<&str>, possible: bool) -> String {
    let mut l = id.to_string();
    if let Some(n) = name.filter(|n| *n != id) {
        l.push_str(&format!("\n{n}"));
    }
    if let Some(c) = change {
        l.push_str(&format!("\n[{c}]"));
    } else if possible {
        l.push_str("\n[possible]");
    }
    l
}

pub fn dot(g: &GraphView, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "digraph keyblast {{")?;
    writeln!(
        out,
        "  rankdir=RL;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];"
    )?;
    for n in &g.nodes {
        let l = label(&n.id, n.name.as_deref(), n.change, n.possible);
        let style = if n.possible {
            ", style=\"rounded,filled,dashed\""
        } else {
            ""
        };
        writeln!(
            out,
            "  {} [label={}, fillcolor=\"{}\"{style}];",
            dot_str(&n.key),
            dot_str(&l),
            fill(n.risk)
        )?;
    }
    for e in &g.edges {
        let style = if e.possible { ", style=dashed" } else { "" };
        writeln!(
            out,
            "  {} -> {} [label={}{style}];",
            dot_str(&e.from),
            dot_str(&e.to),
            dot_str(e.kind.as_str())
        )?;
    }
    writeln!(out, "}}")
}

pub fn mermaid(g: &GraphView, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "flowchart RL")?;
    let index = |key: &str| g.nodes.iter().position(|n| n.key == key);
    for (i, n) in g.nodes.iter().enumerate() {
        let l = label(&n.id, n.name.as_deref(), n.change, n.possible).replace('\n', " · ");
        let class = match n.risk {
            Some(Risk::High) => ":::high",
            Some(Risk::Medium) => ":::medium",
            Some(Risk::Low) => ":::low",
            None if n.possible => ":::possible",
            None => "",
        };
        writeln!(out, "  n{i}[\"{}\"]{class}", mermaid_label(&l))?;
    }
    for e in &g.edges {
        if let (Some(a), Some(b)) = (index(&e.from), index(&e.to)) {
            let arrow = if e.possible { "-.->" } else { "-->" };
            writeln!(out, "  n{a} {arrow}|{}| n{b}", e.kind.as_str())?;
        }
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

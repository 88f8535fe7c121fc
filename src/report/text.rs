//! `--format text`: a readable terminal summary. Colour only when asked (the CLI enables it
//! on a TTY unless `NO_COLOR` is set). Every plan-derived string goes through [`clean`], so a
//! resource name cannot smuggle terminal escape sequences, and through
//! [`visible`](super::visible) (identifiers by [`name`], free text by [`prose`], messages by
//! [`message`]), so bidi overrides and zero-width characters show and a huge name is
//! shortened. At most [`FINDINGS_CAP`] findings and [`BLAST_CAP`] dependents per change.

use super::limits::{more_findings, FINDINGS_CAP};
use super::model::{ChangeView, Report};
use super::nodes::NodeOrigin;
use super::visible::{human, human_prose, no_controls, plain};
use crate::risk::{Overall, Risk, Text};
use std::io::{self, Write};

/// Blast-radius entries shown per change before "... and N more".
pub const BLAST_CAP: usize = 10;
/// Low-risk changes listed before "... and N more".
pub const LOW_CAP: usize = 50;

/// Replaces control characters (including ESC) with `�`.
pub fn clean(s: &str) -> String {
    no_controls(s)
}

/// An identifier from the plan: visible, shortened, no control character.
pub fn name(s: &str) -> String {
    clean(&human(s))
}

/// Free text from a plan or an account: visible, shortened, no control character.
pub fn prose(s: &str) -> String {
    clean(&human_prose(s))
}

/// A finding's message: each identifier as [`name`], each piece of prose as [`prose`].
pub fn message(t: &Text) -> String {
    clean(&plain(t.spans()))
}

/// ` (+M possible)`, or nothing when M is 0.
fn possible_suffix(m: usize) -> String {
    if m == 0 {
        String::new()
    } else {
        format!(" (+{m} possible)")
    }
}

struct Paint {
    color: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn risk(&self, r: Risk) -> String {
        let label = format!("{:<6}", r.as_str().to_uppercase());
        match r {
            Risk::High => self.wrap("1;31", &label),
            Risk::Medium => self.wrap("1;33", &label),
            Risk::Low => self.wrap("36", &label),
        }
    }

    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }

    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
}

pub fn render(report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let p = Paint { color };
    let s = &report.summary;
    let verdict = match s.overall {
        Overall::None => "no changes".to_string(),
        o => format!("{} risk", o.as_str().to_uppercase()),
    };
    let plans = if s.plans.len() == 1 {
        "1 plan".to_string()
    } else {
        format!("{} plans", s.plans.len())
    };
    writeln!(
        out,
        "{} {} — {} high, {} medium, {} low across {} changes in {plans}; {} resources in the blast radius{} (depth ≤ {})",
        p.bold("keyblast:"),
        p.bold(&verdict),
        s.counts.high,
        s.counts.medium,
        s.counts.low,
        s.changes,
        s.blast_radius,
        possible_suffix(s.blast_radius_possible),
        s.max_depth
    )?;
    if let Some(d) = &s.discovery {
        let resources: usize = d.inventories.iter().map(|i| i.resources).sum();
        if d.complete {
            writeln!(
                out,
                "live discovery: complete ({} inventories, {resources} resources)",
                d.inventories.len()
            )?;
        } else {
            writeln!(
                out,
                "{} {} calls failed; the blast radius may miss live dependents",
                p.risk(Risk::High).trim_end().to_string() + " live discovery INCOMPLETE:",
                d.errors.len()
            )?;
            for e in d.errors.iter().take(BLAST_CAP) {
                let region = prose(e.region.as_deref().unwrap_or("-"));
                let about = e
                    .resource
                    .as_deref()
                    .map(|r| format!(" {}", name(r)))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "  {} {} [{region}]{about}: {}",
                    prose(&e.service),
                    prose(&e.operation),
                    prose(&e.message)
                )?;
            }
            if d.errors.len() > BLAST_CAP {
                writeln!(
                    out,
                    "  ... and {} more (see --format json)",
                    d.errors.len() - BLAST_CAP
                )?;
            }
        }
    }
    for plan in &s.plans {
        for note in &plan.notes {
            writeln!(
                out,
                "{} {}: {}",
                p.dim("note:"),
                name(&plan.path),
                prose(note)
            )?;
        }
    }
    let multi = s.plans.len() > 1;
    for c in report.changes.iter().filter(|c| c.risk > Risk::Low) {
        writeln!(out)?;
        change(&p, report, c, multi, out)?;
    }
    let low: Vec<&ChangeView> = report
        .changes
        .iter()
        .filter(|c| c.risk == Risk::Low)
        .collect();
    if !low.is_empty() {
        writeln!(out)?;
        writeln!(out, "{} low-risk changes:", low.len())?;
        for c in low.iter().take(LOW_CAP) {
            // `other-change` messages only repeat the address and action.
            let note = match c.findings.first() {
                Some(f) if f.rule != crate::risk::Rule::Other => {
                    format!("  {}", message(&f.message))
                }
                _ => String::new(),
            };
            writeln!(
                out,
                "  {} {:<8} {}{}",
                p.risk(c.risk),
                c.change.as_str(),
                name(&report.node(c.node).label()),
                p.dim(&note)
            )?;
        }
        if low.len() > LOW_CAP {
            writeln!(
                out,
                "  ... and {} more (see --format json)",
                low.len() - LOW_CAP
            )?;
        }
    }
    Ok(())
}

fn change(
    p: &Paint,
    report: &Report,
    c: &ChangeView,
    multi: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let plan = if multi {
        format!("  [{}]", name(report.plan_path(c.plan)))
    } else {
        String::new()
    };
    writeln!(
        out,
        "{} {} {}{}",
        p.risk(c.risk),
        p.bold(&name(&report.node(c.node).label())),
        c.change.as_str(),
        p.dim(&plan)
    )?;
    for f in c.findings.iter().take(FINDINGS_CAP) {
        writeln!(
            out,
            "  - {} {}: {}",
            p.risk(f.risk),
            f.rule.slug(),
            message(&f.message)
        )?;
    }
    if let Some(more) = more_findings(c.findings.len(), FINDINGS_CAP) {
        writeln!(out, "  {more}")?;
    }
    if c.blast_radius.is_empty() {
        return Ok(());
    }
    let possible = match c.possible_dependents() {
        0 => String::new(),
        m => format!(", +{m} possible"),
    };
    writeln!(
        out,
        "  blast radius ({}{possible}):",
        c.certain_dependents()
    )?;
    for b in c.blast_radius.iter().take(BLAST_CAP) {
        let n = report.node(b.node);
        let id = n.label();
        let also = match &n.name {
            Some(m) if *m != id => format!(" ({})", name(m)),
            _ => String::new(),
        };
        let via: Vec<&str> = b.via.iter().map(|k| k.as_str()).collect();
        // where the dependent lives, when that is not the change's own plan
        let place = match (n.plan, n.origin) {
            (Some(plan), _) if multi && plan != c.plan => {
                format!(" [{}]", name(report.plan_path(plan)))
            }
            (_, NodeOrigin::Live) => " [live]".to_string(),
            _ => String::new(),
        };
        let possible = if b.possible { "  (possible)" } else { "" };
        writeln!(
            out,
            "    {} {}{also}{place}  {}{possible}",
            b.depth,
            name(&id),
            p.dim(&format!("via {}", via.join(" → ")))
        )?;
    }
    if c.blast_radius.len() > BLAST_CAP {
        writeln!(
            out,
            "    ... and {} more (see --format json)",
            c.blast_radius.len() - BLAST_CAP
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_strips_escapes() {
        assert_eq!(clean("a\x1b[31mb\nc"), "a\u{fffd}[31mb\u{fffd}c");
        assert_eq!(clean("plain"), "plain");
    }
}

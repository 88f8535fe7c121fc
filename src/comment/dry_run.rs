//! `--dry-run`: the requests a posting would make, and nothing sent.

use super::platform::{Planned, Platform, Requests};
use super::{Behavior, Request};
use crate::report::markdown::Unit;
use std::io::Write;

/// The identity request's line: asked only when a marked comment exists.
fn whoami(r: &Requests) -> String {
    format!(
        "{} {} when a marked comment exists (who the token is: keyblast touches only comments its account wrote)",
        r.whoami.method.as_str(),
        r.whoami.path
    )
}

pub fn print(req: &Request, p: &dyn Platform, body: &str, log: &mut dyn Write) {
    let r = p.requests();
    let limit = req.platform.limit();
    let size = format!(
        "body {} {}",
        limit.measure(body),
        match limit.unit {
            Unit::Bytes => "bytes",
            Unit::Chars | Unit::Utf16 => "characters",
        }
    );
    let show = |pl: &Planned| format!("{} {}", pl.method.as_str(), pl.path);
    let mut lines = vec![format!(
        "keyblast: dry run: {} {} (marker {}), nothing is sent:",
        p.name(),
        p.place(),
        req.marker()
    )];
    match req.behavior {
        Behavior::New => lines.push(format!("  {} ({size})", show(&r.create))),
        Behavior::Update => {
            lines.push(format!(
                "  {} (every page, to find the marked comment)",
                show(&r.list)
            ));
            lines.push(format!("  {}", whoami(&r)));
            lines.push(format!(
                "  {} ({size}) when a marked comment exists and differs, none when it is the same",
                show(&r.update)
            ));
            lines.push(format!("  {} ({size}) when none exists", show(&r.create)));
        }
        Behavior::HideAndNew | Behavior::DeleteAndNew => {
            lines.push(format!(
                "  {} (every page, to find the marked comments)",
                show(&r.list)
            ));
            lines.push(format!("  {}", whoami(&r)));
            lines.push(format!("  {} ({size})", show(&r.create)));
            match (&r.hide, req.behavior) {
                (Some(h), Behavior::HideAndNew) => lines.push(format!(
                    "  {} for each earlier marked comment of the token's account not hidden yet (hide as outdated; one query first asks which are)",
                    show(h)
                )),
                (None, Behavior::HideAndNew) => lines.push(format!(
                    "  {} for each earlier marked comment of the token's account ({} cannot hide comments)",
                    show(&r.delete),
                    p.name()
                )),
                _ => lines.push(format!(
                    "  {} for each earlier marked comment of the token's account",
                    show(&r.delete)
                )),
            }
        }
    }
    for l in lines {
        let _ = writeln!(log, "{l}");
    }
}

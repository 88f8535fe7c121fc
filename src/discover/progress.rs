//! Progress on stderr: one line per service and region with what it found. Printed only on
//! a terminal (the CLI decides) and never with `--quiet`.

use super::Found;
use crate::inventory::Inventory;

pub struct Progress {
    on: bool,
}

impl Progress {
    pub fn new(on: bool) -> Self {
        Self { on }
    }

    pub fn service(&self, region: &str, service: &str, f: &Found) {
        if self.on {
            let errors = if f.errors.is_empty() {
                String::new()
            } else {
                format!(", {} errors", f.errors.len())
            };
            eprintln!(
                "keyblast: {region} {service:<7} {} keys, {} aliases, {} resources{errors}",
                f.keys.len(),
                f.aliases.len(),
                f.resources.len()
            );
        }
    }

    pub fn done(&self, inv: &Inventory) {
        if self.on {
            let state = if inv.complete() {
                "complete".to_string()
            } else {
                format!("INCOMPLETE ({} errors)", inv.errors.len())
            };
            eprintln!(
                "keyblast: discovery {state}: {} keys, {} resources in {} regions",
                inv.keys.len(),
                inv.resources.len(),
                inv.regions.len()
            );
        }
    }
}

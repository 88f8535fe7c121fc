//! Progress, injected: discovery reports what each service found through a [`Progress`] sink
//! and never prints. The CLI's sink writes one line per service and region on stderr (on a
//! terminal, without `--quiet`); embedders and tests pass their own or [`Silent`].

use super::Found;
use crate::inventory::Inventory;

/// Where discovery reports progress. Called on the thread that runs [`super::discover`].
pub trait Progress {
    /// `service` finished in `region` with `found` (errors included).
    fn service(&mut self, region: &str, service: &str, found: &Found);
    /// Discovery finished: the merged inventory.
    fn done(&mut self, inventory: &Inventory);
}

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {
    fn service(&mut self, _: &str, _: &str, _: &Found) {}
    fn done(&mut self, _: &Inventory) {}
}

/// One line per service and region, and a summary: what the CLI writes on stderr.
pub struct Lines<'a>(pub &'a mut dyn std::io::Write);

impl Progress for Lines<'_> {
    fn service(&mut self, region: &str, service: &str, f: &Found) {
        let errors = if f.errors.is_empty() {
            String::new()
        } else {
            format!(", {} errors", f.errors.len())
        };
        let _ = writeln!(
            self.0,
            "keyblast: {region} {service:<7} {} keys, {} aliases, {} resources{errors}",
            f.keys.len(),
            f.aliases.len(),
            f.resources.len()
        );
    }

    fn done(&mut self, inv: &Inventory) {
        let state = if inv.complete() {
            "complete".to_string()
        } else {
            format!("INCOMPLETE ({} errors)", inv.errors.len())
        };
        let _ = writeln!(
            self.0,
            "keyblast: discovery {state}: {} keys, {} resources in {} regions",
            inv.keys.len(),
            inv.resources.len(),
            inv.regions.len()
        );
    }
}

//! Reading and writing inventory files. Errors name the file, like plan errors (escaped and
//! cut by [`crate::quote`]); an inventory is read like a plan ([`crate::input`]: size cap,
//! named pipes, `-` for standard input).

use super::model::{Inventory, INVENTORY_VERSION};
use crate::input::{self, InputError, Limits};
use crate::quote;
use std::io::Read;
use std::path::Path;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum InventoryError {
    /// The file could not be read: missing, too large, a named pipe nothing writes to.
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("{}: not a keyblast inventory: not UTF-8 text", quote::name(.path))]
    Encoding { path: String },
    #[error("{}:{line}:{column}: not a keyblast inventory: {}", quote::name(.path), quote::text(.message))]
    Json {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: inventory_version {found} is not supported (this keyblast reads version {INVENTORY_VERSION})", quote::name(.path))]
    Version { path: String, found: u32 },
}

/// Reads one inventory file (no standard input: `-` is a file name here).
pub fn load_inventory(path: &Path) -> Result<Inventory, InventoryError> {
    read_inventory(path, None, &Limits::default())
}

/// Reads the inventory at `path` (`-`: `stdin`, when given), within `limits`.
pub fn read_inventory(
    path: &Path,
    stdin: Option<&mut dyn Read>,
    limits: &Limits,
) -> Result<Inventory, InventoryError> {
    let display = path.display().to_string();
    let bytes = input::read(path, "inventory", stdin, limits)?;
    let text = String::from_utf8(bytes).map_err(|_| InventoryError::Encoding {
        path: display.clone(),
    })?;
    parse_inventory(&display, &text)
}

pub fn parse_inventory(path: &str, text: &str) -> Result<Inventory, InventoryError> {
    let inv: Inventory = serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        InventoryError::Json {
            path: path.into(),
            line: e.line(),
            column: e.column(),
            message: full
                .rsplit_once(" at line ")
                .map_or(full.as_str(), |(m, _)| m)
                .to_string(),
        }
    })?;
    if inv.inventory_version != INVENTORY_VERSION {
        return Err(InventoryError::Version {
            path: path.into(),
            found: inv.inventory_version,
        });
    }
    Ok(inv)
}

/// Pretty JSON with a trailing newline, lists sorted, strings escaped as the report's are
/// ([`crate::json_out`]: account data such as tag values can hold any character).
pub fn to_json(inv: &Inventory) -> String {
    let mut inv = inv.clone();
    inv.normalise();
    let mut s = crate::json_out::to_string_pretty(&inv);
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::model::{KeyUse, LiveResource};

    #[test]
    fn round_trips_and_checks_the_version() {
        let mut inv = Inventory::new(Some("123456789012".into()), vec!["us-east-1".into()]);
        inv.resources.push(LiveResource {
            id: "arn:aws:s3:::b".into(),
            rtype: "aws_s3_bucket".into(),
            key_refs: vec![KeyUse {
                attr: "kms_master_key_id".into(),
                key: "alias/x".into(),
            }],
            ..Default::default()
        });
        let text = to_json(&inv);
        assert_eq!(parse_inventory("i.json", &text).unwrap(), inv);
        let bad = text.replace("\"inventory_version\": 1", "\"inventory_version\": 9");
        assert!(parse_inventory("i.json", &bad)
            .unwrap_err()
            .to_string()
            .contains("inventory_version 9"));
        let e = parse_inventory("i.json", "{\"inventory_version\": 1, \"keys\": 5}").unwrap_err();
        assert!(e.to_string().starts_with("i.json:1:"), "{e}");
    }
}

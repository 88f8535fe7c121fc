//! Reading and writing inventory files. Errors name the file, like plan errors.

use super::model::{Inventory, INVENTORY_VERSION};
use std::path::Path;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum InventoryError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: not a keyblast inventory: {message}")]
    Json {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: inventory_version {found} is not supported (this keyblast reads version {INVENTORY_VERSION})")]
    Version { path: String, found: u32 },
}

/// Largest inventory file read.
const MAX_INVENTORY_BYTES: u64 = 1 << 30;

pub fn load_inventory(path: &Path) -> Result<Inventory, InventoryError> {
    let display = path.display().to_string();
    let io = |source| InventoryError::Io {
        path: display.clone(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.len() > MAX_INVENTORY_BYTES {
        return Err(io(std::io::Error::other("file too large")));
    }
    let text = std::fs::read_to_string(path).map_err(io)?;
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

/// Pretty JSON with a trailing newline, lists sorted.
pub fn to_json(inv: &Inventory) -> String {
    let mut inv = inv.clone();
    inv.normalise();
    let mut s = serde_json::to_string_pretty(&inv).expect("an inventory always serialises");
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

//! Live inventories: the model saved by `keyblast discover` and replayed by
//! `keyblast analyze --inventory`. Discovery itself (the AWS calls) is a separate module;
//! everything here works offline.

mod load;
mod model;

pub use load::{load_inventory, parse_inventory, read_inventory, to_json, InventoryError};
pub use model::{
    DiscoveryError, Inventory, KeyUse, Link, LinkKind, LiveAlias, LiveGrant, LiveKey, LiveResource,
    INVENTORY_VERSION,
};

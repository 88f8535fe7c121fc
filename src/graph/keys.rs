//! The key index: every name of every key and alias in play → its node.
//!
//! Built once from the plans' keys (`aws_kms_key`, replica and external keys) and aliases;
//! then each reference resolves by hash lookups:
//! - key id / key ARN → the key with that id. Multi-region ids (`mrk-…`) are shared by a
//!   primary and its replicas, so when several keys share an id the reference's region (from
//!   the ARN, or else the referring resource's region) picks one; with no region, the
//!   primary wins.
//! - alias name / alias ARN → the alias node (which has an `alias-of` edge to its key).
//!   Alias names are unique per account and region, so the same narrowing applies.
//! - An ARN whose account differs from the candidate's known account never matches: another
//!   account's key is another key, even with a look-alike alias.
//!
//! What does not resolve becomes a reference node (see `build`): unknown-after-apply values are
//! never guessed.

use super::NodeIx;
use crate::hash::HashMap;
use crate::keyref::KeyRef;

#[derive(Debug, Clone)]
struct Entry {
    node: NodeIx,
    region: Option<String>,
    account: Option<String>,
    replica: bool,
}

#[derive(Debug, Default)]
pub struct KeyIndex {
    by_id: HashMap<String, Vec<Entry>>,
    by_alias: HashMap<String, Vec<Entry>>,
}

/// Adds `e`, or completes the entry of the same node (a key first known by a bare id learns
/// its region and account when its ARN is seen).
fn push(map: &mut HashMap<String, Vec<Entry>>, k: &str, e: Entry) {
    let v = map.entry(k.to_string()).or_default();
    match v.iter_mut().find(|x| x.node == e.node) {
        Some(x) => {
            x.region = x.region.take().or(e.region);
            x.account = x.account.take().or(e.account);
            x.replica |= e.replica;
        }
        None => v.push(e),
    }
}

impl KeyIndex {
    /// Registers a key under its id; region/account from its ARN when known.
    pub fn add_key(
        &mut self,
        node: NodeIx,
        key_id: &str,
        region: Option<&str>,
        account: Option<&str>,
        replica: bool,
    ) {
        let e = Entry {
            node,
            region: region.map(str::to_string),
            account: account.map(str::to_string),
            replica,
        };
        push(&mut self.by_id, &key_id.to_ascii_lowercase(), e);
    }

    /// Registers an alias (`alias/…`).
    pub fn add_alias(
        &mut self,
        node: NodeIx,
        name: &str,
        region: Option<&str>,
        account: Option<&str>,
    ) {
        let e = Entry {
            node,
            region: region.map(str::to_string),
            account: account.map(str::to_string),
            replica: false,
        };
        push(&mut self.by_alias, name, e);
    }

    /// The key or alias node a reference names, if it is in the index.
    /// `ctx_region` is the referring resource's region, used only to break ties.
    pub fn resolve(&self, r: &KeyRef, ctx_region: Option<&str>) -> Option<NodeIx> {
        let candidates = match (r.key_id(), r.alias()) {
            (Some(id), _) => self.by_id.get(id)?,
            (_, Some(alias)) => self.by_alias.get(alias)?,
            _ => return None,
        };
        let account_ok = |e: &&Entry| match (r.account(), e.account.as_deref()) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        let matching: Vec<&Entry> = candidates.iter().filter(account_ok).collect();
        if matching.len() <= 1 {
            return matching.first().map(|e| e.node);
        }
        let region = r.region().or(ctx_region);
        if let Some(reg) = region {
            if let Some(e) = matching.iter().find(|e| e.region.as_deref() == Some(reg)) {
                return Some(e.node);
            }
        }
        matching
            .iter()
            .find(|e| !e.replica)
            .or(matching.first())
            .map(|e| e.node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MRK: &str = "mrk-1234abcd12ab34cd56ef1234567890ab";

    #[test]
    fn resolves_replicas_by_region_and_refuses_other_accounts() {
        let (p, r, a) = (NodeIx::new(0), NodeIx::new(1), NodeIx::new(2));
        let mut idx = KeyIndex::default();
        idx.add_key(p, MRK, Some("us-east-1"), Some("111122223333"), false);
        idx.add_key(r, MRK, Some("us-west-2"), Some("111122223333"), true);
        idx.add_alias(a, "alias/app", Some("us-east-1"), Some("111122223333"));
        let west = KeyRef::parse(&format!("arn:aws:kms:us-west-2:111122223333:key/{MRK}")).unwrap();
        assert_eq!(idx.resolve(&west, None), Some(r));
        let bare = KeyRef::parse(MRK).unwrap();
        assert_eq!(
            idx.resolve(&bare, None),
            Some(p),
            "primary wins without a region"
        );
        assert_eq!(idx.resolve(&bare, Some("us-west-2")), Some(r));
        let other =
            KeyRef::parse(&format!("arn:aws:kms:us-east-1:999999999999:key/{MRK}")).unwrap();
        assert_eq!(idx.resolve(&other, None), None);
        assert_eq!(
            idx.resolve(&KeyRef::parse("alias/app").unwrap(), None),
            Some(a)
        );
        let alias_arn = KeyRef::parse("arn:aws:kms:us-east-1:111122223333:alias/app").unwrap();
        assert_eq!(idx.resolve(&alias_arn, None), Some(a));
        assert_eq!(
            idx.resolve(&KeyRef::parse("alias/other").unwrap(), None),
            None
        );
    }
}

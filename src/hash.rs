//! The hash maps and sets of the analysis: std's, with foldhash's hasher instead of SipHash.
//!
//! Their keys are plan text (addresses, ARNs, ids), so the hasher is seeded per process like
//! std's (a hostile plan cannot choose keys that collide), but much faster: SipHash was 5% of
//! a large plan's analysis. Build them with `HashMap::default()`.

pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

//! Calls in flight are bounded per service and region: with `--concurrency 4` (the stand-in
//! runs use 4) and 20 ms a request, KMS (a key's four reads run together after DescribeKey,
//! ListAliases alongside) and S3 (a bucket's calls) each keep exactly four calls in flight,
//! never more.

use super::stand_in::{run, Bucket, Faults, World};
use super::{kms, s3};
use std::time::Duration;

const KEYS: [&str; 12] = [
    "k01", "k02", "k03", "k04", "k05", "k06", "k07", "k08", "k09", "k10", "k11", "k12",
];

fn slow() -> Faults {
    Faults {
        latency: Some(Duration::from_millis(20)),
        ..Faults::default()
    }
}

#[test]
fn kms_keeps_its_bound() {
    let w = World {
        keys: KEYS.to_vec(),
        ..World::default()
    };
    let (found, stand_in) = run(&[&kms::Kms], w, slow());
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert_eq!(found.keys.len(), KEYS.len());
    assert_eq!(stand_in.calls().len(), 2 + 5 * KEYS.len());
    assert_eq!(stand_in.most_in_flight(), 4);
}

#[test]
fn s3_keeps_its_bound() {
    let buckets = KEYS
        .iter()
        .map(|k| Bucket {
            name: k,
            region: "us-east-1",
            listed_region: true,
            key: Some(k),
        })
        .collect();
    let w = World {
        buckets,
        ..World::default()
    };
    let (found, stand_in) = run(&[&s3::S3], w, slow());
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert_eq!(found.resources.len(), KEYS.len());
    assert_eq!(stand_in.most_in_flight(), 4);
}

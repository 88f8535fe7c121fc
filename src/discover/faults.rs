//! Faults an emulator cannot produce, served over real HTTP by a loopback stand-in
//! ([`super::stand_in`]): a pagination loop (a service that returns the same marker forever),
//! a throttling storm that the standard retries ride out, and AccessDenied on one key's policy
//! and one bucket's encryption — each recorded, never fatal, never silently dropped.

use super::stand_in::{run, Bucket, Faults, World, ACCOUNT};
use super::{kms, s3};

fn key_arn(id: &str) -> String {
    format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/{id}")
}

fn bucket(name: &'static str, region: &'static str, key: Option<&'static str>) -> Bucket {
    Bucket {
        name,
        region,
        listed_region: true,
        key,
    }
}

/// Two keys and three buckets: one by key ARN, one in another region by key id, one plain.
fn world() -> World {
    World {
        keys: vec!["k1", "k2"],
        buckets: vec![
            bucket(
                "kb-app",
                "us-east-1",
                Some("arn:aws:kms:us-east-1:123456789012:key/k1"),
            ),
            bucket("kb-eu", "eu-west-1", Some("k2")),
            bucket("kb-plain", "us-east-1", None),
        ],
        ..World::default()
    }
}

/// The same marker forever: the paginator stops, and the keys it saw are kept.
#[test]
fn a_pagination_loop_terminates() {
    let faults = Faults {
        marker_loop: true,
        ..Faults::default()
    };
    let w = World {
        keys: vec!["k1"],
        ..World::default()
    };
    let (found, stand_in) = run(&[&kms::Kms], w, faults);
    assert!(!found.keys.is_empty(), "{found:?}");
    assert!(found.keys.iter().all(|k| k.key_id == "k1"));
    let pages = stand_in.calls_of("ListKeys").len();
    assert!(pages < 10, "the loop was cut short ({pages} calls)");
}

/// The first three requests of every operation are throttled (KMS `ThrottlingException`, S3
/// `SlowDown`): the standard retries (four attempts) ride the storm out and nothing is lost.
#[test]
fn a_throttling_storm_is_ridden_out() {
    let faults = Faults {
        throttle_first: 3,
        ..Faults::default()
    };
    let (found, stand_in) = run(&[&kms::Kms, &s3::S3], world(), faults);
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    let mut keys: Vec<(&str, bool, Option<bool>)> = found
        .keys
        .iter()
        .map(|k| (k.key_id.as_str(), k.policy.is_some(), k.rotation_enabled))
        .collect();
    keys.sort();
    assert_eq!(keys, [("k1", true, Some(true)), ("k2", true, Some(true))]);
    let mut buckets: Vec<(&str, Vec<&str>)> = found
        .resources
        .iter()
        .map(|r| {
            let keys = r.key_refs.iter().map(|k| k.key.as_str()).collect();
            (r.name.as_deref().unwrap(), keys)
        })
        .collect();
    buckets.sort();
    let app = key_arn("k1");
    assert_eq!(
        buckets,
        [
            ("kb-app", vec![app.as_str()]),
            ("kb-eu", vec!["k2"]),
            ("kb-plain", vec![]),
        ]
    );
    // the storm happened, over the wire, for every operation
    let calls = stand_in.calls();
    let mut ops: Vec<&str> = calls.iter().map(|c| c.op.as_str()).collect();
    ops.sort_unstable();
    ops.dedup();
    for op in ops {
        let throttled = calls
            .iter()
            .filter(|c| c.op == op && matches!(c.status, 400 | 503))
            .count();
        assert_eq!(throttled, 3, "{op}: {calls:?}");
    }
}

/// AccessDenied on one key's policy and one bucket's encryption: each recorded with its code,
/// operation, region and resource; the key and the bucket are still found; nothing else fails.
#[test]
fn access_denied_is_recorded_never_fatal() {
    let faults = Faults {
        deny: vec![("GetKeyPolicy", "k2"), ("GetBucketEncryption", "kb-app")],
        ..Faults::default()
    };
    let (found, _stand_in) = run(&[&kms::Kms, &s3::S3], world(), faults);
    let mut errors: Vec<(&str, &str, &str, &str, &str)> = found
        .errors
        .iter()
        .map(|e| {
            (
                e.service.as_str(),
                e.operation.as_str(),
                e.region.as_deref().unwrap_or(""),
                e.resource.as_deref().unwrap_or(""),
                e.code.as_deref().unwrap_or(""),
            )
        })
        .collect();
    errors.sort();
    assert_eq!(
        errors,
        [
            (
                "kms",
                "GetKeyPolicy",
                "us-east-1",
                "k2",
                "AccessDeniedException"
            ),
            (
                "s3",
                "GetBucketEncryption",
                "us-east-1",
                "kb-app",
                "AccessDenied"
            ),
        ]
    );
    let k2 = found.keys.iter().find(|k| k.key_id == "k2").expect("k2");
    assert!(k2.policy.is_none() && k2.rotation_enabled == Some(true));
    assert!(found
        .keys
        .iter()
        .any(|k| k.key_id == "k1" && k.policy.is_some()));
    let app = found
        .resources
        .iter()
        .find(|r| r.name.as_deref() == Some("kb-app"));
    assert!(app.expect("kb-app is still found").key_refs.is_empty());
    assert_eq!(found.resources.len(), 3);
}

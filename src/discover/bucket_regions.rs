//! Each bucket is read in its own region: GetBucketEncryption goes to (and is signed for) the
//! region the bucket lives in, whichever the discovery region is. The region comes from
//! ListBuckets (asked with MaxBuckets, so that AWS says it); GetBucketLocation is called only
//! for a bucket whose region the listing does not give.

use super::s3;
use super::stand_in::{run, Bucket, Faults, World};

fn world() -> World {
    let b = |name, region, listed_region| Bucket {
        name,
        region,
        listed_region,
        key: Some("k1"),
    };
    World {
        keys: vec!["k1"],
        buckets: vec![
            b("kb-home", "us-east-1", true),
            b("kb-eu", "eu-west-1", true),
            b("kb-unlisted", "eu-central-1", false),
        ],
        ..World::default()
    }
}

#[test]
fn each_bucket_is_read_in_its_own_region() {
    let w = world();
    let (found, stand_in) = run(&[&s3::S3], w.clone(), Faults::default());
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    for b in &w.buckets {
        let r = found
            .resources
            .iter()
            .find(|r| r.name.as_deref() == Some(b.name))
            .expect(b.name);
        assert_eq!(r.region.as_deref(), Some(b.region), "{}", b.name);
        assert_eq!(r.key_refs.len(), 1, "{}", b.name);
        let asked: Vec<String> = stand_in
            .calls_of("GetBucketEncryption")
            .into_iter()
            .filter(|c| c.resource.as_deref() == Some(b.name))
            .map(|c| c.region)
            .collect();
        assert_eq!(asked, [b.region], "{}", b.name);
    }
    let listed = stand_in.calls_of("ListBuckets");
    assert_eq!(listed.len(), 1);
    assert!(
        listed[0]
            .params
            .iter()
            .any(|(k, v)| k == "max-buckets" && v == "10000"),
        "ListBuckets without a parameter: AWS would not say BucketRegion ({:?})",
        listed[0].params
    );
    let located: Vec<Option<String>> = stand_in
        .calls_of("GetBucketLocation")
        .into_iter()
        .map(|c| c.resource)
        .collect();
    assert_eq!(located, [Some("kb-unlisted".to_string())]);
}

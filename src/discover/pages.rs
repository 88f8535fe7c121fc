//! Lists ask for AWS's largest page: a paginated list is a chain of calls that cannot run
//! concurrently, so every page saved is a round trip saved (DescribeParameters' default of 10
//! makes 101 calls for 1,000 parameters; 50 a page makes 20).

use super::stand_in::{run, Faults, World};
use super::{kms, ssm};

#[test]
fn lists_ask_for_the_largest_page() {
    let w = World {
        keys: vec!["k1"],
        parameters: 120,
        ..World::default()
    };
    let (found, stand_in) = run(&[&kms::Kms, &ssm::Ssm], w, Faults::default());
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert_eq!(
        found.resources.len(),
        120,
        "every parameter, over three pages"
    );
    let limits = |op: &str, param: &str| -> Vec<String> {
        stand_in
            .calls_of(op)
            .into_iter()
            .map(|c| {
                c.params
                    .into_iter()
                    .find(|(k, _)| k == param)
                    .map(|(_, v)| v)
                    .unwrap_or_default()
            })
            .collect()
    };
    assert_eq!(
        limits("DescribeParameters", "MaxResults"),
        ["50", "50", "50"]
    );
    assert_eq!(limits("ListKeys", "Limit"), ["1000"]);
    assert_eq!(limits("ListAliases", "Limit"), ["100"]);
    assert_eq!(limits("ListGrants", "Limit"), ["100"]);
}

//! Live discovery in the analysis script, against moto on loopback.

use super::scripts::analyze_script;
use super::{env_of, keyblast, read_json, sample, temp_dir};

#[test]
fn live_discovery_runs_first_and_its_inventory_joins_the_reports() {
    let moto = crate::moto::Moto::start();
    let dir = temp_dir("discover");
    let d = dir.to_str().unwrap();
    let env = env_of(&[
        ("KEYBLAST_BIN", keyblast()),
        ("KEYBLAST_PLANS", &sample()),
        ("KEYBLAST_COMMENT", "false"),
        ("KEYBLAST_FAIL_ON", "none"),
        ("KEYBLAST_DISCOVER", "true"),
        ("KEYBLAST_REGIONS", "us-east-1,eu-west-1"),
        ("KEYBLAST_ENDPOINT_URL", &moto.endpoint),
        ("GITHUB_OUTPUT", &format!("{d}/github_output")),
        ("RUNNER_TEMP", d),
        // Static test credentials; no instance metadata (it would leave loopback).
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let (r, o) = analyze_script(&dir, &env);
    assert_eq!(o["exit-code"], "0", "{}", r.stderr);
    let inv = read_json(&o["inventory"]);
    assert!(inv.is_object(), "{inv}");
    assert!(
        o["inventory"].starts_with(&o["output-dir"]),
        "uploaded with the reports"
    );
    let json = read_json(&o["report-json"]);
    let regions = &json["summary"]["discovery"]["inventories"][0]["regions"];
    assert_eq!(
        regions,
        &serde_json::json!(["eu-west-1", "us-east-1"]),
        "{json:#}"
    );

    // Discovery that cannot start (no credentials) stops before any analysis.
    let dir = temp_dir("discover-fails");
    let d = dir.to_str().unwrap();
    let mut env = env;
    env.remove("AWS_ACCESS_KEY_ID");
    env.remove("AWS_SECRET_ACCESS_KEY");
    env.insert("GITHUB_OUTPUT".into(), format!("{d}/github_output"));
    env.insert("RUNNER_TEMP".into(), d.into());
    let (r, o) = analyze_script(&dir, &env);
    assert_eq!(o["exit-code"], "2", "{}", r.stderr);
    assert!(!o.contains_key("report-json"), "{o:?}");
    assert!(r.stdout.contains("live discovery failed"), "{}", r.stdout);
}

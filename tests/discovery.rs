//! Live discovery against a real AWS emulator (moto): a key used by ARN, id, alias name and
//! alias ARN across S3, RDS, EBS (attached to an instance), Lambda, CloudWatch Logs and SSM,
//! decoys under another key, and more parameters than one page holds. The blast radius of the
//! plan's key deletion must be exactly the seeded dependents, from live discovery and from the
//! saved inventory alike.

use crate::common::{left_behind, report_from, temp_dir, temp_file};
use crate::moto::{aws_env, dead_endpoint, Moto, Refusing};
use aws_config::{BehaviorVersion, Region};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::process::Command;

const ACCOUNT: &str = "123456789012";
const BULK: usize = 25;

struct Seeded {
    key_id: String,
    key_arn: String,
    /// Live ids that must be in the key's blast radius.
    expected: BTreeSet<String>,
}

fn arn(service: &str, resource: &str) -> String {
    format!("arn:aws:{service}:us-east-1:{ACCOUNT}:{resource}")
}

async fn seed(endpoint: &str) -> Seeded {
    let conf = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(aws_credential_types::Credentials::new(
            "test", "test", None, None, "test",
        ))
        .load()
        .await;
    let kms = aws_sdk_kms::Client::new(&conf);
    let new_key = |d: &'static str| {
        let kms = kms.clone();
        async move {
            let m = kms
                .create_key()
                .description(d)
                .send()
                .await
                .unwrap()
                .key_metadata
                .unwrap();
            (m.key_id().to_string(), m.arn().unwrap().to_string())
        }
    };
    let (key_id, key_arn) = new_key("app").await;
    let (decoy_id, decoy_arn) = new_key("decoy").await;
    kms.create_alias()
        .alias_name("alias/kb-app")
        .target_key_id(&key_id)
        .send()
        .await
        .unwrap();
    let alias_arn = arn("kms", "alias/kb-app");
    let mut expected: BTreeSet<String> = [alias_arn.clone()].into();

    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&conf)
            .force_path_style(true)
            .build(),
    );
    for (bucket, key) in [
        ("kb-by-arn", Some(&key_arn)),
        ("kb-by-alias-arn", Some(&alias_arn)),
        ("kb-decoy", Some(&decoy_arn)),
        ("kb-plain", None),
    ] {
        s3.create_bucket().bucket(bucket).send().await.unwrap();
        if let Some(k) = key {
            use aws_sdk_s3::types::*;
            let rule = ServerSideEncryptionRule::builder()
                .apply_server_side_encryption_by_default(
                    ServerSideEncryptionByDefault::builder()
                        .sse_algorithm(ServerSideEncryption::AwsKms)
                        .kms_master_key_id(k)
                        .build()
                        .unwrap(),
                )
                .build();
            let cfg = ServerSideEncryptionConfiguration::builder()
                .rules(rule)
                .build()
                .unwrap();
            s3.put_bucket_encryption()
                .bucket(bucket)
                .server_side_encryption_configuration(cfg)
                .send()
                .await
                .unwrap();
        }
    }
    expected.extend([
        "arn:aws:s3:::kb-by-arn".to_string(),
        "arn:aws:s3:::kb-by-alias-arn".to_string(),
    ]);

    let rds = aws_sdk_rds::Client::new(&conf);
    for (id, key) in [("kb-db", &key_id), ("kb-db-decoy", &decoy_arn)] {
        rds.create_db_instance()
            .db_instance_identifier(id)
            .engine("postgres")
            .db_instance_class("db.t3.micro")
            .allocated_storage(20)
            .master_username("app")
            .master_user_password("not-a-real-password")
            .storage_encrypted(true)
            .kms_key_id(key)
            .send()
            .await
            .unwrap();
    }
    expected.insert(arn("rds", "db:kb-db"));
    // moto, like RDS, takes an automated snapshot of a new instance: encrypted by its key
    let snaps = rds
        .describe_db_snapshots()
        .db_instance_identifier("kb-db")
        .send()
        .await
        .unwrap();
    expected.extend(
        snaps
            .db_snapshots()
            .iter()
            .filter_map(|s| s.db_snapshot_arn().map(str::to_string)),
    );

    let ec2 = aws_sdk_ec2::Client::new(&conf);
    let volume = |key: String| {
        let ec2 = ec2.clone();
        async move {
            ec2.create_volume()
                .availability_zone("us-east-1a")
                .size(10)
                .encrypted(true)
                .kms_key_id(key)
                .send()
                .await
                .unwrap()
                .volume_id
                .unwrap()
        }
    };
    let vol = volume("alias/kb-app".into()).await;
    let _decoy_vol = volume(decoy_id.clone()).await;
    let ami = ec2.describe_images().send().await.unwrap().images()[0]
        .image_id()
        .unwrap()
        .to_string();
    let inst = ec2
        .run_instances()
        .image_id(ami)
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .unwrap()
        .instances()[0]
        .instance_id()
        .unwrap()
        .to_string();
    ec2.attach_volume()
        .volume_id(&vol)
        .instance_id(&inst)
        .device("/dev/sdf")
        .send()
        .await
        .unwrap();
    expected.insert(arn("ec2", &format!("volume/{vol}")));
    expected.insert(inst);

    let lambda = aws_sdk_lambda::Client::new(&conf);
    // an empty zip archive: moto stores the code, it never runs it here
    let zip = aws_sdk_lambda::primitives::Blob::new(
        b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec(),
    );
    for (name, key) in [("kb-fn", &key_arn), ("kb-fn-decoy", &decoy_arn)] {
        crate::moto::create_role(endpoint, name);
        lambda
            .create_function()
            .function_name(name)
            .runtime(aws_sdk_lambda::types::Runtime::Python312)
            .role(format!("arn:aws:iam::{ACCOUNT}:role/{name}"))
            .handler("index.handler")
            .code(
                aws_sdk_lambda::types::FunctionCode::builder()
                    .zip_file(zip.clone())
                    .build(),
            )
            .kms_key_arn(key)
            .send()
            .await
            .unwrap();
    }
    expected.insert(arn("lambda", "function:kb-fn"));

    let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
    for (name, key) in [("/kb/app", &key_arn), ("/kb/decoy", &decoy_arn)] {
        logs.create_log_group()
            .log_group_name(name)
            .kms_key_id(key)
            .send()
            .await
            .unwrap();
    }
    expected.insert(arn("logs", "log-group:/kb/app"));

    let ssm = aws_sdk_ssm::Client::new(&conf);
    let mut params: Vec<(String, String)> = vec![
        ("/kb/by-alias".into(), "alias/kb-app".into()),
        ("/kb/by-id".into(), key_id.clone()),
    ];
    params.extend((0..BULK).map(|i| (format!("/kb/bulk/{i:02}"), key_arn.clone())));
    for (name, key) in &params {
        ssm.put_parameter()
            .name(name)
            .value("kb-test-secret-DO-NOT-PRINT")
            .r#type(aws_sdk_ssm::types::ParameterType::SecureString)
            .key_id(key)
            .send()
            .await
            .unwrap();
        expected.insert(arn("ssm", &format!("parameter{name}")));
    }
    ssm.put_parameter()
        .name("/kb/decoy")
        .value("x")
        .r#type(aws_sdk_ssm::types::ParameterType::SecureString)
        .key_id(&decoy_id)
        .send()
        .await
        .unwrap();
    Seeded {
        key_id,
        key_arn,
        expected,
    }
}

/// A plan that deletes the seeded key.
fn plan(s: &Seeded) -> std::path::PathBuf {
    let before = json!({"key_id": s.key_id, "id": s.key_id, "arn": s.key_arn, "is_enabled": true, "deletion_window_in_days": 30});
    let doc = json!({"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": [
        {"address": "aws_kms_key.app", "mode": "managed", "type": "aws_kms_key", "name": "app",
         "change": {"actions": ["delete"], "before": before, "after": null, "after_unknown": {}}}
    ]});
    temp_file(
        &format!("discovery-plan-{}.json", s.key_id),
        doc.to_string().as_bytes(),
    )
}

fn keyblast(args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_keyblast"));
    aws_env(&mut cmd).args(args);
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn live_blast(report: &Value) -> BTreeSet<String> {
    let key = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == "aws_kms_key.app")
        .unwrap();
    key["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["origin"] != "plan")
        .map(|b| b["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn discovery_finds_exactly_the_seeded_dependents_live_and_replayed() {
    let moto = Moto::start();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let seeded = rt.block_on(seed(&moto.endpoint));
    let plan = plan(&seeded);
    let p = plan.to_str().unwrap();
    let (code, out, err) = keyblast(&[
        "analyze",
        p,
        "--discover",
        "--endpoint-url",
        &moto.endpoint,
        "--region",
        "us-east-1",
        "--format",
        "json",
        "--quiet",
    ]);
    assert_eq!(code, 0, "{err}");
    let live: Value = report_from(&out);
    assert_eq!(live_blast(&live), seeded.expected, "live discovery");
    assert!(
        !out.contains("kb-test-secret-DO-NOT-PRINT"),
        "parameter values are never read"
    );
    // names are the human ones
    let key = &live["changes"][0];
    let name_of = |id: &str| {
        key["blast_radius"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["id"] == id)
            .unwrap()["name"]
            .clone()
    };
    assert_eq!(name_of(&arn("rds", "db:kb-db")), "kb-db");
    assert_eq!(name_of("arn:aws:s3:::kb-by-arn"), "kb-by-arn");
    assert_eq!(name_of(&arn("logs", "log-group:/kb/app")), "/kb/app");
    // moto answers GetEbsDefaultKmsKeyId with an error: recorded, not hidden
    let errors: Vec<&str> = live["summary"]["discovery"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert_eq!(errors, ["GetEbsDefaultKmsKeyId"]);

    let inv = temp_file(&format!("inventory-{}.json", seeded.key_id), b"");
    let (code, _, err) = keyblast(&[
        "discover",
        "--endpoint-url",
        &moto.endpoint,
        "--region",
        "us-east-1",
        "--output",
        inv.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("discovery incomplete"), "{err}");
    drop(moto); // replay is offline
    let (code, out, err) = keyblast(&[
        "analyze",
        p,
        "--inventory",
        inv.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let replayed: Value = report_from(&out);
    assert_eq!(live_blast(&replayed), seeded.expected, "replayed inventory");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&inv).unwrap()).unwrap();
    assert!(
        saved["resources"].as_array().unwrap().len() > BULK,
        "pagination: every parameter is there"
    );
}

#[test]
fn a_dead_endpoint_makes_discovery_incomplete() {
    let plan = temp_file("dead-endpoint-plan.json", json!({"format_version": "1.2", "resource_changes": [
        {"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k",
         "change": {"actions": ["delete"], "before": {"key_id": "1234abcd-12ab-34cd-56ef-1234567890ab"}, "after": null}}]}).to_string().as_bytes());
    let (code, out, err) = keyblast(&[
        "analyze",
        plan.to_str().unwrap(),
        "--discover",
        "--endpoint-url",
        &dead_endpoint(),
        "--region",
        "us-east-1",
        "--format",
        "json",
        "--quiet",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["discovery"]["complete"], false);
    let ops: BTreeSet<&str> = v["summary"]["discovery"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    for op in [
        "ListKeys",
        "ListBuckets",
        "DescribeDBInstances",
        "DescribeVolumes",
        "ListFunctions",
        "DescribeLogGroups",
        "DescribeParameters",
    ] {
        assert!(ops.contains(op), "{op} not recorded: {ops:?}");
    }
}

/// `discover --output` replaces the inventory whole or not at all (src/atomic.rs).
#[test]
fn the_inventory_is_replaced_whole_or_not_at_all() {
    let dir = temp_dir("atomic-inventory");
    let inv = dir.join("inventory.json");
    std::fs::write(&inv, b"the previous inventory").unwrap();
    let refusing = Refusing::start();
    let endpoint = refusing.endpoint.clone();
    let discover = |out: &std::path::Path| {
        keyblast(&[
            "discover",
            "--endpoint-url",
            &endpoint,
            "--region",
            "us-east-1",
            "--quiet",
            "--output",
            out.to_str().unwrap(),
        ])
    };
    let (code, _, err) = discover(&inv);
    assert_eq!(code, 0, "{err}");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&inv).unwrap()).unwrap();
    assert!(saved["errors"].as_array().is_some_and(|e| !e.is_empty()));
    let taken = dir.join("taken.json");
    std::fs::create_dir(&taken).unwrap();
    let (code, _, err) = discover(&taken);
    assert_eq!(code, 2);
    assert!(err.contains("taken.json: cannot write: "), "{err}");
    assert_eq!(
        left_behind(&dir, &["inventory.json", "taken.json"]),
        Vec::<String>::new()
    );
}

#[test]
fn missing_credentials_are_an_error_up_front() {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_keyblast"));
    aws_env(&mut cmd)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY");
    let out = cmd
        .args([
            "discover",
            "--endpoint-url",
            &dead_endpoint(),
            "--output",
            "/nonexistent/never-written.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no AWS credentials"), "{err}");
}

#[test]
fn discovery_calls_nothing_outside_the_published_policy() {
    let moto = Moto::start();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(seed(&moto.endpoint));
    let policy: Value =
        serde_json::from_str(&std::fs::read_to_string("docs/iam-policy.json").unwrap()).unwrap();
    let allowed: BTreeSet<String> = policy["Statement"][0]["Action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    let log = keyblast::discover::calls::CallLog::default();
    let opts = keyblast::discover::DiscoverOptions {
        regions: vec!["us-east-1".into()],
        endpoint_url: Some(moto.endpoint.clone()),
        concurrency: 4,
        calls: Some(log.clone()),
        credentials: Some(aws_credential_types::Credentials::new(
            "test", "test", None, None, "test",
        )),
        ..Default::default()
    };
    let inv = keyblast::discover::discover(&opts).unwrap();
    assert!(inv.keys.len() >= 2, "per-key calls ran");
    let calls = log.calls();
    for op in [
        "ListKeys",
        "DescribeKey",
        "GetKeyPolicy",
        "ListGrants",
        "GetBucketEncryption",
        "DescribeDBInstances",
        "DescribeVolumes",
        "ListFunctions",
        "DescribeLogGroups",
        "DescribeParameters",
    ] {
        assert!(
            calls.iter().any(|c| c.ends_with(&format!(":{op}"))),
            "{op} not called: {calls:?}"
        );
    }
    // every call is one its service declares, and every declared action is published
    let undeclared: Vec<&String> = calls
        .iter()
        .filter(|c| keyblast::discover::registry::iam_action_of(c).is_none())
        .collect();
    assert!(
        undeclared.is_empty(),
        "calls no registered service declares: {undeclared:?} (all: {calls:?})"
    );
    let outside: Vec<&str> = calls
        .iter()
        .filter_map(|c| keyblast::discover::registry::iam_action_of(c))
        .filter(|a| !allowed.contains(*a))
        .collect();
    assert!(
        outside.is_empty(),
        "calls outside docs/iam-policy.json: {outside:?} (all: {calls:?})"
    );
}

/// Records what discovery reports, in order.
#[derive(Default)]
struct Recorded {
    services: Vec<(String, String)>,
    done: usize,
}

impl keyblast::discover::Progress for Recorded {
    fn service(&mut self, region: &str, service: &str, _: &keyblast::discover::Found) {
        self.services.push((region.into(), service.into()));
    }
    fn done(&mut self, _: &keyblast::inventory::Inventory) {
        self.done += 1;
    }
}

#[test]
fn progress_follows_the_registry_and_global_services_run_once() {
    let moto = Moto::start();
    let opts = keyblast::discover::DiscoverOptions {
        regions: vec!["us-east-1".into(), "eu-west-1".into()],
        endpoint_url: Some(moto.endpoint.clone()),
        concurrency: 2,
        credentials: Some(aws_credential_types::Credentials::new(
            "test", "test", None, None, "test",
        )),
        ..Default::default()
    };
    let mut seen = Recorded::default();
    keyblast::discover::discover_with_progress(&opts, &mut seen).unwrap();
    let names: Vec<&str> = keyblast::discover::registry::SERVICES
        .iter()
        .map(|s| s.name())
        .collect();
    let mut expected: Vec<(String, String)> = Vec::new();
    // regions run sorted; S3 (account-wide) only through the first
    for (i, region) in ["eu-west-1", "us-east-1"].iter().enumerate() {
        for n in &names {
            if i == 0 || *n != "s3" {
                expected.push((region.to_string(), n.to_string()));
            }
        }
    }
    assert_eq!(seen.services, expected);
    assert_eq!(seen.done, 1);
}

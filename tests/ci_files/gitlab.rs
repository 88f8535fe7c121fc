//! The GitLab template: a hidden job to extend, a merge request job, and its script run for real.

use super::{keyblast, read, read_json, run_in, s, sample, temp_dir, yaml, GITLAB_TEMPLATE};
use crate::comment::stand_in::{Dialect, StandIn, TOKEN};

#[test]
fn the_gitlab_template_has_a_hidden_job_a_merge_request_job_and_artifacts_always() {
    let g = yaml(GITLAB_TEMPLATE);
    let text = read(GITLAB_TEMPLATE);
    let hidden = &g[".keyblast"];
    assert!(!hidden.is_badvalue(), "a hidden .keyblast job to extend");
    assert_eq!(s(&hidden["artifacts"]["when"]), "always");
    let job = &g["keyblast"];
    assert_eq!(s(&job["extends"]), ".keyblast");
    let rules = job["rules"].as_vec().unwrap();
    assert!(rules
        .iter()
        .any(|r| s(&r["if"]).contains("$CI_PIPELINE_SOURCE == \"merge_request_event\"")));
    for needle in ["CI_JOB_TOKEN", "GITLAB_TOKEN", "`api` scope", "masked"] {
        assert!(text.contains(needle), "the template explains {needle}");
    }
}

/// The `.keyblast` job's script, run by sh with its variables, in a GitLab-like environment.
#[test]
fn the_gitlab_template_script_runs_for_real_and_comments_on_the_merge_request() {
    let g = yaml(GITLAB_TEMPLATE);
    let hidden = &g[".keyblast"];
    let script: Vec<&str> = hidden["script"].as_vec().unwrap().iter().map(s).collect();
    let dir = temp_dir("gitlab");
    let si = StandIn::start(Dialect::GitLab);
    let mut env = crate::comment::ci_env(&si, Dialect::GitLab);
    for (k, v) in hidden["variables"].as_hash().unwrap() {
        env.insert(s(k).to_string(), s(v).to_string());
    }
    env.insert("KEYBLAST_BIN".into(), keyblast().into());
    env.insert("KEYBLAST_PLANS".into(), sample());
    env.insert("KEYBLAST_TAG".into(), "network".into());
    env.insert("CI_PROJECT_DIR".into(), dir.to_str().unwrap().into());
    let r = run_in(&dir, "sh", &["-c", &script.join("\n")], &env);
    assert_eq!(
        r.code, 1,
        "high is at or above the default fail-on: {}",
        r.stderr
    );
    assert!(!r.stdout.contains(TOKEN) && !r.stderr.contains(TOKEN));
    let json = read_json(dir.join("keyblast-report/keyblast.json"));
    assert_eq!(json["summary"]["overall"], "high");
    assert!(
        std::fs::read_to_string(dir.join("keyblast-report/keyblast.html"))
            .unwrap()
            .to_ascii_lowercase()
            .starts_with("<!doctype html")
    );
    assert!(dir.join("keyblast-report/keyblast.md").is_file());
    let notes = si.comments();
    assert_eq!(notes.len(), 1, "{}", r.stderr);
    assert!(
        notes[0]
            .body
            .starts_with("<!-- keyblast:report tag=network -->\n"),
        "{}",
        &notes[0].body[..80]
    );

    // Outside a merge request pipeline: no note, the gate still decides.
    env.remove("CI_MERGE_REQUEST_IID");
    env.insert("KEYBLAST_FAIL_ON".into(), "none".into());
    let r = run_in(&dir, "sh", &["-c", &script.join("\n")], &env);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(si.comments().len(), 1);
}

/// The template's live discovery, against moto on loopback: the inventory joins the reports.
#[test]
fn the_gitlab_template_discovers_the_live_account_when_asked() {
    let g = yaml(GITLAB_TEMPLATE);
    let hidden = &g[".keyblast"];
    for v in [
        "KEYBLAST_DISCOVER",
        "KEYBLAST_REGIONS",
        "KEYBLAST_AWS_PROFILE",
        "KEYBLAST_ENDPOINT_URL",
    ] {
        assert!(
            !hidden["variables"][v].is_badvalue(),
            "the template declares {v}"
        );
    }
    assert_eq!(s(&hidden["variables"]["KEYBLAST_DISCOVER"]), "false");
    let script: Vec<&str> = hidden["script"].as_vec().unwrap().iter().map(s).collect();
    let moto = crate::moto::Moto::start();
    let dir = temp_dir("gitlab-discover");
    let mut env = std::collections::BTreeMap::new();
    for (k, v) in hidden["variables"].as_hash().unwrap() {
        env.insert(s(k).to_string(), s(v).to_string());
    }
    for (k, v) in [
        ("KEYBLAST_BIN", keyblast()),
        ("KEYBLAST_PLANS", &sample()),
        ("KEYBLAST_FAIL_ON", "none"),
        ("KEYBLAST_DISCOVER", "true"),
        ("KEYBLAST_REGIONS", "us-east-1, eu-west-1"),
        ("KEYBLAST_ENDPOINT_URL", &moto.endpoint),
        ("CI_PROJECT_DIR", dir.to_str().unwrap()),
        // static test credentials; no instance metadata (it would leave loopback)
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ] {
        env.insert(k.to_string(), v.to_string());
    }
    // not a merge request pipeline: no note, only the reports
    let r = run_in(&dir, "sh", &["-c", &script.join("\n")], &env);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let inv = read_json(dir.join("keyblast-report/inventory.json"));
    assert!(inv.is_object(), "{inv}");
    let json = read_json(dir.join("keyblast-report/keyblast.json"));
    assert_eq!(
        json["summary"]["discovery"]["inventories"][0]["regions"],
        serde_json::json!(["eu-west-1", "us-east-1"]),
        "{json:#}"
    );
    assert!(
        std::fs::read_to_string(dir.join("keyblast-report/keyblast.md"))
            .unwrap()
            .contains("Live discovery")
    );

    // discovery that cannot start (no credentials) fails the job before any report
    let dir = temp_dir("gitlab-discover-fails");
    env.remove("AWS_ACCESS_KEY_ID");
    env.remove("AWS_SECRET_ACCESS_KEY");
    env.insert("CI_PROJECT_DIR".into(), dir.to_str().unwrap().into());
    let r = run_in(&dir, "sh", &["-c", &script.join("\n")], &env);
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(!dir.join("keyblast-report/keyblast.json").exists());
}

use keyblast::analyze::{analyze, Analysis, Options};
use keyblast::cli::{run_with_limits, Terminal};
use keyblast::input::Limits;
use keyblast::plan::{load_bytes, Plan};
use keyblast::report::Report;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;

pub const ACCOUNT: &str = "111122223333";
pub const KEY_ID: &str = "1234abcd-12ab-34cd-56ef-1234567890ab";
pub const OTHER_ID: &str = "0987dcba-09fe-87dc-65ba-ab0987654321";

pub fn key_arn(id: &str) -> String {
    format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/{id}")
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real-world plans vendored into the repository (provenance and licenses in its
/// `SOURCES.md` and `LICENSES/`).
pub fn real_fixtures() -> PathBuf {
    repo().join("tests/fixtures/real")
}

/// One `resource_changes` entry.
pub fn rc(address: &str, actions: &[&str], before: Value, after: Value) -> Value {
    let (ty, name) = {
        let parts: Vec<&str> = address.rsplitn(3, '.').collect();
        (parts[1].to_string(), parts[0].to_string())
    };
    json!({
        "address": address, "mode": "managed", "type": ty, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": actions, "before": before, "after": after, "after_unknown": {}}
    })
}

/// A plan document from resource changes and an optional configuration.
pub fn plan_doc(changes: Vec<Value>, configuration: Option<Value>) -> Value {
    let mut doc = json!({"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": changes});
    if let Some(c) = configuration {
        doc["configuration"] = c;
    }
    doc
}

pub fn load(name: &str, doc: &Value) -> Plan {
    load_bytes(name, doc.to_string().as_bytes()).expect("test plan loads")
}

pub fn analyze_docs(docs: &[Value]) -> Analysis {
    let plans = docs
        .iter()
        .enumerate()
        .map(|(i, d)| load(&format!("plan{i}.json"), d))
        .collect();
    analyze(plans, Options::default())
}

/// The JSON report of `a`, [`resolved`].
pub fn report_json(a: &Analysis) -> Value {
    resolved(serde_json::to_value(Report::new(a, None)).unwrap())
}

/// A JSON report read from text (CLI output, a file), [`resolved`].
pub fn report_from(text: &str) -> Value {
    resolved(serde_json::from_str(text).expect("a JSON report"))
}

/// A schema-3 report with its node references resolved, as a script reading the documented
/// schema would: each change's `plan` becomes the plan's path; each blast-radius entry gains
/// the `id` (with ` (deposed X)` for a deposed object), `plan` (path, or null), `origin`,
/// `type` and `name` of its node, and `through` lists ids; `follows_from` lists
/// `{address, plan, change}`; a finding's `subjects.resources` and `cause` become ids. The
/// untouched report is checked by `json_schema` tests.
pub fn resolved(mut report: Value) -> Value {
    assert_eq!(report["schema_version"], 3, "a schema-3 report");
    let plans: Vec<Value> = report["summary"]["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].clone())
        .collect();
    let nodes = report["nodes"].as_array().unwrap().clone();
    let id = |n: &Value| -> Value {
        let v = &nodes[n.as_u64().unwrap() as usize];
        match v["deposed"].as_str() {
            Some(d) => json!(format!("{} (deposed {d})", v["id"].as_str().unwrap())),
            None => v["id"].clone(),
        }
    };
    let plan_of = |n: &Value| -> Value {
        let v = &nodes[n.as_u64().unwrap() as usize];
        v["plan"]
            .as_u64()
            .map_or(Value::Null, |p| plans[p as usize].clone())
    };
    let changes: Vec<Value> = report["changes"].as_array().unwrap().clone();
    for c in report["changes"].as_array_mut().unwrap() {
        c["plan"] = plans[c["plan"].as_u64().unwrap() as usize].clone();
        for b in c["blast_radius"].as_array_mut().unwrap() {
            let n = &nodes[b["node"].as_u64().unwrap() as usize];
            b["id"] = id(&b["node"]);
            b["plan"] = plan_of(&b["node"]);
            b["origin"] = n["origin"].clone();
            b["type"] = n["type"].clone();
            b["name"] = n["name"].clone();
            let through: Vec<Value> = b["through"].as_array().unwrap().iter().map(id).collect();
            b["through"] = json!(through);
        }
        if let Some(f) = c.get_mut("follows_from").and_then(Value::as_array_mut) {
            for x in f.iter_mut() {
                let n = &nodes[x.as_u64().unwrap() as usize];
                let k = &changes[n["change"].as_u64().unwrap() as usize];
                *x = json!({"address": k["address"], "plan": plans[k["plan"].as_u64().unwrap() as usize], "change": k["change"]});
            }
        }
        for f in c["findings"].as_array_mut().unwrap() {
            if let Some(rs) = f
                .pointer_mut("/subjects/resources")
                .and_then(Value::as_array_mut)
            {
                for x in rs.iter_mut() {
                    *x = id(x);
                }
            }
            if let Some(x) = f.get_mut("cause") {
                *x = id(x);
            }
        }
    }
    report
}

/// The change entry for `address` in a JSON report.
pub fn change<'a>(report: &'a Value, address: &str) -> &'a Value {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == address)
        .unwrap_or_else(|| panic!("no change {address} in {report:#}"))
}

/// Rule slugs of a change's findings.
pub fn rules_of(report: &Value, address: &str) -> Vec<String> {
    change(report, address)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

/// Blast radius ids of a change.
pub fn blast_ids(report: &Value, address: &str) -> Vec<String> {
    change(report, address)["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap().to_string())
        .collect()
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the CLI in-process, in an empty environment (a CI runner's variables, such as
/// GITHUB_STEP_SUMMARY, never reach it).
pub fn cli<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    cli_env(args, &BTreeMap::new(), b"")
}

/// Runs the CLI in-process with `env` as its environment and `stdin` as its standard input.
pub fn cli_env<I, S>(args: I, env: &BTreeMap<String, String>, stdin: &[u8]) -> Run
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    let mut input = stdin;
    cli_with(args, env, &mut input, Limits::default())
}

/// Runs the CLI in-process with `stdin` as its standard input and other input `limits` (a
/// lower size cap, a shorter wait for a named pipe's writer).
pub fn cli_with<I, S>(
    args: I,
    env: &BTreeMap<String, String>,
    stdin: &mut dyn std::io::Read,
    limits: Limits,
) -> Run
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    let mut argv: Vec<OsString> = vec!["keyblast".into()];
    argv.extend(args.into_iter().map(Into::into));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_with_limits(
        argv,
        Terminal::default(),
        env,
        stdin,
        &mut out,
        &mut err,
        limits,
    );
    Run {
        code,
        stdout: String::from_utf8(out).unwrap(),
        stderr: String::from_utf8(err).unwrap(),
    }
}

/// Writes `content` to a file in this test run's temporary folder and returns its path.
pub fn temp_file(name: &str, content: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keyblast-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name.replace('/', "_"));
    std::fs::write(&path, content).unwrap();
    path
}

/// A fresh, empty folder in this test run's temporary folder.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("keyblast-test-{}", std::process::id()))
        .join(format!("{}.d", name.replace('/', "_")));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The names in `dir` other than `keep`, sorted: what a write left behind.
pub fn left_behind(dir: &std::path::Path, keep: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect();
    names.sort();
    names
}

/// Every format of `report`, rendered in memory: `(format, output)`, JSON first (the fuzz
/// targets' own function, so both render exactly the same set).
pub fn all_formats(report: &Report) -> Vec<(&'static str, String)> {
    crate::fuzz_checks::render_all(report)
}

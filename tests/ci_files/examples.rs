//! Every CI file parses; the GitHub, Bitbucket and Azure examples; the placeholder owner.

use super::{
    keys, name_char, read, readme_in_ci, s, yaml, ACTION, AZURE_EXAMPLE, BITBUCKET_EXAMPLE,
    GITHUB_EXAMPLE, OWNER, YAML_FILES,
};
use crate::common::repo;
use std::collections::BTreeSet;

#[test]
fn every_ci_file_parses_and_is_checked_here() {
    for f in YAML_FILES {
        yaml(f);
    }
    // A new example is checked too: every YAML file under examples/ is one of the above.
    let mut found = Vec::new();
    let mut stack = vec![repo().join("examples")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yml" || x == "yaml") {
                let rel = p
                    .strip_prefix(repo())
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                found.push(rel);
            }
        }
    }
    found.sort();
    let mut listed: Vec<String> = YAML_FILES[1..].iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        found, listed,
        "examples/ holds exactly the files this module checks"
    );
}

#[test]
fn the_github_example_plans_uses_the_action_with_declared_inputs_and_the_permissions_it_needs() {
    let w = yaml(GITHUB_EXAMPLE);
    let text = read(GITHUB_EXAMPLE);
    assert_eq!(s(&w["permissions"]["pull-requests"]), "write");
    assert_eq!(s(&w["permissions"]["contents"]), "read");
    assert!(
        !w["on"]["pull_request"].is_badvalue(),
        "runs on pull requests"
    );
    let inputs: BTreeSet<String> = keys(&yaml(ACTION)["inputs"]).into_iter().collect();
    let mut found = false;
    let mut saw_show = false;
    for job in w["jobs"].as_hash().unwrap().values() {
        for st in job["steps"].as_vec().unwrap() {
            if s(&st["run"]).contains("terraform show -json") {
                saw_show = true;
            }
            let u = s(&st["uses"]);
            if u.starts_with(&format!("{OWNER}/keyblast@")) {
                found = true;
                assert!(saw_show, "the plan JSON is made before the action runs");
                for k in keys(&st["with"]) {
                    assert!(
                        inputs.contains(&k),
                        "with: {k} is not an input of the action"
                    );
                }
                assert!(!s(&st["with"]["plan-path"]).is_empty());
                assert!(s(&st["with"]["plan-path"]).ends_with("plan.json"));
            }
        }
    }
    assert!(found, "uses: {OWNER}/keyblast@...");
    for needle in [
        "fork",
        "403",
        "pull_request_target",
        "allow-comment-failure",
        "SHA",
    ] {
        assert!(text.contains(needle), "the example explains {needle}");
    }
}

#[test]
fn the_placeholder_owner_is_the_same_everywhere() {
    let mut texts: Vec<(String, String)> = YAML_FILES
        .iter()
        .map(|f| (f.to_string(), read(f)))
        .collect();
    texts.push(("docs/ci.md".into(), read("docs/ci.md")));
    texts.push(("README.md".into(), readme_in_ci()));
    texts.push((
        "examples/gitlab/README.md".into(),
        read("examples/gitlab/README.md"),
    ));
    let mut seen = 0;
    for (f, t) in &texts {
        for needle in ["/keyblast@", "/keyblast.git", "/keyblast/"] {
            let mut rest = t.as_str();
            while let Some(i) = rest.find(needle) {
                let owner: String = rest[..i]
                    .chars()
                    .rev()
                    .take_while(|c| name_char(*c))
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                rest = &rest[i + needle.len()..];
                if owner.is_empty() || ["examples", "github", "gitlab"].contains(&owner.as_str()) {
                    continue;
                }
                seen += 1;
                assert_eq!(owner, OWNER, "{f}: {owner}{needle}");
            }
        }
    }
    assert!(seen >= 8, "{seen}");
}

#[test]
fn the_bitbucket_and_azure_examples_post_with_their_tokens_and_keep_the_reports() {
    let b = yaml(BITBUCKET_EXAMPLE);
    let bt = read(BITBUCKET_EXAMPLE);
    assert!(bt.contains("BITBUCKET_TOKEN") && bt.contains("pullrequest:write"));
    let steps = b["pipelines"]["pull-requests"]["**"].as_vec().unwrap();
    let last = &steps.last().unwrap()["step"];
    let script: Vec<&str> = last["script"].as_vec().unwrap().iter().map(s).collect();
    assert!(script
        .last()
        .unwrap()
        .contains("--comment bitbucket --fail-on"));
    assert!(last["artifacts"]
        .as_vec()
        .unwrap()
        .iter()
        .any(|a| s(a).starts_with("keyblast-report")));

    let a = yaml(AZURE_EXAMPLE);
    let at = read(AZURE_EXAMPLE);
    assert!(at.contains("Contribute to pull requests"));
    let steps = a["steps"].as_vec().unwrap();
    let post = steps
        .iter()
        .find(|st| s(&st["script"]).contains("--comment azure-devops"))
        .expect("a step posts the comment");
    // The job token is not in the environment unless mapped explicitly.
    assert_eq!(
        s(&post["env"]["SYSTEM_ACCESSTOKEN"]),
        "$(System.AccessToken)"
    );
    let publish = steps
        .iter()
        .find(|st| s(&st["task"]).starts_with("PublishPipelineArtifact@"))
        .expect("the reports are published");
    assert_eq!(s(&publish["condition"]), "always()");
}

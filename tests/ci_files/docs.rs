//! docs/ci.md and the README's `## In CI` section cover the action.

use super::{keys, read, readme_in_ci, yaml, ACTION, OWNER};

#[test]
fn docs_ci_lists_every_input_and_output_of_the_action() {
    let doc = read("docs/ci.md");
    let a = yaml(ACTION);
    for section in ["inputs", "outputs"] {
        for name in keys(&a[section]) {
            assert!(
                doc.contains(&format!("| `{name}` |")),
                "docs/ci.md has a table row for the {section} `{name}`"
            );
        }
    }
    for needle in [
        "pull-requests: write",
        "pull_request_target",
        "CI_JOB_TOKEN",
        "BITBUCKET_TOKEN",
        "SYSTEM_ACCESSTOKEN",
        "Contribute to pull requests",
        "--allow-failure",
        "--tag",
        "SHA",
        "hashFiles",
    ] {
        assert!(doc.contains(needle), "docs/ci.md covers {needle}");
    }
    let readme = readme_in_ci();
    assert!(readme.contains("docs/ci.md"));
    assert!(readme.contains(&format!("uses: {OWNER}/keyblast@")));
    assert!(readme.contains("include:"));
}

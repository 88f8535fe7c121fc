use crate::common::{cli, temp_file};

/// Runs `analyze` on a file with `content` and returns (exit code, stderr).
fn refuse(name: &str, content: &[u8]) -> (i32, String) {
    let path = temp_file(name, content);
    let r = cli(["analyze".as_ref(), path.as_os_str()]);
    assert!(r.stdout.is_empty(), "nothing on stdout for unusable input");
    (r.code, r.stderr)
}

fn one_line(stderr: &str) -> &str {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one clear line, got {stderr:?}");
    lines[0]
}

#[test]
fn binary_plan_file_gets_a_hint() {
    let (code, err) = refuse("tfplan", b"PK\x03\x04\x14\x00\x00\x00rest-of-zip");
    assert_eq!(code, 2);
    let line = one_line(&err);
    assert!(
        line.contains("tfplan")
            && line.contains("binary plan")
            && line.contains("terraform show -json tfplan > plan.json"),
        "{line}"
    );
}

#[test]
fn state_files_are_told_apart() {
    let (code, err) = refuse("terraform.tfstate", br#"{"version": 4, "terraform_version": "1.5.0", "serial": 3, "lineage": "x", "resources": []}"#);
    assert_eq!(code, 2);
    assert!(one_line(&err).contains("state file"), "{err}");
    let (code, err) = refuse("state.json", br#"{"format_version": "1.0", "terraform_version": "1.5.0", "values": {"root_module": {}}}"#);
    assert_eq!(code, 2);
    assert!(
        one_line(&err).contains("of a state, not of a plan"),
        "{err}"
    );
}

#[test]
fn empty_object_empty_file_and_array_are_refused() {
    for (name, content, expect) in [
        ("empty-object.json", &b"{}"[..], "not a Terraform plan"),
        ("empty.json", &b"  \n"[..], "file is empty"),
        ("array.json", &b"[1, 2]"[..], "JSON array"),
        ("number.json", &b"42"[..], "invalid JSON"),
    ] {
        let (code, err) = refuse(name, content);
        assert_eq!(code, 2, "{name}");
        let line = one_line(&err);
        assert!(
            line.contains(name) && line.contains(expect),
            "{name}: {line}"
        );
    }
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let (code, err) = refuse(
        "broken.json",
        b"{\n  \"format_version\": \"1.2\",\n  \"resource_changes\": [,]\n}",
    );
    assert_eq!(code, 2);
    let line = one_line(&err);
    assert!(line.contains("broken.json:3:"), "{line}");
}

#[test]
fn invalid_utf8_and_odd_utf16_are_refused() {
    let (code, err) = refuse("latin1.json", b"{\"format_version\": \"\xe9\"}");
    assert_eq!(code, 2);
    assert!(one_line(&err).contains("not UTF-8"), "{err}");
    let (code, err) = refuse("odd16.json", b"\xff\xfe{\x00\x00");
    assert_eq!(code, 2);
    assert!(one_line(&err).contains("UTF-16"), "{err}");
}

#[test]
fn missing_file_is_exit_2() {
    let r = cli(["analyze", "/nonexistent/keyblast/plan.json"]);
    assert_eq!(r.code, 2);
    assert!(
        one_line(&r.stderr).contains("/nonexistent/keyblast/plan.json: cannot read"),
        "{}",
        r.stderr
    );
}

#[test]
fn wrong_shapes_are_refused_not_scored() {
    // Each of these used to load (wrong types were dropped) and be scored; see
    // tests/malformed.rs for one case per field.
    for (i, (body, at)) in [
        (r#"{"format_version":"1.2","resource_changes":"nope"}"#, " resource_changes: "),
        (r#"{"format_version":"1.2","resource_changes":[{"address":5,"change":{"actions":"delete","before":[1],"after":"x"}}]}"#, " resource_changes[0].address: "),
        (r#"{"format_version":"1.2","resource_changes":[null, {"change": null}]}"#, " resource_changes[0]: "),
        (r#"{"format_version":"1.2","configuration":{"root_module":{"resources":"x","module_calls":[1]}},"resource_changes":[]}"#, " configuration.root_module.resources: "),
        (r#"{"format_version":"1.2","prior_state":{"values":{"root_module":{"resources":[{"address":"a.b","type":"t","values":7}]}}}}"#, " prior_state.values.root_module.resources[0].values: "),
        (r#"{"format_version":"1.2","prior_state":{"values":{"root_module":{"resources":[{"address":"a.b","type":"t","values":{}}],"child_modules":"x"}}}}"#, " prior_state.values.root_module.child_modules: "),
    ]
    .iter()
    .enumerate()
    {
        let (code, err) = refuse(&format!("shape{i}.json"), body.as_bytes());
        assert_eq!(code, 2, "{body}: {err}");
        let line = one_line(&err);
        assert!(
            line.contains(&format!("shape{i}.json:1:")) && line.contains(at),
            "{body}: {line}"
        );
    }
}

#[test]
fn prior_state_values_of_changed_resources_are_not_read() {
    // the prior state repeats every resource of resource_changes; those copies are never
    // built (a large plan's second copy), so they are not checked either, as planned_values
    let body = r#"{"format_version":"1.2","resource_changes":[{"address":"aws_s3_bucket.b","type":"aws_s3_bucket","name":"b","change":{"actions":["no-op"],"before":{"bucket":"b"},"after":{"bucket":"b"}}}],
"prior_state":{"values":{"root_module":{"resources":[{"address":"aws_s3_bucket.b","type":"aws_s3_bucket","values":{"bucket":"b","bucket":"c"}},
{"address":"aws_kms_key.k","type":"aws_kms_key","values":
   {"key_id":5}}]}}}}"#;
    let (code, err) = refuse("prior.json", body.as_bytes());
    assert_eq!(code, 2, "{err}");
    // the one that is read is checked, named by its path
    let line = one_line(&err);
    assert!(
        line.contains(" prior_state.values.root_module.resources[1].values.key_id: "),
        "{line}"
    );
    let ok = body.replace(r#"{"key_id":5}"#, r#"{"key_id":"k"}"#);
    let path = temp_file("prior-ok.json", ok.as_bytes());
    let r = cli(["analyze".as_ref(), path.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn an_unknown_major_format_version_is_refused() {
    // Terraform bumps the major version only for changes a reader cannot ignore
    let plan = |v: &str| {
        format!(
            r#"{{"format_version":"{v}","resource_changes":[{{"address":"aws_kms_key.k","type":"aws_kms_key","name":"k","change":{{"actions":["delete"],"before":{{"key_id":"k"}},"after":null}}}}]}}"#
        )
    };
    for (v, want) in [
        (
            "2.0",
            "format_version: keyblast does not know this plan format version: \"2.0\"",
        ),
        (
            "10",
            "format_version: keyblast does not know this plan format version: \"10\"",
        ),
        (
            "one",
            "format_version: expected a version such as \"1.2\", found \"one\"",
        ),
        (
            "",
            "format_version: expected a version such as \"1.2\", found \"\"",
        ),
    ] {
        let (code, err) = refuse("fv.json", plan(v).as_bytes());
        assert_eq!(code, 2, "{v}: {err}");
        assert!(one_line(&err).contains(want), "{v}: {err}");
    }
    // minor versions only add: a newer 1.x is read
    for v in ["0.1", "1.2", "1.9"] {
        let path = temp_file("fv-ok.json", plan(v).as_bytes());
        let r = cli(["analyze".as_ref(), path.as_os_str()]);
        assert_eq!(r.code, 0, "{v}: {}", r.stderr);
    }
}

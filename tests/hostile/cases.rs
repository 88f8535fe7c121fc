//! Every hostile case, with its expected outcome: the one table to read.
//!
//! A pull request's author controls the plans, inventories and comment bodies keyblast reads,
//! their file names, and every string in them; keyblast posts its report publicly and prints
//! to terminals and CI logs. Each row below is one thing such an author (or an unlucky user)
//! does, the input made real — a file of `tests/hostile/corpus/`, a plan built in code (too
//! large or too deep for a file), a named pipe, a device, an endless or a real pipe on
//! standard input — and what keyblast must do: its exit status, a fragment of its message or
//! report, text that must appear in no output, and for some a further check (`checks.rs`).
//!
//! Every run of every case also keeps the invariants of `run.rs`: messages are single lines
//! of bounded length with no control or invisible character; an error prints no report; a
//! human format (text, markdown, HTML, DOT, Mermaid) holds no control character and no
//! invisible one it did not write itself. Every case runs on a 2 MiB stack.
//!
//! `also` names the tests that put the same input under other conditions (the binary with a
//! 2 MiB main thread, random variations, larger sizes); a test checks they exist.

use super::checks::*;
use super::plans::*;
use super::run::{Case, Input, ALL, INPUT, SHORT};
use crate::common::repo;

/// What the pre-0.15 plan holds that no output may show: the secrets, and the ids of the
/// keys some of them name (a key known only from a secret is never shown).
pub const SECRETS: &[&str] = &["kb-secret-", "5ec2e7a"];

/// A hostile file name: a terminal escape that clears the screen, a newline that forges a
/// message, and a right-to-left override that makes `.json` read backwards.
pub const EVIL_NAME: &str = "evil\u{1b}[2J\nkeyblast: error: forged\u{202e}nosj.json";

fn key_delete() -> Vec<u8> {
    std::fs::read(repo().join("samples/key-delete/plan.json")).unwrap()
}

pub fn cases() -> Vec<Case> {
    vec![
        // --- inputs that never start or never end -------------------------------------
        Case::new("a named pipe (FIFO) nothing writes to, as the plan", Input::Fifo, &["analyze", INPUT])
            .limits(SHORT)
            .fails(&[": nothing opened this named pipe (FIFO) for writing within 0.2 s; start its writer first, or pass the plan as a file or on standard input (-)"]),
        Case::new("/dev/zero as the plan: endless, and no size to check first", Input::Device("/dev/zero"), &["analyze", INPUT])
            .limits(SHORT)
            .fails(&["keyblast: error: /dev/zero: the plan is larger than 1048576 bytes (1 MiB); keyblast reads at most that much"]),
        Case::new("/dev/zero as an inventory", Input::Device("/dev/zero"), &["analyze", "{repo}/samples/key-delete/plan.json", "--inventory", INPUT])
            .limits(SHORT)
            .fails(&["keyblast: error: /dev/zero: the inventory is larger than 1048576 bytes (1 MiB)"]),
        Case::new("an endless pipe on standard input (-)", Input::Endless, &["analyze", INPUT])
            .limits(SHORT)
            .fails(&["keyblast: error: standard input: the plan is larger than 1048576 bytes (1 MiB)"]),
        Case::new("the plan piped in: `terraform show -json tfplan | keyblast analyze -` (the binary, a real pipe)", Input::Pipe(key_delete), &["analyze", INPUT])
            .reports(0, &["keyblast: HIGH risk", "aws_kms_key.main delete"]),
        Case::new("standard input given for a plan and an inventory", Input::Stdin(key_delete), &["analyze", INPUT, "--inventory", INPUT])
            .fails(&["keyblast: error: standard input (-) is given 2 times; only one plan or inventory can be read from it"]),
        Case::new("a comment body from a named pipe nothing writes to", Input::Fifo, &["comment", "github", "--body-file", INPUT])
            .limits(SHORT)
            .fails(&["for writing within 0.2 s; start its writer first, or pass the comment body as a file or on standard input (-)"])
            .also(&["comment::environment::body_file_from_standard_input_and_its_limits"]),
        Case::new("an endless comment body on standard input", Input::Endless, &["comment", "github", "--body-file", INPUT])
            .limits(SHORT)
            .fails(&["keyblast: error: standard input: the comment body is larger than 1048576 bytes (1 MiB)"]),
        // --- file names and messages -----------------------------------------------------
        Case::new("control and bidi characters in the name of a file that is not a plan", Input::Built(EVIL_NAME, || b"{}".to_vec()), &["analyze", INPUT])
            .fails(&[
                "keyblast: error: ",
                "evil\\u{1b}[2J\\nkeyblast: error: forged\\u{202e}nosj.json: ",
                "not a Terraform plan",
            ]),
        Case::new("the same file name on a plan that is read, in every format", Input::Built(EVIL_NAME, key_delete), &["analyze", INPUT])
            .formats(ALL)
            .reports(0, &[])
            .check(file_name_exact_in_json_shown_in_html),
        Case::new("a 100 kB string where a change belongs", Input::Built("huge-change.json", huge_change), &["analyze", INPUT])
            .fails(&["huge-change.json:1:", " resource_changes[0].change: expected an object (the change of a resource), found a string"])
            .check(one_short_line),
        Case::new("100 kB of action text that forges a line and colours the terminal", Input::Built("huge-action.json", huge_action), &["analyze", INPUT])
            .fails(&[" resource_changes[0].change.actions[0]: keyblast does not know this action: \"tele\\nport\\u{1b}[31mxxxx", "xxxx…xxxx"])
            .check(one_short_line),
        // --- deep plans ----------------------------------------------------------------------
        Case::new("modules nested 100 deep: a volume 100 modules down gets the root's key, which is replaced", Input::Built("deep-modules.json", || deep_plan().to_string().into_bytes()), &["analyze", INPUT])
            .formats(ALL)
            .reports(0, &[])
            .check(deep_volume_reached)
            .also(&[
                "hostile::depth::the_binary_reads_deep_plans_on_a_2_mib_main_thread",
                "hostile::depth::the_deepest_module_trees_are_followed_up_and_down",
            ]),
        Case::new("a value nested 100,000 arrays deep", Input::Built("hostile-depth.json", hostile_depth), &["analyze", INPUT])
            .fails(&["hostile-depth.json:1:", "nested deeper than 1000 levels"])
            .also(&["hostile::depth::the_binary_reads_deep_plans_on_a_2_mib_main_thread"]),
        Case::new("a value nested just within the limit", Input::Built("within-depth.json", within_depth), &["analyze", INPUT])
            .formats(&["json"])
            .reports(0, &["\"aws_s3_bucket.b\""]),
        Case::new("3,000 values each nested past serde_json's limit (each scanned alone)", Input::Built("many-deep.json", many_deep_values), &["analyze", INPUT])
            .formats(&["json"])
            .reports(0, &["\"aws_s3_bucket.b2999\""]),
        // --- secrets ---------------------------------------------------------------------------
        Case::new(
            "a pre-0.15 plan (no sensitive marks): data.aws_kms_secrets' plaintext map, aws_kms_ciphertext's plaintext, aws_ssm_parameter values, aws_secretsmanager_secret_version strings, some of them key ARNs, in changes and prior state",
            Input::File("tests/hostile/corpus/pre-0.15-secrets.json"),
            &["analyze", INPUT],
        )
        .formats(ALL)
        .reports(0, &["aws_kms_key.k"])
        .never(SECRETS)
        .check(secrets_gone_when_read)
        .also(&["sensitive::secrets_never_reach_any_format", "hostile_props::marked_values_never_show"]),
        // --- plan text in public ---------------------------------------------------------------
        Case::new(
            "links, mentions and references in plan text: www., https://, a@b.co, @here, #123, GH-5, org/repo#7, org/repo@sha, :shipit:, markup",
            Input::Built("references.json", || hostile_plan(HOSTILE).to_string().into_bytes()),
            &["analyze", INPUT],
        )
        .formats(ALL)
        .reports(0, &[])
        .check(nothing_linked_mentioned_or_referenced)
        .also(&[
            "hostile_props::the_comment_holds_nothing_keyblast_did_not_write",
            "html_escape::hostile_text_is_escaped_everywhere",
        ]),
        Case::new(
            "bidi overrides, isolates and zero-width characters in addresses (Trojan Source)",
            Input::Built("invisible.json", || hostile_plan(&invisible_text()).to_string().into_bytes()),
            &["analyze", INPUT],
        )
        .formats(ALL)
        .reports(0, &[])
        .check(invisible_characters_written_out),
        Case::new(
            "terminal escapes and control characters in plan text (clear screen, window title, carriage return, C1 CSI)",
            Input::Built("escapes.json", || hostile_plan("\u{1b}[2J\u{1b}]0;pwned\u{7}\r\n\u{9b}31m\u{0}").to_string().into_bytes()),
            &["analyze", INPUT],
        )
        .formats(ALL)
        .reports(0, &["pwned"])
        .also(&["cli::text_output_has_no_colour_when_not_a_tty_and_escapes_control_chars"]),
        Case::new("a 100 kB address among 300 high changes", Input::Built("long-names.json", || long_names_plan().to_string().into_bytes()), &["analyze", INPUT])
            .formats(ALL)
            .reports(0, &[])
            .check(every_high_title_kept),
        Case::new(
            "a policy storm: keys whose policies each drop 50 principals (one finding each)",
            Input::Built("policy-storm.json", || crate::bounded_outputs::policy_storm(2, 50).to_string().into_bytes()),
            &["analyze", INPUT],
        )
        .formats(ALL)
        .reports(0, &[])
        .check(findings_left_out_said)
        .also(&[
            "bounded_outputs::human_formats_follow_the_changes_and_json_the_analysis",
            "bounded_outputs::dot_and_mermaid_are_linear_in_the_graph",
        ]),
    ]
}

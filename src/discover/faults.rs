//! Faults an emulator cannot produce, with aws-smithy-mocks: a pagination loop (a service
//! that returns the same marker forever), a throttling storm that retries ride out, and
//! AccessDenied on one key's policy and one bucket's encryption — each recorded, never
//! fatal, never silently dropped.

use super::context::RegionCtx;
use super::found::Found;
use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_kms::operation::describe_key::DescribeKeyOutput;
use aws_sdk_kms::operation::get_key_policy::{GetKeyPolicyError, GetKeyPolicyOutput};
use aws_sdk_kms::operation::list_aliases::ListAliasesOutput;
use aws_sdk_kms::operation::list_grants::ListGrantsOutput;
use aws_sdk_kms::operation::list_keys::{ListKeysError, ListKeysOutput};
use aws_sdk_kms::operation::list_resource_tags::ListResourceTagsOutput;
use aws_sdk_kms::types::{KeyListEntry, KeyMetadata};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_types::error::ErrorMetadata;

fn ctx() -> RegionCtx {
    RegionCtx {
        region: "us-east-1".into(),
        account: Some("123456789012".into()),
        partition: "aws".into(),
        conf: SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .build(),
        custom_endpoint: true,
        concurrency: 2,
        calls: None,
    }
}

fn run<F: std::future::Future<Output = Found>>(f: F) -> Found {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn error(code: &str) -> ErrorMetadata {
    ErrorMetadata::builder()
        .code(code)
        .message(format!("{code} (mocked)"))
        .build()
}

/// The same marker forever: the paginator must stop, and the keys it saw are kept.
#[test]
fn a_pagination_loop_terminates() {
    let keys = mock!(aws_sdk_kms::Client::list_keys).then_output(|| {
        ListKeysOutput::builder()
            .keys(KeyListEntry::builder().key_id("k1").build())
            .truncated(true)
            .next_marker("same-marker")
            .build()
    });
    let describe = mock!(aws_sdk_kms::Client::describe_key).then_output(|| {
        DescribeKeyOutput::builder()
            .key_metadata(
                KeyMetadata::builder()
                    .key_id("k1")
                    .arn("arn:aws:kms:us-east-1:123456789012:key/k1")
                    .build()
                    .unwrap(),
            )
            .build()
    });
    let other =
        mock!(aws_sdk_kms::Client::list_grants).then_output(|| ListGrantsOutput::builder().build());
    let aliases = mock!(aws_sdk_kms::Client::list_aliases)
        .then_output(|| ListAliasesOutput::builder().build());
    let policy = mock!(aws_sdk_kms::Client::get_key_policy)
        .then_output(|| GetKeyPolicyOutput::builder().policy("{}").build());
    let tags = mock!(aws_sdk_kms::Client::list_resource_tags)
        .then_output(|| ListResourceTagsOutput::builder().build());
    let client = mock_client!(
        aws_sdk_kms,
        RuleMode::MatchAny,
        [&keys, &describe, &other, &aliases, &policy, &tags]
    );
    let c = ctx();
    let found = run(super::kms::discover_with(&client, &c));
    assert!(!found.keys.is_empty(), "{found:?}");
    assert!(found.keys.iter().all(|k| k.key_id == "k1"));
    assert!(
        keys.num_calls() < 10,
        "the loop was cut short ({} calls)",
        keys.num_calls()
    );
}

/// Five throttling errors, then success: retries with backoff ride it out; a persistent
/// AccessDenied on one key's policy is recorded with its code and the key.
#[test]
fn throttling_is_retried_and_access_denied_is_recorded() {
    let keys = mock!(aws_sdk_kms::Client::list_keys)
        .sequence()
        .error(|| ListKeysError::generic(error("ThrottlingException")))
        .times(2)
        .output(|| {
            ListKeysOutput::builder()
                .keys(KeyListEntry::builder().key_id("k1").build())
                .build()
        })
        .build();
    let describe = mock!(aws_sdk_kms::Client::describe_key).then_output(|| {
        DescribeKeyOutput::builder()
            .key_metadata(
                KeyMetadata::builder()
                    .key_id("k1")
                    .arn("arn:aws:kms:us-east-1:123456789012:key/k1")
                    .build()
                    .unwrap(),
            )
            .build()
    });
    let policy = mock!(aws_sdk_kms::Client::get_key_policy)
        .then_error(|| GetKeyPolicyError::generic(error("AccessDeniedException")));
    let other =
        mock!(aws_sdk_kms::Client::list_grants).then_output(|| ListGrantsOutput::builder().build());
    let aliases = mock!(aws_sdk_kms::Client::list_aliases)
        .then_output(|| ListAliasesOutput::builder().build());
    let tags = mock!(aws_sdk_kms::Client::list_resource_tags)
        .then_output(|| ListResourceTagsOutput::builder().build());
    let client = mock_client!(
        aws_sdk_kms,
        RuleMode::MatchAny,
        [&keys, &describe, &policy, &other, &aliases, &tags],
        |b| b.retry_config(
            RetryConfig::standard()
                .with_max_attempts(4)
                .with_initial_backoff(std::time::Duration::from_millis(1))
        )
    );
    let c = ctx();
    let found = run(super::kms::discover_with(&client, &c));
    assert_eq!(
        found.keys.len(),
        1,
        "throttling did not lose the key: {found:?}"
    );
    let denied: Vec<_> = found
        .errors
        .iter()
        .filter(|e| e.operation == "GetKeyPolicy")
        .collect();
    assert_eq!(denied.len(), 1, "{:?}", found.errors);
    assert_eq!(denied[0].code.as_deref(), Some("AccessDeniedException"));
    assert_eq!(denied[0].resource.as_deref(), Some("k1"));
    assert!(
        !found.errors.iter().any(|e| e.operation == "ListKeys"),
        "throttling was retried: {:?}",
        found.errors
    );
}

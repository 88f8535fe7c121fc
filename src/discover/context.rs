//! Per-region SDK configuration: the standard credential chain (env, profiles, SSO, web
//! identity, IMDS), `--profile`, `--endpoint-url` or `AWS_ENDPOINT_URL`, standard retries
//! with backoff (throttling included) and per-call timeouts.

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use std::time::Duration;

/// What every service needs to run in one region.
#[derive(Clone)]
pub struct RegionCtx {
    pub region: String,
    pub account: Option<String>,
    pub partition: String,
    pub conf: SdkConfig,
    /// A custom endpoint is in use (LocalStack, moto): S3 needs path-style addressing.
    pub custom_endpoint: bool,
    /// Bound on the calls each service has in flight in this region.
    pub concurrency: usize,
    /// Records every call when set (tests).
    pub calls: Option<super::calls::CallLog>,
}

/// A service client for `ctx`, with the call log attached when there is one.
macro_rules! client {
    ($sdk:ident, $ctx:expr) => {{
        #[allow(unused_mut)]
        let mut b = $sdk::config::Builder::from(&$ctx.conf);
        if let Some(log) = &$ctx.calls {
            b = b.interceptor(log.clone());
        }
        $sdk::Client::from_conf(b.build())
    }};
}
pub(crate) use client;

impl RegionCtx {
    /// ARN prefix for resources the APIs do not return ARNs for: `arn:aws:ec2:us-east-1:123:`.
    pub fn arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:{}:{service}:{}:{}:{resource}",
            self.partition,
            self.region,
            self.account.as_deref().unwrap_or("")
        )
    }
}

/// Standard retries: up to four attempts, with exponential backoff and jitter; throttling
/// (`ThrottlingException`, `SlowDown`, ...) and transient errors are retried.
pub fn retry() -> RetryConfig {
    RetryConfig::standard().with_max_attempts(4)
}

/// Loads the shared configuration for `region`.
pub async fn load(
    region: Option<&str>,
    opts: &super::DiscoverOptions,
    endpoint: Option<&str>,
) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(Duration::from_secs(20))
                .operation_timeout(Duration::from_secs(60))
                .build(),
        );
    if let Some(r) = region {
        loader = loader.region(Region::new(r.to_string()));
    }
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(c) = &opts.credentials {
        loader = loader.credentials_provider(c.clone());
    }
    if let Some(e) = endpoint {
        loader = loader.endpoint_url(e);
    }
    loader.load().await
}

/// The partition of a region name.
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

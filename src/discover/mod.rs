//! Live discovery: everything in an AWS account that uses a KMS key, with the AWS SDK for
//! Rust. One file per service behind one trait ([`service::Service`]), listed once in
//! [`registry::SERVICES`]; each returns what it [`Found`] in one region, failures included,
//! and never calls anything but the read-only operations it declares (which are exactly
//! docs/iam-policy.json).
//!
//! Credentials and region come from the standard chain (env, profiles, SSO, web identity,
//! IMDS); `--profile`, repeated `--region`, `--endpoint-url` adjust it (the CLI resolves
//! `AWS_ENDPOINT_URL` into [`DiscoverOptions::endpoint_url`]: the library reads no
//! environment variable of its own and prints nothing; progress goes to a [`Progress`] sink).
//! Missing credentials are an error up front; every other failure (AccessDenied on one
//! bucket, a service not enabled in a region, a dead endpoint) is recorded in the inventory.

#[cfg(test)]
mod bound;
#[cfg(test)]
mod bucket_regions;
pub mod calls;
mod context;
mod ec2;
#[cfg(test)]
mod faults;
mod found;
mod kms;
mod lambda;
mod limit;
mod logs;
#[cfg(test)]
mod pages;
pub mod progress;
mod rds;
pub mod registry;
mod s3;
pub mod service;
mod ssm;
#[cfg(test)]
mod stand_in;

pub use found::Found;
pub use progress::Progress;

use crate::inventory::{DiscoveryError, Inventory};
use aws_config::Region;
use aws_credential_types::provider::ProvideCredentials;
use context::RegionCtx;
use futures_util::stream::{self, StreamExt};
use service::Scope;
use thiserror::Error;

/// Default bound on calls in flight per service and region (see [`limit`]).
pub const DEFAULT_CONCURRENCY: usize = 8;
/// Regions discovered at once.
const REGIONS_IN_FLIGHT: usize = 4;

#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// Regions to discover; empty means the configured region.
    pub regions: Vec<String>,
    pub profile: Option<String>,
    /// A custom endpoint (LocalStack, moto): S3 then uses path-style addressing.
    pub endpoint_url: Option<String>,
    /// Calls in flight per service and region ([`limit`]); regions run four at a time.
    pub concurrency: usize,
    /// Timestamp recorded in the inventory (passed in: reproducible output).
    pub generated_at: Option<String>,
    /// Records every AWS call (tests check them against docs/iam-policy.json).
    pub calls: Option<calls::CallLog>,
    /// Credentials to use instead of the standard chain (embedding and tests).
    pub credentials: Option<aws_credential_types::Credentials>,
}

#[derive(Debug, Error)]
pub enum DiscoverError {
    #[error("no AWS credentials: {0} (set AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or log in with `aws sso login`)")]
    NoCredentials(String),
    #[error("no AWS region: pass --region or set AWS_REGION / a profile region")]
    NoRegion,
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[from] std::io::Error),
}

/// Runs discovery (blocking), reporting nothing, and returns one inventory covering all regions.
pub fn discover(opts: &DiscoverOptions) -> Result<Inventory, DiscoverError> {
    discover_with_progress(opts, &mut progress::Silent)
}

/// Runs discovery (blocking), reporting each service's results to `progress` as they come.
pub fn discover_with_progress(
    opts: &DiscoverOptions,
    progress: &mut dyn Progress,
) -> Result<Inventory, DiscoverError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(discover_async(opts, progress))
}

async fn discover_async(
    opts: &DiscoverOptions,
    progress: &mut dyn Progress,
) -> Result<Inventory, DiscoverError> {
    let endpoint = opts.endpoint_url.as_deref().filter(|e| !e.is_empty());
    let base = context::load(None, opts, endpoint).await;
    let provider = base.credentials_provider().ok_or_else(|| {
        DiscoverError::NoCredentials("no credential provider is configured".into())
    })?;
    if let Err(e) = provider.provide_credentials().await {
        return Err(DiscoverError::NoCredentials(e.to_string()));
    }
    let mut regions = opts.regions.clone();
    if regions.is_empty() {
        regions.push(base.region().ok_or(DiscoverError::NoRegion)?.to_string());
    }
    regions.sort();
    regions.dedup();
    let mut errors: Vec<DiscoveryError> = Vec::new();
    let first = regions[0].clone();
    // one configuration (one credential provider and its cache) for every region
    let in_region = |r: &str| base.to_builder().region(Region::new(r.to_string())).build();
    let mut sts = aws_sdk_sts::config::Builder::from(&in_region(&first));
    if let Some(log) = &opts.calls {
        sts = sts.interceptor(log.clone());
    }
    let sts = aws_sdk_sts::Client::from_conf(sts.build());
    let account = match sts.get_caller_identity().send().await {
        Ok(id) => id.account().map(str::to_string),
        Err(e) => {
            errors.push(found::failure("sts", "GetCallerIdentity", &first, None, &e));
            None
        }
    };
    let mut inv = Inventory::new(account.clone(), regions.clone());
    inv.partition = context::partition_of(&first).into();
    inv.generated_at = opts.generated_at.clone();
    let ctxs: Vec<RegionCtx> = regions
        .iter()
        .map(|region| RegionCtx {
            region: region.clone(),
            account: account.clone(),
            partition: context::partition_of(region).into(),
            conf: in_region(region),
            custom_endpoint: endpoint.is_some(),
            concurrency: opts.concurrency.max(1),
            calls: opts.calls.clone(),
        })
        .collect();
    // regions run concurrently (each service bounded per region), reported in order
    let mut runs = stream::iter(ctxs.iter().enumerate())
        .map(|(i, ctx)| region(ctx, i == 0))
        .buffered(REGIONS_IN_FLIGHT);
    while let Some((ctx, results)) = runs.next().await {
        for (name, f) in results {
            progress.service(&ctx.region, name, &f);
            inv.keys.extend(f.keys);
            inv.aliases.extend(f.aliases);
            inv.resources.extend(f.resources);
            errors.extend(f.errors);
        }
    }
    inv.errors = errors;
    inv.normalise();
    progress.done(&inv);
    Ok(inv)
}

/// Every service in `ctx`'s region, concurrently (account-wide ones only in the first region);
/// their results in registry order.
async fn region(ctx: &RegionCtx, first: bool) -> (&RegionCtx, Vec<(&'static str, Found)>) {
    let services: Vec<&dyn service::Service> = registry::SERVICES
        .iter()
        .copied()
        .filter(|s| first || s.scope() == Scope::Regional)
        .collect();
    let found = futures_util::future::join_all(services.iter().map(|s| s.discover(ctx))).await;
    (ctx, services.iter().map(|s| s.name()).zip(found).collect())
}

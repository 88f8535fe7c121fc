//! What every discovered AWS service implements: [`Service`]. Adding a service is one file
//! with one `impl Service` plus one line in [`super::registry::SERVICES`]; the runner, the
//! progress lines, the published IAM policy (`keyblast discover --print-iam-policy`,
//! docs/iam-policy.json) and the services table in docs/inventory.md all follow that list.

use super::context::RegionCtx;
use super::found::Found;
use futures_util::future::BoxFuture;

/// Where a service's resources live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Discovered in every region asked for.
    Regional,
    /// Account-wide (S3's bucket list): discovered once, through the first region.
    Global,
}

/// One SDK operation a service calls and the IAM action it needs (usually the same name;
/// S3's `ListBuckets` needs `s3:ListAllMyBuckets`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The operation as the SDK names it (`ListBuckets`).
    pub sdk: &'static str,
    /// The IAM action (`s3:ListAllMyBuckets`).
    pub iam: &'static str,
}

/// `Operation { sdk, iam }` for the common case where the IAM action is `service:Operation`.
macro_rules! ops {
    ($service:literal: $($op:ident $(as $iam:literal)?),+ $(,)?) => {
        &[$($crate::discover::service::Operation {
            sdk: stringify!($op),
            iam: ops!(@iam $service, $op $(, $iam)?),
        }),+]
    };
    (@iam $service:literal, $op:ident) => { concat!($service, ":", stringify!($op)) };
    (@iam $service:literal, $op:ident, $iam:literal) => { $iam };
}
pub(crate) use ops;

/// A discovered AWS service.
pub trait Service: Sync {
    /// Short name, as in progress lines and recorded failures (`kms`, `s3`, `logs`).
    fn name(&self) -> &'static str;
    /// The SDK's service id as the call log records it (`cloudwatchlogs`); default: [`name`].
    ///
    /// [`name`]: Service::name
    fn sdk_id(&self) -> &'static str {
        self.name()
    }
    /// One line for the docs: what it finds and which attributes link it to a key.
    fn finds(&self) -> &'static str;
    /// Every operation it may call: read-only, and exactly what the IAM policy grants.
    fn operations(&self) -> &'static [Operation];
    fn scope(&self) -> Scope {
        Scope::Regional
    }
    /// Everything in `ctx`'s region (failures recorded in the result, never dropped).
    fn discover<'a>(&'a self, ctx: &'a RegionCtx) -> BoxFuture<'a, Found>;
}

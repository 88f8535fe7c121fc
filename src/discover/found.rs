//! What one service found in one region, and how a failed call is recorded.

use crate::inventory::{DiscoveryError, LiveAlias, LiveKey, LiveResource};
use aws_sdk_kms::error::{DisplayErrorContext, ProvideErrorMetadata};

/// Results of one service in one region; merged into the inventory.
#[derive(Debug, Default)]
pub struct Found {
    pub keys: Vec<LiveKey>,
    pub aliases: Vec<LiveAlias>,
    pub resources: Vec<LiveResource>,
    pub errors: Vec<DiscoveryError>,
}

impl Found {
    pub fn extend(&mut self, other: Found) {
        self.keys.extend(other.keys);
        self.aliases.extend(other.aliases);
        self.resources.extend(other.resources);
        self.errors.extend(other.errors);
    }
}

/// The error code AWS returned, if any.
pub fn code_of<E: ProvideErrorMetadata>(e: &E) -> Option<String> {
    e.code().map(str::to_string)
}

/// A recorded failure of `service:operation` in `region` about `resource`.
pub fn failure<E>(
    service: &str,
    operation: &str,
    region: &str,
    resource: Option<&str>,
    e: &E,
) -> DiscoveryError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let message = match e.message() {
        Some(m) if !m.is_empty() => m.to_string(),
        _ => {
            // The full context ends with a dump of the raw response: keep the readable chain.
            let full = DisplayErrorContext(e).to_string();
            let short = full.split(" (").next().unwrap_or(&full);
            short.chars().take(300).collect()
        }
    };
    DiscoveryError {
        service: service.into(),
        operation: operation.into(),
        region: Some(region.into()),
        resource: resource.map(str::to_string),
        code: code_of(e),
        message,
    }
}

/// Which call a list belongs to, for the failure it may record.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    pub service: &'a str,
    pub operation: &'a str,
    pub region: &'a str,
    /// The resource the call is about (a key id for ListGrants), if any.
    pub resource: Option<&'a str>,
}

impl<'a> Call<'a> {
    pub fn new(service: &'a str, operation: &'a str, region: &'a str) -> Self {
        Self {
            service,
            operation,
            region,
            resource: None,
        }
    }

    pub fn about(self, resource: &'a str) -> Self {
        Self {
            resource: Some(resource),
            ..self
        }
    }
}

/// Drains an SDK paginator's item (or page) stream: every item until the end, or until the first
/// failure, which is recorded (the items before it are kept).
pub async fn items<T, E>(
    mut stream: aws_smithy_async::future::pagination_stream::PaginationStream<Result<T, E>>,
    call: Call<'_>,
    found: &mut Found,
) -> Vec<T>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let mut out = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(i) => out.push(i),
            Err(e) => {
                found.errors.push(failure(
                    call.service,
                    call.operation,
                    call.region,
                    call.resource,
                    &e,
                ));
                break;
            }
        }
    }
    out
}

//! Runs services against a stand-in, with discovery's own configuration.

use super::{Faults, StandIn, World, ACCOUNT};
use crate::discover::context::{self, RegionCtx};
use crate::discover::found::Found;
use crate::discover::service::Service;
use crate::discover::DiscoverOptions;
use std::time::Duration;

/// Discovery's own configuration (credential chain aside), pointed at `endpoint`; the retry
/// policy is production's with a 1 ms initial backoff, so storms cost milliseconds.
async fn ctx(endpoint: &str) -> RegionCtx {
    let opts = DiscoverOptions {
        credentials: Some(aws_credential_types::Credentials::new(
            "test", "test", None, None, "test",
        )),
        ..Default::default()
    };
    let conf = context::load(Some("us-east-1"), &opts, Some(endpoint))
        .await
        .into_builder()
        .retry_config(context::retry().with_initial_backoff(Duration::from_millis(1)))
        .build();
    RegionCtx {
        region: "us-east-1".into(),
        account: Some(ACCOUNT.into()),
        partition: "aws".into(),
        conf,
        custom_endpoint: true,
        concurrency: 4,
        calls: None,
    }
}

/// Runs `services` in us-east-1 against a stand-in holding `world` and producing `faults`;
/// returns what they found and the stand-in (its record of requests).
pub fn run(services: &[&dyn Service], world: World, faults: Faults) -> (Found, StandIn) {
    let stand_in = StandIn::start(world, faults);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let found = rt.block_on(async {
        let ctx = ctx(&stand_in.endpoint).await;
        let mut found = Found::default();
        for s in services {
            found.extend(s.discover(&ctx).await);
        }
        found
    });
    (found, stand_in)
}

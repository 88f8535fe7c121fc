//! A record of every AWS operation discovery calls (an SDK interceptor), so a test can check
//! that discovery stays inside the published read-only policy (docs/iam-policy.json).

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

/// `service:Operation` of every call made: the operation as the SDK names it, the service as
/// its SDK id in lower case without spaces (`s3:ListBuckets`, `cloudwatchlogs:DescribeLogGroups`),
/// which is what [`super::registry::iam_action_of`] maps to an IAM action.
#[derive(Debug, Clone, Default)]
pub struct CallLog(Arc<Mutex<BTreeSet<String>>>);

impl CallLog {
    pub fn calls(&self) -> Vec<String> {
        self.0
            .lock()
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "keyblast-call-log"
    }

    fn read_before_serialization(
        &self,
        _ctx: &BeforeSerializationInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let (Some(m), Ok(mut set)) = (cfg.load::<Metadata>(), self.0.lock()) {
            let service: String = m
                .service()
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect();
            set.insert(format!("{service}:{}", m.name()));
        }
        Ok(())
    }
}

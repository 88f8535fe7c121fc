//! TEMPORARY (branch risk-rules only): the sensitive-value API that the plan-strict branch
//! provides; removed when it merges.
use super::model::Resource;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Before,
    After,
}

pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl Resource {
    pub fn is_redacted(&self, _side: Side, _name: &str) -> bool {
        false
    }
    pub fn sensitive_attr(&self, _side: Side, _name: &str) -> Option<&Sensitive<Value>> {
        None
    }
}

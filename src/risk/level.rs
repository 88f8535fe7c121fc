//! Risk levels. A change's risk is its worst finding; the overall risk is the worst change.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    Low,
    Medium,
    High,
}

impl Risk {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

impl fmt::Display for Risk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The overall verdict: a risk, or `none` when nothing changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Overall {
    None,
    Low,
    Medium,
    High,
}

impl From<Option<Risk>> for Overall {
    fn from(r: Option<Risk>) -> Self {
        match r {
            None => Self::None,
            Some(Risk::Low) => Self::Low,
            Some(Risk::Medium) => Self::Medium,
            Some(Risk::High) => Self::High,
        }
    }
}

impl Overall {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

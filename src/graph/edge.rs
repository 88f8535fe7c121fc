//! Typed edges of the blast-radius graph. An edge points from a dependent to what it depends
//! on ("bucket —encrypted-by→ key"), so the blast radius of a change is everything that can
//! reach the changed node.

pub use crate::catalog::EdgeKind;
use serde::Serialize;

/// When an edge holds: before the change, after it, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Phase {
    pub before: bool,
    pub after: bool,
}

impl Phase {
    pub const BEFORE: Phase = Phase {
        before: true,
        after: false,
    };
    pub const AFTER: Phase = Phase {
        before: false,
        after: true,
    };
    pub const BOTH: Phase = Phase {
        before: true,
        after: true,
    };

    pub fn union(self, o: Phase) -> Phase {
        Phase {
            before: self.before || o.before,
            after: self.after || o.after,
        }
    }
}

/// Whether the plan says an edge holds, or only that it may.
///
/// An edge is `possible` when a configuration reference names several instances and the plan
/// cannot say which one the dependent will use (`values(module.kms.key_arns)[0]`, a `for_each`
/// output indexed with a key no instance has): each candidate gets a possible edge. Values
/// (ARNs, ids) and references that select one instance make certain edges. Ordered so that
/// `max` is the stronger claim: linking the same edge once certainly makes it certain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Certainty {
    Possible,
    #[default]
    Certain,
}

impl Certainty {
    pub fn is_possible(self) -> bool {
        self == Self::Possible
    }

    /// The certainty of a path: possible as soon as one edge on it is.
    pub fn and(self, o: Certainty) -> Certainty {
        self.min(o)
    }
}

/// Edge data: kind, the attribute that made it, when it holds, and whether it surely does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub kind: EdgeKind,
    /// Attribute path on the dependent, e.g. `root_block_device.kms_key_id`.
    pub attr: Option<Box<str>>,
    pub phase: Phase,
    pub certainty: Certainty,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certainty_of_paths_and_merges() {
        use Certainty::*;
        assert_eq!(Certain.and(Possible), Possible);
        assert_eq!(Certain.and(Certain), Certain);
        assert_eq!(
            Possible.max(Certain),
            Certain,
            "a certain link wins a merge"
        );
        assert!(Possible.is_possible() && !Certain.is_possible());
    }
}

//! Planned actions (`change.actions`).
//!
//! The loader refuses action names it does not know (a plan from a newer Terraform is exit 2,
//! "keyblast does not know this action", not a change scored low). [`Action::Other`] and
//! [`ChangeKind::Other`] remain so that code building actions by hand stays total.

use serde::Serialize;

/// One entry of `change.actions`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    NoOp,
    Create,
    Read,
    Update,
    Delete,
    /// `removed { lifecycle { destroy = false } }` (Terraform 1.7+): leaves the object alone.
    Forget,
    /// An action this version of keyblast does not know; kept verbatim, never dropped. Plans
    /// holding one are refused when loaded.
    #[serde(untagged)]
    Other(String),
}

impl Action {
    pub fn parse(s: &str) -> Self {
        match s {
            "no-op" => Self::NoOp,
            "create" => Self::Create,
            "read" => Self::Read,
            "update" => Self::Update,
            "delete" => Self::Delete,
            "forget" => Self::Forget,
            other => Self::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::NoOp => "no-op",
            Self::Create => "create",
            Self::Read => "read",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::Forget => "forget",
            Self::Other(s) => s,
        }
    }
}

/// The ordered action list of one resource change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actions(pub Vec<Action>);

/// What a change amounts to, for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    NoOp,
    Create,
    Read,
    Update,
    Delete,
    /// Delete then create (the default) or create then delete (`create_before_destroy`).
    Replace,
    Forget,
    Other,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoOp => "no-op",
            Self::Create => "create",
            Self::Read => "read",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::Replace => "replace",
            Self::Forget => "forget",
            Self::Other => "other",
        }
    }
}

impl Actions {
    pub fn from_strs<'a>(items: impl IntoIterator<Item = &'a str>) -> Self {
        Self(items.into_iter().map(Action::parse).collect())
    }

    fn has(&self, a: &Action) -> bool {
        self.0.contains(a)
    }

    /// True when nothing happens: no actions at all, or only `no-op`.
    pub fn is_noop(&self) -> bool {
        self.0.iter().all(|a| *a == Action::NoOp)
    }

    /// True when the existing object is destroyed (plain delete or the delete half of a replace).
    pub fn destroys(&self) -> bool {
        self.has(&Action::Delete)
    }

    pub fn creates(&self) -> bool {
        self.has(&Action::Create)
    }

    pub fn kind(&self) -> ChangeKind {
        let (c, d) = (self.creates(), self.destroys());
        match () {
            _ if c && d => ChangeKind::Replace,
            _ if d => ChangeKind::Delete,
            _ if c => ChangeKind::Create,
            _ if self.has(&Action::Update) => ChangeKind::Update,
            _ if self.has(&Action::Read) => ChangeKind::Read,
            _ if self.has(&Action::Forget) => ChangeKind::Forget,
            _ if self.is_noop() => ChangeKind::NoOp,
            _ => ChangeKind::Other,
        }
    }

    pub fn strs(&self) -> Vec<String> {
        self.0.iter().map(|a| a.as_str().to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        let k = |v: &[&str]| Actions::from_strs(v.iter().copied()).kind();
        assert_eq!(k(&["delete", "create"]), ChangeKind::Replace);
        assert_eq!(k(&["create", "delete"]), ChangeKind::Replace);
        assert_eq!(k(&["delete"]), ChangeKind::Delete);
        assert_eq!(k(&["no-op"]), ChangeKind::NoOp);
        assert_eq!(k(&[]), ChangeKind::NoOp);
        assert_eq!(k(&["read"]), ChangeKind::Read);
        assert_eq!(k(&["forget"]), ChangeKind::Forget);
        assert_eq!(k(&["teleport"]), ChangeKind::Other);
        assert_eq!(Action::parse("teleport").as_str(), "teleport");
    }
}

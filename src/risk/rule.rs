//! Rule identifiers: a stable slug, a risk and a one-line description per rule.
//! The slugs are part of the JSON contract (`findings[].rule`); never rename one.
//! Why each rule has the risk it has is written in docs/rules.md.

use super::level::Risk;

macro_rules! rules {
    ($( $variant:ident = $slug:literal, $risk:ident, $desc:literal; )*) => {
        /// Every rule keyblast has.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $( $variant, )* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[ $( Rule::$variant, )* ];

            pub fn slug(self) -> &'static str {
                match self { $( Rule::$variant => $slug, )* }
            }

            /// The risk a finding of this rule has unless the rule says otherwise.
            pub fn risk(self) -> Risk {
                match self { $( Rule::$variant => Risk::$risk, )* }
            }

            pub fn description(self) -> &'static str {
                match self { $( Rule::$variant => $desc, )* }
            }
        }
    };
}

rules! {
    KeyDeleted = "key-deleted", High, "A KMS key is deleted or replaced: data encrypted under the old key material becomes unreadable.";
    KeyDisabled = "key-disabled", High, "A KMS key is disabled: every encrypt and decrypt with it fails until it is enabled again.";
    PolicyAccessRemoved = "key-policy-access-removed", High, "The key policy takes KMS actions away from a principal.";
    PolicyLockout = "key-policy-lockout", High, "Under the key policy no principal can manage the key any more (nobody keeps kms:PutKeyPolicy).";
    PolicyUnparseable = "key-policy-unparseable", High, "The key policy cannot be parsed, so its effect cannot be checked.";
    CrossAccountChanged = "cross-account-access-changed", High, "Access to the key by another AWS account is removed, added or changed.";
    DependentReplaced = "dependent-replaced-by-key-change", High, "A resource is replaced because its KMS key changes: the old resource and its data are destroyed.";
    StoreDestroyed = "stateful-store-destroyed", High, "A resource that holds data (database, volume, bucket, log group, parameter, table, ...) is deleted or replaced.";
    PublicPrincipal = "key-policy-public-principal", High, "The key policy allows \"*\" without a condition: any AWS principal may use the key.";
    PolicyAccessAdded = "key-policy-access-added", Medium, "The key policy gives a principal KMS actions it did not have.";
    PolicyAccessConditional = "key-policy-access-conditional", Medium, "The key policy puts a condition on actions a principal had unconditionally, or changes the conditions it holds them under.";
    PolicyConditionRemoved = "key-policy-condition-removed", Medium, "The key policy drops the conditions under which a principal held KMS actions: its access becomes unconditional.";
    PolicyUnknown = "key-policy-unknown", Medium, "The key policy is known only after apply; keyblast does not guess it.";
    RotationChanged = "rotation-changed", Medium, "Automatic key rotation is turned on or off, or its period changes.";
    GrantChanged = "grant-changed", Medium, "A KMS grant is created, changed or deleted.";
    AliasChanged = "alias-changed", Medium, "A KMS alias is created, deleted or pointed at another key.";
    DeletionWindowChanged = "deletion-window-changed", Medium, "The key's deletion waiting period changes.";
    MultiRegionChanged = "multi-region-changed", Medium, "The key's multi-region setting changes.";
    DependentKeyChanged = "dependent-key-changed", Medium, "A resource switches to another KMS key in place: new data uses the new key, old data needs the old one.";
    DeletedWithDependents = "deleted-with-dependents", Medium, "A resource other resources depend on is deleted or replaced.";
    FullAccessNonRoot = "key-policy-full-access", Medium, "The key policy gives kms:* to a principal other than the account root.";
    BypassLockoutCheck = "bypass-policy-lockout-check", Medium, "The key skips the policy lockout safety check, which can make it unmanageable.";
    KeyCreatedDisabled = "key-created-disabled", Medium, "A KMS key is created disabled: nothing can encrypt or decrypt with it until it is enabled.";
    RotationDisabled = "rotation-disabled", Medium, "A symmetric customer managed key has automatic rotation off.";
    ShortDeletionWindow = "short-deletion-window", Low, "The key's deletion window is short: a mistaken deletion can be undone only within it.";
    Cosmetic = "cosmetic-change", Low, "Only tags, description or similar metadata change.";
    Other = "other-change", Low, "A change with no KMS risk keyblast knows of.";
}

/// A rule is its slug in JSON (`findings[].rule`).
impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.slug())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn slugs_are_unique_kebab_case_and_described() {
        let slugs: HashSet<_> = Rule::ALL.iter().map(|r| r.slug()).collect();
        assert_eq!(slugs.len(), Rule::ALL.len());
        for r in Rule::ALL {
            assert!(
                r.slug()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                r.slug()
            );
            assert!(r.description().ends_with('.'), "{}", r.slug());
        }
    }
}

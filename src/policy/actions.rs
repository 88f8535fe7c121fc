//! The KMS action universe and IAM-style wildcard matching of action patterns against it.
//!
//! Design decisions:
//! - The universe is a fixed, sorted list ([`KMS_ACTIONS`]). Patterns are expanded against it,
//!   so everything downstream deals in `&'static str` names in canonical case, never in the
//!   spelling a policy author used. A pattern naming something outside the list (another
//!   service, a misspelt or future action) expands to nothing.
//! - Matching follows IAM: the whole `service:Action` string is compared case-insensitively, `*`
//!   matches any run of characters (including none) and `?` exactly one. A pattern is matched as
//!   a whole, so `*crypt` matches `kms:Decrypt` and `kms:Encrypt`.
//! - Hostile patterns stay cheap: runs of `*` are collapsed and a pattern with more literal
//!   characters than the longest action is rejected before matching, so matching is bounded by
//!   the length of the action names, not of the pattern.
//! - Internally an action set is a `u64` bit mask (bit `i` = `KMS_ACTIONS[i]`); the universe has
//!   fewer than 64 entries, which a compile-time assertion keeps true.

use super::document::ActionSet;

/// Every KMS API action, in canonical case, sorted (byte order).
pub const KMS_ACTIONS: &[&str] = &[
    "kms:CancelKeyDeletion",
    "kms:ConnectCustomKeyStore",
    "kms:CreateAlias",
    "kms:CreateCustomKeyStore",
    "kms:CreateGrant",
    "kms:CreateKey",
    "kms:Decrypt",
    "kms:DeleteAlias",
    "kms:DeleteCustomKeyStore",
    "kms:DeleteImportedKeyMaterial",
    "kms:DeriveSharedSecret",
    "kms:DescribeCustomKeyStores",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:DisconnectCustomKeyStore",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyPair",
    "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GenerateMac",
    "kms:GenerateRandom",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:GetParametersForImport",
    "kms:GetPublicKey",
    "kms:ImportKeyMaterial",
    "kms:ListAliases",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListKeyRotations",
    "kms:ListKeys",
    "kms:ListResourceTags",
    "kms:ListRetirableGrants",
    "kms:PutKeyPolicy",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:ReplicateKey",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:Sign",
    "kms:SynchronizeMultiRegionKey",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateCustomKeyStore",
    "kms:UpdateKeyDescription",
    "kms:UpdatePrimaryRegion",
    "kms:Verify",
    "kms:VerifyMac",
];

const _: () = assert!(KMS_ACTIONS.len() < 64, "action masks are u64");

/// Mask with one bit set for every action in [`KMS_ACTIONS`].
pub(crate) const ALL: u64 = (1u64 << KMS_ACTIONS.len()) - 1;

/// Length of the longest action name; no pattern with more literal characters can match.
const LONGEST: usize = 39;

/// The KMS actions `pattern` matches, sorted. Non-KMS and unknown patterns give an empty list.
pub fn expand(pattern: &str) -> Vec<&'static str> {
    names(pattern_mask(pattern))
}

/// Whether `pattern` covers every KMS action there is or could ever be (`*`, `kms:*`, `KMS:*`,
/// `kms*`, `*:*`, ...): it ends in `*` and what precedes that matches a prefix of `kms:`.
pub(crate) fn is_full_wildcard(pattern: &str) -> bool {
    let Some(p) = compile(pattern) else {
        return false;
    };
    if p.last() != Some(&b'*') {
        return false;
    }
    let head = &p[..p.len() - 1];
    head.is_empty() || (1..=4).any(|n| glob(head, &b"kms:"[..n]))
}

/// The bit mask of the actions `pattern` matches.
pub(crate) fn pattern_mask(pattern: &str) -> u64 {
    let Some(p) = compile(pattern) else { return 0 };
    KMS_ACTIONS
        .iter()
        .enumerate()
        .filter(|(_, a)| glob(&p, a.as_bytes()))
        .fold(0, |m, (i, _)| m | (1 << i))
}

/// The bit mask of the actions an `Action` / `NotAction` element allows or denies.
pub(crate) fn set_mask(set: &ActionSet) -> u64 {
    match set {
        ActionSet::Only(pats) => pats.iter().fold(0, |m, p| m | pattern_mask(p)),
        ActionSet::AllExcept(pats) => ALL & !pats.iter().fold(0, |m, p| m | pattern_mask(p)),
    }
}

/// The action names of a mask, sorted.
pub(crate) fn names(mask: u64) -> Vec<&'static str> {
    KMS_ACTIONS
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, a)| *a)
        .collect()
}

/// Lower-cases the pattern and collapses runs of `*`; `None` if it cannot match any action.
fn compile(pattern: &str) -> Option<Vec<u8>> {
    let literal = pattern.bytes().filter(|&b| b != b'*').count();
    if literal > LONGEST || pattern.is_empty() {
        return None;
    }
    let mut out: Vec<u8> = Vec::with_capacity(2 * LONGEST + 1);
    for b in pattern.bytes() {
        if !(b == b'*' && out.last() == Some(&b'*')) {
            out.push(b.to_ascii_lowercase());
        }
    }
    Some(out)
}

/// Glob match of a compiled (lower-case) pattern against ASCII text, case-insensitively.
/// Iterative with single-star backtracking: O(pattern × text), both short here.
fn glob(p: &[u8], t: &[u8]) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi + 1, ti));
                pi += 1;
            }
            Some(&c) if c == b'?' || c == t[ti].to_ascii_lowercase() => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    star = Some((sp, st + 1));
                    pi = sp;
                    ti = st + 1;
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|&b| b == b'*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn universe_is_sorted_unique_and_canonical() {
        assert!(KMS_ACTIONS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(KMS_ACTIONS.len(), 55);
        assert!(KMS_ACTIONS.iter().all(|a| a.starts_with("kms:")));
        assert_eq!(KMS_ACTIONS.iter().map(|a| a.len()).max(), Some(LONGEST));
        assert_eq!(ALL.count_ones() as usize, KMS_ACTIONS.len());
    }

    #[test]
    fn full_wildcards_expand_to_everything() {
        for p in ["*", "kms:*", "KMS:*", "kms:**", "**", "*:*", "k*"] {
            assert_eq!(expand(p), KMS_ACTIONS, "{p}");
        }
    }

    #[test]
    fn prefix_wildcards() {
        assert_eq!(
            expand("kms:ReEncrypt*"),
            ["kms:ReEncryptFrom", "kms:ReEncryptTo"]
        );
        assert_eq!(
            expand("kms:Get*"),
            [
                "kms:GetKeyPolicy",
                "kms:GetKeyRotationStatus",
                "kms:GetParametersForImport",
                "kms:GetPublicKey"
            ]
        );
        assert_eq!(
            expand("kms:GenerateDataKey*"),
            [
                "kms:GenerateDataKey",
                "kms:GenerateDataKeyPair",
                "kms:GenerateDataKeyPairWithoutPlaintext",
                "kms:GenerateDataKeyWithoutPlaintext"
            ]
        );
    }

    #[test]
    fn question_mark_and_inner_star() {
        assert_eq!(expand("kms:?ecrypt"), ["kms:Decrypt"]);
        assert_eq!(expand("kms:??crypt"), ["kms:Decrypt", "kms:Encrypt"]);
        assert_eq!(expand("kms:???crypt"), Vec::<&str>::new());
        assert_eq!(expand("*crypt"), ["kms:Decrypt", "kms:Encrypt"]);
        assert_eq!(expand("kms:*Mac"), ["kms:GenerateMac", "kms:VerifyMac"]);
        assert_eq!(expand("kms:Verify?*"), ["kms:VerifyMac"]);
        assert_eq!(
            expand("kms:*Key*Rotation*"),
            [
                "kms:DisableKeyRotation",
                "kms:EnableKeyRotation",
                "kms:GetKeyRotationStatus",
                "kms:ListKeyRotations"
            ]
        );
    }

    #[test]
    fn case_insensitive_exact_names() {
        assert_eq!(expand("KMS:decrypt"), ["kms:Decrypt"]);
        assert_eq!(expand("Kms:GenerateDataKey"), ["kms:GenerateDataKey"]);
    }

    #[test]
    fn foreign_unknown_and_degenerate_patterns_are_empty() {
        for p in [
            "s3:GetObject",
            "s3:*",
            "kms:Frobnicate",
            "kms",
            "kms:",
            "",
            "kms:Decrypt ",
            "kms:Decrypté",
        ] {
            assert!(expand(p).is_empty(), "{p:?}");
        }
    }

    #[test]
    fn hostile_patterns_are_bounded() {
        let stars = "*".repeat(1_000_000);
        assert_eq!(expand(&stars).len(), KMS_ACTIONS.len());
        let many = format!("kms:{}Decrypt", "*?".repeat(100_000));
        assert!(expand(&many).is_empty());
        let alternating = "*a".repeat(19) + "*";
        assert!(expand(&alternating).is_empty());
        let long = "k".repeat(LONGEST + 1);
        assert!(compile(&long).is_none());
    }

    #[test]
    fn full_wildcard_detection() {
        for p in ["*", "kms:*", "KMS:*", "kms*", "*:*", "k*", "?ms:*", "***"] {
            assert!(is_full_wildcard(p), "{p}");
        }
        for p in ["kms:Decrypt", "kms:D*", "kms:?*", "s3:*", "km", "", "x*"] {
            assert!(!is_full_wildcard(p), "{p}");
        }
    }

    #[test]
    fn masks_and_not_action() {
        let m = pattern_mask("kms:Decrypt");
        assert_eq!(m.count_ones(), 1);
        assert_eq!(names(m), ["kms:Decrypt"]);
        let not = set_mask(&ActionSet::AllExcept(vec!["kms:*Key*".into()]));
        let names = names(not);
        assert!(names.contains(&"kms:Decrypt"));
        assert!(!names.contains(&"kms:ScheduleKeyDeletion"));
        assert_eq!(set_mask(&ActionSet::AllExcept(vec!["s3:*".into()])), ALL);
        assert_eq!(set_mask(&ActionSet::Only(vec!["s3:*".into()])), 0);
    }
}

//! Whether a statement applies to the key its policy is attached to: `Resource` and
//! `NotResource` judged against the key's ARN.
//!
//! Rules (sources in docs/policy.md §1):
//! - In a key policy `"*"` means "this KMS key". A statement is evaluated for a request on the
//!   key only when its `Resource` matches the key's ARN (or its `NotResource` does not), as IAM
//!   evaluates every policy's `Resource` against the resource of the request. A pattern naming
//!   another key, an alias or another service's resource does not apply.
//! - A statement with neither element applies to no key (KMS: "A key policy statement without
//!   a `Resource` element doesn't apply to any KMS key", although `PutKeyPolicy` accepts it).
//! - Patterns are matched like ARN condition values (`template.rs`): `*` and `?`, decided only
//!   when the whole-string and per-segment readings agree and the case of the text does not
//!   matter. When the key's ARN is unknown (a key the plan creates, a key the plan does not
//!   show) it is `arn:<partition>:kms:<region>:<account>:key/<id>` with every field unknown: only
//!   patterns that match every key ARN (`*`, `arn:*:kms:*:*:key/*`) or none (`arn:aws:s3:::b`,
//!   an alias ARN) are decided; another key's ARN is `Conditional`.

use super::document::ResourceSet;
use super::template::{self, Template};
use super::truth::Truth;

/// Whether a statement with this resource element applies to the key `key_arn` (`None`:
/// unknown).
pub(crate) fn applies_to_key(set: &ResourceSet, key_arn: Option<&str>) -> Truth {
    let key = match key_arn {
        Some(arn) => Template::new().text(arn),
        None => Template::new()
            .text("arn:")
            .field()
            .text(":kms:")
            .field()
            .text(":")
            .field()
            .text(":key/")
            .field(),
    };
    let any = |pats: &[String]| Truth::any(pats.iter().map(|p| template::arn_like(p, &key)));
    match set {
        ResourceSet::Only(pats) => any(pats),
        ResourceSet::AllExcept(pats) => any(pats).not(),
        ResourceSet::Unstated => Truth::Never,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Truth::*;

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const OTHER: &str =
        "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321";

    fn only(p: &[&str]) -> ResourceSet {
        ResourceSet::Only(p.iter().map(|s| s.to_string()).collect())
    }

    fn except(p: &[&str]) -> ResourceSet {
        ResourceSet::AllExcept(p.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn against_a_known_key() {
        let k = Some(KEY);
        assert_eq!(applies_to_key(&only(&["*"]), k), Always);
        assert_eq!(applies_to_key(&only(&[KEY]), k), Always);
        assert_eq!(
            applies_to_key(&only(&["arn:aws:kms:*:111122223333:key/*"]), k),
            Always
        );
        assert_eq!(applies_to_key(&only(&[OTHER]), k), Never);
        assert_eq!(applies_to_key(&only(&[OTHER, KEY]), k), Always);
        assert_eq!(
            applies_to_key(&only(&["arn:aws:kms:*:444455556666:key/*"]), k),
            Never
        );
        assert_eq!(applies_to_key(&only(&["arn:aws:s3:::bucket/*"]), k), Never);
        assert_eq!(
            applies_to_key(&only(&["arn:aws:kms:us-east-1:111122223333:alias/app"]), k),
            Never
        );
        // ARNs compare case-sensitively, but a written spelling may differ from AWS's
        assert_eq!(
            applies_to_key(&only(&[&KEY.to_uppercase()]), k),
            Conditional
        );
        assert_eq!(
            applies_to_key(
                &only(&["arn:aws:kms:us-east-1:111122223333:key/1234ABCD-*"]),
                k
            ),
            Conditional
        );
        assert_eq!(applies_to_key(&except(&["*"]), k), Never);
        assert_eq!(applies_to_key(&except(&[OTHER]), k), Always);
        assert_eq!(applies_to_key(&except(&[KEY]), k), Never);
        assert_eq!(applies_to_key(&ResourceSet::Unstated, k), Never);
    }

    #[test]
    fn against_an_unknown_key() {
        assert_eq!(applies_to_key(&only(&["*"]), None), Always);
        assert_eq!(
            applies_to_key(&only(&["arn:*:kms:*:*:key/*"]), None),
            Always
        );
        assert_eq!(applies_to_key(&only(&[KEY]), None), Conditional);
        assert_eq!(applies_to_key(&only(&["arn:aws:s3:::bucket"]), None), Never);
        assert_eq!(
            applies_to_key(&only(&["arn:aws:kms:*:*:alias/*"]), None),
            Never
        );
        assert_eq!(applies_to_key(&except(&[OTHER]), None), Conditional);
        assert_eq!(applies_to_key(&except(&["arn:aws:s3:::b"]), None), Always);
        assert_eq!(applies_to_key(&ResourceSet::Unstated, None), Never);
    }
}

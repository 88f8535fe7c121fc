//! Matching a condition value against a known request value, the way the string and ARN
//! condition operators do, with a three-valued answer.
//!
//! Design decisions:
//! - `*` matches any run of characters (including none) and `?` exactly one, anywhere in the
//!   pattern (`StringLike`, `ArnLike`, `ArnEquals`); `StringEquals` compares literally.
//! - The request value keyblast knows is the principal ARN *as a policy writes it*. IAM names
//!   are unique regardless of case but keep the case they were created with, so a written ARN
//!   may differ in case from the one AWS puts in the request. A comparison whose outcome would
//!   change if the case did is therefore `Conditional`, never decided.
//! - ARN operators: AWS documents that "each of the six colon-delimited components of the ARN is
//!   checked separately", while wildcards have been observed to span segments in practice. A
//!   match is decided only when both readings (per segment, and over the whole string) agree.
//!   A pattern of nothing but `*` matches every ARN under any reading.
//! - A value containing `${` is a policy variable, resolved per request: `Conditional`.
//! - Matching is an iterative glob with single-star backtracking: O(pattern × value), and the
//!   value is a principal ARN (short), so hostile patterns stay cheap.

use super::truth::Truth;

/// Literal comparison (`StringEquals`, `StringEqualsIgnoreCase`).
pub(crate) fn equals(pattern: &str, value: &str, ignore_case: bool) -> Truth {
    if is_variable(pattern) {
        return Truth::Conditional;
    }
    let folded = pattern.to_lowercase() == value.to_lowercase();
    if ignore_case {
        Truth::from_bool(folded)
    } else {
        case_stable(pattern == value, folded)
    }
}

/// `StringLike`.
pub(crate) fn like(pattern: &str, value: &str) -> Truth {
    if is_variable(pattern) {
        return Truth::Conditional;
    }
    let exact = glob(pattern, value);
    let folded = glob(&pattern.to_lowercase(), &value.to_lowercase());
    case_stable(exact, folded)
}

/// `ArnLike` / `ArnEquals` (identical in AWS).
pub(crate) fn arn_like(pattern: &str, value: &str) -> Truth {
    if matches_everything(pattern) {
        return Truth::Always;
    }
    if is_variable(pattern) {
        return Truth::Conditional;
    }
    let reading = |p: &str, v: &str| {
        let whole = glob(p, v);
        let by_segment = segments(p)
            .zip(segments(v))
            .is_some_and(|(ps, vs)| ps.iter().zip(&vs).all(|(a, b)| glob(a, b)));
        if whole == by_segment {
            Truth::from_bool(whole)
        } else {
            Truth::Conditional
        }
    };
    let exact = reading(pattern, value);
    let folded = reading(&pattern.to_lowercase(), &value.to_lowercase());
    if exact == folded {
        exact
    } else {
        Truth::Conditional
    }
}

/// A pattern matching every value under the wildcard operators: one or more `*` only.
pub(crate) fn matches_everything(pattern: &str) -> bool {
    !pattern.is_empty() && pattern.bytes().all(|b| b == b'*')
}

/// A pattern that matches exactly one string under the wildcard operators.
pub(crate) fn is_literal(pattern: &str) -> bool {
    !pattern.contains(['*', '?']) && !is_variable(pattern)
}

pub(crate) fn is_variable(pattern: &str) -> bool {
    pattern.contains("${")
}

fn case_stable(exact: bool, folded: bool) -> Truth {
    if exact == folded {
        Truth::from_bool(exact)
    } else {
        Truth::Conditional
    }
}

fn segments(s: &str) -> Option<Vec<&str>> {
    let v: Vec<&str> = s.splitn(6, ':').collect();
    (v.len() == 6).then_some(v)
}

/// Glob match over characters: `*` any run, `?` one character.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi + 1, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
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
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use Truth::*;

    const ROLE: &str = "arn:aws:iam::111122223333:role/App";

    #[test]
    fn glob_basics() {
        assert!(glob("*", ""));
        assert!(glob("a*c", "abbbc"));
        assert!(glob("a?c", "abc"));
        assert!(!glob("a?c", "ac"));
        assert!(glob("*é", "café"));
        assert!(!glob("abc", "abcd"));
        assert!(glob("**a**", "xxa"));
    }

    #[test]
    fn string_equality_and_case() {
        assert_eq!(equals(ROLE, ROLE, false), Always);
        assert_eq!(
            equals("arn:aws:iam::111122223333:role/Other", ROLE, false),
            Never
        );
        // Differs only in case: the request value might be spelt either way.
        assert_eq!(
            equals("arn:aws:iam::111122223333:role/app", ROLE, false),
            Conditional
        );
        assert_eq!(
            equals("arn:aws:iam::111122223333:role/app", ROLE, true),
            Always
        );
        assert_eq!(equals("*", ROLE, false), Never);
        assert_eq!(equals("${aws:PrincipalArn}", ROLE, false), Conditional);
    }

    #[test]
    fn string_like() {
        assert_eq!(like("*", ROLE), Always);
        assert_eq!(like("arn:aws:iam::111122223333:role/*", ROLE), Always);
        assert_eq!(like("arn:aws:iam::*:role/Ap?", ROLE), Always);
        assert_eq!(like("arn:aws:iam::444455556666:*", ROLE), Never);
        assert_eq!(like("*:role/app", ROLE), Conditional);
        assert_eq!(
            like("arn:aws:iam::${aws:PrincipalAccount}:*", ROLE),
            Conditional
        );
    }

    #[test]
    fn arn_like_readings() {
        assert_eq!(arn_like("*", ROLE), Always);
        assert_eq!(arn_like("***", ROLE), Always);
        assert_eq!(arn_like(ROLE, ROLE), Always);
        assert_eq!(arn_like("arn:aws:iam::*:role/*", ROLE), Always);
        assert_eq!(arn_like("arn:*:*:*:*:*", ROLE), Always);
        assert_eq!(arn_like("arn:aws:iam::444455556666:role/*", ROLE), Never);
        // `*` spanning colons: true over the whole string, false per segment.
        assert_eq!(arn_like("arn:aws:*:role/App", ROLE), Conditional);
        // Fewer than six segments and not all stars: the readings disagree.
        assert_eq!(arn_like("arn*App", ROLE), Conditional);
        assert_eq!(
            arn_like("arn:aws:iam::111122223333:role/app", ROLE),
            Conditional
        );
    }

    #[test]
    fn literal_and_everything() {
        assert!(matches_everything("*") && matches_everything("**"));
        assert!(!matches_everything("") && !matches_everything("*?"));
        assert!(is_literal(ROLE));
        assert!(!is_literal("arn:*") && !is_literal("a?") && !is_literal("${x}"));
    }

    #[test]
    fn hostile_patterns_stay_cheap() {
        let p = "*a".repeat(5_000) + "b";
        assert_eq!(like(&p, ROLE), Never);
        assert_eq!(arn_like(&p, ROLE), Never);
    }
}

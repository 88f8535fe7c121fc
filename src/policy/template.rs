//! Matching a wildcard pattern against a string keyblast knows only in part: an ARN whose
//! shape is fixed by AWS but some of whose fields are unknown (the `aws:PrincipalArn` of an
//! unnamed IAM principal, the ARN of a key created in the plan).
//!
//! Design decisions:
//! - A [`Template`] is literal text with holes. A *field* hole stands for any string without a
//!   colon (an ARN's partition, service, region or account), a *rest* hole for any string at all
//!   (an ARN's resource part). A template describes a superset of the real values, never fewer,
//!   so both answers below stay sound.
//! - A pattern *covers* a template when every string the template describes matches it, and
//!   *meets* it when at least one does. Covering is decided by a sufficient test: an alignment in
//!   which every hole lies inside the run one `*` consumes (a `*` matches anything, so whatever
//!   fills the hole matches too). Meeting is decided exactly by the usual two-pattern
//!   intersection. Covers → `Always`, does not meet → `Never`, otherwise `Conditional`.
//! - The operators keep the semantics of `wildcard.rs`: `StringLike` compares the whole string;
//!   `ArnLike`/`ArnEquals` and `Resource` are decided only when the whole-string and the
//!   per-segment reading (six colon-delimited segments) agree; a result that changes with the
//!   case of the literal text is `Conditional` (written ARNs may differ in case from AWS's);
//!   a pattern with a policy variable (`${…}`) is `Conditional`.
//! - Both tests are dynamic programs over (pattern × template): O(n·m) time and O(m) memory per
//!   row, so hostile patterns stay cheap.

use super::truth::Truth;
use super::wildcard::{is_variable, matches_everything};

/// One piece of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    /// Any string without `:`.
    Field,
    /// Any string.
    Rest,
}

/// A partly known string: literal text and holes (any string).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) struct Template(Vec<Part>);

/// One character of a template, or a hole.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tok {
    Char(char),
    /// A hole; `true` when it may contain `:`.
    Hole(bool),
}

impl Template {
    /// A template with nothing in it yet.
    pub(crate) fn new() -> Template {
        Template::default()
    }

    /// Appends literal text.
    pub(crate) fn text(mut self, s: &str) -> Template {
        if !s.is_empty() {
            self.0.push(Part::Text(s.to_string()));
        }
        self
    }

    /// Appends a hole for one ARN field: any string without `:`.
    pub(crate) fn field(mut self) -> Template {
        self.0.push(Part::Field);
        self
    }

    /// Appends a hole for any string.
    pub(crate) fn rest(mut self) -> Template {
        self.0.push(Part::Rest);
        self
    }

    /// Appends `s` when known, a field hole otherwise.
    pub(crate) fn text_or_field(self, s: Option<&str>) -> Template {
        match s {
            Some(s) => self.text(s),
            None => self.field(),
        }
    }

    fn tokens(&self, fold: bool) -> Vec<Tok> {
        let mut out = Vec::new();
        for p in &self.0 {
            match p {
                Part::Field => out.push(Tok::Hole(false)),
                Part::Rest => out.push(Tok::Hole(true)),
                Part::Text(s) if fold => out.extend(s.to_lowercase().chars().map(Tok::Char)),
                Part::Text(s) => out.extend(s.chars().map(Tok::Char)),
            }
        }
        out
    }
}

/// `StringLike`: the pattern against the whole string.
pub(crate) fn like(pattern: &str, t: &Template) -> Truth {
    if matches_everything(pattern) {
        return Truth::Always;
    }
    if is_variable(pattern) {
        return Truth::Conditional;
    }
    case_stable(|fold| whole(pattern, &t.tokens(fold), fold))
}

/// `ArnLike` / `ArnEquals`, and `Resource` patterns: decided only when the whole-string and the
/// per-segment readings agree.
pub(crate) fn arn_like(pattern: &str, t: &Template) -> Truth {
    if matches_everything(pattern) {
        return Truth::Always;
    }
    if is_variable(pattern) {
        return Truth::Conditional;
    }
    case_stable(|fold| {
        let toks = t.tokens(fold);
        let a = whole(pattern, &toks, fold);
        let b = by_segment(pattern, &toks, fold);
        if a == b {
            a
        } else {
            Truth::Conditional
        }
    })
}

/// The same answer with and without case folding, or `Conditional`.
fn case_stable(f: impl Fn(bool) -> Truth) -> Truth {
    let (exact, folded) = (f(false), f(true));
    if exact == folded {
        exact
    } else {
        Truth::Conditional
    }
}

fn whole(pattern: &str, toks: &[Tok], fold: bool) -> Truth {
    let p: Vec<char> = if fold {
        pattern.to_lowercase().chars().collect()
    } else {
        pattern.chars().collect()
    };
    truth(&p, toks)
}

/// Six colon-delimited segments each matched on their own; the last takes the rest. A pattern
/// or template without six segments matches nothing in this reading.
fn by_segment(pattern: &str, toks: &[Tok], fold: bool) -> Truth {
    let pattern = if fold {
        pattern.to_lowercase()
    } else {
        pattern.to_string()
    };
    let ps: Vec<&str> = pattern.splitn(6, ':').collect();
    let ts = split_tokens(toks);
    if ps.len() != 6 || ts.len() != 6 {
        return Truth::Never;
    }
    Truth::all(
        ps.iter()
            .zip(&ts)
            .map(|(p, t)| truth(&p.chars().collect::<Vec<_>>(), t)),
    )
}

/// Splits template tokens at their first five literal colons.
fn split_tokens(toks: &[Tok]) -> Vec<Vec<Tok>> {
    let mut out = vec![Vec::new()];
    for &t in toks {
        if t == Tok::Char(':') && out.len() < 6 {
            out.push(Vec::new());
        } else if let Some(last) = out.last_mut() {
            last.push(t);
        }
    }
    out
}

fn truth(p: &[char], t: &[Tok]) -> Truth {
    if covers(p, t) {
        Truth::Always
    } else if meets(p, t) {
        Truth::Conditional
    } else {
        Truth::Never
    }
}

/// Whether every string `t` describes matches the glob `p` (sufficient test: every hole lies
/// inside the run of one `*`). `cur[j]`: `p[i..]` covers `t[j..]`, for the current `i`.
fn covers(p: &[char], t: &[Tok]) -> bool {
    let (n, m) = (p.len(), t.len());
    // Row i = n: the empty pattern covers only the empty template.
    let mut next: Vec<bool> = (0..=m).map(|j| j == m).collect();
    for i in (0..n).rev() {
        let mut cur = vec![false; m + 1];
        for j in (0..=m).rev() {
            cur[j] = match (p[i], t.get(j)) {
                // `*` matches nothing more, or swallows t[j] (a character or a whole hole).
                ('*', Some(_)) => next[j] || cur[j + 1],
                ('*', None) => next[j],
                (_, None) | (_, Some(Tok::Hole(_))) => false,
                ('?', Some(Tok::Char(_))) => next[j + 1],
                (c, Some(Tok::Char(d))) => c == *d && next[j + 1],
            };
        }
        next = cur;
    }
    next[0]
}

/// Whether some string `t` describes matches the glob `p` (a field hole never produces `:`;
/// for `?` it produces some other character). `cur[j]`: some filling of `t[j..]`
/// matches `p[i..]`, for the current `i`.
fn meets(p: &[char], t: &[Tok]) -> bool {
    let (n, m) = (p.len(), t.len());
    // Row i = n: the rest of the template can be empty only if it is all holes.
    let mut next = vec![false; m + 1];
    next[m] = true;
    for j in (0..m).rev() {
        next[j] = matches!(t[j], Tok::Hole(_)) && next[j + 1];
    }
    for i in (0..n).rev() {
        let mut cur = vec![false; m + 1];
        for j in (0..=m).rev() {
            cur[j] = match (p[i], t.get(j)) {
                ('*', Some(_)) => next[j] || cur[j + 1],
                ('*', None) => next[j],
                (_, None) => false,
                // A hole ends here, or produces the character p[i] needs and goes on.
                (c, Some(Tok::Hole(colons))) => cur[j + 1] || ((*colons || c != ':') && next[j]),
                ('?', Some(Tok::Char(_))) => next[j + 1],
                (c, Some(Tok::Char(d))) => c == *d && next[j + 1],
            };
        }
        next = cur;
    }
    next[0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::wildcard;
    use Truth::*;

    /// An IAM principal of account 111122223333 in partition `aws`, otherwise unknown.
    fn in_account() -> Template {
        Template::new()
            .text("arn:aws:")
            .field()
            .text("::111122223333:")
            .rest()
    }

    #[test]
    fn covering_and_meeting() {
        let t = in_account();
        assert_eq!(like("arn:*", &t), Always);
        assert_eq!(like("arn:aws:*", &t), Always);
        assert_eq!(like("*111122223333*", &t), Always);
        assert_eq!(like("arn:aws:iam::111122223333:role/*", &t), Conditional);
        assert_eq!(like("arn:aws:iam::444455556666:*", &t), Never);
        assert_eq!(like("arn:aws-cn:*", &t), Never);
        assert_eq!(like("arn:?ws:*", &t), Always);
        // `?` cannot stand for a hole, which may be longer or empty.
        assert_eq!(like("arn:aws:???::111122223333:*", &t), Conditional);
        assert_eq!(like("x*", &t), Never);
    }

    #[test]
    fn arn_readings_must_agree() {
        let t = in_account();
        assert_eq!(arn_like("arn:*:*:*:*:*", &t), Always);
        assert_eq!(arn_like("arn:aws:*:*:*:*", &t), Always);
        assert_eq!(arn_like("arn:aws:*:*:111122223333:*", &t), Always);
        assert_eq!(arn_like("arn:aws-cn:*:*:*:*", &t), Never);
        // A resource part may itself contain colons (an IAM path may): over the whole string
        // this could match, per segment it cannot.
        assert_eq!(arn_like("arn:aws:*:*:444455556666:*", &t), Conditional);
        // whole string: matches every such ARN; per segment: too few segments
        assert_eq!(arn_like("arn:*", &t), Conditional);
        assert_eq!(arn_like("*", &t), Always);
        assert_eq!(arn_like("arn:${aws:partition}:*:*:*:*", &t), Conditional);
        // an unknown key ARN
        let key = Template::new()
            .text("arn:")
            .field()
            .text(":kms:")
            .field()
            .text(":")
            .field()
            .text(":key/")
            .field();
        assert_eq!(arn_like("arn:aws:s3:::bucket", &key), Never);
        assert_eq!(arn_like("arn:aws:kms:*:*:alias/x", &key), Never);
        assert_eq!(arn_like("arn:*:kms:*:*:key/*", &key), Always);
        assert_eq!(
            arn_like("arn:aws:kms:us-east-1:111122223333:key/1234", &key),
            Conditional
        );
    }

    #[test]
    fn case_that_matters_is_conditional() {
        let t = Template::new()
            .text("arn:aws:iam::111122223333:role/")
            .rest()
            .text("App");
        assert_eq!(t.clone().text_or_field(None), t.clone().field());
        assert_eq!(like("*:role/*App", &t), Always);
        assert_eq!(like("*:role/*app", &t), Conditional);
        assert_eq!(like("arn:aws:sts:*", &t), Never);
        assert_eq!(like("*:user/*", &t), Conditional);
    }

    #[test]
    fn known_text_agrees_with_wildcard() {
        let arn = "arn:aws:iam::111122223333:role/team/App";
        let t = Template::new().text(arn);
        for p in [
            "*",
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::*:role/App",
            "arn:*:*:*:*:*",
            "arn:aws:*:role/team/App",
            "arn:aws:iam::111122223333:role/team/app",
            "arn:aws:iam::444455556666:*",
            "a?n*",
        ] {
            assert_eq!(like(p, &t), wildcard::like(p, arn), "{p}");
            assert_eq!(arn_like(p, &t), wildcard::arn_like(p, arn), "{p}");
        }
    }

    #[test]
    fn hostile_patterns_stay_cheap() {
        let p = "*a".repeat(5_000) + "b";
        assert_eq!(like(&p, &in_account()), Conditional);
        let q = "*z".repeat(5_000);
        assert_eq!(arn_like(&q, &in_account()), Conditional);
    }
}

//! Three-valued logic: what keyblast can say, without seeing a request, about whether a
//! condition holds or a principal element names somebody.
//!
//! `Never` and `Always` are certain for every request the principal could make; `Conditional`
//! means "it depends on the request (or on something keyblast cannot see)". Conjunction is the
//! minimum, disjunction the maximum and negation swaps the certain values, so `Conditional`
//! absorbs everything except a certain `Never` under AND or a certain `Always` under OR. That is
//! Kleene's logic, the only sound one for "unknown".

/// A statically decided truth value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Truth {
    /// False for every request.
    Never,
    /// True for some requests, false for others, or keyblast cannot tell.
    Conditional,
    /// True for every request.
    Always,
}

impl Truth {
    pub fn from_bool(b: bool) -> Truth {
        if b {
            Truth::Always
        } else {
            Truth::Never
        }
    }

    pub fn and(self, other: Truth) -> Truth {
        self.min(other)
    }

    pub fn or(self, other: Truth) -> Truth {
        self.max(other)
    }

    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Truth {
        match self {
            Truth::Never => Truth::Always,
            Truth::Conditional => Truth::Conditional,
            Truth::Always => Truth::Never,
        }
    }

    /// AND over all items; `Always` for none (an empty block constrains nothing).
    pub fn all(items: impl IntoIterator<Item = Truth>) -> Truth {
        let mut acc = Truth::Always;
        for t in items {
            acc = acc.and(t);
            if acc == Truth::Never {
                break;
            }
        }
        acc
    }

    /// OR over all items; `Never` for none.
    pub fn any(items: impl IntoIterator<Item = Truth>) -> Truth {
        let mut acc = Truth::Never;
        for t in items {
            acc = acc.or(t);
            if acc == Truth::Always {
                break;
            }
        }
        acc
    }

    /// The value of "if P then `yes` else `no`" when P itself is `p`: certain only when `p` is,
    /// or when both branches agree.
    pub fn select(p: Truth, yes: Truth, no: Truth) -> Truth {
        match p {
            Truth::Always => yes,
            Truth::Never => no,
            Truth::Conditional if yes == no => yes,
            Truth::Conditional => Truth::Conditional,
        }
    }

    pub fn possible(self) -> bool {
        self != Truth::Never
    }
}

#[cfg(test)]
mod tests {
    use super::Truth::{self, *};

    const ALL: [Truth; 3] = [Never, Conditional, Always];

    #[test]
    fn kleene_tables() {
        for a in ALL {
            assert_eq!(a.and(Always), a);
            assert_eq!(a.and(Never), Never);
            assert_eq!(a.or(Never), a);
            assert_eq!(a.or(Always), Always);
            assert_eq!(a.not().not(), a);
            for b in ALL {
                // De Morgan holds in Kleene logic.
                assert_eq!(a.and(b).not(), a.not().or(b.not()));
                assert_eq!(a.and(b), b.and(a));
            }
        }
        assert_eq!(Conditional.and(Conditional), Conditional);
        assert_eq!(Conditional.not(), Conditional);
    }

    #[test]
    fn folds() {
        assert_eq!(Truth::all([]), Always);
        assert_eq!(Truth::any([]), Never);
        assert_eq!(Truth::all([Always, Conditional]), Conditional);
        assert_eq!(Truth::all([Conditional, Never, Always]), Never);
        assert_eq!(Truth::any([Never, Conditional]), Conditional);
        assert_eq!(Truth::any([Conditional, Always]), Always);
    }

    #[test]
    fn select_is_certain_only_when_it_can_be() {
        assert_eq!(Truth::select(Always, Never, Always), Never);
        assert_eq!(Truth::select(Never, Never, Always), Always);
        assert_eq!(Truth::select(Conditional, Never, Always), Conditional);
        assert_eq!(Truth::select(Conditional, Always, Always), Always);
        assert_eq!(Truth::from_bool(true), Always);
        assert!(!Never.possible() && Conditional.possible());
    }
}

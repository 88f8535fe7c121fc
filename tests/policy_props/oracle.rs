//! An independent model of key-policy access for a small grammar, used as a one-directional
//! oracle by the property tests: what it calls certain (`T::Yes` / `T::No`) follows directly
//! from AWS's documented rules (docs/policy.md), written here without the production code;
//! everything it is not sure of is `T::Maybe`, and the properties only assert on certain
//! answers.
//!
//! The grammar: statements Allow or Deny; `Principal` (or, with Deny, `NotPrincipal`) listing
//! the account by id or root ARN, two roles, a session of one of them, a role of another
//! account, `"*"`; `Action` or `NotAction` over four KMS actions and `kms:*`; one condition
//! from a fixed list (decidable both ways, and undecidable); `Resource` / `NotResource` naming
//! this key, another key, every key of the account, `"*"`, or missing.

use crate::common::{key_arn, KEY_ID, OTHER_ID};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Three-valued truth: certain yes, certain no, or not known to the oracle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum T {
    No,
    Maybe,
    Yes,
}

impl T {
    fn and(self, o: T) -> T {
        self.min(o)
    }
    fn or(self, o: T) -> T {
        self.max(o)
    }
    fn not(self) -> T {
        match self {
            T::No => T::Yes,
            T::Maybe => T::Maybe,
            T::Yes => T::No,
        }
    }
    fn of(b: bool) -> T {
        if b {
            T::Yes
        } else {
            T::No
        }
    }
    fn any(it: impl IntoIterator<Item = T>) -> T {
        it.into_iter().fold(T::No, T::or)
    }
}

/// A principal as a policy writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum P {
    RootId,
    RootArn,
    App,
    AppSession,
    Admin,
    Partner,
    Star,
}

const ALL_P: [P; 7] = [
    P::RootId,
    P::RootArn,
    P::App,
    P::AppSession,
    P::Admin,
    P::Partner,
    P::Star,
];

impl P {
    fn text(self) -> &'static str {
        match self {
            P::RootId => "111122223333",
            P::RootArn => "arn:aws:iam::111122223333:root",
            P::App => "arn:aws:iam::111122223333:role/app",
            P::AppSession => "arn:aws:sts::111122223333:assumed-role/app/worker",
            P::Admin => "arn:aws:iam::111122223333:role/admin",
            P::Partner => "arn:aws:iam::444455556666:role/partner",
            P::Star => "*",
        }
    }
}

/// Who asks. The first five are named by the grammar; the rest are principals no policy of the
/// grammar names: another IAM principal of the key's account, one of the partner account, and
/// anyone else (who may be no IAM principal at all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    RootUser,
    App,
    AppSession,
    Admin,
    Partner,
    OtherHome,
    OtherPartner,
    Anyone,
}

/// The principals whose loss the report must show (named ones).
pub const OBSERVED: [Who; 5] = [
    Who::RootUser,
    Who::App,
    Who::AppSession,
    Who::Admin,
    Who::Partner,
];

const EVERYONE: [Who; 8] = [
    Who::RootUser,
    Who::App,
    Who::AppSession,
    Who::Admin,
    Who::Partner,
    Who::OtherHome,
    Who::OtherPartner,
    Who::Anyone,
];

impl Who {
    /// An IAM principal of the key's account other than the root user.
    fn in_home_account(self) -> bool {
        matches!(
            self,
            Who::App | Who::AppSession | Who::Admin | Who::OtherHome
        )
    }

    fn home(self) -> bool {
        self == Who::RootUser || self.in_home_account()
    }
}

/// An action as a policy writes it (`Star`: `kms:*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum A {
    Decrypt,
    Encrypt,
    PutKeyPolicy,
    DescribeKey,
    Star,
}

/// The actions whose loss is observed.
pub const ACTIONS: [A; 4] = [A::Decrypt, A::Encrypt, A::PutKeyPolicy, A::DescribeKey];

impl A {
    fn text(self) -> &'static str {
        match self {
            A::Decrypt => "kms:Decrypt",
            A::Encrypt => "kms:Encrypt",
            A::PutKeyPolicy => "kms:PutKeyPolicy",
            A::DescribeKey => "kms:DescribeKey",
            A::Star => "kms:*",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cond {
    Unset,
    Empty,
    /// `StringLike aws:PrincipalArn arn:*`: every IAM principal.
    IamArn,
    /// `DateGreaterThan aws:CurrentTime 2001-01-01`: every request.
    AfterY2k,
    /// `Bool aws:SecureTransport [true, false]`: every request.
    AnyTransport,
    /// `Null aws:CurrentTime true`: no request.
    NoTime,
    /// `StringEquals kms:ViaService …`: some requests.
    ViaS3,
    /// `ArnEquals aws:PrincipalArn <role app>`: the role and its sessions.
    OnlyApp,
    /// `StringEquals aws:PrincipalAccount 111122223333`: the key's account.
    HomeAccount,
}

impl Cond {
    fn json(self) -> Option<Value> {
        Some(match self {
            Cond::Unset => return None,
            Cond::Empty => json!({}),
            Cond::IamArn => json!({"StringLike": {"aws:PrincipalArn": "arn:*"}}),
            Cond::AfterY2k => {
                json!({"DateGreaterThan": {"aws:CurrentTime": "2001-01-01T00:00:00Z"}})
            }
            Cond::AnyTransport => json!({"Bool": {"aws:SecureTransport": ["true", "false"]}}),
            Cond::NoTime => json!({"Null": {"aws:CurrentTime": "true"}}),
            Cond::ViaS3 => {
                json!({"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}})
            }
            Cond::OnlyApp => json!({"ArnEquals": {"aws:PrincipalArn": P::App.text()}}),
            Cond::HomeAccount => json!({"StringEquals": {"aws:PrincipalAccount": "111122223333"}}),
        })
    }

    /// Whether the condition holds for every (`Yes`) or no (`No`) request of `w`.
    fn holds(self, w: Who) -> T {
        match self {
            Cond::Unset | Cond::Empty | Cond::AfterY2k | Cond::AnyTransport => T::Yes,
            Cond::NoTime => T::No,
            Cond::ViaS3 => T::Maybe,
            // Every IAM principal has an ARN starting `arn:`; anyone else may be a service.
            Cond::IamArn => match w {
                Who::Anyone | Who::OtherPartner => T::Maybe,
                _ => T::Yes,
            },
            // A session's requests carry its role's ARN.
            Cond::OnlyApp => match w {
                Who::App | Who::AppSession => T::Yes,
                Who::Anyone | Who::OtherPartner => T::Maybe,
                _ => T::No,
            },
            Cond::HomeAccount => match w {
                Who::Anyone => T::Maybe,
                _ => T::of(w.home()),
            },
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Res {
    Star,
    ThisKey,
    OtherKey,
    AccountKeys,
    NotOtherKey,
    NotStar,
    Missing,
}

impl Res {
    fn member(self) -> Option<(&'static str, Value)> {
        Some(match self {
            Res::Star => ("Resource", json!("*")),
            Res::ThisKey => ("Resource", json!(key_arn(KEY_ID))),
            Res::OtherKey => ("Resource", json!([key_arn(OTHER_ID)])),
            Res::AccountKeys => ("Resource", json!("arn:aws:kms:*:111122223333:key/*")),
            Res::NotOtherKey => ("NotResource", json!(key_arn(OTHER_ID))),
            Res::NotStar => ("NotResource", json!("*")),
            Res::Missing => return None,
        })
    }

    /// Whether the statement applies to this key (whose ARN the plans give).
    fn applies(self) -> T {
        T::of(matches!(
            self,
            Res::Star | Res::ThisKey | Res::AccountKeys | Res::NotOtherKey
        ))
    }
}

#[derive(Clone, Debug)]
pub struct St {
    pub deny: bool,
    /// `NotPrincipal` (only with Deny: AWS supports it only there).
    pub not_principal: bool,
    pub principals: Vec<P>,
    pub not_action: bool,
    pub actions: Vec<A>,
    pub cond: Cond,
    pub res: Res,
}

impl St {
    pub fn json(&self) -> Value {
        let list: Vec<&str> = self.principals.iter().map(|p| p.text()).collect();
        let mut s = json!({"Effect": if self.deny { "Deny" } else { "Allow" }});
        s[if self.not_principal {
            "NotPrincipal"
        } else {
            "Principal"
        }] = json!({"AWS": list});
        let acts: Vec<&str> = self.actions.iter().map(|a| a.text()).collect();
        s[if self.not_action {
            "NotAction"
        } else {
            "Action"
        }] = json!(acts);
        if let Some((k, v)) = self.res.member() {
            s[k] = v;
        }
        if let Some(c) = self.cond.json() {
            s["Condition"] = c;
        }
        s
    }

    fn lists(&self, p: P) -> bool {
        self.principals.contains(&p)
    }

    fn lists_root(&self) -> bool {
        self.lists(P::RootId) || self.lists(P::RootArn)
    }

    /// Whether the statement's principal element reaches `w` (a Principal naming the account
    /// reaches its principals only in a Deny; in an Allow it delegates, see `delegates`).
    fn reaches(&self, w: Who) -> T {
        if self.not_principal {
            return self.exempts(w).not();
        }
        if self.lists(P::Star) {
            return T::Yes;
        }
        let named = match w {
            Who::RootUser => self.lists_root(),
            Who::App => self.lists(P::App),
            Who::AppSession => self.lists(P::App) || self.lists(P::AppSession),
            Who::Admin => self.lists(P::Admin),
            Who::Partner => self.lists(P::Partner),
            Who::OtherHome | Who::OtherPartner | Who::Anyone => false,
        };
        T::of(named || (self.deny && w.in_home_account() && self.lists_root()))
    }

    /// `NotPrincipal`: exempt for certain when the list names the principal and everything
    /// AWS may check first (its account; a session's role); not exempt when it does not name
    /// the principal itself.
    fn exempts(&self, w: Who) -> T {
        if self.lists(P::Star) {
            return T::Yes;
        }
        let itself = match w {
            Who::RootUser => self.lists_root(),
            Who::App => self.lists(P::App),
            Who::AppSession => self.lists(P::App) || self.lists(P::AppSession),
            Who::Admin => self.lists(P::Admin),
            Who::Partner => self.lists(P::Partner),
            Who::OtherHome | Who::OtherPartner | Who::Anyone => false,
        };
        if !itself {
            return T::No;
        }
        let chain = match w {
            Who::RootUser => true,
            Who::App | Who::Admin => self.lists_root(),
            Who::AppSession => self.lists_root() && self.lists(P::App),
            // the partner account's root is not in the grammar
            _ => false,
        };
        if chain {
            T::Yes
        } else {
            T::Maybe
        }
    }

    /// Whether an Allow delegates to `w`'s account (names its root).
    fn delegates(&self, w: Who) -> T {
        T::of(!self.deny && !self.not_principal && w.in_home_account() && self.lists_root())
    }

    fn covers(&self, a: A) -> bool {
        let listed = self.actions.contains(&a) || self.actions.contains(&A::Star);
        listed != self.not_action
    }

    /// Reaches `w`, holds for it, applies to the key and covers `a`.
    fn hits(&self, w: Who, a: A) -> T {
        if !self.covers(a) {
            return T::No;
        }
        self.reaches(w)
            .and(self.cond.holds(w))
            .and(self.res.applies())
    }
}

/// Whether the policy grants `w` the action `a` (not counting delegation).
pub fn granted(doc: &[St], w: Who, a: A) -> T {
    let allow = T::any(doc.iter().filter(|s| !s.deny).map(|s| s.hits(w, a)));
    allow.and(denied(doc, w, a).not())
}

fn denied(doc: &[St], w: Who, a: A) -> T {
    T::any(doc.iter().filter(|s| s.deny).map(|s| s.hits(w, a)))
}

/// Whether `w` holds `a` in any form: granted, or delegated to its account and not denied.
fn holds(doc: &[St], w: Who, a: A) -> T {
    let via_account = T::any(doc.iter().map(|s| {
        if s.covers(a) {
            s.delegates(w).and(s.cond.holds(w)).and(s.res.applies())
        } else {
            T::No
        }
    }));
    granted(doc, w, a).or(via_account.and(denied(doc, w, a).not()))
}

/// `Yes`: nobody at all can call `kms:PutKeyPolicy` any more; `No`: somebody certainly can.
pub fn locked_out(doc: &[St]) -> T {
    T::any(EVERYONE.iter().map(|w| holds(doc, *w, A::PutKeyPolicy))).not()
}

pub fn render(doc: &[St]) -> String {
    let st: Vec<Value> = doc.iter().map(St::json).collect();
    json!({"Version": "2012-10-17", "Statement": st}).to_string()
}

pub fn statement() -> impl Strategy<Value = St> {
    let cond = prop::sample::select(vec![
        Cond::Unset,
        Cond::Unset,
        Cond::Empty,
        Cond::IamArn,
        Cond::AfterY2k,
        Cond::AnyTransport,
        Cond::NoTime,
        Cond::ViaS3,
        Cond::OnlyApp,
        Cond::HomeAccount,
    ]);
    let res = prop_oneof![
        6 => Just(Res::Star),
        1 => prop::sample::select(vec![
            Res::ThisKey,
            Res::OtherKey,
            Res::AccountKeys,
            Res::NotOtherKey,
            Res::NotStar,
            Res::Missing,
        ]),
    ];
    (
        any::<bool>(),
        any::<bool>(),
        prop::sample::subsequence(ALL_P.to_vec(), 1..=3),
        any::<bool>(),
        prop::sample::subsequence(
            vec![
                A::Decrypt,
                A::Encrypt,
                A::PutKeyPolicy,
                A::DescribeKey,
                A::Star,
            ],
            1..=2,
        ),
        cond,
        res,
    )
        .prop_map(
            |(deny, not_principal, principals, not_action, actions, cond, res)| St {
                deny,
                not_principal: deny && not_principal,
                principals,
                not_action,
                actions,
                cond,
                res,
            },
        )
}

/// A before/after pair: two unrelated policies, or (more often) a policy and an edit of it —
/// some statements dropped, some added — so that a new statement meets the old ones.
pub fn pair() -> impl Strategy<Value = (Vec<St>, Vec<St>)> {
    let edited = policy().prop_flat_map(|before| {
        let n = before.len();
        (
            Just(before),
            prop::collection::vec(prop::bool::weighted(0.8), n),
            prop::collection::vec(statement(), 0..=2),
            prop::option::weighted(0.2, deny_everyone()),
        )
            .prop_map(|(before, keep, added, deny)| {
                let mut after: Vec<St> = before
                    .iter()
                    .zip(keep)
                    .filter(|(_, k)| *k)
                    .map(|(s, _)| s.clone())
                    .collect();
                after.extend(added);
                after.extend(deny);
                (before, after)
            })
    });
    prop_oneof![1 => (policy(), policy()), 3 => edited]
}

/// `Deny "*" kms:*` under a condition every request (or every IAM principal, or every principal
/// of the account) meets, or one some requests meet.
fn deny_everyone() -> impl Strategy<Value = St> {
    prop::sample::select(vec![
        Cond::Unset,
        Cond::IamArn,
        Cond::AfterY2k,
        Cond::AnyTransport,
        Cond::HomeAccount,
        Cond::ViaS3,
    ])
    .prop_map(|cond| St {
        deny: true,
        not_principal: false,
        principals: vec![P::Star],
        not_action: false,
        actions: vec![A::Star],
        cond,
        res: Res::Star,
    })
}

/// A policy that (usually) lets the account manage the key, plus random statements; sometimes
/// a `Deny "*" kms:*` under a condition every request (or every IAM principal) meets.
pub fn policy() -> impl Strategy<Value = Vec<St>> {
    let admin = St {
        deny: false,
        not_principal: false,
        principals: vec![P::RootArn],
        not_action: false,
        actions: vec![A::Star],
        cond: Cond::Unset,
        res: Res::Star,
    };
    (
        any::<bool>(),
        prop::collection::vec(statement(), 0..=3),
        prop::option::weighted(0.1, deny_everyone()),
    )
        .prop_map(move |(with_admin, mut rest, deny)| {
            let mut doc = Vec::new();
            if with_admin {
                doc.push(admin.clone());
            }
            doc.append(&mut rest);
            doc.extend(deny);
            if doc.is_empty() {
                doc.push(admin.clone());
            }
            doc
        })
}

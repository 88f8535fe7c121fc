//! Who is asking: the principal a condition is evaluated for ([`Subject`]), what the documents
//! being compared name ([`Universe`]), and what keyblast knows, without seeing a request, about
//! the request context keys that principal's requests carry.
//!
//! Design decisions (AWS's "Availability" notes on the global condition context keys, see
//! docs/policy.md for the sources):
//! - Present in every request to KMS: `aws:CurrentTime`, `aws:EpochTime`,
//!   `aws:SecureTransport`, `aws:RequestedRegion` ("always included in the request context").
//!   Their values are not known, but their kind is: the two time keys hold the time of the
//!   request (bounded, see `time.rs`), `aws:SecureTransport` is a boolean.
//! - Present in every request an IAM identity (root, user, role session, federated user) makes:
//!   `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:userid` (included in
//!   all signed requests; KMS accepts only signed requests). For a named principal the ARN and
//!   account are known: a role's requests carry the role ARN (not the session's), a session's
//!   carry its role's ARN, which is known when the documents name exactly one role of that name
//!   in that account (role names are unique per account), and otherwise known only to differ
//!   from every ARN the documents write.
//! - Service principals, federated providers, canonical users, unparseable names and "anyone
//!   else" may make requests without those identity keys (AWS documents no value of
//!   `aws:PrincipalArn` for a service principal), so there the keys may be absent.
//! - Where the value of `aws:PrincipalArn` is not known, its *shape* often is ([`Fact::shape`]):
//!   an IAM principal's ARN is `arn:<partition>:<iam|sts>::<account>:<resource>` (IAM User Guide,
//!   "IAM identifiers"), with the account known for an unnamed principal of a mentioned account,
//!   the partition known from the key's ARN (or from the one partition the documents write the
//!   account's users, roles or sessions in — not its root, which may be a normalised bare id), a
//!   session's role ARN known to be `arn:P:iam::A:role/<path>/<role name>`. So a pattern such as
//!   `arn:*` or `arn:aws:*:*:*:*` can be decided for principals nobody names.
//! - Every other key (`kms:*`, `aws:SourceIp`, tags, ...) may or may not be present, with any
//!   value.
//! - "Anyone else" ([`Subject::Stranger`]) is a principal the documents do not name anywhere
//!   (in principal elements or in `aws:PrincipalArn` conditions), that is no session of a named
//!   role, and whose account the documents do not mention. So its ARN and account are known to
//!   differ from every ARN and account written in the documents.

use super::condition::Operator;
use super::document::PolicyDocument;
use super::identity::Identity;
use super::principal::{is_account_id, Principal, THIS_ACCOUNT};
use super::template::Template;
use super::truth::Truth;
use super::wildcard;
use std::collections::{BTreeMap, BTreeSet};

/// The principal whose requests are being judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Subject<'a> {
    /// A principal as a policy names it; for a role, any session of the role that the
    /// documents do not name individually.
    Named(&'a Principal),
    /// Some IAM principal (not the root) of this account that the documents do not name.
    OtherIn(&'a str),
    /// Anyone else. `iam`: known to be an IAM identity (then the identity keys are present).
    Stranger { iam: bool },
}

/// What the documents being evaluated mention; built once per comparison so both sides judge
/// "anyone else" alike.
#[derive(Clone, Debug, Default)]
pub(crate) struct Universe {
    /// Lower-cased: every AWS principal string named, every literal `aws:PrincipalArn` value.
    arns: BTreeSet<String>,
    /// Every account of a named principal, literal `aws:PrincipalAccount` value, or account of
    /// a literal `aws:PrincipalArn` value.
    pub accounts: BTreeSet<String>,
    /// (partition, account, role name) → role ARNs written for it.
    roles: BTreeMap<(String, String, String), BTreeSet<String>>,
    /// Account → the partitions of the ARNs written for it, account roots left out (a bare
    /// account id is normalised to an `arn:aws:` root, so a root's partition is not evidence).
    partitions: BTreeMap<String, BTreeSet<String>>,
    /// The partitions of the keys the documents are attached to (when known).
    key_partitions: BTreeSet<String>,
}

impl Universe {
    pub(crate) fn of<'d>(docs: impl IntoIterator<Item = &'d PolicyDocument>) -> Universe {
        let mut u = Universe::default();
        for doc in docs {
            if let Some(p) = doc.key_arn.as_deref().and_then(|a| a.split(':').nth(1)) {
                u.key_partitions.insert(p.to_string());
            }
            for st in &doc.statements {
                for p in st.principals.listed() {
                    if let Principal::Aws(s) = p {
                        u.add_arn(s);
                    }
                }
                for t in st
                    .condition
                    .tests
                    .iter()
                    .filter(|t| t.operator != Operator::Null)
                {
                    match t.key_lower().as_str() {
                        "aws:principalarn" => {
                            for v in t.values.iter().filter(|v| wildcard::is_literal(v)) {
                                u.add_arn(v);
                            }
                        }
                        "aws:principalaccount" => {
                            for v in t.values.iter().filter(|v| is_account_id(v)) {
                                u.accounts.insert(v.clone());
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        u
    }

    fn add_arn(&mut self, s: &str) {
        self.arns.insert(s.to_lowercase());
        let id = Identity::parse(s);
        if let Some(a) = id.account() {
            self.accounts.insert(a.to_string());
            if let Some(p) = id
                .partition()
                .filter(|_| !matches!(id, Identity::Root { .. }))
            {
                self.partitions
                    .entry(a.to_string())
                    .or_default()
                    .insert(p.to_string());
            }
        }
        if let Identity::Role {
            partition,
            account,
            name,
        } = id
        {
            self.roles
                .entry((partition.into(), account.into(), name.into()))
                .or_default()
                .insert(s.to_string());
        }
    }

    /// The one role ARN the documents write for this role name, if exactly one.
    fn role_arn(&self, partition: &str, account: &str, name: &str) -> Option<&str> {
        let key = (partition.to_string(), account.to_string(), name.to_string());
        match self.roles.get(&key) {
            Some(set) if set.len() == 1 => set.iter().next().map(String::as_str),
            _ => None,
        }
    }

    /// The partition of `account`'s principals: the key's (a principal cannot use a key in
    /// another partition), else the one partition the documents write the account's users,
    /// roles and sessions in, if exactly one.
    fn partition_of(&self, account: &str) -> Option<&str> {
        fn one(set: &BTreeSet<String>) -> Option<&str> {
            match set.len() {
                1 => set.iter().next().map(String::as_str),
                _ => None,
            }
        }
        one(&self.key_partitions).or_else(|| self.partitions.get(account).and_then(one))
    }

    /// Whether the documents write a role ARN for this role name at all.
    fn knows_role(&self, partition: &str, account: &str, name: &str) -> bool {
        let key = (partition.to_string(), account.to_string(), name.to_string());
        self.roles.contains_key(&key)
    }
}

/// What is known about one key's value in the subject's requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value<'u> {
    /// Exactly this.
    Known(String),
    /// The time of the request, between `time::TIME_MIN` and `time::TIME_MAX`; `epoch`: as
    /// `aws:EpochTime` writes it (a number), else as `aws:CurrentTime` (a date).
    Time {
        epoch: bool,
    },
    /// `true` or `false`.
    Boolean,
    /// Unknown, but different (even ignoring case) from every string in this lower-cased set.
    NoneOf(&'u BTreeSet<String>),
    Unknown,
}

/// Whether a key is in the subject's requests, and its value when it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fact<'u> {
    pub present: Truth,
    pub value: Value<'u>,
    /// When the value is not [`Value::Known`]: a template every possible value fits, if the
    /// shape of the value is known (an IAM principal's ARN).
    pub shape: Option<Template>,
}

const ALWAYS_PRESENT: [&str; 4] = [
    "aws:currenttime",
    "aws:epochtime",
    "aws:requestedregion",
    "aws:securetransport",
];

const IDENTITY_KEYS: [&str; 4] = [
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principaltype",
    "aws:userid",
];

impl<'a> Subject<'a> {
    /// What the subject's requests say about `key` (lower-cased).
    pub(crate) fn fact<'u>(&self, key: &str, u: &'u Universe) -> Fact<'u> {
        let unknown = Fact {
            present: Truth::Conditional,
            value: Value::Unknown,
            shape: None,
        };
        if ALWAYS_PRESENT.contains(&key) {
            let value = match key {
                "aws:currenttime" => Value::Time { epoch: false },
                "aws:epochtime" => Value::Time { epoch: true },
                "aws:securetransport" => Value::Boolean,
                _ => Value::Unknown,
            };
            return Fact {
                present: Truth::Always,
                value,
                shape: None,
            };
        }
        if !IDENTITY_KEYS.contains(&key) {
            return unknown;
        }
        let (iam, arn, account) = match *self {
            // The default policy's placeholder root stands for an account keyblast does not
            // know: its ARN and account are unknown, not the placeholder text.
            Subject::Named(Principal::Aws(s))
                if Identity::parse(s).account() == Some(THIS_ACCOUNT) =>
            {
                (true, Value::Unknown, Value::Unknown)
            }
            Subject::Named(Principal::Aws(s)) => {
                let id = Identity::parse(s);
                (id.is_iam(), principal_arn(s, id, u), known(id.account()))
            }
            Subject::Named(_) => (false, Value::Unknown, Value::Unknown),
            Subject::OtherIn(a) => (true, Value::NoneOf(&u.arns), Value::Known(a.into())),
            Subject::Stranger { iam } => (iam, Value::NoneOf(&u.arns), Value::NoneOf(&u.accounts)),
        };
        let present = if iam {
            Truth::Always
        } else {
            Truth::Conditional
        };
        let (value, shape) = match key {
            "aws:principalarn" => {
                let shape = match arn {
                    Value::Known(_) => None,
                    _ => self.arn_shape(u),
                };
                (arn, shape)
            }
            "aws:principalaccount" => (account, None),
            _ => (Value::Unknown, None),
        };
        Fact {
            present,
            value,
            shape,
        }
    }

    /// The shape of the subject's `aws:PrincipalArn`, when it is an IAM principal:
    /// `arn:<partition>:<iam|sts>::<account>:<resource>`, with what is known filled in.
    fn arn_shape(&self, u: &Universe) -> Option<Template> {
        let iam = |partition: Option<&str>, account: Option<&str>| {
            Template::new()
                .text("arn:")
                .text_or_field(partition)
                .text(":")
                .field()
                .text("::")
                .text_or_field(account)
                .text(":")
                .rest()
        };
        match *self {
            Subject::Named(Principal::Aws(s)) => match Identity::parse(s) {
                // The default policy's root of an unknown account (in an unknown partition:
                // the placeholder's `aws` is an assumption).
                Identity::Root { .. } => Some(
                    Template::new()
                        .text("arn:")
                        .field()
                        .text(":iam::")
                        .field()
                        .text(":root"),
                ),
                // A session's requests carry its role's ARN: the role name is known, the path
                // is not.
                Identity::Session {
                    partition,
                    account,
                    role,
                } => Some(
                    Template::new()
                        .text(&format!("arn:{partition}:iam::{account}:role/"))
                        .rest()
                        .text(role),
                ),
                _ => None,
            },
            Subject::OtherIn(a) => Some(iam(u.partition_of(a), Some(a))),
            Subject::Stranger { iam: true } => Some(iam(None, None)),
            _ => None,
        }
    }
}

fn known(s: Option<&str>) -> Value<'static> {
    s.map_or(Value::Unknown, |s| Value::Known(s.to_string()))
}

/// `aws:PrincipalArn` of a named AWS principal's requests.
fn principal_arn<'u>(written: &str, id: Identity<'_>, u: &'u Universe) -> Value<'u> {
    match id {
        Identity::Session {
            partition,
            account,
            role,
        } => match u.role_arn(partition, account, role) {
            Some(arn) => Value::Known(arn.to_string()),
            // No role of that name is written anywhere: the session's role ARN is none of the
            // ARNs the documents write.
            None if !u.knows_role(partition, account, role) => Value::NoneOf(&u.arns),
            None => Value::Unknown,
        },
        Identity::Other => Value::Unknown,
        _ => Value::Known(written.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::fixtures::{aws, policy, TYPICAL};
    use crate::policy::parse;

    #[test]
    fn universe_collects_arns_accounts_and_roles() {
        let d = policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:role/app/App","arn:aws:sts::444455556666:assumed-role/R/s"]},"Action":"kms:Decrypt"}"#,
            r#"{"Effect":"Deny","Principal":"*","Action":"kms:*","Condition":{"ArnNotLike":{"aws:PrincipalArn":["arn:aws:iam::777788889999:role/Admin","arn:aws:iam::*:role/x"]},"StringEquals":{"aws:PrincipalAccount":"999900001111"}}}"#,
        ]);
        let u = Universe::of([&d]);
        let accounts: Vec<&str> = u.accounts.iter().map(String::as_str).collect();
        assert_eq!(
            accounts,
            [
                "111122223333",
                "444455556666",
                "777788889999",
                "999900001111"
            ]
        );
        assert!(u.arns.contains("arn:aws:iam::777788889999:role/admin"));
        assert!(!u.arns.iter().any(|a| a.contains('*')));
        assert_eq!(
            u.role_arn("aws", "111122223333", "App"),
            Some("arn:aws:iam::111122223333:role/app/App")
        );
        assert_eq!(u.role_arn("aws", "111122223333", "app"), None);
    }

    #[test]
    fn facts_per_subject() {
        let d = parse(TYPICAL).unwrap();
        let u = Universe::of([&d]);
        let role = aws("arn:aws:iam::111122223333:role/App");
        let f = Subject::Named(&role).fact("aws:principalarn", &u);
        assert_eq!(f.present, Truth::Always);
        assert_eq!(
            f.value,
            Value::Known("arn:aws:iam::111122223333:role/App".into())
        );
        let session = aws("arn:aws:sts::111122223333:assumed-role/App/worker");
        assert_eq!(
            Subject::Named(&session).fact("aws:principalarn", &u).value,
            Value::Known("arn:aws:iam::111122223333:role/App".into())
        );
        let other_session = aws("arn:aws:sts::111122223333:assumed-role/Batch/worker");
        assert_eq!(
            Subject::Named(&other_session)
                .fact("aws:principalarn", &u)
                .value,
            Value::NoneOf(&u.arns)
        );
        assert_eq!(
            Subject::Named(&session)
                .fact("aws:principalaccount", &u)
                .value,
            Value::Known("111122223333".into())
        );
        let logs = Principal::Service("logs.us-east-1.amazonaws.com".into());
        let f = Subject::Named(&logs).fact("aws:principalarn", &u);
        assert_eq!((f.present, f.value), (Truth::Conditional, Value::Unknown));
        let f = Subject::Stranger { iam: false }.fact("aws:principalaccount", &u);
        assert_eq!(
            (f.present, f.value),
            (Truth::Conditional, Value::NoneOf(&u.accounts))
        );
        let f = Subject::Stranger { iam: true }.fact("aws:userid", &u);
        assert_eq!((f.present, f.value), (Truth::Always, Value::Unknown));
        let f = Subject::OtherIn("111122223333").fact("aws:principalaccount", &u);
        assert_eq!(f.value, Value::Known("111122223333".into()));
        for s in [Subject::Named(&logs), Subject::Stranger { iam: false }] {
            assert_eq!(s.fact("aws:securetransport", &u).present, Truth::Always);
            assert_eq!(s.fact("kms:viaservice", &u).present, Truth::Conditional);
        }
        let placeholder = aws("arn:aws:iam::(this account):root");
        let f = Subject::Named(&placeholder).fact("aws:principalaccount", &u);
        assert_eq!((f.present, f.value), (Truth::Always, Value::Unknown));
        let opaque = aws("AROAEXAMPLE");
        assert_eq!(
            Subject::Named(&opaque).fact("aws:principalarn", &u).present,
            Truth::Conditional
        );
    }
}

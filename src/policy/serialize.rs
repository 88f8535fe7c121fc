//! A [`PolicyDocument`] back to key-policy JSON.
//!
//! The output is canonical rather than a copy of the input: `Version` `2012-10-17`, every list
//! written as a list, principals in the parser's (sorted) order, conditions
//! grouped by canonical operator name. Parsing it gives the same document back, which the
//! property tests check.

use super::condition;
use super::document::{ActionSet, Effect, PolicyDocument, PrincipalSet, ResourceSet, Statement};
use super::principal::Principal;
use serde_json::{json, Map, Value};

impl PolicyDocument {
    /// The document as key-policy JSON; `parse` of its text gives this document back.
    pub fn to_json(&self) -> Value {
        let statements: Vec<Value> = self.statements.iter().map(statement).collect();
        json!({"Version": "2012-10-17", "Statement": statements})
    }
}

fn statement(st: &Statement) -> Value {
    let mut m = Map::new();
    if let Some(sid) = &st.sid {
        m.insert("Sid".into(), Value::String(sid.clone()));
    }
    let effect = match st.effect {
        Effect::Allow => "Allow",
        Effect::Deny => "Deny",
    };
    m.insert("Effect".into(), effect.into());
    let (field, list) = match &st.principals {
        PrincipalSet::Only(l) => ("Principal", l),
        PrincipalSet::AllExcept(l) => ("NotPrincipal", l),
    };
    m.insert(field.into(), principals(list));
    let (field, pats) = match &st.actions {
        ActionSet::Only(p) => ("Action", p),
        ActionSet::AllExcept(p) => ("NotAction", p),
    };
    m.insert(field.into(), json!(pats));
    match &st.resources {
        ResourceSet::Only(p) => m.insert("Resource".into(), json!(p)),
        ResourceSet::AllExcept(p) => m.insert("NotResource".into(), json!(p)),
        ResourceSet::Unstated => None,
    };
    if !st.condition.is_empty() {
        m.insert("Condition".into(), condition::to_json(&st.condition));
    }
    Value::Object(m)
}

fn principals(list: &[Principal]) -> Value {
    if list == [Principal::Any] {
        return "*".into();
    }
    let mut m: Map<String, Value> = Map::new();
    for p in list {
        let (kind, name) = match p {
            Principal::Any => ("AWS", "*"),
            Principal::Aws(s) => ("AWS", s.as_str()),
            Principal::Service(s) => ("Service", s.as_str()),
            Principal::Federated(s) => ("Federated", s.as_str()),
            Principal::CanonicalUser(s) => ("CanonicalUser", s.as_str()),
            // Not a policy principal (the parser never produces it); written as the account id
            // so the output stays valid JSON of the right shape.
            Principal::OtherInAccount(a) => ("AWS", a.as_str()),
        };
        if let Value::Array(v) = m.entry(kind).or_insert_with(|| Value::Array(Vec::new())) {
            v.push(name.into());
        }
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use crate::policy::fixtures::*;
    use crate::policy::{default_key_policy, parse};

    #[test]
    fn fixtures_round_trip() {
        for d in [doc(TYPICAL), doc(AWS_DEFAULT), default_key_policy(None)] {
            let text = d.to_json().to_string();
            assert_eq!(parse(&text).unwrap(), d, "{text}");
        }
        let d = policy(&[
            r#"{"Effect":"Deny","NotPrincipal":{"AWS":["*","arn:b"],"Service":"s.amazonaws.com","Federated":"f","CanonicalUser":"c"},"NotAction":["kms:Sign","s3:*"],"Condition":{"forAnyValue:stringLikeIfExists":{"k":[1,true]},"Null":{"x":"true"}}}"#,
        ]);
        let v = d.to_json();
        assert_eq!(
            v["Statement"][0]["Condition"]["ForAnyValue:StringLikeIfExists"]["k"],
            serde_json::json!(["1", "true"])
        );
        assert_eq!(parse(&v.to_string()).unwrap(), d);
    }
}

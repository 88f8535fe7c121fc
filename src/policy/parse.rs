//! Parsing key-policy JSON text into a [`PolicyDocument`].
//!
//! Design decisions:
//! - The text is parsed with [`crate::json::from_str`] into a `Value`: a member that appears
//!   twice anywhere (two `Statement`s, two `Effect`s in a statement, a key twice in a condition
//!   block) is an error, never "the last one wins" (readers disagree on which one counts). Its
//!   recursion limit of 128 turns a deeply nested document into an error, not a stack overflow.
//!   The value is then walked by hand, so every shape is handled and every wrong type becomes a
//!   [`PolicyError`] naming the statement (1-based, in document order).
//! - Accepted shapes: `Statement` is an object or a list of objects; `Principal`/`NotPrincipal`
//!   is `"*"` or an object with `AWS`, `Service`, `Federated` and/or `CanonicalUser`, each a
//!   string or list of strings; `Action`/`NotAction` is a string or list of strings.
//!   `Version` must be one of the two policy-language versions AWS documents, `Id` a string.
//! - Only the members of the IAM policy grammar are accepted: `Version`, `Id` and `Statement` in
//!   the policy; `Sid`, `Effect`, `Principal`/`NotPrincipal`, `Action`/`NotAction`,
//!   `Resource`/`NotResource` and `Condition` in a statement. AWS refuses any other member
//!   (`MalformedPolicyDocument`), and one keyblast skipped could carry what decides access (a
//!   lower-case `statement` granting `*`), so an unknown member is a [`PolicyError`]. The grammar
//!   spells element names as literal strings, so names are matched exactly (case-sensitive): a
//!   `statement` or `effect` is unknown, never a second spelling. A JSON `null` counts as absent.
//! - Strict where AWS is strict (no `Effect`, no principal, no action, both `X` and `NotX`,
//!   wrong types, empty lists, unknown condition operators): a policy AWS would refuse is
//!   reported, not guessed at. The `Effect` value is `Allow` or `Deny`, exactly: AWS documents it
//!   as case-sensitive ("The Effect value is case sensitive", IAM JSON policy elements:
//!   Effect) and refuses `allow`, so a lower-case effect would make the apply fail, not grant
//!   anything. `Condition` is parsed by `condition.rs`.
//! - A text larger than [`MAX_POLICY_BYTES`] (8 × the 32 KB AWS allows) is refused, which keeps
//!   the cost of later analysis bounded on hostile input.

use super::condition::{self, Condition};
use super::document::{
    ActionSet, Effect, PolicyDocument, PolicyError, PrincipalSet, ResourceSet, Statement,
};
use super::elements::{kind, patterns, principals, quoted};
use serde_json::{Map, Value};

/// Largest policy text [`parse()`] accepts, in bytes.
pub const MAX_POLICY_BYTES: usize = 256 * 1024;

/// The members a policy may have (IAM policy grammar).
const POLICY_MEMBERS: [&str; 3] = ["Version", "Id", "Statement"];

/// The members a statement may have (IAM policy grammar).
const STATEMENT_MEMBERS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// The policy-language versions AWS documents.
const VERSIONS: [&str; 2] = ["2012-10-17", "2008-10-17"];

/// Parses a key-policy JSON document.
pub fn parse(text: &str) -> Result<PolicyDocument, PolicyError> {
    if text.len() > MAX_POLICY_BYTES {
        return Err(error(format!(
            "policy is {} bytes; keyblast reads key policies up to {MAX_POLICY_BYTES} bytes \
             (AWS allows 32768)",
            text.len()
        )));
    }
    let value: Value = crate::json::from_str(text).map_err(json_error)?;
    let Value::Object(top) = &value else {
        return Err(error(format!(
            "policy is {}, not a JSON object",
            kind(&value)
        )));
    };
    if let Some(k) = unknown_member(top, &POLICY_MEMBERS) {
        return Err(error(format!(
            "policy has an unknown member {} (a policy has only Version, Id and Statement, \
             spelt exactly so)",
            quoted(k)
        )));
    }
    match present(top, "Version") {
        None => {}
        Some(Value::String(v)) if VERSIONS.contains(&v.as_str()) => {}
        Some(Value::String(v)) => {
            return Err(error(format!(
                "policy has an unknown Version {} (AWS knows 2012-10-17 and 2008-10-17)",
                quoted(v)
            )))
        }
        Some(other) => {
            let k = kind(other);
            return Err(error(format!(
                "policy has a Version that is {k}, not a string"
            )));
        }
    }
    if let Some(other) = present(top, "Id").filter(|v| !v.is_string()) {
        let k = kind(other);
        return Err(error(format!("policy has an Id that is {k}, not a string")));
    }
    let items: Vec<&Value> = match present(top, "Statement") {
        None => return Err(error("policy has no Statement".into())),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        Some(other) => {
            let k = kind(other);
            return Err(error(format!(
                "policy has a Statement that is {k}, not an object or a list"
            )));
        }
    };
    let statements = items
        .iter()
        .enumerate()
        .map(|(i, v)| statement(v).map_err(|what| error(format!("Statement {} {what}", i + 1))))
        .collect::<Result<_, _>>()?;
    Ok(PolicyDocument {
        statements,
        key_arn: None,
    })
}

/// One statement; `Err` is the text that follows "Statement N".
fn statement(v: &Value) -> Result<Statement, String> {
    let Value::Object(m) = v else {
        return Err(format!("is {}, not an object", kind(v)));
    };
    if let Some(k) = unknown_member(m, &STATEMENT_MEMBERS) {
        return Err(format!(
            "has an unknown member {} (a statement has only Sid, Effect, Principal or \
             NotPrincipal, Action or NotAction, Resource or NotResource and Condition, spelt \
             exactly so)",
            quoted(k)
        ));
    }
    let sid = match present(m, "Sid") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => return Err(format!("has a Sid that is {}, not a string", kind(other))),
    };
    let effect = match present(m, "Effect") {
        None => return Err("has no Effect".into()),
        Some(Value::String(s)) if s == "Allow" => Effect::Allow,
        Some(Value::String(s)) if s == "Deny" => Effect::Deny,
        Some(Value::String(s)) => {
            return Err(format!(
                "has an unknown Effect {} (AWS accepts only \"Allow\" or \"Deny\", case-sensitive)",
                quoted(s)
            ))
        }
        Some(other) => {
            return Err(format!(
                "has an Effect that is {}, not a string",
                kind(other)
            ))
        }
    };
    let principals = match (present(m, "Principal"), present(m, "NotPrincipal")) {
        (Some(_), Some(_)) => return Err("has both Principal and NotPrincipal".into()),
        (None, None) => return Err("has no Principal or NotPrincipal".into()),
        (Some(p), None) => PrincipalSet::Only(principals(p, "Principal")?),
        (None, Some(p)) => PrincipalSet::AllExcept(principals(p, "NotPrincipal")?),
    };
    let actions = match (present(m, "Action"), present(m, "NotAction")) {
        (Some(_), Some(_)) => return Err("has both Action and NotAction".into()),
        (None, None) => return Err("has no Action or NotAction".into()),
        (Some(a), None) => ActionSet::Only(patterns(a, "Action")?),
        (None, Some(a)) => ActionSet::AllExcept(patterns(a, "NotAction")?),
    };
    let resources = match (present(m, "Resource"), present(m, "NotResource")) {
        (Some(_), Some(_)) => return Err("has both Resource and NotResource".into()),
        (None, None) => ResourceSet::Unstated,
        (Some(r), None) => ResourceSet::Only(patterns(r, "Resource")?),
        (None, Some(r)) => ResourceSet::AllExcept(patterns(r, "NotResource")?),
    };
    let condition = match present(m, "Condition") {
        None => Condition::default(),
        Some(c) => condition::parse(c)?,
    };
    Ok(Statement {
        sid,
        effect,
        principals,
        actions,
        resources,
        condition,
    })
}

/// A member of `m` that is not one of `known`, if any.
fn unknown_member<'a>(m: &'a Map<String, Value>, known: &[&str]) -> Option<&'a str> {
    m.keys().map(String::as_str).find(|k| !known.contains(k))
}

fn present<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    m.get(key).filter(|v| !v.is_null())
}

fn error(reason: String) -> PolicyError {
    PolicyError { reason }
}

/// `not valid JSON at line L column C: <serde_json's message without its position>`.
fn json_error(e: serde_json::Error) -> PolicyError {
    let full = e.to_string();
    let at = format!(" at line {} column {}", e.line(), e.column());
    let msg = full.strip_suffix(&at).unwrap_or(&full);
    error(format!("not valid JSON{at}: {msg}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::fixtures::{aws, AWS_DEFAULT, PARTNER_ROOT, TYPICAL};
    use crate::policy::{default_key_policy, Principal};

    fn reason(text: &str) -> String {
        match parse(text) {
            Ok(doc) => panic!("expected an error, parsed {doc:?}"),
            Err(e) => e.reason,
        }
    }

    #[test]
    fn aws_default_policy_equals_default_key_policy() {
        assert_eq!(
            parse(AWS_DEFAULT).unwrap(),
            default_key_policy(Some("111122223333"))
        );
    }

    #[test]
    fn typical_policy_statements() {
        let doc = parse(TYPICAL).unwrap();
        let sids: Vec<&str> = doc
            .statements
            .iter()
            .filter_map(|s| s.sid.as_deref())
            .collect();
        assert_eq!(sids.len(), 5);
        assert_eq!(sids[2], "Allow use of the key");
        let conditional: Vec<bool> = doc
            .statements
            .iter()
            .map(|s| !s.condition.is_empty())
            .collect();
        assert_eq!(conditional, [false, false, false, true, true]);
        assert_eq!(
            doc.statements[4].condition.tests[0].describe(),
            "ArnLike kms:EncryptionContext:aws:logs:arn"
        );
        assert!(doc.statements.iter().all(|s| s.effect == Effect::Allow));
        let users = &doc.statements[2];
        let want = vec![aws("arn:aws:iam::111122223333:role/App"), aws(PARTNER_ROOT)];
        assert_eq!(users.principals, PrincipalSet::Only(want));
        let ActionSet::Only(pats) = &users.actions else {
            panic!("expected Action")
        };
        assert_eq!(pats[2], "kms:ReEncrypt*");
    }

    #[test]
    fn single_statement_object_deny_and_condition() {
        let doc = parse(
            r#"{"Statement": {"Sid": "x", "Effect": "Deny", "Principal": {"Service": "s"},
                "Action": "kms:Decrypt", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}}"#,
        )
        .unwrap();
        let st = &doc.statements[0];
        assert_eq!(doc.statements.len(), 1);
        assert_eq!(
            (st.sid.as_deref(), st.effect, st.condition.tests.len()),
            (Some("x"), Effect::Deny, 1)
        );
        assert_eq!(
            st.principals,
            PrincipalSet::Only(vec![Principal::Service("s".into())])
        );
    }

    #[test]
    fn not_principal_not_action_and_empty_condition() {
        let doc = parse(
            r#"{"Statement": [{"Effect": "Allow", "NotPrincipal": "*", "NotAction": "kms:Sign",
                "Condition": {}, "Sid": null}]}"#,
        )
        .unwrap();
        let st = &doc.statements[0];
        assert_eq!(st.effect, Effect::Allow);
        assert_eq!(st.sid, None);
        assert!(st.condition.is_empty());
        assert_eq!(st.principals, PrincipalSet::AllExcept(vec![Principal::Any]));
        assert_eq!(st.actions, ActionSet::AllExcept(vec!["kms:Sign".into()]));
    }

    #[test]
    fn empty_statement_list_is_an_empty_policy() {
        assert!(parse(r#"{"Statement": []}"#).unwrap().statements.is_empty());
    }

    #[test]
    fn malformed_documents() {
        assert_eq!(
            reason("{\n\"Statement\": [\n    x"),
            "not valid JSON at line 3 column 5: expected value"
        );
        assert_eq!(
            reason(""),
            "not valid JSON at line 1 column 0: EOF while parsing a value"
        );
        assert_eq!(reason("[]"), "policy is a list, not a JSON object");
        assert_eq!(reason("\"x\""), "policy is a string, not a JSON object");
        assert_eq!(reason("{}"), "policy has no Statement");
        assert_eq!(reason(r#"{"Statement": null}"#), "policy has no Statement");
        assert!(reason(r#"{"statement": []}"#).starts_with("policy has an unknown member"));
        assert_eq!(
            reason(r#"{"Statement": "x"}"#),
            "policy has a Statement that is a string, not an object or a list"
        );
        assert_eq!(
            reason(r#"{"Statement": [{}, 7]}"#),
            "Statement 1 has no Effect"
        );
    }

    #[test]
    fn unknown_members_are_unparseable() {
        let ok = r#""Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*""#;
        assert_eq!(
            reason(&format!(r#"{{"Statement":[{{{ok}}}],"Bogus":1}}"#)),
            "policy has an unknown member \"Bogus\" (a policy has only Version, Id and \
             Statement, spelt exactly so)"
        );
        // a second, lower-case Statement is not read as a spelling of the first
        let r = reason(&format!(
            r#"{{"Statement":[{{{ok}}}],"statement":[{{{ok}}}]}}"#
        ));
        assert!(
            r.starts_with("policy has an unknown member \"statement\""),
            "{r}"
        );
        for member in [
            r#""Unknown":[1,2]"#,
            r#""effect":"Deny""#,
            r#""Bogus":null"#,
        ] {
            let r = reason(&format!(r#"{{"Statement":[{{{ok}}},{{{ok},{member}}}]}}"#));
            assert!(r.starts_with("Statement 2 has an unknown member \""), "{r}");
            assert!(r.ends_with("Resource or NotResource and Condition, spelt exactly so)"));
        }
        assert_eq!(
            reason(r#"{"Version":"2012-10-18","Statement":[]}"#),
            "policy has an unknown Version \"2012-10-18\" (AWS knows 2012-10-17 and 2008-10-17)"
        );
        assert_eq!(
            reason(r#"{"Version":2012,"Statement":[]}"#),
            "policy has a Version that is a number, not a string"
        );
        assert_eq!(
            reason(r#"{"Id":["x"],"Statement":[]}"#),
            "policy has an Id that is a list, not a string"
        );
        let known = format!(
            r#"{{"Version":"2008-10-17","Id":"k","Statement":[{{"Sid":"s",{ok},"Condition":{{}}}}]}}"#
        );
        assert!(parse(&known).is_ok());
    }

    #[test]
    fn duplicate_members_are_unparseable() {
        let ok = r#""Effect":"Allow","Principal":"*","Action":"kms:*""#;
        for (text, member) in [
            (format!(r#"{{"Statement": [], "Statement": [{{{ok}}}]}}"#), "Statement"),
            (
                r#"{"Statement": {"Effect":"Deny","Effect":"Allow","Principal":"*","Action":"kms:*"}}"#.to_string(),
                "Effect",
            ),
            (
                r#"{"Statement": {"Effect":"Allow","Principal":{"AWS":"a","AWS":"b"},"Action":"kms:*"}}"#.to_string(),
                "AWS",
            ),
            (
                format!(r#"{{"Statement": {{{ok},"Condition":{{"StringEquals":{{"kms:ViaService":"a","kms:ViaService":"b"}}}}}}}}"#),
                "kms:ViaService",
            ),
            (
                format!(r#"{{"Statement": {{{ok},"Condition":{{"Bool":{{"a":"true"}},"Bool":{{"b":"true"}}}}}}}}"#),
                "Bool",
            ),
        ] {
            let r = reason(&text);
            assert!(r.starts_with("not valid JSON at line 1 column "), "{r}");
            assert!(r.ends_with(&format!(": duplicate member \"{member}\"")), "{r}");
        }
    }

    #[test]
    fn malformed_statements() {
        let cases = [
            (r#"7"#, "Statement 2 is a number, not an object"),
            (r#"{"Principal":"*","Action":"kms:*"}"#, "Statement 2 has no Effect"),
            (r#"{"Effect":true,"Principal":"*","Action":"*"}"#, "Statement 2 has an Effect that is a boolean, not a string"),
            (r#"{"Effect":"Permit","Principal":"*","Action":"*"}"#, "Statement 2 has an unknown Effect \"Permit\" (AWS accepts only \"Allow\" or \"Deny\", case-sensitive)"),
            (r#"{"Effect":"allow","Principal":"*","Action":"*"}"#, "Statement 2 has an unknown Effect \"allow\" (AWS accepts only \"Allow\" or \"Deny\", case-sensitive)"),
            (r#"{"Effect":"DENY","Principal":"*","Action":"*"}"#, "Statement 2 has an unknown Effect \"DENY\" (AWS accepts only \"Allow\" or \"Deny\", case-sensitive)"),
            (r#"{"Effect":"Allow","Action":"*"}"#, "Statement 2 has no Principal or NotPrincipal"),
            (r#"{"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"*"}"#, "Statement 2 has both Principal and NotPrincipal"),
            (r#"{"Effect":"Allow","Principal":5,"Action":"*"}"#, "Statement 2 has a Principal that is a number, not \"*\" or an object"),
            (r#"{"Effect":"Allow","Principal":"arn:x","Action":"*"}"#, "Statement 2 has a Principal \"arn:x\" that is neither \"*\" nor an object like {\"AWS\": ...}"),
            (r#"{"Effect":"Allow","Principal":{"Aws":"*"},"Action":"*"}"#, "Statement 2 has an unknown principal type \"Aws\" in Principal"),
            (r#"{"Effect":"Allow","NotPrincipal":{"AWS":[1]},"Action":"*"}"#, "Statement 2 has a NotPrincipal AWS that is a list, not a string or a list of strings"),
            (r#"{"Effect":"Allow","Principal":{},"Action":"*"}"#, "Statement 2 has an empty Principal"),
            (r#"{"Effect":"Allow","Principal":{"AWS":[]},"Action":"*"}"#, "Statement 2 has an empty Principal"),
            (r#"{"Effect":"Allow","Principal":"*"}"#, "Statement 2 has no Action or NotAction"),
            (r#"{"Effect":"Allow","Principal":"*","Action":"*","NotAction":"*"}"#, "Statement 2 has both Action and NotAction"),
            (r#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","NotResource":"*"}"#, "Statement 2 has both Resource and NotResource"),
            (r#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":[]}"#, "Statement 2 has an empty Resource"),
            (r#"{"Effect":"Allow","Principal":"*","Action":"*","NotResource":{"a":1}}"#, "Statement 2 has a NotResource that is an object, not a string or a list of strings"),
            (r#"{"Effect":"Allow","Principal":"*","Action":{"a":1}}"#, "Statement 2 has an Action that is an object, not a string or a list of strings"),
            (r#"{"Effect":"Allow","Principal":"*","NotAction":[]}"#, "Statement 2 has an empty NotAction"),
            (r#"{"Effect":"Allow","Principal":"*","Action":"*","Condition":"x"}"#, "Statement 2 has a Condition that is a string, not an object"),
            (r#"{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"StringEqualz":{}}}"#, "Statement 2 has an unknown condition operator \"StringEqualz\""),
            (r#"{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"Bool":{"k":null}}}"#, "Statement 2 has a value for condition key \"k\" under \"Bool\" that is null, not a string, number or boolean"),
            (r#"{"Effect":"Allow","Principal":"*","Action":"*","Sid":3}"#, "Statement 2 has a Sid that is a number, not a string"),
        ];
        let ok = r#"{"Effect":"Allow","Principal":"*","Action":"kms:*"}"#;
        for (bad, want) in cases {
            assert_eq!(
                reason(&format!(r#"{{"Statement":[{ok},{bad}]}}"#)),
                want,
                "{bad}"
            );
        }
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "P".repeat(10_000);
        let r = reason(&format!(
            r#"{{"Statement":{{"Effect":"{long}","Principal":"*","Action":"*"}}}}"#
        ));
        assert_eq!(
            r,
            format!(
                "Statement 1 has an unknown Effect \"{}\"... (AWS accepts only \"Allow\" or \"Deny\", case-sensitive)",
                "P".repeat(60)
            )
        );
    }

    #[test]
    fn hostile_nesting_and_size() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(reason(&deep)
            .starts_with("not valid JSON at line 1 column 128: recursion limit exceeded"));
        let nested_condition = format!(
            r#"{{"Statement":{{"Effect":"Allow","Principal":"*","Action":"*","Condition":{}1{}}}}}"#,
            r#"{"a":"#.repeat(10_000),
            "}".repeat(10_000)
        );
        assert!(reason(&nested_condition).contains("recursion limit exceeded"));
        let huge = format!(
            r#"{{"Statement":[],"Id":"{}"}}"#,
            "x".repeat(MAX_POLICY_BYTES)
        );
        let want = format!(
            "policy is {} bytes; keyblast reads key policies up to 262144 bytes (AWS allows 32768)",
            huge.len()
        );
        assert_eq!(reason(&huge), want);
        assert!(parse(&format!(
            r#"{{"Statement":[],"Id":"{}"}}"#,
            "x".repeat(MAX_POLICY_BYTES - 30)
        ))
        .is_ok());
    }

    #[test]
    fn large_but_allowed_arrays_parse() {
        let many: Vec<String> = (0..5_000)
            .map(|i| format!("\"arn:aws:iam::111122223333:role/r{i}\""))
            .collect();
        let text = format!(
            r#"{{"Statement":{{"Effect":"Allow","Principal":{{"AWS":[{}]}},"Action":"kms:*"}}}}"#,
            many.join(",")
        );
        let doc = parse(&text).unwrap();
        assert_eq!(doc.statements[0].principals.listed().len(), 5_000);
    }
}

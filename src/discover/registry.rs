//! The one list of discovered services, and what is derived from it: the least-privilege IAM
//! policy and the mapping from a recorded SDK call to the IAM action it needs.

use super::service::{ops, Operation, Service};
use super::{ec2, kms, lambda, logs, rds, s3, ssm};
use serde_json::{json, Value};

/// Every service discovery runs, in the order progress lines and docs list them.
pub static SERVICES: &[&dyn Service] = &[
    &kms::Kms,
    &s3::S3,
    &rds::Rds,
    &ec2::Ec2,
    &lambda::Lambda,
    &logs::Logs,
    &ssm::Ssm,
];

/// The one call outside the services: which account the credentials belong to.
pub const STS: &[Operation] = ops!("sts": GetCallerIdentity);

/// Every IAM action discovery may need, sorted, each once.
pub fn iam_actions() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = SERVICES
        .iter()
        .flat_map(|s| s.operations().iter())
        .chain(STS)
        .map(|o| o.iam)
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// The read-only policy that lets discovery make every call it makes (docs/iam-policy.json).
pub fn iam_policy() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "KeyblastReadOnlyDiscovery",
            "Effect": "Allow",
            "Action": iam_actions(),
            "Resource": "*"
        }]
    })
}

/// The IAM action a recorded call (`kms:ListKeys`, as [`super::calls::CallLog`] records it)
/// needs, when a registered service declares it; `None` for an undeclared call.
pub fn iam_action_of(call: &str) -> Option<&'static str> {
    let (sdk_id, op) = call.split_once(':')?;
    SERVICES
        .iter()
        .filter(|s| s.sdk_id() == sdk_id)
        .flat_map(|s| s.operations().iter())
        .chain(STS.iter().filter(|_| sdk_id == "sts"))
        .find(|o| o.sdk == op)
        .map(|o| o.iam)
}

/// The services table of docs/inventory.md (between its `services:` markers).
pub fn services_table() -> String {
    let mut t = String::from("| service | finds | calls (IAM actions) |\n|---|---|---|\n");
    for s in SERVICES {
        let scope = match s.scope() {
            super::service::Scope::Regional => "",
            super::service::Scope::Global => " (account-wide: once, through the first region)",
        };
        let calls: Vec<String> = s
            .operations()
            .iter()
            .map(|o| format!("`{}`", o.iam))
            .collect();
        t.push_str(&format!(
            "| `{}` | {}{scope} | {} |\n",
            s.name(),
            s.finds(),
            calls.join(", ")
        ));
    }
    let sts: Vec<String> = STS.iter().map(|o| format!("`{}`", o.iam)).collect();
    t.push_str(&format!(
        "| `sts` | the account the credentials belong to (once) | {} |\n",
        sts.join(", ")
    ));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_every_action_is_read_only() {
        let mut names: Vec<&str> = SERVICES.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "two services share a name");
        for a in iam_actions() {
            let (_, verb) = a.split_once(':').expect("service:Action");
            assert!(
                ["List", "Describe", "Get"]
                    .iter()
                    .any(|p| verb.starts_with(p)),
                "{a} is not a read-only action"
            );
        }
    }

    #[test]
    fn the_published_policy_is_the_registry_s() {
        let published: Value =
            serde_json::from_str(include_str!("../../docs/iam-policy.json")).unwrap();
        assert_eq!(
            published,
            iam_policy(),
            "docs/iam-policy.json differs from the registry: regenerate it with `keyblast discover --print-iam-policy > docs/iam-policy.json`"
        );
    }

    #[test]
    fn the_docs_list_every_service() {
        let doc = include_str!("../../docs/inventory.md");
        let start = "<!-- services:start -->\n";
        let end = "<!-- services:end -->";
        let a = doc.find(start).expect("services:start marker") + start.len();
        let b = doc.find(end).expect("services:end marker");
        assert_eq!(
            &doc[a..b],
            services_table(),
            "docs/inventory.md's services table differs from the registry; put this between its markers:\n{}",
            services_table()
        );
    }

    #[test]
    fn recorded_calls_map_to_their_actions() {
        assert_eq!(iam_action_of("s3:ListBuckets"), Some("s3:ListAllMyBuckets"));
        assert_eq!(
            iam_action_of("cloudwatchlogs:DescribeLogGroups"),
            Some("logs:DescribeLogGroups")
        );
        assert_eq!(
            iam_action_of("sts:GetCallerIdentity"),
            Some("sts:GetCallerIdentity")
        );
        assert_eq!(iam_action_of("kms:Decrypt"), None);
        assert_eq!(
            iam_action_of("s3:ListKeys"),
            None,
            "kms's operation, not s3's"
        );
    }
}

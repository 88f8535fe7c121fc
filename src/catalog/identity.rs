//! How each resource type names itself (ARN and AWS-id attributes), so a plan resource and
//! the same resource found by live discovery are one node; the canonical form of ARNs; and
//! what a bare link target (an ARN or id nothing else describes) is.

use super::is_aws_id;
use std::borrow::Cow;

/// How a resource type names itself: the attributes holding its own ARN and its AWS id.
#[derive(Debug, Clone, Copy)]
pub struct Identity {
    /// Attributes whose value is this resource's ARN (indexed after [`canonical_id`]).
    pub arns: &'static [&'static str],
    /// Attributes whose value is this resource's AWS id (`vol-…`, `i-…`, `snap-…`); indexed
    /// only when the value looks like one ([`is_aws_id`]), so names never collide.
    pub ids: &'static [&'static str],
}

/// Every resource type keyblast knows, with the attributes (hashicorp/aws 5.x) that carry its
/// ARN and id, and what live discovery (src/discover) writes as the inventory `id` and
/// `aliases` of the same resource. The graph indexes plan resources by these attributes and
/// live resources by their id and aliases, so the two meet at one node.
///
/// Names (`identifier`, `cluster_identifier`, `function_name`, a bucket's or parameter's
/// `name`, an RDS `resource_id`) are not indexed: they are unique only within a type, account
/// and region, and every discovered resource has an ARN the plan also holds. KMS key ids and
/// alias names go to the key index instead (see `keys`). A grant is indexed as
/// `<key ARN>/grant/<grant_id>`, the id discovery gives it (see `build`).
///
/// | type | ARN attributes | id attributes | discovery: `id` (`aliases`) |
/// |---|---|---|---|
/// | `aws_kms_key`, replica and external keys | `arn` | (`key_id` → key index) | key ARN |
/// | `aws_kms_alias` | `arn` | (`name` → key index) | alias ARN (name) |
/// | `aws_s3_bucket` | `arn` | — (`bucket`/`id` are the name) | `arn:aws:s3:::name` (name) |
/// | `aws_db_instance`, `aws_rds_cluster_instance` | `arn` | — (`id` is `resource_id`) | ARN `…:db:identifier` |
/// | `aws_rds_cluster` | `arn` | — (`id` is `cluster_identifier`) | ARN `…:cluster:id` |
/// | `aws_db_snapshot`, `aws_db_snapshot_copy` | `db_snapshot_arn` | — | ARN `…:snapshot:id` |
/// | `aws_db_cluster_snapshot` | `db_cluster_snapshot_arn` | — | ARN `…:cluster-snapshot:id` |
/// | `aws_ebs_volume` | `arn` | `id` (`vol-…`) | ARN `…:volume/vol-…` (`vol-…`) |
/// | `aws_ebs_snapshot`, `aws_ebs_snapshot_copy` | `arn` | `id` (`snap-…`) | ARN (`snap-…`) |
/// | `aws_instance` | `arn` | `id` (`i-…`) | not listed; links name `i-…` |
/// | `aws_lambda_function` | `arn`, `qualified_arn` (qualifier dropped) | — | function ARN |
/// | `aws_cloudwatch_log_group` | `arn` (`:*` dropped) | — | ARN without `:*` |
/// | `aws_ssm_parameter` | `arn` | — (`name`) | ARN `…:parameter/name` |
/// | `aws_iam_role`, `aws_iam_user` | `arn` | — | links name the role ARN |
/// | anything else | `arn`, `id` when an ARN | `id` when an AWS id | — |
pub fn identity(t: &str) -> Identity {
    super::info(t).identity
}

/// The form of an ARN or id under which resources are indexed and looked up: a log group's
/// ARN without the `:*` that CloudWatch Logs APIs append, a Lambda function's ARN without a
/// version or alias qualifier (a qualified ARN still names the function).
pub fn canonical_id(s: &str) -> Cow<'_, str> {
    let parts: Vec<&str> = s.splitn(8, ':').collect();
    match parts.as_slice() {
        ["arn", _, "logs", _, _, "log-group", ..] if s.ends_with(":*") => {
            Cow::Borrowed(&s[..s.len() - 2])
        }
        ["arn", _, "lambda", _, _, "function", _, q] if !q.is_empty() => {
            Cow::Borrowed(&s[..s.len() - q.len() - 1])
        }
        _ => Cow::Borrowed(s),
    }
}

/// What a resource known only by an ARN or AWS id (a live link's target) is, from the id's
/// shape: `(type, human name)`. Unknown shapes are `aws_resource` with no name.
pub fn placeholder_type(id: &str) -> (&'static str, Option<String>) {
    let by_prefix = [
        ("i-", "aws_instance"),
        ("vol-", "aws_ebs_volume"),
        ("snap-", "aws_ebs_snapshot"),
    ];
    if is_aws_id(id) {
        if let Some((_, t)) = by_prefix.iter().find(|(p, _)| id.starts_with(p)) {
            return (t, Some(id.to_string()));
        }
    }
    let parts: Vec<&str> = id.splitn(7, ':').collect();
    let found = match parts.as_slice() {
        ["arn", _, "rds", _, _, kind, name] => match *kind {
            "db" => Some(("aws_db_instance", *name)),
            "cluster" => Some(("aws_rds_cluster", *name)),
            "snapshot" => Some(("aws_db_snapshot", *name)),
            "cluster-snapshot" => Some(("aws_db_cluster_snapshot", *name)),
            _ => None,
        },
        ["arn", _, "ec2", _, _, rest] => rest.split_once('/').and_then(|(kind, name)| {
            let t = match kind {
                "volume" => "aws_ebs_volume",
                "instance" => "aws_instance",
                "snapshot" => "aws_ebs_snapshot",
                _ => return None,
            };
            Some((t, name))
        }),
        _ => None,
    };
    match found {
        Some((t, name)) => (t, Some(name.to_string())),
        None => ("aws_resource", None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_ids_and_placeholders() {
        assert_eq!(
            canonical_id("arn:aws:logs:us-east-1:111122223333:log-group:/app:*"),
            "arn:aws:logs:us-east-1:111122223333:log-group:/app"
        );
        assert_eq!(
            canonical_id("arn:aws:lambda:us-east-1:111122223333:function:fn:7"),
            "arn:aws:lambda:us-east-1:111122223333:function:fn"
        );
        assert_eq!(
            canonical_id("arn:aws:lambda:us-east-1:111122223333:function:fn"),
            "arn:aws:lambda:us-east-1:111122223333:function:fn"
        );
        assert_eq!(
            canonical_id("vol-0123456789abcdef0"),
            "vol-0123456789abcdef0"
        );
        assert_eq!(
            placeholder_type("arn:aws:rds:us-east-1:111122223333:cluster:orders"),
            ("aws_rds_cluster", Some("orders".into()))
        );
        assert_eq!(
            placeholder_type("i-0123456789abcdef0"),
            ("aws_instance", Some("i-0123456789abcdef0".into()))
        );
        assert_eq!(
            placeholder_type("arn:aws:sqs:us-east-1:1:q"),
            ("aws_resource", None)
        );
        assert_eq!(
            identity("aws_db_cluster_snapshot").arns,
            ["db_cluster_snapshot_arn"]
        );
    }
}

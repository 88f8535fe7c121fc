//! Test-only sample key policies and helpers shared by the unit tests of this module.
//!
//! The samples follow the shapes AWS documents and the console generates: the default key
//! policy, and a console-style policy with account root, key administrators, key users
//! (including a cross-account root), grants limited by `kms:GrantIsForAWSResource`, and a
//! CloudWatch Logs service principal limited by encryption context.

use super::{parse, PolicyDocument, Principal};

pub const ACCOUNT: &str = "111122223333";
pub const ROOT: &str = "arn:aws:iam::111122223333:root";
pub const ADMIN: &str = "arn:aws:iam::111122223333:role/KeyAdmin";
pub const APP: &str = "arn:aws:iam::111122223333:role/App";
pub const PARTNER_ROOT: &str = "arn:aws:iam::444455556666:root";
pub const LOGS: &str = "logs.us-east-1.amazonaws.com";

/// The policy AWS documents as the default key policy.
pub const AWS_DEFAULT: &str = r#"{
  "Version": "2012-10-17",
  "Id": "key-default-1",
  "Statement": [{
    "Sid": "Enable IAM User Permissions",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
    "Action": "kms:*",
    "Resource": "*"
  }]
}"#;

/// A console-style policy; `App` and the partner account are key users.
pub const TYPICAL: &str = r#"{
  "Version": "2012-10-17",
  "Id": "key-consolepolicy-3",
  "Statement": [
    {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Allow access for Key Administrators", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
     "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*",
                "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*",
                "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
                "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand"],
     "Resource": "*"},
    {"Sid": "Allow use of the key", "Effect": "Allow",
     "Principal": {"AWS": ["arn:aws:iam::111122223333:role/App", "444455556666"]},
     "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                "kms:DescribeKey"],
     "Resource": "*"},
    {"Sid": "Allow attachment of persistent resources", "Effect": "Allow",
     "Principal": {"AWS": ["arn:aws:iam::111122223333:role/App", "444455556666"]},
     "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*",
     "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}},
    {"Sid": "Allow CloudWatch Logs", "Effect": "Allow",
     "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
     "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                "kms:Describe*"],
     "Resource": "*",
     "Condition": {"ArnLike": {
       "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:*"}}}
  ]
}"#;

/// The key-user actions of [`TYPICAL`], expanded and sorted.
pub const USER_ACTIONS: [&str; 9] = [
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyPair",
    "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
];

/// Parses a sample, failing the test on error.
pub fn doc(text: &str) -> PolicyDocument {
    match parse(text) {
        Ok(d) => d,
        Err(e) => panic!("fixture does not parse: {e}"),
    }
}

/// A policy from statement JSON objects. A statement written without `Resource` or
/// `NotResource` gets `"Resource": "*"`, as every real key policy statement has (without one it
/// would apply to no key).
pub fn policy(statements: &[&str]) -> PolicyDocument {
    let statements: Vec<serde_json::Value> = statements
        .iter()
        .map(|s| {
            let mut v: serde_json::Value = serde_json::from_str(s).expect("statement JSON");
            if v.get("Resource").is_none() && v.get("NotResource").is_none() {
                v["Resource"] = "*".into();
            }
            v
        })
        .collect();
    doc(&serde_json::json!({"Version": "2012-10-17", "Statement": statements}).to_string())
}

pub fn aws(s: &str) -> Principal {
    Principal::Aws(s.to_string())
}

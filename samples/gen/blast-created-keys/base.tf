# Case: keys created by the change. "staging" is created with is_enabled = false and a new
# parameter is encrypted with it; "locked" and "locked_bypass" carry a Deny of kms:* to
# Principal "*" under a condition that always matches (StringLike aws:PrincipalArn "*"),
# which locks out every principal, the account root included; only "locked_bypass" sets
# bypass_policy_lockout_safety_check. base.tf has an unchanged key with a log group.

resource "aws_kms_key" "shared" {
  description         = "shared"
  enable_key_rotation = true
}

resource "aws_cloudwatch_log_group" "shared" {
  name       = "/shared/app"
  kms_key_id = aws_kms_key.shared.arn
}

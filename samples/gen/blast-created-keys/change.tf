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

resource "aws_kms_key" "staging" {
  description         = "staging"
  enable_key_rotation = true
  is_enabled          = false
}

resource "aws_ssm_parameter" "staging_token" {
  name   = "/staging/token"
  type   = "SecureString"
  value  = "kb-sample-secret-DO-NOT-PRINT"
  key_id = aws_kms_key.staging.arn
}

locals {
  deny_everyone = {
    Sid       = "DenyEveryone"
    Effect    = "Deny"
    Principal = "*"
    Action    = "kms:*"
    Resource  = "*"
    Condition = { StringLike = { "aws:PrincipalArn" = "*" } }
  }
  admin = { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" }
}

resource "aws_kms_key" "locked" {
  description         = "locked"
  enable_key_rotation = true
  policy              = jsonencode({ Version = "2012-10-17", Statement = [local.admin, local.deny_everyone] })
}

resource "aws_kms_key" "locked_bypass" {
  description                        = "locked (lockout check bypassed)"
  enable_key_rotation                = true
  bypass_policy_lockout_safety_check = true
  policy                             = jsonencode({ Version = "2012-10-17", Statement = [local.admin, local.deny_everyone] })
}

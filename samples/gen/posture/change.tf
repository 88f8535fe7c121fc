resource "aws_iam_role" "ops" {
  name = "ops"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_kms_key" "public" {
  description         = "anyone may decrypt"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "Everyone", Effect = "Allow", Principal = "*", Action = ["kms:Decrypt"], Resource = "*" },
    ]
  })
}

resource "aws_kms_key" "ops_admin" {
  description         = "ops may do anything"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "Ops", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/ops" }, Action = "kms:*", Resource = "*" },
    ]
  })
  depends_on = [aws_iam_role.ops]
}

resource "aws_kms_key" "no_rotation" {
  description         = "rotation off"
  enable_key_rotation = false
}

resource "aws_kms_key" "bypass" {
  description                        = "skips the lockout check"
  enable_key_rotation                = true
  bypass_policy_lockout_safety_check = true
}

resource "aws_kms_key" "short_window" {
  description             = "seven-day window"
  enable_key_rotation     = true
  deletion_window_in_days = 7
}

resource "aws_kms_key" "good" {
  description             = "rotation on, default policy, 30-day window"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

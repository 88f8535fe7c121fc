# The new policy names a role created in the same run: its ARN, and so the policy, is known
# only after apply.
resource "aws_iam_role" "billing" {
  name = "billing-job"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_kms_key" "main" {
  description         = "billing"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "Billing", Effect = "Allow", Principal = { AWS = aws_iam_role.billing.arn }, Action = ["kms:Decrypt"], Resource = "*" },
    ]
  })
}

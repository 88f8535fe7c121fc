# Case: a key whose policy is inline (`aws_kms_key.policy`) in base.tf; change.tf removes the
# argument and manages the policy with a NEW aws_kms_key_policy that drops the batch role. The
# key plans as a no-op (`policy` is optional and computed, so leaving it out changes nothing)
# and the new resource is a create: the policy it replaces is only in the key's prior state.

resource "aws_iam_role" "api" {
  name = "billing-api"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role" "batch" {
  name = "billing-batch"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_kms_key" "billing" {
  description         = "billing"
  enable_key_rotation = true
}

# Replaces the inline policy above; the Batch statement is gone.
resource "aws_kms_key_policy" "billing" {
  key_id = aws_kms_key.billing.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "Api", Effect = "Allow", Principal = { AWS = aws_iam_role.api.arn }, Action = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource = "*" },
    ]
  })
}

resource "aws_kms_alias" "billing" {
  name          = "alias/billing"
  target_key_id = aws_kms_key.billing.key_id
}

resource "aws_lambda_function" "api" {
  function_name = "billing-api"
  role          = aws_iam_role.api.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "${path.module}/lambda.zip"
  kms_key_arn   = aws_kms_key.billing.arn
}

resource "aws_lambda_function" "batch" {
  function_name = "billing-batch"
  role          = aws_iam_role.batch.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "${path.module}/lambda.zip"
  kms_key_arn   = aws_kms_key.billing.arn
}

resource "aws_ssm_parameter" "batch_token" {
  name   = "/billing/batch/token"
  type   = "SecureString"
  value  = "kb-sample-secret-DO-NOT-PRINT"
  key_id = aws_kms_alias.billing.name
}

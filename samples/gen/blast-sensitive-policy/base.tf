# Case: key policies Terraform marks sensitive on both sides of the plan. The "payments"
# key's inline policy is wrapped in sensitive(); change.tf widens it from one role's
# kms:Decrypt to "*" with kms:*. The "ledger" key's aws_kms_key_policy is built from a
# `sensitive = true` variable holding the worker role's actions; change.tf drops kms:Decrypt
# from them while a Lambda running as that role uses the key. The plan carries the policies
# in `before`/`after` and marks them in `before_sensitive`/`after_sensitive`: no report may
# show them.

variable "ledger_worker_actions" {
  type      = list(string)
  sensitive = true
  default   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
}

resource "aws_iam_role" "payments" {
  name = "payments-app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role" "ledger" {
  name = "ledger-worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_kms_key" "payments" {
  description         = "payments"
  enable_key_rotation = true
  policy = sensitive(jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "App", Effect = "Allow", Principal = { AWS = aws_iam_role.payments.arn }, Action = ["kms:Decrypt"], Resource = "*" },
    ]
  }))
}

resource "aws_s3_bucket" "payments" {
  bucket = "payments-statements"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "payments" {
  bucket = aws_s3_bucket.payments.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.payments.arn
    }
  }
}

resource "aws_kms_key" "ledger" {
  description         = "ledger"
  enable_key_rotation = true
}

resource "aws_kms_key_policy" "ledger" {
  key_id = aws_kms_key.ledger.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "Worker", Effect = "Allow", Principal = { AWS = aws_iam_role.ledger.arn }, Action = var.ledger_worker_actions, Resource = "*" },
    ]
  })
}

resource "aws_lambda_function" "ledger" {
  function_name = "ledger-worker"
  role          = aws_iam_role.ledger.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "${path.module}/lambda.zip"
  kms_key_arn   = aws_kms_key.ledger.arn
}

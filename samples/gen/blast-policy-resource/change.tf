# Case: a key policy managed by a separate aws_kms_key_policy (the provider's recommended
# way, the key itself has no `policy` argument). The key is used by a Lambda (kms_key_arn), a
# bucket (SSE configuration) and a log group; change.tf takes kms:Decrypt away from the
# Lambda's role. A decoy key with its own policy does not change.

resource "aws_iam_role" "worker" {
  name = "invoices-worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_kms_key" "invoices" {
  description         = "invoices"
  enable_key_rotation = true
}

resource "aws_kms_key_policy" "invoices" {
  key_id = aws_kms_key.invoices.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "Worker", Effect = "Allow", Principal = { AWS = aws_iam_role.worker.arn }, Action = ["kms:Encrypt", "kms:GenerateDataKey"], Resource = "*" },
      { Sid = "Logs", Effect = "Allow", Principal = { Service = "logs.us-east-1.amazonaws.com" }, Action = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], Resource = "*" },
    ]
  })
}

resource "aws_lambda_function" "worker" {
  function_name = "invoices-worker"
  role          = aws_iam_role.worker.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "${path.module}/lambda.zip"
  kms_key_arn   = aws_kms_key.invoices.arn
}

resource "aws_s3_bucket" "invoices" {
  bucket = "invoices-archive"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "invoices" {
  bucket = aws_s3_bucket.invoices.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.invoices.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_cloudwatch_log_group" "invoices" {
  name       = "/invoices/worker"
  kms_key_id = aws_kms_key.invoices.arn
}

# Decoy: another key and policy, unchanged, with a log group of its own.
resource "aws_kms_key" "audit" {
  description         = "audit"
  enable_key_rotation = true
}

resource "aws_kms_key_policy" "audit" {
  key_id = aws_kms_key.audit.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "Worker", Effect = "Allow", Principal = { AWS = aws_iam_role.worker.arn }, Action = ["kms:Decrypt"], Resource = "*" },
    ]
  })
}

resource "aws_cloudwatch_log_group" "audit" {
  name       = "/invoices/audit"
  kms_key_id = aws_kms_key.audit.arn
}

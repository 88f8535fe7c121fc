# A key used by resources that name it by literal ARN and id (as when another team hard-codes it).
resource "aws_kms_key" "main" {
  description         = "shared data key"
  enable_key_rotation = true
}

resource "aws_kms_alias" "shared" {
  name          = "alias/shared"
  target_key_id = aws_kms_key.main.key_id
}

resource "aws_iam_role" "jobs" {
  name = "shared-jobs"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "jobs" {
  function_name = "shared-jobs"
  role          = aws_iam_role.jobs.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "${path.module}/lambda.zip"
}

output "role_arn" { value = aws_iam_role.jobs.arn }
output "key_arn" { value = aws_kms_key.main.arn }
output "key_id" { value = aws_kms_key.main.key_id }

resource "aws_s3_bucket" "reports" {
  bucket = "shared-reports"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "reports" {
  bucket = aws_s3_bucket.reports.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.main.arn
    }
  }
}

resource "aws_cloudwatch_log_group" "jobs" {
  name       = "/shared/jobs"
  kms_key_id = aws_kms_key.main.arn
}

resource "aws_ssm_parameter" "conn" {
  name   = "/shared/conn"
  type   = "SecureString"
  value  = "kb-sample-secret-DO-NOT-PRINT"
  key_id = aws_kms_key.main.key_id
}

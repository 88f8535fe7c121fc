# The key and its alias are removed from the configuration; dependents keep their literal
# references (values from the base step's outputs).
variable "key_arn" { type = string }
variable "key_id" { type = string }
variable "role_arn" { type = string }

# The role is removed too, while the function still runs as it (by literal ARN).
resource "aws_lambda_function" "jobs" {
  function_name = "shared-jobs"
  role          = var.role_arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "${path.module}/lambda.zip"
}

resource "aws_s3_bucket" "reports" {
  bucket = "shared-reports"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "reports" {
  bucket = aws_s3_bucket.reports.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.key_arn
    }
  }
}

resource "aws_cloudwatch_log_group" "jobs" {
  name       = "/shared/jobs"
  kms_key_id = var.key_arn
}

resource "aws_ssm_parameter" "conn" {
  name   = "/shared/conn"
  type   = "SecureString"
  value  = "kb-sample-secret-DO-NOT-PRINT"
  key_id = var.key_id
}

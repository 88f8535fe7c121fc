# The app workspace hard-codes the network workspace's key by ARN.
variable "shared_key_arn" { type = string }

resource "aws_cloudwatch_log_group" "app" {
  name       = "/platform/app"
  kms_key_id = var.shared_key_arn
}

resource "aws_s3_bucket" "assets" {
  bucket = "platform-assets"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "assets" {
  bucket = aws_s3_bucket.assets.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.shared_key_arn
    }
  }
}

resource "aws_s3_bucket" "reports" {
  bucket = "platform-reports"
}

resource "aws_kms_key" "main" {
  description         = "orders data"
  enable_key_rotation = true
  is_enabled          = true
}

resource "aws_s3_bucket" "orders" {
  bucket = "orders-archive"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "orders" {
  bucket = aws_s3_bucket.orders.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.main.key_id
    }
  }
}

resource "aws_cloudwatch_log_group" "orders" {
  name       = "/orders/api"
  kms_key_id = aws_kms_key.main.arn
}

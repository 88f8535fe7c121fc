resource "aws_kms_key" "blue" {
  description         = "blue"
  enable_key_rotation = true
}

resource "aws_kms_key" "green" {
  description         = "green"
  enable_key_rotation = true
}

resource "aws_kms_alias" "current" {
  name          = "alias/payments-current"
  target_key_id = aws_kms_key.green.key_id
}

resource "aws_kms_alias" "next" {
  name          = "alias/payments-next"
  target_key_id = aws_kms_key.green.key_id
}

resource "aws_ssm_parameter" "api_key" {
  name       = "/payments/api-key"
  type       = "SecureString"
  value      = "kb-sample-secret-DO-NOT-PRINT"
  key_id     = "alias/payments-current"
  depends_on = [aws_kms_alias.current]
}

resource "aws_ssm_parameter" "legacy" {
  name       = "/payments/legacy"
  type       = "SecureString"
  value      = "kb-sample-secret-DO-NOT-PRINT"
  key_id     = "alias/payments-old"
  depends_on = [aws_kms_alias.next]
}

resource "aws_s3_bucket" "payments" {
  bucket = "payments-exports"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "payments" {
  bucket = aws_s3_bucket.payments.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_alias.current.arn
    }
  }
}

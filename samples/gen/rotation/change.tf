resource "aws_kms_key" "payments" {
  description         = "payments"
  enable_key_rotation = false
}

resource "aws_kms_key" "archive" {
  description             = "archive"
  enable_key_rotation     = true
  rotation_period_in_days = 180
}

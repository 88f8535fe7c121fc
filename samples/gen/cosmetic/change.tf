resource "aws_kms_key" "main" {
  description         = "reports (quarterly)"
  enable_key_rotation = true
  tags                = { team = "analytics", cost_center = "42" }
}

resource "aws_s3_bucket" "reports" {
  bucket = "reports-bucket"
  tags   = { team = "analytics", cost_center = "42" }
}

resource "aws_kms_key" "main" {
  description         = "reports"
  enable_key_rotation = true
  tags                = { team = "data" }
}

resource "aws_s3_bucket" "reports" {
  bucket = "reports-bucket"
  tags   = { team = "data" }
}

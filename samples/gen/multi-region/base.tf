resource "aws_kms_key" "primary" {
  description         = "global primary"
  enable_key_rotation = true
  multi_region        = true
  is_enabled          = true
}

resource "aws_kms_replica_key" "west" {
  provider        = aws.west
  description     = "global replica"
  primary_key_arn = aws_kms_key.primary.arn
}

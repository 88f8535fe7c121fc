# The replica is removed and the primary is disabled.
resource "aws_kms_key" "primary" {
  description         = "global primary"
  enable_key_rotation = true
  multi_region        = true
  is_enabled          = false
}

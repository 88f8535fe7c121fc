# The network workspace stops managing the key (removed from configuration).
resource "aws_kms_key" "other" {
  description         = "unrelated"
  enable_key_rotation = true
}

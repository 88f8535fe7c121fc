resource "aws_kms_external_key" "imported" {
  description = "imported key material"
  enabled     = false
}

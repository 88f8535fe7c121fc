# The network workspace owns the shared key.
resource "aws_kms_key" "shared" {
  description         = "shared by the app workspace"
  enable_key_rotation = true
}

resource "aws_kms_alias" "shared" {
  name          = "alias/platform-shared"
  target_key_id = aws_kms_key.shared.key_id
}

output "shared_key_arn" { value = aws_kms_key.shared.arn }

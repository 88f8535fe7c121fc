resource "aws_kms_key" "ledger" {
  description             = "ledger"
  enable_key_rotation     = true
  deletion_window_in_days = 7
}

resource "aws_kms_key" "global" {
  description         = "global tables"
  enable_key_rotation = true
  multi_region        = true
}

# The replica leaves the configuration (scheduled for deletion) while the us-west-2 dependents
# keep naming it by literal ARN and key id (values from the base step's outputs); the primary
# is disabled.

provider "aws" {
  alias                       = "west"
  region                      = "us-west-2"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true
  endpoints {
    ec2  = local.endpoint
    iam  = local.endpoint
    kms  = local.endpoint
    logs = local.endpoint
    s3   = local.endpoint
    ssm  = local.endpoint
    sts  = local.endpoint
  }
}

variable "replica_arn" { type = string }
variable "replica_key_id" { type = string }

resource "aws_kms_key" "global" {
  description         = "orders (multi-Region primary)"
  enable_key_rotation = true
  multi_region        = true
  is_enabled          = false
}

resource "aws_kms_alias" "global" {
  name          = "alias/orders-global"
  target_key_id = aws_kms_key.global.key_id
}

resource "aws_ssm_parameter" "db_url" {
  name   = "/orders/db-url"
  type   = "SecureString"
  value  = "kb-sample-secret-DO-NOT-PRINT"
  key_id = aws_kms_alias.global.name
}

resource "aws_cloudwatch_log_group" "east" {
  name       = "/orders/east"
  kms_key_id = aws_kms_key.global.arn
}

resource "aws_cloudwatch_log_group" "west" {
  provider   = aws.west
  name       = "/orders/west"
  kms_key_id = var.replica_arn
}

resource "aws_ssm_parameter" "west_db_url" {
  provider = aws.west
  name     = "/orders/db-url"
  type     = "SecureString"
  value    = "kb-sample-secret-DO-NOT-PRINT"
  key_id   = var.replica_key_id
}

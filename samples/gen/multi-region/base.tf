# A multi-Region primary key in us-east-1 (with an alias) and its replica in us-west-2. Both
# keys share one key id (mrk-...); only the region in the ARN tells them apart.

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

resource "aws_kms_key" "global" {
  description         = "orders (multi-Region primary)"
  enable_key_rotation = true
  multi_region        = true
}

resource "aws_kms_alias" "global" {
  name          = "alias/orders-global"
  target_key_id = aws_kms_key.global.key_id
}

resource "aws_kms_replica_key" "west" {
  provider                = aws.west
  description             = "orders (us-west-2 replica)"
  primary_key_arn         = aws_kms_key.global.arn
  deletion_window_in_days = 7
}

# us-east-1 dependents of the primary: by alias name (a reference to the alias) and by ARN.
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

# us-west-2 dependents of the replica: by the replica's ARN and by its key id (the same
# mrk-... id as the primary's).
resource "aws_cloudwatch_log_group" "west" {
  provider   = aws.west
  name       = "/orders/west"
  kms_key_id = aws_kms_replica_key.west.arn
}

resource "aws_ssm_parameter" "west_db_url" {
  provider = aws.west
  name     = "/orders/db-url"
  type     = "SecureString"
  value    = "kb-sample-secret-DO-NOT-PRINT"
  key_id   = aws_kms_replica_key.west.key_id
}

output "replica_arn" { value = aws_kms_replica_key.west.arn }
output "replica_key_id" { value = aws_kms_replica_key.west.key_id }

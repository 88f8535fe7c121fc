# Case: an Aurora cluster (storage_encrypted, kms_key_id) with an instance and a manual
# cluster snapshot, on key "aurora" (alias/aurora). setup.py then makes, outside Terraform,
# another Aurora cluster with a manual cluster snapshot, a bucket with SSE-KMS, a log group,
# a SecureString parameter (by alias name), an EBS volume attached to an instance and the
# account's default EBS key, all on the same key; discovery saves them as inventory.json. change.tf retargets alias/aurora to
# the prepared key "aurora_v2" and disables the old key. Two data sources read the key:
# data.aws_kms_key.aurora through the managed alias (read only at apply when the alias
# changes, so the log group using it has an unknown key in the plan) and, added by change.tf,
# data.aws_kms_alias.aurora by a literal name (read while planning, so it still reports the
# old key; the parameter switched to it keeps the old key). A literal-name data source cannot
# be in base.tf: it would be read before the alias exists.

resource "aws_kms_key" "aurora" {
  description         = "aurora"
  enable_key_rotation = true
  is_enabled          = false
}

resource "aws_kms_key" "aurora_v2" {
  description         = "aurora (successor)"
  enable_key_rotation = true
}

resource "aws_kms_alias" "aurora" {
  name          = "alias/aurora"
  target_key_id = aws_kms_key.aurora_v2.key_id
}

# A literal name: no dependency on the managed alias.
data "aws_kms_alias" "aurora" {
  name = "alias/aurora"
}

data "aws_kms_key" "aurora" {
  key_id = aws_kms_alias.aurora.arn
}

resource "aws_rds_cluster" "orders" {
  cluster_identifier  = "orders"
  engine              = "aurora-postgresql"
  engine_version      = "15.4"
  database_name       = "orders"
  master_username     = "orders"
  master_password     = "kb-sample-secret-DO-NOT-PRINT"
  storage_encrypted   = true
  kms_key_id          = aws_kms_key.aurora.arn
  skip_final_snapshot = true
}

resource "aws_rds_cluster_instance" "orders" {
  identifier         = "orders-1"
  cluster_identifier = aws_rds_cluster.orders.id
  engine             = aws_rds_cluster.orders.engine
  engine_version     = aws_rds_cluster.orders.engine_version
  instance_class     = "db.r6g.large"
}

resource "aws_db_cluster_snapshot" "orders" {
  db_cluster_identifier          = aws_rds_cluster.orders.id
  db_cluster_snapshot_identifier = "orders-before-migration"
}

# By the literal-name data source's target_key_arn.
resource "aws_ssm_parameter" "orders_dsn" {
  name   = "/orders/dsn"
  type   = "SecureString"
  value  = "kb-sample-secret-DO-NOT-PRINT"
  key_id = data.aws_kms_alias.aurora.target_key_arn
}

# By the data source that reads the managed alias.
resource "aws_cloudwatch_log_group" "orders" {
  name       = "/aws/rds/cluster/orders/postgresql"
  kms_key_id = data.aws_kms_key.aurora.arn
}

output "key_arn" { value = aws_kms_key.aurora.arn }

# Case: keys made in a module with for_each (module.kms.aws_kms_key.this["app"|"logs"|"data"])
# and in a module instantiated with for_each (module.tenant["acme"|"globex"]); dependents name
# them only through the module's key_arns output: by a literal index (resolvable from the
# configuration), by each.value of their own for_each, and by lookup(..., each.key).
# plan.args replaces module.kms's "app" key and acme's tenant key; change.tf disables the
# "logs" key and adds an "audit" key with new dependents, so several key attributes are
# unknown in the plan and only the configuration says which key they will be.

module "kms" {
  source = "./modules/kms"
  keys = {
    app  = { description = "app" }
    logs = { description = "logs" }
    data = { description = "data" }
  }
}

module "tenant" {
  source   = "./modules/kms"
  for_each = toset(["acme", "globex"])
  prefix   = "${each.key}-"
  keys     = { data = { description = "${each.key} data" } }
}

# By literal index into the module output.
resource "aws_cloudwatch_log_group" "app" {
  name       = "/app/service"
  kms_key_id = module.kms.key_arns["app"]
}

# One parameter per key, by each.value of the module output.
resource "aws_ssm_parameter" "token" {
  for_each = module.kms.key_arns
  name     = "/keys/${each.key}/token"
  type     = "SecureString"
  value    = "kb-sample-secret-DO-NOT-PRINT"
  key_id   = each.value
}

# By lookup on each.key of an unrelated set.
resource "aws_cloudwatch_log_group" "svc" {
  for_each   = toset(["app", "logs"])
  name       = "/svc/${each.key}"
  kms_key_id = lookup(module.kms.key_arns, each.key)
}

# One bucket per tenant module instance, by each.value of the module itself.
resource "aws_s3_bucket" "tenant" {
  for_each = module.tenant
  bucket   = "tenant-${each.key}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "tenant" {
  for_each = module.tenant
  bucket   = aws_s3_bucket.tenant[each.key].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = each.value.key_arns["data"]
    }
  }
}

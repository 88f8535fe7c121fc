# A key per entry of var.keys (aws_kms_key.this with for_each), each with an alias; the
# callers only see the ARNs, through the key_arns map.

variable "prefix" {
  type    = string
  default = ""
}

variable "keys" {
  type = map(object({
    description = string
    enabled     = optional(bool, true)
  }))
}

resource "aws_kms_key" "this" {
  for_each            = var.keys
  description         = each.value.description
  is_enabled          = each.value.enabled
  enable_key_rotation = true
}

resource "aws_kms_alias" "this" {
  for_each      = var.keys
  name          = "alias/${var.prefix}${each.key}"
  target_key_id = aws_kms_key.this[each.key].key_id
}

output "key_arns" {
  value = { for k, v in aws_kms_key.this : k => v.arn }
}

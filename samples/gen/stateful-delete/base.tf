resource "aws_s3_bucket" "uploads" {
  bucket = "customer-uploads"
}

resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_cloudwatch_log_group" "audit" {
  name = "/audit/trail"
}

resource "aws_ssm_parameter" "feature_flags" {
  name  = "/app/feature-flags"
  type  = "String"
  value = "{}"
}

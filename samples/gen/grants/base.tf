resource "aws_iam_role" "app" {
  name = "grants-app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "app" {
  function_name = "grants-app"
  role          = aws_iam_role.app.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "${path.module}/lambda.zip"
}

resource "aws_kms_key" "main" {
  description         = "grants"
  enable_key_rotation = true
}

resource "aws_kms_grant" "reader" {
  name              = "reader"
  key_id            = aws_kms_key.main.key_id
  grantee_principal = aws_iam_role.app.arn
  operations        = ["Decrypt"]
}

resource "aws_kms_grant" "legacy" {
  name              = "legacy"
  key_id            = aws_kms_key.main.key_id
  grantee_principal = aws_iam_role.app.arn
  operations        = ["Encrypt", "Decrypt"]
}

resource "aws_iam_role" "worker" {
  name = "orders-worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_kms_key" "main" {
  description         = "orders"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "Worker", Effect = "Allow", Principal = { AWS = aws_iam_role.worker.arn }, Action = ["kms:Encrypt"], Resource = "*" },
      { Sid = "Logs", Effect = "Allow", Principal = { Service = "logs.us-east-1.amazonaws.com" }, Action = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], Resource = "*" },
    ]
  })
}

resource "aws_lambda_function" "worker" {
  function_name = "orders-worker"
  role          = aws_iam_role.worker.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "${path.module}/lambda.zip"
  kms_key_arn   = aws_kms_key.main.arn
}

# A second key whose policy is managed by a separate aws_kms_key_policy resource.
resource "aws_kms_key" "queue" {
  description         = "queue"
  enable_key_rotation = true
}

resource "aws_kms_key_policy" "queue" {
  key_id = aws_kms_key.queue.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "Worker", Effect = "Allow", Principal = { AWS = aws_iam_role.worker.arn }, Action = ["kms:Decrypt", "kms:GenerateDataKey"], Resource = "*", Condition = { StringEquals = { "kms:ViaService" = "sqs.us-east-1.amazonaws.com" } } },
    ]
  })
}

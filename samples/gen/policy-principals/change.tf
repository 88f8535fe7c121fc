# The change: the Worker condition is gone, the Session statement names the role.
# - the "Worker" statement loses its kms:ViaService condition: the role's access becomes
#   unconditional (wider access, medium), which must name the condition;
# - the "Session" statement names one assumed-role session of the batch role; the change names
#   the role instead. A role principal covers every session of the role, so the session loses
#   nothing: this is wider access (medium), not a loss (high).
resource "aws_iam_role" "worker" {
  name = "ledger-worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role" "batch" {
  name = "ledger-batch"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "worker" {
  function_name = "ledger-worker"
  role          = aws_iam_role.worker.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "${path.module}/lambda.zip"
  kms_key_arn   = aws_kms_key.ledger.arn
}

locals {
  account = data.aws_caller_identity.current.account_id
  admin   = { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${local.account}:root" }, Action = "kms:*", Resource = "*" }
}

resource "aws_kms_key" "ledger" {
  description         = "ledger"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      local.admin,
      {
        Sid       = "Worker", Effect = "Allow", Principal = { AWS = aws_iam_role.worker.arn },
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"], Resource = "*"
      },
      {
        Sid       = "Session", Effect = "Allow",
        Principal = { AWS = aws_iam_role.batch.arn },
        Action    = ["kms:Decrypt"], Resource = "*"
      },
    ]
  })
}

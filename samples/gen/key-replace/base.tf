# The centrepiece: one customer key used by every kind of dependent keyblast knows, in every
# reference form; a second key with decoys. plan.args replaces the key.

data "aws_ami" "linux" {
  most_recent = true
  owners      = ["amazon"]
}

resource "aws_iam_role" "lambda" {
  name = "app-lambda"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_kms_key" "main" {
  description             = "app data"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Admin", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "App", Effect = "Allow", Principal = { AWS = aws_iam_role.lambda.arn }, Action = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"], Resource = "*" },
    ]
  })
}

resource "aws_kms_alias" "app" {
  name          = "alias/app"
  target_key_id = aws_kms_key.main.key_id
}

resource "aws_s3_bucket" "data" {
  bucket = "app-data"
}

# by alias ARN
resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_alias.app.arn
    }
  }
}

# by key ARN
resource "aws_db_instance" "db" {
  identifier          = "app-db"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  username            = "app"
  password            = "kb-sample-secret-DO-NOT-PRINT"
  storage_encrypted   = true
  kms_key_id          = aws_kms_key.main.arn
  skip_final_snapshot = true
}

resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  size              = 10
  encrypted         = true
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_instance" "app" {
  ami               = data.aws_ami.linux.id
  instance_type     = "t3.micro"
  availability_zone = "us-east-1a"
  root_block_device {
    volume_size = 8
    encrypted   = true
    kms_key_id  = aws_kms_key.main.arn
  }
}

resource "aws_volume_attachment" "data" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.data.id
  instance_id = aws_instance.app.id
}

resource "aws_lambda_function" "app" {
  function_name = "app-fn"
  role          = aws_iam_role.lambda.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "${path.module}/lambda.zip"
  kms_key_arn   = aws_kms_key.main.arn
}

resource "aws_cloudwatch_log_group" "app" {
  name       = "/app/service"
  kms_key_id = aws_kms_key.main.arn
}

# by alias name (a literal, as people write it)
resource "aws_ssm_parameter" "db_password" {
  name       = "/app/db/password"
  type       = "SecureString"
  value      = "kb-sample-secret-DO-NOT-PRINT"
  key_id     = "alias/app"
  depends_on = [aws_kms_alias.app]
}

# by key id
resource "aws_ssm_parameter" "api_token" {
  name   = "/app/api/token"
  type   = "SecureString"
  value  = "kb-sample-secret-DO-NOT-PRINT"
  key_id = aws_kms_key.main.key_id
}

# Decoys: encrypted with another key that does not change.
resource "aws_kms_key" "other" {
  description         = "logs"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "logs" {
  bucket = "app-logs"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.other.arn
    }
  }
}

resource "aws_cloudwatch_log_group" "audit" {
  name       = "/app/audit"
  kms_key_id = aws_kms_key.other.arn
}

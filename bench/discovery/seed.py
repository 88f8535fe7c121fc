"""Seeds the benchmark's moto with an account: 20 keys (each with an alias), 1,000 buckets (a
tenth in eu-west-1; two thirds with SSE-KMS by key ARN, id or alias ARN), 1,000 log groups, 1,000
SecureString parameters, 50 Lambda functions and 100 EBS volumes, most of them under one of the
keys. Deterministic. Prints what it made, as JSON: the counts discovery must find.

Usage: python seed.py ENDPOINT [SCALE]   (SCALE < 1 seeds fewer of each, for a smoke test)
"""

import io
import json
import sys
import zipfile

import boto3
from botocore.config import Config

ACCOUNT = "123456789012"
COUNTS = {"keys": 20, "buckets": 1000, "log_groups": 1000, "parameters": 1000,
          "functions": 50, "volumes": 100}


def client(endpoint, service, region="us-east-1"):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(s3={"addressing_style": "path"}))


def empty_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return None\n")
    return buf.getvalue()


def main():
    endpoint = sys.argv[1]
    scale = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    for k in COUNTS:
        COUNTS[k] = max(1, round(COUNTS[k] * scale))
    kms = client(endpoint, "kms")
    keys = []
    for i in range(COUNTS["keys"]):
        m = kms.create_key(Description=f"bench key {i}")["KeyMetadata"]
        kms.create_alias(AliasName=f"alias/bench-{i:02}", TargetKeyId=m["KeyId"])
        keys.append(m)

    def ref(i):
        """Key i by ARN, id or alias ARN, in turn."""
        k = keys[i % len(keys)]
        return [k["Arn"], k["KeyId"],
                f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/bench-{i % len(keys):02}"][i % 3]

    s3 = {r: client(endpoint, "s3", r) for r in ("us-east-1", "eu-west-1")}
    for i in range(COUNTS["buckets"]):
        name = f"bench-bucket-{i:04}"
        region = "eu-west-1" if i % 10 == 9 else "us-east-1"
        if region == "us-east-1":
            s3[region].create_bucket(Bucket=name)
        else:
            s3[region].create_bucket(
                Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
        if i % 3 != 2:
            s3[region].put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {
                    "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": ref(i)}}]})

    logs = client(endpoint, "logs")
    for i in range(COUNTS["log_groups"]):
        kwargs = {"kmsKeyId": keys[i % len(keys)]["Arn"]} if i % 2 == 0 else {}
        logs.create_log_group(logGroupName=f"/bench/group-{i:04}", **kwargs)

    ssm = client(endpoint, "ssm")
    for i in range(COUNTS["parameters"]):
        ssm.put_parameter(Name=f"/bench/param-{i:04}", Value="bench-value", Type="SecureString",
                          KeyId=keys[i % len(keys)]["KeyId"])

    iam = client(endpoint, "iam")
    role = iam.create_role(RoleName="bench-lambda", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                 "Principal": {"Service": "lambda.amazonaws.com"}}]
    }))["Role"]["Arn"]
    lam = client(endpoint, "lambda")
    code = empty_zip()
    for i in range(COUNTS["functions"]):
        lam.create_function(FunctionName=f"bench-fn-{i:02}", Runtime="python3.12", Role=role,
                            Handler="index.handler", Code={"ZipFile": code},
                            KMSKeyArn=keys[i % len(keys)]["Arn"])

    ec2 = client(endpoint, "ec2")
    for i in range(COUNTS["volumes"]):
        ec2.create_volume(AvailabilityZone="us-east-1a", Size=10, Encrypted=True,
                          KmsKeyId=keys[i % len(keys)]["Arn"])

    print(json.dumps(COUNTS))


if __name__ == "__main__":
    main()

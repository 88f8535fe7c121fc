"""The baseline: a sequential boto3 walk of the same account that makes the calls a sequential
discovery makes, in keyblast's order, one at a time: GetCallerIdentity; ListKeys, then per key
DescribeKey, GetKeyPolicy, GetKeyRotationStatus (customer symmetric keys), ListGrants,
ListResourceTags; ListAliases; ListBuckets, then per bucket GetBucketLocation and
GetBucketEncryption (in the bucket's region); the four RDS lists; DescribeVolumes,
DescribeSnapshots, GetEbsDefaultKmsKeyId; ListFunctions; DescribeLogGroups; DescribeParameters.

With boto3's defaults (DescribeParameters 10 a page, ListBuckets without parameters, so no
BucketRegion and a GetBucketLocation per bucket). --lean asks what keyblast asks (50 parameters
a page; MaxBuckets, so GetBucketLocation only where BucketRegion is missing): the same calls as
keyblast, one at a time, which isolates what concurrency buys.

Retries as keyblast's: standard mode, four attempts. Prints what it found, as JSON. Usage: python walk.py ENDPOINT [--lean]
"""

import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def main():
    endpoint = sys.argv[1]
    lean = "--lean" in sys.argv[2:]
    clients = {}

    def c(service, region="us-east-1"):
        if (service, region) not in clients:
            clients[(service, region)] = boto3.client(
                service, endpoint_url=endpoint, region_name=region,
                aws_access_key_id="test", aws_secret_access_key="test",
                config=Config(s3={"addressing_style": "path"},
                              retries={"mode": "standard", "max_attempts": 4}))
        return clients[(service, region)]

    def pages(service, op, **kwargs):
        return c(service).get_paginator(op).paginate(**kwargs)

    found = {"keys": 0, "buckets": 0, "log_groups": 0, "parameters": 0, "functions": 0,
             "volumes": 0, "key_refs": 0}
    c("sts").get_caller_identity()

    kms = c("kms")
    for page in pages("kms", "list_keys"):
        for k in page["Keys"]:
            kid = k["KeyId"]
            meta = kms.describe_key(KeyId=kid)["KeyMetadata"]
            kms.get_key_policy(KeyId=kid, PolicyName="default")
            if meta.get("KeyManager") == "CUSTOMER" and meta.get("KeySpec") == "SYMMETRIC_DEFAULT":
                kms.get_key_rotation_status(KeyId=kid)
            for _ in pages("kms", "list_grants", KeyId=kid):
                pass
            kms.list_resource_tags(KeyId=kid)
            found["keys"] += 1
    for _ in pages("kms", "list_aliases"):
        pass

    listing = c("s3").list_buckets(MaxBuckets=10000) if lean else c("s3").list_buckets()
    for b in listing["Buckets"]:
        region = b.get("BucketRegion")
        if not region:
            loc = c("s3").get_bucket_location(Bucket=b["Name"]).get("LocationConstraint")
            region = loc or "us-east-1"
        try:
            enc = c("s3", region).get_bucket_encryption(Bucket=b["Name"])
            rules = enc["ServerSideEncryptionConfiguration"]["Rules"]
            found["key_refs"] += sum(
                1 for r in rules if r["ApplyServerSideEncryptionByDefault"].get("KMSMasterKeyID"))
        except ClientError as e:
            if e.response["Error"]["Code"] != "ServerSideEncryptionConfigurationNotFoundError":
                raise
        found["buckets"] += 1

    for op in ("describe_db_instances", "describe_db_clusters", "describe_db_snapshots",
               "describe_db_cluster_snapshots"):
        for _ in pages("rds", op):
            pass

    for page in pages("ec2", "describe_volumes"):
        found["volumes"] += len(page["Volumes"])
    for _ in pages("ec2", "describe_snapshots", OwnerIds=["self"]):
        pass
    c("ec2").get_ebs_default_kms_key_id()

    for page in pages("lambda", "list_functions"):
        found["functions"] += len(page["Functions"])
    for page in pages("logs", "describe_log_groups"):
        found["log_groups"] += len(page["logGroups"])
    kwargs = {"PaginationConfig": {"PageSize": 50}} if lean else {}
    for page in pages("ssm", "describe_parameters", **kwargs):
        found["parameters"] += len(page["Parameters"])
    print(json.dumps(found))


if __name__ == "__main__":
    main()

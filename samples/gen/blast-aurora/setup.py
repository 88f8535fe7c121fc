"""Out-of-band resources on the Aurora key, made with boto3 after base.tf is applied (run by
generate.sh with the moto virtualenv's python; AWS_ENDPOINT_URL and the dummy credentials come
from the environment; argv[1] is a JSON file of the base outputs). None of these is in
Terraform: only live discovery can find them.
"""
import json
import sys

import boto3

key_arn = json.load(open(sys.argv[1]))["key_arn"]
region = "us-east-1"

rds = boto3.client("rds", region_name=region)
rds.create_db_cluster(
    DBClusterIdentifier="reporting",
    Engine="aurora-postgresql",
    EngineVersion="15.4",
    MasterUsername="reporting",
    MasterUserPassword="kb-sample-secret-DO-NOT-PRINT",
    StorageEncrypted=True,
    KmsKeyId=key_arn,
)
rds.create_db_cluster_snapshot(
    DBClusterIdentifier="reporting", DBClusterSnapshotIdentifier="reporting-manual"
)

s3 = boto3.client("s3", region_name=region)
s3.create_bucket(Bucket="orders-exports")
s3.put_bucket_encryption(
    Bucket="orders-exports",
    ServerSideEncryptionConfiguration={
        "Rules": [
            {
                "ApplyServerSideEncryptionByDefault": {
                    "SSEAlgorithm": "aws:kms",
                    "KMSMasterKeyID": key_arn,
                }
            }
        ]
    },
)

logs = boto3.client("logs", region_name=region)
logs.create_log_group(logGroupName="/orders/reporting", kmsKeyId=key_arn)

# By alias name, as people write it: the alias is what change.tf retargets.
ssm = boto3.client("ssm", region_name=region)
ssm.put_parameter(
    Name="/orders/reporting/password",
    Type="SecureString",
    Value="kb-sample-secret-DO-NOT-PRINT",
    KeyId="alias/aurora",
)

ec2 = boto3.client("ec2", region_name=region)
image = ec2.register_image(
    Name="reporting-base", RootDeviceName="/dev/xvda", Architecture="x86_64"
)["ImageId"]
instance = ec2.run_instances(
    ImageId=image,
    InstanceType="t3.micro",
    MinCount=1,
    MaxCount=1,
    Placement={"AvailabilityZone": "us-east-1a"},
)["Instances"][0]["InstanceId"]
volume = ec2.create_volume(
    AvailabilityZone="us-east-1a", Size=20, Encrypted=True, KmsKeyId=key_arn
)["VolumeId"]
ec2.attach_volume(VolumeId=volume, InstanceId=instance, Device="/dev/sdf")

# The account's default key for new EBS volumes.
ec2.modify_ebs_default_kms_key_id(KmsKeyId=key_arn)

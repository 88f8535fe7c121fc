"""moto's server (run with the virtualenv's python), with fixes to its KMS and EC2 emulation.

1. Multi-Region keys: moto 5.2.5's ReplicateKey makes the replica as a shallow copy of the
   primary, so both keys share one MultiRegionConfiguration dict; the first DescribeKey of the
   replica marks that dict "REPLICA", after which the primary also reports itself as a replica
   and the AWS provider refuses to read it ("is not a multi-Region primary key"). Real KMS
   keeps the primary a PRIMARY, so the replica gets its own copy here.
2. Rotation period: moto ignores EnableKeyRotation's RotationPeriodInDays and leaves it out of
   GetKeyRotationStatus, so the provider reads rotation_period_in_days as 0. Real KMS keeps
   the period (365 days unless given) and returns it while rotation is enabled; so does this.
3. GetEbsDefaultKmsKeyId: moto 5.2.5 implements ModifyEbsDefaultKmsKeyId but not the Get, so
   discovery records a failed call and its inventory is incomplete. Real EC2 answers with the
   key set by Modify, or the ARN of alias/aws/ebs (the AWS managed key) when none was; so does
   this.
4. Aurora scaling configuration: moto 5.2.5 answers DescribeDBClusters with an empty
   ScalingConfigurationInfo for every cluster, so the provider plans a spurious in-place
   update of `scaling_configuration` on a provisioned cluster in every plan. Real RDS returns
   it only for Aurora Serverless v1 clusters (engine_mode serverless); so does this.

Nothing else is changed. Usage: python moto_server.py -H 127.0.0.1 -p 0 (moto_server's
arguments).
"""
import copy
import json
import sys

from moto.core.responses import ActionResult
from moto.ec2.responses.elastic_block_store import ElasticBlockStore
from moto.kms import models, responses
from moto.rds import models as rds_models
from moto.server import main

_replicate_key = models.KmsBackend.replicate_key


def replicate_key(self, key_id, replica_region):
    replica = _replicate_key(self, key_id, replica_region)
    replica.multi_region_configuration = copy.deepcopy(replica.multi_region_configuration)
    return replica


models.KmsBackend.replicate_key = replicate_key

_enable_key_rotation = responses.KmsResponse.enable_key_rotation
_get_key_rotation_status = responses.KmsResponse.get_key_rotation_status


def _key(response):
    backend = response.kms_backend
    return backend.keys[backend.get_key_id(response._get_param("KeyId"))]


def enable_key_rotation(self):
    out = _enable_key_rotation(self)
    _key(self).rotation_period_in_days = self._get_param("RotationPeriodInDays") or 365
    return out


def get_key_rotation_status(self):
    out = json.loads(_get_key_rotation_status(self))
    if out.get("KeyRotationEnabled"):
        key = _key(self)
        out["KeyId"] = key.id
        out["RotationPeriodInDays"] = getattr(key, "rotation_period_in_days", 365)
    return json.dumps(out)


responses.KmsResponse.enable_key_rotation = enable_key_rotation
responses.KmsResponse.get_key_rotation_status = get_key_rotation_status


def get_ebs_default_kms_key_id(self):
    self.error_on_dryrun()
    backend = self.ec2_backend
    key = backend.default_kms_key_id or (
        f"arn:{backend.partition}:kms:{backend.region_name}:{backend.account_id}:alias/aws/ebs"
    )
    return ActionResult({"KmsKeyId": key})


ElasticBlockStore.get_ebs_default_kms_key_id = get_ebs_default_kms_key_id

_scaling_configuration_info = rds_models.DBCluster.scaling_configuration_info.fget


def scaling_configuration_info(self):
    if not self.scaling_configuration:
        return None
    return _scaling_configuration_info(self)


rds_models.DBCluster.scaling_configuration_info = property(scaling_configuration_info)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

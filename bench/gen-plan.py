#!/usr/bin/env python3
"""Writes a large, realistic `terraform show -json` plan for keyblast's benchmark.

usage: bench/gen-plan.py N OUT.json     (exactly N resources, N >= 200; about 2.7 KB per
                                         resource: N = 50000 is 134 MB)

Deterministic: the same N gives the same bytes (every id is a hash of its name; no clock, no
random state). Python 3 standard library only. The plan is written as it is generated, so
memory stays small even for N = 100000.

Shape (what a large organisation's root module looks like, hashicorp/aws 5.x attribute names):

- N // 100 services. Each has one KMS key `aws_kms_key.svc["svc-NNNN"]` with an alias
  (`alias/svc-NNNN`) and a grant to its team's role, and a module instance
  `module.svc["svc-NNNN"]` holding the key's 55 direct dependents: S3 buckets (legacy
  inline encryption block) with their `aws_s3_bucket_server_side_encryption_configuration`,
  EBS volumes, EC2 instances (`root_block_device`), an RDS cluster and DB instances (storage
  and Performance Insights keys), Lambda functions (with `role`), CloudWatch log groups and
  SSM parameters. They name the key by key ARN, key id, alias name and alias ARN (SSM and S3
  keep what was written; EBS, RDS, Lambda and Logs store the ARN, as AWS normalises it), and
  the configuration references the key through the module's variables (`var.kms_key_arn`
  → `aws_kms_key.svc[each.key]`), which is all that links a value unknown until apply.
- Shared IAM roles: one `aws_iam_role.platform_lambda` used by two Lambdas of every service
  and named in every key policy (so a key's blast radius reaches every Lambda of the plan
  through it), and one team role per ten services (third Lambda, grants, key policies).
- Bulk that has nothing to do with KMS (42 of every 100 resources): IAM policies with large
  documents, security groups with inline rules, security-group rules, Route 53 records,
  CloudWatch alarms, and many small ones (role-policy attachments, route-table
  associations).
- `planned_values` mirrors the after values, `prior_state` the before values (plus a data
  source), `configuration` has every resource's expressions, `resource_drift` a few
  entries: the sections and sizes of a real plan.
- Actions, mostly no-op: per service, by its number, a key is deleted (1 in 50), disabled
  (1 in 50), replaced (1 in 100: its dependents' key attributes become unknown and the EBS,
  EC2 and RDS ones are replaced), created with all its dependents (1 in 100), its policy
  narrowed (1 in 25: the platform role loses kms:Decrypt), its rotation turned on (1 in 20)
  or its deletion window changed (1 in 50); independently about 4% of the other resources
  are updated, 1% deleted and 0.5% replaced.
"""
import hashlib
import json
import sys

ACCOUNT = "123456789012"
REGION = "us-east-1"
PROVIDER = "registry.terraform.io/hashicorp/aws"
TF_VERSION = "1.9.8"
PER_SERVICE = 100  # resources per service (key, alias, grant, module instance)
SERVICES_PER_TEAM = 10

# resources of one `module.svc` instance: (type, config name, count). 55 use the key; the
# other 42 are bulk. A service that starts a team has one Route 53 record fewer (its team role
# takes the place; service 0 also makes room for the platform role), so every service is
# exactly PER_SERVICE resources.
MODULE_LAYOUT = [
    ("aws_cloudwatch_log_group", "logs", 12),
    ("aws_cloudwatch_metric_alarm", "errors", 2),
    ("aws_db_instance", "db", 2),
    ("aws_ebs_volume", "data", 8),
    ("aws_iam_policy", "svc", 2),
    ("aws_iam_role_policy_attachment", "svc", 14),
    ("aws_instance", "app", 5),
    ("aws_lambda_function", "fn", 3),
    ("aws_rds_cluster", "db", 1),
    ("aws_route53_record", "svc", 6),
    ("aws_route_table_association", "svc", 10),
    ("aws_s3_bucket", "data", 3),
    ("aws_s3_bucket", "archive", 3),
    ("aws_s3_bucket_server_side_encryption_configuration", "data", 3),
    ("aws_s3_bucket_server_side_encryption_configuration", "archive", 3),
    ("aws_security_group", "svc", 2),
    ("aws_ssm_parameter", "by_alias", 3),
    ("aws_ssm_parameter", "by_alias_arn", 3),
    ("aws_ssm_parameter", "by_arn", 3),
    ("aws_ssm_parameter", "by_id", 3),
    ("aws_vpc_security_group_ingress_rule", "svc", 6),
]
assert sum(c for _, _, c in MODULE_LAYOUT) == PER_SERVICE - 3

# how each module resource names its key: (value form, module variable)
KEY_FORM = {
    ("aws_ssm_parameter", "by_alias"): ("alias", "kms_alias_name"),
    ("aws_ssm_parameter", "by_alias_arn"): ("alias_arn", "kms_alias_arn"),
    ("aws_ssm_parameter", "by_arn"): ("arn", "kms_key_arn"),
    ("aws_ssm_parameter", "by_id"): ("id", "kms_key_id"),
    ("aws_s3_bucket", "data"): ("arn", "kms_key_arn"),
    ("aws_s3_bucket", "archive"): ("alias_arn", "kms_alias_arn"),
    ("aws_s3_bucket_server_side_encryption_configuration", "data"): ("arn", "kms_key_arn"),
    ("aws_s3_bucket_server_side_encryption_configuration", "archive"): ("alias_arn", "kms_alias_arn"),
}

# per-service key events, by service number (see the module docs)
def key_event(s):
    if s % 50 == 7:
        return "delete"
    if s % 50 == 23:
        return "disable"
    if s % 100 == 41:
        return "replace"
    if s % 100 == 59:
        return "create"
    if s % 25 == 3:
        return "policy"
    if s % 20 == 11:
        return "rotation"
    if s % 50 == 37:
        return "window"
    return None


def h(*parts):
    """A stable 64-bit number for a name."""
    d = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(d, "big")


def hexid(n, *parts):
    """`n` (at most 64) stable hex digits for a name."""
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=32).hexdigest()[:n]


def uuid(*parts):
    x = hexid(32, *parts)
    return f"{x[:8]}-{x[8:12]}-4{x[13:16]}-8{x[17:20]}-{x[20:32]}"


def svc_name(s):
    return f"svc-{s:04d}"


def team_of(s):
    return f"team-{s // SERVICES_PER_TEAM:03d}"


def role_arn(name):
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def key_id(s):
    return uuid("key", s)


def key_arn(s):
    return f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id(s)}"


def alias_name(s):
    return f"alias/{svc_name(s)}"


def alias_arn(s):
    return f"arn:aws:kms:{REGION}:{ACCOUNT}:{alias_name(s)}"


def key_ref(s, form):
    return {"arn": key_arn, "id": key_id, "alias": alias_name, "alias_arn": alias_arn}[form](s)


def tags(s, extra=None):
    """Most resources carry only the provider's `default_tags` (`tags` null); EC2, EBS, S3
    and security groups have a Name tag; keys a team tag."""
    return dict(extra) if extra else None


def tags_all(s, extra=None):
    """`tags` plus the provider's `default_tags`."""
    return dict(extra or {}, env="prod")


def doc(statements):
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, separators=(",", ":"))


def key_policy(s, narrowed=False):
    st = [
        {"Sid": "EnableRoot", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "KeyAdmins", "Effect": "Allow", "Principal": {"AWS": role_arn("kms-admin")},
         "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
                    "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource",
                    "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"],
         "Resource": "*"},
        {"Sid": "TeamUse", "Effect": "Allow", "Principal": {"AWS": role_arn(f"{team_of(s)}-app")},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
         "Resource": "*"},
        {"Sid": "PlatformLambdas", "Effect": "Allow", "Principal": {"AWS": role_arn("platform-lambda")},
         "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"},
        {"Sid": "CloudWatchLogs", "Effect": "Allow", "Principal": {"Service": f"logs.{REGION}.amazonaws.com"},
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
         "Resource": "*", "Condition": {"ArnLike": {
             "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/svc/{svc_name(s)}/*"}}},
    ]
    if narrowed:
        st = [x for x in st if x["Sid"] != "PlatformLambdas"]
    return doc(st)


def assume_policy(service):
    return doc([{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}])


class Res:
    """One resource instance: its address parts, actions and before/after values."""

    __slots__ = ("module", "rtype", "name", "index", "actions", "reason", "before", "after",
                 "unknown", "sens", "replace_paths", "mode")

    def __init__(self, module, rtype, name, index, value, sens=None, mode="managed"):
        self.module, self.rtype, self.name, self.index, self.mode = module, rtype, name, index, mode
        self.actions = ["no-op"]
        self.reason = None
        self.before = value
        self.after = value
        self.unknown = {}
        self.sens = sens or {}
        self.replace_paths = None

    @property
    def local_address(self):
        prefix = "data." if self.mode == "data" else ""
        a = f"{prefix}{self.rtype}.{self.name}"
        if isinstance(self.index, int):
            return f"{a}[{self.index}]"
        if isinstance(self.index, str):
            return f'{a}["{self.index}"]'
        return a

    @property
    def address(self):
        return f"{self.module}.{self.local_address}" if self.module else self.local_address

    # --- actions -------------------------------------------------------------------------
    def update(self, **changes):
        self.actions = ["update"]
        self.after = dict(self.before, **changes)

    def delete(self, reason=None):
        self.actions = ["delete"]
        self.after = None
        self.reason = reason

    def create(self, unknown):
        """A new resource: `unknown` attributes are computed at apply."""
        self.actions = ["create"]
        self.after = {k: v for k, v in self.before.items() if k not in unknown}
        self.unknown = {k: True for k in unknown}
        self.before = None

    def replace(self, paths, unknown, **changes):
        self.actions = ["delete", "create"]
        self.reason = "replace_because_cannot_update"
        self.replace_paths = [[p] for p in paths]
        after = dict(self.before, **changes)
        self.after = {k: v for k, v in after.items() if k not in unknown}
        self.unknown = {k: True for k in unknown}

    def unknown_update(self, attrs):
        """An in-place update whose new values are known only after apply."""
        self.actions = ["update"]
        self.after = {k: v for k, v in self.before.items() if k not in attrs}
        self.unknown = {k: True for k in attrs}

    # --- JSON ----------------------------------------------------------------------------
    def head(self, in_state=False):
        o = {"address": self.address}
        if self.module and not in_state:
            o["module_address"] = self.module
        o.update({"mode": self.mode, "type": self.rtype, "name": self.name})
        if self.index is not None:
            o["index"] = self.index
        o["provider_name"] = PROVIDER
        return o

    def change(self):
        o = self.head()
        c = {"actions": self.actions, "before": self.before, "after": self.after,
             "after_unknown": self.unknown,
             "before_sensitive": False if self.before is None else self.sens,
             "after_sensitive": False if self.after is None else self.sens}
        if self.replace_paths:
            c["replace_paths"] = self.replace_paths
        o["change"] = c
        if self.reason:
            o["action_reason"] = self.reason
        return o

    def state(self, value, with_deps):
        o = self.head(in_state=True)
        o["schema_version"] = 0
        o["values"] = value
        o["sensitive_values"] = self.sens
        if with_deps and self.module:
            o["depends_on"] = ["aws_kms_key.svc"]
        return o


# --- values of each resource type (hashicorp/aws 5.x attribute names) ------------------------

def kms_key(s, narrowed=False):
    return {
        "arn": key_arn(s), "bypass_policy_lockout_safety_check": False, "custom_key_store_id": "",
        "customer_master_key_spec": "SYMMETRIC_DEFAULT", "deletion_window_in_days": 30,
        "description": f"{svc_name(s)} data key ({team_of(s)}): S3, EBS, RDS, Lambda, Logs and SSM",
        "enable_key_rotation": s % 20 != 11, "id": key_id(s), "is_enabled": True, "key_id": key_id(s),
        "key_usage": "ENCRYPT_DECRYPT", "multi_region": False, "policy": key_policy(s, narrowed),
        "rotation_period_in_days": 365, "tags": tags(s, {"team": team_of(s)}), "tags_all": tags_all(s, {"team": team_of(s)}), "timeouts": None,
        "xks_key_id": "",
    }


def kms_alias(s):
    return {"arn": alias_arn(s), "id": alias_name(s), "name": alias_name(s), "name_prefix": "",
            "target_key_arn": key_arn(s), "target_key_id": key_id(s)}


def kms_grant(s):
    gid = hexid(64, "grant", s)
    return {"constraints": [], "grant_creation_tokens": None, "grant_id": gid,
            "grant_token": "AQpAM2Rh" + hexid(32, "token", s), "grantee_principal": role_arn(f"{team_of(s)}-app"),
            "id": f"{key_id(s)}:{gid}", "key_id": key_id(s), "name": f"{svc_name(s)}-team",
            "operations": ["Decrypt", "Encrypt", "GenerateDataKey", "DescribeKey"],
            "retire_on_delete": False, "retiring_principal": None}


def iam_role(name, service, s, policies):
    return {"arn": role_arn(name), "assume_role_policy": assume_policy(service),
            "create_date": "2024-03-11T09:14:27Z", "description": f"{name}: shared execution role",
            "force_detach_policies": False, "id": name, "inline_policy": [],
            "managed_policy_arns": policies, "max_session_duration": 3600, "name": name, "name_prefix": "",
            "path": "/", "permissions_boundary": "", "tags": tags(s), "tags_all": tags_all(s),
            "unique_id": "AROA" + hexid(17, "role", name).upper()}


def sse_rule(ref):
    return [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": ref, "sse_algorithm": "aws:kms"}],
             "bucket_key_enabled": True}]


def bucket_name(s, name, i):
    return f"ex-{svc_name(s)}-{name}-{i}"


def module_value(rtype, name, s, i):
    """The value of `module.svc["svc-s"].rtype.name[i]`, and its sensitivity mask."""
    svc = svc_name(s)
    t = {"Name": f"{svc}-{name}-{i}"}
    form = KEY_FORM.get((rtype, name), ("arn", "kms_key_arn"))[0]
    ref = key_ref(s, form)
    az = f"{REGION}{'abc'[i % 3]}"
    if rtype == "aws_cloudwatch_log_group":
        lg = f"/svc/{svc}/{['app', 'worker', 'cron', 'api'][i % 4]}-{i}"
        return {"arn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{lg}", "id": lg, "kms_key_id": ref,
                "log_group_class": "STANDARD", "name": lg, "retention_in_days": 90,
                "tags": tags(s), "tags_all": tags_all(s)}, {"tags": {}, "tags_all": {}}
    if rtype == "aws_ssm_parameter":
        p = f"/{svc}/{name}/secret-{i}"
        return {"arn": f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter{p}", "data_type": "text",
                "description": "", "id": p, "key_id": ref, "name": p, "tags": tags(s), "tags_all": tags_all(s),
                "tier": "Standard", "type": "SecureString", "value": "gen-" + hexid(16, "secret", s, name, i),
                "version": h("v", s, i) % 9 + 1}, {"tags": {}, "tags_all": {}, "value": True}
    if rtype == "aws_s3_bucket":
        b = bucket_name(s, name, i)
        return {"arn": f"arn:aws:s3:::{b}", "bucket": b,
                "bucket_regional_domain_name": f"{b}.s3.{REGION}.amazonaws.com", "force_destroy": False,
                "id": b, "object_lock_enabled": False, "region": REGION,
                "server_side_encryption_configuration": [{"rule": sse_rule(ref)}], "tags": tags(s, t),
                "tags_all": tags_all(s, t), "versioning": [{"enabled": True, "mfa_delete": False}]}, \
            {"server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{}]}]}],
             "tags": {}, "tags_all": {}, "versioning": [{}]}
    if rtype == "aws_s3_bucket_server_side_encryption_configuration":
        b = bucket_name(s, name, i)
        return {"bucket": b, "expected_bucket_owner": "", "id": b, "rule": sse_rule(ref)}, \
            {"rule": [{"apply_server_side_encryption_by_default": [{}]}]}
    if rtype == "aws_ebs_volume":
        vol = "vol-" + hexid(17, "vol", s, i)
        return {"arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:volume/{vol}", "availability_zone": az,
                "encrypted": True, "id": vol, "iops": 3000, "kms_key_id": ref,
                "size": 50 * (i % 4 + 1), "snapshot_id": "", "tags": tags(s, t), "tags_all": tags_all(s, t),
                "throughput": 125, "type": "gp3"}, {"tags": {}, "tags_all": {}}
    if rtype == "aws_instance":
        iid = "i-" + hexid(17, "i", s, i)
        ip = f"10.{s % 250}.{i}.{h('ip', s, i) % 250 + 4}"
        return {"ami": "ami-0" + hexid(16, "ami", s % 7), "arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/{iid}",
                "availability_zone": az, "iam_instance_profile": f"{svc}-app", "id": iid,
                "instance_type": "m6i.large", "monitoring": True, "private_ip": ip,
                "root_block_device": [{"delete_on_termination": True, "device_name": "/dev/xvda", "encrypted": True,
                                       "kms_key_id": ref, "volume_id": "vol-" + hexid(17, "root", s, i),
                                       "volume_size": 50, "volume_type": "gp3"}],
                "subnet_id": "subnet-" + hexid(17, "subnet", s % 6, i % 3), "tags": tags(s, t),
                "tags_all": tags_all(s, t), "vpc_security_group_ids": ["sg-" + hexid(17, "sg", s, 0)]}, \
            {"root_block_device": [{}], "tags": {}, "tags_all": {},
             "vpc_security_group_ids": [False]}
    if rtype == "aws_db_instance":
        ident = f"{svc}-db-{i}"
        return {"allocated_storage": 100, "arn": f"arn:aws:rds:{REGION}:{ACCOUNT}:db:{ident}",
                "backup_retention_period": 7, "deletion_protection": True, "engine": "postgres",
                "engine_version": "16.3", "id": "db-" + hexid(26, "db", s, i).upper(), "identifier": ident,
                "instance_class": "db.r6g.large", "kms_key_id": ref, "multi_az": True,
                "password": "gen-" + hexid(20, "pw", s, i), "performance_insights_enabled": True,
                "performance_insights_kms_key_id": ref, "port": 5432, "storage_encrypted": True,
                "storage_type": "gp3", "tags": tags(s), "tags_all": tags_all(s), "username": "app",
                "vpc_security_group_ids": ["sg-" + hexid(17, "sg", s, 1)]}, \
            {"password": True, "tags": {}, "tags_all": {}, "vpc_security_group_ids": [False]}
    if rtype == "aws_rds_cluster":
        ident = f"{svc}-aurora"
        return {"arn": f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:{ident}", "availability_zones": [
                    f"{REGION}a", f"{REGION}b", f"{REGION}c"], "backup_retention_period": 7,
                "cluster_identifier": ident, "cluster_resource_id": "cluster-" + hexid(26, "cl", s).upper(),
                "database_name": "app", "deletion_protection": True, "engine": "aurora-postgresql",
                "engine_version": "16.2", "id": ident, "kms_key_id": ref, "master_password": "gen-" + hexid(20, "mp", s),
                "master_username": "app", "port": 5432, "storage_encrypted": True, "tags": tags(s),
                "tags_all": tags_all(s)}, \
            {"availability_zones": [False, False, False], "master_password": True, "tags": {}, "tags_all": {}}
    if rtype == "aws_lambda_function":
        fn = f"{svc}-{['ingest', 'transform', 'notify'][i % 3]}"
        role = role_arn("platform-lambda") if i < 2 else role_arn(f"{team_of(s)}-app")
        arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{fn}"
        return {"architectures": ["arm64"], "arn": arn, "environment": [{"variables": {
                    "LOG_LEVEL": "info", "PARAMS_PATH": f"/{svc}/"}}],
                "function_name": fn, "handler": "app.handler", "id": fn,
                "kms_key_arn": ref, "memory_size": 512, "role": role, "runtime": "python3.12",
                "s3_bucket": f"example-artifacts-{REGION}", "s3_key": f"{svc}/{fn}.zip", "tags": tags(s),
                "tags_all": tags_all(s), "timeout": 30, "tracing_config": [{"mode": "Active"}]}, \
            {"architectures": [False], "environment": [{"variables": {}}], "tags": {}, "tags_all": {},
             "tracing_config": [{}]}
    # --- bulk: nothing to do with KMS ---
    if rtype == "aws_iam_policy":
        pname = f"{svc}-{['read', 'write', 'deploy', 'observe', 'ops', 'ci'][i % 6]}-{i}"
        arn = f"arn:aws:iam::{ACCOUNT}:policy/{pname}"
        st = [{"Sid": f"S{j}", "Effect": "Allow",
               "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "dynamodb:GetItem", "dynamodb:Query",
                          "sqs:SendMessage", "sqs:ReceiveMessage", "logs:PutLogEvents"][j % 3:j % 3 + 5],
               "Resource": [f"arn:aws:s3:::example-{svc}-{j}/*", f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{svc}-{j}",
                            f"arn:aws:sqs:{REGION}:{ACCOUNT}:{svc}-queue-{j}"]} for j in range(4)]
        return {"arn": arn, "attachment_count": 1, "description": f"{pname}: access for {svc} workloads",
                "id": arn, "name": pname, "name_prefix": "", "path": "/", "policy": doc(st),
                "policy_id": "ANPA" + hexid(17, "pol", s, i).upper(), "tags": tags(s), "tags_all": tags_all(s)}, \
            {"tags": {}, "tags_all": {}}
    if rtype == "aws_iam_role_policy_attachment":
        return {"id": f"{svc}-app-{hexid(20, 'att', s, i)}", "policy_arn": f"arn:aws:iam::{ACCOUNT}:policy/{svc}-p{i}",
                "role": f"{svc}-app"}, {}
    if rtype == "aws_security_group":
        sg = "sg-" + hexid(17, "sg", s, i)
        rules = [{"cidr_blocks": [f"10.{k}.0.0/16"], "description": f"from {['vpc', 'vpn', 'peer'][k]} on {p}",
                  "from_port": p, "ipv6_cidr_blocks": [], "prefix_list_ids": [], "protocol": "tcp",
                  "security_groups": [], "self": False, "to_port": p} for k, p in enumerate([443, 5432])]
        return {"arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{sg}",
                "description": f"{svc} tier {i}: managed by Terraform",
                "egress": [{"cidr_blocks": ["0.0.0.0/0"], "description": "", "from_port": 0, "ipv6_cidr_blocks": [],
                            "prefix_list_ids": [], "protocol": "-1", "security_groups": [], "self": False,
                            "to_port": 0}],
                "id": sg, "ingress": rules, "name": f"{svc}-tier-{i}", "name_prefix": "", "owner_id": ACCOUNT,
                "revoke_rules_on_delete": False, "tags": tags(s, t), "tags_all": tags_all(s, t), "timeouts": None,
                "vpc_id": "vpc-" + hexid(17, "vpc", s % 6)}, \
            {"egress": [{"cidr_blocks": [False], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}],
             "ingress": [{"cidr_blocks": [False], "ipv6_cidr_blocks": [], "prefix_list_ids": [],
                          "security_groups": []}] * 2, "tags": {}, "tags_all": {}}
    if rtype == "aws_vpc_security_group_ingress_rule":
        sgr = "sgr-" + hexid(17, "sgr", s, i)
        return {"arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group-rule/{sgr}", "cidr_ipv4": f"10.{i}.0.0/16",
                "cidr_ipv6": None, "description": f"port {8000 + i}",
                "from_port": 8000 + i, "id": sgr, "ip_protocol": "tcp", "prefix_list_id": None,
                "referenced_security_group_id": None, "security_group_id": "sg-" + hexid(17, "sg", s, i % 2),
                "security_group_rule_id": sgr, "tags": None, "tags_all": {}, "to_port": 8000 + i}, {"tags_all": {}}
    if rtype == "aws_route_table_association":
        return {"gateway_id": "", "id": "rtbassoc-" + hexid(17, "rta", s, i),
                "route_table_id": "rtb-" + hexid(17, "rtb", s % 6), "subnet_id": "subnet-" + hexid(17, "sn", s, i)}, {}
    if rtype == "aws_route53_record":
        fqdn = f"{['api', 'www', 'admin', 'ws', 'grpc', 'int', 'metrics', 'hooks'][i]}.{svc}.example.internal"
        zone = "Z" + hexid(20, "zone", s % 4).upper()
        return {"alias": [], "allow_overwrite": None, "fqdn": fqdn, "health_check_id": "",
                "id": f"{zone}_{fqdn}_A", "name": fqdn, "records": [f"10.{s % 250}.{i}.{k}" for k in (10, 11)],
                "set_identifier": "", "ttl": 300, "type": "A", "zone_id": zone}, \
            {"alias": [], "records": [False, False]}
    if rtype == "aws_cloudwatch_metric_alarm":
        fn = f"{svc}-{['ingest', 'transform', 'notify'][i % 3]}"
        an = f"{fn}-errors"
        return {"actions_enabled": True, "alarm_actions": [f"arn:aws:sns:{REGION}:{ACCOUNT}:{team_of(s)}-alerts"],
                "alarm_description": f"Errors of {fn} over 5 in 15 minutes", "alarm_name": an,
                "arn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{an}", "comparison_operator": "GreaterThanThreshold",
                "datapoints_to_alarm": 0, "dimensions": {"FunctionName": fn}, "evaluation_periods": 3,
                "id": an, "insufficient_data_actions": [], "metric_name": "Errors", "namespace": "AWS/Lambda",
                "ok_actions": [], "period": 300, "statistic": "Sum", "tags": tags(s), "tags_all": tags_all(s),
                "threshold": 5, "treat_missing_data": "notBreaching"}, \
            {"alarm_actions": [False], "dimensions": {}, "insufficient_data_actions": [], "ok_actions": [],
             "tags": {}, "tags_all": {}}
    raise ValueError(rtype)


# attributes that name the key, per type (set unknown when the key is replaced or created)
KEY_ATTRS = {
    "aws_cloudwatch_log_group": ["kms_key_id"], "aws_ssm_parameter": ["key_id"],
    "aws_s3_bucket": ["server_side_encryption_configuration"],
    "aws_s3_bucket_server_side_encryption_configuration": ["rule"], "aws_ebs_volume": ["kms_key_id"],
    "aws_instance": ["root_block_device"], "aws_db_instance": ["kms_key_id", "performance_insights_kms_key_id"],
    "aws_rds_cluster": ["kms_key_id"], "aws_lambda_function": ["kms_key_arn"],
}
# changing the key of these forces a new resource
REPLACED_WITH_KEY = {"aws_ebs_volume", "aws_instance", "aws_db_instance", "aws_rds_cluster"}
COMPUTED = {"arn", "id"}


def service(s):
    """The resources of service `s`: (root resources, module resources)."""
    svc, ev = svc_name(s), key_event(s)
    mod = f'module.svc["{svc}"]'
    key = Res(None, "aws_kms_key", "svc", svc, kms_key(s), {"tags": {}, "tags_all": {}})
    alias = Res(None, "aws_kms_alias", "svc", svc, kms_alias(s))
    grant = Res(None, "aws_kms_grant", "svc", svc, kms_grant(s),
                {"constraints": [], "grant_token": True, "operations": [False] * 4})
    root = [key, alias, grant]
    if s % SERVICES_PER_TEAM == 0:
        team = team_of(s)
        root.append(Res(None, "aws_iam_role", "team", team,
                        iam_role(f"{team}-app", "ec2.amazonaws.com", s,
                                 [f"arn:aws:iam::{ACCOUNT}:policy/{team}-base"]),
                        {"inline_policy": [], "managed_policy_arns": [False], "tags": {}, "tags_all": {}}))
    mods = []
    for rtype, name, count in MODULE_LAYOUT:
        if rtype == "aws_route53_record":
            count -= (s % SERVICES_PER_TEAM == 0) + (s == 0)  # the team role, the platform role
        for i in range(count):
            value, sens = module_value(rtype, name, s, i)
            mods.append(Res(mod, rtype, name, i, value, sens))

    if ev == "delete":
        key.delete("delete_because_no_resource_config")
        alias.delete("delete_because_no_resource_config")
        grant.delete("delete_because_no_resource_config")
    elif ev == "disable":
        key.update(is_enabled=False)
    elif ev == "policy":
        key.update(policy=key_policy(s, narrowed=True))
    elif ev == "rotation":
        key.update(enable_key_rotation=True)
    elif ev == "window":
        key.update(deletion_window_in_days=7)
    elif ev == "replace":
        key.replace(["multi_region"], ["arn", "id", "key_id", "tags_all"], multi_region=True)
        key.reason = "replace_because_cannot_update"
        alias.unknown_update(["target_key_arn", "target_key_id"])
        grant.replace(["key_id"], ["grant_id", "grant_token", "id", "key_id"])
        for r in mods:
            attrs = KEY_ATTRS.get(r.rtype)
            if not attrs or KEY_FORM.get((r.rtype, r.name), ("arn",))[0].startswith("alias"):
                continue  # bulk, or names the alias: unchanged
            if r.rtype in REPLACED_WITH_KEY:
                r.replace([attrs[0]], attrs + sorted(COMPUTED & r.before.keys()))
            else:
                r.unknown_update(attrs)
    elif ev == "create":
        key.create(["arn", "id", "key_id", "tags_all"])
        alias.create(["arn", "id", "target_key_arn", "target_key_id"])
        grant.create(["grant_id", "grant_token", "id", "key_id"])
        for r in mods:
            attrs = KEY_ATTRS.get(r.rtype, []) if not KEY_FORM.get((r.rtype, r.name), ("arn",))[0].startswith("alias") else []
            r.create(sorted(set(attrs) | (COMPUTED & r.before.keys()) | {"tags_all"}))
    if ev != "create":
        for r in mods:
            if r.actions != ["no-op"]:
                continue
            roll = h("action", r.address) % 1000
            if roll < 40:
                r.update(tags=dict(r.before.get("tags") or {}, owner=f"{team_of(s)}-oncall"),
                         tags_all=dict(r.before.get("tags_all") or {}, owner=f"{team_of(s)}-oncall"))
            elif roll < 50 and ev != "delete":
                r.delete("delete_because_count_index")
            elif roll < 55 and r.rtype in ("aws_instance", "aws_ebs_volume", "aws_security_group"):
                attr = {"aws_instance": "ami", "aws_ebs_volume": "availability_zone",
                        "aws_security_group": "name"}[r.rtype]
                r.replace([attr], sorted(COMPUTED & r.before.keys()), **{attr: r.before[attr] + "-v2"})
    return root, mods


def platform_role():
    return Res(None, "aws_iam_role", "platform_lambda", None,
               iam_role("platform-lambda", "lambda.amazonaws.com", 0,
                        ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]),
               {"inline_policy": [], "managed_policy_arns": [False], "tags": {}, "tags_all": {}})


def extra(i):
    """Root-level bulk that makes the resource count exactly N."""
    v, sens = module_value("aws_iam_policy", "extra", 9999, i)
    v = dict(v, name=f"extra-{i}", arn=f"arn:aws:iam::{ACCOUNT}:policy/extra-{i}", id=f"arn:aws:iam::{ACCOUNT}:policy/extra-{i}")
    return Res(None, "aws_iam_policy", "extra", i, v, sens)


def configuration(services):
    """The `configuration` block: root resources, the `svc` module call and its body."""
    ref = lambda *r: {"references": list(r)}
    const = lambda v: {"constant_value": v}
    res = lambda addr, rtype, name, exprs, **kw: dict(
        {"address": addr, "mode": "managed", "type": rtype, "name": name, "provider_config_key": "aws",
         "expressions": exprs, "schema_version": 0}, **kw)
    each_svc = {"for_each_expression": ref("local.services")}
    root = [
        res("aws_iam_role.platform_lambda", "aws_iam_role", "platform_lambda",
            {"assume_role_policy": ref("data.aws_iam_policy_document.lambda_assume.json",
                                       "data.aws_iam_policy_document.lambda_assume"),
             "name": const("platform-lambda")}),
        res("aws_iam_role.team", "aws_iam_role", "team",
            {"assume_role_policy": ref("data.aws_iam_policy_document.ec2_assume.json",
                                       "data.aws_iam_policy_document.ec2_assume"),
             "name": ref("each.key")}, for_each_expression=ref("local.teams")),
        res("aws_kms_key.svc", "aws_kms_key", "svc",
            {"description": ref("each.value.description", "each.value"), "enable_key_rotation": const(True),
             "policy": ref("local.key_policies", "each.key"), "tags": ref("local.tags", "each.key")}, **each_svc),
        res("aws_kms_alias.svc", "aws_kms_alias", "svc",
            {"name": ref("each.key"), "target_key_id": ref("aws_kms_key.svc", "each.key")}, **each_svc),
        res("aws_kms_grant.svc", "aws_kms_grant", "svc",
            {"grantee_principal": ref("local.team_role_arns", "each.key"), "key_id": ref("aws_kms_key.svc", "each.key"),
             "name": ref("each.key"), "operations": const(["Decrypt", "Encrypt", "GenerateDataKey", "DescribeKey"])},
            **each_svc),
        res("aws_iam_policy.extra", "aws_iam_policy", "extra",
            {"name": ref("count.index"), "policy": ref("local.extra_policies", "count.index")},
            count_expression=const(0)),
    ]
    var = {"kms_key_arn": "the service key's ARN", "kms_key_id": "the service key's id",
           "kms_alias_name": "the service key's alias", "kms_alias_arn": "the service key's alias ARN",
           "lambda_role_arn": "the shared Lambda execution role", "team_role_arn": "the team's role",
           "name": "service name"}
    body = []
    for rtype, name, count in MODULE_LAYOUT:
        keyvar = KEY_FORM.get((rtype, name), ("arn", "kms_key_arn"))[1]
        kv = ref(f"var.{keyvar}")
        e = {"tags": ref("local.tags")}
        if rtype == "aws_cloudwatch_log_group":
            e.update(kms_key_id=kv, name=ref("var.name", "count.index"), retention_in_days=const(90))
        elif rtype == "aws_ssm_parameter":
            e.update(key_id=kv, name=ref("var.name", "count.index"), type=const("SecureString"),
                     value=ref("random_password.p", "count.index"))
        elif rtype == "aws_s3_bucket":
            e.update(bucket=ref("var.name", "count.index"),
                     server_side_encryption_configuration=[{"rule": [{"apply_server_side_encryption_by_default": [
                         {"kms_master_key_id": kv, "sse_algorithm": const("aws:kms")}]}]}])
        elif rtype == "aws_s3_bucket_server_side_encryption_configuration":
            e = {"bucket": ref(f"aws_s3_bucket.{name}", "count.index"),
                 "rule": [{"apply_server_side_encryption_by_default": [
                     {"kms_master_key_id": kv, "sse_algorithm": const("aws:kms")}], "bucket_key_enabled": const(True)}]}
        elif rtype == "aws_ebs_volume":
            e.update(kms_key_id=kv, encrypted=const(True), size=ref("count.index"), type=const("gp3"))
        elif rtype == "aws_instance":
            e.update(ami=ref("data.aws_ami.al2023.id", "data.aws_ami.al2023"), instance_type=const("m6i.large"),
                     root_block_device=[{"encrypted": const(True), "kms_key_id": kv, "volume_size": const(50)}])
        elif rtype in ("aws_db_instance", "aws_rds_cluster"):
            e.update(kms_key_id=kv, storage_encrypted=const(True),
                     **({"performance_insights_kms_key_id": kv} if rtype == "aws_db_instance" else {}))
        elif rtype == "aws_lambda_function":
            e.update(kms_key_arn=kv, role=ref("var.lambda_role_arn"), function_name=ref("var.name", "count.index"))
        elif rtype == "aws_iam_role_policy_attachment":
            e = {"policy_arn": ref(f"aws_iam_policy.svc", "count.index"), "role": ref("var.name")}
        elif rtype == "aws_vpc_security_group_ingress_rule":
            e.update(security_group_id=ref("aws_security_group.svc", "count.index"), from_port=ref("count.index"))
        else:
            e.update(name=ref("var.name", "count.index"))
        body.append(res(f"{rtype}.{name}", rtype, name, e, count_expression=const(count)))
    call = {"source": "./modules/service",
            "expressions": {
                "kms_key_arn": ref("aws_kms_key.svc", "each.key"),
                "kms_key_id": ref("aws_kms_key.svc", "each.key"),
                "kms_alias_name": ref("aws_kms_alias.svc", "each.key"),
                "kms_alias_arn": ref("aws_kms_alias.svc", "each.key"),
                "lambda_role_arn": ref("aws_iam_role.platform_lambda.arn", "aws_iam_role.platform_lambda"),
                "team_role_arn": ref("local.team_role_arns", "each.key"),
                "name": ref("each.key")},
            "for_each_expression": ref("local.services"),
            "module": {"resources": body,
                       "variables": {k: {"description": v} for k, v in var.items()}}}
    return {"provider_config": {"aws": {"name": "aws", "full_name": PROVIDER, "version_constraint": "~> 5.80",
                                        "expressions": {"region": const(REGION)}}},
            "root_module": {"resources": root, "module_calls": {"svc": call},
                            "variables": {"services_file": {"default": "services.yaml"}}}}


class Writer:
    """Streams compact JSON (as `terraform show -json` writes it) to a file."""

    def __init__(self, f):
        self.f = f
        self.enc = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)

    def raw(self, s):
        self.f.write(s)

    def value(self, v):
        self.f.write(self.enc.encode(v))

    def array(self, items):
        self.f.write("[")
        first = True
        for it in items:
            if not first:
                self.f.write(",")
            first = False
            self.value(it)
        self.f.write("]")


def main():
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 200:
        sys.exit(__doc__.split("\n\n")[1])
    n, out = int(sys.argv[1]), sys.argv[2]
    services = n // PER_SERVICE
    extras = n - services * PER_SERVICE

    def sections():
        """(root resources, [(module address, module resources)]), regenerated per pass."""
        roots, mods = [platform_role()], []
        for s in range(services):
            r, m = service(s)
            roots.extend(r)
            mods.append((m[0].module, m))
        roots.extend(extra(i) for i in range(extras))
        roots.sort(key=lambda r: (r.rtype, r.name, str(r.index)))
        return roots, mods

    def state_module(roots, mods, side):
        """planned_values (side after) or prior_state (side before) `root_module`."""
        def entries(rs):
            for r in rs:
                v = r.after if side == "after" else r.before
                if v is not None:
                    yield r.state(v, side == "before")
        return roots, mods, entries

    with open(out, "w", encoding="utf-8") as f:
        w = Writer(f)
        w.raw('{"format_version":"1.2","terraform_version":"%s","variables":' % TF_VERSION)
        w.value({"services_file": {"value": "services.yaml"}, "environment": {"value": "production"}})

        for section in ("planned_values", "prior_state"):
            side = "after" if section == "planned_values" else "before"
            roots, mods = sections()
            _, _, entries = state_module(roots, mods, side)
            if section == "planned_values":
                w.raw(',"planned_values":{"outputs":{"key_count":{"sensitive":false,"type":"number","value":%d}},'
                      '"root_module":{"resources":' % services)
            else:
                # resource_drift and resource_changes sit between the two state sections
                drift = [r for _, m in mods for r in m if h("drift", r.address) % 400 == 0 and r.before]
                w.raw(',"resource_drift":')
                w.array({**r.head(), "change": {"actions": ["update"], "before": dict(r.before, tags_all=dict(
                    r.before.get("tags_all") or {}, drift="manual")), "after": r.before, "after_unknown": {},
                    "before_sensitive": r.sens, "after_sensitive": r.sens}} for r in drift)
                w.raw(',"resource_changes":')
                w.array(r.change() for r in roots + [r for _, m in mods for r in m])
                w.raw(',"output_changes":{"key_count":{"actions":["no-op"],"before":%d,"after":%d,'
                      '"after_unknown":false,"before_sensitive":false,"after_sensitive":false}}' % (services, services))
                w.raw(',"prior_state":{"format_version":"1.0","terraform_version":"%s","values":{"outputs":'
                      '{"key_count":{"sensitive":false,"value":%d,"type":"number"}},"root_module":{"resources":'
                      % (TF_VERSION, services))
                caller = Res(None, "aws_caller_identity", "current", None,
                             {"account_id": ACCOUNT, "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/ci/terraform",
                              "id": ACCOUNT, "user_id": "AROAEXAMPLE:terraform"}, mode="data")
                roots = [caller] + roots
            w.array(entries(roots))
            w.raw(',"child_modules":')
            w.array({"resources": rs, "address": addr} for addr, rs in ((a, list(entries(m))) for a, m in mods) if rs)
            w.raw("}}" if section == "planned_values" else "}}}")

        w.raw(',"configuration":')
        w.value(configuration(services))
        w.raw(',"relevant_attributes":')
        w.value([{"resource": "aws_kms_key.svc", "attribute": ["arn"]},
                 {"resource": "aws_kms_alias.svc", "attribute": ["name"]},
                 {"resource": "aws_iam_role.platform_lambda", "attribute": ["arn"]}])
        w.raw(',"timestamp":"2025-01-15T10:00:00Z","applyable":true,"complete":true,"errored":false}\n')


if __name__ == "__main__":
    main()

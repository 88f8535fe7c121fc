#!/usr/bin/env python3
"""Writes a large synthetic plan for keyblast's scale checks (not a fixture: generated on demand).

usage: scripts/gen-large-plan.py OUT.json [RESOURCES]   (default 100000, about 100 MB)

Shape: one key per 20 resources; each dependent names its key in a rotating form (id, ARN,
alias name, alias ARN) or through a configuration reference; a tenth of the keys are deleted,
a tenth of the dependents are updated. Deterministic for a given size.
"""
import json
import sys

ACCOUNT = "111122223333"


def key_id(i):
    return f"{i:08x}-0000-4000-8000-{i:012x}"


def arn(i):
    return f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{key_id(i)}"


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    keys = max(1, n // 20)
    changes, cfg = [], []
    pad = "x" * 600  # typical attribute bulk (descriptions, settings)
    for k in range(keys):
        v = {"key_id": key_id(k), "id": key_id(k), "arn": arn(k), "is_enabled": True,
             "enable_key_rotation": True, "deletion_window_in_days": 30, "description": pad,
             "policy": json.dumps({"Version": "2012-10-17", "Statement": [
                 {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"},
                 {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/app{k}"},
                  "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}]})}
        actions = ["delete"] if k % 10 == 0 else ["no-op"]
        changes.append({"address": f"aws_kms_key.k{k}", "mode": "managed", "type": "aws_kms_key", "name": f"k{k}",
                        "change": {"actions": actions, "before": v, "after": None if actions == ["delete"] else v,
                                   "after_unknown": {}}})
        a = {"name": f"alias/k{k}", "arn": f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/k{k}", "target_key_id": key_id(k)}
        changes.append({"address": f"aws_kms_alias.a{k}", "mode": "managed", "type": "aws_kms_alias", "name": f"a{k}",
                        "change": {"actions": ["no-op"], "before": a, "after": a, "after_unknown": {}}})
    for i in range(n - 2 * keys):
        k = i % keys
        form = i % 5
        ref = [key_id(k), arn(k), f"alias/k{k}", f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/k{k}", None][form]
        v = {"name": f"/app/param/{i}", "type": "SecureString", "key_id": ref, "value": "secret", "description": pad,
             "tags": {"team": "t", "index": str(i)}}
        updated = i % 10 == 0
        after = dict(v, tags={"team": "u", "index": str(i)}) if updated else v
        addr = f"module.m{k % 50}.aws_ssm_parameter.p{i}"
        rc = {"address": addr, "module_address": f"module.m{k % 50}", "mode": "managed", "type": "aws_ssm_parameter",
              "name": f"p{i}", "change": {"actions": ["update"] if updated else ["no-op"], "before": v, "after": after,
                                          "after_unknown": {"key_id": True} if ref is None else {},
                                          "before_sensitive": {"value": True}, "after_sensitive": {"value": True}}}
        changes.append(rc)
        if ref is None:
            cfg.append((k % 50, f"p{i}", k))
    modules = {}
    for m, name, k in cfg:
        modules.setdefault(m, []).append({"address": f"aws_ssm_parameter.{name}", "mode": "managed",
                                          "type": "aws_ssm_parameter", "name": name,
                                          "expressions": {"key_id": {"references": [f"var.key{k}"]}}})
    module_calls = {}
    for m, resources in modules.items():
        exprs = {f"key{k}": {"references": [f"aws_kms_key.k{k}.arn", f"aws_kms_key.k{k}"]} for k in range(m, keys, 50)}
        module_calls[f"m{m}"] = {"source": "./m", "expressions": exprs, "module": {"resources": resources}}
    plan = {"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": changes,
            "configuration": {"root_module": {"resources": [], "module_calls": module_calls}}}
    with open(out, "w") as f:
        json.dump(plan, f)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Derives the samples Terraform cannot produce from real ones, changing as little as possible.

- handwritten/policy-unparseable.json: policy-narrowed's plan with the new key policy of
  aws_kms_key.main replaced by text that is not a policy document (the AWS provider validates
  JSON before planning, so only a hand edit, a buggy provider or a corrupted plan shows this).

Run after generate.sh; deterministic.
"""
import json
import pathlib

samples = pathlib.Path(__file__).resolve().parent.parent
plan = json.loads((samples / "policy-narrowed" / "plan.json").read_text())
for rc in plan["resource_changes"]:
    if rc["address"] == "aws_kms_key.main":
        rc["change"]["after"]["policy"] = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*"'
out = samples / "handwritten" / "policy-unparseable.json"
out.parent.mkdir(exist_ok=True)
out.write_text(json.dumps(plan, separators=(",", ":")) + "\n")

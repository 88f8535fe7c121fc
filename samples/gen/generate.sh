#!/usr/bin/env bash
# Regenerates samples/<scenario>/plan.json from real Terraform runs against a local AWS
# emulator (moto), so the samples are what `terraform show -json` really prints.
#
# For each scenario directory under samples/gen/ (or only those named as arguments):
#   1. apply base.tf into a fresh moto,
#   2. switch to change.tf (if present) and plan with the arguments in plan.args (if present),
#   3. save `terraform show -json` of that plan as samples/<scenario>/plan.json.
# A scenario with a `vars-from-outputs` file passes the base outputs to the change step as
# variables (for references hard-coded by literal ARN). A scenario without base.tf is a
# monorepo: each subdirectory is a root module with its own base.tf/change.tf.
#
# Needs: terraform 1.11+, the hashicorp/aws 5.100.0 provider in /opt/tf-plugins (see
# terraformrc), python3. Installs moto[server]==5.2.5 into a virtualenv. Loopback only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
samples=$(dirname "$here")
venv=${KEYBLAST_MOTO_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/keyblast/moto-venv}
if [ ! -x "$venv/bin/moto_server" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'moto[server]==5.2.5'
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
endpoint="http://127.0.0.1:$port"
work=$(mktemp -d)
log="$work/moto.log"
MOTO_EC2_LOAD_DEFAULT_AMIS=true "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -sf "$endpoint/moto-api/" >/dev/null && break; sleep 0.2; done

export TF_CLI_CONFIG_FILE="$here/terraformrc" TF_IN_AUTOMATION=1 TF_INPUT=0
export TF_PLUGIN_CACHE_DIR="$work/plugin-cache"
mkdir -p "$TF_PLUGIN_CACHE_DIR"
python3 - "$work/lambda.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    info = zipfile.ZipInfo("index.py", date_time=(2026, 1, 1, 0, 0, 0))
    z.writestr(info, "def handler(event, context):\n    return {'ok': True}\n")
PY

scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  mapfile -t scenarios < <(find "$here" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
fi
# apply_base SRC DIR: a fresh work dir for root module SRC, base.tf applied.
apply_base() {
  local src=$1 dir=$2
  mkdir -p "$dir"
  sed "s|@ENDPOINT@|$endpoint|" "$here/provider.tf.in" >"$dir/provider.tf"
  cp "$work/lambda.zip" "$dir/lambda.zip"
  cp "$src/base.tf" "$dir/main.tf"
  [ -f "$work/shared.tfvars" ] && cp "$work/shared.tfvars" "$dir/terraform.tfvars"
  (cd "$dir" && terraform init -no-color >/dev/null && terraform apply -no-color -auto-approve -parallelism=10 >"$dir/apply.log") ||
    { cat "$dir/apply.log" >&2; exit 1; }
  # outputs become variables of later parts and of the change step
  (cd "$dir" && terraform output -json | python3 -c '
import json, sys
for k, v in sorted(json.load(sys.stdin).items()):
    print(k, "=", json.dumps(v["value"]))' >>"$work/shared.tfvars")
}

# plan_change SRC DIR OUT: switch to change.tf, plan with plan.args, save the JSON plan.
plan_change() {
  local src=$1 dir=$2 out=$3 args=()
  [ -f "$src/change.tf" ] && cp "$src/change.tf" "$dir/main.tf"
  [ -f "$src/plan.args" ] && read -r -a args <"$src/plan.args"
  [ -f "$src/vars-from-outputs" ] && cp "$work/shared.tfvars" "$dir/terraform.tfvars"
  (cd "$dir" && terraform plan -no-color -parallelism=10 -out=tfplan "${args[@]}" >"$dir/plan.log") ||
    { cat "$dir/plan.log" >&2; exit 1; }
  mkdir -p "$(dirname "$out")"
  (cd "$dir" && terraform show -json tfplan) | sed "s|$endpoint|http://127.0.0.1:5000|g" >"$out"
}

for s in "${scenarios[@]}"; do
  src="$here/$s"
  echo "== $s" >&2
  curl -sf -X POST "$endpoint/moto-api/reset" >/dev/null
  rm -f "$work/shared.tfvars"
  touch "$work/shared.tfvars"
  if [ -f "$src/base.tf" ]; then
    apply_base "$src" "$work/$s"
    plan_change "$src" "$work/$s" "$samples/$s/plan.json"
  else
    # Several root modules (a monorepo's workspaces) in one account, applied in name order;
    # each part's outputs are variables of the later ones. One plan per part.
    mapfile -t parts < <(find "$src" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
    for p in "${parts[@]}"; do apply_base "$src/$p" "$work/$s/$p"; done
    for p in "${parts[@]}"; do plan_change "$src/$p" "$work/$s/$p" "$samples/$s/${p#*-}.json"; done
  fi
done

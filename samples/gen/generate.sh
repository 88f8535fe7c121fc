#!/usr/bin/env bash
# Regenerates samples/<scenario>/plan.json from real Terraform runs against a local AWS
# emulator (moto), so the samples are what `terraform show -json` really prints.
#
# For each scenario directory under samples/gen/ (or only those named as arguments), with a
# moto server of its own on a free loopback port:
#   1. apply base.tf in a fresh work dir,
#   2. switch to change.tf (if present) and plan with the arguments in plan.args (if present),
#   3. save `terraform show -json` of that plan, unedited, as samples/<scenario>/plan.json.
# A scenario with a `vars-from-outputs` file passes the base outputs to the change step as
# variables (for references hard-coded by literal ARN). A scenario without base.tf is a
# monorepo: each subdirectory is a root module with its own base.tf/change.tf, applied in name
# order into one account, each part's outputs being variables of the later parts; one plan per
# part (samples/<scenario>/<part without its N- prefix>.json).
# A scenario's `modules/` directory is copied next to its root module (for `source =
# "./modules/..."`); its `moto.env` (NAME=VALUE lines) is added to its moto server's
# environment (MOTO_EC2_LOAD_DEFAULT_AMIS=true unless it says otherwise). Live resources, opt-in per scenario, after every base is applied and
# before any plan:
#   setup.py   run with the virtualenv's python (boto3) to make resources outside Terraform;
#              AWS_ENDPOINT_URL, the dummy credentials and the region are in its environment,
#              argv[1] is a JSON file of the base outputs ({"name": value}).
#   discover   keyblast's own discovery against the same moto server, saved unedited as
#              samples/<scenario>/inventory.json; the file lists the regions, one a line
#              (empty: us-east-1). keyblast is built from this checkout (`cargo build
#              --locked`) unless KEYBLAST_BIN names a binary.
#
# Needs: terraform 1.11+, the hashicorp/aws 5.100.0 provider in /opt/tf-plugins (see
# terraformrc), python3, curl. Installs moto[server]==5.2.5 into a virtualenv
# ($KEYBLAST_MOTO_VENV, default ~/.cache/keyblast/moto-venv). Loopback only.
#   KEYBLAST_SAMPLES_OUT=DIR  write the plans under DIR instead of samples/ (to check a run
#                             without touching the committed samples, whose ids the snapshot
#                             tests pin)
#   KEYBLAST_GEN_JOBS=N       scenarios run at once (default 3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
samples=${KEYBLAST_SAMPLES_OUT:-$(dirname "$here")}
max_jobs=${KEYBLAST_GEN_JOBS:-3}
venv=${KEYBLAST_MOTO_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/keyblast/moto-venv}
if [ ! -x "$venv/bin/moto_server" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'moto[server]==5.2.5'
fi

repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/keyblast-gen.XXXXXX")
# Each scenario runs as a job in its own process group (set -m); every job and every moto
# server started is stopped on exit, failure or not.
job_pids=()
cleanup() {
  local pid
  for pid in "${job_pids[@]}"; do kill -- -"$pid" 2>/dev/null || true; done
  if [ -f "$work/moto.pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$work/moto.pids"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export TF_CLI_CONFIG_FILE="$here/terraformrc" TF_IN_AUTOMATION=1 TF_INPUT=0
export TF_PLUGIN_CACHE_DIR="$work/plugin-cache"
mkdir -p "$TF_PLUGIN_CACHE_DIR"
# Fill the plugin cache once, so the scenarios' concurrent inits only read it.
mkdir -p "$work/warm-cache"
sed "s|@ENDPOINT@|http://127.0.0.1:1|" "$here/provider.tf.in" >"$work/warm-cache/provider.tf"
(cd "$work/warm-cache" && terraform init -no-color >/dev/null)

python3 - "$work/lambda.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    info = zipfile.ZipInfo("index.py", date_time=(2026, 1, 1, 0, 0, 0))
    z.writestr(info, "def handler(event, context):\n    return {'ok': True}\n")
PY

# start_moto LOG [ENV_FILE]: a moto server on a port the OS picks, with the NAME=VALUE lines of
# ENV_FILE (if given) added to its environment; sets $endpoint and $moto_pid.
start_moto() {
  local log=$1 env_file=${2:-} port="" extra=()
  : >"$log"
  [ -n "$env_file" ] && mapfile -t extra < <(grep -v '^[[:space:]]*\(#\|$\)' "$env_file")
  env MOTO_EC2_LOAD_DEFAULT_AMIS=true "${extra[@]}" \
    "$venv/bin/python" "$here/moto_server.py" -H 127.0.0.1 -p 0 >"$log" 2>&1 &
  moto_pid=$!
  echo "$moto_pid" >>"$work/moto.pids"
  for _ in $(seq 150); do
    port=$(sed -n 's|.*Running on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$log" | head -n1 || true)
    [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/moto-api/" >/dev/null && break
    port=""
    sleep 0.2
  done
  [ -n "$port" ] || { cat "$log" >&2; echo "moto did not start" >&2; exit 1; }
  endpoint="http://127.0.0.1:$port"
}

# apply_base SRC DIR VARS: a fresh work dir for root module SRC, base.tf applied; its outputs
# are appended to VARS (as tfvars) and merged into VARS.json (for setup.py).
apply_base() {
  local src=$1 dir=$2 vars=$3
  mkdir -p "$dir"
  sed "s|@ENDPOINT@|$endpoint|" "$here/provider.tf.in" >"$dir/provider.tf"
  cp "$work/lambda.zip" "$dir/lambda.zip"
  if [ -d "$src/modules" ]; then cp -r "$src/modules" "$dir/modules"; fi
  cp "$src/base.tf" "$dir/main.tf"
  cp "$vars" "$dir/terraform.tfvars"
  (cd "$dir" && terraform init -no-color >"$dir/init.log" &&
    terraform apply -no-color -auto-approve -parallelism=10 >"$dir/apply.log") ||
    { cat "$dir/init.log" "$dir/apply.log" >&2; exit 1; }
  (cd "$dir" && terraform output -json | python3 -c '
import json, sys
for k, v in sorted(json.load(sys.stdin).items()):
    print(k, "=", json.dumps(v["value"]))' >>"$vars")
  (cd "$dir" && terraform output -json | python3 -c '
import json, os, sys
path = sys.argv[1]
merged = json.load(open(path)) if os.path.exists(path) else {}
merged.update({k: v["value"] for k, v in json.load(sys.stdin).items()})
json.dump(merged, open(path, "w"), indent=2, sort_keys=True)' "$vars.json")
}

# aws_env CMD...: CMD against the scenario's moto, with the dummy credentials the provider
# uses and no shared AWS config or instance metadata.
aws_env() {
  env -u AWS_PROFILE -u AWS_SESSION_TOKEN \
    AWS_ENDPOINT_URL="$endpoint" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
    AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
    AWS_CONFIG_FILE="$work/no-aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/no-aws-credentials" \
    "$@"
}

# live_setup SRC DIR VARS OUT: setup.py, then discovery, if the scenario asks for them.
live_setup() {
  local src=$1 dir=$2 vars=$3 out=$4 regions=()
  if [ -f "$src/setup.py" ]; then
    [ -f "$vars.json" ] || echo '{}' >"$vars.json"
    aws_env "$venv/bin/python" "$src/setup.py" "$vars.json" >"$dir/setup.log" 2>&1 ||
      { cat "$dir/setup.log" >&2; exit 1; }
  fi
  if [ -f "$src/discover" ]; then
    mapfile -t regions < <(grep -v '^[[:space:]]*$' "$src/discover" || true)
    [ ${#regions[@]} -gt 0 ] || regions=(us-east-1)
    local args=() r
    for r in "${regions[@]}"; do args+=(--region "$r"); done
    mkdir -p "$(dirname "$out")"
    aws_env "$keyblast" discover --quiet --endpoint-url "$endpoint" "${args[@]}" --output "$out.tmp" \
      >"$dir/discover.log" 2>&1 || { cat "$dir/discover.log" >&2; rm -f "$out.tmp"; exit 1; }
    mv "$out.tmp" "$out"
  fi
}

# plan_change SRC DIR VARS OUT: switch to change.tf, plan with plan.args, save the JSON plan.
plan_change() {
  local src=$1 dir=$2 vars=$3 out=$4 args=()
  [ -f "$src/change.tf" ] && cp "$src/change.tf" "$dir/main.tf"
  [ -f "$src/plan.args" ] && read -r -a args <"$src/plan.args"
  [ -f "$src/vars-from-outputs" ] && cp "$vars" "$dir/terraform.tfvars"
  (cd "$dir" && terraform plan -no-color -refresh=true -parallelism=10 -out=tfplan "${args[@]}" >"$dir/plan.log") ||
    { cat "$dir/plan.log" >&2; exit 1; }
  mkdir -p "$(dirname "$out")"
  (cd "$dir" && terraform show -json tfplan) >"$out.tmp" || { rm -f "$out.tmp"; exit 1; }
  mv "$out.tmp" "$out"
}

# run_scenario NAME: one scenario with its own moto; marks success with $work/NAME.ok.
run_scenario() {
  local s=$1 src="$here/$1" dir="$work/$1" vars="$work/$1/vars.tfvars"
  mkdir -p "$dir"
  : >"$vars"
  if [ -f "$src/moto.env" ]; then start_moto "$dir/moto.log" "$src/moto.env"; else start_moto "$dir/moto.log"; fi
  if [ -f "$src/base.tf" ]; then
    apply_base "$src" "$dir/root" "$vars"
    live_setup "$src" "$dir" "$vars" "$samples/$s/inventory.json"
    plan_change "$src" "$dir/root" "$vars" "$samples/$s/plan.json"
  else
    local parts p
    mapfile -t parts < <(find "$src" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
    for p in "${parts[@]}"; do apply_base "$src/$p" "$dir/$p" "$vars"; done
    live_setup "$src" "$dir" "$vars" "$samples/$s/inventory.json"
    for p in "${parts[@]}"; do plan_change "$src/$p" "$dir/$p" "$vars" "$samples/$s/${p#*-}.json"; done
  fi
  kill "$moto_pid" 2>/dev/null || true
  echo "$SECONDS" >"$work/$s.ok"
}

scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  mapfile -t scenarios < <(find "$here" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
fi
for s in "${scenarios[@]}"; do
  [ -f "$here/$s/base.tf" ] || [ -n "$(find "$here/$s" -mindepth 2 -maxdepth 2 -name base.tf 2>/dev/null)" ] ||
    { echo "no scenario $s under $here" >&2; exit 2; }
done

keyblast=${KEYBLAST_BIN:-}
for s in "${scenarios[@]}"; do
  if [ -z "$keyblast" ] && [ -f "$here/$s/discover" ]; then
    (cd "$repo" && cargo build --locked --quiet --bin keyblast)
    keyblast=${CARGO_TARGET_DIR:-$repo/target}/debug/keyblast
  fi
done

set -m
for s in "${scenarios[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$max_jobs" ]; do wait -n || true; done
  echo "== $s" >&2
  (SECONDS=0; run_scenario "$s") >"$work/$s.out" 2>&1 &
  job_pids+=("$!")
done
wait || true
job_pids=()

failed=()
for s in "${scenarios[@]}"; do
  if [ -f "$work/$s.ok" ]; then
    echo "ok   $s ($(cat "$work/$s.ok") s)" >&2
  else
    failed+=("$s")
    echo "FAIL $s:" >&2
    sed 's/^/    /' "$work/$s.out" >&2
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "failed: ${failed[*]}" >&2; exit 1; }

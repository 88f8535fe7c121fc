#!/usr/bin/env bash
# The discovery benchmark (bench/discovery/README.md): builds keyblast in release mode, then
# compares `keyblast discover` with a sequential boto3 walk against moto on loopback, plain and
# with 20 ms per request. Arguments go to bench.py (--reps N, --variant stock|aws|both,
# --latency MS, --write: put the table into bench/discovery/README.md).
# KEYBLAST=path skips the build and benchmarks that binary.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=${KEYBLAST_MOTO_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/keyblast/moto-venv}
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import moto, boto3' 2>/dev/null; then
  echo "bench/discovery: no moto in $venv: run scripts/test once (it installs moto[server]==5.2.5)" >&2
  exit 2
fi

if [ -z "${KEYBLAST:-}" ]; then
  cargo build --release --locked --quiet
  KEYBLAST=target/release/keyblast
fi

args=()
for a in "$@"; do
  if [ "$a" = --write ]; then args+=(--write bench/discovery/README.md); else args+=("$a"); fi
done
exec "$venv/bin/python" bench/discovery/bench.py "$KEYBLAST" "${args[@]+"${args[@]}"}"

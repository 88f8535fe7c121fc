#!/usr/bin/env bash
# The keyblast GitHub Action's first step: where the binary comes from, and the cache key.
#
# Environment:
#   GITHUB_ACTION_PATH   the action's own checkout (set by the runner)
#   KEYBLAST_ACTION_REF  the action's ref (github.action_ref; empty for a local `uses: ./`)
#   KEYBLAST_PREBUILT    a prebuilt keyblast binary (the keyblast-path input): nothing is built
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_OUTPUT (set by the runner)
#
# Outputs: build (true|false), keyblast (the binary's path once built or restored), bin-dir
# (the cached directory) and cache-key.
#
# The key is computed here because hashFiles() only reads files inside the workspace, and the
# action's checkout is outside it. It names the runner's OS and architecture, the action's
# ref, the Cargo.lock hash and a hash of every source file, so a moving ref (a branch) never
# restores a stale binary.
set -euo pipefail

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  else
    printf '%s=%s\n' "$1" "$2"
  fi
}
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi
}

if [ -n "${KEYBLAST_PREBUILT:-}" ]; then
  if [ ! -x "$KEYBLAST_PREBUILT" ]; then
    printf '::error title=keyblast::keyblast-path is not an executable file: %s\n' "$KEYBLAST_PREBUILT"
    exit 2
  fi
  output build false
  output keyblast "$(cd "$(dirname "$KEYBLAST_PREBUILT")" && pwd -P)/$(basename "$KEYBLAST_PREBUILT")"
  exit 0
fi

src=$(cd "${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}" && pwd -P)
exe=keyblast
if [ "${RUNNER_OS:-}" = Windows ]; then exe=keyblast.exe; fi

lock=$(sha256 <"$src/Cargo.lock" | cut -c1-16)
tree=$(
  cd "$src"
  find Cargo.toml Cargo.lock src templates -type f | LC_ALL=C sort | while IFS= read -r f; do
    printf '%s ' "$f"
    sha256 <"$f"
  done | sha256 | cut -c1-16
)
# Cache keys may not contain commas; keep them to one safe alphabet.
ref=$(printf '%s' "${KEYBLAST_ACTION_REF:-local}" | tr -c 'A-Za-z0-9._-' '_' | cut -c1-100)
os=$(printf '%s-%s' "${RUNNER_OS:-unknown}" "${RUNNER_ARCH:-unknown}" | tr -c 'A-Za-z0-9._-' '_')
key="keyblast-bin-1-$os-$ref-$lock-$tree"
bin_dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/keyblast-bin-$tree"

output build true
output cache-key "$key"
output bin-dir "$bin_dir"
output keyblast "$bin_dir/$exe"

#!/usr/bin/env bash
# The keyblast GitHub Action's build step: `cargo build --release` of the action's own
# checkout into KEYBLAST_BIN_DIR (skipped when the cache already restored the binary there).
# Installs a minimal stable Rust toolchain with rustup when cargo is missing.
#
# Environment: GITHUB_ACTION_PATH, KEYBLAST_BIN_DIR and KEYBLAST_BIN (from prepare.sh),
# RUNNER_TEMP, GITHUB_PATH (set by the runner).
set -euo pipefail

if [ -x "${KEYBLAST_BIN:?}" ] && "$KEYBLAST_BIN" --version >/dev/null 2>&1; then
  echo "keyblast: using the cached $("$KEYBLAST_BIN" --version)"
  exit 0
fi

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "keyblast: cargo not found; installing a minimal stable Rust toolchain with rustup"
    curl --proto '=https' --tlsv1.2 --retry 3 -sSf https://sh.rustup.rs |
      sh -s -- -y --profile minimal --default-toolchain stable --no-modify-path
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$HOME/.cargo/bin" >>"$GITHUB_PATH"
  fi
fi
cargo --version

src=$(cd "${GITHUB_ACTION_PATH:?}" && pwd -P)
target="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/keyblast-target"
cargo build --release --locked --manifest-path "$src/Cargo.toml" --target-dir "$target" --bin keyblast
mkdir -p "${KEYBLAST_BIN_DIR:?}"
cp "$target/release/$(basename "$KEYBLAST_BIN")" "$KEYBLAST_BIN"
"$KEYBLAST_BIN" --version

#!/usr/bin/env bash
# Fuzzes keyblast for a bounded time: every target (or the ones named) for SECONDS each.
#   fuzz/run.sh SECONDS [TARGET...]      e.g. fuzz/run.sh 300, fuzz/run.sh 60 plan_reader
# Needs a nightly toolchain (libFuzzer's instrumentation); installs cargo-fuzz from crates.io
# if missing. Not run by CI: CI replays the checked-in corpus and every regression on stable
# (tests/fuzz_replay.rs). A crash is saved under fuzz/artifacts/TARGET/; keep it as a
# regression case in fuzz/regressions/TARGET/ with its fix (see fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(plan_reader policy_parser markdown_escaper html_escaper)
fi
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz/run.sh: needs a nightly toolchain: rustup toolchain install nightly" >&2
  exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz/run.sh: installing cargo-fuzz from crates.io" >&2
  cargo install cargo-fuzz --locked
fi
cargo +nightly fuzz build
status=0
for t in "${targets[@]}"; do
  # new inputs go to a work corpus under target/; the checked-in seeds stay as they are
  work="fuzz/target/corpus/$t"
  mkdir -p "$work"
  echo "fuzz/run.sh: $t for ${secs}s" >&2
  if ! cargo +nightly fuzz run "$t" "$work" "fuzz/corpus/$t" -- \
      -max_total_time="$secs" -max_len=32768 -timeout=20 -rss_limit_mb=4096 \
      -print_final_stats=1; then
    echo "fuzz/run.sh: $t found a crash: see fuzz/artifacts/$t/" >&2
    status=1
  fi
done
exit $status

#!/usr/bin/env bash
# keyblast's benchmark: speed and memory of `keyblast analyze` against baselines, side by side.
#
# usage: bench/run.sh [--quick] [--sizes "12500 50000 100000"] [--runs N] [--update-readme]
#                     [--no-build] [--no-peers] [--no-discovery] [--fuzz SECONDS]
#
#   --quick          N = 12500 only, 3 runs (a fast check while iterating)
#   --sizes "A B"    plan sizes in resources (default: 12500 50000 100000)
#   --runs N         timed runs per command (default: 5; 3 above 50000 resources)
#   --update-readme  also rewrite README.md between <!-- bench:start --> and <!-- bench:end -->
#   --no-build       use target/release/keyblast as it is (default: cargo build --release)
#   --no-peers       skip readtheplan and blastcheck (otherwise pip-installed into a venv)
#   --no-discovery   skip bench/discovery/run.sh (run when present and executable)
#   --fuzz SECONDS   also fuzz every target for SECONDS each (fuzz/run.sh, nightly toolchain)
#
# For each size it generates a plan (bench/gen-plan.py, cached in bench/.data/), then measures
# in one run on this machine: `keyblast analyze --format json|text|markdown|html`, Python's
# `json.load` and `jq empty` of the same file, and the PyPI peers `readtheplan analyze` and
# `blastcheck --json` where they install. Wall time is hyperfine's median of --runs runs; peak
# RSS is `/usr/bin/time -v`'s "Maximum resident set size" of one more run, which also gives the
# output size. The table (absolute numbers, the issue's target ratios, machine info and load)
# goes to stdout and bench/RESULTS.md. Needs: cargo, python3, hyperfine, jq, /usr/bin/time
# (installed with apt-get when missing and apt is there).
#
# The discovery benchmark lives in bench/discovery/ (written separately): when
# bench/discovery/run.sh is executable it is run on the same binary (under --quick: one
# repetition, the AWS-paging variant only) and the markdown it prints is appended under
# "## Discovery". The HTML page of each size is loaded in headless Chromium --runs times to
# measure when it becomes interactive (the page's own mark). `--fuzz SECONDS` also runs every
# fuzz target that long (fuzz/run.sh; needs a nightly toolchain), reported at the end.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
DATA="$ROOT/bench/.data"
SIZES="12500 50000 100000"
RUNS=""
QUICK=0 UPDATE_README=0 BUILD=1 PEERS=1 DISCOVERY=1 FUZZ=""

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; SIZES="12500" ;;
    --sizes) SIZES="$2"; shift ;;
    --runs) RUNS="$2"; shift ;;
    --update-readme) UPDATE_README=1 ;;
    --no-build) BUILD=0 ;;
    --no-peers) PEERS=0 ;;
    --no-discovery) DISCOVERY=0 ;;
    --fuzz) FUZZ="$2"; shift ;;
    -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "bench: $*" >&2; }

# --- tools ---------------------------------------------------------------------------------
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v jq >/dev/null || need+=(jq)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    log "installing ${need[*]} with apt-get"
    $SUDO apt-get install -y -qq "${need[@]}" >&2 \
      || { $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq "${need[@]}" >&2; }
  else
    echo "bench/run.sh: missing ${need[*]} (install them: Debian/Ubuntu packages of the same names)" >&2
    exit 2
  fi
fi

# --- keyblast ------------------------------------------------------------------------------
if [ "$BUILD" -eq 1 ]; then
  log "building keyblast (release)"
  cargo build --release --locked --quiet >&2
fi
KEYBLAST="$ROOT/target/release/keyblast"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || log "no chromium: the HTML page's load time is not measured (apt-get install chromium)"
[ -x "$KEYBLAST" ] || { echo "bench/run.sh: $KEYBLAST not built (drop --no-build)" >&2; exit 2; }

# --- peers (throwaway venv; a peer that does not install is reported, not fatal) -----------
mkdir -p "$DATA"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$DATA/results/$STAMP"
mkdir -p "$OUT"
rm -f "$DATA"/results/*/out-*  # earlier runs' outputs (their sizes are in their RESULTS.md)
: > "$OUT/peers.txt"
if [ "$PEERS" -eq 1 ]; then
  VENV="$DATA/peers-venv"
  # a virtualenv works only where it was made (its scripts name its path): made again if moved
  if ! grep -qsF "$VENV/bin/python" "$VENV/bin/pip"; then
    rm -rf "$VENV"
    python3 -m venv "$VENV" >&2
  fi
  for peer in readtheplan blastcheck; do
    if [ -x "$VENV/bin/$peer" ] || "$VENV/bin/pip" install -q "$peer" >"$OUT/pip-$peer.log" 2>&1; then
      echo "$peer ok $("$VENV/bin/pip" show "$peer" 2>/dev/null | sed -n 's/^Version: //p')" >> "$OUT/peers.txt"
    else
      echo "$peer unavailable $(tail -1 "$OUT/pip-$peer.log" | tr -d '\n' | cut -c1-160)" >> "$OUT/peers.txt"
      log "$peer did not install (see $OUT/pip-$peer.log); continuing without it"
    fi
  done
else
  echo "readtheplan skipped --no-peers" >> "$OUT/peers.txt"
  echo "blastcheck skipped --no-peers" >> "$OUT/peers.txt"
fi

# --- machine -------------------------------------------------------------------------------
{
  echo "date $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc $(nproc)"
  echo "cpu $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo "memory $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo)"
  echo "kernel $(uname -sr)"
  echo "load_start $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "keyblast $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock || echo '+dirty') ($(git rev-parse --abbrev-ref HEAD); src/ last changed in $(git log -1 --format=%h -- src Cargo.toml Cargo.lock))"
  echo "rustc $(rustc --version | cut -d' ' -f2)"
  echo "python $(python3 --version | cut -d' ' -f2)"
  echo "jq $(jq --version)"
  echo "hyperfine $(hyperfine --version | cut -d' ' -f2)"
  echo "quick $QUICK"
} > "$OUT/machine.txt"

# --- measure -------------------------------------------------------------------------------
PY_LOAD='import json, sys; json.load(open(sys.argv[1], "rb"))'
for n in $SIZES; do
  plan="$DATA/plan-$n.json"
  if [ ! -s "$plan" ] || [ "$ROOT/bench/gen-plan.py" -nt "$plan" ]; then
    log "generating $plan"
    python3 "$ROOT/bench/gen-plan.py" "$n" "$plan.tmp" && mv "$plan.tmp" "$plan"
  fi
  cat "$plan" > /dev/null  # into the page cache: every command reads it warm
  runs=$RUNS
  [ -n "$runs" ] || { if [ "$QUICK" -eq 1 ]; then runs=3; elif [ "$n" -gt 50000 ]; then runs=3; else runs=5; fi; }

  # name|command (no shell: hyperfine -N; outputs of keyblast go to files, others to /dev/null)
  cmds=()
  for f in json text markdown html; do
    cmds+=("keyblast $f|$KEYBLAST analyze $plan --format $f --color never -o $OUT/out-$n.$f")
  done
  cmds+=("python json.load|python3 -c '$PY_LOAD' $plan")
  cmds+=("jq empty|jq empty $plan")
  while read -r peer status _; do
    [ "$status" = ok ] || continue
    case "$peer" in
      readtheplan) cmds+=("readtheplan analyze|$VENV/bin/readtheplan analyze $plan") ;;
      blastcheck) cmds+=("blastcheck --json|$VENV/bin/blastcheck --json $plan") ;;
    esac
  done < "$OUT/peers.txt"

  log "N=$n: $(du -h "$plan" | cut -f1) plan, ${#cmds[@]} commands x $runs runs (load $(cut -d' ' -f1 /proc/loadavg))"
  hf=(hyperfine -N --runs "$runs" --style basic --export-json "$OUT/hyperfine-$n.json")
  for c in "${cmds[@]}"; do hf+=(--command-name "${c%%|*}" "${c#*|}"); done
  "${hf[@]}" >&2

  # one more run each under /usr/bin/time -v: peak RSS and output size
  for c in "${cmds[@]}"; do
    name=${c%%|*} slug=$(echo "${c%%|*}" | tr -c 'a-z0-9\n' '-')
    case "$name" in
      keyblast*) sink=/dev/null ;;
      *) sink="$OUT/out-$n.$slug" ;;
    esac
    eval "set -- ${c#*|}"
    /usr/bin/time -v -o "$OUT/time-$n-$slug.txt" "$@" > "$sink"
    echo "$name" > "$OUT/name-$n-$slug.txt"
  done
  echo "$n $(stat -c %s "$plan")" >> "$OUT/plans.txt"

  # how fast the HTML page becomes interactive: headless Chromium loads it (the page records
  # `data-keyblast-ready-ms`, from navigation start to its script having wired everything)
  if [ -n "$CHROMIUM" ] && [ -s "$OUT/out-$n.html" ]; then
    for _ in $(seq "$runs"); do
      profile=$(mktemp -d)
      "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
          --disable-background-networking --disable-component-update --no-first-run \
          --user-data-dir="$profile" --dump-dom "file://$OUT/out-$n.html" 2>/dev/null \
        | grep -o 'data-keyblast-ready-ms="[0-9]*"' | head -1 | tr -dc '0-9' >> "$OUT/html-ready-$n.txt"
      echo >> "$OUT/html-ready-$n.txt"
      rm -rf "$profile"
    done
  fi
done
echo "load_end $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"

# --- report --------------------------------------------------------------------------------
python3 "$ROOT/bench/report.py" "$OUT" > "$OUT/RESULTS.md"
if [ "$DISCOVERY" -eq 1 ] && [ -x "$ROOT/bench/discovery/run.sh" ]; then
  log "running bench/discovery/run.sh"
  { echo; echo "## Discovery"; echo
    dargs=()
    [ "$QUICK" -eq 1 ] && dargs=(--reps 1 --variant aws)
    KEYBLAST="$KEYBLAST" "$ROOT/bench/discovery/run.sh" "${dargs[@]+"${dargs[@]}"}" \
      || echo "(bench/discovery/run.sh failed: exit $?)"
  } >> "$OUT/RESULTS.md"
elif [ "$DISCOVERY" -eq 1 ]; then
  printf '\n## Discovery\n\nNot measured: bench/discovery/run.sh is not there (yet).\n' >> "$OUT/RESULTS.md"
fi
if [ -n "$FUZZ" ]; then
  log "fuzzing every target for ${FUZZ}s (fuzz/run.sh)"
  if "$ROOT/fuzz/run.sh" "$FUZZ" >&2; then
    fuzz_result="no crash in ${FUZZ} s per target"
  else
    fuzz_result="fuzz/run.sh failed (a crash is saved under fuzz/artifacts/; keep it in fuzz/regressions/ with its fix)"
  fi
  printf '\n## Fuzzing\n\n%s (%s).\n' "$fuzz_result" "$(date -u '+%Y-%m-%d %H:%M UTC')" >> "$OUT/RESULTS.md"
fi
cp "$OUT/RESULTS.md" "$ROOT/bench/RESULTS.md"
cat "$OUT/RESULTS.md"
if [ "$UPDATE_README" -eq 1 ]; then
  python3 "$ROOT/bench/report.py" --readme "$OUT" "$ROOT/README.md"
  log "README.md Performance section updated"
fi
log "raw data in $OUT"

#!/usr/bin/env bash
# The keyblast GitHub Action's analysis step (action.yml runs it; tests/ci_files/scripts.rs runs it too).
#
# Everything comes in through the environment; nothing is expanded into this file by the
# runner, so an input can never become shell code:
#   KEYBLAST_BIN           the keyblast binary (required)
#   KEYBLAST_PLANS         plan JSON files, separated by spaces or newlines; globs expand (required)
#   KEYBLAST_INVENTORY     saved live inventories, separated by spaces or newlines; globs expand
#   KEYBLAST_DISCOVER      true: run `keyblast discover` first and join its inventory
#   KEYBLAST_REGIONS       regions to discover, separated by spaces, commas or newlines
#   KEYBLAST_AWS_PROFILE   named AWS profile for discovery
#   KEYBLAST_ENDPOINT_URL  custom AWS endpoint for discovery
#   KEYBLAST_MAX_DEPTH     --max-depth (empty: keyblast's default)
#   KEYBLAST_FAIL_ON       none|low|medium|high
#   KEYBLAST_COMMENT       true: post or update the pull-request comment (pull_request and
#                          pull_request_target events only; other events skip it with a notice)
#   KEYBLAST_BEHAVIOR      update|new|hide-and-new|delete-and-new
#   KEYBLAST_TAG           one comment per tag (a monorepo's plans)
#   KEYBLAST_ALLOW_COMMENT_FAILURE  true: a failed post warns instead of exiting 2
#   KEYBLAST_STEP_SUMMARY  false: do not append the report to the job summary
#   KEYBLAST_OUTPUT_DIR    where the reports go (default: $RUNNER_TEMP/keyblast[-TAG])
#   KEYBLAST_ARTIFACT_NAME artifact name (default: keyblast-report[-TAG])
#   GITHUB_TOKEN           the token for the comment (only read by keyblast)
#   GITHUB_EVENT_NAME      the event that triggered the workflow (the runner sets it)
#   GITHUB_OUTPUT          the step's output file
#
# Writes the step outputs risk, exit-code, report-json, report-html, report-markdown,
# inventory, output-dir and artifact-name. It exits 0 whenever it got as far as writing
# exit-code: the action's last step gates on exit-code, so that the artifacts are uploaded
# and the comment is posted before the job fails.
set -uo pipefail

log() { printf 'keyblast: %s\n' "$*" >&2; }
# A workflow-command annotation; % and newlines escaped as the runner expects.
annotate() {
  local level=$1 msg=$2
  msg=${msg//'%'/'%25'}
  msg=${msg//$'\r'/'%0D'}
  msg=${msg//$'\n'/'%0A'}
  printf '::%s title=keyblast::%s\n' "$level" "$msg"
}
output() {
  local name=$1 value=$2
  case $value in *$'\n'* | *$'\r'*)
    log "internal error: output $name contains a newline"
    exit 2
    ;;
  esac
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf '%s=%s\n' "$name" "$value" >>"$GITHUB_OUTPUT"
  else
    printf '%s=%s\n' "$name" "$value"
  fi
}
# Usage errors: exit-code 2 (the gate fails the job), nothing analysed.
usage_error() {
  annotate error "$1"
  output risk ""
  output exit-code 2
  exit 0
}
is_bool() { case $1 in true | false) return 0 ;; *) return 1 ;; esac; }

KEYBLAST_PLANS=${KEYBLAST_PLANS:-}
KEYBLAST_INVENTORY=${KEYBLAST_INVENTORY:-}
KEYBLAST_DISCOVER=${KEYBLAST_DISCOVER:-false}
KEYBLAST_REGIONS=${KEYBLAST_REGIONS:-}
KEYBLAST_AWS_PROFILE=${KEYBLAST_AWS_PROFILE:-}
KEYBLAST_ENDPOINT_URL=${KEYBLAST_ENDPOINT_URL:-}
KEYBLAST_MAX_DEPTH=${KEYBLAST_MAX_DEPTH:-}
KEYBLAST_FAIL_ON=${KEYBLAST_FAIL_ON:-high}
KEYBLAST_COMMENT=${KEYBLAST_COMMENT:-true}
KEYBLAST_BEHAVIOR=${KEYBLAST_BEHAVIOR:-update}
KEYBLAST_TAG=${KEYBLAST_TAG:-}
KEYBLAST_ALLOW_COMMENT_FAILURE=${KEYBLAST_ALLOW_COMMENT_FAILURE:-false}
KEYBLAST_STEP_SUMMARY=${KEYBLAST_STEP_SUMMARY:-true}
KEYBLAST_OUTPUT_DIR=${KEYBLAST_OUTPUT_DIR:-}
KEYBLAST_ARTIFACT_NAME=${KEYBLAST_ARTIFACT_NAME:-}

# --- inputs -------------------------------------------------------------------------------
if [ -z "${KEYBLAST_BIN:-}" ] || [ ! -x "$KEYBLAST_BIN" ]; then
  usage_error "KEYBLAST_BIN is not an executable keyblast binary: ${KEYBLAST_BIN:-(unset)}"
fi
# The values the CLI accepts (tests/ci_files/flags.rs checks these lists against `keyblast --help`).
case $KEYBLAST_FAIL_ON in none | low | medium | high) ;; *)
  usage_error "fail-on must be none, low, medium or high, not '$KEYBLAST_FAIL_ON'"
  ;;
esac
case $KEYBLAST_BEHAVIOR in update | new | hide-and-new | delete-and-new) ;; *)
  usage_error "behavior must be update, new, hide-and-new or delete-and-new, not '$KEYBLAST_BEHAVIOR'"
  ;;
esac
for b in KEYBLAST_DISCOVER KEYBLAST_COMMENT KEYBLAST_ALLOW_COMMENT_FAILURE KEYBLAST_STEP_SUMMARY; do
  is_bool "${!b}" || usage_error "$b must be true or false, not '${!b}'"
done
case $KEYBLAST_MAX_DEPTH in '' | [0-9] | [0-9][0-9] | 100) ;; *)
  usage_error "max-depth must be a number from 0 to 100, not '$KEYBLAST_MAX_DEPTH'"
  ;;
esac
case $KEYBLAST_TAG$KEYBLAST_OUTPUT_DIR$KEYBLAST_ARTIFACT_NAME in *$'\n'* | *$'\r'*)
  usage_error "tag, output-dir and artifact-name must be one line"
  ;;
esac

# Words separated by whitespace; each glob expands to its matches, or stays as written when
# nothing matches (keyblast then names the missing file).
# (Written for bash 3.2 too: no mapfile, empty arrays expanded with ${a[@]+"${a[@]}"}.)
split_paths() {
  local word match found IFS=$' \t\r\n'
  set -f
  set -- $1 # split on whitespace on purpose (globbing is off)
  set +f
  for word in "$@"; do
    found=false
    case $word in *[*?[]*)
      while IFS= read -r match; do
        [ -n "$match" ] || continue
        printf '%s\n' "$match"
        found=true
      done < <(compgen -G "$word" | LC_ALL=C sort)
      ;;
    esac
    if [ "$found" = false ]; then
      printf '%s\n' "$word"
    fi
  done
}

plans=()
while IFS= read -r p; do plans+=("$p"); done < <(split_paths "$KEYBLAST_PLANS")
inventories=()
while IFS= read -r p; do inventories+=("$p"); done < <(split_paths "$KEYBLAST_INVENTORY")
if [ ${#plans[@]} -eq 0 ]; then
  usage_error "plan-path is empty: give one or more plan JSON files (terraform show -json tfplan > plan.json)"
fi

# Output names: one set per tag, so that several uses in one job do not collide.
suffix=""
if [ -n "$KEYBLAST_TAG" ]; then
  suffix="-${KEYBLAST_TAG//[^A-Za-z0-9._=+@-]/-}"
fi
out=${KEYBLAST_OUTPUT_DIR:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/keyblast$suffix}
artifact=${KEYBLAST_ARTIFACT_NAME:-keyblast-report$suffix}
if ! mkdir -p "$out"; then
  usage_error "cannot create the output directory $out"
fi
out=$(cd "$out" && pwd -P)
json=$out/keyblast.json
html=$out/keyblast.html
md=$out/keyblast.md
inventory=""
output output-dir "$out"
output artifact-name "$artifact"

# --- live discovery (optional) ------------------------------------------------------------
if [ "$KEYBLAST_DISCOVER" = true ]; then
  inventory=$out/inventory.json
  discover_args=(--output "$inventory" --quiet)
  for region in ${KEYBLAST_REGIONS//,/ }; do
    discover_args+=(--region "$region")
  done
  if [ -n "$KEYBLAST_AWS_PROFILE" ]; then
    discover_args+=(--profile "$KEYBLAST_AWS_PROFILE")
  fi
  if [ -n "$KEYBLAST_ENDPOINT_URL" ]; then
    discover_args+=(--endpoint-url "$KEYBLAST_ENDPOINT_URL")
  fi
  log "discovering the live account"
  rc=0
  "$KEYBLAST_BIN" discover "${discover_args[@]}" || rc=$?
  if [ "$rc" -ne 0 ]; then
    # Analysing without the live account would understate the blast radius: stop here.
    annotate error "live discovery failed (exit $rc); nothing analysed"
    output risk ""
    output exit-code 2
    exit 0
  fi
  inventories+=("$inventory")
fi
output inventory "$inventory"

# --- the reports --------------------------------------------------------------------------
analyze_args=()
for f in ${inventories[@]+"${inventories[@]}"}; do
  analyze_args+=(--inventory "$f")
done
if [ -n "$KEYBLAST_MAX_DEPTH" ]; then
  analyze_args+=(--max-depth "$KEYBLAST_MAX_DEPTH")
fi

# JSON first: it is the contract the risk output is read from. Nothing goes to the job
# summary from these two runs; the markdown run below appends it once.
rc=0
"$KEYBLAST_BIN" analyze "${plans[@]}" ${analyze_args[@]+"${analyze_args[@]}"} --format json --output "$json" --no-step-summary || rc=$?
if [ "$rc" -ne 0 ]; then
  # Unusable input (keyblast named the file on stderr): the other formats would fail alike.
  annotate error "keyblast could not analyse the plans (exit $rc): see the log above"
  output risk ""
  output report-json ""
  output report-html ""
  output report-markdown ""
  output exit-code "$rc"
  exit 0
fi
output report-json "$json"

# summary.overall of the JSON report (docs/json-schema.md): compact JSON whose "summary"
# object starts with "overall", within the first bytes (after schema_version, tool and
# generated_at), so a huge report is never read whole.
risk=$(head -c 65536 "$json" | grep -o '"summary":{"overall":"[a-z]*"' | head -n 1 | sed 's/.*:"\([a-z]*\)"$/\1/')
case $risk in high | medium | low | none) ;; *)
  log "warning: could not read summary.overall from $json"
  risk=""
  ;;
esac
output risk "$risk"

html_rc=0
"$KEYBLAST_BIN" analyze "${plans[@]}" ${analyze_args[@]+"${analyze_args[@]}"} --format html --output "$html" --no-step-summary || html_rc=$?
if [ "$html_rc" -eq 0 ]; then
  output report-html "$html"
else
  annotate error "the HTML report failed (exit $html_rc)"
  output report-html ""
fi

# The markdown report, the job summary and the comment in one run; --fail-on decides its exit
# status after the comment is posted (0, 1 at or above fail-on, 2 failed post).
analyze_final_args=(--format markdown --output "$md" --fail-on "$KEYBLAST_FAIL_ON")
if [ "$KEYBLAST_STEP_SUMMARY" = false ]; then
  analyze_final_args+=(--no-step-summary)
fi
# A comment needs a pull request: on any other event (a push to main, a schedule) keyblast
# would fail to find one and exit 2, failing the job whatever fail-on says. Skip it, saying so.
comment=$KEYBLAST_COMMENT
if [ "$comment" = true ]; then
  case ${GITHUB_EVENT_NAME:-} in
    pull_request | pull_request_target) ;;
    *)
      annotate notice "no pull-request comment: the ${GITHUB_EVENT_NAME:-unknown} event is not about a pull request (comments are posted on pull_request and pull_request_target)"
      comment=false
      ;;
  esac
fi
if [ "$comment" = true ]; then
  analyze_final_args+=(--comment github --behavior "$KEYBLAST_BEHAVIOR")
  if [ -n "$KEYBLAST_TAG" ]; then
    analyze_final_args+=(--tag "$KEYBLAST_TAG")
  fi
  if [ "$KEYBLAST_ALLOW_COMMENT_FAILURE" = true ]; then
    analyze_final_args+=(--allow-failure)
  fi
fi
rc=0
"$KEYBLAST_BIN" analyze "${plans[@]}" ${analyze_args[@]+"${analyze_args[@]}"} "${analyze_final_args[@]}" || rc=$?
if [ -s "$md" ]; then
  output report-markdown "$md"
else
  output report-markdown ""
fi
if [ "$html_rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
  rc=2
fi
output exit-code "$rc"
case $rc in
  0) log "overall risk ${risk:-unknown}, below fail-on $KEYBLAST_FAIL_ON" ;;
  1) log "overall risk $risk, at or above fail-on $KEYBLAST_FAIL_ON: the job will fail" ;;
  *) log "keyblast exited $rc (unusable input, or the comment was not posted): the job will fail" ;;
esac
exit 0

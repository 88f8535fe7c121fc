#!/usr/bin/env bash
# The keyblast GitHub Action's last step: fails the job per fail-on, after the reports were
# uploaded and the comment posted. KEYBLAST_EXIT_CODE is the analysis step's exit-code output
# (0 below fail-on, 1 at or above it, 2 unusable input or a failed post); empty when that step
# never finished.
set -uo pipefail

code=${KEYBLAST_EXIT_CODE:-}
risk=${KEYBLAST_RISK:-unknown}
fail_on=${KEYBLAST_FAIL_ON:-high}
case $code in
  0)
    echo "keyblast: overall risk ${risk:-unknown}, below fail-on $fail_on"
    exit 0
    ;;
  1)
    echo "::error title=keyblast::overall risk $risk is at or above fail-on $fail_on"
    exit 1
    ;;
  '')
    echo "::error title=keyblast::keyblast did not finish: see the earlier steps"
    exit 2
    ;;
  *)
    echo "::error title=keyblast::keyblast exited $code: unusable input, or the comment was not posted (see the analysis step)"
    exit 2
    ;;
esac

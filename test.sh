#!/usr/bin/env bash
# Runs every ActorTrain test. Installs and builds whatever is missing first (see scripts/setup.sh).
# Ends with one line: "tests: N passed, M failed[, K skipped]", summed from dotnet test's own summaries.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$ROOT/scripts/setup.sh" || exit 1
set +e
LOG="$ROOT/.test.log"
dotnet test "$ROOT/ActorTrain.sln" -c "$CONFIGURATION" --no-build -nologo "$@" 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$LOG" | awk -F'[:,]' '
  { for (i = 1; i <= NF; i++) { g=$i; gsub(/ /,"",g);
      if (g ~ /-?Failed$/ || g == "Failed") f += $(i+1); else if (g == "Passed") p += $(i+1); else if (g == "Skipped") s += $(i+1) } }
  END { print p+0, f+0, s+0 }')
if (( rc != 0 && failed == 0 )); then failed=1; echo "dotnet test exited $rc without a failing test count; see $LOG" >&2; fi
line="tests: $passed passed, $failed failed"
(( skipped > 0 )) && line+=", $skipped skipped"
echo "$line"
exit $rc

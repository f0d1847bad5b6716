#!/usr/bin/env bash
# Run every test project against a local PostgreSQL and headless Chromium.
# Usage: bash scripts/test.sh [extra dotnet test args, e.g. --filter Category=Unit]
# The last line printed is always "N passed, N failed[, N skipped]" (totals over all TRX files).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"

source scripts/lib/postgres.sh
sellerdesk_ensure_postgres
# Tests create and drop their own sellerdesk_test_* databases with this login (it has CREATEDB).
export SELLERDESK_TEST_CONNECTION="${SELLERDESK_TEST_CONNECTION:-$ConnectionStrings__SellerDesk}"

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here).
if [ ! -x /usr/bin/chromium ]; then
  _sd_log "Installing Chromium for the browser tests (first run only)..."
  sellerdesk_apt_install chromium
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
results="$root/TestResults"
rm -rf "$results"

rc=0
dotnet test SellerDesk.sln -c Release --logger "trx;LogFilePrefix=r" --results-directory "$results" "$@" || rc=$?

# Sum the <Counters .../> element of every TRX file. Results with outcome "Error" count as
# failures. Skipped: the VSTest TRX logger writes notExecuted="0" even for skipped xunit tests,
# so take total - executed when that is larger.
read -r total passed failed skipped < <(
  find "$results" -name '*.trx' -print0 2>/dev/null | xargs -0 -r grep -ho '<Counters [^>]*>' |
    awk '
      function attr(name) {   # value of name="N" on this line, 0 when absent
        return match($0, " " name "=\"[0-9]+\"") ? substr($0, RSTART + length(name) + 3, RLENGTH - length(name) - 4) + 0 : 0
      }
      {
        t += attr("total"); p += attr("passed"); f += attr("failed") + attr("error")
        n = attr("total") - attr("executed"); s += (n > attr("notExecuted") ? n : attr("notExecuted"))
      }
      END { print t + 0, p + 0, f + 0, s + 0 }'
)

if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with code $rc (build error, crashed test host or no TRX written)." >&2
fi
if [ "$total" -eq 0 ]; then
  echo "No tests ran." >&2
  rc=1
fi
[ "$failed" -gt 0 ] && rc=1

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
exit "$rc"

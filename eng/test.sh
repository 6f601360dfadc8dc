#!/usr/bin/env bash
# The test command (README "Test"): installs what the tests need, then builds and runs every test.
#  - Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser),
#  - Azurite from package-lock.json,
#  - NuGet packages (restored by dotnet test),
#  - and it checks that a Functions host is there for the end-to-end tests (it cannot be installed from a registry).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x "${ALERTS_CHROMIUM:-/usr/bin/chromium}" ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
npm ci --no-audit --no-fund
# The end-to-end tests run the published app under a real Azure Functions host: ALERTS_FUNCTIONS_HOST (a run script
# taking APP_DIR PORT, or "func"), else Core Tools' func on PATH, else the shared host build beside the repository.
shared_host="$(cd .. && pwd)/shared/functions-host/run"
if [ -n "${ALERTS_FUNCTIONS_HOST:-}" ]; then
  echo "End-to-end tests: Functions host from ALERTS_FUNCTIONS_HOST ($ALERTS_FUNCTIONS_HOST)"
elif command -v func >/dev/null 2>&1; then
  echo "End-to-end tests: Azure Functions Core Tools (func start)"
elif [ -f "$shared_host" ]; then
  echo "End-to-end tests: Functions host at $shared_host"
else
  echo "error: no Azure Functions host for the end-to-end tests. Install Azure Functions Core Tools (func on PATH)," >&2
  echo "       or set ALERTS_FUNCTIONS_HOST to a host's run script (usage: run APP_DIR PORT), such as ../shared/functions-host/run." >&2
  exit 1
fi
dotnet test Alerts.sln -c Release "$@"

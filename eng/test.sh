#!/usr/bin/env bash
# The test command (README "Test"): installs what the tests need, then builds and runs every test.
#  - Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser),
#  - Azurite from package-lock.json,
#  - NuGet packages (restored by dotnet test).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x "${ALERTS_CHROMIUM:-/usr/bin/chromium}" ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
npm ci --no-audit --no-fund
dotnet test Alerts.sln -c Release "$@"

#!/usr/bin/env bash
# The pipeline at scale: for each size, generate a feed set (Program.cs), run 'alerts run --once' over it from an empty
# store, open the store again with nothing to do, and backtest a draft list over the store through 'alerts serve'.
# Prints wall time, CPU, peak RSS, articles per second, store size, reopen time and backtest time per size.
#   eng/scale/run.sh WORKDIR [SIZES...]        (default sizes: 10000 100000 1000000)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:?usage: run.sh WORKDIR [SIZES...]}"; shift
sizes=("${@:-10000 100000 1000000}"); [ $# -eq 0 ] && sizes=(10000 100000 1000000)
mkdir -p "$work"
dotnet publish "$repo/src/Alerts.Cli" -c Release -o "$work/cli" >/dev/null
dotnet build "$repo/eng/scale" -c Release >/dev/null
alerts="$work/cli/alerts"
printf '%-9s %8s %8s %8s %10s %9s %8s %9s %9s %10s\n' articles wall_s cpu_s rss_mb per_s ms_each store_mb reopen_s reopen_mb backtest_s
for n in "${sizes[@]}"; do
  feeds="$work/feeds-$n"; store="$work/store-$n"; rm -rf "$store" "$work/outbox-$n"
  [ -f "$feeds/feeds.opml" ] || dotnet run -c Release --no-build --project "$repo/eng/scale" -- "$feeds" "$n" >/dev/null
  /usr/bin/time -f '%e %U %S %M' -o "$work/time-$n" "$alerts" run --once --feeds "$feeds/feeds.opml" --store "$store" --outbox "$work/outbox-$n" > "$work/run-$n.txt" 2>&1
  read -r wall user sys rss < "$work/time-$n"
  # Feeds fetched early in a long run are due again (15 minutes): one run polls them (all not modified), then the
  # timed one opens the store with nothing to do.
  "$alerts" run --once --store "$store" --outbox "$work/outbox-$n" > "$work/settle-$n.txt" 2>&1
  /usr/bin/time -f '%e %M' -o "$work/reopen-$n" "$alerts" run --once --store "$store" --outbox "$work/outbox-$n" > /dev/null 2>&1
  read -r reopen reopen_rss < "$work/reopen-$n"
  # A backtest of the default list with its thresholds raised, over the last 7 days of the store.
  port=$((20000 + RANDOM % 20000))
  "$alerts" serve --store "$store" --port "$port" --key scale --outbox "$work/outbox-$n" > "$work/serve-$n.txt" 2>&1 &
  serve=$!
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/api/health" && break; sleep 0.2; done
  draft=$(sed 's/thresholds: watch 2, warning 4, critical 12/thresholds: watch 12, warning 30, critical 60/' "$repo/src/Alerts.Core/Scoring/Defaults/escalation.keywords" | python3 -c 'import json,sys; print(json.dumps({"document": sys.stdin.read(), "days": 7}))')
  backtest=$(curl -s -o "$work/backtest-$n.json" -w '%{time_total}' -X POST -H 'x-functions-key: scale' -H 'content-type: application/json' --data "$draft" "http://127.0.0.1:$port/api/admin/keyword-lists/escalation/test")
  kill "$serve"; wait "$serve" 2>/dev/null || true
  python3 -c "import json,sys; r=json.load(open('$work/backtest-$n.json')); print('   backtest:', r.get('articles'), 'articles,', r.get('note'))" >&2 || true
  awk -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" -v sz="$(du -sm "$store" | cut -f1)" -v ro="$reopen" -v rm="$reopen_rss" -v bt="$backtest" \
    'BEGIN { printf "%-9d %8.1f %8.1f %8.0f %10.0f %9.2f %8d %9.2f %9.0f %10.2f\n", n, w, u+s, m/1024, n/w, 1000*w/n, sz, ro, rm/1024, bt }'
done

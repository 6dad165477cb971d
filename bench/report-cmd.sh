#!/bin/sh
# report-cmd.sh: `docket report` (HTML and Markdown) of the store with N
# decisions (default 1M) that supervise.sh makes (bench/out/sup-N.db, made
# here when missing), against `docket stats --format json` on the same
# store, best of 3 each. A report is stats plus the batches, policies, one
# walk of the period's log, the exports and reveals and the chain check:
# the ratio says what the rest costs. (That store's hashes are placeholders,
# so the report's chain check stops at its first entry; the cost of a full
# verification of 1M entries is the verify section's figure. Each report
# appends one audit entry to the store.)
#
# Usage: DOCKET=build/docket bench/report-cmd.sh [N]   (or REPORT_BENCH_N=N)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${DOCKET:=$here/../build/docket}"
n=${1:-${REPORT_BENCH_N:-1000000}}
store="$here/out/sup-$n.db"
if [ ! -f "$store" ]; then
	SUP_STATS_ONLY=1 DOCKET=$DOCKET "$here/supervise.sh" "$n" >/dev/null
fi
# best CMD: bench_best; rss CMD: bench_rss (lib.sh)
cat "$store" >/dev/null # warm the page cache for both sides

base=$(bench_best "$DOCKET" stats "$store" --model credit --format json)
html=$(bench_best "$DOCKET" report "$store" --model credit --out "$here/out/report.html")
md=$(bench_best "$DOCKET" report "$store" --model credit --format md --out "$here/out/report.md")
k=$(bench_k "$n")
printf 'report: HTML report over %s decisions: %.0f ms; Markdown %.0f ms; stats --format json %.0f ms; ratios %s and %s\n' \
	"$k" "$html" "$md" "$base" "$(bench_ratio "$html" "$base")" "$(bench_ratio "$md" "$base")"
bench_fig report "report --format html, $k decisions" "$(printf %.0f "$html")" ms \
	"stats --format json" "$(printf %.0f "$base")" "$(bench_ratio "$html" "$base")" \
	"$(bench_rss "$DOCKET" report "$store" --model credit --out "$here/out/report.html")" \
	"best of 3; target: a few seconds; chain check stops early on this store"
bench_fig report "report --format md, $k decisions" "$(printf %.0f "$md")" ms \
	"stats --format json" "$(printf %.0f "$base")" "$(bench_ratio "$md" "$base")" \
	"$(bench_rss "$DOCKET" report "$store" --model credit --format md --out "$here/out/report.md")" \
	"best of 3"

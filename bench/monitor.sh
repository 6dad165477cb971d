#!/bin/sh
# monitor.sh: the monitoring figures of issue 14 on a generated store of N
# cases (default 10M; `make bench` runs 1M, BENCH_FULL=1 the default): one
# model, ten batches, 30% routed and reviewed, a 5% audit sample of the rest
# reviewed, the last batches' Income shifted. Against a sqlite3 group-by over
# the same column as the baseline:
#  - docket drift, first run (computes and keeps every batch's bins) and
#    again (reads the kept bins: target well under a second);
#  - docket stats --by Home --positive good, first run (counts every
#    batch by Home and keeps the counts: fair_counts.c) and again (reads
#    them), and plain docket stats (error_all);
#  - the supervisor's Drift and Fairness views (bench/monitorview.c), key
#    to frame: both read what is kept (target < 100 ms).
# Usage: DOCKET=build/docket bench/monitor.sh [N]    (or MONITOR_ROWS=N)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${DOCKET:=$here/../build/docket}"
view=${MONITORVIEW:-}
[ -n "$view" ] || view=$(bench_tool monitorview) || exit 1
n=${1:-${MONITOR_ROWS:-10000000}}
out=$here/out
mkdir -p "$out"
s=$out/monitor-$n.db

# The store: make-store.sh's cases, cut into ten batches, the routed ones
# reviewed, an audit sample of the others reviewed (policy version 2 with
# audit_rate 0.05; the draw here is a hash of the id, as docket's is), the
# last three batches' Income shifted up. Made once, then reused.
have=$(sqlite3 -batch -noheader "$s" "SELECT count(*) FROM batches" 2>/dev/null || echo 0)
if [ "$have" != 10 ]; then
	t0=$(bench_now)
	DOCKET=$DOCKET "$here/make-store.sh" "$s" "$n"
	sqlite3 -batch "$s" >/dev/null <<SQL
PRAGMA journal_mode=DELETE;
PRAGMA synchronous=OFF;
PRAGMA cache_size=-262144;
BEGIN;
INSERT INTO batches(id, model_id, model_version, source_file, source_sha256,
                    format, rows, routed, imported_by, imported_at)
  WITH RECURSIVE b(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM b WHERE i < 10)
  SELECT i, 1, 'v1', 'bench.csv', lower(hex(randomblob(32))), 'csv', 0, 0, 'bench',
         1700000000000 + i FROM b;
UPDATE cases SET batch_id = 1 + (id * 10 - 1) / $n,
  context = CASE WHEN (id * 10 - 1) / $n >= 7
    THEN json_set(context, '\$.Income', (id % 300) + 120) ELSE context END;
UPDATE batches SET rows = (SELECT count(*) FROM cases WHERE batch_id = batches.id);
INSERT INTO policies(model_id, version, policy, set_by, set_at) VALUES
  (1, 1, '{"threshold":0.8,"audit_rate":0}', 'bench', 1700000000000),
  (1, 2, '{"threshold":0.8,"audit_rate":0.05}', 'bench', 1700000000001);
UPDATE models SET policy_version = 2;
UPDATE cases SET policy_version = 2,
  route_reason = CASE WHEN state = 'auto' AND (id * 2654435761) % 1000 < 50
    THEN 'audit sample' ELSE route_reason END;
UPDATE cases SET state = 'done', final_label = CASE WHEN id % 7 = 0
    THEN (CASE prediction WHEN 'good' THEN 'bad' ELSE 'good' END) ELSE prediction END,
  final_seq = id, decided_at = 1700000000000 + id
  WHERE route_reason IS NOT NULL;
DELETE FROM counters;
INSERT INTO counters(model_id, state, n)
  SELECT model_id, state, count(*) FROM cases GROUP BY model_id, state;
COMMIT;
PRAGMA journal_mode=WAL;
SQL
	bench_data monitor "monitor-$n.db ($n cases, 10 batches)" "$(bench_since "$t0")" generated
else
	bench_data monitor "monitor-$n.db ($n cases, 10 batches)" - cached
fi
# the kept bins and counts go: the first drift and stats --by runs make them
sqlite3 -batch "$s" "DELETE FROM drift_bins; DELETE FROM drift_summaries; DELETE FROM drift_reference" 2>/dev/null || true
sqlite3 -batch "$s" "DELETE FROM fair_counts; DELETE FROM fair_batches" 2>/dev/null || true

measure() {
	/usr/bin/time -f "%e %M" -o "$out/.time" "$@" >/dev/null
	cat "$out/.time"
}
cat "$s" >/dev/null # warm page cache for all
set -- $(measure sqlite3 -batch "$s" "SELECT batch_id, CAST(json_extract(context, '\$.Income') / 30 AS INT), count(*) FROM cases GROUP BY 1, 2")
t_base=$1
set -- $(measure "$DOCKET" drift "$s" --model credit --format json)
t_first=$1 rss_first=$2
set -- $(measure "$DOCKET" drift "$s" --model credit --format json)
t_again=$1 rss_again=$2
"$DOCKET" drift "$s" --model credit --format json >"$out/monitor-drift.json"
psi=$(python3 -c "import json; d = json.load(open('$out/monitor-drift.json')); print(d['psi_max_field'], round(d['psi_max'], 3))")
set -- $(measure sqlite3 -batch "$s" "SELECT json_extract(context, '\$.Home'), count(*), sum(route_reason IS NOT NULL), sum(final_label IS NOT NULL), sum(prediction = 'good'), sum(final_label = 'good' AND prediction = 'good') FROM cases GROUP BY 1")
t_gbase=$1
set -- $(measure "$DOCKET" stats "$s" --model credit --by Home --positive good --format json)
t_fair_first=$1 rss_fair_first=$2
set -- $(measure "$DOCKET" stats "$s" --model credit --by Home --positive good --format json)
t_fair=$1 rss_fair=$2
set -- $(measure "$DOCKET" stats "$s" --model credit --format json)
t_stats=$1 rss_stats=$2

# the supervisor's Model tab views, through the core (bench/monitorview.c)
"$view" "$s" Home good >"$out/.views"
vms() { sed -n "s/^$1 //p" "$out/.views"; }

k=$(bench_k "$n")
echo "monitor: $k cases, 10 batches"
echo "  sqlite3 group-by batch x Income   ${t_base} s"
echo "  docket drift, first run           ${t_first} s   (computes and keeps the bins)"
echo "  docket drift, again               ${t_again} s   (target < 1 s); PSI max: $psi"
echo "  sqlite3 group-by Home             ${t_gbase} s"
echo "  docket stats --by Home --positive ${t_fair_first} s   (first run: counts and keeps)"
echo "  docket stats --by Home --positive ${t_fair} s   (again: reads the kept counts)"
echo "  docket stats (error_all)          ${t_stats} s"
echo "  supervise: Model tab $(vms model_tab) ms, Drift view $(vms drift_view) ms (target < 100),"
echo "    f Home $(vms by_field) ms, Fairness view (Home, good) $(vms fairness_view) ms (target < 100)"
bench_fig monitor "docket drift, first run, $k cases (10 batches)" "$t_first" s \
	"sqlite3 group-by batch, Income bin" "$t_base" "$(bench_ratio "$t_first" "$t_base")" "$rss_first" \
	"computes and keeps every batch's bins; one run each, warm page cache"
bench_fig monitor "docket drift again, $k cases" "$t_again" s \
	"sqlite3 group-by batch, Income bin" "$t_base" "$(bench_ratio "$t_again" "$t_base")" "$rss_again" \
	"reads the kept bins; target < 1 s; PSI max $psi"
bench_fig monitor "docket stats --by Home --positive good, first run, $k cases" "$t_fair_first" s \
	"sqlite3 group-by Home (counts)" "$t_gbase" "$(bench_ratio "$t_fair_first" "$t_gbase")" "$rss_fair_first" \
	"counts every batch by Home and keeps the counts"
bench_fig monitor "docket stats --by Home --positive good again, $k cases" "$t_fair" s \
	"sqlite3 group-by Home (counts)" "$t_gbase" "$(bench_ratio "$t_fair" "$t_gbase")" "$rss_fair" \
	"reads the kept counts (the rest of stats as plain stats)"
bench_fig monitor "docket stats (with error_all), $k cases" "$t_stats" s \
	"sqlite3 group-by Home (counts)" "$t_gbase" "$(bench_ratio "$t_stats" "$t_gbase")" "$rss_stats" \
	"reads the reviewed cases only"
bench_fig monitor "supervise Drift view (d), kept bins, $k cases" "$(vms drift_view)" ms \
	"target" 100 "$(bench_ratio "$(vms drift_view)" 100)" - \
	"key to frame, through the core (bench/monitorview.c)"
bench_fig monitor "supervise f Home, kept counts, $k cases" "$(vms by_field)" ms \
	"target" 100 "$(bench_ratio "$(vms by_field)" 100)" - \
	"the --by groups alone (stats_regroup), key to frame"
bench_fig monitor "supervise Fairness view (p), kept counts, $k cases" "$(vms fairness_view)" ms \
	"target" 100 "$(bench_ratio "$(vms fairness_view)" 100)" - \
	"the groups and fairness figures alone, from the kept counts; the Model tab's figures (5): $(vms model_tab) ms"
rm -f "$out/.time" "$out/monitor-drift.json" "$out/.views"

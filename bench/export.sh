#!/bin/sh
# export.sh: `docket export` of N reviewed cases (default 1M) against the
# sqlite3 CLI (-csv) selecting the same columns (context, p: and attr: fields
# flattened with json_extract, reviewers, ISO time) from the same store, in
# the same run; prints both times, the ratio, and the peak RSS of the export
# at N/10 and N cases (constant memory: the two should be about equal).
#
# Usage: DOCKET=build/docket bench/export.sh [N]    (or EXPORT_ROWS=N)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${DOCKET:=$here/../build/docket}"
n=${1:-${EXPORT_ROWS:-1000000}}
small=$((n / 10))
out=$here/out
mkdir -p "$out"

# Reuse a generated store when it has the right size (generation is the slow
# part); each export adds one audit entry, which the export does not take.
store_for() {
	s=$out/export-$1.db
	have=$(sqlite3 -batch -noheader "$s" \
		"SELECT n FROM counters WHERE state = 'done'" 2>/dev/null || true)
	if [ "$have" != "$1" ]; then
		t0=$(bench_now)
		DOCKET=$DOCKET "$here/export-store.sh" "$s" "$1"
		bench_data export "export-$1.db ($1 reviewed cases)" "$(bench_since "$t0")" generated
	else
		bench_data export "export-$1.db ($1 reviewed cases)" - cached
	fi
	echo "$s"
}

# seconds and peak RSS (KiB) of a command, as "S KIB"
measure() {
	/usr/bin/time -f "%e %M" -o "$out/.time" "$@" >/dev/null
	cat "$out/.time"
}

big=$(store_for "$n")
little=$(store_for "$small")

# The same columns, in the same order, by SQL.
cols=$(sqlite3 -batch -noheader "$big" "
SELECT group_concat(e, ', ') FROM (
 SELECT 'json_extract(c.context, ''\$.\"' || key || '\"'') AS \"' || key || '\"' AS e
   FROM json_each((SELECT context FROM cases WHERE id = 1))
 UNION ALL
 SELECT 'json_extract(c.probs, ''\$.\"' || key || '\"'') AS \"p:' || key || '\"'
   FROM json_each((SELECT probs FROM cases WHERE id = 1))
 UNION ALL
 SELECT 'json_extract(c.attributions, ''\$.\"' || key || '\"'') AS \"attr:' || key || '\"'
   FROM json_each((SELECT attributions FROM cases WHERE id = 1)))")
query="SELECT c.ext_id AS id, c.prediction, c.confidence,
 c.final_label AS human_label, (c.final_label <> c.prediction) AS override,
 d.action, (SELECT group_concat(name, ';') FROM (SELECT r.name FROM reviews v
   JOIN reviewers r ON r.id = v.reviewer_id WHERE v.case_id = c.id
   AND v.action IN ('accept','override','resolve')
   AND coalesce(v.label, c.prediction) = c.final_label ORDER BY v.seq)) AS reviewer,
 d.reason, strftime('%Y-%m-%dT%H:%M:%SZ', c.decided_at / 1000, 'unixepoch') AS decided_at,
 m.name AS model, b.model_version, c.policy_version, b.source_file,
 b.source_sha256, $cols
FROM cases c JOIN batches b ON b.id = c.batch_id JOIN models m ON m.id = c.model_id
LEFT JOIN decisions d ON d.seq = c.final_seq
WHERE c.final_seq IS NOT NULL AND c.state = 'done' ORDER BY c.final_seq"

cat "$big" >/dev/null # same warm page cache for both
set -- $(measure "$DOCKET" export "$big" --out "$out/export.csv")
t_docket=$1 rss_big=$2
set -- $(measure sh -c 'sqlite3 -batch -csv -header "$1" "$2" >"$3"' sh \
	"$big" "$query" "$out/export-sqlite3.csv")
t_cli=$1
set -- $(measure "$DOCKET" export "$big" --out "$out/export.jsonl")
t_jsonl=$1 rss_jsonl=$2
set -- $(measure "$DOCKET" export "$little" --out "$out/export-small.csv")
rss_small=$2

rows_docket=$(($(wc -l <"$out/export.csv") - 1))
rows_cli=$(($(wc -l <"$out/export-sqlite3.csv") - 1))
[ "$rows_docket" = "$n" ] || { echo "export wrote $rows_docket rows, want $n" >&2; exit 1; }
[ "$rows_cli" = "$n" ] || { echo "sqlite3 wrote $rows_cli rows, want $n" >&2; exit 1; }

echo "export: $n reviewed cases, $(head -1 "$out/export.csv" | tr ',' '\n' | wc -l) columns"
echo "  docket export (csv)    ${t_docket} s   $(du -m "$out/export.csv" | cut -f1) MB"
echo "  sqlite3 -csv (same)    ${t_cli} s   $(du -m "$out/export-sqlite3.csv" | cut -f1) MB"
echo "  docket export (jsonl)  ${t_jsonl} s"
echo "  ratio sqlite3/docket   $(echo "scale=2; $t_cli / $t_docket" | bc)x (target >= 1)"
echo "  peak RSS               ${rss_small} KiB at $small cases, ${rss_big} KiB at $n"
k=$(bench_k "$n")
cols=$(head -1 "$out/export.csv" | tr ',' '\n' | wc -l)
bench_fig export "docket export --format csv, $k reviewed cases ($cols columns)" "$t_docket" s \
	"sqlite3 -csv, same columns" "$t_cli" "$(bench_ratio "$t_docket" "$t_cli")" "$rss_big" \
	"$(du -m "$out/export.csv" | cut -f1) MB; one run each, warm page cache; target ratio <= 1"
bench_fig export "docket export --format jsonl, $k reviewed cases" "$t_jsonl" s \
	"sqlite3 -csv, same columns" "$t_cli" "$(bench_ratio "$t_jsonl" "$t_cli")" "$rss_jsonl" \
	"one run"
bench_fig export "docket export peak RSS, $k cases" "$rss_big" kB \
	"same at $(bench_k "$small") cases" "$rss_small" "$(bench_ratio "$rss_big" "$rss_small")" "$rss_big" \
	"constant memory: about equal"
rm -f "$out/export.csv" "$out/export-sqlite3.csv" "$out/export.jsonl" \
	"$out/export-small.csv" "$out/.time"

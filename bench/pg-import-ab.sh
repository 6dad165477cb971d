#!/bin/sh
# pg-import-ab.sh: two docket binaries' imports into PostgreSQL, alternating
# in the same minutes, with two baselines between them (pg.sh's import
# part, for A/B work on issue 17):
# - copy: `psql \copy` of the same CSV into a plain table of text columns;
# - layout: `psql \copy` of the very rows B stores (its cases, COPY'd out
#   of a store B imported the CSV into, once before the runs) into a table
#   with the cases' columns, constraints and indexes and no triggers
#   (bench_pg_layout_table);
# - keys: `psql \copy` of the CSV into a plain table that also has the two
#   keys any store of cases needs, an id and a unique external id
#   (bench_pg_keys_table): keys against copy is the most an import that
#   keeps those keys can reach.
# B against layout is docket's own work (the client, the triggers, the ids,
# case_pii); layout against copy is what the stored rows cost (their width,
# their index entries). Per run the wall time, the server's CPU (every
# process of the cluster, the exited backends' through the postmaster's
# children's times) and the WAL the run wrote (pg_current_wal_lsn before
# and after).
#   A=old/docket B=new/docket bench/pg-import-ab.sh CSV [PAIRS]
# A's and B's stores are made by their own `docket init`. Prints one line
# per run, then the best of each and the ratios; pg.sh's server settings.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
: "${A:?set A to the first binary}" "${B:?set B to the second binary}"
csv=${1:?usage: A=... B=... $0 CSV [PAIRS]}
pairs=${2:-2}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/docket-pgab.XXXXXX")
chmod 0755 "$tmp"
cl="$tmp/c"
trap '"$root/tests/pg/cluster.sh" stop "$cl" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
envs=$("$root/tests/pg/cluster.sh" start "$cl")
set -a
eval "$envs"
set +a
q() { PGOPTIONS='-c client_min_messages=warning' psql -qAtX -v ON_ERROR_STOP=1 "$@"; }
bench_pg_tune "$cl" 1GB # pg.sh's settings
me=$(id -un)
q -d postgres -c "CREATE ROLE \"$me\" LOGIN SUPERUSER" >/dev/null
uri() { echo "postgresql:///$1?host=$PGHOST&port=$PGPORT&user=$me"; }
tck=$(getconf CLK_TCK)
lsn() { q -d postgres -c "SELECT pg_current_wal_lsn()"; }
wal() { q -d postgres -c "SELECT round(pg_wal_lsn_diff('$2', '$1') / 1e6)"; }
now() { date +%s.%N; }
sleep 1
base=$(bench_pg_kids "$cl")
rows=$(($(wc -l <"$csv") - 1))
cols=$(head -1 "$csv" | awk -F, '{ for (i = 1; i <= NF; i++) printf "%s\"%s\" text", (i > 1 ? ", " : ""), $i }')
one() { # one NAME: a run, its figures on one line
	q -d postgres -c "DROP DATABASE IF EXISTS imp" -c "CREATE DATABASE imp" >/dev/null
	if [ "$1" = copy ]; then
		q -d imp -c "CREATE TABLE t($cols)" >/dev/null
	elif [ "$1" = layout ]; then
		"$B" init "$(uri imp)" >/dev/null
		bench_pg_layout_table imp
	elif [ "$1" = keys ]; then
		bench_pg_keys_table imp "$csv"
	else
		"$2" init "$(uri imp)" >/dev/null
	fi
	q -d postgres -c CHECKPOINT >/dev/null
	l0=$(lsn)
	bench_pg_settle "$cl" "$base"
	c0=$(bench_pg_ticks "$cl") t0=$(now)
	if [ "$1" = copy ]; then
		psql -qX -v ON_ERROR_STOP=1 -d imp -c "\\copy t FROM '$csv' WITH (FORMAT csv, HEADER true)" >/dev/null
	elif [ "$1" = layout ]; then
		psql -qX -v ON_ERROR_STOP=1 -d imp -c "\\copy public.layout FROM '$tmp/rows'" >/dev/null
	elif [ "$1" = keys ]; then
		bench_pg_keys_copy imp "$csv"
	else
		"$2" import "$(uri imp)" "$csv" --model bench >/dev/null
	fi
	t1=$(now)
	bench_pg_settle "$cl" "$base"
	c1=$(bench_pg_ticks "$cl") l1=$(lsn)
	if [ "$1" = copy ]; then
		size=$(q -d imp -c "SELECT round(pg_total_relation_size('t') / 1e6)")
	elif [ "$1" = layout ]; then
		size=$(q -d imp -c "SELECT round(pg_total_relation_size('public.layout') / 1e6)")
	elif [ "$1" = keys ]; then
		size=$(q -d imp -c "SELECT round(pg_total_relation_size('public.keys') / 1e6)")
	else
		size=$(q -d imp -c "SELECT round(pg_total_relation_size('docket.cases') / 1e6)
			|| ' + ' || round(pg_total_relation_size('docket.case_pii') / 1e6)")
	fi
	awk -v n="$1" -v t0="$t0" -v t1="$t1" -v c0="$c0" -v c1="$c1" -v tck="$tck" \
		-v w="$(wal "$l0" "$l1")" -v s="$size" \
		'BEGIN { printf "%-5s wall %6.2f s  server CPU %6.2f s  WAL %5d MB  size %s MB\n",
			n, t1 - t0, (c1 - c0) / tck, w, s }'
}
# the layout baseline's rows: what B stores of the CSV
q -d postgres -c "CREATE DATABASE src" >/dev/null
"$B" init "$(uri src)" >/dev/null
"$B" import "$(uri src)" "$csv" --model bench >/dev/null
bench_pg_rows_out src "$tmp/rows"
q -d postgres -c "DROP DATABASE src" >/dev/null
echo "== $rows rows ($(($(wc -c <"$csv") / 1000000)) MB), $pairs pairs, load $(cut -d' ' -f1-3 /proc/loadavg)"
i=0
while [ $i -lt "$pairs" ]; do
	i=$((i + 1))
	one A "$A"
	one copy
	one B "$B"
	one layout
	one keys
done | tee "$tmp/runs"
for n in A B copy layout keys; do
	grep "^$n " "$tmp/runs" | sort -k3 -n | head -1 | sed 's/^/best /'
done >"$tmp/best"
cat "$tmp/best"
# ratios as speeds (the baseline's time over the run's): wall, then CPU
awk '{ w[$2] = $4; c[$2] = $8 }
function r(a, b) { return sprintf("%.2fx wall, %.2fx server CPU", w[b] / w[a], c[b] / c[a]) }
END {
	print "A against copy   " r("A", "copy")
	print "B against copy   " r("B", "copy")
	print "B against layout " r("B", "layout") "  (docket'"'"'s own work)"
	print "layout against copy " r("layout", "copy") "  (the stored layout)"
	print "keys against copy " r("keys", "copy") "  (the most with an id and a unique external id)"
}' "$tmp/best"
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"

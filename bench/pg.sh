#!/bin/sh
# pg.sh: docket on PostgreSQL (issue 13), beside SQLite in the same run, on
# a throwaway cluster (tests/pg/cluster.sh; fsync and synchronous_commit
# on, Unix socket):
# - import of the generated 1M-row CSV (bench/import.sh's file) into a
#   PostgreSQL store against `psql \copy` of the same file into a plain
#   table of text columns (as sqlite3 .import makes one): ratio goal >= 0.8;
#   and against `psql \copy` of the very rows the import stored into a table
#   of the cases' layout and indexes without triggers (bench_pg_layout_table):
#   the import's gap split into docket's own work and the stored layout;
#   and the CSV's \copy into a plain table with only the two keys a store
#   of cases needs (bench_pg_keys_table): the ceiling of the goal;
# - claim and decide p50/p99 at 1M cases (1M and 10M with BENCH_FULL) on
#   a PostgreSQL store of the shared store's cases (bench/pg-store.sh: what
#   `docket migrate` of bench/out/store-N.db makes, written by the server:
#   its time is reported), against the same loop on the SQLite store (sync
#   FULL) right before: goal claim p50 < 1 ms at 10M (judged at the
#   largest size run); and on PostgreSQL again once PG_BENCH_USED more
#   claims and decisions have been made (a store claimed from: each left a
#   dead entry in the queue index, engine/pg_floor.c), against the fresh
#   store's figure;
# - decisions/s (claim, then decide) with 8, 32 and 64 client processes on
#   PostgreSQL against 8 processes on a copy of the SQLite store, in rounds,
#   each round measuring both: goal PostgreSQL at 32 >= SQLite at 8. Every
#   run is checked for errors, cases decided twice and leases left, and
#   says what bounds it: the CPU a decision costs (client and server), the
#   machine's idle share, the WAL a decision writes, and at 32 clients what
#   the active sessions wait for (the chain lock, the WAL, the CPU).
# The goals are printed as met / not met and recorded as figures.
#   DOCKET=build/docket bench/pg.sh [SIZES]   (default 1000000)
# (build/bench/queue_bench, which make bench builds, is made first when a
# plain make left it out: bench_tool in lib.sh)
# Knobs: PG_BENCH_N (claims+decisions per latency run, 2000),
# PG_BENCH_USED (claims+decisions before the used-store run, 18000; 0: none),
# QUEUE_BENCH_SECS (length of a concurrent run, 5), PG_BENCH_ROUNDS (3),
# PG_BENCH_MODES ("two next": claim then decide, and decide --next), IMPORT_BENCH_RUNS (1),
# PG_BENCH_SHARED_BUFFERS (1GB).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
root=$(cd "$here/.." && pwd)
: "${DOCKET:?set DOCKET to the binary under test}"
# (before anything runs: the latency part needs it, minutes in)
QB=${QUEUE_BENCH:-}
[ -n "$QB" ] || QB=$(bench_tool queue_bench) || exit 1
out="$here/out"
mkdir -p "$out"
if [ -n "${BENCH_FULL:-}" ]; then
	sizes=${1:-${PG_BENCH_SIZES:-"1000000 10000000"}}
else
	sizes=${1:-${PG_BENCH_SIZES:-1000000}}
fi
N=${PG_BENCH_N:-2000}
USED=${PG_BENCH_USED:-18000}
SECS=${QUEUE_BENCH_SECS:-5}
ROUNDS=${PG_BENCH_ROUNDS:-3}
MODES=${PG_BENCH_MODES:-"two next"}
RUNS=${IMPORT_BENCH_RUNS:-1}
rows=1000000
CLIENTS="8 32 64"

command -v psql >/dev/null 2>&1 || {
	echo "pg: psql missing: apt-get install -y postgresql-client" >&2; exit 1; }

# The cluster: in TMPDIR (its socket path must stay short), readable by
# the server's owner (nobody when root), removed at the end.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/docket-pgbench.XXXXXX")
chmod 0755 "$tmp"
cl="$tmp/c"
trap '"$root/tests/pg/cluster.sh" stop "$cl" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
set +e
envs=$("$root/tests/pg/cluster.sh" start "$cl")
crc=$?
set -e
if [ $crc = 77 ]; then
	echo "pg: no PostgreSQL server installed (apt-get install -y postgresql): skipped" >&2
	bench_fig PostgreSQL "skipped" - - "" "" "" "" "no PostgreSQL server installed"
	exit 0
fi
[ $crc = 0 ] || { echo "pg: the cluster did not start" >&2; exit 1; }
set -a
eval "$envs"
set +a
# A bench server (bench_pg_tune, bench/lib.sh).
SB=${PG_BENCH_SHARED_BUFFERS:-1GB}
bench_pg_tune "$cl" "$SB"
server="PostgreSQL $(psql -qAtX -c 'SHOW server_version' | cut -d' ' -f1)"
settings=$(psql -qAtX -c "SELECT string_agg(name || '=' || current_setting(name), ' ' ORDER BY name)
	FROM pg_settings WHERE name IN ('shared_buffers', 'max_wal_size', 'fsync',
	  'synchronous_commit', 'wal_sync_method', 'max_connections')")
echo "== pg: $server over a Unix socket ($settings)"

# Roles: the store's owner is named as the user running this (docket's
# supervisor on both engines), bench for the latency runs, w1..w64 for
# the concurrent ones (on PostgreSQL the reviewer is the role logged in).
me=$(id -un)
{
	echo "CREATE ROLE \"$me\" LOGIN SUPERUSER;"
	echo "CREATE ROLE bench LOGIN;"
	i=1
	while [ $i -le 64 ]; do
		echo "CREATE ROLE w$i LOGIN;"
		i=$((i + 1))
	done
} | psql -qX -v ON_ERROR_STOP=1 -d postgres >/dev/null
uri() { # uri DB [USER]
	echo "postgresql:///$1?host=$PGHOST&port=$PGPORT${2:+&user=$2}"
}
# pg_reviewer DB NAME: NAME a reviewer of the store in DB. A reviewer
# whose row came with the migrated store is granted its role by `reviewer
# role` (migrate copies rows, not database roles).
pg_reviewer() {
	"$DOCKET" reviewer add "$(uri "$1" "$me")" "$2" >/dev/null 2>&1 ||
		"$DOCKET" reviewer role "$(uri "$1" "$me")" "$2" reviewer >/dev/null
}
q() { PGOPTIONS='-c client_min_messages=warning' psql -qAtX -v ON_ERROR_STOP=1 "$@"; }

# ---- import against \copy ----------------------------------------------
csv="$out/import-$rows.csv"
if [ ! -f "$csv" ]; then
	t0=$(bench_now)
	/usr/bin/python3 "$root/tools/gen_predictions.py" --rows "$rows" --seed 1 --out "$csv.tmp"
	mv "$csv.tmp" "$csv"
	bench_data pg "import-$rows.csv ($rows rows)" "$(bench_since "$t0")" generated
else
	bench_data pg "import-$rows.csv ($rows rows)" - cached
fi
cols=$(head -1 "$csv" | awk -F, '{ for (i = 1; i <= NF; i++) printf "%s\"%s\" text", (i > 1 ? ", " : ""), $i }')
printf '%s\n' "== pg: import of $rows rows ($(($(wc -c <"$csv") / 1000000)) MB CSV) vs psql \\copy, best of $RUNS"
di=0 ci=0 li=0 ki=0 drss=0
i=0
while [ $i -lt "$RUNS" ]; do
	i=$((i + 1))
	q -d postgres -c "DROP DATABASE IF EXISTS imp" -c "CREATE DATABASE imp" >/dev/null
	"$DOCKET" init "$(uri imp "$me")" >/dev/null
	t0=$(bench_now)
	/usr/bin/time -f %M -o "$tmp/rss" "$DOCKET" import "$(uri imp "$me")" "$csv" --model bench >/dev/null
	s1=$(bench_ms "$t0" "$(bench_now)" | cut -d. -f1)
	r1=$(cat "$tmp/rss")
	got=$(q -d imp -c "SELECT count(*) FROM docket.cases")
	[ "$got" = "$rows" ] || { echo "pg: docket stored $got rows, not $rows" >&2; exit 1; }
	bench_pg_rows_out imp "$tmp/rows"
	q -d postgres -c "DROP DATABASE IF EXISTS imp" -c "CREATE DATABASE imp" >/dev/null
	"$DOCKET" init "$(uri imp "$me")" >/dev/null
	bench_pg_layout_table imp
	t0=$(bench_now)
	psql -qX -v ON_ERROR_STOP=1 -d imp -c "\\copy public.layout FROM '$tmp/rows'" >/dev/null
	s3=$(bench_ms "$t0" "$(bench_now)" | cut -d. -f1)
	rm -f "$tmp/rows"
	q -d postgres -c "DROP DATABASE IF EXISTS imp" -c "CREATE DATABASE imp" >/dev/null
	q -d imp -c "CREATE TABLE t($cols)" >/dev/null
	t0=$(bench_now)
	psql -qX -v ON_ERROR_STOP=1 -d imp -c "\\copy t FROM '$csv' WITH (FORMAT csv, HEADER true)" >/dev/null
	s2=$(bench_ms "$t0" "$(bench_now)" | cut -d. -f1)
	got=$(q -d imp -c "SELECT count(*) FROM t")
	[ "$got" = "$rows" ] || { printf "%s\n" "pg: \\copy stored $got rows, not $rows" >&2; exit 1; }
	q -d postgres -c "DROP DATABASE IF EXISTS imp" -c "CREATE DATABASE imp" >/dev/null
	bench_pg_keys_table imp "$csv"
	t0=$(bench_now)
	bench_pg_keys_copy imp "$csv"
	s4=$(bench_ms "$t0" "$(bench_now)" | cut -d. -f1)
	printf '%s\n' "  run $i: docket import $s1 ms, psql \\copy $s2 ms, the stored rows' \\copy $s3 ms, with keys $s4 ms"
	di=$(awk -v a="$di" -v b="$s1" 'BEGIN { print (a == 0 || b < a) ? b : a }')
	li=$(awk -v a="$li" -v b="$s3" 'BEGIN { print (a == 0 || b < a) ? b : a }')
	ci=$(awk -v a="$ci" -v b="$s2" 'BEGIN { print (a == 0 || b < a) ? b : a }')
	ki=$(awk -v a="$ki" -v b="$s4" 'BEGIN { print (a == 0 || b < a) ? b : a }')
	drss=$(awk -v a="$drss" -v b="$r1" 'BEGIN { print (b > a ? b : a) }')
done
q -d postgres -c "DROP DATABASE imp" >/dev/null
import_s=$(awk -v t="$di" 'BEGIN { printf "%.1f", t / 1000 }')
dr=$(awk -v n="$rows" -v t="$di" 'BEGIN { printf "%.0f", n / (t / 1000) }')
cr=$(awk -v n="$rows" -v t="$ci" 'BEGIN { printf "%.0f", n / (t / 1000) }')
import_ratio=$(bench_ratio "$dr" "$cr")
echo "docket import into PostgreSQL ${import_s} s  $dr rows/s"
printf '%s\n' "psql \\copy into a plain table $(awk -v t="$ci" 'BEGIN { printf "%.1f", t / 1000 }') s  $cr rows/s"
printf '%s\n' "ratio docket/\\copy $import_ratio (goal >= 0.8)"
lr=$(awk -v n="$rows" -v t="$li" 'BEGIN { printf "%.0f", n / (t / 1000) }')
own_ratio=$(bench_ratio "$dr" "$lr")
layout_ratio=$(bench_ratio "$lr" "$cr")
printf '%s\n' "psql \\copy of the stored rows into the cases' layout $(awk -v t="$li" 'BEGIN { printf "%.1f", t / 1000 }') s  $lr rows/s"
printf '%s\n' "ratio docket/that $own_ratio (docket's own work), that/\\copy $layout_ratio (the stored layout)"
kr=$(awk -v n="$rows" -v t="$ki" 'BEGIN { printf "%.0f", n / (t / 1000) }')
keys_ratio=$(bench_ratio "$kr" "$cr")
printf '%s\n' "psql \\copy into a plain table with an id and a unique external id $(awk -v t="$ki" 'BEGIN { printf "%.1f", t / 1000 }') s  $kr rows/s"
printf '%s\n' "ratio that/\\copy $keys_ratio (the most an import keeping those two keys reaches; goal 0.8)"
bench_fig PostgreSQL "import of $(bench_k $rows) CSV rows into PostgreSQL, rows/s" "$dr" "rows/s" \
	"psql \\copy into a plain table of text columns" "$cr" "$import_ratio" "$drss" \
	"best of $RUNS; $server ($settings)"
bench_fig PostgreSQL "import of $(bench_k $rows) CSV rows into PostgreSQL, rows/s" "$dr" "rows/s" \
	"psql \\copy of the rows it stored into a table of the cases' layout and indexes, no triggers" \
	"$lr" "$own_ratio" "" "best of $RUNS: docket's own work; that table against the plain one: $layout_ratio (the stored layout)"
bench_fig PostgreSQL "psql \\copy of $(bench_k $rows) CSV rows into a table with an id key and a unique external id, rows/s" "$kr" "rows/s" \
	"psql \\copy into a plain table of text columns" "$cr" "$keys_ratio" "" \
	"best of $RUNS: the ceiling for any import that keeps a case's two keys (no other index, no trigger)"

# ---- the stores: SQLite's shared one, and the same cases in PostgreSQL --
lat="$tmp/lat"
: >"$lat"
echo "== pg: claim and decide latency (µs), $N each, SQLite (sync FULL) then PostgreSQL"
for n in $sizes; do
	db=$(bench_store "$n")
	dbname=s$n
	q -d postgres -c "CREATE DATABASE $dbname" >/dev/null
	t0=$(bench_now)
	DOCKET="$DOCKET" "$here/pg-store.sh" "$(uri "$dbname" "$me")" "$n" 2>"$tmp/pgstore.out" ||
		{ cat "$tmp/pgstore.out" >&2; exit 1; }
	ms=$(bench_since "$t0")
	echo "made a PostgreSQL store of $(bench_k "$n") cases in $ms s (bench/pg-store.sh; docket import of $(bench_k $rows) CSV rows: $import_s s)"
	bench_data pg "PostgreSQL store of $(bench_k "$n") cases (bench/pg-store.sh: store-$n.db's cases, as docket migrate makes them)" "$ms" generated \
		"docket import of $(bench_k $rows) CSV rows took $import_s s"
	"$DOCKET" reviewer add "$db" bench >/dev/null 2>&1 || true
	pg_reviewer "$dbname" bench
	cat "$db" >/dev/null # a warm page cache, as queue.sh
	r=$("$QB" latency "$db" "$N" 1 bench)
	echo "SQLite     cases=$n $r"
	echo "sqlite $n $r" >>"$lat"
	r=$("$QB" latency "$(uri "$dbname" bench)" "$N" 1 bench)
	echo "PostgreSQL cases=$n $r"
	echo "pg $n $r" >>"$lat"
	if [ "$USED" -gt 0 ]; then
		"$QB" latency "$(uri "$dbname" bench)" "$USED" 1 bench >/dev/null
		r=$("$QB" latency "$(uri "$dbname" bench)" "$N" 1 bench)
		echo "PostgreSQL cases=$n after $((N + USED)) claims $r"
		echo "pgused $n $r" >>"$lat"
	fi
	[ "$n" = "${sizes%% *}" ] || q -d postgres -c "DROP DATABASE $dbname" >/dev/null
done
# PostgreSQL's own floor, by pgbench on the same server: a round trip
# (SELECT 1) and a commit (one-row INSERT, synchronous_commit on) by one
# client, p50 and p99 of N each.
PGB="$DOCKET_PG_BIN/pgbench"
q -d postgres -c "CREATE TABLE bare(id bigserial PRIMARY KEY, v text)" >/dev/null
printf 'SELECT 1;\n' >"$tmp/round.sql"
printf "INSERT INTO bare(v) VALUES ('a decision-sized row of text');\n" >"$tmp/commit.sql"
bare_lat() { # SCRIPT -> "p50 p99" (µs) of N transactions of one client
	rm -f "$tmp"/pgbench_log.*
	(cd "$tmp" && "$PGB" -n -c 1 -t "$N" -f "$1" -l postgres >/dev/null 2>&1)
	cat "$tmp"/pgbench_log.* | awk '{ print $3 }' | sort -n | awk '{ v[NR] = $1 }
		END { printf "%.1f %.1f\n", v[int(0.5 * (NR - 1) + 0.5) + 1], v[int(0.99 * (NR - 1) + 0.5) + 1] }'
	rm -f "$tmp"/pgbench_log.*
}
set -- $(bare_lat round.sql)
echo "pgbench SELECT 1 round trip p50 $1 µs p99 $2 µs"
echo "bare 0 round_p50_us $1 round_p99_us $2 x" >>"$lat"
set -- $(bare_lat commit.sql)
echo "pgbench one-row INSERT commit p50 $1 µs p99 $2 µs"
echo "bare 0 commit_p50_us $1 commit_p99_us $2 x" >>"$lat"
get() { awk -v e="$1" -v n="$2" -v k="$3" '$1 == e && $2 == n {
	for (i = 3; i < NF; i++) if ($i == k) print $(i + 1) }' "$lat"; }
for n in $sizes; do
	for k in claim_p50 claim_p99 decide_p50 decide_p99; do
		v=$(get pg "$n" ${k}_us)
		b=$(get sqlite "$n" ${k}_us)
		bench_fig PostgreSQL "${k%%_*} ${k#*_} on PostgreSQL, $(bench_k "$n") cases" "$v" µs \
			"the same on SQLite (sync FULL), same store" "$b" "$(bench_ratio "$v" "$b")" \
			"$(get pg "$n" rss_kb)" "$N claims and decisions, one client over a Unix socket; PostgreSQL's floor (pgbench): a round trip $(get bare 0 round_${k#*_}_us) µs, a commit $(get bare 0 commit_${k#*_}_us) µs"
	done
	[ "$USED" -gt 0 ] || continue
	for k in claim_p50 claim_p99; do
		v=$(get pgused "$n" ${k}_us)
		b=$(get pg "$n" ${k}_us)
		bench_fig PostgreSQL "${k%%_*} ${k#*_} on PostgreSQL, $(bench_k "$n") cases, after $(bench_k $((N + USED))) claims" "$v" µs \
			"the same store fresh (its first $N claims)" "$b" "$(bench_ratio "$v" "$b")" \
			"$(get pgused "$n" rss_kb)" "$N claims and decisions after $((N + USED)), one client over a Unix socket"
	done
done
set -- $sizes
for big in "$@"; do :; done
claim=$(get pg "$big" claim_p50_us)
claim_goal=$(awk -v v="$claim" 'BEGIN { print (v < 1000 ? "met" : "not met") }')
[ "$big" = 10000000 ] || claim_goal="$claim_goal (at $(bench_k "$big") cases; 10M runs with BENCH_FULL=1)"

# ---- decisions/s with concurrent clients -------------------------------
n=$1
pgdb=$(uri "s$n") # no user: each worker logs in as its reviewer (wN)
sqdb="$tmp/rate.db"
src="$out/store-$n.db"
sqlite3 "$src" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$src" "$sqdb"
i=1
while [ $i -le 64 ]; do
	[ $i -gt 8 ] || "$DOCKET" reviewer add "$sqdb" "w$i" >/dev/null 2>&1 || true
	pg_reviewer "s$n" "w$i"
	i=$((i + 1))
done
pg_check() { # cases accepted twice, leases left (none: every worker ends released)
	q -d "s$n" -c "SELECT (SELECT count(*) FROM (SELECT case_id FROM docket.decisions
	  WHERE action = 'accept' GROUP BY case_id HAVING count(*) > 1) d)
	  + (SELECT count(*) FROM docket.leases)"
}
sq_check() {
	sqlite3 "$sqdb" "SELECT (SELECT count(*) FROM (SELECT case_id FROM decisions
	  WHERE action = 'accept' GROUP BY case_id HAVING count(*) > 1))
	  + (SELECT count(*) FROM leases)"
}
field() { printf '%s\n' "$1" | awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }
# What bounds a rate: the CPU each decision costs, the client's (the
# workers' own, from queue_bench) and the server's (every process of the
# cluster: the postmaster's reaped backends and its live children, in
# clock ticks, read once the run's backends are gone), with the
# machine's idle share (/proc/stat: all processes, other users' too) and
# the WAL written; and, sampled during the first round at 32 clients,
# what the active sessions wait for (the chain lock is an advisory lock).
hz=$(getconf CLK_TCK)
cpu_idle() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat; }
wal_lsn() { q -d "s$n" -c "SELECT pg_current_wal_lsn()"; }
waits="$tmp/waits"
sample_waits() { # every 0.3 s for SECS - 1 s: one line per active session
	sleep 1
	_k=$(awk -v s="$SECS" 'BEGIN { print int((s - 1) / 0.3) }')
	while [ "$_k" -gt 0 ]; do
		q -d "s$n" -c "SELECT CASE WHEN wait_event_type = 'Lock' AND wait_event = 'advisory'
		    THEN 'the chain lock' WHEN wait_event IN ('WALWrite', 'WALSync', 'WALInsert')
		    THEN 'the WAL' WHEN wait_event IS NULL THEN 'running (CPU)'
		    ELSE wait_event_type || ' ' || wait_event END
		  FROM pg_stat_activity WHERE state = 'active'
		  AND datname = current_database() AND pid <> pg_backend_pid()" >>"$waits" || true
		sleep 0.3
		_k=$((_k - 1))
	done
}
cpu_fields() { # RESULT BUSY0 IDLE0 [SERVER_TICKS WAL_BYTES] -> per decision:
	# "client_us server_us idle% wal_bytes" (BUSY0 IDLE0: cpu_idle before)
	_d=$(field "$1" decisions)
	_now=$(cpu_idle)
	awk -v d="${_d:-0}" -v c="$(field "$1" client_cpu_us)" -v b0="$2" -v i0="$3" \
	    -v b1="${_now% *}" -v i1="${_now#* }" -v s="${4:--1}" -v w="${5:--1}" -v hz="$hz" 'BEGIN {
		if (d <= 0) { print "0 0 0 0"; exit }
		idle = (b1 - b0 + i1 - i0) > 0 ? 100 * (i1 - i0) / (b1 - b0 + i1 - i0) : 0
		printf "%.0f %.0f %.0f %.0f\n", c / d, s < 0 ? 0 : s / hz * 1e6 / d, idle, w < 0 ? 0 : w / d }'
}
echo "== pg: decisions/s, $(bench_k "$n") cases, ${SECS}s each, $ROUNDS rounds, modes $MODES"
runs="$tmp/runs"
: >"$runs"
round=1
while [ $round -le "$ROUNDS" ]; do
	for mode in $MODES; do
		set -- $(cpu_idle)
		r=$("$QB" rate "$sqdb" "$SECS" 8 1 "$mode" 2>"$tmp/rate.err" || true)
		bad=$(($(grep -c . "$tmp/rate.err" || true) + $(sq_check)))
		cpu=$(cpu_fields "$r" "$1" "$2")
		echo "round=$round mode=$mode SQLite processes=8 per_s=$(field "$r" per_s) errors+double+left=$bad cpu_us/decision=${cpu%% *} idle%=$(echo "$cpu" | cut -d' ' -f3)"
		echo "$round $mode sqlite 8 $(field "$r" per_s) $(field "$r" rss_kb) $bad $cpu" >>"$runs"
		for p in $CLIENTS; do
			r=$("$PGB" -n -c "$p" -j 2 -T "$SECS" -f "$tmp/commit.sql" postgres 2>/dev/null |
				awk '/^tps/ { printf "%d", $3; exit }')
			echo "round=$round mode=$mode pgbench clients=$p commits_per_s=$r"
			echo "$round $mode bare $p ${r:-0} 0 0" >>"$runs"
			kids=$(bench_pg_kids "$cl")
			l0=$(wal_lsn)
			s0=$(bench_pg_ticks "$cl")
			set -- $(cpu_idle)
			sp=""
			if [ "$round" = 1 ] && [ "$p" = 32 ]; then
				sample_waits &
				sp=$!
			fi
			r=$("$QB" rate "$pgdb" "$SECS" "$p" 1 "$mode" 2>"$tmp/rate.err" || true)
			[ -z "$sp" ] || wait "$sp"
			bench_pg_settle "$cl" "$kids"
			s1=$(bench_pg_ticks "$cl")
			wb=$(q -d "s$n" -c "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$l0')::bigint")
			cpu=$(cpu_fields "$r" "$1" "$2" $((s1 - s0)) "$wb")
			bad=$(($(grep -c . "$tmp/rate.err" || true) + $(pg_check)))
			[ ! -s "$tmp/rate.err" ] || sed -n '1,3s/^/  /p' "$tmp/rate.err" | cut -c1-200
			set -- $cpu
			echo "round=$round mode=$mode PostgreSQL clients=$p per_s=$(field "$r" per_s) errors+double+left=$bad cpu_us/decision client=$1 server=$2 idle%=$3 wal_bytes/decision=$4"
			echo "$round $mode pg $p $(field "$r" per_s) $(field "$r" rss_kb) $bad $cpu" >>"$runs"
			if [ -n "$sp" ]; then
				echo "  active sessions sampled, mode=$mode, 32 clients: $(sort "$waits" | uniq -c | sort -rn |
					awk '{ c = $1; $1 = ""; printf "%s%s: %d", (NR > 1 ? ", " : ""), substr($0, 2), c }')"
				: >"$waits"
			fi
		done
	done
	round=$((round + 1))
done
# median over the rounds of a rate, and of its per-round ratio to the
# baseline's rate (SQLite at 8 processes, or pgbench at the same clients)
med() { # med MODE ENGINE PROCS BASE_ENGINE BASE_PROCS -> "rate ratio lo hi rss bad"
	awk -v m="$1" -v e="$2" -v p="$3" -v be="${4:-sqlite}" -v bp="${5:-8}" '
	function median(a, n,   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
	$2 == m && $3 == be && $4 == bp { base[$1] = $5 }
	$2 == m && $3 == e && $4 == p { rate[$1] = $5; if ($6 > rss) rss = $6; bad += $7 }
	END {
		k = 0; lo = ""; hi = 0
		for (r in rate) { k++; v[k] = rate[r]; x[k] = base[r] ? rate[r] / base[r] : 0
			if (lo == "" || rate[r] < lo) lo = rate[r]; if (rate[r] > hi) hi = rate[r] }
		printf "%d %.2f %d %d %d %d\n", median(v, k), median(x, k), lo, hi, rss, bad
	}' "$runs"
}
med_col() { # med_col MODE ENGINE PROCS COLUMN -> the median over the rounds
	awk -v m="$1" -v e="$2" -v p="$3" -v k="$4" '$2 == m && $3 == e && $4 == p { v[++n] = $k }
	END { for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
		print n ? (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2) : 0 }' "$runs"
}
cpu_note() { # MODE ENGINE PROCS -> what a decision cost, medians of the rounds
	if [ "$2" = pg ]; then
		echo "CPU a decision (median): client $(med_col "$1" pg "$3" 8) µs, server $(med_col "$1" pg "$3" 9) µs; machine idle $(med_col "$1" pg "$3" 10)%; WAL $(med_col "$1" pg "$3" 11) bytes a decision"
	else
		echo "CPU a decision (median): $(med_col "$1" sqlite 8 8) µs; machine idle $(med_col "$1" sqlite 8 10)%"
	fi
}
rate_goal=""
for mode in $MODES; do
	what=$([ "$mode" = next ] && echo "decide --next" || echo "claim, decide")
	set -- $(med "$mode" sqlite 8)
	sq=$1
	echo "SQLite 8 processes mode=$mode per_s=$1 (rounds $3..$4); $(cpu_note "$mode" sqlite 8)"
	bench_fig PostgreSQL "decisions/s on SQLite, 8 processes, $what (sync FULL)" "$1" /s "" "" "" "$5" \
		"$ROUNDS rounds of ${SECS}s: $3..$4/s; errors, double decisions, leases left: $6; $(cpu_note "$mode" sqlite 8)"
	for p in $CLIENTS; do
		set -- $(med "$mode" bare "$p" bare "$p")
		bare=$1
		set -- $(med "$mode" pg "$p" bare "$p")
		vsbare=$2
		set -- $(med "$mode" pg "$p")
		echo "PostgreSQL $p clients mode=$mode per_s=$1 (rounds $3..$4) vs SQLite at 8: $2; $(cpu_note "$mode" pg "$p")"
		bench_fig PostgreSQL "decisions/s on PostgreSQL, $p clients, $what" "$1" /s \
			"SQLite, 8 processes, same round" "$sq" "$2" "$5" \
			"$ROUNDS rounds of ${SECS}s: $3..$4/s; errors, double decisions, leases left: $6; vs PostgreSQL's own commits/s at $p clients (pgbench, one-row INSERT a transaction: $bare/s) $vsbare; $(cpu_note "$mode" pg "$p")"
		if [ "$p" = 32 ] && [ "$mode" = two ]; then
			rate_goal=$(awk -v r="$2" 'BEGIN { print (r >= 1 ? "met" : "not met") }')
			rate_32=$1
			rate_base=$sq # SQLite's rate in the same mode
		fi
	done
done

# ---- goals ---------------------------------------------------------------
echo "== pg: goals (issue 13)"
echo "claim p50 < 1 ms at 10M cases over a Unix socket: $claim_goal ($claim µs at $(bench_k "$big"))"
bench_fig PostgreSQL "goal: claim p50 < 1 ms at 10M cases, Unix socket" "$claim" µs "goal" 1000 \
	"$(bench_ratio "$claim" 1000)" "" "$claim_goal"
if [ -n "$rate_goal" ]; then
	echo "decisions/s at 32 clients >= SQLite at 8 processes: $rate_goal ($rate_32/s vs $rate_base/s, claim then decide)"
	bench_fig PostgreSQL "goal: decisions/s at 32 clients >= SQLite at 8 processes (claim, decide)" "$rate_32" /s \
		"SQLite, 8 processes" "$rate_base" "$(bench_ratio "$rate_32" "$rate_base")" "" "$rate_goal"
fi
import_goal=$(awk -v r="$import_ratio" 'BEGIN { print (r >= 0.8 ? "met" : "not met") }')
printf '%s\n' "import >= 0.8x psql \\copy: $import_goal ($import_ratio; with only an id and a unique external id, \\copy itself reaches $keys_ratio)"
bench_fig PostgreSQL "goal: import >= 0.8x psql \\copy" "$import_ratio" x "goal" 0.8 \
	"$(bench_ratio "$import_ratio" 0.8)" "" "$import_goal"

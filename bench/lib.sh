# lib.sh: helpers sourced by the bench/*.sh scripts: a machine-readable
# result line per figure (for bench/report.sh), the shared generated stores.
#
# Results go to $BENCH_RESULTS when it is set (bench/run.sh sets it to
# bench/out/results.tsv and empties it first); run alone, a script only
# prints its human-readable lines. One line per figure, tab-separated:
#   kind section figure value unit baseline baseline_value ratio rss_kb note
# kind is "fig" (a figure: ratio = value / baseline unless the note says
# otherwise), "data" (a generated input: value = seconds to make it, note
# "generated" or "cached") or "time" (a section's wall time, from run.sh).
# Empty fields are "-".

bench_out=${bench_out:-$(cd "$(dirname "$0")" && pwd)/out}

# bench_row KIND SECTION FIGURE VALUE UNIT BASELINE BASEVALUE RATIO RSS NOTE
bench_row() {
	[ -n "${BENCH_RESULTS:-}" ] || return 0
	awk -v OFS='\t' 'BEGIN {
		for (i = 1; i < ARGC; i++) {
			v = ARGV[i]; gsub(/[\t\n]/, " ", v)
			line = line (i > 1 ? OFS : "") (v == "" ? "-" : v)
		}
		print line
	}' "$@" >>"$BENCH_RESULTS"
}

# bench_fig SECTION FIGURE VALUE UNIT BASELINE BASEVALUE RATIO RSS NOTE
bench_fig() { bench_row fig "$@"; }

# bench_data SECTION NAME SECONDS generated|cached [NOTE]
bench_data() { bench_row data "$1" "$2" "$3" s "" "" "" "" "$4${5:+; $5}"; }

# bench_ratio A B: A / B with 2 decimals ("-" when B is 0 or empty)
bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }

# bench_tool NAME: the path of bench/NAME.c's program for $DOCKET, made now
# when missing (make bench makes them all; a plain make does not). It links
# the library of the tree $DOCKET was built from, so it lives in that
# build: BUILD/bench/NAME beside BUILD/docket (or build/ of a tree whose
# own ./docket $DOCKET is), and is made there by that tree's Makefile. A
# binary outside a tree stops the script, saying what to build.
bench_tool() {
	_bd=$(cd "$(dirname "$DOCKET")" && pwd)
	if [ -f "$_bd/Makefile" ]; then
		_tree=$_bd
		_build=build
	else
		_tree=$(dirname "$_bd")
		_build=$(basename "$_bd")
	fi
	_tool="$_tree/$_build/bench/$1"
	[ -x "$_tool" ] && { echo "$_tool"; return 0; }
	if [ ! -f "$_tree/Makefile" ] || [ ! -f "$_tree/bench/$1.c" ]; then
		echo "bench: no $_tool, and $DOCKET is not in a docket tree that" \
			"could make it: run 'make BUILD=DIR DIR/bench/$1' in the tree" \
			"that built $DOCKET (DIR its build directory), or 'make bench'" >&2
		return 1
	fi
	echo "bench: making $_tool (make -C $_tree BUILD=$_build $_build/bench/$1)" >&2
	make -s -C "$_tree" BUILD="$_build" "$_build/bench/$1" >&2 || {
		echo "bench: could not make $_tool: run 'make -C $_tree" \
			"BUILD=$_build $_build/bench/$1' and see why" >&2
		return 1
	}
	echo "$_tool"
}

bench_now() { date +%s.%N; }
# bench_ms T0 T1: milliseconds from T0 to T1 (bench_now values)
bench_ms() { echo "($2 - $1) * 1000" | bc; }

# bench_best CMD...: the fastest of 3 runs of CMD in ms (the machine is
# shared: the minimum is the least disturbed run).
bench_best() {
	_b=""
	for _ in 1 2 3; do
		_t0=$(bench_now)
		"$@" >/dev/null
		_t=$(bench_ms "$_t0" "$(bench_now)")
		if [ -z "$_b" ] || [ "$(echo "$_t < $_b" | bc)" = 1 ]; then _b=$_t; fi
	done
	echo "$_b"
}

# bench_rss CMD...: peak RSS (KiB) of one more run of CMD.
bench_rss() {
	/usr/bin/time -f %M -o "$bench_out/.rss" "$@" >/dev/null
	cat "$bench_out/.rss"
	rm -f "$bench_out/.rss"
}
bench_since() { awk -v a="$1" -v b="$(bench_now)" 'BEGIN { printf "%.1f", b - a }'; }

# bench_queued STORE: cases still queued (0 when the store is unreadable)
bench_queued() {
	sqlite3 -batch -noheader "$1" \
		"SELECT coalesce(sum(n), 0) FROM counters WHERE state = 'queued'" \
		2>/dev/null || echo 0
}

# bench_store N: the path of the shared store of N generated cases
# (bench/make-store.sh; one model, 30% queued), bench/out/store-N.db, used by
# the queue and review benchmarks. Made when missing, when it does not hold N
# cases, or when fewer than 20% of them are still queued (each run decides a
# few thousand); otherwise reused as it is.
bench_store() {
	s="$bench_out/store-$1.db"
	have=$(sqlite3 -batch -noheader "$s" "SELECT coalesce(sum(n), 0) FROM counters" \
		2>/dev/null || echo 0)
	if [ "$have" != "$1" ] || [ "$(bench_queued "$s")" -lt $(($1 / 5)) ]; then
		t0=$(bench_now)
		DOCKET="$DOCKET" "$(dirname "$0")/make-store.sh" "$s" "$1" 2>"$s.log" ||
			{ cat "$s.log" >&2; return 1; }
		cat "$s.log" >&2
		bench_data "$(basename "$0" .sh)" "store-$1.db ($1 cases)" "$(bench_since "$t0")" generated
	else
		bench_data "$(basename "$0" .sh)" "store-$1.db ($1 cases)" - cached \
			"$(sqlite3 -batch -noheader "$s" "SELECT coalesce(max(seq), 0) FROM decisions") decisions from earlier runs in it"
	fi
	echo "$s"
}

# bench_k N: N for people: 1M, 10M, 100k, 1234
bench_k() {
	awk -v n="$1" 'BEGIN { if (n >= 1000000 && n % 1000000 == 0) print n / 1000000 "M";
		else if (n >= 1000 && n % 1000 == 0) print n / 1000 "k"; else print n }'
}

# bench_pg_tune CLUSTER SHARED_BUFFERS: a cluster of tests/pg/cluster.sh
# made a bench server: shared buffers as given (large enough for the 1M
# store), no checkpoint in the middle of a load; fsync and
# synchronous_commit stay on. Restarted as its owner (nobody when root:
# the server never runs as root).
bench_pg_tune() {
	psql -qX -v ON_ERROR_STOP=1 -d postgres >/dev/null <<SQL
ALTER SYSTEM SET shared_buffers = '$2';
ALTER SYSTEM SET max_wal_size = '8GB';
ALTER SYSTEM SET checkpoint_timeout = '30min';
ALTER SYSTEM SET maintenance_work_mem = '256MB';
SQL
	set -- "$DOCKET_PG_BIN/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 \
		-m fast restart
	if [ "$(id -u)" = 0 ]; then
		# (from /: nobody may not enter the caller's directory)
		(cd / && setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@") >/dev/null
	else
		"$@" >/dev/null
	fi
}

# bench_pg_ticks CLUSTER: the cluster's CPU so far, in clock ticks: the
# postmaster's own and its reaped children's (the backends that exited),
# and each live child's. Read it once the backends of a run are gone
# (bench_pg_settle), or their CPU is counted nowhere yet.
bench_pg_ticks() {
	_pm=$(head -n 1 "$1/data/postmaster.pid")
	set -- $(sed 's/.*) //' "/proc/$_pm/stat")
	_t=$((${12} + ${13} + ${14} + ${15}))
	for _p in $(pgrep -P "$_pm"); do
		set -- $(sed 's/.*) //' "/proc/$_p/stat" 2>/dev/null) || continue
		[ $# -gt 13 ] && _t=$((_t + ${12} + ${13}))
	done
	echo "$_t"
}

# bench_pg_kids CLUSTER: how many children the postmaster has.
bench_pg_kids() { pgrep -c -P "$(head -n 1 "$1/data/postmaster.pid")" || true; }

# bench_pg_settle CLUSTER N: wait (10 s at most) until the postmaster has
# at most N children, so the backends of a run have exited and been reaped.
bench_pg_settle() {
	_i=0
	while [ "$(bench_pg_kids "$1")" -gt "$2" ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

# bench_pg_rows_out DB FILE: the cases docket stored in database DB, every
# column in the table's order, in COPY's text format (what a store's rows
# are, as the import sends them), to FILE.
bench_pg_rows_out() {
	psql -qX -v ON_ERROR_STOP=1 -d "$1" \
		-c "\\copy (SELECT * FROM docket.cases ORDER BY id) TO '$2'" >/dev/null
}

# bench_pg_layout_table DB: in DB, where `docket init` made a store, the
# table layout: cases' columns, defaults, constraints and indexes (LIKE
# ... INCLUDING ALL), without its triggers. \copy of bench_pg_rows_out's
# file into it is what the stored rows cost by themselves: the second
# baseline of the import (the first is the CSV into a table of text).
bench_pg_layout_table() {
	psql -qX -v ON_ERROR_STOP=1 -d "$1" \
		-c "CREATE TABLE public.layout (LIKE docket.cases INCLUDING ALL)" >/dev/null
}

# bench_pg_keys_table DB CSV: in DB, a table `keys` of the CSV's columns
# as text, with the two keys any store of cases needs: a bigint id drawn
# from an identity (what the log, leases and reviews point at) and a
# unique (model, external id), the CSV's first column; no other index, no
# trigger. bench_pg_keys_copy DB CSV loads the CSV into it: against the
# plain table's \copy, the most an import that keeps those keys reaches.
bench_pg_keys_table() {
	_types=$(head -1 "$2" | awk -F, '{ for (i = 1; i <= NF; i++) printf "%s\"%s\" text", (i > 1 ? ", " : ""), $i }')
	psql -qX -v ON_ERROR_STOP=1 -d "$1" -c "CREATE TABLE public.keys (
		k bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		model_id integer NOT NULL DEFAULT 1, $_types,
		UNIQUE (model_id, \"$(head -1 "$2" | cut -d, -f1)\"))" >/dev/null
}
bench_pg_keys_copy() {
	_cols=$(head -1 "$2" | awk -F, '{ for (i = 1; i <= NF; i++) printf "%s\"%s\"", (i > 1 ? ", " : ""), $i }')
	psql -qX -v ON_ERROR_STOP=1 -d "$1" \
		-c "\\copy public.keys($_cols) FROM '$2' WITH (FORMAT csv, HEADER true)" >/dev/null
}

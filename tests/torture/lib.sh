# lib.sh: what the crash torture scripts (tests/torture/crash_*.sh) share: a
# seeded random source, the checks every store must pass after a kill -9,
# and the summary line. Source it after setting KIND (import, storm, export).
#
# Environment:
#   DOCKET                 the binary under test (required)
#   DOCKET_ROOT            the repository (sample-data/, tools/, bench/)
#   DOCKET_TORTURE_ROUNDS  how many rounds (each script has its default)
#   DOCKET_TORTURE_SEED    the seed to replay (default: a random one, printed)
#   DOCKET_TORTURE_START   the first round's number (default 1): with the
#                          seed and ROUNDS=1 it replays that round's kill
#                          moments and choices (timing still varies)
set -u
: "${DOCKET:?set DOCKET to the binary under test}"
: "${DOCKET_ROOT:?set DOCKET_ROOT to the repository}"
: "${KIND:?set KIND before sourcing torture/lib.sh}"

SEED=${DOCKET_TORTURE_SEED:-$(od -An -N3 -tu4 /dev/urandom | tr -d ' ')}
START=${DOCKET_TORTURE_START:-1}
echo "$KIND: seed $SEED (replay with DOCKET_TORTURE_SEED=$SEED)"

# Counts for the summary line.
ROUNDS_DONE=0 # rounds run
MID=0         # kills that landed while a docket process was running
LOST=0        # acknowledged decisions (or earlier data) missing afterwards
CORRUPT=0     # rounds whose store failed a check
ERRORS=0      # other failures (a docket command failing when it must not)

note() { echo "$KIND: round ${ROUND:-0}: $*" >&2; }

# rng_seed N: restart the random sequence (one per round, so a round can
# be replayed on its own). rnd N: R = a number in [0, N).
rng_seed() { RNG=$(( ($1 * 2654435761 + 12345) % 2147483648 )); }
rnd() {
	RNG=$(( (RNG * 1103515245 + 12345) % 2147483648 ))
	R=$(( (RNG >> 8) % $1 ))
}
# kill_delay T: R = when to kill an operation that takes T ms undisturbed:
# anywhere in 0 to 150% of T (a busy machine stretches it); in a run's
# last round, if no kill has landed mid-operation yet, in its first
# quarter, so that a short run (the t_crash_* tests' few rounds) proves
# something even when the machine ran faster than when T was measured.
kill_delay() {
	rnd $(($1 * 150 / 100 + 1))
	if [ "$MID" = 0 ] && [ $((ROUND + 1)) -ge "$end" ]; then
		R=$((R % ($1 / 4 + 1)))
	fi
}
# secs MS: MS milliseconds as sleep(1) takes them.
secs() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
# now_ms: the wall clock in milliseconds.
now_ms() { date +%s%3N; }

# kill_after MS WHAT CMD...: run CMD in the background (output to WHAT.out
# and WHAT.err), kill -9 it after MS milliseconds, and count the outcome:
# killed midway (MID), finished first (finished), or failed by itself
# (ERRORS, with a note). Sets rc to CMD's exit status (137: killed).
kill_after() {
	ka_ms=$1 ka_what=$2
	shift 2
	"$@" >"$ka_what.out" 2>"$ka_what.err" &
	ka_pid=$!
	sleep "$(secs "$ka_ms")"
	kill -9 $ka_pid 2>/dev/null || true
	wait $ka_pid 2>/dev/null
	rc=$?
	case $rc in
	137) MID=$((MID + 1)) ;;
	0) finished=$((finished + 1)) ;;
	*) note "$ka_what failed by itself (exit $rc): $(cat "$ka_what.err")"
	   ERRORS=$((ERRORS + 1)) ;;
	esac
}

q() { sqlite3 -batch -noheader -cmd ".timeout 10000" "$1" "$2"; }

# schema_of STORE: every table, index, trigger and view, by name, as text
schema_of() {
	q "$1" "SELECT group_concat(t, char(10)) FROM (SELECT type || ' ' || name
		|| ' ' || coalesce(sql, '-') AS t FROM sqlite_schema
		WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name)"
}

# check_store STORE: what must hold after any crash. Prints each problem
# and returns 1 if there is one.
check_store() {
	cs_ok=0
	# the schema is a fresh store's: no index lost (an import may drop
	# and build again the queue index inside its transaction)
	if [ -z "${FRESH_SCHEMA:-}" ]; then
		rm -f fresh-schema.db
		"$DOCKET" init fresh-schema.db >/dev/null
		FRESH_SCHEMA=$(schema_of fresh-schema.db)
		printf '%s\n' "$FRESH_SCHEMA" >fresh-schema.txt
	fi
	[ "$(schema_of "$1")" = "$FRESH_SCHEMA" ] ||
		{ note "the schema differs from a fresh store's: $(schema_of "$1" | diff fresh-schema.txt -)"; cs_ok=1; }
	ic=$(q "$1" "PRAGMA integrity_check" 2>&1)
	[ "$ic" = ok ] || { note "integrity_check: $ic"; cs_ok=1; }
	fk=$(q "$1" "PRAGMA foreign_key_check" 2>&1 | head -3)
	[ -z "$fk" ] || { note "foreign key violations: $fk"; cs_ok=1; }
	# the maintained counters equal the real counts
	bad=$(q "$1" "SELECT count(*) FROM (
		SELECT model_id, state, count(*) AS n FROM cases GROUP BY 1, 2) r
		FULL JOIN (SELECT model_id, state, n FROM counters WHERE n <> 0) c
		USING (model_id, state) WHERE r.n IS NOT c.n" 2>&1)
	[ "$bad" = 0 ] || { note "counters differ from the real counts: $bad"; cs_ok=1; }
	# a held case has a lease, a lease is on a held case
	bad=$(q "$1" "SELECT (SELECT count(*) FROM cases c WHERE state = 'held'
		AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.case_id = c.id))
		+ (SELECT count(*) FROM leases l JOIN cases c ON c.id = l.case_id
		WHERE c.state <> 'held')" 2>&1)
	[ "$bad" = 0 ] || { note "held cases and leases disagree: $bad"; cs_ok=1; }
	# verify: the chain, and every case's state replayed from its log
	if ! v=$("$DOCKET" verify "$1" 2>&1); then
		note "docket verify failed: $v"
		cs_ok=1
	fi
	return $cs_ok
}

# check_acked STORE FILE: every line "SEQ,HASH,ACTION,REVIEWER,ID" of FILE
# (a decision docket reported as saved) is in the store's log as printed.
# Adds what is missing to LOST.
check_acked() {
	[ -s "$2" ] || return 0
	# one query for the lot: load FILE into a temporary table
	missing=$(sqlite3 -batch -noheader -cmd ".timeout 10000" "$1" \
		"CREATE TEMP TABLE acked(seq INTEGER, hash TEXT, action TEXT,
		   reviewer TEXT, ext_id TEXT);" \
		".mode csv" ".import '$2' acked" ".mode list" \
		"SELECT a.seq || ' ' || a.action || ' ' || a.ext_id FROM acked a
		 LEFT JOIN decisions d ON d.seq = a.seq AND d.hash = a.hash
		   AND d.action = a.action AND d.reviewer = a.reviewer
		 LEFT JOIN cases c ON c.id = d.case_id AND c.ext_id = a.ext_id
		 WHERE c.id IS NULL" 2>&1)
	if [ -n "$missing" ]; then
		n=$(echo "$missing" | wc -l)
		LOST=$((LOST + n))
		note "$n acknowledged decisions are not in the log: $(echo "$missing" | head -5)"
		return 1
	fi
	return 0
}

# ack_line OUTPUT REVIEWER ACTION ID: the acknowledgement line check_acked
# reads, from the first line `docket decide` printed ({"seq":N,"hash":"H",...}).
ack_line() {
	al_seq=${1#*\"seq\":}
	al_seq=${al_seq%%,*}
	al_hash=${1#*\"hash\":\"}
	al_hash=${al_hash%%\"*}
	echo "$al_seq,$al_hash,$3,$2,$4"
}

# summary: the one line `make torture` collects; exit status 1 when
# anything was lost or corrupt, or no kill landed mid-operation.
summary() {
	echo "$KIND: $ROUNDS_DONE rounds, $MID kills mid-operation, $LOST lost decisions, $CORRUPT corrupt stores, $ERRORS other errors (seed $SEED)"
	[ "$LOST" = 0 ] && [ "$CORRUPT" = 0 ] && [ "$ERRORS" = 0 ] || return 1
	if [ "$MID" = 0 ]; then
		echo "$KIND: no kill landed in the middle of an operation: the run proved nothing" >&2
		return 1
	fi
	return 0
}

# lib.sh: assertions for the shell tests. Source it; every check that fails
# prints what was expected and what came, and exits the test.
set -u

fail() {
	echo "FAILED: $*" >&2
	exit 1
}

# run CMD...: run, keeping stdout in $out, stderr in $err, status in $rc.
run() {
	set +e
	"$@" >"$PWD/.out" 2>"$PWD/.err"
	rc=$?
	set -e
	out=$(cat "$PWD/.out")
	err=$(cat "$PWD/.err")
	[ "$test_engine" != postgres ] || pg_names "$@"
}

# pg_names ARG...: on PostgreSQL the wrapper gave docket a URI for each
# STORE path among ARGs, and docket names the store as it was given: put
# the path back in $out and $err, so a message reads as the user who typed
# the path would see it (the URI's host/port/user are the harness's).
pg_names() {
	# (the names are the caller's too: none it could be using)
	for _pg_arg in "$@"; do
		case $_pg_arg in
		*.db)
			_pg_pat="postgresql:///$(pg_store_db "$_pg_arg")?[^: ]*"
			out=$(printf '%s' "$out" | sed "s|$_pg_pat|$_pg_arg|g")
			err=$(printf '%s' "$err" | sed "s|$_pg_pat|$_pg_arg|g")
			;;
		esac
	done
}

expect_rc() {
	[ "$rc" -eq "$1" ] || fail "expected exit $1, got $rc
stdout: $out
stderr: $err"
}

# expect_out TEXT / expect_err TEXT: the output contains TEXT (fixed string).
expect_out() {
	case "$out" in *"$1"*) ;; *) fail "stdout lacks '$1'
stdout: $out
stderr: $err" ;; esac
}
expect_err() {
	case "$err" in *"$1"*) ;; *) fail "stderr lacks '$1'
stderr: $err" ;; esac
}
expect_err_exact() {
	[ "$err" = "$1" ] || fail "stderr differs
expected: $1
got:      $err"
}

# The suite runs on either engine (issue 13): DOCKET_TEST_ENGINE=postgres
# is set by tests/pg/run-sh-pg.sh, whose docket wrapper turns each STORE
# path into a database of its cluster (PGHOST/PGPORT in the environment).
test_engine=${DOCKET_TEST_ENGINE:-sqlite}
# A t_pg_* test starts its own cluster and runs both engines itself: the
# SQLite run (make test runs both) has run it; the PostgreSQL run skips
# it, unless DOCKET_PG_SUITE_ALL=1, where it runs as in the SQLite one,
# with the real binary.
case $(basename "$0") in
t_pg_*)
	if [ "$test_engine" = postgres ] && [ -n "${DOCKET_PG_SUITE_REAL:-}" ]; then
		if [ "${DOCKET_PG_SUITE_ALL:-0}" != 1 ]; then
			echo "runs both engines itself: in the SQLite run"
			exit 77
		fi
		DOCKET=$DOCKET_PG_SUITE_REAL
		DOCKET_PLAIN=$DOCKET_PG_SUITE_PLAIN
		test_engine=sqlite
		export DOCKET DOCKET_PLAIN DOCKET_TEST_ENGINE=sqlite
	fi ;;
esac

# pg_store_db STORE: the database the wrapper maps the path STORE to (the
# same md5 of the absolute path as tests/pg/run-sh-pg.sh).
pg_store_db() {
	case $1 in /*) set -- "$1" ;; *) set -- "$PWD/$1" ;; esac
	printf 's_%s' "$(printf '%s' "$1" | md5sum | cut -c1-20)"
}

# sql STORE QUERY: one value from the store with the sqlite3 CLI, or on
# PostgreSQL with psql in the store's schema, printed the same way ('|'
# between columns, no header).
sql() {
	if [ "$test_engine" = postgres ]; then
		PGOPTIONS='-c search_path=docket,pg_catalog' psql -qAtX -F'|' \
			-v ON_ERROR_STOP=1 -d "$(pg_store_db "$1")" -c "$2"
	elif [ -f "${DOCKET_SQLEXT:-}" ]; then
		sqlite3 -batch -noheader -cmd ".load ${DOCKET_SQLEXT%.so}" "$1" "$2"
	else
		sqlite3 -batch -noheader "$1" "$2"
	fi
}

# case_obj ALIAS COLUMN: SQL for a case's context, probs or attributions
# (cases ALIAS) as the object it was imported as, for sql. On SQLite a
# case may hold just its values in its batch's key order (an array, or
# numbers packed: casejson.h): docket_obj (tests/casejson_sql.c) expands
# them with docket's own decoder, so tests that read the store see what
# docket's readers see. (Without it, for an older build: arrays only, by
# that expansion written again in SQL; -> keeps each element's text.) On
# PostgreSQL a context is an object, probabilities and attributions may be
# arrays of JSON text (import.c), expanded here in SQL (json keeps each
# element's text).
case_obj() {
	if [ "$test_engine" = postgres ]; then
		case_obj_pg "$@"
		return
	fi
	case $2 in context) _k=ctx_keys ;; probs) _k=prob_keys ;; *) _k=attr_keys ;; esac
	if [ -f "${DOCKET_SQLEXT:-}" ]; then
		printf "docket_obj(%s.%s, (SELECT kb.%s FROM batches kb WHERE kb.id = %s.batch_id))" \
			"$1" "$2" "$_k" "$1"
		return
	fi
	printf "(CASE WHEN substr(%s.%s, 1, 1) = '[' THEN (SELECT '{' || group_concat(
(kb.%s -> ('\$[' || kj.key || ']')) || ':' || (%s.%s -> ('\$[' || kj.key || ']')), ',')
|| '}' FROM batches kb, json_each(%s.%s) kj WHERE kb.id = %s.batch_id) ELSE %s.%s END)" \
		"$1" "$2" "$_k" "$1" "$2" "$1" "$2" "$1" "$1" "$2"
}

# case_obj_pg ALIAS COLUMN: case_obj's SQL for a PostgreSQL store, whatever
# the engine of the run (the t_pg_* tests read both).
case_obj_pg() {
	if [ "$2" = context ]; then
		printf '%s.%s' "$1" "$2"
		return
	fi
	case $2 in probs) _k=prob_keys ;; *) _k=attr_keys ;; esac
	printf "(CASE WHEN left(%s.%s, 1) = '[' THEN (SELECT '{' || string_agg(
kk.k::text || ':' || vv.v::text, ',' ORDER BY kk.n) || '}' FROM batches kb,
json_array_elements(CAST(kb.%s AS json)) WITH ORDINALITY kk(k, n),
json_array_elements(CAST(%s.%s AS json)) WITH ORDINALITY vv(v, n)
WHERE kb.id = %s.batch_id AND kk.n = vv.n) ELSE %s.%s END)" \
		"$1" "$2" "$_k" "$1" "$2" "$1" "$1" "$2"
}

# sql_forge STORE QUERY: a write past docket, as the store's owner could
# make it (on PostgreSQL its superuser, with the triggers off).
sql_forge() {
	if [ "$test_engine" = postgres ]; then
		PGOPTIONS='-c search_path=docket,pg_catalog -c session_replication_role=replica' \
			psql -qAtX -F'|' -v ON_ERROR_STOP=1 -d "$(pg_store_db "$1")" -c "$2"
	else
		sqlite3 "$1" "$2"
	fi
}

# make_supervisor STORE NAME: NAME made a supervisor behind docket's back
# (no log entry): the reviewers row, and on PostgreSQL the store's group
# role that says what NAME may do (grant_role: the store's supervisor role,
# and not its reviewer role).
make_supervisor() {
	sql_forge "$1" "UPDATE reviewers SET role = 'supervisor' WHERE name = '$2'"
	if [ "$test_engine" = postgres ]; then
		sql "$1" "SELECT grant_role('$2', 'supervisor')" >/dev/null
	fi
}

# sql_in STORE: run the SQL on stdin in the store (a fixture's rows).
sql_in() {
	if [ "$test_engine" = postgres ]; then
		PGOPTIONS='-c search_path=docket,pg_catalog' psql -qAtX -F'|' \
			-v ON_ERROR_STOP=1 -d "$(pg_store_db "$1")" -f -
	else
		sqlite3 -batch "$1"
	fi
}

# dump STORE: a text image of every table, to compare before and after.
dump() {
	if [ "$test_engine" = postgres ]; then
		# (not the sequences' positions: a rolled-back insert moves
		# them on, and no row changes; nor pg_dump's random \restrict
		# key, new on each run)
		pg_dump --schema=docket --no-owner -d "$(pg_store_db "$1")" |
			grep -Ev '^(SELECT pg_catalog\.setval\(|\\(un)?restrict )'
	else
		sqlite3 -batch "$1" .dump
	fi
}

# store_copy FROM TO / store_rm STORE: copy a store (none may have it
# open) / remove one: the file, or on PostgreSQL the database (copied as a
# template).
store_copy() {
	if [ "$test_engine" = postgres ]; then
		psql -qX -v ON_ERROR_STOP=1 -d postgres \
			-c "DROP DATABASE IF EXISTS $(pg_store_db "$2")" \
			-c "CREATE DATABASE $(pg_store_db "$2") TEMPLATE $(pg_store_db "$1")"
	else
		cp "$1" "$2"
	fi
}
store_rm() {
	if [ "$test_engine" = postgres ]; then
		psql -qX -v ON_ERROR_STOP=1 -d postgres \
			-c "DROP DATABASE IF EXISTS $(pg_store_db "$1")"
	else
		rm -f "$1"
	fi
}

# on_sqlite: the store is an SQLite file (for the checks of the file
# itself among a test's others: its mode, its journal).
on_sqlite() {
	[ "$test_engine" = sqlite ]
}

# expect_no_store STORE: $err says no store is there: no such file, or on
# PostgreSQL no such database (the wrapper makes one at init or import).
expect_no_store() {
	if [ "$test_engine" = postgres ]; then
		expect_err "$1: cannot connect"
		expect_err "database \"$(pg_store_db "$1")\" does not exist"
	else
		expect_err "$1: no such store"
	fi
}

# pg_pending WHY: this test does not pass on PostgreSQL yet (issue 13):
# skipped there (77) with WHY, so the PostgreSQL run's skips list what is
# left to do. Not for a test about the file: that is sqlite_only.
pg_pending() {
	if [ "$test_engine" = postgres ]; then
		echo "not yet on PostgreSQL: $1"
		exit 77
	fi
}

# old_sqlite_store DUMP STORE: the SQLite store that tests/sh/DUMP (a
# .dump made by an older docket, which says how) holds, as STORE of the
# test's engine: the file itself, or on PostgreSQL moved into a new
# database by docket migrate, history and all.
old_sqlite_store() {
	sqlite3 -batch "$2.sqlite" <"$DOCKET_TESTS/sh/$1" >/dev/null
	chmod 600 "$2.sqlite"
	if [ "$test_engine" = postgres ]; then
		psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $(pg_store_db "$2")"
		run "$DOCKET" migrate "$2.sqlite" "$2"
		expect_rc 0
		rm -f "$2.sqlite"
	else
		mv "$2.sqlite" "$2"
	fi
}

# sqlite_only WHY: this test is about the SQLite file itself (its modes,
# its -wal/-shm, the sqlite3 CLI's view of it, a crash of the file): on
# PostgreSQL it has nothing to test, so it is skipped (77) with WHY.
sqlite_only() {
	if [ "$test_engine" = postgres ]; then
		echo "SQLite only: $1"
		exit 77
	fi
}

set -e

# fault_store STORE: the store of the t_fault_* tests: the credit sample,
# reviewer ann with three accepts and one case she still holds ($held, whose
# other label is $other), and more.csv (5,000 rows) to import later.
fault_store() {
	python3 "$DOCKET_ROOT/tools/gen_predictions.py" --rows 5000 --seed 3 --out more.csv
	run "$DOCKET" import "$1" "$DOCKET_ROOT/sample-data/credit.csv" --model credit
	expect_rc 0
	run "$DOCKET" reviewer add "$1" ann
	expect_rc 0
	for _ in 1 2 3; do
		run "$DOCKET" next "$1" --reviewer ann
		expect_rc 0
		run "$DOCKET" decide "$1" "$(echo "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/')" \
			--reviewer ann --action accept
		expect_rc 0
	done
	run "$DOCKET" next "$1" --reviewer ann
	expect_rc 0
	held=$(echo "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/')
	case "$out" in *'"prediction":"good"'*) other=bad ;; *) other=good ;; esac
}

# fault_check STORE: after a failed write, a fault_store store is whole: it
# passes integrity_check and verify, ann's three accepts are there, the
# counters equal the real counts and $held is still hers.
fault_check() {
	[ "$(sql "$1" "PRAGMA integrity_check")" = ok ] || fail "integrity_check"
	run "$DOCKET" verify "$1"
	expect_rc 0
	expect_out "chain: 6 entries, intact" # init, import, ann added, 3 accepts
	expect_out "cases: 3 with decisions, states agree with the log"
	[ "$(sql "$1" "SELECT count(*) FROM decisions WHERE action = 'accept' AND reviewer = 'ann'")" = 3 ] ||
		fail "earlier decisions lost"
	[ "$(sql "$1" "SELECT count(*) FROM (SELECT model_id, state, count(*) AS n FROM cases
		GROUP BY 1, 2) r LEFT JOIN counters c USING (model_id, state) WHERE r.n IS NOT c.n")" = 0 ] ||
		fail "counters differ from the real counts"
	[ "$(sql "$1" "SELECT state FROM cases WHERE ext_id = '$held'")" = held ] ||
		fail "ann's case is no longer held"
}

# monitor_store STORE AUDIT_RATE: the t_estimate/t_fairness store: 1,500
# generated cases of model m whose true labels are in truth.csv (written
# here, with p.csv), policy threshold 0.7 and AUDIT_RATE, every routed
# case decided by ann with its true label. The audit sample is drawn from
# a hash of the id and the model's salt, which import makes at random: a
# fixed salt makes the sample, and so every figure, the same on every run
# (the policy re-routes with it).
monitor_store() {
	fx="$DOCKET_TESTS/sh/monitor_fixture.py"
	python3 "$fx" gen 1500 1 p.csv truth.csv
	run "$DOCKET" import "$1" p.csv --model m
	expect_rc 0
	sql "$1" "UPDATE models SET audit_salt = 'monitor-test-salt'"
	run "$DOCKET" policy "$1" --model m --threshold 0.7 --audit-rate "$2"
	expect_rc 0
	run "$DOCKET" reviewer add "$1" ann
	expect_rc 0
	python3 "$fx" review "$1" truth.csv "$DOCKET" >/dev/null
}

# pg_revision: the PostgreSQL revision this docket upgrades a store to
# (src/engine/pg.h's PG_REVISION), for upgrade tests to expect.
pg_revision() {
	sed -n 's/^#define PG_REVISION \([0-9][0-9]*\)$/\1/p' "$DOCKET_ROOT/src/engine/pg.h"
}

# pg_old_store DB FIXTURE: a store an older docket made (a pg_dump in
# tests/pg/) restored into a new database DB, beside its group roles and
# two members of them: alice a reviewer, sam a supervisor (made by the
# first call: a test may restore several).
pg_old_store() {
	psql -qX -v ON_ERROR_STOP=1 -d postgres >/dev/null <<SQL
CREATE ROLE docket_reviewer_$1 NOLOGIN;
CREATE ROLE docket_supervisor_$1 NOLOGIN;
SELECT 'CREATE ROLE ' || r || ' LOGIN' FROM (VALUES ('alice'), ('sam')) v(r)
	WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec
GRANT docket_reviewer_$1 TO alice;
GRANT docket_supervisor_$1 TO sam;
CREATE DATABASE $1;
SQL
	psql -qX -v ON_ERROR_STOP=1 -d "$1" -f "$DOCKET_TESTS/pg/$2" >/dev/null
}

# pg_until_waits WHO [COND]: SQL for a psql session that orders its steps
# after another's: it goes on once a session of role WHO, not its own,
# waits for a lock (COND: more on pg_locks l, such as "AND l.objid = 3"),
# or after 10 s (the step the test made is then missing, and it says so).
# pg_stat_activity is read afresh each time: a transaction keeps its first.
pg_until_waits() {
	cat <<SQL
DO \$\$ BEGIN
  FOR i IN 1..200 LOOP
    EXIT WHEN EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a
      ON a.pid = l.pid WHERE a.usename = '$1' AND a.pid <> pg_backend_pid()
      AND NOT l.granted ${2:-});
    PERFORM pg_sleep(0.05);
    PERFORM pg_stat_clear_snapshot();
  END LOOP;
END \$\$;
SQL
}

# pg_start DIR: a throwaway PostgreSQL cluster in DIR (tests/pg/cluster.sh)
# for a t_pg_* test, with PGHOST, PGPORT, PGUSER and DOCKET_PG_URI exported;
# the test is skipped (77) where no server is installed. The caller's trap
# stops it: "$DOCKET_TESTS/pg/cluster.sh" stop DIR.
pg_start() {
	set +e
	pg_envs=$("$DOCKET_TESTS/pg/cluster.sh" start "$1")
	pg_crc=$?
	set -e
	[ $pg_crc -eq 77 ] && { echo "no PostgreSQL server installed"; exit 77; }
	[ $pg_crc -eq 0 ] || fail "the cluster did not start"
	set -a
	eval "$pg_envs"
	set +a
}

# pg_own_cluster: pg_start in $TMPDIR/pg ($pgdir), stopped when the test
# exits, with the user running the test a superuser login role ($me), as
# docket logs in when a URI names no user.
pg_own_cluster() {
	pgdir="$TMPDIR/pg"
	trap '"$DOCKET_TESTS/pg/cluster.sh" stop "$pgdir" >/dev/null 2>&1 || true' EXIT
	pg_start "$pgdir"
	me=$(id -un)
	psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE \"$me\" LOGIN SUPERUSER" >/dev/null
}

# pg_team ROWS: a store in database postgres of pg_own_cluster's, with
# login roles sam (supervisor), alice and bob (reviewers), and the first
# ROWS cases of sample-data/credit.csv (c.csv) imported by sam as model
# credit; uri ROLE names it as ROLE.
pg_team() {
	uri() { echo "postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=$1"; }
	psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE alice LOGIN" \
		-c "CREATE ROLE bob LOGIN" -c "CREATE ROLE sam LOGIN" >/dev/null
	run "$DOCKET" init "$(uri postgres)"
	expect_rc 0
	run "$DOCKET" reviewer add "$(uri postgres)" sam --role supervisor
	expect_rc 0
	for r in alice bob; do
		run "$DOCKET" reviewer add "$(uri sam)" $r
		expect_rc 0
	done
	head -n "$(($1 + 1))" "$DOCKET_ROOT/sample-data/credit.csv" >c.csv
	run "$DOCKET" import "$(uri sam)" c.csv --model credit
	expect_rc 0
}

# pg_mid_head WHO CASE ACTION, pg_mid_tail REASON (an SQL literal or
# NULL; no note, seconds, reference or detail): SQL of the canonical bytes
# docket's decide() takes beside an entry's fields, in hex
# (audit_middle_split_hex: per field an 8-byte length, all ones for none,
# then its UTF-8 bytes); the database checks them against the fields.
pg_mid_field() {
	if [ "$1" = NULL ]; then
		echo "CAST('\\xffffffffffffffff' AS bytea)"
	else
		echo "(int8send(CAST(octet_length(convert_to($1, 'UTF8')) AS bigint))" \
			"|| convert_to($1, 'UTF8'))"
	fi
}
pg_mid_head() {
	echo "encode($(pg_mid_field "'$1'") || $(pg_mid_field "'$2'") || $(pg_mid_field "'$3'"), 'hex')"
}
pg_mid_tail() {
	echo "encode($(pg_mid_field "$1") || $(pg_mid_field NULL) || $(pg_mid_field NULL)" \
		"|| $(pg_mid_field NULL) || $(pg_mid_field NULL), 'hex')"
}

# pg_entry SELECT: SQL inserting the log entry whose fields SELECT names
# (columns of decisions by name: seq, at, reviewer, ...; the rest none),
# with the hash docket gives them (docket.entry_hash, which the database
# checks): for a test of another rule of the log's than the hash's.
pg_entry() {
	echo "INSERT INTO docket.decisions(seq, at, reviewer, case_id, action,
	model_label, label, reason, note, seconds, ref_seq, detail, prev_hash, hash)
	SELECT d.seq, d.at, d.reviewer, d.case_id, d.action, d.model_label, d.label,
	d.reason, d.note, d.seconds, d.ref_seq, d.detail, d.prev_hash,
	docket.entry_hash(d.seq, d.at, d.reviewer, d.case_id, d.action,
	d.model_label, d.label, d.reason, d.note, d.seconds, d.ref_seq, d.detail,
	d.prev_hash) FROM (SELECT (json_populate_record(NULL::docket.decisions,
	to_json(g))).* FROM ($1) g) d"
}

# pg_as USER DB SQL...: SQL run by psql as USER in database DB, docket's
# schema first on the search path; stops at the first error.
pg_as() {
	pg_as_u=$1
	pg_as_d=$2
	shift 2
	psql -qAtX -v ON_ERROR_STOP=1 -d "$pg_as_d" -U "$pg_as_u" \
		-c "SET search_path = docket, pg_catalog" -c "$*"
}

# pg_refused USER DB ERROR SQL...: PostgreSQL refuses SQL as USER in DB,
# and its message holds ERROR (the test fails otherwise).
pg_refused() {
	pg_r_u=$1
	pg_r_d=$2
	pg_r_want=$3
	shift 3
	set +e
	pg_r_got=$(pg_as "$pg_r_u" "$pg_r_d" "$*" 2>&1)
	pg_r_rc=$?
	set -e
	[ $pg_r_rc -ne 0 ] || fail "$pg_r_u was allowed in $pg_r_d: $*
$pg_r_got"
	case "$pg_r_got" in *"$pg_r_want"*) ;; *) fail "$pg_r_u in $pg_r_d: $*
expected: $pg_r_want
got: $pg_r_got" ;; esac
}

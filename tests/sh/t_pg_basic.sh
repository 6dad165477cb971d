# The main flow on PostgreSQL gives what it gives on SQLite: the same
# commands on the same input at the same clock (and, in the test build, the
# same random salts), on an SQLite store and on a PostgreSQL store, print
# the same, byte for byte: init, import, queue, next, decide (accept,
# override, escalate, skip, undo, resolve), log in every format (and by
# case), cases, stats, drift, policy (and its re-route), report, export,
# verify's head, and import's duplicate-id errors. Then what only
# PostgreSQL has: a store refused where none was made, the log append-only
# against psql and a rewrite caught by verify, no password in messages,
# concurrent claims, a lost connection and a server gone named, never a
# crash.
. "$DOCKET_TESTS/sh/lib.sh"

# docket connects as a role named as the user running the test, so the
# store's creator (and the reviewer of every decision below) has the same
# name on both engines.
pg_own_cluster
psql -qX -v ON_ERROR_STOP=1 -d postgres <<SQL
CREATE ROLE alice LOGIN;
SQL
uri() { # uri USER
	echo "postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=$1"
}
PG=$(uri "$me")

# A store where none was made is refused, and nothing is created.
run "$DOCKET" queue "$PG"
expect_rc 1
expect_err "no docket store in this database (create one with docket init"
[ "$(psql -qAtX -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'docket'")" = 0 ] ||
	fail "a refused open created the schema"

# flow STORE DIR: the main flow, every command's output and status in
# DIR/N.out, its errors in DIR/N.err.
flow() {
	store=$1
	dir=$2
	mkdir -p "$dir"
	n=0
	step() { # step CMD...: run, keep the outputs and status in order
		n=$((n + 1))
		set +e
		"$@" >"$dir/$n.out" 2>"$dir/$n.err"
		printf "\nrc=%s\n" $? >>"$dir/$n.out"
		set -e
	}
	# the same clock, and the same salts and store id (test build)
	export DOCKET_NOW=2026-03-01T09:00:00Z DOCKET_RANDOM_SEED=t_pg_basic
	step "$DOCKET" init "$store"
	step "$DOCKET" import "$store" "$DOCKET_ROOT/sample-data/credit.csv" --model credit
	step "$DOCKET" import "$store" "$DOCKET_ROOT/sample-data/reviews.jsonl" --model reviews
	step "$DOCKET" reviewer add "$store" alice
	step "$DOCKET" reviewer list "$store"
	step "$DOCKET" queue "$store"
	# Decisions by the store's creator (the reviewer is who runs docket:
	# on PostgreSQL the role logged in, here the same name on both).
	i=0
	for act in accept override escalate accept skip override; do
		i=$((i + 1))
		export DOCKET_NOW=2026-03-01T09:0$i:00Z
		step "$DOCKET" next "$store" --model credit
		id=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' "$dir/$n.out")
		case $act in
		override) extra="--label $(sed -n 's/.*"prediction":"good".*/bad/p; s/.*"prediction":"bad".*/good/p' "$dir/$n.out")" ;;
		escalate | skip) extra="--reason ambiguous" ;;
		*) extra= ;;
		esac
		step "$DOCKET" decide "$store" "$id" --action $act $extra --seconds 7 --note "note $i"
		[ $act = escalate ] && esc=$id
	done
	export DOCKET_NOW=2026-03-01T09:20:00Z
	step "$DOCKET" next "$store" --model reviews
	id=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' "$dir/$n.out")
	step "$DOCKET" decide "$store" "$id" --action accept --seconds 3
	step "$DOCKET" decide "$store" "$id" --action undo
	step "$DOCKET" decide "$store" "$esc" --action resolve --label good --model credit
	step "$DOCKET" queue "$store"
	for f in table jsonl csv; do
		step "$DOCKET" log "$store" --format $f
	done
	step "$DOCKET" log "$store" --reviewer alice --format csv
	step "$DOCKET" log "$store" --action override
	step "$DOCKET" log "$store" --case "$esc" --format csv
	step "$DOCKET" cases "$store"
	step "$DOCKET" cases "$store" --state done --format jsonl
	step "$DOCKET" cases "$store" --state escalated --format csv
	step "$DOCKET" cases "$store" --state queued --limit 5
	step "$DOCKET" stats "$store" --format json
	step "$DOCKET" stats "$store"
	step "$DOCKET" stats "$store" --model credit --by Home --format json
	step "$DOCKET" drift "$store" --model credit
	step "$DOCKET" drift "$store" --model reviews --format json
	step "$DOCKET" policy "$store" --model credit
	# a re-route of the undecided cases (on PostgreSQL a statement for
	# each chunk of cases, not one for each case): the same states,
	# reasons, reviews needed and claim order (urgency)
	step "$DOCKET" policy "$store" --model credit --threshold 0.9 --audit-rate 0.2 --double-rate 0.3
	step "$DOCKET" policy "$store" --model reviews --margin 0.4 --entropy 0.5 --json
	step "$DOCKET" cases "$store" --state queued --format jsonl
	step "$DOCKET" cases "$store" --state auto --format csv
	step "$DOCKET" queue "$store"
	step "$DOCKET" report "$store" --model credit --out "$dir/report.html"
	step "$DOCKET" export "$store" --out "$dir/export.csv"
	step "$DOCKET" export "$store" --out "$dir/export.jsonl" --only all
	step "$DOCKET" verify "$store"
	step "$DOCKET" log "$store" --action export --format jsonl
}

# Both runs write into out/ (export entries name the file), kept apart
# after.
flow "$PWD/s.db" out
mv out lite
flow "$PG" out
mv out pg

# Every step worked (so the comparison below compares work done).
for f in lite/*.out; do
	tail -n 1 "$f" | grep -qx 'rc=0' || fail "$f: $(cat "$f" "${f%.out}.err")"
done
grep -q '"action":"escalate","state":"escalated"' lite/*.out || fail "no escalation"
grep -q '"action":"skip"' lite/*.out || fail "no skip"
grep -q '"action":"resolve","state":"done"' lite/*.out || fail "no resolve"
grep -q '^re-routed 4448 undecided cases: 1318 newly queued, 0 no longer routed, 3363 changed$' lite/*.out ||
	fail "the re-route (more than one chunk of cases) did not change what it should: $(grep -h '^re-routed' lite/*.out)"

# The outputs are the same but for the name of the store.
# (reviewer list on PostgreSQL ends with the store's group roles, which
# SQLite has not)
norm() {
	sed -e "s|$PWD/s.db|STORE|g" -e "s|postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=[a-z]*|STORE|g" \
		-e '/^group roles: docket_reviewer_postgres (reviewers), docket_supervisor_postgres (supervisors)$/d' \
		"$1"
}
grep -qx 'group roles: docket_reviewer_postgres (reviewers), docket_supervisor_postgres (supervisors)' pg/*.out ||
	fail "reviewer list does not name the store's group roles"
for f in lite/*.out lite/*.err lite/export.csv lite/export.jsonl lite/report.html; do
	g=pg/${f#lite/}
	[ -f "$g" ] || fail "$g missing"
	if ! norm "$f" >a.txt || ! norm "$g" >b.txt || ! cmp -s a.txt b.txt; then
		diff a.txt b.txt | head -n 20 >&2
		fail "$f differs between SQLite and PostgreSQL"
	fi
done

# Import's errors that come from the database: an id twice in one file
# (in one batch of rows and across batches) and an id already in the
# store. On PostgreSQL the failed insert must not leave the import's
# transaction unusable for finding the clash.
head -n 1 "$DOCKET_ROOT/sample-data/credit.csv" >dup_near.csv
sed -n '2,40p' "$DOCKET_ROOT/sample-data/credit.csv" >>dup_near.csv
sed -n '20p' "$DOCKET_ROOT/sample-data/credit.csv" >>dup_near.csv
head -n 1 "$DOCKET_ROOT/sample-data/credit.csv" >dup_far.csv
sed -n '2,3000p' "$DOCKET_ROOT/sample-data/credit.csv" >>dup_far.csv
sed -n '1500p' "$DOCKET_ROOT/sample-data/credit.csv" >>dup_far.csv
sed -n '3001,3100p' "$DOCKET_ROOT/sample-data/credit.csv" >>dup_far.csv
dups() {
	dir=$2
	mkdir -p "$dir"
	n=0
	export DOCKET_NOW=2026-03-02T09:00:00Z
	step "$DOCKET" import "$1" dup_near.csv --model dup
	step "$DOCKET" import "$1" dup_far.csv --model dup
	step "$DOCKET" import "$1" "$DOCKET_ROOT/sample-data/credit.csv" --model credit --force
	step "$DOCKET" queue "$1"
}
dups "$PWD/s.db" out
mv out lite_dup
dups "$PG" out
mv out pg_dup
for f in lite_dup/*.out; do
	tail -n 1 "$f" | grep -qx 'rc=1' || [ "$f" = lite_dup/4.out ] || fail "$f: $(cat "$f")"
done
grep -q "appears earlier in this file, at line 20" lite_dup/1.err || fail "$(cat lite_dup/1.err)"
grep -q "appears earlier in this file, at line 1500" lite_dup/2.err || fail "$(cat lite_dup/2.err)"
grep -q "already in the store for model credit" lite_dup/3.err || fail "$(cat lite_dup/3.err)"
for f in lite_dup/*; do
	norm "$f" >a.txt
	norm "pg_dup/${f#lite_dup/}" >b.txt
	cmp -s a.txt b.txt || { diff a.txt b.txt >&2; fail "$f differs between SQLite and PostgreSQL"; }
done

# verify printed the head, the same on both engines (compared above).
head=$(grep -E '^[0-9]+:[0-9a-f]{64}$' pg/*.out | tail -n 1)
[ -n "$head" ] || fail "verify printed no head"

# The log is append-only in the database itself: refused from psql, even
# to the superuser, unless the triggers are taken off (which only the
# schema's owner can do) -- and then verify catches the change.
set +e
msg=$(psql -qX -v ON_ERROR_STOP=1 -c "UPDATE docket.decisions SET note = 'x' WHERE seq = 6" 2>&1)
prc=$?
set -e
[ $prc -ne 0 ] || fail "an UPDATE of the log went through"
case $msg in *"append-only"*) ;; *) fail "UPDATE refused for another reason: $msg" ;; esac
set +e
psql -qX -v ON_ERROR_STOP=1 -c "DELETE FROM docket.decisions WHERE seq = 12" >/dev/null 2>&1 &&
	fail "a DELETE from the log went through"
psql -qX -v ON_ERROR_STOP=1 -c "INSERT INTO docket.decisions(seq, at, reviewer, action, prev_hash, hash) VALUES (100, 0, 'x', 'accept', '', '')" >/dev/null 2>&1 &&
	fail "an entry past the end of the chain went in"
set -e
run "$DOCKET" verify "$PG"
expect_rc 0
psql -qX -v ON_ERROR_STOP=1 -c "ALTER TABLE docket.decisions DISABLE TRIGGER USER;
	UPDATE docket.decisions SET note = 'rewritten' WHERE seq = 6;
	ALTER TABLE docket.decisions ENABLE TRIGGER USER"
run "$DOCKET" verify "$PG"
expect_rc 1
expect_err "audit chain broken at entry 6"

# Messages name the store without its password.
run "$DOCKET" queue "postgresql://$me:s3cret@/nosuchdb?host=$PGHOST&port=$PGPORT"
expect_rc 1
expect_err "cannot connect"
case "$err" in *s3cret*) fail "the password is in the message: $err" ;; esac
run "$DOCKET" queue "postgresql:///nosuchdb?host=$PGHOST&port=$PGPORT&password=s3cret&user=$me"
expect_rc 1
case "$err" in *s3cret*) fail "the password is in the message: $err" ;; esac
expect_err "user=$me"

# A connection lost before a decision (the test build's fault ends the
# session from the server's side): a clear message, exit 1, nothing
# recorded, and the decision goes through once the database is back.
run "$DOCKET" next "$PG" --model credit
expect_rc 0
id=$(echo "$out" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
before=$(psql -qAtX -c "SELECT count(*) FROM docket.decisions")
run env DOCKET_FAULT=pg-lost "$DOCKET" decide "$PG" "$id" --action accept
expect_rc 1
expect_err "lost the connection to the database"
[ "$(psql -qAtX -c "SELECT count(*) FROM docket.decisions")" = "$before" ] ||
	fail "a decision whose connection was lost was recorded"
run "$DOCKET" decide "$PG" "$id" --action accept
expect_rc 0
expect_out '"action":"accept","state":"done"'

# Claims and decisions at once from several processes: each case to one
# claim only (FOR UPDATE SKIP LOCKED on PostgreSQL; claims do not wait for
# the writer lock), every decision recorded once, the chain intact, and the
# counters the queue shows agree with the cases.
export DOCKET_NOW=2026-03-02T10:00:00Z
held0=$(psql -qAtX -c "SELECT count(*) FROM docket.leases")
log0=$(psql -qAtX -c "SELECT count(*) FROM docket.decisions")
for w in 1 2 3 4 5 6; do
	(
		k=0
		while [ $k -lt 15 ]; do
			j=$("$DOCKET" next "$PG" --model credit 2>>"claims.err") || exit 1
			echo "$j" >>"claims.$w"
			id=$(echo "$j" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
			tok=$(echo "$j" | sed 's/.*"token":\([0-9]*\).*/\1/')
			if [ $((k % 3)) = 2 ]; then
				k=$((k + 1))
				continue # kept: a lease left held
			fi
			"$DOCKET" decide "$PG" "$id" --action accept --token "$tok" \
				>/dev/null 2>>"claims.err" || exit 1
			k=$((k + 1))
		done
	) &
done
wait
[ ! -s claims.err ] || fail "claims or decisions failed: $(cat claims.err)"
cat claims.[1-6] | sed -n 's/^{"id":"\([^"]*\)".*/\1/p' | sort >ids
[ "$(wc -l <ids)" = 90 ] || fail "want 90 claims: $(wc -l <ids)"
[ -z "$(uniq -d ids)" ] || fail "cases claimed twice: $(uniq -d ids | head -n 3)"
[ "$(psql -qAtX -c "SELECT count(*) FROM docket.leases")" = $((held0 + 30)) ] ||
	fail "leases do not match the claims kept"
[ "$(psql -qAtX -c "SELECT count(*) FROM docket.decisions")" = $((log0 + 60)) ] ||
	fail "decisions lost or doubled"
for st in held queued done; do
	[ "$(psql -qAtX -c "SELECT n FROM docket.counters WHERE state = '$st' AND model_id = 1")" = \
		"$(psql -qAtX -c "SELECT count(*) FROM docket.cases WHERE state = '$st' AND model_id = 1")" ] ||
		fail "the $st counter disagrees with the cases"
done
# decide --next from several processes beside plain claims: a decision and
# the claim after it move two cases' states in one transaction, and the
# counter rows they lock once deadlocked with a plain claim's (bench/pg.sh)
: >next.err
for w in 1 2 3 4 5 6; do
	(
		j=$("$DOCKET" next "$PG" --model credit 2>>next.err) || exit 1
		id=$(echo "$j" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
		k=0
		while [ $k -lt 8 ] && [ -n "$id" ]; do
			if [ $((w % 2)) = 0 ]; then
				o=$("$DOCKET" decide "$PG" "$id" --action accept --next 2>>next.err) || exit 1
				id=$(echo "$o" | sed -n '2s/^{"id":"\([^"]*\)".*/\1/p')
			else
				"$DOCKET" decide "$PG" "$id" --action accept >/dev/null 2>>next.err || exit 1
				j=$("$DOCKET" next "$PG" --model credit 2>>next.err) || exit 1
				id=$(echo "$j" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
			fi
			k=$((k + 1))
		done
	) &
done
wait
[ ! -s next.err ] || fail "decide --next beside claims failed: $(head -n 3 next.err)"
for st in held queued done; do
	[ "$(psql -qAtX -c "SELECT n FROM docket.counters WHERE state = '$st' AND model_id = 1")" = \
		"$(psql -qAtX -c "SELECT count(*) FROM docket.cases WHERE state = '$st' AND model_id = 1")" ] ||
		fail "after decide --next, the $st counter disagrees with the cases"
done
# release gives back every lease of the reviewer, and the cases with them
held=$(psql -qAtX -c "SELECT count(*) FROM docket.leases")
run "$DOCKET" release "$PG"
expect_rc 0
expect_out "released $held cases held by $me"
[ "$(psql -qAtX -c "SELECT count(*) FROM docket.leases")" = 0 ] || fail "leases left"
[ "$(psql -qAtX -c "SELECT count(*) FROM docket.cases WHERE state = 'held'")" = 0 ] ||
	fail "held cases left"
psql -qX -c "ALTER TABLE docket.decisions DISABLE TRIGGER USER;
	UPDATE docket.decisions SET note = 'note 2' WHERE seq = 6;
	ALTER TABLE docket.decisions ENABLE TRIGGER USER" # the tamper above undone
run "$DOCKET" verify "$PG"
expect_rc 0
expect_out "intact"

# A server gone: a clear message and exit 1, never a crash.
"$DOCKET_TESTS/pg/cluster.sh" kill "$pgdir"
run "$DOCKET" queue "$PG"
expect_rc 1
expect_err "cannot connect"

# migrate: a store with rows in every table copied into a new SQLite file
# is the same store (every table row for row, the same head, queue, log and
# cases), keeps working (next, decide, import, verify), and leaves the
# source unchanged; refusals leave nothing behind; a copy taken while a
# reviewer keeps deciding is one consistent snapshot.
. "$DOCKET_TESTS/sh/lib.sh"
sqlite_only "migrate copies an SQLite store file into another (PostgreSQL: t_pg_migrate)"
me=$(id -un)

run "$DOCKET" migrate --help
expect_rc 0
expect_out "Usage: docket migrate SQLITE_PATH DEST"

# --- a store with a row in every table ---------------------------------
head -201 "$DOCKET_ROOT/sample-data/credit.csv" >one.csv
{ head -1 one.csv; sed -n '202,401p' "$DOCKET_ROOT/sample-data/credit.csv"; } >two.csv
run "$DOCKET" import a.db one.csv --model credit --threshold 0.9
expect_rc 0
run "$DOCKET" import a.db two.csv --model credit
expect_rc 0
run "$DOCKET" reviewer add a.db ann
expect_rc 0
claim() { "$DOCKET" next a.db --reviewer ann | sed 's/^{"id":"\([^"]*\)".*/\1/'; }
c=$(claim); run "$DOCKET" decide a.db "$c" --reviewer ann --action accept --seconds 2.5
expect_rc 0
j=$("$DOCKET" next a.db --reviewer ann)
c=$(echo "$j" | sed 's/^{"id":"\([^"]*\)".*/\1/')
case "$j" in *'"prediction":"good"'*) other=bad ;; *) other=good ;; esac
run "$DOCKET" decide a.db "$c" --reviewer ann --action override --label $other --note 'a "note", é'
expect_rc 0
esc=$(claim); run "$DOCKET" decide a.db "$esc" --reviewer ann --action escalate --reason other --note why
expect_rc 0
c=$(claim); run "$DOCKET" decide a.db "$c" --reviewer ann --action skip --reason ambiguous
expect_rc 0
c=$(claim); run "$DOCKET" decide a.db "$c" --reviewer ann --action accept
expect_rc 0
run "$DOCKET" decide a.db "$c" --reviewer ann --action undo
expect_rc 0
run "$DOCKET" decide a.db "$esc" --reviewer "$me" --action resolve --label good
expect_rc 0
run "$DOCKET" export a.db --out e.csv --since-last weekly
expect_rc 0
run "$DOCKET" drift a.db --model credit --set-reference --batch 1
expect_rc 0
run "$DOCKET" drift a.db --model credit --batch 2
expect_rc 0
run "$DOCKET" stats a.db --by Home --positive good # kept fairness counts
expect_rc 0
held=$(claim) # a live lease
# written by the review screen's start
sql a.db "INSERT INTO reviewer_seen VALUES ('ann', 3)"
for t in $(sql a.db "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"); do
	[ "$(sql a.db "SELECT count(*) > 0 FROM \"$t\"")" = 1 ] ||
		fail "the test left table $t empty: it would not check that migrate copies it"
done
head=$("$DOCKET" verify a.db | tail -1)
before=$(dump a.db)

# --- the copy ------------------------------------------------------------
run "$DOCKET" migrate a.db b.db
expect_rc 0
expect_err "migrate: cases                     400 rows"
expect_err "migrate: drift_reference             1 rows"
expect_out "cases                     400"
expect_out "destination head: $head (b.db: "
[ "$(echo "$out" | tail -1)" = "$head" ] || fail "migrate's last line is not the head $head: $out"
[ "$(dump a.db)" = "$before" ] || fail "the source changed"
echo "$before" >a.dump
dump b.db >b.dump
cmp -s a.dump b.dump || fail "the copy differs from the source:
$(diff a.dump b.dump | head)"
[ "$(stat -c %a b.db)" = 600 ] || fail "the copy is readable by others: $(stat -c %a b.db)"
run "$DOCKET" verify b.db
expect_rc 0
[ "$(echo "$out" | tail -1)" = "$head" ] || fail "verify b.db: $out"
for cmd in "queue" "queue --json" "log --format jsonl" "cases --format csv" "stats --format json"; do
	# shellcheck disable=SC2086
	[ "$("$DOCKET" $cmd a.db 2>&1)" = "$("$DOCKET" $cmd b.db 2>&1)" ] ||
		fail "docket $cmd differs between the source and the copy"
done

# The copy keeps working: ids and seqs go on from where the source's were.
run "$DOCKET" next b.db --reviewer ann
expect_rc 0
c=$(echo "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/')
[ "$c" != "$held" ] || fail "the copy gave out ann's held case again"
run "$DOCKET" decide b.db "$c" --reviewer ann --action accept
expect_rc 0
run "$DOCKET" decide b.db "$held" --reviewer ann --action accept
expect_rc 0 # the lease came along
{ head -1 one.csv; sed -n '402,421p' "$DOCKET_ROOT/sample-data/credit.csv"; } >three.csv
run "$DOCKET" import b.db three.csv --model credit
expect_rc 0
[ "$(sql b.db "SELECT max(id) FROM batches")" = 3 ] || fail "the new batch's id"
run "$DOCKET" verify b.db --expect-head "$head"
expect_rc 0

# --- refusals ------------------------------------------------------------
copy=$(dump b.db)
run "$DOCKET" migrate a.db b.db
expect_rc 1
expect_err "b.db: already exists"
[ "$(dump b.db)" = "$copy" ] || fail "a refused migrate changed the destination"
run "$DOCKET" migrate nope.db c.db
expect_rc 1
expect_no_store nope.db
: >empty.db
run "$DOCKET" migrate empty.db c.db
expect_rc 1
expect_err "empty.db: an empty file, not a docket store"
[ ! -s empty.db ] || fail "migrate wrote to an empty file"
echo hello >text.db
run "$DOCKET" migrate text.db c.db
expect_rc 1
expect_err "text.db"
sqlite3 other.db "CREATE TABLE t(a)"
run "$DOCKET" migrate other.db c.db
expect_rc 1
expect_err "an SQLite file that is not a docket store"
cp a.db newer.db
sql newer.db "PRAGMA user_version = 99"
run "$DOCKET" migrate newer.db c.db
expect_rc 1
expect_err "store has schema version 99"
run "$DOCKET" migrate 'postgresql://h/db' c.db
expect_rc 2
expect_err "the source must be an SQLite store file"
run "$DOCKET" migrate a.db
expect_rc 2
cp a.db notsup.db
sql notsup.db "UPDATE reviewers SET role = 'reviewer' WHERE name = '$me'"
run "$DOCKET" migrate notsup.db c.db
expect_rc 1
expect_err "'$me' is not a supervisor of notsup.db"
# A value of the wrong type half way through: nothing is kept.
cp a.db damaged.db
sql damaged.db "UPDATE cases SET line = 'x' WHERE id = 300"
run "$DOCKET" migrate damaged.db c.db
expect_rc 1
expect_err "cases.line holds text where the schema says INTEGER"
expect_err "c.db removed; damaged.db is unchanged"
ls c.db* >/dev/null 2>&1 && fail "a failed migrate left $(ls c.db*)"

# Interrupted (Ctrl-C) in the middle of the cases: rolled back, no file.
DOCKET="$DOCKET" sh "$DOCKET_ROOT/bench/make-store.sh" big.db 200000 2>/dev/null
"$DOCKET" migrate big.db big2.db >int.out 2>int.err &
pid=$!
until grep -q "^migrate: batches" int.err; do
	kill -0 $pid 2>/dev/null || fail "migrate ended before it was interrupted: $(cat int.err)"
	sleep 0.01
done
kill -INT $pid
set +e
wait $pid
rc=$?
set -e
[ $rc = 1 ] || fail "an interrupted migrate exited $rc: $(cat int.err)"
grep -q "interrupted while copying cases" int.err || fail "no word of the interruption: $(cat int.err)"
ls big2.db* >/dev/null 2>&1 && fail "an interrupted migrate left $(ls big2.db*)"

# --- a snapshot while a reviewer keeps deciding ---------------------------
run "$DOCKET" import w.db "$DOCKET_ROOT/sample-data/credit.csv" --model credit --threshold 0.99
expect_rc 0
(
	for _ in $(seq 40); do
		c=$("$DOCKET" next w.db --reviewer "$me" | sed 's/^{"id":"\([^"]*\)".*/\1/')
		"$DOCKET" decide w.db "$c" --reviewer "$me" --action accept >/dev/null
	done
) &
writer=$!
until [ "$(sql w.db "SELECT count(*) FROM decisions WHERE action = 'accept'")" -ge 5 ]; do
	sleep 0.05
done
run "$DOCKET" migrate w.db w2.db
wait $writer
expect_rc 0
echo "copied at $(echo "$out" | tail -1 | cut -c1-12), source now at $(sql w.db "SELECT max(seq) FROM decisions")"
run "$DOCKET" verify w2.db
expect_rc 0
h=$(echo "$out" | tail -1)
seq=${h%%:*}
[ "$(sql w.db "SELECT seq || ':' || hash FROM decisions WHERE seq = $seq")" = "$h" ] ||
	fail "the copy's head $h is not an entry of the source"
# The copy holds exactly the cases decided up to its head (verify checked
# states against the log; counters must agree with the rows).
[ "$(sql w2.db "SELECT count(*) FROM (SELECT model_id, state, count(*) AS n FROM cases
	GROUP BY 1, 2) r LEFT JOIN counters c USING (model_id, state) WHERE r.n IS NOT c.n")" = 0 ] ||
	fail "the copy's counters disagree with its cases"
echo ok

# The audit chain against someone who owns the store (the file and the
# sqlite3 CLI; on PostgreSQL the schema's owner with psql): the triggers
# refuse changes; with the triggers out of the way, an edited, a deleted and
# an inserted entry are each found by verify, naming the entry; a truncated
# tail is found with --expect-head; a case state changed behind the log's
# back is found too.
. "$DOCKET_TESTS/sh/lib.sh"
S=$DOCKET_ROOT/sample-data
export DOCKET_NOW=2026-01-02T03:04:05Z
"$DOCKET" import s.db "$S/credit.csv" --model credit >/dev/null
"$DOCKET" reviewer add s.db ann >/dev/null
for i in 1 2 3 4 5; do
	id=$("$DOCKET" next s.db --reviewer ann | sed 's/^{"id":"\([^"]*\)".*/\1/')
	"$DOCKET" decide s.db "$id" --reviewer ann --action accept --seconds $i >/dev/null
done
run "$DOCKET" verify s.db
expect_rc 0
head=$(echo "$out" | tail -n 1)
# entries 1-3: the store's init entry, the import, ann added; 4-8 her accepts
case "$head" in 8:????????????????????????????????????????????????????????????????) ;;
*) fail "head '$head'" ;; esac

# the triggers refuse edits, deletes and replacing an entry (SQLite's
# INSERT OR REPLACE, PostgreSQL's upsert), even to the store's owner
refused() {
	sql s.db "$2" 2>refused.err && fail "$1 allowed"
	grep -q "append-only" refused.err || fail "$1: $(cat refused.err)"
}
refused update "UPDATE decisions SET note = 'x' WHERE seq = 5"
refused delete "DELETE FROM decisions WHERE seq = 5"
if on_sqlite; then
	refused replace "INSERT OR REPLACE INTO decisions SELECT * FROM decisions WHERE seq = 5"
else
	refused replace "INSERT INTO decisions SELECT * FROM decisions WHERE seq = 5
		ON CONFLICT (seq) DO UPDATE SET note = 'x'"
fi
refused "insert in the middle" "INSERT INTO decisions(seq, at, reviewer, action, prev_hash, hash) VALUES (6, 0, 'm', 'accept', '', '')"
run "$DOCKET" verify s.db --expect-head "$head"
expect_rc 0

# untrigger COPY: a copy of s.db whose log the owner may rewrite with
# sql_forge (SQLite: its triggers dropped; PostgreSQL: sql_forge writes
# with the triggers off)
untrigger() {
	store_copy s.db "$1"
	if on_sqlite; then
		sqlite3 "$1" "DROP TRIGGER decisions_no_update; DROP TRIGGER decisions_no_delete;
			DROP TRIGGER decisions_append_only;"
	fi
}

untrigger edit.db
sql_forge edit.db "UPDATE decisions SET seconds = 99 WHERE seq = 6"
run "$DOCKET" verify edit.db
expect_rc 1
expect_err "audit chain broken at entry 6"
expect_err "edited"
[ -z "$out" ] || fail "a broken chain printed a head: $out"

untrigger delete.db
sql_forge delete.db "DELETE FROM decisions WHERE seq = 5"
run "$DOCKET" verify delete.db
expect_rc 1
expect_err "audit chain broken at entry 6"
expect_err "missing"

untrigger insert.db
sql_forge insert.db "UPDATE decisions SET seq = seq + 100 WHERE seq >= 7;
INSERT INTO decisions(seq, at, reviewer, case_id, action, label, prev_hash, hash)
  SELECT 7, at, 'mallory', case_id, 'accept', label, hash, hash FROM decisions WHERE seq = 6;
UPDATE decisions SET seq = seq - 100 + 1 WHERE seq >= 107;"
run "$DOCKET" verify insert.db
expect_rc 1
expect_err "audit chain broken at entry 7"

untrigger tail.db
sql_forge tail.db "DELETE FROM decisions WHERE seq >= 7"
run "$DOCKET" verify tail.db
expect_rc 1 # cases decided by the removed entries no longer agree
expect_err "case states disagree with the log"
run "$DOCKET" verify tail.db --expect-head "$head"
expect_rc 1
expect_err "entries 7 to 8 were removed from the tail"

store_copy s.db state.db
sql_forge state.db "UPDATE cases SET final_label = CASE final_label WHEN 'bad' THEN 'good' ELSE 'bad' END WHERE id = (SELECT case_id FROM decisions WHERE seq = 5)"
run "$DOCKET" verify state.db
expect_rc 1
expect_err "case states disagree with the log"
expect_err "has final label"
echo "$out" | tail -n 1 | grep -q "^8:" || fail "head not printed when only states disagree"

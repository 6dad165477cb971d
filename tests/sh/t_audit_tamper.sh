# The audit chain against someone with the file and the sqlite3 CLI: the
# triggers refuse changes; with the triggers dropped, an edited, a deleted
# and an inserted entry are each found by verify, naming the entry; a
# truncated tail is found with --expect-head; a case state changed behind
# the log's back is found too.
. "$DOCKET_TESTS/sh/lib.sh"
sqlite_only "forges the file with the sqlite3 CLI, dropping its triggers (PostgreSQL: privileges, t_pg_privileges)"
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

# the triggers refuse edits, deletes and INSERT OR REPLACE
sqlite3 s.db "UPDATE decisions SET note = 'x' WHERE seq = 5" 2>/dev/null && fail "update allowed"
sqlite3 s.db "DELETE FROM decisions WHERE seq = 5" 2>/dev/null && fail "delete allowed"
sqlite3 s.db "INSERT OR REPLACE INTO decisions SELECT * FROM decisions WHERE seq = 5" 2>/dev/null && fail "replace allowed"
sqlite3 s.db "INSERT INTO decisions(seq, at, reviewer, action, prev_hash, hash) VALUES (6, 0, 'm', 'accept', '', '')" 2>/dev/null && fail "insert in the middle allowed"
run "$DOCKET" verify s.db --expect-head "$head"
expect_rc 0

untrigger() {
	cp s.db "$1"
	sqlite3 "$1" "DROP TRIGGER decisions_no_update; DROP TRIGGER decisions_no_delete;
		DROP TRIGGER decisions_append_only;"
}

untrigger edit.db
sqlite3 edit.db "UPDATE decisions SET seconds = 99 WHERE seq = 6"
run "$DOCKET" verify edit.db
expect_rc 1
expect_err "audit chain broken at entry 6"
expect_err "edited"
[ -z "$out" ] || fail "a broken chain printed a head: $out"

untrigger delete.db
sqlite3 delete.db "DELETE FROM decisions WHERE seq = 5"
run "$DOCKET" verify delete.db
expect_rc 1
expect_err "audit chain broken at entry 6"
expect_err "missing"

untrigger insert.db
sqlite3 insert.db "UPDATE decisions SET seq = seq + 100 WHERE seq >= 7;
INSERT INTO decisions(seq, at, reviewer, case_id, action, label, prev_hash, hash)
  SELECT 7, at, 'mallory', case_id, 'accept', label, hash, hash FROM decisions WHERE seq = 6;
UPDATE decisions SET seq = seq - 100 + 1 WHERE seq >= 107;"
run "$DOCKET" verify insert.db
expect_rc 1
expect_err "audit chain broken at entry 7"

untrigger tail.db
sqlite3 tail.db "DELETE FROM decisions WHERE seq >= 7"
run "$DOCKET" verify tail.db
expect_rc 1 # cases decided by the removed entries no longer agree
expect_err "case states disagree with the log"
run "$DOCKET" verify tail.db --expect-head "$head"
expect_rc 1
expect_err "entries 7 to 8 were removed from the tail"

cp s.db state.db
sqlite3 state.db "UPDATE cases SET final_label = CASE final_label WHEN 'bad' THEN 'good' ELSE 'bad' END WHERE id = (SELECT case_id FROM decisions WHERE seq = 5)"
run "$DOCKET" verify state.db
expect_rc 1
expect_err "case states disagree with the log"
expect_err "has final label"
echo "$out" | tail -n 1 | grep -q "^8:" || fail "head not printed when only states disagree"

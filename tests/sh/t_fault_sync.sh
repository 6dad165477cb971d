# The sync after a decision's commit fails (DOCKET_FAULT=wal-sync, honoured
# by the test build only): the decision is committed and stands, so decide
# prints it as recorded, says on stderr exactly that it is recorded but not
# yet known to be on disk and what to do, and exits 1; the log has it and
# verifies; a retry is told the decision is already recorded (with its
# entry), not to claim the case; an import says the same of its rows, and an
# export keeps its file. The installed build ignores DOCKET_FAULT.
. "$DOCKET_TESTS/sh/lib.sh"
sqlite_only "the fault is the SQLite engine's sync of the WAL (DOCKET_FAULT=wal-sync)"

S=s.db
fault_store $S # ann: three accepts, holds $held
# e1: the entry the decision gets (the store's own entries come first)
e1=$(( $(sql $S "SELECT max(seq) FROM decisions") + 1 ))
run env DOCKET_FAULT=wal-sync "$DOCKET" decide $S "$held" --reviewer ann --action accept
expect_rc 1
expect_out "{\"seq\":$e1,"
expect_out "\"state\":\"done\""
expect_err "docket: decision recorded as entry $e1, but not yet known to be on disk: syncing $S failed (disk I/O error)"
expect_err "It stands"
expect_err "check it is there with 'docket log $S --case $held' and run 'docket verify $S'"
[ "$(sql $S "SELECT reviewer, action FROM decisions d JOIN cases c ON c.id = d.case_id
	WHERE c.ext_id = '$held'")" = "ann|accept" ] || fail "the decision is not in the log"
run "$DOCKET" verify $S
expect_rc 0
expect_out "chain: $e1 entries, intact"

# A retry: refused as already recorded, naming the entry; nothing added.
run "$DOCKET" decide $S "$held" --reviewer ann --action accept
expect_rc 1
expect_err "case '$held' is done: its last decision, ann's accept, is already recorded as entry $e1"
expect_err "nothing recorded again"
[ "$(sql $S "SELECT count(*) FROM decisions")" = $e1 ] || fail "the retry added an entry"

# decide --next: the same report for the decision.
run "$DOCKET" next $S --reviewer ann
expect_rc 0
id=$(echo "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/')
run env DOCKET_FAULT=wal-sync "$DOCKET" decide $S "$id" --reviewer ann --action accept --next
expect_rc 1
expect_out "{\"seq\":$((e1 + 1)),"
expect_err "decision recorded as entry $((e1 + 1)), but not yet known to be on disk"

# An import whose sync fails says its rows are recorded.
run env DOCKET_FAULT=wal-sync "$DOCKET" import $S more.csv --model more
expect_rc 1
expect_err "syncing $S failed (disk I/O error): the change is recorded and others see it"
[ "$(sql $S "SELECT count(*) FROM cases c JOIN models m ON m.id = c.model_id WHERE m.name = 'more'")" = 5000 ] ||
	fail "the import's rows are not there"

# An export whose entry's sync fails keeps its file: it is on record.
e3=$(( $(sql $S "SELECT max(seq) FROM decisions") + 1 ))
run env DOCKET_FAULT=wal-sync "$DOCKET" export $S --out c.csv
expect_rc 1
expect_out "exported 5 rows to c.csv"
expect_err "export recorded as audit entry $e3, but not yet known to be on disk: syncing $S failed"
[ -s c.csv ] || fail "the recorded export's file was removed"
[ "$(sql $S "SELECT action FROM decisions WHERE seq = $e3")" = export ] || fail "no export entry"

# The installed build has no fault hooks.
run "$DOCKET_PLAIN" next $S --reviewer ann
expect_rc 0
id=$(echo "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/')
run env DOCKET_FAULT=wal-sync "$DOCKET_PLAIN" decide $S "$id" --reviewer ann --action accept
expect_rc 0
[ -z "$err" ] || fail "stderr: $err"
run "$DOCKET" verify $S
expect_rc 0

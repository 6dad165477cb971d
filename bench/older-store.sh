#!/bin/sh
# older-store.sh STORE: make a store that `docket init` just created look
# like one of a docket before the audit log's replay (schema 1, no init
# entry), so that a generator can write cases and entries by SQL from seq 1.
# The next docket to open it appends the init entry (after those entries),
# listing the batches found as imported before import entries existed:
# `docket verify` then checks only their row counts (README, Audit chain).
set -eu
store=${1:?usage: older-store.sh STORE}
trigger=$(sqlite3 -batch -noheader "$store" \
	"SELECT sql || ';' FROM sqlite_schema WHERE name = 'decisions_no_delete'")
sqlite3 -batch "$store" "DROP TRIGGER decisions_no_delete; DELETE FROM decisions;
	DELETE FROM meta WHERE key = 'store_id'; $trigger PRAGMA user_version = 1;"

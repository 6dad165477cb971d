# A store from a newer docket (schema version above this one's) is refused
# by every command with one clear message, and not touched: its bytes are
# the same afterwards and no -wal or -shm file is left beside it. Both as a
# newer docket would leave it (WAL mode) and copied without its WAL into
# rollback-journal mode (where turning WAL on would rewrite its header).
# An SQLite file that is not a docket store is refused the same way.
. "$DOCKET_TESTS/sh/lib.sh"
sqlite_only "the schema version in the file header (user_version), its bytes and journal mode"

run "$DOCKET" import s.db "$DOCKET_ROOT/sample-data/credit.csv" --model credit
expect_rc 0
run "$DOCKET" next s.db
expect_rc 0
id=$(echo "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/')
run "$DOCKET" decide s.db "$id" --action accept
expect_rc 0
run "$DOCKET" next s.db
expect_rc 0
held=$(echo "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/')
cur=$(sql s.db "PRAGMA user_version")
[ "$cur" -ge 1 ] || fail "schema version $cur"
newer=$((cur + 1))
sql s.db "PRAGMA user_version = $newer" >/dev/null

# every_command STORE MESSAGE: each command fails with exit 1 and exactly
# MESSAGE, and STORE's bytes do not change.
every_command() {
	before=$(sha256sum "$1" | cut -d' ' -f1)
	for cmd in "queue $1" "next $1" "decide $1 $held --action accept" \
		"decide $1 $id --action undo" "release $1" "import $1 more.csv --model credit" \
		"export $1 --out out.csv --only all" "verify $1" "log $1" "stats $1" \
		"policy $1 --model credit" "reviewer add $1 bob"; do
		# (word splitting of $cmd is wanted: no argument has a space)
		# shellcheck disable=SC2086
		run "$DOCKET" $cmd
		expect_rc 1
		expect_err_exact "$2"
	done
	# import and review too, which open the store their own way
	run "$DOCKET" import "$1" "$DOCKET_ROOT/sample-data/credit.csv" --model other
	expect_rc 1
	expect_err_exact "$2"
	run "$DOCKET" review "$1" </dev/null
	expect_rc 1
	expect_err "$2"
	[ "$(sha256sum "$1" | cut -d' ' -f1)" = "$before" ] || fail "$1 changed"
	[ ! -e "$1-wal" ] && [ ! -e "$1-shm" ] && [ ! -e "$1-journal" ] ||
		fail "left beside $1: $(ls "$1"-*)"
	[ ! -e out.csv ] || fail "an export file was written"
}
cp "$DOCKET_ROOT/sample-data/credit.csv" more.csv
msg="docket: s.db: store has schema version $newer; this docket knows up to $cur: upgrade docket"

# As a newer docket leaves it: WAL mode, closed.
[ "$(sql s.db "PRAGMA journal_mode")" = wal ] || fail "not in WAL mode"
every_command s.db "$msg"

# Copied in rollback-journal mode.
sql s.db "PRAGMA journal_mode = DELETE" >/dev/null
every_command s.db "$msg"
[ "$(sql s.db "PRAGMA journal_mode")" = delete ] || fail "the journal mode changed"

# Put back to this version, it opens, and nothing was lost.
sql s.db "PRAGMA user_version = $cur" >/dev/null
run "$DOCKET" verify s.db
expect_rc 0
expect_out "chain: 3 entries, intact" # init, import, the accept
[ "$(sql s.db "SELECT state FROM cases WHERE ext_id = '$held'")" = held ] || fail "the held case"

# Some other program's SQLite file: refused, not turned into WAL mode.
sqlite3 other.db "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
every_command other.db "docket: other.db: an SQLite file that is not a docket store; refusing to change it"
[ "$(sql other.db "PRAGMA journal_mode")" = delete ] || fail "other.db's journal mode changed"

# The cases table's state check costs the import nothing per row (issue 17,
# schema v9): SQLite coded `state IN (six values)` by filling a temporary
# B-tree with the six values for every row written; the check is now six
# comparisons. It still refuses any other state, and a store of an older
# docket (v8, the IN text) gets the new text when opened and gives the same
# answers.
. "$DOCKET_TESTS/sh/lib.sh"
sqlite_only "the SQLite table's CHECK as SQLite codes it"

cols="model_id, batch_id, ext_id, line, prediction, confidence, state, policy_version, urgency"
# temp_tables STORE: how many temporary B-trees the import's insert opens
temp_tables() {
	sql "$1" "EXPLAIN INSERT INTO cases($cols) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)" |
		grep -cw OpenEphemeral || true
}
# refuses STORE: a state outside the six is refused, by the CLI and by
# an update of a stored case
refuses() {
	if sql "$1" "INSERT INTO cases($cols) VALUES (1, 1, 'odd', 1, 'good', 0.5, 'lost', 1, 0)" 2>/dev/null; then
		fail "$1: a case of state 'lost' was stored"
	fi
	if sql "$1" "UPDATE cases SET state = 'Queued' WHERE id = 1" 2>/dev/null; then
		fail "$1: a case's state became 'Queued'"
	fi
	for st in auto queued held escalated disputed done; do
		sql "$1" "SAVEPOINT t; UPDATE cases SET state = '$st' WHERE id = 1; ROLLBACK TO t" ||
			fail "$1: state '$st' refused"
	done
}
# answers STORE: what the readers say of it
answers() {
	"$DOCKET" queue "$1"
	"$DOCKET" cases "$1" --state queued --format csv
	"$DOCKET" cases "$1" --state auto --format csv --limit 50
	"$DOCKET" verify "$1"
}

run "$DOCKET" import s.db "$DOCKET_ROOT/sample-data/credit.csv" --model credit
expect_rc 0
run "$DOCKET" reviewer add s.db ann
expect_rc 0
[ "$(temp_tables s.db)" = 0 ] || fail "the insert fills $(temp_tables s.db) temporary tables: $(sql s.db "SELECT sql FROM sqlite_schema WHERE name = 'cases'")"
refuses s.db
# The class: no table's row writes (an insert of every column, or an
# update of every column but the key, with the table's checks, triggers
# and indexes) fill a temporary B-tree.
# SQLite codes an IN list of three or more in a CHECK that way.
tables=$(sql s.db "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
[ "$(printf '%s\n' "$tables" | wc -l)" -ge 15 ] || fail "tables: $tables"
# (an update of the key columns may read its rows into one first)
for t in $tables; do
	all=$(sql s.db "SELECT group_concat(name, ', ') FROM pragma_table_info('$t')")
	ps=$(sql s.db "SELECT group_concat('?', ', ') FROM pragma_table_info('$t')")
	upd=$(sql s.db "SELECT group_concat(name || ' = ?', ', ') FROM pragma_table_info('$t') WHERE pk = 0")
	key=$(sql s.db "SELECT group_concat(name || ' = ?', ' AND ') FROM pragma_table_info('$t') WHERE pk > 0")
	for q in "INSERT INTO $t($all) VALUES ($ps)" ${upd:+"UPDATE $t SET $upd WHERE ${key:-rowid = ?}"}; do
		prog=$(sql s.db "EXPLAIN $q") || fail "cannot explain $q"
		n=$(printf '%s\n' "$prog" | grep -cw OpenEphemeral || true)
		[ "$n" = 0 ] || fail "$q fills $n temporary tables per row"
	done
done
new_text=$(sql s.db "SELECT sql FROM sqlite_schema WHERE name = 'cases'")
new_version=$(sql s.db "PRAGMA user_version")
case "$new_text" in *"state IN"*) fail "the state check is still an IN list: $new_text" ;; esac

# decisions move cases through the states the check allows
claimed() { printf '%s' "$out" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p'; }
for i in 1 2 3; do
	run "$DOCKET" next s.db --reviewer ann
	expect_rc 0
	run "$DOCKET" decide s.db "$(claimed)" --action accept --reviewer ann
	expect_rc 0
done
run "$DOCKET" next s.db --reviewer ann
expect_rc 0
held=$(claimed)
[ -n "$held" ] || fail "next gave no case: $out"

before=$(answers s.db 2>&1)

# the store as docket of schema 8 left it: the check as an IN list
cookie=$(sql s.db "PRAGMA schema_version")
sql s.db "PRAGMA writable_schema=ON;
	UPDATE sqlite_schema SET sql = replace(sql,
		'state = ''auto'' OR state = ''queued'' OR state = ''held''
    OR state = ''escalated'' OR state = ''disputed'' OR state = ''done''',
		'state IN
    (''auto'',''queued'',''held'',''escalated'',''disputed'',''done'')')
	WHERE name = 'cases';
	PRAGMA writable_schema=OFF; PRAGMA schema_version = $((cookie + 1)); PRAGMA user_version = 8" >/dev/null
[ "$(temp_tables s.db)" -ge 1 ] || fail "the forged v8 store has no IN list: $(sql s.db "SELECT sql FROM sqlite_schema WHERE name = 'cases'")"

# opening it migrates: the new text, the same answers, the same refusals
run "$DOCKET" queue s.db
expect_rc 0
[ "$(sql s.db "PRAGMA user_version")" = "$new_version" ] || fail "user_version $(sql s.db "PRAGMA user_version")"
[ "$(sql s.db "SELECT sql FROM sqlite_schema WHERE name = 'cases'")" = "$new_text" ] ||
	fail "the migrated table's text differs from a new store's"
[ "$(sql s.db "PRAGMA integrity_check")" = ok ] || fail "integrity_check: $(sql s.db "PRAGMA integrity_check")"
[ "$(temp_tables s.db)" = 0 ] || fail "the migrated store's insert fills temporary tables"
after=$(answers s.db 2>&1)
[ "$after" = "$before" ] || fail "answers differ after the migration:
before: $before
after:  $after"
refuses s.db
# and the store works on: a decision, then an import as a second batch
run "$DOCKET" decide s.db "$held" --action accept --reviewer ann
expect_rc 0
sed 's/^\([^,]*\),/x\1,/; 1s/^xid,/id,/' "$DOCKET_ROOT/sample-data/credit.csv" >more.csv
run "$DOCKET" import s.db more.csv --model credit
expect_rc 0
run "$DOCKET" verify s.db
expect_rc 0

# A read that fails is an error that says what failed, never an empty
# result: `docket queue` printed zeros (and crashed on a missing table),
# `policy --reasons` printed the built-in codes when the store's list could
# not be read. The tables are renamed behind docket's back, as a damaged
# or half-migrated store would have them. (The class: t_code_rules'
# unchecked_steps.py.)
. "$DOCKET_TESTS/sh/lib.sh"
S=$DOCKET_ROOT/sample-data
export DOCKET_NOW=2026-01-02T03:04:05Z

run "$DOCKET" import s.db "$S/credit.csv" --model credit
expect_rc 0
run "$DOCKET" queue s.db
expect_rc 0
expect_out "credit"

sql_forge s.db "ALTER TABLE counters RENAME TO counters_gone"
run "$DOCKET" queue s.db
expect_rc 1
expect_err "counters"
[ -z "$out" ] || fail "queue printed figures it could not read: $out"
sql_forge s.db "ALTER TABLE counters_gone RENAME TO counters"

run "$DOCKET" policy s.db --reasons
expect_rc 0
expect_out "ambiguous"
sql_forge s.db "ALTER TABLE meta RENAME TO meta_gone"
run "$DOCKET" policy s.db --reasons
expect_rc 1
if on_sqlite; then
	expect_err "meta"
else # (opening a PostgreSQL store reads meta already)
	expect_err "no docket store in this database"
fi
[ -z "$out" ] || fail "policy --reasons printed codes it could not read: $out"
echo ok

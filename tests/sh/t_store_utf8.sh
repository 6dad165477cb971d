# Every TEXT value in a store is UTF-8, so that a team's own tools read it
# (Python's sqlite3 refuses "SELECT * FROM cases" otherwise, and pandas
# with it): the store after each kind of write docket makes (import of
# every sample, decisions, a note, a policy, a reveal, an export, drift,
# stats by field, an anchor) is read table by table with Python's sqlite3
# (text_utf8.py). The packed numbers (casejson_pack) are BLOBs (schema 9).
. "$DOCKET_TESTS/sh/lib.sh"
. "$DOCKET_TESTS/sh/tmux.sh"
sqlite_only "PostgreSQL holds only UTF-8 text by its own rules"
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
export DOCKET_NOW=2026-01-02T03:04:05Z
check() {
	run python3 "$DOCKET_TESTS/sh/text_utf8.py" s.db
	[ "$rc" = 0 ] || fail "after $1, the store does not read as UTF-8: $out $err"
}

make_review_store s.db
run "$DOCKET" import s.db "$DOCKET_ROOT/sample-data/credit.csv" --model bank
expect_rc 0
run "$DOCKET" import s.db "$DOCKET_ROOT/sample-data/reviews.jsonl" --model rj
expect_rc 0
run "$DOCKET" import s.db "$DOCKET_ROOT/sample-data/reviews.csv" --model rc
expect_rc 0
# (the forms that broke it are there: packed numbers)
[ "$(sql s.db "SELECT count(*) FROM cases WHERE hex(substr(probs, 1, 1)) = '23'")" -gt 1000 ] ||
	fail "no packed probabilities: $(sql s.db "SELECT probs FROM cases LIMIT 3")"
check "the imports"

run "$DOCKET" reviewer add s.db bob --role supervisor
expect_rc 0
run "$DOCKET" policy s.db --model bank --threshold 0.8
expect_rc 0
run "$DOCKET" next s.db --reviewer bob --model bank
expect_rc 0
id=$(printf '%s' "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/')
run "$DOCKET" decide s.db "$id" --reviewer bob --action accept --note "für Ünïcode ✓"
expect_rc 0
run "$DOCKET" next s.db --reviewer bob --model rj
expect_rc 0
id=$(printf '%s' "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/')
run "$DOCKET" decide s.db "$id" --reviewer bob --action escalate --reason ambiguous
expect_rc 0
check "the decisions"

# a reveal, from the review screen
tmux_start 100 30 "DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review s.db --reviewer ann --model credit
wait_for "case c1"
keys r
wait_for "Ann Example"
keys a
wait_for "case c2"
keys q
wait_exit
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'reveal'")" = 1 ] || fail "no reveal"
check "a reveal"

run "$DOCKET" export s.db --out all.csv --only all
expect_rc 0
run "$DOCKET" export s.db --out rev.jsonl --format jsonl --since-last weekly
expect_rc 0
run "$DOCKET" drift s.db --model bank
expect_rc 0
run "$DOCKET" stats s.db --model bank --by Home
expect_rc 0
run "$DOCKET" key init --key k.key
expect_rc 0
run "$DOCKET" anchor s.db --key k.key --as bob
expect_rc 0
check "export, drift, stats and an anchor"
run "$DOCKET" verify s.db
expect_rc 0

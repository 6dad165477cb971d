# docket cases: what a script sees. Each state lists exactly the cases the
# store has in it (checked against sqlite3), CSV and JSON Lines parse with
# the documented columns, a reviewer lists only their own cases with gold
# checks shown as spot checks, bad filters say what is wrong.
. "$DOCKET_TESTS/sh/lib.sh"
S=$DOCKET_ROOT/sample-data
"$DOCKET" import s.db "$S/credit.csv" --model credit >/dev/null
"$DOCKET" import s.db "$S/reviews.csv" --model reviews >/dev/null
"$DOCKET" reviewer add s.db ann >/dev/null
next_id() { "$DOCKET" next s.db --reviewer ann --model credit | sed 's/^{"id":"\([^"]*\)".*/\1/'; }
"$DOCKET" decide s.db "$(next_id)" --reviewer ann --model credit --action accept >/dev/null
"$DOCKET" decide s.db "$(next_id)" --reviewer ann --model credit --action escalate --reason ambiguous >/dev/null
held=$(next_id)

for st in queued held escalated done auto; do
	want=$(sql s.db "SELECT count(*) FROM cases WHERE state = '$st'")
	run "$DOCKET" cases s.db --state "$st" --format jsonl
	expect_rc 0
	got=$(printf '%s' "$out" | grep -c . || true)
	[ "$got" = "$want" ] || fail "--state $st: $got lines, store has $want"
done
# The table for a person: every case, however long (it once stopped at
# 32 KB, mid-line, with exit 0)
want=$(sql s.db "SELECT count(*) FROM cases WHERE model_id = (SELECT id FROM models WHERE name = 'credit')")
run "$DOCKET" cases s.db --model credit
expect_rc 0
got=$(printf '%s\n' "$out" | grep -c .)
[ "$got" = $((want + 1)) ] || fail "table: $got lines for $want cases and a header"
[ ${#out} -gt 100000 ] || fail "table: only ${#out} bytes for $want cases"
run "$DOCKET" cases s.db --state held --format jsonl
case "$out" in "{\"id\":\"$held\",\"model\":\"credit\",\"state\":\"held\",\"holder\":\"ann\","*) ;;
*) fail "held: $out" ;; esac

# CSV: the header, and a row that parses to the store's values
run "$DOCKET" cases s.db --state queued --model reviews --format csv --limit 3
expect_rc 0
printf '%s\n' "$out" >q.csv
python3 - q.csv s.db <<'PY'
import csv, os, sys
sys.path.insert(0, os.environ["DOCKET_TESTS"] + "/sh")
import storedb
rows = list(csv.DictReader(open(sys.argv[1])))
assert list(rows[0].keys()) == ["id", "model", "state", "holder", "lease_expires",
    "reason", "priority", "prediction", "confidence", "final_label", "decided_at",
    "batch", "imported_at"], rows[0].keys()
assert len(rows) == 3, len(rows)
want = storedb.rows(sys.argv[2], "SELECT ext_id, prediction, confidence, route_reason FROM cases"
    " WHERE state = 'queued' AND model_id = (SELECT id FROM models WHERE name = 'reviews')"
    " ORDER BY priority DESC, urgency, id LIMIT 3")
for r, w in zip(rows, want):
    assert (r["id"], r["prediction"], float(r["confidence"]), r["reason"]) == w, (r, w)
    assert r["model"] == "reviews" and r["state"] == "queued"
PY

# the table, and the done case's final label
run "$DOCKET" cases s.db --state done
expect_rc 0
expect_out "final"
expect_out "credit"
[ "$(printf '%s\n' "$out" | wc -l)" = 2 ] || fail "done table: $out"

# --reason by code; a prefix of a code matches nothing
# (gold reads "gold check", or "gold check; " and the rule that would have
# routed it: both forms are gold, and the sample has both)
want=$(sql s.db "SELECT count(*) FROM cases WHERE gold IS NOT NULL")
run "$DOCKET" cases s.db --reason gold --format jsonl
[ "$(printf '%s' "$out" | grep -c .)" = "$want" ] || fail "--reason gold"
expect_out '"reason":"gold check"'
expect_out '"reason":"gold check; confidence 0.'
run "$DOCKET" cases s.db --reason gol
expect_rc 2
expect_err "--reason 'gol': expected"

# a reviewer: own cases only, gold checks as spot checks
run "$DOCKET" cases s.db --as ann
expect_rc 1
expect_err "not a supervisor"
sql s.db "UPDATE cases SET route_reason = 'gold check' WHERE ext_id = '$held'" 2>/dev/null || true
run "$DOCKET" cases s.db --as ann --reviewer ann --format jsonl
expect_rc 0
[ "$(printf '%s' "$out" | grep -c .)" = 3 ] || fail "ann's cases: $out"
case "$out" in *"gold check"*) fail "gold shown to a reviewer: $out" ;; esac
expect_out '"reason":"spot check"'
# ... and its reason filter reads the reason as shown: a reviewer's
# --reason gold found exactly its gold checks (and --reason audit its
# audit samples), though each read "spot check"; now both list the spot
# checks, gold and audit alike
spots=$(printf '%s\n' "$out" | grep '"reason":"spot check"')
[ -n "$spots" ] || fail "ann holds no spot check: $out"
for code in gold audit; do
	run "$DOCKET" cases s.db --as ann --reviewer ann --reason $code --format jsonl
	expect_rc 0
	[ "$out" = "$spots" ] || fail "--reason $code for ann: $out (spot checks: $spots)"
done

# errors
run "$DOCKET" cases s.db --model nope
expect_rc 1
expect_err "no model named 'nope'"
[ -z "$out" ] || fail "a failed listing printed: $out"
run "$DOCKET" cases s.db --reviewer zed
expect_rc 1
expect_err "no reviewer 'zed'"
run "$DOCKET" cases s.db --state waiting
expect_rc 2
run "$DOCKET" cases s.db --limit 0
expect_rc 2
echo ok

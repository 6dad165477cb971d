# decide --amend on the real binary: an older decision changed by a new
# entry; verify agrees; the export's final label and stats follow; a
# double review is compared again; a resolved case is refused; undo.
. "$DOCKET_TESTS/sh/lib.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
cat > cases.csv <<'CSV'
id,prediction,confidence,p:good,p:bad,Income
c1,good,0.51,0.51,0.49,129
c2,bad,0.52,0.48,0.52,80
c3,good,0.53,0.53,0.47,200
CSV
run "$DOCKET" import s.db cases.csv --model credit
expect_rc 0
for r in ann bob; do run "$DOCKET" reviewer add s.db $r; expect_rc 0; done

# ann accepts c1 and c2 (c2 is her latest)
run "$DOCKET" next s.db --reviewer ann
run "$DOCKET" decide s.db c1 --reviewer ann --action accept
expect_rc 0
run "$DOCKET" next s.db --reviewer ann
run "$DOCKET" decide s.db c2 --reviewer ann --action accept
expect_rc 0
run "$DOCKET" export s.db --out first.csv --since-last nightly
expect_rc 0

# c1 is not her latest: amend it all the same
run "$DOCKET" decide s.db c1 --reviewer ann --action override --label bad --reason ambiguous --note "misread income" --amend
expect_rc 0
# (entries 1-4: the store's init, the import, the two reviewers added)
expect_out '"seq":8'
expect_out '"action":"override","state":"done","amends":5}'
[ "$(sql s.db "SELECT action||'|'||label||'|'||ref_seq||'|'||note FROM decisions WHERE seq = 8")" = "override|bad|5|misread income" ] || fail "amend entry"
[ "$(sql s.db "SELECT final_label||'|'||final_seq FROM cases WHERE ext_id = 'c1'")" = "bad|8" ] || fail "final label"
run "$DOCKET" verify s.db
expect_rc 0
expect_out "8:"

# the nightly export takes c1 again with its new label, and only c1
run "$DOCKET" export s.db --out second.csv --since-last nightly
expect_rc 0
python3 - second.csv <<'PY' || fail "export: $(cat second.csv)"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert [(r["id"], r["human_label"], r["override"], r["action"], r["reviewer"]) for r in rows] == \
    [("c1", "bad", "1", "override", "ann")], rows
PY

# stats count the amended decision once: 2 decisions, 1 override
run "$DOCKET" stats s.db --format json --min-n 1
expect_rc 0
python3 - "$out" <<'PY' || fail "stats: $out"
import json, sys
s = json.loads(sys.argv[1])
assert (s["decisions"], s["accepts"], s["overrides"]) == (2, 1, 1), s
assert abs(s["override_rate"] - 0.5) < 1e-9, s["override_rate"]
PY

# the log shows the amend and what it replaced
run "$DOCKET" log s.db --case c1 --format csv
expect_rc 0
expect_out "override"
expect_out ",5"

# nothing to change, no decision, a lease token, undo: usage errors
run "$DOCKET" decide s.db c1 --reviewer ann --action override --label bad --reason ambiguous --note "misread income" --amend
expect_rc 2
expect_err "nothing to amend"
run "$DOCKET" decide s.db c3 --reviewer ann --action accept --amend
expect_rc 1
expect_err "ann has no decision in force on case 'c3'"
run "$DOCKET" decide s.db c1 --reviewer ann --action undo --amend
expect_rc 2
run "$DOCKET" decide s.db c1 --reviewer ann --action accept --amend --token 3
expect_rc 2

# undo of an amend: the case comes back to ann, neither entry in force
run "$DOCKET" decide s.db c1 --reviewer ann --action undo
expect_rc 0
expect_out '"state":"held"'
[ "$(sql s.db "SELECT state||'|'||coalesce(final_label,'-') FROM cases WHERE ext_id = 'c1'")" = "held|-" ] || fail "undo of amend"
run "$DOCKET" decide s.db c1 --reviewer ann --action accept
expect_rc 0
run "$DOCKET" verify s.db
expect_rc 0

# amend to escalate; a supervisor resolves; then ann is refused
run "$DOCKET" decide s.db c2 --reviewer ann --action escalate --reason needs-expert --amend
expect_rc 0
expect_out '"state":"escalated","amends":6}'
run "$DOCKET" decide s.db c2 --action resolve --label good
expect_rc 0
run "$DOCKET" decide s.db c2 --reviewer ann --action accept --amend
expect_rc 1
expect_err "was resolved by"
expect_err "ask a supervisor"

# only one's own decision: bob cannot amend ann's
run "$DOCKET" next s.db --reviewer ann
run "$DOCKET" decide s.db c3 --reviewer ann --action accept
expect_rc 0
run "$DOCKET" decide s.db c3 --reviewer bob --action override --label bad --amend
expect_rc 1
expect_err "bob has no decision in force on case 'c3'"
[ "$(sql s.db "SELECT final_label FROM cases WHERE ext_id = 'c3'")" = good ] || fail "c3 changed"
run "$DOCKET" verify s.db
expect_rc 0

# stats: the model's error estimated over everything it scored
# (Horvitz-Thompson over the routing design), on a generated store where
# every case's true label is known: the estimate equals an independent
# computation from the store, the true error rate is inside its interval,
# it is a --fail-if metric, and an audit rate of 0 says no estimate is
# possible.
. "$DOCKET_TESTS/sh/lib.sh"
fx="$DOCKET_TESTS/sh/monitor_fixture.py"

monitor_store s.db 0.1 # (lib.sh)

run "$DOCKET" stats s.db --format json
expect_rc 0
echo "$out" >st.json
want=$(python3 "$fx" ht s.db)
python3 - "$want" <<'PY' || fail "estimate: $out"
import csv, json, sys
st = json.load(open("st.json"))
want = float(sys.argv[1])
truth = dict(csv.reader(open("truth.csv")))
rows = list(csv.DictReader(open("p.csv")))
true = sum(truth[r["id"]] != r["prediction"] for r in rows) / len(rows)
m = st["models"][0]
for o in (st, m):
    assert abs(o["error_all"] - want) < 1e-9, (o["error_all"], want)
    assert o["error_all_low"] <= true <= o["error_all_high"], (true, o)
    assert o["error_all_n"] == 1500 and o["scored"] == 1500 and o["pending"] == 0
assert m["error_all_status"] == "ok"
# the reviewed cases alone (the hard ones) are further from the truth
assert abs(m["error_all"] - true) < abs(m["override_rate"] - true) / 2, \
    (m["error_all"], m["override_rate"], true)
assert m["certain"] + m["audited"] == m["reviewed"]
PY
run "$DOCKET" stats s.db
expect_rc 0
expect_out "error on reviewed cases"
expect_out "error estimated over all 1500 scored"

# --fail-if on the estimate and its interval
run "$DOCKET" stats s.db --fail-if 'error_all > 0.1'
expect_rc 3
expect_err "condition holds"
run "$DOCKET" stats s.db --fail-if 'error_all_high < 0.1 or error_all_low > 0.9'
expect_rc 0

# A case still waiting is left out of N and named.
python3 "$fx" gen 20 2 q.csv truth2.csv
sed 's/^c/d/' q.csv >q2.csv
run "$DOCKET" import s.db q2.csv --model m
expect_rc 0
run "$DOCKET" stats s.db --model m --format json
expect_rc 0
echo "$out" | python3 -c '
import json, sys
m = json.load(sys.stdin)["models"][0]
assert m["scored"] == 1520 and m["pending"] > 0, m
assert m["error_all_n"] == 1520 - m["pending"], m
assert m["error_all"] is not None' || fail "pending: $out"

# Audit rate 0: the confident cases were never sampled; no estimate.
run "$DOCKET" import z.db p.csv --model m
expect_rc 0
run "$DOCKET" policy z.db --model m --threshold 0.7
expect_rc 0
run "$DOCKET" stats z.db --format json
expect_rc 0
echo "$out" | python3 -c '
import json, sys
st = json.load(sys.stdin)
m = st["models"][0]
assert st["error_all"] is None and m["error_all"] is None, st
assert m["error_all_low"] is None and m["left_at_rate_0"] > 0, m
assert "no estimate over unreviewed cases is possible" in m["error_all_status"], m' ||
	fail "audit rate 0: $out"
run "$DOCKET" stats z.db
expect_out "no estimate over unreviewed cases is possible"
# an unknown figure never makes a condition hold
run "$DOCKET" stats z.db --fail-if 'error_all > 0'
expect_rc 0
expect_err "too few cases for error_all"

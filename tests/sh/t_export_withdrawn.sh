# export --since-last NAME after a final label is withdrawn: the case gets
# a row with action "withdrawn" and an empty human_label, so a pipeline
# keeping the last row per id drops it. Real exports before and after an
# undo, an amend to escalate, an amend to skip and an amend that keeps a
# label (a normal row), in CSV and JSON Lines; the next export repeats
# nothing; a case undone and decided again is a normal row only.
. "$DOCKET_TESTS/sh/lib.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
{
	echo "id,prediction,p:good,p:bad,Income"
	for i in 1 2 3 4 5 6; do echo "c$i,good,0.5$i,0.4$((10 - i)),$((100 + i))"; done
} > cases.csv
run "$DOCKET" import s.db cases.csv --model credit
expect_rc 0
run "$DOCKET" reviewer add s.db ann
expect_rc 0
for i in 1 2 3 4 5; do
	"$DOCKET" next s.db --reviewer ann >/dev/null
	if [ $i = 2 ]; then
		run "$DOCKET" decide s.db c2 --reviewer ann --action override --label bad --reason other
	else
		run "$DOCKET" decide s.db c$i --reviewer ann --action accept
	fi
	expect_rc 0
done
for f in csv jsonl; do
	run "$DOCKET" export s.db --out first.$f --format $f --since-last train-$f
	expect_rc 0
done

# withdrawn: c1 amended to escalate, c2 amended to skip, c5 undone (her
# last decision, undone first); c3 amended to override keeps a label; c4 untouched
run "$DOCKET" decide s.db c5 --reviewer ann --action undo
expect_rc 0
run "$DOCKET" decide s.db c1 --reviewer ann --action escalate --reason other --amend
expect_rc 0
run "$DOCKET" decide s.db c2 --reviewer ann --action skip --reason other --amend
expect_rc 0
run "$DOCKET" decide s.db c3 --reviewer ann --action override --label bad --reason other --amend
expect_rc 0
[ "$(sql s.db "SELECT ext_id || ':' || state FROM cases ORDER BY id" | paste -sd' ')" = \
  "c1:escalated c2:queued c3:done c4:done c5:held c6:queued" ] || fail "states: $(sql s.db "SELECT ext_id, state FROM cases")"
for f in csv jsonl; do
	run "$DOCKET" export s.db --out second.$f --format $f --since-last train-$f
	expect_rc 0
	expect_out "exported 4 rows, 3 withdrawn to second.$f"
done

python3 - <<'PY' || fail "exports do not say what was withdrawn"
import csv, json, sys
def rows(path):
    if path.endswith(".csv"):
        with open(path, newline="") as f:
            return list(csv.DictReader(f))
    with open(path) as f:
        return [json.loads(l) for l in f]
for fmt in ("csv", "jsonl"):
    first, second = rows("first." + fmt), rows("second." + fmt)
    assert [r["id"] for r in first] == ["c1", "c2", "c3", "c4", "c5"], first
    got = {r["id"]: (r["action"], r["human_label"] or "") for r in second}
    want = {"c3": ("override", "bad"), "c1": ("withdrawn", ""),
            "c2": ("withdrawn", ""), "c5": ("withdrawn", "")}
    assert got == want, (fmt, got)
    for r in second:
        if r["action"] == "withdrawn":
            # the case's own fields come too, and no reviewer or time
            assert r["Income"] not in ("", None), r
            assert (r["reviewer"] or "") == "" and (r["decided_at"] or "") == "", r
            assert str(r["override"]) == "0", r
    # the pipeline: the last row per id over both files
    last = {}
    for r in first + second:
        last[r["id"]] = r
    kept = sorted(i for i, r in last.items() if r["action"] != "withdrawn")
    assert kept == ["c3", "c4"], kept
    assert last["c3"]["human_label"] == "bad" and last["c4"]["human_label"] == "good"
print("ok")
PY
[ "$(sql s.db "SELECT json_extract(detail, '$.withdrawn') FROM decisions WHERE action = 'export' ORDER BY seq DESC LIMIT 1")" = 3 ] ||
	fail "the export entry does not count the withdrawn rows"

# nothing new: no row repeats
run "$DOCKET" export s.db --out third.csv --since-last train-csv
expect_rc 0
[ "$(wc -l < third.csv)" = 1 ] || fail "third export: $(cat third.csv)"

# c5 is decided again (override) before the next export: a normal row only
run "$DOCKET" decide s.db c5 --reviewer ann --action override --label bad --reason other
expect_rc 0
run "$DOCKET" decide s.db c4 --reviewer ann --action escalate --reason other --amend
expect_rc 0
run "$DOCKET" export s.db --out fourth.csv --since-last train-csv
expect_rc 0
python3 - <<'PY' || fail "fourth export: $(cat fourth.csv)"
import csv
rows = list(csv.DictReader(open("fourth.csv", newline="")))
got = sorted((r["id"], r["action"], r["human_label"]) for r in rows)
assert got == [("c4", "withdrawn", ""), ("c5", "override", "bad")], got
PY
# a name that never exported before: nothing to withdraw
run "$DOCKET" export s.db --out fresh.csv --since-last fresh
expect_rc 0
grep -q withdrawn fresh.csv && fail "a first export withdrew rows"
run "$DOCKET" verify s.db
expect_rc 0

# drift: PSI per context field and for the model's outputs, checked against
# an independent computation in Python from the imported files (deciles of
# the reference, its top values, (other), (missing), half a case added to
# every bin); empty bins, a field gone from a batch and a new one; --fail-if
# names the field; bins are kept and not recomputed; --set-reference is a
# supervisor's audited action.
. "$DOCKET_TESTS/sh/lib.sh"
fx="$DOCKET_TESTS/sh/monitor_fixture.py"

python3 "$fx" gen 1500 1 a.csv truth_a.csv
python3 "$fx" gen 1500 2 b0.csv truth_b.csv --shift
sed 's/^c/b/' b0.csv >b.csv
# batch 3: no 'group' column, a new 'channel' column
python3 - <<'PY'
import csv
rows = list(csv.DictReader(open("a.csv")))
with open("c.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "prediction", "confidence", "age", "region", "channel"])
    for i, r in enumerate(rows[:800]):
        w.writerow(["x" + r["id"], r["prediction"], r["confidence"], r["age"],
                    r["region"], ["web", "shop"][i % 2]])
PY
for f in a b c; do
	run "$DOCKET" import s.db $f.csv --model m
	expect_rc 0
done

run "$DOCKET" drift s.db --model m --batch 2 --format json
expect_rc 0
echo "$out" >d2.json
run "$DOCKET" drift s.db --model m --format json
expect_rc 0
echo "$out" >d3.json

python3 - <<'PY' || fail "drift figures differ from the independent computation"
import csv, json, math
def rows(f): return list(csv.DictReader(open(f)))
ref = rows("a.csv")
def num(v):
    try: return float(v)
    except ValueError: return None
def psi(r, c):
    k = len(r); rt = sum(r) + 0.5 * k; ct = sum(c) + 0.5 * k
    return sum(((c[i] + .5) / ct - (r[i] + .5) / rt) * math.log(((c[i] + .5) / ct) / ((r[i] + .5) / rt)) for i in range(k))
def numeric_bins(field, data):
    vals = sorted(num(r[field]) for r in ref if r.get(field, "") != "")
    edges = []
    for j in range(1, 10):
        e = vals[max(math.ceil(j * len(vals) / 10) - 1, 0)]
        if not edges or e > edges[-1]: edges.append(e)
    def count(d):
        c = [0] * (len(edges) + 3)
        for r in d:
            v = r.get(field, "")
            if v == "": c[-1] += 1; continue
            c[sum(1 for e in edges if num(v) > e)] += 1
        return c
    return count(ref), count(data)
def cat_bins(field, data):
    from collections import Counter
    cnt = Counter(r[field] for r in ref if r.get(field, "") != "")
    top = [v for v, _ in sorted(cnt.items(), key=lambda x: (-x[1], x[0]))[:10]]
    def count(d):
        c = [0] * (len(top) + 2)
        for r in d:
            v = r.get(field, "")
            if v == "": c[-1] += 1
            elif v in top: c[top.index(v)] += 1
            else: c[-2] += 1
        return c
    return count(ref), count(data)
for fname, data in (("d2.json", rows("b.csv")), ("d3.json", rows("c.csv"))):
    d = json.load(open(fname))
    f = {x["name"]: x for x in d["fields"]}
    got = {}
    for name, how in (("age", numeric_bins), ("region", cat_bins), ("group", cat_bins),
                      ("confidence", numeric_bins), ("prediction", cat_bins)):
        r, c = how(name, data)
        want = psi(r, c)
        assert abs(f[name]["psi"] - want) < 1e-9, (fname, name, f[name]["psi"], want)
        assert [b["reference_n"] for b in f[name]["bins"]] == r, (name, r)
        assert [b["n"] for b in f[name]["bins"]] == c, (name, c)
    ctx = [x for x in d["fields"] if x["source"] == "context"]
    # personal fields are left out (their values would be shown as bins)
    assert not [x for x in ctx if x["name"].startswith("pii:")], [x["name"] for x in ctx]
    assert "pii:segment" in open("a.csv").readline()
    assert d["psi_max"] == max(x["psi"] for x in ctx)
    assert d["psi_max_field"] == max(ctx, key=lambda x: x["psi"])["name"]
    assert d["missing_share_max"] == max(x["missing_share"] for x in ctx)
    assert d["reference"] == 1 and d["reference_set"] is False
    assert len(d["batches"]) == 3 and all(len(x["trend"]) == 3 for x in d["fields"])
d2 = json.load(open("d2.json"))
f2 = {x["name"]: x for x in d2["fields"]}
# the shifted batch: region gained a value the reference never had
# (its (other) bin was empty there), age moved up, group moved
assert f2["region"]["bins"][-2]["reference_n"] == 0 and f2["region"]["band"] == "significant"
assert f2["age"]["band"] == "significant" and d2["psi_max_field"] == "region"
assert d2["fields_new"] == 0 and d2["fields_gone"] == 0 and d2["batch"] == 2
d3 = json.load(open("d3.json"))
f3 = {x["name"]: x for x in d3["fields"]}
assert f3["group"]["status"] == "gone" and f3["group"]["missing_share"] == 1
assert f3["channel"]["status"] == "new" and f3["channel"]["missing_share"] == 0
assert f3["channel"]["missing_share_reference"] == 1
assert d3["fields_new"] == 1 and d3["fields_gone"] == 1 and d3["batch"] == 3
# the same rows as the reference: no drift in age
assert f3["age"]["psi"] < 0.01, f3["age"]
assert d3["missing_share_max"] == 1 and d3["missing_share_max_field"] == "group"
# routing: the share routed, as counted in the store
routed = [x for x in d2["fields"] if x["name"] == "routed"][0]
assert abs(d2["routed_share"] - routed["bins"][0]["n"] / 1500) < 1e-12 or \
       abs(d2["routed_share"] - routed["bins"][1]["n"] / 1500) < 1e-12
PY
routed=$(sql s.db "SELECT count(*) FROM cases WHERE batch_id = 2 AND route_reason IS NOT NULL")
python3 -c "import json,sys; d=json.load(open('d2.json')); assert abs(d['routed_share'] - $routed/1500) < 1e-12, d['routed_share']" ||
	fail "routed share differs from the store's count ($routed)"

# --fail-if: exit 3 and the field named; an unknown metric is refused
run "$DOCKET" drift s.db --model m --batch 2 --fail-if 'psi_max > 0.2'
expect_rc 3
expect_err "condition holds: psi_max > 0.2 (psi_max"
expect_err "on field 'region'"
run "$DOCKET" drift s.db --model m --batch 2 --fail-if 'psi_confidence > 0.5 or missing_share_max > 0.5'
expect_rc 0
run "$DOCKET" drift s.db --model m --fail-if 'missing_share_max > 0.5'
expect_rc 3
expect_err "on field 'group'"
run "$DOCKET" drift s.db --model m --fail-if 'routed_share > 2 and psi_max >= 0'
expect_rc 0
run "$DOCKET" drift s.db --model m --fail-if 'frob > 1'
expect_rc 2
expect_err "psi_max"

# the table
run "$DOCKET" drift s.db --model m --batch 2
expect_rc 0
expect_out "against reference batch 1"
expect_out "significant"
expect_out "over time"
run "$DOCKET" drift s.db --model m
expect_out "field gone"
expect_out "new field"

# Kept: a second run computes nothing (same rows, same times).
before=$(sql s.db "SELECT group_concat(batch_id || ':' || computed_at) FROM drift_summaries")
[ "$(sql s.db "SELECT count(*) FROM drift_summaries WHERE ref_batch = 1")" = 3 ] ||
	fail "want the bins of 3 batches kept"
run "$DOCKET" drift s.db --model m --format json
expect_rc 0
[ "$(sql s.db "SELECT group_concat(batch_id || ':' || computed_at) FROM drift_summaries")" = "$before" ] ||
	fail "the kept bins were computed again"
# ... and they are what is read: a kept count changed shows up
sql s.db "UPDATE drift_bins SET n = n + 100 WHERE batch_id = 3 AND ref_batch = 1 AND field = 'age' AND bin = 0"
run "$DOCKET" drift s.db --model m --format json
echo "$out" | python3 -c '
import json, sys
age = lambda d: [f for f in d["fields"] if f["name"] == "age"][0]["bins"][0]["n"]
assert age(json.load(sys.stdin)) == age(json.load(open("d3.json"))) + 100' ||
	fail "drift did not read the kept bins"

# A new policy version re-routes cases: the kept bins of its model are
# taken again (the routing figures change), the others are not stale.
run "$DOCKET" policy s.db --model m --threshold 0.95
expect_rc 0
run "$DOCKET" drift s.db --model m --batch 2 --format json
expect_rc 0
[ "$(sql s.db "SELECT count(*) FROM drift_summaries WHERE policy_version = 2")" = 3 ] ||
	fail "the bins were not taken again under the new policy"
echo "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["routed_share"] > json.load(open("d2.json"))["routed_share"] + 0.1, d["routed_share"]' ||
	fail "the routed share did not follow the new policy: $out"
routed=$(sql s.db "SELECT count(*) FROM cases WHERE batch_id = 2 AND route_reason IS NOT NULL")
echo "$out" | python3 -c "import json,sys; d=json.load(sys.stdin); assert abs(d['routed_share'] - $routed/1500) < 1e-12" ||
	fail "routed share differs from the store's count after re-routing"

# --set-reference: supervisors only, audited, then used
run "$DOCKET" reviewer add s.db ann
run "$DOCKET" drift s.db --model m --set-reference --batch 2 --as ann
expect_rc 1
run "$DOCKET" drift s.db --model m --set-reference --batch 9
expect_rc 2
expect_err "no batch 9"
run "$DOCKET" drift s.db --model m --set-reference --batch 2
expect_rc 0
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'reference' AND detail = '{\"model\":\"m\",\"batch\":2,\"previous\":null}'")" = 1 ] ||
	fail "no reference entry in the audit chain"
run "$DOCKET" verify s.db
expect_rc 0
run "$DOCKET" drift s.db --model m --batch 1 --format json
expect_rc 0
echo "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["reference"] == 2 and d["reference_set"] is True, d
assert d["psi_max"] > 0.2' || fail "the set reference is not used: $out"
run "$DOCKET" drift s.db --model m --against 1 --batch 1 --format json
expect_out '"psi_max":0,'

# usage
run "$DOCKET" drift s.db
expect_rc 2
run "$DOCKET" drift s.db --model nope
expect_rc 1
run "$DOCKET" drift s.db --model m --batch 0
expect_rc 2

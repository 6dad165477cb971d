# export: columns, filters, roles, PII, the audit entry's SHA-256, the
# round trip (an export imports again as predictions), --since-last.
. "$DOCKET_TESTS/sh/lib.sh"
me=$(id -un)

run "$DOCKET" export --help
expect_rc 0
expect_out "Usage: docket export STORE --out FILE"

run "$DOCKET" export s.db
expect_rc 2
expect_err "--out FILE is required"
run "$DOCKET" export s.db --out x.csv --only some
expect_rc 2
expect_err "--only takes reviewed, overrides or all, not 'some'"
run "$DOCKET" export s.db --out x.csv --format xml
expect_rc 2
expect_err "--format takes csv or jsonl"
run "$DOCKET" export s.db --out x.csv --since yesterday
expect_rc 2
expect_err "--since: 'yesterday' is not a time"
run "$DOCKET" export s.db --out x.csv --since-last n --only all
expect_rc 2
expect_err "cannot be combined with --only all"
run "$DOCKET" export nope.db --out x.csv
expect_rc 1
expect_err "nope.db: no such store"
[ ! -e x.csv ] || fail "x.csv written by a failed export"

run "$DOCKET" import s.db "$DOCKET_ROOT/sample-data/credit.csv" --model credit@v7
expect_rc 0
"$DOCKET" reviewer add s.db ann >/dev/null 2>&1 ||
	sqlite3 s.db "INSERT INTO reviewers(name, role, added_at, added_by) VALUES ('ann', 'reviewer', 0, 'x')"

# decide EXT ACTION LABEL AT: a final decision by ann, as the queue records it
# (audit entry, review in force, the case's final label).
decide() {
	sqlite3 s.db "
	INSERT INTO decisions(seq, at, reviewer, case_id, action, model_label, label, reason, prev_hash, hash)
	  SELECT coalesce((SELECT max(seq) FROM decisions), 0) + 1, $4, 'ann', id, '$2', prediction,
	         coalesce(nullif('$3', ''), prediction), 'r_$2', 'x', 'x'
	  FROM cases WHERE ext_id = '$1' AND model_id = (SELECT id FROM models WHERE name = 'credit');
	INSERT OR REPLACE INTO reviews(case_id, reviewer_id, seq, action, label, at)
	  SELECT case_id, (SELECT id FROM reviewers WHERE name = 'ann'), seq, action, label, at
	  FROM decisions WHERE seq = (SELECT max(seq) FROM decisions);
	UPDATE cases SET state = 'done', final_seq = d.seq, final_label = d.label, decided_at = d.at
	  FROM (SELECT seq, label, at, case_id FROM decisions WHERE seq = (SELECT max(seq) FROM decisions)) d
	  WHERE cases.id = d.case_id;"
}
decide app-00001 accept "" 1767225600000     # 2026-01-01T00:00:00Z
decide app-00002 override bad 1767229200000  # 01:00
decide app-00003 accept "" 1767232800000     # 02:00

run "$DOCKET" export s.db --out out.csv
expect_rc 0
expect_out "exported 3 rows to out.csv"
[ "$(stat -c %a out.csv)" = 600 ] || fail "export mode $(stat -c %a out.csv), want 600"
[ "$(head -1 out.csv)" = "id,prediction,confidence,human_label,override,action,reviewer,reason,decided_at,model,model_version,policy_version,source_file,source_sha256,Seniority,Home,Time,Age,Marital,Records,Job,Expenses,Income,Assets,Debt,Amount,Price,pii:name,pii:phone,p:good,p:bad,attr:Seniority,attr:Home,attr:Time,attr:Age,attr:Marital,attr:Records,attr:Job,attr:Expenses,attr:Income,attr:Assets,attr:Debt,attr:Amount,attr:Price" ] ||
	fail "header: $(head -1 out.csv)"
sha=$(sha256sum "$DOCKET_ROOT/sample-data/credit.csv" | cut -d' ' -f1)
grep -q "^app-00002,good,0.856573,bad,1,override,ann,r_override,2026-01-01T01:00:00Z,credit,v7,1,$DOCKET_ROOT/sample-data/credit.csv,$sha,17,rent,60,58,widow,no,fixed,48,131,0,0,1000,1658,Test Applicant 0002,(237) 555-0101,0.856573,0.143427,0.7564,-0.4571," out.csv ||
	fail "row of app-00002: $(grep app-00002 out.csv)"

# The audit entry names who, the filters, the rows and the file's SHA-256.
[ "$(sql s.db "SELECT reviewer || ' ' || json_extract(detail, '\$.rows') || ' ' || json_extract(detail, '\$.sha256') FROM decisions WHERE action = 'export'")" = \
  "$me 3 $(sha256sum out.csv | cut -d' ' -f1)" ] || fail "audit entry: $(sql s.db "SELECT detail FROM decisions WHERE action = 'export'")"
[ "$(sql s.db "SELECT json_extract(detail, '\$.file') FROM decisions WHERE action = 'export'")" = "$PWD/out.csv" ] ||
	fail "audit entry file"

# Filters.
run "$DOCKET" export s.db --out o.csv --only overrides
expect_out "exported 1 row to o.csv"
grep -q "^app-00002," o.csv || fail "overrides lacks app-00002"
run "$DOCKET" export s.db --out t.csv --since 2026-01-01T01:00 --until 2026-01-01T02:00:00Z
expect_out "exported 1 row"
grep -q "^app-00002," t.csv || fail "--since/--until took the wrong row"
run "$DOCKET" export s.db --out m.csv --model nosuch
expect_rc 1
expect_err "no model named 'nosuch'"
run "$DOCKET" export s.db --out m.csv --model credit@v8
expect_out "exported 0 rows"
run "$DOCKET" export s.db --out all.jsonl --only all
expect_out "exported 4454 rows to all.jsonl"
[ "$(grep -c '"action":"unreviewed"' all.jsonl)" = 4451 ] || fail "unreviewed rows"
grep -q '^{"id":"app-00004","prediction":"good","confidence":0.74872,"human_label":null,"override":0,"action":"unreviewed","reviewer":null' all.jsonl ||
	fail "unreviewed row: $(grep app-00004 all.jsonl)"

# PII dropped: no pii: column, no personal value.
run "$DOCKET" export s.db --out nopii.csv --drop-pii
expect_rc 0
! grep -q "pii:" nopii.csv || fail "pii: column with --drop-pii"
! grep -q "Test Applicant" nopii.csv || fail "personal data with --drop-pii"
run "$DOCKET" export s.db --out nopii.jsonl --drop-pii
! grep -q "pii:\|Test Applicant" nopii.jsonl || fail "pii in jsonl with --drop-pii"

# Only supervisors export; a refused export writes nothing and records nothing.
n=$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'export'")
run "$DOCKET" export s.db --out ann.csv --as ann
expect_rc 1
expect_err "'ann' is a reviewer; only supervisors may export"
run "$DOCKET" export s.db --out ann.csv --as eve
expect_rc 1
expect_err "'eve' is not a reviewer of this store"
[ ! -e ann.csv ] || fail "refused export left a file"
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'export'")" = "$n" ] ||
	fail "refused export recorded"
run "$DOCKET" export s.db --out s.db
expect_rc 1
expect_err "that is the store"

# Round trip: each export imports again as predictions of another model, with
# the same predictions, probabilities, attributions and context.
for f in out.csv all.jsonl; do
	run "$DOCKET" import s.db "$f" --model "rt-$f"
	expect_rc 0
	[ "$(sql s.db "SELECT count(*) FROM cases a JOIN cases b ON b.ext_id = a.ext_id
	  WHERE a.model_id = (SELECT id FROM models WHERE name = 'credit')
	  AND b.model_id = (SELECT id FROM models WHERE name = 'rt-$f')
	  AND a.prediction = b.prediction AND a.confidence = b.confidence
	  AND NOT EXISTS (SELECT 1 FROM json_each(a.probs) x LEFT JOIN json_each(b.probs) y
	      ON y.key = x.key WHERE y.value IS NOT x.value)
	  AND NOT EXISTS (SELECT 1 FROM json_each(a.attributions) x LEFT JOIN json_each(b.attributions) y
	      ON y.key = x.key WHERE y.value IS NOT x.value)
	  AND (SELECT count(*) FROM json_each(a.probs)) = (SELECT count(*) FROM json_each(b.probs))
	  AND (SELECT count(*) FROM json_each(a.attributions)) = (SELECT count(*) FROM json_each(b.attributions))
	  AND json_extract(b.context, '\$.\"pii:name\"') = json_extract(a.context, '\$.\"pii:name\"')
	  AND json_extract(b.context, '\$.Income') = json_extract(a.context, '\$.Income')")" = \
	  "$(sql s.db "SELECT count(*) FROM cases WHERE model_id = (SELECT id FROM models WHERE name = 'rt-$f')")" ] ||
		fail "round trip of $f changed predictions"
done
[ "$(sql s.db "SELECT json_extract(context, '\$.human_label') || ' ' || json_extract(context, '\$.action') FROM cases
  WHERE ext_id = 'app-00002' AND model_id = (SELECT id FROM models WHERE name = 'rt-out.csv')")" = "bad override" ] ||
	fail "re-imported export lost its human label"

# --since-last takes each correction once across three exports.
run "$DOCKET" export s.db --out n1.csv --since-last nightly
expect_out "exported 3 rows"
decide app-00005 override bad 1767240000000
run "$DOCKET" export s.db --out n2.csv --since-last nightly
expect_out "exported 1 row"
grep -q "^app-00005," n2.csv || fail "second export lacks app-00005"
run "$DOCKET" export s.db --out n3.csv --since-last nightly
expect_out "exported 0 rows"
[ "$(wc -l <n3.csv)" = 1 ] || fail "third export not just a header"
run "$DOCKET" export s.db --out n4.csv --since-last nightly --only overrides
expect_rc 1
expect_err "export 'nightly' was taken with the filters"

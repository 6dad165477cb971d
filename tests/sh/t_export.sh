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
expect_no_store nope.db
[ ! -e x.csv ] || fail "x.csv written by a failed export"

# Six credit applications, all routed (threshold 1), all claimed by ann.
head -7 "$DOCKET_ROOT/sample-data/credit.csv" >credit6.csv
# (made before the decisions below: times never fall along the log)
run env DOCKET_NOW=2025-12-31T00:00:00Z "$DOCKET" import s.db credit6.csv --model credit@v7 --threshold 1
expect_rc 0
expect_out "6 routed to review"
DOCKET_NOW=2025-12-31T00:00:00Z "$DOCKET" reviewer add s.db ann >/dev/null
for i in 1 2 3 4 5 6; do
	DOCKET_NOW=2026-01-01T00:00:00Z "$DOCKET" next s.db --reviewer ann >/dev/null
done

# decide ID ACTION LABEL TIME: ann's decision with the real command.
decide() {
	if [ -n "$3" ]; then
		DOCKET_NOW=$4 "$DOCKET" decide s.db "$1" --reviewer ann --model credit --action "$2" \
			--label "$3" --reason ambiguous >/dev/null
	else
		DOCKET_NOW=$4 "$DOCKET" decide s.db "$1" --reviewer ann --model credit --action "$2" >/dev/null
	fi
	# (what follows happens then too: the log's times never go back,
	# which PostgreSQL's rules check)
	DOCKET_NOW=$4
	export DOCKET_NOW
}
decide app-00001 accept "" 2026-01-01T00:00:00Z
decide app-00002 override bad 2026-01-01T00:01:00Z
decide app-00003 accept "" 2026-01-01T00:02:00Z

run "$DOCKET" export s.db --out out.csv
expect_rc 0
expect_out "exported 3 rows to out.csv"
[ "$(stat -c %a out.csv)" = 600 ] || fail "export mode $(stat -c %a out.csv), want 600"
[ "$(head -1 out.csv)" = "id,prediction,confidence,human_label,override,action,reviewer,reason,decided_at,model,model_version,policy_version,source_file,source_sha256,Seniority,Home,Time,Age,Marital,Records,Job,Expenses,Income,Assets,Debt,Amount,Price,pii:name,pii:phone,p:good,p:bad,attr:Seniority,attr:Home,attr:Time,attr:Age,attr:Marital,attr:Records,attr:Job,attr:Expenses,attr:Income,attr:Assets,attr:Debt,attr:Amount,attr:Price" ] ||
	fail "header: $(head -1 out.csv)"
sha=$(sha256sum credit6.csv | cut -d' ' -f1)
grep -q "^app-00002,good,0.856573,bad,1,override,ann,ambiguous,2026-01-01T00:01:00Z,credit,v7,1,credit6.csv,$sha,17,rent,60,58,widow,no,fixed,48,131,0,0,1000,1658,Test Applicant 0002,(237) 555-0101,0.856573,0.143427,0.7564,-0.4571," out.csv ||
	fail "row of app-00002: $(grep app-00002 out.csv)"

# The audit entry names who, the filters, the rows and the file's SHA-256.
[ "$(sql s.db "SELECT reviewer || ' ' || json_extract(detail, '\$.rows') || ' ' || json_extract(detail, '\$.sha256') FROM decisions WHERE action = 'export'" | tr -d '"')" = \
  "$me 3 $(sha256sum out.csv | cut -d' ' -f1)" ] || fail "audit entry: $(sql s.db "SELECT detail FROM decisions WHERE action = 'export'")"
[ "$(sql s.db "SELECT json_extract(detail, '\$.file') FROM decisions WHERE action = 'export'" | tr -d '"')" = "$PWD/out.csv" ] ||
	fail "audit entry file"

# The audit chain, export entries included, verifies.
run "$DOCKET" verify s.db
expect_rc 0

# Filters.
run "$DOCKET" export s.db --out o.csv --only overrides
expect_out "exported 1 row to o.csv"
grep -q "^app-00002," o.csv || fail "overrides lacks app-00002"
run "$DOCKET" export s.db --out t.csv --since 2026-01-01T00:01 --until 2026-01-01T00:02:00Z
expect_out "exported 1 row"
grep -q "^app-00002," t.csv || fail "--since/--until took the wrong row"
run "$DOCKET" export s.db --out m.csv --model nosuch
expect_rc 1
expect_err "no model named 'nosuch'"
run "$DOCKET" export s.db --out m.csv --model credit@v8
expect_out "exported 0 rows"
run "$DOCKET" export s.db --out all.jsonl --only all
expect_out "exported 6 rows to all.jsonl"
[ "$(grep -c '"action":"unreviewed"' all.jsonl)" = 3 ] || fail "unreviewed rows"
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
if on_sqlite; then
	expect_err "'eve' is not a reviewer of this store"
else
	# (the database refuses a role not granted the store, at once)
	expect_err "unknown reviewer 'eve'"
fi
[ ! -e ann.csv ] || fail "refused export left a file"
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'export'")" = "$n" ] ||
	fail "refused export recorded"
if on_sqlite; then # (the store is that file)
	run "$DOCKET" export s.db --out s.db
	expect_rc 1
	expect_err "that is the store"
fi

# Round trip: each export imports again as predictions of another model, with
# the same predictions, probabilities, attributions and context.
# Portable SQL for the checks below: a JSON number as a number, a JSON
# value as text, and a case's context with its personal values (kept
# apart, in case_pii, on PostgreSQL). (tr: a string's JSON text on
# PostgreSQL is quoted.)
num() { echo "CAST(CAST($1 AS TEXT) AS DOUBLE PRECISION)"; }
txt() { echo "CAST($1 AS TEXT)"; }
ctx() {
	if on_sqlite; then case_obj "$1" context
	else echo "context_full($1.id, $1.context)"; fi
}
for f in out.csv all.jsonl; do
	run "$DOCKET" import s.db "$f" --model "rt-$f"
	expect_rc 0
	[ "$(sql s.db "SELECT count(*) FROM cases a JOIN cases b ON b.ext_id = a.ext_id
	  WHERE a.model_id = (SELECT id FROM models WHERE name = 'credit')
	  AND b.model_id = (SELECT id FROM models WHERE name = 'rt-$f')
	  AND a.prediction = b.prediction AND a.confidence = b.confidence
	  AND NOT EXISTS (SELECT 1 FROM json_each($(case_obj a probs)) x LEFT JOIN json_each($(case_obj b probs)) y
	      ON y.key = x.key WHERE $(num y.value) IS DISTINCT FROM $(num x.value))
	  AND NOT EXISTS (SELECT 1 FROM json_each($(case_obj a attributions)) x LEFT JOIN json_each($(case_obj b attributions)) y
	      ON y.key = x.key WHERE $(num y.value) IS DISTINCT FROM $(num x.value))
	  AND (SELECT count(*) FROM json_each($(case_obj a probs))) = (SELECT count(*) FROM json_each($(case_obj b probs)))
	  AND (SELECT count(*) FROM json_each($(case_obj a attributions))) = (SELECT count(*) FROM json_each($(case_obj b attributions)))
	  AND $(txt "json_extract($(ctx b), '\$.\"pii:name\"')") = $(txt "json_extract($(ctx a), '\$.\"pii:name\"')")
	  AND $(txt "json_extract($(case_obj b context), '\$.Income')") = $(txt "json_extract($(case_obj a context), '\$.Income')")")" = \
	  "$(sql s.db "SELECT count(*) FROM cases WHERE model_id = (SELECT id FROM models WHERE name = 'rt-$f')")" ] ||
		fail "round trip of $f changed predictions"
done
[ "$(sql s.db "SELECT json_extract($(case_obj c context), '\$.human_label') || ' ' || json_extract($(case_obj c context), '\$.action') FROM cases c
  WHERE ext_id = 'app-00002' AND model_id = (SELECT id FROM models WHERE name = 'rt-out.csv')" | tr -d '"')" = "bad override" ] ||
	fail "re-imported export lost its human label"

# --since-last takes each correction once across three exports; a case
# whose label changed since (undo, new decision) is taken again.
run "$DOCKET" export s.db --out n1.csv --since-last nightly
expect_out "exported 3 rows"
decide app-00005 override bad 2026-01-01T00:03:00Z
run "$DOCKET" export s.db --out n2.csv --since-last nightly
expect_out "exported 1 row"
grep -q "^app-00005," n2.csv || fail "second export lacks app-00005"
decide app-00005 undo "" 2026-01-01T00:04:00Z
decide app-00005 accept "" 2026-01-01T00:05:00Z
decide app-00006 accept "" 2026-01-01T00:05:00Z
run "$DOCKET" export s.db --out n2b.csv --since-last nightly
expect_out "exported 2 rows"
grep -q "^app-00005,good,[0-9.]*,good,0,accept,ann," n2b.csv || fail "corrected app-00005 not taken again"
grep -q "^app-00006," n2b.csv || fail "app-00006 not taken"
run "$DOCKET" export s.db --out n3.csv --since-last nightly
expect_out "exported 0 rows"
[ "$(wc -l <n3.csv)" = 1 ] || fail "third export not just a header"
run "$DOCKET" export s.db --out n4.csv --since-last nightly --only overrides
expect_rc 1
expect_err "export 'nightly' was taken with the filters"

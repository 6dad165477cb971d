# The sample files import with the figures sample-data/README.md gives;
# lineage, counters and labels are right; the same file twice is refused
# unless --force; a missing store is created; JSONL and CSV agree.
. "$DOCKET_TESTS/sh/lib.sh"
S=$DOCKET_ROOT/sample-data
export DOCKET_NOW=2026-01-02T03:04:05Z

run "$DOCKET" import s.db "$S/credit.csv" --model credit@v1
expect_rc 0
# 2027 below 0.8 (README) + the gold rows at or above it.
gold_hi=$(awk -F, 'NR > 1 && $34 != "" && $3 >= 0.8' "$S/credit.csv" | wc -l)
want=$((2027 + gold_hi))
expect_out "imported 4454 cases from $S/credit.csv into credit@v1: $want routed to review (batch 1)"
! on_sqlite || [ "$(stat -c %a s.db)" = 600 ] || fail "created store is not private"

[ "$(sql s.db "SELECT count(*) FROM cases WHERE model_id = 1")" = 4454 ] || fail "rows"
[ "$(sql s.db "SELECT count(*) FROM cases WHERE state = 'queued'")" = $want ] || fail "queued"
[ "$(sql s.db "SELECT count(*) FROM cases WHERE gold IS NOT NULL")" = 45 ] || fail "gold"
[ "$(sql s.db "SELECT count(*) FROM cases WHERE gold IS NOT NULL AND state <> 'queued'")" = 0 ] || fail "gold not queued"
[ "$(sql s.db "SELECT count(*) FROM cases WHERE priority = 1")" = 217 ] || fail "priority"
[ "$(sql s.db "SELECT count(*) FROM cases WHERE confidence < 0.8 AND gold IS NULL AND route_reason NOT LIKE 'confidence 0.% < 0.80%'")" = 0 ] || fail "reasons"
# gold: as its rule would route it when one does (confidence < 0.8), else
# spread as a spot check
[ "$(sql s.db "SELECT count(*) FROM cases WHERE gold IS NOT NULL AND (route_reason = 'gold check' AND confidence >= 0.8 OR route_reason LIKE 'gold check; confidence 0.% < 0.80%' AND confidence < 0.8 AND urgency = confidence)")" = 45 ] || fail "gold reasons: $(sql s.db "SELECT ext_id, confidence, route_reason FROM cases WHERE gold IS NOT NULL")"
[ "$(sql s.db "SELECT count(DISTINCT route_reason = 'gold check') FROM cases WHERE gold IS NOT NULL")" = 2 ] || fail "the sample no longer has gold cases of both kinds"
[ "$(sql s.db "SELECT count(*) FROM cases WHERE route_reason IS NULL")" = $((4454 - want)) ] || fail "auto cases have no reason"
# lineage
[ "$(sql s.db "SELECT source_sha256 FROM batches WHERE id = 1")" = "$(sha256sum < "$S/credit.csv" | cut -d' ' -f1)" ] || fail "sha256"
[ "$(sql s.db "SELECT source_file||'|'||model_version||'|'||format||'|'||rows||'|'||routed||'|'||imported_by||'|'||imported_at||'|'||forced FROM batches WHERE id = 1")" = \
  "$S/credit.csv|v1|csv|4454|$want|$(id -un)|1767323045000|0" ] || fail "batch row: $(sql s.db 'SELECT * FROM batches')"
# counters match the table
[ "$(sql s.db "SELECT state||'='||n FROM counters WHERE model_id = 1 ORDER BY state" | paste -sd,)" = \
  "auto=$((4454 - want)),queued=$want" ] || fail "counters: $(sql s.db 'SELECT * FROM counters')"
# model row: labels from the p: columns, salt, policy version 1
[ "$(sql s.db "SELECT labels FROM models WHERE name = 'credit'")" = '["good","bad"]' ] || fail "labels"
[ "$(sql s.db "SELECT length(audit_salt) FROM models WHERE name = 'credit'")" = 32 ] || fail "salt"
[ "$(sql s.db "SELECT policy FROM policies WHERE model_id = 1 AND version = 1")" = '{"threshold":0.8,"label_thresholds":{},"margin":0,"entropy":0,"audit_rate":0,"double_rate":0,"gold_routing":"as-rule"}' ] || fail "policy"
# one case in full: line 4 of the file is app-00003
[ "$(sql s.db "SELECT line||'|'||prediction||'|'||confidence||'|'||$(case_obj c probs)||'|'||priority FROM cases c WHERE ext_id = 'app-00003'")" = \
  '4|bad|0.613327|{"good":0.386673,"bad":0.613327}|1' ] || fail "app-00003: $(sql s.db "SELECT * FROM cases WHERE ext_id = 'app-00003'")"
# margin and entropy (normalised to [0,1], policy.h: -(p ln p + q ln q) / ln 2)
# are not stored (SQLite's schema 8, PostgreSQL's imports since revision
# 6): readers compute them from the probabilities the way routing did
# (casefeat_get)
[ "$(sql s.db "SELECT count(*) FROM cases WHERE margin IS NOT NULL OR entropy IS NOT NULL")" = 0 ] ||
	fail "margin and entropy stored"
{ head -1 "$S/credit.csv"; grep '^app-00003,' "$S/credit.csv"; } >one.csv
"$DOCKET" import one.db one.csv --model credit >/dev/null || fail "importing one.csv"
"$DOCKET" reviewer add one.db ann >/dev/null || fail "reviewer add"
nx=$("$DOCKET" next one.db --reviewer ann)
case $nx in *'"margin":0.226654,'*) ;; *) fail "next: margin: $nx" ;; esac
en=$(printf '%s\n' "$nx" | sed -n 's/.*"entropy":\([0-9.e-]*\),.*/\1/p')
awk -v e="$en" 'BEGIN { w = -(0.386673*log(0.386673) + 0.613327*log(0.613327)) / log(2);
	exit !(e != "" && (e - w < 1e-9 && w - e < 1e-9)) }' || fail "next: entropy $en: $nx"
# (on PostgreSQL personal values are kept apart, in case_pii, which
# reviewers cannot read: cases.context has them masked)
ctx=$(case_obj c context)
on_sqlite || ctx="(SELECT p.context FROM case_pii p WHERE p.case_id = c.id)"
# (the JSON text of a value on PostgreSQL, quoted)
[ "$(sql s.db "SELECT json_extract($(case_obj c context), '\$.Home')||'|'||json_extract($ctx, '\$.\"pii:name\"')||'|'||json_extract($(case_obj c attributions), '\$.Records') FROM cases c WHERE ext_id = 'app-00003'" | tr -d '"')" = \
  'owner|Test Applicant 0003|1.3993' ] || fail "context/attributions"

# The same bytes again: refused, store unchanged; --force accepted.
dump s.db > before
run "$DOCKET" import s.db "$S/credit.csv" --model credit
expect_rc 1
expect_err "already imported on 2026-01-02T03:04:05Z as batch 1 (model credit@v1"
dump s.db > after
cmp -s before after || fail "refused import changed the store"
run "$DOCKET" import s.db "$S/credit.csv" --model other
expect_rc 1
expect_err "use --force to import it again"
run "$DOCKET" import s.db "$S/credit.csv" --model credit-b --force
expect_rc 0
expect_out "imported 4454 cases"
[ "$(sql s.db "SELECT forced FROM batches ORDER BY id DESC LIMIT 1")" = 1 ] || fail "forced not recorded"
# --force into the same model still cannot duplicate ids
run "$DOCKET" import s.db "$S/credit.csv" --model credit --force
expect_rc 1
expect_err_exact "$S/credit.csv:2:1: id: \"app-00001\" is already in the store for model credit (batch 1, $S/credit.csv line 2)"

# JSON Lines and CSV of the same reviews give the same cases.
run "$DOCKET" import s.db "$S/reviews.jsonl" --model rj
expect_rc 0
expect_out "imported 1000 cases from $S/reviews.jsonl into rj: 553 routed to review (batch"
run "$DOCKET" import s.db "$S/reviews.csv" --model rc
expect_rc 0
expect_out "imported 1000 cases from $S/reviews.csv into rc: 553 routed to review (batch"
[ "$(sql s.db "SELECT count(*) FROM cases a JOIN cases b ON a.ext_id = b.ext_id
   WHERE a.model_id = (SELECT id FROM models WHERE name = 'rj')
     AND b.model_id = (SELECT id FROM models WHERE name = 'rc')
     AND a.text = b.text AND CAST(CAST(json_extract($(case_obj a probs), '\$.great') AS TEXT) AS DOUBLE PRECISION) = CAST(CAST(json_extract($(case_obj b probs), '\$.great') AS TEXT) AS DOUBLE PRECISION)
     AND a.state = b.state AND a.confidence = b.confidence AND a.gold IS NOT DISTINCT FROM b.gold
     AND CAST(json_extract($(case_obj a context), '\$.product') AS TEXT) = CAST(json_extract($(case_obj b context), '\$.product') AS TEXT)")" = 1000 ] \
  || fail "jsonl and csv disagree"
# multi-line text: the case's line is where its record starts
l=$(grep -n '^rev-0003,' "$S/reviews.csv" | cut -d: -f1)
[ "$(sql s.db "SELECT line FROM cases WHERE ext_id = 'rev-0003' AND model_id = (SELECT id FROM models WHERE name = 'rc')")" = "$l" ] || fail "csv line of rev-0003"
[ "$(sql s.db "SELECT line FROM cases WHERE ext_id = 'rev-0003' AND model_id = (SELECT id FROM models WHERE name = 'rj')")" = 3 ] || fail "jsonl line"
[ "$(sql s.db "SELECT attributions FROM cases WHERE ext_id = 'rev-0545' AND model_id = (SELECT id FROM models WHERE name = 'rj')")" = "" ] || fail "rev-0545 has no attributions"
[ "$(sql s.db "SELECT labels FROM models WHERE name = 'rj'")" = '["great","other"]' ] || fail "rj labels"

# format from --format when the name says nothing; usage errors
cp "$S/reviews.jsonl" rev.txt
run "$DOCKET" import s.db rev.txt --model rt
expect_rc 2
expect_err "use --format csv or --format jsonl"
run "$DOCKET" import s.db rev.txt --model rt --format jsonl --force
expect_rc 0
run "$DOCKET" import s.db "$S/credit.csv"
expect_rc 2
expect_err "--model NAME is required"
run "$DOCKET" import s.db "$S/credit.csv" --model x --threshold 1.5
expect_rc 2
run "$DOCKET" import s.db nosuch.csv --model x
expect_rc 1
expect_err "nosuch.csv: cannot open"
run "$DOCKET" import new.db nosuch.csv --model x
[ ! -e new.db ] || fail "a failed import left a new store behind"

# An existing model keeps its threshold; a different --threshold is refused.
run "$DOCKET" import t.db "$S/reviews.csv" --model m --threshold 0.5
expect_rc 0
[ "$(sql t.db "SELECT count(*) FROM cases WHERE state = 'queued'")" = \
  "$(sql t.db "SELECT count(*) FROM cases WHERE confidence < 0.5 OR gold IS NOT NULL")" ] || fail "threshold 0.5"
run "$DOCKET" import t.db "$S/reviews.jsonl" --model m --threshold 0.9
expect_rc 1
expect_err "model m already has a routing policy (version 1, threshold 0.5)"

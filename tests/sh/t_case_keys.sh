# A batch keeps its key lists once and its cases hold just their values in
# that order (issue 17; src/casejson.c). What docket shows and writes must
# not change: the same work on the same store, once as this docket keeps it
# and once as an older docket did (every case an object, schema 5, no key
# lists: made here with the sqlite3 CLI), gives byte-identical exports (CSV,
# JSON Lines), cases, next, stats --by, drift, report, verify and review
# screen; the older store verifies. Rows whose keys are not their batch's
# (an empty attr: cell, a JSON line with other keys) stay objects.
. "$DOCKET_TESTS/sh/lib.sh"
sqlite_only "the older store is made with the sqlite3 CLI"
. "$DOCKET_TESTS/sh/tmux.sh"
export DOCKET_NOW=2026-01-02T03:04:05Z
S=$DOCKET_ROOT/sample-data

head -301 "$S/credit.csv" >a.csv
{ head -1 "$S/credit.csv"; sed -n '302,601p' "$S/credit.csv"; } >b.csv
# an empty attr:Home cell: that row's attributions lack the key
sed -i 's/^\(app-00005,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*\),[^,]*,/\1,,/' a.csv
{
	printf '{"id":"j1","prediction":"yes","p:yes":0.7,"p:no":0.3,"attr:w":-0.1230,"colour":"r\\u00e9d, \\"x\\"","n":1e5,"pii:email":"a@b","text":"hi"}\n'
	printf '{"id":"j2","prediction":"no","p:yes":0.2,"p:no":0.8,"attr:w":1.50,"colour":"blue","n":2,"pii:email":"c@d","text":"yo"}\n'
	printf '{"id":"j3","prediction":"no","p:no":0.6,"p:yes":0.4,"n":3,"colour":"green","pii:email":"e@f"}\n'
	printf '{"id":"j4","prediction":"yes","p:yes":0.55,"p:no":0.45,"attr:w":0,"colour":null,"n":true,"pii:email":"g@h"}\n'
} >c.jsonl
mkdir new old
(cd new &&
	"$DOCKET" import s.db ../a.csv --model credit >/dev/null &&
	"$DOCKET" import s.db ../b.csv --model credit >/dev/null &&
	"$DOCKET" import s.db ../c.jsonl --model j >/dev/null &&
	"$DOCKET" reviewer add s.db ann >/dev/null) || fail "setting up the store"
# the forms: arrays where the keys are the batch's (numbers packed: '#'),
# objects elsewhere
[ "$(sql new/s.db "SELECT group_concat(ext_id || ':' || substr(context, 1, 1) ||
	substr(coalesce(attributions, '-'), 1, 1) || substr(probs, 1, 1), ' ')
	FROM cases WHERE ext_id IN ('app-00004', 'app-00005', 'j1', 'j2', 'j3', 'j4')")" = \
	'app-00004:[## app-00005:[{# j1:[## j2:[## j3:{-{ j4:[##' ] ||
	fail "stored forms: $(sql new/s.db "SELECT ext_id, context, attributions, probs FROM cases
	WHERE ext_id IN ('app-00005', 'j1', 'j3', 'j4')")"
[ "$(sql new/s.db "SELECT ctx_keys FROM batches WHERE id = 3")" = \
	'["colour","n","pii:email"]' ] || fail "JSON Lines key list"

# Margin and entropy are not stored (schema 8): readers compute them from
# the probabilities (casejson_features).
[ "$(sql new/s.db "SELECT count(*) FROM cases WHERE margin IS NOT NULL OR entropy IS NOT NULL")" = 0 ] ||
	fail "margin or entropy stored"

# The older store: the objects, written by the sqlite3 CLI (case_obj:
# the expansion again, in SQL), the key lists dropped, schema 5, and
# margin and entropy stored as an older docket did (every case here has
# two probabilities: policy_features' sums in its order, in SQL).
cp new/s.db old/s.db
p1="(SELECT value FROM json_each(probs) LIMIT 1)"
p2="(SELECT value FROM json_each(probs) LIMIT 1 OFFSET 1)"
h() { printf 'CASE WHEN %s > 0 THEN %s * ln(%s) ELSE 0.0 END' "$1" "$1" "$1"; }
sql old/s.db "UPDATE cases SET context = $(case_obj cases context),
	probs = $(case_obj cases probs), attributions = $(case_obj cases attributions);
	UPDATE cases SET margin = max($p1, $p2) - min($p1, $p2),
	entropy = ((0.0 - $(h "$p1")) - $(h "$p2")) / ln(2.0) WHERE probs IS NOT NULL;
	ALTER TABLE batches DROP COLUMN ctx_keys; ALTER TABLE batches DROP COLUMN attr_keys;
	ALTER TABLE batches DROP COLUMN prob_keys; PRAGMA user_version = 5; VACUUM"
[ "$(sql old/s.db "SELECT count(*) FROM cases WHERE context LIKE '[%'
	OR probs LIKE '[%' OR attributions LIKE '[%'")" = 0 ] || fail "older store has arrays"
[ "$(sql old/s.db "SELECT count(*) FROM cases WHERE margin IS NULL OR entropy IS NULL
	OR (SELECT count(*) FROM json_each(probs)) != 2")" = 0 ] || fail "older store lacks margin or entropy"
[ "$(sql old/s.db "SELECT json_extract(context, '\$.colour') FROM cases WHERE ext_id = 'j1'")" = \
	'réd, "x"' ] || fail "older store: $(sql old/s.db "SELECT context FROM cases WHERE ext_id = 'j1'")"

# The same work on both, every output kept (in one directory: the log
# records where exports went).
for d in new old; do
	mv "$d" w
	(
	cd w || exit 1
	o() { "$DOCKET" "$@" >>outputs 2>&1; echo "rc=$?" >>outputs; }
	o verify s.db
	for _ in 1 2 3; do o next s.db --reviewer ann; done
	o decide s.db app-00002 --reviewer ann --action override --label bad
	o next s.db --reviewer ann --model j
	o decide s.db j1 --reviewer ann --action accept
	o export s.db --out all.csv --only all
	o export s.db --out all.jsonl --format jsonl --only all
	o export s.db --out rev.csv
	o cases s.db
	o cases s.db --model j
	o stats s.db --by Home
	o stats s.db --by Age:10 --format json
	o stats s.db --by colour --model j
	o stats s.db --by pii:email --model j
	o drift s.db --model credit --batch 2
	o report s.db --model credit --out report.md --format md
	o verify s.db
	cat all.csv all.jsonl rev.csv report.md >>outputs
	) || fail "running the work in $d"
	mv w "$d"
done
grep -q 'intact' old/outputs || fail "the older store does not verify: $(cat old/outputs)"
grep -q '"context":{"colour":null,"n":true,"pii:email":"(masked)"}' new/outputs || fail "next lacks the object context"
cmp -s new/outputs old/outputs || fail "outputs differ:
$(diff new/outputs old/outputs | head -20)"
# (the older store was brought to this schema on open, objects kept)
[ "$(sql old/s.db "PRAGMA user_version")" = "$(sql new/s.db "PRAGMA user_version")" ] ||
	fail "the older store was not migrated"

# The review screen of one case, on both.
for d in new old; do
	tmux_start 120 40 "DOCKET_NOW=$DOCKET_NOW" "$DOCKET" review "$d/s.db" --reviewer ann --case app-00010
	wait_for "app-00010"
	wait_for "Seniority"
	screen >"$d.screen"
	keys q
	wait_exit
	$T kill-session -t t
done
cmp -s new.screen old.screen || fail "review screens differ:
$(diff new.screen old.screen)"
grep -q 'Home' new.screen || fail "the screen lacks the context: $(cat new.screen)"

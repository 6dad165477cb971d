# Packed numbers (casejson_pack: probabilities and attributions as 4-bit
# codes after '#') are not UTF-8, so they are BLOBs (schema 9), not TEXT. A
# store of schema 8 (the same bytes as TEXT: made here with the sqlite3
# CLI) is converted when opened, and reads as it did: the same work on it
# and on a store this docket made gives byte-identical next, export (CSV,
# JSON Lines), cases, routing again (policy), stats --by, drift and verify
# (the batches' digests cover the expanded values), and the converted store
# reads with Python's sqlite3 (t_store_utf8 checks every table of a new
# store).
. "$DOCKET_TESTS/sh/lib.sh"
sqlite_only "the schema 8 store is made with the sqlite3 CLI"
export DOCKET_NOW=2026-01-02T03:04:05Z
S=$DOCKET_ROOT/sample-data

mkdir new old
head -401 "$S/credit.csv" >new/a.csv
{ head -1 "$S/credit.csv"; sed -n '402,801p' "$S/credit.csv"; } >new/b.csv
(cd new &&
	"$DOCKET" import s.db a.csv --model credit >/dev/null &&
	"$DOCKET" import s.db b.csv --model credit >/dev/null &&
	"$DOCKET" import s.db "$S/reviews.jsonl" --model rj >/dev/null &&
	"$DOCKET" reviewer add s.db ann >/dev/null) || fail "setting up the store"
cp new/a.csv new/b.csv old/
blobs="SELECT count(*) FROM cases WHERE typeof(probs) = 'blob' OR typeof(attributions) = 'blob'"
texts="SELECT count(*) FROM cases WHERE hex(substr(CAST(probs AS BLOB), 1, 1)) = '23' AND typeof(probs) = 'text'
	OR hex(substr(CAST(attributions AS BLOB), 1, 1)) = '23' AND typeof(attributions) = 'text'"
[ "$(sql new/s.db "$blobs")" -gt 1000 ] || fail "new store: packed values are not blobs"
[ "$(sql new/s.db "$texts")" = 0 ] || fail "new store: packed values as text"

# the store as docket 8 left it
cp new/s.db old/s.db
sql old/s.db "UPDATE cases SET probs = CAST(probs AS TEXT) WHERE typeof(probs) = 'blob';
	UPDATE cases SET attributions = CAST(attributions AS TEXT) WHERE typeof(attributions) = 'blob';
	PRAGMA user_version = 8"
[ "$(sql old/s.db "$texts")" = "$(sql new/s.db "$blobs")" ] || fail "the v8 store lacks packed text"
[ "$(sql old/s.db "$blobs")" = 0 ] || fail "the v8 store has blobs"

# The same work on both, every output kept (in one directory: the log
# records where exports went).
for d in new old; do
	mv "$d" w
	(
	cd w || exit 1
	o() { "$DOCKET" "$@" >>outputs 2>&1; echo "rc=$?" >>outputs; }
	o verify s.db
	for _ in 1 2 3; do o next s.db --reviewer ann --model credit; done
	o decide s.db app-00002 --reviewer ann --action override --label bad
	o next s.db --reviewer ann --model rj
	o export s.db --out all.csv --only all
	o export s.db --out all.jsonl --format jsonl --only all
	o cases s.db --model rj
	# routing again reads the probabilities (margin, entropy)
	o policy s.db --model credit --threshold 0.5 --margin 0.3 --entropy 0.95
	o queue s.db
	o cases s.db --model credit --state queued
	o stats s.db --by Home
	o drift s.db --model credit --batch 2
	o verify s.db
	cat all.csv all.jsonl >>outputs
	) || fail "running the work in $d"
	mv w "$d"
done
grep -q '^re-routed 797 undecided cases: 0 newly queued, 190 no longer routed, 339 changed$' new/outputs ||
	fail "policy: $(grep -a '^re-routed' new/outputs)"
grep -q 'intact' old/outputs || fail "the converted store does not verify: $(cat old/outputs)"
grep -q '"probs":{"good":' new/outputs || fail "next lacks the probabilities: $(head -c 600 new/outputs)"
grep -q '"attributions":{"Seniority":' new/outputs || fail "next lacks the attributions"
cmp -s new/outputs old/outputs || fail "outputs differ:
$(diff new/outputs old/outputs | head -20)"

# converted on open, every value, and the version says so
[ "$(sql old/s.db "PRAGMA user_version")" = "$(sql new/s.db "PRAGMA user_version")" ] ||
	fail "the v8 store was not migrated: $(sql old/s.db "PRAGMA user_version")"
[ "$(sql old/s.db "$texts")" = 0 ] || fail "packed text left after the migration"
[ "$(sql old/s.db "$blobs")" = "$(sql new/s.db "$blobs")" ] || fail "not every packed value converted"
[ "$(sql old/s.db "SELECT hex(probs) || hex(attributions) FROM cases ORDER BY id")" = \
	"$(sql new/s.db "SELECT hex(probs) || hex(attributions) FROM cases ORDER BY id")" ] ||
	fail "converted bytes differ"
if command -v python3 >/dev/null; then
	run python3 "$DOCKET_TESTS/sh/text_utf8.py" old/s.db
	[ "$rc" = 0 ] || fail "the converted store does not read as UTF-8: $out $err"
fi

# A store whose JSON was damaged by hand: export stops with a message that
# names the case as imported and which of its JSON columns is bad, in both
# passes of a CSV export and in JSON Lines, and leaves no file.
. "$DOCKET_TESTS/sh/lib.sh"
printf 'id,prediction,p:yes,p:no,attr:x,colour\n' >p.csv
printf 'c1,yes,0.6,0.4,0.5,red\n' >>p.csv
"$DOCKET" import s.db p.csv --model m >/dev/null
"$DOCKET" next s.db >/dev/null
"$DOCKET" decide s.db c1 --action accept >/dev/null
run "$DOCKET" export s.db --out ok.csv
expect_rc 0
sql_forge s.db "UPDATE cases SET attributions = '{\"x\":' WHERE ext_id = 'c1'"
for f in bad.csv bad.jsonl; do
	run "$DOCKET" export s.db --out "$f"
	expect_rc 1
	expect_err "case c1: malformed attributions JSON in the store"
	[ ! -e "$f" ] || fail "$f was left behind"
done
sql_forge s.db "UPDATE cases SET attributions = '{\"x\":0.5}', context = '{\"a\":1' WHERE ext_id = 'c1'"
run "$DOCKET" export s.db --out bad.csv
expect_rc 1
expect_err "case c1: malformed context JSON in the store"
# The array form (a batch's key list, the case's values in its order;
# SQLite only: PostgreSQL keeps objects) is walked as stored: a value too
# many, too few or damaged is named the same way, in both passes and in
# JSON Lines.
on_sqlite || exit 0
[ "$(sql s.db "SELECT attributions FROM cases WHERE ext_id = 'c1'")" = '{"x":0.5}' ] &&
	sql_forge s.db "UPDATE cases SET attributions = '[0.5]', context = '[\"red\"]' WHERE ext_id = 'c1'"
run "$DOCKET" export s.db --out ok2.csv
expect_rc 0
cmp -s ok.csv ok2.csv || fail "the array form exports otherwise: $(diff ok.csv ok2.csv)"
for v in "[0.5,1]:its attributions in the store has 2 values, its batch's key list 1" \
	"[]:its attributions in the store has 0 values" '[0.5:malformed attributions JSON' \
	'[0.5,]:malformed attributions JSON'; do
	sql_forge s.db "UPDATE cases SET attributions = '${v%%:*}' WHERE ext_id = 'c1'"
	for f in bad.csv bad.jsonl; do
		run "$DOCKET" export s.db --out "$f"
		expect_rc 1
		expect_err "case c1: ${v#*:}"
		[ ! -e "$f" ] || fail "$f was left behind"
	done
done

# Every file in tests/broken/ with a NAME.expect beside it fails to import
# with exit 1 and exactly the message in NAME.expect on stderr, nothing on
# stdout, and leaves the store as it was (a dump before and after).
. "$DOCKET_TESTS/sh/lib.sh"
B=$DOCKET_TESTS/broken
cp "$B/base.ok.csv" base.csv
run "$DOCKET" import base.db base.csv --model m
expect_rc 0
expect_out "imported 3 cases from base.csv into m: 3 routed to review (batch 1)"
dump base.db > before
n=0
for e in "$B"/*.expect; do
	f=$(basename "$e" .expect)
	cp "$B/$f" "$f"
	store_copy base.db s.db
	run "$DOCKET" import s.db "$f" --model m
	[ "$rc" -eq 1 ] || fail "$f: exit $rc, want 1 (stdout: $out, stderr: $err)"
	[ -z "$out" ] || fail "$f: wrote to stdout: $out"
	[ "$err" = "$(cat "$e")" ] || fail "$f: stderr differs
expected: $(cat "$e")
got:      $err"
	dump s.db > after
	cmp -s before after || fail "$f: the store changed: $(diff before after | head -5)"
	# The same file into a store that does not exist leaves no store, and
	# none of its -wal, -shm, -journal.
	case "$f" in *in-store*) n=$((n + 1)); continue ;; esac
	run "$DOCKET" import fresh.db "$f" --model m
	[ "$rc" -eq 1 ] || fail "$f (fresh store): exit $rc"
	for sfx in "" -wal -shm -journal; do
		[ ! -e "fresh.db$sfx" ] || fail "$f: a failed import left fresh.db$sfx behind"
	done
	n=$((n + 1))
done
[ "$n" -ge 80 ] || fail "only $n broken files"
echo "$n broken files checked"

# Accepted on purpose: BOM, CRLF, quoted fields with commas, quotes and line
# breaks, a prediction that is not the argmax, empty optional cells, p:
# values that sum to 1 within the tolerance.
printf '\357\273\277id,prediction,p:good,p:bad,text,attr:x,gold,priority\r\n' > ok.csv
printf 'k1,bad,0.6,0.4,"a, ""quoted""\nline",,,\r\n' >> ok.csv
printf 'k2,good,0.5004,0.5,plain,-0.5,good,3\r\n' >> ok.csv
run "$DOCKET" import s2.db ok.csv --model ok
expect_rc 0
expect_out "imported 2 cases from ok.csv into ok: 2 routed to review (batch 1)"
[ "$(sql s2.db "SELECT ext_id||'|'||line||'|'||prediction||'|'||confidence||'|'||text FROM cases WHERE ext_id = 'k1'")" = 'k1|2|bad|0.4|a, "quoted"
line' ] || fail "k1: $(sql s2.db "SELECT * FROM cases")"
[ "$(sql s2.db "SELECT line||'|'||$(case_obj c attributions)||'|'||gold||'|'||priority FROM cases c WHERE ext_id = 'k2'")" = '4|{"x":-0.5}|good|3' ] || fail "k2: $(sql s2.db "SELECT * FROM cases")"
[ "$(sql s2.db "SELECT CASE WHEN attributions IS NULL AND gold IS NULL AND priority = 0 THEN 1 END FROM cases WHERE ext_id = 'k1'")" = 1 ] || fail "empty cells are absent"

# JSON Lines: numbers as strings, CRLF, integer ids and labels, key order is
# the context's order, null context values kept.
printf '{"id":7,"prediction":1,"confidence":"0.25","z":1,"a":"x","n":null,"pii:email":"a@b"}\r\n' > ok.jsonl
printf '{"id":"8","prediction":"2","confidence":0.95e0,"attr:w":"-1.5"}\n' >> ok.jsonl
run "$DOCKET" import s2.db ok.jsonl --model okj
expect_rc 0
# (on PostgreSQL personal values are kept apart, in case_pii)
ctx=$(case_obj c context)
on_sqlite || ctx="context_full(c.id, c.context)"
[ "$(sql s2.db "SELECT $ctx FROM cases c WHERE ext_id = '7'")" = '{"z":1,"a":"x","n":null,"pii:email":"a@b"}' ] || fail "jsonl context: $(sql s2.db "SELECT context FROM cases WHERE ext_id = '7'")"
[ "$(sql s2.db "SELECT labels FROM models WHERE name = 'okj'")" = '["1","2"]' ] || fail "labels from predictions"
[ "$(sql s2.db "SELECT confidence||'|'||state||'|'||$(case_obj c attributions) FROM cases c WHERE ext_id = '8'")" = '0.95|auto|{"w":-1.5}' ] || fail "jsonl row 2"

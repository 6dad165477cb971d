# The counters' shard rows are locked in one order by every transaction
# (held, queued, then the other states): decide --next claims its next
# case (queued -> held) before its decision (held -> done, ahead of the
# chain lock), so a plain decision in the same shard (pg_backend_pid() %
# 64) must not lock done before held, or the two wait on each other. Made
# on purpose: session B claims a case and, holding its shard's held and
# queued rows, later decides it; session A, found in the same shard,
# decides another case in between. Both must commit, and no deadlock may
# be in the server log (by the states' names, done before held, A locked
# done and waited for held, and B's decision waited for done).
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
PG="postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=$me"
"$DOCKET" init "$PG" >/dev/null
"$DOCKET" import "$PG" "$DOCKET_ROOT/sample-data/credit.csv" --model credit >/dev/null
q() { psql -qAtX -v ON_ERROR_STOP=1 -d postgres -c "SET search_path = docket, pg_catalog" -c "$1"; }
x=$(q "SELECT id FROM cases WHERE state = 'queued' ORDER BY id LIMIT 1")
y=$(q "SELECT id FROM cases WHERE state = 'queued' ORDER BY id LIMIT 1 OFFSET 1")
[ -n "$x" ] && [ -n "$y" ] || fail "no queued cases"
q "UPDATE cases SET state = 'held' WHERE id = $y" >/dev/null
before=$(q "SELECT state || '=' || n FROM counters ORDER BY state" | tr '\n' ' ')

# B: the claim, a pause (A is found in it), the decision (as decide
# --next orders them)
psql -qAtX -v ON_ERROR_STOP=1 -d postgres >b.out 2>&1 <<SQL &
SET search_path = docket, pg_catalog;
SET deadlock_timeout = '200ms';
BEGIN;
SELECT 'shard=' || pg_backend_pid() % 64;
UPDATE cases SET state = 'held' WHERE id = $x;
SELECT pg_sleep(4);
SELECT 'b_decides=' || extract(epoch FROM clock_timestamp());
UPDATE cases SET state = 'done' WHERE id = $x;
COMMIT;
SQL
b=$!
i=0
until grep -q '^shard=' b.out; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "session B did not start: $(cat b.out)"
	sleep 0.05
done
k=$(sed -n 's/^shard=//p' b.out)
sleep 0.2
# A: a session in B's shard (new connections of one psql until one is),
# deciding y while B holds its claim's rows
{
	i=0
	while [ $i -lt 600 ]; do
		cat <<SQL
\\connect
SELECT pg_backend_pid() % 64 = $k AS same \\gset
\\if :same
SET search_path = docket, pg_catalog;
SET deadlock_timeout = '200ms';
SELECT 'a_decides=' || extract(epoch FROM clock_timestamp());
BEGIN;
UPDATE cases SET state = 'done' WHERE id = $y;
COMMIT;
SELECT 'decided';
\\q
\\endif
SQL
		i=$((i + 1))
	done
} >a.sql
psql -qAtX -v ON_ERROR_STOP=1 -d postgres -f a.sql >a.out 2>&1 || fail "session A failed: $(cat a.out)"
grep -q '^decided' a.out || fail "no session landed in shard $k"
wait $b || fail "session B failed: $(cat b.out)"
ta=$(sed -n 's/^a_decides=//p' a.out)
tb=$(sed -n 's/^b_decides=//p' b.out)
awk -v a="$ta" -v b="$tb" 'BEGIN { exit !(a != "" && b != "" && a < b) }' ||
	fail "A did not decide while B held its claim ($ta, $tb): the test did not interleave them"
grep -q "deadlock detected" "$pgdir/server.log" &&
	fail "the counters' rows deadlocked: $(grep -A3 'deadlock detected' "$pgdir/server.log" | head -n 8)"
[ "$(q "SELECT state FROM cases WHERE id IN ($x, $y) ORDER BY id" | tr '\n' ' ')" = "done done " ] ||
	fail "the two decisions are not both in"
after=$(q "SELECT state || '=' || n FROM counters ORDER BY state" | tr '\n' ' ')
[ "$after" != "$before" ] || fail "the counters did not move"
[ "$(q "SELECT n FROM counters WHERE state = 'done'")" = \
	"$(q "SELECT count(*) FROM cases WHERE state = 'done'")" ] || fail "done counts $after"
[ "$(q "SELECT n FROM counters WHERE state = 'held'")" = \
	"$(q "SELECT count(*) FROM cases WHERE state = 'held'")" ] || fail "held counts $after"

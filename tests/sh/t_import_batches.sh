# An import's rows reach the store in batches (1024 rows on SQLite, 4096
# on PostgreSQL, where each is a COPY: src/import.c), and where a clash or
# an error falls against those batches changes nothing a user sees: a
# duplicate id within a batch, across one, right after one's end and far
# away gets the same FILE:LINE:COLUMN message on both engines, the first
# of two problems is the one reported, the store is left as it was, and
# 9000 good rows all go in (with their personal values). Runs on SQLite
# here, on PostgreSQL under tests/pg/run-sh-pg.sh.
. "$DOCKET_TESTS/sh/lib.sh"

# rows FILE N [LINE=TEXT ...]: a CSV of N cases (header on line 1, case k
# on line k + 1), with the given lines replaced
rows() {
	f=$1 n=$2
	shift 2
	awk -v n="$n" -v subs="$*" 'BEGIN {
		k = split(subs, s, " ")
		for (i = 1; i <= k; i++) { p = index(s[i], "="); r[substr(s[i], 1, p - 1)] = substr(s[i], p + 1) }
		print "id,prediction,confidence,p:good,p:bad,Home,pii:name"
		for (i = 1; i <= n; i++) {
			line = i + 1
			if (line in r) print r[line]
			else printf "c%05d,good,0.%02d,0.%02d,0.%02d,rent,Ann %d\n", i, 50 + i % 40, 50 + i % 40, 50 - i % 40, i
		}
	}' >"$f"
}
run "$DOCKET" init s.db
expect_rc 0
dump s.db >before

# A duplicate of case 1 (line 2) on line L: one message, nothing stored.
for l in 1500 4097 4098 5000 8191; do
	rows dup$l.csv 9000 "$l=c00001,bad,0.9,0.1,0.9,own,Bob"
	run "$DOCKET" import s.db dup$l.csv --model m
	expect_rc 1
	[ "$err" = "dup$l.csv:$l:1: id: \"c00001\" appears earlier in this file, at line 2" ] ||
		fail "duplicate on line $l: $err"
	dump s.db >after
	cmp -s before after || fail "duplicate on line $l: the store changed"
done
# Two lines of one id, both far from line 2, in the same PostgreSQL batch
# and in different SQLite ones.
rows pair.csv 9000 "3000=c09999,bad,0.9,0.1,0.9,own,Bob" "3900=c09999,bad,0.9,0.1,0.9,own,Bob"
run "$DOCKET" import s.db pair.csv --model m
expect_rc 1
[ "$err" = "pair.csv:3900:1: id: \"c09999\" appears earlier in this file, at line 3000" ] ||
	fail "two late duplicates: $err"
# A clash before a bad confidence (both in one PostgreSQL batch, then in
# two), and a bad confidence before a clash: the earlier line is reported.
for bad in 3500 7000; do
	rows mixed$bad.csv 9000 "3000=c00001,bad,0.9,0.1,0.9,own,Bob" "$bad=c77777,bad,high,0.1,0.9,own,Bob"
	run "$DOCKET" import s.db mixed$bad.csv --model m
	expect_rc 1
	[ "$err" = "mixed$bad.csv:3000:1: id: \"c00001\" appears earlier in this file, at line 2" ] ||
		fail "a clash on line 3000, a bad confidence on line $bad: $err"
done
rows late.csv 9000 "2500=c77777,bad,high,0.1,0.9,own,Bob" "3000=c00001,bad,0.9,0.1,0.9,own,Bob"
run "$DOCKET" import s.db late.csv --model m
expect_rc 1
case $err in
late.csv:2500:3:*) ;;
*) fail "a bad confidence on line 2500, a clash on line 3000: $err" ;;
esac
dump s.db >after
cmp -s before after || fail "a failed import changed the store"

# 9000 good rows: all of them, each with its personal values.
rows good.csv 9000
run "$DOCKET" import s.db good.csv --model m
expect_rc 0
case $out in "imported 9000 cases from good.csv into m:"*) ;; *) fail "the good file: $out" ;; esac
[ "$(sql s.db "SELECT count(*) FROM cases")" = 9000 ] || fail "cases: $(sql s.db "SELECT count(*) FROM cases")"
[ "$(sql s.db "SELECT count(DISTINCT ext_id) FROM cases")" = 9000 ] || fail "ids stored twice"
run "$DOCKET" export s.db --only all --out all.csv
expect_rc 0
[ "$(grep -c ',Ann [0-9]' all.csv)" = 9000 ] || fail "personal values in the export: $(grep -c ',Ann [0-9]' all.csv)"
run "$DOCKET" verify s.db
expect_rc 0

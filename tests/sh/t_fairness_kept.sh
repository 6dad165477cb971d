# stats --by F --positive L keeps each batch's counts by F (fair_counts.c)
# and reads them on later runs. After another import, more decisions, an
# undo, an amend and a policy change that re-routes the undecided cases,
# the figures read through the kept counts are byte for byte those of a
# fresh count from the cases (the same store with the kept counts
# dropped), for a text, a numeric (binned) and a pii: field; and a pii:
# field's values are never copied out of the cases.
. "$DOCKET_TESTS/sh/lib.sh"
fx="$DOCKET_TESTS/sh/monitor_fixture.py"

monitor_store s.db 0.25 # (lib.sh): batch 1, every routed case reviewed

# same WHAT: for each field, stats through the kept counts (run twice: the
# first run may count and keep, the second reads what was kept) equals
# stats on a copy of the store without them.
same() {
	for by in group age pii:segment; do
		run "$DOCKET" stats s.db --by "$by" --positive yes --format json
		expect_rc 0
		run "$DOCKET" stats s.db --by "$by" --positive yes --format json
		expect_rc 0
		echo "$out" >kept.json
		rm -f fresh.db
		if on_sqlite; then sqlite3 s.db ".backup fresh.db"; else store_copy s.db fresh.db; fi
		sql fresh.db "DELETE FROM fair_counts; DELETE FROM fair_batches"
		run "$DOCKET" stats fresh.db --by "$by" --positive yes --format json
		expect_rc 0
		echo "$out" >fresh.json
		cmp -s kept.json fresh.json ||
			fail "$1, --by $by: the kept counts give other figures than a fresh count
kept:  $(cat kept.json)
fresh: $(cat fresh.json)"
	done
	# what is kept is up to date: the touched part of each batch is dated
	# at the newest log entry, or one after its last change
	[ "$(sql s.db "SELECT count(*) FROM fair_batches WHERE field = 'group'")" -ge 2 ] ||
		fail "$1: nothing kept"
	[ "$(sql s.db "SELECT count(*) FROM fair_counts WHERE field LIKE 'pii:%'")" = 0 ] ||
		fail "$1: a pii: field's values were kept"
}
same "reviewed"

# a second batch (ids d...), shifted, not reviewed yet
python3 "$fx" gen 600 2 p2.csv truth2.csv --shift
sed 's/^c/d/' p2.csv >q.csv
sed 's/^c/d/' truth2.csv >>truth.csv
run "$DOCKET" import s.db q.csv --model m
expect_rc 0
same "a second batch"
[ "$(sql s.db "SELECT count(DISTINCT batch_id) FROM fair_batches WHERE field = 'age'")" = 2 ] ||
	fail "the second batch's counts were not kept"

# its routed cases reviewed
python3 "$fx" review s.db truth.csv "$DOCKET" >/dev/null
same "the second batch reviewed"
# the kept touched part of batch 2 was counted again after the decisions
last=$(sql s.db "SELECT max(seq) FROM decisions")
[ "$(sql s.db "SELECT seq FROM fair_batches WHERE field = 'group' AND part = 1
	AND batch_id = (SELECT max(id) FROM batches)")" = "$last" ] ||
	fail "batch 2's kept counts were not brought up to date"

# an undo (the case back to ann) and an amend of an old decision
id=$(sql s.db "SELECT c.ext_id FROM decisions d JOIN cases c ON c.id = d.case_id
	WHERE d.reviewer = 'ann' AND d.action IN ('accept', 'override') ORDER BY d.seq DESC LIMIT 1")
run "$DOCKET" decide s.db "$id" --reviewer ann --action undo
expect_rc 0
old=$(sql s.db "SELECT c.ext_id FROM decisions d JOIN cases c ON c.id = d.case_id
	WHERE d.action = 'accept' AND c.batch_id = 1 ORDER BY d.seq LIMIT 1")
pred=$(sql s.db "SELECT prediction FROM cases WHERE ext_id = '$old'")
[ "$pred" = yes ] && other=no || other=yes
run "$DOCKET" decide s.db "$old" --reviewer ann --action override --label "$other" --amend
expect_rc 0
same "an undo and an amend"

# a policy change re-routes the undecided cases (new route reasons,
# states and policy version), then more reviews under it
run "$DOCKET" policy s.db --model m --threshold 0.8 --audit-rate 0.4
expect_rc 0
same "a policy change"
python3 "$fx" review s.db truth.csv "$DOCKET" >/dev/null
same "reviews under the new policy"

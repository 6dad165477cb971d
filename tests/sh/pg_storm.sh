# pg_storm.sh: the body shared by t_pg_storm.sh and t_pg_crash.sh (source
# it after lib.sh): a throwaway cluster reached over TCP, a store made by
# the superuser postgres with generated cases (some needing two reviews),
# reviewers r01..rNN that are login roles added with `docket reviewer add`,
# and clients that each claim and decide as their own role until the queue
# is empty, logging on their side what docket told them.

pgdir="$TMPDIR/pg"
# On a failure the server's errors (a deadlock's details) go in the log.
trap 'rc=$?; touch "$PWD/stop.sampler"; wait
[ $rc -eq 0 ] || grep -A 8 ERROR "$pgdir/server.log" 2>/dev/null | head -n 60 >&2
"$DOCKET_TESTS/pg/cluster.sh" stop "$pgdir" >/dev/null 2>&1 || true' EXIT
pg_start "$pgdir"
# psql (the checks) goes over the socket as postgres; docket over TCP.
uri() { echo "postgresql://$1@127.0.0.1:$PGPORT/postgres"; }
q() { psql -qAtX -v ON_ERROR_STOP=1 -d postgres -c "SET search_path = docket" -c "$*"; }
# What docket prints starts so; as patterns in ${v#...} (nothing in them
# is special there), to read its JSON without a process per field.
J_ID='{"id":"'
J_DQ='"'
J_TOKEN='"token":'
J_SEQ='{"seq":'

# storm_store CLIENTS ROWS: the store, ROWS generated cases of model m
# (about 55% routed, a third of those for two reviewers), and reviewers
# r01..rCLIENTS.
storm_store() {
	names=
	i=1
	while [ $i -le "$1" ]; do
		names="$names $(printf 'r%02d' $i)"
		i=$((i + 1))
	done
	for r in $names; do echo "CREATE ROLE $r LOGIN;"; done |
		psql -qX -v ON_ERROR_STOP=1 -d postgres >/dev/null
	PG=$(uri postgres)
	run "$DOCKET" init "$PG"
	expect_rc 0
	python3 "$DOCKET_ROOT/tools/gen_predictions.py" --rows "$2" --seed 13 --out p.csv
	run "$DOCKET" import "$PG" p.csv --model m
	expect_rc 0
	run "$DOCKET" policy "$PG" --model m --double-rate 0.35
	expect_rc 0
	for r in $names; do
		run "$DOCKET" reviewer add "$PG" "$r"
		expect_rc 0
	done
	queued=$(q "SELECT count(*) FROM cases WHERE state = 'queued'")
	doubles=$(q "SELECT count(*) FROM cases WHERE state = 'queued' AND reviews_needed = 2")
	[ "$doubles" -gt 10 ] || fail "only $doubles cases need two reviews"
}

# storm_client NAME DIR: claim and decide as NAME (accept, override,
# escalate in turn) until nothing is left for NAME. What docket said is
# kept in DIR: NAME.claims (case token), NAME.acks (seq case NAME action)
# for every decision reported recorded, and on a failure NAME.rc (the
# failed command, its exit status, the case) and NAME.err (its stderr).
storm_client() {
	r=$1
	d=$2
	u=$(uri "$r")
	k=${r#r}
	k=${k#0}
	while :; do
		set +e
		j=$("$DOCKET" next "$u" --model m 2>"$d/$r.err")
		rc=$?
		set -e
		[ $rc -eq 0 ] || { echo "next $rc -" >"$d/$r.rc"; return 0; }
		case $j in *'"empty":true'*) break ;; esac
		id=${j#$J_ID}
		id=${id%%$J_DQ*}
		tok=${j##*$J_TOKEN}
		tok=${tok%%,*}
		echo "$id $tok" >>"$d/$r.claims"
		case $j in *'"prediction":"good"'*) other=bad ;; *) other=good ;; esac
		k=$((k + 1))
		case $((k % 6)) in
		0 | 1 | 2) set -- --action accept ;;
		3 | 4) set -- --action override --label $other ;;
		*) set -- --action escalate --reason ambiguous ;;
		esac
		set +e
		o=$("$DOCKET" decide "$u" "$id" "$@" --token "$tok" --seconds 2 2>"$d/$r.err")
		rc=$?
		set -e
		[ $rc -eq 0 ] || { echo "decide $rc $id" >"$d/$r.rc"; return 0; }
		seq=${o#$J_SEQ}
		seq=${seq%%,*}
		echo "$seq $id $r $2" >>"$d/$r.acks"
	done
	rm -f "$d/$r.err"
}

# storm DIR: every reviewer's client at once; waits for them all.
# A case that needs two reviews goes back to the queue after its first;
# if every other client found the queue empty meanwhile (the case was held)
# and stopped, it is left queued: the clients run again, until nothing is
# queued (at most 5 rounds). A client that failed ends the storm.
storm() {
	mkdir -p "$1"
	rounds=0
	while :; do
		pids=
		for r in $names; do
			storm_client "$r" "$1" &
			pids="$pids $!"
		done
		wait $pids
		rounds=$((rounds + 1))
		! ls "$1"/*.rc >/dev/null 2>&1 || break
		[ $rounds -lt 5 ] && [ "$(q "SELECT count(*) FROM cases WHERE state = 'queued'")" != 0 ] ||
			break
	done
}

# sampler FILE: until stop.sampler exists, look at the store every 0.05 s
# and keep in FILE each moment where a held case has no lease, a lease's
# case is not held, or a reviewer holds two cases (each client holds one
# at most). One statement: one snapshot. One psql session for all of
# them, so that a busy machine still samples a storm of a few seconds
# often (a psql a sample took 10 on a loaded machine).
sampler() {
	while [ ! -e stop.sampler ]; do
		echo "SELECT
			(SELECT count(*) FROM docket.cases c WHERE c.state = 'held'
			 AND NOT EXISTS (SELECT 1 FROM docket.leases l WHERE l.case_id = c.id))
			|| ' ' || (SELECT count(*) FROM docket.leases l
			 JOIN docket.cases c ON c.id = l.case_id WHERE c.state <> 'held')
			|| ' ' || (SELECT count(*) FROM (SELECT reviewer_id FROM docket.leases
			 GROUP BY 1 HAVING count(*) > 1) x);"
		sleep 0.05
	done | psql -qAtX -d postgres 2>/dev/null | while read -r line; do
		echo x >>samples
		[ "$line" = "0 0 0" ] || echo "$line" >>"$1"
	done
}

# The decisions in the log, one "seq case reviewer action" a line, sorted.
log_decisions() {
	q "SELECT d.seq || ' ' || c.ext_id || ' ' || d.reviewer || ' ' || d.action
	   FROM decisions d JOIN cases c ON c.id = d.case_id
	   WHERE d.action IN ('accept', 'override', 'escalate') ORDER BY 1" | sort
}

# check_no_double_hold: from the log, no case decided more often than it
# needs reviews, nor twice by one reviewer (so a single-review case never
# has decisions by two reviewers); from the claims the clients got, no
# case claimed more often than it needs reviews, nor twice by one reviewer
# (without leases expiring, each claim is a hold of its own).
check_no_double_hold() {
	bad=$(q "SELECT count(*) FROM (SELECT c.id FROM decisions d
		JOIN cases c ON c.id = d.case_id
		WHERE d.action IN ('accept', 'override', 'escalate')
		GROUP BY c.id, c.reviews_needed
		HAVING count(*) > c.reviews_needed
		OR count(DISTINCT d.reviewer) < count(*)) x")
	[ "$bad" = 0 ] || fail "$bad cases decided more often than they need, or twice by one reviewer"
	q "SELECT ext_id || ' ' || reviews_needed FROM cases" >needed
	for f in "$@"; do
		r=${f##*/}
		r=${r%.claims}
		sed "s/\$/ $r/" "$f"
	done | awk 'NR == FNR { need[$1] = $2; next }
		{ n[$1]++; if (seen[$1 " " $3]++) twice = twice " " $1 }
		END { for (c in n) if (n[c] > need[c]) over = over " " c
		      if (twice) print "claimed twice by one reviewer:" twice
		      if (over) print "claimed by more reviewers than it needs:" over }' \
		needed - >holds
	[ ! -s holds ] || fail "$(cat holds)"
}

# check_store: the counters equal a recount of the cases by state, and
# verify passes.
check_store() {
	[ "$(q "SELECT count(*) FROM (SELECT model_id, state, count(*) AS n FROM cases
		GROUP BY 1, 2) r FULL JOIN counters c USING (model_id, state)
		WHERE r.n IS DISTINCT FROM c.n AND NOT (r.n IS NULL AND c.n = 0)")" = 0 ] ||
		fail "counters differ from a recount: $(q "SELECT state, n FROM counters") / $(q "SELECT state, count(*) FROM cases GROUP BY 1")"
	run "$DOCKET" verify "$PG"
	expect_rc 0
	expect_out "intact"
	expect_out "states agree with the log"
}

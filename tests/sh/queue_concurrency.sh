# The body of the concurrency tests (t_queue_concurrency*.sh source it):
# many processes claiming and deciding at once on one store: no case is
# ever held by two reviewers, no decision is lost or doubled, no
# SQLITE_BUSY (or any error) reaches a user, and the chain verifies.
# MODE=two: every worker claims with `next`, then decides (two write
# transactions). MODE=next: odd-numbered workers (and the sweeper) decide
# with `decide --next`, taking their next claim from its second line, even
# ones as in MODE=two, so both paths run against each other. MODELS: how
# many models the store has (--next claims from the decided case's model,
# then falls back to a plain `next`).
. "$DOCKET_TESTS/sh/lib.sh"
: "${MODE:=two}" "${MODELS:=1}"
P=8            # processes
N=1000         # cases in the store; about 30% are queued
# The store, made by docket on either engine: N generated rows split over
# MODELS models (credit, credit2, ...), each imported, then routed by a
# threshold that queues about 30% of them (and the gold cases).
m=1
while [ $m -le "$MODELS" ]; do
	name=credit
	[ $m = 1 ] || name=credit$m
	python3 "$DOCKET_ROOT/tools/gen_predictions.py" --rows $((N / MODELS)) --seed $m --out "p$m.csv"
	"$DOCKET" import s.db "p$m.csv" --model $name >/dev/null
	"$DOCKET" policy s.db --model $name --threshold 0.65 >/dev/null
	m=$((m + 1))
done
queued=$(sql s.db "SELECT count(*) FROM cases WHERE state = 'queued'")
[ "$queued" -gt 200 ] || fail "only $queued queued"
i=1
while [ $i -le $P ]; do "$DOCKET" reviewer add s.db "r$i" >/dev/null; i=$((i + 1)); done

# worker NAME [accept-only]
worker() {
	r=$1
	only_accept=${2:-}
	use_next=0
	if [ "$MODE" = next ]; then
		case "$r" in r*[13579] | sweeper) use_next=1 ;; esac
	fi
	j=
	while :; do
		if [ -z "$j" ]; then
			j=$("$DOCKET" next s.db --reviewer "$r") || { echo "next failed" >&2; return 1; }
		fi
		case "$j" in *'"empty":true'*) return 0 ;; esac
		id=$(echo "$j" | sed 's/^{"id":"\([^"]*\)".*/\1/')
		model=$(echo "$j" | sed 's/.*"model":"\([^"]*\)".*/\1/')
		tok=$(echo "$j" | sed 's/.*"token":\([0-9]*\).*/\1/')
		echo "$id $model $tok" >>"claims.$r"
		# a third of the time skip (back to the queue for the others)
		case $((tok % 3))$only_accept in
		0) set -- --action skip --reason other ;;
		*) set -- --action accept ;;
		esac
		if [ $use_next = 1 ]; then
			out=$("$DOCKET" decide s.db "$id" --model "$model" --reviewer "$r" "$@" --token "$tok" --next) || return 1
			[ "$(echo "$out" | wc -l)" = 2 ] || { echo "decide --next printed: $out" >&2; return 1; }
			j=$(echo "$out" | sed -n 2p)
			case "$j" in '{"id":'*) echo x >>"nextclaims.$r" ;; esac
			# nothing left of this model for r: try the others
			case "$j" in *'"empty":true'*) j= ;; esac
		else
			"$DOCKET" decide s.db "$id" --model "$model" --reviewer "$r" "$@" --token "$tok" >/dev/null || return 1
			j=
		fi
	done
}

i=1
while [ $i -le $P ]; do
	( worker "r$i" 2>"err.r$i"; echo $? >"rc.r$i" ) &
	i=$((i + 1))
done
wait
# A worker stops when it finds nothing to claim, while others may still hold
# cases they then skip back; and a case skipped by everyone stays cooling
# down. A last reviewer who never skips takes whatever is left.
"$DOCKET" reviewer add s.db sweeper >/dev/null
worker sweeper accept-only 2>err.sweeper || fail "sweeper failed: $(cat err.sweeper)"
[ ! -s err.sweeper ] || fail "sweeper printed errors: $(cat err.sweeper)"

i=1
while [ $i -le $P ]; do
	[ "$(cat rc.r$i)" = 0 ] || fail "worker r$i failed: $(cat err.r$i)"
	[ ! -s err.r$i ] || fail "worker r$i printed errors: $(cat err.r$i)"
	i=$((i + 1))
done
grep -il "busy\|locked" err.* && fail "SQLITE_BUSY reached a user"
if [ "$MODE" = next ]; then
	# the new path really ran: most of the odd workers' claims came from it
	via=$(cat nextclaims.* 2>/dev/null | wc -l)
	[ "$via" -gt 100 ] || fail "only $via claims came from decide --next"
	echo "claims from decide --next: $via of $(cat claims.* | wc -l)"
fi

# every queued case was finally accepted exactly once
[ "$(sql s.db "SELECT count(*) FROM cases WHERE state = 'done'")" = "$queued" ] || fail "done $(sql s.db "SELECT count(*) FROM cases WHERE state = 'done'") of $queued"
[ "$(sql s.db "SELECT count(*) FROM cases WHERE state IN ('queued', 'held')")" = 0 ] || fail "cases left"
[ "$(sql s.db "SELECT count(*) FROM decisions WHERE action = 'accept'")" = "$queued" ] || fail "accepts"
[ "$(sql s.db "SELECT count(*) FROM (SELECT case_id FROM decisions WHERE action = 'accept' GROUP BY case_id HAVING count(*) > 1) t")" = 0 ] || fail "a case accepted twice"
# every claim ended in exactly one decision by the claimer: claims = decisions
claims=$(cat claims.* | wc -l)
[ "$claims" = "$(sql s.db "SELECT count(*) FROM decisions WHERE case_id IS NOT NULL")" ] || fail "$claims claims, $(sql s.db "SELECT count(*) FROM decisions WHERE case_id IS NOT NULL") decisions"
# no token was handed out twice (one lease per claim)
[ "$(cat claims.* | awk '{print $3}' | sort | uniq -d | wc -l)" = 0 ] || fail "a lease token twice"
# a case was never with two reviewers at once: each claim ended in exactly
# one decision, by the claimer, on that case (two holders at once would
# mean two decisions for one claim's case, or one claim without its own)
store_copy s.db check.db
{
	echo "CREATE TABLE claims(reviewer text, id text, model text, token bigint);"
	for r in claims.*; do
		sed "s/^\([^ ]*\) \([^ ]*\) \([0-9]*\)\$/INSERT INTO claims VALUES ('${r#claims.}', '\1', '\2', \3);/" "$r"
	done
} | sql_in check.db
[ "$(sql check.db "SELECT count(*) FROM claims")" = "$claims" ] || fail "claims import"
mismatch=$(sql check.db "SELECT count(*) FROM (SELECT c.reviewer, c.id, c.model, count(*) n FROM claims c GROUP BY 1, 2, 3) k
  WHERE k.n <> (SELECT count(*) FROM decisions d JOIN cases x ON x.id = d.case_id JOIN models m ON m.id = x.model_id
                WHERE d.reviewer = k.reviewer AND x.ext_id = k.id AND m.name = k.model)")
[ "$mismatch" = 0 ] || fail "$mismatch (reviewer, case) pairs whose claims and decisions differ"
# leases only ever hold one reviewer per case (primary key) and none remain
[ "$(sql s.db "SELECT count(*) FROM leases")" = 0 ] || fail "leases left"
# counters equal a recount
[ "$(sql s.db "SELECT count(*) FROM (SELECT model_id, state, count(*) n FROM cases GROUP BY 1,2) c LEFT JOIN counters k USING (model_id, state) WHERE k.n IS DISTINCT FROM c.n")" = 0 ] || fail "counters"
run "$DOCKET" verify s.db
expect_rc 0

# The queue's floor on PostgreSQL (revision 10, engine/pg_floor.c): a claim
# walks from a key no queued case sorts before, and every way a case goes
# back into the queue lowers it. So claims are in SQLite's order after each
# of them: a release, a skip (taken by another reviewer), a lease run out,
# an undo, `decide --next`, a policy re-route and an import. And a claim no
# longer reads the dead index entries of the cases claimed before it: the
# queue index's pages read per claim stay a few after 6000 cases left the
# queue (about 40 a claim before the floor).
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE alice LOGIN" >/dev/null
uri() { # uri USER
	echo "postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=$1"
}

# A second batch: every case again under another id (the copies of the
# cases claimed before it sort before the floor).
sed 's/^app-/new-/' "$DOCKET_ROOT/sample-data/credit.csv" >more.csv

# order STORE ALICE OUT: claims by the store's creator (ALICE: how alice
# runs docket on it) around every way back into the queue; the id of each
# claim, in order, one a line in OUT.
order() {
	st=$1
	al=$2
	out=$3
	export DOCKET_NOW=2026-03-01T09:00:00Z DOCKET_RANDOM_SEED=t_pg_claim_floor
	"$DOCKET" init "$st" >/dev/null
	"$DOCKET" import "$st" "$DOCKET_ROOT/sample-data/credit.csv" --model credit >/dev/null
	"$DOCKET" reviewer add "$st" alice >/dev/null
	: >"$out"
	nx() { # nx [alice]: claim, print the id, keep it in $id
		if [ "${1:-}" = alice ]; then
			j=$(eval "\"\$DOCKET\" next $al --model credit")
		else
			j=$("$DOCKET" next "$st" --model credit)
		fi
		id=$(printf '%s\n' "$j" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
		[ -n "$id" ] || fail "no claim: $j"
		echo "$id" >>"$out"
	}
	dc() { # dc ID ACTION [ARGS...] (by the creator)
		d_id=$1
		shift
		"$DOCKET" decide "$st" "$d_id" --action "$@" --seconds 3 >/dev/null ||
			fail "decide $d_id $*"
	}
	nx; dc "$id" accept
	nx; dc "$id" accept
	# release: the case is first again
	nx; "$DOCKET" release "$st" >/dev/null; nx; dc "$id" accept
	# skip: the creator's next is another, alice's the skipped one
	nx; skipped=$id; dc "$id" skip --reason ambiguous
	nx; dc "$id" accept
	nx alice
	[ "$id" = "$skipped" ] || fail "alice claimed $id, not the skipped $skipped"
	eval "\"\$DOCKET\" decide $al \"\$id\" --action accept --seconds 3 >/dev/null"
	# a lease run out (10 minutes): alice's claim takes it back first
	nx; held=$id
	export DOCKET_NOW=2026-03-01T09:30:00Z
	nx alice
	[ "$id" = "$held" ] || fail "alice claimed $id, not the expired $held"
	# an undo puts alice's case back in the queue
	eval "\"\$DOCKET\" decide $al \"\$id\" --action accept --seconds 3 >/dev/null"
	eval "\"\$DOCKET\" decide $al \"\$id\" --action undo >/dev/null"
	nx; dc "$id" accept
	# decide --next claims the next case in the same step
	nx
	j=$("$DOCKET" decide "$st" "$id" --action accept --seconds 3 --next --model credit)
	printf '%s\n' "$j" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p' >>"$out"
	"$DOCKET" release "$st" >/dev/null
	nx; dc "$id" accept
	# a re-route queues cases (some ahead of the floor)
	"$DOCKET" policy "$st" --model credit --threshold 0.95 >/dev/null
	nx; dc "$id" accept
	nx; dc "$id" accept
	# an import queues new cases
	"$DOCKET" import "$st" more.csv --model credit >/dev/null
	nx; dc "$id" accept
	nx; dc "$id" accept
	"$DOCKET" cases "$st" --state queued --format csv | sed -n '2,6p' >>"$out"
}

order "$PWD/s.db" "\"\$PWD/s.db\" --reviewer alice" lite.txt
order "$(uri "$me")" "\"$(uri alice)\"" pg.txt
[ "$(wc -l <lite.txt)" -ge 20 ] || fail "too few claims: $(cat lite.txt)"
if ! cmp -s lite.txt pg.txt; then
	diff lite.txt pg.txt >&2 || true
	fail "claims on PostgreSQL came in another order than on SQLite"
fi

# The pages of the queue index a claim reads, once 6000 cases have left
# the queue from its head (as claims and decisions take them: their old
# index entries stay until VACUUM): a few, not the dead entries' 40. In a
# store of its own, every case queued.
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE big" >/dev/null
big=$(uri "$me" | sed 's|///postgres?|///big?|')
python3 "$DOCKET_ROOT/tools/gen_predictions.py" --rows 8000 --seed 3 --out big.csv
"$DOCKET" init "$big" >/dev/null
"$DOCKET" import "$big" big.csv --model m >/dev/null
q() { psql -qAtX -v ON_ERROR_STOP=1 -d big -c "SET search_path = docket, pg_catalog" -c "$*"; }
q "UPDATE cases SET state = 'queued' WHERE state <> 'queued'" >/dev/null
q "UPDATE cases SET state = 'auto' WHERE id IN (SELECT id FROM cases
  ORDER BY priority DESC, urgency, id LIMIT 6000)" >/dev/null
# one claim meets the dead entries (and marks them dead); 20 more, read
ms="CAST(extract(epoch FROM clock_timestamp()) * 1000 AS bigint)"
claims() { # claims N: N claims in one session, as the store's creator
	i=0
	while [ $i -lt "$1" ]; do
		echo "SELECT claim_case FROM claim('$me', 'm', $ms, 600000, $ms + 600000);"
		i=$((i + 1))
	done | psql -qAtX -v ON_ERROR_STOP=1 -d big -c "SET search_path = docket, pg_catalog" -f - >/dev/null
}
pages() {
	q "SELECT idx_blks_hit + idx_blks_read FROM pg_statio_user_indexes
	  WHERE indexrelname = 'cases_queue_model'"
}
claims 1
sleep 1
p0=$(pages)
claims 20
sleep 1
p1=$(pages)
per=$(((p1 - p0) / 20))
echo "queue index pages read per claim: $per"
[ "$per" -le 8 ] || fail "a claim read $per pages of the queue index (the dead entries' pages again)"
[ "$(q "SELECT count(*) FROM cases WHERE state = 'held'")" = 21 ] || fail "not 21 claims"

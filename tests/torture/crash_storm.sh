# crash_storm.sh: kill -9 at random moments during a storm of reviewers.
# Each round starts 4 to 8 reviewers (tests/torture/storm_worker.sh: next,
# accept / override / escalate / skip, decide --next, undo) on one store and
# then, at random moments, either kills the whole storm at once (every
# process in one kill), or kills single processes (a docket command in
# flight, or a reviewer's whole script) and then ends the storm with a kill
# or by asking the reviewers to stop. After every round:
#   - every decision a reviewer was told was saved is in the log, as printed
#     (seq, hash, action, reviewer, case);
#   - the store passes integrity_check, its counters equal the real counts,
#     held cases and leases agree, and `docket verify` passes (the chain,
#     and every case's state replayed from its log);
#   - no case stays held by a dead reviewer: before their leases end nobody
#     else gets those cases, after (DOCKET_NOW past the last expiry) a claim
#     takes every expired lease back.
# Run in an empty directory:
#   DOCKET=build/test/docket DOCKET_ROOT=. DOCKET_TORTURE_ROUNDS=100 \
#       sh tests/torture/crash_storm.sh
KIND=storm
. "$DOCKET_ROOT/tests/torture/lib.sh"
ROUNDS=${DOCKET_TORTURE_ROUNDS:-100}
CASES=${DOCKET_TORTURE_STORM_CASES:-30000} # 30% queued
WORKER=$DOCKET_ROOT/tests/torture/storm_worker.sh
DOCKET_REAL=$(readlink -f "$DOCKET")
export DOCKET

new_store() {
	rm -f s.db s.db-wal s.db-shm all_acked.csv
	: >all_acked.csv
	DOCKET="$DOCKET" sh "$DOCKET_ROOT/bench/make-store.sh" s.db "$CASES" 2>/dev/null
	for r in r1 r2 r3 r4 r5 r6 r7 r8 sweeper; do
		"$DOCKET" reviewer add s.db "$r" >/dev/null
	done
}
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# our_docket PID PARENT: PID is a docket process whose parent is PARENT
# (so a pid that ended and was reused by something else is never killed).
our_docket() {
	[ -n "$1" ] || return 1
	[ "$(awk '{print $4}' "/proc/$1/stat" 2>/dev/null)" = "$2" ] || return 1
	[ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$DOCKET_REAL" ]
}

# kill_one: kill -9 a random reviewer's docket command in flight (the tool
# crashed; the reviewer's script goes on), or the reviewer's script and its
# command (the reviewer is gone).
kill_one() {
	rnd "$P"
	k_r=r$((R + 1))
	k_w=$(cat "wpid.$k_r" 2>/dev/null || true)
	[ -n "$k_w" ] && kill -0 "$k_w" 2>/dev/null || return 0 # already gone
	k_c=$(cat "cur.$k_r" 2>/dev/null || true)
	rnd 3
	if [ "$R" = 0 ]; then
		kill -9 "$k_w" 2>/dev/null || true
		if our_docket "$k_c" "$k_w" && kill -9 "$k_c" 2>/dev/null; then
			MID=$((MID + 1))
		fi
		gone="$gone $k_r"
	elif our_docket "$k_c" "$k_w"; then
		kill -9 "$k_c" 2>/dev/null || true # the worker counts it (killed.NAME)
	fi
}

new_store
ROUND=$START
end=$((START + ROUNDS))
t_start=$(now_ms)
while [ "$ROUND" -lt "$end" ]; do
	rng_seed $((SEED + ROUND * 7919))
	if [ "$(q s.db "SELECT count(*) FROM cases WHERE state = 'queued'")" -lt 600 ]; then
		note "the queue ran low: a new store"
		new_store
	fi
	rnd 5
	P=$((4 + R))
	rm -f stop storm.pid wpid.* cur.* killed.* err.* acked.r*.csv out.* errout.*
	gone=
	seeds=
	i=1
	while [ $i -le $P ]; do
		rnd 1000000
		seeds="$seeds $R"
		i=$((i + 1))
	done
	# the storm: one process group (setsid), so one kill takes all of it
	P=$P SEEDS=$seeds WORKER=$WORKER setsid sh -c '
		echo $$ >storm.pid
		i=1
		for seed in $SEEDS; do
			sh "$WORKER" s.db "r$i" "$seed" &
			echo $! >"wpid.r$i"
			i=$((i + 1))
		done
		wait' &
	leader=$!
	while [ ! -s storm.pid ]; do sleep 0.01; done
	pg=$(cat storm.pid)
	rnd 3
	mode=$R
	if [ "$mode" = 0 ]; then
		rnd 2700
		sleep "$(secs $((300 + R)))"
	else
		rnd 3
		n=$((1 + R))
		while [ "$n" -gt 0 ]; do
			rnd 900
			sleep "$(secs $((100 + R)))"
			kill_one
			n=$((n - 1))
		done
		rnd 800
		sleep "$(secs $((100 + R)))"
	fi
	if [ "$mode" = 2 ]; then
		touch stop # the others finish what they are doing and stop
		wait "$leader" 2>/dev/null
	else
		# count the commands in flight, then kill the whole storm at once
		for f in cur.r*; do
			w=$(cat "wpid.${f#cur.}" 2>/dev/null || true)
			c=$(cat "$f" 2>/dev/null || true)
			our_docket "$c" "$w" && MID=$((MID + 1))
		done
		kill -9 "-$pg" 2>/dev/null || true
		wait "$leader" 2>/dev/null
	fi
	while kill -0 "-$pg" 2>/dev/null; do sleep 0.02; done
	MID=$((MID + $(cat killed.r* 2>/dev/null | wc -l)))

	bad=0
	for f in err.r*; do
		[ -s "$f" ] || continue
		note "a reviewer failed: $(cat "$f")"
		ERRORS=$((ERRORS + 1))
	done
	cat acked.r*.csv >>all_acked.csv 2>/dev/null || true
	check_store s.db || bad=1
	check_acked s.db all_acked.csv || bad=1

	# Leases of the dead: nobody else gets those cases while they run;
	# once they end, the next claim takes them all back.
	nl=$(q s.db "SELECT count(*) FROM leases")
	if [ "$nl" -gt 0 ] && [ $bad = 0 ]; then
		held=$(q s.db "SELECT c.ext_id FROM leases l JOIN cases c ON c.id = l.case_id")
		lo=$(q s.db "SELECT min(expires_at) / 1000 FROM leases")
		hi=$(q s.db "SELECT max(expires_at) / 1000 FROM leases")
		out=$(DOCKET_NOW=$(iso $((lo - 1))) "$DOCKET" next s.db --reviewer sweeper 2>&1) ||
			{ note "sweeper's next failed: $out"; bad=1; }
		got=${out#\{\"id\":\"}
		got=${got%%\"*}
		if echo "$held" | grep -qx -- "$got"; then
			note "sweeper got $got while a dead reviewer's lease on it was live"
			bad=1
		fi
		DOCKET_NOW=$(iso $((lo - 1))) "$DOCKET" release s.db --reviewer sweeper >/dev/null
		out=$(DOCKET_NOW=$(iso $((hi + 2))) "$DOCKET" next s.db --reviewer sweeper 2>&1) ||
			{ note "sweeper's next failed: $out"; bad=1; }
		others=$(q s.db "SELECT count(*) FROM leases l JOIN reviewers r ON r.id = l.reviewer_id
			WHERE r.name <> 'sweeper'")
		[ "$others" = 0 ] || { note "$others cases still held by dead reviewers after their leases ended"; bad=1; }
		DOCKET_NOW=$(iso $((hi + 2))) "$DOCKET" release s.db --reviewer sweeper >/dev/null
		left=$(q s.db "SELECT (SELECT count(*) FROM leases) + (SELECT count(*) FROM cases WHERE state = 'held')")
		[ "$left" = 0 ] || { note "after the leases ended and the sweeper let go, $left leases/held cases remain"; bad=1; }
		check_store s.db || bad=1
	fi
	if [ $bad = 1 ]; then
		CORRUPT=$((CORRUPT + 1))
		note "mode $mode, $P reviewers${gone:+, killed:$gone}; store kept as corrupt-$ROUND.db"
		cp s.db "corrupt-$ROUND.db"
		[ -e s.db-wal ] && cp s.db-wal "corrupt-$ROUND.db-wal"
		new_store
	fi
	ROUNDS_DONE=$((ROUNDS_DONE + 1))
	ROUND=$((ROUND + 1))
done
echo "$KIND: $(wc -l <all_acked.csv) acknowledged decisions in the last store, $(q s.db "SELECT count(*) FROM decisions") in its log; $(( ($(now_ms) - t_start) / 1000 )) s"
summary

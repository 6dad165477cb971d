#!/bin/sh
# queue.sh: claim and decide latency (p50/p99) under synchronous NORMAL and
# FULL on generated stores of 1M and 10M cases, the ratio 10M / 1M, and
# decisions per second with 2, 8 and 16 concurrent processes, each run
# checked for errors and double claims.
#   DOCKET=build/docket bench/queue.sh [SIZES]   (default "1000000 10000000")
# Stores are made once under bench/out/ by make-store.sh and reused: each
# run decides a few thousand of their queued cases (30% of N), so the
# queue stays long; the checks for double claims hold across runs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${DOCKET:?set DOCKET to the binary under test}"
QB=${QUEUE_BENCH:-$(dirname "$DOCKET")/bench/queue_bench}
out="$here/out"
mkdir -p "$out"
sizes=${1:-${QUEUE_BENCH_SIZES:-"1000000 10000000"}}
N=${QUEUE_BENCH_N:-2000}     # claims+decisions per latency run
SECS=${QUEUE_BENCH_SECS:-5}  # length of each concurrent run

fresh() { # fresh SIZE -> path of a copy of the generated store
	base="$out/queue-$1.db"
	if [ ! -f "$base" ]; then
		DOCKET="$DOCKET" "$here/make-store.sh" "$base" "$1" 2>"$out/make-$1.log"
		cat "$out/make-$1.log" >&2
	fi
	echo "$base"
}

double_claims() { # cases accepted more than once, or left held
	sqlite3 "$1" "SELECT (SELECT count(*) FROM (SELECT case_id FROM decisions
	  WHERE action = 'accept' GROUP BY case_id HAVING count(*) > 1))
	  + (SELECT count(*) FROM leases)"
}

echo "== queue: claim and decide latency (µs), $N each"
for n in $sizes; do
	for dur in 0 1; do
		db=$(fresh "$n")
		"$DOCKET" reviewer add "$db" bench >/dev/null 2>&1 || true
		r=$("$QB" latency "$db" "$N" "$dur" bench)
		sync_name=$([ $dur = 1 ] && echo FULL || echo NORMAL)
		echo "cases=$n sync=$sync_name $r double=$(double_claims "$db")"
		echo "$n $sync_name $r" >>"$out/queue-lat.$$"
	done
done
p50() { awk -v n="$1" -v s="$2" -v k="$3" '$1 == n && $2 == s {
	for (i = 3; i < NF; i++) if ($i == k) print $(i + 1) }' "$out/queue-lat.$$"; }
set -- $sizes
if [ $# -ge 2 ]; then
	small=$1
	eval big=\${$#}
	for s in NORMAL FULL; do
		for k in claim_p50_us decide_p50_us; do
			a=$(p50 "$small" $s $k)
			b=$(p50 "$big" $s $k)
			echo "ratio $k sync=$s cases $big/$small: $(echo "scale=2; $b / $a" | bc)"
		done
	done
fi
rm -f "$out/queue-lat.$$"

echo "== queue: decisions/s with concurrent processes, ${SECS}s each"
n=${sizes%% *}
for dur in 1 0; do
sync_name=$([ $dur = 1 ] && echo FULL || echo NORMAL)
for p in 2 8 16; do
	db=$(fresh "$n")
	i=1
	while [ $i -le $p ]; do
		"$DOCKET" reviewer add "$db" "w$i" >/dev/null 2>&1 || true
		i=$((i + 1))
	done
	start=$(date +%s.%N)
	i=1
	while [ $i -le $p ]; do
		"$QB" worker "$db" "$SECS" "w$i" $dur >"$out/w$i.out" 2>"$out/w$i.err" &
		i=$((i + 1))
	done
	wait
	end=$(date +%s.%N)
	total=$(cat "$out"/w*.out | awk '{ d += $2; e += $4 } END { print d, e }')
	d=${total% *}
	e=${total#* }
	busy=$(cat "$out"/w*.err | grep -ci "busy\|locked" || true)
	echo "sync=$sync_name processes=$p decisions=$d per_s=$(echo "scale=0; $d / ($end - $start)" | bc) errors=$e busy=$busy double=$(double_claims "$db")"
	rm -f "$out"/w*.out "$out"/w*.err
done
done

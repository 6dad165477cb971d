#!/bin/sh
# queue.sh: claim and decide latency (p50/p99) under synchronous NORMAL and
# FULL on generated stores of 1M and 10M cases, the ratio 10M / 1M, and
# decisions per second with 1, 2, 8 and 16 concurrent processes against a
# bare SQLite commit loop and one process measured in the same round, each
# run checked for errors and double claims. Each rate is measured in two
# modes, one right after the other: "two" (claim, then decide: two write
# transactions a decision) and "next" (decide --next: the decision and the
# next claim in one transaction), with their ratio next/two.
#   DOCKET=build/docket bench/queue.sh [SIZES]   (default "1000000 10000000")
# Stores are made once under bench/out/ by make-store.sh and reused: each
# run decides a few thousand of their queued cases (30% of N); the
# concurrent runs copy the 1M store back from queue-N.pristine when fewer
# than 100,000 are left. The checks for double claims hold across runs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${DOCKET:?set DOCKET to the binary under test}"
QB=${QUEUE_BENCH:-$(dirname "$DOCKET")/bench/queue_bench}
out="$here/out"
mkdir -p "$out"
sizes=${1:-${QUEUE_BENCH_SIZES:-"1000000 10000000"}}
N=${QUEUE_BENCH_N:-2000}     # claims+decisions per latency run
SECS=${QUEUE_BENCH_SECS:-5}  # length of each concurrent run
# QUEUE_BENCH_ROUNDS (default 3): rounds of concurrent runs (medians)

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
		# Read the file once so every size starts from a warm page cache:
		# otherwise the 10M figures measured which of its 3 GB another
		# engineer's work had evicted (claim p50 400 µs cold, 72 warm).
		cat "$db" >/dev/null
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

# Decisions per second. The machine is shared and noisy, so each round
# measures its own baselines right before the runs they are compared with:
# "bare", this machine's SQLite commit rate (one insert per transaction,
# same synchronous level), and p=1, one docket process. Medians over the
# rounds of the rates and of the per-round ratios are printed at the end.
ROUNDS=${QUEUE_BENCH_ROUNDS:-3}
n=${sizes%% *}
pristine="$out/queue-$n.pristine"
echo "== queue: decisions/s with concurrent processes, store of $n cases," \
	"${SECS}s each, $ROUNDS rounds"
db=$(fresh "$n")
[ -f "$pristine" ] || cp "$db" "$pristine"
i=1
while [ $i -le 16 ]; do
	"$DOCKET" reviewer add "$db" "w$i" >/dev/null 2>&1 || true
	i=$((i + 1))
done
runs="$out/queue-rate.$$"
: >"$runs"
round=1
while [ $round -le "$ROUNDS" ]; do
	for dur in 1 0; do
		sync_name=$([ $dur = 1 ] && echo FULL || echo NORMAL)
		r=$("$QB" bare "$out/bare.db" "$SECS" $dur)
		bare=$(echo "$r" | awk '{ print $4 }')
		echo "round=$round sync=$sync_name bare_sqlite_commits_per_s=$bare"
		# the two modes take turns going first, round by round
		modes=$([ $((round % 2)) = 1 ] && echo "two next" || echo "next two")
		for p in 1 2 8 16; do
			for mode in $modes; do
				# Start from the pristine store when its queue runs short.
				left=$(sqlite3 "$db" "SELECT coalesce(sum(n), 0) FROM counters
					WHERE state = 'queued'")
				if [ "$left" -lt 100000 ]; then
					cp "$pristine" "$db"
					rm -f "$db-wal" "$db-shm"
					i=1
					while [ $i -le 16 ]; do
						"$DOCKET" reviewer add "$db" "w$i" >/dev/null 2>&1
						i=$((i + 1))
					done
				fi
				r=$("$QB" rate "$db" "$SECS" $p $dur $mode 2>"$out/rate.err" || true)
				busy=$(grep -ci "busy\|locked" "$out/rate.err" || true)
				set -- $r
				echo "round=$round sync=$sync_name processes=$p mode=$mode" \
					"decisions=$2 per_s=$4 errors=$6 busy=$busy" \
					"double=$(double_claims "$db")"
				echo "$round $sync_name $p $4 $bare $mode" >>"$runs"
			done
		done
	done
	round=$((round + 1))
done
echo "== queue: medians over $ROUNDS rounds (ratios taken within each round)"
for s in FULL NORMAL; do
	for p in 1 2 8 16; do
		for mode in two next; do
			awk -v s=$s -v p=$p -v m=$mode '
			function median(a, n,   i, j, t) {
				for (i = 2; i <= n; i++)
					for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
						t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
				return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
			$2 == s && $3 == 1 && $6 == m { one[$1] = $4 }
			$2 == s && $3 == p && $6 == "two" { two[$1] = $4 }
			$2 == s && $3 == p && $6 == m { rate[$1] = $4; bare[$1] = $5 }
			END {
				n = 0
				for (r in rate) { n++; v[n] = rate[r]; x[n] = rate[r] / one[r];
					y[n] = rate[r] / bare[r]; b[n] = bare[r];
					z[n] = rate[r] / two[r] }
				printf "sync=%s processes=%d mode=%s per_s=%d vs_1_process=%.2f",
					s, p, m, median(v, n), median(x, n)
				printf " vs_bare_sqlite_commits=%.3f (bare=%d/s)", median(y, n),
					median(b, n)
				if (m == "next")
					printf " next/two=%.2f", median(z, n)
				printf "\n"
			}' "$runs"
		done
	done
done
rm -f "$runs" "$out/rate.err"

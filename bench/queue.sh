#!/bin/sh
# queue.sh: claim and decide latency (p50/p99) under synchronous NORMAL and
# FULL on generated stores of 1M and 10M cases, against a bare SQLite commit
# (one INSERT per transaction, timed the same way) and as the ratio 10M / 1M;
# and decisions per second with 1, 2, 8 and 16 concurrent processes against
# a bare SQLite commit loop and one process measured in the same round, each
# run checked for errors and double claims. Each rate is measured in two
# modes, one right after the other: "two" (claim, then decide: two write
# transactions a decision) and "next" (decide --next: the decision and the
# next claim in one transaction), with their ratio next/two.
#   DOCKET=build/docket bench/queue.sh [SIZES]   (default "1000000 10000000")
# Knobs (defaults: the whole set): QUEUE_BENCH_N (claims+decisions per
# latency run, 2000), QUEUE_BENCH_SECS (length of a concurrent run, 5),
# QUEUE_BENCH_ROUNDS (rounds of concurrent runs, medians; 3),
# QUEUE_BENCH_SYNC (synchronous levels of the concurrent runs, "FULL NORMAL";
# FULL is docket's default), QUEUE_BENCH_MODES ("two next").
# The latency runs decide cases of the shared stores bench/out/store-N.db
# (lib.sh: bench_store; made once by make-store.sh, shared with review.sh).
# The concurrent runs work on a copy of the first size's store,
# bench/out/queue-rate.db, made at the start of each run and again whenever
# fewer than 100,000 (or N/10) of its cases are queued. The checks for double claims
# hold across runs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${DOCKET:?set DOCKET to the binary under test}"
QB=${QUEUE_BENCH:-}
[ -n "$QB" ] || QB=$(bench_tool queue_bench) || exit 1
out="$here/out"
mkdir -p "$out"
sizes=${1:-${QUEUE_BENCH_SIZES:-"1000000 10000000"}}
N=${QUEUE_BENCH_N:-2000}
SECS=${QUEUE_BENCH_SECS:-5}
ROUNDS=${QUEUE_BENCH_ROUNDS:-3}
SYNCS=${QUEUE_BENCH_SYNC:-"FULL NORMAL"}
MODES=${QUEUE_BENCH_MODES:-"two next"}
PROCS="1 2 8 16"

double_claims() { # cases accepted more than once, or left held
	sqlite3 "$1" "SELECT (SELECT count(*) FROM (SELECT case_id FROM decisions
	  WHERE action = 'accept' GROUP BY case_id HAVING count(*) > 1))
	  + (SELECT count(*) FROM leases)"
}
field() { # LINE NAME: the word after NAME in LINE
	printf '%s\n' "$1" | awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'
}

echo "== queue: claim and decide latency (µs), $N each"
lat="$out/queue-lat.$$"
: >"$lat"
# The baseline: a bare SQLite commit on a fresh file on the same disk, at
# each synchronous level. Claims commit without syncing (NORMAL) whatever
# the level; decisions sync under FULL.
for dur in 0 1; do
	sync_name=$([ $dur = 1 ] && echo FULL || echo NORMAL)
	r=$("$QB" barelat "$out/bare.db" "$N" $dur)
	echo "bare SQLite commit sync=$sync_name $r"
	echo "bare $sync_name $r" >>"$lat"
done
for n in $sizes; do
	db=$(bench_store "$n")
	# Read the file once so every size starts from a warm page cache:
	# otherwise the 10M figures measured which of its 3 GB another
	# engineer's work had evicted (claim p50 400 µs cold, 72 warm).
	cat "$db" >/dev/null
	"$DOCKET" reviewer add "$db" bench >/dev/null 2>&1 || true
	for dur in 0 1; do
		r=$("$QB" latency "$db" "$N" "$dur" bench)
		sync_name=$([ $dur = 1 ] && echo FULL || echo NORMAL)
		echo "cases=$n sync=$sync_name $r double=$(double_claims "$db")"
		echo "$n $sync_name $r" >>"$lat"
	done
done
get() { awk -v n="$1" -v s="$2" -v k="$3" '$1 == n && $2 == s {
	for (i = 3; i < NF; i++) if ($i == k) print $(i + 1) }' "$lat"; }
set -- $sizes
small=$1
for n in $sizes; do
	for s in NORMAL FULL; do
		rss=$(get "$n" $s rss_kb)
		for k in claim_p50 claim_p99 decide_p50 decide_p99; do
			v=$(get "$n" $s ${k}_us)
			q=${k#*_}
			# claims never sync: their bare baseline is the NORMAL commit
			bs=$([ "${k%%_*}" = claim ] && echo NORMAL || echo $s)
			b=$(get bare $bs commit_${q}_us)
			what="${k%%_*} $q, $(bench_k "$n") cases, sync $s"
			if [ "$n" = "$small" ]; then
				bench_fig queue "$what" "$v" µs "bare SQLite commit $q (sync $bs)" \
					"$b" "$(bench_ratio "$v" "$b")" "$rss" "$N claims and decisions"
			else
				a=$(get "$small" $s ${k}_us)
				echo "ratio ${k}_us sync=$s cases $n/$small: $(bench_ratio "$v" "$a")"
				bench_fig queue "$what" "$v" µs "same at $(bench_k "$small") cases" \
					"$a" "$(bench_ratio "$v" "$a")" "$rss" \
					"ratio $(bench_k "$n")/$(bench_k "$small"); vs bare SQLite commit $q ($b µs): $(bench_ratio "$v" "$b")"
			fi
		done
	done
done
rm -f "$lat"

# Decisions per second. The machine is shared and noisy, so each round
# measures its own baselines right before the runs they are compared with:
# "bare", this machine's SQLite commit rate (one insert per transaction,
# same synchronous level), and p=1, one docket process. Medians over the
# rounds of the rates and of the per-round ratios are printed at the end,
# with the spread (lowest..highest) of the rates.
n=$small
db="$out/queue-rate.db"
echo "== queue: decisions/s with concurrent processes, store of $n cases," \
	"${SECS}s each, $ROUNDS rounds, sync $SYNCS, modes $MODES"
rate_copy() { # a fresh copy of the shared store, with reviewers w1..w16
	src="$out/store-$n.db" # made by bench_store for the latency runs
	sqlite3 "$src" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	rm -f "$db" "$db-wal" "$db-shm"
	cp "$src" "$db"
	i=1
	while [ $i -le 16 ]; do
		"$DOCKET" reviewer add "$db" "w$i" >/dev/null 2>&1 || true
		i=$((i + 1))
	done
}
low=$((n / 10 < 100000 ? n / 10 : 100000))
rate_copy
runs="$out/queue-rate.$$"
: >"$runs"
round=1
while [ $round -le "$ROUNDS" ]; do
	for sync_name in $SYNCS; do
		dur=$([ "$sync_name" = FULL ] && echo 1 || echo 0)
		r=$("$QB" bare "$out/bare.db" "$SECS" $dur)
		bare=$(field "$r" per_s)
		echo "round=$round sync=$sync_name bare_sqlite_commits_per_s=$bare"
		# the modes take turns going first, round by round
		modes=$MODES
		[ $((round % 2)) = 1 ] || modes=$(echo "$MODES" | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')
		for p in $PROCS; do
			for mode in $modes; do
				# Start from a fresh copy when the queue runs short.
				[ "$(bench_queued "$db")" -ge $low ] || rate_copy
				r=$("$QB" rate "$db" "$SECS" $p $dur $mode 2>"$out/rate.err" || true)
				busy=$(grep -ci "busy\|locked" "$out/rate.err" || true)
				echo "round=$round sync=$sync_name processes=$p mode=$mode" \
					"decisions=$(field "$r" decisions) per_s=$(field "$r" per_s)" \
					"errors=$(field "$r" errors) busy=$busy" \
					"double=$(double_claims "$db") worker_rss_kb=$(field "$r" rss_kb)"
				echo "$round $sync_name $p $(field "$r" per_s) $bare $mode" \
					"$(field "$r" rss_kb) $(field "$r" errors) $busy" >>"$runs"
			done
		done
	done
	round=$((round + 1))
done
first_mode=${MODES%% *}
echo "== queue: medians over $ROUNDS rounds (ratios taken within each round)"
for s in $SYNCS; do
	for p in $PROCS; do
		for mode in $MODES; do
			line=$(awk -v s=$s -v p=$p -v m=$mode -v m0=$first_mode '
			function median(a, n,   i, j, t) {
				for (i = 2; i <= n; i++)
					for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
						t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
				return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
			$2 == s && $3 == 1 && $6 == m { one[$1] = $4 }
			$2 == s && $3 == p && $6 == m0 { two[$1] = $4 }
			$2 == s && $3 == p && $6 == m { rate[$1] = $4; bare[$1] = $5
				if ($7 > rss) rss = $7; err += $8 + $9 }
			END {
				n = 0; lo = ""; hi = 0
				for (r in rate) { n++; v[n] = rate[r]; x[n] = rate[r] / one[r];
					y[n] = rate[r] / bare[r]; b[n] = bare[r];
					z[n] = rate[r] / two[r]
					if (lo == "" || rate[r] < lo) lo = rate[r]
					if (rate[r] > hi) hi = rate[r] }
				printf "%d %.3f %d %.2f %.2f %d %d %d %d\n", median(v, n),
					median(y, n), median(b, n), median(x, n), median(z, n),
					lo, hi, rss, err
			}' "$runs")
			set -- $line
			printf "sync=%s processes=%d mode=%s per_s=%d (rounds %d..%d) vs_1_process=%s" \
				"$s" "$p" "$mode" "$1" "$6" "$7" "$4"
			printf " vs_bare_sqlite_commits=%s (bare=%d/s)" "$2" "$3"
			[ "$mode" = "$first_mode" ] || printf " %s/%s=%s" "$mode" "$first_mode" "$5"
			printf " worker_rss_kb=%d errors+busy=%d\n" "$8" "$9"
			note="$ROUNDS rounds of ${SECS}s: $6..$7/s; vs 1 process $4"
			[ "$mode" = "$first_mode" ] || note="$note; $mode/$first_mode $5"
			[ "$9" = 0 ] || note="$note; $9 errors or busy"
			what=$([ "$mode" = next ] && echo "decide --next" || echo "claim, decide")
			bench_fig queue "decisions/s, $p process$([ "$p" = 1 ] || echo es), $what, sync $s" \
				"$1" "/s" "bare SQLite commits/s (sync $s), same round" "$3" "$2" "$8" "$note"
		done
	done
done
rm -f "$runs" "$out/rate.err" "$db" "$db-wal" "$db-shm"

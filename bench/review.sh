#!/bin/sh
# review.sh: the review screen's speed on generated stores of 1M and 10M
# cases (bench/make-store.sh; kept in bench/out/ between runs):
#  - start to first frame (process start to exit right after the first
#    paint, DOCKET_BENCH_FIRST_FRAME=1), hyperfine; baseline in the same
#    run: `docket next STORE` (open the store, claim a case, print it);
#  - time per decision over a scripted run of 1,000 accepts (key in to the
#    next case painted; DOCKET_BENCH_KEYS), synchronous NORMAL (fsync
#    aside) and FULL; baseline: 1,000 help open/close keys (a redraw with
#    no store work);
#  - peak RSS of the screen at 1M vs 10M cases (must not grow).
# The screen paints through curses to /dev/null at 100x30. The stores are
# the ones queue.sh uses (lib.sh: bench_store, bench/out/store-N.db).
# Usage: DOCKET=build/docket bench/review.sh [SIZES]   (default "1000000 10000000")
#   REVIEW_BENCH_RUNS: hyperfine runs for the first frame (default 30)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${DOCKET:?set DOCKET to the binary under test}"
out="$here/out"
mkdir -p "$out"
sizes=${1:-${REVIEW_BENCH_SIZES:-1000000 10000000}}
runs=${REVIEW_BENCH_RUNS:-30}
export COLUMNS=100 LINES=30 TERM=xterm-256color DOCKET_CONFIG=/dev/null
export DOCKET_NOW= HOME="$out"
me=$(id -un)

keys() { # N KEY: the key N times, then q
	awk -v n="$1" -v k="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", k; printf "q" }'
}
field() { # LINE NAME
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo "== review screen (100x30, painting to /dev/null)"
for n in $sizes; do
	db=$(bench_store "$n")
	nn=$(bench_k "$n")
	json="$out/review-$n.json"
	hyperfine -N --warmup 3 --runs "$runs" --export-json "$json" \
		--prepare "$DOCKET release $db --reviewer $me" \
		"env DOCKET_BENCH_FIRST_FRAME=1 $DOCKET review $db" \
		"$DOCKET next $db" >/dev/null 2>&1
	"$DOCKET" release "$db" --reviewer "$me" >/dev/null
	hf() { # KEY I: hyperfine's KEY of command I (1, 2) in ms
		sed -n "s/.*\"$1\": *\([0-9.e-]*\).*/\1/p" "$json" | sed -n "$2p" |
			awk '{ printf "%.2f", $1 * 1000 }'
	}
	ffms=$(hf median 1)
	basems=$(hf median 2)
	echo "$n cases: first frame ${ffms} ms median (target < 100); baseline docket next (claim one case, print it) ${basems} ms; ratio $(ratio "$ffms" "$basems")"

	scroll=$(DOCKET_BENCH_SYNC=normal DOCKET_BENCH_KEYS=$(keys 500 '?x') \
		"$DOCKET" review "$db" 2>&1 >/dev/null | grep '^bench' || true)
	normal=$(DOCKET_BENCH_SYNC=normal DOCKET_BENCH_KEYS=$(keys 1000 a) \
		"$DOCKET" review "$db" 2>&1 >/dev/null | grep '^bench' || true)
	full=$(DOCKET_BENCH_KEYS=$(keys 1000 a) \
		"$DOCKET" review "$db" 2>&1 >/dev/null | grep '^bench' || true)
	sm=$(field "$scroll" key_median_ms)
	nm=$(field "$normal" key_median_ms)
	fm=$(field "$full" key_median_ms)
	echo "$n cases: decision key->frame median ${nm} ms (NORMAL, target < 2), p90 $(field "$normal" key_p90_ms) ms, $(field "$normal" keys) keys; FULL median ${fm} ms; redraw-only baseline ${sm} ms; ratio $(ratio "$nm" "$sm")"
	first_line=$(DOCKET_BENCH_FIRST_FRAME=1 "$DOCKET" review "$db" 2>&1 >/dev/null | grep '^bench' || true)
	"$DOCKET" release "$db" --reviewer "$me" >/dev/null
	frss=$(field "$first_line" peak_rss_kb)
	rss=$(field "$normal" peak_rss_kb)
	echo "$n cases: peak RSS at first frame ${frss} kB; after 1,000 decisions ${rss} kB (SQLite's page cache is capped at 16 MiB)"
	bench_fig review "first frame, $nn cases" "$ffms" ms "docket next (claim one case, print it)" \
		"$basems" "$(ratio "$ffms" "$basems")" "$frss" \
		"median of $runs; first frame $(hf min 1)..$(hf max 1) ms, next $(hf min 2)..$(hf max 2) ms; target < 100 ms"
	bench_fig review "decision key to next frame, $nn cases, sync NORMAL" "$nm" ms \
		"redraw-only key (help open/close)" "$sm" "$(ratio "$nm" "$sm")" "$rss" \
		"median of $(field "$normal" keys) keys, p90 $(field "$normal" key_p90_ms) ms; target < 2 ms"
	bench_fig review "decision key to next frame, $nn cases, sync FULL" "$fm" ms \
		"redraw-only key (help open/close)" "$sm" "$(ratio "$fm" "$sm")" \
		"$(field "$full" peak_rss_kb)" "median of $(field "$full" keys) keys, p90 $(field "$full" key_p90_ms) ms"
	eval "rss_$n=$rss frss_$n=$frss"
	last=$n
	first=${first:-$n}
done
if [ "$first" != "$last" ]; then
	a=$(eval echo "\$rss_$first")
	b=$(eval echo "\$rss_$last")
	fa=$(eval echo "\$frss_$first")
	fb=$(eval echo "\$frss_$last")
	echo "peak RSS $last vs $first cases: first frame ratio $(ratio "$fb" "$fa"), after 1,000 decisions ratio $(ratio "$b" "$a") (must not grow beyond the page cache cap)"
	bench_fig review "peak RSS after 1,000 decisions, $(bench_k "$last") cases" "$b" kB \
		"same at $(bench_k "$first") cases" "$a" "$(ratio "$b" "$a")" "$b" "must not grow with the store"
fi
# The benchmark's decisions stay in the generated stores: each run takes
# the next cases of the queue, so runs stay comparable.

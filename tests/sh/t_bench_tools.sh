# The benchmark scripts find their C programs (bench/*.c, which make bench
# builds and a plain make does not) through bench_tool (bench/lib.sh):
# - for a binary of a docket tree, a missing program is made by that
#   tree's Makefile in its build directory, and runs (bench/pg.sh stopped
#   at its latency part, minutes in, when build/bench/queue_bench was not
#   built);
# - for a binary outside any tree, pg.sh and queue.sh stop before they
#   start anything, saying which make target to run.
. "$DOCKET_TESTS/sh/lib.sh"
sqlite_only "the bench scripts, not the engine: queue_bench times a SQLite store here"

build=$(cd "$(dirname "$DOCKET_PLAIN")" && pwd)
if [ ! -f "$build/libdocket.a" ] || [ ! -d "$build/src" ]; then
	echo "$DOCKET_PLAIN is not in a build directory of this tree"
	exit 77
fi

# A binary outside any tree: both scripts stop at once (they went on:
# pg.sh imported 1M rows into PostgreSQL first), naming the target.
mkdir bin
cp "$DOCKET_PLAIN" bin/docket
for script in pg queue; do
	run timeout 60 env DOCKET="$PWD/bin/docket" sh "$DOCKET_ROOT/bench/$script.sh"
	expect_rc 1
	expect_err_exact "bench: no $PWD/bin/bench/queue_bench, and $PWD/bin/docket is not in a docket tree that could make it: run 'make BUILD=DIR DIR/bench/queue_bench' in the tree that built $PWD/bin/docket (DIR its build directory), or 'make bench'"
done

# A copy of this tree and of its build (objects as they are, times kept,
# so make only links the program): bench_tool makes queue_bench there.
mkdir tree
cp -a "$DOCKET_ROOT/Makefile" "$DOCKET_ROOT/src" "$DOCKET_ROOT/include" "$DOCKET_ROOT/tools" tree/
mkdir tree/bench tree/build
cp -a "$DOCKET_ROOT"/bench/*.c "$DOCKET_ROOT"/bench/*.h "$DOCKET_ROOT"/bench/lib.sh tree/bench/
cp -a "$build/src" "$build/libdocket.a" "$build/docket" tree/build/
[ ! -e tree/build/bench ] || fail "the copy has bench programs already"
qb=$(DOCKET="$PWD/tree/build/docket" sh -c '. "$0"; bench_tool queue_bench' \
	tree/bench/lib.sh 2>make.err) || fail "bench_tool failed: $(cat make.err)"
[ "$qb" = "$PWD/tree/build/bench/queue_bench" ] || fail "bench_tool gave '$qb'"
[ -x "$qb" ] || fail "no $qb made: $(cat make.err)"
grep -q "bench: making $qb" make.err || fail "it did not say what it made: $(cat make.err)"
# it times claims and decisions on a store
"$DOCKET" import s.db "$DOCKET_ROOT/sample-data/credit.csv" --model m >/dev/null
"$DOCKET" reviewer add s.db bench >/dev/null
run "$qb" latency "$PWD/s.db" 20 1 bench
expect_rc 0
expect_out "claim_p50_us"
# made once: the tree's own ./docket finds the same program, and nothing
# is made again
cp tree/build/docket tree/docket
qb2=$(DOCKET="$PWD/tree/docket" sh -c '. "$0"; bench_tool queue_bench' \
	tree/bench/lib.sh 2>make2.err) || fail "bench_tool failed: $(cat make2.err)"
[ "$qb2" = "$qb" ] || fail "for ./docket bench_tool gave '$qb2'"
[ ! -s make2.err ] || fail "it made it again: $(cat make2.err)"

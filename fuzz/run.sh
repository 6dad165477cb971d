#!/bin/sh
# run.sh: runs libFuzzer targets one after another for FUZZ_TIME seconds
# each (default 60) and prints per target the executions, the corpus size
# and whether anything was found. Called by `make fuzz` after the build.
#   fuzz/run.sh [NAME...]      (default: every fuzz/fuzz_*.c)
# Working corpora live in build-fuzz/corpus/NAME (new inputs go there; the
# seeds in fuzz/corpus/NAME are read, never written), logs in
# build-fuzz/logs/NAME.log, crashes in build-fuzz/findings/NAME/, scratch
# stores in build-fuzz/tmp/NAME/ (removed after each run).
# FUZZ_NICE (default "nice -n 10") prefixes each run; FUZZ_ARGS adds
# libFuzzer flags. Exits 1 when any target found something.
set -u
cd "$(dirname "$0")/.."
time=${FUZZ_TIME:-60}
nice_cmd=${FUZZ_NICE-nice -n 10}
if [ $# -eq 0 ]; then
	set -- $(ls fuzz/fuzz_*.c | sed 's|fuzz/fuzz_||; s|\.c$||')
fi
found=0
for name in "$@"; do
	bin=build-fuzz/fuzz_$name
	if [ ! -x "$bin" ]; then
		echo "fuzz $name: $bin not built (make fuzz-build)" >&2
		found=1
		continue
	fi
	mkdir -p build-fuzz/corpus/$name build-fuzz/logs build-fuzz/findings/$name \
		build-fuzz/tmp/$name
	# scratch stores (fuzz_util.h) go here, removed after the run
	export TMPDIR="$PWD/build-fuzz/tmp/$name"
	log=build-fuzz/logs/$name.log
	# findings of earlier runs stay for reference; count only this run's
	: >build-fuzz/findings/$name.start
	dict=
	[ -f fuzz/dict/$name.dict ] && dict=-dict=fuzz/dict/$name.dict
	# shellcheck disable=SC2086
	$nice_cmd "$bin" -max_total_time="$time" -print_final_stats=1 -timeout=20 \
		-rss_limit_mb=2048 -artifact_prefix=build-fuzz/findings/$name/ $dict \
		${FUZZ_ARGS:-} build-fuzz/corpus/$name fuzz/corpus/$name >"$log" 2>&1
	rc=$?
	rm -rf "build-fuzz/tmp/$name"
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\).*DONE.*/\1/p' "$log" | tail -n 1)
	corp=$(sed -n 's/.*corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' "$log" | tail -n 1)
	new=$(find build-fuzz/findings/$name -type f \
		-newer build-fuzz/findings/$name.start -printf '%f ')
	if [ "$rc" -eq 0 ] && [ -z "$new" ]; then
		result="nothing found"
	else
		result="FOUND something (exit $rc): $new"
		found=1
	fi
	printf 'fuzz %-11s %10s executions in %ss, corpus %s, %s\n' "$name" \
		"${execs:-?}" "$time" "${corp:-?}" "$result"
	if [ "$result" != "nothing found" ]; then
		grep -m 3 -E 'ERROR|property failed|SUMMARY' "$log" | sed 's/^/    /'
		echo "    log: $log"
	fi
done
exit $found

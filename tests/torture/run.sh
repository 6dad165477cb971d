#!/bin/sh
# run.sh: what `make torture` runs: the crash torture scripts in their long
# form (tests/sh/t_crash_*.sh run the same scripts for a few rounds in
# `make test`), each in its own temporary directory, then one summary line
# per kind: rounds, kills that landed mid-operation, lost decisions and
# corrupt stores (both must be 0).
# Usage: DOCKET=build/test/docket tests/torture/run.sh [import] [storm] [export]
#   (the test build: the storm sets the clock with DOCKET_NOW)
#   DOCKET_TORTURE_ROUNDS  rounds of each kind (default 100)
#   DOCKET_TORTURE_SEED    replay a run (each kind prints its seed)
set -u
: "${DOCKET:?set DOCKET to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
DOCKET_ROOT=$(cd "$here/../.." && pwd)
export DOCKET DOCKET_ROOT
export DOCKET_TORTURE_ROUNDS="${DOCKET_TORTURE_ROUNDS:-100}"
kinds=${*:-import storm export}
summaries=
failed=
t0=$(date +%s)
for k in $kinds; do
	[ -f "$here/crash_$k.sh" ] || { echo "torture: no such kind '$k' (import, storm, export)" >&2; exit 2; }
	work=$(mktemp -d "/tmp/docket-torture-$k-XXXXXX")
	echo "== $k: $DOCKET_TORTURE_ROUNDS rounds in $work"
	k0=$(date +%s)
	if (cd "$work" && HOME="$work" sh "$here/crash_$k.sh") >"$work.log" 2>&1; then
		ok=1
	else
		ok=0
		failed="$failed $k"
	fi
	grep -v '^Killed$' "$work.log" | sed 's/^/   /'
	line=$(grep "^$k: [0-9]* rounds," "$work.log" || echo "$k: did not finish (see $work.log)")
	summaries="$summaries$line [$(( $(date +%s) - k0 )) s]
"
	if [ $ok = 1 ]; then
		rm -rf "$work" "$work.log"
	else
		echo "   FAILED: kept $work and $work.log"
	fi
done
echo "== torture summary ($(( $(date +%s) - t0 )) s)"
printf '%s' "$summaries"
[ -z "$failed" ] || { echo "torture failed:$failed"; exit 1; }

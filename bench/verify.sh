#!/bin/sh
# verify.sh: the Audit tab's quick check (only the entries appended since
# the last verification) against a full verification of a real hash chain of
# N entries (default 1M) in bench/out/verify-N.db (kept; each run appends
# 1000 entries to it, delete it to start over).
# Usage: bench/verify.sh [N]   (or VERIFY_BENCH_N=N)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${DOCKET:=$here/../build/docket}"
vc=${VERIFYCHECK:-}
[ -n "$vc" ] || vc=$(bench_tool verifycheck) || exit 1
n=${1:-${VERIFY_BENCH_N:-1000000}}
mkdir -p "$here/out"
"$vc" "$here/out/verify-$n.db" "$n" 1000

#!/bin/sh
# run.sh: every benchmark, one script each; `make bench` runs this with
# DOCKET set to the binary under test. Big generated data goes to bench/out/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${DOCKET:?set DOCKET to the binary under test}"
export DOCKET
"$here/import.sh"
"$here/supervise.sh"
"$here/verify.sh"         # Audit tab: quick check vs full verification
"$here/queue.sh"
"$here/export.sh"        # docket export vs sqlite3 -csv, 1M reviewed cases
"$here/review.sh"

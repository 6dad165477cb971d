#!/bin/sh
# run.sh: what `make bench` runs. Each benchmark prints its figures with the
# ratio against a baseline measured in the same run; generated stores and
# files go under bench/out/ (git-ignored).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${DOCKET:?set DOCKET to the binary under test}"
export DOCKET

"$here/export.sh"        # docket export vs sqlite3 -csv, 1M reviewed cases

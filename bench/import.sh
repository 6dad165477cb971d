#!/bin/sh
# import.sh: `docket import` of a generated 1M-row CSV (tools/gen_predictions.py,
# seed 1, the shape of sample-data/credit.csv) against the sqlite3 CLI's
# `.import --csv` of the same file into a plain table of a fresh database on
# the same disk, in one run; prints rows/s of both, their ratio (docket /
# sqlite3, target >= 1.0), the store's size (its files after the import:
# bytes per case, and against the input file's size: target <= 1.5), and
# docket's peak RSS for a small and the big file (it must not grow with the
# file; bound 64 MB). Each side runs IMPORT_BENCH_RUNS times (default 2),
# alternating; the best time counts.
#   DOCKET=build/docket bench/import.sh [ROWS]   (default 1000000)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
root=$(cd "$here/.." && pwd)
: "${DOCKET:?set DOCKET to the binary under test}"
rows=${1:-${IMPORT_BENCH_ROWS:-1000000}}
runs=${IMPORT_BENCH_RUNS:-2} # best of: the machine is shared and noisy
small=$((rows / 10))
out="$here/out"
mkdir -p "$out"
py=/usr/bin/python3
[ -x "$py" ] || py=python3

gen() { # gen ROWS -> path of the generated CSV (made once, then reused)
	f="$out/import-$1.csv"
	if [ ! -f "$f" ]; then
		t0=$(bench_now)
		"$py" "$root/tools/gen_predictions.py" --rows "$1" --seed 1 --out "$f.tmp"
		mv "$f.tmp" "$f"
		bench_data import "import-$1.csv ($1 rows)" "$(bench_since "$t0")" generated
	else
		bench_data import "import-$1.csv ($1 rows)" - cached
	fi
	echo "$f"
}

fresh() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }
# bytes FILE: the database and its WAL (what the store takes on disk)
bytes() { cat "$1" "$1-wal" 2>/dev/null | wc -c; }

# timed FILE CMD...: run CMD under /usr/bin/time; "SECONDS MAXRSS_KB" in FILE
timed() {
	t=$1
	shift
	/usr/bin/time -f "%e %M" -o "$t" "$@" >/dev/null
}

big=$(gen "$rows")
little=$(gen "$small")
db="$out/import-docket.db"
base="$out/import-sqlite3.db"

echo "== import: $rows rows, $(($(wc -c <"$big") / 1000000)) MB CSV ($big), best of $runs runs each"
fresh "$db"
timed "$out/t.small" "$DOCKET" import "$db" "$little" --model small
read -r _ smallrss <"$out/t.small"
ds=0 drss=0 ss=0 runs_d= runs_s=
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	fresh "$db"
	timed "$out/t.docket" "$DOCKET" import "$db" "$big" --model bench
	n=$(sqlite3 "$db" "SELECT count(*) FROM cases")
	[ "$n" -eq "$rows" ] || { echo "docket stored $n rows, not $rows" >&2; exit 1; }
	fresh "$base"
	timed "$out/t.sqlite3" sqlite3 "$base" ".import --csv $big t"
	m=$(sqlite3 "$base" "SELECT count(*) FROM t")
	[ "$m" -eq "$rows" ] || { echo "sqlite3 stored $m rows, not $rows" >&2; exit 1; }
	read -r s1 r1 <"$out/t.docket"
	read -r s2 _ <"$out/t.sqlite3"
	echo "  run $i: docket ${s1} s, sqlite3 ${s2} s"
	runs_d="${runs_d:+$runs_d, }$s1" runs_s="${runs_s:+$runs_s, }$s2"
	ds=$(awk -v a="$ds" -v b="$s1" 'BEGIN { print (a == 0 || b < a) ? b : a }')
	ss=$(awk -v a="$ss" -v b="$s2" 'BEGIN { print (a == 0 || b < a) ? b : a }')
	drss=$(awk -v a="$drss" -v b="$r1" 'BEGIN { print (b > a ? b : a) }')
done

dsize=$(bytes "$db")
ssize=$(bytes "$base")
insize=$(wc -c <"$big")
awk -v n="$rows" -v ds="$ds" -v ss="$ss" -v drss="$drss" -v srss="$smallrss" \
    -v small="$small" -v dsize="$dsize" -v ssize="$ssize" -v insize="$insize" 'BEGIN {
	dr = n / ds; sr = n / ss
	printf "docket import        %8.2f s  %9.0f rows/s  store %5.0f MB\n", ds, dr, dsize / 1e6
	printf "sqlite3 .import      %8.2f s  %9.0f rows/s  table %5.0f MB\n", ss, sr, ssize / 1e6
	printf "ratio docket/sqlite3 %8.2f   (target >= 1.0)\n", dr / sr
	printf "store per case       %8.0f bytes (input %.0f bytes per row, sqlite3 table %.0f)\n",
		dsize / n, insize / n, ssize / n
	printf "store/input          %8.2f   (target <= 1.5; sqlite3 table %.2f)\n",
		dsize / insize, ssize / insize
	printf "docket peak RSS      %8.1f MB at %d rows, %.1f MB at %d rows (bound 64 MB)\n",
		srss / 1024, small, drss / 1024, n
}'
k=$(bench_k "$rows")
mb=$(($(wc -c <"$big") / 1000000))
dr=$(awk -v n="$rows" -v s="$ds" 'BEGIN { printf "%.0f", n / s }')
sr=$(awk -v n="$rows" -v s="$ss" 'BEGIN { printf "%.0f", n / s }')
bench_fig import "docket import, $k-row CSV ($mb MB)" "$dr" rows/s \
	"sqlite3 .import --csv, same file" "$sr" "$(bench_ratio "$dr" "$sr")" "$drss" \
	"best of $runs: docket $runs_d s, sqlite3 $runs_s s; target ratio >= 1"
bench_fig import "docket store size, $k cases" "$((dsize / rows))" bytes/case \
	"input file, per row" "$((insize / rows))" "$(bench_ratio "$dsize" "$insize")" "$drss" \
	"database and WAL after the import; sqlite3 table $((ssize / rows)) bytes/row; target ratio <= 1.5"
bench_fig import "docket import peak RSS, $k rows" "$drss" kB \
	"same at $(bench_k "$small") rows" "$smallrss" "$(bench_ratio "$drss" "$smallrss")" "$drss" \
	"must not grow with the file; bound 64 MB"
fresh "$db"
fresh "$base"
rm -f "$out/t.small" "$out/t.docket" "$out/t.sqlite3"

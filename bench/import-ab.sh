#!/bin/sh
# import-ab.sh: two docket binaries' imports of the same generated CSV,
# alternating A, B, B, A, ... in the same minutes (the machine is shared
# and noisy), best of RUNS each: wall seconds and CPU seconds (user + sys,
# both threads), and B's ratios to A. The load average is printed with
# each run. The CSV is bench/import.sh's (made by it: run that first).
#   bench/import-ab.sh A_BINARY B_BINARY [ROWS] [RUNS]   (1000000, 3)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
a=$1 b=$2 rows=${3:-1000000} runs=${4:-3}
csv="$here/out/import-$rows.csv"
[ -f "$csv" ] || { echo "no $csv: run bench/import.sh $rows first" >&2; exit 1; }
db=$(mktemp -d "$here/out/ab-XXXXXX")/s.db
trap 'rm -rf "$(dirname "$db")"' EXIT
one() { # one BINARY -> "WALL CPU"
	rm -f "$db" "$db-wal" "$db-shm"
	/usr/bin/time -f "%e %U %S" -o "$db.t" "$1" import "$db" "$csv" --model bench >/dev/null
	n=$(sqlite3 "$db" "SELECT count(*) FROM cases")
	[ "$n" -eq "$rows" ] || { echo "$1 stored $n rows, not $rows" >&2; exit 1; }
	awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$db.t"
}
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == 0 || b < a) ? b : a }'; }
aw=0 ac=0 bw=0 bc=0
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	for which in A B; do
		[ $((i % 2)) -eq 0 ] && which=$(echo "$which" | tr AB BA)
		bin=$a
		[ "$which" = B ] && bin=$b
		read -r w c <<-EOF2
		$(one "$bin")
		EOF2
		echo "run $i $which: wall $w s, cpu $c s  (load $(cut -d' ' -f1-3 /proc/loadavg))"
		if [ "$which" = A ]; then aw=$(best "$aw" "$w") ac=$(best "$ac" "$c")
		else bw=$(best "$bw" "$w") bc=$(best "$bc" "$c"); fi
	done
done
awk -v aw="$aw" -v ac="$ac" -v bw="$bw" -v bc="$bc" -v n="$rows" 'BEGIN {
	printf "A best: wall %.2f s, cpu %.2f s\n", aw, ac
	printf "B best: wall %.2f s, cpu %.2f s\n", bw, bc
	printf "B/A: wall %.3f, cpu %.3f (%d rows)\n", bw / aw, bc / ac, n
}'

#!/bin/sh
# run.sh: every benchmark in one go; `make bench` runs it with DOCKET set to
# the binary under test. Each script prints its own figures and appends a
# machine-readable line per figure to bench/out/results.tsv (bench/lib.sh);
# at the end bench/report.sh renders bench/RESULTS.md from those lines and
# from bench/out/machine.tsv (the machine, written here). Big generated data
# (stores, CSV files) goes to bench/out/ and is reused by later runs.
#
# The whole run fits in 10 minutes on 2 cores (6m38s cold, every input
# generated, on an idle machine; making the inputs takes about 2 minutes);
# bench/pg.sh, added since, takes 4 to 8 minutes more (its import and
# migrate into PostgreSQL, 1.5 to 2.5 minutes each, are made in every run):
# the concurrent queue runs last 3 s each here (QUEUE_BENCH_SECS) instead
# of the script's 5 s. BENCH_FULL=1 runs every script with its own
# defaults, as running a script alone does. Set BENCH_REPORT=path to write
# the report elsewhere.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
: "${DOCKET:?set DOCKET to the binary under test}"
export DOCKET
out="$here/out"

# The tools the scripts use beside docket's own build and test dependencies
# (tools/ensure-deps.sh test): name the Debian packages that are missing.
missing=""
for t in hyperfine:hyperfine bc:bc sqlite3:sqlite3 /usr/bin/time:time /usr/bin/python3:python3; do
	command -v "${t%%:*}" >/dev/null 2>&1 || missing="$missing ${t#*:}"
done
if [ -n "$missing" ]; then
	echo "bench: missing tools; install them with: apt-get install -y$missing" >&2
	exit 1
fi

mkdir -p "$out"
# Stores of the layout before queue.sh and review.sh shared bench_store's
# (7 GB), and scratch files of interrupted runs.
rm -f "$out"/queue-[0-9]*.db "$out"/queue-[0-9]*.pristine "$out"/review-[0-9]*.db \
	"$out"/queue-lat.* "$out"/queue-rate.[0-9]* "$out"/make-[0-9]*.log
BENCH_RESULTS="$out/results.tsv"
export BENCH_RESULTS
: >"$BENCH_RESULTS"
machine="$out/machine.tsv"
report=${BENCH_REPORT:-$here/RESULTS.md}

if [ -z "${BENCH_FULL:-}" ]; then
	: "${QUEUE_BENCH_SECS:=3}"
	export QUEUE_BENCH_SECS
fi

# The machine, before anything runs.
m() { printf '%s\t%s\n' "$1" "$2" >>"$machine"; }
: >"$machine"
m cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sed -n 1p)$(lscpu 2>/dev/null | awk -F': *' '
	/^CPU family/ { f = $2 } /^Model:/ { mo = $2 } /^Hypervisor vendor/ { h = $2 }
	/^L3 cache/ { l3 = $2 }
	END { printf " (family %s model %s%s%s)", f, mo, l3 ? ", L3 " l3 : "", h ? ", " h " guest" : "" }')"
m cores "$(nproc) online ($(grep -c '^processor' /proc/cpuinfo) in /proc/cpuinfo)"
m ram "$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
m kernel "$(uname -srm)"
m fs "$(df -PT "$out" | awk 'NR == 2 { print $2 " on " $1 " (mounted on " $7 ")" }')"
m sqlite "$(sqlite3 --version | cut -d' ' -f1,2) (CLI); docket links $(ldd "$DOCKET" | awk '/libsqlite3/ { print $3 }' | xargs readlink -f 2>/dev/null || echo '?')"
m compiler "$(${CC:-cc} --version | sed -n 1p); CFLAGS ${BENCH_CFLAGS:-?}"
m tools "$(hyperfine --version 2>/dev/null | sed -n 1p); $(/usr/bin/python3 --version 2>&1)"
dirty=$(git -C "$root" status --porcelain --untracked-files=no -- . ':!bench/RESULTS.md' 2>/dev/null | wc -l)
m commit "$(git -C "$root" log -1 --format='%h %s (%cs)' 2>/dev/null || echo unknown)$([ "$dirty" = 0 ] || echo " + uncommitted changes in $dirty files")"
m date "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
m load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
# what else is running: top's second sample (the first counts since boot)
m busy_start "$(top -b -n 2 -d 1 -w 200 2>/dev/null | awk '/^top -/ { n++ }
	n == 2 && f && $9 + 0 >= 5 && k < 4 { printf "%s%s %s%%", (k++ ? ", " : ""), $12, $9 }
	n == 2 && $1 == "PID" { f = 1 }')"
m config "$(env | grep -E '^(BENCH_FULL|[A-Z]+_BENCH_[A-Z]+|EXPORT_ROWS|MONITOR_ROWS)=' | sort | tr '\n' ' ')"

now() { date +%s.%N; }
t_all=$(now)
failed=""
# section NAME SCRIPT [ARGS]: run SCRIPT, record its wall time and the load
# average at its start; go on with the others if it fails.
section() {
	name=$1
	shift
	load=$(cut -d' ' -f1 /proc/loadavg)
	t0=$(now)
	"$@"
	rc=$?
	secs=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
	note="load average $load at start"
	if [ $rc != 0 ]; then
		note="FAILED (exit $rc); $note"
		failed="$failed $name"
		echo "bench: $name failed (exit $rc)" >&2
	fi
	printf 'time\t%s\t%s\t%s\ts\t-\t-\t-\t-\t%s\n' "$name" "$*" "$secs" "$note" >>"$BENCH_RESULTS"
}
section import "$here/import.sh"
section supervise "$here/supervise.sh"
section verify "$here/verify.sh"    # Audit tab: quick check vs full verification
section queue "$here/queue.sh"      # makes the shared 1M and 10M stores
section pg "$here/pg.sh"            # PostgreSQL beside SQLite (10M with BENCH_FULL)
section export "$here/export.sh"    # docket export vs sqlite3 -csv, 1M reviewed cases
section report "$here/report-cmd.sh"  # docket report vs stats on the supervise store
section review "$here/review.sh"    # the review screen on the shared stores
# drift and fairness (issue 14): 1M cases here, 10M with BENCH_FULL
[ -n "${BENCH_FULL:-}" ] || { : "${MONITOR_ROWS:=1000000}"; export MONITOR_ROWS; }
section monitor "$here/monitor.sh"

m load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
m wall "$(awk -v a="$t_all" -v b="$(now)" 'BEGIN { s = int(b - a + 0.5); printf "%d s (%dm%02ds)", s, s / 60, s % 60 }')"
"$here/report.sh" "$BENCH_RESULTS" "$machine" >"$report.tmp" && mv "$report.tmp" "$report"
echo "bench: wrote $report"
if [ -n "$failed" ]; then
	echo "bench: failed:$failed" >&2
	exit 1
fi

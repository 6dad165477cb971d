#!/bin/sh
# run-sh-pg.sh: the shell tests with their stores on PostgreSQL.
#
#   DOCKET=/path/to/build/docket tests/pg/run-sh-pg.sh [PATTERN]
#
# Starts one throwaway cluster (cluster.sh), then runs tests/run-sh.sh
# with $DOCKET a wrapper that turns the STORE argument (a file path, the
# argument after the command) into a database of that cluster, one per
# path (created by `init`), so `docket init s.db` makes a PostgreSQL store.
# Tests read and forge the store through lib.sh's engine-aware helpers
# (sql, sql_forge, store_copy...; DOCKET_TEST_ENGINE=postgres); one about
# the SQLite file itself skips here (sqlite_only), saying why.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${DOCKET:?set DOCKET to the binary under test}"
real=$DOCKET
[ -x "$(dirname "$DOCKET")/test/docket" ] && real=$(cd "$(dirname "$DOCKET")/test" && pwd)/docket
work=$(mktemp -d /tmp/docket-pg-run-XXXXXX)
chmod 0755 "$work"
trap '"$here/cluster.sh" stop "$work/pg" >/dev/null 2>&1; rm -rf "$work"' EXIT INT TERM
envs=$("$here/cluster.sh" start "$work/pg") || exit 1
set -a
eval "$envs"
set +a
me=$(id -un)
psql -qX -d postgres -c "CREATE ROLE \"$me\" LOGIN SUPERUSER" 2>/dev/null
mkdir -p "$work/bin/test" "$work/roles"
cat >"$work/bin/docket" <<EOF
#!/bin/sh
# docket with STORE (the argument after the command) mapped to a database
real='$real'
host='$PGHOST'
port='$PGPORT'
user='$me'
roles='$work/roles'
EOF
cat >>"$work/bin/docket" <<'EOF'
# The store: the first argument naming a *.db file, not an option's value;
# failing that the first *.db at all (`policy --reasons s.db`: --reasons
# takes an optional value, and s.db is not it).
cmd=${1:-}
n=0
found=0
first=0
prev=
for a in "$@"; do
	n=$((n + 1))
	case $a in
	*.db)
		[ $first -gt 0 ] || first=$n
		case $prev in --*) ;; *) found=$n; break ;; esac ;;
	esac
	prev=$a
done
[ $found -gt 0 ] || found=$first
# (DOCKET_PG_UNDER: words to run the real binary under, e.g. valgrind's,
# for t_valgrind)
[ $found -gt 0 ] || exec ${DOCKET_PG_UNDER:-} "$real" "$@"
# Who acts: --reviewer/--as NAME logs in as the role NAME, as a team's
# reviewers would. The cluster's superuser makes each login role on first
# use, as a team's database administrator would: `reviewer add STORE NAME`
# then grants it a docket group role. Not a superuser: that would pass
# every privilege (and count as a supervisor).
mkrole() {
	# once per name (a decide loop runs docket thousands of times)
	seen="$roles/$(printf '%s' "$1" | md5sum | cut -c1-16)"
	[ ! -e "$seen" ] || return 0
	psql -qX -h "$host" -p "$port" -U "$user" -d postgres \
		-c "CREATE ROLE \"$1\" LOGIN" >/dev/null 2>&1
	: >"$seen" 2>/dev/null
}
# (--reviewer of log, cases, stats, export and report is a filter, not who)
idopts='--reviewer --as'
case $cmd in log | cases | stats | export | report) idopts=--as ;; esac
who=$user
prev=
for a in "$@"; do
	for o in $idopts; do
		[ "$prev" != "$o" ] || who=$a
		case $a in "$o"=*) who=${a#*=} ;; esac
	done
	prev=$a
done
[ "$who" = "$user" ] || mkrole "$who"
if [ "$cmd" = reviewer ] && [ "${2:-}" = add ] && [ $# -ge 4 ]; then
	mkrole "$4"
fi
i=0
total=$#
for a in "$@"; do
	i=$((i + 1))
	if [ $i -eq $found ]; then
		case $a in /*) path=$a ;; *) path=$PWD/$a ;; esac
		db=s_$(printf '%s' "$path" | md5sum | cut -c1-20)
		a="postgresql:///$db?host=$host&port=$port&user=$who"
	fi
	set -- "$@" "$a"
done
shift $total
if [ "$cmd" = init ] || [ "$cmd" = import ]; then
	psql -qX -h "$host" -p "$port" -U "$user" -d postgres \
		-c "CREATE DATABASE $db" >/dev/null 2>&1
fi
exec ${DOCKET_PG_UNDER:-} "$real" "$@"
EOF
chmod 0755 "$work/bin/docket"
cp "$work/bin/docket" "$work/bin/test/docket"
# (the binaries themselves for the t_pg_* tests, which run both engines)
DOCKET_PG_SUITE_REAL=$real DOCKET_PG_SUITE_PLAIN=$DOCKET \
DOCKET=$work/bin/docket DOCKET_PLAIN=$work/bin/docket DOCKET_TEST_ENGINE=postgres \
	"$here/../run-sh.sh" "$@"

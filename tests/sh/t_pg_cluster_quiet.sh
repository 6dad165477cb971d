# tests/pg/cluster.sh says nothing on stderr when all goes well, started
# from a directory its server's owner (nobody, when the tests run as root)
# may not enter, as every test's is: initdb, pg_ctl and postgres ran from
# there and each printed 'could not change directory to ...' into every
# PostgreSQL test's output. The same for the restart after a kill (the
# crash tests'), which may only warn that the old server might be running.
. "$DOCKET_TESTS/sh/lib.sh"

pgdir="$TMPDIR/pg"
trap '"$DOCKET_TESTS/pg/cluster.sh" stop "$pgdir" >/dev/null 2>&1 || true' EXIT
mkdir -m 0700 closed
cd closed
set +e
"$DOCKET_TESTS/pg/cluster.sh" start "$pgdir" >../envs 2>../start.err
crc=$?
set -e
[ $crc -eq 77 ] && { echo "no PostgreSQL server installed"; exit 77; }
[ $crc -eq 0 ] || fail "the cluster did not start: $(cat ../start.err)"
[ ! -s ../start.err ] || fail "start said on stderr: $(cat ../start.err)"
set -a
eval "$(cat ../envs)"
set +a
[ "$(psql -qAtX -d postgres -c 'SELECT 1' 2>../psql.err)" = 1 ] ||
	fail "the server does not answer: $(cat ../psql.err)"
[ ! -s ../psql.err ] || fail "psql said on stderr: $(cat ../psql.err)"
"$DOCKET_TESTS/pg/cluster.sh" kill "$pgdir" 2>../kill.err
"$DOCKET_TESTS/pg/cluster.sh" restart "$pgdir" 2>../restart.err
grep -v 'another server might be running' ../kill.err ../restart.err >../said || true
[ ! -s ../said ] || fail "kill and restart said on stderr: $(cat ../said)"
[ "$(psql -qAtX -d postgres -c 'SELECT 1')" = 1 ] || fail "the server does not answer after the restart"
cd ..
"$DOCKET_TESTS/pg/cluster.sh" stop "$pgdir" 2>stop.err
[ ! -s stop.err ] || fail "stop said on stderr: $(cat stop.err)"
[ ! -e "$pgdir" ] || fail "stop left $pgdir"

# A store an older docket made (tests/pg/store-rev3.sql, store-rev7.sql,
# store-rev10.sql) is upgraded by its owner's first open, and only by it:
# a reviewer's or a supervisor's open before then is refused saying so,
# with the store's version and revision, this docket's and the owner's
# name, and changes nothing (it said "permission denied for schema
# docket", or "for table meta": the upgrade's first refusal). Once the
# owner has opened it, both work.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
unset DOCKET_NOW
export PGUSER=postgres
uri() { echo "postgresql:///$1?host=$PGHOST&port=$PGPORT&user=$2"; }
rev=$(pg_revision)
ver=$(sed -n 's/^#define STORE_SCHEMA_VERSION \([0-9][0-9]*\)$/\1/p' \
	"$DOCKET_ROOT/include/docket/store.h")
# functions: what the schema holds, to see that a refused open changed nothing
functions() {
	pg_as postgres "$1" "SELECT string_agg(md5(pg_get_functiondef(p.oid)), ','
		ORDER BY p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname = 'docket' AND p.prokind = 'f'"
}
# refused DB WANT: alice's and sam's commands on DB are refused with WANT
# after the URI; the store's revision and functions stay as they were
refused() {
	was=$(pg_as postgres $1 "SELECT value FROM meta WHERE key = 'pg_revision'")
	fns=$(functions $1)
	for who in alice sam; do
		for cmd in queue verify; do
			run "$DOCKET" $cmd "$(uri $1 $who)"
			expect_rc 1
			expect_err_exact "docket: $(uri $1 $who): $2"
		done
	done
	[ "$(pg_as postgres $1 "SELECT value FROM meta WHERE key = 'pg_revision'")" = "$was" ] ||
		fail "a reviewer's or supervisor's open changed the revision"
	[ "$(functions $1)" = "$fns" ] || fail "a reviewer's or supervisor's open changed the functions"
}
# upgraded DB: the owner's open upgrades it, then alice's and sam's work
upgraded() {
	run "$DOCKET" queue "$(uri $1 postgres)"
	expect_rc 0
	[ "$(pg_as postgres $1 "SELECT value FROM meta WHERE key = 'pg_revision'")" = "$rev" ] ||
		fail "$1 not upgraded"
	run "$DOCKET" queue "$(uri $1 alice)"
	expect_rc 0
	run "$DOCKET" verify "$(uri $1 sam)"
	expect_rc 0
}

for old in 7 10; do
	pg_old_store old$old store-rev$old.sql
	[ "$(pg_as postgres old$old "SELECT value FROM meta WHERE key = 'pg_revision'")" = $old ] ||
		fail "the fixture is not revision $old"
	sv=$(pg_as postgres old$old "SELECT value FROM meta WHERE key = 'schema_version'")
	if [ "$sv" = "$ver" ]; then
		refused old$old "store is at PostgreSQL revision $old, this docket needs $rev: its owner (postgres) must open it once with this docket to upgrade it"
	else
		refused old$old "store is at schema version $sv (PostgreSQL revision $old), this docket needs $ver ($rev): its owner (postgres) must open it once with this docket to upgrade it"
	fi
	upgraded old$old
done
# this schema version, one revision behind (the fixtures' schema versions
# may all be older): the message names the revisions only
pg_as postgres old10 "UPDATE meta SET value = '$((rev - 1))' WHERE key = 'pg_revision'" >/dev/null
refused old10 "store is at PostgreSQL revision $((rev - 1)), this docket needs $rev: its owner (postgres) must open it once with this docket to upgrade it"
upgraded old10

# Revision 3, schema version 8, whose group roles were the cluster's.
psql -qX -v ON_ERROR_STOP=1 -d postgres >/dev/null <<'SQL'
CREATE ROLE docket_reviewer NOLOGIN;
CREATE ROLE docket_supervisor NOLOGIN;
GRANT docket_reviewer TO alice;
GRANT docket_supervisor TO sam;
CREATE DATABASE old3;
SQL
psql -qX -v ON_ERROR_STOP=1 -d old3 -f "$DOCKET_TESTS/pg/store-rev3.sql" >/dev/null
refused old3 "store is at schema version 8 (PostgreSQL revision 3), this docket needs $ver ($rev): its owner (postgres) must open it once with this docket to upgrade it"
upgraded old3

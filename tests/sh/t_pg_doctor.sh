# docket doctor on a PostgreSQL store (a URI): the set-up to check is the
# role the connection logs in as. A reviewer's or supervisor's login role
# is fine; a superuser (or the schema's owner), which could rewrite the log
# past the database's rules, is a problem with its fix; so is a role
# granted no docket role, and a database with no store.
. "$DOCKET_TESTS/sh/lib.sh"
pgdir="$TMPDIR/pg"
trap '"$DOCKET_TESTS/pg/cluster.sh" stop "$pgdir" >/dev/null 2>&1' EXIT
pg_start "$pgdir"
export PGUSER=postgres
psql -qX -d postgres -c "CREATE DATABASE d" -c "CREATE ROLE ann LOGIN" \
	-c "CREATE ROLE sue LOGIN" -c "CREATE ROLE bob LOGIN"
U="postgresql:///d?host=$PGHOST&port=$PGPORT"
run "$DOCKET" init "$U&user=postgres"
expect_rc 0
run "$DOCKET" reviewer add "$U&user=postgres" ann
expect_rc 0
run "$DOCKET" reviewer add "$U&user=postgres" sue --role supervisor
expect_rc 0

run "$DOCKET" doctor "$U&user=ann"
expect_rc 0
expect_out "ok: $U&user=ann is a PostgreSQL store; it logs in as ann, a reviewer (granted docket_reviewer_d, a role of this store's own)"
run "$DOCKET" doctor "$U&user=sue"
expect_rc 0
expect_out "logs in as sue, a supervisor (granted docket_supervisor_d"
# (a new store never used the cluster's roles)
case "$out" in *"note:"*) fail "a note on a new store: $out" ;; esac

run "$DOCKET" doctor "$U&user=postgres"
expect_rc 1
expect_out "problem: $U&user=postgres logs in as postgres, a superuser or the owner of schema docket"
expect_out "fix: review as login roles granted docket_reviewer_d or docket_supervisor_d"

run "$DOCKET" doctor "$U&user=bob"
expect_rc 1
expect_out "problem: $U&user=bob: unknown reviewer 'bob'"
expect_out "docket reviewer add"

run "$DOCKET" doctor "postgresql:///nope?host=$PGHOST&port=$PGPORT&user=postgres"
expect_rc 1
expect_out 'database "nope" does not exist'
expect_out "fix: as it says; a database without a store gets one with docket init"
# (doctor on a file still checks the file)
run "$DOCKET" doctor nofile.db
expect_rc 1
expect_out "nofile.db: no such file"

# A store whose version cannot be read is not "no store" or an old one to
# migrate: the read's error is the message.
psql -qX -d d -c "REVOKE SELECT ON docket.meta FROM docket_reviewer_d"
run "$DOCKET" queue "$U&user=ann"
expect_rc 1
expect_err "opening the store: permission denied for table meta"

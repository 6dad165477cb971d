# Two stores on one PostgreSQL cluster (two databases, each with its schema
# docket) are separate (issue 13): each has group roles of its own, made by
# its init, so a supervisor of store A is nobody in store B. Tried from psql
# as each role: A's supervisor cannot read B's case_pii, resolve, export,
# change a policy or add a reviewer in B; A's reviewer cannot claim or
# decide in B. docket itself, as A's supervisor on B, says it is not a
# member there. One login can be both, through each store's own grant.
# And a migrated store keeps its own roles, whatever its source's meta says.
. "$DOCKET_TESTS/sh/lib.sh"

pgdir="$TMPDIR/pg"
trap '"$DOCKET_TESTS/pg/cluster.sh" stop "$pgdir" >/dev/null 2>&1 || true' EXIT
pg_start "$pgdir"
unset DOCKET_NOW # leases are judged by the server's clock too
export PGUSER=postgres
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE sam LOGIN" \
	-c "CREATE ROLE alice LOGIN" -c "CREATE ROLE tom LOGIN" \
	-c "CREATE ROLE bea LOGIN" -c "CREATE DATABASE a" -c "CREATE DATABASE b" \
	-c "CREATE DATABASE c" >/dev/null
uri() { echo "postgresql:///$1?host=$PGHOST&port=$PGPORT&user=$2"; }
# sql USER DB SQL: as USER in DB's schema docket, stop at the first error.
sql() { pg_as "$@"; }
# refused USER DB ERROR SQL: PostgreSQL refuses SQL as USER in DB with ERROR.
refused() { pg_refused "$@"; }

# Store A: sam supervises, alice reviews. Store B: tom and bea.
for s in "a sam alice" "b tom bea"; do
	set -- $s
	run "$DOCKET" init "$(uri "$1" postgres)"
	expect_rc 0
	run "$DOCKET" reviewer add "$(uri "$1" postgres)" "$2" --role supervisor
	expect_rc 0
	run "$DOCKET" reviewer add "$(uri "$1" "$2")" "$3"
	expect_rc 0
	run "$DOCKET" import "$(uri "$1" "$2")" "$DOCKET_ROOT/sample-data/credit.csv" --model credit
	expect_rc 0
done
# each store's roles are its own, named after its database; nobody holds a
# role of both, and no role of the cluster's serves either
for d in a b; do
	[ "$(sql postgres $d "SELECT store_role('reviewer') || ' ' || store_role('supervisor')")" = \
		"docket_reviewer_$d docket_supervisor_$d" ] || fail "store $d's roles"
done
[ "$(sql postgres postgres "SELECT string_agg(u.rolname || '>' || g.rolname, ' ' ORDER BY u.rolname)
	FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
	JOIN pg_roles u ON u.oid = m.member WHERE g.rolname LIKE 'docket%'")" = \
	"alice>docket_reviewer_a bea>docket_reviewer_b sam>docket_supervisor_a tom>docket_supervisor_b" ] ||
	fail "the grants are not each store's own"
[ "$(sql postgres postgres "SELECT count(*) FROM pg_roles WHERE rolname IN ('docket_reviewer', 'docket_supervisor')")" = 0 ] ||
	fail "init made the cluster's roles"

# In A, sam is a supervisor (the database lets it read case_pii) ...
[ "$(sql sam a "SELECT count(*) > 0 FROM case_pii")" = t ] || fail "sam cannot read A's case_pii"
# ... who may not rename A's roles in meta (naming B's would make B's
# members A's): those rows are the owner's
sql sam a "UPDATE meta SET value = 'docket_supervisor_b' WHERE key = 'pg_role_supervisor'" >/dev/null
refused sam a "row-level security policy for table \"meta\"" \
	"INSERT INTO meta VALUES ('pg_role_reviewer', 'docket_reviewer_b')
	ON CONFLICT (key) DO UPDATE SET value = excluded.value"
refused sam a "row-level security policy for table \"meta\"" \
	"INSERT INTO meta VALUES ('pg_roles_replaced', 'docket_reviewer_b')"
[ "$(sql postgres a "SELECT store_role('reviewer') || ' ' || store_role('supervisor')")" = \
	"docket_reviewer_a docket_supervisor_a" ] || fail "a supervisor renamed A's roles"
# ... in B, nobody: no personal value, no resolve, export, policy or
# reviewer, not even a look at the cases
b_log=$(sql postgres b "SELECT count(*) || ' ' || max(hash) FROM docket.decisions")
refused sam b "permission denied for schema docket" "SELECT context FROM docket.case_pii"
refused sam b "permission denied for schema docket" "SELECT * FROM docket.pii_fields(1)"
refused sam b "permission denied for schema docket" "SELECT count(*) FROM docket.cases"
refused sam b "permission denied for schema docket" \
	"INSERT INTO docket.decisions(seq, at, reviewer, case_id, action, label, prev_hash, hash)
	VALUES (100, 0, 'sam', 1, 'resolve', 'bad', '', '')"
refused sam b "permission denied for schema docket" \
	"SELECT * FROM docket.decide('sam', 1, 'resolve', 'good', 'bad', NULL, NULL, NULL, '00',
	0, 'done', 'bad', -1, NULL, true)"
refused sam b "permission denied for schema docket" \
	"INSERT INTO docket.exports VALUES ('x', 0, '{}', 1, 0, 'sam')"
refused sam b "permission denied for schema docket" \
	"INSERT INTO docket.policies SELECT model_id, version + 1, policy, 'sam', 0 FROM docket.policies"
refused sam b "permission denied for schema docket" "UPDATE docket.meta SET value = '[\"x\"]' WHERE key = 'reason_codes'"
refused sam b "permission denied for schema docket" "SELECT docket.grant_role('sam', 'supervisor')"
refused sam b "permission denied to set role" "SET ROLE docket_supervisor_b"
# A's reviewer claims and decides nothing in B
refused alice b "permission denied for schema docket" \
	"SELECT * FROM docket.claim('alice', NULL, 0, 1800000, 9000000000000)"
refused alice b "permission denied for schema docket" \
	"SELECT * FROM docket.decide('alice', 1, 'accept', 'good', 'good', NULL, NULL, NULL, '00',
	0, 'done', 'good', -1, NULL, true)"
# docket says so, as A's supervisor on B, and writes nothing
for c in "export --out $PWD/x.csv" "policy --reasons x" \
	"decide app-00001 --action resolve --label bad --model credit"; do
	run "$DOCKET" ${c%% *} "$(uri b sam)" ${c#* }
	expect_rc 1
	expect_err "unknown reviewer 'sam': the role sam may not use the docket store in this database"
done
run "$DOCKET" reviewer add "$(uri b sam)" alice
expect_rc 1
expect_err "unknown reviewer 'sam': the role sam may not use the docket store in this database"
[ ! -e x.csv ] || fail "a refused export left a file"
run "$DOCKET" next "$(uri b alice)"
expect_rc 1
expect_err "unknown reviewer 'alice': the role alice may not use the docket store in this database"
[ "$(sql postgres b "SELECT count(*) || ' ' || max(hash) FROM decisions")" = "$b_log" ] ||
	fail "B's log changed"
# auto-add in B lets in only those B's administrator granted B's role
run "$DOCKET" reviewer auto-add "$(uri b tom)" on
expect_rc 0
run "$DOCKET" next "$(uri b alice)"
expect_rc 1
expect_err "unknown reviewer 'alice'"
[ "$(sql postgres b "SELECT count(*) FROM decisions WHERE reviewer IN ('sam', 'alice')")" = 0 ] ||
	fail "A's roles left entries in B"
[ "$(sql postgres b "SELECT count(*) FROM leases")" = 0 ] || fail "A's reviewer holds a case of B"

# One login may serve both stores, each through its own grant: sam
# becomes a reviewer of B, and is a reviewer there, a supervisor in A.
run "$DOCKET" reviewer add "$(uri b tom)" sam
expect_rc 0
refused sam b "permission denied for table case_pii" "SELECT context FROM case_pii"
run "$DOCKET" export "$(uri b sam)" --out "$PWD/x.csv"
expect_rc 1
run "$DOCKET" export "$(uri a sam)" --out "$PWD/a.csv"
expect_rc 0
run "$DOCKET" next "$(uri b sam)"
expect_rc 0
run "$DOCKET" verify "$(uri b tom)"
expect_rc 0

# A migrated store gets its own roles, whatever the source's meta says (a
# source naming A's roles would make A's members the destination's).
run "$DOCKET" init s.db
expect_rc 0
sqlite3 s.db "INSERT INTO meta(key, value) VALUES ('pg_role_supervisor', 'docket_supervisor_a'),
	('pg_role_reviewer', 'docket_reviewer_a')"
run "$DOCKET" migrate s.db "$(uri c postgres)"
expect_rc 0
[ "$(sql postgres c "SELECT store_role('reviewer') || ' ' || store_role('supervisor')")" = \
	"docket_reviewer_c docket_supervisor_c" ] || fail "the migrated store took the source's roles"
refused sam c "permission denied for schema docket" "SELECT count(*) FROM docket.cases"

# Dropping a store's database leaves its roles; a new store in a database
# of that name takes them over, without the old store's members.
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE b" -c "CREATE DATABASE b" >/dev/null
b_members="SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
	WHERE g.rolname IN ('docket_reviewer_b', 'docket_supervisor_b')"
[ "$(sql postgres postgres "$b_members")" = 3 ] || fail "B's members: $(sql postgres postgres "$b_members")"
run "$DOCKET" init "$(uri b postgres)"
expect_rc 0
[ "$(sql postgres postgres "$b_members")" = 0 ] || fail "the new B kept the old B's members"
refused bea b "permission denied for schema docket" "SELECT count(*) FROM docket.cases"
refused tom b "permission denied for schema docket" "SELECT count(*) FROM docket.case_pii"

# A store's database renamed keeps its roles, which a new database of the
# old name must not take over from it: init says so, and A keeps working.
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "ALTER DATABASE a RENAME TO a_then" \
	-c "CREATE DATABASE a" >/dev/null
run "$DOCKET" init "$(uri a postgres)"
expect_rc 1
expect_err "the group role docket_reviewer_a is the docket store's in database a_then (a database renamed from a?): make this store in a database of another name"
[ "$(sql postgres postgres "SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
	WHERE g.rolname IN ('docket_reviewer_a', 'docket_supervisor_a')")" = 2 ] || fail "A's members were taken"
[ "$(sql sam a_then "SELECT count(*) > 0 FROM case_pii")" = t ] || fail "sam lost A after the rename"
run "$DOCKET" next "$(uri a_then alice)"
expect_rc 0

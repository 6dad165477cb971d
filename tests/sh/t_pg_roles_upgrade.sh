# A store made by an older docket (PostgreSQL revision 3, whose group roles
# docket_reviewer and docket_supervisor were the cluster's, shared by every
# store) gets roles of its own when its owner first opens it: each of its
# reviewers keeps the role it had, a member of the old roles that is no
# reviewer of this store is left out, the old roles keep nothing in the
# store (and are not dropped: another store still uses them), and doctor
# says so. tests/pg/store-rev3.sql is such a store, dumped from docket
# b06d742 (init by postgres, sam supervisor, alice and bob reviewers).
. "$DOCKET_TESTS/sh/lib.sh"

pgdir="$TMPDIR/pg"
trap '"$DOCKET_TESTS/pg/cluster.sh" stop "$pgdir" >/dev/null 2>&1 || true' EXIT
pg_start "$pgdir"
unset DOCKET_NOW
export PGUSER=postgres
uri() { echo "postgresql:///$1?host=$PGHOST&port=$PGPORT&user=$2"; }
q() { psql -qAtX -v ON_ERROR_STOP=1 -d "$1" -c "SET search_path = docket, pg_catalog" -c "$2"; }
# refused USER DB ERROR SQL: PostgreSQL refuses SQL as USER in DB with ERROR.
refused() { pg_refused "$@"; }
# The cluster as the older docket left it: its group roles, granted to
# the reviewers (and to carl, whom no store here added); two stores of it.
psql -qX -v ON_ERROR_STOP=1 -d postgres >/dev/null <<'SQL'
CREATE ROLE docket_reviewer NOLOGIN;
CREATE ROLE docket_supervisor NOLOGIN;
CREATE ROLE alice LOGIN;
CREATE ROLE bob LOGIN;
CREATE ROLE sam LOGIN;
CREATE ROLE carl LOGIN;
CREATE ROLE plain LOGIN;
GRANT docket_reviewer TO alice, bob, carl;
GRANT docket_supervisor TO sam;
CREATE DATABASE old1;
CREATE DATABASE old2;
CREATE DATABASE old3 OWNER plain;
CREATE DATABASE fresh;
SQL
for d in old1 old2; do
	psql -qX -v ON_ERROR_STOP=1 -d $d -f "$DOCKET_TESTS/pg/store-rev3.sql" >/dev/null
done
# (the old way's hole: carl, added to no store, reads one)
[ "$(psql -qAtX -d old1 -U carl -c "SELECT count(*) FROM docket.cases")" = 20 ] ||
	fail "the fixture is not the old layout"
run "$DOCKET" init "$(uri fresh postgres)"
expect_rc 0
rev=$(q fresh "SELECT value FROM meta WHERE key = 'pg_revision'")
members() {
	psql -qAtX -d postgres -c "SELECT string_agg(u.rolname || '>' || g.rolname, ' '
	ORDER BY u.rolname, g.rolname) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
	JOIN pg_roles u ON u.oid = m.member WHERE g.rolname LIKE '$1'"
}
# what the old roles hold in database DB (privileges, policies)
held_by_old() {
	psql -qAtX -d "$1" -c "SELECT count(*) FROM pg_shdepend d JOIN pg_roles r ON r.oid = d.refobjid
	WHERE d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
	AND r.rolname IN ('docket_reviewer', 'docket_supervisor')"
}
[ "$(held_by_old old1)" -gt 0 ] || fail "the old roles hold nothing in the fixture"

# A reviewer cannot upgrade it (only the schema's owner can change it)...
run "$DOCKET" queue "$(uri old1 alice)"
expect_rc 1
[ "$(q old1 "SELECT value FROM meta WHERE key = 'pg_revision'")" = 3 ] || fail "alice upgraded it"
# ... nor an owner that may not create roles: it is told what to do, and
# nothing changes
sed 's/OWNER TO postgres;/OWNER TO plain;/' "$DOCKET_TESTS/pg/store-rev3.sql" |
	psql -qX -v ON_ERROR_STOP=1 -d old3 >/dev/null
run "$DOCKET" queue "$(uri old3 plain)"
expect_rc 1
expect_err "the role plain may not create the group roles docket_reviewer_old3 and docket_supervisor_old3"
[ "$(q old3 "SELECT value FROM meta WHERE key = 'pg_revision'")" = 3 ] || fail "old3 half upgraded"
[ "$(psql -qAtX -d postgres -c "SELECT count(*) FROM pg_roles WHERE rolname LIKE '%old3'")" = 0 ] ||
	fail "a refused upgrade left roles"
psql -qX -d postgres -c "DROP DATABASE old3" >/dev/null

# The owner's first open upgrades it.
run "$DOCKET" queue "$(uri old1 postgres)"
expect_rc 0
[ "$(q old1 "SELECT value FROM meta WHERE key = 'pg_revision'")" = "$rev" ] || fail "not upgraded"
[ "$(q old1 "SELECT store_role('reviewer') || ' ' || store_role('supervisor')")" = \
	"docket_reviewer_old1 docket_supervisor_old1" ] || fail "old1's roles"
# every reviewer keeps its role, through the store's own; carl is not let in
[ "$(members 'docket%_old1')" = "alice>docket_reviewer_old1 bob>docket_reviewer_old1 sam>docket_supervisor_old1" ] ||
	fail "members after the upgrade: $(members 'docket%_old1')"
# the old roles hold nothing in old1 any more, and are still there, with
# their members, for old2
[ "$(held_by_old old1)" = 0 ] || fail "the old roles still hold $(held_by_old old1) things in old1"
[ "$(members docket_reviewer)" = "alice>docket_reviewer bob>docket_reviewer carl>docket_reviewer" ] ||
	fail "the old reviewer role's members changed: $(members docket_reviewer)"
[ "$(psql -qAtX -d old2 -U carl -c "SELECT count(*) FROM docket.cases")" = 20 ] ||
	fail "old2, not upgraded, lost its old grants"
refused carl old1 "permission denied for schema docket" "SELECT count(*) FROM docket.cases"
refused alice old1 "permission denied for table case_pii" "SELECT * FROM docket.case_pii"
[ "$(psql -qAtX -d old1 -U sam -c "SELECT count(*) FROM docket.case_pii")" = 20 ] ||
	fail "sam cannot read case_pii after the upgrade"
refused alice old1 "permission denied for table decisions" "DELETE FROM docket.decisions"
# the guards' judge names the store's roles, not the cluster's (its body
# holds them as literals since revision 7): alice is only a reviewer
# there, sam is a supervisor
[ "$(pg_as alice old1 "SELECT only_reviewer()")" = t ] || fail "alice is not only a reviewer in old1"
[ "$(pg_as sam old1 "SELECT only_reviewer()")" = f ] || fail "sam is only a reviewer in old1"
[ "$(q old1 "SELECT prosrc LIKE '%''docket_reviewer_old1''%''docket_supervisor_old1''%'
	FROM pg_proc WHERE proname = 'only_reviewer'")" = t ] ||
	fail "only_reviewer() does not name old1's roles: $(q old1 "SELECT prosrc FROM pg_proc WHERE proname = 'only_reviewer'")"

# Everyone works as before: alice decides, sam resolves and exports, the
# chain holds.
run "$DOCKET" next "$(uri old1 alice)" --model credit
expect_rc 0
id=$(printf '%s\n' "$out" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
run "$DOCKET" decide "$(uri old1 alice)" "$id" --action escalate --reason other
expect_rc 0
run "$DOCKET" decide "$(uri old1 sam)" "$id" --action resolve --label bad --model credit
expect_rc 0
run "$DOCKET" export "$(uri old1 sam)" --out "$PWD/x.csv"
expect_rc 0
run "$DOCKET" reviewer add "$(uri old1 sam)" carl
expect_rc 0
[ "$(members 'docket%_old1')" = "alice>docket_reviewer_old1 bob>docket_reviewer_old1 carl>docket_reviewer_old1 sam>docket_supervisor_old1" ] ||
	fail "reviewer add after the upgrade: $(members 'docket%_old1')"
run "$DOCKET" verify "$(uri old1 sam)"
expect_rc 0
# reviewer list names the store's roles, and who lacks theirs: one the
# administrator took a grant from is refused by the database, and the
# list says so and what grants it again
run "$DOCKET" reviewer list "$(uri old1 sam)"
expect_rc 0
expect_out "group roles: docket_reviewer_old1 (reviewers), docket_supervisor_old1 (supervisors)"
case "$out" in *"not granted"*) fail "a grant missing after the upgrade: $out" ;; esac
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "REVOKE docket_reviewer_old1 FROM bob" >/dev/null
run "$DOCKET" reviewer list "$(uri old1 sam)"
expect_rc 0
expect_out "not granted: bob lacks docket_reviewer_old1: the database refuses it as a reviewer (docket reviewer role $(uri old1 sam) bob reviewer grants it)"
run "$DOCKET" reviewer role "$(uri old1 sam)" bob reviewer
expect_rc 0
run "$DOCKET" reviewer list "$(uri old1 sam)"
case "$out" in *"not granted"*) fail "the grant was not made again: $out" ;; esac

# doctor: the old roles are no longer this store's; another store uses them
run "$DOCKET" doctor "$(uri old1 alice)"
expect_rc 0
expect_out "a reviewer (granted docket_reviewer_old1, a role of this store's own)"
expect_out "note: the cluster's group roles docket_reviewer and docket_supervisor are no longer used by this store (it has its own: docket_reviewer_old1 and docket_supervisor_old1); other stores of the cluster still use them"
# ... until the last store that did is upgraded: then they may go
run "$DOCKET" queue "$(uri old2 postgres)"
expect_rc 0
[ "$(members 'docket%_old2')" = "alice>docket_reviewer_old2 bob>docket_reviewer_old2 sam>docket_supervisor_old2" ] ||
	fail "members of old2 after its upgrade: $(members 'docket%_old2')"
run "$DOCKET" doctor "$(uri old1 alice)"
expect_rc 0
expect_out "no database of the cluster grants them anything now, so the administrator may drop them"
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "DROP ROLE docket_reviewer, docket_supervisor" >/dev/null ||
	fail "the old roles could not be dropped"
run "$DOCKET" next "$(uri old2 bob)" --model credit
expect_rc 0
run "$DOCKET" doctor "$(uri old1 sam)"
expect_rc 0
case "$out" in *"note:"*) fail "a note on roles that are gone: $out" ;; esac

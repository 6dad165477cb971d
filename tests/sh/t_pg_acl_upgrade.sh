# A store made by docket before PostgreSQL revision 12
# (tests/pg/store-rev10.sql, with a lease of alice's that ran out) upgrades on its owner's first open to the
# privileges of a new store: the listing of tests/pg/acl.sql is the same
# as a store just made (t_pg_acl checks that one against its allow-list),
# so a reviewer can no longer hang a trigger function on a table of its
# own, nor date a lease past the server's clock, nor read which cases are
# gold checks (revision 14); claims and decisions go on as before.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
unset DOCKET_NOW
export PGUSER=postgres
uri() { echo "postgresql:///$1?host=$PGHOST&port=$PGPORT&user=$2"; }
q() { pg_as postgres old10 "$1"; }
pg_old_store old10 store-rev10.sql
[ "$(q "SELECT value FROM meta WHERE key = 'pg_revision'")" = 10 ] || fail "the fixture is not revision 10"
# alice held the first case of the queue, as claim() did then; her lease
# ran out
q "WITH c AS (SELECT id FROM cases WHERE state = 'queued'
	ORDER BY priority DESC, urgency, id LIMIT 1),
	h AS (UPDATE cases SET state = 'held' FROM c WHERE cases.id = c.id RETURNING cases.id)
	INSERT INTO leases(case_id, reviewer_id, token, claimed_at, expires_at)
	SELECT h.id, r.id, nextval('lease_tokens'), 1796051527766, 1796052127766
	FROM h, reviewers r WHERE r.name = 'alice'" >/dev/null
held=$(q "SELECT c.ext_id FROM cases c JOIN leases l ON l.case_id = c.id")
[ -n "$held" ] || fail "no lease of alice's"
hang="CREATE TEMP TABLE x(model_id bigint, state text, n bigint);
	CREATE TRIGGER x BEFORE INSERT ON x FOR EACH ROW EXECUTE FUNCTION docket.counters_insert()"
pg_as alice old10 "$hang" >/dev/null || fail "the fixture is not what revision 10 granted"

# A reviewer's open does not upgrade it; the owner's does.
run "$DOCKET" queue "$(uri old10 alice)"
[ "$(q "SELECT value FROM meta WHERE key = 'pg_revision'")" = 10 ] || fail "alice upgraded it"
run "$DOCKET" queue "$(uri old10 postgres)"
expect_rc 0
[ "$(q "SELECT value FROM meta WHERE key = 'pg_revision'")" = "$(pg_revision)" ] || fail "not upgraded"

# The same privileges as a store made now.
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE fresh" >/dev/null
run "$DOCKET" init "$(uri fresh postgres)"
expect_rc 0
psql -qAtX -v ON_ERROR_STOP=1 -d old10 -f "$DOCKET_TESTS/pg/acl.sql" >old.txt
psql -qAtX -v ON_ERROR_STOP=1 -d fresh -f "$DOCKET_TESTS/pg/acl.sql" >new.txt
cmp -s new.txt old.txt || fail "an upgraded store's privileges differ from a new one's
(< new, > upgraded):
$(diff new.txt old.txt)"
# and the same rules: every policy's expressions and every function's
# text (the store's role names aside), so that no upgrade step is missing
rules() {
	psql -qAtX -v ON_ERROR_STOP=1 -d "$1" -c "SELECT c.relname || '.' || p.polname
		|| ' ' || coalesce(pg_get_expr(p.polqual, p.polrelid), '-') || ' '
		|| coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '-')
		FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'docket'
		UNION ALL SELECT 'function ' || p.oid::regprocedure || ' '
		|| md5(replace(pg_get_functiondef(p.oid), '$1', 'DB'))
		FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname = 'docket' AND p.prokind = 'f'
		UNION ALL SELECT 'view ' || c.relname || ' ' || md5(pg_get_viewdef(c.oid))
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'docket' AND c.relkind = 'v' ORDER BY 1"
}
rules old10 >old.txt
rules fresh >new.txt
cmp -s new.txt old.txt || fail "an upgraded store's policies or functions differ from a new one's
(< new, > upgraded):
$(diff new.txt old.txt)"
pg_refused alice old10 "permission denied for function docket.counters_insert" "$hang"
pg_refused alice old10 "permission denied for table cases" \
	"SELECT ext_id, gold, route_reason FROM cases WHERE gold IS NOT NULL"
pg_refused alice old10 "permission denied for table models" "SELECT audit_salt FROM models"
pg_refused alice old10 "row-level security policy for table \"leases\"" \
	"UPDATE leases SET expires_at = 32503680000000"

# alice's case from before (her lease has run out) goes back to the queue
# and is claimed and decided again; verify passes.
run "$DOCKET" next "$(uri old10 alice)" --model credit
expect_rc 0
id=$(printf '%s\n' "$out" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
[ "$id" = "$held" ] || fail "claimed '$id', not the expired $held"
run "$DOCKET" decide "$(uri old10 alice)" "$id" --action accept --model credit
expect_rc 0
run "$DOCKET" verify "$(uri old10 sam)"
expect_rc 0

# What each role may do on a PostgreSQL store, from the catalog (issue 13:
# "the database must enforce"): every privilege anyone holds on every
# table, view, sequence, column and function of the schema docket,
# PUBLIC's included, and the row-level security policies, listed by
# tests/pg/acl.sql, must be exactly the allow-list below. An object a
# later revision adds without the REVOKE or GRANT it needs (a function
# left executable by PUBLIC, a trigger function a reviewer could hang on a
# table of its own, a sequence or table granted by ALL ... IN SCHEMA)
# fails here, and the list says what was granted. Every object is the
# schema owner's (no role may replace one). A login role never granted a
# group role sees nothing of the store.
. "$DOCKET_TESTS/sh/lib.sh"

pg_own_cluster
export PGUSER=postgres
uri() { echo "postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=$1"; }
run "$DOCKET" init "$(uri postgres)"
expect_rc 0
psql -qX -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE alice LOGIN" \
	-c "CREATE ROLE sam LOGIN" -c "CREATE ROLE mallory LOGIN" >/dev/null
run "$DOCKET" reviewer add "$(uri postgres)" sam --role supervisor
expect_rc 0
run "$DOCKET" reviewer add "$(uri sam)" alice
expect_rc 0

# the allow-list: change it only with the grant that makes it so, and say
# in pg_roles.c why the role needs it
cat >want.txt <<'LIST'
aggregate docket.group_concat(text) reviewer:EXECUTE,supervisor:EXECUTE
aggregate docket.group_concat(text,text) reviewer:EXECUTE,supervisor:EXECUTE
column batches.attr_keys supervisor:UPDATE
column batches.ctx_keys supervisor:UPDATE
column batches.prob_keys supervisor:UPDATE
column batches.routed supervisor:UPDATE
column batches.rows supervisor:UPDATE
column batches.source_sha256 supervisor:UPDATE
column cases.attributions reviewer:SELECT
column cases.batch_id reviewer:SELECT
column cases.confidence reviewer:SELECT
column cases.context reviewer:SELECT
column cases.ctid reviewer:SELECT
column cases.decided_at reviewer:SELECT,reviewer:UPDATE,supervisor:UPDATE
column cases.entropy reviewer:SELECT
column cases.ext_id reviewer:SELECT
column cases.final_label reviewer:SELECT,reviewer:UPDATE,supervisor:UPDATE
column cases.final_seq reviewer:SELECT,reviewer:UPDATE,supervisor:UPDATE
column cases.id reviewer:SELECT
column cases.line reviewer:SELECT
column cases.margin reviewer:SELECT
column cases.model_id reviewer:SELECT
column cases.policy_version reviewer:SELECT,supervisor:UPDATE
column cases.prediction reviewer:SELECT
column cases.priority reviewer:SELECT
column cases.probs reviewer:SELECT
column cases.reviews_needed reviewer:SELECT,supervisor:UPDATE
column cases.route_reason supervisor:UPDATE
column cases.state reviewer:SELECT,reviewer:UPDATE,supervisor:UPDATE
column cases.text reviewer:SELECT
column cases.urgency reviewer:SELECT,supervisor:UPDATE
column cases.xmax reviewer:SELECT
column counters.n supervisor:UPDATE
column exports.at supervisor:UPDATE
column exports.audit_seq supervisor:UPDATE
column exports.by supervisor:UPDATE
column exports.last_seq supervisor:UPDATE
column leases.expires_at reviewer:UPDATE
column meta.value supervisor:UPDATE
column models.created_at reviewer:SELECT
column models.id reviewer:SELECT
column models.labels reviewer:SELECT,supervisor:UPDATE
column models.name reviewer:SELECT
column models.policy_version reviewer:SELECT,supervisor:UPDATE
column reviewer_seen.seq reviewer:UPDATE,supervisor:UPDATE
column reviewers.role supervisor:UPDATE
function docket.batches_keys_once() -
function docket.caller_role() reviewer:EXECUTE,supervisor:EXECUTE
function docket.case_pii_refs() -
function docket.cases_count_delete() definer -
function docket.cases_count_state() definer -
function docket.cases_guard() -
function docket.cases_held_leased() -
function docket.cases_queued_new() definer -
function docket.cases_refs() -
function docket.cases_requeued() definer -
function docket.chain_head() reviewer:EXECUTE,supervisor:EXECUTE
function docket.claim(text,text,bigint,bigint,bigint) reviewer:EXECUTE,supervisor:EXECUTE
function docket.context_full(bigint,text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.counter_add(bigint,text,bigint,integer) reviewer:EXECUTE,supervisor:EXECUTE
function docket.counters_insert() definer -
function docket.decide(text,bigint,text,text,text,text,double precision,text,text,bigint,bigint,text,text,text,bigint,bigint,boolean) definer reviewer:EXECUTE,supervisor:EXECUTE
function docket.decisions_append_only() -
function docket.dk_concat_step(text,text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.dk_concat_step(text,text,text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.dk_int_eq_json(bigint,json) reviewer:EXECUTE,supervisor:EXECUTE
function docket.dk_json_arrow(text,text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.dk_json_atom(json) reviewer:EXECUTE,supervisor:EXECUTE
function docket.dk_json_eq_int(json,bigint) reviewer:EXECUTE,supervisor:EXECUTE
function docket.dk_json_eq_text(json,text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.dk_json_min(text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.dk_json_path(text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.dk_json_type(json) reviewer:EXECUTE,supervisor:EXECUTE
function docket.entered_now(bigint) reviewer:EXECUTE,supervisor:EXECUTE
function docket.entry_hash(bigint,bigint,text,bigint,text,text,text,text,text,double precision,bigint,text,text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.fast_known(boolean) reviewer:EXECUTE,supervisor:EXECUTE
function docket.fits_case(bigint,text,text,text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.grant_role(text,text) definer supervisor:EXECUTE
function docket.hash_seconds(double precision) reviewer:EXECUTE,supervisor:EXECUTE
function docket.hold_case(bigint,bigint) definer reviewer:EXECUTE,supervisor:EXECUTE
function docket.holds_lease(bigint,bigint) reviewer:EXECUTE,supervisor:EXECUTE
function docket.instr(text,text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.is_login(text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.json(json) reviewer:EXECUTE,supervisor:EXECUTE
function docket.json(text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.json_array_length(text,text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.json_each(json,text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.json_each(text,text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.json_extract(json,text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.json_extract(text,text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.json_type(text,text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.json_valid(text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.leases_guard() -
function docket.links(bigint,text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.mask_pii(text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.models_floor() definer -
function docket.my_reviewer_id() reviewer:EXECUTE,supervisor:EXECUTE
function docket.now_ms() reviewer:EXECUTE,supervisor:EXECUTE
function docket.only_reviewer() reviewer:EXECUTE,supervisor:EXECUTE
function docket.pii_fields(bigint) definer reviewer:EXECUTE,supervisor:EXECUTE
function docket.pii_only(text) reviewer:EXECUTE,supervisor:EXECUTE
function docket.queue_floor_advance(bigint) definer reviewer:EXECUTE,supervisor:EXECUTE
function docket.queue_floor_of(bigint) definer reviewer:EXECUTE,supervisor:EXECUTE
function docket.reclaim(bigint) reviewer:EXECUTE,supervisor:EXECUTE
function docket.reviewer_may_append(text,bigint,bigint,text,bigint) reviewer:EXECUTE,supervisor:EXECUTE
function docket.split_pii() -
function docket.store_role(text) reviewer:EXECUTE,supervisor:EXECUTE
policy decisions.read SELECT PUBLIC
policy decisions.reviewer_append INSERT reviewer
policy decisions.supervisor_append INSERT supervisor
policy leases.give_back DELETE reviewer
policy leases.read SELECT PUBLIC
policy leases.renew UPDATE reviewer
policy leases.supervisor ALL supervisor
policy leases.take INSERT reviewer
policy meta.read SELECT PUBLIC
policy meta.supervisor ALL supervisor
policy reviewer_seen.own ALL reviewer,supervisor
policy reviewer_seen.read SELECT PUBLIC
policy reviewers.auto_add INSERT reviewer
policy reviewers.read SELECT PUBLIC
policy reviewers.supervisor ALL supervisor
policy reviews.follow_log ALL reviewer
policy reviews.read SELECT PUBLIC
policy reviews.supervisor ALL supervisor
schema docket reviewer:USAGE,supervisor:USAGE
sequence batches_id_seq supervisor:SELECT,supervisor:USAGE
sequence cases_id_seq supervisor:SELECT,supervisor:USAGE
sequence lease_tokens reviewer:SELECT,reviewer:USAGE,supervisor:SELECT,supervisor:USAGE
sequence models_id_seq supervisor:SELECT,supervisor:USAGE
sequence queue_gen -
sequence reviewers_id_seq reviewer:SELECT,reviewer:USAGE,supervisor:SELECT,supervisor:USAGE
table batches reviewer:SELECT,supervisor:INSERT,supervisor:SELECT
table case_pii supervisor:INSERT,supervisor:SELECT
table cases supervisor:INSERT,supervisor:SELECT
table counter_shards -
table decisions rls reviewer:INSERT,reviewer:SELECT,supervisor:INSERT,supervisor:SELECT
table drift_bins reviewer:SELECT,supervisor:DELETE,supervisor:INSERT,supervisor:SELECT,supervisor:UPDATE
table drift_reference reviewer:SELECT,supervisor:DELETE,supervisor:INSERT,supervisor:SELECT,supervisor:UPDATE
table drift_summaries reviewer:SELECT,supervisor:DELETE,supervisor:INSERT,supervisor:SELECT,supervisor:UPDATE
table exports reviewer:SELECT,supervisor:INSERT,supervisor:SELECT
table fair_batches supervisor:DELETE,supervisor:INSERT,supervisor:SELECT,supervisor:UPDATE
table fair_counts supervisor:DELETE,supervisor:INSERT,supervisor:SELECT,supervisor:UPDATE
table leases rls reviewer:DELETE,reviewer:INSERT,reviewer:SELECT,supervisor:DELETE,supervisor:INSERT,supervisor:SELECT,supervisor:UPDATE
table meta rls reviewer:SELECT,supervisor:INSERT,supervisor:SELECT
table models supervisor:INSERT,supervisor:SELECT
table policies reviewer:SELECT,supervisor:INSERT,supervisor:SELECT
table queue_floor -
table queue_requeued -
table reviewer_seen rls reviewer:INSERT,reviewer:SELECT,supervisor:INSERT,supervisor:SELECT
table reviewers rls reviewer:INSERT,reviewer:SELECT,supervisor:INSERT,supervisor:SELECT
table reviews rls reviewer:DELETE,reviewer:INSERT,reviewer:SELECT,reviewer:UPDATE,supervisor:DELETE,supervisor:INSERT,supervisor:SELECT,supervisor:UPDATE
view batch_golds reviewer:SELECT,supervisor:SELECT
view case_reasons reviewer:SELECT,supervisor:SELECT
view counters reviewer:SELECT,supervisor:INSERT,supervisor:SELECT
LIST
psql -qAtX -v ON_ERROR_STOP=1 -d postgres -f "$DOCKET_TESTS/pg/acl.sql" >got.txt
cmp -s want.txt got.txt || fail "privileges in the schema docket differ from the allow-list
(< allowed, > granted):
$(diff want.txt got.txt)"

# every object is the schema owner's
[ "$(pg_as postgres postgres "SELECT string_agg(x, ' ') FROM (
	SELECT c.relname::text AS x FROM pg_class c WHERE c.relnamespace = 'docket'::regnamespace
	  AND c.relowner <> (SELECT nspowner FROM pg_namespace WHERE nspname = 'docket')
	UNION ALL SELECT p.proname::text FROM pg_proc p WHERE p.pronamespace = 'docket'::regnamespace
	  AND p.proowner <> (SELECT nspowner FROM pg_namespace WHERE nspname = 'docket')) o")" = "" ] ||
	fail "objects of docket not the schema owner's"

# a login role docket never granted anything: nothing of the store
for q in "SELECT * FROM docket.cases" "SELECT * FROM docket.pii_fields(1)" \
	"SELECT docket.now_ms()" "SELECT nextval('docket.lease_tokens')"; do
	pg_refused mallory postgres "permission denied for schema docket" "$q"
done
run "$DOCKET" queue "$(uri mallory)"
expect_rc 1

/* pg_roles.c: what PostgreSQL enforces on a docket store, so that the
 * rules hold against someone at a psql prompt and not only through docket
 * (issue 13). Run once by `docket init postgresql://...`, after the schema,
 * by the role that creates the store (it owns the schema; RLS does not
 * bind it, as nothing binds the owner of a database: `verify` against a
 * head kept elsewhere is the check on it).
 *
 * Two group roles of the store's own, NOLOGIN; a reviewer or supervisor
 * is a login role granted one of them (`docket reviewer add`,
 * docket.grant_role). Their names are the store's (pg_roles_groups):
 * docket_reviewer_DB and docket_supervisor_DB for the database DB:
 *   reviewer           reads everything but personal (pii:) values and
 *                      which cases are gold checks (revision 14: gold,
 *                      route_reason and the audit salt; the reason as
 *                      shown is pg_roles_views' case_reasons); writes
 *                      only what claiming and deciding a case write, on
 *                      cases it holds or decisions it enters (row-level
 *                      security and a guard trigger say which rows)
 *   supervisor         what supervisors do in docket (import, policies,
 *                      reason codes, reviewers, resolve, export)
 * Nobody but the owner updates or deletes a log entry or a policy. Roles of
 * the cluster's would make a supervisor of one store a supervisor of every
 * store in a database it may connect to (revision 4 moved older stores off
 * them: pg_roles_own).
 *
 * Identity: the role the caller acts as, current_user (after a SET ROLE,
 * the role set, which PostgreSQL lets only its members set). Policies and
 * the functions that run as the caller read current_user; the SECURITY
 * DEFINER functions, whose current_user is their owner, read caller_role().
 *
 * pii: values live in case_pii, which reviewers cannot read; cases.context
 * holds "(masked)" in their place (import.c), and case_pii the pii:
 * members alone (revision 8: the whole context before). docket.pii_fields returns a
 * case's values to the session that has a committed reveal entry for it,
 * so no value is seen without a record that cannot be rolled back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docket/queue.h"
#include "docket/replay.h"
#include "docket/util.h"
#include "pg.h"

#define PG_ROLES_STR_(x) #x
#define PG_ROLES_STR(x) PG_ROLES_STR_(x)
/* How far past the server's clock a role but the owner may date a log
 * entry (verify refuses entries later than its clock by more, replay.c),
 * and the latest a lease it writes may end: docket's lease from now, and
 * as much again of clocks apart. A far-off date would be dated
 * past every later entry's time (an entry is never dated before the
 * log's latest), so that every lease ran out before it, and verify
 * failed: one role would stop every other's decisions. */
#define PG_ROLES_SKEW PG_ROLES_STR(REPLAY_SKEW_MS)
/* The seconds an entry says were spent on it: none, or from 0 to a year
 * (not NaN, which sorts above every number, nor an infinity: one would
 * make every figure summed over them so). */
#define PG_ROLES_SECONDS(X) \
	"(" X " IS NULL OR " X " BETWEEN 0 AND 31536000)"
/* A log entry's hash is its fields' (entry_hash), checked by the insert
 * policies and by decide(): an entry whose hash is not would stop verify
 * there for good (revision 13). */
#define PG_ROLES_HASHED \
	"hash = entry_hash(seq, at, reviewer, case_id, action, model_label," \
	" label, reason, note, seconds, ref_seq, detail, prev_hash)"
#define PG_ROLES_LEASE_MAX \
	"now_ms() + " PG_ROLES_STR(QUEUE_LEASE_MS) " + " PG_ROLES_SKEW

/* The search_path of every function here: pg_temp last, or a session's
 * temporary table named like one of docket's would stand in for it (a
 * temporary "decisions" with a reveal in it, say). */
#define PG_ROLES_PATH "docket, pg_catalog, pg_temp"

/* The store's group roles: named after the schema, the role and the
 * database, so two stores of one cluster never share one (the database's
 * name is the cluster's one name for it; the schema is docket's); past
 * PostgreSQL's 63 bytes, cut at a character and ended with 8 hex digits of
 * the md5 of the database's name. Created if missing. Roles of this name
 * that exist already and hold privileges in another database are that
 * store's (its database was renamed): refused. Others were left by a store
 * this database held before (it holds one schema docket), or made by the
 * administrator: their members that are not reviewers of this store (at
 * init: all of them) are taken out. The names go into meta (store_role),
 * where everything else reads them; this is the one SQL that spells them. */
static const char pg_roles_groups[] =
	"DO $$\n"
	"DECLARE k text; n text; names text[] := '{}'; m record; other text;\n"
	"BEGIN\n"
	"  FOREACH k IN ARRAY ARRAY['reviewer', 'supervisor'] LOOP\n"
	"    n := '" PG_SCHEMA "_' || k || '_' || current_database();\n"
	"    IF octet_length(n) > 63 THEN\n"
	"      n := left(n, 54);\n"
	"      WHILE octet_length(n) > 54 LOOP n := left(n, -1); END LOOP;\n"
	"      n := n || '_' || left(md5(current_database()), 8);\n"
	"    END IF;\n"
	"    names := names || n;\n"
	"  END LOOP;\n"
	"  FOREACH n IN ARRAY names LOOP\n"
	"    SELECT string_agg(DISTINCT quote_ident(db.datname), ', ') INTO other\n"
	"      FROM pg_shdepend d JOIN pg_database db ON db.oid = d.dbid\n"
	"      WHERE d.refclassid = 'pg_authid'::regclass\n"
	"      AND d.refobjid = to_regrole(quote_ident(n))\n"
	"      AND db.datname <> current_database();\n"
	"    IF other IS NOT NULL THEN\n"
	"      RAISE EXCEPTION 'the group role % is the docket store''s in "
	"database % (a database renamed from %?): make this store in a database "
	"of another name', quote_ident(n), other, quote_ident(current_database())\n"
	"        USING ERRCODE = 'duplicate_object';\n"
	"    END IF;\n"
	"  END LOOP;\n"
	"  BEGIN\n"
	"    FOREACH n IN ARRAY names LOOP\n"
	"      IF to_regrole(quote_ident(n)) IS NULL THEN\n"
	"        EXECUTE format('CREATE ROLE %I NOLOGIN', n);\n"
	"      END IF;\n"
	"      FOR m IN SELECT u.rolname FROM pg_auth_members a\n"
	"          JOIN pg_roles u ON u.oid = a.member\n"
	"          WHERE a.roleid = to_regrole(quote_ident(n))\n"
	"          AND u.rolname NOT IN (SELECT r.name FROM reviewers r) LOOP\n"
	"        EXECUTE format('REVOKE %I FROM %I', n, m.rolname);\n"
	"      END LOOP;\n"
	"    END LOOP;\n"
	"  EXCEPTION WHEN insufficient_privilege THEN\n"
	/* (docket shows the primary message only: the advice goes in it) */
	"    RAISE EXCEPTION 'the role % may not create the group roles % and % "
	"(or take them over from a store this database held before): run docket "
	"init as a role with CREATEROLE, or have the database administrator run: "
	"CREATE ROLE % NOLOGIN; CREATE ROLE % NOLOGIN;', current_user,\n"
	"      quote_ident(names[1]), quote_ident(names[2]), quote_ident(names[1]),\n"
	"      quote_ident(names[2]) USING ERRCODE = 'insufficient_privilege';\n"
	"  END;\n"
	"  INSERT INTO meta(key, value) VALUES ('pg_role_reviewer', names[1]),\n"
	"    ('pg_role_supervisor', names[2])\n"
	"    ON CONFLICT (key) DO UPDATE SET value = excluded.value;\n"
	"END $$;\n";

/* Personal values, out of the reviewers' reach: the pii: members of a
 * case's context as imported, byte for byte and in their order, as an
 * object (the batch digest covers them), where cases.context has
 * "(masked)" for each pii: value. Only those: the whole context again
 * was a third of the bytes an import wrote (revision 8). */
static const char pg_roles_pii[] =
	"CREATE TABLE IF NOT EXISTS case_pii(\n"
	"  case_id bigint PRIMARY KEY,\n"
	"  context text COLLATE \"C\" NOT NULL\n"
	");\n";

/* A row's case is checked once per statement, not by a foreign key row by
 * row, which took two thirds of the import's COPY into case_pii (as
 * cases_refs in pg_schema.c does for a case's model and batch). Inserts
 * are all there is to check: no role but the schema's owner may delete a
 * case or change an id. Revision 3 drops the key of older stores.
 *
 * Since revision 11, first by the statement's range of ids: an import's
 * statement names the ids of one batch, drawn together, so when every id
 * from its lowest to its highest is a case (one count over the cases'
 * key: the ids are unique), each of its rows names one. Only a statement
 * whose range has holes is checked row by row. The probe per row was a
 * quarter of the server's time of the COPY into case_pii. The range is
 * tried only when it is at most 4 times the rows (so a stray pair of far
 * ids does not count the store), in numeric (no overflow). */
#define PG_ROLES_PII_CHECK \
	"CREATE OR REPLACE FUNCTION case_pii_refs() RETURNS trigger\n" \
	"  LANGUAGE plpgsql SET search_path = " PG_ROLES_PATH " AS $$\n" \
	"DECLARE lo bigint; hi bigint; n bigint;\n" \
	"BEGIN\n" \
	"  SELECT min(case_id), max(case_id), count(*) INTO lo, hi, n FROM new_pii;\n" \
	"  IF n = 0 OR (CAST(hi AS numeric) - lo < 4 * CAST(n AS numeric)\n" \
	"      AND (SELECT count(*) FROM cases c WHERE c.id BETWEEN lo AND hi)\n" \
	"        = hi - lo + 1) THEN\n" \
	"    RETURN NULL;\n" \
	"  END IF;\n" \
	"  IF EXISTS (SELECT 1 FROM new_pii n\n" \
	"      WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = n.case_id))\n" \
	"  THEN\n" \
	"    RAISE EXCEPTION 'personal values name a case that does not exist'\n" \
	"      USING ERRCODE = 'foreign_key_violation';\n" \
	"  END IF;\n" \
	"  RETURN NULL;\n" \
	"END $$;\n"
static const char pg_roles_pii_refs[] =
	PG_ROLES_PII_CHECK
	"ALTER TABLE case_pii DROP CONSTRAINT IF EXISTS case_pii_case_id_fkey;\n"
	"DROP TRIGGER IF EXISTS case_pii_refs ON case_pii;\n"
	"CREATE TRIGGER case_pii_refs AFTER INSERT ON case_pii\n"
	"  REFERENCING NEW TABLE AS new_pii\n"
	"  FOR EACH STATEMENT EXECUTE FUNCTION case_pii_refs();\n";

/* claim()'s walk of the queue (below): queue.c's queue_sql_claim and
 * queue_sql_claim_model, in the same order over the one queue index
 * (cases_queue_model): over every model each model's first case the
 * reviewer may take, then the best of them; or one model's first. A case
 * another claim has locked is skipped (it is theirs), not waited for.
 * RID, SINCE and MID name the reviewer's id, the end of the skip
 * cool-down and the model's id: claim()'s variables there, parameters in
 * pg_claim_walks, whose plans EXPLAIN of a claim() call shows (pg.c). */
#define PG_CLAIM_MAY_TAKE(RID, SINCE) \
	"AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.case_id = q.id" \
	" AND r.reviewer_id = " RID " AND (r.action <> 'skip' OR r.at > " SINCE "))"
/* One model's (MID's) walk from its floor f (queue_floor_of, pg_floor.c:
 * no queued case sorts before it, and the dead index entries of cases
 * claimed and decided before it are never read): the cases of the floor's
 * priority from its urgency and id on, then those of lower priorities,
 * each part an index range in index order, the first row of the two. */
#define PG_CLAIM_PART(MID, RID, SINCE, BOUND, ORDER) \
	"SELECT * FROM (SELECT q.id, q.priority, q.urgency FROM cases q" \
	" WHERE q.model_id = " MID " AND q.state = 'queued' AND " BOUND " " \
	PG_CLAIM_MAY_TAKE(RID, SINCE) " ORDER BY " ORDER " LIMIT 1" \
	" FOR UPDATE SKIP LOCKED)"
#define PG_CLAIM_FROM_FLOOR(MID, RID, SINCE) \
	"(" PG_CLAIM_PART(MID, RID, SINCE, \
			  "q.priority = f.p AND (q.urgency, q.id) >= (f.u, f.i)", \
			  "q.urgency, q.id") " p1 UNION ALL " \
	PG_CLAIM_PART(MID, RID, SINCE, "q.priority < f.p", \
		      "q.priority DESC, q.urgency, q.id") " p2 LIMIT 1)"
#define PG_CLAIM_WALK_ALL(RID, SINCE) \
	"UPDATE cases x SET state = 'held' WHERE x.id =" \
	" (SELECT b.id FROM models m CROSS JOIN LATERAL queue_floor_of(m.id) f" \
	"  CROSS JOIN LATERAL " PG_CLAIM_FROM_FLOOR("m.id", RID, SINCE) " b" \
	"  ORDER BY b.priority DESC, b.urgency, b.id LIMIT 1)"
#define PG_CLAIM_WALK_MODEL(RID, SINCE, MID) \
	"UPDATE cases x SET state = 'held' WHERE x.id =" \
	" (SELECT b.id FROM queue_floor_of(" MID ") f CROSS JOIN LATERAL " \
	PG_CLAIM_FROM_FLOOR(MID, RID, SINCE) " b)"

const char *const pg_claim_walks[] = {
	PG_CLAIM_WALK_ALL("?1", "?2"),
	PG_CLAIM_WALK_MODEL("?1", "?2", "?3"),
	NULL,
};

/* A case's new final label, entry and time (cases_guard) are a decision's
 * on the case in the log, or none (only when they change: a statement of
 * its own per row). */
#define PG_ROLES_FINAL_LOGGED \
	"(CASE WHEN new.final_seq IS NULL\n" \
	"      THEN new.final_label IS NULL AND new.decided_at IS NULL\n" \
	"      ELSE EXISTS (SELECT 1 FROM decisions d WHERE d.seq = new.final_seq\n" \
	"        AND d.case_id = old.id AND d.label = new.final_label\n" \
	"        AND d.at = new.decided_at\n" \
	"        AND d.action IN ('accept','override','resolve')) END)"

/* Helpers the policies and the guard use. Fixed search_path: a caller's
 * own objects never stand in for docket's. In PL/pgSQL, whose plans a
 * session keeps: a LANGUAGE sql function with a SET clause is never
 * inlined, and is parsed and planned again at every call, which row-level
 * security and the triggers make once per row written (about half of a
 * decision's server time, revision 2). */
static const char pg_roles_funcs[] =
	/* The store's group role for kind ('reviewer', 'supervisor'):
	 * pg_roles_groups recorded it; nobody but the owner writes those
	 * rows (meta's policies). */
	"CREATE OR REPLACE FUNCTION store_role(kind text) RETURNS text\n"
	"  LANGUAGE plpgsql STABLE SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN RETURN (SELECT m.value FROM meta m WHERE m.key = 'pg_role_' || kind);\n"
	"END $$;\n"
	/* The role the caller acts as, for a SECURITY DEFINER function (whose
	 * current_user is its owner): the caller's current_user, which is the
	 * role a SET ROLE set (the setting 'role', which PostgreSQL lets only
	 * the role's members set, and which no SECURITY DEFINER function may
	 * change), or else the role the session logged in as. */
	"CREATE OR REPLACE FUNCTION caller_role() RETURNS text\n"
	"  LANGUAGE plpgsql STABLE SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN RETURN coalesce(nullif(current_setting('role'), 'none'),\n"
	"    session_user::text);\n"
	"END $$;\n"
	/* Milliseconds since the epoch, the unit of every time column. */
	"CREATE OR REPLACE FUNCTION now_ms() RETURNS bigint\n"
	"  LANGUAGE plpgsql VOLATILE SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN RETURN floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint;\n"
	"END $$;\n"
	/* The session's row in reviewers. */
	"CREATE OR REPLACE FUNCTION my_reviewer_id() RETURNS bigint\n"
	"  LANGUAGE plpgsql STABLE SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN RETURN (SELECT id FROM reviewers WHERE name = current_user);\n"
	"END $$;\n"
	/* The session holds case_id under a lease live at `at`, the time of
	 * the entry it is appending: docket's clock, the one leases are
	 * written in (tests set it), and an entry's time may not fall below
	 * the log's latest (reviewer_may_append), so a lease that ran out
	 * before anything else was logged holds nothing. */
	"CREATE OR REPLACE FUNCTION holds_lease(c bigint, at bigint) RETURNS boolean\n"
	"  LANGUAGE plpgsql STABLE SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN RETURN EXISTS (SELECT 1 FROM leases l JOIN reviewers r\n"
	"    ON r.id = l.reviewer_id WHERE l.case_id = c\n"
	"    AND r.name = current_user AND l.expires_at > at);\n"
	"END $$;\n"
	/* The session entered a log entry on case_id in this transaction:
	 * what lets it bring the case's row and reviews in line with the log
	 * (queue.c q_apply). */
	"CREATE OR REPLACE FUNCTION entered_now(c bigint) RETURNS boolean\n"
	"  LANGUAGE plpgsql STABLE SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN RETURN EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = c\n"
	"    AND d.reviewer = current_user\n"
	"    AND d.xmin = pg_current_xact_id_if_assigned()::xid);\n"
	"END $$;\n"
	/* The entries a reviewer may append (all as itself): a decision on
	 * a case it holds; an undo or amend of its own entry on that case; a
	 * reveal of a case it holds or has decided; a report's entry; adding
	 * itself when auto-add is on. Not: resolve, export, policy, reasons,
	 * role, auto-add, reviewer-add of anyone else, import, reference,
	 * anchor, a reveal of figures. */
	"CREATE OR REPLACE FUNCTION reviewer_may_append(a text, c bigint,\n"
	"    ref bigint, detail text, at bigint) RETURNS boolean\n"
	"  LANGUAGE plpgsql STABLE SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN RETURN at >= coalesce((SELECT max(d.at) FROM decisions d), 0) AND CASE\n"
	"    WHEN a IN ('accept','override','escalate','skip') AND ref IS NULL\n"
	"      THEN holds_lease(c, at)\n"
	"    WHEN a IN ('accept','override','escalate','skip','undo')\n"
	"      THEN EXISTS (SELECT 1 FROM decisions d WHERE d.seq = ref\n"
	"        AND d.case_id = c AND d.reviewer = current_user\n"
	"        AND d.action <> 'resolve')\n"
	"    WHEN a = 'reveal' THEN c IS NOT NULL AND (holds_lease(c, at)\n"
	"      OR EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = c\n"
	"        AND d.reviewer = current_user\n"
	"        AND d.action IN ('accept','override','escalate','skip')))\n"
	"    WHEN a = 'report' THEN c IS NULL\n"
	"    WHEN a = 'reviewer-add' THEN c IS NULL\n"
	"      AND (detail::json ->> 'name') = current_user\n"
	"      AND (detail::json ->> 'role') = 'reviewer'\n"
	"      AND (detail::json ->> 'auto') = 'true'\n"
	"      AND EXISTS (SELECT 1 FROM meta WHERE key = 'auto_add_reviewers'\n"
	"        AND value = 'on')\n"
	"    ELSE false END;\n"
	"END $$;\n"
	/* An entry names the hash of the one before it (the genesis hash for
	 * the first): a role may not break the chain for everyone after it.
	 * (Its own hash is verify's to check.) */
	"CREATE OR REPLACE FUNCTION links(s bigint, prev text) RETURNS boolean\n"
	"  LANGUAGE plpgsql STABLE SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN RETURN prev = coalesce((SELECT d.hash FROM decisions d WHERE d.seq = s - 1),\n"
	"    repeat('0', 64));\n"
	"END $$;\n"
	/* A decision on a case says what the model predicted for it
	 * (model_label; other entries may leave it out), and an accept's
	 * label is that prediction, an
	 * override's another of the model's labels, as decide() checks:
	 * else an override could be entered as an accept. */
	"CREATE OR REPLACE FUNCTION fits_case(c bigint, a text, ml text,\n"
	"    lbl text) RETURNS boolean\n"
	"  LANGUAGE plpgsql STABLE SET search_path = " PG_ROLES_PATH " AS $$\n"
	"DECLARE pred text; labels text;\n"
	"BEGIN\n"
	"  IF c IS NULL THEN RETURN true; END IF;\n"
	"  SELECT x.prediction, m.labels INTO pred, labels FROM cases x\n"
	"    JOIN models m ON m.id = x.model_id WHERE x.id = c;\n"
	"  RETURN (ml IS NOT DISTINCT FROM pred OR (ml IS NULL AND a NOT IN\n"
	"      ('accept', 'override', 'escalate', 'skip', 'resolve'))) AND CASE a\n"
	"    WHEN 'accept' THEN lbl IS NOT DISTINCT FROM pred\n"
	"    WHEN 'override' THEN lbl IS DISTINCT FROM pred AND lbl IS NOT NULL\n"
	"      AND (pg_catalog.json_array_length(coalesce(labels, '[]')::json) = 0\n"
	"        OR EXISTS (SELECT 1 FROM json_array_elements_text(labels::json) e\n"
	"          WHERE e = lbl))\n"
	"    ELSE true END;\n"
	"END $$;\n"
	/* A role that can log in: only such a role is anyone. The store's
	 * group roles cannot; their members may SET ROLE to them, and then
	 * entries under the group's name would be no one's. */
	"CREATE OR REPLACE FUNCTION is_login(n text) RETURNS boolean\n"
	"  LANGUAGE plpgsql STABLE SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN RETURN EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = n\n"
	"    AND r.rolcanlogin);\n"
	"END $$;\n"
	/* An entry's seconds as audit.c hashes them: C's "%.17g" of the
	 * double, from its exact value (its bits: m * 2^e, as m * 5^-e digits
	 * when e < 0), rounded half to even at 17 digits as glibc's printf
	 * does, then %g's form. The database checks every entry's hash
	 * (entry_hash), so that a role appending an entry whose hash is not
	 * its fields' (which would stop `verify` there for good) is refused;
	 * t_pg_attack compares it with C's on awkward values. */
	"CREATE OR REPLACE FUNCTION hash_seconds(x double precision) RETURNS text\n"
	"  LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = " PG_ROLES_PATH " AS $$\n"
	"DECLARE\n"
	"  b bigint := CAST(CAST(('x' || encode(float8send(x), 'hex')) AS bit(64))\n"
	"    AS bigint);\n"
	"  e integer := CAST((b >> 52) & 2047 AS integer);\n"
	"  m numeric := b & 4503599627370495;\n"
	"  sg text := CASE WHEN b < 0 THEN '-' ELSE '' END;\n"
	"  n integer := 0; d text; r text; ex integer;\n"
	"BEGIN\n"
	"  IF e = 2047 THEN\n"
	"    RETURN sg || CASE WHEN m = 0 THEN 'inf' ELSE 'nan' END;\n"
	"  END IF;\n"
	"  IF e = 0 THEN e := 1; ELSE m := m + 4503599627370496; END IF;\n"
	"  IF m = 0 THEN RETURN sg || '0'; END IF;\n"
	"  e := e - 1075;\n"
	"  IF e >= 0 THEN\n"
	"    d := CAST(m * power(CAST(2 AS numeric), e) AS text);\n"
	"  ELSE\n"
	"    n := -e;\n"
	"    d := CAST(m * power(CAST(5 AS numeric), n) AS text);\n"
	"  END IF;\n"
	"  d := split_part(d, '.', 1);\n"
	"  ex := length(d) - 1 - n;\n"
	"  IF length(d) > 17 THEN\n"
	"    r := substr(d, 18);\n"
	"    d := substr(d, 1, 17);\n"
	"    IF r > rpad('5', length(r), '0') OR (r = rpad('5', length(r), '0')\n"
	"        AND substr(d, 17, 1) IN ('1', '3', '5', '7', '9')) THEN\n"
	"      d := CAST(CAST(d AS numeric) + 1 AS text);\n"
	"      IF length(d) > 17 THEN d := substr(d, 1, 17); ex := ex + 1; END IF;\n"
	"    END IF;\n"
	"  END IF;\n"
	"  d := rtrim(d, '0');\n"
	"  IF ex < -4 OR ex >= 17 THEN\n"
	"    RETURN sg || left(d, 1) || CASE WHEN length(d) > 1\n"
	"      THEN '.' || substr(d, 2) ELSE '' END || 'e'\n"
	"      || CASE WHEN ex < 0 THEN '-' ELSE '+' END\n"
	"      || CASE WHEN abs(ex) < 10 THEN '0' ELSE '' END || CAST(abs(ex) AS text);\n"
	"  ELSIF length(d) <= ex + 1 THEN\n"
	"    RETURN sg || d || repeat('0', ex + 1 - length(d));\n"
	"  ELSIF ex >= 0 THEN\n"
	"    RETURN sg || substr(d, 1, ex + 1) || '.' || substr(d, ex + 2);\n"
	"  END IF;\n"
	"  RETURN sg || '0.' || repeat('0', -ex - 1) || d;\n"
	"END $$;\n"
	/* An entry's hash from its fields, as audit.c's audit_hash: each
	 * field an 8-byte big-endian length (all ones for none) and its
	 * UTF-8 bytes, numbers in decimal. */
	"CREATE OR REPLACE FUNCTION entry_hash(p_seq bigint, p_at bigint,\n"
	"    p_reviewer text, p_case bigint, p_action text, p_model_label text,\n"
	"    p_label text, p_reason text, p_note text, p_seconds double precision,\n"
	"    p_ref bigint, p_detail text, p_prev text) RETURNS text\n"
	"  LANGUAGE plpgsql IMMUTABLE SET search_path = " PG_ROLES_PATH " AS $$\n"
	"DECLARE\n"
	"  f text[] := ARRAY['docket-audit-v1', CAST(p_seq AS text),\n"
	"    CAST(p_at AS text), p_reviewer, CAST(p_case AS text), p_action,\n"
	"    p_model_label, p_label, p_reason, p_note, hash_seconds(p_seconds),\n"
	"    CAST(p_ref AS text), p_detail, p_prev];\n"
	"  b bytea := '';\n"
	"  v bytea;\n"
	"BEGIN\n"
	"  FOR i IN 1 .. 14 LOOP\n"
	"    IF f[i] IS NULL THEN\n"
	"      b := b || CAST('\\xffffffffffffffff' AS bytea);\n"
	"    ELSE\n"
	"      v := convert_to(f[i], 'UTF8');\n"
	"      b := b || int8send(CAST(octet_length(v) AS bigint)) || v;\n"
	"    END IF;\n"
	"  END LOOP;\n"
	"  RETURN encode(sha256(b), 'hex');\n"
	"END $$;\n"
	/* only_reviewer(), which the triggers below call: pg_roles_judge */

	/* A reviewer changes a case's row only by claiming it (queued to
	 * held), giving it back when no one else holds it under a live lease
	 * (held to queued), or by a log entry of its own on the case in the
	 * same transaction, and then its final label, entry and time are
	 * those of a decision on the case in the log (or none). Column
	 * privileges keep it to these columns. A supervisor too sets a case's
	 * final label, entry and time only to a decision's in the log, or to
	 * none (revision 12: it could relabel a case for the next export, with
	 * only a later verify to say so); the schema's owner (decide() runs as
	 * it, and checks) is not bound. */
	"CREATE OR REPLACE FUNCTION cases_guard() RETURNS trigger\n"
	"  LANGUAGE plpgsql SET search_path = " PG_ROLES_PATH " AS $$\n"
	"DECLARE same boolean := (new.final_label, new.final_seq, new.decided_at)\n"
	"  IS NOT DISTINCT FROM (old.final_label, old.final_seq, old.decided_at);\n"
	"BEGIN\n"
	"  IF NOT only_reviewer() THEN\n"
	"    IF same OR " PG_ROLES_FINAL_LOGGED " OR pg_has_role((SELECT c.relowner FROM pg_class c\n"
	"        WHERE c.oid = 'cases'::regclass), 'USAGE') THEN\n"
	"      RETURN new;\n"
	"    END IF;\n"
	"    RAISE EXCEPTION 'docket: % may not set the final label of case % "
	"but to a decision''s in the log', current_user, old.id\n"
	"      USING ERRCODE = 'insufficient_privilege';\n"
	"  END IF;\n"
	"  IF (same AND new.state = old.state)\n"
	"     OR (same AND old.state = 'queued' AND new.state = 'held')\n"
	"     OR (same AND old.state = 'held' AND new.state = 'queued'\n"
	"         AND NOT EXISTS (SELECT 1 FROM leases l JOIN reviewers r\n"
	"           ON r.id = l.reviewer_id WHERE l.case_id = old.id\n"
	"           AND r.name <> current_user AND l.expires_at > now_ms()))\n"
	"     OR (entered_now(old.id) AND " PG_ROLES_FINAL_LOGGED ") THEN\n"
	"    RETURN new;\n"
	"  END IF;\n"
	"  RAISE EXCEPTION 'docket: % may not change case % directly: a reviewer "
	"changes a case only by claiming it or by a decision on it', "
	"current_user, old.id USING ERRCODE = 'insufficient_privilege';\n"
	"END $$;\n"
	"DROP TRIGGER IF EXISTS cases_guard ON cases;\n"
	"CREATE TRIGGER cases_guard BEFORE UPDATE ON cases\n"
	"  FOR EACH ROW EXECUTE FUNCTION cases_guard();\n"
	/* The log's append-only trigger (pg_schema.c's), with the chain
	 * lock taken first (revision 12). docket's appends hold it already;
	 * an INSERT from a psql prompt now holds it too, to its commit: one
	 * left in an open transaction is the chain lock's holder, whom every
	 * docket waiting for it names (pg.c), not a key of the log's primary
	 * index that the next append waits for while it holds the chain
	 * lock itself. */
	"CREATE OR REPLACE FUNCTION decisions_append_only() RETURNS trigger\n"
	"  LANGUAGE plpgsql SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN\n"
	"  IF TG_OP = 'INSERT' THEN\n"
	"    PERFORM pg_advisory_xact_lock(1684234091, 3);\n"
	"  END IF;\n"
	"  IF TG_OP <> 'INSERT' OR new.seq IS DISTINCT FROM\n"
	"     coalesce((SELECT max(seq) FROM decisions), 0) + 1 THEN\n"
	"    RAISE EXCEPTION 'the decision log is append-only'\n"
	"      USING ERRCODE = 'integrity_constraint_violation';\n"
	"  END IF;\n"
	"  RETURN new;\n"
	"END $$;\n"
	/* A case a reviewer left held has its lease by the end of the
	 * transaction (a claim is the two statements). */
	"CREATE OR REPLACE FUNCTION cases_held_leased() RETURNS trigger\n"
	"  LANGUAGE plpgsql SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN\n"
	"  IF only_reviewer() AND EXISTS (SELECT 1 FROM cases c\n"
	"       WHERE c.id = new.id AND c.state = 'held')\n"
	"     AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.case_id = new.id) THEN\n"
	"    RAISE EXCEPTION 'docket: case % is held without a lease', new.id\n"
	"      USING ERRCODE = 'insufficient_privilege';\n"
	"  END IF;\n"
	"  RETURN NULL;\n"
	"END $$;\n"
	"DROP TRIGGER IF EXISTS cases_held_leased ON cases;\n"
	"CREATE CONSTRAINT TRIGGER cases_held_leased AFTER UPDATE OF state ON cases\n"
	"  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW\n"
	"  WHEN (new.state = 'held') EXECUTE FUNCTION cases_held_leased();\n"

	/* A reviewer deletes its own lease (decide, release, undo) or one
	 * that has run out (reclaiming it for the queue), no other. */
	"CREATE OR REPLACE FUNCTION leases_guard() RETURNS trigger\n"
	"  LANGUAGE plpgsql SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN\n"
	"  IF only_reviewer() AND old.reviewer_id IS DISTINCT FROM my_reviewer_id()\n"
	"     AND old.expires_at > now_ms() THEN\n"
	"    RAISE EXCEPTION 'docket: % may not take away the live lease of "
	"another reviewer (case %)', current_user, old.case_id\n"
	"      USING ERRCODE = 'insufficient_privilege';\n"
	"  END IF;\n"
	"  RETURN old;\n"
	"END $$;\n"
	"DROP TRIGGER IF EXISTS leases_guard ON leases;\n"
	"CREATE TRIGGER leases_guard BEFORE DELETE ON leases\n"
	"  FOR EACH ROW EXECUTE FUNCTION leases_guard();\n"

	/* Counts follow the cases' states whoever changes them: the counter
	 * triggers run as the owner, so no one writes counters directly but
	 * the importer (a supervisor). */
	"ALTER FUNCTION cases_count_state() SECURITY DEFINER;\n"
	"ALTER FUNCTION cases_count_delete() SECURITY DEFINER;\n"
	"ALTER FUNCTION counters_insert() SECURITY DEFINER;\n"
	/* The schema's other functions with a search_path (pg_schema.c's
	 * triggers, which read docket's tables) get pg_temp last too; the
	 * compatibility functions read no table and stay inlinable. */
	"DO $$\n"
	"DECLARE f regprocedure;\n"
	"BEGIN\n"
	"  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p\n"
	"      JOIN pg_namespace n ON n.oid = p.pronamespace\n"
	"      WHERE n.nspname = 'docket' AND p.prokind = 'f'\n"
	"      AND p.proconfig IS NOT NULL LOOP\n"
	"    EXECUTE format('ALTER FUNCTION %s SET search_path = "
	PG_ROLES_PATH "', f);\n"
	"  END LOOP;\n"
	"END $$;\n"

	/* A case's personal values, for the session that revealed them: only
	 * with a reveal entry of its own on the case, committed before this
	 * call (the transaction calling it has written nothing, so the entry
	 * it sees is not one it could still roll back). */
	"CREATE OR REPLACE FUNCTION pii_fields(c bigint)\n"
	"  RETURNS TABLE(key text, value text)\n"
	"  LANGUAGE plpgsql STABLE SECURITY DEFINER\n"
	"  SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN\n"
	"  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN\n"
	"    RAISE EXCEPTION 'docket: personal fields are read outside a "
	"transaction that writes (commit the reveal entry first)'\n"
	"      USING ERRCODE = 'insufficient_privilege';\n"
	"  END IF;\n"
	"  IF NOT EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = c\n"
	"       AND d.action = 'reveal' AND d.reviewer = caller_role()) THEN\n"
	"    RAISE EXCEPTION 'docket: % has no reveal entry on case %: reveal it "
	"in docket (the reveal is logged)', caller_role(), c\n"
	"      USING ERRCODE = 'insufficient_privilege';\n"
	"  END IF;\n"
	"  RETURN QUERY SELECT j.key::text, j.value FROM case_pii p,\n"
	"    json_each_text(p.context::json) j WHERE p.case_id = c\n"
	"    AND j.key LIKE 'pii:%';\n"
	"END $$;\n"

	/* A case's context with its personal values (export, figures by a
	 * pii: field; only supervisors may read case_pii, so only they may
	 * call it): each pii: member's value from case_pii, the rest as the
	 * masked context has them. The values are the imported bytes, the
	 * keys PostgreSQL's JSON of them; verify's digests need the imported
	 * bytes of the whole context, and put them together in C
	 * (casejson_pii_merge). */
	"CREATE OR REPLACE FUNCTION context_full(c bigint, ctx text) RETURNS text\n"
	"  LANGUAGE plpgsql STABLE SET search_path = " PG_ROLES_PATH " AS $$\n"
	"DECLARE p json := (SELECT p.context::json FROM case_pii p\n"
	"  WHERE p.case_id = c);\n"
	"BEGIN\n"
	"  IF p IS NULL THEN RETURN ctx; END IF;\n"
	"  RETURN coalesce((SELECT '{' || string_agg(to_json(e.key)::text || ':'\n"
	"    || CASE WHEN e.key LIKE 'pii:%' THEN coalesce(p -> e.key, e.value)::text\n"
	"      ELSE e.value::text END, ',' ORDER BY e.n) || '}'\n"
	"    FROM pg_catalog.json_each(ctx::json) WITH ORDINALITY AS e(key, value, n)),\n"
	"    ctx);\n"
	"END $$;\n"

	/* The pii: members of a context, in its order (case_pii's form);
	 * NULL when it has none. */
	"CREATE OR REPLACE FUNCTION pii_only(ctx text) RETURNS text\n"
	"  LANGUAGE sql IMMUTABLE SET search_path = " PG_ROLES_PATH "\n"
	"  RETURN (SELECT '{' || string_agg(to_json(e.key)::text || ':'\n"
	"    || e.value::text, ',' ORDER BY e.n) || '}'\n"
	"    FROM pg_catalog.json_each(ctx::json) WITH ORDINALITY AS e(key, value, n)\n"
	"    WHERE e.key LIKE 'pii:%');\n"

	/* Cases written with their personal values in the context (docket
	 * migrate copies an SQLite store's as they are): move them to
	 * case_pii, as import does. The masked context need not be the
	 * input's bytes (nothing hashes it; readers parse it). Returns the
	 * number of cases moved. Run by the schema's owner. */
	"CREATE OR REPLACE FUNCTION mask_pii(ctx text) RETURNS text\n"
	"  LANGUAGE sql IMMUTABLE SET search_path = " PG_ROLES_PATH "\n"
	"  RETURN (SELECT coalesce('{' || string_agg(to_json(e.key)::text || ':'\n"
	"    || CASE WHEN e.key LIKE 'pii:%' THEN '\"(masked)\"' ELSE e.value::text END,\n"
	"    ',' ORDER BY e.n) || '}', '{}')\n"
	"    FROM pg_catalog.json_each(ctx::json) WITH ORDINALITY AS e(key, value, n));\n"
	"CREATE OR REPLACE FUNCTION split_pii() RETURNS bigint\n"
	"  LANGUAGE plpgsql SET search_path = " PG_ROLES_PATH " AS $$\n"
	"DECLARE n bigint;\n"
	"BEGIN\n"
	"  WITH moved AS (INSERT INTO case_pii(case_id, context)\n"
	"    SELECT c.id, pii_only(c.context) FROM cases c\n"
	"    WHERE c.context LIKE '%\"pii:%' AND NOT EXISTS\n"
	"      (SELECT 1 FROM case_pii p WHERE p.case_id = c.id)\n"
	"      AND EXISTS (SELECT 1 FROM json_object_keys(c.context::json) k\n"
	"        WHERE k LIKE 'pii:%')\n"
	"    RETURNING case_id)\n"
	"  UPDATE cases c SET context = mask_pii(c.context) FROM moved m\n"
	"    WHERE m.case_id = c.id;\n"
	"  GET DIAGNOSTICS n = ROW_COUNT;\n"
	"  RETURN n;\n"
	"END $$;\n"

	/* A decision in one call (revision 5; queue.c's q_decide_pg), so that
	 * with its BEGIN and COMMIT it is one round trip, and nothing between
	 * the chain lock and the commit waits on the client: the lease and
	 * the case locked (lease first, as reclaim), the checks, the chain
	 * lock, the head, the entry with its hash, the end of the lease, the
	 * case and the caller's review. It runs as the owner, whom row-level
	 * security does not bind, so it checks first what the policies and
	 * guards check on the same writes sent one by one (once, not per row
	 * and function): the entry is the session's own (caller_role(): a
	 * SECURITY DEFINER function's current_user is its owner); a reviewer
	 * that is not a supervisor enters only accept, override, escalate or
	 * skip, without ref, on a case it holds under a lease live at the
	 * entry's time; the case's final label, entry and time are those of a
	 * decision on the case (this one: final seq -1) or none. The entry's
	 * model label is the case's prediction and an accept's label is it
	 * too; an override's or resolve's label is one of the model's. The
	 * entry's time never falls below the log's latest and its prev_hash is
	 * the head's, by construction.
	 * Two ways to call it. p_state NULL ("fast", a plain decision on a
	 * case the caller holds): it also does what queue.c checks first (the
	 * lease is p_reviewer's under token p_token when not 0, live at
	 * p_now; the reason is one of the store's codes, or of p_reasons, the
	 * built-in ones, when it sets none) and works out the case's state from
	 * its log when the log is one queue.c's replay reads plainly (no undo,
	 * amend, escalation or resolve; votes still short of the reviews
	 * needed); anything else it refuses with check_violation, writing
	 * nothing, and queue.c then takes the long way (its own checks, which
	 * say what is wrong in docket's words, and its replay), calling this
	 * with the state it worked out: p_state, p_final_label, p_final_seq
	 * and p_decided_at, checked as before.
	 * The hash: the client sends the canonical bytes of the fields from the
	 * reviewer to the action (p_head) and from the reason to the detail
	 * (p_tail; audit_middle_split_hex, audit.c); this puts the domain, seq
	 * and time before them, the model label and label between them and the
	 * previous hash after them as audit.c does (an 8-byte big-endian length,
	 * then the bytes, all ones for NULL; numbers in decimal), so `verify`
	 * recomputes the same hash in C (t_pg_decide checks it on awkward
	 * values).
	 * ROWS 1 (here and on claim()): a set-returning function is planned as
	 * returning 1000 rows, which put decide --next's statement (decide(),
	 * then claim() for each row) past jit_above_cost: 15 ms of JIT
	 * compilation a decision (test_sqlcheck). */
	"CREATE OR REPLACE FUNCTION decide(p_reviewer text, p_case bigint,\n"
	"    p_action text, p_label text, p_reason text, p_note text,\n"
	"    p_seconds double precision, p_head text, p_tail text, p_now bigint,\n"
	"    p_token bigint, p_reasons text, p_state text, p_final_label text,\n"
	"    p_final_seq bigint, p_decided_at bigint, p_end_lease boolean)\n"
	"  RETURNS TABLE(entry_seq bigint, entry_at bigint, entry_hash text,\n"
	"    entry_state text)\n"
	"  LANGUAGE plpgsql VOLATILE SECURITY DEFINER ROWS 1\n"
	"  SET search_path = " PG_ROLES_PATH " AS $$\n"
	"DECLARE\n"
	"  s bigint; a bigint; prev text; hx text; lease_end bigint;\n"
	"  me text := caller_role();\n"
	"  fast boolean := p_state IS NULL;\n"
	/* what a refusal says to queue.c: take the long way (fast), or no */
	"  code text := CASE WHEN p_state IS NULL THEN '23514' ELSE '42501' END;\n"
	"  st text := p_state; fl text := p_final_label; fs bigint := p_final_seq;\n"
	"  fa bigint := p_decided_at; lbl text := p_label; pred text;\n"
	"  labels text; cst text; rn integer; holder text; tok bigint;\n"
	"  f_end bigint; v text; codes text[]; votes bigint; first_vote text;\n"
	/* who row-level security would not bind (a superuser, a role with
	 * BYPASSRLS, the table's owner) passes the checks that stand in for
	 * its policies, as an insert of theirs did; the guard triggers'
	 * checks below bind everyone */
	"  bypass boolean := EXISTS (SELECT 1 FROM pg_roles r\n"
	"    WHERE r.rolname = me AND (r.rolsuper OR r.rolbypassrls))\n"
	"    OR me = (SELECT r.rolname FROM pg_class c JOIN pg_roles r\n"
	"      ON r.oid = c.relowner WHERE c.oid = 'decisions'::regclass);\n"
	"  sup boolean := bypass\n"
	"    OR pg_has_role(me, store_role('supervisor'), 'USAGE');\n"
	"BEGIN\n"
	"  IF NOT bypass AND p_reviewer IS DISTINCT FROM me THEN\n"
	"    RAISE EXCEPTION 'docket: % may not enter a decision for %',\n"
	"      me, p_reviewer USING ERRCODE = 'insufficient_privilege';\n"
	"  END IF;\n"
	"  IF NOT sup AND p_action NOT IN ('accept', 'override', 'escalate', 'skip') THEN\n"
	"    RAISE EXCEPTION 'docket: % may not enter % entries', me,\n"
	"      p_action USING ERRCODE = 'insufficient_privilege';\n"
	"  END IF;\n"
	"  IF fast AND p_action NOT IN ('accept', 'override', 'escalate', 'skip') THEN\n"
	"    RAISE EXCEPTION 'docket: % is not a plain decision', p_action\n"
	"      USING ERRCODE = code;\n"
	"  END IF;\n"
	"  SELECT l.expires_at, l.token, r.name INTO f_end, tok, holder\n"
	"    FROM leases l LEFT JOIN reviewers r ON r.id = l.reviewer_id\n"
	"    WHERE l.case_id = p_case FOR UPDATE OF l;\n"
	"  SELECT c.prediction, c.state, c.reviews_needed, m.labels\n"
	"    INTO pred, cst, rn, labels FROM cases c JOIN models m ON m.id = c.model_id\n"
	"    WHERE c.id = p_case FOR UPDATE OF c;\n"
	"  IF NOT FOUND THEN\n"
	"    RAISE EXCEPTION 'docket: no case %', p_case USING ERRCODE = code;\n"
	"  END IF;\n"
	"  IF fast AND (holder IS DISTINCT FROM p_reviewer OR NOT f_end > p_now\n"
	"      OR (p_token <> 0 AND tok IS DISTINCT FROM p_token)\n"
	"      OR cst <> 'held') THEN\n"
	"    RAISE EXCEPTION 'docket: % holds no live lease on case % (token %)',\n"
	"      p_reviewer, p_case, p_token USING ERRCODE = code;\n"
	"  END IF;\n"
	"  SELECT l.expires_at INTO lease_end FROM leases l JOIN reviewers r\n"
	"    ON r.id = l.reviewer_id WHERE l.case_id = p_case\n"
	"    AND r.name = me;\n"
	"  IF NOT sup AND NOT coalesce(lease_end > p_now, false) THEN\n"
	"    RAISE EXCEPTION 'docket: % holds no live lease on case %',\n"
	"      me, p_case USING ERRCODE = code;\n"
	"  END IF;\n"
	/* as the policies on a plain insert (revision 12): the entry's
	 * time, and a role that is someone */
	"  IF NOT bypass AND NOT " PG_ROLES_SECONDS("p_seconds") " THEN\n"
	"    RAISE EXCEPTION 'docket: % seconds on a case', p_seconds\n"
	"      USING ERRCODE = code;\n"
	"  END IF;\n"
	"  IF NOT bypass AND NOT p_now <= now_ms() + " PG_ROLES_SKEW " THEN\n"
	"    RAISE EXCEPTION 'docket: % may not date an entry later than the "
	"server''s clock', me USING ERRCODE = 'insufficient_privilege';\n"
	"  END IF;\n"
	"  IF NOT bypass AND NOT is_login(me) THEN\n"
	"    RAISE EXCEPTION 'docket: % is a role no one logs in as: entries "
	"under its name would be no one''s', me\n"
	"      USING ERRCODE = 'insufficient_privilege';\n"
	"  END IF;\n"
	/* the labels (queue.c's q_decision_label) */
	"  IF p_action = 'accept' THEN\n"
	"    IF p_label IS DISTINCT FROM pred AND p_label IS NOT NULL THEN\n"
	"      RAISE EXCEPTION 'docket: accept keeps the model''s label %', pred\n"
	"        USING ERRCODE = code;\n"
	"    END IF;\n"
	"    lbl := pred;\n"
	"  ELSIF p_action IN ('override', 'resolve') THEN\n"
	"    IF p_label IS NULL OR (p_action = 'override' AND p_label = pred)\n"
	"       OR NOT (pg_catalog.json_array_length(coalesce(labels, '[]')::json) = 0\n"
	"         OR EXISTS (SELECT 1 FROM json_array_elements_text(labels::json) e\n"
	"           WHERE e = p_label)) THEN\n"
	"      RAISE EXCEPTION 'docket: % with label % on case %', p_action,\n"
	"        p_label, p_case USING ERRCODE = code;\n"
	"    END IF;\n"
	"  ELSIF p_label IS NOT NULL THEN\n"
	"    RAISE EXCEPTION 'docket: % takes no label', p_action USING ERRCODE = code;\n"
	"  END IF;\n"
	/* the reason code (queue.c's queue_check_reason): the store's codes,
	 * else the built-in ones */
	"  IF fast AND p_reason IS NOT NULL THEN\n"
	"    SELECT m.value INTO v FROM meta m WHERE m.key = 'reason_codes';\n"
	"    BEGIN\n"
	"      IF json_typeof(v::json) = 'array' THEN\n"
	"        codes := ARRAY(SELECT e #>> '{}' FROM json_array_elements(v::json) e\n"
	"          WHERE json_typeof(e) = 'string');\n"
	"      END IF;\n"
	"    EXCEPTION WHEN others THEN\n"
	"      RAISE EXCEPTION 'docket: the reason codes do not read'\n"
	"        USING ERRCODE = code;\n"
	"    END;\n"
	"    IF coalesce(cardinality(codes), 0) = 0 THEN\n"
	"      codes := ARRAY(SELECT json_array_elements_text(p_reasons::json));\n"
	"    END IF;\n"
	"    IF NOT coalesce(p_reason = ANY(codes), false) THEN\n"
	"      RAISE EXCEPTION 'docket: unknown reason code %', p_reason\n"
	"        USING ERRCODE = code;\n"
	"    END IF;\n"
	"  END IF;\n"
	/* the case's state with this entry appended to its log (queue.c's
	 * q_replay, for a log it reads plainly: every decision in force, the
	 * case open) */
	"  IF fast THEN\n"
	"    IF EXISTS (SELECT 1 FROM decisions d WHERE d.case_id = p_case\n"
	"        AND (d.ref_seq IS NOT NULL\n"
	"          OR d.action IN ('undo', 'escalate', 'resolve'))) THEN\n"
	"      RAISE EXCEPTION 'docket: case % has a log replayed the long way',\n"
	"        p_case USING ERRCODE = code;\n"
	"    END IF;\n"
	"    rn := least(greatest(rn, 1), 2);\n"
	"    SELECT count(*), (array_agg(coalesce(d.label, '') ORDER BY d.seq))[1]\n"
	"      INTO votes, first_vote FROM decisions d WHERE d.case_id = p_case\n"
	"      AND d.action IN ('accept', 'override');\n"
	"    IF votes >= rn THEN\n"
	"      RAISE EXCEPTION 'docket: case % has its reviews', p_case\n"
	"        USING ERRCODE = code;\n"
	"    END IF;\n"
	"    st := 'queued';\n"
	"    IF p_action = 'escalate' THEN\n"
	"      st := 'escalated';\n"
	"    ELSIF p_action IN ('accept', 'override') AND votes + 1 >= rn THEN\n"
	"      IF votes = 1 AND first_vote <> lbl THEN\n"
	"        st := 'disputed';\n"
	"      ELSE\n"
	"        st := 'done'; fl := lbl; fs := -1;\n"
	"      END IF;\n"
	"    END IF;\n"
	"  END IF;\n"
	"  IF st NOT IN ('queued', 'escalated', 'disputed', 'done')\n"
	"     OR (fs IS NULL AND (fl IS NOT NULL OR fa IS NOT NULL))\n"
	"     OR (fs = -1 AND (p_action NOT IN ('accept', 'override',\n"
	"         'resolve') OR fl IS DISTINCT FROM lbl))\n"
	"     OR (fs <> -1 AND NOT EXISTS (SELECT 1 FROM decisions d\n"
	"         WHERE d.seq = fs AND d.case_id = p_case\n"
	"         AND d.label = fl AND d.at = fa\n"
	"         AND d.action IN ('accept', 'override', 'resolve'))) THEN\n"
	"    RAISE EXCEPTION 'docket: case % cannot become % with final entry %',\n"
	"      p_case, st, fs USING ERRCODE = code;\n"
	"  END IF;\n"
	/* What needs nothing from the chain goes before its lock, which is
	 * held to the commit (revision 7): the lease's end, and the case's
	 * state, whose change moves the counters (cases_count_state, shard
	 * rows that another session's claim in the same shard may hold).
	 * Under the lock only the caller's own rows are written (the entry,
	 * the final columns of the case it has locked, its review): its
	 * holder never waits for a row another session holds, so a session
	 * waiting for the chain lock while holding rows (a claim, a case)
	 * closes no cycle. */
	"  IF fast OR p_end_lease THEN\n"
	"    DELETE FROM leases l WHERE l.case_id = p_case;\n"
	"  END IF;\n"
	"  IF fs = -1 THEN\n"
	"    UPDATE cases c SET state = st WHERE c.id = p_case;\n"
	"  ELSE\n"
	"    UPDATE cases c SET state = st, final_label = fl, final_seq = fs,\n"
	"        decided_at = fa WHERE c.id = p_case;\n"
	"  END IF;\n"
	"  PERFORM pg_advisory_xact_lock(1684234091, 3);\n"
	"  SELECT d.seq, d.at, CAST(d.hash AS text) INTO s, a, prev\n"
	"    FROM decisions d ORDER BY d.seq DESC LIMIT 1;\n"
	"  s := coalesce(s, 0) + 1;\n"
	"  a := greatest(coalesce(a, 0), p_now);\n"
	"  prev := coalesce(prev, repeat('0', 64));\n"
	"  IF NOT sup AND lease_end <= a THEN\n"
	"    RAISE EXCEPTION 'docket: the lease of % on case % ran out before the "
	"log''s latest entry', me, p_case\n"
	"      USING ERRCODE = code;\n"
	"  END IF;\n"
	"  hx := encode(sha256(\n"
	"    int8send(octet_length('docket-audit-v1')::bigint)\n"
	"    || convert_to('docket-audit-v1', 'UTF8')\n"
	"    || int8send(octet_length(s::text)::bigint) || convert_to(s::text, 'UTF8')\n"
	"    || int8send(octet_length(a::text)::bigint) || convert_to(a::text, 'UTF8')\n"
	"    || decode(p_head, 'hex')\n"
	"    || int8send(octet_length(convert_to(pred, 'UTF8'))::bigint)\n"
	"    || convert_to(pred, 'UTF8')\n"
	"    || CASE WHEN lbl IS NULL THEN '\\xffffffffffffffff'::bytea\n"
	"      ELSE int8send(octet_length(convert_to(lbl, 'UTF8'))::bigint)\n"
	"        || convert_to(lbl, 'UTF8') END\n"
	"    || decode(p_tail, 'hex')\n"
	"    || int8send(octet_length(prev)::bigint) || convert_to(prev, 'UTF8')),\n"
	"    'hex');\n"
	/* the bytes the client sent are the entry's fields (as the
	 * policies check a plain insert's hash) */
	"  IF NOT bypass AND hx IS DISTINCT FROM entry_hash(s, a, p_reviewer,\n"
	"      p_case, p_action, pred, lbl, p_reason, p_note, p_seconds, NULL,\n"
	"      NULL, prev) THEN\n"
	"    RAISE EXCEPTION 'docket: the entry''s hash is not that of its fields'\n"
	"      USING ERRCODE = 'insufficient_privilege';\n"
	"  END IF;\n"
	"  INSERT INTO decisions(seq, at, reviewer, case_id, action, model_label,\n"
	"      label, reason, note, seconds, prev_hash, hash)\n"
	"    VALUES (s, a, p_reviewer, p_case, p_action, pred, lbl,\n"
	"      p_reason, p_note, p_seconds, prev, hx);\n"
	/* the final columns, when this entry is the case's final one */
	"  IF fs = -1 THEN\n"
	"    UPDATE cases c SET final_label = fl, final_seq = s, decided_at = a\n"
	"      WHERE c.id = p_case;\n"
	"  END IF;\n"
	"  INSERT INTO reviews AS v(case_id, reviewer_id, seq, action, label, at)\n"
	"    SELECT p_case, r.id, s, p_action, lbl, a FROM reviewers r\n"
	"    WHERE r.name = p_reviewer\n"
	"    ON CONFLICT (case_id, reviewer_id) DO UPDATE SET seq = excluded.seq,\n"
	"      action = excluded.action, label = excluded.label, at = excluded.at;\n"
	"  RETURN QUERY SELECT s, a, hx, st;\n"
	"END $$;\n"
	/* A fast `decide --next` (queue.c) claims with its decision in the
	 * same statement, and must not leave a decision behind when its claim
	 * names no model or reviewer docket knows: refused as decide()'s
	 * fast way refuses, so queue.c takes the long way, which says why. */
	/* decide --next's first step (queue.c's q_sql_decide_next_pg): the
	 * lease and the case being decided locked (in decide()'s order)
	 * before the next claim, so the decider never waits for its own case
	 * while holding the case it claimed: a claim's walk keeps a lock on
	 * a row it reached through an old queue entry and then skipped (the
	 * case, held since), and waits on the row another claim has just
	 * taken; at 64 clients that closed cycles (3 in 6 runs). Only a case
	 * the caller holds under a lease live at p_now is locked (decide()
	 * then checks everything); true when it was. */
	"CREATE OR REPLACE FUNCTION hold_case(p_case bigint, p_now bigint)\n"
	"  RETURNS boolean\n"
	"  LANGUAGE plpgsql VOLATILE SECURITY DEFINER\n"
	"  SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN\n"
	"  PERFORM 1 FROM leases l JOIN reviewers r ON r.id = l.reviewer_id\n"
	"    WHERE l.case_id = p_case AND r.name = caller_role()\n"
	"    AND l.expires_at > p_now FOR UPDATE OF l;\n"
	"  IF NOT FOUND THEN\n"
	"    RETURN false;\n"
	"  END IF;\n"
	"  PERFORM 1 FROM cases c WHERE c.id = p_case FOR UPDATE;\n"
	"  RETURN true;\n"
	"END $$;\n"
	"CREATE OR REPLACE FUNCTION fast_known(ok boolean) RETURNS boolean\n"
	"  LANGUAGE plpgsql VOLATILE SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN\n"
	"  IF NOT ok THEN\n"
	"    RAISE EXCEPTION 'docket: the claim names no known model or reviewer'\n"
	"      USING ERRCODE = 'check_violation';\n"
	"  END IF;\n"
	"  RETURN true;\n"
	"END $$;\n"

	/* Leases that ran out by docket's clock p_now go back to the queue,
	 * leases first (queue.c says why); a reviewer role may take away
	 * another's lease only once it has run out by the server's clock too
	 * (leases_guard), so one only docket's clock says is over is left
	 * for later rather than failing the claim. As the caller. */
	"CREATE OR REPLACE FUNCTION reclaim(p_now bigint) RETURNS void\n"
	"  LANGUAGE plpgsql VOLATILE SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN\n"
	"  WITH gone AS (DELETE FROM leases l WHERE l.expires_at <= p_now\n"
	"    AND (l.expires_at <= now_ms() OR NOT only_reviewer()\n"
	"      OR l.reviewer_id = my_reviewer_id()) RETURNING l.case_id)\n"
	"  UPDATE cases x SET state = 'queued' WHERE x.state = 'held'\n"
	"    AND x.id IN (SELECT g.case_id FROM gone g);\n"
	"END $$;\n"
	/* A claim in one call (revision 3: queue.c's queue_claim and
	 * q_claim_in_tx), so that with its BEGIN and COMMIT it is one round
	 * trip: reviewer p_reviewer (and model p_model, NULL: any) looked
	 * up, expired leases reclaimed, the first queued case in order the
	 * reviewer may take (never one they decided, nor one they skipped
	 * within the store's cool-down, p_cooldown_ms when the store sets
	 * none) marked held, skipping one another claim has locked, and
	 * leased to p_expires under a token from the sequence above the meta
	 * row's base. An unknown reviewer or model returns its id NULL and
	 * does nothing (queue.c then says why, or adds the reviewer). The
	 * walk (PG_CLAIM_WALK_*, above) is queue.c's queue_sql_claim over the
	 * same index and in the same order. As the caller: row-level security
	 * and the guards judge every write as before. */
	"CREATE OR REPLACE FUNCTION claim(p_reviewer text, p_model text,\n"
	"    p_now bigint, p_cooldown_ms bigint, p_expires bigint)\n"
	"  RETURNS TABLE(claim_reviewer bigint, claim_model bigint,\n"
	"    claim_case bigint, claim_token bigint)\n"
	"  LANGUAGE plpgsql VOLATILE ROWS 1\n"
	"  SET search_path = " PG_ROLES_PATH " AS $$\n"
	"DECLARE rid bigint; mid bigint := 0; c bigint; cm bigint; t bigint;\n"
	"  v text;\n"
	"  since bigint;\n"
	"BEGIN\n"
	"  SELECT r.id INTO rid FROM reviewers r WHERE r.name = p_reviewer;\n"
	"  IF p_model IS NOT NULL THEN\n"
	"    SELECT m.id INTO mid FROM models m WHERE m.name = p_model;\n"
	"  END IF;\n"
	"  IF rid IS NULL OR mid IS NULL THEN\n"
	"    RETURN QUERY SELECT rid, mid, NULL::bigint, NULL::bigint;\n"
	"    RETURN;\n"
	"  END IF;\n"
	/* queue_cooldown_ms: whole seconds, or the default */
	"  SELECT m.value INTO v FROM meta m WHERE m.key = 'skip_cooldown_s';\n"
	"  since := p_now - CASE WHEN v ~ '^[+]?[0-9]{1,15}$'\n"
	"    THEN CAST(v AS bigint) * 1000 ELSE p_cooldown_ms END;\n"
	"  PERFORM reclaim(p_now);\n"
	/* over every model: each model's first case (the one queue index,
	 * cases_queue_model; queue.c), then the best of them */
	"  IF mid = 0 THEN\n"
	"    " PG_CLAIM_WALK_ALL("rid", "since")
	"      RETURNING x.id, x.model_id INTO c, cm;\n"
	"  ELSE\n"
	"    " PG_CLAIM_WALK_MODEL("rid", "since", "mid")
	"      RETURNING x.id, x.model_id INTO c, cm;\n"
	"  END IF;\n"
	"  IF c IS NOT NULL THEN\n"
	"    INSERT INTO leases AS l(case_id, reviewer_id, token, claimed_at,\n"
	"        expires_at)\n"
	"      VALUES (c, rid, nextval('lease_tokens') + coalesce((SELECT\n"
	"        CAST(m.value AS bigint) FROM meta m WHERE m.key = 'lease_token'), 0),\n"
	"        p_now, p_expires)\n"
	"      RETURNING l.token INTO t;\n"
	/* the model's floor raised past this case (pg_floor.c) */
	"    PERFORM queue_floor_advance(cm);\n"
	"  END IF;\n"
	"  RETURN QUERY SELECT rid, mid, c, t;\n"
	"END $$;\n"

	/* Make an existing login role a reviewer or supervisor of this store
	 * (`docket reviewer add|role`): granted the store's group role for r,
	 * and no longer the other. Runs as the owner, who may grant the
	 * group roles; only supervisors may call it. */
	"CREATE OR REPLACE FUNCTION grant_role(who text, r text) RETURNS void\n"
	"  LANGUAGE plpgsql SECURITY DEFINER\n"
	"  SET search_path = " PG_ROLES_PATH " AS $$\n"
	"DECLARE login boolean; other text := store_role(CASE r\n"
	"  WHEN 'supervisor' THEN 'reviewer' ELSE 'supervisor' END);\n"
	"BEGIN\n"
	"  IF r NOT IN ('reviewer', 'supervisor') THEN\n"
	"    RAISE EXCEPTION 'docket: no role %', r;\n"
	"  END IF;\n"
	"  SELECT rolcanlogin INTO login FROM pg_roles WHERE rolname = who;\n"
	"  IF NOT FOUND THEN\n"
	"    RAISE EXCEPTION 'there is no PostgreSQL role %: the database "
	"administrator creates it with CREATE ROLE % LOGIN; (and a password, or a "
	"pg_hba.conf line for peer or certificate authentication), then run this "
	"again', quote_ident(who), quote_ident(who)\n"
	"      USING ERRCODE = 'undefined_object';\n"
	"  END IF;\n"
	"  IF NOT login THEN\n"
	"    RAISE EXCEPTION 'the PostgreSQL role % cannot log in: the database "
	"administrator runs ALTER ROLE % LOGIN; then run this again', "
	"quote_ident(who), quote_ident(who)\n"
	"      USING ERRCODE = 'undefined_object';\n"
	"  END IF;\n"
	"  BEGIN\n"
	"    EXECUTE format('GRANT %I TO %I', store_role(r), who);\n"
	"  EXCEPTION WHEN insufficient_privilege THEN\n"
	"    RAISE EXCEPTION 'the store''s owner % may not grant %: the "
	"database administrator runs GRANT % TO %; (or gives % CREATEROLE)', "
	"current_user, quote_ident(store_role(r)), quote_ident(store_role(r)), "
	"quote_ident(who), current_user\n"
	"      USING ERRCODE = 'insufficient_privilege';\n"
	"  END;\n"
	"  IF EXISTS (SELECT 1 FROM pg_auth_members m\n"
	"       WHERE m.roleid = to_regrole(quote_ident(other))\n"
	"       AND m.member = to_regrole(quote_ident(who))) THEN\n"
	"    EXECUTE format('REVOKE %I FROM %I', other, who);\n"
	"  END IF;\n"
	"END $$;\n";

/* 1 for a reviewer that is not also a supervisor (superusers are
 * members of every role), of this store's roles. It runs once per row a
 * guard trigger judges, so the names are literals in its body, written
 * whenever the functions are (pg_roles_exec: @reviewer_name@ and
 * @supervisor_name@ as quoted strings), not read from meta at each call
 * (revision 4 did: ~16 us a row, 11 s more to re-route 1M cases), nor
 * from a setting, which any session may set. */
static const char pg_roles_judge[] =
	"CREATE OR REPLACE FUNCTION only_reviewer() RETURNS boolean\n"
	"  LANGUAGE plpgsql STABLE SET search_path = " PG_ROLES_PATH " AS $$\n"
	"BEGIN RETURN pg_has_role(current_user, @reviewer_name@, 'USAGE')\n"
	"    AND NOT pg_has_role(current_user, @supervisor_name@, 'USAGE');\n"
	"END $$;\n";

/* What reviewers read in place of the columns they may not (revision 14,
 * pg_roles_grants): views of the schema owner's, so they read through the
 * owner's rights. case_reasons: each case's route reason as a reviewer is
 * shown it (store.h's one SQL of it; SQLite has the same view), a gold
 * check's and an audit sample's alike. batch_golds: how many gold checks
 * each batch holds, and not which (a reviewer's verify only counts those
 * batches, whose digests cover the gold labels: replay.c). */
static const char pg_roles_views[] =
	"CREATE OR REPLACE VIEW case_reasons AS SELECT id AS case_id,\n"
	"  " STORE_REASON_SHOWN_SQL " AS reason FROM cases;\n"
	"CREATE OR REPLACE VIEW batch_golds AS SELECT batch_id, count(*) AS golds\n"
	"  FROM cases WHERE gold IS NOT NULL GROUP BY batch_id;\n";

/* meta's rows only the owner writes: the schema's version and revision,
 * and which roles are the store's (a supervisor who could name another
 * role there would make its members supervisors). */
#define PG_ROLES_OWNER_KEYS \
	"'" PG_VERSION_KEY "', '" PG_REVISION_KEY "', 'pg_role_reviewer', " \
	"'pg_role_supervisor', 'pg_roles_replaced'"

/* Privileges: read all but case_pii; write per role; policies say which
 * rows. Tables are named one by one, so a table a later version adds is
 * closed until its migration grants it. @reviewer@ and @supervisor@ stand
 * for the store's group roles (pg_roles_exec). */
static const char pg_roles_grants[] =
	"REVOKE ALL ON SCHEMA docket FROM PUBLIC;\n"
	"GRANT USAGE ON SCHEMA docket TO @reviewer@, @supervisor@;\n"
	"REVOKE ALL ON ALL TABLES IN SCHEMA docket FROM PUBLIC,\n"
	"  @reviewer@, @supervisor@;\n"
	"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA docket FROM PUBLIC;\n"
	"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA docket\n"
	"  TO @reviewer@, @supervisor@;\n"
	"REVOKE EXECUTE ON FUNCTION grant_role(text, text) FROM @reviewer@;\n"
	"REVOKE EXECUTE ON FUNCTION split_pii() FROM @reviewer@,\n"
	"  @supervisor@;\n"
	/* Trigger functions are the owner's: a role with EXECUTE on one may
	 * hang it on a temporary table of its own, and the SECURITY DEFINER
	 * ones (the counters', the floor's) then write as the owner whatever
	 * rows it inserts there (revision 12). Triggers fire without it. */
	"DO $$\n"
	"DECLARE f regprocedure;\n"
	"BEGIN\n"
	"  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p\n"
	"      JOIN pg_namespace n ON n.oid = p.pronamespace\n"
	"      WHERE n.nspname = '" PG_SCHEMA "'\n"
	"      AND p.prorettype = 'trigger'::regtype LOOP\n"
	"    EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC, %I, %I',\n"
	"      f, store_role('reviewer'), store_role('supervisor'));\n"
	"  END LOOP;\n"
	"END $$;\n"
	/* Sequences: only those a role draws from itself (lease tokens in a
	 * claim, a reviewer's id when added; ids of an import's rows) */
	"REVOKE ALL ON ALL SEQUENCES IN SCHEMA docket FROM PUBLIC,\n"
	"  @reviewer@, @supervisor@;\n"
	"GRANT USAGE, SELECT ON lease_tokens, reviewers_id_seq\n"
	"  TO @reviewer@, @supervisor@;\n"
	"GRANT USAGE, SELECT ON models_id_seq, batches_id_seq, cases_id_seq\n"
	"  TO @supervisor@;\n"
	"GRANT SELECT ON meta, reviewers, policies, batches,\n"
	"  counters, leases, decisions, reviews, exports, reviewer_seen,\n"
	"  drift_summaries, drift_bins, drift_reference, case_reasons, batch_golds\n"
	"  TO @reviewer@, @supervisor@;\n"
	/* reviewers: every column but which cases are gold checks (gold,
	 * and the route reason that names them) and the audit salt that
	 * tells an audit sample (drawn) from a gold case (not drawn), both
	 * read "spot check" (revision 14): the reason as shown is
	 * case_reasons'; a column added later is closed to them until
	 * granted here. ctid and xmax: which transaction holds a case's row,
	 * so that a lock waited for names its holder (pg.c's
	 * pg_lock_holders). Nor the fairness counts (read by stats, a
	 * supervisor's): cases by a field's value and route class, where a
	 * value one case has says whether a rule or its gold label routed a
	 * case whose figures no rule routes */
	"GRANT SELECT ON cases, models, fair_batches, fair_counts TO @supervisor@;\n"
	"GRANT SELECT (id, model_id, batch_id, ext_id, line, prediction,\n"
	"  confidence, margin, entropy, probs, attributions, context, text,\n"
	"  priority, state, policy_version, urgency, reviews_needed, final_label,\n"
	"  final_seq, decided_at, ctid, xmax) ON cases TO @reviewer@;\n"
	"GRANT SELECT (id, name, labels, policy_version, created_at) ON models\n"
	"  TO @reviewer@;\n"
	/* reviewers: claim, decide, renew, release, undo, their own
	 * feedback mark, auto-adding themselves (lease tokens come from the
	 * sequence lease_tokens: no reviewer writes meta, whose lease_token
	 * row is the base every token is drawn above) */
	"GRANT INSERT ON decisions, reviewers TO @reviewer@;\n"
	"GRANT UPDATE (state, final_label, final_seq, decided_at) ON cases\n"
	"  TO @reviewer@;\n"
	"GRANT INSERT, UPDATE (expires_at), DELETE ON leases TO @reviewer@;\n"
	"GRANT INSERT, UPDATE, DELETE ON reviews TO @reviewer@;\n"
	"GRANT INSERT, UPDATE (seq) ON reviewer_seen TO @reviewer@;\n"
	/* supervisors: all that, and import, policies (new versions only),
	 * settings, reviewers, resolve, export watermarks, drift figures;
	 * UPDATE only of the columns docket changes after an insert (a
	 * case's input, a policy version, a personal value never change) */
	"GRANT SELECT, INSERT ON case_pii TO @supervisor@;\n"
	"GRANT INSERT ON decisions, policies, cases TO @supervisor@;\n"
	"GRANT INSERT, UPDATE ON meta, reviewers, models, batches, counters,\n"
	"  exports, reviewer_seen TO @supervisor@;\n"
	"REVOKE UPDATE ON meta, reviewers, models, batches, counters, exports,\n"
	"  reviewer_seen FROM @supervisor@;\n"
	"GRANT UPDATE (value) ON meta TO @supervisor@;\n"
	"GRANT UPDATE (role) ON reviewers TO @supervisor@;\n"
	"GRANT UPDATE (labels, policy_version) ON models TO @supervisor@;\n"
	"GRANT UPDATE (source_sha256, rows, routed) ON batches TO @supervisor@;\n"
	/* set once, by the import (pg_schema.c's batches_keys_once) */
	"GRANT UPDATE (ctx_keys, attr_keys, prob_keys) ON batches TO @supervisor@;\n"
	"GRANT UPDATE (n) ON counters TO @supervisor@;\n"
	"GRANT UPDATE (last_seq, audit_seq, at, by) ON exports TO @supervisor@;\n"
	"GRANT UPDATE (seq) ON reviewer_seen TO @supervisor@;\n"
	"GRANT UPDATE (state, final_label, final_seq, decided_at, route_reason,\n"
	"  urgency, reviews_needed, policy_version) ON cases TO @supervisor@;\n"
	"GRANT INSERT, UPDATE, DELETE ON leases, reviews, drift_summaries,\n"
	"  drift_bins, drift_reference, fair_batches, fair_counts\n"
	"  TO @supervisor@;\n"

	/* Row-level security. The owner is not bound (FORCE is not set). */
	"ALTER TABLE decisions ENABLE ROW LEVEL SECURITY;\n"
	"DROP POLICY IF EXISTS read ON decisions;\n"
	"CREATE POLICY read ON decisions FOR SELECT USING (true);\n"
	"DROP POLICY IF EXISTS supervisor_append ON decisions;\n"
	"CREATE POLICY supervisor_append ON decisions FOR INSERT\n"
	"  TO @supervisor@ WITH CHECK (reviewer = current_user\n"
	"    AND is_login(reviewer) AND links(seq, prev_hash) AND at <= now_ms() + " PG_ROLES_SKEW "\n"
	"    AND " PG_ROLES_HASHED "\n"
	"    AND " PG_ROLES_SECONDS("seconds") "\n"
	"    AND fits_case(case_id, action, model_label, label));\n"
	"DROP POLICY IF EXISTS reviewer_append ON decisions;\n"
	"CREATE POLICY reviewer_append ON decisions FOR INSERT TO @reviewer@\n"
	"  WITH CHECK (reviewer = current_user AND is_login(reviewer)\n"
	"    AND links(seq, prev_hash) AND " PG_ROLES_HASHED "\n"
	"    AND at <= now_ms() + " PG_ROLES_SKEW " AND " PG_ROLES_SECONDS("seconds") "\n"
	"    AND fits_case(case_id, action, model_label, label)\n"
	"    AND reviewer_may_append(action, case_id, ref_seq, detail, at));\n"

	"ALTER TABLE leases ENABLE ROW LEVEL SECURITY;\n"
	"DROP POLICY IF EXISTS read ON leases;\n"
	"CREATE POLICY read ON leases FOR SELECT USING (true);\n"
	"DROP POLICY IF EXISTS supervisor ON leases;\n"
	"CREATE POLICY supervisor ON leases TO @supervisor@\n"
	"  USING (true) WITH CHECK (expires_at <= " PG_ROLES_LEASE_MAX ");\n"
	"DROP POLICY IF EXISTS take ON leases;\n"
	"CREATE POLICY take ON leases FOR INSERT TO @reviewer@\n"
	"  WITH CHECK (reviewer_id = my_reviewer_id()\n"
	"    AND expires_at <= " PG_ROLES_LEASE_MAX "\n"
	"    AND EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id\n"
	"      AND c.state = 'held'));\n"
	/* (UPDATE and DELETE see every row, so that another's lease is
	 * refused with an error rather than skipped: reviewer_id cannot
	 * change, so the check is on whose lease it is; leases_guard says
	 * which deletes.) */
	"DROP POLICY IF EXISTS renew ON leases;\n"
	"CREATE POLICY renew ON leases FOR UPDATE TO @reviewer@\n"
	"  USING (true) WITH CHECK (reviewer_id = my_reviewer_id()\n"
	"    AND expires_at <= " PG_ROLES_LEASE_MAX ");\n"
	"DROP POLICY IF EXISTS give_back ON leases;\n"
	"CREATE POLICY give_back ON leases FOR DELETE TO @reviewer@\n"
	"  USING (true);\n"

	"ALTER TABLE reviews ENABLE ROW LEVEL SECURITY;\n"
	"DROP POLICY IF EXISTS read ON reviews;\n"
	"CREATE POLICY read ON reviews FOR SELECT USING (true);\n"
	"DROP POLICY IF EXISTS supervisor ON reviews;\n"
	"CREATE POLICY supervisor ON reviews TO @supervisor@\n"
	"  USING (true) WITH CHECK (true);\n"
	"DROP POLICY IF EXISTS follow_log ON reviews;\n"
	/* (what it writes is a decision's, of the log: revision 12) */
	"CREATE POLICY follow_log ON reviews TO @reviewer@\n"
	"  USING (entered_now(case_id)) WITH CHECK (entered_now(case_id)\n"
	"    AND EXISTS (SELECT 1 FROM decisions d JOIN reviewers r\n"
	"      ON r.name = d.reviewer WHERE d.seq = reviews.seq\n"
	"      AND d.case_id = reviews.case_id AND r.id = reviews.reviewer_id\n"
	"      AND d.action = reviews.action AND d.at = reviews.at\n"
	"      AND d.label IS NOT DISTINCT FROM reviews.label));\n"

	"ALTER TABLE meta ENABLE ROW LEVEL SECURITY;\n"
	"DROP POLICY IF EXISTS read ON meta;\n"
	"CREATE POLICY read ON meta FOR SELECT USING (true);\n"
	"DROP POLICY IF EXISTS supervisor ON meta;\n"
	"CREATE POLICY supervisor ON meta TO @supervisor@\n"
	"  USING (key NOT IN (" PG_ROLES_OWNER_KEYS "))\n"
	"  WITH CHECK (key NOT IN (" PG_ROLES_OWNER_KEYS "));\n"
	/* (revision 2 let reviewers write the lease_token row: dropped) */
	"DROP POLICY IF EXISTS lease_token ON meta;\n"
	"DROP POLICY IF EXISTS lease_token_next ON meta;\n"

	"ALTER TABLE reviewer_seen ENABLE ROW LEVEL SECURITY;\n"
	"DROP POLICY IF EXISTS read ON reviewer_seen;\n"
	"CREATE POLICY read ON reviewer_seen FOR SELECT USING (true);\n"
	"DROP POLICY IF EXISTS own ON reviewer_seen;\n"
	"CREATE POLICY own ON reviewer_seen TO @reviewer@, @supervisor@\n"
	"  USING (true) WITH CHECK (reviewer = current_user);\n"

	"ALTER TABLE reviewers ENABLE ROW LEVEL SECURITY;\n"
	"DROP POLICY IF EXISTS read ON reviewers;\n"
	"CREATE POLICY read ON reviewers FOR SELECT USING (true);\n"
	"DROP POLICY IF EXISTS supervisor ON reviewers;\n"
	"CREATE POLICY supervisor ON reviewers TO @supervisor@\n"
	"  USING (true) WITH CHECK (true);\n"
	"DROP POLICY IF EXISTS auto_add ON reviewers;\n"
	"CREATE POLICY auto_add ON reviewers FOR INSERT TO @reviewer@\n"
	"  WITH CHECK (name = current_user AND is_login(name)\n"
	"    AND role = 'reviewer'\n"
	"    AND added_by = 'auto' AND EXISTS (SELECT 1 FROM meta\n"
	"      WHERE key = 'auto_add_reviewers' AND value = 'on'));\n";

/* A revision 3 store (or older) used the cluster's group roles
 * docket_reviewer and docket_supervisor: PostgreSQL revision 4 gives it
 * roles of its own (pg_roles_groups, before this), grants them to the
 * logins that hold the old roles and are reviewers of this store (a
 * member of docket_reviewer that this store never added stays out),
 * drops the policies that name the old roles and revokes every privilege
 * they hold in the schema; pg_roles_refresh then grants the store's roles
 * and makes the policies again. The old roles stay (other stores of the
 * cluster may use them); meta's pg_roles_replaced names them, for doctor. */
static const char pg_roles_rev4[] =
	"DO $$\n"
	"DECLARE old text[] := ARRAY['docket_reviewer', 'docket_supervisor'];\n"
	"  kinds text[] := ARRAY['reviewer', 'supervisor']; i integer; o text;\n"
	"  m record; p record;\n"
	"BEGIN\n"
	"  FOR i IN 1..2 LOOP\n"
	"    CONTINUE WHEN to_regrole(old[i]) IS NULL;\n"
	"    FOR m IN SELECT u.rolname FROM pg_auth_members a\n"
	"        JOIN pg_roles u ON u.oid = a.member\n"
	"        WHERE a.roleid = to_regrole(old[i])\n"
	"        AND u.rolname IN (SELECT r.name FROM reviewers r) LOOP\n"
	"      EXECUTE format('GRANT %I TO %I', store_role(kinds[i]), m.rolname);\n"
	"    END LOOP;\n"
	"  END LOOP;\n"
	"  FOR p IN SELECT pol.polname, c.relname FROM pg_policy pol\n"
	"      JOIN pg_class c ON c.oid = pol.polrelid\n"
	"      JOIN pg_namespace n ON n.oid = c.relnamespace\n"
	"      WHERE n.nspname = '" PG_SCHEMA "' AND EXISTS (SELECT 1 FROM\n"
	"        unnest(old) x(r) WHERE to_regrole(x.r) = ANY (pol.polroles)) LOOP\n"
	"    EXECUTE format('DROP POLICY %I ON %I', p.polname, p.relname);\n"
	"  END LOOP;\n"
	"  FOREACH o IN ARRAY old LOOP\n"
	"    CONTINUE WHEN to_regrole(o) IS NULL;\n"
	"    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA " PG_SCHEMA
	" FROM %I', o);\n"
	"    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA " PG_SCHEMA
	" FROM %I', o);\n"
	"    EXECUTE format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA " PG_SCHEMA
	" FROM %I', o);\n"
	"    EXECUTE format('REVOKE ALL ON SCHEMA " PG_SCHEMA " FROM %I', o);\n"
	"  END LOOP;\n"
	"  INSERT INTO meta(key, value) VALUES ('pg_roles_replaced',\n"
	"      array_to_string(old, ','))\n"
	"    ON CONFLICT (key) DO UPDATE SET value = excluded.value;\n"
	"EXCEPTION WHEN insufficient_privilege THEN\n"
	"  RAISE EXCEPTION 'the role % may not give this store group roles of "
	"its own (%): open it once as a superuser, or give % CREATEROLE', "
	"current_user, SQLERRM, current_user\n"
	"    USING ERRCODE = 'insufficient_privilege';\n"
	"END $$;\n";

/* The store's group roles (store_role), as quoted identifiers and as
 * string literals. */
struct pg_roles_names {
	char *reviewer, *supervisor, *reviewer_lit, *supervisor_lit;
};

static void pg_roles_names_free(struct pg_roles_names *n)
{
	free(n->reviewer);
	free(n->supervisor);
	free(n->reviewer_lit);
	free(n->supervisor_lit);
}

static int pg_roles_names_read(store *s, struct pg_roles_names *n, dk_error *err)
{
	n->reviewer = n->supervisor = n->reviewer_lit = n->supervisor_lit = NULL;
	db_stmt *st = store_stmt(s, "SELECT quote_ident(store_role('reviewer')),"
				    " quote_ident(store_role('supervisor')),"
				    " quote_literal(store_role('reviewer')),"
				    " quote_literal(store_role('supervisor'))",
				 err);
	if (!st)
		return DK_ERR;
	if (db_step(st) == DB_ROW && db_col_text(st, 0) && db_col_text(st, 1)) {
		n->reviewer = dk_xstrdup((const char *)db_col_text(st, 0));
		n->supervisor = dk_xstrdup((const char *)db_col_text(st, 1));
		n->reviewer_lit = dk_xstrdup((const char *)db_col_text(st, 2));
		n->supervisor_lit = dk_xstrdup((const char *)db_col_text(st, 3));
	}
	if (store_done(st) != DB_OK) {
		pg_roles_names_free(n);
		return store_fail(s, err, "reading the store's group roles");
	}
	if (!n->reviewer)
		return dk_fail(err, "%s: the store records no group roles (meta "
				    "pg_role_reviewer, pg_role_supervisor)",
			       store_path(s));
	return DK_OK;
}

/* Run tmpl with @reviewer@ and @supervisor@ replaced by the store's group
 * roles as identifiers (GRANT, CREATE POLICY), @reviewer_name@ and
 * @supervisor_name@ by their names as string literals (only_reviewer). */
static int pg_roles_exec(store *s, const char *tmpl, dk_error *err)
{
	struct pg_roles_names n;
	if (pg_roles_names_read(s, &n, err))
		return DK_ERR;
	sbuf q = {0};
	const char *p = tmpl, *at;
	while ((at = strchr(p, '@'))) {
		sbuf_add(&q, p, (size_t)(at - p));
		static const char *const keys[] = {"@reviewer@", "@supervisor@",
						   "@reviewer_name@",
						   "@supervisor_name@"};
		const char *vals[] = {n.reviewer, n.supervisor, n.reviewer_lit,
				      n.supervisor_lit};
		size_t k = 0;
		while (k < 4 && strncmp(at, keys[k], strlen(keys[k])))
			k++;
		if (k < 4) {
			sbuf_adds(&q, vals[k]);
			p = at + strlen(keys[k]);
		} else {
			sbuf_addc(&q, '@');
			p = at + 1;
		}
	}
	sbuf_adds(&q, p);
	int rc = store_exec(s, sbuf_str(&q), err);
	sbuf_free(&q);
	pg_roles_names_free(&n);
	return rc;
}

int pg_roles_own(store *s, dk_error *err)
{
	/* (the functions first: store_role reads the names) */
	return store_exec(s, pg_roles_funcs, err) ||
			       store_exec(s, pg_roles_groups, err) ||
			       store_exec(s, pg_roles_rev4, err) ||
			       pg_roles_refresh(s, err)
		       ? DK_ERR
		       : DK_OK;
}

int pg_roles_refresh(store *s, dk_error *err)
{
	return store_exec(s, pg_roles_pii_refs, err) ||
			       store_exec(s, pg_roles_funcs, err) ||
			       store_exec(s, pg_roles_views, err) ||
			       pg_roles_exec(s, pg_roles_judge, err) ||
			       pg_roles_exec(s, pg_roles_grants, err)
		       ? DK_ERR
		       : DK_OK;
}

int pg_roles_apply(store *s, int created, dk_error *err)
{
	/* The creator is the store's first supervisor (store_seed runs
	 * next): its name is its role's. */
	db_stmt *st = store_stmt(s, "SELECT current_user", err);
	if (!st)
		return DK_ERR;
	int ok = db_step(st) == DB_ROW;
	if (ok)
		dk_login_set((const char *)db_col_text(st, 0));
	store_done(st);
	if (!ok)
		return store_fail(s, err, "reading the session's role");
	/* A later schema version grants what it adds in its own migration. */
	if (!created)
		return DK_OK;
	if (store_exec(s, pg_roles_groups, err) || store_exec(s, pg_roles_pii, err) ||
	    store_exec(s, pg_roles_pii_refs, err) ||
	    store_exec(s, pg_roles_funcs, err) ||
	    store_exec(s, pg_roles_views, err) ||
	    pg_roles_exec(s, pg_roles_judge, err) ||
	    pg_roles_exec(s, pg_roles_grants, err))
		return DK_ERR;
	return DK_OK;
}

int pg_roles_rev7(store *s, dk_error *err)
{
	return pg_roles_refresh(s, err);
}

int pg_roles_rev11(store *s, dk_error *err)
{
	return store_exec(s, PG_ROLES_PII_CHECK, err);
}

int pg_roles_rev8(store *s, dk_error *err)
{
	return store_exec(s, pg_roles_funcs, err) ||
			       store_exec(s, "UPDATE case_pii SET context ="
					     " coalesce(pii_only(context), '{}')"
					     " WHERE context IS DISTINCT FROM"
					     " coalesce(pii_only(context), '{}')",
					  err)
		       ? DK_ERR
		       : DK_OK;
}

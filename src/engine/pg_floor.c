/* pg_floor.c: the queue's floor on PostgreSQL (revision 10), a key each
 * model's claim walk starts from instead of the head of cases_queue_model.
 *
 * Why: a claim (queued -> held) and a decision change a case's state, so
 * PostgreSQL writes a new row version and the queue index keeps the old
 * entry until VACUUM removes it. Claims take cases from the head of the
 * index, so its head fills with dead entries (marked dead by the first
 * walk that meets them, but still on their pages), and every walk read
 * all of their pages: after 20,000 claims 120 pages a claim. VACUUM does
 * not help at 10M cases: it skips the indexes until 2% of the table's
 * pages have dead rows, and then scans all of every index of cases.
 *
 * The floor (queue_floor, one row per model) is a key in claim order
 * (priority DESC, urgency, id) no queued case of the model sorts before,
 * together with the cases put in the queue since it was worked out
 * (queue_requeued): queue_floor_of gives the lower of the two, and the
 * walk (pg_roles.c's PG_CLAIM_WALK_*) starts there.
 *
 * Writes that put a case in the queue (a new queued case, held -> queued,
 * a queued case's key changed) record it (cases_requeued,
 * cases_queued_new): a row of queue_requeued under a number from
 * queue_gen, taken while the writer holds the model's floor lock
 * (advisory, class 'docl') shared, to its end. They wait for nothing but
 * the moment a claim takes that lock alone (below).
 *
 * A claim raises its model's floor after its own case (queue_floor_advance):
 * it draws a number g, then takes the floor lock alone and lets it go at
 * once; when that succeeds, every writer whose number is below g has
 * ended, so the next statement's snapshot sees all their cases, and the
 * first queued case from the floor in it is a floor for them all. It is
 * stored with g, and the requeued rows below g (counted in it) deleted.
 * Writers with a number above g keep their rows, so their cases are never
 * above the floor. Claims never wait on the floor row: one that finds it
 * locked leaves the floor to the claim holding it. */
#include "pg.h"

/* The floor lock's class: 'docl' in ASCII; the key is the model's id
 * folded to 32 bits (two models sharing a key only share the lock). */
#define PG_FLOOR_LOCK(M) "1685021548, CAST(" M " % 2147483647 AS integer)"

/* The key before every other in claim order: no floor (walk from the
 * head). */
#define PG_FLOOR_START "9223372036854775807, '-infinity', -9223372036854775808"

#define PG_FLOOR_PATH "docket, pg_catalog, pg_temp"

const char pg_floor_schema[] =
	"CREATE TABLE IF NOT EXISTS queue_floor(\n"
	"  model_id bigint PRIMARY KEY,\n"
	"  priority bigint NOT NULL,\n"
	"  urgency double precision NOT NULL,\n"
	"  case_id bigint NOT NULL,\n"
	"  gen bigint NOT NULL\n"
	");\n"
	"CREATE TABLE IF NOT EXISTS queue_requeued(\n"
	"  gen bigint PRIMARY KEY,\n"
	"  model_id bigint NOT NULL,\n"
	"  priority bigint NOT NULL,\n"
	"  urgency double precision NOT NULL,\n"
	"  case_id bigint NOT NULL\n"
	");\n"
	"CREATE INDEX IF NOT EXISTS queue_requeued_model\n"
	"  ON queue_requeued(model_id, priority DESC, urgency, case_id);\n"
	"CREATE SEQUENCE IF NOT EXISTS queue_gen;\n"

	/* The floor of model m in the caller's snapshot (STABLE): the floor
	 * row's key or a requeued case's, whichever comes first; the start
	 * when the model has no floor row. Only these functions read or
	 * write the two tables (SECURITY DEFINER: no role is granted them). */
	"CREATE OR REPLACE FUNCTION queue_floor_of(m bigint, OUT p bigint,\n"
	"    OUT u double precision, OUT i bigint)\n"
	"  LANGUAGE plpgsql STABLE SECURITY DEFINER\n"
	"  SET search_path = " PG_FLOOR_PATH " AS $$\n"
	"BEGIN\n"
	"  SELECT f.priority, f.urgency, f.case_id INTO p, u, i\n"
	"    FROM queue_floor f WHERE f.model_id = m;\n"
	"  IF NOT FOUND THEN\n"
	"    SELECT " PG_FLOOR_START " INTO p, u, i;\n"
	"    RETURN;\n"
	"  END IF;\n"
	"  SELECT k.priority, k.urgency, k.case_id INTO p, u, i FROM\n"
	"    (SELECT p AS priority, u AS urgency, i AS case_id\n"
	"     UNION ALL (SELECT r.priority, r.urgency, r.case_id\n"
	"       FROM queue_requeued r WHERE r.model_id = m\n"
	"       ORDER BY r.priority DESC, r.urgency, r.case_id LIMIT 1)) k\n"
	"    ORDER BY k.priority DESC, k.urgency, k.case_id LIMIT 1;\n"
	"END $$;\n"

	/* After a claim of a case of model m (claim(), pg_roles.c): the
	 * floor raised to the first queued case from it (above). Only in READ
	 * COMMITTED, where each statement takes a snapshot of its own. */
	"CREATE OR REPLACE FUNCTION queue_floor_advance(m bigint) RETURNS void\n"
	"  LANGUAGE plpgsql VOLATILE SECURITY DEFINER\n"
	"  SET search_path = " PG_FLOOR_PATH " AS $$\n"
	"DECLARE g bigint;\n"
	"BEGIN\n"
	"  IF current_setting('transaction_isolation') <> 'read committed' THEN\n"
	"    RETURN;\n"
	"  END IF;\n"
	"  g := nextval('queue_gen');\n"
	/* one expression: the lock is never left held */
	"  IF NOT (pg_try_advisory_lock(" PG_FLOOR_LOCK("m") ")\n"
	"      AND pg_advisory_unlock(" PG_FLOOR_LOCK("m") ")) THEN\n"
	"    RETURN;\n"
	"  END IF;\n"
	/* one statement, its snapshot taken after the test above: the floor
	 * row locked unless another claim holds it, raised, and the requeued
	 * rows it counts deleted */
	"  WITH up AS (UPDATE queue_floor f SET priority = n.priority,\n"
	"      urgency = n.urgency, case_id = n.id, gen = g\n"
	"    FROM queue_floor_of(m) b CROSS JOIN LATERAL\n"
	"      (SELECT * FROM (SELECT q.id, q.priority, q.urgency FROM cases q\n"
	"         WHERE q.model_id = m AND q.state = 'queued' AND q.priority = b.p\n"
	"         AND (q.urgency, q.id) >= (b.u, b.i)\n"
	"         ORDER BY q.urgency, q.id LIMIT 1) p1\n"
	"       UNION ALL SELECT * FROM (SELECT q.id, q.priority, q.urgency\n"
	"         FROM cases q WHERE q.model_id = m AND q.state = 'queued'\n"
	"         AND q.priority < b.p\n"
	"         ORDER BY q.priority DESC, q.urgency, q.id LIMIT 1) p2\n"
	"       LIMIT 1) n\n"
	"    WHERE f.model_id = m AND f.ctid = (SELECT l.ctid FROM queue_floor l\n"
	"      WHERE l.model_id = m AND l.gen < g FOR UPDATE SKIP LOCKED)\n"
	"    RETURNING f.gen)\n"
	"  DELETE FROM queue_requeued r USING up WHERE r.model_id = m\n"
	"    AND r.gen < up.gen;\n"
	"END $$;\n"

	/* A case put in the queue, or a queued case's key changed */
	"CREATE OR REPLACE FUNCTION cases_requeued() RETURNS trigger\n"
	"  LANGUAGE plpgsql SECURITY DEFINER\n"
	"  SET search_path = " PG_FLOOR_PATH " AS $$\n"
	"BEGIN\n"
	"  PERFORM pg_advisory_xact_lock_shared(" PG_FLOOR_LOCK("new.model_id") ");\n"
	"  INSERT INTO queue_requeued(gen, model_id, priority, urgency, case_id)\n"
	"    VALUES (nextval('queue_gen'), new.model_id, new.priority,\n"
	"      new.urgency, new.id);\n"
	"  RETURN NULL;\n"
	"END $$;\n"
	"DROP TRIGGER IF EXISTS cases_requeued ON cases;\n"
	"CREATE TRIGGER cases_requeued AFTER UPDATE ON cases FOR EACH ROW\n"
	"  WHEN (new.state = 'queued' AND (old.state <> 'queued'\n"
	"    OR old.model_id <> new.model_id OR old.priority <> new.priority\n"
	"    OR old.urgency IS DISTINCT FROM new.urgency))\n"
	"  EXECUTE FUNCTION cases_requeued();\n"

	/* New cases, once per statement: each model's first queued one */
	"CREATE OR REPLACE FUNCTION cases_queued_new() RETURNS trigger\n"
	"  LANGUAGE plpgsql SECURITY DEFINER\n"
	"  SET search_path = " PG_FLOOR_PATH " AS $$\n"
	"DECLARE r record;\n"
	"BEGIN\n"
	"  FOR r IN SELECT DISTINCT ON (n.model_id) n.model_id, n.priority,\n"
	"      n.urgency, n.id FROM new_cases n WHERE n.state = 'queued'\n"
	"      ORDER BY n.model_id, n.priority DESC, n.urgency, n.id LOOP\n"
	"    PERFORM pg_advisory_xact_lock_shared(" PG_FLOOR_LOCK("r.model_id") ");\n"
	"    INSERT INTO queue_requeued(gen, model_id, priority, urgency, case_id)\n"
	"      VALUES (nextval('queue_gen'), r.model_id, r.priority, r.urgency,\n"
	"        r.id);\n"
	"  END LOOP;\n"
	"  RETURN NULL;\n"
	"END $$;\n"
	"DROP TRIGGER IF EXISTS cases_queued_new ON cases;\n"
	"CREATE TRIGGER cases_queued_new AFTER INSERT ON cases\n"
	"  REFERENCING NEW TABLE AS new_cases\n"
	"  FOR EACH STATEMENT EXECUTE FUNCTION cases_queued_new();\n"

	/* Every model has a floor row from its start (so no claim waits on
	 * another's insert of one) */
	"CREATE OR REPLACE FUNCTION models_floor() RETURNS trigger\n"
	"  LANGUAGE plpgsql SECURITY DEFINER\n"
	"  SET search_path = " PG_FLOOR_PATH " AS $$\n"
	"BEGIN\n"
	"  INSERT INTO queue_floor(model_id, priority, urgency, case_id, gen)\n"
	"    VALUES (new.id, " PG_FLOOR_START ", 0) ON CONFLICT DO NOTHING;\n"
	"  RETURN NULL;\n"
	"END $$;\n"
	"DROP TRIGGER IF EXISTS models_floor ON models;\n"
	"CREATE TRIGGER models_floor AFTER INSERT ON models FOR EACH ROW\n"
	"  EXECUTE FUNCTION models_floor();\n"
	"INSERT INTO queue_floor(model_id, priority, urgency, case_id, gen)\n"
	"  SELECT m.id, " PG_FLOOR_START ", 0 FROM models m\n"
	"  ON CONFLICT DO NOTHING;\n";

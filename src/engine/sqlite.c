/* sqlite.c: the SQLite engine: a store in one file. Opening, pragmas,
 * schema migrations, transactions with durable commits that do not hold the
 * write lock through an fsync, checkpoints, and statements as thin wrappers
 * over sqlite3_stmt. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "docket/clock.h"
#include "docket/identity.h"
#include "docket/replay.h"
#include "docket/store_sqlite.h"
#include "docket/testhook.h"
#include "engine.h"
#include "lite_flush.h"
#include "lite_vfs.h"

/* 'dock' in ASCII: marks the file as a docket store for file(1) and for us. */
#define STORE_APPLICATION_ID 0x646f636b

/* How long a writer waits for another writer before giving up (ms). Claims
 * and decisions hold the lock for well under a millisecond, so this is only
 * reached when something is badly wrong (a hung process holding the lock). */
#define STORE_BUSY_TIMEOUT_MS 30000
/* How long a RESTART checkpoint waits for writers and readers (ms). */
#define STORE_CKPT_WAIT_MS 5

/* The connection (store.conn). */
struct lite {
	sqlite3 *db;
	int durable;  /* 1: a commit makes a write durable (default) */
	int wal;      /* the connection is in WAL mode (lite_open checks) */
	int lowered;  /* synchronous is NORMAL for the open write transaction */
	int sync;     /* the open write transaction syncs the WAL at commit */
	int gather;   /* its writes are gathered (lite_vfs.c): a bulk load */
	lite_flush *flush; /* a bulk load's flusher thread (lite_flush.c) */
	int in_ckpt;  /* lite_wal_hook is running a RESTART checkpoint */
	int ckpt_next; /* WAL frames before the next RESTART attempt */
	int ckpt_seen; /* WAL frames at the last commit */
};

struct lite_stmt {
	struct db_stmt base;
	sqlite3_stmt *st;
};

#define LITE(s) ((struct lite *)(s)->conn)
#define LST(x) (((struct lite_stmt *)(x))->st)

/* Schema version 1. Times are integer milliseconds since the epoch (UTC).
 * Context, probabilities and attributions are JSON text in input order;
 * what queues are sorted, filtered and counted by lives in indexed columns.
 * This is the first step of a new store only (no older store is at
 * version 0), so what a later step drops is left out of it, and a new
 * store is never made with anything it drops: version 1 as released was
 * this and store_v1_dropped (store_sqlite_make_v1, for the tests that
 * keep the two ways to the current schema the same). */
static const char store_schema_v1[] =
	/* Settings: created_at, created_by, reason codes, ... */
	"CREATE TABLE meta(\n"
	"  key TEXT PRIMARY KEY,\n"
	"  value TEXT NOT NULL\n"
	") WITHOUT ROWID;\n"

	"CREATE TABLE reviewers(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  role TEXT NOT NULL CHECK (role IN ('reviewer','supervisor')),\n"
	"  added_at INTEGER NOT NULL,\n"
	"  added_by TEXT NOT NULL\n"
	");\n"

	/* A model is named by the user; its versions are per batch. labels is
	 * the JSON array of the label set in order of first appearance. */
	"CREATE TABLE models(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  labels TEXT NOT NULL DEFAULT '[]',\n"
	"  audit_salt TEXT NOT NULL,\n"
	"  policy_version INTEGER NOT NULL DEFAULT 1,\n"
	"  created_at INTEGER NOT NULL\n"
	");\n"

	/* The routing policy of a model, one row per version (JSON). */
	"CREATE TABLE policies(\n"
	"  model_id INTEGER NOT NULL REFERENCES models(id),\n"
	"  version INTEGER NOT NULL,\n"
	"  policy TEXT NOT NULL,\n"
	"  set_by TEXT NOT NULL,\n"
	"  set_at INTEGER NOT NULL,\n"
	"  PRIMARY KEY (model_id, version)\n"
	") WITHOUT ROWID;\n"

	/* One row per import: the lineage of every case. */
	"CREATE TABLE batches(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  model_id INTEGER NOT NULL REFERENCES models(id),\n"
	"  model_version TEXT NOT NULL DEFAULT '',\n"
	"  source_file TEXT NOT NULL,\n"
	"  source_sha256 TEXT NOT NULL,\n"
	"  format TEXT NOT NULL CHECK (format IN ('csv','jsonl')),\n"
	"  rows INTEGER NOT NULL,\n"
	"  routed INTEGER NOT NULL,\n"
	"  imported_by TEXT NOT NULL,\n"
	"  imported_at INTEGER NOT NULL,\n"
	"  forced INTEGER NOT NULL DEFAULT 0\n"
	");\n"
	"CREATE INDEX batches_sha256 ON batches(source_sha256);\n"

	/* ext_id is the id as imported. urgency orders the queue within a
	 * priority: lower is more uncertain (confidence, or margin when that
	 * rule routed the case). context holds context and pii: fields. */
	"CREATE TABLE cases(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  model_id INTEGER NOT NULL REFERENCES models(id),\n"
	"  batch_id INTEGER NOT NULL REFERENCES batches(id),\n"
	"  ext_id TEXT NOT NULL,\n"
	"  line INTEGER NOT NULL,\n"
	"  prediction TEXT NOT NULL,\n"
	"  confidence REAL NOT NULL,\n"
	"  margin REAL,\n"
	"  entropy REAL,\n"
	"  probs TEXT,\n"
	"  attributions TEXT,\n"
	"  context TEXT NOT NULL DEFAULT '{}',\n"
	"  text TEXT,\n"
	"  gold TEXT,\n"
	"  priority INTEGER NOT NULL DEFAULT 0,\n"
	"  state TEXT NOT NULL CHECK (state IN\n"
	"    ('auto','queued','held','escalated','disputed','done')),\n"
	"  route_reason TEXT,\n"
	"  policy_version INTEGER NOT NULL,\n"
	"  urgency REAL NOT NULL,\n"
	"  reviews_needed INTEGER NOT NULL DEFAULT 1,\n"
	"  final_label TEXT,\n"
	"  final_seq INTEGER,\n"
	"  decided_at INTEGER,\n"
	"  UNIQUE (model_id, ext_id)\n"
	");\n"
	/* Lineage and 'oldest waiting' per batch. */
	"CREATE INDEX cases_batch ON cases(batch_id, state);\n"

	/* Maintained counts of cases per model and state, so screens and
	 * `docket queue` never count over the table. Inserts are added by the
	 * importer in bulk (store_counter_add); updates by this trigger. */
	"CREATE TABLE counters(\n"
	"  model_id INTEGER NOT NULL REFERENCES models(id),\n"
	"  state TEXT NOT NULL,\n"
	"  n INTEGER NOT NULL DEFAULT 0,\n"
	"  PRIMARY KEY (model_id, state)\n"
	") WITHOUT ROWID;\n"
	"CREATE TRIGGER cases_count_state AFTER UPDATE OF state ON cases\n"
	"  WHEN old.state IS NOT new.state BEGIN\n"
	"  UPDATE counters SET n = n - 1\n"
	"    WHERE model_id = old.model_id AND state = old.state;\n"
	"  INSERT INTO counters(model_id, state, n) VALUES (new.model_id, new.state, 1)\n"
	"    ON CONFLICT (model_id, state) DO UPDATE SET n = n + 1;\n"
	"END;\n"
	"CREATE TRIGGER cases_count_delete AFTER DELETE ON cases BEGIN\n"
	"  UPDATE counters SET n = n - 1\n"
	"    WHERE model_id = old.model_id AND state = old.state;\n"
	"END;\n"

	/* Who holds a case and until when. token fences stale holders. */
	"CREATE TABLE leases(\n"
	"  case_id INTEGER PRIMARY KEY REFERENCES cases(id),\n"
	"  reviewer_id INTEGER NOT NULL REFERENCES reviewers(id),\n"
	"  token INTEGER NOT NULL,\n"
	"  claimed_at INTEGER NOT NULL,\n"
	"  expires_at INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX leases_expiry ON leases(expires_at);\n"
	"CREATE INDEX leases_reviewer ON leases(reviewer_id);\n"
	/* The cases with a final human label, in the order they got it
	 * (exports take them by final_seq; --since-last keeps a watermark). */
	"CREATE INDEX cases_final ON cases(final_seq) WHERE final_seq IS NOT NULL;\n"

	/* The audit log: append-only, hash-chained (audit.c). seq is the
	 * chain position. case_id is NULL for store-level entries (export).
	 * label is the human label the entry asserts (accept: the model's;
	 * override and resolve: the new one). ref_seq: the entry an undo
	 * reverses, or an amend (a decision with a ref_seq) replaces.
	 * detail: JSON for reveal and export entries. Hashes are lowercase
	 * hex SHA-256. */
	"CREATE TABLE decisions(\n"
	"  seq INTEGER PRIMARY KEY,\n"
	"  at INTEGER NOT NULL,\n"
	"  reviewer TEXT NOT NULL,\n"
	"  case_id INTEGER REFERENCES cases(id),\n"
	"  action TEXT NOT NULL,\n"
	"  model_label TEXT,\n"
	"  label TEXT,\n"
	"  reason TEXT,\n"
	"  note TEXT,\n"
	"  seconds REAL,\n"
	"  ref_seq INTEGER,\n"
	"  detail TEXT,\n"
	"  prev_hash TEXT NOT NULL,\n"
	"  hash TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX decisions_case ON decisions(case_id, seq);\n"
	"CREATE INDEX decisions_reviewer ON decisions(reviewer, seq);\n"
	"CREATE INDEX decisions_action ON decisions(action, seq);\n"
	/* Append-only. recursive_triggers is on (store_open), so the delete
	 * that INSERT OR REPLACE does on a conflict fires the delete trigger. */
	"CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions BEGIN\n"
	"  SELECT RAISE(ABORT, 'the decision log is append-only');\n"
	"END;\n"
	"CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions BEGIN\n"
	"  SELECT RAISE(ABORT, 'the decision log is append-only');\n"
	"END;\n"

	/* Derived from the log for fast lookups: each reviewer's decision in
	 * force on a case (undo removes it). Keeps a reviewer from getting a
	 * case they decided, keeps double reviews blind and by two people,
	 * and gives the skip cool-down. */
	"CREATE TABLE reviews(\n"
	"  case_id INTEGER NOT NULL REFERENCES cases(id),\n"
	"  reviewer_id INTEGER NOT NULL REFERENCES reviewers(id),\n"
	"  seq INTEGER NOT NULL,\n"
	"  action TEXT NOT NULL,\n"
	"  label TEXT,\n"
	"  at INTEGER NOT NULL,\n"
	"  PRIMARY KEY (case_id, reviewer_id)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX reviews_reviewer ON reviews(reviewer_id, at);\n"

	/* queue.c: the queue of one model (`next --model M`), so a claim
	 * restricted to a model is a seek too; and undo's lookup of whether
	 * an entry has been undone (decisions.ref_seq). */
	"CREATE INDEX cases_queue_model ON cases(model_id, priority DESC, urgency, id)\n"
	"  WHERE state = 'queued';\n"
	"CREATE INDEX decisions_ref ON decisions(ref_seq) WHERE ref_seq IS NOT NULL;\n"
	/* Entries are appended at the end of the chain only. This also
	 * refuses INSERT OR REPLACE on any connection, even one without
	 * recursive_triggers (the sqlite3 shell): BEFORE INSERT runs before
	 * the conflict is resolved. */
	"CREATE TRIGGER decisions_append_only BEFORE INSERT ON decisions\n"
	"  WHEN new.seq IS NOT coalesce((SELECT max(seq) FROM decisions), 0) + 1\n"
	"  BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;\n"

	/* export.c: the --since-last watermarks. A named export takes the
	 * cases whose final_seq is above last_seq, then moves last_seq in the
	 * transaction that appends its audit entry (audit_seq). filters: the
	 * filters the name was first used with (JSON), kept so a name never
	 * silently skips rows another filter would have taken. */
	"CREATE TABLE exports(\n"
	"  name TEXT PRIMARY KEY,\n"
	"  last_seq INTEGER NOT NULL,\n"
	"  filters TEXT NOT NULL,\n"
	"  audit_seq INTEGER NOT NULL,\n"
	"  at INTEGER NOT NULL,\n"
	"  by TEXT NOT NULL\n"
	") WITHOUT ROWID;\n"

	/* Supervisor's desk (logq.c, stats.c). decisions_at turns a time
	 * range of `docket log --since/--until` into seq bounds with two
	 * seeks, so the log stays a keyset walk by seq. cases_gold lists the
	 * gold cases without scanning cases. cases_reviewed holds what the
	 * model figures of `docket stats` read of each case with a final
	 * human label, so stats reads this index only, never the wide case
	 * rows, and --since/--model become a range of it. */
	"CREATE INDEX decisions_at ON decisions(at);\n"
	"CREATE INDEX cases_gold ON cases(id, gold) WHERE gold IS NOT NULL;\n"
	"CREATE INDEX cases_reviewed ON cases(model_id, decided_at, prediction,\n"
	"  final_label, confidence, route_reason, final_seq)\n"
	"  WHERE final_seq IS NOT NULL;\n"
	/* The supervisor's Escalations and Disagreements tabs: only the cases
	 * waiting for a supervisor are in it. Queries repeat its WHERE so the
	 * planner may use it. */
	"CREATE INDEX cases_waiting ON cases(state, id)\n"
	"  WHERE state = 'escalated' OR state = 'disputed';\n";

/* What version 1 had and a later step drops. The queue: only waiting
 * cases, in claim order; a claim was one seek (dropped by 7). */
static const char store_v1_dropped[] =
	"CREATE INDEX cases_queue ON cases(priority DESC, urgency, id)\n"
	"  WHERE state = 'queued';\n";

/* v3, reviewer feedback (feedback.c): the newest log seq each reviewer's
 * last `docket review` start saw, so the next start can say which of their
 * escalations a supervisor resolved since. */
static const char store_migration_reviewer_seen[] =
	"CREATE TABLE IF NOT EXISTS reviewer_seen(\n"
	"  reviewer TEXT PRIMARY KEY,\n"
	"  seq INTEGER NOT NULL\n"
	") WITHOUT ROWID;\n";

/* v4, monitoring (issue 14). drift.c keeps each
 * batch's binned figures against a reference batch (a batch never changes;
 * the routing may, so the policy version they were taken under is kept and
 * a newer one recomputes them). drift_reference: the batch a supervisor set
 * as a model's reference (an audit 'reference' entry records it).
 * cases_auto_version: the cases left to the model by policy version, so
 * stats can tell with a seek whether any was left under an audit rate of 0
 * (then no estimate over everything scored is possible). */
static const char store_schema_monitor[] =
	"CREATE TABLE IF NOT EXISTS drift_summaries(\n"
	"  batch_id INTEGER NOT NULL REFERENCES batches(id),\n"
	"  ref_batch INTEGER NOT NULL REFERENCES batches(id),\n"
	"  policy_version INTEGER NOT NULL,\n"
	"  rows INTEGER NOT NULL,\n"
	"  computed_at INTEGER NOT NULL,\n"
	"  PRIMARY KEY (batch_id, ref_batch)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE IF NOT EXISTS drift_bins(\n"
	"  batch_id INTEGER NOT NULL,\n"
	"  ref_batch INTEGER NOT NULL,\n"
	"  field TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  bin INTEGER NOT NULL,\n"
	"  label TEXT NOT NULL,\n"
	"  lo REAL,\n"
	"  hi REAL,\n"
	"  n INTEGER NOT NULL,\n"
	"  PRIMARY KEY (batch_id, ref_batch, field, bin)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE IF NOT EXISTS drift_reference(\n"
	"  model_id INTEGER PRIMARY KEY REFERENCES models(id),\n"
	"  batch_id INTEGER NOT NULL REFERENCES batches(id)\n"
	");\n"
	"CREATE INDEX IF NOT EXISTS cases_auto_version ON cases(model_id, policy_version)\n"
	"  WHERE state = 'auto';\n";

/* v5, fairness counts (issue 14; fair_counts.c): a model's cases counted
 * by one context field's value, per batch, in two parts (0: every case by
 * value, prediction, route and policy version; 1: the cases decisions
 * moved, with their final label). fair_batches dates each kept part: the
 * model's policy version, the log seq it was counted at, and the cases it
 * counts. value_kind: 0 missing, 1 number (value_num), 2 text (value_text).
 * batches_model: a model's batches without a scan of batches. */
static const char store_migration_fair_counts[] =
	"CREATE TABLE IF NOT EXISTS fair_batches(\n"
	"  batch_id INTEGER NOT NULL REFERENCES batches(id),\n"
	"  field TEXT NOT NULL,\n"
	"  part INTEGER NOT NULL,\n"
	"  policy_version INTEGER NOT NULL,\n"
	"  seq INTEGER NOT NULL,\n"
	"  rows INTEGER NOT NULL,\n"
	"  PRIMARY KEY (batch_id, field, part)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE IF NOT EXISTS fair_counts(\n"
	"  batch_id INTEGER NOT NULL,\n"
	"  field TEXT NOT NULL,\n"
	"  part INTEGER NOT NULL,\n"
	"  value_kind INTEGER NOT NULL,\n"
	"  value_num REAL,\n"
	"  value_text TEXT,\n"
	"  prediction TEXT NOT NULL,\n"
	"  final_label TEXT,\n"
	"  route INTEGER NOT NULL,\n"
	"  policy_version INTEGER NOT NULL,\n"
	"  n INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX IF NOT EXISTS fair_counts_batch ON fair_counts(batch_id, field, part);\n"
	"CREATE INDEX IF NOT EXISTS batches_model ON batches(model_id, id);\n";

/* v6, a batch's key lists (issue 17; casejson.c): the names of its context
 * fields, attributions and probabilities, once per batch (JSON arrays of
 * strings, NULL: none), so a case can hold just its values in that order.
 * (ALTER TABLE has no IF NOT EXISTS: lite_migrate skips this step for a
 * store set back to an older version that has the columns.) */
static const char store_migration_batch_keys[] =
	"ALTER TABLE batches ADD COLUMN ctx_keys TEXT;\n"
	"ALTER TABLE batches ADD COLUMN attr_keys TEXT;\n"
	"ALTER TABLE batches ADD COLUMN prob_keys TEXT;\n";

/* v7, one queue index (issue 17): cases_queue_model alone orders the
 * queue; a claim or list over every model seeks each model's part of it
 * and merges (queue.c, queue_walk.c). cases_queue, in claim order over all
 * models, cost the import a random-key insert per queued row and 13 MB
 * per million of them. */
static const char store_migration_one_queue[] =
	"DROP INDEX IF EXISTS cases_queue;\n";

/* v8, margin and entropy no longer stored (issue 17): the import leaves
 * them NULL and every reader computes them from the probabilities, as
 * routing did (casejson_features). No table changes: the version tells an
 * older docket, which would read the NULLs as "no probabilities", to
 * refuse such a store. */
static const char store_migration_features[] = "";

/* v9, packed numbers as BLOBs: the packed form (casejson_pack: '#' and
 * 4-bit codes) is not UTF-8, and as TEXT it broke every reader that trusts
 * TEXT to be (Python's sqlite3 on SELECT * FROM cases). The same bytes,
 * now a BLOB: docket's readers read them alike (sqlite3_column_text), and
 * the record is the same size. An older docket would read them too, but
 * would write the packed form as TEXT again: the version bars it. */
#define LITE_PACKED_TEXT(col)                                                  \
	"typeof(" col ") = 'text' AND substr(CAST(" col " AS BLOB), 1, 1) = X'23'"
static const char store_migration_packed_blob[] =
	"UPDATE cases SET\n"
	"  probs = CASE WHEN " LITE_PACKED_TEXT("probs") "\n"
	"    THEN CAST(probs AS BLOB) ELSE probs END,\n"
	"  attributions = CASE WHEN " LITE_PACKED_TEXT("attributions") "\n"
	"    THEN CAST(attributions AS BLOB) ELSE attributions END\n"
	"  WHERE " LITE_PACKED_TEXT("probs") " OR " LITE_PACKED_TEXT("attributions") ";\n";

/* v10, the state check coded without a table (issue 17): SQLite codes
 * `state IN (six values)` in a CHECK by filling a temporary B-tree with the
 * six values for every row written (about 0.75 µs a row, a sixth of the
 * import's inserting thread at 1M rows); the same test as comparisons
 * costs almost nothing. The check means the same, so the table's text is
 * changed in place, as SQLite's documentation allows for a CHECK that the
 * stored rows meet (lang_altertable.html, "otheralter"); lite_migrate then
 * moves the schema cookie so every connection reads the new text. replace()
 * leaves a store that has the new text as it is. */
#define LITE_STATE_IN                                                          \
	"state IN\n    (''auto'',''queued'',''held'',''escalated'',''disputed'',''done'')"
#define LITE_STATE_OR                                                          \
	"state = ''auto'' OR state = ''queued'' OR state = ''held''\n"         \
	"    OR state = ''escalated'' OR state = ''disputed'' OR state = ''done''"
static const char store_migration_state_check[] =
	"PRAGMA writable_schema=ON;\n"
	"UPDATE sqlite_schema SET sql = replace(sql, '" LITE_STATE_IN "', '"
	LITE_STATE_OR "')\n"
	"  WHERE type = 'table' AND name = 'cases';\n"
	"PRAGMA writable_schema=OFF;\n";

/* v11: the route reason as reviewers are shown it (store.h), the view
 * their statements read on both engines: on PostgreSQL a reviewer may not
 * read cases.route_reason (pg_roles.c, which makes the view there). */
static const char store_migration_case_reasons[] =
	"CREATE VIEW IF NOT EXISTS case_reasons AS SELECT id AS case_id,\n"
	"  " STORE_REASON_SHOWN_SQL " AS reason FROM cases;\n";

/* Forward migrations: store_migrations[i] takes a store from version i to
 * i + 1. Append, never edit a released entry. Each after the first creates
 * with IF NOT EXISTS: a store set back to an older user_version (the
 * tests' and benchmarks' way of making "a store of an older docket") keeps
 * the newer tables, and opening it must still work. */
static const char *const store_migrations[STORE_SCHEMA_VERSION] = {
	store_schema_v1,
	/* 2: no table changes; the log gains its init entry (below). */
	"",
	store_migration_reviewer_seen, /* 3 */
	store_schema_monitor, /* 4 */
	store_migration_fair_counts, /* 5 */
	store_migration_batch_keys, /* 6 */
	store_migration_one_queue, /* 7 */
	store_migration_features, /* 8 */
	store_migration_packed_blob, /* 9 */
	store_migration_state_check, /* 10 */
	store_migration_case_reasons, /* 11 */
};

/* The connection's last error in words a user can act on. SQLite says
 * "disk I/O error", "unable to open database file" or "attempt to write a
 * readonly database" where the cause is a full disk or a read-only file or
 * file system: name the cause instead. Writes into buf (len bytes) and
 * returns it. */
static const char *lite_errmsg(store *s, char *buf, size_t len)
{
	sqlite3 *db = s->conn ? LITE(s)->db : NULL;
	if (!db) {
		snprintf(buf, len, "no connection");
		return buf;
	}
	const char *msg = sqlite3_errmsg(db);
	int primary = sqlite3_extended_errcode(db) & 0xff;
	int io = primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN ||
		 primary == SQLITE_READONLY || primary == SQLITE_FULL ||
		 primary == SQLITE_PERM;
	int e = io ? sqlite3_system_errno(db) : 0;
	/* (SQLite reports a short write as SQLITE_FULL without an errno.) */
	if (primary == SQLITE_FULL || e == ENOSPC || e == EDQUOT) {
		snprintf(buf, len, "%s", strerror(e == EDQUOT ? EDQUOT : ENOSPC));
		return buf;
	}
	if (io && (e == EROFS || e == EACCES || e == EPERM ||
		   primary == SQLITE_READONLY ||
		   sqlite3_db_readonly(db, "main") == 1)) {
		/* Why: the file, its directory (where the -wal and -shm files
		 * go) or the file system is read-only. */
		char dir[PATH_MAX];
		snprintf(dir, sizeof dir, "%s", s->path);
		char *slash = strrchr(dir, '/');
		if (slash)
			slash[slash == dir] = '\0';
		else
			snprintf(dir, sizeof dir, ".");
		if (access(s->path, W_OK) != 0 || access(dir, W_OK) != 0)
			e = errno;
		else if (e != EROFS && e != EACCES && e != EPERM)
			e = EROFS;
		snprintf(buf, len, "the store is read-only (%s): docket needs to "
				   "write to it and to its directory",
			 strerror(e));
		return buf;
	}
	if (e) {
		snprintf(buf, len, "%s (%s)", msg, strerror(e));
		return buf;
	}
	return msg;
}

sqlite3 *store_sqlite_db(store *s)
{
	return store_engine(s) == STORE_SQLITE ? LITE(s)->db : NULL;
}

static int lite_exec(store *s, const char *sql, dk_error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(LITE(s)->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char buf[256];
		dk_fail(err, "%s: %s", s->path, lite_errmsg(s, buf, sizeof buf));
		sqlite3_free(msg);
		return DK_ERR;
	}
	return DK_OK;
}

/* Statements. */

static db_stmt *lite_prepare(store *s, const char *sql, dk_error *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(LITE(s)->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &st, NULL) != SQLITE_OK) {
		store_fail(s, err, "preparing a statement");
		return NULL;
	}
	struct lite_stmt *ls = dk_xmalloc(sizeof *ls);
	ls->base.eng = &engine_sqlite;
	ls->base.s = s;
	ls->st = st;
	return &ls->base;
}

static void lite_finalize(db_stmt *st)
{
	sqlite3_finalize(LST(st));
	free(st);
}

static int lite_bind_int64(db_stmt *st, int i, int64_t v)
{
	return sqlite3_bind_int64(LST(st), i, v);
}

static int lite_bind_double(db_stmt *st, int i, double v)
{
	return sqlite3_bind_double(LST(st), i, v);
}

static int lite_bind_text(db_stmt *st, int i, const char *v, int len, int copy)
{
	return sqlite3_bind_text(LST(st), i, v, len,
				 copy == DB_TRANSIENT ? SQLITE_TRANSIENT : SQLITE_STATIC);
}

static int lite_bind_null(db_stmt *st, int i)
{
	return sqlite3_bind_null(LST(st), i);
}

static int lite_bind_blob(db_stmt *st, int i, const void *v, int len, int copy)
{
	return sqlite3_bind_blob(LST(st), i, v, len,
				 copy == DB_TRANSIENT ? SQLITE_TRANSIENT : SQLITE_STATIC);
}

static int lite_step(db_stmt *st)
{
	return sqlite3_step(LST(st));
}

static int lite_reset(db_stmt *st)
{
	return sqlite3_reset(LST(st));
}

static void lite_clear(db_stmt *st)
{
	sqlite3_reset(LST(st));
	sqlite3_clear_bindings(LST(st));
}

static int64_t lite_col_int64(db_stmt *st, int i)
{
	return sqlite3_column_int64(LST(st), i);
}

static double lite_col_double(db_stmt *st, int i)
{
	return sqlite3_column_double(LST(st), i);
}

static const unsigned char *lite_col_text(db_stmt *st, int i)
{
	return sqlite3_column_text(LST(st), i);
}

static int lite_col_bytes(db_stmt *st, int i)
{
	return sqlite3_column_bytes(LST(st), i);
}

static int lite_col_type(db_stmt *st, int i)
{
	return sqlite3_column_type(LST(st), i);
}

/* Durable commits without holding the write lock through an fsync.
 *
 * With synchronous=FULL in WAL mode SQLite syncs the WAL inside COMMIT,
 * while it holds the store's one write lock, so writers queue behind each
 * other's fsyncs: with 8 processes a decision cost about two fsyncs of
 * wall time and throughput fell below one process's. The only difference
 * between FULL and NORMAL at a WAL commit is that sync (and padding to a
 * sector boundary, which the unix VFS skips: it assumes powersafe
 * overwrite). So a write transaction runs under NORMAL and lite_commit
 * syncs the WAL file itself after COMMIT has released the lock, before it
 * returns. The commit's frames were written before COMMIT returned, so the
 * sync puts them on disk; if a checkpoint restarts the WAL in between, it
 * has already written those pages into the database file and synced it
 * (checkpoints sync under NORMAL). Processes that sync at the same time
 * share the file system's journal commit instead of taking turns.
 *
 * synchronous is lowered only for the transaction (PRAGMA synchronous acts
 * when prepared, so it is exec'd each time: a few µs, outside the lock),
 * so any write outside a write transaction stays FULL. Not in WAL mode (a
 * file system without shared memory), transactions simply run FULL. */
static int lite_sync_level(store *s, int full, dk_error *err)
{
	return lite_exec(s, full ? "PRAGMA synchronous=FULL"
				 : "PRAGMA synchronous=NORMAL",
			 err);
}

static void lite_end_write(store *s)
{
	struct lite *L = LITE(s);
	/* Anything still gathered is a checkpoint's or a rolled-back
	 * transaction's: the commit's frames were synced (reported there). */
	if (L->gather)
		lite_vfs_gather(L->db, 0);
	L->gather = 0;
	lite_flush_stop(L->flush);
	L->flush = NULL;
	if (L->lowered && L->durable)
		lite_sync_level(s, 1, NULL);
	L->lowered = 0;
	L->sync = 0;
}

static int lite_step_once(store *s, const char *sql, dk_error *err)
{
	db_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return DB_ERROR;
	int rc = db_step(st);
	store_done(st);
	return rc;
}

static int lite_begin(store *s, enum engine_begin kind, dk_error *err)
{
	struct lite *L = LITE(s);
	if (kind == ENGINE_READ)
		return lite_step_once(s, "BEGIN", err) == DB_DONE
			       ? DK_OK
			       : store_fail(s, err, "starting a read");
	/* A bulk load keeps synchronous=FULL: its commit syncs the WAL under
	 * the lock (it held the lock for long anyway), before SQLite
	 * publishes it, which gathering writes needs (lite_vfs.h). */
	if (L->wal && L->durable && kind != ENGINE_WRITE_BULK) {
		if (lite_sync_level(s, 0, err))
			return DK_ERR;
		L->lowered = 1;
		L->sync = kind != ENGINE_WRITE_RELAXED;
	}
	if (lite_step_once(s, "BEGIN IMMEDIATE", err) != DB_DONE) {
		store_fail(s, err, "starting a write");
		lite_end_write(s);
		return DK_ERR;
	}
	if (L->wal && L->durable && kind == ENGINE_WRITE_BULK) {
		L->gather = lite_vfs_gather(L->db, 1) == SQLITE_OK;
		L->flush = lite_flush_start(L->db);
		L->sync = 1; /* again after COMMIT: cheap, and reported the same way */
	}
	return DK_OK;
}

/* fsync the WAL file (through SQLite's own handle, so the VFS also syncs
 * the directory the first time a new WAL file is synced). */
static int lite_sync_wal(store *s, dk_error *err)
{
	sqlite3_file *f = NULL;
	int rc = sqlite3_file_control(LITE(s)->db, "main",
				      SQLITE_FCNTL_JOURNAL_POINTER, &f);
	if (rc == SQLITE_OK && f && f->pMethods)
		rc = f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
	else if (rc == SQLITE_OK)
		rc = SQLITE_IOERR_FSYNC; /* no WAL file open: cannot happen */
	if (rc == SQLITE_OK && testhook_fault("wal-sync"))
		rc = SQLITE_IOERR_FSYNC;
	if (rc == SQLITE_OK)
		return DK_OK;
	/* The transaction is committed: other processes already see it, and
	 * it cannot be taken back. Only its durability is in doubt. */
	dk_fail(err, "syncing %s failed (%s): the change is recorded and others "
		     "see it, but it may be lost if the machine stops before the "
		     "disk catches up",
		s->path, sqlite3_errstr(rc));
	return DK_UNSYNCED;
}

static void lite_rollback(store *s)
{
	if (!sqlite3_get_autocommit(LITE(s)->db))
		sqlite3_exec(LITE(s)->db, "ROLLBACK", NULL, NULL, NULL);
	lite_end_write(s);
}

static int lite_commit(store *s, dk_error *err)
{
	if (lite_step_once(s, "COMMIT", err) != DB_DONE) {
		store_fail(s, err, "committing");
		lite_rollback(s);
		return DK_ERR;
	}
	int sync = LITE(s)->sync;
	lite_end_write(s);
	return sync ? lite_sync_wal(s, err) : DK_OK;
}

static int lite_in_txn(store *s)
{
	return !sqlite3_get_autocommit(LITE(s)->db);
}

static int lite_set_durable(store *s, int durable, dk_error *err)
{
	if (lite_sync_level(s, durable, err))
		return DK_ERR;
	LITE(s)->durable = durable != 0;
	return DK_OK;
}

/* The write transaction already holds the store's one write lock. */
static int lite_chain_lock(store *s, dk_error *err)
{
	(void)s;
	(void)err;
	return DK_OK;
}

static int64_t lite_changes(store *s)
{
	return sqlite3_changes64(LITE(s)->db);
}

static int64_t lite_last_id(store *s)
{
	return sqlite3_last_insert_rowid(LITE(s)->db);
}

static int lite_explain(store *s, const char *sql, sbuf *out, dk_error *err)
{
	sqlite3_stmt *st = NULL;
	char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
	int rc = sqlite3_prepare_v2(LITE(s)->db, q, -1, &st, NULL);
	sqlite3_free(q);
	if (rc != SQLITE_OK)
		return store_fail(s, err, "explaining a query");
	while (sqlite3_step(st) == SQLITE_ROW) {
		sbuf_adds(out, (const char *)sqlite3_column_text(st, 3));
		sbuf_addc(out, '\n');
	}
	sqlite3_finalize(st);
	return DK_OK;
}

static int lite_pragma_int(store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(LITE(s)->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* 1 when the connection's journal mode is WAL. */
static int lite_journal_is_wal(store *s)
{
	sqlite3_stmt *st = NULL;
	int wal = 0;
	if (sqlite3_prepare_v2(LITE(s)->db, "PRAGMA journal_mode", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		wal = !strcmp((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	return wal;
}

static int lite_schema_version(store *s)
{
	return lite_pragma_int(s, "PRAGMA user_version");
}

/* Read only: fail when the file is a store of a newer schema than this
 * docket knows, or an SQLite file with tables that is not a docket store. */
static int lite_refuse_foreign(store *s, dk_error *err)
{
	sqlite3_stmt *st = NULL;
	int v = -1, app = 0, tables = 0;
	if (sqlite3_prepare_v2(LITE(s)->db,
			       "SELECT (SELECT user_version FROM pragma_user_version),"
			       " (SELECT application_id FROM pragma_application_id),"
			       " (SELECT count(*) FROM sqlite_schema)",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		v = sqlite3_column_int(st, 0);
		app = sqlite3_column_int(st, 1);
		tables = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	if (v < 0)
		return store_fail(s, err, "cannot open");
	if (v > STORE_SCHEMA_VERSION)
		return dk_fail(err,
			       "%s: store has schema version %d; this docket "
			       "knows up to %d: upgrade docket",
			       s->path, v, STORE_SCHEMA_VERSION);
	if (v == 0 && app != STORE_APPLICATION_ID && tables > 0)
		return dk_fail(err,
			       "%s: an SQLite file that is not a docket "
			       "store; refusing to change it",
			       s->path);
	return DK_OK;
}

/* After sqlite_schema was written directly (the state check's migration,
 * 10): one more than the schema cookie, as SQLite's procedure for such
 * changes says, so every connection, this one too, parses the schema
 * again before its next statement. */
static int lite_schema_changed(store *s, dk_error *err)
{
	int cookie = lite_pragma_int(s, "PRAGMA schema_version");
	if (cookie < 0)
		return store_fail(s, err, "reading the schema version");
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA schema_version=%d", cookie + 1);
	return lite_exec(s, sql, err);
}

/* Bring the schema to STORE_SCHEMA_VERSION in one write transaction, so two
 * processes opening a new store at once cannot both migrate it. */
static int lite_migrate(store *s, dk_error *err)
{
	int v = lite_schema_version(s);
	if (v == STORE_SCHEMA_VERSION)
		return DK_OK;
	if (v > STORE_SCHEMA_VERSION)
		return dk_fail(err,
			       "%s: store has schema version %d; this docket "
			       "knows up to %d: upgrade docket",
			       s->path, v, STORE_SCHEMA_VERSION);
	if (store_begin_write(s, err))
		return DK_ERR;
	v = lite_schema_version(s); /* another process may have migrated */
	if (v == 0) {
		int app = lite_pragma_int(s, "PRAGMA application_id");
		int tables = lite_pragma_int(
			s, "SELECT count(*) FROM sqlite_schema");
		if (app != STORE_APPLICATION_ID && tables > 0) {
			store_rollback(s);
			return dk_fail(err,
				       "%s: an SQLite file that is not a docket "
				       "store; refusing to change it",
				       s->path);
		}
	}
	int seed = v == 0 && !(s->flags & STORE_NO_SEED);
	for (; v < STORE_SCHEMA_VERSION; v++) {
		if (v == 5 && lite_pragma_int(s, "SELECT count(*) FROM"
						 " pragma_table_info('batches')"
						 " WHERE name = 'ctx_keys'") > 0)
			continue;
		/* The state check's migration writes sqlite_schema, which a
		 * connection in defensive mode may not (off unless the library
		 * was built with it on). Named, not numbered: a number here
		 * went stale when migrations were renumbered at a merge. */
		int writes_schema = store_migrations[v] == store_migration_state_check;
		if (writes_schema)
			sqlite3_db_config(LITE(s)->db, SQLITE_DBCONFIG_DEFENSIVE, 0,
					  (int *)NULL);
		if (lite_exec(s, store_migrations[v], err))
			goto fail;
		if (writes_schema && lite_schema_changed(s, err))
			goto fail;
		if (v == 0 && seed && store_seed(s, err))
			goto fail;
		/* Version 2: the audit log starts the replay `docket verify`
		 * does from an init entry (replay.c): in a new store, right
		 * after the seed; in an older one, after its entries. */
		if (v == 1 && (seed || !(s->flags & STORE_NO_SEED)) && replay_init(s, err))
			goto fail;
	}
	char sql[96];
	snprintf(sql, sizeof sql, "PRAGMA user_version=%d; PRAGMA application_id=%d",
		 STORE_SCHEMA_VERSION, STORE_APPLICATION_ID);
	if (lite_exec(s, sql, err) || store_commit(s, err))
		goto fail;
	return DK_OK;
fail:
	store_rollback(s);
	return DK_ERR;
}

int store_sqlite_make_v1(sqlite3 *db)
{
	char sql[96];
	snprintf(sql, sizeof sql, "PRAGMA user_version=1; PRAGMA application_id=%d",
		 STORE_APPLICATION_ID);
	int rc = sqlite3_exec(db, store_schema_v1, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, store_v1_dropped, NULL, NULL, NULL);
	return rc == SQLITE_OK ? sqlite3_exec(db, sql, NULL, NULL, NULL) : rc;
}

/* Create the file with mode 0600 before SQLite opens it: SQLite gives the
 * -wal and -shm files the same permissions as the database. */
static int lite_create_file(const char *path, unsigned flags, int *created,
			    dk_error *err)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		close(fd);
		*created = 1;
		return DK_OK;
	}
	if (errno == EEXIST && !(flags & STORE_MUST_BE_NEW))
		return DK_OK;
	if (errno == EEXIST)
		return dk_fail(err, "%s: already exists", path);
	return dk_fail(err, "%s: cannot create: %s", path, strerror(errno));
}

/* Wait for another writer. SQLite's own busy timeout sleeps in growing
 * steps (up to 100 ms), far longer than a claim or decision holds the lock
 * (a few hundred microseconds), so many writers would mostly sleep. Here a
 * waiter retries after 50-250 microseconds, jittered per process so
 * waiters do not wake together, and gives up after STORE_BUSY_TIMEOUT_MS.
 * (Measured against SQLite's sleeps, yield-first, 10-50 µs and 200-600 µs
 * waits, and a blocking flock queue in front of the lock, with 8 processes
 * on 2 shared cores: the differences were within the run-to-run noise, or,
 * for flock, lower throughput at lower CPU; see bench/queue.sh.) */
static int lite_busy(void *arg, int attempt)
{
	struct lite *L = arg;
	static __thread struct timespec started;
	static __thread uint32_t rnd;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (attempt == 0)
		started = now;
	if (!rnd)
		rnd = (((uint32_t)getpid() * 2654435761u) ^ (uint32_t)now.tv_nsec) | 1;
	int64_t waited = (int64_t)(now.tv_sec - started.tv_sec) * 1000 +
			 (now.tv_nsec - started.tv_nsec) / 1000000;
	if (waited >= (L->in_ckpt ? STORE_CKPT_WAIT_MS : STORE_BUSY_TIMEOUT_MS))
		return 0;
	rnd ^= rnd << 13; /* xorshift32: no shared state with rand() */
	rnd ^= rnd >> 17;
	rnd ^= rnd << 5;
	unsigned us = 50 + rnd % 200 + (attempt > 100 ? 1000 : 0);
	struct timespec ts = {0, (long)us * 1000};
	nanosleep(&ts, NULL);
	return 1;
}

/* Checkpoints. SQLite's automatic checkpoint is PASSIVE: it copies what it
 * can and never waits, and the WAL starts again from its beginning only
 * when a checkpoint has copied every frame at the moment a writer starts.
 * With several processes writing without pause that moment never comes:
 * the WAL grew by ~200 MB/s in the 8-process benchmark (every write an
 * append to a new block, every read a longer WAL lookup). So past
 * STORE_WAL_RESTART_FRAMES the committing connection runs a RESTART
 * checkpoint: it takes the write lock, copies the rest and makes the next
 * writer start the WAL from its beginning, so the file stays near that
 * size. It waits for other writers and for readers of old frames only
 * STORE_CKPT_WAIT_MS (a long read, such as an export, pins the WAL and
 * must not stall every commit): if it cannot finish, the next attempt
 * comes after another STORE_WAL_RESTART_FRAMES frames. journal_size_limit
 * (lite_open) cuts the file back after such a long read made it grow. */
#define STORE_WAL_PASSIVE_FRAMES 1000  /* SQLite's default autocheckpoint */
#define STORE_WAL_RESTART_FRAMES 8000  /* about 32 MB of 4 KiB pages */

static int lite_wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct lite *L = arg;
	if (frames < L->ckpt_seen)
		L->ckpt_next = 0; /* the WAL restarted */
	L->ckpt_seen = frames;
	if (frames >= STORE_WAL_RESTART_FRAMES && frames >= L->ckpt_next) {
		L->in_ckpt = 1;
		int rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_RESTART,
						   NULL, NULL);
		L->in_ckpt = 0;
		L->ckpt_next = rc == SQLITE_OK ? 0 : frames + STORE_WAL_RESTART_FRAMES;
	} else if (frames >= STORE_WAL_PASSIVE_FRAMES) {
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL,
					  NULL);
	}
	return SQLITE_OK; /* a checkpoint that could not finish is no error */
}

/* A store this call created and could not set up (a full disk, say) is not
 * left behind as an empty or half-made file. */
static void lite_unlink_all(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[PATH_MAX];
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
}

static void lite_close(store *s)
{
	struct lite *L = LITE(s);
	if (!L)
		return;
	/* The last connection to close removes the -wal and -shm: that
	 * needs the group's right to the directory. */
	int raised = s->raised && identity_raise();
	sqlite3_close(L->db);
	if (raised)
		identity_lower();
	free(L);
	s->conn = NULL;
}

/* s->raised is set by store_open: a store of a setgid install's group is
 * opened with that group (the -wal and -shm are opened here too: the
 * migration reads), and store_open drops it again. */
static int lite_open(store *s, const char *path, unsigned flags, dk_error *err)
{
	struct stat sb;
	int created = 0;
	if (flags & STORE_CREATE) {
		if (lite_create_file(path, flags, &created, err))
			return DK_ERR;
	} else if (stat(path, &sb) != 0) {
		return dk_fail(err, "%s: no such store (create one with 'docket init %s')",
			       path, path);
	}
	/* SQLite's allocation statistics take a global mutex on every malloc;
	 * nothing reads them, and an import mallocs per row. (Only possible
	 * before SQLite initialises, which its first open does.) */
	static int configured;
	if (!configured++)
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	struct lite *L = dk_xmalloc(sizeof *L);
	memset(L, 0, sizeof *L);
	L->durable = 1;
	s->conn = L;
	if (sqlite3_open_v2(path, &L->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			    lite_vfs_name()) !=
	    SQLITE_OK) {
		store_fail(s, err, "cannot open");
		goto fail;
	}
	sqlite3_extended_result_codes(L->db, 1);
	sqlite3_busy_handler(L->db, lite_busy, L);
	/* A store of a newer docket, or an SQLite file that is not a store, is
	 * refused before anything below could write to it (journal_mode=WAL
	 * rewrites the header of a file not yet in WAL mode). */
	if (lite_refuse_foreign(s, err))
		goto fail;
	/* journal_mode=WAL also reads the header: a non-database file fails
	 * here with SQLite's "file is not a database". */
	if (lite_exec(s,
		      "PRAGMA journal_mode=WAL;"
		      "PRAGMA foreign_keys=ON;"
		      "PRAGMA recursive_triggers=ON;"
		      "PRAGMA synchronous=FULL;"
		      "PRAGMA temp_store=MEMORY;"
		      "PRAGMA cache_size=-16384;"
		      "PRAGMA journal_size_limit=67108864;",
		      err))
		goto fail;
	L->wal = lite_journal_is_wal(s);
	if (L->wal)
		sqlite3_wal_hook(L->db, lite_wal_hook, L);
	if (lite_migrate(s, err))
		goto fail;
	return DK_OK;
fail:
	/* store_open closes the connection; the files go now, while the
	 * path is known to be one this call created. */
	if (created) {
		store_cache_clear(s);
		lite_close(s);
		lite_unlink_all(path);
	}
	return DK_ERR;
}

const struct engine engine_sqlite = {
	.kind = STORE_SQLITE,
	.name = "SQLite",
	.open = lite_open,
	.close = lite_close,
	.errmsg = lite_errmsg,
	.prepare = lite_prepare,
	.finalize = lite_finalize,
	.exec = lite_exec,
	.begin = lite_begin,
	.commit = lite_commit,
	.rollback = lite_rollback,
	.in_txn = lite_in_txn,
	.set_durable = lite_set_durable,
	.chain_lock = lite_chain_lock,
	.changes = lite_changes,
	.last_id = lite_last_id,
	.explain = lite_explain,
	.schema_version = lite_schema_version,
	.bind_int64 = lite_bind_int64,
	.bind_double = lite_bind_double,
	.bind_text = lite_bind_text,
	.bind_null = lite_bind_null,
	.bind_blob = lite_bind_blob,
	.step = lite_step,
	.reset = lite_reset,
	.clear = lite_clear,
	.col_int64 = lite_col_int64,
	.col_double = lite_col_double,
	.col_text = lite_col_text,
	.col_bytes = lite_col_bytes,
	.col_type = lite_col_type,
};

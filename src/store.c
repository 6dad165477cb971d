/* store.c: owns the SQLite connection: open, pragmas, schema migrations,
 * a cache of prepared statements and transactions. */
#include "docket/store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "docket/clock.h"
#include "docket/identity.h"
#include "docket/testhook.h"
#include "docket/replay.h"

/* 'dock' in ASCII: marks the file as a docket store for file(1) and for us. */
#define STORE_APPLICATION_ID 0x646f636b

/* How long a writer waits for another writer before giving up (ms). Claims
 * and decisions hold the lock for well under a millisecond, so this is only
 * reached when something is badly wrong (a hung process holding the lock). */
#define STORE_BUSY_TIMEOUT_MS 30000
/* How long a RESTART checkpoint waits for writers and readers (ms). */
#define STORE_CKPT_WAIT_MS 5

#define STORE_STMT_CACHE 128

struct store {
	sqlite3 *db;
	char *path;
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} cache[STORE_STMT_CACHE];
	int ncache;
	int durable;  /* 1: store_commit makes a write durable (default) */
	int wal;      /* the connection is in WAL mode (store_open checks) */
	int lowered;  /* synchronous is NORMAL for the open write transaction */
	int sync;     /* the open write transaction syncs the WAL at commit */
	int in_ckpt;  /* store_wal_hook is running a RESTART checkpoint */
	int ckpt_next; /* WAL frames before the next RESTART attempt */
	int ckpt_seen; /* WAL frames at the last commit */
	int raised;   /* opened with a setgid install's group (identity.h) */
};

/* Schema version 1. Times are integer milliseconds since the epoch (UTC).
 * Context, probabilities and attributions are JSON text in input order;
 * what queues are sorted, filtered and counted by lives in indexed columns. */
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
	/* The queue: only waiting cases, in claim order; a claim is one seek. */
	"CREATE INDEX cases_queue ON cases(priority DESC, urgency, id)\n"
	"  WHERE state = 'queued';\n"
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
};

/* The connection's last error in words a user can act on. SQLite says
 * "disk I/O error", "unable to open database file" or "attempt to write a
 * readonly database" where the cause is a full disk or a read-only file or
 * file system: name the cause instead. Writes into buf (len bytes) and
 * returns it. */
static const char *store_errmsg(store *s, char *buf, size_t len)
{
	if (!s || !s->db) {
		snprintf(buf, len, "no connection");
		return buf;
	}
	const char *msg = sqlite3_errmsg(s->db);
	int primary = sqlite3_extended_errcode(s->db) & 0xff;
	int io = primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN ||
		 primary == SQLITE_READONLY || primary == SQLITE_FULL ||
		 primary == SQLITE_PERM;
	int e = io ? sqlite3_system_errno(s->db) : 0;
	/* (SQLite reports a short write as SQLITE_FULL without an errno.) */
	if (primary == SQLITE_FULL || e == ENOSPC || e == EDQUOT) {
		snprintf(buf, len, "%s", strerror(e == EDQUOT ? EDQUOT : ENOSPC));
		return buf;
	}
	if (io && (e == EROFS || e == EACCES || e == EPERM ||
		   primary == SQLITE_READONLY ||
		   sqlite3_db_readonly(s->db, "main") == 1)) {
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

int store_fail(store *s, dk_error *err, const char *what)
{
	char buf[256];
	return dk_fail(err, "%s: %s: %s", s && s->path ? s->path : "store", what,
		       store_errmsg(s, buf, sizeof buf));
}

const char *store_path(const store *s)
{
	return s->path;
}

sqlite3 *store_db(store *s)
{
	return s->db;
}

int store_exec(store *s, const char *sql, dk_error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char buf[256];
		dk_fail(err, "%s: %s", s->path, store_errmsg(s, buf, sizeof buf));
		sqlite3_free(msg);
		return DK_ERR;
	}
	return DK_OK;
}

sqlite3_stmt *store_stmt(store *s, const char *sql, dk_error *err)
{
	for (int i = 0; i < s->ncache; i++) {
		if (s->cache[i].sql == sql) {
			sqlite3_stmt *st = s->cache[i].st;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
			       NULL) != SQLITE_OK) {
		store_fail(s, err, "preparing a statement");
		return NULL;
	}
	if (s->ncache < STORE_STMT_CACHE) {
		s->cache[s->ncache].sql = sql;
		s->cache[s->ncache].st = st;
		s->ncache++;
	} else {
		/* Cache full: a programming error (more distinct statements than
		 * expected); keep working by evicting the oldest entry. */
		sqlite3_finalize(s->cache[0].st);
		memmove(&s->cache[0], &s->cache[1],
			sizeof s->cache[0] * (STORE_STMT_CACHE - 1));
		s->cache[STORE_STMT_CACHE - 1].sql = sql;
		s->cache[STORE_STMT_CACHE - 1].st = st;
	}
	return st;
}

int store_done(sqlite3_stmt *st)
{
	return st ? sqlite3_reset(st) : SQLITE_OK;
}

/* Durable commits without holding the write lock through an fsync.
 *
 * With synchronous=FULL in WAL mode SQLite syncs the WAL inside COMMIT,
 * while it holds the store's one write lock, so writers queue behind each
 * other's fsyncs: with 8 processes a decision cost about two fsyncs of
 * wall time and throughput fell below one process's. The only difference
 * between FULL and NORMAL at a WAL commit is that sync (and padding to a
 * sector boundary, which the unix VFS skips: it assumes powersafe
 * overwrite). So a write transaction runs under NORMAL and store_commit
 * syncs the WAL file itself after COMMIT has released the lock, before it
 * returns. The commit's frames were written before COMMIT returned, so the
 * sync puts them on disk; if a checkpoint restarts the WAL in between, it
 * has already written those pages into the database file and synced it
 * (checkpoints sync under NORMAL). Processes that sync at the same time
 * share the file system's journal commit instead of taking turns.
 *
 * synchronous is lowered only for the transaction (PRAGMA synchronous acts
 * when prepared, so it is exec'd each time: a few µs, outside the lock),
 * so any write outside store_begin_write stays FULL. Not in WAL mode (a
 * file system without shared memory), transactions simply run FULL. */
static int store_sync_level(store *s, int full, dk_error *err)
{
	return store_exec(s, full ? "PRAGMA synchronous=FULL"
				  : "PRAGMA synchronous=NORMAL",
			  err);
}

static void store_end_write(store *s)
{

	if (s->lowered && s->durable)
		store_sync_level(s, 1, NULL);
	s->lowered = 0;
	s->sync = 0;
}

static int store_begin_write_sync(store *s, int sync, dk_error *err)
{
	if (s->wal && s->durable) {
		if (store_sync_level(s, 0, err))
			return DK_ERR;
		s->lowered = 1;
		s->sync = sync;
	}
	sqlite3_stmt *st = store_stmt(s, "BEGIN IMMEDIATE", err);
	if (!st) {
		store_end_write(s);
		return DK_ERR;
	}
	int rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, err, "starting a write");
		store_end_write(s);
		return DK_ERR;
	}
	return DK_OK;
}

int store_begin_write(store *s, dk_error *err)
{
	return store_begin_write_sync(s, 1, err);
}

int store_begin_write_relaxed(store *s, dk_error *err)
{
	return store_begin_write_sync(s, 0, err);
}

int store_begin_read(store *s, dk_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "BEGIN", err);
	if (!st)
		return DK_ERR;
	int rc = sqlite3_step(st);
	store_done(st);
	return rc == SQLITE_DONE ? DK_OK : store_fail(s, err, "starting a read");
}

/* fsync the WAL file (through SQLite's own handle, so the VFS also syncs
 * the directory the first time a new WAL file is synced). */
static int store_sync_wal(store *s, dk_error *err)
{
	sqlite3_file *f = NULL;
	int rc = sqlite3_file_control(s->db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &f);
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

int store_commit(store *s, dk_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "COMMIT", err);
	if (!st)
		return DK_ERR;
	int rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, err, "committing");
		store_rollback(s);
		return DK_ERR;
	}
	int sync = s->sync;
	store_end_write(s);
	return sync ? store_sync_wal(s, err) : DK_OK;
}

void store_rollback(store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	store_end_write(s);
}

int store_set_durable(store *s, int durable, dk_error *err)
{
	if (store_sync_level(s, durable, err))
		return DK_ERR;
	s->durable = durable != 0;
	return DK_OK;
}

char *store_meta_get(store *s, const char *key)
{
	sqlite3_stmt *st =
		store_stmt(s, "SELECT value FROM meta WHERE key = ?1", NULL);
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	char *v = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = dk_xstrdup((const char *)sqlite3_column_text(st, 0));
	store_done(st);
	return v;
}

int store_meta_set(store *s, const char *key, const char *value, dk_error *err)
{
	sqlite3_stmt *st = store_stmt(
		s,
		"INSERT INTO meta(key, value) VALUES (?1, ?2)"
		" ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		err);
	if (!st)
		return DK_ERR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	store_done(st);
	return rc == SQLITE_DONE ? DK_OK : store_fail(s, err, "writing a setting");
}

int store_counter_add(store *s, int64_t model_id, const char *state, int64_t n,
		      dk_error *err)
{
	sqlite3_stmt *st = store_stmt(
		s,
		"INSERT INTO counters(model_id, state, n) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (model_id, state) DO UPDATE SET n = n + ?3",
		err);
	if (!st)
		return DK_ERR;
	sqlite3_bind_int64(st, 1, model_id);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, n);
	int rc = sqlite3_step(st);
	store_done(st);
	return rc == SQLITE_DONE ? DK_OK : store_fail(s, err, "updating counters");
}

int store_explain(store *s, const char *sql, sbuf *out, dk_error *err)
{
	sqlite3_stmt *st = NULL;
	char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
	int rc = sqlite3_prepare_v2(s->db, q, -1, &st, NULL);
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

static int store_pragma_int(store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* 1 when the connection's journal mode is WAL. */
static int store_journal_is_wal(store *s)
{
	sqlite3_stmt *st = NULL;
	int wal = 0;
	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		wal = !strcmp((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	return wal;
}

int store_schema_version(store *s)
{
	return store_pragma_int(s, "PRAGMA user_version");
}

/* Rows written once when a store is created: who made it (its first
 * supervisor) and when. */
static int store_seed(store *s, dk_error *err)
{
	char now[32];
	int64_t ms = clock_now_ms();
	snprintf(now, sizeof now, "%lld", (long long)ms);
	if (store_meta_set(s, "created_at", now, err) ||
	    store_meta_set(s, "created_by", dk_login_name(), err))
		return DK_ERR;
	sqlite3_stmt *st = store_stmt(
		s,
		"INSERT INTO reviewers(name, role, added_at, added_by)"
		" VALUES (?1, 'supervisor', ?2, ?1)",
		err);
	if (!st)
		return DK_ERR;
	sqlite3_bind_text(st, 1, dk_login_name(), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ms);
	int rc = sqlite3_step(st);
	store_done(st);
	return rc == SQLITE_DONE ? DK_OK
				 : store_fail(s, err, "adding the first supervisor");
}

/* Read only: fail when the file is a store of a newer schema than this
 * docket knows, or an SQLite file with tables that is not a docket store. */
static int store_refuse_foreign(store *s, dk_error *err)
{
	sqlite3_stmt *st = NULL;
	int v = -1, app = 0, tables = 0;
	if (sqlite3_prepare_v2(s->db,
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

/* Bring the schema to STORE_SCHEMA_VERSION in one write transaction, so two
 * processes opening a new store at once cannot both migrate it. */
static int store_migrate(store *s, dk_error *err)
{
	int v = store_schema_version(s);
	if (v == STORE_SCHEMA_VERSION)
		return DK_OK;
	if (v > STORE_SCHEMA_VERSION)
		return dk_fail(err,
			       "%s: store has schema version %d; this docket "
			       "knows up to %d: upgrade docket",
			       s->path, v, STORE_SCHEMA_VERSION);
	if (store_begin_write(s, err))
		return DK_ERR;
	v = store_schema_version(s); /* another process may have migrated */
	if (v == 0) {
		int app = store_pragma_int(s, "PRAGMA application_id");
		int tables = store_pragma_int(
			s, "SELECT count(*) FROM sqlite_schema");
		if (app != STORE_APPLICATION_ID && tables > 0) {
			store_rollback(s);
			return dk_fail(err,
				       "%s: an SQLite file that is not a docket "
				       "store; refusing to change it",
				       s->path);
		}
	}
	for (; v < STORE_SCHEMA_VERSION; v++) {
		if (store_exec(s, store_migrations[v], err))
			goto fail;
		if (v == 0 && store_seed(s, err))
			goto fail;
		/* Version 2: the audit log starts the replay `docket verify`
		 * does from an init entry (replay.c): in a new store, right
		 * after the seed; in an older one, after its entries. */
		if (v == 1 && replay_init(s, err))
			goto fail;
	}
	char sql[96];
	snprintf(sql, sizeof sql, "PRAGMA user_version=%d; PRAGMA application_id=%d",
		 STORE_SCHEMA_VERSION, STORE_APPLICATION_ID);
	if (store_exec(s, sql, err) || store_commit(s, err))
		goto fail;
	return DK_OK;
fail:
	store_rollback(s);
	return DK_ERR;
}

/* Create the file with mode 0600 before SQLite opens it: SQLite gives the
 * -wal and -shm files the same permissions as the database. */
static int store_create_file(const char *path, unsigned flags, int *created,
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
static int store_busy(void *arg, int attempt)
{
	store *s = arg;
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
	if (waited >= (s->in_ckpt ? STORE_CKPT_WAIT_MS : STORE_BUSY_TIMEOUT_MS))
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
 * (store_open) cuts the file back after such a long read made it grow. */
#define STORE_WAL_PASSIVE_FRAMES 1000  /* SQLite's default autocheckpoint */
#define STORE_WAL_RESTART_FRAMES 8000  /* about 32 MB of 4 KiB pages */

static int store_wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	store *s = arg;
	if (frames < s->ckpt_seen)
		s->ckpt_next = 0; /* the WAL restarted */
	s->ckpt_seen = frames;
	if (frames >= STORE_WAL_RESTART_FRAMES && frames >= s->ckpt_next) {
		s->in_ckpt = 1;
		int rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_RESTART,
						   NULL, NULL);
		s->in_ckpt = 0;
		s->ckpt_next = rc == SQLITE_OK ? 0 : frames + STORE_WAL_RESTART_FRAMES;
	} else if (frames >= STORE_WAL_PASSIVE_FRAMES) {
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL,
					  NULL);
	}
	return SQLITE_OK; /* a checkpoint that could not finish is no error */
}

int store_open(store **out, const char *path, unsigned flags, dk_error *err)
{
	*out = NULL;
	struct stat sb;
	int created = 0;
	/* A store of a setgid install's group is opened with that group (the
	 * -wal and -shm are opened here too: the migration below reads); the
	 * group is dropped again before this returns. */
	int raised = identity_raise_for_store(path);
	if (flags & STORE_CREATE) {
		if (store_create_file(path, flags, &created, err)) {
			if (raised)
				identity_lower();
			return DK_ERR;
		}
	} else if (stat(path, &sb) != 0) {
		if (raised)
			identity_lower();
		return dk_fail(err, "%s: no such store (create one with 'docket init %s')",
			       path, path);
	}
	store *s = dk_xmalloc(sizeof *s);
	memset(s, 0, sizeof *s);
	s->path = dk_xstrdup(path);
	s->durable = 1;
	s->raised = raised;
	if (sqlite3_open_v2(path, &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		store_fail(s, err, "cannot open");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_handler(s->db, store_busy, s);
	/* A store of a newer docket, or an SQLite file that is not a store, is
	 * refused before anything below could write to it (journal_mode=WAL
	 * rewrites the header of a file not yet in WAL mode). */
	if (store_refuse_foreign(s, err))
		goto fail;
	/* journal_mode=WAL also reads the header: a non-database file fails
	 * here with SQLite's "file is not a database". */
	if (store_exec(s,
		       "PRAGMA journal_mode=WAL;"
		       "PRAGMA foreign_keys=ON;"
		       "PRAGMA recursive_triggers=ON;"
		       "PRAGMA synchronous=FULL;"
		       "PRAGMA temp_store=MEMORY;"
		       "PRAGMA cache_size=-16384;"
		       "PRAGMA journal_size_limit=67108864;",
		       err))
		goto fail;
	s->wal = store_journal_is_wal(s);
	if (s->wal)
		sqlite3_wal_hook(s->db, store_wal_hook, s);
	if (store_migrate(s, err))
		goto fail;
	if (s->raised)
		identity_lower();
	*out = s;
	return DK_OK;
fail:
	if (s->raised)
		identity_lower();
	store_close(s);
	if (created) {
		/* A store this call created and could not set up (a full disk,
		 * say) is not left behind as an empty or half-made file. */
		static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
		char p[PATH_MAX];
		for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
			snprintf(p, sizeof p, "%s%s", path, suffix[i]);
			unlink(p);
		}
	}
	return DK_ERR;
}

void store_close(store *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].st);
	/* The last connection to close removes the -wal and -shm: that
	 * needs the group's right to the directory. */
	int raised = s->raised && identity_raise();
	sqlite3_close(s->db);
	if (raised)
		identity_lower();
	free(s->path);
	free(s);
}

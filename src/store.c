/* store.c: the store, whatever its engine. Picks the engine from what the
 * store is named by (a file path or a PostgreSQL URI), keeps the cache of
 * prepared statements, and holds what is written once for both engines:
 * settings, counters, the rows that seed a new store. Statement calls (db.h)
 * dispatch to the engine here too. */
#include "docket/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "docket/clock.h"
#include "docket/identity.h"
#include "engine/engine.h"

int store_target_is_uri(const char *target)
{
	return target && (!strncmp(target, "postgresql://", 13) ||
			  !strncmp(target, "postgres://", 11));
}

enum store_engine store_engine(const store *s)
{
	return s->eng->kind;
}

int store_fail(store *s, dk_error *err, const char *what)
{
	char buf[512];
	const char *msg = s && s->eng ? s->eng->errmsg(s, buf, sizeof buf) : "no store";
	return dk_fail(err, "%s: %s: %s", s && s->path ? s->path : "store", what, msg);
}

const char *store_path(const store *s)
{
	return s->path;
}

int store_exec(store *s, const char *sql, dk_error *err)
{
	return s->eng->exec(s, sql, err);
}

db_stmt *store_stmt(store *s, const char *sql, dk_error *err)
{
	for (int i = 0; i < s->ncache; i++) {
		if (s->cache[i].sql == sql) {
			db_stmt *st = s->cache[i].st;
			s->eng->clear(st);
			return st;
		}
	}
	db_stmt *st = s->eng->prepare(s, sql, err);
	if (!st)
		return NULL;
	if (s->ncache < STORE_STMT_CACHE) {
		s->cache[s->ncache].sql = sql;
		s->cache[s->ncache].st = st;
		s->ncache++;
	} else {
		/* Cache full: a programming error (more distinct statements than
		 * expected); keep working by evicting the oldest entry. */
		s->eng->finalize(s->cache[0].st);
		memmove(&s->cache[0], &s->cache[1],
			sizeof s->cache[0] * (STORE_STMT_CACHE - 1));
		s->cache[STORE_STMT_CACHE - 1].sql = sql;
		s->cache[STORE_STMT_CACHE - 1].st = st;
	}
	return st;
}

int store_done(db_stmt *st)
{
	return st ? st->eng->reset(st) : DB_OK;
}

void store_cache_clear(store *s)
{
	for (int i = 0; i < s->ncache; i++)
		s->eng->finalize(s->cache[i].st);
	s->ncache = 0;
}

int store_begin_write(store *s, dk_error *err)
{
	return s->eng->begin(s, ENGINE_WRITE, err);
}

int store_copy_supported(const store *s)
{
	return s->eng->copy_begin != NULL;
}

int store_copy_begin(store *s, const char *table, const char *columns,
		     dk_error *err)
{
	if (!s->eng->copy_begin)
		return dk_fail(err, "%s: internal error: no bulk load on %s",
			       s->path, s->eng->name);
	return s->eng->copy_begin(s, table, columns, err);
}

void store_copy_row(store *s, const char *const *v, const int *len, int n)
{
	s->eng->copy_row(s, v, len, n);
}

int store_copy_end(store *s)
{
	return s->eng->copy_end(s);
}

int store_begin_write_rows(store *s, dk_error *err)
{
	return s->eng->begin(s, ENGINE_WRITE_ROWS, err);
}

int store_begin_write_relaxed(store *s, dk_error *err)
{
	return s->eng->begin(s, ENGINE_WRITE_RELAXED, err);
}

int store_begin_bulk(store *s, dk_error *err)
{
	return s->eng->begin(s, ENGINE_WRITE_BULK, err);
}

int store_begin_read(store *s, dk_error *err)
{
	return s->eng->begin(s, ENGINE_READ, err);
}

int store_commit(store *s, dk_error *err)
{
	return s->eng->commit(s, err);
}

int store_step_commit(db_stmt *st, int *step, dk_error *err)
{
	if (st->eng->step_commit)
		return st->eng->step_commit(st, step, err);
	*step = db_step(st);
	if (*step != DB_ROW && *step != DB_DONE)
		return store_fail(st->s, err, "writing");
	return store_commit(st->s, err);
}

void store_rollback(store *s)
{
	s->eng->rollback(s);
}

int store_in_txn(store *s)
{
	return s->eng->in_txn(s);
}

int store_set_durable(store *s, int durable, dk_error *err)
{
	return s->eng->set_durable(s, durable, err);
}

int store_chain_lock(store *s, dk_error *err)
{
	return s->eng->chain_lock(s, err);
}

int store_retry(store *s, int *tries)
{
	if (!s->eng->conflicted || !s->eng->conflicted(s) || *tries >= STORE_RETRIES)
		return 0;
	store_rollback(s);
	(*tries)++;
	/* 1-8 ms, then more: the victim's rival finishes first (it
	 * holds what the victim waited for), and two victims of one
	 * cycle should not meet again at once */
	static unsigned rnd;
	if (!rnd)
		rnd = ((unsigned)getpid() * 2654435761u) | 1;
	rnd ^= rnd << 13;
	rnd ^= rnd >> 17;
	rnd ^= rnd << 5;
	struct timespec ts = {0, (long)(1000 + rnd % 7000) * 1000L * *tries};
	nanosleep(&ts, NULL);
	return 1;
}

int64_t store_changes(store *s)
{
	return s->eng->changes(s);
}

int64_t store_last_id(store *s)
{
	return s->eng->last_id(s);
}

int store_explain(store *s, const char *sql, sbuf *out, dk_error *err)
{
	return s->eng->explain(s, sql, out, err);
}

int store_schema_version(store *s)
{
	return s->eng->schema_version(s);
}

int store_meta_get(store *s, const char *key, char **out, dk_error *err)
{
	*out = NULL;
	db_stmt *st = store_stmt(s, "SELECT value FROM meta WHERE key = ?1", err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, key, -1, DB_STATIC);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*out = dk_xstrdup((const char *)db_col_text(st, 0));
	store_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_fail(s, err, "reading a setting");
	return DK_OK;
}

int store_meta_set(store *s, const char *key, const char *value, dk_error *err)
{
	db_stmt *st = store_stmt(
		s,
		"INSERT INTO meta(key, value) VALUES (?1, ?2)"
		" ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, key, -1, DB_STATIC);
	db_bind_text(st, 2, value, -1, DB_STATIC);
	int rc = db_step(st);
	store_done(st);
	return rc == DB_DONE ? DK_OK : store_fail(s, err, "writing a setting");
}

int store_counter_add(store *s, int64_t model_id, const char *state, int64_t n,
		      dk_error *err)
{
	/* PostgreSQL: counters is a view over per-session shards (pg_schema.c)
	 * whose insert adds to shard 0. */
	db_stmt *st = store_stmt(
		s,
		store_engine(s) == STORE_POSTGRES
			? "INSERT INTO counters(model_id, state, n) VALUES (?1, ?2, ?3)"
			: "INSERT INTO counters(model_id, state, n) VALUES (?1, ?2, ?3)"
			  " ON CONFLICT (model_id, state) DO UPDATE SET n = counters.n + ?3",
		err);
	if (!st)
		return DK_ERR;
	db_bind_int64(st, 1, model_id);
	db_bind_text(st, 2, state, -1, DB_STATIC);
	db_bind_int64(st, 3, n);
	int rc = db_step(st);
	store_done(st);
	return rc == DB_DONE ? DK_OK : store_fail(s, err, "updating counters");
}

int store_seed(store *s, dk_error *err)
{
	char now[32];
	int64_t ms = clock_now_ms();
	snprintf(now, sizeof now, "%lld", (long long)ms);
	if (store_meta_set(s, "created_at", now, err) ||
	    store_meta_set(s, "created_by", dk_login_name(), err))
		return DK_ERR;
	db_stmt *st = store_stmt(
		s,
		"INSERT INTO reviewers(name, role, added_at, added_by)"
		" VALUES (?1, 'supervisor', ?2, ?1)",
		err);
	if (!st)
		return DK_ERR;
	db_bind_text(st, 1, dk_login_name(), -1, DB_STATIC);
	db_bind_int64(st, 2, ms);
	int rc = db_step(st);
	store_done(st);
	return rc == DB_DONE ? DK_OK
			     : store_fail(s, err, "adding the first supervisor");
}

/* A URI as messages show it: without its password (user:PASSWORD@ or a
 * password=... parameter). */
static char *store_uri_shown(const char *uri)
{
	sbuf b = {0};
	const char *p = strstr(uri, "://") + 3;
	const char *at = p + strcspn(p, "/?#@");
	const char *colon = memchr(p, ':', (size_t)(at - p));
	if (*at == '@' && colon) {
		sbuf_add(&b, uri, (size_t)(colon - uri));
		p = at;
	} else {
		sbuf_add(&b, uri, (size_t)(p - uri));
	}
	/* the part before the query, then the parameters but password */
	size_t n = strcspn(p, "?");
	sbuf_add(&b, p, n);
	p += n;
	char sep = '?';
	while (*p) {
		p++; /* '?' or '&' */
		n = strcspn(p, "&");
		if (strncmp(p, "password=", 9)) {
			sbuf_addc(&b, sep);
			sbuf_add(&b, p, n);
			sep = '&';
		}
		p += n;
	}
	sbuf_addc(&b, '\0');
	return b.buf;
}

int store_open(store **out, const char *target, unsigned flags, dk_error *err)
{
	*out = NULL;
	store *s = dk_xmalloc(sizeof *s);
	memset(s, 0, sizeof *s);
	s->flags = flags;
	if (store_target_is_uri(target)) {
		s->eng = &engine_pg;
		s->path = store_uri_shown(target);
	} else {
		s->eng = &engine_sqlite;
		s->path = dk_xstrdup(target);
	}
	/* A store of a setgid install's group is opened with that group;
	 * the group is dropped again before this returns. */
	s->raised = s->eng->kind == STORE_SQLITE && identity_raise_for_store(target);
	int rc = s->eng->open(s, target, flags, err);
	if (s->raised)
		identity_lower();
	if (rc) {
		store_close(s);
		return DK_ERR;
	}
	*out = s;
	return DK_OK;
}

void store_close(store *s)
{
	if (!s)
		return;
	store_cache_clear(s);
	s->eng->close(s);
	free(s->path);
	free(s);
}

/* Statements: one indirect call into the engine. */

int db_bind_int64(db_stmt *st, int i, int64_t v)
{
	return st->eng->bind_int64(st, i, v);
}

int db_bind_int(db_stmt *st, int i, int v)
{
	return st->eng->bind_int64(st, i, v);
}

int db_bind_double(db_stmt *st, int i, double v)
{
	return st->eng->bind_double(st, i, v);
}

int db_bind_text(db_stmt *st, int i, const char *v, int len, int copy)
{
	return st->eng->bind_text(st, i, v, len, copy);
}

int db_bind_null(db_stmt *st, int i)
{
	return st->eng->bind_null(st, i);
}

int db_bind_blob(db_stmt *st, int i, const void *v, int len, int copy)
{
	return st->eng->bind_blob(st, i, v, len, copy);
}

int db_step(db_stmt *st)
{
	return st->eng->step(st);
}

int db_reset(db_stmt *st)
{
	return st->eng->reset(st);
}

int64_t db_col_int64(db_stmt *st, int i)
{
	return st->eng->col_int64(st, i);
}

int db_col_int(db_stmt *st, int i)
{
	return (int)st->eng->col_int64(st, i);
}

double db_col_double(db_stmt *st, int i)
{
	return st->eng->col_double(st, i);
}

const unsigned char *db_col_text(db_stmt *st, int i)
{
	return st->eng->col_text(st, i);
}

int db_col_bytes(db_stmt *st, int i)
{
	return st->eng->col_bytes(st, i);
}

int db_col_type(db_stmt *st, int i)
{
	return st->eng->col_type(st, i);
}

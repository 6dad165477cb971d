/* pg.c: the PostgreSQL engine: a store in the schema `docket` of a
 * database named by a libpq URI. Statements are the modules' SQL with ?N
 * rewritten to $N and SQLite's planner hints dropped (INDEXED BY, NOT
 * INDEXED, a unary + on a column), prepared on the server the first time
 * they run, with parameter types taken from the first bindings (a NULL's
 * from the server, pg_param_types); a result is fetched whole and stepped
 * row by row, in text, and columns are read as SQLite would give them.
 * (Whole results: an export or a full scan holds its page in memory; the
 * modules page their big reads, a cursor would be the next step.) */
#include <ctype.h>
#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docket/replay.h"
#include "docket/testhook.h"
#include "pg.h"

/* pg_advisory_xact_lock(class, key): class 1684234091 is "dc_k" in
 * ASCII (meant as "dock"; it stays, since every docket sharing a store
 * must take the same locks, and the functions in the schema name it). The
 * writer lock makes a write transaction the store's only writer until it
 * ends, as SQLite's BEGIN IMMEDIATE does: every module's read-then-write
 * was written for that, and stays correct under PostgreSQL's READ
 * COMMITTED with it. Relaxed transactions (claims, lease renewals and
 * releases: queue.c) and decisions (store_begin_write_rows) do not take
 * it: they lock the rows they change (FOR UPDATE SKIP LOCKED, the
 * reclaim's DELETE first, a decision's lock on its lease, then its case),
 * and appends to the log take the chain lock (audit_append). Both locks
 * are held to the end of the transaction, whose commit does not wait for
 * the disk (pg_flush waits after it). */
#define PG_LOCK(key) "SELECT pg_advisory_xact_lock(1684234091, " #key ")"
#define PG_LOCK_WRITER PG_LOCK(1)
#define PG_LOCK_CREATE PG_LOCK(2)
#define PG_LOCK_CHAIN PG_LOCK(3) /* also in chain_head(), pg_schema.c */

/* Type oids (pg_type.h is server-side). */
enum {
	PG_BOOL = 16,
	PG_INT8 = 20,
	PG_INT2 = 21,
	PG_INT4 = 23,
	PG_TEXT = 25,
	PG_OID = 26,
	PG_FLOAT4 = 700,
	PG_FLOAT8 = 701,
	PG_NUMERIC = 1700,
	PG_BYTEA = 17,
	PG_JSON = 114,
};

/* The connection (store.conn). */
struct pg {
	PGconn *c;
	int64_t changes;  /* rows of the last INSERT/UPDATE/DELETE */
	int next_name;    /* prepared statements are named dk1, dk2, ... */
	int durable;      /* store_set_durable: 1 (the default) */
	int sync_after;   /* the open write transaction is made durable after
			     its COMMIT (pg_flush) */
	sbuf copy;        /* COPY rows not yet sent */
	int copy_failed;  /* sending them failed (the reason: msg) */
	unsigned session; /* counts reconnections (pg_revive) */
	int txn;          /* inside a transaction docket began */
	const char *const *pending; /* its BEGIN's statements, not yet sent
				       (NULL-terminated; pg_begin) */
	char sqlstate[6]; /* of the last error */
	char msg[512];    /* the last error, for errmsg */
	char lock_wait[32]; /* the session's lock_timeout (PG_LOCK_WAIT) */
};

struct pg_param {
	const char *v; /* NULL: SQL NULL */
	char *own;     /* v when owned */
	Oid type;
	char num[32];  /* a number's text */
};

struct pg_stmt {
	struct db_stmt base;
	char *sql;     /* rewritten: $N, no hints */
	char *orig;    /* as the module wrote it */
	int nparam;
	struct pg_param *p;
	char name[16]; /* "" until prepared */
	unsigned session; /* the session it was prepared in */
	Oid *types;    /* the types it was prepared with */
	PGresult *res; /* the result being stepped */
	int row, nrows;
	int rc;        /* the last step's result */
	char **conv;   /* json cells of the current row as SQLite gives them */
	int nconv;
};

#define PG(s) ((struct pg *)(s)->conn)
#define PST(x) ((struct pg_stmt *)(x))

/* Errors. */

/* libpq's message about a connection on one line, as docket's messages
 * are: its lines ("server closed the connection unexpectedly\n\tThis
 * probably means ...") joined with "; ", the trailing newline dropped. */
static void pg_conn_msg(char *out, size_t len, const char *m)
{
	size_t o = 0;
	int gap = 0;
	for (; *m && o + 3 < len; m++) {
		if (*m == '\n' || *m == '\r') {
			gap = 1;
			continue;
		}
		if (gap) {
			while (*m == ' ' || *m == '\t')
				m++;
			if (!*m)
				break;
			out[o++] = ';';
			out[o++] = ' ';
			gap = 0;
		}
		out[o++] = *m == '\t' ? ' ' : *m;
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

static void pg_notice(void *arg, const char *msg);

/* Who holds the lock a statement of this session waited for until
 * lock_timeout, in out ("alice (pid 4242), ..."; "" when none is found):
 * asked on a connection of its own (this one's transaction has failed),
 * made as this one was. Two kinds of lock are named: the row the error's
 * context names ("while locking tuple (0,5) in relation \"cases\"": its
 * xmax is the transaction holding it), and docket's advisory locks
 * (pg.c's chain and writer locks, the floor's: pg_floor.c), which a
 * reviewer at a psql prompt can take too. */
static void pg_lock_holders(struct pg *P, const char *ctx, char *out, size_t n)
{
	out[0] = '\0';
	char rel[64] = "", tid[32] = "";
	const char *t = ctx ? strstr(ctx, " tuple (") : NULL;
	const char *in = t ? strstr(t, ") in relation \"") : NULL;
	if (t && in && (size_t)(in - t - 7) < sizeof tid - 1) {
		snprintf(tid, sizeof tid, "%.*s", (int)(in - t - 6), t + 7);
		const char *r = in + 15;
		size_t k = 0;
		while (k < sizeof rel - 1 && ((r[k] >= 'a' && r[k] <= 'z') ||
					      r[k] == '_'))
			k++;
		if (r[k] == '"')
			snprintf(rel, sizeof rel, "%.*s", (int)k, r);
	}
	PQconninfoOption *opts = PQconninfo(P->c);
	const char *kw[64], *val[64];
	int k = 0;
	for (PQconninfoOption *o = opts; o && o->keyword && k < 62; o++)
		if (o->val && strcmp(o->keyword, "connect_timeout")) {
			kw[k] = o->keyword;
			val[k++] = o->val;
		}
	kw[k] = "connect_timeout";
	val[k++] = "5";
	kw[k] = val[k] = NULL;
	PGconn *c = PQconnectdbParams(kw, val, 0);
	PQconninfoFree(opts);
	if (PQstatus(c) != CONNECTION_OK) {
		PQfinish(c);
		return;
	}
	PQsetNoticeProcessor(c, pg_notice, NULL);
	char xmax[32] = "NULL", sql[1024];
	if (rel[0]) {
		/* (a reader without SELECT on the table learns nothing) */
		snprintf(sql, sizeof sql, "SELECT xmax FROM " PG_SCHEMA
			 ".\"%s\" WHERE ctid = CAST($1 AS tid)", rel);
		const char *p1[1] = {tid};
		PGresult *r = PQexecParams(c, sql, 1, NULL, p1, NULL, NULL, 0);
		const char *x = PQresultStatus(r) == PGRES_TUPLES_OK &&
					PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "";
		if (x[0] && strspn(x, "0123456789") == strlen(x) && strlen(x) < 12)
			snprintf(xmax, sizeof xmax, "'%s'", x);
		PQclear(r);
	}
	/* (the numbers written in: this pid, and xmax, digits only) */
	snprintf(sql, sizeof sql,
		"SELECT string_agg(h.who, ', ' ORDER BY h.k, h.pid) FROM"
		" (SELECT DISTINCT ON (l.pid) l.pid, l.locktype <> 'transactionid'"
		"  AS k, coalesce(CAST(a.usename AS text), 'a session') || ' (pid '"
		"  || l.pid || ')' AS who FROM pg_locks l"
		"  LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
		"  WHERE l.granted AND l.pid <> %d"
		"  AND ((l.locktype = 'transactionid'"
		"    AND l.transactionid = CAST(%s AS xid))"
		"   OR (l.locktype = 'advisory' AND l.objsubid = 2"
		"    AND l.mode = 'ExclusiveLock'"
		"    AND l.classid IN (1684234091, 1685021548)"
		"    AND l.database = (SELECT d.oid FROM pg_database d"
		"      WHERE d.datname = current_database())))"
		"  ORDER BY l.pid, k) h", PQbackendPID(P->c), xmax);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		snprintf(out, n, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	PQfinish(c);
}

/* A lock waited for until lock_timeout: said so, with who holds it, and
 * not as a conflict to retry (55P03 is also NOWAIT's answer, which is):
 * whoever holds it has held it for all that time. */
static void pg_lock_waited(store *s, const PGresult *r)
{
	struct pg *P = PG(s);
	char who[256];
	pg_lock_holders(P, PQresultErrorField(r, PG_DIAG_CONTEXT), who, sizeof who);
	const char *pid = strrchr(who, '(');
	if (who[0] && pid)
		snprintf(P->msg, sizeof P->msg,
			 "waited %s for a lock that %s holds: a transaction "
			 "left open? (the database administrator may end it: "
			 "SELECT pg_terminate_backend(%.*s))",
			 P->lock_wait, who, (int)strcspn(pid + 5, ")"), pid + 5);
	else
		snprintf(P->msg, sizeof P->msg,
			 "waited %s for a lock another session holds "
			 "(pg_locks and pg_stat_activity say which)",
			 P->lock_wait);
	snprintf(P->sqlstate, sizeof P->sqlstate, "57014");
}

static void pg_set_error(store *s, const PGresult *r)
{
	struct pg *P = PG(s);
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	snprintf(P->sqlstate, sizeof P->sqlstate, "%s", state ? state : "");
	if (PQstatus(P->c) == CONNECTION_BAD) {
		char m[sizeof P->msg - 64];
		pg_conn_msg(m, sizeof m, PQerrorMessage(P->c));
		snprintf(P->msg, sizeof P->msg,
			 "lost the connection to the database: %s", m[0] ? m : "no reply");
		snprintf(P->sqlstate, sizeof P->sqlstate, "08006");
		return;
	}
	if (primary && !strcmp(P->sqlstate, "55P03") &&
	    strstr(primary, "lock timeout")) {
		pg_lock_waited(s, r);
		return;
	}
	if (primary) {
		snprintf(P->msg, sizeof P->msg, "%s", primary);
		return;
	}
	const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(P->c);
	size_t n = strlen(m);
	while (n && m[n - 1] == '\n')
		n--;
	snprintf(P->msg, sizeof P->msg, "%.*s", (int)n, n ? m : "unknown error");
}

/* SQLSTATE to db.h's codes. */
static int pg_code(const char *state)
{
	if (!strcmp(state, "23505"))
		return DB_CONSTRAINT_UNIQUE;
	if (!strncmp(state, "23", 2))
		return DB_CONSTRAINT;
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") ||
	    !strcmp(state, "55P03"))
		return DB_BUSY;
	return DB_ERROR;
}

static const char *pg_errmsg(store *s, char *buf, size_t len)
{
	if (!s->conn) {
		snprintf(buf, len, "no connection");
		return buf;
	}
	snprintf(buf, len, "%s", PG(s)->msg[0] ? PG(s)->msg : "no error");
	return buf;
}

/* How long a statement waits for a lock before it fails saying who holds
 * it (pg_lock_waited), unless the session has a lock_timeout already (an
 * administrator's ALTER ROLE ... SET lock_timeout, PGOPTIONS): a reviewer
 * at a psql prompt holding docket's advisory locks, or rows it may lock,
 * would otherwise stop every decision and import with nothing said.
 * Longer than any lock docket's own transactions hold in use (the chain
 * lock is held for milliseconds; the writer lock for an import or a
 * re-route, a minute at most at a million cases). */
#define PG_LOCK_WAIT "60s"

/* What every session of docket's sets first. Its text is UTF-8 whatever
 * the database's encoding (libpq would take the database's): the server
 * converts it, or refuses a character the database cannot hold, and the
 * hash the database checks (entry_hash) sees the bytes docket hashed. */
#define PG_SESSION_SETUP                                                    \
	"SET search_path = " PG_SCHEMA ", pg_catalog;"                      \
	" SET client_encoding = 'UTF8';"                                    \
	" SET synchronous_commit = on;"                                     \
	" SET client_min_messages = warning;"                               \
	" SELECT CASE WHEN current_setting('lock_timeout') = '0' THEN"      \
	" set_config('lock_timeout', '" PG_LOCK_WAIT "', false) END"

/* Run SQL without parameters (several statements allowed), now. */
static int pg_run_now(store *s, const char *sql)
{
	PGresult *r = PQexec(PG(s)->c, sql);
	ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	int ok = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;
	if (!ok)
		pg_set_error(s, r);
	PQclear(r);
	return ok ? DK_OK : DK_ERR;
}

/* The transaction pg_begin left to start with the first statement, started
 * now, on its own (a statement that is not a prepared one's step). */
static int pg_begun(store *s)
{
	struct pg *P = PG(s);
	const char *const *b = P->pending;
	P->pending = NULL;
	for (; b && *b; b++)
		if (pg_run_now(s, *b))
			return DK_ERR;
	return DK_OK;
}

/* Run SQL without parameters (several statements allowed), in the
 * transaction begun. */
static int pg_run(store *s, const char *sql)
{
	return pg_begun(s) ? DK_ERR : pg_run_now(s, sql);
}

static int pg_exec(store *s, const char *sql, dk_error *err)
{
	if (pg_run(s, sql)) {
		dk_fail(err, "%s: %s", s->path, PG(s)->msg);
		return DK_ERR;
	}
	return DK_OK;
}

/* One value of a query without parameters: a malloc'd copy, or NULL (no
 * row, NULL, or an error). */
static char *pg_value(store *s, const char *sql)
{
	if (pg_begun(s))
		return NULL;
	PGresult *r = PQexec(PG(s)->c, sql);
	char *v = NULL;
	if (r && PQresultStatus(r) == PGRES_TUPLES_OK) {
		if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
			v = dk_xstrdup(PQgetvalue(r, 0, 0));
	} else {
		pg_set_error(s, r);
	}
	PQclear(r);
	return v;
}

/* SQL: ?N -> $N (a bare ? takes the next number, as in SQLite), and
 * SQLite's planner hints (INDEXED BY name, NOT INDEXED) dropped; quoted
 * strings, identifiers and comments are copied as they are. */

static int pg_word(const char *p, const char *w)
{
	size_t n = strlen(w);
	return !strncasecmp(p, w, n) && !isalnum((unsigned char)p[n]) && p[n] != '_';
}

/* 1 when a '+' written after what b holds is a unary plus (it follows an
 * operator, a parenthesis, a comma or a keyword, not an operand). */
static int pg_unary(const sbuf *b)
{
	size_t n = b->len;
	while (n && isspace((unsigned char)b->buf[n - 1]))
		n--;
	if (!n || strchr("(,=<>", b->buf[n - 1]))
		return 1;
	static const char *const kw[] = {"AND", "OR", "NOT", "WHERE", "ON",
					 "WHEN", "THEN", "ELSE", "SELECT", "BY"};
	for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++) {
		size_t k = strlen(kw[i]);
		if (n >= k && !strncasecmp(b->buf + n - k, kw[i], k) &&
		    (n == k || !(isalnum((unsigned char)b->buf[n - k - 1]) ||
				 b->buf[n - k - 1] == '_')))
			return 1;
	}
	return 0;
}

/* With probe set, `?N IS NULL` becomes FALSE and `?N IS NOT NULL` TRUE:
 * the statement pg_param_types asks the server to infer types from. */
static char *pg_rewrite(const char *sql, int *nparam, int probe)
{
	sbuf b = {0};
	int maxn = 0;
	const char *p = sql;
	while (*p) {
		char c = *p;
		if (c == '\'' || c == '"') {
			const char *q = p + 1;
			while (*q && !(*q == c && q[1] != c))
				q += *q == c ? 2 : 1;
			if (*q)
				q++;
			sbuf_add(&b, p, (size_t)(q - p));
			p = q;
		} else if (c == '-' && p[1] == '-') {
			const char *q = strchr(p, '\n');
			q = q ? q : p + strlen(p);
			sbuf_add(&b, p, (size_t)(q - p));
			p = q;
		} else if (c == '/' && p[1] == '*') {
			const char *q = strstr(p + 2, "*/");
			q = q ? q + 2 : p + strlen(p);
			sbuf_add(&b, p, (size_t)(q - p));
			p = q;
		} else if (c == '?') {
			int n = 0;
			p++;
			if (isdigit((unsigned char)*p))
				while (isdigit((unsigned char)*p))
					n = n * 10 + (*p++ - '0');
			else
				n = maxn + 1;
			if (n > maxn)
				maxn = n;
			const char *q = p;
			while (probe && isspace((unsigned char)*q))
				q++;
			if (probe && pg_word(q, "IS")) {
				q += 2;
				while (isspace((unsigned char)*q))
					q++;
				int not = pg_word(q, "NOT");
				if (not) {
					q += 3;
					while (isspace((unsigned char)*q))
						q++;
				}
				if (pg_word(q, "NULL")) {
					sbuf_adds(&b, not ? "TRUE" : "FALSE");
					p = q + 4;
					continue;
				}
			}
			char num[16];
			snprintf(num, sizeof num, "$%d", n);
			sbuf_adds(&b, num);
		} else if ((p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
			   (pg_word(p, "INDEXED") || pg_word(p, "NOT"))) {
			/* INDEXED BY name | NOT INDEXED */
			const char *q = p;
			int hint = 0;
			if (pg_word(q, "INDEXED")) {
				q += 7;
				while (isspace((unsigned char)*q))
					q++;
				if (pg_word(q, "BY")) {
					q += 2;
					while (isspace((unsigned char)*q))
						q++;
					while (isalnum((unsigned char)*q) || *q == '_')
						q++;
					hint = 1;
				}
			} else {
				q += 3;
				while (isspace((unsigned char)*q))
					q++;
				if (pg_word(q, "INDEXED")) {
					q += 7;
					hint = 1;
				}
			}
			if (hint) {
				p = q;
			} else {
				/* copy the word */
				const char *e = p;
				while (isalnum((unsigned char)*e) || *e == '_')
					e++;
				sbuf_add(&b, p, (size_t)(e - p));
				p = e;
			}
		} else if ((p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
			   pg_word(p, "LIMIT") && p[5] == ' ' && p[6] == '?' &&
			   isdigit((unsigned char)p[7])) {
			/* SQLite's negative LIMIT is no limit; PostgreSQL's is
			 * NULL */
			int n = (int)strtol(p + 7, NULL, 10);
			const char *e = p + 7;
			while (isdigit((unsigned char)*e))
				e++;
			if (n > maxn)
				maxn = n;
			char lim[96];
			snprintf(lim, sizeof lim,
				 "LIMIT CASE WHEN $%d < 0 THEN NULL ELSE $%d END", n, n);
			sbuf_adds(&b, lim);
			p = e;
		} else if (c == '+' && (isalpha((unsigned char)p[1]) || p[1] == '_') &&
			   pg_unary(&b)) {
			/* +column: SQLite's way of keeping a term off an index */
			p++;
		} else if (isalnum((unsigned char)c) || c == '_') {
			const char *e = p;
			while (isalnum((unsigned char)*e) || *e == '_' || *e == '$')
				e++;
			sbuf_add(&b, p, (size_t)(e - p));
			p = e;
		} else {
			sbuf_addc(&b, c);
			p++;
		}
	}
	*nparam = maxn;
	sbuf_addc(&b, '\0');
	return b.buf;
}

static int pg_in_txn(store *s)
{
	return PG(s)->pending || PQtransactionStatus(PG(s)->c) != PQTRANS_IDLE;
}

/* Statements. */

static const char *pg_json_text(db_stmt *st, int i, const char *v);
static int pg_json_type(const char *v);

static void pg_conv_free(struct pg_stmt *ps)
{
	for (int i = 0; i < ps->nconv; i++)
		free(ps->conv[i]);
	free(ps->conv);
	ps->conv = NULL;
	ps->nconv = 0;
}

static db_stmt *pg_prepare(store *s, const char *sql, dk_error *err)
{
	(void)err;
	struct pg_stmt *ps = dk_xmalloc(sizeof *ps);
	memset(ps, 0, sizeof *ps);
	ps->base.eng = &engine_pg;
	ps->base.s = s;
	ps->sql = pg_rewrite(sql, &ps->nparam, 0);
	ps->orig = dk_xstrdup(sql);
	if (ps->nparam) {
		ps->p = dk_xmalloc(sizeof *ps->p * (size_t)ps->nparam);
		memset(ps->p, 0, sizeof *ps->p * (size_t)ps->nparam);
		ps->types = dk_xmalloc(sizeof *ps->types * (size_t)ps->nparam);
	}
	ps->row = -1;
	return &ps->base;
}

static void pg_unbind(struct pg_param *p)
{
	free(p->own);
	p->own = NULL;
	p->v = NULL;
	p->type = 0;
}

static int pg_reset(db_stmt *st)
{
	struct pg_stmt *ps = PST(st);
	PQclear(ps->res);
	ps->res = NULL;
	pg_conv_free(ps);
	ps->row = -1;
	ps->nrows = 0;
	int rc = ps->rc;
	ps->rc = DB_OK;
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static void pg_clear(db_stmt *st)
{
	struct pg_stmt *ps = PST(st);
	pg_reset(st);
	for (int i = 0; i < ps->nparam; i++)
		pg_unbind(&ps->p[i]);
}

static void pg_finalize(db_stmt *st)
{
	struct pg_stmt *ps = PST(st);
	pg_clear(st);
	/* Deallocating on the server would cost a round trip per statement
	 * at close, when the session ends anyway; an early finalize while
	 * the connection lives leaves the prepared statement to the end of
	 * the session, unused. */
	free(ps->p);
	free(ps->types);
	free(ps->sql);
	free(ps->orig);
	free(ps);
}

static struct pg_param *pg_param(db_stmt *st, int i)
{
	struct pg_stmt *ps = PST(st);
	if (i < 1 || i > ps->nparam)
		return NULL;
	struct pg_param *p = &ps->p[i - 1];
	pg_unbind(p);
	return p;
}

static int pg_bind_int64(db_stmt *st, int i, int64_t v)
{
	struct pg_param *p = pg_param(st, i);
	if (!p)
		return 25; /* SQLite's SQLITE_RANGE */
	snprintf(p->num, sizeof p->num, "%lld", (long long)v);
	p->v = p->num;
	p->type = PG_INT8;
	return DB_OK;
}

static int pg_bind_double(db_stmt *st, int i, double v)
{
	struct pg_param *p = pg_param(st, i);
	if (!p)
		return 25;
	snprintf(p->num, sizeof p->num, "%.17g", v);
	p->v = p->num;
	p->type = PG_FLOAT8;
	return DB_OK;
}

/* 1 when the statement only reads (its first word is SELECT). */
static int pg_reads(const struct pg_stmt *ps)
{
	const char *q = ps->sql;
	while (isspace((unsigned char)*q))
		q++;
	return pg_word(q, "SELECT");
}

/* v[0..n) with each byte that starts no valid UTF-8 sequence replaced by
 * U+FFFD, NUL-terminated. */
static char *pg_utf8_fixed(const char *v, size_t n)
{
	sbuf b = {0};
	size_t i = 0;
	while (i < n) {
		size_t len = 1;
		while (len <= 4 && i + len <= n && !dk_utf8_valid(v + i, len))
			len++;
		if (len <= 4 && i + len <= n) {
			sbuf_add(&b, v + i, len);
			i += len;
		} else {
			sbuf_adds(&b, "\xEF\xBF\xBD");
			i++;
		}
	}
	sbuf_addc(&b, '\0');
	return b.buf;
}

static int pg_bind_text(db_stmt *st, int i, const char *v, int len, int copy)
{
	struct pg_param *p = pg_param(st, i);
	if (!p)
		return 25;
	if (!v)
		return DB_OK;
	size_t vn = len >= 0 ? (size_t)len : strlen(v);
	/* Every text this database holds is UTF-8, so text that is not
	 * (a name or id typed on the command line) matches nothing, as on
	 * SQLite; PostgreSQL would refuse the whole query instead. A read
	 * binds it made valid, and finds nothing; a write still fails. */
	if (!dk_utf8_valid(v, vn) && pg_reads(PST(st))) {
		p->own = pg_utf8_fixed(v, vn);
		p->v = p->own;
		p->type = PG_TEXT;
		return DB_OK;
	}
	/* Text parameters go NUL-terminated: copy unless it already is and
	 * outlives the statement's use. */
	if (len >= 0 || copy == DB_TRANSIENT) {
		size_t n = len >= 0 ? (size_t)len : strlen(v);
		p->own = dk_xmalloc(n + 1);
		memcpy(p->own, v, n);
		p->own[n] = '\0';
		p->v = p->own;
	} else {
		p->v = v;
	}
	p->type = PG_TEXT;
	return DB_OK;
}

static int pg_bind_null(db_stmt *st, int i)
{
	return pg_param(st, i) ? DB_OK : 25;
}

/* No column here holds bytes that are not text (the packed form is
 * SQLite's): as text. */
static int pg_bind_blob(db_stmt *st, int i, const void *v, int len, int copy)
{
	return pg_bind_text(st, i, v, len < 0 ? 0 : len, copy);
}

/* Run sql (no results wanted) under a savepoint when in a transaction, so
 * that its failure does not abort the transaction. Returns its result
 * status, with the error kept when it failed. */
static PGresult *pg_try(store *s, const char *name, const char *sql, int n,
			const Oid *types)
{
	struct pg *P = PG(s);
	int sp = PQtransactionStatus(P->c) == PQTRANS_INTRANS;
	if (sp && pg_run(s, "SAVEPOINT dk_try"))
		return NULL;
	PGresult *r = PQprepare(P->c, name, sql, n, types);
	int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		pg_set_error(s, r);
	if (sp) {
		char keep[sizeof P->msg], state[sizeof P->sqlstate];
		memcpy(keep, P->msg, sizeof keep);
		memcpy(state, P->sqlstate, sizeof state);
		pg_run(s, ok ? "RELEASE SAVEPOINT dk_try"
			     : "ROLLBACK TO SAVEPOINT dk_try; RELEASE SAVEPOINT dk_try");
		memcpy(P->msg, keep, sizeof keep);
		memcpy(P->sqlstate, state, sizeof state);
	}
	return r;
}

/* The types of parameters bound NULL, which the server cannot tell from
 * `?N IS NULL OR col = ?N` (the first use leaves it unknown): from the
 * statement with the IS NULL tests taken out, prepared unnamed and
 * described. A parameter used only in such tests is text. */
static int pg_param_types(struct pg_stmt *ps)
{
	store *s = ps->base.s;
	int unknown = 0;
	for (int i = 0; i < ps->nparam; i++)
		unknown += !ps->types[i];
	if (!unknown)
		return DK_OK;
	int n = 0;
	char *probe = pg_rewrite(ps->orig, &n, 1);
	/* named: the simple queries of pg_try's savepoint would drop an
	 * unnamed one */
	PGresult *r = NULL;
	int ok = 0;
	for (int tries = 0; tries <= ps->nparam; tries++) {
		r = pg_try(s, "dk_probe", probe, ps->nparam, ps->types);
		ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
		/* "could not determine data type of parameter $K": K is
		 * only tested for NULL, and text will do */
		const char *k = strstr(PG(s)->msg, "parameter $");
		int K = k ? atoi(k + 11) : 0;
		if (ok || strcmp(PG(s)->sqlstate, "42P18") || K < 1 ||
		    K > ps->nparam || ps->types[K - 1])
			break;
		ps->types[K - 1] = PG_TEXT;
	}
	if (!ok) {
		/* a parameter used only in IS NULL tests: text */
		for (int i = 0; i < ps->nparam; i++)
			if (!ps->types[i])
				ps->types[i] = PG_TEXT;
		free(probe);
		return DK_OK;
	}
	r = PQdescribePrepared(PG(s)->c, "dk_probe");
	if (r && PQresultStatus(r) == PGRES_COMMAND_OK)
		for (int i = 0; i < ps->nparam && i < PQnparams(r); i++)
			if (!ps->types[i])
				ps->types[i] = PQparamtype(r, i);
	PQclear(r);
	pg_run(s, "DEALLOCATE dk_probe");
	free(probe);
	return DK_OK;
}

/* Prepare on the server with the current bindings' types (NULL: left to
 * the server; when it cannot tell, text). Returns DK_OK or DK_ERR with
 * the error set. */
static int pg_server_prepare(struct pg_stmt *ps)
{
	store *s = ps->base.s;
	struct pg *P = PG(s);
	for (int i = 0; i < ps->nparam; i++)
		ps->types[i] = ps->p[i].type;
	if (pg_param_types(ps))
		return DK_ERR;
	for (int attempt = 0; attempt < 2; attempt++) {
		snprintf(ps->name, sizeof ps->name, "dk%d", ++P->next_name);
		PGresult *r = pg_try(s, ps->name, ps->sql, ps->nparam, ps->types);
		int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
		if (ok) {
			ps->session = P->session;
			return DK_OK;
		}
		ps->name[0] = '\0';
		/* "could not determine data type of parameter": a NULL where
		 * nothing says what it is, e.g. `?1 IS NULL`. */
		if (strcmp(P->sqlstate, "42P18") && strcmp(P->sqlstate, "42P08") &&
		    strcmp(P->sqlstate, "42725"))
			break;
		for (int i = 0; i < ps->nparam; i++)
			if (!ps->types[i])
				ps->types[i] = PG_TEXT;
	}
	return DK_ERR;
}

static int pg_revive(store *s);
static int pg_step(db_stmt *st);

/* Prepared on the server for the current bindings: a binding of another
 * type than the statement was prepared with (a NULL, then a number), or a
 * new session, prepares it again. DK_OK or DK_ERR with the error set. */
static int pg_ready(struct pg_stmt *ps)
{
	int same = ps->name[0] != '\0' && ps->session == PG(ps->base.s)->session;
	for (int i = 0; same && i < ps->nparam; i++)
		if (ps->p[i].type && ps->p[i].type != ps->types[i])
			same = 0;
	return same ? DK_OK : pg_server_prepare(ps);
}

/* The bound values, for PQexecPrepared (caller frees the array). */
static const char **pg_values(struct pg_stmt *ps)
{
	const char **vals = dk_xmalloc(sizeof *vals * (size_t)(ps->nparam + 1));
	for (int i = 0; i < ps->nparam; i++)
		vals[i] = ps->p[i].v;
	return vals;
}

/* Take r, ps's result (PQclear'd here on failure), and step to its first
 * row. */
static int pg_took(struct pg_stmt *ps, PGresult *r)
{
	store *s = ps->base.s;
	struct pg *P = PG(s);
	ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
		pg_set_error(s, r);
		PQclear(r);
		/* The server forgot it (a DEALLOCATE ALL, a pooler): again. */
		if (!strcmp(P->sqlstate, "26000"))
			ps->name[0] = '\0';
		return ps->rc = pg_code(P->sqlstate);
	}
	const char *cmd = PQcmdStatus(r);
	if (!strncmp(cmd, "INSERT", 6) || !strncmp(cmd, "UPDATE", 6) ||
	    !strncmp(cmd, "DELETE", 6))
		P->changes = strtoll(PQcmdTuples(r), NULL, 10);
	ps->res = r;
	ps->nrows = t == PGRES_TUPLES_OK ? PQntuples(r) : 0;
	ps->row = -1;
	return pg_step(&ps->base);
}

/* The result of the next query of a pipeline (NULL when the connection
 * failed), and the NULL that ends it. */
static PGresult *pg_next_result(PGconn *c)
{
	PGresult *r = PQgetResult(c);
	if (r && PQresultStatus(r) != PGRES_PIPELINE_SYNC) {
		PGresult *end = PQgetResult(c);
		PQclear(end);
	}
	return r;
}

/* One round trip: the pending BEGIN's statements (pg_begin), ps (prepared,
 * bound), and the tail's statements (COMMIT...), in one pipeline. *res
 * gets ps's result and tail[i]'s in res[1 + i] (NULL when not run); DK_ERR
 * with the error set when the BEGIN failed or nothing could be sent. */
static int pg_pipeline(struct pg_stmt *ps, const char *const *tail, int ntail,
		       PGresult **res)
{
	store *s = ps->base.s;
	struct pg *P = PG(s);
	const char *const *b = P->pending;
	P->pending = NULL;
	for (int i = 0; i <= ntail; i++)
		res[i] = NULL;
	const char **vals = pg_values(ps);
	int sent = PQenterPipelineMode(P->c);
	for (const char *const *q = b; sent && q && *q; q++)
		sent = PQsendQueryParams(P->c, *q, 0, NULL, NULL, NULL, NULL, 0);
	sent = sent && PQsendQueryPrepared(P->c, ps->name, ps->nparam, vals, NULL,
					   NULL, 0);
	for (int i = 0; sent && i < ntail; i++)
		sent = PQsendQueryParams(P->c, tail[i], 0, NULL, NULL, NULL, NULL, 0);
	sent = sent && PQpipelineSync(P->c);
	free(vals);
	int begun = sent;
	for (const char *const *q = b; sent && q && *q; q++) {
		PGresult *r = pg_next_result(P->c);
		ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
		if (begun && t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
			pg_set_error(s, r);
			begun = 0;
		}
		PQclear(r);
	}
	for (int i = 0; sent && i <= ntail; i++)
		res[i] = pg_next_result(P->c);
	PGresult *r;
	while (sent && (r = PQgetResult(P->c))) { /* to the sync */
		int sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
		PQclear(r);
		if (sync)
			break;
	}
	PQexitPipelineMode(P->c);
	if (!sent)
		pg_set_error(s, NULL);
	if (begun)
		return DK_OK;
	for (int i = 0; i <= ntail; i++) {
		PQclear(res[i]);
		res[i] = NULL;
	}
	return DK_ERR;
}

/* pg_step's first step in a transaction whose BEGIN is pending: both in
 * one round trip. A session found lost there (a server restarted since
 * the last transaction) is replaced and the two sent once more: nothing
 * was begun. */
static int pg_step_begun(struct pg_stmt *ps)
{
	store *s = ps->base.s;
	struct pg *P = PG(s);
	const char *const *b = P->pending;
	PGresult *r = NULL;
	for (int attempt = 0; attempt < 2; attempt++) {
		P->pending = b;
		if (!pg_ready(ps) && !pg_pipeline(ps, NULL, 0, &r))
			return pg_took(ps, r);
		P->pending = NULL;
		if (attempt || PQstatus(P->c) != CONNECTION_BAD || pg_revive(s))
			break;
	}
	return ps->rc = pg_code(P->sqlstate);
}

static int pg_step(db_stmt *st)
{
	struct pg_stmt *ps = PST(st);
	store *s = st->s;
	struct pg *P = PG(s);
	if (ps->res) {
		if (ps->row + 1 < ps->nrows) {
			pg_conv_free(ps);
			ps->row++;
			return ps->rc = DB_ROW;
		}
		return ps->rc = DB_DONE;
	}
	if (ps->rc != DB_OK) /* stepped to the end or failed: reset first */
		return ps->rc == DB_ROW ? DB_DONE : ps->rc;
	/* A read outside a transaction after a lost connection: a new
	 * session first, as pg_begin does. */
	if (!P->txn && PQstatus(P->c) == CONNECTION_BAD && pg_reads(ps) &&
	    pg_revive(s))
		return ps->rc = pg_code(P->sqlstate);
	if (P->pending)
		return pg_step_begun(ps);
	if (pg_ready(ps))
		return ps->rc = pg_code(P->sqlstate);
	const char **vals = pg_values(ps);
	PGresult *r = PQexecPrepared(P->c, ps->name, ps->nparam, vals, NULL, NULL, 0);
	free(vals);
	return pg_took(ps, r);
}

static const char *pg_cell(db_stmt *st, int i)
{
	struct pg_stmt *ps = PST(st);
	if (!ps->res || ps->row < 0 || ps->row >= ps->nrows || i < 0 ||
	    i >= PQnfields(ps->res) || PQgetisnull(ps->res, ps->row, i))
		return NULL;
	const char *v = PQgetvalue(ps->res, ps->row, i);
	return PQftype(ps->res, i) == PG_JSON ? pg_json_text(st, i, v) : v;
}

/* A json column (json_extract, json_each's value: pg_schema.c) read as
 * SQLite gives the JSON value: a string as its text, true and false as 1
 * and 0, null as NULL, a number as it is, a container minified. */

static int pg_hex4(const char *p)
{
	int v = 0;
	for (int k = 0; k < 4; k++) {
		char c = p[k];
		v = v * 16 + (isdigit((unsigned char)c) ? c - '0'
			      : c >= 'a' && c <= 'f' ? c - 'a' + 10
			      : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0);
		if (!isxdigit((unsigned char)c))
			return -1;
	}
	return v;
}

static void pg_utf8(sbuf *b, unsigned cp)
{
	char u[4];
	if (cp < 0x80) {
		sbuf_addc(b, (char)cp);
		return;
	}
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		sbuf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		sbuf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		sbuf_add(b, u, 4);
	}
}

/* The text of a JSON string (p at its opening quote). */
static char *pg_json_unquote(const char *p)
{
	sbuf b = {0};
	for (p++; *p && *p != '"'; p++) {
		if (*p != '\\') {
			sbuf_addc(&b, *p);
			continue;
		}
		p++;
		switch (*p) {
		case 'b': sbuf_addc(&b, '\b'); break;
		case 'f': sbuf_addc(&b, '\f'); break;
		case 'n': sbuf_addc(&b, '\n'); break;
		case 'r': sbuf_addc(&b, '\r'); break;
		case 't': sbuf_addc(&b, '\t'); break;
		case 'u': {
			int cp = pg_hex4(p + 1);
			if (cp < 0)
				break;
			p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && p[1] == '\\' && p[2] == 'u') {
				int lo = pg_hex4(p + 3);
				if (lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					p += 6;
				}
			}
			pg_utf8(&b, (unsigned)cp);
			break;
		}
		case '\0':
			p--;
			break;
		default: sbuf_addc(&b, *p); break;
		}
	}
	sbuf_addc(&b, '\0');
	return b.buf;
}

/* Whitespace outside strings removed. */
static char *pg_json_min(const char *p)
{
	sbuf b = {0};
	int in = 0;
	for (; *p; p++) {
		if (in) {
			sbuf_addc(&b, *p);
			if (*p == '\\' && p[1])
				sbuf_addc(&b, *++p);
			else if (*p == '"')
				in = 0;
		} else if (!isspace((unsigned char)*p)) {
			in = *p == '"';
			sbuf_addc(&b, *p);
		}
	}
	sbuf_addc(&b, '\0');
	return b.buf;
}

static const char *pg_json_text(db_stmt *st, int i, const char *v)
{
	struct pg_stmt *ps = PST(st);
	while (isspace((unsigned char)*v))
		v++;
	if (*v == 't' || *v == 'f')
		return *v == 't' ? "1" : "0";
	if (*v == 'n')
		return NULL;
	if (*v != '"' && *v != '{' && *v != '[')
		return v;
	if (!ps->conv) {
		ps->nconv = PQnfields(ps->res);
		ps->conv = dk_xmalloc(sizeof *ps->conv * (size_t)ps->nconv);
		memset(ps->conv, 0, sizeof *ps->conv * (size_t)ps->nconv);
	}
	if (!ps->conv[i])
		ps->conv[i] = *v == '"' ? pg_json_unquote(v) : pg_json_min(v);
	return ps->conv[i];
}

static int pg_json_type(const char *v)
{
	while (isspace((unsigned char)*v))
		v++;
	if (*v == 'n')
		return DB_NULL;
	if (*v == 't' || *v == 'f')
		return DB_INTEGER;
	if (*v == '"' || *v == '{' || *v == '[')
		return DB_TEXT;
	return strpbrk(v, ".eE") ? DB_FLOAT : DB_INTEGER;
}

static int64_t pg_col_int64(db_stmt *st, int i)
{
	const char *v = pg_cell(st, i);
	if (!v)
		return 0;
	if (PQftype(PST(st)->res, i) == PG_BOOL)
		return *v == 't';
	/* As SQLite reads text: a leading number (a real truncated). */
	if (strpbrk(v, ".eE"))
		return (int64_t)strtod(v, NULL);
	return strtoll(v, NULL, 10);
}

static double pg_col_double(db_stmt *st, int i)
{
	const char *v = pg_cell(st, i);
	if (!v)
		return 0.0;
	if (PQftype(PST(st)->res, i) == PG_BOOL)
		return *v == 't';
	return strtod(v, NULL);
}

static const unsigned char *pg_col_text(db_stmt *st, int i)
{
	const char *v = pg_cell(st, i);
	if (v && PQftype(PST(st)->res, i) == PG_BOOL)
		return (const unsigned char *)(*v == 't' ? "1" : "0");
	return (const unsigned char *)v;
}

static int pg_col_bytes(db_stmt *st, int i)
{
	const char *v = pg_cell(st, i);
	if (v && PQftype(PST(st)->res, i) == PG_BOOL)
		return 1;
	if (v && PQftype(PST(st)->res, i) == PG_JSON)
		return (int)strlen(v);
	return v ? PQgetlength(PST(st)->res, PST(st)->row, i) : 0;
}

static int pg_col_type(db_stmt *st, int i)
{
	const char *v = pg_cell(st, i);
	if (!v)
		return DB_NULL;
	switch (PQftype(PST(st)->res, i)) {
	case PG_JSON:
		return pg_json_type(PQgetvalue(PST(st)->res, PST(st)->row, i));
	case PG_BOOL:
	case PG_INT2:
	case PG_INT4:
	case PG_INT8:
	case PG_OID:
		return DB_INTEGER;
	case PG_FLOAT4:
	case PG_FLOAT8:
		return DB_FLOAT;
	case PG_NUMERIC: /* sum() of integers is numeric */
		return strpbrk(v, ".eEN") ? DB_FLOAT : DB_INTEGER;
	case PG_BYTEA:
		return DB_BLOB;
	default:
		return DB_TEXT;
	}
}

/* Transactions. */


/* After a lost connection (a server restarted, a network dropped), a new
 * session with the same parameters, between transactions only: whatever
 * the lost one had not committed is gone, and its caller was told so.
 * Statements are prepared again on their next use (pg_stmt.session).
 * DK_OK when connected, else DK_ERR with the error kept. */
static int pg_revive(store *s)
{
	struct pg *P = PG(s);
	if (PQstatus(P->c) == CONNECTION_OK)
		return DK_OK;
	PQreset(P->c);
	if (PQstatus(P->c) != CONNECTION_OK) {
		pg_set_error(s, NULL);
		return DK_ERR;
	}
	P->session++;
	return pg_run_now(s, PG_SESSION_SETUP);
}

static int pg_begin(store *s, enum engine_begin kind, dk_error *err)
{
	/* A durable write commits without waiting for the disk, so that its
	 * locks (the writer lock, the chain lock, the rows it changed) are
	 * not held through the WAL flush; pg_commit then waits for the flush
	 * before it returns (pg_flush). */
	static const char *const read[] = {"BEGIN ISOLATION LEVEL REPEATABLE READ",
					    NULL};
	static const char *const rows[] = {"BEGIN",
					    "SET LOCAL synchronous_commit = off", NULL};
	static const char *const write[] = {"BEGIN",
					     "SET LOCAL synchronous_commit = off",
					     PG_LOCK_WRITER, NULL};
	struct pg *P = PG(s);
	P->sync_after = kind != ENGINE_WRITE_RELAXED && P->durable;
	P->sqlstate[0] = '\0'; /* pg_conflicted: this transaction's own */
	/* A session lost since the last transaction: a new one (and one
	 * lost under BEGIN itself, which commits nothing: once more, where
	 * the BEGIN is sent, pg_step_begun). */
	if (pg_revive(s))
		return store_fail(s, err, kind == ENGINE_READ ? "starting a read"
							      : "starting a write");
	/* The BEGIN goes with the first statement, in one round trip
	 * (pg_step_begun): every transaction is one round trip shorter. */
	P->pending = kind == ENGINE_READ ? read
		     : kind == ENGINE_WRITE_RELAXED || kind == ENGINE_WRITE_ROWS
			     ? rows
			     /* ENGINE_WRITE, ENGINE_WRITE_BULK (an import: COPY) */
			     : write;
	P->txn = 1;
	/* Tests: the server ends this session (as a restart would) inside
	 * the first write; the write must fail with a clear message (a
	 * session lost between transactions is replaced: pg_revive). */
	if (kind != ENGINE_READ && testhook_fault("pg-lost"))
		pg_run(s, "SELECT pg_terminate_backend(pg_backend_pid())");
	return DK_OK;
}

static void pg_rollback(store *s)
{
	if (s->conn) {
		PG(s)->sync_after = 0;
		PG(s)->txn = 0;
		PG(s)->pending = NULL;
	}
	if (s->conn && PQstatus(PG(s)->c) == CONNECTION_OK && pg_in_txn(s)) {
		/* keep the error that made the caller roll back */
		char keep[sizeof PG(s)->msg];
		memcpy(keep, PG(s)->msg, sizeof keep);
		PGresult *r = PQexec(PG(s)->c, "ROLLBACK");
		PQclear(r);
		memcpy(PG(s)->msg, keep, sizeof keep);
	}
}

/* Wait until the WAL is on disk up to the transaction just committed
 * asynchronously (pg_begin). A transactional WAL message is a write of a
 * transaction of its own, and commits with synchronous_commit on: its
 * commit returns once the WAL is flushed up to it, which is past the
 * commit before it. The flushes of concurrent writers join into one
 * (PostgreSQL's group commit), none of them holding a lock. A crash
 * before the flush loses the transaction and everything after it in the
 * WAL (what saw it and wrote on it, the next chain entries included), as
 * SQLite's sync after its write lock (engine/sqlite.c) does; nothing
 * reported as saved is lost. */
#define PG_FLUSH_SQL "SELECT pg_logical_emit_message(true, 'docket', 'sync')"

/* The flush's answer r (NULL: a test fault) taken: DK_OK, or DK_UNSYNCED
 * with the message. */
static int pg_flushed(store *s, PGresult *r, dk_error *err)
{
	struct pg *P = PG(s);
	int ok = r && PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok && r)
		pg_set_error(s, r);
	if (ok)
		return DK_OK;
	dk_fail(err, "%s: waiting for the disk failed (%s): the change is "
		     "recorded and others see it, but it may be lost if the server "
		     "stops before its disk catches up",
		s->path, r ? P->msg : "test fault");
	return DK_UNSYNCED;
}

static int pg_flush(store *s, dk_error *err)
{
	PGresult *r = testhook_fault("pg-flush") ? NULL : PQexec(PG(s)->c, PG_FLUSH_SQL);
	int rc = pg_flushed(s, r, err);
	PQclear(r);
	return rc;
}

static int pg_commit(store *s, dk_error *err)
{
	struct pg *P = PG(s);
	int sync_after = P->sync_after;
	P->sync_after = 0;
	P->txn = 0;
	if (P->pending) { /* nothing was sent: nothing to commit */
		P->pending = NULL;
		return DK_OK;
	}
	PGresult *r = PQexec(P->c, "COMMIT");
	ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	/* COMMIT of a transaction that had failed answers ROLLBACK. */
	int ok = t == PGRES_COMMAND_OK && !strcmp(PQcmdStatus(r), "COMMIT");
	if (!ok && t == PGRES_COMMAND_OK)
		snprintf(P->msg, sizeof P->msg,
			 "the transaction had failed and was rolled back");
	else if (!ok)
		pg_set_error(s, r);
	PQclear(r);
	if (ok)
		return sync_after ? pg_flush(s, err) : DK_OK;
	if (PQstatus(P->c) == CONNECTION_BAD)
		return dk_fail(err, "%s: committing: %s (whether the change was "
				    "recorded is not known: look before repeating it)",
			       s->path, P->msg);
	store_fail(s, err, "committing");
	pg_rollback(s);
	return DK_ERR;
}

/* st, COMMIT and (for a durable write) the wait for the disk, sent in
 * one pipeline (with the BEGIN when it is pending, pg_begin): the server
 * runs them back to back, so what st locks (decide()'s chain lock) is held
 * for the server's time only, never for a round trip to this process
 * (which on a busy machine may wait long for the CPU). The answers are
 * read as pg_step, pg_commit and pg_flush read them. */
static int pg_step_commit(db_stmt *st, int *step, dk_error *err)
{
	struct pg_stmt *ps = PST(st);
	store *s = st->s;
	struct pg *P = PG(s);
	int sync_after = P->sync_after;
	/* Tests fault the flush: it then runs after, as pg_flush. */
	int flush_here = sync_after && !testhook_fault("pg-flush");
	*step = DB_ERROR;
	if (ps->res || ps->rc != DB_OK || !P->txn) {
		snprintf(P->msg, sizeof P->msg, "internal error: a statement "
			 "committed outside its transaction or stepped twice");
		return store_fail(s, err, "committing");
	}
	const char *const *b = P->pending;
	static const char *const tail[] = {"COMMIT", PG_FLUSH_SQL};
	PGresult *res[3] = {NULL, NULL, NULL};
	int begun = 0;
	/* As pg_step_begun: a session found lost where the BEGIN went with
	 * this (it did not begin: nothing ran) is replaced, once. */
	for (int attempt = 0; attempt < 2 && !begun; attempt++) {
		P->pending = NULL; /* pg_ready may prepare: outside the transaction */
		int ready = !pg_ready(ps);
		P->pending = b;
		begun = ready && !pg_pipeline(ps, tail, flush_here ? 2 : 1, res);
		if (begun || !b || attempt || PQstatus(P->c) != CONNECTION_BAD ||
		    pg_revive(s))
			break;
	}
	P->pending = NULL;
	P->sync_after = 0;
	P->txn = 0;
	if (!begun)
		res[0] = res[1] = res[2] = NULL;
	PGresult *rc = res[1], *rf = res[2];
	*step = begun ? pg_took(ps, res[0]) : (ps->rc = pg_code(P->sqlstate));
	int ok = rc && PQresultStatus(rc) == PGRES_COMMAND_OK &&
		 !strcmp(PQcmdStatus(rc), "COMMIT");
	if (*step != DB_ROW && *step != DB_DONE)
		ok = 0; /* its error is the one to tell */
	else if (!ok && rc && PQresultStatus(rc) == PGRES_COMMAND_OK)
		snprintf(P->msg, sizeof P->msg,
			 "the transaction had failed and was rolled back");
	else if (!ok)
		pg_set_error(s, rc && PQresultStatus(rc) != PGRES_PIPELINE_ABORTED
					? rc : NULL);
	PQclear(rc);
	int out;
	if (ok)
		out = !sync_after ? DK_OK
		      : flush_here ? pg_flushed(s, rf, err) : pg_flush(s, err);
	else if (PQstatus(P->c) == CONNECTION_BAD && *step == DB_ROW)
		out = dk_fail(err, "%s: committing: %s (whether the change was "
				   "recorded is not known: look before repeating it)",
			      s->path, P->msg);
	else
		out = store_fail(s, err, *step == DB_ROW || *step == DB_DONE
						? "committing" : "writing");
	PQclear(rf);
	if (!ok)
		pg_rollback(s);
	return out;
}

static int pg_set_durable(store *s, int durable, dk_error *err)
{
	PG(s)->durable = durable != 0;
	return pg_exec(s, durable ? "SET synchronous_commit = on"
				  : "SET synchronous_commit = off",
		       err);
}

/* store_retry: the server rolled the transaction back as a deadlock's
 * victim (40P01) or a serialization failure (40001); 55P03 (a lock not
 * available at once) is a NOWAIT's answer, not a conflict to run again. */
static int pg_conflicted(store *s)
{
	const char *st = PG(s)->sqlstate;
	return !strcmp(st, "40P01") || !strcmp(st, "40001");
}

/* Appends to the hash chain take one order. The writer lock (pg_begin)
 * already gives it; the chain lock is taken too so the order holds on its
 * own once claims write without the writer lock. */
static int pg_chain_lock(store *s, dk_error *err)
{
	if (pg_run(s, PG_LOCK_CHAIN))
		return store_fail(s, err, "locking the audit log");
	return DK_OK;
}

/* Bulk load: COPY ... FROM STDIN in the text format, rows sent in
 * pieces of about 64 KiB. */
static int pg_copy_begin(store *s, const char *table, const char *columns,
			 dk_error *err)
{
	struct pg *P = PG(s);
	char sql[1024];
	snprintf(sql, sizeof sql, "COPY %s(%s) FROM STDIN", table, columns);
	if (pg_begun(s))
		return store_fail(s, err, "starting a bulk load");
	PGresult *r = PQexec(P->c, sql);
	int ok = r && PQresultStatus(r) == PGRES_COPY_IN;
	if (!ok)
		pg_set_error(s, r);
	PQclear(r);
	sbuf_reset(&P->copy);
	P->copy_failed = 0;
	return ok ? DK_OK : store_fail(s, err, "starting a bulk load");
}

static void pg_copy_send(store *s)
{
	struct pg *P = PG(s);
	if (!P->copy_failed && P->copy.len &&
	    PQputCopyData(P->c, P->copy.buf, (int)P->copy.len) != 1) {
		pg_set_error(s, NULL);
		P->copy_failed = 1;
	}
	sbuf_reset(&P->copy);
}

static void pg_copy_row(store *s, const char *const *v, const int *len, int n)
{
	sbuf *b = &PG(s)->copy;
	for (int i = 0; i < n; i++) {
		if (i)
			sbuf_addc(b, '\t');
		if (!v[i]) {
			sbuf_adds(b, "\\N");
			continue;
		}
		size_t m = len && len[i] >= 0 ? (size_t)len[i] : strlen(v[i]);
		const char *p = v[i], *run = p;
		for (size_t k = 0; k < m; k++, p++) {
			const char *esc = *p == '\\' ? "\\\\" : *p == '\t' ? "\\t"
					  : *p == '\n' ? "\\n" : *p == '\r' ? "\\r" : NULL;
			if (!esc)
				continue;
			sbuf_add(b, run, (size_t)(p - run));
			sbuf_adds(b, esc);
			run = p + 1;
		}
		sbuf_add(b, run, (size_t)(p - run));
	}
	sbuf_addc(b, '\n');
	if (b->len >= 1u << 16)
		pg_copy_send(s);
}

static int pg_copy_end(store *s)
{
	struct pg *P = PG(s);
	pg_copy_send(s);
	int failed = P->copy_failed;
	char keep[sizeof P->msg];
	memcpy(keep, P->msg, sizeof keep);
	int rc = DB_DONE;
	if (PQputCopyEnd(P->c, failed ? "the client could not send every row" : NULL) != 1) {
		pg_set_error(s, NULL);
		rc = DB_ERROR;
	}
	PGresult *r;
	while ((r = PQgetResult(P->c))) {
		if (PQresultStatus(r) == PGRES_COMMAND_OK) {
			P->changes = strtoll(PQcmdTuples(r), NULL, 10);
		} else if (rc == DB_DONE) {
			pg_set_error(s, r);
			rc = pg_code(P->sqlstate);
		}
		PQclear(r);
	}
	if (failed) {
		memcpy(P->msg, keep, sizeof keep);
		rc = DB_ERROR;
	}
	sbuf_free(&P->copy);
	return rc;
}

static int64_t pg_changes(store *s)
{
	return PG(s)->changes;
}

/* lastval() fails when no identity was drawn in this session: under a
 * savepoint, so that such a call (0) does not abort the transaction. */
static int64_t pg_last_id(store *s)
{
	if (pg_begun(s))
		return 0;
	int sp = PQtransactionStatus(PG(s)->c) == PQTRANS_INTRANS;
	if (sp && pg_run(s, "SAVEPOINT dk_id"))
		return 0;
	char *v = pg_value(s, "SELECT lastval()");
	int64_t id = v ? strtoll(v, NULL, 10) : 0;
	if (sp)
		pg_run(s, v ? "RELEASE SAVEPOINT dk_id"
			    : "ROLLBACK TO SAVEPOINT dk_id; RELEASE SAVEPOINT dk_id");
	free(v);
	return id;
}

/* EXPLAIN of the generic plan: the statement prepared, parameters left
 * unknown, planned as PostgreSQL would plan it for any values. */
/* The generic plan of sql, with its parameters typed as a step bound NULL
 * types them (pg_param_types' probe): left to the server, `?K IS NULL OR
 * col = ?K` leaves ?K without a type, and the statement could not be
 * explained at all. */
static int pg_explain_one(store *s, const char *sql, sbuf *out, dk_error *err)
{
	db_stmt *st = pg_prepare(s, sql, err);
	struct pg_stmt *ps = PST(st);
	int n = ps->nparam;
	struct pg *P = PG(s);
	int rc = DK_ERR;
	sbuf e = {0};
	for (int i = 0; i < n; i++)
		ps->types[i] = 0;
	pg_param_types(ps);
	PGresult *r = PQprepare(P->c, "dk_explain", ps->sql, n, ps->types);
	int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		pg_set_error(s, r);
	PQclear(r);
	if (!ok) {
		store_fail(s, err, "explaining a query");
		goto out;
	}
	sbuf_adds(&e, "EXPLAIN EXECUTE dk_explain");
	for (int i = 0; i < n; i++)
		sbuf_adds(&e, i ? ", NULL" : "(NULL");
	sbuf_adds(&e, n ? ")" : "");
	sbuf_addc(&e, '\0');
	if (pg_run(s, "SET plan_cache_mode = force_generic_plan")) {
		store_fail(s, err, "explaining a query");
		goto dealloc;
	}
	r = PQexec(P->c, e.buf);
	if (r && PQresultStatus(r) == PGRES_TUPLES_OK) {
		for (int i = 0; i < PQntuples(r); i++) {
			sbuf_adds(out, PQgetvalue(r, i, 0));
			sbuf_addc(out, '\n');
		}
		rc = DK_OK;
	} else {
		pg_set_error(s, r);
		store_fail(s, err, "explaining a query");
	}
	PQclear(r);
	pg_run(s, "RESET plan_cache_mode");
dealloc:
	pg_run(s, "DEALLOCATE dk_explain");
out:
	free(e.buf);
	pg_finalize(st);
	return rc;
}

/* The plan of sql; for a call of claim(), whose plan is a function's
 * scan, the plans of the statements of its walk of the queue too
 * (pg_claim_walks), as a generic plan of the function's would be. */
static int pg_explain(store *s, const char *sql, sbuf *out, dk_error *err)
{
	if (pg_explain_one(s, sql, out, err))
		return DK_ERR;
	if (!strstr(sql, "FROM claim("))
		return DK_OK;
	for (const char *const *w = pg_claim_walks; *w; w++) {
		sbuf_printf(out, "-- inside claim(): %s\n", *w);
		if (pg_explain_one(s, *w, out, err))
			return DK_ERR;
	}
	return DK_OK;
}

/* An integer of meta (KEY's value, or DFLT when the row is missing); -1
 * when the read failed: a lost connection or a role that may not read
 * meta is not "no store" or "revision 0", which would send pg_setup into
 * a migration (the error is kept for store_fail). */
static int pg_meta_int(store *s, const char *key, const char *dflt)
{
	char sql[160];
	snprintf(sql, sizeof sql,
		 "SELECT coalesce((SELECT value FROM docket.meta WHERE key = '%s'),"
		 " '%s')",
		 key, dflt);
	char *v = pg_value(s, sql);
	int n = v ? atoi(v) : -1;
	free(v);
	return n;
}

/* The version in meta; 0 when the schema has no docket store. */
static int pg_schema_version(store *s)
{
	return pg_meta_int(s, PG_VERSION_KEY, "0");
}

/* The PostgreSQL revision of the schema (pg.h): 1 when not recorded. */
static int pg_revision(store *s)
{
	return pg_meta_int(s, PG_REVISION_KEY, "1");
}

/* 1: a store; 0: none; -1: a schema docket this role may not use; -2:
 * the question failed (a connection lost as it was asked is not "no
 * store": the error is kept for store_fail). */
static int pg_store_exists(store *s)
{
	char *v = pg_value(s, "SELECT CASE"
			      " WHEN to_regnamespace('" PG_SCHEMA "') IS NULL THEN 0"
			      " WHEN NOT has_schema_privilege('" PG_SCHEMA "', 'USAGE')"
			      "  THEN -1"
			      " WHEN to_regclass('" PG_SCHEMA ".meta') IS NULL THEN 0"
			      " ELSE 1 END");
	int r = v ? atoi(v) : -2;
	free(v);
	return r;
}

/* An upgrade only the schema's owner may run (its statements alter the
 * owner's objects): a reviewer or supervisor opening an older store got
 * the upgrade's first refusal, "permission denied for schema docket" (or
 * "for table meta"). DK_ERR with err saying whose open upgrades it, when
 * the session's role is neither that owner, a member of it nor a
 * superuser; DK_OK when it is. v and rev are meta's, which the store's
 * roles may read on every revision (SELECT and the policy "read"); the
 * owner comes from the catalog, which every role may read. */
static int pg_upgrade_refused(store *s, int v, int rev, dk_error *err)
{
	char *owner = pg_value(s, "SELECT coalesce((SELECT CASE WHEN"
				  " pg_has_role(relowner, 'USAGE') THEN ''"
				  " ELSE pg_get_userbyid(relowner) END FROM pg_class"
				  " WHERE oid = to_regclass('" PG_SCHEMA ".meta')), '')");
	int rc = DK_OK;
	if (!owner)
		rc = store_fail(s, err, "opening the store");
	else if (owner[0] && v == STORE_SCHEMA_VERSION)
		rc = dk_fail(err, "%s: store is at PostgreSQL revision %d, this "
				  "docket needs %d: its owner (%s) must open it once "
				  "with this docket to upgrade it",
			     s->path, rev, PG_REVISION, owner);
	else if (owner[0])
		rc = dk_fail(err, "%s: store is at schema version %d (PostgreSQL "
				  "revision %d), this docket needs %d (%d): its owner "
				  "(%s) must open it once with this docket to upgrade it",
			     s->path, v, rev, STORE_SCHEMA_VERSION, PG_REVISION, owner);
	free(owner);
	return rc;
}

/* Create the store, or bring it to STORE_SCHEMA_VERSION, in one
 * transaction under a lock, so two processes opening a new store at once
 * cannot both create it. */
static int pg_setup(store *s, unsigned flags, dk_error *err)
{
	int exists = pg_store_exists(s);
	int v = exists > 0 ? pg_schema_version(s) : 0;
	int rev = exists > 0 ? pg_revision(s) : 0;
	if (exists == -2 || v < 0 || rev < 0 || PQstatus(PG(s)->c) != CONNECTION_OK)
		return store_fail(s, err, "opening the store");
	if (exists > 0 && (v < STORE_SCHEMA_VERSION ||
			   (v == STORE_SCHEMA_VERSION && rev < PG_REVISION)) &&
	    pg_upgrade_refused(s, v, rev, err))
		return DK_ERR;
	if (exists < 0)
		/* (worded as SQLite's unknown reviewer: on this engine the
		 * reviewer is the role, and one not granted is unknown) */
		return dk_fail(err, "%s: unknown reviewer '%s': the role %s may "
				    "not use the docket store in this database; a "
				    "supervisor adds them with 'docket reviewer add "
				    "%s %s'",
			       s->path, PQuser(PG(s)->c), PQuser(PG(s)->c), s->path,
			       PQuser(PG(s)->c));
	if (exists && (flags & STORE_MUST_BE_NEW))
		return dk_fail(err, "%s: already exists (the database already "
				   "holds a docket store)", s->path);
	if (exists && v == STORE_SCHEMA_VERSION && rev == PG_REVISION)
		return DK_OK;
	if (v > STORE_SCHEMA_VERSION || (v == STORE_SCHEMA_VERSION && rev > PG_REVISION))
		return dk_fail(err,
			       "%s: store has schema version %d (PostgreSQL revision "
			       "%d); this docket knows up to %d (%d): upgrade docket",
			       s->path, v, rev, STORE_SCHEMA_VERSION, PG_REVISION);
	if (!exists && !(flags & STORE_CREATE))
		return dk_fail(err, "%s: no docket store in this database (create "
				    "one with docket init %s)",
			       s->path, s->path);
	if (pg_run(s, "BEGIN; " PG_LOCK_CREATE))
		goto fail;
	exists = pg_store_exists(s); /* another process may have made it */
	if (exists == -2)
		goto fail;
	exists = exists != 0;
	v = exists ? pg_schema_version(s) : 0;
	rev = exists ? pg_revision(s) : 0;
	if (v < 0 || rev < 0)
		goto fail;
	if (exists && (flags & STORE_MUST_BE_NEW)) {
		pg_rollback(s);
		return dk_fail(err, "%s: already exists (the database already "
				   "holds a docket store)", s->path);
	}
	if (!exists) {
		if (pg_schema_create(s, err)) {
			if (!strcmp(PG(s)->sqlstate, "42501"))
				dk_fail(err, "%s: the role %s may not create docket's "
					     "schema in this database (%s): run docket init "
					     "as a role that owns the database or may "
					     "create in it",
					s->path, PQuser(PG(s)->c), PG(s)->msg);
			goto fail_err;
		}
		if (!(flags & STORE_NO_SEED) &&
		    (store_seed(s, err) || replay_init(s, err)))
			goto fail_err;
	} else if ((v < STORE_SCHEMA_VERSION || rev < PG_REVISION) &&
		   pg_schema_migrate(s, v, rev, err)) {
		goto fail_err;
	}
	if (store_commit(s, err))
		return DK_ERR;
	return DK_OK;
fail:
	store_fail(s, err, exists ? "upgrading the store" : "creating the store");
fail_err:
	pg_rollback(s);
	return DK_ERR;
}

/* Notices (a NOTICE from CREATE ... IF NOT EXISTS) are not for users. */
static void pg_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* PQconnectdb's work with pg_notice set from the start: libpq prints a
 * message the server sends unasked ("FATAL:  terminating connection due
 * to unexpected postmaster exit", read with the startup's replies) through
 * the notice processor, whose default writes it on stderr, beside
 * docket's own message. connect_timeout (URI or PGCONNECT_TIMEOUT) bounds
 * each wait, as it bounds each step in libpq. NULL *why: see PQstatus. */
static PGconn *pg_connect(const char *target, const char **why)
{
	*why = NULL;
	PGconn *c = PQconnectStart(target);
	if (!c || PQstatus(c) == CONNECTION_BAD)
		return c;
	PQsetNoticeProcessor(c, pg_notice, NULL);
	int wait_ms = -1;
	PQconninfoOption *opts = PQconninfo(c);
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (!strcmp(o->keyword, "connect_timeout") && o->val && atoi(o->val) > 0)
			wait_ms = (atoi(o->val) < 2 ? 2 : atoi(o->val)) * 1000;
	PQconninfoFree(opts);
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
		struct pollfd pfd = {.fd = PQsocket(c),
				     .events = st == PGRES_POLLING_READING ? POLLIN
									   : POLLOUT};
		int n = poll(&pfd, 1, wait_ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*why = n ? strerror(errno) : "timeout expired";
			break;
		}
		st = PQconnectPoll(c);
	}
	return c;
}

static void pg_close(store *s)
{
	struct pg *P = PG(s);
	if (!P)
		return;
	PQfinish(P->c);
	sbuf_free(&P->copy);
	free(P);
	s->conn = NULL;
}

static int pg_open(store *s, const char *target, unsigned flags, dk_error *err)
{
	struct pg *P = dk_xmalloc(sizeof *P);
	memset(P, 0, sizeof *P);
	P->durable = 1;
	s->conn = P;
	const char *why;
	P->c = pg_connect(target, &why);
	if (!P->c || why || PQstatus(P->c) != CONNECTION_OK) {
		char m[512];
		pg_conn_msg(m, sizeof m, why ? why : P->c ? PQerrorMessage(P->c)
						      : "out of memory");
		return dk_fail(err, "%s: cannot connect: %s", s->path, m);
	}
	if (pg_exec(s, PG_SESSION_SETUP, err))
		return DK_ERR;
	char *w = pg_value(s, "SHOW lock_timeout");
	snprintf(P->lock_wait, sizeof P->lock_wait, "%s", w ? w : PG_LOCK_WAIT);
	free(w);
	return pg_setup(s, flags, err);
}

const struct engine engine_pg = {
	.kind = STORE_POSTGRES,
	.name = "PostgreSQL",
	.open = pg_open,
	.close = pg_close,
	.errmsg = pg_errmsg,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.exec = pg_exec,
	.begin = pg_begin,
	.commit = pg_commit,
	.step_commit = pg_step_commit,
	.rollback = pg_rollback,
	.in_txn = pg_in_txn,
	.set_durable = pg_set_durable,
	.chain_lock = pg_chain_lock,
	.conflicted = pg_conflicted,
	.copy_begin = pg_copy_begin,
	.copy_row = pg_copy_row,
	.copy_end = pg_copy_end,
	.changes = pg_changes,
	.last_id = pg_last_id,
	.explain = pg_explain,
	.schema_version = pg_schema_version,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.bind_blob = pg_bind_blob,
	.step = pg_step,
	.reset = pg_reset,
	.clear = pg_clear,
	.col_int64 = pg_col_int64,
	.col_double = pg_col_double,
	.col_text = pg_col_text,
	.col_bytes = pg_col_bytes,
	.col_type = pg_col_type,
};

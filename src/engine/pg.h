/* pg.h: the PostgreSQL engine's parts that live outside pg.c: the schema
 * (pg_schema.c). Private to src/engine/. */
#ifndef DOCKET_ENGINE_PG_H
#define DOCKET_ENGINE_PG_H

#include "engine.h"

/* The PostgreSQL schema everything of docket lives in (the connection's
 * search_path is this, then pg_catalog). */
#define PG_SCHEMA "docket"

/* The key of the meta row that holds the schema version (SQLite keeps it
 * in PRAGMA user_version instead). */
#define PG_VERSION_KEY "schema_version"

/* Changes of the PostgreSQL schema alone, within one STORE_SCHEMA_VERSION
 * (meta row PG_REVISION_KEY; a store without it is revision 1). */
#define PG_REVISION_KEY "pg_revision"
#define PG_REVISION 14

/* Create docket's tables, indexes, triggers and helper functions in the
 * schema PG_SCHEMA, at STORE_SCHEMA_VERSION, with the version recorded in
 * meta. Runs inside the caller's transaction. */
int pg_schema_create(store *s, dk_error *err);

/* Take a store of schema version `from` (>= 1) and PostgreSQL revision
 * rev to STORE_SCHEMA_VERSION and PG_REVISION.
 * Runs inside the caller's transaction. */
int pg_schema_migrate(store *s, int from, int rev, dk_error *err);

/* Called after the schema is created or migrated, in the same transaction:
 * what the database enforces on top of the tables (roles, privileges). */
int pg_schema_after(store *s, int created, dk_error *err);

/* pg_roles.c: group roles, privileges, row-level security and the
 * functions behind them, on a store just created; and the session's role
 * as the name docket acts as (dk_login_set). */
int pg_roles_apply(store *s, int created, dk_error *err);

/* The statements of claim()'s walk of the queue (pg_roles.c), with its
 * variables as parameters ?1.. (reviewer id, cool-down's end, model id),
 * NULL-terminated: EXPLAIN of a call to claim() shows their plans too. */
extern const char *const pg_claim_walks[];

/* The functions, privileges and policies of pg_roles_apply again (all of
 * them may be run twice), after a revision replaced what they apply to. */
int pg_roles_refresh(store *s, dk_error *err);

/* PostgreSQL revision 4: a store that used the cluster's group roles
 * docket_reviewer and docket_supervisor gets roles of its own, granted to
 * its reviewers that held the old ones; the old roles lose every
 * privilege in the schema (they stay: other stores may use them). Then
 * pg_roles_refresh. */
int pg_roles_own(store *s, dk_error *err);

/* PostgreSQL revision 7: decide() writes under the chain lock only what
 * needs it (the case's state and the lease's end before it), and
 * only_reviewer() names the store's roles as literals (pg_roles_judge):
 * the functions made again. */
int pg_roles_rev7(store *s, dk_error *err);

/* PostgreSQL revision 8: case_pii keeps a case's pii: members only, not
 * its whole context (pg_roles.c): the functions that read and write it
 * made again, and the rows of older stores cut to their pii: members. */
int pg_roles_rev8(store *s, dk_error *err);

/* PostgreSQL revision 11: case_pii_refs checks a statement's rows by
 * their range of ids first (pg_roles.c): the function made again. */
int pg_roles_rev11(store *s, dk_error *err);

/* pg_floor.c: the queue's floor (revision 10): its tables, the functions
 * claim() raises and reads it with, the triggers that record cases put in
 * the queue, and a floor row for every model. May be run twice. */
extern const char pg_floor_schema[];

#endif

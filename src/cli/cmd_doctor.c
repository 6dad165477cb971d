/* cmd_doctor.c: `docket doctor STORE`: says what is wrong with the set-up
 * of a store (modes, owners, groups, stray -wal/-shm, the binary), each
 * problem with the command that fixes it. */
#include <getopt.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "docket/identity.h"
#include "docket/store.h"

static const char doctor_usage[] =
	"Usage: docket doctor STORE\n"
	"Say what is wrong with the set-up of STORE: who can read and change\n"
	"it, and whether people who share it on this host must go through\n"
	"docket. A personal store is one file only its owner can open. A shared\n"
	"one (docket init --shared) belongs to a group nobody is in, in a\n"
	"directory of that group with mode 2770, and docket is installed setgid\n"
	"to that group. For a PostgreSQL store (a URI), the role it logs in\n"
	"as: granted one of the store's group roles, and not one that could\n"
	"rewrite the log (a superuser or the schema's owner); and whether the\n"
	"cluster's roles an older store used are still needed. Each problem is\n"
	"printed with the command that fixes it.\n"
	"Exit status: 0 when nothing is wrong, 1 when something is.\n";

struct doctor {
	const char *store;
	int problems;
};

static void doctor_problem(struct doctor *d, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void doctor_problem(struct doctor *d, const char *fix, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *what = NULL;
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	cli_printf("problem: %s\n  fix: %s\n", what ? what : fmt, fix);
	free(what);
	d->problems++;
}

static const char *doctor_user(uid_t uid, char *buf, size_t len)
{
	const struct passwd *pw = getpwuid(uid);
	if (pw)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "uid %lu", (unsigned long)uid);
	return buf;
}

static const char *doctor_group(gid_t gid, char *buf, size_t len)
{
	const struct group *gr = getgrgid(gid);
	if (gr)
		snprintf(buf, len, "%s", gr->gr_name);
	else
		snprintf(buf, len, "%lu", (unsigned long)gid);
	return buf;
}

/* SQLite's -wal and -shm beside the store: whoever opens the store first
 * creates them, and one of the wrong group or mode locks everyone else
 * out (or, readable by others, shows them recent changes). */
static void doctor_side_files(struct doctor *d, const struct stat *db, int shared)
{
	static const char *const suffix[] = {"-wal", "-shm", "-journal"};
	char g1[64], g2[64], u1[64], u2[64], fix[3 * PATH_MAX];
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char p[PATH_MAX];
		struct stat sb;
		snprintf(p, sizeof p, "%s%s", d->store, suffix[i]);
		if (lstat(p, &sb) != 0)
			continue;
		if (!S_ISREG(sb.st_mode)) {
			snprintf(fix, sizeof fix, "stop every docket on the store, then rm '%s'", p);
			doctor_problem(d, fix, "%s is not a regular file", p);
			continue;
		}
		if (shared && sb.st_gid != db->st_gid) {
			snprintf(fix, sizeof fix, "chgrp %s '%s' && chmod 0660 '%s'",
				 doctor_group(db->st_gid, g1, sizeof g1), p, p);
			doctor_problem(d, fix, "%s belongs to group %s, not %s: while it "
					       "is there, the others cannot open the store",
				       p, doctor_group(sb.st_gid, g2, sizeof g2), g1);
		} else if (shared && (sb.st_mode & 0060) != 0060) {
			snprintf(fix, sizeof fix, "chmod 0660 '%s'", p);
			doctor_problem(d, fix, "%s has mode %04o: the group cannot write "
					       "it, so only its owner can use the store",
				       p, (unsigned)(sb.st_mode & 07777));
		} else if (!shared && sb.st_uid != db->st_uid) {
			snprintf(fix, sizeof fix, "chown %s '%s'",
				 doctor_user(db->st_uid, u1, sizeof u1), p);
			doctor_problem(d, fix, "%s belongs to %s, not to the store's "
					       "owner %s",
				       p, doctor_user(sb.st_uid, u2, sizeof u2), u1);
		}
		if (sb.st_mode & 0007) {
			snprintf(fix, sizeof fix, "chmod o-rwx '%s'", p);
			doctor_problem(d, fix, "%s can be read by everyone (mode %04o): "
					       "it holds recent changes to the store",
				       p, (unsigned)(sb.st_mode & 07777));
		}
	}
}

/* Anyone in the store's group can open it with sqlite3 and change it
 * (roles, the log, personal fields) without docket. */
static void doctor_members(struct doctor *d, gid_t gid)
{
	char g[64], fix[256];
	const struct group *gr = getgrgid(gid);
	doctor_group(gid, g, sizeof g);
	for (char **m = gr ? gr->gr_mem : NULL; m && *m; m++) {
		snprintf(fix, sizeof fix, "gpasswd -d %s %s", *m, g);
		doctor_problem(d, fix, "%s is in group %s: they can open the store "
				       "with sqlite3 and change anything in it, "
				       "bypassing docket",
			       *m, g);
	}
	const struct passwd *pw;
	setpwent();
	while ((pw = getpwent()) != NULL) {
		if (pw->pw_gid != gid || pw->pw_uid == 0)
			continue;
		snprintf(fix, sizeof fix, "usermod -g ANOTHER_GROUP %s", pw->pw_name);
		doctor_problem(d, fix, "%s has %s as their primary group: they can "
				       "open the store with sqlite3, bypassing docket",
			       pw->pw_name, g);
	}
	endpwent();
}

/* This docket must be setgid to the store's group, or the people of the
 * team cannot open the store at all. */
static void doctor_binary(struct doctor *d, gid_t gid)
{
	char exe[PATH_MAX], g[64], fix[3 * PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	struct stat sb;
	if (n <= 0 || (exe[n] = '\0', stat(exe, &sb) != 0))
		return;
	doctor_group(gid, g, sizeof g);
	if (!(sb.st_mode & S_ISGID) || sb.st_gid != gid) {
		snprintf(fix, sizeof fix, "chgrp %s '%s' && chmod 2755 '%s' (as root; "
					  "'make install' does it)",
			 g, exe, exe);
		doctor_problem(d, fix, "%s is not setgid to group %s: the people "
				       "who share the store cannot open it through it",
			       exe, g);
	}
	if (sb.st_mode & 0022 || sb.st_uid != 0) {
		snprintf(fix, sizeof fix, "chown root '%s' && chmod 2755 '%s'", exe, exe);
		doctor_problem(d, fix, "%s can be replaced by someone other than root "
				       "(owner or mode): whoever does holds group %s",
			       exe, g);
	}
}

static void doctor_shared(struct doctor *d, const struct stat *db)
{
	char g[64], u[64], fix[3 * PATH_MAX];
	char dcopy[PATH_MAX];
	snprintf(dcopy, sizeof dcopy, "%s", d->store);
	const char *dir = dirname(dcopy);
	doctor_group(db->st_gid, g, sizeof g);
	/* The set-up of the attack in issue 12: a store opened to its owner's
	 * own group, so people reach it with sqlite3 and act under any name. */
	const struct passwd *pw = getpwuid(db->st_uid);
	if (pw && pw->pw_gid == db->st_gid) {
		snprintf(fix, sizeof fix, "chmod 0600 '%s' to keep it personal; to "
					  "share a store, 'docket init --shared' (as "
					  "root) makes one",
			 d->store);
		doctor_problem(d, fix, "%s is open to group %s, the primary group "
				       "of its owner %s: not a group made for "
				       "docket, so people may be in it",
			       d->store, g, doctor_user(db->st_uid, u, sizeof u));
	}
	if ((db->st_mode & 0060) != 0060) {
		snprintf(fix, sizeof fix, "chmod 0660 '%s'", d->store);
		doctor_problem(d, fix, "%s has mode %04o: group %s cannot write it",
			       d->store, (unsigned)(db->st_mode & 07777), g);
	}
	struct stat ds;
	if (stat(dir, &ds) == 0) {
		if (ds.st_gid != db->st_gid || (ds.st_mode & 07777) != 02770) {
			snprintf(fix, sizeof fix, "chgrp %s '%s' && chmod 2770 '%s'", g,
				 dir, dir);
			doctor_problem(d, fix, "directory %s is group %s with mode %04o, "
					       "not group %s with 2770: SQLite creates the "
					       "-wal and -shm there, and they must get group "
					       "%s (setgid bit) and stay out of others' reach",
				       dir, doctor_group(ds.st_gid, u, sizeof u),
				       (unsigned)(ds.st_mode & 07777), g, g);
		}
	}
	doctor_side_files(d, db, 1);
	doctor_members(d, db->st_gid);
	doctor_binary(d, db->st_gid);
}

/* One text value of sql on s into *v (NULL for none; owned by the
 * caller). A failed read is DK_ERR: "no such role" is an answer. */
static int doctor_value(store *s, const char *sql, char **v, dk_error *err)
{
	*v = NULL;
	db_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return DK_ERR;
	if (db_step(st) == DB_ROW && db_col_text(st, 0))
		*v = dk_xstrdup((const char *)db_col_text(st, 0));
	if (store_done(st) != DB_OK)
		return store_fail(s, err, "reading the role's privileges");
	return DK_OK;
}

/* The cluster's group roles an older store used (meta pg_roles_replaced,
 * written by its upgrade to roles of its own): said to be unused by this
 * store, and whether any database still grants them anything
 * (pg_shdepend: privileges and owned objects, per database), so the
 * administrator knows when they can go. */
static int doctor_pg_replaced(store *s, const char *rr, const char *sr,
			      dk_error *err)
{
	char *old = NULL, *dbs = NULL;
	int rc = doctor_value(s, "SELECT string_agg(r.rolname, ' and '"
				 " ORDER BY r.rolname) FROM pg_roles r"
				 " WHERE r.rolname = ANY (string_to_array((SELECT"
				 " value FROM docket.meta WHERE key ="
				 " 'pg_roles_replaced'), ','))", &old, err) ||
		 doctor_value(s, "SELECT count(DISTINCT d.dbid)::text"
				 " FROM pg_shdepend d JOIN pg_roles r"
				 " ON r.oid = d.refobjid WHERE d.refclassid ="
				 " 'pg_authid'::regclass AND d.dbid <> 0"
				 " AND r.rolname = ANY (string_to_array((SELECT"
				 " value FROM docket.meta WHERE key ="
				 " 'pg_roles_replaced'), ','))", &dbs, err);
	if (!rc && old)
		cli_printf("note: the cluster's group roles %s are no longer used by "
			   "this store (it has its own: %s and %s); %s\n",
			   old, rr, sr,
			   dbs && strcmp(dbs, "0")
				   ? "other stores of the cluster still use them"
				   : "no database of the cluster grants them anything "
				     "now, so the administrator may drop them");
	free(old);
	free(dbs);
	return rc;
}

/* A store in PostgreSQL: the database decides who may do what, so the
 * set-up to check is the role this connection logs in as. One that may
 * rewrite the log (a superuser, the schema's owner) must not be the one
 * people review with; one granted neither of the store's group roles
 * cannot work at all. */
static int doctor_pg(struct doctor *d)
{
	store *s = NULL;
	dk_error err = {{0}};
	if (store_open(&s, d->store, 0, &err)) {
		cli_printf("problem: %s\n  fix: as it says; a database without a "
			   "store gets one with docket init %s, run by a role that "
			   "may create roles and schemas\n",
			   err.msg, d->store);
		return EXIT_FAIL;
	}
	char *who = NULL, *owns = NULL, *role = NULL, *rr = NULL, *sr = NULL;
	int bad = doctor_value(s, "SELECT current_user::text", &who, &err) ||
		  /* (text, as every engine reads: 'true' or 'false') */
		  doctor_value(s, "SELECT (r.rolsuper OR n.nspowner = r.oid)::text"
				  " FROM pg_roles r, pg_namespace n"
				  " WHERE r.rolname = current_user"
				  " AND n.nspname = 'docket'", &owns, &err) ||
		  doctor_value(s, "SELECT docket.store_role('reviewer')", &rr, &err) ||
		  doctor_value(s, "SELECT docket.store_role('supervisor')", &sr, &err) ||
		  doctor_value(s, "SELECT CASE WHEN pg_has_role("
				  "docket.store_role('supervisor'), 'MEMBER')"
				  " THEN 'supervisor' WHEN pg_has_role("
				  "docket.store_role('reviewer'), 'MEMBER')"
				  " THEN 'reviewer' END", &role, &err);
	char fix[512];
	int rc = EXIT_OK;
	if (bad || !who || !owns || !rr || !sr) {
		cli_printf("problem: %s: could not read the role's privileges%s%s\n"
			   "  fix: check the connection and run docket doctor again\n",
			   d->store, bad ? ": " : "", bad ? err.msg : "");
		rc = EXIT_FAIL;
	} else if (!strcmp(owns, "true")) {
		snprintf(fix, sizeof fix,
			 "review as login roles granted %s or %s (docket reviewer "
			 "add %s NAME), and keep %s for administration",
			 rr, sr, d->store, who);
		doctor_problem(d, fix, "%s logs in as %s, a superuser or the owner of "
				       "schema docket: it may rewrite the log past "
				       "every rule the database enforces",
			       d->store, who);
	} else if (!role) {
		snprintf(fix, sizeof fix, "docket reviewer add %s %s (by a supervisor)",
			 d->store, who);
		doctor_problem(d, fix, "%s logs in as %s, which is granted neither "
				       "%s nor %s (the store's group roles)",
			       d->store, who, rr, sr);
	}
	if (rc == EXIT_OK && !d->problems)
		cli_printf("ok: %s is a PostgreSQL store; it logs in as %s, a %s "
			   "(granted %s, a role of this store's own), and the "
			   "database enforces what a %s may do\n",
			   d->store, who, role, strcmp(role, "supervisor") ? rr : sr,
			   role);
	else if (d->problems)
		rc = EXIT_FAIL;
	if (!bad && rr && sr && doctor_pg_replaced(s, rr, sr, &err)) {
		cli_printf("problem: %s: could not read the roles the store used "
			   "before: %s\n  fix: check the connection and run docket "
			   "doctor again\n", d->store, err.msg);
		rc = EXIT_FAIL;
	}
	free(who);
	free(owns);
	free(role);
	free(rr);
	free(sr);
	store_close(s);
	return rc;
}

int cmd_doctor(int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h')
			return cli_help(doctor_usage);
		return cli_usage_error("doctor", "unknown option");
	}
	if (argc - optind != 1)
		return cli_usage_error("doctor", "expected one STORE path");
	struct doctor d = {.store = argv[optind]};
	if (store_target_is_uri(d.store))
		return doctor_pg(&d);
	/* The store and its directory may be reachable only by the group. */
	int raised = identity_raise();
	struct stat db;
	int rc = EXIT_OK;
	char u[64], g[64], fix[PATH_MAX + 64];
	if (stat(d.store, &db) != 0) {
		cli_printf("problem: %s: no such file\n  fix: docket init %s (or docket "
		       "init --shared %s as root)\n", d.store, d.store, d.store);
		rc = EXIT_FAIL;
		goto out;
	}
	if (db.st_mode & 0007) {
		snprintf(fix, sizeof fix, "chmod o-rwx '%s'", d.store);
		doctor_problem(&d, fix, "%s can be read or changed by everyone "
					"(mode %04o)",
			       d.store, (unsigned)(db.st_mode & 07777));
	}
	int shared = (db.st_mode & 0070) != 0;
	if (shared)
		doctor_shared(&d, &db);
	else
		doctor_side_files(&d, &db, 0);
	if (d.problems) {
		rc = EXIT_FAIL;
		goto out;
	}
	if (shared)
		cli_printf("ok: %s is shared through group %s, which nobody is in; "
		       "%s owns it and may act under any name\n",
		       d.store, doctor_group(db.st_gid, g, sizeof g),
		       doctor_user(db.st_uid, u, sizeof u));
	else
		cli_printf("ok: %s is a personal store: only %s can open it "
		       "('docket init --shared' makes one to share on this host)\n",
		       d.store, doctor_user(db.st_uid, u, sizeof u));
out:
	if (raised)
		identity_lower();
	return rc;
}

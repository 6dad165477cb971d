/* cmd_migrate.c: `docket migrate SQLITE_PATH DEST`: copies a whole store,
 * history and proof included, into a new store (PostgreSQL, or another
 * SQLite file) and checks that the copy verifies to the same head. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "docket/audit.h"
#include "docket/migrate.h"

static const char migrate_usage[] =
	"Usage: docket migrate SQLITE_PATH DEST\n"
	"Copy the whole store at SQLITE_PATH (an SQLite store file) into DEST,\n"
	"a new store: a PostgreSQL URI (postgresql://...) whose docket schema\n"
	"is absent or empty, or the path of an SQLite file that does not exist\n"
	"yet (a compact copy of the store). Everything is copied: settings,\n"
	"reviewers, models, policies, batches, cases, leases, the whole\n"
	"decision log, review records, export watermarks, drift figures; ids\n"
	"and log seqs stay as they are. The source is read as one snapshot\n"
	"(reviewers may keep working on it; what they do after the snapshot\n"
	"stays in the source) and is not changed; the destination is written\n"
	"in one transaction: all of it, or nothing. Then the destination's\n"
	"chain is verified against the source's head. Rows copied per table\n"
	"go to stderr as they are done; the counts and both heads to stdout,\n"
	"the head (SEQ:HASH, what 'docket verify DEST' prints) last.\n"
	"Supervisors of the source only. No entry records the migration in\n"
	"either store (one in the destination would change its head): keep\n"
	"the printed heads.\n";

struct migrate_show {
	int64_t shown;        /* the last million of rows announced */
	struct timespec from; /* when the table began */
};

static double migrate_since(const struct timespec *from)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - from->tv_sec) +
	       (double)(now.tv_nsec - from->tv_nsec) / 1e9;
}

/* Ctrl-C, a hang-up or a TERM during the copy: stop at the next batch and
 * roll back, so a file destination can be removed rather than left half
 * made (the handler only sets the flag). */
static volatile sig_atomic_t migrate_stop;

static void migrate_on_signal(int sig)
{
	(void)sig;
	migrate_stop = 1;
}

/* Rows per table on stderr: each table when done (with the time it took),
 * and a line per million rows on the way through a big one. */
static int migrate_progress(void *arg, const char *table, int64_t rows, int done)
{
	struct migrate_show *sh = arg;
	if (migrate_stop)
		return 1;
	if (done) {
		cli_eprintf("migrate: %-16s %12" PRId64 " rows  %6.2f s\n", table,
			    rows, migrate_since(&sh->from));
		clock_gettime(CLOCK_MONOTONIC, &sh->from);
		sh->shown = 0;
	} else if (rows / 1000000 > sh->shown) {
		sh->shown = rows / 1000000;
		cli_eprintf("migrate: %-16s %12" PRId64 " rows so far\n", table,
			    rows);
	}
	return 0;
}

/* A destination file this run created and could not fill is removed with
 * the files SQLite keeps beside it, so running again starts clean. */
static void migrate_remove(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[PATH_MAX];
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
}

/* The source must be an existing SQLite store: store_open makes an empty
 * file into a new store, which a migration must never do. */
static int migrate_check_path(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT)
			cli_eprintf("docket: %s: no such store\n", path);
		else
			cli_eprintf("docket: %s: %s\n", path, strerror(errno));
		return EXIT_FAIL;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size == 0) {
		cli_eprintf("docket: %s: %s, not a docket store\n", path,
			    S_ISREG(sb.st_mode) ? "an empty file" : "not a file");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int migrate_run(const char *from, const char *to);

int cmd_migrate(int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(migrate_usage);
		default: return cli_usage_error("migrate", "unknown option");
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("migrate", "expected SQLITE_PATH and DEST");
	const char *from = argv[optind], *to = argv[optind + 1];
	if (store_target_is_uri(from))
		return cli_usage_error("migrate",
				       "the source must be an SQLite store file "
				       "(copy a PostgreSQL store with pg_dump)");
	return migrate_run(from, to);
}

static int migrate_run(const char *from, const char *to)
{
	if (migrate_check_path(from))
		return EXIT_FAIL;
	store *src = cli_open_store(from, 0), *dst = NULL;
	if (!src)
		return EXIT_FAIL;
	dk_error err = {{0}};
	int rc = cli_require_supervisor(src, "migrate", dk_login_name());
	if (rc)
		goto out;
	/* Before anything is made at DEST. */
	if (migrate_check_source(src, &err)) {
		rc = cli_fail(err.msg);
		goto out;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = migrate_on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A new file; or a database whose docket schema is absent or empty
	 * (migrate_copy refuses one with rows): an empty one is what a failed
	 * migration leaves, and running it again must be possible. */
	int uri = store_target_is_uri(to);
	dst = cli_open_store(to, STORE_CREATE | STORE_NO_SEED |
					 (uri ? 0 : STORE_MUST_BE_NEW));
	if (!dst) {
		rc = EXIT_FAIL;
		goto out;
	}
	struct migrate_show show = {0};
	clock_gettime(CLOCK_MONOTONIC, &show.from);
	migrate_result res;
	if (migrate_copy(src, dst, migrate_progress, &show, &res, &err)) {
		cli_eprintf("docket: migrate: %s\n", err.msg);
		if (uri)
			cli_eprintf("docket: migrate: nothing was copied into "
				    "%s; %s is unchanged\n", store_path(dst), from);
		store_close(dst);
		dst = NULL;
		if (!uri) {
			migrate_remove(to);
			cli_eprintf("docket: migrate: %s removed; %s is unchanged\n",
				    to, from);
		}
		rc = EXIT_FAIL;
		goto out;
	}
	int64_t total = 0;
	for (size_t i = 0; i < migrate_ntables; i++) {
		cli_printf("%-16s %12" PRId64 "\n", migrate_tables[i].name,
			   res.rows[i]);
		total += res.rows[i];
	}
	cli_printf("copied %" PRId64 " rows from %s to %s in %.1f s\n", total, from,
		   store_path(dst), res.seconds);
	/* The copy read back as verify reads it: the whole chain, hashed
	 * again, must end at the source's head. */
	char expect[96];
	snprintf(expect, sizeof expect, "%" PRId64 ":%s", res.src_seq, res.src_hash);
	audit_report rep;
	if (audit_verify(dst, expect, &rep, &err)) {
		cli_eprintf("docket: migrate: %s: the copy's chain does not verify "
			    "(entry %" PRId64 ": %s); it is left for inspection\n",
			    store_path(dst), rep.bad_seq, rep.problem);
		rc = EXIT_FAIL;
		goto out;
	}
	cli_printf("source head:      %s (%s)\n", expect, from);
	cli_printf("destination head: %" PRId64 ":%s (%s: %" PRId64
		   " entries, intact)\n",
		   rep.head_seq, rep.head_hash, store_path(dst), rep.entries);
	cli_printf("%" PRId64 ":%s\n", rep.head_seq, rep.head_hash);
out:
	store_close(dst);
	store_close(src);
	return rc;
}

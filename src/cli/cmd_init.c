/* cmd_init.c: `docket init STORE`: create an empty store; with --shared,
 * one that the people on this host share through a setgid docket. */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "docket/identity.h"

static const char init_usage[] =
	"Usage: docket init STORE\n"
	"       docket init --shared STORE [--group NAME]\n"
	"Create an empty store at STORE (a new SQLite file, readable only by you).\n"
	"You become its first supervisor. `docket import` also creates a store.\n"
	"STORE may be a PostgreSQL URI (postgresql://host/dbname): init creates\n"
	"the schema docket there, owned by the role you log in as, and the\n"
	"store's group roles docket_reviewer_DB and docket_supervisor_DB\n"
	"(which needs CREATEROLE; it says so when your role may not).\n"
	"\n"
	"  --shared      (as root) a store for the people of this host: a system\n"
	"                group (docket) owns STORE (0660) and its directory\n"
	"                (2770, created if missing; give it its own directory),\n"
	"                and nobody is put in that group. Install docket setgid\n"
	"                to it ('make install' as root does), so people reach\n"
	"                the store only through docket, as themselves. Then\n"
	"                'docket reviewer add STORE NAME' adds each person.\n"
	"  --group NAME  the group for --shared (default docket)\n";

extern char **environ;

/* groupadd --system NAME, unless the group exists. */
static int init_group(const char *name, gid_t *gid)
{
	const struct group *gr = getgrnam(name);
	if (!gr) {
		char *const args[] = {"groupadd", "--system", (char *)name, NULL};
		pid_t pid;
		int st = 0;
		if (posix_spawnp(&pid, "groupadd", NULL, NULL, args, environ) != 0 ||
		    waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
			cli_eprintf("docket init: could not create the system group "
					"'%s' (groupadd --system %s)\n", name, name);
			return 1;
		}
		cli_printf("created system group %s\n", name);
		gr = getgrnam(name);
		if (!gr)
			return 1;
	}
	*gid = gr->gr_gid;
	return 0;
}

/* Directory 2770 root:group (made if missing), so the -wal and -shm that
 * SQLite makes beside the store get the group too. */
static int init_dir(const char *dir, gid_t gid, const char *group)
{
	if (mkdir(dir, 02770) != 0 && errno != EEXIST) {
		cli_eprintf("docket init: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (chown(dir, 0, gid) != 0 || chmod(dir, 02770) != 0) {
		cli_eprintf("docket init: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	cli_printf("directory %s: owner root, group %s, mode 2770\n", dir, group);
	return 0;
}

static int init_shared(const char *path, const char *group)
{
	if (getuid() != 0 || geteuid() != 0) {
		cli_eprintf("docket init: --shared makes a system group and sets "
				"owners: run it as root (sudo docket init --shared %s)\n",
			path);
		return EXIT_FAIL;
	}
	char copy[PATH_MAX];
	snprintf(copy, sizeof copy, "%s", path);
	gid_t gid;
	if (init_group(group, &gid) || init_dir(dirname(copy), gid, group))
		return EXIT_FAIL;
	store *s = cli_open_store(path, STORE_CREATE | STORE_MUST_BE_NEW);
	if (!s)
		return EXIT_FAIL;
	int schema = store_schema_version(s);
	store_close(s);
	if (chown(path, 0, gid) != 0 || chmod(path, 0660) != 0) {
		cli_eprintf("docket init: %s: %s\n", path, strerror(errno));
		return EXIT_FAIL;
	}
	cli_printf("created %s (schema %d, supervisor %s): owner root, group %s, "
	       "mode 0660\n"
	       "Put nobody in group %s; install docket setgid to it ('make "
	       "install' as root), add each person with 'docket reviewer add %s "
	       "NAME [--role supervisor]', and check with 'docket doctor %s'.\n",
	       path, schema, dk_login_name(), group, group, path, path);
	return EXIT_OK;
}

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
					     {"shared", no_argument, NULL, 'S'},
					     {"group", required_argument, NULL, 'g'},
					     {NULL, 0, NULL, 0}};
	const char *group = "docket";
	int c, shared = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return cli_help(init_usage);
		case 'S': shared = 1; break;
		case 'g': group = optarg; break;
		default: return cli_usage_error("init", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("init", "expected one STORE path");
	if (!group[0])
		return cli_usage_error("init", "--group needs a name");
	if (shared)
		return init_shared(argv[optind], group);
	store *s = cli_open_store(argv[optind], STORE_CREATE | STORE_MUST_BE_NEW);
	if (!s)
		return EXIT_FAIL;
	cli_printf("created %s (schema %d, supervisor %s)\n", argv[optind],
	       store_schema_version(s), dk_login_name());
	store_close(s);
	return EXIT_OK;
}

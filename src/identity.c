/* identity.c: the real user's name, the one rule for acting under another
 * name, and the group privilege of a setgid install (identity.h). */
#include "docket/identity.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "docket/store.h"

static int id_privileged;
static gid_t id_priv_gid;

/* What a caller could use to steer a privileged process: the test clock
 * and faults (also compiled out of installed builds), terminfo from files
 * of the caller's choosing, and SQLite's temp directory. */
static const char *const id_scrub[] = {
	"DOCKET_NOW", "DOCKET_FAULT", "TERMINFO", "TERMINFO_DIRS",
	"SQLITE_TMPDIR", "DOCKET_BENCH_KEYS", "DOCKET_BENCH_FIRST_FRAME",
	"DOCKET_BENCH_SYNC",
};

int identity_init(void)
{
	id_privileged = getegid() != getgid() || geteuid() != getuid();
	if (!id_privileged)
		return 0;
	id_priv_gid = getegid();
	for (size_t i = 0; i < sizeof id_scrub / sizeof id_scrub[0]; i++)
		unsetenv(id_scrub[i]);
	/* A setuid install is not a set-up docket makes: give the user up
	 * for good rather than run as someone else. */
	if (geteuid() != getuid() && setreuid(getuid(), getuid()) != 0)
		return 1;
	return setegid(getgid()) != 0 || getegid() != getgid();
}

int identity_privileged(void)
{
	return id_privileged;
}

unsigned identity_priv_gid(void)
{
	return (unsigned)id_priv_gid;
}

const char *identity_login(void)
{
	return dk_login_name();
}

int identity_raise(void)
{
	if (!id_privileged || setegid(id_priv_gid) != 0)
		return 0;
	return 1;
}

int identity_raise_for_store(const char *path)
{
	if (!identity_raise())
		return 0;
	struct stat sb;
	/* Only an existing regular file of the group: a new store is made with
	 * the user's own rights, so nobody can plant a file of their own (a
	 * fake "-wal", say) in the group's directory. */
	if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_gid == id_priv_gid)
		return 1;
	identity_lower();
	return 0;
}

void identity_lower(void)
{
	if (id_privileged && setegid(getgid()) != 0)
		abort(); /* never go on holding the group by mistake */
}

int identity_owns_store(const char *path)
{
	int raised = identity_raise();
	struct stat sb;
	int owns = stat(path, &sb) == 0 && sb.st_uid == getuid();
	if (raised)
		identity_lower();
	return owns;
}

int identity_act_as(const char *store_path, const char *opt, const char *name,
		    const char **as, dk_error *err)
{
	const char *me = identity_login();
	*as = me;
	if (!name || !strcmp(name, me))
		return DK_OK;
	/* On PostgreSQL the database says who the session is (a login
	 * role, however it authenticated): nobody acts under another name. */
	if (store_target_is_uri(store_path))
		return dk_fail(err, "%s %s: on a PostgreSQL store you act as the "
				    "role you logged in as (%s); connect as %s "
				    "instead (PGUSER=%s, or user=%s in the URI)",
			       opt, name, me, name, name, name);
	if (!identity_owns_store(store_path))
		return dk_fail(err, "%s %s: you are %s, and only the owner of %s may "
				    "act under another name; run it as yourself "
				    "(without %s)",
			       opt, name, me, store_path, opt);
	*as = name;
	return DK_OK;
}

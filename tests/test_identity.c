/* test_identity.c: who docket says the user is, when another name is
 * allowed, and that the installed build ignores DOCKET_NOW. */
#include "fixture.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "docket/clock.h"
#include "docket/identity.h"
#include "docket/testhook.h"
#include "docket/util.h"

static void identity_login__real_uid__whatever_the_environment_says(void **state)
{
	(void)state;
	setenv("LOGNAME", "someone-else", 1);
	setenv("USER", "someone-else", 1);
	const struct passwd *pw = getpwuid(getuid());
	assert_non_null(pw);
	assert_string_equal(identity_login(), pw->pw_name);
	assert_string_equal(dk_login_name(), pw->pw_name);
}

static void identity_act_as__own_store__any_name(void **state)
{
	(void)state;
	char path[] = "/tmp/docket-identity-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	const char *as = NULL;
	dk_error err = {{0}};
	assert_int_equal(identity_act_as(path, "--as", NULL, &as, &err), DK_OK);
	assert_string_equal(as, identity_login());
	assert_int_equal(identity_act_as(path, "--as", "bob", &as, &err), DK_OK);
	assert_string_equal(as, "bob");
	unlink(path);
}

/* Someone else's store (here: a file given to another uid, which only
 * root can do; elsewhere the test is skipped). */
static void identity_act_as__others_store__only_yourself(void **state)
{
	(void)state;
	if (getuid() != 0)
		skip();
	char path[] = "/tmp/docket-identity-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(chown(path, 54321, (gid_t)-1), 0);
	const char *as = NULL;
	dk_error err = {{0}};
	assert_int_equal(identity_act_as(path, "--reviewer", "bob", &as, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "--reviewer bob: you are"));
	assert_non_null(strstr(err.msg, "only the owner of"));
	assert_string_equal(as, identity_login());
	/* Naming yourself is not acting as someone else. */
	assert_int_equal(identity_act_as(path, "--reviewer", identity_login(), &as,
					 &err),
			 DK_OK);
	assert_int_equal(identity_owns_store(path), 0);
	unlink(path);
}

/* On PostgreSQL the session's role is who you are: no other name, even for
 * whoever could own a file of that name. */
static void identity_act_as__postgres_store__only_the_session_role(void **state)
{
	(void)state;
	const char *uri = "postgresql:///docket?host=/nonexistent&user=alice";
	const char *as = NULL;
	dk_error err = {{0}};
	char was[256];
	snprintf(was, sizeof was, "%s", dk_login_name());
	dk_login_set("alice");
	assert_string_equal(identity_login(), "alice");
	assert_int_equal(identity_act_as(uri, "--as", NULL, &as, &err), DK_OK);
	assert_string_equal(as, "alice");
	assert_int_equal(identity_act_as(uri, "--as", "alice", &as, &err), DK_OK);
	assert_int_equal(identity_act_as(uri, "--reviewer", "bob", &as, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "--reviewer bob: on a PostgreSQL store you "
					"act as the role you logged in as (alice)"));
	assert_string_equal(as, "alice");
	dk_login_set(was);
}

static void clock_now__installed_build__ignores_docket_now(void **state)
{
	(void)state;
	setenv("DOCKET_NOW", "2099-01-01", 1);
	setenv("DOCKET_FAULT", "wal-sync", 1);
	/* The core library the tests link is the installed build's. */
	assert_null(testhook_env("DOCKET_NOW"));
	assert_int_equal(testhook_fault("wal-sync"), 0);
	assert_true(clock_now_ms() < 4000000000000LL);
	unsetenv("DOCKET_NOW");
	unsetenv("DOCKET_FAULT");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(identity_login__real_uid__whatever_the_environment_says),
		cmocka_unit_test(identity_act_as__own_store__any_name),
		cmocka_unit_test(identity_act_as__others_store__only_yourself),
		cmocka_unit_test(identity_act_as__postgres_store__only_the_session_role),
		cmocka_unit_test(clock_now__installed_build__ignores_docket_now),
	};
	return cmocka_run_group_tests_name("identity", tests, NULL, NULL);
}

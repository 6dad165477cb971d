/* testhook.c: environment switches for tests, compiled in only by the
 * test build (DOCKET_TEST_HOOKS; see testhook.h and the Makefile). */
#include "docket/testhook.h"

#include <stdlib.h>
#include <string.h>

const char *testhook_env(const char *name)
{
#ifdef DOCKET_TEST_HOOKS
	return getenv(name);
#else
	(void)name;
	return NULL;
#endif
}

int testhook_fault(const char *fault)
{
	const char *list = testhook_env("DOCKET_FAULT");
	size_t n = strlen(fault);
	while (list && *list) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);
		if (len == n && !strncmp(list, fault, n))
			return 1;
		list = end ? end + 1 : NULL;
	}
	return 0;
}

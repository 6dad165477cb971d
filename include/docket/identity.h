/* identity.h: who runs docket, and what the group of an installed setgid
 * binary may reach.
 *
 * A store shared on one host is owned by a system group that no person is
 * in, and the binary is installed setgid to it (README: "Sharing a store on
 * one host"). Then the group's rights must reach the store and nothing
 * else: identity_init drops them at start-up, and only store.c takes them
 * back, around opening and closing a store file of that group. Every other
 * file (an import, --out, config, themes, terminfo) is opened with the
 * user's own rights because nothing else ever holds the group. */
#ifndef DOCKET_IDENTITY_H
#define DOCKET_IDENTITY_H

#include "docket/util.h"

/* Call first thing in main. When the process runs setgid (or setuid): note
 * the privileged group, drop it (setegid to the real gid; it stays the
 * saved set-group-ID, so identity_raise can take it back), and remove the
 * environment variables that would let the caller steer a privileged
 * process (DOCKET_NOW, DOCKET_FAULT, TERMINFO, TERMINFO_DIRS, ...).
 * Returns 0, or 1 when the privilege could not be dropped (the caller must
 * stop). */
int identity_init(void);

/* 1 when this process was started setgid or setuid. */
int identity_privileged(void);

/* The group identity_init dropped (meaningful when identity_privileged). */
unsigned identity_priv_gid(void);

/* The login name of the real user (getuid), never taken from the
 * environment. "uid-N" when the user has no passwd entry. */
const char *identity_login(void);

/* Take the privileged group back for the store file at path: only when
 * the process is privileged and path names an existing file owned by that
 * group. Returns 1 when it raised (pair with identity_lower), else 0. */
int identity_raise_for_store(const char *path);

/* Take the privileged group back unconditionally (doctor's look at the
 * store's directory); returns 1 when raised. */
int identity_raise(void);

/* Drop the privileged group again. Safe to call when not raised. */
void identity_lower(void);

/* 1 when the real user owns the store file at path outright: the file's
 * owner is the real uid. Only then may a command act under another name. */
int identity_owns_store(const char *path);

/* The name a command acts as. name is what --as/--reviewer said (NULL or
 * the caller's own login name: the caller). Another name is allowed only
 * when the caller owns the store outright (a file), and never on a
 * PostgreSQL store (store_path a URI: the caller is the session's role);
 * otherwise returns DK_ERR with a message naming opt and the rule. On
 * success *as is the name to use. */
int identity_act_as(const char *store_path, const char *opt, const char *name,
		    const char **as, dk_error *err);

#endif

/* test_anchor.c: supervisors' keys and signed anchors of the chain's head:
 * key files round-trip and refuse what they must, an anchor verifies with
 * its key and only with a trusted one, and kept lines are found or not. */
#include "fixture.h"

#include <math.h>
#include <sys/stat.h>

#include "docket/anchor.h"
#include "docket/audit.h"

static void append(store *s, int n)
{
	dk_error err = {{0}};
	for (int i = 0; i < n; i++) {
		audit_entry e = {.reviewer = "ann", .action = "export", .seconds = NAN};
		assert_int_equal(store_begin_write(s, &err), DK_OK);
		assert_int_equal(audit_append(s, &e, NULL, NULL, &err), DK_OK);
		assert_int_equal(store_commit(s, &err), DK_OK);
	}
}

static void write_text(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void anchor_key__write_read__round_trips_and_refuses(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	char sec[160], pub[160], bad[160];
	snprintf(sec, sizeof sec, "%s/keys/deep/a.key", f->dir);
	snprintf(pub, sizeof pub, "%s/keys/deep/a.pub", f->dir);
	anchor_key k, r, p;
	anchor_key_generate(&k);
	assert_int_equal(anchor_key_write(&k, sec, pub, "sue", 0, &err), DK_OK);
	struct stat st;
	assert_int_equal(stat(sec, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(anchor_key_read_secret(sec, &r, &err), DK_OK);
	assert_memory_equal(r.sk, k.sk, sizeof k.sk);
	assert_memory_equal(r.pk, k.pk, sizeof k.pk);
	assert_int_equal(anchor_key_read_public(pub, &p, &err), DK_OK);
	assert_memory_equal(p.pk, k.pk, sizeof k.pk);
	assert_int_equal(p.has_secret, 0);
	/* never over an existing key without force */
	assert_int_equal(anchor_key_write(&k, sec, pub, "sue", 0, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "already exists"));
	/* a secret key others may read */
	chmod(sec, 0640);
	assert_int_equal(anchor_key_read_secret(sec, &r, &err), DK_ERR);
	assert_non_null(strstr(err.msg, "chmod 600"));
	/* wrong tag, short hex, a public file read as secret */
	snprintf(bad, sizeof bad, "%s/bad", f->dir);
	write_text(bad, "docket-ed25519 abcd\n", 0600);
	assert_int_equal(anchor_key_read_public(bad, &p, &err), DK_ERR);
	assert_non_null(strstr(err.msg, ":1: not a docket public key"));
	assert_int_equal(anchor_key_read_secret(pub, &r, &err), DK_ERR);
	write_text(bad, "ssh-ed25519 AAAA\n", 0600);
	assert_int_equal(anchor_key_read_public(bad, &p, &err), DK_ERR);
	/* a symlink is not followed */
	char link[200];
	snprintf(link, sizeof link, "%s/link.pub", f->dir);
	assert_int_equal(symlink(pub, link), 0);
	assert_int_equal(anchor_key_read_public(link, &p, &err), DK_ERR);
	unlink(link);
	unlink(bad);
	unlink(sec);
	unlink(pub);
	char d[160];
	snprintf(d, sizeof d, "%s/keys/deep", f->dir);
	rmdir(d);
	snprintf(d, sizeof d, "%s/keys", f->dir);
	rmdir(d);
}

static void anchor_verify__trusted_key_and_kept_lines(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	anchor_key sue, eve;
	anchor_key_generate(&sue);
	anchor_key_generate(&eve);
	anchor_report rep;
	sbuf line = {0};
	int64_t seq = 0;
	/* nothing to sign in an empty log */
	assert_int_equal(anchor_sign_head(f->s, &sue, "sue", &line, &seq, &err), DK_ERR);
	append(f->s, 3);
	assert_int_equal(anchor_sign_head(f->s, &sue, "sue", &line, &seq, &err), DK_OK);
	assert_int_equal(seq, 4);
	assert_non_null(strstr(sbuf_str(&line), " seq=3 "));
	char *kept = dk_xstrdup(sbuf_str(&line));
	append(f->s, 2);
	anchor_key trusted[2] = {sue, eve};
	const char *lines[1] = {kept};
	assert_int_equal(anchor_verify(f->s, trusted, 1, lines, 1, &rep, &err), DK_OK);
	assert_int_equal(rep.anchors, 1);
	assert_int_equal(rep.lines, 1);
	assert_int_equal(rep.latest_seq, 4);
	assert_int_equal(rep.after_latest, 2);
	/* only eve trusted: sue's anchor is refused, naming the entry */
	assert_int_equal(anchor_verify(f->s, &trusted[1], 1, NULL, 0, &rep, &err), DK_ERR);
	assert_int_equal(rep.bad_seq, 4);
	assert_non_null(strstr(rep.problem, "not among the trusted keys"));
	/* no keys: signatures only; kept lines then need keys */
	assert_int_equal(anchor_verify(f->s, NULL, 0, NULL, 0, &rep, &err), DK_OK);
	assert_int_equal(anchor_verify(f->s, NULL, 0, lines, 1, &rep, &err), DK_ERR);
	/* a kept line from another store */
	char *other = dk_xstrdup(kept);
	memcpy(strstr(other, "store=") + 6, "ffff", 4);
	lines[0] = other;
	assert_int_equal(anchor_verify(f->s, trusted, 1, lines, 1, &rep, &err), DK_ERR);
	assert_non_null(strstr(rep.problem, "kept anchor line 1"));
	/* the latest anchor for the screen */
	char by[64];
	int64_t after;
	assert_int_equal(anchor_latest(f->s, &seq, by, &after, &err), DK_OK);
	assert_int_equal(seq, 4);
	assert_string_equal(by, "sue");
	assert_int_equal(after, 2);
	free(kept);
	free(other);
	sbuf_free(&line);
}

static void anchor_verify__no_anchor_with_trusted_keys__fails(void **state)
{
	struct fixture *f = *state;
	dk_error err = {{0}};
	anchor_key sue;
	anchor_key_generate(&sue);
	anchor_report rep;
	append(f->s, 2);
	assert_int_equal(anchor_verify(f->s, NULL, 0, NULL, 0, &rep, &err), DK_OK);
	assert_int_equal(anchor_verify(f->s, &sue, 1, NULL, 0, &rep, &err), DK_ERR);
	assert_non_null(strstr(rep.problem, "no anchor"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup_no_log, fixture_teardown)
		T(anchor_key__write_read__round_trips_and_refuses),
		T(anchor_verify__trusted_key_and_kept_lines),
		T(anchor_verify__no_anchor_with_trusted_keys__fails),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

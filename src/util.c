/* util.c: error messages, growable strings, JSON escaping, number parsing. */
#include "docket/util.h"

#include <errno.h>
#include <math.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int dk_fail(dk_error *err, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return DK_ERR;
}

void *dk_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fputs("docket: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *dk_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("docket: out of memory\n", stderr);
		abort();
	}
	return p;
}

char *dk_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(dk_xmalloc(n), s, n);
}

static void sbuf_realloc(sbuf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->buf = dk_xrealloc(b->buf, cap);
	b->cap = cap;
}

/* The check inline, the growing apart: the import adds a few bytes at a
 * time, tens of millions of times (the call alone was 4% of its reading
 * thread). */
static inline void sbuf_grow(sbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need > b->cap)
		sbuf_realloc(b, need);
}

void sbuf_free(sbuf *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
}

void sbuf_reset(sbuf *b)
{
	b->len = 0;
	if (b->buf)
		b->buf[0] = '\0';
}

void sbuf_add(sbuf *b, const char *s, size_t n)
{
	sbuf_grow(b, n);
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void sbuf_adds(sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

void sbuf_addc(sbuf *b, char c)
{
	sbuf_grow(b, 1);
	b->buf[b->len++] = c;
	b->buf[b->len] = '\0';
}

void sbuf_printf(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sbuf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sbuf_add_json_str(sbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	sbuf_grow(b, n + 2);
	sbuf_addc(b, '"');
	size_t run = 0; /* start of the current run of bytes needing no escape */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sbuf_add(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': sbuf_add(b, "\\\"", 2); break;
		case '\\': sbuf_add(b, "\\\\", 2); break;
		case '\n': sbuf_add(b, "\\n", 2); break;
		case '\r': sbuf_add(b, "\\r", 2); break;
		case '\t': sbuf_add(b, "\\t", 2); break;
		default: {
			char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			sbuf_add(b, u, 6);
		}
		}
	}
	sbuf_add(b, s + run, n - run);
	sbuf_addc(b, '"');
}

void sbuf_add_json_num(sbuf *b, double v)
{
	char tmp[40];
	if (!isfinite(v)) {
		sbuf_adds(b, "null");
		return;
	}
	/* %.17g always reads back equal; try shorter forms first for readability. */
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	sbuf_adds(b, tmp);
}

const char *sbuf_str(const sbuf *b)
{
	return b->buf ? b->buf : "";
}

/* The name dk_login_name returns once known (or set). */
static char dk_login[256];

void dk_login_set(const char *name)
{
	snprintf(dk_login, sizeof dk_login, "%s", name);
}

/* The real user's login name: getuid, not geteuid (a setgid or setuid
 * binary acts for the person who ran it) and never LOGNAME or USER, which
 * anyone can set to anyone. */
const char *dk_login_name(void)
{
	char *name = dk_login;
	if (name[0])
		return name;
	const struct passwd *pw = getpwuid(getuid());
	if (pw && pw->pw_name && pw->pw_name[0])
		snprintf(name, sizeof dk_login, "%s", pw->pw_name);
	else
		snprintf(name, sizeof dk_login, "uid-%lu", (unsigned long)getuid());
	return name;
}

int dk_next_line(const char **p, char *buf, size_t len, int *lineno)
{
	if (!**p)
		return 0;
	const char *eol = strchr(*p, '\n');
	size_t n = eol ? (size_t)(eol - *p) : strlen(*p);
	++*lineno;
	if (n >= len)
		return -1;
	memcpy(buf, *p, n);
	buf[n] = '\0';
	*p += n + (eol ? 1 : 0);
	return 1;
}

int dk_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		uint32_t cp;
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

int dk_parse_double(const char *s, size_t n, double *out)
{
	/* Plain decimals of up to 15 digits: an exact integer over an exact
	 * power of ten, which IEEE division rounds as strtod does (readers of
	 * stored probabilities take this path for every case). */
	static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,
				       1e6, 1e7, 1e8,  1e9,  1e10, 1e11,
				       1e12, 1e13, 1e14, 1e15};
	size_t i = n && s[0] == '-', digits = 0, frac = 0;
	uint64_t m = 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
		m = m * 10 + (uint64_t)(s[i] - '0');
	if (digits && i + 1 < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, frac++)
			m = m * 10 + (uint64_t)(s[i] - '0');
	if (digits && i == n && digits + frac <= 15 && (frac || s[i - 1] != '.')) {
		double v = (double)m / pow10[frac];
		*out = s[0] == '-' ? -v : v;
		return 0;
	}
	char tmp[64];
	/* Copy so strtod cannot read past n, and so an embedded NUL is junk. */
	if (n == 0 || n >= sizeof tmp || memchr(s, '\0', n))
		return 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (tmp[0] == ' ' || tmp[0] == '\t')
		return 1;
	char *end;
	errno = 0;
	double v = strtod(tmp, &end);
	if (end != tmp + n || end == tmp || !isfinite(v))
		return 1;
	*out = v;
	return 0;
}

int dk_parse_int64(const char *s, size_t n, int64_t *out)
{
	char tmp[32];
	if (n == 0 || n >= sizeof tmp || memchr(s, '\0', n))
		return 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (tmp[0] == ' ' || tmp[0] == '\t')
		return 1;
	char *end;
	errno = 0;
	long long v = strtoll(tmp, &end, 10);
	if (end != tmp + n || errno == ERANGE)
		return 1;
	*out = (int64_t)v;
	return 0;
}

/* [+-]digits[.digits][e[+-]digits], or with the digits after the point */
static int dk_plain_number(const char *s, size_t n)
{
	size_t i = 0, digits = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (!digits)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t e = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == e)
			return 0;
	}
	return i == n;
}

int dk_csv_formula_like(const char *s, size_t n)
{
	if (n == 0 || !strchr("=+-@\t\r", s[0]) || s[0] == '\0')
		return 0;
	return !dk_plain_number(s, n);
}

/* ---- dk_strset --------------------------------------------------------- */

struct dk_strset_ent {
	size_t off, len; /* in bytes */
	size_t slot;     /* where its index sits in slots */
	uint64_t hash;
};

static uint64_t dk_strset_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/* The slot holding s (hash h), or the empty slot where it would go. */
static size_t dk_strset_probe(const dk_strset *set, const char *s, size_t n,
			      uint64_t h)
{
	size_t mask = set->nslots - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		size_t k = set->slots[i];
		if (!k)
			return i;
		const struct dk_strset_ent *e = &set->ent[k - 1];
		if (e->hash == h && e->len == n &&
		    !memcmp(set->bytes.buf + e->off, s, n))
			return i;
	}
}

/* Twice the slots, every entry placed again (no more than half full). */
static void dk_strset_grow(dk_strset *set)
{
	size_t nslots = set->nslots ? set->nslots * 2 : 16;
	free(set->slots);
	set->slots = dk_xmalloc(nslots * sizeof *set->slots);
	memset(set->slots, 0, nslots * sizeof *set->slots);
	set->nslots = nslots;
	for (size_t k = 0; k < set->n; k++) {
		struct dk_strset_ent *e = &set->ent[k];
		size_t i = (size_t)e->hash & (nslots - 1);
		while (set->slots[i])
			i = (i + 1) & (nslots - 1);
		set->slots[i] = k + 1;
		e->slot = i;
	}
}

size_t dk_strset_add(dk_strset *set, const char *s, size_t n, int *added)
{
	if (added)
		*added = 0;
	if ((set->n + 1) * 2 > set->nslots)
		dk_strset_grow(set);
	uint64_t h = dk_strset_hash(s, n);
	size_t i = dk_strset_probe(set, s, n, h);
	if (set->slots[i])
		return set->slots[i] - 1;
	if (set->n == set->ent_cap) {
		set->ent_cap = set->ent_cap ? set->ent_cap * 2 : 16;
		set->ent = dk_xrealloc(set->ent, set->ent_cap * sizeof *set->ent);
	}
	struct dk_strset_ent *e = &set->ent[set->n];
	e->off = set->bytes.len;
	e->len = n;
	e->slot = i;
	e->hash = h;
	sbuf_add(&set->bytes, s, n);
	sbuf_addc(&set->bytes, '\0');
	set->slots[i] = ++set->n;
	if (added)
		*added = 1;
	return set->n - 1;
}

size_t dk_strset_find(const dk_strset *set, const char *s, size_t n)
{
	if (!set->n)
		return (size_t)-1;
	size_t k = set->slots[dk_strset_probe(set, s, n, dk_strset_hash(s, n))];
	return k ? k - 1 : (size_t)-1;
}

const char *dk_strset_str(const dk_strset *set, size_t i, size_t *n)
{
	if (n)
		*n = set->ent[i].len;
	return set->bytes.buf + set->ent[i].off;
}

size_t dk_strset_count(const dk_strset *set)
{
	return set->n;
}

void dk_strset_reset(dk_strset *set)
{
	/* Only the slots in use are cleared: a set reused per JSON line stays
	 * as cheap as the line, even after one very wide line. */
	for (size_t k = 0; k < set->n; k++)
		set->slots[set->ent[k].slot] = 0;
	set->n = 0;
	sbuf_reset(&set->bytes);
}

void dk_strset_free(dk_strset *set)
{
	sbuf_free(&set->bytes);
	free(set->ent);
	free(set->slots);
	memset(set, 0, sizeof *set);
}

void dk_sort(void *base, size_t n, size_t size,
	     int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/* util.c: error messages, growable strings, JSON escaping, number parsing. */
#include "docket/util.h"

#include <errno.h>
#include <math.h>
#include <pwd.h>
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

static void sbuf_grow(sbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->buf = dk_xrealloc(b->buf, cap);
	b->cap = cap;
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

/* The real user's login name: getuid, not geteuid (a setgid or setuid
 * binary acts for the person who ran it) and never LOGNAME or USER, which
 * anyone can set to anyone. */
const char *dk_login_name(void)
{
	static char name[256];
	if (name[0])
		return name;
	const struct passwd *pw = getpwuid(getuid());
	if (pw && pw->pw_name && pw->pw_name[0])
		snprintf(name, sizeof name, "%s", pw->pw_name);
	else
		snprintf(name, sizeof name, "uid-%lu", (unsigned long)getuid());
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

/* failif.c: a recursive-descent parser and evaluator for --fail-if
 * conditions (see failif.h for the grammar). */
#include "docket/failif.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum failif_tok {
	TOK_END,
	TOK_NAME,
	TOK_NUM,
	TOK_OP,
	TOK_AND,
	TOK_OR,
	TOK_NOT,
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_BAD,
};

enum failif_op { OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE };

enum failif_kind { NODE_CMP, NODE_AND, NODE_OR, NODE_NOT };

struct failif_node {
	enum failif_kind kind;
	struct failif_node *a, *b;
	const char *metric; /* NODE_CMP: one of the accepted names */
	enum failif_op op;
	double num;
};

struct failif {
	struct failif_node *root;
};

struct failif_parser {
	const char *text;
	const char *const *metrics;
	size_t nmetrics;
	/* the current token */
	enum failif_tok tok;
	size_t start, len;
	enum failif_op op;
	double num;
	size_t pos; /* where the next token starts */
	dk_error *err;
	int failed;
};

static void failif_next(struct failif_parser *p)
{
	const char *t = p->text;
	size_t i = p->pos;
	while (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')
		i++;
	p->start = i;
	p->len = 1;
	char c = t[i];
	if (c == '\0') {
		p->tok = TOK_END;
		p->len = 0;
	} else if (c == '(') {
		p->tok = TOK_LPAREN;
	} else if (c == ')') {
		p->tok = TOK_RPAREN;
	} else if (c == '&' && t[i + 1] == '&') {
		p->tok = TOK_AND;
		p->len = 2;
	} else if (c == '|' && t[i + 1] == '|') {
		p->tok = TOK_OR;
		p->len = 2;
	} else if (c == '<' || c == '>' || c == '=' || c == '!') {
		int eq = t[i + 1] == '=';
		p->tok = TOK_OP;
		p->len = 1 + (size_t)eq;
		switch (c) {
		case '<': p->op = eq ? OP_LE : OP_LT; break;
		case '>': p->op = eq ? OP_GE : OP_GT; break;
		case '=': p->op = OP_EQ; break;
		case '!':
			if (eq)
				p->op = OP_NE;
			else
				p->tok = TOK_NOT;
			break;
		}
	} else if (isdigit((unsigned char)c) || c == '.' ||
		   ((c == '-' || c == '+') &&
		    (isdigit((unsigned char)t[i + 1]) || t[i + 1] == '.'))) {
		char *end;
		p->num = strtod(t + i, &end);
		p->len = (size_t)(end - (t + i));
		/* a number runs into letters ("0.2x"): one bad token */
		size_t j = i + p->len;
		while (isalnum((unsigned char)t[j]) || t[j] == '_' || t[j] == '.')
			j++;
		p->tok = p->len && j == i + p->len ? TOK_NUM : TOK_BAD;
		p->len = j - i;
	} else if (isalpha((unsigned char)c) || c == '_') {
		size_t j = i;
		while (isalnum((unsigned char)t[j]) || t[j] == '_' || t[j] == '.')
			j++;
		p->len = j - i;
		p->tok = TOK_NAME;
		if (p->len == 3 && !strncmp(t + i, "and", 3))
			p->tok = TOK_AND;
		else if (p->len == 2 && !strncmp(t + i, "or", 2))
			p->tok = TOK_OR;
		else if (p->len == 3 && !strncmp(t + i, "not", 3))
			p->tok = TOK_NOT;
	} else {
		p->tok = TOK_BAD;
		/* one whole UTF-8 character */
		while ((t[i + p->len] & 0xC0) == 0x80)
			p->len++;
	}
	p->pos = p->start + p->len;
}

/* Fill err: message, the expression, a caret under the current token. */
static void failif_error(struct failif_parser *p, const char *fmt, const char *what)
{
	if (p->failed)
		return;
	p->failed = 1;
	char msg[768];
	snprintf(msg, sizeof msg, fmt, what);
	sbuf b = {0};
	sbuf_printf(&b, "%s\n  %s\n  ", msg, p->text);
	/* align the caret by characters, not bytes */
	for (size_t i = 0; i < p->start; i++)
		if ((p->text[i] & 0xC0) != 0x80)
			sbuf_addc(&b, p->text[i] == '\t' ? '\t' : ' ');
	sbuf_addc(&b, '^');
	for (size_t i = 1; i < p->len; i++)
		if ((p->text[p->start + i] & 0xC0) != 0x80)
			sbuf_addc(&b, '~');
	dk_fail(p->err, "%s", sbuf_str(&b));
	sbuf_free(&b);
}

static const char *failif_tokname(const struct failif_parser *p, char *buf,
				  size_t n)
{
	if (p->tok == TOK_END)
		return "the end";
	snprintf(buf, n, "'%.*s'", (int)(p->len > 40 ? 40 : p->len),
		 p->text + p->start);
	return buf;
}

static struct failif_node *failif_node(enum failif_kind kind)
{
	struct failif_node *n = dk_xmalloc(sizeof *n);
	memset(n, 0, sizeof *n);
	n->kind = kind;
	return n;
}

static void failif_node_free(struct failif_node *n)
{
	if (!n)
		return;
	failif_node_free(n->a);
	failif_node_free(n->b);
	free(n);
}

static struct failif_node *failif_expr(struct failif_parser *p, int depth);

static struct failif_node *failif_unary(struct failif_parser *p, int depth)
{
	char buf[64];
	if (depth > 64) {
		failif_error(p, "%s", "expression nested too deeply");
		return NULL;
	}
	if (p->tok == TOK_NOT) {
		failif_next(p);
		struct failif_node *a = failif_unary(p, depth + 1);
		if (!a)
			return NULL;
		struct failif_node *n = failif_node(NODE_NOT);
		n->a = a;
		return n;
	}
	if (p->tok == TOK_LPAREN) {
		failif_next(p);
		struct failif_node *a = failif_expr(p, depth + 1);
		if (!a)
			return NULL;
		if (p->tok != TOK_RPAREN) {
			failif_error(p, "expected ')' here, found %s",
				     failif_tokname(p, buf, sizeof buf));
			failif_node_free(a);
			return NULL;
		}
		failif_next(p);
		return a;
	}
	if (p->tok != TOK_NAME) {
		failif_error(p, "expected a metric name or '(', found %s",
			     failif_tokname(p, buf, sizeof buf));
		return NULL;
	}
	const char *metric = NULL;
	for (size_t i = 0; i < p->nmetrics; i++)
		if (strlen(p->metrics[i]) == p->len &&
		    !strncmp(p->metrics[i], p->text + p->start, p->len))
			metric = p->metrics[i];
	if (!metric) {
		/* Name every metric: the list is the one the caller evaluates. */
		sbuf m = {0};
		sbuf_printf(&m, "unknown metric %s; the metrics are the top-level "
				"number keys of 'docket stats --format json': ",
			    failif_tokname(p, buf, sizeof buf));
		for (size_t i = 0; i < p->nmetrics; i++)
			sbuf_printf(&m, "%s%s", i ? ", " : "", p->metrics[i]);
		failif_error(p, "%s", sbuf_str(&m));
		sbuf_free(&m);
		return NULL;
	}
	failif_next(p);
	if (p->tok != TOK_OP) {
		failif_error(p, "expected a comparison (<, <=, >, >=, ==, !=) "
				"after the metric, found %s",
			     failif_tokname(p, buf, sizeof buf));
		return NULL;
	}
	enum failif_op op = p->op;
	failif_next(p);
	if (p->tok != TOK_NUM) {
		failif_error(p, "expected a number, found %s",
			     failif_tokname(p, buf, sizeof buf));
		return NULL;
	}
	struct failif_node *n = failif_node(NODE_CMP);
	n->metric = metric;
	n->op = op;
	n->num = p->num;
	failif_next(p);
	return n;
}

static struct failif_node *failif_term(struct failif_parser *p, int depth)
{
	struct failif_node *a = failif_unary(p, depth);
	while (a && p->tok == TOK_AND) {
		failif_next(p);
		struct failif_node *b = failif_unary(p, depth);
		if (!b) {
			failif_node_free(a);
			return NULL;
		}
		struct failif_node *n = failif_node(NODE_AND);
		n->a = a;
		n->b = b;
		a = n;
	}
	return a;
}

static struct failif_node *failif_expr(struct failif_parser *p, int depth)
{
	struct failif_node *a = failif_term(p, depth);
	while (a && p->tok == TOK_OR) {
		failif_next(p);
		struct failif_node *b = failif_term(p, depth);
		if (!b) {
			failif_node_free(a);
			return NULL;
		}
		struct failif_node *n = failif_node(NODE_OR);
		n->a = a;
		n->b = b;
		a = n;
	}
	return a;
}

int failif_parse(const char *text, const char *const *metrics, size_t nmetrics,
		 failif **out, dk_error *err)
{
	*out = NULL;
	struct failif_parser p = {.text = text, .metrics = metrics,
				  .nmetrics = nmetrics, .err = err};
	failif_next(&p);
	if (p.tok == TOK_END) {
		failif_error(&p, "%s", "empty condition");
		return DK_USAGE;
	}
	struct failif_node *root = failif_expr(&p, 0);
	if (root && p.tok != TOK_END) {
		char buf[64];
		failif_error(&p, "expected 'and', 'or' or the end, found %s",
			     failif_tokname(&p, buf, sizeof buf));
		failif_node_free(root);
		root = NULL;
	}
	if (!root)
		return DK_USAGE;
	*out = dk_xmalloc(sizeof **out);
	(*out)->root = root;
	return DK_OK;
}

void failif_free(failif *f)
{
	if (!f)
		return;
	failif_node_free(f->root);
	free(f);
}

/* Kleene's three-valued logic: 0 false, 1 true, FAILIF_UNKNOWN. */
#define FAILIF_UNKNOWN 2

static int failif_node_eval(const struct failif_node *n, failif_lookup_fn *lookup,
			    void *ctx, sbuf *unknown)
{
	int a, b;
	switch (n->kind) {
	case NODE_NOT:
		a = failif_node_eval(n->a, lookup, ctx, unknown);
		return a == FAILIF_UNKNOWN ? a : !a;
	/* Both sides are evaluated so every unknown figure is reported. */
	case NODE_AND:
		a = failif_node_eval(n->a, lookup, ctx, unknown);
		b = failif_node_eval(n->b, lookup, ctx, unknown);
		if (a == 0 || b == 0)
			return 0;
		return a == 1 && b == 1 ? 1 : FAILIF_UNKNOWN;
	case NODE_OR:
		a = failif_node_eval(n->a, lookup, ctx, unknown);
		b = failif_node_eval(n->b, lookup, ctx, unknown);
		if (a == 1 || b == 1)
			return 1;
		return a == 0 && b == 0 ? 0 : FAILIF_UNKNOWN;
	case NODE_CMP: break;
	}
	double v;
	if (lookup(ctx, n->metric, &v)) {
		if (unknown && !strstr(sbuf_str(unknown), n->metric)) {
			if (unknown->len)
				sbuf_adds(unknown, ", ");
			sbuf_adds(unknown, n->metric);
		}
		return FAILIF_UNKNOWN;
	}
	switch (n->op) {
	case OP_LT: return v < n->num;
	case OP_LE: return v <= n->num;
	case OP_GT: return v > n->num;
	case OP_GE: return v >= n->num;
	case OP_EQ: return v == n->num;
	case OP_NE: return v != n->num;
	}
	return 0;
}

int failif_eval(const failif *f, failif_lookup_fn *lookup, void *ctx,
		sbuf *unknown)
{
	return failif_node_eval(f->root, lookup, ctx, unknown) == 1;
}

/*
 * expr.c - row expressions: the lexer, a precedence-climbing parser into
 * an AST, canonical writing, binding (column lookup and static types)
 * and vectorized evaluation.
 *
 * Owns the expression language of expr.h.  Leaves alone: where the text
 * came from (callers add file, line and spec column), what is done with
 * the result column, and SQL export.
 *
 * Evaluation is vectorized: rows go in blocks of EVAL_BLOCK, and each
 * node turns its operands' vectors into one vector for the block.  A node
 * that reads a column yields a value per row, one that reads none yields
 * a single value (so constants are computed once).  Numeric columns are
 * read in place; strings are pointers into the table's dictionaries and
 * arenas, or into an arena for computed strings.  A subtree that reads
 * only one categorical column is evaluated once per dictionary entry and
 * gathered through the codes.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/expr.h"
#include "core/xmalloc.h"

#define MAX_DEPTH	1000	/* tree depth: bounds every recursion */
#define MAX_NEST	200	/* parser recursion: parentheses, lists */
#define ARENA_CHUNK	65536
#define EVAL_BLOCK	2048	/* rows evaluated at a time */

/* Static types.  T_NULL is the NULL literal until its context types it. */
enum vtype {
	T_NULL,
	T_NUM,
	T_BOOL,
	T_STR,
};

enum nkind {
	N_NUM,
	N_STR,
	N_NULL,
	N_BOOL,
	N_COL,
	N_NEG,
	N_NOT,
	N_BIN,
	N_ISNULL,	/* x IS [NOT] NULL */
	N_IS,		/* x IS [NOT] y */
	N_BETWEEN,	/* x, lo, hi */
	N_IN,		/* x, items... */
	N_LIKE,		/* x, pattern */
	N_CASE,		/* [base], (when, then)..., [else] */
	N_CAST,
	N_FUNC,
};

enum binop {
	OP_OR,
	OP_AND,
	OP_EQ,
	OP_NE,
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
	OP_CONCAT,
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_DIV,
	OP_MOD,
};

static const char *const binop_text[] = {
	[OP_OR] = "OR", [OP_AND] = "AND", [OP_EQ] = "=", [OP_NE] = "!=",
	[OP_LT] = "<", [OP_LE] = "<=", [OP_GT] = ">", [OP_GE] = ">=",
	[OP_CONCAT] = "||", [OP_ADD] = "+", [OP_SUB] = "-", [OP_MUL] = "*",
	[OP_DIV] = "/", [OP_MOD] = "%",
};

/*
 * Precedence levels of expr.h, low to high; they are also the parser's
 * levels.  SQLite orders some of them differently (IS, IN, LIKE and
 * BETWEEN with =, below <; || above *), so the writer parenthesises
 * wherever either order would need it: its text means the same to both.
 */
enum level {
	LV_OR = 1,
	LV_AND,
	LV_NOT,
	LV_EQ,
	LV_CMP,
	LV_IS,
	LV_CONCAT,
	LV_ADD,
	LV_MUL,
	LV_UNARY,
	LV_PRIMARY,
};

enum kw {
	KW_NONE,
	KW_AND,
	KW_OR,
	KW_NOT,
	KW_NULL,
	KW_IS,
	KW_IN,
	KW_LIKE,
	KW_BETWEEN,
	KW_CASE,
	KW_WHEN,
	KW_THEN,
	KW_ELSE,
	KW_END,
	KW_CAST,
	KW_AS,
	KW_TRUE,
	KW_FALSE,
	KW__COUNT
};

static const char *const kw_names[KW__COUNT] = {
	NULL, "AND", "OR", "NOT", "NULL", "IS", "IN", "LIKE", "BETWEEN",
	"CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "AS", "TRUE", "FALSE",
};

enum cast {
	CAST_REAL,
	CAST_INTEGER,
	CAST_TEXT,
	CAST_NUMERIC,
};

static const char *const cast_names[] = {
	"REAL", "INTEGER", "TEXT", "NUMERIC",
};

enum fn {
	F_ABS, F_ROUND, F_FLOOR, F_CEIL, F_SQRT, F_EXP, F_LN, F_LOG, F_POW,
	F_POWER, F_MIN, F_MAX, F_COALESCE, F_IFNULL, F_NULLIF, F_IIF,
	F_LENGTH, F_LOWER, F_UPPER, F_TRIM, F_LTRIM, F_RTRIM, F_SUBSTR,
	F_REPLACE, F_INSTR, F_SIGN, F__COUNT
};

static const struct fninfo {
	const char	*name;
	int		 min, max;	/* argument counts; max -1: any */
} fntab[F__COUNT] = {
	[F_ABS] = { "abs", 1, 1 },
	[F_ROUND] = { "round", 1, 2 },
	[F_FLOOR] = { "floor", 1, 1 },
	[F_CEIL] = { "ceil", 1, 1 },
	[F_SQRT] = { "sqrt", 1, 1 },
	[F_EXP] = { "exp", 1, 1 },
	[F_LN] = { "ln", 1, 1 },
	[F_LOG] = { "log", 1, 2 },
	[F_POW] = { "pow", 2, 2 },
	[F_POWER] = { "power", 2, 2 },
	[F_MIN] = { "min", 2, -1 },
	[F_MAX] = { "max", 2, -1 },
	[F_COALESCE] = { "coalesce", 2, -1 },
	[F_IFNULL] = { "ifnull", 2, 2 },
	[F_NULLIF] = { "nullif", 2, 2 },
	[F_IIF] = { "iif", 3, 3 },
	[F_LENGTH] = { "length", 1, 1 },
	[F_LOWER] = { "lower", 1, 1 },
	[F_UPPER] = { "upper", 1, 1 },
	[F_TRIM] = { "trim", 1, 2 },
	[F_LTRIM] = { "ltrim", 1, 2 },
	[F_RTRIM] = { "rtrim", 1, 2 },
	[F_SUBSTR] = { "substr", 2, 3 },
	[F_REPLACE] = { "replace", 3, 3 },
	[F_INSTR] = { "instr", 2, 2 },
	[F_SIGN] = { "sign", 1, 1 },
};

struct node {
	enum nkind	 kind;
	int		 op;		/* binop, fn or cast */
	int		 neg;		/* NOT LIKE/IN/BETWEEN, IS NOT */
	int		 has_base;	/* N_CASE */
	int		 has_else;	/* N_CASE */
	int		 depth;
	size_t		 pos;		/* offset of operator or name */
	double		 num;		/* N_NUM; N_BOOL: 0 or 1 */
	char		*str;		/* N_STR text, N_COL name */
	const char	*sval;		/* N_STR: str, as a one-value vector */
	struct node	**kid;
	size_t		 nkid;
	/* Set by bind. */
	enum vtype	 type;
	long		 col;		/* N_COL: index in the table */
	long		 one;		/* sole column read, -1 none, -2 more */
};

struct expr {
	struct node	*root;
	const char	**cols;		/* names borrowed from N_COL nodes */
	size_t		 ncols;
	int		 bound;
};

/* -------------------------------------------------------- types --- */

enum tkind {
	TK_END,
	TK_NUM,
	TK_STR,
	TK_ID,		/* bare identifier or keyword */
	TK_QID,		/* quoted identifier */
	TK_OP,
	TK_LP,
	TK_RP,
	TK_COMMA,
};

struct token {
	enum tkind	 kind;
	int		 op;		/* TK_OP: binop */
	enum kw		 kw;		/* TK_ID */
	size_t		 pos, len;	/* source bytes */
	double		 num;
	char		*text;		/* TK_STR, TK_ID, TK_QID: decoded */
};

struct parser {
	const char	*src;
	struct token	*tok;
	size_t		 ntok, i;
	int		 nest;
	struct err	*e;
};

struct binder {
	const struct table *t;
	struct err	*e;
};

/* One value per row, or one value for every row (len 1). */
struct vec {
	const double	*d;
	const char *const *s;
	double		*od;		/* owned buffers (d or s points here) */
	const char	**os;
	size_t		 len;
};

struct chunk {
	struct chunk	*next;
	size_t		 used, cap;
	char		 buf[];
};

/* A subtree's values over a categorical column's dictionary (+ NULL). */
struct dcache {
	const struct node *node;
	struct vec	 v;
	const char	**vals;
};

struct ctx {
	const struct table *t;
	size_t		 base;		/* first row of the block */
	size_t		 n;		/* values per vector */
	long		 sub_col;	/* column read from sub_vals, or -1 */
	const char *const *sub_vals;
	struct dcache	*dc;
	size_t		 ndc;
	struct chunk	*arena;		/* strings made for this block */
	struct chunk	*keep;		/* strings made for dcache */
	const struct node *root;
	double		*out;		/* numeric result column, or NULL */
};

static int	 lex(const char *, struct token **, size_t *, struct err *);
static void	 tokens_free(struct token *, size_t);
static struct node *parse_expr(struct parser *);
static struct node *parse_level(struct parser *, int);
static struct node *parse_not(struct parser *);
static struct node *parse_is(struct parser *);
static struct node *parse_unary(struct parser *);
static struct node *parse_primary(struct parser *);
static void	 node_free(struct node *);
static void	 write_node(const struct node *, struct strbuf *);
static int	 bind_node(struct binder *, struct node *);
static void	 settle(struct node *, enum vtype);
static void	 eval(struct ctx *, const struct node *, struct vec *);
static size_t	 levenshtein(const char *, const char *);

/* ------------------------------------------------ small helpers --- */

static int
lower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
upper_ascii(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_idstart(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c >= 0x80;
}

static int
is_idchar(int c)
{
	return is_idstart(c) || is_digit(c);
}

static int
strcase_eq(const char *a, const char *b)
{
	while (*a && lower_ascii((unsigned char)*a) ==
	    lower_ascii((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

static enum kw
kw_find(const char *s)
{
	int k;

	for (k = 1; k < KW__COUNT; k++)
		if (strcase_eq(s, kw_names[k]))
			return (enum kw)k;
	return KW_NONE;
}

/* Levenshtein distance, ignoring ASCII case. */
static size_t
levenshtein(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, diag, up, d;
	size_t *row = xmalloc((lb + 1) * sizeof *row);

	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			d = diag + (lower_ascii((unsigned char)a[i - 1]) !=
			    lower_ascii((unsigned char)b[j - 1]));
			if (up + 1 < d)
				d = up + 1;
			if (row[j - 1] + 1 < d)
				d = row[j - 1] + 1;
			row[j] = d;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

/* The closest of names[0..n) to s, or NULL when none is close. */
static const char *
suggest(const char *s, const char *const *names, size_t n)
{
	size_t i, d, best = (strlen(s) + 1) / 3 + 1;
	const char *found = NULL;

	for (i = 0; i < n; i++) {
		d = levenshtein(s, names[i]);
		if (d < best) {
			best = d;
			found = names[i];
		}
	}
	return found;
}

/* --------------------------------------------------------- lexer --- */

static int __attribute__((format(printf, 3, 4)))
spec_err(struct err *e, size_t pos, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(e, ERR_SPEC, "%zu: %s", pos + 1, msg);
}

static struct token *
tok_push(struct token **tok, size_t *n, size_t *cap)
{
	struct token *t;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*tok = xreallocarray(*tok, *cap, sizeof **tok);
	}
	t = &(*tok)[(*n)++];
	memset(t, 0, sizeof *t);
	return t;
}

/* A quoted string or name starting at s[i] (the quote); -1 if open. */
static long
lex_quoted(const char *s, size_t i, int close, int doubling,
    struct strbuf *sb)
{
	size_t j = i + 1;

	for (;;) {
		if (s[j] == '\0')
			return -1;
		if (s[j] == close) {
			if (doubling && s[j + 1] == close) {
				strbuf_addch(sb, close);
				j += 2;
				continue;
			}
			return (long)(j + 1);
		}
		strbuf_addch(sb, s[j]);
		j++;
	}
}

static int
lex_number(const char *s, size_t i, struct token *t, struct err *e)
{
	size_t j = i, k;
	char buf[128];
	int bad = 0;

	while (is_digit((unsigned char)s[j]))
		j++;
	if (s[j] == '.') {
		j++;
		while (is_digit((unsigned char)s[j]))
			j++;
	}
	if (s[j] == 'e' || s[j] == 'E') {
		k = j + 1;
		if (s[k] == '+' || s[k] == '-')
			k++;
		if (is_digit((unsigned char)s[k])) {
			while (is_digit((unsigned char)s[k]))
				k++;
		} else
			bad = 1;
		j = k;
	}
	if (bad || is_idchar((unsigned char)s[j]) || s[j] == '.') {
		while (is_idchar((unsigned char)s[j]) || s[j] == '.')
			j++;
		return spec_err(e, i, "malformed number '%.*s'",
		    (int)(j - i > 40 ? 40 : j - i), s + i);
	}
	t->kind = TK_NUM;
	t->len = j - i;
	if (t->len < sizeof buf) {
		memcpy(buf, s + i, t->len);
		buf[t->len] = '\0';
		t->num = strtod(buf, NULL);
	} else {
		char *tmp = xstrndup(s + i, t->len);

		t->num = strtod(tmp, NULL);
		free(tmp);
	}
	return 0;
}

static int
lex(const char *s, struct token **out, size_t *nout, struct err *e)
{
	static const struct { const char *text; enum tkind kind; int op; }
	    ops[] = {
		{ "||", TK_OP, OP_CONCAT }, { "==", TK_OP, OP_EQ },
		{ "!=", TK_OP, OP_NE }, { "<>", TK_OP, OP_NE },
		{ "<=", TK_OP, OP_LE }, { ">=", TK_OP, OP_GE },
		{ "=", TK_OP, OP_EQ }, { "<", TK_OP, OP_LT },
		{ ">", TK_OP, OP_GT }, { "+", TK_OP, OP_ADD },
		{ "-", TK_OP, OP_SUB }, { "*", TK_OP, OP_MUL },
		{ "/", TK_OP, OP_DIV }, { "%", TK_OP, OP_MOD },
		{ "(", TK_LP, 0 }, { ")", TK_RP, 0 }, { ",", TK_COMMA, 0 },
	};
	struct token *tok = NULL, *t;
	size_t n = 0, cap = 0, i = 0, j, k;
	struct strbuf sb = STRBUF_INIT;
	long end;
	int c;

	for (;;) {
		while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r' || s[i] == '\f' || s[i] == '\v')
			i++;
		t = tok_push(&tok, &n, &cap);
		t->pos = i;
		c = (unsigned char)s[i];
		if (c == '\0') {
			t->kind = TK_END;
			break;
		}
		if (is_digit(c) ||
		    (c == '.' && is_digit((unsigned char)s[i + 1]))) {
			if (lex_number(s, i, t, e) < 0)
				goto fail;
			i += t->len;
			continue;
		}
		if (is_idstart(c)) {
			j = i;
			while (is_idchar((unsigned char)s[j]))
				j++;
			t->kind = TK_ID;
			t->len = j - i;
			t->text = xstrndup(s + i, t->len);
			t->kw = kw_find(t->text);
			i = j;
			continue;
		}
		if (c == '\'' || c == '"' || c == '`' || c == '[') {
			strbuf_reset(&sb);
			end = lex_quoted(s, i, c == '[' ? ']' : c, c != '[',
			    &sb);
			if (end < 0) {
				spec_err(e, i, c == '\'' ?
				    "unterminated string" :
				    "unterminated quoted name");
				goto fail;
			}
			t->kind = c == '\'' ? TK_STR : TK_QID;
			t->len = (size_t)end - i;
			t->text = xstrndup(strbuf_str(&sb), sb.len);
			i = (size_t)end;
			continue;
		}
		for (k = 0; k < sizeof ops / sizeof ops[0]; k++) {
			size_t l = strlen(ops[k].text);

			if (strncmp(s + i, ops[k].text, l) == 0) {
				t->kind = ops[k].kind;
				t->op = ops[k].op;
				t->len = l;
				break;
			}
		}
		if (k == sizeof ops / sizeof ops[0]) {
			if (c >= 0x20 && c < 0x7f)
				spec_err(e, i, "unexpected character '%c'", c);
			else
				spec_err(e, i, "unexpected byte 0x%02x", c);
			goto fail;
		}
		i += t->len;
	}
	strbuf_release(&sb);
	*out = tok;
	*nout = n;
	return 0;
fail:
	strbuf_release(&sb);
	tokens_free(tok, n);
	return -1;
}

static void
tokens_free(struct token *tok, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(tok[i].text);
	free(tok);
}

/* -------------------------------------------------------- nodes --- */

static struct node *
node_new(enum nkind kind, size_t pos)
{
	struct node *n = xcalloc(1, sizeof *n);

	n->kind = kind;
	n->pos = pos;
	n->depth = 1;
	n->col = -1;
	n->one = -1;
	return n;
}

static void
node_add(struct node *n, struct node *k)
{
	if ((n->nkid & (n->nkid - 1)) == 0)
		n->kid = xreallocarray(n->kid, n->nkid ? n->nkid * 2 : 1,
		    sizeof *n->kid);
	n->kid[n->nkid++] = k;
	if (k->depth + 1 > n->depth)
		n->depth = k->depth + 1;
}

static void
node_free(struct node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkid; i++)
		node_free(n->kid[i]);
	free(n->kid);
	free(n->str);
	free(n);
}

/* ------------------------------------------------------- parser --- */

static const struct token *
cur(const struct parser *p)
{
	return &p->tok[p->i];
}

static const struct token *
peek(const struct parser *p)
{
	return p->i + 1 < p->ntok ? &p->tok[p->i + 1] : &p->tok[p->ntok - 1];
}

static int
at_kw(const struct parser *p, enum kw k)
{
	return cur(p)->kind == TK_ID && cur(p)->kw == k;
}

/* "unexpected X" for the current token. */
static struct node *
unexpected(struct parser *p)
{
	const struct token *t = cur(p);
	int n = t->len > 40 ? 40 : (int)t->len;
	const char *more = t->len > 40 ? "..." : "";

	if (t->kind == TK_END)
		spec_err(p->e, t->pos, "unexpected end of expression");
	else if (t->kind == TK_STR)
		spec_err(p->e, t->pos, "unexpected string %.*s%s", n,
		    p->src + t->pos, more);
	else
		spec_err(p->e, t->pos, "unexpected '%.*s%s'", n,
		    p->src + t->pos, more);
	return NULL;
}

static struct node *
expected(struct parser *p, const char *what)
{
	const struct token *t = cur(p);

	if (t->kind == TK_END)
		spec_err(p->e, t->pos, "expected %s", what);
	else
		spec_err(p->e, t->pos, "expected %s, not '%.*s'", what,
		    (int)(t->len > 40 ? 40 : t->len), p->src + t->pos);
	return NULL;
}

/* n, or NULL (n freed) when it makes the tree too deep. */
static struct node *
depth_ok(struct parser *p, struct node *n)
{
	if (n->depth <= MAX_DEPTH)
		return n;
	spec_err(p->e, n->pos, "expression nested too deeply");
	node_free(n);
	return NULL;
}

static struct node *
parse_expr(struct parser *p)
{
	struct node *n;

	if (p->nest >= MAX_NEST) {
		spec_err(p->e, cur(p)->pos, "expression nested too deeply");
		return NULL;
	}
	p->nest++;
	n = parse_level(p, LV_OR);
	p->nest--;
	return n;
}

/* The binop the current token is at level lv, or -1. */
static int
binop_at(const struct parser *p, int lv)
{
	const struct token *t = cur(p);

	if (t->kind == TK_ID) {
		if (lv == LV_OR && t->kw == KW_OR)
			return OP_OR;
		if (lv == LV_AND && t->kw == KW_AND)
			return OP_AND;
		return -1;
	}
	if (t->kind != TK_OP)
		return -1;
	switch (t->op) {
	case OP_EQ:
	case OP_NE:
		return lv == LV_EQ ? t->op : -1;
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
		return lv == LV_CMP ? t->op : -1;
	case OP_CONCAT:
		return lv == LV_CONCAT ? t->op : -1;
	case OP_ADD:
	case OP_SUB:
		return lv == LV_ADD ? t->op : -1;
	case OP_MUL:
	case OP_DIV:
	case OP_MOD:
		return lv == LV_MUL ? t->op : -1;
	default:
		return -1;
	}
}

static struct node *
parse_level(struct parser *p, int lv)
{
	struct node *l, *r, *n;
	size_t pos;
	int op;

	if (lv == LV_NOT)
		return parse_not(p);
	if (lv == LV_IS)
		return parse_is(p);
	if (lv == LV_UNARY)
		return parse_unary(p);
	if ((l = parse_level(p, lv + 1)) == NULL)
		return NULL;
	while ((op = binop_at(p, lv)) >= 0) {
		pos = cur(p)->pos;
		p->i++;
		if ((r = parse_level(p, lv + 1)) == NULL) {
			node_free(l);
			return NULL;
		}
		n = node_new(N_BIN, pos);
		n->op = op;
		node_add(n, l);
		node_add(n, r);
		if ((l = depth_ok(p, n)) == NULL)
			return NULL;
	}
	return l;
}

static struct node *
parse_not(struct parser *p)
{
	struct node *n, *x;
	size_t pos;

	if (!at_kw(p, KW_NOT))
		return parse_level(p, LV_EQ);
	pos = cur(p)->pos;
	p->i++;
	if (p->nest >= MAX_NEST) {
		spec_err(p->e, pos, "expression nested too deeply");
		return NULL;
	}
	p->nest++;
	x = parse_not(p);
	p->nest--;
	if (x == NULL)
		return NULL;
	n = node_new(N_NOT, pos);
	node_add(n, x);
	return depth_ok(p, n);
}

/* The list after IN: "(" expr {"," expr} ")" appended to n. */
static int
parse_list(struct parser *p, struct node *n)
{
	struct node *x;

	if (cur(p)->kind != TK_LP) {
		expected(p, "'(' after IN");
		return -1;
	}
	p->i++;
	for (;;) {
		if ((x = parse_expr(p)) == NULL)
			return -1;
		node_add(n, x);
		if (cur(p)->kind == TK_COMMA) {
			p->i++;
			continue;
		}
		if (cur(p)->kind == TK_RP) {
			p->i++;
			return 0;
		}
		expected(p, "',' or ')'");
		return -1;
	}
}

static struct node *
parse_is(struct parser *p)
{
	struct node *l, *n, *x;
	const struct token *t;
	size_t pos;
	int neg;

	if ((l = parse_level(p, LV_CONCAT)) == NULL)
		return NULL;
	for (;;) {
		t = cur(p);
		if (t->kind != TK_ID)
			return l;
		pos = t->pos;
		neg = 0;
		if (t->kw == KW_IS) {
			p->i++;
			if (at_kw(p, KW_NOT)) {
				neg = 1;
				p->i++;
			}
			if ((x = parse_level(p, LV_CONCAT)) == NULL)
				goto fail;
			if (x->kind == N_NULL) {
				node_free(x);
				n = node_new(N_ISNULL, pos);
				node_add(n, l);
			} else {
				n = node_new(N_IS, pos);
				node_add(n, l);
				node_add(n, x);
			}
			n->neg = neg;
			if ((l = depth_ok(p, n)) == NULL)
				return NULL;
			continue;
		}
		if (t->kw == KW_NOT && peek(p)->kind == TK_ID &&
		    (peek(p)->kw == KW_LIKE || peek(p)->kw == KW_IN ||
		    peek(p)->kw == KW_BETWEEN)) {
			neg = 1;
			p->i++;
			t = cur(p);
		}
		switch (t->kw) {
		case KW_LIKE:
			p->i++;
			if ((x = parse_level(p, LV_CONCAT)) == NULL)
				goto fail;
			n = node_new(N_LIKE, pos);
			node_add(n, l);
			node_add(n, x);
			break;
		case KW_BETWEEN:
			p->i++;
			n = node_new(N_BETWEEN, pos);
			node_add(n, l);
			if ((x = parse_level(p, LV_CONCAT)) == NULL) {
				l = n;
				goto fail;
			}
			node_add(n, x);
			if (!at_kw(p, KW_AND)) {
				expected(p, "AND after BETWEEN");
				l = n;
				goto fail;
			}
			p->i++;
			if ((x = parse_level(p, LV_CONCAT)) == NULL) {
				l = n;
				goto fail;
			}
			node_add(n, x);
			break;
		case KW_IN:
			p->i++;
			n = node_new(N_IN, pos);
			node_add(n, l);
			if (parse_list(p, n) < 0) {
				l = n;
				goto fail;
			}
			break;
		default:
			return l;
		}
		n->neg = neg;
		if ((l = depth_ok(p, n)) == NULL)
			return NULL;
	}
fail:
	node_free(l);
	return NULL;
}

static struct node *
parse_unary(struct parser *p)
{
	const struct token *t = cur(p);
	struct node *n, *x;
	size_t pos = t->pos;
	int op;

	if (t->kind == TK_ID && t->kw == KW_NOT)
		return parse_not(p);	/* "a = NOT b", as SQLite allows */
	if (t->kind != TK_OP || (t->op != OP_SUB && t->op != OP_ADD))
		return parse_primary(p);
	op = t->op;
	p->i++;
	if (p->nest >= MAX_NEST) {
		spec_err(p->e, pos, "expression nested too deeply");
		return NULL;
	}
	p->nest++;
	x = parse_unary(p);
	p->nest--;
	if (x == NULL || op == OP_ADD)
		return x;
	if (x->kind == N_NUM) {
		/* A negative number is a literal, not a negation. */
		x->num = -x->num;
		x->pos = pos;
		return x;
	}
	n = node_new(N_NEG, pos);
	node_add(n, x);
	return depth_ok(p, n);
}

static struct node *
parse_case(struct parser *p)
{
	struct node *n = node_new(N_CASE, cur(p)->pos), *x;

	p->i++;
	if (!at_kw(p, KW_WHEN)) {
		if ((x = parse_expr(p)) == NULL)
			goto fail;
		node_add(n, x);
		n->has_base = 1;
		if (!at_kw(p, KW_WHEN)) {
			expected(p, "WHEN");
			goto fail;
		}
	}
	while (at_kw(p, KW_WHEN)) {
		p->i++;
		if ((x = parse_expr(p)) == NULL)
			goto fail;
		node_add(n, x);
		if (!at_kw(p, KW_THEN)) {
			expected(p, "THEN");
			goto fail;
		}
		p->i++;
		if ((x = parse_expr(p)) == NULL)
			goto fail;
		node_add(n, x);
	}
	if (at_kw(p, KW_ELSE)) {
		p->i++;
		if ((x = parse_expr(p)) == NULL)
			goto fail;
		node_add(n, x);
		n->has_else = 1;
	}
	if (!at_kw(p, KW_END)) {
		expected(p, n->has_else ? "END" : "WHEN, ELSE or END");
		goto fail;
	}
	p->i++;
	return depth_ok(p, n);
fail:
	node_free(n);
	return NULL;
}

static struct node *
parse_cast(struct parser *p)
{
	struct node *n = node_new(N_CAST, cur(p)->pos), *x;
	const struct token *t;
	size_t k;

	p->i++;
	if (cur(p)->kind != TK_LP) {
		expected(p, "'(' after CAST");
		goto fail;
	}
	p->i++;
	if ((x = parse_expr(p)) == NULL)
		goto fail;
	node_add(n, x);
	if (!at_kw(p, KW_AS)) {
		expected(p, "AS");
		goto fail;
	}
	p->i++;
	t = cur(p);
	if (t->kind != TK_ID) {
		expected(p, "a type name");
		goto fail;
	}
	for (k = 0; k < sizeof cast_names / sizeof cast_names[0]; k++)
		if (strcase_eq(t->text, cast_names[k]))
			break;
	if (k == sizeof cast_names / sizeof cast_names[0]) {
		spec_err(p->e, t->pos, "unknown type '%s' (use REAL, INTEGER, "
		    "TEXT or NUMERIC)", t->text);
		goto fail;
	}
	n->op = (int)k;
	p->i++;
	if (cur(p)->kind != TK_RP) {
		expected(p, "')'");
		goto fail;
	}
	p->i++;
	return depth_ok(p, n);
fail:
	node_free(n);
	return NULL;
}

static struct node *
parse_call(struct parser *p)
{
	const struct token *t = cur(p);
	const struct fninfo *f;
	const char *names[F__COUNT], *s;
	struct node *n, *x;
	size_t k;

	for (k = 0; k < F__COUNT; k++) {
		names[k] = fntab[k].name;
		if (strcase_eq(t->text, fntab[k].name))
			break;
	}
	if (k == F__COUNT) {
		if ((s = suggest(t->text, names, F__COUNT)) != NULL)
			spec_err(p->e, t->pos, "unknown function '%s' (did you "
			    "mean '%s'?)", t->text, s);
		else
			spec_err(p->e, t->pos, "unknown function '%s'",
			    t->text);
		return NULL;
	}
	f = &fntab[k];
	n = node_new(N_FUNC, t->pos);
	n->op = (int)k;
	p->i += 2;
	if (cur(p)->kind == TK_RP)
		p->i++;
	else {
		for (;;) {
			if ((x = parse_expr(p)) == NULL)
				goto fail;
			node_add(n, x);
			if (cur(p)->kind == TK_COMMA) {
				p->i++;
				continue;
			}
			if (cur(p)->kind == TK_RP) {
				p->i++;
				break;
			}
			expected(p, "',' or ')'");
			goto fail;
		}
	}
	if ((int)n->nkid < f->min || (f->max >= 0 && (int)n->nkid > f->max)) {
		if (f->max < 0)
			spec_err(p->e, n->pos, "'%s' takes at least %d "
			    "arguments, not %zu", f->name, f->min, n->nkid);
		else if (f->min == f->max)
			spec_err(p->e, n->pos, "'%s' takes %d argument%s, "
			    "not %zu", f->name, f->min, f->min == 1 ? "" : "s",
			    n->nkid);
		else
			spec_err(p->e, n->pos, "'%s' takes %d or %d "
			    "arguments, not %zu", f->name, f->min, f->max,
			    n->nkid);
		goto fail;
	}
	return depth_ok(p, n);
fail:
	node_free(n);
	return NULL;
}

static struct node *
parse_primary(struct parser *p)
{
	struct token *t = &p->tok[p->i];
	struct node *n;

	switch (t->kind) {
	case TK_NUM:
		n = node_new(N_NUM, t->pos);
		n->num = t->num;
		p->i++;
		return n;
	case TK_STR:
		n = node_new(N_STR, t->pos);
		n->str = t->text;
		n->sval = n->str;
		t->text = NULL;
		p->i++;
		return n;
	case TK_QID:
		n = node_new(N_COL, t->pos);
		n->str = t->text;
		t->text = NULL;
		p->i++;
		return n;
	case TK_LP:
		p->i++;
		if ((n = parse_expr(p)) == NULL)
			return NULL;
		if (cur(p)->kind != TK_RP) {
			node_free(n);
			return expected(p, "')'");
		}
		p->i++;
		return n;
	case TK_ID:
		break;
	default:
		return unexpected(p);
	}
	switch (t->kw) {
	case KW_NULL:
		p->i++;
		return node_new(N_NULL, t->pos);
	case KW_TRUE:
	case KW_FALSE:
		n = node_new(N_BOOL, t->pos);
		n->num = t->kw == KW_TRUE;
		p->i++;
		return n;
	case KW_CASE:
		return parse_case(p);
	case KW_CAST:
		return parse_cast(p);
	case KW_NONE:
		break;
	default:
		return unexpected(p);
	}
	if (peek(p)->kind == TK_LP)
		return parse_call(p);
	n = node_new(N_COL, t->pos);
	n->str = t->text;
	t->text = NULL;
	p->i++;
	return n;
}

static void
collect_cols(struct expr *e, const struct node *n)
{
	size_t i;

	if (n->kind == N_COL) {
		for (i = 0; i < e->ncols; i++)
			if (strcmp(e->cols[i], n->str) == 0)
				return;
		e->cols = xreallocarray(e->cols, e->ncols + 2,
		    sizeof *e->cols);
		e->cols[e->ncols++] = n->str;
		e->cols[e->ncols] = NULL;
		return;
	}
	for (i = 0; i < n->nkid; i++)
		collect_cols(e, n->kid[i]);
}

struct expr *
expr_parse(const char *src, struct err *e)
{
	struct parser p;
	struct node *root;
	struct expr *x;

	memset(&p, 0, sizeof p);
	p.src = src;
	p.e = e;
	if (lex(src, &p.tok, &p.ntok, e) < 0)
		return NULL;
	if (p.tok[0].kind == TK_END) {
		tokens_free(p.tok, p.ntok);
		spec_err(e, 0, "empty expression");
		return NULL;
	}
	root = parse_expr(&p);
	if (root != NULL && cur(&p)->kind != TK_END) {
		unexpected(&p);
		node_free(root);
		root = NULL;
	}
	tokens_free(p.tok, p.ntok);
	if (root == NULL)
		return NULL;
	x = xcalloc(1, sizeof *x);
	x->root = root;
	x->cols = xcalloc(1, sizeof *x->cols);
	collect_cols(x, root);
	return x;
}

void
expr_free(struct expr *x)
{
	if (x == NULL)
		return;
	node_free(x->root);
	free(x->cols);
	free(x);
}

const char *const *
expr_columns(const struct expr *x)
{
	return x->cols;
}

/* ------------------------------------------------------- writer --- */

/* Precedence of n as written, by expr.h's order. */
static int
prec(const struct node *n)
{
	switch (n->kind) {
	case N_BIN:
		switch (n->op) {
		case OP_OR:
			return LV_OR;
		case OP_AND:
			return LV_AND;
		case OP_EQ:
		case OP_NE:
			return LV_EQ;
		case OP_CONCAT:
			return LV_CONCAT;
		case OP_ADD:
		case OP_SUB:
			return LV_ADD;
		case OP_MUL:
		case OP_DIV:
		case OP_MOD:
			return LV_MUL;
		default:
			return LV_CMP;
		}
	case N_NOT:
		return LV_NOT;
	case N_ISNULL:
	case N_IS:
	case N_BETWEEN:
	case N_IN:
	case N_LIKE:
		return LV_IS;
	case N_NEG:
		return LV_UNARY;
	case N_NUM:
		return signbit(n->num) ? LV_UNARY : LV_PRIMARY;
	default:
		return LV_PRIMARY;
	}
}

/*
 * Precedence of n by SQLite's order (sqlite.org/lang_expr.html), on the
 * same scale: IS, IN, LIKE and BETWEEN rank with =, and || ranks above
 * * and below the unary operators.
 */
static int
prec_sqlite(const struct node *n)
{
	int lv = prec(n);

	switch (lv) {
	case LV_IS:
		return LV_EQ;
	case LV_CONCAT:
		return LV_MUL;
	case LV_ADD:
	case LV_MUL:
		return lv - 1;
	default:
		return lv;
	}
}

static void
write_ident(const char *s, struct strbuf *sb)
{
	const char *q;
	int bare = is_idstart((unsigned char)*s) && kw_find(s) == KW_NONE;

	for (q = s; *q && bare; q++)
		if (!is_idchar((unsigned char)*q) || (unsigned char)*q >= 0x80)
			bare = 0;
	if (bare) {
		strbuf_addstr(sb, s);
		return;
	}
	strbuf_addch(sb, '"');
	for (q = s; *q; q++) {
		if (*q == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *q);
	}
	strbuf_addch(sb, '"');
}

/*
 * Write c as an operand of p.  A left operand needs parentheses when it
 * binds less tightly than p, a right one also when it binds equally
 * (every binary operator is left-associative); in either order.
 */
static void
write_operand(const struct node *p, const struct node *c, int right,
    struct strbuf *sb)
{
	int hp = prec(p), sp = prec_sqlite(p);
	int hc = prec(c), sc = prec_sqlite(c);
	int paren = right ? (hc <= hp || sc <= sp) : (hc < hp || sc < sp);

	if (p->kind == N_NEG && (c->kind == N_NEG ||
	    (c->kind == N_NUM && signbit(c->num))))
		paren = 1;	/* "--" would start an SQL comment */
	if (paren)
		strbuf_addch(sb, '(');
	write_node(c, sb);
	if (paren)
		strbuf_addch(sb, ')');
}

static void
write_list(const struct node *n, size_t from, struct strbuf *sb)
{
	size_t i;

	for (i = from; i < n->nkid; i++) {
		if (i > from)
			strbuf_addstr(sb, ", ");
		write_node(n->kid[i], sb);
	}
}

static void
write_node(const struct node *n, struct strbuf *sb)
{
	char buf[64];
	const char *q;
	size_t i, npairs;

	switch (n->kind) {
	case N_NUM:
		if (isinf(n->num))
			strbuf_addstr(sb, n->num < 0 ? "-1e999" : "1e999");
		else {
			fmt_double(buf, sizeof buf, n->num);
			strbuf_addstr(sb, buf);
		}
		break;
	case N_STR:
		strbuf_addch(sb, '\'');
		for (q = n->str; *q; q++) {
			if (*q == '\'')
				strbuf_addch(sb, '\'');
			strbuf_addch(sb, *q);
		}
		strbuf_addch(sb, '\'');
		break;
	case N_NULL:
		strbuf_addstr(sb, "NULL");
		break;
	case N_BOOL:
		strbuf_addstr(sb, n->num != 0 ? "TRUE" : "FALSE");
		break;
	case N_COL:
		write_ident(n->str, sb);
		break;
	case N_NEG:
		strbuf_addch(sb, '-');
		write_operand(n, n->kid[0], 0, sb);
		break;
	case N_NOT:
		strbuf_addstr(sb, "NOT ");
		write_operand(n, n->kid[0], 0, sb);
		break;
	case N_BIN:
		write_operand(n, n->kid[0], 0, sb);
		strbuf_addf(sb, " %s ", binop_text[n->op]);
		write_operand(n, n->kid[1], 1, sb);
		break;
	case N_ISNULL:
		write_operand(n, n->kid[0], 0, sb);
		strbuf_addstr(sb, n->neg ? " IS NOT NULL" : " IS NULL");
		break;
	case N_IS:
		write_operand(n, n->kid[0], 0, sb);
		strbuf_addstr(sb, n->neg ? " IS NOT " : " IS ");
		write_operand(n, n->kid[1], 1, sb);
		break;
	case N_LIKE:
		write_operand(n, n->kid[0], 0, sb);
		strbuf_addstr(sb, n->neg ? " NOT LIKE " : " LIKE ");
		write_operand(n, n->kid[1], 1, sb);
		break;
	case N_BETWEEN:
		write_operand(n, n->kid[0], 0, sb);
		strbuf_addstr(sb, n->neg ? " NOT BETWEEN " : " BETWEEN ");
		write_operand(n, n->kid[1], 1, sb);
		strbuf_addstr(sb, " AND ");
		write_operand(n, n->kid[2], 1, sb);
		break;
	case N_IN:
		write_operand(n, n->kid[0], 0, sb);
		strbuf_addstr(sb, n->neg ? " NOT IN (" : " IN (");
		write_list(n, 1, sb);
		strbuf_addch(sb, ')');
		break;
	case N_CASE:
		strbuf_addstr(sb, "CASE");
		i = 0;
		if (n->has_base) {
			strbuf_addch(sb, ' ');
			write_node(n->kid[i++], sb);
		}
		npairs = (n->nkid - n->has_base - n->has_else) / 2;
		while (npairs-- > 0) {
			strbuf_addstr(sb, " WHEN ");
			write_node(n->kid[i++], sb);
			strbuf_addstr(sb, " THEN ");
			write_node(n->kid[i++], sb);
		}
		if (n->has_else) {
			strbuf_addstr(sb, " ELSE ");
			write_node(n->kid[i], sb);
		}
		strbuf_addstr(sb, " END");
		break;
	case N_CAST:
		strbuf_addstr(sb, "CAST(");
		write_node(n->kid[0], sb);
		strbuf_addf(sb, " AS %s)", cast_names[n->op]);
		break;
	case N_FUNC:
		strbuf_addstr(sb, fntab[n->op].name);
		strbuf_addch(sb, '(');
		write_list(n, 0, sb);
		strbuf_addch(sb, ')');
		break;
	}
}

void
expr_write(const struct expr *x, struct strbuf *sb)
{
	write_node(x->root, sb);
}

/* ------------------------------------------------------ binding --- */

static const char *
tname(enum vtype t)
{
	switch (t) {
	case T_NUM:
		return "a number";
	case T_BOOL:
		return "a boolean";
	case T_STR:
		return "text";
	default:
		return "NULL";
	}
}

static int
is_numeric(enum vtype t)
{
	return t == T_NUM || t == T_BOOL;
}

/* The type of a value that may be of type a or b, or -1. */
static int
unify(enum vtype a, enum vtype b)
{
	if (a == T_NULL)
		return (int)b;
	if (b == T_NULL || a == b)
		return (int)a;
	if (a == T_STR || b == T_STR)
		return -1;
	return T_NUM;
}

static long
one_join(long a, long b)
{
	if (a == -1)
		return b;
	if (b == -1 || a == b)
		return a;
	return -2;
}

/* Give T_NULL nodes the type their context wants. */
static void
settle(struct node *n, enum vtype t)
{
	size_t i, start;

	if (n->type != T_NULL)
		return;
	n->type = t;
	switch (n->kind) {
	case N_CASE:
		start = (size_t)n->has_base;
		for (i = start + 1; i < n->nkid; i += 2)
			settle(n->kid[i], t);
		if (n->has_else)
			settle(n->kid[n->nkid - 1], t);
		break;
	case N_FUNC:
		switch (n->op) {
		case F_COALESCE:
		case F_IFNULL:
		case F_MIN:
		case F_MAX:
		case F_NULLIF:
			for (i = 0; i < n->nkid; i++)
				settle(n->kid[i], t);
			break;
		case F_IIF:
			settle(n->kid[1], t);
			settle(n->kid[2], t);
			break;
		default:
			break;
		}
		break;
	default:
		break;
	}
}

/* Operands compared with each other must all be numbers or all text. */
static int
bind_same(struct binder *b, const struct node *at, struct node **k,
    size_t nk)
{
	enum vtype cls = T_NULL;
	size_t i;

	for (i = 0; i < nk; i++) {
		if (k[i]->type == T_NULL)
			continue;
		if (cls == T_NULL)
			cls = k[i]->type;
		else if ((cls == T_STR) != (k[i]->type == T_STR))
			return spec_err(b->e, at->pos, "cannot compare %s and "
			    "%s", tname(cls), tname(k[i]->type));
	}
	for (i = 0; i < nk; i++)
		settle(k[i], cls == T_STR ? T_STR : T_NUM);
	return 0;
}

static int
need_cond(struct binder *b, const struct node *at, struct node *k,
    const char *what)
{
	if (k->type != T_BOOL && k->type != T_NULL)
		return spec_err(b->e, at->pos, "%s needs a condition, not %s",
		    what, tname(k->type));
	settle(k, T_BOOL);
	return 0;
}

static int
bind_col(struct binder *b, struct node *n)
{
	const struct table *t = b->t;
	const char **names, *s;
	struct column *c;
	long i;

	if ((i = table_find(t, n->str)) < 0) {
		names = xmalloc((t->ncols + 1) * sizeof *names);
		for (i = 0; i < (long)t->ncols; i++)
			names[i] = t->cols[i]->name;
		s = suggest(n->str, names, t->ncols);
		if (s != NULL)
			spec_err(b->e, n->pos, "no column '%s' (did you mean "
			    "'%s'?)", n->str, s);
		else
			spec_err(b->e, n->pos, "no column '%s'", n->str);
		free(names);
		return -1;
	}
	c = t->cols[i];
	n->col = i;
	n->one = i;
	if (c->type == COL_CAT || c->type == COL_TEXT)
		n->type = T_STR;
	else if (c->type == COL_BOOL)
		n->type = T_BOOL;
	else
		n->type = T_NUM;
	return 0;
}

static int
bind_bin(struct binder *b, struct node *n)
{
	static const char *const verb[] = {
		[OP_ADD] = "add", [OP_SUB] = "subtract",
		[OP_MUL] = "multiply", [OP_DIV] = "divide",
		[OP_MOD] = "take the remainder of",
	};
	struct node *l = n->kid[0], *r = n->kid[1];

	switch (n->op) {
	case OP_OR:
	case OP_AND:
		if (need_cond(b, n, l, binop_text[n->op]) < 0 ||
		    need_cond(b, n, r, binop_text[n->op]) < 0)
			return -1;
		n->type = T_BOOL;
		return 0;
	case OP_CONCAT:
		settle(l, T_STR);
		settle(r, T_STR);
		n->type = T_STR;
		return 0;
	case OP_ADD:
	case OP_SUB:
	case OP_MUL:
	case OP_DIV:
	case OP_MOD:
		if (l->type == T_STR || r->type == T_STR)
			return spec_err(b->e, n->pos, "cannot %s %s and %s%s",
			    verb[n->op], tname(l->type), tname(r->type),
			    n->op == OP_ADD && l->type == T_STR &&
			    r->type == T_STR ? " (use || to join text)" : "");
		settle(l, T_NUM);
		settle(r, T_NUM);
		n->type = T_NUM;
		return 0;
	default:
		if (bind_same(b, n, n->kid, 2) < 0)
			return -1;
		n->type = T_BOOL;
		return 0;
	}
}

static int
bind_case(struct binder *b, struct node *n)
{
	size_t i = (size_t)n->has_base, end = n->nkid - (size_t)n->has_else;
	struct node *pair[2];
	int res = T_NULL;

	for (; i < end; i += 2) {
		if (n->has_base) {
			pair[0] = n->kid[0];
			pair[1] = n->kid[i];
			if (bind_same(b, n, pair, 2) < 0)
				return -1;
		} else if (need_cond(b, n, n->kid[i], "WHEN") < 0)
			return -1;
		if ((res = unify((enum vtype)res, n->kid[i + 1]->type)) < 0)
			return spec_err(b->e, n->pos, "CASE mixes text and "
			    "numbers");
	}
	if (n->has_else &&
	    (res = unify((enum vtype)res, n->kid[end]->type)) < 0)
		return spec_err(b->e, n->pos, "CASE mixes text and numbers");
	n->type = T_NULL;
	if (res != T_NULL)
		settle(n, (enum vtype)res);
	return 0;
}

/* Argument i of function n must be of class want (T_NUM or T_STR). */
static int
need_arg(struct binder *b, struct node *n, size_t i, enum vtype want)
{
	enum vtype t = n->kid[i]->type;

	if (want == T_STR ? is_numeric(t) : t == T_STR)
		return spec_err(b->e, n->pos, "'%s' argument %zu must be %s, "
		    "not %s", fntab[n->op].name, i + 1,
		    want == T_STR ? "text" : "a number", tname(t));
	settle(n->kid[i], want);
	return 0;
}

static int
bind_func(struct binder *b, struct node *n)
{
	size_t i, from = 0;
	int res = T_NULL;

	switch (n->op) {
	case F_ABS: case F_ROUND: case F_FLOOR: case F_CEIL: case F_SQRT:
	case F_EXP: case F_LN: case F_LOG: case F_POW: case F_POWER:
	case F_SIGN:
		for (i = 0; i < n->nkid; i++)
			if (need_arg(b, n, i, T_NUM) < 0)
				return -1;
		n->type = T_NUM;
		return 0;
	case F_LENGTH:
	case F_INSTR:
		for (i = 0; i < n->nkid; i++)
			if (need_arg(b, n, i, T_STR) < 0)
				return -1;
		n->type = T_NUM;
		return 0;
	case F_LOWER: case F_UPPER: case F_TRIM: case F_LTRIM: case F_RTRIM:
	case F_REPLACE:
		for (i = 0; i < n->nkid; i++)
			if (need_arg(b, n, i, T_STR) < 0)
				return -1;
		n->type = T_STR;
		return 0;
	case F_SUBSTR:
		for (i = 0; i < n->nkid; i++)
			if (need_arg(b, n, i, i == 0 ? T_STR : T_NUM) < 0)
				return -1;
		n->type = T_STR;
		return 0;
	case F_IIF:
		if (n->kid[0]->type != T_BOOL && n->kid[0]->type != T_NULL)
			return spec_err(b->e, n->pos, "'iif' argument 1 must "
			    "be a condition, not %s", tname(n->kid[0]->type));
		settle(n->kid[0], T_BOOL);
		from = 1;
		break;
	default:	/* min, max, coalesce, ifnull, nullif */
		break;
	}
	for (i = from; i < n->nkid; i++)
		if ((res = unify((enum vtype)res, n->kid[i]->type)) < 0)
			return spec_err(b->e, n->pos, "'%s' mixes text and "
			    "numbers", fntab[n->op].name);
	n->type = T_NULL;
	if (res != T_NULL)
		settle(n, (enum vtype)res);
	return 0;
}

static int
bind_node(struct binder *b, struct node *n)
{
	size_t i;

	n->one = -1;
	n->type = T_NULL;
	for (i = 0; i < n->nkid; i++) {
		if (bind_node(b, n->kid[i]) < 0)
			return -1;
		n->one = one_join(n->one, n->kid[i]->one);
	}
	switch (n->kind) {
	case N_NUM:
		n->type = T_NUM;
		return 0;
	case N_BOOL:
		n->type = T_BOOL;
		return 0;
	case N_STR:
		n->type = T_STR;
		return 0;
	case N_NULL:
		return 0;
	case N_COL:
		return bind_col(b, n);
	case N_NEG:
		if (n->kid[0]->type == T_STR)
			return spec_err(b->e, n->pos, "cannot negate text");
		settle(n->kid[0], T_NUM);
		n->type = T_NUM;
		return 0;
	case N_NOT:
		n->type = T_BOOL;
		return need_cond(b, n, n->kid[0], "NOT");
	case N_BIN:
		return bind_bin(b, n);
	case N_ISNULL:
		settle(n->kid[0], T_NUM);
		n->type = T_BOOL;
		return 0;
	case N_IS:
	case N_BETWEEN:
	case N_IN:
		n->type = T_BOOL;
		return bind_same(b, n, n->kid, n->nkid);
	case N_LIKE:
		for (i = 0; i < 2; i++) {
			if (is_numeric(n->kid[i]->type))
				return spec_err(b->e, n->pos, "LIKE needs "
				    "text, not %s", tname(n->kid[i]->type));
			settle(n->kid[i], T_STR);
		}
		n->type = T_BOOL;
		return 0;
	case N_CASE:
		return bind_case(b, n);
	case N_CAST:
		settle(n->kid[0], n->op == CAST_TEXT ? T_STR : T_NUM);
		n->type = n->op == CAST_TEXT ? T_STR : T_NUM;
		return 0;
	case N_FUNC:
		return bind_func(b, n);
	}
	return 0;
}

int
expr_bind(struct expr *x, const struct table *t, struct err *e)
{
	struct binder b;

	b.t = t;
	b.e = e;
	x->bound = 0;
	if (bind_node(&b, x->root) < 0)
		return -1;
	settle(x->root, T_NUM);
	x->bound = 1;
	return 0;
}

enum expr_type
expr_result_type(const struct expr *x)
{
	switch (x->root->type) {
	case T_STR:
		return EXPR_STR;
	case T_BOOL:
		return EXPR_BOOL;
	default:
		return EXPR_NUM;
	}
}

/* --------------------------------------------- evaluation: basics --- */

static const double k_null_num = NAN;
static const char *const k_null_str = NULL;

#define AT(v, i)	((v)->len == 1 ? 0 : (i))

static char *
arena_alloc(struct ctx *c, size_t n)
{
	struct chunk *k = c->arena;
	char *p;

	if (k == NULL || k->cap - k->used < n) {
		size_t cap = k != NULL && k->cap < (16u << 20) ? k->cap * 2 :
		    ARENA_CHUNK;

		if (cap < n)
			cap = n;
		k = xmalloc(sizeof *k + cap);
		k->next = c->arena;
		k->used = 0;
		k->cap = cap;
		c->arena = k;
	}
	p = k->buf + k->used;
	k->used += n;
	return p;
}

/* Forget the block's strings; keep the newest (largest) chunk. */
static void
arena_reset(struct ctx *c)
{
	struct chunk *k;

	if (c->arena == NULL)
		return;
	while ((k = c->arena->next) != NULL) {
		c->arena->next = k->next;
		free(k);
	}
	c->arena->used = 0;
}

static char *
arena_strndup(struct ctx *c, const char *s, size_t n)
{
	char *p = arena_alloc(c, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void
vec_release(struct vec *v)
{
	free(v->od);
	free(v->os);
	memset(v, 0, sizeof *v);
}

static size_t
out_len(const struct ctx *c, const struct node *n)
{
	return n->one == -1 ? 1 : c->n;
}

static void
vec_num(struct vec *v, double *r, size_t len)
{
	v->d = v->od = r;
	v->len = len;
}

static void
vec_str(struct vec *v, const char **r, size_t len)
{
	v->s = v->os = r;
	v->len = len;
}

/*
 * A buffer for len doubles: a's own buffer when it has the right length
 * (for loops that read a[i] before writing r[i]), else a fresh one.
 */
static double *
num_buf(struct vec *a, size_t len)
{
	double *r;

	if (len > 1 && a->od != NULL && a->len == len) {
		r = a->od;
		a->od = NULL;
		return r;
	}
	return xmalloc(len * sizeof *r);
}

/*
 * Where a numeric node puts its len values: the root writes straight into
 * the result column, other nodes into a fresh buffer.
 */
static double *
res_buf(struct ctx *c, const struct node *n, size_t len)
{
	if (n == c->root && c->out != NULL && c->sub_col < 0 && len == c->n)
		return c->out + c->base;
	return xmalloc(len * sizeof(double));
}

static void
vec_res(struct ctx *c, struct vec *v, double *r, size_t len)
{
	if (c->out != NULL && r == c->out + c->base) {
		v->d = r;
		v->len = len;
	} else
		vec_num(v, r, len);
}

static const char **
str_buf(size_t len)
{
	return xmalloc(len * sizeof(const char *));
}

/*
 * Three-valued logic and comparisons as selects, not branches: operands
 * are random in real data, and written so the compiler can vectorize the
 * block loops below (no table lookups, no calls).
 */
static inline double
and3(double x, double y)
{
	double t = x != x || y != y ? NAN : 1.0;

	return x == 0 || y == 0 ? 0.0 : t;
}

static inline double
or3(double x, double y)
{
	double t = x != x || y != y ? NAN : 0.0;

	return (x != 0 && x == x) || (y != 0 && y == y) ? 1.0 : t;
}

/* c is x OP y; NULL when either is. */
static inline double
cmp3(double x, double y, int c)
{
	double t = c ? 1.0 : 0.0;

	return x == x && y == y ? t : NAN;
}

/* SQLite's %: both operands truncated to integers; by zero is NULL. */
static double
mod3(double x, double y)
{
	x = trunc(x);
	y = trunc(y);
	if (y == 0 || isnan(x) || isnan(y))
		return NAN;
	return fmod(x, y) + 0.0;
}

/* Comparison result of strcmp-like c for op. */
static int
cmp_op(int op, int c)
{
	switch (op) {
	case OP_EQ:
		return c == 0;
	case OP_NE:
		return c != 0;
	case OP_LT:
		return c < 0;
	case OP_LE:
		return c <= 0;
	case OP_GT:
		return c > 0;
	default:
		return c >= 0;
	}
}

static const double pow10[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
	1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* Digits of u into buf; their count. */
static size_t
utoa(unsigned long long u, char *buf)
{
	char tmp[24];
	size_t n = 0, k = 0;

	do {
		tmp[k++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (k)
		buf[n++] = tmp[--k];
	return n;
}

/*
 * Text of number d into buf (>= 32 bytes), exactly as fmt_double writes
 * it; its length.  fmt_double's printf and strtod rounds are slow, so
 * integers and short decimals (the usual data) are done here: the
 * fewest decimals k with round(|d| * 10^k) / 10^k == d give the decimal
 * that %.15g prints, as it has at most 15 digits and d is within half an
 * ulp of it.
 */
static size_t
num_text(double d, char *buf)
{
	double a = fabs(d), p, m;
	size_t n = 0, k, i, len;
	char digits[24];

	if (d == floor(d) && a < 1e15 && !(d == 0 && signbit(d))) {
		if (d < 0)
			buf[n++] = '-';
		n += utoa((unsigned long long)a, buf + n);
		buf[n] = '\0';
		return n;
	}
	if (a >= 1e-4 && a < 1e15) {
		for (k = 1; k <= 15; k++) {
			p = pow10[k];
			m = nearbyint(a * p);
			if (m >= 1e15)
				break;
			if (m / p != a)
				continue;
			if (d < 0)
				buf[n++] = '-';
			len = utoa((unsigned long long)m, digits);
			if (len <= k) {
				buf[n++] = '0';
				buf[n++] = '.';
				for (i = len; i < k; i++)
					buf[n++] = '0';
				memcpy(buf + n, digits, len);
				n += len;
			} else {
				memcpy(buf + n, digits, len - k);
				n += len - k;
				buf[n++] = '.';
				memcpy(buf + n, digits + len - k, k);
				n += k;
			}
			buf[n] = '\0';
			return n;
		}
	}
	fmt_double(buf, 32, d);
	return strlen(buf);
}

/*
 * Text to number as the loader reads it: spaces and tabs around, then
 * [+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)? and nothing else; else NaN.
 */
static double
text_num(const char *s)
{
	const char *p, *start, *stop;
	char *end;
	double v;
	int digits = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	start = p = s;
	if (*p == '+' || *p == '-')
		p++;
	while (is_digit((unsigned char)*p)) {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (is_digit((unsigned char)*p)) {
			p++;
			digits++;
		}
	}
	if (digits == 0)
		return NAN;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!is_digit((unsigned char)*p))
			return NAN;
		while (is_digit((unsigned char)*p))
			p++;
	}
	stop = p;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0')
		return NAN;
	v = strtod(start, &end);
	return end == stop ? v : NAN;
}

/* ------------------------------------------- evaluation: strings --- */

static const char *
utf8_next(const char *s)
{
	s++;
	while ((*s & 0xc0) == 0x80)
		s++;
	return s;
}

static size_t
utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += (*s & 0xc0) != 0x80;
	return n;
}

/* LIKE: % any run, _ one character, ASCII letters without case. */
static int
like_match(const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;

	while (*s) {
		if (*p == '%') {
			while (*p == '%')
				p++;
			if (*p == '\0')
				return 1;
			star_p = p;
			star_s = s;
			continue;
		}
		if (*p == '_') {
			p++;
			s = utf8_next(s);
			continue;
		}
		if (*p != '\0' && lower_ascii((unsigned char)*p) ==
		    lower_ascii((unsigned char)*s)) {
			p++;
			s++;
			continue;
		}
		if (star_p == NULL)
			return 0;
		star_s = utf8_next(star_s);
		s = star_s;
		p = star_p;
	}
	while (*p == '%')
		p++;
	return *p == '\0';
}

static const char *
case_map(struct ctx *c, const char *s, int upper)
{
	const char *q;
	char *r;
	size_t i, n;

	for (q = s; *q; q++)
		if ((upper ? upper_ascii((unsigned char)*q) :
		    lower_ascii((unsigned char)*q)) != (unsigned char)*q)
			break;
	if (*q == '\0')
		return s;
	n = strlen(s);
	r = arena_alloc(c, n + 1);
	for (i = 0; i <= n; i++)
		r[i] = (char)(upper ? upper_ascii((unsigned char)s[i]) :
		    lower_ascii((unsigned char)s[i]));
	return r;
}

/* Is the character s[0..n) one of set's characters? */
static int
in_set(const char *s, size_t n, const char *set)
{
	const char *q, *next;

	for (q = set; *q; q = next) {
		next = utf8_next(q);
		if ((size_t)(next - q) == n && memcmp(q, s, n) == 0)
			return 1;
	}
	return 0;
}

static const char *
trim(struct ctx *c, const char *s, const char *set, int left, int right)
{
	const char *b = s, *e, *prev;

	if (left)
		while (*b && in_set(b, (size_t)(utf8_next(b) - b), set))
			b = utf8_next(b);
	e = b + strlen(b);
	if (right) {
		while (e > b) {
			prev = e - 1;
			while (prev > b && (*prev & 0xc0) == 0x80)
				prev--;
			if (!in_set(prev, (size_t)(e - prev), set))
				break;
			e = prev;
		}
	}
	if (*e == '\0')
		return b;
	return arena_strndup(c, b, (size_t)(e - b));
}

static long long
to_ll(double d)
{
	if (d > 4e18)
		return 4000000000000000000LL;
	if (d < -4e18)
		return -4000000000000000000LL;
	return (long long)d;
}

/* substr with SQLite's rules (func.c substrFunc), in characters. */
static const char *
substr(struct ctx *c, const char *s, double start, double len, int has_len)
{
	long long p1 = to_ll(start), p2;
	const char *b, *e;
	int negp2 = 0;

	if (has_len) {
		p2 = to_ll(len);
		if (p2 < 0) {
			p2 = -p2;
			negp2 = 1;
		}
	} else
		p2 = 4000000000000000000LL;
	if (p1 < 0) {
		p1 += (long long)utf8_len(s);
		if (p1 < 0) {
			p2 += p1;
			if (p2 < 0)
				p2 = 0;
			p1 = 0;
		}
	} else if (p1 > 0)
		p1--;
	else if (p2 > 0)
		p2--;
	if (negp2) {
		p1 -= p2;
		if (p1 < 0) {
			p2 += p1;
			p1 = 0;
		}
	}
	for (b = s; *b && p1 > 0; p1--)
		b = utf8_next(b);
	for (e = b; *e && p2 > 0; p2--)
		e = utf8_next(e);
	if (*e == '\0')
		return b;
	return arena_strndup(c, b, (size_t)(e - b));
}

static const char *
replace(struct ctx *c, const char *s, const char *from, const char *to)
{
	size_t lf = strlen(from), lt = strlen(to), count = 0, n;
	const char *q, *hit;
	char *r, *w;

	if (lf == 0)
		return s;
	for (q = s; (hit = strstr(q, from)) != NULL; q = hit + lf)
		count++;
	if (count == 0)
		return s;
	n = strlen(s) - count * lf + count * lt;
	w = r = arena_alloc(c, n + 1);
	for (q = s; (hit = strstr(q, from)) != NULL; q = hit + lf) {
		memcpy(w, q, (size_t)(hit - q));
		w += hit - q;
		memcpy(w, to, lt);
		w += lt;
	}
	strcpy(w, q);
	return r;
}

static double
instr(const char *s, const char *sub)
{
	const char *hit = strstr(s, sub), *q;
	double n = 1;

	if (hit == NULL)
		return 0;
	for (q = s; q < hit; q = utf8_next(q))
		n++;
	return n;
}

/* ------------------------------------------- evaluation: numbers --- */


/*
 * round(x, n) as SQLite: n clamped to 0..30; n = 0 adds a half away from
 * zero and truncates; otherwise x is rounded on its 15-digit decimal form,
 * half away from zero (so round(2.675, 2) is 2.68, as in SQLite).
 */
static double
round_sqlite(double x, double nd)
{
	char buf[48], num[48];
	long long m = 0;
	int n, e, k, i;
	double r;

	if (isnan(x) || isnan(nd))
		return NAN;
	n = nd > 30 ? 30 : nd < 0 ? 0 : (int)nd;
	if (x < -4503599627370496.0 || x > 4503599627370496.0)
		return x;
	if (n == 0)
		return (double)(long long)(x + (x < 0 ? -0.5 : 0.5));
	/*
	 * Fast path: away from a half, rounding |x| * 10^n agrees with
	 * rounding its 15-digit form (which is within 1e-14 relative), and
	 * m / 10^n is one correctly rounded division, as strtod would give.
	 */
	if (n <= 22) {
		double p = pow10[n], y = fabs(x) * p, fl = floor(y);

		if (y < 1e13 && fabs(y - fl - 0.5) > 1e-9 * (y + 1)) {
			r = (fl + (y - fl > 0.5)) / p;
			return r == 0 ? 0 : x < 0 ? -r : r;
		}
	}
	snprintf(buf, sizeof buf, "%.14e", fabs(x));
	e = atoi(buf + 17);
	k = e + 1 + n;		/* digits kept */
	if (k >= 15)
		return x;
	if (k < 0)
		return 0;
	for (i = 0; i < k; i++)
		m = m * 10 + (buf[i == 0 ? 0 : i + 1] - '0');
	if (buf[k == 0 ? 0 : k + 1] >= '5')
		m++;
	snprintf(num, sizeof num, "%llde%d", m, e + 1 - k);
	r = strtod(num, NULL);
	if (r == 0)
		return 0;
	return x < 0 ? -r : r;
}

static double
num_fn1(int f, double x)
{
	switch (f) {
	case F_ABS:
		return fabs(x);
	case F_ROUND:
		return round_sqlite(x, 0);
	case F_FLOOR:
		return floor(x);
	case F_CEIL:
		return ceil(x);
	case F_SQRT:
		return x < 0 ? NAN : sqrt(x);
	case F_EXP:
		return exp(x);
	case F_LN:
		return x <= 0 ? NAN : log(x);
	case F_LOG:
		return x <= 0 ? NAN : log10(x);
	default:	/* F_SIGN */
		return isnan(x) ? NAN : x > 0 ? 1 : x < 0 ? -1 : 0;
	}
}

static double
num_fn2(int f, double x, double y)
{
	switch (f) {
	case F_ROUND:
		return round_sqlite(x, y);
	case F_LOG:
		/* log(b, x): NULL for b <= 1 (as SQLite) or x <= 0. */
		if (isnan(x) || isnan(y) || x <= 1 || y <= 0)
			return NAN;
		return log(y) / log(x);
	default:	/* pow, power */
		return pow(x, y);
	}
}

/* ----------------------------------------- evaluation: operators --- */

/*
 * Binary kernels.  r never aliases an operand (restrict), and a full
 * block has a constant trip count: with both, compilers vectorize these
 * loops at -O2.  X(i) and Y(i) read the operands.
 */
#define KLOOP(EXPR) do {						\
	size_t i;							\
	if (n == EVAL_BLOCK) {						\
		for (i = 0; i < EVAL_BLOCK; i++) {			\
			double x = X(i), y = Y(i);			\
			r[i] = (EXPR);					\
		}							\
	} else {							\
		for (i = 0; i < n; i++) {				\
			double x = X(i), y = Y(i);			\
			r[i] = (EXPR);					\
		}							\
	}								\
} while (0)

#define KSWITCH() do {							\
	switch (op) {							\
	case OP_OR:	KLOOP(or3(x, y));		break;		\
	case OP_AND:	KLOOP(and3(x, y));		break;		\
	case OP_EQ:	KLOOP(cmp3(x, y, x == y));	break;		\
	case OP_NE:	KLOOP(cmp3(x, y, x != y));	break;		\
	case OP_LT:	KLOOP(cmp3(x, y, x < y));	break;		\
	case OP_LE:	KLOOP(cmp3(x, y, x <= y));	break;		\
	case OP_GT:	KLOOP(cmp3(x, y, x > y));	break;		\
	case OP_GE:	KLOOP(cmp3(x, y, x >= y));	break;		\
	case OP_ADD:	KLOOP(x + y);			break;		\
	case OP_SUB:	KLOOP(x - y);			break;		\
	case OP_MUL:	KLOOP(x * y);			break;		\
	case OP_DIV:	KLOOP(y == 0 ? NAN : x / y);	break;		\
	default:	KLOOP(mod3(x, y));		break;		\
	}								\
} while (0)

static void
kern_vv(int op, double *restrict r, const double *restrict a,
    const double *restrict b, size_t n)
{
#define X(i)	a[i]
#define Y(i)	b[i]
	KSWITCH();
#undef X
#undef Y
}

static void
kern_vs(int op, double *restrict r, const double *restrict a, double b,
    size_t n)
{
#define X(i)	a[i]
#define Y(i)	b
	KSWITCH();
#undef X
#undef Y
}

static void
kern_sv(int op, double *restrict r, double a, const double *restrict b,
    size_t n)
{
#define X(i)	a
#define Y(i)	b[i]
	KSWITCH();
#undef X
#undef Y
}

/* r[0..len) = a OP b, operands of len values or one; r is fresh. */
static void
num_binop(int op, double *r, const struct vec *a, const struct vec *b,
    size_t len)
{
	size_t i;

	if (a->len == 1 && b->len == 1) {
		kern_vs(op, r, a->d, b->d[0], 1);
		for (i = 1; i < len; i++)
			r[i] = r[0];
	} else if (b->len == 1)
		kern_vs(op, r, a->d, b->d[0], len);
	else if (a->len == 1)
		kern_sv(op, r, a->d[0], b->d, len);
	else
		kern_vv(op, r, a->d, b->d, len);
}

static void
kern_not(double *restrict r, const double *restrict a, size_t n)
{
	size_t i;

	if (n == EVAL_BLOCK) {
		for (i = 0; i < EVAL_BLOCK; i++)
			r[i] = a[i] != a[i] ? NAN : a[i] == 0 ? 1.0 : 0.0;
	} else {
		for (i = 0; i < n; i++)
			r[i] = a[i] != a[i] ? NAN : a[i] == 0 ? 1.0 : 0.0;
	}
}

/* Text of value i of a number or text vector; NULL for NULL. */
static const char *
text_at(const struct node *n, const struct vec *v, size_t i, char *buf)
{
	double d;

	if (n->type == T_STR)
		return v->s[AT(v, i)];
	d = v->d[AT(v, i)];
	if (isnan(d))
		return NULL;
	num_text(d, buf);
	return buf;
}

static void
eval_concat(struct ctx *c, const struct node *n, struct vec *v)
{
	const struct node *l = n->kid[0], *r = n->kid[1];
	size_t len = out_len(c, n), i, la, lb;
	char ba[32], bb[32], *p;
	const char **out, *x, *y;
	struct vec a, b;

	eval(c, l, &a);
	eval(c, r, &b);
	out = str_buf(len);
	for (i = 0; i < len; i++) {
		x = text_at(l, &a, i, ba);
		y = text_at(r, &b, i, bb);
		if (x == NULL || y == NULL) {
			out[i] = NULL;
			continue;
		}
		if (*y == '\0' && x != ba) {
			out[i] = x;
			continue;
		}
		if (*x == '\0' && y != bb) {
			out[i] = y;
			continue;
		}
		la = strlen(x);
		lb = strlen(y);
		p = arena_alloc(c, la + lb + 1);
		memcpy(p, x, la);
		memcpy(p + la, y, lb + 1);
		out[i] = p;
	}
	vec_release(&a);
	vec_release(&b);
	vec_str(v, out, len);
}

static void
eval_bin(struct ctx *c, const struct node *n, struct vec *v)
{
	size_t len = out_len(c, n), i;
	struct vec a, b;
	const char *sa, *sb;
	double *r;

	if (n->op == OP_CONCAT) {
		eval_concat(c, n, v);
		return;
	}
	eval(c, n->kid[0], &a);
	eval(c, n->kid[1], &b);
	if (n->kid[0]->type == T_STR) {
		r = xmalloc(len * sizeof *r);
		for (i = 0; i < len; i++) {
			sa = a.s[AT(&a, i)];
			sb = b.s[AT(&b, i)];
			r[i] = sa == NULL || sb == NULL ? NAN :
			    cmp_op(n->op, strcmp(sa, sb));
		}
		goto out;
	}
	r = res_buf(c, n, len);
	num_binop(n->op, r, &a, &b, len);
out:
	vec_release(&a);
	vec_release(&b);
	vec_res(c, v, r, len);
}

static void
eval_unary(struct ctx *c, const struct node *n, struct vec *v)
{
	size_t len = out_len(c, n), i;
	struct vec a;
	double *r;

	eval(c, n->kid[0], &a);
	if (n->kind == N_ISNULL && n->kid[0]->type == T_STR) {
		r = xmalloc(len * sizeof *r);
		for (i = 0; i < len; i++)
			r[i] = (a.s[AT(&a, i)] == NULL) != n->neg;
	} else {
		r = res_buf(c, n, len);
		if (n->kind == N_NOT)
			kern_not(r, a.d, len);
		for (i = 0; n->kind == N_NEG && i < len; i++)
			r[i] = -a.d[i];
		for (i = 0; n->kind == N_ISNULL && i < len; i++)
			r[i] = isnan(a.d[i]) != n->neg;
	}
	vec_release(&a);
	vec_res(c, v, r, len);
}

/* x IS [NOT] y: NULL is NULL; x IS TRUE / FALSE test truth (as SQLite). */
static void
eval_is(struct ctx *c, const struct node *n, struct vec *v)
{
	const struct node *rn = n->kid[1];
	size_t len = out_len(c, n), i;
	struct vec a, b;
	double *r;
	int eq;

	eval(c, n->kid[0], &a);
	eval(c, rn, &b);
	r = xmalloc(len * sizeof *r);
	for (i = 0; i < len; i++) {
		if (n->kid[0]->type == T_STR) {
			const char *x = a.s[AT(&a, i)], *y = b.s[AT(&b, i)];

			eq = x == NULL || y == NULL ? x == y :
			    strcmp(x, y) == 0;
		} else {
			double x = a.d[AT(&a, i)], y = b.d[AT(&b, i)];

			if (rn->kind == N_BOOL)
				eq = !isnan(x) && (x != 0) == (y != 0);
			else if (isnan(x) || isnan(y))
				eq = isnan(x) && isnan(y);
			else
				eq = x == y;
		}
		r[i] = eq != n->neg;
	}
	vec_release(&a);
	vec_release(&b);
	vec_num(v, r, len);
}

/* NOT of r[0..len) in place. */
static void
negate3(double *r, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		r[i] = r[i] != r[i] ? NAN : r[i] == 0 ? 1.0 : 0.0;
}

/* x BETWEEN lo AND hi is x >= lo AND x <= hi, NULLs included. */
static void
eval_between(struct ctx *c, const struct node *n, struct vec *v)
{
	size_t len = out_len(c, n), i;
	struct vec a, lo, hi, ge, le;
	double *r;

	eval(c, n->kid[0], &a);
	eval(c, n->kid[1], &lo);
	eval(c, n->kid[2], &hi);
	r = res_buf(c, n, len);
	if (n->kid[0]->type == T_STR) {
		for (i = 0; i < len; i++) {
			const char *x = a.s[AT(&a, i)];
			const char *l = lo.s[AT(&lo, i)], *h = hi.s[AT(&hi, i)];

			r[i] = and3(x == NULL || l == NULL ? NAN :
			    strcmp(x, l) >= 0, x == NULL || h == NULL ? NAN :
			    strcmp(x, h) <= 0);
		}
	} else {
		memset(&ge, 0, sizeof ge);
		memset(&le, 0, sizeof le);
		vec_num(&ge, xmalloc(len * sizeof *r), len);
		vec_num(&le, xmalloc(len * sizeof *r), len);
		num_binop(OP_GE, ge.od, &a, &lo, len);
		num_binop(OP_LE, le.od, &a, &hi, len);
		num_binop(OP_AND, r, &ge, &le, len);
		vec_release(&ge);
		vec_release(&le);
	}
	if (n->neg)
		negate3(r, len);
	vec_release(&a);
	vec_release(&lo);
	vec_release(&hi);
	vec_res(c, v, r, len);
}

/*
 * x IN (a, b, ..) is x = a OR x = b OR .., NULLs included: true on a
 * match, else NULL if x or an item is NULL, else false.
 */
static void
eval_in(struct ctx *c, const struct node *n, struct vec *v)
{
	size_t len = out_len(c, n), i, k;
	struct vec a, it, acc, eq;
	const char *x, *y;
	double *r;

	eval(c, n->kid[0], &a);
	if (n->kid[0]->type != T_STR) {
		memset(&acc, 0, sizeof acc);
		for (k = 1; k < n->nkid; k++) {
			eval(c, n->kid[k], &it);
			memset(&eq, 0, sizeof eq);
			vec_num(&eq, xmalloc(len * sizeof *r), len);
			num_binop(OP_EQ, eq.od, &a, &it, len);
			vec_release(&it);
			if (k == 1) {
				acc = eq;
				continue;
			}
			r = xmalloc(len * sizeof *r);
			num_binop(OP_OR, r, &acc, &eq, len);
			vec_release(&acc);
			vec_release(&eq);
			vec_num(&acc, r, len);
		}
		r = acc.od;
	} else {
		r = xmalloc(len * sizeof *r);
		for (i = 0; i < len; i++)
			r[i] = a.s[AT(&a, i)] == NULL ? NAN : 0;
		for (k = 1; k < n->nkid; k++) {
			eval(c, n->kid[k], &it);
			for (i = 0; i < len; i++) {
				x = a.s[AT(&a, i)];
				if (x == NULL || r[i] == 1)
					continue;
				y = it.s[AT(&it, i)];
				if (y == NULL)
					r[i] = NAN;
				else if (strcmp(x, y) == 0)
					r[i] = 1;
			}
			vec_release(&it);
		}
	}
	if (n->neg)
		negate3(r, len);
	vec_release(&a);
	vec_num(v, r, len);
}

static void
eval_like(struct ctx *c, const struct node *n, struct vec *v)
{
	size_t len = out_len(c, n), i;
	struct vec a, b;
	const char *x, *p;
	double *r;

	eval(c, n->kid[0], &a);
	eval(c, n->kid[1], &b);
	r = xmalloc(len * sizeof *r);
	for (i = 0; i < len; i++) {
		x = a.s[AT(&a, i)];
		p = b.s[AT(&b, i)];
		r[i] = x == NULL || p == NULL ? NAN :
		    like_match(p, x) != n->neg;
	}
	vec_release(&a);
	vec_release(&b);
	vec_num(v, r, len);
}

/*
 * Copy value i of v into r[i] where take[i].  Both sides are loaded
 * unconditionally so that the choice compiles to a select, not a branch.
 */
static void
take_values(const unsigned char *take, const struct node *n,
    const struct vec *v, double *rd, const char **rs, size_t len)
{
	size_t i;

	if (n->type == T_STR) {
		const char *const *src = v->s;
		size_t step = v->len != 1;

		for (i = 0; i < len; i++) {
			const char *x = src[i * step], *y = rs[i];

			rs[i] = take[i] ? x : y;
		}
	} else {
		/* Bit masks: compilers branch on a select of doubles. */
		size_t step = v->len != 1;
		uint64_t x, y, m;

		for (i = 0; i < len; i++) {
			memcpy(&x, &v->d[i * step], sizeof x);
			memcpy(&y, &rd[i], sizeof y);
			m = -(uint64_t)take[i];
			y = (x & m) | (y & ~m);
			memcpy(&rd[i], &y, sizeof y);
		}
	}
}

/*
 * CASE, one WHEN at a time: take marks the rows a WHEN decides, done the
 * rows decided so far; a THEN is evaluated only when some row takes it.
 * Conditions are random, so the row loops avoid branches.
 */
static void
eval_case(struct ctx *c, const struct node *n, struct vec *v)
{
	size_t len = out_len(c, n), i, k, end;
	int str = n->type == T_STR;
	unsigned char *done = xcalloc(len, 1), *take = xmalloc(len), any;
	struct vec base, w, th;
	const char **rs = NULL;
	double *rd = NULL;

	if (str) {
		rs = str_buf(len);
		for (i = 0; i < len; i++)
			rs[i] = NULL;
	} else {
		rd = xmalloc(len * sizeof *rd);
		for (i = 0; i < len; i++)
			rd[i] = NAN;
	}
	memset(&base, 0, sizeof base);
	if (n->has_base)
		eval(c, n->kid[0], &base);
	end = n->nkid - (size_t)n->has_else;
	for (k = (size_t)n->has_base; k < end; k += 2) {
		eval(c, n->kid[k], &w);
		if (!n->has_base) {
			for (i = 0; i < len; i++) {
				double x = w.d[AT(&w, i)];

				take[i] = (x != 0) & (x == x);
			}
		} else if (n->kid[0]->type == T_STR) {
			for (i = 0; i < len; i++) {
				const char *x = base.s[AT(&base, i)];
				const char *y = w.s[AT(&w, i)];

				take[i] = x != NULL && y != NULL &&
				    strcmp(x, y) == 0;
			}
		} else {
			for (i = 0; i < len; i++)
				take[i] = base.d[AT(&base, i)] ==
				    w.d[AT(&w, i)];
		}
		vec_release(&w);
		for (any = 0, i = 0; i < len; i++) {
			take[i] &= (unsigned char)!done[i];
			done[i] |= take[i];
			any |= take[i];
		}
		if (!any)
			continue;
		eval(c, n->kid[k + 1], &th);
		take_values(take, n, &th, rd, rs, len);
		vec_release(&th);
	}
	if (n->has_else && memchr(done, 0, len) != NULL) {
		for (i = 0; i < len; i++)
			take[i] = (unsigned char)!done[i];
		eval(c, n->kid[end], &th);
		take_values(take, n, &th, rd, rs, len);
		vec_release(&th);
	}
	vec_release(&base);
	free(done);
	free(take);
	if (str)
		vec_str(v, rs, len);
	else
		vec_num(v, rd, len);
}

static void
eval_cast(struct ctx *c, const struct node *n, struct vec *v)
{
	const struct node *k = n->kid[0];
	size_t len = out_len(c, n), i;
	const char **rs;
	char buf[32];
	struct vec a;
	double *r;

	eval(c, k, &a);
	if (n->op == CAST_TEXT) {
		if (k->type == T_STR) {
			*v = a;
			return;
		}
		rs = str_buf(len);
		for (i = 0; i < len; i++) {
			double d = a.d[AT(&a, i)];

			rs[i] = isnan(d) ? NULL :
			    arena_strndup(c, buf, num_text(d, buf));
		}
		vec_release(&a);
		vec_str(v, rs, len);
		return;
	}
	if (k->type != T_STR && n->op != CAST_INTEGER) {
		*v = a;
		return;
	}
	r = k->type == T_STR ? xmalloc(len * sizeof *r) : num_buf(&a, len);
	for (i = 0; i < len; i++) {
		double d;

		if (k->type == T_STR) {
			const char *s = a.s[AT(&a, i)];

			d = s == NULL ? NAN : text_num(s);
		} else
			d = a.d[AT(&a, i)];
		r[i] = n->op == CAST_INTEGER ? trunc(d) + 0.0 : d;
	}
	vec_release(&a);
	vec_num(v, r, len);
}

/* coalesce / ifnull: later arguments only for rows still NULL. */
static void
eval_coalesce(struct ctx *c, const struct node *n, struct vec *v)
{
	size_t len = out_len(c, n), i, k, left;
	int str = n->type == T_STR;
	const char **rs = NULL;
	double *rd = NULL;
	struct vec a;

	eval(c, n->kid[0], &a);
	if (str) {
		rs = str_buf(len);
		for (i = 0; i < len; i++)
			rs[i] = a.s[AT(&a, i)];
	} else {
		rd = num_buf(&a, len);
		for (i = 0; i < len; i++)
			rd[i] = a.d[AT(&a, i)];
	}
	vec_release(&a);
	for (k = 1; k < n->nkid; k++) {
		for (left = 0, i = 0; i < len && !left; i++)
			left = str ? rs[i] == NULL : isnan(rd[i]);
		if (!left)
			break;
		eval(c, n->kid[k], &a);
		for (i = 0; i < len; i++) {
			if (str && rs[i] == NULL)
				rs[i] = a.s[AT(&a, i)];
			else if (!str && isnan(rd[i]))
				rd[i] = a.d[AT(&a, i)];
		}
		vec_release(&a);
	}
	if (str)
		vec_str(v, rs, len);
	else
		vec_num(v, rd, len);
}

/* min / max of several values: NULL if any is NULL (as SQLite). */
static void
eval_minmax(struct ctx *c, const struct node *n, struct vec *v)
{
	size_t len = out_len(c, n), i, k;
	int str = n->type == T_STR, max = n->op == F_MAX;
	struct vec *a = xcalloc(n->nkid, sizeof *a);
	const char **rs = NULL;
	double *rd = NULL;

	for (k = 0; k < n->nkid; k++)
		eval(c, n->kid[k], &a[k]);
	if (str)
		rs = str_buf(len);
	else
		rd = xmalloc(len * sizeof *rd);
	for (i = 0; i < len; i++) {
		if (str) {
			const char *best = a[0].s[AT(&a[0], i)], *x;

			for (k = 1; k < n->nkid && best != NULL; k++) {
				x = a[k].s[AT(&a[k], i)];
				if (x == NULL || (strcmp(x, best) > 0) == max)
					best = x;
			}
			rs[i] = best;
		} else {
			double best = a[0].d[AT(&a[0], i)], x;

			for (k = 1; k < n->nkid && !isnan(best); k++) {
				x = a[k].d[AT(&a[k], i)];
				if (isnan(x) || (x > best) == max)
					best = x;
			}
			rd[i] = best;
		}
	}
	for (k = 0; k < n->nkid; k++)
		vec_release(&a[k]);
	free(a);
	if (str)
		vec_str(v, rs, len);
	else
		vec_num(v, rd, len);
}

/* iif(c, a, b): b, then a where c is true. */
static void
eval_iif(struct ctx *c, const struct node *n, struct vec *v)
{
	size_t len = out_len(c, n), i;
	unsigned char *take = xmalloc(len);
	const char **rs = NULL;
	double *rd = NULL;
	struct vec cv, a;

	eval(c, n->kid[0], &cv);
	for (i = 0; i < len; i++) {
		double x = cv.d[AT(&cv, i)];

		take[i] = (x != 0) & (x == x);
	}
	vec_release(&cv);
	eval(c, n->kid[2], &a);
	if (n->type == T_STR) {
		rs = str_buf(len);
		for (i = 0; i < len; i++)
			rs[i] = a.s[AT(&a, i)];
	} else {
		rd = xmalloc(len * sizeof *rd);
		for (i = 0; i < len; i++)
			rd[i] = a.d[AT(&a, i)];
	}
	vec_release(&a);
	if (memchr(take, 1, len) != NULL) {
		eval(c, n->kid[1], &a);
		take_values(take, n, &a, rd, rs, len);
		vec_release(&a);
	}
	free(take);
	if (rs != NULL)
		vec_str(v, rs, len);
	else
		vec_num(v, rd, len);
}

static void
eval_func(struct ctx *c, const struct node *n, struct vec *v)
{
	size_t len = out_len(c, n), i, k;
	struct vec a[3];
	const char **rs = NULL;
	double *rd = NULL;
	int f = n->op;

	switch (f) {
	case F_COALESCE:
	case F_IFNULL:
		eval_coalesce(c, n, v);
		return;
	case F_MIN:
	case F_MAX:
		eval_minmax(c, n, v);
		return;
	case F_IIF:
		eval_iif(c, n, v);
		return;
	default:
		break;
	}
	memset(a, 0, sizeof a);
	for (k = 0; k < n->nkid; k++)
		eval(c, n->kid[k], &a[k]);
#define NUM(k)	(a[k].d[AT(&a[k], i)])
#define STR(k)	(a[k].s[AT(&a[k], i)])
	if (n->type == T_STR)
		rs = str_buf(len);
	else
		rd = f == F_NULLIF || n->nkid > 1 ||
		    n->kid[0]->type == T_STR ? xmalloc(len * sizeof *rd) :
		    num_buf(&a[0], len);
	for (i = 0; i < len; i++) {
		switch (f) {
		case F_NULLIF:
			if (n->type == T_STR)
				rs[i] = STR(0) != NULL && STR(1) != NULL &&
				    strcmp(STR(0), STR(1)) == 0 ? NULL : STR(0);
			else
				rd[i] = NUM(0) == NUM(1) ? NAN : NUM(0);
			break;
		case F_LENGTH:
			rd[i] = STR(0) == NULL ? NAN : (double)utf8_len(STR(0));
			break;
		case F_INSTR:
			rd[i] = STR(0) == NULL || STR(1) == NULL ? NAN :
			    instr(STR(0), STR(1));
			break;
		case F_LOWER:
		case F_UPPER:
			rs[i] = STR(0) == NULL ? NULL :
			    case_map(c, STR(0), f == F_UPPER);
			break;
		case F_TRIM:
		case F_LTRIM:
		case F_RTRIM:
			if (STR(0) == NULL || (n->nkid > 1 && STR(1) == NULL))
				rs[i] = NULL;
			else
				rs[i] = trim(c, STR(0), n->nkid > 1 ? STR(1) :
				    " ", f != F_RTRIM, f != F_LTRIM);
			break;
		case F_SUBSTR:
			if (STR(0) == NULL || isnan(NUM(1)) ||
			    (n->nkid > 2 && isnan(NUM(2))))
				rs[i] = NULL;
			else
				rs[i] = substr(c, STR(0), NUM(1),
				    n->nkid > 2 ? NUM(2) : 0, n->nkid > 2);
			break;
		case F_REPLACE:
			if (STR(0) == NULL || STR(1) == NULL || STR(2) == NULL)
				rs[i] = NULL;
			else
				rs[i] = replace(c, STR(0), STR(1), STR(2));
			break;
		default:
			rd[i] = n->nkid == 1 ? num_fn1(f, NUM(0)) :
			    num_fn2(f, NUM(0), NUM(1));
			break;
		}
	}
#undef NUM
#undef STR
	for (k = 0; k < n->nkid; k++)
		vec_release(&a[k]);
	if (rs != NULL)
		vec_str(v, rs, len);
	else
		vec_num(v, rd, len);
}

static void
eval_col(struct ctx *c, const struct node *n, struct vec *v)
{
	const struct column *col = c->t->cols[n->col];
	const char **rs;
	size_t i, row;

	v->len = c->n;
	if (n->col == c->sub_col) {
		v->s = c->sub_vals;
		return;
	}
	if (col->type != COL_CAT && col->type != COL_TEXT) {
		v->d = col->num + c->base;
		return;
	}
	rs = str_buf(c->n);
	for (i = 0, row = c->base; i < c->n; i++, row++) {
		if (col->type == COL_CAT)
			rs[i] = col->codes[row] < 0 ? NULL :
			    dict_str(col->dict, col->codes[row]);
		else
			rs[i] = col->off[row] == TEXT_MISSING ? NULL :
			    col->arena + col->off[row];
	}
	vec_str(v, rs, c->n);
}

/*
 * A subtree reading only categorical column n->one: its values over the
 * dictionary (plus NULL at the end) are computed once per evaluation and
 * gathered by code for each block.
 */
static void
eval_dict(struct ctx *c, const struct node *n, struct vec *v)
{
	const struct column *col = c->t->cols[n->one];
	size_t dn = col->dict->n, i, save = c->n;
	const struct vec *sub;
	struct chunk *blk;
	struct dcache *dc;
	const char **rs;
	const int32_t *codes = col->codes + c->base;
	double *r;

	for (i = 0; i < c->ndc; i++)
		if (c->dc[i].node == n)
			break;
	if (i == c->ndc) {
		c->dc = xreallocarray(c->dc, c->ndc + 1, sizeof *c->dc);
		dc = &c->dc[c->ndc++];
		dc->node = n;
		dc->vals = str_buf(dn + 1);
		for (i = 0; i < dn; i++)
			dc->vals[i] = dict_str(col->dict, (int32_t)i);
		dc->vals[dn] = NULL;
		c->n = dn + 1;
		c->sub_col = n->one;
		c->sub_vals = dc->vals;
		blk = c->arena;
		c->arena = c->keep;
		eval(c, n, &dc->v);
		c->keep = c->arena;
		c->arena = blk;
		c->n = save;
		c->sub_col = -1;
		c->sub_vals = NULL;
	} else
		dc = &c->dc[i];
	sub = &dc->v;
	if (n->type == T_STR) {
		rs = str_buf(c->n);
		for (i = 0; i < c->n; i++)
			rs[i] = sub->s[AT(sub, codes[i] < 0 ? dn :
			    (size_t)codes[i])];
		vec_str(v, rs, c->n);
	} else {
		r = res_buf(c, n, c->n);
		for (i = 0; i < c->n; i++)
			r[i] = sub->d[AT(sub, codes[i] < 0 ? dn :
			    (size_t)codes[i])];
		vec_res(c, v, r, c->n);
	}
}

static void
eval(struct ctx *c, const struct node *n, struct vec *v)
{
	memset(v, 0, sizeof *v);
	if (c->sub_col < 0 && n->one >= 0 && n->kind != N_COL &&
	    c->t->cols[n->one]->type == COL_CAT &&
	    c->t->cols[n->one]->dict->n + 1 <= c->t->nrows / 2) {
		eval_dict(c, n, v);
		return;
	}
	switch (n->kind) {
	case N_NUM:
	case N_BOOL:
		v->d = &n->num;
		v->len = 1;
		break;
	case N_STR:
		v->s = &n->sval;
		v->len = 1;
		break;
	case N_NULL:
		if (n->type == T_STR)
			v->s = &k_null_str;
		else
			v->d = &k_null_num;
		v->len = 1;
		break;
	case N_COL:
		eval_col(c, n, v);
		break;
	case N_NEG:
	case N_NOT:
	case N_ISNULL:
		eval_unary(c, n, v);
		break;
	case N_BIN:
		eval_bin(c, n, v);
		break;
	case N_IS:
		eval_is(c, n, v);
		break;
	case N_BETWEEN:
		eval_between(c, n, v);
		break;
	case N_IN:
		eval_in(c, n, v);
		break;
	case N_LIKE:
		eval_like(c, n, v);
		break;
	case N_CASE:
		eval_case(c, n, v);
		break;
	case N_CAST:
		eval_cast(c, n, v);
		break;
	case N_FUNC:
		eval_func(c, n, v);
		break;
	}
}

/* Do the bound column indexes and types still hold for t? */
static int
binding_holds(const struct node *n, const struct table *t)
{
	const struct column *c;
	size_t i;

	if (n->kind == N_COL) {
		if (n->col < 0 || (size_t)n->col >= t->ncols)
			return 0;
		c = t->cols[n->col];
		if (strcmp(c->name, n->str) != 0)
			return 0;
		if (c->type == COL_CAT || c->type == COL_TEXT)
			return n->type == T_STR;
		return n->type == (c->type == COL_BOOL ? T_BOOL : T_NUM);
	}
	for (i = 0; i < n->nkid; i++)
		if (!binding_holds(n->kid[i], t))
			return 0;
	return 1;
}

/* Append a block's strings to arena, setting their offsets. */
static void
append_strings(struct strbuf *arena, uint64_t *off, const struct vec *v,
    size_t n)
{
	size_t lens[EVAL_BLOCK], total = 0, i;
	const char *s;

	for (i = 0; i < n; i++) {
		s = v->s[AT(v, i)];
		lens[i] = s == NULL ? 0 : strlen(s) + 1;
		total += lens[i];
	}
	strbuf_grow(arena, total);
	for (i = 0; i < n; i++) {
		if (lens[i] == 0)
			continue;
		off[i] = arena->len;
		memcpy(arena->buf + arena->len, v->s[AT(v, i)], lens[i]);
		arena->len += lens[i];
	}
}

/*
 * Rows are evaluated in blocks of EVAL_BLOCK so that intermediate vectors
 * stay in cache and are not page-faulted in afresh: only the result
 * column is full length.
 */
struct column *
expr_eval(struct expr *x, const struct table *t, const char *name,
    struct err *e)
{
	struct strbuf arena = STRBUF_INIT;
	struct column *col;
	struct chunk *k;
	struct ctx c;
	struct vec v;
	size_t i, base;
	enum vtype type;

	if (!x->bound) {
		err_set(e, ERR_SPEC, "expression not bound to a table");
		return NULL;
	}
	if (!binding_holds(x->root, t) && expr_bind(x, t, e) < 0)
		return NULL;
	type = x->root->type;
	if (type == T_STR)
		col = column_new(name, COL_TEXT, t->nrows);
	else {
		col = column_new(name, type == T_BOOL ? COL_BOOL : COL_FLOAT,
		    0);
		free(col->num);
		col->num = xmalloc(t->nrows * sizeof *col->num);
	}
	memset(&c, 0, sizeof c);
	c.t = t;
	c.sub_col = -1;
	c.root = x->root;
	c.out = type == T_STR ? NULL : col->num;
	for (base = 0; base < t->nrows; base += EVAL_BLOCK) {
		c.base = base;
		c.n = t->nrows - base < EVAL_BLOCK ? t->nrows - base :
		    EVAL_BLOCK;
		eval(&c, x->root, &v);
		if (type != T_STR && v.len == c.n && v.d != col->num + base)
			memcpy(col->num + base, v.d, c.n * sizeof *v.d);
		for (i = 0; type != T_STR && v.len != c.n && i < c.n; i++)
			col->num[base + i] = v.d[0];
		if (type == T_STR)
			append_strings(&arena, col->off + base, &v, c.n);
		vec_release(&v);
		arena_reset(&c);
	}
	if (type == T_STR) {
		col->arena_len = arena.len;
		col->arena = strbuf_detach(&arena);
	}
	for (i = 0; i < c.ndc; i++) {
		vec_release(&c.dc[i].v);
		free(c.dc[i].vals);
	}
	free(c.dc);
	arena_reset(&c);
	free(c.arena);
	while ((k = c.keep) != NULL) {
		c.keep = k->next;
		free(k);
	}
	return col;
}

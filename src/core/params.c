/*
 * params.c - validating key=value words against a parameter schema,
 * typed access to the values, their canonical text, and the word quoting
 * and "did you mean" helpers the spec parser shares.
 *
 * Owns: the type checks and their messages, default filling, splitting
 * PT_NUMS / PT_STRS values, spec_quote(), edit_distance() and suggest().
 * Leaves alone: tokenizing (spec.c), what a column selector or an
 * expression means (checked later by whoever resolves them) and what a
 * step does with its values.
 *
 * Numbers are read with strtod after a check against a decimal grammar,
 * so hex, inf and nan are refused; lathe keeps LC_NUMERIC at "C", so the
 * decimal point is always '.'.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/params.h"
#include "core/xmalloc.h"

static const char *pos_file(const struct srcpos *);
static int	 pos_line(const struct srcpos *);
static size_t	 schema_len(const struct param_def *);
static int	 is_blank(int);
static int	 is_decimal(const char *, size_t, int);
static int	 parse_num(const char *, size_t, double *);
static int	 bool_value(const char *, int *);
static char	**split_choices(const char *, size_t *);
static void	 join_list(struct strbuf *, char *const *, size_t);
static int	 check_value(struct param_val *, const char *,
		    const struct srcpos *, int, struct err *);
static int	 spec_error(struct err *, const struct srcpos *, int,
		    const char *, ...) __attribute__((format(printf, 4, 5)));
static int	 bad_value(struct err *, const struct srcpos *, int,
		    const char *, const char *, const char *, ...)
		    __attribute__((format(printf, 6, 7)));
static const struct param_val *lookup(const struct params *,
		    const char *);
static void	 trim(const char **, const char **);

static const char *
pos_file(const struct srcpos *pos)
{
	return pos != NULL && pos->file != NULL ? pos->file : "<command>";
}

static int
pos_line(const struct srcpos *pos)
{
	return pos != NULL ? pos->line : 1;
}

static size_t
schema_len(const struct param_def *schema)
{
	size_t n = 0;

	while (schema != NULL && schema[n].name != NULL)
		n++;
	return n;
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/*
 * s[0..n) matches [+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?, or with
 * whole set, [+-]?\d+.
 */
static int
is_decimal(const char *s, size_t n, int whole)
{
	size_t i = 0, digits = 0;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		i++;
		digits++;
	}
	if (whole)
		return digits > 0 && i == n;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			i++;
			digits++;
		}
	}
	if (digits == 0)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i == n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == n;
}

/* 1 and *out for a finite decimal number, 0 for anything else. */
static int
parse_num(const char *s, size_t n, double *out)
{
	char buf[64], *p = buf;
	double v;

	if (!is_decimal(s, n, 0))
		return 0;
	if (n >= sizeof buf)
		p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	v = strtod(p, NULL);
	if (p != buf)
		free(p);
	if (!isfinite(v))
		return 0;
	*out = v;
	return 1;
}

/* true/false/yes/no/1/0, any case: 1 and *v, else 0. */
static int
bool_value(const char *s, int *v)
{
	static const char *const yes[] = { "true", "yes", "1", NULL };
	static const char *const no[] = { "false", "no", "0", NULL };
	size_t i;

	for (i = 0; yes[i] != NULL; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*v = 1;
			return 1;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*v = 0;
			return 1;
		}
	}
	return 0;
}

/* "a|b|c" -> NULL-terminated owned array, count in *n. */
static char **
split_choices(const char *choices, size_t *n)
{
	char **out;
	const char *p, *bar;
	size_t k = 1;

	if (choices == NULL)
		choices = "";
	for (p = choices; *p != '\0'; p++)
		if (*p == '|')
			k++;
	out = xcalloc(k + 1, sizeof *out);
	*n = 0;
	for (p = choices;; p = bar + 1) {
		bar = strchr(p, '|');
		if (bar == NULL) {
			out[(*n)++] = xstrdup(p);
			break;
		}
		out[(*n)++] = xstrndup(p, (size_t)(bar - p));
	}
	return out;
}

static void
join_list(struct strbuf *sb, char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, v[i]);
	}
}

static void
trim(const char **b, const char **e)
{
	while (*b < *e && is_blank((unsigned char)**b))
		(*b)++;
	while (*e > *b && is_blank((unsigned char)(*e)[-1]))
		(*e)--;
}

/* "FILE:LINE:COL: message", with the column also in err->col. */
static int
spec_error(struct err *err, const struct srcpos *pos, int col,
    const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	err_set(err, ERR_SPEC, "%s:%d:%d: %s", pos_file(pos), pos_line(pos),
	    col, msg);
	if (err != NULL)
		err->col = col;
	return -1;
}

/* "FILE:LINE:COL: bad value 'V' for 'K' (WHY)" */
static int
bad_value(struct err *err, const struct srcpos *pos, int col,
    const char *value, const char *key, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return spec_error(err, pos, col, "bad value '%s' for '%s' (%s)", value,
	    key, why);
}

/*
 * Check value against v->def's type and store its text in v (booleans
 * normalised to "true"/"false", everything else as given).
 */
static int
check_value(struct param_val *v, const char *value,
    const struct srcpos *pos, int col, struct err *err)
{
	const struct param_def *d = v->def;
	const char *name = d->name, *noun = NULL, *b, *e, *comma;
	int has_range = d->min != d->max, bv;
	char **choices;
	const char *hint;
	size_t nch, i;
	struct strbuf sb = STRBUF_INIT;
	double x;
	long l;

	switch (d->type) {
	case PT_BOOL:
		if (!bool_value(value, &bv))
			return bad_value(err, pos, col, value, name,
			    "expected true or false");
		v->text = xstrdup(bv ? "true" : "false");
		return 0;
	case PT_INT:
		if (!is_decimal(value, strlen(value), 1))
			return bad_value(err, pos, col, value, name,
			    "expected a whole number");
		errno = 0;
		l = strtol(value, NULL, 10);
		if (has_range && (errno == ERANGE || (double)l < d->min ||
		    (double)l > d->max))
			return bad_value(err, pos, col, value, name,
			    "expected a whole number from %g to %g", d->min,
			    d->max);
		if (errno == ERANGE)
			return bad_value(err, pos, col, value, name,
			    "out of range");
		break;
	case PT_NUM:
		if (!is_decimal(value, strlen(value), 0))
			return bad_value(err, pos, col, value, name,
			    "expected a number");
		if (!parse_num(value, strlen(value), &x))
			return bad_value(err, pos, col, value, name,
			    "out of range");
		if (has_range && (x < d->min || x > d->max))
			return bad_value(err, pos, col, value, name,
			    "expected a number from %g to %g", d->min, d->max);
		break;
	case PT_ENUM:
		choices = split_choices(d->choices, &nch);
		for (i = 0; i < nch; i++)
			if (strcmp(choices[i], value) == 0)
				break;
		if (i == nch) {
			hint = suggest(value, (const char *const *)choices);
			if (hint != NULL)
				strbuf_addf(&sb, "did you mean '%s'? ", hint);
			strbuf_addstr(&sb, "choices: ");
			join_list(&sb, choices, nch);
			bad_value(err, pos, col, value, name, "%s",
			    strbuf_str(&sb));
			strbuf_release(&sb);
			strs_free(choices, nch);
			return -1;
		}
		strs_free(choices, nch);
		break;
	case PT_NUMS:
	case PT_STRS:
		/* Items are trimmed of blanks; none may be empty. */
		b = value;
		do {
			comma = strchr(b, ',');
			e = comma != NULL ? comma : b + strlen(b);
			trim(&b, &e);
			if (d->type == PT_STRS) {
				if (b == e)
					return bad_value(err, pos, col, value,
					    name, "expected comma-separated "
					    "words");
			} else if (!parse_num(b, (size_t)(e - b), &x)) {
				return bad_value(err, pos, col, value, name,
				    "expected comma-separated numbers");
			} else if (has_range && (x < d->min || x > d->max)) {
				return bad_value(err, pos, col, value, name,
				    "expected numbers from %g to %g", d->min,
				    d->max);
			}
			if (comma != NULL)
				b = comma + 1;
		} while (comma != NULL);
		break;
	case PT_COLS:
		noun = "a column list";
		break;
	case PT_COL:
		noun = "a column name";
		break;
	case PT_EXPR:
		noun = "an expression";
		break;
	case PT_STR:
		break;
	}
	if (noun != NULL && *value == '\0')
		return spec_error(err, pos, col, "empty value for '%s' "
		    "(expected %s)", name, noun);
	v->text = xstrdup(value);
	return 0;
}

int
params_parse(struct params *p, const struct param_def *schema,
    const struct param_word *words, size_t nwords, const struct srcpos *pos,
    const char *what, struct err *err)
{
	const struct param_word *w;
	struct param_val *v;
	const char **names;
	const char *hint;
	struct strbuf sb = STRBUF_INIT;
	char *for_what;
	size_t i, j;
	int rc = -1;

	p->schema = schema;
	p->n = schema_len(schema);
	p->v = xcalloc(p->n ? p->n : 1, sizeof *p->v);
	for (i = 0; i < p->n; i++) {
		p->v[i].def = &schema[i];
		p->v[i].line = pos_line(pos);
		p->v[i].col = 1;
	}
	names = xcalloc(p->n + 1, sizeof *names);
	for (i = 0; i < p->n; i++)
		names[i] = schema[i].name;
	for_what = what != NULL ? xasprintf(" for %s", what) : xstrdup("");

	for (i = 0; i < nwords; i++) {
		w = &words[i];
		for (j = 0; j < p->n; j++)
			if (strcmp(schema[j].name, w->key) == 0)
				break;
		if (j == p->n) {
			hint = suggest(w->key, names);
			if (hint != NULL)
				strbuf_addf(&sb, "did you mean '%s'?", hint);
			else if (p->n == 0)
				strbuf_addstr(&sb, "it takes no arguments");
			else {
				strbuf_addstr(&sb, "arguments: ");
				join_list(&sb, (char *const *)names, p->n);
			}
			spec_error(err, pos, w->kcol, "unknown argument "
			    "'%s'%s (%s)", w->key, for_what, strbuf_str(&sb));
			goto out;
		}
		v = &p->v[j];
		if (v->given) {
			spec_error(err, pos, w->kcol, "repeated argument "
			    "'%s'%s", w->key, for_what);
			goto out;
		}
		if (check_value(v, w->value, pos, w->vcol, err) == -1)
			goto out;
		v->given = 1;
		v->col = w->vcol;
	}
	for (i = 0; i < p->n; i++) {
		v = &p->v[i];
		if (v->given)
			continue;
		if (v->def->def == NULL) {
			spec_error(err, pos, 1, "missing argument '%s'%s",
			    v->def->name, for_what);
			goto out;
		}
		v->text = xstrdup(v->def->def);
	}
	rc = 0;
out:
	if (rc == -1)
		params_release(p);
	strbuf_release(&sb);
	free(names);
	free(for_what);
	return rc;
}

void
params_release(struct params *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n && p->v != NULL; i++)
		free(p->v[i].text);
	free(p->v);
	p->v = NULL;
	p->n = 0;
	p->schema = NULL;
}

void
params_copy(struct params *dst, const struct params *src)
{
	size_t i;

	dst->schema = src->schema;
	dst->n = src->n;
	dst->v = xcalloc(src->n ? src->n : 1, sizeof *dst->v);
	for (i = 0; i < src->n; i++) {
		dst->v[i] = src->v[i];
		if (src->v[i].text != NULL)
			dst->v[i].text = xstrdup(src->v[i].text);
	}
}

/*
 * Asking for a name that is not in the schema is a bug in the step, not
 * bad input, so this is the one place in the core that prints and aborts.
 */
static const struct param_val *
lookup(const struct params *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].def->name, name) == 0)
			return &p->v[i];
	fprintf(stderr, "lathe: internal error: no parameter '%s'\n", name);
	abort();
}

const struct param_val *
params_get(const struct params *p, const char *name)
{
	return lookup(p, name);
}

const char *
params_str(const struct params *p, const char *name)
{
	const char *t = lookup(p, name)->text;

	return t != NULL ? t : "";
}

/* An optional value left empty reads as NAN. */
double
params_num(const struct params *p, const char *name)
{
	const char *t = params_str(p, name);
	double v;

	if (!parse_num(t, strlen(t), &v))
		return NAN;
	return v;
}

/* An optional value left empty reads as 0. */
long
params_int(const struct params *p, const char *name)
{
	return strtol(params_str(p, name), NULL, 10);
}

int
params_bool(const struct params *p, const char *name)
{
	int v = 0;

	bool_value(params_str(p, name), &v);
	return v;
}

int
params_given(const struct params *p, const char *name)
{
	return lookup(p, name)->given;
}

/* An empty value has no items: 0 and *out = NULL. */
size_t
params_nums(const struct params *p, const char *name, double **out)
{
	char **items;
	size_t n, i;

	n = params_strs(p, name, &items);
	*out = n ? xcalloc(n, sizeof **out) : NULL;
	for (i = 0; i < n; i++)
		if (!parse_num(items[i], strlen(items[i]), &(*out)[i]))
			(*out)[i] = NAN;
	strs_free(items, n);
	return n;
}

/* Items are trimmed of blanks; an empty value has none (*out = NULL). */
size_t
params_strs(const struct params *p, const char *name, char ***out)
{
	const char *t = params_str(p, name), *b, *e, *comma;
	size_t n = 1, k = 0;

	*out = NULL;
	if (*t == '\0')
		return 0;
	for (b = t; *b != '\0'; b++)
		if (*b == ',')
			n++;
	*out = xcalloc(n, sizeof **out);
	b = t;
	do {
		comma = strchr(b, ',');
		e = comma != NULL ? comma : b + strlen(b);
		trim(&b, &e);
		(*out)[k++] = xstrndup(b, (size_t)(e - b));
		if (comma != NULL)
			b = comma + 1;
	} while (comma != NULL);
	return k;
}

void
strs_free(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
params_write(const struct params *p, struct strbuf *sb)
{
	size_t i;
	int first = 1;

	for (i = 0; i < p->n; i++) {
		if (!p->v[i].given)
			continue;
		if (!first)
			strbuf_addch(sb, ' ');
		first = 0;
		strbuf_addstr(sb, p->v[i].def->name);
		strbuf_addch(sb, '=');
		spec_quote(sb, p->v[i].text != NULL ? p->v[i].text : "");
	}
}

/*
 * Bare when every byte is harmless to the lexer; else '...', inside
 * which nothing is special; only a word holding a single quote needs
 * "..." with \ " and $ escaped.  A newline cannot be written in any
 * form: the spec grammar has no way to spell one.
 */
void
spec_quote(struct strbuf *sb, const char *s)
{
	static const char bare[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@!*?.,:/+%-=^~";
	const char *p;

	if (*s != '\0' && *s != '#' && strspn(s, bare) == strlen(s)) {
		strbuf_addstr(sb, s);
		return;
	}
	if (strchr(s, '\'') == NULL) {
		strbuf_addch(sb, '\'');
		strbuf_addstr(sb, s);
		strbuf_addch(sb, '\'');
		return;
	}
	strbuf_addch(sb, '"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '\\' || *p == '"' || *p == '$')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '"');
}

size_t
edit_distance(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b), i, j, *row, diag, up, d;

	row = xcalloc(nb + 1, sizeof *row);
	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 1; i <= na; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= nb; j++) {
			up = row[j];
			d = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < d)
				d = up + 1;
			if (row[j - 1] + 1 < d)
				d = row[j - 1] + 1;
			row[j] = d;
			diag = up;
		}
	}
	d = row[nb];
	free(row);
	return d;
}

/*
 * Short words allow one edit only: with two, "id" would suggest any
 * two-letter name.  Among equally distant candidates the one closest in
 * length wins, then the first: a swap of two letters costs two edits,
 * the same as dropping two, and "medain" should find "median", not
 * "mean".
 */
const char *
suggest(const char *s, const char *const *cands)
{
	const char *best = NULL, *prefixed = NULL;
	size_t n = strlen(s), limit = n <= 3 ? 1 : 2, bestd = (size_t)-1;
	size_t bestlen = (size_t)-1, d, len, i;
	int nprefixed = 0;

	if (cands == NULL)
		return NULL;
	for (i = 0; cands[i] != NULL; i++) {
		d = edit_distance(s, cands[i]);
		len = strlen(cands[i]);
		len = len > n ? len - n : n - len;
		if (d < bestd || (d == bestd && len < bestlen)) {
			bestd = d;
			bestlen = len;
			best = cands[i];
		}
		if (strncmp(s, cands[i], n) == 0) {
			prefixed = cands[i];
			nprefixed++;
		}
	}
	if (best != NULL && bestd <= limit)
		return best;
	if (nprefixed == 1)
		return prefixed;
	return NULL;
}

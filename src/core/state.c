/*
 * state.c - fitted state as text: writing "key word word..." lines with
 * exact doubles and percent-encoded strings, and reading them back.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/state.h"
#include "core/table.h"
#include "core/xmalloc.h"

void
state_double(struct strbuf *sb, double d)
{
	char buf[40];

	if (isnan(d)) {
		strbuf_addstr(sb, "nan");
		return;
	}
	if (isinf(d)) {
		strbuf_addstr(sb, d < 0 ? "-inf" : "inf");
		return;
	}
	fmt_double(buf, sizeof buf, d);
	strbuf_addstr(sb, buf);
}

void
state_word(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	if (*s == '\0') {
		strbuf_addstr(sb, "%");		/* the empty string */
		return;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c == '%' || c == 0x7f) {
			strbuf_addch(sb, '%');
			strbuf_addch(sb, hex[c >> 4]);
			strbuf_addch(sb, hex[c & 15]);
		} else
			strbuf_addch(sb, c);
	}
}

void
state_put_num(struct strbuf *sb, const char *key, double d)
{
	state_put_nums(sb, key, 1, &d);
}

void
state_put_nums(struct strbuf *sb, const char *key, size_t n, const double *v)
{
	size_t i;

	strbuf_addstr(sb, key);
	for (i = 0; i < n; i++) {
		strbuf_addch(sb, ' ');
		state_double(sb, v[i]);
	}
	strbuf_addch(sb, '\n');
}

void
state_put_int(struct strbuf *sb, const char *key, long long v)
{
	strbuf_addf(sb, "%s %lld\n", key, v);
}

void
state_put_str(struct strbuf *sb, const char *key, const char *s)
{
	char *const one[1] = { (char *)(uintptr_t)s };

	state_put_strs(sb, key, 1, one);
}

void
state_put_strs(struct strbuf *sb, const char *key, size_t n, char *const *s)
{
	size_t i;

	strbuf_addstr(sb, key);
	for (i = 0; i < n; i++) {
		strbuf_addch(sb, ' ');
		state_word(sb, s[i]);
	}
	strbuf_addch(sb, '\n');
}

static int
unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static char *
decode(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;
	size_t i;

	if (n == 1 && s[0] == '%') {
		*out = '\0';
		return out;
	}
	for (i = 0; i < n; i++) {
		int a, b;

		if (s[i] == '%' && i + 2 < n && (a = unhex(s[i + 1])) >= 0 &&
		    (b = unhex(s[i + 2])) >= 0) {
			*o++ = (char)(a * 16 + b);
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

int
state_parse(struct state *st, const char *text, const char *what,
    struct err *e)
{
	const char *p = text;

	(void)e;
	memset(st, 0, sizeof *st);
	st->what = what;
	while (*p) {
		const char *eol = strchr(p, '\n'), *q;
		struct state_line *l;

		if (eol == NULL)
			eol = p + strlen(p);
		if (eol == p) {
			p = *eol ? eol + 1 : eol;
			continue;
		}
		st->lines = xreallocarray(st->lines, st->n + 1,
		    sizeof *st->lines);
		l = &st->lines[st->n++];
		memset(l, 0, sizeof *l);
		for (q = p; q < eol && *q != ' '; q++)
			;
		l->key = xstrndup(p, (size_t)(q - p));
		while (q < eol) {
			const char *w;

			while (q < eol && *q == ' ')
				q++;
			if (q >= eol)
				break;
			for (w = q; q < eol && *q != ' '; q++)
				;
			l->words = xreallocarray(l->words, l->nwords + 1,
			    sizeof *l->words);
			l->words[l->nwords++] = decode(w, (size_t)(q - w));
		}
		p = *eol ? eol + 1 : eol;
	}
	return 0;
}

void
state_release(struct state *st)
{
	size_t i, k;

	for (i = 0; i < st->n; i++) {
		free(st->lines[i].key);
		for (k = 0; k < st->lines[i].nwords; k++)
			free(st->lines[i].words[k]);
		free(st->lines[i].words);
	}
	free(st->lines);
	memset(st, 0, sizeof *st);
}

const struct state_line *
state_find(const struct state *st, const char *key)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (strcmp(st->lines[i].key, key) == 0)
			return &st->lines[i];
	return NULL;
}

static int
parse_double(const char *s, double *out)
{
	char *end;

	if (strcmp(s, "nan") == 0) {
		*out = NAN;
		return 0;
	}
	errno = 0;
	*out = strtod(s, &end);
	return *s == '\0' || *end != '\0' ? -1 : 0;
}

int
state_get_nums(const struct state *st, const char *key, double **out,
    size_t *n, struct err *e)
{
	const struct state_line *l = state_find(st, key);
	size_t i;

	*out = NULL;
	*n = 0;
	if (l == NULL)
		return err_set(e, ERR_DATA, "%s: '%s' is missing", st->what,
		    key);
	*out = xmalloc((l->nwords ? l->nwords : 1) * sizeof **out);
	for (i = 0; i < l->nwords; i++)
		if (parse_double(l->words[i], &(*out)[i]) != 0) {
			free(*out);
			*out = NULL;
			return err_set(e, ERR_DATA, "%s: '%s' has '%s', not a "
			    "number", st->what, key, l->words[i]);
		}
	*n = l->nwords;
	return 0;
}

int
state_get_num(const struct state *st, const char *key, double *out,
    struct err *e)
{
	double *v;
	size_t n;

	if (state_get_nums(st, key, &v, &n, e) != 0)
		return -1;
	if (n != 1) {
		free(v);
		return err_set(e, ERR_DATA, "%s: '%s' should hold one number",
		    st->what, key);
	}
	*out = v[0];
	free(v);
	return 0;
}

int
state_get_int(const struct state *st, const char *key, long long *out,
    struct err *e)
{
	double v;

	if (state_get_num(st, key, &v, e) != 0)
		return -1;
	if (v != floor(v) || fabs(v) > 9007199254740992.0)
		return err_set(e, ERR_DATA, "%s: '%s' is not a whole number",
		    st->what, key);
	*out = (long long)v;
	return 0;
}

int
state_get_strs(const struct state *st, const char *key, char ***out,
    size_t *n, struct err *e)
{
	const struct state_line *l = state_find(st, key);
	size_t i;

	*out = NULL;
	*n = 0;
	if (l == NULL)
		return err_set(e, ERR_DATA, "%s: '%s' is missing", st->what,
		    key);
	*out = xmalloc((l->nwords ? l->nwords : 1) * sizeof **out);
	for (i = 0; i < l->nwords; i++)
		(*out)[i] = xstrdup(l->words[i]);
	*n = l->nwords;
	return 0;
}

int
state_get_str(const struct state *st, const char *key, char **out,
    struct err *e)
{
	char **v;
	size_t n, i;

	if (state_get_strs(st, key, &v, &n, e) != 0)
		return -1;
	if (n != 1) {
		for (i = 0; i < n; i++)
			free(v[i]);
		free(v);
		return err_set(e, ERR_DATA, "%s: '%s' should hold one word",
		    st->what, key);
	}
	*out = v[0];
	free(v);
	return 0;
}

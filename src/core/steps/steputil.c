/*
 * steputil.c - helpers shared by the step implementations.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/expr.h"
#include "core/select.h"
#include "core/steps/steputil.h"
#include "core/xmalloc.h"

int
step_columns(const struct step *s, const char *param, const struct table *t,
    char ***names, size_t *n, struct err *e)
{
	if (select_resolve(params_str(&s->params, param), t, s->target,
	    names, n, e) != 0) {
		e->col = params_get(&s->params, param)->col;
		return -1;
	}
	return 0;
}

long
step_col(const struct table *t, const char *name, struct err *e)
{
	long k = table_find(t, name);

	if (k < 0)
		err_set(e, ERR_DATA, "column '%s' (present when the step was "
		    "fitted) is not in the data", name);
	return k;
}

long
step_numcol(const struct table *t, const char *name, struct err *e)
{
	long k = step_col(t, name, e);

	if (k >= 0 && !coltype_is_numeric_storage(t->cols[k]->type)) {
		err_set(e, ERR_DATA, "column '%s' is %s, not numeric (encode "
		    "it first, e.g. with onehot or ordinal)", name,
		    coltype_name(t->cols[k]->type));
		return -1;
	}
	return k;
}

long
step_number_col(const struct table *t, const char *name, struct err *e)
{
	long k = step_numcol(t, name, e);

	if (k >= 0 && (t->cols[k]->type == COL_DATE ||
	    t->cols[k]->type == COL_DATETIME)) {
		err_set(e, ERR_SPEC, "column '%s' is a %s: extract numbers from "
		    "it first (dateparts)", name,
		    coltype_name(t->cols[k]->type));
		return -1;
	}
	return k;
}

char *
step_fresh_name(const struct table *t, const char *base)
{
	char *name = xstrdup(base);
	int i;

	for (i = 2; table_find(t, name) >= 0; i++) {
		free(name);
		name = xasprintf("%s_%d", base, i);
	}
	return name;
}

/* "N: message" from expr.c becomes "in PARAM at character N: message". */
void
step_expr_error(const struct step *s, const char *param, struct err *e)
{
	char rest[ERR_MSG_MAX];
	char *end;
	long n = strtol(e->msg, &end, 10);

	if (end != e->msg && end[0] == ':' && end[1] == ' ') {
		snprintf(rest, sizeof rest, "%s", end + 2);
		snprintf(e->msg, sizeof e->msg, "in %s at character %ld: %.900s",
		    param, n, rest);
	} else
		err_prefix(e, "in %s", param);
	e->col = params_get(&s->params, param)->col;
}

int
step_expr_parse(const struct step *s, const char *param, struct expr **out,
    struct err *e)
{
	*out = expr_parse(params_str(&s->params, param), e);
	if (*out == NULL) {
		step_expr_error(s, param, e);
		return -1;
	}
	return 0;
}

int
step_cell_text(const struct column *c, size_t r, struct strbuf *sb)
{
	char buf[64];
	double v;

	if (c->type != COL_INT && c->type != COL_FLOAT)
		return column_format(c, r, sb);
	v = c->num[r];
	if (isnan(v))
		return 0;
	if (v == 0)
		v = 0;		/* -0 is the category 0 */
	fmt_double(buf, sizeof buf, v);
	strbuf_addstr(sb, buf);
	return 1;
}

/*
 * Append the canonical bytes of row r of the n columns: per value a tag
 * byte (0 missing, 1 present), then for strings their length (8 bytes)
 * and bytes, for numbers the 8 bytes of the double (-0 as 0).
 */
void
step_row_key(struct column *const *cols, size_t n, size_t r,
    struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct column *c = cols[i];
		uint64_t len;
		const char *s;
		double v;

		if (!coltype_is_numeric_storage(c->type)) {
			s = column_str(c, r);
			strbuf_addch(sb, s != NULL);
			if (s == NULL)
				continue;
			len = c->type == COL_CAT ? dict_len(c->dict,
			    c->codes[r]) : strlen(s);
			strbuf_add(sb, &len, sizeof len);
			strbuf_add(sb, s, (size_t)len);
			continue;
		}
		v = c->num[r];
		strbuf_addch(sb, !isnan(v));
		if (isnan(v))
			continue;
		if (v == 0)
			v = 0;
		strbuf_add(sb, &v, sizeof v);
	}
}

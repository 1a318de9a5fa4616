/*
 * step-derive.c - a new column from an expression (expr.h, SQLite's
 * syntax), computed row by row:
 *
 *	step derive name=total expr='price * qty'
 *	step derive name=band expr="CASE WHEN age < 30 THEN 'young' ELSE 'old' END"
 *
 * Numbers give a float column, conditions a boolean one, text a
 * categorical one (or text, when nearly every training value differs,
 * as the loader decides).  The type chosen at fit is kept at inference.
 * An existing column is replaced only with replace=true.
 */
#include <stdlib.h>
#include <string.h>

#include "core/expr.h"
#include "core/infer.h"
#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def derive_params[] = {
	{ "name", PT_STR, NULL, NULL, 0, 0, "the new column's name" },
	{ "expr", PT_EXPR, NULL, NULL, 0, 0, "how to compute it" },
	{ "replace", PT_BOOL, "false", NULL, 0, 0,
	  "replace a column of that name" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct derive {
	enum coltype	 type;
};

static int
derive_check(struct step *s, struct err *e)
{
	struct expr *x;

	if (params_str(&s->params, "name")[0] == '\0')
		return err_set(e, ERR_SPEC, "step 'derive': name= is empty");
	if (step_expr_parse(s, "expr", &x, e) != 0)
		return -1;
	expr_free(x);
	return 0;
}

/* TEXT -> CAT, interning each value. */
static struct column *
text_to_cat(struct column *c, size_t nrows)
{
	struct column *d = column_new(c->name, COL_CAT, nrows);
	size_t r;

	for (r = 0; r < nrows; r++) {
		const char *s = column_str(c, r);

		if (s != NULL)
			d->codes[r] = dict_intern(d->dict, s, strlen(s));
	}
	column_free(c);
	return d;
}

static struct column *
derive_eval(struct step *s, const struct table *t, struct err *e)
{
	struct expr *x;
	struct column *c;

	if (step_expr_parse(s, "expr", &x, e) != 0)
		return NULL;
	if (expr_bind(x, t, e) != 0) {
		step_expr_error(s, "expr", e);
		expr_free(x);
		return NULL;
	}
	c = expr_eval(x, t, params_str(&s->params, "name"), e);
	expr_free(x);
	return c;
}

static int
derive_fit(struct step *s, const struct table *t, struct err *e)
{
	const char *name = params_str(&s->params, "name");
	struct derive *d;
	struct column *c;
	struct expr *x;

	free(s->state);
	s->state = NULL;
	if (table_find(t, name) >= 0 && !params_bool(&s->params, "replace")) {
		err_set(e, ERR_SPEC, "column '%s' exists (give replace=true to "
		    "replace it)", name);
		e->col = params_get(&s->params, "name")->col;
		return -1;
	}
	c = derive_eval(s, t, e);
	if (c == NULL)
		return -1;
	d = xcalloc(1, sizeof *d);
	d->type = c->type;
	if (c->type == COL_TEXT) {
		/* As the loader decides: few distinct values, categorical. */
		struct dict *dd = dict_new();
		int32_t *codes = xmalloc((t->nrows ? t->nrows : 1) *
		    sizeof *codes);
		struct column *k;
		size_t r;

		for (r = 0; r < t->nrows; r++) {
			const char *str = column_str(c, r);

			codes[r] = str ? dict_intern(dd, str, strlen(str)) : -1;
		}
		k = infer_string_column(name, codes, dd, t->nrows, -1);
		d->type = k->type;
		column_free(k);
	}
	column_free(c);
	s->state = d;
	if (step_expr_parse(s, "expr", &x, e) == 0) {
		const char *const *cols;
		size_t n = 0;
		char *w[1];

		expr_bind(x, t, e);
		cols = expr_columns(x);
		while (cols[n] != NULL)
			n++;
		w[0] = (char *)(uintptr_t)name;
		step_set_io(s, (char *const *)(uintptr_t)cols, n, w, 1);
		expr_free(x);
	}
	return 0;
}

static int
derive_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	const struct derive *d = s->state;
	const char *name = params_str(&s->params, "name");
	struct column *c;
	long k;

	(void)ctx;
	c = derive_eval(s, t, e);
	if (c == NULL)
		return -1;
	if (d->type == COL_CAT && c->type == COL_TEXT)
		c = text_to_cat(c, t->nrows);
	if (c->type != d->type) {
		err_set(e, ERR_DATA, "the expression gives %s now but gave %s "
		    "when fitted", coltype_name(c->type),
		    coltype_name(d->type));
		column_free(c);
		return -1;
	}
	k = table_find(t, name);
	if (k >= 0)
		table_replace_column(t, (size_t)k, c);
	else
		table_add_column(t, c);
	return 0;
}

static void
derive_describe(const struct step *s, struct strbuf *sb)
{
	strbuf_addf(sb, "derive %s = %s", params_str(&s->params, "name"),
	    params_str(&s->params, "expr"));
}

static void
derive_save(const struct step *s, struct strbuf *sb)
{
	const struct derive *d = s->state;

	strbuf_addf(sb, "type %s\n", coltype_name(d->type));
}

static int
derive_load(struct step *s, const struct state *st, struct err *e)
{
	struct derive *d = xcalloc(1, sizeof *d);
	char *ty;

	s->state = d;
	if (state_get_str(st, "type", &ty, e) != 0)
		return -1;
	if (coltype_parse(ty, &d->type) != 0) {
		free(ty);
		return err_set(e, ERR_DATA, "%s: unknown type", st->what);
	}
	free(ty);
	return 0;
}

static void
derive_free(struct step *s)
{
	free(s->state);
	s->state = NULL;
}

const struct step_ops step_derive_ops = {
	.name = "derive",
	.summary = "a new column computed from an expression",
	.params = derive_params,
	.check = derive_check,
	.fit = derive_fit,
	.apply = derive_apply,
	.describe = derive_describe,
	.save = derive_save,
	.load = derive_load,
	.free = derive_free,
};

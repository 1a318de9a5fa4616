/*
 * step-filter.c - keep the rows where an expression (expr.h, SQLite's
 * syntax) is true; rows where it is false or NULL are dropped.
 *
 *	step filter expr='age >= 18 AND country IS NOT NULL'
 *	step filter expr='amount < 10000' when=train     (outliers, training only)
 *
 * when=train applies at training only: at inference every row passes.
 * when=always (the default) applies everywhere, and the rows it drops
 * from new data are counted.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/expr.h"
#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def filter_params[] = {
	{ "expr", PT_EXPR, NULL, NULL, 0, 0,
	  "the condition rows must meet" },
	{ "when", PT_ENUM, "always", "always|train", 0, 0,
	  "train: at training only; always: also on new data" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

static int
filter_check(struct step *s, struct err *e)
{
	struct expr *x;

	if (step_expr_parse(s, "expr", &x, e) != 0)
		return -1;
	expr_free(x);
	return 0;
}

static int
filter_run(struct step *s, struct table *t, struct apply_ctx *ctx,
    int fitting, struct err *e)
{
	struct expr *x;
	struct column *c;
	unsigned char *keep;
	size_t r, before = t->nrows;

	if (!ctx->training && strcmp(params_str(&s->params, "when"),
	    "train") == 0)
		return 0;
	if (step_expr_parse(s, "expr", &x, e) != 0)
		return -1;
	if (expr_bind(x, t, e) != 0) {
		step_expr_error(s, "expr", e);
		expr_free(x);
		return -1;
	}
	if (expr_result_type(x) == EXPR_STR) {
		expr_free(x);
		return err_set(e, ERR_SPEC, "the filter expression gives text, "
		    "not a condition");
	}
	if (fitting) {
		const char *const *cols = expr_columns(x);
		size_t n = 0;

		while (cols[n] != NULL)
			n++;
		step_set_io(s, (char *const *)(uintptr_t)cols, n, NULL, 0);
	}
	c = expr_eval(x, t, "condition", e);
	expr_free(x);
	if (c == NULL)
		return -1;
	keep = xmalloc(t->nrows ? t->nrows : 1);
	for (r = 0; r < t->nrows; r++)
		keep[r] = !isnan(c->num[r]) && c->num[r] != 0;
	column_free(c);
	table_filter_rows(t, keep);
	free(keep);
	if (!ctx->training)
		ctx->rows_dropped += before - t->nrows;
	return 0;
}

static int
filter_fit(struct step *s, const struct table *t, struct err *e)
{
	struct expr *x;

	/* Binding checks the columns; apply (right after) filters. */
	if (step_expr_parse(s, "expr", &x, e) != 0)
		return -1;
	if (expr_bind(x, t, e) != 0) {
		step_expr_error(s, "expr", e);
		expr_free(x);
		return -1;
	}
	expr_free(x);
	return 0;
}

static int
filter_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	return filter_run(s, t, ctx, ctx->training, e);
}

static void
filter_describe(const struct step *s, struct strbuf *sb)
{
	strbuf_addf(sb, "filter %s%s", params_str(&s->params, "expr"),
	    strcmp(params_str(&s->params, "when"), "train") == 0 ?
	    " (training only)" : "");
}

static void
filter_save(const struct step *s, struct strbuf *sb)
{
	state_put_str(sb, "expr", params_str(&s->params, "expr"));
}

static int
filter_load(struct step *s, const struct state *st, struct err *e)
{
	(void)s;
	(void)st;
	(void)e;
	return 0;
}

const struct step_ops step_filter_ops = {
	.name = "filter",
	.summary = "keep the rows where an expression is true",
	.params = filter_params,
	.check = filter_check,
	.fit = filter_fit,
	.apply = filter_apply,
	.describe = filter_describe,
	.save = filter_save,
	.load = filter_load,
};

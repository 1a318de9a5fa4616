/*
 * step-clip.c - limit numeric columns to a range: x' = min(max(x, lo), hi)
 * (numpy.clip), with fixed bounds (lower, upper) or bounds learned at fit
 * as percentiles of the present training values (q_low, q_high: numpy's
 * linear interpolation).  One side may be left open.  A column with no
 * present training values gets no learned bound.
 *
 * The type is kept (integer stays integer) unless a bound would put a
 * value the type cannot hold into the column: a non-integral bound on an
 * integer column, or a boolean column whose 0 or 1 would become
 * something else; then the column becomes float.  This is decided at
 * fit, so inference gives the same type.  Missing stays missing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/stats.h"
#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def clip_params[] = {
	{ "columns", PT_COLS, "@numeric", NULL, 0, 0,
	  "columns to clip (selector)" },
	{ "lower", PT_NUM, "", NULL, 0, 0, "fixed lower bound" },
	{ "upper", PT_NUM, "", NULL, 0, 0, "fixed upper bound" },
	{ "q_low", PT_NUM, "", NULL, 0, 100,
	  "lower bound: this percentile of the training values" },
	{ "q_high", PT_NUM, "", NULL, 0, 100,
	  "upper bound: this percentile of the training values" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct clip {
	size_t		 n;
	char		**cols;
	double		*lo;		/* -inf: none */
	double		*hi;		/* +inf: none */
	double		*to_float;	/* 1: the column becomes float */
};

static double	 clip_value(double, double, double);
static void	 clip_free(struct step *);
static struct clip *clip_alloc(size_t);
static int	 clip_check(struct step *, struct err *);
static int	 clip_fit(struct step *, const struct table *, struct err *);
static int	 clip_apply(struct step *, struct table *, struct apply_ctx *,
		    struct err *);
static void	 clip_describe(const struct step *, struct strbuf *);
static void	 clip_save(const struct step *, struct strbuf *);
static int	 clip_load(struct step *, const struct state *, struct err *);

static double
clip_value(double x, double lo, double hi)
{
	if (x < lo)
		x = lo;
	if (x > hi)
		x = hi;
	return x;
}

static void
clip_free(struct step *s)
{
	struct clip *cl = s->state;

	if (cl == NULL)
		return;
	strs_free(cl->cols, cl->n);
	free(cl->lo);
	free(cl->hi);
	free(cl->to_float);
	free(cl);
	s->state = NULL;
}

static struct clip *
clip_alloc(size_t n)
{
	struct clip *cl = xcalloc(1, sizeof *cl);

	cl->n = n;
	cl->lo = xcalloc(n ? n : 1, sizeof *cl->lo);
	cl->hi = xcalloc(n ? n : 1, sizeof *cl->hi);
	cl->to_float = xcalloc(n ? n : 1, sizeof *cl->to_float);
	return cl;
}

static int
clip_check(struct step *s, struct err *e)
{
	const struct params *p = &s->params;
	int fixed = params_given(p, "lower") || params_given(p, "upper");
	int pct = params_given(p, "q_low") || params_given(p, "q_high");

	if (!fixed && !pct)
		return err_set(e, ERR_SPEC, "step 'clip': give a bound: lower= "
		    "and/or upper=, or q_low= and/or q_high=");
	if (fixed && pct)
		return err_set(e, ERR_SPEC, "step 'clip': fixed bounds (lower, "
		    "upper) and percentiles (q_low, q_high) do not mix");
	if (params_given(p, "lower") && params_given(p, "upper") &&
	    !(params_num(p, "lower") < params_num(p, "upper")))
		return err_set(e, ERR_SPEC, "step 'clip': lower must be below "
		    "upper");
	if (params_given(p, "q_low") && params_given(p, "q_high") &&
	    !(params_num(p, "q_low") < params_num(p, "q_high")))
		return err_set(e, ERR_SPEC, "step 'clip': q_low must be below "
		    "q_high");
	return 0;
}

static int
clip_fit(struct step *s, const struct table *t, struct err *e)
{
	const struct params *p = &s->params;
	struct clip *cl;
	double *v = NULL, *tmp = NULL;
	char **names;
	size_t n, i, r;
	int rc = -1;

	clip_free(s);
	if (step_columns(s, "columns", t, &names, &n, e) != 0)
		return -1;
	cl = clip_alloc(n);
	s->state = cl;
	cl->cols = names;
	if (params_given(p, "q_low") || params_given(p, "q_high")) {
		v = xmalloc((t->nrows ? t->nrows : 1) * sizeof *v);
		tmp = xmalloc((t->nrows ? t->nrows : 1) * sizeof *tmp);
	}
	for (i = 0; i < n; i++) {
		long k = step_number_col(t, names[i], e);
		const struct column *c;
		double lo = -INFINITY, hi = INFINITY;

		if (k < 0)
			goto out;
		c = t->cols[k];
		if (params_given(p, "lower"))
			lo = params_num(p, "lower");
		if (params_given(p, "upper"))
			hi = params_num(p, "upper");
		if (v != NULL) {
			size_t m = 0;

			for (r = 0; r < t->nrows; r++)
				if (!isnan(c->num[r]))
					v[m++] = c->num[r];
			stats_sort(v, tmp, m);
			if (m > 0 && params_given(p, "q_low"))
				lo = stats_quantile(v, m, params_num(p,
				    "q_low") / 100);
			if (m > 0 && params_given(p, "q_high"))
				hi = stats_quantile(v, m, params_num(p,
				    "q_high") / 100);
		}
		cl->lo[i] = lo;
		cl->hi[i] = hi;
		if (c->type == COL_INT)
			cl->to_float[i] = (isfinite(lo) && lo != floor(lo)) ||
			    (isfinite(hi) && hi != floor(hi));
		else if (c->type == COL_BOOL) {
			double c0 = clip_value(0, lo, hi);
			double c1 = clip_value(1, lo, hi);

			cl->to_float[i] = !((c0 == 0 || c0 == 1) &&
			    (c1 == 0 || c1 == 1));
		}
	}
	step_set_io(s, names, n, names, n);
	rc = 0;
out:
	free(v);
	free(tmp);
	return rc;
}

static int
clip_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct clip *cl = s->state;
	size_t i, r;

	(void)ctx;
	for (i = 0; i < cl->n; i++) {
		long k = step_numcol(t, cl->cols[i], e);
		struct column *c;

		if (k < 0)
			return -1;
		c = t->cols[k];
		for (r = 0; r < t->nrows; r++)
			c->num[r] = clip_value(c->num[r], cl->lo[i],
			    cl->hi[i]);
		if (cl->to_float[i] != 0)
			c->type = COL_FLOAT;
	}
	return 0;
}

static void
clip_describe(const struct step *s, struct strbuf *sb)
{
	const struct params *p = &s->params;
	const struct clip *cl = s->state;
	const char *lo, *hi;

	if (params_given(p, "q_low") || params_given(p, "q_high")) {
		lo = params_given(p, "q_low") ? params_str(p, "q_low") : NULL;
		hi = params_given(p, "q_high") ? params_str(p, "q_high") :
		    NULL;
		strbuf_addf(sb, "clip to percentiles [%s%s, %s%s]",
		    lo ? "p" : "", lo ? lo : "-inf", hi ? "p" : "",
		    hi ? hi : "inf");
	} else {
		lo = params_given(p, "lower") ? params_str(p, "lower") :
		    "-inf";
		hi = params_given(p, "upper") ? params_str(p, "upper") : "inf";
		strbuf_addf(sb, "clip to [%s, %s]", lo, hi);
	}
	if (cl != NULL)
		strbuf_addf(sb, " on %zu column%s", cl->n, cl->n == 1 ? "" :
		    "s");
	else
		strbuf_addf(sb, " on %s", params_str(p, "columns"));
}

static void
clip_save(const struct step *s, struct strbuf *sb)
{
	const struct clip *cl = s->state;

	state_put_strs(sb, "columns", cl->n, cl->cols);
	state_put_nums(sb, "lower", cl->n, cl->lo);
	state_put_nums(sb, "upper", cl->n, cl->hi);
	state_put_nums(sb, "to_float", cl->n, cl->to_float);
}

static int
clip_load(struct step *s, const struct state *st, struct err *e)
{
	struct clip *cl = xcalloc(1, sizeof *cl);
	size_t nl, nh, nf;

	s->state = cl;
	if (state_get_strs(st, "columns", &cl->cols, &cl->n, e) != 0 ||
	    state_get_nums(st, "lower", &cl->lo, &nl, e) != 0 ||
	    state_get_nums(st, "upper", &cl->hi, &nh, e) != 0 ||
	    state_get_nums(st, "to_float", &cl->to_float, &nf, e) != 0)
		return -1;
	if (nl != cl->n || nh != cl->n || nf != cl->n)
		return err_set(e, ERR_DATA, "%s: %zu columns but %zu lower, "
		    "%zu upper and %zu to_float values", st->what, cl->n, nl,
		    nh, nf);
	step_set_io(s, cl->cols, cl->n, cl->cols, cl->n);
	return 0;
}

const struct step_ops step_clip_ops = {
	.name = "clip",
	.summary = "limit numeric columns to fixed or percentile bounds",
	.params = clip_params,
	.check = clip_check,
	.fit = clip_fit,
	.apply = clip_apply,
	.describe = clip_describe,
	.save = clip_save,
	.load = clip_load,
	.free = clip_free,
};

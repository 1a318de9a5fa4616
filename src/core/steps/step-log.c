/*
 * step-log.c - logarithm of numeric columns: y = log_b(x + offset), or
 * y = log_b(1 + x) with log1p=true (accurate near 0), base e, 2 or 10.
 *
 * Nothing is learned but which columns to transform; fit also refuses a
 * column none of whose present training values is in the domain (all
 * x + offset <= 0), since its output would be entirely missing.  At apply
 * a value out of the domain (x + offset <= 0; x <= -1 for log1p) becomes
 * missing, missing stays missing.  Results are float.  Leaves the other
 * columns alone.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def log_params[] = {
	{ "columns", PT_COLS, "@numeric", NULL, 0, 0,
	  "columns to transform (selector)" },
	{ "base", PT_ENUM, "e", "e|2|10", 0, 0, "base of the logarithm" },
	{ "offset", PT_NUM, "0", NULL, 0, 0,
	  "added to x before the logarithm: log(x + offset)" },
	{ "log1p", PT_BOOL, "false", NULL, 0, 0,
	  "compute log(1 + x) accurately (not with offset)" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct logstep {
	size_t		 n;
	char		**cols;
	double		 base;		/* 0 (e), 2 or 10 */
	double		 offset;
	int		 log1p;
};

static double	 log_value(const struct logstep *, double);
static int	 log_check(struct step *, struct err *);
static int	 log_fit(struct step *, const struct table *, struct err *);
static int	 log_apply(struct step *, struct table *, struct apply_ctx *,
		    struct err *);
static void	 log_describe(const struct step *, struct strbuf *);
static void	 log_save(const struct step *, struct strbuf *);
static int	 log_load(struct step *, const struct state *, struct err *);
static void	 log_free(struct step *);

static void
log_free(struct step *s)
{
	struct logstep *lg = s->state;

	if (lg == NULL)
		return;
	strs_free(lg->cols, lg->n);
	free(lg);
	s->state = NULL;
}

static int
log_check(struct step *s, struct err *e)
{
	if (params_bool(&s->params, "log1p") && params_given(&s->params,
	    "offset"))
		return err_set(e, ERR_SPEC, "step 'log': offset does not "
		    "combine with log1p=true (log1p is log(1 + x); for "
		    "log(x + c) use offset=c alone)");
	return 0;
}

/*
 * The transform of one value; NAN out of the domain.  Base 2 and 10 use
 * log2 and log10 directly (exact at powers of the base).
 */
static double
log_value(const struct logstep *lg, double x)
{
	double y;

	if (isnan(x))
		return NAN;
	if (lg->log1p) {
		if (!(x > -1))
			return NAN;
		y = log1p(x);
		if (lg->base == 2)
			return y / M_LN2;
		if (lg->base == 10)
			return y / M_LN10;
		return y;
	}
	x += lg->offset;
	if (!(x > 0))
		return NAN;
	if (lg->base == 2)
		return log2(x);
	if (lg->base == 10)
		return log10(x);
	return log(x);
}

static int
log_fit(struct step *s, const struct table *t, struct err *e)
{
	const char *base = params_str(&s->params, "base");
	struct logstep *lg;
	char **names;
	size_t n, i, r;

	log_free(s);
	if (step_columns(s, "columns", t, &names, &n, e) != 0)
		return -1;
	lg = xcalloc(1, sizeof *lg);
	s->state = lg;
	lg->n = n;
	lg->cols = names;
	lg->base = strcmp(base, "2") == 0 ? 2 : strcmp(base, "10") == 0 ?
	    10 : 0;
	lg->log1p = params_bool(&s->params, "log1p");
	lg->offset = lg->log1p ? 0 : params_num(&s->params, "offset");
	for (i = 0; i < n; i++) {
		long k = step_number_col(t, names[i], e);
		const struct column *c;
		size_t present = 0, good = 0;

		if (k < 0)
			return -1;
		c = t->cols[k];
		for (r = 0; r < t->nrows; r++) {
			if (isnan(c->num[r]))
				continue;
			present++;
			good += !isnan(log_value(lg, c->num[r]));
		}
		if (present > 0 && good == 0) {
			if (lg->log1p)
				return err_set(e, ERR_DATA, "column '%s': "
				    "every value is <= -1, outside the domain "
				    "of log1p", c->name);
			return err_set(e, ERR_DATA, "column '%s': every value "
			    "plus offset %g is <= 0, outside the domain of "
			    "log (raise offset)", c->name, lg->offset);
		}
	}
	step_set_io(s, names, n, names, n);
	return 0;
}

static int
log_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct logstep *lg = s->state;
	size_t i, r;

	(void)ctx;
	for (i = 0; i < lg->n; i++) {
		long k = step_numcol(t, lg->cols[i], e);
		struct column *c;

		if (k < 0)
			return -1;
		c = t->cols[k];
		for (r = 0; r < t->nrows; r++)
			c->num[r] = log_value(lg, c->num[r]);
		c->type = COL_FLOAT;
	}
	return 0;
}

static void
log_describe(const struct step *s, struct strbuf *sb)
{
	const struct logstep *lg = s->state;
	const char *base = params_str(&s->params, "base");

	if (params_bool(&s->params, "log1p"))
		strbuf_addf(sb, "log%s(1 + x)", strcmp(base, "e") == 0 ? "" :
		    base);
	else if (params_num(&s->params, "offset") != 0)
		strbuf_addf(sb, "log%s(x + %s)", strcmp(base, "e") == 0 ? "" :
		    base, params_str(&s->params, "offset"));
	else
		strbuf_addf(sb, "log%s(x)", strcmp(base, "e") == 0 ? "" :
		    base);
	if (lg != NULL)
		strbuf_addf(sb, " on %zu column%s", lg->n, lg->n == 1 ? "" :
		    "s");
	else
		strbuf_addf(sb, " on %s", params_str(&s->params, "columns"));
}

static void
log_save(const struct step *s, struct strbuf *sb)
{
	const struct logstep *lg = s->state;

	state_put_strs(sb, "columns", lg->n, lg->cols);
	state_put_num(sb, "base", lg->base);
	state_put_num(sb, "offset", lg->offset);
	state_put_int(sb, "log1p", lg->log1p);
}

static int
log_load(struct step *s, const struct state *st, struct err *e)
{
	struct logstep *lg = xcalloc(1, sizeof *lg);
	long long l1p;

	s->state = lg;
	if (state_get_strs(st, "columns", &lg->cols, &lg->n, e) != 0 ||
	    state_get_num(st, "base", &lg->base, e) != 0 ||
	    state_get_num(st, "offset", &lg->offset, e) != 0 ||
	    state_get_int(st, "log1p", &l1p, e) != 0)
		return -1;
	if (lg->base != 0 && lg->base != 2 && lg->base != 10)
		return err_set(e, ERR_DATA, "%s: bad base %g", st->what,
		    lg->base);
	lg->log1p = l1p != 0;
	step_set_io(s, lg->cols, lg->n, lg->cols, lg->n);
	return 0;
}

const struct step_ops step_log_ops = {
	.name = "log",
	.summary = "logarithm of numeric columns (base e, 2, 10; offset, "
	    "log1p)",
	.params = log_params,
	.check = log_check,
	.fit = log_fit,
	.apply = log_apply,
	.describe = log_describe,
	.save = log_save,
	.load = log_load,
	.free = log_free,
};

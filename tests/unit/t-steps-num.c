/*
 * t-steps-num.c - unit tests for the numeric steps: log, power, clip,
 * bin, dateparts and pca (core/steps/step-*.c).
 *
 * Each step on small hand-built tables against values worked out by hand
 * or from the numpy / scikit-learn formulas, computed here; parameter
 * and data errors with their messages; and for every fitted step the
 * inference contract: save the state, load it into a fresh step, apply
 * it (ctx.training = 0) to a fresh copy of the input, whole and one row
 * at a time, and get the training output bit for bit.  Power lambdas are
 * checked against the likelihood (a maximum, and the result of an
 * independent golden-section search); pca against the scikit-learn
 * reference numbers (shared/data/reference.json, datasets.*.pca: mean
 * imputation, standard scaling, then pca; one-hot for vote).
 */
#include <float.h>
#include <stdarg.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/load.h"
#include "core/state.h"
#include "core/step.h"
#include "core/strbuf.h"
#include "core/table.h"
#include "core/xmalloc.h"
#include "tap.h"
#include "testutil.h"

extern const struct step_ops step_log_ops, step_power_ops, step_clip_ops,
    step_bin_ops, step_dateparts_ops, step_pca_ops, step_impute_ops,
    step_scale_ops, step_onehot_ops;

static struct step *mkstep(const struct step_ops *, const char *,
		    struct err *);
static struct column *numcol(const char *, enum coltype, const double *,
		    size_t);
static struct column *catcol(const char *, const char *const *, size_t);
static struct table *mktable(size_t, struct column *, ...);
static int	 same_value(const struct column *, size_t,
		    const struct column *, size_t);
static int	 same_rows(const struct table *, size_t, const struct table *,
		    size_t);
static int	 same_table(const struct table *, const struct table *);
static struct table *fit_apply(struct step *, const struct table *,
		    struct err *);
static void	 check_inference(const struct step *, const char *,
		    const struct table *, const struct table *,
		    const char *);
static int	 state_nums(const struct step *, const char *, double *,
		    size_t);
static const double *col(const struct table *, const char *);
static void	 expect_fit_err(const struct step_ops *, const char *,
		    const struct table *, const char *, const char *);
static void	 expect_spec_err(const struct step_ops *, const char *,
		    const char *, const char *);
static void	 test_log(void);
static double	 yj(double, double);
static double	 yj_llf(const double *, size_t, double);
static double	 bc_llf(const double *, size_t, double);
static double	 golden_max(double (*)(const double *, size_t, double),
		    const double *, size_t);
static void	 test_power(void);
static void	 test_clip(void);
static void	 test_bin(void);
static void	 test_dateparts(void);
static void	 test_pca_small(void);
static struct table *tu_load(const char *, const char *);
static void	 test_pca_reference(void);
static void	 test_pca_vote(void);

/* "k=v k=v" (no blanks inside values) -> a new step, checked. */
static struct step *
mkstep(const struct step_ops *ops, const char *args, struct err *e)
{
	struct param_word w[16];
	char *copy = xstrdup(args), *p = copy, *tok;
	struct srcpos pos = { "t.lathe", 1 };
	struct step *s = step_new(ops);
	size_t n = 0;

	while ((tok = strtok(p, " ")) != NULL && n < 16) {
		char *eq = strchr(tok, '=');

		p = NULL;
		*eq = '\0';
		w[n].key = tok;
		w[n].value = eq + 1;
		w[n].kcol = 1;
		w[n].vcol = 1;
		n++;
	}
	if (params_parse(&s->params, ops->params, w, n, &pos, "step",
	    e) != 0 || (ops->check != NULL && ops->check(s, e) != 0)) {
		free(copy);
		step_free(s);
		return NULL;
	}
	free(copy);
	return s;
}

static struct column *
numcol(const char *name, enum coltype type, const double *v, size_t n)
{
	struct column *c = column_new(name, type, n);

	memcpy(c->num, v, n * sizeof *v);
	return c;
}

/* NULL entries are missing. */
static struct column *
catcol(const char *name, const char *const *v, size_t n)
{
	struct column *c = column_new(name, COL_CAT, n);
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] != NULL)
			c->codes[i] = dict_intern(c->dict, v[i], strlen(v[i]));
	return c;
}

/* A table of nrows rows from the NULL-terminated columns. */
static struct table *
mktable(size_t nrows, struct column *c, ...)
{
	struct table *t = table_new();
	va_list ap;

	t->nrows = nrows;
	va_start(ap, c);
	for (; c != NULL; c = va_arg(ap, struct column *))
		table_add_column(t, c);
	va_end(ap);
	return t;
}

/* Same bits (any NaN equals any NaN), or the same string. */
static int
same_value(const struct column *a, size_t ra, const struct column *b,
    size_t rb)
{
	const char *sa, *sb;

	if (a->type != b->type)
		return 0;
	if (coltype_is_numeric_storage(a->type)) {
		double x = a->num[ra], y = b->num[rb];

		if (isnan(x) || isnan(y))
			return isnan(x) && isnan(y);
		return memcmp(&x, &y, sizeof x) == 0;
	}
	sa = column_str(a, ra);
	sb = column_str(b, rb);
	if (sa == NULL || sb == NULL)
		return sa == sb;
	return strcmp(sa, sb) == 0;
}

static int
same_rows(const struct table *a, size_t ra, const struct table *b,
    size_t rb)
{
	size_t i;

	if (a->ncols != b->ncols)
		return 0;
	for (i = 0; i < a->ncols; i++)
		if (strcmp(a->cols[i]->name, b->cols[i]->name) != 0 ||
		    !same_value(a->cols[i], ra, b->cols[i], rb))
			return 0;
	return 1;
}

static int
same_table(const struct table *a, const struct table *b)
{
	size_t r;

	if (a->nrows != b->nrows || a->ncols != b->ncols)
		return 0;
	for (r = 0; r < a->nrows; r++)
		if (!same_rows(a, r, b, r))
			return 0;
	if (a->nrows == 0)
		return same_rows(a, 0, b, 0) || a->ncols == 0;
	return 1;
}

/* Fit s on a copy of in, apply it (training), return the result. */
static struct table *
fit_apply(struct step *s, const struct table *in, struct err *e)
{
	struct table *t = table_copy(in);
	struct apply_ctx ctx;

	memset(&ctx, 0, sizeof ctx);
	ctx.training = 1;
	if (s->ops->fit(s, t, e) != 0 || s->ops->apply(s, t, &ctx, e) != 0) {
		table_free(t);
		return NULL;
	}
	s->fitted = 1;
	return t;
}

/*
 * The inference contract: the state of fitted s, loaded into a fresh
 * step made from args, applied (not training) to a copy of in, gives
 * trained, the training output; so does each row alone.  Also: saving
 * the loaded step gives the same text.
 */
static void
check_inference(const struct step *s, const char *args,
    const struct table *in, const struct table *trained, const char *name)
{
	struct strbuf sb = STRBUF_INIT, sb2 = STRBUF_INIT;
	struct state st;
	struct step *fresh;
	struct table *t;
	struct apply_ctx ctx;
	struct err e;
	size_t r;
	int good = 1;

	err_clear(&e);
	s->ops->save(s, &sb);
	state_parse(&st, strbuf_str(&sb), "step 1 (test)", &e);
	fresh = mkstep(s->ops, args, &e);
	if (!ok(fresh != NULL && fresh->ops->load(fresh, &st, &e) == 0,
	    "%s: state loads into a fresh step", name)) {
		printf("#   %s\n", e.msg);
		state_release(&st);
		strbuf_release(&sb);
		step_free(fresh);
		return;
	}
	fresh->ops->save(fresh, &sb2);
	is_str(strbuf_str(&sb2), strbuf_str(&sb),
	    "the loaded state saves to the same text");
	memset(&ctx, 0, sizeof ctx);
	t = table_copy(in);
	ok(fresh->ops->apply(fresh, t, &ctx, &e) == 0 &&
	    same_table(t, trained), "%s: apply at inference on a fresh copy "
	    "is bit-identical to the training output", name);
	table_free(t);
	for (r = 0; r < in->nrows && good; r++) {
		struct table *one = table_slice(in, r, 1);

		good = fresh->ops->apply(fresh, one, &ctx, &e) == 0 &&
		    same_rows(one, 0, trained, r);
		if (!good)
			printf("#   row %zu differs (%s)\n", r, e.msg);
		table_free(one);
	}
	ok(good, "%s: so is each row applied alone", name);
	step_free(fresh);
	state_release(&st);
	strbuf_release(&sb);
	strbuf_release(&sb2);
}

/* The numbers on state line KEY (at most max) into v; their count. */
static int
state_nums(const struct step *s, const char *key, double *v, size_t max)
{
	struct strbuf sb = STRBUF_INIT;
	struct state st;
	struct err e;
	double *got;
	size_t n = 0, i;

	s->ops->save(s, &sb);
	state_parse(&st, strbuf_str(&sb), "test", &e);
	if (state_get_nums(&st, key, &got, &n, &e) == 0) {
		for (i = 0; i < n && i < max; i++)
			v[i] = got[i];
		free(got);
	}
	state_release(&st);
	strbuf_release(&sb);
	return (int)n;
}

static const double *
col(const struct table *t, const char *name)
{
	long k = table_find(t, name);

	return k >= 0 ? t->cols[k]->num : NULL;
}

/* Fitting ARGS on t fails with message MSG. */
static void
expect_fit_err(const struct step_ops *ops, const char *args,
    const struct table *t, const char *msg, const char *name)
{
	struct err e;
	struct step *s;
	struct table *out;

	err_clear(&e);
	s = mkstep(ops, args, &e);
	if (!ok(s != NULL, "%s: spec accepted", name)) {
		printf("#   %s\n", e.msg);
		return;
	}
	out = fit_apply(s, t, &e);
	ok(out == NULL, "%s: fit fails", name);
	is_str(e.msg, msg, "  with the message");
	table_free(out);
	step_free(s);
}

/* ARGS are refused when the step is built (schema or check). */
static void
expect_spec_err(const struct step_ops *ops, const char *args,
    const char *msg, const char *name)
{
	struct err e;
	struct step *s;

	err_clear(&e);
	s = mkstep(ops, args, &e);
	ok(s == NULL && e.code == ERR_SPEC, "%s: refused", name);
	is_str(e.msg, msg, "  with the message");
	step_free(s);
}

static void
test_log(void)
{
	static const double x[] = { 1, 2, 8, 0.5, 0, -3, NAN, 1024 };
	static const double iv[] = { 1, 10, 1000, -1, 0, 100000 };
	static const double bad[] = { 0, -1, NAN, -2 };
	struct table *in, *out;
	struct step *s;
	struct err e;
	const double *y;

	err_clear(&e);
	in = mktable(8, numcol("x", COL_FLOAT, x, 8), NULL);
	s = mkstep(&step_log_ops, "base=2", &e);
	out = fit_apply(s, in, &e);
	ok(out != NULL, "log base 2 fits");
	y = col(out, "x");
	ok(y[0] == 0 && y[1] == 1 && y[2] == 3 && y[3] == -1 &&
	    y[7] == 10, "log2 of 1, 2, 8, 0.5, 1024 is 0, 1, 3, -1, 10");
	ok(isnan(y[4]) && isnan(y[5]) && isnan(y[6]),
	    "0 and -3 are out of the domain, and missing stays missing");
	is_int(out->cols[0]->type, COL_FLOAT, "the result is float");
	check_inference(s, "base=2", in, out, "log base 2");
	table_free(out);
	step_free(s);

	s = mkstep(&step_log_ops, "", &e);
	out = fit_apply(s, in, &e);
	y = col(out, "x");
	ok(y[1] == log(2.0) && y[7] == log(1024.0) && y[0] == 0,
	    "natural log by default");
	table_free(out);
	step_free(s);

	s = mkstep(&step_log_ops, "offset=3.5", &e);
	out = fit_apply(s, in, &e);
	y = col(out, "x");
	ok(y[4] == log(3.5) && y[5] == log(0.5) && y[3] == log(4.0),
	    "offset: log(x + 3.5)");
	check_inference(s, "offset=3.5", in, out, "log offset");
	table_free(out);
	step_free(s);

	s = mkstep(&step_log_ops, "log1p=true base=10", &e);
	out = fit_apply(s, in, &e);
	y = col(out, "x");
	ok(y[4] == 0 && y[0] == log1p(1.0) / M_LN10 && isnan(y[5]),
	    "log1p base 10: log1p(x) / ln 10, x <= -1 is missing");
	check_inference(s, "log1p=true base=10", in, out, "log1p");
	table_free(out);
	step_free(s);
	table_free(in);

	in = mktable(6, numcol("n", COL_INT, iv, 6), NULL);
	s = mkstep(&step_log_ops, "base=10", &e);
	out = fit_apply(s, in, &e);
	y = col(out, "n");
	ok(y[0] == 0 && y[1] == 1 && y[2] == 3 && isnan(y[3]) &&
	    isnan(y[4]) && y[5] == 5, "log10 of an integer column");
	is_int(out->cols[0]->type, COL_FLOAT, "integer becomes float");
	table_free(out);
	step_free(s);
	table_free(in);

	in = mktable(4, numcol("neg", COL_FLOAT, bad, 4), NULL);
	expect_fit_err(&step_log_ops, "", in, "column 'neg': every value plus "
	    "offset 0 is <= 0, outside the domain of log (raise offset)",
	    "log of no positive value");
	s = mkstep(&step_log_ops, "log1p=true", &e);
	out = fit_apply(s, in, &e);
	ok(out != NULL && col(out, "neg")[0] == 0 && isnan(col(out, "neg")[1]),
	    "log1p: 0 is in its domain, -1 is not");
	table_free(out);
	step_free(s);
	s = mkstep(&step_log_ops, "offset=2.5", &e);
	out = fit_apply(s, in, &e);
	ok(out != NULL, "an offset brings some values into the domain");
	table_free(out);
	step_free(s);
	table_free(in);
	in = mktable(3, numcol("neg", COL_FLOAT, bad + 1, 3), NULL);
	expect_fit_err(&step_log_ops, "log1p=true", in, "column 'neg': every "
	    "value is <= -1, outside the domain of log1p",
	    "log1p of values <= -1");
	table_free(in);
	expect_spec_err(&step_log_ops, "log1p=true offset=1", "step 'log': "
	    "offset does not combine with log1p=true (log1p is log(1 + x); "
	    "for log(x + c) use offset=c alone)", "log1p with offset");
	expect_spec_err(&step_log_ops, "base=100", "t.lathe:1:1: bad value "
	    "'100' for 'base' (did you mean '10'? choices: e, 2, 10)",
	    "base 100");
}

/* scikit-learn's Yeo-Johnson transform and log-likelihood, again. */
static double
yj(double x, double l)
{
	if (x >= 0)
		return fabs(l) < DBL_EPSILON ? log1p(x) :
		    (pow(x + 1, l) - 1) / l;
	return fabs(l - 2) > DBL_EPSILON ?
	    -(pow(1 - x, 2 - l) - 1) / (2 - l) : -log1p(-x);
}

static double
yj_llf(const double *x, size_t n, double l)
{
	double m = 0, v = 0, s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		m += yj(x[i], l);
	m /= (double)n;
	for (i = 0; i < n; i++)
		v += (yj(x[i], l) - m) * (yj(x[i], l) - m);
	v /= (double)n;
	for (i = 0; i < n; i++)
		s += (x[i] > 0 ? 1 : x[i] < 0 ? -1 : 0) * log1p(fabs(x[i]));
	return -(double)n / 2 * log(v) + (l - 1) * s;
}

/* scipy.stats.boxcox_llf. */
static double
bc_llf(const double *x, size_t n, double l)
{
	double m = 0, v = 0, s = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		m += l == 0 ? log(x[i]) : pow(x[i], l) / l;
		s += log(x[i]);
	}
	m /= (double)n;
	for (i = 0; i < n; i++) {
		double d = (l == 0 ? log(x[i]) : pow(x[i], l) / l) - m;

		v += d * d;
	}
	v /= (double)n;
	return (l - 1) * s - (double)n / 2 * log(v);
}

/* Plain golden-section search for the maximum on [-6, 6]. */
static double
golden_max(double (*f)(const double *, size_t, double), const double *x,
    size_t n)
{
	const double g = (sqrt(5.0) - 1) / 2;
	double a = -6, b = 6, c = b - g * (b - a), d = a + g * (b - a);
	double fc = f(x, n, c), fd = f(x, n, d);
	int i;

	for (i = 0; i < 200 && b - a > 1e-12; i++) {
		if (fc > fd) {
			b = d;
			d = c;
			fd = fc;
			c = b - g * (b - a);
			fc = f(x, n, c);
		} else {
			a = c;
			c = d;
			fc = fd;
			d = a + g * (b - a);
			fd = f(x, n, d);
		}
	}
	return (a + b) / 2;
}

static void
test_power(void)
{
	static const double x[] = { 0.5, 1.2, 3.4, 7.8, 15.1, -2.0, 0.0,
		25.0, 2.2, 4.4, NAN, 60.0 };
	static const double pos[] = { 0.3, 1.1, 2.5, 4.0, 9.8, 20.0, 0.9,
		3.3, 45.0, 1.7 };
	static const double cst[] = { 4, 4, NAN, 4 };
	static const double nonpos[] = { 1, 2, 0, 5 };
	double xs[11], lam[2], mean[2], scale[2], ml, m, v, lm;
	struct table *in, *out, *out2;
	struct step *s;
	struct err e;
	const double *y;
	size_t i, k, n = 0;
	int good;

	err_clear(&e);
	for (i = 0; i < 12; i++)
		if (!isnan(x[i]))
			xs[n++] = x[i];
	in = mktable(12, numcol("x", COL_FLOAT, x, 12),
	    numcol("p", COL_FLOAT, x, 12), NULL);
	/* Yeo-Johnson, not standardized */
	s = mkstep(&step_power_ops, "columns=x standardize=false", &e);
	out = fit_apply(s, in, &e);
	ok(out != NULL, "yeo-johnson fits");
	is_int(state_nums(s, "lambda", lam, 2), 1, "one lambda");
	ml = yj_llf(xs, n, lam[0]);
	ok(ml > yj_llf(xs, n, lam[0] + 1e-4) && ml > yj_llf(xs, n,
	    lam[0] - 1e-4), "yeo-johnson lambda %.10f is a maximum of the "
	    "likelihood (+-1e-4 lower)", lam[0]);
	ok(ml >= yj_llf(xs, n, lam[0] + 1e-6) && ml >= yj_llf(xs, n,
	    lam[0] - 1e-6), "and +-1e-6 is no higher");
	lm = golden_max(yj_llf, xs, n);
	is_double(lam[0], lm, 1e-6, "it agrees with a golden-section search");
	ok(lam[0] > 0 && lam[0] < 1, "a right-skewed column gets 0 < lambda "
	    "< 1");
	y = col(out, "x");
	good = 1;
	for (i = 0; i < 12; i++)
		good &= isnan(x[i]) ? isnan(y[i]) : y[i] == yj(x[i], lam[0]);
	ok(good, "the values are the Yeo-Johnson transform at that lambda, "
	    "missing stays missing");
	y = col(out, "p");
	ok(y[0] == 0.5 && y[11] == 60, "unselected columns are untouched");
	check_inference(s, "columns=x standardize=false", in, out,
	    "yeo-johnson");
	step_free(s);

	/* standardized: (yj - mean) / population std */
	s = mkstep(&step_power_ops, "columns=x,p", &e);
	out2 = fit_apply(s, in, &e);
	is_int(state_nums(s, "lambda", lam, 2), 2, "two lambdas");
	state_nums(s, "mean", mean, 2);
	state_nums(s, "scale", scale, 2);
	ok(lam[0] == lam[1], "the same data gives the same lambda");
	y = col(out2, "x");
	for (i = 0, m = 0, k = 0; i < 12; i++)
		if (!isnan(y[i])) {
			m += y[i];
			k++;
		}
	m /= (double)k;
	for (i = 0, v = 0; i < 12; i++)
		if (!isnan(y[i]))
			v += (y[i] - m) * (y[i] - m);
	v /= (double)k;
	is_double(m, 0, 1e-14, "standardized: mean 0");
	is_double(v, 1, 1e-13, "standardized: population variance 1");
	ok(y[3] == (col(out, "x")[3] - mean[0]) / scale[0],
	    "standardized: (yj(x) - mean) / scale");
	check_inference(s, "columns=x,p", in, out2, "yeo-johnson "
	    "standardized");
	table_free(out);
	table_free(out2);
	step_free(s);
	table_free(in);

	/* Box-Cox */
	in = mktable(10, numcol("b", COL_FLOAT, pos, 10), NULL);
	s = mkstep(&step_power_ops, "method=box-cox standardize=false", &e);
	out = fit_apply(s, in, &e);
	ok(out != NULL, "box-cox fits");
	state_nums(s, "lambda", lam, 1);
	ml = bc_llf(pos, 10, lam[0]);
	ok(ml > bc_llf(pos, 10, lam[0] + 1e-4) && ml > bc_llf(pos, 10,
	    lam[0] - 1e-4), "box-cox lambda %.10f is a maximum of the "
	    "likelihood (+-1e-4 lower)", lam[0]);
	lm = golden_max(bc_llf, pos, 10);
	is_double(lam[0], lm, 1e-6, "it agrees with a golden-section search");
	y = col(out, "b");
	ok(y[4] == expm1(lam[0] * log(9.8)) / lam[0],
	    "the values are expm1(lambda log x) / lambda");
	check_inference(s, "method=box-cox standardize=false", in, out,
	    "box-cox");
	table_free(out);
	step_free(s);
	s = mkstep(&step_power_ops, "method=box-cox", &e);
	out = fit_apply(s, in, &e);
	check_inference(s, "method=box-cox", in, out, "box-cox standardized");
	table_free(out);
	step_free(s);
	table_free(in);

	/* a constant column: lambda 1, all zeros after standardizing */
	in = mktable(4, numcol("c", COL_INT, cst, 4), NULL);
	s = mkstep(&step_power_ops, "", &e);
	out = fit_apply(s, in, &e);
	state_nums(s, "lambda", lam, 1);
	state_nums(s, "scale", scale, 1);
	y = col(out, "c");
	ok(lam[0] == 1 && scale[0] == 1 && y[0] == 0 && y[3] == 0 &&
	    isnan(y[2]), "a constant column: lambda 1, scale 1, zeros");
	is_int(out->cols[0]->type, COL_FLOAT, "the result is float");
	table_free(out);
	step_free(s);
	table_free(in);

	in = mktable(4, numcol("z", COL_FLOAT, nonpos, 4), NULL);
	expect_fit_err(&step_power_ops, "method=box-cox", in, "column 'z' has "
	    "a value <= 0 (0): box-cox needs strictly positive data (use "
	    "method=yeo-johnson)", "box-cox of a zero");
	table_free(in);
	in = mktable(2, numcol("z", COL_FLOAT, (const double[]){ NAN, NAN },
	    2), NULL);
	expect_fit_err(&step_power_ops, "", in, "column 'z' has no values to "
	    "learn a lambda from", "power of nothing");
	table_free(in);
	expect_spec_err(&step_power_ops, "method=boxcox", "t.lathe:1:1: bad "
	    "value 'boxcox' for 'method' (did you mean 'box-cox'? choices: "
	    "yeo-johnson, box-cox)", "unknown method");
}

static void
test_clip(void)
{
	static const double iv[] = { -5, 3, 12, NAN, 10, 0 };
	static const double fv[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	static const double bv[] = { 0, 1, 1, NAN };
	static const char *const cv[] = { "a", "b", "a", NULL };
	struct table *in, *out;
	struct step *s;
	struct err e;
	const double *y;
	double lo[1], hi[1];

	err_clear(&e);
	in = mktable(6, numcol("i", COL_INT, iv, 6), NULL);
	s = mkstep(&step_clip_ops, "lower=0 upper=10", &e);
	out = fit_apply(s, in, &e);
	y = col(out, "i");
	ok(y[0] == 0 && y[1] == 3 && y[2] == 10 && isnan(y[3]) && y[4] == 10 &&
	    y[5] == 0, "clip an integer column to [0, 10]");
	is_int(out->cols[0]->type, COL_INT, "integral bounds keep it integer");
	check_inference(s, "lower=0 upper=10", in, out, "clip fixed");
	table_free(out);
	step_free(s);
	s = mkstep(&step_clip_ops, "upper=2.5", &e);
	out = fit_apply(s, in, &e);
	y = col(out, "i");
	ok(y[0] == -5 && y[1] == 2.5 && y[2] == 2.5 && y[5] == 0,
	    "an upper bound only");
	is_int(out->cols[0]->type, COL_FLOAT, "a non-integral bound makes it "
	    "float");
	check_inference(s, "upper=2.5", in, out, "clip upper");
	table_free(out);
	step_free(s);
	table_free(in);

	/* percentiles: numpy's linear interpolation */
	in = mktable(10, numcol("f", COL_FLOAT, fv, 10),
	    numcol("n", COL_INT, fv, 10), NULL);
	s = mkstep(&step_clip_ops, "q_low=10 q_high=90", &e);
	out = fit_apply(s, in, &e);
	state_nums(s, "lower", lo, 1);
	state_nums(s, "upper", hi, 1);
	is_double(lo[0], 1.9, 1e-15, "q_low=10 of 1..10 is 1.9");
	is_double(hi[0], 9.1, 1e-15, "q_high=90 of 1..10 is 9.1");
	y = col(out, "f");
	ok(y[0] == lo[0] && y[1] == 2 && y[8] == 9 && y[9] == hi[0],
	    "values clipped to the learned bounds");
	is_int(out->cols[1]->type, COL_FLOAT, "learned non-integral bounds "
	    "make an integer column float");
	check_inference(s, "q_low=10 q_high=90", in, out, "clip percentiles");
	table_free(out);
	step_free(s);
	s = mkstep(&step_clip_ops, "columns=n q_high=50", &e);
	out = fit_apply(s, in, &e);
	y = col(out, "n");
	ok(y[0] == 1 && y[5] == 5.5 && y[9] == 5.5 && col(out, "f")[9] == 10,
	    "q_high alone: the median 5.5 caps, other columns untouched");
	table_free(out);
	step_free(s);
	table_free(in);

	in = mktable(4, numcol("b", COL_BOOL, bv, 4), NULL);
	s = mkstep(&step_clip_ops, "lower=0 upper=1", &e);
	out = fit_apply(s, in, &e);
	is_int(out->cols[0]->type, COL_BOOL, "bounds 0, 1 keep a boolean");
	table_free(out);
	step_free(s);
	s = mkstep(&step_clip_ops, "upper=0.5", &e);
	out = fit_apply(s, in, &e);
	is_int(out->cols[0]->type, COL_FLOAT, "upper=0.5 makes a boolean "
	    "float");
	ok(col(out, "b")[1] == 0.5 && col(out, "b")[0] == 0, "and caps its "
	    "ones");
	table_free(out);
	step_free(s);
	s = mkstep(&step_clip_ops, "lower=2", &e);
	out = fit_apply(s, in, &e);
	is_int(out->cols[0]->type, COL_FLOAT, "lower=2 makes a boolean "
	    "float");
	table_free(out);
	step_free(s);
	table_free(in);

	in = mktable(4, catcol("c", cv, 4), NULL);
	expect_fit_err(&step_clip_ops, "columns=c lower=1", in, "column 'c' "
	    "is categorical, not numeric (encode it first, e.g. with onehot "
	    "or ordinal)", "clip a categorical column");
	table_free(in);
	expect_spec_err(&step_clip_ops, "", "step 'clip': give a bound: "
	    "lower= and/or upper=, or q_low= and/or q_high=", "no bound");
	expect_spec_err(&step_clip_ops, "lower=1 q_high=90", "step 'clip': "
	    "fixed bounds (lower, upper) and percentiles (q_low, q_high) do "
	    "not mix", "mixed bounds");
	expect_spec_err(&step_clip_ops, "lower=5 upper=5", "step 'clip': "
	    "lower must be below upper", "lower = upper");
	expect_spec_err(&step_clip_ops, "q_low=90 q_high=10", "step 'clip': "
	    "q_low must be below q_high", "q_low > q_high");
	expect_spec_err(&step_clip_ops, "q_low=101", "t.lathe:1:1: bad value "
	    "'101' for 'q_low' (expected a number from 0 to 100)",
	    "percentile out of range");
}

static void
test_bin(void)
{
	static const double u[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, NAN };
	static const double q[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const double dup[] = { 0, 0, 0, 0, 0, 0, 1, 2 };
	static const double ev[] = { -5, 0, 5, 10, 20, 25, NAN };
	static const double cst[] = { 3, 3, 3 };
	static const double newv[] = { -1, 9, 2, 8 };
	static const double want_u[] = { 0, 0, 1, 1, 2, 2, 3, 3, 3 };
	static const double want_q[] = { 0, 0, 1, 1, 2, 2, 3, 3 };
	static const double want_e[] = { 0, 0, 0, 1, 1, 1 };
	double edges[8];
	struct table *in, *out, *t;
	struct step *s;
	struct err e;
	struct apply_ctx ctx;
	const struct column *c;
	const double *y;
	size_t i;
	int good;

	err_clear(&e);
	memset(&ctx, 0, sizeof ctx);
	in = mktable(10, numcol("u", COL_FLOAT, u, 10), NULL);
	s = mkstep(&step_bin_ops, "method=uniform bins=4", &e);
	out = fit_apply(s, in, &e);
	is_int(state_nums(s, "edges", edges, 8), 5, "uniform: 5 edges");
	ok(edges[0] == 0 && edges[1] == 2 && edges[2] == 4 && edges[3] == 6 &&
	    edges[4] == 8, "at 0, 2, 4, 6, 8");
	y = col(out, "u");
	for (i = 0, good = 1; i < 9; i++)
		good &= y[i] == want_u[i];
	ok(good && isnan(y[9]), "bins closed on the left, the last closed, "
	    "missing stays missing");
	is_int(out->cols[0]->type, COL_FLOAT, "ordinal labels are float");
	check_inference(s, "method=uniform bins=4", in, out, "bin uniform");
	t = mktable(4, numcol("u", COL_FLOAT, newv, 4), NULL);
	s->ops->apply(s, t, &ctx, &e);
	y = col(t, "u");
	ok(y[0] == 0 && y[1] == 3 && y[2] == 1 && y[3] == 3,
	    "values beyond the training range go to the first or last bin");
	table_free(t);
	table_free(out);
	step_free(s);
	table_free(in);

	in = mktable(8, numcol("q", COL_INT, q, 8), NULL);
	s = mkstep(&step_bin_ops, "bins=4", &e);
	out = fit_apply(s, in, &e);
	is_int(state_nums(s, "edges", edges, 8), 5, "quantile: 5 edges");
	ok(edges[0] == 1 && edges[1] == 2.75 && edges[2] == 4.5 &&
	    edges[3] == 6.25 && edges[4] == 8,
	    "at the percentiles 0, 25, 50, 75, 100: 1, 2.75, 4.5, 6.25, 8");
	y = col(out, "q");
	for (i = 0, good = 1; i < 8; i++)
		good &= y[i] == want_q[i];
	ok(good, "two values per bin");
	check_inference(s, "bins=4", in, out, "bin quantile");
	table_free(out);
	step_free(s);
	table_free(in);

	/* duplicate quantile edges are dropped */
	in = mktable(8, numcol("d", COL_FLOAT, dup, 8), NULL);
	s = mkstep(&step_bin_ops, "bins=4 labels=interval", &e);
	out = fit_apply(s, in, &e);
	is_int(state_nums(s, "edges", edges, 8), 3, "quantile with ties: "
	    "edges 0, 0, 0, 0.25, 2 become 0, 0.25, 2");
	ok(edges[0] == 0 && edges[1] == 0.25 && edges[2] == 2, "  at 0, 0.25, "
	    "2");
	c = out->cols[0];
	is_int(c->type, COL_CAT, "interval labels are categorical");
	is_str(column_str(c, 0), "[0, 0.25)", "first bin label");
	is_str(column_str(c, 7), "[0.25, 2]", "the last bin is closed");
	is_str(column_str(c, 6), "[0.25, 2]", "1 is in the last bin");
	is_str(dict_str(c->dict, 0), "[0, 0.25)", "the dictionary is in bin "
	    "order");
	check_inference(s, "bins=4 labels=interval", in, out, "bin interval");
	table_free(out);
	step_free(s);
	table_free(in);

	in = mktable(7, numcol("e", COL_FLOAT, ev, 7), NULL);
	s = mkstep(&step_bin_ops, "method=edges edges=0,10,20", &e);
	out = fit_apply(s, in, &e);
	y = col(out, "e");
	for (i = 0, good = 1; i < 6; i++)
		good &= y[i] == want_e[i];
	ok(good && isnan(y[6]), "given edges 0, 10, 20");
	check_inference(s, "method=edges edges=0,10,20", in, out, "bin edges");
	table_free(out);
	step_free(s);
	s = mkstep(&step_bin_ops, "method=edges edges=-1.5,0,1e3 "
	    "labels=interval", &e);
	out = fit_apply(s, in, &e);
	c = out->cols[0];
	is_str(column_str(c, 0), "[-1.5, 0)", "label with a negative edge");
	is_str(column_str(c, 2), "[0, 1000]", "label with an exponent edge");
	ok(column_str(c, 6) == NULL, "missing stays missing");
	is_int((long long)c->dict->n, 2, "both labels in the dictionary");
	check_inference(s, "method=edges edges=-1.5,0,1e3 labels=interval", in,
	    out, "bin edges interval");
	table_free(out);
	step_free(s);
	table_free(in);

	in = mktable(3, numcol("k", COL_FLOAT, cst, 3), NULL);
	s = mkstep(&step_bin_ops, "method=uniform", &e);
	out = fit_apply(s, in, &e);
	y = col(out, "k");
	ok(y[0] == 0 && y[2] == 0, "a constant column is one bin");
	table_free(out);
	step_free(s);
	table_free(in);

	expect_spec_err(&step_bin_ops, "method=edges", "step 'bin': "
	    "method=edges needs edges=a,b,...", "edges missing");
	expect_spec_err(&step_bin_ops, "edges=1,2,3", "step 'bin': edges= "
	    "needs method=edges", "edges without method=edges");
	expect_spec_err(&step_bin_ops, "method=edges edges=1,2 bins=3",
	    "step 'bin': bins does not apply to method=edges (the edges give "
	    "the bins)", "bins with edges");
	expect_spec_err(&step_bin_ops, "method=edges edges=1,3,3", "step "
	    "'bin': edges must be strictly increasing (3 after 3)",
	    "edges not increasing");
	expect_spec_err(&step_bin_ops, "method=edges edges=1", "step 'bin': "
	    "edges needs at least 2 numbers", "one edge");
	expect_spec_err(&step_bin_ops, "bins=1", "t.lathe:1:1: bad value '1' "
	    "for 'bins' (expected a whole number from 2 to 1000)", "one bin");
	in = mktable(2, numcol("z", COL_FLOAT, (const double[]){ NAN, NAN },
	    2), NULL);
	expect_fit_err(&step_bin_ops, "", in, "column 'z' has no values to "
	    "learn bin edges from", "bin of nothing");
	table_free(in);
}

static void
test_dateparts(void)
{
	static const double days[] = { 19782, -1, -25508, 11322, -135140,
		19631, NAN };
	static const double secs[] = { 1710078330, -1, 946684800, -0.5, NAN,
		1710078330.75, 19782 };
	static const double want_d[7][6] = {
		/* year month day weekday dayofyear quarter */
		{ 2024, 2, 29, 3, 60, 1 },
		{ 1969, 12, 31, 2, 365, 4 },
		{ 1900, 3, 1, 3, 60, 1 },
		{ 2000, 12, 31, 6, 366, 4 },
		{ 1600, 1, 1, 5, 1, 1 },
		{ 2023, 10, 1, 6, 274, 4 },
	};
	static const double want_t[4][3] = {
		/* hour minute weekday */
		{ 13, 45, 6 },
		{ 23, 59, 2 },
		{ 0, 0, 5 },
		{ 23, 59, 2 },
	};
	static const char *const names[] = { "year", "month", "day",
		"weekday", "dayofyear", "quarter" };
	static const double one[] = { 1, 2, 3, 4, 5, 6, 7 };
	struct table *in, *out;
	struct step *s;
	struct err e;
	size_t i, r;
	int good;

	err_clear(&e);
	in = mktable(7, numcol("a", COL_INT, one, 7),
	    numcol("d", COL_DATE, days, 7),
	    numcol("t", COL_DATETIME, secs, 7),
	    numcol("b", COL_INT, one, 7), NULL);
	s = mkstep(&step_dateparts_ops, "columns=d parts=year,month,day,"
	    "weekday,dayofyear,quarter", &e);
	out = fit_apply(s, in, &e);
	ok(out != NULL, "dateparts fits");
	is_int((long long)out->ncols, 9, "d replaced by six columns");
	is_str(out->cols[0]->name, "a", "order: a");
	is_str(out->cols[1]->name, "d_year", "then d_year");
	is_str(out->cols[6]->name, "d_quarter", "... d_quarter");
	is_str(out->cols[7]->name, "t", "then t");
	for (i = 0, good = 1; i < 6; i++) {
		char nm[32];
		const double *y;

		snprintf(nm, sizeof nm, "d_%s", names[i]);
		y = col(out, nm);
		good &= y != NULL && out->cols[table_find(out, nm)]->type ==
		    COL_FLOAT;
		for (r = 0; r < 6 && y != NULL; r++)
			if (y[r] != want_d[r][i]) {
				printf("#   %s row %zu: %g\n", nm, r, y[r]);
				good = 0;
			}
		good &= y != NULL && isnan(y[6]);
	}
	ok(good, "year, month, day, weekday, dayofyear, quarter of dates "
	    "(leap days, before 1970, before 1900), as Python's");
	check_inference(s, "columns=d parts=year,month,day,weekday,dayofyear,"
	    "quarter", in, out, "dateparts dates");
	table_free(out);
	step_free(s);

	s = mkstep(&step_dateparts_ops, "parts=hour,minute,weekday,year "
	    "keep=true", &e);
	out = fit_apply(s, in, &e);
	ok(out != NULL, "default columns: dates and datetimes");
	is_int((long long)out->ncols, 4 + 2 + 4, "date: weekday, year; "
	    "datetime: four parts; originals kept");
	is_str(out->cols[1]->name, "d", "keep=true keeps d");
	is_str(out->cols[2]->name, "d_weekday", "its parts follow it, in the "
	    "order asked (no hour or minute for a date)");
	is_str(out->cols[5]->name, "t_hour", "t_hour after t");
	for (r = 0, good = 1; r < 4; r++)
		good &= col(out, "t_hour")[r] == want_t[r][0] &&
		    col(out, "t_minute")[r] == want_t[r][1] &&
		    col(out, "t_weekday")[r] == want_t[r][2];
	ok(good, "hour, minute, weekday of datetimes, before 1970 too");
	ok(col(out, "t_year")[6] == 1970 && col(out, "t_hour")[6] == 5 &&
	    col(out, "t_minute")[6] == 29 && col(out, "t_hour")[5] == 13,
	    "19782 seconds is 05:29; a fraction of a second changes nothing");
	ok(isnan(col(out, "t_hour")[4]), "missing stays missing");
	check_inference(s, "parts=hour,minute,weekday,year keep=true", in, out,
	    "dateparts keep");
	table_free(out);
	step_free(s);
	table_free(in);

	/* names already taken get a suffix */
	in = mktable(7, numcol("d", COL_DATE, days, 7),
	    numcol("d_year", COL_INT, one, 7), NULL);
	s = mkstep(&step_dateparts_ops, "parts=year", &e);
	out = fit_apply(s, in, &e);
	ok(out != NULL && out->ncols == 2 && strcmp(out->cols[0]->name,
	    "d_year_2") == 0 && col(out, "d_year")[0] == 1, "a taken name gets "
	    "_2");
	check_inference(s, "parts=year", in, out, "dateparts rename");
	table_free(out);
	step_free(s);
	expect_fit_err(&step_dateparts_ops, "parts=hour", in, "column 'd' is "
	    "a date: parts hour and minute need a datetime", "hour of a date");
	expect_fit_err(&step_dateparts_ops, "columns=d_year", in, "column "
	    "'d_year' is integer, not a date or datetime",
	    "dateparts of a number");
	table_free(in);
	expect_spec_err(&step_dateparts_ops, "parts=yaer", "step 'dateparts': "
	    "unknown part 'yaer' in parts (did you mean 'year'?)",
	    "a misspelt part");
	expect_spec_err(&step_dateparts_ops, "parts=fortnight", "step "
	    "'dateparts': unknown part 'fortnight' in parts (parts: year, "
	    "month, day, weekday, hour, minute, dayofyear, quarter)",
	    "an unknown part");
	expect_spec_err(&step_dateparts_ops, "parts=day,month,day", "step "
	    "'dateparts': part 'day' is repeated in parts", "a repeated part");
}

static void
test_pca_small(void)
{
	static const double x[] = { 1, 2, 3, 10 };
	static const double y2[] = { 2, 4, 6, 20 };
	static const double z[] = { 7, 7, 7, 7 };
	static const double xm[] = { 1, NAN, 3, 4 };
	static const double r5 = 2.2360679774997896964;	/* sqrt(5) */
	double comp[4], var[2], ratio[2], mean[2];
	struct table *in, *out;
	struct step *s;
	struct err e;
	const double *pc;

	err_clear(&e);
	/* points on y = 2x: one component (1, 2) / sqrt 5 */
	in = mktable(4, numcol("x", COL_FLOAT, x, 4),
	    numcol("k", COL_FLOAT, z, 4),
	    numcol("y", COL_INT, y2, 4), NULL);
	s = mkstep(&step_pca_ops, "columns=x,y n_components=1", &e);
	out = fit_apply(s, in, &e);
	ok(out != NULL, "pca fits");
	is_int((long long)out->ncols, 2, "x and y replaced by pc1");
	is_str(out->cols[0]->name, "pc1", "pc1 where x was");
	is_str(out->cols[1]->name, "k", "k after it");
	state_nums(s, "mean", mean, 2);
	ok(mean[0] == 4 && mean[1] == 8, "means 4 and 8");
	is_int(state_nums(s, "component", comp, 4), 2, "one component of 2");
	is_double(comp[0], 1 / r5, 1e-15, "component (1, 2) / sqrt 5: x");
	is_double(comp[1], 2 / r5, 1e-15, "component: y");
	state_nums(s, "explained_variance", var, 2);
	state_nums(s, "explained_variance_ratio", ratio, 2);
	is_double(var[0], 250.0 / 3, 1e-14, "explained variance 250/3 "
	    "(ddof 1)");
	is_double(ratio[0], 1, 1e-15, "all of it");
	pc = col(out, "pc1");
	is_double(pc[0], -3 * r5, 1e-14, "pc1 of (1, 2) is -3 sqrt 5 (the "
	    "sign follows U's largest entry, row 4)");
	is_double(pc[3], 6 * r5, 1e-14, "pc1 of (10, 20) is 6 sqrt 5");
	check_inference(s, "columns=x,y n_components=1", in, out, "pca");
	table_free(out);
	step_free(s);

	expect_fit_err(&step_pca_ops, "columns=x,y n_components=3", in,
	    "n_components=3, but 4 rows and 2 columns allow at most 2",
	    "too many components");
	expect_fit_err(&step_pca_ops, "columns=k", in, "the selected columns "
	    "have no variance: no components to find", "a constant column");
	expect_fit_err(&step_pca_ops, "columns=x", in, "the default "
	    "n_components=2, but 4 rows and 1 columns allow at most 1 (set "
	    "n_components)", "one column, default n_components");
	expect_fit_err(&step_pca_ops, "columns=nope*", in, "no columns to "
	    "project (columns=nope* selects none)", "no columns");
	table_free(in);
	in = mktable(4, numcol("x", COL_FLOAT, xm, 4),
	    numcol("y", COL_FLOAT, y2, 4), NULL);
	expect_fit_err(&step_pca_ops, "", in, "column 'x' has missing values "
	    "(row 2): impute them before pca", "missing values");
	table_free(in);
	in = mktable(1, numcol("x", COL_FLOAT, x, 1),
	    numcol("y", COL_FLOAT, y2, 1), NULL);
	expect_fit_err(&step_pca_ops, "", in, "pca needs at least 2 rows, the "
	    "data has 1", "one row");
	table_free(in);
	expect_spec_err(&step_pca_ops, "n_components=2 variance=0.9", "step "
	    "'pca': give n_components or variance, not both", "both");
	expect_spec_err(&step_pca_ops, "variance=1", "step 'pca': variance "
	    "must be between 0 and 1, both excluded", "variance 1");
	expect_spec_err(&step_pca_ops, "n_components=0", "t.lathe:1:1: bad "
	    "value '0' for 'n_components' (expected a whole number from 1 to "
	    "1e+06)", "zero components");
}

/*
 * scikit-learn 1.2.1 on the full preprocessed matrix (mean imputation,
 * standard scaling with the population std), PCA(n_components=2,
 * svd_solver='full'): /work/shared/data/reference.json, datasets.*.pca.
 */
static const struct {
	const char	*name, *dir, *file, *target;
	double		 ratio[2], var[2], total;
} pca_ref[] = {
	{ "iris", "data", "iris.csv", "species",
	  { 0.7296244541329986, 0.22850761786701781 },
	  { 2.9380850501999953, 0.9201649041624882 }, 4.026845637583893 },
	{ "wine", "data", "wine.csv", "class",
	  { 0.36198848099926334, 0.19207490257008966 },
	  { 4.73243697758359, 2.511080929645127 }, 13.073446327683618 },
	{ "breast_cancer", "data", "breast_cancer.csv", "diagnosis",
	  { 0.4427202560752631, 0.18971182044033094 },
	  { 13.304990794374534, 5.701374603726139 }, 30.05281690140844 },
	{ "diabetes", "data", "diabetes.csv", "progression",
	  { 0.4024210750152784, 0.14923196775986913 },
	  { 4.033335944597573, 1.495703622445853 }, 10.02267573696145 },
	{ "digits", "tests/data", "digits.csv", "digit",
	  { 0.12033916097734913, 0.09561054403097903 },
	  { 7.344776062836344, 5.835490537329523 }, 61.033964365256125 },
};

static void
test_pca_reference(void)
{
	char msg[160];
	size_t d, j, r;

	for (d = 0; d < sizeof pca_ref / sizeof pca_ref[0]; d++) {
		struct table *t = tu_load(pca_ref[d].dir, pca_ref[d].file);
		struct table *t1 = NULL, *t2 = NULL, *t3 = NULL, *t4 = NULL;
		struct step *im, *sc, *pc = NULL, *p95;
		double ratio[4], var[4];
		struct err e;
		int n95;

		err_clear(&e);
		if (!ok(t != NULL, "%s loads", pca_ref[d].name))
			continue;
		im = mkstep(&step_impute_ops, "", &e);
		sc = mkstep(&step_scale_ops, "", &e);
		im->target = sc->target = pca_ref[d].target;
		if ((t1 = fit_apply(im, t, &e)) == NULL ||
		    (t2 = fit_apply(sc, t1, &e)) == NULL) {
			ok(0, "%s: impute and scale: %s", pca_ref[d].name,
			    e.msg);
			goto next;
		}
		pc = mkstep(&step_pca_ops, "", &e);
		pc->target = pca_ref[d].target;
		t3 = fit_apply(pc, t2, &e);
		if (!ok(t3 != NULL, "%s: pca fits", pca_ref[d].name)) {
			printf("#   %s\n", e.msg);
			goto next;
		}
		state_nums(pc, "explained_variance_ratio", ratio, 2);
		state_nums(pc, "explained_variance", var, 2);
		printf("# %s: ratio %.17g %.17g, variance %.17g %.17g\n",
		    pca_ref[d].name, ratio[0], ratio[1], var[0], var[1]);
		for (j = 0; j < 2; j++) {
			snprintf(msg, sizeof msg, "%s: explained_variance_"
			    "ratio[%zu] as scikit-learn (1e-12)",
			    pca_ref[d].name, j);
			is_double(ratio[j], pca_ref[d].ratio[j], 1e-12, msg);
			snprintf(msg, sizeof msg, "%s: explained_variance[%zu] "
			    "as scikit-learn (1e-12)", pca_ref[d].name, j);
			is_double(var[j], pca_ref[d].var[j], 1e-12, msg);
		}
		snprintf(msg, sizeof msg, "%s: total variance", pca_ref[d].name);
		is_double(var[0] / ratio[0], pca_ref[d].total, 1e-12, msg);
		/* the scores: mean 0, variance = explained variance (ddof 1),
		 * uncorrelated */
		{
			const double *a = col(t3, "pc1"), *b = col(t3, "pc2");
			double ma = 0, mb = 0, va = 0, cab = 0;
			size_t n = t3->nrows;

			for (r = 0; r < n; r++) {
				ma += a[r];
				mb += b[r];
			}
			ma /= (double)n;
			mb /= (double)n;
			for (r = 0; r < n; r++) {
				va += (a[r] - ma) * (a[r] - ma);
				cab += (a[r] - ma) * (b[r] - mb);
			}
			ok(fabs(ma) < 1e-12 && fabs(mb) < 1e-12 &&
			    fabs(va / (double)(n - 1) - var[0]) < 1e-10 *
			    var[0] && fabs(cab) < 1e-9 * (double)n,
			    "%s: scores centered, uncorrelated, with the "
			    "explained variance", pca_ref[d].name);
		}
		check_inference(pc, "", t2, t3, pca_ref[d].name);
		/* variance=0.95: the smallest k whose running ratio > 0.95 */
		p95 = mkstep(&step_pca_ops, "variance=0.95", &e);
		p95->target = pca_ref[d].target;
		t4 = fit_apply(p95, t2, &e);
		n95 = state_nums(p95, "explained_variance_ratio", var, 4);
		if (n95 > 0) {
			double *all = xmalloc((size_t)n95 * sizeof *all);
			double cum = 0;

			state_nums(p95, "explained_variance_ratio", all,
			    (size_t)n95);
			for (j = 0; j + 1 < (size_t)n95; j++)
				cum += all[j];
			ok(cum <= 0.95 && cum + all[n95 - 1] > 0.95,
			    "%s: variance=0.95 keeps %d components, the "
			    "fewest explaining more", pca_ref[d].name, n95);
			free(all);
		} else
			ok(0, "%s: variance=0.95 fits", pca_ref[d].name);
		table_free(t4);
		step_free(p95);
next:
		table_free(t1);
		table_free(t2);
		table_free(t3);
		step_free(im);
		step_free(sc);
		step_free(pc);
		table_free(t);
	}
}

/*
 * vote: categorical -> most-frequent imputation -> one-hot (every
 * category), then pca of the 0/1 matrix.
 */
static void
test_pca_vote(void)
{
	static const double ratio[2] = { 0.461999227521048,
		0.08740311333508761 };
	static const double var[2] = { 3.4692596052826383,
		0.6563302975556281 };
	struct table *t = tu_load("data", "vote.csv"), *t1 = NULL,
	    *t2 = NULL, *t3 = NULL;
	struct step *im, *oh, *pc;
	double got_r[2], got_v[2];
	struct err e;

	err_clear(&e);
	if (!ok(t != NULL, "vote loads"))
		return;
	im = mkstep(&step_impute_ops, "columns=@categorical "
	    "strategy=most_frequent", &e);
	oh = mkstep(&step_onehot_ops, "", &e);
	pc = mkstep(&step_pca_ops, "", &e);
	im->target = oh->target = pc->target = "Class";
	if ((t1 = fit_apply(im, t, &e)) == NULL ||
	    (t2 = fit_apply(oh, t1, &e)) == NULL ||
	    (t3 = fit_apply(pc, t2, &e)) == NULL) {
		ok(0, "vote: impute, onehot, pca: %s", e.msg);
		goto out;
	}
	state_nums(pc, "explained_variance_ratio", got_r, 2);
	state_nums(pc, "explained_variance", got_v, 2);
	printf("# vote: ratio %.17g %.17g, variance %.17g %.17g\n", got_r[0],
	    got_r[1], got_v[0], got_v[1]);
	is_double(got_r[0], ratio[0], 1e-12, "vote: ratio[0] as scikit-learn");
	is_double(got_r[1], ratio[1], 1e-12, "vote: ratio[1] as scikit-learn");
	is_double(got_v[0], var[0], 1e-12, "vote: variance[0] as "
	    "scikit-learn");
	is_double(got_v[1], var[1], 1e-12, "vote: variance[1] as "
	    "scikit-learn");
out:
	table_free(t1);
	table_free(t2);
	table_free(t3);
	step_free(im);
	step_free(oh);
	step_free(pc);
	table_free(t);
}

int
main(void)
{
	test_log();
	test_power();
	test_clip();
	test_bin();
	test_dateparts();
	test_pca_small();
	test_pca_reference();
	test_pca_vote();
	return tap_done();
}

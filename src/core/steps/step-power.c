/*
 * step-power.c - power transforms that make numeric columns more
 * Gaussian, as scikit-learn's PowerTransformer: one lambda per column,
 * learned at fit by maximum likelihood, then optionally standardized.
 *
 * Yeo-Johnson, for any x:
 *	x >= 0, lambda != 0:	((x + 1)^lambda - 1) / lambda
 *	x >= 0, lambda == 0:	log1p(x)
 *	x < 0,  lambda != 2:	-((1 - x)^(2 - lambda) - 1) / (2 - lambda)
 *	x < 0,  lambda == 2:	-log1p(-x)
 * ("== 0" and "== 2" mean within DBL_EPSILON, as scikit-learn).  Its
 * log-likelihood over the n present training values:
 *	llf(lambda) = -n/2 log(var(y)) + (lambda - 1) sum sign(x) log1p(|x|)
 * with var the population variance of the transformed y (a variance
 * below DBL_MIN counts as -inf likelihood).
 *
 * Box-Cox, for x > 0 only (scipy.special.boxcox):
 *	|lambda| < 1e-19:	log(x)
 *	otherwise:		expm1(lambda log(x)) / lambda
 * with (scipy.stats.boxcox_llf)
 *	llf(lambda) = (lambda - 1) sum log(x) - n/2 log(var(x^lambda/lambda))
 * (var(log x) at lambda == 0).  Fit refuses training data with a value
 * <= 0, naming the column; at apply such a value becomes missing.
 *
 * lambda maximizes llf: scipy.optimize.bracket from (-2, 2), then Brent's
 * method (scipy.optimize.brent's algorithm, with a tolerance of 1e-10
 * relative instead of scipy's 1.48e-8).  Rounding in the likelihood
 * limits the result to about 1e-9 of the true maximum (scikit-learn's
 * own is within a few 1e-8), so lambdas agree with scikit-learn's to
 * about 5e-8.  A column whose present values are all equal gets
 * lambda = 1.  With standardize=true the transformed
 * training values give a mean and a population standard deviation, and
 * y' = (y - mean) / std (a numerically constant column, as scikit-learn
 * decides it, gets std 1).  Missing values are ignored at fit and stay
 * missing.  Results are float.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def power_params[] = {
	{ "columns", PT_COLS, "@numeric", NULL, 0, 0,
	  "columns to transform (selector)" },
	{ "method", PT_ENUM, "yeo-johnson", "yeo-johnson|box-cox", 0, 0,
	  "the transform (box-cox needs positive data)" },
	{ "standardize", PT_BOOL, "true", NULL, 0, 0,
	  "scale the result to mean 0, standard deviation 1" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

enum { POWER_YJ, POWER_BOXCOX };

struct power {
	size_t		 n;
	char		**cols;
	int		 method;
	int		 standardize;
	double		*lambda;
	double		*mean;
	double		*scale;
};

/* What the likelihood needs: the present training values. */
struct power_data {
	const double	*x;
	size_t		 n;
	double		 logsum;	/* YJ: sum sign(x) log1p(|x|); BC:
					 * sum log(x) */
	double		*y;		/* scratch, n */
};

typedef double	(*power_fn)(double, struct power_data *);

static double	 yj(double, double);
static double	 boxcox(double, double);
static double	 pop_var(const double *, size_t, double *);
static double	 power_value(const struct power *, size_t, double);
static double	 yj_nllf(double, struct power_data *);
static double	 bc_nllf(double, struct power_data *);
static void	 bracket(power_fn, struct power_data *, double *, double *,
		    double *, double *, double *, double *);
static double	 brent(power_fn, struct power_data *);
static void	 power_free(struct step *);
static struct power *power_alloc(size_t);
static int	 power_fit(struct step *, const struct table *, struct err *);
static int	 power_apply(struct step *, struct table *, struct apply_ctx *,
		    struct err *);
static void	 power_describe(const struct step *, struct strbuf *);
static void	 power_save(const struct step *, struct strbuf *);
static int	 power_load(struct step *, const struct state *, struct err *);

/* scikit-learn's _yeo_johnson_transform for one value. */
static double
yj(double x, double lambda)
{
	if (x >= 0) {
		if (fabs(lambda) < DBL_EPSILON)
			return log1p(x);
		return (pow(x + 1, lambda) - 1) / lambda;
	}
	if (fabs(lambda - 2) > DBL_EPSILON)
		return -(pow(-x + 1, 2 - lambda) - 1) / (2 - lambda);
	return -log1p(-x);
}

/* scipy.special.boxcox for one value (x > 0). */
static double
boxcox(double x, double lambda)
{
	if (fabs(lambda) < 1e-19)
		return log(x);
	return expm1(lambda * log(x)) / lambda;
}

/* Population variance (numpy's var: two passes); *mean gets the mean. */
static double
pop_var(const double *v, size_t n, double *mean)
{
	double sum = 0, ss = 0, m;
	size_t i;

	for (i = 0; i < n; i++)
		sum += v[i];
	m = sum / (double)n;
	for (i = 0; i < n; i++) {
		double d = v[i] - m;

		ss += d * d;
	}
	if (mean != NULL)
		*mean = m;
	return ss / (double)n;
}

/* Negative Yeo-Johnson log-likelihood (scikit-learn's). */
static double
yj_nllf(double lambda, struct power_data *d)
{
	double var, ll;
	size_t i;

	for (i = 0; i < d->n; i++)
		d->y[i] = yj(d->x[i], lambda);
	var = pop_var(d->y, d->n, NULL);
	if (!(var >= DBL_MIN) || isinf(var))
		return INFINITY;
	ll = -(double)d->n / 2 * log(var);
	ll += (lambda - 1) * d->logsum;
	return isnan(ll) ? INFINITY : -ll;
}

/* Negative Box-Cox log-likelihood (scipy's boxcox_llf). */
static double
bc_nllf(double lambda, struct power_data *d)
{
	double var, ll;
	size_t i;

	for (i = 0; i < d->n; i++)
		d->y[i] = lambda == 0 ? log(d->x[i]) :
		    pow(d->x[i], lambda) / lambda;
	var = pop_var(d->y, d->n, NULL);
	if (!(var >= DBL_MIN) || isinf(var))
		return INFINITY;
	ll = (lambda - 1) * d->logsum - (double)d->n / 2 * log(var);
	return isnan(ll) ? INFINITY : -ll;
}

/*
 * scipy.optimize.bracket: from (xa, xb) walk downhill until
 * f(xb) < f(xa) and f(xb) < f(xc) (or the iteration limit).
 */
static void
bracket(power_fn f, struct power_data *d, double *pxa, double *pxb,
    double *pxc, double *pfa, double *pfb, double *pfc)
{
	const double gold = 1.618034, verysmall = 1e-21, grow_limit = 110;
	double xa = *pxa, xb = *pxb, xc, fa, fb, fc, tmp;
	int iter = 0;

	fa = f(xa, d);
	fb = f(xb, d);
	if (fa < fb) {
		tmp = xa;
		xa = xb;
		xb = tmp;
		tmp = fa;
		fa = fb;
		fb = tmp;
	}
	xc = xb + gold * (xb - xa);
	fc = f(xc, d);
	while (fc < fb && iter++ < 1000) {
		double tmp1 = (xb - xa) * (fb - fc);
		double tmp2 = (xb - xc) * (fb - fa);
		double val = tmp2 - tmp1, denom, w, wlim, fw;

		denom = fabs(val) < verysmall ? 2 * verysmall : 2 * val;
		w = xb - ((xb - xc) * tmp2 - (xb - xa) * tmp1) / denom;
		wlim = xb + grow_limit * (xc - xb);
		if ((w - xc) * (xb - w) > 0) {
			fw = f(w, d);
			if (fw < fc) {
				xa = xb;
				xb = w;
				fa = fb;
				fb = fw;
				goto done;
			} else if (fw > fb) {
				xc = w;
				fc = fw;
				goto done;
			}
			w = xc + gold * (xc - xb);
			fw = f(w, d);
		} else if ((w - wlim) * (wlim - xc) >= 0) {
			w = wlim;
			fw = f(w, d);
		} else if ((w - wlim) * (xc - w) > 0) {
			fw = f(w, d);
			if (fw < fc) {
				xb = xc;
				xc = w;
				w = xc + gold * (xc - xb);
				fb = fc;
				fc = fw;
				fw = f(w, d);
			}
		} else {
			w = xc + gold * (xc - xb);
			fw = f(w, d);
		}
		xa = xb;
		xb = xc;
		xc = w;
		fa = fb;
		fb = fc;
		fc = fw;
	}
done:
	*pxa = xa;
	*pxb = xb;
	*pxc = xc;
	*pfa = fa;
	*pfb = fb;
	*pfc = fc;
}

/*
 * scipy.optimize.Brent.optimize with brack=(-2, 2): golden-section
 * steps, parabolic steps when they are useful, at least tol1 a step.
 */
static double
brent(power_fn f, struct power_data *d)
{
	const double tol = 1e-10, mintol = 1e-11, cg = 0.3819660;
	double xa = -2, xb = 2, xc, fa, fb, fc;
	double x, w, v, fx, fw, fv, a, b, deltax = 0, rat = 0, u, fu;
	int iter;

	bracket(f, d, &xa, &xb, &xc, &fa, &fb, &fc);
	x = w = v = xb;
	fx = fw = fv = fb;
	if (xa < xc) {
		a = xa;
		b = xc;
	} else {
		a = xc;
		b = xa;
	}
	for (iter = 0; iter < 500; iter++) {
		double tol1 = tol * fabs(x) + mintol, tol2 = 2 * tol1;
		double xmid = 0.5 * (a + b);

		if (fabs(x - xmid) < tol2 - 0.5 * (b - a))
			break;
		if (fabs(deltax) <= tol1) {
			deltax = x >= xmid ? a - x : b - x;
			rat = cg * deltax;
		} else {
			double tmp1 = (x - w) * (fx - fv);
			double tmp2 = (x - v) * (fx - fw);
			double p = (x - v) * tmp2 - (x - w) * tmp1;
			double dx_temp = deltax;

			tmp2 = 2 * (tmp2 - tmp1);
			if (tmp2 > 0)
				p = -p;
			tmp2 = fabs(tmp2);
			deltax = rat;
			if (p > tmp2 * (a - x) && p < tmp2 * (b - x) &&
			    fabs(p) < fabs(0.5 * tmp2 * dx_temp)) {
				rat = p / tmp2;
				u = x + rat;
				if (u - a < tol2 || b - u < tol2)
					rat = xmid - x >= 0 ? tol1 : -tol1;
			} else {
				deltax = x >= xmid ? a - x : b - x;
				rat = cg * deltax;
			}
		}
		if (fabs(rat) < tol1)
			u = rat >= 0 ? x + tol1 : x - tol1;
		else
			u = x + rat;
		fu = f(u, d);
		if (fu > fx) {
			if (u < x)
				a = u;
			else
				b = u;
			if (fu <= fw || w == x) {
				v = w;
				w = u;
				fv = fw;
				fw = fu;
			} else if (fu <= fv || v == x || v == w) {
				v = u;
				fv = fu;
			}
		} else {
			if (u >= x)
				a = x;
			else
				b = x;
			v = w;
			w = x;
			x = u;
			fw = fv;
			fv = fx;
			fx = fu;
		}
	}
	return x;
}

static void
power_free(struct step *s)
{
	struct power *pw = s->state;

	if (pw == NULL)
		return;
	strs_free(pw->cols, pw->n);
	free(pw->lambda);
	free(pw->mean);
	free(pw->scale);
	free(pw);
	s->state = NULL;
}

static struct power *
power_alloc(size_t n)
{
	struct power *pw = xcalloc(1, sizeof *pw);

	pw->n = n;
	pw->lambda = xcalloc(n ? n : 1, sizeof *pw->lambda);
	pw->mean = xcalloc(n ? n : 1, sizeof *pw->mean);
	pw->scale = xcalloc(n ? n : 1, sizeof *pw->scale);
	return pw;
}

/* The transform of one value, before standardization. */
static double
power_value(const struct power *pw, size_t i, double x)
{
	if (isnan(x))
		return NAN;
	if (pw->method == POWER_BOXCOX)
		return x > 0 ? boxcox(x, pw->lambda[i]) : NAN;
	return yj(x, pw->lambda[i]);
}

static int
power_fit(struct step *s, const struct table *t, struct err *e)
{
	struct power *pw;
	struct power_data d;
	double *x = NULL, *y = NULL;
	char **names;
	size_t n, i, r;
	int rc = -1;

	power_free(s);
	if (step_columns(s, "columns", t, &names, &n, e) != 0)
		return -1;
	pw = power_alloc(n);
	s->state = pw;
	pw->cols = names;
	pw->method = strcmp(params_str(&s->params, "method"), "box-cox") == 0 ?
	    POWER_BOXCOX : POWER_YJ;
	pw->standardize = params_bool(&s->params, "standardize");
	x = xmalloc((t->nrows ? t->nrows : 1) * sizeof *x);
	y = xmalloc((t->nrows ? t->nrows : 1) * sizeof *y);
	for (i = 0; i < n; i++) {
		long k = step_number_col(t, names[i], e);
		const struct column *c;
		size_t m = 0;
		double mean = 0, var, scale = 1;

		if (k < 0)
			goto out;
		c = t->cols[k];
		d.logsum = 0;
		for (r = 0; r < t->nrows; r++) {
			double v = c->num[r];

			if (isnan(v))
				continue;
			if (pw->method == POWER_BOXCOX && !(v > 0)) {
				err_set(e, ERR_DATA, "column '%s' has a value "
				    "<= 0 (%g): box-cox needs strictly "
				    "positive data (use method=yeo-johnson)",
				    c->name, v);
				goto out;
			}
			x[m++] = v;
			if (pw->method == POWER_BOXCOX)
				d.logsum += log(v);
			else
				d.logsum += (v > 0 ? 1 : v < 0 ? -1 : 0) *
				    log1p(fabs(v));
		}
		if (m == 0) {
			err_set(e, ERR_DATA, "column '%s' has no values to "
			    "learn a lambda from", c->name);
			goto out;
		}
		d.x = x;
		d.n = m;
		d.y = y;
		if (pop_var(x, m, NULL) == 0)
			pw->lambda[i] = 1;
		else
			pw->lambda[i] = brent(pw->method == POWER_BOXCOX ?
			    bc_nllf : yj_nllf, &d);
		if (pw->standardize) {
			for (r = 0; r < m; r++)
				y[r] = power_value(pw, i, x[r]);
			var = pop_var(y, m, &mean);
			/* scikit-learn's _is_constant_feature */
			if (var > (double)m * DBL_EPSILON * var +
			    ((double)m * mean * DBL_EPSILON) *
			    ((double)m * mean * DBL_EPSILON) && isfinite(var))
				scale = sqrt(var);
			if (!isfinite(mean))
				mean = 0;
		}
		pw->mean[i] = mean;
		pw->scale[i] = scale;
	}
	step_set_io(s, names, n, names, n);
	rc = 0;
out:
	free(x);
	free(y);
	return rc;
}

static int
power_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct power *pw = s->state;
	size_t i, r;

	(void)ctx;
	for (i = 0; i < pw->n; i++) {
		long k = step_numcol(t, pw->cols[i], e);
		struct column *c;

		if (k < 0)
			return -1;
		c = t->cols[k];
		for (r = 0; r < t->nrows; r++) {
			double v = power_value(pw, i, c->num[r]);

			if (pw->standardize)
				v = (v - pw->mean[i]) / pw->scale[i];
			c->num[r] = v;
		}
		c->type = COL_FLOAT;
	}
	return 0;
}

static void
power_describe(const struct step *s, struct strbuf *sb)
{
	const struct power *pw = s->state;

	strbuf_addf(sb, "power %s", params_str(&s->params, "method"));
	if (pw != NULL) {
		strbuf_addf(sb, " on %zu column%s", pw->n, pw->n == 1 ? "" :
		    "s");
		if (pw->n == 1)
			strbuf_addf(sb, " (lambda %.4g)", pw->lambda[0]);
	} else
		strbuf_addf(sb, " on %s", params_str(&s->params, "columns"));
	if (params_bool(&s->params, "standardize"))
		strbuf_addstr(sb, ", standardized");
}

static void
power_save(const struct step *s, struct strbuf *sb)
{
	const struct power *pw = s->state;

	state_put_str(sb, "method", pw->method == POWER_BOXCOX ? "box-cox" :
	    "yeo-johnson");
	state_put_int(sb, "standardize", pw->standardize);
	state_put_strs(sb, "columns", pw->n, pw->cols);
	state_put_nums(sb, "lambda", pw->n, pw->lambda);
	state_put_nums(sb, "mean", pw->n, pw->mean);
	state_put_nums(sb, "scale", pw->n, pw->scale);
}

static int
power_load(struct step *s, const struct state *st, struct err *e)
{
	struct power *pw = xcalloc(1, sizeof *pw);
	char *method = NULL;
	long long std;
	size_t nl, nm, ns;

	s->state = pw;
	if (state_get_str(st, "method", &method, e) != 0 ||
	    state_get_int(st, "standardize", &std, e) != 0 ||
	    state_get_strs(st, "columns", &pw->cols, &pw->n, e) != 0 ||
	    state_get_nums(st, "lambda", &pw->lambda, &nl, e) != 0 ||
	    state_get_nums(st, "mean", &pw->mean, &nm, e) != 0 ||
	    state_get_nums(st, "scale", &pw->scale, &ns, e) != 0) {
		free(method);
		return -1;
	}
	pw->standardize = std != 0;
	if (strcmp(method, "box-cox") == 0)
		pw->method = POWER_BOXCOX;
	else if (strcmp(method, "yeo-johnson") == 0)
		pw->method = POWER_YJ;
	else {
		err_set(e, ERR_DATA, "%s: unknown method '%s'", st->what,
		    method);
		free(method);
		return -1;
	}
	free(method);
	if (nl != pw->n || nm != pw->n || ns != pw->n)
		return err_set(e, ERR_DATA, "%s: %zu columns but %zu lambdas, "
		    "%zu means and %zu scales", st->what, pw->n, nl, nm, ns);
	step_set_io(s, pw->cols, pw->n, pw->cols, pw->n);
	return 0;
}

const struct step_ops step_power_ops = {
	.name = "power",
	.summary = "Yeo-Johnson or Box-Cox power transform, lambda by "
	    "maximum likelihood",
	.params = power_params,
	.fit = power_fit,
	.apply = power_apply,
	.describe = power_describe,
	.save = power_save,
	.load = power_load,
	.free = power_free,
};

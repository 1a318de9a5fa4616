/*
 * model-gaussian-nb.c - Gaussian naive Bayes ("gaussian_nb"), exactly
 * as scikit-learn's GaussianNB(var_smoothing=1e-9):
 *	theta[c][j]  mean of feature j over the training rows of class c
 *	var[c][j]    their population variance (ddof 0) + epsilon, where
 *	             epsilon = var_smoothing * (the largest population
 *	             variance of any feature over all training rows)
 *	prior[c]     n_c / n (the training class frequencies)
 *	jll[c](x) = log prior[c] + (-0.5 sum_j log(2 pi var[c][j])
 *	            - 0.5 sum_j (x_j - theta[c][j])^2 / var[c][j])
 *	predict      the class with the largest jll (first on a tie)
 *	proba[c]     exp(jll[c] - logsumexp(jll)), logsumexp as scipy's
 *	             (max + log sum exp(jll - max))
 * The arithmetic follows numpy's: means and variances are sums over the
 * rows in row order divided by the count (two passes: mean, then the
 * squared deviations), sums over features and classes are numpy's
 * pairwise sums, so the probabilities are scikit-learn's to the last
 * few bits.  When a feature (a one-hot column, say) is constant within
 * a class its variance is epsilon alone, which dominates the likelihood:
 * that is the definition, followed as it is.
 * Features: numbers and indicator columns, no missing values.  No
 * importances.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/xmalloc.h"

static const struct param_def gnb_params[] = {
	{ "var_smoothing", PT_NUM, "1e-9", NULL, 0, 1e300,
	  "fraction of the largest feature variance added to every "
	  "variance" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct gnb {
	size_t		 nc, p;
	double		*count;		/* training rows per class */
	double		*theta;		/* nc x p */
	double		*var;		/* nc x p, smoothing included */
	double		 epsilon;
	/* derived */
	double		*logprior;	/* log(count / sum count) */
	double		*lognorm;	/* -0.5 sum_j log(2 pi var) */
};

static void
gnb_free(struct model *m)
{
	struct gnb *g = m->state;

	if (g == NULL)
		return;
	free(g->count);
	free(g->theta);
	free(g->var);
	free(g->logprior);
	free(g->lognorm);
	free(g);
	m->state = NULL;
}

/* The derived terms: log priors and the variance normalisers. */
static void
gnb_prepare(struct gnb *g)
{
	double *t = xmalloc((g->p > g->nc ? g->p : g->nc) * sizeof *t);
	double total = pairwise_sum(g->count, g->nc);
	size_t c, j;

	g->logprior = xmalloc(g->nc * sizeof *g->logprior);
	g->lognorm = xmalloc(g->nc * sizeof *g->lognorm);
	for (c = 0; c < g->nc; c++) {
		g->logprior[c] = log(g->count[c] / total);
		for (j = 0; j < g->p; j++)
			t[j] = log(2.0 * M_PI * g->var[c * g->p + j]);
		g->lognorm[c] = -0.5 * pairwise_sum(t, g->p);
	}
	free(t);
}

static int
gnb_fit(struct model *m, const struct fmat *X, const struct target *y,
    const struct model_ctx *ctx, struct err *e)
{
	size_t n = X->n, p = X->p, nc = y->nclasses, r, j, c;
	double *sum, *gvar, vmax = 0;
	struct gnb *g;

	gnb_free(m);
	if (fmat_check_numeric(X, 0, "model 'gaussian_nb'", e) != 0)
		return -1;
	g = xcalloc(1, sizeof *g);
	g->nc = nc;
	g->p = p;
	g->count = xcalloc(nc, sizeof *g->count);
	g->theta = xcalloc(nc * p, sizeof *g->theta);
	g->var = xcalloc(nc * p, sizeof *g->var);
	m->state = g;
	for (r = 0; r < n; r++)
		g->count[y->cls[r]] += 1;
	sum = xmalloc(nc * sizeof *sum);
	gvar = xmalloc(p * sizeof *gvar);
	for (j = 0; j < p; j++) {
		double gs = 0, gss = 0, gm;

		if (model_cancelled(ctx)) {
			free(sum);
			free(gvar);
			gnb_free(m);
			return err_set(e, ERR_CANCEL, "cancelled");
		}
		/* Per-class and overall means: sums in row order. */
		for (c = 0; c < nc; c++)
			sum[c] = 0;
		for (r = 0; r < n; r++) {
			double v = fmat_get(X, r, j);

			sum[y->cls[r]] += v;
			gs += v;
		}
		for (c = 0; c < nc; c++)
			g->theta[c * p + j] = sum[c] / g->count[c];
		gm = gs / (double)n;
		/* Squared deviations from them. */
		for (c = 0; c < nc; c++)
			sum[c] = 0;
		for (r = 0; r < n; r++) {
			double v = fmat_get(X, r, j);
			double d = v - g->theta[y->cls[r] * p + j];
			double dg = v - gm;

			sum[y->cls[r]] += d * d;
			gss += dg * dg;
		}
		for (c = 0; c < nc; c++)
			g->var[c * p + j] = sum[c] / g->count[c];
		gvar[j] = gss / (double)n;
		model_progress(ctx, (double)(j + 1) / (double)p);
	}
	for (j = 0; j < p; j++)
		if (gvar[j] > vmax || j == 0)
			vmax = gvar[j];
	g->epsilon = params_num(&m->params, "var_smoothing") * vmax;
	for (j = 0; j < nc * p; j++)
		g->var[j] += g->epsilon;
	free(sum);
	free(gvar);
	for (j = 0; j < nc * p; j++)
		if (!(g->var[j] > 0)) {
			size_t cc = j / p;

			err_set(e, ERR_DATA, "model 'gaussian_nb': feature "
			    "'%s' has zero variance in class '%s' even after "
			    "smoothing (var_smoothing=%g, largest feature "
			    "variance %g)", X->cols[j % p].name,
			    y->classes[cc], params_num(&m->params,
			    "var_smoothing"), vmax);
			gnb_free(m);
			return -1;
		}
	gnb_prepare(g);
	return 0;
}

/*
 * The joint log likelihoods of rows [from, to) of X into jll (nc per
 * row).
 */
static void
gnb_jll(const struct gnb *g, const struct fmat *X, size_t from, size_t to,
    double *jll)
{
	size_t p = g->p, nc = g->nc, r, j, c;
	double *x = xmalloc(p * sizeof *x), *t = xmalloc(p * sizeof *t);

	for (r = from; r < to; r++) {
		for (j = 0; j < p; j++)
			x[j] = fmat_get(X, r, j);
		for (c = 0; c < nc; c++) {
			const double *th = g->theta + c * p;
			const double *va = g->var + c * p;
			double nij;

			for (j = 0; j < p; j++) {
				double d = x[j] - th[j];

				t[j] = d * d / va[j];
			}
			nij = g->lognorm[c];
			nij -= 0.5 * pairwise_sum(t, p);
			jll[(r - from) * nc + c] = g->logprior[c] + nij;
		}
	}
	free(x);
	free(t);
}

#define GNB_CHUNK	1024

static int
gnb_predict(const struct model *m, const struct fmat *X, double *out,
    struct err *e)
{
	const struct gnb *g = m->state;
	double *jll;
	size_t r0, r, c;

	if (X->p != g->p)
		return err_set(e, ERR_DATA, "model 'gaussian_nb' was trained "
		    "on %zu features; the data has %zu", g->p, X->p);
	if (fmat_check_numeric(X, 0, "model 'gaussian_nb'", e) != 0)
		return -1;
	jll = xmalloc(GNB_CHUNK * g->nc * sizeof *jll);
	for (r0 = 0; r0 < X->n; r0 += GNB_CHUNK) {
		size_t r1 = r0 + GNB_CHUNK < X->n ? r0 + GNB_CHUNK : X->n;

		gnb_jll(g, X, r0, r1, jll);
		for (r = r0; r < r1; r++) {
			const double *l = jll + (r - r0) * g->nc;
			size_t best = 0;

			for (c = 1; c < g->nc; c++)
				if (l[c] > l[best])
					best = c;
			out[r] = (double)best;
		}
	}
	free(jll);
	return 0;
}

static int
gnb_predict_proba(const struct model *m, const struct fmat *X,
    double *proba, struct err *e)
{
	const struct gnb *g = m->state;
	size_t nc = g->nc, r0, r, c;
	double *jll, *t;

	if (X->p != g->p)
		return err_set(e, ERR_DATA, "model 'gaussian_nb' was trained "
		    "on %zu features; the data has %zu", g->p, X->p);
	if (fmat_check_numeric(X, 0, "model 'gaussian_nb'", e) != 0)
		return -1;
	jll = xmalloc(GNB_CHUNK * nc * sizeof *jll);
	t = xmalloc(nc * sizeof *t);
	for (r0 = 0; r0 < X->n; r0 += GNB_CHUNK) {
		size_t r1 = r0 + GNB_CHUNK < X->n ? r0 + GNB_CHUNK : X->n;

		gnb_jll(g, X, r0, r1, jll);
		for (r = r0; r < r1; r++) {
			const double *l = jll + (r - r0) * nc;
			double amax = l[0], lse;

			for (c = 1; c < nc; c++)
				if (l[c] > amax)
					amax = l[c];
			if (!isfinite(amax))
				amax = 0;
			for (c = 0; c < nc; c++)
				t[c] = exp(l[c] - amax);
			lse = log(pairwise_sum(t, nc));
			lse += amax;
			for (c = 0; c < nc; c++)
				proba[r * nc + c] = exp(l[c] - lse);
		}
	}
	free(jll);
	free(t);
	return 0;
}

static void
gnb_describe(const struct model *m, struct strbuf *sb)
{
	const struct gnb *g = m->state;

	strbuf_addf(sb, "gaussian_nb var_smoothing=%g",
	    params_num(&m->params, "var_smoothing"));
	if (g != NULL)
		strbuf_addf(sb, ": %zu classes, %zu features, epsilon %g",
		    g->nc, g->p, g->epsilon);
}

static void
gnb_save(const struct model *m, struct strbuf *sb)
{
	const struct gnb *g = m->state;

	state_put_nums(sb, "count", g->nc, g->count);
	state_put_num(sb, "epsilon", g->epsilon);
	state_put_nums(sb, "theta", g->nc * g->p, g->theta);
	state_put_nums(sb, "var", g->nc * g->p, g->var);
}

static int
gnb_load(struct model *m, const struct state *st, struct err *e)
{
	struct gnb *g = xcalloc(1, sizeof *g);
	size_t n, j;

	m->state = g;
	g->nc = m->nclasses;
	g->p = m->nfeat;
	if (state_get_nums(st, "count", &g->count, &n, e) != 0)
		goto fail;
	if (n != g->nc) {
		err_set(e, ERR_DATA, "%s: 'count' has %zu numbers, expected "
		    "%zu", st->what, n, g->nc);
		goto fail;
	}
	for (j = 0; j < n; j++)
		if (!(g->count[j] > 0)) {
			err_set(e, ERR_DATA, "%s: 'count' must be positive",
			    st->what);
			goto fail;
		}
	if (state_get_num(st, "epsilon", &g->epsilon, e) != 0 ||
	    state_get_nums(st, "theta", &g->theta, &n, e) != 0)
		goto fail;
	if (n != g->nc * g->p) {
		err_set(e, ERR_DATA, "%s: 'theta' has %zu numbers, expected "
		    "%zu", st->what, n, g->nc * g->p);
		goto fail;
	}
	if (state_get_nums(st, "var", &g->var, &n, e) != 0)
		goto fail;
	if (n != g->nc * g->p) {
		err_set(e, ERR_DATA, "%s: 'var' has %zu numbers, expected "
		    "%zu", st->what, n, g->nc * g->p);
		goto fail;
	}
	for (j = 0; j < n; j++)
		if (!(g->var[j] > 0)) {
			err_set(e, ERR_DATA, "%s: 'var' must be positive",
			    st->what);
			goto fail;
		}
	gnb_prepare(g);
	return 0;
fail:
	gnb_free(m);
	return -1;
}

const struct model_ops model_gaussian_nb_ops = {
	.name = "gaussian_nb",
	.summary = "Gaussian naive Bayes (per-class normal features)",
	.task = TASK_CLASSIFY,
	.accepts_cat = 0,
	.params = gnb_params,
	.check = NULL,
	.fit = gnb_fit,
	.predict = gnb_predict,
	.predict_proba = gnb_predict_proba,
	.importances = NULL,
	.inertia = NULL,
	.describe = gnb_describe,
	.save = gnb_save,
	.load = gnb_load,
	.free = gnb_free,
};

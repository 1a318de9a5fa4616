/*
 * model-linear.c - ordinary least squares regression ("linear"), as
 * scikit-learn's LinearRegression and the reference's
 * linear_regression_min_norm (shared/data/README.md, Models):
 *
 *	minimise ||y - Xw - b||^2 over w and b.
 *
 * With fit_intercept (the default) X and y are centred first (x_j - mean
 * x_j, y - mean y), w is the least-squares solution of the centred
 * problem and b = mean y - sum_j mean x_j * w_j; without it, b = 0 and
 * the raw X is used.  w is the minimum-norm least-squares solution,
 * computed by LAPACK's dgelsd (SVD, divide and conquer) with
 * rcond = 1e-10: singular values below 1e-10 times the largest count as
 * zero.  On data of full rank that is the unique OLS solution; on a
 * rank-deficient design (a one-hot block sums to the intercept column)
 * it is the solution of least norm, as numpy.linalg.lstsq(rcond=1e-10)
 * or the pseudo-inverse gives.  The rank found is kept and reported.
 *
 * dgelsd needs a dense column-major copy of the centred X: n x p x 8
 * bytes.  Above 4 GiB the model refuses and suggests ridge, which only
 * needs the p x p cross-product matrix.  The copy is filled a column at
 * a time on ctx->threads threads (each column's mean in one pass plus a
 * correcting one, the same whatever the number of threads); the solve
 * uses the threads of the BLAS under LAPACK.
 */
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/xmalloc.h"

/* LAPACK (Fortran calling convention, column-major). */
extern void	dgelsd_(const int *m, const int *n, const int *nrhs,
		    double *a, const int *lda, double *b, const int *ldb,
		    double *s, const double *rcond, int *rank, double *work,
		    const int *lwork, int *iwork, int *info);

#define LINEAR_RCOND	1e-10
#define LINEAR_MAXCOPY	(4.0 * 1024 * 1024 * 1024)
#define LINEAR_MAXTHR	64

static const struct param_def linear_params[] = {
	{ "fit_intercept", PT_BOOL, "true", NULL, 0, 0,
	  "fit an intercept (centre X and y first)" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct linear {
	size_t		 p;
	double		*coef;
	double		 intercept;
	long		 rank;		/* of the (centred) design */
};

static void
linear_free(struct model *m)
{
	struct linear *s = m->state;

	if (s == NULL)
		return;
	free(s->coef);
	free(s);
	m->state = NULL;
}

/* Filling the centred design: columns t, t + T, ... */
struct lcopy {
	const struct fmat *X;
	int		 center, t, nt;
	int		 started;	/* on a thread of its own */
	double		*a;		/* n x p, column-major */
	double		*mean;
};

static void *
linear_copy(void *arg)
{
	const struct lcopy *lc = arg;
	const struct fmat *X = lc->X;
	size_t n = X->n, r, j;

	for (j = (size_t)lc->t; j < X->p; j += (size_t)lc->nt) {
		const struct fcol *c = &X->cols[j];
		double *col = lc->a + j * n, mj = 0;

		if (c->kind == FC_NUM) {
			if (lc->center)
				mj = mean_corrected(c->num, n);
			for (r = 0; r < n; r++)
				col[r] = c->num[r] - mj;
		} else {
			size_t cnt = 0;

			for (r = 0; r < n; r++)
				cnt += c->idx[r] == c->code;
			if (lc->center)
				mj = (double)cnt / (double)n;
			for (r = 0; r < n; r++)
				col[r] = (double)(c->idx[r] == c->code) - mj;
		}
		lc->mean[j] = mj;
	}
	return NULL;
}

static int
linear_fit(struct model *m, const struct fmat *X, const struct target *y,
    const struct model_ctx *ctx, struct err *e)
{
	int center = params_bool(&m->params, "fit_intercept");
	size_t n = X->n, p = X->p, r, j, ldb;
	double *a, *b, *sv, *mean, *work, wq, ymean = 0, rcond = LINEAR_RCOND;
	int im, ip, ildb, nrhs = 1, rank = 0, lwork, info = 0, iwq = 0;
	int *iwork, nt, t;
	struct lcopy lc[LINEAR_MAXTHR];
	pthread_t tid[LINEAR_MAXTHR];
	struct linear *s;

	if (fmat_check_numeric(X, 0, "model 'linear'", e) != 0)
		return -1;
	if ((double)n * (double)p * 8 > LINEAR_MAXCOPY)
		return err_set(e, ERR_DATA, "model 'linear': the exact "
		    "least-squares solve needs a dense copy of the %zu x %zu "
		    "features (%.1f GiB, over the 4 GiB limit): use 'model "
		    "ridge' (alpha=0 for plain least squares), which needs "
		    "only a %zu x %zu matrix", n, p,
		    (double)n * (double)p * 8 / (1024.0 * 1024 * 1024), p, p);
	if (n > INT_MAX || p > INT_MAX)
		return err_set(e, ERR_DATA, "model 'linear': %zu x %zu is too "
		    "large for LAPACK", n, p);
	ldb = n > p ? n : p;
	im = (int)n;
	ip = (int)p;
	ildb = (int)ldb;
	model_progress(ctx, 0);

	/* The centred design, column-major (by column on each thread). */
	mean = xcalloc(p, sizeof *mean);
	a = xmalloc(n * p * sizeof *a);
	b = xcalloc(ldb, sizeof *b);
	nt = ctx != NULL && ctx->threads > 1 ? ctx->threads : 1;
	if (nt > LINEAR_MAXTHR)
		nt = LINEAR_MAXTHR;
	if ((size_t)nt > p)
		nt = (int)p;
	for (t = 0; t < nt; t++) {
		lc[t].X = X;
		lc[t].center = center;
		lc[t].t = t;
		lc[t].nt = nt;
		lc[t].a = a;
		lc[t].mean = mean;
	}
	for (t = 1; t < nt; t++) {
		lc[t].started = pthread_create(&tid[t], NULL, linear_copy,
		    &lc[t]) == 0;
		if (!lc[t].started)
			linear_copy(&lc[t]);
	}
	linear_copy(&lc[0]);
	for (t = 1; t < nt; t++)
		if (lc[t].started)
			pthread_join(tid[t], NULL);
	if (center)
		ymean = mean_corrected(y->y, n);
	for (r = 0; r < n; r++)
		b[r] = y->y[r] - ymean;
	model_progress(ctx, 0.2);
	if (model_cancelled(ctx)) {
		free(a);
		free(b);
		free(mean);
		return err_set(e, ERR_CANCEL, "cancelled");
	}

	/* Workspace query, then the solve. */
	sv = xmalloc(((n < p ? n : p) + 1) * sizeof *sv);
	lwork = -1;
	dgelsd_(&im, &ip, &nrhs, a, &im, b, &ildb, sv, &rcond, &rank, &wq,
	    &lwork, &iwq, &info);
	if (info != 0) {
		free(sv);
		free(a);
		free(b);
		free(mean);
		return err_set(e, ERR_FAIL, "model 'linear': LAPACK dgelsd "
		    "workspace query failed (info %d)", info);
	}
	lwork = (int)wq;
	work = xmalloc(((size_t)lwork + 1) * sizeof *work);
	iwork = xmalloc((size_t)(iwq > 1 ? iwq : 1) * sizeof *iwork);
	dgelsd_(&im, &ip, &nrhs, a, &im, b, &ildb, sv, &rcond, &rank, work,
	    &lwork, iwork, &info);
	free(work);
	free(iwork);
	free(sv);
	free(a);
	if (info != 0) {
		free(b);
		free(mean);
		return err_set(e, ERR_FAIL, "model 'linear': the SVD did not "
		    "converge (LAPACK dgelsd info %d)", info);
	}

	s = xcalloc(1, sizeof *s);
	s->p = p;
	s->coef = xmalloc(p * sizeof *s->coef);
	s->rank = rank;
	s->intercept = ymean;
	for (j = 0; j < p; j++) {
		s->coef[j] = b[j];
		s->intercept -= mean[j] * b[j];
	}
	free(b);
	free(mean);
	for (j = 0; j < p; j++)
		if (!isfinite(s->coef[j]))
			break;
	if (j < p || !isfinite(s->intercept)) {
		free(s->coef);
		free(s);
		return err_set(e, ERR_DATA, "model 'linear': the solution is "
		    "not finite: the features or target hold values too "
		    "large to square (rescale them first, 'step scale')");
	}
	linear_free(m);
	m->state = s;
	model_progress(ctx, 1);
	return 0;
}

static int
linear_predict(const struct model *m, const struct fmat *X, double *out,
    struct err *e)
{
	const struct linear *s = m->state;

	if (model_check_features(m, X, e) != 0 ||
	    fmat_check_numeric(X, 0, "model 'linear'", e) != 0)
		return -1;
	if (X->n > 0)
		fmat_xw(X, s->coef, s->intercept, 0, X->n, out);
	return 0;
}

static const char *
linear_importances(const struct model *m, double *out)
{
	const struct linear *s = m->state;

	memcpy(out, s->coef, s->p * sizeof *out);
	return "coefficient";
}

static void
linear_describe(const struct model *m, struct strbuf *sb)
{
	const struct linear *s = m->state;

	strbuf_addstr(sb, "linear");
	if (!params_bool(&m->params, "fit_intercept"))
		strbuf_addstr(sb, " fit_intercept=false");
	if (s == NULL)
		return;
	strbuf_addf(sb, ": %zu coefficient%s, intercept %g", s->p,
	    s->p == 1 ? "" : "s", s->intercept);
	if ((size_t)s->rank < s->p)
		strbuf_addf(sb, " (rank %ld of %zu: collinear features, "
		    "minimum-norm solution)", s->rank, s->p);
}

static void
linear_save(const struct model *m, struct strbuf *sb)
{
	const struct linear *s = m->state;

	state_put_nums(sb, "coef", s->p, s->coef);
	state_put_num(sb, "intercept", s->intercept);
	state_put_int(sb, "rank", s->rank);
}

static int
linear_load(struct model *m, const struct state *st, struct err *e)
{
	struct linear *s = xcalloc(1, sizeof *s);
	long long rank;

	m->state = s;
	if (state_get_nums(st, "coef", &s->coef, &s->p, e) != 0 ||
	    state_get_num(st, "intercept", &s->intercept, e) != 0 ||
	    state_get_int(st, "rank", &rank, e) != 0)
		return -1;
	if (s->p != m->nfeat)
		return err_set(e, ERR_DATA, "%s: %zu coefficients for %zu "
		    "features", st->what, s->p, m->nfeat);
	if (rank < 0 || (size_t)rank > s->p)
		return err_set(e, ERR_DATA, "%s: rank %lld out of range",
		    st->what, rank);
	s->rank = (long)rank;
	return 0;
}

const struct model_ops model_linear_ops = {
	.name = "linear",
	.summary = "ordinary least squares regression (exact, minimum-norm "
	    "when features are collinear)",
	.task = TASK_REGRESS,
	.accepts_cat = 0,
	.params = linear_params,
	.fit = linear_fit,
	.predict = linear_predict,
	.importances = linear_importances,
	.describe = linear_describe,
	.save = linear_save,
	.load = linear_load,
	.free = linear_free,
};

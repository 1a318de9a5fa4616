/*
 * model-logistic.c - logistic regression ("logistic"), as scikit-learn
 * 1.2's LogisticRegression.
 *
 * penalty=l2 (the default) and penalty=none minimise
 *
 *	C * sum_i c_i * loss_i + (1/2) ||W||^2	(none: no ||W||^2 term)
 *
 * over the weights W and the intercepts b (not penalised), c_i being the
 * class weight of row i (1 without class_weight; balanced: n / (K *
 * rows of the class), as scikit-learn).  Two classes: ordinary logistic
 * regression, one weight vector, P(class 1) = s(w.x + b) with s the
 * logistic sigmoid and loss_i = -log P(y_i).  Three or more classes:
 * multinomial (softmax), one weight vector per class, all penalised,
 * P(k) = exp(z_k) / sum_j exp(z_j), z_k = w_k.x + b_k.  Softmax does not
 * change when a constant is added to every z_k: the intercepts are
 * saved with their mean subtracted (they sum to 0), and the weights of
 * each feature sum to 0 over the classes (the optimum of the penalised
 * problem has that property; L-BFGS from W = 0 keeps it for penalty=none
 * too, giving the smallest solution).
 *
 * The problem solved is the same divided by C * n: the mean loss
 * (1/n) sum_i c_i loss_i plus ||W||^2 / (2 C n).  The stopping rule:
 * the largest |component| of the gradient of that mean objective is at
 * most tol (default 1e-6), or max_iter iterations (describe says "not
 * converged").  For comparison, scikit-learn 1.2's lbfgs stops when
 * the gradient of sum_i loss_i + ||W||^2 / (2 C) is below 1e-4 or,
 * usually first, when an iteration lowers that by less than 2.2e-9 of
 * it (scipy's ftol), about 1e-4 from the optimum in the coefficients;
 * at the default tol these are about 1e-5 from it, at tol=1e-10 at it.
 *
 * Solver: L-BFGS (memory 10) with a line search for the strong Wolfe
 * conditions (c1 = 1e-4, c2 = 0.9; trial steps by the secant of the
 * directional derivative inside a bracket, 4 times longer outside it;
 * the decrease test allows 64 epsilons * (1 + |f|) of rounding), in two
 * phases:
 *  1. From W = 0, the initial inverse Hessian being the inverse of the
 *     Hessian's diagonal at W = 0 (which evens out features of any
 *     scale): on 65536 rows or more, on a subsample (1 row in 16, in runs
 *     of 32) with the same penalty, to max |gradient| <= 0.002 /
 *     sqrt(rows), its sampling error; on fewer rows, on the data to
 *     1e-4 or 200 iterations.
 *  2. On the data, to tol, the initial inverse Hessian being the exact
 *     Hessian at the end of phase 1 (Cholesky-factored; scaled by
 *     s'y / y'H^-1 y once there are pairs) when it has at most 1536
 *     rows (K (p + 1)) and pays: always on large data, where phase 2
 *     then needs 3 or 4 passes; else when phase 1 was slow or it costs
 *     under 10 passes.  The softmax Hessian reads every k-th row, k
 *     such that it costs about 4e7 operations.
 * On large data max_iter bounds each phase (n_iter counts the second);
 * on the rest both together.
 *
 * One evaluation of the objective and its gradient is one pass over the
 * rows in blocks of 2048: X.W into a block buffer (2-wide vector code),
 * loss and residual, X'.residual.  The logarithms of the loss are taken
 * of products of up to 2^800 rather than of each row (below).  Rows are
 * cut into chunks of 16384 (more when the chunk sums would exceed 4M
 * numbers) whose sums are added in chunk order whatever the number of
 * threads (ctx->threads take chunks in turn), so the result does not
 * depend on the threads.  The data are never copied but for the
 * subsample; an indicator column (one-hot output) costs one lookup per
 * row and group.  A missing or infinite value makes the loss NaN: the
 * fit then stops with fmat_check_numeric()'s message (or one about
 * infinite values).
 *
 * penalty=l1 is scikit-learn's LogisticRegression(penalty='l1',
 * solver='liblinear'): liblinear's L1R_LR solver,
 *	minimise ||(w, b)||_1 + C * sum_i c_i * loss_i,
 * where, unlike the l2 path, the intercept is the weight of an extra
 * feature equal to 1 (intercept_scaling = 1) and so is penalised too,
 * and three or more classes are fitted one-vs-rest (class k against the
 * rest, one binary problem each; probabilities are each class's sigmoid
 * normalised to sum 1, as scikit-learn does).  tol is then liblinear's
 * eps (1e-4, scikit-learn's default, when not given) and liblinear 2.3
 * keeps its own iteration limits (max_iter does not apply).  liblinear
 * shuffles with rand(): it is seeded with seed under a lock
 * (model-linear-svm.c), so a seed gives the same model; scikit-learn's
 * copy of liblinear uses another generator, so the weights agree with
 * its to the tolerance only.
 *
 * predict: the class of the largest probability (ties: the lowest class
 * index; two classes: class 1 when w.x + b > 0).  importances: the
 * coefficients for two classes, the mean |coefficient| over the classes
 * for more.
 */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define model liblinear_model
#include <linear.h>
#undef model

#include "core/model.h"
#include "core/xmalloc.h"

/* From model-linear-svm.c (no header of its own). */
int	liblinear_ovr(const struct fmat *, const struct target *, int solver,
	    double C, double eps, const double *cw, unsigned seed,
	    const struct model_ctx *, double *W, long *iter, int *maxed,
	    struct err *);

/* BLAS / LAPACK (Fortran calling convention, column-major). */
extern void	dsyrk_(const char *uplo, const char *trans, const int *n,
		    const int *k, const double *alpha, const double *a,
		    const int *lda, const double *beta, double *c,
		    const int *ldc, size_t, size_t);
extern void	dpotrf_(const char *uplo, const int *n, double *a,
		    const int *lda, int *info, size_t);

#define LR_BLK		2048	/* rows per block of one pass */
#define LR_CHUNK	16384	/* rows per chunk (sums kept per chunk) */
#define LR_MAXPART	(1 << 22) /* most doubles of chunk sums */
#define LR_MAXTHR	64
#define LR_MEM		10	/* L-BFGS memory */
#define LR_SUBMIN	65536	/* rows from which to warm-start */
#define LR_STRIDE	16	/* the warm start's rows: 1 in 16, */
#define LR_RUN		32	/* in runs of 32 */
#define LR_HMAX		1536	/* largest Hessian for the preconditioner */
#define LR_IT1		200	/* most iterations before computing it */

enum lr_status {
	LR_CONVERGED,		/* max |gradient| <= tol */
	LR_MAXITER,		/* stopped by max_iter (liblinear: its limit) */
	LR_STALLED,		/* no step lowers the loss any more */
};

static const char *const lr_status_names[] = { "converged", "max_iter",
    "stalled" };

enum lr_link {
	LR_SIGMOID,		/* one vector, class 1 positive */
	LR_SOFTMAX,		/* one vector per class */
	LR_OVR,			/* one sigmoid per class, normalised */
};

static const char *const lr_link_names[] = { "sigmoid", "softmax", "ovr" };

static const struct param_def lr_params[] = {
	{ "penalty", PT_ENUM, "l2", "l2|l1|none", 0, 0,
	  "l2 (L-BFGS), l1 (liblinear, one-vs-rest) or none" },
	{ "C", PT_NUM, "1", NULL, 0, 1e300,
	  "inverse regularisation strength (> 0)" },
	{ "max_iter", PT_INT, "1000", NULL, 1, 1e9,
	  "most L-BFGS iterations (l2, none)" },
	{ "tol", PT_NUM, "1e-6", NULL, 0, 1e300,
	  "stop at max |gradient of the mean loss| <= tol (l1: liblinear's "
	  "eps, default 1e-4)" },
	{ "class_weight", PT_ENUM, "none", "none|balanced", 0, 0,
	  "balanced: weight class k by n / (classes * rows of k)" },
	{ "seed", PT_INT, "0", NULL, 0, 4294967295.0,
	  "seed of liblinear's shuffling (penalty=l1)" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct lr {
	size_t		 p;
	size_t		 nw;		/* weight vectors: 1 or classes */
	enum lr_link	 link;
	double		*coef;		/* nw x p */
	double		*icpt;		/* nw */
	long		 n_iter;	/* iterations on the full data */
	long		 passes;	/* evaluations on the full data */
	enum lr_status	 status;
	double		 gmax;		/* final max |gradient| (l2, none) */
};

/* ---------------------------------------------------------- passes --- */

/* The numeric columns of X, for the kernels. */
struct lr_cols {
	const struct fmat *X;
	size_t		 nnum;
	const double	**num;
	size_t		*numj;		/* feature index of each */
};

static void
lr_cols_init(struct lr_cols *c, const struct fmat *X)
{
	size_t j;

	c->X = X;
	c->nnum = 0;
	c->num = xmalloc((X->p + 1) * sizeof *c->num);
	c->numj = xmalloc((X->p + 1) * sizeof *c->numj);
	for (j = 0; j < X->p; j++)
		if (X->cols[j].kind == FC_NUM) {
			c->num[c->nnum] = X->cols[j].num;
			c->numj[c->nnum++] = j;
		}
}

static void
lr_cols_release(struct lr_cols *c)
{
	free(c->num);
	free(c->numj);
}

/*
 * The kernels go two rows at a time, which the compiler turns into
 * 2-wide vector code at -O2 (X'r over four columns at once through
 * GCC's vector extension, which it would not vectorise by itself); the
 * order of the additions is fixed: even and odd rows are summed apart,
 * then added.
 */
typedef double lr_v2 __attribute__((vector_size(16)));

/* z[i] = w[p] + w . x_(from + i), i < nb (w: p weights, then b). */
static void
lr_xw(const struct lr_cols *c, const double *w, size_t from, size_t nb,
    double *restrict z)
{
	const struct fmat *X = c->X;
	size_t j = 0, i, g, nn = c->nnum, ne = nb & ~(size_t)1;

	for (i = 0; i < nb; i++)
		z[i] = w[X->p];
	for (; j + 4 <= nn; j += 4) {
		const double *restrict x0 = c->num[j] + from;
		const double *restrict x1 = c->num[j + 1] + from;
		const double *restrict x2 = c->num[j + 2] + from;
		const double *restrict x3 = c->num[j + 3] + from;
		double w0 = w[c->numj[j]], w1 = w[c->numj[j + 1]];
		double w2 = w[c->numj[j + 2]], w3 = w[c->numj[j + 3]];

		for (i = 0; i < ne; i += 2) {
			z[i] += (w0 * x0[i] + w1 * x1[i]) +
			    (w2 * x2[i] + w3 * x3[i]);
			z[i + 1] += (w0 * x0[i + 1] + w1 * x1[i + 1]) +
			    (w2 * x2[i + 1] + w3 * x3[i + 1]);
		}
		if (i < nb)
			z[i] += (w0 * x0[i] + w1 * x1[i]) +
			    (w2 * x2[i] + w3 * x3[i]);
	}
	for (; j < nn; j++) {
		const double *restrict x0 = c->num[j] + from;
		double w0 = w[c->numj[j]];

		for (i = 0; i < ne; i += 2) {
			z[i] += w0 * x0[i];
			z[i + 1] += w0 * x0[i + 1];
		}
		if (i < nb)
			z[i] += w0 * x0[i];
	}
	for (g = 0; g < X->ngroups; g++) {
		const struct fgroup *gr = &X->groups[g];
		const int32_t *idx = gr->idx + from;

		for (i = 0; i < nb; i++) {
			int32_t k = idx[i];

			if (k >= 0 && k < gr->ncodes && gr->feat[k] >= 0)
				z[i] += w[gr->feat[k]];
		}
	}
}

/* gr[j] += sum_i x_(from + i)[j] * r[i]; gr[p] += sum_i r[i]. */
static void
lr_xtr(const struct lr_cols *c, const double *restrict r, size_t from,
    size_t nb, double *gr)
{
	const struct fmat *X = c->X;
	size_t j = 0, i, g, nn = c->nnum, ne = nb & ~(size_t)1;
	double a0, b0;

	for (; j + 4 <= nn; j += 4) {
		const double *x0 = c->num[j] + from, *x1 = c->num[j + 1] + from;
		const double *x2 = c->num[j + 2] + from, *x3 = c->num[j + 3] +
		    from;
		lr_v2 s0 = { 0, 0 }, s1 = { 0, 0 }, s2 = { 0, 0 };
		lr_v2 s3 = { 0, 0 }, rv, v;

		for (i = 0; i < ne; i += 2) {
			memcpy(&rv, r + i, sizeof rv);
			memcpy(&v, x0 + i, sizeof v);
			s0 += v * rv;
			memcpy(&v, x1 + i, sizeof v);
			s1 += v * rv;
			memcpy(&v, x2 + i, sizeof v);
			s2 += v * rv;
			memcpy(&v, x3 + i, sizeof v);
			s3 += v * rv;
		}
		if (i < nb) {
			s0[0] += x0[i] * r[i];
			s1[0] += x1[i] * r[i];
			s2[0] += x2[i] * r[i];
			s3[0] += x3[i] * r[i];
		}
		gr[c->numj[j]] += s0[0] + s0[1];
		gr[c->numj[j + 1]] += s1[0] + s1[1];
		gr[c->numj[j + 2]] += s2[0] + s2[1];
		gr[c->numj[j + 3]] += s3[0] + s3[1];
	}
	for (; j < nn; j++) {
		const double *restrict x0 = c->num[j] + from;

		a0 = b0 = 0;
		for (i = 0; i < ne; i += 2) {
			a0 += x0[i] * r[i];
			b0 += x0[i + 1] * r[i + 1];
		}
		if (i < nb)
			a0 += x0[i] * r[i];
		gr[c->numj[j]] += a0 + b0;
	}
	for (g = 0; g < X->ngroups; g++) {
		const struct fgroup *fg = &X->groups[g];
		const int32_t *idx = fg->idx + from;

		for (i = 0; i < nb; i++) {
			int32_t k = idx[i];

			if (k >= 0 && k < fg->ncodes && fg->feat[k] >= 0)
				gr[fg->feat[k]] += r[i];
		}
	}
	a0 = b0 = 0;
	for (i = 0; i < ne; i += 2) {
		a0 += r[i];
		b0 += r[i + 1];
	}
	if (i < nb)
		a0 += r[i];
	gr[X->p] += a0 + b0;
}

/*
 * The losses need a logarithm per row, the most expensive part of a
 * pass: instead, the factors whose logarithms add up (1 + e^-|z| for two
 * classes, sum_k exp(z_k - max z) for softmax) are multiplied per class
 * (the class weight multiplies the sum), and the logarithm of the
 * product is taken when it exceeds 2^800 and at the end.  The product
 * of m factors is off by at most m/2 ulps, so the sum of the logarithms
 * by 1.2e-16 per row: the same as the rounding of log itself.
 */
#define LR_PRODMAX	0x1p800

/*
 * Binary: z (decision values of nb rows of classes cls) becomes the
 * residual c_i (s(z_i) - t_i); returns sum c_i loss_i, with
 *	-log P(y) = log(1 + e^-|z|) + max(0, y = 1 ? -z : z).
 * e: nb doubles of scratch (the exponentials come first, so that the
 * second loop calls nothing).
 */
static double
lr_binary(const int32_t *cls, const double *cw, size_t nb, double *z,
    double *e)
{
	double lin0 = 0, lin1 = 0, lg0 = 0, lg1 = 0, p0 = 1, p1 = 1;
	double w0 = cw != NULL ? cw[0] : 1, w1 = cw != NULL ? cw[1] : 1;
	size_t i;

	for (i = 0; i < nb; i++)
		e[i] = exp(-fabs(z[i]));
	for (i = 0; i < nb; i++) {
		int c = cls[i] == 1;
		double zi = z[i], d = 1 + e[i];

		lin0 += c ? 0 : fmax(0, zi);
		lin1 += c ? fmax(0, -zi) : 0;
		p0 *= c ? 1 : d;
		p1 *= c ? d : 1;
		if (p0 > LR_PRODMAX || p1 > LR_PRODMAX) {
			lg0 += log(p0);
			lg1 += log(p1);
			p0 = p1 = 1;
		}
		z[i] = (c ? w1 : w0) * ((zi >= 0 ? 1 : e[i]) / d - c);
	}
	lg0 += log(p0);
	lg1 += log(p1);
	return w0 * (lin0 + lg0) + w1 * (lin1 + lg1);
}

/*
 * Softmax: z[k * LR_BLK + i] (K classes) becomes the residual
 * c_i (P_k - [y_i = k]); returns sum c_i loss_i, with
 *	-log P(y) = log sum_k exp(z_k - m) - (z_y - m),  m = max_k z_k.
 * acc: 3 K doubles of scratch.
 */
static double
lr_softmax(const int32_t *cls, const double *cw, size_t K, size_t nb,
    double *z, double *acc)
{
	double *lin = acc, *lg = acc + K, *pr = acc + 2 * K, loss = 0;
	size_t i, k;

	for (k = 0; k < K; k++) {
		lin[k] = lg[k] = 0;
		pr[k] = 1;
	}
	for (i = 0; i < nb; i++) {
		size_t y = (size_t)cls[i];
		double mx = z[i], s = 0, w = cw != NULL ? cw[y] : 1;

		for (k = 1; k < K; k++)
			mx = fmax(mx, z[k * LR_BLK + i]);
		lin[y] += mx - z[y * LR_BLK + i];
		for (k = 0; k < K; k++) {
			double v = exp(z[k * LR_BLK + i] - mx);

			z[k * LR_BLK + i] = v;
			s += v;
		}
		pr[y] *= s;
		if (pr[y] > LR_PRODMAX) {
			lg[y] += log(pr[y]);
			pr[y] = 1;
		}
		for (k = 0; k < K; k++)
			z[k * LR_BLK + i] = w * (z[k * LR_BLK + i] / s -
			    (y == k));
	}
	for (k = 0; k < K; k++)
		loss += (cw != NULL ? cw[k] : 1) * (lin[k] + lg[k] +
		    log(pr[k]));
	return loss;
}

/* One problem: rows of X (the data or the subsample), its classes. */
struct lr_prob {
	struct lr_cols	 c;
	const int32_t	*cls;
	size_t		 n, p, nw;
	size_t		 dim;		/* nw * (p + 1) */
	const double	*cw;		/* class weights or NULL */
	double		 lambda;	/* 1 / (C n_data); 0 without penalty */
	size_t		 chunk, nchunks;
	double		*part;		/* nchunks x (dim + 1) */
	int		 nt;
	long		 evals;
};

static void
lr_prob_init(struct lr_prob *P, const struct fmat *X, const int32_t *cls,
    size_t nw, const double *cw, double lambda, int threads)
{
	size_t unit;

	memset(P, 0, sizeof *P);
	lr_cols_init(&P->c, X);
	P->cls = cls;
	P->n = X->n;
	P->p = X->p;
	P->nw = nw;
	P->dim = nw * (X->p + 1);
	P->cw = cw;
	P->lambda = lambda;
	/* Chunks of LR_CHUNK rows (more when the sums would be large). */
	P->chunk = LR_CHUNK;
	unit = LR_MAXPART / (P->dim + 1);
	if (unit < 1)
		unit = 1;
	if ((P->n + P->chunk - 1) / P->chunk > unit)
		P->chunk = ((P->n + unit - 1) / unit + LR_BLK - 1) / LR_BLK *
		    LR_BLK;
	P->nchunks = (P->n + P->chunk - 1) / P->chunk;
	P->part = xmalloc(P->nchunks * (P->dim + 1) * sizeof *P->part);
	P->nt = threads < 1 ? 1 : threads > LR_MAXTHR ? LR_MAXTHR : threads;
	if ((size_t)P->nt > P->nchunks)
		P->nt = (int)P->nchunks;
	/* Small problems are not worth a thread. */
	if ((double)P->n * (double)(P->c.nnum + X->ngroups + 1) *
	    (double)nw < 2e5)
		P->nt = 1;
}

static void
lr_prob_release(struct lr_prob *P)
{
	lr_cols_release(&P->c);
	free(P->part);
}

/*
 * Chunk c's sums: the gradient of sum c_i loss_i at th, then the sum.
 * z: (nw + 1) x LR_BLK + 3 nw doubles of scratch.
 */
static void
lr_chunk(const struct lr_prob *P, const double *th, size_t c, double *z)
{
	size_t from = c * P->chunk, to = from + P->chunk, k, p1 = P->p + 1;
	double *out = P->part + c * (P->dim + 1), loss = 0;

	if (to > P->n)
		to = P->n;
	memset(out, 0, (P->dim + 1) * sizeof *out);
	for (; from < to; from += LR_BLK) {
		size_t nb = to - from < LR_BLK ? to - from : LR_BLK;

		for (k = 0; k < P->nw; k++)
			lr_xw(&P->c, th + k * p1, from, nb, z + k * LR_BLK);
		if (P->nw == 1)
			loss += lr_binary(P->cls + from, P->cw, nb, z,
			    z + LR_BLK);
		else
			loss += lr_softmax(P->cls + from, P->cw, P->nw, nb, z,
			    z + P->nw * LR_BLK);
		for (k = 0; k < P->nw; k++)
			lr_xtr(&P->c, z + k * LR_BLK, from, nb, out + k * p1);
	}
	out[P->dim] = loss;
}

struct lr_job {
	const struct lr_prob *P;
	const double	*th;
	atomic_size_t	 next;
};

static void *
lr_worker(void *arg)
{
	struct lr_job *J = arg;
	const struct lr_prob *P = J->P;
	double *z = xmalloc(((P->nw + 1) * LR_BLK + 3 * P->nw) * sizeof *z);
	size_t c;

	while ((c = atomic_fetch_add(&J->next, 1)) < P->nchunks)
		lr_chunk(P, J->th, c, z);
	free(z);
	return NULL;
}

/*
 * The mean objective at th: (1/n) sum c_i loss_i + (lambda/2) ||W||^2,
 * and its gradient in g.
 */
static double
lr_eval(struct lr_prob *P, const double *th, double *g)
{
	pthread_t th_id[LR_MAXTHR];
	struct lr_job J;
	size_t c, j, k, p1 = P->p + 1, dim = P->dim;
	double f = 0, inv = 1 / (double)P->n;
	int t, nt;

	J.P = P;
	J.th = th;
	atomic_init(&J.next, 0);
	for (nt = 1; nt < P->nt; nt++)
		if (pthread_create(&th_id[nt], NULL, lr_worker, &J) != 0)
			break;
	lr_worker(&J);
	for (t = 1; t < nt; t++)
		pthread_join(th_id[t], NULL);
	memset(g, 0, dim * sizeof *g);
	for (c = 0; c < P->nchunks; c++) {
		const double *q = P->part + c * (dim + 1);

		for (j = 0; j < dim; j++)
			g[j] += q[j];
		f += q[dim];
	}
	f *= inv;
	for (j = 0; j < dim; j++)
		g[j] *= inv;
	if (P->lambda > 0)
		for (k = 0; k < P->nw; k++)
			for (j = 0; j < P->p; j++) {
				double w = th[k * p1 + j];

				g[k * p1 + j] += P->lambda * w;
				f += 0.5 * P->lambda * w * w;
			}
	P->evals++;
	return f;
}

/* ---------------------------------------------------------- L-BFGS --- */

struct lr_mem {
	size_t		 dim;
	int		 cnt, head;	/* pairs kept, next slot */
	double		*s, *y;		/* LR_MEM x dim */
	double		 rho[LR_MEM], a[LR_MEM];
	double		*H0;		/* Cholesky factor of the initial
					 * Hessian (dim x dim), or NULL */
	double		*Hd;		/* or a diagonal one (dim), or NULL */
	double		 gam;		/* its scale: s'y / y'H0^-1 y */
	double		*tmp;		/* dim */
};

struct lr_run {
	long		 iter;
	enum lr_status	 status;
	double		 gmax;
};

static double
lr_dot(const double *a, const double *b, size_t n)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

static double
lr_maxabs(const double *a, size_t n)
{
	double m = 0;
	size_t i;

	for (i = 0; i < n; i++)
		m = fmax(m, fabs(a[i]));
	return m;
}

/*
 * Solve (L L') x = b in place, L lower triangular (n x n, column-major):
 * forward then backward substitution, along columns.  (LAPACK dpotrs
 * does the same, but OpenBLAS wakes its threads for it, which costs
 * more than the solve at these sizes.)
 */
static void
lr_cholsolve(const double *L, size_t n, double *b)
{
	size_t i, j;

	for (j = 0; j < n; j++) {
		const double *col = L + j * n;

		b[j] /= col[j];
		for (i = j + 1; i < n; i++)
			b[i] -= col[i] * b[j];
	}
	for (j = n; j-- > 0;) {
		const double *col = L + j * n;
		double s = b[j];

		for (i = j + 1; i < n; i++)
			s -= col[i] * b[i];
		b[j] = s / col[j];
	}
}

/* d = -H g, H the L-BFGS inverse Hessian (two-loop recursion). */
static void
lr_direction(struct lr_mem *M, const double *g, double *d)
{
	size_t n = M->dim, i;
	int k, slot, newest;

	for (i = 0; i < n; i++)
		d[i] = -g[i];
	if (M->cnt == 0 && M->H0 == NULL && M->Hd == NULL)
		return;
	for (k = 0; k < M->cnt; k++) {
		slot = (M->head - 1 - k + 2 * LR_MEM) % LR_MEM;
		M->a[slot] = M->rho[slot] * lr_dot(M->s + slot * n, d, n);
		for (i = 0; i < n; i++)
			d[i] -= M->a[slot] * M->y[slot * n + i];
	}
	if (M->H0 != NULL) {
		lr_cholsolve(M->H0, n, d);
		if (M->cnt > 0)
			for (i = 0; i < n; i++)
				d[i] *= M->gam;
	} else if (M->Hd != NULL) {
		for (i = 0; i < n; i++)
			d[i] *= (M->cnt > 0 ? M->gam : 1) / M->Hd[i];
	} else {
		double gam;

		newest = (M->head - 1 + LR_MEM) % LR_MEM;
		gam = 1 / (M->rho[newest] * lr_dot(M->y + newest * n,
		    M->y + newest * n, n));
		for (i = 0; i < n; i++)
			d[i] *= gam;
	}
	for (k = M->cnt - 1; k >= 0; k--) {
		double b;

		slot = (M->head - 1 - k + 2 * LR_MEM) % LR_MEM;
		b = M->rho[slot] * lr_dot(M->y + slot * n, d, n);
		for (i = 0; i < n; i++)
			d[i] += (M->a[slot] - b) * M->s[slot * n + i];
	}
}

/* Scratch of the line search. */
struct lr_ls {
	double		*xn, *gn, *xlo, *glo;
};

/*
 * Line search from x (value *f, gradient g) along d (slope d0 < 0),
 * first trying step a: a step with
 *	f(x + a d) <= f + 1e-4 a d0 (+ rounding slack)
 *	|g(x + a d) . d| <= 0.9 |d0|
 * (strong Wolfe).  Trial steps: the secant of the slope inside a
 * bracket, else 4 times larger.  On success x, g, *f are the new point
 * and 0 is returned; 1: no step found (x unchanged).
 */
static int
lr_search(struct lr_prob *P, struct lr_ls *L, double *x, double *f,
    double *g, const double *d, double d0, double a)
{
	size_t n = P->dim, i;
	double f0 = *f, lo = 0, flo = f0, dlo = d0, hi = INFINITY, dhi = NAN;
	double slack = 64 * DBL_EPSILON * (1 + fabs(f0)), fa, da, w, an;
	int t, have_lo = 0;

	for (t = 0; t < 40; t++) {
		for (i = 0; i < n; i++)
			L->xn[i] = x[i] + a * d[i];
		fa = lr_eval(P, L->xn, L->gn);
		da = lr_dot(L->gn, d, n);
		if (!isfinite(fa) || !isfinite(da) ||
		    fa > f0 + 1e-4 * a * d0 + slack) {
			hi = a;
			dhi = isfinite(da) && isfinite(fa) ? da : NAN;
		} else if (fabs(da) <= -0.9 * d0) {
			memcpy(x, L->xn, n * sizeof *x);
			memcpy(g, L->gn, n * sizeof *g);
			*f = fa;
			return 0;
		} else if (da > 0) {
			hi = a;
			dhi = da;
		} else {
			lo = a;
			flo = fa;
			dlo = da;
			memcpy(L->xlo, L->xn, n * sizeof *x);
			memcpy(L->glo, L->gn, n * sizeof *g);
			have_lo = 1;
		}
		if (isinf(hi)) {
			a *= 4;
			if (a > 1e20)
				break;
			continue;
		}
		w = hi - lo;
		if (w <= 1e-15 * hi)
			break;
		if (isfinite(dhi) && dhi > dlo)
			an = lo - dlo * w / (dhi - dlo);
		else
			an = lo + 0.5 * w;
		if (!(an >= lo + 0.05 * w))
			an = lo + 0.05 * w;
		if (!(an <= hi - 0.05 * w))
			an = hi - 0.05 * w;
		a = an;
	}
	if (have_lo) {
		memcpy(x, L->xlo, n * sizeof *x);
		memcpy(g, L->glo, n * sizeof *g);
		*f = flo;
		return 0;
	}
	return 1;
}

/*
 * Minimise P's objective from x (updated in place) until max |gradient|
 * <= tol or max_iter iterations, with (and updating) the memory M.
 * Progress goes from p0 to p1.  Returns 0, -1 when cancelled (e set),
 * -2 when the objective is not finite at x.
 */
static int
lr_lbfgs(struct lr_prob *P, double *x, double tol, long max_iter,
    struct lr_mem *M, struct lr_run *R, const struct model_ctx *ctx,
    double p0, double p1, struct err *e)
{
	size_t n = P->dim, i;
	double *g, *d, *xo, *go, f, gmax, g0, d0, a;
	struct lr_ls L;
	int rc = 0, fresh = 0;

	g = xmalloc(n * sizeof *g);
	d = xmalloc(n * sizeof *d);
	xo = xmalloc(n * sizeof *xo);
	go = xmalloc(n * sizeof *go);
	L.xn = xmalloc(n * sizeof *L.xn);
	L.gn = xmalloc(n * sizeof *L.gn);
	L.xlo = xmalloc(n * sizeof *L.xlo);
	L.glo = xmalloc(n * sizeof *L.glo);
	R->iter = 0;
	R->status = LR_MAXITER;
	R->gmax = NAN;
	f = lr_eval(P, x, g);
	if (!isfinite(f) || !isfinite(lr_dot(g, g, n))) {
		rc = -2;
		goto out;
	}
	g0 = lr_maxabs(g, n);
	for (;;) {
		R->gmax = gmax = lr_maxabs(g, n);
		if (gmax <= tol) {
			R->status = LR_CONVERGED;
			break;
		}
		if (R->iter >= max_iter)
			break;
		if (model_cancelled(ctx)) {
			rc = err_set(e, ERR_CANCEL, "cancelled");
			break;
		}
		if (g0 > tol && tol > 0)
			model_progress(ctx, p0 + (p1 - p0) * fmin(1, fmax(0,
			    log(g0 / gmax) / log(g0 / tol))));
		lr_direction(M, g, d);
		d0 = lr_dot(g, d, n);
		if (!(d0 < 0)) {
			/* Not downhill (rounding): forget, then -g. */
			M->cnt = 0;
			lr_direction(M, g, d);
			d0 = lr_dot(g, d, n);
			if (!(d0 < 0)) {
				M->H0 = NULL;
				M->Hd = NULL;
				lr_direction(M, g, d);
				d0 = lr_dot(g, d, n);
			}
		}
		a = M->cnt == 0 && M->H0 == NULL && M->Hd == NULL ?
		    fmin(1, 1 / sqrt(-d0)) : 1;
		memcpy(xo, x, n * sizeof *x);
		memcpy(go, g, n * sizeof *g);
		if (lr_search(P, &L, x, &f, g, d, d0, a) != 0) {
			/* No progress along d: retry once along -g. */
			if ((M->cnt == 0 && M->H0 == NULL && M->Hd == NULL) ||
			    fresh) {
				R->status = LR_STALLED;
				break;
			}
			M->cnt = 0;
			M->H0 = NULL;
			M->Hd = NULL;
			fresh = 1;
			continue;
		}
		fresh = 0;
		R->iter++;
		/* The new pair s = x - xo, y = g - go. */
		{
			int slot = M->head;
			double *s = M->s + slot * n, *y = M->y + slot * n, sy;

			for (i = 0; i < n; i++) {
				s[i] = x[i] - xo[i];
				y[i] = g[i] - go[i];
			}
			sy = lr_dot(s, y, n);
			if (sy > DBL_EPSILON * lr_dot(y, y, n)) {
				M->rho[slot] = 1 / sy;
				if (M->H0 != NULL) {
					memcpy(M->tmp, y, n * sizeof *y);
					lr_cholsolve(M->H0, n, M->tmp);
					M->gam = sy / lr_dot(y, M->tmp, n);
				} else if (M->Hd != NULL) {
					for (i = 0; i < n; i++)
						M->tmp[i] = y[i] / M->Hd[i];
					M->gam = sy / lr_dot(y, M->tmp, n);
				}
				M->head = (M->head + 1) % LR_MEM;
				if (M->cnt < LR_MEM)
					M->cnt++;
			}
		}
	}
out:
	free(g);
	free(d);
	free(xo);
	free(go);
	free(L.xn);
	free(L.gn);
	free(L.xlo);
	free(L.glo);
	return rc;
}

/*
 * The diagonal of P's Hessian at W = 0 (every probability 1/K, two
 * classes 1/2): the initial inverse Hessian of the first L-BFGS, which
 * evens out features of very different scales (rare indicators,
 * unscaled numbers).  A diagonal entry of 0 (a feature that is always 0
 * without a penalty) becomes 1.
 */
static void
lr_hdiag(const struct lr_prob *P, double *h)
{
	size_t p1 = P->p + 1, K = P->nw, j, r, g, k;
	double q = K == 1 ? 0.25 : (1.0 / (double)K) * (1 - 1.0 /
	    (double)K), *u;

	u = xcalloc(p1, sizeof *u);
	for (j = 0; j < P->c.nnum; j++) {
		const double *x = P->c.num[j];
		double s = 0;

		if (P->cw != NULL)
			for (r = 0; r < P->n; r++)
				s += P->cw[P->cls[r]] * x[r] * x[r];
		else
			for (r = 0; r < P->n; r++)
				s += x[r] * x[r];
		u[P->c.numj[j]] = s;
	}
	for (g = 0; g < P->c.X->ngroups; g++) {
		const struct fgroup *gr = &P->c.X->groups[g];

		for (r = 0; r < P->n; r++) {
			int32_t c = gr->idx[r];

			if (c >= 0 && c < gr->ncodes && gr->feat[c] >= 0)
				u[gr->feat[c]] += P->cw != NULL ?
				    P->cw[P->cls[r]] : 1;
		}
	}
	for (r = 0; r < P->n; r++)
		u[P->p] += P->cw != NULL ? P->cw[P->cls[r]] : 1;
	for (k = 0; k < K; k++)
		for (j = 0; j < p1; j++) {
			double v = q * u[j] / (double)P->n +
			    (j < P->p ? P->lambda : 0);

			h[k * p1 + j] = v > 0 ? v : 1;
		}
	free(u);
}

/* Add v to the lower triangle of H (D x D, column-major) at (a, b). */
static inline void
lr_hadd(double *H, size_t D, size_t a, size_t b, double v)
{
	if (a >= b)
		H[a + b * D] += v;
	else
		H[b + a * D] += v;
}

/*
 * Two classes: H += sum_i c_i s_i (1 - s_i) x~_i x~_i' over P's rows.
 * The numbers and the intercept go through BLAS dsyrk a block at a time;
 * an indicator (one-hot) adds one lookup per row and group.
 */
static void
lr_hess_binary(const struct lr_prob *P, const double *th, double *H)
{
	size_t D = P->dim, nn = P->c.nnum, ng = P->c.X->ngroups, m = nn + 1;
	size_t from, i, a, b, g, na;
	double *z = xmalloc(LR_BLK * sizeof *z), *B, *Hn, *h;
	size_t *act = xmalloc((ng + 1) * sizeof *act);
	const double one = 1;
	int im = (int)m;

	B = xmalloc(LR_BLK * m * sizeof *B);
	Hn = xcalloc(m * m, sizeof *Hn);
	h = xmalloc(LR_BLK * sizeof *h);
	for (from = 0; from < P->n; from += LR_BLK) {
		size_t nb = P->n - from < LR_BLK ? P->n - from : LR_BLK;
		int inb = (int)nb;

		lr_xw(&P->c, th, from, nb, z);
		for (i = 0; i < nb; i++) {
			double e = exp(-fabs(z[i]));

			h[i] = (P->cw != NULL ? P->cw[P->cls[from + i]] : 1) *
			    e / ((1 + e) * (1 + e));
			B[i + nn * nb] = sqrt(h[i]);
		}
		for (a = 0; a < nn; a++)
			for (i = 0; i < nb; i++)
				B[i + a * nb] = B[i + nn * nb] *
				    P->c.num[a][from + i];
		dsyrk_("L", "T", &im, &inb, &one, B, &inb, &one, Hn, &im, 1,
		    1);
		for (i = 0; i < nb && ng > 0; i++) {
			na = 0;
			for (g = 0; g < ng; g++) {
				const struct fgroup *gr = &P->c.X->groups[g];
				int32_t c = gr->idx[from + i];

				if (c >= 0 && c < gr->ncodes && gr->feat[c] >= 0)
					act[na++] = (size_t)gr->feat[c];
			}
			for (a = 0; a < na; a++) {
				for (b = 0; b < nn; b++)
					lr_hadd(H, D, act[a], P->c.numj[b],
					    h[i] * P->c.num[b][from + i]);
				lr_hadd(H, D, P->p, act[a], h[i]);
				for (b = 0; b <= a; b++)
					lr_hadd(H, D, act[a], act[b], h[i]);
			}
		}
	}
	/* Hn's rows and columns are the numbers, then the intercept. */
	for (b = 0; b < m; b++)
		for (a = b; a < m; a++)
			lr_hadd(H, D, a < nn ? P->c.numj[a] : P->p, b < nn ?
			    P->c.numj[b] : P->p, Hn[a + b * m]);
	free(z);
	free(B);
	free(Hn);
	free(h);
	free(act);
}

/*
 * Softmax: H += sum_i c_i (diag(P_i) - P_i P_i') (x) x~_i x~_i' over
 * every step-th row of P; returns the number of rows.
 */
static size_t
lr_hess_softmax(const struct lr_prob *P, const double *th, double *H,
    size_t step)
{
	size_t D = P->dim, p1 = P->p + 1, K = P->nw, from, i, a, b, k, l;
	size_t nn = P->c.nnum, ng = P->c.X->ngroups, nz, rows = 0;
	double *z = xmalloc(K * LR_BLK * sizeof *z), *xv, *A, *pk;
	size_t *xi;

	xv = xmalloc((nn + ng + 1) * sizeof *xv);
	xi = xmalloc((nn + ng + 1) * sizeof *xi);
	A = xmalloc(K * K * sizeof *A);
	pk = xmalloc(K * sizeof *pk);
	for (from = 0; from < P->n; from += LR_BLK) {
		size_t nb = P->n - from < LR_BLK ? P->n - from : LR_BLK;

		for (k = 0; k < K; k++)
			lr_xw(&P->c, th + k * p1, from, nb, z + k * LR_BLK);
		for (i = 0; i < nb; i++) {
			size_t r = from + i;
			double w, mx, s = 0;

			if (r % step != 0)
				continue;
			rows++;
			w = P->cw != NULL ? P->cw[P->cls[r]] : 1;
			/* The row's features in ascending order. */
			nz = 0;
			for (a = 0; a < nn; a++) {
				xi[nz] = P->c.numj[a];
				xv[nz++] = P->c.num[a][r];
			}
			for (a = 0; a < ng; a++) {
				const struct fgroup *gr = &P->c.X->groups[a];
				int32_t c = gr->idx[r];
				size_t f, q;

				if (c < 0 || c >= gr->ncodes || gr->feat[c] < 0)
					continue;
				f = (size_t)gr->feat[c];
				for (q = nz; q > 0 && xi[q - 1] > f; q--) {
					xi[q] = xi[q - 1];
					xv[q] = xv[q - 1];
				}
				xi[q] = f;
				xv[q] = 1;
				nz++;
			}
			xi[nz] = P->p;
			xv[nz++] = 1;
			mx = z[i];
			for (k = 1; k < K; k++)
				mx = fmax(mx, z[k * LR_BLK + i]);
			for (k = 0; k < K; k++)
				s += (pk[k] = exp(z[k * LR_BLK + i] - mx));
			for (k = 0; k < K; k++)
				pk[k] /= s;
			for (k = 0; k < K; k++)
				for (l = 0; l < K; l++)
					A[k * K + l] = w * ((k == l ? pk[k] : 0) -
					    pk[k] * pk[l]);
			/* Lower triangle: entry (k a, l b), k a >= l b. */
			for (k = 0; k < K; k++)
				for (l = 0; l <= k; l++) {
					double akl = A[k * K + l];

					for (b = 0; b < nz; b++) {
						double *col = H + (l * p1 +
						    xi[b]) * D + k * p1;
						double vb = akl * xv[b];

						for (a = l == k ? b : 0; a < nz;
						    a++)
							col[xi[a]] += vb * xv[a];
					}
				}
		}
	}
	free(z);
	free(xv);
	free(xi);
	free(A);
	free(pk);
	return rows;
}

/* Every how many rows lr_hessian() reads: about 4e7 operations. */
static size_t
lr_hessian_step(const struct lr_prob *P)
{
	double nz = (double)(P->c.nnum + P->c.X->ngroups + 1);
	double work = (double)(P->nw * P->nw) * nz * nz / 2;

	if (P->nw == 1)
		return 1;
	return (size_t)fmax(1, ceil((double)P->n * work / 4e7));
}

/* About how many operations lr_hessian() takes. */
static double
lr_hessian_cost(const struct lr_prob *P)
{
	double nz = (double)(P->c.nnum + P->c.X->ngroups + 1);
	double D = (double)P->dim;

	return (double)P->n / (double)lr_hessian_step(P) * (double)(P->nw *
	    P->nw) * nz * nz / 2 + D * D * D / 3;
}

/*
 * The Hessian of P's mean objective at th (dim x dim, column-major,
 * lower triangle), factored by Cholesky into H: the initial inverse
 * Hessian of the L-BFGS on the full data.  Row i adds
 *	two classes: c_i s(1 - s) x~ x~'
 *	softmax:     c_i (diag(P) - P P') (x) x~ x~'
 * (x~: the row with a 1 appended for the intercept); softmax takes every
 * step-th row only, step such that the sum costs about 4e7 operations.
 * Then lambda goes on the weights' diagonal.  Returns 0, or -1 when it
 * is not positive definite even with a little added to the diagonal.
 */
static int
lr_hessian(const struct lr_prob *P, const double *th, double *H)
{
	size_t D = P->dim, p1 = P->p + 1, K = P->nw, a, b, k, rows;
	double *diag, dmax, *F;
	int info = 0, dn = (int)D, tries;

	memset(H, 0, D * D * sizeof *H);
	if (K == 1) {
		lr_hess_binary(P, th, H);
		rows = P->n;
	} else
		rows = lr_hess_softmax(P, th, H, lr_hessian_step(P));
	for (a = 0; a < D; a++)
		for (b = a; b < D; b++)
			H[b + a * D] /= (double)rows;
	for (k = 0; k < K; k++)
		for (a = 0; a < P->p; a++)
			H[(k * p1 + a) * (D + 1)] += P->lambda;
	/* Cholesky; on failure add a little more to the diagonal. */
	diag = xmalloc(D * sizeof *diag);
	F = xmalloc(D * D * sizeof *F);
	dmax = 0;
	for (a = 0; a < D; a++) {
		diag[a] = H[a * (D + 1)];
		dmax = fmax(dmax, diag[a]);
	}
	for (tries = 0; tries < 4; tries++) {
		double jit = tries == 0 ? 0 : dmax * pow(1e3, tries) * 1e-12;

		memcpy(F, H, D * D * sizeof *F);
		for (a = 0; a < D; a++)
			F[a * (D + 1)] = diag[a] + jit;
		dpotrf_("L", &dn, F, &dn, &info, 1);
		if (info == 0) {
			memcpy(H, F, D * D * sizeof *F);
			break;
		}
	}
	free(F);
	free(diag);
	return info == 0 ? 0 : -1;
}

/* ------------------------------------------------------------- fit --- */

/*
 * The warm start's rows, copied into a fmat of its own (and their
 * classes): the first LR_RUN rows of every LR_STRIDE * LR_RUN, so that
 * the copy reads whole cache lines.
 */
static void
lr_subsample(const struct fmat *X, const int32_t *cls, struct fmat *S,
    int32_t **scls)
{
	size_t per = LR_STRIDE * LR_RUN, full = X->n / per, n, j, g, b;
	size_t last = X->n - full * per;

	n = full * LR_RUN + (last < LR_RUN ? last : LR_RUN);
	memset(S, 0, sizeof *S);
	S->n = n;
	S->p = X->p;
	S->cols = xcalloc(X->p + 1, sizeof *S->cols);
	S->ngroups = X->ngroups;
	S->groups = xcalloc(X->ngroups + 1, sizeof *S->groups);
	for (g = 0; g < X->ngroups; g++) {
		int32_t *idx = xmalloc((n + 1) * sizeof *idx);

		for (b = 0; b * LR_RUN < n; b++)
			memcpy(idx + b * LR_RUN, X->groups[g].idx + b * per,
			    (n - b * LR_RUN < LR_RUN ? n - b * LR_RUN :
			    LR_RUN) * sizeof *idx);
		S->groups[g] = X->groups[g];	/* feat borrowed */
		S->groups[g].idx = idx;
	}
	for (j = 0; j < X->p; j++) {
		S->cols[j] = X->cols[j];
		if (X->cols[j].kind == FC_NUM) {
			double *v = xmalloc((n + 1) * sizeof *v);

			for (b = 0; b * LR_RUN < n; b++)
				memcpy(v + b * LR_RUN, X->cols[j].num + b * per,
				    (n - b * LR_RUN < LR_RUN ? n - b * LR_RUN :
				    LR_RUN) * sizeof *v);
			S->cols[j].num = v;
		} else if (X->cols[j].kind == FC_IND)
			S->cols[j].idx = S->groups[X->cols[j].group].idx;
	}
	*scls = xmalloc((n + 1) * sizeof **scls);
	for (b = 0; b * LR_RUN < n; b++)
		memcpy(*scls + b * LR_RUN, cls + b * per, (n - b * LR_RUN <
		    LR_RUN ? n - b * LR_RUN : LR_RUN) * sizeof **scls);
}

static void
lr_subsample_free(struct fmat *S, int32_t *scls)
{
	size_t j, g;

	for (j = 0; j < S->p; j++)
		if (S->cols[j].kind == FC_NUM)
			free((double *)S->cols[j].num);
	for (g = 0; g < S->ngroups; g++)
		free((int32_t *)S->groups[g].idx);
	free(S->cols);
	free(S->groups);
	free(scls);
}

static void
lr_free(struct model *m)
{
	struct lr *s = m->state;

	if (s == NULL)
		return;
	free(s->coef);
	free(s->icpt);
	free(s);
	m->state = NULL;
}

static int
lr_check(struct model *m, struct err *e)
{
	if (!(params_num(&m->params, "C") > 0))
		return err_set(e, ERR_SPEC, "model 'logistic': C must be "
		    "greater than 0");
	if (strcmp(params_str(&m->params, "penalty"), "l1") == 0 &&
	    params_given(&m->params, "tol") &&
	    !(params_num(&m->params, "tol") > 0))
		return err_set(e, ERR_SPEC, "model 'logistic': penalty=l1 "
		    "needs tol greater than 0");
	return 0;
}

/* The message for a non-finite objective: missing values, else sizes. */
static int
lr_not_finite(const struct fmat *X, struct err *e)
{
	if (fmat_check_numeric(X, 0, "model 'logistic'", e) != 0)
		return -1;
	return err_set(e, ERR_DATA, "model 'logistic': the loss is not "
	    "finite: the features hold infinite or very large values "
	    "(rescale them first, 'step scale')");
}

/* L-BFGS on the data (penalty l2 / none); W: nw x (p + 1). */
static int
lr_fit_lbfgs(struct model *m, const struct fmat *X, const struct target *y,
    const double *cw, size_t nw, double *W, struct lr_run *R, long *passes,
    const struct model_ctx *ctx, struct err *e)
{
	double C = params_num(&m->params, "C"), tol = params_num(&m->params,
	    "tol"), lambda;
	long max_iter = params_int(&m->params, "max_iter");
	int threads = ctx != NULL ? ctx->threads : 1, rc;
	size_t dim = nw * (X->p + 1);
	struct lr_mem M;
	struct lr_prob P;
	double pstart, *H0 = NULL, *Hd, tol1;
	int sub = X->n >= LR_SUBMIN;
	struct fmat S;
	int32_t *scls = NULL;
	struct lr_run R1;

	lambda = strcmp(params_str(&m->params, "penalty"), "none") == 0 ? 0 :
	    1 / (C * (double)X->n);
	memset(&M, 0, sizeof M);
	M.dim = dim;
	M.s = xmalloc(LR_MEM * dim * sizeof *M.s);
	M.y = xmalloc(LR_MEM * dim * sizeof *M.y);
	M.tmp = xmalloc(dim * sizeof *M.tmp);
	Hd = xmalloc(dim * sizeof *Hd);
	memset(W, 0, dim * sizeof *W);
	/*
	 * Phase 1, preconditioned by the diagonal of the Hessian at 0: on
	 * the subsample (large data) as far as its sampling error, about
	 * 0.002 / sqrt(rows), makes sense; else on the data to 1e-4.
	 */
	if (sub) {
		lr_subsample(X, y->cls, &S, &scls);
		lr_prob_init(&P, &S, scls, nw, cw, lambda, threads);
		tol1 = fmax(tol, 0.002 / sqrt((double)S.n));
		pstart = 0.3;
	} else {
		lr_prob_init(&P, X, y->cls, nw, cw, lambda, threads);
		tol1 = fmax(tol, 1e-4);
		pstart = 0.5;
	}
	lr_hdiag(&P, Hd);
	M.Hd = Hd;
	rc = lr_lbfgs(&P, W, tol1, dim <= LR_HMAX && max_iter > LR_IT1 ?
	    LR_IT1 : max_iter, &M, &R1, ctx, 0, pstart, e);
	/*
	 * Phase 2 starts from the Hessian there, when not too large, and
	 * when it pays: always on large data (a pass over it costs more);
	 * on the rest when phase 1 was slow or the Hessian costs less than
	 * about 10 passes.
	 */
	if (rc == 0 && dim <= LR_HMAX && R1.iter < max_iter &&
	    !(R1.status == LR_CONVERGED && R1.gmax <= tol && !sub) &&
	    (sub || R1.iter >= LR_IT1 || lr_hessian_cost(&P) <= 10 *
	    4 * (double)P.n * (double)nw * (double)(P.c.nnum +
	    X->ngroups + 1))) {
		H0 = xmalloc(dim * dim * sizeof *H0);
		if (lr_hessian(&P, W, H0) == 0) {
			M.H0 = H0;
			M.cnt = 0;
		}
	}
	if (sub) {
		lr_prob_release(&P);
		lr_subsample_free(&S, scls);
		if (rc == -2) {
			/* Start from zero: the full pass finds the cause. */
			memset(W, 0, dim * sizeof *W);
			M.cnt = 0;
			M.H0 = NULL;
			rc = 0;
		}
		if (rc != 0)
			goto out;
		lr_prob_init(&P, X, y->cls, nw, cw, lambda, threads);
	}
	if (rc == 0) {
		rc = lr_lbfgs(&P, W, tol, sub ? max_iter : max_iter - R1.iter,
		    &M, R, ctx, pstart, 1, e);
		if (!sub)
			R->iter += R1.iter;
		*passes = P.evals;
	}
	lr_prob_release(&P);
out:
	free(M.s);
	free(M.y);
	free(M.tmp);
	free(H0);
	free(Hd);
	if (rc == -2)
		return lr_not_finite(X, e);
	return rc;
}

static int
lr_fit(struct model *m, const struct fmat *X, const struct target *y,
    const struct model_ctx *ctx, struct err *e)
{
	const char *pen = params_str(&m->params, "penalty");
	size_t p = X->p, K = y->nclasses, nw = K == 2 ? 1 : K, k, j;
	double *W, *cw;
	struct lr_run R;
	struct lr *s;
	long passes = 0;
	int rc, l1 = strcmp(pen, "l1") == 0;

	if (lr_check(m, e) != 0 ||
	    fmat_check_numeric(X, !l1, "model 'logistic'", e) != 0)
		return -1;
	model_progress(ctx, 0);
	cw = target_class_weights(params_str(&m->params, "class_weight"), y);
	W = xmalloc(nw * (p + 1) * sizeof *W);
	memset(&R, 0, sizeof R);
	if (l1) {
		int maxed;

		rc = liblinear_ovr(X, y, L1R_LR, params_num(&m->params, "C"),
		    params_given(&m->params, "tol") ? params_num(&m->params,
		    "tol") : 1e-4, cw, (unsigned)params_int(&m->params,
		    "seed"), ctx, W, &R.iter, &maxed, e);
		R.status = maxed ? LR_MAXITER : LR_CONVERGED;
		R.gmax = NAN;
	} else
		rc = lr_fit_lbfgs(m, X, y, cw, nw, W, &R, &passes, ctx, e);
	free(cw);
	if (rc != 0) {
		free(W);
		return -1;
	}
	s = xcalloc(1, sizeof *s);
	s->p = p;
	s->nw = nw;
	s->link = nw == 1 ? LR_SIGMOID : l1 ? LR_OVR : LR_SOFTMAX;
	s->coef = xmalloc((nw * p + 1) * sizeof *s->coef);
	s->icpt = xmalloc(nw * sizeof *s->icpt);
	for (k = 0; k < nw; k++) {
		for (j = 0; j < p; j++)
			s->coef[k * p + j] = W[k * (p + 1) + j];
		s->icpt[k] = W[k * (p + 1) + p];
	}
	free(W);
	if (s->link == LR_SOFTMAX) {
		double mean = 0;

		for (k = 0; k < nw; k++)
			mean += s->icpt[k];
		mean /= (double)nw;
		for (k = 0; k < nw; k++)
			s->icpt[k] -= mean;
	}
	s->n_iter = R.iter;
	s->passes = passes;
	s->status = R.status;
	s->gmax = R.gmax;
	lr_free(m);
	m->state = s;
	model_progress(ctx, 1);
	return 0;
}

/* --------------------------------------------------------- predict --- */

/*
 * Decision values of the block [from, from + nb): z[k * LR_BLK + i].
 * Returns 1 when one is NaN (a missing value).
 */
static int
lr_decide(const struct lr *s, const struct lr_cols *c, double *wb,
    size_t from, size_t nb, double *z)
{
	size_t k, i;
	int bad = 0;

	for (k = 0; k < s->nw; k++) {
		memcpy(wb, s->coef + k * s->p, s->p * sizeof *wb);
		wb[s->p] = s->icpt[k];
		lr_xw(c, wb, from, nb, z + k * LR_BLK);
		for (i = 0; i < nb; i++)
			bad |= isnan(z[k * LR_BLK + i]);
	}
	return bad;
}

/* Probabilities (proba != NULL, n x classes) or classes (out). */
static int
lr_apply(const struct model *m, const struct fmat *X, double *out,
    double *proba, struct err *e)
{
	const struct lr *s = m->state;
	size_t n = X->n, nw = s->nw, K = m->nclasses, from, i, k;
	struct lr_cols c;
	double *z, *wb;
	int rc = 0;

	if (model_check_features(m, X, e) != 0 ||
	    fmat_check_numeric(X, 1, "model 'logistic'", e) != 0)
		return -1;
	lr_cols_init(&c, X);
	z = xmalloc(nw * LR_BLK * sizeof *z);
	wb = xmalloc((s->p + 1) * sizeof *wb);
	for (from = 0; from < n; from += LR_BLK) {
		size_t nb = n - from < LR_BLK ? n - from : LR_BLK;

		if (lr_decide(s, &c, wb, from, nb, z) &&
		    fmat_check_numeric(X, 0, "model 'logistic'", e) != 0) {
			rc = -1;
			break;
		}
		for (i = 0; i < nb; i++) {
			double *P = proba != NULL ? proba + (from + i) * K :
			    NULL;

			if (s->link == LR_SIGMOID) {
				double zi = z[i], ez = exp(-fabs(zi)), p1;

				if (P == NULL) {
					out[from + i] = zi > 0;
					continue;
				}
				p1 = zi >= 0 ? 1 / (1 + ez) : ez / (1 + ez);
				P[0] = 1 - p1;
				P[1] = p1;
				continue;
			}
			if (P == NULL) {
				size_t best = 0;

				for (k = 1; k < nw; k++)
					if (z[k * LR_BLK + i] >
					    z[best * LR_BLK + i])
						best = k;
				out[from + i] = (double)best;
				continue;
			}
			if (s->link == LR_SOFTMAX) {
				double mx = z[i], sum = 0;

				for (k = 1; k < nw; k++)
					mx = fmax(mx, z[k * LR_BLK + i]);
				for (k = 0; k < nw; k++) {
					P[k] = exp(z[k * LR_BLK + i] - mx);
					sum += P[k];
				}
				for (k = 0; k < nw; k++)
					P[k] /= sum;
			} else {
				double sum = 0;

				for (k = 0; k < nw; k++) {
					double zk = z[k * LR_BLK + i];
					double ez = exp(-fabs(zk));

					P[k] = zk >= 0 ? 1 / (1 + ez) :
					    ez / (1 + ez);
					sum += P[k];
				}
				for (k = 0; k < nw; k++)
					P[k] /= sum;
			}
		}
	}
	free(z);
	free(wb);
	lr_cols_release(&c);
	return rc;
}

static int
lr_predict(const struct model *m, const struct fmat *X, double *out,
    struct err *e)
{
	return lr_apply(m, X, out, NULL, e);
}

static int
lr_predict_proba(const struct model *m, const struct fmat *X, double *proba,
    struct err *e)
{
	return lr_apply(m, X, NULL, proba, e);
}

static const char *
lr_importances(const struct model *m, double *out)
{
	const struct lr *s = m->state;
	size_t j, k;

	if (s->nw == 1) {
		memcpy(out, s->coef, s->p * sizeof *out);
		return "coefficient";
	}
	for (j = 0; j < s->p; j++) {
		out[j] = 0;
		for (k = 0; k < s->nw; k++)
			out[j] += fabs(s->coef[k * s->p + j]);
		out[j] /= (double)s->nw;
	}
	return "mean |coefficient|";
}

static void
lr_describe(const struct model *m, struct strbuf *sb)
{
	const struct lr *s = m->state;
	const char *pen = params_str(&m->params, "penalty");

	strbuf_addf(sb, "logistic C=%g", params_num(&m->params, "C"));
	if (strcmp(pen, "l2") != 0)
		strbuf_addf(sb, " penalty=%s", pen);
	if (params_given(&m->params, "tol"))
		strbuf_addf(sb, " tol=%g", params_num(&m->params, "tol"));
	if (strcmp(params_str(&m->params, "class_weight"), "none") != 0)
		strbuf_addstr(sb, " class_weight=balanced");
	if (s == NULL)
		return;
	if (s->link == LR_SIGMOID)
		strbuf_addf(sb, ": binary, %zu coefficient%s, intercept %g",
		    s->p, s->p == 1 ? "" : "s", s->icpt[0]);
	else
		strbuf_addf(sb, ": %zu classes (%s), %zu x %zu coefficients",
		    s->nw, s->link == LR_SOFTMAX ? "softmax" : "one-vs-rest",
		    s->nw, s->p);
	if (s->status == LR_MAXITER && s->link == LR_OVR)
		strbuf_addf(sb, " (not converged: liblinear stopped at its "
		    "iteration limit; raise tol or scale the features)");
	else if (s->status == LR_MAXITER)
		strbuf_addf(sb, " (not converged after %ld iteration%s: "
		    "raise max_iter or scale the features)", s->n_iter,
		    s->n_iter == 1 ? "" : "s");
	else if (s->status == LR_STALLED)
		strbuf_addf(sb, " (stopped after %ld iteration%s at max "
		    "|gradient| %.2g > tol: no step lowers the loss any more)",
		    s->n_iter, s->n_iter == 1 ? "" : "s", s->gmax);
	else
		strbuf_addf(sb, ", %ld iteration%s", s->n_iter,
		    s->n_iter == 1 ? "" : "s");
}

static void
lr_save(const struct model *m, struct strbuf *sb)
{
	const struct lr *s = m->state;

	state_put_str(sb, "link", lr_link_names[s->link]);
	state_put_nums(sb, "coef", s->nw * s->p, s->coef);
	state_put_nums(sb, "intercept", s->nw, s->icpt);
	state_put_int(sb, "n_iter", s->n_iter);
	state_put_int(sb, "passes", s->passes);
	state_put_str(sb, "status", lr_status_names[s->status]);
	state_put_num(sb, "gmax", s->gmax);
}

/* The index of WORD in names[0..n), or -1. */
static int
lr_word(const char *word, const char *const *names, int n)
{
	int k;

	for (k = 0; k < n; k++)
		if (strcmp(word, names[k]) == 0)
			return k;
	return -1;
}

static int
lr_load(struct model *m, const struct state *st, struct err *e)
{
	struct lr *s = xcalloc(1, sizeof *s);
	char *link = NULL, *status = NULL;
	size_t nc, want;
	long long it, ps;
	int k, q;

	m->state = s;
	if (state_get_str(st, "link", &link, e) != 0 ||
	    state_get_str(st, "status", &status, e) != 0) {
		free(link);
		return -1;
	}
	k = lr_word(link, lr_link_names, 3);
	q = lr_word(status, lr_status_names, 3);
	free(link);
	free(status);
	if (k < 0 || q < 0)
		return err_set(e, ERR_DATA, "%s: unknown %s", st->what, k < 0 ?
		    "link" : "status");
	s->link = (enum lr_link)k;
	s->status = (enum lr_status)q;
	if (state_get_nums(st, "coef", &s->coef, &nc, e) != 0 ||
	    state_get_nums(st, "intercept", &s->icpt, &s->nw, e) != 0 ||
	    state_get_int(st, "n_iter", &it, e) != 0 ||
	    state_get_int(st, "passes", &ps, e) != 0 ||
	    state_get_num(st, "gmax", &s->gmax, e) != 0)
		return -1;
	s->p = m->nfeat;
	s->n_iter = (long)it;
	s->passes = (long)ps;
	want = m->nclasses == 2 ? 1 : m->nclasses;
	if (s->nw != want || nc != s->nw * s->p ||
	    (s->link == LR_SIGMOID) != (want == 1))
		return err_set(e, ERR_DATA, "%s: %zu coefficients and %zu "
		    "intercepts (%s) for %zu features and %zu classes",
		    st->what, nc, s->nw, lr_link_names[s->link], m->nfeat,
		    m->nclasses);
	return 0;
}

const struct model_ops model_logistic_ops = {
	.name = "logistic",
	.summary = "logistic regression: L2 (L-BFGS), L1 (liblinear) or no "
	    "penalty; softmax for 3+ classes",
	.task = TASK_CLASSIFY,
	.accepts_cat = 0,
	.params = lr_params,
	.check = lr_check,
	.fit = lr_fit,
	.predict = lr_predict,
	.predict_proba = lr_predict_proba,
	.importances = lr_importances,
	.describe = lr_describe,
	.save = lr_save,
	.load = lr_load,
	.free = lr_free,
};

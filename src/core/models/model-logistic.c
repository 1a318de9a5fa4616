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
 * Solver: L-BFGS (memory 10) with a line search for the strong Wolfe
 * conditions (c1 = 1e-4, c2 = 0.9), the trial steps chosen by the secant
 * of the directional derivative (the objective is convex), on the same
 * problem divided by C * n, i.e. the mean loss plus ||W||^2 / (2 C n).
 * It stops when the largest |component| of the gradient of that mean
 * objective is at most tol (default 1e-6; scikit-learn's lbfgs stops
 * on its unscaled objective's projected gradient at 1e-4, or earlier on
 * a relative decrease below ~2e-9, so its coefficients are ~1e-4 away
 * from the optimum reached here), or after max_iter iterations
 * (describe says "not converged").  One evaluation of the objective
 * and its gradient is one pass over the rows in blocks of 2048: X.W into
 * a block buffer, loss and residual, X'.residual.  Rows are cut into
 * fixed chunks whose sums are added in chunk order, whatever the number
 * of threads (ctx->threads take chunks in turn), so the result does not
 * depend on the threads.  From 65536 rows on, the solver first solves
 * the problem on every 16th row (the same penalty) and starts from that
 * solution, keeping its L-BFGS memory: the full data then needs few
 * passes.  The data are never copied but for that subsample; indicator
 * columns (one-hot output) cost one lookup per row and group.
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
#ifdef LR_TRACE
#include <stdio.h>
#include <time.h>
#endif
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

/* LAPACK (Fortran calling convention, column-major). */
extern void	dpotrf_(const char *uplo, const int *n, double *a,
		    const int *lda, int *info, size_t);
extern void	dpotrs_(const char *uplo, const int *n, const int *nrhs,
		    const double *a, const int *lda, double *b, const int *ldb,
		    int *info, size_t);

#define LR_BLK		2048	/* rows per block of one pass */
#define LR_CHUNK	16384	/* rows per chunk (sums kept per chunk) */
#define LR_MAXPART	(1 << 22) /* most doubles of chunk sums */
#define LR_MAXTHR	64
#define LR_MEM		10	/* L-BFGS memory */
#define LR_SUBMIN	65536	/* rows from which to warm-start */
#define LR_STRIDE	16	/* the warm start's rows: every 16th */
#define LR_HMAX		1536	/* largest Hessian for the preconditioner */

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
	int		 converged;
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

/* z[i] = w[p] + w . x_(from + i), i < nb (w: p weights, then b). */
static void
lr_xw(const struct lr_cols *c, const double *w, size_t from, size_t nb,
    double *restrict z)
{
	const struct fmat *X = c->X;
	size_t j = 0, i, g, nn = c->nnum;

	for (i = 0; i < nb; i++)
		z[i] = w[X->p];
	for (; j + 4 <= nn; j += 4) {
		const double *restrict x0 = c->num[j] + from;
		const double *restrict x1 = c->num[j + 1] + from;
		const double *restrict x2 = c->num[j + 2] + from;
		const double *restrict x3 = c->num[j + 3] + from;
		double w0 = w[c->numj[j]], w1 = w[c->numj[j + 1]];
		double w2 = w[c->numj[j + 2]], w3 = w[c->numj[j + 3]];

		for (i = 0; i < nb; i++)
			z[i] += (w0 * x0[i] + w1 * x1[i]) +
			    (w2 * x2[i] + w3 * x3[i]);
	}
	for (; j < nn; j++) {
		const double *restrict x0 = c->num[j] + from;
		double w0 = w[c->numj[j]];

		for (i = 0; i < nb; i++)
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
	size_t j = 0, i, g, nn = c->nnum;
	double s0, s1, s2, s3;

	for (; j + 4 <= nn; j += 4) {
		const double *restrict x0 = c->num[j] + from;
		const double *restrict x1 = c->num[j + 1] + from;
		const double *restrict x2 = c->num[j + 2] + from;
		const double *restrict x3 = c->num[j + 3] + from;

		s0 = s1 = s2 = s3 = 0;
		for (i = 0; i < nb; i++) {
			double ri = r[i];

			s0 += x0[i] * ri;
			s1 += x1[i] * ri;
			s2 += x2[i] * ri;
			s3 += x3[i] * ri;
		}
		gr[c->numj[j]] += s0;
		gr[c->numj[j + 1]] += s1;
		gr[c->numj[j + 2]] += s2;
		gr[c->numj[j + 3]] += s3;
	}
	for (; j < nn; j++) {
		const double *restrict x0 = c->num[j] + from;

		s0 = s1 = 0;
		for (i = 0; i + 2 <= nb; i += 2) {
			s0 += x0[i] * r[i];
			s1 += x0[i + 1] * r[i + 1];
		}
		if (i < nb)
			s0 += x0[i] * r[i];
		gr[c->numj[j]] += s0 + s1;
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
	s0 = s1 = 0;
	for (i = 0; i + 2 <= nb; i += 2) {
		s0 += r[i];
		s1 += r[i + 1];
	}
	if (i < nb)
		s0 += r[i];
	gr[X->p] += s0 + s1;
}

/*
 * Binary: z (decision values of nb rows of classes cls) becomes the
 * residual c_i (s(z_i) - t_i); returns sum c_i loss_i.
 */
static double
lr_binary(const int32_t *cls, const double *cw, size_t nb, double *z)
{
	double loss = 0;
	size_t i;

	for (i = 0; i < nb; i++) {
		double zi = z[i], e = exp(-fabs(zi)), t = cls[i] == 1;
		double l, s, w = cw != NULL ? cw[cls[i]] : 1;

		/*
		 * -log P(y) = log(1 + e^-|z|) + max(0, t ? -z : z); log(1 +
		 * e) rather than log1p(e), 3 times faster, is within 1.2e-16
		 * of it: nothing next to the sum's own rounding.
		 */
		l = log(1 + e) + fmax(0, cls[i] == 1 ? -zi : zi);
		s = zi >= 0 ? 1 / (1 + e) : e / (1 + e);
		loss += w * l;
		z[i] = w * (s - t);
	}
	return loss;
}

/*
 * Softmax: z[k * LR_BLK + i] (K classes) becomes the residual
 * c_i (P_k - [y_i = k]); returns sum c_i loss_i.
 */
static double
lr_softmax(const int32_t *cls, const double *cw, size_t K, size_t nb,
    double *z)
{
	double loss = 0;
	size_t i, k;

	for (i = 0; i < nb; i++) {
		double mx = z[i], s = 0, w = cw != NULL ? cw[cls[i]] : 1, zy;

		for (k = 1; k < K; k++)
			mx = fmax(mx, z[k * LR_BLK + i]);
		zy = z[(size_t)cls[i] * LR_BLK + i];
		for (k = 0; k < K; k++) {
			double v = exp(z[k * LR_BLK + i] - mx);

			z[k * LR_BLK + i] = v;
			s += v;
		}
		loss += w * (log(s) - (zy - mx));
		for (k = 0; k < K; k++)
			z[k * LR_BLK + i] = w * (z[k * LR_BLK + i] / s -
			    ((size_t)cls[i] == k));
	}
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

/* Chunk c's sums: the gradient of sum c_i loss_i at th, then the sum. */
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
			loss += lr_binary(P->cls + from, P->cw, nb, z);
		else
			loss += lr_softmax(P->cls + from, P->cw, P->nw, nb, z);
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
	double *z = xmalloc(P->nw * LR_BLK * sizeof *z);
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
	int		 converged;
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
		int dn = (int)n, one = 1, info = 0;

		dpotrs_("L", &dn, &one, M->H0, &dn, d, &dn, &info, 1);
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
#ifdef LR_TRACE
		fprintf(stderr, "  LS a=%g fa-f0=%.3g d0=%.3g da=%.3g\n", a, fa - f0, d0, da);
#endif
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
	R->converged = 0;
	f = lr_eval(P, x, g);
	if (!isfinite(f) || !isfinite(lr_dot(g, g, n))) {
		rc = -2;
		goto out;
	}
	g0 = lr_maxabs(g, n);
	for (;;) {
		gmax = lr_maxabs(g, n);
#ifdef LR_TRACE
		{ struct timespec ts; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
		fprintf(stderr, "TRACE n=%zu it=%ld evals=%ld f=%.17g gmax=%.3g cpu=%.4f mem=%d\n", P->n, R->iter, P->evals, f, gmax, ts.tv_sec + ts.tv_nsec * 1e-9, M->cnt); }
#endif
		if (gmax <= tol) {
			R->converged = 1;
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
			    fresh)
				break;
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
					int dn = (int)n, one = 1, info = 0;

					memcpy(M->tmp, y, n * sizeof *y);
					dpotrs_("L", &dn, &one, M->H0, &dn,
					    M->tmp, &dn, &info, 1);
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

/*
 * The Hessian of P's mean objective at th (dim x dim, column-major,
 * lower triangle), factored by Cholesky into H: the initial inverse
 * Hessian of the L-BFGS on the full data.  Row i adds
 *	two classes: c_i s(1 - s) x~ x~'
 *	softmax:     c_i (diag(P) - P P') (x) x~ x~'
 * (x~: the row with a 1 appended for the intercept), then lambda goes
 * on the weights' diagonal.  Returns 0, or -1 when it is not positive
 * definite even with a little added to the diagonal.
 */
static int
lr_hessian(const struct lr_prob *P, const double *th, double *H)
{
	size_t D = P->dim, p1 = P->p + 1, K = P->nw, from, i, a, b, k, l;
	size_t nn = P->c.nnum, ng = P->c.X->ngroups, nz;
	double *z = xmalloc(K * LR_BLK * sizeof *z), *xv, *A, *pk, *diag;
	double dmax;
	size_t *xi;
	int info = 0, dn = (int)D, tries;

	xv = xmalloc((nn + ng + 1) * sizeof *xv);
	xi = xmalloc((nn + ng + 1) * sizeof *xi);
	A = xmalloc(K * K * sizeof *A);
	pk = xmalloc(K * sizeof *pk);
	diag = xmalloc(D * sizeof *diag);
	memset(H, 0, D * D * sizeof *H);
	for (from = 0; from < P->n; from += LR_BLK) {
		size_t nb = P->n - from < LR_BLK ? P->n - from : LR_BLK;

		for (k = 0; k < K; k++)
			lr_xw(&P->c, th + k * p1, from, nb, z + k * LR_BLK);
		for (i = 0; i < nb; i++) {
			size_t r = from + i;
			int32_t y = P->cls[r];
			double w = P->cw != NULL ? P->cw[y] : 1;

			/* The row's nonzeros, feature order not needed. */
			nz = 0;
			for (a = 0; a < nn; a++) {
				xi[nz] = P->c.numj[a];
				xv[nz++] = P->c.num[a][r];
			}
			for (a = 0; a < ng; a++) {
				const struct fgroup *gr = &P->c.X->groups[a];
				int32_t c = gr->idx[r];

				if (c >= 0 && c < gr->ncodes && gr->feat[c] >= 0) {
					xi[nz] = (size_t)gr->feat[c];
					xv[nz++] = 1;
				}
			}
			xi[nz] = P->p;
			xv[nz++] = 1;
			if (K == 1) {
				double e = exp(-fabs(z[i]));

				A[0] = w * e / ((1 + e) * (1 + e));
			} else {
				double mx = z[i], s = 0;

				for (k = 1; k < K; k++)
					mx = fmax(mx, z[k * LR_BLK + i]);
				for (k = 0; k < K; k++)
					s += (pk[k] = exp(z[k * LR_BLK + i] -
					    mx));
				for (k = 0; k < K; k++)
					pk[k] /= s;
				for (k = 0; k < K; k++)
					for (l = 0; l < K; l++)
						A[k * K + l] = w * ((k == l ?
						    pk[k] : 0) - pk[k] * pk[l]);
			}
			for (k = 0; k < K; k++)
				for (l = 0; l < K; l++) {
					double akl = A[k * K + l];

					for (a = 0; a < nz; a++) {
						size_t ga = k * p1 + xi[a];
						double va = akl * xv[a];

						for (b = 0; b < nz; b++) {
							size_t gb = l * p1 +
							    xi[b];

							if (ga >= gb)
								H[ga + gb * D] +=
								    va * xv[b];
						}
					}
				}
		}
	}
	for (a = 0; a < D; a++)
		for (b = a; b < D; b++)
			H[b + a * D] /= (double)P->n;
	for (k = 0; k < K; k++)
		for (a = 0; a < P->p; a++)
			H[(k * p1 + a) * (D + 1)] += P->lambda;
	/* Cholesky; on failure add a little more to the diagonal. */
	dmax = 0;
	for (a = 0; a < D; a++) {
		diag[a] = H[a * (D + 1)];
		dmax = fmax(dmax, diag[a]);
	}
	for (tries = 0; tries < 4; tries++) {
		double *F = xmalloc(D * D * sizeof *F), jit;

		memcpy(F, H, D * D * sizeof *F);
		jit = tries == 0 ? 0 : dmax * pow(1e3, tries) * 1e-12;
		for (a = 0; a < D; a++)
			F[a * (D + 1)] = diag[a] + jit;
		dpotrf_("L", &dn, F, &dn, &info, 1);
		if (info == 0) {
			memcpy(H, F, D * D * sizeof *F);
			free(F);
			break;
		}
		free(F);
	}
	free(z);
	free(xv);
	free(xi);
	free(A);
	free(pk);
	free(diag);
	return info == 0 ? 0 : -1;
}

/* ------------------------------------------------------------- fit --- */

/* Every stride-th row of X (and y), copied: a fmat of its own. */
static void
lr_subsample(const struct fmat *X, const int32_t *cls, size_t stride,
    struct fmat *S, int32_t **scls)
{
	size_t n = (X->n + stride - 1) / stride, j, g, r;

	memset(S, 0, sizeof *S);
	S->n = n;
	S->p = X->p;
	S->cols = xcalloc(X->p + 1, sizeof *S->cols);
	S->ngroups = X->ngroups;
	S->groups = xcalloc(X->ngroups + 1, sizeof *S->groups);
	for (g = 0; g < X->ngroups; g++) {
		int32_t *idx = xmalloc((n + 1) * sizeof *idx);

		for (r = 0; r < n; r++)
			idx[r] = X->groups[g].idx[r * stride];
		S->groups[g] = X->groups[g];	/* feat borrowed */
		S->groups[g].idx = idx;
	}
	for (j = 0; j < X->p; j++) {
		S->cols[j] = X->cols[j];
		if (X->cols[j].kind == FC_NUM) {
			double *v = xmalloc((n + 1) * sizeof *v);

			for (r = 0; r < n; r++)
				v[r] = X->cols[j].num[r * stride];
			S->cols[j].num = v;
		} else if (X->cols[j].kind == FC_IND)
			S->cols[j].idx = S->groups[X->cols[j].group].idx;
	}
	*scls = xmalloc((n + 1) * sizeof **scls);
	for (r = 0; r < n; r++)
		(*scls)[r] = cls[r * stride];
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

/* Per-class weights for class_weight=balanced (NULL for none). */
static double *
lr_class_weights(const char *how, const struct target *y)
{
	double *cw, *cnt;
	size_t K = y->nclasses, k, r;

	if (strcmp(how, "balanced") != 0)
		return NULL;
	cw = xcalloc(K, sizeof *cw);
	cnt = xcalloc(K, sizeof *cnt);
	for (r = 0; r < y->n; r++)
		cnt[y->cls[r]] += 1;
	for (k = 0; k < K; k++)
		cw[k] = (double)y->n / ((double)K * cnt[k]);
	free(cnt);
	return cw;
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
	double pstart = 0, *H0 = NULL, *Hd;

	lambda = strcmp(params_str(&m->params, "penalty"), "none") == 0 ? 0 :
	    1 / (C * (double)X->n);
	memset(&M, 0, sizeof M);
	M.dim = dim;
	M.s = xmalloc(LR_MEM * dim * sizeof *M.s);
	M.y = xmalloc(LR_MEM * dim * sizeof *M.y);
	M.tmp = xmalloc(dim * sizeof *M.tmp);
	Hd = xmalloc(dim * sizeof *Hd);
	memset(W, 0, dim * sizeof *W);
	rc = 0;
	if (X->n >= LR_SUBMIN) {
		/*
		 * Warm start: the same problem (same penalty) on every
		 * LR_STRIDE-th row, solved about as far as its sampling
		 * error, 0.05 / sqrt(rows), makes sense.
		 */
		struct fmat S;
		int32_t *scls;
		struct lr_run SR;
		double stol;

		lr_subsample(X, y->cls, LR_STRIDE, &S, &scls);
		stol = fmax(tol, 0.002 / sqrt((double)S.n));
		lr_prob_init(&P, &S, scls, nw, cw, lambda, threads);
		lr_hdiag(&P, Hd);
		M.Hd = Hd;
		rc = lr_lbfgs(&P, W, stol, max_iter, &M, &SR, ctx, 0, 0.3, e);
		if (rc == 0 && dim <= LR_HMAX) {
			H0 = xmalloc(dim * dim * sizeof *H0);
			if (lr_hessian(&P, W, H0) == 0) {
				M.H0 = H0;
				M.cnt = 0;
			}
		}
		lr_prob_release(&P);
		lr_subsample_free(&S, scls);
		pstart = 0.3;
		if (rc == -2) {
			/* Start from zero: the full pass finds the cause. */
			memset(W, 0, dim * sizeof *W);
			M.cnt = 0;
			rc = 0;
		}
	}
	if (rc == 0) {
		lr_prob_init(&P, X, y->cls, nw, cw, lambda, threads);
		if (X->n < LR_SUBMIN) {
			lr_hdiag(&P, Hd);
			M.Hd = Hd;
		}
		rc = lr_lbfgs(&P, W, tol, max_iter, &M, R, ctx, pstart, 1, e);
		*passes = P.evals;
		lr_prob_release(&P);
	}
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
	cw = lr_class_weights(params_str(&m->params, "class_weight"), y);
	W = xmalloc(nw * (p + 1) * sizeof *W);
	memset(&R, 0, sizeof R);
	if (l1) {
		int maxed;

		rc = liblinear_ovr(X, y, L1R_LR, params_num(&m->params, "C"),
		    params_given(&m->params, "tol") ? params_num(&m->params,
		    "tol") : 1e-4, cw, (unsigned)params_int(&m->params,
		    "seed"), ctx, W, &R.iter, &maxed, e);
		R.converged = !maxed;
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
	s->converged = R.converged;
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
	if (!s->converged)
		strbuf_addf(sb, " (not converged after %ld iteration%s: "
		    "raise max_iter or scale the features)", s->n_iter,
		    s->n_iter == 1 ? "" : "s");
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
	state_put_int(sb, "converged", s->converged);
}

static int
lr_load(struct model *m, const struct state *st, struct err *e)
{
	struct lr *s = xcalloc(1, sizeof *s);
	char *link = NULL;
	size_t nc, want;
	long long it, ps, cv;
	int k;

	m->state = s;
	if (state_get_str(st, "link", &link, e) != 0)
		return -1;
	for (k = 0; k < 3; k++)
		if (strcmp(link, lr_link_names[k]) == 0)
			break;
	free(link);
	if (k == 3)
		return err_set(e, ERR_DATA, "%s: unknown link", st->what);
	s->link = (enum lr_link)k;
	if (state_get_nums(st, "coef", &s->coef, &nc, e) != 0 ||
	    state_get_nums(st, "intercept", &s->icpt, &s->nw, e) != 0 ||
	    state_get_int(st, "n_iter", &it, e) != 0 ||
	    state_get_int(st, "passes", &ps, e) != 0 ||
	    state_get_int(st, "converged", &cv, e) != 0)
		return -1;
	s->p = m->nfeat;
	s->n_iter = (long)it;
	s->passes = (long)ps;
	s->converged = cv != 0;
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

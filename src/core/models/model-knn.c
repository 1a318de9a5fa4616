/*
 * model-knn.c - k-nearest neighbours: "knn_classifier" and
 * "knn_regressor", as scikit-learn's KNeighborsClassifier and
 * KNeighborsRegressor (algorithm='brute').
 *
 * Fit keeps the training rows (a dense copy, exact doubles) and their
 * targets: the fitted state of a k-NN model is its training set, so it
 * is as big as the training matrix, in memory (8 bytes a cell) and in a
 * saved pipeline (the shortest round-trip text of every cell, row by
 * row).  That is inherent to the method.
 *
 * The neighbours of a query q are the k training rows x nearest in
 *	euclidean   d(q, x) = sqrt(sum_j (q_j - x_j)^2)
 *	manhattan   d(q, x) = sum_j |q_j - x_j|
 * with the sums taken in feature order, ordered by distance and, between
 * rows at exactly the same distance, by training row (the lower row
 * first), so ties are broken deterministically.
 *
 * Euclidean search is blocked: the training rows are kept in blocks of
 * 64, each stored feature by feature; for a block of queries and a block
 * of training rows, dgemm gives -2 q.x, and ||x||^2 - 2 q.x (the squared
 * distance less the query's own ||q||^2) filters the training rows.  That
 * expansion rounds differently from the sum above, so the filter keeps
 * every row whose value could still be among the k smallest once the
 * rounding error is allowed for (8 (p + 4) eps (||q||^2 + ||x||^2),
 * about four times what the rounding of both computations can reach),
 * and the distances of those candidates are then recomputed as defined
 * above.  The neighbours, their order and their ties are therefore
 * those of the definition, not of the rounding.  (scikit-learn keeps
 * the expanded formula's distances, so where two training rows are
 * within rounding of the k-th distance the two may pick different
 * rows.)  Manhattan distances are computed as defined, directly.
 * Queries are split over the cores given at fit (all the cores after a
 * load); each dgemm call is small enough that OpenBLAS runs it in the
 * calling thread.
 *
 * Predictions, with w_i the weight of the i-th neighbour (1 for
 * weights=uniform; 1 / d_i for weights=distance, except that when some
 * neighbours are at distance 0 those get weight 1 and the others 0, as
 * scikit-learn does):
 *	classifier  the class with the largest sum of weights (a tie goes
 *	            to the lowest class index); probabilities are the
 *	            per-class sums of weights divided by their total
 *	regressor   sum_i w_i y_i / sum_i w_i (the plain mean for uniform
 *	            weights), the sums taken as numpy's pairwise sum
 * Parameters: k (>= 1, at most the training rows), weights, metric.
 * Features must be numbers without missing or infinite values.
 */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpu.h"
#include "core/model.h"
#include "core/xmalloc.h"

/* BLAS (Fortran interface), as linked through LAPACK_LIBS. */
extern void dgemm_(const char *transa, const char *transb, const int *m,
    const int *n, const int *k, const double *alpha, const double *a,
    const int *lda, const double *b, const int *ldb, const double *beta,
    double *c, const int *ldc);

/*
 * OpenBLAS runs a dgemm with m * n * k at most 4 * 65536 in the calling
 * thread; the blocks are sized to stay below that.
 */
#define GEMM_SMALL	262144.0
/* Training rows per block. */
#define KNN_BLOCK	64

static const struct param_def knn_params[] = {
	{ "k", PT_INT, "5", NULL, 1, 1e9, "number of neighbours" },
	{ "weights", PT_ENUM, "uniform", "uniform|distance", 0, 0,
	  "neighbour weights: equal, or 1 / distance" },
	{ "metric", PT_ENUM, "euclidean", "euclidean|manhattan", 0, 0,
	  "distance between rows" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct knn {
	size_t		 n, p;		/* training rows, features */
	double		*xb;		/* blocks of KNN_BLOCK rows, each
					 * column-major (feature by feature) */
	double		*xl;		/* ||x||^2 (1 - ce): lower bound */
	double		*xu;		/* 2 ce ||x||^2: upper - lower */
	double		 ce;		/* relative rounding allowance */
	int32_t		*cls;		/* classifier: class per row */
	double		*y;		/* regressor: target per row */
	size_t		 nclasses;
	size_t		 k;
	int		 distw;		/* weights=distance */
	int		 manhattan;	/* metric=manhattan */
	int		 threads;
};

/* A neighbour: training row and distance. */
struct nb {
	double		 d;
	size_t		 idx;
};

/* A candidate of the euclidean filter. */
struct cand {
	double		 lo;		/* lower bound, less ce ||q||^2 */
	size_t		 idx;
};

/* Per-query filter state. */
struct qstate {
	struct cand	*c;
	size_t		 nc, cap;
	double		*up;		/* max-heap: k smallest upper bounds */
	size_t		 nup;
	double		 thr;		/* keep lo <= thr */
	double		 cq;		/* ce ||q||^2 */
};

/* What one predict call asks of the workers. */
struct job {
	const struct knn *kn;
	const struct fmat *X;
	double		*out;		/* predict: one value per row */
	double		*proba;		/* predict_proba: n x nclasses */
	size_t		 mq;		/* queries a block */
	size_t		 nblocks;
	atomic_size_t	 next;
};

static void
knn_free(struct model *m)
{
	struct knn *kn = m->state;

	if (kn == NULL)
		return;
	free(kn->xb);
	free(kn->xl);
	free(kn->xu);
	free(kn->cls);
	free(kn->y);
	free(kn);
	m->state = NULL;
}

/* Rows in training block b. */
static inline size_t
blk_rows(const struct knn *kn, size_t b)
{
	size_t t0 = b * KNN_BLOCK;

	return kn->n - t0 < KNN_BLOCK ? kn->n - t0 : KNN_BLOCK;
}

/* Where feature j of training row r is kept. */
static inline size_t
xpos(const struct knn *kn, size_t r, size_t j)
{
	size_t b = r / KNN_BLOCK;

	return b * KNN_BLOCK * kn->p + j * blk_rows(kn, b) + r % KNN_BLOCK;
}

/*
 * The blocked copy of the training rows, their norms and the filter
 * bounds, from the feature matrix X or else from row-major values x.
 */
static void
knn_set_rows(struct knn *kn, const struct fmat *X, const double *x)
{
	size_t n = kn->n, p = kn->p, r, j;

	kn->ce = 8.0 * (double)(p + 4) * DBL_EPSILON;
	kn->xb = xmalloc((n * p + 1) * sizeof *kn->xb);
	kn->xl = xcalloc(n ? n : 1, sizeof *kn->xl);
	kn->xu = xmalloc((n ? n : 1) * sizeof *kn->xu);
	/* Squared norms summed in feature order. */
	for (j = 0; j < p; j++)
		for (r = 0; r < n; r++) {
			double v = X != NULL ? fmat_get(X, r, j) :
			    x[r * p + j];

			kn->xb[xpos(kn, r, j)] = v;
			kn->xl[r] += v * v;
		}
	for (r = 0; r < n; r++) {
		double s = kn->xl[r];

		kn->xl[r] = s * (1 - kn->ce);
		kn->xu[r] = s * 2 * kn->ce;
	}
}

/* Plain finite numbers only: the names the model gives in messages. */
static int
knn_check_input(const struct model *m, const struct fmat *X, struct err *e)
{
	char what[64];
	size_t j, r;

	snprintf(what, sizeof what, "model '%s'", m->ops->name);
	if (fmat_check_numeric(X, 0, what, e) != 0)
		return -1;
	for (j = 0; j < X->p; j++) {
		if (X->cols[j].kind != FC_NUM)
			continue;
		for (r = 0; r < X->n; r++)
			if (!isfinite(X->cols[j].num[r]))
				return err_set(e, ERR_DATA, "%s: column '%s' "
				    "has an infinite value (row %zu)", what,
				    X->cols[j].name, r + 1);
	}
	return 0;
}

static int
knn_fit(struct model *m, const struct fmat *X, const struct target *y,
    const struct model_ctx *ctx, struct err *e)
{
	struct knn *kn;
	long k = params_int(&m->params, "k");
	size_t r;

	knn_free(m);
	if (knn_check_input(m, X, e) != 0)
		return -1;
	if ((size_t)k > X->n)
		return err_set(e, ERR_DATA, "model '%s': k=%ld is more than "
		    "the %zu training rows", m->ops->name, k, X->n);
	if (model_cancelled(ctx))
		return err_set(e, ERR_CANCEL, "cancelled");
	model_progress(ctx, 0);
	kn = xcalloc(1, sizeof *kn);
	kn->n = X->n;
	kn->p = X->p;
	kn->k = (size_t)k;
	kn->distw = strcmp(params_str(&m->params, "weights"),
	    "distance") == 0;
	kn->manhattan = strcmp(params_str(&m->params, "metric"),
	    "manhattan") == 0;
	kn->threads = ctx != NULL && ctx->threads > 0 ? ctx->threads : 1;
	knn_set_rows(kn, X, NULL);
	if (m->ops->task == TASK_CLASSIFY) {
		kn->nclasses = y->nclasses;
		kn->cls = xmalloc(X->n * sizeof *kn->cls);
		memcpy(kn->cls, y->cls, X->n * sizeof *kn->cls);
	} else {
		kn->y = xmalloc(X->n * sizeof *kn->y);
		for (r = 0; r < X->n; r++)
			kn->y[r] = y->y[r];
	}
	m->state = kn;
	if (model_cancelled(ctx)) {
		knn_free(m);
		return err_set(e, ERR_CANCEL, "cancelled");
	}
	model_progress(ctx, 1);
	return 0;
}

/* ------------------------------------------------------- search --- */

/* Max-heap of doubles: sift the root down. */
static void
heap_down(double *h, size_t n)
{
	size_t i = 0, c;
	double v = h[0];

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && h[c + 1] > h[c])
			c++;
		if (h[c] <= v)
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = v;
}

static void
heap_up(double *h, size_t i)
{
	double v = h[i];

	while (i > 0 && h[(i - 1) / 2] < v) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = v;
}

/* Neighbour order: distance, then training row. */
static int
nb_less(const struct nb *a, const struct nb *b)
{
	return a->d < b->d || (a->d == b->d && a->idx < b->idx);
}

/* Max-heap of neighbours by nb_less. */
static void
nbheap_down(struct nb *h, size_t n)
{
	size_t i = 0, c;
	struct nb v = h[0];

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && nb_less(&h[c], &h[c + 1]))
			c++;
		if (!nb_less(&v, &h[c]))
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = v;
}

static void
nbheap_up(struct nb *h, size_t i)
{
	struct nb v = h[i];

	while (i > 0 && nb_less(&h[(i - 1) / 2], &v)) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = v;
}

/* Offer a neighbour to a heap of at most k. */
static void
nbheap_offer(struct nb *h, size_t *n, size_t k, double d, size_t idx)
{
	struct nb v = { d, idx };

	if (*n < k) {
		h[*n] = v;
		nbheap_up(h, (*n)++);
	} else if (nb_less(&v, &h[0])) {
		h[0] = v;
		nbheap_down(h, k);
	}
}

static int
nb_cmp(const void *a, const void *b)
{
	const struct nb *x = a, *y = b;

	return nb_less(x, y) ? -1 : nb_less(y, x) ? 1 : 0;
}

/* Drop the candidates the threshold has passed; grow when still full. */
static void
qstate_compact(struct qstate *qs)
{
	size_t i, n = 0;

	for (i = 0; i < qs->nc; i++)
		if (qs->c[i].lo <= qs->thr)
			qs->c[n++] = qs->c[i];
	qs->nc = n;
	if (n > qs->cap / 2) {
		qs->cap *= 2;
		qs->c = xreallocarray(qs->c, qs->cap, sizeof *qs->c);
	}
}

/* A training row that passed the filter. */
static void
qstate_add(struct qstate *qs, size_t k, double lo, double up, size_t idx)
{
	if (qs->nc == qs->cap)
		qstate_compact(qs);
	if (lo > qs->thr)
		return;
	qs->c[qs->nc].lo = lo;
	qs->c[qs->nc].idx = idx;
	qs->nc++;
	if (qs->nup < k) {
		qs->up[qs->nup] = up;
		heap_up(qs->up, qs->nup++);
		if (qs->nup == k)
			qs->thr = qs->up[0] + qs->cq;
	} else if (up < qs->up[0]) {
		qs->up[0] = up;
		heap_down(qs->up, k);
		qs->thr = qs->up[0] + qs->cq;
	}
}

/* Is a[i] + b[i] <= thr for any of sixteen i?  (Vector compares.) */
typedef double v2d __attribute__((vector_size(16), aligned(8)));
typedef long long v2l __attribute__((vector_size(16)));

static inline int
any16(const double *a, const double *b, double thr)
{
	const v2d *u = (const v2d *)a, *v = (const v2d *)b;
	v2d t = { thr, thr };
	v2l m;

	m = (((u[0] + v[0]) <= t) | ((u[1] + v[1]) <= t)) |
	    (((u[2] + v[2]) <= t) | ((u[3] + v[3]) <= t)) |
	    ((((u[4] + v[4]) <= t) | ((u[5] + v[5]) <= t)) |
	    (((u[6] + v[6]) <= t) | ((u[7] + v[7]) <= t)));
	return (m[0] | m[1]) != 0;
}

/*
 * Euclidean: the k nearest training rows of the nq queries Q (row-major,
 * with squared norms qn), into nbs[i * k ...] sorted.  C is scratch of
 * KNN_BLOCK * nq doubles, qs of nq states.
 */
static void
search_euclid(const struct knn *kn, const double *Q, const double *qn,
    size_t nq, double *C, struct qstate *qs, struct nb *nbs)
{
	const double alpha = -2, beta = 0;
	size_t p = kn->p, k = kn->k, i, r, b, t0;

	for (i = 0; i < nq; i++) {
		qs[i].nc = 0;
		qs[i].nup = 0;
		qs[i].thr = INFINITY;
		qs[i].cq = kn->ce * qn[i];
	}
	for (b = 0, t0 = 0; t0 < kn->n; b++, t0 += KNN_BLOCK) {
		size_t mm = blk_rows(kn, b);
		int m = (int)mm, n = (int)nq, kk = (int)p;
		const double *xl = kn->xl + t0;

		/* C = -2 x.q; + ||x||^2 (1 - ce): the lower bounds. */
		dgemm_("N", "N", &m, &n, &kk, &alpha, kn->xb + t0 * p, &m,
		    Q, &kk, &beta, C, &m);
		for (i = 0; i < nq; i++) {
			struct qstate *q = &qs[i];
			const double *dot = C + i * mm;
			double thr = q->thr;

			for (r = 0; r < mm; ) {
				size_t end = r + 16 < mm ? r + 16 : mm;

				/* Nearly every row fails: sixteen at once. */
				if (end == r + 16 && !any16(xl + r, dot + r,
				    thr)) {
					r = end;
					continue;
				}
				for (; r < end; r++) {
					double lo = xl[r] + dot[r];

					if (lo <= thr) {
						double up = lo +
						    kn->xu[t0 + r] + q->cq;

						qstate_add(q, k, lo, up,
						    t0 + r);
						thr = q->thr;
					}
				}
			}
		}
	}
	/* Exact distances of the candidates; the k first in order. */
	for (i = 0; i < nq; i++) {
		struct qstate *q = &qs[i];
		struct nb *h = nbs + i * k;
		const double *qq = Q + i * p;
		size_t nh = 0, c, j;

		for (c = 0; c < q->nc; c++) {
			size_t idx = q->c[c].idx, nbk, o;
			const double *x;
			double s = 0;

			if (q->c[c].lo > q->thr)
				continue;
			nbk = blk_rows(kn, idx / KNN_BLOCK);
			x = kn->xb + xpos(kn, idx, 0);
			for (j = 0, o = 0; j < p; j++, o += nbk) {
				double d = qq[j] - x[o];

				s += d * d;
			}
			nbheap_offer(h, &nh, k, s, idx);
		}
		qsort(h, nh, sizeof *h, nb_cmp);
		for (c = 0; c < nh; c++)
			h[c].d = sqrt(h[c].d);
	}
}

/*
 * Manhattan: distances as defined, straight through, a block of
 * training rows at a time (s is scratch of KNN_BLOCK doubles).
 */
static void
search_manhattan(const struct knn *kn, const double *Q, size_t nq,
    double *s, struct nb *heaps, size_t *nh)
{
	size_t p = kn->p, k = kn->k, i, r, j, b, t0;

	for (i = 0; i < nq; i++)
		nh[i] = 0;
	for (b = 0, t0 = 0; t0 < kn->n; b++, t0 += KNN_BLOCK) {
		size_t mm = blk_rows(kn, b);
		const double *xb = kn->xb + t0 * p;

		for (i = 0; i < nq; i++) {
			const double *qq = Q + i * p;
			struct nb *h = heaps + i * k;

			for (r = 0; r < mm; r++)
				s[r] = 0;
			for (j = 0; j < p; j++) {
				const double *x = xb + j * mm;
				double qj = qq[j];

				for (r = 0; r < mm; r++)
					s[r] += fabs(qj - x[r]);
			}
			for (r = 0; r < mm; r++)
				if (nh[i] < k || s[r] < h[0].d)
					nbheap_offer(h, &nh[i], k, s[r],
					    t0 + r);
		}
	}
	for (i = 0; i < nq; i++)
		qsort(heaps + i * k, nh[i], sizeof *heaps, nb_cmp);
}

/* Weights of the k sorted neighbours, as scikit-learn's _get_weights. */
static void
nb_weights(const struct knn *kn, const struct nb *h, double *w)
{
	size_t i, k = kn->k;
	int zero = 0;

	for (i = 0; i < k; i++) {
		w[i] = kn->distw ? 1.0 / h[i].d : 1.0;
		if (isinf(w[i]))
			zero = 1;
	}
	if (zero)
		for (i = 0; i < k; i++)
			w[i] = isinf(w[i]) ? 1.0 : 0.0;
}

/* The output of one query from its sorted neighbours. */
static void
knn_output(const struct job *jb, const struct nb *h, size_t row, double *w,
    double *tmp)
{
	const struct knn *kn = jb->kn;
	size_t i, c, k = kn->k;

	nb_weights(kn, h, w);
	if (kn->cls == NULL) {
		double num, den;

		if (!kn->distw) {
			for (i = 0; i < k; i++)
				tmp[i] = kn->y[h[i].idx];
			jb->out[row] = pairwise_sum(tmp, k) / (double)k;
			return;
		}
		for (i = 0; i < k; i++)
			tmp[i] = kn->y[h[i].idx] * w[i];
		num = pairwise_sum(tmp, k);
		den = pairwise_sum(w, k);
		jb->out[row] = num / den;
		return;
	}
	for (c = 0; c < kn->nclasses; c++)
		tmp[c] = 0;
	for (i = 0; i < k; i++)
		tmp[kn->cls[h[i].idx]] += w[i];
	if (jb->out != NULL) {
		size_t best = 0;

		for (c = 1; c < kn->nclasses; c++)
			if (tmp[c] > tmp[best])
				best = c;
		jb->out[row] = (double)best;
	}
	if (jb->proba != NULL) {
		double *pr = jb->proba + row * kn->nclasses;
		double s = pairwise_sum(tmp, kn->nclasses);

		for (c = 0; c < kn->nclasses; c++)
			pr[c] = tmp[c] / s;
	}
}

static void *
knn_worker(void *arg)
{
	struct job *jb = arg;
	const struct knn *kn = jb->kn;
	const struct fmat *X = jb->X;
	size_t p = kn->p, k = kn->k, mq = jb->mq, b, i, j;
	double *Q = xmalloc(mq * p * sizeof *Q);
	double *qn = xmalloc(mq * sizeof *qn);
	double *C = xmalloc(mq * KNN_BLOCK * sizeof *C);
	struct qstate *qs = NULL;
	struct nb *nbs = xmalloc(mq * k * sizeof *nbs);
	size_t *nh = xmalloc(mq * sizeof *nh);
	size_t nt = k > kn->nclasses ? k : kn->nclasses;
	double *w = xmalloc(k * sizeof *w);
	double *tmp = xmalloc(nt * sizeof *tmp);

	if (!kn->manhattan) {
		qs = xcalloc(mq, sizeof *qs);
		for (i = 0; i < mq; i++) {
			qs[i].cap = 2 * k + 32;
			qs[i].c = xmalloc(qs[i].cap * sizeof *qs[i].c);
			qs[i].up = xmalloc(k * sizeof *qs[i].up);
		}
	}
	while ((b = atomic_fetch_add(&jb->next, 1)) < jb->nblocks) {
		size_t r0 = b * mq, nq = X->n - r0 < mq ? X->n - r0 : mq;

		for (j = 0; j < p; j++) {
			const struct fcol *f = &X->cols[j];

			if (f->kind == FC_NUM)
				for (i = 0; i < nq; i++)
					Q[i * p + j] = f->num[r0 + i];
			else
				for (i = 0; i < nq; i++)
					Q[i * p + j] = fmat_get(X, r0 + i, j);
		}
		if (kn->manhattan)
			search_manhattan(kn, Q, nq, C, nbs, nh);
		else {
			for (i = 0; i < nq; i++) {
				const double *q = Q + i * p;
				double s = 0;

				for (j = 0; j < p; j++)
					s += q[j] * q[j];
				qn[i] = s;
			}
			search_euclid(kn, Q, qn, nq, C, qs, nbs);
		}
		for (i = 0; i < nq; i++)
			knn_output(jb, nbs + i * k, r0 + i, w, tmp);
	}
	if (qs != NULL)
		for (i = 0; i < mq; i++) {
			free(qs[i].c);
			free(qs[i].up);
		}
	free(qs);
	free(C);
	free(Q);
	free(qn);
	free(nbs);
	free(nh);
	free(w);
	free(tmp);
	return NULL;
}

/* Predict (out) and / or probabilities (proba) for every row of X. */
static int
knn_run(const struct model *m, const struct fmat *X, double *out,
    double *proba, struct err *e)
{
	const struct knn *kn = m->state;
	struct job jb;
	pthread_t tid[64];
	size_t nt, t, started = 0;
	double s;

	if (kn == NULL)
		return err_set(e, ERR_DATA, "model '%s' is not fitted",
		    m->ops->name);
	if (X->p != kn->p)
		return err_set(e, ERR_DATA, "model '%s' was trained on %zu "
		    "features; the data has %zu", m->ops->name, kn->p, X->p);
	if (knn_check_input(m, X, e) != 0)
		return -1;
	if (X->n == 0)
		return 0;
	memset(&jb, 0, sizeof jb);
	jb.kn = kn;
	jb.X = X;
	jb.out = out;
	jb.proba = proba;
	/*
	 * Query blocks: KNN_BLOCK x mq x p about GEMM_SMALL; fewer queries
	 * a block when k is large, to bound the per-query heaps.
	 */
	s = floor(GEMM_SMALL / (KNN_BLOCK * (double)(kn->p ? kn->p : 1)));
	jb.mq = s < 8 ? 8 : s > 512 ? 512 : (size_t)s;
	if (jb.mq * kn->k > ((size_t)1 << 20))
		jb.mq = ((size_t)1 << 20) / kn->k > 0 ?
		    ((size_t)1 << 20) / kn->k : 1;
	nt = kn->threads > 0 ? (size_t)kn->threads : 1;
	if (nt > 64)
		nt = 64;
	/* Enough blocks for every thread. */
	if (jb.mq * nt > X->n)
		jb.mq = (X->n + nt - 1) / nt;
	jb.nblocks = (X->n + jb.mq - 1) / jb.mq;
	atomic_init(&jb.next, 0);
	if (nt > jb.nblocks)
		nt = jb.nblocks;
	for (t = 1; t < nt; t++) {
		if (pthread_create(&tid[t], NULL, knn_worker, &jb) != 0)
			break;
		started++;
	}
	knn_worker(&jb);
	for (t = 1; t <= started; t++)
		pthread_join(tid[t], NULL);
	return 0;
}

static int
knn_predict(const struct model *m, const struct fmat *X, double *out,
    struct err *e)
{
	return knn_run(m, X, out, NULL, e);
}

static int
knn_predict_proba(const struct model *m, const struct fmat *X,
    double *proba, struct err *e)
{
	return knn_run(m, X, NULL, proba, e);
}

static void
knn_describe(const struct model *m, struct strbuf *sb)
{
	const struct knn *kn = m->state;

	if (kn == NULL) {
		strbuf_addf(sb, "%s k=%ld weights=%s metric=%s", m->ops->name,
		    params_int(&m->params, "k"),
		    params_str(&m->params, "weights"),
		    params_str(&m->params, "metric"));
		return;
	}
	strbuf_addf(sb, "%s k=%zu weights=%s metric=%s: %zu training rows "
	    "of %zu features kept", m->ops->name, kn->k,
	    kn->distw ? "distance" : "uniform",
	    kn->manhattan ? "manhattan" : "euclidean", kn->n, kn->p);
}

static void
knn_save(const struct model *m, struct strbuf *sb)
{
	const struct knn *kn = m->state;
	double *x;
	size_t r, j;

	state_put_int(sb, "k", (long long)kn->k);
	state_put_str(sb, "weights", kn->distw ? "distance" : "uniform");
	state_put_str(sb, "metric", kn->manhattan ? "manhattan" :
	    "euclidean");
	state_put_int(sb, "rows", (long long)kn->n);
	x = xmalloc((kn->n * kn->p + 1) * sizeof *x);
	for (r = 0; r < kn->n; r++)
		for (j = 0; j < kn->p; j++)
			x[r * kn->p + j] = kn->xb[xpos(kn, r, j)];
	state_put_nums(sb, "x", kn->n * kn->p, x);
	free(x);
	if (kn->cls != NULL) {
		double *c = xmalloc((kn->n ? kn->n : 1) * sizeof *c);

		for (r = 0; r < kn->n; r++)
			c[r] = kn->cls[r];
		state_put_nums(sb, "class", kn->n, c);
		free(c);
	} else
		state_put_nums(sb, "y", kn->n, kn->y);
}

static int
knn_load(struct model *m, const struct state *st, struct err *e)
{
	struct knn *kn = xcalloc(1, sizeof *kn);
	char *weights = NULL, *metric = NULL;
	long long k, n;
	double *v = NULL, *x = NULL;
	size_t nv, r;

	m->state = kn;
	kn->p = m->nfeat;
	if (state_get_int(st, "k", &k, e) != 0 ||
	    state_get_int(st, "rows", &n, e) != 0 ||
	    state_get_str(st, "weights", &weights, e) != 0 ||
	    state_get_str(st, "metric", &metric, e) != 0)
		goto fail;
	if (n < 1 || k < 1 || k > n) {
		err_set(e, ERR_DATA, "%s: bad k (%lld) or rows (%lld)",
		    st->what, k, n);
		goto fail;
	}
	kn->n = (size_t)n;
	kn->k = (size_t)k;
	if (strcmp(weights, "uniform") != 0 && strcmp(weights,
	    "distance") != 0) {
		err_set(e, ERR_DATA, "%s: unknown weights '%s'", st->what,
		    weights);
		goto fail;
	}
	if (strcmp(metric, "euclidean") != 0 && strcmp(metric,
	    "manhattan") != 0) {
		err_set(e, ERR_DATA, "%s: unknown metric '%s'", st->what,
		    metric);
		goto fail;
	}
	kn->distw = strcmp(weights, "distance") == 0;
	kn->manhattan = strcmp(metric, "manhattan") == 0;
	if (state_get_nums(st, "x", &x, &nv, e) != 0)
		goto fail;
	if (nv != kn->n * kn->p) {
		err_set(e, ERR_DATA, "%s: 'x' has %zu numbers, expected %zu",
		    st->what, nv, kn->n * kn->p);
		goto fail;
	}
	for (r = 0; r < nv; r++)
		if (!isfinite(x[r])) {
			err_set(e, ERR_DATA, "%s: 'x' has a value that is not "
			    "a finite number", st->what);
			goto fail;
		}
	if (m->ops->task == TASK_CLASSIFY) {
		if (state_get_nums(st, "class", &v, &nv, e) != 0)
			goto fail;
		if (nv != kn->n) {
			err_set(e, ERR_DATA, "%s: 'class' has %zu numbers, "
			    "expected %zu", st->what, nv, kn->n);
			goto fail;
		}
		kn->nclasses = m->nclasses;
		kn->cls = xmalloc(kn->n * sizeof *kn->cls);
		for (r = 0; r < kn->n; r++) {
			if (!(v[r] >= 0 && v[r] < (double)kn->nclasses &&
			    v[r] == floor(v[r]))) {
				err_set(e, ERR_DATA, "%s: 'class' has a bad "
				    "class index", st->what);
				goto fail;
			}
			kn->cls[r] = (int32_t)v[r];
		}
	} else {
		if (state_get_nums(st, "y", &kn->y, &nv, e) != 0)
			goto fail;
		if (nv != kn->n) {
			err_set(e, ERR_DATA, "%s: 'y' has %zu numbers, "
			    "expected %zu", st->what, nv, kn->n);
			goto fail;
		}
	}
	kn->threads = cpu_count();
	knn_set_rows(kn, NULL, x);
	free(x);
	free(v);
	free(weights);
	free(metric);
	return 0;
fail:
	free(x);
	free(v);
	free(weights);
	free(metric);
	knn_free(m);
	return -1;
}

const struct model_ops model_knn_classifier_ops = {
	.name = "knn_classifier",
	.summary = "k-nearest neighbours: majority of the k nearest rows",
	.task = TASK_CLASSIFY,
	.accepts_cat = 0,
	.params = knn_params,
	.check = NULL,
	.fit = knn_fit,
	.predict = knn_predict,
	.predict_proba = knn_predict_proba,
	.importances = NULL,
	.inertia = NULL,
	.describe = knn_describe,
	.save = knn_save,
	.load = knn_load,
	.free = knn_free,
};

const struct model_ops model_knn_regressor_ops = {
	.name = "knn_regressor",
	.summary = "k-nearest neighbours: mean target of the k nearest rows",
	.task = TASK_REGRESS,
	.accepts_cat = 0,
	.params = knn_params,
	.check = NULL,
	.fit = knn_fit,
	.predict = knn_predict,
	.predict_proba = NULL,
	.importances = NULL,
	.inertia = NULL,
	.describe = knn_describe,
	.save = knn_save,
	.load = knn_load,
	.free = knn_free,
};

/*
 * model-elasticnet.c - elastic net and lasso regression ("elasticnet",
 * "lasso"), as scikit-learn 1.2's ElasticNet and Lasso:
 *
 *	minimise (1 / (2n)) ||y - Xw - b||^2 + alpha * l1_ratio * ||w||_1
 *	         + (alpha / 2) * (1 - l1_ratio) * ||w||^2
 *
 * (lasso: l1_ratio = 1), the intercept b not penalised.  With
 * fit_intercept (the default) X and y are centred first and
 * b = mean y - mean x . w; without it b = 0.
 *
 * The solver is scikit-learn's enet_coordinate_descent (_cd_fast.pyx),
 * step for step.  Multiplied by n the objective is
 *	(1/2) ||yc - Xc w||^2 + l1 ||w||_1 + (l2 / 2) ||w||^2,
 *	l1 = alpha * l1_ratio * n,  l2 = alpha * (1 - l1_ratio) * n.
 * Starting from w = 0 with residual R = yc, each iteration (an "epoch")
 * visits the coordinates j = 0..p-1 in order; for a column with
 * ||xc_j||^2 > 0,
 *	t   = xc_j . R + w_j ||xc_j||^2	(R with w_j's share added back)
 *	w_j = sign(t) max(|t| - l1, 0) / (||xc_j||^2 + l2)
 * and R follows.  When the largest change of a coefficient in the
 * epoch, over the largest coefficient, is below tol (or w is all zero,
 * or it is the last epoch allowed), the duality gap is computed,
 *	XtA = Xc'R - l2 w,  k = min(1, l1 / max|XtA|),
 *	gap = (1 + k^2)/2 ||R||^2 (||R||^2 if k = 1) + l1 ||w||_1
 *	      - k R.yc + (l2 / 2)(1 + k^2) ||w||^2,
 * and the fit stops when gap < tol * ||yc||^2.  Reaching max_iter
 * without that is not an error: describe says so.
 *
 * Differences in how, not what: the centred X is never stored.  A
 * numeric column is centred on the fly; an indicator column (one-hot
 * output) visits only its own rows, found through a per-group index
 * sorted by code.  Its centring term -m_a (m_a: the fraction of rows
 * where it is 1) touches every row alike, so it goes into a shift c
 * common to all rows: the true residual is R[r] + c.  Since Xc and yc
 * are centred, sum R = 0 and every sum xc_j = 0, so xc_a . (R + c) =
 * sum over its rows of R + |S_a| c, and a numeric xc_j . (R + c) =
 * xc_j . R.  R changes once per coordinate, by the change of w_j
 * (scikit-learn adds the old share back and subtracts the new one), in
 * the same pass as the next column's dot product.  Threads
 * (ctx->threads, only with CD_MINROWS rows each) share out the rows of
 * the numeric coordinates; indicator coordinates are done by one thread.
 * Sums over all rows are taken per chunk of CD_CHUNK rows, then over the
 * chunks in order, and sums over an indicator's rows in row order, so
 * the result is the same for any number of threads.  Rounding differs
 * from scikit-learn's in
 * the last bits: on the test data coefficients agree to 1e-13 relative
 * and the iteration counts are the same.  A coefficient the threshold
 * makes zero is +0, never -0.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/xmalloc.h"

extern const struct model_ops model_lasso_ops;

#define CD_CHUNK	8192	/* rows summed together */
#define CD_MINROWS	65536	/* fewest rows per thread */
#define CD_MAXTHR	64

static const struct param_def enet_params[] = {
	{ "alpha", PT_NUM, "1", NULL, 0, 1e300,
	  "penalty strength (multiplies both penalty terms)" },
	{ "l1_ratio", PT_NUM, "0.5", NULL, 0, 1,
	  "mix: 1 is the lasso (L1), 0 ridge (L2)" },
	{ "max_iter", PT_INT, "1000", NULL, 1, 1e9,
	  "most coordinate descent epochs" },
	{ "tol", PT_NUM, "1e-4", NULL, 0, 1e300,
	  "stop when the duality gap is below tol * ||y - mean y||^2" },
	{ "fit_intercept", PT_BOOL, "true", NULL, 0, 0,
	  "fit an unpenalised intercept (centre X and y first)" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

static const struct param_def lasso_params[] = {
	{ "alpha", PT_NUM, "1", NULL, 0, 1e300,
	  "L1 penalty strength" },
	{ "max_iter", PT_INT, "1000", NULL, 1, 1e9,
	  "most coordinate descent epochs" },
	{ "tol", PT_NUM, "1e-4", NULL, 0, 1e300,
	  "stop when the duality gap is below tol * ||y - mean y||^2" },
	{ "fit_intercept", PT_BOOL, "true", NULL, 0, 0,
	  "fit an unpenalised intercept (centre X and y first)" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct enet {
	size_t		 p;
	double		*coef;
	double		 intercept;
	long		 n_iter;	/* epochs run */
	int		 converged;
	double		 gap;		/* duality gap / n, as dual_gap_ */
};

/*
 * The working data of one fit, shared by its threads.  Each thread owns
 * a contiguous range of whole chunks of rows: for a numeric coordinate
 * it alone reads and writes R there.  The dot product is summed per
 * chunk (CD_CHUNK rows, in row order), then over chunks in chunk order
 * by every thread alike, so every thread computes the same coefficient.
 * One barrier per numeric coordinate: the chunk sums are double-buffered
 * so a thread may start the next coordinate while another still adds up
 * this one.  A run of indicator coordinates (a few scattered rows each)
 * is done by thread 0 alone, between two barriers.
 */
struct cd {
	const struct fmat *X;
	size_t		 n, p;
	double		*mean;		/* per feature (0 without centring) */
	double		*norm;		/* ||xc_j||^2 */
	size_t		*cnt;		/* indicator: rows where it is 1 */
	const size_t   **rows;		/* indicator: those rows, ascending */
	size_t		**order;	/* per group: rows sorted by code */
	const double	*y;
	double		 ymean;
	double		*yc;
	double		*R;		/* residual, less the shift c */
	double		 shift;		/* c (thread 0 changes it) */
	int		 center;
	/* The solve. */
	double		 l1, l2, tol;
	long		 max_iter;
	const struct model_ctx *ctx;
	size_t		 nchunks;
	int		 nt;		/* threads (0: not yet known) */
	pthread_mutex_t	 gate;
	pthread_cond_t	 open;
	pthread_barrier_t bar;
	double		*part[2];	/* per chunk: dot of a coordinate */
	double		*prn2, *pry, *pyy;	/* per chunk, for the gap */
	double		*xta;		/* per feature, for the gap */
	int		 stop;		/* thread 0: cancelled */
	double		 sdw, sw;	/* serial section: max |change|, |w| */
	/* The coefficients (thread 0 writes them), then the results. */
	double		*w;
	long		 n_iter;
	int		 converged, cancelled;
	double		 gap;
};

/* What one thread works on. */
struct cdthr {
	struct cd	*d;
	int		 t;
	size_t		 c0, c1;	/* its chunks */
	size_t		 lo, hi;	/* its rows */
};

static double
enet_l1_ratio(const struct model *m)
{
	return m->ops == &model_lasso_ops ? 1 :
	    params_num(&m->params, "l1_ratio");
}

static const char *
enet_what(const struct model *m)
{
	return m->ops == &model_lasso_ops ? "model 'lasso'" :
	    "model 'elasticnet'";
}

static void
enet_free(struct model *m)
{
	struct enet *s = m->state;

	if (s == NULL)
		return;
	free(s->coef);
	free(s);
	m->state = NULL;
}

static void
enet_barrier(struct cd *d)
{
	if (d->nt > 1)
		pthread_barrier_wait(&d->bar);
}

static double
enet_sign(double f)
{
	return f == 0 ? 0 : f > 0 ? 1 : -1;
}

/* R -= delta * xc_j over the thread's rows (j: a numeric column). */
static void
enet_apply(const struct cdthr *th, size_t j, double delta)
{
	const struct cd *d = th->d;
	const double *x = d->X->cols[j].num;
	double m = d->mean[j], *R = d->R;
	size_t r;

	for (r = th->lo; r < th->hi; r++)
		R[r] -= delta * (x[r] - m);
}

/*
 * part[c] = xc_j . R over chunk c, for the thread's chunks (j: a numeric
 * column), applying first, in the same pass, the pending update
 * R -= pd * xc_pj (pj < 0: none).
 */
static void
enet_dots(const struct cdthr *th, size_t j, long pj, double pd,
    double *part)
{
	const struct cd *d = th->d;
	const double *x = d->X->cols[j].num, *xp = NULL;
	double m = d->mean[j], mp = 0, *R = d->R;
	size_t c, r;

	if (pj >= 0) {
		xp = d->X->cols[pj].num;
		mp = d->mean[pj];
	}
	for (c = th->c0; c < th->c1; c++) {
		size_t from = c * CD_CHUNK, to = from + CD_CHUNK;
		double s[4] = { 0, 0, 0, 0 };

		if (to > d->n)
			to = d->n;
		if (xp != NULL)
			for (r = from; r < to; r++)
				R[r] -= pd * (xp[r] - mp);
		/* Four running sums (r mod 4), so the adds overlap. */
		for (r = from; r + 4 <= to; r += 4) {
			s[0] += (x[r] - m) * R[r];
			s[1] += (x[r + 1] - m) * R[r + 1];
			s[2] += (x[r + 2] - m) * R[r + 2];
			s[3] += (x[r + 3] - m) * R[r + 3];
		}
		for (; r < to; r++)
			s[0] += (x[r] - m) * R[r];
		part[c] = (s[0] + s[1]) + (s[2] + s[3]);
	}
}

/*
 * Thread 0, alone (the others wait): coordinate j, an indicator column.
 * Its rows are few and scattered, so it is done serially, summing in
 * row order whatever the number of threads.
 */
static void
enet_indicator(struct cd *d, size_t j)
{
	const size_t *rows = d->rows[j];
	size_t k, cnt = d->cnt[j];
	double wold = d->w[j], t = 0, w, delta;

	for (k = 0; k < cnt; k++)
		t += d->R[rows[k]];
	t += (double)cnt * d->shift + wold * d->norm[j];
	w = enet_sign(t) * fmax(fabs(t) - d->l1, 0) / (d->norm[j] + d->l2);
	if (w == 0)
		w = 0;	/* not -0 */
	if (w != wold) {
		delta = w - wold;
		for (k = 0; k < cnt; k++)
			d->R[rows[k]] -= delta;
		d->shift += delta * d->mean[j];
	}
	d->w[j] = w;
	d->sdw = fmax(d->sdw, fabs(w - wold));
	d->sw = fmax(d->sw, fabs(w));
}

/*
 * Column statistics of features j = t, t + T, ...: for a number, a
 * provisional mean m' (sum / n; exact for a constant column), then
 * s = sum (x - m') and q = sum (x - m')^2 give the mean m' + s / n and
 * ||xc||^2 = q - s^2 / n.
 */
static void
enet_columns(const struct cdthr *th)
{
	struct cd *d = th->d;
	size_t n = d->n, r, j;

	for (j = (size_t)th->t; j < d->p; j += (size_t)d->nt) {
		const struct fcol *f = &d->X->cols[j];

		if (f->kind == FC_NUM) {
			const double *x = f->num;
			double m = 0, s = 0, q = 0, x0 = x[0];
			int differ = 0;

			if (d->center) {
				for (r = 0; r < n; r++) {
					m += x[r];
					differ |= x[r] != x0;
				}
				m = differ ? m / (double)n : x0;
			}
			for (r = 0; r < n; r++) {
				double v = x[r] - m;

				s += v;
				q += v * v;
			}
			if (d->center) {
				m += s / (double)n;
				q -= s * s / (double)n;
			}
			d->mean[j] = m;
			d->norm[j] = q;
		} else {
			double c = (double)d->cnt[j];

			d->mean[j] = d->center ? c / (double)n : 0;
			/* sum (1[r in S] - m)^2 = c - c^2 / n */
			d->norm[j] = d->center ? c - c * c / (double)n : c;
		}
	}
}

/* sum over chunks of part, in chunk order */
static double
enet_total(const struct cd *d, const double *part)
{
	double s = 0;
	size_t c;

	for (c = 0; c < d->nchunks; c++)
		s += part[c];
	return s;
}

/*
 * The duality gap at w (scikit-learn's formula, objective times n).  R
 * must be complete (no pending update, no shift) and no thread may
 * change it until all return.  Every thread returns the same value.
 */
static double
enet_gap(const struct cdthr *th, const double *w)
{
	struct cd *d = th->d;
	size_t p = d->p, r, c, j, k;
	double dual = 0, rn2, ry, wn2 = 0, l1n = 0, q, gap;

	for (c = th->c0; c < th->c1; c++) {
		size_t from = c * CD_CHUNK, to = from + CD_CHUNK;
		double a = 0, b = 0;

		if (to > d->n)
			to = d->n;
		for (r = from; r < to; r++) {
			a += d->R[r] * d->R[r];
			b += d->R[r] * d->yc[r];
		}
		d->prn2[c] = a;
		d->pry[c] = b;
	}
	/* Whole columns, each by one thread: Xc'R. */
	for (j = (size_t)th->t; j < p; j += (size_t)d->nt) {
		const struct fcol *f = &d->X->cols[j];
		double s = 0;

		if (f->kind == FC_NUM) {
			const double *x = f->num;
			double m = d->mean[j];

			for (r = 0; r < d->n; r++)
				s += (x[r] - m) * d->R[r];
		} else
			for (k = 0; k < d->cnt[j]; k++)
				s += d->R[d->rows[j][k]];
		d->xta[j] = s - d->l2 * w[j];
	}
	enet_barrier(d);
	for (j = 0; j < p; j++) {
		if (fabs(d->xta[j]) > dual)
			dual = fabs(d->xta[j]);
		wn2 += w[j] * w[j];
		l1n += fabs(w[j]);
	}
	rn2 = enet_total(d, d->prn2);
	ry = enet_total(d, d->pry);
	if (dual > d->l1) {
		q = d->l1 / dual;
		gap = 0.5 * (rn2 + rn2 * q * q);
	} else {
		q = 1;
		gap = rn2;
	}
	gap += d->l1 * l1n - q * ry + 0.5 * d->l2 * (1 + q * q) * wn2;
	/* No thread may touch prn2, pry or xta before all have read them. */
	enet_barrier(d);
	return gap;
}

/*
 * One thread of the fit (thread 0: the caller's).  Numeric coordinates
 * are shared out by rows (a barrier each); a run of indicator
 * coordinates is a serial section for thread 0 (a barrier to enter, one
 * to leave).
 */
static void *
enet_worker(void *arg)
{
	struct cdthr *th = arg;
	struct cd *d = th->d;
	size_t p = d->p, j, r, c, step = 0;
	double gtol, pd = 0, gap = d->tol + 1;
	long it, pj = -1;
	int converged = 0, serial;

	pthread_mutex_lock(&d->gate);
	while (d->nt == 0)
		pthread_cond_wait(&d->open, &d->gate);
	pthread_mutex_unlock(&d->gate);

	/* Set up: centred target and residual, column statistics. */
	for (r = th->lo; r < th->hi; r++) {
		d->yc[r] = d->y[r] - d->ymean;
		d->R[r] = d->yc[r];
	}
	for (c = th->c0; c < th->c1; c++) {
		size_t from = c * CD_CHUNK, to = from + CD_CHUNK;
		double s = 0;

		if (to > d->n)
			to = d->n;
		for (r = from; r < to; r++)
			s += d->yc[r] * d->yc[r];
		d->pyy[c] = s;
	}
	enet_columns(th);
	enet_barrier(d);
	gtol = d->tol * enet_total(d, d->pyy);

	for (it = 0; it < d->max_iter; it++) {
		double wmax = 0, dwmax = 0;

		if (th->t == 0) {
			d->stop = model_cancelled(d->ctx);
			if (it > 0)
				model_progress(d->ctx, (double)it /
				    (double)d->max_iter);
		}
		enet_barrier(d);
		if (d->stop)
			break;
		serial = 0;
		for (j = 0; j < p; j++) {
			double wold, w, t, *part;

			if (d->norm[j] == 0)
				continue;
			if (d->X->cols[j].kind != FC_NUM) {
				if (!serial) {
					/* R must be complete for thread 0. */
					if (pj >= 0)
						enet_apply(th, (size_t)pj, pd);
					pj = -1;
					enet_barrier(d);
					serial = 1;
					if (th->t == 0)
						d->sdw = d->sw = 0;
				}
				if (th->t == 0)
					enet_indicator(d, j);
				continue;
			}
			if (serial) {
				enet_barrier(d);
				serial = 0;
				dwmax = fmax(dwmax, d->sdw);
				wmax = fmax(wmax, d->sw);
			}
			wold = d->w[j];
			part = d->part[step & 1];
			enet_dots(th, j, pj, pd, part);
			enet_barrier(d);
			step++;
			t = enet_total(d, part) + wold * d->norm[j];
			w = enet_sign(t) * fmax(fabs(t) - d->l1, 0) /
			    (d->norm[j] + d->l2);
			if (w == 0)
				w = 0;	/* not -0 */
			if (th->t == 0)
				d->w[j] = w;
			pj = -1;
			if (w != wold) {
				pj = (long)j;
				pd = w - wold;
			}
			dwmax = fmax(dwmax, fabs(w - wold));
			wmax = fmax(wmax, fabs(w));
		}
		if (serial) {
			enet_barrier(d);
			dwmax = fmax(dwmax, d->sdw);
			wmax = fmax(wmax, d->sw);
		}
		if (wmax == 0 || dwmax / wmax < d->tol ||
		    it == d->max_iter - 1) {
			/* Complete R: the pending update and the shift. */
			if (pj >= 0)
				enet_apply(th, (size_t)pj, pd);
			pj = -1;
			if (d->shift != 0)
				for (r = th->lo; r < th->hi; r++)
					d->R[r] += d->shift;
			enet_barrier(d);
			if (th->t == 0)
				d->shift = 0;
			gap = enet_gap(th, d->w);
			if (gap < gtol) {
				converged = 1;
				break;
			}
		}
	}
	if (th->t == 0) {
		d->n_iter = converged ? it + 1 : it;
		d->converged = converged;
		d->cancelled = d->stop;
		d->gap = gap;
	}
	return NULL;
}

/* The indicator row index: per group, rows sorted by code. */
static void
enet_index(struct cd *d)
{
	const struct fmat *X = d->X;
	size_t n = d->n, r, j, g;

	for (g = 0; g < X->ngroups; g++) {
		const struct fgroup *gr = &X->groups[g];
		size_t *start = xcalloc((size_t)gr->ncodes + 1,
		    sizeof *start), *ord = xmalloc((n + 1) * sizeof *ord);
		int32_t c;

		/* Counting sort (stable: rows ascending within a code). */
		for (r = 0; r < n; r++) {
			c = gr->idx[r];
			if (c >= 0 && c < gr->ncodes && gr->feat[c] >= 0)
				start[c + 1]++;
		}
		for (c = 0; c < gr->ncodes; c++)
			start[c + 1] += start[c];
		for (c = 0; c < gr->ncodes; c++)
			if (gr->feat[c] >= 0) {
				j = (size_t)gr->feat[c];
				d->rows[j] = ord + start[c];
				d->cnt[j] = start[c + 1] - start[c];
			}
		for (r = 0; r < n; r++) {
			c = gr->idx[r];
			if (c >= 0 && c < gr->ncodes && gr->feat[c] >= 0)
				ord[start[c]++] = r;
		}
		free(start);
		d->order[g] = ord;
	}
}

static int
enet_fit(struct model *m, const struct fmat *X, const struct target *y,
    const struct model_ctx *ctx, struct err *e)
{
	double alpha = params_num(&m->params, "alpha");
	double ratio = enet_l1_ratio(m);
	size_t n = X->n, p = X->p, j, g;
	struct cdthr th[CD_MAXTHR];
	pthread_t tid[CD_MAXTHR];
	struct enet *s;
	struct cd d;
	int t, nt;

	if (fmat_check_numeric(X, 0, enet_what(m), e) != 0)
		return -1;
	model_progress(ctx, 0);
	memset(&d, 0, sizeof d);
	d.X = X;
	d.n = n;
	d.p = p;
	d.y = y->y;
	d.center = params_bool(&m->params, "fit_intercept");
	d.ymean = d.center ? mean_corrected(y->y, n) : 0;
	d.l1 = alpha * ratio * (double)n;
	d.l2 = alpha * (1 - ratio) * (double)n;
	d.tol = params_num(&m->params, "tol");
	d.max_iter = params_int(&m->params, "max_iter");
	d.ctx = ctx;
	d.mean = xcalloc(p, sizeof *d.mean);
	d.norm = xcalloc(p, sizeof *d.norm);
	d.cnt = xcalloc(p, sizeof *d.cnt);
	d.rows = xcalloc(p, sizeof *d.rows);
	d.order = xcalloc(X->ngroups + 1, sizeof *d.order);
	d.yc = xmalloc(n * sizeof *d.yc);
	d.R = xmalloc(n * sizeof *d.R);
	d.w = xcalloc(p, sizeof *d.w);
	d.xta = xcalloc(p, sizeof *d.xta);
	d.nchunks = (n + CD_CHUNK - 1) / CD_CHUNK;
	d.part[0] = xcalloc(d.nchunks, sizeof *d.part[0]);
	d.part[1] = xcalloc(d.nchunks, sizeof *d.part[1]);
	d.prn2 = xcalloc(d.nchunks, sizeof *d.prn2);
	d.pry = xcalloc(d.nchunks, sizeof *d.pry);
	d.pyy = xcalloc(d.nchunks, sizeof *d.pyy);
	enet_index(&d);

	/*
	 * Threads: only with CD_MINROWS rows each (a barrier per numeric
	 * coordinate).  They wait at a gate until it is known how many
	 * could be started; the rows are then split among those.
	 */
	nt = ctx != NULL && ctx->threads > 1 ? ctx->threads : 1;
	if (nt > CD_MAXTHR)
		nt = CD_MAXTHR;
	if ((size_t)nt > n / CD_MINROWS)
		nt = n / CD_MINROWS > 1 ? (int)(n / CD_MINROWS) : 1;
	pthread_mutex_init(&d.gate, NULL);
	pthread_cond_init(&d.open, NULL);
	for (t = 0; t < nt; t++) {
		th[t].d = &d;
		th[t].t = t;
	}
	for (t = 1; t < nt; t++)
		if (pthread_create(&tid[t], NULL, enet_worker, &th[t]) != 0)
			break;
	nt = t;
	for (t = 0; t < nt; t++) {
		th[t].c0 = d.nchunks * (size_t)t / (size_t)nt;
		th[t].c1 = d.nchunks * (size_t)(t + 1) / (size_t)nt;
		th[t].lo = th[t].c0 * CD_CHUNK;
		th[t].hi = th[t].c1 * CD_CHUNK < n ? th[t].c1 * CD_CHUNK : n;
	}
	if (nt > 1)
		pthread_barrier_init(&d.bar, NULL, (unsigned)nt);
	pthread_mutex_lock(&d.gate);
	d.nt = nt;
	pthread_cond_broadcast(&d.open);
	pthread_mutex_unlock(&d.gate);
	enet_worker(&th[0]);
	for (t = 1; t < nt; t++)
		pthread_join(tid[t], NULL);
	if (nt > 1)
		pthread_barrier_destroy(&d.bar);
	pthread_mutex_destroy(&d.gate);
	pthread_cond_destroy(&d.open);

	s = NULL;
	if (!d.cancelled) {
		s = xcalloc(1, sizeof *s);
		s->p = p;
		s->coef = d.w;
		d.w = NULL;
		s->n_iter = d.n_iter;
		s->converged = d.converged;
		s->gap = d.gap / (double)n;
		s->intercept = d.ymean;
		for (j = 0; j < p; j++)
			s->intercept -= d.mean[j] * s->coef[j];
	}
	for (g = 0; g < X->ngroups; g++)
		free(d.order[g]);
	free(d.order);
	free(d.rows);
	free(d.mean);
	free(d.norm);
	free(d.cnt);
	free(d.yc);
	free(d.R);
	free(d.w);
	free(d.xta);
	free(d.part[0]);
	free(d.part[1]);
	free(d.prn2);
	free(d.pry);
	free(d.pyy);
	if (s == NULL)
		return err_set(e, ERR_CANCEL, "cancelled");
	for (j = 0; j < p; j++)
		if (!isfinite(s->coef[j]))
			break;
	if (j < p || !isfinite(s->intercept)) {
		free(s->coef);
		free(s);
		return err_set(e, ERR_DATA, "%s: coordinate descent gave "
		    "non-finite coefficients: the features hold values too "
		    "large (rescale them first, 'step scale')", enet_what(m));
	}
	enet_free(m);
	m->state = s;
	model_progress(ctx, 1);
	return 0;
}

static int
enet_predict(const struct model *m, const struct fmat *X, double *out,
    struct err *e)
{
	const struct enet *s = m->state;

	if (model_check_features(m, X, e) != 0 ||
	    fmat_check_numeric(X, 0, enet_what(m), e) != 0)
		return -1;
	if (X->n > 0)
		fmat_xw(X, s->coef, s->intercept, 0, X->n, out);
	return 0;
}

static const char *
enet_importances(const struct model *m, double *out)
{
	const struct enet *s = m->state;

	memcpy(out, s->coef, s->p * sizeof *out);
	return "coefficient";
}

static void
enet_describe(const struct model *m, struct strbuf *sb)
{
	const struct enet *s = m->state;
	size_t j, nz = 0;

	strbuf_addf(sb, "%s alpha=%g", m->ops->name,
	    params_num(&m->params, "alpha"));
	if (m->ops != &model_lasso_ops)
		strbuf_addf(sb, " l1_ratio=%g", enet_l1_ratio(m));
	if (!params_bool(&m->params, "fit_intercept"))
		strbuf_addstr(sb, " fit_intercept=false");
	if (s == NULL)
		return;
	for (j = 0; j < s->p; j++)
		nz += s->coef[j] != 0;
	strbuf_addf(sb, ": %zu coefficient%s (%zu non-zero), intercept %g",
	    s->p, s->p == 1 ? "" : "s", nz, s->intercept);
	if (s->converged)
		strbuf_addf(sb, ", %ld iteration%s", s->n_iter,
		    s->n_iter == 1 ? "" : "s");
	else
		strbuf_addf(sb, " (not converged after %ld iteration%s: "
		    "duality gap %g; raise max_iter or tol)", s->n_iter,
		    s->n_iter == 1 ? "" : "s", s->gap);
}

static void
enet_save(const struct model *m, struct strbuf *sb)
{
	const struct enet *s = m->state;

	state_put_nums(sb, "coef", s->p, s->coef);
	state_put_num(sb, "intercept", s->intercept);
	state_put_int(sb, "n_iter", s->n_iter);
	state_put_int(sb, "converged", s->converged);
	state_put_num(sb, "gap", s->gap);
}

static int
enet_load(struct model *m, const struct state *st, struct err *e)
{
	struct enet *s = xcalloc(1, sizeof *s);
	long long it, conv;

	m->state = s;
	if (state_get_nums(st, "coef", &s->coef, &s->p, e) != 0 ||
	    state_get_num(st, "intercept", &s->intercept, e) != 0 ||
	    state_get_int(st, "n_iter", &it, e) != 0 ||
	    state_get_int(st, "converged", &conv, e) != 0 ||
	    state_get_num(st, "gap", &s->gap, e) != 0)
		return -1;
	if (s->p != m->nfeat)
		return err_set(e, ERR_DATA, "%s: %zu coefficients for %zu "
		    "features", st->what, s->p, m->nfeat);
	s->n_iter = (long)it;
	s->converged = conv != 0;
	return 0;
}

const struct model_ops model_elasticnet_ops = {
	.name = "elasticnet",
	.summary = "elastic net regression: least squares with L1 and L2 "
	    "penalties (coordinate descent)",
	.task = TASK_REGRESS,
	.accepts_cat = 0,
	.params = enet_params,
	.fit = enet_fit,
	.predict = enet_predict,
	.importances = enet_importances,
	.describe = enet_describe,
	.save = enet_save,
	.load = enet_load,
	.free = enet_free,
};

const struct model_ops model_lasso_ops = {
	.name = "lasso",
	.summary = "lasso regression: least squares with an L1 penalty "
	    "(coordinate descent)",
	.task = TASK_REGRESS,
	.accepts_cat = 0,
	.params = lasso_params,
	.fit = enet_fit,
	.predict = enet_predict,
	.importances = enet_importances,
	.describe = enet_describe,
	.save = enet_save,
	.load = enet_load,
	.free = enet_free,
};

/*
 * model-ridge.c - ridge regression ("ridge"), as scikit-learn's
 * Ridge(alpha, fit_intercept) with its dense "cholesky" solver:
 *
 *	minimise ||y - Xw - b||^2 + alpha * ||w||^2,
 *
 * the intercept b not penalised.  With fit_intercept (the default) X and
 * y are centred (Xc = X - column means, yc = y - mean y), then
 *
 *	(Xc'Xc + alpha I) w = Xc'yc,	b = mean y - mean x . w,
 *
 * solved by a Cholesky factorisation (LAPACK dpotrf/dpotrs).  Without
 * fit_intercept, b = 0 and X, y are used as they are.  alpha = 0 is
 * plain least squares; it fails clearly when the features are collinear
 * (use 'model linear', which gives the minimum-norm solution then).
 *
 * The p x p matrix Xc'Xc is built from row chunks, never from a dense
 * n x p copy, in two passes over the data.  The first gives provisional
 * means m' (sum / n; a constant column's is exact).  The second centres
 * each chunk's numeric columns on m' and sends them through BLAS dsyrk;
 * it also sums the deviations, s_j = sum (x_j - m'_j), which give the
 * exact mean m_j = m'_j + s_j / n and the exactly centred products
 *	xc_j . xc_k = sum (x_j - m'_j)(x_k - m'_k) - s_j s_k / n.
 * An indicator column (one-hot output) is never expanded: with S_a its
 * rows, c_a = |S_a| and m_a = c_a / n,
 *	xc_j . xc_a = sum over S_a of (x_j - m'_j) - m_a s_j
 *	xc_a . xc_b = |S_a and S_b| - c_a c_b / n
 * so one lookup per row and indicator group suffices.  Chunks are of a
 * fixed size and their sums are added in chunk order whatever the number
 * of threads (ctx->threads), so the result does not depend on it.
 */
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/xmalloc.h"

/* BLAS / LAPACK (Fortran calling convention, column-major). */
extern void	dsyrk_(const char *uplo, const char *trans, const int *n,
		    const int *k, const double *alpha, const double *a,
		    const int *lda, const double *beta, double *c,
		    const int *ldc, size_t, size_t);
extern void	dpotrf_(const char *uplo, const int *n, double *a,
		    const int *lda, int *info, size_t);
extern void	dpotrs_(const char *uplo, const int *n, const int *nrhs,
		    const double *a, const int *lda, double *b, const int *ldb,
		    int *info, size_t);

#define RIDGE_CHUNK	4096	/* rows per chunk */
#define RIDGE_MAXTHR	64

static const struct param_def ridge_params[] = {
	{ "alpha", PT_NUM, "1", NULL, 0, 1e300,
	  "L2 penalty: alpha * ||w||^2 (0: least squares)" },
	{ "fit_intercept", PT_BOOL, "true", NULL, 0, 0,
	  "fit an unpenalised intercept (centre X and y first)" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct ridge {
	size_t		 p;
	double		*coef;
	double		 intercept;
};

/* What the chunks of one fit share. */
struct gram {
	const struct fmat *X;
	const double	*y;
	int		 center;
	double		 ymean;		/* then corrected by sy / n */
	double		*mean;		/* per feature (0 without centring) */
	size_t		 pn, pi;	/* numeric, indicator features */
	size_t		*num;		/* numeric feature indices */
	int32_t	       **gpos;		/* group, code -> indicator pos or -1 */
	size_t		 nchunks;
	const struct model_ctx *ctx;
	/* Pass 1: per chunk, the sums of the numeric columns and y. */
	double		*psum;		/* nchunks x (pn + 1) */
	unsigned char	*pdiff;		/* nchunks x pn: not all x[0] */
	/* Pass 2: floating sums, added chunk by chunk in chunk order. */
	double		*gnn;		/* pn x pn, lower triangle */
	double		*qn;		/* xc_j . yc */
	double		*sn;		/* sum of xc_j */
	double		*sni;		/* pi x pn: sum over S_a of xc_j */
	double		*qi;		/* sum over S_a of yc */
	double		 sy;		/* sum of yc */
	/* Counts (exact in any order), one copy per thread: */
	double		*cnt[RIDGE_MAXTHR];	/* pi */
	double		*cii[RIDGE_MAXTHR];	/* pi x pi, a < b */
	pthread_mutex_t	 lock;
	pthread_cond_t	 turn;
	size_t		 claim;		/* next chunk to take */
	size_t		 next;		/* chunk whose sums go in next */
	int		 stop;		/* cancelled (under lock) */
};

struct rthr {
	struct gram	*g;
	int		 t;		/* 0: the caller's thread */
};

static void
ridge_free(struct model *m)
{
	struct ridge *s = m->state;

	if (s == NULL)
		return;
	free(s->coef);
	free(s);
	m->state = NULL;
}

/* The next chunk to work on, or -1 when none is left or cancelled. */
static long
ridge_claim(struct gram *g)
{
	long c = -1;

	pthread_mutex_lock(&g->lock);
	if (model_cancelled(g->ctx))
		g->stop = 1;
	if (!g->stop && g->claim < g->nchunks)
		c = (long)g->claim++;
	if (g->stop)	/* wake those waiting for their turn to add */
		pthread_cond_broadcast(&g->turn);
	pthread_mutex_unlock(&g->lock);
	return c;
}

/* Pass 1: the sums of each chunk (for the means). */
static void *
ridge_sums(void *arg)
{
	struct gram *g = ((struct rthr *)arg)->g;
	const struct fmat *X = g->X;
	size_t pn = g->pn, i, j;
	long c;

	while ((c = ridge_claim(g)) >= 0) {
		size_t from = (size_t)c * RIDGE_CHUNK, to = from + RIDGE_CHUNK;
		double *ps = g->psum + (size_t)c * (pn + 1);

		if (to > X->n)
			to = X->n;
		for (j = 0; j <= pn; j++) {
			const double *x = j < pn ? X->cols[g->num[j]].num :
			    g->y;
			double s[4] = { 0, 0, 0, 0 }, x0 = x[0];
			int differ = 0;

			/* Four running sums (i mod 4), so the adds overlap. */
			for (i = from; i + 4 <= to; i += 4) {
				s[0] += x[i];
				s[1] += x[i + 1];
				s[2] += x[i + 2];
				s[3] += x[i + 3];
			}
			for (; i < to; i++)
				s[0] += x[i];
			for (i = from; i < to; i++)
				differ |= x[i] != x0;
			ps[j] = (s[0] + s[1]) + (s[2] + s[3]);
			if (j < pn)
				g->pdiff[(size_t)c * pn + j] =
				    (unsigned char)differ;
		}
	}
	return NULL;
}

/*
 * Pass 2: takes chunks in order, sums each one privately, then adds the
 * sums in chunk order.  Thread 0 (the caller's) reports progress.
 */
static void *
ridge_worker(void *arg)
{
	struct gram *g = ((struct rthr *)arg)->g;
	int t = ((struct rthr *)arg)->t;
	const struct fmat *X = g->X;
	size_t pn = g->pn, pi = g->pi, ng = X->ngroups;
	size_t i, j, k, a, b, done;
	double *blk, *yc, *gnn, *qn, *sn, *sni, *qi, sy;
	double *cnt = g->cnt[t], *cii = g->cii[t];
	int32_t *act;
	const double one = 1, zero = 0;
	long c;

	blk = xmalloc((RIDGE_CHUNK * pn + 1) * sizeof *blk);
	yc = xmalloc(RIDGE_CHUNK * sizeof *yc);
	gnn = xmalloc((pn * pn + 1) * sizeof *gnn);
	qn = xmalloc((pn + 1) * sizeof *qn);
	sn = xmalloc((pn + 1) * sizeof *sn);
	sni = xmalloc((pi * pn + 1) * sizeof *sni);
	qi = xmalloc((pi + 1) * sizeof *qi);
	act = xmalloc((ng + 1) * sizeof *act);
	while ((c = ridge_claim(g)) >= 0) {
		size_t from = (size_t)c * RIDGE_CHUNK, to = from + RIDGE_CHUNK;
		size_t nb;
		int ipn = (int)pn, inb;

		if (to > X->n)
			to = X->n;
		nb = to - from;
		inb = (int)nb;
		/* The centred numeric block, column-major, and yc. */
		sy = 0;
		for (i = 0; i < nb; i++)
			yc[i] = g->y[from + i] - g->ymean;
		for (i = 0; i < nb; i++)
			sy += yc[i];
		for (j = 0; j < pn; j++) {
			const double *x = X->cols[g->num[j]].num + from;
			double mj = g->mean[g->num[j]], *col = blk + j * nb;
			double s[4] = { 0, 0, 0, 0 }, q[4] = { 0, 0, 0, 0 };

			for (i = 0; i < nb; i++)
				col[i] = x[i] - mj;
			for (i = 0; i + 4 <= nb; i += 4) {
				for (k = 0; k < 4; k++) {
					s[k] += col[i + k];
					q[k] += col[i + k] * yc[i + k];
				}
			}
			for (; i < nb; i++) {
				s[0] += col[i];
				q[0] += col[i] * yc[i];
			}
			sn[j] = (s[0] + s[1]) + (s[2] + s[3]);
			qn[j] = (q[0] + q[1]) + (q[2] + q[3]);
		}
		if (pn > 0)
			dsyrk_("L", "T", &ipn, &inb, &one, blk, &inb, &zero,
			    gnn, &ipn, 1, 1);
		/* Indicators: one lookup per row and group. */
		if (pi > 0) {
			memset(sni, 0, pi * pn * sizeof *sni);
			memset(qi, 0, pi * sizeof *qi);
			for (i = 0; i < nb; i++) {
				size_t na = 0;

				for (k = 0; k < ng; k++) {
					const struct fgroup *gr = &X->groups[k];
					int32_t code = gr->idx[from + i];

					if (code >= 0 && code < gr->ncodes &&
					    g->gpos[k][code] >= 0)
						act[na++] = g->gpos[k][code];
				}
				for (a = 0; a < na; a++) {
					double *row = sni + (size_t)act[a] *
					    pn;

					cnt[act[a]] += 1;
					qi[act[a]] += yc[i];
					for (j = 0; j < pn; j++)
						row[j] += blk[j * nb + i];
					for (b = a + 1; b < na; b++) {
						size_t lo = (size_t)act[a],
						    hi = (size_t)act[b];

						if (lo > hi) {
							lo = hi;
							hi = (size_t)act[a];
						}
						cii[lo * pi + hi] += 1;
					}
				}
			}
		}
		/* Add this chunk's sums in chunk order. */
		pthread_mutex_lock(&g->lock);
		while (g->next != (size_t)c && !g->stop)
			pthread_cond_wait(&g->turn, &g->lock);
		if (g->stop) {
			pthread_mutex_unlock(&g->lock);
			break;
		}
		for (j = 0; j < pn; j++) {
			g->qn[j] += qn[j];
			g->sn[j] += sn[j];
			for (k = j; k < pn; k++)
				g->gnn[j * pn + k] += gnn[j * pn + k];
		}
		for (a = 0; a < pi * pn; a++)
			g->sni[a] += sni[a];
		for (a = 0; a < pi; a++)
			g->qi[a] += qi[a];
		g->sy += sy;
		g->next++;
		done = g->next;
		pthread_cond_broadcast(&g->turn);
		pthread_mutex_unlock(&g->lock);
		if (t == 0)
			model_progress(g->ctx, 0.1 + 0.8 * (double)done /
			    (double)g->nchunks);
	}
	free(blk);
	free(yc);
	free(gnn);
	free(qn);
	free(sn);
	free(sni);
	free(qi);
	free(act);
	return NULL;
}

/* Run fn on nt threads, the caller's being thread 0. */
static void
ridge_run(struct gram *g, int nt, void *(*fn)(void *))
{
	pthread_t tid[RIDGE_MAXTHR];
	struct rthr th[RIDGE_MAXTHR];
	int t;

	g->claim = 0;
	g->next = 0;
	for (t = 0; t < nt; t++) {
		th[t].g = g;
		th[t].t = t;
	}
	/* A thread that cannot start leaves its chunks to the others. */
	for (t = 1; t < nt; t++)
		if (pthread_create(&tid[t], NULL, fn, &th[t]) != 0)
			break;
	fn(&th[0]);
	while (--t >= 1)
		pthread_join(tid[t], NULL);
}

static int
ridge_fit(struct model *m, const struct fmat *X, const struct target *y,
    const struct model_ctx *ctx, struct err *e)
{
	double alpha = params_num(&m->params, "alpha");
	size_t n = X->n, p = X->p, j, a, b, k, c, *pos;
	struct gram g;
	double *A, *w, *diag, nn = (double)n;
	int nt, t, ip, one = 1, info = 0, constant = 0;
	struct ridge *s;

	if (fmat_check_numeric(X, 0, "model 'ridge'", e) != 0)
		return -1;
	if (p > 46340)
		return err_set(e, ERR_DATA, "model 'ridge': %zu features is "
		    "too many (the p x p matrix)", p);
	ip = (int)p;
	model_progress(ctx, 0);
	memset(&g, 0, sizeof g);
	g.X = X;
	g.y = y->y;
	g.ctx = ctx;
	g.center = params_bool(&m->params, "fit_intercept");
	g.mean = xcalloc(p, sizeof *g.mean);
	pos = xmalloc(p * sizeof *pos);
	g.num = xmalloc(p * sizeof *g.num);
	for (j = 0; j < p; j++) {
		if (X->cols[j].kind == FC_NUM) {
			pos[j] = g.pn;
			g.num[g.pn++] = j;
		} else
			pos[j] = g.pi++;
	}
	g.gpos = xcalloc(X->ngroups + 1, sizeof *g.gpos);
	for (k = 0; k < X->ngroups; k++) {
		const struct fgroup *gr = &X->groups[k];
		int32_t code;

		g.gpos[k] = xmalloc(((size_t)gr->ncodes + 1) *
		    sizeof *g.gpos[k]);
		for (code = 0; code < gr->ncodes; code++)
			g.gpos[k][code] = gr->feat[code] < 0 ? -1 :
			    (int32_t)pos[gr->feat[code]];
	}
	g.nchunks = (n + RIDGE_CHUNK - 1) / RIDGE_CHUNK;
	nt = ctx != NULL && ctx->threads > 1 ? ctx->threads : 1;
	if (nt > RIDGE_MAXTHR)
		nt = RIDGE_MAXTHR;
	if ((size_t)nt > g.nchunks)
		nt = (int)g.nchunks;
	g.gnn = xcalloc(g.pn * g.pn + 1, sizeof *g.gnn);
	g.qn = xcalloc(g.pn + 1, sizeof *g.qn);
	g.sn = xcalloc(g.pn + 1, sizeof *g.sn);
	g.sni = xcalloc(g.pi * g.pn + 1, sizeof *g.sni);
	g.qi = xcalloc(g.pi + 1, sizeof *g.qi);
	for (t = 0; t < nt; t++) {
		g.cnt[t] = xcalloc(g.pi + 1, sizeof *g.cnt[t]);
		g.cii[t] = xcalloc(g.pi * g.pi + 1, sizeof *g.cii[t]);
	}
	pthread_mutex_init(&g.lock, NULL);
	pthread_cond_init(&g.turn, NULL);

	/*
	 * Pass 1: provisional means (a constant column's is exact, so it
	 * centres to zeros); pass 2 sums the deviations from them, sn and
	 * sy, which correct both the means and the cross products.
	 */
	if (g.center) {
		g.psum = xcalloc(g.nchunks * (g.pn + 1), sizeof *g.psum);
		g.pdiff = xcalloc(g.nchunks * g.pn + 1, sizeof *g.pdiff);
		ridge_run(&g, nt, ridge_sums);
		for (j = 0; j < g.pn; j++) {
			double sum = 0;
			int differ = 0;

			for (c = 0; c < g.nchunks; c++) {
				sum += g.psum[c * (g.pn + 1) + j];
				differ |= g.pdiff[c * g.pn + j];
			}
			g.mean[g.num[j]] = differ ? sum / nn :
			    X->cols[g.num[j]].num[0];
		}
		for (c = 0; c < g.nchunks; c++)
			g.ymean += g.psum[c * (g.pn + 1) + g.pn];
		g.ymean /= nn;
		free(g.psum);
		free(g.pdiff);
	}
	if (!g.stop)
		ridge_run(&g, nt, ridge_worker);
	pthread_mutex_destroy(&g.lock);
	pthread_cond_destroy(&g.turn);
	for (t = 1; t < nt; t++)
		for (a = 0; a < g.pi; a++) {
			g.cnt[0][a] += g.cnt[t][a];
			for (b = a + 1; b < g.pi; b++)
				g.cii[0][a * g.pi + b] += g.cii[t][a * g.pi +
				    b];
		}
	if (g.center) {
		for (j = 0; j < p; j++)
			if (X->cols[j].kind == FC_NUM)
				g.mean[j] += g.sn[pos[j]] / nn;
			else
				g.mean[j] = g.cnt[0][pos[j]] / nn;
		g.ymean += g.sy / nn;
	}

	/*
	 * A = Xc'Xc + alpha I (lower triangle), w = Xc'yc.  Numbers were
	 * centred on provisional means m' = m - sn / n: their cross
	 * products lose sn_j sn_k / n.  Indicator terms are exactly
	 * centred (sum of xc_a is 0), so they need no correction.
	 */
	A = NULL;
	w = NULL;
	diag = NULL;
	if (g.stop)
		goto done;
	A = xcalloc(p * p, sizeof *A);
	w = xcalloc(p, sizeof *w);
	diag = xcalloc(p, sizeof *diag);
	for (a = 0; a < p; a++) {
		size_t pa = pos[a];
		int ia = X->cols[a].kind == FC_NUM;

		if (ia)
			w[a] = g.qn[pa] - (g.center ? g.sn[pa] * g.sy / nn :
			    0);
		else
			w[a] = g.qi[pa] - (g.center ? g.cnt[0][pa] / nn *
			    g.sy : 0);
		for (b = a; b < p; b++) {
			size_t pb = pos[b];
			int ib = X->cols[b].kind == FC_NUM;
			double v;

			if (ia && ib) {
				v = g.gnn[(pa < pb ? pa : pb) * g.pn +
				    (pa < pb ? pb : pa)];
				if (g.center)
					v -= g.sn[pa] * g.sn[pb] / nn;
			} else if (ia || ib) {
				size_t jn = ia ? pa : pb, ji = ia ? pb : pa;

				v = g.sni[ji * g.pn + jn];
				if (g.center)
					v -= g.cnt[0][ji] / nn * g.sn[jn];
			} else {
				double ca = g.cnt[0][pa], cb = g.cnt[0][pb];

				v = pa == pb ? ca : g.cii[0][(pa < pb ? pa :
				    pb) * g.pi + (pa < pb ? pb : pa)];
				if (g.center)
					v -= ca * cb / nn;
			}
			A[a * p + b] = v;	/* column a, row b: lower */
		}
		A[a * p + a] += alpha;
	}
	if (model_cancelled(ctx)) {
		g.stop = 1;
		goto done;
	}
	for (a = 0; a < p; a++)
		diag[a] = A[a * p + a];
	dpotrf_("L", &ip, A, &ip, &info, 1);
	/*
	 * A pivot l_aa^2 is the part of A_aa not explained by the columns
	 * before a: below 1e-13 of it, column a is collinear with them (to
	 * rounding) and the solution would be noise.
	 */
	for (a = 0; info == 0 && a < p; a++)
		if (!(A[a * p + a] * A[a * p + a] > 1e-13 * diag[a]))
			info = (int)a + 1;
	if (info > 0)
		constant = diag[info - 1] == 0;
	if (info == 0)
		dpotrs_("L", &ip, &one, A, &ip, w, &ip, &info, 1);

done:
	for (t = 0; t < nt; t++) {
		free(g.cnt[t]);
		free(g.cii[t]);
	}
	for (k = 0; k < X->ngroups; k++)
		free(g.gpos[k]);
	free(g.gpos);
	free(g.num);
	free(g.gnn);
	free(g.qn);
	free(g.sn);
	free(g.sni);
	free(g.qi);
	free(pos);
	free(A);
	free(diag);
	if (g.stop) {
		free(w);
		free(g.mean);
		return err_set(e, ERR_CANCEL, "cancelled");
	}
	if (info != 0) {
		free(w);
		free(g.mean);
		if (info > 0)
			return err_set(e, ERR_DATA, "model 'ridge': feature "
			    "'%s' is %s, so X'X + alpha I is singular "
			    "(alpha=%g): %s", X->cols[info - 1].name,
			    constant ? "constant" : "a linear combination of "
			    "the features before it", alpha, alpha == 0 ?
			    "use alpha > 0, or 'model linear' for the "
			    "minimum-norm least-squares fit" : "rescale the "
			    "features ('step scale') or raise alpha");
		return err_set(e, ERR_FAIL, "model 'ridge': LAPACK error "
		    "(info %d)", info);
	}
	s = xcalloc(1, sizeof *s);
	s->p = p;
	s->coef = w;
	s->intercept = g.ymean;
	for (j = 0; j < p; j++)
		s->intercept -= g.mean[j] * w[j];
	free(g.mean);
	for (j = 0; j < p; j++)
		if (!isfinite(w[j]))
			break;
	if (j < p || !isfinite(s->intercept)) {
		free(s->coef);
		free(s);
		return err_set(e, ERR_DATA, "model 'ridge': the solution is "
		    "not finite: the features or target hold values too "
		    "large to square (rescale them first, 'step scale')");
	}
	ridge_free(m);
	m->state = s;
	model_progress(ctx, 1);
	return 0;
}

static int
ridge_predict(const struct model *m, const struct fmat *X, double *out,
    struct err *e)
{
	const struct ridge *s = m->state;

	if (model_check_features(m, X, e) != 0 ||
	    fmat_check_numeric(X, 0, "model 'ridge'", e) != 0)
		return -1;
	if (X->n > 0)
		fmat_xw(X, s->coef, s->intercept, 0, X->n, out);
	return 0;
}

static const char *
ridge_importances(const struct model *m, double *out)
{
	const struct ridge *s = m->state;

	memcpy(out, s->coef, s->p * sizeof *out);
	return "coefficient";
}

static void
ridge_describe(const struct model *m, struct strbuf *sb)
{
	const struct ridge *s = m->state;

	strbuf_addf(sb, "ridge alpha=%g", params_num(&m->params, "alpha"));
	if (!params_bool(&m->params, "fit_intercept"))
		strbuf_addstr(sb, " fit_intercept=false");
	if (s != NULL)
		strbuf_addf(sb, ": %zu coefficient%s, intercept %g", s->p,
		    s->p == 1 ? "" : "s", s->intercept);
}

static void
ridge_save(const struct model *m, struct strbuf *sb)
{
	const struct ridge *s = m->state;

	state_put_nums(sb, "coef", s->p, s->coef);
	state_put_num(sb, "intercept", s->intercept);
}

static int
ridge_load(struct model *m, const struct state *st, struct err *e)
{
	struct ridge *s = xcalloc(1, sizeof *s);

	m->state = s;
	if (state_get_nums(st, "coef", &s->coef, &s->p, e) != 0 ||
	    state_get_num(st, "intercept", &s->intercept, e) != 0)
		return -1;
	if (s->p != m->nfeat)
		return err_set(e, ERR_DATA, "%s: %zu coefficients for %zu "
		    "features", st->what, s->p, m->nfeat);
	return 0;
}

const struct model_ops model_ridge_ops = {
	.name = "ridge",
	.summary = "ridge regression: least squares with an L2 penalty "
	    "(exact, Cholesky)",
	.task = TASK_REGRESS,
	.accepts_cat = 0,
	.params = ridge_params,
	.fit = ridge_fit,
	.predict = ridge_predict,
	.importances = ridge_importances,
	.describe = ridge_describe,
	.save = ridge_save,
	.load = ridge_load,
	.free = ridge_free,
};

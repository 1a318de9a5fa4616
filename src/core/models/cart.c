/*
 * cart.c - growing, applying, saving and loading CART trees and forests
 * (cart.h has the definitions, after scikit-learn 1.2.1's _tree.pyx,
 * _splitter.pyx and _criterion.pyx, and forest.py).
 *
 * How it is fast:
 *   - every numeric feature is binned once per fit (a radix sort of its
 *     values): at most max_bins bins, one per distinct value when there
 *     are few enough (exact thresholds), else quantile bins; a feature
 *     with at most 256 bins is stored as bytes, else as 16-bit codes;
 *   - a node scores a feature with one pass over its samples, adding
 *     their weights into a histogram of bins and noting the bins it
 *     touches, then one pass over the touched bins in order (sorted
 *     when few, else by walking the histogram), so a small node costs
 *     little whatever the number of bins;
 *   - a tree keeps one array of its distinct samples (row, weight,
 *     class or y), split stably in place at each node, so each node's
 *     samples stay in row order; no allocation per node;
 *   - trees are grown on ctx->threads threads, each taking the next
 *     tree number; tree k's randomness is rng_seed_stream(seed, k) and
 *     it is stored as tree k, so the forest does not depend on the
 *     number of threads.
 * Class weights are integers (bootstrap draw counts), so gini scores
 * are computed from exact integer sums of squares.
 *
 * Fitted state (cart_save): "trees N", "importance" (p numbers), then
 * per tree a line "tree K NODES LEAVES" followed by the lines feature,
 * threshold, left, right (one entry per node, -1 / -2 / -1 / -1 at a
 * leaf, as scikit-learn's tree_ arrays) and value (nout entries per
 * leaf, in node order).  Each of those lines holds one word, the
 * entries separated by commas, so that a forest of millions of nodes
 * loads without one allocation per number.
 */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/models/cart.h"
#include "core/rng.h"
#include "core/xmalloc.h"

#define CART_MAXTHR	64
#define CART_POLL	1023	/* poll for cancellation every 1024 nodes */
#define CART_CHUNK	256	/* rows per prediction block */

/* ------------------------------------------------------------ bins --- */

enum { BK_U8, BK_U16, BK_IND };

/* One feature as bins: bin(r) <= a  <=>  x[r] <= a threshold past a. */
struct bfeat {
	int		 kind;
	uint32_t	 nb;		/* bins */
	const uint8_t	*u8;
	const uint16_t	*u16;
	const int32_t	*idx;		/* BK_IND: bin = idx[r] == code */
	int32_t		 code;
	double		*lo, *hi;	/* least and greatest value per bin */
	void		*own;		/* the bin column */
};

struct kv {
	uint64_t	 k;
	uint32_t	 r;
};

/* What the binning threads share. */
struct binjob {
	const struct fmat *X;
	struct bfeat	*bf;
	size_t		 maxbins;
	atomic_size_t	 next;
	const struct model_ctx *ctx;
	atomic_int	 stop;
};

/* An order-preserving unsigned key of a double (-0 and 0 alike). */
static uint64_t
dkey(double d)
{
	uint64_t u;

	if (d == 0)
		d = 0;
	memcpy(&u, &d, sizeof u);
	return (u >> 63) ? ~u : u | (1ULL << 63);
}

/* LSD radix sort of a[0..n) by key, 8 bits a pass; tmp as large. */
static void
radix_kv(struct kv *a, struct kv *tmp, size_t n)
{
	size_t (*cnt)[256] = xcalloc(8, sizeof *cnt);
	struct kv *src = a, *dst = tmp, *t;
	size_t i, d, sum;

	for (i = 0; i < n; i++)
		for (d = 0; d < 8; d++)
			cnt[d][(a[i].k >> (8 * d)) & 255]++;
	for (d = 0; d < 8; d++) {
		if (cnt[d][(a[0].k >> (8 * d)) & 255] == n)
			continue;	/* one digit value: nothing moves */
		sum = 0;
		for (i = 0; i < 256; i++) {
			size_t c = cnt[d][i];

			cnt[d][i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[d][(src[i].k >> (8 * d)) & 255]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof *a);
	free(cnt);
}

/*
 * Bin numeric feature j: sort its values; with at most maxbins distinct
 * values each gets a bin, else bins of about n / maxbins rows are cut
 * greedily (the target recomputed from what is left, a heavy value
 * alone in its bin).
 */
static void
bin_numeric(const struct fmat *X, size_t j, size_t maxbins,
    struct bfeat *b, struct kv *kv, struct kv *tmp, double *vals,
    uint32_t *cnt, uint32_t *binof)
{
	const double *x = X->cols[j].num;
	size_t n = X->n, i, d, nd = 0, nb = 0;

	for (i = 0; i < n; i++) {
		kv[i].k = dkey(x[i]);
		kv[i].r = (uint32_t)i;
	}
	radix_kv(kv, tmp, n);
	for (i = 0; i < n; i++) {
		if (i == 0 || kv[i].k != kv[i - 1].k) {
			vals[nd] = x[kv[i].r] == 0 ? 0 : x[kv[i].r];
			cnt[nd++] = 0;
		}
		cnt[nd - 1]++;
	}
	b->lo = xmalloc((nd < maxbins ? nd : maxbins) * sizeof *b->lo);
	b->hi = xmalloc((nd < maxbins ? nd : maxbins) * sizeof *b->hi);
	if (nd <= maxbins) {
		for (d = 0; d < nd; d++) {
			binof[d] = (uint32_t)d;
			b->lo[d] = b->hi[d] = vals[d];
		}
		nb = nd;
	} else {
		size_t left = n, bins = maxbins;

		d = 0;
		while (d < nd) {
			size_t start = d, got = 0;
			double target;

			if (nd - d <= bins) {
				for (; d < nd; d++) {
					binof[d] = (uint32_t)nb;
					b->lo[nb] = b->hi[nb] = vals[d];
					nb++;
				}
				break;
			}
			target = (double)left / (double)bins;
			do
				got += cnt[d++];
			while (d < nd && (double)got < target);
			for (i = start; i < d; i++)
				binof[i] = (uint32_t)nb;
			b->lo[nb] = vals[start];
			b->hi[nb] = vals[d - 1];
			nb++;
			left -= got;
			bins--;
		}
	}
	b->nb = (uint32_t)nb;
	if (nb <= 256) {
		uint8_t *col = xmalloc(n ? n : 1);

		for (i = 0, d = 0; i < n; i++) {
			if (i > 0 && kv[i].k != kv[i - 1].k)
				d++;
			col[kv[i].r] = (uint8_t)binof[d];
		}
		b->kind = BK_U8;
		b->u8 = col;
		b->own = col;
	} else {
		uint16_t *col = xmalloc((n ? n : 1) * sizeof *col);

		for (i = 0, d = 0; i < n; i++) {
			if (i > 0 && kv[i].k != kv[i - 1].k)
				d++;
			col[kv[i].r] = (uint16_t)binof[d];
		}
		b->kind = BK_U16;
		b->u16 = col;
		b->own = col;
	}
}

static void *
bin_worker(void *arg)
{
	struct binjob *bj = arg;
	const struct fmat *X = bj->X;
	size_t n = X->n ? X->n : 1, j;
	struct kv *kv = xmalloc(n * sizeof *kv), *tmp = xmalloc(n *
	    sizeof *tmp);
	double *vals = xmalloc(n * sizeof *vals);
	uint32_t *cnt = xmalloc(n * sizeof *cnt);
	uint32_t *binof = xmalloc(n * sizeof *binof);

	for (;;) {
		if (model_cancelled(bj->ctx))
			atomic_store(&bj->stop, 1);
		if (atomic_load(&bj->stop))
			break;
		j = atomic_fetch_add(&bj->next, 1);
		if (j >= X->p)
			break;
		if (X->cols[j].kind == FC_NUM)
			bin_numeric(X, j, bj->maxbins, &bj->bf[j], kv, tmp,
			    vals, cnt, binof);
	}
	free(kv);
	free(tmp);
	free(vals);
	free(cnt);
	free(binof);
	return NULL;
}

static void
bins_free(struct bfeat *bf, size_t p)
{
	size_t j;

	if (bf == NULL)
		return;
	for (j = 0; j < p; j++) {
		free(bf[j].lo);
		free(bf[j].hi);
		free(bf[j].own);
	}
	free(bf);
}

/* Bin every feature of X on up to nt threads; -1 when cancelled. */
static int
bins_make(struct bfeat **out, const struct fmat *X, size_t maxbins,
    int nt, const struct model_ctx *ctx)
{
	struct bfeat *bf = xcalloc(X->p, sizeof *bf);
	pthread_t th[CART_MAXTHR];
	struct binjob bj;
	size_t j, nnum = 0;
	int t;

	for (j = 0; j < X->p; j++) {
		const struct fcol *c = &X->cols[j];

		if (c->kind == FC_IND) {
			bf[j].kind = BK_IND;
			bf[j].nb = 2;
			bf[j].idx = c->idx;
			bf[j].code = c->code;
			bf[j].lo = xmalloc(2 * sizeof *bf[j].lo);
			bf[j].hi = xmalloc(2 * sizeof *bf[j].hi);
			bf[j].lo[0] = bf[j].hi[0] = 0;
			bf[j].lo[1] = bf[j].hi[1] = 1;
		} else
			nnum++;
	}
	bj.X = X;
	bj.bf = bf;
	bj.maxbins = maxbins;
	bj.ctx = ctx;
	atomic_init(&bj.next, 0);
	atomic_init(&bj.stop, 0);
	if ((size_t)nt > nnum)
		nt = nnum > 0 ? (int)nnum : 1;
	for (t = 1; t < nt; t++)
		if (pthread_create(&th[t], NULL, bin_worker, &bj) != 0)
			break;
	bin_worker(&bj);
	while (--t >= 1)
		pthread_join(th[t], NULL);
	*out = bf;
	if (atomic_load(&bj.stop)) {
		bins_free(bf, X->p);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ grow --- */

/* One distinct sample of a tree. */
struct smp {
	uint32_t	 row;
	uint32_t	 w;		/* weight: bootstrap draws */
	union {
		int32_t	 cls;
		double	 y;
	} u;
};

/* A node waiting to be grown. */
struct frame {
	size_t		 start, end;	/* its samples */
	size_t		 depth;
	int32_t		 parent;	/* -1: the root */
	int		 isleft;
	int64_t		 w;		/* total weight */
	double		 imp;		/* impurity */
	double		 sum, sq;	/* regression: sum w y, sum w y^2 */
};

/* What every tree of one fit shares. */
struct grow {
	const struct cart_opts *o;
	const struct fmat *X;
	const struct target *y;
	struct bfeat	*bf;
	size_t		 n, p, nout, ntrees, mtry, ndraw, maxnb;
	int		 classify;
	const struct model_ctx *ctx;
	struct cart_tree *trees;	/* ntrees */
	double		*timp;		/* ntrees x p: per-tree importances */
	atomic_size_t	 next, done;
	atomic_int	 stop;
};

/* One thread's buffers, reused from tree to tree. */
struct work {
	struct grow	*g;
	int		 id;
	struct rng	 rng;
	struct smp	*s, *tmp;
	uint32_t	*draws;		/* n: bootstrap counts */
	int32_t		*hc;		/* maxnb x nout: class weights */
	int32_t		*hw, *hn;	/* maxnb: weight, samples */
	double		*hy;		/* maxnb: sum w y */
	uint32_t	*touch, *touch2;
	uint64_t	*bitmap;	/* maxnb bits */
	size_t		*perm;		/* p: feature order */
	int64_t		*L, *R, *cl, *cr, *cc;	/* nout each */
	struct frame	*stk;
	int64_t		*cpool;		/* stack slot x nout class weights */
	size_t		 nstk, capstk;
	struct cart_node *node;
	size_t		 nnodes, capnodes;
	double		*val;
	size_t		 nleaves, capval;
	double		*imp;		/* p */
	size_t		 leafrows;	/* samples settled in leaves */
};

struct best {
	double		 proxy;
	size_t		 feat;
	uint32_t	 a, b;		/* last bin on the left, first right */
	int		 found;
};

static double
xlogx(double x)
{
	return x > 0 ? x * log(x) : 0;
}

/* The impurity of a class-weight vector (scikit-learn's formulas). */
static double
class_impurity(enum cart_crit crit, const int64_t *c, size_t k, int64_t w)
{
	double wd = (double)w, r = 0;
	size_t i;

	if (crit == CART_GINI) {
		double sq = 0;

		for (i = 0; i < k; i++)
			sq += (double)c[i] * (double)c[i];
		return 1.0 - sq / (wd * wd);
	}
	for (i = 0; i < k; i++)
		if (c[i] > 0) {
			double p = (double)c[i] / wd;

			r -= p * (log(p) / log(2.0));
		}
	return r;
}

static double
mse_impurity(double sum, double sq, int64_t w)
{
	double wd = (double)w, m = sum / wd;

	return sq / wd - m * m;
}

/*
 * Sort touch[0..k) (bins < nb <= 65536) ascending: by insertion when
 * few, else through a bitmap of the bins when that is short, else by a
 * two-pass radix sort.
 */
static void
sort_touched(struct work *wk, size_t k, uint32_t nb)
{
	uint32_t *t = wk->touch, *t2 = wk->touch2;
	uint64_t *bm = wk->bitmap;
	size_t i, j, nw = (nb + 63) / 64;

	if (k <= 8) {
		for (i = 1; i < k; i++) {
			uint32_t v = t[i];

			for (j = i; j > 0 && t[j - 1] > v; j--)
				t[j] = t[j - 1];
			t[j] = v;
		}
	} else if (nw <= 4 * k) {
		for (i = 0; i < nw; i++)
			bm[i] = 0;
		for (i = 0; i < k; i++)
			bm[t[i] >> 6] |= 1ULL << (t[i] & 63);
		j = 0;
		for (i = 0; i < nw; i++) {
			uint64_t w = bm[i];

			while (w != 0) {
				t[j++] = (uint32_t)(i * 64 +
				    (size_t)__builtin_ctzll(w));
				w &= w - 1;
			}
		}
	} else {
		size_t c0[256] = { 0 }, c1[256] = { 0 }, s0 = 0, s1 = 0, c;

		for (i = 0; i < k; i++) {
			c0[t[i] & 255]++;
			c1[t[i] >> 8]++;
		}
		for (i = 0; i < 256; i++) {
			c = c0[i];
			c0[i] = s0;
			s0 += c;
			c = c1[i];
			c1[i] = s1;
			s1 += c;
		}
		for (i = 0; i < k; i++)
			t2[c0[t[i] & 255]++] = t[i];
		for (i = 0; i < k; i++)
			t[c1[t2[i] >> 8]++] = t2[i];
	}
}

/* The accumulation pass of one feature over samples [start, end). */
#define ACCUM(BIN, BODY) do {						\
	for (i = start; i < end; i++) {					\
		const struct smp *sp = &s[i];				\
		uint32_t b = (BIN);					\
									\
		if (hw[b] == 0)						\
			touch[k++] = b;					\
		hw[b] += (int32_t)sp->w;				\
		hn[b]++;						\
		BODY;							\
	}								\
} while (0)

/*
 * Score the splits of feature f in node fr: update *bs when one beats
 * it.  Returns 0 when f is constant in the node (one bin), else 1.
 */
static int
score_feature(struct work *wk, size_t f, const struct frame *fr,
    const int64_t *tot, struct best *bs)
{
	const struct grow *g = wk->g;
	const struct bfeat *bf = &g->bf[f];
	const struct smp *s = wk->s;
	size_t start = fr->start, end = fr->end, i, k = 0, t, c;
	size_t nout = g->nout, minleaf = g->o->min_leaf;
	int32_t *hw = wk->hw, *hn = wk->hn, *hc = wk->hc;
	double *hy = wk->hy;
	uint32_t *touch = wk->touch;
	int64_t wl = 0, wr = fr->w, nl = 0, nr = (int64_t)(end - start);

	if (g->classify) {
		switch (bf->kind) {
		case BK_U8:
			ACCUM(bf->u8[sp->row],
			    hc[b * nout + (size_t)sp->u.cls] += (int32_t)sp->w);
			break;
		case BK_U16:
			ACCUM(bf->u16[sp->row],
			    hc[b * nout + (size_t)sp->u.cls] += (int32_t)sp->w);
			break;
		default:
			ACCUM((uint32_t)(bf->idx[sp->row] == bf->code),
			    hc[b * nout + (size_t)sp->u.cls] += (int32_t)sp->w);
			break;
		}
	} else {
		switch (bf->kind) {
		case BK_U8:
			ACCUM(bf->u8[sp->row], hy[b] += sp->w * sp->u.y);
			break;
		case BK_U16:
			ACCUM(bf->u16[sp->row], hy[b] += sp->w * sp->u.y);
			break;
		default:
			ACCUM((uint32_t)(bf->idx[sp->row] == bf->code),
			    hy[b] += sp->w * sp->u.y);
			break;
		}
	}
	if (k > 1)
		sort_touched(wk, k, bf->nb);

	if (k > 1 && g->classify) {
		int64_t *L = wk->L, *R = wk->R, sqL = 0, sqR = 0;
		int gini = g->o->crit == CART_GINI;

		for (c = 0; c < nout; c++) {
			L[c] = 0;
			R[c] = tot[c];
			sqR += tot[c] * tot[c];
		}
		for (t = 0; t + 1 < k; t++) {
			uint32_t b = touch[t];
			const int32_t *h = hc + b * nout;
			double proxy;

			for (c = 0; c < nout; c++)
				if (h[c] != 0) {
					int64_t v = h[c];

					sqL += v * (2 * L[c] + v);
					sqR += v * (v - 2 * R[c]);
					L[c] += v;
					R[c] -= v;
				}
			wl += hw[b];
			wr -= hw[b];
			nl += hn[b];
			nr -= hn[b];
			if (nl < (int64_t)minleaf || nr < (int64_t)minleaf)
				continue;
			if (gini)
				proxy = (double)sqL / (double)wl +
				    (double)sqR / (double)wr;
			else {
				proxy = -xlogx((double)wl) -
				    xlogx((double)wr);
				for (c = 0; c < nout; c++)
					proxy += xlogx((double)L[c]) +
					    xlogx((double)R[c]);
			}
			if (proxy > bs->proxy) {
				bs->proxy = proxy;
				bs->feat = f;
				bs->a = b;
				bs->b = touch[t + 1];
				bs->found = 1;
			}
		}
	} else if (k > 1) {
		double sl = 0, sr, stot = fr->sum;

		for (t = 0; t + 1 < k; t++) {
			uint32_t b = touch[t];
			double proxy;

			sl += hy[b];
			wl += hw[b];
			wr -= hw[b];
			nl += hn[b];
			nr -= hn[b];
			if (nl < (int64_t)minleaf || nr < (int64_t)minleaf)
				continue;
			sr = stot - sl;
			proxy = sl * sl / (double)wl + sr * sr / (double)wr;
			if (proxy > bs->proxy) {
				bs->proxy = proxy;
				bs->feat = f;
				bs->a = b;
				bs->b = touch[t + 1];
				bs->found = 1;
			}
		}
	}
	/* Leave the histogram empty for the next feature. */
	for (t = 0; t < k; t++) {
		uint32_t b = touch[t];

		hw[b] = 0;
		hn[b] = 0;
		if (g->classify)
			for (c = 0; c < nout; c++)
				hc[b * nout + c] = 0;
		else
			hy[b] = 0;
	}
	return k > 1;
}

/* Make room for one more node, leaf value row and stack frame. */
static void
work_reserve(struct work *wk)
{
	size_t nout = wk->g->nout;

	if (wk->nnodes == wk->capnodes) {
		wk->capnodes = wk->capnodes ? 2 * wk->capnodes : 1024;
		wk->node = xreallocarray(wk->node, wk->capnodes,
		    sizeof *wk->node);
	}
	if ((wk->nleaves + 1) * nout > wk->capval) {
		wk->capval = wk->capval ? 2 * wk->capval : 1024 * nout;
		wk->val = xreallocarray(wk->val, wk->capval, sizeof *wk->val);
	}
	if (wk->nstk + 2 > wk->capstk) {
		wk->capstk = wk->capstk ? 2 * wk->capstk : 256;
		wk->stk = xreallocarray(wk->stk, wk->capstk, sizeof *wk->stk);
		wk->cpool = xreallocarray(wk->cpool, wk->capstk * nout,
		    sizeof *wk->cpool);
	}
}

/* The statistics of samples [start, end) into frame fr (slot pos). */
static void
frame_stats(struct work *wk, struct frame *fr, size_t pos)
{
	const struct grow *g = wk->g;
	const struct smp *s = wk->s;
	size_t i, nout = g->nout;

	fr->w = 0;
	fr->sum = fr->sq = 0;
	if (g->classify) {
		int64_t *c = wk->cpool + pos * nout;

		memset(c, 0, nout * sizeof *c);
		for (i = fr->start; i < fr->end; i++) {
			c[s[i].u.cls] += s[i].w;
			fr->w += s[i].w;
		}
		fr->imp = class_impurity(g->o->crit, c, nout, fr->w);
	} else {
		for (i = fr->start; i < fr->end; i++) {
			double wy = s[i].w * s[i].u.y;

			fr->w += s[i].w;
			fr->sum += wy;
			fr->sq += wy * s[i].u.y;
		}
		fr->imp = mse_impurity(fr->sum, fr->sq, fr->w);
	}
}

/*
 * Split samples [start, end) stably on feature f, bins <= a to the
 * left; returns the first right sample and fills the children's
 * statistics (frames l, r; class weights in slots pl, pr).
 */
static size_t
partition(struct work *wk, size_t f, uint32_t a, const struct frame *fr,
    struct frame *l, struct frame *r, size_t pl, size_t pr)
{
	const struct grow *g = wk->g;
	const struct bfeat *bf = &g->bf[f];
	struct smp *s = wk->s, *tmp = wk->tmp;
	size_t i, j = fr->start, t = 0, nout = g->nout;
	int64_t *cl = wk->cl, *cr = wk->cr;
	double sl = 0, ql = 0, sr = 0, qr = 0;
	int64_t wl = 0, wr = 0;

	memset(cl, 0, nout * sizeof *cl);
	memset(cr, 0, nout * sizeof *cr);
	for (i = fr->start; i < fr->end; i++) {
		const struct smp *sp = &s[i];
		uint32_t b;

		switch (bf->kind) {
		case BK_U8:
			b = bf->u8[sp->row];
			break;
		case BK_U16:
			b = bf->u16[sp->row];
			break;
		default:
			b = bf->idx[sp->row] == bf->code;
			break;
		}
		if (b <= a) {
			if (g->classify)
				cl[sp->u.cls] += sp->w;
			else {
				double wy = sp->w * sp->u.y;

				sl += wy;
				ql += wy * sp->u.y;
			}
			wl += sp->w;
			s[j++] = *sp;
		} else {
			if (g->classify)
				cr[sp->u.cls] += sp->w;
			else {
				double wy = sp->w * sp->u.y;

				sr += wy;
				qr += wy * sp->u.y;
			}
			wr += sp->w;
			tmp[t++] = *sp;
		}
	}
	memcpy(s + j, tmp, t * sizeof *s);
	l->start = fr->start;
	l->end = j;
	r->start = j;
	r->end = fr->end;
	l->w = wl;
	r->w = wr;
	if (g->classify) {
		memcpy(wk->cpool + pl * nout, cl, nout * sizeof *cl);
		memcpy(wk->cpool + pr * nout, cr, nout * sizeof *cr);
		l->imp = class_impurity(g->o->crit, cl, nout, wl);
		r->imp = class_impurity(g->o->crit, cr, nout, wr);
		l->sum = l->sq = r->sum = r->sq = 0;
	} else {
		l->sum = sl;
		l->sq = ql;
		r->sum = sr;
		r->sq = qr;
		l->imp = mse_impurity(sl, ql, wl);
		r->imp = mse_impurity(sr, qr, wr);
	}
	return j;
}

/* The threshold between bins a < b of feature f (scikit-learn's rule). */
static double
threshold(const struct bfeat *bf, uint32_t a, uint32_t b)
{
	double lo = bf->hi[a], hi = bf->lo[b], t = lo / 2.0 + hi / 2.0;

	if (t == hi || isinf(t))
		t = lo;
	return t;
}

/*
 * Grow tree number ti into wk->node / wk->val / wk->imp.  Returns -1
 * when cancelled.
 */
static int
grow_tree(struct work *wk, size_t ti)
{
	struct grow *g = wk->g;
	const struct cart_opts *o = g->o;
	size_t n = g->n, p = g->p, nout = g->nout, m = 0, i, pops = 0;
	size_t maxdepth = o->max_depth ? o->max_depth : SIZE_MAX;
	double wroot;
	struct frame *fr;

	rng_seed_stream(&wk->rng, o->seed, ti);
	/* The distinct samples, in row order, with their weights. */
	if (o->bootstrap) {
		memset(wk->draws, 0, n * sizeof *wk->draws);
		for (i = 0; i < g->ndraw; i++)
			wk->draws[rng_below(&wk->rng, n)]++;
		for (i = 0; i < n; i++)
			if (wk->draws[i] > 0) {
				wk->s[m].row = (uint32_t)i;
				wk->s[m++].w = wk->draws[i];
			}
	} else
		for (i = 0; i < n; i++) {
			wk->s[m].row = (uint32_t)i;
			wk->s[m++].w = 1;
		}
	for (i = 0; i < m; i++) {
		if (g->classify)
			wk->s[i].u.cls = g->y->cls[wk->s[i].row];
		else
			wk->s[i].u.y = g->y->y[wk->s[i].row];
	}
	for (i = 0; i < p; i++)
		wk->perm[i] = i;
	memset(wk->imp, 0, p * sizeof *wk->imp);
	wk->nnodes = wk->nleaves = wk->nstk = 0;
	wk->leafrows = 0;

	work_reserve(wk);
	fr = &wk->stk[wk->nstk++];
	fr->start = 0;
	fr->end = m;
	fr->depth = 0;
	fr->parent = -1;
	fr->isleft = 0;
	frame_stats(wk, fr, 0);
	wroot = (double)fr->w;

	while (wk->nstk > 0) {
		struct frame cur = wk->stk[--wk->nstk];
		size_t nn = cur.end - cur.start;
		const int64_t *cnt = wk->cc;
		struct cart_node *nd;
		struct best bs;
		int32_t id;
		int leaf;

		if ((++pops & CART_POLL) == 0) {
			if (model_cancelled(g->ctx))
				atomic_store(&g->stop, 1);
			if (atomic_load(&g->stop))
				return -1;
			if (wk->id == 0 && g->ntrees == 1)
				model_progress(g->ctx, 0.05 + 0.9 *
				    (double)wk->leafrows / (double)m);
		}
		work_reserve(wk);
		if (g->classify)
			memcpy(wk->cc, wk->cpool + wk->nstk * nout, nout *
			    sizeof *wk->cc);
		id = (int32_t)wk->nnodes++;
		nd = &wk->node[id];
		if (cur.parent >= 0) {
			if (cur.isleft)
				wk->node[cur.parent].left = id;
			else
				wk->node[cur.parent].right = id;
		}
		leaf = cur.depth >= maxdepth || nn < o->min_split ||
		    nn < 2 * o->min_leaf || cur.imp <= DBL_EPSILON;
		bs.found = 0;
		if (!leaf) {
			size_t left = p, visited = 0;
			int nonconst = 0;

			bs.proxy = -INFINITY;
			while (left > 0 && (visited < g->mtry || !nonconst)) {
				size_t r = (size_t)rng_below(&wk->rng, left);
				size_t f = wk->perm[r];

				wk->perm[r] = wk->perm[left - 1];
				wk->perm[left - 1] = f;
				left--;
				visited++;
				if (score_feature(wk, f, &cur, cnt, &bs))
					nonconst = 1;
			}
			leaf = !bs.found;
		}
		if (!leaf) {
			struct frame l, r;
			size_t pl = wk->nstk + 1, pr = wk->nstk;
			double wd = (double)cur.w, impr;

			/* Right is pushed first, so left is grown next. */
			partition(wk, bs.feat, bs.a, &cur, &l, &r, pl, pr);
			impr = (wd / wroot) * (cur.imp - (double)r.w / wd *
			    r.imp - (double)l.w / wd * l.imp);
			if (impr + DBL_EPSILON < o->min_decrease)
				leaf = 1;
			else {
				wk->imp[bs.feat] += wd * cur.imp -
				    (double)l.w * l.imp - (double)r.w * r.imp;
				nd->feat = (int32_t)bs.feat;
				nd->thr = threshold(&g->bf[bs.feat], bs.a,
				    bs.b);
				nd->left = nd->right = -1;
				nd->leaf = -1;
				l.depth = r.depth = cur.depth + 1;
				l.parent = r.parent = id;
				l.isleft = 1;
				r.isleft = 0;
				wk->stk[wk->nstk++] = r;
				wk->stk[wk->nstk++] = l;
			}
		}
		if (leaf) {
			double *v = wk->val + wk->nleaves * nout;

			nd->feat = -1;
			nd->thr = -2;
			nd->left = nd->right = -1;
			nd->leaf = (int32_t)wk->nleaves++;
			if (g->classify)
				for (i = 0; i < nout; i++)
					v[i] = (double)cnt[i] / (double)cur.w;
			else
				v[0] = cur.sum / (double)cur.w;
			wk->leafrows += nn;
		}
	}
	return 0;
}

/* Keep tree ti: exact-size copies, and its normalised importances. */
static void
keep_tree(struct work *wk, size_t ti)
{
	struct grow *g = wk->g;
	struct cart_tree *t = &g->trees[ti];
	double *imp = g->timp + ti * g->p, s = 0, wroot;
	size_t j;

	t->nnodes = wk->nnodes;
	t->nleaves = wk->nleaves;
	t->node = xmalloc(wk->nnodes * sizeof *t->node);
	memcpy(t->node, wk->node, wk->nnodes * sizeof *t->node);
	t->value = xmalloc(wk->nleaves * g->nout * sizeof *t->value);
	memcpy(t->value, wk->val, wk->nleaves * g->nout * sizeof *t->value);
	/* The root's weight: the number of draws. */
	wroot = g->o->bootstrap ? (double)g->ndraw : (double)g->n;
	for (j = 0; j < g->p; j++) {
		imp[j] = wk->imp[j] / wroot;
		s += imp[j];
	}
	if (s > 0)
		for (j = 0; j < g->p; j++)
			imp[j] /= s;
}

static void *
grow_worker(void *arg)
{
	struct work *wk = arg;
	struct grow *g = wk->g;
	size_t ti, done;

	for (;;) {
		if (model_cancelled(g->ctx))
			atomic_store(&g->stop, 1);
		if (atomic_load(&g->stop))
			break;
		ti = atomic_fetch_add(&g->next, 1);
		if (ti >= g->ntrees)
			break;
		if (grow_tree(wk, ti) != 0)
			break;
		keep_tree(wk, ti);
		done = atomic_fetch_add(&g->done, 1) + 1;
		if (wk->id == 0)
			model_progress(g->ctx, 0.05 + 0.95 * (double)done /
			    (double)g->ntrees);
	}
	return NULL;
}

static void
work_init(struct work *wk, struct grow *g, int id)
{
	size_t n = g->n ? g->n : 1, nb = g->maxnb, nout = g->nout;

	memset(wk, 0, sizeof *wk);
	wk->g = g;
	wk->id = id;
	wk->s = xmalloc(n * sizeof *wk->s);
	wk->tmp = xmalloc(n * sizeof *wk->tmp);
	wk->draws = g->o->bootstrap ? xmalloc(n * sizeof *wk->draws) : NULL;
	wk->hc = g->classify ? xcalloc(nb * nout, sizeof *wk->hc) : NULL;
	wk->hw = xcalloc(nb, sizeof *wk->hw);
	wk->hn = xcalloc(nb, sizeof *wk->hn);
	wk->hy = g->classify ? NULL : xcalloc(nb, sizeof *wk->hy);
	wk->touch = xmalloc(nb * sizeof *wk->touch);
	wk->touch2 = xmalloc(nb * sizeof *wk->touch2);
	wk->bitmap = xmalloc((nb + 63) / 64 * sizeof *wk->bitmap);
	wk->perm = xmalloc(g->p * sizeof *wk->perm);
	wk->L = xmalloc(nout * sizeof *wk->L);
	wk->R = xmalloc(nout * sizeof *wk->R);
	wk->cl = xmalloc(nout * sizeof *wk->cl);
	wk->cr = xmalloc(nout * sizeof *wk->cr);
	wk->cc = xcalloc(nout, sizeof *wk->cc);
	wk->imp = xmalloc(g->p * sizeof *wk->imp);
}

static void
work_release(struct work *wk)
{
	free(wk->s);
	free(wk->tmp);
	free(wk->draws);
	free(wk->hc);
	free(wk->hw);
	free(wk->hn);
	free(wk->hy);
	free(wk->touch);
	free(wk->touch2);
	free(wk->bitmap);
	free(wk->perm);
	free(wk->L);
	free(wk->R);
	free(wk->cl);
	free(wk->cr);
	free(wk->cc);
	free(wk->stk);
	free(wk->cpool);
	free(wk->node);
	free(wk->val);
	free(wk->imp);
}

/* ------------------------------------------------------- interface --- */

int
cart_max_features(const char *s, size_t p, size_t *out, const char *what,
    struct err *e)
{
	double v;
	char *end;
	size_t k;

	if (strcmp(s, "all") == 0)
		k = p;
	else if (strcmp(s, "sqrt") == 0)
		k = (size_t)sqrt((double)p);
	else if (strcmp(s, "log2") == 0)
		k = p > 0 ? (size_t)log2((double)p) : 0;
	else {
		v = strtod(s, &end);
		if (*s == '\0' || *end != '\0' || !(v > 0 && v <= 1))
			return err_set(e, ERR_SPEC, "%s: max_features=%s: "
			    "use all, sqrt, log2 or a fraction of the "
			    "features in (0, 1]", what, s);
		k = (size_t)(v * (double)p);
	}
	if (out != NULL)
		*out = k < 1 ? 1 : k > p ? p : k;
	return 0;
}

void
cart_opts_params(struct cart_opts *o, const struct params *pr,
    enum model_task task, const char *what)
{
	memset(o, 0, sizeof *o);
	if (task == TASK_REGRESS)
		o->crit = CART_MSE;
	else
		o->crit = strcmp(params_str(pr, "criterion"), "entropy") == 0 ?
		    CART_ENTROPY : CART_GINI;
	o->max_depth = (size_t)params_int(pr, "max_depth");
	o->min_split = (size_t)params_int(pr, "min_samples_split");
	o->min_leaf = (size_t)params_int(pr, "min_samples_leaf");
	o->max_features = params_str(pr, "max_features");
	o->min_decrease = params_num(pr, "min_impurity_decrease");
	o->max_bins = (size_t)params_int(pr, "max_bins");
	o->seed = (uint64_t)params_int(pr, "seed");
	o->what = what;
}

int
cart_check_max_samples(double v, const char *what, struct err *e)
{
	if (v < 0 || (v > 1 && v != floor(v)))
		return err_set(e, ERR_SPEC, "%s: max_samples=%g: use 0 (as "
		    "many draws as rows), a fraction in (0, 1] or a whole "
		    "number of rows", what, v);
	return 0;
}

int
cart_fit(struct cart_forest *f, const struct cart_opts *o,
    const struct fmat *X, const struct target *y,
    const struct model_ctx *ctx, struct err *e)
{
	struct work wk[CART_MAXTHR];
	pthread_t th[CART_MAXTHR];
	struct grow g;
	size_t j, t, nsplit = 0;
	int nt, i;

	memset(f, 0, sizeof *f);
	if (fmat_check_numeric(X, 0, o->what, e) != 0)
		return -1;
	if (X->n >= UINT32_MAX || X->n >= INT32_MAX)
		return err_set(e, ERR_DATA, "%s: %zu rows is too many (at "
		    "most %d)", o->what, X->n, INT32_MAX - 1);
	if (o->max_bins < 2 || o->max_bins > 65536)
		return err_set(e, ERR_SPEC, "%s: max_bins=%zu: use 2 to "
		    "65536", o->what, o->max_bins);
	memset(&g, 0, sizeof g);
	g.o = o;
	g.X = X;
	g.y = y;
	g.n = X->n;
	g.p = X->p;
	g.classify = o->crit != CART_MSE;
	g.nout = g.classify ? y->nclasses : 1;
	g.ntrees = o->ntrees ? o->ntrees : 1;
	g.ctx = ctx;
	if (cart_max_features(o->max_features, X->p, &g.mtry, o->what,
	    e) != 0)
		return -1;
	g.ndraw = g.n;
	if (o->bootstrap && o->max_samples > 0) {
		if (o->max_samples <= 1) {
			g.ndraw = (size_t)llround((double)g.n *
			    o->max_samples);
			if (g.ndraw < 1)
				g.ndraw = 1;
		} else if (o->max_samples > (double)g.n)
			return err_set(e, ERR_DATA, "%s: max_samples=%.0f is "
			    "more than the %zu training rows", o->what,
			    o->max_samples, g.n);
		else
			g.ndraw = (size_t)o->max_samples;
	}
	nt = ctx != NULL && ctx->threads > 1 ? ctx->threads : 1;
	if (nt > CART_MAXTHR)
		nt = CART_MAXTHR;
	model_progress(ctx, 0);
	if (bins_make(&g.bf, X, o->max_bins, nt, ctx) != 0)
		return err_set(e, ERR_CANCEL, "cancelled");
	g.maxnb = 2;
	for (j = 0; j < g.p; j++)
		if (g.bf[j].nb > g.maxnb)
			g.maxnb = g.bf[j].nb;
	model_progress(ctx, 0.05);

	g.trees = xcalloc(g.ntrees, sizeof *g.trees);
	g.timp = xcalloc(g.ntrees * g.p, sizeof *g.timp);
	atomic_init(&g.next, 0);
	atomic_init(&g.done, 0);
	atomic_init(&g.stop, 0);
	if ((size_t)nt > g.ntrees)
		nt = (int)g.ntrees;
	for (i = 0; i < nt; i++)
		work_init(&wk[i], &g, i);
	for (i = 1; i < nt; i++)
		if (pthread_create(&th[i], NULL, grow_worker, &wk[i]) != 0)
			break;
	grow_worker(&wk[0]);
	while (--i >= 1)
		pthread_join(th[i], NULL);
	for (i = 0; i < nt; i++)
		work_release(&wk[i]);
	bins_free(g.bf, g.p);

	f->p = g.p;
	f->nout = g.nout;
	f->ntrees = g.ntrees;
	f->tree = g.trees;
	if (atomic_load(&g.stop) || model_cancelled(ctx)) {
		free(g.timp);
		cart_release(f);
		return err_set(e, ERR_CANCEL, "cancelled");
	}
	/* Importances: the mean over the trees that split, normalised. */
	f->importance = xcalloc(g.p ? g.p : 1, sizeof *f->importance);
	for (t = 0; t < g.ntrees; t++) {
		if (g.trees[t].nnodes <= 1)
			continue;
		nsplit++;
		for (j = 0; j < g.p; j++)
			f->importance[j] += g.timp[t * g.p + j];
	}
	if (nsplit > 0 && o->ntrees > 0) {
		double s = 0;

		for (j = 0; j < g.p; j++) {
			f->importance[j] /= (double)nsplit;
			s += f->importance[j];
		}
		if (s > 0)
			for (j = 0; j < g.p; j++)
				f->importance[j] /= s;
	}
	free(g.timp);
	model_progress(ctx, 1);
	return 0;
}

/* Rows [from, from + nr) of X as a row-major block. */
static void
dense_rows(const struct fmat *X, size_t from, size_t nr, double *buf)
{
	size_t p = X->p, i, j;

	for (j = 0; j < p; j++) {
		const struct fcol *c = &X->cols[j];

		switch (c->kind) {
		case FC_NUM:
			for (i = 0; i < nr; i++)
				buf[i * p + j] = c->num[from + i];
			break;
		case FC_IND:
			for (i = 0; i < nr; i++)
				buf[i * p + j] = c->idx[from + i] == c->code;
			break;
		default:
			for (i = 0; i < nr; i++)
				buf[i * p + j] = fmat_get(X, from + i, j);
			break;
		}
	}
}

/*
 * Rows are sent down a tree together, one level a pass, so that the
 * loads of many rows are in flight at once.
 */
void
cart_predict(const struct cart_forest *f, const struct fmat *X,
    size_t from, size_t to, double *out)
{
	size_t nout = f->nout, p = f->p, r, i, k, t;
	double *buf = xmalloc((CART_CHUNK * p + 1) * sizeof *buf);
	int32_t cur[CART_CHUNK];
	uint32_t act[CART_CHUNK];

	memset(out, 0, (to - from) * nout * sizeof *out);
	for (r = from; r < to; r += CART_CHUNK) {
		size_t nr = to - r < CART_CHUNK ? to - r : CART_CHUNK;
		double *o = out + (r - from) * nout;

		dense_rows(X, r, nr, buf);
		for (t = 0; t < f->ntrees; t++) {
			const struct cart_node *nd = f->tree[t].node;
			const double *val = f->tree[t].value;
			size_t na = nd[0].feat >= 0 ? nr : 0, j;

			for (i = 0; i < nr; i++) {
				cur[i] = 0;
				act[i] = (uint32_t)i;
			}
			/* Rows still inside the tree: act[0..na). */
			while (na > 0) {
				for (j = 0, k = 0; j < na; j++) {
					uint32_t a = act[j];
					const struct cart_node *q = nd + cur[a];

					cur[a] = buf[a * p + (size_t)q->feat] <=
					    q->thr ? q->left : q->right;
					act[k] = a;
					k += nd[cur[a]].feat >= 0;
				}
				na = k;
			}
			for (i = 0; i < nr; i++) {
				const double *v = val + (size_t)nd[cur[i]].leaf *
				    nout;

				for (k = 0; k < nout; k++)
					o[i * nout + k] += v[k];
			}
		}
	}
	if (f->ntrees > 1)
		for (i = 0; i < (to - from) * nout; i++)
			out[i] /= (double)f->ntrees;
	free(buf);
}

void
cart_predict_class(const struct cart_forest *f, const struct fmat *X,
    double *out)
{
	size_t nout = f->nout, r, i, k;
	double *pr = xmalloc(4096 * nout * sizeof *pr);

	for (r = 0; r < X->n; r += 4096) {
		size_t nr = X->n - r < 4096 ? X->n - r : 4096;

		cart_predict(f, X, r, r + nr, pr);
		for (i = 0; i < nr; i++) {
			const double *q = pr + i * nout;
			size_t best = 0;

			for (k = 1; k < nout; k++)
				if (q[k] > q[best])
					best = k;
			out[r + i] = (double)best;
		}
	}
	free(pr);
}

void
cart_release(struct cart_forest *f)
{
	size_t t;

	if (f->tree != NULL)
		for (t = 0; t < f->ntrees; t++) {
			free(f->tree[t].node);
			free(f->tree[t].value);
		}
	free(f->tree);
	free(f->importance);
	memset(f, 0, sizeof *f);
}

size_t
cart_depth(const struct cart_tree *t)
{
	size_t *d, i, max = 0;

	if (t->nnodes == 0)
		return 0;
	d = xcalloc(t->nnodes, sizeof *d);
	for (i = 0; i < t->nnodes; i++) {
		const struct cart_node *q = &t->node[i];

		if (d[i] > max)
			max = d[i];
		if (q->feat >= 0) {
			d[q->left] = d[i] + 1;
			d[q->right] = d[i] + 1;
		}
	}
	free(d);
	return max;
}

void
cart_describe(const struct cart_forest *f, struct strbuf *sb)
{
	size_t t, nodes = 0, leaves = 0, depth = 0, d;

	for (t = 0; t < f->ntrees; t++) {
		nodes += f->tree[t].nnodes;
		leaves += f->tree[t].nleaves;
		d = cart_depth(&f->tree[t]);
		if (d > depth)
			depth = d;
	}
	if (f->ntrees != 1)
		strbuf_addf(sb, "%zu trees, ", f->ntrees);
	strbuf_addf(sb, "%zu nodes, %zu leaves, depth %s%zu", nodes, leaves,
	    f->ntrees != 1 ? "up to " : "", depth);
}

/* "key v,v,v\n" */
static void
put_packed_ints(struct strbuf *sb, const char *key, size_t n,
    const struct cart_node *nd, int what)
{
	size_t i;

	strbuf_addstr(sb, key);
	strbuf_addch(sb, ' ');
	for (i = 0; i < n; i++) {
		int32_t v = what == 0 ? nd[i].feat : what == 1 ? nd[i].left :
		    nd[i].right;

		if (i > 0)
			strbuf_addch(sb, ',');
		strbuf_addf(sb, "%d", (int)v);
	}
	strbuf_addch(sb, '\n');
}

void
cart_save(const struct cart_forest *f, struct strbuf *sb)
{
	size_t t, i;

	state_put_int(sb, "trees", (long long)f->ntrees);
	state_put_nums(sb, "importance", f->p, f->importance);
	for (t = 0; t < f->ntrees; t++) {
		const struct cart_tree *tr = &f->tree[t];

		strbuf_addf(sb, "tree %zu %zu %zu\n", t, tr->nnodes,
		    tr->nleaves);
		put_packed_ints(sb, "feature", tr->nnodes, tr->node, 0);
		strbuf_addstr(sb, "threshold ");
		for (i = 0; i < tr->nnodes; i++) {
			if (i > 0)
				strbuf_addch(sb, ',');
			if (tr->node[i].feat < 0)
				strbuf_addstr(sb, "-2");
			else
				state_double(sb, tr->node[i].thr);
		}
		strbuf_addch(sb, '\n');
		put_packed_ints(sb, "left", tr->nnodes, tr->node, 1);
		put_packed_ints(sb, "right", tr->nnodes, tr->node, 2);
		strbuf_addstr(sb, "value ");
		for (i = 0; i < tr->nleaves * f->nout; i++) {
			if (i > 0)
				strbuf_addch(sb, ',');
			state_double(sb, tr->value[i]);
		}
		strbuf_addch(sb, '\n');
	}
}

/*
 * The packed numbers of line l (key KEY): exactly n of them into
 * out[i * stride] (doubles) or iout (ints).
 */
static int
get_packed(const struct state *st, const struct state_line *l,
    const char *key, size_t n, double *out, int32_t *iout, struct err *e)
{
	const char *s;
	size_t i;

	if (l == NULL || strcmp(l->key, key) != 0 || l->nwords != 1)
		return err_set(e, ERR_DATA, "%s: expected a '%s' line", st->what,
		    key);
	s = l->words[0];
	for (i = 0; i < n; i++) {
		char *end;

		if (iout != NULL) {
			long v = strtol(s, &end, 10);

			if (v < INT32_MIN || v > INT32_MAX)
				end = (char *)(uintptr_t)s;
			iout[i] = (int32_t)v;
		} else
			out[i] = strtod(s, &end);
		if (end == s || (*end != ',' && *end != '\0') ||
		    (*end == '\0') != (i + 1 == n))
			return err_set(e, ERR_DATA, "%s: '%s' does not hold "
			    "%zu numbers", st->what, key, n);
		s = end + 1;
	}
	return 0;
}

int
cart_load(struct cart_forest *f, const struct state *st, size_t p,
    size_t nout, struct err *e)
{
	long long nt;
	size_t i, t, k, nimp;
	int32_t *iv = NULL;
	double *dv = NULL;

	memset(f, 0, sizeof *f);
	f->p = p;
	f->nout = nout;
	if (state_get_int(st, "trees", &nt, e) != 0)
		return -1;
	if (nt < 1 || nt > 100000000)
		return err_set(e, ERR_DATA, "%s: bad number of trees %lld",
		    st->what, nt);
	if (state_get_nums(st, "importance", &f->importance, &nimp, e) != 0)
		return -1;
	if (nimp != p) {
		cart_release(f);
		return err_set(e, ERR_DATA, "%s: %zu importances for %zu "
		    "features", st->what, nimp, p);
	}
	f->ntrees = (size_t)nt;
	f->tree = xcalloc(f->ntrees, sizeof *f->tree);
	for (i = 0; i < st->n && strcmp(st->lines[i].key, "tree") != 0; i++)
		;
	for (t = 0; t < f->ntrees; t++, i += 6) {
		const struct state_line *l = i < st->n ? &st->lines[i] : NULL;
		struct cart_tree *tr = &f->tree[t];
		size_t nn, nl, leaves = 0;
		char *end;

		if (l == NULL || strcmp(l->key, "tree") != 0 ||
		    l->nwords != 3 || strtoull(l->words[0], &end, 10) != t) {
			err_set(e, ERR_DATA, "%s: tree %zu is missing",
			    st->what, t);
			goto bad;
		}
		nn = strtoull(l->words[1], &end, 10);
		nl = strtoull(l->words[2], &end, 10);
		if (nn < 1 || nn > INT32_MAX || nl < 1 || nl > nn ||
		    i + 5 >= st->n) {
			err_set(e, ERR_DATA, "%s: tree %zu is malformed",
			    st->what, t);
			goto bad;
		}
		tr->nnodes = nn;
		tr->nleaves = nl;
		tr->node = xcalloc(nn, sizeof *tr->node);
		tr->value = xmalloc(nl * nout * sizeof *tr->value);
		iv = xreallocarray(iv, nn, sizeof *iv);
		dv = xreallocarray(dv, nn, sizeof *dv);
		if (get_packed(st, &st->lines[i + 1], "feature", nn, NULL, iv,
		    e) != 0)
			goto bad;
		for (k = 0; k < nn; k++)
			tr->node[k].feat = iv[k];
		if (get_packed(st, &st->lines[i + 2], "threshold", nn, dv,
		    NULL, e) != 0)
			goto bad;
		for (k = 0; k < nn; k++)
			tr->node[k].thr = dv[k];
		if (get_packed(st, &st->lines[i + 3], "left", nn, NULL, iv,
		    e) != 0)
			goto bad;
		for (k = 0; k < nn; k++)
			tr->node[k].left = iv[k];
		if (get_packed(st, &st->lines[i + 4], "right", nn, NULL, iv,
		    e) != 0)
			goto bad;
		for (k = 0; k < nn; k++)
			tr->node[k].right = iv[k];
		if (get_packed(st, &st->lines[i + 5], "value", nl * nout,
		    tr->value, NULL, e) != 0)
			goto bad;
		/* Children after their parent: no cycles, every walk ends. */
		for (k = 0; k < nn; k++) {
			struct cart_node *q = &tr->node[k];

			if (q->feat < 0) {
				if (q->feat != -1 || leaves >= nl)
					break;
				q->leaf = (int32_t)leaves++;
				q->left = q->right = -1;
				continue;
			}
			q->leaf = -1;
			if ((size_t)q->feat >= p || q->left <= (int32_t)k ||
			    q->right <= (int32_t)k || (size_t)q->left >= nn ||
			    (size_t)q->right >= nn)
				break;
		}
		if (k < nn || leaves != nl) {
			err_set(e, ERR_DATA, "%s: tree %zu: bad node %zu",
			    st->what, t, k);
			goto bad;
		}
	}
	free(iv);
	free(dv);
	return 0;
bad:
	free(iv);
	free(dv);
	cart_release(f);
	return -1;
}

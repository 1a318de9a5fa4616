/*
 * cart.c - growing, applying, saving and loading CART trees and forests
 * (cart.h has the definitions, after scikit-learn 1.2.1's _tree.pyx,
 * _splitter.pyx and _criterion.pyx, and forest.py).
 *
 * How it is fast:
 *   - every numeric feature is binned once per fit (a radix sort of its
 *     values): at most max_bins bins, one per distinct value when there
 *     are few enough (then the thresholds are scikit-learn's), else bins
 *     of about equal counts; features of at most 256 bins are stored as
 *     bytes in one row-major matrix, the others as 16-bit columns;
 *     indicator columns are read from their idx array;
 *   - a node scores its byte features together: one pass over its
 *     samples reads each sample's row once and adds the sample's weight
 *     into one histogram of bins per feature, marking the bins used in a
 *     bitmap; then each histogram is scanned over the used bins only, in
 *     order, so a small node costs little whatever the number of bins
 *     (16-bit features: a list of the bins used, sorted); indicators
 *     are scored from one histogram of their group's codes over the
 *     node, so the indicators of one encoded column tried at a node
 *     cost one pass together;
 *   - a tree keeps one array of its distinct samples (row, weight,
 *     class or y), split stably in place at each node, so each node's
 *     samples stay in row order; no allocation per node;
 *   - trees are grown on ctx->threads threads, each taking the next
 *     tree number; tree k's randomness is rng_seed_stream(seed, k) and
 *     it is stored as tree k, so the forest does not depend on the
 *     number of threads;
 *   - prediction sends blocks of rows down a tree together, a level at
 *     a time, so many rows' loads are in flight at once.
 * Class weights are integers (bootstrap draw counts), so gini scores
 * are computed from exact integer sums of squares.
 *
 * Fitted state (cart_save): "trees N", "importance" (p numbers), then
 * per tree a line "tree K NODES LEAVES" followed by the lines feature,
 * threshold, left, right (one entry per node, -1 / -2 / -1 / -1 at a
 * leaf, as scikit-learn's tree_ arrays) and value (nout entries per
 * leaf, in node order); nodes in depth-first order, a left child right
 * after its parent (cart_load insists).  Each of those lines holds one
 * word, the entries separated by commas, so that a forest of millions
 * of nodes loads without one allocation per number.
 */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
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
	const uint8_t	*u8;		/* until packed into m8 */
	int		 slot;		/* BK_U8: column of m8 */
	const uint16_t	*u16;
	const int32_t	*idx;		/* BK_IND: bin = idx[r] == code */
	int32_t		 code;
	size_t		 grp;		/* BK_IND: its group (fmat) */
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
 * values each gets a bin, else consecutive values are gathered greedily
 * into bins of about (rows left) / (bins left) rows each, a value never
 * split between bins.
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
			bf[j].grp = c->group;
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

/*
 * Gather the byte-binned features into one row-major matrix, so that a
 * node reads all the features it tries from one cache line per sample.
 */
static uint8_t *
pack_bytes(struct bfeat *bf, size_t p, size_t n, size_t *q8)
{
	size_t j, r, r0, q = 0;
	uint8_t *m8;

	for (j = 0; j < p; j++)
		if (bf[j].kind == BK_U8)
			bf[j].slot = (int)q++;
	m8 = xmalloc(n * q + 1);
	for (r0 = 0; r0 < n; r0 += 4096) {
		size_t r1 = n - r0 < 4096 ? n : r0 + 4096;

		for (j = 0; j < p; j++)
			if (bf[j].kind == BK_U8)
				for (r = r0; r < r1; r++)
					m8[r * q + (size_t)bf[j].slot] =
					    bf[j].u8[r];
	}
	for (j = 0; j < p; j++)
		if (bf[j].kind == BK_U8) {
			free(bf[j].own);
			bf[j].own = NULL;
			bf[j].u8 = NULL;
		}
	*q8 = q;
	return m8;
}

/* ------------------------------------------------------------ grow --- */

#define CART_BATCH	8	/* byte features scored in one pass */

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

/*
 * A histogram bin.  Classification: int32 records of S entries {weight
 * of class 0, ..., of class nout - 1[, samples]}; regression: rrec.  The
 * distinct samples are counted only when min_samples_leaf needs them
 * (with bootstrap weights; else a bin's samples are its weight).
 */
struct rrec {
	double		 sy;		/* sum w y */
	int32_t		 w, n;
};

/* What every tree of one fit shares. */
struct grow {
	const struct cart_opts *o;
	const struct fmat *X;
	const struct target *y;
	struct bfeat	*bf;
	uint8_t		*m8;		/* n x q8: the byte features, by row */
	size_t		 q8;
	size_t		 n, p, nout, S, ntrees, mtry, ndraw, maxnb;
	int		 classify;
	int		 needn;		/* count samples per bin */
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
	int32_t		*hc;		/* maxnb records (classification) */
	struct rrec	*hr;		/* maxnb records (regression) */
	int32_t		*hw;		/* maxnb: weight (score_one) */
	int32_t		*bc;		/* CART_BATCH x 256 records */
	struct rrec	*br;
	uint64_t	*bbm;		/* CART_BATCH x 4 bitmap words */
	int32_t		*gc;		/* indicator group: records per code */
	struct rrec	*gr;
	uint32_t	*gtouch;	/* codes used */
	size_t		 ngtouch;
	long		 gcur;		/* the group in gc / gr, or -1 */
	uint32_t	*touch, *touch2;
	uint64_t	*bitmap;	/* maxnb bits */
	size_t		*perm;		/* p: feature order */
	size_t		*drawn;		/* p: this node's features */
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

/* The bins set in bitmap bm (nw words), ascending, into t; clears bm. */
static size_t
bitmap_list(uint64_t *bm, size_t nw, uint32_t *t)
{
	size_t i, k = 0;

	for (i = 0; i < nw; i++) {
		uint64_t w = bm[i];

		while (w != 0) {
			t[k++] = (uint32_t)(i * 64 +
			    (size_t)__builtin_ctzll(w));
			w &= w - 1;
		}
		bm[i] = 0;
	}
	return k;
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
	size_t i, j, nw = (nb + 63) / 64;

	if (k <= 8) {
		for (i = 1; i < k; i++) {
			uint32_t v = t[i];

			for (j = i; j > 0 && t[j - 1] > v; j--)
				t[j] = t[j - 1];
			t[j] = v;
		}
	} else if (nw <= 4 * k) {
		for (i = 0; i < k; i++)
			wk->bitmap[t[i] >> 6] |= 1ULL << (t[i] & 63);
		bitmap_list(wk->bitmap, nw, t);
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

/* The bin of row r for feature f. */
static inline uint32_t
bin_of(const struct grow *g, const struct bfeat *bf, uint32_t r)
{
	switch (bf->kind) {
	case BK_U8:
		return g->m8[(size_t)r * g->q8 + (size_t)bf->slot];
	case BK_U16:
		return bf->u16[r];
	default:
		return bf->idx[r] == bf->code;
	}
}

/*
 * Score the splits of feature f whose histogram (hc / hr) holds the
 * node's samples in the k bins t[0..k), ascending; update *bs when one
 * beats it, and empty those bins.
 */
static void
scan(struct work *wk, size_t f, const struct frame *fr, const int64_t *tot,
    int32_t *hc, struct rrec *hr, const uint32_t *t, size_t k,
    struct best *bs)
{
	const struct grow *g = wk->g;
	size_t nout = g->nout, S = g->S, c, i;
	int64_t minleaf = (int64_t)g->o->min_leaf;
	int64_t wl = 0, wr = fr->w, nl = 0, nr = (int64_t)(fr->end -
	    fr->start);
	int checkn = minleaf > 1, needn = g->needn;

	if (g->classify) {
		int64_t *L = wk->L, *R = wk->R, sqL = 0, sqR = 0;
		int gini = g->o->crit == CART_GINI;

		for (c = 0; c < nout; c++) {
			L[c] = 0;
			R[c] = tot[c];
			sqR += tot[c] * tot[c];
		}
		for (i = 0; i + 1 < k; i++) {
			const int32_t *h = hc + t[i] * S;
			int64_t wb = 0;
			double proxy;

			for (c = 0; c < nout; c++)
				if (h[c] != 0) {
					int64_t v = h[c];

					sqL += v * (2 * L[c] + v);
					sqR += v * (v - 2 * R[c]);
					L[c] += v;
					R[c] -= v;
					wb += v;
				}
			wl += wb;
			wr -= wb;
			if (checkn) {
				int64_t nb = needn ? h[nout] : wb;

				nl += nb;
				nr -= nb;
				if (nl < minleaf || nr < minleaf)
					continue;
			}
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
				bs->a = t[i];
				bs->b = t[i + 1];
				bs->found = 1;
			}
		}
		for (i = 0; i < k; i++) {
			int32_t *h = hc + t[i] * S;

			for (c = 0; c < S; c++)
				h[c] = 0;
		}
	} else {
		double sl = 0, sr, stot = fr->sum;

		for (i = 0; i + 1 < k; i++) {
			const struct rrec *h = hr + t[i];
			double proxy;

			sl += h->sy;
			wl += h->w;
			wr -= h->w;
			if (checkn) {
				int64_t nb = needn ? h->n : h->w;

				nl += nb;
				nr -= nb;
				if (nl < minleaf || nr < minleaf)
					continue;
			}
			sr = stot - sl;
			proxy = sl * sl / (double)wl + sr * sr / (double)wr;
			if (proxy > bs->proxy) {
				bs->proxy = proxy;
				bs->feat = f;
				bs->a = t[i];
				bs->b = t[i + 1];
				bs->found = 1;
			}
		}
		for (i = 0; i < k; i++) {
			hr[t[i]].sy = 0;
			hr[t[i]].w = 0;
			hr[t[i]].n = 0;
		}
	}
}

/* The accumulation pass of one feature over samples [start, end). */
#define ACCUM(BIN) do {							\
	for (i = start; i < end; i++) {					\
		const struct smp *sp = &s[i];				\
		uint32_t b = (BIN);					\
									\
		if (hw[b] == 0)						\
			touch[k++] = b;					\
		hw[b] += (int32_t)sp->w;				\
		if (g->classify) {					\
			int32_t *h = hc + b * S;			\
									\
			h[sp->u.cls] += (int32_t)sp->w;			\
			if (g->needn)					\
				h[g->nout]++;				\
		} else {						\
			struct rrec *h = hr + b;			\
									\
			h->sy += sp->w * sp->u.y;			\
			h->w += (int32_t)sp->w;				\
			h->n++;						\
		}							\
	}								\
} while (0)

/*
 * Score feature f (16-bit, or an indicator of a code outside its
 * group's map) alone.  Returns 0 when it is constant in the node (one
 * bin), else 1.
 */
static int
score_one(struct work *wk, size_t f, const struct frame *fr,
    const int64_t *tot, struct best *bs)
{
	const struct grow *g = wk->g;
	const struct bfeat *bf = &g->bf[f];
	const struct smp *s = wk->s;
	size_t start = fr->start, end = fr->end, i, k = 0, S = g->S;
	int32_t *hc = wk->hc, *hw = wk->hw;
	struct rrec *hr = wk->hr;
	uint32_t *touch = wk->touch;

	if (bf->kind == BK_U16)
		ACCUM(bf->u16[sp->row]);
	else
		ACCUM((uint32_t)(bf->idx[sp->row] == bf->code));
	if (k > 1)
		sort_touched(wk, k, bf->nb);
	scan(wk, f, fr, tot, hc, hr, touch, k, bs);
	for (i = 0; i < k; i++)
		hw[touch[i]] = 0;
	return k > 1;
}

/*
 * Score the byte features f[0..nf) (nf <= CART_BATCH) with one pass
 * over the node's samples, reading each sample's row of m8 once; then
 * scan them in order.  *nonconst is set when one is not constant.
 */
static void
score_batch(struct work *wk, const size_t *f, size_t nf,
    const struct frame *fr, const int64_t *tot, struct best *bs,
    int *nonconst)
{
	const struct grow *g = wk->g;
	const struct smp *s = wk->s;
	const uint8_t *m8 = g->m8;
	size_t q = g->q8, S = g->S, off[CART_BATCH], i, j, k;
	uint64_t *bm = wk->bbm;

	for (j = 0; j < nf; j++)
		off[j] = (size_t)g->bf[f[j]].slot;
	if (g->classify && !g->needn)
		for (i = fr->start; i < fr->end; i++) {
			const uint8_t *row = m8 + (size_t)s[i].row * q;
			int32_t w = (int32_t)s[i].w, *h = wk->bc +
			    (size_t)s[i].u.cls;

			for (j = 0; j < nf; j++) {
				uint32_t b = row[off[j]];

				h[(j * 256 + b) * S] += w;
				bm[j * 4 + (b >> 6)] |= 1ULL << (b & 63);
			}
		}
	else if (g->classify)
		for (i = fr->start; i < fr->end; i++) {
			const uint8_t *row = m8 + (size_t)s[i].row * q;
			int32_t w = (int32_t)s[i].w;
			size_t c = (size_t)s[i].u.cls, nout = g->nout;

			for (j = 0; j < nf; j++) {
				uint32_t b = row[off[j]];
				int32_t *h = wk->bc + (j * 256 + b) * S;

				h[c] += w;
				h[nout]++;
				bm[j * 4 + (b >> 6)] |= 1ULL << (b & 63);
			}
		}
	else
		for (i = fr->start; i < fr->end; i++) {
			const uint8_t *row = m8 + (size_t)s[i].row * q;
			int32_t w = (int32_t)s[i].w;
			double wy = s[i].w * s[i].u.y;

			for (j = 0; j < nf; j++) {
				uint32_t b = row[off[j]];
				struct rrec *h = wk->br + j * 256 + b;

				h->sy += wy;
				h->w += w;
				h->n++;
				bm[j * 4 + (b >> 6)] |= 1ULL << (b & 63);
			}
		}
	for (j = 0; j < nf; j++) {
		k = bitmap_list(bm + j * 4, 4, wk->touch);
		scan(wk, f[j], fr, tot, g->classify ? wk->bc + j * 256 * S :
		    NULL, g->classify ? NULL : wk->br + j * 256, wk->touch, k,
		    bs);
		if (k > 1)
			*nonconst = 1;
	}
}

/* Empty the indicator group histogram. */
static void
group_clear(struct work *wk)
{
	size_t i, c, S = wk->g->S;

	for (i = 0; i < wk->ngtouch; i++) {
		uint32_t k = wk->gtouch[i];

		if (wk->gc != NULL)
			for (c = 0; c < S; c++)
				wk->gc[k * S + c] = 0;
		else
			memset(&wk->gr[k], 0, sizeof wk->gr[k]);
	}
	wk->ngtouch = 0;
	wk->gcur = -1;
}

/*
 * Score indicator feature f from a histogram of its group's codes over
 * the node (one pass serves every indicator of the group tried at the
 * node): bin 1 holds its code's samples, bin 0 the rest.
 */
static int
score_ind(struct work *wk, size_t f, const struct frame *fr,
    const int64_t *tot, struct best *bs)
{
	const struct grow *g = wk->g;
	const struct bfeat *bf = &g->bf[f];
	const struct fgroup *gp = &g->X->groups[bf->grp];
	const struct smp *s = wk->s;
	size_t S = g->S, nout = g->nout, i, c, other = (size_t)gp->ncodes;
	int32_t rc[2 * 64], *hc = NULL;
	struct rrec rr[2], *hr = NULL;
	uint32_t t[2], k = 0, slot;

	if (wk->gcur != (long)bf->grp) {
		group_clear(wk);
		wk->gcur = (long)bf->grp;
		for (i = fr->start; i < fr->end; i++) {
			int32_t code = gp->idx[s[i].row];
			size_t sl = code >= 0 && code < gp->ncodes ?
			    (size_t)code : other;

			if (g->classify) {
				int32_t *h = wk->gc + sl * S;

				if (h[s[i].u.cls] == 0) {
					for (c = 0; c < nout && h[c] == 0; c++)
						;
					if (c == nout)
						wk->gtouch[wk->ngtouch++] =
						    (uint32_t)sl;
				}
				h[s[i].u.cls] += (int32_t)s[i].w;
				if (g->needn)
					h[nout]++;
			} else {
				struct rrec *h = wk->gr + sl;

				if (h->w == 0)
					wk->gtouch[wk->ngtouch++] =
					    (uint32_t)sl;
				h->sy += s[i].w * s[i].u.y;
				h->w += (int32_t)s[i].w;
				h->n++;
			}
		}
	}
	slot = (uint32_t)bf->code;	/* in [0, ncodes): score_features */
	if (g->classify) {
		int64_t w1 = 0;

		hc = S <= 64 ? rc : xmalloc(2 * S * sizeof *hc);
		for (c = 0; c < nout; c++) {
			hc[S + c] = wk->gc[slot * S + c];
			hc[c] = (int32_t)(tot[c] - hc[S + c]);
			w1 += hc[S + c];
		}
		if (g->needn) {
			hc[S + nout] = wk->gc[slot * S + nout];
			hc[nout] = (int32_t)(fr->end - fr->start) -
			    hc[S + nout];
		}
		if (w1 < fr->w)
			t[k++] = 0;
		if (w1 > 0)
			t[k++] = 1;
	} else {
		hr = rr;
		hr[1] = wk->gr[slot];
		hr[0].sy = fr->sum - hr[1].sy;
		hr[0].w = (int32_t)(fr->w - hr[1].w);
		hr[0].n = (int32_t)(fr->end - fr->start) - hr[1].n;
		if (hr[0].w > 0)
			t[k++] = 0;
		if (hr[1].w > 0)
			t[k++] = 1;
	}
	scan(wk, f, fr, tot, hc, hr, t, k, bs);
	if (hc != NULL && hc != rc)
		free(hc);
	return k > 1;
}

/*
 * Score features f[0..nf) in that order (scikit-learn's order of
 * drawing: the first of equally good splits wins).
 */
static void
score_features(struct work *wk, const size_t *f, size_t nf,
    const struct frame *fr, const int64_t *tot, struct best *bs,
    int *nonconst)
{
	const struct grow *g = wk->g;
	size_t i = 0, j;

	while (i < nf) {
		if (g->bf[f[i]].kind == BK_IND && g->bf[f[i]].code >= 0 &&
		    g->bf[f[i]].code < g->X->groups[g->bf[f[i]].grp].ncodes) {
			if (score_ind(wk, f[i], fr, tot, bs))
				*nonconst = 1;
			i++;
			continue;
		}
		if (g->bf[f[i]].kind != BK_U8) {
			if (score_one(wk, f[i], fr, tot, bs))
				*nonconst = 1;
			i++;
			continue;
		}
		for (j = i; j < nf && j - i < CART_BATCH &&
		    g->bf[f[j]].kind == BK_U8; j++)
			;
		score_batch(wk, f + i, j - i, fr, tot, bs, nonconst);
		i = j;
	}
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

		if (bin_of(g, bf, sp->row) <= a) {
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

	if (t == hi || !isfinite(t))
		t = lo;		/* also -inf / 2 + inf / 2 */
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
		/* A left child is grown right after its parent: id + 1. */
		if (cur.parent >= 0 && !cur.isleft)
			wk->node[cur.parent].right = id;
		leaf = cur.depth >= maxdepth || nn < o->min_split ||
		    nn < 2 * o->min_leaf || cur.imp <= DBL_EPSILON;
		bs.found = 0;
		if (!leaf) {
			size_t left = p, visited = 0, want, nd2;
			int nonconst = 0;

			/*
			 * Draw max_features features without replacement
			 * (Fisher-Yates on perm) and score them; while all
			 * drawn are constant in the node, draw one more.
			 */
			bs.proxy = -INFINITY;
			while (left > 0 && (visited < g->mtry || !nonconst)) {
				want = visited < g->mtry ? g->mtry - visited :
				    1;
				for (nd2 = 0; nd2 < want && left > 0; nd2++) {
					size_t r = (size_t)rng_below(&wk->rng,
					    left), f = wk->perm[r];

					wk->perm[r] = wk->perm[left - 1];
					wk->perm[left - 1] = f;
					left--;
					wk->drawn[nd2] = f;
				}
				visited += nd2;
				score_features(wk, wk->drawn, nd2, &cur, cnt,
				    &bs, &nonconst);
			}
			if (wk->gcur >= 0)
				group_clear(wk);
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
				nd->right = -1;
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
			nd->right = (int32_t)wk->nleaves++;
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
	size_t n = g->n ? g->n : 1, nb = g->maxnb, nout = g->nout, S = g->S;

	memset(wk, 0, sizeof *wk);
	wk->g = g;
	wk->id = id;
	wk->s = xmalloc(n * sizeof *wk->s);
	wk->tmp = xmalloc(n * sizeof *wk->tmp);
	wk->draws = g->o->bootstrap ? xmalloc(n * sizeof *wk->draws) : NULL;
	if (g->classify) {
		wk->hc = xcalloc(nb * S, sizeof *wk->hc);
		wk->bc = xcalloc(CART_BATCH * 256 * S, sizeof *wk->bc);
	} else {
		wk->hr = xcalloc(nb, sizeof *wk->hr);
		wk->br = xcalloc(CART_BATCH * 256, sizeof *wk->br);
	}
	wk->bbm = xcalloc(CART_BATCH * 4, sizeof *wk->bbm);
	{
		size_t k, nc = 1;

		for (k = 0; k < g->X->ngroups; k++)
			if ((size_t)g->X->groups[k].ncodes + 1 > nc)
				nc = (size_t)g->X->groups[k].ncodes + 1;
		if (g->classify)
			wk->gc = xcalloc(nc * S, sizeof *wk->gc);
		else
			wk->gr = xcalloc(nc, sizeof *wk->gr);
		wk->gtouch = xmalloc(nc * sizeof *wk->gtouch);
		wk->gcur = -1;
	}
	wk->hw = xcalloc(nb, sizeof *wk->hw);
	wk->touch = xmalloc(nb * sizeof *wk->touch);
	wk->touch2 = xmalloc(nb * sizeof *wk->touch2);
	wk->bitmap = xcalloc((nb + 63) / 64, sizeof *wk->bitmap);
	wk->perm = xmalloc(g->p * sizeof *wk->perm);
	wk->drawn = xmalloc(g->p * sizeof *wk->drawn);
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
	free(wk->hr);
	free(wk->bc);
	free(wk->br);
	free(wk->bbm);
	free(wk->gc);
	free(wk->gr);
	free(wk->gtouch);
	free(wk->hw);
	free(wk->touch);
	free(wk->touch2);
	free(wk->bitmap);
	free(wk->perm);
	free(wk->drawn);
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
			/* Python's round(): halves to even. */
			g.ndraw = (size_t)nearbyint((double)g.n *
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
	g.m8 = pack_bytes(g.bf, g.p, g.n, &g.q8);
	g.needn = o->bootstrap && o->min_leaf > 1;
	g.S = g.nout + (g.classify && g.needn);
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
	free(g.m8);

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
 * loads of many rows are in flight at once; a block of rows (about 1 MB
 * of features) goes through every tree before the next block, so each
 * tree is read once per block.
 */
void
cart_predict(const struct cart_forest *f, const struct fmat *X,
    size_t from, size_t to, double *out)
{
	size_t nout = f->nout, p = f->p, r, i, k, t, blk;
	double *buf;
	int32_t cur[CART_CHUNK];
	uint32_t act[CART_CHUNK];

	blk = ((size_t)1 << 17) / (p ? p : 1);
	blk = blk < CART_CHUNK ? CART_CHUNK : blk > 8192 ? 8192 : blk;
	buf = xmalloc((blk * p + 1) * sizeof *buf);
	memset(out, 0, (to - from) * nout * sizeof *out);
	for (r = from; r < to; r += blk) {
		size_t nr = to - r < blk ? to - r : blk;

		dense_rows(X, r, nr, buf);
		for (t = 0; t < f->ntrees; t++) {
			const struct cart_node *nd = f->tree[t].node;
			const double *val = f->tree[t].value;
			size_t b0;

			for (b0 = 0; b0 < nr; b0 += CART_CHUNK) {
				size_t nb = nr - b0 < CART_CHUNK ? nr - b0 :
				    CART_CHUNK;
				const double *x = buf + b0 * p;
				double *o = out + (r - from + b0) * nout;
				size_t na = nd[0].feat >= 0 ? nb : 0, j;

				for (i = 0; i < nb; i++) {
					cur[i] = 0;
					act[i] = (uint32_t)i;
				}
				/* Rows still inside the tree: act[0..na). */
				while (na > 0) {
					for (j = 0, k = 0; j < na; j++) {
						uint32_t a = act[j];
						const struct cart_node *q =
						    nd + cur[a];

						cur[a] = x[a * p +
						    (size_t)q->feat] <= q->thr ?
						    cur[a] + 1 : q->right;
						act[k] = a;
						k += nd[cur[a]].feat >= 0;
					}
					na = k;
				}
				for (i = 0; i < nb; i++) {
					const double *v = val +
					    (size_t)nd[cur[i]].right * nout;

					for (k = 0; k < nout; k++)
						o[i * nout + k] += v[k];
				}
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
			d[i + 1] = d[i] + 1;
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
		int32_t v = nd[i].feat;

		if (what > 0)
			v = v < 0 ? -1 : what == 1 ? (int32_t)i + 1 :
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
		return err_set(e, ERR_DATA, "%s: expected a '%s' line",
		    st->what, key);
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
	int32_t *iv = NULL, *lv = NULL;
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
		lv = xreallocarray(lv, nn, sizeof *lv);
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
		if (get_packed(st, &st->lines[i + 3], "left", nn, NULL, lv,
		    e) != 0)
			goto bad;
		if (get_packed(st, &st->lines[i + 4], "right", nn, NULL, iv,
		    e) != 0)
			goto bad;
		if (get_packed(st, &st->lines[i + 5], "value", nl * nout,
		    tr->value, NULL, e) != 0)
			goto bad;
		/*
		 * Depth-first order: a left child right after its parent,
		 * the right child after that, so every walk ends.
		 */
		for (k = 0; k < nn; k++) {
			struct cart_node *q = &tr->node[k];

			if (q->feat < 0) {
				if (q->feat != -1 || leaves >= nl ||
				    lv[k] != -1 || iv[k] != -1)
					break;
				q->right = (int32_t)leaves++;
				continue;
			}
			if ((size_t)q->feat >= p || lv[k] != (int32_t)k + 1 ||
			    iv[k] <= (int32_t)k + 1 || (size_t)iv[k] >= nn)
				break;
			q->right = iv[k];
		}
		if (k < nn || leaves != nl) {
			err_set(e, ERR_DATA, "%s: tree %zu: bad node %zu",
			    st->what, t, k);
			goto bad;
		}
	}
	free(iv);
	free(lv);
	free(dv);
	return 0;
bad:
	free(iv);
	free(lv);
	free(dv);
	cart_release(f);
	return -1;
}

/* ------------------------------------------------------ model glue --- */

void
cart_model_free(struct model *m)
{
	struct cart_forest *f = m->state;

	if (f == NULL)
		return;
	cart_release(f);
	free(f);
	m->state = NULL;
}

void
cart_model_set(struct model *m, struct cart_forest *f)
{
	cart_model_free(m);
	m->state = f;
}

static int
cart_model_check(const struct model *m, const struct fmat *X,
    struct err *e)
{
	char what[96];

	snprintf(what, sizeof what, "model '%s'", m->ops->name);
	if (model_check_features(m, X, e) != 0 ||
	    fmat_check_numeric(X, 0, what, e) != 0)
		return -1;
	return 0;
}

int
cart_model_predict(const struct model *m, const struct fmat *X,
    double *out, struct err *e)
{
	if (cart_model_check(m, X, e) != 0)
		return -1;
	if (m->ops->task == TASK_CLASSIFY)
		cart_predict_class(m->state, X, out);
	else
		cart_predict(m->state, X, 0, X->n, out);
	return 0;
}

int
cart_model_predict_proba(const struct model *m, const struct fmat *X,
    double *proba, struct err *e)
{
	if (cart_model_check(m, X, e) != 0)
		return -1;
	cart_predict(m->state, X, 0, X->n, proba);
	return 0;
}

const char *
cart_model_importances(const struct model *m, double *out)
{
	const struct cart_forest *f = m->state;

	memcpy(out, f->importance, f->p * sizeof *out);
	return "importance";
}

void
cart_model_describe(const struct model *m, struct strbuf *sb)
{
	struct strbuf pw = STRBUF_INIT;

	strbuf_addstr(sb, m->ops->name);
	if (m->params.schema != NULL)
		params_write(&m->params, &pw);
	if (pw.len > 0)
		strbuf_addf(sb, " %s", strbuf_str(&pw));
	strbuf_release(&pw);
	if (m->state != NULL) {
		strbuf_addstr(sb, ": ");
		cart_describe(m->state, sb);
	}
}

void
cart_model_save(const struct model *m, struct strbuf *sb)
{
	cart_save(m->state, sb);
}

int
cart_model_load(struct model *m, const struct state *st, int one_tree,
    struct err *e)
{
	struct cart_forest *f = xcalloc(1, sizeof *f);

	if (cart_load(f, st, m->nfeat, m->ops->task == TASK_CLASSIFY ?
	    m->nclasses : 1, e) != 0) {
		free(f);
		return -1;
	}
	if (one_tree && f->ntrees != 1) {
		cart_release(f);
		free(f);
		return err_set(e, ERR_DATA, "%s: a tree model holds one tree",
		    st->what);
	}
	cart_model_set(m, f);
	return 0;
}

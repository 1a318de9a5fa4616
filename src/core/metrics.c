/*
 * metrics.c - the evaluation metrics (metrics.h), each defined exactly
 * as scikit-learn 1.2.1 defines it (../shared/data/README.md, "Metrics"):
 *
 * Classification, on class indices 0..k-1:
 *	accuracy            correct / n
 *	balanced_accuracy   mean over the classes present in y of the
 *	                    per-class recall TP/(TP+FN)
 *	precision_*         per class P = TP/(TP+FP), 0 for a class never
 *	                    predicted
 *	recall_*            per class R = TP/(TP+FN), 0 for a class never
 *	                    true
 *	f1_*                per class F = 2PR/(P+R), 0 when P+R = 0 (never
 *	                    the F1 of the averaged P and R)
 *	    *_macro         unweighted mean over the labels present in
 *	                    y or in pred (scikit-learn's labels=None): a
 *	                    class in neither does not count, a class only
 *	                    predicted counts with recall 0
 *	    *_weighted      mean weighted by the true count of each class
 *	    precision, recall, f1 (no suffix): the positive class pos when
 *	                    k == 2 (average='binary'); with k > 2, where
 *	                    scikit-learn refuses 'binary', the macro average
 *	roc_auc             k == 2: AUC of proba[:, pos] for "y == pos";
 *	                    k > 2: unweighted mean over the classes of the
 *	                    one-vs-rest AUC of that class's column (ovr,
 *	                    macro).  Tied scores count one half.  NaN when
 *	                    y lacks one of the k classes (scikit-learn
 *	                    raises there) or a score is NaN.
 *	log_loss            mean of -ln p(true class), every probability
 *	                    clipped to [eps, 1 - eps] (eps = 2^-52) and each
 *	                    row then renormalised to sum 1; over the k
 *	                    columns, i.e. log_loss(labels=range(k)), so a
 *	                    fold lacking a class still has a value.
 * Regression:
 *	rmse, mse, mae      sqrt(mean (y - yhat)^2), mean (y - yhat)^2,
 *	                    mean |y - yhat|
 *	r2                  1 - SS_res / SS_tot, SS_tot around the mean of
 *	                    the y given; NaN for fewer than 2 rows and
 *	                    for a constant y (scikit-learn's force_finite=
 *	                    False would give NaN or -inf there, its
 *	                    default 1.0 or 0.0)
 *	mape                mean |y - yhat| / max(|y|, eps), eps = 2^-52
 *	                    (mean_absolute_percentage_error: a zero target
 *	                    gives a huge term, not NaN)
 *	max_error           max |y - yhat|
 * Clustering:
 *	inertia             the model's own number (pred_set.inertia)
 *	silhouette          silhouette_score, Euclidean, on a sample of
 *	                    METRIC_SILHOUETTE_ROWS rows (seed 0) when there
 *	                    are more rows
 *	ari                 adjusted_rand_score of cluster vs labels
 *
 * Sums over rows are kept in long double.  Everything but the
 * silhouette is O(n) or O(n log n) (radix sorts for the AUC).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "core/params.h"
#include "core/rng.h"
#include "core/stats.h"
#include "core/xmalloc.h"

#define METRIC_EPS	2.220446049250313e-16	/* DBL_EPSILON */

/* ------------------------------------------------- classification --- */

enum avg {
	AVG_BINARY,
	AVG_MACRO,
	AVG_WEIGHTED,
};

enum prf {
	PRF_PRECISION,
	PRF_RECALL,
	PRF_F1,
};

/*
 * Per class c: cnt[c] true positives, cnt[k + c] rows with y == c,
 * cnt[2k + c] rows predicted c.  Rows with a class index outside
 * 0..k-1 are not counted.
 */
static size_t *
class_counts(const struct pred_set *ps)
{
	size_t *cnt, k = ps->k, i;

	cnt = xcalloc(3 * (k ? k : 1), sizeof *cnt);
	for (i = 0; i < ps->n; i++) {
		int32_t y = ps->y_cls[i], p = ps->pred_cls[i];

		if (y < 0 || (size_t)y >= k || p < 0 || (size_t)p >= k)
			continue;
		cnt[k + (size_t)y]++;
		cnt[2 * k + (size_t)p]++;
		if (y == p)
			cnt[(size_t)y]++;
	}
	return cnt;
}

/* Precision, recall or F1 of class c, scikit-learn's zero_division=0. */
static double
prf_class(const size_t *cnt, size_t k, size_t c, enum prf what)
{
	double tp = (double)cnt[c], nt = (double)cnt[k + c];
	double np = (double)cnt[2 * k + c], p, r;

	p = np > 0 ? tp / np : 0;
	r = nt > 0 ? tp / nt : 0;
	if (what == PRF_PRECISION)
		return p;
	if (what == PRF_RECALL)
		return r;
	return p + r == 0 ? 0 : 2 * p * r / (p + r);
}

static double
prf(const struct pred_set *ps, enum prf what, enum avg avg)
{
	size_t *cnt, k = ps->k, c, m = 0;
	double sum = 0, wsum = 0, v;

	if (ps->n == 0 || k == 0)
		return NAN;
	if (avg == AVG_BINARY && k > 2)
		avg = AVG_MACRO;
	cnt = class_counts(ps);
	if (avg == AVG_BINARY) {
		v = ps->pos < k ? prf_class(cnt, k, ps->pos, what) : NAN;
		free(cnt);
		return v;
	}
	for (c = 0; c < k; c++) {
		if (cnt[k + c] == 0 && cnt[2 * k + c] == 0)
			continue;
		v = prf_class(cnt, k, c, what);
		if (avg == AVG_MACRO) {
			sum += v;
			m++;
		} else {
			sum += v * (double)cnt[k + c];
			wsum += (double)cnt[k + c];
		}
	}
	free(cnt);
	if (avg == AVG_MACRO)
		return m ? sum / (double)m : NAN;
	return wsum > 0 ? sum / wsum : NAN;
}

static double
m_accuracy(const struct pred_set *ps)
{
	size_t i, good = 0;

	if (ps->n == 0)
		return NAN;
	for (i = 0; i < ps->n; i++)
		good += ps->y_cls[i] == ps->pred_cls[i];
	return (double)good / (double)ps->n;
}

static double
m_balanced_accuracy(const struct pred_set *ps)
{
	size_t *cnt, k = ps->k, c, m = 0;
	double sum = 0;

	if (ps->n == 0 || k == 0)
		return NAN;
	cnt = class_counts(ps);
	for (c = 0; c < k; c++)
		if (cnt[k + c] > 0) {
			sum += (double)cnt[c] / (double)cnt[k + c];
			m++;
		}
	free(cnt);
	return m ? sum / (double)m : NAN;
}

static double
m_precision(const struct pred_set *ps)
{
	return prf(ps, PRF_PRECISION, AVG_BINARY);
}

static double
m_recall(const struct pred_set *ps)
{
	return prf(ps, PRF_RECALL, AVG_BINARY);
}

static double
m_f1(const struct pred_set *ps)
{
	return prf(ps, PRF_F1, AVG_BINARY);
}

static double
m_precision_macro(const struct pred_set *ps)
{
	return prf(ps, PRF_PRECISION, AVG_MACRO);
}

static double
m_recall_macro(const struct pred_set *ps)
{
	return prf(ps, PRF_RECALL, AVG_MACRO);
}

static double
m_f1_macro(const struct pred_set *ps)
{
	return prf(ps, PRF_F1, AVG_MACRO);
}

static double
m_precision_weighted(const struct pred_set *ps)
{
	return prf(ps, PRF_PRECISION, AVG_WEIGHTED);
}

static double
m_recall_weighted(const struct pred_set *ps)
{
	return prf(ps, PRF_RECALL, AVG_WEIGHTED);
}

static double
m_f1_weighted(const struct pred_set *ps)
{
	return prf(ps, PRF_F1, AVG_WEIGHTED);
}

void
metric_confusion(const int32_t *y, const int32_t *pred, size_t n, size_t k,
    size_t *cm)
{
	size_t i;

	memset(cm, 0, k * k * sizeof *cm);
	for (i = 0; i < n; i++)
		if (y[i] >= 0 && (size_t)y[i] < k && pred[i] >= 0 &&
		    (size_t)pred[i] < k)
			cm[(size_t)y[i] * k + (size_t)pred[i]]++;
}

/* ------------------------------------------------------------ ROC --- */

/*
 * Sorted scores of the positive rows (sp, np of them) and of the
 * negative rows (sn, nn), from score[i * stride]; -1 on a NaN score.
 * tmp has room for n doubles.
 */
static int
roc_split(const int32_t *y, const double *score, size_t stride, size_t n,
    int32_t pos, double *sp, size_t *np, double *sn, size_t *nn,
    double *tmp)
{
	size_t i, a = 0, b = 0;

	for (i = 0; i < n; i++) {
		double s = score[i * stride];

		if (isnan(s))
			return -1;
		if (y[i] == pos)
			sp[a++] = s;
		else
			sn[b++] = s;
	}
	stats_sort(sp, tmp, a);
	stats_sort(sn, tmp, b);
	*np = a;
	*nn = b;
	return 0;
}

/*
 * Walk the thresholds from the highest score down, one step per
 * distinct score (tied scores are equal doubles, so -0 and 0 tie), and
 * return the area under the ROC curve computed exactly in integers:
 * a step of dfp negatives and dtp positives above tp earlier positives
 * adds dfp * (tp + dtp / 2).  With fpr non-NULL also record the curve
 * (scikit-learn's roc_curve, drop_intermediate=False): (0, 0), then
 * (fp / N, tp / P) after each step; NaN coordinates when N or P is 0.
 */
static double
roc_walk(const double *sp, size_t np, const double *sn, size_t nn,
    double *fpr, double *tpr, size_t *npts)
{
	unsigned __int128 area2 = 0;
	size_t i = np, j = nn, tp = 0, fp = 0, pts = 0;
	double cur, xn = nn ? (double)nn : NAN, xp = np ? (double)np : NAN;

	if (fpr != NULL) {
		fpr[0] = nn ? 0 : NAN;
		tpr[0] = np ? 0 : NAN;
		pts = 1;
	}
	while (i > 0 || j > 0) {
		size_t dtp = 0, dfp = 0;

		if (i == 0)
			cur = sn[j - 1];
		else if (j == 0)
			cur = sp[i - 1];
		else
			cur = sp[i - 1] > sn[j - 1] ? sp[i - 1] : sn[j - 1];
		while (i > 0 && sp[i - 1] == cur) {
			i--;
			dtp++;
		}
		while (j > 0 && sn[j - 1] == cur) {
			j--;
			dfp++;
		}
		area2 += (unsigned __int128)dfp * (2 * (unsigned __int128)tp +
		    dtp);
		tp += dtp;
		fp += dfp;
		if (fpr != NULL) {
			fpr[pts] = (double)fp / xn;
			tpr[pts] = (double)tp / xp;
			pts++;
		}
	}
	if (npts != NULL)
		*npts = pts;
	if (np == 0 || nn == 0)
		return NAN;
	return (double)((long double)area2 /
	    (2.0L * (long double)np * (long double)nn));
}

/* AUC of score[i * stride] for "y == pos"; bufs has room for 3n. */
static double
auc_strided(const int32_t *y, const double *score, size_t stride, size_t n,
    int32_t pos, double *bufs)
{
	size_t np, nn;

	if (roc_split(y, score, stride, n, pos, bufs, &np, bufs + n, &nn,
	    bufs + 2 * n) != 0)
		return NAN;
	return roc_walk(bufs, np, bufs + n, nn, NULL, NULL, NULL);
}

double
metric_auc(const int32_t *y, const double *score, size_t n, int32_t pos)
{
	double *bufs, v;

	if (n == 0)
		return NAN;
	bufs = xreallocarray(NULL, 3 * n, sizeof *bufs);
	v = auc_strided(y, score, 1, n, pos, bufs);
	free(bufs);
	return v;
}

size_t
metric_roc_curve(const int32_t *y, const double *score, size_t n,
    int32_t pos, double *fpr, double *tpr)
{
	double *bufs;
	size_t np, nn, pts;

	if (n == 0) {
		fpr[0] = tpr[0] = NAN;
		return 1;
	}
	bufs = xreallocarray(NULL, 3 * n, sizeof *bufs);
	if (roc_split(y, score, 1, n, pos, bufs, &np, bufs + n, &nn,
	    bufs + 2 * n) != 0) {
		free(bufs);
		return 0;
	}
	roc_walk(bufs, np, bufs + n, nn, fpr, tpr, &pts);
	free(bufs);
	return pts;
}

static double
m_roc_auc(const struct pred_set *ps)
{
	size_t k = ps->k, c, *nt;
	double *bufs, sum = 0, v;

	if (ps->proba == NULL || ps->n == 0 || k < 2)
		return NAN;
	/* Every class must occur in y (scikit-learn raises otherwise). */
	nt = xcalloc(k, sizeof *nt);
	for (c = 0; c < ps->n; c++)
		if (ps->y_cls[c] >= 0 && (size_t)ps->y_cls[c] < k)
			nt[ps->y_cls[c]]++;
	for (c = 0; c < k; c++)
		if (nt[c] == 0)
			break;
	free(nt);
	if (c < k)
		return NAN;
	bufs = xreallocarray(NULL, 3 * ps->n, sizeof *bufs);
	if (k == 2)
		v = auc_strided(ps->y_cls, ps->proba + ps->pos, 2, ps->n,
		    (int32_t)ps->pos, bufs);
	else {
		for (c = 0; c < k; c++)
			sum += auc_strided(ps->y_cls, ps->proba + c, k, ps->n,
			    (int32_t)c, bufs);
		v = sum / (double)k;
	}
	free(bufs);
	return v;
}

static double
m_log_loss(const struct pred_set *ps)
{
	const double lo = METRIC_EPS, hi = 1 - METRIC_EPS;
	long double sum = 0;
	size_t k = ps->k, i, c;

	if (ps->proba == NULL || ps->n == 0 || k == 0)
		return NAN;
	for (i = 0; i < ps->n; i++) {
		const double *row = ps->proba + i * k;
		int32_t y = ps->y_cls[i];
		double s = 0, p, t = 0;

		if (y < 0 || (size_t)y >= k)
			return NAN;
		for (c = 0; c < k; c++) {
			p = row[c] < lo ? lo : row[c] > hi ? hi : row[c];
			if (isnan(row[c]))
				return NAN;
			s += p;
			if (c == (size_t)y)
				t = p;
		}
		sum -= log(t / s);
	}
	return (double)(sum / (long double)ps->n);
}

/* ----------------------------------------------------- regression --- */

static double
m_mse(const struct pred_set *ps)
{
	long double sum = 0, d;
	size_t i;

	if (ps->n == 0)
		return NAN;
	for (i = 0; i < ps->n; i++) {
		d = (long double)ps->y_num[i] - ps->pred_num[i];
		sum += d * d;
	}
	return (double)(sum / (long double)ps->n);
}

static double
m_rmse(const struct pred_set *ps)
{
	return sqrt(m_mse(ps));
}

static double
m_mae(const struct pred_set *ps)
{
	long double sum = 0;
	size_t i;

	if (ps->n == 0)
		return NAN;
	for (i = 0; i < ps->n; i++)
		sum += fabs(ps->y_num[i] - ps->pred_num[i]);
	return (double)(sum / (long double)ps->n);
}

static double
m_r2(const struct pred_set *ps)
{
	long double mean = 0, res = 0, tot = 0, d;
	size_t i;

	if (ps->n < 2)
		return NAN;
	for (i = 0; i < ps->n; i++)
		mean += ps->y_num[i];
	mean /= (long double)ps->n;
	for (i = 0; i < ps->n; i++) {
		d = (long double)ps->y_num[i] - ps->pred_num[i];
		res += d * d;
		d = ps->y_num[i] - mean;
		tot += d * d;
	}
	if (!(tot > 0))
		return NAN;
	return (double)(1 - res / tot);
}

static double
m_mape(const struct pred_set *ps)
{
	long double sum = 0;
	size_t i;

	if (ps->n == 0)
		return NAN;
	for (i = 0; i < ps->n; i++) {
		double a = fabs(ps->y_num[i]);

		sum += fabs(ps->y_num[i] - ps->pred_num[i]) /
		    (a > METRIC_EPS ? a : METRIC_EPS);
	}
	return (double)(sum / (long double)ps->n);
}

static double
m_max_error(const struct pred_set *ps)
{
	double m = 0, d;
	size_t i;

	if (ps->n == 0)
		return NAN;
	for (i = 0; i < ps->n; i++) {
		d = fabs(ps->y_num[i] - ps->pred_num[i]);
		if (!(d <= m))
			m = d;		/* NaN propagates */
		if (isnan(m))
			return NAN;
	}
	return m;
}

/* ----------------------------------------------------- clustering --- */

/*
 * An open-addressing map from 64-bit keys to counts that grows to stay
 * at most half full (a slot's key 0 is empty, so keys are stored plus
 * one).
 */
struct cmap {
	uint64_t	*key;
	size_t		*val;
	size_t		 mask;
	size_t		 used;
};

static void
cmap_init(struct cmap *h, size_t sz)
{
	h->key = xcalloc(sz, sizeof *h->key);
	h->val = xcalloc(sz, sizeof *h->val);
	h->mask = sz - 1;
	h->used = 0;
}

static void
cmap_free(struct cmap *h)
{
	free(h->key);
	free(h->val);
}

static size_t *cmap_slot(struct cmap *, uint64_t);

static void
cmap_grow(struct cmap *h)
{
	struct cmap g;
	size_t j;

	cmap_init(&g, 2 * (h->mask + 1));
	for (j = 0; j <= h->mask; j++)
		if (h->key[j] != 0)
			*cmap_slot(&g, h->key[j] - 1) = h->val[j];
	cmap_free(h);
	*h = g;
}

/* The count for key k (0 when new). */
static size_t *
cmap_slot(struct cmap *h, uint64_t k)
{
	uint64_t x = k;
	size_t i;

	if (2 * (h->used + 1) > h->mask + 1)
		cmap_grow(h);
	i = (size_t)rng_splitmix64(&x) & h->mask;
	k++;
	while (h->key[i] != 0 && h->key[i] != k)
		i = (i + 1) & h->mask;
	if (h->key[i] == 0) {
		h->key[i] = k;
		h->used++;
	}
	return &h->val[i];
}

/*
 * Dense codes 0..*nc-1 for the labels v[0..n) into code[], and the
 * sum over labels of count^2.
 */
static void
dense_codes(const int32_t *v, size_t n, uint32_t *code, size_t *nc,
    uint64_t *sumsq)
{
	int32_t lo, hi;
	size_t i, m = 0, *cnt;
	uint64_t s = 0;

	lo = hi = v[0];
	for (i = 1; i < n; i++) {
		if (v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	if ((uint64_t)((int64_t)hi - lo) < 4 * (uint64_t)n + 1024) {
		size_t range = (size_t)((int64_t)hi - lo) + 1;
		uint32_t *map = xreallocarray(NULL, range, sizeof *map);

		memset(map, 0xff, range * sizeof *map);
		for (i = 0; i < n; i++) {
			uint32_t *c = &map[v[i] - (int64_t)lo];

			if (*c == UINT32_MAX)
				*c = (uint32_t)m++;
			code[i] = *c;
		}
		free(map);
	} else {
		struct cmap h;

		cmap_init(&h, 64);
		for (i = 0; i < n; i++) {
			size_t *c = cmap_slot(&h, (uint32_t)v[i]);

			if (*c == 0)
				*c = ++m;
			code[i] = (uint32_t)(*c - 1);
		}
		cmap_free(&h);
	}
	cnt = xcalloc(m, sizeof *cnt);
	for (i = 0; i < n; i++)
		cnt[code[i]]++;
	for (i = 0; i < m; i++)
		s += (uint64_t)cnt[i] * cnt[i];
	free(cnt);
	*nc = m;
	*sumsq = s;
}

/*
 * The sum of n_ij^2 over the contingency table of codes ca (0..na-1)
 * and cb (0..nb-1), in O(n + na + nb): the rows are put in order of ca
 * by a counting sort, then each ca group counts its cb values in cnt[]
 * (entries of another group are recognised by their stamp and reset),
 * adding (x + 1)^2 - x^2 = 2x + 1 per row.
 */
static uint64_t
contingency_sumsq(const uint32_t *ca, size_t na, const uint32_t *cb,
    size_t nb, size_t n)
{
	size_t *start, *order, *cnt, *stamp, i, g;
	uint64_t S = 0;

	start = xcalloc(na + 1, sizeof *start);
	order = xreallocarray(NULL, n, sizeof *order);
	cnt = xreallocarray(NULL, nb, sizeof *cnt);
	stamp = xcalloc(nb, sizeof *stamp);
	for (i = 0; i < n; i++)
		start[ca[i] + 1]++;
	for (g = 0; g < na; g++)
		start[g + 1] += start[g];
	for (i = 0; i < n; i++)
		order[start[ca[i]]++] = i;
	/* start[g] is now the end of group g. */
	for (g = 0, i = 0; g < na; g++)
		for (; i < start[g]; i++) {
			uint32_t c = cb[order[i]];

			if (stamp[c] != g + 1) {
				stamp[c] = g + 1;
				cnt[c] = 0;
			}
			S += 2 * (uint64_t)cnt[c]++ + 1;
		}
	free(start);
	free(order);
	free(cnt);
	free(stamp);
	return S;
}

/*
 * adjusted_rand_score through scikit-learn's pair confusion matrix:
 * with S = sum of n_ij^2 over the contingency table, A and B the sums
 * of squared row and column totals,
 *	tp = S - n, fp = B - S, fn = A - S, tn = n^2 - fp - fn - S,
 *	ARI = 2 (tp tn - fn fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn))
 * and 1 when fn = fp = 0.  Integer arithmetic throughout (128 bits for
 * the products), the division in long double.  Labels are made dense
 * (directly when their range is small, else hashed); S comes from a
 * dense table for few labels, else contingency_sumsq().
 */
double
metric_ari(const int32_t *a, const int32_t *b, size_t n)
{
	uint32_t *ca, *cb;
	size_t na, nb, i;
	uint64_t A, B, S = 0, tp, fp, fn, tn, nn;
	__int128 num;
	unsigned __int128 den;

	if (a == NULL || b == NULL || n == 0)
		return NAN;
	ca = xreallocarray(NULL, n, sizeof *ca);
	cb = xreallocarray(NULL, n, sizeof *cb);
	dense_codes(a, n, ca, &na, &A);
	dense_codes(b, n, cb, &nb, &B);
	if ((uint64_t)na * nb <= 65536) {
		size_t *cell = xcalloc(na * nb, sizeof *cell);

		for (i = 0; i < n; i++)
			cell[(size_t)ca[i] * nb + cb[i]]++;
		for (i = 0; i < na * nb; i++)
			S += (uint64_t)cell[i] * cell[i];
		free(cell);
	} else
		S = contingency_sumsq(ca, na, cb, nb, n);
	free(ca);
	free(cb);
	nn = (uint64_t)n;
	tp = S - nn;
	fp = B - S;
	fn = A - S;
	tn = nn * nn - fp - fn - S;
	if (fn == 0 && fp == 0)
		return 1.0;
	num = (__int128)tp * tn - (__int128)fn * fp;
	den = (unsigned __int128)(tp + fn) * (fn + tn) +
	    (unsigned __int128)(tp + fp) * (fp + tn);
	return (double)(2.0L * (long double)num / (long double)den);
}

/*
 * silhouette_score (Euclidean): for row i in cluster c, a = mean
 * distance to the other rows of c, b = the smallest mean distance to
 * the rows of another cluster, s = (b - a) / max(a, b), 0 for a
 * cluster of one row (and for a = b = 0); the mean of s.  Labels
 * 0..k-1; any other label (-1, noise) counts as one more cluster, as
 * scikit-learn would count it.  NaN unless 2 <= clusters present < rows.
 * Over more than max_rows rows (max_rows 0: no limit) a sample of
 * max_rows rows is used, drawn by a partial Fisher-Yates shuffle seeded
 * by seed, as silhouette_score(sample_size=max_rows) draws it (with
 * another generator).
 */
/* s of one row from its summed distances to each cluster. */
static double
sil_row(const double *sum, const size_t *freq, size_t L, size_t own)
{
	double a, b = INFINITY, s;
	size_t c;

	if (freq[own] < 2)
		return 0;
	a = sum[own] / (double)(freq[own] - 1);
	for (c = 0; c < L; c++)
		if (c != own && sum[c] / (double)freq[c] < b)
			b = sum[c] / (double)freq[c];
	s = (b - a) / (a > b ? a : b);
	return isnan(s) ? 0 : s;
}

double
metric_silhouette(const double *X, size_t n, size_t p, const int32_t *lab,
    size_t k, size_t max_rows, uint64_t seed)
{
	size_t m = n, i, j, c, f, L = 0, *idx = NULL, *freq, *gmap;
	uint32_t *g;
	double *xs = NULL, *acc, *row, d, t;
	const double *xv = X;
	long double total = 0;
	int sym;

	if (X == NULL || lab == NULL || n < 2)
		return NAN;
	if (max_rows > 0 && n > max_rows) {
		struct rng r;

		m = max_rows;
		idx = xreallocarray(NULL, n, sizeof *idx);
		for (i = 0; i < n; i++)
			idx[i] = i;
		rng_seed(&r, seed);
		for (i = 0; i < m; i++) {
			j = i + (size_t)rng_below(&r, n - i);
			c = idx[i];
			idx[i] = idx[j];
			idx[j] = c;
		}
		/* The sampled rows, contiguous. */
		xs = xreallocarray(NULL, m, p * sizeof *xs);
		for (i = 0; i < m; i++)
			memcpy(xs + i * p, X + idx[i] * p, p * sizeof *xs);
		xv = xs;
	}
	/* Dense cluster numbers 0..L-1 of the rows used. */
	gmap = xreallocarray(NULL, k + 1, sizeof *gmap);
	for (c = 0; c <= k; c++)
		gmap[c] = SIZE_MAX;
	g = xreallocarray(NULL, m, sizeof *g);
	for (i = 0; i < m; i++) {
		int32_t l = lab[idx ? idx[i] : i];

		c = l >= 0 && (size_t)l < k ? (size_t)l : k;
		if (gmap[c] == SIZE_MAX)
			gmap[c] = L++;
		g[i] = (uint32_t)gmap[c];
	}
	free(gmap);
	free(idx);
	if (L < 2 || L >= m) {
		free(xs);
		free(g);
		return NAN;
	}
	freq = xcalloc(L, sizeof *freq);
	for (i = 0; i < m; i++)
		freq[g[i]]++;
	/*
	 * row[c]: summed distances from row i to the rows j of cluster c.
	 * When an L x m table fits in 64 MB each pair is computed once:
	 * acc[c * m + j] collects d(i, j) for the rows i < j of cluster c
	 * (contiguous writes), row[] those to the rows j > i.  Otherwise
	 * each row runs over all the others.
	 */
	sym = (uint64_t)m * L <= ((uint64_t)1 << 23);
	acc = sym ? xcalloc(m * L, sizeof *acc) : NULL;
	row = xreallocarray(NULL, L, sizeof *row);
	for (i = 0; i < m; i++) {
		const double *xi = xv + i * p;
		double *ai = sym ? acc + (size_t)g[i] * m : NULL;

		if (sym)
			for (c = 0; c < L; c++)
				row[c] = acc[c * m + i];
		else
			memset(row, 0, L * sizeof *row);
		for (j = sym ? i + 1 : 0; j < m; j++) {
			const double *xj = xv + j * p;

			for (d = 0, f = 0; f < p; f++) {
				t = xi[f] - xj[f];
				d += t * t;
			}
			d = sqrt(d);
			row[g[j]] += d;
			if (sym)
				ai[j] += d;
		}
		total += sil_row(row, freq, L, g[i]);
	}
	free(acc);
	free(row);
	free(freq);
	free(g);
	free(xs);
	return (double)(total / (long double)m);
}

static double
m_inertia(const struct pred_set *ps)
{
	return ps->inertia;
}

static double
m_silhouette(const struct pred_set *ps)
{
	return metric_silhouette(ps->X, ps->n, ps->p, ps->cluster,
	    ps->nclusters, METRIC_SILHOUETTE_ROWS, 0);
}

static double
m_ari(const struct pred_set *ps)
{
	if (ps->labels == NULL || ps->cluster == NULL)
		return NAN;
	return metric_ari(ps->labels, ps->cluster, ps->n);
}

/* ---------------------------------------------------------- table --- */

const struct metric_def metric_table[] = {
	{ "accuracy", TASK_CLASSIFY, 1, 0,
	  "fraction of rows predicted correctly", m_accuracy },
	{ "balanced_accuracy", TASK_CLASSIFY, 1, 0,
	  "mean over the true classes of the per-class recall",
	  m_balanced_accuracy },
	{ "precision", TASK_CLASSIFY, 1, 0,
	  "TP/(TP+FP) of the positive class (macro average beyond 2 classes)",
	  m_precision },
	{ "recall", TASK_CLASSIFY, 1, 0,
	  "TP/(TP+FN) of the positive class (macro average beyond 2 classes)",
	  m_recall },
	{ "f1", TASK_CLASSIFY, 1, 0,
	  "F1 of the positive class (macro average beyond 2 classes)", m_f1 },
	{ "precision_macro", TASK_CLASSIFY, 1, 0,
	  "unweighted mean of the per-class precision", m_precision_macro },
	{ "recall_macro", TASK_CLASSIFY, 1, 0,
	  "unweighted mean of the per-class recall", m_recall_macro },
	{ "f1_macro", TASK_CLASSIFY, 1, 0,
	  "unweighted mean of the per-class F1", m_f1_macro },
	{ "precision_weighted", TASK_CLASSIFY, 1, 0,
	  "per-class precision weighted by class size",
	  m_precision_weighted },
	{ "recall_weighted", TASK_CLASSIFY, 1, 0,
	  "per-class recall weighted by class size", m_recall_weighted },
	{ "f1_weighted", TASK_CLASSIFY, 1, 0,
	  "per-class F1 weighted by class size", m_f1_weighted },
	{ "roc_auc", TASK_CLASSIFY, 1, 1,
	  "area under the ROC curve (one-vs-rest mean beyond 2 classes)",
	  m_roc_auc },
	{ "log_loss", TASK_CLASSIFY, 0, 1,
	  "mean -ln of the probability given to the true class", m_log_loss },
	{ "rmse", TASK_REGRESS, 0, 0,
	  "root mean squared error", m_rmse },
	{ "mse", TASK_REGRESS, 0, 0,
	  "mean squared error", m_mse },
	{ "mae", TASK_REGRESS, 0, 0,
	  "mean absolute error", m_mae },
	{ "r2", TASK_REGRESS, 1, 0,
	  "coefficient of determination (1 - SS_res/SS_tot)", m_r2 },
	{ "mape", TASK_REGRESS, 0, 0,
	  "mean absolute percentage error (as a fraction)", m_mape },
	{ "max_error", TASK_REGRESS, 0, 0,
	  "largest absolute error", m_max_error },
	{ "inertia", TASK_CLUSTER, 0, 0,
	  "sum of squared distances to the nearest centre", m_inertia },
	{ "silhouette", TASK_CLUSTER, 1, 0,
	  "mean silhouette coefficient (Euclidean)", m_silhouette },
	{ "ari", TASK_CLUSTER, 1, 0,
	  "adjusted Rand index against the labels column", m_ari },
	{ NULL, 0, 0, 0, NULL, NULL },
};

static const char *
task_name(enum model_task t)
{
	switch (t) {
	case TASK_CLASSIFY:
		return "classification";
	case TASK_REGRESS:
		return "regression";
	case TASK_CLUSTER:
		return "clustering";
	}
	return "other";
}

const struct metric_def *
metric_find(const char *name, enum model_task task, struct err *e)
{
	const struct metric_def *d, *other = NULL;
	const char *cands[sizeof metric_table / sizeof metric_table[0]];
	const char *s;
	size_t n = 0;

	for (d = metric_table; d->name != NULL; d++) {
		if (strcmp(d->name, name) == 0) {
			if (d->task & task)
				return d;
			other = d;
		}
		if (d->task & task)
			cands[n++] = d->name;
	}
	cands[n] = NULL;
	if (other != NULL) {
		err_set(e, ERR_SPEC, "metric '%s' is for %s models", name,
		    task_name(other->task));
		return NULL;
	}
	if ((s = suggest(name, cands)) != NULL)
		err_set(e, ERR_SPEC, "unknown metric '%s' (did you mean "
		    "'%s'?)", name, s);
	else
		err_set(e, ERR_SPEC, "unknown metric '%s'", name);
	return NULL;
}

const char *
metric_defaults(enum model_task task, size_t nclasses)
{
	switch (task) {
	case TASK_CLASSIFY:
		return nclasses > 2 ?
		    "accuracy,balanced_accuracy,precision_macro,recall_macro,"
		    "f1_macro,roc_auc,log_loss" :
		    "accuracy,balanced_accuracy,precision,recall,f1,roc_auc,"
		    "log_loss";
	case TASK_REGRESS:
		return "rmse,mae,r2";
	case TASK_CLUSTER:
		return "inertia,silhouette";
	}
	return "";
}

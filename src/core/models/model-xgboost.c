/*
 * model-xgboost.c - gradient-boosted trees through XGBoost's C API
 * ("xgboost_classifier", "xgboost_regressor"), as the Python package's
 * xgb.train(params, DMatrix(X, label=y), num_boost_round=n_rounds) with
 * XGBoost 1.7 (Debian libxgboost-dev):
 *
 *	objective   binary:logistic           2 classes
 *	            multi:softprob, num_class  3 or more classes
 *	            reg:squarederror           the regressor
 *	params      eta, max_depth, subsample, colsample_bytree,
 *	            min_child_weight, lambda, alpha, gamma, tree_method,
 *	            max_bin (hist and approx only), seed; nthread is
 *	            ctx->threads while fitting
 *
 * The definitions are XGBoost's own (doc/parameter.rst, "Parameters for
 * Tree Booster"): each round adds one tree per class, fitted to the
 * second-order expansion of the loss with leaf weights
 * -G / (H + lambda) (after soft-thresholding G by alpha), shrunk by eta;
 * a split must gain more than gamma and leave children with hessian sum
 * >= min_child_weight; the start is base_score 0.5.
 *
 * Data: the features go to XGBoost as a dense row-major float copy (what
 * numpy's float64 -> XGBoost float32 gives the Python package), NaN
 * meaning missing: XGBoost learns a default direction for missing values
 * at every split, so fit and predict accept them.  XGDMatrixCreateFromDense
 * copies the values into its own sparse page, so the float copy is freed
 * right after it; the DMatrix is freed right after training.  Class
 * labels are the class index as a float.  The copy is dense: indicator
 * columns (one-hot output) become stored zeros and ones, so a fit holds
 * about 12 bytes per cell (float copy plus XGBoost's index/value pairs)
 * at its peak, which wide one-hot data feels.
 *
 * Fitted state: the booster as XGBoost's JSON model
 * (XGBoosterSaveModelToBuffer, format json), one percent-encoded word.
 * Floats are written in their shortest round-trip form, so loading it
 * gives back the same trees bit for bit.  Fit itself ends by saving the
 * trained booster, freeing it (and the training buffers it holds) and
 * loading the JSON into a fresh booster for prediction, so a fitted and
 * a loaded model predict through the very same path.
 *
 * Prediction: XGBoosterPredictFromDense (in-place, no DMatrix) on row
 * chunks, with XGBoost's default thread count (all cores).  In-place
 * prediction is safe to call from several threads at once; the booster
 * is configured by a one-row prediction when it is made, so later calls
 * only read it.  Outputs are XGBoost's single-precision numbers.  The
 * classifier's probabilities are [1 - p, p] for two classes and
 * XGBoost's softmax rows otherwise, its prediction their argmax (the
 * first of equal ones: class 1 when p > 0.5); the regressor's is the
 * value.
 *
 * Importances: XGBoosterFeatureScore with importance_type "gain" (the
 * average gain of the splits on a feature), normalised to sum 1, as the
 * scikit-learn wrapper's feature_importances_; a feature no split uses
 * gets 0.  XGBoost names the features "f<j>" (we give it no names).
 *
 * Determinism: a given seed and thread count give the same model
 * (XGBoost's hist is deterministic for a fixed nthread).  The hist and
 * approx methods build gradient histograms per thread and add the
 * partial sums in thread order, so another nthread may round
 * differently and, rarely, choose another split: the sums are doubles
 * of float gradients, and on num_100k the models fitted with 1 and 2
 * threads are identical, but that is not guaranteed.  exact scans each
 * feature in one thread.  subsample and colsample_bytree draw from
 * XGBoost's own generator, seeded with seed.
 */
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xgboost/c_api.h>

#include "core/model.h"
#include "core/xmalloc.h"

#define XGB_BLOCK	256		/* rows per block of the float copy */
#define XGB_CHUNK	(1 << 22)	/* most floats per prediction chunk */
#define XGB_MAXTHR	64

static const struct param_def xgb_params[] = {
	{ "n_rounds", PT_INT, "100", NULL, 1, 1e6,
	  "boosting rounds (trees per class)" },
	{ "max_depth", PT_INT, "6", NULL, 1, 30,
	  "deepest a tree may grow" },
	{ "eta", PT_NUM, "0.3", NULL, 0, 1e300,
	  "learning rate: each tree's leaves are shrunk by it (> 0)" },
	{ "subsample", PT_NUM, "1", NULL, 0, 1,
	  "fraction of rows each tree sees, drawn anew per round (> 0)" },
	{ "colsample_bytree", PT_NUM, "1", NULL, 0, 1,
	  "fraction of features each tree may use (> 0)" },
	{ "min_child_weight", PT_NUM, "1", NULL, 0, 1e300,
	  "smallest hessian sum a child may have" },
	{ "lambda", PT_NUM, "1", NULL, 0, 1e300,
	  "L2 penalty on leaf weights" },
	{ "alpha", PT_NUM, "0", NULL, 0, 1e300,
	  "L1 penalty on leaf weights" },
	{ "gamma", PT_NUM, "0", NULL, 0, 1e300,
	  "least loss reduction a split must bring" },
	{ "tree_method", PT_ENUM, "hist", "hist|exact|approx", 0, 0,
	  "split finding: histograms, every value, or per-round sketches" },
	{ "max_bin", PT_INT, "256", NULL, 2, 65536,
	  "histogram bins per feature (hist, approx)" },
	{ "seed", PT_INT, "0", NULL, 0, INT_MAX,
	  "random seed for subsample and colsample_bytree" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct xgb {
	BoosterHandle	 bst;		/* the loaded model: prediction */
	char		*json;		/* XGBoost's JSON model */
	size_t		 p;
	size_t		 nout;		/* XGBoost outputs per row: 1 or k */
	int		 rounds;
	double		*imp;		/* gain importances, sum 1 */
};

/* One thread's share of the float copy. */
struct xgb_copy {
	const struct fmat *X;
	float		*out;
	size_t		 from, to;
	int		 inf;		/* an infinite value was seen */
};

static const char *
xgb_objective(const struct model *m)
{
	if (m->ops->task == TASK_REGRESS)
		return "reg:squarederror";
	return m->nclasses > 2 ? "multi:softprob" : "binary:logistic";
}

/*
 * err_set with XGBoost's last error: its first line without the
 * "[hh:mm:ss] file:line: " head (the rest is a stack trace or a
 * picture of where a parse failed).
 */
static int
xgb_error(const struct model *m, const char *doing, struct err *e)
{
	const char *msg = XGBGetLastError(), *p, *c, *end;
	size_t len;

	if (msg == NULL)
		msg = "";
	p = msg;
	if (*msg == '[' && (c = strchr(msg, ']')) != NULL &&
	    (c = strstr(c, ": ")) != NULL)
		p = c + 2;
	end = strchr(p, '\n');
	len = end != NULL ? (size_t)(end - p) : strlen(p);
	while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == ' '))
		len--;
	return err_set(e, ERR_FAIL, "model '%s': XGBoost failed %s: %.*s",
	    m->ops->name, doing, (int)len, p);
}

static void
xgb_free(struct model *m)
{
	struct xgb *s = m->state;

	if (s == NULL)
		return;
	if (s->bst != NULL)
		XGBoosterFree(s->bst);
	free(s->json);
	free(s->imp);
	free(s);
	m->state = NULL;
}

static int
xgb_check(struct model *m, struct err *e)
{
	static const char *const positive[] = { "eta", "subsample",
	    "colsample_bytree" };
	size_t i;

	for (i = 0; i < sizeof positive / sizeof positive[0]; i++)
		if (!(params_num(&m->params, positive[i]) > 0)) {
			err_set(e, ERR_SPEC, "model '%s': %s must be above 0",
			    m->ops->name, positive[i]);
			e->col = params_get(&m->params, positive[i])->col;
			return -1;
		}
	return 0;
}

/*
 * Rows [from, to) of X as floats, row-major, into out (row from at
 * out[0]).  Blocks of XGB_BLOCK rows keep the rows being written in
 * cache while the columns are read straight through.  Returns 1 when a
 * value is infinite (or too large for a float).
 */
static int
xgb_rows(const struct fmat *X, size_t from, size_t to, float *out)
{
	size_t p = X->p, r0, r, j;
	int inf = 0;

	for (r0 = from; r0 < to; r0 += XGB_BLOCK) {
		size_t r1 = r0 + XGB_BLOCK < to ? r0 + XGB_BLOCK : to;
		float *blk = out + (r0 - from) * p;

		for (j = 0; j < p; j++) {
			const struct fcol *c = &X->cols[j];
			float *o = blk + j;

			if (c->kind == FC_NUM) {
				const double *x = c->num;

				for (r = r0; r < r1; r++, o += p) {
					*o = (float)x[r];
					inf |= isinf(*o);
				}
			} else if (c->kind == FC_IND) {
				const int32_t *idx = c->idx;
				int32_t code = c->code;

				for (r = r0; r < r1; r++, o += p)
					*o = (float)(idx[r] == code);
			} else {
				for (r = r0; r < r1; r++, o += p)
					*o = (float)fmat_get(X, r, j);
			}
		}
	}
	return inf;
}

static void *
xgb_copy_worker(void *arg)
{
	struct xgb_copy *c = arg;

	c->inf = xgb_rows(c->X, c->from, c->to, c->out);
	return NULL;
}

/* The error for an infinite value: the first, column by column. */
static int
xgb_inf_error(const struct model *m, const struct fmat *X, struct err *e)
{
	size_t j, r;

	for (j = 0; j < X->p; j++) {
		if (X->cols[j].kind != FC_NUM)
			continue;
		for (r = 0; r < X->n; r++)
			if (isinf((float)X->cols[j].num[r]))
				return err_set(e, ERR_DATA, "model '%s': "
				    "column '%s' has a value too large for "
				    "XGBoost (row %zu: %g): it needs finite "
				    "single-precision numbers (or missing)",
				    m->ops->name, X->cols[j].name, r + 1,
				    X->cols[j].num[r]);
	}
	return err_set(e, ERR_DATA, "model '%s': an infinite value",
	    m->ops->name);
}

/* All of X as floats, copied by nt threads; NULL on an infinite value. */
static float *
xgb_dense(const struct model *m, const struct fmat *X, int nt,
    struct err *e)
{
	struct xgb_copy c[XGB_MAXTHR];
	pthread_t th[XGB_MAXTHR];
	size_t n = X->n, per;
	float *out;
	int t, started, inf = 0;

	out = xmalloc((n * X->p > 0 ? n * X->p : 1) * sizeof *out);
	if (nt > XGB_MAXTHR)
		nt = XGB_MAXTHR;
	if ((size_t)nt > n / XGB_BLOCK + 1)
		nt = (int)(n / XGB_BLOCK + 1);
	per = (n + (size_t)nt - 1) / (size_t)nt;
	for (t = 0; t < nt; t++) {
		c[t].X = X;
		c[t].from = (size_t)t * per < n ? (size_t)t * per : n;
		c[t].to = c[t].from + per < n ? c[t].from + per : n;
		c[t].out = out + c[t].from * X->p;
		c[t].inf = 0;
	}
	for (started = 1; started < nt; started++)
		if (pthread_create(&th[started], NULL, xgb_copy_worker,
		    &c[started]) != 0)
			break;
	/* Rows of threads that could not start are done here. */
	for (t = started; t < nt; t++)
		xgb_copy_worker(&c[t]);
	xgb_copy_worker(&c[0]);
	for (t = 1; t < started; t++)
		pthread_join(th[t], NULL);
	for (t = 0; t < nt; t++)
		inf |= c[t].inf;
	if (inf) {
		free(out);
		xgb_inf_error(m, X, e);
		return NULL;
	}
	return out;
}

/* The __array_interface__ of a row-major n x p float matrix. */
static void
xgb_iface(char *buf, size_t size, const float *x, size_t n, size_t p)
{
	snprintf(buf, size, "{\"data\": [%ju, true], \"shape\": [%zu, %zu], "
	    "\"strides\": null, \"typestr\": \"<f4\", \"version\": 3}",
	    (uintmax_t)(uintptr_t)x, n, p);
}

static const char xgb_predict_config[] = "{\"type\": 0, \"training\": "
    "false, \"iteration_begin\": 0, \"iteration_end\": 0, \"strict_shape\": "
    "false, \"missing\": NaN, \"cache_id\": 0}";

/*
 * XGBoost's outputs for rows [from, to) of X (nout per row) into
 * out[(r - from) * nout + k], in chunks; x is scratch for a chunk.
 */
static int
xgb_raw(const struct model *m, const struct fmat *X, size_t from,
    size_t to, float *x, size_t chunk, double *out, struct err *e)
{
	const struct xgb *s = m->state;
	size_t r0, i, nout = s->nout;
	char iface[256];

	for (r0 = from; r0 < to; r0 += chunk) {
		size_t r1 = r0 + chunk < to ? r0 + chunk : to, nr = r1 - r0;
		const bst_ulong *shape;
		bst_ulong dim, total;
		const float *res;

		if (xgb_rows(X, r0, r1, x))
			return xgb_inf_error(m, X, e);
		xgb_iface(iface, sizeof iface, x, nr, X->p);
		if (XGBoosterPredictFromDense(s->bst, iface, xgb_predict_config,
		    NULL, &shape, &dim, &res) != 0)
			return xgb_error(m, "to predict", e);
		for (total = 1, i = 0; i < dim; i++)
			total *= shape[i];
		if (total != nr * nout)
			return err_set(e, ERR_FAIL, "model '%s': XGBoost gave "
			    "%llu numbers for %zu rows (expected %zu each)",
			    m->ops->name, (unsigned long long)total, nr, nout);
		for (i = 0; i < nr * nout; i++)
			out[(r0 - from) * nout + i] = res[i];
	}
	return 0;
}

/* Predict all rows of X into out (n x nout). */
static int
xgb_predict_all(const struct model *m, const struct fmat *X, double *out,
    struct err *e)
{
	size_t chunk = X->p > 0 ? XGB_CHUNK / X->p : XGB_CHUNK;
	float *x;
	int rc;

	if (chunk < 1)
		chunk = 1;
	if (chunk > X->n)
		chunk = X->n;
	x = xmalloc((chunk * X->p > 0 ? chunk * X->p : 1) * sizeof *x);
	rc = xgb_raw(m, X, 0, X->n, x, chunk, out, e);
	free(x);
	return rc;
}

/*
 * Checking a saved booster before XGBoost reads it.  XGBoost 1.7's
 * loader trusts the JSON's counts and indexes: more num_trees than
 * trees, a null among numbers, a child index out of range or a cycle
 * of children read memory out of bounds, crash or loop forever.  So a
 * fitted pipeline's booster (edited, with the checksum recomputed) is
 * parsed here first and its shape checked: every count agrees with the
 * arrays, every array has num_nodes numbers, the children make a tree
 * rooted at node 0 that reaches every node once but the num_deleted
 * pruned ones, and split features are below num_feature.
 */
enum { XJ_NULL, XJ_BOOL, XJ_NUM, XJ_STR, XJ_ARR, XJ_OBJ };
#define XJ_DEPTH	32

struct xj {
	int		 type;
	double		 num;
	const char	*s;		/* XJ_STR: the raw text, unescaped */
	size_t		 len;
	size_t		 n;		/* XJ_ARR, XJ_OBJ: members */
	struct xj	*v;
	struct xj	*k;		/* XJ_OBJ: the keys (XJ_STR) */
};

static void
xj_free(struct xj *j)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		xj_free(&j->v[i]);
	free(j->v);
	free(j->k);
}

static void
xj_ws(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

static int
xj_parse(const char **p, struct xj *j, int depth)
{
	const char *q;
	char *end;
	size_t cap = 0;

	memset(j, 0, sizeof *j);
	xj_ws(p);
	q = *p;
	if (*q == '"') {
		j->type = XJ_STR;
		j->s = ++q;
		while (*q != '"') {
			if (*q == '\0' || (unsigned char)*q < 0x20)
				return -1;
			if (*q == '\\' && *++q == '\0')
				return -1;
			q++;
		}
		j->len = (size_t)(q - j->s);
		*p = q + 1;
		return 0;
	}
	if (*q == '[' || *q == '{') {
		int obj = *q == '{';
		char close = obj ? '}' : ']';

		if (depth >= XJ_DEPTH)
			return -1;
		j->type = obj ? XJ_OBJ : XJ_ARR;
		*p = q + 1;
		xj_ws(p);
		if (**p == close) {
			(*p)++;
			return 0;
		}
		for (;;) {
			if (j->n == cap) {
				cap = cap ? 2 * cap : 8;
				j->v = xreallocarray(j->v, cap, sizeof *j->v);
				if (obj)
					j->k = xreallocarray(j->k, cap,
					    sizeof *j->k);
			}
			if (obj) {
				size_t i;

				if (xj_parse(p, &j->k[j->n], depth + 1) != 0 ||
				    j->k[j->n].type != XJ_STR) {
					xj_free(&j->k[j->n]);
					return -1;
				}
				for (i = 0; i < j->n; i++)	/* no twice */
					if (j->k[i].len == j->k[j->n].len &&
					    memcmp(j->k[i].s, j->k[j->n].s,
					    j->k[i].len) == 0)
						return -1;
				xj_ws(p);
				if (**p != ':')
					return -1;
				(*p)++;
			}
			if (xj_parse(p, &j->v[j->n], depth + 1) != 0) {
				j->n++;
				return -1;
			}
			j->n++;
			xj_ws(p);
			if (**p == close) {
				(*p)++;
				return 0;
			}
			if (**p != ',')
				return -1;
			(*p)++;
		}
	}
	if (strncmp(q, "null", 4) == 0 || strncmp(q, "true", 4) == 0) {
		j->type = *q == 'n' ? XJ_NULL : XJ_BOOL;
		j->num = *q == 't';
		*p = q + 4;
		return 0;
	}
	if (strncmp(q, "false", 5) == 0) {
		j->type = XJ_BOOL;
		*p = q + 5;
		return 0;
	}
	if (*q != '-' && (*q < '0' || *q > '9'))
		return -1;
	j->type = XJ_NUM;
	j->num = strtod(q, &end);
	if (end == q)
		return -1;
	*p = end;
	return 0;
}

/* The member key of object j, or NULL. */
static const struct xj *
xj_get(const struct xj *j, const char *key, int type)
{
	size_t i, n = strlen(key);

	if (j == NULL || j->type != XJ_OBJ)
		return NULL;
	for (i = 0; i < j->n; i++)
		if (j->k[i].len == n && memcmp(j->k[i].s, key, n) == 0)
			return j->v[i].type == type ? &j->v[i] : NULL;
	return NULL;
}

/* An integer in [lo, hi], as a JSON number or a string of digits. */
static int
xj_int(const struct xj *j, long long lo, long long hi, long long *out)
{
	char buf[32], *end;
	long long v;

	if (j == NULL)
		return -1;
	if (j->type == XJ_NUM) {
		if (!(j->num >= (double)lo && j->num <= (double)hi) ||
		    j->num != floor(j->num))
			return -1;
		*out = (long long)j->num;
		return 0;
	}
	if (j->type != XJ_STR || j->len == 0 || j->len >= sizeof buf)
		return -1;
	memcpy(buf, j->s, j->len);
	buf[j->len] = '\0';
	v = strtoll(buf, &end, 10);
	if (*end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int
xj_int_key(const struct xj *o, const char *key, long long lo, long long hi,
    long long *out)
{
	const struct xj *v = xj_get(o, key, XJ_STR);

	return xj_int(v, lo, hi, out);
}

/* An array of n finite numbers (ints: integers in [lo, hi]). */
static const struct xj *
xj_nums(const struct xj *o, const char *key, size_t n, int ints,
    long long lo, long long hi)
{
	const struct xj *a = xj_get(o, key, XJ_ARR);
	long long v;
	size_t i;

	if (a == NULL || a->n != n)
		return NULL;
	for (i = 0; i < n; i++) {
		if (a->v[i].type != XJ_NUM || !isfinite(a->v[i].num))
			return NULL;
		if (ints && xj_int(&a->v[i], lo, hi, &v) != 0)
			return NULL;
	}
	return a;
}

/* One tree of the booster: 0 when sound. */
static int
xj_tree(const struct xj *t, long long id, long long nf)
{
	static const char *const reals[] = { "base_weights", "loss_changes",
	    "split_conditions", "sum_hessian" };
	static const char *const empty[] = { "categories", "categories_nodes",
	    "categories_segments", "categories_sizes" };
	const struct xj *tp = xj_get(t, "tree_param", XJ_OBJ), *l, *r, *par,
	    *si, *a;
	long long n, v, tid, ndel;
	size_t i, top, *stack;
	unsigned char *seen;
	int bad = 0;

	if (xj_int_key(tp, "num_nodes", 1, INT_MAX / 2, &n) != 0 ||
	    xj_int_key(tp, "num_feature", nf, nf, &v) != 0 ||
	    xj_int_key(tp, "num_deleted", 0, n - 1, &ndel) != 0 ||
	    xj_int_key(tp, "size_leaf_vector", 0, 0, &v) != 0 ||
	    xj_int(xj_get(t, "id", XJ_NUM), id, id, &tid) != 0)
		return -1;
	for (i = 0; i < sizeof reals / sizeof reals[0]; i++)
		if (xj_nums(t, reals[i], (size_t)n, 0, 0, 0) == NULL)
			return -1;
	for (i = 0; i < sizeof empty / sizeof empty[0]; i++)
		if ((a = xj_get(t, empty[i], XJ_ARR)) == NULL || a->n != 0)
			return -1;
	if ((l = xj_nums(t, "left_children", (size_t)n, 1, -1, n - 1)) == NULL ||
	    (r = xj_nums(t, "right_children", (size_t)n, 1, -1, n - 1)) == NULL ||
	    (par = xj_nums(t, "parents", (size_t)n, 1, 0, INT_MAX)) == NULL ||
	    (si = xj_nums(t, "split_indices", (size_t)n, 1, 0, INT_MAX)) ==
	    NULL ||
	    xj_nums(t, "split_type", (size_t)n, 1, 0, 0) == NULL ||
	    xj_nums(t, "default_left", (size_t)n, 1, 0, 1) == NULL)
		return -1;
	if (par->v[0].num != INT_MAX)
		return -1;
	/* Walk from the root: every node reached once, from its parent. */
	seen = xcalloc((size_t)n, 1);
	stack = xmalloc((size_t)n * sizeof *stack);
	seen[0] = 1;
	stack[0] = 0;
	top = 1;
	while (top > 0 && !bad) {
		size_t x = stack[--top];
		double c[2] = { l->v[x].num, r->v[x].num };
		int k;

		if ((c[0] < 0) != (c[1] < 0) ||
		    (c[0] >= 0 && si->v[x].num >= (double)nf)) {
			bad = 1;
			break;
		}
		for (k = 0; k < 2 && c[0] >= 0; k++) {
			size_t y = (size_t)c[k];

			if (seen[y] || par->v[y].num != (double)x) {
				bad = 1;
				break;
			}
			seen[y] = 1;
			stack[top++] = y;
		}
	}
	for (i = 0; i < (size_t)n; i++)	/* the rest: pruned nodes */
		if (!seen[i])
			ndel--;
	if (ndel != 0)
		bad = 1;
	free(seen);
	free(stack);
	return bad ? -1 : 0;
}

/*
 * 0 when the JSON is a gbtree booster of nf features with nout outputs
 * (num_class: nclass, 0 for one output) XGBoost can safely load.
 */
static int
xj_booster(const char *json, long long nf, long long nclass, long long nout)
{
	const struct xj *l, *lmp, *gb, *md, *mp, *info, *trees, *a;
	const char *p = json;
	struct xj root;
	long long v, ntrees;
	size_t i;
	int rc = -1;

	if (xj_parse(&p, &root, 0) != 0) {
		xj_free(&root);
		return -1;
	}
	xj_ws(&p);
	if (*p != '\0')
		goto out;
	l = xj_get(&root, "learner", XJ_OBJ);
	lmp = xj_get(l, "learner_model_param", XJ_OBJ);
	gb = xj_get(l, "gradient_booster", XJ_OBJ);
	md = xj_get(gb, "model", XJ_OBJ);
	mp = xj_get(md, "gbtree_model_param", XJ_OBJ);
	info = xj_get(md, "tree_info", XJ_ARR);
	trees = xj_get(md, "trees", XJ_ARR);
	if (xj_int_key(lmp, "num_feature", nf, nf, &v) != 0 ||
	    xj_int_key(lmp, "num_class", nclass, nclass, &v) != 0 ||
	    xj_int_key(lmp, "num_target", 1, 1, &v) != 0 ||
	    (a = xj_get(gb, "name", XJ_STR)) == NULL || a->len != 6 ||
	    memcmp(a->s, "gbtree", 6) != 0 ||
	    xj_int_key(mp, "num_parallel_tree", 1, 1, &v) != 0 ||
	    xj_int_key(mp, "size_leaf_vector", 0, 0, &v) != 0 ||
	    xj_int_key(mp, "num_trees", 0, INT_MAX, &ntrees) != 0 ||
	    trees == NULL || trees->n != (size_t)ntrees ||
	    xj_nums(md, "tree_info", (size_t)ntrees, 1, 0, nout - 1) == NULL)
		goto out;
	(void)info;
	for (i = 0; i < trees->n; i++)
		if (trees->v[i].type != XJ_OBJ ||
		    xj_tree(&trees->v[i], (long long)i, nf) != 0)
			goto out;
	rc = 0;
out:
	xj_free(&root);
	return rc;
}

/*
 * Make s->bst from s->json and check it against the model: features,
 * outputs per row (one NaN row, which also configures the booster so
 * that predictions only read it), then the importances.
 */
static int
xgb_ready(struct model *m, struct xgb *s, struct err *e)
{
	size_t j, want = m->ops->task == TASK_CLASSIFY && m->nclasses > 2 ?
	    m->nclasses : 1;
	const char *obj = xgb_objective(m), **names;
	const bst_ulong *shape;
	bst_ulong nf, dim, total, i;
	const float *res, *score;
	float *row;
	char iface[256], *pat;
	double sum;
	int found;

	s->p = m->nfeat;
	s->nout = want;
	if (xj_booster(s->json, (long long)s->p, want > 1 ? (long long)want :
	    0, (long long)want) != 0)
		return err_set(e, ERR_DATA, "model '%s': the saved booster is "
		    "damaged (not the JSON of a %zu-feature %s booster)",
		    m->ops->name, s->p, obj);
	if (XGBoosterCreate(NULL, 0, &s->bst) != 0) {
		s->bst = NULL;
		return xgb_error(m, "to make a booster", e);
	}
	if (XGBoosterLoadModelFromBuffer(s->bst, s->json,
	    (bst_ulong)strlen(s->json)) != 0) {
		/* well-formed but refused by XGBoost: a damaged file too */
		xgb_error(m, "to load its model", e);
		e->code = ERR_DATA;
		return -1;
	}
	pat = xasprintf("\"objective\":{\"name\":\"%s\"", obj);
	found = strstr(s->json, pat) != NULL;
	free(pat);
	if (!found)
		return err_set(e, ERR_DATA, "model '%s': the saved booster's "
		    "objective is not %s", m->ops->name, obj);
	if (XGBoosterGetNumFeature(s->bst, &nf) != 0)
		return xgb_error(m, "to count features", e);
	if (nf != s->p)
		return err_set(e, ERR_DATA, "model '%s': the saved booster has "
		    "%llu features, the model %zu", m->ops->name,
		    (unsigned long long)nf, s->p);
	if (XGBoosterBoostedRounds(s->bst, &s->rounds) != 0)
		return xgb_error(m, "to count rounds", e);
	row = xmalloc((s->p > 0 ? s->p : 1) * sizeof *row);
	for (j = 0; j < s->p; j++)
		row[j] = NAN;
	xgb_iface(iface, sizeof iface, row, 1, s->p);
	if (XGBoosterPredictFromDense(s->bst, iface, xgb_predict_config,
	    NULL, &shape, &dim, &res) != 0) {
		free(row);
		return xgb_error(m, "to predict", e);
	}
	free(row);
	for (total = 1, i = 0; i < dim; i++)
		total *= shape[i];
	if (total != want)
		return err_set(e, ERR_DATA, "model '%s': the saved booster "
		    "gives %llu numbers per row, not %zu", m->ops->name,
		    (unsigned long long)total, want);

	/* Importances: gain per "f<j>", normalised. */
	s->imp = xcalloc(s->p > 0 ? s->p : 1, sizeof *s->imp);
	if (XGBoosterFeatureScore(s->bst, "{\"importance_type\": \"gain\"}",
	    &nf, &names, &dim, &shape, &score) != 0)
		return xgb_error(m, "to score features", e);
	sum = 0;
	for (i = 0; i < nf; i++) {
		char *end;
		unsigned long f;

		if (names[i][0] != 'f')
			continue;
		f = strtoul(names[i] + 1, &end, 10);
		if (*end != '\0' || end == names[i] + 1 || f >= s->p)
			continue;
		s->imp[f] += score[i];
		sum += score[i];
	}
	if (sum > 0)
		for (j = 0; j < s->p; j++)
			s->imp[j] /= sum;
	return 0;
}

/* Set one booster parameter, with XGBoost's message on failure. */
static int
xgb_set(const struct model *m, BoosterHandle b, const char *key,
    const char *v, struct err *e)
{
	char what[64];

	if (XGBoosterSetParam(b, key, v) == 0)
		return 0;
	snprintf(what, sizeof what, "to set %s=%s", key, v);
	return xgb_error(m, what, e);
}

static int
xgb_set_num(const struct model *m, BoosterHandle b, const char *key,
    struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	state_double(&sb, params_num(&m->params, key));
	rc = xgb_set(m, b, key, strbuf_str(&sb), e);
	strbuf_release(&sb);
	return rc;
}

static int
xgb_set_int(const struct model *m, BoosterHandle b, const char *key,
    long v, struct err *e)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%ld", v);
	return xgb_set(m, b, key, buf, e);
}

static int
xgb_configure(const struct model *m, BoosterHandle b, int nt, struct err *e)
{
	static const char *const nums[] = { "eta", "subsample",
	    "colsample_bytree", "min_child_weight", "lambda", "alpha",
	    "gamma" };
	const char *method = params_str(&m->params, "tree_method");
	size_t i;

	if (xgb_set(m, b, "objective", xgb_objective(m), e) != 0)
		return -1;
	if (m->ops->task == TASK_CLASSIFY && m->nclasses > 2 &&
	    xgb_set_int(m, b, "num_class", (long)m->nclasses, e) != 0)
		return -1;
	if (xgb_set(m, b, "tree_method", method, e) != 0 ||
	    xgb_set_int(m, b, "max_depth", params_int(&m->params,
	    "max_depth"), e) != 0)
		return -1;
	for (i = 0; i < sizeof nums / sizeof nums[0]; i++)
		if (xgb_set_num(m, b, nums[i], e) != 0)
			return -1;
	if (strcmp(method, "exact") != 0 && xgb_set_int(m, b, "max_bin",
	    params_int(&m->params, "max_bin"), e) != 0)
		return -1;
	if (xgb_set_int(m, b, "seed", params_int(&m->params, "seed"),
	    e) != 0 || xgb_set_int(m, b, "nthread", nt, e) != 0)
		return -1;
	return 0;
}

static int
xgb_fit(struct model *m, const struct fmat *X, const struct target *y,
    const struct model_ctx *ctx, struct err *e)
{
	long rounds = params_int(&m->params, "n_rounds");
	int nt = ctx != NULL && ctx->threads > 1 ? ctx->threads : 1;
	char what[64], iface[256], config[64];
	DMatrixHandle dm = NULL;
	BoosterHandle b = NULL;
	const char *buf;
	bst_ulong len;
	struct xgb *s;
	float *x, *label;
	size_t r, n = X->n;
	long i;

	snprintf(what, sizeof what, "model '%s'", m->ops->name);
	if (fmat_check_numeric(X, 1, what, e) != 0)
		return -1;
	model_progress(ctx, 0);
	if ((x = xgb_dense(m, X, nt, e)) == NULL)
		return -1;
	xgb_iface(iface, sizeof iface, x, n, X->p);
	snprintf(config, sizeof config, "{\"missing\": NaN, \"nthread\": %d}",
	    nt);
	if (XGDMatrixCreateFromDense(iface, config, &dm) != 0) {
		free(x);
		return xgb_error(m, "to take the data", e);
	}
	free(x);		/* the DMatrix holds its own copy */
	label = xmalloc(n * sizeof *label);
	for (r = 0; r < n; r++)
		label[r] = m->ops->task == TASK_CLASSIFY ? (float)y->cls[r] :
		    (float)y->y[r];
	if (XGDMatrixSetFloatInfo(dm, "label", label, (bst_ulong)n) != 0) {
		free(label);
		xgb_error(m, "to take the target", e);
		goto fail;
	}
	free(label);
	if (XGBoosterCreate(&dm, 1, &b) != 0) {
		b = NULL;
		xgb_error(m, "to make a booster", e);
		goto fail;
	}
	if (xgb_configure(m, b, nt, e) != 0)
		goto fail;
	for (i = 0; i < rounds; i++) {
		if (model_cancelled(ctx)) {
			err_set(e, ERR_CANCEL, "cancelled");
			goto fail;
		}
		if (XGBoosterUpdateOneIter(b, (int)i, dm) != 0) {
			snprintf(config, sizeof config, "in round %ld", i + 1);
			xgb_error(m, config, e);
			goto fail;
		}
		model_progress(ctx, 0.98 * (double)(i + 1) / (double)rounds);
	}
	XGDMatrixFree(dm);
	dm = NULL;
	if (XGBoosterSaveModelToBuffer(b, "{\"format\": \"json\"}", &len,
	    &buf) != 0) {
		xgb_error(m, "to save its model", e);
		goto fail;
	}
	s = xcalloc(1, sizeof *s);
	s->json = xstrndup(buf, (size_t)len);
	XGBoosterFree(b);
	xgb_free(m);
	m->state = s;
	if (xgb_ready(m, s, e) != 0) {
		xgb_free(m);
		return -1;
	}
	model_progress(ctx, 1);
	return 0;

fail:
	if (b != NULL)
		XGBoosterFree(b);
	if (dm != NULL)
		XGDMatrixFree(dm);
	return -1;
}

static int
xgb_predict(const struct model *m, const struct fmat *X, double *out,
    struct err *e)
{
	const struct xgb *s = m->state;
	size_t r, k, nout = s->nout;
	double *raw;
	char what[64];

	snprintf(what, sizeof what, "model '%s'", m->ops->name);
	if (model_check_features(m, X, e) != 0 ||
	    fmat_check_numeric(X, 1, what, e) != 0)
		return -1;
	if (X->n == 0)
		return 0;
	if (m->ops->task == TASK_REGRESS)
		return xgb_predict_all(m, X, out, e);
	raw = nout == 1 ? out : xmalloc(X->n * nout * sizeof *raw);
	if (xgb_predict_all(m, X, raw, e) != 0) {
		if (raw != out)
			free(raw);
		return -1;
	}
	if (nout == 1) {
		for (r = 0; r < X->n; r++)
			out[r] = raw[r] > 0.5 ? 1 : 0;
		return 0;
	}
	for (r = 0; r < X->n; r++) {
		const double *pr = raw + r * nout;
		size_t best = 0;

		for (k = 1; k < nout; k++)
			if (pr[k] > pr[best])
				best = k;
		out[r] = (double)best;
	}
	free(raw);
	return 0;
}

static int
xgb_predict_proba(const struct model *m, const struct fmat *X,
    double *proba, struct err *e)
{
	const struct xgb *s = m->state;
	size_t r;
	char what[64];

	snprintf(what, sizeof what, "model '%s'", m->ops->name);
	if (model_check_features(m, X, e) != 0 ||
	    fmat_check_numeric(X, 1, what, e) != 0)
		return -1;
	if (X->n == 0)
		return 0;
	if (s->nout > 1)
		return xgb_predict_all(m, X, proba, e);
	/* Binary: p in the second column, then 1 - p before it. */
	if (xgb_predict_all(m, X, proba + X->n, e) != 0)
		return -1;
	for (r = 0; r < X->n; r++) {
		double p = proba[X->n + r];

		proba[2 * r] = 1 - p;
		proba[2 * r + 1] = p;
	}
	return 0;
}

static const char *
xgb_importances(const struct model *m, double *out)
{
	const struct xgb *s = m->state;

	memcpy(out, s->imp, s->p * sizeof *out);
	return "importance";
}

static void
xgb_describe(const struct model *m, struct strbuf *sb)
{
	const struct xgb *s = m->state;
	const struct params *p = &m->params;

	strbuf_addf(sb, "%s n_rounds=%ld max_depth=%ld eta=%g "
	    "tree_method=%s", m->ops->name, params_int(p, "n_rounds"),
	    params_int(p, "max_depth"), params_num(p, "eta"),
	    params_str(p, "tree_method"));
	if (params_num(p, "subsample") != 1)
		strbuf_addf(sb, " subsample=%g", params_num(p, "subsample"));
	if (params_num(p, "colsample_bytree") != 1)
		strbuf_addf(sb, " colsample_bytree=%g",
		    params_num(p, "colsample_bytree"));
	if (s == NULL)
		return;
	strbuf_addf(sb, ": %d round%s of %s", s->rounds, s->rounds == 1 ?
	    "" : "s", xgb_objective(m));
	if (s->nout > 1)
		strbuf_addf(sb, " (%zu trees a round)", s->nout);
}

static void
xgb_save(const struct model *m, struct strbuf *sb)
{
	const struct xgb *s = m->state;

	state_put_str(sb, "booster", s->json);
}

static int
xgb_load(struct model *m, const struct state *st, struct err *e)
{
	struct xgb *s = xcalloc(1, sizeof *s);

	m->state = s;
	if (state_get_str(st, "booster", &s->json, e) != 0)
		return -1;
	if (xgb_ready(m, s, e) != 0) {
		err_prefix(e, "%s", st->what);
		return -1;
	}
	return 0;
}

const struct model_ops model_xgboost_classifier_ops = {
	.name = "xgboost_classifier",
	.summary = "gradient-boosted trees (XGBoost): binary:logistic or "
	    "multi:softprob; missing values allowed",
	.task = TASK_CLASSIFY,
	.accepts_cat = 0,
	.params = xgb_params,
	.check = xgb_check,
	.fit = xgb_fit,
	.predict = xgb_predict,
	.predict_proba = xgb_predict_proba,
	.importances = xgb_importances,
	.describe = xgb_describe,
	.save = xgb_save,
	.load = xgb_load,
	.free = xgb_free,
};

const struct model_ops model_xgboost_regressor_ops = {
	.name = "xgboost_regressor",
	.summary = "gradient-boosted trees (XGBoost), squared error; missing "
	    "values allowed",
	.task = TASK_REGRESS,
	.accepts_cat = 0,
	.params = xgb_params,
	.check = xgb_check,
	.fit = xgb_fit,
	.predict = xgb_predict,
	.importances = xgb_importances,
	.describe = xgb_describe,
	.save = xgb_save,
	.load = xgb_load,
	.free = xgb_free,
};

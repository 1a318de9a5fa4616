/*
 * model-categorical-nb.c - categorical naive Bayes ("categorical_nb"),
 * as scikit-learn's CategoricalNB(alpha=1.0, fit_prior=True).
 *
 * Every feature is a set of categories:
 *	categorical columns   the values seen in training, recorded by their
 *	                      text (so a value matches at predict time
 *	                      whatever code the data's dictionary gives it),
 *	                      in byte order
 *	number columns        only when every value is a whole number >= 0
 *	                      (below 100000): the categories are 0 .. max
 *	                      (scikit-learn's n_categories = max + 1, values
 *	                      in between that never occur included); other
 *	                      numbers are an error suggesting 'step bin' or
 *	                      'step ordinal'
 *	indicator columns     the numbers 0 and 1, as above
 * Missing values are an error (impute them first).  On text categories
 * this is scikit-learn's CategoricalNB on an OrdinalEncoder of the
 * training rows.
 *
 * With N[c][j][v] the training rows of class c whose feature j is
 * category v, n_j the categories of feature j and alpha the smoothing:
 *	log p(v | c, j) = log(N[c][j][v] + alpha) - log(S[c][j]),
 *	S[c][j] = sum_v (N[c][j][v] + alpha)   (= N_c + alpha n_j)
 *	log prior[c] = log N_c - log N
 *	jll[c](x) = (sum_j log p(x_j | c, j)) + log prior[c]
 *	predict: the class with the largest jll (first on a tie); proba:
 *	exp(jll - logsumexp(jll)), as scikit-learn.
 * Sums over categories and classes are numpy's pairwise sums, in
 * scikit-learn's order, so the numbers are its numbers.
 *
 * Difference from scikit-learn: a category never seen in training
 * (a new text value, or a whole number above the training maximum) gets
 * the smoothed zero-count probability alpha / (N_c + alpha n_j) instead
 * of scikit-learn's IndexError, so new data never fails to predict.
 * alpha below 1e-10 is refused (scikit-learn raises it to 1e-10 with a
 * warning).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/xmalloc.h"

/* More categories than this in a number column is not a category. */
#define CNB_MAXCAT	100000

static const struct param_def cnb_params[] = {
	{ "alpha", PT_NUM, "1", NULL, 1e-10, 1e300,
	  "additive (Laplace) smoothing of the category counts" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct cnb_feat {
	int		 bytext;	/* categories are strings */
	size_t		 ncat;
	char		**cats;		/* bytext: sorted */
	double		*count;		/* nc x ncat */
	double		*logp;		/* nc x ncat: log p(v | c) */
	double		*unseen;	/* nc: log(alpha) - log(S[c]) */
};

struct cnb {
	size_t		 nc, p;
	double		 alpha;
	double		*class_count;
	double		*logprior;
	struct cnb_feat	*f;
};

static void
cnb_free(struct model *m)
{
	struct cnb *nb = m->state;
	size_t j;

	if (nb == NULL)
		return;
	for (j = 0; nb->f != NULL && j < nb->p; j++) {
		struct cnb_feat *f = &nb->f[j];

		strs_free(f->cats, f->cats != NULL ? f->ncat : 0);
		free(f->count);
		free(f->logp);
		free(f->unseen);
	}
	free(nb->f);
	free(nb->class_count);
	free(nb->logprior);
	free(nb);
	m->state = NULL;
}

/* The log probabilities from the counts. */
static void
cnb_prepare(struct cnb *nb)
{
	size_t j, c, v, maxcat = 1;
	double *t, total;

	for (j = 0; j < nb->p; j++)
		if (nb->f[j].ncat > maxcat)
			maxcat = nb->f[j].ncat;
	if (nb->nc > maxcat)
		maxcat = nb->nc;
	t = xmalloc(maxcat * sizeof *t);
	for (j = 0; j < nb->p; j++) {
		struct cnb_feat *f = &nb->f[j];

		f->logp = xmalloc((nb->nc * f->ncat + 1) * sizeof *f->logp);
		f->unseen = xmalloc(nb->nc * sizeof *f->unseen);
		for (c = 0; c < nb->nc; c++) {
			const double *cnt = f->count + c * f->ncat;
			double ls;

			for (v = 0; v < f->ncat; v++)
				t[v] = cnt[v] + nb->alpha;
			ls = log(pairwise_sum(t, f->ncat));
			for (v = 0; v < f->ncat; v++)
				f->logp[c * f->ncat + v] = log(t[v]) - ls;
			f->unseen[c] = log(nb->alpha) - ls;
		}
	}
	total = pairwise_sum(nb->class_count, nb->nc);
	nb->logprior = xmalloc(nb->nc * sizeof *nb->logprior);
	for (c = 0; c < nb->nc; c++)
		nb->logprior[c] = log(nb->class_count[c]) - log(total);
	free(t);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The categories of a categorical column: the values seen, by text. */
static int
learn_text(struct cnb_feat *f, const struct fcol *col, size_t n,
    struct err *e)
{
	size_t nd = col->ncats, r, v;
	char *seen = xcalloc(nd ? nd : 1, 1);

	for (r = 0; r < n; r++) {
		if (col->codes[r] < 0) {
			free(seen);
			return err_set(e, ERR_DATA, "model 'categorical_nb': "
			    "column '%s' has missing values (row %zu): add "
			    "'step impute columns=%s' before the model",
			    col->name, r + 1, col->name);
		}
		seen[col->codes[r]] = 1;
	}
	f->bytext = 1;
	f->ncat = 0;
	for (v = 0; v < nd; v++)
		f->ncat += seen[v];
	f->cats = xmalloc((f->ncat ? f->ncat : 1) * sizeof *f->cats);
	f->ncat = 0;
	for (v = 0; v < nd; v++)
		if (seen[v])
			f->cats[f->ncat++] = xstrdup(dict_str(col->dict,
			    (int32_t)v));
	qsort(f->cats, f->ncat, sizeof *f->cats, cmp_str);
	free(seen);
	return 0;
}

/* Index of s among the sorted categories, or -1. */
static long
cat_find(const struct cnb_feat *f, const char *s)
{
	size_t lo = 0, hi = f->ncat;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(f->cats[mid], s);

		if (d == 0)
			return (long)mid;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* A number column's value as a category number, or an error. */
static int
num_category(const struct fcol *col, size_t r, double *out, struct err *e)
{
	double v = col->kind == FC_IND ? (double)(col->idx[r] == col->code) :
	    col->num[r];

	if (isnan(v))
		return err_set(e, ERR_DATA, "model 'categorical_nb': column "
		    "'%s' has missing values (row %zu): add 'step impute "
		    "columns=%s' before the model", col->name, r + 1,
		    col->name);
	if (!(v >= 0) || isinf(v) || v != floor(v))
		return err_set(e, ERR_DATA, "model 'categorical_nb': column "
		    "'%s' is not a category (row %zu has %g; categories are "
		    "text or whole numbers >= 0): turn it into categories "
		    "with 'step bin columns=%s' or 'step ordinal'", col->name,
		    r + 1, v, col->name);
	*out = v;
	return 0;
}

/* The categories of a number or indicator column: 0 .. max. */
static int
learn_num(struct cnb_feat *f, const struct fcol *col, size_t n,
    struct err *e)
{
	double mx = 0, v;
	size_t r;

	for (r = 0; r < n; r++) {
		if (num_category(col, r, &v, e) != 0)
			return -1;
		if (v > mx)
			mx = v;
	}
	if (mx >= CNB_MAXCAT)
		return err_set(e, ERR_DATA, "model 'categorical_nb': column "
		    "'%s' has values up to %g: too many categories (turn it "
		    "into fewer with 'step bin columns=%s' or 'step "
		    "ordinal')", col->name, mx, col->name);
	f->bytext = 0;
	f->ncat = (size_t)mx + 1;
	return 0;
}

/*
 * The category of every row of a column into cat[] (-1: not seen in
 * training).  A categorical column is matched by text: the lookup from
 * the data's codes to the model's categories is built once, from the
 * column's own dictionary.
 */
static int
cnb_categories(const struct cnb_feat *f, const struct fcol *col, size_t n,
    int32_t *cat, struct err *e)
{
	size_t r, v;

	if (col->kind == FC_CAT) {
		int32_t *map;

		if (!f->bytext)
			return err_set(e, ERR_DATA, "model 'categorical_nb': "
			    "column '%s' is categorical; it was numeric in "
			    "training", col->name);
		map = xmalloc((col->ncats ? col->ncats : 1) * sizeof *map);
		for (v = 0; v < col->ncats; v++)
			map[v] = (int32_t)cat_find(f, dict_str(col->dict,
			    (int32_t)v));
		for (r = 0; r < n; r++) {
			if (col->codes[r] < 0) {
				free(map);
				return err_set(e, ERR_DATA, "model "
				    "'categorical_nb': column '%s' has missing "
				    "values (row %zu): add 'step impute "
				    "columns=%s' before the model", col->name,
				    r + 1, col->name);
			}
			cat[r] = map[col->codes[r]];
		}
		free(map);
		return 0;
	}
	if (f->bytext)
		return err_set(e, ERR_DATA, "model 'categorical_nb': column "
		    "'%s' is numeric; it was categorical in training",
		    col->name);
	for (r = 0; r < n; r++) {
		double x;

		if (num_category(col, r, &x, e) != 0)
			return -1;
		cat[r] = x < (double)f->ncat ? (int32_t)x : -1;
	}
	return 0;
}

static int
cnb_fit(struct model *m, const struct fmat *X, const struct target *y,
    const struct model_ctx *ctx, struct err *e)
{
	size_t n = X->n, p = X->p, nc = y->nclasses, r, j;
	int32_t *cat;
	struct cnb *nb;

	cnb_free(m);
	nb = xcalloc(1, sizeof *nb);
	nb->nc = nc;
	nb->p = p;
	nb->alpha = params_num(&m->params, "alpha");
	nb->f = xcalloc(p, sizeof *nb->f);
	nb->class_count = xcalloc(nc, sizeof *nb->class_count);
	m->state = nb;
	for (r = 0; r < n; r++)
		nb->class_count[y->cls[r]] += 1;
	cat = xmalloc(n * sizeof *cat);
	for (j = 0; j < p; j++) {
		struct cnb_feat *f = &nb->f[j];

		if (model_cancelled(ctx)) {
			free(cat);
			cnb_free(m);
			return err_set(e, ERR_CANCEL, "cancelled");
		}
		if ((X->cols[j].kind == FC_CAT ? learn_text(f, &X->cols[j], n,
		    e) : learn_num(f, &X->cols[j], n, e)) != 0 ||
		    cnb_categories(f, &X->cols[j], n, cat, e) != 0) {
			free(cat);
			cnb_free(m);
			return -1;
		}
		f->count = xcalloc(nc * f->ncat + 1, sizeof *f->count);
		for (r = 0; r < n; r++)
			f->count[(size_t)y->cls[r] * f->ncat +
			    (size_t)cat[r]] += 1;
		model_progress(ctx, (double)(j + 1) / (double)p);
	}
	free(cat);
	cnb_prepare(nb);
	return 0;
}

/* Joint log likelihoods of every row into jll (n x nc). */
static int
cnb_jll(const struct model *m, const struct fmat *X, double *jll,
    struct err *e)
{
	const struct cnb *nb = m->state;
	size_t n = X->n, nc = nb->nc, r, c, j;
	int32_t *cat = xmalloc((n ? n : 1) * sizeof *cat);

	if (X->p != nb->p) {
		free(cat);
		return err_set(e, ERR_DATA, "model 'categorical_nb' was "
		    "trained on %zu features; the data has %zu", nb->p, X->p);
	}
	for (r = 0; r < n * nc; r++)
		jll[r] = 0;
	for (j = 0; j < nb->p; j++) {
		const struct cnb_feat *f = &nb->f[j];

		if (cnb_categories(f, &X->cols[j], n, cat, e) != 0) {
			free(cat);
			return -1;
		}
		for (r = 0; r < n; r++) {
			double *l = jll + r * nc;

			if (cat[r] < 0)
				for (c = 0; c < nc; c++)
					l[c] += f->unseen[c];
			else
				for (c = 0; c < nc; c++)
					l[c] += f->logp[c * f->ncat +
					    (size_t)cat[r]];
		}
	}
	for (r = 0; r < n; r++)
		for (c = 0; c < nc; c++)
			jll[r * nc + c] += nb->logprior[c];
	free(cat);
	return 0;
}

static int
cnb_predict(const struct model *m, const struct fmat *X, double *out,
    struct err *e)
{
	const struct cnb *nb = m->state;
	size_t nc = nb->nc, r, c;
	double *jll = xmalloc((X->n * nc + 1) * sizeof *jll);

	if (cnb_jll(m, X, jll, e) != 0) {
		free(jll);
		return -1;
	}
	for (r = 0; r < X->n; r++) {
		const double *l = jll + r * nc;
		size_t best = 0;

		for (c = 1; c < nc; c++)
			if (l[c] > l[best])
				best = c;
		out[r] = (double)best;
	}
	free(jll);
	return 0;
}

static int
cnb_predict_proba(const struct model *m, const struct fmat *X,
    double *proba, struct err *e)
{
	const struct cnb *nb = m->state;
	size_t nc = nb->nc, r, c;
	double *t;

	if (cnb_jll(m, X, proba, e) != 0)
		return -1;
	t = xmalloc(nc * sizeof *t);
	for (r = 0; r < X->n; r++) {
		double *l = proba + r * nc, amax = l[0], lse;

		for (c = 1; c < nc; c++)
			if (l[c] > amax)
				amax = l[c];
		if (!isfinite(amax))
			amax = 0;
		for (c = 0; c < nc; c++)
			t[c] = exp(l[c] - amax);
		lse = log(pairwise_sum(t, nc));
		lse += amax;
		for (c = 0; c < nc; c++)
			l[c] = exp(l[c] - lse);
	}
	free(t);
	return 0;
}

static void
cnb_describe(const struct model *m, struct strbuf *sb)
{
	const struct cnb *nb = m->state;
	size_t j, ncat = 0;

	strbuf_addf(sb, "categorical_nb alpha=%g", params_num(&m->params,
	    "alpha"));
	if (nb == NULL)
		return;
	for (j = 0; j < nb->p; j++)
		ncat += nb->f[j].ncat;
	strbuf_addf(sb, ": %zu classes, %zu features, %zu categories in "
	    "all", nb->nc, nb->p, ncat);
}

static void
cnb_save(const struct model *m, struct strbuf *sb)
{
	const struct cnb *nb = m->state;
	char key[64];
	size_t j;

	state_put_num(sb, "alpha", nb->alpha);
	state_put_nums(sb, "class_count", nb->nc, nb->class_count);
	for (j = 0; j < nb->p; j++) {
		const struct cnb_feat *f = &nb->f[j];

		if (f->bytext) {
			snprintf(key, sizeof key, "cats.%zu", j);
			state_put_strs(sb, key, f->ncat, f->cats);
		} else {
			snprintf(key, sizeof key, "ncat.%zu", j);
			state_put_int(sb, key, (long long)f->ncat);
		}
		snprintf(key, sizeof key, "count.%zu", j);
		state_put_nums(sb, key, nb->nc * f->ncat, f->count);
	}
}

static int
cnb_load(struct model *m, const struct state *st, struct err *e)
{
	struct cnb *nb = xcalloc(1, sizeof *nb);
	char key[64];
	size_t n, j, v;

	m->state = nb;
	nb->nc = m->nclasses;
	nb->p = m->nfeat;
	nb->f = xcalloc(nb->p ? nb->p : 1, sizeof *nb->f);
	if (state_get_num(st, "alpha", &nb->alpha, e) != 0 ||
	    state_get_nums(st, "class_count", &nb->class_count, &n, e) != 0)
		goto fail;
	if (!(nb->alpha > 0) || n != nb->nc) {
		err_set(e, ERR_DATA, "%s: bad 'alpha' or 'class_count'",
		    st->what);
		goto fail;
	}
	for (v = 0; v < n; v++)
		if (!(nb->class_count[v] > 0)) {
			err_set(e, ERR_DATA, "%s: 'class_count' must be "
			    "positive", st->what);
			goto fail;
		}
	for (j = 0; j < nb->p; j++) {
		struct cnb_feat *f = &nb->f[j];

		snprintf(key, sizeof key, "cats.%zu", j);
		if (state_find(st, key) != NULL) {
			if (state_get_strs(st, key, &f->cats, &f->ncat,
			    e) != 0)
				goto fail;
			f->bytext = 1;
			if (f->ncat == 0) {
				err_set(e, ERR_DATA, "%s: '%s' is empty",
				    st->what, key);
				goto fail;
			}
			for (v = 1; v < f->ncat; v++)
				if (strcmp(f->cats[v - 1], f->cats[v]) >= 0) {
					err_set(e, ERR_DATA, "%s: '%s' is not "
					    "sorted", st->what, key);
					goto fail;
				}
		} else {
			long long nn;

			snprintf(key, sizeof key, "ncat.%zu", j);
			if (state_get_int(st, key, &nn, e) != 0)
				goto fail;
			if (nn < 1 || nn > CNB_MAXCAT) {
				err_set(e, ERR_DATA, "%s: bad '%s'", st->what,
				    key);
				goto fail;
			}
			f->ncat = (size_t)nn;
		}
		snprintf(key, sizeof key, "count.%zu", j);
		if (state_get_nums(st, key, &f->count, &n, e) != 0)
			goto fail;
		if (n != nb->nc * f->ncat) {
			err_set(e, ERR_DATA, "%s: '%s' has %zu numbers, "
			    "expected %zu", st->what, key, n,
			    nb->nc * f->ncat);
			goto fail;
		}
		for (v = 0; v < n; v++)
			if (!(f->count[v] >= 0)) {
				err_set(e, ERR_DATA, "%s: '%s' has a negative "
				    "count", st->what, key);
				goto fail;
			}
	}
	cnb_prepare(nb);
	return 0;
fail:
	cnb_free(m);
	return -1;
}

const struct model_ops model_categorical_nb_ops = {
	.name = "categorical_nb",
	.summary = "categorical naive Bayes (category counts per class)",
	.task = TASK_CLASSIFY,
	.accepts_cat = 1,
	.params = cnb_params,
	.check = NULL,
	.fit = cnb_fit,
	.predict = cnb_predict,
	.predict_proba = cnb_predict_proba,
	.importances = NULL,
	.inertia = NULL,
	.describe = cnb_describe,
	.save = cnb_save,
	.load = cnb_load,
	.free = cnb_free,
};

/*
 * evaluate.c - scoring a pipeline's model on held-out rows, the grid
 * search, the baseline, and the final fit (evaluate.h).
 *
 * Splits.  Every row gets the number of the split that tests it, or -1
 * (a holdout's training rows):
 *	holdout   fraction of the rows (rounded half up; none or all is
 *	          an error) tests; stratified: that fraction of every class
 *	cv        k folds of a shuffled order; stratified: every class is
 *	          shuffled and dealt round the folds, continuing where the
 *	          previous class stopped, so fold sizes differ by one at most
 *	folds=C   the values of column C (integers >= 0; a row without
 *	          one is never tested, always trained on); C is then not
 *	          a feature
 *	folds=F   a one-column CSV with a fold number per data row, in data
 *	          order (the reference's *.folds.csv)
 * The shuffle is rng.h seeded with the evaluate line's seed.  Fold
 * numbers from a column or file are reported as given, in ascending
 * order.
 *
 * For each split the chain is a fresh copy of the pipeline (the same
 * recipe) fitted on the training rows and applied, as at inference, to
 * the test rows.  Class labels are the target's text: the classes of
 * the whole data, in byte order, are the report's; a model trained on
 * a split that lacks a class gives that class probability 0.
 *
 * Mean and std over splits: the std is the population one (ddof 0, as
 * numpy.std), NaN values (n/a) left out.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/evaluate.h"
#include <errno.h>
#include "core/rng.h"
#include "core/xmalloc.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---------------------------------------------------------- splits --- */

struct splits {
	size_t		 n;		/* rows */
	size_t		 k;		/* splits */
	int32_t		*fold;		/* per row: the split testing it, -1 */
	long		*label;		/* per split: the number shown */
};

static void
splits_free(struct splits *s)
{
	free(s->fold);
	free(s->label);
	memset(s, 0, sizeof *s);
}

/* Rows of each class, shuffled; or all rows when cls is NULL. */
static void
shuffled_groups(size_t n, const int32_t *cls, size_t ncls, uint64_t seed,
    size_t **order, size_t **start)
{
	struct rng r;
	size_t *o = xmalloc((n ? n : 1) * sizeof *o);
	size_t *st = xcalloc(ncls + 2, sizeof *st);
	size_t i, c;

	if (cls == NULL)
		ncls = 1;
	for (i = 0; i < n; i++)
		st[(cls ? (size_t)cls[i] : 0) + 1]++;
	for (c = 0; c < ncls; c++)
		st[c + 1] += st[c];
	{
		size_t *fill = xmalloc((ncls + 1) * sizeof *fill);

		memcpy(fill, st, (ncls + 1) * sizeof *fill);
		for (i = 0; i < n; i++)
			o[fill[cls ? (size_t)cls[i] : 0]++] = i;
		free(fill);
	}
	rng_seed(&r, seed);
	for (c = 0; c < ncls; c++)
		rng_shuffle(&r, o + st[c], st[c + 1] - st[c]);
	*order = o;
	*start = st;
}

static int
make_random_splits(const struct eval_def *ev, size_t n, const int32_t *cls,
    size_t ncls, struct splits *s, struct err *e)
{
	size_t *order, *start, c, i, ng = cls ? ncls : 1;

	s->n = n;
	s->fold = xmalloc((n ? n : 1) * sizeof *s->fold);
	shuffled_groups(n, cls, ncls, (uint64_t)ev->seed, &order, &start);
	if (ev->method == EVAL_HOLDOUT) {
		size_t ntest = 0;

		s->k = 1;
		for (i = 0; i < n; i++)
			s->fold[i] = -1;
		for (c = 0; c < ng; c++) {
			size_t m = start[c + 1] - start[c];
			size_t t = (size_t)floor(ev->fraction * (double)m + 0.5);

			for (i = 0; i < t; i++)
				s->fold[order[start[c] + i]] = 0;
			ntest += t;
		}
		if (ntest == 0 || ntest == n) {
			free(order);
			free(start);
			return err_set(e, ERR_DATA, "holdout fraction=%g of %zu "
			    "rows leaves %s", ev->fraction, n, ntest == 0 ?
			    "no test rows" : "no training rows");
		}
	} else {
		size_t next = 0;

		s->k = (size_t)ev->k;
		if (s->k > n) {
			free(order);
			free(start);
			return err_set(e, ERR_DATA, "%zu folds but only %zu "
			    "rows", s->k, n);
		}
		if (cls == NULL) {
			for (i = 0; i < n; i++)
				s->fold[order[i]] = (int32_t)(i * s->k / n);
		} else {
			for (c = 0; c < ng; c++)
				for (i = start[c]; i < start[c + 1]; i++) {
					s->fold[order[i]] = (int32_t)next;
					next = (next + 1) % s->k;
				}
		}
	}
	free(order);
	free(start);
	s->label = xmalloc(s->k * sizeof *s->label);
	for (c = 0; c < s->k; c++)
		s->label[c] = (long)c + 1;
	return 0;
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* Fold numbers from column c (what names it in messages). */
static int
splits_from_column(const struct column *c, size_t n, const char *what,
    struct splits *s, struct err *e)
{
	long *v = xmalloc((n ? n : 1) * sizeof *v), *u;
	size_t i, k = 0, j, nofold = 0;

	if (!coltype_is_number(c->type)) {
		free(v);
		return err_set(e, ERR_DATA, "%s: fold numbers must be whole "
		    "numbers >= 0; the column is %s", what,
		    coltype_name(c->type));
	}
	for (i = 0; i < n; i++) {
		double d = column_value(c, i);

		if (isnan(d)) {
			v[i] = -1;	/* no fold: always a training row */
			nofold++;
			continue;
		}
		if (d < 0 || d != floor(d) || d > 1e9) {
			free(v);
			return err_set(e, ERR_DATA, "%s: row %zu: fold number "
			    "must be a whole number >= 0", what, i + 1);
		}
		v[i] = (long)d;
	}
	u = xmalloc((n ? n : 1) * sizeof *u);
	for (i = 0, j = 0; i < n; i++)
		if (v[i] >= 0)
			u[j++] = v[i];
	qsort(u, j, sizeof *u, cmp_long);
	for (i = 0; i < j; i++)
		if (k == 0 || u[k - 1] != u[i])
			u[k++] = u[i];
	if (k == 0 || (k < 2 && nofold == 0)) {
		free(v);
		free(u);
		return err_set(e, ERR_DATA, "%s: needs at least two different "
		    "fold numbers, or one and rows without a fold (those "
		    "always train)", what);
	}
	s->n = n;
	s->k = k;
	s->fold = xmalloc((n ? n : 1) * sizeof *s->fold);
	for (i = 0; i < n; i++) {
		size_t lo = 0, hi = k;

		if (v[i] < 0) {
			s->fold[i] = -1;
			continue;
		}
		while (lo < hi) {
			j = (lo + hi) / 2;
			if (u[j] < v[i])
				lo = j + 1;
			else
				hi = j;
		}
		s->fold[i] = (int32_t)lo;
	}
	s->label = u;
	free(v);
	return 0;
}

/*
 * A folds file: a header line (anything that is not a number), then one
 * line per data row holding a fold number, or nothing for a row that is
 * never tested.  Read line by line (not as CSV, where an empty line is
 * no row at all); CRLF line ends are fine.
 */
static int
splits_from_file(const char *path, size_t n, struct splits *s,
    struct err *e)
{
	struct column *c;
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0, row = 0, lineno = 0;
	ssize_t len;
	int rc;

	if (f == NULL)
		return err_set(e, ERR_IO, "cannot open '%s': %s", path,
		    strerror(errno));
	c = column_new("fold", COL_INT, n);
	while ((len = getline(&line, &cap, f)) >= 0) {
		char *end;
		double d;

		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0) {
			if (lineno == 1)
				continue;
			d = NAN;
		} else {
			d = strtod(line, &end);
			if (*end != '\0' || d < 0 || d != floor(d)) {
				if (lineno == 1)
					continue;	/* the header */
				rc = err_set(e, ERR_DATA, "%s:%zu: '%s' is not "
				    "a fold number (a whole number >= 0, or "
				    "nothing)", path, lineno, line);
				goto out;
			}
		}
		if (row >= n) {
			rc = err_set(e, ERR_DATA, "%s:%zu: more fold lines than "
			    "the data's %zu rows", path, lineno, n);
			goto out;
		}
		c->num[row++] = d;
	}
	if (ferror(f)) {
		rc = err_set(e, ERR_IO, "cannot read '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	if (row < n) {
		rc = err_set(e, ERR_DATA, "%s: %zu fold lines for the data's "
		    "%zu rows", path, row, n);
		goto out;
	}
	rc = splits_from_column(c, n, path, s, e);
out:
	free(line);
	fclose(f);
	column_free(c);
	return rc;
}

static int
make_splits(struct pipeline *p, struct table *t, const int32_t *cls,
    size_t ncls, struct splits *s, struct err *e)
{
	const struct eval_def *ev = &p->eval;
	struct stat sb;
	char what[1200];
	long j;

	memset(s, 0, sizeof *s);
	if (ev->method == EVAL_HOLDOUT || ev->method == EVAL_CV)
		return make_random_splits(ev, t->nrows, ev->stratified ? cls :
		    NULL, ncls, s, e);
	j = table_find(t, ev->folds);
	if (j >= 0) {
		int rc;

		if (p->target != NULL && strcmp(ev->folds, p->target) == 0)
			return err_set(e, ERR_SPEC, "folds=%s: that is the "
			    "target column", ev->folds);
		snprintf(what, sizeof what, "folds column '%s'", ev->folds);
		rc = splits_from_column(t->cols[j], t->nrows, what, s, e);
		/* the fold column is not a feature */
		table_drop_column(t, (size_t)j);
		return rc;
	}
	if (stat(ev->folds, &sb) != 0)
		return err_set(e, ERR_DATA, "folds=%s: the data has no such "
		    "column and there is no such file", ev->folds);
	return splits_from_file(ev->folds, t->nrows, s, e);
}

/* -------------------------------------------------------- one split --- */

/* The progress of a sub-job mapped into the whole job's. */
struct subprog {
	const struct model_ctx *outer;
	double		 base, width;
	double		 last;		/* progress never goes back */
};

static void
sub_progress(void *arg, double done)
{
	struct subprog *sp = arg;

	if (done < sp->last)
		done = sp->last;
	if (done > 1)
		done = 1;
	sp->last = done;
	model_progress(sp->outer, sp->base + sp->width * done);
}

/* What one split produced. */
struct split_out {
	size_t		 ntrain, ntest;
	size_t		 n;		/* test rows scored */
	int		 rows_kept;	/* no test row dropped by a step */
	int32_t		*y_cls, *pred_cls;
	double		*proba;		/* n x k or NULL */
	double		*y_num, *pred_num;
	int32_t		*cluster;
	double		*dense;		/* silhouette sample, or NULL */
	size_t		 ndense, p;
	int32_t		*dense_cluster;
	double		 inertia;
	/* baseline */
	int32_t		 base_cls;
	double		*base_proba;	/* k */
	double		 base_mean;
	double		 seconds;
	double		 fit_seconds;
};

static void
split_out_free(struct split_out *o)
{
	free(o->y_cls);
	free(o->pred_cls);
	free(o->proba);
	free(o->y_num);
	free(o->pred_num);
	free(o->cluster);
	free(o->dense);
	free(o->dense_cluster);
	free(o->base_proba);
	memset(o, 0, sizeof *o);
}

static long
class_index(char *const *classes, size_t k, const char *s)
{
	size_t lo = 0, hi = k;

	while (lo < hi) {
		size_t m = (lo + hi) / 2;
		int c = strcmp(classes[m], s);

		if (c == 0)
			return (long)m;
		if (c < 0)
			lo = m + 1;
		else
			hi = m;
	}
	return -1;
}

#define SILHOUETTE_ROWS 10000

/*
 * The target of the held-out rows of te: class indices into the
 * report's classes, or the values.  Not target_from_column, which is
 * for training: a test split may well hold a single class or a constant
 * target (r2 is then n/a).
 */
static int
held_out_target(const struct pipeline *q, const struct table *te,
    char *const *classes, size_t k, struct target *y, struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	const struct column *c;
	long tc = table_find(te, q->target);
	size_t r;

	memset(y, 0, sizeof *y);
	if (tc < 0)
		return err_set(e, ERR_DATA, "model '%s': the target column "
		    "'%s' is gone after the steps (a step dropped or renamed "
		    "it)", q->model->ops->name, q->target);
	c = te->cols[tc];
	y->n = te->nrows;
	y->task = q->model->ops->task;
	if (y->task == TASK_REGRESS && !coltype_is_number(c->type))
		return err_set(e, ERR_DATA, "target '%s' is %s after the "
		    "steps: a regression model needs numbers", c->name,
		    coltype_name(c->type));
	if (y->task == TASK_REGRESS)
		y->y = xmalloc((te->nrows ? te->nrows : 1) * sizeof *y->y);
	else
		y->cls = xmalloc((te->nrows ? te->nrows : 1) * sizeof *y->cls);
	for (r = 0; r < te->nrows; r++) {
		long t;

		if (column_is_missing(c, r)) {
			target_release(y);
			strbuf_release(&sb);
			return err_set(e, ERR_DATA, "target '%s' is missing in "
			    "a test row after the steps", c->name);
		}
		if (y->task == TASK_REGRESS) {
			y->y[r] = column_value(c, r);
			continue;
		}
		strbuf_reset(&sb);
		column_format(c, r, &sb);
		t = class_index(classes, k, strbuf_str(&sb));
		if (t < 0) {
			err_set(e, ERR_DATA, "target value '%s' after the "
			    "steps is not a class of the data",
			    strbuf_str(&sb));
			target_release(y);
			strbuf_release(&sb);
			return -1;
		}
		y->cls[r] = (int32_t)t;
	}
	strbuf_release(&sb);
	return 0;
}

/*
 * Score the fitted pipeline q on table te (transformed in place).  For
 * a classifier, classes/k are the report's labels.
 */
static int
score_table(struct pipeline *q, struct table *te, char *const *classes,
    size_t k, uint64_t seed, struct split_out *o, struct err *e)
{
	const struct model *m = q->model;
	enum model_task task = m->ops->task;
	struct fmat X;
	struct target y;
	double *pred;
	size_t r, c;
	int has_target = q->target != NULL && table_find(te, q->target) >= 0;

	memset(&y, 0, sizeof y);
	if (pipeline_model_data(q, te, &X, NULL, e) != 0)
		return -1;
	if (task != TASK_CLUSTER && held_out_target(q, te, classes, k, &y,
	    e) != 0)
		goto fail;
	if (model_check_features(m, &X, e) != 0)
		goto fail;
	o->n = X.n;
	pred = xmalloc((X.n ? X.n : 1) * sizeof *pred);
	if (m->ops->predict(m, &X, pred, e) != 0) {
		free(pred);
		goto fail;
	}
	if (task == TASK_CLASSIFY) {
		long *map = xmalloc(m->nclasses * sizeof *map);

		for (c = 0; c < m->nclasses; c++) {
			map[c] = class_index(classes, k, m->classes[c]);
			if (map[c] < 0) {
				err_set(e, ERR_DATA, "target value '%s' after "
				    "the steps is not a class of the data",
				    m->classes[c]);
				free(map);
				free(pred);
				goto fail;
			}
		}
		o->y_cls = xmalloc((X.n ? X.n : 1) * sizeof *o->y_cls);
		o->pred_cls = xmalloc((X.n ? X.n : 1) * sizeof *o->pred_cls);
		for (r = 0; r < X.n; r++) {
			o->y_cls[r] = y.cls[r];
			o->pred_cls[r] = (int32_t)map[(size_t)pred[r]];
		}
		if (m->ops->predict_proba != NULL) {
			double *pm = xmalloc((X.n * m->nclasses > 0 ? X.n *
			    m->nclasses : 1) * sizeof *pm);

			if (m->ops->predict_proba(m, &X, pm, e) != 0) {
				free(pm);
				free(map);
				free(pred);
				goto fail;
			}
			o->proba = xcalloc(X.n * k > 0 ? X.n * k : 1,
			    sizeof *o->proba);
			for (r = 0; r < X.n; r++)
				for (c = 0; c < m->nclasses; c++)
					o->proba[r * k + (size_t)map[c]] =
					    pm[r * m->nclasses + c];
			free(pm);
		}
		free(map);
	} else if (task == TASK_REGRESS) {
		o->y_num = xmalloc((X.n ? X.n : 1) * sizeof *o->y_num);
		memcpy(o->y_num, y.y, X.n * sizeof *o->y_num);
		o->pred_num = pred;
		pred = NULL;
	} else {
		struct rng rg;
		size_t *rows = NULL, nd = X.n;

		o->cluster = xmalloc((X.n ? X.n : 1) * sizeof *o->cluster);
		for (r = 0; r < X.n; r++)
			o->cluster[r] = (int32_t)pred[r];
		if (has_target) {
			struct target yl;
			long tc = table_find(te, q->target);

			/* the labels, for the adjusted Rand index */
			if (target_from_column(&yl, te->cols[tc], te->nrows,
			    TASK_CLASSIFY, e) == 0) {
				o->y_cls = yl.cls;
				yl.cls = NULL;
				target_release(&yl);
			}
		}
		o->inertia = m->ops->inertia ? m->ops->inertia(m, &X) : NAN;
		/* a fixed sample for the silhouette (O(n^2)) */
		if (nd > SILHOUETTE_ROWS) {
			size_t *all = xmalloc(X.n * sizeof *all);

			for (r = 0; r < X.n; r++)
				all[r] = r;
			rng_seed(&rg, seed);
			rng_shuffle(&rg, all, X.n);
			nd = SILHOUETTE_ROWS;
			rows = all;
		}
		o->dense = fmat_dense(&X, rows, nd);
		o->ndense = nd;
		o->p = X.p;
		o->dense_cluster = xmalloc((nd ? nd : 1) *
		    sizeof *o->dense_cluster);
		for (r = 0; r < nd; r++)
			o->dense_cluster[r] = o->cluster[rows ? rows[r] : r];
		free(rows);
	}
	free(pred);
	fmat_release(&X);
	target_release(&y);
	return 0;
fail:
	fmat_release(&X);
	target_release(&y);
	return -1;
}

/* The baseline from the (transformed) training table. */
static int
baseline_fit(struct pipeline *q, struct table *tr, char *const *classes,
    size_t k, struct split_out *o, struct err *e)
{
	enum model_task task = q->model->ops->task;
	long tc;
	size_t r, c;

	if (task == TASK_CLUSTER)
		return 0;
	tc = table_find(tr, q->target);
	if (tc < 0)
		return err_set(e, ERR_DATA, "the target column '%s' is gone "
		    "after the steps", q->target);
	if (task == TASK_CLASSIFY) {
		struct target y;
		size_t *cnt = xcalloc(k, sizeof *cnt), best = 0;

		if (target_from_column(&y, tr->cols[tc], tr->nrows, task, e)
		    != 0) {
			free(cnt);
			return -1;
		}
		for (r = 0; r < y.n; r++) {
			long t = class_index(classes, k, y.classes[y.cls[r]]);

			if (t >= 0)
				cnt[t]++;
		}
		for (c = 1; c < k; c++)
			if (cnt[c] > cnt[best])
				best = c;
		o->base_cls = (int32_t)best;
		o->base_proba = xmalloc(k * sizeof *o->base_proba);
		for (c = 0; c < k; c++)
			o->base_proba[c] = (double)cnt[c] / (double)y.n;
		free(cnt);
		target_release(&y);
	} else {
		long double s = 0;

		for (r = 0; r < tr->nrows; r++)
			s += column_value(tr->cols[tc], r);
		o->base_mean = tr->nrows ? (double)(s / tr->nrows) : NAN;
	}
	return 0;
}

/* Fit a copy of p on the training rows of split f, score its test rows. */
/*
 * One split made ready for models: a copy of the chain fitted on the
 * split's training rows, both parts transformed, the baseline learned.
 * A grid search fits every combination's model on it, so the steps are
 * fitted once per split, not once per split and combination.
 */
struct prepared {
	struct pipeline	*q;
	struct table	*tr;		/* transformed */
	struct table	*te;		/* transformed once te_done */
	int		 te_done;
	size_t		 ntrain, ntest;
	int		 rows_kept;
	double		 t0, chain_seconds;
	struct split_out base;		/* the baseline only */
};

static void
prepared_free(struct prepared *pr)
{
	pipeline_free(pr->q);
	table_free(pr->tr);
	table_free(pr->te);
	split_out_free(&pr->base);
	memset(pr, 0, sizeof *pr);
}

static int
prepare_split(const struct pipeline *p, const struct table *t,
    const struct splits *s, size_t f, char *const *classes, size_t k,
    struct prepared *pr, struct err *e)
{
	size_t *tri, *tei, ntr = 0, nte = 0, r;
	double t1;

	memset(pr, 0, sizeof *pr);
	pr->t0 = now();
	tri = xmalloc((t->nrows ? t->nrows : 1) * sizeof *tri);
	tei = xmalloc((t->nrows ? t->nrows : 1) * sizeof *tei);
	for (r = 0; r < t->nrows; r++) {
		if (s->fold[r] == (int32_t)f)
			tei[nte++] = r;
		else
			tri[ntr++] = r;
	}
	pr->ntrain = ntr;
	pr->ntest = nte;
	if (ntr == 0 || nte == 0) {
		free(tri);
		free(tei);
		return err_set(e, ERR_DATA, "split %ld has %s", s->label[f],
		    ntr == 0 ? "no training rows" : "no test rows");
	}
	pr->q = pipeline_clone(p, e);
	if (pr->q == NULL) {
		free(tri);
		free(tei);
		goto fail;
	}
	pr->tr = table_take_rows(t, tri, ntr);
	pr->te = table_take_rows(t, tei, nte);
	free(tri);
	free(tei);
	t1 = now();
	if (pipeline_fit(pr->q, pr->tr, e) != 0 || baseline_fit(pr->q, pr->tr,
	    classes, k, &pr->base, e) != 0)
		goto fail;
	pr->chain_seconds = now() - t1;
	return 0;
fail:
	if (e->code != ERR_CANCEL && s->k > 1)
		err_prefix(e, "split %ld", s->label[f]);
	prepared_free(pr);
	return -1;
}

/*
 * Fit the model (with the given parameters) on a prepared split, score
 * its test rows into o.  With last, the training table is freed once
 * the model is fitted, before the test rows are transformed (one split,
 * one model: never both transformed parts in memory at once).
 */
static int
score_prepared(struct prepared *pr, const struct splits *s, size_t f,
    char *const *keys, char *const *vals, size_t nkv, char *const *classes,
    size_t k, uint64_t seed, int last, const struct model_ctx *ctx,
    struct split_out *o, struct err *e)
{
	double t1 = now();

	memset(o, 0, sizeof *o);
	o->ntrain = pr->ntrain;
	o->ntest = pr->ntest;
	o->base_cls = pr->base.base_cls;
	o->base_mean = pr->base.base_mean;
	if (pr->base.base_proba != NULL) {
		o->base_proba = xmalloc(k * sizeof *o->base_proba);
		memcpy(o->base_proba, pr->base.base_proba,
		    k * sizeof *o->base_proba);
	}
	if ((nkv > 0 && pipeline_set_model_params(pr->q, keys, vals, nkv,
	    e) != 0) || pipeline_fit_model(pr->q, pr->tr, ctx, e) != 0)
		goto fail;
	o->fit_seconds = pr->chain_seconds + (now() - t1);
	if (last) {
		table_free(pr->tr);
		pr->tr = NULL;
	}
	if (!pr->te_done) {
		struct apply_ctx ac;
		size_t nte = pr->te->nrows;

		memset(&ac, 0, sizeof ac);
		if (pipeline_apply(pr->q, pr->te, &ac, e) != 0)
			goto fail;
		pr->te_done = 1;
		pr->rows_kept = pr->te->nrows == nte;
	}
	o->rows_kept = pr->rows_kept;
	if (score_table(pr->q, pr->te, classes, k, seed, o, e) != 0)
		goto fail;
	o->seconds = now() - pr->t0;
	return 0;
fail:
	if (e->code != ERR_CANCEL && s->k > 1)
		err_prefix(e, "split %ld", s->label[f]);
	return -1;
}

/* Fit a copy of p on the training rows of split f, score its test rows. */
static int
run_split(const struct pipeline *p, const struct table *t,
    const struct splits *s, size_t f, char *const *classes, size_t k,
    const struct model_ctx *ctx, struct split_out *o, struct err *e)
{
	struct prepared pr;
	int rc;

	memset(o, 0, sizeof *o);
	if (prepare_split(p, t, s, f, classes, k, &pr, e) != 0)
		return -1;
	rc = score_prepared(&pr, s, f, NULL, NULL, 0, classes, k,
	    (uint64_t)p->eval.seed, 1, ctx, o, e);
	prepared_free(&pr);
	return rc;
}

/* ---------------------------------------------------------- metrics --- */

static void
compute_metrics(const struct eval_report *rep, const struct split_out *o,
    double *val, double *base)
{
	struct pred_set ps, bs;
	size_t i, r, k = rep->nclasses;
	int32_t *bpred = NULL;
	double *bproba = NULL, *bnum = NULL;

	memset(&ps, 0, sizeof ps);
	ps.n = o->n;
	ps.k = k;
	ps.pos = rep->pos;
	ps.y_cls = o->y_cls;
	ps.pred_cls = o->pred_cls;
	ps.proba = o->proba;
	ps.y_num = o->y_num;
	ps.pred_num = o->pred_num;
	ps.cluster = o->cluster;
	for (r = 0; o->cluster != NULL && r < o->n; r++)
		if ((size_t)o->cluster[r] + 1 > ps.nclusters)
			ps.nclusters = (size_t)o->cluster[r] + 1;
	ps.inertia = o->inertia;
	ps.labels = o->y_cls;
	bs = ps;
	if (rep->task == TASK_CLASSIFY) {
		bpred = xmalloc((o->n ? o->n : 1) * sizeof *bpred);
		bproba = xmalloc((o->n * k > 0 ? o->n * k : 1) * sizeof *bproba);
		for (r = 0; r < o->n; r++) {
			bpred[r] = o->base_cls;
			memcpy(bproba + r * k, o->base_proba, k *
			    sizeof *bproba);
		}
		bs.pred_cls = bpred;
		bs.proba = bproba;
	} else if (rep->task == TASK_REGRESS) {
		bnum = xmalloc((o->n ? o->n : 1) * sizeof *bnum);
		for (r = 0; r < o->n; r++)
			bnum[r] = o->base_mean;
		bs.pred_num = bnum;
	}
	for (i = 0; i < rep->nmetrics; i++) {
		const struct metric_def *md = rep->metrics[i];

		if (rep->task == TASK_CLUSTER) {
			struct pred_set cs = ps;

			if (strcmp(md->name, "silhouette") == 0) {
				cs.X = o->dense;
				cs.n = o->ndense;
				cs.p = o->p;
				cs.cluster = o->dense_cluster;
			}
			val[i] = md->fn(&cs);
			base[i] = NAN;
			continue;
		}
		val[i] = md->needs_proba && ps.proba == NULL ? NAN :
		    md->fn(&ps);
		base[i] = md->fn(&bs);
	}
	free(bpred);
	free(bproba);
	free(bnum);
}

static void
mean_std(const double *v, size_t n, size_t stride, double *mean,
    double *std)
{
	double s = 0, ss = 0;
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		double x = v[i * stride];

		if (isnan(x))
			continue;
		s += x;
		m++;
	}
	if (m == 0) {
		*mean = *std = NAN;
		return;
	}
	*mean = s / (double)m;
	for (i = 0; i < n; i++) {
		double x = v[i * stride];

		if (!isnan(x))
			ss += (x - *mean) * (x - *mean);
	}
	*std = sqrt(ss / (double)m);
}

/* Mean and std over the splits of metric i from values laid out split by
 * split. */
static void
summarise(struct eval_report *rep)
{
	size_t i, f, nm = rep->nmetrics, nf = rep->nfolds;
	double *v = xmalloc((nf ? nf : 1) * sizeof *v);

	for (i = 0; i < nm; i++) {
		for (f = 0; f < nf; f++)
			v[f] = rep->folds[f].value[i];
		mean_std(v, nf, 1, &rep->mean[i], &rep->std[i]);
		for (f = 0; f < nf; f++)
			v[f] = rep->folds[f].base[i];
		mean_std(v, nf, 1, &rep->base_mean[i], &rep->base_std[i]);
	}
	free(v);
}

/* -------------------------------------------------------- the job --- */

static int
pick_metrics(struct pipeline *p, struct eval_report *rep, struct err *e)
{
	char **names = NULL;
	size_t n, i, j, k = 0;
	int defaults = p->eval.nmetrics == 0;

	if (defaults) {
		char *list = xasprintf("%s%s", metric_defaults(rep->task,
		    rep->nclasses), rep->task == TASK_CLUSTER && p->target ?
		    ",ari" : ""), *tok, *save = NULL;

		n = 0;
		for (tok = strtok_r(list, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			names = xreallocarray(names, n + 1, sizeof *names);
			names[n++] = xstrdup(tok);
		}
		free(list);
	} else {
		n = p->eval.nmetrics;
		names = p->eval.metrics;
	}
	rep->metrics = xmalloc((n ? n : 1) * sizeof *rep->metrics);
	for (i = 0; i < n; i++) {
		const struct metric_def *md = metric_find(names[i], rep->task,
		    e);

		if (md == NULL)
			break;
		/* the defaults leave out what the model cannot give */
		if (defaults && md->needs_proba &&
		    p->model->ops->predict_proba == NULL)
			continue;
		if (defaults && strcmp(md->name, "ari") == 0 &&
		    p->target == NULL)
			continue;
		/* a metric named twice is reported once (runs.c keys the
		 * values by metric and split) */
		for (j = 0; j < k; j++)
			if (rep->metrics[j] == md)
				break;
		if (j < k)
			continue;
		rep->metrics[k++] = md;
	}
	if (defaults)
		strs_free(names, n);
	if (i < n)
		return -1;
	rep->nmetrics = k;
	return 0;
}

static void
describe_method(const struct pipeline *p, const struct splits *s,
    struct eval_report *rep)
{
	const struct eval_def *ev = &p->eval;
	char buf[1400];

	switch (ev->method) {
	case EVAL_HOLDOUT:
		snprintf(buf, sizeof buf, "holdout: %g of the rows held out%s "
		    "(seed %ld)", ev->fraction, ev->stratified &&
		    rep->task == TASK_CLASSIFY ? ", stratified" : "",
		    ev->seed);
		break;
	case EVAL_CV:
		snprintf(buf, sizeof buf, "%ld-fold cross-validation%s "
		    "(seed %ld)", ev->k, ev->stratified &&
		    rep->task == TASK_CLASSIFY ? ", stratified" : "",
		    ev->seed);
		break;
	case EVAL_FOLDS_COLUMN:
	case EVAL_FOLDS_FILE:
		snprintf(buf, sizeof buf, "%zu folds from %s", s->k,
		    ev->folds);
		break;
	default:
		snprintf(buf, sizeof buf, "scored on the data it was fitted "
		    "on");
		break;
	}
	rep->method = xstrdup(buf);
}

/* Record split f's outputs in the report (held-out predictions too). */
static void
keep_split(struct eval_report *rep, const struct splits *s, size_t f,
    struct split_out *o)
{
	size_t r, i = 0, k = rep->nclasses;

	if (rep->task == TASK_CLASSIFY && rep->confusion != NULL) {
		for (r = 0; r < o->n; r++)
			rep->confusion[(size_t)o->y_cls[r] * k +
			    (size_t)o->pred_cls[r]]++;
	}
	if (!o->rows_kept || s == NULL)
		return;
	for (r = 0; r < s->n; r++) {
		if (s->fold[r] != (int32_t)f)
			continue;
		rep->row_fold[r] = (int32_t)f;
		if (rep->task == TASK_CLASSIFY) {
			rep->y_cls[r] = o->y_cls[i];
			rep->pred_cls[r] = o->pred_cls[i];
			if (rep->proba != NULL && o->proba != NULL)
				memcpy(rep->proba + r * k, o->proba + i * k,
				    k * sizeof *rep->proba);
		} else if (rep->task == TASK_REGRESS) {
			rep->y_num[r] = o->y_num[i];
			rep->pred_num[r] = o->pred_num[i];
		}
		i++;
	}
}

static void
report_alloc_rows(struct eval_report *rep, const struct pipeline *p,
    size_t n)
{
	size_t r, k = rep->nclasses;

	rep->n = n;
	rep->row_fold = xmalloc((n ? n : 1) * sizeof *rep->row_fold);
	for (r = 0; r < n; r++)
		rep->row_fold[r] = -1;
	if (rep->task == TASK_CLASSIFY) {
		rep->y_cls = xcalloc(n ? n : 1, sizeof *rep->y_cls);
		rep->pred_cls = xcalloc(n ? n : 1, sizeof *rep->pred_cls);
		if (p->model->ops->predict_proba != NULL)
			rep->proba = xcalloc(n * k > 0 ? n * k : 1,
			    sizeof *rep->proba);
	} else if (rep->task == TASK_REGRESS) {
		rep->y_num = xcalloc(n ? n : 1, sizeof *rep->y_num);
		rep->pred_num = xcalloc(n ? n : 1, sizeof *rep->pred_num);
	}
}

/* All splits for one set of model parameters. */
static void	grid_point(const struct search_def *, size_t, char **);

/* A split's numbers into fr (value and base arrays allocated here). */
static void
record_split(const struct eval_report *rep, const struct split_out *o,
    struct fold_result *fr)
{
	fr->ntrain = o->ntrain;
	fr->ntest = o->ntest;
	fr->seconds = o->seconds;
	fr->fit_seconds = o->fit_seconds;
	fr->value = xmalloc((rep->nmetrics ? rep->nmetrics : 1) *
	    sizeof *fr->value);
	fr->base = xmalloc((rep->nmetrics ? rep->nmetrics : 1) *
	    sizeof *fr->base);
	compute_metrics(rep, o, fr->value, fr->base);
}

/* All splits for the pipeline's own model parameters. */
static int
run_splits(const struct pipeline *p, const struct table *t,
    const struct splits *s, struct eval_report *rep, int keep,
    const struct model_ctx *ctx, size_t unit, size_t units,
    struct fold_result *fr, struct err *e)
{
	size_t f;

	for (f = 0; f < s->k; f++) {
		struct split_out o;
		struct subprog sp = { ctx, (double)(unit + f) / (double)units,
		    1.0 / (double)units };
		struct model_ctx sub = *ctx;

		if (model_cancelled(ctx))
			return err_set(e, ERR_CANCEL, "cancelled");
		sub.progress = sub_progress;
		sub.arg = &sp;
		if (run_split(p, t, s, f, rep->classes, rep->nclasses, &sub,
		    &o, e) != 0) {
			split_out_free(&o);
			return -1;
		}
		record_split(rep, &o, &fr[f]);
		if (keep)
			keep_split(rep, s, f, &o);
		split_out_free(&o);
	}
	return 0;
}

/*
 * The grid: split by split, the chain is fitted once and every
 * combination's model on it; fr[g][f] gets combination g's numbers on
 * split f.  Progress units: f * ng + g.
 */
static int
run_grid(const struct pipeline *p, const struct table *t,
    const struct splits *s, struct eval_report *rep,
    const struct model_ctx *ctx, size_t units, struct fold_result **fr,
    struct err *e)
{
	const struct search_def *sd = &p->search;
	size_t ng = rep->ngrid, f, g;
	char **vals = xmalloc(sd->n * sizeof *vals);
	int rc = -1;

	for (f = 0; f < s->k; f++) {
		struct prepared pr;

		if (model_cancelled(ctx)) {
			err_set(e, ERR_CANCEL, "cancelled");
			goto out;
		}
		if (prepare_split(p, t, s, f, rep->classes, rep->nclasses,
		    &pr, e) != 0)
			goto out;
		for (g = 0; g < ng; g++) {
			struct split_out o;
			struct subprog sp = { ctx, (double)(f * ng + g) /
			    (double)units, 1.0 / (double)units };
			struct model_ctx sub = *ctx;

			if (model_cancelled(ctx)) {
				prepared_free(&pr);
				err_set(e, ERR_CANCEL, "cancelled");
				goto out;
			}
			sub.progress = sub_progress;
			sub.arg = &sp;
			grid_point(sd, g, vals);
			if (score_prepared(&pr, s, f, sd->names, vals, sd->n,
			    rep->classes, rep->nclasses,
			    (uint64_t)p->eval.seed, 0, &sub, &o, e) != 0) {
				split_out_free(&o);
				prepared_free(&pr);
				if (e->code != ERR_CANCEL)
					err_prefix(e, "search %s",
					    rep->grid[g].params);
				goto out;
			}
			record_split(rep, &o, &fr[g][f]);
			split_out_free(&o);
		}
		prepared_free(&pr);
	}
	rc = 0;
out:
	free(vals);
	return rc;
}

static void
fold_results_free(struct fold_result *fr, size_t n)
{
	size_t i;

	for (i = 0; fr != NULL && i < n; i++) {
		free(fr[i].value);
		free(fr[i].base);
	}
	free(fr);
}

/* The grid: every combination of the search values, in order. */
static size_t
grid_size(const struct search_def *sd)
{
	size_t i, n = 1;

	for (i = 0; i < sd->n; i++)
		n *= sd->nvalues[i];
	return n;
}

static void
grid_point(const struct search_def *sd, size_t g, char **vals)
{
	size_t i;

	for (i = sd->n; i-- > 0; ) {
		vals[i] = sd->values[i][g % sd->nvalues[i]];
		g /= sd->nvalues[i];
	}
}

static int
better(const struct metric_def *md, double a, double b)
{
	if (isnan(a))
		return 0;
	if (isnan(b))
		return 1;
	return md->higher_is_better ? a > b : a < b;
}

int
evaluate_run(struct pipeline *p, struct table *t,
    const struct model_ctx *ctx, struct eval_report *rep, struct err *e)
{
	struct model_ctx dflt = { 1, NULL, NULL, NULL };
	struct splits s;
	struct target yall;
	double t0 = now();
	size_t i, ng, units, f;
	int rc = -1;

	memset(rep, 0, sizeof *rep);
	memset(&s, 0, sizeof s);
	memset(&yall, 0, sizeof yall);
	if (ctx == NULL)
		ctx = &dflt;
	rep->rows = t->nrows;
	if (p->model == NULL) {
		if (pipeline_fit(p, t, e) != 0)
			return -1;
		rep->seconds = now() - t0;
		return 0;
	}
	rep->task = p->model->ops->task;
	rep->model = xstrdup(p->model->ops->name);
	if (p->target != NULL && table_find(t, p->target) < 0)
		return err_set(e, ERR_SPEC, "%s: target column '%s' is not in "
		    "the data", p->spec->file ? p->spec->file : "<command>",
		    p->target);
	if (rep->task == TASK_CLASSIFY) {
		if (target_from_column(&yall, t->cols[table_find(t,
		    p->target)], t->nrows, TASK_CLASSIFY, e) != 0)
			goto out;
		rep->nclasses = yall.nclasses;
		rep->classes = xmalloc(yall.nclasses * sizeof *rep->classes);
		for (i = 0; i < yall.nclasses; i++)
			rep->classes[i] = xstrdup(yall.classes[i]);
		rep->pos = 1;
		if (p->positive != NULL) {
			long k = class_index(rep->classes, rep->nclasses,
			    p->positive);

			if (k < 0) {
				err_set(e, ERR_DATA, "positive class '%s' is "
				    "not a value of target '%s'", p->positive,
				    p->target);
				goto out;
			}
			rep->pos = (size_t)k;
		}
		rep->confusion = xcalloc(rep->nclasses * rep->nclasses,
		    sizeof *rep->confusion);
	} else if (rep->task == TASK_REGRESS) {
		struct target yr;

		/* refuse a bad target before any split runs */
		if (target_from_column(&yr, t->cols[table_find(t, p->target)],
		    t->nrows, TASK_REGRESS, e) != 0)
			goto out;
		target_release(&yr);
	}
	if (pick_metrics(p, rep, e) != 0)
		goto out;
	rep->mean = xcalloc(rep->nmetrics + 1, sizeof *rep->mean);
	rep->std = xcalloc(rep->nmetrics + 1, sizeof *rep->std);
	rep->base_mean = xcalloc(rep->nmetrics + 1, sizeof *rep->base_mean);
	rep->base_std = xcalloc(rep->nmetrics + 1, sizeof *rep->base_std);

	if (p->eval.method != EVAL_NONE) {
		if (make_splits(p, t, yall.cls, yall.nclasses, &s, e) != 0)
			goto out;
		describe_method(p, &s, rep);
		rep->nfolds = s.k;
		report_alloc_rows(rep, p, t->nrows);
		ng = p->search.n > 0 ? grid_size(&p->search) : 1;
		/* a grid runs the chosen combination's splits once more */
		units = (p->search.n > 0 ? ng + 1 : 1) * s.k + 1;
		if (p->search.n > 0) {
			char **vals = xmalloc(p->search.n * sizeof *vals);
			const struct metric_def *sm = rep->metrics[0];
			struct fold_result **frs;
			size_t si = 0, g;

			if (p->search.metric != NULL) {
				for (si = 0; si < rep->nmetrics; si++)
					if (strcmp(rep->metrics[si]->name,
					    p->search.metric) == 0)
						break;
				if (si == rep->nmetrics) {
					/* score it even if not reported */
					rep->metrics = xreallocarray(
					    rep->metrics, rep->nmetrics + 1,
					    sizeof *rep->metrics);
					rep->metrics[rep->nmetrics++] =
					    metric_find(p->search.metric,
					    rep->task, e);
				}
				sm = rep->metrics[si];
			}
			rep->search_metric = sm->name;
			rep->ngrid = ng;
			rep->grid = xcalloc(ng, sizeof *rep->grid);
			frs = xcalloc(ng, sizeof *frs);
			for (g = 0; g < ng; g++) {
				struct strbuf sb = STRBUF_INIT;

				frs[g] = xcalloc(s.k, sizeof *frs[g]);
				grid_point(&p->search, g, vals);
				for (i = 0; i < p->search.n; i++) {
					strbuf_addf(&sb, "%s%s=", i ? " " : "",
					    p->search.names[i]);
					spec_quote(&sb, vals[i]);
				}
				rep->grid[g].params = strbuf_detach(&sb);
			}
			if (run_grid(p, t, &s, rep, ctx, units, frs, e) != 0) {
				for (g = 0; g < ng; g++)
					fold_results_free(frs[g], s.k);
				free(frs);
				free(vals);
				goto out;
			}
			for (g = 0; g < ng; g++) {
				rep->grid[g].mean = xcalloc(rep->nmetrics,
				    sizeof *rep->grid[g].mean);
				rep->grid[g].std = xcalloc(rep->nmetrics,
				    sizeof *rep->grid[g].std);
				for (i = 0; i < rep->nmetrics; i++) {
					double *v = xmalloc(s.k * sizeof *v);

					for (f = 0; f < s.k; f++)
						v[f] = frs[g][f].value[i];
					mean_std(v, s.k, 1,
					    &rep->grid[g].mean[i],
					    &rep->grid[g].std[i]);
					free(v);
				}
				if (g == 0 || better(sm, rep->grid[g].mean[si],
				    rep->grid[rep->best].mean[si]))
					rep->best = g;
			}
			for (g = 0; g < ng; g++)
				fold_results_free(frs[g], s.k);
			free(frs);
			/* the best combination's splits again, for the
			 * held-out predictions and the confusion matrix */
			grid_point(&p->search, rep->best, vals);
			if (pipeline_set_model_params(p, p->search.names,
			    vals, p->search.n, e) != 0) {
				free(vals);
				goto out;
			}
			free(vals);
			rep->folds = xcalloc(s.k, sizeof *rep->folds);
			if (run_splits(p, t, &s, rep, 1, ctx, ng * s.k, units,
			    rep->folds, e) != 0)
				goto out;
		} else {
			rep->folds = xcalloc(s.k, sizeof *rep->folds);
			if (run_splits(p, t, &s, rep, 1, ctx, 0, units,
			    rep->folds, e) != 0)
				goto out;
		}
		summarise(rep);
	} else {
		units = 1;
		describe_method(p, &s, rep);
	}

	/* the final fit, on every row */
	if (model_cancelled(ctx)) {
		err_set(e, ERR_CANCEL, "cancelled");
		goto out;
	}
	{
		struct subprog sp = { ctx, (double)(units - 1) /
		    (double)units, 1.0 / (double)units };
		struct model_ctx sub = *ctx;
		double t1 = now();

		sub.progress = sub_progress;
		sub.arg = &sp;
		if (pipeline_fit(p, t, e) != 0 ||
		    pipeline_fit_model(p, t, &sub, e) != 0)
			goto out;
		rep->fit_seconds = now() - t1;
	}
	{
		struct strbuf sb = STRBUF_INIT;
		const struct model *m = p->model;

		m->ops->describe(m, &sb);
		rep->final_describe = strbuf_detach(&sb);
		rep->nfeat = m->nfeat;
		rep->feat = xmalloc((m->nfeat ? m->nfeat : 1) *
		    sizeof *rep->feat);
		for (i = 0; i < m->nfeat; i++)
			rep->feat[i] = xstrdup(m->feat[i]);
		if (m->ops->importances != NULL) {
			rep->importance = xcalloc(m->nfeat ? m->nfeat : 1,
			    sizeof *rep->importance);
			rep->importance_kind = m->ops->importances(m,
			    rep->importance);
		}
	}
	/* clustering with no evaluation: scored on the fitted data */
	if (p->eval.method == EVAL_NONE && rep->task == TASK_CLUSTER) {
		struct split_out o;

		memset(&o, 0, sizeof o);
		if (score_table(p, t, NULL, 0, 0, &o, e) != 0) {
			split_out_free(&o);
			goto out;
		}
		rep->nfolds = 1;
		rep->folds = xcalloc(1, sizeof *rep->folds);
		rep->folds[0].ntrain = rep->folds[0].ntest = o.n;
		rep->folds[0].value = xmalloc((rep->nmetrics ? rep->nmetrics :
		    1) * sizeof *rep->folds[0].value);
		rep->folds[0].base = xmalloc((rep->nmetrics ? rep->nmetrics :
		    1) * sizeof *rep->folds[0].base);
		compute_metrics(rep, &o, rep->folds[0].value,
		    rep->folds[0].base);
		split_out_free(&o);
		summarise(rep);
	}
	model_progress(ctx, 1.0);
	rc = 0;
out:
	rep->seconds = now() - t0;
	splits_free(&s);
	target_release(&yall);
	return rc;
}

void
eval_report_free(struct eval_report *rep)
{
	size_t i;

	free(rep->model);
	free(rep->method);
	strs_free(rep->classes, rep->nclasses);
	free(rep->metrics);
	fold_results_free(rep->folds, rep->nfolds);
	free(rep->mean);
	free(rep->std);
	free(rep->base_mean);
	free(rep->base_std);
	free(rep->confusion);
	free(rep->row_fold);
	free(rep->y_cls);
	free(rep->pred_cls);
	free(rep->proba);
	free(rep->y_num);
	free(rep->pred_num);
	for (i = 0; i < rep->ngrid; i++) {
		free(rep->grid[i].params);
		free(rep->grid[i].mean);
		free(rep->grid[i].std);
	}
	free(rep->grid);
	strs_free(rep->feat, rep->nfeat);
	free(rep->importance);
	free(rep->final_describe);
	memset(rep, 0, sizeof *rep);
}

double
eval_report_metric(const struct eval_report *rep, const char *name)
{
	size_t i;

	for (i = 0; i < rep->nmetrics; i++)
		if (strcmp(rep->metrics[i]->name, name) == 0)
			return rep->mean[i];
	return NAN;
}

/* --------------------------------------------------------- reports --- */

static void
add_num(struct strbuf *sb, double v)
{
	char buf[64];

	if (isnan(v)) {
		strbuf_addstr(sb, "n/a");
		return;
	}
	snprintf(buf, sizeof buf, "%.4f", v);
	strbuf_addstr(sb, buf);
}

static void
pad_to(struct strbuf *sb, size_t start, size_t width)
{
	while (sb->len - start < width)
		strbuf_addch(sb, ' ');
}

static int
cmp_imp(const void *a, const void *b, void *arg)
{
	const double *w = arg;
	double x = fabs(w[*(const size_t *)a]), y = fabs(w[*(const size_t *)b]);

	if (x != y)
		return x < y ? 1 : -1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

void
eval_report_text(const struct eval_report *rep, struct strbuf *sb)
{
	size_t i, f, c, line;
	size_t w = 18;

	if (rep->model == NULL)
		return;
	strbuf_addf(sb, "model %s, %s\n", rep->model, rep->method ?
	    rep->method : "");
	if (rep->nfolds > 0 && rep->nmetrics > 0) {
		line = sb->len;
		strbuf_addstr(sb, "metric");
		pad_to(sb, line, w);
		strbuf_addstr(sb, "    mean     std");
		if (rep->nfolds > 1 && rep->nfolds <= 10)
			for (f = 0; f < rep->nfolds; f++)
				strbuf_addf(sb, "  fold %-2zu", f + 1);
		if (rep->task != TASK_CLUSTER)
			strbuf_addstr(sb, "  baseline");
		strbuf_addch(sb, '\n');
		for (i = 0; i < rep->nmetrics; i++) {
			size_t s;

			line = sb->len;
			strbuf_addstr(sb, rep->metrics[i]->name);
			pad_to(sb, line, w);
			s = sb->len;
			add_num(sb, rep->mean[i]);
			pad_to(sb, s, 8);
			s = sb->len;
			strbuf_addch(sb, ' ');
			add_num(sb, rep->std[i]);
			pad_to(sb, s, 8);
			if (rep->nfolds > 1 && rep->nfolds <= 10)
				for (f = 0; f < rep->nfolds; f++) {
					s = sb->len;
					strbuf_addstr(sb, "  ");
					add_num(sb, rep->folds[f].value[i]);
					pad_to(sb, s, 9);
				}
			if (rep->task != TASK_CLUSTER) {
				strbuf_addstr(sb, "  ");
				add_num(sb, rep->base_mean[i]);
			}
			strbuf_addch(sb, '\n');
		}
		if (rep->task != TASK_CLUSTER)
			strbuf_addf(sb, "baseline: %s\n", rep->task ==
			    TASK_CLASSIFY ? "the most frequent training class" :
			    "the training mean");
	}
	if (rep->confusion != NULL && rep->nfolds > 0 && rep->nclasses <= 20) {
		size_t cw = 6;

		for (c = 0; c < rep->nclasses; c++)
			if (strlen(rep->classes[c]) + 1 > cw)
				cw = strlen(rep->classes[c]) + 1;
		if (cw > 16)
			cw = 16;
		strbuf_addstr(sb, "confusion matrix (rows: true class, "
		    "columns: predicted; all held-out rows)\n");
		line = sb->len;
		pad_to(sb, line, cw);
		for (c = 0; c < rep->nclasses; c++)
			strbuf_addf(sb, " %*.*s", (int)cw, (int)cw,
			    rep->classes[c]);
		strbuf_addch(sb, '\n');
		for (i = 0; i < rep->nclasses; i++) {
			strbuf_addf(sb, "%-*.*s", (int)cw, (int)cw,
			    rep->classes[i]);
			for (c = 0; c < rep->nclasses; c++)
				strbuf_addf(sb, " %*zu", (int)cw,
				    rep->confusion[i * rep->nclasses + c]);
			strbuf_addch(sb, '\n');
		}
	}
	if (rep->ngrid > 0) {
		size_t si = 0, *ord = xmalloc(rep->ngrid * sizeof *ord), g;

		for (si = 0; si < rep->nmetrics; si++)
			if (strcmp(rep->metrics[si]->name,
			    rep->search_metric) == 0)
				break;
		for (g = 0; g < rep->ngrid; g++)
			ord[g] = g;
		/* insertion sort by score: the grid is small */
		for (g = 1; g < rep->ngrid; g++) {
			size_t x = ord[g], j = g;

			while (j > 0 && better(rep->metrics[si],
			    rep->grid[x].mean[si],
			    rep->grid[ord[j - 1]].mean[si])) {
				ord[j] = ord[j - 1];
				j--;
			}
			ord[j] = x;
		}
		strbuf_addf(sb, "grid search: %zu combinations, by %s\n",
		    rep->ngrid, rep->search_metric);
		for (g = 0; g < rep->ngrid; g++) {
			const struct grid_point *gp = &rep->grid[ord[g]];

			strbuf_addf(sb, "%3zu. ", g + 1);
			add_num(sb, gp->mean[si]);
			strbuf_addstr(sb, " +- ");
			add_num(sb, gp->std[si]);
			strbuf_addf(sb, "  %s%s\n", gp->params, ord[g] ==
			    rep->best ? "  (chosen)" : "");
		}
		free(ord);
	}
	if (rep->final_describe != NULL)
		strbuf_addf(sb, "final model, fitted on all %zu rows in %.2f "
		    "s: %s\n", rep->rows, rep->fit_seconds,
		    rep->final_describe);
	if (rep->importance != NULL && rep->nfeat > 0) {
		size_t *ord = xmalloc(rep->nfeat * sizeof *ord);
		size_t n = rep->nfeat < 10 ? rep->nfeat : 10;

		for (i = 0; i < rep->nfeat; i++)
			ord[i] = i;
		qsort_r(ord, rep->nfeat, sizeof *ord, cmp_imp,
		    rep->importance);
		strbuf_addf(sb, "largest %s%s:", rep->importance_kind,
		    n > 1 ? "s" : "");
		for (i = 0; i < n; i++) {
			char buf[64];

			fmt_double(buf, sizeof buf, rep->importance[ord[i]]);
			if (strlen(buf) > 10)
				snprintf(buf, sizeof buf, "%.4g",
				    rep->importance[ord[i]]);
			strbuf_addf(sb, " %s %s%s", rep->feat[ord[i]], buf,
			    i + 1 < n ? "," : "");
		}
		strbuf_addch(sb, '\n');
		free(ord);
	}
}

static void
json_str(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			strbuf_addf(sb, "\\%c", c);
		else if (c < 0x20)
			strbuf_addf(sb, "\\u%04x", c);
		else
			strbuf_addch(sb, (char)c);
	}
	strbuf_addch(sb, '"');
}

static void
json_num(struct strbuf *sb, double v)
{
	char buf[64];

	if (isnan(v) || isinf(v)) {
		strbuf_addstr(sb, "null");
		return;
	}
	fmt_double(buf, sizeof buf, v);
	strbuf_addstr(sb, buf);
}

static void
tsv_num(struct strbuf *sb, const char *metric, const char *split, double v)
{
	char buf[64];

	if (isnan(v))
		snprintf(buf, sizeof buf, "nan");
	else
		fmt_double(buf, sizeof buf, v);
	strbuf_addf(sb, "%s\t%s\t%s\n", metric, split, buf);
}

void
eval_report_tsv(const struct eval_report *rep, struct strbuf *sb)
{
	size_t i, f, r, c, k = rep->nclasses;
	char split[32];

	for (i = 0; i < rep->nmetrics && rep->nfolds > 0; i++) {
		const char *name = rep->metrics[i]->name;

		for (f = 0; f < rep->nfolds; f++) {
			snprintf(split, sizeof split, "%zu", f);
			tsv_num(sb, name, split, rep->folds[f].value[i]);
		}
		tsv_num(sb, name, "mean", rep->mean[i]);
		tsv_num(sb, name, "std", rep->std[i]);
		if (rep->task != TASK_CLUSTER)
			tsv_num(sb, name, "baseline", rep->base_mean[i]);
	}
	if (rep->task != TASK_CLASSIFY || rep->row_fold == NULL)
		return;
	/* per split confusion matrices from the held-out predictions */
	for (f = 0; f < rep->nfolds; f++) {
		size_t *cm = xcalloc(k * k, sizeof *cm);

		for (r = 0; r < rep->n; r++)
			if (rep->row_fold[r] == (int32_t)f)
				cm[(size_t)rep->y_cls[r] * k +
				    (size_t)rep->pred_cls[r]]++;
		strbuf_addf(sb, "confusion\t%zu\t", f);
		for (i = 0; i < k; i++)
			for (c = 0; c < k; c++)
				strbuf_addf(sb, "%zu%s", cm[i * k + c], c + 1 <
				    k ? "," : i + 1 < k ? ";" : "\n");
		free(cm);
	}
}

void
eval_report_json(const struct eval_report *rep, struct strbuf *sb)
{
	size_t i, f, c;

	strbuf_addstr(sb, "{");
	if (rep->model == NULL) {
		strbuf_addstr(sb, "\"model\":null}\n");
		return;
	}
	strbuf_addstr(sb, "\"model\":");
	json_str(sb, rep->model);
	strbuf_addf(sb, ",\"task\":\"%s\",\"evaluation\":", rep->task ==
	    TASK_CLASSIFY ? "classification" : rep->task == TASK_REGRESS ?
	    "regression" : "clustering");
	json_str(sb, rep->method ? rep->method : "");
	strbuf_addf(sb, ",\"rows\":%zu", rep->rows);
	if (rep->task == TASK_CLASSIFY) {
		strbuf_addstr(sb, ",\"classes\":[");
		for (c = 0; c < rep->nclasses; c++) {
			if (c)
				strbuf_addch(sb, ',');
			json_str(sb, rep->classes[c]);
		}
		strbuf_addstr(sb, "],\"positive\":");
		json_str(sb, rep->classes[rep->pos]);
	}
	strbuf_addstr(sb, ",\"folds\":[");
	for (f = 0; f < rep->nfolds; f++)
		strbuf_addf(sb, "%s{\"train\":%zu,\"test\":%zu,\"seconds\":"
		    "%.3f,\"fit_seconds\":%.3f}", f ? "," : "",
		    rep->folds[f].ntrain, rep->folds[f].ntest,
		    rep->folds[f].seconds, rep->folds[f].fit_seconds);
	strbuf_addstr(sb, "],\"metrics\":{");
	for (i = 0; i < rep->nmetrics && rep->nfolds > 0; i++) {
		strbuf_addf(sb, "%s\"%s\":{\"mean\":", i ? "," : "",
		    rep->metrics[i]->name);
		json_num(sb, rep->mean[i]);
		strbuf_addstr(sb, ",\"std\":");
		json_num(sb, rep->std[i]);
		strbuf_addstr(sb, ",\"folds\":[");
		for (f = 0; f < rep->nfolds; f++) {
			if (f)
				strbuf_addch(sb, ',');
			json_num(sb, rep->folds[f].value[i]);
		}
		strbuf_addstr(sb, "],\"baseline\":");
		json_num(sb, rep->base_mean[i]);
		strbuf_addstr(sb, "}");
	}
	strbuf_addstr(sb, "}");
	if (rep->confusion != NULL && rep->nfolds > 0) {
		strbuf_addstr(sb, ",\"confusion_matrix\":[");
		for (i = 0; i < rep->nclasses; i++) {
			strbuf_addstr(sb, i ? ",[" : "[");
			for (c = 0; c < rep->nclasses; c++)
				strbuf_addf(sb, "%s%zu", c ? "," : "",
				    rep->confusion[i * rep->nclasses + c]);
			strbuf_addstr(sb, "]");
		}
		strbuf_addstr(sb, "]");
	}
	if (rep->ngrid > 0) {
		strbuf_addstr(sb, ",\"search\":{\"metric\":");
		json_str(sb, rep->search_metric);
		strbuf_addstr(sb, ",\"best\":");
		json_str(sb, rep->grid[rep->best].params);
		strbuf_addstr(sb, ",\"grid\":[");
		for (f = 0; f < rep->ngrid; f++) {
			strbuf_addstr(sb, f ? ",{\"params\":" : "{\"params\":");
			json_str(sb, rep->grid[f].params);
			strbuf_addstr(sb, ",\"mean\":{");
			for (i = 0; i < rep->nmetrics; i++) {
				strbuf_addf(sb, "%s\"%s\":", i ? "," : "",
				    rep->metrics[i]->name);
				json_num(sb, rep->grid[f].mean[i]);
			}
			strbuf_addstr(sb, "}}");
		}
		strbuf_addstr(sb, "]}");
	}
	if (rep->final_describe != NULL) {
		strbuf_addstr(sb, ",\"final_model\":");
		json_str(sb, rep->final_describe);
		strbuf_addf(sb, ",\"fit_seconds\":%.3f", rep->fit_seconds);
	}
	if (rep->importance != NULL) {
		strbuf_addstr(sb, ",\"importance_kind\":");
		json_str(sb, rep->importance_kind);
		strbuf_addstr(sb, ",\"importances\":{");
		for (i = 0; i < rep->nfeat; i++) {
			if (i)
				strbuf_addch(sb, ',');
			json_str(sb, rep->feat[i]);
			strbuf_addch(sb, ':');
			json_num(sb, rep->importance[i]);
		}
		strbuf_addstr(sb, "}");
	}
	strbuf_addf(sb, ",\"seconds\":%.3f}\n", rep->seconds);
}

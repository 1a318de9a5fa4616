/*
 * model.c - what every model shares: the feature matrix over a table,
 * the target, the registry lookup, and the fitted state's common part
 * (model.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/xmalloc.h"

/* ------------------------------------------------------- features --- */

int
fmat_from_table(struct fmat *X, const struct table *t, const char *exclude,
    struct err *e)
{
	size_t i;

	memset(X, 0, sizeof *X);
	X->n = t->nrows;
	X->cols = xcalloc(t->ncols ? t->ncols : 1, sizeof *X->cols);
	for (i = 0; i < t->ncols; i++) {
		const struct column *c = t->cols[i];
		struct fcol *f = &X->cols[X->p];

		if (exclude != NULL && strcmp(c->name, exclude) == 0)
			continue;
		f->name = c->name;
		if (c->ind != NULL) {
			size_t g;

			f->kind = FC_IND;
			f->idx = c->ind->idx;
			f->code = c->ind_code;
			for (g = 0; g < X->ngroups; g++)
				if (X->groups[g].idx == f->idx)
					break;
			if (g == X->ngroups) {
				X->groups = xreallocarray(X->groups,
				    X->ngroups + 1, sizeof *X->groups);
				X->groups[g].idx = f->idx;
				X->groups[g].ncodes = 0;
				X->groups[g].feat = NULL;
				X->ngroups++;
			}
			f->group = g;
		} else if (coltype_is_numeric_storage(c->type)) {
			f->kind = FC_NUM;
			f->num = c->num;
		} else if (c->type == COL_CAT) {
			f->kind = FC_CAT;
			f->codes = c->codes;
			f->dict = c->dict;
			f->ncats = c->dict->n;
		} else {
			fmat_release(X);
			return err_set(e, ERR_DATA, "column '%s' is free text: "
			    "drop it ('step drop columns=%s') or encode it "
			    "before the model", c->name, c->name);
		}
		X->p++;
	}
	/* code -> feature maps of the indicator groups */
	for (i = 0; i < X->p; i++) {
		struct fcol *f = &X->cols[i];
		struct fgroup *g;

		if (f->kind != FC_IND || f->code < 0)
			continue;
		g = &X->groups[f->group];
		if (f->code >= g->ncodes) {
			int32_t k, nc = f->code + 1;

			g->feat = xreallocarray(g->feat, (size_t)nc,
			    sizeof *g->feat);
			for (k = g->ncodes; k < nc; k++)
				g->feat[k] = -1;
			g->ncodes = nc;
		}
		g->feat[f->code] = (int32_t)i;
	}
	return 0;
}

void
fmat_release(struct fmat *X)
{
	size_t g;

	for (g = 0; g < X->ngroups; g++)
		free(X->groups[g].feat);
	free(X->groups);
	free(X->cols);
	memset(X, 0, sizeof *X);
}

int
fmat_check_numeric(const struct fmat *X, int allow_missing,
    const char *what, struct err *e)
{
	size_t j, r;

	for (j = 0; j < X->p; j++) {
		const struct fcol *f = &X->cols[j];

		if (f->kind == FC_CAT)
			return err_set(e, ERR_DATA, "%s: column '%s' is "
			    "categorical: encode it before the model ('step "
			    "onehot columns=%s', or 'step ordinal')", what,
			    f->name, f->name);
		if (f->kind != FC_NUM || allow_missing)
			continue;
		for (r = 0; r < X->n; r++)
			if (isnan(f->num[r]))
				return err_set(e, ERR_DATA, "%s: column '%s' "
				    "has missing values (row %zu): add 'step "
				    "impute columns=%s' before the model", what,
				    f->name, r + 1, f->name);
	}
	return 0;
}

double *
fmat_dense(const struct fmat *X, const size_t *rows, size_t nrows)
{
	size_t p = X->p, i, j;
	double *out;

	if (rows == NULL)
		nrows = X->n;
	out = xmalloc((nrows * p > 0 ? nrows * p : 1) * sizeof *out);
	for (j = 0; j < p; j++)
		for (i = 0; i < nrows; i++)
			out[i * p + j] = fmat_get(X, rows ? rows[i] : i, j);
	return out;
}

float *
fmat_dense_float(const struct fmat *X, const size_t *rows, size_t nrows)
{
	size_t p = X->p, i, j;
	float *out;

	if (rows == NULL)
		nrows = X->n;
	out = xmalloc((nrows * p > 0 ? nrows * p : 1) * sizeof *out);
	for (j = 0; j < p; j++)
		for (i = 0; i < nrows; i++)
			out[i * p + j] = (float)fmat_get(X, rows ? rows[i] : i,
			    j);
	return out;
}

void
fmat_xw(const struct fmat *X, const double *w, double b, size_t from,
    size_t to, double *out)
{
	size_t n = to - from, r, j, g;

	for (r = 0; r < n; r++)
		out[r] = b;
	for (j = 0; j < X->p; j++) {
		const double *x;
		double wj = w[j];

		if (X->cols[j].kind != FC_NUM || wj == 0)
			continue;
		x = X->cols[j].num + from;
		for (r = 0; r < n; r++)
			out[r] += wj * x[r];
	}
	for (g = 0; g < X->ngroups; g++) {
		const struct fgroup *gr = &X->groups[g];
		const int32_t *idx = gr->idx + from;

		for (r = 0; r < n; r++) {
			int32_t c = idx[r];

			if (c >= 0 && c < gr->ncodes && gr->feat[c] >= 0)
				out[r] += w[gr->feat[c]];
		}
	}
}

void
fmat_xtr(const struct fmat *X, const double *res, size_t from, size_t to,
    double *grad)
{
	size_t n = to - from, r, j, g;

	for (j = 0; j < X->p; j++) {
		const double *x;
		double s = 0;

		if (X->cols[j].kind != FC_NUM)
			continue;
		x = X->cols[j].num + from;
		for (r = 0; r < n; r++)
			s += x[r] * res[r];
		grad[j] += s;
	}
	for (g = 0; g < X->ngroups; g++) {
		const struct fgroup *gr = &X->groups[g];
		const int32_t *idx = gr->idx + from;

		for (r = 0; r < n; r++) {
			int32_t c = idx[r];

			if (c >= 0 && c < gr->ncodes && gr->feat[c] >= 0)
				grad[gr->feat[c]] += res[r];
		}
	}
}

/* numpy's pairwise summation (what np.sum does along a contiguous axis):
 * the same sums, in the same order, as the reference results. */
double
pairwise_sum(const double *a, size_t n)
{
	double r[8], res;
	size_t i, j;

	if (n < 8) {
		res = 0.;
		for (i = 0; i < n; i++)
			res += a[i];
		return res;
	}
	if (n <= 128) {
		for (j = 0; j < 8; j++)
			r[j] = a[j];
		for (i = 8; i < n - (n % 8); i += 8)
			for (j = 0; j < 8; j++)
				r[j] += a[i + j];
		res = ((r[0] + r[1]) + (r[2] + r[3])) +
		    ((r[4] + r[5]) + (r[6] + r[7]));
		for (; i < n; i++)
			res += a[i];
		return res;
	} else {
		size_t n2 = n / 2;

		n2 -= n2 % 8;
		return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
	}
}

/*
 * Mean of x[0..n): a sum, then one correcting pass (the mean of the
 * deviations); exact for a constant column.
 */
double
mean_corrected(const double *x, size_t n)
{
	double s = 0, m, x0 = x[0];
	size_t r;
	int differ = 0;

	for (r = 0; r < n; r++) {
		s += x[r];
		differ |= x[r] != x0;
	}
	if (!differ)
		return x0;
	m = s / (double)n;
	s = 0;
	for (r = 0; r < n; r++)
		s += x[r] - m;
	return m + s / (double)n;
}

double *
target_class_weights(const char *how, const struct target *y)
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

/* --------------------------------------------------------- target --- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
target_from_column(struct target *y, const struct column *c, size_t n,
    enum model_task task, struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	size_t r;

	memset(y, 0, sizeof *y);
	y->n = n;
	y->task = task;
	if (task == TASK_CLUSTER)
		return 0;
	if (n == 0)
		return err_set(e, ERR_DATA, "no rows to train on");
	for (r = 0; r < n; r++)
		if (column_is_missing(c, r))
			return err_set(e, ERR_DATA, "target '%s' is missing in "
			    "row %zu: drop those rows first ('step filter "
			    "expr=\"%s IS NOT NULL\" when=train')", c->name,
			    r + 1, c->name);
	if (task == TASK_REGRESS) {
		double first;

		if (!coltype_is_number(c->type))
			return err_set(e, ERR_DATA, "target '%s' is %s: a "
			    "regression model needs numbers (use a "
			    "classifier for labels)", c->name,
			    coltype_name(c->type));
		y->y = xmalloc(n * sizeof *y->y);
		for (r = 0; r < n; r++)
			y->y[r] = column_value(c, r);
		first = y->y[0];
		for (r = 1; r < n; r++)
			if (y->y[r] != first)
				break;
		if (r == n) {
			target_release(y);
			return err_set(e, ERR_DATA, "target '%s' is constant "
			    "(%g in every row): nothing to learn", c->name,
			    first);
		}
		return 0;
	}
	/* Classification: labels are the cells' text in byte order. */
	{
		struct dict *d = dict_new();
		int32_t *code = xmalloc(n * sizeof *code), *rank;
		char **labels;
		size_t k, nl;

		for (r = 0; r < n; r++) {
			sb.len = 0;
			column_format(c, r, &sb);
			code[r] = dict_intern(d, strbuf_str(&sb), sb.len);
		}
		nl = d->n;
		if (nl < 2 || nl > n) {
			if (nl < 2)
				err_set(e, ERR_DATA, "target '%s' has one "
				    "class ('%s'): nothing to learn", c->name,
				    dict_str(d, 0));
			else
				err_set(e, ERR_DATA, "target '%s' has more "
				    "classes (%zu) than rows (%zu)", c->name,
				    nl, n);
			free(code);
			dict_free(d);
			strbuf_release(&sb);
			return -1;
		}
		labels = xmalloc(nl * sizeof *labels);
		for (k = 0; k < nl; k++)
			labels[k] = xstrdup(dict_str(d, (int32_t)k));
		qsort(labels, nl, sizeof *labels, cmp_str);
		rank = xmalloc(nl * sizeof *rank);
		for (k = 0; k < nl; k++)
			rank[dict_find(d, labels[k], strlen(labels[k]))] =
			    (int32_t)k;
		for (r = 0; r < n; r++)
			code[r] = rank[code[r]];
		free(rank);
		dict_free(d);
		y->cls = code;
		y->classes = labels;
		y->nclasses = nl;
	}
	strbuf_release(&sb);
	return 0;
}

void
target_release(struct target *y)
{
	size_t k;

	free(y->y);
	free(y->cls);
	for (k = 0; k < y->nclasses; k++)
		free(y->classes[k]);
	free(y->classes);
	memset(y, 0, sizeof *y);
}

/* --------------------------------------------------------- models --- */

const struct model_ops *
model_find(const char *name, struct err *e)
{
	const char *names[64];
	const char *sug;
	size_t i, n = 0;

	for (i = 0; model_table[i] != NULL; i++) {
		if (strcmp(model_table[i]->name, name) == 0)
			return model_table[i];
		if (n < 63)
			names[n++] = model_table[i]->name;
	}
	names[n] = NULL;
	sug = suggest(name, names);
	if (sug != NULL)
		err_set(e, ERR_SPEC, "unknown model '%s' (did you mean '%s'?)",
		    name, sug);
	else
		err_set(e, ERR_SPEC, "unknown model '%s' (see 'lathe models')",
		    name);
	return NULL;
}

struct model *
model_new(const struct model_ops *ops)
{
	struct model *m = xcalloc(1, sizeof *m);

	m->ops = ops;
	return m;
}

static void
model_forget(struct model *m)
{
	size_t i;

	if (m->ops->free != NULL && m->state != NULL)
		m->ops->free(m);
	m->state = NULL;
	for (i = 0; i < m->nfeat; i++)
		free(m->feat[i]);
	free(m->feat);
	m->feat = NULL;
	m->nfeat = 0;
	for (i = 0; i < m->nclasses; i++)
		free(m->classes[i]);
	free(m->classes);
	m->classes = NULL;
	m->nclasses = 0;
	m->fitted = 0;
}

void
model_free(struct model *m)
{
	if (m == NULL)
		return;
	model_forget(m);
	params_release(&m->params);
	free(m);
}

int
model_check_features(const struct model *m, const struct fmat *X,
    struct err *e)
{
	size_t j;

	if (X->p != m->nfeat)
		return err_set(e, ERR_DATA, "model '%s' was trained on %zu "
		    "features; the data has %zu", m->ops->name, m->nfeat,
		    X->p);
	for (j = 0; j < X->p; j++)
		if (strcmp(X->cols[j].name, m->feat[j]) != 0)
			return err_set(e, ERR_DATA, "model '%s': feature %zu "
			    "is '%s'; it was '%s' in training", m->ops->name,
			    j + 1, X->cols[j].name, m->feat[j]);
	return 0;
}

int
model_fit(struct model *m, const struct fmat *X, const struct target *y,
    const struct model_ctx *ctx, struct err *e)
{
	size_t j, k;

	model_forget(m);
	if (X->n == 0)
		return err_set(e, ERR_DATA, "model '%s': no rows to train on",
		    m->ops->name);
	if (X->p == 0)
		return err_set(e, ERR_DATA, "model '%s': no features left to "
		    "train on", m->ops->name);
	if (!m->ops->accepts_cat) {
		for (j = 0; j < X->p; j++)
			if (X->cols[j].kind == FC_CAT)
				return err_set(e, ERR_DATA, "model '%s': "
				    "column '%s' is categorical: encode it "
				    "before the model ('step onehot "
				    "columns=%s', or 'step ordinal')",
				    m->ops->name, X->cols[j].name,
				    X->cols[j].name);
	}
	m->nfeat = X->p;
	m->feat = xmalloc(X->p * sizeof *m->feat);
	for (j = 0; j < X->p; j++)
		m->feat[j] = xstrdup(X->cols[j].name);
	if (y != NULL && y->task == TASK_CLASSIFY) {
		m->nclasses = y->nclasses;
		m->classes = xmalloc(y->nclasses * sizeof *m->classes);
		for (k = 0; k < y->nclasses; k++)
			m->classes[k] = xstrdup(y->classes[k]);
	}
	if (m->ops->fit(m, X, y, ctx, e) != 0) {
		model_forget(m);
		return -1;
	}
	m->fitted = 1;
	return 0;
}

void
model_save(const struct model *m, struct strbuf *sb)
{
	state_put_strs(sb, "features", m->nfeat, m->feat);
	if (m->ops->task == TASK_CLASSIFY)
		state_put_strs(sb, "classes", m->nclasses, m->classes);
	if (m->ops->save != NULL)
		m->ops->save(m, sb);
}

int
model_load(struct model *m, const struct state *st, struct err *e)
{
	size_t i, k;

	model_forget(m);
	if (state_get_strs(st, "features", &m->feat, &m->nfeat, e) != 0)
		return -1;
	if (m->ops->task == TASK_CLASSIFY &&
	    state_get_strs(st, "classes", &m->classes, &m->nclasses, e) != 0) {
		model_forget(m);
		return -1;
	}
	if (m->ops->task == TASK_CLASSIFY && m->nclasses < 2) {
		model_forget(m);
		return err_set(e, ERR_DATA, "%s: fewer than two classes",
		    st->what);
	}
	for (i = 0; i < m->nclasses; i++)
		for (k = 0; k < i; k++)
			if (strcmp(m->classes[i], m->classes[k]) == 0) {
				err_set(e, ERR_DATA, "%s: class '%s' is listed "
				    "twice", st->what, m->classes[i]);
				model_forget(m);
				return -1;
			}
	if (m->ops->load != NULL && m->ops->load(m, st, e) != 0) {
		model_forget(m);
		return -1;
	}
	m->fitted = 1;
	return 0;
}

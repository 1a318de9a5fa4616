/*
 * step-pca.c - principal component analysis, as scikit-learn's
 * PCA(svd_solver='full') without whitening: the selected numeric columns
 * are replaced by pc1..pck (float), placed where the first selected
 * column was.
 *
 * Fit, on the n x p training matrix X of the selected columns (missing
 * values are an error: impute first; at least 2 rows):
 *	mean       column means; Xc = X - mean
 *	SVD        Xc = U S Vt (LAPACK dgesdd); components = rows of Vt
 *	signs      svd_flip, U-based: each component is negated when the
 *	           entry of largest magnitude in its column of U (the first
 *	           one on ties) is negative
 *	variances  explained_variance = S^2 / (n - 1), ratio = that over
 *	           the sum of all min(n, p) of them
 *	k          n_components, or with variance=v the number of ratios
 *	           whose running sum is <= v, plus one (scikit-learn's
 *	           searchsorted(cumsum, v, side='right') + 1), at most
 *	           min(n, p)
 * Apply: pc_j = sum_f (x_f - mean_f) component_jf, row by row with a
 * plain loop (not BLAS), so one row at inference gives the same bits as
 * it did inside the training table.  A missing input makes that row's
 * components missing.  The state keeps the means, the components and
 * the explained variances and ratios.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/steps/steputil.h"
#include "core/xmalloc.h"

/*
 * LAPACK's divide-and-conquer SVD (Fortran: arguments by reference; the
 * trailing size_t is the hidden length of the CHARACTER argument, as
 * gfortran passes it).
 */
extern void dgesdd_(const char *jobz, const int *m, const int *n, double *a,
    const int *lda, double *s, double *u, const int *ldu, double *vt,
    const int *ldvt, double *work, const int *lwork, int *iwork, int *info,
    size_t jobz_len);

static const struct param_def pca_params[] = {
	{ "columns", PT_COLS, "@numeric", NULL, 0, 0,
	  "columns to project (selector)" },
	{ "n_components", PT_INT, "", NULL, 1, 1e6,
	  "number of components (default 2)" },
	{ "variance", PT_NUM, "", NULL, 0, 1,
	  "or: fewest components explaining more than this share" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct pca {
	size_t		 p;		/* input columns */
	char		**cols;
	double		*mean;		/* p */
	size_t		 k;		/* components */
	double		*comp;		/* k x p, row-major */
	double		*var;		/* k explained variances */
	double		*ratio;		/* k explained variance ratios */
	char		**names;	/* k output names */
};

static void	 pca_free(struct step *);
static int	 pca_check(struct step *, struct err *);
static int	 pca_svd(double *, size_t, size_t, double *, double *,
		    struct err *);
static char	*pca_name(const struct table *, char *const *, size_t,
		    char *const *, size_t);
static int	 pca_fit(struct step *, const struct table *, struct err *);
static int	 pca_apply(struct step *, struct table *, struct apply_ctx *,
		    struct err *);
static void	 pca_describe(const struct step *, struct strbuf *);
static void	 pca_save(const struct step *, struct strbuf *);
static int	 pca_load(struct step *, const struct state *, struct err *);

static void
pca_free(struct step *s)
{
	struct pca *pc = s->state;

	if (pc == NULL)
		return;
	strs_free(pc->cols, pc->p);
	strs_free(pc->names, pc->k);
	free(pc->mean);
	free(pc->comp);
	free(pc->var);
	free(pc->ratio);
	free(pc);
	s->state = NULL;
}

static int
pca_check(struct step *s, struct err *e)
{
	const struct params *p = &s->params;

	if (params_given(p, "n_components") && params_given(p, "variance"))
		return err_set(e, ERR_SPEC, "step 'pca': give n_components or "
		    "variance, not both");
	if (params_given(p, "variance") && !(params_num(p, "variance") > 0 &&
	    params_num(p, "variance") < 1))
		return err_set(e, ERR_SPEC, "step 'pca': variance must be "
		    "between 0 and 1, both excluded");
	return 0;
}

/*
 * SVD of the centered n x p matrix a (column-major, overwritten):
 * sv[min(n, p)] the singular values, descending; vt[min(n, p) x p]
 * (row-major) the right singular vectors, already sign-flipped by U.
 */
static int
pca_svd(double *a, size_t n, size_t p, double *sv, double *vt,
    struct err *e)
{
	int m = (int)n, nn = (int)p, kmax = (int)(n < p ? n : p);
	int lda = m, ldu, ldvt, lwork = -1, info = 0, *iwork;
	double wq, *work, *u = NULL, *v = NULL, *ua, *va;
	size_t i, j, f, ldua, ldva;

	/*
	 * JOBZ='O' saves the n x p copy of U: for n >= p U overwrites a
	 * and Vt (p x p) goes to v; for n < p Vt (first n rows) overwrites
	 * a and U (n x n) goes to u.
	 */
	if (n >= p) {
		ldu = 1;
		ldvt = nn;
		v = xmalloc(p * p * sizeof *v);
		u = xmalloc(sizeof *u);
	} else {
		ldu = m;
		ldvt = 1;
		u = xmalloc(n * n * sizeof *u);
		v = xmalloc(sizeof *v);
	}
	iwork = xmalloc(8 * (size_t)kmax * sizeof *iwork);
	dgesdd_("O", &m, &nn, a, &lda, sv, u, &ldu, v, &ldvt, &wq, &lwork,
	    iwork, &info, 1);
	if (info == 0) {
		lwork = wq < (double)INT_MAX ? (int)wq : INT_MAX;
		work = xmalloc((size_t)(lwork > 1 ? lwork : 1) * sizeof *work);
		dgesdd_("O", &m, &nn, a, &lda, sv, u, &ldu, v, &ldvt, work,
		    &lwork, iwork, &info, 1);
		free(work);
	}
	free(iwork);
	if (info != 0) {
		free(u);
		free(v);
		return err_set(e, ERR_DATA, "the singular value decomposition "
		    "failed (LAPACK dgesdd info %d)", info);
	}
	/* U(i, j) = ua[j * ldua + i]; Vt(j, f) = va[f * ldva + j] */
	if (n >= p) {
		ua = a;
		ldua = n;
		va = v;
		ldva = p;
	} else {
		ua = u;
		ldua = n;
		va = a;
		ldva = n;
	}
	for (j = 0; j < (size_t)kmax; j++) {
		size_t best = 0;
		double big = -1, sign;

		for (i = 0; i < n; i++)
			if (fabs(ua[j * ldua + i]) > big) {
				big = fabs(ua[j * ldua + i]);
				best = i;
			}
		sign = ua[j * ldua + best] < 0 ? -1 : 1;
		for (f = 0; f < p; f++)
			vt[j * p + f] = sign * va[f * ldva + j];
	}
	free(u);
	free(v);
	return 0;
}

/*
 * Output name j (0-based): "pc<j+1>", or with _2, _3, ... when a column
 * that stays (one not in cols) or an earlier output has it.
 */
static char *
pca_name(const struct table *t, char *const *cols, size_t p,
    char *const *names, size_t j)
{
	char *base = xasprintf("pc%zu", j + 1), *nm = xstrdup(base);
	int k;

	for (k = 2;; k++) {
		long at = table_find(t, nm);
		size_t i;
		int taken = 0;

		if (at >= 0) {
			taken = 1;
			for (i = 0; i < p; i++)
				if (strcmp(cols[i], nm) == 0)
					taken = 0;
		}
		for (i = 0; i < j && !taken; i++)
			if (strcmp(names[i], nm) == 0)
				taken = 1;
		if (!taken)
			break;
		free(nm);
		nm = xasprintf("%s_%d", base, k);
	}
	free(base);
	return nm;
}

static int
pca_fit(struct step *s, const struct table *t, struct err *e)
{
	const struct params *p = &s->params;
	struct pca *pc;
	double *a = NULL, *sv = NULL, *vt = NULL, total = 0;
	char **names;
	size_t np, n = t->nrows, kmax, j, r;
	int rc = -1;

	pca_free(s);
	if (step_columns(s, "columns", t, &names, &np, e) != 0)
		return -1;
	pc = xcalloc(1, sizeof *pc);
	s->state = pc;
	pc->p = np;
	pc->cols = names;
	if (np == 0)
		return err_set(e, ERR_SPEC, "no columns to project (columns="
		    "%s selects none)", params_str(p, "columns"));
	if (n < 2)
		return err_set(e, ERR_DATA, "pca needs at least 2 rows, the "
		    "data has %zu", n);
	if (n > INT_MAX || np > INT_MAX || n > SIZE_MAX / sizeof(double) /
	    np)
		return err_set(e, ERR_DATA, "the data is too large for pca "
		    "(%zu rows, %zu columns)", n, np);
	pc->mean = xcalloc(np, sizeof *pc->mean);
	a = xmalloc(n * np * sizeof *a);
	for (j = 0; j < np; j++) {
		long k = step_number_col(t, names[j], e);
		const struct column *c;
		double sum = 0;

		if (k < 0)
			goto out;
		c = t->cols[k];
		for (r = 0; r < n; r++) {
			if (isnan(c->num[r])) {
				err_set(e, ERR_DATA, "column '%s' has missing "
				    "values (row %zu): impute them before "
				    "pca", c->name, r + 1);
				goto out;
			}
			sum += c->num[r];
		}
		pc->mean[j] = sum / (double)n;
		for (r = 0; r < n; r++)
			a[j * n + r] = c->num[r] - pc->mean[j];
	}
	kmax = n < np ? n : np;
	if (params_given(p, "n_components") &&
	    (size_t)params_int(p, "n_components") > kmax) {
		err_set(e, ERR_SPEC, "n_components=%ld, but %zu rows and %zu "
		    "columns allow at most %zu", params_int(p, "n_components"),
		    n, np, kmax);
		goto out;
	}
	sv = xmalloc(kmax * sizeof *sv);
	vt = xmalloc(kmax * np * sizeof *vt);
	if (pca_svd(a, n, np, sv, vt, e) != 0)
		goto out;
	for (j = 0; j < kmax; j++)
		total += sv[j] * sv[j] / (double)(n - 1);
	if (!(total > 0)) {
		err_set(e, ERR_DATA, "the selected columns have no variance: "
		    "no components to find");
		goto out;
	}
	if (params_given(p, "variance")) {
		double v = params_num(p, "variance"), cum = 0;

		pc->k = 1;
		for (j = 0; j < kmax; j++) {
			cum += sv[j] * sv[j] / (double)(n - 1) / total;
			if (cum <= v)
				pc->k = j + 2;
		}
		if (pc->k > kmax)
			pc->k = kmax;
	} else
		pc->k = params_given(p, "n_components") ?
		    (size_t)params_int(p, "n_components") : 2;
	if (pc->k > kmax) {
		err_set(e, ERR_SPEC, "the default n_components=2, but %zu rows "
		    "and %zu columns allow at most %zu (set n_components)", n,
		    np, kmax);
		pc->k = 0;
		goto out;
	}
	pc->comp = xmalloc(pc->k * np * sizeof *pc->comp);
	memcpy(pc->comp, vt, pc->k * np * sizeof *pc->comp);
	pc->var = xmalloc(pc->k * sizeof *pc->var);
	pc->ratio = xmalloc(pc->k * sizeof *pc->ratio);
	pc->names = xcalloc(pc->k, sizeof *pc->names);
	for (j = 0; j < pc->k; j++) {
		pc->var[j] = sv[j] * sv[j] / (double)(n - 1);
		pc->ratio[j] = pc->var[j] / total;
		pc->names[j] = pca_name(t, names, np, pc->names, j);
	}
	step_set_io(s, names, np, pc->names, pc->k);
	rc = 0;
out:
	free(a);
	free(sv);
	free(vt);
	return rc;
}

static int
pca_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct pca *pc = s->state;
	struct column **in, **out;
	long *idx;
	size_t j, f, r, first = SIZE_MAX;
	int rc = -1;

	(void)ctx;
	in = xcalloc(pc->p ? pc->p : 1, sizeof *in);
	idx = xcalloc(pc->p ? pc->p : 1, sizeof *idx);
	out = xcalloc(pc->k ? pc->k : 1, sizeof *out);
	for (f = 0; f < pc->p; f++) {
		idx[f] = step_numcol(t, pc->cols[f], e);
		if (idx[f] < 0)
			goto out;
		in[f] = t->cols[idx[f]];
		if ((size_t)idx[f] < first)
			first = (size_t)idx[f];
	}
	for (j = 0; j < pc->k; j++) {
		long at = table_find(t, pc->names[j]);

		for (f = 0; f < pc->p && at >= 0; f++)
			if (idx[f] == at)
				at = -1;
		if (at >= 0) {
			err_set(e, ERR_DATA, "column '%s' is already in the "
			    "data", pc->names[j]);
			goto out;
		}
		out[j] = column_new(pc->names[j], COL_FLOAT, t->nrows);
	}
	for (r = 0; r < t->nrows; r++)
		for (j = 0; j < pc->k; j++) {
			const double *w = pc->comp + j * pc->p;
			double sum = 0;

			for (f = 0; f < pc->p; f++)
				sum += (in[f]->num[r] - pc->mean[f]) * w[f];
			out[j]->num[r] = sum;
		}
	/* Drop the inputs (highest index first), then insert the outputs. */
	for (r = t->ncols; r-- > 0;)
		for (f = 0; f < pc->p; f++)
			if ((size_t)idx[f] == r) {
				table_drop_column(t, r);
				break;
			}
	for (j = 0; j < pc->k; j++) {
		table_insert_column(t, first + j, out[j]);
		out[j] = NULL;
	}
	rc = 0;
out:
	for (j = 0; j < pc->k; j++)
		column_free(out[j]);
	free(out);
	free(in);
	free(idx);
	return rc;
}

static void
pca_describe(const struct step *s, struct strbuf *sb)
{
	const struct pca *pc = s->state;
	const struct params *p = &s->params;
	double sum = 0;
	size_t j;

	if (pc == NULL || pc->k == 0) {
		strbuf_addf(sb, "pca on %s to ", params_str(p, "columns"));
		if (params_given(p, "variance"))
			strbuf_addf(sb, "%s of the variance",
			    params_str(p, "variance"));
		else
			strbuf_addf(sb, "%s components",
			    params_given(p, "n_components") ?
			    params_str(p, "n_components") : "2");
		return;
	}
	for (j = 0; j < pc->k; j++)
		sum += pc->ratio[j];
	strbuf_addf(sb, "pca of %zu column%s to %zu component%s (%.1f%% of "
	    "the variance)", pc->p, pc->p == 1 ? "" : "s", pc->k,
	    pc->k == 1 ? "" : "s", 100 * sum);
}

static void
pca_save(const struct step *s, struct strbuf *sb)
{
	const struct pca *pc = s->state;
	size_t j;

	state_put_strs(sb, "columns", pc->p, pc->cols);
	state_put_nums(sb, "mean", pc->p, pc->mean);
	state_put_strs(sb, "names", pc->k, pc->names);
	state_put_nums(sb, "explained_variance", pc->k, pc->var);
	state_put_nums(sb, "explained_variance_ratio", pc->k, pc->ratio);
	for (j = 0; j < pc->k; j++)
		state_put_nums(sb, "component", pc->p, pc->comp + j * pc->p);
}

static int
pca_load(struct step *s, const struct state *st, struct err *e)
{
	struct pca *pc = xcalloc(1, sizeof *pc);
	size_t nm, nv, nr, i, j, f;

	s->state = pc;
	if (state_get_strs(st, "columns", &pc->cols, &pc->p, e) != 0 ||
	    state_get_nums(st, "mean", &pc->mean, &nm, e) != 0 ||
	    state_get_strs(st, "names", &pc->names, &pc->k, e) != 0 ||
	    state_get_nums(st, "explained_variance", &pc->var, &nv, e) != 0 ||
	    state_get_nums(st, "explained_variance_ratio", &pc->ratio, &nr,
	    e) != 0)
		return -1;
	if (nm != pc->p || nv != pc->k || nr != pc->k)
		return err_set(e, ERR_DATA, "%s: %zu columns and %zu means, "
		    "%zu names, %zu variances and %zu ratios", st->what, pc->p,
		    nm, pc->k, nv, nr);
	pc->comp = xcalloc(pc->k * pc->p + 1, sizeof *pc->comp);
	for (i = 0, j = 0; i < st->n; i++) {
		const struct state_line *l = &st->lines[i];

		if (strcmp(l->key, "component") != 0)
			continue;
		if (j >= pc->k || l->nwords != pc->p)
			return err_set(e, ERR_DATA, "%s: a 'component' line "
			    "too many, or of the wrong length", st->what);
		for (f = 0; f < pc->p; f++) {
			char *end;
			double v = strtod(l->words[f], &end);

			if (*end != '\0' || end == l->words[f])
				return err_set(e, ERR_DATA, "%s: 'component' "
				    "has '%s', not a number", st->what,
				    l->words[f]);
			pc->comp[j * pc->p + f] = v;
		}
		j++;
	}
	if (j != pc->k)
		return err_set(e, ERR_DATA, "%s: %zu component lines for %zu "
		    "names", st->what, j, pc->k);
	step_set_io(s, pc->cols, pc->p, pc->names, pc->k);
	return 0;
}

const struct step_ops step_pca_ops = {
	.name = "pca",
	.summary = "principal components of numeric columns (exact SVD)",
	.params = pca_params,
	.check = pca_check,
	.fit = pca_fit,
	.apply = pca_apply,
	.describe = pca_describe,
	.save = pca_save,
	.load = pca_load,
	.free = pca_free,
};

/*
 * step-bin.c - discretize numeric columns into bins, as scikit-learn's
 * KBinsDiscretizer (encode='ordinal'): edges learned per column at fit,
 * then every value replaced by its bin.
 *
 * Edges, from the present training values:
 *	uniform   bins + 1 edges, numpy.linspace(min, max, bins + 1)
 *	quantile  numpy.percentile at linspace(0, 100, bins + 1); an edge
 *	          within 1e-8 of the edge before it (in that list) is
 *	          dropped, so there may be fewer bins
 *	edges     the given edges, as they are
 * A constant column gets one bin.  The bin of x is the number of inner
 * edges (all but the first and last) <= x, numpy.searchsorted(side=
 * 'right'): bins are closed on the left, the last one on both sides, and
 * values beyond the outer edges fall into the first or last bin.
 *
 * labels=ordinal makes the column float, the bin index 0..k-1;
 * labels=interval makes it categorical with labels "[a, b)" (the last
 * "[a, b]"), every label in the dictionary in bin order.  Missing stays
 * missing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/stats.h"
#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def bin_params[] = {
	{ "columns", PT_COLS, "@numeric", NULL, 0, 0,
	  "columns to bin (selector)" },
	{ "method", PT_ENUM, "quantile", "uniform|quantile|edges", 0, 0,
	  "equal widths, equal counts, or the given edges" },
	{ "bins", PT_INT, "5", NULL, 2, 1000,
	  "number of bins (uniform, quantile)" },
	{ "edges", PT_NUMS, "", NULL, 0, 0,
	  "bin edges, strictly increasing (method=edges)" },
	{ "labels", PT_ENUM, "ordinal", "ordinal|interval", 0, 0,
	  "bin index (float) or interval label (categorical)" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct bin {
	size_t		 n;
	char		**cols;
	int		 interval;	/* labels=interval */
	double		**edges;	/* per column, nedges[i] of them */
	size_t		*nedges;
};

static void	 bin_free(struct step *);
static struct bin *bin_alloc(size_t);
static int	 bin_check(struct step *, struct err *);
static size_t	 bin_index(const double *, size_t, double);
static char	*bin_label(const double *, size_t, size_t);
static int	 bin_fit(struct step *, const struct table *, struct err *);
static int	 bin_apply(struct step *, struct table *, struct apply_ctx *,
		    struct err *);
static void	 bin_describe(const struct step *, struct strbuf *);
static void	 bin_save(const struct step *, struct strbuf *);
static int	 bin_load(struct step *, const struct state *, struct err *);

static void
bin_free(struct step *s)
{
	struct bin *b = s->state;
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n; i++)
		free(b->edges[i]);
	strs_free(b->cols, b->n);
	free(b->edges);
	free(b->nedges);
	free(b);
	s->state = NULL;
}

static struct bin *
bin_alloc(size_t n)
{
	struct bin *b = xcalloc(1, sizeof *b);

	b->n = n;
	b->edges = xcalloc(n ? n : 1, sizeof *b->edges);
	b->nedges = xcalloc(n ? n : 1, sizeof *b->nedges);
	return b;
}

static int
bin_check(struct step *s, struct err *e)
{
	const struct params *p = &s->params;
	int edges = strcmp(params_str(p, "method"), "edges") == 0;
	double *v;
	size_t n, i;

	if (!edges && params_given(p, "edges"))
		return err_set(e, ERR_SPEC, "step 'bin': edges= needs "
		    "method=edges");
	if (!edges)
		return 0;
	if (params_given(p, "bins"))
		return err_set(e, ERR_SPEC, "step 'bin': bins does not apply "
		    "to method=edges (the edges give the bins)");
	if (!params_given(p, "edges"))
		return err_set(e, ERR_SPEC, "step 'bin': method=edges needs "
		    "edges=a,b,...");
	n = params_nums(p, "edges", &v);
	if (n < 2) {
		free(v);
		return err_set(e, ERR_SPEC, "step 'bin': edges needs at least "
		    "2 numbers");
	}
	for (i = 1; i < n; i++)
		if (!(v[i] > v[i - 1])) {
			err_set(e, ERR_SPEC, "step 'bin': edges must be "
			    "strictly increasing (%g after %g)", v[i],
			    v[i - 1]);
			free(v);
			return -1;
		}
	free(v);
	return 0;
}

/* numpy.searchsorted(edges[1:-1], x, side='right'). */
static size_t
bin_index(const double *edges, size_t nedges, double x)
{
	size_t lo = 1, hi = nedges - 1;	/* inner edges [1, nedges - 1) */

	if (nedges < 3)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (edges[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

/* "[a, b)" for bin i; the last bin is closed.  Owned by the caller. */
static char *
bin_label(const double *edges, size_t nedges, size_t i)
{
	char a[40], b[40];

	fmt_double(a, sizeof a, edges[i]);
	fmt_double(b, sizeof b, edges[i + 1]);
	return xasprintf("[%s, %s%c", a, b, i + 2 == nedges ? ']' : ')');
}

static int
bin_fit(struct step *s, const struct table *t, struct err *e)
{
	const struct params *p = &s->params;
	const char *method = params_str(p, "method");
	long bins = params_int(p, "bins");
	struct bin *b;
	double *v, *tmp, *q, *given = NULL;
	size_t ngiven = 0;
	char **names;
	size_t n, i, r;
	int rc = -1;

	bin_free(s);
	if (step_columns(s, "columns", t, &names, &n, e) != 0)
		return -1;
	b = bin_alloc(n);
	s->state = b;
	b->cols = names;
	b->interval = strcmp(params_str(p, "labels"), "interval") == 0;
	if (strcmp(method, "edges") == 0)
		ngiven = params_nums(p, "edges", &given);
	v = xmalloc((t->nrows ? t->nrows : 1) * sizeof *v);
	tmp = xmalloc((t->nrows ? t->nrows : 1) * sizeof *tmp);
	q = xmalloc(((size_t)bins + 1) * sizeof *q);
	for (i = 0; i < n; i++) {
		long k = step_number_col(t, names[i], e);
		const struct column *c;
		double *ed;
		size_t m = 0, j, ne;

		if (k < 0)
			goto out;
		c = t->cols[k];
		if (given != NULL) {
			b->edges[i] = xmalloc(ngiven * sizeof *ed);
			memcpy(b->edges[i], given, ngiven * sizeof *ed);
			b->nedges[i] = ngiven;
			continue;
		}
		for (r = 0; r < t->nrows; r++)
			if (!isnan(c->num[r]))
				v[m++] = c->num[r];
		if (m == 0) {
			err_set(e, ERR_DATA, "column '%s' has no values to "
			    "learn bin edges from", c->name);
			goto out;
		}
		stats_sort(v, tmp, m);
		ed = xmalloc(((size_t)bins + 1) * sizeof *ed);
		b->edges[i] = ed;
		if (v[0] == v[m - 1]) {
			/* constant: one bin (scikit-learn: 0 everywhere) */
			ed[0] = ed[1] = v[0];
			b->nedges[i] = 2;
			continue;
		}
		if (strcmp(method, "uniform") == 0) {
			double step = (v[m - 1] - v[0]) / (double)bins;

			for (j = 0; j < (size_t)bins; j++)
				ed[j] = (double)j * step + v[0];
			ed[bins] = v[m - 1];
			b->nedges[i] = (size_t)bins + 1;
			continue;
		}
		/* quantile: percentiles at linspace(0, 100, bins + 1) */
		for (j = 0; j <= (size_t)bins; j++) {
			double pct = j == (size_t)bins ? 100 :
			    (double)j * (100.0 / (double)bins);

			q[j] = stats_quantile(v, m, pct / 100);
		}
		ed[0] = q[0];
		for (j = 1, ne = 1; j <= (size_t)bins; j++)
			if (q[j] - q[j - 1] > 1e-8)
				ed[ne++] = q[j];
		if (ne == 1)
			ed[ne++] = v[m - 1];
		b->nedges[i] = ne;
	}
	step_set_io(s, names, n, names, n);
	rc = 0;
out:
	free(given);
	free(v);
	free(tmp);
	free(q);
	return rc;
}

static int
bin_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct bin *b = s->state;
	size_t i, r, j;

	(void)ctx;
	for (i = 0; i < b->n; i++) {
		long k = step_numcol(t, b->cols[i], e);
		const double *ed = b->edges[i];
		size_t ne = b->nedges[i];
		struct column *c, *out;

		if (k < 0)
			return -1;
		c = t->cols[k];
		if (!b->interval) {
			for (r = 0; r < t->nrows; r++)
				if (!isnan(c->num[r]))
					c->num[r] = (double)bin_index(ed, ne,
					    c->num[r]);
			c->type = COL_FLOAT;
			continue;
		}
		out = column_new(c->name, COL_CAT, t->nrows);
		for (j = 0; j + 1 < ne; j++) {
			char *l = bin_label(ed, ne, j);

			dict_intern(out->dict, l, strlen(l));
			free(l);
		}
		for (r = 0; r < t->nrows; r++)
			if (!isnan(c->num[r]))
				out->codes[r] = (int32_t)bin_index(ed, ne,
				    c->num[r]);
		table_replace_column(t, (size_t)k, out);
	}
	return 0;
}

static void
bin_describe(const struct step *s, struct strbuf *sb)
{
	const struct params *p = &s->params;
	const struct bin *b = s->state;
	const char *method = params_str(p, "method");

	if (strcmp(method, "edges") == 0)
		strbuf_addf(sb, "bin at edges %s", params_str(p, "edges"));
	else
		strbuf_addf(sb, "bin %s into %s bins", method,
		    params_str(p, "bins"));
	if (b != NULL)
		strbuf_addf(sb, " on %zu column%s", b->n, b->n == 1 ? "" :
		    "s");
	else
		strbuf_addf(sb, " on %s", params_str(p, "columns"));
	if (strcmp(params_str(p, "labels"), "interval") == 0)
		strbuf_addstr(sb, ", interval labels");
}

static void
bin_save(const struct step *s, struct strbuf *sb)
{
	const struct bin *b = s->state;
	size_t i;

	state_put_int(sb, "interval", b->interval);
	state_put_strs(sb, "columns", b->n, b->cols);
	for (i = 0; i < b->n; i++)
		state_put_nums(sb, "edges", b->nedges[i], b->edges[i]);
}

static int
bin_load(struct step *s, const struct state *st, struct err *e)
{
	struct bin *b;
	char **cols;
	long long interval;
	size_t n, i, k, j;

	if (state_get_strs(st, "columns", &cols, &n, e) != 0)
		return -1;
	b = bin_alloc(n);
	s->state = b;
	b->cols = cols;
	if (state_get_int(st, "interval", &interval, e) != 0)
		return -1;
	b->interval = interval != 0;
	/* one edges line per column, in column order */
	for (k = 0, i = 0; k < st->n && i < n; k++) {
		const struct state_line *l = &st->lines[k];

		if (strcmp(l->key, "edges") != 0)
			continue;
		if (l->nwords < 2)
			return err_set(e, ERR_DATA, "%s: an 'edges' line with "
			    "fewer than 2 edges", st->what);
		b->edges[i] = xmalloc(l->nwords * sizeof **b->edges);
		b->nedges[i] = l->nwords;
		for (j = 0; j < l->nwords; j++) {
			char *end;

			b->edges[i][j] = strtod(l->words[j], &end);
			if (*end != '\0' || end == l->words[j] ||
			    isnan(b->edges[i][j]))
				return err_set(e, ERR_DATA, "%s: 'edges' has "
				    "'%s', not a number", st->what,
				    l->words[j]);
			if (j > 0 && b->edges[i][j] < b->edges[i][j - 1])
				return err_set(e, ERR_DATA, "%s: 'edges' not "
				    "in order", st->what);
		}
		i++;
	}
	if (i != n)
		return err_set(e, ERR_DATA, "%s: %zu edges lines for %zu "
		    "columns", st->what, i, n);
	step_set_io(s, b->cols, n, b->cols, n);
	return 0;
}

const struct step_ops step_bin_ops = {
	.name = "bin",
	.summary = "discretize numeric columns (uniform, quantile or given "
	    "edges)",
	.params = bin_params,
	.check = bin_check,
	.fit = bin_fit,
	.apply = bin_apply,
	.describe = bin_describe,
	.save = bin_save,
	.load = bin_load,
	.free = bin_free,
};

/*
 * step-onehot.c - replace each selected column by one indicator column
 * per category seen in training, as scikit-learn's OneHotEncoder does.
 *
 * The indicators are float columns holding 0 or 1, named COL=VALUE, and
 * take the place of COL in the table.  Categories come in sorted order:
 * strings in byte order; numbers (explicitly selected integer, float,
 * boolean, date or datetime columns) in numeric order.  A number's
 * category is its text: shortest round-trip decimal (-0 is 0), booleans
 * true/false, dates ISO 8601.  A missing value sets no indicator.
 *
 * Infrequent categories: with min_frequency=M, categories seen fewer
 * than M times in training are folded into COL=__other__; with
 * max_categories=K, only the K most frequent are kept (ties to the
 * earlier in category order) and the rest are folded.  The other column
 * exists only when something was folded, or when unknown=other.
 *
 * A value not seen in training (unknown=): ignore sets no indicator
 * (the default, scikit-learn's handle_unknown='ignore'); other sets
 * COL=__other__; error stops with "row R: column 'c' has 'v', not seen in
 * training" (rows 1-based).  The target, when named, may be absent from
 * new data: it is skipped.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/steps/steputil.h"
#include "core/xmalloc.h"

#define ONEHOT_OTHER "__other__"

enum { UNK_IGNORE, UNK_ERROR, UNK_OTHER };

static const struct param_def onehot_params[] = {
	{ "columns", PT_COLS, "@categorical", NULL, 0, 0,
	  "columns to encode (selector)" },
	{ "unknown", PT_ENUM, "ignore", "error|ignore|other", 0, 0,
	  "a category not seen in training: error, all zeros, or other" },
	{ "min_frequency", PT_INT, "0", NULL, 0, 1e15,
	  "categories seen fewer times go to COL=__other__ (0: none)" },
	{ "max_categories", PT_INT, "0", NULL, 0, 1e9,
	  "keep the most frequent categories only (0: no limit)" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

/* One encoded column. */
struct ohcol {
	char		*name;
	size_t		 ncats;
	char		**cats;		/* kept, in output order */
	size_t		 nfolded;
	char		**folded;	/* infrequent: to other */
	int		 other;		/* has a COL=__other__ column */
	struct dict	*lookup;	/* cats then folded: code = index */
};

struct onehot {
	int		 unknown;
	size_t		 n;
	struct ohcol	*cols;
};

/* A category while fitting. */
struct ohcat {
	const char	*s;
	double		 v;		/* numeric columns: the value */
	size_t		 count;
};

static void	 ohcol_release(struct ohcol *);
static void	 ohcol_index(struct ohcol *);
static int	 cat_order(const void *, const void *);
static int	 cat_by_count(const void *, const void *);
static void	 onehot_learn(struct ohcol *, const struct column *, size_t,
		    long, long, int);
static char	*indicator_name(const char *, const char *);
static int	 onehot_names_ok(const struct onehot *, const struct table *,
		    struct err *);
static int	 onehot_one(const struct ohcol *, int, struct table *,
		    struct err *);
static int	 onehot_unknown(const char *);
static void	 onehot_io(struct step *);

static void
ohcol_release(struct ohcol *oc)
{
	free(oc->name);
	strs_free(oc->cats, oc->ncats);
	strs_free(oc->folded, oc->nfolded);
	dict_free(oc->lookup);
	memset(oc, 0, sizeof *oc);
}

static void
onehot_free(struct step *s)
{
	struct onehot *oh = s->state;
	size_t i;

	if (oh == NULL)
		return;
	for (i = 0; i < oh->n; i++)
		ohcol_release(&oh->cols[i]);
	free(oh->cols);
	free(oh);
	s->state = NULL;
}

static int
onehot_unknown(const char *s)
{
	if (strcmp(s, "error") == 0)
		return UNK_ERROR;
	if (strcmp(s, "other") == 0)
		return UNK_OTHER;
	return UNK_IGNORE;
}

static const char *const unknown_names[] = { "ignore", "error", "other" };

/* Build the lookup dictionary from cats and folded. */
static void
ohcol_index(struct ohcol *oc)
{
	size_t i;

	dict_free(oc->lookup);
	oc->lookup = dict_new();
	for (i = 0; i < oc->ncats; i++)
		dict_intern(oc->lookup, oc->cats[i], strlen(oc->cats[i]));
	for (i = 0; i < oc->nfolded; i++)
		dict_intern(oc->lookup, oc->folded[i], strlen(oc->folded[i]));
}


static int
cat_order(const void *a, const void *b)
{
	const struct ohcat *x = a, *y = b;

	if (x->v < y->v)
		return -1;
	if (x->v > y->v)
		return 1;
	return strcmp(x->s, y->s);
}

static int
cat_by_count(const void *a, const void *b)
{
	const struct ohcat *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return cat_order(a, b);
}

/*
 * Learn oc's categories from column c: counts, order, folding.  For
 * string columns every v is 0, so cat_order falls to byte order.
 */
static void
onehot_learn(struct ohcol *oc, const struct column *c, size_t nrows,
    long min_freq, long max_cats, int unknown)
{
	struct dict *d = dict_new();
	struct strbuf sb = STRBUF_INIT;
	struct ohcat *cats = NULL;
	size_t *count = NULL, ncap = 0, n = 0, i, r, nkeep;
	int numeric = coltype_is_numeric_storage(c->type);
	double *val = NULL;

	for (r = 0; r < nrows; r++) {
		int32_t code;

		strbuf_reset(&sb);
		if (!step_cell_text(c, r, &sb))
			continue;
		code = dict_intern(d, strbuf_str(&sb), sb.len);
		if ((size_t)code == n) {
			if (n == ncap) {
				ncap = ncap ? 2 * ncap : 16;
				count = xreallocarray(count, ncap,
				    sizeof *count);
				val = xreallocarray(val, ncap, sizeof *val);
			}
			count[n] = 0;
			val[n] = numeric ? c->num[r] : 0;
			n++;
		}
		count[code]++;
	}
	strbuf_release(&sb);
	cats = xmalloc((n ? n : 1) * sizeof *cats);
	for (i = 0; i < n; i++) {
		cats[i].s = dict_str(d, (int32_t)i);
		cats[i].v = val[i];
		cats[i].count = count[i];
	}
	free(count);
	free(val);
	/* Frequent ones first (in category order), then the folded. */
	qsort(cats, n, sizeof *cats, cat_order);
	nkeep = n;
	if (min_freq > 0) {
		size_t k = 0;
		struct ohcat *tmp = xmalloc((n ? n : 1) * sizeof *tmp);

		for (i = 0; i < n; i++)
			if (cats[i].count >= (size_t)min_freq)
				tmp[k++] = cats[i];
		nkeep = k;
		for (i = 0; i < n; i++)
			if (cats[i].count < (size_t)min_freq)
				tmp[k++] = cats[i];
		memcpy(cats, tmp, n * sizeof *cats);
		free(tmp);
	}
	if (max_cats > 0 && nkeep > (size_t)max_cats) {
		/* The most frequent keep; both parts back in order. */
		qsort(cats, nkeep, sizeof *cats, cat_by_count);
		qsort(cats, (size_t)max_cats, sizeof *cats, cat_order);
		qsort(cats + max_cats, n - (size_t)max_cats, sizeof *cats,
		    cat_order);
		nkeep = (size_t)max_cats;
	}
	oc->ncats = nkeep;
	oc->cats = xmalloc((nkeep ? nkeep : 1) * sizeof *oc->cats);
	for (i = 0; i < nkeep; i++)
		oc->cats[i] = xstrdup(cats[i].s);
	oc->nfolded = n - nkeep;
	oc->folded = xmalloc((n - nkeep ? n - nkeep : 1) *
	    sizeof *oc->folded);
	for (i = nkeep; i < n; i++)
		oc->folded[i - nkeep] = xstrdup(cats[i].s);
	oc->other = oc->nfolded > 0 || unknown == UNK_OTHER;
	free(cats);
	dict_free(d);
	ohcol_index(oc);
}

static char *
indicator_name(const char *col, const char *cat)
{
	return xasprintf("%s=%s", col, cat);
}

/* The names after encoding must be distinct. */
static int
onehot_names_ok(const struct onehot *oh, const struct table *t,
    struct err *e)
{
	struct dict *seen = dict_new();
	size_t i, j, k, before;
	int rc = 0;

	for (i = 0; i < t->ncols && rc == 0; i++) {
		const char *nm = t->cols[i]->name;
		const struct ohcol *oc = NULL;

		for (j = 0; j < oh->n; j++)
			if (strcmp(oh->cols[j].name, nm) == 0)
				oc = &oh->cols[j];
		for (k = 0; rc == 0; k++) {
			char *out;

			if (oc == NULL && k > 0)
				break;
			if (oc != NULL && k == oc->ncats + (oc->other ? 1 : 0))
				break;
			out = oc == NULL ? xstrdup(nm) : indicator_name(nm,
			    k < oc->ncats ? oc->cats[k] : ONEHOT_OTHER);
			before = seen->n;
			dict_intern(seen, out, strlen(out));
			if (seen->n == before)
				rc = err_set(e, ERR_SPEC, "step 'onehot': the "
				    "column name '%s' would be used twice",
				    out);
			free(out);
		}
	}
	dict_free(seen);
	return rc;
}

/* Reads: the encoded columns; writes: the indicators. */
static void
onehot_io(struct step *s)
{
	const struct onehot *oh = s->state;
	char **reads = xmalloc((oh->n ? oh->n : 1) * sizeof *reads);
	char **writes = NULL;
	size_t nw = 0, i, k;

	for (i = 0; i < oh->n; i++) {
		const struct ohcol *oc = &oh->cols[i];

		reads[i] = oc->name;
		writes = xreallocarray(writes, nw + oc->ncats + 1,
		    sizeof *writes);
		for (k = 0; k < oc->ncats; k++)
			writes[nw++] = indicator_name(oc->name, oc->cats[k]);
		if (oc->other)
			writes[nw++] = indicator_name(oc->name, ONEHOT_OTHER);
	}
	step_set_io(s, reads, oh->n, writes, nw);
	free(reads);
	strs_free(writes, nw);
}

static int
onehot_fit(struct step *s, const struct table *t, struct err *e)
{
	struct onehot *oh;
	char **names;
	size_t n, i;

	onehot_free(s);
	if (step_columns(s, "columns", t, &names, &n, e) != 0)
		return -1;
	oh = xcalloc(1, sizeof *oh);
	s->state = oh;
	oh->unknown = onehot_unknown(params_str(&s->params, "unknown"));
	oh->n = n;
	oh->cols = xcalloc(n ? n : 1, sizeof *oh->cols);
	for (i = 0; i < n; i++) {
		oh->cols[i].name = xstrdup(names[i]);
		onehot_learn(&oh->cols[i], t->cols[table_find(t, names[i])],
		    t->nrows, params_int(&s->params, "min_frequency"),
		    params_int(&s->params, "max_categories"), oh->unknown);
	}
	strs_free(names, n);
	if (onehot_names_ok(oh, t, e) != 0)
		return -1;
	onehot_io(s);
	return 0;
}

/* Encode one column of t in place. */
static int
onehot_one(const struct ohcol *oc, int unknown, struct table *t,
    struct err *e)
{
	struct column *c, **out;
	struct strbuf sb = STRBUF_INIT;
	struct indsrc *src;
	int32_t *map = NULL, *idx = NULL;
	char **names;
	size_t nnames = 0;
	size_t m = oc->ncats + (oc->other ? 1 : 0), i, r;
	long k = step_col(t, oc->name, e);
	int rc = -1;

	if (k < 0)
		return -1;
	c = t->cols[k];
	out = xmalloc((m ? m : 1) * sizeof *out);
	names = xcalloc(m ? m : 1, sizeof *names);
	for (i = 0; i < m; i++, nnames++) {
		char *nm = indicator_name(oc->name, i < oc->ncats ?
		    oc->cats[i] : ONEHOT_OTHER);

		if (table_find(t, nm) >= 0) {
			err_set(e, ERR_DATA, "column '%s' is already in the "
			    "data", nm);
			free(nm);
			goto out;
		}
		names[i] = nm;
	}
	/* Which indicator is 1 on each row: one array for all of them. */
	idx = xmalloc((t->nrows ? t->nrows : 1) * sizeof *idx);
	for (r = 0; r < t->nrows; r++)
		idx[r] = -1;
	if (c->type == COL_CAT) {
		/* Look each dictionary entry up once. */
		map = xmalloc((c->dict->n ? c->dict->n : 1) * sizeof *map);
		for (i = 0; i < c->dict->n; i++)
			map[i] = dict_find(oc->lookup, dict_str(c->dict,
			    (int32_t)i), dict_len(c->dict, (int32_t)i));
	}
	for (r = 0; r < t->nrows; r++) {
		int32_t code;

		if (c->type == COL_CAT) {
			if (c->codes[r] < 0)
				continue;
			code = map[c->codes[r]];
		} else {
			strbuf_reset(&sb);
			if (!step_cell_text(c, r, &sb))
				continue;
			code = dict_find(oc->lookup, strbuf_str(&sb), sb.len);
		}
		if (code >= 0 && (size_t)code < oc->ncats)
			idx[r] = code;
		else if (code >= 0 || unknown == UNK_OTHER)
			idx[r] = (int32_t)(m - 1);
		else if (unknown == UNK_ERROR) {
			strbuf_reset(&sb);
			step_cell_text(c, r, &sb);
			err_set(e, ERR_DATA, "row %zu: column '%s' has '%s', "
			    "not seen in training", r + 1, oc->name,
			    strbuf_str(&sb));
			goto out;
		}
	}
	if (m > 0) {
		src = indsrc_new(idx);
		idx = NULL;
		for (i = 0; i < m; i++)
			out[i] = column_new_indicator(names[i], src,
			    (int32_t)i);
	}
	table_drop_column(t, (size_t)k);
	/* One move of the column array, not one per indicator. */
	{
		size_t old_n = t->ncols;

		for (i = 0; i < m; i++)
			table_add_column(t, out[i]);
		memmove(t->cols + k + m, t->cols + k,
		    (old_n - (size_t)k) * sizeof *t->cols);
		for (i = 0; i < m; i++)
			t->cols[(size_t)k + i] = out[i];
	}
	rc = 0;
out:
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(out);
	free(idx);
	free(map);
	strbuf_release(&sb);
	return rc;
}

static int
onehot_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct onehot *oh = s->state;
	size_t i;

	for (i = 0; i < oh->n; i++) {
		if (!ctx->training && s->target != NULL &&
		    strcmp(oh->cols[i].name, s->target) == 0 &&
		    table_find(t, s->target) < 0)
			continue;	/* new data need not have the target */
		if (onehot_one(&oh->cols[i], oh->unknown, t, e) != 0)
			return -1;
	}
	return 0;
}

static void
onehot_describe(const struct step *s, struct strbuf *sb)
{
	const struct onehot *oh = s->state;
	size_t i, m = 0;

	if (oh == NULL) {
		strbuf_addf(sb, "onehot on %s", params_str(&s->params,
		    "columns"));
		return;
	}
	for (i = 0; i < oh->n; i++)
		m += oh->cols[i].ncats + (oh->cols[i].other ? 1 : 0);
	strbuf_addf(sb, "onehot on %zu column%s into %zu indicator%s", oh->n,
	    oh->n == 1 ? "" : "s", m, m == 1 ? "" : "s");
	if (oh->unknown != UNK_IGNORE)
		strbuf_addf(sb, ", unknown=%s", unknown_names[oh->unknown]);
}

static void
onehot_save(const struct step *s, struct strbuf *sb)
{
	const struct onehot *oh = s->state;
	char key[64];
	size_t i;

	state_put_str(sb, "unknown", unknown_names[oh->unknown]);
	strbuf_addstr(sb, "columns");
	for (i = 0; i < oh->n; i++) {
		strbuf_addch(sb, ' ');
		state_word(sb, oh->cols[i].name);
	}
	strbuf_addch(sb, '\n');
	for (i = 0; i < oh->n; i++) {
		const struct ohcol *oc = &oh->cols[i];

		snprintf(key, sizeof key, "cats.%zu", i);
		state_put_strs(sb, key, oc->ncats, oc->cats);
		snprintf(key, sizeof key, "folded.%zu", i);
		state_put_strs(sb, key, oc->nfolded, oc->folded);
		snprintf(key, sizeof key, "other.%zu", i);
		state_put_int(sb, key, oc->other);
	}
}

static int
onehot_load(struct step *s, const struct state *st, struct err *e)
{
	struct onehot *oh = xcalloc(1, sizeof *oh);
	char **names, *unk, key[64];
	size_t n, i;

	s->state = oh;
	if (state_get_str(st, "unknown", &unk, e) != 0)
		return -1;
	oh->unknown = onehot_unknown(unk);
	if (strcmp(unknown_names[oh->unknown], unk) != 0) {
		err_set(e, ERR_DATA, "%s: bad unknown '%s'", st->what, unk);
		free(unk);
		return -1;
	}
	free(unk);
	if (state_get_strs(st, "columns", &names, &n, e) != 0)
		return -1;
	oh->cols = xcalloc(n ? n : 1, sizeof *oh->cols);
	oh->n = n;
	for (i = 0; i < n; i++)
		oh->cols[i].name = names[i];
	free(names);
	for (i = 0; i < n; i++) {
		struct ohcol *oc = &oh->cols[i];
		long long other;

		snprintf(key, sizeof key, "cats.%zu", i);
		if (state_get_strs(st, key, &oc->cats, &oc->ncats, e) != 0)
			return -1;
		snprintf(key, sizeof key, "folded.%zu", i);
		if (state_get_strs(st, key, &oc->folded, &oc->nfolded, e) != 0)
			return -1;
		snprintf(key, sizeof key, "other.%zu", i);
		if (state_get_int(st, key, &other, e) != 0)
			return -1;
		oc->other = other != 0;
		ohcol_index(oc);
		if (oc->lookup->n != oc->ncats + oc->nfolded)
			return err_set(e, ERR_DATA, "%s: column '%s' has a "
			    "category twice", st->what, oc->name);
	}
	onehot_io(s);
	return 0;
}

const struct step_ops step_onehot_ops = {
	.name = "onehot",
	.summary = "replace categorical columns by 0/1 indicator columns",
	.params = onehot_params,
	.fit = onehot_fit,
	.apply = onehot_apply,
	.describe = onehot_describe,
	.save = onehot_save,
	.load = onehot_load,
	.free = onehot_free,
};

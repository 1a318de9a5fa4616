/*
 * step-ordinal.c - replace each selected column by a float column of
 * category codes 0..k-1, as scikit-learn's OrdinalEncoder does.
 *
 * The categories are those seen in training, sorted: strings in byte
 * order; numbers (explicitly selected integer, float, boolean, date or
 * datetime columns) in numeric order, a number's category being its text
 * (shortest round-trip decimal, -0 is 0; true/false; ISO 8601).  With
 * order=a,b,c (one column only) the codes follow that list instead, and
 * a training value not in it is an error when unknown=error.  Missing
 * stays missing.
 *
 * A value not seen in training (not in order=, when given): with
 * unknown=missing (the default) it becomes missing; with unknown=error
 * apply stops with "row R: column 'c' has 'v', not seen in training"
 * (rows 1-based).  The target, when named, may be absent from new data:
 * it is skipped.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def ordinal_params[] = {
	{ "columns", PT_COLS, "@categorical", NULL, 0, 0,
	  "columns to encode (selector)" },
	{ "order", PT_STRS, "", NULL, 0, 0,
	  "the categories in code order (one column only)" },
	{ "unknown", PT_ENUM, "missing", "error|missing", 0, 0,
	  "a category not seen in training: error, or missing" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct ordcol {
	char		*name;
	size_t		 ncats;
	char		**cats;		/* code order */
	struct dict	*lookup;	/* code = index */
};

struct ordinal {
	int		 error;		/* unknown=error */
	int		 ordered;	/* order= was given */
	size_t		 n;
	struct ordcol	*cols;
};

/* A category while fitting. */
struct ordcat {
	const char	*s;
	double		 v;		/* numeric columns: the value */
};

static void	 ordcol_index(struct ordcol *);
static int	 cat_order(const void *, const void *);
static void	 ordinal_learn(struct ordcol *, const struct column *,
		    size_t);
static int	 ordinal_given(struct ordcol *, const struct step *,
		    const struct column *, size_t, int, struct err *);
static int	 ordinal_one(const struct ordinal *, const struct ordcol *,
		    struct table *, struct err *);

static void
ordinal_free(struct step *s)
{
	struct ordinal *od = s->state;
	size_t i;

	if (od == NULL)
		return;
	for (i = 0; i < od->n; i++) {
		free(od->cols[i].name);
		strs_free(od->cols[i].cats, od->cols[i].ncats);
		dict_free(od->cols[i].lookup);
	}
	free(od->cols);
	free(od);
	s->state = NULL;
}

static int
ordinal_check(struct step *s, struct err *e)
{
	char **order;
	size_t n, i, k;
	int rc = 0;

	n = params_strs(&s->params, "order", &order);
	for (i = 0; i < n && rc == 0; i++)
		for (k = 0; k < i; k++)
			if (strcmp(order[i], order[k]) == 0) {
				rc = err_set(e, ERR_SPEC, "step 'ordinal': "
				    "'%s' is twice in order=", order[i]);
				break;
			}
	strs_free(order, n);
	return rc;
}

static void
ordcol_index(struct ordcol *oc)
{
	size_t i;

	dict_free(oc->lookup);
	oc->lookup = dict_new();
	for (i = 0; i < oc->ncats; i++)
		dict_intern(oc->lookup, oc->cats[i], strlen(oc->cats[i]));
}


static int
cat_order(const void *a, const void *b)
{
	const struct ordcat *x = a, *y = b;

	if (x->v < y->v)
		return -1;
	if (x->v > y->v)
		return 1;
	return strcmp(x->s, y->s);
}

/* The sorted categories of column c (string columns: every v is 0). */
static void
ordinal_learn(struct ordcol *oc, const struct column *c, size_t nrows)
{
	struct dict *d = dict_new();
	struct strbuf sb = STRBUF_INIT;
	struct ordcat *cats = NULL;
	size_t ncap = 0, n = 0, i, r;
	int numeric = coltype_is_numeric_storage(c->type);

	for (r = 0; r < nrows; r++) {
		strbuf_reset(&sb);
		if (!step_cell_text(c, r, &sb))
			continue;
		if ((size_t)dict_intern(d, strbuf_str(&sb), sb.len) < n)
			continue;
		if (n == ncap) {
			ncap = ncap ? 2 * ncap : 16;
			cats = xreallocarray(cats, ncap, sizeof *cats);
		}
		cats[n].s = NULL;	/* the pool may move: set below */
		cats[n].v = numeric ? c->num[r] : 0;
		n++;
	}
	strbuf_release(&sb);
	for (i = 0; i < n; i++)
		cats[i].s = dict_str(d, (int32_t)i);
	if (n > 0)
		qsort(cats, n, sizeof *cats, cat_order);
	oc->ncats = n;
	oc->cats = xmalloc((n ? n : 1) * sizeof *oc->cats);
	for (i = 0; i < n; i++)
		oc->cats[i] = xstrdup(cats[i].s);
	free(cats);
	dict_free(d);
	ordcol_index(oc);
}

/* The categories from order=; with error set, every value must be in it. */
static int
ordinal_given(struct ordcol *oc, const struct step *s,
    const struct column *c, size_t nrows, int error, struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	size_t r;

	oc->ncats = params_strs(&s->params, "order", &oc->cats);
	ordcol_index(oc);
	for (r = 0; r < nrows && error; r++) {
		strbuf_reset(&sb);
		if (!step_cell_text(c, r, &sb))
			continue;
		if (dict_find(oc->lookup, strbuf_str(&sb), sb.len) < 0) {
			err_set(e, ERR_DATA, "row %zu: column '%s' has '%s', "
			    "which is not in order=", r + 1, c->name,
			    strbuf_str(&sb));
			strbuf_release(&sb);
			return -1;
		}
	}
	strbuf_release(&sb);
	return 0;
}

static int
ordinal_fit(struct step *s, const struct table *t, struct err *e)
{
	struct ordinal *od;
	char **names;
	size_t n, i;

	ordinal_free(s);
	if (step_columns(s, "columns", t, &names, &n, e) != 0)
		return -1;
	od = xcalloc(1, sizeof *od);
	s->state = od;
	od->error = strcmp(params_str(&s->params, "unknown"), "error") == 0;
	od->ordered = params_given(&s->params, "order");
	od->n = n;
	od->cols = xcalloc(n ? n : 1, sizeof *od->cols);
	for (i = 0; i < n; i++)
		od->cols[i].name = xstrdup(names[i]);
	if (od->ordered && n != 1) {
		err_set(e, ERR_SPEC, "step 'ordinal': order= needs exactly "
		    "one column, and columns='%s' selects %zu",
		    params_str(&s->params, "columns"), n);
		strs_free(names, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct column *c = t->cols[table_find(t, names[i])];

		if (!od->ordered)
			ordinal_learn(&od->cols[i], c, t->nrows);
		else if (ordinal_given(&od->cols[i], s, c, t->nrows,
		    od->error, e) != 0) {
			strs_free(names, n);
			return -1;
		}
	}
	step_set_io(s, names, n, names, n);
	strs_free(names, n);
	return 0;
}

/* Encode one column of t in place. */
static int
ordinal_one(const struct ordinal *od, const struct ordcol *oc,
    struct table *t, struct err *e)
{
	struct column *c, *out;
	struct strbuf sb = STRBUF_INIT;
	int32_t *map = NULL;
	size_t i, r;
	long k = step_col(t, oc->name, e);

	if (k < 0)
		return -1;
	c = t->cols[k];
	out = column_new(oc->name, COL_FLOAT, t->nrows);
	if (c->type == COL_CAT) {
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
		if (code >= 0) {
			out->num[r] = (double)code;
			continue;
		}
		if (od->error) {
			strbuf_reset(&sb);
			step_cell_text(c, r, &sb);
			err_set(e, ERR_DATA, "row %zu: column '%s' has '%s', "
			    "%s", r + 1, oc->name, strbuf_str(&sb),
			    od->ordered ? "which is not in order=" :
			    "not seen in training");
			column_free(out);
			free(map);
			strbuf_release(&sb);
			return -1;
		}
	}
	table_replace_column(t, (size_t)k, out);
	free(map);
	strbuf_release(&sb);
	return 0;
}

static int
ordinal_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct ordinal *od = s->state;
	size_t i;

	for (i = 0; i < od->n; i++) {
		if (!ctx->training && s->target != NULL &&
		    strcmp(od->cols[i].name, s->target) == 0 &&
		    table_find(t, s->target) < 0)
			continue;	/* new data need not have the target */
		if (ordinal_one(od, &od->cols[i], t, e) != 0)
			return -1;
	}
	return 0;
}

static void
ordinal_describe(const struct step *s, struct strbuf *sb)
{
	const struct ordinal *od = s->state;

	if (od == NULL)
		strbuf_addf(sb, "ordinal on %s", params_str(&s->params,
		    "columns"));
	else
		strbuf_addf(sb, "ordinal on %zu column%s", od->n, od->n == 1 ?
		    "" : "s");
	if (params_given(&s->params, "order"))
		strbuf_addf(sb, ", order %s", params_str(&s->params, "order"));
	if (strcmp(params_str(&s->params, "unknown"), "error") == 0)
		strbuf_addstr(sb, ", unknown=error");
}

static void
ordinal_save(const struct step *s, struct strbuf *sb)
{
	const struct ordinal *od = s->state;
	char key[64];
	size_t i;

	state_put_int(sb, "error", od->error);
	state_put_int(sb, "ordered", od->ordered);
	strbuf_addstr(sb, "columns");
	for (i = 0; i < od->n; i++) {
		strbuf_addch(sb, ' ');
		state_word(sb, od->cols[i].name);
	}
	strbuf_addch(sb, '\n');
	for (i = 0; i < od->n; i++) {
		snprintf(key, sizeof key, "cats.%zu", i);
		state_put_strs(sb, key, od->cols[i].ncats, od->cols[i].cats);
	}
}

static int
ordinal_load(struct step *s, const struct state *st, struct err *e)
{
	struct ordinal *od = xcalloc(1, sizeof *od);
	long long error, ordered;
	char **names, key[64];
	size_t n, i;

	s->state = od;
	if (state_get_int(st, "error", &error, e) != 0 ||
	    state_get_int(st, "ordered", &ordered, e) != 0 ||
	    state_get_strs(st, "columns", &names, &n, e) != 0)
		return -1;
	od->error = error != 0;
	od->ordered = ordered != 0;
	od->n = n;
	od->cols = xcalloc(n ? n : 1, sizeof *od->cols);
	for (i = 0; i < n; i++)
		od->cols[i].name = names[i];
	free(names);
	for (i = 0; i < n; i++) {
		struct ordcol *oc = &od->cols[i];

		snprintf(key, sizeof key, "cats.%zu", i);
		if (state_get_strs(st, key, &oc->cats, &oc->ncats, e) != 0)
			return -1;
		ordcol_index(oc);
		if (oc->lookup->n != oc->ncats)
			return err_set(e, ERR_DATA, "%s: column '%s' has a "
			    "category twice", st->what, oc->name);
	}
	{
		char **cols = xmalloc((n ? n : 1) * sizeof *cols);

		for (i = 0; i < n; i++)
			cols[i] = od->cols[i].name;
		step_set_io(s, cols, n, cols, n);
		free(cols);
	}
	return 0;
}

const struct step_ops step_ordinal_ops = {
	.name = "ordinal",
	.summary = "replace categorical columns by float category codes",
	.params = ordinal_params,
	.check = ordinal_check,
	.fit = ordinal_fit,
	.apply = ordinal_apply,
	.describe = ordinal_describe,
	.save = ordinal_save,
	.load = ordinal_load,
	.free = ordinal_free,
};

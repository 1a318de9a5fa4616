/*
 * step-impute.c - fill missing values: mean, median, most_frequent or a
 * constant, learned per column at fit; optional missing-indicator columns
 * (NAME_missing, boolean) placed after each imputed column.
 *
 * Numbers: mean and median of the present training values; most_frequent
 * takes the smallest of tied values.  Categorical and text columns take
 * most_frequent (ties: the smallest string in byte order) or constant.
 * An integer column filled with a non-integral mean becomes float.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/stats.h"
#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def impute_params[] = {
	{ "columns", PT_COLS, "@numeric", NULL, 0, 0,
	  "columns to fill (selector)" },
	{ "strategy", PT_ENUM, "mean", "mean|median|most_frequent|constant",
	  0, 0, "what to fill with" },
	{ "value", PT_STR, "", NULL, 0, 0,
	  "the fill value for strategy=constant" },
	{ "indicator", PT_BOOL, "false", NULL, 0, 0,
	  "add a NAME_missing column (true/false) per column" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct impute {
	size_t		 n;
	char		**cols;
	int		*is_str;	/* fill with text (categorical/text) */
	double		*num;		/* numeric fill */
	char		**str;		/* text fill */
	int		 indicator;
};

static void
impute_free(struct step *s)
{
	struct impute *im = s->state;
	size_t i;

	if (im == NULL)
		return;
	for (i = 0; i < im->n; i++) {
		free(im->cols[i]);
		free(im->str[i]);
	}
	free(im->cols);
	free(im->is_str);
	free(im->num);
	free(im->str);
	free(im);
	s->state = NULL;
}

static struct impute *
impute_alloc(size_t n)
{
	struct impute *im = xcalloc(1, sizeof *im);

	im->n = n;
	im->cols = xcalloc(n ? n : 1, sizeof *im->cols);
	im->is_str = xcalloc(n ? n : 1, sizeof *im->is_str);
	im->num = xcalloc(n ? n : 1, sizeof *im->num);
	im->str = xcalloc(n ? n : 1, sizeof *im->str);
	return im;
}

static int
impute_check(struct step *s, struct err *e)
{
	if (strcmp(params_str(&s->params, "strategy"), "constant") == 0 &&
	    !params_given(&s->params, "value"))
		return err_set(e, ERR_SPEC, "step 'impute': strategy=constant "
		    "needs value=...");
	return 0;
}

/* Most frequent numeric value, ties to the smallest. */
static double
num_mode(const struct column *c, size_t nrows)
{
	double *v = xmalloc((nrows ? nrows : 1) * sizeof *v);
	double *tmp = xmalloc((nrows ? nrows : 1) * sizeof *tmp);
	double best = NAN;
	size_t i, n = 0, run = 0, bestrun = 0;

	for (i = 0; i < nrows; i++)
		if (!isnan(c->num[i]))
			v[n++] = c->num[i];
	stats_sort(v, tmp, n);
	for (i = 0; i < n; i++) {
		run = i > 0 && v[i] == v[i - 1] ? run + 1 : 1;
		if (run > bestrun) {
			bestrun = run;
			best = v[i];
		}
	}
	free(v);
	free(tmp);
	return best;
}

static int
impute_fit(struct step *s, const struct table *t, struct err *e)
{
	const char *strategy = params_str(&s->params, "strategy");
	const char *value = params_str(&s->params, "value");
	struct impute *im;
	char **names;
	size_t n, i;

	impute_free(s);
	if (step_columns(s, "columns", t, &names, &n, e) != 0)
		return -1;
	im = impute_alloc(n);
	s->state = im;
	im->indicator = params_bool(&s->params, "indicator");
	for (i = 0; i < n; i++) {
		const struct column *c = t->cols[table_find(t, names[i])];
		struct colstats st;

		im->cols[i] = xstrdup(names[i]);
		im->is_str[i] = !coltype_is_numeric_storage(c->type);
		if (strcmp(strategy, "constant") == 0) {
			if (im->is_str[i])
				im->str[i] = xstrdup(value);
			else {
				char *end;

				im->num[i] = strtod(value, &end);
				if (*value == '\0' || *end != '\0') {
					strs_free(names, n);
					return err_set(e, ERR_SPEC, "value '%s' "
					    "is not a number, and column '%s' "
					    "is %s", value, c->name,
					    coltype_name(c->type));
				}
			}
			continue;
		}
		if (im->is_str[i] && strcmp(strategy, "most_frequent") != 0) {
			strs_free(names, n);
			return err_set(e, ERR_SPEC, "strategy '%s' needs numbers, "
			    "and column '%s' is %s (use most_frequent or "
			    "constant)", strategy, c->name,
			    coltype_name(c->type));
		}
		if (strcmp(strategy, "most_frequent") == 0 && !im->is_str[i]) {
			im->num[i] = num_mode(c, t->nrows);
			continue;
		}
		if (!im->is_str[i] && strcmp(strategy, "mean") == 0) {
			size_t cnt;

			/* The mean alone: no need to sort the column. */
			im->num[i] = stats_mean(c, t->nrows, &cnt);
			if (cnt == 0) {
				strs_free(names, n);
				return err_set(e, ERR_DATA, "column '%s' has no "
				    "values to learn a fill from", c->name);
			}
			continue;
		}
		stats_column(c, t->nrows, &st);
		if (st.count == 0) {
			free(st.values);
			strs_free(names, n);
			return err_set(e, ERR_DATA, "column '%s' has no values "
			    "to learn a fill from", c->name);
		}
		if (im->is_str[i])
			im->str[i] = xstrdup(st.values[0].value);
		else if (strcmp(strategy, "mean") == 0)
			im->num[i] = st.mean;
		else
			im->num[i] = st.p50;
		free(st.values);
	}
	step_set_io(s, names, n, names, n);
	strs_free(names, n);
	return 0;
}

static int
impute_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct impute *im = s->state;
	size_t i, r;

	(void)ctx;
	for (i = 0; i < im->n; i++) {
		long k = step_col(t, im->cols[i], e);
		struct column *c, *ind = NULL;

		if (k < 0)
			return -1;
		c = t->cols[k];
		if (im->is_str[i] == coltype_is_numeric_storage(c->type))
			return err_set(e, ERR_DATA, "column '%s' is %s now but "
			    "was %s when fitted", c->name,
			    coltype_name(c->type), im->is_str[i] ? "text" :
			    "numeric");
		if (im->indicator) {
			char *nm = xasprintf("%s_missing", c->name);

			ind = column_new(nm, COL_BOOL, t->nrows);
			free(nm);
			for (r = 0; r < t->nrows; r++)
				ind->num[r] = column_is_missing(c, r);
		}
		switch (c->type) {
		case COL_CAT: {
			int32_t code = dict_intern(c->dict, im->str[i],
			    strlen(im->str[i]));

			for (r = 0; r < t->nrows; r++)
				if (c->codes[r] < 0)
					c->codes[r] = code;
			break;
		}
		case COL_TEXT: {
			/* Append the fill to the arena once. */
			size_t len = strlen(im->str[i]);
			uint64_t off = c->arena_len;
			int any = 0;

			for (r = 0; r < t->nrows && !any; r++)
				any = c->off[r] == TEXT_MISSING;
			if (!any)
				break;
			c->arena = xrealloc(c->arena, c->arena_len + len + 1);
			memcpy(c->arena + off, im->str[i], len + 1);
			c->arena_len += len + 1;
			for (r = 0; r < t->nrows; r++)
				if (c->off[r] == TEXT_MISSING)
					c->off[r] = off;
			break;
		}
		default: {
			double v = im->num[i];

			for (r = 0; r < t->nrows; r++)
				if (isnan(c->num[r]))
					c->num[r] = v;
			if ((c->type == COL_INT && v != floor(v)) ||
			    (c->type == COL_BOOL && v != 0 && v != 1))
				c->type = COL_FLOAT;
			break;
		}
		}
		if (ind != NULL)
			table_insert_column(t, (size_t)k + 1, ind);
	}
	return 0;
}

static void
impute_describe(const struct step *s, struct strbuf *sb)
{
	const struct impute *im = s->state;

	strbuf_addf(sb, "impute %s", params_str(&s->params, "strategy"));
	if (im != NULL)
		strbuf_addf(sb, " on %zu column%s", im->n, im->n == 1 ? "" :
		    "s");
	else
		strbuf_addf(sb, " on %s", params_str(&s->params, "columns"));
	if (params_bool(&s->params, "indicator"))
		strbuf_addstr(sb, ", with indicators");
}

static void
impute_save(const struct step *s, struct strbuf *sb)
{
	const struct impute *im = s->state;
	size_t i;

	state_put_int(sb, "indicator", im->indicator);
	state_put_strs(sb, "columns", im->n, im->cols);
	for (i = 0; i < im->n; i++) {
		if (im->is_str[i])
			state_put_str(sb, "fill_text", im->str[i]);
		else
			state_put_num(sb, "fill", im->num[i]);
	}
}

static int
impute_load(struct step *s, const struct state *st, struct err *e)
{
	struct impute *im;
	char **cols;
	size_t n, i, k, nf = 0, nt = 0;
	long long ind;

	if (state_get_int(st, "indicator", &ind, e) != 0 ||
	    state_get_strs(st, "columns", &cols, &n, e) != 0)
		return -1;
	im = impute_alloc(n);
	s->state = im;
	im->indicator = ind != 0;
	for (i = 0; i < n; i++)
		im->cols[i] = cols[i];
	free(cols);
	/* fill and fill_text lines, in column order */
	for (k = 0, i = 0; k < st->n && i < n; k++) {
		const struct state_line *l = &st->lines[k];
		char *end;

		if (strcmp(l->key, "fill") == 0 && l->nwords == 1) {
			im->num[i] = strcmp(l->words[0], "nan") == 0 ? NAN :
			    strtod(l->words[0], &end);
			i++;
			nf++;
		} else if (strcmp(l->key, "fill_text") == 0 &&
		    l->nwords == 1) {
			im->is_str[i] = 1;
			im->str[i] = xstrdup(l->words[0]);
			i++;
			nt++;
		}
	}
	if (nf + nt != n)
		return err_set(e, ERR_DATA, "%s: %zu fill values for %zu "
		    "columns", st->what, nf + nt, n);
	step_set_io(s, im->cols, n, im->cols, n);
	return 0;
}

const struct step_ops step_impute_ops = {
	.name = "impute",
	.summary = "fill missing values (mean, median, most_frequent, "
	    "constant)",
	.params = impute_params,
	.check = impute_check,
	.fit = impute_fit,
	.apply = impute_apply,
	.describe = impute_describe,
	.save = impute_save,
	.load = impute_load,
	.free = impute_free,
};

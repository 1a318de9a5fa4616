/*
 * step-cast.c - change the type of the selected columns:
 * to=integer|float|boolean|categorical|text.
 *
 * To text or categorical: numbers become their shortest round-trip
 * decimal (fmt_double), booleans true/false, dates and datetimes ISO
 * 8601 (what column_format writes).  From text or categorical: a value
 * is read as the loader reads a field (infer_classify, exact decimal
 * parsing, no blanks, no hex, no inf/nan):
 *	integer   a number with a whole value ("3", "3.0", "3e2")
 *	float     any number
 *	boolean   true/false (lower, upper or title case), or the numbers
 *	          0 and 1
 * Between number types: integer needs a whole value, boolean 0 or 1;
 * dates and datetimes read as days / seconds since the epoch and cannot
 * become booleans.  Missing stays missing.
 *
 * At fit, a value that does not convert is an error naming the column,
 * the row (1-based) and the value.  At apply (new data) such a value
 * becomes missing, silently: nothing is counted.  The target, when
 * named, may be absent from new data: it is skipped.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/infer.h"
#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def cast_params[] = {
	{ "columns", PT_COLS, NULL, NULL, 0, 0,
	  "columns to convert (selector)" },
	{ "to", PT_ENUM, NULL, "integer|float|boolean|categorical|text", 0, 0,
	  "the new type" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct castst {
	size_t		 n;
	char		**cols;
	enum coltype	 to;
};

static int	 cast_type_ok(const struct column *, enum coltype,
		    struct err *);
static int	 cast_number(const struct column *, size_t, enum coltype,
		    double *);
static const char *cast_noun(enum coltype);
static struct column *cast_column(const struct column *, size_t,
		    enum coltype);

static void
cast_free(struct step *s)
{
	struct castst *c = s->state;

	if (c == NULL)
		return;
	strs_free(c->cols, c->n);
	free(c);
	s->state = NULL;
}

/* Conversions refused whatever the values. */
static int
cast_type_ok(const struct column *c, enum coltype to, struct err *e)
{
	if (to == COL_BOOL && (c->type == COL_DATE ||
	    c->type == COL_DATETIME))
		return err_set(e, ERR_SPEC, "column '%s' is %s: it cannot be "
		    "cast to boolean", c->name, coltype_name(c->type));
	return 0;
}

/*
 * The value of row r of c as a number of type to (INT, FLOAT or BOOL):
 * 1 and *v when it converts, 0 when it is missing, -1 when it does not
 * convert.
 */
static int
cast_number(const struct column *c, size_t r, enum coltype to, double *v)
{
	const char *s;
	enum fkind k;
	size_t len;

	if (column_is_missing(c, r))
		return 0;
	if (coltype_is_numeric_storage(c->type)) {
		*v = c->num[r];
		k = FK_FLOAT;
	} else {
		s = column_str(c, r);
		len = c->type == COL_CAT ? dict_len(c->dict, c->codes[r]) :
		    strlen(s);
		k = infer_classify(s, len, v);
		if (k != FK_INT && k != FK_FLOAT && !(k == FK_BOOL &&
		    to == COL_BOOL))
			return -1;
	}
	switch (to) {
	case COL_INT:
		return isfinite(*v) && *v == floor(*v) ? 1 : -1;
	case COL_BOOL:
		return *v == 0 || *v == 1 ? 1 : -1;
	default:
		return 1;
	}
}

static const char *
cast_noun(enum coltype to)
{
	switch (to) {
	case COL_INT:
		return "an integer";
	case COL_BOOL:
		return "a boolean (true/false or 1/0)";
	default:
		return "a number";
	}
}

/* The converted column, new; values that do not convert are missing. */
static struct column *
cast_column(const struct column *c, size_t nrows, enum coltype to)
{
	struct column *out = column_new(c->name, to, nrows);
	struct strbuf sb = STRBUF_INIT;
	size_t r;
	double v;

	switch (to) {
	case COL_CAT:
		for (r = 0; r < nrows; r++) {
			strbuf_reset(&sb);
			if (column_format(c, r, &sb))
				out->codes[r] = dict_intern(out->dict,
				    strbuf_str(&sb), sb.len);
		}
		break;
	case COL_TEXT: {
		struct strbuf arena = STRBUF_INIT;

		for (r = 0; r < nrows; r++) {
			strbuf_reset(&sb);
			if (!column_format(c, r, &sb))
				continue;
			out->off[r] = arena.len;
			strbuf_add(&arena, sb.buf, sb.len);
			strbuf_addch(&arena, '\0');
		}
		out->arena_len = arena.len;
		out->arena = strbuf_detach(&arena);
		break;
	}
	default:
		for (r = 0; r < nrows; r++)
			if (cast_number(c, r, to, &v) == 1)
				out->num[r] = v;
		break;
	}
	strbuf_release(&sb);
	return out;
}

static int
cast_fit(struct step *s, const struct table *t, struct err *e)
{
	struct castst *cs;
	enum coltype to;
	char **names;
	size_t n, i, r;

	cast_free(s);
	if (coltype_parse(params_str(&s->params, "to"), &to) != 0)
		return err_set(e, ERR_SPEC, "step 'cast': bad type '%s'",
		    params_str(&s->params, "to"));
	if (step_columns(s, "columns", t, &names, &n, e) != 0)
		return -1;
	cs = xcalloc(1, sizeof *cs);
	s->state = cs;
	cs->n = n;
	cs->cols = names;
	cs->to = to;
	for (i = 0; i < n; i++) {
		const struct column *c = t->cols[table_find(t, names[i])];
		double v;

		if (cast_type_ok(c, to, e) != 0)
			return -1;
		if (to == COL_CAT || to == COL_TEXT || c->type == to)
			continue;
		for (r = 0; r < t->nrows; r++)
			if (cast_number(c, r, to, &v) < 0) {
				struct strbuf sb = STRBUF_INIT;

				column_format(c, r, &sb);
				err_set(e, ERR_DATA, "row %zu: column '%s' has "
				    "'%s', which is not %s", r + 1, c->name,
				    strbuf_str(&sb), cast_noun(to));
				strbuf_release(&sb);
				return -1;
			}
	}
	step_set_io(s, names, n, names, n);
	return 0;
}

static int
cast_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct castst *cs = s->state;
	size_t i;

	for (i = 0; i < cs->n; i++) {
		long k = table_find(t, cs->cols[i]);

		if (k < 0 && !ctx->training && s->target != NULL &&
		    strcmp(cs->cols[i], s->target) == 0)
			continue;	/* new data need not have the target */
		if (k < 0)
			k = step_col(t, cs->cols[i], e);
		if (k < 0 || cast_type_ok(t->cols[k], cs->to, e) != 0)
			return -1;
		if (t->cols[k]->type == cs->to)
			continue;
		table_replace_column(t, (size_t)k, cast_column(t->cols[k],
		    t->nrows, cs->to));
	}
	return 0;
}

static void
cast_describe(const struct step *s, struct strbuf *sb)
{
	const struct castst *cs = s->state;

	strbuf_addf(sb, "cast to %s", params_str(&s->params, "to"));
	if (cs != NULL)
		strbuf_addf(sb, " on %zu column%s", cs->n, cs->n == 1 ? "" :
		    "s");
	else
		strbuf_addf(sb, " on %s", params_str(&s->params, "columns"));
}

static void
cast_save(const struct step *s, struct strbuf *sb)
{
	const struct castst *cs = s->state;

	state_put_str(sb, "to", coltype_name(cs->to));
	state_put_strs(sb, "columns", cs->n, cs->cols);
}

static int
cast_load(struct step *s, const struct state *st, struct err *e)
{
	struct castst *cs = xcalloc(1, sizeof *cs);
	char *to;
	int bad;

	s->state = cs;
	if (state_get_str(st, "to", &to, e) != 0)
		return -1;
	bad = coltype_parse(to, &cs->to) != 0 || !(cs->to == COL_INT ||
	    cs->to == COL_FLOAT || cs->to == COL_BOOL || cs->to == COL_CAT ||
	    cs->to == COL_TEXT);
	if (bad) {
		err_set(e, ERR_DATA, "%s: bad type '%s'", st->what, to);
		free(to);
		return -1;
	}
	free(to);
	if (state_get_strs(st, "columns", &cs->cols, &cs->n, e) != 0)
		return -1;
	step_set_io(s, cs->cols, cs->n, cs->cols, cs->n);
	return 0;
}

const struct step_ops step_cast_ops = {
	.name = "cast",
	.summary = "change column types (integer, float, boolean, "
	    "categorical, text)",
	.params = cast_params,
	.fit = cast_fit,
	.apply = cast_apply,
	.describe = cast_describe,
	.save = cast_save,
	.load = cast_load,
	.free = cast_free,
};

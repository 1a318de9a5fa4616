/*
 * step-select.c - keep only the selected columns, in table order.
 *
 * The selector is resolved at fit and the names are frozen; the
 * pipeline's target, when the training data has it, is always kept (new
 * data need not have it).  At apply every other column is dropped, and a
 * kept column that is not in the data is an error.  Rows are untouched.
 */
#include <stdlib.h>
#include <string.h>

#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def select_params[] = {
	{ "columns", PT_COLS, NULL, NULL, 0, 0,
	  "columns to keep (selector); the target is always kept" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct selectst {
	size_t		 n;
	char		**keep;		/* table order at fit */
	size_t		 nd;
	char		**dropped;	/* at fit: for describe and io */
	struct dict	*lookup;	/* keep, by name */
};

static void	 select_free(struct step *);
static int	 in_list(char *const *, size_t, const char *);
static void	 select_index(struct selectst *);

static void
select_free(struct step *s)
{
	struct selectst *st = s->state;

	if (st == NULL)
		return;
	strs_free(st->keep, st->n);
	strs_free(st->dropped, st->nd);
	dict_free(st->lookup);
	free(st);
	s->state = NULL;
}

static int
in_list(char *const *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], name) == 0)
			return 1;
	return 0;
}

static void
select_index(struct selectst *st)
{
	size_t i;

	st->lookup = dict_new();
	for (i = 0; i < st->n; i++)
		dict_intern(st->lookup, st->keep[i], strlen(st->keep[i]));
}

static int
select_fit(struct step *s, const struct table *t, struct err *e)
{
	struct selectst *st;
	char **names;
	size_t n, i;

	select_free(s);
	if (step_columns(s, "columns", t, &names, &n, e) != 0)
		return -1;
	st = xcalloc(1, sizeof *st);
	s->state = st;
	st->keep = xmalloc((t->ncols ? t->ncols : 1) * sizeof *st->keep);
	st->dropped = xmalloc((t->ncols ? t->ncols : 1) *
	    sizeof *st->dropped);
	for (i = 0; i < t->ncols; i++) {
		const char *nm = t->cols[i]->name;

		if (in_list(names, n, nm) || (s->target != NULL &&
		    strcmp(nm, s->target) == 0))
			st->keep[st->n++] = xstrdup(nm);
		else
			st->dropped[st->nd++] = xstrdup(nm);
	}
	strs_free(names, n);
	select_index(st);
	step_set_io(s, st->keep, st->n, st->dropped, st->nd);
	return 0;
}

static int
select_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct selectst *st = s->state;
	size_t i;

	(void)ctx;
	for (i = 0; i < st->n; i++) {
		if (s->target != NULL && strcmp(st->keep[i], s->target) == 0)
			continue;	/* new data need not have the target */
		if (step_col(t, st->keep[i], e) < 0)
			return -1;
	}
	for (i = t->ncols; i-- > 0; ) {
		const char *nm = t->cols[i]->name;

		if (dict_find(st->lookup, nm, strlen(nm)) < 0)
			table_drop_column(t, i);
	}
	return 0;
}

static void
select_describe(const struct step *s, struct strbuf *sb)
{
	const struct selectst *st = s->state;

	if (st == NULL) {
		strbuf_addf(sb, "select %s", params_str(&s->params,
		    "columns"));
		return;
	}
	strbuf_addf(sb, "select %zu column%s, dropping %zu", st->n,
	    st->n == 1 ? "" : "s", st->nd);
}

static void
select_save(const struct step *s, struct strbuf *sb)
{
	const struct selectst *st = s->state;

	state_put_strs(sb, "keep", st->n, st->keep);
	state_put_strs(sb, "dropped", st->nd, st->dropped);
}

static int
select_load(struct step *s, const struct state *stt, struct err *e)
{
	struct selectst *st = xcalloc(1, sizeof *st);

	s->state = st;
	if (state_get_strs(stt, "keep", &st->keep, &st->n, e) != 0 ||
	    state_get_strs(stt, "dropped", &st->dropped, &st->nd, e) != 0)
		return -1;
	select_index(st);
	step_set_io(s, st->keep, st->n, st->dropped, st->nd);
	return 0;
}

const struct step_ops step_select_ops = {
	.name = "select",
	.summary = "keep only the selected columns (and the target)",
	.params = select_params,
	.fit = select_fit,
	.apply = select_apply,
	.describe = select_describe,
	.save = select_save,
	.load = select_load,
	.free = select_free,
	.keeps_indicators = 1,
};

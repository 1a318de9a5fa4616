/*
 * step-drop.c - remove the selected columns.
 *
 * The selector is resolved at fit and the names are frozen; at apply
 * those columns are removed and every other column is left as it is.  A
 * frozen column that is not in the data is an error.  The target is
 * never picked by a glob or type group, and naming it is an error: the
 * pipeline needs it.  Rows are untouched.
 */
#include <stdlib.h>
#include <string.h>

#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def drop_params[] = {
	{ "columns", PT_COLS, NULL, NULL, 0, 0,
	  "columns to remove (selector)" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct dropst {
	size_t		 n;
	char		**cols;
};

static void
drop_free(struct step *s)
{
	struct dropst *d = s->state;

	if (d == NULL)
		return;
	strs_free(d->cols, d->n);
	free(d);
	s->state = NULL;
}

static int
drop_fit(struct step *s, const struct table *t, struct err *e)
{
	struct dropst *d;
	char **names;
	size_t n, i;

	drop_free(s);
	if (step_columns(s, "columns", t, &names, &n, e) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (s->target != NULL && strcmp(names[i], s->target) == 0) {
			strs_free(names, n);
			return err_set(e, ERR_SPEC, "column '%s' is the "
			    "target: it cannot be dropped", s->target);
		}
	d = xcalloc(1, sizeof *d);
	s->state = d;
	d->n = n;
	d->cols = names;
	step_set_io(s, NULL, 0, d->cols, d->n);
	return 0;
}

static int
drop_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct dropst *d = s->state;
	size_t i;
	long k;

	(void)ctx;
	/* Check them all before changing anything. */
	for (i = 0; i < d->n; i++)
		if (step_col(t, d->cols[i], e) < 0)
			return -1;
	for (i = 0; i < d->n; i++)
		if ((k = table_find(t, d->cols[i])) >= 0)
			table_drop_column(t, (size_t)k);
	return 0;
}

static void
drop_describe(const struct step *s, struct strbuf *sb)
{
	const struct dropst *d = s->state;
	size_t i;

	if (d == NULL) {
		strbuf_addf(sb, "drop %s", params_str(&s->params, "columns"));
		return;
	}
	strbuf_addf(sb, "drop %zu column%s", d->n, d->n == 1 ? "" : "s");
	for (i = 0; i < d->n && i < 3; i++)
		strbuf_addf(sb, "%s%s", i == 0 ? " (" : ", ", d->cols[i]);
	if (d->n > 3)
		strbuf_addstr(sb, ", ...");
	if (d->n > 0)
		strbuf_addch(sb, ')');
}

static void
drop_save(const struct step *s, struct strbuf *sb)
{
	const struct dropst *d = s->state;

	state_put_strs(sb, "columns", d->n, d->cols);
}

static int
drop_load(struct step *s, const struct state *st, struct err *e)
{
	struct dropst *d = xcalloc(1, sizeof *d);

	s->state = d;
	if (state_get_strs(st, "columns", &d->cols, &d->n, e) != 0)
		return -1;
	step_set_io(s, NULL, 0, d->cols, d->n);
	return 0;
}

const struct step_ops step_drop_ops = {
	.name = "drop",
	.summary = "remove the selected columns",
	.params = drop_params,
	.fit = drop_fit,
	.apply = drop_apply,
	.describe = drop_describe,
	.save = drop_save,
	.load = drop_load,
	.free = drop_free,
	.keeps_indicators = 1,
};

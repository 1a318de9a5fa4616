/*
 * step-rename.c - rename columns: map=old:new,old2:new2.
 *
 * An item splits at its last ':' (a data column's name may hold one; the
 * new name may not).  All renames happen at once, so a:b,b:a swaps two
 * columns.  At fit (and again at apply) every old name must be in the
 * data and the names after renaming must be distinct.  The target cannot
 * be renamed: the pipeline refers to it by name.  Values, types and
 * column order are untouched.
 */
#include <stdlib.h>
#include <string.h>

#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def rename_params[] = {
	{ "map", PT_STRS, NULL, NULL, 0, 0,
	  "old:new pairs, comma-separated" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct renamest {
	size_t		 n;
	char		**from;
	char		**to;
};

static void	 rename_release(struct renamest *);
static int	 rename_parse(const struct step *, struct renamest *,
		    struct err *);
static int	 rename_table(const struct renamest *, const struct table *,
		    const char *, long *, struct err *);

static void
rename_release(struct renamest *r)
{
	strs_free(r->from, r->n);
	strs_free(r->to, r->n);
	r->from = r->to = NULL;
	r->n = 0;
}

static void
rename_free(struct step *s)
{
	struct renamest *r = s->state;

	if (r == NULL)
		return;
	rename_release(r);
	free(r);
	s->state = NULL;
}

/* Split map= into r; ERR_SPEC on a malformed or repeated item. */
static int
rename_parse(const struct step *s, struct renamest *r, struct err *e)
{
	char **items;
	size_t n, i, k;

	memset(r, 0, sizeof *r);
	n = params_strs(&s->params, "map", &items);
	r->from = xcalloc(n ? n : 1, sizeof *r->from);
	r->to = xcalloc(n ? n : 1, sizeof *r->to);
	for (i = 0; i < n; i++) {
		char *colon = strrchr(items[i], ':');

		if (colon == NULL || colon == items[i] || colon[1] == '\0') {
			err_set(e, ERR_SPEC, "step 'rename': bad map item "
			    "'%s': expected old:new", items[i]);
			goto fail;
		}
		r->from[i] = xstrndup(items[i], (size_t)(colon - items[i]));
		r->to[i] = xstrdup(colon + 1);
		r->n = i + 1;
		for (k = 0; k < i; k++) {
			if (strcmp(r->from[k], r->from[i]) == 0) {
				err_set(e, ERR_SPEC, "step 'rename': column "
				    "'%s' is renamed twice", r->from[i]);
				goto fail;
			}
			if (strcmp(r->to[k], r->to[i]) == 0) {
				err_set(e, ERR_SPEC, "step 'rename': two "
				    "columns are renamed to '%s'", r->to[i]);
				goto fail;
			}
		}
	}
	strs_free(items, n);
	return 0;
fail:
	strs_free(items, n);
	rename_release(r);
	return -1;
}

static int
rename_check(struct step *s, struct err *e)
{
	struct renamest r;

	if (rename_parse(s, &r, e) != 0)
		return -1;
	rename_release(&r);
	return 0;
}

/*
 * Find every old name in t (idx[i]) and check that the names after
 * renaming are distinct; with target set, refuse to rename it.
 */
static int
rename_table(const struct renamest *r, const struct table *t,
    const char *target, long *idx, struct err *e)
{
	size_t i, c;

	for (i = 0; i < r->n; i++) {
		if (target != NULL && strcmp(r->from[i], target) == 0)
			return err_set(e, ERR_SPEC, "column '%s' is the "
			    "target: it cannot be renamed", target);
		idx[i] = table_find(t, r->from[i]);
		if (idx[i] < 0)
			return err_set(e, ERR_DATA, "no column '%s' to rename",
			    r->from[i]);
	}
	/* A new name may not be kept by a column that is not renamed. */
	for (i = 0; i < r->n; i++)
		for (c = 0; c < t->ncols; c++) {
			size_t k;

			if (strcmp(t->cols[c]->name, r->to[i]) != 0)
				continue;
			for (k = 0; k < r->n; k++)
				if (idx[k] == (long)c)
					break;
			if (k == r->n)
				return err_set(e, ERR_DATA, "cannot rename "
				    "'%s' to '%s': there is already a column "
				    "'%s'", r->from[i], r->to[i], r->to[i]);
		}
	return 0;
}

static int
rename_fit(struct step *s, const struct table *t, struct err *e)
{
	struct renamest *r;
	long *idx;

	rename_free(s);
	r = xcalloc(1, sizeof *r);
	s->state = r;
	if (rename_parse(s, r, e) != 0)
		return -1;
	idx = xmalloc((r->n ? r->n : 1) * sizeof *idx);
	if (rename_table(r, t, s->target, idx, e) != 0) {
		free(idx);
		return -1;
	}
	free(idx);
	step_set_io(s, r->from, r->n, r->to, r->n);
	return 0;
}

static int
rename_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct renamest *r = s->state;
	long *idx;
	size_t i;

	(void)ctx;
	idx = xmalloc((r->n ? r->n : 1) * sizeof *idx);
	if (rename_table(r, t, NULL, idx, e) != 0) {
		free(idx);
		return -1;
	}
	for (i = 0; i < r->n; i++) {
		struct column *c = t->cols[idx[i]];

		free(c->name);
		c->name = xstrdup(r->to[i]);
	}
	free(idx);
	return 0;
}

static void
rename_describe(const struct step *s, struct strbuf *sb)
{
	const struct renamest *r = s->state;
	size_t i;

	if (r == NULL) {
		strbuf_addf(sb, "rename %s", params_str(&s->params, "map"));
		return;
	}
	strbuf_addstr(sb, "rename");
	for (i = 0; i < r->n && i < 3; i++)
		strbuf_addf(sb, "%s%s to %s", i == 0 ? " " : ", ", r->from[i],
		    r->to[i]);
	if (r->n > 3)
		strbuf_addf(sb, " and %zu more", r->n - 3);
}

static void
rename_save(const struct step *s, struct strbuf *sb)
{
	const struct renamest *r = s->state;

	state_put_strs(sb, "from", r->n, r->from);
	state_put_strs(sb, "to", r->n, r->to);
}

static int
rename_load(struct step *s, const struct state *st, struct err *e)
{
	struct renamest *r = xcalloc(1, sizeof *r);
	size_t nto;

	s->state = r;
	if (state_get_strs(st, "from", &r->from, &r->n, e) != 0)
		return -1;
	if (state_get_strs(st, "to", &r->to, &nto, e) != 0)
		return -1;
	if (nto != r->n) {
		strs_free(r->to, nto);
		r->to = NULL;
		strs_free(r->from, r->n);
		r->from = NULL;
		r->n = 0;
		return err_set(e, ERR_DATA, "%s: 'from' and 'to' differ in "
		    "length", st->what);
	}
	step_set_io(s, r->from, r->n, r->to, r->n);
	return 0;
}

const struct step_ops step_rename_ops = {
	.name = "rename",
	.summary = "rename columns (map=old:new,...)",
	.params = rename_params,
	.check = rename_check,
	.fit = rename_fit,
	.apply = rename_apply,
	.describe = rename_describe,
	.save = rename_save,
	.load = rename_load,
	.free = rename_free,
	.keeps_indicators = 1,
};

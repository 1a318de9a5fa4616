/*
 * select.c - resolving column selectors (names, globs, @type groups,
 * !exclusions) against a table's schema.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "core/params.h"
#include "core/select.h"
#include "core/strbuf.h"
#include "core/xmalloc.h"

static const struct {
	const char	*name;
	unsigned	 types;		/* bit per enum coltype */
} groups[] = {
	{ "numeric", 1u << COL_INT | 1u << COL_FLOAT | 1u << COL_BOOL },
	{ "number", 1u << COL_INT | 1u << COL_FLOAT | 1u << COL_BOOL },
	{ "integer", 1u << COL_INT },
	{ "float", 1u << COL_FLOAT },
	{ "boolean", 1u << COL_BOOL },
	{ "categorical", 1u << COL_CAT },
	{ "text", 1u << COL_TEXT },
	{ "string", 1u << COL_CAT | 1u << COL_TEXT },
	{ "date", 1u << COL_DATE },
	{ "datetime", 1u << COL_DATETIME },
	{ "all", ~0u },
};

static int
group_types(const char *name, unsigned *types)
{
	size_t i;

	for (i = 0; i < sizeof groups / sizeof groups[0]; i++)
		if (strcmp(groups[i].name, name) == 0) {
			*types = groups[i].types;
			return 0;
		}
	return -1;
}

static int
is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* Mark in sel[] what TERM selects; -1 with e on an unknown term. */
static int
term_mark(const char *term, const struct table *t, const char *exclude,
    unsigned char *mark, struct err *e)
{
	size_t i;
	unsigned types;
	long k;

	if (term[0] == '@') {
		if (group_types(term + 1, &types) != 0) {
			const char *cands[sizeof groups / sizeof groups[0] + 1];
			const char *sug;

			for (i = 0; i < sizeof groups / sizeof groups[0]; i++)
				cands[i] = groups[i].name;
			cands[i] = NULL;
			sug = suggest(term + 1, cands);
			if (sug)
				return err_set(e, ERR_SPEC, "unknown column "
				    "group '%s' (did you mean '@%s'?)", term,
				    sug);
			return err_set(e, ERR_SPEC, "unknown column group "
			    "'%s' (groups: @numeric, @integer, @float, "
			    "@boolean, @categorical, @text, @string, @date, "
			    "@datetime, @all)", term);
		}
		for (i = 0; i < t->ncols; i++)
			if ((types >> t->cols[i]->type & 1u) &&
			    (exclude == NULL ||
			    strcmp(t->cols[i]->name, exclude) != 0))
				mark[i] = 1;
		return 0;
	}
	if (is_glob(term)) {
		for (i = 0; i < t->ncols; i++)
			if (fnmatch(term, t->cols[i]->name, 0) == 0 &&
			    (exclude == NULL ||
			    strcmp(t->cols[i]->name, exclude) != 0))
				mark[i] = 1;
		return 0;
	}
	k = table_find(t, term);
	if (k < 0) {
		const char **cands = xmalloc((t->ncols + 1) * sizeof *cands);
		const char *sug;

		for (i = 0; i < t->ncols; i++)
			cands[i] = t->cols[i]->name;
		cands[t->ncols] = NULL;
		sug = suggest(term, cands);
		if (sug)
			err_set(e, ERR_SPEC, "no column '%s' (did you mean "
			    "'%s'?)", term, sug);
		else
			err_set(e, ERR_SPEC, "no column '%s'", term);
		free(cands);
		return -1;
	}
	mark[k] = 1;
	return 0;
}

int
select_resolve(const char *sel, const struct table *t, const char *exclude,
    char ***names, size_t *n, struct err *e)
{
	unsigned char *mark = xcalloc(t->ncols ? t->ncols : 1, 1);
	unsigned char *tmp = xcalloc(t->ncols ? t->ncols : 1, 1);
	const char *p = sel;
	size_t i, k;
	int first = 1, rc = -1;

	*names = NULL;
	*n = 0;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char *term = xstrndup(p, len);
		int neg = term[0] == '!';

		if (term[neg] == '\0') {
			err_set(e, ERR_SPEC, "empty term in column selector "
			    "'%s'", sel);
			free(term);
			goto out;
		}
		if (neg && first)
			for (i = 0; i < t->ncols; i++)
				mark[i] = exclude == NULL ||
				    strcmp(t->cols[i]->name, exclude) != 0;
		memset(tmp, 0, t->ncols ? t->ncols : 1);
		if (term_mark(term + neg, t, neg ? NULL : exclude, tmp, e)
		    != 0) {
			free(term);
			goto out;
		}
		for (i = 0; i < t->ncols; i++)
			if (tmp[i])
				mark[i] = !neg;
		free(term);
		first = 0;
		p += len;
		if (*p == ',')
			p++;
	}
	for (i = 0, k = 0; i < t->ncols; i++)
		k += mark[i];
	*names = xmalloc((k ? k : 1) * sizeof **names);
	for (i = 0; i < t->ncols; i++)
		if (mark[i])
			(*names)[(*n)++] = xstrdup(t->cols[i]->name);
	rc = 0;
out:
	free(mark);
	free(tmp);
	return rc;
}

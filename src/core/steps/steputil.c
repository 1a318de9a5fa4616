/*
 * steputil.c - helpers shared by the step implementations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/select.h"
#include "core/steps/steputil.h"
#include "core/xmalloc.h"

int
step_columns(const struct step *s, const char *param, const struct table *t,
    char ***names, size_t *n, struct err *e)
{
	if (select_resolve(params_str(&s->params, param), t, s->target,
	    names, n, e) != 0) {
		e->col = params_get(&s->params, param)->col;
		return -1;
	}
	return 0;
}

long
step_col(const struct table *t, const char *name, struct err *e)
{
	long k = table_find(t, name);

	if (k < 0)
		err_set(e, ERR_DATA, "column '%s' (present when the step was "
		    "fitted) is not in the data", name);
	return k;
}

long
step_numcol(const struct table *t, const char *name, struct err *e)
{
	long k = step_col(t, name, e);

	if (k >= 0 && !coltype_is_numeric_storage(t->cols[k]->type)) {
		err_set(e, ERR_DATA, "column '%s' is %s, not numeric (encode "
		    "it first, e.g. with onehot or ordinal)", name,
		    coltype_name(t->cols[k]->type));
		return -1;
	}
	return k;
}

char *
step_fresh_name(const struct table *t, const char *base)
{
	char *name = xstrdup(base);
	int i;

	for (i = 2; table_find(t, name) >= 0; i++) {
		free(name);
		name = xasprintf("%s_%d", base, i);
	}
	return name;
}

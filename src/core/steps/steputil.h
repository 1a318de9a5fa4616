/*
 * steputil.h - what step implementations share: resolving a selector
 * parameter, finding frozen columns at apply time, and saving/loading a
 * list of column names.  Not a step itself.
 */
#ifndef LATHE_STEPUTIL_H
#define LATHE_STEPUTIL_H

#include "core/step.h"

/*
 * Resolve the PT_COLS parameter PARAM of s against t (the target is
 * excluded from groups and globs).  *names owned by the caller.
 */
int	step_columns(const struct step *, const char *param,
	    const struct table *, char ***names, size_t *n, struct err *);
/*
 * Index of column NAME in t at apply time; -1 with ERR_DATA "column 'x'
 * (present when the step was fitted) is not in the data".
 */
long	step_col(const struct table *, const char *name, struct err *);
/* Same, and the column must be stored as numbers. */
long	step_numcol(const struct table *, const char *name, struct err *);
/*
 * Parse the PT_EXPR parameter PARAM; an error names the step and the
 * character, and points e->col at the parameter.
 */
struct expr;
int	step_expr_parse(const struct step *, const char *param,
	    struct expr **, struct err *);
/* Rewrite an expr.c error to name the parameter and point at it. */
void	step_expr_error(const struct step *, const char *param, struct err *);
/*
 * A cell's value as category text, appended to sb (numbers in shortest
 * form, -0 as 0); 0 when missing.  Shared by onehot and ordinal.
 */
int	step_cell_text(const struct column *, size_t row, struct strbuf *);
/*
 * Append row r's key over cols to sb: equal keys for equal rows (missing
 * equals missing, -0 equals 0).  Shared by dedupe and sample.
 */
void	step_row_key(struct column *const *cols, size_t n, size_t r,
	    struct strbuf *);
/* Same, and not a date or datetime (steps that compute on numbers). */
long	step_number_col(const struct table *, const char *name, struct err *);
/* A new name not yet in t: base, else base_2, base_3, ... (owned). */
char	*step_fresh_name(const struct table *, const char *base);

#endif

/*
 * expr.h - row expressions for `filter` and `derive`: SQLite's expression
 * syntax (so that a later SQL export emits it unchanged), evaluated over
 * whole columns at a time.
 *
 * Grammar (precedence low to high):
 *	OR; AND; NOT; = == != <> ; < <= > >= ; IS [NOT] NULL, IS [NOT],
 *	[NOT] BETWEEN x AND y, [NOT] IN (list), [NOT] LIKE; || (concat);
 *	+ -; * / %; unary - +; primary
 * primary: number, 'string' ('' escapes a quote), column name (bare
 *	identifier or "quoted" or [bracketed] or `backticked`), NULL, TRUE,
 *	FALSE, function call, ( expr ), CASE [x] WHEN .. THEN .. [ELSE ..] END,
 *	CAST(x AS type).
 * Functions: abs, round(x[,n]), floor, ceil, sqrt, exp, ln, log(x) (base
 *	10, as SQLite's), log(b,x), pow/power, min(a,b,..), max(a,b,..),
 *	coalesce, ifnull, nullif, iif(c,a,b), length, lower, upper, trim,
 *	ltrim, rtrim, substr(s,start[,len]), replace, instr, sign.
 *
 * Values are SQL-like: NULL (a missing value) propagates through
 * arithmetic and comparisons; filter keeps rows whose condition is true
 * (not NULL, not false).  Numbers are doubles; text is UTF-8; booleans
 * are 0/1; dates are their day or second numbers.  Division by zero is
 * NULL (as SQLite).
 */
#ifndef LATHE_EXPR_H
#define LATHE_EXPR_H

#include <stddef.h>

#include "core/err.h"
#include "core/table.h"

struct expr;

/* What an expression yields. */
enum expr_type {
	EXPR_NUM,		/* doubles (NaN: NULL) */
	EXPR_STR,		/* strings (NULL pointer: NULL) */
	EXPR_BOOL,		/* doubles 0/1 (NaN: NULL) */
};

/*
 * Parse src.  Errors are ERR_SPEC "COL: message" where COL is the 1-based
 * byte offset of the offending character in src (callers add the file
 * and line and the spec column where src starts), plus the token.
 */
struct expr	*expr_parse(const char *src, struct err *);
void		 expr_free(struct expr *);
/* Canonical text (parse -> write -> parse is stable). */
void		 expr_write(const struct expr *, struct strbuf *);
/*
 * Resolve column names against t's schema and type-check: an unknown
 * column is an error naming it (with a suggestion).  Must succeed before
 * eval; may be called again on another table with the same schema.
 */
int		 expr_bind(struct expr *, const struct table *, struct err *);
enum expr_type	 expr_result_type(const struct expr *);
/* Column names the expression reads (borrowed, NULL-terminated). */
const char *const *expr_columns(const struct expr *);

/*
 * Evaluate over every row of t (bound before).  Returns a new column of
 * t->nrows named NAME: COL_FLOAT for numbers, COL_BOOL for booleans,
 * COL_TEXT for strings.  NULL with e filled on a run-time error.
 */
struct column	*expr_eval(struct expr *, const struct table *,
		    const char *name, struct err *);

#endif

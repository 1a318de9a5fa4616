/*
 * infer.h - type inference shared by the loaders: what one field looks
 * like, which column type a set of field kinds makes, and when a string
 * column is free text rather than categorical.
 */
#ifndef LATHE_INFER_H
#define LATHE_INFER_H

#include <stddef.h>
#include <stdint.h>

#include "core/table.h"

/* What a non-missing field looked like (bits, so kinds can be OR-ed). */
enum fkind {
	FK_INT = 1 << 0,
	FK_FLOAT = 1 << 1,
	FK_BOOL = 1 << 2,
	FK_DATE = 1 << 3,
	FK_DATETIME = 1 << 4,
	FK_STRING = 1 << 5,
};

/* A string column with more distinct values than this, and more than
 * half its values distinct, is text. */
#define INFER_TEXT_MIN_DISTINCT 50

/*
 * Classify s[0..n); *v gets the value of numbers, booleans (1/0), dates
 * (days since the epoch) and datetimes (seconds since the epoch).
 */
enum fkind	 infer_classify(const char *s, size_t n, double *v);
/* true/false in lower, upper or title case. */
int		 infer_bool(const char *s, size_t n, double *v);
/* Can a column whose fields were of kinds SEEN be stored as doubles? */
int		 infer_kinds_numeric(unsigned seen);
/* The type of a numeric-storage column from the kinds it held. */
enum coltype	 infer_numeric_type(unsigned seen);
/* Offset of the first byte that breaks UTF-8 in s[0..n), or -1. */
long		 infer_utf8_bad(const unsigned char *s, size_t n);
/*
 * Make a CAT or TEXT column from codes into d (both taken over).  forced
 * is -1 or COL_CAT / COL_TEXT.
 */
struct column	*infer_string_column(const char *name, int32_t *codes,
		    struct dict *d, size_t nrows, int forced);

#endif

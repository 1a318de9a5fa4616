/*
 * numparse.h - exact, fast parsing of numbers and ISO 8601 dates from
 * byte ranges (not NUL-terminated).
 */
#ifndef LATHE_NUMPARSE_H
#define LATHE_NUMPARSE_H

#include <stddef.h>

/*
 * Parse s[0..n) as a decimal number of the form
 *	^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$
 * and nothing else (no spaces, no hex, no inf/nan).  On success stores
 * the correctly rounded double, bit-identical to strtod's, in *out, sets
 * *is_int to 1 when the text has neither '.' nor an exponent, and
 * returns 1.  Returns 0 when the text is not such a number.
 */
int	numparse(const char *s, size_t n, double *out, int *is_int);

/*
 * Parse an ISO 8601 date "YYYY-MM-DD" (returns 1, *out = days since
 * 1970-01-01) or datetime "YYYY-MM-DD[T ]HH:MM[:SS[.frac]][Z|+HH:MM|-HH:MM]"
 * (returns 2, *out = seconds since 1970-01-01T00:00:00Z, offsets applied).
 * Returns 0 when the text is neither or the date is not a real one.
 */
int	dateparse(const char *s, size_t n, double *out);

#endif

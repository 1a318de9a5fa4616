/*
 * csvwrite.h - writing a table as CSV (RFC 4180): a header row, then one
 * line per row; numbers in their shortest round-trip form, dates in ISO
 * 8601, booleans true/false, a missing value as an empty field; a field
 * is quoted only when it holds the delimiter, a quote, a line break, or
 * leading or trailing blanks.
 */
#ifndef LATHE_CSVWRITE_H
#define LATHE_CSVWRITE_H

#include <stdio.h>

#include "core/err.h"
#include "core/table.h"

/* Append rows [from, to) of t to sb (no header). */
void	csvwrite_rows(const struct table *, size_t from, size_t to,
	    struct strbuf *);
/* Append the header line. */
void	csvwrite_header(const struct table *, struct strbuf *);
/* Append one field, quoted when needed. */
void	csvwrite_field(struct strbuf *, const char *, size_t);
/*
 * Write the whole table to f in blocks; -1 with ERR_IO (naming NAME) on
 * a write error.
 */
int	csvwrite_file(const struct table *, FILE *, const char *name,
	    int header, struct err *);

#endif

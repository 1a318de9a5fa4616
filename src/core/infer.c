/*
 * infer.c - field classification and column typing, shared by csvload.c
 * and sqlload.c so that a CSV file and a SQLite table holding the same
 * text get the same types.
 */
#include <stdlib.h>
#include <string.h>

#include "core/infer.h"
#include "core/numparse.h"
#include "core/xmalloc.h"

int
infer_bool(const char *s, size_t n, double *v)
{
	if (n == 4 && (memcmp(s, "true", 4) == 0 || memcmp(s, "TRUE", 4) == 0
	    || memcmp(s, "True", 4) == 0)) {
		*v = 1;
		return 1;
	}
	if (n == 5 && (memcmp(s, "false", 5) == 0 ||
	    memcmp(s, "FALSE", 5) == 0 || memcmp(s, "False", 5) == 0)) {
		*v = 0;
		return 1;
	}
	return 0;
}

enum fkind
infer_classify(const char *s, size_t n, double *v)
{
	int is_int, k;

	if (numparse(s, n, v, &is_int))
		return is_int ? FK_INT : FK_FLOAT;
	if (infer_bool(s, n, v))
		return FK_BOOL;
	if (n >= 10 && s[4] == '-' && (k = dateparse(s, n, v)) != 0)
		return k == 1 ? FK_DATE : FK_DATETIME;
	return FK_STRING;
}

int
infer_kinds_numeric(unsigned seen)
{
	if (seen & FK_STRING)
		return 0;
	if ((seen & FK_BOOL) && (seen & ~(unsigned)FK_BOOL))
		return 0;
	if ((seen & (FK_DATE | FK_DATETIME)) && (seen & (FK_INT | FK_FLOAT)))
		return 0;
	return 1;
}

enum coltype
infer_numeric_type(unsigned seen)
{
	if (seen == FK_BOOL)
		return COL_BOOL;
	if (seen & FK_DATETIME)
		return COL_DATETIME;
	if (seen & FK_DATE)
		return COL_DATE;
	if (seen == FK_INT)
		return COL_INT;
	return COL_FLOAT;
}

long
infer_utf8_bad(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t len, k;
		unsigned cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else
			return (long)i;
		if (i + len > n)
			return (long)i;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return (long)i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 &&
		    cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 ||
		    cp > 0x10ffff)))
			return (long)i;
		i += len;
	}
	return -1;
}

struct column *
infer_string_column(const char *name, int32_t *codes, struct dict *d,
    size_t nrows, int forced)
{
	struct column *col;
	size_t i, present = 0;

	for (i = 0; i < nrows; i++)
		present += codes[i] >= 0;
	col = xcalloc(1, sizeof *col);
	col->name = xstrdup(name);
	if (forced == COL_TEXT || (forced != COL_CAT &&
	    d->n > INFER_TEXT_MIN_DISTINCT && d->n * 2 > present)) {
		/* The dictionary's pool becomes the arena: no copy. */
		col->type = COL_TEXT;
		col->off = xreallocarray(NULL, nrows ? nrows : 1,
		    sizeof *col->off);
		for (i = 0; i < nrows; i++)
			col->off[i] = codes[i] < 0 ? TEXT_MISSING :
			    d->off[codes[i]];
		col->arena = d->pool;
		col->arena_len = d->pool_len;
		d->pool = NULL;
		dict_free(d);
		free(codes);
		return col;
	}
	col->type = COL_CAT;
	col->codes = codes;
	col->dict = d;
	return col;
}

/*
 * table.h - the in-memory columnar table.
 *
 * Storage by column type:
 *   COL_INT, COL_FLOAT, COL_BOOL  doubles in num[] (bool: 0 or 1)
 *   COL_DATE                      doubles in num[]: days since 1970-01-01
 *   COL_DATETIME                  doubles in num[]: seconds since
 *                                 1970-01-01T00:00:00Z (fraction kept)
 *   COL_CAT                       int32 codes[] into a dictionary (dict)
 *   COL_TEXT                      uint64 off[] into one arena of
 *                                 NUL-terminated strings
 * Missing is NaN in num[], -1 in codes[], TEXT_MISSING in off[].  A NaN
 * read from data is a missing value: the two are never told apart.
 *
 * A table owns its columns; a column owns its arrays and dictionary.
 * Row and column counts are size_t: limited only by memory.
 */
#ifndef LATHE_TABLE_H
#define LATHE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"

enum coltype {
	COL_INT,
	COL_FLOAT,
	COL_BOOL,
	COL_CAT,
	COL_TEXT,
	COL_DATE,
	COL_DATETIME,
	COL__COUNT
};

#define TEXT_MISSING UINT64_MAX

/*
 * A string dictionary: strings interned once, addressed by a dense code.
 * Strings live in one pool; lookups go through an open-addressing hash
 * whose slots carry 32 bits of the hash, so a probe that does not match
 * never touches the pool (most of a lookup's cost is cache misses).
 */
struct dict_slot {
	int32_t		 code;		/* -1: empty */
	uint32_t	 tag;		/* high 32 bits of the hash */
};

struct dict {
	char		*pool;		/* NUL-terminated strings, back to back */
	size_t		 pool_len, pool_cap;
	uint64_t	*off;		/* code -> offset into pool */
	uint32_t	*len;		/* code -> length */
	size_t		 n, cap;	/* codes in use, allocated */
	struct dict_slot *slots;	/* open addressing, linear probing */
	uint64_t	*hashes;	/* code -> hash (for rehash) */
	size_t		 nslots;
};

/*
 * The shared source of indicator columns (one-hot output): for every row
 * the index of the one indicator that is 1 there, or -1 for none.  Each
 * indicator column refers to it with its own index, so k indicator
 * columns over n rows cost 4n bytes, not 8kn.
 */
struct indsrc {
	size_t		 refs;
	int32_t		*idx;
};

struct column {
	char		*name;
	enum coltype	 type;
	double		*num;		/* numeric types (NULL for an indicator
					 * column until materialized) */
	struct indsrc	*ind;		/* an indicator column: COL_FLOAT, 1
					 * where ind->idx[r] == ind_code, else
					 * 0, never missing */
	int32_t		 ind_code;
	int32_t		*codes;		/* COL_CAT */
	struct dict	*dict;		/* COL_CAT */
	uint64_t	*off;		/* COL_TEXT */
	char		*arena;		/* COL_TEXT */
	size_t		 arena_len;
};

struct table {
	size_t		 nrows;
	size_t		 ncols;
	size_t		 cap_cols;
	struct column	**cols;
};

/* Type names as printed and accepted by --type: "integer", "float", ... */
const char	*coltype_name(enum coltype);
int		 coltype_parse(const char *, enum coltype *);
/* Types stored in num[]. */
int		 coltype_is_numeric_storage(enum coltype);
/* Types that are numbers a model can use: INT, FLOAT, BOOL. */
int		 coltype_is_number(enum coltype);

struct dict	*dict_new(void);
void		 dict_free(struct dict *);
/* Intern s[0..n) and return its code; dict copies the bytes. */
int32_t		 dict_intern(struct dict *, const char *, size_t);
/* Code of s or -1. */
int32_t		 dict_find(const struct dict *, const char *, size_t);
/* Borrowed: valid until the dict changes. */
const char	*dict_str(const struct dict *, int32_t);
uint32_t	 dict_len(const struct dict *, int32_t);
uint64_t	 hash_bytes(const void *, size_t);

struct table	*table_new(void);
void		 table_free(struct table *);
/* Append a column; the table takes ownership. */
void		 table_add_column(struct table *, struct column *);
/* Index of the column named NAME or -1. */
long		 table_find(const struct table *, const char *);
/* Insert c at index i (0..ncols); the table takes ownership. */
void		 table_insert_column(struct table *, size_t i, struct column *);
/* Detach and return column i (the caller owns it). */
struct column	*table_take_column(struct table *, size_t i);
/* Free column i and close the gap. */
void		 table_drop_column(struct table *, size_t i);
/* Replace column i (freeing the old one). */
void		 table_replace_column(struct table *, size_t i, struct column *);
/*
 * Keep the rows whose keep[r] is non-zero, in order, in every column
 * (dictionaries and arenas are kept as they are).  Returns the new row
 * count.
 */
size_t		 table_filter_rows(struct table *, const unsigned char *keep);
/* Deep copy. */
struct table	*table_copy(const struct table *);
struct column	*column_copy(const struct column *, size_t nrows);
/*
 * The rows rows[0..n) of t, in that order, as a new table (indicator
 * columns come out as ordinary columns; dictionaries and text are
 * copied).
 */
struct table	*table_take_rows(const struct table *, const size_t *rows,
		    size_t n);
/* Rows [from, from + n) as a new table (deep copy). */
struct table	*table_slice(const struct table *, size_t from, size_t n);

/* A new indicator source over idx (taken over), with no references. */
struct indsrc	*indsrc_new(int32_t *idx);
/* An indicator column named NAME: 1 where src->idx[r] == code. */
struct column	*column_new_indicator(const char *name, struct indsrc *src,
		    int32_t code);
/*
 * Give an indicator column ordinary storage (num[]), so code that reads
 * num[] can use it.  No-op for other columns.  The pipeline does this
 * for every column before each step; the CSV writer and models read
 * indicator columns as they are.
 */
void		 column_materialize(struct column *, size_t nrows);
void		 table_materialize(struct table *);
/* The numeric value of row r of a numeric-storage column. */
static inline double
column_value(const struct column *c, size_t r)
{
	return c->ind != NULL ? (double)(c->ind->idx[r] == c->ind_code) :
	    c->num[r];
}

/* New column with NROWS rows, every value missing. */
struct column	*column_new(const char *name, enum coltype, size_t nrows);
void		 column_free(struct column *);
int		 column_is_missing(const struct column *, size_t row);
/*
 * Render row's value as text into sb (appended): numbers in shortest
 * round-trip form, dates in ISO 8601, strings as stored.  Missing appends
 * nothing and returns 0; otherwise returns 1.
 */
int		 column_format(const struct column *, size_t row,
		    struct strbuf *);
/* String value of a CAT or TEXT cell; NULL when missing.  Borrowed. */
const char	*column_str(const struct column *, size_t row);

/* Shortest decimal that round-trips to d ("%.17g" fallback). */
void		 fmt_double(char *buf, size_t size, double d);
/* ISO 8601 from days / seconds since the epoch. */
void		 fmt_date(char *buf, size_t size, double days);
void		 fmt_datetime(char *buf, size_t size, double secs);

/*
 * Content hash of a table (names, types and values in canonical form) as
 * 64 lowercase hex digits (SHA-256).  Independent of the source format.
 */
void		 table_hash(const struct table *, char out[65]);

#endif

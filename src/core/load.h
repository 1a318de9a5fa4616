/*
 * load.h - options shared by every loader, and the loaders' entry points.
 *
 * A DATA argument names a CSV file ("-" is stdin), a SQLite table
 * ("file.db:table", or a .db file with --table / --query), or a dataset
 * recorded in the workspace (source.c resolves which).
 */
#ifndef LATHE_LOAD_H
#define LATHE_LOAD_H

#include <stddef.h>

#include "core/err.h"
#include "core/table.h"

enum ragged_mode {
	RAGGED_ERROR,		/* a row with the wrong field count is an error */
	RAGGED_PAD,		/* pad short rows with missing, cut long ones */
	RAGGED_DROP,		/* skip rows with the wrong field count */
};

struct type_override {
	char		*column;
	enum coltype	 type;
};

struct load_opts {
	int		 delimiter;	/* 0: detect among , ; TAB | */
	int		 header;	/* -1: detect, 0: none, 1: first row */
	size_t		 sample_rows;	/* rows that seed type inference */
	char		**na;		/* missing-value tokens ("" always is) */
	size_t		 nna;
	struct type_override *types;
	size_t		 ntypes;
	enum ragged_mode ragged;
	int		 threads;	/* 0: one per core */
	const char	*table;		/* SQLite: table name */
	const char	*query;		/* SQLite: a SELECT */
	int		 libcsv_only;	/* tests: no plain-line shortcut */
	int		 types_optional; /* --type of an absent column: ignore */
	int		 allow_empty;	/* SQLite: a result of no rows is fine */
	char *const	*skip;		/* CSV: columns not to parse (they load
					 * as all-missing text); borrowed */
	size_t		 nskip;
	int		 on_bad;	/* a value not of its forced type:
					 * LOAD_BAD_FAIL, _SKIP (drop the row)
					 * or _NULL (make it missing) */
};

enum { LOAD_BAD_FAIL, LOAD_BAD_SKIP, LOAD_BAD_NULL };

/* What a load did besides producing the table. */
struct load_report {
	size_t		 ragged_rows;	/* rows padded, cut or dropped */
	size_t		 demoted;	/* columns re-read as text */
	size_t		 bad_values;	/* values not of their forced type,
					 * made missing (LOAD_BAD_NULL) */
	size_t		 bad_rows;	/* rows dropped for them (_SKIP) */
	int		 delimiter;	/* the delimiter used */
	int		 header;	/* whether a header row was used */
};

/* Default options: detection on, the default missing tokens. */
void		 load_opts_init(struct load_opts *);
/* Frees what load_opts_* functions allocated. */
void		 load_opts_release(struct load_opts *);
/* Replace the missing tokens with a comma-separated list. */
void		 load_opts_set_na(struct load_opts *, const char *);
/* Add "col=type"; -1 with a message on a bad spec. */
int		 load_opts_add_type(struct load_opts *, const char *,
		    struct err *);

/* Is s[0..n) a missing-value token under o? */
int		 load_is_na(const struct load_opts *, const char *, size_t);

/*
 * Load a CSV file (path "-" is standard input, spooled to a temporary
 * file).  NAME is what messages call the file.  Returns a new table or
 * NULL with e filled ("iris.csv:12:3: ..." style).  report may be NULL.
 */
struct table	*csvload_file(const char *path, const struct load_opts *,
		    struct load_report *, struct err *);

/* Load a table or query from an existing SQLite database file. */
struct table	*sqlload_file(const char *path, const struct load_opts *,
		    struct err *);
/*
 * A prepared statement's rows as a table (two passes: the statement is
 * reset in between; the caller finalizes it).  WHAT names the source in
 * messages, PATH the database file (may be NULL).
 */
struct sqlite3_stmt;
struct table	*sqlload_stmt(struct sqlite3_stmt *, const char *what,
		    const char *path, const struct load_opts *, struct err *);
/* Does the file start with the SQLite header? */
int		 sqlload_is_sqlite(const char *path);

#endif

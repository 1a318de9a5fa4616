/*
 * csvstream.h - reading CSV records from a stream as they arrive (a pipe,
 * a socket, a terminal), through libcsv, for `lathe predict -`: each
 * record is handed over as soon as its line end is read, so a pipeline
 * can sit in a streaming chain.  Also turns text records into a table of
 * a known schema (the fitted pipeline's), with a policy for values that
 * do not fit.
 */
#ifndef LATHE_CSVSTREAM_H
#define LATHE_CSVSTREAM_H

#include <stddef.h>

#include "core/err.h"
#include "core/load.h"
#include "core/table.h"

/* One record: fields (NUL-terminated copies) and where it started. */
struct csvrec {
	char		**f;
	size_t		*len;
	size_t		 n;
	size_t		 line;
};

/*
 * Read fd to its end, calling fn for every record (the first is the
 * header) as soon as it is complete; fn returns 0 to go on, -1 to stop
 * (with e filled).  delim 0 means ','.  NAME is used in messages.
 */
int	csvstream_run(int fd, int delim, const char *name,
	    int (*fn)(const struct csvrec *, void *), void *arg,
	    struct err *);

/* A schema to build rows into: names and types, in order. */
struct rowschema {
	char		**names;
	enum coltype	*types;
	size_t		 n;
	long		*map;		/* schema column -> record field, -1 */
	const struct load_opts *opts;	/* missing tokens, on_bad policy */
};

/*
 * Map the header record's names onto the schema: a schema column that
 * is not in the header is an error naming it unless optional (the
 * pipeline's target, whose name is given).
 */
int	rowschema_map(struct rowschema *, const struct csvrec *header,
	    const char *optional, struct err *);
/*
 * Append the record as a row of t (created with the schema's columns
 * when *t is NULL).  A value that does not fit its column's type follows
 * opts->on_bad: fail (-1, a message naming the line and the column),
 * skip (returns 1 and appends nothing) or null (the value becomes
 * missing; *nbad is incremented).
 */
int	rowschema_append(struct rowschema *, struct table **t,
	    const struct csvrec *, size_t *nbad, struct err *);

#endif

/*
 * source.h - resolving a DATA argument to a table.
 *
 * DATA is, in this order: "-" (standard input, CSV); "FILE.db:TABLE"
 * when FILE.db is a SQLite database; an existing file (a SQLite database
 * with --table/--query, or CSV); otherwise the name of a dataset recorded
 * in the workspace.
 */
#ifndef LATHE_SOURCE_H
#define LATHE_SOURCE_H

#include "core/err.h"
#include "core/load.h"
#include "core/table.h"

struct workspace;

/*
 * Load DATA.  ws may be NULL (then dataset names are not looked up) or a
 * function that opens the workspace on demand is used by the caller.
 * *kind_out, when not NULL, gets "csv", "sqlite" or "dataset".
 */
struct table	*source_load(const char *data, const struct load_opts *,
		    struct workspace *ws, struct load_report *,
		    const char **kind_out, struct err *);



/* Would DATA be looked up as a workspace dataset (not a file)? */
int		 source_is_dataset_name(const char *data);

#endif

/*
 * workspace.h - the SQLite workspace: datasets now; pipelines and runs
 * later.
 *
 * One file (default $LATHE_WORKSPACE, else $XDG_DATA_HOME/lathe/
 * workspace.db, else ~/.local/share/lathe/workspace.db), WAL mode, a busy
 * timeout, and a schema versioned by PRAGMA user_version with forward
 * migrations applied on open.  Every write is one transaction, so a kill
 * leaves either the old or the new state.
 */
#ifndef LATHE_WORKSPACE_H
#define LATHE_WORKSPACE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/table.h"

struct sqlite3;
struct workspace;

/*
 * Schema 2 adds runs (one row per `lathe run` or workbench training:
 * spec text, data hash, model, evaluation, seed, seconds, version,
 * fitted path, the report as JSON) with run_metrics (per fold; fold -1
 * is the mean, with its std), drafts (the workbench's pipeline being
 * edited, saved as it changes) and history (command-line history).
 */
#define WORKSPACE_SCHEMA_VERSION 2

struct ws_dataset {
	int64_t		 id;
	char		*name;
	char		*source;	/* what was imported: path or db:table */
	char		*hash;		/* table_hash() of the content */
	char		*schema;	/* "name:type,..." */
	int64_t		 nrows;
	int64_t		 ncols;
	char		*created;	/* ISO 8601 UTC */
};

/*
 * The path the workspace would use given an explicit one (may be NULL).
 * Returns a new string.
 */
char		*workspace_path(const char *explicit_path);
/* Open (creating it and its directory if needed) and migrate. */
struct workspace *workspace_open(const char *path, struct err *);
void		 workspace_close(struct workspace *);
struct sqlite3	*workspace_db(struct workspace *);
const char	*workspace_file(const struct workspace *);

/*
 * Record a dataset and store its rows.  A name already in use is
 * replaced only when replace is set; otherwise it is an error.
 */
int		 workspace_import(struct workspace *, const char *name,
		    const char *source, const struct table *, int replace,
		    struct err *);
/* The table of a recorded dataset, with its recorded column types. */
struct table	*workspace_load(struct workspace *, const char *name,
		    struct err *);
/* 1 if a dataset of that name exists, 0 if not. */
int		 workspace_has(struct workspace *, const char *name);
/* All datasets, oldest first; free with ws_datasets_free. */
int		 workspace_datasets(struct workspace *, struct ws_dataset **,
		    size_t *, struct err *);
void		 ws_datasets_free(struct ws_dataset *, size_t);
/* Remove a dataset and its rows. */
int		 workspace_remove(struct workspace *, const char *name,
		    struct err *);

#endif

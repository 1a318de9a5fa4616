/*
 * source.c - from a DATA argument to a table: standard input, a CSV
 * file, a SQLite table or query, or a dataset recorded in the workspace.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/load.h"
#include "core/source.h"
#include "core/workspace.h"
#include "core/xmalloc.h"

static int
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

struct table *
source_load(const char *data, const struct load_opts *o,
    struct workspace *ws, struct load_report *rep, const char **kind,
    struct err *e)
{
	const char *colon;
	struct table *t;
	char *path;

	if (kind)
		*kind = "csv";
	if (strcmp(data, "-") == 0)
		return csvload_file(data, o, rep, e);

	/* FILE.db:TABLE, when FILE.db exists and is a SQLite database. */
	colon = strrchr(data, ':');
	if (colon != NULL && colon[1] != '\0' && !is_file(data)) {
		path = xstrndup(data, (size_t)(colon - data));
		if (is_file(path) && sqlload_is_sqlite(path)) {
			struct load_opts o2 = *o;

			o2.table = colon + 1;
			o2.query = NULL;
			if (kind)
				*kind = "sqlite";
			t = sqlload_file(path, &o2, e);
			free(path);
			return t;
		}
		free(path);
	}
	if (is_file(data) || strchr(data, '/') != NULL || ws == NULL) {
		if (is_file(data) && sqlload_is_sqlite(data)) {
			if (kind)
				*kind = "sqlite";
			return sqlload_file(data, o, e);
		}
		if (o->table || o->query) {
			err_set(e, ERR_USAGE, "--table and --query need a SQLite "
			    "database, and '%s' is not one", data);
			return NULL;
		}
		return csvload_file(data, o, rep, e);
	}
	/* A bare name that is not a file: a workspace dataset? */
	if (workspace_has(ws, data)) {
		if (kind)
			*kind = "dataset";
		return workspace_load(ws, data, e);
	}
	err_set(e, ERR_IO, "cannot open '%s': no such file, and no dataset of "
	    "that name in workspace '%s'", data, workspace_file(ws));
	return NULL;
}

int
source_is_dataset_name(const char *data)
{
	const char *colon;

	if (strcmp(data, "-") == 0 || strchr(data, '/') != NULL ||
	    is_file(data))
		return 0;
	colon = strrchr(data, ':');
	if (colon != NULL) {
		char *path = xstrndup(data, (size_t)(colon - data));
		int f = is_file(path);

		free(path);
		if (f)
			return 0;
	}
	return 1;
}

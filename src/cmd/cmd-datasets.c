/*
 * cmd-datasets.c - `lathe datasets`: the datasets recorded in the
 * workspace; `lathe datasets rm NAME` forgets one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/workspace.h"

static int cmd_datasets(int, char **, struct globals *);

const struct cmd cmd_datasets_entry = {
	.name = "datasets",
	.args = "[--json] [rm NAME]",
	.summary = "list the datasets in the workspace (or remove one)",
	.help =
"List the datasets recorded in the workspace: name, rows, columns, the\n"
"first 12 hex digits of the content hash, when it was imported and from\n"
"where.  'lathe datasets rm NAME' removes a dataset and its stored rows.\n"
"\n"
"Options:\n"
"      --json          print JSON, with the full hash and the schema\n"
"  -w, --workspace F   the workspace (default: $LATHE_WORKSPACE, else\n"
"                      ~/.local/share/lathe/workspace.db)\n",
	.exec = cmd_datasets,
};

static int
cmd_datasets(int argc, char **argv, struct globals *g)
{
	const struct cmd *self = &cmd_datasets_entry;
	struct workspace *ws;
	struct ws_dataset *ds = NULL;
	struct err e;
	const char *rm = NULL;
	char *path;
	size_t n = 0, k;
	int i, json = 0, rc = 0;

	err_clear(&e);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)
			return cmd_help(self);
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "-w") == 0 ||
		    strcmp(argv[i], "--workspace") == 0) {
			if (i + 1 >= argc)
				return cmd_usage(self, "option '%s' needs a "
				    "value", argv[i]);
			g->workspace = argv[++i];
		} else if (strcmp(argv[i], "rm") == 0 && i + 1 < argc &&
		    rm == NULL)
			rm = argv[++i];
		else
			return cmd_usage(self, "unexpected argument '%s'",
			    argv[i]);
	}
	path = workspace_path(g->workspace);
	ws = workspace_open(path, &e);
	free(path);
	if (ws == NULL)
		return cmd_error(&e);
	if (rm != NULL) {
		if (workspace_remove(ws, rm, &e) != 0)
			rc = cmd_error(&e);
		else if (!g->quiet)
			fprintf(stderr, "lathe: removed dataset '%s'\n", rm);
		workspace_close(ws);
		return rc;
	}
	if (workspace_datasets(ws, &ds, &n, &e) != 0) {
		workspace_close(ws);
		return cmd_error(&e);
	}
	if (json) {
		printf("[");
		for (k = 0; k < n; k++)
			printf("%s\n  {\"name\": \"%s\", \"rows\": %lld, "
			    "\"columns\": %lld, \"hash\": \"%s\", "
			    "\"created\": \"%s\"}", k ? "," : "", ds[k].name,
			    (long long)ds[k].nrows, (long long)ds[k].ncols,
			    ds[k].hash, ds[k].created);
		printf("%s]\n", n ? "\n" : "");
	} else if (n == 0)
		printf("no datasets in %s (add one with 'lathe import DATA')\n",
		    workspace_file(ws));
	else {
		size_t wn = 4, ws_ = 6;

		for (k = 0; k < n; k++) {
			if (strlen(ds[k].name) > wn)
				wn = strlen(ds[k].name);
		}
		(void)ws_;
		printf("%-*s  %10s  %7s  %-12s  %-20s  %s\n", (int)wn, "name",
		    "rows", "columns", "hash", "imported", "source");
		for (k = 0; k < n; k++)
			printf("%-*s  %10lld  %7lld  %.12s  %-20s  %s\n",
			    (int)wn, ds[k].name, (long long)ds[k].nrows,
			    (long long)ds[k].ncols, ds[k].hash, ds[k].created,
			    ds[k].source);
	}
	ws_datasets_free(ds, n);
	workspace_close(ws);
	return rc;
}

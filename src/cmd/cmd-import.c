/*
 * cmd-import.c - `lathe import DATA [--name N]`: load DATA, record it in
 * the workspace (source, content hash, schema, rows) and store its raw
 * rows there, so later pipelines can rerun from the raw data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/workspace.h"
#include "core/xmalloc.h"

static int cmd_import(int, char **, struct globals *);

const struct cmd cmd_import_entry = {
	.name = "import",
	.args = "[options] DATA [--name NAME] [--replace]",
	.summary = "store DATA in the workspace as a named dataset",
	.help =
"Load DATA, record it in the workspace (its source, content hash, schema\n"
"and row count) and store its rows there.  Afterwards NAME can be given\n"
"wherever DATA is expected.\n"
"\n"
"Options:\n"
"  -n, --name NAME     the dataset's name (default: the file name without\n"
"                      directory and extension, or the SQLite table name)\n"
"      --replace       replace a dataset of the same name\n"
"  -w, --workspace F   the workspace (default: $LATHE_WORKSPACE, else\n"
"                      ~/.local/share/lathe/workspace.db)\n",
	.exec = cmd_import,
};

/* "dir/iris.csv" -> "iris"; "x.db:flowers" -> "flowers" */
static char *
default_name(const char *data)
{
	const char *s = strrchr(data, '/'), *colon, *dot;

	s = s ? s + 1 : data;
	colon = strrchr(s, ':');
	if (colon != NULL && colon[1] != '\0')
		return xstrdup(colon + 1);
	dot = strrchr(s, '.');
	if (dot != NULL && dot > s)
		return xstrndup(s, (size_t)(dot - s));
	return xstrdup(s);
}

static int
cmd_import(int argc, char **argv, struct globals *g)
{
	const struct cmd *self = &cmd_import_entry;
	struct load_opts o;
	struct workspace *ws;
	struct table *t;
	struct err e;
	const char *data = NULL, *name = NULL, *kind;
	char *path, *dname, hash[65];
	int i, r, replace = 0, rc = 0;

	load_opts_init(&o);
	err_clear(&e);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			load_opts_release(&o);
			cmd_help(self);
			printf("\n%s", cmd_load_options_help);
			return 0;
		}
		if (strcmp(a, "--replace") == 0) {
			replace = 1;
			continue;
		}
		if (strcmp(a, "-n") == 0 || strcmp(a, "--name") == 0 ||
		    strcmp(a, "-w") == 0 || strcmp(a, "--workspace") == 0) {
			if (i + 1 >= argc) {
				load_opts_release(&o);
				return cmd_usage(self, "option '%s' needs a "
				    "value", a);
			}
			if (a[1] == 'n' || a[2] == 'n')
				name = argv[++i];
			else
				g->workspace = argv[++i];
			continue;
		}
		r = cmd_load_option(argc, argv, &i, &o, &e);
		if (r < 0) {
			load_opts_release(&o);
			return cmd_usage(self, "%s", e.msg);
		}
		if (r > 0)
			continue;
		if ((a[0] == '-' && a[1] != '\0') || data != NULL) {
			load_opts_release(&o);
			return cmd_usage(self, data ? "one DATA only" :
			    "unknown option '%s'", a);
		}
		data = a;
	}
	if (data == NULL) {
		load_opts_release(&o);
		return cmd_usage(self, "no DATA given");
	}
	t = cmd_load_data(data, &o, g, &kind, &e);
	load_opts_release(&o);
	if (t == NULL)
		return cmd_error(&e);
	dname = name ? xstrdup(name) : default_name(strcmp(data, "-") == 0 ?
	    "stdin" : data);
	path = workspace_path(g->workspace);
	ws = workspace_open(path, &e);
	if (ws == NULL)
		rc = cmd_error(&e);
	else if (workspace_import(ws, dname, strcmp(data, "-") == 0 ?
	    "<stdin>" : data, t, replace, &e) != 0)
		rc = cmd_error(&e);
	else {
		table_hash(t, hash);
		printf("imported '%s': %zu rows, %zu columns, hash %.12s, into "
		    "%s\n", dname, t->nrows, t->ncols, hash, path);
	}
	workspace_close(ws);
	free(path);
	free(dname);
	table_free(t);
	return rc;
}

/*
 * main.c - lathe's entry point: global options, then the verb.  No verb,
 * or DATA where the verb would be (a file, file.db:table, a workspace
 * dataset, or '-'), opens the workbench (src/tui) when standard output
 * is a terminal.
 *
 * Only main() decides the exit status; commands return it.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

#include "cmd/cmd.h"
#include "core/workspace.h"
#include "core/xmalloc.h"
#include "tui/tui.h"

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f,
"usage: lathe [--workspace FILE] [-q] COMMAND [ARGS]\n"
"       lathe [--workspace FILE] [DATA]    (the workbench, on a terminal)\n"
"       lathe --version | --help\n"
"\n"
"lathe is a terminal workbench for machine-learning pipelines.\n"
"\n"
"Commands:\n");
	for (i = 0; cmd_table[i] != NULL; i++)
		fprintf(f, "  %-10s %s\n", cmd_table[i]->name,
		    cmd_table[i]->summary);
	fprintf(f,
"\n"
"Global options:\n"
"  -w, --workspace FILE  the workspace database (default: $LATHE_WORKSPACE,\n"
"                        else ~/.local/share/lathe/workspace.db)\n"
"  -q, --quiet           no notes on standard error, only errors\n"
"  -h, --help            this help; 'lathe COMMAND --help' for a command\n"
"  -V, --version         print the version\n"
"\n"
"Exit status: 0 success, 1 failure, 2 usage error, 3 bad data,\n"
"4 bad pipeline spec, 5 I/O error.  See lathe(1).\n");
}

/* Would the workbench open ARG as data (it is not a command)? */
static int
is_data(const char *arg, const struct globals *g)
{
	struct workspace *ws;
	struct stat st;
	struct err e;
	const char *colon;
	char *path;
	int has = 0;

	if (strcmp(arg, "-") == 0)
		return 1;
	if (stat(arg, &st) == 0)
		return !S_ISDIR(st.st_mode);
	colon = strrchr(arg, ':');
	if (colon != NULL && colon != arg) {
		path = xstrndup(arg, (size_t)(colon - arg));
		has = stat(path, &st) == 0 && S_ISREG(st.st_mode);
		free(path);
		if (has)
			return 1;
	}
	if (strchr(arg, '/') != NULL)
		return 0;
	/* a dataset name, when there is a workspace to hold it */
	path = workspace_path(g->workspace);
	if (stat(path, &st) == 0) {
		err_clear(&e);
		if ((ws = workspace_open(path, &e)) != NULL) {
			has = workspace_has(ws, arg) == 1;
			workspace_close(ws);
		}
	}
	free(path);
	return has;
}

static int
workbench(const char *data, struct globals *g)
{
	if (!isatty(STDOUT_FILENO)) {
		fprintf(stderr, "lathe: the workbench needs a terminal; use "
		    "the headless commands (lathe --help)\n");
		if (data == NULL)
			usage(stderr);
		return cmd_status(ERR_USAGE);
	}
	return tui_main(data, g);
}

int
main(int argc, char **argv)
{
	struct globals g;
	const struct cmd *c;
	struct err e;
	int i;

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	memset(&g, 0, sizeof g);
	err_clear(&e);
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0';
	    i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			printf("lathe %s\n", PACKAGE_VERSION);
			return 0;
		}
		if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			g.quiet = 1;
			continue;
		}
		if (strcmp(a, "-w") == 0 || strcmp(a, "--workspace") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "lathe: option '%s' needs a "
				    "value\n", a);
				return cmd_status(ERR_USAGE);
			}
			g.workspace = argv[++i];
			continue;
		}
		if (strncmp(a, "--workspace=", 12) == 0) {
			g.workspace = a + 12;
			continue;
		}
		fprintf(stderr, "lathe: unknown option '%s'\n", a);
		usage(stderr);
		return cmd_status(ERR_USAGE);
	}
	if (i >= argc)
		return workbench(NULL, &g);
	c = cmd_find(argv[i], &e);
	if (c == NULL && is_data(argv[i], &g)) {
		if (i + 1 < argc) {
			fprintf(stderr, "lathe: unexpected argument '%s' after "
			    "DATA\n", argv[i + 1]);
			usage(stderr);
			return cmd_status(ERR_USAGE);
		}
		return workbench(argv[i], &g);
	}
	if (c == NULL)
		return cmd_error(&e);
	return c->exec(argc - i, argv + i, &g);
}

/*
 * main.c - lathe's entry point: global options, then the verb.
 *
 * Only main() decides the exit status; commands return it.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#include "cmd/cmd.h"

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f,
"usage: lathe [--workspace FILE] [-q] COMMAND [ARGS]\n"
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
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
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
	if (i >= argc) {
		usage(stderr);
		return cmd_status(ERR_USAGE);
	}
	c = cmd_find(argv[i], &e);
	if (c == NULL)
		return cmd_error(&e);
	return c->exec(argc - i, argv + i, &g);
}

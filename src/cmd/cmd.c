/*
 * cmd.c - the table of headless commands, their lookup, and what every
 * command shares: error printing, exit statuses, and the DATA loading
 * options.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/source.h"
#include "core/workspace.h"
#include "core/xmalloc.h"

extern const struct cmd cmd_datasets_entry;
extern const struct cmd cmd_import_entry;
extern const struct cmd cmd_inspect_entry;
extern const struct cmd cmd_run_entry;
extern const struct cmd cmd_apply_entry;
extern const struct cmd cmd_predict_entry;
extern const struct cmd cmd_steps_entry;
extern const struct cmd cmd_models_entry;
extern const struct cmd cmd_runs_entry;

const struct cmd *const cmd_table[] = {
	&cmd_inspect_entry,
	&cmd_run_entry,
	&cmd_apply_entry,
	&cmd_predict_entry,
	&cmd_steps_entry,
	&cmd_models_entry,
	&cmd_runs_entry,
	&cmd_import_entry,
	&cmd_datasets_entry,
	NULL
};

const struct cmd *
cmd_find(const char *name, struct err *e)
{
	const struct cmd *found = NULL;
	size_t i, n = strlen(name), matches = 0;
	char list[256] = "";

	for (i = 0; cmd_table[i] != NULL; i++) {
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
		if (n > 0 && strncmp(cmd_table[i]->name, name, n) == 0) {
			found = cmd_table[i];
			if (matches++)
				strncat(list, ", ", sizeof list - strlen(list) - 1);
			strncat(list, cmd_table[i]->name,
			    sizeof list - strlen(list) - 1);
		}
	}
	if (matches == 1)
		return found;
	if (matches > 1)
		err_set(e, ERR_USAGE, "ambiguous command '%s': %s", name, list);
	else
		err_set(e, ERR_USAGE, "unknown command '%s' (see 'lathe "
		    "--help')", name);
	return NULL;
}

int
cmd_status(enum err_code code)
{
	switch (code) {
	case ERR_OK:
		return 0;
	case ERR_USAGE:
		return 2;
	case ERR_DATA:
		return 3;
	case ERR_SPEC:
		return 4;
	case ERR_IO:
		return 5;
	default:
		return 1;
	}
}

int
cmd_error(const struct err *e)
{
	fprintf(stderr, "lathe: %s\n", e->msg);
	return cmd_status(e->code == ERR_OK ? ERR_FAIL : e->code);
}

int
cmd_usage(const struct cmd *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "lathe %s: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: lathe %s %s\n(see 'lathe %s --help')\n",
	    c->name, c->args, c->name);
	return cmd_status(ERR_USAGE);
}

int
cmd_help(const struct cmd *c)
{
	printf("usage: lathe %s %s\n\n%s", c->name, c->args, c->help);
	return 0;
}

const char cmd_load_options_help[] =
"Options for reading DATA:\n"
"  -d, --delimiter C   field delimiter: , ; tab | or any single byte\n"
"                      (default: detected among , ; TAB |)\n"
"      --header        the first row is a header\n"
"      --no-header     there is no header row; columns are col1, col2, ...\n"
"                      (default: a first row with no number or date in it\n"
"                      is a header)\n"
"  -t, --type COL=TYPE force a column's type: integer, float, boolean,\n"
"                      categorical, text, date, datetime (repeatable)\n"
"      --na LIST       comma-separated missing-value tokens, replacing the\n"
"                      default NA,N/A,NaN,null,? (an empty field is always\n"
"                      missing)\n"
"      --sample N      rows that seed type inference (default 1000); the\n"
"                      whole file is always checked\n"
"      --ragged MODE   rows with the wrong number of fields: error (the\n"
"                      default), pad (pad short rows with missing values and\n"
"                      cut long ones) or drop (skip them)\n"
"      --table NAME    SQLite: the table to load\n"
"      --query SQL     SQLite: a read-only SELECT whose result to load\n"
"      --threads N     threads for parsing (default: one per core)\n";

static int
need_value(int argc, char **argv, int *i, const char **val, struct err *e)
{
	const char *a = argv[*i], *eq = strchr(a, '=');

	if (a[1] == '-' && eq != NULL) {
		*val = eq + 1;
		return 0;
	}
	if (*i + 1 >= argc)
		return err_set(e, ERR_USAGE, "option '%s' needs a value", a);
	*val = argv[++*i];
	return 0;
}

static int
opt_is(const char *a, const char *shrt, const char *lng)
{
	size_t n = strlen(lng);

	if (shrt != NULL && strcmp(a, shrt) == 0)
		return 1;
	return strncmp(a, lng, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

int
cmd_load_option(int argc, char **argv, int *i, struct load_opts *o,
    struct err *e)
{
	const char *a = argv[*i], *v;
	char *end;
	long n;

	if (opt_is(a, NULL, "--header")) {
		o->header = 1;
		return 1;
	}
	if (opt_is(a, NULL, "--no-header")) {
		o->header = 0;
		return 1;
	}
	if (opt_is(a, "-d", "--delimiter")) {
		if (need_value(argc, argv, i, &v, e) != 0)
			return -1;
		if (strcmp(v, "tab") == 0 || strcmp(v, "\\t") == 0 ||
		    strcmp(v, "TAB") == 0)
			o->delimiter = '\t';
		else if (strlen(v) == 1 && v[0] != '"' && v[0] != '\n' &&
		    v[0] != '\r')
			o->delimiter = (unsigned char)v[0];
		else
			return err_set(e, ERR_USAGE, "bad --delimiter '%s': "
			    "give one character, or 'tab'", v);
		return 1;
	}
	if (opt_is(a, "-t", "--type")) {
		if (need_value(argc, argv, i, &v, e) != 0 ||
		    load_opts_add_type(o, v, e) != 0)
			return -1;
		return 1;
	}
	if (opt_is(a, NULL, "--na")) {
		if (need_value(argc, argv, i, &v, e) != 0)
			return -1;
		load_opts_set_na(o, v);
		return 1;
	}
	if (opt_is(a, NULL, "--sample") || opt_is(a, NULL, "--threads")) {
		int is_sample = a[2] == 's';

		if (need_value(argc, argv, i, &v, e) != 0)
			return -1;
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < 1 || n > 1000000000)
			return err_set(e, ERR_USAGE, "bad %s '%s': give a "
			    "positive whole number", is_sample ? "--sample" :
			    "--threads", v);
		if (is_sample)
			o->sample_rows = (size_t)n;
		else
			o->threads = (int)n;
		return 1;
	}
	if (opt_is(a, NULL, "--ragged")) {
		if (need_value(argc, argv, i, &v, e) != 0)
			return -1;
		if (strcmp(v, "error") == 0)
			o->ragged = RAGGED_ERROR;
		else if (strcmp(v, "pad") == 0)
			o->ragged = RAGGED_PAD;
		else if (strcmp(v, "drop") == 0)
			o->ragged = RAGGED_DROP;
		else
			return err_set(e, ERR_USAGE, "bad --ragged '%s': "
			    "error, pad or drop", v);
		return 1;
	}
	if (opt_is(a, NULL, "--table")) {
		if (need_value(argc, argv, i, &v, e) != 0)
			return -1;
		o->table = v;
		return 1;
	}
	if (opt_is(a, NULL, "--query")) {
		if (need_value(argc, argv, i, &v, e) != 0)
			return -1;
		o->query = v;
		return 1;
	}
	return 0;
}

struct table *
cmd_load_data(const char *data, const struct load_opts *o,
    struct globals *g, const char **kind, struct err *e)
{
	struct load_report rep;

	return cmd_load_data_report(data, o, g, kind, &rep, e);
}

struct table *
cmd_load_data_report(const char *data, const struct load_opts *o,
    struct globals *g, const char **kind, struct load_report *rep_out,
    struct err *e)
{
	struct workspace *ws = NULL;
	struct load_report rep;
	struct table *t;

	memset(&rep, 0, sizeof rep);
	if (source_is_dataset_name(data)) {
		char *path = workspace_path(g->workspace);

		ws = workspace_open(path, e);
		free(path);
		if (ws == NULL)
			return NULL;
	}
	t = source_load(data, o, ws, &rep, kind, e);
	workspace_close(ws);
	if (t != NULL && rep.ragged_rows > 0 && !g->quiet)
		fprintf(stderr, "lathe: %s: %zu row%s with the wrong number of "
		    "fields %s\n", data, rep.ragged_rows,
		    rep.ragged_rows == 1 ? "" : "s",
		    o->ragged == RAGGED_DROP ? "dropped" : "padded or cut");
	*rep_out = rep;
	return t;
}

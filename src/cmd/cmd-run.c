/*
 * cmd-run.c - `lathe run SPEC`: load the data, fit the pipeline's chain
 * on it, and write the fitted pipeline (-o) and the transformed data
 * (--output).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "core/csvwrite.h"
#include "core/fileout.h"
#include "core/pipeline.h"
#include "core/xmalloc.h"

static int cmd_run(int, char **, struct globals *);

const struct cmd cmd_run_entry = {
	.name = "run",
	.args = "SPEC [--data DATA] [--set NAME=VALUE]... [-o FITTED] "
	    "[--output CSV]",
	.summary = "fit a pipeline spec on its data; write the fitted "
	    "pipeline",
	.help =
"Read the pipeline spec SPEC (see lathe-pipeline(5)), load its source (or\n"
"DATA), fit every step on it in order, and write the fitted pipeline and\n"
"the transformed data.  Deterministic: the same spec on the same data\n"
"gives the same bytes.\n"
"\n"
"Options:\n"
"      --data DATA     load DATA instead of the spec's source (its load\n"
"                      options still apply)\n"
"      --set N=V       fill the placeholder ${N} in the spec (repeatable);\n"
"                      an unset placeholder is an error\n"
"  -o, --fitted FILE   write the fitted pipeline to FILE (atomically)\n"
"      --output FILE   write the transformed data as CSV to FILE, or -\n"
"                      for standard output\n"
"  -w, --workspace F   the workspace holding named datasets\n",
	.exec = cmd_run,
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int
cmd_write_table(const struct table *t, const char *path, struct err *e)
{
	struct fileout o;

	if (fileout_open(&o, path, e) != 0)
		return -1;
	if (csvwrite_file(t, o.f, strcmp(path, "-") == 0 ?
	    "standard output" : path, 1, e) != 0) {
		fileout_abort(&o);
		return -1;
	}
	return fileout_close(&o, e);
}

static int
cmd_run(int argc, char **argv, struct globals *g)
{
	const struct cmd *self = &cmd_run_entry;
	struct spec_vars vars;
	struct pipeline *p = NULL;
	struct spec *sp;
	struct table *t = NULL;
	struct err e;
	const char *specpath = NULL, *data = NULL, *fitted = NULL;
	const char *output = NULL, *kind;
	size_t rows_in, cols_in, i;
	double t0 = now();
	int rc = 0;

	err_clear(&e);
	spec_vars_init(&vars);
	for (i = 1; i < (size_t)argc; i++) {
		const char *a = argv[i];
		const char **dst = NULL;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			spec_vars_release(&vars);
			return cmd_help(self);
		}
		if (strcmp(a, "--data") == 0)
			dst = &data;
		else if (strcmp(a, "-o") == 0 || strcmp(a, "--fitted") == 0)
			dst = &fitted;
		else if (strcmp(a, "--output") == 0)
			dst = &output;
		else if (strcmp(a, "-w") == 0 || strcmp(a, "--workspace") == 0)
			dst = &g->workspace;
		else if (strcmp(a, "--set") == 0) {
			if (i + 1 >= (size_t)argc) {
				spec_vars_release(&vars);
				return cmd_usage(self, "--set needs NAME=VALUE");
			}
			if (spec_vars_add(&vars, argv[++i], &e) != 0) {
				spec_vars_release(&vars);
				return cmd_usage(self, "%s", e.msg);
			}
			continue;
		} else if (a[0] == '-' && a[1] != '\0') {
			spec_vars_release(&vars);
			return cmd_usage(self, "unknown option '%s'", a);
		} else if (specpath == NULL) {
			specpath = a;
			continue;
		} else {
			spec_vars_release(&vars);
			return cmd_usage(self, "unexpected argument '%s'", a);
		}
		if (i + 1 >= (size_t)argc) {
			spec_vars_release(&vars);
			return cmd_usage(self, "option '%s' needs a value", a);
		}
		*dst = argv[++i];
	}
	if (specpath == NULL) {
		spec_vars_release(&vars);
		return cmd_usage(self, "no SPEC given");
	}
	sp = spec_load(specpath, &vars, &e);
	spec_vars_release(&vars);
	if (sp == NULL)
		return cmd_error(&e);
	p = pipeline_new(sp, &e);
	if (p == NULL)
		return cmd_error(&e);
	if (data == NULL)
		data = p->source;
	if (data == NULL) {
		err_set(&e, ERR_USAGE, "%s: no data: the spec has no 'source' "
		    "statement and no --data was given", specpath);
		rc = cmd_error(&e);
		goto out;
	}
	t = cmd_load_data(data, &p->load, g, &kind, &e);
	if (t == NULL) {
		rc = cmd_error(&e);
		goto out;
	}
	rows_in = t->nrows;
	cols_in = t->ncols;
	if (pipeline_fit(p, t, &e) != 0) {
		rc = cmd_error(&e);
		goto out;
	}
	if (fitted != NULL && pipeline_save_file(p, fitted, &e) != 0) {
		rc = cmd_error(&e);
		goto out;
	}
	if (output != NULL && cmd_write_table(t, output, &e) != 0) {
		rc = cmd_error(&e);
		goto out;
	}
	if (!g->quiet) {
		FILE *f = output && strcmp(output, "-") == 0 ? stderr : stdout;

		if (fitted == NULL && output == NULL)
			f = stdout;
		else
			f = stderr;
		fprintf(f, "%s: fitted %zu step%s on %s: %zu rows x %zu "
		    "columns -> %zu rows x %zu columns (%.2f s)\n", specpath,
		    p->nsteps, p->nsteps == 1 ? "" : "s", data, rows_in,
		    cols_in, t->nrows, t->ncols, now() - t0);
		for (i = 0; i < p->nsteps; i++) {
			struct strbuf sb = STRBUF_INIT;

			p->steps[i]->ops->describe(p->steps[i], &sb);
			fprintf(f, "  %zu. %s\n", i + 1, strbuf_str(&sb));
			strbuf_release(&sb);
		}
		if (fitted != NULL)
			fprintf(f, "fitted pipeline written to %s\n", fitted);
	}
out:
	table_free(t);
	pipeline_free(p);
	return rc;
}

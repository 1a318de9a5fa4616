/*
 * cmd-run.c - `lathe run SPEC`: load the data, fit the pipeline's chain
 * on it, and write the fitted pipeline (-o) and the transformed data
 * (--output).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "core/cpu.h"
#include "core/csvwrite.h"
#include "core/evaluate.h"
#include "core/fileout.h"
#include "core/pipeline.h"
#include "core/runs.h"
#include "core/xmalloc.h"

static int cmd_run(int, char **, struct globals *);

const struct cmd cmd_run_entry = {
	.name = "run",
	.args = "SPEC [--data DATA] [--set NAME=VALUE]... [-o FITTED] "
	    "[--output CSV] [--json|--tsv] [--fail-under METRIC=VALUE]... "
	    "[--no-record]",
	.summary = "fit and evaluate a pipeline spec; write the fitted "
	    "pipeline",
	.help =
"Read the pipeline spec SPEC (see lathe-pipeline(5)), load its source (or\n"
"DATA), and replay it: with a model and an evaluate statement, score the\n"
"model on held-out rows (every split fits the whole chain on its training\n"
"rows only) and run the grid search if there is one; then fit every step\n"
"and the model on all rows and write the fitted pipeline.  The evaluation\n"
"is printed as a table beside a baseline, and recorded in the workspace\n"
"(see 'lathe runs').  Deterministic: the same spec on the same data gives\n"
"the same numbers and bytes.\n"
"\n"
"Options:\n"
"      --data DATA     load DATA instead of the spec's source (its load\n"
"                      options still apply)\n"
"      --set N=V       fill the placeholder ${N} in the spec (repeatable);\n"
"                      an unset placeholder is an error\n"
"  -o, --fitted FILE   write the fitted pipeline to FILE (atomically)\n"
"      --output FILE   write the transformed data as CSV to FILE, or -\n"
"                      for standard output\n"
"      --json          print the evaluation as JSON\n"
"      --tsv           print it as TSV lines: metric, split, value\n"
"      --fail-under M=V  exit with status 1 when the mean of metric M is\n"
"                      worse than V (below it, or above it for metrics\n"
"                      where lower is better); repeatable\n"
"      --no-record     do not record the run in the workspace\n"
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
	int rc = 0, json = 0, record = 1;
	char **gates = NULL;
	size_t ngates = 0;
	struct eval_report rep;
	struct model_ctx mctx;
	char hash[65] = "";

	memset(&rep, 0, sizeof rep);

	err_clear(&e);
	spec_vars_init(&vars);
	for (i = 1; i < (size_t)argc; i++) {
		const char *a = argv[i];
		const char **dst = NULL;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			spec_vars_release(&vars);
			return cmd_help(self);
		}
		if (strcmp(a, "--json") == 0 || strcmp(a, "--tsv") == 0) {
			json = a[2] == 'j' ? 1 : 2;
			continue;
		}
		if (strcmp(a, "--no-record") == 0) {
			record = 0;
			continue;
		}
		if (strcmp(a, "--fail-under") == 0 ||
		    strncmp(a, "--fail-under=", 13) == 0) {
			const char *v = a[12] == '=' ? a + 13 : i + 1 <
			    (size_t)argc ? argv[++i] : NULL;

			if (v == NULL || strchr(v, '=') == NULL) {
				spec_vars_release(&vars);
				strs_free(gates, ngates);
				return cmd_usage(self, "--fail-under needs "
				    "METRIC=VALUE");
			}
			gates = xreallocarray(gates, ngates + 1,
			    sizeof *gates);
			gates[ngates++] = xstrdup(v);
			continue;
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
		strs_free(gates, ngates);
		return cmd_usage(self, "no SPEC given");
	}
	sp = spec_load(specpath, &vars, &e);
	spec_vars_release(&vars);
	if (sp == NULL)
		return cmd_error(&e);
	p = pipeline_new(sp, &e);
	if (p == NULL) {
		strs_free(gates, ngates);
		return cmd_error(&e);
	}
	/* the gates name metrics this run reports */
	for (i = 0; i < ngates; i++) {
		char *eq = strchr(gates[i], '='), *end;

		*eq = '\0';
		strtod(eq + 1, &end);
		if (p->model == NULL || *end != '\0' || eq[1] == '\0' ||
		    metric_find(gates[i], p->model->ops->task, &e) == NULL) {
			if (p->model == NULL)
				err_set(&e, ERR_USAGE, "--fail-under: the "
				    "spec has no model to score");
			else if (*end != '\0' || eq[1] == '\0')
				err_set(&e, ERR_USAGE, "--fail-under %s: "
				    "'%s' is not a number", gates[i], eq + 1);
			else {
				e.code = ERR_USAGE;
				err_prefix(&e, "--fail-under");
			}
			rc = cmd_error(&e);
			goto out;
		}
		*eq = '=';
	}
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
	if (record && p->model != NULL)
		table_hash(t, hash);
	memset(&mctx, 0, sizeof mctx);
	mctx.threads = cpu_count();
	if (evaluate_run(p, t, &mctx, &rep, &e) != 0) {
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
	if (p->model != NULL) {
		struct strbuf sb = STRBUF_INIT;

		if (json == 1)
			eval_report_json(&rep, &sb);
		else if (json == 2)
			eval_report_tsv(&rep, &sb);
		else if (!g->quiet)
			eval_report_text(&rep, &sb);
		if (sb.len > 0) {
			FILE *f = output && strcmp(output, "-") == 0 ?
			    stderr : stdout;

			fwrite(sb.buf, 1, sb.len, f);
			fflush(f);
		}
		strbuf_release(&sb);
	}
	if (record && p->model != NULL) {
		struct err we;

		err_clear(&we);
		if (runs_record(g->workspace, p, specpath, data, hash,
		    now() - t0, &rep, fitted, &we) != 0 && !g->quiet)
			fprintf(stderr, "lathe: warning: the run was not "
			    "recorded: %s\n", we.msg);
	}
	if (!g->quiet && !json) {
		FILE *f = output && strcmp(output, "-") == 0 ? stderr : stdout;

		if ((fitted == NULL && output == NULL) || p->model != NULL)
			f = output && strcmp(output, "-") == 0 ? stderr :
			    stdout;
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
	/* the gates, last: everything is written even when one fails */
	for (i = 0; i < ngates; i++) {
		char *eq = strchr(gates[i], '=');
		const struct metric_def *md;
		double want = strtod(eq + 1, NULL), got;

		*eq = '\0';
		md = metric_find(gates[i], p->model->ops->task, &e);
		got = eval_report_metric(&rep, gates[i]);
		if (isnan(got) || (md->higher_is_better ? got < want :
		    got > want)) {
			if (isnan(got))
				fprintf(stderr, "lathe: --fail-under: %s was "
				    "not reported (n/a)\n", gates[i]);
			else
				fprintf(stderr, "lathe: --fail-under: %s is "
				    "%.6g, %s %s\n", gates[i], got,
				    md->higher_is_better ? "below" : "above",
				    eq + 1);
			rc = cmd_status(ERR_FAIL);
		}
		*eq = '=';
	}
out:
	eval_report_free(&rep);
	strs_free(gates, ngates);
	table_free(t);
	pipeline_free(p);
	return rc;
}

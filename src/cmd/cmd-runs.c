/*
 * cmd-runs.c - `lathe runs`: the experiment runs recorded in the
 * workspace; `lathe runs show ID`; `lathe runs diff ID1 ID2`.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/metrics.h"
#include "core/runs.h"
#include "core/xmalloc.h"

static int cmd_runs(int, char **, struct globals *);

const struct cmd cmd_runs_entry = {
	.name = "runs",
	.args = "[--data D] [--spec S] [--sort METRIC] [--limit N] [--json] | "
	    "show ID | diff ID1 ID2",
	.summary = "list the experiment runs recorded in the workspace",
	.help =
"List the runs recorded in the workspace by 'lathe run' (newest first):\n"
"id, when, spec, data, model and the mean of each metric.\n"
"'lathe runs show ID' prints one run whole: spec text, parameters, data\n"
"hash, evaluation, per-split metrics, version and the fitted pipeline's\n"
"path.  'lathe runs diff ID1 ID2' prints the difference of the two specs\n"
"and of their metrics (ID2 minus ID1).\n"
"\n"
"Options:\n"
"      --data D        only runs whose data contains D\n"
"      --spec S        only runs whose spec path or text contains S\n"
"      --sort METRIC   best first by METRIC (runs without it last)\n"
"      --limit N       at most N runs\n"
"      --json          print JSON (list and show)\n"
"  -w, --workspace F   the workspace\n",
	.exec = cmd_runs,
};

/* The metric names of a run list, in first-seen order (max 8). */
static size_t
metric_names(const struct run_info *v, size_t n, const char **names,
    size_t max)
{
	size_t i, j, k, m = 0;

	for (i = 0; i < n; i++)
		for (j = 0; j < v[i].nmetrics; j++) {
			if (v[i].metrics[j].fold >= 0)
				continue;
			for (k = 0; k < m; k++)
				if (strcmp(names[k], v[i].metrics[j].name) ==
				    0)
					break;
			if (k == m && m < max)
				names[m++] = v[i].metrics[j].name;
		}
	return m;
}

static void
print_num(double v, int width)
{
	if (isnan(v))
		printf(" %*s", width, "n/a");
	else
		printf(" %*.4f", width, v);
}

static const char *
base_name(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;

	return s ? s + 1 : p ? p : "-";
}

static int sort_higher;
static const char *sort_metric;

static int
cmp_run(const void *a, const void *b)
{
	double x = run_metric_mean(a, sort_metric);
	double y = run_metric_mean(b, sort_metric);

	if (isnan(x) || isnan(y))
		return isnan(x) - isnan(y);
	if (x != y)
		return (sort_higher ? x < y : x > y) ? 1 : -1;
	return ((const struct run_info *)a)->id <
	    ((const struct run_info *)b)->id ? 1 : -1;
}

static void
json_str(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void
json_run(const struct run_info *r, int full)
{
	size_t j;

	printf("{\"id\":%lld,\"created\":", (long long)r->id);
	json_str(r->created);
	printf(",\"spec_path\":");
	json_str(r->spec_path);
	printf(",\"data\":");
	json_str(r->data);
	printf(",\"data_hash\":");
	json_str(r->data_hash);
	printf(",\"model\":");
	json_str(r->model);
	printf(",\"params\":");
	json_str(r->params);
	printf(",\"evaluation\":");
	json_str(r->evaluation);
	printf(",\"seed\":%lld,\"seconds\":%.3f,\"version\":",
	    (long long)r->seed, r->seconds);
	json_str(r->version);
	printf(",\"fitted_path\":");
	json_str(r->fitted_path);
	printf(",\"metrics\":{");
	for (j = 0; j < r->nmetrics; j++) {
		if (r->metrics[j].fold >= 0)
			continue;
		printf("%s\"%s\":", j ? "," : "", r->metrics[j].name);
		if (isnan(r->metrics[j].value))
			printf("null");
		else
			printf("%.17g", r->metrics[j].value);
	}
	printf("}");
	if (full) {
		printf(",\"spec\":");
		json_str(r->spec);
		printf(",\"report\":%s", r->report && *r->report ? r->report :
		    "null");
	}
	printf("}");
}

static int
runs_show(struct workspace *ws, int64_t id, int json, struct err *e)
{
	struct run_info r;
	size_t j, nf = 0;

	if (runs_get(ws, id, &r, e) != 0)
		return -1;
	if (json) {
		json_run(&r, 1);
		printf("\n");
		run_info_release(&r);
		return 0;
	}
	printf("run %lld, %s\n", (long long)r.id, r.created);
	printf("spec        %s\n", r.spec_path ? r.spec_path : "-");
	printf("data        %s (sha256 %s)\n", r.data ? r.data : "-",
	    r.data_hash ? r.data_hash : "-");
	printf("model       %s %s\n", r.model ? r.model : "-",
	    r.params ? r.params : "");
	printf("evaluation  %s\n", r.evaluation ? r.evaluation : "-");
	printf("seconds     %.2f\n", r.seconds);
	printf("version     lathe %s\n", r.version ? r.version : "?");
	printf("fitted      %s\n", r.fitted_path ? r.fitted_path :
	    "(not written)");
	for (j = 0; j < r.nmetrics; j++)
		if (r.metrics[j].fold + 1 > (int)nf)
			nf = (size_t)r.metrics[j].fold + 1;
	printf("\n%-18s %8s %8s", "metric", "mean", "std");
	for (j = 0; j < nf && nf <= 10; j++)
		printf("   fold %-2zu", j + 1);
	printf("\n");
	for (j = 0; j < r.nmetrics; j++) {
		size_t f;

		if (r.metrics[j].fold >= 0)
			continue;
		printf("%-18s", r.metrics[j].name);
		print_num(r.metrics[j].value, 8);
		print_num(r.metrics[j].std, 8);
		for (f = 0; f < nf && nf <= 10; f++) {
			size_t k;

			for (k = 0; k < r.nmetrics; k++)
				if (r.metrics[k].fold == (int)f &&
				    strcmp(r.metrics[k].name,
				    r.metrics[j].name) == 0)
					break;
			print_num(k < r.nmetrics ? r.metrics[k].value : NAN,
			    10);
		}
		printf("\n");
	}
	printf("\n%s", r.spec ? r.spec : "");
	run_info_release(&r);
	return 0;
}

static int
runs_diff(struct workspace *ws, int64_t a, int64_t b, struct err *e)
{
	struct run_info ra, rb;
	struct strbuf sb = STRBUF_INIT;
	const char *names[16];
	struct run_info both[2];
	size_t m, i;

	if (runs_get(ws, a, &ra, e) != 0)
		return -1;
	if (runs_get(ws, b, &rb, e) != 0) {
		run_info_release(&ra);
		return -1;
	}
	printf("spec: run %lld -> run %lld\n", (long long)a, (long long)b);
	text_diff(ra.spec, rb.spec, &sb);
	fwrite(sb.buf ? sb.buf : "", 1, sb.len, stdout);
	strbuf_release(&sb);
	if (strcmp(ra.data_hash ? ra.data_hash : "", rb.data_hash ?
	    rb.data_hash : "") != 0)
		printf("data differs: %s (%.12s) -> %s (%.12s)\n",
		    ra.data ? ra.data : "-", ra.data_hash ? ra.data_hash : "",
		    rb.data ? rb.data : "-", rb.data_hash ? rb.data_hash : "");
	both[0] = ra;
	both[1] = rb;
	m = metric_names(both, 2, names, 16);
	printf("\n%-18s %10s %10s %10s\n", "metric", "run", "run", "delta");
	printf("%-18s %10lld %10lld\n", "", (long long)a, (long long)b);
	for (i = 0; i < m; i++) {
		double x = run_metric_mean(&ra, names[i]);
		double y = run_metric_mean(&rb, names[i]);

		printf("%-18s", names[i]);
		print_num(x, 10);
		print_num(y, 10);
		if (isnan(x) || isnan(y))
			printf(" %10s\n", "n/a");
		else
			printf(" %+10.4f\n", y - x);
	}
	run_info_release(&ra);
	run_info_release(&rb);
	return 0;
}

static int
parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1)
		return -1;
	*id = v;
	return 0;
}

static int
cmd_runs(int argc, char **argv, struct globals *g)
{
	const struct cmd *self = &cmd_runs_entry;
	struct workspace *ws;
	struct run_info *v = NULL;
	const char *data = NULL, *spec = NULL, *sort = NULL, *verb = NULL;
	const char *ids[2] = { NULL, NULL };
	struct err e;
	size_t n = 0, total, i, k, limit = (size_t)-1, nid = 0;
	int a, json = 0, rc = 0;
	char *path;

	err_clear(&e);
	for (a = 1; a < argc; a++) {
		const char *s = argv[a];

		if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0)
			return cmd_help(self);
		if (strcmp(s, "--json") == 0) {
			json = 1;
			continue;
		}
		if (s[0] == '-' && a + 1 >= argc)
			return cmd_usage(self, "option '%s' needs a value", s);
		if (strcmp(s, "--data") == 0)
			data = argv[++a];
		else if (strcmp(s, "--spec") == 0)
			spec = argv[++a];
		else if (strcmp(s, "--sort") == 0)
			sort = argv[++a];
		else if (strcmp(s, "--limit") == 0) {
			int64_t l;

			if (parse_id(argv[++a], &l) != 0)
				return cmd_usage(self, "bad --limit '%s'",
				    argv[a]);
			limit = (size_t)l;
		} else if (strcmp(s, "-w") == 0 ||
		    strcmp(s, "--workspace") == 0)
			g->workspace = argv[++a];
		else if (s[0] == '-')
			return cmd_usage(self, "unknown option '%s'", s);
		else if (verb == NULL && (strcmp(s, "show") == 0 ||
		    strcmp(s, "diff") == 0))
			verb = s;
		else if (verb != NULL && nid < 2)
			ids[nid++] = s;
		else
			return cmd_usage(self, "unexpected argument '%s'", s);
	}
	if (verb != NULL && nid != (strcmp(verb, "show") == 0 ? 1u : 2u))
		return cmd_usage(self, "'runs %s' takes %s", verb,
		    strcmp(verb, "show") == 0 ? "one run ID" : "two run IDs");
	if (sort != NULL && metric_find(sort, TASK_CLASSIFY, &e) == NULL &&
	    metric_find(sort, TASK_REGRESS, &e) == NULL &&
	    metric_find(sort, TASK_CLUSTER, &e) == NULL)
		return cmd_usage(self, "--sort: unknown metric '%s'", sort);
	path = workspace_path(g->workspace);
	ws = workspace_open(path, &e);
	free(path);
	if (ws == NULL)
		return cmd_error(&e);
	if (verb != NULL) {
		int64_t x, y = 0;

		if (parse_id(ids[0], &x) != 0 || (nid == 2 &&
		    parse_id(ids[1], &y) != 0)) {
			workspace_close(ws);
			return cmd_usage(self, "a run ID is a number (see "
			    "'lathe runs')");
		}
		if ((strcmp(verb, "show") == 0 ? runs_show(ws, x, json, &e) :
		    runs_diff(ws, x, y, &e)) != 0)
			rc = cmd_error(&e);
		workspace_close(ws);
		return rc;
	}
	if (runs_list(ws, data, spec, &v, &n, &e) != 0) {
		workspace_close(ws);
		return cmd_error(&e);
	}
	workspace_close(ws);
	total = n;
	if (sort != NULL) {
		const struct metric_def *md;

		md = metric_find(sort, TASK_CLASSIFY, &e);
		if (md == NULL)
			md = metric_find(sort, TASK_REGRESS, &e);
		if (md == NULL)
			md = metric_find(sort, TASK_CLUSTER, &e);
		sort_metric = sort;
		sort_higher = md->higher_is_better;
		qsort(v, n, sizeof *v, cmp_run);
	}
	if (n > limit)
		n = limit;
	if (json) {
		printf("[");
		for (i = 0; i < n; i++) {
			if (i)
				printf(",");
			json_run(&v[i], 0);
		}
		printf("]\n");
	} else if (n == 0) {
		if (!g->quiet)
			fprintf(stderr, "lathe: no runs recorded%s\n", data ||
			    spec ? " that match" : " yet ('lathe run SPEC' "
			    "records one)");
	} else {
		const char *names[8];
		size_t m = metric_names(v, n, names, sort ? 4 : 5);

		if (sort != NULL) {
			for (k = 0; k < m; k++)
				if (strcmp(names[k], sort) == 0)
					break;
			if (k == m) {
				memmove(names + 1, names, m * sizeof *names);
				names[0] = sort;
				m++;
			}
		}
		printf("%4s  %-20s %-18s %-16s %-16s", "id", "created", "spec",
		    "data", "model");
		for (k = 0; k < m; k++)
			printf(" %10.10s", names[k]);
		printf("\n");
		for (i = 0; i < n; i++) {
			printf("%4lld  %-20s %-18.18s %-16.16s %-16.16s",
			    (long long)v[i].id, v[i].created ? v[i].created :
			    "", base_name(v[i].spec_path),
			    base_name(v[i].data), v[i].model ? v[i].model :
			    "-");
			for (k = 0; k < m; k++)
				print_num(run_metric_mean(&v[i], names[k]),
				    10);
			printf("\n");
		}
	}
	run_infos_free(v, total);
	return rc;
}

/*
 * view-runs.c - the Runs screen: the runs recorded in the workspace
 * (core/runs.h: every 'lathe run' and every training here), newest
 * first or best first by a metric; a run's spec and metrics; two marked
 * runs compared (their specs as a diff, their metrics as deltas); and a
 * run's spec taken back as the pipeline.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "core/runs.h"
#include "core/xmalloc.h"
#include "tui/tui.h"

static struct run_info *runs;
static size_t nruns, cur, top;
static int64_t marked[2];
static char *sort_by;
static int loaded;

static const struct keybind runs_keys[] = {
	{ '\r', "Enter", NULL, "the run: spec and metrics", "show" },
	{ KEY_ENTER, NULL, NULL, NULL, NULL },
	{ ' ', "space", "mark", "mark a run (two marked: d compares)", "mark" },
	{ 'd', "d", NULL, "compare the two marked runs", "diff" },
	{ 's', "s", NULL, "sort by the next metric (then newest first)",
	  "sort" },
	{ 'L', "L", "load", "take the run's spec as the pipeline", "load" },
	{ 'R', "R", NULL, "reload the list", NULL },
	{ KEY_UP, "Up/Down", NULL, "move (also j k g G)", NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

static int
higher_better(const char *name)
{
	static const enum model_task tasks[] = { TASK_CLASSIFY, TASK_REGRESS,
	    TASK_CLUSTER };
	const struct metric_def *md;
	struct err e;
	size_t i;

	for (i = 0; i < 3; i++) {
		err_clear(&e);
		if ((md = metric_find(name, tasks[i], &e)) != NULL)
			return md->higher_is_better;
	}
	return 1;
}

static int
cmp_runs(const void *a, const void *b)
{
	const struct run_info *x = a, *y = b;
	double u, v;

	if (sort_by == NULL)
		return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
	u = run_metric_mean(x, sort_by);
	v = run_metric_mean(y, sort_by);
	if (isnan(u) || isnan(v))
		return isnan(u) - isnan(v);
	if (u == v)
		return x->id < y->id ? 1 : -1;
	return (u > v) == higher_better(sort_by) ? -1 : 1;
}

static void
reload(void)
{
	struct err e;

	run_infos_free(runs, nruns);
	runs = NULL;
	nruns = 0;
	loaded = 1;
	if (tui.s->ws == NULL)
		return;
	err_clear(&e);
	if (runs_list(tui.s->ws, NULL, NULL, &runs, &nruns, &e) != 0) {
		tui_error("%s", e.msg);
		return;
	}
	qsort(runs, nruns, sizeof *runs, cmp_runs);
	if (cur >= nruns)
		cur = nruns ? nruns - 1 : 0;
}

/* Up to 4 metric names, in first-seen order. */
static size_t
metric_names(const char **names, size_t max)
{
	size_t i, j, k, m = 0;

	for (i = 0; i < nruns; i++)
		for (j = 0; j < runs[i].nmetrics; j++) {
			if (runs[i].metrics[j].fold >= 0)
				continue;
			for (k = 0; k < m; k++)
				if (strcmp(names[k], runs[i].metrics[j].name) ==
				    0)
					break;
			if (k == m && m < max)
				names[m++] = runs[i].metrics[j].name;
		}
	return m;
}

static int
is_marked(int64_t id)
{
	return id != 0 && (marked[0] == id || marked[1] == id);
}

/* "2026-11-24T08:49:12Z" as "11-24 08:49". */
static void
short_time(const char *iso, char *buf, size_t n)
{
	if (iso != NULL && strlen(iso) >= 16)
		snprintf(buf, n, "%.5s %.5s", iso + 5, iso + 11);
	else
		snprintf(buf, n, "%s", iso ? iso : "");
}

static void
runs_draw(int y, int h, int w)
{
	const char *names[4];
	size_t nm, i, m;
	int row, x, mw = 9, mx, rest;
	char buf[256];

	if (!loaded)
		reload();
	if (tui.s->ws == NULL) {
		put_str(y + 1, 2, tui.s->ws_error ? tui.s->ws_error :
		    "no workspace", w - 4, -1, 0);
		return;
	}
	nm = metric_names(names, 4);
	/* id, when, model, the metrics, then spec and data if room */
	while (nm > 0 && 6 + 12 + 22 + (int)nm * (mw + 1) > w)
		nm--;
	mx = 6 + 12 + 22;
	rest = w - mx - (int)nm * (mw + 1);
	attrset(tattr(TA_HEAD));
	put_fill(y, 0, w, tattr(TA_HEAD));
	put_str(y, 0, "   id", 5, -1, 1);
	put_str(y, 6, "when", 11, -1, 1);
	put_str(y, 18, "model", 21, -1, 1);
	for (m = 0, x = mx; m < nm; m++, x += mw + 1) {
		snprintf(buf, sizeof buf, "%s%s", sort_by && strcmp(sort_by,
		    names[m]) == 0 ? glyph(G_DOWN) : "", names[m]);
		put_str(y, x, buf, mw, 1, 1);
	}
	if (rest > 10)
		put_str(y, x + 1, "spec, data", rest - 1, -1, 1);
	attrset(A_NORMAL);
	if (nruns == 0) {
		put_str(y + 2, 2, "no runs yet: train on the Model screen (t), "
		    "or run 'lathe run SPEC'", w - 4, -1, 0);
		return;
	}
	if (cur < top)
		top = cur;
	if (h > 2 && cur >= top + (size_t)(h - 2))
		top = cur - (size_t)(h - 2) + 1;
	for (i = top, row = y + 1; i < nruns && row < y + h - 1; i++, row++) {
		const struct run_info *r = &runs[i];
		attr_t a = i == cur ? tattr(TA_CURSOR) : A_NORMAL;

		attrset(a);
		put_fill(row, 0, w, a);
		snprintf(buf, sizeof buf, "%s%lld", is_marked(r->id) ? "*" :
		    " ", (long long)r->id);
		put_str(row, 0, buf, 5, 1, 1);
		short_time(r->created, buf, sizeof buf);
		put_str(row, 6, buf, 11, -1, 1);
		snprintf(buf, sizeof buf, "%s%s%s", r->model ? r->model : "-",
		    r->params && *r->params ? " " : "", r->params ?
		    r->params : "");
		put_str(row, 18, buf, 21, -1, 1);
		for (m = 0, x = mx; m < nm; m++, x += mw + 1) {
			double v = run_metric_mean(r, names[m]);

			if (isnan(v))
				snprintf(buf, sizeof buf, "-");
			else
				snprintf(buf, sizeof buf, "%.4f", v);
			put_str(row, x, buf, mw, 1, 1);
		}
		if (rest > 10) {
			snprintf(buf, sizeof buf, "%s, %s", r->spec_path ?
			    r->spec_path : "(workbench)", r->data ? r->data :
			    "");
			put_str(row, x + 1, buf, rest - 1, -1, 1);
		}
		attrset(A_NORMAL);
	}
	attrset(tattr(TA_DIM));
	snprintf(buf, sizeof buf, "%zu run%s%s%s", nruns, nruns == 1 ? "" : "s",
	    sort_by ? ", best first by " : ", newest first", sort_by ?
	    sort_by : "");
	put_str(y + h - 1, 0, buf, w, -1, 0);
	attrset(A_NORMAL);
}

static void
show_run(const struct run_info *r)
{
	struct strbuf sb = STRBUF_INIT;
	char title[64];
	size_t i;

	strbuf_addf(&sb, "created    %s\n", r->created ? r->created : "");
	strbuf_addf(&sb, "spec file  %s\n", r->spec_path ? r->spec_path :
	    "(workbench)");
	strbuf_addf(&sb, "data       %s\n", r->data ? r->data : "");
	strbuf_addf(&sb, "hash       %s\n", r->data_hash ? r->data_hash : "");
	strbuf_addf(&sb, "model      %s %s\n", r->model ? r->model : "",
	    r->params ? r->params : "");
	strbuf_addf(&sb, "evaluation %s, %.2f s, lathe %s\n",
	    r->evaluation ? r->evaluation : "", r->seconds,
	    r->version ? r->version : "");
	strbuf_addstr(&sb, "\nspec\n");
	{
		const char *p = r->spec ? r->spec : "";

		while (*p != '\0') {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);

			strbuf_addstr(&sb, "  ");
			strbuf_add(&sb, p, n);
			strbuf_addch(&sb, '\n');
			p += n + (nl != NULL);
		}
	}
	strbuf_addstr(&sb, "\nmetrics: the mean over the splits, then each "
	    "split\n");
	for (i = 0; i < r->nmetrics; i++) {
		const struct run_metric *m = &r->metrics[i];

		if (m->fold < 0)
			strbuf_addf(&sb, "  %-20s %.4f +- %.4f\n", m->name,
			    m->value, m->std);
		else
			strbuf_addf(&sb, "    %-18s split %d: %.4f\n",
			    m->name, m->fold, m->value);
	}
	snprintf(title, sizeof title, "run %lld", (long long)r->id);
	help_text(title, sb.buf);
	strbuf_release(&sb);
}

static const struct run_info *
by_id(int64_t id)
{
	size_t i;

	for (i = 0; i < nruns; i++)
		if (runs[i].id == id)
			return &runs[i];
	return NULL;
}

static void
compare(void)
{
	const struct run_info *a = by_id(marked[0]), *b = by_id(marked[1]);
	struct strbuf sb = STRBUF_INIT;
	const char *names[16];
	size_t nm = 0, i, j, k;
	char title[64];

	if (a == NULL || b == NULL) {
		tui_error("mark two runs with space first");
		return;
	}
	if (a->id > b->id) {
		const struct run_info *t = a;

		a = b;
		b = t;
	}
	strbuf_addf(&sb, "metrics: run %lld, run %lld, difference\n",
	    (long long)a->id, (long long)b->id);
	for (k = 0; k < 2; k++) {
		const struct run_info *r = k ? b : a;

		for (i = 0; i < r->nmetrics; i++) {
			if (r->metrics[i].fold >= 0)
				continue;
			for (j = 0; j < nm; j++)
				if (strcmp(names[j], r->metrics[i].name) == 0)
					break;
			if (j == nm && nm < 16)
				names[nm++] = r->metrics[i].name;
		}
	}
	for (j = 0; j < nm; j++) {
		double u = run_metric_mean(a, names[j]);
		double v = run_metric_mean(b, names[j]);

		strbuf_addf(&sb, "  %-20s %9.4f %9.4f %+9.4f %s\n", names[j],
		    u, v, v - u, isnan(u - v) || u == v ? "" : (v > u) ==
		    higher_better(names[j]) ? "better" : "worse");
	}
	strbuf_addstr(&sb, "\nspec (- only in the first, + only in the "
	    "second)\n");
	text_diff(a->spec ? a->spec : "", b->spec ? b->spec : "", &sb);
	snprintf(title, sizeof title, "run %lld against run %lld",
	    (long long)a->id, (long long)b->id);
	help_text(title, sb.buf);
	strbuf_release(&sb);
}

static int
runs_key(const struct tkey *k)
{
	wint_t c = k->key;

	if ((k->code && c == KEY_UP) || (!k->code && c == 'k'))
		cur = cur > 0 ? cur - 1 : 0;
	else if ((k->code && c == KEY_DOWN) || (!k->code && c == 'j'))
		cur = cur + 1 < nruns ? cur + 1 : cur;
	else if ((k->code && c == KEY_HOME) || (!k->code && c == 'g'))
		cur = 0;
	else if ((k->code && c == KEY_END) || (!k->code && c == 'G'))
		cur = nruns ? nruns - 1 : 0;
	else if ((k->code && c == KEY_ENTER) || (!k->code && c == '\r')) {
		if (cur < nruns)
			show_run(&runs[cur]);
	} else if (!k->code && c == 'd')
		compare();
	else if (!k->code && c == 'R') {
		reload();
		tui_status("%zu runs", nruns);
	} else if (!k->code && c == 's') {
		const char *names[4];
		size_t nm = metric_names(names, 4), i;
		const char *next = nm > 0 ? names[0] : NULL;

		for (i = 0; sort_by != NULL && i < nm; i++)
			if (strcmp(names[i], sort_by) == 0)
				next = i + 1 < nm ? names[i + 1] : NULL;
		free(sort_by);
		sort_by = next ? xstrdup(next) : NULL;
		reload();
		tui_status("sorted %s%s", sort_by ? "best first by " :
		    "newest first", sort_by ? sort_by : "");
	} else
		return 0;
	return 1;
}

static int
runs_command(int argc, char **argv)
{
	if (strcmp(argv[0], "sort") == 0) {
		free(sort_by);
		sort_by = argc > 1 ? xstrdup(argv[1]) : NULL;
		reload();
		tui_switch(VIEW_RUNS);
		return 1;
	}
	if (strcmp(argv[0], "mark") == 0) {
		int64_t id;

		if (!loaded)
			reload();
		if (cur >= nruns) {
			tui_error("no run here");
			return -1;
		}
		id = runs[cur].id;
		if (marked[0] == id)
			marked[0] = 0;
		else if (marked[1] == id)
			marked[1] = 0;
		else {
			marked[0] = marked[1];
			marked[1] = id;
		}
		tui_status("%s run %lld%s", is_marked(id) ? "marked" :
		    "unmarked", (long long)id, marked[0] && marked[1] ?
		    " (d compares the two)" : "");
		return 1;
	}
	if (strcmp(argv[0], "load") == 0) {
		const struct run_info *r = NULL;
		struct err e;

		if (!loaded)
			reload();
		if (argc > 1)
			r = by_id(strtoll(argv[1], NULL, 10));
		else if (cur < nruns)
			r = &runs[cur];
		if (r == NULL || r->spec == NULL) {
			tui_error("load: no such run");
			return -1;
		}
		err_clear(&e);
		if (session_draft_restore(tui.s, r->spec, &e) != 0) {
			tui_error("%s", e.msg);
			return -1;
		}
		tui_status("the pipeline is run %lld's (u undoes)",
		    (long long)r->id);
		return 1;
	}
	return 0;
}

static void
runs_enter(void)
{
	reload();
}

static void
runs_update(int bits)
{
	if ((bits & SESSION_TRAINED) && loaded)
		reload();
}

static void
runs_free(void)
{
	run_infos_free(runs, nruns);
	runs = NULL;
	nruns = 0;
	free(sort_by);
	sort_by = NULL;
}

const struct view_ops view_runs_ops = {
	.name = "Runs",
	.keys = runs_keys,
	.draw = runs_draw,
	.key = runs_key,
	.enter = runs_enter,
	.update = runs_update,
	.free = runs_free,
	.command = runs_command,
};

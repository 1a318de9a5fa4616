/*
 * view-model.c - the Model screen: the target, the model and its
 * parameters, the evaluation and the grid search (each chosen from a
 * menu or a form, each becoming a spec line; the grid search's form
 * lists the model's parameters, to be given values to try); training on the session's
 * training thread with a progress bar, the rows and the elapsed time
 * (Esc stops it); and the results of the last training (evaluate.h's
 * report): the metrics of every split with their mean and standard
 * deviation beside the baseline, the confusion matrix as a heat map
 * whose cells open their rows in the Data screen, the ROC curve
 * (binary) or the residuals against the predictions (regression) in
 * braille, the importances as bars, and the grid search.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "core/model.h"
#include "core/xmalloc.h"
#include "tui/tui.h"

enum panel {
	P_FOLDS,
	P_CONFUSION,
	P_PLOT,
	P_IMPORTANCE,
	P_GRID,
	P__COUNT
};

static int panel;
static size_t ci, cj;			/* confusion cursor */
static size_t ptop;			/* scroll */

static const struct keybind model_keys[] = {
	{ 't', "t", "train", "train and evaluate (Esc stops)", "train" },
	{ 'm', "m", NULL, "choose the model", "model" },
	{ 'p', "p", NULL, "the model's parameters (a form)", "params" },
	{ 's', "s", NULL, "grid search: values to try per parameter (a "
	  "form)", "search" },
	{ 'T', "T", NULL, "choose the target column", "target" },
	{ 'v', "v", NULL, "choose the evaluation", NULL },
	{ 'f', "f", NULL, "results: metrics per split", NULL },
	{ 'c', "c", NULL, "results: confusion matrix (Enter opens a cell's "
	  "rows)", NULL },
	{ 'r', "r", NULL, "results: ROC curve or residuals", NULL },
	{ 'i', "i", NULL, "results: importances", NULL },
	{ 'g', "g", NULL, "results: grid search", NULL },
	{ KEY_UP, "arrows", NULL, "move in the confusion matrix, scroll",
	  NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

static const char *const panel_names[P__COUNT] = {
	"f splits", "c confusion", "r plot", "i importances", "g grid"
};

static const char *
line_of(enum sline_kind k)
{
	long i = session_find(tui.s, k);

	return i >= 0 ? tui.s->lines[i].text : NULL;
}

/* -------------------------------------------------------- choosing --- */

static void
exec_picked(const char *name, void *arg)
{
	const char *verb = arg;
	char *line = xasprintf("%s %s", verb, name);

	prompt_history_add(line);
	tui_exec(line);
	free(line);
}

static void
model_picked(const char *name, void *arg)
{
	struct err e;
	const struct model_ops *ops;
	struct spec_line *l = NULL;
	const char *cur = line_of(SL_MODEL);

	(void)arg;
	err_clear(&e);
	if ((ops = model_find(name, &e)) == NULL) {
		tui_error("%s", e.msg);
		return;
	}
	if (cur != NULL) {
		l = spec_parse_line(cur, 1, NULL, &e);
		/* another type: its parameters are not this one's */
		if (l != NULL && (l->npos < 1 || strcmp(l->pos[0].text,
		    name) != 0)) {
			spec_line_free(l);
			l = NULL;
		}
	}
	form_open("model", ops->name, ops->params, 0, 0, l);
	spec_line_free(l);
}

static void
choose_model(void)
{
	const char *names[64] = { NULL };
	char *notes[64] = { NULL };
	size_t n;

	for (n = 0; model_table[n] != NULL && n < 64; n++) {
		const struct model_ops *o = model_table[n];

		names[n] = o->name;
		notes[n] = xasprintf("%-9s %s", o->task == TASK_CLASSIFY ?
		    "classify" : o->task == TASK_REGRESS ? "regress" :
		    "cluster", o->summary ? o->summary : "");
	}
	menu_open("model", names, (const char *const *)notes, n,
	    model_picked, NULL, NULL);
	while (n > 0)
		free(notes[--n]);
}

static void
choose_target(void)
{
	const struct table *t = session_raw(tui.s);
	const char **names, **notes;
	size_t i;

	if (t == NULL) {
		tui_error("no data yet");
		return;
	}
	names = xcalloc(t->ncols ? t->ncols : 1, sizeof *names);
	notes = xcalloc(t->ncols ? t->ncols : 1, sizeof *notes);
	for (i = 0; i < t->ncols; i++) {
		names[i] = t->cols[i]->name;
		notes[i] = coltype_name(t->cols[i]->type);
	}
	menu_open("target column", names, notes, t->ncols, exec_picked,
	    (void *)"target", NULL);
	free(names);
	free(notes);
}

static void
choose_eval(void)
{
	static const char *const names[] = { "holdout",
	    "holdout fraction=0.3", "cv", "cv folds=10", "cv folds=3" };
	static const char *const notes[] = { "hold out 20% of the rows",
	    "hold out 30%",
	    "5-fold cross-validation", "10-fold cross-validation",
	    "3-fold cross-validation" };

	menu_open("evaluation (':evaluate ...' for more)", names, notes, 5,
	    exec_picked, (void *)"evaluate", NULL);
}

static void
edit_params(void)
{
	const char *cur = line_of(SL_MODEL);
	struct spec_line *l;
	struct err e;

	if (cur == NULL) {
		choose_model();
		return;
	}
	err_clear(&e);
	l = spec_parse_line(cur, 1, NULL, &e);
	if (l != NULL && l->npos >= 1)
		model_picked(l->pos[0].text, NULL);
	spec_line_free(l);
}

/* Does the target have more than two classes (the default metrics)? */
static int
many_classes(void)
{
	const struct session *s = tui.s;
	const struct table *t = session_raw(s);
	const struct column *c = NULL;
	double seen[2];
	size_t i, r, n = 0;

	if (s->train.done && s->train.rep.task == TASK_CLASSIFY &&
	    s->train.rep.nclasses > 0)
		return s->train.rep.nclasses > 2;
	if (t == NULL || s->pl == NULL || s->pl->target == NULL)
		return 0;
	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i]->name, s->pl->target) == 0)
			c = t->cols[i];
	if (c == NULL)
		return 0;
	if (c->type == COL_CAT) {
		for (r = 0; r < t->nrows; r++)
			if (c->codes[r] >= 2)
				return 1;
		return 0;
	}
	if (c->num == NULL)
		return 0;
	for (r = 0; r < t->nrows; r++) {
		double v = c->num[r];

		if (isnan(v))
			continue;
		for (i = 0; i < n && seen[i] != v; i++)
			;
		if (i < n)
			continue;
		if (n == 2)
			return 1;
		seen[n++] = v;
	}
	return 0;
}

/*
 * The grid search form: the current model's parameters, each given the
 * values to try, and the metric, one of the evaluation's.
 */
static void
edit_grid(void)
{
	const char *cur = line_of(SL_MODEL), *sl = line_of(SL_SEARCH);
	const struct model_ops *ops;
	const struct pipeline *p = tui.s->pl;
	struct spec_line *l, *sr = NULL;
	struct err e;
	char *list, *tok, *save = NULL;
	const char *names[64];
	size_t n = 0, i;

	if (cur == NULL) {
		tui_error("no model to search over: m chooses one");
		return;
	}
	err_clear(&e);
	l = spec_parse_line(cur, 1, NULL, &e);
	if (l == NULL || l->npos < 1 ||
	    (ops = model_find(l->pos[0].text, &e)) == NULL) {
		spec_line_free(l);
		tui_error("the model line does not parse");
		return;
	}
	spec_line_free(l);
	/* the evaluation's metrics, or the task's defaults */
	if (p != NULL && p->eval.nmetrics > 0) {
		struct strbuf sb = STRBUF_INIT;

		for (i = 0; i < p->eval.nmetrics; i++)
			strbuf_addf(&sb, "%s%s", i ? "," : "",
			    p->eval.metrics[i]);
		list = strbuf_detach(&sb);
	} else
		list = xstrdup(metric_defaults(ops->task, many_classes() ? 3 :
		    2));
	for (tok = strtok_r(list, ",", &save); tok != NULL && n < 64;
	    tok = strtok_r(NULL, ",", &save))
		names[n++] = tok;
	if (sl != NULL)
		sr = spec_parse_line(sl, 1, NULL, &e);
	form_grid(ops->name, ops->params, names, n, sr);
	spec_line_free(sr);
	free(list);
}

/* --------------------------------------------------------- drawing --- */

static void
draw_setup(int y, int w)
{
	static const struct {
		enum sline_kind	 kind;
		const char	*name;
		const char	*none;
		const char	*keys;
	} rows[] = {
		{ SL_TARGET, "target", "(none)", "T choose" },
		{ SL_MODEL, "model", "(none)", "m choose  p parameters" },
		{ SL_EVALUATE, "evaluate", "(none: fit only)", "v choose" },
		{ SL_SEARCH, "search", "(none)", "s grid form" },
	};
	size_t i;
	int kw = 24;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *l = line_of(rows[i].kind);

		attrset(tattr(TA_DIM));
		put_str(y + (int)i, 0, rows[i].name, 9, -1, 1);
		attrset(l != NULL ? A_NORMAL : tattr(TA_DIM));
		/* the statement without its verb */
		put_str(y + (int)i, 9, l != NULL ? l + strlen(rows[i].name) +
		    1 : rows[i].none, w - 9 - kw, -1, 1);
		attrset(tattr(TA_KEY));
		put_str(y + (int)i, w - kw, rows[i].keys, kw, 1, 1);
		attrset(A_NORMAL);
	}
}

static void
draw_progress(int y, int w)
{
	struct session *s = tui.s;
	const struct table *raw = session_raw(s);
	char buf[256], a[32];
	int bw;

	put_fill(y, 0, w, A_NORMAL);
	if (s->train.running) {
		fmt_count(a, sizeof a, raw ? raw->nrows : 0);
		snprintf(buf, sizeof buf, " %3.0f%%  %s rows  %.1f s  (Esc "
		    "stops)", s->train.progress * 100, a,
		    session_now() - s->train.started);
		bw = w - str_width(buf) - 2;
		if (bw > 40)
			bw = 40;
		if (bw > 4) {
			attrset(tattr(TA_DIM));
			mvaddch(y, 0, '[');
			mvaddch(y, bw + 1, ']');
			attrset(tattr(TA_PLOT));
			put_bar(y, 1, bw, s->train.progress);
			attrset(A_NORMAL);
		} else
			bw = -2;
		put_str(y, bw + 2, buf, w - bw - 2, -1, 0);
		return;
	}
	if (!s->train.done) {
		attrset(tattr(TA_DIM));
		put_str(y, 0, line_of(SL_MODEL) ? "not trained yet: t trains" :
		    "no model yet: m chooses one (T the target, v the "
		    "evaluation)", w, -1, 0);
		attrset(A_NORMAL);
		return;
	}
	if (s->train.err.code != ERR_OK) {
		attrset(tattr(TA_ERROR));
		put_str(y, 0, s->train.err.code == ERR_CANCEL ?
		    "training stopped" : s->train.err.msg, w, -1, 0);
		attrset(A_NORMAL);
		return;
	}
	fmt_count(a, sizeof a, s->train.rep.rows);
	snprintf(buf, sizeof buf, "%s: %s, %s rows, %.2f s", s->train.rep.model,
	    s->train.rep.method ? s->train.rep.method : "fit", a,
	    s->train.elapsed);
	attrset(tattr(TA_OK));
	put_str(y, 0, buf, w, -1, 0);
	attrset(A_NORMAL);
}

static void
fmt_metric(char *buf, size_t n, double v)
{
	if (isnan(v))
		snprintf(buf, n, "n/a");
	else
		snprintf(buf, n, "%.4f", v);
}

/*
 * One line per metric: the mean over the splits, its standard
 * deviation, the baseline's mean, then each split (as many as fit).
 */
static void
draw_folds(const struct eval_report *r, int y, int h, int w)
{
	char buf[128];
	size_t m, f;
	int cw = 9, nw = 8, x, row = y + 1, nf;

	if (r->nmetrics == 0) {
		put_str(y, 0, r->final_describe ? r->final_describe :
		    "fitted", w, -1, 0);
		return;
	}
	for (m = 0; m < r->nmetrics; m++)
		if (str_width(r->metrics[m]->name) > nw)
			nw = str_width(r->metrics[m]->name);
	if (nw > w / 4)
		nw = w / 4;
	nf = (w - nw - 3 * (cw + 1)) / (cw + 1);
	if (nf < 0)
		nf = 0;
	attrset(tattr(TA_HEAD));
	put_fill(y, 0, w, tattr(TA_HEAD));
	put_str(y, 0, "metric", nw, -1, 1);
	x = nw + 1;
	put_str(y, x, "mean", cw, 1, 1);
	x += cw + 1;
	snprintf(buf, sizeof buf, "%sstd", glyph(G_PM));
	put_str(y, x, buf, cw, 1, 1);
	x += cw + 1;
	put_str(y, x, "baseline", cw, 1, 1);
	x += cw + 1;
	for (f = 0; f < r->nfolds && (int)f < nf; f++, x += cw + 1) {
		snprintf(buf, sizeof buf, "split %zu", f + 1);
		put_str(y, x, buf, cw, 1, 1);
	}
	attrset(A_NORMAL);
	if (ptop >= r->nmetrics)
		ptop = 0;
	for (m = ptop; m < r->nmetrics && row < y + h - 2; m++, row++) {
		put_str(row, 0, r->metrics[m]->name, nw, -1, 1);
		x = nw + 1;
		attrset(tattr(TA_TITLE));
		fmt_metric(buf, sizeof buf, r->mean[m]);
		put_str(row, x, buf, cw, 1, 1);
		attrset(A_NORMAL);
		x += cw + 1;
		fmt_metric(buf, sizeof buf, r->std[m]);
		put_str(row, x, buf, cw, 1, 1);
		x += cw + 1;
		attrset(tattr(TA_DIM));
		fmt_metric(buf, sizeof buf, r->base_mean ? r->base_mean[m] :
		    NAN);
		put_str(row, x, buf, cw, 1, 1);
		attrset(A_NORMAL);
		x += cw + 1;
		for (f = 0; f < r->nfolds && (int)f < nf; f++, x += cw + 1) {
			fmt_metric(buf, sizeof buf, r->folds[f].value[m]);
			put_str(row, x, buf, cw, 1, 1);
		}
	}
	row++;
	if (r->nfolds > 0 && row < y + h) {
		snprintf(buf, sizeof buf, "%zu split%s, %zu/%zu rows "
		    "train/test in the first%s", r->nfolds, r->nfolds == 1 ?
		    "" : "s", r->folds[0].ntrain, r->folds[0].ntest,
		    (int)r->nfolds > nf ? "; wider terminals show more "
		    "splits" : "");
		attrset(tattr(TA_DIM));
		put_str(row++, 0, buf, w, -1, 0);
		attrset(A_NORMAL);
	}
	if (r->final_describe != NULL && row < y + h)
		put_str(row, 0, r->final_describe, w, -1, 0);
}

static void
draw_confusion(const struct eval_report *r, int y, int h, int w)
{
	size_t k = r->nclasses, i, j, max = 0;
	int lw = 8, cw = 5, x0;
	char buf[64];

	if (r->task != TASK_CLASSIFY || r->confusion == NULL) {
		put_str(y, 0, "a confusion matrix is for classification", w,
		    -1, 0);
		return;
	}
	for (i = 0; i < k; i++) {
		if (str_width(r->classes[i]) > lw)
			lw = str_width(r->classes[i]);
		for (j = 0; j < k; j++)
			if (r->confusion[i * k + j] > max)
				max = r->confusion[i * k + j];
	}
	snprintf(buf, sizeof buf, "%zu", max);
	cw = (int)strlen(buf) + 2;
	for (i = 0; i < k; i++)
		if (str_width(r->classes[i]) + 1 > cw)
			cw = str_width(r->classes[i]) + 1;
	if (cw > 12)
		cw = 12;
	if (lw > 16)
		lw = 16;
	if (lw < 15)
		lw = 15;
	if (ci >= k)
		ci = 0;
	if (cj >= k)
		cj = 0;
	attrset(tattr(TA_DIM));
	put_str(y, 0, "true \\ predicted", lw + 2, -1, 0);
	attrset(A_NORMAL);
	x0 = lw + 2;
	for (j = 0; j < k && x0 + (int)j * cw < w; j++) {
		attrset(tattr(TA_HEAD));
		put_str(y, x0 + (int)j * cw, r->classes[j], cw - 1, 1, 1);
		attrset(A_NORMAL);
	}
	for (i = 0; i < k && (int)i < h - 2; i++) {
		size_t tot = 0;

		for (j = 0; j < k; j++)
			tot += r->confusion[i * k + j];
		attrset(tattr(TA_HEAD));
		put_str(y + 1 + (int)i, 0, r->classes[i], lw, -1, 1);
		attrset(A_NORMAL);
		for (j = 0; j < k && x0 + (int)j * cw < w; j++) {
			size_t v = r->confusion[i * k + j];
			double frac = tot ? (double)v / (double)tot : 0;
			enum tattr heat = frac > 0.75 ? TA_HEAT4 : frac >
			    0.4 ? TA_HEAT3 : frac > 0.1 ? TA_HEAT2 : TA_HEAT1;
			attr_t a = v > 0 ? tattr(heat) : A_NORMAL;

			if (i == ci && j == cj)
				a = tattr(TA_CURSOR) | A_BOLD;
			snprintf(buf, sizeof buf, "%zu", v);
			attrset(a);
			put_str(y + 1 + (int)i, x0 + (int)j * cw, buf, cw - 1,
			    1, 1);
			attrset(A_NORMAL);
		}
	}
	if ((int)k + 2 < h) {
		attrset(tattr(TA_DIM));
		snprintf(buf, sizeof buf, "held-out rows; arrows move, Enter "
		    "opens the rows of a cell");
		put_str(y + 2 + (int)k, 0, buf, w, -1, 0);
		attrset(A_NORMAL);
	}
}

static void
draw_plot(const struct eval_report *r, int y, int h, int w)
{
	struct canvas *cv;
	char buf[128];
	int pw = w - 8, ph = h - 2;

	if (pw < 10 || ph < 3)
		return;
	if (r->task == TASK_CLASSIFY) {
		int32_t *yy;
		double *score, *fpr, *tpr, auc;
		size_t n = 0, i, np;

		if (r->proba == NULL || r->nclasses < 2) {
			put_str(y, 0, "no ROC curve: the model gives no "
			    "probabilities", w, -1, 0);
			return;
		}
		yy = xcalloc(r->n + 1, sizeof *yy);
		score = xcalloc(r->n + 1, sizeof *score);
		for (i = 0; i < r->n; i++) {
			if (r->row_fold[i] < 0)
				continue;
			yy[n] = r->y_cls[i];
			score[n++] = r->proba[i * r->nclasses + r->pos];
		}
		fpr = xcalloc(n + 1, sizeof *fpr);
		tpr = xcalloc(n + 1, sizeof *tpr);
		np = metric_roc_curve(yy, score, n, (int32_t)r->pos, fpr, tpr);
		auc = metric_auc(yy, score, n, (int32_t)r->pos);
		if (r->nclasses > 2)
			snprintf(buf, sizeof buf, "ROC, %s against the rest: "
			    "AUC %.4f (held-out rows)", r->classes[r->pos],
			    auc);
		else
			snprintf(buf, sizeof buf, "ROC, positive class %s: "
			    "AUC %.4f (held-out rows)", r->classes[r->pos],
			    auc);
		attrset(tattr(TA_TITLE));
		put_str(y, 0, buf, w, -1, 0);
		attrset(A_NORMAL);
		cv = canvas_new(pw, ph);
		canvas_range(cv, 0, 1, 0, 1);
		canvas_line(cv, 0, 0, 1, 1, 2);
		for (i = 1; i < np; i++)
			canvas_line(cv, fpr[i - 1], tpr[i - 1], fpr[i],
			    tpr[i], 1);
		canvas_put(cv, y + 1, 6, tattr(TA_PLOT), tattr(TA_DIM));
		attrset(tattr(TA_DIM));
		put_str(y + 1, 0, "1 tpr", 5, 1, 0);
		put_str(y + ph, 0, "0", 5, 1, 0);
		put_str(y + ph + 1, 6, "0 fpr", 10, -1, 0);
		put_str(y + ph + 1, 6 + pw - 1, "1", 1, -1, 0);
		attrset(A_NORMAL);
		canvas_free(cv);
		free(yy);
		free(score);
		free(fpr);
		free(tpr);
		return;
	}
	if (r->task == TASK_REGRESS && r->pred_num != NULL) {
		double lo = INFINITY, hi = -INFINITY, rlo = INFINITY;
		double rhi = -INFINITY;
		size_t i, step;
		char a[32], b[40];

		for (i = 0; i < r->n; i++) {
			double res;

			if (r->row_fold[i] < 0)
				continue;
			res = r->y_num[i] - r->pred_num[i];
			lo = fmin(lo, r->pred_num[i]);
			hi = fmax(hi, r->pred_num[i]);
			rlo = fmin(rlo, res);
			rhi = fmax(rhi, res);
		}
		if (!(lo <= hi)) {
			put_str(y, 0, "no held-out predictions to plot", w, -1,
			    0);
			return;
		}
		rhi = fmax(fabs(rlo), fabs(rhi));
		attrset(tattr(TA_TITLE));
		put_str(y, 0, "residuals (true - predicted) against the "
		    "predictions, held-out rows", w, -1, 0);
		attrset(A_NORMAL);
		cv = canvas_new(pw, ph);
		canvas_range(cv, lo, hi, -rhi, rhi);
		canvas_line(cv, lo, 0, hi, 0, 2);
		/* a sample of at most 20000 points draws the same picture */
		step = r->n / 20000 + 1;
		for (i = 0; i < r->n; i += step)
			if (r->row_fold[i] >= 0)
				canvas_point(cv, r->pred_num[i], r->y_num[i] -
				    r->pred_num[i], 1);
		canvas_put(cv, y + 1, 6, tattr(TA_PLOT), tattr(TA_DIM));
		fmt_num(a, sizeof a, rhi);
		attrset(tattr(TA_DIM));
		put_str(y + 1, 0, a, 5, 1, 0);
		snprintf(b, sizeof b, "-%s", a);
		put_str(y + ph, 0, b, 5, 1, 0);
		fmt_num(a, sizeof a, lo);
		fmt_num(b, sizeof b, hi);
		put_str(y + ph + 1, 6, a, pw / 2, -1, 0);
		put_str(y + ph + 1, 6 + pw / 2, b, pw - pw / 2, 1, 0);
		attrset(A_NORMAL);
		canvas_free(cv);
		return;
	}
	put_str(y, 0, "no plot for this task", w, -1, 0);
}

static int
imp_cmp(const void *a, const void *b, void *arg)
{
	const double *v = arg;
	double x = fabs(v[*(const size_t *)a]), y = fabs(v[*(const size_t *)b]);

	return x < y ? 1 : x > y ? -1 : 0;
}

static void
draw_importance(const struct eval_report *r, int y, int h, int w)
{
	size_t *idx, i;
	double max = 0;
	int lw = 12, row;
	char buf[128];

	if (r->importance == NULL || r->nfeat == 0) {
		put_str(y, 0, "this model reports no importances", w, -1, 0);
		return;
	}
	idx = xcalloc(r->nfeat, sizeof *idx);
	for (i = 0; i < r->nfeat; i++) {
		idx[i] = i;
		if (fabs(r->importance[i]) > max)
			max = fabs(r->importance[i]);
		if (str_width(r->feat[i]) > lw)
			lw = str_width(r->feat[i]);
	}
	if (lw > w / 3)
		lw = w / 3;
	qsort_r(idx, r->nfeat, sizeof *idx, imp_cmp, r->importance);
	attrset(tattr(TA_TITLE));
	snprintf(buf, sizeof buf, "%s (final model, largest first)",
	    r->importance_kind ? r->importance_kind : "importance");
	put_str(y, 0, buf, w, -1, 0);
	attrset(A_NORMAL);
	if (ptop >= r->nfeat)
		ptop = 0;
	for (i = ptop, row = y + 1; i < r->nfeat && row < y + h; i++, row++) {
		double v = r->importance[idx[i]];

		put_str(row, 0, r->feat[idx[i]], lw, -1, 1);
		snprintf(buf, sizeof buf, "%.4g", v);
		put_str(row, lw + 1, buf, 10, 1, 1);
		attrset(v < 0 ? tattr(TA_PLOT2) : tattr(TA_PLOT));
		put_bar(row, lw + 12, w - lw - 13, max > 0 ? fabs(v) / max : 0);
		attrset(A_NORMAL);
	}
	free(idx);
}

static void
draw_grid(const struct eval_report *r, int y, int h, int w)
{
	size_t i, m, nm;
	int row, pw = 12, cw = 16;
	char buf[96];

	if (r->ngrid == 0) {
		put_str(y, 0, "no grid search: s opens its form (or :search "
		    "PARAM=v1,v2,...)", w, -1, 0);
		return;
	}
	for (i = 0; i < r->ngrid; i++)
		if (str_width(r->grid[i].params) + 3 > pw)
			pw = str_width(r->grid[i].params) + 3;
	if (pw > w / 2)
		pw = w / 2;
	/* the metrics that fit */
	nm = (size_t)((w - pw) / cw);
	if (nm > r->nmetrics)
		nm = r->nmetrics;
	attrset(tattr(TA_HEAD));
	put_fill(y, 0, w, tattr(TA_HEAD));
	put_str(y, 0, "parameters", pw, -1, 1);
	for (m = 0; m < nm; m++)
		put_str(y, pw + (int)m * cw, r->metrics[m]->name, cw - 1, 1,
		    1);
	attrset(A_NORMAL);
	if (ptop >= r->ngrid)
		ptop = 0;
	for (i = ptop, row = y + 1; i < r->ngrid && row < y + h; i++, row++) {
		attrset(i == r->best ? tattr(TA_OK) | A_BOLD : A_NORMAL);
		put_str(row, 0, i == r->best ? glyph(G_OK) : " ", 2, -1, 1);
		put_str(row, 2, r->grid[i].params, pw - 3, -1, 1);
		for (m = 0; m < nm; m++) {
			char a[32], b[32];

			fmt_metric(a, sizeof a, r->grid[i].mean[m]);
			fmt_metric(b, sizeof b, r->grid[i].std[m]);
			snprintf(buf, sizeof buf, "%s%s%s", a, glyph(G_PM), b);
			put_str(row, pw + (int)m * cw, buf, cw - 1, 1, 1);
		}
		attrset(A_NORMAL);
	}
	if (row < y + h) {
		attrset(tattr(TA_DIM));
		snprintf(buf, sizeof buf, "mean%sstd over the splits; %s the "
		    "best by %s, which the final model uses", glyph(G_PM),
		    glyph(G_OK), r->search_metric ? r->search_metric : "?");
		put_str(row + 1 < y + h ? row + 1 : row, 0, buf, w, -1, 0);
		attrset(A_NORMAL);
	}
}

static void
model_draw(int y, int h, int w)
{
	struct session *s = tui.s;
	const struct eval_report *r = &s->train.rep;
	int x, i, py;

	draw_setup(y, w);
	draw_progress(y + 4, w);
	if (!s->train.done || s->train.err.code != ERR_OK || h < 10)
		return;
	/* the panel tabs */
	x = 0;
	for (i = 0; i < P__COUNT; i++) {
		attrset(i == panel ? tattr(TA_BAR_CUR) : tattr(TA_DIM));
		x += put_str(y + 5, x, panel_names[i], w - x, -1, 0);
		attrset(A_NORMAL);
		x += 2;
		if (x >= w)
			break;
	}
	py = y + 6;
	switch (panel) {
	case P_FOLDS:
		draw_folds(r, py, h - 6, w);
		break;
	case P_CONFUSION:
		draw_confusion(r, py, h - 6, w);
		break;
	case P_PLOT:
		draw_plot(r, py, h - 6, w);
		break;
	case P_IMPORTANCE:
		draw_importance(r, py, h - 6, w);
		break;
	case P_GRID:
		draw_grid(r, py, h - 6, w);
		break;
	}
}

/* The held-out rows of confusion cell (i, j), in data order. */
static void
open_cell(void)
{
	const struct eval_report *r = &tui.s->train.rep;
	const struct table *raw = session_raw(tui.s);
	size_t *rows, n = 0, q;
	char what[256];

	if (r->confusion == NULL || r->y_cls == NULL)
		return;
	if (raw == NULL || raw->nrows != r->n) {
		tui_error("the data has changed since the training: t trains "
		    "again");
		return;
	}
	rows = xcalloc(r->n + 1, sizeof *rows);
	for (q = 0; q < r->n; q++)
		if (r->row_fold[q] >= 0 && (size_t)r->y_cls[q] == ci &&
		    (size_t)r->pred_cls[q] == cj)
			rows[n++] = q;
	if (n == 0) {
		free(rows);
		tui_status("no rows in that cell");
		return;
	}
	snprintf(what, sizeof what, "%s %s, predicted %s",
	    ci == cj ? "correct:" : "misclassified: true", r->classes[ci],
	    r->classes[cj]);
	data_show_rows(rows, n, what);
}

static int
model_key(const struct tkey *k)
{
	const struct eval_report *r = &tui.s->train.rep;
	wint_t c = k->key;
	size_t kk = r->nclasses;

	if (k->code) {
		switch (c) {
		case KEY_UP:
			if (panel == P_CONFUSION && ci > 0)
				ci--;
			else if (panel != P_CONFUSION && ptop > 0)
				ptop--;
			return 1;
		case KEY_DOWN:
			if (panel == P_CONFUSION && ci + 1 < kk)
				ci++;
			else if (panel != P_CONFUSION)
				ptop++;
			return 1;
		case KEY_LEFT:
			if (cj > 0)
				cj--;
			return 1;
		case KEY_RIGHT:
			if (cj + 1 < kk)
				cj++;
			return 1;
		case KEY_ENTER:
			if (panel == P_CONFUSION)
				open_cell();
			return 1;
		}
		return 0;
	}
	switch (c) {
	case 'm':
		choose_model();
		return 1;
	case 'p':
		edit_params();
		return 1;
	case 's':
		edit_grid();
		return 1;
	case 'T':
		choose_target();
		return 1;
	case 'v':
		choose_eval();
		return 1;
	case 'f':
		panel = P_FOLDS;
		break;
	case 'c':
		panel = P_CONFUSION;
		break;
	case 'r':
		panel = P_PLOT;
		break;
	case 'i':
		panel = P_IMPORTANCE;
		break;
	case 'g':
		panel = P_GRID;
		break;
	case '\r':
		if (panel == P_CONFUSION)
			open_cell();
		return 1;
	case 'k':
		if (panel == P_CONFUSION && ci > 0)
			ci--;
		return 1;
	case 'j':
		if (panel == P_CONFUSION && ci + 1 < kk)
			ci++;
		return 1;
	case 'h':
		if (cj > 0)
			cj--;
		return 1;
	case 'l':
		if (cj + 1 < kk)
			cj++;
		return 1;
	default:
		return 0;
	}
	ptop = 0;
	return 1;
}

static void
model_update(int bits)
{
	if (bits & SESSION_TRAINED) {
		ci = cj = 0;
		ptop = 0;
		if (tui.s->train.rep.task == TASK_CLASSIFY && panel == P_GRID &&
		    tui.s->train.rep.ngrid == 0)
			panel = P_FOLDS;
	}
}

const struct view_ops view_model_ops = {
	.name = "Model",
	.keys = model_keys,
	.draw = model_draw,
	.key = model_key,
	.update = model_update,
};

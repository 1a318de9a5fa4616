/*
 * pipeline.c - interpreting a spec into a pipeline, fitting and applying
 * the chain, and the fitted pipeline file (format in pipeline.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileout.h"
#include "core/metrics.h"
#include "core/pipeline.h"
#include "core/sha256.h"
#include "core/xmalloc.h"

static const struct param_def source_params[] = {
	{ "delimiter", PT_STR, "", NULL, 0, 0,
	  "field delimiter (default: detected)" },
	{ "header", PT_BOOL, "", NULL, 0, 0,
	  "whether the first row names the columns (default: detected)" },
	{ "na", PT_STR, "", NULL, 0, 0,
	  "comma-separated missing-value tokens" },
	{ "sample", PT_INT, "", NULL, 1, 1e9,
	  "rows that seed type inference" },
	{ "ragged", PT_ENUM, "error", "error|pad|drop", 0, 0,
	  "rows with the wrong number of fields" },
	{ "table", PT_STR, "", NULL, 0, 0, "SQLite table" },
	{ "query", PT_STR, "", NULL, 0, 0, "SQLite query" },
	{ "types", PT_STRS, "", NULL, 0, 0,
	  "forced column types, col:type,..." },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

static const struct param_def target_params[] = {
	{ "positive", PT_STR, "", NULL, 0, 0,
	  "the positive class of a binary target (default: the second "
	  "label in byte order)" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

static const struct param_def evaluate_params[] = {
	{ "fraction", PT_NUM, "0.2", NULL, 0, 1,
	  "holdout: the share of rows held out for testing" },
	{ "folds", PT_STR, "", NULL, 0, 0,
	  "cv: the number of folds (default 5); or a column of the data, "
	  "or a CSV file with one fold number per data row" },
	{ "seed", PT_INT, "0", NULL, 0, 9007199254740992.0,
	  "seed of the shuffle that makes the splits" },
	{ "stratified", PT_BOOL, "true", NULL, 0, 0,
	  "classification: keep class proportions in every split" },
	{ "metrics", PT_STRS, "", NULL, 0, 0,
	  "metrics to report (default: the task's usual set)" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

static const char *const verbs[] = {
	"lathe-pipeline", "source", "target", "step", "model", "evaluate",
	"search", NULL
};

static const char *
spec_file(const struct spec *sp)
{
	return sp->file ? sp->file : "<command>";
}

void
pipeline_free(struct pipeline *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nsteps; i++)
		step_free(p->steps[i]);
	free(p->steps);
	for (i = 0; i < p->nin; i++)
		free(p->in_names[i]);
	free(p->in_names);
	free(p->in_types);
	free(p->source);
	free(p->target);
	free(p->positive);
	model_free(p->model);
	free(p->eval.folds);
	strs_free(p->eval.metrics, p->eval.nmetrics);
	for (i = 0; i < p->search.n; i++) {
		free(p->search.names[i]);
		strs_free(p->search.values[i], p->search.nvalues[i]);
	}
	free(p->search.names);
	free(p->search.values);
	free(p->search.nvalues);
	free(p->search.metric);
	strs_free(p->skip, p->nskip);
	load_opts_release(&p->load);
	spec_free(p->spec);
	free(p);
}

static int
source_line(struct pipeline *p, const struct spec_line *l, struct err *e)
{
	const char *file = spec_file(p->spec);
	struct srcpos pos = { file, l->line };
	struct params pr;
	const char *data;
	size_t i, n;
	char **types;

	if (p->source != NULL)
		return err_set(e, ERR_SPEC, "%s:%d:%d: a second 'source' "
		    "statement", file, l->line, l->verb_col);
	if (l->npos == 2) {
		if (strcmp(l->pos[0].text, "csv") != 0 &&
		    strcmp(l->pos[0].text, "sqlite") != 0 &&
		    strcmp(l->pos[0].text, "dataset") != 0)
			return err_set(e, ERR_SPEC, "%s:%d:%d: unknown source "
			    "kind '%s' (csv, sqlite or dataset)", file,
			    l->line, l->pos[0].col, l->pos[0].text);
		data = l->pos[1].text;
	} else if (l->npos == 1)
		data = l->pos[0].text;
	else
		return err_set(e, ERR_SPEC, "%s:%d:%d: 'source' takes "
		    "[KIND] DATA, then key=value options", file, l->line,
		    l->verb_col);
	if (params_parse(&pr, source_params, l->kv, l->nkv, &pos,
	    "'source'", e) != 0)
		return -1;
	p->source = xstrdup(data);
	if (params_given(&pr, "delimiter")) {
		const char *d = params_str(&pr, "delimiter");

		if (strcmp(d, "tab") == 0 || strcmp(d, "\\t") == 0)
			p->load.delimiter = '\t';
		else if (strlen(d) == 1)
			p->load.delimiter = (unsigned char)d[0];
		else {
			const struct param_val *v = params_get(&pr,
			    "delimiter");

			params_release(&pr);
			return err_set(e, ERR_SPEC, "%s:%d:%d: bad delimiter "
			    "'%s': one character, or tab", file, l->line,
			    v->col, d);
		}
	}
	if (params_given(&pr, "header"))
		p->load.header = params_bool(&pr, "header");
	if (params_given(&pr, "na"))
		load_opts_set_na(&p->load, params_str(&pr, "na"));
	if (params_given(&pr, "sample"))
		p->load.sample_rows = (size_t)params_int(&pr, "sample");
	p->load.ragged = strcmp(params_str(&pr, "ragged"), "pad") == 0 ?
	    RAGGED_PAD : strcmp(params_str(&pr, "ragged"), "drop") == 0 ?
	    RAGGED_DROP : RAGGED_ERROR;
	/* load_opts keeps pointers: they live in the spec's words. */
	for (i = 0; i < l->nkv; i++) {
		if (strcmp(l->kv[i].key, "table") == 0)
			p->load.table = l->kv[i].value;
		if (strcmp(l->kv[i].key, "query") == 0)
			p->load.query = l->kv[i].value;
	}
	n = params_strs(&pr, "types", &types);
	for (i = 0; i < n; i++) {
		char *c = strrchr(types[i], ':');

		if (c != NULL)
			*c = '=';
		if (c == NULL || load_opts_add_type(&p->load, types[i],
		    e) != 0) {
			const struct param_val *v = params_get(&pr, "types");

			err_set(e, ERR_SPEC, "%s:%d:%d: bad types entry '%s': "
			    "expected column:type", file, l->line, v->col,
			    types[i]);
			strs_free(types, n);
			params_release(&pr);
			return -1;
		}
	}
	strs_free(types, n);
	params_release(&pr);
	return 0;
}

static int
step_line(struct pipeline *p, const struct spec_line *l, struct err *e)
{
	const char *file = spec_file(p->spec);
	struct srcpos pos = { file, l->line };
	const struct step_ops *ops;
	struct step *s;
	char what[128];

	if (l->npos != 1)
		return err_set(e, ERR_SPEC, "%s:%d:%d: %s", file, l->line,
		    l->npos == 0 ? l->verb_col : l->pos[1].col, l->npos == 0 ?
		    "'step' needs a step type: step TYPE key=value ..." :
		    "unexpected word: step arguments are key=value");
	ops = step_find(l->pos[0].text, e);
	if (ops == NULL) {
		err_prefix(e, "%s:%d:%d", file, l->line, l->pos[0].col);
		return -1;
	}
	/* A spec names steps in full: a prefix that is unique today may
	 * not be once another step exists. */
	if (strcmp(ops->name, l->pos[0].text) != 0)
		return err_set(e, ERR_SPEC, "%s:%d:%d: unknown step '%s' (did "
		    "you mean '%s'?)", file, l->line, l->pos[0].col,
		    l->pos[0].text, ops->name);
	s = step_new(ops);
	s->line = l->line;
	snprintf(what, sizeof what, "step '%s'", ops->name);
	if (params_parse(&s->params, ops->params, l->kv, l->nkv, &pos, what,
	    e) != 0 || (ops->check && ops->check(s, e) != 0)) {
		if (e->msg[0] != '\0' && strncmp(e->msg, file, strlen(file))
		    != 0) {
			if (strncmp(e->msg, "step '", 6) != 0) {
				int col = e->col;

				err_prefix(e, "step '%s'", ops->name);
				e->col = col;
			}
			if (e->col > 0)
				err_prefix(e, "%s:%d:%d", file, l->line,
				    e->col);
			else
				err_prefix(e, "%s:%d", file, l->line);
		}
		step_free(s);
		return -1;
	}
	p->steps = xreallocarray(p->steps, p->nsteps + 1, sizeof *p->steps);
	p->steps[p->nsteps++] = s;
	return 0;
}

/* Prefix an error from params_parse/check with FILE:LINE[:COL]. */
static void
line_error(const char *file, int line, const char *what, struct err *e)
{
	if (e->msg[0] == '\0' || strncmp(e->msg, file, strlen(file)) == 0)
		return;
	if (what != NULL && strncmp(e->msg, what, strlen(what)) != 0) {
		int col = e->col;

		err_prefix(e, "%s", what);
		e->col = col;
	}
	if (e->col > 0)
		err_prefix(e, "%s:%d:%d", file, line, e->col);
	else
		err_prefix(e, "%s:%d", file, line);
}

static int
model_line(struct pipeline *p, const struct spec_line *l, struct err *e)
{
	const char *file = spec_file(p->spec);
	struct srcpos pos = { file, l->line };
	const struct model_ops *ops;
	struct model *m;
	char what[128];

	if (p->model != NULL)
		return err_set(e, ERR_SPEC, "%s:%d:%d: a second 'model' "
		    "statement (a pipeline has one model)", file, l->line,
		    l->verb_col);
	if (l->npos != 1)
		return err_set(e, ERR_SPEC, "%s:%d:%d: %s", file, l->line,
		    l->npos == 0 ? l->verb_col : l->pos[1].col, l->npos == 0 ?
		    "'model' needs a model type: model TYPE key=value ..." :
		    "unexpected word: model arguments are key=value");
	ops = model_find(l->pos[0].text, e);
	if (ops == NULL) {
		err_prefix(e, "%s:%d:%d", file, l->line, l->pos[0].col);
		return -1;
	}
	m = model_new(ops);
	m->line = l->line;
	snprintf(what, sizeof what, "model '%s'", ops->name);
	if (params_parse(&m->params, ops->params, l->kv, l->nkv, &pos, what,
	    e) != 0 || (ops->check && ops->check(m, e) != 0)) {
		line_error(file, l->line, what, e);
		model_free(m);
		return -1;
	}
	p->model = m;
	return 0;
}

static int
is_count(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int
evaluate_line(struct pipeline *p, const struct spec_line *l, struct err *e)
{
	const char *file = spec_file(p->spec);
	struct srcpos pos = { file, l->line };
	struct eval_def *ev = &p->eval;
	struct params pr;
	const char *method = NULL, *folds;

	if (ev->method != EVAL_NONE)
		return err_set(e, ERR_SPEC, "%s:%d:%d: a second 'evaluate' "
		    "statement", file, l->line, l->verb_col);
	if (l->npos > 1)
		return err_set(e, ERR_SPEC, "%s:%d:%d: unexpected word: "
		    "evaluate [holdout|cv] key=value ...", file, l->line,
		    l->pos[1].col);
	if (l->npos == 1) {
		method = l->pos[0].text;
		if (strcmp(method, "holdout") != 0 &&
		    strcmp(method, "cv") != 0) {
			const char *const m[] = { "holdout", "cv", NULL };
			const char *sug = suggest(method, m);

			return err_set(e, ERR_SPEC, "%s:%d:%d: unknown "
			    "evaluation '%s' (%s%s%s)", file, l->line,
			    l->pos[0].col, method, sug ? "did you mean '" :
			    "holdout, cv, or folds=COLUMN|FILE", sug ? sug :
			    "", sug ? "'?" : "");
		}
	}
	if (params_parse(&pr, evaluate_params, l->kv, l->nkv, &pos,
	    "'evaluate'", e) != 0)
		return -1;
	ev->line = l->line;
	ev->fraction = params_num(&pr, "fraction");
	ev->seed = params_int(&pr, "seed");
	ev->stratified = params_bool(&pr, "stratified");
	ev->nmetrics = params_strs(&pr, "metrics", &ev->metrics);
	if (ev->nmetrics == 0) {
		free(ev->metrics);
		ev->metrics = NULL;
	}
	folds = params_str(&pr, "folds");
	if (params_given(&pr, "fraction") && (method == NULL ||
	    strcmp(method, "holdout") != 0)) {
		err_set(e, ERR_SPEC, "%s:%d:%d: 'fraction' is for 'evaluate "
		    "holdout'", file, l->line, params_get(&pr, "fraction")->col);
		goto fail;
	}
	if (ev->fraction <= 0 || ev->fraction >= 1) {
		err_set(e, ERR_SPEC, "%s:%d:%d: fraction must be between 0 and "
		    "1 (exclusive)", file, l->line,
		    params_get(&pr, "fraction")->col);
		goto fail;
	}
	if (method != NULL && strcmp(method, "holdout") == 0) {
		if (*folds != '\0') {
			err_set(e, ERR_SPEC, "%s:%d:%d: 'folds' is for 'evaluate "
			    "cv' or 'evaluate folds=...'", file, l->line,
			    params_get(&pr, "folds")->col);
			goto fail;
		}
		ev->method = EVAL_HOLDOUT;
	} else if (*folds == '\0' || is_count(folds)) {
		if (method == NULL && *folds == '\0') {
			err_set(e, ERR_SPEC, "%s:%d:%d: 'evaluate' needs "
			    "holdout, cv, or folds=COLUMN|FILE", file, l->line,
			    l->verb_col);
			goto fail;
		}
		ev->k = *folds ? strtol(folds, NULL, 10) : 5;
		if (ev->k < 2 || ev->k > 1000000) {
			err_set(e, ERR_SPEC, "%s:%d:%d: folds must be at least "
			    "2", file, l->line, params_get(&pr, "folds")->col);
			goto fail;
		}
		ev->method = EVAL_CV;
	} else {
		/* a column of the data or a file: decided when the data
		 * is there (evaluate.c) */
		ev->method = EVAL_FOLDS_COLUMN;
		ev->folds = xstrdup(folds);
	}
	params_release(&pr);
	return 0;
fail:
	params_release(&pr);
	strs_free(ev->metrics, ev->nmetrics);
	ev->metrics = NULL;
	ev->nmetrics = 0;
	ev->method = EVAL_NONE;
	return -1;
}

static int
search_line(struct pipeline *p, const struct spec_line *l, struct err *e)
{
	const char *file = spec_file(p->spec);
	struct search_def *sd = &p->search;
	size_t i;

	if (sd->line != 0)
		return err_set(e, ERR_SPEC, "%s:%d:%d: a second 'search' "
		    "statement", file, l->line, l->verb_col);
	if (l->npos != 0)
		return err_set(e, ERR_SPEC, "%s:%d:%d: unexpected word: "
		    "search PARAM=v1,v2,... [metric=NAME]", file, l->line,
		    l->pos[0].col);
	sd->line = l->line;
	for (i = 0; i < l->nkv; i++) {
		const struct param_word *w = &l->kv[i];
		char *v, *tok, *save = NULL;
		size_t k = sd->n;

		/* metric=NAME is the metric the grid is judged by; a list
		 * (metric=a,b) is a grid over a model parameter called
		 * metric (knn's); check_model_lines settles a single word */
		if (strcmp(w->key, "metric") == 0 &&
		    strchr(w->value, ',') == NULL) {
			free(sd->metric);
			sd->metric = xstrdup(w->value);
			continue;
		}
		sd->names = xreallocarray(sd->names, k + 1,
		    sizeof *sd->names);
		sd->values = xreallocarray(sd->values, k + 1,
		    sizeof *sd->values);
		sd->nvalues = xreallocarray(sd->nvalues, k + 1,
		    sizeof *sd->nvalues);
		sd->names[k] = xstrdup(w->key);
		sd->values[k] = NULL;
		sd->nvalues[k] = 0;
		sd->n++;
		v = xstrdup(w->value);
		for (tok = strtok_r(v, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			sd->values[k] = xreallocarray(sd->values[k],
			    sd->nvalues[k] + 1, sizeof *sd->values[k]);
			sd->values[k][sd->nvalues[k]++] = xstrdup(tok);
		}
		free(v);
		if (sd->nvalues[k] == 0)
			return err_set(e, ERR_SPEC, "%s:%d:%d: '%s' needs "
			    "values: %s=v1,v2,...", file, l->line, w->vcol,
			    w->key, w->key);
	}
	if (sd->n == 0)
		return err_set(e, ERR_SPEC, "%s:%d:%d: 'search' needs at least "
		    "one PARAM=v1,v2,...", file, l->line, l->verb_col);
	return 0;
}

/*
 * Checks that need the whole spec: evaluate and search need a model;
 * metrics belong to the model's task; every grid value is a valid value
 * of its model parameter.
 */
static int
check_model_lines(struct pipeline *p, struct err *e)
{
	const char *file = spec_file(p->spec);
	const struct spec_line *sl = NULL;
	size_t i, k;

	if (p->model == NULL) {
		if (p->eval.method != EVAL_NONE)
			return err_set(e, ERR_SPEC, "%s:%d: 'evaluate' needs a "
			    "'model' statement", file, p->eval.line);
		if (p->search.line != 0)
			return err_set(e, ERR_SPEC, "%s:%d: 'search' needs a "
			    "'model' statement", file, p->search.line);
		return 0;
	}
	if (p->model->ops->task != TASK_CLUSTER && p->target == NULL)
		return err_set(e, ERR_SPEC, "%s:%d: model '%s' needs a "
		    "'target COLUMN' statement", file, p->model->line,
		    p->model->ops->name);
	if (p->positive != NULL && p->model->ops->task != TASK_CLASSIFY)
		return err_set(e, ERR_SPEC, "%s: 'positive=' is for "
		    "classification models", file);
	for (i = 0; i < p->eval.nmetrics; i++) {
		if (metric_find(p->eval.metrics[i], p->model->ops->task, e) ==
		    NULL) {
			err_prefix(e, "%s:%d", file, p->eval.line);
			return -1;
		}
	}
	if (p->search.line != 0 && p->eval.method == EVAL_NONE)
		return err_set(e, ERR_SPEC, "%s:%d: 'search' needs an "
		    "'evaluate' statement to score the grid on", file,
		    p->search.line);
	if (p->search.metric != NULL && metric_find(p->search.metric,
	    p->model->ops->task, e) == NULL) {
		const struct param_def *d;

		/* not a metric: a one-value grid over the model's own
		 * 'metric' parameter, when it has one */
		for (d = p->model->ops->params; d && d->name; d++)
			if (strcmp(d->name, "metric") == 0)
				break;
		if (d == NULL || d->name == NULL) {
			err_prefix(e, "%s:%d", file, p->search.line);
			return -1;
		}
		err_clear(e);
		k = p->search.n;
		p->search.names = xreallocarray(p->search.names, k + 1,
		    sizeof *p->search.names);
		p->search.values = xreallocarray(p->search.values, k + 1,
		    sizeof *p->search.values);
		p->search.nvalues = xreallocarray(p->search.nvalues, k + 1,
		    sizeof *p->search.nvalues);
		p->search.names[k] = xstrdup("metric");
		p->search.values[k] = xmalloc(sizeof *p->search.values[k]);
		p->search.values[k][0] = p->search.metric;
		p->search.nvalues[k] = 1;
		p->search.n++;
		p->search.metric = NULL;
	}
	for (i = 0; i < p->spec->nlines; i++)
		if (p->spec->lines[i].line == p->search.line &&
		    p->spec->lines[i].verb != NULL)
			sl = &p->spec->lines[i];
	for (i = 0; i < p->search.n; i++) {
		const struct param_def *d;
		const char *names[128];
		size_t nn = 0;
		int col = 0;

		for (k = 0; sl != NULL && k < sl->nkv; k++)
			if (strcmp(sl->kv[k].key, p->search.names[i]) == 0)
				col = sl->kv[k].kcol;
		for (d = p->model->ops->params; d && d->name; d++) {
			if (strcmp(d->name, p->search.names[i]) == 0)
				break;
			if (nn < 127)
				names[nn++] = d->name;
		}
		names[nn] = NULL;
		if (d == NULL || d->name == NULL) {
			const char *sug = suggest(p->search.names[i], names);

			return err_set(e, ERR_SPEC, "%s:%d:%d: model '%s' has "
			    "no parameter '%s'%s%s%s", file, p->search.line,
			    col, p->model->ops->name, p->search.names[i],
			    sug ? " (did you mean '" : "", sug ? sug : "",
			    sug ? "'?)" : "");
		}
		for (k = 0; k < p->search.nvalues[i]; k++) {
			char *key = p->search.names[i];
			char *val = p->search.values[i][k];

			if (pipeline_set_model_params(p, &key, &val, 1, e) !=
			    0) {
				char msg[ERR_MSG_MAX];
				const char *m = e->msg;

				/* the check's own "FILE:LINE:COL: " is the
				 * model line's: say the search line's */
				if (strncmp(m, file, strlen(file)) == 0 &&
				    strstr(m + strlen(file), ": ") != NULL)
					m = strstr(m + strlen(file), ": ") + 2;
				snprintf(msg, sizeof msg, "%s", m);
				err_set(e, ERR_SPEC, "%s:%d:%d: search: %s",
				    file, p->search.line, col, msg);
				return -1;
			}
		}
	}
	/* back to the spec's own values */
	if (p->search.n > 0 && pipeline_set_model_params(p, NULL, NULL, 0,
	    e) != 0)
		return -1;
	return 0;
}

/*
 * Columns that the leading 'drop' steps name plainly (no glob, group or
 * '!') are dropped before anything reads them: the loader need not parse
 * them.  They load as all-missing text, so the drop still finds them and
 * the recorded schema is the same at training and at inference.
 */
static void
find_skips(struct pipeline *p)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++) {
		const char *sel;
		char **names;
		size_t n, k;

		if (strcmp(p->steps[i]->ops->name, "drop") != 0)
			break;
		sel = params_str(&p->steps[i]->params, "columns");
		if (strpbrk(sel, "@*?[!") != NULL)
			break;
		n = params_strs(&p->steps[i]->params, "columns", &names);
		for (k = 0; k < n; k++) {
			if (p->target != NULL && strcmp(names[k], p->target)
			    == 0)
				continue;
			p->skip = xreallocarray(p->skip, p->nskip + 1,
			    sizeof *p->skip);
			p->skip[p->nskip++] = xstrdup(names[k]);
		}
		strs_free(names, n);
	}
	p->load.skip = p->skip;
	p->load.nskip = p->nskip;
}

struct pipeline *
pipeline_new(struct spec *sp, struct err *e)
{
	struct pipeline *p = xcalloc(1, sizeof *p);
	const char *file = spec_file(sp);
	size_t i;
	int seen_header = 0;

	p->spec = sp;
	load_opts_init(&p->load);
	for (i = 0; i < sp->nlines; i++) {
		const struct spec_line *l = &sp->lines[i];
		const char *sug;

		if (l->verb == NULL)
			continue;
		if (!seen_header) {
			char *end;
			long v;

			if (strcmp(l->verb, "lathe-pipeline") != 0 ||
			    l->npos != 1) {
				err_set(e, ERR_SPEC, "%s:%d:%d: a spec starts "
				    "with 'lathe-pipeline %d'", file, l->line,
				    l->verb_col, PIPELINE_FORMAT_VERSION);
				goto fail;
			}
			v = strtol(l->pos[0].text, &end, 10);
			if (*end != '\0' || v < 1) {
				err_set(e, ERR_SPEC, "%s:%d:%d: bad format "
				    "version '%s'", file, l->line,
				    l->pos[0].col, l->pos[0].text);
				goto fail;
			}
			if (v > PIPELINE_FORMAT_VERSION) {
				err_set(e, ERR_SPEC, "%s:%d:%d: spec format "
				    "version %ld is newer than this lathe "
				    "reads (%d)", file, l->line, l->pos[0].col,
				    v, PIPELINE_FORMAT_VERSION);
				goto fail;
			}
			seen_header = 1;
			continue;
		}
		if (strcmp(l->verb, "source") == 0) {
			if (source_line(p, l, e) != 0)
				goto fail;
		} else if (strcmp(l->verb, "target") == 0) {
			struct srcpos pos = { file, l->line };
			struct params pr;

			if (l->npos != 1 || p->target) {
				err_set(e, ERR_SPEC, "%s:%d:%d: %s", file,
				    l->line, l->verb_col, p->target ?
				    "a second 'target' statement" :
				    "'target' takes one column name");
				goto fail;
			}
			if (params_parse(&pr, target_params, l->kv, l->nkv,
			    &pos, "'target'", e) != 0)
				goto fail;
			p->target = xstrdup(l->pos[0].text);
			if (params_given(&pr, "positive"))
				p->positive = xstrdup(params_str(&pr,
				    "positive"));
			params_release(&pr);
		} else if (strcmp(l->verb, "model") == 0) {
			if (model_line(p, l, e) != 0)
				goto fail;
		} else if (strcmp(l->verb, "evaluate") == 0) {
			if (evaluate_line(p, l, e) != 0)
				goto fail;
		} else if (strcmp(l->verb, "search") == 0) {
			if (search_line(p, l, e) != 0)
				goto fail;
		} else if (strcmp(l->verb, "step") == 0) {
			if (p->model != NULL) {
				err_set(e, ERR_SPEC, "%s:%d:%d: a 'step' after "
				    "the 'model' statement: steps come before "
				    "the model", file, l->line, l->verb_col);
				goto fail;
			}
			if (step_line(p, l, e) != 0)
				goto fail;
		} else if (strcmp(l->verb, "lathe-pipeline") == 0) {
			err_set(e, ERR_SPEC, "%s:%d:%d: 'lathe-pipeline' only "
			    "once, first", file, l->line, l->verb_col);
			goto fail;
		} else {
			sug = suggest(l->verb, verbs);
			if (sug)
				err_set(e, ERR_SPEC, "%s:%d:%d: unknown "
				    "statement '%s' (did you mean '%s'?)",
				    file, l->line, l->verb_col, l->verb, sug);
			else
				err_set(e, ERR_SPEC, "%s:%d:%d: unknown "
				    "statement '%s' (statements: source, "
				    "target, step)", file, l->line,
				    l->verb_col, l->verb);
			goto fail;
		}
	}
	if (!seen_header) {
		err_set(e, ERR_SPEC, "%s: empty spec: it starts with "
		    "'lathe-pipeline %d'", file, PIPELINE_FORMAT_VERSION);
		goto fail;
	}
	if (check_model_lines(p, e) != 0)
		goto fail;
	find_skips(p);
	return p;
fail:
	pipeline_free(p);
	return NULL;
}

static void
record_schema(struct pipeline *p, const struct table *t)
{
	size_t i;

	for (i = 0; i < p->nin; i++)
		free(p->in_names[i]);
	free(p->in_names);
	free(p->in_types);
	p->nin = t->ncols;
	p->in_names = xmalloc((t->ncols ? t->ncols : 1) * sizeof *p->in_names);
	p->in_types = xmalloc((t->ncols ? t->ncols : 1) * sizeof *p->in_types);
	for (i = 0; i < t->ncols; i++) {
		p->in_names[i] = xstrdup(t->cols[i]->name);
		p->in_types[i] = t->cols[i]->type;
	}
}

static void
step_error(const struct pipeline *p, const struct step *s, struct err *e)
{
	if (e->col > 0)
		err_prefix(e, "%s:%d:%d: step '%s'", spec_file(p->spec),
		    s->line, e->col, s->ops->name);
	else
		err_prefix(e, "%s:%d: step '%s'", spec_file(p->spec), s->line,
		    s->ops->name);
}

int
pipeline_fit(struct pipeline *p, struct table *t, struct err *e)
{
	struct apply_ctx ctx;
	size_t i;

	if (p->target != NULL && table_find(t, p->target) < 0)
		return err_set(e, ERR_SPEC, "%s: target column '%s' is not in "
		    "the data", spec_file(p->spec), p->target);
	record_schema(p, t);
	memset(&ctx, 0, sizeof ctx);
	ctx.training = 1;
	for (i = 0; i < p->nsteps; i++) {
		struct step *s = p->steps[i];

		if (s->disabled)
			continue;
		s->target = p->target;
		/* Steps read num[]: indicator columns get it here (and
		 * stay compact when no step that reads values follows). */
		if (!s->ops->keeps_indicators)
			table_materialize(t);
		if (s->ops->fit(s, t, e) != 0 ||
		    s->ops->apply(s, t, &ctx, e) != 0) {
			step_error(p, s, e);
			return -1;
		}
		s->fitted = 1;
	}
	p->fitted = 1;
	return 0;
}

int
pipeline_apply(struct pipeline *p, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++) {
		struct step *s = p->steps[i];

		if (s->disabled)
			continue;
		if (!s->ops->keeps_indicators)
			table_materialize(t);
		if (s->ops->apply(s, t, ctx, e) != 0) {
			step_error(p, s, e);
			return -1;
		}
	}
	return 0;
}

static int
is_skipped(const struct pipeline *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nskip; i++)
		if (strcmp(p->skip[i], name) == 0)
			return 1;
	return 0;
}

int
pipeline_conform(const struct pipeline *p, struct table *t, int keep,
    struct err *e)
{
	struct column **cols;
	unsigned char *used = xcalloc(t->ncols ? t->ncols : 1, 1);
	size_t i, k = 0, total = p->nin;

	for (i = 0; i < p->nin; i++) {
		long j = table_find(t, p->in_names[i]);

		if (j < 0 && p->target != NULL &&
		    strcmp(p->in_names[i], p->target) == 0)
			continue;	/* new data need not have the target */
		if (j < 0) {
			free(used);
			return err_set(e, ERR_DATA, "the input has no column "
			    "'%s', which the pipeline was trained with",
			    p->in_names[i]);
		}
		if (t->cols[j]->type != p->in_types[i] &&
		    !(coltype_is_number(t->cols[j]->type) &&
		    coltype_is_number(p->in_types[i])) &&
		    !is_skipped(p, p->in_names[i])) {
			free(used);
			return err_set(e, ERR_DATA, "column '%s' is %s in the "
			    "input but was %s in training", p->in_names[i],
			    coltype_name(t->cols[j]->type),
			    coltype_name(p->in_types[i]));
		}
		used[j] = 1;
	}
	if (keep)
		total = t->ncols;
	cols = xmalloc((total ? total : 1) * sizeof *cols);
	for (i = 0; i < p->nin; i++) {
		long j = table_find(t, p->in_names[i]);

		if (j < 0)
			continue;
		cols[k++] = t->cols[j];
		/* An integer column may arrive where floats were seen. */
		if (t->cols[j]->type != p->in_types[i] &&
		    coltype_is_number(t->cols[j]->type))
			t->cols[j]->type = p->in_types[i];
	}
	for (i = 0; i < t->ncols; i++) {
		if (used[i])
			continue;
		if (keep)
			cols[k++] = t->cols[i];
		else
			column_free(t->cols[i]);
	}
	free(t->cols);
	t->cols = cols;
	t->ncols = k;
	t->cap_cols = total ? total : 1;
	free(used);
	return 0;
}

void
pipeline_load_opts(const struct pipeline *p, struct load_opts *o)
{
	size_t i;

	load_opts_init(o);
	o->delimiter = p->load.delimiter;
	o->header = p->load.header;
	o->ragged = p->load.ragged;
	/* The source's missing tokens replace the defaults. */
	for (i = 0; i < o->nna; i++)
		free(o->na[i]);
	free(o->na);
	o->na = xmalloc((p->load.nna ? p->load.nna : 1) * sizeof *o->na);
	for (i = 0; i < p->load.nna; i++)
		o->na[i] = xstrdup(p->load.na[i]);
	o->nna = p->load.nna;
	for (i = 0; i < p->nin; i++) {
		o->types = xreallocarray(o->types, o->ntypes + 1,
		    sizeof *o->types);
		o->types[o->ntypes].column = xstrdup(p->in_names[i]);
		/* integers are read as numbers: a 1.5 later is no error */
		o->types[o->ntypes].type = p->in_types[i] == COL_INT ?
		    COL_FLOAT : p->in_types[i];
		o->ntypes++;
	}
	o->types_optional = 1;
	o->skip = p->skip;
	o->nskip = p->nskip;
}

/* ------------------------------------------------------- the model --- */

static const struct spec_line *
find_line(const struct spec *sp, const char *verb)
{
	size_t i;

	for (i = 0; i < sp->nlines; i++)
		if (sp->lines[i].verb != NULL &&
		    strcmp(sp->lines[i].verb, verb) == 0)
			return &sp->lines[i];
	return NULL;
}

int
pipeline_set_model_params(struct pipeline *p, char *const *keys,
    char *const *values, size_t n, struct err *e)
{
	const struct spec_line *l = find_line(p->spec, "model");
	struct srcpos pos = { spec_file(p->spec), l ? l->line : 0 };
	struct param_word *w;
	struct params pr;
	size_t i, k, nw = 0;
	char what[128];

	if (p->model == NULL || l == NULL)
		return err_set(e, ERR_SPEC, "the pipeline has no model");
	w = xcalloc(l->nkv + n + 1, sizeof *w);
	for (i = 0; i < l->nkv; i++) {
		for (k = 0; k < n; k++)
			if (strcmp(keys[k], l->kv[i].key) == 0)
				break;
		if (k == n)
			w[nw++] = l->kv[i];
	}
	for (k = 0; k < n; k++) {
		w[nw].key = keys[k];
		w[nw].value = values[k];
		w[nw].kcol = w[nw].vcol = 0;
		nw++;
	}
	snprintf(what, sizeof what, "model '%s'", p->model->ops->name);
	if (params_parse(&pr, p->model->ops->params, w, nw, &pos, what, e) !=
	    0) {
		free(w);
		return -1;
	}
	free(w);
	params_release(&p->model->params);
	p->model->params = pr;
	if (p->model->ops->check != NULL && p->model->ops->check(p->model, e)
	    != 0)
		return -1;
	return 0;
}

struct pipeline *
pipeline_clone(const struct pipeline *p, struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	struct spec *sp;
	struct pipeline *q;
	size_t i;

	spec_write(p->spec, &sb);
	sp = spec_parse(strbuf_str(&sb), p->spec->file, NULL, e);
	strbuf_release(&sb);
	if (sp == NULL)
		return NULL;
	q = pipeline_new(sp, e);
	if (q == NULL)
		return NULL;
	/* the workbench's switched-off steps stay off */
	for (i = 0; i < p->nsteps && i < q->nsteps; i++)
		q->steps[i]->disabled = p->steps[i]->disabled;
	if (p->model != NULL) {
		params_release(&q->model->params);
		params_copy(&q->model->params, &p->model->params);
	}
	return q;
}

int
pipeline_model_data(const struct pipeline *p, const struct table *t,
    struct fmat *X, struct target *y, struct err *e)
{
	enum model_task task = p->model->ops->task;
	const char *what = p->model->ops->name;
	long tc = p->target ? table_find(t, p->target) : -1;

	if (y != NULL)
		memset(y, 0, sizeof *y);
	if (y != NULL && task != TASK_CLUSTER) {
		if (tc < 0)
			return err_set(e, ERR_DATA, "model '%s': the target "
			    "column '%s' is gone after the steps (a step "
			    "dropped or renamed it)", what, p->target);
		if (target_from_column(y, t->cols[tc], t->nrows, task, e) != 0)
			return -1;
	}
	if (fmat_from_table(X, t, p->target, e) != 0) {
		if (y != NULL)
			target_release(y);
		err_prefix(e, "model '%s'", what);
		return -1;
	}
	return 0;
}

int
pipeline_fit_model(struct pipeline *p, const struct table *t,
    const struct model_ctx *ctx, struct err *e)
{
	struct fmat X;
	struct target y;
	int rc;

	if (p->model == NULL)
		return 0;
	if (pipeline_model_data(p, t, &X, &y, e) != 0)
		return -1;
	if (y.task == TASK_CLASSIFY && p->positive != NULL) {
		size_t k;

		for (k = 0; k < y.nclasses; k++)
			if (strcmp(y.classes[k], p->positive) == 0)
				break;
		if (k == y.nclasses) {
			fmat_release(&X);
			target_release(&y);
			return err_set(e, ERR_DATA, "positive class '%s' is not "
			    "a value of target '%s'", p->positive, p->target);
		}
	}
	rc = model_fit(p->model, &X, y.task == TASK_CLUSTER ? NULL : &y, ctx,
	    e);
	if (rc != 0 && e->code != ERR_CANCEL &&
	    strncmp(e->msg, "model '", 7) != 0)
		err_prefix(e, "%s:%d: model '%s'", spec_file(p->spec),
		    p->model->line, p->model->ops->name);
	fmat_release(&X);
	target_release(&y);
	return rc;
}

/* ------------------------------------------------------ the file --- */

void
pipeline_save(const struct pipeline *p, struct strbuf *out)
{
	struct strbuf body = STRBUF_INIT;
	struct sha256 h;
	char hex[65];
	size_t i;

	strbuf_addstr(&body, "[recipe]\n");
	spec_write(p->spec, &body);
	strbuf_addstr(&body, "[schema]\n");
	for (i = 0; i < p->nin; i++) {
		state_word(&body, p->in_names[i]);
		strbuf_addf(&body, " %s\n", coltype_name(p->in_types[i]));
	}
	for (i = 0; i < p->nsteps; i++) {
		const struct step *s = p->steps[i];

		strbuf_addf(&body, "[step %zu %s]\n", i + 1, s->ops->name);
		if (s->ops->save)
			s->ops->save(s, &body);
	}
	if (p->model != NULL && p->model->fitted) {
		struct strbuf pv = STRBUF_INIT;

		strbuf_addf(&body, "[model %s]\n", p->model->ops->name);
		params_write(&p->model->params, &pv);
		state_put_str(&body, "params", strbuf_str(&pv));
		strbuf_release(&pv);
		model_save(p->model, &body);
	}
	strbuf_addstr(&body, "[end]\n");
	sha256_init(&h);
	sha256_update(&h, body.buf, body.len);
	sha256_hex(&h, hex);
	strbuf_addf(out, "lathe-fitted %d\nsha256 %s\n", FITTED_FORMAT_VERSION,
	    hex);
	strbuf_add(out, body.buf, body.len);
	strbuf_release(&body);
}

/* The text of section NAME ("[recipe]") up to the next '[' line. */
static char *
section(const char *body, const char *head)
{
	const char *p = body, *start, *q;
	size_t hl = strlen(head);

	for (;;) {
		if (strncmp(p, head, hl) == 0 && p[hl] == '\n')
			break;
		p = strchr(p, '\n');
		if (p == NULL)
			return NULL;
		p++;
	}
	start = p + hl + 1;
	for (q = start; *q; ) {
		if (*q == '[')
			break;
		q = strchr(q, '\n');
		if (q == NULL) {
			q = start + strlen(start);
			break;
		}
		q++;
	}
	return xstrndup(start, (size_t)(q - start));
}

/* The [model TYPE] section: the parameters it was fitted with, then its
 * state. */
static int
model_section(struct pipeline *p, const char *body, const char *name,
    struct err *e)
{
	struct model *m = p->model;
	struct state st;
	char head[128], what[160], *txt, *pv = NULL;
	struct spec_line *l;
	int rc = -1;

	snprintf(head, sizeof head, "[model %s]", m->ops->name);
	txt = section(body, head);
	if (txt == NULL)
		return err_set(e, ERR_DATA, "'%s' is damaged: no state for the "
		    "model (%s)", name, m->ops->name);
	snprintf(what, sizeof what, "'%s': model (%s)", name, m->ops->name);
	state_parse(&st, txt, what, e);
	free(txt);
	if (state_get_str(&st, "params", &pv, e) != 0)
		goto out;
	/* the parameters it was fitted with (a grid's best) */
	{
		struct strbuf sb = STRBUF_INIT;
		struct srcpos pos = { name, 0 };
		struct params pr;

		strbuf_addf(&sb, "model %s %s", m->ops->name, pv);
		l = spec_parse_line(strbuf_str(&sb), 0, NULL, e);
		strbuf_release(&sb);
		if (l == NULL || params_parse(&pr, m->ops->params, l->kv, l->nkv,
		    &pos, what, e) != 0) {
			spec_line_free(l);
			err_prefix(e, "'%s' is damaged: bad model parameters",
			    name);
			e->code = ERR_DATA;
			goto out;
		}
		spec_line_free(l);
		params_release(&m->params);
		m->params = pr;
	}
	if (model_load(m, &st, e) != 0)
		goto out;
	rc = 0;
out:
	free(pv);
	state_release(&st);
	return rc;
}

struct pipeline *
pipeline_read(const char *text, const char *name, struct err *e)
{
	struct pipeline *p = NULL;
	struct spec *sp;
	const char *body, *nl;
	char hex[65], *recipe = NULL, *schema = NULL;
	struct sha256 h;
	long version;
	size_t i;

	if (strncmp(text, "lathe-fitted ", 13) != 0) {
		err_set(e, ERR_DATA, "'%s' is not a fitted lathe pipeline "
		    "(it does not start with 'lathe-fitted')", name);
		return NULL;
	}
	version = strtol(text + 13, NULL, 10);
	if (version < 1 || version > FITTED_FORMAT_VERSION) {
		err_set(e, ERR_DATA, "'%s' is a fitted pipeline of format "
		    "version %ld; this lathe reads version %d", name, version,
		    FITTED_FORMAT_VERSION);
		return NULL;
	}
	nl = strchr(text, '\n');
	if (nl == NULL || strncmp(nl + 1, "sha256 ", 7) != 0 ||
	    (body = strchr(nl + 1, '\n')) == NULL) {
		err_set(e, ERR_DATA, "'%s' is damaged: no checksum line",
		    name);
		return NULL;
	}
	body++;
	sha256_init(&h);
	sha256_update(&h, body, strlen(body));
	sha256_hex(&h, hex);
	if ((size_t)(body - 1 - (nl + 8)) != 64 ||
	    strncmp(nl + 8, hex, 64) != 0) {
		err_set(e, ERR_DATA, "'%s' is damaged: its checksum does not "
		    "match (truncated or edited after it was written)", name);
		return NULL;
	}
	recipe = section(body, "[recipe]");
	schema = section(body, "[schema]");
	if (recipe == NULL || schema == NULL || strstr(body, "\n[end]\n") ==
	    NULL) {
		err_set(e, ERR_DATA, "'%s' is damaged: a section is missing",
		    name);
		goto fail;
	}
	sp = spec_parse(recipe, name, NULL, e);
	if (sp == NULL)
		goto fail;
	p = pipeline_new(sp, e);
	if (p == NULL)
		goto fail;
	{
		struct state st;

		state_parse(&st, schema, "schema", e);
		p->nin = st.n;
		p->in_names = xmalloc((st.n ? st.n : 1) * sizeof *p->in_names);
		p->in_types = xmalloc((st.n ? st.n : 1) * sizeof *p->in_types);
		for (i = 0; i < st.n; i++) {
			p->in_names[i] = xstrdup(st.lines[i].key);
			if (st.lines[i].nwords != 1 || coltype_parse(
			    st.lines[i].words[0], &p->in_types[i]) != 0) {
				state_release(&st);
				/* names are kept encoded in the key: decode */
				err_set(e, ERR_DATA, "'%s' is damaged: bad "
				    "schema line %zu", name, i + 1);
				p->nin = i + 1;
				goto fail;
			}
		}
		state_release(&st);
		/* keys are not decoded by state_parse: decode them here */
		for (i = 0; i < p->nin; i++) {
			struct state one;
			char *line = xasprintf("k %s\n", p->in_names[i]);

			state_parse(&one, line, "schema", e);
			free(p->in_names[i]);
			p->in_names[i] = xstrdup(one.lines[0].words[0]);
			state_release(&one);
			free(line);
		}
	}
	for (i = 0; i < p->nsteps; i++) {
		struct step *s = p->steps[i];
		char head[128], what[160], *txt;
		struct state st;

		snprintf(head, sizeof head, "[step %zu %s]", i + 1,
		    s->ops->name);
		txt = section(body, head);
		if (txt == NULL) {
			err_set(e, ERR_DATA, "'%s' is damaged: no state for "
			    "step %zu (%s)", name, i + 1, s->ops->name);
			goto fail;
		}
		snprintf(what, sizeof what, "'%s': step %zu (%s)", name,
		    i + 1, s->ops->name);
		state_parse(&st, txt, what, e);
		free(txt);
		s->target = p->target;
		if (s->ops->load && s->ops->load(s, &st, e) != 0) {
			state_release(&st);
			goto fail;
		}
		state_release(&st);
		s->fitted = 1;
	}
	if (p->model != NULL && model_section(p, body, name, e) != 0)
		goto fail;
	p->fitted = 1;
	free(recipe);
	free(schema);
	return p;
fail:
	free(recipe);
	free(schema);
	pipeline_free(p);
	return NULL;
}

int
write_file_atomic(const char *path, const char *data, size_t len,
    struct err *e)
{
	struct fileout o;

	if (fileout_open(&o, path, e) != 0)
		return -1;
	if (len > 0 && fwrite(data, 1, len, o.f) != len) {
		err_set(e, ERR_IO, "cannot write '%s': %s", path,
		    strerror(errno));
		fileout_abort(&o);
		return -1;
	}
	return fileout_close(&o, e);
}

int
pipeline_save_file(const struct pipeline *p, const char *path,
    struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	pipeline_save(p, &sb);
	rc = write_file_atomic(path, sb.buf, sb.len, e);
	strbuf_release(&sb);
	return rc;
}

struct pipeline *
pipeline_load_file(const char *path, struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	struct pipeline *p;
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		err_set(e, ERR_IO, "cannot open '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		strbuf_add(&sb, buf, n);
	if (ferror(f)) {
		err_set(e, ERR_IO, "cannot read '%s': %s", path,
		    strerror(errno));
		fclose(f);
		strbuf_release(&sb);
		return NULL;
	}
	fclose(f);
	if (memchr(sb.buf ? sb.buf : "", '\0', sb.len) != NULL) {
		err_set(e, ERR_DATA, "'%s' is not a fitted lathe pipeline "
		    "(binary data)", path);
		strbuf_release(&sb);
		return NULL;
	}
	p = pipeline_read(strbuf_str(&sb), path, e);
	strbuf_release(&sb);
	return p;
}

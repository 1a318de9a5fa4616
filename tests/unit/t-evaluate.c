/*
 * t-evaluate.c - unit tests for the evaluation engine (core/evaluate.c):
 * the splits, the per-split fit, the baseline, the metrics per split and
 * over the splits, the grid search, clustering without an evaluate line,
 * the spec errors of the model statements (core/pipeline.c), the
 * reports, a run recorded in a workspace (core/runs.c), cancellation and
 * progress.
 *
 * Pipelines are parsed from spec text and run on small hand-built
 * tables.  Expected numbers are worked out by hand (in the comments) or
 * recomputed here from the held-out predictions the report keeps, never
 * taken from the code under test.  Models whose predictions are known
 * exactly are used where a number is checked: linear (exact on data on
 * a line), knn_classifier k=1 (the nearest training row), kmeans on two
 * far apart groups.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/evaluate.h"
#include "core/params.h"
#include "core/pipeline.h"
#include "core/runs.h"
#include "core/spec.h"
#include "core/strbuf.h"
#include "core/table.h"
#include "core/xmalloc.h"
#include "tap.h"

#define EPS	2.220446049250313e-16

static struct pipeline *mkpipe(const char *, struct err *);
static struct pipeline *pipe_ok(const char *);
static char	*pipe_fail(const char *);
static struct column *numcol(const char *, const double *, size_t);
static struct column *catcol(const char *, const char *const *, size_t);
static struct table *mktable(size_t, struct column *, ...);
static int	 evaluate(struct pipeline *, struct table *,
		    struct eval_report *);
static char	*eval_fail(const char *, struct table *, int *);
static int	 has(const char *, const char *, const char *);
static long	 metric_index(const struct eval_report *, const char *);
static double	 fold_value(const struct eval_report *, size_t,
		    const char *);
static void	 json_ws(const char **);
static int	 json_string(const char **);
static int	 json_value(const char **);
static int	 json_ok(const char *);
static int	 tsv_ok(const struct eval_report *, const char *);
static void	 check_reports(const struct eval_report *, const char *);
static char	*write_file(const char *, const char *);
static void	 test_cv(void);
static void	 test_cv_stratified(void);
static void	 test_holdout(void);
static void	 test_folds_column(void);
static void	 test_folds_file(void);
static void	 test_leakage(void);
static void	 test_baseline(void);
static void	 test_mean_std(void);
static void	 test_nan_skipped(void);
static void	 test_one_class_split(void);
static void	 test_confusion(void);
static void	 test_missing_class(void);
static void	 test_positive(void);
static void	 test_grid(void);
static void	 test_grid_ties(void);
static void	 test_cluster(void);
static void	 test_errors(void);
static void	 test_no_model(void);
static void	 test_runs(void);
static void	 cancel_progress(void *, double);
static void	 test_cancel(void);
static void	 log_progress(void *, double);
static void	 test_progress(void);

static char	*tmpdir;

/* The spec "lathe-pipeline 1" + body, as file t.lathe: body starts at
 * line 2. */
static struct pipeline *
mkpipe(const char *body, struct err *e)
{
	char *text = xasprintf("lathe-pipeline 1\n%s", body);
	struct spec *sp;

	err_clear(e);
	sp = spec_parse(text, "t.lathe", NULL, e);
	free(text);
	if (sp == NULL)
		return NULL;
	return pipeline_new(sp, e);
}

static struct pipeline *
pipe_ok(const char *body)
{
	struct err e;
	struct pipeline *p = mkpipe(body, &e);

	if (p == NULL)
		printf("# unexpected spec error: %s\n", e.msg);
	return p;
}

/* The message of a spec that must be refused (ERR_SPEC), owned. */
static char *
pipe_fail(const char *body)
{
	struct err e;
	struct pipeline *p = mkpipe(body, &e);

	if (p != NULL) {
		pipeline_free(p);
		return xstrdup("(accepted)");
	}
	if (e.code != ERR_SPEC)
		return xasprintf("(code %d) %s", (int)e.code, e.msg);
	return xstrdup(e.msg);
}

static struct column *
numcol(const char *name, const double *v, size_t n)
{
	struct column *c = column_new(name, COL_FLOAT, n);

	memcpy(c->num, v, n * sizeof *v);
	return c;
}

static struct column *
catcol(const char *name, const char *const *v, size_t n)
{
	struct column *c = column_new(name, COL_CAT, n);
	size_t i;

	for (i = 0; i < n; i++)
		c->codes[i] = v[i] == NULL ? -1 :
		    dict_intern(c->dict, v[i], strlen(v[i]));
	return c;
}

/* A table of nrows rows from the NULL-terminated columns. */
static struct table *
mktable(size_t nrows, struct column *c, ...)
{
	struct table *t = table_new();
	va_list ap;

	t->nrows = nrows;
	va_start(ap, c);
	for (; c != NULL; c = va_arg(ap, struct column *))
		table_add_column(t, c);
	va_end(ap);
	return t;
}

/* evaluate_run with no context; prints the error (rep freed then). */
static int
evaluate(struct pipeline *p, struct table *t, struct eval_report *rep)
{
	struct err e;

	err_clear(&e);
	if (evaluate_run(p, t, NULL, rep, &e) != 0) {
		printf("# unexpected error: %s\n", e.msg);
		eval_report_free(rep);
		return -1;
	}
	return 0;
}

/* The message of a run that must fail (on a copy of t), owned. */
static char *
eval_fail(const char *body, struct table *t, int *code)
{
	struct eval_report rep;
	struct pipeline *p;
	struct table *c;
	struct err e;
	char *msg;

	*code = 0;
	p = mkpipe(body, &e);
	if (p == NULL)
		return xasprintf("(spec error) %s", e.msg);
	c = table_copy(t);
	err_clear(&e);
	if (evaluate_run(p, c, NULL, &rep, &e) == 0)
		msg = xstrdup("(no error)");
	else
		msg = xstrdup(e.msg);
	*code = (int)e.code;
	eval_report_free(&rep);
	table_free(c);
	pipeline_free(p);
	return msg;
}

static int
has(const char *msg, const char *want, const char *name)
{
	int good = msg != NULL && strstr(msg, want) != NULL;

	if (!ok(good, "%s", name))
		printf("#   got '%s'\n#  want '%s' in it\n", msg ? msg :
		    "(null)", want);
	return good;
}

static long
metric_index(const struct eval_report *rep, const char *name)
{
	size_t i;

	for (i = 0; i < rep->nmetrics; i++)
		if (strcmp(rep->metrics[i]->name, name) == 0)
			return (long)i;
	return -1;
}

static double
fold_value(const struct eval_report *rep, size_t f, const char *name)
{
	long i = metric_index(rep, name);

	return i < 0 || f >= rep->nfolds ? -12345 : rep->folds[f].value[i];
}

/* ---------------------------------------------------------- reports --- */

static void
json_ws(const char **s)
{
	while (**s == ' ' || **s == '\n' || **s == '\t' || **s == '\r')
		(*s)++;
}

static int
json_string(const char **s)
{
	if (**s != '"')
		return 0;
	for ((*s)++; **s != '"'; (*s)++) {
		if ((unsigned char)**s < 0x20)
			return 0;
		if (**s == '\\') {
			(*s)++;
			if (strchr("\"\\/bfnrtu", **s) == NULL || **s == '\0')
				return 0;
		}
	}
	(*s)++;
	return 1;
}

/* A minimal JSON checker: one value, strict grammar (no NaN). */
static int
json_value(const char **s)
{
	json_ws(s);
	if (**s == '{' || **s == '[') {
		char close = **s == '{' ? '}' : ']';
		int obj = **s == '{';

		(*s)++;
		json_ws(s);
		if (**s == close) {
			(*s)++;
			return 1;
		}
		for (;;) {
			if (obj) {
				json_ws(s);
				if (!json_string(s))
					return 0;
				json_ws(s);
				if (**s != ':')
					return 0;
				(*s)++;
			}
			if (!json_value(s))
				return 0;
			json_ws(s);
			if (**s == ',') {
				(*s)++;
				continue;
			}
			if (**s != close)
				return 0;
			(*s)++;
			return 1;
		}
	}
	if (**s == '"')
		return json_string(s);
	if (strncmp(*s, "null", 4) == 0 || strncmp(*s, "true", 4) == 0) {
		*s += 4;
		return 1;
	}
	if (strncmp(*s, "false", 5) == 0) {
		*s += 5;
		return 1;
	}
	if (**s == '-' || (**s >= '0' && **s <= '9')) {
		char *end;

		strtod(*s, &end);
		if (end == *s || strncmp(*s, "-n", 2) == 0 ||
		    strncmp(*s, "-i", 2) == 0)
			return 0;
		*s = end;
		return 1;
	}
	return 0;
}

static int
json_ok(const char *text)
{
	const char *s = text;

	if (!json_value(&s))
		return 0;
	json_ws(&s);
	return *s == '\0';
}

/*
 * The TSV: "metric split value" for every metric and split, then mean,
 * std (and baseline unless clustering), the values those of the report;
 * then one confusion line per split (classification) equal to the
 * held-out predictions of that split.
 */
static int
tsv_ok(const struct eval_report *rep, const char *text)
{
	char *copy = xstrdup(text), *line, *save = NULL;
	size_t nlines = 0, want, f, r, k = rep->nclasses, nconf = 0;
	int good = 1;

	want = rep->nmetrics * (rep->nfolds + (rep->task == TASK_CLUSTER ?
	    2 : 3));
	if (rep->task == TASK_CLASSIFY)
		want += rep->nfolds;
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *t1 = strchr(line, '\t'), *t2, *end;
		long i;
		double v, w;

		nlines++;
		if (t1 == NULL || (t2 = strchr(t1 + 1, '\t')) == NULL ||
		    strchr(t2 + 1, '\t') != NULL) {
			good = 0;
			continue;
		}
		*t1 = *t2 = '\0';
		if (strcmp(line, "confusion") == 0) {
			size_t *cm = xcalloc(k * k, sizeof *cm);
			struct strbuf sb = STRBUF_INIT;
			size_t a, b;

			f = strtoul(t1 + 1, NULL, 10);
			for (r = 0; r < rep->n; r++)
				if (rep->row_fold[r] == (int32_t)f)
					cm[rep->y_cls[r] * k +
					    rep->pred_cls[r]]++;
			for (a = 0; a < k; a++)
				for (b = 0; b < k; b++)
					strbuf_addf(&sb, "%zu%s", cm[a * k + b],
					    b + 1 < k ? "," : a + 1 < k ? ";" :
					    "");
			if (strcmp(strbuf_str(&sb), t2 + 1) != 0) {
				printf("# confusion %zu: got %s want %s\n", f,
				    t2 + 1, strbuf_str(&sb));
				good = 0;
			}
			strbuf_release(&sb);
			free(cm);
			nconf++;
			continue;
		}
		i = metric_index(rep, line);
		if (i < 0) {
			good = 0;
			continue;
		}
		if (strcmp(t2 + 1, "nan") == 0)
			v = NAN;
		else {
			v = strtod(t2 + 1, &end);
			if (*end != '\0')
				good = 0;
		}
		if (strcmp(t1 + 1, "mean") == 0)
			w = rep->mean[i];
		else if (strcmp(t1 + 1, "std") == 0)
			w = rep->std[i];
		else if (strcmp(t1 + 1, "baseline") == 0)
			w = rep->base_mean[i];
		else
			w = rep->folds[strtoul(t1 + 1, NULL, 10)].value[i];
		/* shortest round trip: the same double back */
		if (!(isnan(v) && isnan(w)) && v != w) {
			printf("# %s %s: %.17g != %.17g\n", line, t1 + 1, v, w);
			good = 0;
		}
	}
	free(copy);
	if (nlines != want || (rep->task == TASK_CLASSIFY && nconf !=
	    rep->nfolds)) {
		printf("# %zu tsv lines, want %zu\n", nlines, want);
		good = 0;
	}
	return good;
}

/* The TSV and JSON of a report are well-formed and agree with it. */
static void
check_reports(const struct eval_report *rep, const char *what)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, f;
	int nan = 0, depth = 0, min = 0, instr = 0;
	const char *s;

	eval_report_json(rep, &sb);
	ok(json_ok(strbuf_str(&sb)), "%s: the JSON report is valid JSON",
	    what);
	for (s = strbuf_str(&sb); *s; s++) {
		if (instr) {
			if (*s == '\\')
				s++;
			else if (*s == '"')
				instr = 0;
			continue;
		}
		if (*s == '"')
			instr = 1;
		else if (*s == '{' || *s == '[')
			depth++;
		else if (*s == '}' || *s == ']')
			depth--;
		if (depth < min)
			min = depth;
	}
	ok(depth == 0 && min == 0, "%s: JSON braces balance", what);
	for (i = 0; i < rep->nmetrics; i++)
		for (f = 0; f < rep->nfolds; f++)
			if (isnan(rep->folds[f].value[i]))
				nan = 1;
	if (nan)
		ok(strstr(strbuf_str(&sb), "null") != NULL &&
		    strstr(strbuf_str(&sb), "nan") == NULL &&
		    strstr(strbuf_str(&sb), "NaN") == NULL,
		    "%s: JSON: an n/a value is null", what);
	strbuf_reset(&sb);
	eval_report_tsv(rep, &sb);
	ok(tsv_ok(rep, strbuf_str(&sb)), "%s: the TSV report matches", what);
	strbuf_reset(&sb);
	eval_report_text(rep, &sb);
	ok(sb.len > 0 && strstr(strbuf_str(&sb), rep->model) != NULL,
	    "%s: the text report names the model", what);
	strbuf_release(&sb);
	for (i = 0; i < rep->nmetrics; i++) {
		double m = eval_report_metric(rep, rep->metrics[i]->name);

		if (!(m == rep->mean[i] || (isnan(m) && isnan(rep->mean[i])))) {
			ok(0, "%s: eval_report_metric %s", what,
			    rep->metrics[i]->name);
			return;
		}
	}
	ok(isnan(eval_report_metric(rep, "no_such_metric")),
	    "%s: eval_report_metric of a metric not reported is NaN", what);
}

/* A file in tmpdir with that text; the path, owned. */
static char *
write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");

	if (f == NULL) {
		printf("# cannot write %s: %s\n", path, strerror(errno));
		return path;
	}
	fputs(text, f);
	fclose(f);
	return path;
}

/* ----------------------------------------------------------- splits --- */

/*
 * 5-fold cv of 23 rows (regression: never stratified): every row tested
 * once, folds of 4 or 5 rows, each row's held-out prediction in its own
 * place (linear is exact on y = 2x + 1).  Same seed, same folds.
 */
static void
test_cv(void)
{
	const char *spec = "target y\nmodel linear\n"
	    "evaluate cv folds=5 seed=3\n";
	struct eval_report rep, rep2;
	struct pipeline *p, *p2;
	struct table *t, *t2;
	double x[23], y[23];
	size_t r, f, cnt[5] = { 0 }, lo = 99, hi = 0, sum = 0;
	int good = 1, same = 1, placed = 1;

	for (r = 0; r < 23; r++) {
		x[r] = (double)((r * 7) % 23) + 0.25 * (double)(r % 3);
		y[r] = 2 * x[r] + 1;
	}
	t = mktable(23, numcol("x", x, 23), numcol("y", y, 23), NULL);
	t2 = table_copy(t);
	p = pipe_ok(spec);
	if (p == NULL || evaluate(p, t, &rep) != 0) {
		ok(0, "cv: runs");
		goto out;
	}
	is_int((long long)rep.nfolds, 5, "cv: 5 splits");
	is_str(rep.method, "5-fold cross-validation (seed 3)", "cv: method");
	is_int((long long)rep.n, 23, "cv: held-out rows kept for 23 rows");
	for (r = 0; r < 23; r++) {
		if (rep.row_fold[r] < 0 || rep.row_fold[r] >= 5) {
			good = 0;
			continue;
		}
		cnt[rep.row_fold[r]]++;
		if (fabs(rep.pred_num[r] - y[r]) > 1e-9 || rep.y_num[r] !=
		    y[r])
			placed = 0;
	}
	ok(good, "cv: every row is tested in exactly one split");
	ok(placed, "cv: the held-out predictions are in data order");
	for (f = 0; f < 5; f++) {
		if (cnt[f] != rep.folds[f].ntest || rep.folds[f].ntrain +
		    rep.folds[f].ntest != 23)
			good = 0;
		lo = cnt[f] < lo ? cnt[f] : lo;
		hi = cnt[f] > hi ? cnt[f] : hi;
		sum += cnt[f];
	}
	ok(good, "cv: ntest/ntrain of every split match its rows");
	ok(sum == 23 && hi - lo <= 1 && lo == 4,
	    "cv: fold sizes 4 or 5 (got %zu..%zu)", lo, hi);
	p2 = pipe_ok(spec);
	if (p2 != NULL && evaluate(p2, t2, &rep2) == 0) {
		for (r = 0; r < 23; r++)
			if (rep.row_fold[r] != rep2.row_fold[r])
				same = 0;
		ok(same, "cv: the same seed gives the same folds");
		eval_report_free(&rep2);
	}
	pipeline_free(p2);
	table_free(t2);
	t2 = table_copy(t);
	p2 = pipe_ok("target y\nmodel linear\nevaluate cv folds=5 seed=4\n");
	if (p2 != NULL && evaluate(p2, t2, &rep2) == 0) {
		same = 1;
		for (r = 0; r < 23; r++)
			if (rep.row_fold[r] != rep2.row_fold[r])
				same = 0;
		ok(!same, "cv: another seed gives other folds");
		eval_report_free(&rep2);
	}
	pipeline_free(p2);
	check_reports(&rep, "cv");
	eval_report_free(&rep);
out:
	pipeline_free(p);
	table_free(t);
	table_free(t2);
}

/*
 * Stratified 4-fold cv of classes a:10, b:7, c:4 (21 rows): each class
 * has floor(count/4) or ceil(count/4) rows in every fold, and the folds
 * have 5 or 6 rows.  knn k=1 on well separated classes is always right:
 * the confusion matrix is diag(10, 7, 4).
 */
static void
test_cv_stratified(void)
{
	const char *lab[21];
	double x[21];
	struct table *t;
	struct pipeline *p;
	struct eval_report rep;
	size_t r, f, c, cnt[4][3], tot[4], want[3] = { 10, 7, 4 };
	size_t i[3] = { 0, 0, 0 };
	int good = 1, diag = 1;

	/* the classes interleaved in data order */
	for (r = 0; r < 21; r++) {
		c = r % 3;
		if (i[c] >= want[c])
			c = i[0] < 10 ? 0 : 1;
		lab[r] = c == 0 ? "a" : c == 1 ? "b" : "c";
		x[r] = 100.0 * (double)c + (double)i[c];
		i[c]++;
	}
	t = mktable(21, numcol("x", x, 21), catcol("y", lab, 21), NULL);
	p = pipe_ok("target y\nmodel knn_classifier k=1\n"
	    "evaluate cv folds=4 seed=11\n");
	if (p == NULL || evaluate(p, t, &rep) != 0) {
		ok(0, "stratified cv: runs");
		goto out;
	}
	is_str(rep.method, "4-fold cross-validation, stratified (seed 11)",
	    "stratified cv: method");
	is_int((long long)rep.nclasses, 3, "stratified cv: 3 classes");
	memset(cnt, 0, sizeof cnt);
	memset(tot, 0, sizeof tot);
	for (r = 0; r < 21; r++) {
		if (rep.row_fold[r] < 0 || rep.row_fold[r] >= 4 ||
		    rep.y_cls[r] != lab[r][0] - 'a') {
			good = 0;
			continue;
		}
		cnt[rep.row_fold[r]][rep.y_cls[r]]++;
		tot[rep.row_fold[r]]++;
	}
	ok(good, "stratified cv: every row tested once, with its class");
	good = 1;
	for (f = 0; f < 4; f++) {
		for (c = 0; c < 3; c++)
			if (cnt[f][c] < want[c] / 4 || cnt[f][c] >
			    (want[c] + 3) / 4)
				good = 0;
		if (tot[f] < 5 || tot[f] > 6 || tot[f] != rep.folds[f].ntest)
			good = 0;
	}
	ok(good, "stratified cv: class counts within 1 of count/k, fold "
	    "sizes 5 or 6 (%zu %zu %zu %zu)", tot[0], tot[1], tot[2], tot[3]);
	for (r = 0; r < 3; r++)
		for (c = 0; c < 3; c++)
			if (rep.confusion[r * 3 + c] != (r == c ? want[r] : 0))
				diag = 0;
	ok(diag, "stratified cv: confusion matrix diag(10, 7, 4)");
	is_double(eval_report_metric(&rep, "accuracy"), 1, 0,
	    "stratified cv: accuracy 1");
	check_reports(&rep, "stratified cv");
	eval_report_free(&rep);
	pipeline_free(p);

	/* not stratified: the plain shuffle, sizes from i * k / n */
	p = pipe_ok("target y\nmodel knn_classifier k=1\n"
	    "evaluate cv folds=4 seed=11 stratified=false\n");
	if (p == NULL || evaluate(p, t, &rep) != 0) {
		ok(0, "unstratified cv: runs");
		goto out;
	}
	is_str(rep.method, "4-fold cross-validation (seed 11)",
	    "unstratified cv: method");
	memset(tot, 0, sizeof tot);
	for (r = 0; r < 21; r++)
		tot[rep.row_fold[r]]++;
	/* i * 4 / 21: rows 0-5, 6-10, 11-15, 16-20 of the shuffle */
	ok(tot[0] == 6 && tot[1] == 5 && tot[2] == 5 && tot[3] == 5,
	    "unstratified cv: folds of 6, 5, 5, 5");
	eval_report_free(&rep);
out:
	pipeline_free(p);
	table_free(t);
}

/*
 * Holdout: round(fraction * n) test rows; stratified, round(fraction *
 * count) of each class (with 0.4, 9 rows where 8 unstratified); the
 * training rows are in no split (-1).
 */
static void
test_holdout(void)
{
	const char *lab[21];
	double x[21], y[21];
	struct table *t, *c;
	struct pipeline *p;
	struct eval_report rep, rep2;
	size_t r, n, k, cls[3], want[3] = { 10, 7, 4 }, i[3] = { 0 };
	int same, good;
	char *msg;
	int code;

	for (r = 0; r < 21; r++) {
		k = r % 3;
		if (i[k] >= want[k])
			k = i[0] < 10 ? 0 : 1;
		lab[r] = k == 0 ? "a" : k == 1 ? "b" : "c";
		x[r] = 100.0 * (double)k + (double)i[k];
		y[r] = 3 * x[r] - 1;
		i[k]++;
	}
	/* regression: 0.3 * 21 = 6.3 -> 6 */
	t = mktable(21, numcol("x", x, 21), numcol("y", y, 21), NULL);
	p = pipe_ok("target y\nmodel linear\n"
	    "evaluate holdout fraction=0.3 seed=7\n");
	if (p == NULL || evaluate(p, t, &rep) != 0) {
		ok(0, "holdout: runs");
		pipeline_free(p);
		table_free(t);
		return;
	}
	is_str(rep.method, "holdout: 0.3 of the rows held out (seed 7)",
	    "holdout: method");
	is_int((long long)rep.nfolds, 1, "holdout: one split");
	n = 0;
	good = 1;
	for (r = 0; r < 21; r++) {
		if (rep.row_fold[r] == 0)
			n++;
		else if (rep.row_fold[r] != -1)
			good = 0;
	}
	ok(good && n == 6 && rep.folds[0].ntest == 6 &&
	    rep.folds[0].ntrain == 15, "holdout: 6 of 21 rows tested "
	    "(got %zu), the others -1", n);
	eval_report_free(&rep);
	pipeline_free(p);
	table_free(t);

	/* 0.33 * 20 = 6.6 -> 7 */
	t = mktable(20, numcol("x", x, 20), numcol("y", y, 20), NULL);
	p = pipe_ok("target y\nmodel linear\n"
	    "evaluate holdout fraction=0.33\n");
	if (p != NULL && evaluate(p, t, &rep) == 0) {
		ok(rep.folds[0].ntest == 7 && rep.folds[0].ntrain == 13,
		    "holdout: 0.33 of 20 rows is 7");
		eval_report_free(&rep);
	}
	pipeline_free(p);
	table_free(t);

	/* stratified: a 0.4 * 10 = 4, b 0.4 * 7 = 2.8 -> 3, c 1.6 -> 2 */
	t = mktable(21, numcol("x", x, 21), catcol("y", lab, 21), NULL);
	c = table_copy(t);
	p = pipe_ok("target y\nmodel knn_classifier k=1\n"
	    "evaluate holdout fraction=0.4 seed=7\n");
	if (p == NULL || evaluate(p, t, &rep) != 0) {
		ok(0, "stratified holdout: runs");
		goto out;
	}
	is_str(rep.method, "holdout: 0.4 of the rows held out, stratified "
	    "(seed 7)", "stratified holdout: method");
	memset(cls, 0, sizeof cls);
	for (r = 0; r < 21; r++)
		if (rep.row_fold[r] == 0)
			cls[lab[r][0] - 'a']++;
	ok(cls[0] == 4 && cls[1] == 3 && cls[2] == 2,
	    "stratified holdout: 4, 3, 2 test rows per class (got %zu %zu "
	    "%zu)", cls[0], cls[1], cls[2]);
	pipeline_free(p);
	/* the same seed: the same rows; another: others */
	p = pipe_ok("target y\nmodel knn_classifier k=1\n"
	    "evaluate holdout fraction=0.4 seed=7\n");
	if (p != NULL && evaluate(p, c, &rep2) == 0) {
		same = 1;
		for (r = 0; r < 21; r++)
			if (rep.row_fold[r] != rep2.row_fold[r])
				same = 0;
		ok(same, "holdout: the same seed holds out the same rows");
		eval_report_free(&rep2);
	}
	pipeline_free(p);
	table_free(c);
	c = table_copy(t);
	p = pipe_ok("target y\nmodel knn_classifier k=1\n"
	    "evaluate holdout fraction=0.4 seed=8\n");
	if (p != NULL && evaluate(p, c, &rep2) == 0) {
		same = 1;
		for (r = 0; r < 21; r++)
			if (rep.row_fold[r] != rep2.row_fold[r])
				same = 0;
		ok(!same, "holdout: another seed holds out other rows");
		eval_report_free(&rep2);
	}
	eval_report_free(&rep);
	/* stratified=false: 0.4 * 21 = 8.4 -> 8 rows, any classes */
	pipeline_free(p);
	table_free(c);
	c = table_copy(t);
	p = pipe_ok("target y\nmodel knn_classifier k=1\n"
	    "evaluate holdout fraction=0.4 seed=7 stratified=false\n");
	if (p != NULL && evaluate(p, c, &rep2) == 0) {
		ok(rep2.folds[0].ntest == 8, "unstratified holdout: 8 rows");
		eval_report_free(&rep2);
	}
	/* nothing left to test on */
	msg = eval_fail("target y\nmodel knn_classifier k=1\n"
	    "evaluate holdout fraction=0.01\n", t, &code);
	has(msg, "holdout fraction=0.01 of 21 rows leaves no test rows",
	    "holdout: a fraction leaving no test rows is an error");
	is_int(code, ERR_DATA, "holdout: no test rows: ERR_DATA");
	free(msg);
out:
	pipeline_free(p);
	table_free(c);
	table_free(t);
}

/*
 * folds=COLUMN: fold numbers 5, 2, 9 are splits 0, 1, 2 (ascending); a
 * row without one trains in every split; the column is no feature.
 */
static void
test_folds_column(void)
{
	double x[10], y[10], fold[10] = { 5, 2, 9, 5, 2, 9, NAN, 5, 2, 9 };
	double bad[10];
	struct table *t, *b;
	struct pipeline *p;
	struct eval_report rep;
	size_t r;
	int good = 1, code;
	char *msg;

	for (r = 0; r < 10; r++) {
		x[r] = (double)r * 1.5;
		y[r] = 2 * x[r] + 1;
	}
	t = mktable(10, numcol("x", x, 10), numcol("fold", fold, 10),
	    numcol("y", y, 10), NULL);
	b = table_copy(t);
	p = pipe_ok("target y\nmodel linear\nevaluate folds=fold\n");
	if (p == NULL || evaluate(p, t, &rep) != 0) {
		ok(0, "folds column: runs");
		goto out;
	}
	is_int((long long)rep.nfolds, 3, "folds column: 3 splits");
	is_str(rep.method, "3 folds from fold", "folds column: method");
	for (r = 0; r < 10; r++) {
		int32_t want = isnan(fold[r]) ? -1 : fold[r] == 2 ? 0 :
		    fold[r] == 5 ? 1 : 2;

		if (rep.row_fold[r] != want)
			good = 0;
	}
	ok(good, "folds column: splits in ascending fold order; the row "
	    "with no fold is never tested");
	ok(rep.folds[0].ntest == 3 && rep.folds[0].ntrain == 7 &&
	    rep.folds[1].ntrain == 7 && rep.folds[2].ntrain == 7,
	    "folds column: the row without a fold trains in every split");
	ok(table_find(t, "fold") < 0, "folds column: removed from the data");
	ok(rep.nfeat == 1 && strcmp(rep.feat[0], "x") == 0,
	    "folds column: not a feature of the model");
	ok(p->nin == 2 && strcmp(p->in_names[0], "x") == 0 &&
	    strcmp(p->in_names[1], "y") == 0,
	    "folds column: not in the fitted pipeline's schema");
	eval_report_free(&rep);

	memcpy(bad, fold, sizeof bad);
	bad[2] = -1;
	table_free(t);
	t = mktable(10, numcol("x", x, 10), numcol("fold", bad, 10),
	    numcol("y", y, 10), NULL);
	msg = eval_fail("target y\nmodel linear\nevaluate folds=fold\n", t,
	    &code);
	has(msg, "folds column 'fold': row 3: fold number must be a whole "
	    "number >= 0", "folds column: a negative fold names the row");
	is_int(code, ERR_DATA, "folds column: negative: ERR_DATA");
	free(msg);
	bad[2] = 9;
	bad[4] = 1.5;
	table_free(t);
	t = mktable(10, numcol("x", x, 10), numcol("fold", bad, 10),
	    numcol("y", y, 10), NULL);
	msg = eval_fail("target y\nmodel linear\nevaluate folds=fold\n", t,
	    &code);
	has(msg, "folds column 'fold': row 5: fold number must be a whole "
	    "number >= 0", "folds column: a fractional fold names the row");
	free(msg);
	for (r = 0; r < 10; r++)
		bad[r] = 4;
	table_free(t);
	t = mktable(10, numcol("x", x, 10), numcol("fold", bad, 10),
	    numcol("y", y, 10), NULL);
	msg = eval_fail("target y\nmodel linear\nevaluate folds=fold\n", t,
	    &code);
	has(msg, "needs at least two different fold numbers",
	    "folds column: one fold number and no unfolded rows: error");
	free(msg);
	msg = eval_fail("target y\nmodel linear\nevaluate folds=y\n", b,
	    &code);
	has(msg, "folds=y: that is the target column",
	    "folds column: the target cannot be the folds");
	free(msg);
	msg = eval_fail("target y\nmodel linear\nevaluate folds=nosuch\n", b,
	    &code);
	has(msg, "folds=nosuch: the data has no such column and there is no "
	    "such file", "folds: neither a column nor a file");
	free(msg);
out:
	pipeline_free(p);
	table_free(t);
	table_free(b);
}

/*
 * folds=FILE: a header line, then one fold number (or nothing) per data
 * row; CRLF is fine; a bad value or a line too many names FILE:LINE.
 */
static void
test_folds_file(void)
{
	double x[6], y[6];
	struct table *t, *c;
	struct pipeline *p;
	struct eval_report rep;
	struct strbuf sb = STRBUF_INIT;
	char *path, *body, *msg, *want;
	size_t r;
	int code;

	for (r = 0; r < 6; r++) {
		x[r] = (double)r;
		y[r] = 5 - 2 * x[r];
	}
	t = mktable(6, numcol("x", x, 6), numcol("y", y, 6), NULL);
	path = write_file("folds.csv", "fold\r\n1\r\n0\r\n\r\n1\r\n0\r\n1\r\n");
	strbuf_addstr(&sb, "target y\nmodel linear\nevaluate folds=");
	spec_quote(&sb, path);
	strbuf_addch(&sb, '\n');
	body = strbuf_detach(&sb);
	c = table_copy(t);
	p = pipe_ok(body);
	if (p != NULL && evaluate(p, c, &rep) == 0) {
		ok(rep.nfolds == 2 && rep.row_fold[0] == 1 &&
		    rep.row_fold[1] == 0 && rep.row_fold[2] == -1 &&
		    rep.row_fold[3] == 1 && rep.row_fold[4] == 0 &&
		    rep.row_fold[5] == 1, "folds file: the folds of the "
		    "file; an empty line is a row never tested");
		ok(rep.folds[0].ntest == 2 && rep.folds[0].ntrain == 4 &&
		    rep.folds[1].ntest == 3 && rep.folds[1].ntrain == 3,
		    "folds file: split sizes");
		ok(table_find(c, "x") >= 0 && c->ncols == 2,
		    "folds file: the data keeps its columns");
		eval_report_free(&rep);
	} else
		ok(0, "folds file: runs");
	pipeline_free(p);
	table_free(c);
	free(path);

	/* too few lines */
	path = write_file("folds.csv", "fold\n1\n0\n1\n0\n1\n");
	msg = eval_fail(body, t, &code);
	want = xasprintf("%s: 5 fold lines for the data's 6 rows", path);
	has(msg, want, "folds file: too few lines: names the file");
	is_int(code, ERR_DATA, "folds file: too few lines: ERR_DATA");
	free(want);
	free(msg);
	free(path);
	/* too many */
	path = write_file("folds.csv", "fold\n1\n0\n1\n0\n1\n0\n1\n");
	msg = eval_fail(body, t, &code);
	want = xasprintf("%s:8: more fold lines than the data's 6 rows",
	    path);
	has(msg, want, "folds file: too many lines: names file:line");
	free(want);
	free(msg);
	free(path);
	/* bad values */
	path = write_file("folds.csv", "fold\n1\n0\nx\n0\n1\n0\n");
	msg = eval_fail(body, t, &code);
	want = xasprintf("%s:4: 'x' is not a fold number", path);
	has(msg, want, "folds file: a word names file:line");
	free(want);
	free(msg);
	free(path);
	path = write_file("folds.csv", "fold\n1\n-2\n1\n0\n1\n0\n");
	msg = eval_fail(body, t, &code);
	want = xasprintf("%s:3: '-2' is not a fold number", path);
	has(msg, want, "folds file: a negative number names file:line");
	free(want);
	free(msg);
	free(path);
	path = write_file("folds.csv", "fold\n1\n0\n1\n0\n2.5\n0\n");
	msg = eval_fail(body, t, &code);
	want = xasprintf("%s:6: '2.5' is not a fold number", path);
	has(msg, want, "folds file: a fraction names file:line");
	is_int(code, ERR_DATA, "folds file: bad value: ERR_DATA");
	free(want);
	free(msg);
	unlink(path);
	free(path);
	free(body);
	table_free(t);
}

/* ---------------------------------------------------------- leakage --- */

/*
 * A step fitted per split sees only the training rows.  Train x = 1..8
 * (no fold), test x = 100, 200 (fold 0); y = 3x + 2.  clip q_high=100
 * learns the training maximum 8, so both test rows predict 3 * 8 + 2 =
 * 26 (fitted on all rows they would be 302 and 602).  impute learns the
 * training mean 4.5: a missing test x predicts 3 * 4.5 + 2 = 15.5 (with
 * the test row 1000 in the mean it would be 347.33).
 */
static void
test_leakage(void)
{
	double x[10], y[10], fold[10], xi[10];
	struct table *t;
	struct pipeline *p;
	struct eval_report rep;
	size_t r;
	int good = 1;

	for (r = 0; r < 10; r++) {
		x[r] = r < 8 ? (double)r + 1 : r == 8 ? 100 : 200;
		y[r] = 3 * x[r] + 2;
		fold[r] = r < 8 ? NAN : 0;
		xi[r] = r < 8 ? x[r] : r == 8 ? NAN : 1000;
	}
	t = mktable(10, numcol("x", x, 10), numcol("fold", fold, 10),
	    numcol("y", y, 10), NULL);
	p = pipe_ok("target y\nstep clip columns=x q_high=100\nmodel linear\n"
	    "evaluate folds=fold\n");
	if (p != NULL && evaluate(p, t, &rep) == 0) {
		for (r = 0; r < 8; r++)
			if (rep.row_fold[r] != -1)
				good = 0;
		ok(good && rep.row_fold[8] == 0 && rep.row_fold[9] == 0,
		    "leakage: only the two extreme rows are tested");
		is_double(rep.pred_num[8], 26, 1e-9,
		    "leakage: clip learnt on the training rows (row 9)");
		is_double(rep.pred_num[9], 26, 1e-9,
		    "leakage: clip learnt on the training rows (row 10)");
		is_double(rep.y_num[9], 602, 0, "leakage: the true value");
		/* rmse = sqrt(((302 - 26)^2 + (602 - 26)^2) / 2) */
		is_double(eval_report_metric(&rep, "rmse"),
		    sqrt((276.0 * 276 + 576.0 * 576) / 2), 1e-9,
		    "leakage: rmse from the clipped predictions");
		/* the final fit learnt the maximum of all rows */
		ok(t->cols[table_find(t, "x")]->num[9] == 200,
		    "leakage: the final fit clips at the maximum of all rows");
		eval_report_free(&rep);
	} else
		ok(0, "leakage: clip: runs");
	pipeline_free(p);
	table_free(t);

	/* a step switched off in the workbench is off in every split */
	t = mktable(10, numcol("x", x, 10), numcol("fold", fold, 10),
	    numcol("y", y, 10), NULL);
	p = pipe_ok("target y\nstep clip columns=x q_high=100\nmodel linear\n"
	    "evaluate folds=fold\n");
	if (p != NULL) {
		p->steps[0]->disabled = 1;
		if (evaluate(p, t, &rep) == 0) {
			is_double(rep.pred_num[9], 602, 1e-9,
			    "disabled step: not applied in the split");
			eval_report_free(&rep);
		} else
			ok(0, "disabled step: runs");
	}
	pipeline_free(p);
	table_free(t);

	y[9] = 7;
	t = mktable(10, numcol("x", xi, 10), numcol("fold", fold, 10),
	    numcol("y", y, 10), NULL);
	p = pipe_ok("target y\nstep impute columns=x\nmodel linear\n"
	    "evaluate folds=fold\n");
	if (p != NULL && evaluate(p, t, &rep) == 0) {
		is_double(rep.pred_num[8], 15.5, 1e-9,
		    "leakage: impute learnt the training mean");
		is_double(rep.pred_num[9], 3002, 1e-9,
		    "leakage: a present test value is used as it is");
		eval_report_free(&rep);
	} else
		ok(0, "leakage: impute: runs");
	pipeline_free(p);
	table_free(t);
}

/* --------------------------------------------------------- baseline --- */

/*
 * Training rows (no fold): a a b b b c c c; test rows (fold 0): a b c c.
 * b and c tie as the most frequent training class: the lowest index, b,
 * is the baseline, right on one test row of four; its probabilities
 * are the training frequencies 2/8, 3/8, 3/8.  Regression: training y
 * 1 2 3 4 10 (mean 4), test y 0 10: errors 4 and 6.
 */
static void
test_baseline(void)
{
	const char *lab[12] = { "a", "a", "b", "b", "b", "c", "c", "c",
	    "a", "b", "c", "c" };
	double x[12] = { 0, 1, 10, 11, 12, 20, 21, 22, 0.5, 10.5, 20.5, 21.5 };
	double fold[12], rx[7] = { 1, 2, 3, 4, 5, 6, 7 };
	double ry[7] = { 1, 2, 3, 4, 10, 0, 10 }, rf[7];
	struct table *t;
	struct pipeline *p;
	struct eval_report rep;
	double ll;
	size_t r;
	long i;

	for (r = 0; r < 12; r++)
		fold[r] = r < 8 ? NAN : 0;
	t = mktable(12, numcol("x", x, 12), numcol("fold", fold, 12),
	    catcol("y", lab, 12), NULL);
	p = pipe_ok("target y\nmodel knn_classifier k=1\n"
	    "evaluate folds=fold metrics=accuracy,log_loss\n");
	if (p != NULL && evaluate(p, t, &rep) == 0) {
		is_double(rep.base_mean[0], 0.25, 0,
		    "baseline: the most frequent class, ties to the lowest: "
		    "accuracy 1/4");
		ll = -(log(2.0 / 8) + 3 * log(3.0 / 8)) / 4;
		is_double(rep.base_mean[1], ll, 1e-12,
		    "baseline: training frequencies as probabilities: "
		    "log_loss");
		is_double(rep.folds[0].base[0], 0.25, 0,
		    "baseline: per split");
		is_double(rep.base_std[0], 0, 0, "baseline: std of one split");
		is_double(rep.mean[0], 1, 0, "baseline: the model is right");
		check_reports(&rep, "baseline");
		eval_report_free(&rep);
	} else
		ok(0, "baseline: runs");
	pipeline_free(p);
	table_free(t);

	for (r = 0; r < 7; r++)
		rf[r] = r < 5 ? NAN : 3;
	t = mktable(7, numcol("x", rx, 7), numcol("fold", rf, 7),
	    numcol("y", ry, 7), NULL);
	p = pipe_ok("target y\nmodel linear\n"
	    "evaluate folds=fold metrics=rmse,mae\n");
	if (p != NULL && evaluate(p, t, &rep) == 0) {
		i = metric_index(&rep, "rmse");
		is_double(i >= 0 ? rep.base_mean[i] : -1, sqrt(26), 1e-12,
		    "baseline: the training mean: rmse sqrt((16 + 36) / 2)");
		i = metric_index(&rep, "mae");
		is_double(i >= 0 ? rep.base_mean[i] : -1, 5, 1e-12,
		    "baseline: the training mean: mae 5");
		eval_report_free(&rep);
	} else
		ok(0, "baseline: regression: runs");
	pipeline_free(p);
	table_free(t);
}

/* ---------------------------------------------------------- metrics --- */

/*
 * Two folds: fold 0 x = 1 2 3, y = 2 4 6 (y = 2x); fold 1 x = 4 5 6,
 * y = 4 5 6 (y = x).  Trained on fold 1, linear predicts x on fold 0:
 * errors 1 2 3; trained on fold 0 it predicts 2x on fold 1: errors 4 5
 * 6.  So mae 2 and 5 (mean 3.5, population std 1.5), max_error 3 and 6,
 * rmse sqrt(14/3) and sqrt(77/3), r2 1 - 14/8 = -0.75 and 1 - 77/2 =
 * -37.5.  The baseline: fold 0 is predicted 5 (errors 3 1 1, mae 5/3),
 * fold 1 is predicted 4 (errors 0 1 2, mae 1).
 */
static void
test_mean_std(void)
{
	double x[6] = { 1, 4, 2, 5, 3, 6 }, y[6] = { 2, 4, 4, 5, 6, 6 };
	double fold[6] = { 0, 1, 0, 1, 0, 1 };
	double a = sqrt(14.0 / 3), b = sqrt(77.0 / 3);
	struct table *t;
	struct pipeline *p;
	struct eval_report rep;
	long i;

	t = mktable(6, numcol("x", x, 6), numcol("fold", fold, 6),
	    numcol("y", y, 6), NULL);
	p = pipe_ok("target y\nmodel linear\n"
	    "evaluate folds=fold metrics=mae,rmse,max_error,r2\n");
	if (p == NULL || evaluate(p, t, &rep) != 0) {
		ok(0, "mean/std: runs");
		goto out;
	}
	is_double(fold_value(&rep, 0, "mae"), 2, 1e-12, "mean/std: mae 0");
	is_double(fold_value(&rep, 1, "mae"), 5, 1e-12, "mean/std: mae 1");
	is_double(fold_value(&rep, 0, "rmse"), a, 1e-12, "mean/std: rmse 0");
	is_double(fold_value(&rep, 1, "rmse"), b, 1e-12, "mean/std: rmse 1");
	is_double(fold_value(&rep, 0, "r2"), -0.75, 1e-12, "mean/std: r2 0");
	is_double(fold_value(&rep, 1, "r2"), -37.5, 1e-12, "mean/std: r2 1");
	i = metric_index(&rep, "mae");
	is_double(rep.mean[i], 3.5, 1e-12, "mean/std: mean mae");
	is_double(rep.std[i], 1.5, 1e-12, "mean/std: population std of mae");
	is_double(rep.base_mean[i], 4.0 / 3, 1e-12,
	    "mean/std: baseline mae, mean");
	is_double(rep.base_std[i], 1.0 / 3, 1e-12,
	    "mean/std: baseline mae, std");
	i = metric_index(&rep, "rmse");
	is_double(rep.mean[i], (a + b) / 2, 1e-12, "mean/std: mean rmse");
	is_double(rep.std[i], (b - a) / 2, 1e-12, "mean/std: std rmse");
	i = metric_index(&rep, "max_error");
	is_double(rep.mean[i], 4.5, 1e-12, "mean/std: mean max_error");
	i = metric_index(&rep, "r2");
	is_double(rep.mean[i], -19.125, 1e-12, "mean/std: mean r2");
	is_double(rep.std[i], 18.375, 1e-12, "mean/std: std r2");
	check_reports(&rep, "mean/std");
	eval_report_free(&rep);
out:
	pipeline_free(p);
	table_free(t);
}

/*
 * A split whose test target is constant has r2 n/a: the mean and std
 * are over the other splits.  Recomputed here from the held-out
 * predictions.
 */
static void
test_nan_skipped(void)
{
	double x[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	double y[9] = { 1, 3, 2, 6, 5, 7, 4, 4, 4 };
	double fold[9] = { 0, 0, 0, 1, 1, 1, 2, 2, 2 };
	double v[3], s, m, sd;
	struct table *t;
	struct pipeline *p;
	struct eval_report rep;
	size_t f, r, nv = 0;
	long i;
	int good = 1;

	t = mktable(9, numcol("x", x, 9), numcol("fold", fold, 9),
	    numcol("y", y, 9), NULL);
	p = pipe_ok("target y\nmodel linear\n"
	    "evaluate folds=fold metrics=r2,mae\n");
	if (p == NULL || evaluate(p, t, &rep) != 0) {
		ok(0, "n/a: runs");
		goto out;
	}
	i = metric_index(&rep, "r2");
	for (f = 0; f < 3; f++) {
		double my = 0, sst = 0, ssr = 0, ae = 0, n = 0, want;

		for (r = 0; r < 9; r++)
			if (rep.row_fold[r] == (int32_t)f) {
				my += y[r];
				n++;
			}
		my /= n;
		for (r = 0; r < 9; r++)
			if (rep.row_fold[r] == (int32_t)f) {
				sst += (y[r] - my) * (y[r] - my);
				ssr += (y[r] - rep.pred_num[r]) *
				    (y[r] - rep.pred_num[r]);
				ae += fabs(y[r] - rep.pred_num[r]);
			}
		want = sst == 0 ? NAN : 1 - ssr / sst;
		if (!isnan(want))
			v[nv++] = want;
		if (!((isnan(want) && isnan(rep.folds[f].value[i])) ||
		    fabs(want - rep.folds[f].value[i]) < 1e-9))
			good = 0;
		if (fabs(ae / n - fold_value(&rep, f, "mae")) > 1e-9)
			good = 0;
	}
	ok(good, "n/a: per-split r2 and mae as recomputed");
	ok(isnan(rep.folds[2].value[i]), "n/a: r2 of a constant split");
	m = (v[0] + v[1]) / 2;
	s = ((v[0] - m) * (v[0] - m) + (v[1] - m) * (v[1] - m)) / 2;
	sd = sqrt(s);
	ok(nv == 2, "n/a: two defined r2 values");
	is_double(rep.mean[i], m, 1e-12, "n/a: mean over the defined splits");
	is_double(rep.std[i], sd, 1e-12, "n/a: std over the defined splits");
	check_reports(&rep, "n/a");
	eval_report_free(&rep);
out:
	pipeline_free(p);
	table_free(t);
}

/*
 * Leave-one-out (folds = rows): every test split holds one row, so one
 * class.  That is scored (the test rows are no training target that
 * must have two classes): accuracy per split 0 or 1, roc_auc n/a in
 * every split, so n/a overall.  knn k=1 on a: 0 1 2 11.4, b: 10 11 12:
 * the a rows 0 1 2 and the b row 10 are right; 11 and 12 (nearest
 * 11.4, a) and 11.4 (nearest 11, b) are wrong: 4 of 7.
 */
static void
test_one_class_split(void)
{
	const char *lab[7] = { "a", "a", "a", "b", "b", "b", "a" };
	double x[7] = { 0, 1, 2, 10, 11, 12, 11.4 };
	struct table *t;
	struct pipeline *p;
	struct eval_report rep;
	size_t r, right = 0;
	int good = 1;

	t = mktable(7, numcol("x", x, 7), catcol("y", lab, 7), NULL);
	p = pipe_ok("target y\nmodel knn_classifier k=1\n"
	    "evaluate cv folds=7 metrics=accuracy,roc_auc\n");
	if (p == NULL || evaluate(p, t, &rep) != 0) {
		ok(0, "one-class split: runs");
		goto out;
	}
	for (r = 0; r < 7; r++) {
		double acc = fold_value(&rep, (size_t)rep.row_fold[r],
		    "accuracy");

		if (rep.folds[rep.row_fold[r]].ntest != 1 ||
		    acc != (rep.y_cls[r] == rep.pred_cls[r]))
			good = 0;
		if (rep.y_cls[r] == rep.pred_cls[r])
			right++;
		if (!isnan(fold_value(&rep, (size_t)rep.row_fold[r],
		    "roc_auc")))
			good = 0;
	}
	ok(good, "one-class split: one row per split, accuracy 0 or 1, "
	    "roc_auc n/a");
	is_int((long long)right, 4, "one-class split: 4 of 7 right");
	ok(rep.pred_cls[4] == 0 && rep.pred_cls[5] == 0 &&
	    rep.pred_cls[6] == 1, "one-class split: the wrong ones");
	is_double(eval_report_metric(&rep, "accuracy"), 4.0 / 7, 1e-12,
	    "one-class split: mean accuracy");
	ok(isnan(eval_report_metric(&rep, "roc_auc")) &&
	    isnan(rep.std[1]), "one-class split: roc_auc n/a in every "
	    "split: mean and std n/a");
	check_reports(&rep, "one-class split");
	eval_report_free(&rep);
out:
	pipeline_free(p);
	table_free(t);
}

/*
 * Overlapping classes (gaussian_nb makes mistakes): the confusion
 * matrix summed over the splits is that of the held-out predictions,
 * and each split's accuracy is that of its rows.
 */
static void
test_confusion(void)
{
	const char *lab[30];
	double x[30], z[30];
	struct table *t;
	struct pipeline *p;
	struct eval_report rep;
	size_t r, f, cm[9] = { 0 }, right[5] = { 0 }, cnt[5] = { 0 };
	int good = 1, off = 0;

	for (r = 0; r < 30; r++) {
		lab[r] = r % 3 == 0 ? "x" : r % 3 == 1 ? "y" : "z";
		x[r] = (double)(r % 3) + 1.7 * sin((double)r * 1.3);
		z[r] = cos((double)r * 0.7);
	}
	t = mktable(30, numcol("f1", x, 30), numcol("f2", z, 30),
	    catcol("cls", lab, 30), NULL);
	p = pipe_ok("target cls\nmodel gaussian_nb\n"
	    "evaluate cv folds=5 seed=2\n");
	if (p == NULL || evaluate(p, t, &rep) != 0) {
		ok(0, "confusion: runs");
		goto out;
	}
	for (r = 0; r < 30; r++) {
		int32_t fr = rep.row_fold[r];

		cm[rep.y_cls[r] * 3 + rep.pred_cls[r]]++;
		cnt[fr]++;
		if (rep.y_cls[r] == rep.pred_cls[r])
			right[fr]++;
		else
			off = 1;
	}
	for (r = 0; r < 9; r++)
		if (cm[r] != rep.confusion[r])
			good = 0;
	ok(off, "confusion: the model makes mistakes here");
	ok(good, "confusion: summed over splits = the held-out predictions");
	good = 1;
	for (f = 0; f < 5; f++)
		if (fabs(fold_value(&rep, f, "accuracy") - (double)right[f] /
		    (double)cnt[f]) > 1e-12)
			good = 0;
	ok(good, "confusion: per-split accuracy from its rows");
	good = 1;
	for (r = 0; r < 30; r++) {
		double s = 0;

		for (f = 0; f < 3; f++)
			s += rep.proba[r * 3 + f];
		if (fabs(s - 1) > 1e-9)
			good = 0;
	}
	ok(good, "confusion: held-out probabilities sum to 1");
	is_int(metric_index(&rep, "precision_macro"), 2,
	    "confusion: default metrics for three classes");
	check_reports(&rep, "confusion");
	eval_report_free(&rep);
out:
	pipeline_free(p);
	table_free(t);
}

/*
 * The training rows have classes a and c only; the test rows a, b and
 * c.  The model's two probability columns (a, c) map into the report's
 * three classes (a, b, c), b getting 0.  knn k=1: a(0.5) -> a, c(11.5)
 * -> c, b(30) -> c, b(-5) -> a.  The baseline ties a and c: a, right
 * once.
 */
static void
test_missing_class(void)
{
	const char *lab[10] = { "a", "a", "a", "c", "c", "c", "a", "c", "b",
	    "b" };
	double x[10] = { 0, 1, 2, 10, 11, 12, 0.5, 11.5, 30, -5 };
	double fold[10] = { NAN, NAN, NAN, NAN, NAN, NAN, 0, 0, 0, 0 };
	struct table *t;
	struct pipeline *p;
	struct eval_report rep;
	size_t cm[9] = { 1, 0, 0, 1, 0, 1, 0, 0, 1 }, r;
	double p1 = (1 - EPS) / (1 + EPS), p0 = EPS / (1 + EPS);
	int good = 1;

	t = mktable(10, numcol("x", x, 10), numcol("fold", fold, 10),
	    catcol("y", lab, 10), NULL);
	p = pipe_ok("target y\nmodel knn_classifier k=1\n"
	    "evaluate folds=fold metrics=accuracy,log_loss\n");
	if (p == NULL || evaluate(p, t, &rep) != 0) {
		ok(0, "missing class: runs");
		goto out;
	}
	is_int((long long)rep.nclasses, 3, "missing class: 3 classes");
	for (r = 6; r < 10; r++)
		if (rep.proba[r * 3 + 1] != 0 || rep.proba[r * 3] +
		    rep.proba[r * 3 + 2] != 1)
			good = 0;
	ok(good, "missing class: probability 0 for the absent class");
	ok(rep.proba[6 * 3] == 1 && rep.proba[7 * 3 + 2] == 1 &&
	    rep.proba[8 * 3 + 2] == 1 && rep.proba[9 * 3] == 1,
	    "missing class: the model's columns in the report's order");
	ok(rep.pred_cls[6] == 0 && rep.pred_cls[7] == 2 &&
	    rep.pred_cls[8] == 2 && rep.pred_cls[9] == 0,
	    "missing class: predictions in the report's classes");
	good = 1;
	for (r = 0; r < 9; r++)
		if (rep.confusion[r] != cm[r])
			good = 0;
	ok(good, "missing class: confusion [[1,0,0],[1,0,1],[0,0,1]]");
	is_double(rep.mean[0], 0.5, 0, "missing class: accuracy 1/2");
	/* two rows right (1, clipped), two with p = 0 (eps, clipped); the
	 * baseline: 1/2, 0, 1/2 */
	is_double(rep.mean[1], -(2 * log(p1) + 2 * log(p0)) / 4, 1e-12,
	    "missing class: log_loss over the three classes");
	is_double(rep.base_mean[0], 0.25, 0, "missing class: baseline");
	is_double(rep.base_mean[1], -(2 * log(0.5 / (1 + EPS)) +
	    2 * log(p0)) / 4, 1e-12, "missing class: baseline log_loss");
	ok(p->model->nclasses == 3, "missing class: the final model has all "
	    "three");
	eval_report_free(&rep);
out:
	pipeline_free(p);
	table_free(t);
}

/*
 * positive= chooses the class precision and recall are about.  Test
 * rows (knn k=1 on no: 0 1 2, yes: 10 11 12): no 0.5 -> no, no 9 ->
 * yes, yes 11 -> yes, yes 3 -> no, yes 12.5 -> yes.  For yes: TP 2, FP
 * 1, FN 1; for no: TP 1, FP 1, FN 1.
 */
static void
test_positive(void)
{
	const char *lab[11] = { "no", "no", "no", "yes", "yes", "yes", "no",
	    "no", "yes", "yes", "yes" };
	double x[11] = { 0, 1, 2, 10, 11, 12, 0.5, 9, 11, 3, 12.5 };
	double fold[11] = { NAN, NAN, NAN, NAN, NAN, NAN, 0, 0, 0, 0, 0 };
	struct table *t, *c;
	struct pipeline *p;
	struct eval_report rep;
	char *msg;
	int code;

	t = mktable(11, numcol("x", x, 11), numcol("fold", fold, 11),
	    catcol("y", lab, 11), NULL);
	c = table_copy(t);
	p = pipe_ok("target y\nmodel knn_classifier k=1\n"
	    "evaluate folds=fold metrics=precision,recall\n");
	if (p != NULL && evaluate(p, c, &rep) == 0) {
		is_int((long long)rep.pos, 1, "positive: default the second "
		    "label");
		is_double(rep.mean[0], 2.0 / 3, 1e-12,
		    "positive: precision of yes");
		is_double(rep.mean[1], 2.0 / 3, 1e-12,
		    "positive: recall of yes");
		eval_report_free(&rep);
	} else
		ok(0, "positive: runs");
	pipeline_free(p);
	table_free(c);
	c = table_copy(t);
	p = pipe_ok("target y positive=no\nmodel knn_classifier k=1\n"
	    "evaluate folds=fold metrics=precision,recall\n");
	if (p != NULL && evaluate(p, c, &rep) == 0) {
		is_int((long long)rep.pos, 0, "positive=no: class 0");
		is_double(rep.mean[0], 0.5, 1e-12, "positive=no: precision");
		is_double(rep.mean[1], 0.5, 1e-12, "positive=no: recall");
		check_reports(&rep, "positive");
		eval_report_free(&rep);
	} else
		ok(0, "positive=no: runs");
	pipeline_free(p);
	table_free(c);
	msg = eval_fail("target y positive=maybe\nmodel knn_classifier k=1\n"
	    "evaluate folds=fold\n", t, &code);
	has(msg, "positive class 'maybe' is not a value of target 'y'",
	    "positive: a label that does not exist");
	is_int(code, ERR_DATA, "positive: ERR_DATA");
	free(msg);
	msg = pipe_fail("target y positive=3\nmodel linear\n");
	has(msg, "t.lathe: 'positive=' is for classification models",
	    "positive: only for a classifier");
	free(msg);
	table_free(t);
}

/* ------------------------------------------------------------- grid --- */

/*
 * ridge on y = 2x + 1 exactly: alpha=0 with an intercept is exact, any
 * other combination is not.  The grid is every combination in order,
 * the last parameter fastest; the best by r2 (higher) and by rmse
 * (lower) is combination 3; the final model has its values.
 */
static void
test_grid(void)
{
	static const char *const want[6] = {
		"alpha=100 fit_intercept=true",
		"alpha=100 fit_intercept=false",
		"alpha=0 fit_intercept=true",
		"alpha=0 fit_intercept=false",
		"alpha=10 fit_intercept=true",
		"alpha=10 fit_intercept=false",
	};
	double x[12], y[12];
	struct table *t, *c;
	struct pipeline *p, *q;
	struct eval_report rep;
	struct strbuf sb = STRBUF_INIT;
	struct err e;
	size_t r, g, best;
	long i, k;
	int good = 1;

	for (r = 0; r < 12; r++) {
		x[r] = (double)r * 0.5 + 3;
		y[r] = 2 * x[r] + 1;
	}
	t = mktable(12, numcol("x", x, 12), numcol("y", y, 12), NULL);
	c = table_copy(t);
	p = pipe_ok("target y\nmodel ridge alpha=5\n"
	    "evaluate cv folds=3 seed=1 metrics=r2,rmse\n"
	    "search alpha=100,0,10 fit_intercept=true,false\n");
	if (p == NULL || evaluate(p, c, &rep) != 0) {
		ok(0, "grid: runs");
		goto out;
	}
	is_int((long long)rep.ngrid, 6, "grid: 6 combinations");
	for (g = 0; g < rep.ngrid && g < 6; g++)
		if (strcmp(rep.grid[g].params, want[g]) != 0) {
			printf("# %zu: %s\n", g, rep.grid[g].params);
			good = 0;
		}
	ok(good, "grid: every combination in order, the last fastest");
	is_str(rep.search_metric, "r2", "grid: the first metric by default");
	i = metric_index(&rep, "r2");
	k = metric_index(&rep, "rmse");
	for (best = 0, g = 1; g < rep.ngrid; g++)
		if (rep.grid[g].mean[i] > rep.grid[best].mean[i])
			best = g;
	is_int((long long)rep.best, 2, "grid: the exact one is chosen");
	is_int((long long)best, 2, "grid: it has the highest r2");
	is_double(rep.grid[2].mean[i], 1, 1e-9, "grid: its r2 is 1");
	is_double(params_num(&p->model->params, "alpha"), 0, 0,
	    "grid: the final model has alpha=0");
	ok(params_bool(&p->model->params, "fit_intercept"),
	    "grid: the final model has fit_intercept=true");
	ok(p->model->fitted, "grid: the final model is fitted");
	good = 1;
	for (g = 0; g < rep.nmetrics; g++)
		if (fabs(rep.mean[g] - rep.grid[2].mean[g]) > 1e-12 ||
		    fabs(rep.std[g] - rep.grid[2].std[g]) > 1e-12)
			good = 0;
	ok(good, "grid: the report's splits are the chosen combination's");
	good = 1;
	for (r = 0; r < 12; r++)
		if (fabs(rep.pred_num[r] - y[r]) > 1e-6)
			good = 0;
	ok(good, "grid: held-out predictions of the chosen combination");
	/* the fitted pipeline records the chosen values */
	pipeline_save(p, &sb);
	err_clear(&e);
	q = pipeline_read(strbuf_str(&sb), "fitted", &e);
	if (q != NULL) {
		is_double(params_num(&q->model->params, "alpha"), 0, 0,
		    "grid: the fitted pipeline records alpha=0");
		pipeline_free(q);
	} else
		ok(0, "grid: the fitted pipeline reads back: %s", e.msg);
	strbuf_release(&sb);
	check_reports(&rep, "grid");
	eval_report_free(&rep);
	pipeline_free(p);

	/* by rmse (lower is better), not among the reported metrics */
	table_free(c);
	c = table_copy(t);
	p = pipe_ok("target y\nmodel ridge alpha=5\n"
	    "evaluate cv folds=3 seed=1 metrics=r2\n"
	    "search alpha=100,0,10 metric=rmse\n");
	if (p == NULL || evaluate(p, c, &rep) != 0) {
		ok(0, "grid by rmse: runs");
		goto out;
	}
	is_str(rep.search_metric, "rmse", "grid by rmse: search metric");
	k = metric_index(&rep, "rmse");
	ok(rep.nmetrics == 2 && k == 1, "grid by rmse: rmse scored too");
	is_int((long long)rep.best, 1, "grid by rmse: the lowest rmse");
	for (best = 0, g = 1; g < rep.ngrid; g++)
		if (rep.grid[g].mean[k] < rep.grid[best].mean[k])
			best = g;
	is_int((long long)best, 1, "grid by rmse: it is the lowest");
	ok(rep.grid[0].mean[k] > rep.grid[2].mean[k] &&
	    rep.grid[2].mean[k] > rep.grid[1].mean[k],
	    "grid by rmse: rmse grows with alpha");
	is_double(params_num(&p->model->params, "alpha"), 0, 0,
	    "grid by rmse: the final model has alpha=0");
	check_reports(&rep, "grid by rmse");
	eval_report_free(&rep);
out:
	pipeline_free(p);
	table_free(c);
	table_free(t);
}

/*
 * The tree's seed changes nothing with one feature: every combination
 * scores the same and the first is chosen, for a higher-is-better and a
 * lower-is-better metric.
 */
static void
test_grid_ties(void)
{
	const char *lab[16];
	double x[16];
	struct table *t;
	struct pipeline *p;
	struct eval_report rep;
	size_t r;
	const char *metric[2] = { "accuracy", "log_loss" };
	char *body;
	int m;

	for (r = 0; r < 16; r++) {
		lab[r] = (r * 5) % 7 < 3 ? "u" : "v";
		x[r] = (double)((r * 3) % 16);
	}
	for (m = 0; m < 2; m++) {
		t = mktable(16, numcol("x", x, 16), catcol("y", lab, 16), NULL);
		body = xasprintf("target y\nmodel tree_classifier seed=3\n"
		    "evaluate cv folds=4\nsearch seed=5,1,2 metric=%s\n",
		    metric[m]);
		p = pipe_ok(body);
		free(body);
		if (p != NULL && evaluate(p, t, &rep) == 0) {
			long i = metric_index(&rep, metric[m]);

			ok(i >= 0 && rep.grid[0].mean[i] ==
			    rep.grid[1].mean[i] && rep.grid[1].mean[i] ==
			    rep.grid[2].mean[i],
			    "grid ties (%s): all combinations score the same",
			    metric[m]);
			is_int((long long)rep.best, 0, "grid ties: the first");
			is_int(params_int(&p->model->params, "seed"), 5,
			    "grid ties: the final model has seed=5");
			eval_report_free(&rep);
		} else
			ok(0, "grid ties: runs");
		pipeline_free(p);
		table_free(t);
	}
}

/* ------------------------------------------------------- clustering --- */

/*
 * kmeans k=2 on {0, 0.1, 0.2} and {10, 10.1, 10.2}, no evaluate line:
 * scored on the data it was fitted on.  Inertia 2 * (0.1^2 + 0.1^2) =
 * 0.04; the silhouette computed here from the two groups; ari only with
 * a target (here exactly the groups: 1).
 */
static void
test_cluster(void)
{
	double x[6] = { 0, 10, 0.1, 10.1, 0.2, 10.2 };
	const char *g[6] = { "p", "q", "p", "q", "p", "q" };
	struct table *t;
	struct pipeline *p;
	struct eval_report rep;
	double sil = 0;
	size_t i, j;

	for (i = 0; i < 6; i++) {
		double a = 0, b = 0;

		for (j = 0; j < 6; j++) {
			if (j == i)
				continue;
			if (j % 2 == i % 2)
				a += fabs(x[i] - x[j]) / 2;
			else
				b += fabs(x[i] - x[j]) / 3;
		}
		sil += (b - a) / (a > b ? a : b) / 6;
	}
	t = mktable(6, numcol("x", x, 6), NULL);
	p = pipe_ok("model kmeans k=2\n");
	if (p != NULL && evaluate(p, t, &rep) == 0) {
		is_str(rep.method, "scored on the data it was fitted on",
		    "cluster: method");
		ok(rep.nfolds == 1 && rep.folds[0].ntrain == 6 &&
		    rep.folds[0].ntest == 6, "cluster: one split, all rows");
		is_int((long long)rep.nmetrics, 2, "cluster: two metrics");
		is_double(eval_report_metric(&rep, "inertia"), 0.04, 1e-9,
		    "cluster: inertia");
		is_double(eval_report_metric(&rep, "silhouette"), sil, 1e-9,
		    "cluster: silhouette");
		ok(isnan(eval_report_metric(&rep, "ari")),
		    "cluster: no ari without a target");
		check_reports(&rep, "cluster");
		eval_report_free(&rep);
	} else
		ok(0, "cluster: runs");
	pipeline_free(p);
	table_free(t);

	t = mktable(6, numcol("x", x, 6), catcol("g", g, 6), NULL);
	p = pipe_ok("target g\nmodel kmeans k=2\n");
	if (p != NULL && evaluate(p, t, &rep) == 0) {
		is_int((long long)rep.nmetrics, 3, "cluster+target: three "
		    "metrics");
		is_double(eval_report_metric(&rep, "ari"), 1, 1e-12,
		    "cluster+target: ari 1");
		is_double(eval_report_metric(&rep, "inertia"), 0.04, 1e-9,
		    "cluster+target: the target is no feature");
		ok(rep.nfeat == 1, "cluster+target: one feature");
		check_reports(&rep, "cluster+target");
		eval_report_free(&rep);
	} else
		ok(0, "cluster+target: runs");
	pipeline_free(p);
	table_free(t);
}

/* ----------------------------------------------------------- errors --- */

static void
test_errors(void)
{
	double x[4] = { 1, 2, 3, 4 };
	double xs[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	double ys[8] = { 0, 1, 2, 1, 2, 0, 0, 1 };
	double fs[8] = { NAN, NAN, NAN, NAN, NAN, 0, 0, NAN };
	struct table *t;
	char *msg;
	int code;

	msg = pipe_fail("target y\nevaluate cv\n");
	is_str(msg, "t.lathe:3: 'evaluate' needs a 'model' statement",
	    "errors: evaluate without a model");
	free(msg);
	msg = pipe_fail("target y\nsearch alpha=1,2\n");
	is_str(msg, "t.lathe:3: 'search' needs a 'model' statement",
	    "errors: search without a model");
	free(msg);
	msg = pipe_fail("target y\nmodel ridge\nsearch alpha=1,2\n");
	is_str(msg, "t.lathe:4: 'search' needs an 'evaluate' statement to "
	    "score the grid on", "errors: search without evaluate");
	free(msg);
	msg = pipe_fail("target y\nmodel ridge\n"
	    "evaluate cv metrics=rmse,rmsee\n");
	is_str(msg, "t.lathe:4: unknown metric 'rmsee' (did you mean "
	    "'rmse'?)", "errors: unknown metric, file:line");
	free(msg);
	msg = pipe_fail("target y\nmodel ridge\n"
	    "evaluate cv metrics=accuracy\n");
	is_str(msg, "t.lathe:4: metric 'accuracy' is for classification "
	    "models", "errors: a classification metric for a regressor");
	free(msg);
	msg = pipe_fail("target y\nmodel ridge\nevaluate cv\n"
	    "search alpha=1,2 metric=log_loss\n");
	has(msg, "t.lathe:5: metric 'log_loss' is for classification",
	    "errors: a wrong-task search metric, file:line");
	free(msg);
	msg = pipe_fail("target y\nmodel ridge\nevaluate cv\n"
	    "search alfa=1,2\n");
	is_str(msg, "t.lathe:5:8: model 'ridge' has no parameter 'alfa' "
	    "(did you mean 'alpha'?)", "errors: search parameter not in the "
	    "model's schema");
	free(msg);
	msg = pipe_fail("target y\nmodel ridge\nevaluate cv\n"
	    "search alpha=1,-2\n");
	has(msg, "t.lathe:5:8: search", "errors: a search value out of "
	    "range: file:line:col");
	has(msg, "-2", "errors: a search value out of range: the value");
	free(msg);
	msg = pipe_fail("target y\nmodel knn_classifier\nevaluate cv\n"
	    "search weights=uniform,nearest\n");
	has(msg, "nearest", "errors: a search value not in the enum");
	free(msg);
	msg = pipe_fail("model ridge\n");
	is_str(msg, "t.lathe:2: model 'ridge' needs a 'target COLUMN' "
	    "statement", "errors: a regressor without a target");
	free(msg);

	t = mktable(4, numcol("x", x, 4), numcol("z", x, 4), NULL);
	msg = eval_fail("target y\nmodel ridge\nevaluate cv folds=2\n", t,
	    &code);
	is_str(msg, "t.lathe: target column 'y' is not in the data",
	    "errors: target missing from the data");
	is_int(code, ERR_SPEC, "errors: target missing: ERR_SPEC");
	free(msg);
	msg = eval_fail("target z\nmodel ridge\nevaluate cv folds=5\n", t,
	    &code);
	is_str(msg, "5 folds but only 4 rows", "errors: more folds than "
	    "rows");
	free(msg);
	table_free(t);

	/*
	 * A step that turns the training labels into labels the data does
	 * not have (the test rows, class 0, keep theirs): an error, not a
	 * class index -1.
	 */
	t = mktable(8, numcol("x", xs, 8), numcol("fold", fs, 8),
	    numcol("y", ys, 8), NULL);
	t->cols[2]->type = COL_INT;
	msg = eval_fail("target y\nstep derive name=y expr=\"y * 10\" "
	    "replace=true\nmodel knn_classifier k=1\nevaluate folds=fold\n",
	    t, &code);
	is_str(msg, "target value '10' after the steps is not a class of "
	    "the data", "errors: a step maps the target out of its classes");
	is_int(code, ERR_DATA, "errors: target out of its classes: "
	    "ERR_DATA");
	free(msg);
	table_free(t);
}

/* A pipeline with no model: only the final fit, no numbers. */
static void
test_no_model(void)
{
	double x[4] = { 1, 2, 3, 4 };
	struct table *t;
	struct pipeline *p;
	struct eval_report rep;
	struct strbuf sb = STRBUF_INIT;

	t = mktable(4, numcol("x", x, 4), NULL);
	p = pipe_ok("step scale\n");
	if (p != NULL && evaluate(p, t, &rep) == 0) {
		ok(rep.nmetrics == 0 && rep.model == NULL && rep.nfolds == 0,
		    "no model: nothing scored");
		is_double(t->cols[0]->num[0], -3 / sqrt(5), 1e-12,
		    "no model: the steps are fitted");
		eval_report_json(&rep, &sb);
		is_str(strbuf_str(&sb), "{\"model\":null}\n",
		    "no model: the JSON report");
		strbuf_release(&sb);
		eval_report_free(&rep);
	} else
		ok(0, "no model: runs");
	pipeline_free(p);
	table_free(t);
}

/*
 * A run recorded in a workspace keeps every metric per split and the
 * mean with its std (n/a as NULL, read back as NaN), the parameters the
 * final model was fitted with, and the JSON report.  A metric named
 * twice is reported once (the workspace keys the values by metric and
 * split).
 */
static void
test_runs(void)
{
	double x[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	double y[9] = { 1, 3, 2, 6, 5, 7, 4, 4, 4 };
	double fold[9] = { 0, 0, 0, 1, 1, 1, 2, 2, 2 };
	struct table *t;
	struct pipeline *p;
	struct eval_report rep;
	struct workspace *ws;
	struct run_info ri;
	struct err e;
	char *path = xasprintf("%s/ws.db", tmpdir);
	size_t i, m, found = 0;
	int good = 1;

	t = mktable(9, numcol("x", x, 9), numcol("fold", fold, 9),
	    numcol("y", y, 9), NULL);
	p = pipe_ok("target y\nmodel ridge alpha=2\n"
	    "evaluate folds=fold metrics=r2,mae,r2\nsearch alpha=0,1\n");
	if (p == NULL || evaluate(p, t, &rep) != 0) {
		ok(0, "runs: runs");
		goto out;
	}
	ok(rep.nmetrics == 2 && metric_index(&rep, "r2") == 0 &&
	    metric_index(&rep, "mae") == 1, "runs: a metric named twice is "
	    "reported once");
	err_clear(&e);
	if (runs_record(path, p, "t.lathe", "data.csv", "0123", 1.5, &rep,
	    NULL, &e) != 0) {
		ok(0, "runs: recorded: %s", e.msg);
		eval_report_free(&rep);
		goto out;
	}
	ws = workspace_open(path, &e);
	if (ws == NULL || runs_get(ws, 1, &ri, &e) != 0) {
		ok(0, "runs: read back: %s", e.msg);
		workspace_close(ws);
		eval_report_free(&rep);
		goto out;
	}
	is_int((long long)ri.nmetrics, (long long)(rep.nmetrics *
	    (rep.nfolds + 1)), "runs: every metric per split and the mean");
	for (i = 0; i < ri.nmetrics; i++) {
		long k = metric_index(&rep, ri.metrics[i].name);
		double want, wstd;

		if (k < 0) {
			good = 0;
			continue;
		}
		m = (size_t)k;
		want = ri.metrics[i].fold < 0 ? rep.mean[m] :
		    rep.folds[ri.metrics[i].fold].value[m];
		wstd = ri.metrics[i].fold < 0 ? rep.std[m] : NAN;
		if (isnan(want) != isnan(ri.metrics[i].value) ||
		    (!isnan(want) && want != ri.metrics[i].value) ||
		    isnan(wstd) != isnan(ri.metrics[i].std) ||
		    (!isnan(wstd) && wstd != ri.metrics[i].std))
			good = 0;
		if (isnan(ri.metrics[i].value))
			found++;
	}
	ok(good, "runs: the values and stds read back as reported");
	ok(found == 1, "runs: the n/a r2 of the constant split is NaN");
	is_str(ri.model, "ridge", "runs: the model");
	has(ri.params, "alpha=", "runs: the parameters");
	ok(ri.params != NULL && strstr(ri.params, "alpha=2") == NULL,
	    "runs: the grid's choice, not the spec's alpha=2 (%s)",
	    ri.params ? ri.params : "");
	is_str(ri.evaluation, rep.method, "runs: the evaluation");
	ok(ri.report != NULL && json_ok(ri.report), "runs: the JSON report");
	run_info_release(&ri);
	workspace_close(ws);
	eval_report_free(&rep);
out:
	pipeline_free(p);
	table_free(t);
	unlink(path);
	free(path);
}

/* --------------------------------------------------------- cancel --- */

struct canceller {
	volatile int	 flag;
	int		 after;		/* progress calls before cancelling */
	int		 calls;
};

static void
cancel_progress(void *arg, double done)
{
	struct canceller *c = arg;

	(void)done;
	if (++c->calls >= c->after)
		c->flag = 1;
}

/*
 * A cancelled context stops the job with ERR_CANCEL, before any split
 * and in the middle of one (the flag raised by the progress callback),
 * in a plain evaluation and in a grid search.  LeakSanitizer checks the
 * report is freed whole.
 */
static void
test_cancel(void)
{
	static const char *const spec[] = {
		"target y\nmodel logistic\nevaluate cv folds=3\n",
		"target y\nmodel logistic\nevaluate cv folds=3\n"
		    "search C=0.1,1,10\n",
		"target y\nmodel logistic\n",
		"target y\nmodel kmeans k=2\n",
	};
	const char *lab[30];
	double x[30];
	struct eval_report rep;
	struct model_ctx ctx;
	struct canceller cc;
	struct table *t, *c;
	struct pipeline *p;
	struct err e;
	size_t r, s;
	int after;

	for (r = 0; r < 30; r++) {
		lab[r] = (r * 7) % 5 < 2 ? "n" : "y";
		x[r] = (double)(r % 7) + ((r * 7) % 5 < 2 ? 0 : 2.5);
	}
	t = mktable(30, numcol("x", x, 30), catcol("y", lab, 30), NULL);
	for (s = 0; s < sizeof spec / sizeof *spec; s++)
		for (after = 0; after < 6; after += 2) {
			c = table_copy(t);
			p = pipe_ok(spec[s]);
			if (p == NULL) {
				table_free(c);
				continue;
			}
			memset(&cc, 0, sizeof cc);
			cc.after = after;
			cc.flag = after == 0;
			memset(&ctx, 0, sizeof ctx);
			ctx.threads = 1;
			ctx.cancel = &cc.flag;
			ctx.progress = cancel_progress;
			ctx.arg = &cc;
			err_clear(&e);
			ok(evaluate_run(p, c, &ctx, &rep, &e) != 0 &&
			    e.code == ERR_CANCEL && strcmp(e.msg,
			    "cancelled") == 0, "cancel: spec %zu after %d "
			    "progress calls: ERR_CANCEL (%s)", s, after, e.msg);
			/* cancelled before the start: nothing was fitted */
			if (after == 0)
				ok(cc.calls == 0, "cancel: spec %zu: stopped "
				    "before any fit", s);
			eval_report_free(&rep);
			pipeline_free(p);
			table_free(c);
		}
	table_free(t);
}

struct progress_log {
	size_t		 n, back;
	double		 last;
};

static void
log_progress(void *arg, double done)
{
	struct progress_log *pl = arg;

	if (done < pl->last - 1e-12)
		pl->back++;
	if (pl->n == 0 && done < 0)
		pl->back++;
	pl->last = done;
	pl->n++;
}

/*
 * The progress over the whole job never goes back and ends at 1, with
 * models whose own progress goes forward (gaussian_nb: one step per
 * feature; knn_classifier: 0 then 1; kmeans).
 */
static void
test_progress(void)
{
	static const char *const spec[] = {
		"target y\nmodel gaussian_nb\nevaluate cv folds=3\n",
		"target y\nmodel knn_classifier\nevaluate cv folds=3\n"
		    "search k=5,1,3\n",
		"target y\nmodel gaussian_nb\n",
		"model kmeans k=2\n",
	};
	const char *lab[30];
	double x[30];
	struct eval_report rep;
	struct model_ctx ctx;
	struct progress_log pl;
	struct table *t;
	struct pipeline *p;
	struct err e;
	size_t r, s;

	for (r = 0; r < 30; r++) {
		lab[r] = (r * 7) % 5 < 2 ? "n" : "y";
		x[r] = (double)(r % 7) + ((r * 7) % 5 < 2 ? 0 : 2.5);
	}
	for (s = 0; s < sizeof spec / sizeof *spec; s++) {
		t = s == 3 ? mktable(30, numcol("x", x, 30), NULL) :
		    mktable(30, numcol("x", x, 30), catcol("y", lab, 30),
		    NULL);
		p = pipe_ok(spec[s]);
		memset(&pl, 0, sizeof pl);
		memset(&ctx, 0, sizeof ctx);
		ctx.threads = 2;
		ctx.progress = log_progress;
		ctx.arg = &pl;
		err_clear(&e);
		if (p != NULL && evaluate_run(p, t, &ctx, &rep, &e) == 0) {
			ok(pl.n > 1 && pl.back == 0 && pl.last == 1,
			    "progress: spec %zu: %zu calls, %zu backwards, "
			    "last %g", s, pl.n, pl.back, pl.last);
			eval_report_free(&rep);
		} else
			ok(0, "progress: spec %zu runs: %s", s, e.msg);
		pipeline_free(p);
		table_free(t);
	}
}

int
main(void)
{
	char tmpl[] = "/tmp/t-evaluate.XXXXXX";

	tmpdir = mkdtemp(tmpl);
	if (tmpdir == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_cv();
	test_cv_stratified();
	test_holdout();
	test_folds_column();
	test_folds_file();
	test_leakage();
	test_baseline();
	test_mean_std();
	test_nan_skipped();
	test_one_class_split();
	test_confusion();
	test_missing_class();
	test_positive();
	test_grid();
	test_grid_ties();
	test_cluster();
	test_errors();
	test_no_model();
	test_runs();
	test_cancel();
	test_progress();
	rmdir(tmpdir);
	return tap_done();
}

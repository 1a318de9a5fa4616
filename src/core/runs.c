/*
 * runs.c - recording and reading experiment runs (runs.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "config.h"
#include "core/runs.h"
#include "core/xmalloc.h"

static char *
iso_now(void)
{
	char buf[32];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

static int
sqlerr(sqlite3 *db, struct err *e, const char *what)
{
	return err_set(e, ERR_IO, "workspace: %s: %s", what,
	    sqlite3_errmsg(db));
}

int
runs_add(struct workspace *ws, const struct run_info *ri, int64_t *id,
    struct err *e)
{
	sqlite3 *db = workspace_db(ws);
	sqlite3_stmt *st = NULL, *mt = NULL;
	size_t i;

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(db, e, "cannot record the run");
	if (sqlite3_prepare_v2(db, "INSERT INTO runs (created, spec_path, "
	    "spec, data, data_hash, model, params, evaluation, seed, seconds, "
	    "version, fitted_path, report) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7, ?8, ?9, ?10, ?11, ?12, ?13)", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(st, 1, ri->created, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ri->spec_path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ri->spec ? ri->spec : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, ri->data, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ri->data_hash ? ri->data_hash : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 6, ri->model, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, ri->params, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, ri->evaluation, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, ri->seed);
	sqlite3_bind_double(st, 10, ri->seconds);
	sqlite3_bind_text(st, 11, ri->version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, ri->fitted_path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, ri->report, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	*id = sqlite3_last_insert_rowid(db);
	if (sqlite3_prepare_v2(db, "INSERT INTO run_metrics (run_id, metric, "
	    "fold, value, std) VALUES (?1, ?2, ?3, ?4, ?5)", -1, &mt, NULL) !=
	    SQLITE_OK)
		goto fail;
	for (i = 0; i < ri->nmetrics; i++) {
		const struct run_metric *m = &ri->metrics[i];

		sqlite3_reset(mt);
		sqlite3_bind_int64(mt, 1, *id);
		sqlite3_bind_text(mt, 2, m->name, -1, SQLITE_STATIC);
		sqlite3_bind_int(mt, 3, m->fold);
		if (isnan(m->value))
			sqlite3_bind_null(mt, 4);
		else
			sqlite3_bind_double(mt, 4, m->value);
		if (m->fold < 0 && !isnan(m->std))
			sqlite3_bind_double(mt, 5, m->std);
		else
			sqlite3_bind_null(mt, 5);
		if (sqlite3_step(mt) != SQLITE_DONE)
			goto fail;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(mt);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sqlerr(db, e, "cannot record the run");
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
fail:
	sqlerr(db, e, "cannot record the run");
	sqlite3_finalize(st);
	sqlite3_finalize(mt);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int
runs_record(const char *ws_path, const struct pipeline *p,
    const char *spec_path, const char *data, const char *data_hash,
    double seconds, const struct eval_report *rep, const char *fitted_path,
    struct err *e)
{
	struct run_info ri;
	struct strbuf spec = STRBUF_INIT, params = STRBUF_INIT;
	struct strbuf report = STRBUF_INIT;
	struct workspace *ws;
	char *path, *abs_spec = NULL, *abs_fit = NULL;
	size_t i, f, n = 0;
	int64_t id;
	int rc;

	memset(&ri, 0, sizeof ri);
	spec_write(p->spec, &spec);
	if (p->model != NULL)
		params_write(&p->model->params, &params);
	eval_report_json(rep, &report);
	if (spec_path != NULL && strcmp(spec_path, "-") != 0)
		abs_spec = realpath(spec_path, NULL);
	if (fitted_path != NULL && strcmp(fitted_path, "-") != 0)
		abs_fit = realpath(fitted_path, NULL);
	ri.created = iso_now();
	ri.spec_path = abs_spec ? abs_spec : (char *)spec_path;
	ri.spec = (char *)strbuf_str(&spec);
	ri.data = (char *)data;
	ri.data_hash = (char *)data_hash;
	ri.model = p->model ? (char *)p->model->ops->name : NULL;
	ri.params = (char *)strbuf_str(&params);
	ri.evaluation = rep->method;
	ri.seed = p->eval.seed;
	ri.seconds = seconds;
	ri.version = (char *)PACKAGE_VERSION;
	ri.fitted_path = abs_fit ? abs_fit : (char *)fitted_path;
	ri.report = (char *)strbuf_str(&report);
	ri.metrics = xcalloc(rep->nmetrics * (rep->nfolds + 1) + 1,
	    sizeof *ri.metrics);
	for (i = 0; rep->nfolds > 0 && i < rep->nmetrics; i++) {
		ri.metrics[n].name = (char *)rep->metrics[i]->name;
		ri.metrics[n].fold = -1;
		ri.metrics[n].value = rep->mean[i];
		ri.metrics[n].std = rep->std[i];
		n++;
		for (f = 0; f < rep->nfolds; f++) {
			ri.metrics[n].name = (char *)rep->metrics[i]->name;
			ri.metrics[n].fold = (int)f;
			ri.metrics[n].value = rep->folds[f].value[i];
			ri.metrics[n].std = NAN;
			n++;
		}
	}
	ri.nmetrics = n;
	path = workspace_path(ws_path);
	ws = workspace_open(path, e);
	free(path);
	rc = ws == NULL ? -1 : runs_add(ws, &ri, &id, e);
	workspace_close(ws);
	free(ri.metrics);
	free(ri.created);
	free(abs_spec);
	free(abs_fit);
	strbuf_release(&spec);
	strbuf_release(&params);
	strbuf_release(&report);
	return rc;
}

static char *
col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? xstrdup((const char *)s) : NULL;
}

#define RUN_COLUMNS "id, created, spec_path, spec, data, data_hash, model, " \
	"params, evaluation, seed, seconds, version, fitted_path, report"

static void
read_run(sqlite3_stmt *st, struct run_info *ri)
{
	memset(ri, 0, sizeof *ri);
	ri->id = sqlite3_column_int64(st, 0);
	ri->created = col_text(st, 1);
	ri->spec_path = col_text(st, 2);
	ri->spec = col_text(st, 3);
	ri->data = col_text(st, 4);
	ri->data_hash = col_text(st, 5);
	ri->model = col_text(st, 6);
	ri->params = col_text(st, 7);
	ri->evaluation = col_text(st, 8);
	ri->seed = sqlite3_column_int64(st, 9);
	ri->seconds = sqlite3_column_double(st, 10);
	ri->version = col_text(st, 11);
	ri->fitted_path = col_text(st, 12);
	ri->report = col_text(st, 13);
}

static int
read_metrics(sqlite3 *db, struct run_info *ri, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT metric, fold, value, std FROM "
	    "run_metrics WHERE run_id = ?1 ORDER BY rowid", -1, &st, NULL) !=
	    SQLITE_OK)
		return sqlerr(db, e, "cannot read runs");
	sqlite3_bind_int64(st, 1, ri->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct run_metric *m;

		ri->metrics = xreallocarray(ri->metrics, ri->nmetrics + 1,
		    sizeof *ri->metrics);
		m = &ri->metrics[ri->nmetrics++];
		m->name = col_text(st, 0);
		m->fold = sqlite3_column_int(st, 1);
		m->value = sqlite3_column_type(st, 2) == SQLITE_NULL ? NAN :
		    sqlite3_column_double(st, 2);
		m->std = sqlite3_column_type(st, 3) == SQLITE_NULL ? NAN :
		    sqlite3_column_double(st, 3);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sqlerr(db, e, "cannot read runs");
	return 0;
}

int
runs_list(struct workspace *ws, const char *data, const char *spec,
    struct run_info **out, size_t *n, struct err *e)
{
	sqlite3 *db = workspace_db(ws);
	sqlite3_stmt *st;
	struct run_info *v = NULL;
	size_t k = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT " RUN_COLUMNS " FROM runs WHERE "
	    "(?1 IS NULL OR instr(data, ?1) > 0) AND (?2 IS NULL OR "
	    "instr(spec_path, ?2) > 0 OR instr(spec, ?2) > 0) ORDER BY id "
	    "DESC", -1, &st, NULL) != SQLITE_OK)
		return sqlerr(db, e, "cannot read runs");
	sqlite3_bind_text(st, 1, data, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, spec, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xreallocarray(v, k + 1, sizeof *v);
		read_run(st, &v[k++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		run_infos_free(v, k);
		return sqlerr(db, e, "cannot read runs");
	}
	for (size_t i = 0; i < k; i++)
		if (read_metrics(db, &v[i], e) != 0) {
			run_infos_free(v, k);
			return -1;
		}
	*out = v;
	*n = k;
	return 0;
}

int
runs_get(struct workspace *ws, int64_t id, struct run_info *ri,
    struct err *e)
{
	sqlite3 *db = workspace_db(ws);
	sqlite3_stmt *st;
	int rc;

	memset(ri, 0, sizeof *ri);
	if (sqlite3_prepare_v2(db, "SELECT " RUN_COLUMNS " FROM runs WHERE "
	    "id = ?1", -1, &st, NULL) != SQLITE_OK)
		return sqlerr(db, e, "cannot read runs");
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_run(st, ri);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_DATA, "no run %lld in the workspace",
		    (long long)id);
	if (rc != SQLITE_ROW)
		return sqlerr(db, e, "cannot read runs");
	if (read_metrics(db, ri, e) != 0) {
		run_info_release(ri);
		return -1;
	}
	return 0;
}

void
run_info_release(struct run_info *ri)
{
	size_t i;

	free(ri->created);
	free(ri->spec_path);
	free(ri->spec);
	free(ri->data);
	free(ri->data_hash);
	free(ri->model);
	free(ri->params);
	free(ri->evaluation);
	free(ri->version);
	free(ri->fitted_path);
	free(ri->report);
	for (i = 0; i < ri->nmetrics; i++)
		free(ri->metrics[i].name);
	free(ri->metrics);
	memset(ri, 0, sizeof *ri);
}

void
run_infos_free(struct run_info *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		run_info_release(&v[i]);
	free(v);
}

double
run_metric_mean(const struct run_info *ri, const char *name)
{
	size_t i;

	for (i = 0; i < ri->nmetrics; i++)
		if (ri->metrics[i].fold < 0 &&
		    strcmp(ri->metrics[i].name, name) == 0)
			return ri->metrics[i].value;
	return NAN;
}

/* Split text into lines (pointers into a copy). */
static size_t
lines_of(char *s, char ***out)
{
	char **v = NULL, *p = s;
	size_t n = 0;

	while (*p != '\0') {
		char *nl = strchr(p, '\n');

		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	*out = v;
	return n;
}

void
text_diff(const char *a, const char *b, struct strbuf *sb)
{
	char *ca = xstrdup(a ? a : ""), *cb = xstrdup(b ? b : "");
	char **la, **lb;
	size_t na = lines_of(ca, &la), nb = lines_of(cb, &lb), i, j;
	size_t *L = xcalloc((na + 1) * (nb + 1), sizeof *L);

	/* longest common subsequence, from the ends (specs are short) */
	for (i = na; i-- > 0; )
		for (j = nb; j-- > 0; )
			L[i * (nb + 1) + j] = strcmp(la[i], lb[j]) == 0 ?
			    L[(i + 1) * (nb + 1) + j + 1] + 1 :
			    L[(i + 1) * (nb + 1) + j] >
			    L[i * (nb + 1) + j + 1] ?
			    L[(i + 1) * (nb + 1) + j] :
			    L[i * (nb + 1) + j + 1];
	i = j = 0;
	while (i < na || j < nb) {
		if (i < na && j < nb && strcmp(la[i], lb[j]) == 0) {
			strbuf_addf(sb, "  %s\n", la[i]);
			i++;
			j++;
		} else if (j < nb && (i == na || L[i * (nb + 1) + j + 1] >=
		    L[(i + 1) * (nb + 1) + j])) {
			strbuf_addf(sb, "+ %s\n", lb[j]);
			j++;
		} else {
			strbuf_addf(sb, "- %s\n", la[i]);
			i++;
		}
	}
	free(L);
	free(la);
	free(lb);
	free(ca);
	free(cb);
}

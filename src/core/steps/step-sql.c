/*
 * step-sql.c - a SELECT over the current table, for ELT-style transforms:
 *
 *	step sql query='SELECT *, price * qty AS total FROM data WHERE qty > 0'
 *
 * The table is exposed to SQLite as a read-only virtual table named
 * `data` (no copy: each value is handed over as SQLite asks for it), in
 * a private in-memory database.  An authorizer allows reading and
 * functions only: no ATTACH, no PRAGMA, no writes, no extension loading,
 * so the query cannot touch anything but the rows in front of it.  The
 * result's column names and types are learned at fit and enforced at
 * apply, so a one-row input is typed like the training data.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/load.h"
#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def sql_params[] = {
	{ "query", PT_STR, NULL, NULL, 0, 0,
	  "a SELECT over the table `data`" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct sqlstate {
	size_t		 n;
	char		**names;
	enum coltype	*types;
};

/* ------------------------------------------------ virtual table --- */

struct vtab {
	sqlite3_vtab	 base;
	const struct table *t;
};

struct vcur {
	sqlite3_vtab_cursor base;
	size_t		 row;
};

static int
vt_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
    sqlite3_vtab **out, char **errp)
{
	const struct table *t = aux;
	struct strbuf sb = STRBUF_INIT;
	struct vtab *v;
	size_t i;
	int rc;

	(void)argc;
	(void)argv;
	(void)errp;
	strbuf_addstr(&sb, "CREATE TABLE x(");
	for (i = 0; i < t->ncols; i++) {
		const char *ty, *p;

		switch (t->cols[i]->type) {
		case COL_INT:
		case COL_BOOL:
			ty = "INTEGER";
			break;
		case COL_FLOAT:
			ty = "REAL";
			break;
		default:
			ty = "TEXT";
			break;
		}
		strbuf_addstr(&sb, i ? ", \"" : "\"");
		for (p = t->cols[i]->name; *p; p++) {
			if (*p == '"')
				strbuf_addch(&sb, '"');
			strbuf_addch(&sb, *p);
		}
		strbuf_addf(&sb, "\" %s", ty);
	}
	strbuf_addstr(&sb, ")");
	rc = sqlite3_declare_vtab(db, sb.buf);
	strbuf_release(&sb);
	if (rc != SQLITE_OK)
		return rc;
	v = sqlite3_malloc(sizeof *v);
	if (v == NULL)
		return SQLITE_NOMEM;
	memset(v, 0, sizeof *v);
	v->t = t;
	*out = &v->base;
	return SQLITE_OK;
}

static int
vt_disconnect(sqlite3_vtab *v)
{
	sqlite3_free(v);
	return SQLITE_OK;
}

static int
vt_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
	const struct vtab *v = (const struct vtab *)vt;

	info->estimatedCost = (double)v->t->nrows;
	info->estimatedRows = (sqlite3_int64)v->t->nrows;
	return SQLITE_OK;
}

static int
vt_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
	struct vcur *c = sqlite3_malloc(sizeof *c);

	(void)vt;
	if (c == NULL)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof *c);
	*out = &c->base;
	return SQLITE_OK;
}

static int
vt_close(sqlite3_vtab_cursor *c)
{
	sqlite3_free(c);
	return SQLITE_OK;
}

static int
vt_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxs, int argc,
    sqlite3_value **argv)
{
	(void)idx;
	(void)idxs;
	(void)argc;
	(void)argv;
	((struct vcur *)cur)->row = 0;
	return SQLITE_OK;
}

static int
vt_next(sqlite3_vtab_cursor *cur)
{
	((struct vcur *)cur)->row++;
	return SQLITE_OK;
}

static int
vt_eof(sqlite3_vtab_cursor *cur)
{
	const struct vtab *v = (const struct vtab *)cur->pVtab;

	return ((struct vcur *)cur)->row >= v->t->nrows;
}

static int
vt_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i)
{
	const struct vtab *v = (const struct vtab *)cur->pVtab;
	const struct column *c = v->t->cols[i];
	size_t r = ((struct vcur *)cur)->row;
	const char *s;
	char buf[64];
	double d;

	switch (c->type) {
	case COL_CAT:
	case COL_TEXT:
		s = column_str(c, r);
		if (s == NULL)
			sqlite3_result_null(ctx);
		else
			sqlite3_result_text(ctx, s, -1, SQLITE_STATIC);
		return SQLITE_OK;
	default:
		break;
	}
	d = c->num[r];
	if (isnan(d)) {
		sqlite3_result_null(ctx);
		return SQLITE_OK;
	}
	switch (c->type) {
	case COL_INT:
	case COL_BOOL:
		if (d == floor(d) && fabs(d) < 9.2e18)
			sqlite3_result_int64(ctx, (sqlite3_int64)d);
		else
			sqlite3_result_double(ctx, d);
		break;
	case COL_DATE:
		fmt_date(buf, sizeof buf, d);
		sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
		break;
	case COL_DATETIME:
		fmt_datetime(buf, sizeof buf, d);
		sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
		break;
	default:
		sqlite3_result_double(ctx, d);
		break;
	}
	return SQLITE_OK;
}

static int
vt_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
	*rowid = (sqlite3_int64)((struct vcur *)cur)->row;
	return SQLITE_OK;
}

static const sqlite3_module vt_module = {
	.iVersion = 0,
	.xCreate = vt_connect,
	.xConnect = vt_connect,
	.xBestIndex = vt_best_index,
	.xDisconnect = vt_disconnect,
	.xDestroy = vt_disconnect,
	.xOpen = vt_open,
	.xClose = vt_close,
	.xFilter = vt_filter,
	.xNext = vt_next,
	.xEof = vt_eof,
	.xColumn = vt_column,
	.xRowid = vt_rowid,
};

/* Reading and functions only, once `data` exists. */
static int
sql_authorize(void *arg, int action, const char *a, const char *b,
    const char *db, const char *trigger)
{
	(void)arg;
	(void)b;
	(void)db;
	(void)trigger;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_FUNCTION:
		if (a != NULL && strcmp(a, "load_extension") == 0)
			return SQLITE_DENY;
		return SQLITE_OK;
	default:
		return SQLITE_DENY;
	}
}

/*
 * Run the query over t; the result becomes a new table.  o forces the
 * output types (at apply), or is NULL (at fit).
 */
static struct table *
sql_run(const struct step *s, const struct table *t,
    const struct load_opts *o, struct err *e)
{
	const char *q = params_str(&s->params, "query"), *tail;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct table *out = NULL;
	struct load_opts def;

	load_opts_init(&def);
	load_opts_set_na(&def, "");
	def.allow_empty = 1;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		err_set(e, ERR_IO, "cannot open SQLite in memory");
		goto out;
	}
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	if (sqlite3_create_module(db, "lathe_table", &vt_module,
	    (void *)(uintptr_t)t) != SQLITE_OK ||
	    sqlite3_exec(db, "CREATE VIRTUAL TABLE temp.data USING "
	    "lathe_table", NULL, NULL, NULL) != SQLITE_OK) {
		err_set(e, ERR_DATA, "cannot expose the table to SQLite: %s",
		    sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_set_authorizer(db, sql_authorize, NULL);
	if (sqlite3_prepare_v2(db, q, -1, &st, &tail) != SQLITE_OK) {
		err_set(e, ERR_SPEC, "query: %s", sqlite3_errmsg(db));
		e->col = params_get(&s->params, "query")->col;
		goto out;
	}
	while (tail && (*tail == ' ' || *tail == '\t' || *tail == '\n' ||
	    *tail == ';'))
		tail++;
	if (st == NULL || (tail && *tail) || !sqlite3_stmt_readonly(st)) {
		err_set(e, ERR_SPEC, "query: one read-only SELECT over 'data' "
		    "only");
		e->col = params_get(&s->params, "query")->col;
		goto out;
	}
	out = sqlload_stmt(st, "query", NULL, o ? o : &def, e);
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	load_opts_release(&def);
	return out;
}

static void
sql_free(struct step *s)
{
	struct sqlstate *ss = s->state;

	if (ss == NULL)
		return;
	strs_free(ss->names, ss->n);
	free(ss->types);
	free(ss);
	s->state = NULL;
}

/* The result replaces the table's columns and rows. */
static void
take_over(struct table *t, struct table *r)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		column_free(t->cols[i]);
	free(t->cols);
	*t = *r;
	free(r);
}

static int
sql_fit(struct step *s, const struct table *t, struct err *e)
{
	struct sqlstate *ss;
	struct table *r;
	size_t i;

	sql_free(s);
	r = sql_run(s, t, NULL, e);
	if (r == NULL)
		return -1;
	ss = xcalloc(1, sizeof *ss);
	ss->n = r->ncols;
	ss->names = xcalloc(r->ncols ? r->ncols : 1, sizeof *ss->names);
	ss->types = xcalloc(r->ncols ? r->ncols : 1, sizeof *ss->types);
	for (i = 0; i < r->ncols; i++) {
		ss->names[i] = xstrdup(r->cols[i]->name);
		ss->types[i] = r->cols[i]->type;
	}
	s->state = ss;
	table_free(r);
	{
		char **reads = xcalloc(t->ncols ? t->ncols : 1,
		    sizeof *reads);

		for (i = 0; i < t->ncols; i++)
			reads[i] = t->cols[i]->name;
		step_set_io(s, reads, t->ncols, ss->names, ss->n);
		free(reads);
	}
	return 0;
}

static int
sql_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct sqlstate *ss = s->state;
	struct load_opts o;
	struct table *r;
	size_t i, before = t->nrows;

	load_opts_init(&o);
	load_opts_set_na(&o, "");
	o.allow_empty = 1;
	for (i = 0; i < ss->n; i++) {
		o.types = xreallocarray(o.types, o.ntypes + 1,
		    sizeof *o.types);
		o.types[o.ntypes].column = xstrdup(ss->names[i]);
		o.types[o.ntypes].type = ss->types[i];
		o.ntypes++;
	}
	r = sql_run(s, t, &o, e);
	load_opts_release(&o);
	if (r == NULL)
		return -1;
	if (r->ncols != ss->n) {
		table_free(r);
		return err_set(e, ERR_DATA, "the query returns %zu columns now "
		    "but %zu when fitted", r->ncols, ss->n);
	}
	for (i = 0; i < ss->n; i++)
		if (strcmp(r->cols[i]->name, ss->names[i]) != 0) {
			err_set(e, ERR_DATA, "the query's column %zu is '%s' "
			    "now but was '%s' when fitted", i + 1,
			    r->cols[i]->name, ss->names[i]);
			table_free(r);
			return -1;
		}
	take_over(t, r);
	if (!ctx->training && t->nrows < before)
		ctx->rows_dropped += before - t->nrows;
	return 0;
}

static void
sql_describe(const struct step *s, struct strbuf *sb)
{
	strbuf_addstr(sb, "sql ");
	strbuf_addstr(sb, params_str(&s->params, "query"));
}

static void
sql_save(const struct step *s, struct strbuf *sb)
{
	const struct sqlstate *ss = s->state;
	size_t i;

	state_put_strs(sb, "columns", ss->n, ss->names);
	strbuf_addstr(sb, "types");
	for (i = 0; i < ss->n; i++)
		strbuf_addf(sb, " %s", coltype_name(ss->types[i]));
	strbuf_addch(sb, '\n');
}

static int
sql_load(struct step *s, const struct state *st, struct err *e)
{
	struct sqlstate *ss = xcalloc(1, sizeof *ss);
	char **ty;
	size_t nt, i;

	s->state = ss;
	if (state_get_strs(st, "columns", &ss->names, &ss->n, e) != 0 ||
	    state_get_strs(st, "types", &ty, &nt, e) != 0)
		return -1;
	ss->types = xcalloc(nt ? nt : 1, sizeof *ss->types);
	for (i = 0; i < nt; i++)
		if (coltype_parse(ty[i], &ss->types[i]) != 0) {
			strs_free(ty, nt);
			return err_set(e, ERR_DATA, "%s: unknown type", st->what);
		}
	strs_free(ty, nt);
	if (nt != ss->n)
		return err_set(e, ERR_DATA, "%s: %zu types for %zu columns",
		    st->what, nt, ss->n);
	return 0;
}

const struct step_ops step_sql_ops = {
	.name = "sql",
	.summary = "a SELECT over the table (named data), through SQLite",
	.params = sql_params,
	.fit = sql_fit,
	.apply = sql_apply,
	.describe = sql_describe,
	.save = sql_save,
	.load = sql_load,
	.free = sql_free,
	.whole_table = step_whole_always,
};

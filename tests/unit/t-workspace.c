/*
 * t-workspace.c - unit tests for core/workspace.c.
 *
 * A table with a column of every type, awkward names and awkward values
 * goes into a fresh workspace in a temporary directory and must come back,
 * after a close and a reopen, with the same names, types, values and
 * content hash.  Also: the schema version and WAL mode, replace and
 * remove, listing, name checks, rollback of a failed import, refusal of
 * foreign or newer files, and how the workspace path is chosen.  The
 * temporary directory is removed at the end.
 */
#include <ftw.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/workspace.h"
#include "core/xmalloc.h"
#include "tap.h"

#define NROWS 7

static uint64_t	 rnd(void);
static struct column *text_column(const char *, const char *const *,
		    size_t);
static struct column *cat_column(const char *, const char *const *,
		    size_t);
static struct column *num_column(const char *, enum coltype,
		    const double *, size_t);
static struct table *sample_table(void);
static struct table *random_table(size_t);
static int	 same_num(double, double);
static int	 same_str(const char *, const char *);
static void	 compare_tables(const struct table *, const struct table *,
		    const char *);
static char	*pragma_text(struct workspace *, const char *);
static char	*stored_text(struct workspace *, const char *, const char *,
		    size_t);
static int	 write_file(const char *, const char *);
static char	*read_small(const char *);
static int	 rm_entry(const char *, const struct stat *, int,
		    struct FTW *);
static void	 test_roundtrip(const char *);
static void	 test_random(const char *);
static void	 test_names(const char *);
static void	 test_rollback(const char *);
static void	 test_foreign(const char *);
static void	 test_path(void);

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* A TEXT column from VALS (NULL is missing). */
static struct column *
text_column(const char *name, const char *const *vals, size_t n)
{
	struct column *c = column_new(name, COL_TEXT, n);
	size_t i, len = 0, k;

	for (i = 0; i < n; i++)
		if (vals[i] != NULL)
			len += strlen(vals[i]) + 1;
	c->arena = xmalloc(len);
	for (i = 0; i < n; i++) {
		if (vals[i] == NULL)
			continue;
		k = strlen(vals[i]) + 1;
		memcpy(c->arena + c->arena_len, vals[i], k);
		c->off[i] = c->arena_len;
		c->arena_len += k;
	}
	return c;
}

static struct column *
cat_column(const char *name, const char *const *vals, size_t n)
{
	struct column *c = column_new(name, COL_CAT, n);
	size_t i;

	/* an unused level first: it need not survive, the values must */
	dict_intern(c->dict, "unused", 6);
	for (i = 0; i < n; i++)
		if (vals[i] != NULL)
			c->codes[i] = dict_intern(c->dict, vals[i],
			    strlen(vals[i]));
	return c;
}

static struct column *
num_column(const char *name, enum coltype type, const double *vals,
    size_t n)
{
	struct column *c = column_new(name, type, n);

	memcpy(c->num, vals, n * sizeof *vals);
	return c;
}

static struct table *
sample_table(void)
{
	static const double ints[NROWS] = {
		1, -2, NAN, 9007199254740994.0, 1e300, 0, 4611686018427387904.0
	};
	static const double floats[NROWS] = {
		1.5, NAN, -0.1, 1e-300, 3.141592653589793, INFINITY, -1e308
	};
	static const double bools[NROWS] = { 1, 0, NAN, 1, 0, 1, 0 };
	static const double dates[NROWS] = {
		0, 19000, -1, NAN, -719528, 2932896, 1.5
	};
	static const double times[NROWS] = {
		1700000000.25, 0, -1.5, NAN, 86399.999, 1e-5,
		1700000000.123
	};
	static const double weird[NROWS] = { 1, 2, 3, 4, 5, 6, 7 };
	static const char *const cats[NROWS] = {
		"setosa", NULL, "versicolor", "setosa", "", "virginica",
		"a,b:c%d"
	};
	static const char *const texts[NROWS] = {
		"plain", NULL, "she said \"hi\", then: 'bye',\nnew line, "
		"caf\xc3\xa9 \xe2\x9c\x93", "", "x", "%41", "\t tab"
	};
	struct table *t = table_new();

	t->nrows = NROWS;
	table_add_column(t, num_column("id", COL_INT, ints, NROWS));
	table_add_column(t, num_column("x", COL_FLOAT, floats, NROWS));
	table_add_column(t, num_column("flag", COL_BOOL, bools, NROWS));
	table_add_column(t, cat_column("species", cats, NROWS));
	table_add_column(t, text_column("note", texts, NROWS));
	table_add_column(t, num_column("day", COL_DATE, dates, NROWS));
	table_add_column(t, num_column("when", COL_DATETIME, times, NROWS));
	table_add_column(t, num_column("my col, \"quoted\"", COL_FLOAT,
	    weird, NROWS));
	table_add_column(t, num_column("pct%:50", COL_INT, weird, NROWS));
	table_add_column(t, num_column("Value", COL_INT, weird, NROWS));
	table_add_column(t, num_column("value", COL_INT, weird, NROWS));
	table_add_column(t, num_column("rowid", COL_INT, weird, NROWS));
	table_add_column(t, num_column("", COL_FLOAT, weird, NROWS));
	return t;
}

/* Random bits in a float column, random times with fractions. */
static struct table *
random_table(size_t n)
{
	struct table *t = table_new();
	struct column *f = column_new("f", COL_FLOAT, n);
	struct column *d = column_new("d", COL_DATE, n);
	struct column *s = column_new("s", COL_DATETIME, n);
	struct column *i = column_new("i", COL_INT, n);
	size_t r;
	uint64_t b;
	double v;

	for (r = 0; r < n; r++) {
		do {
			b = rnd();
			memcpy(&v, &b, sizeof v);
		} while (isnan(v));
		f->num[r] = v;
		d->num[r] = (double)((int64_t)(rnd() % 2000000) - 1000000);
		s->num[r] = ((double)(rnd() >> 11) / 9007199254740992.0 -
		    0.5) * 2e10;
		if (r % 3 == 0)
			s->num[r] = floor(s->num[r]);
		if (r % 5 == 0)
			s->num[r] = floor(s->num[r]) +
			    (double)(rnd() % 1000) / 1000;
		i->num[r] = (double)(int64_t)(rnd() >> 10) *
		    (r % 2 ? 1 : -1);
	}
	t->nrows = n;
	table_add_column(t, f);
	table_add_column(t, d);
	table_add_column(t, s);
	table_add_column(t, i);
	return t;
}

static int
same_num(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static int
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
compare_tables(const struct table *a, const struct table *b,
    const char *what)
{
	char ha[65], hb[65];
	size_t i, r, bad;

	is_int((long long)b->nrows, (long long)a->nrows, "rows");
	if (!is_int((long long)b->ncols, (long long)a->ncols, "columns"))
		return;
	for (i = 0; i < a->ncols; i++) {
		const struct column *ca = a->cols[i], *cb = b->cols[i];

		is_str(cb->name, ca->name, "column name");
		if (!is_int(cb->type, ca->type, "column type"))
			continue;
		bad = 0;
		for (r = 0; r < a->nrows && r < b->nrows; r++) {
			int same;

			if (ca->type == COL_CAT || ca->type == COL_TEXT)
				same = same_str(column_str(ca, r),
				    column_str(cb, r));
			else
				same = same_num(ca->num[r], cb->num[r]);
			if (!same && bad++ == 0) {
				struct strbuf sa = STRBUF_INIT;
				struct strbuf sb = STRBUF_INIT;

				column_format(ca, r, &sa);
				column_format(cb, r, &sb);
				printf("# row %zu: got '%s', want '%s'\n", r,
				    strbuf_str(&sb), strbuf_str(&sa));
				strbuf_release(&sa);
				strbuf_release(&sb);
			}
		}
		ok(bad == 0, "%s: values of column %zu ('%s') round-trip",
		    what, i, ca->name);
	}
	table_hash(a, ha);
	table_hash(b, hb);
	is_str(hb, ha, "table_hash of the loaded table");
}

/* The single value of a PRAGMA or SELECT, as text. */
static char *
pragma_text(struct workspace *ws, const char *sql)
{
	sqlite3_stmt *st;
	char *s = NULL;

	if (sqlite3_prepare_v2(workspace_db(ws), sql, -1, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		s = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

/* "typeof:value" of column COL in row ROW (0-based) of dataset NAME. */
static char *
stored_text(struct workspace *ws, const char *name, const char *col,
    size_t row)
{
	char *dt, *sql, *s;
	char q[256];

	snprintf(q, sizeof q, "SELECT data_table FROM datasets "
	    "WHERE name = '%s'", name);
	dt = pragma_text(ws, q);
	if (dt == NULL)
		return NULL;
	sql = xasprintf("SELECT typeof(\"%s\") || ':' || coalesce(\"%s\", '')"
	    " FROM %s ORDER BY rowid LIMIT 1 OFFSET %zu", col, col, dt, row);
	s = pragma_text(ws, sql);
	free(sql);
	free(dt);
	return s;
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static char *
read_small(const char *path)
{
	char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return xstrdup(buf);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
test_roundtrip(const char *dir)
{
	struct workspace *ws;
	struct table *t, *back;
	struct ws_dataset *ds = NULL;
	struct err e;
	char hash[65], *path, *s;
	size_t n;

	/* missing parent directories are created */
	path = xasprintf("%s/a/b/workspace.db", dir);
	t = sample_table();
	table_hash(t, hash);

	err_clear(&e);
	ws = workspace_open(path, &e);
	if (!ok(ws != NULL, "open a new workspace in a new directory")) {
		printf("# %s\n", e.msg);
		goto out;
	}
	is_str(workspace_file(ws), path, "workspace_file");
	ok(workspace_has(ws, "iris") == 0, "a new workspace has no dataset");
	if (!ok(workspace_import(ws, "iris", "data/iris.csv", t, 0, &e) == 0,
	    "import"))
		printf("# %s\n", e.msg);
	ok(workspace_has(ws, "iris") == 1, "workspace_has after import");
	workspace_close(ws);

	ws = workspace_open(path, &e);
	if (!ok(ws != NULL, "reopen")) {
		printf("# %s\n", e.msg);
		goto out;
	}
	s = pragma_text(ws, "PRAGMA user_version");
	is_int(s != NULL ? atoi(s) : -1, WORKSPACE_SCHEMA_VERSION,
	    "user_version is WORKSPACE_SCHEMA_VERSION");
	free(s);
	s = pragma_text(ws, "PRAGMA journal_mode");
	is_str(s, "wal", "journal_mode is wal");
	free(s);
	s = pragma_text(ws, "PRAGMA foreign_keys");
	is_str(s, "1", "foreign_keys is on");
	free(s);
	s = pragma_text(ws, "SELECT count(*) FROM meta WHERE key = 'created'");
	is_str(s, "1", "meta records when the workspace was created");
	free(s);

	back = workspace_load(ws, "iris", &e);
	if (ok(back != NULL, "load"))
		compare_tables(t, back, "sample");
	else
		printf("# %s\n", e.msg);
	table_free(back);

	/* what is stored, and how */
	s = stored_text(ws, "iris", "id", 0);
	is_str(s, "integer:1", "an integer is stored as INTEGER");
	free(s);
	s = stored_text(ws, "iris", "id", 4);
	ok(s != NULL && strncmp(s, "real:", 5) == 0,
	    "an integer beyond int64 is stored as REAL (%s)", s);
	free(s);
	s = stored_text(ws, "iris", "x", 0);
	is_str(s, "real:1.5", "a float is stored as REAL");
	free(s);
	s = stored_text(ws, "iris", "x", 1);
	is_str(s, "null:", "a missing float is NULL");
	free(s);
	s = stored_text(ws, "iris", "flag", 0);
	is_str(s, "integer:1", "a boolean is stored as 0/1");
	free(s);
	s = stored_text(ws, "iris", "day", 1);
	is_str(s, "text:2022-01-08", "a date is stored as ISO text");
	free(s);
	s = stored_text(ws, "iris", "day", 6);
	is_str(s, "text:1.5", "a fractional day is stored as a number");
	free(s);
	s = stored_text(ws, "iris", "when", 0);
	is_str(s, "text:2023-11-14T22:13:20.25Z",
	    "a datetime is stored as ISO text");
	free(s);
	s = stored_text(ws, "iris", "species", 1);
	is_str(s, "null:", "a missing category is NULL");
	free(s);
	s = stored_text(ws, "iris", "value_2", 0);
	is_str(s, "integer:1", "a name equal but for case gets a suffix");
	free(s);
	s = stored_text(ws, "iris", "rowid_2", 0);
	is_str(s, "integer:1", "a column named rowid gets a suffix");
	free(s);

	/* duplicate import */
	err_clear(&e);
	ok(workspace_import(ws, "iris", "again.csv", t, 0, &e) == -1,
	    "a duplicate import without replace fails");
	is_int(e.code, ERR_USAGE, "... with ERR_USAGE");
	is_str(e.msg, "dataset 'iris' already exists in the workspace "
	    "(use --replace)", "... and says so");
	if (!ok(workspace_import(ws, "iris", "again.csv", t, 1, &e) == 0,
	    "a duplicate import with replace succeeds"))
		printf("# %s\n", e.msg);
	s = pragma_text(ws, "SELECT count(*) FROM sqlite_master"
	    " WHERE name LIKE 'ds_%'");
	is_str(s, "1", "replace drops the old data table");
	free(s);

	/* listing */
	if (ok(workspace_datasets(ws, &ds, &n, &e) == 0, "list datasets") &&
	    is_int((long long)n, 1, "one dataset listed")) {
		is_str(ds[0].name, "iris", "listed name");
		is_str(ds[0].source, "again.csv", "listed source");
		is_str(ds[0].hash, hash, "listed hash");
		is_int(ds[0].nrows, NROWS, "listed nrows");
		is_int(ds[0].ncols, (long long)t->ncols, "listed ncols");
		is_str(ds[0].schema, "id:integer,x:float,flag:boolean,"
		    "species:categorical,note:text,day:date,when:datetime,"
		    "my col%2C \"quoted\":float,pct%25%3A50:integer,"
		    "Value:integer,value:integer,rowid:integer,:float",
		    "listed schema, names percent-encoded");
		ok(strlen(ds[0].created) == 20 && ds[0].created[10] == 'T' &&
		    ds[0].created[19] == 'Z', "created is ISO 8601 UTC "
		    "('%s')", ds[0].created);
	}
	ws_datasets_free(ds, n);

	/* a second dataset, listing order, removal */
	ok(workspace_import(ws, "second.v2", "x", t, 0, &e) == 0,
	    "import a second dataset");
	if (ok(workspace_datasets(ws, &ds, &n, &e) == 0, "list again") &&
	    is_int((long long)n, 2, "two datasets listed")) {
		is_str(ds[0].name, "iris", "oldest first");
		is_str(ds[1].name, "second.v2", "newest last");
		ok(ds[0].id < ds[1].id, "ids increase");
	}
	ws_datasets_free(ds, n);
	if (!ok(workspace_remove(ws, "second.v2", &e) == 0, "remove"))
		printf("# %s\n", e.msg);
	ok(workspace_has(ws, "second.v2") == 0, "removed dataset is gone");
	ok(workspace_has(ws, "iris") == 1, "the other one is not");
	s = pragma_text(ws, "SELECT count(*) FROM sqlite_master"
	    " WHERE name LIKE 'ds_%'");
	is_str(s, "1", "remove drops the data table");
	free(s);
	err_clear(&e);
	ok(workspace_remove(ws, "second.v2", &e) == -1,
	    "removing it again fails");
	is_int(e.code, ERR_USAGE, "... with ERR_USAGE");
	err_clear(&e);
	ok(workspace_load(ws, "nope", &e) == NULL, "load of an unknown name");
	is_int(e.code, ERR_USAGE, "... fails with ERR_USAGE");
	s = xasprintf("no dataset 'nope' in workspace '%s'", path);
	is_str(e.msg, s, "... and says so");
	free(s);

	/* the empty table round-trips too */
	{
		struct table *empty = table_new();
		struct table *eb;

		table_add_column(empty, column_new("a", COL_TEXT, 0));
		table_add_column(empty, column_new("b", COL_DATE, 0));
		ok(workspace_import(ws, "empty", "e", empty, 0, &e) == 0,
		    "import a table with no rows");
		eb = workspace_load(ws, "empty", &e);
		if (ok(eb != NULL, "load it"))
			compare_tables(empty, eb, "empty");
		table_free(eb);
		table_free(empty);
	}
	workspace_close(ws);
out:
	table_free(t);
	free(path);
}

static void
test_random(const char *dir)
{
	struct workspace *ws;
	struct table *t, *back;
	struct err e;
	char *path = xasprintf("%s/random.db", dir);

	t = random_table(5000);
	ws = workspace_open(path, &e);
	if (!ok(ws != NULL, "open for random values")) {
		printf("# %s\n", e.msg);
		goto out;
	}
	if (!ok(workspace_import(ws, "random", "rnd", t, 0, &e) == 0,
	    "import random values"))
		printf("# %s\n", e.msg);
	back = workspace_load(ws, "random", &e);
	if (ok(back != NULL, "load random values"))
		compare_tables(t, back, "random");
	table_free(back);
	workspace_close(ws);
out:
	table_free(t);
	free(path);
}

static void
test_names(const char *dir)
{
	static const char *const bad[] = {
		"", ".hidden", "-x", "a b", "a/b", "caf\xc3\xa9", "a;b",
	};
	struct workspace *ws;
	struct table *t;
	struct err e;
	char *path = xasprintf("%s/names.db", dir);
	char longname[130];
	size_t i;

	t = sample_table();
	ws = workspace_open(path, &e);
	if (!ok(ws != NULL, "open for name checks"))
		goto out;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err_clear(&e);
		ok(workspace_import(ws, bad[i], "s", t, 0, &e) == -1 &&
		    e.code == ERR_USAGE, "name '%s' is refused (%s)", bad[i],
		    e.msg);
	}
	memset(longname, 'a', 129);
	longname[129] = '\0';
	err_clear(&e);
	ok(workspace_import(ws, longname, "s", t, 0, &e) == -1 &&
	    e.code == ERR_USAGE, "a 129-byte name is refused");
	longname[128] = '\0';
	ok(workspace_import(ws, longname, "s", t, 0, &e) == 0,
	    "a 128-byte name is accepted");
	ok(workspace_import(ws, "A-z_0.9", "s", t, 0, &e) == 0,
	    "letters, digits, '_', '.' and '-' are accepted");
	workspace_close(ws);
out:
	table_free(t);
	free(path);
}

/* A failing import (too many columns for SQLite) leaves nothing behind. */
static void
test_rollback(const char *dir)
{
	struct workspace *ws;
	struct table *t = table_new();
	struct err e;
	char *path = xasprintf("%s/rollback.db", dir), *s, name[32];
	size_t i;

	t->nrows = 1;
	for (i = 0; i < 2100; i++) {
		snprintf(name, sizeof name, "c%zu", i);
		table_add_column(t, column_new(name, COL_FLOAT, 1));
	}
	ws = workspace_open(path, &e);
	if (!ok(ws != NULL, "open for rollback"))
		goto out;
	err_clear(&e);
	ok(workspace_import(ws, "wide", "w", t, 0, &e) == -1,
	    "an import SQLite refuses fails");
	is_int(e.code, ERR_IO, "... with ERR_IO");
	ok(strstr(e.msg, "cannot import 'wide' into workspace") != NULL,
	    "... and says what failed (%s)", e.msg);
	ok(workspace_has(ws, "wide") == 0, "... leaving no dataset row");
	s = pragma_text(ws, "SELECT count(*) FROM sqlite_master"
	    " WHERE name LIKE 'ds_%'");
	is_str(s, "0", "... and no data table");
	free(s);
	ok(sqlite3_get_autocommit(workspace_db(ws)) != 0,
	    "... and no open transaction");
	workspace_close(ws);
out:
	table_free(t);
	free(path);
}

static void
test_foreign(const char *dir)
{
	struct workspace *ws;
	struct err e;
	sqlite3 *db;
	char *path, *want, *s;

	/* not a database at all */
	path = xasprintf("%s/hello.db", dir);
	write_file(path, "hello");
	err_clear(&e);
	ws = workspace_open(path, &e);
	ok(ws == NULL, "a file that is not a database is refused");
	workspace_close(ws);
	is_int(e.code, ERR_IO, "... with ERR_IO");
	want = xasprintf("'%s' is not a lathe workspace: file is not a "
	    "database", path);
	is_str(e.msg, want, "... and says so");
	s = read_small(path);
	is_str(s, "hello", "... and is left as it was");
	free(s);
	free(want);
	free(path);

	/* a newer schema */
	path = xasprintf("%s/future.db", dir);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	err_clear(&e);
	ws = workspace_open(path, &e);
	ok(ws == NULL, "a newer schema version is refused");
	workspace_close(ws);
	is_int(e.code, ERR_IO, "... with ERR_IO");
	want = xasprintf("workspace '%s' has schema version 99, newer than "
	    "this lathe (%d)", path, WORKSPACE_SCHEMA_VERSION);
	is_str(e.msg, want, "... and says so");
	free(want);
	free(path);

	/* another program's database */
	path = xasprintf("%s/other.db", dir);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "CREATE TABLE datasets (x)", NULL, NULL, NULL);
	sqlite3_close(db);
	err_clear(&e);
	ws = workspace_open(path, &e);
	ok(ws == NULL, "another program's database is refused (%s)", e.msg);
	workspace_close(ws);
	free(path);

	/* a directory where the file should be */
	path = xasprintf("%s/a", dir);
	err_clear(&e);
	ws = workspace_open(path, &e);
	ok(ws == NULL && e.code == ERR_IO, "a directory is refused (%s)",
	    e.msg);
	workspace_close(ws);
	free(path);

	/* a file where a parent directory should be */
	path = xasprintf("%s/hello.db/sub/w.db", dir);
	err_clear(&e);
	ws = workspace_open(path, &e);
	ok(ws == NULL && e.code == ERR_IO && strncmp(e.msg,
	    "cannot create directory", 23) == 0,
	    "a parent that is a file is refused (%s)", e.msg);
	workspace_close(ws);
	free(path);
}

static void
test_path(void)
{
	char *s;

	setenv("LATHE_WORKSPACE", "/x/y.db", 1);
	setenv("XDG_DATA_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	s = workspace_path(NULL);
	is_str(s, "/x/y.db", "LATHE_WORKSPACE sets the path");
	free(s);
	s = workspace_path("/explicit.db");
	is_str(s, "/explicit.db", "an explicit path wins");
	free(s);
	setenv("LATHE_WORKSPACE", "", 1);
	s = workspace_path(NULL);
	is_str(s, "/xdg/lathe/workspace.db",
	    "an empty LATHE_WORKSPACE is ignored for XDG_DATA_HOME");
	free(s);
	unsetenv("LATHE_WORKSPACE");
	unsetenv("XDG_DATA_HOME");
	s = workspace_path(NULL);
	is_str(s, "/home/u/.local/share/lathe/workspace.db",
	    "else under HOME");
	free(s);
}

int
main(void)
{
	char dir[] = "/tmp/t-workspace.XXXXXX";

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return tap_done();
	}
	test_roundtrip(dir);
	test_random(dir);
	test_names(dir);
	test_rollback(dir);
	test_foreign(dir);
	test_path();
	ok(nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) == 0,
	    "remove the temporary directory");
	return tap_done();
}

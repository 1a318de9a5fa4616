/*
 * sqlload.c - loading a table or a query's result from an existing SQLite
 * database file.
 *
 * Two passes over the statement: the first learns what each column holds
 * (SQLite's storage classes, and for TEXT values the same field
 * classification as CSV), the second fills the columns.  The database is
 * opened read-only, and a query must be read-only too.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/infer.h"
#include "core/load.h"
#include "core/strbuf.h"
#include "core/xmalloc.h"

int
sqlload_is_sqlite(const char *path)
{
	char magic[16];
	FILE *f = fopen(path, "rb");
	int yes;

	if (f == NULL)
		return 0;
	yes = fread(magic, 1, 16, f) == 16 &&
	    memcmp(magic, "SQLite format 3", 16) == 0;
	fclose(f);
	return yes;
}

static void
list_tables(sqlite3 *db, struct strbuf *sb)
{
	sqlite3_stmt *st;
	int n = 0;

	if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE "
	    "type IN ('table','view') AND name NOT LIKE 'sqlite_%' ORDER BY "
	    "name", -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		strbuf_addstr(sb, n++ ? ", " : "");
		strbuf_addstr(sb, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (n == 0)
		strbuf_addstr(sb, "none");
}

static int
count_tables(sqlite3 *db, char **only)
{
	sqlite3_stmt *st;
	int n = 0;

	*only = NULL;
	if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE "
	    "type IN ('table','view') AND name NOT LIKE 'sqlite_%'", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n++ == 0)
			*only = xstrdup((const char *)sqlite3_column_text(st,
			    0));
	}
	sqlite3_finalize(st);
	if (n != 1) {
		free(*only);
		*only = NULL;
	}
	return n;
}

static char *
quote_ident(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addch(&sb, '"');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(&sb, '"');
		strbuf_addch(&sb, *s);
	}
	strbuf_addch(&sb, '"');
	return strbuf_detach(&sb);
}

/*
 * Two passes over a prepared statement: learn each column's kinds, then
 * fill the columns.  WHAT names the source in messages; PATH (may be
 * NULL) the database file.  The caller finalizes st.
 */
struct table *
sqlload_stmt(sqlite3_stmt *st, const char *what, const char *path,
    const struct load_opts *o, struct err *e)
{
	sqlite3 *db = sqlite3_db_handle(st);
	struct table *t = NULL;
	unsigned *seen = NULL;
	int *forced = NULL;
	size_t ncols = 0, nrows = 0, c, r, i;
	double **num = NULL;
	int32_t **codes = NULL;
	struct dict **dicts = NULL;
	int rc;

	if (path == NULL)
		path = what;
	ncols = (size_t)sqlite3_column_count(st);
	if (ncols == 0) {
		err_set(e, ERR_DATA, "%s: the statement returns no columns",
		    what);
		goto out;
	}
	for (c = 0; c < ncols; c++) {
		const char *nm = sqlite3_column_name(st, (int)c);

		for (i = 0; i < c; i++)
			if (strcmp(nm, sqlite3_column_name(st, (int)i)) == 0) {
				err_set(e, ERR_DATA, "%s: duplicate column name "
				    "'%s' (columns %zu and %zu)", what, nm,
				    i + 1, c + 1);
				goto out;
			}
	}
	forced = xmalloc(ncols * sizeof *forced);
	for (c = 0; c < ncols; c++)
		forced[c] = -1;
	for (i = 0; i < o->ntypes; i++) {
		for (c = 0; c < ncols; c++)
			if (strcmp(o->types[i].column,
			    sqlite3_column_name(st, (int)c)) == 0)
				break;
		if (c == ncols && o->types_optional)
			continue;
		if (c == ncols) {
			err_set(e, ERR_USAGE, "--type: no column '%s' in '%s'",
			    o->types[i].column, what);
			goto out;
		}
		forced[c] = (int)o->types[i].type;
	}

	/* Pass 1: what each column holds. */
	seen = xcalloc(ncols, sizeof *seen);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (c = 0; c < ncols; c++) {
			int ty = sqlite3_column_type(st, (int)c);
			const char *s;
			double v;
			size_t n;

			switch (ty) {
			case SQLITE_NULL:
				break;
			case SQLITE_INTEGER:
			case SQLITE_FLOAT:
				/* --na applies to numbers too ("-999") */
				s = (const char *)sqlite3_column_text(st,
				    (int)c);
				if (load_is_na(o, s, strlen(s)))
					break;
				seen[c] |= ty == SQLITE_INTEGER ? FK_INT :
				    FK_FLOAT;
				break;
			case SQLITE_BLOB:
				err_set(e, ERR_DATA, "%s: row %zu, column '%s' "
				    "holds a BLOB, which lathe cannot load",
				    what, nrows + 1,
				    sqlite3_column_name(st, (int)c));
				goto out;
			default:
				s = (const char *)sqlite3_column_text(st,
				    (int)c);
				n = (size_t)sqlite3_column_bytes(st, (int)c);
				if (load_is_na(o, s, n))
					break;
				if (infer_utf8_bad((const unsigned char *)s, n)
				    >= 0) {
					err_set(e, ERR_DATA, "%s: row %zu, "
					    "column '%s': invalid UTF-8", what,
					    nrows + 1,
					    sqlite3_column_name(st, (int)c));
					goto out;
				}
				seen[c] |= infer_classify(s, n, &v);
				break;
			}
		}
		nrows++;
	}
	if (rc != SQLITE_DONE) {
		if (rc == SQLITE_NOTADB)
			err_set(e, ERR_DATA, "cannot read '%s': file is not a "
			    "SQLite database", path);
		else
			err_set(e, ERR_DATA, "%s: %s", what,
			    sqlite3_errmsg(db));
		goto out;
	}
	if (nrows == 0 && !o->allow_empty) {
		err_set(e, ERR_DATA, "%s: no data rows", what);
		goto out;
	}

	/* Pass 2: fill. */
	sqlite3_reset(st);
	num = xcalloc(ncols, sizeof *num);
	codes = xcalloc(ncols, sizeof *codes);
	dicts = xcalloc(ncols, sizeof *dicts);
	for (c = 0; c < ncols; c++) {
		int str = forced[c] >= 0 ?
		    !coltype_is_numeric_storage((enum coltype)forced[c]) :
		    !infer_kinds_numeric(seen[c]);

		if (str) {
			codes[c] = xmalloc(nrows * sizeof **codes);
			dicts[c] = dict_new();
		} else
			num[c] = xmalloc(nrows * sizeof **num);
	}
	for (r = 0; r < nrows && sqlite3_step(st) == SQLITE_ROW; r++) {
		for (c = 0; c < ncols; c++) {
			int ty = sqlite3_column_type(st, (int)c);
			const char *s = NULL;
			size_t n = 0;
			double v = NAN;

			if (ty != SQLITE_NULL) {
				s = (const char *)sqlite3_column_text(st,
				    (int)c);
				n = (size_t)sqlite3_column_bytes(st, (int)c);
				if (load_is_na(o, s, n))
					s = NULL;
			}
			if (codes[c]) {
				codes[c][r] = s ? dict_intern(dicts[c], s, n) :
				    -1;
				continue;
			}
			if (s != NULL && (ty == SQLITE_INTEGER ||
			    ty == SQLITE_FLOAT)) {
				int fc = forced[c];

				v = sqlite3_column_double(st, (int)c);
				/* A stored number is no date, nor (unless 0
				 * or 1) a boolean. */
				if (fc == COL_DATE || fc == COL_DATETIME ||
				    (fc == COL_BOOL && v != 0 && v != 1) ||
				    (fc == COL_INT && v != floor(v))) {
					err_set(e, ERR_DATA, "%s: row %zu, "
					    "column '%s' is %s, not a %s value "
					    "as --type requires", what, r + 1,
					    sqlite3_column_name(st, (int)c), s,
					    coltype_name((enum coltype)fc));
					goto out;
				}
			}
			else if (s != NULL) {
				enum fkind k = infer_classify(s, n, &v);
				enum coltype want = forced[c] >= 0 ?
				    (enum coltype)forced[c] :
				    infer_numeric_type(seen[c]);
				int fits;

				switch (want) {
				case COL_BOOL:
					fits = k == FK_BOOL;
					break;
				case COL_DATE:
					fits = k == FK_DATE;
					break;
				case COL_DATETIME:
					fits = k == FK_DATE || k == FK_DATETIME;
					if (k == FK_DATE)
						v *= 86400.0;
					break;
				case COL_INT:
					fits = k == FK_INT;
					break;
				default:
					fits = k == FK_INT || k == FK_FLOAT;
					break;
				}
				if (!fits) {
					err_set(e, ERR_DATA, "%s: row %zu, "
					    "column '%s' is '%.*s', not a %s "
					    "value", what, r + 1,
					    sqlite3_column_name(st, (int)c),
					    (int)(n > 40 ? 40 : n), s,
					    coltype_name(want));
					goto out;
				}
			}
			num[c][r] = v;
		}
	}
	t = table_new();
	t->nrows = nrows;
	for (c = 0; c < ncols; c++) {
		const char *nm = sqlite3_column_name(st, (int)c);
		struct column *col;

		if (codes[c]) {
			col = infer_string_column(nm, codes[c], dicts[c], nrows,
			    forced[c]);
			codes[c] = NULL;
			dicts[c] = NULL;
		} else {
			col = xcalloc(1, sizeof *col);
			col->name = xstrdup(nm);
			col->type = forced[c] >= 0 ? (enum coltype)forced[c] :
			    infer_numeric_type(seen[c]);
			col->num = num[c];
			num[c] = NULL;
		}
		table_add_column(t, col);
	}
out:
	if (num)
		for (c = 0; c < ncols; c++) {
			free(num[c]);
			free(codes[c]);
			dict_free(dicts[c]);
		}
	free(num);
	free(codes);
	free(dicts);
	free(seen);
	free(forced);
	return t;
}

struct table *
sqlload_file(const char *path, const struct load_opts *o, struct err *e)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct table *t = NULL;
	struct strbuf sb = STRBUF_INIT;
	char *sql = NULL, *tname = NULL, *what = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		err_set(e, ERR_IO, "cannot open '%s': %s", path,
		    db ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(db, 5000);
	if (o->query != NULL) {
		sql = xstrdup(o->query);
		what = xasprintf("%s: query", path);
	} else {
		if (o->table != NULL)
			tname = xstrdup(o->table);
		else {
			int n = count_tables(db, &tname);

			if (n < 0) {
				if (sqlite3_errcode(db) == SQLITE_NOTADB)
					err_set(e, ERR_DATA, "cannot read '%s': "
					    "file is not a SQLite database",
					    path);
				else
					err_set(e, ERR_IO, "cannot read '%s': "
					    "%s", path, sqlite3_errmsg(db));
				goto out;
			}
			if (n != 1) {
				list_tables(db, &sb);
				err_set(e, ERR_USAGE, "'%s' holds %d tables; "
				    "name one as '%s:TABLE' or with --table "
				    "(tables: %s)", path, n, path,
				    strbuf_str(&sb));
				goto out;
			}
		}
		{
			char *q = quote_ident(tname);

			sql = xasprintf("SELECT * FROM %s", q);
			free(q);
		}
		what = xasprintf("%s:%s", path, tname);
	}
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		const char *msg = sqlite3_errmsg(db);

		if (sqlite3_errcode(db) == SQLITE_NOTADB) {
			err_set(e, ERR_DATA, "cannot read '%s': file is not a "
			    "SQLite database", path);
		} else if (tname != NULL && strncmp(msg, "no such table", 13)
		    == 0) {
			list_tables(db, &sb);
			err_set(e, ERR_USAGE, "no table '%s' in '%s' (tables: "
			    "%s)", tname, path, strbuf_str(&sb));
		} else
			err_set(e, ERR_DATA, "%s: %s", what, msg);
		goto out;
	}
	if (!sqlite3_stmt_readonly(st)) {
		err_set(e, ERR_USAGE, "%s: only a read-only SELECT can be "
		    "loaded", what);
		goto out;
	}
	t = sqlload_stmt(st, what, path, o, e);
out:
	free(sql);
	free(tname);
	free(what);
	strbuf_release(&sb);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return t;
}

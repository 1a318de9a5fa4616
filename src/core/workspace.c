/*
 * workspace.c - the SQLite workspace file: finding, opening and migrating
 * it, and recording, listing, loading and removing datasets.  Owns the
 * workspace schema (PRAGMA user_version and the migration list below) and
 * the stored form of a dataset; reading CSV files or foreign SQLite tables
 * is the loaders' business.
 *
 * A dataset is one row of datasets plus a data table "ds_<id>" holding one
 * column per table column, in table order, missing values as NULL:
 *
 *   integer       INTEGER: integral values within +-2^53 as 64-bit
 *                 integers, anything else (2^60, an infinity) as REAL
 *   boolean       INTEGER 0 or 1
 *   float         REAL
 *   date          TEXT "YYYY-MM-DD", as fmt_date() writes it
 *   datetime      TEXT "YYYY-MM-DDTHH:MM:SS[.frac]Z", as fmt_datetime()
 *                 writes it
 *   categorical,  TEXT
 *   text
 *
 * A date or datetime the ISO text would not give back bit for bit (a
 * fractional day, an infinity, a year beyond reason) is stored instead as
 * the shortest decimal that round-trips (fmt_double()); load tells the two
 * apart because a number never has a '-' after its first digit.
 *
 * The data table's column names are the table's, quoted.  SQLite folds
 * ASCII case in names and reserves rowid, oid and _rowid_, so a name equal
 * to one of those or to an earlier column's but for case is stored with a
 * "_N" suffix; load never reads them.  What load trusts is the schema
 * string "name:type,name:type" (types as coltype_name() spells them), in
 * which '%', ',' and ':' in a column name are written %25, %2C and %3A so
 * that every name round-trips.  A categorical column comes back with its
 * codes in order of first appearance; dictionary entries no row used are
 * not kept.
 *
 * Every write is one transaction.  Migration i brings user_version i to
 * i + 1 in its own BEGIN IMMEDIATE transaction, which also sets
 * user_version, so a crash leaves one whole version or the next.
 */
#include <errno.h>
#include <math.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/strbuf.h"
#include "core/workspace.h"
#include "core/xmalloc.h"

#define DATASET_NAME_MAX	128
#define TIME_TEXT_MAX		64

struct workspace {
	sqlite3	*db;
	char	*path;
};

/*
 * migrations[i] brings a workspace from user_version i to i + 1.  Append
 * only: a released migration is never edited.
 */
static const char *const migrations[] = {
	/* 0 -> 1: metadata and datasets */
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT);"
	"INSERT INTO meta (key, value)"
	"  VALUES ('created', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));"
	"CREATE TABLE datasets ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT UNIQUE NOT NULL,"
	"  source TEXT NOT NULL,"
	"  hash TEXT NOT NULL,"
	"  schema TEXT NOT NULL,"
	"  nrows INTEGER NOT NULL,"
	"  ncols INTEGER NOT NULL,"
	"  created TEXT NOT NULL,"
	"  data_table TEXT NOT NULL);",
	/* 1 -> 2: experiment runs, the workbench's drafts and history */
	"CREATE TABLE runs ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  created TEXT NOT NULL,"
	"  spec_path TEXT,"
	"  spec TEXT NOT NULL,"
	"  data TEXT,"
	"  data_hash TEXT NOT NULL,"
	"  model TEXT,"
	"  params TEXT,"
	"  evaluation TEXT,"
	"  seed INTEGER,"
	"  seconds REAL,"
	"  version TEXT NOT NULL,"
	"  fitted_path TEXT,"
	"  report TEXT);"
	"CREATE TABLE run_metrics ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  metric TEXT NOT NULL,"
	"  fold INTEGER NOT NULL,"	/* -1: the mean over folds */
	"  value REAL,"
	"  std REAL,"
	"  PRIMARY KEY (run_id, metric, fold));"
	"CREATE TABLE drafts ("
	"  name TEXT PRIMARY KEY,"
	"  data TEXT,"
	"  spec TEXT NOT NULL,"
	"  updated TEXT NOT NULL);"
	"CREATE TABLE history ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  line TEXT NOT NULL,"
	"  created TEXT NOT NULL);",
};

_Static_assert(sizeof migrations / sizeof migrations[0] ==
    WORKSPACE_SCHEMA_VERSION, "one migration per schema version");

static int	 ws_sqlerr(struct workspace *, struct err *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	 ws_exec(struct workspace *, const char *);
static void	 ws_rollback(struct workspace *);
static int	 ws_prepare(struct workspace *, const char *,
		    sqlite3_stmt **);
static int	 mkdir_parents(const char *, struct err *);
static int	 read_version(struct workspace *, int64_t *, int64_t *,
		    struct err *);
static int	 check_version(struct workspace *, int64_t, int64_t,
		    struct err *);
static int	 migrate(struct workspace *, struct err *);
static int	 check_name(const char *, struct err *);
static void	 quote_ident(struct strbuf *, const char *);
static char	*schema_encode(const struct table *);
static int	 hexval(int);
static struct table *schema_decode(const char *, size_t);
static int	 find_dataset(struct workspace *, const char *, int64_t *,
		    char **, struct err *);
static int	 drop_dataset(struct workspace *, int64_t, const char *,
		    const char *, struct err *);
static void	 column_defs(struct strbuf *, const struct table *);
static int	 insert_rows(struct workspace *, const char *,
		    const struct table *, const char *, struct err *);
static int	 bind_cell(sqlite3_stmt *, int, const struct column *, size_t,
		    char *);
static int	 time_text(enum coltype, double, char *, size_t);
static int64_t	 days_from_civil(int64_t, unsigned, unsigned);
static const char *parse_digits(const char *, int, int, int64_t *);
static const char *parse_ymd(const char *, int64_t *);
static int	 parse_time(enum coltype, const char *, double *);
static int	 parse_number(const char *, double *);
static int	 load_rows(struct workspace *, const char *, const char *,
		    struct table *, struct err *);
static int	 load_cell(struct column *, size_t, sqlite3_stmt *, int,
		    size_t *);
static char	*column_dup(sqlite3_stmt *, int);

/* ------------------------------------------------------- helpers --- */

/* Fill e with "PREFIX: <SQLite's message>", or say the file is foreign. */
static int
ws_sqlerr(struct workspace *ws, struct err *e, const char *fmt, ...)
{
	char pre[ERR_MSG_MAX];
	va_list ap;

	if (sqlite3_errcode(ws->db) == SQLITE_NOTADB)
		return err_set(e, ERR_IO, "'%s' is not a lathe workspace: "
		    "file is not a database", ws->path);
	va_start(ap, fmt);
	vsnprintf(pre, sizeof pre, fmt, ap);
	va_end(ap);
	return err_set(e, ERR_IO, "%s: %s", pre, sqlite3_errmsg(ws->db));
}

static int
ws_exec(struct workspace *ws, const char *sql)
{
	return sqlite3_exec(ws->db, sql, NULL, NULL, NULL) == SQLITE_OK ?
	    0 : -1;
}

/* Called after e is filled: a rollback would reset SQLite's message. */
static void
ws_rollback(struct workspace *ws)
{
	if (!sqlite3_get_autocommit(ws->db))
		(void)sqlite3_exec(ws->db, "ROLLBACK", NULL, NULL, NULL);
}

static int
ws_prepare(struct workspace *ws, const char *sql, sqlite3_stmt **st)
{
	*st = NULL;
	return sqlite3_prepare_v2(ws->db, sql, -1, st, NULL) == SQLITE_OK ?
	    0 : -1;
}

/* mkdir -p of the directory PATH is in (mode 0755). */
static int
mkdir_parents(const char *path, struct err *e)
{
	char *dir = xstrdup(path), *p;
	struct stat st;
	int rc = -1;

	p = strrchr(dir, '/');
	if (p == NULL || p == dir) {
		rc = 0;
		goto out;
	}
	*p = '\0';
	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = 0;
		goto out;
	}
	for (p = dir + 1;; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
			int saved = errno;

			/* e.g. EACCES or EROFS on a directory that exists */
			if (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode)) {
				err_set(e, ERR_IO, "cannot create directory "
				    "'%s': %s", dir, strerror(saved));
				goto out;
			}
		}
		*p = c;
		if (c == '\0')
			break;
	}
	if (stat(dir, &st) == -1) {
		err_set(e, ERR_IO, "cannot create directory '%s': %s", dir,
		    strerror(errno));
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		err_set(e, ERR_IO, "cannot create directory '%s': %s", dir,
		    strerror(ENOTDIR));
		goto out;
	}
	rc = 0;
out:
	free(dir);
	return rc;
}

/*
 * The schema version and the number of schema objects, read in one
 * statement so both come from the same snapshot.  This is also the first
 * read of the file, so it is where a foreign file shows.
 */
static int
read_version(struct workspace *ws, int64_t *version, int64_t *nobjects,
    struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (ws_prepare(ws, "SELECT (SELECT user_version FROM"
	    " pragma_user_version), (SELECT count(*) FROM sqlite_master)",
	    &st) == -1)
		return ws_sqlerr(ws, e, "cannot open workspace '%s'",
		    ws->path);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		ws_sqlerr(ws, e, "cannot open workspace '%s'", ws->path);
		sqlite3_finalize(st);
		return -1;
	}
	*version = sqlite3_column_int64(st, 0);
	*nobjects = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return 0;
}

static int
check_version(struct workspace *ws, int64_t version, int64_t nobjects,
    struct err *e)
{
	if (version > WORKSPACE_SCHEMA_VERSION)
		return err_set(e, ERR_IO, "workspace '%s' has schema version "
		    "%lld, newer than this lathe (%d)", ws->path,
		    (long long)version, WORKSPACE_SCHEMA_VERSION);
	if (version < 0 || (version == 0 && nobjects > 0))
		return err_set(e, ERR_IO, "'%s' is not a lathe workspace: "
		    "it holds another program's tables", ws->path);
	return 0;
}

/*
 * Apply the migrations the file lacks.  The version is read again inside
 * each write transaction: another lathe may have migrated it meanwhile.
 */
static int
migrate(struct workspace *ws, struct err *e)
{
	int64_t version, nobjects;
	char *sql;

	for (;;) {
		if (ws_exec(ws, "BEGIN IMMEDIATE") == -1)
			return ws_sqlerr(ws, e, "cannot migrate workspace "
			    "'%s'", ws->path);
		if (read_version(ws, &version, &nobjects, e) == -1 ||
		    check_version(ws, version, nobjects, e) == -1)
			goto fail;
		if (version == WORKSPACE_SCHEMA_VERSION)
			break;
		if (ws_exec(ws, migrations[version]) == -1) {
			ws_sqlerr(ws, e, "cannot migrate workspace '%s' to "
			    "schema version %lld", ws->path,
			    (long long)version + 1);
			goto fail;
		}
		sql = sqlite3_mprintf("PRAGMA user_version = %lld",
		    (long long)version + 1);
		if (sql == NULL || ws_exec(ws, sql) == -1 ||
		    ws_exec(ws, "COMMIT") == -1) {
			sqlite3_free(sql);
			ws_sqlerr(ws, e, "cannot migrate workspace '%s' to "
			    "schema version %lld", ws->path,
			    (long long)version + 1);
			goto fail;
		}
		sqlite3_free(sql);
	}
	if (ws_exec(ws, "COMMIT") == -1) {
		ws_sqlerr(ws, e, "cannot migrate workspace '%s'", ws->path);
		goto fail;
	}
	return 0;
fail:
	ws_rollback(ws);
	return -1;
}

static int
check_name(const char *name, struct err *e)
{
	size_t n = strlen(name), i;

	if (n == 0)
		return err_set(e, ERR_USAGE, "invalid dataset name '': "
		    "it is empty");
	if (n > DATASET_NAME_MAX)
		return err_set(e, ERR_USAGE, "invalid dataset name '%.32s...': "
		    "longer than %d bytes", name, DATASET_NAME_MAX);
	if (name[0] == '-' || name[0] == '.')
		return err_set(e, ERR_USAGE, "invalid dataset name '%s': "
		    "it must not start with '%c'", name, name[0]);
	for (i = 0; i < n; i++) {
		char c = name[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		    c == '-')
			continue;
		return err_set(e, ERR_USAGE, "invalid dataset name '%s': "
		    "only letters, digits, '_', '.' and '-' are allowed",
		    name);
	}
	return 0;
}

/* An SQL identifier: in double quotes, a '"' doubled. */
static void
quote_ident(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '"');
}

static char *
schema_encode(const struct table *t)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s;
	size_t i;

	for (i = 0; i < t->ncols; i++) {
		if (i > 0)
			strbuf_addch(&sb, ',');
		for (s = t->cols[i]->name; *s != '\0'; s++) {
			if (*s == '%' || *s == ',' || *s == ':')
				strbuf_addf(&sb, "%%%02X", (unsigned char)*s);
			else
				strbuf_addch(&sb, *s);
		}
		strbuf_addch(&sb, ':');
		strbuf_addstr(&sb, coltype_name(t->cols[i]->type));
	}
	return strbuf_detach(&sb);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The columns SCHEMA describes, NROWS rows each, all missing; or NULL. */
static struct table *
schema_decode(const char *schema, size_t nrows)
{
	struct table *t = table_new();
	struct strbuf name = STRBUF_INIT;
	const char *p = schema, *q;
	enum coltype type;
	char *tn;
	int hi, lo, bad;

	while (*p != '\0') {
		strbuf_reset(&name);
		for (; *p != ':'; p++) {
			if (*p == '\0' || *p == ',')
				goto fail;
			if (*p != '%') {
				strbuf_addch(&name, *p);
				continue;
			}
			if ((hi = hexval(p[1])) < 0 || (lo = hexval(p[2])) < 0 ||
			    hi * 16 + lo == 0)
				goto fail;
			strbuf_addch(&name, hi * 16 + lo);
			p += 2;
		}
		q = ++p;
		while (*p != '\0' && *p != ',')
			p++;
		tn = xstrndup(q, (size_t)(p - q));
		bad = coltype_parse(tn, &type) == -1;
		free(tn);
		if (bad)
			goto fail;
		table_add_column(t, column_new(strbuf_str(&name), type,
		    nrows));
		if (*p == ',' && *++p == '\0')
			goto fail;
	}
	t->nrows = nrows;
	strbuf_release(&name);
	return t;
fail:
	strbuf_release(&name);
	table_free(t);
	return NULL;
}

/* 1 and the id and data table of dataset NAME, 0 if none, -1 on error. */
static int
find_dataset(struct workspace *ws, const char *name, int64_t *id,
    char **data_table, struct err *e)
{
	sqlite3_stmt *st;
	const unsigned char *s;
	int rc;

	if (ws_prepare(ws, "SELECT id, data_table FROM datasets"
	    " WHERE name = ?", &st) == -1)
		return ws_sqlerr(ws, e, "cannot read workspace '%s'",
		    ws->path);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		s = sqlite3_column_text(st, 1);
		*data_table = xstrdup(s != NULL ? (const char *)s : "");
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else
		rc = ws_sqlerr(ws, e, "cannot read workspace '%s'",
		    ws->path);
	sqlite3_finalize(st);
	return rc;
}

/* Delete dataset ID's row and drop its data table (in the caller's tx). */
static int
drop_dataset(struct workspace *ws, int64_t id, const char *data_table,
    const char *name, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc;

	if (ws_prepare(ws, "DELETE FROM datasets WHERE id = ?", &st) == -1)
		return ws_sqlerr(ws, e, "cannot remove dataset '%s' from "
		    "workspace '%s'", name, ws->path);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		ws_sqlerr(ws, e, "cannot remove dataset '%s' from workspace "
		    "'%s'", name, ws->path);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	strbuf_addstr(&sql, "DROP TABLE IF EXISTS ");
	quote_ident(&sql, data_table);
	rc = ws_exec(ws, sql.buf);
	strbuf_release(&sql);
	if (rc == -1)
		return ws_sqlerr(ws, e, "cannot remove dataset '%s' from "
		    "workspace '%s'", name, ws->path);
	return 0;
}

/* "(c1 TYPE, ...)" with names made distinct the way SQLite compares them. */
static void
column_defs(struct strbuf *sb, const struct table *t)
{
	static const char *const reserved[] = { "rowid", "oid", "_rowid_" };
	struct dict *seen = dict_new();
	struct strbuf id = STRBUF_INIT, key = STRBUF_INIT;
	const struct column *c;
	const char *decl;
	size_t i, j, k;

	for (i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		dict_intern(seen, reserved[i], strlen(reserved[i]));
	strbuf_addch(sb, '(');
	for (i = 0; i < t->ncols; i++) {
		c = t->cols[i];
		for (k = 1;; k++) {
			strbuf_reset(&id);
			strbuf_addstr(&id, c->name);
			if (k > 1)
				strbuf_addf(&id, "_%zu", k);
			strbuf_reset(&key);
			for (j = 0; j < id.len; j++) {
				char ch = id.buf[j];

				if (ch >= 'A' && ch <= 'Z')
					ch = (char)(ch - 'A' + 'a');
				strbuf_addch(&key, ch);
			}
			if (dict_find(seen, strbuf_str(&key), key.len) < 0)
				break;
		}
		dict_intern(seen, strbuf_str(&key), key.len);
		switch (c->type) {
		case COL_INT:
		case COL_BOOL:
			decl = "INTEGER";
			break;
		case COL_FLOAT:
			decl = "REAL";
			break;
		default:
			decl = "TEXT";
			break;
		}
		if (i > 0)
			strbuf_addstr(sb, ", ");
		quote_ident(sb, strbuf_str(&id));
		strbuf_addch(sb, ' ');
		strbuf_addstr(sb, decl);
	}
	strbuf_addch(sb, ')');
	strbuf_release(&id);
	strbuf_release(&key);
	dict_free(seen);
}

/* ---------------------------------------------------------- time --- */

/* Howard Hinnant's days_from_civil: days since 1970-01-01. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* Exactly N digits, or with N == 0 one to MAX; NULL if not there. */
static const char *
parse_digits(const char *s, int n, int max, int64_t *out)
{
	int64_t v = 0;
	int i;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		if (i == (n > 0 ? n : max))
			return NULL;
		v = v * 10 + (s[i] - '0');
	}
	if (i == 0 || (n > 0 && i != n))
		return NULL;
	*out = v;
	return s + i;
}

/* "[-]YYYY-MM-DD" as fmt_date writes it (a year may have more digits). */
static const char *
parse_ymd(const char *s, int64_t *days)
{
	int64_t y, m, d;
	int neg = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	if ((s = parse_digits(s, 0, 15, &y)) == NULL || *s++ != '-' ||
	    (s = parse_digits(s, 2, 0, &m)) == NULL || *s++ != '-' ||
	    (s = parse_digits(s, 2, 0, &d)) == NULL)
		return NULL;
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return NULL;
	*days = days_from_civil(neg ? -y : y, (unsigned)m, (unsigned)d);
	return s;
}

/*
 * Parse what fmt_date ("YYYY-MM-DD": days) or fmt_datetime
 * ("YYYY-MM-DDTHH:MM:SS[.frac]Z": seconds) writes.  The seconds are what
 * fmt_double wrote after a '0' pad, so strtod reads them back exactly.
 */
static int
parse_time(enum coltype type, const char *s, double *out)
{
	char secs[TIME_TEXT_MAX], *end;
	int64_t days, hh, mm;
	size_t n;
	double ss;

	if ((s = parse_ymd(s, &days)) == NULL)
		return -1;
	if (type == COL_DATE) {
		if (*s != '\0')
			return -1;
		*out = (double)days;
		return 0;
	}
	if (*s++ != 'T' || (s = parse_digits(s, 2, 0, &hh)) == NULL ||
	    *s++ != ':' || (s = parse_digits(s, 2, 0, &mm)) == NULL ||
	    *s++ != ':' || hh > 24 || mm > 59)
		return -1;
	n = strlen(s);
	if (n < 3 || n >= sizeof secs || s[n - 1] != 'Z' ||
	    s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
	    strspn(s, "0123456789.eE+-") != n - 1)
		return -1;
	if (n == 3) {
		/* whole seconds, the common case: no strtod */
		ss = (s[0] - '0') * 10 + (s[1] - '0');
	} else {
		memcpy(secs, s, n - 1);
		secs[n - 1] = '\0';
		errno = 0;
		ss = strtod(secs, &end);
		if (*end != '\0' || errno != 0)
			return -1;
	}
	if (!(ss >= 0 && ss < 61))
		return -1;
	*out = (double)(days * 86400 + hh * 3600 + mm * 60) + ss;
	return 0;
}

/* The whole of S as a number as fmt_double writes it (not "nan"). */
static int
parse_number(const char *s, double *out)
{
	char *end;
	double v;

	if (*s == '\0' || strspn(s, "0123456789.eE+-infINF") != strlen(s))
		return -1;
	v = strtod(s, &end);
	if (*end != '\0' || isnan(v))
		return -1;
	*out = v;
	return 0;
}

/*
 * The text a date or datetime value is stored as: ISO 8601 when that
 * reads back to the same double, else the shortest round-trip number.
 * Returns its length.
 */
static int
time_text(enum coltype type, double v, char *buf, size_t size)
{
	double back;

	/* bounds keep fmt_date's conversion to long long defined */
	if (type == COL_DATE && fabs(v) < 1e12)
		fmt_date(buf, size, v);
	else if (type == COL_DATETIME && fabs(v) < 1e16)
		fmt_datetime(buf, size, v);
	else
		buf[0] = '\0';
	if (buf[0] == '\0' || parse_time(type, buf, &back) == -1 ||
	    back != v)
		fmt_double(buf, size, v);
	return (int)strlen(buf);
}

/* -------------------------------------------------------- import --- */

static int
bind_cell(sqlite3_stmt *st, int k, const struct column *c, size_t r,
    char *buf)
{
	const char *s;
	double v;
	int n;

	if (c->type == COL_CAT || c->type == COL_TEXT) {
		s = column_str(c, r);
		if (s == NULL)
			return sqlite3_bind_null(st, k);
		/* the table outlives the step that reads the pointer */
		return sqlite3_bind_text(st, k, s, -1, SQLITE_STATIC);
	}
	v = c->num[r];
	if (isnan(v))
		return sqlite3_bind_null(st, k);
	switch (c->type) {
	case COL_INT:
		if (v == floor(v) && fabs(v) <= 9007199254740992.0)
			return sqlite3_bind_int64(st, k, (sqlite3_int64)v);
		return sqlite3_bind_double(st, k, v);
	case COL_BOOL:
		return sqlite3_bind_int64(st, k, v != 0);
	case COL_DATE:
	case COL_DATETIME:
		/* buf is this column's own: it lives until the next row */
		n = time_text(c->type, v, buf, TIME_TEXT_MAX);
		return sqlite3_bind_text(st, k, buf, n, SQLITE_STATIC);
	default:
		return sqlite3_bind_double(st, k, v);
	}
}

/*
 * One prepared INSERT, reset per row.  Every parameter is bound for every
 * row, so no binding outlives its row and clearing them would be wasted
 * work.
 */
static int
insert_rows(struct workspace *ws, const char *data_table,
    const struct table *t, const char *name, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	char *bufs;
	size_t i, r;
	int rc = -1;

	strbuf_addstr(&sql, "INSERT INTO ");
	quote_ident(&sql, data_table);
	strbuf_addstr(&sql, " VALUES (");
	for (i = 0; i < t->ncols; i++)
		strbuf_addstr(&sql, i > 0 ? ", ?" : "?");
	strbuf_addch(&sql, ')');
	bufs = xmalloc(t->ncols * TIME_TEXT_MAX);
	if (ws_prepare(ws, sql.buf, &st) == -1) {
		ws_sqlerr(ws, e, "cannot import '%s' into workspace '%s'",
		    name, ws->path);
		goto out;
	}
	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			if (bind_cell(st, (int)i + 1, t->cols[i], r,
			    bufs + i * TIME_TEXT_MAX) != SQLITE_OK) {
				ws_sqlerr(ws, e, "cannot import '%s' into "
				    "workspace '%s'", name, ws->path);
				goto out;
			}
		}
		if (sqlite3_step(st) != SQLITE_DONE) {
			ws_sqlerr(ws, e, "cannot import '%s' into workspace "
			    "'%s': row %zu", name, ws->path, r + 1);
			goto out;
		}
		sqlite3_reset(st);
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	free(bufs);
	strbuf_release(&sql);
	return rc;
}

/* ---------------------------------------------------------- load --- */

static int
load_cell(struct column *c, size_t r, sqlite3_stmt *st, int i,
    size_t *arena_cap)
{
	int type = sqlite3_column_type(st, i);
	const char *s;
	size_t n, cap;

	if (type == SQLITE_NULL)
		return 0;
	switch (c->type) {
	case COL_CAT:
	case COL_TEXT:
		s = (const char *)sqlite3_column_text(st, i);
		if (s == NULL)
			return -1;
		n = (size_t)sqlite3_column_bytes(st, i);
		if (c->type == COL_CAT) {
			c->codes[r] = dict_intern(c->dict, s, n);
			return 0;
		}
		if (c->arena_len + n + 1 > *arena_cap) {
			cap = *arena_cap ? *arena_cap * 2 : 4096;
			while (cap < c->arena_len + n + 1)
				cap *= 2;
			c->arena = xrealloc(c->arena, cap);
			*arena_cap = cap;
		}
		memcpy(c->arena + c->arena_len, s, n);
		c->arena[c->arena_len + n] = '\0';
		c->off[r] = c->arena_len;
		c->arena_len += n + 1;
		return 0;
	case COL_DATE:
	case COL_DATETIME:
		if (type == SQLITE_TEXT) {
			s = (const char *)sqlite3_column_text(st, i);
			if (s == NULL || (parse_time(c->type, s,
			    &c->num[r]) == -1 && parse_number(s,
			    &c->num[r]) == -1))
				return -1;
			return 0;
		}
		break;
	default:
		break;
	}
	if (type != SQLITE_INTEGER && type != SQLITE_FLOAT)
		return -1;
	c->num[r] = sqlite3_column_double(st, i);
	return 0;
}

/* Read DATA_TABLE into t's columns, sized for t->nrows rows. */
static int
load_rows(struct workspace *ws, const char *data_table, const char *name,
    struct table *t, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	size_t *caps = xcalloc(t->ncols, sizeof *caps);
	size_t i, r = 0;
	int rc = -1, step;

	strbuf_addstr(&sql, "SELECT * FROM ");
	quote_ident(&sql, data_table);
	strbuf_addstr(&sql, " ORDER BY rowid");
	if (ws_prepare(ws, sql.buf, &st) == -1) {
		ws_sqlerr(ws, e, "cannot load dataset '%s' from workspace "
		    "'%s'", name, ws->path);
		goto out;
	}
	if ((size_t)sqlite3_column_count(st) != t->ncols) {
		err_set(e, ERR_IO, "dataset '%s' in workspace '%s' is "
		    "damaged: %d stored columns, %zu recorded", name,
		    ws->path, sqlite3_column_count(st), t->ncols);
		goto out;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (r == t->nrows) {
			err_set(e, ERR_IO, "dataset '%s' in workspace '%s' "
			    "is damaged: more rows than the %zu recorded",
			    name, ws->path, t->nrows);
			goto out;
		}
		for (i = 0; i < t->ncols; i++) {
			if (load_cell(t->cols[i], r, st, (int)i,
			    &caps[i]) == -1) {
				err_set(e, ERR_IO, "dataset '%s' in workspace "
				    "'%s' is damaged: bad %s value in row "
				    "%zu of column '%s'", name, ws->path,
				    coltype_name(t->cols[i]->type), r + 1,
				    t->cols[i]->name);
				goto out;
			}
		}
		r++;
	}
	if (step != SQLITE_DONE) {
		ws_sqlerr(ws, e, "cannot load dataset '%s' from workspace "
		    "'%s'", name, ws->path);
		goto out;
	}
	if (r != t->nrows) {
		err_set(e, ERR_IO, "dataset '%s' in workspace '%s' is "
		    "damaged: %zu rows stored, %zu recorded", name, ws->path,
		    r, t->nrows);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	strbuf_release(&sql);
	free(caps);
	return rc;
}

/* ------------------------------------------------------ exported --- */

char *
workspace_path(const char *explicit_path)
{
	const char *s;
	struct passwd *pw;

	if (explicit_path != NULL)
		return xstrdup(explicit_path);
	if ((s = getenv("LATHE_WORKSPACE")) != NULL && *s != '\0')
		return xstrdup(s);
	if ((s = getenv("XDG_DATA_HOME")) != NULL && *s != '\0')
		return xasprintf("%s/lathe/workspace.db", s);
	if ((s = getenv("HOME")) == NULL || *s == '\0') {
		pw = getpwuid(getuid());
		s = pw != NULL && pw->pw_dir != NULL ? pw->pw_dir : ".";
	}
	return xasprintf("%s/.local/share/lathe/workspace.db", s);
}

struct workspace *
workspace_open(const char *path, struct err *e)
{
	struct workspace *ws;
	int64_t version, nobjects;
	int rc;

	if (mkdir_parents(path, e) == -1)
		return NULL;
	ws = xcalloc(1, sizeof *ws);
	ws->path = xstrdup(path);
	rc = sqlite3_open_v2(path, &ws->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_IO, "cannot open workspace '%s': %s", path,
		    ws->db != NULL ? sqlite3_errmsg(ws->db) :
		    sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_busy_timeout(ws->db, 5000);
	/* check before anything writes to what may be someone else's file */
	if (read_version(ws, &version, &nobjects, e) == -1 ||
	    check_version(ws, version, nobjects, e) == -1)
		goto fail;
	if (sqlite3_db_readonly(ws->db, "main") == 1) {
		err_set(e, ERR_IO, "cannot open workspace '%s': the file is "
		    "read-only", path);
		goto fail;
	}
	if (ws_exec(ws, "PRAGMA journal_mode = WAL") == -1 ||
	    ws_exec(ws, "PRAGMA synchronous = NORMAL") == -1 ||
	    ws_exec(ws, "PRAGMA foreign_keys = ON") == -1) {
		ws_sqlerr(ws, e, "cannot open workspace '%s'", path);
		goto fail;
	}
	if (version < WORKSPACE_SCHEMA_VERSION && migrate(ws, e) == -1)
		goto fail;
	return ws;
fail:
	workspace_close(ws);
	return NULL;
}

void
workspace_close(struct workspace *ws)
{
	if (ws == NULL)
		return;
	sqlite3_close(ws->db);
	free(ws->path);
	free(ws);
}

struct sqlite3 *
workspace_db(struct workspace *ws)
{
	return ws->db;
}

const char *
workspace_file(const struct workspace *ws)
{
	return ws->path;
}

int
workspace_import(struct workspace *ws, const char *name, const char *source,
    const struct table *t, int replace, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	char hash[65], *schema = NULL, *old_table = NULL, *data_table = NULL;
	int64_t id;
	int rc = -1, found;

	if (check_name(name, e) == -1)
		return -1;
	if (t->ncols == 0)
		return err_set(e, ERR_DATA, "cannot import '%s': the table "
		    "has no columns", name);
	table_hash(t, hash);
	schema = schema_encode(t);
	if (ws_exec(ws, "BEGIN IMMEDIATE") == -1) {
		ws_sqlerr(ws, e, "cannot import '%s' into workspace '%s'",
		    name, ws->path);
		goto out;
	}
	if ((found = find_dataset(ws, name, &id, &old_table, e)) == -1)
		goto out;
	if (found && !replace) {
		err_set(e, ERR_USAGE, "dataset '%s' already exists in the "
		    "workspace (use --replace)", name);
		goto out;
	}
	if (found && drop_dataset(ws, id, old_table, name, e) == -1)
		goto out;

	/* the row first: its id names the data table */
	if (ws_prepare(ws, "INSERT INTO datasets (name, source, hash, schema,"
	    " nrows, ncols, created, data_table) VALUES (?, ?, ?, ?, ?, ?,"
	    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), '')", &st) == -1)
		goto sqlfail;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, source != NULL ? source : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, schema, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)t->nrows);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)t->ncols);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto sqlfail;
	sqlite3_finalize(st);
	id = sqlite3_last_insert_rowid(ws->db);
	data_table = xasprintf("ds_%lld", (long long)id);
	if (ws_prepare(ws, "UPDATE datasets SET data_table = ? WHERE id = ?",
	    &st) == -1)
		goto sqlfail;
	sqlite3_bind_text(st, 1, data_table, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto sqlfail;

	strbuf_addstr(&sql, "CREATE TABLE ");
	quote_ident(&sql, data_table);
	strbuf_addch(&sql, ' ');
	column_defs(&sql, t);
	if (ws_exec(ws, sql.buf) == -1)
		goto sqlfail;
	if (insert_rows(ws, data_table, t, name, e) == -1)
		goto out;
	if (ws_exec(ws, "COMMIT") == -1)
		goto sqlfail;
	rc = 0;
	goto out;
sqlfail:
	ws_sqlerr(ws, e, "cannot import '%s' into workspace '%s'", name,
	    ws->path);
out:
	sqlite3_finalize(st);
	if (rc == -1)
		ws_rollback(ws);
	strbuf_release(&sql);
	free(schema);
	free(old_table);
	free(data_table);
	return rc;
}

struct table *
workspace_load(struct workspace *ws, const char *name, struct err *e)
{
	sqlite3_stmt *st = NULL;
	struct table *t = NULL;
	const char *schema, *dt;
	char *data_table = NULL;
	int64_t nrows, ncols;
	int step;

	/* one read transaction: a concurrent replace cannot split the view */
	if (ws_exec(ws, "BEGIN") == -1 || ws_prepare(ws, "SELECT schema,"
	    " nrows, ncols, data_table FROM datasets WHERE name = ?",
	    &st) == -1)
		goto sqlfail;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		err_set(e, ERR_USAGE, "no dataset '%s' in workspace '%s'",
		    name, ws->path);
		goto fail;
	}
	if (step != SQLITE_ROW)
		goto sqlfail;
	schema = (const char *)sqlite3_column_text(st, 0);
	nrows = sqlite3_column_int64(st, 1);
	ncols = sqlite3_column_int64(st, 2);
	dt = (const char *)sqlite3_column_text(st, 3);
	if (schema == NULL || dt == NULL || nrows < 0 || (t =
	    schema_decode(schema, (size_t)nrows)) == NULL ||
	    (int64_t)t->ncols != ncols) {
		err_set(e, ERR_IO, "dataset '%s' in workspace '%s' is "
		    "damaged: bad schema '%s'", name, ws->path,
		    schema != NULL ? schema : "");
		goto fail;
	}
	data_table = xstrdup(dt);
	sqlite3_finalize(st);
	st = NULL;
	if (load_rows(ws, data_table, name, t, e) == -1)
		goto fail;
	if (ws_exec(ws, "COMMIT") == -1)
		goto sqlfail;
	free(data_table);
	return t;
sqlfail:
	ws_sqlerr(ws, e, "cannot load dataset '%s' from workspace '%s'",
	    name, ws->path);
fail:
	sqlite3_finalize(st);
	ws_rollback(ws);
	free(data_table);
	table_free(t);
	return NULL;
}

int
workspace_has(struct workspace *ws, const char *name)
{
	sqlite3_stmt *st;
	int found;

	if (ws_prepare(ws, "SELECT 1 FROM datasets WHERE name = ?", &st) ==
	    -1)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

static char *
column_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return xstrdup(s != NULL ? (const char *)s : "");
}

int
workspace_datasets(struct workspace *ws, struct ws_dataset **out,
    size_t *nout, struct err *e)
{
	struct ws_dataset *v = NULL, *d;
	sqlite3_stmt *st;
	size_t n = 0, cap = 0;
	int step;

	*out = NULL;
	*nout = 0;
	if (ws_prepare(ws, "SELECT id, name, source, hash, schema, nrows,"
	    " ncols, created FROM datasets ORDER BY id", &st) == -1)
		return ws_sqlerr(ws, e, "cannot read workspace '%s'",
		    ws->path);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof *v);
		}
		d = &v[n++];
		d->id = sqlite3_column_int64(st, 0);
		d->name = column_dup(st, 1);
		d->source = column_dup(st, 2);
		d->hash = column_dup(st, 3);
		d->schema = column_dup(st, 4);
		d->nrows = sqlite3_column_int64(st, 5);
		d->ncols = sqlite3_column_int64(st, 6);
		d->created = column_dup(st, 7);
	}
	if (step != SQLITE_DONE) {
		ws_sqlerr(ws, e, "cannot read workspace '%s'", ws->path);
		sqlite3_finalize(st);
		ws_datasets_free(v, n);
		return -1;
	}
	sqlite3_finalize(st);
	*out = v;
	*nout = n;
	return 0;
}

void
ws_datasets_free(struct ws_dataset *v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].source);
		free(v[i].hash);
		free(v[i].schema);
		free(v[i].created);
	}
	free(v);
}

int
workspace_remove(struct workspace *ws, const char *name, struct err *e)
{
	char *data_table = NULL;
	int64_t id;
	int found, rc = -1;

	if (ws_exec(ws, "BEGIN IMMEDIATE") == -1)
		return ws_sqlerr(ws, e, "cannot remove dataset '%s' from "
		    "workspace '%s'", name, ws->path);
	if ((found = find_dataset(ws, name, &id, &data_table, e)) == -1)
		goto out;
	if (!found) {
		err_set(e, ERR_USAGE, "no dataset '%s' in workspace '%s'",
		    name, ws->path);
		goto out;
	}
	if (drop_dataset(ws, id, data_table, name, e) == -1)
		goto out;
	if (ws_exec(ws, "COMMIT") == -1) {
		ws_sqlerr(ws, e, "cannot remove dataset '%s' from workspace "
		    "'%s'", name, ws->path);
		goto out;
	}
	rc = 0;
out:
	if (rc == -1)
		ws_rollback(ws);
	free(data_table);
	return rc;
}

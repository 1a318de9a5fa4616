/*
 * t-csvload.c - unit tests for core/csvload.c and the type inference of
 * core/infer.c it relies on.
 *
 * Every fixture is written into a fresh temporary directory (under
 * $LATHE_TMP if set, else /tmp), removed at the end.  Covered: each
 * column type with the value of every cell, missing tokens and --na,
 * RFC 4180 quoting, CRLF, the BOM, blank lines and a last line without a
 * line end, delimiter and header detection and their overrides, a late
 * non-number that demotes a numeric column, --type overrides, the parse
 * on one to four threads (also with a chunk boundary inside a quoted
 * field), the ragged modes, a 10 MB field, and every error with its file
 * name, line and field.  Standard input is left to the command tests.
 */
#include <ftw.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/load.h"
#include "core/strbuf.h"
#include "core/xmalloc.h"
#include "tap.h"

static char	*fixture_n(const char *, const char *, size_t);
static char	*fixture(const char *, const char *);
static struct table *load(const char *, const char *,
		    const struct load_opts *, struct load_report *,
		    struct err *);
static struct table *load_path(const char *, const struct load_opts *,
		    struct load_report *, struct err *);
static char	*cells(const struct table *, const char *);
static void	 check_col(const struct table *, const char *, enum coltype,
		    const char *, const char *);
static void	 check_nums(const struct table *, const char *,
		    const double *, size_t, const char *);
static void	 check_names(const struct table *, const char *,
		    const char *);
static void	 msg_has(const struct err *, const char *, const char *);
static void	 expect_fail(const char *, const char *, const char *,
		    const struct load_opts *, enum err_code, ...)
		    __attribute__((sentinel));
static int	 same_num(double, double);
static void	 same_tables(const struct table *, const struct table *,
		    const char *);
static uint64_t	 mix(uint64_t);
static int	 rm_entry(const char *, const struct stat *, int,
		    struct FTW *);
static void	 test_types(void);
static void	 test_text(void);
static void	 test_missing(void);
static void	 test_rfc4180(void);
static void	 test_delims(void);
static void	 test_header(void);
static void	 x_text(size_t, char *, size_t);
static void	 test_demotion(void);
static void	 test_overrides(void);
static void	 big_row(size_t, struct strbuf *);
static void	 test_threads(void);
static void	 fb_body(size_t, struct strbuf *);
static void	 test_fallback(void);
static void	 test_errors(void);
static void	 test_ragged(void);
static void	 test_late_errors(void);
static void	 test_bigfield(void);
static void	 test_plain_lines(void);
static void	 test_skip(void);

#define BIG_ROWS	300000
#define BIG_LATE	290000	/* the row whose "late" is not a number */
#define NDEMOTE		5000

static char *tmpdir;

/* Write TEXT[0..LEN) to NAME in the temporary directory; returns the
 * path, owned by the caller. */
static char *
fixture_n(const char *name, const char *text, size_t len)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	int good = f != NULL;

	if (f != NULL) {
		good = fwrite(text, 1, len, f) == len;
		good = fclose(f) == 0 && good;
	}
	if (!good)
		ok(0, "write fixture %s", path);
	return path;
}

static char *
fixture(const char *name, const char *text)
{
	return fixture_n(name, text, strlen(text));
}

static struct table *
load_path(const char *path, const struct load_opts *o,
    struct load_report *rep, struct err *e)
{
	struct load_opts def;
	struct table *t;

	err_clear(e);
	if (rep != NULL)
		memset(rep, 0, sizeof *rep);
	if (o != NULL)
		return csvload_file(path, o, rep, e);
	load_opts_init(&def);
	t = csvload_file(path, &def, rep, e);
	load_opts_release(&def);
	return t;
}

/* Write a fixture and load it (default options when o is NULL). */
static struct table *
load(const char *name, const char *text, const struct load_opts *o,
    struct load_report *rep, struct err *e)
{
	char *path = fixture(name, text);
	struct table *t = load_path(path, o, rep, e);

	if (t == NULL)
		printf("# %s: %s\n", name, e->msg);
	free(path);
	return t;
}

/* The cells of column NAME joined by '|', missing as "<NA>"; owned by
 * the caller.  NULL when there is no such column. */
static char *
cells(const struct table *t, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	long c = t ? table_find(t, name) : -1;
	size_t r;

	if (c < 0)
		return NULL;
	for (r = 0; r < t->nrows; r++) {
		if (r > 0)
			strbuf_addch(&sb, '|');
		if (!column_format(t->cols[c], (size_t)r, &sb))
			strbuf_addstr(&sb, "<NA>");
	}
	return strbuf_detach(&sb);
}

static void
check_col(const struct table *t, const char *name, enum coltype type,
    const char *want, const char *what)
{
	char label[256];
	long c = t ? table_find(t, name) : -1;
	char *got;

	snprintf(label, sizeof label, "%s: %s is %s", what, name,
	    coltype_name(type));
	is_str(c >= 0 ? coltype_name(t->cols[c]->type) : "(no column)",
	    coltype_name(type), label);
	got = cells(t, name);
	snprintf(label, sizeof label, "%s: values of %s", what, name);
	is_str(got, want, label);
	free(got);
}

static int
same_num(double a, double b)
{
	return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

/* The stored doubles of a numeric column, exactly. */
static void
check_nums(const struct table *t, const char *name, const double *want,
    size_t n, const char *what)
{
	long c = t ? table_find(t, name) : -1;
	size_t r;
	int good = c >= 0 && t->nrows == n && t->cols[c]->num != NULL;

	for (r = 0; good && r < n; r++) {
		if (!same_num(t->cols[c]->num[r], want[r])) {
			printf("# row %zu: got %.17g want %.17g\n", r,
			    t->cols[c]->num[r], want[r]);
			good = 0;
		}
	}
	ok(good, "%s: stored values of %s", what, name);
}

/* Column names joined by ','. */
static void
check_names(const struct table *t, const char *want, const char *what)
{
	struct strbuf sb = STRBUF_INIT;
	size_t c;

	for (c = 0; t != NULL && c < t->ncols; c++) {
		if (c > 0)
			strbuf_addch(&sb, ',');
		strbuf_addstr(&sb, t->cols[c]->name);
	}
	is_str(strbuf_str(&sb), want, what);
	strbuf_release(&sb);
}

static void
msg_has(const struct err *e, const char *needle, const char *what)
{
	if (!ok(strstr(e->msg, needle) != NULL, "%s: message has '%s'", what,
	    needle))
		printf("# message: %s\n", e->msg);
}

/* Loading TEXT as NAME fails with CODE and a message holding every
 * string given after CODE (NULL-terminated). */
static void
expect_fail(const char *what, const char *name, const char *text,
    const struct load_opts *o, enum err_code code, ...)
{
	char *path = fixture(name, text);
	struct err e;
	struct table *t = load_path(path, o, NULL, &e);
	const char *needle;
	va_list ap;

	ok(t == NULL, "%s: no table", what);
	table_free(t);
	if (!is_int(e.code, code, what))
		printf("# message: %s\n", e.msg);
	va_start(ap, code);
	while ((needle = va_arg(ap, const char *)) != NULL)
		msg_has(&e, needle, what);
	va_end(ap);
	free(path);
}

/* Same names, types, values (and content hash). */
static void
same_tables(const struct table *a, const struct table *b, const char *what)
{
	char ha[65], hb[65];
	size_t c, r;

	if (!ok(a != NULL && b != NULL, "%s: both loaded", what))
		return;
	is_int((long long)b->ncols, (long long)a->ncols, what);
	is_int((long long)b->nrows, (long long)a->nrows, what);
	if (a->ncols != b->ncols || a->nrows != b->nrows)
		return;
	for (c = 0; c < a->ncols; c++) {
		const struct column *x = a->cols[c], *y = b->cols[c];
		int good = strcmp(x->name, y->name) == 0 &&
		    x->type == y->type;

		for (r = 0; good && r < a->nrows; r++) {
			const char *s1, *s2;

			switch (x->type) {
			case COL_CAT:
			case COL_TEXT:
				s1 = column_str(x, r);
				s2 = column_str(y, r);
				good = (s1 == NULL && s2 == NULL) || (s1 &&
				    s2 && strcmp(s1, s2) == 0);
				break;
			default:
				good = same_num(x->num[r], y->num[r]);
				break;
			}
			if (!good)
				printf("# column %s differs at row %zu\n",
				    x->name, r);
		}
		ok(good, "%s: column %zu (%s) identical", what, c, x->name);
	}
	table_hash(a, ha);
	table_hash(b, hb);
	is_str(hb, ha, what);
}

static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* ------------------------------------------------------- the types --- */

static void
test_types(void)
{
	static const double d_days[] = { 19727, 0, -1, 11016 };
	static const double dt_secs[] = {
		1704448800, 1709274600, 1709380800, 951888599.5
	};
	static const double i_vals[] = { 1, -2, 3, NAN };
	static const double f_vals[] = { 1.5, -0.25, 1000, 2 };
	static const double none[] = { NAN, NAN, NAN, NAN };
	struct load_report rep;
	struct err e;
	struct table *t;

	t = load("types.csv",
	    "i,f,b,c,d,dt,none,s\n"
	    "1,1.5,true,red,2024-01-05,2024-01-05T10:00:00Z,,x y\n"
	    "-2,-0.25,false,green,1970-01-01,2024-03-01T08:30:00+02:00,NA,"
	    "\"q,r\"\n"
	    "3,1e3,TRUE,red,1969-12-31,2024-03-02 12:00,,x y\n"
	    ",2,False,,2000-02-29,2000-02-29T23:59:59.5-05:30,?,\n",
	    NULL, &rep, &e);
	if (!ok(t != NULL, "types: loads"))
		return;
	is_int((long long)t->nrows, 4, "types: 4 rows");
	check_names(t, "i,f,b,c,d,dt,none,s", "types: names");
	check_col(t, "i", COL_INT, "1|-2|3|<NA>", "types");
	check_nums(t, "i", i_vals, 4, "types");
	check_col(t, "f", COL_FLOAT, "1.5|-0.25|1000|2", "types");
	check_nums(t, "f", f_vals, 4, "types");
	check_col(t, "b", COL_BOOL, "true|false|true|false", "types");
	is_double(t->cols[2]->num[0], 1, 0, "types: true is 1");
	is_double(t->cols[2]->num[1], 0, 0, "types: false is 0");
	check_col(t, "c", COL_CAT, "red|green|red|<NA>", "types");
	is_int((long long)t->cols[3]->dict->n, 2, "types: two categories");
	check_col(t, "d", COL_DATE, "2024-01-05|1970-01-01|1969-12-31|"
	    "2000-02-29", "types");
	check_nums(t, "d", d_days, 4, "types: days since the epoch");
	check_col(t, "dt", COL_DATETIME, "2024-01-05T10:00:00Z|"
	    "2024-03-01T06:30:00Z|2024-03-02T12:00:00Z|"
	    "2000-03-01T05:29:59.5Z", "types");
	check_nums(t, "dt", dt_secs, 4, "types: seconds since the epoch");
	check_col(t, "none", COL_FLOAT, "<NA>|<NA>|<NA>|<NA>",
	    "types: all missing");
	check_nums(t, "none", none, 4, "types: all missing");
	check_col(t, "s", COL_CAT, "x y|q,r|x y|<NA>", "types");
	is_int(rep.delimiter, ',', "types: comma reported");
	is_int(rep.header, 1, "types: header reported");
	is_int((long long)rep.ragged_rows, 0, "types: nothing ragged");
	is_int((long long)rep.demoted, 0, "types: nothing demoted");
	table_free(t);

	/* Mixed kinds: numbers with a boolean or a date are strings. */
	t = load("mixed.csv",
	    "nb,nd,dd,bb\n"
	    "1,1,2024-01-01,true\n"
	    "true,2024-01-02,2024-01-02T12:00:00Z,yes\n",
	    NULL, NULL, &e);
	check_col(t, "nb", COL_CAT, "1|true", "mixed");
	check_col(t, "nd", COL_CAT, "1|2024-01-02", "mixed");
	check_col(t, "dd", COL_DATETIME, "2024-01-01T00:00:00Z|"
	    "2024-01-02T12:00:00Z", "mixed: dates with datetimes");
	check_col(t, "bb", COL_CAT, "true|yes", "mixed");
	table_free(t);

	/* Not a real date: a string. */
	t = load("baddate.csv", "d,e\n2024-02-29,2024-01-01T24:00\n"
	    "2023-02-29,2024-01-01T23:59\n", NULL, NULL, &e);
	check_col(t, "d", COL_CAT, "2024-02-29|2023-02-29", "not a date");
	check_col(t, "e", COL_CAT, "2024-01-01T24:00|2024-01-01T23:59",
	    "not a datetime");
	table_free(t);
}

/* Text: more than 50 distinct values and more than half distinct. */
static void
test_text(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct err e;
	struct table *t;
	char *got;
	size_t i;

	/* t: 128 distinct values and two missing; c65: 65 distinct of 130
	 * (exactly half); t66: 66 distinct of 130 */
	strbuf_addstr(&sb, "t,c65,t66\n");
	for (i = 0; i < 130; i++) {
		if (i == 7 || i == 99)
			strbuf_addstr(&sb, "NA");
		else
			strbuf_addf(&sb, "\"word %zu, and more\"", i);
		strbuf_addf(&sb, ",u%zu,w%zu\n", i % 65, i % 66);
	}
	t = load("text.csv", sb.buf, NULL, NULL, &e);
	if (ok(t != NULL, "text: loads")) {
		is_str(coltype_name(t->cols[0]->type), "text",
		    "text: t is text");
		is_str(column_str(t->cols[0], 0), "word 0, and more",
		    "text: row 0");
		is_str(column_str(t->cols[0], 129), "word 129, and more",
		    "text: last row");
		ok(column_str(t->cols[0], 7) == NULL &&
		    column_is_missing(t->cols[0], 99), "text: missing values");
		got = cells(t, "t");
		ok(got != NULL && strncmp(got, "word 0, and more|word 1, and "
		    "more|", 34) == 0 && strstr(got, "|word 6, and more|<NA>|"
		    "word 8, and more|") != NULL, "text: cells");
		free(got);
		is_str(coltype_name(t->cols[1]->type), "categorical",
		    "text: exactly half distinct stays categorical");
		is_str(coltype_name(t->cols[2]->type), "text",
		    "text: 66 distinct of 130 is text");
		is_str(column_str(t->cols[1], 129), "u64", "text: c65 value");
		is_str(column_str(t->cols[2], 129), "w63", "text: t66 value");
	}
	table_free(t);

	/* 50 distinct values of 50 stay categorical, 51 of 51 are text. */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "c\n");
	for (i = 0; i < 50; i++)
		strbuf_addf(&sb, "v%zu\n", i);
	t = load("cat50.csv", sb.buf, NULL, NULL, &e);
	ok(t != NULL && t->cols[0]->type == COL_CAT,
	    "text: 50 distinct values stay categorical");
	table_free(t);
	strbuf_addstr(&sb, "v50\n");
	t = load("text51.csv", sb.buf, NULL, NULL, &e);
	ok(t != NULL && t->cols[0]->type == COL_TEXT,
	    "text: 51 distinct values are text");
	if (t != NULL)
		is_str(column_str(t->cols[0], 50), "v50", "text: value 51");
	table_free(t);
	strbuf_release(&sb);
}

/* ----------------------------------------------------- missing --- */

static void
test_missing(void)
{
	struct load_opts o;
	struct err e;
	struct table *t;

	t = load("na.csv",
	    "n,c\n"
	    "1,a\n"
	    ",b\n"
	    "NA,c\n"
	    "N/A,d\n"
	    "NaN,e\n"
	    "null,f\n"
	    "?,g\n"
	    "2,\n"
	    "3,NA\n"
	    "4,N/A\n"
	    "5,NaN\n"
	    "6,null\n"
	    "7,?\n", NULL, NULL, &e);
	check_col(t, "n", COL_INT, "1|<NA>|<NA>|<NA>|<NA>|<NA>|<NA>|2|3|4|5|"
	    "6|7", "na");
	check_col(t, "c", COL_CAT, "a|b|c|d|e|f|g|<NA>|<NA>|<NA>|<NA>|<NA>|"
	    "<NA>", "na");
	table_free(t);

	/* Tokens match exactly: other spellings are values. */
	t = load("na-case.csv", "c,n\nNULL,1\nna,2\nnan,3\nx,NA\n", NULL,
	    NULL, &e);
	check_col(t, "c", COL_CAT, "NULL|na|nan|x", "na-case");
	check_col(t, "n", COL_INT, "1|2|3|<NA>", "na-case");
	table_free(t);

	load_opts_init(&o);
	ok(load_is_na(&o, "", 0) && load_is_na(&o, "NA", 2) &&
	    load_is_na(&o, "?", 1) && !load_is_na(&o, "-", 1),
	    "load_is_na with the default tokens");
	load_opts_set_na(&o, "-999,missing,,-");
	is_int((long long)o.nna, 3, "set_na: three tokens (empty ones "
	    "dropped)");
	ok(load_is_na(&o, "", 0) && load_is_na(&o, "-999", 4) &&
	    load_is_na(&o, "-", 1) && !load_is_na(&o, "NA", 2),
	    "load_is_na with replaced tokens");
	t = load("na-set.csv",
	    "n,c,m\n"
	    "1,NA,1.5\n"
	    "-999,missing,-\n"
	    "3,,2.5\n"
	    "missing,x,-999\n", &o, NULL, &e);
	check_col(t, "n", COL_INT, "1|<NA>|3|<NA>",
	    "na-set: a numeric-looking token");
	check_col(t, "c", COL_CAT, "NA|<NA>|<NA>|x",
	    "na-set: NA is now a value");
	check_col(t, "m", COL_FLOAT, "1.5|<NA>|2.5|<NA>", "na-set");
	table_free(t);

	/* The default tokens are values now: n is categorical. */
	t = load("na-set2.csv", "n\n1\nNA\nnull\n", &o, NULL, &e);
	check_col(t, "n", COL_CAT, "1|NA|null", "na-set: NA not missing");
	table_free(t);

	load_opts_set_na(&o, "");
	is_int((long long)o.nna, 0, "set_na(\"\"): no tokens");
	t = load("na-none.csv", "n,c\n1,a\n,\n3,NA\n", &o, NULL, &e);
	check_col(t, "n", COL_INT, "1|<NA>|3", "na-none: empty still missing");
	check_col(t, "c", COL_CAT, "a|<NA>|NA", "na-none");
	table_free(t);
	load_opts_release(&o);
}

/* ------------------------------------------------------ RFC 4180 --- */

static void
test_rfc4180(void)
{
	static const double ns[] = { 10, 20, 30, 40 };
	struct load_report rep;
	struct err e;
	struct table *t;

	t = load("rfc.csv",
	    "\xef\xbb\xbfid,text,n\r\n"
	    "1,\"a,b\",10\r\n"
	    "2,\"line1\r\nline2\",20\r\n"
	    "\r\n"
	    "3,\"say \"\"hi\"\"\",30\r\n"
	    "\n"
	    "4,plain,40", NULL, &rep, &e);
	if (ok(t != NULL, "rfc: loads")) {
		check_names(t, "id,text,n", "rfc: BOM skipped in the name");
		is_int((long long)t->nrows, 4,
		    "rfc: 4 rows (blank lines skipped)");
		check_col(t, "id", COL_INT, "1|2|3|4", "rfc");
		is_str(column_str(t->cols[1], 0), "a,b",
		    "rfc: embedded delimiter");
		is_str(column_str(t->cols[1], 1), "line1\r\nline2",
		    "rfc: embedded CRLF kept");
		is_str(column_str(t->cols[1], 2), "say \"hi\"",
		    "rfc: doubled quotes");
		is_str(column_str(t->cols[1], 3), "plain",
		    "rfc: last line without a line end");
		check_nums(t, "n", ns, 4, "rfc: no stray CR in numbers");
		is_int(rep.header, 1, "rfc: header");
	}
	table_free(t);

	/* LF only, a quoted field with several newlines, empty quoted. */
	t = load("rfc-lf.csv",
	    "a,b,c\n"
	    "\"x\n\ny\n\",\"\",1\n"
	    "\"\"\"\",\",\",2\n", NULL, NULL, &e);
	check_col(t, "a", COL_CAT, "x\n\ny\n|\"", "rfc-lf");
	check_col(t, "b", COL_CAT, "<NA>|,", "rfc-lf: \"\" is empty");
	check_col(t, "c", COL_INT, "1|2", "rfc-lf");
	table_free(t);

	/* Line numbers after a multi-line field count physical lines. */
	expect_fail("lines after a multi-line field", "ml.csv",
	    "a,b\n"
	    "1,\"x\n"
	    "y\n"
	    "z\"\n"
	    "2,w\n"
	    "3\n", NULL, ERR_DATA, "ml.csv:6:", "too few fields", NULL);
	expect_fail("lines after a multi-line header", "mlh.csv",
	    "\"a\nb\",c\n"
	    "1,2\n"
	    "3\n", NULL, ERR_DATA, "mlh.csv:4:", NULL);
	expect_fail("lines after leading blank lines and a BOM", "lead.csv",
	    "\xef\xbb\xbf\n\na,b\n1,2\n3\n", NULL, ERR_DATA, "lead.csv:5:",
	    NULL);
	expect_fail("lines with CRLF", "crlf.csv",
	    "a,b\r\n1,2\r\n\r\n3\r\n", NULL, ERR_DATA, "crlf.csv:4:",
	    NULL);

	/* A carriage return alone is not a line end. */
	expect_fail("bare carriage return", "cr.csv",
	    "a,b\n1,2\r3,4\r5,6\n7,8\n", NULL, ERR_DATA, "cr.csv:2:",
	    "carriage return", NULL);
	expect_fail("bare carriage return in the header line", "crh.csv",
	    "a,b\r1,2\n3,4\n", NULL, ERR_DATA, "crh.csv:1:",
	    "carriage return", NULL);
	expect_fail("bare carriage return ending the file", "cr2.csv",
	    "1,2\n3,4\r5,6", NULL, ERR_DATA, "cr2.csv:2:",
	    "carriage return", NULL);
	t = load("crq.csv", "a,b\n\"x\ry\",2\r\n\"\r\",3\n", NULL, NULL,
	    &e);
	check_col(t, "a", COL_CAT, "x\ry|\r", "a quoted carriage return");
	table_free(t);
}

/* -------------------------------------------- delimiter, header --- */

static void
test_delims(void)
{
	struct load_opts o;
	struct load_report rep;
	struct err e;
	struct table *t;

	t = load("semi.csv", "a;b;c\n1,5;2;x\n3,25;4;y\n", NULL, &rep, &e);
	is_int(rep.delimiter, ';', "semicolon detected");
	check_col(t, "a", COL_CAT, "1,5|3,25", "semicolon");
	check_col(t, "b", COL_INT, "2|4", "semicolon");
	check_col(t, "c", COL_CAT, "x|y", "semicolon");
	table_free(t);

	t = load("tab.tsv", "a\tb\tc\n1\tx y\t\n2\tz\t3.5\n", NULL, &rep,
	    &e);
	is_int(rep.delimiter, '\t', "tab detected");
	check_col(t, "a", COL_INT, "1|2", "tab");
	check_col(t, "b", COL_CAT, "x y|z", "tab");
	check_col(t, "c", COL_FLOAT, "<NA>|3.5", "tab");
	table_free(t);

	t = load("pipe.csv", "a|b|c\n1|2|3\n4|5,5|6\n", NULL, &rep, &e);
	is_int(rep.delimiter, '|', "pipe detected");
	check_names(t, "a,b,c", "pipe: names");
	check_col(t, "b", COL_CAT, "2|5,5", "pipe");
	table_free(t);

	t = load("comma.csv", "a,b|c\n1,2|3\n", NULL, &rep, &e);
	is_int(rep.delimiter, ',', "comma wins a tie");
	check_names(t, "a,b|c", "comma: names");
	table_free(t);

	load_opts_init(&o);
	o.delimiter = '|';
	t = load("comma.csv", "a,b|c\n1,2|3\n", &o, &rep, &e);
	is_int(rep.delimiter, '|', "explicit delimiter reported");
	check_names(t, "a,b,c", "explicit delimiter: names");
	table_free(t);
	t = load("override.csv", "a,b|c\n1,2|3\n4,5|6\n", &o, &rep, &e);
	check_names(t, "a,b,c", "explicit delimiter: names");
	check_col(t, "a,b", COL_CAT, "1,2|4,5", "explicit delimiter");
	check_col(t, "c", COL_INT, "3|6", "explicit delimiter");
	table_free(t);
	load_opts_release(&o);
}

static void
test_header(void)
{
	struct load_opts o;
	struct load_report rep;
	struct err e;
	struct table *t;

	t = load("nohdr.csv", "1,2,x\n4,5,y\n", NULL, &rep, &e);
	is_int(rep.header, 0, "numeric first row: no header");
	check_names(t, "col1,col2,col3", "no header: names");
	check_col(t, "col1", COL_INT, "1|4", "no header");
	check_col(t, "col3", COL_CAT, "x|y", "no header");
	table_free(t);

	t = load("datehdr.csv", "2024-01-01,a\n2024-01-02,b\n", NULL, &rep,
	    &e);
	is_int(rep.header, 0, "a date in the first row: no header");
	check_col(t, "col1", COL_DATE, "2024-01-01|2024-01-02", "date row");
	table_free(t);

	t = load("hdr.csv", "x,y\na,1\nb,2\n", NULL, &rep, &e);
	is_int(rep.header, 1, "strings in the first row: header");
	table_free(t);

	load_opts_init(&o);
	o.header = 1;
	t = load("nohdr.csv", "1,2,x\n4,5,y\n", &o, &rep, &e);
	is_int(rep.header, 1, "--header");
	check_names(t, "1,2,x", "--header: names from the first row");
	check_col(t, "1", COL_INT, "4", "--header");
	table_free(t);
	o.header = 0;
	t = load("hdr.csv", "x,y\na,1\nb,2\n", &o, &rep, &e);
	is_int(rep.header, 0, "--no-header");
	check_names(t, "col1,col2", "--no-header: names");
	check_col(t, "col1", COL_CAT, "x|a|b", "--no-header");
	check_col(t, "col2", COL_CAT, "y|1|2", "--no-header");
	table_free(t);
	/* Without a header, duplicate or empty first-row values are data. */
	t = load("nohdr2.csv", "a,a,\nb,c,d\n", &o, &rep, &e);
	check_col(t, "col3", COL_CAT, "<NA>|d", "--no-header: empty first");
	table_free(t);
	load_opts_release(&o);
}

/* ----------------------------------------------- late demotion --- */

/* The original text of x in row i ("" for missing). */
static void
x_text(size_t i, char *buf, size_t n)
{
	if (i == NDEMOTE - 1)
		snprintf(buf, n, "abc");
	else if (i % 97 == 0)
		snprintf(buf, n, "%s", i % 2 ? "NA" : "");
	else if (i % 5 == 0)
		snprintf(buf, n, "%zu.50", i);
	else if (i % 5 == 1)
		snprintf(buf, n, "%zu", i);
	else if (i % 5 == 2)
		snprintf(buf, n, "-%zu.25", i);
	else if (i % 5 == 3)
		snprintf(buf, n, "%zue1", i);
	else
		snprintf(buf, n, "00%zu", i);
}

static void
test_demotion(void)
{
	static const size_t samples[] = { 1000, 10, 1, NDEMOTE };
	struct strbuf sb = STRBUF_INIT;
	struct load_opts o;
	struct load_report rep;
	struct err e;
	struct table *t, *first = NULL;
	char *path, buf[64], label[128];
	size_t i, k;

	strbuf_addstr(&sb, "id,x,y,c\n");
	for (i = 0; i < NDEMOTE; i++) {
		x_text(i, buf, sizeof buf);
		strbuf_addf(&sb, "%zu,%s,%zu.5,k%zu\n", i + 1, buf, i, i % 3);
	}
	path = fixture("late.csv", sb.buf);
	strbuf_release(&sb);
	load_opts_init(&o);
	for (k = 0; k < sizeof samples / sizeof samples[0]; k++) {
		size_t bad = 0, badid = 0, bady = 0, badc = 0;
		const struct column *x;

		o.sample_rows = samples[k];
		t = load_path(path, &o, &rep, &e);
		snprintf(label, sizeof label, "late demotion (sample %zu)",
		    samples[k]);
		if (!ok(t != NULL, "%s: loads", label)) {
			printf("# %s\n", e.msg);
			continue;
		}
		is_int((long long)t->nrows, NDEMOTE, label);
		x = t->cols[1];
		ok(x->type == COL_CAT || x->type == COL_TEXT,
		    "%s: x is categorical or text (%s)", label,
		    coltype_name(x->type));
		is_int((long long)rep.demoted, samples[k] < NDEMOTE ? 1 : 0,
		    label);
		for (i = 0; i < NDEMOTE; i++) {
			const char *s = column_str(x, i);

			x_text(i, buf, sizeof buf);
			if (buf[0] == '\0' || strcmp(buf, "NA") == 0) {
				bad += s != NULL;
			} else if (s == NULL || strcmp(s, buf) != 0) {
				if (bad++ == 0)
					printf("# row %zu: got '%s' want "
					    "'%s'\n", i, s ? s : "(null)",
					    buf);
			}
			badid += t->cols[0]->num[i] != (double)(i + 1);
			bady += t->cols[2]->num[i] != (double)i + 0.5;
			snprintf(buf, sizeof buf, "k%zu", i % 3);
			s = column_str(t->cols[3], i);
			badc += s == NULL || strcmp(s, buf) != 0;
		}
		is_int((long long)bad, 0, "x keeps the original text of "
		    "every value (\"1.50\", \"007\", \"3e1\")");
		is_str(column_str(x, 5), "5.50", "x: 5.50 stays 5.50");
		is_str(column_str(x, 4), "004", "x: 004 stays 004");
		is_str(column_str(x, NDEMOTE - 1), "abc", "x: the last value");
		ok(t->cols[0]->type == COL_INT && badid == 0,
		    "%s: id unaffected", label);
		ok(t->cols[2]->type == COL_FLOAT && bady == 0,
		    "%s: y unaffected", label);
		ok(t->cols[3]->type == COL_CAT && badc == 0,
		    "%s: c unaffected", label);
		if (first == NULL)
			first = t;
		else {
			same_tables(first, t, label);
			table_free(t);
		}
	}
	table_free(first);

	/* A late date in an integer column, a late number in a boolean one. */
	o.sample_rows = 2;
	t = load("late2.csv", "a,b,c\n1,true,2024-01-01\n2,false,2024-01-02\n"
	    "3,true,2024-01-03\n2024-01-04,1,x\n", &o, &rep, &e);
	check_col(t, "a", COL_CAT, "1|2|3|2024-01-04", "late date");
	check_col(t, "b", COL_CAT, "true|false|true|1", "late number");
	check_col(t, "c", COL_CAT, "2024-01-01|2024-01-02|2024-01-03|x",
	    "late string");
	is_int((long long)rep.demoted, 3, "three columns demoted");
	table_free(t);
	load_opts_release(&o);
	free(path);
}

/* ---------------------------------------------------- overrides --- */

static void
test_overrides(void)
{
	static const double when[] = { 1704412800, 1704502800 };
	struct load_opts o;
	struct err e;
	struct table *t;

	load_opts_init(&o);
	ok(load_opts_add_type(&o, "code=categorical", &e) == 0 &&
	    load_opts_add_type(&o, "note=text", &e) == 0 &&
	    load_opts_add_type(&o, "amount=float", &e) == 0 &&
	    load_opts_add_type(&o, "flag=boolean", &e) == 0 &&
	    load_opts_add_type(&o, "day=date", &e) == 0 &&
	    load_opts_add_type(&o, "when=datetime", &e) == 0 &&
	    load_opts_add_type(&o, "n=int", &e) == 0,
	    "add_type accepts names and aliases");
	t = load("types-forced.csv",
	    "code,note,amount,flag,day,when,n\n"
	    "007,10,1,true,2024-01-05,2024-01-05,1\n"
	    "1.50,20,2,false,,2024-01-06T01:00:00Z,\n", &o, NULL, &e);
	check_col(t, "code", COL_CAT, "007|1.50",
	    "forced categorical keeps the text");
	check_col(t, "note", COL_TEXT, "10|20", "forced text");
	check_col(t, "amount", COL_FLOAT, "1|2", "forced float");
	check_col(t, "flag", COL_BOOL, "true|false", "forced boolean");
	check_col(t, "day", COL_DATE, "2024-01-05|<NA>", "forced date");
	check_col(t, "when", COL_DATETIME, "2024-01-05T00:00:00Z|"
	    "2024-01-06T01:00:00Z", "forced datetime");
	check_nums(t, "when", when, 2, "forced datetime");
	check_col(t, "n", COL_INT, "1|<NA>", "forced integer");
	table_free(t);
	load_opts_release(&o);

	load_opts_init(&o);
	load_opts_add_type(&o, "b=float", &e);
	expect_fail("forced float on 'abc'", "forced-bad.csv",
	    "a,b\n1,2\n3,4\n5,abc\n6,7\n", &o, ERR_DATA,
	    "forced-bad.csv:4:2:", "'b'", "'abc'", "float", NULL);
	/* Even when the sample sees it first. */
	o.sample_rows = 1;
	expect_fail("forced float on 'abc' past the sample", "forced-bad.csv",
	    "a,b\n1,2\n3,4\n5,abc\n6,7\n", &o, ERR_DATA,
	    "forced-bad.csv:4:2:", "'b'", NULL);
	load_opts_release(&o);

	load_opts_init(&o);
	load_opts_add_type(&o, "b=integer", &e);
	expect_fail("forced integer on 1.5", "forced-int.csv",
	    "a,b\n1,2\n3,1.5\n", &o, ERR_DATA, "forced-int.csv:3:2:",
	    "integer", NULL);
	load_opts_release(&o);

	load_opts_init(&o);
	load_opts_add_type(&o, "a=date", &e);
	expect_fail("forced date on a number", "forced-date.csv",
	    "a\n2024-01-01\n7\n", &o, ERR_DATA, "forced-date.csv:3:1:",
	    "date", NULL);
	load_opts_release(&o);

	load_opts_init(&o);
	load_opts_add_type(&o, "zzz=integer", &e);
	expect_fail("override of a missing column", "forced-none.csv",
	    "a,b\n1,2\n", &o, ERR_USAGE, "zzz", "forced-none.csv", NULL);
	load_opts_release(&o);

	load_opts_init(&o);
	err_clear(&e);
	ok(load_opts_add_type(&o, "nope", &e) == -1 && e.code == ERR_USAGE,
	    "add_type without '=' is an error");
	err_clear(&e);
	ok(load_opts_add_type(&o, "=integer", &e) == -1 && e.code ==
	    ERR_USAGE, "add_type without a column is an error");
	err_clear(&e);
	ok(load_opts_add_type(&o, "x=blob", &e) == -1 && e.code ==
	    ERR_USAGE && strstr(e.msg, "blob") != NULL,
	    "add_type of an unknown type is an error");
	ok(load_opts_add_type(&o, "a=b=text", &e) == 0 &&
	    strcmp(o.types[0].column, "a=b") == 0,
	    "the last '=' separates the type");
	is_int((long long)o.ntypes, 1, "failed specs add nothing");
	load_opts_release(&o);
}

/* ------------------------------------------------------ threads --- */

/*
 * Row i of the big file: a quoted text column with commas, doubled
 * quotes and now and then a newline; numbers with missing values; a
 * category; booleans; dates; and "late", an integer column but for one
 * row near the end.
 */
static void
big_row(size_t i, struct strbuf *sb)
{
	uint64_t r = mix(i);

	strbuf_addf(sb, "%zu,", i + 1);
	if (i % 997 == 5)
		strbuf_addf(sb, "\"row %zu, line one\nline two\",", i);
	else if (i % 1013 == 7)
		strbuf_addf(sb, "\"say \"\"hi\"\", %zu\",", i);
	else
		strbuf_addf(sb, "\"name number %zu, %06llx\",", i,
		    (unsigned long long)(r & 0xffffff));
	if (i % 50 == 3)
		strbuf_addstr(sb, ",");
	else if (i % 50 == 4)
		strbuf_addstr(sb, "NA,");
	else
		strbuf_addf(sb, "%u.%02u,", (unsigned)((r >> 24) % 1000),
		    (unsigned)((r >> 34) % 100));
	strbuf_addf(sb, "%c,%s,2024-%02u-%02u,", "ABCDE"[(r >> 40) % 5],
	    (r >> 44) & 1 ? "true" : "false", (unsigned)((r >> 45) % 12 + 1),
	    (unsigned)((r >> 50) % 28 + 1));
	if (i == BIG_LATE)
		strbuf_addstr(sb, "x\n");
	else
		strbuf_addf(sb, "%u\n", (unsigned)((r >> 55) % 1000));
}

static void
test_threads(void)
{
	static const int threads[] = { 2, 3, 4 };
	struct strbuf sb = STRBUF_INIT, want = STRBUF_INIT, got = STRBUF_INIT;
	struct load_opts o;
	struct load_report rep;
	struct err e;
	struct table *t1, *t;
	char *path;
	size_t i, c, k, bad = 0;

	strbuf_addstr(&sb, "id,name,score,grade,flag,day,late\n");
	for (i = 0; i < BIG_ROWS; i++)
		big_row(i, &sb);
	ok(sb.len > 17u << 20, "big file: %zu bytes, enough for 4 chunks",
	    sb.len);
	path = fixture_n("big.csv", sb.buf, sb.len);
	strbuf_release(&sb);

	load_opts_init(&o);
	o.threads = 1;
	t1 = load_path(path, &o, &rep, &e);
	if (!ok(t1 != NULL, "big file, 1 thread: loads")) {
		printf("# %s\n", e.msg);
		goto out;
	}
	is_int((long long)t1->nrows, BIG_ROWS, "big file: rows");
	is_int((long long)rep.demoted, 1, "big file: late demoted");
	check_names(t1, "id,name,score,grade,flag,day,late", "big: names");
	is_str(coltype_name(t1->cols[0]->type), "integer", "big: id");
	is_str(coltype_name(t1->cols[1]->type), "text", "big: name");
	is_str(coltype_name(t1->cols[2]->type), "float", "big: score");
	is_str(coltype_name(t1->cols[3]->type), "categorical", "big: grade");
	is_str(coltype_name(t1->cols[4]->type), "boolean", "big: flag");
	is_str(coltype_name(t1->cols[5]->type), "date", "big: day");
	is_str(coltype_name(t1->cols[6]->type), "categorical", "big: late");
	/* Every cell against the generator: rebuild each line. */
	for (i = 0; t1->ncols == 7 && i < BIG_ROWS; i++) {
		strbuf_reset(&want);
		big_row(i, &want);
		strbuf_reset(&got);
		for (c = 0; c < t1->ncols; c++) {
			const struct column *col = t1->cols[c];
			const char *s;

			if (c > 0)
				strbuf_addch(&got, ',');
			if (c == 1) {
				strbuf_addch(&got, '"');
				for (s = column_str(col, i); s && *s; s++) {
					if (*s == '"')
						strbuf_addch(&got, '"');
					strbuf_addch(&got, *s);
				}
				strbuf_addch(&got, '"');
			} else if (c == 2 && column_is_missing(col, i))
				strbuf_addstr(&got, i % 50 == 4 ? "NA" : "");
			else if (c == 2)
				strbuf_addf(&got, "%.2f", col->num[i]);
			else
				column_format(col, i, &got);
		}
		strbuf_addch(&got, '\n');
		if (strcmp(got.buf, want.buf) != 0 && bad++ < 3)
			printf("# row %zu:\n#   got  %s#   want %s", i, got.buf,
			    want.buf);
	}
	is_int((long long)bad, 0, "big file: every cell as generated");

	for (k = 0; k < sizeof threads / sizeof threads[0]; k++) {
		char label[64];

		o.threads = threads[k];
		t = load_path(path, &o, &rep, &e);
		snprintf(label, sizeof label, "big file, %d threads",
		    threads[k]);
		if (t == NULL)
			printf("# %s\n", e.msg);
		same_tables(t1, t, label);
		is_int((long long)rep.demoted, 1, label);
		ok(t != NULL && t->cols[3]->dict->n == 5,
		    "%s: no stray categories after the merge", label);
		table_free(t);
	}
	table_free(t1);
out:
	strbuf_release(&want);
	strbuf_release(&got);
	load_opts_release(&o);
	unlink(path);
	free(path);
}

/*
 * The body of record i in the fallback file: twelve lines, each with a
 * carriage return alone between commas (so that a parse started inside
 * the field sees two records on one line), and quotes in the last one.
 */
static void
fb_body(size_t i, struct strbuf *sb)
{
	size_t l;

	for (l = 0; l < 12; l++)
		strbuf_addf(sb, "line %02zu of record %zu, a, b\rc, d, e%s", l,
		    i, l < 11 ? "\n" : " \"quoted\"");
}

/*
 * Records that are mostly one long quoted field of many lines: a chunk
 * boundary (cut at a line end) almost surely falls inside one, so the
 * parse must notice and fall back to one thread.
 */
static void
test_fallback(void)
{
	enum { NREC = 20000 };
	struct strbuf sb = STRBUF_INIT, want = STRBUF_INIT;
	struct load_opts o;
	struct err e;
	struct table *t1, *t;
	size_t *starts = xmalloc(NREC * sizeof *starts);
	size_t i, hdr, cut, body, bad = 0, start;
	const char *nl;
	char *path;
	int aligned = 0;

	strbuf_addstr(&sb, "id,body,v\n");
	hdr = sb.len;
	for (i = 0; i < NREC; i++) {
		starts[i] = sb.len;
		strbuf_addf(&sb, "%zu,\"", i);
		start = sb.len;
		fb_body(i, &sb);
		/* double the quotes of the last line */
		nl = strstr(sb.buf + start, " \"quoted\"");
		sb.len = (size_t)(nl - sb.buf);
		strbuf_addf(&sb, " \"\"quoted\"\"\",%zu.5\n", i);
	}
	/* Where a two-thread parse cuts the body (as parse_all does). */
	body = sb.len - hdr;
	nl = memchr(sb.buf + hdr + body / 2, '\n', body - body / 2);
	cut = nl ? (size_t)(nl - sb.buf) + 1 : sb.len;
	for (i = 0; i < NREC; i++)
		aligned |= starts[i] == cut;
	ok(sb.len > 8u << 20 && !aligned, "fallback fixture: %zu bytes, the "
	    "two-thread cut falls inside a quoted field", sb.len);
	path = fixture_n("fallback.csv", sb.buf, sb.len);
	strbuf_release(&sb);
	free(starts);

	load_opts_init(&o);
	o.threads = 1;
	t1 = load_path(path, &o, NULL, &e);
	if (!ok(t1 != NULL, "fallback, 1 thread: loads")) {
		printf("# %s\n", e.msg);
		goto out;
	}
	is_int((long long)t1->nrows, NREC, "fallback: rows");
	is_str(coltype_name(t1->cols[1]->type), "text", "fallback: body");
	for (i = 0; i < NREC && t1->ncols == 3; i++) {
		const char *got = column_str(t1->cols[1], i);

		strbuf_reset(&want);
		fb_body(i, &want);
		if (got == NULL || strcmp(got, want.buf) != 0 ||
		    t1->cols[0]->num[i] != (double)i ||
		    t1->cols[2]->num[i] != (double)i + 0.5) {
			if (bad++ == 0)
				printf("# record %zu differs\n", i);
		}
	}
	is_int((long long)bad, 0, "fallback: every record as generated");
	o.threads = 2;
	t = load_path(path, &o, NULL, &e);
	if (t == NULL)
		printf("# %s\n", e.msg);
	same_tables(t1, t, "fallback, 2 threads");
	table_free(t);
	o.threads = 16;
	t = load_path(path, &o, NULL, &e);
	same_tables(t1, t, "fallback, 16 threads asked");
	table_free(t);
	table_free(t1);
out:
	strbuf_release(&want);
	load_opts_release(&o);
	unlink(path);
	free(path);
}

/* Errors far into a big file name the right line on every thread count. */
static void
test_late_errors(void)
{
	enum { NREC = 600000, BAD = 450000 };
	static const int threads[] = { 1, 2 };
	struct strbuf sb = STRBUF_INIT;
	struct load_opts o;
	char want[64], label[64];
	size_t i, k, badpos = 0;

	strbuf_addstr(&sb, "a,b,c\n");
	for (i = 0; i < NREC; i++) {
		if (i == BAD) {
			badpos = sb.len;
			strbuf_addstr(&sb, "1,2\n");
		} else
			strbuf_addf(&sb, "%zu,%zu,x\n", i, i * 2);
	}
	ok(sb.len > 8u << 20, "late error fixture: %zu bytes", sb.len);
	load_opts_init(&o);
	snprintf(want, sizeof want, "late.csv:%d:", BAD + 2);
	for (k = 0; k < 2; k++) {
		o.threads = threads[k];
		snprintf(label, sizeof label, "late ragged row, %d threads",
		    threads[k]);
		expect_fail(label, "late.csv", sb.buf, &o, ERR_DATA, want,
		    "too few fields", NULL);
	}

	/* The same row opening a quote that is never closed. */
	memcpy(sb.buf + badpos, "1,\"2", 4);
	snprintf(want, sizeof want, "late.csv:%d:2:", BAD + 2);
	for (k = 0; k < 2; k++) {
		o.threads = threads[k];
		snprintf(label, sizeof label, "late unterminated quote, %d "
		    "threads", threads[k]);
		expect_fail(label, "late.csv", sb.buf, &o, ERR_DATA, want,
		    "unterminated", NULL);
	}
	load_opts_release(&o);
	strbuf_release(&sb);
}

/* ------------------------------------------------------- errors --- */

static void
test_errors(void)
{
	struct load_opts o;
	struct err e;
	struct table *t;
	char *path;

	expect_fail("too few fields", "few.csv", "a,b,c\n1,2,3\n4,5\n7,8,9\n",
	    NULL, ERR_DATA, "few.csv:3:", "too few fields", "expected 3",
	    "found 2", NULL);
	expect_fail("too many fields", "many.csv", "a,b\n1,2\n3,4,5\n", NULL,
	    ERR_DATA, "many.csv:3:3:", "too many fields", "expected 2", NULL);
	expect_fail("unterminated quote", "unterm.csv",
	    "a,b,c\n1,2,3\n4,\"five,6\n7,8,9\n", NULL, ERR_DATA,
	    "unterm.csv:3:", "unterminated", NULL);
	expect_fail("unterminated quote on the last line", "unterm2.csv",
	    "a,b\n1,2\n3,\"4", NULL, ERR_DATA, "unterm2.csv:3:2:",
	    "unterminated", NULL);
	expect_fail("unterminated quote in the header", "unterm3.csv",
	    "a,\"b\n1,2\n3,4\n", NULL, ERR_DATA, "unterm3.csv:1:2:",
	    "unterminated", NULL);
	expect_fail("unterminated quote in the first row, no header",
	    "unterm4.csv", "1,\"2\n3,4\n", NULL, ERR_DATA,
	    "unterm4.csv:1:2:", "unterminated", NULL);
	expect_fail("text after a closing quote", "badq.csv",
	    "a,b\n1,2\n3,\"x\"y\n", NULL, ERR_DATA, "badq.csv:3:2:",
	    "malformed quoting", NULL);
	expect_fail("a quote inside an unquoted field", "badq2.csv",
	    "a,b\n1,2\n3,x\"y\"\n", NULL, ERR_DATA, "badq2.csv:3:2:",
	    "malformed quoting", NULL);
	expect_fail("text after a closing quote on a later line", "badq3.csv",
	    "a,b\n1,\"x\ny\"z\n", NULL, ERR_DATA, "badq3.csv:3:2:",
	    "malformed quoting", NULL);
	expect_fail("invalid UTF-8 in a field", "badutf.csv",
	    "a,b\n1,ok\n2,caf\xe9\n", NULL, ERR_DATA, "badutf.csv:3:2:",
	    "invalid UTF-8", "'b'", "0xe9", NULL);
	load_opts_init(&o);
	o.sample_rows = 1;
	expect_fail("invalid UTF-8 in a column re-read as strings",
	    "badutf2.csv", "a,b\n1,2\n3,4\n\xc3(,3\n", &o, ERR_DATA,
	    "badutf2.csv:4:1:", "invalid UTF-8", "'a'", NULL);
	load_opts_release(&o);
	expect_fail("a surrogate in UTF-8", "badutf3.csv",
	    "a\nx\n\xed\xa0\x80\n", NULL, ERR_DATA, "badutf3.csv:3:1:",
	    "invalid UTF-8", NULL);
	expect_fail("invalid UTF-8 in a header name", "badhdr.csv",
	    "a,b\xff\n1,2\n", NULL, ERR_DATA, "badhdr.csv:1:2:",
	    "invalid UTF-8", NULL);
	expect_fail("duplicate header names", "dup.csv", "a,b,a\n1,2,3\n",
	    NULL, ERR_DATA, "dup.csv:1:3:", "duplicate", "'a'", NULL);
	expect_fail("empty header name", "emptyname.csv", "a,,c\n1,2,3\n",
	    NULL, ERR_DATA, "emptyname.csv:1:2:", "empty column name", NULL);
	expect_fail("empty file", "empty.csv", "", NULL, ERR_DATA,
	    "empty.csv", "empty", NULL);
	expect_fail("blank lines only", "blank.csv", "\n\r\n\n", NULL,
	    ERR_DATA, "blank.csv", "empty", NULL);
	expect_fail("header only", "hdronly.csv", "a,b,c\n", NULL, ERR_DATA,
	    "hdronly.csv", "only a header", NULL);
	expect_fail("header only, no line end", "hdronly2.csv", "a,b,c",
	    NULL, ERR_DATA, "hdronly2.csv", "only a header", NULL);
	expect_fail("header and blank lines", "hdronly3.csv",
	    "a,b,c\r\n\r\n\r\n", NULL, ERR_DATA, "hdronly3.csv",
	    "no data rows", NULL);

	path = xasprintf("%s/no-such-file.csv", tmpdir);
	t = load_path(path, NULL, NULL, &e);
	ok(t == NULL && e.code == ERR_IO, "missing file: ERR_IO");
	msg_has(&e, "no-such-file.csv", "missing file");
	free(path);
	t = load_path(tmpdir, NULL, NULL, &e);
	ok(t == NULL && e.code == ERR_IO, "a directory: ERR_IO");
	msg_has(&e, tmpdir, "a directory");
	msg_has(&e, "directory", "a directory");
}

static void
test_ragged(void)
{
	static const char text[] =
	    "a,b,c\n"
	    "1,x,10\n"
	    "2,y\n"
	    "3,z,30,extra\n"
	    "4,w,40\n";
	struct load_opts o;
	struct load_report rep;
	struct err e;
	struct table *t;

	load_opts_init(&o);
	o.ragged = RAGGED_PAD;
	t = load("pad.csv", text, &o, &rep, &e);
	check_col(t, "a", COL_INT, "1|2|3|4", "pad");
	check_col(t, "b", COL_CAT, "x|y|z|w", "pad");
	check_col(t, "c", COL_INT, "10|<NA>|30|40", "pad");
	is_int((long long)rep.ragged_rows, 2, "pad: two ragged rows");
	table_free(t);

	o.ragged = RAGGED_DROP;
	t = load("drop.csv", text, &o, &rep, &e);
	check_col(t, "a", COL_INT, "1|4", "drop");
	check_col(t, "b", COL_CAT, "x|w", "drop");
	check_col(t, "c", COL_INT, "10|40", "drop");
	is_int((long long)rep.ragged_rows, 2, "drop: two ragged rows");
	table_free(t);

	/* What dropped rows held must not change the kept rows' types. */
	t = load("drop2.csv",
	    "a,b,c\n"
	    "1,x,10\n"
	    "abc,y\n"
	    "3,z,thirty,extra\n"
	    "1.5,v,2024-01-01,extra\n"
	    "4,w,40\n", &o, &rep, &e);
	check_col(t, "a", COL_INT, "1|4", "drop: dropped strings");
	check_col(t, "b", COL_CAT, "x|w", "drop: dropped strings");
	check_col(t, "c", COL_INT, "10|40", "drop: dropped strings");
	is_int((long long)rep.ragged_rows, 3, "drop: three ragged rows");
	table_free(t);
	o.sample_rows = 1;
	t = load("drop2.csv",
	    "a,b,c\n"
	    "1,x,10\n"
	    "abc,y\n"
	    "3,z,thirty,extra\n"
	    "4,w,40\n", &o, &rep, &e);
	check_col(t, "a", COL_INT, "1|4", "drop past the sample");
	check_col(t, "c", COL_INT, "10|40", "drop past the sample");
	table_free(t);
	o.sample_rows = 1000;

	expect_fail("drop: nothing left", "dropall.csv", "a,b\n1\n2,3,4\n",
	    &o, ERR_DATA, "dropall.csv", "no data rows", NULL);

	/* Padding a short row of a demoted column. */
	o.ragged = RAGGED_PAD;
	o.sample_rows = 1;
	t = load("pad2.csv", "a,b\n1,2\n3\nx,4\n", &o, &rep, &e);
	check_col(t, "a", COL_CAT, "1|3|x", "pad: demoted column");
	check_col(t, "b", COL_INT, "2|<NA>|4", "pad: demoted column");
	is_int((long long)rep.ragged_rows, 1, "pad: one ragged row");
	table_free(t);
	load_opts_release(&o);
}

/* A 10 MB field is valid input: one value of exactly that length. */
static void
test_bigfield(void)
{
	enum { LEN = 10 << 20 };
	struct load_opts o;
	struct strbuf sb = STRBUF_INIT;
	struct err e;
	struct table *t;
	char *path, *val = xmalloc(LEN + 1);
	const char *s;
	size_t i, q;

	for (i = 0; i < LEN; i++)
		val[i] = i % 100000 == 99999 ? '\n' : i % 10 == 9 ? ',' :
		    (char)('a' + i % 26);
	val[LEN] = '\0';
	load_opts_init(&o);
	o.threads = 2;

	strbuf_addstr(&sb, "id,big\n1,\"");
	strbuf_add(&sb, val, LEN);
	strbuf_addstr(&sb, "\"\n");
	path = fixture_n("bigfield.csv", sb.buf, sb.len);
	t = load_path(path, &o, NULL, &e);
	if (ok(t != NULL, "10 MB quoted field: loads")) {
		is_int((long long)t->nrows, 1, "10 MB field: one row");
		ok(t->cols[1]->type == COL_CAT || t->cols[1]->type == COL_TEXT,
		    "10 MB field: a string column");
		s = column_str(t->cols[1], 0);
		ok(s != NULL && strlen(s) == LEN && memcmp(s, val, LEN) == 0,
		    "10 MB field: exactly the value");
	} else
		printf("# %s\n", e.msg);
	table_free(t);
	unlink(path);
	free(path);

	/* Unquoted, as the only line after the header, no line end. */
	for (i = 0; i < LEN; i++)
		val[i] = (char)('a' + i % 26);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "big\n");
	strbuf_add(&sb, val, LEN);
	path = fixture_n("bigfield2.csv", sb.buf, sb.len);
	t = load_path(path, &o, NULL, &e);
	if (ok(t != NULL, "10 MB unquoted field: loads")) {
		s = column_str(t->cols[0], 0);
		q = s ? strlen(s) : 0;
		ok(t->nrows == 1 && q == LEN && memcmp(s, val, LEN) == 0,
		    "10 MB unquoted field: exactly the value");
	} else
		printf("# %s\n", e.msg);
	table_free(t);
	unlink(path);
	free(path);

	/*
	 * One field spanning both chunks of a two-thread parse, its lines
	 * holding carriage returns between commas: the second chunk, read
	 * from inside the quotes, sees two records a line until the end.
	 */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "id,big,v\n0,x,1\n1,\"");
	q = sb.len;
	for (i = 0; i < 600000; i++)
		strbuf_addstr(&sb, &"\na, b, c\rd, e, f"[i == 0]);
	q = sb.len - q;
	strbuf_addstr(&sb, "\",2\n2,y,3\n");
	path = fixture_n("bigcr.csv", sb.buf, sb.len);
	t = load_path(path, &o, NULL, &e);
	if (ok(t != NULL, "9 MB quoted field of CR lines: loads")) {
		s = column_str(t->cols[1], 1);
		ok(t->nrows == 3 && s != NULL && strlen(s) == q &&
		    strncmp(s, "a, b, c\rd, e, f\na, b", 20) == 0,
		    "9 MB quoted field of CR lines: exactly the value");
		check_nums(t, "v", (const double[]){ 1, 2, 3 }, 3,
		    "9 MB quoted field of CR lines");
	} else
		printf("# %s\n", e.msg);
	table_free(t);
	unlink(path);
	free(path);
	strbuf_release(&sb);
	load_opts_release(&o);
	free(val);
}

/*
 * The plain-line shortcut must give exactly what libcsv gives: the same
 * file loaded both ways, with every kind of line that takes the shortcut
 * or must not (quotes, CR, blanks around fields, blank lines, TAB as the
 * delimiter, empty fields, a last line without a line end).
 */
static void
test_plain_lines(void)
{
	static const struct {
		const char *name, *text;
	} cases[] = {
		{ "plain-comma.csv",
		  "a,b,c,d\n"
		  "1,x,2.5,\n"
		  "  2 ,\ty\t, 3.5 ,z\n"
		  "   \n"
		  "\t\n"
		  "\n"
		  "3,\"q,uoted\",4.5,w\n"
		  "4,  \"sp\"  ,5.5,v\r\n"
		  ",,,\n"
		  " , , , \n"
		  "5,a b,6,u u\r\n"
		  "6,last,7,t" },
		{ "plain-tab.tsv",
		  "a\tb\tc\n"
		  "1\t x \t2\n"
		  " 2\t\t3 \n"
		  "3\t\"q\tq\"\t4\n"
		  "\t\t\n"
		  "4\ty y\t5\r\n" },
		{ "plain-semi.csv",
		  "a;b\n1;2\n 3 ; 4 \n5;\"6;7\"\n" },
		/* quoted fields: the simple ones take the shortcut, the
		 * rest go to libcsv; the result must not differ */
		{ "quoted.csv",
		  "a,b,c\n"
		  "\"x, y\",2,\"z\"\n"
		  "\"\",\"\",\"\"\n"
		  "\" lead\",\"trail \",\"  \"\n"
		  "\"a\"\"b\",3,4\n"
		  "5,\"multi\nline\",6\n"
		  "7,  \"sp\",8\n"
		  "9,\"sp\"  ,10\n"
		  "\"q\",\"r\",11\r\n"
		  "12,\"last\",\"end\"" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct load_opts fast, slow;
		struct table *a, *b;
		struct err e;

		load_opts_init(&fast);
		load_opts_init(&slow);
		slow.libcsv_only = 1;
		a = load(cases[i].name, cases[i].text, &fast, NULL, &e);
		b = load(cases[i].name, cases[i].text, &slow, NULL, &e);
		if (ok(a != NULL && b != NULL, "%s: loads both ways",
		    cases[i].name))
			same_tables(b, a, cases[i].name);
		table_free(a);
		table_free(b);
		load_opts_release(&fast);
		load_opts_release(&slow);
	}
}

/*
 * Columns in o.skip are not parsed: they load as all-missing text (so a
 * bad value there, even invalid UTF-8, is no error), the rest as usual.
 */
static void
test_skip(void)
{
	static char note[] = "note", absent[] = "absent";
	char *const skip[] = { note, absent };
	struct load_opts o;
	struct table *t;
	struct err e;

	load_opts_init(&o);
	o.skip = skip;
	o.nskip = 2;
	t = load("skip.csv", "a,note,b\n1,\"x, y\",2\n3,caf\xe9,4\n5,,6\n",
	    &o, NULL, &e);
	if (ok(t != NULL, "skip: loads despite invalid UTF-8 in the skipped "
	    "column")) {
		check_col(t, "note", COL_TEXT, "<NA>|<NA>|<NA>", "skip");
		check_col(t, "a", COL_INT, "1|3|5", "skip");
		check_col(t, "b", COL_INT, "2|4|6", "skip");
	}
	table_free(t);
	load_opts_release(&o);
}

int
main(void)
{
	const char *base = getenv("LATHE_TMP");

	if (base == NULL || *base == '\0')
		base = "/tmp";
	mkdir(base, 0777);
	tmpdir = xasprintf("%s/t-csvload.XXXXXX", base);
	if (mkdtemp(tmpdir) == NULL) {
		ok(0, "mkdtemp in %s", base);
		free(tmpdir);
		return tap_done();
	}
	test_types();
	test_text();
	test_missing();
	test_rfc4180();
	test_delims();
	test_header();
	test_demotion();
	test_overrides();
	test_errors();
	test_ragged();
	test_late_errors();
	test_bigfield();
	test_plain_lines();
	test_skip();
	test_threads();
	test_fallback();
	ok(nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) == 0,
	    "remove the temporary directory");
	free(tmpdir);
	return tap_done();
}

/*
 * csvload.c - loading CSV files into a table, through libcsv.
 *
 * The file is mapped (standard input is first spooled to an unlinked
 * temporary file), so no copy of it is ever made in memory.  Loading is:
 *
 *   1. sniff: skip a UTF-8 BOM, detect the delimiter and the header row;
 *   2. sample: the first sample_rows records seed each column's storage
 *      (numbers, booleans, dates and times in doubles; strings as codes);
 *   3. parse: the data is cut at line ends into one chunk per thread; each
 *      thread runs its own libcsv parser and writes its rows straight into
 *      the shared column arrays at an offset given by the line counts of
 *      the chunks before it.  A chunk that turns out to have started
 *      inside a quoted field (its predecessor ends mid-field) makes the
 *      whole parse rerun on one thread;
 *   4. confirm: what each column really held decides its type; a column
 *      whose storage guess was wrong (a late non-number in a numeric
 *      column) is read again, alone, as strings, so nothing is corrupted.
 *
 * Records are fed to libcsv one line at a time so that every message can
 * name the line a record starts on.  A line that holds no quote and no
 * stray carriage return, met between records, is split directly instead
 * (plain_line(): the same fields libcsv would give, at half the cost);
 * quoting, escapes and records spanning lines are libcsv's.  Leaves
 * statistics to stats.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include "core/cpu.h"
#include "core/infer.h"
#include "core/load.h"
#include "core/numparse.h"
#include "core/xmalloc.h"

/* libcsv's parser states between calls (csv.c: ROW_NOT_BEGUN,
 * FIELD_BEGUN; with p->quoted, inside a quoted field). */
#define CSVSTATE_ROW_NOT_BEGUN 0
#define CSVSTATE_FIELD_BEGUN 2

#define SNIFF_BYTES	(256 * 1024)
#define SNIFF_LINES	50
#define MIN_CHUNK	(4u << 20)
#define MAX_THREADS	16

/* How a column is stored while parsing. */
enum store {
	ST_NUM,		/* doubles: numbers, booleans, dates, datetimes */
	ST_STR,		/* int32 codes into a dictionary */
};

struct srcmap {
	const char	*name;		/* for messages */
	const char	*data;		/* mapped file */
	size_t		 size;
	int		 fd;
};

/* Shared, read-only during the parse. */
struct plan {
	const struct load_opts *opts;
	const char	*name;
	size_t		 ncols;
	char		**colnames;
	enum store	*store;		/* per column */
	int		*forced;	/* per column: -1 or an enum coltype */
	double		**num;		/* per column, ST_NUM */
	int32_t		**codes;	/* per column, ST_STR */
	unsigned char	*only;		/* rescan: columns to collect, or NULL */
	int		 delim;
	unsigned char	 na_first[256];	/* first bytes of missing tokens */
	size_t		 na_maxlen;
};

/* One thread's part of the parse. */
struct chunk {
	const struct plan *plan;
	const char	*begin, *end;
	size_t		 line0;		/* line number of begin (1-based) */
	size_t		 row0;		/* first row slot */
	size_t		 nlines;	/* newlines in the chunk */
	size_t		 nrows;		/* records stored */
	size_t		 nrec;		/* records ended, dropped ones too */
	size_t		 ragged;
	size_t		 bad_values;	/* made missing (LOAD_BAD_NULL) */
	size_t		 bad_rows;	/* dropped (LOAD_BAD_SKIP) */
	int		 bad_drop;	/* the record is dropped for a bad value */
	size_t		 field;		/* field index in the current record */
	size_t		 line;		/* line being fed */
	size_t		 recline;	/* line the current record starts on */
	int		 dropping;	/* current record is being dropped */
	unsigned	*seen;		/* per column: FK_* bits */
	unsigned	*recseen;	/* --ragged=drop: the current record's
					 * kinds, kept only if it is */
	unsigned char	*demoted;	/* per column */
	unsigned char	*fast;		/* per column: numbers, not forced,
					 * collected, not demoted */
	struct dict	**dicts;	/* per column (ST_STR) */
	int		 failed;
	int		 clean_end;	/* parser idle at the end of the chunk */
	struct err	 err;
};

static const char *const default_na[] = { "NA", "N/A", "NaN", "null", "?" };

void
load_opts_init(struct load_opts *o)
{
	size_t i;

	memset(o, 0, sizeof *o);
	o->header = -1;
	o->sample_rows = 1000;
	o->nna = sizeof default_na / sizeof default_na[0];
	o->na = xmalloc(o->nna * sizeof *o->na);
	for (i = 0; i < o->nna; i++)
		o->na[i] = xstrdup(default_na[i]);
}

void
load_opts_release(struct load_opts *o)
{
	size_t i;

	for (i = 0; i < o->nna; i++)
		free(o->na[i]);
	free(o->na);
	for (i = 0; i < o->ntypes; i++)
		free(o->types[i].column);
	free(o->types);
	o->na = NULL;
	o->types = NULL;
	o->nna = o->ntypes = 0;
}

void
load_opts_set_na(struct load_opts *o, const char *list)
{
	const char *p = list, *q;
	size_t i;

	for (i = 0; i < o->nna; i++)
		free(o->na[i]);
	free(o->na);
	o->na = NULL;
	o->nna = 0;
	while (*p != '\0') {
		q = strchr(p, ',');
		if (q == NULL)
			q = p + strlen(p);
		if (q > p) {
			o->na = xreallocarray(o->na, o->nna + 1,
			    sizeof *o->na);
			o->na[o->nna++] = xstrndup(p, (size_t)(q - p));
		}
		p = *q ? q + 1 : q;
	}
}

int
load_opts_add_type(struct load_opts *o, const char *spec, struct err *e)
{
	const char *eq = strrchr(spec, '=');
	enum coltype t;

	if (eq == NULL || eq == spec)
		return err_set(e, ERR_USAGE,
		    "bad --type '%s': expected COLUMN=TYPE", spec);
	if (coltype_parse(eq + 1, &t) != 0)
		return err_set(e, ERR_USAGE, "bad --type '%s': unknown type "
		    "'%s' (integer, float, boolean, categorical, text, date, "
		    "datetime)", spec, eq + 1);
	o->types = xreallocarray(o->types, o->ntypes + 1, sizeof *o->types);
	o->types[o->ntypes].column = xstrndup(spec, (size_t)(eq - spec));
	o->types[o->ntypes].type = t;
	o->ntypes++;
	return 0;
}

int
load_is_na(const struct load_opts *o, const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 1;
	for (i = 0; i < o->nna; i++)
		if (strlen(o->na[i]) == n && memcmp(o->na[i], s, n) == 0)
			return 1;
	return 0;
}

/*
 * libcsv grows its field buffer by a fixed block (128 bytes), through the
 * realloc function it is given.  Growing geometrically underneath keeps
 * one very long field (a 10 MB text cell) linear instead of quadratic.
 * The capacity lives in a header before the buffer.
 */
#define GEO_HDR 16

static void *
geo_realloc(void *p, size_t n)
{
	size_t *h = p ? (size_t *)(void *)((char *)p - GEO_HDR) : NULL;
	size_t cap;

	if (h != NULL && n <= h[0])
		return p;
	cap = h ? h[0] * 2 : 256;
	if (cap < n)
		cap = n;
	h = realloc(h, cap + GEO_HDR);
	if (h == NULL)
		return NULL;
	h[0] = cap;
	return (char *)h + GEO_HDR;
}

static void
geo_free(void *p)
{
	if (p != NULL)
		free((char *)p - GEO_HDR);
}

static void
parser_init(struct csv_parser *cp, unsigned char opts, int delim)
{
	csv_init(cp, opts);
	csv_set_realloc_func(cp, geo_realloc);
	csv_set_free_func(cp, geo_free);
	csv_set_delim(cp, (unsigned char)delim);
}

/* ------------------------------------------------------- sources --- */

static void
srcmap_close(struct srcmap *m)
{
	if (m->data != NULL && m->size > 0)
		munmap((void *)m->data, m->size);
	if (m->fd >= 0)
		close(m->fd);
	m->data = NULL;
	m->fd = -1;
}

/* Copy standard input into an unlinked temporary file. */
static int
spool_stdin(struct err *e)
{
	char path[] = "/tmp/lathe-stdin-XXXXXX";
	const char *dir = getenv("TMPDIR");
	char *tpl;
	char buf[1 << 16];
	ssize_t n;
	int fd;

	tpl = xasprintf("%s/lathe-stdin-XXXXXX",
	    dir && *dir ? dir : "/tmp");
	fd = mkstemp(tpl);
	if (fd < 0) {
		fd = mkstemp(path);
		if (fd < 0) {
			free(tpl);
			return err_set(e, ERR_IO, "cannot spool standard "
			    "input: %s", strerror(errno));
		}
		unlink(path);
	} else
		unlink(tpl);
	free(tpl);
	for (;;) {
		n = read(STDIN_FILENO, buf, sizeof buf);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return err_set(e, ERR_IO, "cannot read standard input: "
			    "%s", strerror(errno));
		}
		if (write(fd, buf, (size_t)n) != n) {
			close(fd);
			return err_set(e, ERR_IO, "cannot spool standard "
			    "input: %s", strerror(errno));
		}
	}
	return fd;
}

static int
srcmap_open(struct srcmap *m, const char *path, struct err *e)
{
	struct stat st;

	memset(m, 0, sizeof *m);
	m->fd = -1;
	if (strcmp(path, "-") == 0) {
		m->name = "<stdin>";
		m->fd = spool_stdin(e);
		if (m->fd < 0)
			return -1;
	} else {
		m->name = path;
		m->fd = open(path, O_RDONLY);
		if (m->fd < 0)
			return err_set(e, ERR_IO, "cannot open '%s': %s", path,
			    strerror(errno));
	}
	if (fstat(m->fd, &st) != 0) {
		err_set(e, ERR_IO, "cannot stat '%s': %s", m->name,
		    strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		err_set(e, ERR_IO, "cannot read '%s': is a directory",
		    m->name);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		/* A fifo or device given by name: spool it like stdin. */
		int fd;

		if (dup2(m->fd, STDIN_FILENO) < 0 ||
		    (fd = spool_stdin(e)) < 0) {
			if (e->code == ERR_OK)
				err_set(e, ERR_IO, "cannot read '%s'", m->name);
			goto fail;
		}
		close(m->fd);
		m->fd = fd;
		if (fstat(m->fd, &st) != 0)
			goto fail;
	}
	m->size = (size_t)st.st_size;
	if (m->size == 0)
		return 0;
	m->data = mmap(NULL, m->size, PROT_READ, MAP_PRIVATE, m->fd, 0);
	if (m->data == MAP_FAILED) {
		m->data = NULL;
		err_set(e, ERR_IO, "cannot map '%s': %s", m->name,
		    strerror(errno));
		goto fail;
	}
	madvise((void *)m->data, m->size, MADV_SEQUENTIAL);
	return 0;
fail:
	srcmap_close(m);
	return -1;
}

/* ----------------------------------------------------- classify --- */

static inline int
plan_is_na(const struct plan *p, const char *s, size_t n)
{
	if (n == 0)
		return 1;
	if (!p->na_first[(unsigned char)s[0]] || n > p->na_maxlen)
		return 0;
	return load_is_na(p->opts, s, n);
}

static int
check_utf8(struct chunk *ck, size_t col, const char *s, size_t n)
{
	long bad = infer_utf8_bad((const unsigned char *)s, n);

	if (bad < 0)
		return 0;
	err_set(&ck->err, ERR_DATA, "%s:%zu:%zu: invalid UTF-8 in field %zu "
	    "('%s'): byte 0x%02x at offset %ld of the field", ck->plan->name,
	    ck->recline, col + 1, col + 1, ck->plan->colnames[col],
	    (unsigned char)s[bad], bad);
	ck->failed = 1;
	return -1;
}

/* --------------------------------------------------- the parse --- */

static void
store_missing(struct chunk *ck, size_t col, size_t row)
{
	const struct plan *p = ck->plan;

	if (p->store[col] == ST_NUM) {
		if (p->num[col])
			p->num[col][row] = NAN;
	} else if (p->codes[col])
		p->codes[col][row] = -1;
}

/* Does a field fit the type --type forces on its column? */
static int
forced_fits(const struct plan *p, int fc, const char *s, size_t n)
{
	enum fkind k;
	double v;

	if (plan_is_na(p, s, n))
		return 1;
	k = infer_classify(s, n, &v);
	switch (fc) {
	case COL_INT:
		return k == FK_INT;
	case COL_FLOAT:
		return k == FK_INT || k == FK_FLOAT;
	case COL_BOOL:
		return k == FK_BOOL;
	case COL_DATE:
		return k == FK_DATE;
	case COL_DATETIME:
		return k == FK_DATE || k == FK_DATETIME;
	default:
		return 1;
	}
}

static void
field_cb(void *data, size_t n, void *arg)
{
	struct chunk *ck = arg;
	const struct plan *p = ck->plan;
	const char *s = data ? data : "";
	size_t col = ck->field++, row;
	unsigned *sn = ck->recseen ? ck->recseen : ck->seen;
	enum fkind k;
	double v;
	int is_int;

	/* The hot path: a plain number in a plain numeric column. */
	if (col < p->ncols && ck->fast[col] && !ck->dropping &&
	    ck->nrec <= ck->line - ck->line0 && !ck->failed &&
	    !plan_is_na(p, s, n) && numparse(s, n, &v, &is_int)) {
		sn[col] |= is_int ? FK_INT : FK_FLOAT;
		p->num[col][ck->row0 + ck->nrows] = v;
		return;
	}
	if (ck->failed)
		return;
	/*
	 * Rows have slots for the '\n' line ends only, and no line end can
	 * close two records: a record already ended on this line was ended
	 * by a carriage return alone (which libcsv takes as a line end).
	 */
	if (ck->nrec > ck->line - ck->line0) {
		err_set(&ck->err, ERR_DATA, "%s:%zu: carriage return without "
		    "a line feed outside quotes (line ends must be LF or "
		    "CRLF)", p->name, ck->line);
		ck->failed = 1;
		return;
	}
	if (ck->dropping)
		return;
	if (col >= p->ncols) {
		if (p->opts->ragged == RAGGED_ERROR) {
			err_set(&ck->err, ERR_DATA, "%s:%zu:%zu: too many "
			    "fields: expected %zu (use --ragged=pad or "
			    "--ragged=drop to accept such rows)", p->name,
			    ck->recline, col + 1, p->ncols);
			ck->failed = 1;
		} else if (p->opts->ragged == RAGGED_DROP)
			ck->dropping = 1;
		return;
	}
	if (p->only != NULL && !p->only[col]) {
		/* A re-read must drop the rows the first read dropped. */
		if (p->opts->on_bad == LOAD_BAD_SKIP && p->forced[col] >= 0 &&
		    !forced_fits(p, p->forced[col], s, n)) {
			ck->dropping = 1;
			ck->bad_drop = 1;
		}
		return;
	}
	row = ck->row0 + ck->nrows;
	if (ck->demoted[col])
		return;
	if (p->store[col] == ST_NUM) {
		double *dst = p->num[col];

		/* A missing token may look like a number ("-999"). */
		if (plan_is_na(p, s, n)) {
			dst[row] = NAN;
			return;
		}
		/* The hot path: a plain number in a numeric column. */
		if (numparse(s, n, &v, &is_int)) {
			sn[col] |= is_int ? FK_INT : FK_FLOAT;
			if ((p->forced[col] == COL_INT && !is_int) ||
			    p->forced[col] == COL_BOOL ||
			    p->forced[col] == COL_DATE ||
			    p->forced[col] == COL_DATETIME)
				goto forced_bad;
			dst[row] = v;
			return;
		}
		k = infer_classify(s, n, &v);
		if (p->forced[col] >= 0) {
			int fc = p->forced[col];

			if ((fc == COL_BOOL && k == FK_BOOL) ||
			    (fc == COL_DATE && k == FK_DATE) ||
			    (fc == COL_DATETIME && (k == FK_DATE ||
			    k == FK_DATETIME))) {
				sn[col] |= k;
				dst[row] = k == FK_DATE ? v * 86400.0 : v;
				return;
			}
			goto forced_bad;
		}
		sn[col] |= k;
		if (k & ~(unsigned)(FK_INT | FK_FLOAT))
			ck->fast[col] = 0;	/* numbers must be checked now */
		if (!infer_kinds_numeric(ck->seen[col] | sn[col])) {
			/* (a record that may be dropped: see record_cb) */
			if (sn == ck->seen)
				ck->demoted[col] = 1;
			return;
		}
		/* Dates are kept in seconds until the end. */
		dst[row] = k == FK_DATE ? v * 86400.0 : v;
		return;
	}
	/* ST_STR */
	if (plan_is_na(p, s, n)) {
		p->codes[col][row] = -1;
		return;
	}
	if (check_utf8(ck, col, s, n) != 0)
		return;
	sn[col] |= FK_STRING;
	p->codes[col][row] = dict_intern(ck->dicts[col], s, n);
	return;
forced_bad:
	if (p->opts->on_bad == LOAD_BAD_NULL) {
		p->num[col][row] = NAN;
		ck->bad_values++;
		return;
	}
	if (p->opts->on_bad == LOAD_BAD_SKIP) {
		ck->dropping = 1;
		ck->bad_drop = 1;
		return;
	}
	err_set(&ck->err, ERR_DATA, "%s:%zu:%zu: field %zu ('%s') is '%.*s', "
	    "not a %s value as --type requires", p->name, ck->recline,
	    col + 1, col + 1, p->colnames[col], (int)(n > 40 ? 40 : n), s,
	    coltype_name((enum coltype)p->forced[col]));
	ck->failed = 1;
}

static void
record_cb(int c, void *arg)
{
	struct chunk *ck = arg;
	const struct plan *p = ck->plan;
	size_t col, row = ck->row0 + ck->nrows;

	(void)c;
	if (ck->failed)
		return;
	ck->nrec++;
	if (ck->dropping) {
		if (ck->bad_drop)
			ck->bad_rows++;
		else
			ck->ragged++;
		ck->bad_drop = 0;
		goto next;
	}
	if (ck->field < p->ncols) {
		switch (p->opts->ragged) {
		case RAGGED_ERROR:
			err_set(&ck->err, ERR_DATA, "%s:%zu: too few fields: "
			    "expected %zu, found %zu (use --ragged=pad or "
			    "--ragged=drop to accept such rows)", p->name,
			    ck->recline, p->ncols, ck->field);
			ck->failed = 1;
			return;
		case RAGGED_DROP:
			ck->ragged++;
			goto next;
		case RAGGED_PAD:
			for (col = ck->field; col < p->ncols; col++)
				if (p->only == NULL || p->only[col])
					store_missing(ck, col, row);
			ck->ragged++;
			break;
		}
	} else if (ck->field > p->ncols)
		ck->ragged++;
	ck->nrows++;
	/* A record kept under --ragged=drop: now its kinds count. */
	for (col = 0; ck->recseen != NULL && col < p->ncols; col++) {
		ck->seen[col] |= ck->recseen[col];
		if (p->store[col] == ST_NUM && p->forced[col] < 0 &&
		    !infer_kinds_numeric(ck->seen[col]))
			ck->demoted[col] = 1;
	}
next:
	if (ck->recseen != NULL)
		memset(ck->recseen, 0, p->ncols * sizeof *ck->recseen);
	ck->field = 0;
	ck->dropping = 0;
}

static inline int
is_blank(int c, int delim)
{
	return (c == ' ' || c == '\t') && c != delim;
}

/*
 * Whether every quote of [s, e) belongs to a simple quoted field: a
 * field that starts (at the line start or right after a delimiter, no
 * blank before it) with a quote, holds no quote, and whose closing quote
 * is followed by the delimiter or the line end.  libcsv gives such a
 * field's text between the quotes, as it is.
 */
static int
simple_quotes(const char *s, const char *e, int delim)
{
	const char *f = s, *q;

	for (;;) {
		if (f < e && *f == '"') {
			q = memchr(f + 1, '"', (size_t)(e - f - 1));
			if (q == NULL || (q + 1 < e && q[1] != delim))
				return 0;
			f = q + 1;
		} else {
			for (q = f; q < e && *q != delim; q++)
				if (*q == '"')
					return 0;
			f = q;
		}
		if (f >= e)
			return 1;
		f++;			/* past the delimiter */
	}
}

/*
 * The plain-line shortcut.  A line with no carriage return (but a final
 * CRLF) whose quotes, if any, all make simple quoted fields
 * (simple_quotes), met between records, can only mean one thing to
 * libcsv: fields split at the delimiter, each stripped of the spaces and
 * tabs around it (a quoted field: its text between the quotes, as it
 * is), a line of blanks being no record at all.  Such lines,
 * nearly all of a numeric file, are split here directly, with exactly
 * libcsv's result (t-csvload compares the two on every kind of line),
 * which halves the cost of a load; everything else goes through libcsv.
 * Returns 0, having done nothing, when the line is not plain.
 */
static int
plain_line(struct chunk *ck, const char *s, size_t n)
{
	const char *e, *f, *fe;
	int delim = ck->plan->delim, quoted;

	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (memchr(s, '\r', n) != NULL)
		return 0;
	e = s + n;
	quoted = memchr(s, '"', n) != NULL;
	if (quoted && !simple_quotes(s, e, delim))
		return 0;
	for (f = s; f < e && is_blank((unsigned char)*f, delim); f++)
		;
	if (f == e)
		return 1;		/* a blank line: libcsv skips it */
	for (;;) {
		if (quoted && *f == '"') {
			/* simple_quotes() checked: "text" then delim/end */
			fe = memchr(f + 1, '"', (size_t)(e - f - 1));
			field_cb((void *)(uintptr_t)(f + 1),
			    (size_t)(fe - f - 1), ck);
			fe++;
		} else {
			while (f < e && is_blank((unsigned char)*f, delim))
				f++;
			for (fe = f; fe < e && *fe != delim; fe++)
				;
			{
				const char *t = fe;

				while (t > f && is_blank((unsigned char)t[-1],
				    delim))
					t--;
				field_cb((void *)(uintptr_t)f, (size_t)(t - f),
				    ck);
			}
		}
		if (fe == e)
			break;
		f = fe + 1;
	}
	record_cb('\n', ck);
	return 1;
}

/*
 * Feed [begin, end) to a fresh parser one line at a time.  The last chunk
 * of the file also runs csv_fini: a final record without a line end, or a
 * quoted field still open at the end of the file.
 */
static void
chunk_parse(struct chunk *ck, int last)
{
	struct csv_parser cp;
	const char *s = ck->begin, *nl;
	size_t len;

	parser_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL,
	    ck->plan->delim);
	ck->line = ck->line0;
	ck->recline = ck->line0;
	while (s < ck->end && !ck->failed) {
		nl = memchr(s, '\n', (size_t)(ck->end - s));
		len = nl ? (size_t)(nl - s) + 1 : (size_t)(ck->end - s);
		if (cp.pstate == CSVSTATE_ROW_NOT_BEGUN) {
			ck->recline = ck->line;
			if (nl != NULL && !ck->plan->opts->libcsv_only &&
			    plain_line(ck, s, (size_t)(nl - s))) {
				s += len;
				ck->line++;
				continue;
			}
		}
		if (csv_parse(&cp, s, len, field_cb, record_cb, ck) != len) {
			if (!ck->failed) {
				err_set(&ck->err, ERR_DATA, "%s:%zu:%zu: "
				    "malformed quoting in field %zu (a quote "
				    "inside an unquoted field, or text after "
				    "a closing quote)", ck->plan->name,
				    ck->line, ck->field + 1, ck->field + 1);
				ck->failed = 1;
			}
			break;
		}
		s += len;
		if (nl)
			ck->line++;
	}
	ck->clean_end = cp.pstate == CSVSTATE_ROW_NOT_BEGUN;
	if (last && !ck->failed) {
		if (csv_fini(&cp, field_cb, record_cb, ck) != 0) {
			if (!ck->failed)
				err_set(&ck->err, ERR_DATA, "%s:%zu:%zu: "
				    "unterminated quoted field: field %zu "
				    "opens a quote that is never closed",
				    ck->plan->name, ck->recline,
				    ck->field + 1, ck->field + 1);
			ck->failed = 1;
		}
		ck->clean_end = 1;
	}
	csv_free(&cp);
}

struct chunk_job {
	struct chunk	*ck;
	int		 last;
};

static void *
chunk_thread(void *arg)
{
	struct chunk_job *j = arg;

	chunk_parse(j->ck, j->last);
	return NULL;
}

/* ------------------------------------------------------- sniffing --- */

/* Records read whole, for the header and the sample. */
struct peek {
	const struct load_opts *opts;
	size_t		 max;		/* records wanted */
	size_t		 nrec;
	size_t		 field;
	size_t		 ncols;		/* fields of record 0 */
	/* record 0 and 1 kept as strings */
	char		**rec[2];
	size_t		 nf[2];
	/* per column kinds seen in records [from, max) */
	size_t		 from;
	unsigned	*seen;
	size_t		 nseen;
	unsigned	*recseen;	/* --ragged=drop: the current record's */
	size_t		 open_field;	/* 1-based field whose quote the end
					 * of the file left open, or 0 */
};

static void
peek_field(void *data, size_t n, void *arg)
{
	struct peek *pk = arg;
	const char *s = data ? data : "";
	double v;

	if (pk->nrec >= pk->max)
		return;
	if (pk->nrec < 2) {
		size_t r = pk->nrec;

		pk->rec[r] = xreallocarray(pk->rec[r], pk->nf[r] + 1,
		    sizeof *pk->rec[r]);
		pk->rec[r][pk->nf[r]++] = xstrndup(s, n);
	}
	if (pk->nrec >= pk->from && pk->field < pk->nseen &&
	    !load_is_na(pk->opts, s, n))
		(pk->recseen ? pk->recseen : pk->seen)[pk->field] |=
		    infer_classify(s, n, &v);
	pk->field++;
}

static void
peek_record(int c, void *arg)
{
	struct peek *pk = arg;

	(void)c;
	/* Under --ragged=drop only records that will be kept count. */
	if (pk->recseen != NULL) {
		size_t i;

		for (i = 0; pk->field == pk->nseen && i < pk->nseen; i++)
			pk->seen[i] |= pk->recseen[i];
		memset(pk->recseen, 0, pk->nseen * sizeof *pk->recseen);
	}
	pk->nrec++;
	pk->field = 0;
}

/*
 * Parse records from data[0..size) until pk->max are complete; returns
 * the offset just past the last complete one (its line end included).
 */
static size_t
peek_run(struct peek *pk, const char *data, size_t size, int delim)
{
	struct csv_parser cp;
	size_t pos = 0, after = 0, len;
	const char *nl;

	parser_init(&cp, CSV_APPEND_NULL, delim);
	while (pos < size && pk->nrec < pk->max) {
		nl = memchr(data + pos, '\n', size - pos);
		len = nl ? (size_t)(nl - (data + pos)) + 1 : size - pos;
		csv_parse(&cp, data + pos, len, peek_field, peek_record, pk);
		pos += len;
		if (cp.pstate == CSVSTATE_ROW_NOT_BEGUN)
			after = pos;
	}
	if (pos >= size && pk->nrec < pk->max) {
		if (cp.pstate == CSVSTATE_FIELD_BEGUN && cp.quoted)
			pk->open_field = pk->field + 1;
		csv_fini(&cp, peek_field, peek_record, pk);
		after = size;
	}
	csv_free(&cp);
	return after;
}

static void
peek_release(struct peek *pk)
{
	size_t r, i;

	for (r = 0; r < 2; r++) {
		for (i = 0; i < pk->nf[r]; i++)
			free(pk->rec[r][i]);
		free(pk->rec[r]);
	}
	free(pk->seen);
	free(pk->recseen);
}

/* Pick the delimiter that splits the first lines most consistently. */
static int
sniff_delim(const char *data, size_t size)
{
	static const char cand[] = { ',', ';', '\t', '|' };
	size_t counts[4][SNIFF_LINES];
	size_t nlines = 0, i, k, lim = size < SNIFF_BYTES ? size : SNIFF_BYTES;
	int inq = 0, best = ',';
	size_t best_score = 0;

	memset(counts, 0, sizeof counts);
	for (i = 0; i < lim && nlines < SNIFF_LINES; i++) {
		char c = data[i];

		if (c == '"')
			inq = !inq;
		else if (c == '\n' && !inq)
			nlines++;
		else if (!inq)
			for (k = 0; k < 4; k++)
				if (c == cand[k])
					counts[k][nlines]++;
	}
	if (i == lim && nlines < SNIFF_LINES && lim > 0 &&
	    data[lim - 1] != '\n')
		nlines++;	/* a last line without '\n' */
	if (nlines > SNIFF_LINES)
		nlines = SNIFF_LINES;
	for (k = 0; k < 4; k++) {
		size_t agree = 0, l;

		if (nlines == 0 || counts[k][0] == 0)
			continue;
		for (l = 0; l < nlines; l++)
			if (counts[k][l] == counts[k][0])
				agree++;
		/* Consistency first, then more fields. */
		if (agree * 1000 + counts[k][0] > best_score) {
			best_score = agree * 1000 + counts[k][0];
			best = cand[k];
		}
	}
	return best;
}

static int
looks_like_value(const char *s)
{
	double v;
	int is_int;
	size_t n = strlen(s);

	return numparse(s, n, &v, &is_int) ||
	    (n >= 10 && s[4] == '-' && dateparse(s, n, &v) != 0);
}

/* ------------------------------------------------------ the load --- */

static size_t
count_lines(const char *b, const char *e)
{
	size_t n = 0;

	while (b < e && (b = memchr(b, '\n', (size_t)(e - b))) != NULL) {
		n++;
		b++;
	}
	return n;
}

struct count_job {
	const char	*b, *e;
	size_t		 n;
};

static void *
count_thread(void *arg)
{
	struct count_job *j = arg;

	j->n = count_lines(j->b, j->e);
	return NULL;
}

/*
 * Parse [begin, end) with NT threads into the plan's arrays.  Returns the
 * number of rows, or (size_t)-1 with e filled.  *ragged and per-column
 * seen/demoted are accumulated.  Falls back to one thread when a chunk
 * boundary fell inside a quoted field.
 */
static size_t
parse_all(struct plan *p, const char *begin, const char *end, size_t line0,
    int nt, unsigned *seen, unsigned char *demoted, struct dict **dicts,
    size_t *ragged, size_t *bad, struct err *e)
{
	struct chunk ck[MAX_THREADS];
	struct chunk_job jobs[MAX_THREADS];
	struct count_job cj[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	const char *cut[MAX_THREADS + 1];
	size_t i, j, c, rows = 0, line = line0, row = 0;
	int t;

	memset(jobs, 0, sizeof jobs);
	if (nt < 1)
		nt = 1;
again:
	cut[0] = begin;
	for (t = 1; t < nt; t++) {
		const char *q = begin + (size_t)(end - begin) / (size_t)nt *
		    (size_t)t;
		const char *nl;

		if (q < cut[t - 1])
			q = cut[t - 1];
		nl = memchr(q, '\n', (size_t)(end - q));
		cut[t] = nl ? nl + 1 : end;
	}
	cut[nt] = end;
	for (t = 0; t < nt; t++) {
		cj[t].b = cut[t];
		cj[t].e = cut[t + 1];
		if (nt > 1)
			pthread_create(&th[t], NULL, count_thread, &cj[t]);
		else
			count_thread(&cj[t]);
	}
	if (nt > 1)
		for (t = 0; t < nt; t++)
			pthread_join(th[t], NULL);
	for (t = 0; t < nt; t++) {
		struct chunk *k = &ck[t];

		memset(k, 0, sizeof *k);
		k->plan = p;
		k->begin = cut[t];
		k->end = cut[t + 1];
		k->line0 = line;
		k->row0 = row;
		k->nlines = cj[t].n;
		k->seen = xcalloc(p->ncols, sizeof *k->seen);
		if (p->opts->ragged == RAGGED_DROP)
			k->recseen = xcalloc(p->ncols, sizeof *k->recseen);
		k->demoted = xcalloc(p->ncols, 1);
		k->fast = xcalloc(p->ncols, 1);
		for (c = 0; c < p->ncols; c++)
			k->fast[c] = p->store[c] == ST_NUM &&
			    p->forced[c] < 0 && (p->only == NULL || p->only[c]);
		k->dicts = xcalloc(p->ncols, sizeof *k->dicts);
		for (c = 0; c < p->ncols; c++)
			if (p->store[c] == ST_STR &&
			    (p->only == NULL || p->only[c]))
				k->dicts[c] = t == 0 && dicts[c] ? dicts[c] :
				    dict_new();
		line += cj[t].n;
		row += cj[t].n;
		jobs[t].ck = k;
		jobs[t].last = t == nt - 1;
		if (nt > 1)
			pthread_create(&th[t], NULL, chunk_thread, &jobs[t]);
	}
	if (nt > 1)
		for (t = 0; t < nt; t++)
			pthread_join(th[t], NULL);
	else
		chunk_thread(&jobs[0]);

	/* Check alignment and errors in file order. */
	for (t = 0; t < nt; t++) {
		if (ck[t].failed) {
			if (t > 0 && !ck[t - 1].clean_end)
				break;
			*e = ck[t].err;
			goto fail;
		}
		if (t < nt - 1 && !ck[t].clean_end)
			break;
	}
	if (t < nt) {
		/* A cut fell inside a quoted field: redo on one thread. */
		for (t = 0; t < nt; t++) {
			for (c = 0; c < p->ncols; c++)
				if (ck[t].dicts[c] != dicts[c])
					dict_free(ck[t].dicts[c]);
			free(ck[t].seen);
			free(ck[t].recseen);
			free(ck[t].demoted);
			free(ck[t].fast);
			free(ck[t].dicts);
		}
		nt = 1;
		line = line0;
		row = 0;
		goto again;
	}

	/* Close the gaps between chunks and merge their dictionaries. */
	for (t = 0; t < nt; t++) {
		struct chunk *k = &ck[t];

		for (c = 0; c < p->ncols; c++) {
			if (p->only != NULL && !p->only[c])
				continue;
			seen[c] |= k->seen[c];
			demoted[c] |= k->demoted[c];
			if (p->store[c] == ST_NUM) {
				if (k->row0 != rows)
					memmove(p->num[c] + rows,
					    p->num[c] + k->row0,
					    k->nrows * sizeof(double));
				continue;
			}
			if (k->row0 != rows)
				memmove(p->codes[c] + rows,
				    p->codes[c] + k->row0,
				    k->nrows * sizeof(int32_t));
			if (t == 0) {
				dicts[c] = k->dicts[c];
				continue;
			}
			{
				struct dict *d = k->dicts[c];
				int32_t *map = xmalloc((d->n ? d->n : 1) *
				    sizeof *map);
				int32_t *codes = p->codes[c] + rows;

				for (j = 0; j < d->n; j++)
					map[j] = dict_intern(dicts[c],
					    dict_str(d, (int32_t)j),
					    dict_len(d, (int32_t)j));
				for (i = 0; i < k->nrows; i++)
					if (codes[i] >= 0)
						codes[i] = map[codes[i]];
				free(map);
				dict_free(d);
			}
		}
		rows += k->nrows;
		*ragged += k->ragged;
		bad[0] += k->bad_values;
		bad[1] += k->bad_rows;
		free(k->seen);
		free(k->recseen);
		free(k->demoted);
		free(k->fast);
		free(k->dicts);
	}
	return rows;
fail:
	for (t = 0; t < nt; t++) {
		for (c = 0; c < p->ncols; c++)
			if (ck[t].dicts[c] != dicts[c])
				dict_free(ck[t].dicts[c]);
		free(ck[t].seen);
		free(ck[t].recseen);
		free(ck[t].demoted);
		free(ck[t].fast);
		free(ck[t].dicts);
	}
	return (size_t)-1;
}

struct table *
csvload_file(const char *path, const struct load_opts *o,
    struct load_report *rep, struct err *e)
{
	struct srcmap m;
	struct plan p;
	struct peek pk;
	struct table *t = NULL;
	const char *data, *body;
	size_t size, off, i, c, cap, nrows, ragged = 0, line0, bad[2] = { 0, 0 };
	unsigned *seen = NULL;
	unsigned char *demoted = NULL, *keep = NULL;
	struct dict **dicts = NULL;
	int nt, header;

	memset(&p, 0, sizeof p);
	memset(&pk, 0, sizeof pk);
	if (srcmap_open(&m, path, e) != 0)
		return NULL;
	data = m.data;
	size = m.size;
	if (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		size -= 3;
	}
	/* Leading blank lines are not the header. */
	line0 = 1;
	while (size > 0 && (*data == '\n' || *data == '\r')) {
		if (*data == '\n')
			line0++;
		data++;
		size--;
	}
	if (size == 0) {
		err_set(e, ERR_DATA, "%s: empty file: no header and no rows",
		    m.name);
		goto out;
	}
	p.opts = o;
	p.name = m.name;
	p.delim = o->delimiter ? o->delimiter : sniff_delim(data, size);

	/* The first two records decide the header. */
	pk.opts = o;
	pk.max = 2;
	off = peek_run(&pk, data, size, p.delim);
	if (pk.nrec == 0 || pk.nf[0] == 0) {
		err_set(e, ERR_DATA, "%s: empty file: no header and no rows",
		    m.name);
		goto out;
	}
	p.ncols = pk.nf[0];
	header = o->header;
	if (header < 0) {
		header = 1;
		for (c = 0; c < p.ncols; c++)
			if (looks_like_value(pk.rec[0][c]))
				header = 0;
	}
	p.colnames = xcalloc(p.ncols, sizeof *p.colnames);
	for (c = 0; c < p.ncols; c++) {
		if (!header) {
			p.colnames[c] = xasprintf("col%zu", c + 1);
			continue;
		}
		p.colnames[c] = xstrdup(pk.rec[0][c]);
		if (p.colnames[c][0] == '\0') {
			err_set(e, ERR_DATA, "%s:%zu:%zu: empty column name in "
			    "the header (field %zu); name it, or use "
			    "--no-header if the file has no header row",
			    m.name, line0, c + 1, c + 1);
			goto out;
		}
		if (infer_utf8_bad((const unsigned char *)p.colnames[c],
		    strlen(p.colnames[c])) >= 0) {
			err_set(e, ERR_DATA, "%s:%zu:%zu: invalid UTF-8 in "
			    "column name (field %zu)", m.name, line0, c + 1,
			    c + 1);
			goto out;
		}
		for (i = 0; i < c; i++)
			if (strcmp(p.colnames[i], p.colnames[c]) == 0) {
				err_set(e, ERR_DATA, "%s:%zu:%zu: duplicate "
				    "column name '%s' (fields %zu and %zu)",
				    m.name, line0, c + 1, p.colnames[c], i + 1,
				    c + 1);
				goto out;
			}
	}
	/* Where the data starts: after the header record, if any. */
	if (header) {
		struct peek one;

		memset(&one, 0, sizeof one);
		one.opts = o;
		one.max = 1;
		off = peek_run(&one, data, size, p.delim);
		peek_release(&one);
		/* Two records ended on the header's line: a bare CR. */
		if (one.nrec > 1) {
			err_set(e, ERR_DATA, "%s:%zu: carriage return without "
			    "a line feed outside quotes (line ends must be LF "
			    "or CRLF)", m.name, line0);
			goto out;
		}
		/* The header swallowed the file: say why, not "no rows". */
		if (one.open_field > 0) {
			err_set(e, ERR_DATA, "%s:%zu:%zu: unterminated quoted "
			    "field: field %zu opens a quote that is never "
			    "closed", m.name, line0, one.open_field,
			    one.open_field);
			goto out;
		}
		line0 += count_lines(data, data + off);
		body = data + off;
	} else
		body = data;
	if (body >= data + size || count_lines(body, data + size) ==
	    (size_t)(data + size - body)) {
		err_set(e, ERR_DATA, "%s: no data rows: the file has only a "
		    "header", m.name);
		goto out;
	}

	/* Forced types. */
	p.forced = xmalloc(p.ncols * sizeof *p.forced);
	for (c = 0; c < p.ncols; c++)
		p.forced[c] = -1;
	for (i = 0; i < o->ntypes; i++) {
		for (c = 0; c < p.ncols; c++)
			if (strcmp(o->types[i].column, p.colnames[c]) == 0)
				break;
		if (c == p.ncols && o->types_optional)
			continue;
		if (c == p.ncols) {
			err_set(e, ERR_USAGE, "--type: no column '%s' in '%s'",
			    o->types[i].column, m.name);
			goto out;
		}
		p.forced[c] = (int)o->types[i].type;
	}

	/* Columns the caller will drop unread: text, never parsed. */
	if (o->nskip > 0) {
		keep = xmalloc(p.ncols);
		memset(keep, 1, p.ncols);
		for (i = 0; i < o->nskip; i++)
			for (c = 0; c < p.ncols; c++)
				if (strcmp(o->skip[i], p.colnames[c]) == 0) {
					keep[c] = 0;
					p.forced[c] = COL_TEXT;
				}
	}

	/* The sample seeds each column's storage. */
	{
		struct peek smp;

		memset(&smp, 0, sizeof smp);
		smp.opts = o;
		smp.max = o->sample_rows ? o->sample_rows : 1;
		smp.nseen = p.ncols;
		smp.seen = xcalloc(p.ncols, sizeof *smp.seen);
		if (o->ragged == RAGGED_DROP)
			smp.recseen = xcalloc(p.ncols, sizeof *smp.recseen);
		peek_run(&smp, body, (size_t)(data + size - body), p.delim);
		p.store = xmalloc(p.ncols * sizeof *p.store);
		for (c = 0; c < p.ncols; c++) {
			if (p.forced[c] >= 0)
				p.store[c] = coltype_is_numeric_storage(
				    (enum coltype)p.forced[c]) ? ST_NUM : ST_STR;
			else
				p.store[c] = infer_kinds_numeric(smp.seen[c]) ?
				    ST_NUM : ST_STR;
		}
		peek_release(&smp);
	}

	for (i = 0; i < o->nna; i++) {
		size_t n = strlen(o->na[i]);

		if (n > 0)
			p.na_first[(unsigned char)o->na[i][0]] = 1;
		if (n > p.na_maxlen)
			p.na_maxlen = n;
	}

	/* Arrays sized by the line count: an upper bound on the rows. */
	nt = o->threads > 0 ? o->threads : cpu_count();
	if (nt > MAX_THREADS)
		nt = MAX_THREADS;
	while (nt > 1 && (size_t)(data + size - body) / (size_t)nt <
	    MIN_CHUNK)
		nt--;
	cap = count_lines(body, data + size) + 1;
	p.num = xcalloc(p.ncols, sizeof *p.num);
	p.codes = xcalloc(p.ncols, sizeof *p.codes);
	for (c = 0; c < p.ncols; c++) {
		if (keep != NULL && !keep[c])
			continue;
		if (p.store[c] == ST_NUM)
			p.num[c] = xmalloc(cap * sizeof(double));
		else
			p.codes[c] = xmalloc(cap * sizeof(int32_t));
	}
	seen = xcalloc(p.ncols, sizeof *seen);
	demoted = xcalloc(p.ncols, 1);
	dicts = xcalloc(p.ncols, sizeof *dicts);
	p.only = keep;
	nrows = parse_all(&p, body, data + size, line0, nt, seen, demoted,
	    dicts, &ragged, bad, e);
	p.only = NULL;
	if (nrows == (size_t)-1)
		goto out;
	if (nrows == 0) {
		err_set(e, ERR_DATA, "%s: no data rows%s", m.name,
		    ragged ? " left after dropping ragged rows" :
		    ": the file has only a header");
		goto out;
	}

	/* Columns guessed numeric that held something else: read again. */
	{
		unsigned char *redo = xcalloc(p.ncols, 1);
		size_t nredo = 0, r2 = 0;

		for (c = 0; c < p.ncols; c++) {
			if (p.store[c] == ST_NUM && p.forced[c] < 0 &&
			    (demoted[c] || !infer_kinds_numeric(seen[c]))) {
				redo[c] = 1;
				nredo++;
				free(p.num[c]);
				p.num[c] = NULL;
				p.store[c] = ST_STR;
				p.codes[c] = xmalloc(cap * sizeof(int32_t));
				seen[c] = 0;
				demoted[c] = 0;
			}
		}
		if (nredo > 0) {
			p.only = redo;
			size_t bad2[2] = { 0, 0 };

			if (parse_all(&p, body, data + size, line0, 1, seen,
			    demoted, dicts, &r2, bad2, e) == (size_t)-1) {
				free(redo);
				p.only = NULL;
				goto out;
			}
			p.only = NULL;
		}
		free(redo);
		if (rep)
			rep->demoted = nredo;
	}

	t = table_new();
	t->nrows = nrows;
	for (c = 0; c < p.ncols; c++) {
		struct column *col;

		if (keep != NULL && !keep[c]) {
			col = column_new(p.colnames[c], COL_TEXT, nrows);
		} else if (p.store[c] == ST_STR) {
			if (dicts[c] == NULL)
				dicts[c] = dict_new();
			col = infer_string_column(p.colnames[c], xrealloc(p.codes[c],
			    nrows * sizeof(int32_t)), dicts[c], nrows,
			    p.forced[c]);
			p.codes[c] = NULL;
			dicts[c] = NULL;
		} else {
			col = xcalloc(1, sizeof *col);
			col->name = xstrdup(p.colnames[c]);
			col->type = p.forced[c] >= 0 ?
			    (enum coltype)p.forced[c] : infer_numeric_type(seen[c]);
			col->num = xrealloc(p.num[c], nrows * sizeof(double));
			p.num[c] = NULL;
			if (col->type == COL_DATE)
				for (i = 0; i < nrows; i++)
					col->num[i] /= 86400.0;
		}
		table_add_column(t, col);
	}
	if (rep) {
		rep->ragged_rows = ragged;
		rep->bad_values = bad[0];
		rep->bad_rows = bad[1];
		rep->delimiter = p.delim;
		rep->header = header;
	}
out:
	if (p.num)
		for (c = 0; c < p.ncols; c++)
			free(p.num[c]);
	if (p.codes)
		for (c = 0; c < p.ncols; c++)
			free(p.codes[c]);
	if (dicts)
		for (c = 0; c < p.ncols; c++)
			dict_free(dicts[c]);
	if (p.colnames)
		for (c = 0; c < p.ncols; c++)
			free(p.colnames[c]);
	free(p.colnames);
	free(p.num);
	free(p.codes);
	free(p.store);
	free(p.forced);
	free(seen);
	free(demoted);
	free(dicts);
	free(keep);
	peek_release(&pk);
	srcmap_close(&m);
	return t;
}

/*
 * csvstream.c - CSV records from a stream, and records to rows of a
 * known schema.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "core/csvstream.h"
#include "core/infer.h"
#include "core/numparse.h"
#include "core/xmalloc.h"

struct sstate {
	struct csvrec	 rec;
	size_t		 cap;
	size_t		 line;		/* current line */
	size_t		 recline;
	int		(*fn)(const struct csvrec *, void *);
	void		*arg;
	int		 stop;
};

static void
s_field(void *data, size_t n, void *arg)
{
	struct sstate *s = arg;

	if (s->rec.n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->rec.f = xreallocarray(s->rec.f, s->cap, sizeof *s->rec.f);
		s->rec.len = xreallocarray(s->rec.len, s->cap,
		    sizeof *s->rec.len);
	}
	s->rec.f[s->rec.n] = xstrndup(data ? data : "", n);
	s->rec.len[s->rec.n] = n;
	s->rec.n++;
}

static void
s_clear(struct sstate *s)
{
	size_t i;

	for (i = 0; i < s->rec.n; i++)
		free(s->rec.f[i]);
	s->rec.n = 0;
}

static void
s_record(int c, void *arg)
{
	struct sstate *s = arg;

	(void)c;
	if (!s->stop) {
		s->rec.line = s->recline;
		if (s->fn(&s->rec, s->arg) != 0)
			s->stop = 1;
	}
	s_clear(s);
	s->recline = s->line + 1;
}

int
csvstream_run(int fd, int delim, const char *name,
    int (*fn)(const struct csvrec *, void *), void *arg, struct err *e)
{
	struct csv_parser cp;
	struct sstate s;
	char buf[65536];
	ssize_t n;
	int rc = 0;

	memset(&s, 0, sizeof s);
	s.fn = fn;
	s.arg = arg;
	s.line = s.recline = 1;
	csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_delim(&cp, (unsigned char)(delim ? delim : ','));
	while (!s.stop) {
		ssize_t i, start = 0;

		n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = err_set(e, ERR_IO, "cannot read '%s': %s", name,
			    strerror(errno));
			break;
		}
		if (n == 0)
			break;
		/* Feed line by line: records end (and are handed on) at
		 * their line end, and line numbers stay right. */
		for (i = 0; i < n && !s.stop; i++) {
			if (buf[i] != '\n')
				continue;
			if (csv_parse(&cp, buf + start, (size_t)(i + 1 - start),
			    s_field, s_record, &s) != (size_t)(i + 1 - start))
				goto parse_error;
			s.line++;
			if (cp.pstate == 0)
				s.recline = s.line;
			start = i + 1;
		}
		if (!s.stop && start < n && csv_parse(&cp, buf + start,
		    (size_t)(n - start), s_field, s_record, &s) !=
		    (size_t)(n - start))
			goto parse_error;
	}
	if (!s.stop && rc == 0 && csv_fini(&cp, s_field, s_record, &s) != 0)
		rc = err_set(e, ERR_DATA, "%s:%zu: unterminated quoted field",
		    name, s.recline);
	if (s.stop)
		rc = -1;
	goto out;
parse_error:
	rc = err_set(e, ERR_DATA, "%s:%zu: malformed quoting", name, s.line);
out:
	s_clear(&s);
	free(s.rec.f);
	free(s.rec.len);
	csv_free(&cp);
	return rc;
}

int
rowschema_map(struct rowschema *rs, const struct csvrec *h,
    const char *optional, struct err *e)
{
	size_t i, k;

	rs->map = xmalloc((rs->n ? rs->n : 1) * sizeof *rs->map);
	for (i = 0; i < rs->n; i++) {
		rs->map[i] = -1;
		for (k = 0; k < h->n; k++)
			if (strcmp(h->f[k], rs->names[i]) == 0) {
				rs->map[i] = (long)k;
				break;
			}
		if (rs->map[i] < 0 && (optional == NULL ||
		    strcmp(optional, rs->names[i]) != 0))
			return err_set(e, ERR_DATA, "the input has no column "
			    "'%s', which the pipeline was trained with",
			    rs->names[i]);
	}
	return 0;
}

/* Parse a field into a double for a numeric-storage type; 0 if bad. */
static int
field_value(enum coltype ty, const char *s, size_t n, double *v)
{
	int is_int, k;

	switch (ty) {
	case COL_INT:
	case COL_FLOAT:
		return numparse(s, n, v, &is_int);
	case COL_BOOL:
		return infer_bool(s, n, v);
	case COL_DATE:
		return n >= 10 && dateparse(s, n, v) == 1;
	case COL_DATETIME:
		if (n < 10 || (k = dateparse(s, n, v)) == 0)
			return 0;
		if (k == 1)
			*v *= 86400.0;
		return 1;
	default:
		return 0;
	}
}

int
rowschema_append(struct rowschema *rs, struct table **tp,
    const struct csvrec *rec, size_t *nbad, struct err *e)
{
	struct table *t = *tp;
	double *vals = xmalloc((rs->n ? rs->n : 1) * sizeof *vals);
	size_t i, r;

	if (t == NULL) {
		t = table_new();
		for (i = 0; i < rs->n; i++) {
			if (rs->map[i] < 0)
				continue;
			table_add_column(t, column_new(rs->names[i],
			    rs->types[i], 0));
		}
		*tp = t;
	}
	/* First check every value, so a skipped row changes nothing. */
	for (i = 0; i < rs->n; i++) {
		const char *s;
		size_t n;

		vals[i] = NAN;
		if (rs->map[i] < 0)
			continue;
		if ((size_t)rs->map[i] >= rec->n) {
			s = "";
			n = 0;
		} else {
			s = rec->f[rs->map[i]];
			n = rec->len[rs->map[i]];
		}
		if (load_is_na(rs->opts, s, n) ||
		    !coltype_is_numeric_storage(rs->types[i]))
			continue;
		if (!field_value(rs->types[i], s, n, &vals[i])) {
			if (rs->opts->on_bad == LOAD_BAD_SKIP) {
				free(vals);
				(*nbad)++;
				return 1;
			}
			if (rs->opts->on_bad == LOAD_BAD_NULL) {
				vals[i] = NAN;
				(*nbad)++;
				continue;
			}
			err_set(e, ERR_DATA, "line %zu, column '%s': '%.*s' is "
			    "not a %s value", rec->line, rs->names[i],
			    (int)(n > 40 ? 40 : n), s,
			    coltype_name(rs->types[i]));
			free(vals);
			return -1;
		}
	}
	r = t->nrows;
	for (i = 0, r = t->nrows; i < rs->n; i++) {
		struct column *c;
		long k;

		if (rs->map[i] < 0)
			continue;
		k = table_find(t, rs->names[i]);
		c = t->cols[k];
		switch (c->type) {
		case COL_CAT: {
			const char *s = (size_t)rs->map[i] < rec->n ?
			    rec->f[rs->map[i]] : "";
			size_t n = strlen(s);

			c->codes = xreallocarray(c->codes, r + 1,
			    sizeof *c->codes);
			c->codes[r] = load_is_na(rs->opts, s, n) ? -1 :
			    dict_intern(c->dict, s, n);
			break;
		}
		case COL_TEXT: {
			const char *s = (size_t)rs->map[i] < rec->n ?
			    rec->f[rs->map[i]] : "";
			size_t n = strlen(s);

			c->off = xreallocarray(c->off, r + 1, sizeof *c->off);
			if (load_is_na(rs->opts, s, n)) {
				c->off[r] = TEXT_MISSING;
				break;
			}
			c->arena = xrealloc(c->arena, c->arena_len + n + 1);
			memcpy(c->arena + c->arena_len, s, n + 1);
			c->off[r] = c->arena_len;
			c->arena_len += n + 1;
			break;
		}
		default:
			c->num = xreallocarray(c->num, r + 1, sizeof *c->num);
			c->num[r] = vals[i];
			break;
		}
	}
	t->nrows = r + 1;
	free(vals);
	return 0;
}

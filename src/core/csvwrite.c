/*
 * csvwrite.c - tables to CSV text, a block of rows at a time.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "core/cpu.h"
#include "core/csvwrite.h"
#include "core/strbuf.h"

void
csvwrite_field(struct strbuf *sb, const char *s, size_t n)
{
	size_t i;
	int quote = n > 0 && (s[0] == ' ' || s[0] == '\t' ||
	    s[n - 1] == ' ' || s[n - 1] == '\t');

	for (i = 0; i < n && !quote; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = 1;
	if (!quote) {
		strbuf_add(sb, s, n);
		return;
	}
	strbuf_addch(sb, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, s[i]);
	}
	strbuf_addch(sb, '"');
}

void
csvwrite_header(const struct table *t, struct strbuf *sb)
{
	size_t c;

	for (c = 0; c < t->ncols; c++) {
		if (c)
			strbuf_addch(sb, ',');
		csvwrite_field(sb, t->cols[c]->name, strlen(t->cols[c]->name));
	}
	strbuf_addch(sb, '\n');
}

void
csvwrite_rows(const struct table *t, size_t from, size_t to,
    struct strbuf *sb)
{
	char buf[64];
	size_t r, c;

	for (r = from; r < to; r++) {
		/* Room for the separators and every one-character field. */
		strbuf_grow(sb, 2 * t->ncols + 2);
		for (c = 0; c < t->ncols; c++) {
			const struct column *col = t->cols[c];
			const char *s;
			double v;

			if (col->ind != NULL) {
				/* Indicator columns, often hundreds a row:
				 * two bytes each, straight into the buffer. */
				if (sb->len + 3 > sb->cap)
					strbuf_grow(sb, 2 * t->ncols + 2);
				if (c)
					sb->buf[sb->len++] = ',';
				sb->buf[sb->len++] = col->ind->idx[r] ==
				    col->ind_code ? '1' : '0';
				sb->buf[sb->len] = '\0';
				continue;
			}
			if (c)
				strbuf_addch(sb, ',');
			switch (col->type) {
			case COL_CAT:
			case COL_TEXT:
				s = column_str(col, r);
				if (s != NULL)
					csvwrite_field(sb, s, strlen(s));
				continue;
			default:
				break;
			}
			v = col->num[r];
			if (isnan(v))
				continue;
			switch (col->type) {
			case COL_BOOL:
				strbuf_addstr(sb, v != 0 ? "true" : "false");
				continue;
			case COL_DATE:
				fmt_date(buf, sizeof buf, v);
				break;
			case COL_DATETIME:
				fmt_datetime(buf, sizeof buf, v);
				break;
			default:
				fmt_double(buf, sizeof buf, v);
				break;
			}
			strbuf_addstr(sb, buf);
		}
		strbuf_addch(sb, '\n');
	}
}

struct wjob {
	const struct table *t;
	size_t		 from, to;
	struct strbuf	 sb;
};

static void *
write_job(void *arg)
{
	struct wjob *j = arg;

	strbuf_reset(&j->sb);
	csvwrite_rows(j->t, j->from, j->to, &j->sb);
	return NULL;
}

/*
 * Rows are formatted a block at a time, on every core: each round, each
 * thread formats one block into its own buffer, and the blocks are
 * written in order.  Formatting is most of the cost of a wide table.
 */
int
csvwrite_file(const struct table *t, FILE *f, const char *name, int header,
    struct err *e)
{
	struct wjob jobs[8];
	pthread_t th[8];
	struct strbuf hb = STRBUF_INIT;
	size_t block = 4096, r = 0;
	int nt = cpu_count(), i, rc = 0;

	if (nt > 8)
		nt = 8;
	if (t->nrows * (t->ncols + 1) < 200000)
		nt = 1;
	if (header) {
		csvwrite_header(t, &hb);
		if (fwrite(hb.buf, 1, hb.len, f) != hb.len)
			rc = err_set(e, ERR_IO, "cannot write '%s': %s", name,
			    strerror(errno));
	}
	strbuf_release(&hb);
	for (i = 0; i < nt; i++) {
		jobs[i].t = t;
		memset(&jobs[i].sb, 0, sizeof jobs[i].sb);
	}
	while (rc == 0 && r < t->nrows) {
		int n = 0;

		for (i = 0; i < nt && r < t->nrows; i++, n++) {
			jobs[i].from = r;
			jobs[i].to = r + block < t->nrows ? r + block : t->nrows;
			r = jobs[i].to;
			if (i > 0)
				pthread_create(&th[i], NULL, write_job, &jobs[i]);
		}
		write_job(&jobs[0]);
		for (i = 1; i < n; i++)
			pthread_join(th[i], NULL);
		for (i = 0; i < n && rc == 0; i++)
			if (jobs[i].sb.len > 0 && fwrite(jobs[i].sb.buf, 1,
			    jobs[i].sb.len, f) != jobs[i].sb.len)
				rc = err_set(e, ERR_IO, "cannot write '%s': %s",
				    name, strerror(errno));
	}
	for (i = 0; i < nt; i++)
		strbuf_release(&jobs[i].sb);
	return rc;
}

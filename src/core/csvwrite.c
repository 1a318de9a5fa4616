/*
 * csvwrite.c - tables to CSV text, a block of rows at a time.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpu.h"
#include "core/csvwrite.h"
#include "core/xmalloc.h"
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

/*
 * A run of consecutive indicator columns of one source (a one-hot
 * block): written as a template "0,0,...,0" with the one '1' patched in,
 * instead of one test per cell.
 */
struct indrun {
	size_t		 k;		/* columns in the run */
	const int32_t	*idx;
	int32_t		*pos;		/* code -> column in the run, or -1 */
	int32_t		 ncodes;
	char		*tmpl;		/* "0,0,...,0" */
};

static void
find_runs(const struct table *t, struct indrun *runs)
{
	size_t c = 0, j;

	while (c < t->ncols) {
		const struct column *col = t->cols[c];
		struct indrun *ir;
		int32_t mx = -1;

		if (col->ind == NULL) {
			runs[c].k = 0;
			c++;
			continue;
		}
		ir = &runs[c];
		for (j = c; j < t->ncols && t->cols[j]->ind == col->ind; j++)
			if (t->cols[j]->ind_code > mx)
				mx = t->cols[j]->ind_code;
		ir->k = j - c;
		ir->idx = col->ind->idx;
		ir->ncodes = mx + 1;
		ir->pos = xmalloc(((size_t)mx + 1 > 0 ? (size_t)mx + 1 : 1) *
		    sizeof *ir->pos);
		for (j = 0; j < (size_t)ir->ncodes; j++)
			ir->pos[j] = -1;
		for (j = 0; j < ir->k; j++)
			if (t->cols[c + j]->ind_code >= 0)
				ir->pos[t->cols[c + j]->ind_code] = (int32_t)j;
		ir->tmpl = xmalloc(2 * ir->k);
		for (j = 0; j < ir->k; j++) {
			ir->tmpl[2 * j] = '0';
			ir->tmpl[2 * j + 1] = ',';
		}
		for (j = c + 1; j < c + ir->k; j++)
			runs[j].k = 0;
		c += ir->k;
	}
}

void
csvwrite_rows(const struct table *t, size_t from, size_t to,
    struct strbuf *sb)
{
	char buf[64];
	size_t r, c;
	struct indrun *runs = xcalloc(t->ncols ? t->ncols : 1, sizeof *runs);

	find_runs(t, runs);
	for (r = from; r < to; r++) {
		/* Room for the separators and every one-character field. */
		strbuf_grow(sb, 2 * t->ncols + 2);
		for (c = 0; c < t->ncols; c++) {
			const struct column *col = t->cols[c];
			const char *s;
			double v;

			if (col->ind != NULL) {
				const struct indrun *ir = &runs[c];
				int32_t code = ir->idx[r];
				size_t at;

				/* 2 bytes a column, ',' first unless c = 0 */
				strbuf_grow(sb, 2 * ir->k + 1);
				if (c)
					sb->buf[sb->len++] = ',';
				at = sb->len;
				memcpy(sb->buf + at, ir->tmpl, 2 * ir->k - 1);
				if (code >= 0 && code < ir->ncodes &&
				    ir->pos[code] >= 0)
					sb->buf[at + 2 * (size_t)ir->pos[code]] =
					    '1';
				sb->len += 2 * ir->k - 1;
				sb->buf[sb->len] = '\0';
				c += ir->k - 1;
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
	for (c = 0; c < t->ncols; c++) {
		free(runs[c].pos);
		free(runs[c].tmpl);
	}
	free(runs);
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

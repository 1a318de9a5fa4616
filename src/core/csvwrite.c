/*
 * csvwrite.c - tables to CSV text, a block of rows at a time.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

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

int
csvwrite_file(const struct table *t, FILE *f, const char *name, int header,
    struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	size_t r, block = 4096;

	if (header)
		csvwrite_header(t, &sb);
	for (r = 0; r < t->nrows || sb.len > 0; r += block) {
		size_t to = r + block < t->nrows ? r + block : t->nrows;

		if (r < t->nrows)
			csvwrite_rows(t, r, to, &sb);
		if (sb.len > 0 && fwrite(sb.buf, 1, sb.len, f) != sb.len) {
			strbuf_release(&sb);
			return err_set(e, ERR_IO, "cannot write '%s': %s", name,
			    strerror(errno));
		}
		strbuf_reset(&sb);
		if (r >= t->nrows)
			break;
	}
	strbuf_release(&sb);
	return 0;
}

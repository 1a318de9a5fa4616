/*
 * view-columns.c - the Columns screen: one line per column of the table
 * after the selected step, with its type, missing share, distinct
 * count, mean, standard deviation, minimum, maximum and a sparkline of
 * its histogram (numbers) or of its top values' counts (categories).
 * The statistics are the session's (core/stats.h, computed on the
 * worker); Enter opens the column's detail.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui.h"

static size_t cur, top;

static const struct keybind columns_keys[] = {
	{ '\r', "Enter", NULL, "the column in detail", "detail" },
	{ KEY_ENTER, NULL, NULL, NULL, NULL },
	{ 'F', "F", NULL, "its value counts", "counts" },
	{ KEY_UP, "Up/Down", NULL, "move (also j k, PgUp PgDn, g G)", NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

struct ccol {
	const char	*title;
	int		 width;
	int		 right;
};

enum { CC_NAME, CC_TYPE, CC_MISS, CC_DIST, CC_MEAN, CC_STD, CC_MIN, CC_MAX,
    CC__COUNT };

static const char *
short_type(enum coltype t)
{
	static const char *const n[] = { "int", "float", "bool", "cat", "text",
	    "date", "datetime" };

	return (size_t)t < sizeof n / sizeof n[0] ? n[t] : "?";
}

static void
cell_text(const struct colstats *st, const struct column *c, size_t nrows,
    int which, char *buf, size_t n)
{
	int num = coltype_is_number(c->type);
	double v = NAN;

	buf[0] = '\0';
	switch (which) {
	case CC_MISS:
		if (nrows > 0)
			snprintf(buf, n, "%.1f%%", 100.0 * (double)st->missing /
			    (double)nrows);
		return;
	case CC_DIST:
		fmt_count(buf, n, st->distinct);
		return;
	case CC_MEAN:
		if (num)
			v = st->mean;
		else if (st->nvalues > 0) {
			snprintf(buf, n, "%s", st->values[0].value);
			return;
		}
		break;
	case CC_STD:
		if (num)
			v = st->std;
		else if (st->nvalues > 0) {
			char cnt[32];

			fmt_count(cnt, sizeof cnt, st->values[0].count);
			snprintf(buf, n, "%s%s", cnt, st->top_tied > 0 ?
			    "+" : "");
			return;
		}
		break;
	case CC_MIN:
	case CC_MAX:
		if (!coltype_is_numeric_storage(c->type) || st->count == 0)
			return;
		v = which == CC_MIN ? st->min : st->max;
		if (c->type == COL_DATE) {
			fmt_date(buf, n, v);
			return;
		}
		if (c->type == COL_DATETIME) {
			fmt_datetime(buf, n, v);
			return;
		}
		if (c->type == COL_BOOL) {
			snprintf(buf, n, "%s", v != 0 ? "true" : "false");
			return;
		}
		break;
	}
	fmt_num(buf, n, v);
}

static void
columns_draw(int y, int h, int w)
{
	struct session *s = tui.s;
	const struct table *t = session_table(s);
	struct ccol cc[CC__COUNT] = {
		{ "column", 12, 0 }, { "type", 5, 0 }, { "missing", 7, 1 },
		{ "distinct", 8, 1 }, { "mean/top", 10, 1 },
		{ "std/freq", 10, 1 }, { "min", 10, 1 }, { "max", 10, 1 },
	};
	int show[CC__COUNT], x, i, used, spark, rows;
	size_t c;
	char buf[128];

	if (t == NULL) {
		put_str(y + 1, 2, s->computing ? "computing the preview" :
		    s->loading ? "loading" : "no data (:open FILE)", w - 4, -1,
		    0);
		return;
	}
	session_want_stats(s);
	for (c = 0; c < t->ncols; c++) {
		int nw = str_width(t->cols[c]->name);

		if (nw > cc[CC_NAME].width)
			cc[CC_NAME].width = nw;
	}
	if (cc[CC_NAME].width > 24)
		cc[CC_NAME].width = 24;
	if (cc[CC_NAME].width > w / 3)
		cc[CC_NAME].width = w / 3;
	/* as many columns as fit, then the sparkline */
	used = 0;
	for (i = 0; i < CC__COUNT; i++) {
		show[i] = used + cc[i].width + 1 <= w - 8 || i < 2;
		if (show[i])
			used += cc[i].width + 1;
	}
	spark = w - used - 1;
	if (spark > 32)
		spark = 32;
	/* header */
	attrset(tattr(TA_HEAD));
	put_fill(y, 0, w, tattr(TA_HEAD));
	x = 0;
	for (i = 0; i < CC__COUNT; i++) {
		if (!show[i])
			continue;
		put_str(y, x, cc[i].title, cc[i].width, cc[i].right ? 1 : -1,
		    1);
		x += cc[i].width + 1;
	}
	if (spark >= 6)
		put_str(y, x, "histogram", spark, -1, 0);
	attrset(A_NORMAL);
	rows = h - 2;
	if (cur >= t->ncols)
		cur = t->ncols ? t->ncols - 1 : 0;
	if (cur < top)
		top = cur;
	if (rows > 0 && cur >= top + (size_t)rows)
		top = cur - (size_t)rows + 1;
	for (i = 0; i < rows && top + (size_t)i < t->ncols; i++) {
		const struct column *col;
		const struct colstats *st;
		int k, ry = y + 1 + i;

		c = top + (size_t)i;
		col = t->cols[c];
		st = s->stats != NULL && c < s->nstats ? &s->stats[c] : NULL;
		attrset(c == cur ? tattr(TA_CURSOR) : A_NORMAL);
		put_fill(ry, 0, w, c == cur ? tattr(TA_CURSOR) : A_NORMAL);
		x = 0;
		for (k = 0; k < CC__COUNT; k++) {
			if (!show[k])
				continue;
			if (k == CC_NAME)
				snprintf(buf, sizeof buf, "%s", col->name);
			else if (k == CC_TYPE)
				snprintf(buf, sizeof buf, "%s",
				    short_type(col->type));
			else if (st == NULL)
				snprintf(buf, sizeof buf, "%s",
				    k == CC_MISS ? glyph(G_ELLIPSIS) : "");
			else
				cell_text(st, col, t->nrows, k, buf,
				    sizeof buf);
			put_str(ry, x, buf, cc[k].width, cc[k].right ? 1 : -1,
			    1);
			x += cc[k].width + 1;
		}
		attrset(A_NORMAL);
		if (spark >= 6 && st != NULL) {
			attrset(tattr(TA_PLOT));
			if (s->hists != NULL && s->hists[c].valid)
				put_spark(ry, x, spark, s->hists[c].count,
				    SESSION_HIST_BINS);
			else if (st->nvalues > 0) {
				size_t counts[32], n = st->nvalues, j;

				if (n > 32)
					n = 32;
				if (n > (size_t)spark)
					n = (size_t)spark;
				for (j = 0; j < n; j++)
					counts[j] = st->values[j].count;
				put_spark(ry, x, (int)n, counts, n);
			}
			attrset(A_NORMAL);
		}
	}
	if (s->stats == NULL) {
		attrset(tattr(TA_DIM));
		put_str(y + h - 1, 0, "computing statistics", w, -1, 0);
		attrset(A_NORMAL);
	} else {
		char a[32];

		fmt_count(a, sizeof a, t->nrows);
		snprintf(buf, sizeof buf, "%zu columns, %s rows%s", t->ncols,
		    a, s->shown > 0 ? " (after the selected step)" : "");
		attrset(tattr(TA_DIM));
		put_str(y + h - 1, 0, buf, w, -1, 0);
		attrset(A_NORMAL);
	}
}

static int
columns_key(const struct tkey *k)
{
	const struct table *t = session_table(tui.s);
	size_t n = t ? t->ncols : 0, page = (size_t)(tui.rows > 8 ?
	    tui.rows - 6 : 1);
	wint_t c = k->key;

	if (n == 0)
		return 0;
	if ((k->code && c == KEY_UP) || (!k->code && c == 'k'))
		cur = cur > 0 ? cur - 1 : 0;
	else if ((k->code && c == KEY_DOWN) || (!k->code && c == 'j'))
		cur = cur + 1 < n ? cur + 1 : n - 1;
	else if (k->code && c == KEY_NPAGE)
		cur = cur + page < n ? cur + page : n - 1;
	else if (k->code && c == KEY_PPAGE)
		cur = cur > page ? cur - page : 0;
	else if ((k->code && c == KEY_HOME) || (!k->code && c == 'g'))
		cur = 0;
	else if ((k->code && c == KEY_END) || (!k->code && c == 'G'))
		cur = n - 1;
	else if ((!k->code && c == '\r') || (k->code && c == KEY_ENTER))
		detail_open(cur, 0);
	else if (!k->code && c == 'F')
		detail_open(cur, 1);
	else
		return 0;
	return 1;
}

static int
columns_command(int argc, char **argv)
{
	const struct table *t = session_table(tui.s);

	if (argc == 1 && (strcmp(argv[0], "detail") == 0 ||
	    strcmp(argv[0], "freq") == 0) && tui.view == VIEW_COLUMNS &&
	    t != NULL && cur < t->ncols) {
		detail_open(cur, argv[0][0] == 'f');
		return 1;
	}
	return 0;
}

static void
columns_enter(void)
{
	session_want_stats(tui.s);
}

const struct view_ops view_columns_ops = {
	.name = "Columns",
	.keys = columns_keys,
	.draw = columns_draw,
	.key = columns_key,
	.enter = columns_enter,
	.command = columns_command,
};

/*
 * view-detail.c - one column in detail, in a box over the screen: its
 * statistics and quantiles, its histogram (numbers) or top values
 * (categories), and its relation to the target: a histogram per class,
 * or the correlation; per value, the class shares or the target's mean.
 * And the frequency table ('F'): every value with its count.  The
 * numbers are the session's (session_want_detail, on the worker).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "tui/tui.h"

struct dstate {
	size_t		 col;
	int		 freq;
	size_t		 top;
};

static const struct sdetail *
ready(const struct dstate *ds)
{
	const struct sdetail *d = tui.s->detail;

	return d != NULL && d->col == ds->col ? d : NULL;
}

/* Vertical bars of counts[0..n) in a w x h area, bottom at y + h - 1. */
static void
vbars(int y, int x, int h, int w, const size_t *counts, size_t n)
{
	static const char *const lv[] = { " ", "\xe2\x96\x81",
	    "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85",
	    "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88" };
	size_t *cell, max = 0, i;
	int c, r;

	if (w <= 0 || h <= 0 || n == 0)
		return;
	cell = xcalloc((size_t)w, sizeof *cell);
	for (i = 0; i < n; i++)
		cell[i * (size_t)w / n] += counts[i];
	/* a bin spread over several cells: every cell shows it */
	if ((size_t)w > n)
		for (c = 0; c < w; c++)
			cell[c] = counts[(size_t)c * n / (size_t)w];
	for (c = 0; c < w; c++)
		if (cell[c] > max)
			max = cell[c];
	attrset(tattr(TA_PLOT));
	for (c = 0; c < w && max > 0; c++) {
		long eighths = lround((double)cell[c] * h * 8 / (double)max);

		if (cell[c] > 0 && eighths == 0)
			eighths = 1;
		for (r = 0; r < h; r++) {
			long here = eighths - (long)r * 8;

			if (here <= 0)
				break;
			move(y + h - 1 - r, x + c);
			if (tui.utf8)
				addstr(lv[here >= 8 ? 8 : here]);
			else
				addch(here >= 4 ? '#' : '.');
		}
	}
	attrset(A_NORMAL);
	free(cell);
}

static int
kv(int y, int x, int w, const char *k, const char *v)
{
	attrset(tattr(TA_DIM));
	put_str(y, x, k, 10, -1, 1);
	attrset(A_NORMAL);
	put_str(y, x + 10, v, w - 10, 1, 1);
	return y + 1;
}

static void
draw_freq(const struct dstate *ds, const struct sdetail *d, int y, int h,
    int x, int w)
{
	char buf[256], cnt[32];
	size_t total = d->st.count + d->nmissing, i;
	int r, vw = w / 3;

	fmt_count(cnt, sizeof cnt, d->ndistinct);
	snprintf(buf, sizeof buf, "%s distinct value%s, %zu missing%s", cnt,
	    d->ndistinct == 1 ? "" : "s", d->nmissing,
	    d->nvalues < d->ndistinct ? " (the most frequent shown)" : "");
	attrset(tattr(TA_DIM));
	put_str(y, x, buf, w, -1, 0);
	attrset(A_NORMAL);
	for (r = 0; r < h - 1; r++) {
		i = ((struct dstate *)ds)->top + (size_t)r;
		if (i >= d->nvalues)
			break;
		put_str(y + 1 + r, x, d->values[i], vw, -1, 1);
		fmt_count(cnt, sizeof cnt, d->counts[i]);
		put_str(y + 1 + r, x + vw + 1, cnt, 10, 1, 1);
		snprintf(buf, sizeof buf, "%5.1f%%", total ? 100.0 *
		    (double)d->counts[i] / (double)total : 0.0);
		put_str(y + 1 + r, x + vw + 12, buf, 7, 1, 1);
		attrset(tattr(TA_PLOT));
		put_bar(y + 1 + r, x + vw + 21, w - vw - 22, d->counts[0] ?
		    (double)d->counts[i] / (double)d->counts[0] : 0);
		attrset(A_NORMAL);
	}
}

static void
draw_relation(const struct sdetail *d, int y, int h, int x, int w)
{
	const struct column *c;
	const struct table *t = session_table(tui.s);
	char buf[256];
	size_t k, i;
	int r = 0;

	if (h < 2)
		return;
	if (d->target == NULL) {
		attrset(tattr(TA_DIM));
		put_str(y, x, tui.s->pl && tui.s->pl->target ? "this is the "
		    "target" : "no target (:target COLUMN relates the columns "
		    "to it)", w, -1, 0);
		attrset(A_NORMAL);
		return;
	}
	c = t != NULL && d->col < t->ncols ? t->cols[d->col] : NULL;
	attrset(tattr(TA_TITLE));
	snprintf(buf, sizeof buf, "and the target %s", d->target);
	put_str(y, x, buf, w, -1, 0);
	attrset(A_NORMAL);
	y++;
	h--;
	if (d->target_numeric) {
		if (c != NULL && coltype_is_numeric_storage(c->type)) {
			snprintf(buf, sizeof buf, "correlation %s",
			    isnan(d->corr) ? "n/a" : "");
			if (!isnan(d->corr))
				snprintf(buf, sizeof buf, "correlation %+.3f",
				    d->corr);
			put_str(y, x, buf, w, -1, 0);
			attrset(d->corr < 0 ? tattr(TA_PLOT2) :
			    tattr(TA_PLOT));
			if (!isnan(d->corr))
				put_bar(y, x + 20, w - 21, fabs(d->corr));
			attrset(A_NORMAL);
		} else if (d->value_means != NULL) {
			double max = 0;

			for (i = 0; i < d->nvalues && i < 50; i++)
				if (fabs(d->value_means[i]) > max)
					max = fabs(d->value_means[i]);
			for (i = 0; i < d->nvalues && r < h; i++, r++) {
				char m[32];

				put_str(y + r, x, d->values[i], w / 3, -1, 1);
				fmt_num(m, sizeof m, d->value_means[i]);
				snprintf(buf, sizeof buf, "mean %s", m);
				put_str(y + r, x + w / 3 + 1, buf, 16, -1, 1);
				attrset(tattr(TA_PLOT));
				put_bar(y + r, x + w / 3 + 18, w - w / 3 - 19,
				    max > 0 ? fabs(d->value_means[i]) / max :
				    0);
				attrset(A_NORMAL);
			}
		}
		return;
	}
	if (d->nclasses == 0) {
		attrset(tattr(TA_DIM));
		put_str(y, x, "the target has too many values to compare",
		    w, -1, 0);
		attrset(A_NORMAL);
		return;
	}
	if (d->class_hist != NULL) {
		int lw = 0;

		for (k = 0; k < d->nclasses; k++)
			if (str_width(d->classes[k]) > lw)
				lw = str_width(d->classes[k]);
		if (lw > w / 4)
			lw = w / 4;
		for (k = 0; k < d->nclasses && r < h; k++, r++) {
			put_str(y + r, x, d->classes[k], lw, -1, 1);
			attrset(k % 2 ? tattr(TA_PLOT2) : tattr(TA_PLOT));
			put_spark(y + r, x + lw + 1, w - lw - 1,
			    d->class_hist + k * SESSION_HIST_BINS,
			    SESSION_HIST_BINS);
			attrset(A_NORMAL);
		}
		return;
	}
	if (d->class_counts != NULL) {
		size_t nv = d->nvalues < 50 ? d->nvalues : 50;
		int vw = w / 4, cw;

		cw = d->nclasses > 0 ? (w - vw) / (int)d->nclasses : 0;
		if (cw > 12)
			cw = 12;
		if (cw < 4)
			return;
		attrset(tattr(TA_DIM));
		for (k = 0; k < d->nclasses; k++)
			put_str(y, x + vw + (int)k * cw, d->classes[k], cw - 1,
			    1, 1);
		attrset(A_NORMAL);
		for (i = 0; i < nv && r < h - 1; i++, r++) {
			size_t tot = 0;

			for (k = 0; k < d->nclasses; k++)
				tot += d->class_counts[k * nv + i];
			put_str(y + 1 + r, x, d->values[i], vw - 1, -1, 1);
			for (k = 0; k < d->nclasses; k++) {
				snprintf(buf, sizeof buf, "%.0f%%", tot ?
				    100.0 * (double)d->class_counts[k * nv +
				    i] / (double)tot : 0.0);
				put_str(y + 1 + r, x + vw + (int)k * cw, buf,
				    cw - 1, 1, 1);
			}
		}
	}
}

static void
draw_detail(const struct sdetail *d, int y, int h, int x, int w)
{
	const struct table *t = session_table(tui.s);
	const struct column *c = t != NULL && d->col < t->ncols ?
	    t->cols[d->col] : NULL;
	static const char *const qn[9] = { "p1", "p5", "p10", "p25",
	    "median", "p75", "p90", "p95", "p99" };
	char buf[128];
	int lw = 28, r = y, i, hh, numeric;
	size_t total = d->st.count + d->nmissing;

	if (c == NULL)
		return;
	numeric = coltype_is_numeric_storage(c->type);
	if (lw > w / 2)
		lw = w / 2;
	r = kv(r, x, lw, "type", coltype_name(c->type));
	fmt_count(buf, sizeof buf, total);
	r = kv(r, x, lw, "rows", buf);
	snprintf(buf, sizeof buf, "%zu (%.1f%%)", d->nmissing, total ?
	    100.0 * (double)d->nmissing / (double)total : 0.0);
	r = kv(r, x, lw, "missing", buf);
	fmt_count(buf, sizeof buf, d->ndistinct);
	r = kv(r, x, lw, "distinct", buf);
	if (numeric && d->st.count > 0) {
		if (coltype_is_number(c->type)) {
			fmt_num(buf, sizeof buf, d->st.mean);
			r = kv(r, x, lw, "mean", buf);
			fmt_num(buf, sizeof buf, d->st.std);
			r = kv(r, x, lw, "std", buf);
		}
		for (i = -1; i <= 9 && r < y + h; i++) {
			double v = i < 0 ? d->st.min : i == 9 ? d->st.max :
			    d->q[i];

			if (c->type == COL_DATE)
				fmt_date(buf, sizeof buf, v);
			else if (c->type == COL_DATETIME)
				fmt_datetime(buf, sizeof buf, v);
			else
				fmt_num(buf, sizeof buf, v);
			r = kv(r, x, lw, i < 0 ? "min" : i == 9 ? "max" :
			    qn[i], buf);
		}
	} else if (c->type == COL_TEXT && d->st.count > 0) {
		snprintf(buf, sizeof buf, "%zu-%zu, mean %.1f", d->st.len_min,
		    d->st.len_max, d->st.len_mean);
		r = kv(r, x, lw, "length", buf);
	}
	/* the right side: histogram or top values, then the target */
	x += lw + 2;
	w -= lw + 2;
	if (w < 10)
		return;
	hh = (h - 2) / 2;
	if (hh < 3)
		hh = h - 1;
	if (numeric && d->hist.valid) {
		char lo[48], hi[48];

		attrset(tattr(TA_TITLE));
		put_str(y, x, "histogram", w, -1, 0);
		attrset(A_NORMAL);
		vbars(y + 1, x, hh - 2, w, d->hist.count, SESSION_HIST_BINS);
		if (c->type == COL_DATE) {
			fmt_date(lo, sizeof lo, d->hist.lo);
			fmt_date(hi, sizeof hi, d->hist.hi);
		} else if (c->type == COL_DATETIME) {
			fmt_datetime(lo, sizeof lo, d->hist.lo);
			fmt_datetime(hi, sizeof hi, d->hist.hi);
		} else {
			fmt_num(lo, sizeof lo, d->hist.lo);
			fmt_num(hi, sizeof hi, d->hist.hi);
		}
		attrset(tattr(TA_DIM));
		put_str(y + hh - 1, x, lo, w / 2, -1, 0);
		put_str(y + hh - 1, x + w / 2, hi, w - w / 2, 1, 0);
		attrset(A_NORMAL);
	} else {
		size_t k;
		int vw = w / 3;

		attrset(tattr(TA_TITLE));
		put_str(y, x, "top values", w, -1, 0);
		attrset(A_NORMAL);
		for (k = 0; k < d->nvalues && (int)k < hh - 1; k++) {
			char cnt[32];

			put_str(y + 1 + (int)k, x, d->values[k], vw, -1, 1);
			fmt_count(cnt, sizeof cnt, d->counts[k]);
			put_str(y + 1 + (int)k, x + vw + 1, cnt, 9, 1, 1);
			attrset(tattr(TA_PLOT));
			put_bar(y + 1 + (int)k, x + vw + 11, w - vw - 12,
			    d->counts[0] ? (double)d->counts[k] /
			    (double)d->counts[0] : 0);
			attrset(A_NORMAL);
		}
	}
	draw_relation(d, y + hh + 1, h - hh - 1, x, w);
}

static void
detail_draw(int y, int h, int w)
{
	struct dstate *ds = tui.modal->arg;
	const struct sdetail *d = ready(ds);
	const struct table *t = session_table(tui.s);
	char title[256];

	snprintf(title, sizeof title, "%s: %s", t != NULL && ds->col <
	    t->ncols ? t->cols[ds->col]->name : "?", ds->freq ?
	    "value counts" : "detail");
	put_box(y, 0, h, w, title);
	if (d == NULL) {
		snprintf(title, sizeof title, "computing%s", glyph(G_ELLIPSIS));
		put_str(y + 1, 2, title, w - 4, -1, 0);
		return;
	}
	if (ds->freq)
		draw_freq(ds, d, y + 1, h - 2, 2, w - 4);
	else
		draw_detail(d, y + 1, h - 2, 2, w - 4);
}

static int
detail_key(const struct tkey *k)
{
	struct dstate *ds = tui.modal->arg;
	const struct table *t = session_table(tui.s);
	wint_t c = k->key;

	if ((k->code && c == KEY_DOWN) || (!k->code && c == 'j'))
		ds->top++;
	else if ((k->code && c == KEY_UP) || (!k->code && c == 'k'))
		ds->top = ds->top > 0 ? ds->top - 1 : 0;
	else if (k->code && c == KEY_NPAGE)
		ds->top += 10;
	else if (k->code && c == KEY_PPAGE)
		ds->top = ds->top > 10 ? ds->top - 10 : 0;
	else if ((k->code && (c == KEY_RIGHT || c == KEY_LEFT)) ||
	    (!k->code && (c == 'l' || c == 'h'))) {
		/* the next column, as in the Data screen */
		int right = c == KEY_RIGHT || c == 'l';

		if (t == NULL)
			return 1;
		if (right && ds->col + 1 < t->ncols)
			ds->col++;
		else if (!right && ds->col > 0)
			ds->col--;
		ds->top = 0;
		session_want_detail(tui.s, ds->col);
	} else if (!k->code && (c == 'F' || c == '\r'))
		ds->freq = !ds->freq;
	else if (!k->code && c == 'q')
		return 0;
	else
		return 0;
	if (ds->freq && tui.s->detail != NULL && ds->top >=
	    tui.s->detail->nvalues)
		ds->top = tui.s->detail->nvalues ? tui.s->detail->nvalues - 1 :
		    0;
	return 1;
}

static void
detail_free(void *arg)
{
	free(arg);
	tui.s->detail_wanted = -1;
}

void
detail_open(size_t col, int freq)
{
	struct dstate *ds = xcalloc(1, sizeof *ds);
	struct modal *m = xcalloc(1, sizeof *m);

	ds->col = col;
	ds->freq = freq;
	session_want_detail(tui.s, col);
	m->draw = detail_draw;
	m->key = detail_key;
	m->free = detail_free;
	m->arg = ds;
	m->help = "Left/Right another column  F value counts/detail  "
	    "Up/Down scroll  Esc close";
	tui_modal_push(m);
}

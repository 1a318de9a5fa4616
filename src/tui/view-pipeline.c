/*
 * view-pipeline.c - the Pipeline screen: on the left the statements,
 * with the source as step 0 and each step's describe() line and a mark
 * (fitted, failed, not run, disabled); on the right the preview of the
 * selected step: its spec line, the shape before and after, its error,
 * the columns it changed, and the table it produced.  Moving the cursor
 * selects the step the other screens show.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "tui/tui.h"

static struct grid pg;
static uint64_t pg_gen;
static size_t list_top;

static const struct keybind pipeline_keys[] = {
	{ 'a', "a", "add", "add a step after this one (a menu, then a form)",
	  "add" },
	{ 'e', "e", "edit", "edit the step (a form)", "edit" },
	{ 'd', "d", "delete", "delete the step", "delete" },
	{ 'J', "J", "move down", "move the step down", "down" },
	{ 'K', "K", "move up", "move the step up", "up" },
	{ ' ', "space", "toggle", "disable or enable the step", "on/off" },
	{ 'u', "u", "undo", "undo", "undo" },
	{ CTRL_KEY('r'), "^R", "redo", "redo", NULL },
	{ '\r', "Enter", "screen data", "the Data screen at this step", NULL },
	{ KEY_ENTER, NULL, "screen data", NULL, NULL },
	{ KEY_UP, "Up/Down", NULL, "select a step (also j k g G)", NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

static const char *
mark(const struct sstep *st, enum tattr *a)
{
	switch (st->state) {
	case SS_FITTED:
		*a = TA_OK;
		return glyph(G_OK);
	case SS_ERROR:
		*a = TA_ERROR;
		return glyph(G_ERR);
	case SS_DISABLED:
		*a = TA_DIM;
		return glyph(G_OFF);
	default:
		*a = TA_DIM;
		return glyph(G_PENDING);
	}
}

struct pline {
	int		 step;		/* -1: a line that is not a step */
	const struct sline *l;
};

static void
draw_list(int y, int h, int w)
{
	struct session *s = tui.s;
	struct pline lines[512];
	size_t n = 0, i, k = 0, cur = 0;
	const struct table *raw = session_raw(s);
	char buf[512], a[32];
	int r;

	/* source (step 0), target, the steps, then model and the rest */
	lines[n].step = 0;
	lines[n++].l = NULL;
	for (i = 0; i < s->nlines && n < 512; i++) {
		if (s->lines[i].kind == SL_SOURCE)
			continue;
		lines[n].l = &s->lines[i];
		lines[n].step = s->lines[i].kind == SL_STEP ? (int)++k : -1;
		if (lines[n].step == (int)s->sel)
			cur = n;
		n++;
	}
	if (s->sel == 0)
		cur = 0;
	if (cur < list_top)
		list_top = cur;
	if (h > 1 && cur >= list_top + (size_t)(h - 1))
		list_top = cur - (size_t)(h - 1) + 1;
	attrset(tattr(TA_HEAD));
	put_str(y, 0, "pipeline", w, -1, 1);
	attrset(A_NORMAL);
	for (r = 0; r < h - 1 && list_top + (size_t)r < n; r++) {
		const struct pline *pl = &lines[list_top + (size_t)r];
		int ry = y + 1 + r, sel = list_top + (size_t)r == cur;
		enum tattr ma = TA_DIM;
		const char *mk = "";

		put_fill(ry, 0, w, A_NORMAL);
		if (pl->step == 0) {
			if (raw != NULL) {
				fmt_count(a, sizeof a, raw->nrows);
				snprintf(buf, sizeof buf, "source %s  %s%s%zu",
				    s->data ? s->data : "", a,
				    glyph(G_TIMES), raw->ncols);
			} else
				snprintf(buf, sizeof buf, "source %s",
				    s->loading ? "(loading)" : "(none)");
			mk = raw != NULL ? glyph(G_OK) : glyph(G_PENDING);
			ma = raw != NULL ? TA_OK : TA_DIM;
		} else if (pl->step > 0) {
			const struct sstep *st = &s->steps[pl->step - 1];

			snprintf(buf, sizeof buf, "%s",
			    st->describe && *st->describe ? st->describe :
			    pl->l->text);
			mk = mark(st, &ma);
		} else
			snprintf(buf, sizeof buf, "%s", pl->l->text);
		if (pl->step >= 0) {
			char num[16];

			snprintf(num, sizeof num, "%2d", pl->step);
			attrset(sel ? tattr(TA_CURSOR) : tattr(TA_DIM));
			put_str(ry, 0, num, 3, 1, 1);
			attrset(sel ? tattr(TA_CURSOR) : tattr(ma));
			put_str(ry, 3, " ", 1, -1, 1);
			put_str(ry, 4, mk, 2, -1, 1);
			attrset(sel ? tattr(TA_CURSOR) : pl->step > 0 &&
			    s->steps[pl->step - 1].state == SS_DISABLED ?
			    tattr(TA_DIM) : A_NORMAL);
			put_str(ry, 6, buf, w - 7, -1, 1);
		} else {
			attrset(tattr(TA_DIM));
			put_str(ry, 6, buf, w - 7, -1, 0);
		}
		attrset(A_NORMAL);
	}
	if (s->nsteps == 0 && h > 4) {
		attrset(tattr(TA_DIM));
		put_str(y + 3, 2, "no steps yet: a adds one, or :step TYPE",
		    w - 3, -1, 0);
		attrset(A_NORMAL);
	}
}

static void
draw_preview(int y, int h, int x, int w)
{
	struct session *s = tui.s;
	const struct table *t = session_table(s);
	char buf[1024], a[32], b[32];
	int row = y;
	size_t i;

	put_fill(row, x, w, tattr(TA_HEAD));
	attrset(tattr(TA_HEAD));
	if (s->sel == 0)
		snprintf(buf, sizeof buf, "step 0: the data");
	else
		snprintf(buf, sizeof buf, "step %zu: %s", s->sel,
		    s->lines[session_step_line(s, s->sel)].text);
	put_str(row++, x, buf, w, -1, 0);
	attrset(A_NORMAL);
	if (s->raw == NULL) {
		put_str(row, x, "no data", w, -1, 0);
		return;
	}
	if (s->computing) {
		snprintf(buf, sizeof buf, "computing%s", glyph(G_ELLIPSIS));
		put_str(row++, x, buf, w, -1, 0);
	} else if (t != NULL) {
		fmt_count(a, sizeof a, s->before_rows);
		fmt_count(b, sizeof b, t->nrows);
		snprintf(buf, sizeof buf, "%s%s%zu %s %s%s%zu", a,
		    glyph(G_TIMES), s->before_cols, glyph(G_ARROW), b,
		    glyph(G_TIMES), t->ncols);
		put_str(row++, x, buf, w, -1, 0);
	}
	if (s->sel > 0) {
		const struct sstep *st = NULL;

		/* the failing step, if one up to the selection failed */
		for (i = 0; i < s->sel; i++)
			if (s->steps[i].state == SS_ERROR) {
				st = &s->steps[i];
				break;
			}
		if (st != NULL) {
			attrset(tattr(TA_ERROR));
			snprintf(buf, sizeof buf, "step %zu failed: %s", i + 1,
			    st->error ? st->error : "");
			put_str(row++, x, buf, w, -1, 0);
			if (str_width(buf) > w && row < y + h - 2)
				put_str(row++, x, buf + (w > 20 ? w - 20 : 0),
				    w, -1, 0);
			attrset(A_NORMAL);
			if (s->shown < s->sel) {
				snprintf(buf, sizeof buf, "showing the table "
				    "after step %zu", s->shown);
				attrset(tattr(TA_DIM));
				put_str(row++, x, buf, w, -1, 0);
				attrset(A_NORMAL);
			}
		} else {
			st = &s->steps[s->sel - 1];
			if (st->state == SS_DISABLED) {
				attrset(tattr(TA_DIM));
				put_str(row++, x, "disabled (space enables it)",
				    w, -1, 0);
				attrset(A_NORMAL);
			} else if (st->nwrites > 0) {
				struct strbuf sb = STRBUF_INIT;

				strbuf_addstr(&sb, "changes: ");
				for (i = 0; i < st->nwrites; i++)
					strbuf_addf(&sb, "%s%s", i ? ", " : "",
					    st->writes[i]);
				attrset(tattr(TA_CHANGED));
				put_str(row++, x, sb.buf, w, -1, 0);
				attrset(A_NORMAL);
				strbuf_release(&sb);
			}
		}
	}
	row++;
	if (t != NULL && row < y + h - 1) {
		unsigned char *changed = xcalloc(t->ncols ? t->ncols : 1, 1);

		int fresh = 0;

		if (t != pg.t || s->gen != pg_gen) {
			grid_reset(&pg, NULL);
			grid_reset(&pg, t);
			pg_gen = s->gen;
			pg.left = pg.col = 0;
			fresh = 1;
		}
		if (s->shown > 0) {
			const struct sstep *st = &s->steps[s->shown - 1];

			for (i = 0; i < st->nwrites; i++) {
				long c = table_find(t, st->writes[i]);

				if (c < 0)
					continue;
				changed[c] = 1;
				/* start at the first changed column */
				if (fresh) {
					pg.left = pg.col = (size_t)c;
					fresh = 0;
				}
			}
		}
		pg.changed = changed;
		pg.cursor = 0;
		grid_draw(&pg, row, x, y + h - row, w);
		pg.changed = NULL;
		free(changed);
	}
}

static void
pipeline_draw(int y, int h, int w)
{
	int lw = w * 45 / 100;

	if (lw < 30)
		lw = w < 60 ? w / 2 : 30;
	if (lw > 60)
		lw = 60;
	draw_list(y, h, lw);
	attrset(tattr(TA_DIM));
	put_vline(y, lw, h);
	attrset(A_NORMAL);
	draw_preview(y, h, lw + 2, w - lw - 2);
}

static int
pipeline_key(const struct tkey *k)
{
	struct session *s = tui.s;
	wint_t c = k->key;

	if ((k->code && c == KEY_UP) || (!k->code && c == 'k')) {
		if (s->sel > 0)
			session_select(s, s->sel - 1);
	} else if ((k->code && c == KEY_DOWN) || (!k->code && c == 'j'))
		session_select(s, s->sel + 1);
	else if ((k->code && c == KEY_HOME) || (!k->code && c == 'g'))
		session_select(s, 0);
	else if ((k->code && c == KEY_END) || (!k->code && c == 'G'))
		session_select(s, s->nsteps);
	else if (!k->code && c == 'l') {
		pg.left++;
		pg.col = pg.left;
	} else if (!k->code && c == 'h') {
		if (pg.left > 0)
			pg.left--;
		pg.col = pg.left;
	} else
		return 0;
	return 1;
}

static void
pview_free(void)
{
	free(pg.width);
	memset(&pg, 0, sizeof pg);
}

const struct view_ops view_pipeline_ops = {
	.name = "Pipeline",
	.keys = pipeline_keys,
	.draw = pipeline_draw,
	.key = pipeline_key,
	.free = pview_free,
};

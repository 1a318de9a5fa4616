/*
 * view-data.c - the Data screen: the table after the selected step as a
 * grid (draw.c's grid: only the visible cells are formatted), with the
 * columns that step changed or added highlighted, a find in the current
 * column, column widths, and a subset of rows (the confusion matrix's
 * cells open here).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xmalloc.h"
#include "tui/tui.h"

static struct grid g;
static uint64_t grid_gen;
static size_t grid_shown = SIZE_MAX;
static size_t *subset;
static size_t nsubset;
static char *subset_what;

static const struct keybind data_keys[] = {
	{ '/', "/", NULL, "find text in the current column", "find" },
	{ 'n', "n", "next", "the next match", NULL },
	{ 'F', "F", "freq", "frequency table of the current column", "counts" },
	{ '\r', "Enter", "detail", "the current column in detail", "detail" },
	{ KEY_ENTER, NULL, "detail", NULL, NULL },
	{ '<', "<", "narrow", "narrow the current column", NULL },
	{ '>', ">", "widen", "widen the current column", NULL },
	{ '[', "[", NULL, "show the table after the previous step", NULL },
	{ ']', "]", NULL, "show the table after the next step", NULL },
	{ 'x', "x", NULL, "back to all rows (after a confusion-matrix cell)",
	  NULL },
	{ KEY_UP, "arrows", NULL, "move (also h j k l)", NULL },
	{ KEY_NPAGE, "PgDn", NULL, "page down (PgUp: up; also ^F ^B)", NULL },
	{ 'g', "g G", NULL, "first row, last row (0 $: first, last column)",
	  NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

/* The table shown: a subset of the raw rows, or the preview. */
static const struct table *
shown_table(void)
{
	if (subset != NULL)
		return session_raw(tui.s);
	return session_table(tui.s);
}

static void
sync_grid(void)
{
	const struct table *t = shown_table();

	if (t != g.t || tui.s->gen != grid_gen || tui.s->shown != grid_shown) {
		grid_reset(&g, NULL);
		grid_reset(&g, t);
		grid_gen = tui.s->gen;
		grid_shown = tui.s->shown;
	}
	g.rows = subset;
	g.nrows = nsubset;
	if (t != NULL) {
		size_t n = subset ? nsubset : t->nrows;

		if (g.row >= n)
			g.row = n ? n - 1 : 0;
	}
}

void
data_show_rows(size_t *rows, size_t n, const char *what)
{
	free(subset);
	free(subset_what);
	subset = rows;
	nsubset = n;
	subset_what = xstrdup(what);
	g.row = g.top = 0;
	grid_gen = 0;
	tui_switch(VIEW_DATA);
}

static void
subset_clear(void)
{
	free(subset);
	free(subset_what);
	subset = NULL;
	subset_what = NULL;
	nsubset = 0;
	grid_gen = 0;
}

static void
welcome(int y, int h, int w)
{
	static const char *const lines[] = {
		"No data open.",
		"",
		"  :open FILE       a CSV file, file.db:table, a workspace "
		"dataset or a spec",
		"                   (Tab completes names and paths)",
		"  ?                the keys of each screen",
		"  q                quit",
		NULL
	};
	int i;

	for (i = 0; lines[i] != NULL && i < h - 1; i++) {
		if (i == 0)
			attrset(tattr(TA_TITLE));
		put_str(y + 1 + i, 2, lines[i], w - 4, -1, 0);
		attrset(A_NORMAL);
	}
}

static void
data_draw(int y, int h, int w)
{
	struct session *s = tui.s;
	const struct table *t;
	unsigned char *changed = NULL;
	char line[512], a[32];
	size_t i, n;

	sync_grid();
	t = g.t;
	if (t == NULL) {
		if (s->loading) {
			snprintf(line, sizeof line, "loading %s%s",
			    s->loading_what ? s->loading_what : "",
			    glyph(G_ELLIPSIS));
			put_str(y + 1, 2, line, w - 4, -1, 0);
		} else if (s->computing) {
			snprintf(line, sizeof line, "computing the table after "
			    "step %zu%s", s->sel, glyph(G_ELLIPSIS));
			put_str(y + 1, 2, line, w - 4, -1, 0);
		} else
			welcome(y, h, w);
		return;
	}
	n = subset ? nsubset : t->nrows;
	/* the line above the grid: where we are */
	if (subset != NULL) {
		fmt_count(a, sizeof a, nsubset);
		snprintf(line, sizeof line, "%s: %s row%s (x: all rows)",
		    subset_what, a, nsubset == 1 ? "" : "s");
		attrset(tattr(TA_TITLE));
	} else if (s->shown == 0)
		snprintf(line, sizeof line, "the data%s",
		    s->sel > 0 ? " (a step failed: see the Pipeline screen)" :
		    "");
	else {
		const struct sstep *st = &s->steps[s->shown - 1];

		snprintf(line, sizeof line, "after step %zu/%zu: %s",
		    s->shown, s->nsteps, st->describe ? st->describe : "");
		changed = xcalloc(t->ncols ? t->ncols : 1, 1);
		for (i = 0; i < st->nwrites; i++) {
			long c = table_find(t, st->writes[i]);

			if (c >= 0)
				changed[c] = 1;
		}
	}
	if (s->shown < s->sel && subset == NULL) {
		const struct sstep *bad = &s->steps[s->shown];

		if (bad->state == SS_ERROR) {
			attrset(tattr(TA_ERROR));
			snprintf(line, sizeof line, "step %zu failed: %s",
			    s->shown + 1, bad->error ? bad->error : "");
		}
	}
	put_str(y, 0, line, w * 2 / 3, -1, 0);
	attrset(A_NORMAL);
	if (t->ncols > 0 && n > 0) {
		const struct column *c = t->cols[g.col];
		char pos[128], r[32];

		fmt_count(r, sizeof r, g.row + 1);
		fmt_count(a, sizeof a, n);
		snprintf(pos, sizeof pos, "row %s/%s  %s %s", r, a, c->name,
		    coltype_name(c->type));
		attrset(tattr(TA_DIM));
		put_str(y, w - w / 3, pos, w / 3, 1, 1);
		attrset(A_NORMAL);
	}
	g.changed = changed;
	g.cursor = 1;
	grid_draw(&g, y + 1, 0, h - 1, w);
	g.changed = NULL;
	free(changed);
}

static void
move_row(long delta)
{
	size_t n = g.t == NULL ? 0 : subset ? nsubset : g.t->nrows;

	if (n == 0)
		return;
	if (delta < 0 && (size_t)-delta > g.row)
		g.row = 0;
	else if (delta > 0 && g.row + (size_t)delta >= n)
		g.row = n - 1;
	else
		g.row = (size_t)((long)g.row + delta);
}

static void
move_col(long delta)
{
	if (g.t == NULL || g.t->ncols == 0)
		return;
	if (delta < 0 && (size_t)-delta > g.col)
		g.col = 0;
	else if (delta > 0 && g.col + (size_t)delta >= g.t->ncols)
		g.col = g.t->ncols - 1;
	else
		g.col = (size_t)((long)g.col + delta);
}

static int
data_key(const struct tkey *k)
{
	long page = tui.rows - 5 > 1 ? tui.rows - 5 : 1;
	wint_t c = k->key;

	if (k->code) {
		switch (c) {
		case KEY_UP:
			move_row(-1);
			return 1;
		case KEY_DOWN:
			move_row(1);
			return 1;
		case KEY_LEFT:
			move_col(-1);
			return 1;
		case KEY_RIGHT:
			move_col(1);
			return 1;
		case KEY_NPAGE:
			move_row(page);
			return 1;
		case KEY_PPAGE:
			move_row(-page);
			return 1;
		case KEY_HOME:
			g.row = 0;
			return 1;
		case KEY_END:
			move_row(1L << 60);
			return 1;
		}
		return 0;
	}
	switch (c) {
	case 'k':
		move_row(-1);
		return 1;
	case 'j':
		move_row(1);
		return 1;
	case 'h':
		move_col(-1);
		return 1;
	case 'l':
		move_col(1);
		return 1;
	case CTRL_KEY('f'):
	case ' ':
		move_row(page);
		return 1;
	case CTRL_KEY('b'):
		move_row(-page);
		return 1;
	case 'g':
		g.row = 0;
		return 1;
	case 'G':
		move_row(1L << 60);
		return 1;
	case '0':
		g.col = 0;
		return 1;
	case '$':
		move_col(1L << 30);
		return 1;
	case '/':
		prompt_open('/', NULL);
		return 1;
	case '[':
		if (tui.s->sel > 0)
			session_select(tui.s, tui.s->sel - 1);
		return 1;
	case ']':
		session_select(tui.s, tui.s->sel + 1);
		return 1;
	case 'x':
		if (subset != NULL) {
			subset_clear();
			tui_status("all rows");
		}
		return 1;
	}
	return 0;
}

/* Does row r of column c hold text containing needle (any case)? */
static int
cell_matches(const struct column *c, size_t r, const char *needle,
    const unsigned char *codes_ok, struct strbuf *sb)
{
	if (c->type == COL_CAT)
		return c->codes[r] >= 0 && codes_ok[c->codes[r]];
	if (c->type == COL_TEXT) {
		const char *s = column_str(c, r);

		return s != NULL && strcasestr(s, needle) != NULL;
	}
	strbuf_reset(sb);
	return column_format(c, r, sb) && strcasestr(sb->buf, needle) !=
	    NULL;
}

static int
find_next(int from_next)
{
	const struct table *t = g.t;
	const struct column *c;
	struct strbuf sb = STRBUF_INIT;
	unsigned char *codes_ok = NULL;
	size_t n, i, start, r;
	int found = 0;

	if (tui.search == NULL || *tui.search == '\0') {
		tui_error("nothing to find: / then the text");
		return -1;
	}
	if (t == NULL || t->ncols == 0) {
		tui_error("no data");
		return -1;
	}
	c = t->cols[g.col];
	n = subset ? nsubset : t->nrows;
	if (c->type == COL_CAT) {
		codes_ok = xcalloc(c->dict->n ? c->dict->n : 1, 1);
		for (i = 0; i < c->dict->n; i++)
			codes_ok[i] = strcasestr(dict_str(c->dict,
			    (int32_t)i), tui.search) != NULL;
	}
	start = from_next ? g.row + 1 : g.row;
	for (i = 0; i < n; i++) {
		size_t vr = (start + i) % n;

		r = subset ? subset[vr] : vr;
		if (cell_matches(c, r, tui.search, codes_ok, &sb)) {
			g.row = vr;
			found = 1;
			if (vr < start && i > 0)
				tui_status("'%s' in %s: row %zu (wrapped)",
				    tui.search, c->name, r + 1);
			else
				tui_status("'%s' in %s: row %zu", tui.search,
				    c->name, r + 1);
			break;
		}
	}
	free(codes_ok);
	strbuf_release(&sb);
	if (!found) {
		tui_error("'%s' is not in column %s", tui.search, c->name);
		return -1;
	}
	return 1;
}

static int
data_command(int argc, char **argv)
{
	if (strcmp(argv[0], "find") == 0) {
		struct strbuf sb = STRBUF_INIT;
		int i;

		if (argc < 2) {
			tui_error("usage: find TEXT");
			return -1;
		}
		for (i = 1; i < argc; i++) {
			if (i > 1)
				strbuf_addch(&sb, ' ');
			strbuf_addstr(&sb, argv[i]);
		}
		free(tui.search);
		tui.search = strbuf_detach(&sb);
		sync_grid();
		if (tui.view != VIEW_DATA)
			tui_switch(VIEW_DATA);
		return find_next(0);
	}
	if (strcmp(argv[0], "next") == 0) {
		sync_grid();
		return find_next(1);
	}
	if (strcmp(argv[0], "widen") == 0 || strcmp(argv[0], "narrow") == 0) {
		int w;

		sync_grid();
		if (g.t == NULL || g.t->ncols == 0)
			return 1;
		w = grid_width(&g, g.col) + (argv[0][0] == 'w' ? 2 : -2);
		if (w < 3)
			w = 3;
		if (w > 200)
			w = 200;
		g.width[g.col] = w;
		return 1;
	}
	if (strcmp(argv[0], "detail") == 0 || strcmp(argv[0], "freq") == 0) {
		sync_grid();
		if (g.t == NULL || g.t->ncols == 0) {
			tui_error("no data");
			return -1;
		}
		if (subset != NULL) {
			tui_error("%s: press x for all rows first", argv[0]);
			return -1;
		}
		detail_open(g.col, argv[0][0] == 'f');
		return 1;
	}
	return 0;
}

static void
data_update(int bits)
{
	if (bits & SESSION_LOADED)
		subset_clear();
}

static void
data_free(void)
{
	subset_clear();
	free(g.width);
	memset(&g, 0, sizeof g);
}

const struct view_ops view_data_ops = {
	.name = "Data",
	.keys = data_keys,
	.draw = data_draw,
	.key = data_key,
	.update = data_update,
	.free = data_free,
	.command = data_command,
};

/*
 * draw.c - what the screens draw with: attributes for each role, in
 * colour or (on a monochrome terminal such as a vt100) with reverse,
 * bold and dim only; glyphs in UTF-8 or ASCII; text cut and aligned by
 * display width; bars, sparklines, boxes; and the table grid shared by
 * the Data screen and the pipeline preview.
 *
 * Text from the data is valid UTF-8 (the loaders check it).  In a UTF-8
 * locale it is drawn as wide characters measured with wcwidth(); in any
 * other locale every non-ASCII character is drawn as '?', one column.
 * Control characters are drawn as '?' in both.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/strbuf.h"
#include "core/xmalloc.h"
#include "tui/tui.h"

static attr_t attrs[TA__COUNT];

static const char *const glyphs_utf8[G__COUNT] = {
	"\xc2\xb7", "\xe2\x86\x92", "\xe2\x9c\x93", "\xe2\x9c\x97",
	"\xe2\x97\x8b", "\xe2\x80\x93", "\xe2\x80\xa6", "\xc3\x97",
	"\xc2\xb1", "\xe2\x96\xb2", "\xe2\x96\xbc",
};
static const char *const glyphs_ascii[G__COUNT] = {
	".", "->", "+", "x", "o", "-", ">", "x", "+-", "^", "v",
};

void
draw_init(void)
{
	static const struct {
		enum tattr	 role;
		short		 fg, bg;
		attr_t		 color_extra;
		attr_t		 mono;
	} roles[] = {
		{ TA_BAR, COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
		{ TA_BAR_CUR, COLOR_WHITE, COLOR_BLUE, A_BOLD, A_BOLD },
		{ TA_HEAD, COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE },
		{ TA_HEAD_CHANGED, COLOR_YELLOW, -1, A_BOLD | A_UNDERLINE,
		  A_BOLD | A_REVERSE },
		{ TA_CHANGED, COLOR_YELLOW, -1, 0, A_BOLD },
		{ TA_MISSING, COLOR_BLUE, -1, A_DIM, A_DIM },
		{ TA_CURSOR, -1, -1, A_REVERSE, A_REVERSE },
		{ TA_ERROR, COLOR_RED, -1, A_BOLD, A_BOLD },
		{ TA_OK, COLOR_GREEN, -1, 0, 0 },
		{ TA_DIM, -1, -1, A_DIM, A_DIM },
		{ TA_KEY, COLOR_CYAN, -1, A_BOLD, A_BOLD },
		{ TA_PLOT, COLOR_GREEN, -1, 0, 0 },
		{ TA_PLOT2, COLOR_MAGENTA, -1, 0, A_BOLD },
		{ TA_TITLE, -1, -1, A_BOLD, A_BOLD },
		{ TA_MARK, COLOR_MAGENTA, -1, 0, A_DIM },
		{ TA_BOX, -1, -1, 0, 0 },
		{ TA_STATUS_ERR, COLOR_WHITE, COLOR_RED, A_BOLD,
		  A_BOLD | A_REVERSE },
		{ TA_HEAT1, COLOR_BLACK, COLOR_WHITE, 0, 0 },
		{ TA_HEAT2, COLOR_BLACK, COLOR_CYAN, 0, A_UNDERLINE },
		{ TA_HEAT3, COLOR_BLACK, COLOR_YELLOW, 0, A_BOLD },
		{ TA_HEAT4, COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE },
	};
	size_t i;

	tui.colors = has_colors() && getenv("NO_COLOR") == NULL;
	if (tui.colors) {
		start_color();
		if (use_default_colors() == ERR)
			tui.colors = COLORS >= 8;
	}
	attrs[TA_NORMAL] = A_NORMAL;
	for (i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		short pair = (short)(i + 1);
		short bg = roles[i].bg;

		if (!tui.colors) {
			attrs[roles[i].role] = roles[i].mono;
			continue;
		}
		if (roles[i].fg == -1 && bg == -1) {
			attrs[roles[i].role] = roles[i].color_extra;
			continue;
		}
		init_pair(pair, roles[i].fg, bg);
		attrs[roles[i].role] = COLOR_PAIR(pair) | roles[i].color_extra;
	}
}

attr_t
tattr(enum tattr r)
{
	return attrs[r];
}

const char *
glyph(enum tglyph g)
{
	return tui.utf8 ? glyphs_utf8[g] : glyphs_ascii[g];
}

/* Decode one UTF-8 character at s; its length in *len (at least 1). */
static wchar_t
utf8_next(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	wchar_t c;
	size_t n, i;

	if (u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	if ((u[0] & 0xe0) == 0xc0) {
		n = 2;
		c = u[0] & 0x1f;
	} else if ((u[0] & 0xf0) == 0xe0) {
		n = 3;
		c = u[0] & 0x0f;
	} else if ((u[0] & 0xf8) == 0xf0) {
		n = 4;
		c = u[0] & 0x07;
	} else {
		*len = 1;
		return '?';
	}
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*len = i;
			return '?';
		}
		c = (c << 6) | (u[i] & 0x3f);
	}
	*len = n;
	return c;
}

static int
wc_width(wchar_t c)
{
	int w;

	if (c < 0x20 || c == 0x7f)
		return 1;		/* drawn as '?' */
	if (c < 0x7f)
		return 1;
	if (!tui.utf8)
		return 1;
	w = wcwidth(c);
	return w < 0 ? 1 : w;
}

static wchar_t
wc_shown(wchar_t c)
{
	if (c < 0x20 || c == 0x7f)
		return '?';
	if (c >= 0x80 && (!tui.utf8 || wcwidth(c) < 0))
		return '?';
	return c;
}

int
str_width(const char *s)
{
	size_t len;
	int w = 0;

	while (*s != '\0') {
		w += wc_width(utf8_next(s, &len));
		s += len;
	}
	return w;
}

void
put_fill(int y, int x, int w, attr_t a)
{
	int i;

	attron(a);
	move(y, x);
	for (i = 0; i < w; i++)
		addch(' ');
	attroff(a);
}

int
put_str(int y, int x, const char *s, int w, int align, int pad)
{
	wchar_t buf[512];
	const char *p;
	size_t len, n = 0;
	int width = 0, total, cut, ew;

	if (w <= 0)
		return 0;
	total = str_width(s);
	cut = total > w;
	ew = cut ? str_width(glyph(G_ELLIPSIS)) : 0;
	for (p = s; *p != '\0' && n < sizeof buf / sizeof buf[0] - 8;
	    p += len) {
		wchar_t c = utf8_next(p, &len);
		int cw = wc_width(c);

		if (width + cw > w - ew)
			break;
		buf[n++] = wc_shown(c);
		width += cw;
	}
	if (cut) {
		for (p = glyph(G_ELLIPSIS); *p != '\0'; p += len)
			buf[n++] = utf8_next(p, &len);
		width += ew;
	}
	buf[n] = L'\0';
	if (align > 0 && width < w) {
		if (pad)
			put_fill(y, x, w - width, A_NORMAL);
		x += w - width;
	}
	mvaddnwstr(y, x, buf, (int)n);
	if (pad && align <= 0 && width < w) {
		int i;

		for (i = width; i < w; i++)
			addch(' ');
	}
	return pad ? w : width;
}

int
wrap_lines(const char *s, int w, char ***out)
{
	char **v = NULL;
	int n = 0;

	while (*s != '\0') {
		const char *p = s, *cut = NULL;
		int width = 0;
		size_t len;

		/* the longest prefix that fits, cut after a blank if one */
		while (*p != '\0') {
			int cw;

			if (*p == ' ')
				cut = p;
			cw = wc_width(utf8_next(p, &len));
			if (width + cw > w)
				break;
			width += cw;
			p += len;
		}
		if (*p != '\0' && cut != NULL && cut > s)
			p = cut;
		if (p == s)
			p = s + 1;
		v = xreallocarray(v, (size_t)n + 1, sizeof *v);
		v[n++] = xstrndup(s, (size_t)(p - s));
		s = p;
		while (*s == ' ')
			s++;
	}
	*out = v;
	return n;
}

void
put_bar(int y, int x, int w, double frac)
{
	static const char *const eighths[] = { "", "\xe2\x96\x8f",
	    "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c", "\xe2\x96\x8b",
	    "\xe2\x96\x8a", "\xe2\x96\x89" };
	int full, part, i;
	double cells;

	if (w <= 0 || !(frac > 0))
		return;
	if (frac > 1)
		frac = 1;
	cells = frac * w;
	full = (int)cells;
	part = (int)((cells - full) * 8);
	move(y, x);
	for (i = 0; i < full; i++)
		addstr(tui.utf8 ? "\xe2\x96\x88" : "#");
	if (full < w && part > 0)
		addstr(tui.utf8 ? eighths[part] : (part >= 4 ? "#" : ""));
	if (full == 0 && part == 0)
		addstr(tui.utf8 ? eighths[1] : "|");
}

void
put_spark(int y, int x, int w, const size_t *counts, size_t n)
{
	static const char *const levels[] = { "\xe2\x96\x81", "\xe2\x96\x82",
	    "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
	    "\xe2\x96\x87", "\xe2\x96\x88" };
	static const char ascii[] = "._-=+*#@";
	size_t *cell, max = 0, i;
	int c;

	if (w <= 0 || n == 0)
		return;
	cell = xcalloc((size_t)w, sizeof *cell);
	for (i = 0; i < n; i++)
		cell[i * (size_t)w / n] += counts[i];
	for (c = 0; c < w; c++)
		if (cell[c] > max)
			max = cell[c];
	move(y, x);
	for (c = 0; c < w; c++) {
		int lv;

		if (cell[c] == 0 || max == 0) {
			addch(' ');
			continue;
		}
		lv = (int)((double)cell[c] * 7.999 / (double)max);
		if (tui.utf8)
			addstr(levels[lv]);
		else
			addch((chtype)ascii[lv]);
	}
	free(cell);
}

void
put_vline(int y, int x, int h)
{
	if (tui.utf8)
		mvvline_set(y, x, WACS_VLINE, h);
	else
		mvvline(y, x, ACS_VLINE, h);
}

void
put_box(int y, int x, int h, int w, const char *title)
{
	int i;

	if (h < 2 || w < 2)
		return;
	for (i = 0; i < h; i++)
		put_fill(y + i, x, w, A_NORMAL);
	attron(tattr(TA_BOX));
	if (tui.utf8) {
		/* Unicode lines: no alternate character set needed */
		mvadd_wch(y, x, WACS_ULCORNER);
		mvhline_set(y, x + 1, WACS_HLINE, w - 2);
		mvadd_wch(y, x + w - 1, WACS_URCORNER);
		mvvline_set(y + 1, x, WACS_VLINE, h - 2);
		mvvline_set(y + 1, x + w - 1, WACS_VLINE, h - 2);
		mvadd_wch(y + h - 1, x, WACS_LLCORNER);
		mvhline_set(y + h - 1, x + 1, WACS_HLINE, w - 2);
		mvadd_wch(y + h - 1, x + w - 1, WACS_LRCORNER);
	} else {
		mvaddch(y, x, ACS_ULCORNER);
		mvhline(y, x + 1, ACS_HLINE, w - 2);
		mvaddch(y, x + w - 1, ACS_URCORNER);
		mvvline(y + 1, x, ACS_VLINE, h - 2);
		mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
		mvaddch(y + h - 1, x, ACS_LLCORNER);
		mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
		mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	}
	attroff(tattr(TA_BOX));
	if (title != NULL && w > 6) {
		attron(tattr(TA_TITLE));
		mvaddch(y, x + 2, ' ');
		put_str(y, x + 3, title, w - 6, -1, 0);
		addch(' ');
		attroff(tattr(TA_TITLE));
	}
}

void
fmt_num(char *buf, size_t n, double v)
{
	if (isnan(v))
		snprintf(buf, n, "%s", "");
	else if (v == floor(v) && fabs(v) < 1e12)
		snprintf(buf, n, "%.0f", v);
	else if (fabs(v) >= 1e-3 && fabs(v) < 1e7)
		snprintf(buf, n, "%.4g", v);
	else
		snprintf(buf, n, "%.3g", v);
}

void
fmt_count(char *buf, size_t n, size_t v)
{
	char tmp[32];
	size_t len, i, o = 0;

	snprintf(tmp, sizeof tmp, "%zu", v);
	len = strlen(tmp);
	for (i = 0; i < len && o + 2 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
}

char
type_mark(enum coltype t)
{
	switch (t) {
	case COL_INT:
		return '#';
	case COL_FLOAT:
		return '%';
	case COL_BOOL:
		return '?';
	case COL_CAT:
		return '=';
	case COL_TEXT:
		return '"';
	case COL_DATE:
		return '@';
	case COL_DATETIME:
		return '&';
	default:
		return ' ';
	}
}

/* ------------------------------------------------------------ grid --- */

static int
right_aligned(enum coltype t)
{
	return t == COL_INT || t == COL_FLOAT;
}

/*
 * A cell as the grid shows it: column_format(), but a float of more than
 * twelve characters (0.22222222222222213) with ten significant digits.
 */
static int
cell_text(const struct column *c, size_t r, struct strbuf *sb)
{
	char num[32];

	strbuf_reset(sb);
	if (!column_format(c, r, sb))
		return 0;
	if (c->type == COL_FLOAT && sb->len > 12) {
		snprintf(num, sizeof num, "%.10g", column_value(c, r));
		strbuf_reset(sb);
		strbuf_addstr(sb, num);
	}
	return 1;
}

void
grid_reset(struct grid *g, const struct table *t)
{
	size_t i;
	int same = g->t != NULL && t != NULL && g->nwidth == t->ncols;

	for (i = 0; same && i < t->ncols; i++)
		if (strcmp(g->t->cols[i]->name, t->cols[i]->name) != 0)
			same = 0;
	if (g->t == NULL || !same) {
		free(g->width);
		g->nwidth = t != NULL ? t->ncols : 0;
		g->width = xcalloc(g->nwidth ? g->nwidth : 1,
		    sizeof *g->width);
	}
	g->t = t;
	if (t == NULL)
		return;
	if (g->col >= t->ncols)
		g->col = t->ncols ? t->ncols - 1 : 0;
	if (g->left > g->col)
		g->left = g->col;
	if (g->row >= t->nrows)
		g->row = t->nrows ? t->nrows - 1 : 0;
	if (g->top > g->row)
		g->top = g->row;
}

int
grid_width(struct grid *g, size_t col)
{
	const struct column *c;
	struct strbuf sb = STRBUF_INIT;
	size_t r, n, i;
	int w;

	if (g->t == NULL || col >= g->nwidth)
		return 8;
	if (g->width[col] > 0)
		return g->width[col];
	c = g->t->cols[col];
	w = str_width(c->name) + 2;
	n = g->rows != NULL ? g->nrows : g->t->nrows;
	/* the first rows and those around the view: cheap, and enough */
	for (i = 0; i < 200 && i < n; i++) {
		r = i < 100 ? i : g->top + (i - 100);
		if (r >= n)
			continue;
		if (g->rows != NULL)
			r = g->rows[r];
		if (cell_text(c, r, &sb)) {
			int cw = str_width(sb.buf);

			if (cw > w)
				w = cw;
		}
	}
	strbuf_release(&sb);
	if (w < 4)
		w = 4;
	if (w > 30)
		w = 30;
	g->width[col] = w;
	return w;
}

void
grid_draw(struct grid *g, int y, int x, int h, int w)
{
	const struct table *t = g->t;
	struct strbuf sb = STRBUF_INIT;
	char num[32];
	size_t nrows, c, r;
	int gut, cx, i, rowsh;

	g->shown_cols = 0;
	g->shown_rows = 0;
	if (t == NULL || h < 2 || w < 8)
		return;
	nrows = g->rows != NULL ? g->nrows : t->nrows;
	/* row numbers are the table's, also for a subset */
	snprintf(num, sizeof num, "%zu", t->nrows);
	gut = (int)strlen(num) + 1;
	if (gut > w / 3)
		gut = 0;
	rowsh = h - 1;
	/* keep the cursor in view */
	if (g->row < g->top)
		g->top = g->row;
	if (rowsh > 0 && g->row >= g->top + (size_t)rowsh)
		g->top = g->row - (size_t)rowsh + 1;
	if (g->col < g->left)
		g->left = g->col;
	for (;;) {
		int used = gut;

		for (c = g->left; c <= g->col && c < t->ncols; c++)
			used += grid_width(g, c) + 1;
		if (used <= w || g->left == g->col)
			break;
		g->left++;
	}
	/* header */
	put_fill(y, x, w, A_NORMAL);
	cx = x + gut;
	for (c = g->left; c < t->ncols && cx < x + w; c++) {
		const struct column *col = t->cols[c];
		int cw = grid_width(g, c), room = x + w - cx;
		attr_t a = g->changed && g->changed[c] ?
		    tattr(TA_HEAD_CHANGED) : tattr(TA_HEAD);
		char mark[2] = { type_mark(col->type), '\0' };

		if (cw > room)
			cw = room;
		if (g->cursor && c == g->col)
			a |= A_REVERSE;
		attrset(a);
		put_str(y, cx, col->name, cw > 1 ? cw - 1 : cw, -1, 1);
		if (cw > 1) {
			attrset((tattr(TA_MARK) & A_COLOR) | (a & ~A_COLOR &
			    ~(attr_t)A_UNDERLINE) | (tui.colors ? 0 : A_DIM));
			put_str(y, cx + cw - 1, mark, 1, -1, 1);
		}
		attrset(A_NORMAL);
		cx += cw + 1;
		g->shown_cols++;
	}
	/* rows */
	for (i = 0; i < rowsh; i++) {
		size_t vr = g->top + (size_t)i;
		int cur;

		put_fill(y + 1 + i, x, w, A_NORMAL);
		if (vr >= nrows)
			continue;
		r = g->rows != NULL ? g->rows[vr] : vr;
		cur = g->cursor && vr == g->row;
		if (gut > 0) {
			snprintf(num, sizeof num, "%zu", r + 1);
			attron(cur ? tattr(TA_KEY) : tattr(TA_DIM));
			put_str(y + 1 + i, x, num, gut - 1, 1, 1);
			attroff(cur ? tattr(TA_KEY) : tattr(TA_DIM));
		}
		cx = x + gut;
		for (c = g->left; c < t->ncols && cx < x + w; c++) {
			const struct column *col = t->cols[c];
			int cw = grid_width(g, c), room = x + w - cx;
			attr_t a = A_NORMAL;

			if (cw > room)
				cw = room;
			if (g->changed && g->changed[c])
				a |= tattr(TA_CHANGED);
			if (cur)
				a |= A_BOLD;
			if (cur && c == g->col)
				a |= tattr(TA_CURSOR);
			if (cell_text(col, r, &sb)) {
				attrset(a);
				put_str(y + 1 + i, cx, sb.buf, cw,
				    right_aligned(col->type) ? 1 : -1, 1);
			} else {
				attrset((a & ~A_COLOR) | tattr(TA_MISSING));
				put_str(y + 1 + i, cx, glyph(G_MISSING), cw,
				    right_aligned(col->type) ? 1 : -1, 1);
			}
			attrset(A_NORMAL);
			cx += cw + 1;
		}
		g->shown_rows++;
	}
	strbuf_release(&sb);
}

/*
 * canvas.c - plots in text cells: each cell holds 2 x 4 dots drawn as a
 * Unicode braille character (U+2800 + the dot bits), or, when the
 * locale is not UTF-8, one ASCII character for the cell ('\'', '.' or
 * ':' for dots in its upper half, lower half or both).  Two series can
 * share a canvas: a cell takes the attribute of the last series drawn
 * in it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "tui/tui.h"

struct canvas {
	int		 w, h;		/* cells */
	unsigned char	*dots;		/* w * h: braille bits */
	unsigned char	*series;	/* w * h: last series (1 or 2) */
	double		 x0, x1, y0, y1;
};

struct canvas *
canvas_new(int w, int h)
{
	struct canvas *c = xcalloc(1, sizeof *c);

	c->w = w > 0 ? w : 1;
	c->h = h > 0 ? h : 1;
	c->dots = xcalloc((size_t)c->w * (size_t)c->h, 1);
	c->series = xcalloc((size_t)c->w * (size_t)c->h, 1);
	c->x1 = c->y1 = 1;
	return c;
}

void
canvas_free(struct canvas *c)
{
	if (c == NULL)
		return;
	free(c->dots);
	free(c->series);
	free(c);
}

void
canvas_range(struct canvas *c, double x0, double x1, double y0, double y1)
{
	c->x0 = x0;
	c->x1 = x1 > x0 ? x1 : x0 + 1;
	c->y0 = y0;
	c->y1 = y1 > y0 ? y1 : y0 + 1;
}

/* Dot (px, py), py 0 at the top. */
static void
dot(struct canvas *c, long px, long py, int set)
{
	static const unsigned char bit[4][2] = {
		{ 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 },
	};
	size_t cell;

	if (px < 0 || py < 0 || px >= 2L * c->w || py >= 4L * c->h)
		return;
	cell = (size_t)(py / 4) * (size_t)c->w + (size_t)(px / 2);
	c->dots[cell] |= bit[py % 4][px % 2];
	c->series[cell] = (unsigned char)set;
}

static void
to_dots(const struct canvas *c, double x, double y, double *px, double *py)
{
	*px = (x - c->x0) / (c->x1 - c->x0) * (2.0 * c->w - 1);
	*py = (1 - (y - c->y0) / (c->y1 - c->y0)) * (4.0 * c->h - 1);
}

void
canvas_point(struct canvas *c, double x, double y, int set)
{
	double px, py;

	if (isnan(x) || isnan(y))
		return;
	to_dots(c, x, y, &px, &py);
	dot(c, lround(px), lround(py), set);
}

void
canvas_line(struct canvas *c, double x0, double y0, double x1, double y1,
    int set)
{
	double ax, ay, bx, by, n, i;

	if (isnan(x0) || isnan(y0) || isnan(x1) || isnan(y1))
		return;
	to_dots(c, x0, y0, &ax, &ay);
	to_dots(c, x1, y1, &bx, &by);
	n = fmax(fabs(bx - ax), fabs(by - ay));
	if (n < 1)
		n = 1;
	if (n > 4000)
		n = 4000;
	for (i = 0; i <= n; i++)
		dot(c, lround(ax + (bx - ax) * i / n),
		    lround(ay + (by - ay) * i / n), set);
}

void
canvas_put(const struct canvas *c, int y, int x, attr_t a1, attr_t a2)
{
	int r, k;

	for (r = 0; r < c->h; r++) {
		move(y + r, x);
		for (k = 0; k < c->w; k++) {
			size_t cell = (size_t)r * (size_t)c->w + (size_t)k;
			unsigned char d = c->dots[cell];

			if (d == 0) {
				addch(' ');
				continue;
			}
			attrset(c->series[cell] == 2 ? a2 : a1);
			if (tui.utf8) {
				wchar_t w[2] = { (wchar_t)(0x2800 + d), 0 };

				addnwstr(w, 1);
			} else {
				int up = (d & 0x1b) != 0;
				int down = (d & 0xe4) != 0;

				addch(up && down ? ':' : up ? '\'' : '.');
			}
			attrset(A_NORMAL);
		}
	}
}

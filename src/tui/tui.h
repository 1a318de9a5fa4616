/*
 * tui.h - the workbench: an ncurses screen over a struct session
 * (core/session.h).  Shared by the files of src/tui only; main.c calls
 * tui_main().
 *
 *	tui.c         the main loop (poll on the terminal and a self-pipe
 *	              the session's worker writes to), the top bar and
 *	              status line, modal boxes, resizing
 *	command.c     the commands (":open", ":export", spec lines, ...):
 *	              every key ends in one of them
 *	keys.c        key bindings: key -> command string, per screen
 *	prompt.c      the ':' and '/' line: GNU readline in callback mode,
 *	              history in the workspace, Tab completion
 *	draw.c        text, cells, bars, sparklines; attributes with and
 *	              without colour; UTF-8 or ASCII glyphs
 *	canvas.c      braille (or ASCII) plots
 *	view.c        the screens' table
 *	view-NAME.c   one screen each: data, columns, pipeline, model,
 *	              runs, spec; view-detail.c the column detail and the
 *	              frequency table; form.c the step menu and form
 *
 * Only the main thread calls curses.  Views read the session and issue
 * commands; they compute nothing the core could.
 */
#ifndef LATHE_TUI_H
#define LATHE_TUI_H

#include <stddef.h>
#include <wchar.h>

#include <curses.h>

#include "cmd/cmd.h"
#include "core/session.h"

#define TUI_MIN_COLS	40
#define TUI_MIN_ROWS	10

#define CTRL_KEY(c)	((c) & 0x1f)
#define KEY_ESC		27

/* A key as read: a character (wide) or a KEY_* code. */
struct tkey {
	int		 code;		/* 1: KEY_* in key, 0: character */
	wint_t		 key;
};

/* A screen. */
enum view_id {
	VIEW_DATA,
	VIEW_COLUMNS,
	VIEW_PIPELINE,
	VIEW_MODEL,
	VIEW_RUNS,
	VIEW_SPEC,
	VIEW__COUNT
};

struct keybind {
	int		 key;		/* a character or KEY_* */
	const char	*name;		/* as help shows it */
	const char	*cmd;		/* a command line, or NULL: the view's
					 * key function handles it */
	const char	*help;
	const char	*hint;		/* a word for the bottom line, or
					 * NULL */
};

struct view_ops {
	const char	*name;		/* "Data" */
	const struct keybind *keys;	/* NULL-terminated by key 0 */
	/* Draw into rows [y, y + h) of the screen. */
	void		(*draw)(int y, int h, int w);
	/* Navigation keys; 1 if used. */
	int		(*key)(const struct tkey *);
	/* The screen became current. */
	void		(*enter)(void);
	/* The session changed (SESSION_* bits). */
	void		(*update)(int bits);
	void		(*free)(void);
	/* The view's own commands ("delete" with no N: the step under
	 * the cursor).  Returns 1 when it took the command, 0 if not,
	 * -1 on error with the message set. */
	int		(*command)(int argc, char **argv);
};

extern const struct view_ops *const view_table[VIEW__COUNT];
extern const struct view_ops view_data_ops, view_columns_ops,
    view_pipeline_ops, view_model_ops, view_runs_ops, view_spec_ops;

/* A box over the screen (menu, form, detail, question). */
struct modal {
	void		(*draw)(int y, int h, int w);
	int		(*key)(const struct tkey *);	/* 0: closed */
	void		(*update)(int bits);
	void		(*free)(void *);
	void		*arg;
	const char	*help;		/* its keys, for the bottom line */
	int		 wants_esc;	/* Esc goes to key(), not closing */
	struct modal	*under;
};

/* Attribute roles. */
enum tattr {
	TA_NORMAL,
	TA_BAR,			/* top bar */
	TA_BAR_CUR,		/* current screen in the top bar */
	TA_HEAD,		/* column headers */
	TA_HEAD_CHANGED,	/* header of a column the step changed */
	TA_CHANGED,		/* cells of such a column */
	TA_MISSING,
	TA_CURSOR,		/* the current cell / line */
	TA_ERROR,
	TA_OK,
	TA_DIM,
	TA_KEY,			/* a key in the hint line */
	TA_PLOT,
	TA_PLOT2,
	TA_TITLE,
	TA_MARK,		/* type marks */
	TA_BOX,
	TA_STATUS_ERR,
	TA_HEAT1, TA_HEAT2, TA_HEAT3, TA_HEAT4,
	TA__COUNT
};

/* Glyphs with an ASCII stand-in. */
enum tglyph {
	G_MISSING,		/* · */
	G_ARROW,		/* → */
	G_OK,			/* ✓ */
	G_ERR,			/* ✗ */
	G_PENDING,		/* ○ */
	G_OFF,			/* – */
	G_ELLIPSIS,		/* … */
	G_TIMES,		/* × */
	G_PM,			/* ± */
	G_UP, G_DOWN,		/* ▲ ▼ */
	G__COUNT
};

struct tui {
	struct session	*s;
	struct globals	*g;
	int		 view;
	int		 quit;
	int		 utf8;
	int		 colors;
	int		 rows, cols;
	int		 dirty;
	char		 status[1024];
	int		 status_err;
	int		 pipefd[2];
	int		 infd;		/* the terminal */
	struct modal	*modal;
	char		*search;	/* the last '/' text */
	int		 prompt_active;
	int		 want_draft;	/* offer a draft once data is in */
	char		*draft_spec;
	char		*draft_data;
	char		*draft_when;
	int		 confirm_quit;
	int		 cur_y, cur_x;	/* where the cursor goes, or -1 */
};

extern struct tui tui;

/* tui.c */
int		 tui_main(const char *data, struct globals *);
void		 tui_status(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
void		 tui_error(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
void		 tui_modal_push(struct modal *);
void		 tui_modal_pop(void);
void		 tui_switch(int view);
/* A pipeline edit starts (LATHE_TUI_TRACE timing). */
void		 tui_trace_edit(void);
/* Ask a yes/no question; fn(1) on yes. */
void		 tui_ask(const char *question, const char *keys,
		    void (*fn)(int key, void *), void *arg);

/* command.c */
/* Run a command line; 0 or -1 (the message is in the status line). */
int		 tui_exec(const char *line);
/* Names for completion. */
extern const char *const tui_commands[];
void		 tui_help_topic(const char *topic);

/* keys.c */
extern const struct keybind keys_global[];
const struct keybind *keys_find(const struct keybind *, const struct tkey *);
void		 keys_name(const struct tkey *, char *, size_t);
void		 keys_help(void);
/* A scrollable box of text lines. */
void		 help_text(const char *title, const char *text);

/* prompt.c */
void		 prompt_init(void);
void		 prompt_fini(void);
/* Open the line: mode ':' (a command) or '/' (a search). */
void		 prompt_open(int mode, const char *initial);
int		 prompt_key(const struct tkey *);
void		 prompt_draw(int y, int w);
void		 prompt_history_add(const char *);

/* draw.c */
void		 draw_init(void);
attr_t		 tattr(enum tattr);
const char	*glyph(enum tglyph);
/* Display width of s (UTF-8 when the locale is, else bytes). */
int		 str_width(const char *);
/*
 * Put s at (y, x) in at most w columns, padded to w with blanks when
 * pad; cut with an ellipsis.  align: -1 left, 1 right.  Returns the
 * columns used.
 */
int		 put_str(int y, int x, const char *s, int w, int align,
		    int pad);
void		 put_fill(int y, int x, int w, attr_t);
/* Split s into lines of at most w columns at blanks; *out owned. */
int		 wrap_lines(const char *s, int w, char ***out);
/* Horizontal bar of frac (0..1) of w cells, eighths when UTF-8. */
void		 put_bar(int y, int x, int w, double frac);
/* Sparkline of counts into w cells. */
void		 put_spark(int y, int x, int w, const size_t *counts,
		    size_t n);
/* A vertical line; a box with a title (inside from (y + 1, x + 2)). */
void		 put_vline(int y, int x, int h);
void		 put_box(int y, int x, int h, int w, const char *title);
/* Numbers as the screens show them. */
void		 fmt_num(char *, size_t, double);
void		 fmt_count(char *, size_t, size_t);
/* Draw a table grid (Data screen, pipeline preview). */
struct grid {
	const struct table *t;
	size_t		 top, row;	/* first shown row, cursor row */
	size_t		 left, col;	/* first shown column, cursor col */
	int		*width;		/* per column, 0: not measured */
	size_t		 nwidth;
	const unsigned char *changed;	/* per column, or NULL */
	int		 cursor;	/* show the cursor */
	int		 shown_cols;	/* set by draw: columns that fit */
	int		 shown_rows;
	const size_t	*rows;		/* a subset of rows, or NULL */
	size_t		 nrows;		/* of the subset */
};
void		 grid_draw(struct grid *, int y, int x, int h, int w);
int		 grid_width(struct grid *, size_t col);
void		 grid_reset(struct grid *, const struct table *);
char		 type_mark(enum coltype);

/* canvas.c: a braille (or ASCII) plot area of w x h cells. */
struct canvas;
struct canvas	*canvas_new(int w, int h);
void		 canvas_free(struct canvas *);
void		 canvas_range(struct canvas *, double x0, double x1,
		    double y0, double y1);
void		 canvas_point(struct canvas *, double x, double y, int set);
void		 canvas_line(struct canvas *, double x0, double y0,
		    double x1, double y1, int set);
void		 canvas_put(const struct canvas *, int y, int x, attr_t,
		    attr_t);

/* view-detail.c: the column detail and the frequency table. */
void		 detail_open(size_t col, int freq);

/* form.c: menus, the parameter form of a step or model, the grid form. */
void		 menu_open(const char *title, const char *const *names,
		    const char *const *notes, size_t n,
		    void (*pick)(const char *, void *), void *arg,
		    void (*arg_free)(void *));
void		 form_add(size_t after);
void		 form_edit(size_t step);
void		 form_open(const char *verb, const char *type,
		    const struct param_def *, size_t after, size_t step,
		    const struct spec_line *);
/*
 * The grid search form of model TYPE: comma-separated values for its
 * parameters, and the metric (one of METRICS, the first the default),
 * starting from the current search line CUR (or NULL); Enter runs the
 * "search ..." line it makes.
 */
void		 form_grid(const char *type, const struct param_def *,
		    const char *const *metrics, size_t nmetrics,
		    const struct spec_line *cur);

/* view-data.c: show a subset of rows (the confusion matrix's cells). */
void		 data_show_rows(size_t *rows, size_t n, const char *what);

#endif

/*
 * tui.c - the workbench's main loop and frame.
 *
 * One thread runs curses.  It waits in poll() on the terminal and on a
 * self-pipe that the session's worker threads write a byte to when a
 * result is ready (core/session.h); session_poll() then installs it.
 * Keys go to the command line when it is open, else to the top modal
 * box, else to the screen's bindings (keys.c: most are command lines,
 * run by command.c), else to the shared bindings.
 *
 * The frame: a top bar (screens, dataset and shape, pipeline name and a
 * modified mark), the screen, a status line (messages, errors, work in
 * progress) and a bottom line (the main keys, or the command line).
 * Everything is drawn again on every change; curses sends only what
 * differs.  Below TUI_MIN_COLS x TUI_MIN_ROWS only "terminal too small"
 * is drawn.
 */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/xmalloc.h"
#include "tui/tui.h"

struct tui tui;

/*
 * LATHE_TUI_TRACE=FILE appends timings to FILE, for bench/bench-tui.sh:
 * "first-screen MS load S" (start to the first frame with data), "key
 * NAME MS" (a key read to its frame drawn), "preview MS" (a pipeline
 * edit to the frame with its preview).
 */
static FILE *trace_fp;
static double t_start, t_key, t_edit;
static char trace_keyname[32];
static int first_pending;

/*
 * SIGWINCH: our own handler, so a resize can never be missed.  ncurses'
 * handler only sets a flag that the next get_wch turns into KEY_RESIZE;
 * a signal arriving just before poll() then waits for the next key.
 * Ours also writes to the self-pipe, which wakes poll(); the loop then
 * resizes the screen itself.
 */
static volatile sig_atomic_t winched;
static int winch_fd = -1;

static void
on_winch(int sig)
{
	int saved = errno;

	(void)sig;
	winched = 1;
	if (winch_fd >= 0) {
		ssize_t n = write(winch_fd, "w", 1);

		(void)n;
	}
	errno = saved;
}

static void
handle_winch(void)
{
	struct winsize ws;

	if (!winched)
		return;
	winched = 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	tui.dirty = 1;
}

static void
notify(void *arg)
{
	ssize_t n;

	(void)arg;
	n = write(tui.pipefd[1], "x", 1);
	(void)n;
}

void
tui_status(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tui.status, sizeof tui.status, fmt, ap);
	va_end(ap);
	tui.status_err = 0;
	tui.dirty = 1;
}

void
tui_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tui.status, sizeof tui.status, fmt, ap);
	va_end(ap);
	tui.status_err = 1;
	tui.dirty = 1;
}

void
tui_modal_push(struct modal *m)
{
	m->under = tui.modal;
	tui.modal = m;
	tui.dirty = 1;
}

static void
modal_remove(struct modal *m)
{
	struct modal **pp;

	for (pp = &tui.modal; *pp != NULL; pp = &(*pp)->under) {
		if (*pp == m) {
			*pp = m->under;
			if (m->free != NULL)
				m->free(m->arg);
			free(m);
			break;
		}
	}
	tui.dirty = 1;
}

void
tui_modal_pop(void)
{
	if (tui.modal != NULL)
		modal_remove(tui.modal);
}

void
tui_switch(int v)
{
	if (v < 0 || v >= VIEW__COUNT)
		return;
	while (tui.modal != NULL)
		tui_modal_pop();
	tui.view = v;
	/* statistics of every preview cost time: only while they show */
	if (v != VIEW_COLUMNS)
		tui.s->stats_wanted = 0;
	if (view_table[v]->enter != NULL)
		view_table[v]->enter();
	tui.dirty = 1;
}

/* ------------------------------------------------------- questions --- */

struct ask {
	char		*question;
	char		*keys;
	void		(*fn)(int, void *);
	void		*arg;
};

static void
ask_draw(int y, int h, int w)
{
	struct ask *a = tui.modal->arg;
	int bw = str_width(a->question) + 6, n, i, bh;
	char **lines;

	if (bw > w)
		bw = w;
	if (bw > 72)
		bw = 72;
	n = wrap_lines(a->question, bw - 6, &lines);
	bh = n + 2;
	put_box(y + h / 2 - bh / 2, (w - bw) / 2, bh, bw, NULL);
	attrset(tattr(TA_TITLE));
	for (i = 0; i < n; i++)
		put_str(y + h / 2 - bh / 2 + 1 + i, (w - bw) / 2 + 3, lines[i],
		    bw - 6, -1, 0);
	attrset(A_NORMAL);
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static int
ask_key(const struct tkey *k)
{
	struct ask *a = tui.modal->arg;
	void (*fn)(int, void *) = a->fn;
	void *arg = a->arg;
	int key;

	if (k->code)
		return 1;
	key = (int)k->key;
	if (key != KEY_ESC && (key > 127 || strchr(a->keys, key) == NULL))
		return 1;
	/* close first: fn may open another box, or quit */
	tui_modal_pop();
	fn(key, arg);
	return 1;
}

static void
ask_free(void *arg)
{
	struct ask *a = arg;

	free(a->question);
	free(a->keys);
	free(a);
}

void
tui_ask(const char *question, const char *keys, void (*fn)(int, void *),
    void *arg)
{
	struct ask *a = xcalloc(1, sizeof *a);
	struct modal *m = xcalloc(1, sizeof *m);

	a->question = xstrdup(question);
	a->keys = xstrdup(keys);
	a->fn = fn;
	a->arg = arg;
	m->draw = ask_draw;
	m->key = ask_key;
	m->free = ask_free;
	m->arg = a;
	m->help = "answer with one of the keys";
	m->wants_esc = 1;
	tui_modal_push(m);
}

/* ---------------------------------------------------------- drafts --- */

static void
draft_answer(int key, void *arg)
{
	struct err e;

	(void)arg;
	err_clear(&e);
	if (key == 'y') {
		if (session_draft_restore(tui.s, tui.draft_spec, &e) != 0)
			tui_error("the draft does not parse: %s", e.msg);
		else
			tui_status("draft restored (u undoes it)");
	} else if (key == 'd') {
		session_draft_drop(tui.s);
		tui_status("draft discarded");
	}
	free(tui.draft_spec);
	free(tui.draft_data);
	free(tui.draft_when);
	tui.draft_spec = tui.draft_data = tui.draft_when = NULL;
}

static void
offer_draft(void)
{
	char *q;

	if (tui.draft_spec == NULL)
		return;
	q = xasprintf("Unexported pipeline for %s from %s: y restore  "
	    "n not now  d discard", tui.draft_data ? tui.draft_data :
	    "(no data)", tui.draft_when ? tui.draft_when : "?");
	tui_ask(q, "ynd", draft_answer, NULL);
	free(q);
}

/* ------------------------------------------------------------ draw --- */

static const char *
base_name(const char *p)
{
	const char *b = strrchr(p, '/');

	return b != NULL && b[1] != '\0' ? b + 1 : p;
}

static void
draw_bar(void)
{
	struct session *s = tui.s;
	const struct table *raw = session_raw(s);
	char info[512], a[32], b[32], tabs[128];
	int i, x, tw, iw, compact = 0;

	put_fill(0, 0, tui.cols, tattr(TA_BAR));
	info[0] = '\0';
	if (s->loading)
		snprintf(info, sizeof info, "loading %s%s",
		    base_name(s->loading_what ? s->loading_what : ""),
		    glyph(G_ELLIPSIS));
	else if (raw != NULL) {
		fmt_count(a, sizeof a, raw->nrows);
		snprintf(info, sizeof info, "%s %s%s%zu",
		    base_name(s->data ? s->data : "?"), a, glyph(G_TIMES),
		    raw->ncols);
	} else
		snprintf(info, sizeof info, "no data");
	if (s->sel > 0 && session_table(s) != NULL) {
		const struct table *t = session_table(s);

		fmt_count(b, sizeof b, t->nrows);
		snprintf(info + strlen(info), sizeof info - strlen(info),
		    " %s step %zu: %s%s%zu", glyph(G_ARROW), s->shown, b,
		    glyph(G_TIMES), t->ncols);
	}
	snprintf(info + strlen(info), sizeof info - strlen(info),
	    " | %s%s ", s->name, session_modified(s) ? " [+]" : "");
	iw = str_width(info);
	tw = 1;
	for (i = 0; i < VIEW__COUNT; i++)
		tw += (int)strlen(view_table[i]->name) + 3;
	if (tw + iw > tui.cols)
		compact = 1;
	x = 0;
	attrset(tattr(TA_BAR));
	mvaddch(0, x++, ' ');
	for (i = 0; i < VIEW__COUNT && x < tui.cols; i++) {
		if (compact && i != tui.view)
			snprintf(tabs, sizeof tabs, "%d", i + 1);
		else
			snprintf(tabs, sizeof tabs, "%d %s", i + 1,
			    view_table[i]->name);
		attrset(i == tui.view ? tattr(TA_BAR_CUR) : tattr(TA_BAR));
		x += put_str(0, x, tabs, tui.cols - x, -1, 0);
		attrset(tattr(TA_BAR));
		if (x < tui.cols)
			mvaddch(0, x++, ' ');
	}
	if (x + 1 < tui.cols) {
		int room = tui.cols - x - 1;

		attrset(tattr(TA_BAR));
		put_str(0, x + 1, info, room, 1, 1);
	}
	attrset(A_NORMAL);
}

static void
draw_status(int y)
{
	struct session *s = tui.s;
	char busy[256];
	int bw = 0;

	put_fill(y, 0, tui.cols, A_NORMAL);
	busy[0] = '\0';
	if (s->train.running) {
		int pct = (int)(s->train.progress * 100 + 0.5);

		snprintf(busy, sizeof busy, "training %d%% %.1f s (Esc stops)",
		    pct, session_now() - s->train.started);
	} else if (s->loading)
		snprintf(busy, sizeof busy, "loading%s", glyph(G_ELLIPSIS));
	else if (s->computing)
		snprintf(busy, sizeof busy, "computing step %zu%s", s->sel,
		    glyph(G_ELLIPSIS));
	if (busy[0] != '\0') {
		bw = str_width(busy) + 1;
		if (bw > tui.cols / 2)
			bw = tui.cols / 2;
		attrset(tattr(TA_KEY));
		put_str(y, tui.cols - bw, busy, bw, 1, 1);
		attrset(A_NORMAL);
	}
	if (tui.status[0] != '\0') {
		char **lines;
		int n, i;

		/* a long error takes the key line too */
		n = wrap_lines(tui.status, tui.cols - bw, &lines);
		attrset(tui.status_err ? tattr(TA_STATUS_ERR) : A_NORMAL);
		if (n > 1 && tui.status_err && !tui.prompt_active) {
			put_str(y, 0, lines[0], tui.cols - bw, -1, 0);
			put_fill(y + 1, 0, tui.cols, A_NORMAL);
			attrset(tattr(TA_STATUS_ERR));
			put_str(y + 1, 0, tui.status + strlen(lines[0]) +
			    strspn(tui.status + strlen(lines[0]), " "),
			    tui.cols, -1, 0);
		} else
			put_str(y, 0, tui.status, tui.cols - bw, -1, 0);
		attrset(A_NORMAL);
		for (i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
	}
}

static void
draw_hints(int y)
{
	const struct keybind *kb;
	int x = 0, pass;

	put_fill(y, 0, tui.cols, A_NORMAL);
	if (tui.modal != NULL && tui.modal->help != NULL) {
		attrset(tattr(TA_DIM));
		put_str(y, 0, tui.modal->help, tui.cols, -1, 0);
		attrset(A_NORMAL);
		return;
	}
	for (pass = 0; pass < 2; pass++) {
		kb = pass == 0 ? view_table[tui.view]->keys : keys_global;
		for (; kb != NULL && kb->key != 0; kb++) {
			int need;

			if (kb->hint == NULL || kb->name == NULL)
				continue;
			need = str_width(kb->name) + str_width(kb->hint) + 3;
			if (x + need > tui.cols)
				return;
			attrset(tattr(TA_KEY));
			x += put_str(y, x, kb->name, tui.cols - x, -1, 0);
			attrset(A_NORMAL);
			mvaddch(y, x++, ' ');
			x += put_str(y, x, kb->hint, tui.cols - x, -1, 0);
			x += 2;
		}
	}
}

static void
trace_frame(void)
{
	double t = session_now();

	if (first_pending && session_table(tui.s) != NULL) {
		fprintf(trace_fp, "first-screen %.3f load %.3f\n",
		    (t - t_start) * 1000, tui.s->load_seconds);
		first_pending = 0;
	}
	if (t_key > 0) {
		fprintf(trace_fp, "key %s %.3f\n", trace_keyname,
		    (t - t_key) * 1000);
		t_key = 0;
	}
	if (t_edit > 0 && !tui.s->computing && session_table(tui.s) != NULL) {
		fprintf(trace_fp, "preview %.3f\n", (t - t_edit) * 1000);
		t_edit = 0;
	}
	fflush(trace_fp);
}

void
tui_trace_edit(void)
{
	if (trace_fp != NULL)
		t_edit = session_now();
}

static void
draw(void)
{
	int h;

	getmaxyx(stdscr, tui.rows, tui.cols);
	erase();
	tui.cur_y = tui.cur_x = -1;
	if (tui.rows < TUI_MIN_ROWS || tui.cols < TUI_MIN_COLS) {
		const char *m = "terminal too small";
		char need[64];

		snprintf(need, sizeof need, "(at least %dx%d)", TUI_MIN_COLS,
		    TUI_MIN_ROWS);
		mvaddnstr(tui.rows / 2, 0, m, tui.cols);
		if (tui.rows > 1)
			mvaddnstr(tui.rows / 2 + 1, 0, need, tui.cols);
		curs_set(0);
		refresh();
		return;
	}
	h = tui.rows - 3;
	draw_bar();
	view_table[tui.view]->draw(1, h, tui.cols);
	if (tui.modal != NULL) {
		struct modal *stack[16], *m;
		int n = 0, i;

		for (m = tui.modal; m != NULL && n < 16; m = m->under)
			stack[n++] = m;
		for (i = n - 1; i >= 0; i--) {
			struct modal *save = tui.modal;

			/* a box draws from its own arg */
			tui.modal = stack[i];
			stack[i]->draw(1, h, tui.cols);
			tui.modal = save;
		}
	}
	if (!tui.prompt_active)
		draw_hints(tui.rows - 1);
	draw_status(tui.rows - 2);
	if (tui.prompt_active)
		prompt_draw(tui.rows - 1, tui.cols);
	if (tui.cur_y >= 0 && tui.cur_x >= 0 && tui.cur_x < tui.cols) {
		move(tui.cur_y, tui.cur_x);
		curs_set(1);
	} else
		curs_set(0);
	refresh();
	if (trace_fp != NULL)
		trace_frame();
}

/* ------------------------------------------------------------ keys --- */

static void
suspend(void)
{
	endwin();
	kill(getpid(), SIGTSTP);
	refresh();
	tui.dirty = 1;
}

static void
key(const struct tkey *k)
{
	const struct view_ops *v = view_table[tui.view];
	const struct keybind *kb;

	if (k->code && k->key == KEY_RESIZE) {
		tui.dirty = 1;
		return;
	}
	tui.dirty = 1;
	if (trace_fp != NULL) {
		t_key = session_now();
		keys_name(k, trace_keyname, sizeof trace_keyname);
	}
	if (tui.prompt_active) {
		prompt_key(k);
		return;
	}
	if (!k->code && k->key == CTRL_KEY('z')) {
		suspend();
		return;
	}
	if (tui.rows < TUI_MIN_ROWS || tui.cols < TUI_MIN_COLS) {
		if (!k->code && (k->key == 'q' || k->key == CTRL_KEY('c')))
			tui_exec("quit");
		return;
	}
	tui.status[0] = '\0';
	if (tui.modal != NULL) {
		struct modal *m = tui.modal;

		if (!k->code && (k->key == KEY_ESC || k->key == CTRL_KEY('c') ||
		    k->key == CTRL_KEY('g'))) {
			if (m->key != NULL && m->wants_esc)
				m->key(k);
			else
				modal_remove(m);
			return;
		}
		if (m->key == NULL || m->key(k) == 0)
			modal_remove(m);
		return;
	}
	if (!k->code && (k->key == KEY_ESC || k->key == CTRL_KEY('c'))) {
		if (tui.s->train.running) {
			session_train_cancel(tui.s);
			tui_status("stopping the training%s",
			    glyph(G_ELLIPSIS));
		} else if (k->key == CTRL_KEY('c'))
			tui_status("q quits");
		return;
	}
	kb = keys_find(v->keys, k);
	if (kb != NULL && kb->cmd != NULL) {
		tui_exec(kb->cmd);
		return;
	}
	if (v->key != NULL && v->key(k))
		return;
	kb = keys_find(keys_global, k);
	if (kb != NULL) {
		if (kb->cmd != NULL)
			tui_exec(kb->cmd);
		else if (kb->key == ':')
			prompt_open(':', NULL);
		return;
	}
	if (!k->code && k->key == '\r')
		return;
	{
		char name[32];

		keys_name(k, name, sizeof name);
		tui_status("%s: no such key here (? lists the keys)", name);
	}
}

static void
installed(int bits)
{
	struct session *s = tui.s;
	int i;

	if (bits & SESSION_LOADED) {
		if (s->load_error != NULL) {
			tui_error("%s", s->load_error);
			free(s->load_error);
			s->load_error = NULL;
		} else if (session_raw(s) != NULL) {
			char a[32];

			fmt_count(a, sizeof a, session_raw(s)->nrows);
			tui_status("%s: %s rows %s %zu columns (%.2f s)",
			    s->data, a, glyph(G_TIMES),
			    session_raw(s)->ncols, s->load_seconds);
		}
		if (tui.want_draft) {
			tui.want_draft = 0;
			offer_draft();
		}
	}
	if ((bits & SESSION_TRAINED) && s->train.done) {
		if (s->train.err.code == ERR_CANCEL)
			tui_status("training stopped");
		else if (s->train.err.code != ERR_OK)
			tui_error("%s", s->train.err.msg);
		else
			tui_status("trained in %.2f s", s->train.elapsed);
	}
	for (i = 0; i < VIEW__COUNT; i++)
		if (view_table[i]->update != NULL)
			view_table[i]->update(bits);
	if (tui.modal != NULL && tui.modal->update != NULL)
		tui.modal->update(bits);
	tui.dirty = 1;
}

static void
drain(void)
{
	char buf[64];

	while (read(tui.pipefd[0], buf, sizeof buf) > 0)
		;
}

/*
 * A preview of small data takes a millisecond: when one has just been
 * asked for, wait that long rather than draw "computing" for one frame
 * (but no more: keys typed while a big one computes are drawn at once).
 */
static void
settle(void)
{
	static int was_computing;
	struct pollfd p;
	int i;

	if (!tui.s->computing || was_computing) {
		was_computing = tui.s->computing;
		return;
	}
	for (i = 0; i < 3 && tui.s->computing; i++) {
		p.fd = tui.pipefd[0];
		p.events = POLLIN;
		if (poll(&p, 1, 15) <= 0)
			break;
		drain();
		installed(session_poll(tui.s));
	}
	was_computing = tui.s->computing;
}

static void
loop(void)
{
	struct pollfd p[2];
	struct tkey k;
	wint_t wc;
	int r, busy;

	while (!tui.quit) {
		if (tui.dirty) {
			settle();
			draw();
			tui.dirty = 0;
		}
		busy = tui.s->loading || tui.s->computing ||
		    tui.s->train.running;
		p[0].fd = tui.infd;
		p[0].events = POLLIN;
		p[1].fd = tui.pipefd[0];
		p[1].events = POLLIN;
		r = poll(p, 2, busy ? 200 : -1);
		if (r == 0)
			tui.dirty = 1;
		if (r > 0 && (p[1].revents & POLLIN)) {
			drain();
			installed(session_poll(tui.s));
		}
		handle_winch();
		while ((r = get_wch(&wc)) != ERR) {
			k.code = r == KEY_CODE_YES;
			k.key = wc;
			key(&k);
			if (tui.quit)
				break;
		}
		/* poll was interrupted by SIGWINCH: get_wch said KEY_RESIZE */
	}
}

int
tui_main(const char *data, struct globals *g)
{
	FILE *in = NULL;
	SCREEN *scr;
	int i, spec = 0;
	struct err e;

	memset(&tui, 0, sizeof tui);
	tui.g = g;
	t_start = session_now();
	if (getenv("LATHE_TUI_TRACE") != NULL) {
		trace_fp = fopen(getenv("LATHE_TUI_TRACE"), "a");
		first_pending = 1;
	}
	tui.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	err_clear(&e);
	if ((data != NULL && strcmp(data, "-") == 0) || !isatty(0)) {
		in = fopen("/dev/tty", "r");
		if (in == NULL) {
			fprintf(stderr, "lathe: the workbench needs a "
			    "terminal: cannot open /dev/tty\n");
			return cmd_status(ERR_USAGE);
		}
	}
	if (pipe(tui.pipefd) != 0) {
		fprintf(stderr, "lathe: pipe: %s\n", strerror(errno));
		if (in != NULL)
			fclose(in);
		return cmd_status(ERR_FAIL);
	}
	for (i = 0; i < 2; i++) {
		fcntl(tui.pipefd[i], F_SETFL, fcntl(tui.pipefd[i], F_GETFL) |
		    O_NONBLOCK);
		fcntl(tui.pipefd[i], F_SETFD, FD_CLOEXEC);
	}
	tui.s = session_new(g->workspace);
	session_set_notify(tui.s, notify, NULL);
	if (data != NULL && strcmp(data, "-") != 0 &&
	    session_is_spec_file(data))
		spec = 1;
	if (!spec && session_draft_find(tui.s, data, &tui.draft_data,
	    &tui.draft_spec, &tui.draft_when))
		tui.want_draft = 1;
	if (spec) {
		if (session_open_spec(tui.s, data, &e) != 0)
			tui_error("%s", e.msg);
		else
			tui_status("opened %s", data);
	} else if (data != NULL)
		session_open(tui.s, data);

	scr = newterm(NULL, stdout, in != NULL ? in : stdin);
	if (scr == NULL) {
		fprintf(stderr, "lathe: cannot use terminal '%s'\n",
		    getenv("TERM") ? getenv("TERM") : "");
		session_free(tui.s);
		close(tui.pipefd[0]);
		close(tui.pipefd[1]);
		if (in != NULL)
			fclose(in);
		return cmd_status(ERR_USAGE);
	}
	set_term(scr);
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_winch;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_RESTART;
		winch_fd = tui.pipefd[1];
		sigaction(SIGWINCH, &sa, NULL);
	}
	tui.infd = fileno(in != NULL ? in : stdin);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	draw_init();
	prompt_init();
	tui.view = VIEW_DATA;
	for (i = 0; i < VIEW__COUNT; i++)
		if (view_table[i]->enter != NULL && i == tui.view)
			view_table[i]->enter();
	/* no data to wait for: offer the draft now */
	if (tui.want_draft && data == NULL) {
		tui.want_draft = 0;
		offer_draft();
	}
	tui.dirty = 1;
	loop();

	prompt_fini();
	while (tui.modal != NULL)
		tui_modal_pop();
	for (i = 0; i < VIEW__COUNT; i++)
		if (view_table[i]->free != NULL)
			view_table[i]->free();
	winch_fd = -1;
	signal(SIGWINCH, SIG_DFL);
	endwin();
	delscreen(scr);
	session_free(tui.s);
	close(tui.pipefd[0]);
	close(tui.pipefd[1]);
	if (in != NULL)
		fclose(in);
	free(tui.search);
	free(tui.draft_spec);
	free(tui.draft_data);
	free(tui.draft_when);
	if (trace_fp != NULL)
		fclose(trace_fp);
	trace_fp = NULL;
	return 0;
}

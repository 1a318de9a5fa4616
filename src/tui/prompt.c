/*
 * prompt.c - the bottom line: ':' for a command, '/' for a search.
 *
 * GNU readline runs in callback mode inside curses: readline never
 * touches the terminal.  Keys curses has read are fed to it as bytes
 * (wide characters as UTF-8, function keys as the ANSI sequences
 * readline binds by default) through rl_getc_function and
 * rl_input_available_hook; rl_redisplay_function only marks the screen
 * dirty, and prompt_draw() draws rl_line_buffer with the cursor at
 * rl_point.  History comes from and goes to the workspace; completion
 * (Tab) knows the commands, step and model types, their parameters and
 * values, column names and file paths; a list of matches is drawn above
 * the line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "core/metrics.h"
#include "core/model.h"
#include "core/step.h"
#include "core/workspace.h"
#include "core/xmalloc.h"
#include "tui/tui.h"

#define QUEUE_MAX	64
#define MATCHES_MAX	200

static unsigned char queue[QUEUE_MAX];
static size_t qhead, qlen;
static int mode;			/* ':' or '/' */
static int line_done;
static char *line_got;
static FILE *devnull;

/* Completion candidates (the current Tab), and matches to show. */
static char **cands;
static size_t ncands, cand_next;
static char **shown;
static size_t nshown;

static int
rl_getc_cb(FILE *f)
{
	unsigned char c;

	(void)f;
	if (qlen == 0)
		return EOF;
	c = queue[qhead];
	qhead = (qhead + 1) % QUEUE_MAX;
	qlen--;
	return c;
}

static int
rl_avail_cb(void)
{
	return qlen > 0;
}

static void
rl_redisplay_cb(void)
{
	tui.dirty = 1;
}

static void
rl_line_cb(char *line)
{
	line_done = 1;
	line_got = line;
}

static void
shown_clear(void)
{
	strs_free(shown, nshown);
	shown = NULL;
	nshown = 0;
}

static void
show_matches_cb(char **matches, int n, int maxlen)
{
	int i;

	(void)maxlen;
	shown_clear();
	for (i = 1; i <= n && nshown < MATCHES_MAX; i++) {
		shown = xreallocarray(shown, nshown + 1, sizeof *shown);
		shown[nshown++] = xstrdup(matches[i]);
	}
	tui.dirty = 1;
}

/* ------------------------------------------------------ completion --- */

static void
cand_add(const char *s)
{
	size_t i;

	for (i = 0; i < ncands; i++)
		if (strcmp(cands[i], s) == 0)
			return;
	cands = xreallocarray(cands, ncands + 1, sizeof *cands);
	cands[ncands++] = xstrdup(s);
}

static void
cand_addf(const char *s, const char *suffix)
{
	char *x = xasprintf("%s%s", s, suffix);

	cand_add(x);
	free(x);
}

static void
cands_clear(void)
{
	strs_free(cands, ncands);
	cands = NULL;
	ncands = 0;
}

static char *
cand_gen(const char *text, int state)
{
	size_t n = strlen(text);

	if (state == 0)
		cand_next = 0;
	while (cand_next < ncands) {
		const char *c = cands[cand_next++];

		if (strncmp(c, text, n) == 0)
			return xstrdup(c);
	}
	return NULL;
}

static void
add_columns(const char *prefix)
{
	const struct table *t = session_table(tui.s);
	const struct table *r = session_raw(tui.s);
	size_t i;

	for (i = 0; t != NULL && i < t->ncols; i++)
		cand_addf(prefix, t->cols[i]->name);
	for (i = 0; r != NULL && i < r->ncols; i++)
		cand_addf(prefix, r->cols[i]->name);
}

static void
add_values(const struct param_def *d, const char *text)
{
	static const char *const groups[] = { "@numeric", "@integer",
	    "@float", "@boolean", "@categorical", "@text", "@string", "@date",
	    "@datetime", "@all", NULL };
	size_t i;

	switch (d->type) {
	case PT_BOOL:
		cand_add("true");
		cand_add("false");
		break;
	case PT_ENUM: {
		char *c = xstrdup(d->choices ? d->choices : ""), *save = NULL;
		char *tok;

		for (tok = strtok_r(c, "|", &save); tok != NULL;
		    tok = strtok_r(NULL, "|", &save))
			cand_add(tok);
		free(c);
		break;
	}
	case PT_COL:
		add_columns("");
		break;
	case PT_COLS:
		add_columns(text[0] == '!' ? "!" : "");
		for (i = 0; groups[i] != NULL; i++)
			cand_addf(text[0] == '!' ? "!" : "", groups[i]);
		break;
	default:
		break;
	}
}

static void
add_params(const struct param_def *d)
{
	for (; d != NULL && d->name != NULL; d++)
		cand_addf(d->name, "=");
}

static const struct param_def *
param_named(const struct param_def *d, const char *name)
{
	for (; d != NULL && d->name != NULL; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

/* Dataset names, then file names (readline's own generator). */
static char *
dataset_gen(const char *text, int state)
{
	static int files;
	size_t n = strlen(text);

	if (state == 0) {
		cand_next = 0;
		files = 0;
	}
	if (!files) {
		while (cand_next < ncands) {
			const char *c = cands[cand_next++];

			if (strncmp(c, text, n) == 0)
				return xstrdup(c);
		}
		files = 1;
		return rl_filename_completion_function(text, 0);
	}
	return rl_filename_completion_function(text, 1);
}

static char **
complete(const char *text, int start, int end)
{
	static const char *const eval_keys[] = { "fraction=", "folds=",
	    "seed=", "stratified=", "metrics=", NULL };
	char *head = xstrndup(rl_line_buffer, (size_t)start);
	char *words[8], *save = NULL, *tok, *key = NULL;
	int nw = 0, keyval = 0, filenames = 0;
	size_t i;
	char **m;

	(void)end;
	rl_attempted_completion_over = 1;
	rl_completion_suppress_append = 0;
	cands_clear();
	/* the word being completed is a value when '=' is before it */
	if (start > 0 && rl_line_buffer[start - 1] == '=') {
		int ks = start - 1;

		while (ks > 0 && rl_line_buffer[ks - 1] != ' ')
			ks--;
		key = xstrndup(rl_line_buffer + ks, (size_t)(start - 1 - ks));
		keyval = 1;
	} else if (start > 0 && rl_line_buffer[start - 1] == ',') {
		int ks = start - 1;

		/* a list: the key is before the first '=' of the word */
		while (ks > 0 && rl_line_buffer[ks - 1] != ' ')
			ks--;
		tok = strchr(rl_line_buffer + ks, '=');
		if (tok != NULL && tok < rl_line_buffer + start) {
			key = xstrndup(rl_line_buffer + ks,
			    (size_t)(tok - rl_line_buffer - ks));
			keyval = 1;
		}
	}
	for (tok = strtok_r(head, " \t", &save); tok != NULL && nw < 8;
	    tok = strtok_r(NULL, " \t", &save))
		words[nw++] = tok;
	/* a word cut at '=' or ',' is not a whole word yet */
	if (keyval && nw > 0)
		nw--;
	if (mode == '/') {
		/* nothing to complete in a search */
	} else if (nw == 0) {
		for (i = 0; tui_commands[i] != NULL; i++)
			cand_add(tui_commands[i]);
	} else if (strcmp(words[0], "step") == 0 ||
	    strcmp(words[0], "model") == 0) {
		int is_step = words[0][0] == 's';
		const struct param_def *params = NULL;
		struct err e;

		err_clear(&e);
		if (nw == 1 && !keyval) {
			for (i = 0; is_step && step_table[i] != NULL; i++)
				cand_add(step_table[i]->name);
			for (i = 0; !is_step && model_table[i] != NULL; i++)
				cand_add(model_table[i]->name);
		} else if (nw >= 2) {
			if (is_step) {
				const struct step_ops *o = step_find(words[1],
				    &e);

				params = o ? o->params : NULL;
			} else {
				const struct model_ops *o = model_find(
				    words[1], &e);

				params = o ? o->params : NULL;
			}
			if (keyval) {
				const struct param_def *d = param_named(
				    params, key);

				if (d != NULL)
					add_values(d, text);
			} else
				add_params(params);
		}
	} else if (strcmp(words[0], "target") == 0 ||
	    strcmp(words[0], "detail") == 0 || strcmp(words[0], "freq") == 0) {
		if (nw == 1 && !keyval)
			add_columns("");
	} else if (strcmp(words[0], "evaluate") == 0) {
		if (keyval && key != NULL && strcmp(key, "stratified") == 0) {
			cand_add("true");
			cand_add("false");
		} else if (keyval && key != NULL && strcmp(key, "metrics") ==
		    0) {
			for (i = 0; metric_table[i].name != NULL; i++)
				cand_add(metric_table[i].name);
		} else if (!keyval) {
			if (nw == 1) {
				cand_add("holdout");
				cand_add("cv");
			}
			for (i = 0; eval_keys[i] != NULL; i++)
				cand_add(eval_keys[i]);
		}
	} else if (strcmp(words[0], "search") == 0) {
		if (!keyval && tui.s->pl != NULL && tui.s->pl->model != NULL)
			add_params(tui.s->pl->model->ops->params);
		if (!keyval)
			cand_add("metric=");
	} else if (strcmp(words[0], "open") == 0 ||
	    strcmp(words[0], "source") == 0 ||
	    strcmp(words[0], "export") == 0 || strcmp(words[0], "write") ==
	    0) {
		if (!keyval && nw == 1 && words[0][0] != 'e' &&
		    tui.s->ws != NULL) {
			struct ws_dataset *ds;
			size_t nds;
			struct err e;

			err_clear(&e);
			if (workspace_datasets(tui.s->ws, &ds, &nds, &e) == 0) {
				for (i = 0; i < nds; i++)
					cand_add(ds[i].name);
				ws_datasets_free(ds, nds);
			}
		}
		filenames = !keyval && nw == 1;
	} else if (strcmp(words[0], "help") == 0) {
		for (i = 0; tui_commands[i] != NULL; i++)
			cand_add(tui_commands[i]);
		for (i = 0; step_table[i] != NULL; i++)
			cand_add(step_table[i]->name);
		for (i = 0; model_table[i] != NULL; i++)
			cand_add(model_table[i]->name);
		cand_add("keys");
	} else if (strcmp(words[0], "screen") == 0) {
		static const char *const s[] = { "data", "columns",
		    "pipeline", "model", "runs", "spec", "next", "prev",
		    NULL };

		for (i = 0; s[i] != NULL; i++)
			cand_add(s[i]);
	} else if (strcmp(words[0], "unset") == 0) {
		cand_add("target");
		cand_add("model");
		cand_add("evaluate");
		cand_add("search");
	} else if (strcmp(words[0], "sort") == 0) {
		for (i = 0; metric_table[i].name != NULL; i++)
			cand_add(metric_table[i].name);
	}
	free(head);
	free(key);
	if (filenames) {
		m = rl_completion_matches(text, dataset_gen);
		cands_clear();
		return m;
	}
	/* a key= completes without a blank after it */
	{
		size_t n = strlen(text), hits = 0;
		const char *last = NULL;

		for (i = 0; i < ncands; i++)
			if (strncmp(cands[i], text, n) == 0) {
				hits++;
				last = cands[i];
			}
		if (hits == 1 && last[strlen(last) - 1] == '=')
			rl_completion_suppress_append = 1;
	}
	m = rl_completion_matches(text, cand_gen);
	return m;
}

/* ----------------------------------------------------------- setup --- */

void
prompt_init(void)
{
	char **h;
	size_t n, i;

	devnull = fopen("/dev/null", "w");
	rl_readline_name = "lathe";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_prep_term_function = NULL;
	rl_deprep_term_function = NULL;
	rl_getc_function = rl_getc_cb;
	rl_input_available_hook = rl_avail_cb;
	rl_redisplay_function = rl_redisplay_cb;
	rl_completion_display_matches_hook = show_matches_cb;
	rl_attempted_completion_function = complete;
	rl_completer_word_break_characters = " \t\n=,";
	rl_completer_quote_characters = "'\"";
	rl_completion_query_items = 100000;
	if (devnull != NULL)
		rl_outstream = devnull;
	rl_instream = stdin;
	using_history();
	stifle_history(1000);
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("show-all-if-ambiguous", "on");
	rl_variable_bind("enable-bracketed-paste", "off");
	n = session_history(tui.s, 1000, &h);
	for (i = 0; i < n; i++)
		add_history(h[i]);
	strs_free(h, n);
}

void
prompt_fini(void)
{
	if (tui.prompt_active)
		rl_callback_handler_remove();
	tui.prompt_active = 0;
	clear_history();
	cands_clear();
	shown_clear();
	rl_outstream = stdout;
	if (devnull != NULL)
		fclose(devnull);
	devnull = NULL;
}

void
prompt_history_add(const char *line)
{
	HIST_ENTRY *last;

	if (*line == '\0')
		return;
	last = history_length > 0 ? history_get(history_base +
	    history_length - 1) : NULL;
	if (last == NULL || strcmp(last->line, line) != 0)
		add_history(line);
	session_history_add(tui.s, line);
}

void
prompt_open(int m, const char *initial)
{
	if (tui.prompt_active)
		return;
	mode = m;
	qhead = qlen = 0;
	line_done = 0;
	line_got = NULL;
	shown_clear();
	rl_callback_handler_install(m == '/' ? "/" : ":", rl_line_cb);
	if (initial != NULL && *initial != '\0') {
		rl_insert_text(initial);
		rl_point = rl_end;
	}
	tui.prompt_active = 1;
	tui.dirty = 1;
}

static void
prompt_close(void)
{
	rl_callback_handler_remove();
	tui.prompt_active = 0;
	shown_clear();
	tui.dirty = 1;
}

static void
feed(const char *bytes, size_t n)
{
	size_t i;

	for (i = 0; i < n && qlen < QUEUE_MAX; i++) {
		queue[(qhead + qlen) % QUEUE_MAX] = (unsigned char)bytes[i];
		qlen++;
	}
	while (qlen > 0 && !line_done)
		rl_callback_read_char();
	qhead = qlen = 0;
}

static size_t
utf8_encode(wint_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

int
prompt_key(const struct tkey *k)
{
	static const struct {
		int		 key;
		const char	*seq;
	} fkeys[] = {
		{ KEY_LEFT, "\033[D" }, { KEY_RIGHT, "\033[C" },
		{ KEY_UP, "\033[A" }, { KEY_DOWN, "\033[B" },
		{ KEY_HOME, "\033[H" }, { KEY_END, "\033[F" },
		{ KEY_DC, "\033[3~" }, { KEY_BACKSPACE, "\177" },
		{ KEY_ENTER, "\r" },
	};
	char buf[8];
	size_t i, n = 0;
	int m = mode;

	if (!tui.prompt_active)
		return 0;
	if (!k->code && (k->key == KEY_ESC || k->key == CTRL_KEY('c') ||
	    k->key == CTRL_KEY('g'))) {
		rl_callback_sigcleanup();
		rl_replace_line("", 0);
		prompt_close();
		return 1;
	}
	shown_clear();
	if (k->code) {
		for (i = 0; i < sizeof fkeys / sizeof fkeys[0]; i++)
			if ((wint_t)fkeys[i].key == k->key) {
				n = strlen(fkeys[i].seq);
				memcpy(buf, fkeys[i].seq, n);
			}
		if (n == 0)
			return 1;
	} else
		n = utf8_encode(k->key, buf);
	feed(buf, n);
	tui.dirty = 1;
	if (line_done) {
		char *line = line_got;

		prompt_close();
		line_got = NULL;
		line_done = 0;
		if (line == NULL)
			return 1;
		if (m == ':') {
			prompt_history_add(line);
			tui_exec(line);
		} else {
			char *cmd = xasprintf("find %s", line);

			tui_exec(cmd);
			free(cmd);
		}
		free(line);
	}
	return 1;
}

/* Width of the first n bytes of s. */
static int
width_n(const char *s, size_t n)
{
	char *p = xstrndup(s, n);
	int w = str_width(p);

	free(p);
	return w;
}

void
prompt_draw(int y, int w)
{
	const char *buf = rl_line_buffer ? rl_line_buffer : "";
	const char *pr = rl_display_prompt ? rl_display_prompt : ":";
	int pw, cw, skip = 0, i;
	size_t off = 0;

	put_fill(y, 0, w, A_NORMAL);
	pw = str_width(pr);
	put_str(y, 0, pr, w, -1, 0);
	cw = width_n(buf, (size_t)rl_point);
	/* scroll so the cursor stays in view */
	while (pw + cw - skip > w - 1 && buf[off] != '\0') {
		size_t len = 1;

		while ((buf[off + len] & 0xc0) == 0x80)
			len++;
		skip += width_n(buf + off, len);
		off += len;
	}
	put_str(y, pw, buf + off, w - pw, -1, 0);
	tui.cur_y = y;
	tui.cur_x = pw + cw - skip;
	if (nshown > 0) {
		int colw = 0, per, rowsn, maxrows = 8;
		size_t k;

		for (k = 0; k < nshown; k++)
			if (str_width(shown[k]) > colw)
				colw = str_width(shown[k]);
		colw += 2;
		per = w / colw > 0 ? w / colw : 1;
		rowsn = (int)((nshown + (size_t)per - 1) / (size_t)per);
		if (rowsn > maxrows)
			rowsn = maxrows;
		for (i = 0; i < rowsn; i++) {
			int r = y - rowsn + i, c;

			put_fill(r, 0, w, tattr(TA_BAR));
			attrset(tattr(TA_BAR));
			for (c = 0; c < per; c++) {
				k = (size_t)i * (size_t)per + (size_t)c;
				if (k >= nshown)
					break;
				put_str(r, c * colw, shown[k], colw - 1, -1,
				    0);
			}
			attrset(A_NORMAL);
		}
	}
}

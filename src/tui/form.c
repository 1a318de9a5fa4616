/*
 * form.c - adding and editing a step with keys: a menu of the step types
 * (step_table, with their summaries), then a form of the type's
 * parameters from its schema (params.h): each field starts at the
 * default (or the step's current value), the help of the field under
 * the cursor is shown, and so is the spec line the form makes.  Enter
 * runs that line like a typed command, so the parser's message comes
 * back into the form when a value is wrong.  The grid search form is
 * the same form over a schema of its own: each model parameter as a
 * list of values to try, and the metric.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/spec.h"
#include "core/step.h"
#include "core/xmalloc.h"
#include "tui/tui.h"

/* ------------------------------------------------------------ menu --- */

struct menu {
	char		*title;
	char		**names;
	char		**notes;
	size_t		 n;
	size_t		 cur, top;
	char		 filter[32];
	void		(*pick)(const char *, void *);
	void		*arg;
	void		(*arg_free)(void *);
};

/* The items the filter lets through: their indices into out. */
static size_t
menu_items(const struct menu *m, size_t *out)
{
	size_t i, n = 0, len = strlen(m->filter);

	for (i = 0; i < m->n; i++)
		if (len == 0 || strncmp(m->names[i], m->filter, len) == 0)
			out[n++] = i;
	return n;
}

static void
menu_draw(int y, int h, int w)
{
	struct menu *m = tui.modal->arg;
	size_t *it = xcalloc(m->n ? m->n : 1, sizeof *it);
	size_t n = menu_items(m, it), i;
	int bw = w < 76 ? w : 76, bh = (int)n + 4, x = (w - bw) / 2, r, nw = 4;
	char title[160];

	if (bh > h)
		bh = h;
	if (bh < 5)
		bh = h < 5 ? h : 5;
	for (i = 0; i < m->n; i++)
		if (str_width(m->names[i]) > nw)
			nw = str_width(m->names[i]);
	if (nw > bw / 2)
		nw = bw / 2;
	snprintf(title, sizeof title, "%s%s%s", m->title, m->filter[0] ?
	    ": " : "", m->filter);
	put_box(y, x, bh, bw, title);
	if (m->cur >= n)
		m->cur = n ? n - 1 : 0;
	if (m->cur < m->top)
		m->top = m->cur;
	if (bh > 4 && m->cur >= m->top + (size_t)(bh - 4))
		m->top = m->cur - (size_t)(bh - 4) + 1;
	for (r = 0; r < bh - 4 && m->top + (size_t)r < n; r++) {
		i = m->top + (size_t)r;
		attrset(i == m->cur ? tattr(TA_CURSOR) : A_NORMAL);
		put_str(y + 1 + r, x + 2, m->names[it[i]], nw + 1, -1, 1);
		put_str(y + 1 + r, x + 3 + nw, m->notes[it[i]], bw - nw - 5,
		    -1, 1);
		attrset(A_NORMAL);
	}
	if (n == 0)
		put_str(y + 1, x + 2, "nothing starts so", bw - 4, -1, 0);
	attrset(tattr(TA_DIM));
	put_str(y + bh - 2, x + 2, "type to filter, Enter picks, Esc cancels",
	    bw - 4, -1, 0);
	attrset(A_NORMAL);
	free(it);
}

static int
menu_key(const struct tkey *k)
{
	struct menu *m = tui.modal->arg;
	size_t *it = xcalloc(m->n ? m->n : 1, sizeof *it);
	size_t n = menu_items(m, it), len = strlen(m->filter);
	wint_t c = k->key;

	if ((k->code && c == KEY_UP) || (!k->code && c == CTRL_KEY('p')))
		m->cur = m->cur > 0 ? m->cur - 1 : 0;
	else if ((k->code && c == KEY_DOWN) || (!k->code && c == CTRL_KEY('n')))
		m->cur = m->cur + 1 < n ? m->cur + 1 : m->cur;
	else if ((k->code && c == KEY_BACKSPACE) || (!k->code && (c == 127 ||
	    c == 8))) {
		if (len > 0)
			m->filter[len - 1] = '\0';
		m->cur = 0;
	} else if ((!k->code && c == '\r') || (k->code && c == KEY_ENTER)) {
		if (n > 0 && m->cur < n) {
			char *name = xstrdup(m->names[it[m->cur]]);
			void (*pick)(const char *, void *) = m->pick;
			void *arg = m->arg;

			/* the callback may open the next box */
			m->arg = NULL;
			tui_modal_pop();
			pick(name, arg);
			free(name);
		}
	} else if (!k->code && c > ' ' && c < 127 && len + 1 <
	    sizeof m->filter) {
		m->filter[len] = (char)c;
		m->filter[len + 1] = '\0';
		m->cur = 0;
	}
	free(it);
	return 1;
}

static void
menu_free(void *arg)
{
	struct menu *m = arg;

	free(m->title);
	strs_free(m->names, m->n);
	strs_free(m->notes, m->n);
	if (m->arg_free != NULL && m->arg != NULL)
		m->arg_free(m->arg);
	free(m);
}

void
menu_open(const char *title, const char *const *names,
    const char *const *notes, size_t n,
    void (*pick)(const char *, void *), void *arg,
    void (*arg_free)(void *))
{
	struct menu *mn = xcalloc(1, sizeof *mn);
	struct modal *m = xcalloc(1, sizeof *m);
	size_t i;

	mn->title = xstrdup(title);
	mn->names = xcalloc(n ? n : 1, sizeof *mn->names);
	mn->notes = xcalloc(n ? n : 1, sizeof *mn->notes);
	for (i = 0; i < n; i++) {
		mn->names[i] = xstrdup(names[i]);
		mn->notes[i] = xstrdup(notes && notes[i] ? notes[i] : "");
	}
	mn->n = n;
	mn->pick = pick;
	mn->arg = arg;
	mn->arg_free = arg_free;
	m->draw = menu_draw;
	m->key = menu_key;
	m->free = menu_free;
	m->arg = mn;
	m->help = "Up/Down choose  letters filter  Enter pick  Esc cancel";
	tui_modal_push(m);
}

static void
step_picked(const char *name, void *arg)
{
	size_t *after = arg;
	struct err e;
	const struct step_ops *ops;

	err_clear(&e);
	if ((ops = step_find(name, &e)) != NULL)
		form_open("step", ops->name, ops->params, *after, 0, NULL);
	free(after);
}

void
form_add(size_t after)
{
	const char *names[64] = { NULL }, *notes[64] = { NULL };
	char title[64];
	size_t n = 0, *arg = xmalloc(sizeof *arg);

	for (n = 0; step_table[n] != NULL && n < 64; n++) {
		names[n] = step_table[n]->name;
		notes[n] = step_table[n]->summary ? step_table[n]->summary :
		    "";
	}
	*arg = after;
	snprintf(title, sizeof title, "add a step after step %zu", after);
	menu_open(title, names, notes, n, step_picked, arg, free);
}

/* ------------------------------------------------------------ form --- */

struct form {
	const char	*verb;		/* "step", "model" or "search" */
	char		*type;		/* the step or model type */
	const struct param_def *params;
	struct param_def *own;		/* search: the schema, owned */
	size_t		 after;		/* add: after this step */
	size_t		 step;		/* edit: this step (0: add) */
	size_t		 n;
	char		**val;
	size_t		 cur, top;
	char		*error;
};

static void	 form_start(struct form *, const struct spec_line *);

static const char *
type_hint(const struct param_def *d)
{
	switch (d->type) {
	case PT_BOOL:
		return "true|false (Left/Right)";
	case PT_ENUM:
		return "Left/Right cycles";
	case PT_COLS:
		return "columns: names, globs, @numeric, !name";
	case PT_COL:
		return "a column";
	case PT_EXPR:
		return "an expression (SQL syntax)";
	case PT_INT:
		return "a whole number";
	case PT_NUM:
		return "a number";
	case PT_NUMS:
		return "numbers, comma-separated";
	case PT_STRS:
		return "words, comma-separated";
	default:
		return "text";
	}
}

/* The spec line the form makes. */
static char *
form_line(const struct form *f)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	if (f->own != NULL)
		strbuf_addstr(&sb, f->verb);
	else
		strbuf_addf(&sb, "%s %s", f->verb, f->type);
	for (i = 0; i < f->n; i++) {
		const struct param_def *d = &f->params[i];

		if (f->val[i][0] == '\0' && d->def != NULL)
			continue;
		if (d->def != NULL && strcmp(f->val[i], d->def) == 0)
			continue;
		strbuf_addf(&sb, " %s=", d->name);
		spec_quote(&sb, f->val[i]);
	}
	return strbuf_detach(&sb);
}

static void
form_draw(int y, int h, int w)
{
	struct form *f = tui.modal->arg;
	int bw = w < 90 ? w : 90, x = (w - bw) / 2, bh, r, lw = 14;
	char title[128], *line;
	size_t i;

	bh = (int)f->n + 8;
	if (bh > h)
		bh = h;
	if (f->own != NULL)
		snprintf(title, sizeof title, "grid search: model %s (values "
		    "comma-separated)", f->type);
	else if (f->step > 0)
		snprintf(title, sizeof title, "edit step %zu: %s", f->step,
		    f->type);
	else if (strcmp(f->verb, "step") == 0)
		snprintf(title, sizeof title, "step %s after step %zu",
		    f->type, f->after);
	else
		snprintf(title, sizeof title, "%s %s", f->verb, f->type);
	put_box(y, x, bh, bw, title);
	if (f->cur < f->top)
		f->top = f->cur;
	if (bh > 8 && f->cur >= f->top + (size_t)(bh - 8))
		f->top = f->cur - (size_t)(bh - 8) + 1;
	for (r = 0; r < bh - 8 && f->top + (size_t)r < f->n; r++) {
		const struct param_def *d;
		char def[96];

		i = f->top + (size_t)r;
		d = &f->params[i];
		attrset(i == f->cur ? tattr(TA_TITLE) : tattr(TA_DIM));
		put_str(y + 1 + r, x + 2, d->name, lw, -1, 1);
		attrset(i == f->cur ? tattr(TA_CURSOR) : tattr(TA_HEAD));
		put_str(y + 1 + r, x + 2 + lw, f->val[i], bw / 2 - lw, -1, 1);
		attrset(tattr(TA_DIM));
		if (d->def == NULL)
			snprintf(def, sizeof def, "required");
		else if (d->def[0] == '\0')
			snprintf(def, sizeof def, "%s", f->own != NULL ?
			    "not searched" : "optional");
		else
			snprintf(def, sizeof def, "default %s", d->def);
		put_str(y + 1 + r, x + 3 + bw / 2, def, bw / 2 - 5, -1, 0);
		attrset(A_NORMAL);
		if (i == f->cur) {
			int cx = x + 2 + lw + str_width(f->val[i]);

			if (cx < x + 2 + bw / 2) {
				tui.cur_y = y + 1 + r;
				tui.cur_x = cx;
			}
		}
	}
	if (f->n > 0) {
		const struct param_def *d = &f->params[f->cur];
		char help[256];

		snprintf(help, sizeof help, "%s: %s (%s)", d->name,
		    d->help ? d->help : "", type_hint(d));
		put_str(y + bh - 6, x + 2, help, bw - 4, -1, 0);
	}
	line = form_line(f);
	attrset(tattr(TA_KEY));
	put_str(y + bh - 4, x + 2, line, bw - 4, -1, 0);
	attrset(A_NORMAL);
	free(line);
	if (f->error != NULL) {
		attrset(tattr(TA_ERROR));
		put_str(y + bh - 3, x + 2, f->error, bw - 4, -1, 0);
		attrset(A_NORMAL);
	}
	attrset(tattr(TA_DIM));
	put_str(y + bh - 2, x + 2, "Up/Down field  type to edit  ^U clear  "
	    "Enter apply  Esc cancel", bw - 4, -1, 0);
	attrset(A_NORMAL);
}

static void
cycle(struct form *f, int dir)
{
	const struct param_def *d = &f->params[f->cur];
	char *choices, *tok, *save = NULL, *list[32];
	size_t n = 0, i, at = 0;

	if (d->type == PT_BOOL) {
		free(f->val[f->cur]);
		f->val[f->cur] = xstrdup(strcmp(f->val[f->cur] ?
		    f->val[f->cur] : "", "true") == 0 ? "false" : "true");
		return;
	}
	if (d->type != PT_ENUM || d->choices == NULL)
		return;
	choices = xstrdup(d->choices);
	for (tok = strtok_r(choices, "|", &save); tok != NULL && n < 32;
	    tok = strtok_r(NULL, "|", &save))
		list[n++] = tok;
	for (i = 0; i < n; i++)
		if (strcmp(list[i], f->val[f->cur]) == 0)
			at = i;
	if (n > 0) {
		at = (at + n + (size_t)(dir > 0 ? 1 : n - 1)) % n;
		free(f->val[f->cur]);
		f->val[f->cur] = xstrdup(list[at]);
	}
	free(choices);
}

static int
form_submit(struct form *f)
{
	struct err e;
	char *line = form_line(f);
	int rc;

	err_clear(&e);
	if (f->step > 0)
		rc = session_replace(tui.s, f->step, line, &e);
	else
		rc = session_exec(tui.s, line, f->after, &e);
	if (rc != 0) {
		free(f->error);
		f->error = xstrdup(e.msg);
		free(line);
		return 1;
	}
	prompt_history_add(line);
	if (strcmp(f->verb, "step") == 0)
		tui_status("step %zu: %s", tui.s->sel, line);
	else
		tui_status("%s", line);
	free(line);
	return 0;
}

static int
form_key(const struct tkey *k)
{
	struct form *f = tui.modal->arg;
	wint_t c = k->key;
	size_t len;
	char *v;

	if (f->n == 0) {
		if ((!k->code && c == '\r') || (k->code && c == KEY_ENTER))
			return form_submit(f);
		return 1;
	}
	v = f->val[f->cur];
	len = strlen(v);
	if ((k->code && c == KEY_UP) || (k->code && c == KEY_BTAB))
		f->cur = f->cur > 0 ? f->cur - 1 : f->n - 1;
	else if ((k->code && c == KEY_DOWN) || (!k->code && c == '\t'))
		f->cur = f->cur + 1 < f->n ? f->cur + 1 : 0;
	else if (k->code && c == KEY_LEFT)
		cycle(f, -1);
	else if (k->code && c == KEY_RIGHT)
		cycle(f, 1);
	else if ((!k->code && c == '\r') || (k->code && c == KEY_ENTER))
		return form_submit(f);
	else if ((k->code && c == KEY_BACKSPACE) || (!k->code && (c == 127 ||
	    c == 8))) {
		/* one UTF-8 character */
		while (len > 0 && (v[len - 1] & 0xc0) == 0x80)
			len--;
		if (len > 0)
			v[len - 1] = '\0';
	} else if (!k->code && c == CTRL_KEY('u'))
		v[0] = '\0';
	else if (!k->code && c == ' ' && (f->params[f->cur].type ==
	    PT_BOOL || f->params[f->cur].type == PT_ENUM))
		cycle(f, 1);
	else if (!k->code && c >= ' ' && c != 127) {
		char buf[8];
		size_t n;

		/* wide characters as UTF-8 */
		if (c < 0x80) {
			buf[0] = (char)c;
			n = 1;
		} else if (c < 0x800) {
			buf[0] = (char)(0xc0 | (c >> 6));
			buf[1] = (char)(0x80 | (c & 0x3f));
			n = 2;
		} else {
			buf[0] = (char)(0xe0 | ((c >> 12) & 0x0f));
			buf[1] = (char)(0x80 | ((c >> 6) & 0x3f));
			buf[2] = (char)(0x80 | (c & 0x3f));
			n = 3;
		}
		f->val[f->cur] = xrealloc(v, len + n + 1);
		memcpy(f->val[f->cur] + len, buf, n);
		f->val[f->cur][len + n] = '\0';
	}
	free(f->error);
	f->error = NULL;
	return 1;
}

static void
form_free(void *arg)
{
	struct form *f = arg;
	size_t i;

	strs_free(f->val, f->n);
	free(f->error);
	free(f->type);
	if (f->own != NULL) {
		/* the metric's default and choices are its own */
		for (i = 0; i < f->n; i++) {
			if (f->own[i].choices != NULL)
				free((char *)f->own[i].def);
			free((char *)f->own[i].choices);
			free((char *)f->own[i].help);
		}
		free(f->own);
	}
	free(f);
}

void
form_open(const char *verb, const char *type,
    const struct param_def *params, size_t after, size_t step,
    const struct spec_line *l)
{
	struct form *f = xcalloc(1, sizeof *f);

	f->verb = strcmp(verb, "model") == 0 ? "model" : "step";
	f->type = xstrdup(type);
	f->params = params;
	f->after = after;
	f->step = step;
	form_start(f, l);
}

/*
 * A search line's values are lists: the schema is the model's, every
 * parameter optional text, then the metric.
 */
void
form_grid(const char *type, const struct param_def *params,
    const char *const *metrics, size_t nmetrics,
    const struct spec_line *cur)
{
	struct form *f = xcalloc(1, sizeof *f);
	struct strbuf sb = STRBUF_INIT;
	const struct param_def *d;
	size_t n = 0, i;

	for (d = params; d != NULL && d->name != NULL; d++)
		n++;
	f->own = xcalloc(n + 2, sizeof *f->own);
	for (i = 0; i < n; i++) {
		d = &params[i];
		f->own[i].name = d->name;
		f->own[i].type = PT_STRS;
		f->own[i].def = "";
		f->own[i].help = xasprintf("%s; default %s",
		    d->help ? d->help : "", d->def == NULL ? "none" :
		    d->def[0] == '\0' ? "unset" : d->def);
	}
	if (nmetrics > 0) {
		for (i = 0; i < nmetrics; i++)
			strbuf_addf(&sb, "%s%s", i ? "|" : "", metrics[i]);
		f->own[n].name = "metric";
		f->own[n].type = PT_ENUM;
		f->own[n].def = xstrdup(metrics[0]);
		f->own[n].choices = strbuf_detach(&sb);
		f->own[n].help = xstrdup("the metric that picks the best "
		    "combination (the evaluation's)");
	}
	f->verb = "search";
	f->type = xstrdup(type);
	f->params = f->own;
	form_start(f, cur);
}

static void
form_start(struct form *f, const struct spec_line *l)
{
	struct modal *m = xcalloc(1, sizeof *m);
	const struct param_def *d, *params = f->params;
	size_t i, k;

	for (d = params; d != NULL && d->name != NULL; d++)
		f->n++;
	f->val = xcalloc(f->n ? f->n : 1, sizeof *f->val);
	for (i = 0; i < f->n; i++) {
		const char *v = params[i].def ? params[i].def : "";

		for (k = 0; l != NULL && k < l->nkv; k++)
			if (strcmp(l->kv[k].key, params[i].name) == 0)
				v = l->kv[k].value;
		f->val[i] = xstrdup(v);
	}
	m->draw = form_draw;
	m->key = form_key;
	m->free = form_free;
	m->arg = f;
	m->help = "Enter applies the line shown  Esc cancels";
	tui_modal_push(m);
}

void
form_edit(size_t step)
{
	struct spec_line *l = session_step_parsed(tui.s, step);
	const struct step_ops *ops;
	struct err e;

	err_clear(&e);
	if (l == NULL || l->npos < 1 ||
	    (ops = step_find(l->pos[0].text, &e)) == NULL) {
		spec_line_free(l);
		tui_error("edit: step %zu does not parse", step);
		return;
	}
	form_open("step", ops->name, ops->params, 0, step, l);
	spec_line_free(l);
}

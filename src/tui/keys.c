/*
 * keys.c - key bindings.  A key runs a command line (command.c), so
 * everything a key does can be typed after ':' as well; a binding with
 * no command is a navigation key its screen handles itself.  The
 * screens' tables are in their view-NAME.c files; the keys every screen
 * shares are here.  Also: key names, and the '?' help box.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "tui/tui.h"

const struct keybind keys_global[] = {
	{ '1', "1-6", "screen data", "switch screens: 1 Data, 2 Columns, "
	  "3 Pipeline, 4 Model, 5 Runs, 6 Spec", NULL },
	{ '2', NULL, "screen columns", NULL, NULL },
	{ '3', NULL, "screen pipeline", NULL, NULL },
	{ '4', NULL, "screen model", NULL, NULL },
	{ '5', NULL, "screen runs", NULL, NULL },
	{ '6', NULL, "screen spec", NULL, NULL },
	{ '\t', "Tab", "screen next", "next screen (Shift-Tab: previous)",
	  NULL },
	{ KEY_BTAB, NULL, "screen prev", NULL, NULL },
	{ ':', ":", NULL, "the command line (Tab completes, Up recalls)",
	  "command" },
	{ 'u', "u", "undo", "undo the last change to the pipeline", NULL },
	{ CTRL_KEY('r'), "^R", "redo", "redo", NULL },
	{ '?', "?", "help", "these keys", "help" },
	{ CTRL_KEY('l'), "^L", "redraw", "redraw the screen", NULL },
	{ 'q', "q", "quit", "quit (asks when the pipeline is not exported)",
	  "quit" },
	{ 0, NULL, NULL, NULL, NULL },
};

const struct keybind *
keys_find(const struct keybind *kb, const struct tkey *k)
{
	for (; kb != NULL && kb->key != 0; kb++) {
		if (k->code && kb->key >= KEY_MIN && (wint_t)kb->key == k->key)
			return kb;
		if (!k->code && kb->key < KEY_MIN && (wint_t)kb->key == k->key)
			return kb;
	}
	return NULL;
}

void
keys_name(const struct tkey *k, char *buf, size_t n)
{
	if (k->code) {
		const char *s = keyname((int)k->key);

		snprintf(buf, n, "%s", s ? s : "?");
	} else if (k->key < 32)
		snprintf(buf, n, "^%c", (int)k->key + '@');
	else if (k->key < 127)
		snprintf(buf, n, "%c", (int)k->key);
	else
		snprintf(buf, n, "U+%04X", (unsigned)k->key);
}

/* ------------------------------------------------------------ help --- */

struct help {
	char		*title;
	char		**lines;
	size_t		 n;
	size_t		 top;
};

/* Lines are "a" + "b": a heading when a does not start with a blank. */
static void
help_add(struct help *h, const char *a, const char *b)
{
	h->lines = xreallocarray(h->lines, h->n + 1, sizeof *h->lines);
	h->lines[h->n++] = xasprintf("%s%s", a, b);
}

static void
help_keys(struct help *h, const struct keybind *kb)
{
	for (; kb != NULL && kb->key != 0; kb++)
		if (kb->name != NULL && kb->help != NULL)
		{
			char *l = xasprintf("  %-9s ", kb->name);

			help_add(h, l, kb->help);
			free(l);
		}
}

static void
help_draw(int y, int hgt, int w)
{
	struct help *h = tui.modal->arg;
	int bw = w < 78 ? w : 78, bh = hgt, i;
	int x = (w - bw) / 2;

	put_box(y, x, bh, bw, h->title);
	if (h->top + (size_t)(bh - 2) > h->n)
		h->top = h->n > (size_t)(bh - 2) ? h->n - (size_t)(bh - 2) :
		    0;
	for (i = 0; i < bh - 2 && h->top + (size_t)i < h->n; i++) {
		const char *l = h->lines[h->top + (size_t)i];

		if (l[0] != ' ')
			attrset(tattr(TA_TITLE));
		put_str(y + 1 + i, x + 2, l, bw - 4, -1, 0);
		attrset(A_NORMAL);
	}
}

static int
help_key(const struct tkey *k)
{
	struct help *h = tui.modal->arg;

	if (k->code && k->key == KEY_DOWN)
		h->top++;
	else if (!k->code && k->key == 'j')
		h->top++;
	else if ((k->code && k->key == KEY_UP) || (!k->code && k->key == 'k'))
		h->top = h->top > 0 ? h->top - 1 : 0;
	else if ((k->code && k->key == KEY_NPAGE) ||
	    (!k->code && k->key == ' '))
		h->top += 10;
	else if (k->code && k->key == KEY_PPAGE)
		h->top = h->top > 10 ? h->top - 10 : 0;
	else
		return 0;
	return 1;
}

static void
help_free(void *arg)
{
	struct help *h = arg;

	strs_free(h->lines, h->n);
	free(h->title);
	free(h);
}

static void
help_show(struct help *h)
{
	struct modal *m = xcalloc(1, sizeof *m);

	m->draw = help_draw;
	m->key = help_key;
	m->free = help_free;
	m->arg = h;
	m->help = "Up/Down scroll  Esc close";
	tui_modal_push(m);
}

void
help_text(const char *title, const char *text)
{
	struct help *h = xcalloc(1, sizeof *h);
	const char *p = text, *nl;

	h->title = xstrdup(title);
	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		h->lines = xreallocarray(h->lines, h->n + 1, sizeof *h->lines);
		h->lines[h->n++] = xstrndup(p, (size_t)(nl - p));
		p = *nl ? nl + 1 : nl;
	}
	help_show(h);
}

void
keys_help(void)
{
	struct help *h = xcalloc(1, sizeof *h);
	const struct view_ops *v = view_table[tui.view];

	h->title = xstrdup("keys");
	help_add(h, v->name, " screen");
	help_keys(h, v->keys);
	help_add(h, "", "");
	help_add(h, "Every screen", "");
	help_keys(h, keys_global);
	help_add(h, "", "");
	help_add(h, "Commands (after ':'; ':help TOPIC' for more)", "");
	help_add(h, "  ", "step TYPE k=v..   add a step (also target, "
	    "model, evaluate, search, source)");
	help_add(h, "  ", "open DATA|SPEC    open data or a spec file");
	help_add(h, "  ", "export FILE       write the spec; write: to "
	    "the same file again");
	help_add(h, "  ", "undo, redo, delete N, move N up|down, "
	    "toggle N, edit N");
	help_add(h, "  ", "train, cancel, unset KIND, screen NAME, "
	    "quit, quit!");
	help_add(h, "", "");
	help_add(h, "Column types", "");
	help_add(h, "  ", "# integer  % float  ? boolean  = categorical"
	    "  \" text  @ date  & datetime");
	help_show(h);
}

/*
 * view-spec.c - the Spec screen: the pipeline as spec text, exactly the
 * bytes ':export' writes (session_spec_text), with the verbs in bold and
 * comments dimmed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "tui/tui.h"

static size_t top;

static const struct keybind spec_keys[] = {
	{ 'e', "e", NULL, "export (prompts for the file)", "export" },
	{ 'w', "w", "write", "write to the file again", "write" },
	{ KEY_UP, "Up/Down", NULL, "scroll (also j k)", NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

static void
spec_draw(int y, int h, int w)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p, *nl;
	size_t n = 0, lines = 0;
	int r = 0;
	char head[512];

	session_spec_text(tui.s, &sb);
	for (p = sb.buf; *p != '\0'; p++)
		lines += *p == '\n';
	snprintf(head, sizeof head, "%s%s", tui.s->path ? tui.s->path :
	    "not exported yet (:export FILE)", session_modified(tui.s) ?
	    "  [modified]" : "");
	attrset(tattr(TA_HEAD));
	put_fill(y, 0, w, tattr(TA_HEAD));
	put_str(y, 0, head, w, -1, 0);
	attrset(A_NORMAL);
	if (top + (size_t)(h - 1) > lines)
		top = lines > (size_t)(h - 1) ? lines - (size_t)(h - 1) : 0;
	for (p = sb.buf; *p != '\0' && r < h - 1; p = nl + 1, n++) {
		char *line;
		size_t vl;

		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (n < top)
			continue;
		line = xstrndup(p, (size_t)(nl - p));
		if (line[0] == '#') {
			attrset(tattr(TA_DIM));
			put_str(y + 1 + r, 0, line, w, -1, 0);
		} else {
			char save;
			int vw;

			vl = strcspn(line, " ");
			save = line[vl];
			line[vl] = '\0';
			attrset(tattr(TA_TITLE));
			vw = put_str(y + 1 + r, 0, line, w, -1, 0);
			attrset(A_NORMAL);
			line[vl] = save;
			if (save != '\0')
				put_str(y + 1 + r, vw, line + vl, w - vw,
				    -1, 0);
		}
		attrset(A_NORMAL);
		free(line);
		r++;
		if (*nl == '\0')
			break;
	}
	strbuf_release(&sb);
}

static int
spec_key(const struct tkey *k)
{
	wint_t c = k->key;

	if ((k->code && c == KEY_UP) || (!k->code && c == 'k'))
		top = top > 0 ? top - 1 : 0;
	else if ((k->code && c == KEY_DOWN) || (!k->code && c == 'j'))
		top++;
	else if (!k->code && c == 'e')
		prompt_open(':', "export ");
	else
		return 0;
	return 1;
}

const struct view_ops view_spec_ops = {
	.name = "Spec",
	.keys = spec_keys,
	.draw = spec_draw,
	.key = spec_key,
};

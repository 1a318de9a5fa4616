/*
 * command.c - the workbench's commands: what ':' runs and what every key
 * ends in.  A line is split with the spec lexer (spec.h), so quoting is
 * the same as in spec files.  Spec statements (step, target, model,
 * evaluate, search, source) go to the session as they are, through the
 * same parser and messages as spec files; the rest are the commands of
 * the table below.  A command a screen owns (find, sort, ...) is passed
 * to the screens' command functions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/model.h"
#include "core/spec.h"
#include "core/step.h"
#include "core/xmalloc.h"
#include "tui/tui.h"

struct tcmd {
	const char	*name;
	const char	*args;
	const char	*help;
	int		(*fn)(int, char **);
};

static int	 c_open(int, char **);
static int	 c_export(int, char **);
static int	 c_write(int, char **);
static int	 c_train(int, char **);
static int	 c_cancel(int, char **);
static int	 c_undo(int, char **);
static int	 c_redo(int, char **);
static int	 c_help(int, char **);
static int	 c_quit(int, char **);
static int	 c_screen(int, char **);
static int	 c_redraw(int, char **);
static int	 c_step_op(int, char **);
static int	 c_unset(int, char **);
static int	 c_detail(int, char **);

static const struct tcmd cmds[] = {
	{ "open", "DATA|SPEC", "open data (a CSV file, file.db:table, a "
	  "workspace dataset) or a spec file", c_open },
	{ "export", "FILE", "write the pipeline as a spec file (atomically)",
	  c_export },
	{ "write", "", "export to the file last exported or opened",
	  c_write },
	{ "train", "", "train and evaluate the model (Esc stops)", c_train },
	{ "cancel", "", "stop the training", c_cancel },
	{ "undo", "", "undo the last change to the pipeline", c_undo },
	{ "redo", "", "redo what undo undid", c_redo },
	{ "help", "[TOPIC]", "keys; or a step, model or command", c_help },
	{ "quit", "", "quit (asks when the pipeline is not exported)",
	  c_quit },
	{ "q", "", "quit", c_quit },
	{ "quit!", "", "quit without asking (a draft is kept)", c_quit },
	{ "q!", "", "quit without asking", c_quit },
	{ "screen", "NAME|next|prev", "switch screens", c_screen },
	{ "redraw", "", "redraw the screen", c_redraw },
	{ "add", "[TYPE]", "add a step after the selected one (a form)",
	  c_step_op },
	{ "edit", "[N]", "edit step N (a form)", c_step_op },
	{ "delete", "[N]", "delete step N", c_step_op },
	{ "move", "[N] up|down", "move step N", c_step_op },
	{ "toggle", "[N]", "disable or enable step N", c_step_op },
	{ "disable", "[N]", "disable step N", c_step_op },
	{ "enable", "[N]", "enable step N", c_step_op },
	{ "select", "N", "preview the table after step N (0: the data)",
	  c_step_op },
	{ "unset", "target|model|evaluate|search", "remove that line",
	  c_unset },
	{ "detail", "[COLUMN]", "a column in detail", c_detail },
	{ "freq", "[COLUMN]", "a column's value counts", c_detail },
	/* the screens' own */
	{ "find", "TEXT", "Data: find TEXT in the current column", NULL },
	{ "next", "", "Data: the next match", NULL },
	{ "widen", "", "Data: widen the current column", NULL },
	{ "narrow", "", "Data: narrow the current column", NULL },
	{ "sort", "METRIC", "Runs: sort by a metric", NULL },
	{ "mark", "", "Runs: mark a run to compare", NULL },
	{ "load", "[RUN]", "Runs: take a run's spec as the pipeline", NULL },
	{ NULL, NULL, NULL, NULL },
};

const char *const tui_commands[] = {
	"step", "target", "model", "evaluate", "search", "source",
	"open", "export", "write", "train", "cancel", "undo", "redo", "help",
	"quit", "screen", "add", "edit", "delete", "move", "toggle",
	"disable", "enable", "select", "unset", "detail", "freq", "find",
	"next", "widen", "narrow", "sort", "mark", "load", "redraw", NULL
};

static const char *const spec_verbs[] = {
	"step", "target", "model", "evaluate", "search", "source", NULL
};

/* --------------------------------------------------------- helpers --- */

static int
fail(const struct err *e)
{
	tui_error("%s", e->msg);
	return -1;
}

/* Step N from argv[i], or the selected step. */
static int
step_arg(int argc, char **argv, int i, size_t *step)
{
	char *end;
	long n;

	if (i < argc && argv[i][0] >= '0' && argv[i][0] <= '9') {
		n = strtol(argv[i], &end, 10);
		if (*end != '\0' || n < 0) {
			tui_error("%s: bad step number '%s'", argv[0],
			    argv[i]);
			return -1;
		}
		*step = (size_t)n;
		return 1;
	}
	*step = tui.s->sel;
	return 0;
}

static const char *
step_text(size_t step)
{
	size_t i = session_step_line(tui.s, step);

	return i == SIZE_MAX ? "" : tui.s->lines[i].text;
}

/* ------------------------------------------------------- commands --- */

static int
c_open(int argc, char **argv)
{
	struct err e;

	if (argc != 2) {
		tui_error("usage: open DATA|SPEC");
		return -1;
	}
	err_clear(&e);
	if (strcmp(argv[1], "-") != 0 && session_is_spec_file(argv[1])) {
		if (session_open_spec(tui.s, argv[1], &e) != 0)
			return fail(&e);
		tui_status("opened %s: %zu step%s", argv[1], tui.s->nsteps,
		    tui.s->nsteps == 1 ? "" : "s");
		return 0;
	}
	if (strcmp(argv[1], "-") == 0) {
		tui_error("open: standard input can only be opened at start "
		    "(lathe -)");
		return -1;
	}
	session_open(tui.s, argv[1]);
	tui_status("loading %s%s", argv[1], glyph(G_ELLIPSIS));
	return 0;
}

static int
c_export(int argc, char **argv)
{
	struct err e;

	if (argc != 2) {
		tui_error("usage: export FILE");
		return -1;
	}
	err_clear(&e);
	if (session_export(tui.s, argv[1], &e) != 0)
		return fail(&e);
	tui_status("exported to %s (lathe run %s replays it)", argv[1],
	    argv[1]);
	return 0;
}

static int
c_write(int argc, char **argv)
{
	char *argv2[3];
	int rc;

	(void)argv;
	if (argc != 1) {
		tui_error("usage: write (export FILE names a new file)");
		return -1;
	}
	if (tui.s->path == NULL) {
		tui_error("no file yet: use export FILE");
		return -1;
	}
	argv2[0] = (char *)"export";
	argv2[1] = xstrdup(tui.s->path);
	argv2[2] = NULL;
	rc = c_export(2, argv2);
	free(argv2[1]);
	return rc;
}

static int
c_train(int argc, char **argv)
{
	struct err e;

	(void)argc;
	(void)argv;
	err_clear(&e);
	if (session_train(tui.s, &e) != 0)
		return fail(&e);
	tui_status("training %s%s", tui.s->pl->model->ops->name,
	    glyph(G_ELLIPSIS));
	return 0;
}

static int
c_cancel(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (!tui.s->train.running) {
		tui_error("nothing is training");
		return -1;
	}
	session_train_cancel(tui.s);
	tui_status("stopping the training%s", glyph(G_ELLIPSIS));
	return 0;
}

static int
c_undo(int argc, char **argv)
{
	struct err e;

	(void)argc;
	(void)argv;
	err_clear(&e);
	if (session_undo(tui.s, &e) != 0)
		return fail(&e);
	tui_status("undone (%zu more to undo)", tui.s->nundo);
	return 0;
}

static int
c_redo(int argc, char **argv)
{
	struct err e;

	(void)argc;
	(void)argv;
	err_clear(&e);
	if (session_redo(tui.s, &e) != 0)
		return fail(&e);
	tui_status("redone (%zu more to redo)", tui.s->nredo);
	return 0;
}

static int
c_help(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "keys") == 0)
		keys_help();
	else
		tui_help_topic(argv[1]);
	return 0;
}

static void
quit_answer(int key, void *arg)
{
	(void)arg;
	if (key == 'y')
		tui.quit = 1;
	else if (key == 'd') {
		session_draft_drop(tui.s);
		tui.quit = 1;
	}
}

static int
c_quit(int argc, char **argv)
{
	(void)argc;
	if (strchr(argv[0], '!') == NULL && session_modified(tui.s)) {
		tui_ask("The pipeline has unexported changes: y quit (keep a "
		    "draft)  d discard them  n stay", "ynd", quit_answer,
		    NULL);
		return 0;
	}
	tui.quit = 1;
	return 0;
}

static int
c_screen(int argc, char **argv)
{
	int i;

	if (argc != 2) {
		tui_error("usage: screen NAME|next|prev");
		return -1;
	}
	if (strcmp(argv[1], "next") == 0) {
		tui_switch((tui.view + 1) % VIEW__COUNT);
		return 0;
	}
	if (strcmp(argv[1], "prev") == 0) {
		tui_switch((tui.view + VIEW__COUNT - 1) % VIEW__COUNT);
		return 0;
	}
	if (argv[1][0] >= '1' && argv[1][0] <= '6' && argv[1][1] == '\0') {
		tui_switch(argv[1][0] - '1');
		return 0;
	}
	for (i = 0; i < VIEW__COUNT; i++) {
		if (strcasecmp(view_table[i]->name, argv[1]) == 0) {
			tui_switch(i);
			return 0;
		}
	}
	tui_error("no screen '%s' (data, columns, pipeline, model, runs, "
	    "spec)", argv[1]);
	return -1;
}

static int
c_redraw(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	clearok(curscr, TRUE);
	tui.dirty = 1;
	return 0;
}

static int
c_step_op(int argc, char **argv)
{
	struct session *s = tui.s;
	const char *op = argv[0];
	struct err e;
	size_t step;
	int i;

	err_clear(&e);
	if (strcmp(op, "add") == 0) {
		if (argc > 1) {
			struct strbuf sb = STRBUF_INIT;
			int rc;

			/* "add TYPE k=v": the same as "step TYPE k=v" */
			strbuf_addstr(&sb, "step");
			for (i = 1; i < argc; i++) {
				strbuf_addch(&sb, ' ');
				spec_quote(&sb, argv[i]);
			}
			rc = tui_exec(sb.buf);
			strbuf_release(&sb);
			return rc;
		}
		form_add(s->sel);
		return 0;
	}
	i = step_arg(argc, argv, 1, &step);
	if (i < 0)
		return -1;
	if (strcmp(op, "select") == 0) {
		if (i == 0) {
			tui_error("usage: select N (0: the data)");
			return -1;
		}
		if (step > s->nsteps) {
			tui_error("there %s %zu step%s", s->nsteps == 1 ? "is" :
			    "are", s->nsteps, s->nsteps == 1 ? "" : "s");
			return -1;
		}
		session_select(s, step);
		return 0;
	}
	if (step == 0 || step > s->nsteps) {
		if (s->nsteps == 0)
			tui_error("%s: there are no steps yet (a adds one)",
			    op);
		else if (step == 0)
			tui_error("%s: no step is selected", op);
		else
			tui_error("%s: there is no step %zu", op, step);
		return -1;
	}
	if (strcmp(op, "edit") == 0) {
		form_edit(step);
		return 0;
	}
	if (strcmp(op, "delete") == 0) {
		char *was = xstrdup(step_text(step));

		if (session_delete(s, step, &e) != 0) {
			free(was);
			return fail(&e);
		}
		tui_status("deleted step %zu: %s", step, was);
		free(was);
		return 0;
	}
	if (strcmp(op, "move") == 0) {
		const char *dir = argv[1 + i < argc ? 1 + i : 0];
		int delta;

		if (1 + i >= argc || (strcmp(dir, "up") != 0 &&
		    strcmp(dir, "down") != 0)) {
			tui_error("usage: move [N] up|down");
			return -1;
		}
		delta = strcmp(dir, "up") == 0 ? -1 : 1;
		if (session_move(s, step, delta, &e) != 0)
			return fail(&e);
		tui_status("step %zu is now step %zu: %s", step, s->sel,
		    step_text(s->sel));
		return 0;
	}
	if (strcmp(op, "toggle") == 0 || strcmp(op, "disable") == 0 ||
	    strcmp(op, "enable") == 0) {
		size_t li = session_step_line(s, step);
		int off = s->lines[li].disabled;

		if ((op[0] == 'd' && off) || (op[0] == 'e' && !off)) {
			tui_status("step %zu is already %s", step, off ?
			    "disabled" : "enabled");
			return 0;
		}
		if (session_toggle(s, step, &e) != 0)
			return fail(&e);
		tui_status("step %zu %s: %s%s", step, off ? "enabled" :
		    "disabled", off ? "" : "#(disabled) ", step_text(step));
		return 0;
	}
	return 0;
}

static int
c_unset(int argc, char **argv)
{
	static const struct {
		const char	*name;
		enum sline_kind	 kind;
	} kinds[] = {
		{ "target", SL_TARGET }, { "model", SL_MODEL },
		{ "evaluate", SL_EVALUATE }, { "search", SL_SEARCH },
	};
	struct err e;
	size_t i;

	err_clear(&e);
	for (i = 0; argc == 2 && i < sizeof kinds / sizeof kinds[0]; i++) {
		if (strcmp(argv[1], kinds[i].name) == 0) {
			if (session_unset(tui.s, kinds[i].kind, &e) != 0)
				return fail(&e);
			tui_status("removed the %s line", argv[1]);
			return 0;
		}
	}
	tui_error("usage: unset target|model|evaluate|search");
	return -1;
}

static int
c_detail(int argc, char **argv)
{
	const struct table *t = session_table(tui.s);
	long c;

	if (argc < 2) {
		/* the screen knows the current column */
		if (view_table[tui.view]->command != NULL &&
		    view_table[tui.view]->command(argc, argv) != 0)
			return 0;
		if (view_data_ops.command(argc, argv) != 0)
			return 0;
		return -1;
	}
	if (t == NULL) {
		tui_error("%s: no data yet", argv[0]);
		return -1;
	}
	if ((c = table_find(t, argv[1])) < 0) {
		tui_error("%s: no column '%s'", argv[0], argv[1]);
		return -1;
	}
	detail_open((size_t)c, argv[0][0] == 'f');
	return 0;
}

/* ------------------------------------------------------------ help --- */

void
tui_help_topic(const char *topic)
{
	struct err e;
	const struct step_ops *so;
	const struct model_ops *mo = NULL;
	const struct param_def *d = NULL;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	err_clear(&e);
	for (i = 0; cmds[i].name != NULL; i++) {
		if (strcmp(cmds[i].name, topic) == 0) {
			tui_status(":%s %s  %s", cmds[i].name, cmds[i].args,
			    cmds[i].help);
			return;
		}
	}
	so = step_find(topic, &e);
	if (so == NULL) {
		err_clear(&e);
		mo = model_find(topic, &e);
	}
	if (so == NULL && mo == NULL) {
		if (strcmp(topic, "step") == 0 || strcmp(topic, "target") ==
		    0 || strcmp(topic, "model") == 0 ||
		    strcmp(topic, "evaluate") == 0 || strcmp(topic, "search") ==
		    0 || strcmp(topic, "source") == 0) {
			tui_status("%s: a spec statement, see "
			    "lathe-pipeline(5); ':help TYPE' for a step or "
			    "model", topic);
			return;
		}
		tui_error("help: no topic '%s' (a command, step or model)",
		    topic);
		return;
	}
	strbuf_addf(&sb, "%s %s: %s\n\n", so ? "step" : "model",
	    so ? so->name : mo->name, so ? so->summary : mo->summary);
	for (d = so ? so->params : mo->params; d && d->name; d++) {
		strbuf_addf(&sb, "  %s=", d->name);
		switch (d->type) {
		case PT_BOOL:
			strbuf_addstr(&sb, "true|false");
			break;
		case PT_ENUM:
			strbuf_addstr(&sb, d->choices);
			break;
		case PT_COLS:
			strbuf_addstr(&sb, "COLUMNS");
			break;
		case PT_COL:
			strbuf_addstr(&sb, "COLUMN");
			break;
		case PT_EXPR:
			strbuf_addstr(&sb, "EXPR");
			break;
		case PT_INT:
			strbuf_addstr(&sb, "N");
			break;
		case PT_NUM:
			strbuf_addstr(&sb, "X");
			break;
		default:
			strbuf_addstr(&sb, "...");
			break;
		}
		if (d->def == NULL)
			strbuf_addstr(&sb, "  (required)");
		else if (*d->def != '\0')
			strbuf_addf(&sb, "  (default %s)", d->def);
		strbuf_addf(&sb, "\n      %s\n", d->help ? d->help : "");
	}
	help_text(so ? so->name : mo->name, sb.buf);
	strbuf_release(&sb);
}

/* -------------------------------------------------------- dispatch --- */

static int
is_spec_verb(const char *v)
{
	size_t i;

	for (i = 0; spec_verbs[i] != NULL; i++)
		if (strcmp(spec_verbs[i], v) == 0)
			return 1;
	return 0;
}

int
tui_exec(const char *line)
{
	struct spec_line *l;
	struct err e;
	char **argv;
	size_t i;
	int argc = 0, rc = -1, v;

	while (*line == ' ' || *line == '\t' || *line == ':')
		line++;
	if (*line == '\0')
		return 0;
	err_clear(&e);
	if ((l = spec_parse_line(line, 1, NULL, &e)) == NULL)
		return fail(&e);
	if (l->verb == NULL) {
		spec_line_free(l);
		return 0;
	}
	if (is_spec_verb(l->verb)) {
		size_t at = tui.s->sel;
		int step = strcmp(l->verb, "step") == 0;

		if (strcmp(l->verb, "source") == 0 && l->npos > 0 &&
		    strcmp(l->pos[l->npos - 1].text, "-") == 0) {
			spec_line_free(l);
			tui_error("source: standard input can only be read at "
			    "start (lathe -)");
			return -1;
		}
		spec_line_free(l);
		tui_trace_edit();
		if (session_exec(tui.s, line, at, &e) != 0)
			return fail(&e);
		if (step)
			tui_status("step %zu: %s", tui.s->sel,
			    step_text(tui.s->sel));
		else if (strncmp(line, "source", 6) == 0)
			tui_status("loading%s", glyph(G_ELLIPSIS));
		else
			tui_status("%s", line);
		return 0;
	}
	argv = xcalloc(l->npos + l->nkv + 2, sizeof *argv);
	argv[argc++] = xstrdup(l->verb);
	for (i = 0; i < l->npos; i++)
		argv[argc++] = xstrdup(l->pos[i].text);
	for (i = 0; i < l->nkv; i++)
		argv[argc++] = xasprintf("%s=%s", l->kv[i].key,
		    l->kv[i].value);
	argv[argc] = NULL;
	for (i = 0; cmds[i].name != NULL; i++)
		if (strcmp(cmds[i].name, argv[0]) == 0)
			break;
	if (cmds[i].name != NULL && cmds[i].fn != NULL)
		rc = cmds[i].fn(argc, argv);
	else if (cmds[i].name != NULL) {
		/* a screen's command: the current screen first */
		rc = 0;
		if (view_table[tui.view]->command != NULL)
			rc = view_table[tui.view]->command(argc, argv);
		for (v = 0; rc == 0 && v < VIEW__COUNT; v++)
			if (v != tui.view && view_table[v]->command != NULL)
				rc = view_table[v]->command(argc, argv);
		if (rc == 0) {
			tui_error("%s: not on this screen", argv[0]);
			rc = -1;
		} else if (rc > 0)
			rc = 0;
	} else {
		const char *sug = suggest(argv[0], tui_commands);

		if (sug != NULL)
			tui_error("unknown command '%s' (did you mean '%s'?)",
			    argv[0], sug);
		else
			tui_error("unknown command '%s' (:help lists them)",
			    argv[0]);
	}
	spec_line_free(l);
	for (i = 0; i < (size_t)argc; i++)
		free(argv[i]);
	free(argv);
	return rc;
}

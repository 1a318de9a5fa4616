/*
 * t-session.c - the workbench model without a screen: opening data, edits
 * through the spec parser, undo and redo, the preview after a step and
 * a failing step's message, statistics and a column's detail, export,
 * drafts and history in the workspace, comment lines kept through edits.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/session.h"
#include "core/xmalloc.h"
#include "tap.h"

static char *tmpdir;

static char *
path_in(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
}

static char *
read_all(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return NULL;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb);
}

static char *
spec_text(const struct session *s)
{
	struct strbuf sb = STRBUF_INIT;

	session_spec_text(s, &sb);
	return strbuf_detach(&sb);
}

static int
rm_entry(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

static const char small_csv[] =
"a,b,c,y\n"
"1,x,2.5,yes\n"
"2,y,,no\n"
",x,3.5,yes\n"
"4,z,1.0,no\n"
"5,y,2.0,yes\n"
"6,x,4.5,no\n";

static void
test_edits(const char *ws, const char *csv)
{
	struct session *s = session_new(ws);
	const struct table *t;
	struct err e;
	char *txt, *want;
	size_t i;
	long c;

	err_clear(&e);
	ok(s->ws != NULL, "the workspace opens");
	session_open(s, csv);
	ok(s->loading, "opening starts a load");
	session_wait(s);
	ok(!s->loading && s->load_error == NULL, "and it ends");
	t = session_raw(s);
	ok(t != NULL && t->nrows == 6 && t->ncols == 4, "raw data is 6x4");
	is_str(s->data, csv, "data is what was opened");
	txt = spec_text(s);
	want = xasprintf("lathe-pipeline 1\nsource %s\n", csv);
	is_str(txt, want, "the pipeline has its source line");
	free(txt);
	free(want);
	ok(!session_modified(s), "opening data is not a change");
	ok(session_table(s) == t, "step 0 previews the raw table itself");

	ok(session_exec(s, "target y", SIZE_MAX, &e) == 0, "target y");
	ok(session_exec(s, "step impute strategy=median", SIZE_MAX, &e) == 0,
	    "add impute");
	ok(session_modified(s), "an edit is a change");
	ok(s->nsteps == 1 && s->sel == 1, "the new step is selected");
	ok(s->computing, "its preview is being computed");
	session_wait(s);
	t = session_table(s);
	ok(t != NULL && !s->computing, "the preview arrives");
	ok(t != NULL && t->nrows == 6 && !column_is_missing(t->cols[0], 2),
	    "impute filled the missing 'a'");
	ok(s->steps[0].state == SS_FITTED, "step 1 is fitted");
	ok(s->steps[0].nwrites == 2, "and wrote a and c");
	ok(strstr(s->steps[0].describe, "impute median") != NULL,
	    "describe: %s", s->steps[0].describe);
	ok(column_is_missing(session_raw(s)->cols[0], 2),
	    "the raw table is untouched");

	ok(session_exec(s, "step onehot columns=b", SIZE_MAX, &e) == 0,
	    "add onehot");
	ok(session_exec(s, "step scale method=standard", SIZE_MAX, &e) == 0,
	    "add scale");
	session_wait(s);
	t = session_table(s);
	ok(s->nsteps == 3 && s->sel == 3, "three steps, the last selected");
	ok(t != NULL && t->ncols == 6, "onehot made b three columns (%zu)",
	    t ? t->ncols : 0);
	ok(s->before_cols == 6 && s->before_rows == 6,
	    "the shape before the selected step");
	{
		char h1[65], h2[65];

		/* steps added at the end went on from the preview before:
		 * the same table as computed from the raw data */
		table_hash(session_table(s), h1);
		session_select(s, 0);
		session_select(s, 3);
		session_wait(s);
		table_hash(session_table(s), h2);
		is_str(h1, h2, "a preview continued in place is the same "
		    "as one from the raw data");
		session_want_stats(s);
		session_wait(s);
		session_select(s, 2);
		session_wait(s);
		session_select(s, 3);
		session_wait(s);
		table_hash(session_table(s), h1);
		is_str(h1, h2, "and so is one continued from a shared copy");
		s->stats_wanted = 0;
	}

	/* a bad argument: the parser's message, nothing changes */
	txt = spec_text(s);
	ok(session_exec(s, "step impute strateg=mean", SIZE_MAX, &e) == -1,
	    "a bad argument is refused");
	ok(strstr(e.msg, "<command>:1:13: unknown argument 'strateg'") !=
	    NULL && strstr(e.msg, "did you mean 'strategy'") != NULL,
	    "with the parser's message: %s", e.msg);
	want = spec_text(s);
	is_str(want, txt, "and the pipeline is unchanged");
	free(want);
	free(txt);
	ok(session_exec(s, "stpe scale", SIZE_MAX, &e) == -1 &&
	    strstr(e.msg, "did you mean 'step'") != NULL,
	    "an unknown statement: %s", e.msg);
	ok(session_exec(s, "step 'unterminated", SIZE_MAX, &e) == -1 &&
	    strstr(e.msg, "<command>:1:") != NULL,
	    "a lexical error: %s", e.msg);

	/* undo, redo */
	ok(session_undo(s, &e) == 0 && s->nsteps == 2, "undo removes scale");
	ok(session_undo(s, &e) == 0 && s->nsteps == 1, "undo removes onehot");
	ok(session_redo(s, &e) == 0 && s->nsteps == 2, "redo brings it back");
	session_wait(s);
	t = session_table(s);
	ok(t != NULL && t->ncols == 6, "the preview follows (%zu columns)",
	    t ? t->ncols : 0);
	ok(session_redo(s, &e) == 0 && s->nsteps == 3, "redo again");
	ok(session_redo(s, &e) == -1 && strcmp(e.msg, "nothing to redo") == 0,
	    "nothing more to redo");

	/* disable, move, delete */
	ok(session_toggle(s, 2, &e) == 0 && s->lines[3].disabled,
	    "disable onehot");
	txt = spec_text(s);
	ok(strstr(txt, "\n#(disabled) step onehot columns=b\n") != NULL,
	    "a disabled step is a comment in the spec");
	free(txt);
	session_wait(s);
	t = session_table(s);
	ok(t != NULL && t->ncols == 4 && s->steps[1].state == SS_DISABLED,
	    "and is skipped");
	ok(session_toggle(s, 2, &e) == 0 && !s->lines[3].disabled,
	    "enable it again");
	ok(session_move(s, 3, -1, &e) == 0, "move scale up");
	ok(strncmp(s->lines[3].text, "step scale", 10) == 0 && s->sel == 2,
	    "scale is step 2 and selected");
	ok(session_move(s, 1, -1, &e) == -1, "the first step cannot go up");
	ok(session_delete(s, 2, &e) == 0 && s->nsteps == 2, "delete scale");
	ok(session_delete(s, 7, &e) == -1, "no step 7");

	/* a failing step: the steps above still preview */
	ok(session_exec(s, "step derive name=d expr='b * 2'", SIZE_MAX, &e) ==
	    0, "add a derive that cannot fit");
	session_wait(s);
	ok(s->steps[2].state == SS_ERROR && s->steps[2].error != NULL,
	    "its error is kept: %s", s->steps[2].error ? s->steps[2].error :
	    "(none)");
	ok(s->shown == 2 && session_table(s) != NULL &&
	    session_table(s)->ncols == 6, "the preview shows step 2's table");
	ok(session_delete(s, 3, &e) == 0, "delete it");

	/* select, statistics, detail */
	session_select(s, 0);
	ok(session_table(s) == session_raw(s), "select 0: the raw table");
	session_want_stats(s);
	session_wait(s);
	ok(s->stats != NULL && s->nstats == 4, "statistics of the preview");
	ok(s->stats != NULL && s->stats[0].missing == 1 &&
	    s->hists[0].valid, "missing count and a histogram of 'a'");
	session_want_detail(s, 2);
	session_wait(s);
	ok(s->detail != NULL && s->detail->col == 2, "detail of c");
	ok(s->detail != NULL && s->detail->nclasses == 2 &&
	    s->detail->class_hist != NULL,
	    "with a class-conditional histogram over y");
	ok(s->detail != NULL && s->detail->nvalues == 5 &&
	    s->detail->nmissing == 1, "and value counts");
	session_want_detail(s, 1);
	session_wait(s);
	ok(s->detail != NULL && s->detail->nvalues == 3 &&
	    strcmp(s->detail->values[0], "x") == 0 &&
	    s->detail->counts[0] == 3, "categorical b: x is the top value");
	ok(s->detail != NULL && s->detail->class_counts != NULL,
	    "counted per class");
	session_select(s, 2);
	session_wait(s);
	ok(s->stats != NULL && s->nstats == 6,
	    "statistics follow the preview");

	/* unset, then the singleton lines */
	ok(session_exec(s, "target b", SIZE_MAX, &e) == 0, "replace target");
	c = session_find(s, SL_TARGET);
	ok(c == 1 && strcmp(s->lines[c].text, "target b") == 0,
	    "one target line, replaced");
	ok(session_unset(s, SL_TARGET, &e) == 0 &&
	    session_find(s, SL_TARGET) == -1, "unset the target");
	ok(session_exec(s, "step impute", 0, &e) == 0 &&
	    strcmp(s->lines[1].text, "step impute") == 0,
	    "a step inserted first goes after the source");
	for (i = 0; i < 3; i++)
		session_undo(s, &e);
	c = session_find(s, SL_TARGET);
	ok(c >= 0 && strcmp(s->lines[c].text, "target y") == 0,
	    "undo brings back the target");

	/* export */
	txt = path_in("out.lathe");
	ok(session_export(s, txt, &e) == 0, "export");
	want = read_all(txt);
	{
		char *cur = spec_text(s);

		is_str(want, cur, "the file is the spec text");
		free(cur);
	}
	free(want);
	ok(!session_modified(s), "exported: not modified");
	is_str(s->name, "out", "the pipeline is named after the file");
	free(txt);

	/* drafts */
	ok(session_exec(s, "step scale", SIZE_MAX, &e) == 0, "one more edit");
	{
		char *spec, *data, *upd, *cur = spec_text(s);

		ok(session_draft_find(s, csv, &data, &spec, &upd) == 1,
		    "the edit saved a draft");
		is_str(spec, cur, "holding the current spec");
		is_str(data, csv, "for the data");
		free(spec);
		free(data);
		free(upd);
		free(cur);
	}

	/* history */
	session_history_add(s, "step impute");
	session_history_add(s, "step impute");
	session_history_add(s, "open x.csv");
	{
		char **h;
		size_t n = session_history(s, 10, &h);

		ok(n == 2 && strcmp(h[0], "step impute") == 0 &&
		    strcmp(h[1], "open x.csv") == 0,
		    "history, oldest first, repeats kept once");
		strs_free(h, n);
		n = session_history(s, 1, &h);
		ok(n == 1 && strcmp(h[0], "open x.csv") == 0,
		    "the last lines only");
		strs_free(h, n);
	}

	/* a bad file keeps the data */
	txt = path_in("bad.csv");
	write_file(txt, "a,b\n1,2\n3\n");
	session_open(s, txt);
	session_wait(s);
	ok(s->load_error != NULL && strstr(s->load_error, "bad.csv") != NULL,
	    "a bad file: the loader's message: %s",
	    s->load_error ? s->load_error : "(none)");
	ok(session_raw(s) != NULL && session_raw(s)->nrows == 6,
	    "the data stays");
	ok(strstr(s->lines[0].text, "bad.csv") == NULL,
	    "and so does the source line");
	free(txt);
	session_open(s, "/nonexistent/x.csv");
	session_wait(s);
	ok(s->load_error != NULL && strstr(s->load_error, "cannot open") !=
	    NULL, "a missing file: %s", s->load_error ? s->load_error : "");

	/* quick changes: only the last preview lands */
	for (i = 0; i < 20; i++)
		session_select(s, i % 3);
	session_wait(s);
	ok(s->sel == 1 && s->shown == 1 && session_table(s) != NULL &&
	    session_table(s)->ncols == 4, "the last selection wins");
	session_free(s);
}

static void
test_restore(const char *ws, const char *csv)
{
	struct session *s = session_new(ws);
	char *spec = NULL, *data = NULL, *upd = NULL, *txt, *path;
	struct err e;

	err_clear(&e);
	ok(session_draft_find(s, NULL, &data, &spec, &upd) == 1,
	    "a new session finds the latest draft");
	is_str(data, csv, "of the data");
	session_open(s, data);
	ok(spec != NULL && session_draft_restore(s, spec, &e) == 0,
	    "restore it");
	session_wait(s);
	txt = spec_text(s);
	is_str(txt, spec, "the pipeline is the draft's");
	ok(session_modified(s), "and it is a change");
	ok(session_raw(s) != NULL && s->nsteps == 3, "data and steps");
	free(txt);
	ok(session_undo(s, &e) == 0 && s->nsteps == 0, "restoring undoes");
	session_draft_drop(s);
	free(spec);
	spec = NULL;
	ok(session_draft_find(s, csv, NULL, &spec, NULL) == 0,
	    "a dropped draft is gone");
	free(spec);
	free(data);
	free(upd);

	/* opening a spec file */
	path = path_in("p.lathe");
	txt = xasprintf("lathe-pipeline 1\n# a comment\nsource %s\n"
	    "target y\nstep impute  # fill\n#(disabled) step scale\n", csv);
	write_file(path, txt);
	free(txt);
	ok(session_is_spec_file(path), "a spec file is recognised");
	ok(!session_is_spec_file(csv), "a CSV file is not");
	ok(session_open_spec(s, path, &e) == 0, "open the spec");
	session_wait(s);
	ok(s->nsteps == 2 && s->lines[3].disabled, "its steps, one disabled");
	ok(!session_modified(s), "not modified");
	is_str(s->name, "p", "named after the file");
	txt = spec_text(s);
	ok(strstr(txt, "step impute  # fill\n") != NULL,
	    "trailing comments are kept");
	free(txt);
	write_file(path, "lathe-pipeline 1\nstep impute bogus=1\n");
	ok(session_open_spec(s, path, &e) == -1 &&
	    strstr(e.msg, "p.lathe:2:") != NULL, "a bad spec: %s", e.msg);
	ok(s->nsteps == 2, "changes nothing");
	free(path);
	session_free(s);
}

/* Comment lines of an opened spec stay in their places. */
static void
test_comments(const char *ws, const char *csv)
{
	struct session *s = session_new(ws);
	struct err e;
	char *path, *orig, *txt, *want, *out;

	err_clear(&e);
	path = path_in("c.lathe");
	orig = xasprintf("# before the header\n\nlathe-pipeline 1\n"
	    "# the data\nsource %s\ntarget y\n# fill the holes\n"
	    "step impute  # median\n\n# off for now\n#(disabled) step scale\n"
	    "# then log\nstep log columns=a\n# the end\n#  really\n", csv);
	write_file(path, orig);
	ok(session_open_spec(s, path, &e) == 0, "open a commented spec: %s",
	    e.msg);
	session_wait(s);
	ok(s->nlines == 5 && s->nsteps == 3, "comment lines are not lines");
	txt = spec_text(s);
	is_str(txt, orig, "the spec text keeps every comment in its place");
	free(txt);
	out = path_in("c-out.lathe");
	ok(session_export(s, out, &e) == 0, "export it");
	txt = read_all(out);
	is_str(txt, orig, "the exported file is the original");
	free(txt);

	/* moving a step takes its comments along */
	ok(session_move(s, 3, -1, &e) == 0, "move the log step up");
	want = xasprintf("# before the header\n\nlathe-pipeline 1\n"
	    "# the data\nsource %s\ntarget y\n# fill the holes\n"
	    "step impute  # median\n# then log\nstep log columns=a\n\n"
	    "# off for now\n#(disabled) step scale\n# the end\n#  really\n",
	    csv);
	txt = spec_text(s);
	is_str(txt, want, "its comments move with it");
	free(txt);
	ok(session_toggle(s, 3, &e) == 0 && session_exec(s, "model "
	    "logistic", 0, &e) == 0, "more edits");
	txt = spec_text(s);
	ok(strstr(txt, "\n# off for now\nstep scale\n") != NULL,
	    "a step switched on keeps its comments");
	free(txt);
	ok(session_undo(s, &e) == 0 && session_undo(s, &e) == 0,
	    "undo twice");
	txt = spec_text(s);
	is_str(txt, want, "undo restores the comments");
	free(txt);
	ok(session_undo(s, &e) == 0, "undo the move");
	txt = spec_text(s);
	is_str(txt, orig, "and the original order");
	free(txt);
	ok(session_redo(s, &e) == 0, "redo the move");
	txt = spec_text(s);
	is_str(txt, want, "redo moves them again");
	free(txt);

	/* a draft keeps them */
	{
		char *spec = NULL, *data = NULL, *cur = spec_text(s);
		struct session *s2;

		ok(session_draft_find(s, csv, &data, &spec, NULL) == 1,
		    "the move saved a draft");
		is_str(spec, cur, "with the comments");
		s2 = session_new(ws);
		ok(spec != NULL && session_draft_restore(s2, spec, &e) == 0,
		    "restore the draft");
		session_wait(s2);
		free(cur);
		cur = spec_text(s2);
		is_str(cur, want, "the restored pipeline has its comments");
		free(cur);
		free(spec);
		free(data);
		session_free(s2);
	}

	/* deleting a step deletes its comments */
	ok(session_delete(s, 2, &e) == 0, "delete the log step");
	txt = spec_text(s);
	ok(strstr(txt, "then log") == NULL && strstr(txt, "# the data\n") !=
	    NULL && strstr(txt, "# the end\n#  really\n") != NULL,
	    "its comments go with it, the others stay");
	free(txt);
	ok(session_undo(s, &e) == 0, "undo the delete");
	txt = spec_text(s);
	is_str(txt, want, "brings them back");
	free(txt);

	/* new data keeps the source line's comments */
	txt = path_in("small2.csv");
	write_file(txt, small_csv);
	session_open(s, txt);
	session_wait(s);
	free(txt);
	txt = spec_text(s);
	ok(strstr(txt, "# the data\nsource ") != NULL &&
	    strstr(txt, "small2.csv") != NULL,
	    "new data keeps the source line's comments");
	free(txt);
	session_draft_drop(s);
	free(want);
	free(out);
	free(orig);
	free(path);
	session_free(s);
}

int
main(void)
{
	const char *base = getenv("LATHE_TMP");
	char *ws, *csv;

	if (base == NULL || *base == '\0')
		base = "/tmp";
	mkdir(base, 0777);
	tmpdir = xasprintf("%s/t-session.XXXXXX", base);
	if (mkdtemp(tmpdir) == NULL) {
		ok(0, "mkdtemp in %s", base);
		free(tmpdir);
		return tap_done();
	}
	ws = path_in("ws.db");
	csv = path_in("small.csv");
	write_file(csv, small_csv);
	test_edits(ws, csv);
	test_restore(ws, csv);
	test_comments(ws, csv);
	ok(nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) == 0,
	    "remove the temporary directory");
	free(ws);
	free(csv);
	free(tmpdir);
	return tap_done();
}

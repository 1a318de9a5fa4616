/*
 * session.c - the workbench's model (session.h): the pipeline as spec
 * lines with undo and redo, the worker thread that loads data, computes
 * previews, statistics and column details, the training thread, and the
 * drafts and command history in the workspace.
 *
 * Owns: the rules for where a statement goes in the list, the check of
 * every edit through spec_parse_line() and pipeline_new(), the job queue
 * and the hand-over of results.  Leaves alone: what statements mean
 * (pipeline.c), how steps fit (steps/), loading (source.c), the
 * evaluation (evaluate.c) and the workspace schema (workspace.c).
 *
 * Threads.  The caller's thread owns struct session.  The worker takes
 * jobs from a queue in order; a job holds references to the tables it
 * reads (struct stref), so the caller may drop its own at any time, and
 * carries the preview generation it was made for: the worker checks it
 * between steps and gives up on a stale preview, and session_poll()
 * drops stale results.  A new preview (or load) removes the queued jobs
 * it makes useless.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>

#include "core/cpu.h"
#include "core/runs.h"
#include "core/session.h"
#include "core/source.h"
#include "core/spec.h"
#include "core/workspace.h"
#include "core/xmalloc.h"

#define UNDO_MAX	1000
#define DISABLED_MARK	"(disabled) "

/* A table shared between the caller and the worker. */
struct stref {
	struct table	*t;
	atomic_int	 refs;
};

/* A list of lines: the pipeline, or an undo snapshot of it. */
struct sundo {
	struct sline	*lines;
	size_t		 n;
	char		*head, *tail;
	size_t		 sel;
	struct sundo	*next;
};

enum job_kind {
	JOB_LOAD,
	JOB_PREVIEW,
	JOB_STATS,
	JOB_DETAIL,
};

struct job {
	enum job_kind	 kind;
	uint64_t	 gen;
	struct job	*next;
	/* input */
	char		*src;		/* LOAD: the source line */
	char		*ws_path;	/* LOAD: for dataset names */
	int		 from_open;	/* LOAD: session_open (not a sync) */
	struct sline	*lines;		/* PREVIEW: target and steps 1..k */
	size_t		 nlines;
	size_t		 k;
	size_t		 from;		/* PREVIEW: steps before it are done:
					 * in is the table after them */
	struct stref	*in;		/* PREVIEW: raw (or the table after
					 * step from); STATS, DETAIL: the
					 * preview */
	struct stref	*raw;		/* PREVIEW from > 0: for a failure */
	size_t		 col;		/* DETAIL */
	char		*target;	/* DETAIL */
	/* output */
	struct err	 err;
	int		 failed;
	struct stref	*out;		/* LOAD, PREVIEW */
	char		*data;		/* LOAD: the DATA loaded */
	const char	*kind_out;	/* LOAD */
	double		 seconds;
	size_t		 shown;		/* PREVIEW */
	struct sstep	*steps;		/* PREVIEW: k of them */
	size_t		 before_rows, before_cols;
	struct colstats	*stats;		/* STATS */
	struct shist	*hists;
	size_t		 nstats;
	struct sdetail	*detail;	/* DETAIL */
};

struct train_job {
	pthread_t	 th;
	struct session	*s;		/* only for the notify function */
	struct pipeline	*p;
	struct stref	*raw;
	char		*spec;
	char		*spec_path;
	char		*data;
	char		*ws_path;
	volatile int	 cancel;
	double		 progress;	/* under the worker's lock */
	double		 last_notify;
	int		 done;
	struct err	 err;
	struct eval_report rep;
	double		 t0, seconds;
	size_t		 rows;
};

struct sworker {
	pthread_t	 th;
	int		 started;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;		/* a job or quit */
	pthread_cond_t	 idle;		/* the queue ran dry, or training
					 * ended */
	struct job	*queue, *done;
	struct job	*running;
	int		 quit;
	atomic_uint_fast64_t gen;	/* the current preview */
	void		(*notify)(void *);
	void		*arg;
	struct train_job *tj;
	/* load bookkeeping (caller's thread) */
	char		*loaded_src;	/* source line of the loaded data */
	char		*pending_src;	/* source line being loaded */
	int		 initial;	/* no edit yet: a load sets the source
					 * line silently */
	struct sline	*pv_lines;	/* target and steps of the preview
					 * shown (up to step shown) */
	size_t		 pv_nlines;
};

static void	 lines_free(struct sline *, size_t);
static struct sline *lines_dup(const struct sline *, size_t);
static int	 kind_of(const char *, enum sline_kind *);
static struct spec *lines_spec(const struct sline *, size_t, size_t,
		    struct err *);
static struct pipeline *lines_pipeline(const struct sline *, size_t,
		    size_t, struct err *);
static void	 after_change(struct session *, int);
static void	 sundo_free(struct sundo *);
static int	 commit(struct session *, struct sline *, size_t, size_t,
		    struct err *);
static void	 release_preview(struct session *);
static void	 request_preview(struct session *);
static void	 enqueue(struct session *, struct job *);
static void	 job_free(struct job *);
static void	 sstep_release(struct sstep *);
static void	 sdetail_free(struct sdetail *);
static void	 start_load(struct session *, const char *, int);
static void	 draft_save(struct session *);
static char	*draft_key(const char *);

double
session_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---------------------------------------------------------- tables --- */

static struct stref *
stref_new(struct table *t)
{
	struct stref *r = xcalloc(1, sizeof *r);

	r->t = t;
	atomic_init(&r->refs, 1);
	return r;
}

static struct stref *
stref_get(struct stref *r)
{
	if (r != NULL)
		atomic_fetch_add(&r->refs, 1);
	return r;
}

static void
stref_put(struct stref *r)
{
	if (r != NULL && atomic_fetch_sub(&r->refs, 1) == 1) {
		table_free(r->t);
		free(r);
	}
}

const struct table *
session_raw(const struct session *s)
{
	return s->raw != NULL ? s->raw->t : NULL;
}

const struct table *
session_table(const struct session *s)
{
	return s->preview != NULL ? s->preview->t : NULL;
}

/* ----------------------------------------------------------- lines --- */

static void
lines_free(struct sline *l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(l[i].text);
		free(l[i].before);
	}
	free(l);
}

static struct sline *
lines_dup(const struct sline *l, size_t n)
{
	struct sline *d = xcalloc(n ? n : 1, sizeof *d);
	size_t i;

	for (i = 0; i < n; i++) {
		d[i] = l[i];
		d[i].text = xstrdup(l[i].text);
		d[i].before = l[i].before ? xstrdup(l[i].before) : NULL;
	}
	return d;
}

static int
kind_of(const char *verb, enum sline_kind *k)
{
	static const struct {
		const char	*verb;
		enum sline_kind	 kind;
	} kinds[] = {
		{ "source", SL_SOURCE }, { "target", SL_TARGET },
		{ "step", SL_STEP }, { "model", SL_MODEL },
		{ "evaluate", SL_EVALUATE }, { "search", SL_SEARCH },
	};
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (strcmp(verb, kinds[i].verb) == 0) {
			*k = kinds[i].kind;
			return 0;
		}
	}
	return -1;
}

/*
 * The lines as a spec: the header, then each line.  Line numbers are
 * those of the exported file (the header is line 1), except the line at
 * index NEWIDX, which is line 1 of "<command>": the one being typed.
 */
static struct spec *
lines_spec(const struct sline *l, size_t n, size_t newidx, struct err *e)
{
	struct spec *sp = xcalloc(1, sizeof *sp);
	struct spec_line *one;
	size_t i;

	sp->file = xstrdup("<command>");
	sp->lines = xcalloc(n + 1, sizeof *sp->lines);
	one = spec_parse_line("lathe-pipeline 1", 0, NULL, e);
	sp->lines[sp->nlines++] = *one;
	free(one);
	for (i = 0; i < n; i++) {
		int lineno = i == newidx ? 1 : (int)i + 2;

		one = spec_parse_line(l[i].text, lineno, NULL, e);
		if (one == NULL) {
			spec_free(sp);
			return NULL;
		}
		sp->lines[sp->nlines++] = *one;
		free(one);
	}
	return sp;
}

/* The lines as a pipeline (disabled steps marked), or NULL with e. */
static struct pipeline *
lines_pipeline(const struct sline *l, size_t n, size_t newidx,
    struct err *e)
{
	struct pipeline *p;
	struct spec *sp;
	size_t i, k = 0;

	if ((sp = lines_spec(l, n, newidx, e)) == NULL)
		return NULL;
	if ((p = pipeline_new(sp, e)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (l[i].kind != SL_STEP)
			continue;
		if (k < p->nsteps)
			p->steps[k]->disabled = l[i].disabled;
		k++;
	}
	return p;
}

size_t
session_step_line(const struct session *s, size_t step)
{
	size_t i, k = 0;

	for (i = 0; i < s->nlines; i++)
		if (s->lines[i].kind == SL_STEP && ++k == step)
			return i;
	return SIZE_MAX;
}

long
session_find(const struct session *s, enum sline_kind kind)
{
	size_t i;

	for (i = 0; i < s->nlines; i++)
		if (s->lines[i].kind == kind)
			return (long)i;
	return -1;
}

struct spec_line *
session_step_parsed(const struct session *s, size_t step)
{
	struct err e;
	size_t i = session_step_line(s, step);

	if (i == SIZE_MAX)
		return NULL;
	err_clear(&e);
	return spec_parse_line(s->lines[i].text, 1, NULL, &e);
}

void
session_spec_text(const struct session *s, struct strbuf *sb)
{
	size_t i;

	if (s->head != NULL)
		strbuf_addstr(sb, s->head);
	strbuf_addf(sb, "lathe-pipeline %d\n", PIPELINE_FORMAT_VERSION);
	for (i = 0; i < s->nlines; i++) {
		if (s->lines[i].before != NULL)
			strbuf_addstr(sb, s->lines[i].before);
		if (s->lines[i].disabled)
			strbuf_addstr(sb, "#" DISABLED_MARK);
		strbuf_addstr(sb, s->lines[i].text);
		strbuf_addch(sb, '\n');
	}
	if (s->tail != NULL)
		strbuf_addstr(sb, s->tail);
}

int
session_modified(const struct session *s)
{
	struct strbuf sb = STRBUF_INIT;
	int mod;

	session_spec_text(s, &sb);
	mod = s->saved == NULL || strcmp(s->saved, strbuf_str(&sb)) != 0;
	strbuf_release(&sb);
	return mod;
}

static void
set_saved(struct session *s)
{
	struct strbuf sb = STRBUF_INIT;

	session_spec_text(s, &sb);
	free(s->saved);
	s->saved = strbuf_detach(&sb);
}

/* Where a new line of KIND goes: after the last line of kind <= KIND. */
static size_t
slot_for(const struct sline *l, size_t n, enum sline_kind kind)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (l[i].kind > kind)
			return i;
	return n;
}

static void
insert_line(struct sline **l, size_t *n, size_t at, enum sline_kind kind,
    const char *text, int disabled)
{
	*l = xreallocarray(*l, *n + 1, sizeof **l);
	memmove(*l + at + 1, *l + at, (*n - at) * sizeof **l);
	(*l)[at].kind = kind;
	(*l)[at].text = xstrdup(text);
	(*l)[at].disabled = disabled;
	(*l)[at].before = NULL;
	(*n)++;
}

static void
remove_line(struct sline *l, size_t *n, size_t at)
{
	free(l[at].text);
	free(l[at].before);
	memmove(l + at, l + at + 1, (*n - at - 1) * sizeof *l);
	(*n)--;
}

static size_t
count_steps(const struct sline *l, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += l[i].kind == SL_STEP;
	return k;
}

static void
sundo_free(struct sundo *u)
{
	lines_free(u->lines, u->n);
	free(u->head);
	free(u->tail);
	free(u);
}

/*
 * Make the candidate lines, head and tail comments (all taken over) the
 * pipeline when they form a valid one: one undo step.  NEWIDX is the
 * line being added (for messages), SIZE_MAX if none.
 */
static int
commit_all(struct session *s, struct sline *l, size_t n, char *head,
    char *tail, size_t newidx, struct err *e)
{
	struct pipeline *p;
	struct sundo *u;

	if ((p = lines_pipeline(l, n, newidx, e)) == NULL) {
		lines_free(l, n);
		free(head);
		free(tail);
		return -1;
	}
	pipeline_free(p);
	u = xcalloc(1, sizeof *u);
	u->lines = s->lines;
	u->n = s->nlines;
	u->head = s->head;
	u->tail = s->tail;
	u->sel = s->sel;
	u->next = s->undo;
	s->undo = u;
	s->nundo++;
	if (s->nundo > UNDO_MAX) {
		struct sundo *x = s->undo;

		while (x->next != NULL && x->next->next != NULL)
			x = x->next;
		if (x->next != NULL) {
			sundo_free(x->next);
			x->next = NULL;
			s->nundo--;
		}
	}
	while (s->redo != NULL) {
		u = s->redo;
		s->redo = u->next;
		sundo_free(u);
	}
	s->nredo = 0;
	s->lines = l;
	s->nlines = n;
	s->head = head;
	s->tail = tail;
	s->w->initial = 0;
	after_change(s, 1);
	return 0;
}

/* commit_all, the comments around the lines kept. */
static int
commit(struct session *s, struct sline *l, size_t n, size_t newidx,
    struct err *e)
{
	return commit_all(s, l, n, s->head ? xstrdup(s->head) : NULL,
	    s->tail ? xstrdup(s->tail) : NULL, newidx, e);
}

/*
 * Rebuild what depends on the lines, make the data follow the source
 * line, and (with save) save the draft.
 */
static void
after_change(struct session *s, int save)
{
	struct err e;
	size_t i, k;
	long src;

	for (i = 0; i < s->nsteps; i++)
		sstep_release(&s->steps[i]);
	free(s->steps);
	s->nsteps = count_steps(s->lines, s->nlines);
	s->steps = xcalloc(s->nsteps ? s->nsteps : 1, sizeof *s->steps);
	pipeline_free(s->pl);
	err_clear(&e);
	s->pl = lines_pipeline(s->lines, s->nlines, SIZE_MAX, &e);
	for (i = 0, k = 0; i < s->nlines; i++) {
		struct strbuf sb = STRBUF_INIT;

		if (s->lines[i].kind != SL_STEP)
			continue;
		if (s->pl != NULL && k < s->pl->nsteps)
			s->pl->steps[k]->ops->describe(s->pl->steps[k], &sb);
		s->steps[k].describe = strbuf_detach(&sb);
		s->steps[k].state = s->lines[i].disabled ? SS_DISABLED :
		    SS_PENDING;
		k++;
	}
	if (s->sel > s->nsteps)
		s->sel = s->nsteps;
	/* the data follows the source line */
	src = session_find(s, SL_SOURCE);
	if (src >= 0) {
		const char *want = s->lines[src].text;
		const char *have = s->w->pending_src != NULL ?
		    s->w->pending_src : s->w->loaded_src;

		if (have == NULL || strcmp(want, have) != 0)
			start_load(s, want, 0);
	}
	request_preview(s);
	if (save)
		draft_save(s);
}

/* --------------------------------------------------------- editing --- */

int
session_exec(struct session *s, const char *text, size_t at, struct err *e)
{
	struct spec_line *l;
	struct strbuf sb = STRBUF_INIT;
	struct sline *cand;
	enum sline_kind kind;
	size_t n = s->nlines, pos, k;
	long old;

	if ((l = spec_parse_line(text, 1, NULL, e)) == NULL)
		return -1;
	if (l->verb == NULL) {
		spec_line_free(l);
		return err_set(e, ERR_USAGE, "nothing to do");
	}
	if (kind_of(l->verb, &kind) != 0) {
		struct sline one = { SL_STEP, NULL, 0 };
		struct pipeline *p;

		/* pipeline_new() says what is wrong with the verb */
		one.text = (char *)text;
		p = lines_pipeline(&one, 1, 0, e);
		pipeline_free(p);
		spec_line_free(l);
		if (p != NULL || e->msg[0] == '\0')
			err_set(e, ERR_SPEC, "<command>:1: '%s' is not a "
			    "statement here", text);
		return -1;
	}
	spec_write_line(l, &sb);
	spec_line_free(l);
	if (kind == SL_SOURCE) {
		struct sline one = { SL_SOURCE, NULL, 0 };
		struct pipeline *p;

		one.text = sb.buf;
		p = lines_pipeline(&one, 1, 0, e);
		if (p == NULL) {
			strbuf_release(&sb);
			return -1;
		}
		pipeline_free(p);
		start_load(s, sb.buf, 1);
		strbuf_release(&sb);
		return 0;
	}
	cand = lines_dup(s->lines, n);
	if (kind == SL_STEP) {
		if (at > s->nsteps)
			at = s->nsteps;
		if (at == 0)
			pos = slot_for(cand, n, SL_TARGET);
		else
			pos = session_step_line(s, at) + 1;
		insert_line(&cand, &n, pos, kind, sb.buf, 0);
		k = at + 1;
	} else {
		old = session_find(s, kind);
		if (old >= 0) {
			pos = (size_t)old;
			free(cand[pos].text);
			cand[pos].text = xstrdup(sb.buf);
		} else {
			pos = slot_for(cand, n, kind);
			insert_line(&cand, &n, pos, kind, sb.buf, 0);
		}
		k = s->sel;
	}
	strbuf_release(&sb);
	if (commit(s, cand, n, pos, e) != 0)
		return -1;
	session_select(s, k);
	return 0;
}

int
session_replace(struct session *s, size_t step, const char *text,
    struct err *e)
{
	struct spec_line *l;
	struct strbuf sb = STRBUF_INIT;
	struct sline *cand;
	size_t i = session_step_line(s, step);

	if (i == SIZE_MAX)
		return err_set(e, ERR_USAGE, "no step %zu", step);
	if ((l = spec_parse_line(text, 1, NULL, e)) == NULL)
		return -1;
	if (l->verb == NULL || strcmp(l->verb, "step") != 0) {
		spec_line_free(l);
		return err_set(e, ERR_USAGE, "a step is replaced by a 'step "
		    "TYPE ...' line");
	}
	spec_write_line(l, &sb);
	spec_line_free(l);
	cand = lines_dup(s->lines, s->nlines);
	free(cand[i].text);
	cand[i].text = strbuf_detach(&sb);
	if (commit(s, cand, s->nlines, i, e) != 0)
		return -1;
	session_select(s, step);
	return 0;
}

int
session_delete(struct session *s, size_t step, struct err *e)
{
	struct sline *cand;
	size_t n = s->nlines, i = session_step_line(s, step), sel = s->sel;

	if (i == SIZE_MAX)
		return err_set(e, ERR_USAGE, "no step %zu", step);
	cand = lines_dup(s->lines, n);
	remove_line(cand, &n, i);
	if (commit(s, cand, n, SIZE_MAX, e) != 0)
		return -1;
	session_select(s, sel >= step && sel > 0 ? sel - 1 : sel);
	return 0;
}

int
session_move(struct session *s, size_t step, int delta, struct err *e)
{
	struct sline *cand, tmp;
	size_t i = session_step_line(s, step), j, to;

	if (i == SIZE_MAX)
		return err_set(e, ERR_USAGE, "no step %zu", step);
	if ((delta < 0 && step == 1) || (delta > 0 && step == s->nsteps))
		return err_set(e, ERR_USAGE, "step %zu is already the %s one",
		    step, delta < 0 ? "first" : "last");
	to = delta < 0 ? step - 1 : step + 1;
	j = session_step_line(s, to);
	cand = lines_dup(s->lines, s->nlines);
	tmp = cand[i];
	cand[i] = cand[j];
	cand[j] = tmp;
	if (commit(s, cand, s->nlines, SIZE_MAX, e) != 0)
		return -1;
	session_select(s, to);
	return 0;
}

int
session_toggle(struct session *s, size_t step, struct err *e)
{
	struct sline *cand;
	size_t i = session_step_line(s, step), sel = s->sel;

	if (i == SIZE_MAX)
		return err_set(e, ERR_USAGE, "no step %zu", step);
	cand = lines_dup(s->lines, s->nlines);
	cand[i].disabled = !cand[i].disabled;
	if (commit(s, cand, s->nlines, SIZE_MAX, e) != 0)
		return -1;
	session_select(s, sel);
	return 0;
}

int
session_unset(struct session *s, enum sline_kind kind, struct err *e)
{
	static const char *const names[] = { "source", "target", "step",
	    "model", "evaluate", "search" };
	struct sline *cand;
	size_t n = s->nlines, sel = s->sel;
	long i = session_find(s, kind);

	if (kind == SL_STEP || kind == SL_SOURCE)
		return err_set(e, ERR_USAGE, "cannot unset the %s",
		    names[kind]);
	if (i < 0)
		return err_set(e, ERR_USAGE, "there is no '%s' line",
		    names[kind]);
	cand = lines_dup(s->lines, n);
	remove_line(cand, &n, (size_t)i);
	if (commit(s, cand, n, SIZE_MAX, e) != 0)
		return -1;
	session_select(s, sel);
	return 0;
}

/* Move the top of one stack to the other, swapping in its lines. */
static int
undo_redo(struct session *s, struct sundo **from, size_t *nfrom,
    struct sundo **to, size_t *nto, const char *what, struct err *e)
{
	struct sundo *u = *from;
	struct sline *l;
	char *head, *tail;
	size_t n, sel;

	if (u == NULL)
		return err_set(e, ERR_USAGE, "nothing to %s", what);
	*from = u->next;
	(*nfrom)--;
	l = u->lines;
	n = u->n;
	head = u->head;
	tail = u->tail;
	sel = u->sel;
	u->lines = s->lines;
	u->n = s->nlines;
	u->head = s->head;
	u->tail = s->tail;
	u->sel = s->sel;
	u->next = *to;
	*to = u;
	(*nto)++;
	s->lines = l;
	s->nlines = n;
	s->head = head;
	s->tail = tail;
	s->sel = sel;
	after_change(s, 1);
	return 0;
}

int
session_undo(struct session *s, struct err *e)
{
	return undo_redo(s, &s->undo, &s->nundo, &s->redo, &s->nredo, "undo",
	    e);
}

int
session_redo(struct session *s, struct err *e)
{
	return undo_redo(s, &s->redo, &s->nredo, &s->undo, &s->nundo, "redo",
	    e);
}

/* ----------------------------------------------------------- specs --- */

/*
 * The statements of a spec as lines (in the order of their kinds when
 * sorted, else as they come), the header left out, a disabled step
 * ("#(disabled) step ...") taken back.  Comment and blank lines go with
 * the statement after them: *head gets those before the header, *tail
 * those after the last statement (NULL: none).
 */
static void
lines_from_spec(const struct spec *sp, int sorted, struct sline **out,
    size_t *nout, char **head, char **tail)
{
	struct strbuf cm = STRBUF_INIT;
	struct sline *cand = NULL;
	size_t i, n = 0, pos;
	int header = 0;

	*head = *tail = NULL;
	for (i = 0; i < sp->nlines; i++) {
		const struct spec_line *l = &sp->lines[i];
		struct strbuf sb = STRBUF_INIT;
		enum sline_kind kind;
		int disabled = 0;
		struct spec_line *dl = NULL;

		if (l->verb == NULL && l->comment != NULL &&
		    strncmp(l->comment, DISABLED_MARK,
		    strlen(DISABLED_MARK)) == 0) {
			struct err e2;

			/* "#(disabled) step ..." is a step switched off */
			err_clear(&e2);
			dl = spec_parse_line(l->comment +
			    strlen(DISABLED_MARK), l->line, NULL, &e2);
			if (dl != NULL && dl->verb != NULL &&
			    strcmp(dl->verb, "step") == 0) {
				l = dl;
				disabled = 1;
			}
		}
		if (l->verb == NULL) {
			/* a comment (or blank) line: kept for what follows */
			spec_write_line(l, &cm);
			strbuf_addch(&cm, '\n');
			spec_line_free(dl);
			continue;
		}
		if (!header && !disabled &&
		    strcmp(l->verb, "lathe-pipeline") == 0) {
			header = 1;
			if (cm.len > 0)
				*head = strbuf_detach(&cm);
			spec_line_free(dl);
			continue;
		}
		if (kind_of(l->verb, &kind) != 0) {
			spec_line_free(dl);
			continue;
		}
		spec_write_line(l, &sb);
		pos = sorted ? slot_for(cand, n, kind) : n;
		insert_line(&cand, &n, pos, kind, sb.buf, disabled);
		if (cm.len > 0)
			cand[pos].before = strbuf_detach(&cm);
		strbuf_release(&sb);
		spec_line_free(dl);
	}
	if (cm.len > 0)
		*tail = strbuf_detach(&cm);
	strbuf_release(&cm);
	if (cand == NULL)
		cand = xcalloc(1, sizeof *cand);
	*out = cand;
	*nout = n;
}

int
session_is_spec_file(const char *path)
{
	char buf[64];
	size_t n, i = 0;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	/* comments may come before the header */
	while (buf[i] == '#' || buf[i] == '\n' || buf[i] == ' ' ||
	    buf[i] == '\r') {
		if (buf[i] == '#') {
			char *nl = strchr(buf + i, '\n');

			if (nl == NULL)
				return 0;
			i = (size_t)(nl - buf);
		}
		i++;
	}
	return strncmp(buf + i, "lathe-pipeline", 14) == 0;
}

int
session_open_spec(struct session *s, const char *path, struct err *e)
{
	struct spec *sp;
	struct pipeline *p;
	struct sline *cand = NULL;
	char *head, *tail;
	size_t n = 0;
	int rc;

	if ((sp = spec_load(path, NULL, e)) == NULL)
		return -1;
	/* pipeline_new takes sp over: check a copy of the text */
	{
		struct strbuf sb = STRBUF_INIT;
		struct spec *sp2;

		spec_write(sp, &sb);
		sp2 = spec_parse(strbuf_str(&sb), path, NULL, e);
		strbuf_release(&sb);
		if (sp2 == NULL) {
			spec_free(sp);
			return -1;
		}
		if ((p = pipeline_new(sp2, e)) == NULL) {
			spec_free(sp);
			return -1;
		}
		pipeline_free(p);
	}
	lines_from_spec(sp, 1, &cand, &n, &head, &tail);
	spec_free(sp);
	rc = commit_all(s, cand, n, head, tail, SIZE_MAX, e);
	if (rc != 0)
		return -1;
	free(s->path);
	s->path = xstrdup(path);
	free(s->name);
	{
		const char *b = strrchr(path, '/');
		char *dot;

		s->name = xstrdup(b ? b + 1 : path);
		if ((dot = strrchr(s->name, '.')) != NULL && dot != s->name)
			*dot = '\0';
	}
	set_saved(s);
	session_draft_drop(s);
	session_select(s, s->nsteps);
	return 0;
}

int
session_export(struct session *s, const char *path, struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	const char *b;
	char *dot;

	session_spec_text(s, &sb);
	if (write_file_atomic(path, sb.buf, sb.len, e) != 0) {
		strbuf_release(&sb);
		return -1;
	}
	strbuf_release(&sb);
	if (s->path == NULL || strcmp(s->path, path) != 0) {
		free(s->path);
		s->path = xstrdup(path);
	}
	free(s->name);
	b = strrchr(path, '/');
	s->name = xstrdup(b ? b + 1 : path);
	if ((dot = strrchr(s->name, '.')) != NULL && dot != s->name)
		*dot = '\0';
	set_saved(s);
	session_draft_drop(s);
	return 0;
}

/* ---------------------------------------------------------- worker --- */

static void
sstep_release(struct sstep *st)
{
	free(st->describe);
	free(st->error);
	strs_free(st->writes, st->nwrites);
	memset(st, 0, sizeof *st);
}

static void
sdetail_free(struct sdetail *d)
{
	size_t i;

	if (d == NULL)
		return;
	free(d->name);
	free(d->st.values);
	for (i = 0; i < d->nvalues; i++)
		free(d->values[i]);
	free(d->values);
	free(d->counts);
	free(d->target);
	for (i = 0; i < d->nclasses; i++)
		free(d->classes[i]);
	free(d->classes);
	free(d->class_hist);
	free(d->class_counts);
	free(d->value_means);
	free(d);
}

static void
job_free(struct job *j)
{
	size_t i;

	if (j == NULL)
		return;
	free(j->src);
	free(j->ws_path);
	lines_free(j->lines, j->nlines);
	free(j->target);
	free(j->data);
	stats_free(j->stats, j->nstats);
	free(j->hists);
	sdetail_free(j->detail);
	/* stats and details borrow from the tables: free them first */
	stref_put(j->in);
	stref_put(j->out);
	stref_put(j->raw);
	for (i = 0; j->steps != NULL && i < j->k; i++)
		sstep_release(&j->steps[i]);
	free(j->steps);
	free(j);
}

static int
stale(struct sworker *w, const struct job *j)
{
	return j->kind != JOB_LOAD && atomic_load(&w->gen) != j->gen;
}

static void
run_load(struct job *j)
{
	struct strbuf sb = STRBUF_INIT;
	struct pipeline *p;
	struct spec *sp;
	struct workspace *ws = NULL;
	struct load_report rep;
	struct table *t;
	double t0 = session_now();

	strbuf_addf(&sb, "lathe-pipeline 1\n%s\n", j->src);
	sp = spec_parse(sb.buf, "<command>", NULL, &j->err);
	strbuf_release(&sb);
	if (sp == NULL || (p = pipeline_new(sp, &j->err)) == NULL) {
		j->failed = 1;
		return;
	}
	if (source_is_dataset_name(p->source)) {
		struct stat st;

		/* never create a workspace just to look a name up */
		if (stat(j->ws_path, &st) == 0)
			ws = workspace_open(j->ws_path, &j->err);
	}
	memset(&rep, 0, sizeof rep);
	err_clear(&j->err);
	t = source_load(p->source, &p->load, ws, &rep, &j->kind_out, &j->err);
	workspace_close(ws);
	if (t == NULL) {
		j->failed = 1;
		pipeline_free(p);
		return;
	}
	j->data = xstrdup(p->source);
	j->out = stref_new(t);
	j->seconds = session_now() - t0;
	pipeline_free(p);
}

/*
 * Fit steps [from, upto) of p on t, recording each in st (when not
 * NULL) and the input of the last one in j.  Returns the index of the
 * step that failed, upto, or SIZE_MAX when the job went stale.
 */
static size_t
run_chain(struct sworker *w, struct job *j, struct pipeline *p,
    struct table *t, size_t from, size_t upto, struct sstep *st,
    struct err *e)
{
	struct apply_ctx ctx;
	size_t i;

	memset(&ctx, 0, sizeof ctx);
	ctx.training = 1;
	for (i = from; i < upto && i < p->nsteps; i++) {
		struct step *s = p->steps[i];
		struct strbuf sb = STRBUF_INIT;

		if (stale(w, j))
			return SIZE_MAX;
		if (st != NULL) {
			/* the input of the last step run */
			j->before_rows = t->nrows;
			j->before_cols = t->ncols;
		}
		if (s->disabled) {
			if (st != NULL) {
				st[i].state = SS_DISABLED;
				st[i].rows = t->nrows;
				st[i].cols = t->ncols;
				s->ops->describe(s, &sb);
				st[i].describe = strbuf_detach(&sb);
			}
			continue;
		}
		s->target = p->target;
		if (!s->ops->keeps_indicators)
			table_materialize(t);
		if (s->ops->fit(s, t, e) != 0 ||
		    s->ops->apply(s, t, &ctx, e) != 0) {
			if (st != NULL) {
				st[i].state = SS_ERROR;
				st[i].error = xstrdup(e->msg);
				s->ops->describe(s, &sb);
				st[i].describe = strbuf_detach(&sb);
			}
			return i;
		}
		s->fitted = 1;
		if (st != NULL) {
			size_t k;

			st[i].state = SS_FITTED;
			st[i].rows = t->nrows;
			st[i].cols = t->ncols;
			s->ops->describe(s, &sb);
			st[i].describe = strbuf_detach(&sb);
			st[i].nwrites = s->nwrites;
			st[i].writes = xcalloc(s->nwrites ? s->nwrites : 1,
			    sizeof *st[i].writes);
			for (k = 0; k < s->nwrites; k++)
				st[i].writes[k] = xstrdup(s->writes[k]);
		}
	}
	return upto;
}

static void
run_preview(struct sworker *w, struct job *j)
{
	struct pipeline *p;
	struct table *t;
	size_t failed;
	struct err e;

	err_clear(&e);
	if ((p = lines_pipeline(j->lines, j->nlines, SIZE_MAX, &j->err)) ==
	    NULL) {
		j->failed = 1;
		return;
	}
	j->steps = xcalloc(j->k ? j->k : 1, sizeof *j->steps);
	if (stale(w, j)) {
		pipeline_free(p);
		return;
	}
	if (j->from > 0 && atomic_load(&j->in->refs) == 1) {
		/* nobody else holds the table after step from: go on in it */
		t = j->in->t;
		j->in->t = NULL;
	} else
		t = table_copy(j->in->t);
	j->before_rows = t->nrows;
	j->before_cols = t->ncols;
	failed = run_chain(w, j, p, t, j->from, j->k, j->steps, &e);
	if (failed == SIZE_MAX) {
		table_free(t);
		pipeline_free(p);
		return;
	}
	if (failed < j->k) {
		/*
		 * The steps above the failing one still preview.  apply may
		 * have left the table half done: run them again from the
		 * raw data (fit failures leave it alone, but they are rare
		 * enough not to tell the two apart).
		 */
		struct pipeline *p2;
		const struct table *raw = j->raw != NULL ? j->raw->t :
		    j->in->t;

		table_free(t);
		t = table_copy(raw);
		p2 = lines_pipeline(j->lines, j->nlines, SIZE_MAX, &e);
		if (p2 != NULL && run_chain(w, j, p2, t, 0, failed, NULL, &e) !=
		    failed) {
			table_free(t);
			t = table_copy(raw);
			failed = 0;
		}
		pipeline_free(p2);
	}
	j->shown = failed < j->k ? failed : j->k;
	j->out = stref_new(t);
	pipeline_free(p);
}

/* Histogram of a numeric-storage column over [lo, hi]. */
static void
hist_fill(struct shist *h, const struct column *c, size_t nrows, double lo,
    double hi)
{
	size_t r;

	memset(h, 0, sizeof *h);
	if (!coltype_is_numeric_storage(c->type) || !(lo <= hi) ||
	    !isfinite(lo) || !isfinite(hi))
		return;
	h->valid = 1;
	h->lo = lo;
	h->hi = hi;
	for (r = 0; r < nrows; r++) {
		double v = column_value(c, r);
		long b;

		if (isnan(v))
			continue;
		b = hi > lo ? (long)((v - lo) / (hi - lo) *
		    SESSION_HIST_BINS) : 0;
		if (b < 0)
			b = 0;
		if (b >= SESSION_HIST_BINS)
			b = SESSION_HIST_BINS - 1;
		h->count[b]++;
	}
}

static void
run_stats(struct job *j)
{
	const struct table *t = j->in->t;
	size_t i;

	j->stats = stats_table(t, 0);
	j->nstats = t->ncols;
	j->hists = xcalloc(t->ncols ? t->ncols : 1, sizeof *j->hists);
	for (i = 0; i < t->ncols; i++)
		hist_fill(&j->hists[i], t->cols[i], t->nrows, j->stats[i].min,
		    j->stats[i].max);
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct vc {
	double		 v;
	size_t		 n;
};

static int
vc_cmp(const void *a, const void *b)
{
	const struct vc *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return x->v < y->v ? -1 : x->v > y->v;
}

static char *
format_num(const struct column *c, double v)
{
	char buf[64];

	switch (c->type) {
	case COL_BOOL:
		return xstrdup(v != 0 ? "true" : "false");
	case COL_DATE:
		fmt_date(buf, sizeof buf, v);
		break;
	case COL_DATETIME:
		fmt_datetime(buf, sizeof buf, v);
		break;
	default:
		fmt_double(buf, sizeof buf, v);
		break;
	}
	return xstrdup(buf);
}

/*
 * Class of every row of the target column: categorical, boolean and
 * integer targets with at most SESSION_CLASSES_MAX values.  Returns the
 * class count (0: not a class target); cls[r] is -1 when missing.
 */
static size_t
target_classes(const struct column *tc, size_t nrows, int32_t **cls_out,
    char ***names_out)
{
	double vals[SESSION_CLASSES_MAX + 1];
	size_t nv = 0, r, k;
	int32_t *cls;
	char **names;

	*cls_out = NULL;
	*names_out = NULL;
	if (tc->type == COL_CAT) {
		int32_t *map = xmalloc((tc->dict->n ? tc->dict->n : 1) *
		    sizeof *map);
		size_t *seen = xcalloc(tc->dict->n ? tc->dict->n : 1,
		    sizeof *seen);

		for (r = 0; r < nrows; r++)
			if (tc->codes[r] >= 0)
				seen[tc->codes[r]] = 1;
		for (k = 0; k < tc->dict->n; k++)
			nv += seen[k] != 0;
		if (nv == 0 || nv > SESSION_CLASSES_MAX) {
			free(map);
			free(seen);
			return 0;
		}
		names = xcalloc(nv, sizeof *names);
		nv = 0;
		for (k = 0; k < tc->dict->n; k++) {
			map[k] = -1;
			if (seen[k]) {
				names[nv] = xstrdup(dict_str(tc->dict,
				    (int32_t)k));
				map[k] = (int32_t)nv++;
			}
		}
		/* labels in byte order, as the models have them */
		for (k = 1; k < nv; k++) {
			size_t m;

			for (m = k; m > 0 && strcmp(names[m - 1], names[m]) >
			    0; m--) {
				char *x = names[m];
				size_t q;

				names[m] = names[m - 1];
				names[m - 1] = x;
				for (q = 0; q < tc->dict->n; q++) {
					if (map[q] == (int32_t)m)
						map[q] = (int32_t)m - 1;
					else if (map[q] == (int32_t)m - 1)
						map[q] = (int32_t)m;
				}
			}
		}
		cls = xmalloc((nrows ? nrows : 1) * sizeof *cls);
		for (r = 0; r < nrows; r++)
			cls[r] = tc->codes[r] < 0 ? -1 : map[tc->codes[r]];
		free(map);
		free(seen);
		*cls_out = cls;
		*names_out = names;
		return nv;
	}
	if (tc->type != COL_BOOL && tc->type != COL_INT)
		return 0;
	for (r = 0; r < nrows; r++) {
		double v = column_value(tc, r);

		if (isnan(v))
			continue;
		for (k = 0; k < nv && vals[k] != v; k++)
			;
		if (k == nv) {
			if (nv == SESSION_CLASSES_MAX)
				return 0;
			vals[nv++] = v;
		}
	}
	if (nv == 0)
		return 0;
	qsort(vals, nv, sizeof *vals, dbl_cmp);
	names = xcalloc(nv, sizeof *names);
	for (k = 0; k < nv; k++)
		names[k] = format_num(tc, vals[k]);
	cls = xmalloc((nrows ? nrows : 1) * sizeof *cls);
	for (r = 0; r < nrows; r++) {
		double v = column_value(tc, r);

		cls[r] = -1;
		for (k = 0; k < nv && !isnan(v); k++)
			if (vals[k] == v)
				cls[r] = (int32_t)k;
	}
	*cls_out = cls;
	*names_out = names;
	return nv;
}

static void
run_detail(struct job *j)
{
	const struct table *t = j->in->t;
	const struct column *c = t->cols[j->col];
	struct sdetail *d = xcalloc(1, sizeof *d);
	size_t nrows = t->nrows, r, i, n = 0;
	static const double qs[9] = { .01, .05, .10, .25, .50, .75, .90,
	    .95, .99 };
	const struct column *tc = NULL;
	int32_t *cls = NULL;
	long ti;

	d->col = j->col;
	d->name = xstrdup(c->name);
	stats_column(c, nrows, &d->st);
	d->nmissing = d->st.missing;
	d->ndistinct = d->st.distinct;
	for (i = 0; i < 9; i++)
		d->q[i] = NAN;
	if (coltype_is_numeric_storage(c->type)) {
		double *v = xmalloc((nrows ? nrows : 1) * sizeof *v);
		double *tmp = xmalloc((nrows ? nrows : 1) * sizeof *tmp);
		struct vc *vc;
		size_t nvc = 0;

		hist_fill(&d->hist, c, nrows, d->st.min, d->st.max);
		for (r = 0; r < nrows; r++) {
			double x = column_value(c, r);

			if (!isnan(x))
				v[n++] = x;
		}
		stats_sort(v, tmp, n);
		free(tmp);
		for (i = 0; i < 9 && n > 0; i++)
			d->q[i] = stats_quantile(v, n, qs[i]);
		vc = xmalloc((n ? n : 1) * sizeof *vc);
		for (r = 0; r < n; r++) {
			if (nvc > 0 && vc[nvc - 1].v == v[r])
				vc[nvc - 1].n++;
			else {
				vc[nvc].v = v[r];
				vc[nvc++].n = 1;
			}
		}
		qsort(vc, nvc, sizeof *vc, vc_cmp);
		d->nvalues = nvc < SESSION_FREQ_MAX ? nvc : SESSION_FREQ_MAX;
		d->values = xcalloc(d->nvalues ? d->nvalues : 1,
		    sizeof *d->values);
		d->counts = xcalloc(d->nvalues ? d->nvalues : 1,
		    sizeof *d->counts);
		for (i = 0; i < d->nvalues; i++) {
			d->values[i] = format_num(c, vc[i].v);
			d->counts[i] = vc[i].n;
		}
		free(vc);
		free(v);
	} else {
		d->nvalues = d->st.nvalues < SESSION_FREQ_MAX ?
		    d->st.nvalues : SESSION_FREQ_MAX;
		d->values = xcalloc(d->nvalues ? d->nvalues : 1,
		    sizeof *d->values);
		d->counts = xcalloc(d->nvalues ? d->nvalues : 1,
		    sizeof *d->counts);
		for (i = 0; i < d->nvalues; i++) {
			d->values[i] = xstrdup(d->st.values[i].value);
			d->counts[i] = d->st.values[i].count;
		}
	}
	/* the statistics' value list borrows from the table: not kept */
	free(d->st.values);
	d->st.values = NULL;
	d->st.nvalues = 0;

	if (j->target == NULL || (ti = table_find(t, j->target)) < 0 ||
	    (size_t)ti == j->col)
		goto out;
	tc = t->cols[ti];
	d->target = xstrdup(j->target);
	d->nclasses = target_classes(tc, nrows, &cls, &d->classes);
	if (d->nclasses == 0 && (tc->type == COL_INT ||
	    tc->type == COL_FLOAT)) {
		d->target_numeric = 1;
		d->corr = NAN;
		if (coltype_is_numeric_storage(c->type)) {
			double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
			size_t m = 0;
			double mx, my, cov, vx, vy;

			for (r = 0; r < nrows; r++) {
				double x = column_value(c, r);
				double y = column_value(tc, r);

				if (isnan(x) || isnan(y))
					continue;
				sx += x;
				sy += y;
				m++;
			}
			if (m > 1) {
				mx = sx / (double)m;
				my = sy / (double)m;
				for (r = 0; r < nrows; r++) {
					double x = column_value(c, r);
					double y = column_value(tc, r);

					if (isnan(x) || isnan(y))
						continue;
					sxx += (x - mx) * (x - mx);
					syy += (y - my) * (y - my);
					sxy += (x - mx) * (y - my);
				}
				cov = sxy;
				vx = sxx;
				vy = syy;
				if (vx > 0 && vy > 0)
					d->corr = cov / sqrt(vx * vy);
			}
		} else if (c->type == COL_CAT || c->type == COL_BOOL) {
			double *sum = xcalloc(d->nvalues ? d->nvalues : 1,
			    sizeof *sum);
			size_t *cnt = xcalloc(d->nvalues ? d->nvalues : 1,
			    sizeof *cnt);

			d->value_means = xcalloc(d->nvalues ? d->nvalues : 1,
			    sizeof *d->value_means);
			for (r = 0; r < nrows; r++) {
				struct strbuf sb = STRBUF_INIT;
				double y = column_value(tc, r);

				if (isnan(y) || !column_format(c, r, &sb)) {
					strbuf_release(&sb);
					continue;
				}
				for (i = 0; i < d->nvalues && i < 50; i++)
					if (strcmp(d->values[i], sb.buf) == 0) {
						sum[i] += y;
						cnt[i]++;
						break;
					}
				strbuf_release(&sb);
			}
			for (i = 0; i < d->nvalues; i++)
				d->value_means[i] = cnt[i] ? sum[i] /
				    (double)cnt[i] : NAN;
			free(sum);
			free(cnt);
		}
		goto out;
	}
	if (d->nclasses == 0)
		goto out;
	if (coltype_is_numeric_storage(c->type) && d->hist.valid) {
		d->class_hist = xcalloc(d->nclasses * SESSION_HIST_BINS,
		    sizeof *d->class_hist);
		for (r = 0; r < nrows; r++) {
			double v = column_value(c, r), lo = d->hist.lo;
			double hi = d->hist.hi;
			long b;

			if (isnan(v) || cls[r] < 0)
				continue;
			b = hi > lo ? (long)((v - lo) / (hi - lo) *
			    SESSION_HIST_BINS) : 0;
			if (b < 0)
				b = 0;
			if (b >= SESSION_HIST_BINS)
				b = SESSION_HIST_BINS - 1;
			d->class_hist[(size_t)cls[r] * SESSION_HIST_BINS +
			    (size_t)b]++;
		}
	} else if (c->type == COL_CAT) {
		size_t nv = d->nvalues < 50 ? d->nvalues : 50;
		int32_t *map = xmalloc((c->dict->n ? c->dict->n : 1) *
		    sizeof *map);

		for (i = 0; i < c->dict->n; i++)
			map[i] = -1;
		for (i = 0; i < nv; i++) {
			int32_t code = dict_find(c->dict, d->values[i],
			    strlen(d->values[i]));

			if (code >= 0)
				map[code] = (int32_t)i;
		}
		d->class_counts = xcalloc(d->nclasses * (nv ? nv : 1),
		    sizeof *d->class_counts);
		for (r = 0; r < nrows; r++)
			if (c->codes[r] >= 0 && cls[r] >= 0 &&
			    map[c->codes[r]] >= 0)
				d->class_counts[(size_t)cls[r] * nv +
				    (size_t)map[c->codes[r]]]++;
		free(map);
	}
out:
	free(cls);
	j->detail = d;
}

static void
run_job(struct sworker *w, struct job *j)
{
	switch (j->kind) {
	case JOB_LOAD:
		run_load(j);
		break;
	case JOB_PREVIEW:
		run_preview(w, j);
		break;
	case JOB_STATS:
		if (!stale(w, j))
			run_stats(j);
		break;
	case JOB_DETAIL:
		if (!stale(w, j))
			run_detail(j);
		break;
	}
}

static void *
worker_main(void *arg)
{
	struct sworker *w = arg;
	struct job *j, **pp;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->quit && w->queue == NULL)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->quit)
			break;
		j = w->queue;
		w->queue = j->next;
		j->next = NULL;
		w->running = j;
		pthread_mutex_unlock(&w->mu);
		run_job(w, j);
		/*
		 * Statistics borrow from their table, but are installed only
		 * while the session still shows it: the job's reference can
		 * go now, so that a preview may continue in that table.
		 */
		if (j->kind == JOB_STATS || j->kind == JOB_DETAIL) {
			stref_put(j->in);
			j->in = NULL;
		}
		pthread_mutex_lock(&w->mu);
		w->running = NULL;
		for (pp = &w->done; *pp != NULL; pp = &(*pp)->next)
			;
		*pp = j;
		if (w->queue == NULL)
			pthread_cond_broadcast(&w->idle);
		if (w->notify != NULL) {
			void (*fn)(void *) = w->notify;
			void *a = w->arg;

			pthread_mutex_unlock(&w->mu);
			fn(a);
			pthread_mutex_lock(&w->mu);
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/*
 * Queue a job.  A load makes every queued job useless; a preview makes
 * queued previews, statistics and details useless.
 */
static void
enqueue(struct session *s, struct job *j)
{
	struct sworker *w = s->w;
	struct job **pp, *drop = NULL, *x;

	pthread_mutex_lock(&w->mu);
	if (!w->started) {
		if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
			pthread_mutex_unlock(&w->mu);
			/* no thread: do it here */
			run_job(w, j);
			pthread_mutex_lock(&w->mu);
			j->next = w->done;
			w->done = j;
			pthread_mutex_unlock(&w->mu);
			return;
		}
		w->started = 1;
	}
	pp = &w->queue;
	while (*pp != NULL) {
		x = *pp;
		if (j->kind == JOB_LOAD || (j->kind == JOB_PREVIEW &&
		    x->kind != JOB_LOAD) || (j->kind == x->kind &&
		    j->kind != JOB_LOAD)) {
			*pp = x->next;
			x->next = drop;
			drop = x;
		} else
			pp = &x->next;
	}
	*pp = j;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	while (drop != NULL) {
		x = drop;
		drop = x->next;
		job_free(x);
	}
}

static void
start_load(struct session *s, const char *src, int from_open)
{
	struct job *j = xcalloc(1, sizeof *j);
	struct pipeline *p;
	struct sline one = { SL_SOURCE, NULL, 0 };
	struct err e;

	j->kind = JOB_LOAD;
	j->src = xstrdup(src);
	j->ws_path = xstrdup(s->ws_path);
	j->from_open = from_open;
	free(s->w->pending_src);
	s->w->pending_src = xstrdup(src);
	s->loading = 1;
	free(s->loading_what);
	one.text = (char *)src;
	err_clear(&e);
	p = lines_pipeline(&one, 1, SIZE_MAX, &e);
	s->loading_what = xstrdup(p != NULL && p->source ? p->source : src);
	pipeline_free(p);
	free(s->load_error);
	s->load_error = NULL;
	/* running previews are for the old data */
	atomic_fetch_add(&s->w->gen, 1);
	s->gen = atomic_load(&s->w->gen);
	enqueue(s, j);
}

void
session_open(struct session *s, const char *data)
{
	struct strbuf sb = STRBUF_INIT;
	struct spec_line *l;
	struct err e;

	strbuf_addstr(&sb, "source ");
	spec_quote(&sb, data);
	err_clear(&e);
	l = spec_parse_line(sb.buf, 1, NULL, &e);
	if (l == NULL || l->npos != 1 || strcmp(l->pos[0].text, data) != 0) {
		/* a name that reads as key=value: quote it whole */
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "source ");
		if (strchr(data, '\'') == NULL)
			strbuf_addf(&sb, "'%s'", data);
		else
			spec_quote(&sb, data);
	}
	spec_line_free(l);
	start_load(s, sb.buf, 1);
	strbuf_release(&sb);
}

/* Drop the preview and what hangs off it (stats borrow from it). */
static void
release_preview(struct session *s)
{
	stats_free(s->stats, s->nstats);
	s->stats = NULL;
	free(s->hists);
	s->hists = NULL;
	s->nstats = 0;
	sdetail_free(s->detail);
	s->detail = NULL;
	stref_put(s->preview);
	s->preview = NULL;
}

static void
request_stats(struct session *s)
{
	struct job *j;

	if (s->preview == NULL)
		return;
	j = xcalloc(1, sizeof *j);
	j->kind = JOB_STATS;
	j->gen = s->gen;
	j->in = stref_get(s->preview);
	enqueue(s, j);
}

static void
request_detail(struct session *s)
{
	struct job *j;
	long ti;

	if (s->preview == NULL || s->detail_wanted < 0 ||
	    (size_t)s->detail_wanted >= s->preview->t->ncols)
		return;
	j = xcalloc(1, sizeof *j);
	j->kind = JOB_DETAIL;
	j->gen = s->gen;
	j->in = stref_get(s->preview);
	j->col = (size_t)s->detail_wanted;
	ti = session_find(s, SL_TARGET);
	if (ti >= 0 && s->pl != NULL && s->pl->target != NULL)
		j->target = xstrdup(s->pl->target);
	enqueue(s, j);
}

/* Is a[0..na) the start of b[0..nb)? */
static int
lines_prefix(const struct sline *a, size_t na, const struct sline *b,
    size_t nb)
{
	size_t i;

	if (a == NULL || na > nb)
		return 0;
	for (i = 0; i < na; i++)
		if (a[i].kind != b[i].kind || a[i].disabled != b[i].disabled ||
		    strcmp(a[i].text, b[i].text) != 0)
			return 0;
	return 1;
}

/*
 * The table after step sel, on the worker.  When the preview shown is
 * the table after step shown < sel of the same lines (a step added at the
 * end, the selection moved down), the worker goes on from it, in place,
 * instead of starting again from the raw data.
 */
static void
request_preview(struct session *s)
{
	struct stref *from_ref = NULL;
	struct sline *l;
	struct job *j;
	size_t i, k = 0, n = 0, from = 0;

	l = xcalloc(s->nlines ? s->nlines : 1, sizeof *l);
	for (i = 0; i < s->nlines; i++) {
		if (s->lines[i].kind == SL_TARGET || (s->lines[i].kind ==
		    SL_STEP && k++ < s->sel)) {
			l[n] = s->lines[i];
			l[n].before = NULL;
			l[n++].text = xstrdup(s->lines[i].text);
		}
	}
	if (s->preview != NULL && s->shown > 0 && s->sel > s->shown &&
	    s->raw != NULL && s->preview != s->raw && !s->computing &&
	    lines_prefix(s->w->pv_lines, s->w->pv_nlines, l, n)) {
		from = s->shown;
		from_ref = s->preview;
		s->preview = NULL;
	}
	release_preview(s);
	s->gen = atomic_fetch_add(&s->w->gen, 1) + 1;
	s->computing = 0;
	lines_free(s->w->pv_lines, s->w->pv_nlines);
	s->w->pv_lines = NULL;
	s->w->pv_nlines = 0;
	if (s->raw == NULL) {
		lines_free(l, n);
		stref_put(from_ref);
		return;
	}
	for (i = from; i < s->nsteps; i++)
		if (s->steps[i].state != SS_DISABLED)
			s->steps[i].state = SS_PENDING;
	if (s->sel == 0 || s->pl == NULL) {
		lines_free(l, n);
		s->preview = stref_get(s->raw);
		s->shown = 0;
		s->before_rows = s->raw->t->nrows;
		s->before_cols = s->raw->t->ncols;
		if (s->stats_wanted)
			request_stats(s);
		if (s->detail_wanted >= 0)
			request_detail(s);
		return;
	}
	j = xcalloc(1, sizeof *j);
	j->kind = JOB_PREVIEW;
	j->gen = s->gen;
	j->k = s->sel;
	j->lines = l;
	j->nlines = n;
	if (from > 0) {
		j->from = from;
		j->in = from_ref;
		j->raw = stref_get(s->raw);
	} else
		j->in = stref_get(s->raw);
	s->computing = 1;
	enqueue(s, j);
}

void
session_select(struct session *s, size_t step)
{
	if (step > s->nsteps)
		step = s->nsteps;
	if (step == s->sel && (s->preview != NULL || s->computing))
		return;
	s->sel = step;
	request_preview(s);
}

void
session_want_stats(struct session *s)
{
	int was = s->stats_wanted;

	s->stats_wanted = 1;
	if (!was && s->stats == NULL && s->preview != NULL)
		request_stats(s);
}

void
session_want_detail(struct session *s, size_t col)
{
	if (s->detail_wanted == (long)col)
		return;
	sdetail_free(s->detail);
	s->detail = NULL;
	s->detail_wanted = (long)col;
	request_detail(s);
}

/* Install a finished job; returns SESSION_* bits. */
static int
install(struct session *s, struct job *j)
{
	size_t i;

	switch (j->kind) {
	case JOB_LOAD:
		/* a later load replaced this one: its result is not wanted */
		if (s->w->pending_src == NULL || strcmp(s->w->pending_src,
		    j->src) != 0)
			return 0;
		free(s->w->pending_src);
		s->w->pending_src = NULL;
		s->loading = 0;
		if (j->failed) {
			free(s->load_error);
			s->load_error = xstrdup(j->err.msg);
			/* the old data is still there */
			if (s->raw != NULL)
				request_preview(s);
			return SESSION_LOADED | SESSION_PREVIEW;
		}
		stref_put(s->raw);
		s->raw = j->out;
		j->out = NULL;
		free(s->data);
		s->data = j->data;
		j->data = NULL;
		s->kind = j->kind_out;
		s->load_seconds = j->seconds;
		free(s->w->loaded_src);
		s->w->loaded_src = xstrdup(j->src);
		{
			long src = session_find(s, SL_SOURCE);
			int same = src >= 0 && strcmp(s->lines[src].text,
			    j->src) == 0;

			if (!same && s->w->initial) {
				/* the first data: not an edit */
				if (src >= 0) {
					free(s->lines[src].text);
					s->lines[src].text = xstrdup(j->src);
				} else
					insert_line(&s->lines, &s->nlines, 0,
					    SL_SOURCE, j->src, 0);
				after_change(s, 0);
				set_saved(s);
			} else if (!same) {
				struct sline *cand = lines_dup(s->lines,
				    s->nlines);
				size_t n = s->nlines;
				struct err e;

				/* its comments stay */
				if (src >= 0) {
					free(cand[src].text);
					cand[src].text = xstrdup(j->src);
				} else
					insert_line(&cand, &n, 0, SL_SOURCE,
					    j->src, 0);
				err_clear(&e);
				if (commit(s, cand, n, SIZE_MAX, &e) != 0)
					request_preview(s);
			} else
				request_preview(s);
		}
		return SESSION_LOADED | SESSION_PREVIEW;
	case JOB_PREVIEW:
		if (j->gen != s->gen)
			return 0;
		s->computing = 0;
		if (j->failed || j->out == NULL) {
			for (i = 0; i < s->nsteps; i++)
				if (s->steps[i].state != SS_DISABLED)
					s->steps[i].state = SS_PENDING;
			return SESSION_PREVIEW;
		}
		for (i = 0; i < j->k && i < s->nsteps; i++) {
			if (j->steps[i].state == SS_PENDING)
				continue;
			sstep_release(&s->steps[i]);
			s->steps[i] = j->steps[i];
			memset(&j->steps[i], 0, sizeof j->steps[i]);
		}
		s->preview = j->out;
		j->out = NULL;
		s->shown = j->shown;
		s->before_rows = j->before_rows;
		s->before_cols = j->before_cols;
		/* the lines that made it: target and steps up to shown */
		{
			size_t n = 0, k = 0;

			while (n < j->nlines && (j->lines[n].kind != SL_STEP ||
			    k++ < s->shown))
				n++;
			for (i = n; i < j->nlines; i++)
				free(j->lines[i].text);
			lines_free(s->w->pv_lines, s->w->pv_nlines);
			s->w->pv_lines = j->lines;
			s->w->pv_nlines = n;
			j->lines = NULL;
			j->nlines = 0;
		}
		if (s->stats_wanted)
			request_stats(s);
		if (s->detail_wanted >= 0)
			request_detail(s);
		return SESSION_PREVIEW;
	case JOB_STATS:
		if (j->gen != s->gen || j->stats == NULL)
			return 0;
		stats_free(s->stats, s->nstats);
		free(s->hists);
		s->stats = j->stats;
		s->hists = j->hists;
		s->nstats = j->nstats;
		j->stats = NULL;
		j->hists = NULL;
		return SESSION_STATS;
	case JOB_DETAIL:
		if (j->gen != s->gen || j->detail == NULL ||
		    (long)j->col != s->detail_wanted)
			return 0;
		sdetail_free(s->detail);
		s->detail = j->detail;
		j->detail = NULL;
		return SESSION_DETAIL;
	}
	return 0;
}

static int	 poll_train(struct session *);

int
session_poll(struct session *s)
{
	struct job *list, *j;
	int bits = 0;

	pthread_mutex_lock(&s->w->mu);
	list = s->w->done;
	s->w->done = NULL;
	pthread_mutex_unlock(&s->w->mu);
	while (list != NULL) {
		j = list;
		list = j->next;
		bits |= install(s, j);
		job_free(j);
	}
	return bits | poll_train(s);
}

int
session_wait(struct session *s)
{
	struct sworker *w = s->w;
	int bits = 0;

	for (;;) {
		pthread_mutex_lock(&w->mu);
		while (w->queue != NULL || w->running != NULL ||
		    (w->tj != NULL && !w->tj->done))
			pthread_cond_wait(&w->idle, &w->mu);
		pthread_mutex_unlock(&w->mu);
		bits |= session_poll(s);
		/* installing may have queued more (a preview after a load) */
		pthread_mutex_lock(&w->mu);
		if (w->queue == NULL && w->running == NULL && w->done == NULL &&
		    (w->tj == NULL || !w->tj->done)) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		pthread_mutex_unlock(&w->mu);
	}
	return bits;
}

/* -------------------------------------------------------- training --- */

static void
train_progress(void *arg, double done)
{
	struct train_job *tj = arg;
	struct sworker *w = tj->s->w;
	double t = session_now();
	void (*fn)(void *) = NULL;
	void *a = NULL;

	pthread_mutex_lock(&w->mu);
	tj->progress = done;
	if (t - tj->last_notify > 0.05) {
		tj->last_notify = t;
		fn = w->notify;
		a = w->arg;
	}
	pthread_mutex_unlock(&w->mu);
	if (fn != NULL)
		fn(a);
}

static void *
train_main(void *arg)
{
	struct train_job *tj = arg;
	struct sworker *w = tj->s->w;
	struct model_ctx ctx;
	struct table *t;
	char hash[65];
	void (*fn)(void *);
	void *a;

	t = table_copy(tj->raw->t);
	stref_put(tj->raw);
	tj->raw = NULL;
	tj->rows = t->nrows;
	table_hash(t, hash);
	memset(&ctx, 0, sizeof ctx);
	ctx.threads = cpu_count();
	ctx.cancel = &tj->cancel;
	ctx.progress = train_progress;
	ctx.arg = tj;
	if (evaluate_run(tj->p, t, &ctx, &tj->rep, &tj->err) == 0) {
		struct err e2;

		tj->seconds = session_now() - tj->t0;
		err_clear(&e2);
		/* a run that cannot be recorded is still a result */
		runs_record(tj->ws_path, tj->p, tj->spec_path, tj->data, hash,
		    tj->seconds, &tj->rep, NULL, &e2);
	} else
		tj->seconds = session_now() - tj->t0;
	table_free(t);
	pthread_mutex_lock(&w->mu);
	tj->done = 1;
	pthread_cond_broadcast(&w->idle);
	fn = w->notify;
	a = w->arg;
	pthread_mutex_unlock(&w->mu);
	if (fn != NULL)
		fn(a);
	return NULL;
}

static void
train_job_free(struct train_job *tj)
{
	pipeline_free(tj->p);
	stref_put(tj->raw);
	free(tj->spec);
	free(tj->spec_path);
	free(tj->data);
	free(tj->ws_path);
	eval_report_free(&tj->rep);
	free(tj);
}

static int
poll_train(struct session *s)
{
	struct sworker *w = s->w;
	struct train_job *tj = w->tj;
	int done, bits = 0;
	double progress;

	if (tj == NULL)
		return 0;
	pthread_mutex_lock(&w->mu);
	done = tj->done;
	progress = tj->progress;
	pthread_mutex_unlock(&w->mu);
	if (progress != s->train.progress) {
		s->train.progress = progress;
		bits |= SESSION_PROGRESS;
	}
	if (!done)
		return bits;
	pthread_join(tj->th, NULL);
	w->tj = NULL;
	s->train.running = 0;
	s->train.done = 1;
	s->train.elapsed = tj->seconds;
	s->train.err = tj->err;
	s->train.rows = tj->rows;
	eval_report_free(&s->train.rep);
	s->train.rep = tj->rep;
	memset(&tj->rep, 0, sizeof tj->rep);
	free(s->train.spec);
	s->train.spec = tj->spec;
	tj->spec = NULL;
	train_job_free(tj);
	return bits | SESSION_TRAINED;
}

int
session_train(struct session *s, struct err *e)
{
	struct train_job *tj;
	struct strbuf sb = STRBUF_INIT;
	struct sline *l;
	struct pipeline *p;
	size_t i, n = 0;

	if (s->w->tj != NULL)
		return err_set(e, ERR_USAGE, "training is already running "
		    "(Esc stops it)");
	if (s->raw == NULL)
		return err_set(e, ERR_USAGE, "no data: open some with :open "
		    "DATA");
	if (s->pl == NULL || s->pl->model == NULL)
		return err_set(e, ERR_USAGE, "no model: add one with ':model "
		    "TYPE' (see 'lathe models')");
	/* the enabled lines: what export writes, minus the disabled */
	l = xcalloc(s->nlines ? s->nlines : 1, sizeof *l);
	for (i = 0; i < s->nlines; i++)
		if (!s->lines[i].disabled)
			l[n++] = s->lines[i];
	p = lines_pipeline(l, n, SIZE_MAX, e);
	free(l);
	if (p == NULL)
		return -1;
	tj = xcalloc(1, sizeof *tj);
	tj->s = s;
	tj->p = p;
	tj->raw = stref_get(s->raw);
	session_spec_text(s, &sb);
	tj->spec = strbuf_detach(&sb);
	tj->spec_path = s->path ? xstrdup(s->path) : NULL;
	tj->data = s->data ? xstrdup(s->data) : NULL;
	tj->ws_path = xstrdup(s->ws_path);
	tj->t0 = session_now();
	err_clear(&tj->err);
	s->train.running = 1;
	s->train.done = 0;
	s->train.progress = 0;
	s->train.started = tj->t0;
	if (pthread_create(&tj->th, NULL, train_main, tj) != 0) {
		s->train.running = 0;
		train_job_free(tj);
		return err_set(e, ERR_FAIL, "cannot start a thread: %s",
		    strerror(errno));
	}
	s->w->tj = tj;
	return 0;
}

void
session_train_cancel(struct session *s)
{
	if (s->w->tj != NULL)
		s->w->tj->cancel = 1;
}

/* ---------------------------------------------- drafts and history --- */

static char *
draft_key(const char *data)
{
	char *r, *colon, *path;

	if (data == NULL)
		return xstrdup("");
	if (strcmp(data, "-") == 0)
		return xstrdup("-");
	if ((r = realpath(data, NULL)) != NULL) {
		char *k = xstrdup(r);

		free(r);
		return k;
	}
	colon = strrchr(data, ':');
	if (colon != NULL) {
		path = xstrndup(data, (size_t)(colon - data));
		if ((r = realpath(path, NULL)) != NULL) {
			char *k = xasprintf("%s%s", r, colon);

			free(r);
			free(path);
			return k;
		}
		free(path);
	}
	return xstrdup(data);
}

/* The data a draft is about: the source line's, else what is open. */
static const char *
draft_data(const struct session *s)
{
	if (s->pl != NULL && s->pl->source != NULL)
		return s->pl->source;
	return s->data;
}

static void
draft_save(struct session *s)
{
	struct strbuf sb = STRBUF_INIT;
	sqlite3_stmt *st;
	sqlite3 *db;
	char *key;

	if (s->ws == NULL)
		return;
	/* standard input cannot be read again: no draft of it */
	if (draft_data(s) != NULL && strcmp(draft_data(s), "-") == 0)
		return;
	if (!session_modified(s)) {
		session_draft_drop(s);
		return;
	}
	db = workspace_db(s->ws);
	session_spec_text(s, &sb);
	key = draft_key(draft_data(s));
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO drafts (name, "
	    "data, spec, updated) VALUES (?1, ?2, ?3, strftime('%Y-%m-%d "
	    "%H:%M:%S', 'now', 'localtime'))", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		if (draft_data(s) != NULL)
			sqlite3_bind_text(st, 2, draft_data(s), -1,
			    SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 2);
		sqlite3_bind_text(st, 3, sb.buf, -1, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	free(key);
	strbuf_release(&sb);
}

void
session_draft_drop(struct session *s)
{
	sqlite3_stmt *st;
	char *key;

	if (s->ws == NULL)
		return;
	key = draft_key(draft_data(s));
	if (sqlite3_prepare_v2(workspace_db(s->ws), "DELETE FROM drafts "
	    "WHERE name = ?1", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	free(key);
}

int
session_draft_find(struct session *s, const char *data, char **data_out,
    char **spec, char **updated)
{
	sqlite3_stmt *st;
	char *key = NULL;
	int found = 0, rc;

	*spec = NULL;
	if (data_out)
		*data_out = NULL;
	if (updated)
		*updated = NULL;
	if (s->ws == NULL)
		return 0;
	if (data != NULL) {
		key = draft_key(data);
		rc = sqlite3_prepare_v2(workspace_db(s->ws), "SELECT data, "
		    "spec, updated FROM drafts WHERE name = ?1", -1, &st,
		    NULL);
	} else
		rc = sqlite3_prepare_v2(workspace_db(s->ws), "SELECT data, "
		    "spec, updated FROM drafts ORDER BY updated DESC, rowid "
		    "DESC LIMIT 1", -1, &st, NULL);
	if (rc != SQLITE_OK) {
		free(key);
		return 0;
	}
	if (key != NULL)
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *d = sqlite3_column_text(st, 0);
		const unsigned char *sp = sqlite3_column_text(st, 1);
		const unsigned char *u = sqlite3_column_text(st, 2);

		found = 1;
		*spec = xstrdup(sp ? (const char *)sp : "");
		if (data_out && d)
			*data_out = xstrdup((const char *)d);
		if (updated)
			*updated = xstrdup(u ? (const char *)u : "");
	}
	sqlite3_finalize(st);
	free(key);
	return found;
}

int
session_draft_restore(struct session *s, const char *text, struct err *e)
{
	struct spec *sp;
	struct sline *cand = NULL;
	char *head, *tail;
	size_t n = 0;

	if ((sp = spec_parse(text, "<draft>", NULL, e)) == NULL)
		return -1;
	lines_from_spec(sp, 0, &cand, &n, &head, &tail);
	spec_free(sp);
	/* the saved state stays what it was: the draft is a change */
	if (commit_all(s, cand, n, head, tail, SIZE_MAX, e) != 0)
		return -1;
	session_select(s, s->nsteps);
	draft_save(s);
	return 0;
}

void
session_history_add(struct session *s, const char *line)
{
	sqlite3_stmt *st;
	sqlite3 *db;

	if (s->ws == NULL || *line == '\0')
		return;
	db = workspace_db(s->ws);
	/* the same line twice in a row is kept once */
	if (sqlite3_prepare_v2(db, "INSERT INTO history (line, created) "
	    "SELECT ?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE "
	    "COALESCE((SELECT line FROM history ORDER BY id DESC LIMIT 1) "
	    "!= ?1, 1)", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, line, -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_finalize(st);
}

size_t
session_history(struct session *s, size_t max, char ***out)
{
	sqlite3_stmt *st;
	char **v = NULL;
	size_t n = 0;

	*out = NULL;
	if (s->ws == NULL)
		return 0;
	if (sqlite3_prepare_v2(workspace_db(s->ws), "SELECT line FROM "
	    "(SELECT id, line FROM history ORDER BY id DESC LIMIT ?1) "
	    "ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *l = sqlite3_column_text(st, 0);

		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = xstrdup(l ? (const char *)l : "");
	}
	sqlite3_finalize(st);
	*out = v;
	return n;
}

/* --------------------------------------------------------- session --- */

struct session *
session_new(const char *ws_path)
{
	struct session *s = xcalloc(1, sizeof *s);
	struct err e;

	s->w = xcalloc(1, sizeof *s->w);
	pthread_mutex_init(&s->w->mu, NULL);
	pthread_cond_init(&s->w->cv, NULL);
	pthread_cond_init(&s->w->idle, NULL);
	atomic_init(&s->w->gen, 0);
	s->w->initial = 1;
	s->ws_path = workspace_path(ws_path);
	err_clear(&e);
	s->ws = workspace_open(s->ws_path, &e);
	if (s->ws == NULL)
		s->ws_error = xstrdup(e.msg);
	s->lines = xcalloc(1, sizeof *s->lines);
	s->steps = xcalloc(1, sizeof *s->steps);
	s->detail_wanted = -1;
	s->name = xstrdup("untitled");
	err_clear(&e);
	s->pl = lines_pipeline(s->lines, 0, SIZE_MAX, &e);
	set_saved(s);
	return s;
}

void
session_set_notify(struct session *s, void (*fn)(void *), void *arg)
{
	pthread_mutex_lock(&s->w->mu);
	s->w->notify = fn;
	s->w->arg = arg;
	pthread_mutex_unlock(&s->w->mu);
}

void
session_free(struct session *s)
{
	struct sworker *w;
	struct job *j;
	struct sundo *u;
	size_t i;

	if (s == NULL)
		return;
	w = s->w;
	atomic_fetch_add(&w->gen, 1);
	if (w->tj != NULL) {
		w->tj->cancel = 1;
		pthread_join(w->tj->th, NULL);
		train_job_free(w->tj);
		w->tj = NULL;
	}
	pthread_mutex_lock(&w->mu);
	w->quit = 1;
	w->notify = NULL;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	if (w->started)
		pthread_join(w->th, NULL);
	while ((j = w->queue) != NULL) {
		w->queue = j->next;
		job_free(j);
	}
	while ((j = w->done) != NULL) {
		w->done = j->next;
		job_free(j);
	}
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	pthread_cond_destroy(&w->idle);
	free(w->loaded_src);
	free(w->pending_src);
	lines_free(w->pv_lines, w->pv_nlines);
	free(w);
	release_preview(s);
	stref_put(s->raw);
	lines_free(s->lines, s->nlines);
	for (i = 0; i < s->nsteps; i++)
		sstep_release(&s->steps[i]);
	free(s->steps);
	while ((u = s->undo) != NULL) {
		s->undo = u->next;
		sundo_free(u);
	}
	while ((u = s->redo) != NULL) {
		s->redo = u->next;
		sundo_free(u);
	}
	free(s->head);
	free(s->tail);
	pipeline_free(s->pl);
	eval_report_free(&s->train.rep);
	free(s->train.spec);
	workspace_close(s->ws);
	free(s->ws_path);
	free(s->ws_error);
	free(s->data);
	free(s->load_error);
	free(s->loading_what);
	free(s->path);
	free(s->name);
	free(s->saved);
	free(s);
}

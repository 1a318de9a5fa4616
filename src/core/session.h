/*
 * session.h - the workbench's model, without curses: the opened data,
 * the pipeline being edited as a list of spec lines, undo and redo, the
 * preview of the table after a chosen step, column statistics, the draft
 * and the command history kept in the workspace, and training.
 *
 * The pipeline is a list of statements in spec order (source, target,
 * steps, model, evaluate, search), each kept as its canonical text
 * (spec_write_line).  Every edit goes through the spec parser and
 * pipeline_new(), so the command line, the keys and spec files share one
 * grammar and one set of messages; an edit that does not parse changes
 * nothing.  Every edit is one undo step and saves the draft.  The
 * comment lines of an opened spec are kept: each line carries those just
 * before it, and the session those before the header and after the last
 * statement; undo, drafts and export keep them.
 *
 * Long work runs on a worker thread: loading data, the preview (the
 * table after step k, recomputed from the raw table), statistics of the
 * previewed table, and one column's detail.  Training runs on a thread
 * of its own.  A job carries the generation of the preview it belongs
 * to; a result that is stale when it arrives is dropped.  The worker
 * never touches the fields below: it hands results over, and
 * session_poll() installs them in the caller's thread, which is the only
 * one that reads or changes a struct session.  When a result is ready
 * the worker calls the notify function (from its own thread: it should
 * only wake the caller, e.g. write to a self-pipe).
 *
 * Memory: at most the raw table and one transformed table (the preview,
 * or the one being computed) are alive at once; a new preview releases
 * the old one before the worker starts on it, or, when it only adds
 * steps after the ones shown, hands it to the worker to go on in place.
 * Training works on its own copy.
 */
#ifndef LATHE_SESSION_H
#define LATHE_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/evaluate.h"
#include "core/load.h"
#include "core/pipeline.h"
#include "core/stats.h"
#include "core/strbuf.h"
#include "core/table.h"

struct workspace;

enum sline_kind {
	SL_SOURCE,
	SL_TARGET,
	SL_STEP,
	SL_MODEL,
	SL_EVALUATE,
	SL_SEARCH,
};

/* One statement of the pipeline. */
struct sline {
	enum sline_kind	 kind;
	char		*text;		/* canonical, no newline */
	int		 disabled;	/* steps: the space bar */
	char		*before;	/* the comment (and blank) lines just
					 * before it in the spec, each ending
					 * in a newline, or NULL: they go
					 * where it goes */
};

/* What the last preview learned about a step. */
enum sstep_state {
	SS_PENDING,			/* not run (after the previewed step) */
	SS_FITTED,
	SS_ERROR,
	SS_DISABLED,
};

struct sstep {
	enum sstep_state state;
	char		*describe;	/* describe(): fitted when it was */
	char		*error;		/* SS_ERROR: the message */
	size_t		 rows, cols;	/* shape after it (SS_FITTED) */
	char		**writes;	/* columns it changed or added */
	size_t		 nwrites;
};

/* A numeric column's histogram over [lo, hi]. */
#define SESSION_HIST_BINS 48
struct shist {
	int		 valid;
	double		 lo, hi;
	size_t		 count[SESSION_HIST_BINS];
};

/* One column in detail (session_detail). */
struct sdetail {
	size_t		 col;		/* index in the preview */
	char		*name;
	struct colstats	 st;		/* of the column (values borrowed
					 * from the preview) */
	struct shist	 hist;
	double		 q[9];		/* quantiles at 1 5 10 25 50 75 90
					 * 95 99 % (numeric) */
	/* value counts, descending (ties by value): every column type */
	char		**values;
	size_t		*counts;
	size_t		 nvalues;	/* at most SESSION_FREQ_MAX */
	size_t		 ndistinct;
	size_t		 nmissing;
	/* relation to the target, when there is one and it is not this
	 * column */
	char		*target;
	int		 target_numeric;
	double		 corr;		/* numeric column, numeric target */
	size_t		 nclasses;	/* categorical target (at most
					 * SESSION_CLASSES_MAX; more: 0) */
	char		**classes;
	size_t		*class_hist;	/* nclasses x SESSION_HIST_BINS
					 * (numeric column) */
	size_t		*class_counts;	/* nclasses x nvalues (shown values
					 * of a non-numeric column) */
	double		*value_means;	/* numeric target: its mean per shown
					 * value (non-numeric column) */
};

#define SESSION_FREQ_MAX	1000
#define SESSION_CLASSES_MAX	12

/* A training run (session_train). */
struct strain {
	int		 running;
	double		 progress;	/* 0..1 */
	double		 started;	/* monotonic seconds */
	double		 elapsed;	/* when done */
	int		 done;		/* a result (or error) is here */
	struct err	 err;		/* when it failed (ERR_CANCEL: the
					 * user stopped it) */
	struct eval_report rep;
	char		*spec;		/* the spec it trained */
	int64_t		 run_id;	/* recorded in the workspace, or 0 */
	size_t		 rows;
};

/* What session_poll() installed. */
enum {
	SESSION_LOADED	= 0x01,		/* data loaded (or load_error set) */
	SESSION_PREVIEW	= 0x02,		/* preview (or a step's error) */
	SESSION_STATS	= 0x04,
	SESSION_DETAIL	= 0x08,
	SESSION_TRAINED	= 0x10,
	SESSION_PROGRESS = 0x20,	/* training progress moved */
};

struct stref;				/* a shared table (private) */
struct sworker;
struct sundo;

struct session {
	/* The workspace, or NULL when it cannot be opened (ws_error says
	 * why): then there are no drafts, no history and no runs. */
	struct workspace *ws;
	char		*ws_path;
	char		*ws_error;

	/* The data. */
	char		*data;		/* DATA as given, or NULL */
	const char	*kind;		/* "csv", "sqlite", "dataset" */
	struct stref	*raw;
	char		*load_error;	/* the loader's message, last open */
	int		 loading;	/* a load is running */
	char		*loading_what;
	double		 load_seconds;

	/* The pipeline. */
	struct sline	*lines;
	size_t		 nlines;
	size_t		 nsteps;
	char		*path;		/* the spec file: last export/open */
	char		*name;		/* for the top bar */
	char		*saved;		/* text last exported or opened */
	char		*head;		/* comment lines before the header */
	char		*tail;		/* after the last statement */
	struct pipeline	*pl;		/* the lines, parsed, never fitted */

	/* Undo and redo. */
	struct sundo	*undo, *redo;
	size_t		 nundo, nredo;

	/* The preview: the table after step sel (0: the raw data).  When a
	 * step up to sel fails, shown is the step before it. */
	size_t		 sel;
	size_t		 shown;
	struct stref	*preview;	/* NULL while computing */
	int		 computing;
	uint64_t	 gen;
	struct sstep	*steps;		/* nsteps */
	size_t		 before_rows, before_cols;	/* input of step sel */

	/* Statistics of the preview (NULL until computed). */
	struct colstats	*stats;
	struct shist	*hists;
	size_t		 nstats;
	int		 stats_wanted;
	struct sdetail	*detail;	/* NULL until computed */
	long		 detail_wanted;	/* column asked for, or -1 */

	struct strain	 train;

	struct sworker	*w;
};

/*
 * A session over the workspace at ws_path (NULL: the default).  A
 * workspace that cannot be opened is not fatal: ws_error says why.
 */
struct session	*session_new(const char *ws_path);
/* Stops the workers (cancelling training) and frees everything. */
void		 session_free(struct session *);
void		 session_set_notify(struct session *, void (*fn)(void *),
		    void *arg);

/*
 * Load DATA (load.h's forms, or a workspace dataset) on the worker.
 * The pipeline stays; its source line becomes "source DATA" (with opts
 * kept when the line already had them).  On failure the old data stays
 * and load_error holds the loader's message.
 */
void		 session_open(struct session *, const char *data);
/*
 * Open a spec file: its statements replace the pipeline (one undo
 * step) and its source is loaded.  A spec error changes nothing.
 */
int		 session_open_spec(struct session *, const char *path,
		    struct err *);
/* Does the file look like a spec ("lathe-pipeline" first)? */
int		 session_is_spec_file(const char *path);

/* Install finished work; returns the SESSION_* bits of what changed. */
int		 session_poll(struct session *);
/* Block until the worker is idle (and training done), then poll. */
int		 session_wait(struct session *);
/* The raw table, or NULL. */
const struct table *session_raw(const struct session *);
/* The previewed table, or NULL while it is being computed. */
const struct table *session_table(const struct session *);

/*
 * Edits.  Each parses, checks the whole pipeline and, when it is good,
 * becomes one undo step, saves the draft and recomputes the preview.
 *
 * session_exec: a spec statement.  A step goes after step AT (0: first;
 * SIZE_MAX: last); it becomes the selected step.  target, model,
 * evaluate and search replace the line of that kind; source reloads.
 * Errors are the parser's ("<command>:1:COL: ...").
 */
int		 session_exec(struct session *, const char *line, size_t at,
		    struct err *);
int		 session_replace(struct session *, size_t step,
		    const char *line, struct err *);
int		 session_delete(struct session *, size_t step, struct err *);
int		 session_move(struct session *, size_t step, int delta,
		    struct err *);
int		 session_toggle(struct session *, size_t step, struct err *);
/* Remove the target, model, evaluate or search line. */
int		 session_unset(struct session *, enum sline_kind,
		    struct err *);
int		 session_undo(struct session *, struct err *);
int		 session_redo(struct session *, struct err *);

/* Step i (1-based) as a line index; the line of a kind, or -1. */
size_t		 session_step_line(const struct session *, size_t step);
long		 session_find(const struct session *, enum sline_kind);
/* The step's line as a parsed spec line (free with spec_line_free). */
struct spec_line *session_step_parsed(const struct session *, size_t step);

/* Select the step to preview (0: raw .. nsteps). */
void		 session_select(struct session *, size_t step);
/* Ask for statistics of the preview, and for one column's detail. */
void		 session_want_stats(struct session *);
void		 session_want_detail(struct session *, size_t col);

/*
 * The pipeline as spec text: canonical (spec_write), a disabled step as
 * the comment "#(disabled) step ...", the comment lines of the spec it
 * was opened from (head, each line's before, tail) in their places.
 * Exactly what export writes.
 */
void		 session_spec_text(const struct session *, struct strbuf *);
/* Has it changed since it was last exported or opened? */
int		 session_modified(const struct session *);
/* Write the spec to path atomically; it becomes the session's file. */
int		 session_export(struct session *, const char *path,
		    struct err *);

/*
 * Drafts: the pipeline is saved (one transaction) on every change while
 * it is modified, and dropped when it is exported or discarded.  A
 * draft is keyed by its data; session_draft_find returns the one for
 * DATA (NULL: the most recent of any), 0 if there is none.
 */
int		 session_draft_find(struct session *, const char *data,
		    char **data_out, char **spec, char **updated);
/* Take a draft's spec text as the pipeline (modified, undoable). */
int		 session_draft_restore(struct session *, const char *spec,
		    struct err *);
void		 session_draft_drop(struct session *);

/* Command history in the workspace: oldest first, at most max lines. */
void		 session_history_add(struct session *, const char *line);
size_t		 session_history(struct session *, size_t max, char ***lines);

/*
 * Train the pipeline (its model and evaluation) on a copy of the raw
 * data, on a thread of its own; progress and the result arrive through
 * session_poll (SESSION_PROGRESS, SESSION_TRAINED).  The run is recorded
 * in the workspace.
 */
int		 session_train(struct session *, struct err *);
void		 session_train_cancel(struct session *);

/* Monotonic seconds. */
double		 session_now(void);

#endif

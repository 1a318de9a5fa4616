/*
 * step.h - the transform step interface.
 *
 * A step type is one file (steps/step-NAME.c) exporting a const struct
 * step_ops, and one row in registry.c.  A step instance carries its
 * parsed parameters and, once fitted, its learned state.
 *
 * The life of a step:
 *	fit(s, t)            learn state from the training table t (t is
 *	                     the table as it arrives at this step); resolve
 *	                     column selectors here and keep the names
 *	apply(s, t, ctx)     transform t in place: replace, add or drop
 *	                     columns, drop rows; identical at training and at
 *	                     inference (this is what kills train/serve skew)
 *	save(s, sb)          fitted state as text (state.h)
 *	load(s, st)          the reverse
 * fit is always followed by apply on the same table during training, so
 * a step may leave work for apply.  apply never refits: at inference the
 * table may be one row.
 */
#ifndef LATHE_STEP_H
#define LATHE_STEP_H

#include <stddef.h>

#include "core/err.h"
#include "core/params.h"
#include "core/state.h"
#include "core/strbuf.h"
#include "core/table.h"

struct step;

/* How apply is being run. */
struct apply_ctx {
	int		 training;	/* 1 while fitting the chain */
	size_t		 rows_dropped;	/* added to by row-dropping steps */
};

struct step_ops {
	const char	*name;
	const char	*summary;	/* one line for help */
	const struct param_def *params;	/* NULL-terminated schema */
	/*
	 * Check parameters beyond the schema (e.g. an expression parses),
	 * after params are filled.  Optional.
	 */
	int		(*check)(struct step *, struct err *);
	int		(*fit)(struct step *, const struct table *, struct err *);
	int		(*apply)(struct step *, struct table *,
			    struct apply_ctx *, struct err *);
	/* One line: "impute mean on 4 columns (sepal_length, ...)". */
	void		(*describe)(const struct step *, struct strbuf *);
	void		(*save)(const struct step *, struct strbuf *);
	int		(*load)(struct step *, const struct state *,
			    struct err *);
	/* Free s->state (and anything else the step allocated). */
	void		(*free)(struct step *);
	/*
	 * Does apply need every row at once (aggregates, dedupe,
	 * sampling)?  Then a stream is read to its end before the chain
	 * runs.  NULL: the step works row by row.
	 */
	int		(*whole_table)(const struct step *);
	/*
	 * The step only moves, renames or drops columns, so indicator
	 * columns (table.h) can reach it as they are; other steps get them
	 * materialized first.
	 */
	int		 keeps_indicators;
};

/* Whether any step of a chain needs the whole table (see above). */
int		 steps_need_whole_table(struct step *const *, size_t);
/* A whole_table for steps with when=train|always: only when always. */
int		 step_whole_when_always(const struct step *);
/* A whole_table that always says yes. */
int		 step_whole_always(const struct step *);

struct step {
	const struct step_ops *ops;
	struct params	 params;
	void		*state;		/* owned by the step type */
	int		 fitted;
	int		 disabled;	/* the workbench's space bar */
	int		 line;		/* spec line, for messages */
	const char	*target;	/* the pipeline's target (borrowed):
					 * selectors never pick it by group */
	/* After fit: the columns read and written, for the workbench and
	 * for checks.  Filled by the step (step_set_io). */
	char		**reads;
	size_t		 nreads;
	char		**writes;
	size_t		 nwrites;
};

/* Registry (registry.c): NULL-terminated. */
extern const struct step_ops *const step_table[];
/*
 * The step type NAME (exact, or a unique prefix); NULL with ERR_SPEC
 * "unknown step 'x' (did you mean 'y'?)" or "ambiguous step 'x': a, b".
 */
const struct step_ops *step_find(const char *name, struct err *);

/* New, unfitted step; takes nothing over. */
struct step	*step_new(const struct step_ops *);
void		 step_free(struct step *);
/* Record the columns a fitted step reads and writes (copied). */
void		 step_set_io(struct step *, char *const *reads, size_t nreads,
		    char *const *writes, size_t nwrites);
/* "step 3 (impute)" style prefix for messages. */
void		 step_what(const struct step *, char *, size_t);

#endif

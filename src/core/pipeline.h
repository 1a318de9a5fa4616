/*
 * pipeline.h - a pipeline: the spec's statements interpreted into a
 * source, a target and a chain of steps; fitting it; applying it; and
 * the fitted pipeline file.
 *
 * Statements (spec.h gives the lexical rules):
 *	lathe-pipeline 1             first statement: format and version
 *	source [KIND] DATA [k=v..]   KIND csv|sqlite|dataset; options:
 *	                             delimiter header na sample ragged table
 *	                             query types (col:type,...)
 *	target COLUMN                the column to predict; steps do not
 *	                             select it by glob or type group
 *	step TYPE [k=v ...]          a transform step (step.h)
 *	model TYPE [k=v ...]         the model, last (model.h)
 *	evaluate [holdout|cv] [k=v]  how to score it (evaluate.h):
 *	                             fraction folds seed stratified metrics
 *	search P=v1,v2 .. [metric=M] a grid over model parameters
 *
 * Fitting runs each step's fit then apply on the training table, in
 * order.  Applying (inference) first checks the input against the
 * schema recorded at fit (every training column present, values of the
 * recorded types), then runs each step's apply.  Both run exactly the
 * same apply code.
 *
 * The fitted pipeline file is text:
 *	lathe-fitted 1
 *	sha256 HEX          of every byte after this line
 *	[recipe]            the spec, canonical
 *	[schema]            one "name type" line per input column
 *	[step N TYPE]       each step's state (state.h)
 *	[model TYPE]        "params ..." (the parameters it was fitted
 *	                    with: a grid search's best) and its state
 *	[end]
 * A file whose checksum does not match, or that lacks [end], is refused.
 */
#ifndef LATHE_PIPELINE_H
#define LATHE_PIPELINE_H

#include <stddef.h>

#include "core/err.h"
#include "core/load.h"
#include "core/model.h"
#include "core/spec.h"
#include "core/step.h"
#include "core/table.h"

#define PIPELINE_FORMAT_VERSION 1
#define FITTED_FORMAT_VERSION 1

/* The evaluate statement. */
enum eval_method {
	EVAL_NONE,			/* no evaluate line: fit only */
	EVAL_HOLDOUT,
	EVAL_CV,
	EVAL_FOLDS_COLUMN,		/* folds=COLUMN of the data */
	EVAL_FOLDS_FILE,		/* folds=FILE.csv */
};

struct eval_def {
	enum eval_method method;
	int		 line;
	double		 fraction;	/* holdout */
	long		 k;		/* cv */
	char		*folds;		/* COLUMN or FILE (decided at run) */
	long		 seed;
	int		 stratified;
	char		**metrics;	/* NULL: the task's defaults */
	size_t		 nmetrics;
};

/* The search statement: a grid over model parameters. */
struct search_def {
	int		 line;
	size_t		 n;		/* parameters */
	char		**names;
	char		***values;	/* values[i][0..nvalues[i]) */
	size_t		*nvalues;
	char		*metric;	/* NULL: the first evaluation metric */
};

struct pipeline {
	struct spec	*spec;		/* the recipe (owned) */
	char		*source;	/* DATA of the source line, or NULL */
	struct load_opts load;		/* options of the source line */
	char		*target;	/* or NULL */
	char		*positive;	/* target ... positive=LABEL, or NULL */
	struct step	**steps;
	size_t		 nsteps;
	/* columns the leading 'drop' steps name: never parsed (load.h) */
	char		**skip;
	size_t		 nskip;
	/* the input schema, recorded at fit */
	char		**in_names;
	enum coltype	*in_types;
	size_t		 nin;
	struct model	*model;		/* or NULL: a chain of steps only */
	struct eval_def	 eval;
	struct search_def search;
	int		 fitted;
};

/* What apply does with a bad value in the input. */
enum on_error {
	ONERR_FAIL,			/* stop with a message */
	ONERR_SKIP,			/* drop the row, count it */
	ONERR_NULL,			/* make the value missing, count it */
};

/* Interpret a parsed spec (taken over, also on failure). */
struct pipeline	*pipeline_new(struct spec *, struct err *);
void		 pipeline_free(struct pipeline *);

/* Fit on t, which is transformed in place as the chain runs. */
int		 pipeline_fit(struct pipeline *, struct table *t, struct err *);
/*
 * Make an input table fit the recorded schema: select and order the
 * training columns (extra columns are dropped, or kept after them when
 * keep is set); a missing column is an error naming it.  Types are
 * enforced by loading with pipeline_load_opts().
 */
int		 pipeline_conform(const struct pipeline *, struct table *t,
		    int keep, struct err *);
/* Load options forcing the recorded input types (release after use). */
void		 pipeline_load_opts(const struct pipeline *,
		    struct load_opts *);
/* Apply the fitted chain to t in place (inference). */
int		 pipeline_apply(struct pipeline *, struct table *t,
		    struct apply_ctx *, struct err *);

/*
 * The model's features and target from a table the chain has
 * transformed (t is borrowed by X).  The target is skipped for a
 * clustering model; y may be NULL when t has no target column (predict).
 */
int		 pipeline_model_data(const struct pipeline *, const struct table *t,
		    struct fmat *X, struct target *y, struct err *);
/* Fit the model on a transformed table. */
int		 pipeline_fit_model(struct pipeline *, const struct table *t,
		    const struct model_ctx *, struct err *);
/*
 * Set the model's parameters from "k=v k=v" words over the spec's own
 * (a grid point); the spec line's values are kept where not overridden.
 */
int		 pipeline_set_model_params(struct pipeline *, char *const *keys,
		    char *const *values, size_t n, struct err *);
/* A fresh, unfitted copy of the pipeline (same recipe). */
struct pipeline	*pipeline_clone(const struct pipeline *, struct err *);

/* The fitted pipeline as text; and reading it back. */
void		 pipeline_save(const struct pipeline *, struct strbuf *);
struct pipeline	*pipeline_read(const char *text, const char *name,
		    struct err *);
/* Files: atomic write (temporary + rename), and read. */
int		 pipeline_save_file(const struct pipeline *, const char *path,
		    struct err *);
struct pipeline	*pipeline_load_file(const char *path, struct err *);
/* Write bytes to path atomically; "-" is standard output. */
int		 write_file_atomic(const char *path, const char *data,
		    size_t len, struct err *);

#endif

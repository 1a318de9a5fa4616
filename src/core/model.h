/*
 * model.h - the model interface.
 *
 * A model type is one file (models/model-NAME.c) exporting a const
 * struct model_ops, and one row in model-registry.c.  Like a step
 * (step.h), an instance carries its parsed parameters and, once fitted,
 * its learned state, which it saves and loads as text (state.h).
 *
 * What a model sees is a feature matrix (struct fmat): the table that
 * comes out of the chain of steps, minus the target, read column by
 * column without copying.  A column is one of
 *	FC_NUM   doubles (NaN: missing)
 *	FC_IND   an indicator column (one-hot output, table.h): 1 where
 *	         idx[r] == code, else 0; never missing.  All the indicators
 *	         of one encoded column share one idx array: fmat groups
 *	         them (struct fgroup) so a linear model can use one lookup
 *	         per row and group instead of one test per indicator.
 *	FC_CAT   category codes (only models that declare accepts_cat see
 *	         these; the others get an error naming the column and the
 *	         step that should have encoded it)
 * fmat_get() reads any cell as a double.  A model that wants a dense
 * row-major copy asks fmat_dense() for one (rows it needs only).
 *
 * The target (struct target) is class indices into sorted labels for a
 * classifier, doubles for a regressor, nothing for clustering.  model.c
 * builds it from the target column, refusing a constant target, missing
 * target values and more classes than rows before any model runs.
 *
 * The life of a model:
 *	check(m)               parameters beyond the schema (optional)
 *	fit(m, X, y, ctx)      learn; deterministic for a given seed;
 *	                       poll ctx->cancel between units of work (an
 *	                       iteration, a tree) and report progress
 *	predict(m, X, out)     out[r]: class index (classify), value
 *	                       (regress) or cluster number (cluster)
 *	predict_proba(m, X, P) P[r * nclasses + k]; NULL when undefined
 *	importances(m, w)      one number per feature; NULL when undefined
 *	inertia(m, X)          clustering only: squared distances to the
 *	                       nearest centre, summed over X's rows
 *	describe, save, load, free   as for steps
 * predict and predict_proba never change the model and may be called
 * from several threads at once on different rows.
 */
#ifndef LATHE_MODEL_H
#define LATHE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/params.h"
#include "core/state.h"
#include "core/strbuf.h"
#include "core/table.h"

enum model_task {
	TASK_CLASSIFY = 1,
	TASK_REGRESS = 2,
	TASK_CLUSTER = 4,
};

enum fcol_kind {
	FC_NUM,
	FC_IND,
	FC_CAT,
};

struct fcol {
	const char	*name;
	enum fcol_kind	 kind;
	const double	*num;		/* FC_NUM */
	const int32_t	*idx;		/* FC_IND: value 1 where idx[r] == code */
	int32_t		 code;
	const int32_t	*codes;		/* FC_CAT: -1 is missing */
	size_t		 ncats;		/* FC_CAT: codes are < ncats */
	const struct dict *dict;	/* FC_CAT: code -> string */
	size_t		 group;		/* FC_IND: index into fmat.groups */
};

/* The indicator columns sharing one idx array. */
struct fgroup {
	const int32_t	*idx;
	int32_t		 ncodes;	/* feat has this many entries */
	int32_t		*feat;		/* code -> feature index, or -1 */
};

struct fmat {
	size_t		 n;		/* rows */
	size_t		 p;		/* features */
	struct fcol	*cols;
	size_t		 ngroups;
	struct fgroup	*groups;
};

static inline double
fmat_get(const struct fmat *X, size_t r, size_t j)
{
	const struct fcol *c = &X->cols[j];

	switch (c->kind) {
	case FC_NUM:
		return c->num[r];
	case FC_IND:
		return (double)(c->idx[r] == c->code);
	default:
		return c->codes[r] < 0 ? __builtin_nan("") :
		    (double)c->codes[r];
	}
}

/*
 * The features of t: every column but EXCLUDE (the target; may be
 * NULL), in table order.  Numbers, booleans and indicator columns are
 * features; dates and datetimes count as numbers (days / seconds);
 * categorical columns become FC_CAT; a text column is an error naming it
 * ("drop it or encode it").  X borrows t's arrays: t must outlive it.
 */
int		 fmat_from_table(struct fmat *X, const struct table *t,
		    const char *exclude, struct err *);
void		 fmat_release(struct fmat *);
/*
 * A model that needs plain numbers calls this first: a FC_CAT column
 * is an error "column 'c' is categorical: encode it before the model
 * (step onehot columns=c, or step ordinal)", and, unless allow_missing,
 * a missing value is an error "column 'c' has missing values (row R):
 * add 'step impute' before the model".  WHAT names the model.
 */
int		 fmat_check_numeric(const struct fmat *, int allow_missing,
		    const char *what, struct err *);
/*
 * A dense row-major copy of the given rows (all rows when rows is NULL):
 * out[i * p + j] = X[rows[i]][j].  The caller frees it.
 */
double		*fmat_dense(const struct fmat *, const size_t *rows,
		    size_t nrows);
/* Same, as floats (for XGBoost). */
float		*fmat_dense_float(const struct fmat *, const size_t *rows,
		    size_t nrows);

/*
 * Linear algebra over the features, for rows [from, to):
 *	fmat_xw   out[r - from] = b + sum_j w[j] * X[r][j]
 *	fmat_xtr  g[j] += sum_r X[r][j] * res[r - from]
 * Dense columns are read straight through; indicator groups cost one
 * lookup per row.  No missing values (fmat_check_numeric first).
 */
void		 fmat_xw(const struct fmat *, const double *w, double b,
		    size_t from, size_t to, double *out);
void		 fmat_xtr(const struct fmat *, const double *res,
		    size_t from, size_t to, double *g);

/* numpy's pairwise sum of a[0..n): bit-identical to np.sum on a row. */
double		 pairwise_sum(const double *a, size_t n);
/* Mean of x[0..n), n > 0: a sum and a correcting pass; exact when x is
 * constant. */
double		 mean_corrected(const double *x, size_t n);

struct target {
	size_t		 n;
	enum model_task	 task;
	double		*y;		/* TASK_REGRESS: n values */
	int32_t		*cls;		/* TASK_CLASSIFY: class index per row */
	size_t		 nclasses;
	char		**classes;	/* labels in byte order */
};

/* What fit may use beyond the data. */
struct model_ctx {
	int		 threads;	/* cores to use, >= 1 */
	volatile int	*cancel;	/* non-NULL and non-zero: stop, return
					 * -1 with ERR_CANCEL */
	void		(*progress)(void *arg, double done);	/* 0..1 */
	void		*arg;
};

/* Poll for cancellation: 1 when the caller asked to stop. */
static inline int
model_cancelled(const struct model_ctx *ctx)
{
	return ctx != NULL && ctx->cancel != NULL && *ctx->cancel;
}

static inline void
model_progress(const struct model_ctx *ctx, double done)
{
	if (ctx != NULL && ctx->progress != NULL)
		ctx->progress(ctx->arg, done);
}

struct model;

struct model_ops {
	const char	*name;
	const char	*summary;	/* one line for help */
	enum model_task	 task;		/* what it does */
	int		 accepts_cat;	/* can take FC_CAT features */
	const struct param_def *params;	/* NULL-terminated schema */
	int		(*check)(struct model *, struct err *);
	int		(*fit)(struct model *, const struct fmat *,
			    const struct target *, const struct model_ctx *,
			    struct err *);
	int		(*predict)(const struct model *, const struct fmat *,
			    double *out, struct err *);
	int		(*predict_proba)(const struct model *,
			    const struct fmat *, double *proba, struct err *);
	/* Fills out[p]; returns what the numbers are ("importance",
	 * "coefficient"). */
	const char	*(*importances)(const struct model *, double *out);
	/* Clustering: sum of squared distances of X's rows to their
	 * nearest centre.  NULL elsewhere. */
	double		(*inertia)(const struct model *, const struct fmat *);
	void		(*describe)(const struct model *, struct strbuf *);
	void		(*save)(const struct model *, struct strbuf *);
	int		(*load)(struct model *, const struct state *,
			    struct err *);
	void		(*free)(struct model *);
};

struct model {
	const struct model_ops *ops;
	struct params	 params;
	void		*state;		/* owned by the model type */
	int		 fitted;
	int		 line;		/* spec line, for messages */
	/* Kept by model.c (set by model_fit, saved, loaded): */
	size_t		 nfeat;
	char		**feat;		/* feature names at fit */
	size_t		 nclasses;
	char		**classes;	/* TASK_CLASSIFY labels */
};

/* Registry (model-registry.c): NULL-terminated. */
extern const struct model_ops *const model_table[];
/* The model type NAME (exact); NULL with "unknown model 'x' (did you
 * mean 'y'?)". */
const struct model_ops *model_find(const char *name, struct err *);

struct model	*model_new(const struct model_ops *);
void		 model_free(struct model *);
/* Check X against what a fitted model was trained on (names, order). */
int		 model_check_features(const struct model *,
		    const struct fmat *, struct err *);
/*
 * Fit: records feature names and class labels, then calls ops->fit.
 * y->task must be the model's task (TASK_CLUSTER: y may be NULL).
 */
int		 model_fit(struct model *, const struct fmat *,
		    const struct target *, const struct model_ctx *,
		    struct err *);
/* Whole fitted state: features, classes, then the type's own lines. */
void		 model_save(const struct model *, struct strbuf *);
int		 model_load(struct model *, const struct state *,
		    struct err *);

/*
 * The target column of t as a struct target for TASK: labels are the
 * cells' text (column_format), sorted bytewise; a missing value, a
 * constant target or more classes than rows is an ERR_DATA error.  The
 * arrays are owned by the target: target_release frees them.
 */
int		 target_from_column(struct target *, const struct column *,
		    size_t nrows, enum model_task, struct err *);
void		 target_release(struct target *);
/*
 * Class weights for class_weight=HOW: "balanced" gives class k the
 * weight n / (classes * rows of k), as scikit-learn; anything else NULL
 * (no weights).  The caller frees the array.
 */
double		*target_class_weights(const char *how, const struct target *);

#endif

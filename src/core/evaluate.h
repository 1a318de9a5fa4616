/*
 * evaluate.h - training a pipeline's model: the evaluation (holdout,
 * k-fold cross-validation, folds from a column or a file), the grid
 * search, the baseline, and the final fit on all rows.
 *
 * For every split the whole chain (steps and model) is fitted on the
 * training rows only and applied to the held-out rows, so nothing the
 * model is scored on leaks into what it learned.  The numbers come from
 * the held-out rows only; the pipeline left behind is fitted on every
 * row.  A baseline (the most frequent training class, or the training
 * mean) is scored on the same splits.
 */
#ifndef LATHE_EVALUATE_H
#define LATHE_EVALUATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/metrics.h"
#include "core/model.h"
#include "core/pipeline.h"
#include "core/strbuf.h"
#include "core/table.h"

/* One split's numbers. */
struct fold_result {
	size_t		 ntrain, ntest;
	double		*value;		/* per metric (NaN: n/a) */
	double		*base;		/* the baseline's, per metric */
	double		 seconds;	/* all of this split */
	double		 fit_seconds;	/* fitting the chain and the model */
};

/* One combination of a grid search. */
struct grid_point {
	char		*params;	/* "C=0.1 penalty=l2" */
	double		*mean;		/* per metric */
	double		*std;
};

struct eval_report {
	enum model_task	 task;
	char		*model;		/* model type name */
	char		*method;	/* "5-fold cross-validation", ... */
	size_t		 nclasses;	/* classification */
	char		**classes;
	size_t		 pos;		/* positive class index (binary) */
	size_t		 nmetrics;
	const struct metric_def **metrics;
	size_t		 nfolds;
	struct fold_result *folds;
	double		*mean, *std;	/* per metric over folds */
	double		*base_mean, *base_std;
	size_t		*confusion;	/* k x k, summed over the folds */
	/*
	 * Held-out predictions of every scored row, in data order (a row
	 * scored in no split has row_fold -1): for the plots and for
	 * opening misclassified rows.
	 */
	size_t		 n;
	int32_t		*row_fold;
	int32_t		*y_cls, *pred_cls;	/* classification */
	double		*proba;			/* n x k, or NULL */
	double		*y_num, *pred_num;	/* regression */
	/* Grid search (ngrid 0: none); best is the chosen index. */
	size_t		 ngrid;
	struct grid_point *grid;
	size_t		 best;
	const char	*search_metric;
	/* The final model, fitted on all rows. */
	size_t		 nfeat;
	char		**feat;
	double		*importance;	/* NULL when the model has none */
	const char	*importance_kind;
	char		*final_describe;
	double		 fit_seconds;	/* the final fit */
	double		 seconds;	/* everything */
	size_t		 rows;		/* rows of the data */
};

/*
 * Run the pipeline's evaluation and grid search (when the spec has
 * them), then fit the whole pipeline on all of t and leave it fitted in
 * p; t is transformed in place by that final fit (it ends as the data
 * the model was fitted on).  A folds=COLUMN column is removed from t
 * first.  With no model only the final fit happens (rep->nmetrics 0).
 * A clustering model with no evaluate line is scored on the data it
 * was fitted on.  ctx gives threads, progress (0..1 over the whole job)
 * and cancellation (ERR_CANCEL).
 */
int		 evaluate_run(struct pipeline *p, struct table *t,
		    const struct model_ctx *ctx, struct eval_report *rep,
		    struct err *);
void		 eval_report_free(struct eval_report *);

/*
 * The report as a readable table, as JSON, and as TSV lines
 * "metric<TAB>split<TAB>value" (split: 0-based split number, mean, std,
 * baseline), with "confusion<TAB>split<TAB>r,r;r,r" lines (rows: true
 * class) for a classifier.  Numbers in shortest round-trip form; n/a
 * is "nan".
 */
void		 eval_report_text(const struct eval_report *, struct strbuf *);
void		 eval_report_json(const struct eval_report *, struct strbuf *);
void		 eval_report_tsv(const struct eval_report *, struct strbuf *);
/* The mean of metric NAME, or NaN when not reported. */
double		 eval_report_metric(const struct eval_report *,
		    const char *name);

#endif

/*
 * metrics.h - evaluation metrics, defined as scikit-learn defines them
 * (../shared/data/README.md, "Metrics").
 *
 * Classification works on class indices 0..k-1 (labels in byte order);
 * a binary metric (precision, recall, f1, roc_auc with k == 2) is about
 * the positive class POS.  Probabilities are row-major n x k.
 * Regression works on doubles.  Clustering on cluster numbers.
 *
 * An undefined value (ROC AUC of a fold lacking a class, R2 of a
 * constant fold) is NaN; the report prints "n/a".  MAPE follows
 * scikit-learn: a zero target divides by eps = 2^-52, not by zero.
 * The exact definitions, and where they differ from scikit-learn, are
 * at the top of metrics.c.
 */
#ifndef LATHE_METRICS_H
#define LATHE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/model.h"

/* Everything a metric may need about one set of predictions. */
struct pred_set {
	size_t		 n;
	size_t		 k;		/* classes (classification) */
	size_t		 pos;		/* positive class index (k == 2) */
	const int32_t	*y_cls;		/* true class per row */
	const int32_t	*pred_cls;	/* predicted class per row */
	const double	*proba;		/* n x k, or NULL (no probabilities) */
	const double	*y_num;		/* true value (regression) */
	const double	*pred_num;	/* predicted value (regression) */
	/* clustering */
	const int32_t	*cluster;	/* assigned cluster per row */
	size_t		 nclusters;
	const double	*X;		/* n x p dense row-major, for
					 * silhouette; may be NULL */
	size_t		 p;
	double		 inertia;	/* from the model (NaN: unknown) */
	const int32_t	*labels;	/* true labels for the adjusted Rand
					 * index, or NULL */
};

struct metric_def {
	const char	*name;
	enum model_task	 task;
	int		 higher_is_better;
	int		 needs_proba;	/* roc_auc, log_loss */
	const char	*help;		/* one line */
	double		(*fn)(const struct pred_set *);
};

/* NULL-terminated by a row with name NULL. */
extern const struct metric_def metric_table[];
/*
 * The metric NAME for TASK; NULL with ERR_SPEC "unknown metric 'x'
 * (did you mean 'y'?)" or "metric 'rmse' is for regression models".
 */
const struct metric_def *metric_find(const char *name, enum model_task,
		    struct err *);
/* The metrics reported when the spec names none. */
const char	*metric_defaults(enum model_task, size_t nclasses);

/* Rows the "silhouette" metric uses at most (a seeded sample beyond). */
#define METRIC_SILHOUETTE_ROWS	10000

/* The building blocks (also used by the workbench). */
/* cm[t * k + p]: rows true class, columns predicted class. */
void		 metric_confusion(const int32_t *y, const int32_t *pred,
		    size_t n, size_t k, size_t *cm);
/*
 * AUC of score for "y == pos" (ties count one half); NaN when either
 * side is empty or a score is NaN.
 */
double		 metric_auc(const int32_t *y, const double *score, size_t n,
		    int32_t pos);
/*
 * ROC curve points for "y == pos": fpr[i], tpr[i] for i < returned
 * count (at most n + 1 points, starting at 0,0); the caller gives
 * arrays of n + 1.  A coordinate is NaN when its side is empty (all
 * rows positive or all negative); 0 points when a score is NaN.
 */
size_t		 metric_roc_curve(const int32_t *y, const double *score,
		    size_t n, int32_t pos, double *fpr, double *tpr);
double		 metric_ari(const int32_t *a, const int32_t *b, size_t n);
/*
 * Mean silhouette coefficient (Euclidean).  O(n^2): over more than
 * max_rows rows it uses a fixed sample of max_rows rows (seeded);
 * max_rows 0 is no limit.  Labels outside 0..k-1 (-1, noise) count as
 * one more cluster.  NaN unless 2 <= clusters present < rows used.
 */
double		 metric_silhouette(const double *X, size_t n, size_t p,
		    const int32_t *lab, size_t k, size_t max_rows,
		    uint64_t seed);

#endif

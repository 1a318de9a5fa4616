/*
 * cart.h - CART decision trees and forests of them, grown as
 * scikit-learn 1.2.1's DecisionTree* / RandomForest* grow them; shared
 * by model-tree.c and model-forest.c.
 *
 * A tree is grown depth first from the root.  At a node of n samples
 * (distinct rows: a row drawn twice by a bootstrap counts once, with
 * weight 2, as in scikit-learn), total weight w and impurity i, the
 * features are drawn at random without replacement until max_features
 * of them have been looked at (and at least one of those was not
 * constant in the node); for each one every threshold between two
 * consecutive values present in the node is scored, and the best
 * (feature, threshold) over them all is kept (ties: the first found).
 * Thresholds lie midway between the two values (a/2 + b/2; a when that
 * rounds up to b).  A node is a leaf when its depth is max_depth,
 * n < min_samples_split, n < 2 min_samples_leaf, i <= DBL_EPSILON, no
 * split leaves min_samples_leaf samples on each side, or the best
 * split's improvement
 *	(w / W) * (i - w_l / w * i_l - w_r / w * i_r)
 * plus DBL_EPSILON is below min_impurity_decrease (W: the root's
 * weight).  Impurities: gini 1 - sum_k p_k^2, entropy -sum_k p_k log2
 * p_k (p_k the weighted class fractions), squared error the weighted
 * variance of y.  A classifier leaf holds its weighted class fractions,
 * a regressor leaf the weighted mean of y.
 *
 * Features are binned once per fit: a feature with at most max_bins
 * distinct values gets one bin per value, so its thresholds are
 * scikit-learn's; one with more gets max_bins bins of about equal counts
 * (each value in a single bin), and splits fall between bins only.
 * Indicator columns (one-hot output) are read straight from their
 * shared idx array, never binned.
 *
 * A forest grows n_trees trees, each on a bootstrap sample (max_samples
 * draws with replacement; a row's draw count is its weight) drawn from
 * its own stream rng_seed_stream(seed, tree), so the result does not
 * depend on the number of threads.  Predictions are averaged over the
 * trees (class fractions, or values).  Importances are the weighted
 * impurity decreases per feature, normalised to sum to 1 per tree, then
 * averaged over the trees that split at all and normalised again.
 *
 * Where the result differs from scikit-learn's: it draws other random
 * numbers (so bootstrap samples, and the choice between equally good
 * splits, differ); it splits the doubles as they are, where
 * scikit-learn first rounds X to float32 (its thresholds are midpoints
 * of float32 values) and treats values within 1e-7 as equal; features
 * with more than max_bins distinct values split between bins only;
 * min_samples_split and min_samples_leaf are counts only (scikit-learn
 * also takes fractions) and max_features is all, sqrt, log2 or a
 * fraction (not a count).
 */
#ifndef LATHE_CART_H
#define LATHE_CART_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/model.h"
#include "core/state.h"
#include "core/strbuf.h"

/*
 * Nodes in depth-first order: the root is 0 and the left child of node
 * i is node i + 1.
 */
struct cart_node {
	double		 thr;		/* go left when x[feat] <= thr */
	int32_t		 feat;		/* -1: a leaf */
	int32_t		 right;		/* the right child; a leaf: its row
					 * of value */
};

struct cart_tree {
	size_t		 nnodes, nleaves;
	struct cart_node *node;
	double		*value;		/* nleaves x nout */
};

struct cart_forest {
	size_t		 p;		/* features */
	size_t		 nout;		/* classes, or 1 for regression */
	size_t		 ntrees;
	struct cart_tree *tree;
	double		*importance;	/* p, summing to 1 (or all 0) */
};

enum cart_crit {
	CART_GINI,
	CART_ENTROPY,
	CART_MSE,
};

struct cart_opts {
	enum cart_crit	 crit;
	size_t		 ntrees;	/* 0: one tree, not a forest */
	int		 bootstrap;
	double		 max_samples;	/* 0: n; (0, 1]: fraction; > 1: count */
	size_t		 max_depth;	/* 0: unlimited */
	size_t		 min_split;	/* >= 2 */
	size_t		 min_leaf;	/* >= 1 */
	double		 min_decrease;
	const char	*max_features;	/* all, sqrt, log2, a fraction */
	size_t		 max_bins;	/* 2..65536 */
	uint64_t	 seed;
	const char	*what;		/* "model 'forest_classifier'" */
};

/*
 * The number of features to draw per node for max_features S and P
 * features (P = 0: only check S).  -1 with ERR_SPEC naming WHAT on a
 * bad S.
 */
int	 cart_max_features(const char *s, size_t p, size_t *out,
	    const char *what, struct err *);
/* Check max_samples (0, a fraction in (0, 1], or a whole count). */
int	 cart_check_max_samples(double, const char *what, struct err *);
/*
 * The options every tree and forest model has, from their parameters
 * (criterion, max_depth, min_samples_split, min_samples_leaf,
 * max_features, min_impurity_decrease, max_bins, seed).
 */
void	 cart_opts_params(struct cart_opts *, const struct params *,
	    enum model_task, const char *what);
/*
 * Grow f on X (numbers and indicators, no missing values) and y (class
 * indices for gini / entropy, values for squared error).
 */
int	 cart_fit(struct cart_forest *f, const struct cart_opts *,
	    const struct fmat *X, const struct target *y,
	    const struct model_ctx *, struct err *);
/*
 * Rows [from, to) of X: out[(r - from) * nout + k], the mean over the
 * trees of the leaf values.  X has f's features (not checked here).
 */
void	 cart_predict(const struct cart_forest *, const struct fmat *X,
	    size_t from, size_t to, double *out);
/* Classification: out[r] = the class of highest mean fraction. */
void	 cart_predict_class(const struct cart_forest *,
	    const struct fmat *X, double *out);
void	 cart_release(struct cart_forest *);
/* Greatest depth of a tree (a lone leaf: 0). */
size_t	 cart_depth(const struct cart_tree *);
/* "N trees, M nodes, L leaves, depth D" */
void	 cart_describe(const struct cart_forest *, struct strbuf *);
void	 cart_save(const struct cart_forest *, struct strbuf *);
/* Load what cart_save wrote, for P features and NOUT outputs. */
int	 cart_load(struct cart_forest *, const struct state *, size_t p,
	    size_t nout, struct err *);

/*
 * The model glue that model-tree.c and model-forest.c share: m->state
 * is a struct cart_forest.  cart_model_set replaces it; cart_model_load
 * with one_tree refuses a state of more than one tree.
 */
void	 cart_model_set(struct model *, struct cart_forest *);
void	 cart_model_free(struct model *);
int	 cart_model_predict(const struct model *, const struct fmat *,
	    double *, struct err *);
int	 cart_model_predict_proba(const struct model *, const struct fmat *,
	    double *, struct err *);
const char *cart_model_importances(const struct model *, double *);
void	 cart_model_describe(const struct model *, struct strbuf *);
void	 cart_model_save(const struct model *, struct strbuf *);
int	 cart_model_load(struct model *, const struct state *, int one_tree,
	    struct err *);

#endif

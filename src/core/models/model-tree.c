/*
 * model-tree.c - CART decision trees: "tree_classifier" as
 * scikit-learn 1.2.1's DecisionTreeClassifier (criterion gini or
 * entropy) and "tree_regressor" as its DecisionTreeRegressor (squared
 * error), grown by cart.c (cart.h gives the definitions).
 *
 * Parameters and defaults are scikit-learn's (max_depth=0 for None),
 * plus max_bins: a feature with at most max_bins distinct values
 * (default 65536) is split exactly as scikit-learn would; beyond that,
 * between quantile bins.  The seed orders the features tried at each
 * node, which decides between equally good splits (scikit-learn's
 * random_state does the same, with other random numbers).
 */
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/models/cart.h"
#include "core/xmalloc.h"

#define TREE_COMMON_PARAMS						\
	{ "max_depth", PT_INT, "0", NULL, 0, 1e9,			\
	  "greatest depth of the tree (0: unlimited)" },		\
	{ "min_samples_split", PT_INT, "2", NULL, 2, 1e9,		\
	  "fewest samples a node needs to be split" },			\
	{ "min_samples_leaf", PT_INT, "1", NULL, 1, 1e9,		\
	  "fewest samples on each side of a split" },			\
	{ "max_features", PT_STR, "all", NULL, 0, 0,			\
	  "features tried per split: all, sqrt, log2 or a fraction" },	\
	{ "min_impurity_decrease", PT_NUM, "0", NULL, 0, 1e300,	\
	  "split only when the weighted impurity falls this much" },	\
	{ "max_bins", PT_INT, "65536", NULL, 2, 65536,			\
	  "bins per feature; more distinct values: quantile bins" },	\
	{ "seed", PT_INT, "0", NULL, 0, 0,				\
	  "random seed (order of the features tried)" }

static const struct param_def treec_params[] = {
	{ "criterion", PT_ENUM, "gini", "gini|entropy", 0, 0,
	  "impurity: gini or entropy" },
	TREE_COMMON_PARAMS,
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

static const struct param_def treer_params[] = {
	{ "criterion", PT_ENUM, "squared_error", "squared_error", 0, 0,
	  "impurity: squared error (the variance of y)" },
	TREE_COMMON_PARAMS,
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

static const char *
tree_what(const struct model *m)
{
	return m->ops->task == TASK_CLASSIFY ? "model 'tree_classifier'" :
	    "model 'tree_regressor'";
}


static int
tree_check(struct model *m, struct err *e)
{
	return cart_max_features(params_str(&m->params, "max_features"), 0,
	    NULL, tree_what(m), e);
}

static int
tree_fit(struct model *m, const struct fmat *X, const struct target *y,
    const struct model_ctx *ctx, struct err *e)
{
	struct cart_forest *f = xcalloc(1, sizeof *f);
	struct cart_opts o;

	cart_opts_params(&o, &m->params, m->ops->task, tree_what(m));
	o.ntrees = 0;
	o.bootstrap = 0;
	if (cart_fit(f, &o, X, y, ctx, e) != 0) {
		free(f);
		return -1;
	}
	cart_model_set(m, f);
	return 0;
}







static int
tree_load(struct model *m, const struct state *st, struct err *e)
{
	return cart_model_load(m, st, 1, e);
}

const struct model_ops model_tree_classifier_ops = {
	.name = "tree_classifier",
	.summary = "CART decision tree classifier (gini or entropy)",
	.task = TASK_CLASSIFY,
	.accepts_cat = 0,
	.params = treec_params,
	.check = tree_check,
	.fit = tree_fit,
	.predict = cart_model_predict,
	.predict_proba = cart_model_predict_proba,
	.importances = cart_model_importances,
	.describe = cart_model_describe,
	.save = cart_model_save,
	.load = tree_load,
	.free = cart_model_free,
};

const struct model_ops model_tree_regressor_ops = {
	.name = "tree_regressor",
	.summary = "CART decision tree regressor (squared error)",
	.task = TASK_REGRESS,
	.accepts_cat = 0,
	.params = treer_params,
	.check = tree_check,
	.fit = tree_fit,
	.predict = cart_model_predict,
	.importances = cart_model_importances,
	.describe = cart_model_describe,
	.save = cart_model_save,
	.load = tree_load,
	.free = cart_model_free,
};

/*
 * model-forest.c - random forests of CART trees: "forest_classifier" as
 * scikit-learn 1.2.1's RandomForestClassifier (criterion gini or
 * entropy, max_features sqrt) and "forest_regressor" as its
 * RandomForestRegressor (squared error, all features), grown by cart.c
 * (cart.h gives the definitions).
 *
 * n_trees trees, each grown to full depth (by default) on a bootstrap
 * sample of max_samples draws with replacement from its own random
 * stream, trying max_features random features per node.  predict_proba
 * is the mean over the trees of the leaf class fractions and predict
 * its most probable class; a regressor predicts the mean of the trees.
 * Importances: the trees' normalised impurity decreases, averaged and
 * normalised again.  Trees are grown on ctx->threads threads with the
 * same result for any number of them.
 *
 * Numeric features are binned once per fit into max_bins (default 256)
 * bins: exact scikit-learn thresholds for features with at most that
 * many distinct values, thresholds between quantile bins otherwise.
 */
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/models/cart.h"
#include "core/xmalloc.h"

#define FOREST_HEAD_PARAMS						\
	{ "n_trees", PT_INT, "100", NULL, 1, 1e6,			\
	  "number of trees" },						\
	{ "bootstrap", PT_BOOL, "true", NULL, 0, 0,			\
	  "grow each tree on a bootstrap sample (else on all rows)" },	\
	{ "max_samples", PT_NUM, "0", NULL, 0, 1e15,			\
	  "draws per bootstrap: 0 (as many as rows), a fraction, "	\
	  "a count" }

#define FOREST_TAIL_PARAMS						\
	{ "max_depth", PT_INT, "0", NULL, 0, 1e9,			\
	  "greatest depth of a tree (0: unlimited)" },			\
	{ "min_samples_split", PT_INT, "2", NULL, 2, 1e9,		\
	  "fewest samples a node needs to be split" },			\
	{ "min_samples_leaf", PT_INT, "1", NULL, 1, 1e9,		\
	  "fewest samples on each side of a split" },			\
	{ "min_impurity_decrease", PT_NUM, "0", NULL, 0, 1e300,	\
	  "split only when the weighted impurity falls this much" },	\
	{ "max_bins", PT_INT, "256", NULL, 2, 65536,			\
	  "bins per feature; more distinct values: quantile bins" },	\
	{ "seed", PT_INT, "0", NULL, 0, 0,				\
	  "random seed (bootstrap samples, features tried)" }

static const struct param_def forestc_params[] = {
	{ "criterion", PT_ENUM, "gini", "gini|entropy", 0, 0,
	  "impurity: gini or entropy" },
	FOREST_HEAD_PARAMS,
	{ "max_features", PT_STR, "sqrt", NULL, 0, 0,
	  "features tried per split: all, sqrt, log2 or a fraction" },
	FOREST_TAIL_PARAMS,
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

static const struct param_def forestr_params[] = {
	{ "criterion", PT_ENUM, "squared_error", "squared_error", 0, 0,
	  "impurity: squared error (the variance of y)" },
	FOREST_HEAD_PARAMS,
	{ "max_features", PT_STR, "all", NULL, 0, 0,
	  "features tried per split: all, sqrt, log2 or a fraction" },
	FOREST_TAIL_PARAMS,
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

static const char *
forest_what(const struct model *m)
{
	return m->ops->task == TASK_CLASSIFY ? "model 'forest_classifier'" :
	    "model 'forest_regressor'";
}


static int
forest_check(struct model *m, struct err *e)
{
	if (cart_max_features(params_str(&m->params, "max_features"), 0,
	    NULL, forest_what(m), e) != 0 ||
	    cart_check_max_samples(params_num(&m->params, "max_samples"),
	    forest_what(m), e) != 0)
		return -1;
	if (!params_bool(&m->params, "bootstrap") &&
	    params_num(&m->params, "max_samples") != 0)
		return err_set(e, ERR_SPEC, "%s: max_samples needs "
		    "bootstrap=true", forest_what(m));
	return 0;
}

static int
forest_fit(struct model *m, const struct fmat *X, const struct target *y,
    const struct model_ctx *ctx, struct err *e)
{
	struct cart_forest *f = xcalloc(1, sizeof *f);
	struct cart_opts o;

	cart_opts_params(&o, &m->params, m->ops->task, forest_what(m));
	o.ntrees = (size_t)params_int(&m->params, "n_trees");
	o.bootstrap = params_bool(&m->params, "bootstrap");
	o.max_samples = params_num(&m->params, "max_samples");
	if (cart_fit(f, &o, X, y, ctx, e) != 0) {
		free(f);
		return -1;
	}
	cart_model_set(m, f);
	return 0;
}







static int
forest_load(struct model *m, const struct state *st, struct err *e)
{
	return cart_model_load(m, st, 0, e);
}

const struct model_ops model_forest_classifier_ops = {
	.name = "forest_classifier",
	.summary = "random forest of CART trees, classification",
	.task = TASK_CLASSIFY,
	.accepts_cat = 0,
	.params = forestc_params,
	.check = forest_check,
	.fit = forest_fit,
	.predict = cart_model_predict,
	.predict_proba = cart_model_predict_proba,
	.importances = cart_model_importances,
	.describe = cart_model_describe,
	.save = cart_model_save,
	.load = forest_load,
	.free = cart_model_free,
};

const struct model_ops model_forest_regressor_ops = {
	.name = "forest_regressor",
	.summary = "random forest of CART trees, regression",
	.task = TASK_REGRESS,
	.accepts_cat = 0,
	.params = forestr_params,
	.check = forest_check,
	.fit = forest_fit,
	.predict = cart_model_predict,
	.importances = cart_model_importances,
	.describe = cart_model_describe,
	.save = cart_model_save,
	.load = forest_load,
	.free = cart_model_free,
};

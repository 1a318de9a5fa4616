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

static void
tree_free(struct model *m)
{
	struct cart_forest *f = m->state;

	if (f == NULL)
		return;
	cart_release(f);
	free(f);
	m->state = NULL;
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
	tree_free(m);
	m->state = f;
	return 0;
}

static int
tree_predict(const struct model *m, const struct fmat *X, double *out,
    struct err *e)
{
	const struct cart_forest *f = m->state;

	if (model_check_features(m, X, e) != 0 ||
	    fmat_check_numeric(X, 0, tree_what(m), e) != 0)
		return -1;
	if (m->ops->task == TASK_CLASSIFY)
		cart_predict_class(f, X, out);
	else
		cart_predict(f, X, 0, X->n, out);
	return 0;
}

static int
tree_predict_proba(const struct model *m, const struct fmat *X,
    double *proba, struct err *e)
{
	const struct cart_forest *f = m->state;

	if (model_check_features(m, X, e) != 0 ||
	    fmat_check_numeric(X, 0, tree_what(m), e) != 0)
		return -1;
	cart_predict(f, X, 0, X->n, proba);
	return 0;
}

static const char *
tree_importances(const struct model *m, double *out)
{
	const struct cart_forest *f = m->state;

	memcpy(out, f->importance, f->p * sizeof *out);
	return "importance";
}

static void
tree_describe(const struct model *m, struct strbuf *sb)
{
	struct strbuf pw = STRBUF_INIT;

	strbuf_addstr(sb, m->ops->name);
	if (m->params.schema != NULL)
		params_write(&m->params, &pw);
	if (pw.len > 0)
		strbuf_addf(sb, " %s", strbuf_str(&pw));
	strbuf_release(&pw);
	if (m->state != NULL) {
		strbuf_addstr(sb, ": ");
		cart_describe(m->state, sb);
	}
}

static void
tree_save(const struct model *m, struct strbuf *sb)
{
	cart_save(m->state, sb);
}

static int
tree_load(struct model *m, const struct state *st, struct err *e)
{
	struct cart_forest *f = xcalloc(1, sizeof *f);

	if (cart_load(f, st, m->nfeat, m->ops->task == TASK_CLASSIFY ?
	    m->nclasses : 1, e) != 0) {
		free(f);
		return -1;
	}
	if (f->ntrees != 1) {
		cart_release(f);
		free(f);
		return err_set(e, ERR_DATA, "%s: a tree model holds one tree",
		    st->what);
	}
	tree_free(m);
	m->state = f;
	return 0;
}

const struct model_ops model_tree_classifier_ops = {
	.name = "tree_classifier",
	.summary = "CART decision tree classifier (gini or entropy)",
	.task = TASK_CLASSIFY,
	.accepts_cat = 0,
	.params = treec_params,
	.check = tree_check,
	.fit = tree_fit,
	.predict = tree_predict,
	.predict_proba = tree_predict_proba,
	.importances = tree_importances,
	.describe = tree_describe,
	.save = tree_save,
	.load = tree_load,
	.free = tree_free,
};

const struct model_ops model_tree_regressor_ops = {
	.name = "tree_regressor",
	.summary = "CART decision tree regressor (squared error)",
	.task = TASK_REGRESS,
	.accepts_cat = 0,
	.params = treer_params,
	.check = tree_check,
	.fit = tree_fit,
	.predict = tree_predict,
	.importances = tree_importances,
	.describe = tree_describe,
	.save = tree_save,
	.load = tree_load,
	.free = tree_free,
};

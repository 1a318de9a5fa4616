/*
 * model-registry.c - every model type, one row each.  Adding a model is
 * one file in models/ and one row here (and its entry in
 * lathe-pipeline(5)).
 */
#include "core/model.h"

/* extern declarations: one per model */
extern const struct model_ops model_kmeans_ops;
extern const struct model_ops model_gaussian_nb_ops;
extern const struct model_ops model_categorical_nb_ops;
extern const struct model_ops model_knn_classifier_ops;
extern const struct model_ops model_knn_regressor_ops;
extern const struct model_ops model_xgboost_classifier_ops;
extern const struct model_ops model_xgboost_regressor_ops;
extern const struct model_ops model_logistic_ops;
extern const struct model_ops model_linear_svm_ops;
extern const struct model_ops model_tree_classifier_ops;
extern const struct model_ops model_tree_regressor_ops;
extern const struct model_ops model_forest_classifier_ops;
extern const struct model_ops model_forest_regressor_ops;
extern const struct model_ops model_linear_ops;
extern const struct model_ops model_ridge_ops;
extern const struct model_ops model_lasso_ops;
extern const struct model_ops model_elasticnet_ops;
/* end extern declarations */

const struct model_ops *const model_table[] = {
	/* rows: one per model */
	&model_kmeans_ops,
	&model_gaussian_nb_ops,
	&model_categorical_nb_ops,
	&model_knn_classifier_ops,
	&model_knn_regressor_ops,
	&model_xgboost_classifier_ops,
	&model_xgboost_regressor_ops,
	&model_logistic_ops,
	&model_linear_svm_ops,
	&model_tree_classifier_ops,
	&model_tree_regressor_ops,
	&model_forest_classifier_ops,
	&model_forest_regressor_ops,
	&model_linear_ops,
	&model_ridge_ops,
	&model_lasso_ops,
	&model_elasticnet_ops,
	/* end rows */
	NULL
};

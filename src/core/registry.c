/*
 * registry.c - every step type, one row each.  Adding a step is one file
 * in steps/ and one row here (and its entry in lathe-pipeline(5)).
 */
#include "core/step.h"

extern const struct step_ops step_impute_ops;
extern const struct step_ops step_scale_ops;
extern const struct step_ops step_sql_ops;

const struct step_ops *const step_table[] = {
	&step_impute_ops,
	&step_scale_ops,
	&step_sql_ops,
	NULL
};

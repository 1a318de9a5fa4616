/*
 * registry.c - every step type, one row each.  Adding a step is one file
 * in steps/ and one row here (and its entry in lathe-pipeline(5)).
 */
#include "core/step.h"

extern const struct step_ops step_select_ops;
extern const struct step_ops step_drop_ops;
extern const struct step_ops step_rename_ops;
extern const struct step_ops step_cast_ops;
extern const struct step_ops step_dedupe_ops;
extern const struct step_ops step_sample_ops;
extern const struct step_ops step_impute_ops;
extern const struct step_ops step_scale_ops;
extern const struct step_ops step_onehot_ops;
extern const struct step_ops step_ordinal_ops;
extern const struct step_ops step_sql_ops;
extern const struct step_ops step_filter_ops;
extern const struct step_ops step_derive_ops;
extern const struct step_ops step_log_ops;
extern const struct step_ops step_power_ops;
extern const struct step_ops step_clip_ops;
extern const struct step_ops step_bin_ops;
extern const struct step_ops step_dateparts_ops;
extern const struct step_ops step_pca_ops;

const struct step_ops *const step_table[] = {
	&step_select_ops,
	&step_drop_ops,
	&step_rename_ops,
	&step_cast_ops,
	&step_dedupe_ops,
	&step_sample_ops,
	&step_impute_ops,
	&step_scale_ops,
	&step_onehot_ops,
	&step_ordinal_ops,
	&step_sql_ops,
	&step_filter_ops,
	&step_derive_ops,
	&step_log_ops,
	&step_power_ops,
	&step_clip_ops,
	&step_bin_ops,
	&step_dateparts_ops,
	&step_pca_ops,
	NULL
};

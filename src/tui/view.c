/*
 * view.c - the screens, in the order of their number keys.  A screen is
 * one view-NAME.c file exporting a struct view_ops, and one row here.
 */
#include "tui/tui.h"

const struct view_ops *const view_table[VIEW__COUNT] = {
	&view_data_ops,
	&view_columns_ops,
	&view_pipeline_ops,
	&view_model_ops,
	&view_runs_ops,
	&view_spec_ops,
};

/*
 * cmd-steps.c - `lathe steps [TYPE]` and `lathe models [TYPE]`: the step
 * and model types and their parameters, read from the registries and
 * the parameter schemas (the same data the spec parser validates
 * against).
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/metrics.h"
#include "core/model.h"
#include "core/step.h"

static int cmd_steps(int, char **, struct globals *);
static int cmd_models(int, char **, struct globals *);

const struct cmd cmd_models_entry = {
	.name = "models",
	.args = "[TYPE]",
	.summary = "list the model types, or one type's parameters",
	.help =
"Without TYPE, list every model type with its task and a one-line\n"
"summary, and the metrics of each task.  With TYPE, list its parameters:\n"
"name, kind, default and meaning.  lathe-pipeline(5) describes each model\n"
"in full.\n",
	.exec = cmd_models,
};

const struct cmd cmd_steps_entry = {
	.name = "steps",
	.args = "[TYPE]",
	.summary = "list the transform step types, or one type's parameters",
	.help =
"Without TYPE, list every step type with a one-line summary.  With TYPE,\n"
"list its parameters: name, kind, default and meaning.  lathe-pipeline(5)\n"
"describes each step in full.\n",
	.exec = cmd_steps,
};

static const char *
kind(const struct param_def *d)
{
	switch (d->type) {
	case PT_BOOL: return "true|false";
	case PT_INT: return "integer";
	case PT_NUM: return "number";
	case PT_STR: return "text";
	case PT_ENUM: return d->choices;
	case PT_COLS: return "columns";
	case PT_COL: return "column";
	case PT_EXPR: return "expression";
	case PT_NUMS: return "numbers,...";
	case PT_STRS: return "words,...";
	}
	return "";
}

static void
print_params(const struct param_def *d)
{
	for (; d != NULL && d->name != NULL; d++)
		printf("  %-16s %-28s %s%s%s%s%s\n", d->name, kind(d), d->help,
		    d->def == NULL ? " (required)" : "",
		    d->def != NULL && d->def[0] != '\0' ? " [default: " : "",
		    d->def != NULL && d->def[0] != '\0' ? d->def : "",
		    d->def != NULL && d->def[0] != '\0' ? "]" : "");
}

static const char *
task_name(enum model_task t)
{
	return t == TASK_CLASSIFY ? "classification" : t == TASK_REGRESS ?
	    "regression" : "clustering";
}

static int
cmd_models(int argc, char **argv, struct globals *g)
{
	const struct model_ops *ops;
	struct err e;
	size_t i;
	int t;

	(void)g;
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0))
		return cmd_help(&cmd_models_entry);
	if (argc > 2)
		return cmd_usage(&cmd_models_entry, "one TYPE at most");
	if (argc == 1) {
		for (i = 0; model_table[i] != NULL; i++)
			printf("%-20s %-15s %s\n", model_table[i]->name,
			    task_name(model_table[i]->task),
			    model_table[i]->summary);
		for (t = TASK_CLASSIFY; t <= TASK_CLUSTER; t <<= 1) {
			printf("\nmetrics for %s:", task_name(t));
			for (i = 0; metric_table[i].name != NULL; i++)
				if (metric_table[i].task == (enum model_task)t)
					printf(" %s", metric_table[i].name);
			printf("\n");
		}
		return 0;
	}
	err_clear(&e);
	ops = model_find(argv[1], &e);
	if (ops == NULL)
		return cmd_error(&e);
	printf("model %s (%s): %s\n\n", ops->name, task_name(ops->task),
	    ops->summary);
	print_params(ops->params);
	return 0;
}

static int
cmd_steps(int argc, char **argv, struct globals *g)
{
	const struct step_ops *ops;
	struct err e;
	size_t i;

	(void)g;
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0))
		return cmd_help(&cmd_steps_entry);
	if (argc > 2)
		return cmd_usage(&cmd_steps_entry, "one TYPE at most");
	if (argc == 1) {
		for (i = 0; step_table[i] != NULL; i++)
			printf("%-10s %s\n", step_table[i]->name,
			    step_table[i]->summary);
		return 0;
	}
	err_clear(&e);
	ops = step_find(argv[1], &e);
	if (ops == NULL)
		return cmd_error(&e);
	printf("step %s: %s\n\n", ops->name, ops->summary);
	print_params(ops->params);
	return 0;
}

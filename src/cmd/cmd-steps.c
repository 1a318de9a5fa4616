/*
 * cmd-steps.c - `lathe steps [TYPE]`: the step types and their
 * parameters, read from the registry and the parameter schemas (the same
 * data the spec parser validates against).
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/step.h"

static int cmd_steps(int, char **, struct globals *);

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

static int
cmd_steps(int argc, char **argv, struct globals *g)
{
	const struct step_ops *ops;
	const struct param_def *d;
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
	for (d = ops->params; d->name != NULL; d++)
		printf("  %-16s %-28s %s%s%s%s%s\n", d->name, kind(d), d->help,
		    d->def == NULL ? " (required)" : "",
		    d->def != NULL && d->def[0] != '\0' ? " [default: " : "",
		    d->def != NULL && d->def[0] != '\0' ? d->def : "",
		    d->def != NULL && d->def[0] != '\0' ? "]" : "");
	return 0;
}

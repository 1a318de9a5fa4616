/*
 * cmd.h - the headless commands.  One file per verb (cmd-<verb>.c), one
 * row per verb in cmd.c's table.
 *
 * A command gets its own argv (argv[0] is the verb) and the global
 * options; it prints its results to stdout and its messages to stderr via
 * cmd_error(), and returns the exit status.
 */
#ifndef LATHE_CMD_H
#define LATHE_CMD_H

#include "core/err.h"
#include "core/load.h"

struct globals {
	const char	*workspace;	/* --workspace FILE, or NULL */
	int		 quiet;
};

struct cmd {
	const char	*name;
	const char	*args;		/* usage synopsis after the verb */
	const char	*summary;	/* one line for lathe --help */
	const char	*help;		/* the full text of COMMAND --help */
	int		(*exec)(int argc, char **argv, struct globals *);
};

extern const struct cmd *const cmd_table[];

const struct cmd *cmd_find(const char *name, struct err *);
/* Print "lathe: MESSAGE" and return the exit status for e's code. */
int		 cmd_error(const struct err *);
/* Exit status for an error code. */
int		 cmd_status(enum err_code);
/* "lathe VERB: usage: ..." on stderr; returns ERR_USAGE's status. */
int		 cmd_usage(const struct cmd *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/* Print a command's --help text to stdout; returns 0. */
int		 cmd_help(const struct cmd *);

/*
 * Options shared by the commands that load DATA: --delimiter, --header,
 * --no-header, --type, --na, --sample, --ragged, --table, --query,
 * --threads.  Returns 1 if argv[*i] was one (consuming its value), 0 if
 * not, -1 on a bad value (e filled).
 */
int		 cmd_load_option(int argc, char **argv, int *i,
		    struct load_opts *, struct err *);
/*
 * Load DATA for a command: a file, stdin, a SQLite table, or (opening the
 * workspace only then) a workspace dataset.  Reports rows changed by
 * --ragged on stderr.
 */
struct table	*cmd_load_data(const char *data, const struct load_opts *,
		    struct globals *, const char **kind, struct err *);
/* cmd_load_data, also returning the load report. */
struct table	*cmd_load_data_report(const char *data,
		    const struct load_opts *, struct globals *,
		    const char **kind, struct load_report *, struct err *);
/* Write t as CSV to path (atomically) or "-" (standard output). */
int		 cmd_write_table(const struct table *, const char *path,
		    struct err *);
/* Help text for those options, shared by the commands' --help. */
extern const char cmd_load_options_help[];

#endif

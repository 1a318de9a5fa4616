/*
 * err.h - error reporting for the core.
 *
 * Core functions never print and never exit: they return -1 (or NULL) and
 * fill a caller's struct err with a code and a message.  The command layer
 * prints the message and main() turns the code into the exit status.
 */
#ifndef LATHE_ERR_H
#define LATHE_ERR_H

enum err_code {
	ERR_OK = 0,
	ERR_FAIL = 1,		/* generic failure (e.g. a gate not met) */
	ERR_USAGE = 2,		/* bad command line */
	ERR_DATA = 3,		/* bad input data */
	ERR_SPEC = 4,		/* bad pipeline spec */
	ERR_IO = 5,		/* cannot read or write a file */
	ERR_CANCEL = 6,		/* the user stopped long work */
};

#define ERR_MSG_MAX 1024

struct err {
	enum err_code	code;
	int		col;		/* a spec column the error is about,
					 * or 0 (set by those who know it) */
	char		msg[ERR_MSG_MAX];
};

void	err_clear(struct err *);
int	err_set(struct err *, enum err_code, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* Prefix the existing message with "PREFIX: " (keeps the code). */
void	err_prefix(struct err *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif

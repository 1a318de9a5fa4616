/*
 * fileout.h - opening an output for writing so that nothing the user
 * has is lost: a regular file (or a new one) is written to a temporary
 * file beside it and renamed over it only when complete; "-" is
 * standard output; an existing device, fifo or socket (/dev/null, a
 * pipe) is written in place, never replaced.
 */
#ifndef LATHE_FILEOUT_H
#define LATHE_FILEOUT_H

#include <stdio.h>

#include "core/err.h"

struct fileout {
	FILE	*f;
	char	*path;			/* for messages and the rename */
	char	*tmp;			/* the temporary, or NULL */
};

int	fileout_open(struct fileout *, const char *path, struct err *);
/* Flush, sync and move into place; -1 with ERR_IO (the temporary gone). */
int	fileout_close(struct fileout *, struct err *);
/* Give up: remove the temporary. */
void	fileout_abort(struct fileout *);

#endif

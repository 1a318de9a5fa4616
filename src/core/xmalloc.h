/*
 * xmalloc.h - allocation that never returns NULL: on exhaustion the
 * process prints one line and aborts.  Nothing else checks allocations.
 */
#ifndef LATHE_XMALLOC_H
#define LATHE_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif

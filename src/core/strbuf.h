/*
 * strbuf.h - a growable, always NUL-terminated byte buffer.
 *
 * A zeroed struct strbuf (STRBUF_INIT) is an empty buffer.  buf is owned
 * by the strbuf until strbuf_detach() hands it to the caller.
 */
#ifndef LATHE_STRBUF_H
#define LATHE_STRBUF_H

#include <stddef.h>

struct strbuf {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void	 strbuf_grow(struct strbuf *, size_t);
void	 strbuf_add(struct strbuf *, const void *, size_t);
void	 strbuf_addstr(struct strbuf *, const char *);
void	 strbuf_addch(struct strbuf *, int);
void	 strbuf_addf(struct strbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal, quotes included. */
void	 strbuf_addjson(struct strbuf *, const char *, size_t);
void	 strbuf_reset(struct strbuf *);
/* An empty strbuf still returns a valid "" the caller must free. */
char	*strbuf_detach(struct strbuf *);
void	 strbuf_release(struct strbuf *);
/* Never NULL: "" for an empty buffer. */
const char *strbuf_str(const struct strbuf *);

#endif

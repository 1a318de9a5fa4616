/*
 * state.h - fitted state as versioned, line-oriented text.
 *
 * A step's or model's learned state is written as "key value..." lines:
 * doubles in the shortest form that round-trips exactly (or %.17g), and
 * strings percent-encoded (%XX for bytes below 0x21, '%' and 0x7f) so a
 * value is always one blank-free word.  The same text goes to fitted
 * pipeline files and to SQLite.
 *
 *	state_put_nums(sb, "mean", n, v)  ->  "mean 5.843 3.057 ...\n"
 *	state_put_strs(sb, "columns", n, s)
 *
 * Reading: state_parse() splits text into lines of words; state_get_*()
 * look a key up and convert, with a message naming the key on error.
 */
#ifndef LATHE_STATE_H
#define LATHE_STATE_H

#include <stddef.h>

#include "core/err.h"
#include "core/strbuf.h"

void	state_put_num(struct strbuf *, const char *key, double);
void	state_put_nums(struct strbuf *, const char *key, size_t,
	    const double *);
void	state_put_int(struct strbuf *, const char *key, long long);
void	state_put_str(struct strbuf *, const char *key, const char *);
void	state_put_strs(struct strbuf *, const char *key, size_t,
	    char *const *);
/* Append one word, percent-encoded. */
void	state_word(struct strbuf *, const char *);
/* Exact text of a double: shortest round-trip form; "nan", "inf". */
void	state_double(struct strbuf *, double);

struct state_line {
	char	*key;
	char	**words;		/* decoded */
	size_t	 nwords;
};

struct state {
	struct state_line *lines;
	size_t	 n;
	const char *what;		/* for messages: "step 2 (impute)" */
};

/* Parse the text of one section.  Never fails on well-formed UTF-8. */
int	state_parse(struct state *, const char *text, const char *what,
	    struct err *);
void	state_release(struct state *);
/* The line with KEY, or NULL. */
const struct state_line *state_find(const struct state *, const char *);
/* Typed reads; -1 with ERR_DATA "...: 'key' missing / not a number". */
int	state_get_num(const struct state *, const char *, double *,
	    struct err *);
int	state_get_int(const struct state *, const char *, long long *,
	    struct err *);
int	state_get_nums(const struct state *, const char *, double **,
	    size_t *, struct err *);
int	state_get_str(const struct state *, const char *, char **,
	    struct err *);
int	state_get_strs(const struct state *, const char *, char ***,
	    size_t *, struct err *);

#endif

/*
 * spec.h - the pipeline spec language: lexing and parsing lines, the
 * ${NAME} placeholders, and writing a spec back in canonical form.
 *
 * A spec is plain text, one statement per line:
 *
 *	lathe-pipeline 1
 *	# a comment
 *	source csv data/credit.csv delimiter=;
 *	target class
 *	step impute columns=@numeric strategy=median
 *
 * Words are separated by blanks.  Quoting is shell-like: '...' is
 * literal; "..." allows \" \\ \$ escapes and ${NAME}; a backslash outside
 * quotes escapes the next character.  A word starting with # begins a
 * comment that runs to the end of the line.  ${NAME} is replaced by the
 * value given with --set NAME=VALUE (an unset name is an error naming
 * it); $$ is a literal $.  A word whose first unquoted '=' follows a
 * plain name ([A-Za-z_][A-Za-z0-9_.-]*) is a key=value argument; other
 * words are positional.  A trailing backslash continues the line.
 *
 * This module knows nothing of verbs or steps: pipeline.c interprets the
 * lines.  The same parser serves spec files and the workbench's command
 * line.
 */
#ifndef LATHE_SPEC_H
#define LATHE_SPEC_H

#include <stddef.h>

#include "core/err.h"
#include "core/params.h"
#include "core/strbuf.h"

struct spec_word {
	char		*text;		/* after quote removal and expansion */
	int		 col;		/* 1-based byte column in the line */
};

struct spec_line {
	int		 line;		/* 1-based line number */
	char		*verb;		/* first word */
	int		 verb_col;
	struct spec_word *pos;		/* positional words after the verb */
	size_t		 npos;
	struct param_word *kv;		/* key=value words, in order */
	size_t		 nkv;
	char		*comment;	/* a trailing or whole-line comment, or
					 * NULL (kept for round trips) */
};

struct spec {
	char		*file;		/* for messages; "<command>" if none */
	struct spec_line *lines;	/* statements and comment-only lines
					 * (verb NULL) */
	size_t		 nlines;
};

/* NAME=VALUE bindings for ${NAME}. */
struct spec_vars {
	char		**names;
	char		**values;
	size_t		 n;
};

void		 spec_vars_init(struct spec_vars *);
/* "NAME=VALUE"; -1 with ERR_USAGE when malformed. */
int		 spec_vars_add(struct spec_vars *, const char *, struct err *);
void		 spec_vars_release(struct spec_vars *);

/*
 * Parse text (NUL-terminated) into a new spec.  Lexical errors (an
 * unterminated quote, an unset ${NAME}, a bad escape) are ERR_SPEC with
 * "FILE:LINE:COL: message" and the offending token.  vars may be NULL.
 */
struct spec	*spec_parse(const char *text, const char *file,
		    const struct spec_vars *, struct err *);
/* Read and parse a file ("-" is standard input). */
struct spec	*spec_load(const char *path, const struct spec_vars *,
		    struct err *);
/* Parse one command line (the workbench's ':' line) as line LINE. */
struct spec_line *spec_parse_line(const char *text, int line,
		    const struct spec_vars *, struct err *);
void		 spec_line_free(struct spec_line *);
void		 spec_free(struct spec *);

/*
 * Write one line in canonical form: the verb, positional words, then
 * key=value words, single blanks, each word quoted only when it must be
 * (spec_quote), the comment kept.  No trailing newline.
 */
void		 spec_write_line(const struct spec_line *, struct strbuf *);
/* Every line, each ending in '\n'. */
void		 spec_write(const struct spec *, struct strbuf *);

#endif

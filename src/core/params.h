/*
 * params.h - parameter schemas and parsed parameter values.
 *
 * A schema is data: a NULL-terminated array of struct param_def that a
 * step or model declares once.  The spec parser validates `key=value`
 * words against it (unknown keys get a "did you mean" suggestion), the
 * help text and the workbench's completion read it, and the step reads
 * typed values back through params_*().
 */
#ifndef LATHE_PARAMS_H
#define LATHE_PARAMS_H

#include <stddef.h>

#include "core/err.h"
#include "core/strbuf.h"

enum param_type {
	PT_BOOL,	/* true/false */
	PT_INT,		/* whole number within [min, max] */
	PT_NUM,		/* number within [min, max] */
	PT_STR,		/* any text */
	PT_ENUM,	/* one of choices ("a|b|c") */
	PT_COLS,	/* a column selector list: names, globs, @types, !excl */
	PT_COL,		/* one column name */
	PT_EXPR,	/* an expression (expr.h) */
	PT_NUMS,	/* comma-separated numbers */
	PT_STRS,	/* comma-separated words */
};

struct param_def {
	const char	*name;
	enum param_type	 type;
	const char	*def;		/* default as text; NULL: required */
	const char	*choices;	/* PT_ENUM: "mean|median|..." */
	double		 min, max;	/* PT_INT, PT_NUM (min == max: none) */
	const char	*help;		/* one line */
};

/* One key=value as written, with where it was written. */
struct param_val {
	const struct param_def *def;
	char		*text;		/* the value as given (or the default) */
	int		 given;		/* 0: the default */
	int		 line, col;	/* of the value, for messages */
};

/* Parsed, validated values: one per schema entry, in schema order. */
struct params {
	const struct param_def *schema;
	struct param_val *v;
	size_t		 n;
};

/* Where the words came from, for messages: "spec.lathe:12:" */
struct srcpos {
	const char	*file;		/* may be NULL: "<command>" */
	int		 line;
};

/* A key=value word to validate (from spec.h's tokenizer). */
struct param_word {
	const char	*key;
	const char	*value;
	int		 kcol, vcol;	/* 1-based byte columns */
};

/*
 * Fill p from words against schema: unknown keys (with a suggestion),
 * repeated keys, missing required keys and values of the wrong type are
 * ERR_SPEC errors "FILE:LINE:COL: ..." naming the token.  WHAT names the
 * owner in messages ("step 'impute'").
 */
int		 params_parse(struct params *p, const struct param_def *schema,
		    const struct param_word *words, size_t nwords,
		    const struct srcpos *, const char *what, struct err *);
void		 params_release(struct params *);
/* Deep copy. */
void		 params_copy(struct params *dst, const struct params *src);

/* Typed access by name (the name must be in the schema: else abort). */
const char	*params_str(const struct params *, const char *name);
double		 params_num(const struct params *, const char *name);
long		 params_int(const struct params *, const char *name);
int		 params_bool(const struct params *, const char *name);
int		 params_given(const struct params *, const char *name);
const struct param_val *params_get(const struct params *, const char *);
/* Split a PT_NUMS / PT_STRS value; returns the count, *out owned. */
size_t		 params_nums(const struct params *, const char *, double **out);
size_t		 params_strs(const struct params *, const char *, char ***out);
void		 strs_free(char **, size_t);

/*
 * The canonical text of the given (non-default) values, "k=v k=v" in
 * schema order, values quoted only when they must be.
 */
void		 params_write(const struct params *, struct strbuf *);
/* Quote a word for the spec grammar when it needs it. */
void		 spec_quote(struct strbuf *, const char *);

/* Levenshtein distance, for suggestions. */
size_t		 edit_distance(const char *, const char *);
/*
 * The candidate closest to s (distance <= 2, or a prefix), or NULL.
 * cands is NULL-terminated.
 */
const char	*suggest(const char *s, const char *const *cands);

#endif

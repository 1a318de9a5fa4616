/*
 * spec.c - the pipeline spec language: the lexer (blanks, quotes,
 * escapes, ${NAME} placeholders, comments, continuation lines), the
 * split of each line into verb, positional words and key=value words,
 * and the canonical writer.
 *
 * Owns: the grammar described in spec.h, UTF-8 checking of spec text,
 * reading a spec file, the --set bindings.  Leaves alone: what verbs
 * and arguments mean (pipeline.c, params.c) and the quoting of single
 * words (spec_quote() in params.c, shared with params_write()).
 *
 * Positions: a word's column is a 1-based byte column in its logical
 * line, that is, its physical lines joined with each backslash-newline
 * removed, so a word on a continuation line has the line number of the
 * first line and a column past that line's end.  Lexical errors are
 * found while the physical position is still known, so they report the
 * exact physical line and column.  Columns on the first line do not
 * count a UTF-8 byte order mark.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/spec.h"
#include "core/xmalloc.h"

struct lexer {
	const char	*file;		/* for messages */
	const char	*s;
	size_t		 i, n;		/* position, end */
	int		 line;		/* physical line of s[i] */
	size_t		 bol;		/* index of that line's first byte */
	int		 lcol;		/* logical column of s[i] */
	int		 oneline;	/* spec_parse_line: no continuation */
	const struct spec_vars *vars;
	struct err	*err;
};

/* A word as lexed: key NULL for a positional word. */
struct rawword {
	char		*key;
	char		*text;		/* the word, or the value of a kv */
	int		 col, vcol;
};

static int	 is_blank(int);
static int	 is_alpha(int);
static int	 is_digit(int);
static int	 name_char(int, int);
static int	 looks_kv(const char *);
static size_t	 eol_len(const struct lexer *, size_t);
static void	 advance(struct lexer *, size_t);
static void	 newline(struct lexer *, size_t);
static int	 at_error(struct err *, const char *, int, int,
		    const char *, ...) __attribute__((format(printf, 5, 6)));
static int	 lex_error(struct lexer *, int, int, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
static int	 continuation(struct lexer *);
static const char *var_lookup(const struct spec_vars *, const char *,
		    size_t);
static int	 expand(struct lexer *, struct strbuf *);
static int	 single_quoted(struct lexer *, struct strbuf *);
static int	 double_quoted(struct lexer *, struct strbuf *);
static int	 lex_word(struct lexer *, struct rawword *);
static int	 lex_line(struct lexer *, struct spec_line *);
static void	 line_release(struct spec_line *);
static int	 utf8_check(const char *, size_t, size_t, int,
		    const char *, struct err *);
static void	 where(const char *, size_t, size_t, int, int *, int *);
static void	 quote_always(struct strbuf *, const char *);
static void	 write_word(struct strbuf *, const char *);

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* [A-Za-z_] first, then [A-Za-z0-9_.-]: the key of a key=value word. */
static int
name_char(int c, int first)
{
	if (first)
		return is_alpha(c);
	return is_alpha(c) || is_digit(c) || c == '.' || c == '-';
}

/* Would this text, written bare, be read as key=value? */
static int
looks_kv(const char *s)
{
	const char *eq = strchr(s, '='), *p;

	if (eq == NULL || eq == s)
		return 0;
	for (p = s; p < eq; p++)
		if (!name_char((unsigned char)*p, p == s))
			return 0;
	return 1;
}

/* The length of a line end ("\n" or "\r\n") at s[k], else 0. */
static size_t
eol_len(const struct lexer *lx, size_t k)
{
	if (k < lx->n && lx->s[k] == '\n')
		return 1;
	if (k + 1 < lx->n && lx->s[k] == '\r' && lx->s[k + 1] == '\n')
		return 2;
	return 0;
}

static void
advance(struct lexer *lx, size_t k)
{
	lx->i += k;
	lx->lcol += (int)k;
}

/* Step over a line end of k bytes; the logical column is untouched. */
static void
newline(struct lexer *lx, size_t k)
{
	lx->i += k;
	lx->line++;
	lx->bol = lx->i;
}

/* ERR_SPEC "FILE:LINE:COL: message", with the column in err->col. */
static int
at_error(struct err *err, const char *file, int line, int col,
    const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	err_set(err, ERR_SPEC, "%s:%d:%d: %s", file, line, col, msg);
	if (err != NULL)
		err->col = col;
	return -1;
}

static int
lex_error(struct lexer *lx, int line, int col, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return at_error(lx->err, lx->file, line, col, "%s", msg);
}

/*
 * At a backslash: if a line end (or the end of the text) follows, step
 * over both and return 1; else 0.  A spec_parse_line() line cannot
 * continue, so a backslash at its end is an error.
 */
static int
continuation(struct lexer *lx)
{
	size_t k;

	if (lx->i + 1 >= lx->n) {
		if (lx->oneline)
			return lex_error(lx, lx->line,
			    (int)(lx->i - lx->bol) + 1,
			    "nothing follows '\\'");
		lx->i++;
		return 1;
	}
	k = eol_len(lx, lx->i + 1);
	if (k == 0)
		return 0;
	lx->i++;
	newline(lx, k);
	return 1;
}

static const char *
var_lookup(const struct spec_vars *vars, const char *name, size_t n)
{
	size_t i;

	if (vars == NULL)
		return NULL;
	for (i = vars->n; i-- > 0;)
		if (strlen(vars->names[i]) == n &&
		    memcmp(vars->names[i], name, n) == 0)
			return vars->values[i];
	return NULL;
}

/* At a '$': $$, ${NAME} or a literal $. */
static int
expand(struct lexer *lx, struct strbuf *sb)
{
	const char *s = lx->s, *value;
	size_t i = lx->i, j, k;
	int col = (int)(i - lx->bol) + 1;

	if (i + 1 < lx->n && s[i + 1] == '$') {
		strbuf_addch(sb, '$');
		advance(lx, 2);
		return 0;
	}
	if (i + 1 >= lx->n || s[i + 1] != '{') {
		strbuf_addch(sb, '$');
		advance(lx, 1);
		return 0;
	}
	for (j = i + 2; j < lx->n && (is_alpha(s[j]) || is_digit(s[j])); j++)
		continue;
	if (j == i + 2 || is_digit(s[i + 2]) || j >= lx->n || s[j] != '}') {
		for (k = i + 2; k < lx->n && s[k] != '}' && !is_blank(s[k]) &&
		    s[k] != '\n' && s[k] != '\r' && s[k] != '\'' &&
		    s[k] != '"'; k++)
			continue;
		if (k < lx->n && s[k] == '}')
			k++;
		return lex_error(lx, lx->line, col, "bad placeholder '%.*s' "
		    "(expected ${NAME})", (int)(k - i), s + i);
	}
	value = var_lookup(lx->vars, s + i + 2, j - i - 2);
	if (value == NULL)
		return lex_error(lx, lx->line, col, "'%.*s' is not set (give "
		    "it with --set %.*s=VALUE)", (int)(j + 1 - i), s + i,
		    (int)(j - i - 2), s + i + 2);
	strbuf_addstr(sb, value);
	advance(lx, j + 1 - i);
	return 0;
}

static int
single_quoted(struct lexer *lx, struct strbuf *sb)
{
	int line = lx->line, col = (int)(lx->i - lx->bol) + 1;

	advance(lx, 1);
	for (;;) {
		if (lx->i >= lx->n || lx->s[lx->i] == '\n')
			return lex_error(lx, line, col, "unterminated quote");
		if (lx->s[lx->i] == '\'') {
			advance(lx, 1);
			return 0;
		}
		strbuf_addch(sb, lx->s[lx->i]);
		advance(lx, 1);
	}
}

/*
 * \" \\ \$ are escapes; any other backslash stays, as in sh.  A line
 * end inside the quotes is an unterminated quote.
 */
static int
double_quoted(struct lexer *lx, struct strbuf *sb)
{
	int line = lx->line, col = (int)(lx->i - lx->bol) + 1;
	char c;

	advance(lx, 1);
	for (;;) {
		if (lx->i >= lx->n || lx->s[lx->i] == '\n')
			return lex_error(lx, line, col, "unterminated quote");
		c = lx->s[lx->i];
		if (c == '"') {
			advance(lx, 1);
			return 0;
		}
		if (c == '\\' && lx->i + 1 < lx->n &&
		    strchr("\"\\$", lx->s[lx->i + 1]) != NULL &&
		    lx->s[lx->i + 1] != '\0') {
			strbuf_addch(sb, lx->s[lx->i + 1]);
			advance(lx, 2);
		} else if (c == '$') {
			if (expand(lx, sb) == -1)
				return -1;
		} else {
			strbuf_addch(sb, c);
			advance(lx, 1);
		}
	}
}

/*
 * One word, from a non-blank byte to the next unquoted blank or line
 * end.  The word is key=value when everything before its first
 * unquoted '=' was plain, unquoted name characters.
 */
static int
lex_word(struct lexer *lx, struct rawword *w)
{
	struct strbuf sb = STRBUF_INIT;
	size_t keylen = 0;
	int plain = 1, eq = 0, kv = 0, r;
	char c;

	memset(w, 0, sizeof *w);
	w->col = lx->lcol;
	while (lx->i < lx->n) {
		c = lx->s[lx->i];
		if (is_blank(c) || eol_len(lx, lx->i) != 0)
			break;
		if (c == '\\') {
			if ((r = continuation(lx)) == -1)
				goto fail;
			if (r == 1)
				continue;
			strbuf_addch(&sb, lx->s[lx->i + 1]);
			advance(lx, 2);
		} else if (c == '\'') {
			if (single_quoted(lx, &sb) == -1)
				goto fail;
		} else if (c == '"') {
			if (double_quoted(lx, &sb) == -1)
				goto fail;
		} else if (c == '$') {
			if (expand(lx, &sb) == -1)
				goto fail;
		} else if (c == '=' && !eq) {
			eq = 1;
			advance(lx, 1);
			if (plain && sb.len > 0) {
				kv = 1;
				keylen = sb.len;
				w->vcol = lx->lcol;
			} else
				strbuf_addch(&sb, '=');
			continue;
		} else {
			if (!name_char((unsigned char)c, sb.len == 0))
				plain = 0;
			strbuf_addch(&sb, c);
			advance(lx, 1);
			continue;
		}
		/* Quoted, escaped or expanded text is never part of a key. */
		plain = 0;
	}
	if (kv) {
		w->key = xstrndup(strbuf_str(&sb), keylen);
		w->text = xstrdup(strbuf_str(&sb) + keylen);
		strbuf_release(&sb);
	} else
		w->text = strbuf_detach(&sb);
	return 0;
fail:
	strbuf_release(&sb);
	return -1;
}

/*
 * One logical line into out (zeroed first): words, then an optional
 * comment, then the line end, which is consumed.
 */
static int
lex_line(struct lexer *lx, struct spec_line *out)
{
	struct rawword *w = NULL;
	size_t nw = 0, cap = 0, i, npos = 0, nkv = 0, k, start, end;
	int r, rc = -1;

	memset(out, 0, sizeof *out);
	out->line = lx->line;
	lx->lcol = 1;
	for (;;) {
		while (lx->i < lx->n && is_blank(lx->s[lx->i]))
			advance(lx, 1);
		if (lx->i >= lx->n)
			break;
		if ((k = eol_len(lx, lx->i)) != 0) {
			newline(lx, k);
			break;
		}
		if (lx->s[lx->i] == '\\') {
			if ((r = continuation(lx)) == -1)
				goto out;
			if (r == 1)
				continue;
		}
		if (lx->s[lx->i] == '#') {
			/* Kept as written; trailing CRs are part of the end. */
			start = lx->i + 1;
			for (end = start; end < lx->n && lx->s[end] != '\n';
			    end++)
				continue;
			k = end;
			while (k > start && lx->s[k - 1] == '\r')
				k--;
			out->comment = xstrndup(lx->s + start, k - start);
			lx->i = end;
			if (end < lx->n)
				newline(lx, 1);
			break;
		}
		if (nw == cap) {
			cap = cap ? cap * 2 : 8;
			w = xreallocarray(w, cap, sizeof *w);
		}
		if (lex_word(lx, &w[nw]) == -1)
			goto out;
		nw++;
	}
	if (nw > 0 && w[0].key != NULL) {
		lex_error(lx, out->line, w[0].col, "expected a statement, "
		    "found '%s=%s'", w[0].key, w[0].text);
		goto out;
	}
	if (nw > 0) {
		out->verb = w[0].text;
		out->verb_col = w[0].col;
		w[0].text = NULL;
		out->pos = xcalloc(nw, sizeof *out->pos);
		out->kv = xcalloc(nw, sizeof *out->kv);
		for (i = 1; i < nw; i++) {
			if (w[i].key == NULL) {
				out->pos[npos].text = w[i].text;
				out->pos[npos++].col = w[i].col;
			} else {
				out->kv[nkv].key = w[i].key;
				out->kv[nkv].value = w[i].text;
				out->kv[nkv].kcol = w[i].col;
				out->kv[nkv++].vcol = w[i].vcol;
			}
			w[i].key = w[i].text = NULL;
		}
		out->npos = npos;
		out->nkv = nkv;
	}
	rc = 0;
out:
	for (i = 0; i < nw; i++) {
		free(w[i].key);
		free(w[i].text);
	}
	free(w);
	if (rc == -1)
		line_release(out);
	return rc;
}

static void
line_release(struct spec_line *l)
{
	size_t i;

	free(l->verb);
	for (i = 0; i < l->npos; i++)
		free(l->pos[i].text);
	free(l->pos);
	for (i = 0; i < l->nkv; i++) {
		free((char *)l->kv[i].key);
		free((char *)l->kv[i].value);
	}
	free(l->kv);
	free(l->comment);
	memset(l, 0, sizeof *l);
}

/* The physical line and column of s[idx], lines counted from start. */
static void
where(const char *s, size_t start, size_t idx, int line0, int *line,
    int *col)
{
	size_t k, bol = start;

	*line = line0;
	for (k = start; k < idx; k++)
		if (s[k] == '\n') {
			(*line)++;
			bol = k + 1;
		}
	*col = (int)(idx - bol) + 1;
}

/* Well-formed UTF-8 only: no overlongs, surrogates or > U+10FFFF. */
static int
utf8_check(const char *text, size_t start, size_t n, int line0,
    const char *file, struct err *err)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = start, need, k;
	unsigned char lo, hi;
	int line, col;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			need = 1;
		else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			need = 2;
			if (s[i] == 0xe0)
				lo = 0xa0;
			else if (s[i] == 0xed)
				hi = 0x9f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			need = 3;
			if (s[i] == 0xf0)
				lo = 0x90;
			else if (s[i] == 0xf4)
				hi = 0x8f;
		} else
			goto bad;
		for (k = 1; k <= need; k++) {
			if (i + k >= n || s[i + k] < (k == 1 ? lo : 0x80) ||
			    s[i + k] > (k == 1 ? hi : 0xbf))
				goto bad;
		}
		i += need + 1;
	}
	return 0;
bad:
	where(text, start, i, line0, &line, &col);
	return at_error(err, file, line, col, "invalid UTF-8");
}

void
spec_vars_init(struct spec_vars *v)
{
	memset(v, 0, sizeof *v);
}

/* A name given twice keeps the last value. */
int
spec_vars_add(struct spec_vars *v, const char *arg, struct err *err)
{
	const char *eq = strchr(arg, '='), *p;
	size_t i, n;

	if (eq == NULL || eq == arg || is_digit(*arg))
		goto bad;
	for (p = arg; p < eq; p++)
		if (!is_alpha(*p) && !is_digit(*p))
			goto bad;
	n = (size_t)(eq - arg);
	for (i = 0; i < v->n; i++)
		if (strlen(v->names[i]) == n &&
		    memcmp(v->names[i], arg, n) == 0) {
			free(v->values[i]);
			v->values[i] = xstrdup(eq + 1);
			return 0;
		}
	v->names = xreallocarray(v->names, v->n + 1, sizeof *v->names);
	v->values = xreallocarray(v->values, v->n + 1, sizeof *v->values);
	v->names[v->n] = xstrndup(arg, n);
	v->values[v->n] = xstrdup(eq + 1);
	v->n++;
	return 0;
bad:
	return err_set(err, ERR_USAGE, "bad --set '%s' (expected NAME=VALUE)",
	    arg);
}

void
spec_vars_release(struct spec_vars *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		free(v->names[i]);
		free(v->values[i]);
	}
	free(v->names);
	free(v->values);
	memset(v, 0, sizeof *v);
}

struct spec *
spec_parse(const char *text, const char *file, const struct spec_vars *vars,
    struct err *err)
{
	struct lexer lx;
	struct spec *sp;
	size_t cap = 0, start = 0, n = strlen(text);

	if (file == NULL)
		file = "<command>";
	if (n >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		start = 3;
	if (utf8_check(text, start, n, 1, file, err) == -1)
		return NULL;
	sp = xcalloc(1, sizeof *sp);
	sp->file = xstrdup(file);
	memset(&lx, 0, sizeof lx);
	lx.file = sp->file;
	lx.s = text;
	lx.i = lx.bol = start;
	lx.n = n;
	lx.line = 1;
	lx.vars = vars;
	lx.err = err;
	while (lx.i < lx.n) {
		if (sp->nlines == cap) {
			cap = cap ? cap * 2 : 32;
			sp->lines = xreallocarray(sp->lines, cap,
			    sizeof *sp->lines);
		}
		if (lex_line(&lx, &sp->lines[sp->nlines]) == -1) {
			spec_free(sp);
			return NULL;
		}
		sp->nlines++;
	}
	return sp;
}

/*
 * "-" reads standard input, named "<stdin>" in messages.  A NUL byte
 * would silently cut the text short, so it is an error.
 */
struct spec *
spec_load(const char *path, const struct spec_vars *vars, struct err *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct spec *sp = NULL;
	const char *name = path;
	const char *nul;
	char buf[8192];
	size_t got;
	FILE *fp;
	int line, col, saved;

	if (strcmp(path, "-") == 0) {
		fp = stdin;
		name = "<stdin>";
	} else if ((fp = fopen(path, "rb")) == NULL) {
		err_set(err, ERR_IO, "cannot read '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	errno = 0;
	while ((got = fread(buf, 1, sizeof buf, fp)) > 0)
		strbuf_add(&sb, buf, got);
	if (ferror(fp)) {
		saved = errno != 0 ? errno : EIO;
		err_set(err, ERR_IO, "cannot read '%s': %s", name,
		    strerror(saved));
		goto out;
	}
	if ((nul = memchr(strbuf_str(&sb), '\0', sb.len)) != NULL) {
		where(strbuf_str(&sb), 0, (size_t)(nul - strbuf_str(&sb)), 1,
		    &line, &col);
		at_error(err, name, line, col, "unexpected NUL byte");
		goto out;
	}
	sp = spec_parse(strbuf_str(&sb), name, vars, err);
out:
	if (fp != stdin)
		fclose(fp);
	strbuf_release(&sb);
	return sp;
}

/*
 * The text up to its first line end; anything after that is an error,
 * since a command line has one line.
 */
struct spec_line *
spec_parse_line(const char *text, int line, const struct spec_vars *vars,
    struct err *err)
{
	struct spec_line *l;
	struct lexer lx;
	const char *nl;
	size_t start = 0, n = strlen(text);
	int eline, ecol;

	if (n >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		start = 3;
	nl = memchr(text + start, '\n', n - start);
	if (nl != NULL) {
		if (nl[1] != '\0') {
			where(text, start, (size_t)(nl - text), line, &eline,
			    &ecol);
			at_error(err, "<command>", eline, ecol,
			    "unexpected newline");
			return NULL;
		}
		n = (size_t)(nl - text);
		if (n > start && text[n - 1] == '\r')
			n--;
	}
	if (utf8_check(text, start, n, line, "<command>", err) == -1)
		return NULL;
	memset(&lx, 0, sizeof lx);
	lx.file = "<command>";
	lx.s = text;
	lx.i = lx.bol = start;
	lx.n = n;
	lx.line = line;
	lx.oneline = 1;
	lx.vars = vars;
	lx.err = err;
	l = xcalloc(1, sizeof *l);
	if (lex_line(&lx, l) == -1) {
		free(l);
		return NULL;
	}
	return l;
}

void
spec_line_free(struct spec_line *l)
{
	if (l == NULL)
		return;
	line_release(l);
	free(l);
}

void
spec_free(struct spec *sp)
{
	size_t i;

	if (sp == NULL)
		return;
	for (i = 0; i < sp->nlines; i++)
		line_release(&sp->lines[i]);
	free(sp->lines);
	free(sp->file);
	free(sp);
}

/* spec_quote()'s quoted forms, for text that would be misread bare. */
static void
quote_always(struct strbuf *sb, const char *s)
{
	const char *p;

	if (strchr(s, '\'') == NULL) {
		strbuf_addch(sb, '\'');
		strbuf_addstr(sb, s);
		strbuf_addch(sb, '\'');
		return;
	}
	strbuf_addch(sb, '"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '\\' || *p == '"' || *p == '$')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '"');
}

/* A verb or positional word: quoted too when bare would read as k=v. */
static void
write_word(struct strbuf *sb, const char *s)
{
	if (looks_kv(s))
		quote_always(sb, s);
	else
		spec_quote(sb, s);
}

void
spec_write_line(const struct spec_line *l, struct strbuf *sb)
{
	size_t i;

	if (l->verb == NULL) {
		if (l->comment != NULL) {
			strbuf_addch(sb, '#');
			strbuf_addstr(sb, l->comment);
		}
		return;
	}
	write_word(sb, l->verb);
	for (i = 0; i < l->npos; i++) {
		strbuf_addch(sb, ' ');
		write_word(sb, l->pos[i].text);
	}
	for (i = 0; i < l->nkv; i++) {
		strbuf_addch(sb, ' ');
		strbuf_addstr(sb, l->kv[i].key);
		strbuf_addch(sb, '=');
		spec_quote(sb, l->kv[i].value);
	}
	if (l->comment != NULL) {
		strbuf_addstr(sb, "  #");
		strbuf_addstr(sb, l->comment);
	}
}

void
spec_write(const struct spec *sp, struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < sp->nlines; i++) {
		spec_write_line(&sp->lines[i], sb);
		strbuf_addch(sb, '\n');
	}
}

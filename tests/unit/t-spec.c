/*
 * t-spec.c - unit tests for core/spec.c.
 *
 * A realistic spec is parsed and checked word by word, with columns;
 * then quoting, escapes, comments, continuation lines, CRLF, a byte
 * order mark, ${NAME} placeholders, error positions, and the split
 * between key=value and positional words.  The canonical writer must
 * round-trip: parsing what it wrote gives the same words, and writing
 * again gives the same bytes, for hand-written lines and for random
 * ones built from an alphabet of troublesome characters.  Last, a spec
 * is loaded from a temporary file, and a missing file is an I/O error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/spec.h"
#include "core/xmalloc.h"
#include "tap.h"

static uint64_t	 rnd(void);
static struct spec *parse(const char *, const struct spec_vars *);
static int	 same_str(const char *, const char *);
static char	*fail(const char *, const struct spec_vars *);
static char	*written(const struct spec *);
static char	*line_written(const struct spec_line *);
static int	 same_line(const struct spec_line *, const struct spec_line *);
static int	 same_spec(const struct spec *, const struct spec *);
static void	 check_words(const char *, const char *const *, const char *);
static void	 check_error(const char *, const struct spec_vars *,
		    const char *);
static int	 looks_kv(const char *);
static void	 random_word(struct strbuf *, size_t);
static void	 random_name(struct strbuf *);
static void	 test_realistic(void);
static void	 test_quoting(void);
static void	 test_comments(void);
static void	 test_continuation(void);
static void	 test_crlf_bom(void);
static void	 test_placeholders(void);
static void	 test_errors(void);
static void	 test_kv(void);
static void	 test_parse_line(void);
static void	 test_roundtrip(void);
static void	 test_random_words(void);
static void	 test_random_lines(void);
static void	 test_load(void);

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static int last_col;		/* err.col of the last fail() */

/* xorshift64*: fast and reproducible */
static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static struct spec *
parse(const char *text, const struct spec_vars *vars)
{
	struct err err;
	struct spec *sp;

	err_clear(&err);
	sp = spec_parse(text, "t.lathe", vars, &err);
	if (sp == NULL)
		printf("# unexpected error: %s\n", err.msg);
	return sp;
}

/* The message of a parse that must fail, owned; NULL if it parsed. */
static char *
fail(const char *text, const struct spec_vars *vars)
{
	struct err err;
	struct spec *sp;

	err_clear(&err);
	sp = spec_parse(text, "t.lathe", vars, &err);
	if (sp != NULL) {
		spec_free(sp);
		return NULL;
	}
	last_col = err.col;
	if (err.code != ERR_SPEC)
		return xstrdup("(not ERR_SPEC)");
	return xstrdup(err.msg);
}

static char *
written(const struct spec *sp)
{
	struct strbuf sb = STRBUF_INIT;

	spec_write(sp, &sb);
	return strbuf_detach(&sb);
}

static char *
line_written(const struct spec_line *l)
{
	struct strbuf sb = STRBUF_INIT;

	spec_write_line(l, &sb);
	return strbuf_detach(&sb);
}

static int
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Same words and comment; positions are not compared. */
static int
same_line(const struct spec_line *a, const struct spec_line *b)
{
	size_t i;

	if (!same_str(a->verb, b->verb) || !same_str(a->comment, b->comment)
	    || a->npos != b->npos || a->nkv != b->nkv)
		return 0;
	for (i = 0; i < a->npos; i++)
		if (!same_str(a->pos[i].text, b->pos[i].text))
			return 0;
	for (i = 0; i < a->nkv; i++)
		if (!same_str(a->kv[i].key, b->kv[i].key) ||
		    !same_str(a->kv[i].value, b->kv[i].value))
			return 0;
	return 1;
}

static int
same_spec(const struct spec *a, const struct spec *b)
{
	size_t i;

	if (a == NULL || b == NULL || a->nlines != b->nlines)
		return 0;
	for (i = 0; i < a->nlines; i++)
		if (!same_line(&a->lines[i], &b->lines[i]))
			return 0;
	return 1;
}

/*
 * text is one line; want lists its verb and positional words, then
 * "k=v" strings for its key=value words.
 */
static void
check_words(const char *text, const char *const *want, const char *label)
{
	struct strbuf got = STRBUF_INIT, exp = STRBUF_INIT;
	struct spec *sp = parse(text, NULL);
	const struct spec_line *l;
	size_t i;

	for (i = 0; want[i] != NULL; i++)
		strbuf_addf(&exp, "[%s]", want[i]);
	if (sp != NULL && sp->nlines == 1 && sp->lines[0].verb != NULL) {
		l = &sp->lines[0];
		strbuf_addf(&got, "[%s]", l->verb);
		for (i = 0; i < l->npos; i++)
			strbuf_addf(&got, "[%s]", l->pos[i].text);
		for (i = 0; i < l->nkv; i++)
			strbuf_addf(&got, "[%s=%s]", l->kv[i].key,
			    l->kv[i].value);
	} else
		strbuf_addstr(&got, "(no single statement)");
	is_str(strbuf_str(&got), strbuf_str(&exp), label);
	strbuf_release(&got);
	strbuf_release(&exp);
	spec_free(sp);
}

static void
check_error(const char *text, const struct spec_vars *vars,
    const char *msg)
{
	char *got = fail(text, vars);
	int col = -1;

	is_str(got, msg, msg);
	free(got);
	sscanf(msg, "%*[^:]:%*d:%d:", &col);
	ok(last_col == col, "err.col is %d", col);
}

/* The test's own idea of a word that would read as key=value bare. */
static int
looks_kv(const char *s)
{
	const char *eq = strchr(s, '='), *p;

	if (eq == NULL || eq == s)
		return 0;
	for (p = s; p < eq; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    *p == '_')
			continue;
		if (p > s && ((*p >= '0' && *p <= '9') || *p == '.' ||
		    *p == '-'))
			continue;
		return 0;
	}
	return 1;
}

/* Up to max units from an alphabet of characters the lexer treats
 * specially, plus plain ones and multi-byte UTF-8. */
static void
random_word(struct strbuf *sb, size_t max)
{
	static const char *const units[] = {
		"a", "Z", "_", "0", "9", "=", "#", " ", "\t", "'", "\"",
		"\\", "$", "{", "}", "$$", "${", "${X}", "\xc3\xa9",
		"\xe6\xbc\xa2", "\xf0\x9f\x99\x82", "\r", ".", "-", "@", "!",
		"*", ",", "/", ":", "k=", "=v", "\\\\", "''", "\"\"", ";",
		"a", "b", "c",
	};
	size_t n = (size_t)(rnd() % (max + 1)), i;

	for (i = 0; i < n; i++)
		strbuf_addstr(sb, units[rnd() % (sizeof units /
		    sizeof units[0])]);
}

static void
random_name(struct strbuf *sb)
{
	static const char first[] = "abcxyzXY_";
	static const char rest[] = "abcxyz019_.-";
	size_t n = (size_t)(rnd() % 6), i;

	strbuf_addch(sb, first[rnd() % (sizeof first - 1)]);
	for (i = 0; i < n; i++)
		strbuf_addch(sb, rest[rnd() % (sizeof rest - 1)]);
}

static void
test_realistic(void)
{
	static const char text[] =
	    "lathe-pipeline 1\n"
	    "# a comment\n"
	    "source csv data/credit.csv delimiter=; header=true\n"
	    "\n"
	    "target class\n"
	    "step impute columns=@numeric strategy=median\n"
	    "step onehot columns='!id' max_levels=20   # rare ones pooled\n"
	    "\tsource sqlite \"my data.db\" table=loans where='age > 30'\n";
	struct spec *sp = parse(text, NULL);
	const struct spec_line *l;
	char *out;

	if (!ok(sp != NULL, "realistic spec parses"))
		return;
	is_str(sp->file, "t.lathe", "file kept");
	is_int((long long)sp->nlines, 8, "eight lines");
	l = &sp->lines[0];
	ok(l->line == 1 && same_str(l->verb, "lathe-pipeline") &&
	    l->verb_col == 1 && l->npos == 1 &&
	    same_str(l->pos[0].text, "1") && l->pos[0].col == 16 &&
	    l->nkv == 0 && l->comment == NULL, "header line");
	l = &sp->lines[1];
	ok(l->line == 2 && l->verb == NULL && same_str(l->comment,
	    " a comment") && l->npos == 0 && l->nkv == 0, "comment line");
	l = &sp->lines[2];
	ok(l->line == 3 && same_str(l->verb, "source") && l->npos == 2 &&
	    same_str(l->pos[0].text, "csv") && l->pos[0].col == 8 &&
	    same_str(l->pos[1].text, "data/credit.csv") &&
	    l->pos[1].col == 12 && l->nkv == 2, "source line words");
	ok(same_str(l->kv[0].key, "delimiter") &&
	    same_str(l->kv[0].value, ";") && l->kv[0].kcol == 28 &&
	    l->kv[0].vcol == 38 && same_str(l->kv[1].key, "header") &&
	    same_str(l->kv[1].value, "true") && l->kv[1].kcol == 40 &&
	    l->kv[1].vcol == 47, "source line key=value with columns");
	l = &sp->lines[3];
	ok(l->line == 4 && l->verb == NULL && l->comment == NULL,
	    "blank line kept");
	l = &sp->lines[5];
	ok(l->line == 6 && same_str(l->verb, "step") && l->npos == 1 &&
	    same_str(l->pos[0].text, "impute") && l->nkv == 2 &&
	    same_str(l->kv[0].key, "columns") &&
	    same_str(l->kv[0].value, "@numeric") && l->kv[0].kcol == 13 &&
	    l->kv[0].vcol == 21 && same_str(l->kv[1].key, "strategy") &&
	    same_str(l->kv[1].value, "median") && l->kv[1].kcol == 30 &&
	    l->kv[1].vcol == 39, "step line");
	l = &sp->lines[6];
	ok(same_str(l->kv[0].value, "!id") && l->kv[0].vcol == 21 &&
	    same_str(l->kv[1].value, "20") &&
	    same_str(l->comment, " rare ones pooled"),
	    "quoted value and trailing comment");
	l = &sp->lines[7];
	ok(l->verb_col == 2 && same_str(l->pos[1].text, "my data.db") &&
	    l->pos[1].col == 16 && same_str(l->kv[1].value, "age > 30") &&
	    l->kv[1].kcol == 41 && l->kv[1].vcol == 47,
	    "leading tab, quoted positional and value");
	out = written(sp);
	is_str(out,
	    "lathe-pipeline 1\n"
	    "# a comment\n"
	    "source csv data/credit.csv delimiter=';' header=true\n"
	    "\n"
	    "target class\n"
	    "step impute columns=@numeric strategy=median\n"
	    "step onehot columns=!id max_levels=20  # rare ones pooled\n"
	    "source sqlite 'my data.db' table=loans where='age > 30'\n",
	    "canonical text");
	free(out);
	spec_free(sp);

	sp = parse("", NULL);
	ok(sp != NULL && sp->nlines == 0, "empty text: no lines");
	spec_free(sp);
	sp = parse("a", NULL);
	ok(sp != NULL && sp->nlines == 1, "no final newline: one line");
	spec_free(sp);
	sp = parse("a\n\n", NULL);
	ok(sp != NULL && sp->nlines == 2 && sp->lines[1].verb == NULL,
	    "final empty line kept");
	spec_free(sp);
	sp = parse("a\n", NULL);
	ok(sp != NULL && sp->nlines == 1, "final newline ends the line");
	spec_free(sp);
	{
		struct err err;

		err_clear(&err);
		sp = spec_parse("a\n", NULL, NULL, &err);
		ok(sp != NULL && same_str(sp->file, "<command>"),
		    "no file: <command>");
		spec_free(sp);
		spec_free(NULL);
	}
}

static void
test_quoting(void)
{
	check_words("a 'b c' \"d e\" f\\ g ''",
	    (const char *const[]){ "a", "b c", "d e", "f g", "", NULL },
	    "quotes and escaped blank");
	check_words("a 'x'y\"z\"w 'a''b'",
	    (const char *const[]){ "a", "xyzw", "ab", NULL },
	    "quotes join within a word");
	check_words("a \"x\\\"y\" \"\\\\\" \"\\$\" \"\\n\" 'a\\b' \\' \\\"",
	    (const char *const[]){ "a", "x\"y", "\\", "$", "\\n", "a\\b",
	    "'", "\"", NULL }, "escapes");
	check_words("a \"it's\" 'say \"hi\"'",
	    (const char *const[]){ "a", "it's", "say \"hi\"", NULL },
	    "one quote inside the other");
	check_words("a \\\\ \\a \\$x \\#",
	    (const char *const[]){ "a", "\\", "a", "$x", "#", NULL },
	    "backslash outside quotes");
	check_words("a\t\tb  \t c",
	    (const char *const[]){ "a", "b", "c", NULL }, "tabs and spaces");
	check_words("a 'tab\there' caf\xc3\xa9 \xe6\xbc\xa2",
	    (const char *const[]){ "a", "tab\there", "caf\xc3\xa9",
	    "\xe6\xbc\xa2", NULL }, "tab in quotes, UTF-8 bare");
	check_words("a \"\\x\\\\y\"",
	    (const char *const[]){ "a", "\\x\\y", NULL },
	    "unknown escape in double quotes keeps the backslash");
	check_words("a 'it''s'",
	    (const char *const[]){ "a", "its", NULL }, "adjacent quotes");
}

static void
test_comments(void)
{
	struct spec *sp;
	char *out;

	sp = parse("# whole\na b # trailing\na b#c '#d' \\#e\n#\na #\n"
	    "   #  indented  \n", NULL);
	if (!ok(sp != NULL && sp->nlines == 6, "comments parse"))
		goto out;
	ok(sp->lines[0].verb == NULL && same_str(sp->lines[0].comment,
	    " whole"), "whole-line comment kept as written");
	ok(same_str(sp->lines[1].verb, "a") && sp->lines[1].npos == 1 &&
	    same_str(sp->lines[1].comment, " trailing"), "trailing comment");
	ok(sp->lines[2].npos == 3 && same_str(sp->lines[2].pos[0].text,
	    "b#c") && same_str(sp->lines[2].pos[1].text, "#d") &&
	    same_str(sp->lines[2].pos[2].text, "#e") &&
	    sp->lines[2].comment == NULL, "# inside or quoted is a word");
	ok(sp->lines[3].verb == NULL && same_str(sp->lines[3].comment, ""),
	    "bare #: empty comment");
	ok(same_str(sp->lines[4].verb, "a") && same_str(sp->lines[4].comment,
	    ""), "trailing bare #");
	ok(sp->lines[5].verb == NULL && same_str(sp->lines[5].comment,
	    "  indented  "), "indented comment");
	out = written(sp);
	is_str(out, "# whole\na b  # trailing\na 'b#c' '#d' '#e'\n#\na  #\n"
	    "#  indented  \n", "comments written");
	free(out);
out:
	spec_free(sp);
	sp = parse("a # it's \"unbalanced ${X} \\\nb\n", NULL);
	ok(sp != NULL && sp->nlines == 2 && same_str(sp->lines[0].comment,
	    " it's \"unbalanced ${X} \\") && same_str(sp->lines[1].verb, "b"),
	    "nothing is special in a comment, not even a final backslash");
	spec_free(sp);
}

static void
test_continuation(void)
{
	struct spec *sp;
	char *out;

	sp = parse("step impute \\\n    columns=a \\\n\tstrategy=median\n"
	    "next x\n", NULL);
	if (ok(sp != NULL && sp->nlines == 2, "continued line is one")) {
		ok(sp->lines[0].line == 1 && sp->lines[0].nkv == 2 &&
		    same_str(sp->lines[0].kv[1].value, "median"),
		    "continued words");
		is_int(sp->lines[0].kv[0].kcol, 17,
		    "column counts on in the logical line");
		is_int(sp->lines[0].kv[1].kcol, 28, "and on");
		is_int(sp->lines[1].line, 4, "next line number");
		out = written(sp);
		is_str(out, "step impute columns=a strategy=median\nnext x\n",
		    "continuation written as one line");
		free(out);
	}
	spec_free(sp);
	check_words("ab\\\ncd", (const char *const[]){ "abcd", NULL },
	    "backslash-newline inside a word joins");
	check_words("a \\\r\nb", (const char *const[]){ "a", "b", NULL },
	    "backslash-CRLF continues");
	check_words("a \\\n# c", (const char *const[]){ "a", NULL },
	    "comment on the continuation line");
	check_words("a b\\", (const char *const[]){ "a", "b", NULL },
	    "backslash at the end of the text");
	check_words("a \\\\\n", (const char *const[]){ "a", "\\", NULL },
	    "escaped backslash does not continue");
	check_error("a \\\n  'x", NULL, "t.lathe:2:3: unterminated quote");
	sp = parse("\\\n\\\nx y\nz\n", NULL);
	ok(sp != NULL && sp->nlines == 2 && sp->lines[0].line == 1 &&
	    same_str(sp->lines[0].verb, "x") && sp->lines[1].line == 4,
	    "continued empty lines");
	spec_free(sp);
	sp = parse("a '\\\nb'", NULL);
	ok(sp == NULL, "no continuation inside single quotes");
	spec_free(sp);
}

static void
test_crlf_bom(void)
{
	struct spec *sp;
	char *out;

	sp = parse("a b\r\nc d=1\r\n# c\r\n\r\n", NULL);
	if (ok(sp != NULL && sp->nlines == 4, "CRLF lines")) {
		ok(same_str(sp->lines[0].pos[0].text, "b") &&
		    same_str(sp->lines[1].kv[0].value, "1") &&
		    same_str(sp->lines[2].comment, " c") &&
		    sp->lines[3].verb == NULL && sp->lines[3].comment == NULL,
		    "CR is not part of words or comments");
		out = written(sp);
		is_str(out, "a b\nc d=1\n# c\n\n", "written with LF");
		free(out);
	}
	spec_free(sp);
	check_words("a b\rc", (const char *const[]){ "a", "b\rc", NULL },
	    "a lone CR is an ordinary byte");
	sp = parse("\xef\xbb\xbf" "a b\n", NULL);
	ok(sp != NULL && sp->nlines == 1 && same_str(sp->lines[0].verb, "a")
	    && sp->lines[0].verb_col == 1 && sp->lines[0].pos[0].col == 3,
	    "BOM skipped, columns count from after it");
	spec_free(sp);
	check_error("\xef\xbb\xbf'x", NULL, "t.lathe:1:1: unterminated quote");
	check_error("a\n\xef\xbb", NULL, "t.lathe:2:1: invalid UTF-8");
	check_words("a \xef\xbb\xbf", (const char *const[]){ "a",
	    "\xef\xbb\xbf", NULL }, "a BOM later is text");
}

static void
test_placeholders(void)
{
	struct spec_vars vars;
	struct err err;

	spec_vars_init(&vars);
	ok(spec_vars_add(&vars, "MONTH=2024-01", &err) == 0, "add MONTH");
	ok(spec_vars_add(&vars, "X=a b", &err) == 0, "add X");
	ok(spec_vars_add(&vars, "EMPTY=", &err) == 0, "add EMPTY");
	ok(spec_vars_add(&vars, "Q='$x'", &err) == 0, "add Q");
	ok(spec_vars_add(&vars, "X=a  b", &err) == 0, "replace X");
	is_int((long long)vars.n, 4, "replaced, not added");
	ok(spec_vars_add(&vars, "=x", &err) == -1 && err.code == ERR_USAGE,
	    "empty name refused");
	is_str(err.msg, "bad --set '=x' (expected NAME=VALUE)",
	    "bad --set message");
	ok(spec_vars_add(&vars, "1A=x", &err) == -1, "digit first refused");
	ok(spec_vars_add(&vars, "noequals", &err) == -1, "no '=' refused");
	ok(spec_vars_add(&vars, "a.b=1", &err) == -1, "dot refused");

	{
		struct spec *sp = parse("load data/${MONTH}.csv \"${X}\" "
		    "'${X}' $$ a$b cost=$5 ${EMPTY} q=${Q} k=\"${MONTH}x\" "
		    "$ \"$\" \"$$\" \"\\${X}\" \\${X} $${X}", &vars);
		const struct spec_line *l;

		if (ok(sp != NULL, "placeholders parse")) {
			l = &sp->lines[0];
			ok(l->npos == 12, "word count");
			is_str(l->pos[0].text, "data/2024-01.csv",
			    "bare expansion");
			is_str(l->pos[1].text, "a  b",
			    "expansion in double quotes, no splitting");
			is_str(l->pos[2].text, "${X}", "none in single quotes");
			is_str(l->pos[3].text, "$", "$$");
			is_str(l->pos[4].text, "a$b", "lone $");
			is_str(l->pos[5].text, "", "empty value is a word");
			is_str(l->pos[6].text, "$", "lone $ alone");
			is_str(l->pos[7].text, "$", "lone $ in quotes");
			is_str(l->pos[8].text, "$", "$$ in quotes");
			is_str(l->pos[9].text, "${X}", "\\$ in quotes");
			is_str(l->pos[10].text, "${X}", "\\$ outside");
			is_str(l->pos[11].text, "${X}", "$${X}");
			ok(l->nkv == 3 && same_str(l->kv[0].value, "$5") &&
			    same_str(l->kv[1].value, "'$x'") &&
			    same_str(l->kv[2].value, "2024-01x"),
			    "expansion in values, not re-expanded");
			spec_free(sp);
		}
		sp = parse("a $${X}", &vars);
		ok(sp != NULL && same_str(sp->lines[0].pos[0].text, "${X}"),
		    "$${X} is literal");
		spec_free(sp);
		sp = parse("a ${MONTH}=1", &vars);
		ok(sp != NULL && sp->lines[0].npos == 1 &&
		    same_str(sp->lines[0].pos[0].text, "2024-01=1"),
		    "expanded text before '=' is not a key");
		spec_free(sp);
	}
	check_error("a ${UNSET}", &vars, "t.lathe:1:3: '${UNSET}' is not set "
	    "(give it with --set UNSET=VALUE)");
	check_error("a b\nc \"x${MONTH2}\"", &vars, "t.lathe:2:5: "
	    "'${MONTH2}' is not set (give it with --set MONTH2=VALUE)");
	check_error("load ${MONTH}", NULL, "t.lathe:1:6: '${MONTH}' is not "
	    "set (give it with --set MONTH=VALUE)");
	check_error("a ${bad", &vars, "t.lathe:1:3: bad placeholder '${bad' "
	    "(expected ${NAME})");
	check_error("a ${1x}", &vars, "t.lathe:1:3: bad placeholder '${1x}' "
	    "(expected ${NAME})");
	check_error("a ${}", &vars, "t.lathe:1:3: bad placeholder '${}' "
	    "(expected ${NAME})");
	check_error("a x${a-b}", &vars, "t.lathe:1:4: bad placeholder "
	    "'${a-b}' (expected ${NAME})");
	check_error("a \"${X y\"", &vars, "t.lathe:1:4: bad placeholder "
	    "'${X' (expected ${NAME})");
	check_error("a ${", &vars, "t.lathe:1:3: bad placeholder '${' "
	    "(expected ${NAME})");
	spec_vars_release(&vars);
	ok(vars.n == 0, "vars released");
}

static void
test_errors(void)
{
	check_error("a 'bcd", NULL, "t.lathe:1:3: unterminated quote");
	check_error("a b \"cd", NULL, "t.lathe:1:5: unterminated quote");
	check_error("x\n  y \"z\nw\"", NULL, "t.lathe:2:5: unterminated "
	    "quote");
	check_error("a \"x\\\"", NULL, "t.lathe:1:3: unterminated quote");
	check_error("a 'x\r\n'", NULL, "t.lathe:1:3: unterminated quote");
	check_error("a=b c", NULL, "t.lathe:1:1: expected a statement, found "
	    "'a=b'");
	check_error("  k= c", NULL, "t.lathe:1:3: expected a statement, "
	    "found 'k='");
	check_error("ok\nab\xff", NULL, "t.lathe:2:3: invalid UTF-8");
	check_error("a \xc3", NULL, "t.lathe:1:3: invalid UTF-8");
	check_error("a \xc0\x80", NULL, "t.lathe:1:3: invalid UTF-8");
	check_error("a \xed\xa0\x80", NULL, "t.lathe:1:3: invalid UTF-8");
	check_error("a \xf4\x90\x80\x80", NULL, "t.lathe:1:3: invalid UTF-8");
	check_error("a \xe0\x80\x80", NULL, "t.lathe:1:3: invalid UTF-8");
	check_words("a \xf0\x9f\x99\x82 \xf4\x8f\xbf\xbf \xed\x9f\xbf",
	    (const char *const[]){ "a", "\xf0\x9f\x99\x82",
	    "\xf4\x8f\xbf\xbf", "\xed\x9f\xbf", NULL },
	    "valid 4-byte and edge sequences");
}

static void
test_kv(void)
{
	struct spec *sp;

	check_words("s 'a=b'", (const char *const[]){ "s", "a=b", NULL },
	    "quoted a=b is positional");
	check_words("s \"x\"=1", (const char *const[]){ "s", "x=1", NULL },
	    "quoted key is positional");
	check_words("s k=", (const char *const[]){ "s", "k=", NULL },
	    "k= empty value");
	check_words("s k=''", (const char *const[]){ "s", "k=", NULL },
	    "k='' empty value");
	check_words("s =x", (const char *const[]){ "s", "=x", NULL },
	    "=x positional");
	check_words("s 1a=2", (const char *const[]){ "s", "1a=2", NULL },
	    "digit first: positional");
	check_words("s a.b-c_9=1", (const char *const[]){ "s", "a.b-c_9=1",
	    NULL }, "dots and dashes in keys");
	check_words("s k='a b'", (const char *const[]){ "s", "k=a b", NULL },
	    "quoted value");
	check_words("s k==", (const char *const[]){ "s", "k==", NULL },
	    "value '='");
	check_words("s k=a=b", (const char *const[]){ "s", "k=a=b", NULL },
	    "value with '='");
	check_words("s \\k=1", (const char *const[]){ "s", "k=1", NULL },
	    "escaped key char: positional");
	check_words("s k\\=1", (const char *const[]){ "s", "k=1", NULL },
	    "escaped '=': positional");
	check_words("s k'='1", (const char *const[]){ "s", "k=1", NULL },
	    "quoted '=': positional");
	check_words("s a+b=1", (const char *const[]){ "s", "a+b=1", NULL },
	    "non-name char: positional");
	check_words("s -x=1", (const char *const[]){ "s", "-x=1", NULL },
	    "dash first: positional");

	sp = parse("s p1 k=v p2 'a=b' k2=\"x y\"", NULL);
	if (ok(sp != NULL, "mixed line")) {
		const struct spec_line *l = &sp->lines[0];
		char *out;

		ok(l->npos == 3 && same_str(l->pos[1].text, "p2") &&
		    same_str(l->pos[2].text, "a=b") && l->pos[2].col == 13 &&
		    l->nkv == 2 && l->kv[0].kcol == 6 && l->kv[0].vcol == 8 &&
		    l->kv[1].kcol == 19 && l->kv[1].vcol == 22,
		    "positions of mixed words");
		out = line_written(l);
		is_str(out, "s p1 p2 'a=b' k=v k2='x y'",
		    "positional first, then key=value");
		free(out);
	}
	spec_free(sp);
	sp = parse("'a=b' x=1", NULL);
	if (ok(sp != NULL && same_str(sp->lines[0].verb, "a=b"),
	    "quoted verb a=b")) {
		char *out = line_written(&sp->lines[0]);

		is_str(out, "'a=b' x=1", "verb a=b written quoted");
		free(out);
	}
	spec_free(sp);
	sp = parse("v \"it's=1\"", NULL);
	if (ok(sp != NULL, "it's=1")) {
		char *out = line_written(&sp->lines[0]);

		is_str(out, "v \"it's=1\"", "positional with a quote and '='");
		free(out);
	}
	spec_free(sp);
}

static void
test_parse_line(void)
{
	struct spec_line *l;
	struct err err;

	err_clear(&err);
	l = spec_parse_line("step impute columns=a  # c", 5, NULL, &err);
	ok(l != NULL && l->line == 5 && same_str(l->verb, "step") &&
	    l->nkv == 1 && l->kv[0].vcol == 21 &&
	    same_str(l->comment, " c"), "command line");
	spec_line_free(l);
	spec_line_free(NULL);
	l = spec_parse_line("a 'b", 5, NULL, &err);
	ok(l == NULL && err.code == ERR_SPEC, "command line error");
	is_str(err.msg, "<command>:5:3: unterminated quote",
	    "command line error position");
	is_int(err.col, 3, "command line error err.col");
	l = spec_parse_line("a b \\", 1, NULL, &err);
	ok(l == NULL, "no continuation on a command line");
	is_str(err.msg, "<command>:1:5: nothing follows '\\'",
	    "trailing backslash message");
	l = spec_parse_line("a\nb", 1, NULL, &err);
	ok(l == NULL, "two lines refused");
	is_str(err.msg, "<command>:1:2: unexpected newline",
	    "newline message");
	l = spec_parse_line("a b\r\n", 1, NULL, &err);
	ok(l != NULL && l->npos == 1 && same_str(l->pos[0].text, "b"),
	    "one final line end is fine");
	spec_line_free(l);
	l = spec_parse_line("", 1, NULL, &err);
	ok(l != NULL && l->verb == NULL && l->comment == NULL,
	    "empty command line");
	spec_line_free(l);
	l = spec_parse_line("x=1", 1, NULL, &err);
	ok(l == NULL, "command line statement check");
	is_str(err.msg, "<command>:1:1: expected a statement, found 'x=1'",
	    "command line statement message");
	l = spec_parse_line("a \xff", 3, NULL, &err);
	ok(l == NULL, "command line UTF-8 check");
	is_str(err.msg, "<command>:3:3: invalid UTF-8",
	    "command line UTF-8 message");
}

/* Hand-written lines: parse, write, parse again, write again. */
static void
test_roundtrip(void)
{
	static const char *const lines[] = {
		"lathe-pipeline 1",
		"source csv data/credit.csv delimiter=; header=true",
		"step impute columns=@numeric strategy=median  # comment",
		"  step   scale    columns='a b'\t\tmethod=\"z\"",
		"a 'a=b' \"x\"=1 k= k2='' k3==",
		"a \"it's\" 'say \"hi\"' \"both ' and \\\"\"",
		"a \\$ '$' \"\\$\" $$ '${X}' \\\\ '\\'",
		"a '#' \\#x b#c  #   spaced comment   ",
		"# only a comment",
		"#",
		"",
		"   ",
		"'' '' k=''",
		"a caf\xc3\xa9 '\xe6\xbc\xa2 \xe5\xad\x97' k=\xf0\x9f\x99\x82",
		"a 'tab\there' 'cr\rhere'",
		"'a=b' c",
		"'#verb' x",
		"a '' b",
		"step impute \\\n  columns=a",
		"a \"\\n\\t\\x\"",
		"a =x ==",
		"a \"'\"=\"'\"",
		"a k='x'\"y\"z \"'\"'\"'",
	};
	size_t i;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct spec *a = parse(lines[i], NULL), *b = NULL, *c = NULL;
		char *wa = NULL, *wb = NULL;

		if (a == NULL) {
			ok(0, "round trip %zu parses", i);
			continue;
		}
		wa = written(a);
		b = parse(wa, NULL);
		ok(same_spec(a, b), "round trip %zu: same words", i);
		if (b != NULL) {
			char label[64];

			snprintf(label, sizeof label,
			    "round trip %zu: same text", i);
			wb = written(b);
			is_str(wb, wa, label);
			c = parse(wb, NULL);
		}
		spec_free(a);
		spec_free(b);
		spec_free(c);
		free(wa);
		free(wb);
	}
}

/*
 * Random words quoted with spec_quote and joined with blanks (and now
 * and then a continuation): each must come back as written, as a key=
 * value word when its bare form reads as one.
 */
static void
test_random_words(void)
{
	struct strbuf text = STRBUF_INIT, w = STRBUF_INIT;
	char *words[12];
	size_t iter, n, i, npos, nkv, bad = 0;
	struct spec *sp;
	struct err err;
	const struct spec_line *l;
	const char *eq;
	int good;

	for (iter = 0; iter < 3000; iter++) {
		strbuf_reset(&text);
		strbuf_addstr(&text, "v");
		n = (size_t)(rnd() % 12);
		for (i = 0; i < n; i++) {
			strbuf_reset(&w);
			random_word(&w, 6);
			words[i] = strbuf_detach(&w);
			switch (rnd() % 8) {
			case 0:
				strbuf_addstr(&text, " \\\n ");
				break;
			case 1:
				strbuf_addstr(&text, "\t");
				break;
			default:
				strbuf_addstr(&text, " ");
				break;
			}
			spec_quote(&text, words[i]);
		}
		if (rnd() % 4 == 0)
			strbuf_addstr(&text, "  # tail");
		err_clear(&err);
		sp = spec_parse(strbuf_str(&text), "r", NULL, &err);
		good = sp != NULL && sp->nlines == 1;
		if (good) {
			l = &sp->lines[0];
			npos = nkv = 0;
			for (i = 0; i < n && good; i++) {
				strbuf_reset(&w);
				spec_quote(&w, words[i]);
				if (strcmp(strbuf_str(&w), words[i]) == 0 &&
				    looks_kv(words[i])) {
					eq = strchr(words[i], '=');
					good = nkv < l->nkv &&
					    strlen(l->kv[nkv].key) ==
					    (size_t)(eq - words[i]) &&
					    strncmp(l->kv[nkv].key, words[i],
					    (size_t)(eq - words[i])) == 0 &&
					    strcmp(l->kv[nkv].value,
					    eq + 1) == 0;
					nkv++;
				} else {
					good = npos < l->npos &&
					    strcmp(l->pos[npos].text,
					    words[i]) == 0;
					npos++;
				}
			}
			good = good && npos == l->npos && nkv == l->nkv;
		}
		if (!good && bad++ < 3)
			printf("# random words failed on: %s\n# %s\n",
			    strbuf_str(&text), sp == NULL ? err.msg : "");
		spec_free(sp);
		for (i = 0; i < n; i++)
			free(words[i]);
	}
	ok(bad == 0, "3000 random quoted word lines parse back (%zu bad)",
	    bad);
	strbuf_release(&text);
	strbuf_release(&w);
}

/*
 * Random spec lines built directly (verbs and positional words that
 * look like key=value included): write, parse, compare, write again.
 */
static void
test_random_lines(void)
{
	struct strbuf sb = STRBUF_INIT, w = STRBUF_INIT;
	struct spec_line lines[6];
	struct spec fake, *back;
	size_t iter, i, j, bad = 0, badtext = 0;
	char *text, *again;
	struct err err;

	for (iter = 0; iter < 2000; iter++) {
		memset(lines, 0, sizeof lines);
		for (i = 0; i < 6; i++) {
			struct spec_line *l = &lines[i];

			if (rnd() % 6 == 0) {
				/* a blank or comment-only line */
			} else {
				random_word(&w, 5);
				l->verb = strbuf_detach(&w);
				l->npos = (size_t)(rnd() % 4);
				l->pos = xcalloc(l->npos + 1, sizeof *l->pos);
				for (j = 0; j < l->npos; j++) {
					random_word(&w, 6);
					l->pos[j].text = strbuf_detach(&w);
				}
				l->nkv = (size_t)(rnd() % 4);
				l->kv = xcalloc(l->nkv + 1, sizeof *l->kv);
				for (j = 0; j < l->nkv; j++) {
					random_name(&w);
					l->kv[j].key = strbuf_detach(&w);
					random_word(&w, 6);
					l->kv[j].value = strbuf_detach(&w);
				}
			}
			if (rnd() % 3 == 0) {
				random_word(&w, 6);
				/* A comment ends at the line end, CRs too. */
				while (w.len > 0 && w.buf[w.len - 1] == '\r')
					w.buf[--w.len] = '\0';
				l->comment = strbuf_detach(&w);
			}
		}
		fake.file = NULL;
		fake.lines = lines;
		fake.nlines = 6;
		strbuf_reset(&sb);
		spec_write(&fake, &sb);
		text = strbuf_detach(&sb);
		err_clear(&err);
		back = spec_parse(text, "r", NULL, &err);
		if (!same_spec(&fake, back) && bad++ < 3)
			printf("# random lines failed on:\n%s# %s\n", text,
			    back == NULL ? err.msg : "");
		if (back != NULL) {
			again = written(back);
			if (strcmp(again, text) != 0)
				badtext++;
			free(again);
		}
		spec_free(back);
		free(text);
		for (i = 0; i < 6; i++) {
			free(lines[i].verb);
			for (j = 0; j < lines[i].npos; j++)
				free(lines[i].pos[j].text);
			free(lines[i].pos);
			for (j = 0; j < lines[i].nkv; j++) {
				free((char *)lines[i].kv[j].key);
				free((char *)lines[i].kv[j].value);
			}
			free(lines[i].kv);
			free(lines[i].comment);
		}
	}
	ok(bad == 0, "2000 random specs: parse(write(x)) == x (%zu bad)",
	    bad);
	ok(badtext == 0, "2000 random specs: write is a fixed point "
	    "(%zu bad)", badtext);
	strbuf_release(&sb);
	strbuf_release(&w);
}

static void
test_load(void)
{
	static const char body[] = "lathe-pipeline 1\nsource csv "
	    "data/${NAME}.csv\n";
	char path[] = "/tmp/t-spec-XXXXXX";
	struct spec_vars vars;
	struct spec *sp;
	struct err err;
	FILE *fp;
	int fd;

	spec_vars_init(&vars);
	spec_vars_add(&vars, "NAME=iris", &err);
	fd = mkstemp(path);
	if (!ok(fd != -1, "temp file")) {
		spec_vars_release(&vars);
		return;
	}
	fp = fdopen(fd, "w");
	fputs(body, fp);
	fclose(fp);
	err_clear(&err);
	sp = spec_load(path, &vars, &err);
	ok(sp != NULL && sp->nlines == 2 && same_str(sp->file, path) &&
	    same_str(sp->lines[1].pos[1].text, "data/iris.csv"),
	    "spec_load reads the file");
	spec_free(sp);
	sp = spec_load(path, NULL, &err);
	ok(sp == NULL && err.code == ERR_SPEC, "unset placeholder in a file");
	ok(strncmp(err.msg, path, strlen(path)) == 0 &&
	    strcmp(err.msg + strlen(path), ":2:17: '${NAME}' is not set "
	    "(give it with --set NAME=VALUE)") == 0,
	    "message names the file, line and column");

	fp = fopen(path, "wb");
	fwrite("a\nb \0c\n", 1, 7, fp);
	fclose(fp);
	sp = spec_load(path, NULL, &err);
	ok(sp == NULL && err.code == ERR_SPEC &&
	    strcmp(err.msg + strlen(path), ":2:3: unexpected NUL byte") == 0,
	    "NUL byte refused");

	unlink(path);
	sp = spec_load(path, NULL, &err);
	ok(sp == NULL && err.code == ERR_IO, "missing file: ERR_IO");
	ok(strncmp(err.msg, "cannot read '", 13) == 0 &&
	    strstr(err.msg, "': No such file or directory") != NULL,
	    "missing file message");
	printf("# %s\n", err.msg);
	sp = spec_load("/", NULL, &err);
	ok(sp == NULL && err.code == ERR_IO, "a directory: ERR_IO");
	is_str(err.msg, "cannot read '/': Is a directory",
	    "directory message");
	spec_vars_release(&vars);
}

int
main(void)
{
	test_realistic();
	test_quoting();
	test_comments();
	test_continuation();
	test_crlf_bom();
	test_placeholders();
	test_errors();
	test_kv();
	test_parse_line();
	test_roundtrip();
	test_random_words();
	test_random_lines();
	test_load();
	return tap_done();
}

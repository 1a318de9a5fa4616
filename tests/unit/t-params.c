/*
 * t-params.c - unit tests for core/params.c.
 *
 * Every parameter type is fed good and bad values, and the error
 * messages are checked whole: the FILE:LINE:COL prefix, the token and
 * the hint.  Also: unknown, repeated and missing arguments with their
 * suggestions, defaults, typed access, splitting of lists, deep copies,
 * the canonical params_write() text, spec_quote() on awkward strings,
 * edit_distance() and suggest().  The columns used are those the words
 * would have after "step impute " on a spec line.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/params.h"
#include "core/xmalloc.h"
#include "tap.h"

#define MAXW 16

static const struct param_def impute_params[] = {
	{ "columns", PT_COLS, NULL, NULL, 0, 0, "columns to fill" },
	{ "strategy", PT_ENUM, "mean", "mean|median|most_frequent|constant",
	    0, 0, "how to fill" },
	{ "fill", PT_STR, "", NULL, 0, 0, "the constant" },
	{ "add_indicator", PT_BOOL, "false", NULL, 0, 0, "add flags" },
	{ "k", PT_INT, "5", NULL, 1, 100, "neighbours" },
	{ "n", PT_INT, "0", NULL, 0, 0, "unbounded int" },
	{ "frac", PT_NUM, "0.5", NULL, 0, 1, "a fraction" },
	{ "alpha", PT_NUM, "1", NULL, 0, 0, "unbounded number" },
	{ "quantiles", PT_NUMS, "0.25,0.75", NULL, 0, 1, "cut points" },
	{ "names", PT_STRS, "", NULL, 0, 0, "labels" },
	{ "target", PT_COL, "", NULL, 0, 0, "one column" },
	{ "where", PT_EXPR, "", NULL, 0, 0, "a filter" },
	{ NULL, PT_STR, NULL, NULL, 0, 0, NULL },
};

static const struct param_def empty_params[] = {
	{ NULL, PT_STR, NULL, NULL, 0, 0, NULL },
};

static int	 run(struct params *, const struct param_def *, const char *,
		    const char *, struct err *);
static void	 accept(const char *, const char *, const char *,
		    const char *);
static void	 reject(const char *, const char *, const char *);
static char	*quoted(const char *);
static void	 test_unknown(void);
static void	 test_repeated_missing(void);
static void	 test_types(void);
static void	 test_defaults(void);
static void	 test_lists(void);
static void	 test_copy_write(void);
static void	 test_abort(void);
static void	 test_quote(void);
static void	 test_distance(void);

/*
 * Parse "k=v k=v" (split on single blanks, no quoting) as written after
 * "step impute " on line 7 of spec.lathe.
 */
static int
run(struct params *p, const struct param_def *schema, const char *file,
    const char *text, struct err *err)
{
	struct param_word w[MAXW];
	struct srcpos pos = { file, 7 };
	char *copy = xstrdup(text), *tok, *eq, *save = NULL;
	size_t n = 0;
	int rc;

	for (tok = strtok_r(copy, " ", &save); tok != NULL && n < MAXW;
	    tok = strtok_r(NULL, " ", &save)) {
		eq = strchr(tok, '=');
		*eq = '\0';
		w[n].key = tok;
		w[n].value = eq + 1;
		w[n].kcol = 13 + (int)(tok - copy);
		w[n].vcol = 13 + (int)(eq + 1 - copy);
		n++;
	}
	err_clear(err);
	rc = params_parse(p, schema, w, n, &pos, "step 'impute'", err);
	free(copy);
	return rc;
}

/* text parses; name then reads back as want. */
static void
accept(const char *text, const char *name, const char *want,
    const char *label)
{
	struct params p;
	struct err err;
	int rc = run(&p, impute_params, "spec.lathe", text, &err);

	if (!ok(rc == 0, "%s: accepted", label)) {
		printf("#   %s\n", err.msg);
		return;
	}
	is_str(params_str(&p, name), want, label);
	params_release(&p);
}

/* text fails with exactly msg. */
static void
reject(const char *text, const char *msg, const char *label)
{
	struct params p;
	struct err err;
	int rc = run(&p, impute_params, "spec.lathe", text, &err);
	int col = -1;

	ok(rc == -1 && err.code == ERR_SPEC, "%s: rejected", label);
	is_str(err.msg, msg, label);
	sscanf(msg, "%*[^:]:%*d:%d:", &col);
	ok(err.col == col, "%s: err.col %d", label, col);
	ok(p.n == 0 && p.v == NULL, "%s: params left empty", label);
	if (rc == 0)
		params_release(&p);
}

static char *
quoted(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	spec_quote(&sb, s);
	return strbuf_detach(&sb);
}

static void
test_unknown(void)
{
	struct params p;
	struct err err;

	reject("columns=a strateg=mean",
	    "spec.lathe:7:23: unknown argument 'strateg' for step 'impute' "
	    "(did you mean 'strategy'?)", "unknown, suggested");
	reject("columns=a zzzzzzzz=1",
	    "spec.lathe:7:23: unknown argument 'zzzzzzzz' for step 'impute' "
	    "(arguments: columns, strategy, fill, add_indicator, k, n, frac, "
	    "alpha, quantiles, names, target, where)",
	    "unknown, names listed");
	reject("add=1 columns=a",
	    "spec.lathe:7:13: unknown argument 'add' for step 'impute' "
	    "(did you mean 'add_indicator'?)", "unknown, unique prefix");
	reject("Columns=a",
	    "spec.lathe:7:13: unknown argument 'Columns' for step 'impute' "
	    "(did you mean 'columns'?)", "names are case-sensitive");

	ok(run(&p, empty_params, "spec.lathe", "x=1", &err) == -1,
	    "empty schema refuses any word");
	is_str(err.msg, "spec.lathe:7:13: unknown argument 'x' for step "
	    "'impute' (it takes no arguments)", "empty schema message");
	ok(run(&p, empty_params, "spec.lathe", "", &err) == 0,
	    "empty schema, no words");
	is_int((long long)p.n, 0, "empty schema, no values");
	params_release(&p);

	ok(run(&p, impute_params, NULL, "colums=a", &err) == -1,
	    "no file name");
	is_str(err.msg, "<command>:7:13: unknown argument 'colums' for step "
	    "'impute' (did you mean 'columns'?)", "no file name: <command>");
}

static void
test_repeated_missing(void)
{
	struct param_word w = { "columns", "a", 3, 11 };
	struct params p;
	struct err err;

	reject("columns=a columns=b",
	    "spec.lathe:7:23: repeated argument 'columns' for step 'impute'",
	    "repeated");
	reject("columns=a k=3 k=3",
	    "spec.lathe:7:27: repeated argument 'k' for step 'impute'",
	    "repeated with the same value");
	reject("strategy=median",
	    "spec.lathe:7:1: missing argument 'columns' for step 'impute'",
	    "missing required");
	reject("",
	    "spec.lathe:7:1: missing argument 'columns' for step 'impute'",
	    "no words at all");
	/* The first bad word wins over a missing argument. */
	reject("k=0",
	    "spec.lathe:7:15: bad value '0' for 'k' (expected a whole number "
	    "from 1 to 100)", "bad word reported before missing");

	err_clear(&err);
	ok(params_parse(&p, impute_params, &w, 1, NULL, NULL, &err) == 0,
	    "NULL srcpos and owner");
	params_release(&p);
	ok(params_parse(&p, impute_params, NULL, 0, NULL, NULL, &err) == -1,
	    "NULL srcpos, missing");
	is_str(err.msg, "<command>:1:1: missing argument 'columns'",
	    "no owner named");
}

static void
test_types(void)
{
	/* PT_BOOL */
	accept("columns=a add_indicator=true", "add_indicator", "true",
	    "bool true");
	accept("columns=a add_indicator=yes", "add_indicator", "true",
	    "bool yes -> true");
	accept("columns=a add_indicator=1", "add_indicator", "true",
	    "bool 1 -> true");
	accept("columns=a add_indicator=TRUE", "add_indicator", "true",
	    "bool TRUE -> true");
	accept("columns=a add_indicator=no", "add_indicator", "false",
	    "bool no -> false");
	accept("columns=a add_indicator=0", "add_indicator", "false",
	    "bool 0 -> false");
	accept("columns=a add_indicator=False", "add_indicator", "false",
	    "bool False -> false");
	reject("columns=a add_indicator=maybe",
	    "spec.lathe:7:37: bad value 'maybe' for 'add_indicator' "
	    "(expected true or false)", "bool maybe");
	reject("columns=a add_indicator=",
	    "spec.lathe:7:37: bad value '' for 'add_indicator' "
	    "(expected true or false)", "bool empty");
	reject("columns=a add_indicator=2",
	    "spec.lathe:7:37: bad value '2' for 'add_indicator' "
	    "(expected true or false)", "bool 2");

	/* PT_INT */
	accept("columns=a k=7", "k", "7", "int");
	accept("columns=a k=1", "k", "1", "int at min");
	accept("columns=a k=100", "k", "100", "int at max");
	accept("columns=a k=+42", "k", "+42", "int with + kept as given");
	accept("columns=a n=-99999", "n", "-99999", "unbounded int");
	reject("columns=a k=abc",
	    "spec.lathe:7:25: bad value 'abc' for 'k' (expected a whole "
	    "number)", "int abc");
	reject("columns=a k=2.5",
	    "spec.lathe:7:25: bad value '2.5' for 'k' (expected a whole "
	    "number)", "int 2.5");
	reject("columns=a k=7x",
	    "spec.lathe:7:25: bad value '7x' for 'k' (expected a whole "
	    "number)", "int 7x");
	reject("columns=a k=0x10",
	    "spec.lathe:7:25: bad value '0x10' for 'k' (expected a whole "
	    "number)", "int hex");
	reject("columns=a k=",
	    "spec.lathe:7:25: bad value '' for 'k' (expected a whole "
	    "number)", "int empty");
	reject("columns=a k=101",
	    "spec.lathe:7:25: bad value '101' for 'k' (expected a whole "
	    "number from 1 to 100)", "int above max");
	reject("columns=a k=-1",
	    "spec.lathe:7:25: bad value '-1' for 'k' (expected a whole "
	    "number from 1 to 100)", "int below min");
	reject("columns=a k=99999999999999999999999",
	    "spec.lathe:7:25: bad value '99999999999999999999999' for 'k' "
	    "(expected a whole number from 1 to 100)", "int overflow, bounded");
	reject("columns=a n=99999999999999999999999",
	    "spec.lathe:7:25: bad value '99999999999999999999999' for 'n' "
	    "(out of range)", "int overflow, unbounded");

	/* PT_NUM */
	accept("columns=a frac=0.25", "frac", "0.25", "num");
	accept("columns=a frac=1e-1", "frac", "1e-1", "num exponent");
	accept("columns=a frac=.5", "frac", ".5", "num .5");
	accept("columns=a frac=1.", "frac", "1.", "num 1.");
	accept("columns=a alpha=-1234.5e3", "alpha", "-1234.5e3",
	    "unbounded num");
	reject("columns=a frac=x",
	    "spec.lathe:7:28: bad value 'x' for 'frac' (expected a number)",
	    "num x");
	reject("columns=a frac=inf",
	    "spec.lathe:7:28: bad value 'inf' for 'frac' (expected a "
	    "number)", "num inf");
	reject("columns=a frac=nan",
	    "spec.lathe:7:28: bad value 'nan' for 'frac' (expected a "
	    "number)", "num nan");
	reject("columns=a frac=0x1p-1",
	    "spec.lathe:7:28: bad value '0x1p-1' for 'frac' (expected a "
	    "number)", "num hex");
	reject("columns=a frac=1e",
	    "spec.lathe:7:28: bad value '1e' for 'frac' (expected a "
	    "number)", "num 1e");
	reject("columns=a frac=.",
	    "spec.lathe:7:28: bad value '.' for 'frac' (expected a "
	    "number)", "num .");
	reject("columns=a frac=1.5",
	    "spec.lathe:7:28: bad value '1.5' for 'frac' (expected a number "
	    "from 0 to 1)", "num above max");
	reject("columns=a frac=-0.1",
	    "spec.lathe:7:28: bad value '-0.1' for 'frac' (expected a number "
	    "from 0 to 1)", "num below min");
	reject("columns=a alpha=1e999",
	    "spec.lathe:7:29: bad value '1e999' for 'alpha' (out of range)",
	    "num overflow");

	/* PT_ENUM */
	accept("columns=a strategy=median", "strategy", "median", "enum");
	accept("columns=a strategy=most_frequent", "strategy",
	    "most_frequent", "enum with underscore");
	reject("columns=a strategy=medain",
	    "spec.lathe:7:32: bad value 'medain' for 'strategy' (did you "
	    "mean 'median'? choices: mean, median, most_frequent, constant)",
	    "enum suggestion");
	reject("columns=a strategy=most",
	    "spec.lathe:7:32: bad value 'most' for 'strategy' (did you "
	    "mean 'most_frequent'? choices: mean, median, most_frequent, "
	    "constant)", "enum prefix suggestion");
	reject("columns=a strategy=zzz",
	    "spec.lathe:7:32: bad value 'zzz' for 'strategy' (choices: mean, "
	    "median, most_frequent, constant)", "enum no suggestion");
	reject("columns=a strategy=Mean",
	    "spec.lathe:7:32: bad value 'Mean' for 'strategy' (did you "
	    "mean 'mean'? choices: mean, median, most_frequent, constant)",
	    "enum is case-sensitive");

	/* PT_NUMS */
	accept("columns=a quantiles=0.1,0.5,0.9", "quantiles",
	    "0.1,0.5,0.9", "nums");
	accept("columns=a quantiles=1", "quantiles", "1", "nums, one");
	reject("columns=a quantiles=0.1,,0.9",
	    "spec.lathe:7:33: bad value '0.1,,0.9' for 'quantiles' "
	    "(expected comma-separated numbers)", "nums empty item");
	reject("columns=a quantiles=0.1,x",
	    "spec.lathe:7:33: bad value '0.1,x' for 'quantiles' "
	    "(expected comma-separated numbers)", "nums bad item");
	reject("columns=a quantiles=0.1,",
	    "spec.lathe:7:33: bad value '0.1,' for 'quantiles' "
	    "(expected comma-separated numbers)", "nums trailing comma");
	reject("columns=a quantiles=",
	    "spec.lathe:7:33: bad value '' for 'quantiles' "
	    "(expected comma-separated numbers)", "nums empty");
	reject("columns=a quantiles=0.5,2",
	    "spec.lathe:7:33: bad value '0.5,2' for 'quantiles' "
	    "(expected numbers from 0 to 1)", "nums out of range");

	/* PT_STRS */
	accept("columns=a names=a,b,c", "names", "a,b,c", "strs");
	reject("columns=a names=a,,c",
	    "spec.lathe:7:29: bad value 'a,,c' for 'names' (expected "
	    "comma-separated words)", "strs empty item");
	reject("columns=a names=",
	    "spec.lathe:7:29: bad value '' for 'names' (expected "
	    "comma-separated words)", "strs empty");
	reject("columns=a names=,a",
	    "spec.lathe:7:29: bad value ',a' for 'names' (expected "
	    "comma-separated words)", "strs leading comma");

	/* PT_COLS, PT_COL, PT_EXPR, PT_STR */
	accept("columns=@numeric,!id", "columns", "@numeric,!id", "cols");
	reject("columns=",
	    "spec.lathe:7:21: empty value for 'columns' (expected a column "
	    "list)", "cols empty");
	accept("columns=a target=class", "target", "class", "col");
	reject("columns=a target=",
	    "spec.lathe:7:30: empty value for 'target' (expected a column "
	    "name)", "col empty");
	accept("columns=a where=x>1", "where", "x>1", "expr");
	reject("columns=a where=",
	    "spec.lathe:7:29: empty value for 'where' (expected an "
	    "expression)", "expr empty");
	accept("columns=a fill=", "fill", "", "str may be empty");
	accept("columns=a fill=anything:at/all", "fill", "anything:at/all",
	    "str");
}

static void
test_defaults(void)
{
	const struct param_val *v;
	struct params p;
	struct err err;

	ok(run(&p, impute_params, "spec.lathe", "columns=@numeric "
	    "strategy=median", &err) == 0, "parse for defaults");
	is_int((long long)p.n, 12, "one value per schema entry");
	ok(p.schema == impute_params, "schema kept");
	is_str(params_str(&p, "columns"), "@numeric", "given str");
	ok(params_given(&p, "columns"), "columns given");
	ok(params_given(&p, "strategy"), "strategy given");
	ok(!params_given(&p, "k"), "k not given");
	is_str(params_str(&p, "fill"), "", "empty default");
	is_str(params_str(&p, "add_indicator"), "false", "bool default");
	ok(params_bool(&p, "add_indicator") == 0, "bool default false");
	is_int(params_int(&p, "k"), 5, "int default");
	is_double(params_num(&p, "frac"), 0.5, 0, "num default");
	is_double(params_num(&p, "alpha"), 1, 0, "num default 1");
	ok(isnan(params_num(&p, "fill")), "num of empty text is NAN");
	v = params_get(&p, "columns");
	ok(v->def == &impute_params[0], "get: def");
	is_int(v->line, 7, "get: line");
	is_int(v->col, 21, "get: col of the value");
	v = params_get(&p, "strategy");
	is_int(v->col, 39, "get: col of the second value");
	v = params_get(&p, "k");
	ok(v->given == 0 && v->line == 7 && v->col == 1,
	    "default: line of the statement, column 1");
	params_release(&p);
	params_release(&p);
	ok(p.n == 0 && p.v == NULL, "release twice is harmless");

	ok(run(&p, impute_params, "spec.lathe", "columns=a k=42 frac=0.125 "
	    "add_indicator=yes", &err) == 0, "parse typed");
	is_int(params_int(&p, "k"), 42, "params_int");
	is_double(params_num(&p, "frac"), 0.125, 0, "params_num");
	ok(params_bool(&p, "add_indicator") == 1, "params_bool");
	params_release(&p);
}

static void
test_lists(void)
{
	struct param_word w[3] = {
		{ "columns", "a", 13, 21 },
		{ "quantiles", " 0.1 , 0.5,0.9 ", 23, 33 },
		{ "names", "x, y ,z", 50, 56 },
	};
	struct params p;
	struct err err;
	double *d;
	char **s;
	size_t n;

	err_clear(&err);
	ok(params_parse(&p, impute_params, w, 3, NULL, "step 'impute'",
	    &err) == 0, "lists with blanks accepted");
	is_str(params_str(&p, "quantiles"), " 0.1 , 0.5,0.9 ",
	    "list text kept as given");
	n = params_nums(&p, "quantiles", &d);
	is_int((long long)n, 3, "nums count");
	is_double(d[0], 0.1, 0, "nums[0]");
	is_double(d[1], 0.5, 0, "nums[1]");
	is_double(d[2], 0.9, 0, "nums[2]");
	free(d);
	n = params_strs(&p, "names", &s);
	is_int((long long)n, 3, "strs count");
	is_str(s[0], "x", "strs[0]");
	is_str(s[1], "y", "strs[1] trimmed");
	is_str(s[2], "z", "strs[2]");
	strs_free(s, n);
	n = params_strs(&p, "fill", &s);
	ok(n == 0 && s == NULL, "empty text: no items");
	strs_free(s, n);
	n = params_nums(&p, "fill", &d);
	ok(n == 0 && d == NULL, "empty text: no numbers");
	free(d);
	params_release(&p);

	ok(run(&p, impute_params, "f", "columns=a", &err) == 0,
	    "default list");
	n = params_nums(&p, "quantiles", &d);
	ok(n == 2 && d[0] == 0.25 && d[1] == 0.75, "default nums split");
	free(d);
	params_release(&p);
	strs_free(NULL, 0);
	ok(1, "strs_free(NULL) is harmless");
}

static void
test_copy_write(void)
{
	struct param_word w[5] = {
		{ "k", "7", 1, 3 },
		{ "fill", "a b", 5, 10 },
		{ "columns", "@numeric", 14, 22 },
		{ "add_indicator", "yes", 31, 45 },
		{ "where", "it's $x", 49, 55 },
	};
	struct strbuf sb = STRBUF_INIT;
	struct params p, q;
	struct err err;
	size_t i;

	ok(params_parse(&p, impute_params, w, 5, NULL, NULL, &err) == 0,
	    "parse for write");
	params_write(&p, &sb);
	is_str(strbuf_str(&sb), "columns=@numeric fill='a b' "
	    "add_indicator=true k=7 where=\"it's \\$x\"",
	    "params_write: given only, schema order, quoted");

	params_copy(&q, &p);
	ok(q.n == p.n && q.schema == p.schema, "copy: shape");
	for (i = 0; i < p.n; i++)
		if (q.v[i].text == p.v[i].text ||
		    strcmp(q.v[i].text, p.v[i].text) != 0 ||
		    q.v[i].given != p.v[i].given || q.v[i].col != p.v[i].col)
			break;
	ok(i == p.n, "copy: deep and equal");
	params_release(&p);
	strbuf_reset(&sb);
	params_write(&q, &sb);
	is_str(strbuf_str(&sb), "columns=@numeric fill='a b' "
	    "add_indicator=true k=7 where=\"it's \\$x\"",
	    "copy outlives the original");
	params_release(&q);

	ok(params_parse(&p, impute_params, w + 2, 1, NULL, NULL, &err) == 0,
	    "parse one");
	strbuf_reset(&sb);
	params_write(&p, &sb);
	is_str(strbuf_str(&sb), "columns=@numeric", "one given value");
	params_release(&p);

	w[0].key = "fill";
	w[0].value = "";
	w[1] = w[2];
	ok(params_parse(&p, impute_params, w, 2, NULL, NULL, &err) == 0,
	    "parse empty str");
	strbuf_reset(&sb);
	params_write(&p, &sb);
	is_str(strbuf_str(&sb), "columns=@numeric fill=''",
	    "an empty value is written ''");
	params_release(&p);
	strbuf_release(&sb);
}

/* Asking for a name outside the schema is a bug: the process aborts. */
static void
test_abort(void)
{
	struct param_word w = { "columns", "a", 1, 9 };
	struct params p;
	struct err err;
	pid_t pid;
	int status = 0;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(3);
		if (params_parse(&p, impute_params, &w, 1, NULL, NULL,
		    &err) == -1)
			_exit(2);
		params_str(&p, "nosuch");
		_exit(0);
	}
	ok(pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	    "unknown name aborts");
}

static void
test_quote(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "''" },
		{ "abc", "abc" },
		{ "@numeric,!id", "@numeric,!id" },
		{ "data/credit.csv", "data/credit.csv" },
		{ "a=b", "a=b" },
		{ "x*?^~%+-:", "x*?^~%+-:" },
		{ "-1.5e3", "-1.5e3" },
		{ "a b", "'a b'" },
		{ "a\tb", "'a\tb'" },
		{ " ", "' '" },
		{ "it's", "\"it's\"" },
		{ "say \"hi\"", "'say \"hi\"'" },
		{ "'", "\"'\"" },
		{ "\"", "'\"'" },
		{ "$HOME", "'$HOME'" },
		{ "${X}", "'${X}'" },
		{ "it's $5", "\"it's \\$5\"" },
		{ "it's \\ \"x\"", "\"it's \\\\ \\\"x\\\"\"" },
		{ "#x", "'#x'" },
		{ "#", "'#'" },
		{ "a#b", "'a#b'" },
		{ "=", "=" },
		{ "=x", "=x" },
		{ "caf\xc3\xa9", "'caf\xc3\xa9'" },
		{ "\xe6\xbc\xa2\xe5\xad\x97", "'\xe6\xbc\xa2\xe5\xad\x97'" },
		{ "a\\b", "'a\\b'" },
		{ "{}", "'{}'" },
		{ ";", "';'" },
		{ "a(b)", "'a(b)'" },
	};
	size_t i;
	char *q;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		q = quoted(cases[i].in);
		is_str(q, cases[i].out, cases[i].out);
		free(q);
	}
}

static void
test_distance(void)
{
	static const char *const names[] = { "columns", "strategy", "fill",
		"add_indicator", NULL };
	static const char *const choices[] = { "mean", "median",
		"most_frequent", "constant", NULL };
	static const char *const twos[] = { "ix", "name", NULL };
	static const char *const ties[] = { "bat", "hat", NULL };
	static const char *const none[] = { NULL };

	is_int((long long)edit_distance("", ""), 0, "distance '' ''");
	is_int((long long)edit_distance("abc", ""), 3, "distance abc ''");
	is_int((long long)edit_distance("", "abcd"), 4, "distance '' abcd");
	is_int((long long)edit_distance("same", "same"), 0, "distance equal");
	is_int((long long)edit_distance("kitten", "sitting"), 3,
	    "distance kitten sitting");
	is_int((long long)edit_distance("flaw", "lawn"), 2,
	    "distance flaw lawn");
	is_int((long long)edit_distance("strateg", "strategy"), 1,
	    "distance strateg strategy");
	is_int((long long)edit_distance("medain", "median"), 2,
	    "distance medain median (a swap is two edits)");
	is_int((long long)edit_distance("caf\xc3\xa9", "cafe"), 2,
	    "distance counts bytes");

	is_str(suggest("strateg", names), "strategy", "suggest strateg");
	is_str(suggest("colums", names), "columns", "suggest colums");
	is_str(suggest("medain", choices), "median", "suggest medain");
	is_str(suggest("mean", choices), "mean", "suggest exact");
	is_str(suggest("most", choices), "most_frequent",
	    "suggest unique prefix");
	ok(suggest("me", choices) == NULL, "ambiguous prefix: none");
	ok(suggest("xyzzy", names) == NULL, "nothing close");
	is_str(suggest("id", twos), "ix", "short word, one edit");
	ok(suggest("ab", twos) == NULL, "short word, two edits: none");
	is_str(suggest("cat", ties), "bat", "ties go to the first");
	is_str(suggest("medain", (const char *const[]){ "mean", "median",
	    NULL }), "median", "equal distance: closer length wins");
	is_str(suggest("abcd", (const char *const[]){ "abcdef", "abcx",
	    NULL }), "abcx", "distance first, length second");
	ok(suggest("x", none) == NULL, "no candidates");
	ok(suggest("x", NULL) == NULL, "NULL candidates");
	is_str(suggest("constnt", choices), "constant", "suggest constnt");
	is_str(suggest("add_indicater", names), "add_indicator",
	    "suggest long word");
}

int
main(void)
{
	test_unknown();
	test_repeated_missing();
	test_types();
	test_defaults();
	test_lists();
	test_copy_write();
	test_abort();
	test_quote();
	test_distance();
	return tap_done();
}

/*
 * t-expr.c - row expressions: parsing, canonical writing, binding and
 * type errors, values row by row (NULL logic included), and a
 * million-row comparison of vectorized evaluation with a scalar one.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/expr.h"
#include "core/xmalloc.h"
#include "tap.h"

#define N NAN
#define NROWS 5

static struct column *
col_num(const char *name, enum coltype type, const double *v, size_t n)
{
	struct column *c = column_new(name, type, n);

	memcpy(c->num, v, n * sizeof *v);
	return c;
}

static struct column *
col_cat(const char *name, const char *const *v, size_t n)
{
	struct column *c = column_new(name, COL_CAT, n);
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] != NULL)
			c->codes[i] = dict_intern(c->dict, v[i], strlen(v[i]));
	return c;
}

static struct column *
col_text(const char *name, const char *const *v, size_t n)
{
	struct column *c = column_new(name, COL_TEXT, n);
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i] == NULL)
			continue;
		c->off[i] = sb.len;
		strbuf_add(&sb, v[i], strlen(v[i]) + 1);
	}
	c->arena_len = sb.len;
	c->arena = strbuf_detach(&sb);
	return c;
}

/* Every column type, with missing values. */
static struct table *
table_basic(void)
{
	static const char *const s[] = {
		"apple", "Banana", NULL, "cherry", "apple"
	};
	static const char *const t[] = {
		"h\xc3\xa9llo", "", NULL, "  pad  ", "it's"
	};
	struct table *tab = table_new();

	table_add_column(tab, col_num("n", COL_INT,
	    (double[]){ 1, 2, N, -3, 0 }, NROWS));
	table_add_column(tab, col_num("f", COL_FLOAT,
	    (double[]){ 1.5, N, 2.25, -0.5, 10 }, NROWS));
	table_add_column(tab, col_num("b", COL_BOOL,
	    (double[]){ 1, 0, N, 1, 0 }, NROWS));
	table_add_column(tab, col_cat("s", s, NROWS));
	table_add_column(tab, col_text("t", t, NROWS));
	table_add_column(tab, col_num("d", COL_DATE,
	    (double[]){ 0, 11016, N, -1, 19000 }, NROWS));
	table_add_column(tab, col_num("ts", COL_DATETIME,
	    (double[]){ 0.5, 86400, N, -1, 1e9 }, NROWS));
	table_add_column(tab, col_num("my col", COL_FLOAT,
	    (double[]){ 10, 20, 30, N, 50 }, NROWS));
	table_add_column(tab, col_num("AND", COL_INT,
	    (double[]){ 7, 7, 7, 7, 7 }, NROWS));
	table_add_column(tab, col_num("price", COL_FLOAT,
	    (double[]){ 9.99, 1, 2, 3, 4 }, NROWS));
	tab->nrows = NROWS;
	return tab;
}

/* p and q over every pair of true, false and NULL. */
static struct table *
table_logic(void)
{
	struct table *tab = table_new();

	table_add_column(tab, col_num("p", COL_BOOL,
	    (double[]){ 1, 1, 1, 0, 0, 0, N, N, N }, 9));
	table_add_column(tab, col_num("q", COL_BOOL,
	    (double[]){ 1, 0, N, 1, 0, N, 1, 0, N }, 9));
	tab->nrows = 9;
	return tab;
}

static struct column *
run(const struct table *t, const char *src, struct err *e)
{
	struct expr *x;
	struct column *c;

	err_clear(e);
	if ((x = expr_parse(src, e)) == NULL)
		return NULL;
	if (expr_bind(x, t, e) < 0) {
		expr_free(x);
		return NULL;
	}
	c = expr_eval(x, t, "out", e);
	expr_free(x);
	return c;
}

static int
same_num(double got, double want)
{
	if (isnan(got) || isnan(want))
		return isnan(got) && isnan(want);
	return fabs(got - want) <= 1e-12 * (fabs(want) > 1 ? fabs(want) : 1);
}

static int
same_str(const char *got, const char *want)
{
	if (got == NULL || want == NULL)
		return got == want;
	return strcmp(got, want) == 0;
}

/* src evaluates to numbers (or booleans) want[0..t->nrows). */
static void
num_is(const struct table *t, const char *src, const double *want)
{
	struct column *c;
	struct err e;
	size_t i;
	int good = 1;

	if ((c = run(t, src, &e)) == NULL) {
		ok(0, "%s", src);
		printf("#   error: %s\n", e.msg);
		return;
	}
	if (c->type != COL_FLOAT && c->type != COL_BOOL)
		good = 0;
	for (i = 0; good && i < t->nrows; i++)
		if (!same_num(c->num[i], want[i]))
			good = 0;
	if (!ok(good, "%s", src)) {
		printf("#   type %s\n", coltype_name(c->type));
		for (i = 0; c->num != NULL && i < t->nrows; i++)
			printf("#   row %zu: got %.17g want %.17g\n", i,
			    c->num[i], want[i]);
	}
	column_free(c);
}

/* The same value on every row. */
static void
num1(const struct table *t, const char *src, double want)
{
	double w[NROWS];
	size_t i;

	for (i = 0; i < NROWS; i++)
		w[i] = want;
	num_is(t, src, w);
}

static void
str_is(const struct table *t, const char *src, const char *const *want)
{
	struct column *c;
	struct err e;
	size_t i;
	int good = 1;

	if ((c = run(t, src, &e)) == NULL) {
		ok(0, "%s", src);
		printf("#   error: %s\n", e.msg);
		return;
	}
	if (c->type != COL_TEXT)
		good = 0;
	for (i = 0; good && i < t->nrows; i++)
		if (!same_str(column_str(c, i), want[i]))
			good = 0;
	if (!ok(good, "%s", src)) {
		printf("#   type %s\n", coltype_name(c->type));
		for (i = 0; c->type == COL_TEXT && i < t->nrows; i++)
			printf("#   row %zu: got '%s' want '%s'\n", i,
			    column_str(c, i) ? column_str(c, i) : "(null)",
			    want[i] ? want[i] : "(null)");
	}
	column_free(c);
}

static void
str1(const struct table *t, const char *src, const char *want)
{
	const char *w[NROWS];
	size_t i;

	for (i = 0; i < NROWS; i++)
		w[i] = want;
	str_is(t, src, w);
}

/* Parsing (t NULL) or binding src fails with message want. */
static void
err_is(const struct table *t, const char *src, const char *want)
{
	struct expr *x;
	struct err e;
	int failed;

	err_clear(&e);
	x = expr_parse(src, &e);
	failed = x == NULL;
	if (x != NULL && t != NULL)
		failed = expr_bind(x, t, &e) < 0;
	expr_free(x);
	if (!ok(failed && e.code == ERR_SPEC && strcmp(e.msg, want) == 0,
	    "error for \"%s\"", src))
		printf("#   got '%s'\n#  want '%s'\n", failed ? e.msg :
		    "(success)", want);
}

/* Canonical text of src is want; writing it again changes nothing. */
static void
write_is(const char *src, const char *want)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct expr *x, *y = NULL;
	struct err e;

	err_clear(&e);
	if ((x = expr_parse(src, &e)) == NULL) {
		ok(0, "write \"%s\"", src);
		printf("#   error: %s\n", e.msg);
		return;
	}
	expr_write(x, &a);
	if ((y = expr_parse(strbuf_str(&a), &e)) != NULL)
		expr_write(y, &b);
	if (!ok(strcmp(strbuf_str(&a), want) == 0 && y != NULL &&
	    strcmp(strbuf_str(&b), strbuf_str(&a)) == 0, "write \"%s\"", src))
		printf("#   got '%s'\n#  want '%s'\n#  again '%s'\n",
		    strbuf_str(&a), want, strbuf_str(&b));
	expr_free(x);
	expr_free(y);
	strbuf_release(&a);
	strbuf_release(&b);
}

static void
type_is(const struct table *t, const char *src, enum expr_type want,
    enum coltype want_col)
{
	struct expr *x;
	struct column *c = NULL;
	struct err e;
	int good = 0;

	err_clear(&e);
	if ((x = expr_parse(src, &e)) != NULL && expr_bind(x, t, &e) == 0 &&
	    expr_result_type(x) == want &&
	    (c = expr_eval(x, t, "out", &e)) != NULL)
		good = c->type == want_col;
	ok(good, "type of %s", src);
	column_free(c);
	expr_free(x);
}

static void
test_arithmetic(const struct table *t)
{
	num_is(t, "n + 1", (double[]){ 2, 3, N, -2, 1 });
	num_is(t, "n * f", (double[]){ 1.5, N, N, 1.5, 0 });
	num_is(t, "f / n", (double[]){ 1.5, N, N, 0.5 / 3, N });
	num_is(t, "n % 2", (double[]){ 1, 0, N, -1, 0 });
	num_is(t, "7 % n", (double[]){ 0, 1, N, 1, N });
	num_is(t, "f % 2", (double[]){ 1, N, 0, 0, 0 });
	num1(t, "5 % 0.5", N);
	num_is(t, "-n", (double[]){ -1, -2, N, 3, 0 });
	num_is(t, "n - -2", (double[]){ 3, 4, N, -1, 2 });
	num1(t, "-2 * -3", 6);
	num1(t, "1 + 2 * 3", 7);
	num1(t, "(1 + 2) * 3", 9);
	num1(t, "10 - 4 - 3", 3);
	num1(t, "12 / 2 / 3", 2);
	num1(t, "2 * 3 % 4", 2);
	num1(t, "7 / 2", 3.5);
	num1(t, "1 / 0", N);
	num1(t, "- - 4", 4);
	num1(t, "+4", 4);
	num1(t, "1.5e3 + .5", 1500.5);
	num_is(t, "b + 1", (double[]){ 2, 1, N, 2, 1 });
	num_is(t, "d + 1", (double[]){ 1, 11017, N, 0, 19001 });
	num_is(t, "ts * 2", (double[]){ 1, 172800, N, -2, 2e9 });
	num_is(t, "\"my col\" + \"AND\"", (double[]){ 17, 27, 37, N, 57 });
	num_is(t, "[my col] / 10", (double[]){ 1, 2, 3, N, 5 });
	num_is(t, "`my col` - 10", (double[]){ 0, 10, 20, N, 40 });
	num1(t, "NULL + 1", N);
	num1(t, "n + NULL", N);
	num1(t, "NULL * NULL", N);
	num1(t, "NULL", N);
	num_is(t, "n", (double[]){ 1, 2, N, -3, 0 });
}

static void
test_logic(const struct table *t, const struct table *l)
{
	num_is(t, "n > 0", (double[]){ 1, 1, N, 0, 0 });
	num_is(t, "n >= 0", (double[]){ 1, 1, N, 0, 1 });
	num_is(t, "n < f", (double[]){ 1, N, N, 1, 1 });
	num_is(t, "n <= 1", (double[]){ 1, 0, N, 1, 1 });
	num_is(t, "n = 1", (double[]){ 1, 0, N, 0, 0 });
	num_is(t, "n == 1", (double[]){ 1, 0, N, 0, 0 });
	num_is(t, "n != 1", (double[]){ 0, 1, N, 1, 1 });
	num_is(t, "n <> 1", (double[]){ 0, 1, N, 1, 1 });
	num_is(t, "NOT n = 1", (double[]){ 0, 1, N, 1, 1 });
	num_is(t, "n = 1 OR n = 2 AND f > 100",
	    (double[]){ 1, N, N, 0, 0 });
	num_is(t, "(n = 1 OR n = 2) AND f > 100",
	    (double[]){ 0, N, 0, 0, 0 });
	num_is(t, "s = 'apple'", (double[]){ 1, 0, N, 0, 1 });
	num_is(t, "s < 'b'", (double[]){ 1, 1, N, 0, 1 });
	num_is(t, "s = t", (double[]){ 0, 0, N, 0, 0 });
	num_is(t, "t = ''", (double[]){ 0, 1, N, 0, 0 });
	num_is(t, "b", (double[]){ 1, 0, N, 1, 0 });
	num_is(t, "b AND n > 0", (double[]){ 1, 0, N, 0, 0 });
	num_is(t, "NOT b", (double[]){ 0, 1, N, 0, 1 });
	num1(t, "TRUE", 1);
	num1(t, "FALSE", 0);
	num1(t, "NOT NULL", N);
	num1(t, "NOT NOT TRUE", 1);
	num_is(t, "b OR NULL", (double[]){ 1, N, N, 1, N });
	num_is(t, "b AND NULL", (double[]){ N, 0, N, N, 0 });
	num_is(t, "n Is NoT nUlL aNd ABS(n) > 0",
	    (double[]){ 1, 1, 0, 1, 0 });

	/* The three-valued truth table. */
	num_is(l, "p AND q", (double[]){ 1, 0, N, 0, 0, 0, N, 0, N });
	num_is(l, "p OR q", (double[]){ 1, 1, 1, 1, 0, N, 1, N, N });
	num_is(l, "NOT p", (double[]){ 0, 0, 0, 1, 1, 1, N, N, N });
	num_is(l, "NOT (p AND q)", (double[]){ 0, 1, N, 1, 1, 1, N, 1, N });
	num_is(l, "NOT p OR NOT q", (double[]){ 0, 1, N, 1, 1, 1, N, 1, N });
	num_is(l, "p OR q AND FALSE", (double[]){ 1, 1, 1, 0, 0, 0, N, N, N });
	num_is(l, "(p OR q) AND FALSE", (double[]){ 0, 0, 0, 0, 0, 0, 0, 0,
	    0 });
	num_is(l, "p = q", (double[]){ 1, 0, N, 0, 1, N, N, N, N });
	num_is(l, "p IS q", (double[]){ 1, 0, 0, 0, 1, 0, 0, 0, 1 });
	num_is(l, "p IS NOT q", (double[]){ 0, 1, 1, 1, 0, 1, 1, 1, 0 });
	num_is(l, "iif(p AND q, 1, 0)", (double[]){ 1, 0, 0, 0, 0, 0, 0, 0,
	    0 });
	num_is(l, "p AND q IS NULL", (double[]){ 0, 0, 1, 0, 0, 0, 0, 0, N });
	num_is(l, "(p AND q) IS NULL", (double[]){ 0, 0, 1, 0, 0, 0, 1, 0,
	    1 });
}

static void
test_predicates(const struct table *t)
{
	num_is(t, "n IS NULL", (double[]){ 0, 0, 1, 0, 0 });
	num_is(t, "n IS NOT NULL", (double[]){ 1, 1, 0, 1, 1 });
	num1(t, "NULL IS NULL", 1);
	num_is(t, "n IS 2", (double[]){ 0, 1, 0, 0, 0 });
	num_is(t, "n IS NOT 2", (double[]){ 1, 0, 1, 1, 1 });
	num_is(t, "f IS nullif(f, 10)", (double[]){ 1, 1, 1, 1, 0 });
	num_is(t, "s IS 'apple'", (double[]){ 1, 0, 0, 0, 1 });
	num_is(t, "s IS NOT NULL", (double[]){ 1, 1, 0, 1, 1 });
	num_is(t, "t IS NULL", (double[]){ 0, 0, 1, 0, 0 });
	num_is(t, "b IS TRUE", (double[]){ 1, 0, 0, 1, 0 });
	num_is(t, "b IS NOT FALSE", (double[]){ 1, 0, 1, 1, 0 });
	num_is(t, "n IS TRUE", (double[]){ 1, 1, 0, 1, 0 });
	num_is(t, "(n > 0) IS NULL", (double[]){ 0, 0, 1, 0, 0 });

	num_is(t, "n IN (1, 2)", (double[]){ 1, 1, N, 0, 0 });
	num_is(t, "n IN (1, NULL)", (double[]){ 1, N, N, N, N });
	num_is(t, "n NOT IN (1, NULL)", (double[]){ 0, N, N, N, N });
	num_is(t, "n NOT IN (5, 6)", (double[]){ 1, 1, N, 1, 1 });
	num_is(t, "s IN ('apple', 'cherry')", (double[]){ 1, 0, N, 1, 1 });
	num_is(t, "s NOT IN ('apple', NULL)", (double[]){ 0, N, N, N, 0 });
	num_is(t, "n IN (f, 0)", (double[]){ 0, N, N, 0, 1 });
	num1(t, "NULL IN (1, 2)", N);
	num1(t, "1 IN (NULL, 1)", 1);
	num1(t, "3 NOT IN (1, 2)", 1);

	num_is(t, "n BETWEEN 0 AND 1", (double[]){ 1, 0, N, 0, 1 });
	num_is(t, "n NOT BETWEEN 0 AND 1", (double[]){ 0, 1, N, 1, 0 });
	num_is(t, "n BETWEEN 0 AND NULL", (double[]){ N, N, N, 0, N });
	num_is(t, "s BETWEEN 'a' AND 'b'", (double[]){ 1, 0, N, 0, 1 });
	num_is(t, "f BETWEEN n AND 2", (double[]){ 1, N, 0, 1, 0 });
	num_is(t, "n BETWEEN -3 AND 1 AND b", (double[]){ 1, 0, N, 1, 0 });
	num1(t, "2 BETWEEN 2 AND 2", 1);

	num_is(t, "s LIKE 'a%'", (double[]){ 1, 0, N, 0, 1 });
	num_is(t, "s LIKE 'BAN%'", (double[]){ 0, 1, N, 0, 0 });
	num_is(t, "s LIKE '_pple'", (double[]){ 1, 0, N, 0, 1 });
	num_is(t, "t LIKE 'h_llo'", (double[]){ 1, 0, N, 0, 0 });
	num_is(t, "s NOT LIKE '%e%'", (double[]){ 0, 1, N, 0, 0 });
	num_is(t, "t LIKE '%'", (double[]){ 1, 1, N, 1, 1 });
	num_is(t, "t LIKE ''", (double[]){ 0, 1, N, 0, 0 });
	num_is(t, "t LIKE '%''%'", (double[]){ 0, 0, N, 0, 1 });
	num1(t, "s LIKE NULL", N);
	num1(t, "'mississippi' LIKE '%iss%ppi'", 1);
	num1(t, "'abc' LIKE 'a_'", 0);
	num1(t, "'abc' LIKE 'A%C'", 1);
	num1(t, "'abc' LIKE '%b'", 0);
	num1(t, "'aaa' LIKE '%a%a%a%'", 1);
	num1(t, "'aa' LIKE '%a%a%a%'", 0);
	num1(t, "'\xc3\x89' LIKE '\xc3\xa9'", 0);
	num1(t, "'x\xe6\x97\xa5y' LIKE 'x_y'", 1);
}

static void
test_strings(const struct table *t)
{
	str_is(t, "s || '-' || n", (const char *[]){ "apple-1", "Banana-2",
	    NULL, "cherry--3", "apple-0" });
	str_is(t, "f || ''", (const char *[]){ "1.5", NULL, "2.25", "-0.5",
	    "10" });
	str_is(t, "b || 'x'", (const char *[]){ "1x", "0x", NULL, "1x",
	    "0x" });
	str_is(t, "d || ''", (const char *[]){ "0", "11016", NULL, "-1",
	    "19000" });
	str_is(t, "t || t", (const char *[]){ "h\xc3\xa9lloh\xc3\xa9llo", "",
	    NULL, "  pad    pad  ", "it'sit's" });
	str1(t, "1 || 2", "12");
	str1(t, "'a' || 1 + 2", "a3");
	str1(t, "0.1 || ''", "0.1");
	str1(t, "1e20 || ''", "1e+20");
	str1(t, "1 / 3 || ''", "0.3333333333333333");
	str1(t, "'it''s' || ''", "it's");
	str1(t, "t || NULL", NULL);
	str1(t, "NULL || NULL", NULL);
	str_is(t, "s", (const char *[]){ "apple", "Banana", NULL, "cherry",
	    "apple" });
	str_is(t, "t", (const char *[]){ "h\xc3\xa9llo", "", NULL, "  pad  ",
	    "it's" });
}

static void
test_functions(const struct table *t)
{
	num_is(t, "abs(n)", (double[]){ 1, 2, N, 3, 0 });
	num_is(t, "round(f)", (double[]){ 2, N, 2, -1, 10 });
	num_is(t, "round(f, 1)", (double[]){ 1.5, N, 2.3, -0.5, 10 });
	num_is(t, "floor(f)", (double[]){ 1, N, 2, -1, 10 });
	num_is(t, "ceil(f)", (double[]){ 2, N, 3, 0, 10 });
	num_is(t, "sqrt(n)", (double[]){ 1, sqrt(2), N, N, 0 });
	num_is(t, "ln(n)", (double[]){ 0, log(2), N, N, N });
	num_is(t, "log(n)", (double[]){ 0, log10(2), N, N, N });
	num_is(t, "exp(n)", (double[]){ exp(1), exp(2), N, exp(-3), 1 });
	num_is(t, "power(n, 2)", (double[]){ 1, 4, N, 9, 0 });
	num_is(t, "sign(n)", (double[]){ 1, 1, N, -1, 0 });
	num_is(t, "sign(f)", (double[]){ 1, N, 1, -1, 1 });
	num_is(t, "min(n, f)", (double[]){ 1, N, N, -3, 0 });
	num_is(t, "max(n, f, 5)", (double[]){ 5, N, N, 5, 10 });
	num_is(t, "coalesce(f, n, 0)", (double[]){ 1.5, 2, 2.25, -0.5, 10 });
	num_is(t, "coalesce(NULL, n, 99)", (double[]){ 1, 2, 99, -3, 0 });
	num_is(t, "ifnull(n, -1)", (double[]){ 1, 2, -1, -3, 0 });
	num_is(t, "nullif(n, 2)", (double[]){ 1, N, N, -3, 0 });
	num_is(t, "nullif(n, NULL)", (double[]){ 1, 2, N, -3, 0 });
	num_is(t, "iif(b, n, f)", (double[]){ 1, N, 2.25, -3, 10 });
	num_is(t, "length(t)", (double[]){ 5, 0, N, 7, 4 });
	num_is(t, "length(s)", (double[]){ 5, 6, N, 6, 5 });
	num_is(t, "instr(s, 'an')", (double[]){ 0, 2, N, 0, 0 });
	num_is(t, "instr(t, 'l')", (double[]){ 3, 0, N, 0, 0 });
	num1(t, "round(2.5)", 3);
	num1(t, "round(-2.5)", -3);
	num1(t, "round(0.5)", 1);
	num1(t, "round(2.675, 2)", 2.68);
	num1(t, "round(1.005, 2)", 1.01);
	num1(t, "round(-0.125, 2)", -0.13);
	num1(t, "round(1234.5678, 2)", 1234.57);
	num1(t, "round(123.456, -1)", 123);
	num1(t, "round(1.5, 0.9)", 2);
	num1(t, "round(1e20, 2)", 1e20);
	num1(t, "round(NULL)", N);
	num1(t, "round(1.5, NULL)", N);
	num1(t, "exp(0)", 1);
	num1(t, "log(100)", 2);
	num1(t, "log(2, 8)", 3);
	num1(t, "log(1, 8)", N);
	num1(t, "log(0)", N);
	num1(t, "ln(0)", N);
	num1(t, "sqrt(-1)", N);
	num1(t, "sqrt(16)", 4);
	num1(t, "pow(2, 10)", 1024);
	num1(t, "POW(-8, 1.0 / 3)", N);
	num1(t, "floor(-1.5)", -2);
	num1(t, "ceil(-1.5)", -1);
	num1(t, "min(3, 1, 2)", 1);
	num1(t, "max(3, NULL)", N);
	num1(t, "coalesce(NULL, NULL)", N);
	num1(t, "instr('h\xc3\xa9llo', 'l')", 3);
	num1(t, "instr('abc', '')", 1);
	num1(t, "length('\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e')", 3);
	num1(t, "sign(NULL)", N);

	str_is(t, "lower(s)", (const char *[]){ "apple", "banana", NULL,
	    "cherry", "apple" });
	str_is(t, "upper(t)", (const char *[]){ "H\xc3\xa9LLO", "", NULL,
	    "  PAD  ", "IT'S" });
	str_is(t, "trim(t)", (const char *[]){ "h\xc3\xa9llo", "", NULL,
	    "pad", "it's" });
	str_is(t, "ltrim(t)", (const char *[]){ "h\xc3\xa9llo", "", NULL,
	    "pad  ", "it's" });
	str_is(t, "rtrim(t)", (const char *[]){ "h\xc3\xa9llo", "", NULL,
	    "  pad", "it's" });
	str_is(t, "substr(s, 2, 3)", (const char *[]){ "ppl", "ana", NULL,
	    "her", "ppl" });
	str_is(t, "substr(t, 2)", (const char *[]){ "\xc3\xa9llo", "", NULL,
	    " pad  ", "t's" });
	str_is(t, "replace(s, 'p', 'P')", (const char *[]){ "aPPle",
	    "Banana", NULL, "cherry", "aPPle" });
	str_is(t, "min(s, 'b')", (const char *[]){ "apple", "Banana", NULL,
	    "b", "apple" });
	str_is(t, "max(s, 'b')", (const char *[]){ "b", "b", NULL, "cherry",
	    "b" });
	str_is(t, "coalesce(s, t, 'none')", (const char *[]){ "apple",
	    "Banana", "none", "cherry", "apple" });
	str_is(t, "nullif(s, 'apple')", (const char *[]){ NULL, "Banana",
	    NULL, "cherry", NULL });
	str_is(t, "iif(n > 0, 'pos', 'nonpos')", (const char *[]){ "pos",
	    "pos", "nonpos", "nonpos", "nonpos" });
	str1(t, "trim('xxhixx', 'x')", "hi");
	str1(t, "ltrim('\xc3\xa9\xc3\xa9" "a\xc3\xa9', '\xc3\xa9')",
	    "a\xc3\xa9");
	str1(t, "rtrim('abcab', 'ba')", "abc");
	str1(t, "trim('  ')", "");
	str1(t, "trim(NULL)", NULL);
	str1(t, "substr('hello', -3)", "llo");
	str1(t, "substr('hello', -3, 2)", "ll");
	str1(t, "substr('hello', 0, 2)", "h");
	str1(t, "substr('hello', 2, -1)", "h");
	str1(t, "substr('hello', -7, 3)", "h");
	str1(t, "substr('h\xc3\xa9llo', 2, 2)", "\xc3\xa9l");
	str1(t, "substr('hello', 10)", "");
	str1(t, "substr('hello', 1.9, 2.9)", "he");
	str1(t, "substr('hello', NULL)", NULL);
	str1(t, "replace('aaa', 'a', 'bb')", "bbbbbb");
	str1(t, "replace('abc', '', 'x')", "abc");
	str1(t, "replace('abcabc', 'bc', '')", "aa");
	str1(t, "upper('h\xc3\xa9llo')", "H\xc3\xa9LLO");
	str1(t, "lower('\xc3\x80" "B')", "\xc3\x80" "b");
	str1(t, "min('b', 'a', 'c')", "a");
	str1(t, "LOWER('ABC')", "abc");
}

static void
test_case_cast(const struct table *t)
{
	str_is(t, "CASE WHEN n > 1 THEN 'big' WHEN n > 0 THEN 'one' "
	    "ELSE 'small' END", (const char *[]){ "one", "big", "small",
	    "small", "small" });
	num_is(t, "CASE s WHEN 'apple' THEN 1 WHEN 'cherry' THEN 3 END",
	    (double[]){ 1, N, N, 3, 1 });
	num1(t, "CASE n WHEN NULL THEN 1 ELSE 0 END", 0);
	num_is(t, "CASE WHEN b THEN f END", (double[]){ 1.5, N, N, -0.5, N });
	num_is(t, "CASE WHEN n > 0 THEN TRUE ELSE FALSE END",
	    (double[]){ 1, 1, 0, 0, 0 });
	str_is(t, "CASE WHEN n > 0 THEN NULL ELSE 'x' END",
	    (const char *[]){ NULL, NULL, "x", "x", "x" });
	str_is(t, "case n when 1 then 'one' when 2 then 'two' else s end",
	    (const char *[]){ "one", "two", NULL, "cherry", "apple" });
	num1(t, "CASE WHEN FALSE THEN 1 END", N);
	num_is(t, "CASE WHEN n = 1 THEN 10 WHEN n = 1 THEN 20 END",
	    (double[]){ 10, N, N, N, N });
	num_is(t, "CASE WHEN n > 0 THEN n ELSE b END",
	    (double[]){ 1, 2, N, 1, 0 });

	num_is(t, "CAST(f AS INTEGER)", (double[]){ 1, N, 2, 0, 10 });
	str_is(t, "CAST(n AS TEXT)", (const char *[]){ "1", "2", NULL, "-3",
	    "0" });
	str_is(t, "CAST(f AS TEXT)", (const char *[]){ "1.5", NULL, "2.25",
	    "-0.5", "10" });
	num_is(t, "CAST(b AS REAL)", (double[]){ 1, 0, N, 1, 0 });
	str_is(t, "CAST(s AS TEXT)", (const char *[]){ "apple", "Banana",
	    NULL, "cherry", "apple" });
	num1(t, "CAST(t AS REAL)", N);
	num1(t, "CAST(s AS NUMERIC)", N);
	num1(t, "CAST('3.7' AS INTEGER)", 3);
	num1(t, "CAST(' 12 ' AS REAL)", 12);
	num1(t, "CAST('abc' AS REAL)", N);
	num1(t, "CAST('1e5' AS INTEGER)", 100000);
	num1(t, "CAST('' AS REAL)", N);
	num1(t, "CAST('-3.5' AS INTEGER)", -3);
	num1(t, "CAST('1.5x' AS NUMERIC)", N);
	num1(t, "CAST('.5' AS REAL)", 0.5);
	num1(t, "CAST('5.' AS REAL)", 5);
	num1(t, "CAST('+2' AS real)", 2);
	num1(t, "CAST('e5' AS REAL)", N);
	num1(t, "CAST('inf' AS REAL)", N);
	num1(t, "CAST('0x10' AS REAL)", N);
	num1(t, "CAST(-2.7 AS INTEGER)", -2);
	str1(t, "CAST(NULL AS TEXT)", NULL);
	str1(t, "CAST(1e20 AS TEXT)", "1e+20");
	str1(t, "CAST(2.5 AS TEXT)", "2.5");
}

static void
test_types(const struct table *t)
{
	type_is(t, "n > 1", EXPR_BOOL, COL_BOOL);
	type_is(t, "b", EXPR_BOOL, COL_BOOL);
	type_is(t, "n", EXPR_NUM, COL_FLOAT);
	type_is(t, "d", EXPR_NUM, COL_FLOAT);
	type_is(t, "s", EXPR_STR, COL_TEXT);
	type_is(t, "NULL", EXPR_NUM, COL_FLOAT);
	type_is(t, "CAST(n AS TEXT)", EXPR_STR, COL_TEXT);
	type_is(t, "b + 0", EXPR_NUM, COL_FLOAT);
	type_is(t, "iif(b, TRUE, NULL)", EXPR_BOOL, COL_BOOL);
	type_is(t, "coalesce(b, n)", EXPR_NUM, COL_FLOAT);
	type_is(t, "CASE WHEN b THEN NULL END", EXPR_NUM, COL_FLOAT);
	type_is(t, "lower(NULL)", EXPR_STR, COL_TEXT);
	type_is(t, "n || ''", EXPR_STR, COL_TEXT);
}

static void
test_write(void)
{
	static const char *const cases[][2] = {
		{ "1 + 2 * 3", "1 + 2 * 3" },
		{ "(1 + 2) * 3", "(1 + 2) * 3" },
		{ "1 - (2 - 3)", "1 - (2 - 3)" },
		{ "(1 - 2) - 3", "1 - 2 - 3" },
		{ "a or b and c", "a OR b AND c" },
		{ "(a or b) and c", "(a OR b) AND c" },
		{ "a AND (b OR c)", "a AND (b OR c)" },
		{ "not a = b", "NOT a = b" },
		{ "NOT (a AND b)", "NOT (a AND b)" },
		{ "-2 * -3", "-2 * -3" },
		{ "- - x", "-(-x)" },
		{ "-(x + 1)", "-(x + 1)" },
		{ "- x * y", "-x * y" },
		{ "x - -1", "x - -1" },
		{ "+x", "x" },
		{ "x == 1", "x = 1" },
		{ "x <> 1", "x != 1" },
		{ "x is not null", "x IS NOT NULL" },
		{ "x is true", "x IS TRUE" },
		{ "x not in (1,2,3)", "x NOT IN (1, 2, 3)" },
		{ "x not between 1 and 2", "x NOT BETWEEN 1 AND 2" },
		{ "x BETWEEN 1 + 1 AND 2 * 3", "x BETWEEN 1 + 1 AND 2 * 3" },
		{ "x between (1 < 2) and 3", "x BETWEEN (1 < 2) AND 3" },
		{ "name not like 'a%'", "name NOT LIKE 'a%'" },
		{ "'it''s'", "'it''s'" },
		{ "\"my col\" + [other col] + `x`",
		    "\"my col\" + \"other col\" + x" },
		{ "\"a\"\"b\"", "\"a\"\"b\"" },
		{ "\"and\" + \"Case\"", "\"and\" + \"Case\"" },
		{ "\"9lives\"", "\"9lives\"" },
		{ "\xc3\xa9t\xc3\xa9 + 1", "\"\xc3\xa9t\xc3\xa9\" + 1" },
		{ "case when x > 1 then 'a' else 'b' end",
		    "CASE WHEN x > 1 THEN 'a' ELSE 'b' END" },
		{ "case x when 1 then 'a' when 2 then 'b' end",
		    "CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' END" },
		{ "cast(x as real)", "CAST(x AS REAL)" },
		{ "Cast ( x AS integer )", "CAST(x AS INTEGER)" },
		{ "ROUND(x, 2)", "round(x, 2)" },
		{ "a || b + c", "a || (b + c)" },
		{ "a * b || c", "(a * b) || c" },
		{ "a < b is null", "a < (b IS NULL)" },
		{ "(a < b) is null", "(a < b) IS NULL" },
		{ "a is null = b", "a IS NULL = b" },
		{ "a = b = c", "a = b = c" },
		{ "a = (b = c)", "a = (b = c)" },
		{ "a = not b", "a = (NOT b)" },
		{ "1.5e3", "1500" },
		{ "0.1", "0.1" },
		{ "1e400", "1e999" },
		{ "-1e400", "-1e999" },
		{ "true and not false", "TRUE AND NOT FALSE" },
		{ "coalesce(a, b, 'x') || 'y'", "coalesce(a, b, 'x') || 'y'" },
		{ "x IS NOT (NOT y)", "x IS NOT (NOT y)" },
		{ "x is null is null", "x IS NULL IS NULL" },
		{ "x between 1 and 2 is null", "x BETWEEN 1 AND 2 IS NULL" },
		{ "-(-3)", "3" },
		{ "(((x)))", "x" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		write_is(cases[i][0], cases[i][1]);
}

static void
test_errors(const struct table *t)
{
	err_is(NULL, "'abc", "1: unterminated string");
	err_is(NULL, "x = 'abc", "5: unterminated string");
	err_is(NULL, "\"abc", "1: unterminated quoted name");
	err_is(NULL, "[abc", "1: unterminated quoted name");
	err_is(NULL, "sqr(4)", "1: unknown function 'sqr' (did you mean "
	    "'sqrt'?)");
	err_is(NULL, "x + foo(1)", "5: unknown function 'foo'");
	err_is(NULL, "x+round(1,2,3)", "3: 'round' takes 1 or 2 arguments, "
	    "not 3");
	err_is(NULL, "abs()", "1: 'abs' takes 1 argument, not 0");
	err_is(NULL, "min(1)", "1: 'min' takes at least 2 arguments, not 1");
	err_is(NULL, "iif(1, 2)", "1: 'iif' takes 3 arguments, not 2");
	err_is(NULL, "abs(1+)", "7: unexpected ')'");
	err_is(NULL, "1 + 2 3", "7: unexpected '3'");
	err_is(NULL, "1 + 2 'x'", "7: unexpected string 'x'");
	err_is(NULL, "", "1: empty expression");
	err_is(NULL, "   ", "1: empty expression");
	err_is(NULL, "1 +", "4: unexpected end of expression");
	err_is(NULL, "(1 + 2", "7: expected ')'");
	err_is(NULL, "abs(1 2)", "7: expected ',' or ')', not '2'");
	err_is(NULL, "1 # 2", "3: unexpected character '#'");
	err_is(NULL, "12abc", "1: malformed number '12abc'");
	err_is(NULL, "x > 1e", "5: malformed number '1e'");
	err_is(NULL, "1.2.3", "1: malformed number '1.2.3'");
	err_is(NULL, "CAST(1 AS BLOB)", "11: unknown type 'BLOB' (use REAL, "
	    "INTEGER, TEXT or NUMERIC)");
	err_is(NULL, "CAST(1)", "7: expected AS, not ')'");
	err_is(NULL, "CASE WHEN 1 THEN 2", "19: expected WHEN, ELSE or END");
	err_is(NULL, "CASE 1 THEN 2 END", "8: expected WHEN, not 'THEN'");
	err_is(NULL, "x BETWEEN 1 OR 2", "13: expected AND after BETWEEN, "
	    "not 'OR'");
	err_is(NULL, "x IN 1", "6: expected '(' after IN, not '1'");
	err_is(NULL, "AND", "1: unexpected 'AND'");
	err_is(NULL, "x NOT 1", "3: unexpected 'NOT'");
	err_is(NULL, "x = ", "5: unexpected end of expression");

	err_is(t, "pricee > 1", "1: no column 'pricee' (did you mean "
	    "'price'?)");
	err_is(t, "n + PRICE", "5: no column 'PRICE' (did you mean "
	    "'price'?)");
	err_is(t, "n + zzz", "5: no column 'zzz'");
	err_is(t, "N > 1", "1: no column 'N' (did you mean 'n'?)");
	err_is(t, "s + 1", "3: cannot add text and a number");
	err_is(t, "1 + 2 * 3 + s", "11: cannot add a number and text");
	err_is(t, "n * t", "3: cannot multiply a number and text");
	err_is(t, "'a' + 'b'", "5: cannot add text and text (use || to join "
	    "text)");
	err_is(t, "n = s", "3: cannot compare a number and text");
	err_is(t, "s < 1", "3: cannot compare text and a number");
	err_is(t, "b = 'yes'", "3: cannot compare a boolean and text");
	err_is(t, "n AND b", "3: AND needs a condition, not a number");
	err_is(t, "b OR s", "3: OR needs a condition, not text");
	err_is(t, "NOT s", "1: NOT needs a condition, not text");
	err_is(t, "-s", "1: cannot negate text");
	err_is(t, "n LIKE 'a'", "3: LIKE needs text, not a number");
	err_is(t, "s IN (1, 2)", "3: cannot compare text and a number");
	err_is(t, "n BETWEEN 'a' AND 'b'", "3: cannot compare a number and "
	    "text");
	err_is(t, "s IS 1", "3: cannot compare text and a number");
	err_is(t, "CASE WHEN b THEN 1 ELSE 'x' END", "1: CASE mixes text "
	    "and numbers");
	err_is(t, "CASE n WHEN 'a' THEN 1 END", "1: cannot compare a number "
	    "and text");
	err_is(t, "CASE WHEN n THEN 1 END", "1: WHEN needs a condition, not "
	    "a number");
	err_is(t, "coalesce(n, s)", "1: 'coalesce' mixes text and numbers");
	err_is(t, "sqrt(s)", "1: 'sqrt' argument 1 must be a number, not "
	    "text");
	err_is(t, "length(n)", "1: 'length' argument 1 must be text, not a "
	    "number");
	err_is(t, "substr(s, 'a')", "1: 'substr' argument 2 must be a "
	    "number, not text");
	err_is(t, "iif(n, 1, 2)", "1: 'iif' argument 1 must be a condition, "
	    "not a number");
	err_is(t, "n + 1 > 2 AND lower(n) = 'x'", "15: 'lower' argument 1 "
	    "must be text, not a number");
}

static void
test_api(const struct table *t)
{
	struct table *t2, *empty;
	const char *const *cols;
	struct column *c;
	struct expr *x;
	struct err e;
	size_t i;

	err_clear(&e);
	x = expr_parse("n + f * n + \"my col\" > price OR s IS NULL", &e);
	cols = expr_columns(x);
	for (i = 0; cols[i] != NULL; i++)
		continue;
	is_int((long long)i, 5, "expr_columns: five distinct names");
	is_str(cols[0], "n", "expr_columns: first name");
	is_str(cols[2], "my col", "expr_columns: a quoted name");
	is_str(cols[4], "s", "expr_columns: last name");
	ok(expr_eval(x, t, "x", &e) == NULL && e.code == ERR_SPEC,
	    "eval before bind is an error (%s)", e.msg);
	expr_free(x);
	x = expr_parse("1 + 2", &e);
	ok(expr_columns(x)[0] == NULL, "a constant reads no column");
	expr_free(x);

	/* The same schema in another order: rebinding is automatic. */
	x = expr_parse("n * 10 + f", &e);
	ok(expr_bind(x, t, &e) == 0, "bind");
	t2 = table_new();
	table_add_column(t2, col_num("f", COL_FLOAT,
	    (double[]){ 0.5, 0.25 }, 2));
	table_add_column(t2, col_num("n", COL_INT, (double[]){ 1, 2 }, 2));
	t2->nrows = 2;
	c = expr_eval(x, t2, "y", &e);
	ok(c != NULL, "eval on a reordered table");
	if (c != NULL) {
		is_double(c->num[0], 10.5, 0, "reordered table, row 0");
		is_double(c->num[1], 20.25, 0, "reordered table, row 1");
		is_str(c->name, "y", "the result column is named");
	}
	column_free(c);
	table_free(t2);

	empty = table_new();
	table_add_column(empty, column_new("n", COL_INT, 0));
	table_add_column(empty, column_new("f", COL_FLOAT, 0));
	c = expr_eval(x, empty, "z", &e);
	ok(c != NULL && c->type == COL_FLOAT, "eval over no rows");
	column_free(c);
	expr_free(x);
	x = expr_parse("'k' || 1", &e);
	expr_bind(x, empty, &e);
	c = expr_eval(x, empty, "z", &e);
	ok(c != NULL && c->type == COL_TEXT, "a constant over no rows");
	column_free(c);
	expr_free(x);
	table_free(empty);

	/* Deep nesting is refused, not a stack overflow. */
	{
		struct strbuf sb = STRBUF_INIT;

		for (i = 0; i < 5000; i++)
			strbuf_addch(&sb, '(');
		strbuf_addch(&sb, '1');
		for (i = 0; i < 5000; i++)
			strbuf_addch(&sb, ')');
		ok(expr_parse(strbuf_str(&sb), &e) == NULL &&
		    strstr(e.msg, "nested too deeply") != NULL,
		    "deep parentheses: %s", e.msg);
		strbuf_reset(&sb);
		strbuf_addch(&sb, '1');
		for (i = 0; i < 5000; i++)
			strbuf_addstr(&sb, " + 1");
		ok(expr_parse(strbuf_str(&sb), &e) == NULL &&
		    strstr(e.msg, "nested too deeply") != NULL,
		    "long chains: %s", e.msg);
		strbuf_reset(&sb);
		strbuf_addch(&sb, '0');
		for (i = 0; i < 900; i++)
			strbuf_addstr(&sb, " + 1");
		x = expr_parse(strbuf_str(&sb), &e);
		ok(x != NULL && expr_bind(x, t, &e) == 0 &&
		    (c = expr_eval(x, t, "z", &e)) != NULL &&
		    c->num[0] == 900, "900 terms are fine");
		column_free(c);
		expr_free(x);
		strbuf_release(&sb);
	}
}

/* ------------------------------------------ a million random rows --- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
uniform(void)
{
	return (double)(next_rand() >> 11) / 9007199254740992.0;
}

static double
ref_and(double x, double y)
{
	if (x == 0 || y == 0)
		return 0;
	return isnan(x) || isnan(y) ? N : 1;
}

static double
ref_or(double x, double y)
{
	if ((x != 0 && !isnan(x)) || (y != 0 && !isnan(y)))
		return 1;
	return isnan(x) || isnan(y) ? N : 0;
}

static void
test_random(void)
{
	static const char *const colors[] = {
		"red", "green", "blue", "Red", "black"
	};
	const size_t n = 1000000;
	struct table *t = table_new();
	struct column *a = column_new("a", COL_FLOAT, n);
	struct column *k = column_new("k", COL_INT, n);
	struct column *bl = column_new("bl", COL_BOOL, n);
	struct column *c = column_new("c", COL_CAT, n);
	const char **txt = xmalloc(n * sizeof *txt);
	char (*tbuf)[16] = xmalloc(n * sizeof *tbuf);
	struct column *tx, *r[7];
	double *want = xmalloc(n * sizeof *want);
	const char **wants = xmalloc(n * sizeof *wants);
	char (*sbuf)[32] = xmalloc(n * sizeof *sbuf);
	struct err e;
	size_t i, bad;
	int j;

	for (i = 0; i < 5; i++)
		dict_intern(c->dict, colors[i], strlen(colors[i]));
	for (i = 0; i < n; i++) {
		a->num[i] = uniform() < 0.1 ? N : uniform() * 3 - 1;
		k->num[i] = uniform() < 0.05 ? N :
		    (double)(next_rand() % 10);
		bl->num[i] = uniform() < 0.1 ? N : (double)(next_rand() & 1);
		c->codes[i] = uniform() < 0.05 ? -1 :
		    (int32_t)(next_rand() % 5);
		snprintf(tbuf[i], sizeof tbuf[i], "w%u",
		    (unsigned)(next_rand() % 100000));
		txt[i] = uniform() < 0.05 ? NULL : tbuf[i];
	}
	tx = col_text("tx", txt, n);
	table_add_column(t, a);
	table_add_column(t, k);
	table_add_column(t, bl);
	table_add_column(t, c);
	table_add_column(t, tx);
	t->nrows = n;

	r[0] = run(t, "a > 0.5 AND k < 5", &e);
	r[1] = run(t, "a * 2 + k % 3 - a / k", &e);
	r[2] = run(t, "CASE WHEN c LIKE 'r%' THEN upper(c) || k "
	    "ELSE coalesce(c, 'none') END", &e);
	r[3] = run(t, "c IN ('red', 'blue') OR bl", &e);
	r[4] = run(t, "floor(a * 10) / 10 BETWEEN 0 AND 1 OR a IS NULL", &e);
	r[5] = run(t, "length(tx) + instr(tx, '7') * 100", &e);
	r[6] = run(t, "NOT c = 'green' AND k BETWEEN 2 AND 7", &e);
	for (j = 0; j < 7; j++)
		ok(r[j] != NULL, "random expression %d evaluates", j);

	for (j = 0; j < 7; j++) {
		if (r[j] == NULL)
			continue;
		for (i = 0; i < n; i++) {
			double x = a->num[i], kk = k->num[i], b = bl->num[i];
			const char *cs = c->codes[i] < 0 ? NULL :
			    colors[c->codes[i]];
			const char *ts = txt[i];
			double v;

			wants[i] = NULL;
			switch (j) {
			case 0:
				want[i] = ref_and(isnan(x) ? N : x > 0.5,
				    isnan(kk) ? N : kk < 5);
				break;
			case 1:
				want[i] = isnan(x) || isnan(kk) || kk == 0 ?
				    N : x * 2 + fmod(kk, 3) - x / kk;
				break;
			case 2:
				if (cs != NULL && (cs[0] == 'r' ||
				    cs[0] == 'R')) {
					if (isnan(kk))
						break;
					snprintf(sbuf[i], sizeof sbuf[i],
					    "%c%c%c%d", 'R', 'E', 'D', (int)kk);
					wants[i] = sbuf[i];
				} else
					wants[i] = cs ? cs : "none";
				break;
			case 3:
				want[i] = ref_or(cs == NULL ? N :
				    strcmp(cs, "red") == 0 ||
				    strcmp(cs, "blue") == 0, b);
				break;
			case 4:
				v = floor(x * 10) / 10;
				want[i] = isnan(x) ? 1 : v >= 0 && v <= 1;
				break;
			case 5:
				want[i] = ts == NULL ? N : (double)strlen(ts) +
				    (strchr(ts, '7') ? (double)(strchr(ts,
				    '7') - ts + 1) : 0) * 100;
				break;
			case 6:
				want[i] = ref_and(cs == NULL ? N :
				    strcmp(cs, "green") != 0, isnan(kk) ? N :
				    kk >= 2 && kk <= 7);
				break;
			}
		}
		bad = 0;
		for (i = 0; i < n; i++) {
			if (j == 2 ? !same_str(column_str(r[j], i), wants[i]) :
			    !same_num(r[j]->num[i], want[i])) {
				if (bad++ < 3)
					printf("#   expr %d row %zu differs\n",
					    j, i);
			}
		}
		ok(bad == 0, "random expression %d matches the scalar "
		    "computation on %zu rows", j, n);
		column_free(r[j]);
	}
	free(want);
	free(wants);
	free(sbuf);
	free(txt);
	free(tbuf);
	table_free(t);
}

int
main(void)
{
	struct table *t = table_basic(), *l = table_logic();

	test_arithmetic(t);
	test_logic(t, l);
	test_predicates(t);
	test_strings(t);
	test_functions(t);
	test_case_cast(t);
	test_types(t);
	test_write();
	test_errors(t);
	test_api(t);
	test_random();
	table_free(t);
	table_free(l);
	return tap_done();
}

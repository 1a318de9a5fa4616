/*
 * t-stats.c - unit tests for core/stats.c.
 *
 * Quantiles against values worked out by hand the way numpy's default
 * ("linear") method computes them; the radix sort against qsort on
 * awkward doubles; every statistic of small columns of each type against
 * hand values (missing values excluded, a single value, ties among the
 * top values, text lengths, boolean counts); and stats_table on several
 * threads against one thread on a 50,000-row table.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/stats.h"
#include "core/xmalloc.h"
#include "tap.h"

static uint64_t	 rnd(void);
static double	 rnd_double(void);
static int	 cmp_total(const void *, const void *);
static int	 same_num(double, double);
static struct column *num_column(const char *, enum coltype,
		    const double *, size_t);
static struct column *cat_column(const char *, const char *const *,
		    size_t);
static struct column *text_column(const char *, const char *const *,
		    size_t);
static void	 check_sort(double *, size_t, const char *);
static int	 same_stats(const struct colstats *, const struct colstats *);
static void	 test_quantile(void);
static void	 test_sort(void);
static void	 test_numeric(void);
static void	 test_single(void);
static void	 test_cat(void);
static void	 test_text(void);
static void	 test_bool(void);
static void	 test_empty(void);
static struct table *big_table(size_t);
static void	 test_table(void);

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Any non-NaN double, with the awkward ones often. */
static double
rnd_double(void)
{
	static const double special[] = {
		0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308,
		-2.2250738585072009e-308, 1.7976931348623157e308,
		-1.7976931348623157e308, INFINITY, -INFINITY, 1.0, -1.0,
		0.5, 1e-300, -1e300, 3.0,
	};
	uint64_t r = rnd(), u;
	double d;

	switch (r % 8) {
	case 0:
		return special[(r >> 8) % (sizeof special / sizeof special[0])];
	case 1:
		/* small integers: many duplicates */
		return (double)(int)((r >> 8) % 21) - 10;
	case 2:
		return ((double)(r >> 11) / 9007199254740992.0 - 0.5) * 1e6;
	default:
		/* any bit pattern but NaN */
		do {
			u = rnd();
			memcpy(&d, &u, sizeof d);
		} while (isnan(d));
		return d;
	}
}

/* Ascending, and -0 before +0 (the order of the bit patterns). */
static int
cmp_total(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	if (a < b)
		return -1;
	if (a > b)
		return 1;
	return (signbit(b) != 0) - (signbit(a) != 0);
}

static int
same_num(double a, double b)
{
	return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static struct column *
num_column(const char *name, enum coltype type, const double *vals,
    size_t n)
{
	struct column *c = column_new(name, type, n);

	memcpy(c->num, vals, n * sizeof *vals);
	return c;
}

/* VALS[i] NULL is missing; an unused level goes in first. */
static struct column *
cat_column(const char *name, const char *const *vals, size_t n)
{
	struct column *c = column_new(name, COL_CAT, n);
	size_t i;

	dict_intern(c->dict, "unused", 6);
	for (i = 0; i < n; i++)
		if (vals[i] != NULL)
			c->codes[i] = dict_intern(c->dict, vals[i],
			    strlen(vals[i]));
	return c;
}

static struct column *
text_column(const char *name, const char *const *vals, size_t n)
{
	struct column *c = column_new(name, COL_TEXT, n);
	size_t i, len = 1, k;

	for (i = 0; i < n; i++)
		if (vals[i] != NULL)
			len += strlen(vals[i]) + 1;
	c->arena = xmalloc(len);
	for (i = 0; i < n; i++) {
		if (vals[i] == NULL)
			continue;
		k = strlen(vals[i]) + 1;
		memcpy(c->arena + c->arena_len, vals[i], k);
		c->off[i] = c->arena_len;
		c->arena_len += k;
	}
	return c;
}

/* ----------------------------------------------------- quantile --- */

static void
test_quantile(void)
{
	static const double v4[] = { 1, 2, 3, 4 };
	static const double v5[] = { 1, 2, 3, 4, 5 };
	static const double neg[] = { -3, -1, 0, 8 };
	static const double one[] = { 7.25 };
	static const double two[] = { 10, 20 };
	static const double dup[] = { 2, 2, 2, 5 };

	/* numpy.quantile(v, q), method="linear" */
	is_double(stats_quantile(v4, 4, 0.25), 1.75, 0, "[1,2,3,4] q=.25");
	is_double(stats_quantile(v4, 4, 0.5), 2.5, 0, "[1,2,3,4] q=.5");
	is_double(stats_quantile(v4, 4, 0.75), 3.25, 0, "[1,2,3,4] q=.75");
	is_double(stats_quantile(v4, 4, 0), 1, 0, "[1,2,3,4] q=0");
	is_double(stats_quantile(v4, 4, 1), 4, 0, "[1,2,3,4] q=1");
	is_double(stats_quantile(v4, 4, 1.0 / 3), 2, 1e-15,
	    "[1,2,3,4] q=1/3");
	is_double(stats_quantile(v5, 5, 0.25), 2, 0, "[1..5] q=.25 (a rank)");
	is_double(stats_quantile(v5, 5, 0.1), 1.4, 1e-15, "[1..5] q=.1");
	is_double(stats_quantile(v5, 5, 0.9), 4.6, 1e-15, "[1..5] q=.9");
	is_double(stats_quantile(v5, 5, 0.5), 3, 0, "[1..5] median");
	is_double(stats_quantile(neg, 4, 0.75), 2, 0, "[-3,-1,0,8] q=.75");
	is_double(stats_quantile(neg, 4, 0.25), -1.5, 0, "[-3,-1,0,8] q=.25");
	is_double(stats_quantile(one, 1, 0), 7.25, 0, "n=1 q=0");
	is_double(stats_quantile(one, 1, 0.5), 7.25, 0, "n=1 q=.5");
	is_double(stats_quantile(one, 1, 1), 7.25, 0, "n=1 q=1");
	is_double(stats_quantile(two, 2, 0.5), 15, 0, "[10,20] q=.5");
	is_double(stats_quantile(two, 2, 0.3), 13, 1e-15, "[10,20] q=.3");
	is_double(stats_quantile(two, 2, 0.7), 17, 1e-15, "[10,20] q=.7");
	is_double(stats_quantile(dup, 4, 0.5), 2, 0, "[2,2,2,5] median");
	is_double(stats_quantile(dup, 4, 0.9), 4.1, 1e-15, "[2,2,2,5] q=.9");
	ok(isnan(stats_quantile(v4, 0, 0.5)), "n=0 is NaN");
}

/* ---------------------------------------------------------- sort --- */

static void
check_sort(double *v, size_t n, const char *what)
{
	double *want = xmalloc((n ? n : 1) * sizeof *want);
	double *tmp = xmalloc((n ? n : 1) * sizeof *tmp);
	size_t i, bad = 0;

	memcpy(want, v, n * sizeof *v);
	qsort(want, n, sizeof *want, cmp_total);
	stats_sort(v, tmp, n);
	for (i = 0; i < n; i++)
		if (memcmp(&v[i], &want[i], sizeof v[i]) != 0 && bad++ == 0)
			printf("# %s: at %zu got %.17g want %.17g\n", what, i,
			    v[i], want[i]);
	ok(bad == 0, "stats_sort: %s (n=%zu)", what, n);
	free(want);
	free(tmp);
}

static void
test_sort(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 17, 1000, 100000 };
	double *v = xmalloc(100000 * sizeof *v);
	char what[64];
	size_t k, i;

	for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		for (i = 0; i < sizes[k]; i++)
			v[i] = rnd_double();
		snprintf(what, sizeof what, "random doubles");
		check_sort(v, sizes[k], what);
	}
	v[0] = 0.0;
	v[1] = -0.0;
	v[2] = 0.0;
	v[3] = -0.0;
	check_sort(v, 4, "zeros of both signs");
	for (i = 0; i < 1000; i++)
		v[i] = 42.5;
	check_sort(v, 1000, "all equal (every digit skipped)");
	for (i = 0; i < 1000; i++)
		v[i] = (double)(1000 - i);
	check_sort(v, 1000, "descending integers");
	for (i = 0; i < 1000; i++)
		v[i] = -(double)i * 0.25;
	check_sort(v, 1000, "descending negatives");
	for (i = 0; i < 5000; i++)
		v[i] = (double)(rnd() % 3) - 1;
	check_sort(v, 5000, "-1, 0, 1 many times");
	for (i = 0; i < 5000; i++)
		v[i] = ldexp(1.0, (int)(rnd() % 2098) - 1074) *
		    (rnd() & 1 ? -1 : 1);
	check_sort(v, 5000, "powers of two from tiny to huge");
	free(v);
}

/* ------------------------------------------------------ numeric --- */

static void
test_numeric(void)
{
	static const double x[] = {
		5, NAN, 2, 4, 9, 4, NAN, 7, 4, 5
	};
	static const double cancel[] = { 1e16, 1, -1e16 };
	static const double inf[] = { INFINITY, 1, 2 };
	static const double big[] = { 1e308, 1e308 };
	static const double infs[] = { INFINITY, -INFINITY };
	static const double offset[] = { 1e9 + 4, 1e9 + 7, 1e9 + 13,
		1e9 + 16 };
	static const double dates[] = { 19000, NAN, 19001, 19004 };
	struct column *c;
	struct colstats s;

	c = num_column("x", COL_FLOAT, x, 10);
	stats_column(c, 10, &s);
	ok(s.col == c, "numeric: col set");
	is_int((long long)s.count, 8, "numeric: count excludes missing");
	is_int((long long)s.missing, 2, "numeric: missing");
	is_double(s.mean, 5, 1e-15, "numeric: mean");
	is_double(s.std, sqrt(32.0 / 7), 1e-15, "numeric: std (ddof 1)");
	is_double(s.min, 2, 0, "numeric: min");
	is_double(s.p25, 4, 0, "numeric: p25");
	is_double(s.p50, 4.5, 0, "numeric: p50");
	is_double(s.p75, 5.5, 0, "numeric: p75");
	is_double(s.max, 9, 0, "numeric: max");
	is_int((long long)s.distinct, 5, "numeric: distinct");
	ok(s.values == NULL && s.nvalues == 0, "numeric: no value counts");
	ok(c->num[0] == 5 && isnan(c->num[1]), "numeric: column untouched");
	stats_free(NULL, 0);
	free(s.values);
	column_free(c);

	c = num_column("cancel", COL_FLOAT, cancel, 3);
	stats_column(c, 3, &s);
	is_double(s.mean, 1.0 / 3, 1e-15, "numeric: compensated mean");
	column_free(c);

	/* numpy: mean([inf, 1, 2]) = inf, mean([1e308, 1e308]) = inf
	 * (overflow), mean([inf, -inf]) = nan */
	c = num_column("inf", COL_FLOAT, inf, 3);
	stats_column(c, 3, &s);
	ok(isinf(s.mean) && s.mean > 0, "numeric: mean with inf is inf");
	ok(s.max == INFINITY && s.min == 1, "numeric: inf is the max");
	column_free(c);
	c = num_column("big", COL_FLOAT, big, 2);
	stats_column(c, 2, &s);
	ok(isinf(s.mean) && s.mean > 0, "numeric: an overflowing sum is inf");
	column_free(c);
	c = num_column("infs", COL_FLOAT, infs, 2);
	stats_column(c, 2, &s);
	ok(isnan(s.mean), "numeric: mean of inf and -inf is NaN");
	column_free(c);

	c = num_column("offset", COL_INT, offset, 4);
	stats_column(c, 4, &s);
	is_double(s.mean, 1e9 + 10, 0, "numeric: mean with an offset");
	is_double(s.std, sqrt(30.0), 1e-12, "numeric: std with an offset");
	is_double(s.p50, 1e9 + 10, 0, "numeric: median with an offset");
	column_free(c);

	c = num_column("d", COL_DATE, dates, 4);
	stats_column(c, 4, &s);
	is_int((long long)s.count, 3, "date: count");
	is_double(s.min, 19000, 0, "date: min");
	is_double(s.p50, 19001, 0, "date: median");
	is_double(s.max, 19004, 0, "date: max");
	column_free(c);
}

/* A single value: std is NaN with n=1, 0 with the value repeated. */
static void
test_single(void)
{
	static const double one[] = { NAN, 3.5, NAN };
	static const double same[] = { -2, -2, -2 };
	static const double zeros[] = { 0.0, -0.0, 0.0 };
	struct column *c;
	struct colstats s;

	c = num_column("one", COL_FLOAT, one, 3);
	stats_column(c, 3, &s);
	is_int((long long)s.count, 1, "single: count");
	is_int((long long)s.missing, 2, "single: missing");
	is_double(s.mean, 3.5, 0, "single: mean");
	ok(isnan(s.std), "single: std is NaN with n=1");
	ok(s.min == 3.5 && s.p25 == 3.5 && s.p50 == 3.5 && s.p75 == 3.5 &&
	    s.max == 3.5, "single: min = quantiles = max");
	is_int((long long)s.distinct, 1, "single: distinct");
	column_free(c);

	c = num_column("same", COL_INT, same, 3);
	stats_column(c, 3, &s);
	is_double(s.std, 0, 0, "repeated value: std 0");
	is_int((long long)s.distinct, 1, "repeated value: distinct");
	is_double(s.p75, -2, 0, "repeated value: p75");
	column_free(c);

	c = num_column("zeros", COL_FLOAT, zeros, 3);
	stats_column(c, 3, &s);
	is_int((long long)s.distinct, 1, "-0 and 0 are one value");
	column_free(c);
}

/* ------------------------------------------------------ strings --- */

static void
test_cat(void)
{
	static const char *const v[] = {
		"b", "a", "B", "c", "a", NULL, "b", "caf\xc3\xa9", "B", "a",
		"caf\xc3\xa9", "b", "B", NULL, "caf\xc3\xa9", "zz",
	};
	static const char *const w[] = { "x", "y", "y", "x", "y" };
	struct column *c;
	struct colstats s;

	c = cat_column("c", v, 16);
	stats_column(c, 16, &s);
	is_int((long long)s.count, 14, "cat: count");
	is_int((long long)s.missing, 2, "cat: missing");
	is_int((long long)s.distinct, 6, "cat: distinct (unused level not "
	    "counted)");
	is_int((long long)s.nvalues, 6, "cat: every used value listed");
	if (s.nvalues == 6) {
		/* count descending, ties in byte order: 'B' < 'a' < 'b' <
		 * "café" */
		is_str(s.values[0].value, "B", "cat: top by byte order");
		is_int((long long)s.values[0].count, 3, "cat: top count");
		is_str(s.values[1].value, "a", "cat: second");
		is_str(s.values[2].value, "b", "cat: third");
		is_str(s.values[3].value, "caf\xc3\xa9", "cat: fourth");
		is_int((long long)s.values[3].count, 3, "cat: fourth count");
		is_str(s.values[4].value, "c", "cat: then count 1, 'c'");
		is_str(s.values[5].value, "zz", "cat: last");
		is_int((long long)s.values[5].count, 1, "cat: last count");
	}
	is_int((long long)s.top_tied, 3, "cat: three values tied with the "
	    "top");
	ok(isnan(s.mean) || s.mean == 0, "cat: no numeric statistics");
	free(s.values);
	column_free(c);

	c = cat_column("w", w, 5);
	stats_column(c, 5, &s);
	ok(s.nvalues == 2 && strcmp(s.values[0].value, "y") == 0 &&
	    s.values[0].count == 3 && s.values[1].count == 2,
	    "cat: count wins over byte order");
	is_int((long long)s.top_tied, 0, "cat: no tie");
	free(s.values);
	column_free(c);
}

static void
test_text(void)
{
	static const char *const v[] = {
		"hello", "a", "", NULL, "hello", "h\xc3\xa9llo",
	};
	struct column *c;
	struct colstats s;

	c = text_column("t", v, 6);
	stats_column(c, 6, &s);
	is_int((long long)s.count, 5, "text: count");
	is_int((long long)s.missing, 1, "text: missing");
	is_int((long long)s.distinct, 4, "text: distinct");
	is_int((long long)s.len_min, 0, "text: shortest is empty");
	is_int((long long)s.len_max, 6, "text: longest in bytes");
	is_double(s.len_mean, 17.0 / 5, 1e-15, "text: mean length");
	is_int((long long)s.nvalues, 4, "text: value counts");
	if (s.nvalues == 4) {
		is_str(s.values[0].value, "hello", "text: top");
		is_int((long long)s.values[0].count, 2, "text: top count");
		is_str(s.values[1].value, "", "text: then byte order: ''");
		is_str(s.values[2].value, "a", "text: 'a'");
		is_str(s.values[3].value, "h\xc3\xa9llo",
		    "text: 'h\xc3\xa9llo'");
		ok(s.values[1].value >= c->arena && s.values[1].value <
		    c->arena + c->arena_len, "text: values borrow the arena");
	}
	is_int((long long)s.top_tied, 0, "text: no tie");
	free(s.values);
	column_free(c);
}

static void
test_bool(void)
{
	static const double b[] = { 1, 0, 1, NAN, 1 };
	static const double tie[] = { 1, 0, NAN };
	static const double yes[] = { 1, 1 };
	struct column *c;
	struct colstats s;

	c = num_column("b", COL_BOOL, b, 5);
	stats_column(c, 5, &s);
	is_int((long long)s.count, 4, "bool: count");
	is_int((long long)s.missing, 1, "bool: missing");
	is_double(s.mean, 0.75, 0, "bool: mean is the share of true");
	is_int((long long)s.distinct, 2, "bool: distinct");
	ok(s.nvalues == 2 && strcmp(s.values[0].value, "true") == 0 &&
	    s.values[0].count == 3 && strcmp(s.values[1].value, "false") ==
	    0 && s.values[1].count == 1, "bool: true 3, false 1");
	is_int((long long)s.top_tied, 0, "bool: no tie");
	free(s.values);
	column_free(c);

	c = num_column("tie", COL_BOOL, tie, 3);
	stats_column(c, 3, &s);
	ok(s.nvalues == 2 && strcmp(s.values[0].value, "false") == 0 &&
	    strcmp(s.values[1].value, "true") == 0,
	    "bool: a tie in byte order (false first)");
	is_int((long long)s.top_tied, 1, "bool: one tied with the top");
	free(s.values);
	column_free(c);

	c = num_column("yes", COL_BOOL, yes, 2);
	stats_column(c, 2, &s);
	ok(s.nvalues == 1 && strcmp(s.values[0].value, "true") == 0 &&
	    s.values[0].count == 2, "bool: only true");
	free(s.values);
	column_free(c);
}

/* Columns with nothing in them, of every type. */
static void
test_empty(void)
{
	static const char *const none[] = { NULL, NULL, NULL };
	static const double nan3[] = { NAN, NAN, NAN };
	struct column *c;
	struct colstats s;
	int t;

	for (t = 0; t < COL__COUNT; t++) {
		char what[64];

		if (t == COL_CAT)
			c = cat_column("c", none, 3);
		else if (t == COL_TEXT)
			c = text_column("t", none, 3);
		else
			c = num_column("n", (enum coltype)t, nan3, 3);
		snprintf(what, sizeof what, "all missing %s",
		    coltype_name((enum coltype)t));
		stats_column(c, 3, &s);
		ok(s.count == 0 && s.missing == 3 && s.distinct == 0 &&
		    s.nvalues == 0 && s.top_tied == 0, "%s: counts", what);
		if (coltype_is_numeric_storage((enum coltype)t))
			ok(isnan(s.mean) && isnan(s.std) && isnan(s.min) &&
			    isnan(s.p25) && isnan(s.p50) && isnan(s.p75) &&
			    isnan(s.max), "%s: statistics are NaN", what);
		if (t == COL_TEXT)
			ok(s.len_min == 0 && s.len_max == 0 &&
			    isnan(s.len_mean), "%s: lengths", what);
		free(s.values);
		column_free(c);
	}
	/* And no rows at all. */
	c = text_column("t", none, 0);
	stats_column(c, 0, &s);
	ok(s.count == 0 && s.missing == 0 && s.nvalues == 0,
	    "text with no rows");
	free(s.values);
	column_free(c);
	c = num_column("n", COL_FLOAT, nan3, 0);
	stats_column(c, 0, &s);
	ok(s.count == 0 && isnan(s.p50), "numeric with no rows");
	column_free(c);
}

/* -------------------------------------------------- the table --- */

static struct table *
big_table(size_t n)
{
	static const char *const levels[] = {
		"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta",
	};
	struct table *t = table_new();
	struct column *c[9];
	char buf[64];
	size_t i, k, len = 0;

	c[0] = column_new("i", COL_INT, n);
	c[1] = column_new("f", COL_FLOAT, n);
	c[2] = column_new("b", COL_BOOL, n);
	c[3] = column_new("c", COL_CAT, n);
	c[4] = column_new("t", COL_TEXT, n);
	c[5] = column_new("d", COL_DATE, n);
	c[6] = column_new("dt", COL_DATETIME, n);
	c[7] = column_new("none", COL_FLOAT, n);
	c[8] = column_new("w", COL_FLOAT, n);
	c[4]->arena = xmalloc(n * 24);
	for (i = 0; i < n; i++) {
		uint64_t r = rnd();

		c[0]->num[i] = (double)(int64_t)(r % 2001) - 1000;
		c[1]->num[i] = r % 17 == 0 ? NAN :
		    ((double)(r >> 11) / 9007199254740992.0 - 0.3) * 1e3;
		c[2]->num[i] = r % 13 == 0 ? NAN : (double)((r >> 20) & 1);
		if (r % 11 != 0) {
			k = (r >> 24) % 7;
			c[3]->codes[i] = dict_intern(c[3]->dict, levels[k],
			    strlen(levels[k]));
		}
		if (r % 19 != 0) {
			snprintf(buf, sizeof buf, "v%llu",
			    (unsigned long long)((r >> 30) % (n / 2)));
			k = strlen(buf) + 1;
			memcpy(c[4]->arena + len, buf, k);
			c[4]->off[i] = len;
			len += k;
		}
		c[5]->num[i] = (double)((r >> 40) % 20000);
		c[6]->num[i] = (double)((r >> 20) % 2000000000) + 0.25;
		c[8]->num[i] = rnd_double();
	}
	c[4]->arena_len = len;
	for (k = 0; k < 9; k++)
		table_add_column(t, c[k]);
	t->nrows = n;
	return t;
}

static int
same_stats(const struct colstats *a, const struct colstats *b)
{
	size_t i;

	if (a->col != b->col || a->count != b->count ||
	    a->missing != b->missing || a->distinct != b->distinct ||
	    !same_num(a->mean, b->mean) || !same_num(a->std, b->std) ||
	    !same_num(a->min, b->min) || !same_num(a->p25, b->p25) ||
	    !same_num(a->p50, b->p50) || !same_num(a->p75, b->p75) ||
	    !same_num(a->max, b->max) || a->nvalues != b->nvalues ||
	    a->top_tied != b->top_tied || a->len_min != b->len_min ||
	    a->len_max != b->len_max || !same_num(a->len_mean, b->len_mean))
		return 0;
	for (i = 0; i < a->nvalues; i++)
		if (a->values[i].count != b->values[i].count ||
		    strcmp(a->values[i].value, b->values[i].value) != 0)
			return 0;
	return 1;
}

static void
test_table(void)
{
	enum { N = 50000 };
	static const int threads[] = { 2, 3, 0, 16 };
	struct table *t = big_table(N);
	struct colstats *one, *many, s;
	double *sorted = xmalloc(N * sizeof *sorted);
	double sum = 0;
	size_t c, k, n = 0, i;

	one = stats_table(t, 1);
	for (c = 0; c < t->ncols; c++) {
		stats_column(t->cols[c], N, &s);
		ok(same_stats(&one[c], &s), "stats_table(1) = stats_column for "
		    "%s", t->cols[c]->name);
		free(s.values);
	}
	for (k = 0; k < sizeof threads / sizeof threads[0]; k++) {
		many = stats_table(t, threads[k]);
		for (c = 0; c < t->ncols; c++)
			ok(same_stats(&one[c], &many[c]), "stats_table(%d) = "
			    "stats_table(1) for %s", threads[k],
			    t->cols[c]->name);
		stats_free(many, t->ncols);
	}

	/* The float column against a plain reference. */
	for (i = 0; i < N; i++)
		if (!isnan(t->cols[1]->num[i])) {
			sorted[n++] = t->cols[1]->num[i];
			sum += t->cols[1]->num[i];
		}
	qsort(sorted, n, sizeof *sorted, cmp_total);
	is_int((long long)one[1].count, (long long)n, "big: count");
	is_double(one[1].mean, sum / (double)n, 1e-12, "big: mean");
	is_double(one[1].min, sorted[0], 0, "big: min");
	is_double(one[1].max, sorted[n - 1], 0, "big: max");
	is_double(one[1].p25, sorted[(n - 1) / 4] + (sorted[(n - 1) / 4 + 1] -
	    sorted[(n - 1) / 4]) * ((double)(n - 1) * 0.25 -
	    (double)((n - 1) / 4)), 1e-12, "big: p25");
	is_int((long long)one[3].nvalues, 7, "big: seven categories");
	is_int((long long)one[7].count, 0, "big: the empty column");
	ok(one[4].distinct > 1000 && one[4].distinct <= N / 2,
	    "big: text distinct");
	stats_free(one, t->ncols);
	free(sorted);
	table_free(t);

	/* A table with no columns. */
	t = table_new();
	one = stats_table(t, 2);
	ok(one != NULL, "stats_table of no columns");
	stats_free(one, 0);
	table_free(t);
}

int
main(void)
{
	test_quantile();
	test_sort();
	test_numeric();
	test_single();
	test_cat();
	test_text();
	test_bool();
	test_empty();
	test_table();
	return tap_done();
}

/*
 * t-dtoa.c - unit tests for core/dtoa.c and the fmt_double() that uses
 * it.
 *
 * fmt_double() must write byte for byte what it wrote before Grisu3:
 * a copy of that printf implementation (old_fmt_double) is the
 * reference, compared on random bit patterns, decimal-looking values,
 * subnormals, powers of two and ten, the %g switch points and the
 * extremes.  LATHE_TEST_QUICK (or an ASan build) scales the random
 * families down; a plain -O2 build runs the full counts.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dtoa.h"
#include "core/numparse.h"
#include "core/table.h"
#include "tap.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED	1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED	0
#endif

struct family {
	const char	*name;
	long		 checked;
	long		 mismatches;
	long		 fallbacks;	/* dtoa_grisu3 refused */
};

static uint64_t	rnd(void);
static double	from_bits(uint64_t);
static void	old_fmt_double(char *, size_t, double);
static void	check(struct family *, double);
static void	report(struct family *);
static long	scaled(long);
static void	test_grisu3(void);
static void	test_random_bits(void);
static void	test_decimal(void);
static void	test_subnormal(void);
static void	test_powers(void);
static void	test_thresholds(void);
static void	test_extremes(void);
static void	test_small_buffer(void);

static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;
static long quick_div = 1;

/* splitmix64 */
static uint64_t
rnd(void)
{
	uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
from_bits(uint64_t u)
{
	double d;

	memcpy(&d, &u, sizeof d);
	return d;
}

/* fmt_double() as it was before dtoa.c: the reference. */
static void
old_fmt_double(char *buf, size_t size, double d)
{
	int prec;

	if (isnan(d)) {
		snprintf(buf, size, "nan");
		return;
	}
	if (isinf(d)) {
		snprintf(buf, size, d < 0 ? "-inf" : "inf");
		return;
	}
	if (d == floor(d) && fabs(d) < 1e15 && size >= 24) {
		char tmp[24];
		long long v = (long long)d;
		unsigned long long u = v < 0 ? (unsigned long long)-v :
		    (unsigned long long)v;
		size_t n = 0, i = 0;

		do {
			tmp[n++] = (char)('0' + u % 10);
			u /= 10;
		} while (u != 0);
		if (v < 0 || (d == 0 && signbit(d)))
			buf[i++] = '-';
		while (n > 0)
			buf[i++] = tmp[--n];
		buf[i] = '\0';
		return;
	}
	for (prec = 15; prec < 17; prec++) {
		double back;
		int is_int;
		int n = snprintf(buf, size, "%.*g", prec, d);

		if (n > 0 && (size_t)n < size && numparse(buf, (size_t)n, &back,
		    &is_int) ? back == d : strtod(buf, NULL) == d)
			return;
	}
	snprintf(buf, size, "%.17g", d);
}

static void
check(struct family *f, double d)
{
	char got[64], want[64], dig[24];
	int e;

	memset(got, 'x', sizeof got);
	fmt_double(got, 40, d);
	old_fmt_double(want, 40, d);
	f->checked++;
	if (isfinite(d) && d != 0 && dtoa_grisu3(fabs(d), dig, &e) == 0)
		f->fallbacks++;
	if (strcmp(got, want) != 0) {
		if (f->mismatches < 5)
			printf("# %s: %a: got '%s' want '%s'\n", f->name, d,
			    got, want);
		f->mismatches++;
	}
}

static void
report(struct family *f)
{
	ok(f->mismatches == 0, "%s: %ld values, %ld mismatches "
	    "(grisu3 fallbacks %ld, %.3f%%)", f->name, f->checked,
	    f->mismatches, f->fallbacks,
	    f->checked ? 100.0 * (double)f->fallbacks / (double)f->checked :
	    0.0);
}

static long
scaled(long n)
{
	return n / quick_div > 1000 ? n / quick_div : 1000;
}

/* Direct checks of the digits and exponent convention. */
static void
test_grisu3(void)
{
	static const struct {
		double		 d;
		const char	*digits;
		int		 exp10;
	} cases[] = {
		{ 1.0, "1", 1 },
		{ 0.1, "1", 0 },
		{ 0.3, "3", 0 },
		{ 0.1 + 0.2, "30000000000000004", 0 },
		{ 123.456, "123456", 3 },
		{ 1.5e-5, "15", -4 },
		{ 5e-324, "5", -323 },
		{ DBL_MAX, "17976931348623157", 309 },
		{ DBL_MIN, "22250738585072014", -307 },
		{ 1e23, "1", 24 },
		{ 9007199254740993.0, "9007199254740992", 16 },
	};
	char dig[24];
	size_t i;
	int n, e;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = dtoa_grisu3(cases[i].d, dig, &e);
		if (n == 0) {
			ok(1, "grisu3 %.17g: refused (allowed)", cases[i].d);
			continue;
		}
		dig[n] = '\0';
		is_str(dig, cases[i].digits, cases[i].digits);
		is_int(e, cases[i].exp10, "exponent");
	}
	is_int(dtoa_grisu3(-1.0, dig, &e), 0, "negative refused");
	is_int(dtoa_grisu3(0.0, dig, &e), 0, "zero refused");
	is_int(dtoa_grisu3(INFINITY, dig, &e), 0, "inf refused");
}

static void
test_random_bits(void)
{
	struct family f = { "random bit patterns", 0, 0, 0 };
	long i, n = scaled(20000000);
	double d;

	for (i = 0; i < n; i++) {
		d = from_bits(rnd());
		if (!isfinite(d)) {
			i--;
			continue;
		}
		check(&f, d);
	}
	report(&f);
}

/* Values as CSV files hold them: up to 17 digits, a decimal point. */
static void
test_decimal(void)
{
	struct family f = { "decimal-looking values", 0, 0, 0 };
	static const double p10[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
		1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
		1e21, 1e22
	};
	long i, n = scaled(5000000);
	uint64_t r, m, lim;
	int digits, k;
	double d;

	for (i = 0; i < n; i++) {
		r = rnd();
		digits = 1 + (int)(r % 17);
		for (lim = 1, k = 0; k < digits; k++)
			lim *= 10;
		m = rnd() % lim;
		k = (int)((r >> 8) % 23);
		d = (r >> 16) & 7 ? (double)m / p10[k] : (double)m * p10[k];
		if ((r >> 20) & 1)
			d = -d;
		check(&f, d);
	}
	report(&f);
}

static void
test_subnormal(void)
{
	struct family f = { "subnormals", 0, 0, 0 };
	long i, n = scaled(1000000);
	uint64_t u;

	for (u = 1; u < 4096; u++) {
		check(&f, from_bits(u));
		check(&f, from_bits(0x000fffffffffffffULL - u + 1));
	}
	for (i = 0; i < n; i++) {
		u = rnd() & 0x800fffffffffffffULL;
		check(&f, from_bits(u >> (rnd() % 52)));
	}
	check(&f, DBL_MIN);
	check(&f, nextafter(DBL_MIN, 0));
	check(&f, nextafter(DBL_MIN, 1));
	report(&f);
}

/* Every power of two and of ten, and a few neighbours each. */
static void
test_powers(void)
{
	struct family f = { "powers of two and ten", 0, 0, 0 };
	char text[32];
	double d, up, down;
	int e, j;

	for (e = -1074; e <= 1023; e++) {
		d = ldexp(1.0, e);
		up = down = d;
		for (j = 0; j < 4; j++) {
			check(&f, up);
			check(&f, -down);
			up = nextafter(up, INFINITY);
			down = nextafter(down, 0);
		}
		check(&f, 3 * d);
		check(&f, 0.75 * d);
	}
	for (e = -330; e <= 310; e++) {
		snprintf(text, sizeof text, "1e%d", e);
		d = strtod(text, NULL);
		up = down = d;
		for (j = 0; j < 8; j++) {
			check(&f, up);
			check(&f, down);
			up = nextafter(up, INFINITY);
			down = nextafter(down, 0);
		}
		for (j = 1; j <= 9; j++) {
			snprintf(text, sizeof text, "%de%d", j, e);
			check(&f, strtod(text, NULL));
		}
	}
	report(&f);
}

/* Near the integer path's 1e15 and %g's 1e16, 1e17, 1e-4, 1e-5. */
static void
test_thresholds(void)
{
	struct family f = { "thresholds 1e15 1e16 1e17 1e-4 1e-5", 0, 0, 0 };
	static const double at[] = {
		1e15, 1e16, 1e17, 1e-4, 1e-5, 1e-3, 1e14, 1e18, 1e21, 1e22,
		9007199254740992.0
	};
	static const char *const texts[] = {
		"999999999999999.9", "999999999999999.5", "999999999999999.4",
		"9999999999999998", "9999999999999999", "99999999999999990",
		"99999999999999999", "999999999999999999",
		"1000000000000000.5", "1000000000000001", "10000000000000002",
		"100000000000000016", "0.000099999999999999999",
		"0.00009999999999999999", "0.0000999999999999999",
		"0.000999999999999999", "0.00010000000000000001",
		"9.999999999999999e-5", "9.9999999999999995e-5",
		"1e15", "1.5e15", "123456789012345.6", "1234567890123456.7",
		"12345678901234567.8", "0.1", "0.2", "0.3",
		"0.30000000000000004", "1.7976931348623157e308",
		"2.2250738585072014e-308", "4.9406564584124654e-324",
	};
	size_t i;
	double up, down;
	int j;

	for (i = 0; i < sizeof at / sizeof at[0]; i++) {
		up = down = at[i];
		for (j = 0; j < 2000; j++) {
			check(&f, up);
			check(&f, -down);
			up = nextafter(up, INFINITY);
			down = nextafter(down, 0);
		}
	}
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		check(&f, strtod(texts[i], NULL));
		check(&f, -strtod(texts[i], NULL));
	}
	report(&f);
}

static void
test_extremes(void)
{
	struct family f = { "extremes, zeros, nan, inf", 0, 0, 0 };
	char buf[40];

	check(&f, DBL_MAX);
	check(&f, -DBL_MAX);
	check(&f, nextafter(DBL_MAX, 0));
	check(&f, DBL_MIN);
	check(&f, -DBL_MIN);
	check(&f, 4.9406564584124654e-324);
	check(&f, -4.9406564584124654e-324);
	check(&f, 0.0);
	check(&f, -0.0);
	check(&f, NAN);
	check(&f, -NAN);
	check(&f, INFINITY);
	check(&f, -INFINITY);
	report(&f);
	fmt_double(buf, sizeof buf, -0.0);
	is_str(buf, "-0", "-0.0 prints as -0");
	fmt_double(buf, sizeof buf, 1.5e-5);
	is_str(buf, "1.5e-05", "1.5e-05");
	fmt_double(buf, sizeof buf, 0.1 + 0.2);
	is_str(buf, "0.30000000000000004", "0.1 + 0.2");
	fmt_double(buf, sizeof buf, -DBL_MAX);
	is_str(buf, "-1.7976931348623157e+308", "-DBL_MAX");
}

/* Buffers too small for the fast path keep the printf behaviour. */
static void
test_small_buffer(void)
{
	long i, bad = 0, n = scaled(100000);
	char got[40], want[40];
	size_t size;
	double d;

	for (i = 0; i < n; i++) {
		d = from_bits(rnd());
		if (!isfinite(d))
			continue;
		size = 8 + (size_t)(rnd() % 32);
		memset(got, 0, sizeof got);
		memset(want, 0, sizeof want);
		fmt_double(got, size, d);
		old_fmt_double(want, size, d);
		if (strcmp(got, want) != 0) {
			if (bad < 5)
				printf("# size %zu: %a: got '%s' want '%s'\n",
				    size, d, got, want);
			bad++;
		}
	}
	ok(bad == 0, "buffers of 8..39 bytes: %ld mismatches", bad);
}

int
main(void)
{
	const char *q = getenv("LATHE_TEST_QUICK");

	if (SANITIZED || (q != NULL && *q != '\0' && strcmp(q, "0") != 0))
		quick_div = 20;
	test_grisu3();
	test_extremes();
	test_thresholds();
	test_powers();
	test_subnormal();
	test_decimal();
	test_random_bits();
	test_small_buffer();
	return tap_done();
}

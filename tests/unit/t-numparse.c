/*
 * t-numparse.c - unit tests for core/numparse.c.
 *
 * numparse() must agree with strtod bit for bit, reject everything
 * outside its grammar, and never read past the byte range it is given;
 * dateparse() is checked against hand-worked values and against
 * timegm().  strtod is the reference, so LC_NUMERIC stays "C" here,
 * as it does in lathe.
 */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/numparse.h"
#include "tap.h"

static uint64_t	rnd(void);
static int	parse_exact(const char *, double *, int *);
static int	same_bits(double, double);
static int	agrees(const char *, size_t, int);
static void	test_table(void);
static void	test_long(void);
static void	test_rejects(void);
static void	test_is_int(void);
static void	test_prefix(void);
static void	test_random(void);
static void	test_dates(void);
static void	test_dates_random(void);

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static int shown;

/* xorshift64*: fast and reproducible */
static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/*
 * Parse s from a heap copy of exactly strlen(s) bytes, with no NUL
 * after it, so that AddressSanitizer catches any read past the range.
 */
static int
parse_exact(const char *s, double *out, int *is_int)
{
	size_t n = strlen(s);
	char *copy = malloc(n ? n : 1);
	int r;

	memcpy(copy, s, n);
	r = numparse(copy, n, out, is_int);
	free(copy);
	return r;
}

static int
same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

/*
 * Does numparse agree with strtod on s[0..n)?  s must be NUL-terminated
 * at n for strtod's sake; numparse is given the range only.  With
 * poison set, a digit is written at s[n] during the call so that any
 * read past the range changes the answer.
 */
static int
agrees(const char *s, size_t n, int poison)
{
	char buf[1024];
	char *end;
	double want, got = 0;
	int isint, r;

	if (n + 2 > sizeof buf)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	want = strtod(buf, &end);
	if (end != buf + n)
		return 0;	/* the generator made something odd */
	if (poison)
		buf[n] = '7';
	r = numparse(buf, n, &got, &isint);
	if (r == 1 && same_bits(got, want))
		return 1;
	if (shown++ < 10)
		printf("# mismatch on '%.*s': got %d %a, strtod %a\n", (int)n,
		    s, r, got, want);
	return 0;
}

static void
test_table(void)
{
	static const char *const cases[] = {
		"0", "-0", "+0", "+1", "-1", "1.", "5.", ".5", "-.5", "+.5",
		"0.", ".0", "-0.0", "-0e5", "0.1", "0.2", "0.3", "1e22",
		"1e23", "-1e23", "1e-22", "1e-23", "1E5", "1e+5", "1e-5",
		"9007199254740991", "9007199254740992", "9007199254740993",
		"9007199254740994", "9007199254740995",
		"123456789012345678", "1234567890123456789",
		"9999999999999999999", "12345678901234567890",
		"18446744073709551615", "18446744073709551616",
		"123456789012345678901234567890",
		"2.2250738585072011e-308", "2.2250738585072012e-308",
		"2.2250738585072014e-308", "2.225073858507201e-308",
		"4.9e-324", "4.9406564584124654e-324",
		"2.4703282292062327e-324", "2.4703282292062328e-324",
		"1e-320", "1e-400", "-1e-400", "1e400", "-1e400",
		"1.7976931348623157e308", "1.7976931348623158e308",
		"1.7976931348623159e308", "17976931348623157e292",
		"17976931348623159e292", "-1.234567e-05", "0.07871",
		"50000.1234", "-0.790152", "58017.0100", "0.0002323528",
		"-2.528017e-05", "42124.95", "123e30", "1e37", "1e38",
		"9007199254740991e15", "9007199254740991e16",
		"9007199254740993e1", "4503599627370497.5",
		"4503599627370496.5", "123e-22", "123e-23",
		"0e999999999999", "1e-999999999999", "1e999999999999",
		"0.000000000000000000000000000001e30",
		"00000000000000000000000000001", "1.00000000000000000000000001",
		"1.0000000000000000000000000000", "100000000000000000000000",
		"7.038531e-26", "3.14159265358979323846264338327950288",
		"8.98846567431158e307", "1.448997445238699", "0.1e-1000",
		"123456789e-330", "5e-324", "3e-324", "2e-324",
		"1.5e-323", "6.9533558078350043e-310", "10e-1",
		"0000.0000e0000", "89255.0e-22", "3.0000000000000001",
		"7.7e-311", "1e-307", "1e308", "1e309",
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double got = 12345, want = strtod(cases[i], NULL);
		int isint, r = parse_exact(cases[i], &got, &isint);

		if (!ok(r == 1 && same_bits(got, want), "'%s' as strtod",
		    cases[i]))
			printf("#   got %d %a\n#  want %a\n", r, got, want);
	}
}

/* Inputs longer than the 128-byte stack buffer of the fallback. */
static void
test_long(void)
{
	char s[2100], *p;
	double got, want;
	int isint, i, r;
	static const char *const tails[] = { "", "1", "e-200", "e200" };
	static const char *const heads[] = {
		"9007199254740993", "0.", "1", "-0.000", "1.5",
	};
	size_t h, t;

	for (h = 0; h < sizeof heads / sizeof heads[0]; h++) {
		for (t = 0; t < sizeof tails / sizeof tails[0]; t++) {
			for (i = 0; i < 2; i++) {
				int zeros = i ? 2000 : 300;

				p = s + snprintf(s, 64, "%s", heads[h]);
				if (strchr(heads[h], '.') == NULL &&
				    strcmp(tails[t], "1") == 0)
					*p++ = '.';
				memset(p, '0', (size_t)zeros);
				p += zeros;
				strcpy(p, tails[t]);
				want = strtod(s, NULL);
				r = parse_exact(s, &got, &isint);
				if (!ok(r == 1 && same_bits(got, want),
				    "%s + %d zeros + '%s' as strtod",
				    heads[h], zeros, tails[t]))
					printf("#   got %d %a\n#  want %a\n", r,
					    got, want);
			}
		}
	}

	/* 800 significant digits: the halfway case of 2^-1075 */
	strcpy(s, "2.47032822920623272088284396434110686182529901307162"
	    "382212792841250337753635104375932649918180817996189898282347"
	    "722858865463328355177969898199387398005390939063150356595155"
	    "702263922908583924491051844359318028499365361525003193704576"
	    "782492193656236698636584807570015857692699037063119282795585"
	    "513329278343384093519780155312465972635795746227664652728272"
	    "200563740064854999770965994704540208281662262378573934507363"
	    "390079677619305775067401763246736009689513405355374585166611"
	    "342237666786041621596804619144672918403005300575308490487653"
	    "917113865916462395249126236538818796362393732804238910186723"
	    "484976682350898633885879256283027559956575244555072551893136"
	    "908362547791869486679949683240497058210285131854513962138377"
	    "228261454376934125320985913276672363281255e-324");
	want = strtod(s, NULL);
	r = parse_exact(s, &got, &isint);
	if (!ok(r == 1 && same_bits(got, want),
	    "800-digit string near 2^-1075 as strtod"))
		printf("#   got %d %a\n#  want %a\n", r, got, want);
	s[strlen(s) - 6] = '\0';
	want = strtod(s, NULL);
	r = parse_exact(s, &got, &isint);
	if (!ok(r == 1 && same_bits(got, want), "the same, shortened, as strtod"))
		printf("#   got %d %a\n#  want %a\n", r, got, want);
}

static void
test_rejects(void)
{
	static const char *const bad[] = {
		"", "+", "-", ".", "+.", "-.", "e5", ".e5", "1e", "1e+",
		"1e-", "1.2.3", " 1", "1 ", "\t1", "0x10", "0X1p3", "inf",
		"-inf", "infinity", "nan", "NaN", "1,5", "--1", "+-1", "-+1",
		"1e5.", "1.e", "1e--5", "1e+-5", "1.2e3.4", "1d5", "1f",
		"1e5e5", "e", "E", "1E", "..1", "1..", "1_000", "\xd9\xa1",
		"1'000", "1e 5", "- 1",
	};
	size_t i;
	double v;
	int isint;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ok(parse_exact(bad[i], &v, &isint) == 0, "rejects '%s'",
		    bad[i]);

	/* a NUL inside the range is just another wrong byte */
	ok(numparse("1\0", 2, &v, &isint) == 0, "rejects '1\\0'");
	ok(numparse("\0" "1", 2, &v, &isint) == 0, "rejects '\\01'");
}

static void
test_is_int(void)
{
	static const struct {
		const char	*s;
		int		is_int;
	} tab[] = {
		{ "123", 1 }, { "-0", 1 }, { "+7", 1 }, { "007", 1 },
		{ "12345678901234567890123", 1 }, { "1.", 0 }, { ".5", 0 },
		{ "1.0", 0 }, { "1e5", 0 }, { "1E0", 0 }, { "-3e-1", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		double v;
		int isint = -1;
		char name[80];

		snprintf(name, sizeof name, "is_int of '%s'", tab[i].s);
		if (parse_exact(tab[i].s, &v, &isint) != 1)
			isint = -2;
		is_int(isint, tab[i].is_int, name);
	}
}

/* Ranges that are a prefix of a longer NUL-terminated buffer. */
static void
test_prefix(void)
{
	static const char buf[] = "1234567e5";
	static const char buf2[] = "0.5e-3";
	static const char buf3[] = "2024-03-05T10:20:30.25Z";
	double v = 0;
	int isint = 0;

	ok(numparse(buf, 4, &v, &isint) == 1 && v == 1234 && isint,
	    "prefix '1234' of '1234567e5'");
	ok(numparse(buf, 7, &v, &isint) == 1 && v == 1234567 && isint,
	    "prefix '1234567' of '1234567e5'");
	ok(numparse(buf, 8, &v, &isint) == 0, "prefix '1234567e' rejected");
	ok(numparse(buf2, 3, &v, &isint) == 1 && v == 0.5 && !isint,
	    "prefix '0.5' of '0.5e-3'");
	ok(numparse(buf2, 5, &v, &isint) == 0, "prefix '0.5e-' rejected");
	ok(numparse(buf2, 0, &v, &isint) == 0, "empty prefix rejected");
	ok(dateparse(buf3, 10, &v) == 1 && v == 19787,
	    "prefix '2024-03-05' is a date");
	ok(dateparse(buf3, 16, &v) == 2 && v == 1709634000,
	    "prefix '2024-03-05T10:20' is a datetime");
	ok(dateparse(buf3, 21, &v) == 2 && v == 1709634030.2,
	    "prefix '2024-03-05T10:20:30.2'");
	ok(dateparse(buf3, 20, &v) == 0, "prefix '...:30.' rejected");
	ok(dateparse(buf3, 11, &v) == 0, "prefix '2024-03-05T' rejected");
}

static void
test_random(void)
{
	enum { N = 2000000 };
	char s[512];
	long i;
	int bad = 0, len;
	union {
		uint64_t	u;
		double		d;
	} bits;

	shown = 0;
	for (i = 0; i < N; i++) {
		uint64_t r = rnd();
		int kind = (int)(r % 4), k, nd, dot, j;
		double d;
		char *p;

		switch (kind) {
		case 0:		/* any finite double, %.{1..17}g */
			do {
				bits.u = rnd();
			} while (!isfinite(bits.d));
			len = snprintf(s, sizeof s, "%.*g",
			    1 + (int)(rnd() % 17), bits.d);
			break;
		case 1:		/* typical magnitudes, %.{1..17}g */
			d = (double)(rnd() >> 11) / 9007199254740992.0;
			d *= pow(10, (double)((int)(rnd() % 41) - 20));
			if (rnd() & 1)
				d = -d;
			len = snprintf(s, sizeof s, "%.*g",
			    1 + (int)(rnd() % 17), d);
			break;
		case 2:		/* typical magnitudes, %.{0..9}f */
			d = (double)(rnd() >> 11) / 9007199254740992.0;
			d *= pow(10, (double)((int)(rnd() % 25) - 8));
			if (rnd() & 1)
				d = -d;
			len = snprintf(s, sizeof s, "%.*f", (int)(rnd() % 10),
			    d);
			break;
		default:	/* random digits, '.', exponent */
			p = s;
			k = (int)(rnd() % 4);
			if (k == 0)
				*p++ = '-';
			else if (k == 1)
				*p++ = '+';
			nd = 1 + (int)(rnd() % 40);
			dot = (int)(rnd() % (unsigned)(nd + 2)) - 1;
			k = (int)(rnd() % 6);	/* leading zeros */
			for (j = 0; j < nd; j++) {
				if (j == dot)
					*p++ = '.';
				*p++ = (char)('0' + (j < k ? 0 :
				    (int)(rnd() % 10)));
			}
			if (dot == nd)
				*p++ = '.';
			if (rnd() % 3) {
				*p++ = rnd() & 1 ? 'e' : 'E';
				k = (int)(rnd() % 3);
				if (k == 1)
					*p++ = '-';
				else if (k == 2)
					*p++ = '+';
				p += sprintf(p, "%d",
				    (int)(rnd() % (rnd() & 1 ? 30 : 360)));
			}
			*p = '\0';
			len = (int)(p - s);
			break;
		}
		if (len <= 0 || (size_t)len >= sizeof s || !agrees(s,
		    (size_t)len, 1))
			bad++;
	}
	ok(bad == 0, "%d random strings agree with strtod (%d mismatches)",
	    N, bad);
}

static void
test_dates(void)
{
	static const struct {
		const char	*s;
		int		ret;
		double		want;
	} tab[] = {
		{ "1970-01-01", 1, 0 },
		{ "1970-01-02", 1, 1 },
		{ "1969-12-31", 1, -1 },
		{ "2000-02-29", 1, 11016 },
		{ "2000-03-01", 1, 11017 },
		{ "2024-02-29", 1, 19782 },
		{ "1600-02-29", 1, -135081 },
		{ "0000-01-01", 1, -719528 },
		{ "9999-12-31", 1, 2932896 },
		{ "1900-02-29", 0, 0 },
		{ "2023-02-29", 0, 0 },
		{ "2023-13-01", 0, 0 },
		{ "2023-00-10", 0, 0 },
		{ "2023-04-31", 0, 0 },
		{ "2023-04-00", 0, 0 },
		{ "2024-03-05T10:20:30Z", 2, 1709634030 },
		{ "2024-03-05 10:20", 2, 1709634000 },
		{ "2024-03-05T10:20:30", 2, 1709634030 },
		{ "2024-03-05T10:20:30.5+02:00", 2, 1709626830.5 },
		{ "2024-03-05T10:20:30.5+0200", 2, 1709626830.5 },
		{ "2024-03-05T10:20-05:30", 2, 1709634000 + 19800 },
		{ "2024-03-05T10:20:30.000Z", 2, 1709634030 },
		{ "2016-12-31T23:59:60Z", 2, 1483228800 },
		{ "1969-12-31T23:59:59Z", 2, -1 },
		{ "1970-01-01T00:00:00+00:00", 2, 0 },
		{ "-2024-03-05", 0, 0 },
		{ "-001-01-01", 0, 0 },
		{ "+2024-03-05", 0, 0 },
		{ "2024-3-5", 0, 0 },
		{ "20240305", 0, 0 },
		{ "2024/03/05", 0, 0 },
		{ " 2024-03-05", 0, 0 },
		{ "2024-03-05 ", 0, 0 },
		{ "2024-03-05x", 0, 0 },
		{ "2024-03-05T", 0, 0 },
		{ "2024-03-05T10", 0, 0 },
		{ "2024-03-05T10:2", 0, 0 },
		{ "2024-03-05t10:20", 0, 0 },
		{ "2024-03-05T24:00", 0, 0 },
		{ "2024-03-05T10:60", 0, 0 },
		{ "2024-03-05T10:20:61", 0, 0 },
		{ "2024-03-05T10:20:3", 0, 0 },
		{ "2024-03-05T10:20:30.", 0, 0 },
		{ "2024-03-05T10:20.5", 0, 0 },
		{ "2024-03-05T10:20:30Zx", 0, 0 },
		{ "2024-03-05T10:20:30ZZ", 0, 0 },
		{ "2024-03-05T10:20+2", 0, 0 },
		{ "2024-03-05T10:20+02", 0, 0 },
		{ "2024-03-05T10:20+02:0", 0, 0 },
		{ "2024-03-05T10:20+020", 0, 0 },
		{ "2024-03-05T10:20+24:00", 0, 0 },
		{ "2024-03-05T10:20+02:60", 0, 0 },
		{ "2024-03-05T10:20+02-00", 0, 0 },
		{ "2024-03-05T10:20:30.5.5", 0, 0 },
		{ "", 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		size_t n = strlen(tab[i].s);
		char *copy = malloc(n ? n : 1);
		double v = -12345;
		int r;

		memcpy(copy, tab[i].s, n);
		r = dateparse(copy, n, &v);
		free(copy);
		if (!ok(r == tab[i].ret && (r == 0 || v == tab[i].want),
		    "dateparse '%s' -> %d", tab[i].s, tab[i].ret))
			printf("#   got %d %.17g\n#  want %d %.17g\n", r, v,
			    tab[i].ret, tab[i].want);
	}
}

/* Random dates and datetimes against timegm(). */
static void
test_dates_random(void)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	char s[80], fr[16];
	int i, bad = 0, dbad = 0;

	shown = 0;
	for (i = 0; i < 500; i++) {
		struct tm tm;
		int y = 1 + (int)(rnd() % 9999), mo = 1 + (int)(rnd() % 12);
		int leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
		int md = mdays[mo - 1] + (mo == 2 && leap);
		int d = 1 + (int)(rnd() % (unsigned)md);
		int hh = (int)(rnd() % 24), mi = (int)(rnd() % 60);
		int ss = (int)(rnd() % 60), oh = (int)(rnd() % 24);
		int om = (int)(rnd() % 60), osign = rnd() & 1 ? 1 : -1;
		int nfr = (int)(rnd() % 7), zone = (int)(rnd() % 4);
		double v, want, frac = 0;
		time_t t;
		int n, r;

		memset(&tm, 0, sizeof tm);
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = hh;
		tm.tm_min = mi;
		tm.tm_sec = ss;
		t = timegm(&tm);

		n = snprintf(s, sizeof s, "%04d-%02d-%02d", y, mo, d);
		r = dateparse(s, (size_t)n, &v);
		if (r != 1 || v != (double)((t - hh * 3600 - mi * 60 - ss) /
		    86400)) {
			if (shown++ < 10)
				printf("# date mismatch on '%s'\n", s);
			dbad++;
		}

		n += snprintf(s + n, sizeof s - (size_t)n, "%c%02d:%02d:%02d",
		    rnd() & 1 ? 'T' : ' ', hh, mi, ss);
		if (nfr > 0) {
			snprintf(fr, sizeof fr, "0.%06d",
			    (int)(rnd() % 1000000));
			fr[2 + nfr] = '\0';
			frac = strtod(fr, NULL);
			n += snprintf(s + n, sizeof s - (size_t)n, "%s",
			    fr + 1);
		}
		if (zone == 1) {
			n += snprintf(s + n, sizeof s - (size_t)n, "Z");
		} else if (zone >= 2) {
			n += snprintf(s + n, sizeof s - (size_t)n,
			    zone == 2 ? "%c%02d:%02d" : "%c%02d%02d",
			    osign > 0 ? '+' : '-', oh, om);
			t -= osign * (oh * 3600 + om * 60);
		}
		want = (double)t + frac;
		r = dateparse(s, (size_t)n, &v);
		if (r != 2 || !same_bits(v, want)) {
			if (shown++ < 10)
				printf("# datetime mismatch on '%s': got %d "
				    "%.17g, want %.17g\n", s, r, v, want);
			bad++;
		}
	}
	ok(dbad == 0, "500 random dates agree with timegm (%d mismatches)",
	    dbad);
	ok(bad == 0, "500 random datetimes agree with timegm (%d mismatches)",
	    bad);
}

int
main(void)
{
	/* strtod is the reference; lathe keeps LC_NUMERIC at "C" too */
	setlocale(LC_NUMERIC, "C");
	test_table();
	test_long();
	test_rejects();
	test_is_int();
	test_prefix();
	test_random();
	test_dates();
	test_dates_random();
	return tap_done();
}

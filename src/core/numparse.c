/*
 * numparse.c - exact, fast parsing of decimal numbers and ISO 8601 dates
 * from byte ranges.
 *
 * Owns the number grammar used by the CSV loader and type inference:
 * numparse() accepts exactly [+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)? and
 * returns the same double strtod would, bit for bit; dateparse() accepts
 * ISO 8601 dates and datetimes.  Neither ever reads past s[n-1].  Leaves
 * alone: whitespace trimming, quoting, NA tokens, locales (strtod is only
 * called as a fallback, on text already checked against the grammar, and
 * the program keeps LC_NUMERIC at "C").
 */
#include <errno.h>
#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/numparse.h"

static double	slowparse(const char *, size_t);
static int	digits2(const char *, int *);
static int	digits4(const char *, int *);
static int64_t	days_from_civil(int64_t, int, int);
static int	month_days(int, int);

/*
 * Every power of ten up to 1e22 is exactly representable as a double
 * (5^22 < 2^53), so one multiplication or division by an entry is a
 * single correctly rounded operation.
 */
static const double pow10tab[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static const uint64_t pow10u[20] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
	10000000000000000000ULL,
};

#define TWO53		(1ULL << 53)
#define EXP_SAT		100000		/* explicit exponents saturate here */
#define STACKBUF	128

/*
 * The fast path relies on each double operation being rounded once, to
 * double.  With x87 excess precision (FLT_EVAL_METHOD != 0) that is not
 * so, and everything goes to strtod.
 */
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
#define FAST_OK		1
#else
#define FAST_OK		0
#endif

/*
 * The text has already been checked against the grammar, so strtod
 * consumes all of it; it only needs a terminating NUL.  errno is kept,
 * since overflow and underflow are not errors for our callers.
 */
static double
slowparse(const char *s, size_t n)
{
	char stackbuf[STACKBUF], *buf = stackbuf;
	double v;
	int saved = errno;

	if (n >= sizeof stackbuf) {
		buf = malloc(n + 1);
		if (buf == NULL)
			abort();	/* the xmalloc policy */
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	v = strtod(buf, NULL);
	if (buf != stackbuf)
		free(buf);
	errno = saved;
	return v;
}

int
numparse(const char *s, size_t n, double *out, int *is_int)
{
	const char *p = s, *end = s + n, *ip, *fp = NULL;
	uint64_t mant = 0;
	size_t nint, nfrac = 0;
	int64_t dexp, e = 0;
	int neg = 0, eneg = 0, hasexp = 0, esat = 0;
	unsigned d;
	double v;

	if (p == end)
		return 0;
	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		if (++p == end)
			return 0;
	}

	/*
	 * Digits go straight into mant; unsigned wrap-around is harmless
	 * because more than 19 digits are redone carefully below.
	 */
	ip = p;
	while (p != end && (d = (unsigned)(unsigned char)*p - '0') <= 9) {
		mant = mant * 10 + d;
		p++;
	}
	nint = (size_t)(p - ip);
	if (p != end && *p == '.') {
		fp = ++p;
		while (p != end &&
		    (d = (unsigned)(unsigned char)*p - '0') <= 9) {
			mant = mant * 10 + d;
			p++;
		}
		nfrac = (size_t)(p - fp);
	}
	if (nint + nfrac == 0)
		return 0;
	if (p != end && (*p == 'e' || *p == 'E')) {
		hasexp = 1;
		if (++p == end)
			return 0;
		if (*p == '-' || *p == '+') {
			eneg = *p == '-';
			if (++p == end)
				return 0;
		}
		if ((unsigned)(unsigned char)*p - '0' > 9)
			return 0;
		while (p != end &&
		    (d = (unsigned)(unsigned char)*p - '0') <= 9) {
			if (e < EXP_SAT)
				e = e * 10 + d;
			else
				esat = 1;
			p++;
		}
		if (eneg)
			e = -e;
	}
	if (p != end)
		return 0;
	*is_int = fp == NULL && !hasexp;

	if (!FAST_OK)
		goto slow;

	if (nint + nfrac <= 19) {
		dexp = e - (int64_t)nfrac;
	} else {
		/*
		 * Long digit strings: count only significant digits.
		 * Leading zeros and zeros past the 19th significant digit
		 * cost nothing; anything else non-zero past it does.
		 */
		const char *q;
		int sig = 0;

		mant = 0;
		dexp = e;
		for (q = ip; q != ip + nint; q++) {
			d = (unsigned)(unsigned char)*q - '0';
			if (sig == 0 && d == 0)
				continue;
			if (sig < 19) {
				mant = mant * 10 + d;
				sig++;
			} else {
				if (d != 0)
					goto slow;
				dexp++;
			}
		}
		for (q = fp; q != NULL && q != fp + nfrac; q++) {
			d = (unsigned)(unsigned char)*q - '0';
			if (sig == 0 && d == 0) {
				dexp--;
				continue;
			}
			if (sig < 19) {
				mant = mant * 10 + d;
				sig++;
				dexp--;
			} else if (d != 0)
				goto slow;
		}
	}

	if (mant == 0) {
		v = 0.0;
	} else if (esat) {
		/* a clipped exponent could pair with as many digits */
		goto slow;
	} else if (dexp == 0) {
		/* one rounding, in the conversion */
		v = (double)mant;
	} else if (mant <= TWO53) {
		if (dexp > 0 && dexp <= 22)
			v = (double)mant * pow10tab[dexp];
		else if (dexp < 0 && dexp >= -22)
			v = (double)mant / pow10tab[-dexp];
		else if (dexp > 22 && dexp <= 22 + 16 &&
		    mant <= TWO53 / pow10u[dexp - 22])
			v = (double)(mant * pow10u[dexp - 22]) * 1e22;
		else
			goto slow;
	} else if (dexp > 0 && dexp <= 19 &&
	    mant <= UINT64_MAX / pow10u[dexp]) {
		/* exact integer below 2^64, rounded once */
		v = (double)(mant * pow10u[dexp]);
	} else {
		goto slow;
	}
	*out = neg ? -v : v;
	return 1;

slow:
	*out = slowparse(s, n);
	return 1;
}

static int
digits2(const char *s, int *v)
{
	unsigned a = (unsigned)(unsigned char)s[0] - '0';
	unsigned b = (unsigned)(unsigned char)s[1] - '0';

	if (a > 9 || b > 9)
		return 0;
	*v = (int)(a * 10 + b);
	return 1;
}

static int
digits4(const char *s, int *v)
{
	int hi, lo;

	if (!digits2(s, &hi) || !digits2(s + 2, &lo))
		return 0;
	*v = hi * 100 + lo;
	return 1;
}

static int
month_days(int y, int m)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return mdays[m - 1];
}

/*
 * Howard Hinnant's days_from_civil: days since 1970-01-01 in the
 * proleptic Gregorian calendar, counting years from March so that the
 * leap day comes last.
 */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
dateparse(const char *s, size_t n, double *out)
{
	const char *p, *end = s + n;
	int y, mo, d, hh, mi, ss = 0, oh, om, osign = 0;
	int64_t days, secs;
	double frac = 0;

	if (n < 10 || !digits4(s, &y) || s[4] != '-' || !digits2(s + 5, &mo) ||
	    s[7] != '-' || !digits2(s + 8, &d))
		return 0;
	if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo))
		return 0;
	days = days_from_civil(y, mo, d);
	if (n == 10) {
		*out = (double)days;
		return 1;
	}

	/* "T" or " " then HH:MM */
	p = s + 10;
	if (end - p < 6 || (*p != 'T' && *p != ' ') || !digits2(p + 1, &hh) ||
	    p[3] != ':' || !digits2(p + 4, &mi))
		return 0;
	p += 6;
	if (hh > 23 || mi > 59)
		return 0;

	/* optional :SS and .fraction */
	if (p != end && *p == ':') {
		if (end - p < 3 || !digits2(p + 1, &ss) || ss > 60)
			return 0;
		p += 3;
		if (p != end && *p == '.') {
			uint64_t fm = 0;
			int nd = 0;
			unsigned c;

			p++;
			if (p == end || (unsigned)(unsigned char)*p - '0' > 9)
				return 0;
			while (p != end &&
			    (c = (unsigned)(unsigned char)*p - '0') <= 9) {
				/* digits past 1e-18 s cannot matter */
				if (nd < 18) {
					fm = fm * 10 + c;
					nd++;
				}
				p++;
			}
			frac = (double)fm / pow10tab[nd];
		}
	}

	/* optional zone: Z, +HH:MM, -HH:MM, +HHMM, -HHMM */
	oh = om = 0;
	if (p != end) {
		if (*p == 'Z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			osign = *p == '-' ? -1 : 1;
			p++;
			if (end - p == 5 && p[2] == ':') {
				if (!digits2(p, &oh) || !digits2(p + 3, &om))
					return 0;
			} else if (end - p == 4) {
				if (!digits2(p, &oh) || !digits2(p + 2, &om))
					return 0;
			} else {
				return 0;
			}
			p = end;
			if (oh > 23 || om > 59)
				return 0;
		} else {
			return 0;
		}
	}
	if (p != end)
		return 0;

	secs = days * 86400 + hh * 3600 + mi * 60 + ss -
	    osign * (oh * 3600 + om * 60);
	*out = (double)secs + frac;
	return 2;
}

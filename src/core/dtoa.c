/*
 * dtoa.c - Grisu3 (Florian Loitsch, "Printing Floating-Point Numbers
 * Quickly and Accurately with Integers", PLDI 2010), after the
 * double-conversion library's fast-dtoa: the shortest decimal digits
 * of a positive double with 64-bit integer arithmetic, or a refusal
 * when the result cannot be proven shortest and nearest.  Formatting
 * (signs, dots, exponents) is fmt_double's business in table.c.
 */
#include <stdint.h>
#include <string.h>

#include "core/dtoa.h"

/* A "do-it-yourself floating point" number: f * 2^e. */
struct diyfp {
	uint64_t	f;
	int		e;
};

struct cached_power {
	uint64_t	f;	/* normalized significand */
	int16_t		e;	/* binary exponent */
	int16_t		k;	/* decimal exponent: f * 2^e ~ 10^k */
};

/*
 * 10^k for k = -348, -340, ..., 340, each rounded to nearest as a
 * normalized 64-bit significand and a binary exponent.  Generated with
 * exact integers by tests/tools/gen-cached-powers.py; do not edit.
 */
static const struct cached_power cached_powers[] = {
	{ 0xfa8fd5a0081c0288, -1220, -348 },
	{ 0xbaaee17fa23ebf76, -1193, -340 },
	{ 0x8b16fb203055ac76, -1166, -332 },
	{ 0xcf42894a5dce35ea, -1140, -324 },
	{ 0x9a6bb0aa55653b2d, -1113, -316 },
	{ 0xe61acf033d1a45df, -1087, -308 },
	{ 0xab70fe17c79ac6ca, -1060, -300 },
	{ 0xff77b1fcbebcdc4f, -1034, -292 },
	{ 0xbe5691ef416bd60c, -1007, -284 },
	{ 0x8dd01fad907ffc3c, -980, -276 },
	{ 0xd3515c2831559a83, -954, -268 },
	{ 0x9d71ac8fada6c9b5, -927, -260 },
	{ 0xea9c227723ee8bcb, -901, -252 },
	{ 0xaecc49914078536d, -874, -244 },
	{ 0x823c12795db6ce57, -847, -236 },
	{ 0xc21094364dfb5637, -821, -228 },
	{ 0x9096ea6f3848984f, -794, -220 },
	{ 0xd77485cb25823ac7, -768, -212 },
	{ 0xa086cfcd97bf97f4, -741, -204 },
	{ 0xef340a98172aace5, -715, -196 },
	{ 0xb23867fb2a35b28e, -688, -188 },
	{ 0x84c8d4dfd2c63f3b, -661, -180 },
	{ 0xc5dd44271ad3cdba, -635, -172 },
	{ 0x936b9fcebb25c996, -608, -164 },
	{ 0xdbac6c247d62a584, -582, -156 },
	{ 0xa3ab66580d5fdaf6, -555, -148 },
	{ 0xf3e2f893dec3f126, -529, -140 },
	{ 0xb5b5ada8aaff80b8, -502, -132 },
	{ 0x87625f056c7c4a8b, -475, -124 },
	{ 0xc9bcff6034c13053, -449, -116 },
	{ 0x964e858c91ba2655, -422, -108 },
	{ 0xdff9772470297ebd, -396, -100 },
	{ 0xa6dfbd9fb8e5b88f, -369, -92 },
	{ 0xf8a95fcf88747d94, -343, -84 },
	{ 0xb94470938fa89bcf, -316, -76 },
	{ 0x8a08f0f8bf0f156b, -289, -68 },
	{ 0xcdb02555653131b6, -263, -60 },
	{ 0x993fe2c6d07b7fac, -236, -52 },
	{ 0xe45c10c42a2b3b06, -210, -44 },
	{ 0xaa242499697392d3, -183, -36 },
	{ 0xfd87b5f28300ca0e, -157, -28 },
	{ 0xbce5086492111aeb, -130, -20 },
	{ 0x8cbccc096f5088cc, -103, -12 },
	{ 0xd1b71758e219652c, -77, -4 },
	{ 0x9c40000000000000, -50, 4 },
	{ 0xe8d4a51000000000, -24, 12 },
	{ 0xad78ebc5ac620000, 3, 20 },
	{ 0x813f3978f8940984, 30, 28 },
	{ 0xc097ce7bc90715b3, 56, 36 },
	{ 0x8f7e32ce7bea5c70, 83, 44 },
	{ 0xd5d238a4abe98068, 109, 52 },
	{ 0x9f4f2726179a2245, 136, 60 },
	{ 0xed63a231d4c4fb27, 162, 68 },
	{ 0xb0de65388cc8ada8, 189, 76 },
	{ 0x83c7088e1aab65db, 216, 84 },
	{ 0xc45d1df942711d9a, 242, 92 },
	{ 0x924d692ca61be758, 269, 100 },
	{ 0xda01ee641a708dea, 295, 108 },
	{ 0xa26da3999aef774a, 322, 116 },
	{ 0xf209787bb47d6b85, 348, 124 },
	{ 0xb454e4a179dd1877, 375, 132 },
	{ 0x865b86925b9bc5c2, 402, 140 },
	{ 0xc83553c5c8965d3d, 428, 148 },
	{ 0x952ab45cfa97a0b3, 455, 156 },
	{ 0xde469fbd99a05fe3, 481, 164 },
	{ 0xa59bc234db398c25, 508, 172 },
	{ 0xf6c69a72a3989f5c, 534, 180 },
	{ 0xb7dcbf5354e9bece, 561, 188 },
	{ 0x88fcf317f22241e2, 588, 196 },
	{ 0xcc20ce9bd35c78a5, 614, 204 },
	{ 0x98165af37b2153df, 641, 212 },
	{ 0xe2a0b5dc971f303a, 667, 220 },
	{ 0xa8d9d1535ce3b396, 694, 228 },
	{ 0xfb9b7cd9a4a7443c, 720, 236 },
	{ 0xbb764c4ca7a44410, 747, 244 },
	{ 0x8bab8eefb6409c1a, 774, 252 },
	{ 0xd01fef10a657842c, 800, 260 },
	{ 0x9b10a4e5e9913129, 827, 268 },
	{ 0xe7109bfba19c0c9d, 853, 276 },
	{ 0xac2820d9623bf429, 880, 284 },
	{ 0x80444b5e7aa7cf85, 907, 292 },
	{ 0xbf21e44003acdd2d, 933, 300 },
	{ 0x8e679c2f5e44ff8f, 960, 308 },
	{ 0xd433179d9c8cb841, 986, 316 },
	{ 0x9e19db92b4e31ba9, 1013, 324 },
	{ 0xeb96bf6ebadf77d9, 1039, 332 },
	{ 0xaf87023b9bf0ee6b, 1066, 340 },
};

#define CACHED_OFFSET	348	/* -(decimal exponent of cached_powers[0]) */
#define CACHED_STEP	8	/* decimal exponent distance of neighbours */
#define MIN_TARGET_EXP	(-60)	/* scaled w.e lies in [-60, -32] */
#define MAX_TARGET_EXP	(-32)

#define DBL_HIDDEN	((uint64_t)1 << 52)
#define DBL_FRAC_MASK	(DBL_HIDDEN - 1)
#define DBL_EXP_BIAS	1075	/* 1023 + 52 fraction bits */
#define DBL_DENORM_EXP	(1 - DBL_EXP_BIAS)

static const uint32_t small_pow10[] = {
	0, 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000
};

static struct diyfp	diyfp_mul(struct diyfp, struct diyfp);
static struct diyfp	diyfp_normalize(struct diyfp);
static int		round_weed(char *, int, uint64_t, uint64_t, uint64_t,
			    uint64_t, uint64_t);
static int		digit_gen(struct diyfp, struct diyfp, struct diyfp,
			    char *, int *, int *);

/* x * y rounded to 64 bits (half up), as in the paper. */
static struct diyfp
diyfp_mul(struct diyfp x, struct diyfp y)
{
	struct diyfp r;
#ifdef __SIZEOF_INT128__
	unsigned __int128 p = (unsigned __int128)x.f * y.f;

	r.f = (uint64_t)(p >> 64) + ((uint64_t)p >> 63);
#else
	const uint64_t m32 = 0xffffffffu;
	uint64_t a = x.f >> 32, b = x.f & m32;
	uint64_t c = y.f >> 32, d = y.f & m32;
	uint64_t ac = a * c, bc = b * c, ad = a * d, bd = b * d;
	uint64_t tmp = (bd >> 32) + (ad & m32) + (bc & m32);

	tmp += (uint64_t)1 << 31;
	r.f = ac + (ad >> 32) + (bc >> 32) + (tmp >> 32);
#endif
	r.e = x.e + y.e + 64;
	return r;
}

static struct diyfp
diyfp_normalize(struct diyfp x)
{
#if defined(__GNUC__)
	int s = __builtin_clzll(x.f);	/* x.f != 0 */

	x.f <<= s;
	x.e -= s;
#else
	while ((x.f & ((uint64_t)1 << 63)) == 0) {
		x.f <<= 1;
		x.e--;
	}
#endif
	return x;
}

/*
 * Move the last digit of buf down towards w while that brings it
 * nearer, then check that the result is provably within the safe
 * interval and nearest.  All quantities are in units of the scaled
 * significands; "unit" is the error bound.  Returns 1 when proven.
 */
static int
round_weed(char *buf, int len, uint64_t dist_too_high_w,
    uint64_t unsafe_interval, uint64_t rest, uint64_t ten_kappa,
    uint64_t unit)
{
	uint64_t small_dist = dist_too_high_w - unit;
	uint64_t big_dist = dist_too_high_w + unit;

	while (rest < small_dist &&
	    unsafe_interval - rest >= ten_kappa &&
	    (rest + ten_kappa < small_dist ||
	    small_dist - rest >= rest + ten_kappa - small_dist)) {
		buf[len - 1]--;
		rest += ten_kappa;
	}
	/* Would stepping once more be nearer to some w in its error
	 * range?  Then the choice is not proven. */
	if (rest < big_dist &&
	    unsafe_interval - rest >= ten_kappa &&
	    (rest + ten_kappa < big_dist ||
	    big_dist - rest > rest + ten_kappa - big_dist))
		return 0;
	return 2 * unit <= rest && rest <= unsafe_interval - 4 * unit;
}

/*
 * Digits of the shortest number in (low, high), all three with the
 * same exponent in [MIN_TARGET_EXP, MAX_TARGET_EXP].  Sets *len and
 * *kappa (the value is buf * 10^kappa in the scaled domain).
 */
static int
digit_gen(struct diyfp low, struct diyfp w, struct diyfp high, char *buf,
    int *len, int *kappa)
{
	uint64_t unit = 1;
	uint64_t too_low = low.f - unit;
	uint64_t too_high = high.f + unit;
	uint64_t unsafe_interval = too_high - too_low;
	int shift = -w.e;
	uint64_t one = (uint64_t)1 << shift;
	uint32_t integrals = (uint32_t)(too_high >> shift);
	uint64_t fractionals = too_high & (one - 1);
	uint32_t divisor;
	int k, n = 0;
	int bits = 64 - shift;

	/* Largest power of ten <= integrals (integrals < 2^bits). */
	k = ((bits + 1) * 1233 >> 12) + 1;
	if (integrals < small_pow10[k])
		k--;
	divisor = small_pow10[k];
	*kappa = k;
	while (*kappa > 0) {
		uint64_t rest;
		uint32_t dg;

		/* Constant divisors: multiplications, not divisions. */
		switch (*kappa) {
		case 10: dg = integrals / 1000000000; break;
		case 9: dg = integrals / 100000000; break;
		case 8: dg = integrals / 10000000; break;
		case 7: dg = integrals / 1000000; break;
		case 6: dg = integrals / 100000; break;
		case 5: dg = integrals / 10000; break;
		case 4: dg = integrals / 1000; break;
		case 3: dg = integrals / 100; break;
		case 2: dg = integrals / 10; break;
		default: dg = integrals; break;
		}
		buf[n++] = (char)('0' + dg);
		integrals -= dg * divisor;
		(*kappa)--;
		rest = ((uint64_t)integrals << shift) + fractionals;
		if (rest < unsafe_interval) {
			*len = n;
			return round_weed(buf, n, too_high - w.f,
			    unsafe_interval, rest, (uint64_t)divisor << shift,
			    unit);
		}
		divisor /= 10;
	}
	for (;;) {
		fractionals *= 10;
		unit *= 10;
		unsafe_interval *= 10;
		buf[n++] = (char)('0' + (fractionals >> shift));
		fractionals &= one - 1;
		(*kappa)--;
		if (fractionals < unsafe_interval) {
			*len = n;
			return round_weed(buf, n, (too_high - w.f) * unit,
			    unsafe_interval, fractionals, one, unit);
		}
	}
}

int
dtoa_grisu3(double d, char *digits, int *exp10)
{
	uint64_t bits, frac;
	int bexp, idx, k, kappa, len, ok;
	struct diyfp v, w, m_plus, m_minus, c;
	memcpy(&bits, &d, sizeof bits);
	frac = bits & DBL_FRAC_MASK;
	bexp = (int)((bits >> 52) & 0x7ff);
	if (bexp == 0x7ff || (bits & ~((uint64_t)1 << 63)) == 0 ||
	    (bits >> 63) != 0)
		return 0;
	if (bexp == 0) {
		v.f = frac;
		v.e = DBL_DENORM_EXP;
	} else {
		v.f = frac | DBL_HIDDEN;
		v.e = bexp - DBL_EXP_BIAS;
	}
	w = diyfp_normalize(v);

	/* Boundaries: halfway to the neighbours, the lower one nearer
	 * when d is a power of two (above the subnormals). */
	m_plus.f = (v.f << 1) + 1;
	m_plus.e = v.e - 1;
	m_plus = diyfp_normalize(m_plus);
	if (frac == 0 && bexp > 1) {
		m_minus.f = (v.f << 2) - 1;
		m_minus.e = v.e - 2;
	} else {
		m_minus.f = (v.f << 1) - 1;
		m_minus.e = v.e - 1;
	}
	m_minus.f <<= m_minus.e - m_plus.e;
	m_minus.e = m_plus.e;

	/*
	 * A cached 10^-k bringing w's exponent into the target range:
	 * k = ceil((MIN_TARGET_EXP - w.e - 1) * log10(2)), in integers
	 * (78913 / 2^18 ~ log10(2); equal to the double computation for
	 * every w.e from -1200 to 1100, a superset of the possible ones;
	 * the 400 * 2^18 keeps the shifted value non-negative).
	 */
	k = ((MIN_TARGET_EXP - w.e - 1) * 78913 + (400 << 18) +
	    (1 << 18) - 1) >> 18;
	k -= 400;
	idx = (CACHED_OFFSET + k - 1) / CACHED_STEP + 1;
	c.f = cached_powers[idx].f;
	c.e = cached_powers[idx].e;

	ok = digit_gen(diyfp_mul(m_minus, c), diyfp_mul(w, c),
	    diyfp_mul(m_plus, c), digits, &len, &kappa);
	if (!ok || len < 1 || len > 17 || digits[0] == '0')
		return 0;
	/* value = digits * 10^(kappa - k), k the cached decimal exponent */
	*exp10 = kappa - cached_powers[idx].k + len;
	while (len > 1 && digits[len - 1] == '0')
		len--;
	return len;
}

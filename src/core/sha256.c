/*
 * sha256.c - SHA-256 (FIPS 180-4), streaming.
 *
 * Owns the hash itself: init, update with any number of pieces of any
 * size, final (padding and the big-endian digest) and the hex form.
 * Leaves alone: what is hashed (files, specs, fitted state) and HMAC.
 *
 * The compression function runs on the x86 SHA extensions when the CPU
 * has them (checked once with CPUID; 4-5x the portable code, which
 * matters for table_hash over a million rows), else in portable C.  The
 * two give the same digest: t-sha256 compares them.
 */
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHA_NI 1
#endif

#include "core/sha256.h"

static void	sha256_block(uint32_t[8], const unsigned char *);

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))
#define CH(x, y, z)	(((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z)	(((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x)	(ROR(x, 2) ^ ROR(x, 13) ^ ROR(x, 22))
#define BSIG1(x)	(ROR(x, 6) ^ ROR(x, 11) ^ ROR(x, 25))
#define SSIG0(x)	(ROR(x, 7) ^ ROR(x, 18) ^ ((x) >> 3))
#define SSIG1(x)	(ROR(x, 17) ^ ROR(x, 19) ^ ((x) >> 10))

static void
sha256_block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (; i < 64; i++)
		w[i] = SSIG1(w[i - 2]) + w[i - 7] + SSIG0(w[i - 15]) +
		    w[i - 16];

	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; hh = h[7];
	for (i = 0; i < 64; i++) {
		t1 = hh + BSIG1(e) + CH(e, f, g) + K[i] + w[i];
		t2 = BSIG0(a) + MAJ(a, b, c);
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

#ifdef HAVE_SHA_NI
/*
 * One block with the SHA extensions (SHA256RNDS2, MSG1, MSG2): the state
 * is kept as ABEF / CDGH, four rounds per step, the schedule W[16..63]
 * computed four words at a time from the previous sixteen.
 */
__attribute__((target("sha,ssse3,sse4.1")))
static void
sha256_block_ni(uint32_t h[8], const unsigned char *p)
{
	const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL,
	    0x0405060700010203ULL);
	__m128i s0, s1, t, msg, w[4], abef, cdgh;
	int i;

	t = _mm_loadu_si128((const __m128i *)(const void *)&h[0]);
	s1 = _mm_loadu_si128((const __m128i *)(const void *)&h[4]);
	t = _mm_shuffle_epi32(t, 0xb1);			/* CDAB */
	s1 = _mm_shuffle_epi32(s1, 0x1b);		/* EFGH */
	s0 = _mm_alignr_epi8(t, s1, 8);			/* ABEF */
	s1 = _mm_blend_epi16(s1, t, 0xf0);		/* CDGH */
	abef = s0;
	cdgh = s1;
	for (i = 0; i < 16; i++) {
		__m128i *wi = &w[i & 3];

		if (i < 4)
			*wi = _mm_shuffle_epi8(_mm_loadu_si128(
			    (const __m128i *)(const void *)(p + 16 * i)),
			    swap);
		else
			*wi = _mm_sha256msg2_epu32(_mm_add_epi32(
			    _mm_sha256msg1_epu32(*wi, w[(i + 1) & 3]),
			    _mm_alignr_epi8(w[(i + 3) & 3], w[(i + 2) & 3], 4)),
			    w[(i + 3) & 3]);
		msg = _mm_add_epi32(*wi, _mm_loadu_si128(
		    (const __m128i *)(const void *)&K[4 * i]));
		s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
		msg = _mm_shuffle_epi32(msg, 0x0e);
		s0 = _mm_sha256rnds2_epu32(s0, s1, msg);
	}
	s0 = _mm_add_epi32(s0, abef);
	s1 = _mm_add_epi32(s1, cdgh);
	t = _mm_shuffle_epi32(s0, 0x1b);		/* FEBA */
	s1 = _mm_shuffle_epi32(s1, 0xb1);		/* DCHG */
	s0 = _mm_blend_epi16(t, s1, 0xf0);		/* DCBA */
	s1 = _mm_alignr_epi8(s1, t, 8);			/* HGFE */
	_mm_storeu_si128((__m128i *)(void *)&h[0], s0);
	_mm_storeu_si128((__m128i *)(void *)&h[4], s1);
}

static int
cpu_has_sha(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) ||
	    !(c & (1u << 9)) || !(c & (1u << 19)))	/* SSSE3, SSE4.1 */
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b >> 29) & 1;				/* SHA */
}
#endif

/* -1: not decided yet; 0: portable; 1: SHA extensions. */
static int use_ni = -1;

int
sha256_accel(int on)
{
#ifdef HAVE_SHA_NI
	if (on < 0)
		use_ni = cpu_has_sha();
	else
		use_ni = on && cpu_has_sha();
	return use_ni;
#else
	(void)on;
	use_ni = 0;
	return 0;
#endif
}

static void
block(uint32_t h[8], const unsigned char *p)
{
#ifdef HAVE_SHA_NI
	if (use_ni < 0)
		sha256_accel(-1);
	if (use_ni) {
		sha256_block_ni(h, p);
		return;
	}
#endif
	sha256_block(h, p);
}

void
sha256_init(struct sha256 *ctx)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(ctx->h, iv, sizeof iv);
	ctx->len = 0;
	ctx->nbuf = 0;
}

/* ctx->len counts bytes; final turns it into the bit length. */
void
sha256_update(struct sha256 *ctx, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t take;

	ctx->len += n;
	if (ctx->nbuf > 0) {
		take = 64 - ctx->nbuf;
		if (take > n)
			take = n;
		memcpy(ctx->buf + ctx->nbuf, p, take);
		ctx->nbuf += take;
		p += take;
		n -= take;
		if (ctx->nbuf < 64)
			return;
		block(ctx->h, ctx->buf);
		ctx->nbuf = 0;
	}
	for (; n >= 64; p += 64, n -= 64)
		block(ctx->h, p);
	if (n > 0) {
		memcpy(ctx->buf, p, n);
		ctx->nbuf = n;
	}
}

void
sha256_final(struct sha256 *ctx, unsigned char out[32])
{
	uint64_t bits = ctx->len * 8;
	int i;

	ctx->buf[ctx->nbuf++] = 0x80;
	if (ctx->nbuf > 56) {
		memset(ctx->buf + ctx->nbuf, 0, 64 - ctx->nbuf);
		block(ctx->h, ctx->buf);
		ctx->nbuf = 0;
	}
	memset(ctx->buf + ctx->nbuf, 0, 56 - ctx->nbuf);
	for (i = 0; i < 8; i++)
		ctx->buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	block(ctx->h, ctx->buf);
	ctx->nbuf = 0;

	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(ctx->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(ctx->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(ctx->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)ctx->h[i];
	}
}

/* Finishes the hash like sha256_final and writes it in hex. */
void
sha256_hex(struct sha256 *ctx, char out[65])
{
	static const char hexdig[] = "0123456789abcdef";
	unsigned char md[32];
	int i;

	sha256_final(ctx, md);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hexdig[md[i] >> 4];
		out[2 * i + 1] = hexdig[md[i] & 15];
	}
	out[64] = '\0';
}

/*
 * rng.h - the one random generator every model and split uses:
 * xoshiro256** (Blackman & Vigna) seeded through splitmix64, so a seed
 * gives the same numbers on every machine.
 */
#ifndef LATHE_RNG_H
#define LATHE_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t	s[4];
};

static inline uint64_t
rng_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void
rng_seed(struct rng *r, uint64_t seed)
{
	uint64_t x = seed;
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = rng_splitmix64(&x);
}

static inline uint64_t
rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rng_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return res;
}

/* Uniform in [0, 1). */
static inline double
rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform in [0, n), n > 0, without modulo bias (Lemire). */
static inline uint64_t
rng_below(struct rng *r, uint64_t n)
{
	__uint128_t m = (__uint128_t)rng_next(r) * n;
	uint64_t l = (uint64_t)m;

	if (l < n) {
		uint64_t t = -n % n;

		while (l < t) {
			m = (__uint128_t)rng_next(r) * n;
			l = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

/* A generator for stream k of seed (trees of a forest, folds). */
static inline void
rng_seed_stream(struct rng *r, uint64_t seed, uint64_t k)
{
	uint64_t x = seed ^ (0xd1b54a32d192ed03ULL * (k + 1));

	rng_seed(r, rng_splitmix64(&x));
}

/* Fisher-Yates shuffle of v[0..n). */
static inline void
rng_shuffle(struct rng *r, size_t *v, size_t n)
{
	size_t i;

	for (i = n; i > 1; i--) {
		size_t j = (size_t)rng_below(r, i), t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

#endif

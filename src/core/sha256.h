/*
 * sha256.h - SHA-256 (FIPS 180-4), streaming.
 */
#ifndef LATHE_SHA256_H
#define LATHE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t	h[8];
	uint64_t	len;
	unsigned char	buf[64];
	size_t		nbuf;
};

void	sha256_init(struct sha256 *);
void	sha256_update(struct sha256 *, const void *, size_t);
void	sha256_final(struct sha256 *, unsigned char out[32]);
/*
 * The compression function on the CPU's SHA extensions when it has them
 * (the default, decided on first use): on 0 forces portable C, 1 the
 * extensions if present, -1 the default.  Returns whether they are used.
 * The digest is the same either way.
 */
int	sha256_accel(int on);
/* out: 64 lowercase hex digits and a NUL. */
void	sha256_hex(struct sha256 *, char out[65]);

#endif

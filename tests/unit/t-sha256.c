/*
 * t-sha256.c - unit tests for core/sha256.c: the FIPS 180-4 example
 * vectors, lengths around the padding boundary, and streaming in odd
 * pieces against one-shot hashing.
 */
#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"
#include "tap.h"

static void	hash_str(const char *, char[65]);
static void	test_vectors(void);
static void	test_boundaries(void);
static void	test_streaming(void);
static void	test_accel(void);

/*
 * The SHA-extension and portable compression functions give the same
 * digests, over every length from 0 to 600 bytes of varied data (both
 * paths run only on a CPU with the extensions; elsewhere the portable
 * code is compared with itself and the vectors above test it).
 */
static void
test_accel(void)
{
	unsigned char buf[600];
	char a[65], b[65];
	struct sha256 ctx;
	size_t n, i, bad = 0;
	int ni = sha256_accel(-1);
	uint32_t x = 12345;

	for (i = 0; i < sizeof buf; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	for (n = 0; n <= sizeof buf; n++) {
		sha256_accel(0);
		sha256_init(&ctx);
		sha256_update(&ctx, buf, n);
		sha256_hex(&ctx, a);
		sha256_accel(1);
		sha256_init(&ctx);
		sha256_update(&ctx, buf, n);
		sha256_hex(&ctx, b);
		bad += strcmp(a, b) != 0;
	}
	sha256_accel(-1);
	ok(bad == 0, "SHA extensions (%s here) and portable code agree on "
	    "601 lengths", ni ? "present" : "absent");
}

static void
hash_str(const char *s, char hex[65])
{
	struct sha256 ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, s, strlen(s));
	sha256_hex(&ctx, hex);
}

static void
test_vectors(void)
{
	static const char *const in[] = {
		"",
		"abc",
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
	};
	static const char *const want[] = {
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
		"cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
	};
	static const char *const name[] = {
		"empty string", "abc", "448-bit message", "896-bit message",
	};
	struct sha256 ctx;
	char hex[65], chunk[1000];
	unsigned char md[32];
	size_t i;

	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		hash_str(in[i], hex);
		is_str(hex, want[i], name[i]);
	}

	/* one million 'a', in 1000-byte pieces */
	memset(chunk, 'a', sizeof chunk);
	sha256_init(&ctx);
	for (i = 0; i < 1000; i++)
		sha256_update(&ctx, chunk, sizeof chunk);
	sha256_hex(&ctx, hex);
	is_str(hex,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	    "one million 'a'");

	/* final and hex agree */
	sha256_init(&ctx);
	sha256_update(&ctx, "abc", 3);
	sha256_final(&ctx, md);
	ok(md[0] == 0xba && md[1] == 0x78 && md[31] == 0xad,
	    "sha256_final writes the raw digest");
}

static void
test_boundaries(void)
{
	static const struct {
		size_t		n;
		const char	*want;
	} tab[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
	};
	char buf[128], hex[65];
	size_t i;

	memset(buf, 'a', sizeof buf);
	for (i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		struct sha256 ctx;
		char name[64];

		sha256_init(&ctx);
		sha256_update(&ctx, buf, tab[i].n);
		sha256_hex(&ctx, hex);
		snprintf(name, sizeof name, "%zu 'a' (padding boundary)",
		    tab[i].n);
		is_str(hex, tab[i].want, name);
	}
}

static void
test_streaming(void)
{
	static const size_t pieces[] = { 1, 3, 7, 13, 31, 55, 56, 63, 64, 65,
	    127, 129, 1000 };
	enum { LEN = 10007 };
	unsigned char *data, one[32], many[32];
	uint32_t x = 12345;
	size_t i, k, off, step;
	int bad = 0, cases = 0;

	data = malloc(LEN);
	for (i = 0; i < LEN; i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (unsigned char)(x >> 16);
	}

	for (k = 0; k < sizeof pieces / sizeof pieces[0]; k++) {
		size_t len;

		for (len = 0; len <= LEN; len += len < 200 ? 1 : 997) {
			struct sha256 a, b;

			sha256_init(&a);
			sha256_update(&a, data, len);
			sha256_final(&a, one);

			sha256_init(&b);
			for (off = 0; off < len; off += step) {
				step = pieces[k];
				if (step > len - off)
					step = len - off;
				sha256_update(&b, data + off, step);
			}
			sha256_final(&b, many);
			cases++;
			if (memcmp(one, many, sizeof one) != 0)
				bad++;
		}
	}

	/* varying piece sizes, including empty updates */
	for (k = 0; k < 50; k++) {
		struct sha256 a, b;

		sha256_init(&a);
		sha256_update(&a, data, LEN);
		sha256_final(&a, one);
		sha256_init(&b);
		for (off = 0; off < LEN; off += step) {
			x = x * 1103515245u + 12345u;
			step = (x >> 16) % 200;
			if (step > LEN - off)
				step = LEN - off;
			sha256_update(&b, data + off, step);
		}
		sha256_final(&b, many);
		cases++;
		if (memcmp(one, many, sizeof one) != 0)
			bad++;
	}
	ok(bad == 0, "streaming equals one-shot (%d of %d differ)", bad,
	    cases);
	free(data);
}

int
main(void)
{
	test_vectors();
	test_boundaries();
	test_streaming();
	test_accel();
	return tap_done();
}

#!/usr/bin/env python3
#
# gen-cached-powers.py - print the cached powers of ten for Grisu3
# (src/core/dtoa.c), computed exactly with Python integers.
#
# For every 8th decimal exponent k from -348 to 340, 10^k is written as
# f * 2^e with f a normalized 64-bit significand (2^63 <= f < 2^64),
# rounded to nearest (ties cannot occur).  Output is C initializer rows
#	{ 0x<f>, <e>, <k> },
# to paste into the table in src/core/dtoa.c.
#
# Usage: python3 tests/tools/gen-cached-powers.py

from fractions import Fraction

FIRST, LAST, STEP = -348, 340, 8


def normalized(k):
    """f, e with f * 2^e the nearest 64-bit-significand value to 10^k."""
    v = Fraction(10) ** k
    # binary exponent so that 2^63 <= v / 2^e < 2^64
    e = v.numerator.bit_length() - v.denominator.bit_length() - 64
    while v / Fraction(2) ** e >= 2 ** 64:
        e += 1
    while v / Fraction(2) ** e < 2 ** 63:
        e -= 1
    q = v / Fraction(2) ** e
    f = q.numerator // q.denominator
    rem = q - f
    assert rem != Fraction(1, 2)
    if rem > Fraction(1, 2):
        f += 1
    if f == 2 ** 64:
        f //= 2
        e += 1
    assert 2 ** 63 <= f < 2 ** 64
    return f, e


def main():
    for k in range(FIRST, LAST + 1, STEP):
        f, e = normalized(k)
        print("\t{ 0x%016x, %d, %d }," % (f, e, k))


if __name__ == "__main__":
    main()

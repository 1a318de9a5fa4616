/*
 * dtoa.h - shortest round-trip decimal digits of a double (Grisu3).
 * Only the digits and the decimal exponent: the caller formats them
 * (fmt_double in table.c) and falls back to printf when this fails.
 */
#ifndef LATHE_DTOA_H
#define LATHE_DTOA_H

/*
 * Shortest digits of d (finite, > 0, subnormals allowed): writes the
 * decimal digits d1 d2 ... dn (ASCII, no dot, no NUL, n <= 17, d1 != '0',
 * dn != '0') to digits (room for 18 chars), returns n and sets *exp10 so
 * that d reads back from 0.d1d2...dn x 10^*exp10; that is, the first
 * digit has weight 10^(*exp10 - 1).  Among the shortest digit strings
 * that read back to d the one nearest to d is chosen.  Returns 0 (and
 * leaves *exp10 unspecified) when Grisu3 cannot guarantee this, about
 * one double in 200; the caller must then use an exact method.
 */
int	dtoa_grisu3(double d, char *digits, int *exp10);

#endif

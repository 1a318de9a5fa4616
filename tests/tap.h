/*
 * tap.h - a minimal TAP producer for the C unit tests.
 *
 *	ok(cond, "name %d", i);
 *	is_double(got, want, reltol, "name");
 *	is_str(got, want, "name");
 *	return tap_done();
 *
 * The plan is printed at the end ("1..N"), so tests need not count.
 */
#ifndef LATHE_TAP_H
#define LATHE_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static int __attribute__((format(printf, 2, 3), unused))
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

static int __attribute__((unused))
is_double(double got, double want, double reltol, const char *name)
{
	double d = fabs(got - want);
	double s = fabs(want) > 1 ? fabs(want) : 1;
	int good = (isnan(got) && isnan(want)) || d <= reltol * s;

	if (!ok(good, "%s", name))
		printf("#   got %.17g\n#  want %.17g\n", got, want);
	return good;
}

static int __attribute__((unused))
is_str(const char *got, const char *want, const char *name)
{
	int good = got != NULL && want != NULL && strcmp(got, want) == 0;

	if (!good && got == NULL && want == NULL)
		good = 1;
	if (!ok(good, "%s", name))
		printf("#   got '%s'\n#  want '%s'\n", got ? got : "(null)",
		    want ? want : "(null)");
	return good;
}

static int __attribute__((unused))
is_int(long long got, long long want, const char *name)
{
	if (!ok(got == want, "%s", name))
		printf("#   got %lld\n#  want %lld\n", got, want);
	return got == want;
}

static int __attribute__((unused))
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif

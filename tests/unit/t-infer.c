/*
 * t-infer.c - field classification and column typing (infer.c), the
 * rules both loaders share.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/infer.h"
#include "tap.h"

static int
kind(const char *s, double *v)
{
	return (int)infer_classify(s, strlen(s), v);
}

int
main(void)
{
	double v = 0;
	struct dict *d;
	struct column *c;
	int32_t *codes;
	int i;

	ok(kind("42", &v) == FK_INT && v == 42, "integer");
	ok(kind("-0.5", &v) == FK_FLOAT && v == -0.5, "float");
	ok(kind("1e3", &v) == FK_FLOAT && v == 1000, "exponent makes a float");
	ok(kind("true", &v) == FK_BOOL && v == 1, "true");
	ok(kind("FALSE", &v) == FK_BOOL && v == 0, "FALSE");
	ok(kind("yes", &v) == FK_STRING, "yes is a string, not a boolean");
	ok(kind("2024-02-29", &v) == FK_DATE && v == 19782, "date in days");
	ok(kind("2023-02-29", &v) == FK_STRING, "an impossible date is a string");
	ok(kind("2024-01-01T00:00:01Z", &v) == FK_DATETIME && v == 1704067201,
	    "datetime in seconds");
	ok(kind("12-31-2024", &v) == FK_STRING, "non-ISO dates stay strings");
	ok(kind("1,5", &v) == FK_STRING, "a decimal comma is a string");
	ok(kind(" 1", &v) == FK_STRING, "surrounding spaces are not trimmed here");

	ok(infer_kinds_numeric(FK_INT | FK_FLOAT), "ints and floats mix");
	ok(!infer_kinds_numeric(FK_INT | FK_STRING), "a string spoils numbers");
	ok(!infer_kinds_numeric(FK_INT | FK_BOOL), "booleans do not mix with numbers");
	ok(!infer_kinds_numeric(FK_DATE | FK_FLOAT), "dates do not mix with numbers");
	ok(infer_kinds_numeric(FK_DATE | FK_DATETIME), "dates and datetimes mix");
	ok(infer_kinds_numeric(0), "an all-missing column is numeric");
	ok(infer_numeric_type(FK_INT) == COL_INT, "only ints: integer");
	ok(infer_numeric_type(FK_INT | FK_FLOAT) == COL_FLOAT, "ints and floats: float");
	ok(infer_numeric_type(FK_BOOL) == COL_BOOL, "boolean");
	ok(infer_numeric_type(FK_DATE) == COL_DATE, "date");
	ok(infer_numeric_type(FK_DATE | FK_DATETIME) == COL_DATETIME,
	    "dates and datetimes: datetime");
	ok(infer_numeric_type(0) == COL_FLOAT, "all missing: float");

	is_int(infer_utf8_bad((const unsigned char *)"caf\xc3\xa9", 5), -1,
	    "valid UTF-8");
	is_int(infer_utf8_bad((const unsigned char *)"caf\xe9", 4), 3,
	    "latin-1 byte found at its offset");
	is_int(infer_utf8_bad((const unsigned char *)"\xc0\x80", 2), 0,
	    "overlong encoding refused");
	is_int(infer_utf8_bad((const unsigned char *)"\xed\xa0\x80", 3), 0,
	    "surrogate refused");
	is_int(infer_utf8_bad((const unsigned char *)"\xf0\x9f\x98\x80", 4), -1,
	    "4-byte emoji accepted");
	is_int(infer_utf8_bad((const unsigned char *)"ab\xe2\x82", 4), 2,
	    "truncated sequence at the end");

	/* Few distinct values: categorical; nearly all distinct: text. */
	d = dict_new();
	codes = malloc(100 * sizeof *codes);
	for (i = 0; i < 100; i++)
		codes[i] = dict_intern(d, i % 2 ? "a" : "b", 1);
	c = infer_string_column("few", codes, d, 100, -1);
	ok(c->type == COL_CAT && c->dict->n == 2, "2 distinct in 100: categorical");
	column_free(c);
	d = dict_new();
	codes = malloc(100 * sizeof *codes);
	for (i = 0; i < 100; i++) {
		char buf[16];

		snprintf(buf, sizeof buf, "name %d", i);
		codes[i] = i == 7 ? -1 : dict_intern(d, buf, strlen(buf));
	}
	c = infer_string_column("names", codes, d, 100, -1);
	ok(c->type == COL_TEXT, "99 distinct in 100: text");
	is_str(column_str(c, 42), "name 42", "text keeps each value");
	ok(column_str(c, 7) == NULL, "and its missing cells");
	column_free(c);
	d = dict_new();
	codes = malloc(100 * sizeof *codes);
	for (i = 0; i < 100; i++) {
		char buf[16];

		snprintf(buf, sizeof buf, "n%d", i);
		codes[i] = dict_intern(d, buf, strlen(buf));
	}
	c = infer_string_column("forced", codes, d, 100, COL_CAT);
	ok(c->type == COL_CAT, "a forced categorical stays categorical");
	column_free(c);
	return tap_done();
}

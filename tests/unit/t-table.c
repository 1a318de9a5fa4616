/*
 * t-table.c - the columnar table: dictionary, columns, formatting, the
 * content hash.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/table.h"
#include "tap.h"

int
main(void)
{
	struct dict *d = dict_new();
	struct table *t;
	struct column *c;
	struct strbuf sb = STRBUF_INIT;
	char buf[64], h1[65], h2[65];
	int32_t a, b;
	int i;

	a = dict_intern(d, "red", 3);
	b = dict_intern(d, "green", 5);
	is_int(a, 0, "first string gets code 0");
	is_int(b, 1, "second string gets code 1");
	is_int(dict_intern(d, "red", 3), 0, "interning again gives the same code");
	is_int(dict_find(d, "blue", 4), -1, "unknown string is -1");
	for (i = 0; i < 10000; i++) {
		snprintf(buf, sizeof buf, "v%d", i);
		dict_intern(d, buf, strlen(buf));
	}
	is_int((long long)d->n, 10002, "10000 more strings, all distinct");
	is_int(dict_find(d, "v9999", 5), 10001, "found after rehashing");
	is_str(dict_str(d, a), "red", "code to string survives growth");
	dict_intern(d, "a\0b", 3);
	is_int(dict_find(d, "a", 1), -1, "embedded NUL: 'a' is not 'a\\0b'");
	dict_free(d);

	fmt_double(buf, sizeof buf, 0.1);
	is_str(buf, "0.1", "shortest form of 0.1");
	fmt_double(buf, sizeof buf, 1.0 / 3);
	is_str(buf, "0.3333333333333333", "shortest round-trip of 1/3");
	fmt_double(buf, sizeof buf, 1e300);
	ok(strtod(buf, NULL) == 1e300, "1e300 round-trips (%s)", buf);
	fmt_double(buf, sizeof buf, 42);
	is_str(buf, "42", "integers print without a point");
	fmt_date(buf, sizeof buf, 0);
	is_str(buf, "1970-01-01", "day 0 is the epoch");
	fmt_date(buf, sizeof buf, 11016);
	is_str(buf, "2000-02-29", "a leap day");
	fmt_date(buf, sizeof buf, -1);
	is_str(buf, "1969-12-31", "days before the epoch");
	fmt_datetime(buf, sizeof buf, 951782400.0 + 3600 * 13 + 61);
	is_str(buf, "2000-02-29T13:01:01Z", "datetime");
	fmt_datetime(buf, sizeof buf, 0.5);
	is_str(buf, "1970-01-01T00:00:00.5Z", "fractional seconds kept");

	t = table_new();
	c = column_new("x", COL_FLOAT, 3);
	c->num[0] = 1.5;
	c->num[2] = -2;
	table_add_column(t, c);
	c = column_new("s", COL_CAT, 3);
	c->codes[0] = dict_intern(c->dict, "a", 1);
	c->codes[1] = dict_intern(c->dict, "b", 1);
	table_add_column(t, c);
	t->nrows = 3;
	is_int(table_find(t, "s"), 1, "table_find by name");
	is_int(table_find(t, "nope"), -1, "table_find of a missing name");
	ok(column_is_missing(t->cols[0], 1), "new numeric cells are missing");
	ok(column_is_missing(t->cols[1], 2), "new categorical cells are missing");
	ok(column_format(t->cols[0], 0, &sb) == 1 && strcmp(sb.buf, "1.5") == 0,
	    "format a number");
	strbuf_reset(&sb);
	ok(column_format(t->cols[0], 1, &sb) == 0 && sb.len == 0,
	    "format of a missing cell appends nothing");
	is_str(column_str(t->cols[1], 1), "b", "column_str of a category");
	ok(column_str(t->cols[1], 2) == NULL, "column_str of a missing cell");

	table_hash(t, h1);
	ok(strlen(h1) == 64, "hash is 64 hex digits");
	t->cols[0]->num[0] = 1.25;
	table_hash(t, h2);
	ok(strcmp(h1, h2) != 0, "changing one value changes the hash");
	t->cols[0]->num[0] = 1.5;
	table_hash(t, h2);
	is_str(h2, h1, "and changing it back restores it");
	t->cols[0]->num[1] = -0.0 * 0;
	t->cols[0]->num[1] = NAN;
	table_hash(t, h2);
	is_str(h2, h1, "every NaN hashes alike");
	free(t->cols[1]->name);
	t->cols[1]->name = strdup("t");
	table_hash(t, h2);
	ok(strcmp(h1, h2) != 0, "a renamed column changes the hash");
	table_free(t);
	strbuf_release(&sb);

	{
		enum coltype ty;

		ok(coltype_parse("categorical", &ty) == 0 && ty == COL_CAT,
		    "parse 'categorical'");
		ok(coltype_parse("int", &ty) == 0 && ty == COL_INT,
		    "alias 'int'");
		ok(coltype_parse("blob", &ty) != 0, "unknown type refused");
	}
	return tap_done();
}

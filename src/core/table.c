/*
 * table.c - columnar table, columns, the string dictionary, value
 * formatting and the content hash.  Loading lives in csvload.c and
 * sqlload.c; statistics in stats.c.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dtoa.h"
#include "core/numparse.h"
#include "core/sha256.h"
#include "core/table.h"
#include "core/xmalloc.h"

static const char *const coltype_names[COL__COUNT] = {
	[COL_INT] = "integer",
	[COL_FLOAT] = "float",
	[COL_BOOL] = "boolean",
	[COL_CAT] = "categorical",
	[COL_TEXT] = "text",
	[COL_DATE] = "date",
	[COL_DATETIME] = "datetime",
};

const char *
coltype_name(enum coltype t)
{
	if ((unsigned)t >= COL__COUNT)
		return "unknown";
	return coltype_names[t];
}

int
coltype_parse(const char *s, enum coltype *out)
{
	static const struct { const char *name; enum coltype t; } alias[] = {
		{ "int", COL_INT }, { "number", COL_FLOAT },
		{ "numeric", COL_FLOAT }, { "double", COL_FLOAT },
		{ "bool", COL_BOOL }, { "category", COL_CAT },
		{ "cat", COL_CAT }, { "string", COL_TEXT },
		{ "str", COL_TEXT },
	};
	size_t i;

	for (i = 0; i < COL__COUNT; i++) {
		if (strcmp(s, coltype_names[i]) == 0) {
			*out = (enum coltype)i;
			return 0;
		}
	}
	for (i = 0; i < sizeof alias / sizeof alias[0]; i++) {
		if (strcmp(s, alias[i].name) == 0) {
			*out = alias[i].t;
			return 0;
		}
	}
	return -1;
}

int
coltype_is_numeric_storage(enum coltype t)
{
	return t != COL_CAT && t != COL_TEXT;
}

int
coltype_is_number(enum coltype t)
{
	return t == COL_INT || t == COL_FLOAT || t == COL_BOOL;
}

/* ---------------------------------------------------------- dict --- */

uint64_t
hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0xff51afd7ed558ccdULL);
	uint64_t w;

	while (n >= 8) {
		memcpy(&w, s, 8);
		h = (h ^ (w * 0x87c37b91114253d5ULL)) * 0x4cf5ad432745937fULL;
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ (w * 0x87c37b91114253d5ULL)) * 0x4cf5ad432745937fULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h;
}

static struct dict_slot *
dict_slots_new(size_t n)
{
	struct dict_slot *sl = xmalloc(n * sizeof *sl);
	size_t i;

	for (i = 0; i < n; i++)
		sl[i].code = -1;
	return sl;
}

struct dict *
dict_new(void)
{
	struct dict *d = xcalloc(1, sizeof *d);

	d->nslots = 64;
	d->slots = dict_slots_new(d->nslots);
	return d;
}

void
dict_free(struct dict *d)
{
	if (d == NULL)
		return;
	free(d->pool);
	free(d->off);
	free(d->len);
	free(d->slots);
	free(d->hashes);
	free(d);
}

static void
dict_rehash(struct dict *d)
{
	size_t i, mask;

	free(d->slots);
	d->nslots *= 2;
	d->slots = dict_slots_new(d->nslots);
	mask = d->nslots - 1;
	for (i = 0; i < d->n; i++) {
		size_t k = d->hashes[i] & mask;

		while (d->slots[k].code != -1)
			k = (k + 1) & mask;
		d->slots[k].code = (int32_t)i;
		d->slots[k].tag = (uint32_t)(d->hashes[i] >> 32);
	}
}

static int32_t
dict_lookup(const struct dict *d, const char *s, size_t n, uint64_t h,
    size_t *slot)
{
	size_t mask = d->nslots - 1, k = h & mask;
	uint32_t tag = (uint32_t)(h >> 32);
	int32_t c;

	while ((c = d->slots[k].code) != -1) {
		if (d->slots[k].tag == tag && d->len[c] == n &&
		    memcmp(d->pool + d->off[c], s, n) == 0)
			return c;
		k = (k + 1) & mask;
	}
	if (slot)
		*slot = k;
	return -1;
}

int32_t
dict_find(const struct dict *d, const char *s, size_t n)
{
	return dict_lookup(d, s, n, hash_bytes(s, n), NULL);
}

int32_t
dict_intern(struct dict *d, const char *s, size_t n)
{
	uint64_t h = hash_bytes(s, n);
	size_t slot;
	int32_t c;

	c = dict_lookup(d, s, n, h, &slot);
	if (c >= 0)
		return c;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->off = xreallocarray(d->off, d->cap, sizeof *d->off);
		d->len = xreallocarray(d->len, d->cap, sizeof *d->len);
		d->hashes = xreallocarray(d->hashes, d->cap,
		    sizeof *d->hashes);
	}
	if (d->pool_len + n + 1 > d->pool_cap) {
		size_t cap = d->pool_cap ? d->pool_cap * 2 : 256;

		while (cap < d->pool_len + n + 1)
			cap *= 2;
		d->pool = xrealloc(d->pool, cap);
		d->pool_cap = cap;
	}
	memcpy(d->pool + d->pool_len, s, n);
	d->pool[d->pool_len + n] = '\0';
	c = (int32_t)d->n++;
	d->off[c] = d->pool_len;
	d->len[c] = (uint32_t)n;
	d->hashes[c] = h;
	d->pool_len += n + 1;
	d->slots[slot].code = c;
	d->slots[slot].tag = (uint32_t)(h >> 32);
	if (d->n * 2 > d->nslots)
		dict_rehash(d);
	return c;
}

const char *
dict_str(const struct dict *d, int32_t c)
{
	return d->pool + d->off[c];
}

uint32_t
dict_len(const struct dict *d, int32_t c)
{
	return d->len[c];
}

/* --------------------------------------------------------- table --- */

struct table *
table_new(void)
{
	return xcalloc(1, sizeof(struct table));
}

void
table_free(struct table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ncols; i++)
		column_free(t->cols[i]);
	free(t->cols);
	free(t);
}

void
table_add_column(struct table *t, struct column *c)
{
	if (t->ncols == t->cap_cols) {
		t->cap_cols = t->cap_cols ? t->cap_cols * 2 : 8;
		t->cols = xreallocarray(t->cols, t->cap_cols,
		    sizeof *t->cols);
	}
	t->cols[t->ncols++] = c;
}

long
table_find(const struct table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i]->name, name) == 0)
			return (long)i;
	return -1;
}

struct column *
column_new(const char *name, enum coltype type, size_t nrows)
{
	struct column *c = xcalloc(1, sizeof *c);
	size_t i;

	c->name = xstrdup(name);
	c->type = type;
	switch (type) {
	case COL_CAT:
		c->codes = xmalloc((nrows ? nrows : 1) * sizeof *c->codes);
		for (i = 0; i < nrows; i++)
			c->codes[i] = -1;
		c->dict = dict_new();
		break;
	case COL_TEXT:
		c->off = xmalloc((nrows ? nrows : 1) * sizeof *c->off);
		for (i = 0; i < nrows; i++)
			c->off[i] = TEXT_MISSING;
		break;
	default:
		c->num = xmalloc((nrows ? nrows : 1) * sizeof *c->num);
		for (i = 0; i < nrows; i++)
			c->num[i] = NAN;
		break;
	}
	return c;
}

struct indsrc *
indsrc_new(int32_t *idx)
{
	struct indsrc *src = xcalloc(1, sizeof *src);

	src->idx = idx;
	return src;
}

static void
indsrc_unref(struct indsrc *src)
{
	if (src != NULL && --src->refs == 0) {
		free(src->idx);
		free(src);
	}
}

struct column *
column_new_indicator(const char *name, struct indsrc *src, int32_t code)
{
	struct column *c = xcalloc(1, sizeof *c);

	c->name = xstrdup(name);
	c->type = COL_FLOAT;
	c->ind = src;
	c->ind_code = code;
	src->refs++;
	return c;
}

void
column_materialize(struct column *c, size_t nrows)
{
	size_t r;

	if (c->ind == NULL)
		return;
	c->num = xmalloc((nrows ? nrows : 1) * sizeof *c->num);
	for (r = 0; r < nrows; r++)
		c->num[r] = c->ind->idx[r] == c->ind_code;
	indsrc_unref(c->ind);
	c->ind = NULL;
}

void
table_materialize(struct table *t)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (t->cols[i]->ind != NULL)
			column_materialize(t->cols[i], t->nrows);
}

void
column_free(struct column *c)
{
	if (c == NULL)
		return;
	indsrc_unref(c->ind);
	free(c->name);
	free(c->num);
	free(c->codes);
	dict_free(c->dict);
	free(c->off);
	free(c->arena);
	free(c);
}

int
column_is_missing(const struct column *c, size_t row)
{
	switch (c->type) {
	case COL_CAT:
		return c->codes[row] < 0;
	case COL_TEXT:
		return c->off[row] == TEXT_MISSING;
	default:
		return c->ind == NULL && isnan(c->num[row]);
	}
}

const char *
column_str(const struct column *c, size_t row)
{
	if (c->type == COL_CAT)
		return c->codes[row] < 0 ? NULL : dict_str(c->dict,
		    c->codes[row]);
	if (c->type == COL_TEXT)
		return c->off[row] == TEXT_MISSING ? NULL :
		    c->arena + c->off[row];
	return NULL;
}

void
fmt_double(char *buf, size_t size, double d)
{
	int prec, nd, x, q, j;
	double a = fabs(d);
	uint64_t bits;
	char dig[24];

	if (isnan(d)) {
		snprintf(buf, size, "nan");
		return;
	}
	if (isinf(d)) {
		snprintf(buf, size, d < 0 ? "-inf" : "inf");
		return;
	}
	if (d == floor(d) && fabs(d) < 1e15 && size >= 24) {
		/* Integers, the common case (counts, codes, one-hot 0/1):
		 * digits by hand, no printf. */
		char tmp[24];
		long long v = (long long)d;
		unsigned long long u = v < 0 ? (unsigned long long)-v :
		    (unsigned long long)v;
		size_t n = 0, i = 0;

		do {
			tmp[n++] = (char)('0' + u % 10);
			u /= 10;
		} while (u != 0);
		if (v < 0 || (d == 0 && signbit(d)))
			buf[i++] = '-';
		while (n > 0)
			buf[i++] = tmp[--n];
		buf[i] = '\0';
		return;
	}
	/*
	 * Grisu3's shortest digits are what the printf loop below ends
	 * with: for a normal double the rounding interval is narrower than
	 * the gap between 15-digit decimals, so when the shortest has n <=
	 * 15 digits "%.15g" rounds to exactly it (and reads back), else
	 * "%.ng" is the first to read back and rounds to the nearest n
	 * digits, which Grisu3 also picks.  Hence: those digits in %g
	 * style with precision max(15, n).  Not so for subnormals (wide
	 * interval: "%.15g" is not the shortest) nor powers of two (the
	 * interval is lopsided), nor when Grisu3 gives up: printf then.
	 * 32 bytes hold the longest text, "-d.dddddddddddddddde-308".
	 */
	memcpy(&bits, &a, sizeof bits);
	if (size >= 32 && a >= DBL_MIN && (bits & 0xfffffffffffffULL) != 0 &&
	    (nd = dtoa_grisu3(a, dig, &x)) > 0) {
		/* Byte loops: the digits were just stored byte by byte, and
		 * wider loads of them would stall on store forwarding. */
		prec = nd > 15 ? nd : 15;
		x--;		/* the first digit's power of ten */
		q = 0;
		if (d < 0)
			buf[q++] = '-';
		if (x < -4 || x >= prec) {
			buf[q++] = dig[0];
			if (nd > 1) {
				buf[q++] = '.';
				for (j = 1; j < nd; j++)
					buf[q++] = dig[j];
			}
			buf[q++] = 'e';
			buf[q++] = x < 0 ? '-' : '+';
			if (x < 0)
				x = -x;
			if (x >= 100) {
				buf[q++] = (char)('0' + x / 100);
				x %= 100;
			}
			buf[q++] = (char)('0' + x / 10);
			buf[q++] = (char)('0' + x % 10);
		} else if (x < 0) {
			buf[q++] = '0';
			buf[q++] = '.';
			for (j = x + 1; j < 0; j++)
				buf[q++] = '0';
			for (j = 0; j < nd; j++)
				buf[q++] = dig[j];
		} else {
			for (j = 0; j <= x; j++)
				buf[q++] = j < nd ? dig[j] : '0';
			if (nd > x + 1) {
				buf[q++] = '.';
				for (; j < nd; j++)
					buf[q++] = dig[j];
			}
		}
		buf[q] = '\0';
		return;
	}
	for (prec = 15; prec < 17; prec++) {
		double back;
		int is_int;
		int n = snprintf(buf, size, "%.*g", prec, d);

		/* numparse reads the same double as strtod, several times
		 * faster (strtod stays for what it refuses: inf, nan). */
		if (n > 0 && (size_t)n < size && numparse(buf, (size_t)n, &back,
		    &is_int) ? back == d : strtod(buf, NULL) == d)
			return;
	}
	snprintf(buf, size, "%.17g", d);
}

/* Howard Hinnant's civil_from_days. */
static void
civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
	long long era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (long long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

void
fmt_date(char *buf, size_t size, double days)
{
	long long y;
	unsigned m, d;

	civil_from_days((long long)floor(days), &y, &m, &d);
	snprintf(buf, size, "%04lld-%02u-%02u", y, m, d);
}

void
fmt_datetime(char *buf, size_t size, double secs)
{
	double day = floor(secs / 86400.0);
	double rem = secs - day * 86400.0;
	long long y;
	unsigned m, d, hh, mm;
	double ss;

	civil_from_days((long long)day, &y, &m, &d);
	hh = (unsigned)(rem / 3600.0);
	rem -= hh * 3600.0;
	mm = (unsigned)(rem / 60.0);
	ss = rem - mm * 60.0;
	if (ss == floor(ss))
		snprintf(buf, size, "%04lld-%02u-%02uT%02u:%02u:%02.0fZ",
		    y, m, d, hh, mm, ss);
	else {
		char frac[32];

		fmt_double(frac, sizeof frac, ss);
		snprintf(buf, size, "%04lld-%02u-%02uT%02u:%02u:%s%sZ",
		    y, m, d, hh, mm, ss < 10 ? "0" : "", frac);
	}
}

int
column_format(const struct column *c, size_t row, struct strbuf *sb)
{
	char buf[64];
	const char *s;
	double v;

	switch (c->type) {
	case COL_CAT:
	case COL_TEXT:
		s = column_str(c, row);
		if (s == NULL)
			return 0;
		strbuf_addstr(sb, s);
		return 1;
	default:
		break;
	}
	v = column_value(c, row);
	if (isnan(v))
		return 0;
	switch (c->type) {
	case COL_BOOL:
		strbuf_addstr(sb, v != 0 ? "true" : "false");
		return 1;
	case COL_DATE:
		fmt_date(buf, sizeof buf, v);
		break;
	case COL_DATETIME:
		fmt_datetime(buf, sizeof buf, v);
		break;
	default:
		fmt_double(buf, sizeof buf, v);
		break;
	}
	strbuf_addstr(sb, buf);
	return 1;
}

void
table_hash(const struct table *t, char out[65])
{
	struct sha256 h;
	unsigned char buf[4096];
	size_t i, r, nb = 0;
	uint64_t n = t->nrows;

	sha256_init(&h);
	sha256_update(&h, "lathe-table 1\n", 14);
	sha256_update(&h, &n, sizeof n);
	for (i = 0; i < t->ncols; i++) {
		const struct column *c = t->cols[i];
		const char *tn = coltype_name(c->type);

		sha256_update(&h, c->name, strlen(c->name) + 1);
		sha256_update(&h, tn, strlen(tn) + 1);
		for (r = 0; r < t->nrows; r++) {
			const char *s;
			unsigned char tag;
			double v;

			switch (c->type) {
			case COL_CAT:
			case COL_TEXT:
				s = column_str(c, r);
				tag = s ? 1 : 0;
				sha256_update(&h, &tag, 1);
				if (s)
					sha256_update(&h, s, strlen(s) + 1);
				break;
			default:
				v = column_value(c, r);
				if (isnan(v))
					v = NAN;	/* one canonical NaN */
				if (v == 0)
					v = 0;		/* -0 == 0 */
				/* the same bytes, hashed a buffer at a time */
				memcpy(buf + nb, &v, sizeof v);
				nb += sizeof v;
				if (nb == sizeof buf) {
					sha256_update(&h, buf, nb);
					nb = 0;
				}
				break;
			}
		}
		sha256_update(&h, buf, nb);
		nb = 0;
	}
	sha256_hex(&h, out);
}

void
table_insert_column(struct table *t, size_t i, struct column *c)
{
	table_add_column(t, c);
	memmove(t->cols + i + 1, t->cols + i,
	    (t->ncols - 1 - i) * sizeof *t->cols);
	t->cols[i] = c;
}

struct column *
table_take_column(struct table *t, size_t i)
{
	struct column *c = t->cols[i];

	memmove(t->cols + i, t->cols + i + 1,
	    (t->ncols - i - 1) * sizeof *t->cols);
	t->ncols--;
	return c;
}

void
table_drop_column(struct table *t, size_t i)
{
	column_free(table_take_column(t, i));
}

void
table_replace_column(struct table *t, size_t i, struct column *c)
{
	column_free(t->cols[i]);
	t->cols[i] = c;
}

size_t
table_filter_rows(struct table *t, const unsigned char *keep)
{
	size_t c, r, k = 0;

	table_materialize(t);

	for (c = 0; c < t->ncols; c++) {
		struct column *col = t->cols[c];

		for (r = 0, k = 0; r < t->nrows; r++) {
			if (!keep[r])
				continue;
			switch (col->type) {
			case COL_CAT:
				col->codes[k] = col->codes[r];
				break;
			case COL_TEXT:
				col->off[k] = col->off[r];
				break;
			default:
				col->num[k] = col->num[r];
				break;
			}
			k++;
		}
	}
	if (t->ncols == 0)
		for (r = 0; r < t->nrows; r++)
			k += keep[r] != 0;
	t->nrows = k;
	return k;
}

struct column *
column_copy(const struct column *c, size_t nrows)
{
	struct column *d = xcalloc(1, sizeof *d);
	size_t n = nrows ? nrows : 1, i;

	d->name = xstrdup(c->name);
	d->type = c->type;
	switch (c->type) {
	case COL_CAT:
		d->codes = xmalloc(n * sizeof *d->codes);
		memcpy(d->codes, c->codes, nrows * sizeof *d->codes);
		d->dict = dict_new();
		for (i = 0; i < c->dict->n; i++)
			dict_intern(d->dict, dict_str(c->dict, (int32_t)i),
			    dict_len(c->dict, (int32_t)i));
		break;
	case COL_TEXT:
		d->off = xmalloc(n * sizeof *d->off);
		memcpy(d->off, c->off, nrows * sizeof *d->off);
		d->arena = xmalloc(c->arena_len ? c->arena_len : 1);
		memcpy(d->arena, c->arena, c->arena_len);
		d->arena_len = c->arena_len;
		break;
	default:
		d->num = xmalloc(n * sizeof *d->num);
		for (i = 0; i < nrows; i++)
			d->num[i] = column_value(c, i);
		break;
	}
	return d;
}

struct table *
table_take_rows(const struct table *t, const size_t *rows, size_t n)
{
	struct table *d = table_new();
	size_t i, r, m = n ? n : 1;

	d->nrows = n;
	for (i = 0; i < t->ncols; i++) {
		const struct column *c = t->cols[i];
		struct column *k = xcalloc(1, sizeof *k);

		k->name = xstrdup(c->name);
		k->type = c->type;
		switch (c->type) {
		case COL_CAT:
			k->codes = xmalloc(m * sizeof *k->codes);
			for (r = 0; r < n; r++)
				k->codes[r] = c->codes[rows[r]];
			k->dict = dict_new();
			for (r = 0; r < c->dict->n; r++)
				dict_intern(k->dict, dict_str(c->dict,
				    (int32_t)r), dict_len(c->dict, (int32_t)r));
			break;
		case COL_TEXT:
			k->off = xmalloc(m * sizeof *k->off);
			for (r = 0; r < n; r++)
				k->off[r] = c->off[rows[r]];
			k->arena = xmalloc(c->arena_len ? c->arena_len : 1);
			memcpy(k->arena, c->arena, c->arena_len);
			k->arena_len = c->arena_len;
			break;
		default:
			k->num = xmalloc(m * sizeof *k->num);
			for (r = 0; r < n; r++)
				k->num[r] = column_value(c, rows[r]);
			break;
		}
		table_add_column(d, k);
	}
	return d;
}

struct table *
table_copy(const struct table *t)
{
	struct table *d = table_new();
	size_t i;

	d->nrows = t->nrows;
	for (i = 0; i < t->ncols; i++)
		table_add_column(d, column_copy(t->cols[i], t->nrows));
	return d;
}

struct table *
table_slice(const struct table *t, size_t from, size_t n)
{
	struct table *d = table_new();
	size_t i;

	d->nrows = n;
	for (i = 0; i < t->ncols; i++) {
		const struct column *c = t->cols[i];
		struct column *x = xcalloc(1, sizeof *x);
		size_t m = n ? n : 1, k;

		x->name = xstrdup(c->name);
		x->type = c->type;
		switch (c->type) {
		case COL_CAT:
			x->codes = xmalloc(m * sizeof *x->codes);
			memcpy(x->codes, c->codes + from, n * sizeof *x->codes);
			x->dict = dict_new();
			for (k = 0; k < c->dict->n; k++)
				dict_intern(x->dict, dict_str(c->dict,
				    (int32_t)k), dict_len(c->dict, (int32_t)k));
			break;
		case COL_TEXT:
			x->off = xmalloc(m * sizeof *x->off);
			memcpy(x->off, c->off + from, n * sizeof *x->off);
			x->arena = xmalloc(c->arena_len ? c->arena_len : 1);
			memcpy(x->arena, c->arena, c->arena_len);
			x->arena_len = c->arena_len;
			break;
		default:
			x->num = xmalloc(m * sizeof *x->num);
			for (k = 0; k < n; k++)
				x->num[k] = column_value(c, from + k);
			break;
		}
		table_add_column(d, x);
	}
	return d;
}

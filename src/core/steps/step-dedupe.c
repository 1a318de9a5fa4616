/*
 * step-dedupe.c - drop repeated rows, keeping the first of each.
 *
 * Two rows are repeats when they are equal on every key column (the
 * columns= selector, frozen at fit; by default every column but the
 * target, which takes part only when named).  Missing equals missing;
 * numbers compare as numbers (-0 equals 0), strings byte for byte.
 * Rows are hashed (one pass) and equal hashes are confirmed by comparing
 * the values, so the result does not depend on the hash.
 *
 * when=train (the default) dedupes the training table only: at inference
 * the step does nothing.  when=always dedupes new data too, and the rows
 * it drops there are added to the apply context's count.  A named key
 * column that is the target may be absent from new data: it is then
 * left out of the key.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def dedupe_params[] = {
	{ "columns", PT_COLS, "@all", NULL, 0, 0,
	  "the columns that make rows equal (selector)" },
	{ "when", PT_ENUM, "train", "train|always", 0, 0,
	  "train: only the training data; always: new data too" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct dedupest {
	size_t		 n;
	char		**cols;
	int		 always;
	/* training, for describe */
	long long	 rows_in, rows_out;
};

static uint64_t	 cell_hash(const struct column *, size_t);
static int	 cell_equal(const struct column *, size_t, size_t);
static size_t	 dedupe_rows(const struct table *, struct column **,
		    size_t, unsigned char *);

static void
dedupe_free(struct step *s)
{
	struct dedupest *d = s->state;

	if (d == NULL)
		return;
	strs_free(d->cols, d->n);
	free(d);
	s->state = NULL;
}

static uint64_t
cell_hash(const struct column *c, size_t r)
{
	const char *s;
	double v;

	switch (c->type) {
	case COL_CAT:
		if (c->codes[r] < 0)
			return 0x5bd1e9955bd1e995ULL;
		return c->dict->hashes[c->codes[r]];
	case COL_TEXT:
		s = column_str(c, r);
		if (s == NULL)
			return 0x5bd1e9955bd1e995ULL;
		return hash_bytes(s, strlen(s));
	default:
		v = c->num[r];
		if (isnan(v))
			return 0x5bd1e9955bd1e995ULL;
		if (v == 0)
			v = 0;		/* -0 hashes as 0 */
		return hash_bytes(&v, sizeof v);
	}
}

static int
cell_equal(const struct column *c, size_t a, size_t b)
{
	const char *sa, *sb;

	switch (c->type) {
	case COL_CAT:
		/* One dictionary: equal strings have equal codes. */
		return c->codes[a] == c->codes[b];
	case COL_TEXT:
		sa = column_str(c, a);
		sb = column_str(c, b);
		if (sa == NULL || sb == NULL)
			return sa == sb;
		return strcmp(sa, sb) == 0;
	default:
		if (isnan(c->num[a]) || isnan(c->num[b]))
			return isnan(c->num[a]) && isnan(c->num[b]);
		return c->num[a] == c->num[b];
	}
}

/*
 * Mark in keep[] the first row of each group of rows equal on the n key
 * columns; returns the number of rows kept.
 */
static size_t
dedupe_rows(const struct table *t, struct column **key, size_t n,
    unsigned char *keep)
{
	uint64_t *hash = xmalloc((t->nrows ? t->nrows : 1) * sizeof *hash);
	size_t *slot, nslots = 16, mask, r, i, kept = 0;

	while (nslots < 2 * t->nrows)
		nslots *= 2;
	mask = nslots - 1;
	slot = xmalloc(nslots * sizeof *slot);	/* row + 1; 0: empty */
	memset(slot, 0, nslots * sizeof *slot);
	for (r = 0; r < t->nrows; r++) {
		uint64_t h = 0x9e3779b97f4a7c15ULL;

		for (i = 0; i < n; i++) {
			h = (h ^ cell_hash(key[i], r)) * 0xff51afd7ed558ccdULL;
			h ^= h >> 32;
		}
		hash[r] = h;
	}
	for (r = 0; r < t->nrows; r++) {
		size_t k = hash[r] & mask;

		keep[r] = 1;
		for (; slot[k] != 0; k = (k + 1) & mask) {
			size_t o = slot[k] - 1;

			if (hash[o] != hash[r])
				continue;
			for (i = 0; i < n; i++)
				if (!cell_equal(key[i], o, r))
					break;
			if (i == n) {
				keep[r] = 0;
				break;
			}
		}
		if (keep[r]) {
			slot[k] = r + 1;
			kept++;
		}
	}
	free(hash);
	free(slot);
	return kept;
}

static int
dedupe_fit(struct step *s, const struct table *t, struct err *e)
{
	struct dedupest *d;
	struct column **key;
	unsigned char *keep;
	char **names;
	size_t n, i;

	dedupe_free(s);
	if (step_columns(s, "columns", t, &names, &n, e) != 0)
		return -1;
	if (n == 0) {
		strs_free(names, n);
		return err_set(e, ERR_SPEC, "step 'dedupe': columns='%s' "
		    "selects no columns", params_str(&s->params, "columns"));
	}
	d = xcalloc(1, sizeof *d);
	s->state = d;
	d->n = n;
	d->cols = names;
	d->always = strcmp(params_str(&s->params, "when"), "always") == 0;
	/* The training counts, for describe; apply keeps no state. */
	key = xmalloc(n * sizeof *key);
	for (i = 0; i < n; i++)
		key[i] = t->cols[table_find(t, names[i])];
	keep = xmalloc(t->nrows ? t->nrows : 1);
	d->rows_in = (long long)t->nrows;
	d->rows_out = (long long)dedupe_rows(t, key, n, keep);
	free(keep);
	free(key);
	step_set_io(s, names, n, NULL, 0);
	return 0;
}

static int
dedupe_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct dedupest *d = s->state;
	struct column **key;
	unsigned char *keep;
	size_t i, nk = 0, kept, before = t->nrows;

	if (!ctx->training && !d->always)
		return 0;
	key = xmalloc(d->n * sizeof *key);
	for (i = 0; i < d->n; i++) {
		long k = table_find(t, d->cols[i]);

		if (k < 0 && s->target != NULL &&
		    strcmp(d->cols[i], s->target) == 0 && !ctx->training)
			continue;
		if (k < 0) {
			step_col(t, d->cols[i], e);
			free(key);
			return -1;
		}
		key[nk++] = t->cols[k];
	}
	keep = xmalloc(t->nrows ? t->nrows : 1);
	kept = dedupe_rows(t, key, nk, keep);
	if (kept < before)
		table_filter_rows(t, keep);
	free(keep);
	free(key);
	if (!ctx->training)
		ctx->rows_dropped += before - kept;
	return 0;
}

static void
dedupe_describe(const struct step *s, struct strbuf *sb)
{
	const struct dedupest *d = s->state;

	strbuf_addstr(sb, "dedupe");
	if (d == NULL)
		strbuf_addf(sb, " on %s", params_str(&s->params, "columns"));
	else
		strbuf_addf(sb, " on %zu column%s", d->n, d->n == 1 ? "" :
		    "s");
	if (d != NULL)
		strbuf_addf(sb, ", %lld of %lld rows kept in training",
		    d->rows_out, d->rows_in);
	if (strcmp(params_str(&s->params, "when"), "always") == 0)
		strbuf_addstr(sb, ", also on new data");
}

static void
dedupe_save(const struct step *s, struct strbuf *sb)
{
	const struct dedupest *d = s->state;

	state_put_strs(sb, "columns", d->n, d->cols);
	state_put_int(sb, "always", d->always);
	state_put_int(sb, "rows_in", d->rows_in);
	state_put_int(sb, "rows_out", d->rows_out);
}

static int
dedupe_load(struct step *s, const struct state *st, struct err *e)
{
	struct dedupest *d = xcalloc(1, sizeof *d);
	long long always;

	s->state = d;
	if (state_get_strs(st, "columns", &d->cols, &d->n, e) != 0 ||
	    state_get_int(st, "always", &always, e) != 0 ||
	    state_get_int(st, "rows_in", &d->rows_in, e) != 0 ||
	    state_get_int(st, "rows_out", &d->rows_out, e) != 0)
		return -1;
	if (d->n == 0)
		return err_set(e, ERR_DATA, "%s: no key columns", st->what);
	d->always = always != 0;
	step_set_io(s, d->cols, d->n, NULL, 0);
	return 0;
}

const struct step_ops step_dedupe_ops = {
	.name = "dedupe",
	.summary = "drop repeated rows, keeping the first",
	.params = dedupe_params,
	.fit = dedupe_fit,
	.apply = dedupe_apply,
	.describe = dedupe_describe,
	.save = dedupe_save,
	.load = dedupe_load,
	.free = dedupe_free,
	.whole_table = step_whole_when_always,
};

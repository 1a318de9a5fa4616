/*
 * step-dedupe.c - drop repeated rows, keeping the first of each.
 *
 * Two rows are repeats when they are equal on every key column (the
 * columns= selector, frozen at fit; by default every column but the
 * target, which takes part only when named).  Missing equals missing;
 * numbers compare as numbers (-0 equals 0), strings byte for byte.  Each
 * row's key values are written as canonical bytes and interned in a
 * string dictionary: a row whose bytes are already there is a repeat.
 *
 * when=train (the default) dedupes the training table only: at inference
 * the step does nothing.  when=always dedupes new data too, and the rows
 * it drops there are added to the apply context's count.  Each apply
 * dedupes the table it is given, so the step needs the whole input at
 * once (whole_table): a stream is read to its end first.  A named key
 * column that is the target
 * may be absent from new data: it is then left out of the key (with no
 * key column left, nothing is dropped).
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
	long long	 rows_in, rows_out;	/* training, for describe */
};

static size_t	 dedupe_rows(struct column *const *, size_t, size_t,
		    struct dict *, unsigned char *);

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


/*
 * Mark in keep[] the rows whose key is not yet in seen, adding it; the
 * first of several equal rows is kept.  Returns the rows kept.
 */
static size_t
dedupe_rows(struct column *const *key, size_t n, size_t nrows,
    struct dict *seen, unsigned char *keep)
{
	struct strbuf sb = STRBUF_INIT;
	size_t r, kept = 0, before;

	for (r = 0; r < nrows; r++) {
		strbuf_reset(&sb);
		step_row_key(key, n, r, &sb);
		before = seen->n;
		dict_intern(seen, sb.len ? sb.buf : "", sb.len);
		keep[r] = seen->n > before;
		kept += keep[r];
	}
	strbuf_release(&sb);
	return kept;
}

static int
dedupe_fit(struct step *s, const struct table *t, struct err *e)
{
	struct dedupest *d;
	struct column **key;
	struct dict *seen;
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
	/* The training counts, for describe; apply learns nothing. */
	key = xmalloc(n * sizeof *key);
	for (i = 0; i < n; i++)
		key[i] = t->cols[table_find(t, names[i])];
	keep = xmalloc(t->nrows ? t->nrows : 1);
	seen = dict_new();
	d->rows_in = (long long)t->nrows;
	d->rows_out = (long long)dedupe_rows(key, n, t->nrows, seen, keep);
	dict_free(seen);
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
	struct dict *seen;
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
	if (nk == 0) {
		free(key);	/* the key was the absent target alone */
		return 0;
	}
	seen = dict_new();
	keep = xmalloc(t->nrows ? t->nrows : 1);
	kept = dedupe_rows(key, nk, t->nrows, seen, keep);
	if (kept < before)
		table_filter_rows(t, keep);
	free(keep);
	free(key);
	dict_free(seen);
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
		strbuf_addf(sb, " on %zu column%s, %lld of %lld rows kept in "
		    "training", d->n, d->n == 1 ? "" : "s", d->rows_out,
		    d->rows_in);
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

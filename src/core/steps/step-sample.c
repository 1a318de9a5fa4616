/*
 * step-sample.c - keep a random subset of the rows, without replacement,
 * in their original order.
 *
 * when=train (the default) samples the training table only; at
 * inference the step does nothing.  n=N keeps min(N, rows) rows;
 * fraction=F keeps F * rows rounded to the nearest whole number (halves
 * up).  The choice is deterministic: a splitmix64 generator seeded with
 * seed drives Knuth's selection sampling (TAOCP vol. 2, 3.4.2, algorithm
 * S): row i of N is kept when (N - i) * u < wanted - kept so far, with
 * u = (next() >> 11) * 2^-53.  The same rows and seed give the same
 * subset on every platform.
 *
 * when=always samples new data too, and must give the same rows whether
 * the data is applied whole or streamed row by row, so each row is
 * decided alone, by its values: it is kept when u < rate, where
 *	h    = FNV-1a (64 bits) of the row's canonical bytes (the values of
 *	       the columns present at fit, but the target, as dedupe writes
 *	       them: a tag byte, then 8-byte lengths and bytes or 8-byte
 *	       doubles, -0 as 0)
 *	x    = h xor seed;  u = (splitmix64(x) >> 11) * 2^-53
 *	rate = fraction, or with n=, min(1, n / training rows)
 * The same way at training, so the number of rows kept is about, not
 * exactly, rate * rows; equal rows share their fate.  Rows dropped from
 * new data are added to the apply context's count.
 *
 * The state records the rate, the hashed columns and the training row
 * counts (for describe).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def sample_params[] = {
	{ "n", PT_INT, "", NULL, 1, 1e15,
	  "rows to keep (or fraction=)" },
	{ "fraction", PT_NUM, "", NULL, 0, 1,
	  "share of the rows to keep, above 0 (or n=)" },
	{ "seed", PT_INT, "0", NULL, 0, 0,
	  "seed of the random generator (splitmix64)" },
	{ "when", PT_ENUM, "train", "train|always", 0, 0,
	  "train: only the training data; always: new data too, row by row" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct samplest {
	int		 always;
	double		 rate;		/* when=always */
	size_t		 n;
	char		**cols;		/* when=always: hashed columns */
	long long	 rows_in, rows_out;	/* training */
};

static uint64_t	 splitmix64(uint64_t *);
static size_t	 sample_wanted(const struct step *, size_t);
static void	 sample_rows(uint64_t, size_t, size_t, unsigned char *);
static size_t	 sample_always(const struct samplest *, uint64_t,
		    struct column *const *, size_t, unsigned char *);

static void
sample_free(struct step *s)
{
	struct samplest *sp = s->state;

	if (sp == NULL)
		return;
	strs_free(sp->cols, sp->n);
	free(sp);
	s->state = NULL;
}

static int
sample_check(struct step *s, struct err *e)
{
	int has_n = params_given(&s->params, "n");
	int has_f = params_given(&s->params, "fraction");

	if (has_n && has_f)
		return err_set(e, ERR_SPEC, "step 'sample': give n=... or "
		    "fraction=..., not both");
	if (!has_n && !has_f)
		return err_set(e, ERR_SPEC, "step 'sample': needs n=... or "
		    "fraction=...");
	if (has_f && !(params_num(&s->params, "fraction") > 0))
		return err_set(e, ERR_SPEC, "step 'sample': fraction must be "
		    "above 0");
	return 0;
}

/* Sebastiano Vigna's splitmix64. */
static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* when=train: rows to keep out of nrows. */
static size_t
sample_wanted(const struct step *s, size_t nrows)
{
	double f, k;

	if (params_given(&s->params, "n")) {
		long n = params_int(&s->params, "n");

		return (size_t)n < nrows ? (size_t)n : nrows;
	}
	f = params_num(&s->params, "fraction");
	k = floor(f * (double)nrows + 0.5);
	return k < (double)nrows ? (size_t)k : nrows;
}

/* Algorithm S: mark exactly want of nrows rows in keep[]. */
static void
sample_rows(uint64_t seed, size_t nrows, size_t want, unsigned char *keep)
{
	uint64_t x = seed;
	size_t i, got = 0;

	for (i = 0; i < nrows; i++) {
		double u = (double)(splitmix64(&x) >> 11) * 0x1.0p-53;

		keep[i] = (double)(nrows - i) * u < (double)(want - got);
		got += keep[i];
	}
}


/* when=always: decide each row by its values; returns the rows kept. */
static size_t
sample_always(const struct samplest *sp, uint64_t seed,
    struct column *const *cols, size_t nrows, unsigned char *keep)
{
	struct strbuf sb = STRBUF_INIT;
	size_t r, i, kept = 0;

	for (r = 0; r < nrows; r++) {
		uint64_t h = 0xcbf29ce484222325ULL;
		double u;

		strbuf_reset(&sb);
		step_row_key(cols, sp->n, r, &sb);
		for (i = 0; i < sb.len; i++) {
			h ^= (unsigned char)sb.buf[i];
			h *= 0x100000001b3ULL;
		}
		h ^= seed;
		u = (double)(splitmix64(&h) >> 11) * 0x1.0p-53;
		keep[r] = u < sp->rate;
		kept += keep[r];
	}
	strbuf_release(&sb);
	return kept;
}

static int
sample_fit(struct step *s, const struct table *t, struct err *e)
{
	struct samplest *sp;
	size_t i;

	(void)e;
	sample_free(s);
	sp = xcalloc(1, sizeof *sp);
	s->state = sp;
	sp->always = strcmp(params_str(&s->params, "when"), "always") == 0;
	sp->cols = xmalloc((t->ncols ? t->ncols : 1) * sizeof *sp->cols);
	if (sp->always)
		for (i = 0; i < t->ncols; i++)
			if (s->target == NULL || strcmp(t->cols[i]->name,
			    s->target) != 0)
				sp->cols[sp->n++] = xstrdup(t->cols[i]->name);
	if (params_given(&s->params, "fraction"))
		sp->rate = params_num(&s->params, "fraction");
	else if (t->nrows == 0 || (double)params_int(&s->params, "n") >=
	    (double)t->nrows)
		sp->rate = 1;
	else
		sp->rate = (double)params_int(&s->params, "n") /
		    (double)t->nrows;
	/* The training counts, for describe; apply learns nothing. */
	sp->rows_in = (long long)t->nrows;
	if (!sp->always)
		sp->rows_out = (long long)sample_wanted(s, t->nrows);
	else {
		struct column **cols = xmalloc((sp->n ? sp->n : 1) *
		    sizeof *cols);
		unsigned char *keep = xmalloc(t->nrows ? t->nrows : 1);

		for (i = 0; i < sp->n; i++)
			cols[i] = t->cols[table_find(t, sp->cols[i])];
		sp->rows_out = (long long)sample_always(sp, (uint64_t)
		    params_int(&s->params, "seed"), cols, t->nrows, keep);
		free(cols);
		free(keep);
	}
	step_set_io(s, sp->cols, sp->n, NULL, 0);
	return 0;
}

static int
sample_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct samplest *sp = s->state;
	uint64_t seed = (uint64_t)params_int(&s->params, "seed");
	size_t i, kept, before = t->nrows;
	struct column **cols;
	unsigned char *keep;

	if (!ctx->training && !sp->always)
		return 0;
	keep = xmalloc(t->nrows ? t->nrows : 1);
	if (!sp->always) {
		kept = sample_wanted(s, t->nrows);
		sample_rows(seed, t->nrows, kept, keep);
	} else {
		cols = xmalloc((sp->n ? sp->n : 1) * sizeof *cols);
		for (i = 0; i < sp->n; i++) {
			long k = step_col(t, sp->cols[i], e);

			if (k < 0) {
				free(cols);
				free(keep);
				return -1;
			}
			cols[i] = t->cols[k];
		}
		kept = sample_always(sp, seed, cols, t->nrows, keep);
		free(cols);
	}
	if (kept < before)
		table_filter_rows(t, keep);
	free(keep);
	if (!ctx->training)
		ctx->rows_dropped += before - kept;
	return 0;
}

static void
sample_describe(const struct step *s, struct strbuf *sb)
{
	const struct samplest *sp = s->state;

	if (params_given(&s->params, "n"))
		strbuf_addf(sb, "sample %s rows", params_str(&s->params, "n"));
	else
		strbuf_addf(sb, "sample a fraction %s of the rows",
		    params_str(&s->params, "fraction"));
	strbuf_addf(sb, " (seed %s)", params_str(&s->params, "seed"));
	if (sp != NULL)
		strbuf_addf(sb, ", %lld of %lld kept in training",
		    sp->rows_out, sp->rows_in);
	if (strcmp(params_str(&s->params, "when"), "always") == 0)
		strbuf_addstr(sb, ", also on new data, row by row");
}

static void
sample_save(const struct step *s, struct strbuf *sb)
{
	const struct samplest *sp = s->state;

	state_put_int(sb, "always", sp->always);
	state_put_num(sb, "rate", sp->rate);
	state_put_strs(sb, "columns", sp->n, sp->cols);
	state_put_int(sb, "rows_in", sp->rows_in);
	state_put_int(sb, "rows_out", sp->rows_out);
}

static int
sample_load(struct step *s, const struct state *st, struct err *e)
{
	struct samplest *sp = xcalloc(1, sizeof *sp);
	long long always;

	s->state = sp;
	if (state_get_int(st, "always", &always, e) != 0 ||
	    state_get_num(st, "rate", &sp->rate, e) != 0 ||
	    state_get_strs(st, "columns", &sp->cols, &sp->n, e) != 0 ||
	    state_get_int(st, "rows_in", &sp->rows_in, e) != 0 ||
	    state_get_int(st, "rows_out", &sp->rows_out, e) != 0)
		return -1;
	sp->always = always != 0;
	if (!(sp->rate >= 0 && sp->rate <= 1))
		return err_set(e, ERR_DATA, "%s: 'rate' is not from 0 to 1",
		    st->what);
	step_set_io(s, sp->cols, sp->n, NULL, 0);
	return 0;
}

const struct step_ops step_sample_ops = {
	.name = "sample",
	.summary = "keep a random subset of the rows (n= or fraction=)",
	.params = sample_params,
	.check = sample_check,
	.fit = sample_fit,
	.apply = sample_apply,
	.describe = sample_describe,
	.save = sample_save,
	.load = sample_load,
	.free = sample_free,
};

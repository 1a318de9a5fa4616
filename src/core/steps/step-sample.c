/*
 * step-sample.c - keep a random subset of the rows, without replacement,
 * in their original order.
 *
 * n=N keeps min(N, rows) rows; fraction=F keeps F * rows rounded to the
 * nearest whole number (halves up).  The choice is deterministic: a
 * splitmix64 generator seeded with seed drives Knuth's selection
 * sampling (TAOCP vol. 2, 3.4.2, algorithm S): row i of N is kept with
 * probability (wanted - kept so far) / (N - i), drawn as u < that with
 * u = (next() >> 11) * 2^-53.  The same rows and seed give the same
 * subset on every platform.
 *
 * when=train (the default) samples the training table only: at
 * inference the step does nothing.  when=always samples new data too,
 * with the same seed, and the rows it drops there are added to the apply
 * context's count.  Nothing is learned; the state records the training
 * row counts, for describe.
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
	  "train: only the training data; always: new data too" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct samplest {
	long long	 rows_in, rows_out;	/* training */
};

static uint64_t	 splitmix64(uint64_t *);
static size_t	 sample_wanted(const struct step *, size_t);
static void	 sample_rows(uint64_t, size_t, size_t, unsigned char *);

static void
sample_free(struct step *s)
{
	free(s->state);
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

/* Rows to keep out of nrows. */
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

static int
sample_fit(struct step *s, const struct table *t, struct err *e)
{
	struct samplest *sp;

	(void)e;
	sample_free(s);
	sp = xcalloc(1, sizeof *sp);
	s->state = sp;
	sp->rows_in = (long long)t->nrows;
	sp->rows_out = (long long)sample_wanted(s, t->nrows);
	step_set_io(s, NULL, 0, NULL, 0);
	return 0;
}

static int
sample_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	size_t want, before = t->nrows;
	unsigned char *keep;

	(void)e;
	if (!ctx->training && strcmp(params_str(&s->params, "when"),
	    "always") != 0)
		return 0;
	want = sample_wanted(s, t->nrows);
	if (want == t->nrows)
		return 0;
	keep = xmalloc(t->nrows);
	sample_rows((uint64_t)params_int(&s->params, "seed"), t->nrows, want,
	    keep);
	table_filter_rows(t, keep);
	free(keep);
	if (!ctx->training)
		ctx->rows_dropped += before - t->nrows;
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
		strbuf_addstr(sb, ", also on new data");
}

static void
sample_save(const struct step *s, struct strbuf *sb)
{
	const struct samplest *sp = s->state;

	state_put_int(sb, "rows_in", sp->rows_in);
	state_put_int(sb, "rows_out", sp->rows_out);
}

static int
sample_load(struct step *s, const struct state *st, struct err *e)
{
	struct samplest *sp = xcalloc(1, sizeof *sp);

	s->state = sp;
	if (state_get_int(st, "rows_in", &sp->rows_in, e) != 0 ||
	    state_get_int(st, "rows_out", &sp->rows_out, e) != 0)
		return -1;
	step_set_io(s, NULL, 0, NULL, 0);
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
	.whole_table = step_whole_when_always,
};

/*
 * cmd-apply.c - `lathe apply FITTED [INPUT]`: run a fitted chain on new
 * data, the same code that ran at training.  From a file the input is
 * loaded whole (types forced to the training schema); from a pipe it is
 * a stream: every row is transformed, written and flushed as soon as its
 * line is read.  `lathe predict` is the same for pipelines that end in a
 * model.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/csvstream.h"
#include "core/csvwrite.h"
#include "core/pipeline.h"
#include "core/source.h"
#include "core/xmalloc.h"

static int cmd_apply(int, char **, struct globals *);
static int cmd_predict(int, char **, struct globals *);

#define APPLY_HELP \
"Apply the fitted pipeline FITTED (written by 'lathe run -o') to INPUT: a\n" \
"CSV file, - for standard input (the default), a SQLite table or a\n" \
"workspace dataset.  The input must have every column the pipeline was\n" \
"trained with (the target may be absent); extra columns are dropped, or\n" \
"kept after the output columns with --keep.  Read from a pipe, each row\n" \
"is written and flushed as soon as it is computed.\n" \
"\n" \
"A value that does not fit its column's training type, or a row a step\n" \
"cannot transform, follows --on-error: fail (stop with a message, the\n" \
"default), skip (drop the row) or null (make the value missing).  What\n" \
"was skipped or nulled, and rows dropped by filter steps, is counted on\n" \
"standard error.\n" \
"\n" \
"Options:\n" \
"  -o, --output FILE   write CSV to FILE (atomically), or - (default)\n" \
"      --keep          keep the input's extra columns\n" \
"      --on-error P    fail, skip or null\n" \
"  -w, --workspace F   the workspace holding named datasets\n"

const struct cmd cmd_apply_entry = {
	.name = "apply",
	.args = "FITTED [INPUT|-] [-o OUTPUT|-] [--keep] [--on-error=P]",
	.summary = "apply a fitted pipeline's steps to new data",
	.help = APPLY_HELP,
	.exec = cmd_apply,
};

const struct cmd cmd_predict_entry = {
	.name = "predict",
	.args = "FITTED [INPUT|-] [-o OUTPUT|-] [--proba] [--keep] "
	    "[--on-error=P]",
	.summary = "apply a fitted pipeline with a model to new data",
	.help =
"Apply the fitted pipeline FITTED, which ends in a model, to INPUT and\n"
"write its predictions as CSV: a column 'prediction' (the class label,\n"
"or the predicted value; 'cluster' for a clustering model) and, with\n"
"--proba, a column 'proba_LABEL' per class.  The steps run exactly as at\n"
"training.  Input, streaming and --on-error are as for 'lathe apply':\n"
"\n" APPLY_HELP "      --proba         add the class probabilities\n",
	.exec = cmd_predict,
};

/*
 * After the chain: a pipeline with a model (and predict) replaces the
 * features by the predictions: "prediction" (the class label, the value
 * or the cluster number), with --proba a "proba_LABEL" column per class;
 * the input's extra columns (--keep) come first.  nkeep names the extra
 * columns, which are not features.
 */
struct predict_opts {
	int		 want_model;
	int		 proba;
	char		**keep;
	size_t		 nkeep;
};

static int
predict_table(const struct pipeline *p, struct table *t,
    const struct predict_opts *po, struct err *e)
{
	const struct model *m = p->model;
	struct table *kept;
	struct fmat X;
	double *pred = NULL, *pr = NULL;
	size_t i, r, k;
	int rc = -1;

	if (!po->want_model || m == NULL)
		return 0;
	kept = table_new();
	for (i = 0; i < po->nkeep; i++) {
		long j = table_find(t, po->keep[i]);

		if (j >= 0)
			table_add_column(kept, table_take_column(t, (size_t)j));
	}
	kept->nrows = t->nrows;
	if (fmat_from_table(&X, t, p->target, e) != 0) {
		table_free(kept);
		return -1;
	}
	if (model_check_features(m, &X, e) != 0)
		goto out;
	pred = xmalloc((X.n ? X.n : 1) * sizeof *pred);
	if (X.n > 0 && m->ops->predict(m, &X, pred, e) != 0)
		goto out;
	if (po->proba && m->ops->task == TASK_CLASSIFY) {
		if (m->ops->predict_proba == NULL) {
			err_set(e, ERR_USAGE, "model '%s' gives no "
			    "probabilities (--proba)", m->ops->name);
			goto out;
		}
		pr = xmalloc((X.n * m->nclasses > 0 ? X.n * m->nclasses : 1) *
		    sizeof *pr);
		if (X.n > 0 && m->ops->predict_proba(m, &X, pr, e) != 0)
			goto out;
	}
	if (m->ops->task == TASK_CLASSIFY) {
		struct column *c = column_new("prediction", COL_CAT, t->nrows);

		for (k = 0; k < m->nclasses; k++)
			dict_intern(c->dict, m->classes[k],
			    strlen(m->classes[k]));
		for (r = 0; r < X.n; r++)
			c->codes[r] = (int32_t)pred[r];
		table_add_column(kept, c);
		for (k = 0; pr != NULL && k < m->nclasses; k++) {
			char *name = xasprintf("proba_%s", m->classes[k]);

			c = column_new(name, COL_FLOAT, t->nrows);
			free(name);
			for (r = 0; r < X.n; r++)
				c->num[r] = pr[r * m->nclasses + k];
			table_add_column(kept, c);
		}
	} else {
		struct column *c = column_new(m->ops->task == TASK_CLUSTER ?
		    "cluster" : "prediction", m->ops->task == TASK_CLUSTER ?
		    COL_INT : COL_FLOAT, t->nrows);

		for (r = 0; r < X.n; r++)
			c->num[r] = pred[r];
		table_add_column(kept, c);
	}
	/* t becomes the output */
	while (t->ncols > 0)
		table_drop_column(t, t->ncols - 1);
	for (i = 0; i < kept->ncols; i++)
		table_add_column(t, kept->cols[i]);
	kept->ncols = 0;
	rc = 0;
out:
	fmat_release(&X);
	free(pred);
	free(pr);
	table_free(kept);
	return rc;
}

struct streamer {
	struct pipeline	*p;
	const struct predict_opts *po;
	struct rowschema rs;
	struct load_opts *lo;
	FILE		*out;
	const char	*outname;
	int		 header_done;
	int		 wrote_header;
	size_t		 rows, bad, dropped;
	struct err	*e;
};

static int
stream_row(const struct csvrec *rec, void *arg)
{
	struct streamer *s = arg;
	struct table *t = NULL;
	struct apply_ctx ctx;
	struct strbuf sb = STRBUF_INIT;
	int r;

	if (!s->header_done) {
		s->header_done = 1;
		if (rowschema_map(&s->rs, rec, s->p->target, s->e) != 0)
			return -1;
		/* The header, at once: the chain applied to no rows. */
		t = table_new();
		for (r = 0; (size_t)r < s->rs.n; r++)
			if (s->rs.map[r] >= 0)
				table_add_column(t, column_new(s->rs.names[r],
				    s->rs.types[r], 0));
		memset(&ctx, 0, sizeof ctx);
		if (pipeline_apply(s->p, t, &ctx, s->e) != 0 ||
		    predict_table(s->p, t, s->po, s->e) != 0)
			goto fail;
		csvwrite_header(t, &sb);
		s->wrote_header = 1;
		goto write;
	}
	if (rec->n == 1 && rec->len[0] == 0)
		return 0;
	r = rowschema_append(&s->rs, &t, rec, &s->bad, s->e);
	if (r < 0)
		goto fail;
	if (r == 0) {
		memset(&ctx, 0, sizeof ctx);
		if (pipeline_apply(s->p, t, &ctx, s->e) != 0 ||
		    predict_table(s->p, t, s->po, s->e) != 0) {
			if (s->lo->on_bad == LOAD_BAD_FAIL) {
				err_prefix(s->e, "line %zu", rec->line);
				goto fail;
			}
			s->bad++;
		} else {
			csvwrite_rows(t, 0, t->nrows, &sb);
			s->rows += t->nrows;
			s->dropped += ctx.rows_dropped;
		}
	}
write:
	if (sb.len > 0 && (fwrite(sb.buf, 1, sb.len, s->out) != sb.len ||
	    fflush(s->out) != 0)) {
		err_set(s->e, ERR_IO, "cannot write '%s': %s", s->outname,
		    strerror(errno));
		goto fail;
	}
	strbuf_release(&sb);
	table_free(t);
	return 0;
fail:
	strbuf_release(&sb);
	table_free(t);
	return -1;
}

/*
 * Apply the chain to each row of in (taken over) separately, keeping the
 * rows that go through; *failed counts the others.  Rows that pass come
 * out as they would have in one piece: every step works row by row here
 * (whole-table steps never reach this: their errors are not per row).
 */
static struct table *
apply_rows(struct pipeline *p, struct table *in, struct apply_ctx *ctx,
    size_t *failed)
{
	struct table *out = NULL;
	size_t r, c;

	for (r = 0; r < in->nrows; r++) {
		struct table *one = table_slice(in, r, 1);
		struct err e;

		err_clear(&e);
		if (pipeline_apply(p, one, ctx, &e) != 0) {
			(*failed)++;
			table_free(one);
			continue;
		}
		table_materialize(one);
		if (out == NULL) {
			out = one;
			continue;
		}
		/* Append one's row to out, column by column. */
		for (c = 0; c < out->ncols && c < one->ncols; c++) {
			struct column *d = out->cols[c], *x = one->cols[c];
			size_t k;

			for (k = 0; k < one->nrows; k++) {
				size_t at = out->nrows + k;
				const char *str;

				switch (d->type) {
				case COL_CAT:
					d->codes = xreallocarray(d->codes,
					    at + 1, sizeof *d->codes);
					str = column_str(x, k);
					d->codes[at] = str ? dict_intern(d->dict,
					    str, strlen(str)) : -1;
					break;
				case COL_TEXT:
					d->off = xreallocarray(d->off, at + 1,
					    sizeof *d->off);
					str = column_str(x, k);
					if (str == NULL) {
						d->off[at] = TEXT_MISSING;
						break;
					}
					d->arena = xrealloc(d->arena,
					    d->arena_len + strlen(str) + 1);
					memcpy(d->arena + d->arena_len, str,
					    strlen(str) + 1);
					d->off[at] = d->arena_len;
					d->arena_len += strlen(str) + 1;
					break;
				default:
					d->num = xreallocarray(d->num, at + 1,
					    sizeof *d->num);
					d->num[at] = x->num[k];
					break;
				}
			}
		}
		out->nrows += one->nrows;
		table_free(one);
	}
	if (out == NULL) {
		struct err e;

		/* No row went through: the header of an empty result. */
		out = table_slice(in, 0, 0);
		pipeline_apply(p, out, ctx, &e);
	}
	table_free(in);
	return out;
}

static int
is_stream(const char *input)
{
	struct stat st;

	if (strcmp(input, "-") != 0)
		return 0;
	return fstat(STDIN_FILENO, &st) != 0 || !S_ISREG(st.st_mode);
}

static int
run_apply(int argc, char **argv, struct globals *g, const struct cmd *self,
    int want_model)
{
	struct pipeline *p = NULL;
	struct load_opts lo;
	struct table *t = NULL;
	struct err e;
	const char *fitted = NULL, *input = NULL, *output = "-", *kind;
	const char *onerr = "fail";
	size_t nbad = 0;
	int i, keep = 0, rc = 0;
	struct predict_opts po;

	err_clear(&e);
	memset(&po, 0, sizeof po);
	po.want_model = want_model;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			return cmd_help(self);
		if (strcmp(a, "--keep") == 0)
			keep = 1;
		else if (strcmp(a, "--proba") == 0 && want_model)
			po.proba = 1;
		else if (strncmp(a, "--on-error=", 11) == 0)
			onerr = a + 11;
		else if (strcmp(a, "--on-error") == 0 && i + 1 < argc)
			onerr = argv[++i];
		else if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)
		    && i + 1 < argc)
			output = argv[++i];
		else if ((strcmp(a, "-w") == 0 ||
		    strcmp(a, "--workspace") == 0) && i + 1 < argc)
			g->workspace = argv[++i];
		else if (a[0] == '-' && a[1] != '\0')
			return cmd_usage(self, "unknown option '%s'", a);
		else if (fitted == NULL)
			fitted = a;
		else if (input == NULL)
			input = a;
		else
			return cmd_usage(self, "unexpected argument '%s'", a);
	}
	if (fitted == NULL)
		return cmd_usage(self, "no FITTED pipeline given");
	if (input == NULL)
		input = "-";
	if (strcmp(onerr, "fail") != 0 && strcmp(onerr, "skip") != 0 &&
	    strcmp(onerr, "null") != 0)
		return cmd_usage(self, "bad --on-error '%s': fail, skip or "
		    "null", onerr);
	p = pipeline_load_file(fitted, &e);
	if (p == NULL)
		return cmd_error(&e);
	if (want_model && p->model == NULL) {
		err_set(&e, ERR_USAGE, "'%s' has no model to predict with: it "
		    "is a chain of steps only; use 'lathe apply'", fitted);
		rc = cmd_error(&e);
		goto out;
	}
	pipeline_load_opts(p, &lo);
	lo.on_bad = strcmp(onerr, "skip") == 0 ? LOAD_BAD_SKIP :
	    strcmp(onerr, "null") == 0 ? LOAD_BAD_NULL : LOAD_BAD_FAIL;

	if (is_stream(input) && steps_need_whole_table(p->steps, p->nsteps)) {
		/* A step needs all rows at once: read the stream to its end
		 * (spooled, like any standard input), then run the chain. */
		if (!g->quiet)
			fprintf(stderr, "lathe: a step of '%s' needs every row "
			    "at once (sql, or dedupe/sample when=always): "
			    "reading the whole input first\n", fitted);
	} else if (is_stream(input)) {
		struct streamer s;
		FILE *out = stdout;

		if (strcmp(output, "-") != 0) {
			out = fopen(output, "w");
			if (out == NULL) {
				err_set(&e, ERR_IO, "cannot write '%s': %s",
				    output, strerror(errno));
				rc = cmd_error(&e);
				load_opts_release(&lo);
				goto out;
			}
		}
		memset(&s, 0, sizeof s);
		s.p = p;
		s.po = &po;
		s.lo = &lo;
		s.out = out;
		s.outname = strcmp(output, "-") == 0 ? "standard output" :
		    output;
		s.e = &e;
		s.rs.names = p->in_names;
		s.rs.types = p->in_types;
		s.rs.n = p->nin;
		s.rs.opts = &lo;
		if (csvstream_run(STDIN_FILENO, p->load.delimiter, "<stdin>",
		    stream_row, &s, &e) != 0)
			rc = cmd_error(&e);
		free(s.rs.map);
		if (out != stdout && fclose(out) != 0 && rc == 0) {
			err_set(&e, ERR_IO, "cannot write '%s'", output);
			rc = cmd_error(&e);
		}
		nbad = s.bad;
		if (!g->quiet && (s.bad || s.dropped))
			fprintf(stderr, "lathe: %zu row%s written; %zu bad "
			    "value%s (--on-error=%s); %zu row%s dropped by "
			    "filters\n", s.rows, s.rows == 1 ? "" : "s",
			    s.bad, s.bad == 1 ? "" : "s", onerr, s.dropped,
			    s.dropped == 1 ? "" : "s");
		load_opts_release(&lo);
		goto out;
	}

	{
		struct load_report rep;
		struct apply_ctx ctx;
		struct workspace *ws = NULL;
		size_t failed = 0;
		int lo_policy;

		memset(&rep, 0, sizeof rep);
		(void)ws;
		t = cmd_load_data_report(input, &lo, g, &kind, &rep, &e);
		lo_policy = lo.on_bad;
		load_opts_release(&lo);
		if (t == NULL) {
			rc = cmd_error(&e);
			goto out;
		}
		if (pipeline_conform(p, t, keep, &e) != 0) {
			rc = cmd_error(&e);
			goto out;
		}
		for (i = (int)p->nin; keep && (size_t)i < t->ncols; i++) {
			po.keep = xreallocarray(po.keep, po.nkeep + 1,
			    sizeof *po.keep);
			po.keep[po.nkeep++] = xstrdup(t->cols[i]->name);
		}
		memset(&ctx, 0, sizeof ctx);
		{
			struct table *copy = lo_policy != LOAD_BAD_FAIL ?
			    table_copy(t) : NULL;

			if (pipeline_apply(p, t, &ctx, &e) != 0) {
				if (copy == NULL) {
					rc = cmd_error(&e);
					goto out;
				}
				/* Some row cannot be transformed: go row by
				 * row and leave out the ones that fail. */
				table_free(t);
				t = apply_rows(p, copy, &ctx, &failed);
				copy = NULL;
			}
			table_free(copy);
		}
		if (predict_table(p, t, &po, &e) != 0) {
			rc = cmd_error(&e);
			goto out;
		}
		if (cmd_write_table(t, output, &e) != 0) {
			rc = cmd_error(&e);
			goto out;
		}
		rep.bad_rows += failed;
		nbad = rep.bad_values + rep.bad_rows;
		if (!g->quiet && (nbad || ctx.rows_dropped))
			fprintf(stderr, "lathe: %zu row%s written; %zu bad "
			    "value%s made missing, %zu row%s skipped "
			    "(--on-error=%s); %zu row%s dropped by filters\n",
			    t->nrows, t->nrows == 1 ? "" : "s",
			    rep.bad_values, rep.bad_values == 1 ? "" : "s",
			    rep.bad_rows, rep.bad_rows == 1 ? "" : "s", onerr,
			    ctx.rows_dropped, ctx.rows_dropped == 1 ? "" :
			    "s");
	}
out:
	(void)nbad;
	strs_free(po.keep, po.nkeep);
	table_free(t);
	pipeline_free(p);
	return rc;
}

static int
cmd_apply(int argc, char **argv, struct globals *g)
{
	return run_apply(argc, argv, g, &cmd_apply_entry, 0);
}

static int
cmd_predict(int argc, char **argv, struct globals *g)
{
	return run_apply(argc, argv, g, &cmd_predict_entry, 1);
}

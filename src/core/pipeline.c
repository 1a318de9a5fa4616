/*
 * pipeline.c - interpreting a spec into a pipeline, fitting and applying
 * the chain, and the fitted pipeline file (format in pipeline.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileout.h"
#include "core/pipeline.h"
#include "core/sha256.h"
#include "core/xmalloc.h"

static const struct param_def source_params[] = {
	{ "delimiter", PT_STR, "", NULL, 0, 0,
	  "field delimiter (default: detected)" },
	{ "header", PT_BOOL, "", NULL, 0, 0,
	  "whether the first row names the columns (default: detected)" },
	{ "na", PT_STR, "", NULL, 0, 0,
	  "comma-separated missing-value tokens" },
	{ "sample", PT_INT, "", NULL, 1, 1e9,
	  "rows that seed type inference" },
	{ "ragged", PT_ENUM, "error", "error|pad|drop", 0, 0,
	  "rows with the wrong number of fields" },
	{ "table", PT_STR, "", NULL, 0, 0, "SQLite table" },
	{ "query", PT_STR, "", NULL, 0, 0, "SQLite query" },
	{ "types", PT_STRS, "", NULL, 0, 0,
	  "forced column types, col:type,..." },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

static const char *const verbs[] = {
	"lathe-pipeline", "source", "target", "step", NULL
};

static const char *
spec_file(const struct spec *sp)
{
	return sp->file ? sp->file : "<command>";
}

void
pipeline_free(struct pipeline *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nsteps; i++)
		step_free(p->steps[i]);
	free(p->steps);
	for (i = 0; i < p->nin; i++)
		free(p->in_names[i]);
	free(p->in_names);
	free(p->in_types);
	free(p->source);
	free(p->target);
	strs_free(p->skip, p->nskip);
	load_opts_release(&p->load);
	spec_free(p->spec);
	free(p);
}

static int
source_line(struct pipeline *p, const struct spec_line *l, struct err *e)
{
	const char *file = spec_file(p->spec);
	struct srcpos pos = { file, l->line };
	struct params pr;
	const char *data;
	size_t i, n;
	char **types;

	if (p->source != NULL)
		return err_set(e, ERR_SPEC, "%s:%d:%d: a second 'source' "
		    "statement", file, l->line, l->verb_col);
	if (l->npos == 2) {
		if (strcmp(l->pos[0].text, "csv") != 0 &&
		    strcmp(l->pos[0].text, "sqlite") != 0 &&
		    strcmp(l->pos[0].text, "dataset") != 0)
			return err_set(e, ERR_SPEC, "%s:%d:%d: unknown source "
			    "kind '%s' (csv, sqlite or dataset)", file,
			    l->line, l->pos[0].col, l->pos[0].text);
		data = l->pos[1].text;
	} else if (l->npos == 1)
		data = l->pos[0].text;
	else
		return err_set(e, ERR_SPEC, "%s:%d:%d: 'source' takes "
		    "[KIND] DATA, then key=value options", file, l->line,
		    l->verb_col);
	if (params_parse(&pr, source_params, l->kv, l->nkv, &pos,
	    "'source'", e) != 0)
		return -1;
	p->source = xstrdup(data);
	if (params_given(&pr, "delimiter")) {
		const char *d = params_str(&pr, "delimiter");

		if (strcmp(d, "tab") == 0 || strcmp(d, "\\t") == 0)
			p->load.delimiter = '\t';
		else if (strlen(d) == 1)
			p->load.delimiter = (unsigned char)d[0];
		else {
			const struct param_val *v = params_get(&pr,
			    "delimiter");

			params_release(&pr);
			return err_set(e, ERR_SPEC, "%s:%d:%d: bad delimiter "
			    "'%s': one character, or tab", file, l->line,
			    v->col, d);
		}
	}
	if (params_given(&pr, "header"))
		p->load.header = params_bool(&pr, "header");
	if (params_given(&pr, "na"))
		load_opts_set_na(&p->load, params_str(&pr, "na"));
	if (params_given(&pr, "sample"))
		p->load.sample_rows = (size_t)params_int(&pr, "sample");
	p->load.ragged = strcmp(params_str(&pr, "ragged"), "pad") == 0 ?
	    RAGGED_PAD : strcmp(params_str(&pr, "ragged"), "drop") == 0 ?
	    RAGGED_DROP : RAGGED_ERROR;
	/* load_opts keeps pointers: they live in the spec's words. */
	for (i = 0; i < l->nkv; i++) {
		if (strcmp(l->kv[i].key, "table") == 0)
			p->load.table = l->kv[i].value;
		if (strcmp(l->kv[i].key, "query") == 0)
			p->load.query = l->kv[i].value;
	}
	n = params_strs(&pr, "types", &types);
	for (i = 0; i < n; i++) {
		char *c = strrchr(types[i], ':');

		if (c != NULL)
			*c = '=';
		if (c == NULL || load_opts_add_type(&p->load, types[i],
		    e) != 0) {
			const struct param_val *v = params_get(&pr, "types");

			err_set(e, ERR_SPEC, "%s:%d:%d: bad types entry '%s': "
			    "expected column:type", file, l->line, v->col,
			    types[i]);
			strs_free(types, n);
			params_release(&pr);
			return -1;
		}
	}
	strs_free(types, n);
	params_release(&pr);
	return 0;
}

static int
step_line(struct pipeline *p, const struct spec_line *l, struct err *e)
{
	const char *file = spec_file(p->spec);
	struct srcpos pos = { file, l->line };
	const struct step_ops *ops;
	struct step *s;
	char what[128];

	if (l->npos != 1)
		return err_set(e, ERR_SPEC, "%s:%d:%d: %s", file, l->line,
		    l->npos == 0 ? l->verb_col : l->pos[1].col, l->npos == 0 ?
		    "'step' needs a step type: step TYPE key=value ..." :
		    "unexpected word: step arguments are key=value");
	ops = step_find(l->pos[0].text, e);
	if (ops == NULL) {
		err_prefix(e, "%s:%d:%d", file, l->line, l->pos[0].col);
		return -1;
	}
	/* A spec names steps in full: a prefix that is unique today may
	 * not be once another step exists. */
	if (strcmp(ops->name, l->pos[0].text) != 0)
		return err_set(e, ERR_SPEC, "%s:%d:%d: unknown step '%s' (did "
		    "you mean '%s'?)", file, l->line, l->pos[0].col,
		    l->pos[0].text, ops->name);
	s = step_new(ops);
	s->line = l->line;
	snprintf(what, sizeof what, "step '%s'", ops->name);
	if (params_parse(&s->params, ops->params, l->kv, l->nkv, &pos, what,
	    e) != 0 || (ops->check && ops->check(s, e) != 0)) {
		if (e->msg[0] != '\0' && strncmp(e->msg, file, strlen(file))
		    != 0) {
			if (strncmp(e->msg, "step '", 6) != 0) {
				int col = e->col;

				err_prefix(e, "step '%s'", ops->name);
				e->col = col;
			}
			if (e->col > 0)
				err_prefix(e, "%s:%d:%d", file, l->line,
				    e->col);
			else
				err_prefix(e, "%s:%d", file, l->line);
		}
		step_free(s);
		return -1;
	}
	p->steps = xreallocarray(p->steps, p->nsteps + 1, sizeof *p->steps);
	p->steps[p->nsteps++] = s;
	return 0;
}

/*
 * Columns that the leading 'drop' steps name plainly (no glob, group or
 * '!') are dropped before anything reads them: the loader need not parse
 * them.  They load as all-missing text, so the drop still finds them and
 * the recorded schema is the same at training and at inference.
 */
static void
find_skips(struct pipeline *p)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++) {
		const char *sel;
		char **names;
		size_t n, k;

		if (strcmp(p->steps[i]->ops->name, "drop") != 0)
			break;
		sel = params_str(&p->steps[i]->params, "columns");
		if (strpbrk(sel, "@*?[!") != NULL)
			break;
		n = params_strs(&p->steps[i]->params, "columns", &names);
		for (k = 0; k < n; k++) {
			if (p->target != NULL && strcmp(names[k], p->target)
			    == 0)
				continue;
			p->skip = xreallocarray(p->skip, p->nskip + 1,
			    sizeof *p->skip);
			p->skip[p->nskip++] = xstrdup(names[k]);
		}
		strs_free(names, n);
	}
	p->load.skip = p->skip;
	p->load.nskip = p->nskip;
}

struct pipeline *
pipeline_new(struct spec *sp, struct err *e)
{
	struct pipeline *p = xcalloc(1, sizeof *p);
	const char *file = spec_file(sp);
	size_t i;
	int seen_header = 0;

	p->spec = sp;
	load_opts_init(&p->load);
	for (i = 0; i < sp->nlines; i++) {
		const struct spec_line *l = &sp->lines[i];
		const char *sug;

		if (l->verb == NULL)
			continue;
		if (!seen_header) {
			char *end;
			long v;

			if (strcmp(l->verb, "lathe-pipeline") != 0 ||
			    l->npos != 1) {
				err_set(e, ERR_SPEC, "%s:%d:%d: a spec starts "
				    "with 'lathe-pipeline %d'", file, l->line,
				    l->verb_col, PIPELINE_FORMAT_VERSION);
				goto fail;
			}
			v = strtol(l->pos[0].text, &end, 10);
			if (*end != '\0' || v < 1) {
				err_set(e, ERR_SPEC, "%s:%d:%d: bad format "
				    "version '%s'", file, l->line,
				    l->pos[0].col, l->pos[0].text);
				goto fail;
			}
			if (v > PIPELINE_FORMAT_VERSION) {
				err_set(e, ERR_SPEC, "%s:%d:%d: spec format "
				    "version %ld is newer than this lathe "
				    "reads (%d)", file, l->line, l->pos[0].col,
				    v, PIPELINE_FORMAT_VERSION);
				goto fail;
			}
			seen_header = 1;
			continue;
		}
		if (strcmp(l->verb, "source") == 0) {
			if (source_line(p, l, e) != 0)
				goto fail;
		} else if (strcmp(l->verb, "target") == 0) {
			if (l->npos != 1 || l->nkv != 0 || p->target) {
				err_set(e, ERR_SPEC, "%s:%d:%d: %s", file,
				    l->line, l->verb_col, p->target ?
				    "a second 'target' statement" :
				    "'target' takes one column name");
				goto fail;
			}
			p->target = xstrdup(l->pos[0].text);
		} else if (strcmp(l->verb, "step") == 0) {
			if (step_line(p, l, e) != 0)
				goto fail;
		} else if (strcmp(l->verb, "lathe-pipeline") == 0) {
			err_set(e, ERR_SPEC, "%s:%d:%d: 'lathe-pipeline' only "
			    "once, first", file, l->line, l->verb_col);
			goto fail;
		} else {
			sug = suggest(l->verb, verbs);
			if (sug)
				err_set(e, ERR_SPEC, "%s:%d:%d: unknown "
				    "statement '%s' (did you mean '%s'?)",
				    file, l->line, l->verb_col, l->verb, sug);
			else
				err_set(e, ERR_SPEC, "%s:%d:%d: unknown "
				    "statement '%s' (statements: source, "
				    "target, step)", file, l->line,
				    l->verb_col, l->verb);
			goto fail;
		}
	}
	if (!seen_header) {
		err_set(e, ERR_SPEC, "%s: empty spec: it starts with "
		    "'lathe-pipeline %d'", file, PIPELINE_FORMAT_VERSION);
		goto fail;
	}
	find_skips(p);
	return p;
fail:
	pipeline_free(p);
	return NULL;
}

static void
record_schema(struct pipeline *p, const struct table *t)
{
	size_t i;

	for (i = 0; i < p->nin; i++)
		free(p->in_names[i]);
	free(p->in_names);
	free(p->in_types);
	p->nin = t->ncols;
	p->in_names = xmalloc((t->ncols ? t->ncols : 1) * sizeof *p->in_names);
	p->in_types = xmalloc((t->ncols ? t->ncols : 1) * sizeof *p->in_types);
	for (i = 0; i < t->ncols; i++) {
		p->in_names[i] = xstrdup(t->cols[i]->name);
		p->in_types[i] = t->cols[i]->type;
	}
}

static void
step_error(const struct pipeline *p, const struct step *s, struct err *e)
{
	if (e->col > 0)
		err_prefix(e, "%s:%d:%d: step '%s'", spec_file(p->spec),
		    s->line, e->col, s->ops->name);
	else
		err_prefix(e, "%s:%d: step '%s'", spec_file(p->spec), s->line,
		    s->ops->name);
}

int
pipeline_fit(struct pipeline *p, struct table *t, struct err *e)
{
	struct apply_ctx ctx;
	size_t i;

	if (p->target != NULL && table_find(t, p->target) < 0)
		return err_set(e, ERR_SPEC, "%s: target column '%s' is not in "
		    "the data", spec_file(p->spec), p->target);
	record_schema(p, t);
	memset(&ctx, 0, sizeof ctx);
	ctx.training = 1;
	for (i = 0; i < p->nsteps; i++) {
		struct step *s = p->steps[i];

		if (s->disabled)
			continue;
		s->target = p->target;
		/* Steps read num[]: indicator columns get it here (and
		 * stay compact when no step that reads values follows). */
		if (!s->ops->keeps_indicators)
			table_materialize(t);
		if (s->ops->fit(s, t, e) != 0 ||
		    s->ops->apply(s, t, &ctx, e) != 0) {
			step_error(p, s, e);
			return -1;
		}
		s->fitted = 1;
	}
	p->fitted = 1;
	return 0;
}

int
pipeline_apply(struct pipeline *p, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	size_t i;

	for (i = 0; i < p->nsteps; i++) {
		struct step *s = p->steps[i];

		if (s->disabled)
			continue;
		if (!s->ops->keeps_indicators)
			table_materialize(t);
		if (s->ops->apply(s, t, ctx, e) != 0) {
			step_error(p, s, e);
			return -1;
		}
	}
	return 0;
}

static int
is_skipped(const struct pipeline *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nskip; i++)
		if (strcmp(p->skip[i], name) == 0)
			return 1;
	return 0;
}

int
pipeline_conform(const struct pipeline *p, struct table *t, int keep,
    struct err *e)
{
	struct column **cols;
	unsigned char *used = xcalloc(t->ncols ? t->ncols : 1, 1);
	size_t i, k = 0, total = p->nin;

	for (i = 0; i < p->nin; i++) {
		long j = table_find(t, p->in_names[i]);

		if (j < 0 && p->target != NULL &&
		    strcmp(p->in_names[i], p->target) == 0)
			continue;	/* new data need not have the target */
		if (j < 0) {
			free(used);
			return err_set(e, ERR_DATA, "the input has no column "
			    "'%s', which the pipeline was trained with",
			    p->in_names[i]);
		}
		if (t->cols[j]->type != p->in_types[i] &&
		    !(coltype_is_number(t->cols[j]->type) &&
		    coltype_is_number(p->in_types[i])) &&
		    !is_skipped(p, p->in_names[i])) {
			free(used);
			return err_set(e, ERR_DATA, "column '%s' is %s in the "
			    "input but was %s in training", p->in_names[i],
			    coltype_name(t->cols[j]->type),
			    coltype_name(p->in_types[i]));
		}
		used[j] = 1;
	}
	if (keep)
		total = t->ncols;
	cols = xmalloc((total ? total : 1) * sizeof *cols);
	for (i = 0; i < p->nin; i++) {
		long j = table_find(t, p->in_names[i]);

		if (j < 0)
			continue;
		cols[k++] = t->cols[j];
		/* An integer column may arrive where floats were seen. */
		if (t->cols[j]->type != p->in_types[i] &&
		    coltype_is_number(t->cols[j]->type))
			t->cols[j]->type = p->in_types[i];
	}
	for (i = 0; i < t->ncols; i++) {
		if (used[i])
			continue;
		if (keep)
			cols[k++] = t->cols[i];
		else
			column_free(t->cols[i]);
	}
	free(t->cols);
	t->cols = cols;
	t->ncols = k;
	t->cap_cols = total ? total : 1;
	free(used);
	return 0;
}

void
pipeline_load_opts(const struct pipeline *p, struct load_opts *o)
{
	size_t i;

	load_opts_init(o);
	o->delimiter = p->load.delimiter;
	o->header = p->load.header;
	o->ragged = p->load.ragged;
	/* The source's missing tokens replace the defaults. */
	for (i = 0; i < o->nna; i++)
		free(o->na[i]);
	free(o->na);
	o->na = xmalloc((p->load.nna ? p->load.nna : 1) * sizeof *o->na);
	for (i = 0; i < p->load.nna; i++)
		o->na[i] = xstrdup(p->load.na[i]);
	o->nna = p->load.nna;
	for (i = 0; i < p->nin; i++) {
		o->types = xreallocarray(o->types, o->ntypes + 1,
		    sizeof *o->types);
		o->types[o->ntypes].column = xstrdup(p->in_names[i]);
		/* integers are read as numbers: a 1.5 later is no error */
		o->types[o->ntypes].type = p->in_types[i] == COL_INT ?
		    COL_FLOAT : p->in_types[i];
		o->ntypes++;
	}
	o->types_optional = 1;
	o->skip = p->skip;
	o->nskip = p->nskip;
}

/* ------------------------------------------------------ the file --- */

void
pipeline_save(const struct pipeline *p, struct strbuf *out)
{
	struct strbuf body = STRBUF_INIT;
	struct sha256 h;
	char hex[65];
	size_t i;

	strbuf_addstr(&body, "[recipe]\n");
	spec_write(p->spec, &body);
	strbuf_addstr(&body, "[schema]\n");
	for (i = 0; i < p->nin; i++) {
		state_word(&body, p->in_names[i]);
		strbuf_addf(&body, " %s\n", coltype_name(p->in_types[i]));
	}
	for (i = 0; i < p->nsteps; i++) {
		const struct step *s = p->steps[i];

		strbuf_addf(&body, "[step %zu %s]\n", i + 1, s->ops->name);
		if (s->ops->save)
			s->ops->save(s, &body);
	}
	strbuf_addstr(&body, "[end]\n");
	sha256_init(&h);
	sha256_update(&h, body.buf, body.len);
	sha256_hex(&h, hex);
	strbuf_addf(out, "lathe-fitted %d\nsha256 %s\n", FITTED_FORMAT_VERSION,
	    hex);
	strbuf_add(out, body.buf, body.len);
	strbuf_release(&body);
}

/* The text of section NAME ("[recipe]") up to the next '[' line. */
static char *
section(const char *body, const char *head)
{
	const char *p = body, *start, *q;
	size_t hl = strlen(head);

	for (;;) {
		if (strncmp(p, head, hl) == 0 && p[hl] == '\n')
			break;
		p = strchr(p, '\n');
		if (p == NULL)
			return NULL;
		p++;
	}
	start = p + hl + 1;
	for (q = start; *q; ) {
		if (*q == '[')
			break;
		q = strchr(q, '\n');
		if (q == NULL) {
			q = start + strlen(start);
			break;
		}
		q++;
	}
	return xstrndup(start, (size_t)(q - start));
}

struct pipeline *
pipeline_read(const char *text, const char *name, struct err *e)
{
	struct pipeline *p = NULL;
	struct spec *sp;
	const char *body, *nl;
	char hex[65], *recipe = NULL, *schema = NULL;
	struct sha256 h;
	long version;
	size_t i;

	if (strncmp(text, "lathe-fitted ", 13) != 0) {
		err_set(e, ERR_DATA, "'%s' is not a fitted lathe pipeline "
		    "(it does not start with 'lathe-fitted')", name);
		return NULL;
	}
	version = strtol(text + 13, NULL, 10);
	if (version < 1 || version > FITTED_FORMAT_VERSION) {
		err_set(e, ERR_DATA, "'%s' is a fitted pipeline of format "
		    "version %ld; this lathe reads version %d", name, version,
		    FITTED_FORMAT_VERSION);
		return NULL;
	}
	nl = strchr(text, '\n');
	if (nl == NULL || strncmp(nl + 1, "sha256 ", 7) != 0 ||
	    (body = strchr(nl + 1, '\n')) == NULL) {
		err_set(e, ERR_DATA, "'%s' is damaged: no checksum line",
		    name);
		return NULL;
	}
	body++;
	sha256_init(&h);
	sha256_update(&h, body, strlen(body));
	sha256_hex(&h, hex);
	if ((size_t)(body - 1 - (nl + 8)) != 64 ||
	    strncmp(nl + 8, hex, 64) != 0) {
		err_set(e, ERR_DATA, "'%s' is damaged: its checksum does not "
		    "match (truncated or edited after it was written)", name);
		return NULL;
	}
	recipe = section(body, "[recipe]");
	schema = section(body, "[schema]");
	if (recipe == NULL || schema == NULL || strstr(body, "\n[end]\n") ==
	    NULL) {
		err_set(e, ERR_DATA, "'%s' is damaged: a section is missing",
		    name);
		goto fail;
	}
	sp = spec_parse(recipe, name, NULL, e);
	if (sp == NULL)
		goto fail;
	p = pipeline_new(sp, e);
	if (p == NULL)
		goto fail;
	{
		struct state st;

		state_parse(&st, schema, "schema", e);
		p->nin = st.n;
		p->in_names = xmalloc((st.n ? st.n : 1) * sizeof *p->in_names);
		p->in_types = xmalloc((st.n ? st.n : 1) * sizeof *p->in_types);
		for (i = 0; i < st.n; i++) {
			p->in_names[i] = xstrdup(st.lines[i].key);
			if (st.lines[i].nwords != 1 || coltype_parse(
			    st.lines[i].words[0], &p->in_types[i]) != 0) {
				state_release(&st);
				/* names are kept encoded in the key: decode */
				err_set(e, ERR_DATA, "'%s' is damaged: bad "
				    "schema line %zu", name, i + 1);
				p->nin = i + 1;
				goto fail;
			}
		}
		state_release(&st);
		/* keys are not decoded by state_parse: decode them here */
		for (i = 0; i < p->nin; i++) {
			struct state one;
			char *line = xasprintf("k %s\n", p->in_names[i]);

			state_parse(&one, line, "schema", e);
			free(p->in_names[i]);
			p->in_names[i] = xstrdup(one.lines[0].words[0]);
			state_release(&one);
			free(line);
		}
	}
	for (i = 0; i < p->nsteps; i++) {
		struct step *s = p->steps[i];
		char head[128], what[160], *txt;
		struct state st;

		snprintf(head, sizeof head, "[step %zu %s]", i + 1,
		    s->ops->name);
		txt = section(body, head);
		if (txt == NULL) {
			err_set(e, ERR_DATA, "'%s' is damaged: no state for "
			    "step %zu (%s)", name, i + 1, s->ops->name);
			goto fail;
		}
		snprintf(what, sizeof what, "'%s': step %zu (%s)", name,
		    i + 1, s->ops->name);
		state_parse(&st, txt, what, e);
		free(txt);
		s->target = p->target;
		if (s->ops->load && s->ops->load(s, &st, e) != 0) {
			state_release(&st);
			goto fail;
		}
		state_release(&st);
		s->fitted = 1;
	}
	p->fitted = 1;
	free(recipe);
	free(schema);
	return p;
fail:
	free(recipe);
	free(schema);
	pipeline_free(p);
	return NULL;
}

int
write_file_atomic(const char *path, const char *data, size_t len,
    struct err *e)
{
	struct fileout o;

	if (fileout_open(&o, path, e) != 0)
		return -1;
	if (len > 0 && fwrite(data, 1, len, o.f) != len) {
		err_set(e, ERR_IO, "cannot write '%s': %s", path,
		    strerror(errno));
		fileout_abort(&o);
		return -1;
	}
	return fileout_close(&o, e);
}

int
pipeline_save_file(const struct pipeline *p, const char *path,
    struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	pipeline_save(p, &sb);
	rc = write_file_atomic(path, sb.buf, sb.len, e);
	strbuf_release(&sb);
	return rc;
}

struct pipeline *
pipeline_load_file(const char *path, struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	struct pipeline *p;
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		err_set(e, ERR_IO, "cannot open '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		strbuf_add(&sb, buf, n);
	if (ferror(f)) {
		err_set(e, ERR_IO, "cannot read '%s': %s", path,
		    strerror(errno));
		fclose(f);
		strbuf_release(&sb);
		return NULL;
	}
	fclose(f);
	if (memchr(sb.buf ? sb.buf : "", '\0', sb.len) != NULL) {
		err_set(e, ERR_DATA, "'%s' is not a fitted lathe pipeline "
		    "(binary data)", path);
		strbuf_release(&sb);
		return NULL;
	}
	p = pipeline_read(strbuf_str(&sb), path, e);
	strbuf_release(&sb);
	return p;
}

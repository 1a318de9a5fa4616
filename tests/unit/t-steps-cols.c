/*
 * t-steps-cols.c - the column and row steps: select, drop, rename, cast,
 * dedupe, sample, onehot and ordinal.
 *
 * For each step, small tables built by hand go through fit and apply as
 * in training; the result is checked value by value; the fitted state is
 * saved, loaded into a fresh step and applied (as at inference) to a
 * fresh copy of the input, which must give the training result bit for
 * bit (training-only row steps must keep every row instead).  Error
 * cases are checked with their whole messages.  onehot is also checked
 * against scikit-learn's OneHotEncoder semantics on data/vote.csv.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/load.h"
#include "core/step.h"
#include "core/xmalloc.h"
#include "tap.h"

#define MAXW	16
#define NA	NAN

static struct table *tnew(size_t);
static void	 addnum(struct table *, const char *, enum coltype,
		    const double *);
static void	 addstr(struct table *, const char *, enum coltype,
		    const char *const *);
static double	 num(const struct table *, const char *, size_t);
static const char *str(const struct table *, const char *, size_t);
static const char *names(const struct table *);
static struct step *mk(const char *, const char *, const char *,
		    struct err *);
static int	 train(struct step *, struct table *, struct err *);
static struct step *reload(const struct step *, const char *);
static int	 same_table(const struct table *, const struct table *);
static struct table *check_step(const char *, const char *, const char *,
		    const struct table *, int);
static void	 fit_error(const char *, const char *, const char *,
		    const struct table *, const char *);
static void	 spec_error(const char *, const char *, const char *);
static void	 apply_error(const char *, const char *, const char *,
		    const struct table *, const struct table *,
		    const char *);
static int	 streamed(const char *, const char *, const char *,
		    const struct table *, const struct table *, size_t);
static void	 test_registry(void);
static void	 test_select(void);
static void	 test_drop(void);
static void	 test_rename(void);
static void	 test_cast(void);
static void	 test_dedupe(void);
static void	 test_sample(void);
static void	 test_onehot(void);
static void	 test_onehot_vote(void);
static void	 test_ordinal(void);

/* ------------------------------------------------------ helpers --- */

static struct table *
tnew(size_t nrows)
{
	struct table *t = table_new();

	t->nrows = nrows;
	return t;
}

/* A numeric column from v[0..nrows); NAN is missing. */
static void
addnum(struct table *t, const char *name, enum coltype ty, const double *v)
{
	struct column *c = column_new(name, ty, t->nrows);
	size_t r;

	for (r = 0; r < t->nrows; r++)
		c->num[r] = v[r];
	table_add_column(t, c);
}

/* A categorical or text column from v[0..nrows); NULL is missing. */
static void
addstr(struct table *t, const char *name, enum coltype ty,
    const char *const *v)
{
	struct column *c = column_new(name, ty, t->nrows);
	struct strbuf arena = STRBUF_INIT;
	size_t r;

	for (r = 0; r < t->nrows; r++) {
		if (v[r] == NULL)
			continue;
		if (ty == COL_CAT) {
			c->codes[r] = dict_intern(c->dict, v[r], strlen(v[r]));
			continue;
		}
		c->off[r] = arena.len;
		strbuf_addstr(&arena, v[r]);
		strbuf_addch(&arena, '\0');
	}
	if (ty == COL_TEXT) {
		c->arena_len = arena.len;
		c->arena = strbuf_detach(&arena);
	}
	table_add_column(t, c);
}

static double
num(const struct table *t, const char *name, size_t r)
{
	long k = table_find(t, name);

	if (k < 0 || r >= t->nrows ||
	    !coltype_is_numeric_storage(t->cols[k]->type))
		return -999;
	return column_value(t->cols[k], r);
}

static const char *
str(const struct table *t, const char *name, size_t r)
{
	long k = table_find(t, name);
	const char *s;

	if (k < 0 || r >= t->nrows ||
	    coltype_is_numeric_storage(t->cols[k]->type))
		return "(no such string column)";
	s = column_str(t->cols[k], r);
	return s != NULL ? s : "(missing)";
}

/* "a:integer,b:float" - names and types, for one comparison. */
static const char *
names(const struct table *t)
{
	static char buf[4096];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < t->ncols && len < sizeof buf; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s:%s",
		    i ? "," : "", t->cols[i]->name,
		    coltype_name(t->cols[i]->type));
	return buf;
}

/* A step of TYPE with "k=v k=v" arguments (no blanks in values). */
static struct step *
mk(const char *type, const char *args, const char *target, struct err *e)
{
	const struct step_ops *ops;
	struct param_word w[MAXW];
	struct srcpos pos = { "t", 1 };
	struct step *s;
	char *buf, *p, what[64];
	size_t n = 0;

	err_clear(e);
	ops = step_find(type, e);
	if (ops == NULL)
		return NULL;
	buf = xstrdup(args);
	for (p = strtok(buf, " "); p != NULL && n < MAXW;
	    p = strtok(NULL, " ")) {
		char *eq = strchr(p, '=');

		if (eq == NULL)
			abort();
		*eq = '\0';
		w[n].key = p;
		w[n].value = eq + 1;
		w[n].kcol = (int)(p - buf) + 1;
		w[n].vcol = (int)(eq + 1 - buf) + 1;
		n++;
	}
	s = step_new(ops);
	snprintf(what, sizeof what, "step '%s'", ops->name);
	if (params_parse(&s->params, ops->params, w, n, &pos, what, e) != 0 ||
	    (ops->check != NULL && ops->check(s, e) != 0)) {
		step_free(s);
		free(buf);
		return NULL;
	}
	free(buf);
	s->target = target;
	return s;
}

/* Fit, then apply as in training. */
static int
train(struct step *s, struct table *t, struct err *e)
{
	struct apply_ctx ctx;

	memset(&ctx, 0, sizeof ctx);
	ctx.training = 1;
	err_clear(e);
	if (s->ops->fit(s, t, e) != 0 || s->ops->apply(s, t, &ctx, e) != 0)
		return -1;
	s->fitted = 1;
	return 0;
}

/*
 * Save s's state, load it into a fresh step with the same parameters,
 * and check that saving that one gives the same text.
 */
static struct step *
reload(const struct step *s, const char *label)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct state st;
	struct step *s2 = step_new(s->ops);
	struct err e;

	err_clear(&e);
	s->ops->save(s, &a);
	params_copy(&s2->params, &s->params);
	s2->target = s->target;
	state_parse(&st, strbuf_str(&a), "test", &e);
	if (!ok(s->ops->load(s2, &st, &e) == 0, "%s: state loads", label))
		printf("# %s\n", e.msg);
	state_release(&st);
	s2->fitted = 1;
	s2->ops->save(s2, &b);
	if (!is_str(strbuf_str(&b), strbuf_str(&a), "state round-trips"))
		printf("# (%s)\n", label);
	ok(s2->nreads == s->nreads && s2->nwrites == s->nwrites,
	    "%s: loaded reads/writes match the fitted ones", label);
	strbuf_release(&a);
	strbuf_release(&b);
	return s2;
}

/* Same names, types, rows, and every value bit for bit. */
static int
same_table(const struct table *a, const struct table *b)
{
	size_t i, r;

	if (a->nrows != b->nrows || a->ncols != b->ncols)
		return 0;
	for (i = 0; i < a->ncols; i++) {
		const struct column *x = a->cols[i], *y = b->cols[i];

		if (strcmp(x->name, y->name) != 0 || x->type != y->type)
			return 0;
		for (r = 0; r < a->nrows; r++) {
			const char *sx, *sy;

			if (coltype_is_numeric_storage(x->type)) {
				double xv = column_value(x, r);
				double yv = column_value(y, r);

				if (memcmp(&xv, &yv, sizeof xv) != 0 &&
				    !(isnan(xv) && isnan(yv)))
					return 0;
				continue;
			}
			sx = column_str(x, r);
			sy = column_str(y, r);
			if ((sx == NULL) != (sy == NULL) ||
			    (sx != NULL && strcmp(sx, sy) != 0))
				return 0;
		}
	}
	return 1;
}

/*
 * The whole flow: fit and apply TYPE ARGS on a copy of in, save and
 * reload, apply at inference to a fresh copy of in; that must equal the
 * training output, or with train_only, the input.  Returns the training
 * output (owned), or NULL when fitting failed.
 */
static struct table *
check_step(const char *type, const char *args, const char *target,
    const struct table *in, int train_only)
{
	struct table *out, *inf;
	struct step *s, *s2;
	struct strbuf sb = STRBUF_INIT;
	struct apply_ctx ctx;
	struct err e;
	char label[256];

	snprintf(label, sizeof label, "%s %s", type, args);
	s = mk(type, args, target, &e);
	if (!ok(s != NULL, "%s: step is made", label)) {
		printf("# %s\n", e.msg);
		return NULL;
	}
	s->ops->describe(s, &sb);
	ok(sb.len > 0, "%s: describe before fit: %s", label, strbuf_str(&sb));
	strbuf_reset(&sb);
	out = table_copy(in);
	if (!ok(train(s, out, &e) == 0, "%s: fit and apply", label)) {
		printf("# %s\n", e.msg);
		table_free(out);
		step_free(s);
		strbuf_release(&sb);
		return NULL;
	}
	s->ops->describe(s, &sb);
	ok(sb.len > 0 && strchr(sb.buf, '\n') == NULL,
	    "%s: describe: %s", label, strbuf_str(&sb));
	strbuf_release(&sb);
	s2 = reload(s, label);
	inf = table_copy(in);
	memset(&ctx, 0, sizeof ctx);
	err_clear(&e);
	if (!ok(s2->ops->apply(s2, inf, &ctx, &e) == 0,
	    "%s: apply at inference", label))
		printf("# %s\n", e.msg);
	if (train_only) {
		ok(same_table(inf, in), "%s: inference keeps every row",
		    label);
		is_int((long long)ctx.rows_dropped, 0,
		    "no rows counted as dropped");
	} else
		ok(same_table(inf, out), "%s: inference output is "
		    "bit-identical to training output", label);
	table_free(inf);
	step_free(s);
	step_free(s2);
	return out;
}

/* Making the step, or fitting it on in, fails with msg. */
static void
fit_error(const char *type, const char *args, const char *target,
    const struct table *in, const char *msg)
{
	struct table *t = table_copy(in);
	struct step *s;
	struct err e;
	char label[256];

	snprintf(label, sizeof label, "%s %s: error", type, args);
	s = mk(type, args, target, &e);
	if (s != NULL && train(s, t, &e) == 0)
		ok(0, "%s (it fitted)", label);
	else
		is_str(e.msg, msg, label);
	step_free(s);
	table_free(t);
}

/* Making the step fails with msg (params or check). */
static void
spec_error(const char *type, const char *args, const char *msg)
{
	struct step *s;
	struct err e;
	char label[256];

	snprintf(label, sizeof label, "%s %s: rejected", type, args);
	s = mk(type, args, NULL, &e);
	if (s != NULL)
		ok(0, "%s (it was accepted)", label);
	else
		is_str(e.msg, msg, label);
	step_free(s);
}

/* Fitted on fit, reloaded, applied at inference to in: fails with msg. */
static void
apply_error(const char *type, const char *args, const char *target,
    const struct table *fit, const struct table *in, const char *msg)
{
	struct table *t = table_copy(fit), *u = table_copy(in);
	struct step *s, *s2;
	struct apply_ctx ctx;
	struct err e;
	char label[256];

	snprintf(label, sizeof label, "%s %s: error at inference", type,
	    args);
	s = mk(type, args, target, &e);
	if (s == NULL || train(s, t, &e) != 0) {
		ok(0, "%s: fitting failed: %s", label, e.msg);
		step_free(s);
		table_free(t);
		table_free(u);
		return;
	}
	s2 = reload(s, label);
	memset(&ctx, 0, sizeof ctx);
	err_clear(&e);
	if (s2->ops->apply(s2, u, &ctx, &e) == 0)
		ok(0, "%s (it applied)", label);
	else
		is_str(e.msg, msg, label);
	step_free(s);
	step_free(s2);
	table_free(t);
	table_free(u);
}

/*
 * Fit on in, reload, and apply as a stream does: a table of no rows,
 * then each row of in alone.  The rows that come out must be those of
 * out, and dropped rows must be counted (want_dropped).
 */
static int
streamed(const char *type, const char *args, const char *target,
    const struct table *in, const struct table *out, size_t want_dropped)
{
	struct table *t = table_copy(in), *row;
	struct step *s, *s2;
	struct apply_ctx ctx;
	struct err e;
	size_t r, k = 0, dropped = 0;
	int good = 1;

	s = mk(type, args, target, &e);
	if (s == NULL || train(s, t, &e) != 0) {
		step_free(s);
		table_free(t);
		return 0;
	}
	s2 = reload(s, "stream");
	for (r = 0; r <= in->nrows && good; r++) {
		/* First the header's empty table, then each row. */
		row = r == 0 ? table_slice(in, 0, 0) : table_slice(in, r - 1,
		    1);
		memset(&ctx, 0, sizeof ctx);
		if (s2->ops->apply(s2, row, &ctx, &e) != 0)
			good = 0;
		dropped += ctx.rows_dropped;
		if (good && row->nrows == 1 && k >= out->nrows)
			good = 0;
		else if (good && row->nrows == 1) {
			struct table *want = table_slice(out, k++, 1);

			good = same_table(row, want);
			table_free(want);
		}
		table_free(row);
	}
	good = good && k == out->nrows && dropped == want_dropped;
	step_free(s);
	step_free(s2);
	table_free(t);
	return good;
}

/* a integer, b float, s categorical, y categorical (the target). */
static struct table *
base_table(void)
{
	static const double a[] = { 1, 2, 3, 4 };
	static const double b[] = { 0.5, NA, -1.25, 2 };
	static const char *const s[] = { "x", "y", NULL, "x" };
	static const char *const y[] = { "p", "q", "p", "q" };
	struct table *t = tnew(4);

	addnum(t, "a", COL_INT, a);
	addnum(t, "b", COL_FLOAT, b);
	addstr(t, "s", COL_CAT, s);
	addstr(t, "y", COL_CAT, y);
	return t;
}

/* ------------------------------------------------------- steps --- */

static void
test_registry(void)
{
	static const char *const want[] = { "select", "drop", "rename", "cast",
	    "dedupe", "sample", "impute", "scale", "onehot", "ordinal" };
	struct err e;
	size_t i, k = 0, j;

	/* Ours come in this order (others may sit between). */
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		for (j = k; step_table[j] != NULL; j++)
			if (strcmp(step_table[j]->name, want[i]) == 0)
				break;
		ok(step_table[j] != NULL, "registry has '%s' in order",
		    want[i]);
		if (step_table[j] != NULL)
			k = j + 1;
	}
	err_clear(&e);
	ok(step_find("ord", &e) != NULL &&
	    strcmp(step_find("ord", &e)->name, "ordinal") == 0,
	    "'ord' is a unique prefix of ordinal");
	ok(step_find("d", &e) == NULL, "'d' is ambiguous");
	ok(strncmp(e.msg, "ambiguous step 'd': ", 20) == 0 &&
	    strstr(e.msg, " drop") != NULL && strstr(e.msg, " dedupe") != NULL,
	    "ambiguity names both: %s", e.msg);
}

static void
test_select(void)
{
	struct table *in = base_table(), *out, *noy;

	out = check_step("select", "columns=a,s", "y", in, 0);
	if (out != NULL)
		is_str(names(out), "a:integer,s:categorical,y:categorical",
		    "select keeps a and s, and the target, in table order");
	table_free(out);
	out = check_step("select", "columns=s,a", NULL, in, 0);
	if (out != NULL) {
		is_str(names(out), "a:integer,s:categorical",
		    "without a target only the selection, in table order");
		is_double(num(out, "a", 3), 4, 0, "values kept");
		is_str(str(out, "s", 1), "y", "strings kept");
	}
	table_free(out);
	out = check_step("select", "columns=!@numeric", "y", in, 0);
	if (out != NULL)
		is_str(names(out), "s:categorical,y:categorical",
		    "a negated group");
	table_free(out);
	/* New data without the target: the step does not need it. */
	noy = table_copy(in);
	table_drop_column(noy, 3);
	{
		struct table *t = table_copy(in);
		struct step *s, *s2;
		struct apply_ctx ctx;
		struct err e;

		s = mk("select", "columns=b", "y", &e);
		train(s, t, &e);
		s2 = reload(s, "select b");
		memset(&ctx, 0, sizeof ctx);
		ok(s2->ops->apply(s2, noy, &ctx, &e) == 0 &&
		    strcmp(names(noy), "b:float") == 0,
		    "inference data without the target is fine");
		ok(s->nreads == 2 && s->nwrites == 2,
		    "select reads the kept, writes the dropped");
		step_free(s);
		step_free(s2);
		table_free(t);
	}
	table_free(noy);
	noy = table_copy(in);
	table_drop_column(noy, 0);
	apply_error("select", "columns=a,b", "y", in, noy,
	    "column 'a' (present when the step was fitted) is not in the "
	    "data");
	table_free(noy);
	fit_error("select", "columns=nope", NULL, in, "no column 'nope'");
	fit_error("select", "columns=bb", NULL, in,
	    "no column 'bb' (did you mean 'b'?)");
	spec_error("select", "", "t:1:1: missing argument 'columns' for "
	    "step 'select'");
	table_free(in);
}

static void
test_drop(void)
{
	struct table *in = base_table(), *out, *u;

	out = check_step("drop", "columns=b,s", "y", in, 0);
	if (out != NULL) {
		is_str(names(out), "a:integer,y:categorical",
		    "drop removes b and s");
		is_str(str(out, "y", 1), "q", "others untouched");
	}
	table_free(out);
	out = check_step("drop", "columns=@categorical", "y", in, 0);
	if (out != NULL)
		is_str(names(out), "a:integer,b:float,y:categorical",
		    "a type group never drops the target");
	table_free(out);
	out = check_step("drop", "columns=@text", NULL, in, 0);
	if (out != NULL)
		is_str(names(out), "a:integer,b:float,s:categorical,"
		    "y:categorical", "dropping nothing");
	table_free(out);
	fit_error("drop", "columns=y", "y", in,
	    "column 'y' is the target: it cannot be dropped");
	fit_error("drop", "columns=q", NULL, in,
	    "no column 'q' (did you mean 'a'?)");
	u = table_copy(in);
	table_drop_column(u, 1);
	apply_error("drop", "columns=b", NULL, in, u,
	    "column 'b' (present when the step was fitted) is not in the "
	    "data");
	table_free(u);
	spec_error("drop", "columns=", "t:1:9: empty value for 'columns' "
	    "(expected a column list)");
	table_free(in);
}

static void
test_rename(void)
{
	struct table *in = base_table(), *out, *u;

	out = check_step("rename", "map=a:alpha,s:kind", "y", in, 0);
	if (out != NULL) {
		is_str(names(out), "alpha:integer,b:float,kind:categorical,"
		    "y:categorical", "renamed in place");
		is_double(num(out, "alpha", 1), 2, 0, "values follow");
	}
	table_free(out);
	out = check_step("rename", "map=a:b,b:a", NULL, in, 0);
	if (out != NULL) {
		is_str(names(out), "b:integer,a:float,s:categorical,"
		    "y:categorical", "a swap");
		is_double(num(out, "a", 0), 0.5, 0, "swapped values");
	}
	table_free(out);
	fit_error("rename", "map=zz:q", NULL, in, "no column 'zz' to rename");
	fit_error("rename", "map=a:b", NULL, in, "cannot rename 'a' to 'b': "
	    "there is already a column 'b'");
	fit_error("rename", "map=y:label", "y", in, "column 'y' is the "
	    "target: it cannot be renamed");
	spec_error("rename", "map=a", "step 'rename': bad map item 'a': "
	    "expected old:new");
	spec_error("rename", "map=a:", "step 'rename': bad map item 'a:': "
	    "expected old:new");
	spec_error("rename", "map=a:x,a:z", "step 'rename': column 'a' is "
	    "renamed twice");
	spec_error("rename", "map=a:x,b:x", "step 'rename': two columns are "
	    "renamed to 'x'");
	u = table_copy(in);
	table_drop_column(u, 0);
	apply_error("rename", "map=a:alpha", NULL, in, u,
	    "no column 'a' to rename");
	table_free(u);
	{
		/* A ':' in an old name: the item splits at the last one. */
		struct table *t = tnew(1);
		static const double v[] = { 7 };

		addnum(t, "x:1", COL_INT, v);
		out = check_step("rename", "map=x:1:x1", NULL, t, 0);
		if (out != NULL)
			is_str(names(out), "x1:integer", "old name with ':'");
		table_free(out);
		table_free(t);
	}
	table_free(in);
}

static void
test_cast(void)
{
	static const double iv[] = { 1, -2, NA, 40 };
	static const double fv[] = { 0.1, 2, NA, -0.0 };
	static const double bv[] = { 1, 0, NA, 1 };
	static const double dv[] = { 0, 11016, NA, -1 };
	static const char *const sv[] = { "1", "2.5", NULL, "1e3" };
	static const char *const wv[] = { "3", "3.0", NULL, "-7" };
	static const char *const tv[] = { "true", "0", NULL, "FALSE" };
	static const char *const xv[] = { "1", "x", NULL, "2" };
	struct table *in = tnew(4), *out, *u;

	addnum(in, "i", COL_INT, iv);
	addnum(in, "f", COL_FLOAT, fv);
	addnum(in, "b", COL_BOOL, bv);
	addnum(in, "d", COL_DATE, dv);
	addstr(in, "s", COL_TEXT, sv);
	addstr(in, "w", COL_CAT, wv);
	addstr(in, "t", COL_CAT, tv);
	addstr(in, "x", COL_CAT, xv);

	out = check_step("cast", "columns=i,f,b,d to=text", NULL, in, 0);
	if (out != NULL) {
		is_str(names(out), "i:text,f:text,b:text,d:text,s:text,"
		    "w:categorical,t:categorical,x:categorical",
		    "numbers to text, in place");
		is_str(str(out, "i", 1), "-2", "integer text");
		is_str(str(out, "i", 2), "(missing)", "missing stays missing");
		is_str(str(out, "f", 0), "0.1", "shortest round-trip float");
		is_str(str(out, "f", 3), "-0", "negative zero as formatted");
		is_str(str(out, "b", 1), "false", "boolean text");
		is_str(str(out, "d", 1), "2000-02-29", "date text");
	}
	table_free(out);
	out = check_step("cast", "columns=i,f to=categorical", NULL, in, 0);
	if (out != NULL) {
		is_str(names(out), "i:categorical,f:categorical,b:boolean,"
		    "d:date,s:text,w:categorical,t:categorical,"
		    "x:categorical", "numbers to categorical");
		is_str(str(out, "i", 3), "40", "category text");
	}
	table_free(out);
	out = check_step("cast", "columns=s to=float", NULL, in, 0);
	if (out != NULL) {
		ok(out->cols[4]->type == COL_FLOAT, "text to float");
		is_double(num(out, "s", 1), 2.5, 0, "2.5");
		is_double(num(out, "s", 3), 1000, 0, "1e3");
		ok(isnan(num(out, "s", 2)), "missing stays missing");
	}
	table_free(out);
	out = check_step("cast", "columns=w to=integer", NULL, in, 0);
	if (out != NULL) {
		ok(out->cols[5]->type == COL_INT, "categorical to integer");
		is_double(num(out, "w", 1), 3, 0, "3.0 is a whole number");
		is_double(num(out, "w", 3), -7, 0, "-7");
	}
	table_free(out);
	out = check_step("cast", "columns=t to=boolean", NULL, in, 0);
	if (out != NULL) {
		ok(out->cols[6]->type == COL_BOOL, "to boolean");
		ok(num(out, "t", 0) == 1 && num(out, "t", 1) == 0 &&
		    isnan(num(out, "t", 2)) && num(out, "t", 3) == 0,
		    "true, 0, missing, FALSE");
	}
	table_free(out);
	out = check_step("cast", "columns=i,b to=float", NULL, in, 0);
	if (out != NULL)
		ok(out->cols[0]->type == COL_FLOAT &&
		    out->cols[2]->type == COL_FLOAT && num(out, "b", 0) == 1,
		    "integer and boolean to float");
	table_free(out);
	out = check_step("cast", "columns=w to=text", NULL, in, 0);
	if (out != NULL)
		ok(out->cols[5]->type == COL_TEXT &&
		    strcmp(str(out, "w", 1), "3.0") == 0,
		    "categorical to text keeps the strings");
	table_free(out);
	out = check_step("cast", "columns=i to=integer", NULL, in, 0);
	if (out != NULL)
		ok(same_table(out, in), "same type: nothing changes");
	table_free(out);
	fit_error("cast", "columns=x to=float", NULL, in,
	    "row 2: column 'x' has 'x', which is not a number");
	fit_error("cast", "columns=s to=integer", NULL, in,
	    "row 2: column 's' has '2.5', which is not an integer");
	fit_error("cast", "columns=f to=integer", NULL, in,
	    "row 1: column 'f' has '0.1', which is not an integer");
	fit_error("cast", "columns=i to=boolean", NULL, in,
	    "row 2: column 'i' has '-2', which is not a boolean (true/false "
	    "or 1/0)");
	fit_error("cast", "columns=w to=boolean", NULL, in,
	    "row 1: column 'w' has '3', which is not a boolean (true/false "
	    "or 1/0)");
	fit_error("cast", "columns=d to=boolean", NULL, in,
	    "column 'd' is date: it cannot be cast to boolean");
	spec_error("cast", "columns=a", "t:1:1: missing argument 'to' for "
	    "step 'cast'");
	spec_error("cast", "columns=a to=date", "t:1:14: bad value 'date' "
	    "for 'to' (choices: integer, float, boolean, categorical, text)");
	/* At inference a value that does not convert becomes missing. */
	{
		static const char *const good[] = { "1", "2", "3", "4" };
		static const char *const bad[] = { "5", "zz", NULL, "6.5" };
		struct table *g = tnew(4);
		struct step *s, *s2;
		struct apply_ctx ctx;
		struct err e;

		addstr(g, "x", COL_TEXT, good);
		u = tnew(4);
		addstr(u, "x", COL_TEXT, bad);
		s = mk("cast", "columns=x to=integer", NULL, &e);
		ok(s != NULL && train(s, g, &e) == 0, "cast fits on good data");
		s2 = reload(s, "cast x");
		memset(&ctx, 0, sizeof ctx);
		ok(s2->ops->apply(s2, u, &ctx, &e) == 0,
		    "bad values at inference are no error");
		ok(num(u, "x", 0) == 5 && isnan(num(u, "x", 1)) &&
		    isnan(num(u, "x", 2)) && isnan(num(u, "x", 3)),
		    "they become missing");
		is_int((long long)ctx.rows_dropped, 0, "and are not counted");
		step_free(s);
		step_free(s2);
		table_free(g);
		table_free(u);
	}
	table_free(in);
}

static void
test_dedupe(void)
{
	static const double a[] = { 1, 2, 1, NA, NA, -0.0, 0, 2 };
	static const char *const s[] = { "a", "b", "a", "a", "a", "b", "b",
	    NULL };
	static const char *const x[] = { "t1", "t2", "t1", NULL, NULL, "t3",
	    "t3", "t2" };
	static const double y[] = { 10, 11, 12, 13, 14, 15, 16, 17 };
	struct table *in = tnew(8), *out;
	struct table *u;
	struct step *s1, *s2;
	struct apply_ctx ctx;
	struct err e;

	addnum(in, "a", COL_FLOAT, a);
	addstr(in, "s", COL_CAT, s);
	addstr(in, "x", COL_TEXT, x);
	addnum(in, "y", COL_INT, y);

	/* The target y differs on every row: not part of the key. */
	out = check_step("dedupe", "", "y", in, 1);
	if (out != NULL) {
		is_int((long long)out->nrows, 5, "dedupe keeps 5 of 8 rows");
		ok(num(out, "y", 0) == 10 && num(out, "y", 1) == 11 &&
		    num(out, "y", 2) == 13 && num(out, "y", 3) == 15 &&
		    num(out, "y", 4) == 17, "the first of each (missing equal "
		    "missing, -0 equal 0)");
		is_str(str(out, "x", 2), "(missing)", "rows move whole");
	}
	table_free(out);
	out = check_step("dedupe", "columns=s", NULL, in, 1);
	if (out != NULL) {
		is_int((long long)out->nrows, 3, "dedupe on s: a, b, missing");
		ok(num(out, "y", 0) == 10 && num(out, "y", 1) == 11 &&
		    num(out, "y", 2) == 17, "first rows kept");
	}
	table_free(out);
	out = check_step("dedupe", "columns=x,y", NULL, in, 1);
	if (out != NULL)
		is_int((long long)out->nrows, 8, "the target named: part of "
		    "the key, so every row differs");
	table_free(out);
	/* when=always: new data deduped the same way, rows counted. */
	s1 = mk("dedupe", "when=always", "y", &e);
	u = table_copy(in);
	train(s1, u, &e);
	table_free(u);
	s2 = reload(s1, "dedupe always");
	ok(s2->ops->whole_table != NULL && s2->ops->whole_table(s2),
	    "when=always needs the whole input (a stream is read first)");
	u = table_copy(in);
	memset(&ctx, 0, sizeof ctx);
	ok(s2->ops->apply(s2, u, &ctx, &e) == 0 && u->nrows == 5,
	    "when=always dedupes at inference");
	is_int((long long)ctx.rows_dropped, 3, "and counts the rows dropped");
	table_free(u);
	/* Each apply stands alone: the same data twice, the same result. */
	u = table_copy(in);
	memset(&ctx, 0, sizeof ctx);
	ok(s2->ops->apply(s2, u, &ctx, &e) == 0 && u->nrows == 5 &&
	    ctx.rows_dropped == 3, "applying again gives the same result");
	table_free(u);
	u = table_slice(in, 0, 0);
	ok(s2->ops->apply(s2, u, &ctx, &e) == 0, "an empty table");
	table_free(u);
	/* The target is not needed in new data. */
	step_free(s2);
	step_free(s1);
	s1 = mk("dedupe", "columns=a,y when=always", "y", &e);
	u = table_copy(in);
	train(s1, u, &e);
	table_free(u);
	s2 = reload(s1, "dedupe a,y always");
	u = table_copy(in);
	table_drop_column(u, 3);
	memset(&ctx, 0, sizeof ctx);
	ok(s2->ops->apply(s2, u, &ctx, &e) == 0 && u->nrows == 4,
	    "a named target absent from new data is left out of the key");
	is_int((long long)ctx.rows_dropped, 4, "4 repeats of a dropped");
	table_free(u);
	step_free(s1);
	step_free(s2);
	fit_error("dedupe", "columns=@date", NULL, in,
	    "step 'dedupe': columns='@date' selects no columns");
	spec_error("dedupe", "when=never", "t:1:6: bad value 'never' for "
	    "'when' (choices: train, always)");
	u = table_copy(in);
	table_drop_column(u, 1);
	apply_error("dedupe", "when=always", NULL, in, u,
	    "column 's' (present when the step was fitted) is not in the "
	    "data");
	table_free(u);
	{
		/* Many rows: the hash table grows; every 3rd is a repeat. */
		struct table *big = tnew(3000);
		double *v = xmalloc(3000 * sizeof *v);
		size_t r;

		for (r = 0; r < 3000; r++)
			v[r] = (double)(r % 2000);
		addnum(big, "v", COL_INT, v);
		free(v);
		out = check_step("dedupe", "", NULL, big, 1);
		if (out != NULL)
			ok(out->nrows == 2000 && num(out, "v", 1999) == 1999,
			    "3000 rows, 2000 distinct");
		table_free(out);
		table_free(big);
	}
	table_free(in);
}

static void
test_sample(void)
{
	double id[10];
	struct table *in = tnew(10), *out;
	struct step *s1, *s2;
	struct apply_ctx ctx;
	struct table *u;
	struct err e;
	size_t r;

	for (r = 0; r < 10; r++)
		id[r] = (double)r;
	addnum(in, "id", COL_INT, id);
	/*
	 * Expected rows from an independent splitmix64 + algorithm S (see
	 * step-sample.c): seed 1, n=3 -> 4 7 8; seed 0 -> 2 4 6; seed 42,
	 * 5 rows -> 1 2 3 4 6.
	 */
	out = check_step("sample", "n=3 seed=1", NULL, in, 1);
	if (out != NULL)
		ok(out->nrows == 3 && num(out, "id", 0) == 4 &&
		    num(out, "id", 1) == 7 && num(out, "id", 2) == 8,
		    "n=3 seed=1 keeps rows 4 7 8, in order");
	table_free(out);
	out = check_step("sample", "n=3", NULL, in, 1);
	if (out != NULL)
		ok(out->nrows == 3 && num(out, "id", 0) == 2 &&
		    num(out, "id", 1) == 4 && num(out, "id", 2) == 6,
		    "seed 0 by default: rows 2 4 6");
	table_free(out);
	out = check_step("sample", "fraction=0.5 seed=42", NULL, in, 1);
	if (out != NULL)
		ok(out->nrows == 5 && num(out, "id", 0) == 1 &&
		    num(out, "id", 4) == 6, "fraction=0.5: 5 rows, 1 .. 6");
	table_free(out);
	out = check_step("sample", "fraction=0.25", NULL, in, 1);
	if (out != NULL)
		is_int((long long)out->nrows, 3, "2.5 rows round up to 3");
	table_free(out);
	out = check_step("sample", "n=20", NULL, in, 1);
	if (out != NULL)
		ok(same_table(out, in), "n above the rows keeps them all");
	table_free(out);
	/*
	 * when=always decides row by row (FNV-1a of the row's bytes, xor
	 * seed, splitmix64; rate n / training rows): rows 2 4 5 of 10 at
	 * rate 0.3 with seed 1, computed independently.
	 */
	out = check_step("sample", "n=3 seed=1 when=always", NULL, in, 0);
	if (out != NULL) {
		ok(out->nrows == 3 && num(out, "id", 0) == 2 &&
		    num(out, "id", 1) == 4 && num(out, "id", 2) == 5,
		    "when=always n=3 seed=1: rows 2 4 5");
		ok(streamed("sample", "n=3 seed=1 when=always", NULL, in, out,
		    7), "and the same streamed row by row");
	}
	table_free(out);
	{
		double v[20];

		for (r = 0; r < 20; r++)
			v[r] = (double)r;
		u = tnew(20);
		addnum(u, "id", COL_INT, v);
		out = check_step("sample", "fraction=0.5 seed=3 when=always",
		    NULL, u, 0);
		if (out != NULL) {
			static const double want[] = { 0, 1, 2, 3, 4, 5, 8,
			    10, 12, 13, 14, 16, 19 };
			size_t bad = out->nrows != 13;

			for (r = 0; r < out->nrows && r < 13; r++)
				bad += num(out, "id", r) != want[r];
			ok(bad == 0, "fraction=0.5 seed=3: 13 of 20 rows, as "
			    "computed independently");
			ok(streamed("sample", "fraction=0.5 seed=3 "
			    "when=always", NULL, u, out, 7),
			    "and the same streamed");
		}
		table_free(out);
		table_free(u);
	}
	s1 = mk("sample", "n=3 seed=1 when=always", NULL, &e);
	u = table_copy(in);
	train(s1, u, &e);
	table_free(u);
	s2 = reload(s1, "sample always");
	u = table_slice(in, 2, 1);
	memset(&ctx, 0, sizeof ctx);
	ok(s2->ops->apply(s2, u, &ctx, &e) == 0 && u->nrows == 1 &&
	    ctx.rows_dropped == 0, "one row at inference: row 2 is kept");
	table_free(u);
	u = table_slice(in, 3, 1);
	ok(s2->ops->apply(s2, u, &ctx, &e) == 0 && u->nrows == 0 &&
	    ctx.rows_dropped == 1, "row 3 is not, and is counted");
	table_free(u);
	step_free(s1);
	step_free(s2);
	spec_error("sample", "seed=3", "step 'sample': needs n=... or "
	    "fraction=...");
	spec_error("sample", "n=2 fraction=0.5", "step 'sample': give n=... "
	    "or fraction=..., not both");
	spec_error("sample", "fraction=0", "step 'sample': fraction must be "
	    "above 0");
	spec_error("sample", "fraction=1.5", "t:1:10: bad value '1.5' for "
	    "'fraction' (expected a number from 0 to 1)");
	spec_error("sample", "n=0", "t:1:3: bad value '0' for 'n' (expected "
	    "a whole number from 1 to 1e+15)");
	table_free(in);
}

static void
test_onehot(void)
{
	static const char *const s[] = { "b", "a", NULL, "c", "a" };
	static const double x[] = { 10, 2, 10, NA, -0.0 };
	static const char *const y[] = { "p", "q", "p", "q", "p" };
	static const char *const s2v[] = { "a", "zz", NULL, "c", "b" };
	struct table *in = tnew(5), *out, *u;

	addnum(in, "x", COL_INT, x);
	addstr(in, "s", COL_CAT, s);
	addstr(in, "y", COL_CAT, y);

	out = check_step("onehot", "", "y", in, 0);
	if (out != NULL) {
		is_str(names(out), "x:integer,s=a:float,s=b:float,s=c:float,"
		    "y:categorical", "indicators replace s, sorted; the "
		    "target is left alone");
		ok(num(out, "s=b", 0) == 1 && num(out, "s=a", 0) == 0 &&
		    num(out, "s=c", 0) == 0, "row 1 is b");
		ok(num(out, "s=a", 2) == 0 && num(out, "s=b", 2) == 0 &&
		    num(out, "s=c", 2) == 0, "missing: all zeros");
		ok(num(out, "s=a", 4) == 1, "row 5 is a");
	}
	table_free(out);
	out = check_step("onehot", "columns=x,s", NULL, in, 0);
	if (out != NULL) {
		is_str(names(out), "x=0:float,x=2:float,x=10:float,s=a:float,"
		    "s=b:float,s=c:float,y:categorical",
		    "numbers: numeric order, -0 is 0");
		ok(num(out, "x=10", 0) == 1 && num(out, "x=10", 2) == 1 &&
		    num(out, "x=0", 4) == 1 && num(out, "x=2", 3) == 0,
		    "numeric indicators");
	}
	table_free(out);
	out = check_step("onehot", "min_frequency=2", "y", in, 0);
	if (out != NULL) {
		is_str(names(out), "x:integer,s=a:float,s=__other__:float,"
		    "y:categorical", "min_frequency=2 folds b and c");
		ok(num(out, "s=__other__", 0) == 1 &&
		    num(out, "s=__other__", 3) == 1 &&
		    num(out, "s=__other__", 1) == 0 &&
		    num(out, "s=__other__", 2) == 0, "into other");
	}
	table_free(out);
	out = check_step("onehot", "max_categories=2", "y", in, 0);
	if (out != NULL)
		is_str(names(out), "x:integer,s=a:float,s=b:float,"
		    "s=__other__:float,y:categorical",
		    "max_categories=2: a, then b before c on a tie");
	table_free(out);
	out = check_step("onehot", "min_frequency=1", "y", in, 0);
	if (out != NULL)
		is_str(names(out), "x:integer,s=a:float,s=b:float,s=c:float,"
		    "y:categorical", "nothing folded: no other column");
	table_free(out);
	out = check_step("onehot", "unknown=other", "y", in, 0);
	if (out != NULL)
		is_str(names(out), "x:integer,s=a:float,s=b:float,s=c:float,"
		    "s=__other__:float,y:categorical",
		    "unknown=other always has the other column");
	table_free(out);

	/* Unknown values at inference. */
	u = tnew(5);
	addnum(u, "x", COL_INT, x);
	addstr(u, "s", COL_CAT, s2v);
	addstr(u, "y", COL_CAT, y);
	apply_error("onehot", "unknown=error", "y", in, u,
	    "row 2: column 's' has 'zz', not seen in training");
	{
		struct step *st, *st2;
		struct table *t = table_copy(in), *v = table_copy(u);
		struct apply_ctx ctx;
		struct err e;

		st = mk("onehot", "", "y", &e);
		train(st, t, &e);
		st2 = reload(st, "onehot ignore");
		memset(&ctx, 0, sizeof ctx);
		ok(st2->ops->apply(st2, v, &ctx, &e) == 0 &&
		    num(v, "s=a", 1) == 0 && num(v, "s=b", 1) == 0 &&
		    num(v, "s=c", 1) == 0 && num(v, "s=b", 4) == 1,
		    "unknown=ignore: all zeros");
		step_free(st);
		step_free(st2);
		table_free(t);
		table_free(v);
		t = table_copy(in);
		v = table_copy(u);
		st = mk("onehot", "unknown=other min_frequency=2", "y", &e);
		train(st, t, &e);
		st2 = reload(st, "onehot other");
		memset(&ctx, 0, sizeof ctx);
		ok(st2->ops->apply(st2, v, &ctx, &e) == 0 &&
		    num(v, "s=__other__", 1) == 1 &&
		    num(v, "s=__other__", 4) == 1 &&
		    num(v, "s=__other__", 0) == 0 &&
		    num(v, "s=__other__", 2) == 0,
		    "unknown=other: unknown and folded go to other");
		step_free(st);
		step_free(st2);
		table_free(t);
		table_free(v);
		/* A one-row table at inference. */
		t = table_copy(in);
		v = table_slice(u, 4, 1);
		st = mk("onehot", "", "y", &e);
		train(st, t, &e);
		st2 = reload(st, "onehot one row");
		ok(st2->ops->apply(st2, v, &ctx, &e) == 0 && v->nrows == 1 &&
		    v->ncols == 5 && num(v, "s=b", 0) == 1,
		    "one row at inference");
		step_free(st);
		step_free(st2);
		table_free(t);
		table_free(v);
	}
	table_free(u);
	{
		/* A text column named explicitly, and a name collision. */
		static const char *const tx[] = { "u v", "w", "u v", NULL,
		    "w" };
		static const double c[] = { 1, 1, 1, 1, 1 };
		struct table *t = table_copy(in);

		addstr(t, "tx", COL_TEXT, tx);
		out = check_step("onehot", "columns=tx", NULL, t, 0);
		if (out != NULL)
			ok(table_find(out, "tx=u v") == 3 &&
			    table_find(out, "tx=w") == 4 &&
			    num(out, "tx=w", 4) == 1,
			    "text columns encode too");
		table_free(out);
		addnum(t, "s=a", COL_FLOAT, c);
		fit_error("onehot", "columns=s", NULL, t, "step 'onehot': the "
		    "column name 's=a' would be used twice");
		table_free(t);
	}
	spec_error("onehot", "unknown=skip", "t:1:9: bad value 'skip' for "
	    "'unknown' (choices: error, ignore, other)");
	spec_error("onehot", "max_categories=-1", "t:1:16: bad value '-1' for "
	    "'max_categories' (expected a whole number from 0 to 1e+09)");
	table_free(in);
}

/* scikit-learn's OneHotEncoder(handle_unknown='ignore') on vote.csv. */
static void
test_onehot_vote(void)
{
	const char *src = getenv("LATHE_SRCDIR");
	struct load_opts o;
	struct table *t, *out;
	char *path;
	struct err e;
	size_t i, r, bad = 0;
	long k;

	path = xasprintf("%s/data/vote.csv", src != NULL ? src : "..");
	load_opts_init(&o);
	err_clear(&e);
	t = csvload_file(path, &o, NULL, &e);
	load_opts_release(&o);
	free(path);
	if (!ok(t != NULL, "load vote.csv")) {
		printf("# %s\n", e.msg);
		return;
	}
	is_int((long long)t->ncols, 17, "17 columns");
	out = check_step("onehot", "", "Class", t, 0);
	if (out == NULL) {
		table_free(t);
		return;
	}
	is_int((long long)out->ncols, 33, "16 votes x 2 indicators + Class");
	is_str(out->cols[0]->name, "handicapped-infants=n",
	    "first indicator name");
	is_str(out->cols[1]->name, "handicapped-infants=y",
	    "second indicator name");
	is_str(out->cols[32]->name, "Class", "the target is left alone");
	/* Each vote column: as many indicators as distinct values (2). */
	for (i = 0; i + 1 < t->ncols; i++) {
		const struct column *c = t->cols[i];
		size_t distinct = 0;
		int32_t d;

		for (d = 0; d < (int32_t)c->dict->n; d++)
			for (r = 0; r < t->nrows; r++)
				if (c->codes[r] == d) {
					distinct++;
					break;
				}
		if (distinct != 2 || out->cols[2 * i]->type != COL_FLOAT)
			bad++;
		/* y/n and missing: the pair sums to 1 or to 0. */
		for (r = 0; r < t->nrows; r++) {
			double sum = column_value(out->cols[2 * i], r) +
			    column_value(out->cols[2 * i + 1], r);
			const char *v = column_str(c, r);

			if ((v == NULL && sum != 0) || (v != NULL &&
			    (sum != 1 || column_value(out->cols[2 * i +
			    (v[0] == 'y')], r) != 1)))
				bad++;
		}
	}
	is_int((long long)bad, 0, "every vote: 2 indicators matching values");
	/* Data row 3 has handicapped-infants missing. */
	k = table_find(t, "handicapped-infants");
	ok(k == 0 && column_is_missing(t->cols[0], 2) &&
	    num(out, "handicapped-infants=n", 2) == 0 &&
	    num(out, "handicapped-infants=y", 2) == 0,
	    "a missing vote gives zeros");
	ok(num(out, "handicapped-infants=n", 0) == 1 &&
	    num(out, "water-project-cost-sharing=y", 0) == 1,
	    "row 1: n, y");
	table_free(out);
	table_free(t);
}

static void
test_ordinal(void)
{
	static const char *const s[] = { "b", "a", NULL, "c", "a" };
	static const char *const z[] = { "M", "S", "L", NULL, "S" };
	static const double x[] = { 10, 2, 10, NA, -1 };
	static const char *const s2v[] = { "a", "zz", NULL, "c", "b" };
	struct table *in = tnew(5), *out, *u;

	addnum(in, "x", COL_FLOAT, x);
	addstr(in, "s", COL_CAT, s);
	addstr(in, "z", COL_CAT, z);

	out = check_step("ordinal", "", NULL, in, 0);
	if (out != NULL) {
		is_str(names(out), "x:float,s:float,z:float",
		    "categorical columns become float codes, in place");
		ok(num(out, "s", 0) == 1 && num(out, "s", 1) == 0 &&
		    isnan(num(out, "s", 2)) && num(out, "s", 3) == 2 &&
		    num(out, "s", 4) == 0, "sorted codes; missing stays");
		ok(num(out, "z", 0) == 1 && num(out, "z", 1) == 2 &&
		    num(out, "z", 2) == 0, "L M S");
	}
	table_free(out);
	out = check_step("ordinal", "columns=z order=S,M,L", NULL, in, 0);
	if (out != NULL)
		ok(num(out, "z", 0) == 1 && num(out, "z", 1) == 0 &&
		    num(out, "z", 2) == 2 && isnan(num(out, "z", 3)),
		    "order= gives the codes");
	table_free(out);
	out = check_step("ordinal", "columns=x", NULL, in, 0);
	if (out != NULL)
		ok(num(out, "x", 0) == 2 && num(out, "x", 1) == 1 &&
		    num(out, "x", 4) == 0 && isnan(num(out, "x", 3)),
		    "numbers in numeric order: -1 2 10");
	table_free(out);
	out = check_step("ordinal", "columns=z order=S,M", NULL, in, 0);
	if (out != NULL)
		ok(isnan(num(out, "z", 2)) && num(out, "z", 0) == 1,
		    "unknown=missing: a value outside order= is missing");
	table_free(out);
	fit_error("ordinal", "columns=z order=S,M unknown=error", NULL, in,
	    "row 3: column 'z' has 'L', which is not in order=");
	fit_error("ordinal", "order=S,M,L", NULL, in, "step 'ordinal': "
	    "order= needs exactly one column, and columns='@categorical' "
	    "selects 2");
	spec_error("ordinal", "order=a,b,a", "step 'ordinal': 'a' is twice "
	    "in order=");
	spec_error("ordinal", "unknown=other", "t:1:9: bad value 'other' for "
	    "'unknown' (choices: error, missing)");
	u = tnew(5);
	addnum(u, "x", COL_FLOAT, x);
	addstr(u, "s", COL_CAT, s2v);
	addstr(u, "z", COL_CAT, z);
	apply_error("ordinal", "unknown=error", NULL, in, u,
	    "row 2: column 's' has 'zz', not seen in training");
	{
		struct step *st, *st2;
		struct table *t = table_copy(in), *v = table_copy(u);
		struct apply_ctx ctx;
		struct err e;

		st = mk("ordinal", "", NULL, &e);
		train(st, t, &e);
		st2 = reload(st, "ordinal missing");
		memset(&ctx, 0, sizeof ctx);
		ok(st2->ops->apply(st2, v, &ctx, &e) == 0 &&
		    isnan(num(v, "s", 1)) && num(v, "s", 4) == 1 &&
		    num(v, "s", 3) == 2, "unknown=missing at inference");
		step_free(st);
		step_free(st2);
		table_free(t);
		table_free(v);
	}
	table_free(u);
	{
		/* The target named: encoded, and not needed in new data. */
		struct step *st, *st2;
		struct table *t = table_copy(in), *v = table_copy(in);
		struct apply_ctx ctx;
		struct err e;

		st = mk("ordinal", "columns=z", "z", &e);
		ok(st != NULL && train(st, t, &e) == 0 &&
		    num(t, "z", 0) == 1, "the target named is encoded");
		st2 = reload(st, "ordinal target");
		table_drop_column(v, 2);
		memset(&ctx, 0, sizeof ctx);
		ok(st2->ops->apply(st2, v, &ctx, &e) == 0 &&
		    strcmp(names(v), "x:float,s:categorical") == 0,
		    "and may be absent from new data");
		step_free(st);
		step_free(st2);
		table_free(t);
		table_free(v);
		t = table_copy(in);
		v = table_copy(in);
		table_drop_column(v, 2);
		st = mk("onehot", "columns=z", "z", &e);
		ok(st != NULL && train(st, t, &e) == 0 &&
		    table_find(t, "z=L") == 2, "onehot: the target named");
		st2 = reload(st, "onehot target");
		ok(st2->ops->apply(st2, v, &ctx, &e) == 0 && v->ncols == 2,
		    "onehot: absent from new data");
		step_free(st);
		step_free(st2);
		table_free(t);
		table_free(v);
		t = table_copy(in);
		v = table_copy(in);
		table_drop_column(v, 2);
		st = mk("cast", "columns=z to=text", "z", &e);
		ok(st != NULL && train(st, t, &e) == 0,
		    "cast: the target named");
		st2 = reload(st, "cast target");
		ok(st2->ops->apply(st2, v, &ctx, &e) == 0 && v->ncols == 2,
		    "cast: absent from new data");
		step_free(st);
		step_free(st2);
		table_free(t);
		table_free(v);
	}
	table_free(in);
}

int
main(void)
{
	test_registry();
	test_select();
	test_drop();
	test_rename();
	test_cast();
	test_dedupe();
	test_sample();
	test_onehot();
	test_onehot_vote();
	test_ordinal();
	return tap_done();
}

/*
 * step-dateparts.c - numbers from date and datetime columns: for each
 * selected column COL, one float column COL_PART per requested part,
 * placed after COL (keep=true) or in its place.
 *
 * Parts (proleptic Gregorian calendar, UTC):
 *	year month day        calendar fields (month 1..12, day 1..31)
 *	weekday               0 = Monday .. 6 = Sunday (Python's weekday())
 *	dayofyear             1..366
 *	quarter               1..4
 *	hour minute           datetime columns only (a date column gets no
 *	                      hour or minute column)
 * Output names are fixed at fit (a name already taken gets _2, _3, ...)
 * and kept in the state.  Missing stays missing.  Dates use Howard
 * Hinnant's days_from_civil / civil_from_days (our own copy: table.c
 * keeps its one static).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def dateparts_params[] = {
	{ "columns", PT_COLS, "@date,@datetime", NULL, 0, 0,
	  "date and datetime columns (selector)" },
	{ "parts", PT_STRS, "year,month,day,weekday", NULL, 0, 0,
	  "year month day weekday hour minute dayofyear quarter" },
	{ "keep", PT_BOOL, "false", NULL, 0, 0,
	  "keep the original column" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

enum part {
	PART_YEAR, PART_MONTH, PART_DAY, PART_WEEKDAY, PART_HOUR,
	PART_MINUTE, PART_DAYOFYEAR, PART_QUARTER, PART__COUNT
};

static const char *const part_names[] = {
	"year", "month", "day", "weekday", "hour", "minute", "dayofyear",
	"quarter", NULL
};

/* One output column. */
struct dpout {
	size_t		 src;		/* index into cols */
	int		 part;		/* enum part */
	char		*name;
};

struct dateparts {
	size_t		 n;
	char		**cols;
	int		*datetime;	/* per column: 1 datetime, 0 date */
	struct dpout	*out;
	size_t		 nout;
	int		 keep;
};

static int	 part_find(const char *);
static void	 civil_from_days(long long, long long *, unsigned *,
		    unsigned *);
static long long days_from_civil(long long, unsigned, unsigned);
static double	 part_value(double, int, int);
static void	 dateparts_free(struct step *);
static int	 dateparts_check(struct step *, struct err *);
static int	 name_taken(const struct table *, const struct dpout *,
		    size_t, const char *);
static int	 dateparts_fit(struct step *, const struct table *,
		    struct err *);
static int	 dateparts_apply(struct step *, struct table *,
		    struct apply_ctx *, struct err *);
static void	 dateparts_describe(const struct step *, struct strbuf *);
static void	 dateparts_save(const struct step *, struct strbuf *);
static int	 dateparts_load(struct step *, const struct state *,
		    struct err *);

static int
part_find(const char *s)
{
	int i;

	for (i = 0; part_names[i] != NULL; i++)
		if (strcmp(part_names[i], s) == 0)
			return i;
	return -1;
}

/* Howard Hinnant's civil_from_days: days since 1970-01-01 -> y, m, d. */
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

/* Howard Hinnant's days_from_civil: y, m, d -> days since 1970-01-01. */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

/*
 * Part PART of value v (days for a date, seconds for a datetime); NAN
 * for missing, infinite or absurdly far values (beyond ~30 million
 * years, where the integer arithmetic would not be safe).  Integer
 * arithmetic on whole seconds: a fraction of a second never changes a
 * part.
 */
static double
part_value(double v, int datetime, int part)
{
	long long z, y, sec = 0;
	unsigned m, d;

	if (!isfinite(v) || fabs(v) > 1e15)
		return NAN;
	if (datetime) {
		sec = (long long)floor(v);
		z = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
		sec -= z * 86400;
	} else
		z = (long long)floor(v);
	switch (part) {
	case PART_HOUR:
		return (double)(sec / 3600);
	case PART_MINUTE:
		return (double)(sec % 3600 / 60);
	case PART_WEEKDAY:
		/* 1970-01-01 was a Thursday (3) */
		return (double)(((z % 7) + 7 + 3) % 7);
	default:
		break;
	}
	civil_from_days(z, &y, &m, &d);
	switch (part) {
	case PART_YEAR:
		return (double)y;
	case PART_MONTH:
		return (double)m;
	case PART_DAY:
		return (double)d;
	case PART_QUARTER:
		return (double)((m - 1) / 3 + 1);
	case PART_DAYOFYEAR:
		return (double)(z - days_from_civil(y, 1, 1) + 1);
	default:
		return NAN;
	}
}

static void
dateparts_free(struct step *s)
{
	struct dateparts *dp = s->state;
	size_t i;

	if (dp == NULL)
		return;
	strs_free(dp->cols, dp->n);
	for (i = 0; i < dp->nout; i++)
		free(dp->out[i].name);
	free(dp->out);
	free(dp->datetime);
	free(dp);
	s->state = NULL;
}

static int
dateparts_check(struct step *s, struct err *e)
{
	char **parts;
	size_t n, i, j;
	int rc = 0;

	n = params_strs(&s->params, "parts", &parts);
	for (i = 0; i < n && rc == 0; i++) {
		if (part_find(parts[i]) < 0) {
			const char *sug = suggest(parts[i], part_names);

			if (sug != NULL)
				rc = err_set(e, ERR_SPEC, "step 'dateparts': "
				    "unknown part '%s' in parts (did you mean "
				    "'%s'?)", parts[i], sug);
			else
				rc = err_set(e, ERR_SPEC, "step 'dateparts': "
				    "unknown part '%s' in parts (parts: year, "
				    "month, day, weekday, hour, minute, "
				    "dayofyear, quarter)", parts[i]);
		}
		for (j = 0; j < i && rc == 0; j++)
			if (strcmp(parts[i], parts[j]) == 0)
				rc = err_set(e, ERR_SPEC, "step 'dateparts': "
				    "part '%s' is repeated in parts",
				    parts[i]);
	}
	strs_free(parts, n);
	return rc;
}

/*
 * Is NAME taken: a column of t (even one this step drops: at apply the
 * outputs are added before it goes) or an output named so far?
 */
static int
name_taken(const struct table *t, const struct dpout *out, size_t nout,
    const char *name)
{
	size_t i;

	if (table_find(t, name) >= 0)
		return 1;
	for (i = 0; i < nout; i++)
		if (strcmp(out[i].name, name) == 0)
			return 1;
	return 0;
}

static int
dateparts_fit(struct step *s, const struct table *t, struct err *e)
{
	struct dateparts *dp;
	char **names, **parts;
	size_t n, np, i, j, *cnt = NULL;
	int rc = -1;

	dateparts_free(s);
	if (step_columns(s, "columns", t, &names, &n, e) != 0)
		return -1;
	np = params_strs(&s->params, "parts", &parts);
	dp = xcalloc(1, sizeof *dp);
	s->state = dp;
	dp->n = n;
	dp->cols = names;
	dp->keep = params_bool(&s->params, "keep");
	dp->datetime = xcalloc(n ? n : 1, sizeof *dp->datetime);
	dp->out = xcalloc(n * np + 1, sizeof *dp->out);
	cnt = xcalloc(n ? n : 1, sizeof *cnt);
	for (i = 0; i < n; i++) {
		const struct column *c = t->cols[table_find(t, names[i])];

		if (c->type != COL_DATE && c->type != COL_DATETIME) {
			err_set(e, ERR_SPEC, "column '%s' is %s, not a date or "
			    "datetime", c->name, coltype_name(c->type));
			goto out;
		}
		dp->datetime[i] = c->type == COL_DATETIME;
		for (j = 0; j < np; j++) {
			int part = part_find(parts[j]);
			char *base, *nm;
			int k;

			if (part < 0) {
				err_set(e, ERR_SPEC, "unknown part '%s'",
				    parts[j]);
				goto out;
			}
			if (!dp->datetime[i] && (part == PART_HOUR ||
			    part == PART_MINUTE))
				continue;
			base = xasprintf("%s_%s", c->name, parts[j]);
			nm = xstrdup(base);
			for (k = 2; name_taken(t, dp->out, dp->nout, nm);
			    k++) {
				free(nm);
				nm = xasprintf("%s_%d", base, k);
			}
			free(base);
			dp->out[dp->nout].src = i;
			dp->out[dp->nout].part = part;
			dp->out[dp->nout].name = nm;
			dp->nout++;
			cnt[i]++;
		}
		if (cnt[i] == 0) {
			err_set(e, ERR_SPEC, "column '%s' is a date: parts "
			    "hour and minute need a datetime", c->name);
			goto out;
		}
	}
	{
		char **w = xcalloc(dp->nout ? dp->nout : 1, sizeof *w);

		for (i = 0; i < dp->nout; i++)
			w[i] = dp->out[i].name;
		step_set_io(s, names, n, w, dp->nout);
		free(w);
	}
	rc = 0;
out:
	strs_free(parts, np);
	free(cnt);
	return rc;
}

static int
dateparts_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct dateparts *dp = s->state;
	size_t i, o, r;

	(void)ctx;
	for (o = 0; o < dp->nout; o++)
		if (table_find(t, dp->out[o].name) >= 0)
			return err_set(e, ERR_DATA, "column '%s' is already "
			    "in the data", dp->out[o].name);
	for (i = 0, o = 0; i < dp->n; i++) {
		long k = step_col(t, dp->cols[i], e);
		struct column *c;
		size_t at;

		if (k < 0)
			return -1;
		c = t->cols[k];
		if (c->type != (dp->datetime[i] ? COL_DATETIME : COL_DATE))
			return err_set(e, ERR_DATA, "column '%s' is %s now but "
			    "was %s when fitted", c->name,
			    coltype_name(c->type), dp->datetime[i] ?
			    "datetime" : "date");
		at = (size_t)k + 1;
		for (; o < dp->nout && dp->out[o].src == i; o++) {
			struct column *pc = column_new(dp->out[o].name,
			    COL_FLOAT, t->nrows);

			for (r = 0; r < t->nrows; r++)
				pc->num[r] = part_value(c->num[r],
				    dp->datetime[i], dp->out[o].part);
			table_insert_column(t, at++, pc);
		}
		if (!dp->keep)
			table_drop_column(t, (size_t)k);
	}
	return 0;
}

static void
dateparts_describe(const struct step *s, struct strbuf *sb)
{
	const struct dateparts *dp = s->state;

	strbuf_addf(sb, "dateparts %s", params_str(&s->params, "parts"));
	if (dp != NULL)
		strbuf_addf(sb, " of %zu column%s (%zu new)", dp->n,
		    dp->n == 1 ? "" : "s", dp->nout);
	else
		strbuf_addf(sb, " of %s", params_str(&s->params, "columns"));
	if (params_bool(&s->params, "keep"))
		strbuf_addstr(sb, ", keeping them");
}

static void
dateparts_save(const struct step *s, struct strbuf *sb)
{
	const struct dateparts *dp = s->state;
	size_t i;

	state_put_int(sb, "keep", dp->keep);
	state_put_strs(sb, "columns", dp->n, dp->cols);
	strbuf_addstr(sb, "datetime");
	for (i = 0; i < dp->n; i++)
		strbuf_addstr(sb, dp->datetime[i] ? " 1" : " 0");
	strbuf_addch(sb, '\n');
	for (i = 0; i < dp->nout; i++) {
		strbuf_addf(sb, "out %zu %s ", dp->out[i].src,
		    part_names[dp->out[i].part]);
		state_word(sb, dp->out[i].name);
		strbuf_addch(sb, '\n');
	}
}

static int
dateparts_load(struct step *s, const struct state *st, struct err *e)
{
	struct dateparts *dp = xcalloc(1, sizeof *dp);
	long long keep;
	double *dt;
	size_t ndt, i, k;

	s->state = dp;
	if (state_get_int(st, "keep", &keep, e) != 0 ||
	    state_get_strs(st, "columns", &dp->cols, &dp->n, e) != 0 ||
	    state_get_nums(st, "datetime", &dt, &ndt, e) != 0)
		return -1;
	dp->keep = keep != 0;
	dp->datetime = xcalloc(dp->n ? dp->n : 1, sizeof *dp->datetime);
	for (i = 0; i < ndt && i < dp->n; i++)
		dp->datetime[i] = dt[i] != 0;
	free(dt);
	if (ndt != dp->n)
		return err_set(e, ERR_DATA, "%s: %zu columns but %zu datetime "
		    "flags", st->what, dp->n, ndt);
	dp->out = xcalloc(st->n ? st->n : 1, sizeof *dp->out);
	for (k = 0; k < st->n; k++) {
		const struct state_line *l = &st->lines[k];
		struct dpout *o = &dp->out[dp->nout];
		char *end;
		unsigned long src;

		if (strcmp(l->key, "out") != 0)
			continue;
		if (l->nwords != 3)
			return err_set(e, ERR_DATA, "%s: an 'out' line needs "
			    "3 words", st->what);
		src = strtoul(l->words[0], &end, 10);
		o->part = part_find(l->words[1]);
		if (*end != '\0' || src >= dp->n || o->part < 0 ||
		    (dp->nout > 0 && src < o[-1].src))
			return err_set(e, ERR_DATA, "%s: bad 'out' line '%s "
			    "%s'", st->what, l->words[0], l->words[1]);
		o->src = src;
		o->name = xstrdup(l->words[2]);
		dp->nout++;
	}
	{
		char **w = xcalloc(dp->nout ? dp->nout : 1, sizeof *w);

		for (i = 0; i < dp->nout; i++)
			w[i] = dp->out[i].name;
		step_set_io(s, dp->cols, dp->n, w, dp->nout);
		free(w);
	}
	return 0;
}

const struct step_ops step_dateparts_ops = {
	.name = "dateparts",
	.summary = "year, month, day, weekday, hour, ... columns from dates",
	.params = dateparts_params,
	.check = dateparts_check,
	.fit = dateparts_fit,
	.apply = dateparts_apply,
	.describe = dateparts_describe,
	.save = dateparts_save,
	.load = dateparts_load,
	.free = dateparts_free,
};

/*
 * step-scale.c - rescale numeric columns, learning per column a center
 * and a scale at fit, then x' = (x - center) / scale:
 *	standard   center mean, scale population std (ddof 0)
 *	minmax     center min, scale max - min        (to [0, 1])
 *	robust     center median, scale q_high - q_low percentiles
 *	maxabs     center 0, scale max |x|
 * A zero or undefined scale becomes 1, as scikit-learn does.  Missing
 * values are ignored at fit and stay missing.  Results are float.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/stats.h"
#include "core/steps/steputil.h"
#include "core/xmalloc.h"

static const struct param_def scale_params[] = {
	{ "columns", PT_COLS, "@numeric", NULL, 0, 0,
	  "columns to scale (selector)" },
	{ "method", PT_ENUM, "standard", "standard|minmax|robust|maxabs", 0, 0,
	  "how to scale" },
	{ "q_low", PT_NUM, "25", NULL, 0, 100,
	  "robust: lower percentile of the range" },
	{ "q_high", PT_NUM, "75", NULL, 0, 100,
	  "robust: upper percentile of the range" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct scale {
	size_t		 n;
	char		**cols;
	double		*center;
	double		*scale;
};

static void
scale_free(struct step *s)
{
	struct scale *sc = s->state;

	if (sc == NULL)
		return;
	strs_free(sc->cols, sc->n);
	free(sc->center);
	free(sc->scale);
	free(sc);
	s->state = NULL;
}

static int
scale_check(struct step *s, struct err *e)
{
	if (params_num(&s->params, "q_low") >= params_num(&s->params,
	    "q_high"))
		return err_set(e, ERR_SPEC, "step 'scale': q_low must be below "
		    "q_high");
	return 0;
}

static int
scale_fit(struct step *s, const struct table *t, struct err *e)
{
	const char *method = params_str(&s->params, "method");
	struct scale *sc;
	char **names;
	size_t n, i, r;

	scale_free(s);
	if (step_columns(s, "columns", t, &names, &n, e) != 0)
		return -1;
	sc = xcalloc(1, sizeof *sc);
	s->state = sc;
	sc->n = n;
	sc->cols = names;
	sc->center = xcalloc(n ? n : 1, sizeof *sc->center);
	sc->scale = xcalloc(n ? n : 1, sizeof *sc->scale);
	for (i = 0; i < n; i++) {
		long k = step_number_col(t, names[i], e);
		const struct column *c;
		double center = 0, scale = 1;

		if (k < 0)
			return -1;
		c = t->cols[k];
		if (strcmp(method, "standard") == 0) {
			/* Two passes over the present values (numpy's var). */
			double sum = 0, ss = 0;
			size_t cnt = 0;

			for (r = 0; r < t->nrows; r++)
				if (!isnan(c->num[r])) {
					sum += c->num[r];
					cnt++;
				}
			center = cnt ? sum / (double)cnt : 0;
			for (r = 0; r < t->nrows; r++)
				if (!isnan(c->num[r])) {
					double d = c->num[r] - center;

					ss += d * d;
				}
			scale = cnt ? sqrt(ss / (double)cnt) : 1;
		} else {
			struct colstats st;

			stats_column(c, t->nrows, &st);
			free(st.values);
			if (strcmp(method, "minmax") == 0) {
				center = st.min;
				scale = st.max - st.min;
			} else if (strcmp(method, "maxabs") == 0) {
				center = 0;
				scale = fmax(fabs(st.min), fabs(st.max));
			} else {
				double *v = xmalloc((t->nrows ? t->nrows : 1) *
				    sizeof *v);
				double *tmp = xmalloc((t->nrows ? t->nrows :
				    1) * sizeof *tmp);
				size_t m = 0;

				for (r = 0; r < t->nrows; r++)
					if (!isnan(c->num[r]))
						v[m++] = c->num[r];
				stats_sort(v, tmp, m);
				center = stats_quantile(v, m, 0.5);
				scale = stats_quantile(v, m, params_num(
				    &s->params, "q_high") / 100) -
				    stats_quantile(v, m, params_num(&s->params,
				    "q_low") / 100);
				free(v);
				free(tmp);
			}
			if (st.count == 0)
				center = 0;
		}
		if (isnan(center))
			center = 0;
		if (!(scale > 0) || !isfinite(scale))
			scale = 1;
		sc->center[i] = center;
		sc->scale[i] = scale;
	}
	step_set_io(s, names, n, names, n);
	return 0;
}

static int
scale_apply(struct step *s, struct table *t, struct apply_ctx *ctx,
    struct err *e)
{
	struct scale *sc = s->state;
	size_t i, r;

	(void)ctx;
	for (i = 0; i < sc->n; i++) {
		long k = step_numcol(t, sc->cols[i], e);
		struct column *c;
		double m = sc->center[i], d = sc->scale[i];

		if (k < 0)
			return -1;
		c = t->cols[k];
		/* (x - center) / scale, as scikit-learn: same roundings */
		for (r = 0; r < t->nrows; r++)
			c->num[r] = (c->num[r] - m) / d;
		c->type = COL_FLOAT;
	}
	return 0;
}

static void
scale_describe(const struct step *s, struct strbuf *sb)
{
	const struct scale *sc = s->state;

	strbuf_addf(sb, "scale %s", params_str(&s->params, "method"));
	if (sc != NULL)
		strbuf_addf(sb, " on %zu column%s", sc->n, sc->n == 1 ? "" :
		    "s");
	else
		strbuf_addf(sb, " on %s", params_str(&s->params, "columns"));
}

static void
scale_save(const struct step *s, struct strbuf *sb)
{
	const struct scale *sc = s->state;

	state_put_strs(sb, "columns", sc->n, sc->cols);
	state_put_nums(sb, "center", sc->n, sc->center);
	state_put_nums(sb, "scale", sc->n, sc->scale);
}

static int
scale_load(struct step *s, const struct state *st, struct err *e)
{
	struct scale *sc = xcalloc(1, sizeof *sc);
	size_t nc, ns;

	s->state = sc;
	if (state_get_strs(st, "columns", &sc->cols, &sc->n, e) != 0 ||
	    state_get_nums(st, "center", &sc->center, &nc, e) != 0 ||
	    state_get_nums(st, "scale", &sc->scale, &ns, e) != 0)
		return -1;
	if (nc != sc->n || ns != sc->n)
		return err_set(e, ERR_DATA, "%s: %zu columns but %zu centers "
		    "and %zu scales", st->what, sc->n, nc, ns);
	step_set_io(s, sc->cols, sc->n, sc->cols, sc->n);
	return 0;
}

const struct step_ops step_scale_ops = {
	.name = "scale",
	.summary = "rescale numeric columns (standard, minmax, robust, "
	    "maxabs)",
	.params = scale_params,
	.check = scale_check,
	.fit = scale_fit,
	.apply = scale_apply,
	.describe = scale_describe,
	.save = scale_save,
	.load = scale_load,
	.free = scale_free,
};

/*
 * model-linear-svm.c - linear support vector classifier ("linear_svm"),
 * as scikit-learn 1.2's LinearSVC with its defaults (penalty='l2',
 * loss='squared_hinge', dual=True, intercept_scaling=1), through
 * liblinear's solver L2R_L2LOSS_SVC_DUAL:
 *
 *	minimise (1/2) ||(w, b)||^2 + C * sum_i c_i max(0, 1 - y_i (w.x_i + b))^2
 *
 * with y_i = +1 / -1 and c_i the class weight of row i (1 without
 * class_weight).  As in scikit-learn (and liblinear), the intercept is
 * the weight of an extra feature that is 1 in every row
 * (intercept_scaling = 1), so it is penalised like the other weights.
 * Two classes: one problem, class 1 (the second label) positive
 * (weights C c_1 and C c_0).  Three or more: one-vs-rest, one problem
 * per class k with class k positive (weight C c_k) and every other row
 * negative (weight C, as liblinear does for the rest in its
 * one-vs-rest).  The decision value
 * of class k is w_k.x + b_k; predict takes the class with the largest
 * (two classes: class 1 when the value is > 0).  There are no
 * probabilities (predict_proba is NULL).
 *
 * liblinear's dual coordinate descent visits the rows in an order it
 * shuffles with rand(): srand(seed) is called under a mutex held for the
 * whole training, so a seed gives the same model.  scikit-learn seeds
 * its own copy of liblinear with a different generator, so the weights
 * agree with its to the solver's tolerance (tol, liblinear's eps), not
 * bit for bit.  liblinear 2.3 (the version linked) stops its dual solver
 * after 1000 passes over the data and has no setting for it: max_iter
 * accepts only 1000 (scikit-learn's default); describe says when the
 * limit was reached.
 *
 * This file also holds the liblinear glue that model-logistic.c uses for
 * penalty=l1 (liblinear_ovr below): the fmat's rows become liblinear's
 * sparse rows (struct feature_node: zeros left out, as scikit-learn's
 * conversion does; an indicator group (one-hot output) gives at most
 * one node per row; the bias node last: 16 bytes per nonzero, about
 * twice the dense numbers), and liblinear's printing goes to a function
 * that only reads the iteration count and the iteration limit warning.
 * liblinear cannot be interrupted: cancellation is polled between the
 * one-vs-rest problems.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * liblinear's header names its model "struct model", as lathe's
 * model.h does: rename its tag for this file (same layout, same ABI).
 */
#define model liblinear_model
#include <linear.h>
#undef model

#include "core/model.h"
#include "core/xmalloc.h"

/* Shared with model-logistic.c (no header of its own). */
int	liblinear_ovr(const struct fmat *, const struct target *, int solver,
	    double C, double eps, const double *cw, unsigned seed,
	    const struct model_ctx *, double *W, long *iter, int *maxed,
	    struct err *);

#define SVM_BLK		4096	/* rows per block in predict */

static const struct param_def svm_params[] = {
	{ "C", PT_NUM, "1", NULL, 0, 1e300,
	  "inverse regularisation strength (> 0)" },
	{ "tol", PT_NUM, "1e-4", NULL, 0, 1e300,
	  "liblinear's stopping tolerance (eps) of the dual problem" },
	{ "max_iter", PT_INT, "1000", NULL, 1, 1e9,
	  "passes of the dual solver: fixed at 1000 by liblinear 2.3" },
	{ "class_weight", PT_ENUM, "none", "none|balanced", 0, 0,
	  "balanced: weight class k by n / (classes * rows of k)" },
	{ "seed", PT_INT, "0", NULL, 0, 4294967295.0,
	  "seed of liblinear's shuffling" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct svm {
	size_t		 p;
	size_t		 nw;		/* weight vectors: 1 or classes */
	double		*coef;		/* nw x p */
	double		*icpt;		/* nw */
	long		 n_iter;	/* liblinear's, largest over problems */
	int		 maxed;		/* hit liblinear's iteration limit */
};

/* ------------------------------------------------- liblinear glue --- */

/* liblinear is not reentrant (rand(), its print function): one at once. */
static pthread_mutex_t liblinear_lock = PTHREAD_MUTEX_INITIALIZER;
static long liblinear_iter;		/* under liblinear_lock */
static int liblinear_maxed;

/* liblinear's messages: keep the iteration count and the warning. */
static void
liblinear_print(const char *s)
{
	const char *q;

	if ((q = strstr(s, "#iter = ")) != NULL) {
		long it = strtol(q + 8, NULL, 10);

		if (it > liblinear_iter)
			liblinear_iter = it;
	}
	if (strstr(s, "WARNING: reaching max number of") != NULL)
		liblinear_maxed = 1;
}

/*
 * X's rows as liblinear rows: feature j is index j + 1, the bias
 * feature (value 1) index p + 1, zeros left out, indices ascending.
 */
static struct feature_node **
liblinear_rows(const struct fmat *X, struct feature_node **space)
{
	size_t n = X->n, p = X->p, r, j, g, cnt = 0;
	struct feature_node **rows, *f;
	size_t *num, nnum = 0;

	num = xmalloc((p + 1) * sizeof *num);
	for (j = 0; j < p; j++)
		if (X->cols[j].kind == FC_NUM)
			num[nnum++] = j;
	/* Count: nonzero numbers, one node per group at most, 2 more. */
	for (r = 0; r < n; r++) {
		for (j = 0; j < nnum; j++)
			cnt += X->cols[num[j]].num[r] != 0;
		for (g = 0; g < X->ngroups; g++) {
			const struct fgroup *gr = &X->groups[g];
			int32_t c = gr->idx[r];

			cnt += c >= 0 && c < gr->ncodes && gr->feat[c] >= 0;
		}
		cnt += 2;
	}
	rows = xmalloc((n + 1) * sizeof *rows);
	f = *space = xmalloc((cnt + 1) * sizeof *f);
	for (r = 0; r < n; r++) {
		struct feature_node *start = f, *q;

		rows[r] = f;
		for (j = 0; j < nnum; j++) {
			double v = X->cols[num[j]].num[r];

			if (v != 0) {
				f->index = (int)num[j] + 1;
				f->value = v;
				f++;
			}
		}
		for (g = 0; g < X->ngroups; g++) {
			const struct fgroup *gr = &X->groups[g];
			int32_t c = gr->idx[r];
			int k;

			if (c < 0 || c >= gr->ncodes || gr->feat[c] < 0)
				continue;
			k = gr->feat[c] + 1;
			/* Insert in index order. */
			for (q = f; q > start && q[-1].index > k; q--)
				q[0] = q[-1];
			q->index = k;
			q->value = 1;
			f++;
		}
		f->index = (int)p + 1;
		f->value = 1;
		f++;
		f->index = -1;
		f->value = 0;
		f++;
	}
	free(num);
	return rows;
}

/*
 * Train liblinear's SOLVER (L1R_LR, L2R_L2LOSS_SVC_DUAL, ...) on X, y
 * with the bias feature: two classes give one problem (class 1
 * positive), more give one problem per class (one-vs-rest).  W gets nw
 * rows of p + 1 numbers: the weights, then the bias weight (the
 * intercept, intercept_scaling being 1).  cw: per-class weights or
 * NULL.  *iter gets the largest iteration count liblinear reported,
 * *maxed whether a problem hit its iteration limit.
 */
int
liblinear_ovr(const struct fmat *X, const struct target *y, int solver,
    double C, double eps, const double *cw, unsigned seed,
    const struct model_ctx *ctx, double *W, long *iter, int *maxed,
    struct err *e)
{
	size_t n = X->n, p = X->p, K = y->nclasses, nw = K == 2 ? 1 : K;
	size_t k, r, j;
	struct feature_node *space, **rows;
	struct problem prob;
	struct parameter par;
	int wlab[2] = { 1, -1 }, rc = 0;
	double wts[2], *yv;
	const char *msg;

	if (n > 2147483647 || p >= 2147483647)
		return err_set(e, ERR_DATA, "liblinear takes at most 2^31 - 1 "
		    "rows and features");
	rows = liblinear_rows(X, &space);
	yv = xmalloc((n + 1) * sizeof *yv);
	memset(&prob, 0, sizeof prob);
	prob.l = (int)n;
	prob.n = (int)p + 1;
	prob.y = yv;
	prob.x = rows;
	prob.bias = 1;
	memset(&par, 0, sizeof par);
	par.solver_type = solver;
	par.eps = eps;
	par.C = C;
	par.nr_weight = 2;
	par.weight_label = wlab;
	par.weight = wts;
	par.p = 0.1;
	par.init_sol = NULL;
	*iter = 0;
	*maxed = 0;
	pthread_mutex_lock(&liblinear_lock);
	set_print_string_function(liblinear_print);
	srand(seed);
	liblinear_iter = 0;
	liblinear_maxed = 0;
	for (k = 0; k < nw; k++) {
		size_t pos = nw == 1 ? 1 : k;
		struct liblinear_model *lm;
		double sign;

		if (model_cancelled(ctx)) {
			rc = err_set(e, ERR_CANCEL, "cancelled");
			break;
		}
		for (r = 0; r < n; r++)
			yv[r] = (size_t)y->cls[r] == pos ? 1 : -1;
		wts[0] = cw != NULL ? cw[pos] : 1;
		wts[1] = cw != NULL && nw == 1 ? cw[0] : 1;
		if ((msg = check_parameter(&prob, &par)) != NULL) {
			rc = err_set(e, ERR_SPEC, "liblinear: %s", msg);
			break;
		}
		lm = train(&prob, &par);
		if (lm == NULL || lm->w == NULL) {
			rc = err_set(e, ERR_FAIL, "liblinear: training failed");
			if (lm != NULL)
				free_and_destroy_model(&lm);
			break;
		}
		/* liblinear's first label is its positive side. */
		sign = lm->nr_class == 2 && lm->label[0] == -1 ? -1 : 1;
		for (j = 0; j <= p; j++)
			W[k * (p + 1) + j] = sign * lm->w[j];
		free_and_destroy_model(&lm);
		model_progress(ctx, (double)(k + 1) / (double)nw);
	}
	*iter = liblinear_iter;
	*maxed = liblinear_maxed;
	pthread_mutex_unlock(&liblinear_lock);
	free(yv);
	free(rows);
	free(space);
	return rc;
}

/*
 * Decision values of rows [from, to) for nw weight vectors (coef: nw x p,
 * icpt: nw): z[k * (to - from) + r - from] = icpt[k] + coef[k] . x_r.
 */
static void
linear_decision(const struct fmat *X, const double *coef, const double *icpt,
    size_t nw, size_t from, size_t to, double *z)
{
	size_t k, nb = to - from;

	for (k = 0; k < nw; k++)
		fmat_xw(X, coef + k * X->p, icpt[k], from, to, z + k * nb);
}

/* ------------------------------------------------------------ svm --- */

static void
svm_free(struct model *m)
{
	struct svm *s = m->state;

	if (s == NULL)
		return;
	free(s->coef);
	free(s->icpt);
	free(s);
	m->state = NULL;
}

static int
svm_check(struct model *m, struct err *e)
{
	if (!(params_num(&m->params, "C") > 0))
		return err_set(e, ERR_SPEC, "model 'linear_svm': C must be "
		    "greater than 0");
	if (!(params_num(&m->params, "tol") > 0))
		return err_set(e, ERR_SPEC, "model 'linear_svm': tol must be "
		    "greater than 0");
	if (params_int(&m->params, "max_iter") != 1000)
		return err_set(e, ERR_SPEC, "model 'linear_svm': max_iter is "
		    "fixed at 1000 by the linked liblinear 2.3 (its dual "
		    "solver has no setting for it)");
	return 0;
}

static int
svm_fit(struct model *m, const struct fmat *X, const struct target *y,
    const struct model_ctx *ctx, struct err *e)
{
	size_t p = X->p, K = y->nclasses, nw = K == 2 ? 1 : K, k, j;
	double *W, *cw;
	struct svm *s;
	long iter;
	int maxed;

	if (svm_check(m, e) != 0 ||
	    fmat_check_numeric(X, 0, "model 'linear_svm'", e) != 0)
		return -1;
	model_progress(ctx, 0);
	cw = target_class_weights(params_str(&m->params, "class_weight"), y);
	W = xmalloc(nw * (p + 1) * sizeof *W);
	if (liblinear_ovr(X, y, L2R_L2LOSS_SVC_DUAL,
	    params_num(&m->params, "C"), params_num(&m->params, "tol"), cw,
	    (unsigned)params_int(&m->params, "seed"), ctx, W, &iter, &maxed,
	    e) != 0) {
		free(W);
		free(cw);
		return -1;
	}
	free(cw);
	s = xcalloc(1, sizeof *s);
	s->p = p;
	s->nw = nw;
	s->coef = xmalloc((nw * p + 1) * sizeof *s->coef);
	s->icpt = xmalloc(nw * sizeof *s->icpt);
	for (k = 0; k < nw; k++) {
		for (j = 0; j < p; j++)
			s->coef[k * p + j] = W[k * (p + 1) + j];
		s->icpt[k] = W[k * (p + 1) + p];
	}
	free(W);
	s->n_iter = iter;
	s->maxed = maxed;
	svm_free(m);
	m->state = s;
	model_progress(ctx, 1);
	return 0;
}

static int
svm_predict(const struct model *m, const struct fmat *X, double *out,
    struct err *e)
{
	const struct svm *s = m->state;
	size_t n = X->n, nw = s->nw, from, r, k;
	double *z;

	if (model_check_features(m, X, e) != 0 ||
	    fmat_check_numeric(X, 0, "model 'linear_svm'", e) != 0)
		return -1;
	if (nw == 1) {
		if (n > 0)
			linear_decision(X, s->coef, s->icpt, 1, 0, n, out);
		for (r = 0; r < n; r++)
			out[r] = out[r] > 0 ? 1 : 0;
		return 0;
	}
	z = xmalloc(nw * SVM_BLK * sizeof *z);
	for (from = 0; from < n; from += SVM_BLK) {
		size_t nb = n - from < SVM_BLK ? n - from : SVM_BLK;

		linear_decision(X, s->coef, s->icpt, nw, from, from + nb, z);
		for (r = 0; r < nb; r++) {
			size_t best = 0;

			for (k = 1; k < nw; k++)
				if (z[k * nb + r] > z[best * nb + r])
					best = k;
			out[from + r] = (double)best;
		}
	}
	free(z);
	return 0;
}

static const char *
svm_importances(const struct model *m, double *out)
{
	const struct svm *s = m->state;
	size_t j, k;

	if (s->nw == 1) {
		memcpy(out, s->coef, s->p * sizeof *out);
		return "coefficient";
	}
	for (j = 0; j < s->p; j++) {
		out[j] = 0;
		for (k = 0; k < s->nw; k++)
			out[j] += fabs(s->coef[k * s->p + j]);
		out[j] /= (double)s->nw;
	}
	return "mean |coefficient|";
}

static void
svm_describe(const struct model *m, struct strbuf *sb)
{
	const struct svm *s = m->state;

	strbuf_addf(sb, "linear_svm C=%g", params_num(&m->params, "C"));
	if (params_given(&m->params, "tol"))
		strbuf_addf(sb, " tol=%g", params_num(&m->params, "tol"));
	if (strcmp(params_str(&m->params, "class_weight"), "none") != 0)
		strbuf_addstr(sb, " class_weight=balanced");
	if (s == NULL)
		return;
	if (s->nw == 1)
		strbuf_addf(sb, ": binary, %zu coefficient%s, intercept %g",
		    s->p, s->p == 1 ? "" : "s", s->icpt[0]);
	else
		strbuf_addf(sb, ": %zu classes (one-vs-rest), %zu x %zu "
		    "coefficients", s->nw, s->nw, s->p);
	if (s->maxed)
		strbuf_addf(sb, " (not converged: liblinear stopped after "
		    "%ld iterations; raise tol or scale the features)",
		    s->n_iter);
	else
		strbuf_addf(sb, ", %ld iteration%s", s->n_iter,
		    s->n_iter == 1 ? "" : "s");
}

static void
svm_save(const struct model *m, struct strbuf *sb)
{
	const struct svm *s = m->state;

	state_put_nums(sb, "coef", s->nw * s->p, s->coef);
	state_put_nums(sb, "intercept", s->nw, s->icpt);
	state_put_int(sb, "n_iter", s->n_iter);
	state_put_int(sb, "maxed", s->maxed);
}

static int
svm_load(struct model *m, const struct state *st, struct err *e)
{
	struct svm *s = xcalloc(1, sizeof *s);
	size_t nc;
	long long it, mx;

	m->state = s;
	if (state_get_nums(st, "coef", &s->coef, &nc, e) != 0 ||
	    state_get_nums(st, "intercept", &s->icpt, &s->nw, e) != 0 ||
	    state_get_int(st, "n_iter", &it, e) != 0 ||
	    state_get_int(st, "maxed", &mx, e) != 0)
		return -1;
	s->p = m->nfeat;
	s->n_iter = (long)it;
	s->maxed = mx != 0;
	if (s->nw != (m->nclasses == 2 ? 1 : m->nclasses) ||
	    nc != s->nw * s->p)
		return err_set(e, ERR_DATA, "%s: %zu coefficients and %zu "
		    "intercepts for %zu features and %zu classes", st->what,
		    nc, s->nw, m->nfeat, m->nclasses);
	return 0;
}

const struct model_ops model_linear_svm_ops = {
	.name = "linear_svm",
	.summary = "linear support vector classifier: squared hinge loss, "
	    "L2 penalty (liblinear)",
	.task = TASK_CLASSIFY,
	.accepts_cat = 0,
	.params = svm_params,
	.check = svm_check,
	.fit = svm_fit,
	.predict = svm_predict,
	.predict_proba = NULL,
	.importances = svm_importances,
	.describe = svm_describe,
	.save = svm_save,
	.load = svm_load,
	.free = svm_free,
};

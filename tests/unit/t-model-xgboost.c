/*
 * t-model-xgboost.c - unit tests for the XGBoost models
 * (core/models/model-xgboost.c: xgboost_classifier, xgboost_regressor).
 *
 * Against the Python package of the same XGBoost (1.7.4), trained with
 * the same parameters, seed and nthread=1 (tests/tools/gen-model-xgboost.py
 * wrote the constants below): binary (breast_cancer, standardised),
 * regression (diabetes), three classes with every parameter off its
 * default and the exact method (iris), and missing values with the
 * approx method (diabetes with holes).  Predictions and probabilities
 * agree to 1e-6 (they are the same floats), labels exactly, importances
 * ("gain", normalised) to 1e-9.  Then the inference contract: save ->
 * load -> predict gives the same bits, also from two threads at once;
 * determinism for a seed; indicator columns; a feature with nothing to
 * split; errors (categorical column, infinite or too large values, bad
 * parameters, damaged state, other features); cancellation and
 * progress.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/load.h"
#include "core/model.h"
#include "core/state.h"
#include "core/strbuf.h"
#include "core/table.h"
#include "core/xmalloc.h"
#include "tap.h"
#include "testutil.h"

extern const struct model_ops model_xgboost_classifier_ops,
    model_xgboost_regressor_ops;

#define STEP	8	/* the generator's row step */

/* Written by tests/tools/gen-model-xgboost.py (xgboost 1.7.4). */
static const double bc_pred[] = {
	0.9950163960456848, 0.9970780611038208, 0.9999191761016846,
	0.9998297691345215, 0.9997135996818542, 0.940878689289093,
	0.0018533177208155394, 0.999728262424469, 0.9996490478515625,
	0.999822199344635, 0.002565620467066765, 0.004002353176474571,
	0.00020739389583468437, 8.573690138291568e-05, 0.023312462493777275,
	0.002354369265958667, 0.0225705374032259, 0.009728177450597286,
	0.00023037861683405936, 0.03440508991479874, 0.0028789187781512737,
	0.9998292922973633, 0.0009096624562516809, 0.9823874235153198,
	0.0022468133829534054, 0.001700680237263441, 0.011643019504845142,
	0.002011368051171303, 0.003125625429674983, 0.007773831952363253,
	0.00038755149580538273, 0.02347477711737156, 0.999040424823761,
	0.999881386756897, 0.9995322227478027, 0.9998376369476318,
	0.0017305879155173898, 0.00015632272697985172, 0.00011094075307482854,
	0.0002991807705257088, 0.0004481511132325977, 0.99982750415802,
	0.00017870527517516166, 0.000622917665168643, 0.9994600415229797,
	0.001099553075619042, 0.9997126460075378, 0.0030001169070601463,
	0.00029863903182558715, 0.9997194409370422, 0.9997597336769104,
	0.9998289346694946, 0.007448252756148577, 0.00793690886348486,
	0.9998031258583069, 0.015136776491999626, 0.0064570046961307526,
	0.07369846850633621, 0.0006555207073688507, 0.01536827813833952,
	0.0005435406346805394, 0.00044365404755808413, 0.0302279032766819,
	0.03222137317061424, 0.9991082549095154, 0.002516270149499178,
	0.0164096187800169, 0.8297786116600037, 0.0011602925369516015,
	0.00996360182762146, 0.03969012200832367, 0.00805671140551567,
};
static const double bc_sum =
    215.18429931727587;
static const double bc_imp[] = {
	0.02203287649793585, 0.021694470999640517, 0.0, 0.007718987007946817,
	0.0034032407269840035, 0.0036646086878145043, 0.01250862969466833,
	0.10348834027030551, 0.0005771320340564368, 0.003373831430196846,
	0.010417489994778317, 0.0, 0.00831407834956377, 0.005939361630008489,
	0.002236484198644838, 0.004195807833329304, 0.0, 0.029785297842626138,
	0.0014249989713264106, 0.003951087461582938, 0.08880625939072405,
	0.01462891797206939, 0.5528118995668321, 0.015328295399711294,
	0.02580776456628751, 0.011291415593569465, 0.006607244818863935,
	0.032376226919041115, 0.0029752265820362726, 0.004640025559455852,
};
static const char bc_class[] =
	"1111111111111111111000111111111111111011111111010000011011000010"
	"1100001011010110001101110001001100011000010010000000011101100011"
	"0101101100100100001000000000100001101001100110000100111010100010"
	"0110111101110101001011110011000100000110010011010000100000101111"
	"1111111111000000101001001011000000000000010010100000000000000100"
	"0101000011100001010100010000000111000000000001101110110000010000"
	"0100010011000000100000001000001001000000000000101101000001001010"
	"0101000000001100000010000000000100000001010110000011010100000100"
	"101011000100000000000101100001000000000000000000001111110";
static const double db_pred[] = {
	151.14495849609375, 110.01703643798828, 165.9088134765625,
	183.9462127685547, 340.88958740234375, 100.08775329589844,
	75.17206573486328, 52.26111602783203, 71.29841613769531,
	202.00262451171875, 143.19581604003906, 42.04669952392578,
	150.4929962158203, 95.02127075195312, 245.86907958984375,
	199.26019287109375, 114.86270141601562, 85.02893829345703,
	173.99783325195312, 291.915771484375, 53.34806442260742,
	268.0404357910156, 237.14801025390625, 264.6249084472656,
	91.08195495605469, 158.1519775390625, 155.29364013671875,
	248.00462341308594, 76.8357162475586, 258.3106384277344,
	274.9627990722656, 257.8647155761719, 346.0028076171875,
	145.22621154785156, 181.8944549560547, 264.8511047363281,
	79.94646453857422, 88.9765853881836, 252.95835876464844,
	144.05372619628906, 122.0864028930664, 78.19217681884766,
	306.0155944824219, 200.14700317382812, 42.48508834838867,
	190.61111450195312, 215.6716766357422, 198.31488037109375,
	163.26339721679688, 96.71115112304688, 96.63844299316406,
	213.9815673828125, 167.6778106689453, 143.92103576660156,
	212.69015502929688, 100.9289779663086,
};
static const double db_sum =
    66595.58885574341;
static const double db_imp[] = {
	0.02588743675661774, 0.0628319134926825, 0.14122504193264132,
	0.08198297793159218, 0.05518629194045063, 0.04324242396350623,
	0.07227367309826435, 0.021851726377392796, 0.431040095905816,
	0.06447841860103627,
};
static const double iris_pred[] = {
	0.8614177107810974, 0.07193269580602646, 0.06664961576461792,
	0.8614177107810974, 0.07193269580602646, 0.06664961576461792,
	0.8614177107810974, 0.07193269580602646, 0.06664961576461792,
	0.8614177107810974, 0.07193269580602646, 0.06664961576461792,
	0.8614177107810974, 0.07193269580602646, 0.06664961576461792,
	0.8614177107810974, 0.07193269580602646, 0.06664961576461792,
	0.8614177107810974, 0.07193269580602646, 0.06664961576461792,
	0.06866170465946198, 0.8225877285003662, 0.1087505966424942,
	0.0714067593216896, 0.8554742932319641, 0.0731189176440239,
	0.08336903899908066, 0.7303734421730042, 0.1862575113773346,
	0.0712374895811081, 0.853446364402771, 0.0753161609172821,
	0.0714067593216896, 0.8554742932319641, 0.0731189176440239,
	0.0714067593216896, 0.8554742932319641, 0.0731189176440239,
	0.06640546768903732, 0.07565686106681824, 0.8579376339912415,
	0.06640546768903732, 0.07565686106681824, 0.8579376339912415,
	0.06739737093448639, 0.07678695768117905, 0.8558157086372375,
	0.06640546768903732, 0.07565686106681824, 0.8579376339912415,
	0.06739737093448639, 0.07678695768117905, 0.8558157086372375,
	0.06739737093448639, 0.07678695768117905, 0.8558157086372375,
};
static const double iris_sum =
    150.0000004172325;
static const double iris_imp[] = {
	0.022199935802309546, 0.017273464184541523, 0.4977955487844201,
	0.4627310512287288,
};
static const char iris_class[] =
	"0000000000000000000000000000000000000000000000000011111111111111"
	"1111112111111211111211111111111111112222221222222222222222222222"
	"2222222222222222222222";
static const double na_pred[] = {
	155.45790100097656, 106.9071044921875, 165.140869140625,
	185.4156951904297, 338.1794128417969, 116.96217346191406,
	76.16262817382812, 63.411746978759766, 81.54341125488281,
	192.95257568359375, 147.94236755371094, 42.0964469909668,
	153.24935913085938, 91.8187255859375, 243.88206481933594,
	192.41940307617188, 126.72093963623047, 82.83710479736328,
	173.68353271484375, 284.3730163574219, 63.531192779541016,
	265.8291015625, 238.5174102783203, 252.5081787109375, 91.46491241455078,
	159.15980529785156, 155.96340942382812, 252.4447021484375,
	80.99591064453125, 254.0951385498047, 262.0582580566406,
	259.5467529296875, 335.8617858886719, 148.71934509277344,
	180.9819793701172, 248.0943145751953, 80.90674591064453,
	88.85649871826172, 249.72027587890625, 139.6932373046875,
	131.68994140625, 84.71224975585938, 296.80450439453125,
	197.58001708984375, 73.09455108642578, 274.2840881347656,
	135.0928497314453, 123.40518188476562, 75.19916534423828,
	115.21814727783203, 172.63433837890625, 191.45657348632812,
	254.8580322265625, 128.24229431152344, 185.83697509765625,
	206.55831909179688,
};
static const double na_sum =
    67217.01904678345;
static const double na_imp[] = {
	0.031131433414832304, 0.05560519588527619, 0.18401574763764642,
	0.06908283928891774, 0.052277287729879024, 0.05201485356375151,
	0.07419301520260017, 0.07648842635575964, 0.33942523331290614,
	0.06576596760843087,
};

static struct model *
mkmodel(const struct model_ops *ops, const char *args, struct err *e)
{
	return tu_model(ops, args, "model", 1, e);
}

/*
 * Standardise every column but the target in place: population std,
 * sums taken row by row (the generator does the same in Python).
 */
static void
standardise(struct table *t, const char *target)
{
	size_t i, r, n = t->nrows;

	for (i = 0; i < t->ncols; i++) {
		double *x = t->cols[i]->num, s = 0, mean, sd;

		if (strcmp(t->cols[i]->name, target) == 0)
			continue;
		for (r = 0; r < n; r++)
			s += x[r];
		mean = s / (double)n;
		s = 0;
		for (r = 0; r < n; r++)
			s += (x[r] - mean) * (x[r] - mean);
		sd = sqrt(s / (double)n);
		for (r = 0; r < n; r++)
			x[r] = (x[r] - mean) / sd;
	}
}

/* Fit m on the first ntrain rows of t. */
static int
fit_rows(struct model *m, const struct table *t, const char *target,
    size_t ntrain, const struct model_ctx *ctx, struct err *e)
{
	struct fmat X;
	struct target y;
	long ti = table_find(t, target);
	int rc;

	err_clear(e);
	if (fmat_from_table(&X, t, target, e) != 0)
		return -1;
	X.n = ntrain;
	if (target_from_column(&y, t->cols[ti], ntrain, m->ops->task,
	    e) != 0) {
		fmat_release(&X);
		return -1;
	}
	rc = model_fit(m, &X, &y, ctx, e);
	target_release(&y);
	fmat_release(&X);
	return rc;
}

static int
fit_all(struct model *m, const struct table *t, const char *target,
    struct err *e)
{
	struct model_ctx ctx = { 1, NULL, NULL, NULL };

	return fit_rows(m, t, target, t->nrows, &ctx, e);
}

/* n x width outputs of m on all rows of t: proba (width k) or predict. */
static double *
outputs(const struct model *m, const struct table *t, const char *target,
    int proba, struct err *e)
{
	struct fmat X;
	size_t w = proba ? m->nclasses : 1;
	double *out;
	int rc;

	err_clear(e);
	if (fmat_from_table(&X, t, target, e) != 0)
		return NULL;
	out = xmalloc((t->nrows * w + 1) * sizeof *out);
	rc = proba ? m->ops->predict_proba(m, &X, out, e) :
	    m->ops->predict(m, &X, out, e);
	fmat_release(&X);
	if (rc != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* A fresh model of the same type and parameters, loaded from m's save. */
static struct model *
reload(const struct model *m, struct strbuf *text, struct err *e)
{
	struct model *m2 = model_new(m->ops);
	struct state st;

	strbuf_reset(text);
	model_save(m, text);
	err_clear(e);
	params_copy(&m2->params, &m->params);
	if (state_parse(&st, strbuf_str(text), "model", e) != 0 ||
	    model_load(m2, &st, e) != 0) {
		state_release(&st);
		model_free(m2);
		return NULL;
	}
	state_release(&st);
	return m2;
}

/* The expected values of one case: every STEP-th row, the sum. */
static void
check_case(const char *name, const struct model *m, const struct table *t,
    const char *target, const double *want, size_t nwant, double sum,
    const double *imp, const char *classes)
{
	struct err e;
	int cls = m->ops->task == TASK_CLASSIFY;
	size_t n = t->nrows, k = cls ? m->nclasses : 1, r, c, i, bad = 0;
	double *out = outputs(m, t, target, cls, &e), *lab, *w, s = 0, dmax = 0;
	char msg[128];

	if (!ok(out != NULL, "%s: predict runs", name)) {
		printf("# %s\n", e.msg);
		return;
	}
	/* Binary: XGBoost's p is the second column. */
	for (i = 0, r = 0; r < n; r += STEP)
		for (c = k == 2 ? 1 : 0; c < k; c++, i++)
			if (i < nwant) {
				double d = fabs(out[r * k + c] - want[i]);

				if (d > 1e-6 * fmax(1, fabs(want[i])))
					bad++;
				dmax = fmax(dmax, d);
			}
	ok(i == nwant && bad == 0, "%s: %zu values as Python xgboost "
	    "(largest difference %.3g)", name, nwant, dmax);
	for (r = 0; r < n; r++)
		for (c = k == 2 ? 1 : 0; c < k; c++)
			s += out[r * k + c];
	snprintf(msg, sizeof msg, "%s: sum over all %zu rows", name, n);
	is_double(s, sum, 1e-9, msg);
	if (k == 2) {
		for (r = 0; r < n; r++)
			if (out[2 * r] != 1 - out[2 * r + 1])
				break;
		ok(r == n, "%s: probabilities are [1 - p, p]", name);
	}
	if (classes != NULL) {
		char *got = xmalloc(n + 1);

		lab = outputs(m, t, target, 0, &e);
		for (r = 0; r < n && lab != NULL; r++)
			got[r] = (char)('0' + (int)lab[r]);
		got[n] = '\0';
		snprintf(msg, sizeof msg, "%s: predicted classes", name);
		is_str(lab != NULL ? got : NULL, classes, msg);
		free(lab);
		free(got);
	}
	w = xmalloc(m->nfeat * sizeof *w);
	is_str(m->ops->importances(m, w), "importance", "importances: kind");
	for (bad = 0, dmax = 0, i = 0; i < m->nfeat; i++) {
		dmax = fmax(dmax, fabs(w[i] - imp[i]));
		bad += !(fabs(w[i] - imp[i]) <= 1e-9);
	}
	ok(bad == 0, "%s: gain importances as Python (largest difference "
	    "%.3g)", name, dmax);
	free(w);
	free(out);
}

/* Save -> load -> predict and predict_proba: the same bits. */
static void
check_roundtrip(const char *name, const struct model *m,
    const struct table *t, const char *target)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct model *m2;
	struct err e;
	int cls = m->ops->task == TASK_CLASSIFY;
	size_t n = t->nrows, k = cls ? m->nclasses : 1, lines = 0, i;
	double *p1, *p2, *q1, *q2;

	m2 = reload(m, &a, &e);
	if (!ok(m2 != NULL, "%s: saved state loads", name)) {
		printf("# %s\n", e.msg);
		strbuf_release(&a);
		return;
	}
	for (i = 0; i < a.len; i++)
		lines += a.buf[i] == '\n';
	ok(lines == (cls ? 3u : 2u) && strstr(a.buf, "\nbooster {") != NULL,
	    "%s: state is features, %sone booster line", name,
	    cls ? "classes, " : "");
	model_save(m2, &b);
	is_str(b.buf, a.buf, "save -> load -> save: same text");
	p1 = outputs(m, t, target, 0, &e);
	p2 = outputs(m2, t, target, 0, &e);
	ok(p1 != NULL && p2 != NULL && memcmp(p1, p2, n * sizeof *p1) == 0,
	    "%s: save -> load -> predict bit-identical", name);
	if (cls) {
		q1 = outputs(m, t, target, 1, &e);
		q2 = outputs(m2, t, target, 1, &e);
		ok(q1 != NULL && q2 != NULL && memcmp(q1, q2, n * k *
		    sizeof *q1) == 0, "%s: save -> load -> predict_proba "
		    "bit-identical", name);
		free(q1);
		free(q2);
	}
	free(p1);
	free(p2);
	model_free(m2);
	strbuf_release(&a);
	strbuf_release(&b);
}

static void
test_breast_cancer(void)
{
	struct table *t = tu_load("data", "breast_cancer.csv");
	struct model_ctx ctx = { 1, NULL, NULL, NULL };
	struct strbuf sb = STRBUF_INIT;
	struct model *m;
	struct err e;

	if (!ok(t != NULL, "breast_cancer loads"))
		return;
	standardise(t, "diagnosis");
	m = mkmodel(&model_xgboost_classifier_ops, "", &e);
	if (!ok(m != NULL && fit_rows(m, t, "diagnosis", 450, &ctx, &e) == 0,
	    "breast_cancer: fit on 450 rows")) {
		printf("# %s\n", e.msg);
		model_free(m);
		table_free(t);
		return;
	}
	check_case("breast_cancer", m, t, "diagnosis", bc_pred,
	    sizeof bc_pred / sizeof bc_pred[0], bc_sum, bc_imp, bc_class);
	check_roundtrip("breast_cancer", m, t, "diagnosis");
	m->ops->describe(m, &sb);
	is_str(sb.buf, "xgboost_classifier n_rounds=100 max_depth=6 eta=0.3 "
	    "tree_method=hist: 100 rounds of binary:logistic", "describe");
	strbuf_release(&sb);
	model_free(m);
	table_free(t);
}

static void
test_diabetes(void)
{
	struct table *t = tu_load("data", "diabetes.csv");
	struct model_ctx ctx = { 1, NULL, NULL, NULL };
	struct model *m;
	struct err e;

	if (!ok(t != NULL, "diabetes loads"))
		return;
	m = mkmodel(&model_xgboost_regressor_ops, "", &e);
	if (!ok(m != NULL && fit_rows(m, t, "progression", 350, &ctx,
	    &e) == 0, "diabetes: fit on 350 rows")) {
		printf("# %s\n", e.msg);
		model_free(m);
		table_free(t);
		return;
	}
	ok(m->ops->predict_proba == NULL, "regressor: no predict_proba");
	check_case("diabetes", m, t, "progression", db_pred,
	    sizeof db_pred / sizeof db_pred[0], db_sum, db_imp, NULL);
	check_roundtrip("diabetes", m, t, "progression");
	model_free(m);
	table_free(t);
}

static void
test_iris(void)
{
	struct table *t = tu_load("data", "iris.csv");
	struct strbuf sb = STRBUF_INIT;
	struct model *m;
	struct err e;

	if (!ok(t != NULL, "iris loads"))
		return;
	m = mkmodel(&model_xgboost_classifier_ops, "n_rounds=20 max_depth=3 "
	    "eta=0.1 subsample=0.8 colsample_bytree=0.75 min_child_weight=0.5 "
	    "lambda=2 alpha=0.1 gamma=0.05 tree_method=exact seed=7", &e);
	if (!ok(m != NULL && fit_all(m, t, "species", &e) == 0,
	    "iris: fit, every parameter off its default")) {
		printf("# %s\n", e.msg);
		model_free(m);
		table_free(t);
		return;
	}
	check_case("iris", m, t, "species", iris_pred,
	    sizeof iris_pred / sizeof iris_pred[0], iris_sum, iris_imp,
	    iris_class);
	check_roundtrip("iris", m, t, "species");
	m->ops->describe(m, &sb);
	is_str(sb.buf, "xgboost_classifier n_rounds=20 max_depth=3 eta=0.1 "
	    "tree_method=exact subsample=0.8 colsample_bytree=0.75: 20 rounds "
	    "of multi:softprob (3 trees a round)", "describe, 3 classes");
	strbuf_release(&sb);
	model_free(m);
	table_free(t);
}

static void
test_missing(void)
{
	struct table *t = tu_load("data", "diabetes.csv");
	struct model *m;
	struct err e;
	size_t i, r, nmiss = 0;

	if (!ok(t != NULL, "diabetes loads"))
		return;
	for (i = 0; i < t->ncols; i++) {
		struct column *c = t->cols[i];

		if (strcmp(c->name, "progression") == 0)
			continue;
		for (r = 0; r < t->nrows; r++)
			if ((7 * r + 3 * i) % 11 == 0) {
				c->num[r] = NAN;
				nmiss++;
			}
	}
	m = mkmodel(&model_xgboost_regressor_ops, "tree_method=approx "
	    "max_bin=32 n_rounds=30", &e);
	if (!ok(m != NULL && fit_all(m, t, "progression", &e) == 0,
	    "missing values (%zu cells) accepted", nmiss)) {
		printf("# %s\n", e.msg);
		model_free(m);
		table_free(t);
		return;
	}
	check_case("diabetes with holes", m, t, "progression", na_pred,
	    sizeof na_pred / sizeof na_pred[0], na_sum, na_imp, NULL);
	check_roundtrip("diabetes with holes", m, t, "progression");
	model_free(m);
	table_free(t);
}

/* Two threads predicting at once get what one gets. */
struct pred_arg {
	const struct model *m;
	const struct table *t;
	double *out;
	int rc;
};

static void *
pred_thread(void *arg)
{
	struct pred_arg *a = arg;
	struct err e;
	int i;

	/* Several rounds, so the calls overlap. */
	for (i = 0; i < 20; i++) {
		free(a->out);
		a->out = outputs(a->m, a->t, "diagnosis", 1, &e);
		if (a->out == NULL) {
			a->rc = -1;
			break;
		}
	}
	return NULL;
}

static void
test_threads(void)
{
	struct table *t = tu_load("data", "breast_cancer.csv");
	struct model_ctx ctx = { 2, NULL, NULL, NULL };
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct pred_arg pa[2];
	pthread_t th;
	struct model *m1, *m2, *m3;
	struct err e;
	double *one;
	size_t n;

	if (!ok(t != NULL, "breast_cancer loads"))
		return;
	n = t->nrows;
	m1 = mkmodel(&model_xgboost_classifier_ops, "n_rounds=10 max_depth=3 "
	    "subsample=0.7 colsample_bytree=0.5 seed=3", &e);
	m2 = mkmodel(&model_xgboost_classifier_ops, "n_rounds=10 max_depth=3 "
	    "subsample=0.7 colsample_bytree=0.5 seed=3", &e);
	m3 = mkmodel(&model_xgboost_classifier_ops, "n_rounds=10 max_depth=3 "
	    "subsample=0.7 colsample_bytree=0.5 seed=4", &e);
	ok(fit_rows(m1, t, "diagnosis", n, &ctx, &e) == 0 &&
	    fit_rows(m2, t, "diagnosis", n, &ctx, &e) == 0 &&
	    fit_rows(m3, t, "diagnosis", n, &ctx, &e) == 0,
	    "fit with 2 threads, subsampling");
	model_save(m1, &a);
	model_save(m2, &b);
	is_str(a.buf, b.buf, "same seed and threads: the same model");
	strbuf_reset(&b);
	model_save(m3, &b);
	ok(strcmp(a.buf, b.buf) != 0, "another seed: another model");

	one = outputs(m1, t, "diagnosis", 1, &e);
	memset(pa, 0, sizeof pa);
	pa[0].m = pa[1].m = m1;
	pa[0].t = pa[1].t = t;
	pthread_create(&th, NULL, pred_thread, &pa[1]);
	pred_thread(&pa[0]);
	pthread_join(th, NULL);
	ok(one != NULL && pa[0].rc == 0 && pa[1].rc == 0 &&
	    memcmp(one, pa[0].out, 2 * n * sizeof *one) == 0 &&
	    memcmp(one, pa[1].out, 2 * n * sizeof *one) == 0,
	    "two threads predicting at once: the same probabilities");
	free(one);
	free(pa[0].out);
	free(pa[1].out);
	strbuf_release(&a);
	strbuf_release(&b);
	model_free(m1);
	model_free(m2);
	model_free(m3);
	table_free(t);
}

static void
expect_spec_err(const struct model_ops *ops, const char *args,
    const char *want)
{
	struct model *m;
	struct err e;

	m = mkmodel(ops, args, &e);
	ok(m == NULL && e.code == ERR_SPEC && strstr(e.msg, want) != NULL,
	    "'%s' refused: %s", args, want);
	if (m == NULL && strstr(e.msg, want) == NULL)
		printf("#   got '%s'\n", e.msg);
	model_free(m);
}

/* A small table: x (numbers), c (categories or more numbers), y. */
static struct table *
small_table(const double *x, const char *const *cat, const double *x2)
{
	static const char *const yv[] = { "a", "b", "a", "b", "a", "b" };
	struct table *t = table_new();
	struct column *c;
	size_t r, n = 6;

	t->nrows = n;
	c = column_new("x", COL_FLOAT, n);
	memcpy(c->num, x, n * sizeof *x);
	table_add_column(t, c);
	if (cat != NULL) {
		c = column_new("c", COL_CAT, n);
		for (r = 0; r < n; r++)
			c->codes[r] = dict_intern(c->dict, cat[r],
			    strlen(cat[r]));
		table_add_column(t, c);
	} else if (x2 != NULL) {
		c = column_new("x2", COL_FLOAT, n);
		memcpy(c->num, x2, n * sizeof *x2);
		table_add_column(t, c);
	}
	c = column_new("y", COL_CAT, n);
	for (r = 0; r < n; r++)
		c->codes[r] = dict_intern(c->dict, yv[r], 1);
	table_add_column(t, c);
	return t;
}

static void
expect_fit_err(struct table *t, const char *what, const char *want)
{
	struct err e;
	struct model *m = mkmodel(&model_xgboost_classifier_ops, "", &e);

	ok(fit_all(m, t, "y", &e) != 0 && e.code == ERR_DATA &&
	    strstr(e.msg, want) != NULL && !m->fitted, "%s refused", what);
	if (strstr(e.msg, want) == NULL)
		printf("#   got '%s'\n#  want '%s'\n", e.msg, want);
	model_free(m);
	table_free(t);
}

static void
test_errors(void)
{
	static const double x[] = { 1, 2, 3, 4, 5, 6 };
	static const double xinf[] = { 1, 2, INFINITY, 4, 5, 6 };
	static const double xbig[] = { 1, 2, 3, 4, 1e39, 6 };
	static const char *const cat[] = { "u", "v", "u", "v", "w", "u" };
	const struct model_ops *ops = &model_xgboost_classifier_ops;
	struct table *t, *t2;
	struct model *m;
	struct state st;
	struct err e;
	double out[6];
	struct fmat X;

	expect_spec_err(ops, "eta=0", "model 'xgboost_classifier': eta must "
	    "be above 0");
	m = mkmodel(ops, "eta=0", &e);
	ok(m == NULL && e.col == 1, "eta=0: the error points at the value");
	expect_spec_err(&model_xgboost_regressor_ops, "eta=-0.5",
	    "expected a number from 0");
	expect_spec_err(ops, "subsample=0", "subsample must be above 0");
	expect_spec_err(ops, "colsample_bytree=0", "colsample_bytree must be "
	    "above 0");
	expect_spec_err(ops, "subsample=1.5", "expected a number from 0 to 1");
	expect_spec_err(ops, "n_rounds=0", "expected a whole number from 1");
	expect_spec_err(ops, "max_depth=0", "expected a whole number from 1");
	expect_spec_err(ops, "max_bin=1", "expected a whole number from 2");
	expect_spec_err(ops, "tree_method=gpu_hist", "tree_method");
	expect_spec_err(ops, "etta=0.1", "eta");

	expect_fit_err(small_table(x, cat, NULL), "a categorical column",
	    "column 'c' is categorical: encode it before the model");
	expect_fit_err(small_table(xinf, NULL, NULL), "an infinite value",
	    "model 'xgboost_classifier': column 'x' has a value too large "
	    "for XGBoost (row 3: inf)");
	expect_fit_err(small_table(xbig, NULL, NULL), "a value beyond float",
	    "column 'x' has a value too large for XGBoost (row 5: 1e+39)");

	/* Predict: other features, infinite values. */
	t = small_table(x, NULL, NULL);
	m = mkmodel(ops, "n_rounds=3", &e);
	ok(fit_all(m, t, "y", &e) == 0, "fit on 6 rows");
	t2 = small_table(x, NULL, x);
	err_clear(&e);
	fmat_from_table(&X, t2, "y", &e);
	ok(m->ops->predict(m, &X, out, &e) != 0 && strstr(e.msg,
	    "trained on 1 features; the data has 2") != NULL,
	    "predict: other features refused");
	fmat_release(&X);
	table_free(t2);
	t2 = small_table(xinf, NULL, NULL);
	fmat_from_table(&X, t2, "y", &e);
	ok(m->ops->predict(m, &X, out, &e) != 0 && strstr(e.msg,
	    "column 'x' has a value too large for XGBoost (row 3: inf)") !=
	    NULL, "predict: an infinite value refused");
	fmat_release(&X);
	table_free(t2);
	model_free(m);
	table_free(t);

	/* Damaged state. */
	m = model_new(ops);
	err_clear(&e);
	state_parse(&st, "features x\nclasses a b\nbooster {\"learner\":\n",
	    "model", &e);
	ok(model_load(m, &st, &e) != 0 && strstr(e.msg, "model: model "
	    "'xgboost_classifier': the saved booster is damaged") !=
	    NULL && e.code == ERR_DATA && !m->fitted,
	    "damaged booster refused before XGBoost reads it");
	state_release(&st);
	state_parse(&st, "features x\nclasses a b\n", "model", &e);
	ok(model_load(m, &st, &e) != 0 && strstr(e.msg, "booster") != NULL,
	    "missing booster refused");
	state_release(&st);
	model_free(m);
}

/* Regressor state loaded as a classifier, and a 3-class one as 2. */
static void
test_wrong_state(void)
{
	static const double x[] = { 1, 2, 3, 4, 5, 6 };
	struct table *t = small_table(x, NULL, NULL);
	struct strbuf sb = STRBUF_INIT;
	struct model *m, *m2;
	struct state st;
	struct err e;
	long yi = table_find(t, "y");
	struct column *yc;
	size_t r;

	/* The regressor needs a numeric target. */
	yc = column_new("y", COL_FLOAT, t->nrows);
	for (r = 0; r < t->nrows; r++)
		yc->num[r] = (double)(r % 2);
	table_replace_column(t, (size_t)yi, yc);
	m = mkmodel(&model_xgboost_regressor_ops, "n_rounds=2", &e);
	ok(fit_all(m, t, "y", &e) == 0, "regressor fit on 6 rows");
	model_save(m, &sb);
	strbuf_addstr(&sb, "classes a b\n");
	state_parse(&st, sb.buf, "model", &e);
	m2 = model_new(&model_xgboost_classifier_ops);
	ok(model_load(m2, &st, &e) != 0 && strstr(e.msg, "objective is not "
	    "binary:logistic") != NULL, "a regressor's booster refused by "
	    "the classifier");
	state_release(&st);
	model_free(m2);
	model_free(m);
	strbuf_release(&sb);
	table_free(t);
}

/*
 * A booster edited inside a fitted pipeline (checksum recomputed) is
 * refused before XGBoost reads it: XGBoost trusts the counts and
 * indexes and crashed (num_trees above the trees, a null weight) or
 * looped forever (a cycle of children).
 */
static void
test_damaged_booster(void)
{
	static const double x[] = { 1, 2, 3, 4, 5, 6 };
	static const char *const edit[][2] = {
		{ "\"num_trees\":\"2\"", "\"num_trees\":\"100\"" },
		{ "\"base_weights\":[", "\"base_weights\":[null," },
		{ "\"left_children\":[1,", "\"left_children\":[0," },
		{ "\"right_children\":[2,", "\"right_children\":[100," },
		{ "\"split_indices\":[0,", "\"split_indices\":[7," },
		{ "\"trees\":[", "\"trees\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[" },
	};
	struct table *t = small_table(x, NULL, NULL);
	struct strbuf sb = STRBUF_INIT, sb2 = STRBUF_INIT;
	struct model *m, *m2;
	struct state st;
	struct err e;
	char *json = NULL, *at, *bad;
	size_t i, n;

	m = mkmodel(&model_xgboost_classifier_ops, "n_rounds=2 max_depth=2 "
	    "min_child_weight=0", &e);
	ok(fit_all(m, t, "y", &e) == 0, "damaged booster: fit on 6 rows");
	model_save(m, &sb);
	state_parse(&st, sb.buf, "model", &e);
	ok(state_get_str(&st, "booster", &json, &e) == 0,
	    "damaged booster: the saved booster");
	state_release(&st);
	for (i = 0; json != NULL && i < sizeof edit / sizeof edit[0]; i++) {
		at = strstr(json, edit[i][0]);
		if (!ok(at != NULL, "damaged booster: %s is there", edit[i][0]))
			continue;
		n = (size_t)(at - json);
		bad = xasprintf("%.*s%s%s", (int)n, json, edit[i][1],
		    at + strlen(edit[i][0]));
		strbuf_reset(&sb2);
		state_put_strs(&sb2, "features", m->nfeat,
		    m->feat);
		state_put_strs(&sb2, "classes", m->nclasses,
		    m->classes);
		state_put_str(&sb2, "booster", bad);
		state_parse(&st, sb2.buf, "model", &e);
		m2 = model_new(&model_xgboost_classifier_ops);
		ok(model_load(m2, &st, &e) != 0 && e.code == ERR_DATA &&
		    strstr(e.msg, "booster is damaged") != NULL,
		    "damaged booster refused: %s", edit[i][1]);
		state_release(&st);
		model_free(m2);
		free(bad);
	}
	/* A sound shape with a value XGBoost refuses: its own message. */
	if (json != NULL && (at = strstr(json, "\"scale_pos_weight\":\"1\"")) !=
	    NULL) {
		n = (size_t)(at - json);
		bad = xasprintf("%.*s\"scale_pos_weight\":\"abc\"%s", (int)n,
		    json, at + strlen("\"scale_pos_weight\":\"1\""));
		strbuf_reset(&sb2);
		state_put_strs(&sb2, "features", m->nfeat, m->feat);
		state_put_strs(&sb2, "classes", m->nclasses, m->classes);
		state_put_str(&sb2, "booster", bad);
		state_parse(&st, sb2.buf, "model", &e);
		m2 = model_new(&model_xgboost_classifier_ops);
		ok(model_load(m2, &st, &e) != 0 && strstr(e.msg, "XGBoost "
		    "failed to load its model: ") != NULL &&
		    strchr(e.msg, '\n') == NULL,
		    "XGBoost's own refusal, its message on one line");
		state_release(&st);
		model_free(m2);
		free(bad);
	} else
		ok(0, "damaged booster: scale_pos_weight is there");
	free(json);
	model_free(m);
	strbuf_release(&sb);
	strbuf_release(&sb2);
	table_free(t);
}

/*
 * Indicator columns (one-hot output) go to XGBoost as the 0/1 numbers
 * they stand for: the same model as from ordinary 0/1 columns.
 */
static void
test_indicators(void)
{
	static const char *const names[] = { "b0", "b1", "b2" };
	struct table *t = tu_load("data", "iris.csv"), *t2;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct model *m1, *m2;
	struct indsrc *src;
	struct err e;
	int32_t *idx, k;
	size_t r, n;
	long sl;

	if (!ok(t != NULL, "iris loads"))
		return;
	n = t->nrows;
	sl = table_find(t, "sepal_length");
	idx = xmalloc(n * sizeof *idx);
	for (r = 0; r < n; r++) {
		double v = t->cols[sl]->num[r];

		/* Three bins, and none (-1) above 7. */
		idx[r] = v < 5.5 ? 0 : v < 6.2 ? 1 : v < 7 ? 2 : -1;
	}
	t2 = table_copy(t);
	src = indsrc_new(idx);
	for (k = 0; k < 3; k++) {
		struct column *c = column_new(names[k], COL_FLOAT, n);

		for (r = 0; r < n; r++)
			c->num[r] = idx[r] == k;
		table_add_column(t2, c);
		table_add_column(t, column_new_indicator(names[k], src, k));
	}
	table_drop_column(t, (size_t)sl);
	table_drop_column(t2, (size_t)sl);
	m1 = mkmodel(&model_xgboost_classifier_ops, "n_rounds=10", &e);
	m2 = mkmodel(&model_xgboost_classifier_ops, "n_rounds=10", &e);
	ok(fit_all(m1, t, "species", &e) == 0 && fit_all(m2, t2, "species",
	    &e) == 0, "fit on indicator columns and on 0/1 columns");
	model_save(m1, &a);
	model_save(m2, &b);
	is_str(a.buf, b.buf, "indicator columns: the same model as 0/1 "
	    "numbers");
	strbuf_release(&a);
	strbuf_release(&b);
	model_free(m1);
	model_free(m2);
	table_free(t);
	table_free(t2);
}

/* Nothing to split on: no importances, the base rate. */
static void
test_constant(void)
{
	static const double x[] = { 1, 1, 1, 1, 1, 1 };
	struct table *t = small_table(x, NULL, NULL);
	struct model *m;
	struct err e;
	double w[1] = { -1 }, *p;

	m = mkmodel(&model_xgboost_classifier_ops, "n_rounds=5", &e);
	ok(fit_all(m, t, "y", &e) == 0, "a constant feature: fits");
	m->ops->importances(m, w);
	ok(w[0] == 0, "a constant feature: importance 0");
	p = outputs(m, t, "y", 1, &e);
	ok(p != NULL && p[0] == 0.5 && p[1] == 0.5 && p[10] == 0.5 &&
	    p[11] == 0.5, "a constant feature: probabilities 0.5");
	free(p);
	model_free(m);
	table_free(t);
}

static volatile int cancel_flag;
static int nprogress;
static double last_progress;
static int progress_bad;

static void
on_progress(void *arg, double done)
{
	(void)arg;
	if (done < last_progress || done < 0 || done > 1)
		progress_bad = 1;
	last_progress = done;
	nprogress++;
	if (done >= 0.3 && cancel_flag == 0 && arg != NULL)
		cancel_flag = 1;
}

static void
test_cancel(void)
{
	struct table *t = tu_load("data", "breast_cancer.csv");
	struct model_ctx ctx = { 1, &cancel_flag, on_progress, NULL };
	struct model *m;
	struct err e;
	int rc;

	if (!ok(t != NULL, "breast_cancer loads"))
		return;
	m = mkmodel(&model_xgboost_classifier_ops, "n_rounds=50", &e);
	rc = fit_rows(m, t, "diagnosis", t->nrows, &ctx, &e);
	ok(rc == 0 && !progress_bad && last_progress == 1 && nprogress == 52,
	    "progress: 0, one per round, 1 (%d calls)", nprogress);
	/* Cancelled before the start. */
	cancel_flag = 1;
	ok(fit_rows(m, t, "diagnosis", t->nrows, &ctx, &e) != 0 &&
	    e.code == ERR_CANCEL && strcmp(e.msg, "cancelled") == 0 &&
	    !m->fitted && m->state == NULL, "cancelled before the first "
	    "round");
	/* Cancelled by the progress callback part way. */
	cancel_flag = 0;
	nprogress = 0;
	last_progress = 0;
	ctx.arg = &ctx;
	rc = fit_rows(m, t, "diagnosis", t->nrows, &ctx, &e);
	ok(rc != 0 && e.code == ERR_CANCEL && !m->fitted && nprogress > 2 &&
	    nprogress < 20, "cancelled part way (after %d progress calls)",
	    nprogress);
	cancel_flag = 0;
	model_free(m);
	table_free(t);
}

int
main(void)
{
	test_breast_cancer();
	test_diabetes();
	test_iris();
	test_missing();
	test_threads();
	test_errors();
	test_wrong_state();
	test_damaged_booster();
	test_indicators();
	test_constant();
	test_cancel();
	return tap_done();
}

/*
 * bench-xgboost.c - model xgboost_classifier against XGBoost's own Python
 * interface, in one run: num_1m.csv, the first 800k rows train and the
 * last 200k test; hist, 100 rounds, depth 6, eta 0.3, 2 threads (or
 * $BENCH_THREADS).  lathe's side runs in this process (load.h, fmat,
 * model_fit, predict), then the same fit in Python (xgb.DMatrix from
 * numpy float64, xgb.train, inplace_predict) as a child process.  Both
 * print wall and CPU seconds of load, fit and predict, peak RSS and the
 * test accuracy.  Not a test: nothing has a threshold.
 *
 *	cc -O2 -D_GNU_SOURCE -Isrc -Ibuild bench/bench-xgboost.c \
 *	    build/liblathecore.a -lsqlite3 -lcsv -llinear -lxgboost \
 *	    -llapack -lblas -lpthread -lm -o bench-xgboost
 *	./bench-xgboost [path/to/num_1m.csv]
 *
 * The Python side needs python3-xgboost and python3-pandas.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/load.h"
#include "core/model.h"

extern const struct model_ops model_xgboost_classifier_ops;

#define NTRAIN	800000

static const char python[] =
    "import resource, sys, time\n"
    "import numpy as np, pandas as pd, xgboost as xgb\n"
    "def peak(): return resource.getrusage(resource.RUSAGE_SELF)"
    ".ru_maxrss // 1024\n"
    "def clk(): return time.perf_counter(), time.process_time()\n"
    "def show(what, w, c):\n"
    "    w1, c1 = clk()\n"
    "    print(f'python {what:8s} {w1 - w:7.3f} s wall {c1 - c:7.3f} s cpu"
    "  peak {peak()} MB', flush=True)\n"
    "path, nt = sys.argv[1], int(sys.argv[2])\n"
    "w, c = clk()\n"
    "df = pd.read_csv(path)\n"
    "y = df.pop('y').to_numpy()\n"
    "X = df.to_numpy(dtype=np.float64)\n"
    "del df\n"
    "show('load', w, c)\n"
    "params = {'objective': 'binary:logistic', 'tree_method': 'hist',\n"
    "          'max_depth': 6, 'eta': 0.3, 'max_bin': 256, 'seed': 0,\n"
    "          'nthread': nt}\n"
    "w, c = clk()\n"
    "d = xgb.DMatrix(X[:800000], label=y[:800000], missing=np.nan, "
    "nthread=nt)\n"
    "bst = xgb.train(params, d, 100)\n"
    "del d\n"
    "show('fit', w, c)\n"
    "w, c = clk()\n"
    "p = bst.inplace_predict(X[800000:])\n"
    "show('predict', w, c)\n"
    "acc = np.mean((p > 0.5).astype(int) == y[800000:])\n"
    "print(f'python accuracy {acc:.6f}')\n";

static double
now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
show(const char *what, double w0, double c0)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	printf("lathe  %-8s %7.3f s wall %7.3f s cpu  peak %ld MB\n", what,
	    now(CLOCK_MONOTONIC) - w0, now(CLOCK_PROCESS_CPUTIME_ID) - c0,
	    ru.ru_maxrss / 1024);
	fflush(stdout);
}

static int
run_python(const char *path, int nt)
{
	char arg[16];
	pid_t pid;
	int status;

	snprintf(arg, sizeof arg, "%d", nt);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		execl("/usr/bin/python3", "python3", "-c", python, path, arg,
		    (char *)NULL);
		perror("/usr/bin/python3");
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == -1)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/work/benchdata/num_1m.csv";
	const char *env = getenv("BENCH_THREADS");
	struct model_ctx ctx = { 2, NULL, NULL, NULL };
	size_t ntest, j, r, right = 0;
	struct load_opts o;
	struct table *t;
	struct fmat X, Xt;
	struct target y;
	struct model *m;
	struct err e;
	double w0, c0, *pred;
	long yi;

	if (env != NULL && atoi(env) > 0)
		ctx.threads = atoi(env);
	err_clear(&e);
	load_opts_init(&o);
	w0 = now(CLOCK_MONOTONIC);
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	if ((t = csvload_file(path, &o, NULL, &e)) == NULL)
		goto fail;
	show("load", w0, c0);
	if ((yi = table_find(t, "y")) < 0 || t->nrows <= NTRAIN) {
		fprintf(stderr, "%s: expected a column y and more than %d "
		    "rows\n", path, NTRAIN);
		return 1;
	}
	ntest = t->nrows - NTRAIN;
	if (fmat_from_table(&X, t, "y", &e) != 0 ||
	    target_from_column(&y, t->cols[yi], NTRAIN, TASK_CLASSIFY,
	    &e) != 0)
		goto fail;
	X.n = NTRAIN;
	m = model_new(&model_xgboost_classifier_ops);
	if (params_parse(&m->params, m->ops->params, NULL, 0, NULL, "model",
	    &e) != 0)
		goto fail;
	w0 = now(CLOCK_MONOTONIC);
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	if (model_fit(m, &X, &y, &ctx, &e) != 0)
		goto fail;
	show("fit", w0, c0);

	/* The test rows: the same columns from row NTRAIN on. */
	Xt = X;
	Xt.cols = malloc(X.p * sizeof *Xt.cols);
	memcpy(Xt.cols, X.cols, X.p * sizeof *Xt.cols);
	for (j = 0; j < X.p; j++)
		Xt.cols[j].num += NTRAIN;
	Xt.n = ntest;
	pred = malloc(ntest * sizeof *pred);
	w0 = now(CLOCK_MONOTONIC);
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	if (m->ops->predict(m, &Xt, pred, &e) != 0)
		goto fail;
	show("predict", w0, c0);
	for (r = 0; r < ntest; r++) {
		struct strbuf sb = STRBUF_INIT;

		column_format(t->cols[yi], NTRAIN + r, &sb);
		right += strcmp(strbuf_str(&sb), m->classes[(int)pred[r]]) == 0;
		strbuf_release(&sb);
	}
	printf("lathe  accuracy %.6f\n", (double)right / (double)ntest);
	fflush(stdout);
	free(pred);
	free(Xt.cols);
	model_free(m);
	target_release(&y);
	fmat_release(&X);
	table_free(t);
	load_opts_release(&o);
	return run_python(path, ctx.threads) == 0 ? 0 : 1;

fail:
	fprintf(stderr, "%s\n", e.msg);
	return 1;
}

/*
 * model-kmeans.c - k-means clustering ("kmeans"), as scikit-learn 1.2.1's
 * KMeans(n_clusters=k, n_init, max_iter, tol, init, algorithm='lloyd').
 *
 * The problem: choose k centres c_1..c_k minimising the inertia
 *	sum over rows x of min_j ||x - c_j||^2.
 * One run (Lloyd's algorithm, as sklearn's _kmeans_single_lloyd):
 *	- initial centres: init=random takes k distinct rows at random;
 *	  init=kmeans++ is sklearn's greedy k-means++: the first centre is
 *	  a row drawn uniformly, every further one the best of
 *	  2 + floor(ln k) candidates drawn with probability proportional to
 *	  D^2 (the squared distance to the nearest centre so far: the first
 *	  row whose running sum of D^2 reaches u * sum D^2, u uniform in
 *	  [0, 1)), "best" meaning the smallest sum of D^2 once it is added;
 *	- then, for i = 1..max_iter: label every row with its nearest
 *	  centre (ties: the lowest index); replace each centre by the mean
 *	  of its rows (the sum times 1 / count, as sklearn); a centre left
 *	  without rows gets the row farthest from its own centre (the
 *	  farthest rows, farthest first, go to the empty clusters in index
 *	  order, taken out of their old cluster's sum, as sklearn's
 *	  _relocate_empty_clusters); stop when the labels are those of the
 *	  previous iteration, or when the centres moved by at most tol' in
 *	  total (sum over centres of the squared move), where
 *	  tol' = tol * mean over features of the population variance
 *	  (sklearn's _tolerance);
 *	- unless the labels were unchanged, label the rows once more with
 *	  the final centres; the run's inertia is then the sum of squared
 *	  distances to the assigned centres.
 * n_init runs are made, run i with rng_seed_stream(seed, i), and the one
 * of lowest inertia kept (a later run replaces the best so far only
 * when its inertia is strictly lower and its clustering is not the same
 * up to a renaming of the clusters: sklearn's _is_same_clustering).
 *
 * Squared distances are always summed directly, sum_j (x_j - c_j)^2 in
 * feature order (not as ||x||^2 - 2 x.c + ||c||^2, which sklearn uses to
 * label rows and which loses digits far from the origin).
 *
 * Speed (none of it changes the result beyond the last bits of a sum):
 * the features are copied once into a dense row-major matrix (width
 * padded with zeros to a multiple of 4; every squared distance is summed
 * the same way, see dist()).  The labelling step skips what the triangle
 * inequality rules out, with the bounds of Elkan ("Using the triangle
 * inequality to accelerate k-means", ICML 2003) and Hamerly ("Making
 * k-means even faster", SDM 2010): per row an upper bound on the
 * distance to its own centre, a lower bound on the distance to each
 * other centre (floats, rounded down; only up to 512 MB of them and 256
 * clusters, else Hamerly's alone) and one on the distance to all of
 * them, each stored with the centres' accumulated moves folded in, so
 * that moving the centres costs no pass over the rows.  A row is read
 * only when a test fails: Hamerly's (the own centre nearer than any
 * other can be), then Elkan's for each other centre (nearer than it can
 * be, or than half the distance between the two centres); then both
 * again with the exact distance to the own centre; then the distances
 * to the centres whose test still fails.  The tests keep a relative
 * margin of 1e-10, so a row keeps its label only when every other
 * centre is farther by more than rounding could explain: the labels are
 * those of the plain algorithm.  k-means++ skips the distance from a
 * row to a candidate at least twice as far from the row's nearest
 * centre as the row is (it cannot be the smaller one).
 *
 * The rows are cut into chunks of a fixed size.  Each chunk keeps its
 * per-cluster sums and counts: computed in row order after the first
 * labelling, then updated in row order as rows change cluster; the
 * totals are the chunk sums added in chunk order.  The chunks are shared
 * among ctx->threads threads, and since every sum is made per chunk and
 * combined in chunk order, the result does not depend on the number of
 * threads.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/rng.h"
#include "core/xmalloc.h"

#define KM_CHUNK	2048		/* rows per chunk */
#define KM_MAXTHR	64
#define KM_SLACK	1e-10		/* safety margin of the bounds */
#define KM_AHEAD	6		/* rows fetched ahead */
#define KM_AHEAD_EL	32		/* Elkan bounds fetched ahead */

static const struct param_def kmeans_params[] = {
	{ "k", PT_INT, "8", NULL, 1, 1e9, "number of clusters" },
	{ "n_init", PT_INT, "10", NULL, 1, 1e6,
	  "runs from different starting centres; the best is kept" },
	{ "max_iter", PT_INT, "300", NULL, 1, 1e9,
	  "most iterations of one run" },
	{ "tol", PT_NUM, "1e-4", NULL, 0, 1e300,
	  "stop when the centres move less (relative to the mean variance)" },
	{ "init", PT_ENUM, "kmeans++", "kmeans++|random", 0, 0,
	  "starting centres: greedy k-means++ or random rows" },
	{ "seed", PT_INT, "0", NULL, 0, 0, "random seed" },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

/* The fitted state. */
struct kmeans {
	size_t		 k, p;
	double		*centres;	/* k x p, row-major */
	double		 inertia;	/* of the training rows */
	long		 iters;		/* of the best run */
	long		 runs;
};

/* ----------------------------------------------------- thread pool --- */

/*
 * A few threads that run fn(arg, j) for j = 0..njobs-1, taking jobs in
 * any order; the caller's thread works too.  Everything that matters is
 * computed per job, so the order does not.
 */
struct pool {
	pthread_mutex_t	 mu;
	pthread_cond_t	 go, done;
	pthread_t	 th[KM_MAXTHR];
	int		 nth;		/* helper threads */
	unsigned long	 gen;
	int		 busy;
	int		 quit;
	void		(*fn)(void *, size_t);
	void		*arg;
	size_t		 njobs;
	atomic_size_t	 next;
};

static void
pool_drain(struct pool *pl)
{
	size_t j;

	while ((j = atomic_fetch_add(&pl->next, 1)) < pl->njobs)
		pl->fn(pl->arg, j);
}

static void *
pool_worker(void *arg)
{
	struct pool *pl = arg;
	unsigned long seen = 0;

	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (pl->gen == seen && !pl->quit)
			pthread_cond_wait(&pl->go, &pl->mu);
		if (pl->quit)
			break;
		seen = pl->gen;
		pthread_mutex_unlock(&pl->mu);
		pool_drain(pl);
		pthread_mutex_lock(&pl->mu);
		if (--pl->busy == 0)
			pthread_cond_signal(&pl->done);
	}
	pthread_mutex_unlock(&pl->mu);
	return NULL;
}

static void
pool_start(struct pool *pl, int threads)
{
	int i;

	memset(pl, 0, sizeof *pl);
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->go, NULL);
	pthread_cond_init(&pl->done, NULL);
	atomic_init(&pl->next, 0);
	if (threads > KM_MAXTHR)
		threads = KM_MAXTHR;
	for (i = 0; i < threads - 1; i++)
		if (pthread_create(&pl->th[i], NULL, pool_worker, pl) != 0)
			break;
	pl->nth = i;
}

static void
pool_run(struct pool *pl, void (*fn)(void *, size_t), void *arg,
    size_t njobs)
{
	pthread_mutex_lock(&pl->mu);
	pl->fn = fn;
	pl->arg = arg;
	pl->njobs = njobs;
	atomic_store(&pl->next, 0);
	pl->busy = pl->nth;
	pl->gen++;
	pthread_cond_broadcast(&pl->go);
	pthread_mutex_unlock(&pl->mu);
	pool_drain(pl);
	pthread_mutex_lock(&pl->mu);
	while (pl->busy > 0)
		pthread_cond_wait(&pl->done, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
}

static void
pool_stop(struct pool *pl)
{
	int i;

	pthread_mutex_lock(&pl->mu);
	pl->quit = 1;
	pthread_cond_broadcast(&pl->go);
	pthread_mutex_unlock(&pl->mu);
	for (i = 0; i < pl->nth; i++)
		pthread_join(pl->th[i], NULL);
	pthread_cond_destroy(&pl->go);
	pthread_cond_destroy(&pl->done);
	pthread_mutex_destroy(&pl->mu);
}

/* ------------------------------------------------------- distances --- */

/*
 * Rows and centres are stored with their width padded with zeros to a
 * multiple of 4 (pp), so that the squared distance is always summed the
 * same way: four running sums, sum L taking the features j = L mod 4 in
 * order, added as (s0 + s1) + (s2 + s3).  The padding adds exact zeros.
 * The vector type is GCC's; without FMA contraction (ISO C mode) the
 * result is the same bits with or without SIMD instructions.
 */
typedef double v2d __attribute__((vector_size(16)));

static inline double
dist(const double *x, const double *c, size_t pp)
{
	v2d s01 = { 0, 0 }, s23 = { 0, 0 };
	size_t j;

	for (j = 0; j < pp; j += 4) {
		v2d a, b, t, u;

		memcpy(&a, x + j, sizeof a);
		memcpy(&b, c + j, sizeof b);
		memcpy(&t, x + j + 2, sizeof t);
		memcpy(&u, c + j + 2, sizeof u);
		a -= b;
		t -= u;
		s01 += a * a;
		s23 += t * t;
	}
	return (s01[0] + s01[1]) + (s23[0] + s23[1]);
}

/* The nearest of k centres (ties: the lowest index); d[] the distances. */
static size_t
nearest(const double *x, const double *c, size_t k, size_t pp, double *d)
{
	size_t j, best = 0;

	for (j = 0; j < k; j++)
		d[j] = dist(x, c + j * pp, pp);
	for (j = 1; j < k; j++)
		if (d[j] < d[best])
			best = j;
	return best;
}

static size_t
padded(size_t p)
{
	return (p + 3) & ~(size_t)3;
}

/* Rows [r0, r0 + nr) of X as a dense block of row width pp (padded). */
static void
dense_rows(const struct fmat *X, size_t r0, size_t nr, size_t pp,
    double *out)
{
	size_t p = X->p, i, j;

	for (j = 0; j < p; j++) {
		const struct fcol *f = &X->cols[j];

		if (f->kind == FC_NUM)
			for (i = 0; i < nr; i++)
				out[i * pp + j] = f->num[r0 + i];
		else
			for (i = 0; i < nr; i++)
				out[i * pp + j] = fmat_get(X, r0 + i, j);
	}
	for (j = p; j < pp; j++)
		for (i = 0; i < nr; i++)
			out[i * pp + j] = 0;
}

/* v rounded down to a float (for lower bounds). */
static inline float
down(double v)
{
	float f = (float)v;
	uint32_t bits;

	if (!((double)f > v))
		return f;
	memcpy(&bits, &f, sizeof bits);
	if (f > 0)
		bits--;
	else if (f < 0)
		bits++;
	else
		bits = 0x80000001u;	/* the negative float nearest 0 */
	memcpy(&f, &bits, sizeof f);
	return f;
}

/* ------------------------------------------------------------- fit --- */

/* Everything one fit shares with its chunk jobs. */
struct km {
	const struct fmat *X;
	double		*x;		/* n x pp, row-major */
	size_t		 n, p, pp, k, nchunks;
	struct pool	 pool;
	/* Per chunk: */
	double		*cval;		/* a number (a sum) per chunk */
	size_t		*cbad;		/* first non-finite cell, or SIZE_MAX */
	double		*csum;		/* nchunks x k x pp cluster sums */
	double		*ccnt;		/* nchunks x k cluster counts */
	unsigned char	*cchg;		/* a label changed in the chunk */
	/* The current run: */
	double		*c;		/* k x pp centres */
	double		*cnew;		/* k x pp */
	double		*drift;		/* k: the moves summed over the run */
	double		 mdrift;	/* the largest moves, summed */
	double		*half;		/* k: half the distance to the
					 * nearest other centre */
	double		*hpair;		/* k x k: half the distance between
					 * two centres (with el only) */
	uint32_t	*near;		/* k x (k - 1): the other centres,
					 * nearest first (with el only) */
	double		 eps;		/* absolute safety margin */
	int		 mode;		/* KM_FULL, KM_BOUNDS, KM_NOSUMS */
	int32_t		*lab;
	/*
	 * The bounds, stored so that they need no update when the centres
	 * move: the distance to the own centre is at most bu + drift[a],
	 * to every other centre at least hl - mdrift (Hamerly), to centre
	 * j at least el[j] - drift[j] (Elkan; el[a] is not used).
	 */
	double		*bu, *hl;
	float		*el;		/* n x k, or NULL */
	/* k-means++: */
	double		*closest;	/* D^2 per row */
	double		**trial;	/* per candidate: min(D^2, d^2) */
	size_t		 ntrials;
	double		*thr;		/* k x ntrials: a quarter of the
					 * squared distance from a centre to
					 * a candidate, less a margin */
	size_t		 ppbest, ppstep;
	double		*cand;		/* ntrials x pp candidates */
	double		*tsum;		/* nchunks x ntrials sums */
	/* Variance: */
	double		*vmean;		/* p */
	double		*vsum;		/* nchunks x p */
};

enum { KM_FULL, KM_BOUNDS, KM_NOSUMS };

/*
 * Elkan's k bounds per row up to this many bytes and clusters; Hamerly's
 * alone past.
 */
#define KM_ELKAN_MAX	(512.0 * 1024 * 1024)
#define KM_ELKAN_KMAX	256

static void
chunk_range(const struct km *s, size_t c, size_t *lo, size_t *hi)
{
	*lo = c * KM_CHUNK;
	*hi = *lo + KM_CHUNK < s->n ? *lo + KM_CHUNK : s->n;
}

/* Dense copy of a chunk's rows; notes the first non-finite cell. */
static void
job_dense(void *arg, size_t c)
{
	struct km *s = arg;
	size_t lo, hi, i, j;

	chunk_range(s, c, &lo, &hi);
	dense_rows(s->X, lo, hi - lo, s->pp, s->x + lo * s->pp);
	s->cbad[c] = SIZE_MAX;
	for (i = lo; i < hi && s->cbad[c] == SIZE_MAX; i++)
		for (j = 0; j < s->p; j++)
			if (!isfinite(s->x[i * s->pp + j])) {
				s->cbad[c] = i * s->p + j;
				break;
			}
}

/* Per-chunk column sums (vmean NULL) or sums of squared deviations. */
static void
job_var(void *arg, size_t c)
{
	struct km *s = arg;
	double *v = s->vsum + c * s->p;
	size_t lo, hi, i, j, p = s->p;

	chunk_range(s, c, &lo, &hi);
	for (j = 0; j < p; j++)
		v[j] = 0;
	for (i = lo; i < hi; i++) {
		const double *x = s->x + i * s->pp;

		if (s->vmean == NULL)
			for (j = 0; j < p; j++)
				v[j] += x[j];
		else
			for (j = 0; j < p; j++) {
				double t = x[j] - s->vmean[j];

				v[j] += t * t;
			}
	}
}

/* Mean over features of the population variance (numpy's var). */
static double
mean_variance(struct km *s)
{
	size_t c, j, p = s->p;
	double *mean = xcalloc(p, sizeof *mean), tot = 0;

	s->vsum = xmalloc(s->nchunks * p * sizeof *s->vsum);
	s->vmean = NULL;
	pool_run(&s->pool, job_var, s, s->nchunks);
	for (c = 0; c < s->nchunks; c++)
		for (j = 0; j < p; j++)
			mean[j] += s->vsum[c * p + j];
	for (j = 0; j < p; j++)
		mean[j] /= (double)s->n;
	s->vmean = mean;
	pool_run(&s->pool, job_var, s, s->nchunks);
	for (j = 0; j < p; j++) {
		double v = 0;

		for (c = 0; c < s->nchunks; c++)
			v += s->vsum[c * p + j];
		tot += v / (double)s->n;
	}
	free(mean);
	free(s->vsum);
	s->vsum = NULL;
	s->vmean = NULL;
	return tot / (double)p;
}

/* k-means++: D^2 to the first centre. */
static void
job_pp_first(void *arg, size_t c)
{
	struct km *s = arg;
	size_t lo, hi, i;
	double sum = 0;

	chunk_range(s, c, &lo, &hi);
	for (i = lo; i < hi; i++) {
		s->closest[i] = dist(s->x + i * s->pp, s->c, s->pp);
		s->lab[i] = 0;
		sum += s->closest[i];
	}
	s->cval[c] = sum;
}

/*
 * k-means++: can candidate t be nearer to row i than its nearest centre
 * so far (lab[i], at D^2 = closest[i])?  Not when that centre is at least
 * 2 D from the candidate (the triangle inequality), with a margin that
 * makes d^2 >= D^2 certain also as computed; then min(D^2, d^2) is D^2
 * and d^2 need not be computed.
 */
static inline int
pp_may(const struct km *s, size_t i, size_t t)
{
	return s->closest[i] > s->thr[(size_t)s->lab[i] * s->ntrials + t];
}

/* k-means++: min(D^2, d^2 to each candidate), kept and summed. */
static void
job_pp_trials(void *arg, size_t c)
{
	struct km *s = arg;
	size_t lo, hi, i, t, nt = s->ntrials, pp = s->pp;
	double *sum = s->tsum + c * nt;

	chunk_range(s, c, &lo, &hi);
	for (t = 0; t < nt; t++)
		sum[t] = 0;
	for (i = lo; i < hi; i++) {
		const double *x = s->x + i * pp;
		double cl = s->closest[i];

		for (t = 0; t < nt; t++) {
			double v = cl;

			if (pp_may(s, i, t)) {
				double d = dist(x, s->cand + t * pp, pp);

				if (d < cl)
					v = d;
			}
			s->trial[t][i] = v;
			sum[t] += v;
		}
	}
}

/* k-means++: the rows nearest to the new centre (step) say so. */
static void
job_pp_update(void *arg, size_t c)
{
	struct km *s = arg;
	const double *best = s->trial[s->ppbest];
	size_t lo, hi, i;

	chunk_range(s, c, &lo, &hi);
	for (i = lo; i < hi; i++)
		if (best[i] < s->closest[i])
			s->lab[i] = (int32_t)s->ppstep;
}

/*
 * The first row whose running sum of D^2 reaches r: chunk sums first,
 * then the rows of the chunk (sklearn's searchsorted on the cumulative
 * sum, clipped to the last row).
 */
static size_t
pp_pick(const struct km *s, double r)
{
	double acc = 0;
	size_t c, i, lo, hi;

	for (c = 0; c < s->nchunks; c++) {
		if (acc + s->cval[c] < r) {
			acc += s->cval[c];
			continue;
		}
		chunk_range(s, c, &lo, &hi);
		for (i = lo; i < hi; i++) {
			acc += s->closest[i];
			if (acc >= r)
				return i;
		}
	}
	return s->n - 1;
}

static int
init_kmeanspp(struct km *s, struct rng *rg, const struct model_ctx *ctx,
    struct err *e)
{
	size_t n = s->n, pp = s->pp, k = s->k, nt = s->ntrials;
	size_t first, step, t, c, q, *cand = xmalloc(nt * sizeof *cand);
	double pot = 0, *tpot = xmalloc(nt * sizeof *tpot);

	first = (size_t)rng_below(rg, n);
	memcpy(s->c, s->x + first * pp, pp * sizeof *s->c);
	pool_run(&s->pool, job_pp_first, s, s->nchunks);
	for (c = 0; c < s->nchunks; c++)
		pot += s->cval[c];
	for (step = 1; step < k; step++) {
		size_t best;
		double *tmp;

		if (model_cancelled(ctx)) {
			free(cand);
			free(tpot);
			return err_set(e, ERR_CANCEL, "cancelled");
		}
		for (t = 0; t < nt; t++) {
			cand[t] = pp_pick(s, rng_uniform(rg) * pot);
			memcpy(s->cand + t * pp, s->x + cand[t] * pp,
			    pp * sizeof *s->cand);
			for (q = 0; q < step; q++)
				s->thr[q * nt + t] = dist(s->c + q * pp,
				    s->cand + t * pp, pp) / (4 * (1 + 1e-9));
		}
		pool_run(&s->pool, job_pp_trials, s, s->nchunks);
		for (t = 0; t < nt; t++) {
			tpot[t] = 0;
			for (c = 0; c < s->nchunks; c++)
				tpot[t] += s->tsum[c * nt + t];
		}
		best = 0;
		for (t = 1; t < nt; t++)
			if (tpot[t] < tpot[best])
				best = t;
		pot = tpot[best];
		s->ppbest = best;
		s->ppstep = step;
		pool_run(&s->pool, job_pp_update, s, s->nchunks);
		tmp = s->closest;
		s->closest = s->trial[best];
		s->trial[best] = tmp;
		for (c = 0; c < s->nchunks; c++)
			s->cval[c] = s->tsum[c * nt + best];
		memcpy(s->c + step * pp, s->x + cand[best] * pp,
		    pp * sizeof *s->c);
	}
	free(cand);
	free(tpot);
	return 0;
}

static void
init_random(struct km *s, struct rng *rg)
{
	size_t n = s->n, i, *perm = xmalloc(n * sizeof *perm);

	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = 0; i < s->k; i++) {
		size_t j = i + (size_t)rng_below(rg, n - i), t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
		memcpy(s->c + i * s->pp, s->x + perm[i] * s->pp,
		    s->pp * sizeof *s->c);
	}
	free(perm);
}

/* A chunk's cluster sums and counts, from scratch in row order. */
static void
chunk_sums(struct km *s, size_t c)
{
	size_t lo, hi, i, j, pp = s->pp, k = s->k;
	double *sum = s->csum + c * k * pp, *cnt = s->ccnt + c * k;

	chunk_range(s, c, &lo, &hi);
	memset(sum, 0, k * pp * sizeof *sum);
	memset(cnt, 0, k * sizeof *cnt);
	for (i = lo; i < hi; i++) {
		const double *x = s->x + i * pp;
		double *sl = sum + (size_t)s->lab[i] * pp;

		for (j = 0; j < pp; j++)
			sl[j] += x[j];
		cnt[s->lab[i]] += 1;
	}
}

/* Row i against every centre: its label and fresh bounds. */
static void
assign_full(struct km *s, size_t i, const double *x, double *d)
{
	size_t k = s->k, j, b = nearest(x, s->c, k, s->pp, d);
	float *el = s->el != NULL ? s->el + i * k : NULL;
	double l = INFINITY;

	s->lab[i] = (int32_t)b;
	s->bu[i] = sqrt(d[b]) - s->drift[b];
	for (j = 0; j < k; j++) {
		double dj;

		if (j == b)
			continue;
		dj = sqrt(d[j]);
		if (el != NULL)
			el[j] = down(dj + s->drift[j]);
		if (dj < l)
			l = dj;
	}
	s->hl[i] = l + s->mdrift;
}

/*
 * Elkan's test for every other centre j: 1 if it may be nearer than the
 * own centre's bound ut allows (both el[j] - drift[j] and hpair[a][j]
 * <= ut).  The centres are taken nearest to c_a first, so the test ends
 * at the first with hpair[a][j] > ut: none further can fail.  When none
 * fails, Hamerly's bound is tightened: d(x, c_j) >= d(c_a, c_j) -
 * d(x, c_a) >= 2 hpair[a][j] - ut, so the smallest over j of the larger
 * of that and el[j] - drift[j] (for the centres looked at; 2 hpair - ut
 * for the rest) bounds the distance to every other centre, and next time
 * Hamerly's test alone will likely do.
 */
static inline int
elkan_any(struct km *s, size_t i, size_t a, double ut)
{
	size_t k = s->k, q;
	const double *hp = s->hpair + a * k;
	const uint32_t *near = s->near + a * (k - 1);
	const float *el = s->el + i * k;
	double l = INFINITY;

	for (q = 0; q < k - 1; q++) {
		size_t j = near[q];
		double h2 = 2 * hp[j] - ut, e;

		if (hp[j] > ut) {
			if (h2 < l)
				l = h2;
			break;
		}
		e = (double)el[j] - s->drift[j];
		if (e <= ut)
			return 1;
		if (h2 > e)
			e = h2;
		if (e < l)
			l = e;
	}
	l += s->mdrift;
	if (l > s->hl[i])
		s->hl[i] = l;
	return 0;
}

/*
 * Row i with the bounds, first part: 1 when they show, without reading
 * the row, that no centre can be nearer than its own (Hamerly's test,
 * then Elkan's).
 */
static int
bounds_hold(struct km *s, size_t i)
{
	size_t a = (size_t)s->lab[i];
	double u = s->bu[i] + s->drift[a], m;

	m = s->hl[i] - s->mdrift;
	if (s->half[a] > m)
		m = s->half[a];
	if (u * (1 + KM_SLACK) + s->eps < m)
		return 1;
	return s->el != NULL &&
	    !elkan_any(s, i, a, u * (1 + KM_SLACK) + s->eps);
}

/*
 * Row i with the bounds, second part: the distance to the own centre,
 * then the tests again with it; a distance to another centre only where
 * its test still fails (Elkan's algorithm; without his bounds, every
 * distance).  Returns 1 if the label changed.
 */
static int
assign_bounds(struct km *s, size_t i, const double *x, double *d)
{
	const double sl = 1 + KM_SLACK, eps = s->eps;
	size_t k = s->k, pp = s->pp, a = (size_t)s->lab[i], a0 = a, j;
	double du, u, ut, m, l;
	float *el;

	du = dist(x, s->c + a * pp, pp);
	u = sqrt(du);
	ut = u * sl + eps;
	m = s->hl[i] - s->mdrift;
	if (s->half[a] > m)
		m = s->half[a];
	if (ut < m || (s->el != NULL && !elkan_any(s, i, a, ut))) {
		s->bu[i] = u - s->drift[a];
		return 0;
	}
	if (s->el == NULL) {
		assign_full(s, i, x, d);
		return (size_t)s->lab[i] != a0;
	}
	el = s->el + i * k;
	for (j = 0; j < k; j++) {
		double dj, lj;

		if (j == a || ut < s->hpair[a * k + j] ||
		    ut < (double)el[j] - s->drift[j])
			continue;
		dj = dist(x, s->c + j * pp, pp);
		lj = sqrt(dj);
		if (dj < du || (dj == du && j < a)) {
			el[a] = down(u + s->drift[a]);
			a = j;
			du = dj;
			u = lj;
			ut = u * sl + eps;
		} else
			el[j] = down(lj + s->drift[j]);
	}
	s->lab[i] = (int32_t)a;
	s->bu[i] = u - s->drift[a];
	/* Hamerly's bound as in elkan_any() */
	l = INFINITY;
	for (j = 0; j < k; j++) {
		double e = (double)el[j] - s->drift[j];
		double h2 = 2 * s->hpair[a * k + j] - ut;

		if (j == a)
			continue;
		if (h2 > e)
			e = h2;
		if (e < l)
			l = e;
	}
	s->hl[i] = l + s->mdrift;
	return a != a0;
}

/*
 * Label the rows of a chunk with their nearest centre: every distance
 * (KM_FULL, then the chunk's sums from scratch) or where the bounds allow
 * a change (KM_BOUNDS: a row that changes cluster moves from one sum to
 * the other; KM_NOSUMS: the sums are left alone).  With the bounds, the
 * rows to look at are listed first and then read, fetched ahead.
 */
static void
job_assign(void *arg, size_t c)
{
	struct km *s = arg;
	size_t lo, hi, i, t, q, nl = 0, pp = s->pp, k = s->k;
	double *d = xmalloc(k * sizeof *d);
	double *sum = s->csum + c * k * pp, *cnt = s->ccnt + c * k;
	uint32_t list[KM_CHUNK];
	int chg = 0;

	chunk_range(s, c, &lo, &hi);
	if (s->mode == KM_FULL) {
		for (i = lo; i < hi; i++)
			assign_full(s, i, s->x + i * pp, d);
		free(d);
		s->cchg[c] = 1;
		chunk_sums(s, c);
		return;
	}
	for (i = lo; i < hi; i++) {
		if (s->el != NULL && i + KM_AHEAD_EL < hi)
			__builtin_prefetch(s->el + (i + KM_AHEAD_EL) * s->k);
		if (!bounds_hold(s, i))
			list[nl++] = (uint32_t)(i - lo);
	}
	for (t = 0; t < nl; t++) {
		const double *x;
		size_t a, b;
		double *sa, *sb;

		if (t + KM_AHEAD < nl) {
			const char *ahead = (const char *)(s->x +
			    (lo + list[t + KM_AHEAD]) * pp);

			for (q = 0; q < pp * sizeof(double); q += 64)
				__builtin_prefetch(ahead + q);
			__builtin_prefetch(ahead + pp * sizeof(double) - 1);
		}
		i = lo + list[t];
		x = s->x + i * pp;
		a = (size_t)s->lab[i];
		if (!assign_bounds(s, i, x, d))
			continue;
		chg = 1;
		if (s->mode == KM_NOSUMS)
			continue;
		b = (size_t)s->lab[i];
		sa = sum + a * pp;
		sb = sum + b * pp;
		for (q = 0; q < pp; q++) {
			sa[q] -= x[q];
			sb[q] += x[q];
		}
		cnt[a] -= 1;
		cnt[b] += 1;
	}
	free(d);
	s->cchg[c] = (unsigned char)chg;
}

/* Squared distance of each row to its centre, summed per chunk. */
static void
job_inertia(void *arg, size_t c)
{
	struct km *s = arg;
	size_t lo, hi, i, pp = s->pp;
	double sum = 0;

	chunk_range(s, c, &lo, &hi);
	for (i = lo; i < hi; i++)
		sum += dist(s->x + i * pp, s->c + (size_t)s->lab[i] * pp, pp);
	s->cval[c] = sum;
}

/* Squared distance of each row to its centre, kept per row. */
static void
job_rowdist(void *arg, size_t c)
{
	struct km *s = arg;
	size_t lo, hi, i, pp = s->pp;

	chunk_range(s, c, &lo, &hi);
	for (i = lo; i < hi; i++)
		s->closest[i] = dist(s->x + i * pp, s->c +
		    (size_t)s->lab[i] * pp, pp);
}

/*
 * sklearn's _relocate_empty_clusters_dense on the totals (sum, cnt):
 * each empty cluster, in index order, takes the row farthest from its
 * current centre (farthest first; ties: the lowest row), which leaves
 * its old cluster's sum.  The labels do not change.
 */
static void
relocate_empty(struct km *s, double *sum, double *cnt)
{
	size_t pp = s->pp, k = s->k, n = s->n, j, i, q;
	unsigned char *taken = xcalloc(n, 1);

	pool_run(&s->pool, job_rowdist, s, s->nchunks);
	for (j = 0; j < k; j++) {
		size_t far = SIZE_MAX, old;

		if (cnt[j] > 0)
			continue;
		for (i = 0; i < n; i++)
			if (!taken[i] && (far == SIZE_MAX ||
			    s->closest[i] > s->closest[far]))
				far = i;
		if (far == SIZE_MAX)
			break;
		taken[far] = 1;
		old = (size_t)s->lab[far];
		for (q = 0; q < pp; q++) {
			sum[old * pp + q] -= s->x[far * pp + q];
			sum[j * pp + q] = s->x[far * pp + q];
		}
		cnt[j] = 1;
		cnt[old] -= 1;
	}
	free(taken);
}

/*
 * Half the distances between the centres: to the nearest other one
 * (half) and, with Elkan's bounds, between every two (hpair), with each
 * centre's others in order of distance (near; ties by index).
 */
static void
centre_gaps(struct km *s)
{
	size_t k = s->k, pp = s->pp, j, q, r;

	for (j = 0; j < k; j++)
		s->half[j] = INFINITY;
	for (j = 0; j < k; j++)
		for (q = j + 1; q < k; q++) {
			double h = sqrt(dist(s->c + j * pp, s->c + q * pp,
			    pp)) / 2;

			if (h < s->half[j])
				s->half[j] = h;
			if (h < s->half[q])
				s->half[q] = h;
			if (s->hpair != NULL)
				s->hpair[j * k + q] = s->hpair[q * k + j] = h;
		}
	if (s->hpair == NULL)
		return;
	for (j = 0; j < k; j++) {
		const double *hp = s->hpair + j * k;
		uint32_t *nr = s->near + j * (k - 1);
		size_t m = 0;

		/* insertion sort: k is small when there are k^2 gaps */
		for (q = 0; q < k; q++) {
			if (q == j)
				continue;
			for (r = m; r > 0 && hp[nr[r - 1]] > hp[q]; r--)
				nr[r] = nr[r - 1];
			nr[r] = (uint32_t)q;
			m++;
		}
	}
}

/*
 * The new centres from the chunk sums; their moves added to the drifts.
 * Returns the sum of squared moves.
 */
static double
update_centres(struct km *s)
{
	size_t pp = s->pp, k = s->k, c, j, q;
	double *sum = xcalloc(k * pp, sizeof *sum);
	double *cnt = xcalloc(k, sizeof *cnt), tot = 0, smax = 0;

	for (c = 0; c < s->nchunks; c++) {
		const double *cs = s->csum + c * k * pp;
		const double *cc = s->ccnt + c * k;

		for (j = 0; j < k * pp; j++)
			sum[j] += cs[j];
		for (j = 0; j < k; j++)
			cnt[j] += cc[j];
	}
	for (j = 0; j < k; j++)
		if (cnt[j] == 0) {
			relocate_empty(s, sum, cnt);
			break;
		}
	for (j = 0; j < k; j++) {
		double *cn = s->cnew + j * pp;

		if (cnt[j] > 0) {
			double alpha = 1.0 / cnt[j];

			for (q = 0; q < pp; q++)
				cn[q] = sum[j * pp + q] * alpha;
		} else
			memcpy(cn, s->c + j * pp, pp * sizeof *cn);
	}
	for (j = 0; j < k; j++) {
		double d2 = dist(s->cnew + j * pp, s->c + j * pp, pp);
		double move = sqrt(d2);

		tot += d2;
		s->drift[j] += move;
		if (move > smax)
			smax = move;
	}
	s->mdrift += smax;
	memcpy(s->c, s->cnew, k * pp * sizeof *s->c);
	centre_gaps(s);
	free(sum);
	free(cnt);
	return tot;
}

static int
any_changed(const struct km *s)
{
	size_t c;

	for (c = 0; c < s->nchunks; c++)
		if (s->cchg[c])
			return 1;
	return 0;
}

/*
 * One run of Lloyd's algorithm from the centres in s->c: labels in
 * s->lab, the inertia in *inertia, the iterations done in *iters.
 */
static int
lloyd(struct km *s, long max_iter, double tol, double *inertia,
    long *iters, const struct model_ctx *ctx, double prog0, double prog1,
    struct err *e)
{
	long it;
	int strict = 0;
	size_t c, j;

	for (j = 0; j < s->k; j++)
		s->drift[j] = 0;
	s->mdrift = 0;
	centre_gaps(s);
	s->mode = KM_FULL;
	for (it = 0; it < max_iter; it++) {
		double moved;

		if (model_cancelled(ctx))
			return err_set(e, ERR_CANCEL, "cancelled");
		pool_run(&s->pool, job_assign, s, s->nchunks);
		if (it > 0 && !any_changed(s)) {
			/* The same labels, hence the same centres. */
			strict = 1;
			break;
		}
		moved = update_centres(s);
		s->mode = KM_BOUNDS;
		model_progress(ctx, prog0 + (prog1 - prog0) *
		    (double)(it + 1) / (double)max_iter);
		if (moved <= tol)
			break;
	}
	if (it == max_iter)
		it--;
	if (!strict) {
		s->mode = KM_NOSUMS;
		pool_run(&s->pool, job_assign, s, s->nchunks);
	}
	pool_run(&s->pool, job_inertia, s, s->nchunks);
	*inertia = 0;
	for (c = 0; c < s->nchunks; c++)
		*inertia += s->cval[c];
	*iters = it + 1;
	return 0;
}

/* sklearn's _is_same_clustering: a consistent relabelling of a to b. */
static int
same_clustering(const int32_t *a, const int32_t *b, size_t n, size_t k)
{
	int32_t *map = xmalloc(k * sizeof *map);
	size_t i;
	int same = 1;

	for (i = 0; i < k; i++)
		map[i] = -1;
	for (i = 0; i < n && same; i++) {
		if (map[a[i]] == -1)
			map[a[i]] = b[i];
		else if (map[a[i]] != b[i])
			same = 0;
	}
	free(map);
	return same;
}

static void
km_release(struct km *s)
{
	size_t c;

	pool_stop(&s->pool);
	free(s->x);
	free(s->cval);
	free(s->cbad);
	free(s->csum);
	free(s->ccnt);
	free(s->cchg);
	free(s->c);
	free(s->cnew);
	free(s->drift);
	free(s->half);
	free(s->hpair);
	free(s->near);
	free(s->lab);
	free(s->bu);
	free(s->hl);
	free(s->el);
	free(s->closest);
	for (c = 0; s->trial != NULL && c < s->ntrials; c++)
		free(s->trial[c]);
	free(s->trial);
	free(s->thr);
	free(s->cand);
	free(s->tsum);
}

static void
kmeans_free(struct model *m)
{
	struct kmeans *km = m->state;

	if (km == NULL)
		return;
	free(km->centres);
	free(km);
	m->state = NULL;
}

/* Set up s for X: the dense copy, checked; -1 on a non-finite value. */
static int
km_setup(struct km *s, const struct fmat *X, size_t k, int pp_init,
    int threads, struct err *e)
{
	size_t n = X->n, p = X->p, pp = padded(p), c;

	memset(s, 0, sizeof *s);
	s->X = X;
	s->n = n;
	s->p = p;
	s->pp = pp;
	s->k = k;
	s->nchunks = (n + KM_CHUNK - 1) / KM_CHUNK;
	if ((size_t)threads > s->nchunks)
		threads = (int)s->nchunks;
	pool_start(&s->pool, threads);
	s->x = xmalloc(n * pp * sizeof *s->x);
	s->cbad = xmalloc(s->nchunks * sizeof *s->cbad);
	pool_run(&s->pool, job_dense, s, s->nchunks);
	for (c = 0; c < s->nchunks; c++)
		if (s->cbad[c] != SIZE_MAX)
			return err_set(e, ERR_DATA, "model 'kmeans': column "
			    "'%s' has an infinite value (row %zu)",
			    X->cols[s->cbad[c] % p].name, s->cbad[c] / p + 1);
	s->cval = xmalloc(s->nchunks * sizeof *s->cval);
	s->csum = xmalloc(s->nchunks * k * pp * sizeof *s->csum);
	s->ccnt = xmalloc(s->nchunks * k * sizeof *s->ccnt);
	s->cchg = xmalloc(s->nchunks);
	s->c = xcalloc(k * pp, sizeof *s->c);
	s->cnew = xcalloc(k * pp, sizeof *s->cnew);
	s->drift = xmalloc(k * sizeof *s->drift);
	s->half = xmalloc(k * sizeof *s->half);
	s->lab = xcalloc(n, sizeof *s->lab);
	s->bu = xmalloc(n * sizeof *s->bu);
	s->hl = xmalloc(n * sizeof *s->hl);
	s->closest = xmalloc(n * sizeof *s->closest);
	if (k > 1 && (double)n * (double)k * sizeof(float) <=
	    KM_ELKAN_MAX && k <= KM_ELKAN_KMAX) {
		s->el = xmalloc(n * k * sizeof *s->el);
		s->hpair = xmalloc(k * k * sizeof *s->hpair);
		s->near = xmalloc(k * (k - 1) * sizeof *s->near);
	}
	if (pp_init) {
		s->ntrials = 2 + (size_t)log((double)k);
		s->thr = xmalloc(k * s->ntrials * sizeof *s->thr);
		s->trial = xcalloc(s->ntrials, sizeof *s->trial);
		for (c = 0; c < s->ntrials; c++)
			s->trial[c] = xmalloc(n * sizeof *s->trial[c]);
		s->cand = xmalloc(s->ntrials * pp * sizeof *s->cand);
		s->tsum = xmalloc(s->nchunks * s->ntrials * sizeof *s->tsum);
	}
	return 0;
}

static int
kmeans_fit(struct model *m, const struct fmat *X, const struct target *y,
    const struct model_ctx *ctx, struct err *e)
{
	long k = params_int(&m->params, "k");
	long n_init = params_int(&m->params, "n_init");
	long max_iter = params_int(&m->params, "max_iter");
	double tol = params_num(&m->params, "tol"), var;
	uint64_t seed = (uint64_t)params_int(&m->params, "seed");
	int pp_init = strcmp(params_str(&m->params, "init"), "kmeans++") == 0;
	int threads = ctx != NULL && ctx->threads > 1 ? ctx->threads : 1;
	struct km s;
	struct kmeans *km;
	int32_t *best_lab = NULL;
	double best_inertia = INFINITY, *best_c = NULL;
	long run, best_iters = 0;
	size_t n = X->n, p = X->p, j;

	(void)y;
	kmeans_free(m);
	if (fmat_check_numeric(X, 0, "model 'kmeans'", e) != 0)
		return -1;
	if ((size_t)k > n)
		return err_set(e, ERR_DATA, "model 'kmeans': k=%ld clusters "
		    "but only %zu row%s: k cannot exceed the number of rows",
		    k, n, n == 1 ? "" : "s");
	if (km_setup(&s, X, (size_t)k, pp_init, threads, e) != 0)
		goto fail;
	var = mean_variance(&s);
	tol *= var;
	s.eps = 1e-10 * sqrt(var * (double)p);
	best_lab = xmalloc(n * sizeof *best_lab);
	best_c = xmalloc(s.k * s.pp * sizeof *best_c);
	for (run = 0; run < n_init; run++) {
		struct rng rg;
		double inertia = 0, prog0 = (double)run / (double)n_init;
		long iters = 0;

		rng_seed_stream(&rg, seed, (uint64_t)run);
		if (pp_init) {
			if (init_kmeanspp(&s, &rg, ctx, e) != 0)
				goto fail;
		} else
			init_random(&s, &rg);
		model_progress(ctx, prog0 + 0.2 / (double)n_init);
		if (lloyd(&s, max_iter, tol, &inertia, &iters, ctx, prog0 +
		    0.2 / (double)n_init, (double)(run + 1) / (double)n_init,
		    e) != 0)
			goto fail;
		if (run == 0 || (inertia < best_inertia &&
		    !same_clustering(s.lab, best_lab, n, s.k))) {
			best_inertia = inertia;
			best_iters = iters;
			memcpy(best_lab, s.lab, n * sizeof *best_lab);
			memcpy(best_c, s.c, s.k * s.pp * sizeof *best_c);
		}
	}
	km = xcalloc(1, sizeof *km);
	km->k = (size_t)k;
	km->p = p;
	km->centres = xmalloc(s.k * p * sizeof *km->centres);
	for (j = 0; j < s.k; j++)
		memcpy(km->centres + j * p, best_c + j * s.pp,
		    p * sizeof *km->centres);
	km->inertia = best_inertia;
	km->iters = best_iters;
	km->runs = n_init;
	m->state = km;
	km_release(&s);
	free(best_lab);
	free(best_c);
	model_progress(ctx, 1);
	return 0;
fail:
	km_release(&s);
	free(best_lab);
	free(best_c);
	return -1;
}

/* --------------------------------------------------------- predict --- */

/* The centres padded to the row width pp. */
static double *
padded_centres(const struct kmeans *km, size_t pp)
{
	double *c = xcalloc(km->k * pp, sizeof *c);
	size_t j;

	for (j = 0; j < km->k; j++)
		memcpy(c + j * pp, km->centres + j * km->p,
		    km->p * sizeof *c);
	return c;
}

static int
kmeans_predict(const struct model *m, const struct fmat *X, double *out,
    struct err *e)
{
	const struct kmeans *km = m->state;
	size_t k = km->k, pp = padded(km->p), r0, i;
	double *c, *buf, *d;

	if (model_check_features(m, X, e) != 0 ||
	    fmat_check_numeric(X, 0, "model 'kmeans'", e) != 0)
		return -1;
	c = padded_centres(km, pp);
	buf = xmalloc(KM_CHUNK * pp * sizeof *buf);
	d = xmalloc(k * sizeof *d);
	for (r0 = 0; r0 < X->n; r0 += KM_CHUNK) {
		size_t nr = X->n - r0 < KM_CHUNK ? X->n - r0 : KM_CHUNK;

		dense_rows(X, r0, nr, pp, buf);
		for (i = 0; i < nr; i++)
			out[r0 + i] = (double)nearest(buf + i * pp, c, k, pp,
			    d);
	}
	free(c);
	free(buf);
	free(d);
	return 0;
}

/*
 * Sum over X's rows of the squared distance to the nearest centre:
 * per chunk of KM_CHUNK rows, the chunk sums added in order, as the
 * training inertia is (so on the training rows it is the same number).
 * NaN if X has missing values or another number of features.
 */
static double
kmeans_inertia(const struct model *m, const struct fmat *X)
{
	const struct kmeans *km = m->state;
	size_t k = km->k, pp = padded(km->p), r0, i;
	double *c, *buf, *d, tot = 0;

	if (X->p != km->p)
		return NAN;
	c = padded_centres(km, pp);
	buf = xmalloc(KM_CHUNK * pp * sizeof *buf);
	d = xmalloc(k * sizeof *d);
	for (r0 = 0; r0 < X->n; r0 += KM_CHUNK) {
		size_t nr = X->n - r0 < KM_CHUNK ? X->n - r0 : KM_CHUNK;
		double sum = 0;

		dense_rows(X, r0, nr, pp, buf);
		for (i = 0; i < nr; i++)
			sum += d[nearest(buf + i * pp, c, k, pp, d)];
		tot += sum;
	}
	free(c);
	free(buf);
	free(d);
	return tot;
}

/* ------------------------------------------------------------ text --- */

static void
kmeans_describe(const struct model *m, struct strbuf *sb)
{
	const struct kmeans *km = m->state;

	if (km == NULL) {
		strbuf_addf(sb, "kmeans k=%ld", params_int(&m->params, "k"));
		return;
	}
	strbuf_addf(sb, "kmeans k=%zu: inertia %.6g after %ld iteration%s "
	    "(best of %ld run%s)", km->k, km->inertia, km->iters,
	    km->iters == 1 ? "" : "s", km->runs, km->runs == 1 ? "" : "s");
}

static void
kmeans_save(const struct model *m, struct strbuf *sb)
{
	const struct kmeans *km = m->state;

	state_put_int(sb, "k", (long long)km->k);
	state_put_nums(sb, "centres", km->k * km->p, km->centres);
	state_put_num(sb, "inertia", km->inertia);
	state_put_int(sb, "iterations", km->iters);
	state_put_int(sb, "runs", km->runs);
}

static int
kmeans_load(struct model *m, const struct state *st, struct err *e)
{
	struct kmeans *km = xcalloc(1, sizeof *km);
	long long k, iters, runs;
	size_t nc;

	m->state = km;
	if (state_get_int(st, "k", &k, e) != 0 ||
	    state_get_nums(st, "centres", &km->centres, &nc, e) != 0 ||
	    state_get_num(st, "inertia", &km->inertia, e) != 0 ||
	    state_get_int(st, "iterations", &iters, e) != 0 ||
	    state_get_int(st, "runs", &runs, e) != 0)
		return -1;
	if (k < 1 || m->nfeat == 0 || nc != (size_t)k * m->nfeat)
		return err_set(e, ERR_DATA, "%s: %zu centre values for k=%lld "
		    "and %zu features", st->what, nc, k, m->nfeat);
	km->k = (size_t)k;
	km->p = m->nfeat;
	km->iters = (long)iters;
	km->runs = (long)runs;
	return 0;
}

const struct model_ops model_kmeans_ops = {
	.name = "kmeans",
	.summary = "k-means clustering (Lloyd, greedy k-means++ starts, "
	    "best of n_init runs)",
	.task = TASK_CLUSTER,
	.accepts_cat = 0,
	.params = kmeans_params,
	.fit = kmeans_fit,
	.predict = kmeans_predict,
	.inertia = kmeans_inertia,
	.describe = kmeans_describe,
	.save = kmeans_save,
	.load = kmeans_load,
	.free = kmeans_free,
};

/*
 * stats.h - per-column summary statistics, as `lathe inspect` prints
 * them and as pandas' describe() defines them: sample standard deviation
 * (ddof 1), percentiles by linear interpolation at (n-1)q in the sorted
 * values (numpy's default), top value ties broken by the smaller string.
 */
#ifndef LATHE_STATS_H
#define LATHE_STATS_H

#include <stddef.h>

#include "core/table.h"

struct valcount {
	const char	*value;		/* borrowed from the column */
	size_t		 count;
};

struct colstats {
	const struct column *col;
	size_t		 count;		/* non-missing */
	size_t		 missing;
	size_t		 distinct;
	/* numeric storage (INT, FLOAT, BOOL, DATE, DATETIME) */
	double		 mean, std, min, p25, p50, p75, max;
	/* CAT, TEXT, BOOL: distinct values by count, descending, ties by
	 * byte order: all of them, or the first 1000 when there are more
	 * (distinct still counts all) */
	struct valcount	*values;
	size_t		 nvalues;
	size_t		 top_tied;	/* values tied with the top one */
	/* TEXT: lengths in bytes */
	size_t		 len_min, len_max;
	double		 len_mean;
};

/*
 * Statistics of every column of t, computed on up to nthreads threads
 * (0: one per core).  Returns an array of t->ncols; free with
 * stats_free.  The struct valcount strings borrow from t.
 */
struct colstats	*stats_table(const struct table *, int nthreads);
void		 stats_free(struct colstats *, size_t ncols);
/* One column's statistics into *s. */
void		 stats_column(const struct column *, size_t nrows,
		    struct colstats *s);
/* Mean of the present values (compensated sum, as stats_column); NaN
 * when there are none.  *count gets how many there were (may be NULL). */
double		 stats_mean(const struct column *, size_t nrows, size_t *count);
/* numpy's linear-interpolation quantile of sorted v[0..n). */
double		 stats_quantile(const double *v, size_t n, double q);
/* Sort n doubles (no NaN) ascending; tmp has room for n. */
void		 stats_sort(double *v, double *tmp, size_t n);

#endif

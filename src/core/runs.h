/*
 * runs.h - experiment runs recorded in the workspace (tables runs and
 * run_metrics, workspace.c migration 2).
 *
 * Every `lathe run` with a model (and every training in the workbench)
 * adds one run: when, the spec file and its canonical text, the data and
 * its content hash (table_hash), the model and the parameters it was
 * fitted with, the evaluation, its seed, the seconds it took, lathe's
 * version, where the fitted pipeline went, the whole report as JSON, and
 * every metric per split plus the mean (fold -1, with its std).
 */
#ifndef LATHE_RUNS_H
#define LATHE_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/evaluate.h"
#include "core/pipeline.h"
#include "core/workspace.h"

struct run_metric {
	char		*name;
	int		 fold;		/* -1: the mean */
	double		 value;		/* NaN: n/a */
	double		 std;		/* the mean's */
};

struct run_info {
	int64_t		 id;
	char		*created;
	char		*spec_path;
	char		*spec;
	char		*data;
	char		*data_hash;
	char		*model;
	char		*params;
	char		*evaluation;
	int64_t		 seed;
	double		 seconds;
	char		*version;
	char		*fitted_path;
	char		*report;	/* JSON */
	struct run_metric *metrics;
	size_t		 nmetrics;
};

/*
 * Record a run of p (fitted, rep its evaluation) in a workspace (path
 * or NULL for the default), with the hash of the data it was fitted on
 * (data_hash: 64 hex digits).
 */
int		 runs_record(const char *ws_path, const struct pipeline *,
		    const char *spec_path, const char *data,
		    const char *data_hash, double seconds,
		    const struct eval_report *, const char *fitted_path,
		    struct err *);
int		 runs_add(struct workspace *, const struct run_info *,
		    int64_t *id, struct err *);

/* Listing: filter by data and/or spec (substring), newest first. */
int		 runs_list(struct workspace *, const char *data,
		    const char *spec, struct run_info **, size_t *,
		    struct err *);
int		 runs_get(struct workspace *, int64_t id, struct run_info *,
		    struct err *);
void		 run_info_release(struct run_info *);
void		 run_infos_free(struct run_info *, size_t);
/* The mean of metric NAME in a run, or NaN. */
double		 run_metric_mean(const struct run_info *, const char *name);

/*
 * A line diff of two texts in unified style without headers: lines
 * starting "  " (both), "- " (only a), "+ " (only b).
 */
void		 text_diff(const char *a, const char *b, struct strbuf *);

#endif

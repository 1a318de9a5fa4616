/*
 * testutil.h - helpers the model and step unit tests share: loading a
 * data file of the source tree, a fixed folds file, and a model from
 * "k=v k=v" words checked as the spec parser would.
 *
 * Paths are under $LATHE_SRCDIR (set by make check; else "..").  A file
 * that cannot be read prints a TAP comment naming it and gives NULL: the
 * test's own ok() then fails.
 */
#ifndef LATHE_TESTUTIL_H
#define LATHE_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/load.h"
#include "core/model.h"
#include "core/params.h"
#include "core/xmalloc.h"

static const char *
tu_srcdir(void)
{
	const char *src = getenv("LATHE_SRCDIR");

	return src != NULL ? src : "..";
}

/* DIR/FILE under the source tree, loaded as CSV with default options. */
static __attribute__((unused)) struct table *
tu_load(const char *dir, const char *file)
{
	struct load_opts o;
	struct err e;
	struct table *t;
	char *path;

	path = xasprintf("%s/%s/%s", tu_srcdir(), dir, file);
	load_opts_init(&o);
	err_clear(&e);
	t = csvload_file(path, &o, NULL, &e);
	if (t == NULL)
		printf("# %s: %s\n", path, e.msg);
	load_opts_release(&o);
	free(path);
	return t;
}

/* tests/data/NAME.folds.csv: a header, then the fold of each of n rows. */
static __attribute__((unused)) int *
tu_folds(const char *name, size_t n)
{
	char *path, line[64];
	int *f = NULL;
	size_t i = 0;
	FILE *fp;

	path = xasprintf("%s/tests/data/%s.folds.csv", tu_srcdir(), name);
	if ((fp = fopen(path, "r")) == NULL) {
		printf("# cannot open %s\n", path);
		free(path);
		return NULL;
	}
	f = xmalloc(n * sizeof *f);
	if (fgets(line, sizeof line, fp) != NULL)
		while (i < n && fgets(line, sizeof line, fp) != NULL)
			f[i++] = atoi(line);
	fclose(fp);
	free(path);
	if (i != n) {
		printf("# %s: %zu folds for %zu rows\n", name, i, n);
		free(f);
		return NULL;
	}
	return f;
}

/*
 * "k=v k=v" (no blanks inside values) -> a new model of OPS, its
 * parameters parsed with WHAT naming it in messages, then (when check)
 * its own check; NULL with e filled on an error.
 */
static __attribute__((unused)) struct model *
tu_model(const struct model_ops *ops, const char *args, const char *what,
    int check, struct err *e)
{
	struct param_word w[16];
	struct srcpos pos = { "t.lathe", 1 };
	char *copy = xstrdup(args), *p, *tok, *save = NULL;
	struct model *m;
	size_t n = 0;

	for (tok = strtok_r(copy, " ", &save); tok != NULL && n < 16;
	    tok = strtok_r(NULL, " ", &save)) {
		p = strchr(tok, '=');
		*p = '\0';
		w[n].key = tok;
		w[n].value = p + 1;
		w[n].kcol = 1;
		w[n].vcol = 1;
		n++;
	}
	err_clear(e);
	m = model_new(ops);
	if (params_parse(&m->params, ops->params, w, n, &pos, what, e) !=
	    0 || (check && ops->check != NULL && ops->check(m, e) != 0)) {
		free(copy);
		model_free(m);
		return NULL;
	}
	free(copy);
	return m;
}

/* "NAME k=v k=v" -> tu_model() of the model NAME among ALL (NULL-ended). */
static __attribute__((unused)) struct model *
tu_model_named(const struct model_ops *const *all, const char *spec,
    struct err *e)
{
	const char *sp = strchr(spec, ' ');
	size_t len = sp != NULL ? (size_t)(sp - spec) : strlen(spec), i;

	for (i = 0; all[i] != NULL; i++)
		if (strlen(all[i]->name) == len &&
		    strncmp(all[i]->name, spec, len) == 0)
			return tu_model(all[i], sp != NULL ? sp + 1 : "",
			    "model", 1, e);
	err_set(e, ERR_SPEC, "no model '%.*s' in this test", (int)len, spec);
	return NULL;
}

#endif

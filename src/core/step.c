/*
 * step.c - step instances and lookup in the registry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/step.h"
#include "core/xmalloc.h"

const struct step_ops *
step_find(const char *name, struct err *e)
{
	const struct step_ops *found = NULL;
	const char *cands[64];
	struct strbuf amb = STRBUF_INIT;
	size_t i, n = strlen(name), nmatch = 0, nc = 0;
	const char *sug;

	for (i = 0; step_table[i] != NULL; i++) {
		if (nc < 63)
			cands[nc++] = step_table[i]->name;
		if (strcmp(step_table[i]->name, name) == 0)
			return step_table[i];
		if (n > 0 && strncmp(step_table[i]->name, name, n) == 0) {
			if (nmatch++)
				strbuf_addstr(&amb, ", ");
			strbuf_addstr(&amb, step_table[i]->name);
			found = step_table[i];
		}
	}
	cands[nc] = NULL;
	if (nmatch == 1) {
		strbuf_release(&amb);
		return found;
	}
	if (nmatch > 1)
		err_set(e, ERR_SPEC, "ambiguous step '%s': %s", name,
		    strbuf_str(&amb));
	else if ((sug = suggest(name, cands)) != NULL)
		err_set(e, ERR_SPEC, "unknown step '%s' (did you mean '%s'?)",
		    name, sug);
	else
		err_set(e, ERR_SPEC, "unknown step '%s' (see 'lathe steps')",
		    name);
	strbuf_release(&amb);
	return NULL;
}

struct step *
step_new(const struct step_ops *ops)
{
	struct step *s = xcalloc(1, sizeof *s);

	s->ops = ops;
	return s;
}

static void
strs_clear(char ***v, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
}

void
step_free(struct step *s)
{
	if (s == NULL)
		return;
	if (s->ops->free)
		s->ops->free(s);
	params_release(&s->params);
	strs_clear(&s->reads, &s->nreads);
	strs_clear(&s->writes, &s->nwrites);
	free(s);
}

static char **
strs_dup(char *const *v, size_t n)
{
	char **d = xmalloc((n ? n : 1) * sizeof *d);
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = xstrdup(v[i]);
	return d;
}

void
step_set_io(struct step *s, char *const *reads, size_t nreads,
    char *const *writes, size_t nwrites)
{
	strs_clear(&s->reads, &s->nreads);
	strs_clear(&s->writes, &s->nwrites);
	s->reads = strs_dup(reads, nreads);
	s->nreads = nreads;
	s->writes = strs_dup(writes, nwrites);
	s->nwrites = nwrites;
}

void
step_what(const struct step *s, char *buf, size_t n)
{
	if (s->line > 0)
		snprintf(buf, n, "step '%s' (line %d)", s->ops->name, s->line);
	else
		snprintf(buf, n, "step '%s'", s->ops->name);
}

int
steps_need_whole_table(struct step *const *steps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!steps[i]->disabled && steps[i]->ops->whole_table &&
		    steps[i]->ops->whole_table(steps[i]))
			return 1;
	return 0;
}

int
step_whole_when_always(const struct step *s)
{
	return strcmp(params_str(&s->params, "when"), "always") == 0;
}

int
step_whole_always(const struct step *s)
{
	(void)s;
	return 1;
}

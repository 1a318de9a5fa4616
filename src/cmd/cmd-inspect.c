/*
 * cmd-inspect.c - `lathe inspect DATA`: the schema and per-column
 * statistics, as a readable table, as JSON (--json) or as TSV (--tsv,
 * full precision, one line per column).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/stats.h"
#include "core/strbuf.h"
#include "core/xmalloc.h"

static int cmd_inspect(int, char **, struct globals *);

const struct cmd cmd_inspect_entry = {
	.name = "inspect",
	.args = "[options] DATA",
	.summary = "print the schema and per-column statistics of DATA",
	.help =
"Load DATA and print its schema and per-column statistics: type, count,\n"
"missing, distinct; for numeric columns mean, standard deviation (sample,\n"
"ddof 1), min, 25th/50th/75th percentiles (linear interpolation) and max;\n"
"for categorical, boolean and text columns the most frequent values.\n"
"\n"
"DATA is a CSV file, - for standard input, FILE.db:TABLE for a SQLite\n"
"table, or the name of a dataset imported into the workspace.\n"
"\n"
"Options:\n"
"      --json          print JSON (every statistic at full precision)\n"
"      --tsv           print one tab-separated line per column\n"
"      --top N         values listed per categorical column (default 5;\n"
"                      with --json, all values when there are at most 30)\n"
"  -w, --workspace F   the workspace holding named datasets\n",
	.exec = cmd_inspect,
};

static void
fmt_num(char *buf, size_t n, const struct column *c, double v, int full)
{
	if (isnan(v)) {
		snprintf(buf, n, full ? "" : "-");
		return;
	}
	if (c->type == COL_DATE)
		fmt_date(buf, n, v);
	else if (c->type == COL_DATETIME)
		fmt_datetime(buf, n, v);
	else if (full)
		fmt_double(buf, n, v);
	else
		snprintf(buf, n, "%.6g", v);
}

static int
has_moments(const struct column *c)
{
	return c->type == COL_INT || c->type == COL_FLOAT ||
	    c->type == COL_BOOL;
}

static int
has_order(const struct column *c)
{
	return coltype_is_numeric_storage(c->type) && c->type != COL_BOOL;
}

/* Display width of a UTF-8 string (code points). */
static size_t
width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void
pad(struct strbuf *line, const char *s, size_t w, int right)
{
	size_t n = width(s);

	if (right)
		for (; n < w; n++)
			strbuf_addch(line, ' ');
	strbuf_addstr(line, s);
	if (!right)
		for (; n < w; n++)
			strbuf_addch(line, ' ');
}

/* Print a line without its trailing blanks, and start a new one. */
static void
emit(struct strbuf *line)
{
	while (line->len > 0 && line->buf[line->len - 1] == ' ')
		line->len--;
	strbuf_addch(line, '\n');
	fputs(line->buf, stdout);
	strbuf_reset(line);
}

/* A value shortened for one line: no control characters, at most max. */
static void
shorten(struct strbuf *sb, const char *s, size_t max)
{
	size_t w = 0;

	for (; *s && w < max; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20)
			strbuf_addch(sb, ' ');
		else
			strbuf_addch(sb, ch);
		w += (ch & 0xc0) != 0x80;
	}
	if (*s)
		strbuf_addstr(sb, "…");
}

#define NCELLS 12

static void
print_human(const char *data, const char *kind, const struct table *t,
    const struct colstats *st, size_t top)
{
	static const char *const head[NCELLS] = { "column", "type", "count",
	    "missing", "distinct", "mean", "std", "min", "25%", "50%", "75%",
	    "max" };
	char ***cells = xcalloc(t->ncols ? t->ncols : 1, sizeof *cells);
	struct strbuf line = STRBUF_INIT;
	size_t w[NCELLS], i, k, nshown = 0;

	for (k = 0; k < NCELLS; k++)
		w[k] = strlen(head[k]);
	for (i = 0; i < t->ncols; i++) {
		const struct colstats *s = &st[i];
		const struct column *c = s->col;
		char buf[64];

		cells[i] = xcalloc(NCELLS, sizeof **cells);
		cells[i][0] = xstrdup(c->name);
		cells[i][1] = xstrdup(coltype_name(c->type));
		cells[i][2] = xasprintf("%zu", s->count);
		cells[i][3] = xasprintf("%zu", s->missing);
		cells[i][4] = xasprintf("%zu", s->distinct);
		for (k = 5; k < NCELLS; k++) {
			double v = NAN;

			switch (k) {
			case 5: v = s->mean; break;
			case 6: v = s->std; break;
			case 7: v = s->min; break;
			case 8: v = s->p25; break;
			case 9: v = s->p50; break;
			case 10: v = s->p75; break;
			case 11: v = s->max; break;
			}
			int applies = k <= 6 ? has_moments(c) : has_order(c);

			if (applies)
				fmt_num(buf, sizeof buf, c, v, 0);
			else
				buf[0] = '\0';
			cells[i][k] = xstrdup(buf);
		}
		for (k = 0; k < NCELLS; k++)
			if (width(cells[i][k]) > w[k])
				w[k] = width(cells[i][k]);
	}
	printf("%s: %zu rows, %zu columns (%s)\n\n", data, t->nrows, t->ncols,
	    kind);
	for (k = 0; k < NCELLS; k++) {
		if (k)
			strbuf_addstr(&line, "  ");
		pad(&line, head[k], w[k], k >= 2);
	}
	emit(&line);
	for (i = 0; i < t->ncols; i++) {
		for (k = 0; k < NCELLS; k++) {
			if (k)
				strbuf_addstr(&line, "  ");
			pad(&line, cells[i][k], w[k], k >= 2);
			free(cells[i][k]);
		}
		emit(&line);
		free(cells[i]);
	}
	free(cells);
	strbuf_release(&line);
	for (i = 0; i < t->ncols; i++) {
		const struct colstats *s = &st[i];
		struct strbuf sb = STRBUF_INIT;

		if (s->nvalues == 0 || s->col->type == COL_BOOL)
			continue;
		if (nshown++ == 0)
			printf("\nmost frequent values\n");
		for (k = 0; k < s->nvalues && k < top; k++) {
			if (k)
				strbuf_addstr(&sb, ", ");
			shorten(&sb, s->values[k].value, 40);
			strbuf_addf(&sb, " (%zu)", s->values[k].count);
		}
		if (s->distinct > top && s->nvalues > top)
			strbuf_addf(&sb, ", ... %zu more", s->distinct - top);
		printf("  %s: %s\n", s->col->name, strbuf_str(&sb));
		if (s->col->type == COL_TEXT)
			printf("  %*s  length %zu to %zu bytes, mean %.1f\n",
			    (int)width(s->col->name), "", s->len_min,
			    s->len_max, s->len_mean);
		strbuf_release(&sb);
	}
}

static void
json_num(struct strbuf *sb, const char *key, const struct column *c,
    double v)
{
	char buf[64];

	strbuf_addf(sb, ", \"%s\": ", key);
	if (isnan(v) || isinf(v)) {
		strbuf_addstr(sb, "null");
		return;
	}
	if (c->type == COL_DATE || c->type == COL_DATETIME) {
		fmt_num(buf, sizeof buf, c, v, 1);
		strbuf_addjson(sb, buf, strlen(buf));
		return;
	}
	snprintf(buf, sizeof buf, "%.17g", v);
	strbuf_addstr(sb, buf);
}

static void
print_json(const char *data, const char *kind, const struct table *t,
    const struct colstats *st, size_t top)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, k;

	strbuf_addstr(&sb, "{\"source\": ");
	strbuf_addjson(&sb, data, strlen(data));
	strbuf_addf(&sb, ", \"kind\": \"%s\", \"rows\": %zu, \"columns\": [",
	    kind, t->nrows);
	for (i = 0; i < t->ncols; i++) {
		const struct colstats *s = &st[i];
		const struct column *c = s->col;

		strbuf_addstr(&sb, i ? ",\n  {\"name\": " : "\n  {\"name\": ");
		strbuf_addjson(&sb, c->name, strlen(c->name));
		strbuf_addf(&sb, ", \"type\": \"%s\", \"count\": %zu, "
		    "\"missing\": %zu, \"distinct\": %zu",
		    coltype_name(c->type), s->count, s->missing, s->distinct);
		if (has_moments(c)) {
			json_num(&sb, "mean", c, s->mean);
			json_num(&sb, "std", c, s->std);
		}
		if (has_order(c)) {
			json_num(&sb, "min", c, s->min);
			json_num(&sb, "p25", c, s->p25);
			json_num(&sb, "p50", c, s->p50);
			json_num(&sb, "p75", c, s->p75);
			json_num(&sb, "max", c, s->max);
		}
		if (s->nvalues > 0) {
			size_t lim = s->distinct <= 30 ? s->nvalues :
			    top < s->nvalues ? top : s->nvalues;

			strbuf_addstr(&sb, ", \"top\": ");
			strbuf_addjson(&sb, s->values[0].value,
			    strlen(s->values[0].value));
			strbuf_addf(&sb, ", \"top_freq\": %zu, "
			    "\"top_tied_with\": [", s->values[0].count);
			for (k = 1; k <= s->top_tied; k++) {
				if (k > 1)
					strbuf_addstr(&sb, ", ");
				strbuf_addjson(&sb, s->values[k].value,
				    strlen(s->values[k].value));
			}
			strbuf_addstr(&sb, "], \"values\": {");
			for (k = 0; k < lim; k++) {
				if (k)
					strbuf_addstr(&sb, ", ");
				strbuf_addjson(&sb, s->values[k].value,
				    strlen(s->values[k].value));
				strbuf_addf(&sb, ": %zu", s->values[k].count);
			}
			strbuf_addstr(&sb, "}");
			if (lim < s->distinct)
				strbuf_addf(&sb, ", \"values_truncated\": "
				    "true");
		}
		if (c->type == COL_TEXT)
			strbuf_addf(&sb, ", \"length_min\": %zu, "
			    "\"length_max\": %zu, \"length_mean\": %.17g",
			    s->len_min, s->len_max, s->len_mean);
		strbuf_addstr(&sb, "}");
	}
	strbuf_addstr(&sb, "\n]}\n");
	fputs(strbuf_str(&sb), stdout);
	strbuf_release(&sb);
}

static void
print_tsv(const struct table *t, const struct colstats *st)
{
	size_t i;

	printf("column\ttype\tcount\tmissing\tdistinct\tmean\tstd\tmin\tp25"
	    "\tp50\tp75\tmax\ttop\ttop_freq\n");
	for (i = 0; i < t->ncols; i++) {
		const struct colstats *s = &st[i];
		const struct column *c = s->col;
		double v[7] = { s->mean, s->std, s->min, s->p25, s->p50, s->p75,
		    s->max };
		int k;

		printf("%s\t%s\t%zu\t%zu\t%zu", c->name, coltype_name(c->type),
		    s->count, s->missing, s->distinct);
		for (k = 0; k < 7; k++) {
			int show = k < 2 ? has_moments(c) : has_order(c);

			if (show && !isnan(v[k]))
				printf("\t%.17g", v[k]);
			else
				printf("\t");
		}
		if (s->nvalues > 0) {
			struct strbuf sb = STRBUF_INIT;

			shorten(&sb, s->values[0].value, 200);
			printf("\t%s\t%zu\n", strbuf_str(&sb),
			    s->values[0].count);
			strbuf_release(&sb);
		} else
			printf("\t\t\n");
	}
}

static int
cmd_inspect(int argc, char **argv, struct globals *g)
{
	const struct cmd *self = &cmd_inspect_entry;
	struct load_opts o;
	struct err e;
	struct table *t;
	struct colstats *st;
	const char *data = NULL, *kind = "csv";
	int i, r, json = 0, tsv = 0, rc;
	long top = 5;

	load_opts_init(&o);
	err_clear(&e);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			load_opts_release(&o);
			cmd_help(self);
			printf("\n%s", cmd_load_options_help);
			return 0;
		}
		if (strcmp(a, "--json") == 0) {
			json = 1;
			continue;
		}
		if (strcmp(a, "--tsv") == 0) {
			tsv = 1;
			continue;
		}
		if (strcmp(a, "--top") == 0 || strncmp(a, "--top=", 6) == 0) {
			const char *v = a[5] == '=' ? a + 6 : (i + 1 < argc ?
			    argv[++i] : "");
			char *end;

			top = strtol(v, &end, 10);
			if (*v == '\0' || *end != '\0' || top < 1) {
				load_opts_release(&o);
				return cmd_usage(self, "bad --top '%s': give a "
				    "positive whole number", v);
			}
			continue;
		}
		if (strcmp(a, "-w") == 0 || strcmp(a, "--workspace") == 0) {
			if (i + 1 >= argc) {
				load_opts_release(&o);
				return cmd_usage(self, "option '%s' needs a "
				    "value", a);
			}
			g->workspace = argv[++i];
			continue;
		}
		r = cmd_load_option(argc, argv, &i, &o, &e);
		if (r < 0) {
			load_opts_release(&o);
			return cmd_usage(self, "%s", e.msg);
		}
		if (r > 0)
			continue;
		if (a[0] == '-' && a[1] != '\0') {
			load_opts_release(&o);
			return cmd_usage(self, "unknown option '%s'", a);
		}
		if (data != NULL) {
			load_opts_release(&o);
			return cmd_usage(self, "one DATA only ('%s' and '%s')",
			    data, a);
		}
		data = a;
	}
	if (data == NULL) {
		load_opts_release(&o);
		return cmd_usage(self, "no DATA given");
	}
	if (json && tsv) {
		load_opts_release(&o);
		return cmd_usage(self, "--json and --tsv exclude each other");
	}
	t = cmd_load_data(data, &o, g, &kind, &e);
	load_opts_release(&o);
	if (t == NULL)
		return cmd_error(&e);
	st = stats_table(t, o.threads);
	if (json)
		print_json(data, kind, t, st, (size_t)top);
	else if (tsv)
		print_tsv(t, st);
	else
		print_human(data, kind, t, st, (size_t)top);
	rc = fflush(stdout) == 0 ? 0 : cmd_status(ERR_IO);
	stats_free(st, t->ncols);
	table_free(t);
	return rc;
}

/*
 * fileout.c - atomic output files (see fileout.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileout.h"
#include "core/xmalloc.h"

int
fileout_open(struct fileout *o, const char *path, struct err *e)
{
	struct stat st;
	int fd;

	memset(o, 0, sizeof *o);
	o->path = xstrdup(path);
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			err_set(e, ERR_IO, "cannot write '%s': is a directory",
			    path);
			goto fail;
		}
		o->f = fopen(path, "w");
		if (o->f == NULL) {
			err_set(e, ERR_IO, "cannot write '%s': %s", path,
			    strerror(errno));
			goto fail;
		}
		return 0;
	}
	o->tmp = xasprintf("%s.tmp.XXXXXX", path);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		err_set(e, ERR_IO, "cannot write '%s': %s", path,
		    strerror(errno));
		goto fail;
	}
	fchmod(fd, 0644);
	o->f = fdopen(fd, "w");
	if (o->f == NULL) {
		err_set(e, ERR_IO, "cannot write '%s': %s", path,
		    strerror(errno));
		close(fd);
		unlink(o->tmp);
		goto fail;
	}
	return 0;
fail:
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof *o);
	return -1;
}

int
fileout_close(struct fileout *o, struct err *e)
{
	int rc = 0;

	if (o->f == NULL)
		return 0;
	if (fflush(o->f) != 0 || ferror(o->f) ||
	    (o->tmp != NULL && fsync(fileno(o->f)) != 0))
		rc = err_set(e, ERR_IO, "cannot write '%s': %s", o->path,
		    strerror(errno));
	if (o->f != stdout && fclose(o->f) != 0 && rc == 0)
		rc = err_set(e, ERR_IO, "cannot write '%s': %s", o->path,
		    strerror(errno));
	o->f = NULL;
	if (o->tmp != NULL) {
		if (rc == 0 && rename(o->tmp, o->path) != 0)
			rc = err_set(e, ERR_IO, "cannot write '%s': %s",
			    o->path, strerror(errno));
		if (rc != 0)
			unlink(o->tmp);
	}
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof *o);
	return rc;
}

void
fileout_abort(struct fileout *o)
{
	if (o->f != NULL && o->f != stdout)
		fclose(o->f);
	if (o->tmp != NULL)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof *o);
}

/*
 * err.c - filling struct err.  Messages are lowercase, with no final
 * period, subjects quoted: "cannot open 'iris.csv'".
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

void
err_clear(struct err *e)
{
	if (e == NULL)
		return;
	e->code = ERR_OK;
	e->col = 0;
	e->msg[0] = '\0';
}

int
err_set(struct err *e, enum err_code code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->code = code;
	e->col = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

void
err_prefix(struct err *e, const char *fmt, ...)
{
	char pre[ERR_MSG_MAX];
	size_t np, nm;
	va_list ap;

	if (e == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof pre - 2, fmt, ap);
	va_end(ap);
	strcat(pre, ": ");
	np = strlen(pre);
	nm = strlen(e->msg);
	if (np + nm >= sizeof e->msg)
		nm = sizeof e->msg - 1 - np;
	memmove(e->msg + np, e->msg, nm);
	memcpy(e->msg, pre, np);
	e->msg[np + nm] = '\0';
}

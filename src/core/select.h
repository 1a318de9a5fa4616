/*
 * select.h - column selectors, resolved at fit time.
 *
 * A selector is a comma-separated list of terms, applied left to right:
 *	name       that column (an error if there is none)
 *	glob       every column matching (fnmatch: * ? [..]), e.g. num_*
 *	@numeric   integer, float and boolean columns   (@number too)
 *	@integer @float @boolean @categorical @text @date @datetime
 *	@string    categorical and text
 *	@all       every column
 *	!term      remove what term selects from the selection so far (a
 *	           selector that starts with !term starts from @all)
 * The target column (when the pipeline has one) is never selected by a
 * glob or a type group, only by its name.  The result keeps table order.
 */
#ifndef LATHE_SELECT_H
#define LATHE_SELECT_H

#include <stddef.h>

#include "core/err.h"
#include "core/table.h"

/*
 * Resolve sel against t.  *names gets the selected column names (owned,
 * strs_free), *n their count (possibly 0).  exclude (may be NULL) is the
 * target.  ERR_SPEC with a message naming the term on an unknown name
 * or type group.
 */
int	select_resolve(const char *sel, const struct table *t,
	    const char *exclude, char ***names, size_t *n, struct err *);

#endif

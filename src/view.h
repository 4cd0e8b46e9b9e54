/*
 * view.h: drawing a capture file, for commands other than view.
 */
#ifndef VIEW_H
#define VIEW_H

#include "ladder.h"

/*
 * Draw on stdout the conversations of the capture file at path that the
 * BPF expression expr takes, as "sockkit view" would with lo.  Returns
 * EXIT_OK, or EXIT_RUNTIME after saying what went wrong.
 */
int	view_file(const char *, const char *, const struct ladder_opts *);

#endif

/*
 * view.h: drawing a capture file, for commands other than view.
 */
#ifndef VIEW_H
#define VIEW_H

#include <stdio.h>

#include "ladder.h"

/*
 * Pictures of the same conversations, into files opened beforehand (while
 * still root); view_file() writes and closes them.  The paths are for
 * messages; a NULL fp is no picture.
 */
struct view_pictures {
	FILE		*svg_fp, *html_fp;
	const char	*svg_path, *html_path;
	const char	*title;
	int		 quiet;		/* the pictures only, no ladder */
};

/*
 * Draw on stdout the conversations of the capture file at path (or, with
 * fd > 0, of the file open on fd, read from its start; path then only
 * names it) that the BPF expression expr takes, as "sockkit view" would with lo, and the
 * pictures pics asks for (NULL: none).  Returns EXIT_OK, or EXIT_RUNTIME
 * after saying what went wrong.
 */
int	view_file(const char *, int, const char *, const struct ladder_opts *,
	    const struct view_pictures *);

#endif

/*
 * unit-ladder.c: JSON strings and option words of the renderer, in TAP.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ladder.h"
#include "tap.h"

/* ladder_json_string() of len bytes of s, as a C string (static). */
static const char *
json(const char *s, size_t len)
{
	static char	*buf;
	size_t		 size;
	FILE		*fp;

	free(buf);
	buf = NULL;
	if ((fp = open_memstream(&buf, &size)) == NULL)
		return "";
	ladder_json_string(fp, (const uint8_t *)s, len);
	fclose(fp);
	return buf;
}

int
main(void)
{
	tap_is_str(json("ping\n", 5), "\"ping\\n\"", "newline escaped");
	tap_is_str(json("a\"b\\c", 5), "\"a\\\"b\\\\c\"",
	    "quote and backslash escaped");
	tap_is_str(json("\0\x01\x1f", 3), "\"\\u0000\\u0001\\u001f\"",
	    "control bytes as \\u00XX");
	tap_is_str(json("\x7f\xff", 2), "\"\\u007f\\u00ff\"",
	    "bytes from 0x7f as U+00XX, so the line stays UTF-8");
	tap_is_str(json("", 0), "\"\"", "empty string");
	tap_ok(ladder_color_when("always", 0) == 1 &&
	    ladder_color_when("never", 1) == 0 &&
	    ladder_color_when("auto", 1) == 1 &&
	    ladder_color_when(NULL, 0) == 0 &&
	    ladder_color_when("sometimes", 1) == -1, "--color words");
	json("", 0);
	return tap_done();
}

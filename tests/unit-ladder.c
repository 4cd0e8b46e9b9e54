/*
 * unit-ladder.c: JSON strings and option words of the renderer, in TAP.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ladder.h"

static int	 n, failed;

static void
ok(int cond, const char *what)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++n, what);
	if (!cond)
		failed++;
}

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
	ok(strcmp(json("ping\n", 5), "\"ping\\n\"") == 0, "newline escaped");
	ok(strcmp(json("a\"b\\c", 5), "\"a\\\"b\\\\c\"") == 0,
	    "quote and backslash escaped");
	ok(strcmp(json("\0\x01\x1f", 3), "\"\\u0000\\u0001\\u001f\"") == 0,
	    "control bytes as \\u00XX");
	ok(strcmp(json("\x7f\xff", 2), "\"\\u007f\\u00ff\"") == 0,
	    "bytes from 0x7f as U+00XX, so the line stays UTF-8");
	ok(strcmp(json("", 0), "\"\"") == 0, "empty string");
	ok(ladder_color_when("always", 0) == 1 &&
	    ladder_color_when("never", 1) == 0 &&
	    ladder_color_when("auto", 1) == 1 &&
	    ladder_color_when(NULL, 0) == 0 &&
	    ladder_color_when("sometimes", 1) == -1, "--color words");
	json("", 0);
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}

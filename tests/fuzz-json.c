/*
 * fuzz-json.c: a fuzz target for the JSON string escaping of the ladder
 * (ladder_json_string), which writes packet payloads and notes into
 * "--json" output.
 *
 * The output must be exactly one JSON string as RFC 8259 section 7
 * defines it, in plain ASCII, and decoding it must give back one code
 * point per input byte, equal to the byte (bytes are written as
 * U+0000-U+00FF).  The checker (tests/fuzz-jsoncheck.c) is strict: no
 * raw control characters, no unknown escapes, four hex digits after \u,
 * no lone surrogates, nothing after the closing quote.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ladder.h"

const char *const fuzz_seed_dirs[] = { "fuzz/json", "fuzz/regress/json",
    NULL };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*out = NULL;
	size_t		 outlen = 0, i, pos;
	uint32_t	*cp;
	FILE		*fp;
	long		 n;

	if ((fp = open_memstream(&out, &outlen)) == NULL)
		abort();
	ladder_json_string(fp, data, size);
	if (fclose(fp) != 0)
		abort();
	FUZZ_ASSERT(outlen == strlen(out));	/* no NUL written */
	FUZZ_ASSERT(outlen <= 6 * size + 2);
	if ((cp = calloc(size + 1, sizeof *cp)) == NULL)
		abort();
	pos = 0;
	n = json_string(out, outlen, &pos, cp, size + 1);
	FUZZ_ASSERT(n >= 0 && pos == outlen);	/* nothing after the quote */
	FUZZ_ASSERT((size_t)n == size);
	for (i = 0; i < size; i++)
		FUZZ_ASSERT(cp[i] == data[i]);
	free(cp);
	free(out);
	return 0;
}

/*
 * fuzz-json.c: a fuzz target for the JSON string escaping of the ladder
 * (ladder_json_string), which writes packet payloads and notes into
 * "--json" output.
 *
 * The output must be exactly one JSON string as RFC 8259 section 7
 * defines it, in plain ASCII, and decoding it must give back one code
 * point per input byte, equal to the byte (bytes are written as
 * U+0000-U+00FF).  The checker below is written for this test and is
 * strict: no raw control characters, no unknown escapes, four hex digits
 * after \u, no lone surrogates, nothing after the closing quote.
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

static int	hex4(const char *, size_t, size_t, unsigned *);
static long	json_decode(const char *, size_t, uint32_t *, size_t);

/* Four hex digits at s[i..]; returns 0 or -1. */
static int
hex4(const char *s, size_t len, size_t i, unsigned *v)
{
	size_t	 k;
	int	 c;

	*v = 0;
	if (len - i < 4)
		return -1;
	for (k = i; k < i + 4; k++) {
		c = s[k];
		if (c >= '0' && c <= '9')
			*v = *v << 4 | (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*v = *v << 4 | (unsigned)((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

/*
 * Decode the JSON string s (len bytes, quotes included) into code points.
 * Returns how many, or -1 if s is not exactly one valid, ASCII JSON
 * string.
 */
static long
json_decode(const char *s, size_t len, uint32_t *cp, size_t max)
{
	static const char	 esc[] = "\"\\/bfnrt", val[] = "\"\\/\b\f\n\r\t";
	size_t			 i = 1, n = 0;
	unsigned		 u, lo;
	const char		*e;

	if (len < 2 || s[0] != '"')
		return -1;
	while (i < len && s[i] != '"') {
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e ||
		    n == max)
			return -1;
		if (s[i] != '\\') {
			cp[n++] = (unsigned char)s[i++];
			continue;
		}
		if (++i == len)
			return -1;
		if (s[i] != 'u') {
			if (s[i] == '\0' || (e = strchr(esc, s[i])) == NULL)
				return -1;
			cp[n++] = (unsigned char)val[e - esc];
			i++;
			continue;
		}
		if (hex4(s, len, i + 1, &u) == -1 || (u >= 0xdc00 &&
		    u <= 0xdfff))
			return -1;
		i += 5;
		if (u >= 0xd800 && u <= 0xdbff) {	/* a surrogate pair */
			if (len - i < 6 || s[i] != '\\' || s[i + 1] != 'u' ||
			    hex4(s, len, i + 2, &lo) == -1 || lo < 0xdc00 ||
			    lo > 0xdfff)
				return -1;
			u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			i += 6;
		}
		cp[n++] = u;
	}
	if (i != len - 1)		/* the closing quote ends it */
		return -1;
	return (long)n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*out = NULL;
	size_t		 outlen = 0, i;
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
	n = json_decode(out, outlen, cp, size + 1);
	FUZZ_ASSERT(n >= 0);
	FUZZ_ASSERT((size_t)n == size);
	for (i = 0; i < size; i++)
		FUZZ_ASSERT(cp[i] == data[i]);
	free(cp);
	free(out);
	return 0;
}

/*
 * tests/fuzz.h: what every fuzz target defines.  LLVMFuzzerTestOneInput
 * is called by libFuzzer (--enable-fuzzing) or by tests/fuzz-main.c,
 * which replays fuzz_seed_dirs (relative to the tests directory) in
 * "make check".  FUZZ_ASSERT aborts with the failed property, so both
 * libFuzzer and the TAP driver see it.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

extern const char *const fuzz_seed_dirs[];

#define FUZZ_ASSERT(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: property failed: %s\n",		\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/*
 * tests/fuzz-jsoncheck.c.  json_string: the JSON string at s[*pos], its
 * code points into cp (at most max of them); returns how many, with *pos
 * past the closing quote, or -1 if it is not a valid ASCII JSON string.
 * json_check_object: 0 if s is exactly one valid JSON object (white
 * space around allowed), else -1.
 */
long	json_string(const char *, size_t, size_t *, uint32_t *, size_t);
int	json_check_object(const char *, size_t);

/* A NUL-terminated copy of data (cut at its first NUL); free() it. */
char	*fuzz_cstr(const uint8_t *, size_t);

#endif

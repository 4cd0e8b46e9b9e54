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

/* A NUL-terminated copy of data (cut at its first NUL); free() it. */
char	*fuzz_cstr(const uint8_t *, size_t);

#endif

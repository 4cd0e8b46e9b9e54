/*
 * fuzz-util.c: a fuzz target for the number parsers of src/util.h.
 *
 * The first byte picks the limits, the rest (up to a NUL) is the text.
 * Each parser is checked against a plain reference of what it promises:
 * parse_long takes [+-]DIGITS in [min, max]; parse_secs takes DIGITS,
 * DIGITS.DIGITS or .DIGITS up to max_ms; parse_size takes DIGITS with an
 * optional K/M/G up to max.  What is accepted comes back the same when
 * printed and parsed again; what is refused leaves an error message.
 * fmt_count stays within its buffer and groups digits by three.
 */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util.h"

const char *const fuzz_seed_dirs[] = { "fuzz/util", "fuzz/regress/util",
    NULL };

static void	check_long(const char *, unsigned);
static void	check_secs(const char *, unsigned);
static void	check_size(const char *, unsigned);
static void	check_count(const uint8_t *, size_t);
static int	ref_digits(const char *, const char **);

/* Length of the run of digits at s; *end is set past it. */
static int
ref_digits(const char *s, const char **end)
{
	int	 n = 0;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	*end = s + n;
	return n;
}

/* parse_long against [+-]DIGITS with an exact range check. */
static void
check_long(const char *s, unsigned sel)
{
	static const long lim[][2] = {
		{ 1, 65535 }, { 0, 65535 }, { 0, LONG_MAX },
		{ LONG_MIN, LONG_MAX }, { 1, 1000000 }, { -5, 5 },
	};
	const long	*l = lim[sel % (sizeof lim / sizeof lim[0])];
	const char	*p = s + (*s == '+' || *s == '-'), *end;
	__int128	 ref = 0;
	char		 err[64], again[32];
	long		 v = 0, w;
	int		 ok, want;

	err[0] = '\0';
	ok = parse_long(s, l[0], l[1], &v, err, sizeof err) == 0;
	want = ref_digits(p, &end) > 0 && *end == '\0';
	for (; want && *p != '\0' && ref < ((__int128)1 << 70); p++)
		ref = ref * 10 + (*p - '0');
	if (*s == '-')
		ref = -ref;
	want = want && ref >= l[0] && ref <= l[1];
	FUZZ_ASSERT(ok == want);
	if (!ok) {
		FUZZ_ASSERT(err[0] != '\0' && strlen(err) < sizeof err);
		return;
	}
	FUZZ_ASSERT(v == (long)ref);
	snprintf(again, sizeof again, "%ld", v);
	FUZZ_ASSERT(parse_long(again, l[0], l[1], &w, err, sizeof err) == 0);
	FUZZ_ASSERT(w == v);
}

/* parse_secs: plain decimals only, within [0, max_ms], round trips. */
static void
check_secs(const char *s, unsigned sel)
{
	static const long maxes[] = { 3600000, 86400000, 0, 1000,
	    LONG_MAX / 2 };
	long		 max = maxes[sel % (sizeof maxes / sizeof maxes[0])];
	const char	*end;
	char		 err[64], again[48];
	long		 ms = -1, ms2;
	int		 ok, nd;

	err[0] = '\0';
	ok = parse_secs(s, max, &ms, err, sizeof err) == 0;
	if (!ok) {
		FUZZ_ASSERT(err[0] != '\0');
		return;
	}
	nd = ref_digits(s, &end);
	if (*end == '.')
		nd += ref_digits(end + 1, &end);
	FUZZ_ASSERT(nd > 0 && *end == '\0');	/* no exponent, hex, space */
	FUZZ_ASSERT(ms >= 0 && ms <= max);
	snprintf(again, sizeof again, "%ld.%03ld", ms / 1000, ms % 1000);
	FUZZ_ASSERT(parse_secs(again, max, &ms2, err, sizeof err) == 0);
	FUZZ_ASSERT(ms2 == ms);
}

/* parse_size against DIGITS[KMG] times its multiplier, at most max. */
static void
check_size(const char *s, unsigned sel)
{
	static const long long maxes[] = { LLONG_MAX, 1LL << 30, 65536, 0,
	    1, 1LL << 40 };
	long long	 max = maxes[sel % (sizeof maxes / sizeof maxes[0])];
	long long	 v = -1, w;
	const char	*end;
	__int128	 ref = 0, mult = 1;
	char		 err[64], again[32];
	int		 ok, want;

	err[0] = '\0';
	ok = parse_size(s, max, &v, err, sizeof err) == 0;
	want = ref_digits(s, &end) > 0;
	if (want && *end != '\0' && strchr("kKmMgG", *end) != NULL) {
		mult = (__int128)1 << (*end == 'k' || *end == 'K' ? 10 :
		    *end == 'm' || *end == 'M' ? 20 : 30);
		end++;
	}
	want = want && *end == '\0';
	for (; want && *s >= '0' && *s <= '9' && ref < ((__int128)1 << 70);
	    s++)
		ref = ref * 10 + (*s - '0');
	want = want && ref * mult <= max;
	FUZZ_ASSERT(ok == want);
	if (!ok) {
		FUZZ_ASSERT(err[0] != '\0');
		return;
	}
	FUZZ_ASSERT(v == (long long)(ref * mult));
	snprintf(again, sizeof again, "%lld", v);
	FUZZ_ASSERT(parse_size(again, max, &w, err, sizeof err) == 0);
	FUZZ_ASSERT(w == v);
}

/* fmt_count into an exactly sized buffer: NUL inside, digits grouped. */
static void
check_count(const uint8_t *data, size_t size)
{
	unsigned long long	 n = 0;
	char			*buf, want[32];
	size_t			 len, i, o = 0;

	for (i = 1; i < size && i <= 8; i++)
		n = n << 8 | data[i];
	len = size > 9 ? 1 + data[9] % 40 : 32;
	if ((buf = malloc(len)) == NULL)
		abort();
	FUZZ_ASSERT(fmt_count(n, buf, len) == buf);
	FUZZ_ASSERT(strlen(buf) < len);
	if (len >= 27) {		/* room for 20 digits and 6 commas */
		snprintf(want, sizeof want, "%llu", n);
		for (i = 0; buf[i] != '\0'; i++) {
			if (buf[i] == ',') {
				FUZZ_ASSERT((strlen(want) - o) % 3 == 0 &&
				    o > 0);
				continue;
			}
			FUZZ_ASSERT(buf[i] == want[o++]);
		}
		FUZZ_ASSERT(o == strlen(want));
	}
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s;
	unsigned	 sel;

	if (size == 0)
		return 0;
	sel = data[0];
	s = fuzz_cstr(data + 1, size - 1);
	check_long(s, sel);
	check_secs(s, sel);
	check_size(s, sel);
	free(s);
	check_count(data, size);
	return 0;
}

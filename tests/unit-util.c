/*
 * tests/unit-util.c: number parsing, counts and the -x hex dump.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hexdump.h"
#include "util.h"
#include "tap.h"

static void
test_parse_long(void)
{
	char	 err[64];
	long	 v = -1;

	tap_ok(parse_long("42", 0, 100, &v, err, sizeof err) == 0 && v == 42,
	    "parse_long 42");
	tap_ok(parse_long("-5", -10, 10, &v, err, sizeof err) == 0 && v == -5,
	    "parse_long -5 in -10..10");
	tap_ok(parse_long("0", 0, 0, &v, err, sizeof err) == 0 && v == 0,
	    "parse_long 0 in 0..0");
	tap_ok(parse_long("101", 0, 100, &v, err, sizeof err) == -1,
	    "parse_long 101 > max");
	tap_is_str(err, "out of range 0-100", "parse_long range message");
	tap_ok(parse_long("-1", 0, 100, &v, err, sizeof err) == -1,
	    "parse_long -1 < min");
	tap_ok(parse_long("12x", 0, 100, &v, err, sizeof err) == -1,
	    "parse_long trailing junk");
	tap_is_str(err, "not a number", "parse_long junk message");
	tap_ok(parse_long("", 0, 100, &v, err, sizeof err) == -1,
	    "parse_long empty");
	tap_ok(parse_long(" 5", 0, 100, &v, err, sizeof err) == -1,
	    "parse_long leading space");
	tap_ok(parse_long("5 ", 0, 100, &v, err, sizeof err) == -1,
	    "parse_long trailing space");
	tap_ok(parse_long("abc", 0, 100, &v, err, sizeof err) == -1,
	    "parse_long letters");
	tap_ok(parse_long("99999999999999999999999", 0, 100, &v, err,
	    sizeof err) == -1, "parse_long overflow");
	tap_is_str(err, "out of range 0-100", "parse_long overflow message");
	v = 7;
	parse_long("x", 0, 100, &v, err, sizeof err);
	tap_is_ll(v, 7, "parse_long leaves the value alone on error");
}

static void
test_parse_secs(void)
{
	char	 err[64];
	long	 ms = -1;

	tap_ok(parse_secs("2", 10000, &ms, err, sizeof err) == 0 && ms == 2000,
	    "parse_secs 2 -> 2000 ms");
	tap_ok(parse_secs("0.5", 10000, &ms, err, sizeof err) == 0 &&
	    ms == 500, "parse_secs 0.5 -> 500 ms");
	tap_ok(parse_secs(".25", 10000, &ms, err, sizeof err) == 0 &&
	    ms == 250, "parse_secs .25 -> 250 ms");
	tap_ok(parse_secs("1.25", 10000, &ms, err, sizeof err) == 0 &&
	    ms == 1250, "parse_secs 1.25 -> 1250 ms");
	tap_ok(parse_secs("0", 10000, &ms, err, sizeof err) == 0 && ms == 0,
	    "parse_secs 0");
	tap_ok(parse_secs("10", 10000, &ms, err, sizeof err) == 0 &&
	    ms == 10000, "parse_secs at the maximum");
	tap_ok(parse_secs("10.5", 10000, &ms, err, sizeof err) == -1,
	    "parse_secs over the maximum");
	tap_is_str(err, "not a number of seconds from 0 to 10 (such as 2 or "
	    "0.5)", "parse_secs range message");
	tap_ok(parse_secs("-1", 10000, &ms, err, sizeof err) == -1,
	    "parse_secs negative");
	tap_is_str(err, "not a number of seconds from 0 to 10 (such as 2 or "
	    "0.5)", "parse_secs bad message");
	tap_ok(parse_secs("1e9", 10000, &ms, err, sizeof err) == -1,
	    "parse_secs exponent");
	tap_is_str(err, "not a number of seconds from 0 to 10 (such as 2 or "
	    "0.5)", "parse_secs: 1e9 told the same as a value out of range");
	tap_ok(parse_secs("1s", 10000, &ms, err, sizeof err) == -1,
	    "parse_secs unit suffix");
	tap_ok(parse_secs("", 10000, &ms, err, sizeof err) == -1,
	    "parse_secs empty");
	tap_ok(parse_secs("nan", 10000, &ms, err, sizeof err) == -1,
	    "parse_secs nan");
	tap_ok(parse_secs("inf", 10000, &ms, err, sizeof err) == -1,
	    "parse_secs inf");
	tap_ok(parse_secs("0.0005", 10000, &ms, err, sizeof err) == 0 &&
	    ms == 1, "parse_secs: the fourth decimal rounds half up");
	tap_ok(parse_secs("0.00049", 10000, &ms, err, sizeof err) == 0 &&
	    ms == 0, "parse_secs: and only the fourth");
	tap_ok(parse_secs("1.", 10000, &ms, err, sizeof err) == 0 &&
	    ms == 1000, "parse_secs 1. -> 1000 ms");
	tap_ok(parse_secs(".", 10000, &ms, err, sizeof err) == -1,
	    "parse_secs: a point alone refused");
	/* Past 2^53 ms a double is off by one (found by fuzz-util). */
	tap_ok(parse_secs("8888888888888.8888", LONG_MAX / 2, &ms, err,
	    sizeof err) == 0 && ms == 8888888888888889L,
	    "parse_secs: exact past 2^53 milliseconds");
	tap_ok(parse_secs("99999999999999999999999", LONG_MAX / 2, &ms, err,
	    sizeof err) == -1, "parse_secs: digits past a long refused");
}

static void
test_parse_size(void)
{
	char		 err[64];
	long long	 v = -1;

	tap_ok(parse_size("100", 1LL << 40, &v, err, sizeof err) == 0 &&
	    v == 100, "parse_size 100");
	tap_ok(parse_size("4k", 1LL << 40, &v, err, sizeof err) == 0 &&
	    v == 4096, "parse_size 4k");
	tap_ok(parse_size("2M", 1LL << 40, &v, err, sizeof err) == 0 &&
	    v == 2 * 1024 * 1024, "parse_size 2M");
	tap_ok(parse_size("3G", 1LL << 40, &v, err, sizeof err) == 0 &&
	    v == 3LL << 30, "parse_size 3G (beyond 32 bits)");
	tap_ok(parse_size("0", 1LL << 40, &v, err, sizeof err) == 0 && v == 0,
	    "parse_size 0");
	tap_ok(parse_size("1K", 1023, &v, err, sizeof err) == -1,
	    "parse_size over the maximum");
	tap_is_str(err, "larger than 1023", "parse_size maximum message");
	tap_ok(parse_size("1KB", 1LL << 40, &v, err, sizeof err) == -1,
	    "parse_size unknown suffix");
	tap_is_str(err, "not a size", "parse_size bad message");
	tap_ok(parse_size("1T", 1LL << 40, &v, err, sizeof err) == -1,
	    "parse_size T is not a suffix");
	tap_ok(parse_size("-1", 1LL << 40, &v, err, sizeof err) == -1,
	    "parse_size negative");
	tap_ok(parse_size("", 1LL << 40, &v, err, sizeof err) == -1,
	    "parse_size empty");
	tap_ok(parse_size("99999999999999999999", 1LL << 40, &v, err,
	    sizeof err) == -1, "parse_size overflow");
	tap_ok(parse_size("9223372036854775807G", 0x7fffffffffffffffLL, &v,
	    err, sizeof err) == -1, "parse_size overflow after the suffix");
}

static void
test_fmt_count(void)
{
	char	 buf[32], small[4];

	tap_is_str(fmt_count(0, buf, sizeof buf), "0", "fmt_count 0");
	tap_is_str(fmt_count(999, buf, sizeof buf), "999", "fmt_count 999");
	tap_is_str(fmt_count(1000, buf, sizeof buf), "1,000",
	    "fmt_count 1000");
	tap_is_str(fmt_count(1048576, buf, sizeof buf), "1,048,576",
	    "fmt_count 1048576");
	tap_is_str(fmt_count(123456789012ULL, buf, sizeof buf),
	    "123,456,789,012", "fmt_count 123456789012");
	tap_is_str(fmt_count(18446744073709551615ULL, buf, sizeof buf),
	    "18,446,744,073,709,551,615", "fmt_count UINT64_MAX");
	/* A short buffer is cut, never overrun (ASan watches). */
	fmt_count(1234567, small, sizeof small);
	tap_ok(strlen(small) < sizeof small, "fmt_count stays in a short buffer");
}

/* Run hexdump_chunk into a string. */
static char *
dump(int dir, unsigned long long off, const void *buf, size_t len)
{
	char	*s = NULL;
	size_t	 n = 0;
	FILE	*fp = open_memstream(&s, &n);

	hexdump_chunk(fp, dir, off, buf, len);
	fclose(fp);
	return s;
}

static void
test_hexdump(void)
{
	unsigned char	 all[256];
	char		*s, *p;
	int		 i, lines = 0;

	s = dump('>', 0, "0123456789abcdef0123", 20);
	tap_is_str(s,
	    "> sent 20 bytes at offset 0\n"
	    "> 00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  "
	    "|0123456789abcdef|\n"
	    "> 00000010  30 31 32 33                                       "
	    "|0123|\n", "hexdump: a full line and a short one, as hexdump -C");
	free(s);

	s = dump('<', 4096, "a\0\x7f \xff\n", 6);
	tap_is_str(s,
	    "< received 6 bytes at offset 4096\n"
	    "< 00001000  61 00 7f 20 ff 0a                                 "
	    "|a.. ..|\n", "hexdump: received, offset, unprintable bytes");
	free(s);

	s = dump('<', 0, "", 0);
	tap_is_str(s, "< received 0 bytes at offset 0\n", "hexdump: empty");
	free(s);

	s = dump('>', 0, "0123456789abcdef", 16);
	tap_is_str(s,
	    "> sent 16 bytes at offset 0\n"
	    "> 00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  "
	    "|0123456789abcdef|\n", "hexdump: exactly one line");
	free(s);

	/* Past 4 GiB the offset widens: the line must still fit. */
	s = dump('>', 0x123456789ULL, "0123456789abcdef", 16);
	tap_is_str(s,
	    "> sent 16 bytes at offset 4886718345\n"
	    "> 123456789  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  "
	    "|0123456789abcdef|\n", "hexdump: offset beyond 32 bits");
	free(s);

	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	s = dump('>', 0, all, sizeof all);
	for (p = s; *p != '\0'; p++)
		lines += *p == '\n';
	tap_is_ll(lines, 17, "hexdump: 256 bytes are a header and 16 lines");
	tap_ok(strstr(s, "> 000000f0  f0 f1 f2 f3 f4 f5 f6 f7  f8 f9 fa fb fc "
	    "fd fe ff  |................|\n") != NULL,
	    "hexdump: the last line of 0x00-0xff");
	tap_ok(strstr(s, "> 00000040  40 41 42 43 44 45 46 47  48 49 4a 4b 4c "
	    "4d 4e 4f  |@ABCDEFGHIJKLMNO|\n") != NULL,
	    "hexdump: printable bytes shown as text");
	free(s);
}

int
main(void)
{
	test_parse_long();
	test_parse_secs();
	test_parse_size();
	test_fmt_count();
	test_hexdump();
	return tap_done();
}

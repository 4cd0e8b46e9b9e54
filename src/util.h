/*
 * util.h: small helpers shared by every module: messages, number parsing,
 * clocks.  Nothing here exits the program.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <stdint.h>

/* "sockkit: " + message (+ ": strerror(errno)" for sk_warn) on stderr. */
void	sk_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	sk_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Whether -v was given: verbose messages go through sk_verbose(). */
extern int sk_verbosity;
void	sk_verbose(const char *, ...) __attribute__((format(printf, 1, 2)));

/*
 * Parse a whole decimal integer in [min, max].  Returns 0, or -1 with a
 * reason ("not a number", "out of range 1-65535") in err.
 */
int	parse_long(const char *, long, long, long *, char *, size_t);

/*
 * Parse seconds ("2", "0.5", "1.25") into milliseconds in [0, max_ms].
 * Returns 0 or -1 with a reason in err.
 */
int	parse_secs(const char *, long, long *, char *, size_t);

/* Parse a byte size with an optional K/M/G suffix (powers of 1024). */
int	parse_size(const char *, long long, long long *, char *, size_t);

/* Monotonic milliseconds and microseconds. */
int64_t	now_ms(void);
int64_t	now_us(void);

/* Format n with thousands separators into buf ("1,048,576"). */
const char *fmt_count(unsigned long long, char *, size_t);

/* Set or clear O_NONBLOCK; returns 0 or -1 with errno. */
int	set_nonblock(int, int);

/* write() all of buf, retrying on EINTR and short writes; -1 on error. */
int	write_all(int, const void *, size_t);

#endif

/*
 * util.c: messages, number parsing, clocks, and libraries loaded on
 * first use (pcapload.c, sslload.c).
 */
#include "config.h"

#if defined(PCAP_SONAME) || defined(SSL_SONAME)
#include <dlfcn.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

int sk_verbosity;
volatile sig_atomic_t sk_interrupted;

static void
vwarn_common(int with_errno, const char *fmt, va_list ap)
{
	int	 saved = errno;
	char	 msg[1024];

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (with_errno)
		fprintf(stderr, "sockkit: %s: %s\n", msg, strerror(saved));
	else
		fprintf(stderr, "sockkit: %s\n", msg);
	errno = saved;
}

void
sk_message(int with_errno, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vwarn_common(with_errno, fmt, ap);
	va_end(ap);
}

void
sk_verbose(const char *fmt, ...)
{
	va_list	 ap;

	if (sk_verbosity == 0)
		return;
	va_start(ap, fmt);
	vwarn_common(0, fmt, ap);
	va_end(ap);
}

int
parse_long(const char *s, long min, long max, long *out, char *err,
    size_t errlen)
{
	char	*end;
	long	 v;

	if (*s == '\0' || (*s != '-' && *s != '+' && (*s < '0' || *s > '9'))) {
		snprintf(err, errlen, "not a number");
		return -1;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0') {
		snprintf(err, errlen, "not a number");
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		snprintf(err, errlen, "out of range %ld-%ld", min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int
parse_secs(const char *s, long max_ms, long *out_ms, char *err,
    size_t errlen)
{
	const char	*p = s;
	long		 secs = 0, frac = 0, ms;
	int		 digits = 0, over = 0, up = 0, i = 3;

	/*
	 * Plain decimals only ("2", "0.5", ".25"), read exactly in whole
	 * milliseconds, the fourth decimal rounding: strtod() would also
	 * take "1e3" and "0x10", and its double is off by a millisecond
	 * past 2^53 of them.  One message for every refusal, so that "1e9"
	 * and "100000" are told the same thing: what a good value looks
	 * like.
	 */
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (secs > max_ms / 1000)
			over = 1;
		else
			secs = secs * 10 + (*p - '0');
	}
	if (*p == '.')
		for (p++, i = 0; *p >= '0' && *p <= '9'; p++, i++, digits++) {
			if (i < 3)
				frac = frac * 10 + (*p - '0');
			else if (i == 3)
				up = *p >= '5';		/* half up */
		}
	for (; i < 3; i++)
		frac *= 10;
	ms = -1;
	if (*p == '\0' && digits > 0 && !over && secs <= max_ms / 1000)
		ms = secs * 1000 + frac + up;
	if (ms < 0 || ms > max_ms) {
		snprintf(err, errlen, "not a number of seconds from 0 to %ld "
		    "(such as 2 or 0.5)", max_ms / 1000);
		return -1;
	}
	*out_ms = ms;
	return 0;
}

int
parse_size(const char *s, long long max, long long *out, char *err,
    size_t errlen)
{
	char		*end;
	long long	 v, mult = 1;

	if (*s < '0' || *s > '9') {
		snprintf(err, errlen, "not a size");
		return -1;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	switch (*end) {
	case 'k': case 'K': mult = 1024; end++; break;
	case 'm': case 'M': mult = 1024 * 1024; end++; break;
	case 'g': case 'G': mult = 1024 * 1024 * 1024; end++; break;
	}
	if (*end != '\0') {
		snprintf(err, errlen, "not a size");
		return -1;
	}
	if (errno == ERANGE || v > max / mult) {
		snprintf(err, errlen, "larger than %lld", max);
		return -1;
	}
	*out = v * mult;
	return 0;
}

int64_t
now_ms(void)
{
	return now_us() / 1000;
}

int64_t
now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

const char *
fmt_count(unsigned long long n, char *buf, size_t len)
{
	char	 digits[32];
	size_t	 nd, i, o = 0;

	nd = (size_t)snprintf(digits, sizeof digits, "%llu", n);
	for (i = 0; i < nd && o + 1 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0 && o + 2 < len)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

int
set_nonblock(int fd, int on)
{
	int	 fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return -1;
	fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
	return fcntl(fd, F_SETFL, fl);
}

int
write_all(int fd, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Block SIGINT and SIGTERM; the old mask goes to old.  Returns 1 when one
 * has already come (sk_interrupted set).
 */
static int
interrupt_block(sigset_t *old)
{
	sigset_t	 set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, old);
	return sk_interrupted != 0;
}

int
sk_poll(struct pollfd *pfd, nfds_t n, int timeout_ms)
{
	struct timespec	 ts, *tp = NULL;
	sigset_t	 old;
	int		 rc = -1, e = EINTR;

	if (!interrupt_block(&old)) {
		if (timeout_ms >= 0) {
			ts.tv_sec = timeout_ms / 1000;
			ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
			tp = &ts;
		}
		rc = ppoll(pfd, n, tp, &old);
		e = errno;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return rc;
}

int
sk_epoll_wait(int ep, struct epoll_event *evs, int n, int timeout_ms)
{
	sigset_t	 old;
	int		 rc = -1, e = EINTR;

	if (!interrupt_block(&old)) {
		rc = epoll_pwait(ep, evs, n, timeout_ms, &old);
		e = errno;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return rc;
}

const char *
sk_self_path(char *buf, size_t len)
{
	ssize_t	 n = readlink("/proc/self/exe", buf, len - 1);

	if (n <= 0)
		return "sockkit";
	buf[n] = '\0';
	return buf;
}

const char *
sk_tmpdir(void)
{
	const char	*dir = getenv("TMPDIR");

	return dir != NULL && *dir != '\0' ? dir : "/tmp";
}

int
sk_tmpfile(void)
{
	char	 path[PATH_MAX];
	int	 fd;

	if ((fd = open(sk_tmpdir(), O_TMPFILE | O_RDWR | O_CLOEXEC,
	    0600)) != -1)
		return fd;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return -1;
	if ((size_t)snprintf(path, sizeof path, "%s/sockkit-XXXXXX",
	    sk_tmpdir()) >= sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = mkostemp(path, O_CLOEXEC)) != -1)
		(void)unlink(path);
	return fd;
}

int
sk_dlready(int loaded, const char *why, char *err, size_t errlen)
{
	if (loaded == 0)
		return 0;
	snprintf(err, errlen, "%s", why);
	errno = ELIBACC;
	return -1;
}

#if defined(PCAP_SONAME) || defined(SSL_SONAME)
/* Fill the n slots of syms from h; the first one missing, or n. */
static size_t
dl_resolve(void *h, const struct sk_dlsym *syms, size_t n)
{
	size_t	 i;
	void	*sym;

	for (i = 0; i < n; i++) {
		if ((sym = dlsym(h, syms[i].name)) == NULL)
			return i;
		memcpy(syms[i].slot, &sym, sizeof sym);
	}
	return n;
}

void *
sk_dlopen(const char *soname, const char *package, const char *need,
    const struct sk_dlsym *syms, size_t n, char *why, size_t whylen)
{
	const char	*reason;
	void		*h, *none = NULL;
	size_t		 len = strlen(soname), missing, i;

	if ((h = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		if ((reason = dlerror()) == NULL)
			reason = "unknown error";
		if (strncmp(reason, soname, len) == 0 &&
		    strncmp(reason + len, ": ", 2) == 0)
			reason += len + 2;
		snprintf(why, whylen, "cannot load %s: %s; install %s", soname,
		    reason, package);
		return NULL;
	}
	if ((missing = dl_resolve(h, syms, n)) == n)
		return h;
	snprintf(why, whylen, "cannot load %s: it has no %s; sockkit needs %s",
	    soname, syms[missing].name, need);
	dlclose(h);
	for (i = 0; i < n; i++)		/* no slot left pointing into it */
		memcpy(syms[i].slot, &none, sizeof none);
	return NULL;
}
#endif

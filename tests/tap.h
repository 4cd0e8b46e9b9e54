/*
 * tests/tap.h: the few TAP helpers the C unit tests use.  Each check
 * prints "ok N - what" or "not ok N - what" with the values that differed;
 * tap_done() prints the plan and returns the exit status.
 */
#ifndef TAP_H
#define TAP_H

#include <netdb.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline void
tap_ok(int cond, const char *what)
{
	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, what);
}

static inline void
tap_is_str(const char *got, const char *want, const char *what)
{
	int	 same = got != NULL && want != NULL && strcmp(got, want) == 0;

	tap_ok(same || (got == NULL && want == NULL), what);
	if (!same && !(got == NULL && want == NULL)) {
		printf("#   got:  '%s'\n", got ? got : "(null)");
		printf("#   want: '%s'\n", want ? want : "(null)");
	}
}

static inline void
tap_is_ll(long long got, long long want, const char *what)
{
	tap_ok(got == want, what);
	if (got != want)
		printf("#   got:  %lld\n#   want: %lld\n", got, want);
}

/* A check that cannot run here: "ok N # SKIP why". */
static inline void
tap_skip(const char *why)
{
	tap_n++;
	printf("ok %d # SKIP %s\n", tap_n, why);
}

/*
 * Why service-name checks cannot run here (no http in /etc/services, which
 * Debian's netbase installs), or NULL when they can.
 */
static inline const char *
tap_no_services(void)
{
	if (getservbyname("http", "tcp") == NULL)
		return "no /etc/services (Debian: netbase) for service names";
	return NULL;
}

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed == 0 ? 0 : 1;
}

#endif

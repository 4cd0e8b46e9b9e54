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

/*
 * One diagnostic line "#   LABEL'S'", control bytes as C escapes: a
 * newline in S must not end the TAP comment.
 */
static inline void
tap_diag_str(const char *label, const char *s)
{
	const unsigned char	*p;

	if (s == NULL) {
		printf("#   %s(null)\n", label);
		return;
	}
	printf("#   %s'", label);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\x%02x", *p);
		else
			putchar(*p);
	}
	fputs("'\n", stdout);
}

/* Whether got is want (both NULL counts); got and want when not. */
static inline void
tap_is_str(const char *got, const char *want, const char *what)
{
	int	 same = (got == NULL && want == NULL) || (got != NULL &&
		    want != NULL && strcmp(got, want) == 0);

	tap_ok(same, what);
	if (!same) {
		tap_diag_str("got:  ", got);
		tap_diag_str("want: ", want);
	}
}

/* Whether got == want; both numbers when not. */
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

/* Prints the plan "1..N"; returns the exit status: 0 when every check passed. */
static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed == 0 ? 0 : 1;
}

#endif

/*
 * cmd-connect-scan.c: connect -z HOST PORTS with a list or a range
 * ("20-30", "22,80,443"), checked by probe's engine and reported port by
 * port: in sockkit's words, or as OpenBSD nc -vz says it (sockkit nc).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-connect.h"
#include "net.h"
#include "probe.h"
#include "targets.h"
#include "util.h"

/* Past this many ports, the report points to probe. */
#define CONNECT_SCAN_HANDFUL	8

static int	connect_nc_words;

void
connect_set_nc_words(int on)
{
	connect_nc_words = on;
}

int
connect_nc_style(void)
{
	return connect_nc_words;
}

/* The results by port index, filled as the engine reports them. */
struct connect_scan {
	const struct tgt_ports *ports;
	struct probe_result *res;
	uint8_t		*have;
};

/* probe's on_result: keep r under its port's index. */
static void
connect_scan_result(const struct probe_result *r, void *arg)
{
	struct connect_scan	*s = arg;
	size_t			 lo = 0, hi = s->ports->n, mid;

	while (lo < hi) {		/* the list is ascending */
		mid = (lo + hi) / 2;
		if (s->ports->port[mid] < r->port)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->ports->n && s->ports->port[lo] == r->port) {
		s->res[lo] = *r;
		s->have[lo] = 1;
	}
}

/* Why port r is not open, as connect(2) would have said it. */
static const char *
connect_scan_why(const struct probe_result *r, char *buf, size_t len)
{
	switch (r->why) {
	case WHY_RST:
		return strerror(ECONNREFUSED);
	case WHY_NO_RESPONSE:
		return strerror(ETIMEDOUT);
	case WHY_ERRNO:
		return strerror(r->err);
	}
	return probe_reason(r, buf, len);
}

/* One port's line on stderr, in nc's words or in sockkit's. */
static void
connect_scan_say(const char *host, const struct probe_result *r)
{
	struct servent	*se = getservbyport(htons(r->port), "tcp");
	char		 why[80];

	if (connect_nc_words && r->state == PROBE_OPEN)
		fprintf(stderr, "Connection to %s %u port [tcp/%s] "
		    "succeeded!\n", host, r->port, se ? se->s_name : "*");
	else if (connect_nc_words)
		fprintf(stderr, "nc: connect to %s port %u (tcp) failed: %s\n",
		    host, r->port, connect_scan_why(r, why, sizeof why));
	else
		sk_verbose("%s port %u%s%s%s: %s (%s)", host, r->port,
		    se ? " (" : "", se ? se->s_name : "", se ? ")" : "",
		    probe_state_name(r->state), probe_reason(r, why,
		    sizeof why));
}

/*
 * The set of host (its first address of family) and ports (the set takes
 * them).  Returns 0, or -1 with err.
 */
static int
connect_scan_set(struct tgt_set *set, const char *host, int family,
    struct tgt_ports *ports, char *err, size_t errlen)
{
	struct addrinfo		*res;
	struct tgt_spec		 sp;
	const struct sockaddr	*sa;
	const uint8_t		*a;
	int			 rc;

	tgt_set_init(set, ports);
	if (set->plist == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (tgt_spec_parse(host, "tcp", &sp, err, errlen) == -1 ||
	    net_resolve(host, 0, family, SOCK_STREAM, 0, &res, err,
	    errlen) == -1)
		return -1;
	sa = res->ai_addr;
	if (sa->sa_family == AF_INET)
		a = (const uint8_t *)&((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr;
	else {
		a = ((const struct sockaddr_in6 *)(const void *)sa)->
		    sin6_addr.s6_addr;
		sp.scope = ((const struct sockaddr_in6 *)(const void *)sa)->
		    sin6_scope_id;
	}
	rc = tgt_set_add(set, &sp, sa->sa_family, sp.numeric ? NULL : a, err,
	    errlen);
	freeaddrinfo(res);
	if (rc == -1 || tgt_set_finish(set) == -1)
		return -1;
	return 0;
}

/* Run the engine over set, results into s; 0 or -1 with err. */
static int
connect_scan_run(const struct tgt_set *set, struct connect_scan *s,
    long wait_ms, char *err, size_t errlen)
{
	struct probe_opts	 eo;
	struct probe_stats	 st;
	struct tgt_iter		 it;

	memset(&eo, 0, sizeof eo);
	eo.cap = 64;
	eo.retries = 1;
	eo.fixed_timeout_ms = wait_ms;
	eo.min_timeout_ms = 100;
	eo.max_timeout_ms = 10000;
	eo.on_result = connect_scan_result;
	eo.arg = s;
	tgt_iter_init(&it, set, 0, 0, 1, 1);
	return probe_run(&eo, set, &it, &st, err, errlen);
}

int
connect_scan(const char *host, const char *spec, int family, long wait_ms)
{
	struct tgt_ports	 ports;
	struct tgt_set		 set;
	struct connect_scan	 s = { 0 };
	char			 err[300];
	size_t			 i, open = 0;
	int			 rc = EXIT_RUNTIME;

	if (tgt_ports_parse(spec, "tcp", &ports, err, sizeof err) == -1) {
		sk_warnx("connect: %s", err);
		return EXIT_USAGE;	/* checked before */
	}
	memset(&set, 0, sizeof set);
	if (connect_scan_set(&set, host, family, &ports, err,
	    sizeof err) == -1)
		goto out;
	s.ports = set.plist;
	s.res = calloc(s.ports->n, sizeof *s.res);
	s.have = calloc(s.ports->n, 1);
	if (s.res == NULL || s.have == NULL) {
		snprintf(err, sizeof err, "out of memory");
		goto out;
	}
	if (connect_scan_run(&set, &s, wait_ms, err, sizeof err) == -1)
		goto out;
	for (i = 0; i < s.ports->n; i++) {
		if (!s.have[i])
			continue;	/* interrupted */
		open += s.res[i].state == PROBE_OPEN;
		if (sk_verbosity > 0)
			connect_scan_say(host, &s.res[i]);
	}
	if (s.ports->n > CONNECT_SCAN_HANDFUL && (sk_verbosity > 0 ||
	    !connect_nc_words))
		sk_warnx("connect: %zu ports, %zu open: for more than %d, "
		    "sockkit probe -p %s %s gives a table, -oX and -oG",
		    s.ports->n, open, CONNECT_SCAN_HANDFUL, spec, host);
	rc = open > 0 ? EXIT_OK : EXIT_RUNTIME;
	err[0] = '\0';
out:
	if (rc != EXIT_OK && err[0] != '\0')
		sk_warnx("connect: %s", err);
	free(s.res);
	free(s.have);
	if (set.plist != NULL)
		tgt_set_free(&set);
	else
		tgt_ports_free(&ports);
	return rc;
}

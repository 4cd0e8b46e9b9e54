/*
 * fuzz-targets.c: a fuzz target for "sockkit probe"'s parsers and job
 * space (src/targets.h): port lists, targets, exclusions, shards and the
 * keyed permutation.  Linked with tests/fuzz-common.c: no name lookups.
 *
 * Input: a flags byte, then lines: a port list, a shard "I/N", then
 * targets ("!" before one makes it an exclusion).  Properties: a port list
 * is ascending, in 1-65535, holds the ports it names and parses back from
 * its own ranges; a target's address is masked to its prefix and prints
 * back to the same spec; every refusal says what it refused; the set
 * holds no excluded and no repeated host; the shards together visit every
 * (host, port) job exactly once, each port one of its host's.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "net.h"
#include "targets.h"

const char *const fuzz_seed_dirs[] = { "fuzz/targets",
    "fuzz/regress/targets", NULL };

#define MAX_JOBS	(1 << 12)

static int	ports_has(const struct tgt_ports *, long);
static int	check_ports(const char *, const char *, struct tgt_ports *);
static void	ports_string(const struct tgt_ports *, char *, size_t);
static int	check_spec(const char *, const char *, struct tgt_spec *);
static void	check_set(const struct tgt_set *);
static void	check_shards(const struct tgt_set *, const char *, unsigned);
static uint64_t	job_index(const struct tgt_set *, uint32_t, uint16_t);

/* The list as "a-b,c,...": ranges of consecutive ports. */
static void
ports_string(const struct tgt_ports *p, char *buf, size_t len)
{
	size_t	 i, j, o = 0;

	buf[0] = '\0';
	for (i = 0; i < p->n && o < len; i = j) {
		for (j = i + 1; j < p->n && p->port[j] == p->port[j - 1] + 1;
		    j++)
			;
		o += (size_t)snprintf(buf + o, len - o, "%s%u", i ? "," : "",
		    p->port[i]);
		if (j - 1 > i && o < len)
			o += (size_t)snprintf(buf + o, len - o, "-%u",
			    p->port[j - 1]);
	}
	FUZZ_ASSERT(o < len);
}

/* Whether the list holds port v. */
static int
ports_has(const struct tgt_ports *p, long v)
{
	size_t	 i;

	for (i = 0; i < p->n; i++)
		if (p->port[i] == v)
			return 1;
	return 0;
}

/* tgt_ports_parse; returns 0 with out filled, or -1. */
static int
check_ports(const char *spec, const char *proto, struct tgt_ports *out)
{
	struct tgt_ports	 again;
	static char		 buf[400000];
	char			 err[512];
	const char		*item;
	size_t			 i;
	long			 v;
	char			*end;

	err[0] = '\0';
	if (tgt_ports_parse(spec, proto, out, err, sizeof err) == -1) {
		FUZZ_ASSERT(strncmp(err, "bad port", 8) == 0 ||
		    strncmp(err, "empty ", 6) == 0);
		return -1;
	}
	FUZZ_ASSERT(out->n >= 1 && out->n <= 65535 && out->port[0] >= 1);
	for (i = 1; i < out->n; i++)
		FUZZ_ASSERT(out->port[i] > out->port[i - 1]);
	/* Every item that is a plain number is in the list. */
	for (item = spec; *item != '\0'; item = end + (*end == ',')) {
		v = strtol(item, &end, 10);
		if (end > item && *item != '-' && *item != '+' &&
		    (*end == ',' || *end == '\0'))
			FUZZ_ASSERT(ports_has(out, v));
		else if ((end = strchr(item, ',')) == NULL)
			break;
	}
	ports_string(out, buf, sizeof buf);
	FUZZ_ASSERT(tgt_ports_parse(buf, proto, &again, err, sizeof err) == 0);
	FUZZ_ASSERT(again.n == out->n && memcmp(again.port, out->port,
	    out->n * sizeof *out->port) == 0);
	tgt_ports_free(&again);
	return 0;
}

/* tgt_spec_parse; returns 0 with sp filled, or -1. */
static int
check_spec(const char *s, const char *proto, struct tgt_spec *sp)
{
	struct tgt_spec	 sp2;
	char		 err[512], addr[NET_ADDRSTRLEN], again[400];
	unsigned	 max, i;

	err[0] = '\0';
	if (tgt_spec_parse(s, proto, sp, err, sizeof err) == -1) {
		FUZZ_ASSERT(strncmp(err, "bad target '", 12) == 0);
		return -1;
	}
	FUZZ_ASSERT(sp->host[0] != '\0' && memchr(sp->host, '\0',
	    sizeof sp->host) != NULL);
	FUZZ_ASSERT(!sp->has_port || sp->port != 0);
	if (!sp->numeric) {
		FUZZ_ASSERT(strspn(sp->host, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._") ==
		    strlen(sp->host));
		FUZZ_ASSERT(tgt_spec_size(sp) == 1);
		return 0;
	}
	FUZZ_ASSERT(sp->family == AF_INET || sp->family == AF_INET6);
	max = sp->family == AF_INET ? 32 : 128;
	FUZZ_ASSERT(sp->prefix <= max);
	for (i = sp->prefix; i < 128; i++)	/* masked to the prefix */
		FUZZ_ASSERT(!(sp->addr[i / 8] & (0x80 >> (i % 8))));
	FUZZ_ASSERT(tgt_spec_size(sp) == (max - sp->prefix >= 64 ?
	    UINT64_MAX : (uint64_t)1 << (max - sp->prefix)));
	inet_ntop(sp->family, sp->addr, addr, sizeof addr);
	if (sp->family == AF_INET6 && sp->has_port)
		snprintf(again, sizeof again, "[%s/%u]:%u", addr, sp->prefix,
		    sp->port);
	else if (sp->has_port)
		snprintf(again, sizeof again, "%s/%u:%u", addr, sp->prefix,
		    sp->port);
	else
		snprintf(again, sizeof again, "%s/%u", addr, sp->prefix);
	FUZZ_ASSERT(tgt_spec_parse(again, proto, &sp2, err, sizeof err) == 0);
	FUZZ_ASSERT(sp2.numeric && sp2.family == sp->family &&
	    sp2.prefix == sp->prefix && sp2.has_port == sp->has_port &&
	    sp2.port == sp->port && memcmp(sp2.addr, sp->addr, 16) == 0);
	return 0;
}

/* No host excluded or held twice; total is the sum of the port lists. */
static void
check_set(const struct tgt_set *set)
{
	uint64_t	 total = 0;
	size_t		 i, j, k;
	unsigned	 len, b;
	int		 in;

	for (i = 0; i < set->nhost; i++) {
		len = set->host[i].family == AF_INET ? 4 : 16;
		FUZZ_ASSERT(set->host[i].plist < set->nplist);
		total += set->plist[set->host[i].plist].n;
		for (j = 0; j < set->nexcl; j++) {
			if (set->excl[j].family != set->host[i].family)
				continue;
			for (in = 1, b = 0; b < set->excl[j].prefix && in; b++)
				in = ((set->host[i].addr[b / 8] ^
				    set->excl[j].addr[b / 8]) &
				    (0x80 >> (b % 8))) == 0;
			FUZZ_ASSERT(!in);
		}
		for (k = i + 1; k < set->nhost && k < i + 64; k++)
			FUZZ_ASSERT(set->host[k].family != set->host[i].family ||
			    memcmp(set->host[k].addr, set->host[i].addr,
			    len) != 0);
	}
	FUZZ_ASSERT(set->total == total);
}

/* The job number of (host, port); aborts if port is not the host's. */
static uint64_t
job_index(const struct tgt_set *set, uint32_t host, uint16_t port)
{
	const struct tgt_ports	*p;
	size_t			 lo = 0, hi, mid;

	FUZZ_ASSERT(host < set->nhost);
	p = &set->plist[set->host[host].plist];
	hi = p->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (p->port[mid] < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	FUZZ_ASSERT(lo < p->n && p->port[lo] == port);
	return set->cum[host] + lo;
}

/* Every shard of "I/N" together: each job exactly once. */
static void
check_shards(const struct tgt_set *set, const char *shard, unsigned flags)
{
	struct tgt_iter	 it;
	uint64_t	 index, count, i, seen = 0, j;
	uint8_t		*bits;
	uint32_t	 host;
	uint16_t	 port;
	char		 err[512];

	if (tgt_shard_parse(shard, &index, &count, err, sizeof err) == -1) {
		FUZZ_ASSERT(strncmp(err, "bad shard '", 11) == 0);
		count = 1 + flags % 5;
	} else
		FUZZ_ASSERT(index >= 1 && index <= count && count <= 1000000);
	if (set->total > MAX_JOBS || count > 64)
		return;
	if ((bits = calloc(MAX_JOBS / 8 + 1, 1)) == NULL)
		abort();
	for (i = 1; i <= count; i++) {
		tgt_iter_init(&it, set, flags * 0x9e3779b97f4a7c15ULL,
		    flags & 1, i, count);
		while (tgt_iter_next(&it, &host, &port)) {
			j = job_index(set, host, port);
			FUZZ_ASSERT(!(bits[j / 8] & (1 << (j % 8))));
			bits[j / 8] |= (uint8_t)(1 << (j % 8));
			FUZZ_ASSERT(++seen <= set->total);
		}
	}
	FUZZ_ASSERT(seen == set->total);
	free(bits);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tgt_ports	 ports;
	struct tgt_spec		 sp;
	struct tgt_set		 set;
	char			*s, *line[64], *p, err[512];
	const char		*proto;
	uint8_t			 a[16];
	size_t			 n = 0, i;
	unsigned		 flags;

	if (size == 0 || size > 8192)
		return 0;
	flags = data[0];
	proto = flags & 2 ? "udp" : "tcp";
	s = fuzz_cstr(data + 1, size - 1);
	for (p = s; p != NULL && n < 64; n++) {
		line[n] = p;
		if ((p = strchr(p, '\n')) != NULL)
			*p++ = '\0';
	}
	if (check_ports(line[0], proto, &ports) == -1) {
		free(s);
		return 0;
	}
	tgt_set_init(&set, &ports);
	for (i = 2; i < n; i++) {	/* exclusions first, as probe does */
		if (line[i][0] == '!' && check_spec(line[i] + 1, proto,
		    &sp) == 0 && sp.numeric)
			FUZZ_ASSERT(tgt_set_exclude(&set, sp.family, sp.addr,
			    sp.prefix, err, sizeof err) == 0);
	}
	for (i = 2; i < n; i++) {
		if (line[i][0] == '!' || check_spec(line[i], proto, &sp) == -1 ||
		    tgt_spec_size(&sp) > 256 || set.nhost > 4096)
			continue;
		memset(a, 0, sizeof a);		/* a name "resolves" here */
		a[0] = 192; a[2] = 2; a[3] = (uint8_t)strlen(sp.host);
		FUZZ_ASSERT(tgt_set_add(&set, &sp, AF_INET, a, err,
		    sizeof err) == 0);
	}
	FUZZ_ASSERT(tgt_set_finish(&set) == 0);
	check_set(&set);
	if (n > 1)
		check_shards(&set, line[1], flags);
	tgt_set_free(&set);
	free(s);
	return 0;
}

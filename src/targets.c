/*
 * targets.c: port lists, targets, exclusions and probe order for
 * "sockkit probe".  Pure code: no sockets, no printing, no exit.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "targets.h"
#include "util.h"

static int	ports_number(const char *, const char *, long *, char *,
		    size_t);
static int	ports_item(const char *, const char *, uint8_t *, char *,
		    size_t);
static void	mask_prefix(uint8_t *, unsigned, unsigned);
static int	spec_split(const char *, char *, size_t, const char **,
		    char *, size_t);
static int	spec_host(const char *, struct tgt_spec *, char *, size_t);
static int	set_excluded(const struct tgt_set *, int, const uint8_t *);
static uint32_t	set_hashkey(int, const uint8_t *);
static int	set_rehash(struct tgt_set *, size_t);
static int	set_add_plist(struct tgt_set *, struct tgt_ports *);
static int	set_merge(struct tgt_set *, uint32_t, uint32_t, uint32_t *);
static int	set_add_one(struct tgt_set *, int, const uint8_t *, uint32_t,
		    uint32_t,
		    const char *, char *, size_t);
static const char *set_keep_name(struct tgt_set *, const char *);
static uint64_t	perm_mix(uint64_t);

/*
 * One end of a port range: a number 1-65535.  Returns 0, or -1 with an
 * error naming the part.
 */
static int
ports_number(const char *s, const char *item, long *out, char *err,
    size_t errlen)
{
	char	 why[64];

	if (parse_long(s, 1, 65535, out, why, sizeof why) == 0 && *s != '+' &&
	    *s != '-')
		return 0;
	if (strcmp(why, "not a number") == 0 || *s == '+' || *s == '-')
		snprintf(why, sizeof why, "not a number");
	if (strcmp(s, item) == 0)
		snprintf(err, errlen, "bad port '%s': %s", s, why);
	else
		snprintf(err, errlen, "bad port '%s' in range '%s': %s", s,
		    item, why);
	return -1;
}

/*
 * Mark the ports of one comma-separated item in bits.  Returns 0, or -1
 * with an error that quotes the item.
 */
static int
ports_item(const char *item, const char *proto, uint8_t *bits, char *err,
    size_t errlen)
{
	struct servent	*se;
	char		 lo[16], *dash;
	long		 a = 1, b = 65535, p;

	if (*item < '0' || *item > '9') {
		if (*item != '-' && (se = getservbyname(item, proto)) != NULL) {
			p = ntohs((uint16_t)se->s_port);
			bits[p / 8] |= (uint8_t)(1 << (p % 8));
			return 0;
		}
	}
	if ((dash = strchr(item, '-')) == NULL) {
		if (*item < '0' || *item > '9') {
			snprintf(err, errlen, "bad port '%s': not a number or "
			    "a known %s service name", item, proto);
			return -1;
		}
		if (ports_number(item, item, &a, err, errlen) == -1)
			return -1;
		b = a;
	} else {
		if ((size_t)(dash - item) >= sizeof lo) {
			snprintf(err, errlen, "bad port range '%s'", item);
			return -1;
		}
		memcpy(lo, item, (size_t)(dash - item));
		lo[dash - item] = '\0';
		if (lo[0] != '\0' && ports_number(lo, item, &a, err,
		    errlen) == -1)
			return -1;
		if (dash[1] != '\0' && ports_number(dash + 1, item, &b, err,
		    errlen) == -1)
			return -1;
		if (a > b) {
			snprintf(err, errlen, "bad port range '%s': %ld is "
			    "greater than %ld", item, a, b);
			return -1;
		}
	}
	for (p = a; p <= b; p++)
		bits[p / 8] |= (uint8_t)(1 << (p % 8));
	return 0;
}

int
tgt_ports_bits(const uint8_t *bits, struct tgt_ports *out)
{
	size_t	 n = 0;
	long	 p;

	for (p = 1; p <= 65535; p++)
		n += (bits[p / 8] >> (p % 8)) & 1;
	out->n = 0;
	if ((out->port = calloc(n ? n : 1, sizeof *out->port)) == NULL)
		return -1;
	for (p = 1; p <= 65535; p++)
		if ((bits[p / 8] >> (p % 8)) & 1)
			out->port[out->n++] = (uint16_t)p;
	return 0;
}

int
tgt_ports_parse(const char *spec, const char *proto, struct tgt_ports *out,
    char *err, size_t errlen)
{
	uint8_t		 bits[65536 / 8];
	char		*copy, *item, *next;
	int		 rc = 0;

	memset(out, 0, sizeof *out);
	if (*spec == '\0') {
		snprintf(err, errlen, "empty port list");
		return -1;
	}
	if ((copy = strdup(spec)) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	memset(bits, 0, sizeof bits);
	for (item = copy; item != NULL && rc == 0; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		if (*item == '\0') {
			snprintf(err, errlen, "empty item in port list '%s'",
			    spec);
			rc = -1;
		} else
			rc = ports_item(item, proto, bits, err, errlen);
	}
	free(copy);
	if (rc == 0 && tgt_ports_bits(bits, out) == -1) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		rc = -1;
	}
	return rc;
}

void
tgt_ports_free(struct tgt_ports *p)
{
	free(p->port);
	p->port = NULL;
	p->n = 0;
}

/* Clear the bits of addr (len bytes) after the first prefix bits. */
static void
mask_prefix(uint8_t *addr, unsigned len, unsigned prefix)
{
	unsigned	 i;

	for (i = 0; i < len; i++) {
		if (prefix >= 8 * (i + 1))
			continue;
		if (prefix <= 8 * i)
			addr[i] = 0;
		else
			addr[i] &= (uint8_t)(0xff << (8 - (prefix - 8 * i)));
	}
}

/*
 * Split s into its host part (without brackets) and its port part (NULL
 * when none).  Returns 0 or -1 with err.
 */
static int
spec_split(const char *s, char *host, size_t hostlen, const char **port,
    char *err, size_t errlen)
{
	const char	*end, *colon = strchr(s, ':');
	size_t		 n;

	*port = NULL;
	if (s[0] == '[') {
		if ((end = strchr(s, ']')) == NULL || (end[1] != '\0' &&
		    end[1] != ':'))
			goto bad;
		n = (size_t)(end - s - 1);
		*port = end[1] == ':' ? end + 2 : NULL;
		s++;
	} else if (colon != NULL && strchr(colon + 1, ':') == NULL) {
		n = (size_t)(colon - s);
		*port = colon + 1;
	} else
		n = strlen(s);
	if (n == 0 || n >= hostlen || (*port != NULL && **port == '\0'))
		goto bad;
	memcpy(host, s, n);
	host[n] = '\0';
	return 0;
bad:
	snprintf(err, errlen, "bad target '%s': expected HOST, ADDRESS, "
	    "ADDRESS/PREFIX or HOST:PORT", s);
	return -1;
}

/*
 * A link-local IPv6 address with its zone, "fe80::1%eth0" (or "%2"): one
 * address, bound to that interface.  Returns 0 or -1 with err.
 */
static int
spec_zoned(const char *s, const char *zone, struct tgt_spec *sp,
    char *err, size_t errlen)
{
	char	 a[NET_ADDRSTRLEN];
	size_t	 n = (size_t)(zone - s);
	long	 idx;

	if (n < sizeof a) {
		memcpy(a, s, n);
		a[n] = '\0';
	}
	if (n >= sizeof a || inet_pton(AF_INET6, a, sp->addr) != 1) {
		snprintf(err, errlen, "a zone (%%INTERFACE) goes with one IPv6 "
		    "address, without /PREFIX");
		return -1;
	}
	if ((sp->scope = if_nametoindex(zone + 1)) == 0 &&
	    parse_long(zone + 1, 1, INT32_MAX, &idx, a, sizeof a) == 0)
		sp->scope = (uint32_t)idx;
	if (sp->scope == 0) {
		snprintf(err, errlen, "no interface '%.64s' for the zone",
		    zone + 1);
		return -1;
	}
	sp->numeric = 1;
	sp->family = AF_INET6;
	sp->prefix = 128;
	return 0;
}

/* Classify the host part: address, block or name.  0 or -1 with err. */
static int
spec_host(const char *s, struct tgt_spec *sp, char *err, size_t errlen)
{
	struct net_cidr	 c;
	const char	*why;

	if (strchr(s, '%') != NULL)
		return spec_zoned(s, strchr(s, '%'), sp, err, errlen);
	if (strchr(s, '/') != NULL || strchr(s, ':') != NULL ||
	    inet_pton(AF_INET, s, sp->addr) == 1) {
		if (net_cidr_parse(s, &c, err, errlen) == -1)
			return -1;
		sp->numeric = 1;
		sp->family = c.family;
		sp->prefix = c.prefix;
		memcpy(sp->addr, c.addr, sizeof sp->addr);
		mask_prefix(sp->addr, c.family == AF_INET ? 4 : 16, c.prefix);
		return 0;
	}
	why = s[0] == '-' ? "not an address or a host name" : net_host_why(s);
	if (why == NULL)
		return 0;
	if (strcmp(why, "not an address or a host name") == 0)
		why = "not an address, address block or host name";
	snprintf(err, errlen, "%s", why);
	return -1;
}

int
tgt_spec_parse(const char *s, const char *proto, struct tgt_spec *sp,
    char *err, size_t errlen)
{
	const char	*port;
	char		 why[256];

	memset(sp, 0, sizeof *sp);
	if (spec_split(s, sp->host, sizeof sp->host, &port, err, errlen) == -1)
		return -1;
	if (spec_host(sp->host, sp, why, sizeof why) == -1) {
		snprintf(err, errlen, "bad target '%.200s': %s", s, why);
		return -1;
	}
	if (port != NULL) {
		if (net_parse_port(port, proto, 0, &sp->port, why,
		    sizeof why) == -1) {
			snprintf(err, errlen, "bad target '%.200s': %s", s,
			    why);
			return -1;
		}
		sp->has_port = 1;
	}
	return 0;
}

uint64_t
tgt_spec_size(const struct tgt_spec *sp)
{
	unsigned	 bits;

	if (!sp->numeric)
		return 1;
	bits = (sp->family == AF_INET ? 32 : 128) - sp->prefix;
	return bits >= 64 ? UINT64_MAX : (uint64_t)1 << bits;
}

void
tgt_set_init(struct tgt_set *set, struct tgt_ports *ports)
{
	memset(set, 0, sizeof *set);
	set->plist = calloc(1, sizeof *set->plist);
	if (set->plist != NULL) {
		set->plist[0] = *ports;
		set->nplist = 1;
	} else
		tgt_ports_free(ports);
	memset(ports, 0, sizeof *ports);
}

void
tgt_set_free(struct tgt_set *set)
{
	size_t	 i;

	for (i = 0; i < set->nplist; i++)
		tgt_ports_free(&set->plist[i]);
	for (i = 0; i < set->nnames; i++)
		free(set->names[i]);
	free(set->names);
	free(set->plist);
	free(set->host);
	free(set->excl);
	free(set->hash);
	free(set->cum);
	memset(set, 0, sizeof *set);
}

int
tgt_set_exclude(struct tgt_set *set, int family, const uint8_t *addr,
    unsigned prefix, char *err, size_t errlen)
{
	struct tgt_excl	*e;

	e = realloc(set->excl, (set->nexcl + 1) * sizeof *e);
	if (e == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	set->excl = e;
	e += set->nexcl++;
	memset(e, 0, sizeof *e);
	e->family = family;
	e->prefix = prefix;
	memcpy(e->addr, addr, family == AF_INET ? 4 : 16);
	mask_prefix(e->addr, family == AF_INET ? 4 : 16, prefix);
	return 0;
}

/* Whether addr falls in an excluded block. */
static int
set_excluded(const struct tgt_set *set, int family, const uint8_t *addr)
{
	uint8_t	 a[16];
	size_t	 i;
	unsigned len = family == AF_INET ? 4 : 16;

	for (i = 0; i < set->nexcl; i++) {
		if (set->excl[i].family != family)
			continue;
		memcpy(a, addr, len);
		mask_prefix(a, len, set->excl[i].prefix);
		if (memcmp(a, set->excl[i].addr, len) == 0)
			return 1;
	}
	return 0;
}

/* FNV-1a over the family and address: the host table's hash. */
static uint32_t
set_hashkey(int family, const uint8_t *addr)
{
	uint32_t	 h = 2166136261u ^ (uint32_t)family;
	unsigned	 i, len = family == AF_INET ? 4 : 16;

	for (i = 0; i < len; i++)
		h = (h ^ addr[i]) * 16777619u;
	return h;
}

/* Grow the host hash table to size slots; returns 0 or -1 (ENOMEM). */
static int
set_rehash(struct tgt_set *set, size_t size)
{
	uint32_t	*t, k;
	size_t		 i, j;

	if ((t = calloc(size, sizeof *t)) == NULL)
		return -1;
	for (i = 0; i < set->nhost; i++) {
		k = set_hashkey(set->host[i].family, set->host[i].addr);
		for (j = k & (size - 1); t[j] != 0; j = (j + 1) & (size - 1))
			;
		t[j] = (uint32_t)i + 1;
	}
	free(set->hash);
	set->hash = t;
	set->hashsize = size;
	return 0;
}

/* Append a port list (the set takes it); returns its index or -1. */
static int
set_add_plist(struct tgt_set *set, struct tgt_ports *p)
{
	struct tgt_ports	*np;

	np = realloc(set->plist, (set->nplist + 1) * sizeof *np);
	if (np == NULL) {
		tgt_ports_free(p);
		return -1;
	}
	set->plist = np;
	np[set->nplist] = *p;
	return (int)set->nplist++;
}

/*
 * The union of port lists a and b as a port list index in *out, made
 * once per pair (the last pair is remembered: a block given twice merges
 * every host the same way).  Returns 0 or -1 (ENOMEM).
 */
static int
set_merge(struct tgt_set *set, uint32_t a, uint32_t b, uint32_t *out)
{
	uint8_t				 bits[65536 / 8];
	struct tgt_ports		 u;
	size_t				 i;
	int				 idx;

	if (set->merged[2] != 0 && set->merged[0] == a &&
	    set->merged[1] == b) {
		*out = set->merged[2];
		return 0;
	}
	memset(bits, 0, sizeof bits);
	for (i = 0; i < set->plist[a].n; i++)
		bits[set->plist[a].port[i] / 8] |=
		    (uint8_t)(1 << (set->plist[a].port[i] % 8));
	for (i = 0; i < set->plist[b].n; i++)
		bits[set->plist[b].port[i] / 8] |=
		    (uint8_t)(1 << (set->plist[b].port[i] % 8));
	if (tgt_ports_bits(bits, &u) == -1 ||
	    (idx = set_add_plist(set, &u)) == -1)
		return -1;
	set->merged[0] = a;
	set->merged[1] = b;
	*out = set->merged[2] = (uint32_t)idx;
	return 0;
}

/*
 * Add one address (with its IPv6 scope, 0 for none) unless it is
 * excluded; a repeated address gets the union of its port lists.
 * Returns 0 or -1 with err.
 */
static int
set_add_one(struct tgt_set *set, int family, const uint8_t *addr,
    uint32_t scope, uint32_t plist, const char *name, char *err,
    size_t errlen)
{
	struct tgt_host	*h;
	uint32_t	 k, idx;
	size_t		 j, len = family == AF_INET ? 4 : 16;

	if (set_excluded(set, family, addr))
		return 0;
	if ((set->nhost + 1) * 2 > set->hashsize && set_rehash(set,
	    set->hashsize ? set->hashsize * 2 : 64) == -1)
		goto nomem;
	k = set_hashkey(family, addr);
	for (j = k & (set->hashsize - 1); set->hash[j] != 0;
	    j = (j + 1) & (set->hashsize - 1)) {
		h = &set->host[set->hash[j] - 1];
		if (h->family != family || memcmp(h->addr, addr, len) != 0 ||
		    h->scope != scope)
			continue;
		if (h->plist != plist && set_merge(set, h->plist, plist,
		    &idx) == -1)
			goto nomem;
		if (h->plist != plist)
			h->plist = idx;
		return 0;
	}
	if (set->nhost >= TGT_MAX_HOSTS) {
		snprintf(err, errlen, "more than %lu hosts", TGT_MAX_HOSTS);
		return -1;
	}
	if (set->nhost == set->hostcap) {
		h = realloc(set->host, (set->hostcap ? set->hostcap * 2 : 64) *
		    sizeof *h);
		if (h == NULL)
			goto nomem;
		set->host = h;
		set->hostcap = set->hostcap ? set->hostcap * 2 : 64;
	}
	h = &set->host[set->nhost];
	memset(h, 0, sizeof *h);
	h->family = family;
	memcpy(h->addr, addr, len);
	h->scope = scope;
	h->plist = plist;
	h->name = name;
	set->hash[j] = (uint32_t)++set->nhost;
	return 0;
nomem:
	snprintf(err, errlen, "%s", strerror(ENOMEM));
	return -1;
}

uint32_t
tgt_set_find(const struct tgt_set *set, int family, const uint8_t *addr,
    uint32_t scope)
{
	const struct tgt_host	*h;
	size_t			 j, len = family == AF_INET ? 4 : 16;

	if (set->hashsize == 0)
		return UINT32_MAX;
	for (j = set_hashkey(family, addr) & (set->hashsize - 1);
	    set->hash[j] != 0; j = (j + 1) & (set->hashsize - 1)) {
		h = &set->host[set->hash[j] - 1];
		if (h->family == family && memcmp(h->addr, addr, len) == 0 &&
		    h->scope == scope)
			return set->hash[j] - 1;
	}
	return UINT32_MAX;
}

/* Keep a copy of a hostname for the hosts that point at it. */
static const char *
set_keep_name(struct tgt_set *set, const char *name)
{
	char	**n;

	if ((n = realloc(set->names, (set->nnames + 1) * sizeof *n)) == NULL)
		return NULL;
	set->names = n;
	if ((n[set->nnames] = strdup(name)) == NULL)
		return NULL;
	return n[set->nnames++];
}

int
tgt_set_add(struct tgt_set *set, const struct tgt_spec *sp, int family,
    const uint8_t *addr, char *err, size_t errlen)
{
	struct tgt_ports	 one;
	uint64_t		 i, size = tgt_spec_size(sp);
	uint8_t			 a[16];
	uint32_t		 plist = 0, v4;
	const char		*name = NULL;
	int			 idx, b;

	if (size > TGT_MAX_HOSTS - set->nhost) {
		snprintf(err, errlen, "target '%s': more than %lu hosts",
		    sp->host, TGT_MAX_HOSTS);
		return -1;
	}
	if (sp->has_port) {
		one.n = 1;
		if ((one.port = malloc(sizeof *one.port)) == NULL ||
		    (idx = set_add_plist(set, &one)) == -1)
			goto nomem;
		one.port[0] = sp->port;
		plist = (uint32_t)idx;
	}
	if (!sp->numeric) {
		if ((name = set_keep_name(set, sp->host)) == NULL)
			goto nomem;
		return set_add_one(set, family, addr, 0, plist, name, err,
		    errlen);
	}
	memcpy(a, sp->addr, sizeof a);
	for (i = 0; i < size; i++) {
		if (sp->family == AF_INET) {
			memcpy(&v4, sp->addr, 4);
			v4 = htonl(ntohl(v4) + (uint32_t)i);
			memcpy(a, &v4, 4);
		} else if (i > 0)	/* add one, carrying */
			for (b = 15; b >= 0 && ++a[b] == 0; b--)
				;
		if (set_add_one(set, sp->family, a, sp->scope, plist, NULL,
		    err, errlen) == -1)
			return -1;
	}
	return 0;
nomem:
	snprintf(err, errlen, "%s", strerror(ENOMEM));
	return -1;
}

int
tgt_set_finish(struct tgt_set *set)
{
	size_t	 i;

	free(set->cum);
	if ((set->cum = calloc(set->nhost + 1, sizeof *set->cum)) == NULL)
		return -1;
	for (i = 0; i < set->nhost; i++)
		set->cum[i + 1] = set->cum[i] +
		    set->plist[set->host[i].plist].n;
	set->total = set->cum[set->nhost];
	return 0;
}

void
tgt_set_job(const struct tgt_set *set, uint64_t j, uint32_t *host,
    uint16_t *port)
{
	size_t	 lo = 0, hi = set->nhost, mid;

	/* The last host whose first job is at or before j. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (set->cum[mid] <= j)
			lo = mid;
		else
			hi = mid;
	}
	*host = (uint32_t)lo;
	*port = set->plist[set->host[lo].plist].port[j - set->cum[lo]];
}

/* The splitmix64 finaliser: a strong, cheap 64-bit mixing function. */
static uint64_t
perm_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void
tgt_perm_init(struct tgt_perm *p, uint64_t n, uint64_t seed, int randomize)
{
	unsigned	 i;

	memset(p, 0, sizeof *p);
	p->n = n;
	p->identity = !randomize;
	p->halfbits = 1;
	while (p->halfbits < 32 && ((uint64_t)1 << (2 * p->halfbits)) < n)
		p->halfbits++;
	for (i = 0; i < 4; i++)
		p->key[i] = perm_mix(seed + 0x9e3779b97f4a7c15ULL * (i + 1));
}

/*
 * The i-th element of the permutation.  Four Feistel rounds make a
 * bijection of [0, 4^halfbits); values at or past n are encrypted again
 * (cycle walking), which stays a bijection of [0, n) and needs fewer than
 * four steps on average because 4^halfbits < 4n.
 */
uint64_t
tgt_perm_at(const struct tgt_perm *p, uint64_t i)
{
	uint64_t	 mask = ((uint64_t)1 << p->halfbits) - 1;
	uint64_t	 l, r, t, x = i;
	unsigned	 round;

	if (p->identity || p->n <= 1)
		return i;
	do {
		l = x >> p->halfbits;
		r = x & mask;
		for (round = 0; round < 4; round++) {
			t = r;
			r = l ^ (perm_mix(r ^ p->key[round]) & mask);
			l = t;
		}
		x = (l << p->halfbits) | r;
	} while (x >= p->n);
	return x;
}

int
tgt_shard_parse(const char *s, uint64_t *index, uint64_t *count, char *err,
    size_t errlen)
{
	char		 buf[64], why[64];
	const char	*slash = strchr(s, '/');
	long		 i, n;

	if (slash == NULL || (size_t)(slash - s) >= sizeof buf)
		goto bad;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	if (parse_long(slash + 1, 1, 1000000, &n, why, sizeof why) == -1 ||
	    parse_long(buf, 1, n, &i, why, sizeof why) == -1) {
		snprintf(err, errlen, "bad shard '%s': %s", s, why);
		return -1;
	}
	*index = (uint64_t)i;
	*count = (uint64_t)n;
	return 0;
bad:
	snprintf(err, errlen, "bad shard '%s': expected I/N, e.g. 2/4", s);
	return -1;
}

void
tgt_iter_init(struct tgt_iter *it, const struct tgt_set *set, uint64_t seed,
    int randomize, uint64_t index, uint64_t count)
{
	memset(it, 0, sizeof *it);
	it->set = set;
	tgt_perm_init(&it->perm, set->total, seed, randomize);
	it->pos = index - 1;
	it->step = count;
	if (set->total > index - 1)
		it->count = (set->total - (index - 1) + count - 1) / count;
}

int
tgt_iter_next(struct tgt_iter *it, uint32_t *host, uint16_t *port)
{
	if (it->done >= it->count)
		return 0;
	tgt_set_job(it->set, tgt_perm_at(&it->perm, it->pos), host, port);
	it->pos += it->step;
	it->done++;
	return 1;
}

void
tgt_iter_skip(struct tgt_iter *it, uint64_t n)
{
	if (n > it->count - it->done)
		n = it->count - it->done;
	it->pos += n * it->step;
	it->done += n;
}

/* The end of the run of consecutive ports in pl that starts at i. */
static size_t
run_end(const struct tgt_ports *pl, size_t i)
{
	size_t	 j;

	for (j = i + 1; j < pl->n && pl->port[j] == pl->port[j - 1] + 1; j++)
		;
	return j;
}

/* The runs of ports in pl as BPF: " and (port 22 or portrange 80-90)". */
static void
bpf_ports(const struct tgt_ports *pl, FILE *fp)
{
	size_t	 i, j, runs = 0;

	for (i = 0; i < pl->n; i = run_end(pl, i))
		runs++;
	if (runs == 0 || runs > TGT_BPF_RANGES)
		return;
	fprintf(fp, " and (");
	for (i = 0; i < pl->n; i = j) {
		j = run_end(pl, i);
		fprintf(fp, "%s", i > 0 ? " or " : "");
		if (j - i == 1)
			fprintf(fp, "port %u", pl->port[i]);
		else
			fprintf(fp, "portrange %u-%u", pl->port[i],
			    pl->port[j - 1]);
	}
	fprintf(fp, ")");
}

/* The destination of a quoted packet is h: a BPF test of the ICMP error. */
static void
bpf_quoted(const struct tgt_host *h, FILE *fp)
{
	uint32_t	 w[4];
	int		 k;

	memcpy(w, h->addr, sizeof w);
	if (h->family == AF_INET) {
		fprintf(fp, "icmp[24:4] = 0x%08x", (unsigned)ntohl(w[0]));
		return;
	}
	fprintf(fp, "(");
	for (k = 0; k < 4; k++)	/* 40 + 8 + 24: the quoted destination */
		fprintf(fp, "%sip6[%d:4] = 0x%08x", k ? " and " : "",
		    72 + 4 * k, (unsigned)ntohl(w[k]));
	fprintf(fp, ")");
}

/*
 * The ICMP errors of family (unreachable, time exceeded; ICMPv6 right
 * after the IPv6 header), an open parenthesis the caller closes.
 */
static void
bpf_errors(int family, FILE *fp)
{
	fprintf(fp, family == AF_INET ? "(icmp and (icmp[0] = 3 or icmp[0] = "
	    "11)" : "(icmp6 and ip6[6] = 58 and (ip6[40] = 1 or ip6[40] = 3)");
}

/* The ICMP errors (unreachable, time exceeded) about family's targets. */
static void
bpf_icmp(const struct tgt_set *set, int family, FILE *fp)
{
	size_t	 i;
	int	 n = 0;

	bpf_errors(family, fp);
	for (i = 0; i < set->nhost && set->nhost <= TGT_BPF_HOSTS; i++) {
		if (set->host[i].family != family)
			continue;
		fprintf(fp, "%s", n++ == 0 ? " and (" : " or ");
		bpf_quoted(&set->host[i], fp);
	}
	fprintf(fp, "%s)", n > 0 ? ")" : "");
}

void
tgt_set_bpf(const struct tgt_set *set, unsigned lo, unsigned hi, FILE *fp)
{
	char	 a[INET6_ADDRSTRLEN];
	size_t	 i;
	int	 v4 = set->nhost > TGT_BPF_HOSTS, v6 = v4;

	fprintf(fp, "((tcp or udp) and portrange %u-%u", lo, hi);
	if (set->nplist == 1)
		bpf_ports(&set->plist[0], fp);
	for (i = 0; i < set->nhost && set->nhost <= TGT_BPF_HOSTS; i++) {
		inet_ntop(set->host[i].family, set->host[i].addr, a, sizeof a);
		fprintf(fp, "%shost %s", i == 0 ? " and (" : " or ", a);
		v4 |= set->host[i].family == AF_INET;
		v6 |= set->host[i].family == AF_INET6;
	}
	fprintf(fp, "%s)", set->nhost > 0 && set->nhost <= TGT_BPF_HOSTS ?
	    ")" : "");
	if (v4) {
		fprintf(fp, " or ");
		bpf_icmp(set, AF_INET, fp);
	}
	if (v6) {
		fprintf(fp, " or ");
		bpf_icmp(set, AF_INET6, fp);
	}
}

/*
 * The packets of ports lo-hi of host h: their TCP or UDP segments, and the
 * ICMP errors that quote a packet sent to one of them.
 */
static void
bpf_run(const struct tgt_host *h, uint16_t lo, uint16_t hi, FILE *fp)
{
	const char	*qp = h->family == AF_INET ? "icmp[30:2]" : "ip6[90:2]";
	char		 a[INET6_ADDRSTRLEN];

	inet_ntop(h->family, h->addr, a, sizeof a);
	if (lo == hi)
		fprintf(fp, "(host %s and port %u) or ", a, lo);
	else
		fprintf(fp, "(host %s and portrange %u-%u) or ", a, lo, hi);
	bpf_errors(h->family, fp);
	fprintf(fp, " and ");
	bpf_quoted(h, fp);
	/* The quoted header's destination port: after 20 bytes of IPv4
	 * (a probe sends no options) or 40 of IPv6. */
	if (lo == hi)
		fprintf(fp, " and %s = %u)", qp, lo);
	else
		fprintf(fp, " and %s >= %u and %s <= %u)", qp, lo, qp, hi);
}

int
tgt_order(uint32_t ha, uint16_t pa, uint32_t hb, uint16_t pb)
{
	if (ha != hb)
		return ha < hb ? -1 : 1;
	return (pa > pb) - (pa < pb);
}

/* Order (host, port) pairs by host, then port. */
static int
hp_cmp(const void *va, const void *vb)
{
	const struct tgt_hp	*a = va, *b = vb;

	return tgt_order(a->host, a->port, b->host, b->port);
}

/* The end of the run of one host's consecutive ports in hp from i. */
static size_t
hp_run_end(const struct tgt_hp *hp, size_t n, size_t i)
{
	size_t	 j;

	for (j = i + 1; j < n && hp[j].host == hp[i].host &&
	    hp[j].port == hp[j - 1].port + 1; j++)
		;
	return j;
}

int
tgt_bpf_evidence(const struct tgt_set *set, struct tgt_hp *hp, size_t n,
    FILE *fp)
{
	size_t	 i, j, runs = 0, hosts = 0;

	qsort(hp, n, sizeof *hp, hp_cmp);
	for (i = 0; i < n; i = hp_run_end(hp, n, i))
		runs++;
	for (i = 0; i < n; i++)
		hosts += i == 0 || hp[i].host != hp[i - 1].host;
	if (runs <= TGT_BPF_EVIDENCE) {
		for (i = 0; i < n; i = j) {
			j = hp_run_end(hp, n, i);
			fprintf(fp, "%s", i > 0 ? " or " : "");
			bpf_run(&set->host[hp[i].host], hp[i].port,
			    hp[j - 1].port, fp);
		}
		return 1;
	}
	for (i = 0; i < n && hosts <= TGT_BPF_EVIDENCE; i++)
		if (i == 0 || hp[i].host != hp[i - 1].host) {
			fprintf(fp, "%s", i > 0 ? " or " : "");
			bpf_run(&set->host[hp[i].host], 1, 65535, fp);
		}
	return 0;
}

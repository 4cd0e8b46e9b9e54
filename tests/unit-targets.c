/*
 * unit-targets.c: TAP tests for the port, target, permutation and shard
 * code of "sockkit probe" (src/targets.c).
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <pcap/pcap.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "targets.h"
#include "tap.h"

/* Parse spec; returns the port count, or -1 with the error in err. */
static long
ports(const char *spec, struct tgt_ports *p, char *err, size_t len)
{
	if (tgt_ports_parse(spec, "tcp", p, err, len) == -1)
		return -1;
	return (long)p->n;
}

static void
test_ports(void)
{
	struct tgt_ports	 p;
	char			 err[256];

	tap_ok(ports("22", &p, err, sizeof err) == 1 && p.port[0] == 22, "22");
	tgt_ports_free(&p);
	tap_ok(ports("443,22,80,22", &p, err, sizeof err) == 3 &&
	    p.port[0] == 22 && p.port[2] == 443,
	    "list sorted, duplicates merged");
	tgt_ports_free(&p);
	tap_is_ll(ports("8000-8100", &p, err, sizeof err), 101, "range");
	tgt_ports_free(&p);
	tap_ok(ports("-", &p, err, sizeof err) == 65535 && p.port[0] == 1 &&
	    p.port[65534] == 65535, "- is 1-65535");
	tgt_ports_free(&p);
	tap_is_ll(ports("65000-", &p, err, sizeof err), 536,
	    "open-ended range");
	tgt_ports_free(&p);
	tap_is_ll(ports("-10", &p, err, sizeof err), 10, "range from 1");
	tgt_ports_free(&p);
	if (tap_no_services() != NULL)
		tap_skip(tap_no_services());
	else
		tap_ok(ports("http,ssh,1-3", &p, err, sizeof err) == 5 &&
		    p.port[3] == 22 && p.port[4] == 80,
		    "service names mixed with numbers");
	tgt_ports_free(&p);
	tap_is_ll(ports("0", &p, err, sizeof err), -1, "0 rejected");
	tap_is_str(err, "bad port '0': out of range 1-65535", "0 named");
	tap_ok(ports("22,70000", &p, err, sizeof err) == -1 &&
	    strstr(err, "'70000'") != NULL, "70000 rejected, named");
	tap_is_ll(ports("5-3", &p, err, sizeof err), -1,
	    "backwards range rejected");
	tap_is_str(err, "bad port range '5-3': 5 is greater than 3",
	    "backwards range named");
	tap_ok(ports("abc", &p, err, sizeof err) == -1 &&
	    strstr(err, "'abc'") != NULL, "unknown name rejected, named");
	tap_ok(ports("1-x", &p, err, sizeof err) == -1 &&
	    strstr(err, "'x'") != NULL, "bad range end named");
	tap_is_ll(ports("22,,80", &p, err, sizeof err), -1,
	    "empty item rejected");
	tap_is_ll(ports("", &p, err, sizeof err), -1, "empty spec rejected");
	tap_is_ll(ports("+5", &p, err, sizeof err), -1, "sign rejected");
}

static void
test_specs(void)
{
	struct tgt_spec	 sp;
	char		 err[256];

	tap_ok(tgt_spec_parse("127.0.0.1", "tcp", &sp, err, sizeof err) == 0 &&
	    sp.numeric && sp.family == AF_INET && sp.prefix == 32 &&
	    !sp.has_port, "IPv4 address");
	tap_ok(tgt_spec_parse("10.1.2.3/28", "tcp", &sp, err, sizeof err) ==
	    0 && sp.prefix == 28 && sp.addr[3] == 0 && tgt_spec_size(&sp) == 16,
	    "IPv4 block masked, 16 addresses");
	tap_ok(tgt_spec_parse("::1", "tcp", &sp, err, sizeof err) == 0 &&
	    sp.family == AF_INET6 && sp.addr[15] == 1 && !sp.has_port, "::1");
	tap_ok(tgt_spec_parse("[::1]:22", "tcp", &sp, err, sizeof err) == 0 &&
	    sp.family == AF_INET6 && sp.has_port && sp.port == 22,
	    "[::1]:22");
	tap_ok(tgt_spec_parse("fd00::/120", "tcp", &sp, err, sizeof err) == 0 &&
	    tgt_spec_size(&sp) == 256, "IPv6 block");
	if (tap_no_services() != NULL)
		tap_skip(tap_no_services());
	else
		tap_ok(tgt_spec_parse("localhost:http", "tcp", &sp, err,
		    sizeof err) == 0 && !sp.numeric && sp.port == 80 &&
		    strcmp(sp.host, "localhost") == 0, "name:service");
	tap_ok(tgt_spec_parse("10.0.0.0/8", "tcp", &sp, err, sizeof err) == 0 &&
	    tgt_spec_size(&sp) == 16777216, "/8 size");
	tap_ok(tgt_spec_parse("::/0", "tcp", &sp, err, sizeof err) == 0 &&
	    tgt_spec_size(&sp) == UINT64_MAX, "::/0 size saturates");
	tap_is_ll(tgt_spec_parse("1.2.3.4:0", "tcp", &sp, err, sizeof err), -1,
	    "port 0 rejected");
	tap_is_ll(tgt_spec_parse("1.2.3.4/33", "tcp", &sp, err, sizeof err), -1,
	    "prefix 33 rejected");
	tap_is_ll(tgt_spec_parse("host:", "tcp", &sp, err, sizeof err), -1,
	    "empty port rejected");
	tap_is_ll(tgt_spec_parse("[::1", "tcp", &sp, err, sizeof err), -1,
	    "unclosed bracket rejected");
	tap_ok(tgt_spec_parse("a b", "tcp", &sp, err, sizeof err) == -1 &&
	    strstr(err, "'a b'") != NULL, "bad name rejected, named");
	tap_is_ll(tgt_spec_parse("", "tcp", &sp, err, sizeof err), -1,
	    "empty target rejected");
}

/* A set: 10.0.0.0/28 minus 10.0.0.4/30, plus 10.0.0.1:9999, -p 1-10. */
static int
make_set(struct tgt_set *set)
{
	struct tgt_ports	 p;
	struct tgt_spec		 sp, ex;
	char			 err[256];

	if (tgt_ports_parse("1-10", "tcp", &p, err, sizeof err) == -1)
		return -1;
	tgt_set_init(set, &p);
	if (tgt_spec_parse("10.0.0.4/30", "tcp", &ex, err, sizeof err) == -1 ||
	    tgt_set_exclude(set, ex.family, ex.addr, ex.prefix, err,
	    sizeof err) == -1)
		return -1;
	if (tgt_spec_parse("10.0.0.0/28", "tcp", &sp, err, sizeof err) == -1 ||
	    tgt_set_add(set, &sp, 0, NULL, err, sizeof err) == -1)
		return -1;
	if (tgt_spec_parse("10.0.0.1:9999", "tcp", &sp, err, sizeof err) == -1
	    || tgt_set_add(set, &sp, 0, NULL, err, sizeof err) == -1)
		return -1;
	return tgt_set_finish(set);
}

static void
test_set(void)
{
	struct tgt_set	 set;
	uint32_t	 h;
	uint16_t	 port;

	tap_is_ll(make_set(&set), 0, "set built");
	tap_is_ll((long long)set.nhost, 12, "16 hosts minus 4 excluded");
	tap_is_ll((long long)set.total, 12 * 10 + 1,
	    "repeated host gets the union of ports");
	tgt_set_job(&set, 0, &h, &port);
	tap_ok(h == 0 && port == 1 && set.host[0].addr[3] == 0, "first job");
	tgt_set_job(&set, 10, &h, &port);
	tap_ok(h == 1 && port == 1, "job 10 is host 1");
	tgt_set_job(&set, 20, &h, &port);
	tap_ok(h == 1 && port == 9999, "host 1 has port 9999 too");
	tgt_set_job(&set, set.total - 1, &h, &port);
	tap_ok(h == 11 && port == 10 && set.host[11].addr[3] == 15, "last job");
	tgt_set_free(&set);
}

/* Whether the permutation of [0, n) under seed hits every value once. */
static int
perm_is_bijection(uint64_t n, uint64_t seed, int *moved)
{
	struct tgt_perm	 p;
	uint8_t		*seen = calloc(n ? n : 1, 1);
	uint64_t	 i, v;
	int		 good = seen != NULL;

	tgt_perm_init(&p, n, seed, 1);
	*moved = 0;
	for (i = 0; good && i < n; i++) {
		v = tgt_perm_at(&p, i);
		if (v >= n || seen[v])
			good = 0;
		else
			seen[v] = 1;
		*moved += v != i;
	}
	free(seen);
	return good;
}

static void
test_perm(void)
{
	struct tgt_perm	 a, b;
	uint64_t	 n[] = { 1, 2, 3, 7, 100, 1000, 65535, 70000 };
	size_t		 i;
	int		 moved, good = 1, same = 1;
	char		 what[64];

	for (i = 0; i < sizeof n / sizeof n[0]; i++) {
		good = perm_is_bijection(n[i], 42 + i, &moved);
		snprintf(what, sizeof what, "permutation of %llu is a "
		    "bijection",
		    (unsigned long long)n[i]);
		tap_ok(good && (n[i] < 100 || moved > (int)n[i] / 2), what);
	}
	tgt_perm_init(&a, 65535, 7, 1);
	tgt_perm_init(&b, 65535, 7, 1);
	for (i = 0; i < 1000; i++)
		same &= tgt_perm_at(&a, i) == tgt_perm_at(&b, i);
	tap_ok(same, "same seed, same order");
	tgt_perm_init(&b, 65535, 8, 1);
	for (i = 0, same = 1; i < 1000; i++)
		same &= tgt_perm_at(&a, i) == tgt_perm_at(&b, i);
	tap_ok(!same, "other seed, other order");
	tgt_perm_init(&a, 65535, 7, 0);
	tap_is_ll((long long)tgt_perm_at(&a, 1234), 1234,
	    "sequential order is the identity");
}

/* Shards of the set: each job exactly once over all N shards. */
static void
test_shards(void)
{
	struct tgt_set	 set;
	struct tgt_iter	 it;
	uint64_t	 k, nsh, idx, cnt, seen[16][65536 / 64];
	uint32_t	 h;
	uint16_t	 port;
	int		 good = 1, count = 0;
	char		 err[128];

	tap_ok(tgt_shard_parse("2/4", &idx, &cnt, err, sizeof err) == 0 &&
	    idx == 2 && cnt == 4, "2/4 parsed");
	tap_ok(tgt_shard_parse("5/4", &idx, &cnt, err, sizeof err) == -1 &&
	    tgt_shard_parse("0/4", &idx, &cnt, err, sizeof err) == -1 &&
	    tgt_shard_parse("4", &idx, &cnt, err, sizeof err) == -1,
	    "bad shards rejected");
	if (make_set(&set) == -1)
		return;
	memset(seen, 0, sizeof seen);
	nsh = 5;
	for (k = 1; k <= nsh; k++) {
		tgt_iter_init(&it, &set, 99, 1, k, nsh);
		while (tgt_iter_next(&it, &h, &port)) {
			if (seen[h][port / 64] & (1ULL << (port % 64)))
				good = 0;
			seen[h][port / 64] |= 1ULL << (port % 64);
			count++;
		}
	}
	tap_ok(good && (uint64_t)count == set.total, "5 shards cover every job "
	    "exactly once");
	tgt_set_free(&set);
}

/* Whether expr compiles as a capture filter; 0, or -1 saying why. */
static int
bpf_compiles(const char *expr)
{
	struct bpf_program	 prog;
	pcap_t			*pc;
	int			 rc;

	pc = pcap_open_dead(DLT_LINUX_SLL2, 65535);
	rc = pcap_compile(pc, &prog, expr, 1, PCAP_NETMASK_UNKNOWN);
	if (rc == 0)
		pcap_freecode(&prog);
	else
		printf("# %s: %s\n", expr, pcap_geterr(pc));
	pcap_close(pc);
	return rc;
}

/* bpf_of SPEC... -p PORTS: the probe's capture filter, compiled too. */
static int
bpf_of(const char *ports, const char **specs, int n, char *out, size_t len)
{
	struct tgt_set		 set;
	struct tgt_ports	 p;
	struct tgt_spec		 sp;
	char			 err[256], *buf = NULL;
	size_t			 blen = 0;
	FILE			*fp;
	int			 i, rc;

	if (tgt_ports_parse(ports, "tcp", &p, err, sizeof err) == -1)
		return -1;
	tgt_set_init(&set, &p);
	for (i = 0; i < n; i++)
		if (tgt_spec_parse(specs[i], "tcp", &sp, err, sizeof err) ==
		    -1 || tgt_set_add(&set, &sp, 0, NULL, err, sizeof err) ==
		    -1)
			return -1;
	if (tgt_set_finish(&set) == -1 || (fp = open_memstream(&buf,
	    &blen)) == NULL)
		return -1;
	tgt_set_bpf(&set, 32768, 60999, fp);
	fclose(fp);
	snprintf(out, len, "%s", buf);
	rc = bpf_compiles(buf);
	free(buf);
	tgt_set_free(&set);
	return rc;
}

static void
test_bpf(void)
{
	const char	*one[] = { "127.0.0.1" }, *two[] = { "10.0.0.1", "::1" };
	const char	*many[] = { "10.0.0.0/24" };
	char		 f[8192];

	tap_ok(bpf_of("22,80-90", one, 1, f, sizeof f) == 0 && strcmp(f,
	    "((tcp or udp) and portrange 32768-60999 and (port 22 or "
	    "portrange 80-90) and (host 127.0.0.1)) or (icmp and (icmp[0] = "
	    "3 or icmp[0] = 11) and (icmp[24:4] = 0x7f000001))") == 0,
	    "bpf: our ports, the probed ports, the host, errors quoting it");
	tap_ok(bpf_of("1-65535", two, 2, f, sizeof f) == 0 &&
	    strstr(f, "portrange 1-65535") != NULL &&
	    strstr(f, "ip6[84:4] = 0x00000001") != NULL &&
	    strstr(f, "icmp[24:4] = 0x0a000001") != NULL,
	    "bpf: IPv4 and IPv6 targets, each family's errors; it compiles");
	tap_ok(bpf_of("1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33,35,37,39,"
	    "41,43,45,47,49,51,53,55,57,59,61,63,65", one, 1, f,
	    sizeof f) == 0 && strstr(f, "port 1 ") == NULL,
	    "bpf: past 32 runs of ports, any port");
	tap_ok(bpf_of("80", many, 1, f, sizeof f) == 0 && strstr(f, "host") ==
	    NULL && strstr(f, "icmp[24:4]") == NULL && strstr(f, "port 80") !=
	    NULL, "bpf: past 64 targets, any target");
}

/* bpf_port SPEC PORT: one port's evidence filter; 0 if it compiles. */
static int
bpf_port(const char *spec, uint16_t port, char *out, size_t len)
{
	struct tgt_spec		 sp;
	struct tgt_host		 h;
	struct tgt_set		 set = { .host = &h, .nhost = 1 };
	struct tgt_hp		 hp = { 0, port };
	char			 err[256];
	FILE			*fp;

	if (tgt_spec_parse(spec, "tcp", &sp, err, sizeof err) == -1 ||
	    (fp = fmemopen(out, len, "w")) == NULL)
		return -1;
	memset(&h, 0, sizeof h);
	h.family = sp.family;
	memcpy(h.addr, sp.addr, sizeof h.addr);
	h.scope = sp.scope;
	tgt_bpf_evidence(&set, &hp, 1, fp);
	fclose(fp);
	return bpf_compiles(out);
}

static void
test_bpf_port(void)
{
	char	 f[1024];

	tap_ok(bpf_port("10.0.0.1", 8080, f, sizeof f) == 0 && strcmp(f,
	    "(host 10.0.0.1 and port 8080) or (icmp and (icmp[0] = 3 or "
	    "icmp[0] = 11) and icmp[24:4] = 0x0a000001 and icmp[30:2] = "
	    "8080)") == 0, "bpf port: its segments, the ICMP errors quoting "
	    "it; it compiles");
	tap_ok(bpf_port("fe80::1%lo", 22, f, sizeof f) == 0 &&
	    strstr(f, "(host fe80::1 and port 22) or (icmp6 ") == f &&
	    strstr(f, "ip6[72:4] = 0xfe800000") != NULL &&
	    strstr(f, "ip6[84:4] = 0x00000001) and ip6[90:2] = 22)") != NULL,
	    "bpf port: IPv6 (zoned), the quoted destination and port");
}

/* The evidence filter of pairs of hosts (of "10.0.0.1", "::1"), ports. */
static int
bpf_evidence(struct tgt_hp *hp, size_t n, char **out)
{
	const char		*specs[] = { "10.0.0.1", "::1" };
	struct tgt_set		 set;
	struct tgt_ports	 p;
	struct tgt_spec		 sp;
	char			 err[256];
	size_t			 len = 0;
	FILE			*fp;
	int			 i, exact;

	if (tgt_ports_parse("1-65535", "tcp", &p, err, sizeof err) == -1)
		return -1;
	tgt_set_init(&set, &p);
	for (i = 0; i < 2; i++)
		if (tgt_spec_parse(specs[i], "tcp", &sp, err, sizeof err) ==
		    -1 || tgt_set_add(&set, &sp, 0, NULL, err, sizeof err) ==
		    -1)
			return -1;
	if ((fp = open_memstream(out, &len)) == NULL)
		return -1;
	exact = tgt_bpf_evidence(&set, hp, n, fp);
	fclose(fp);
	tgt_set_free(&set);
	return bpf_compiles(*out) == 0 ? exact : -1;
}

static void
test_bpf_evidence(void)
{
	struct tgt_hp	 hp[200] = { { 1, 25 }, { 0, 81 }, { 0, 80 },
	    { 0, 82 }, { 0, 90 } };
	char		*f = NULL;
	size_t		 i;

	tap_ok(bpf_evidence(hp, 5, &f) == 1 && strcmp(f,
	    "(host 10.0.0.1 and portrange 80-82) or (icmp and (icmp[0] = 3 or "
	    "icmp[0] = 11) and icmp[24:4] = 0x0a000001 and icmp[30:2] >= 80 "
	    "and icmp[30:2] <= 82) or (host 10.0.0.1 and port 90) or (icmp "
	    "and (icmp[0] = 3 or icmp[0] = 11) and icmp[24:4] = 0x0a000001 "
	    "and icmp[30:2] = 90) or (host ::1 and port 25) or (icmp6 and "
	    "ip6[6] = 58 and (ip6[40] = 1 or ip6[40] = 3) and (ip6[72:4] = "
	    "0x00000000 and ip6[76:4] = 0x00000000 and ip6[80:4] = 0x00000000 "
	    "and ip6[84:4] = 0x00000001) and ip6[90:2] = 25)") == 0,
	    "bpf evidence: by host, runs of ports as ranges; it compiles");
	free(f);
	f = NULL;
	for (i = 0; i < 200; i++) {
		hp[i].host = i % 2;
		hp[i].port = (uint16_t)(1000 + 2 * i);
	}
	tap_ok(bpf_evidence(hp, 200, &f) == 0 && strstr(f, "port 1000") ==
	    NULL && strstr(f, "portrange 1-65535") != NULL,
	    "bpf evidence: too scattered, every port of their hosts");
	free(f);
}

int
main(void)
{
	test_ports();
	test_specs();
	test_set();
	test_perm();
	test_shards();
	test_bpf();
	test_bpf_port();
	test_bpf_evidence();
	return tap_done();
}

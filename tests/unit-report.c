/*
 * unit-report.c: TAP tests for what is pure in "sockkit probe"'s report
 * writers (src/probe-report.c): XML escaping, nmap's reason words, the
 * services list, the grepable line of a set of ports, a whole grepable
 * report, and the checks on -oX/-oG/-oN/-oA.
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "probe-report.h"
#include "tap.h"

#define ok	tap_ok
#define is	tap_is_str

/* strdup() calls left before the program's strdup() fails; -1: never. */
static int	 strdup_left = -1;

char *
strdup(const char *str)
{
	size_t	 n = strlen(str) + 1;
	char	*p;

	if (strdup_left == 0 || (p = malloc(n)) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	if (strdup_left > 0)
		strdup_left--;
	return memcpy(p, str, n);
}

/* What call writes to fp, a memory stream, into out (the caller frees). */
#define CAPTURE(out, call) do {					\
	size_t	 cap_len_;					\
	FILE	*fp = open_memstream(&(out), &cap_len_);	\
	call;							\
	fclose(fp);						\
} while (0)

static void
test_escape(void)
{
	char	*s = NULL;

	CAPTURE(s, report_xml_str(fp, "a&b<c>\"d'e"));
	is(s, "a&amp;b&lt;c&gt;&quot;d&apos;e", "the five XML specials");
	free(s);
	CAPTURE(s, report_xml_str(fp, "x\001\n\177\303\251y"));
	is(s, "x\\x01\\x0a\\x7f\\xc3\\xa9y", "other bytes as \\xNN");
	free(s);
	CAPTURE(s, report_xml_str(fp, ""));
	is(s, "", "empty");
	free(s);
}

/* Verdicts (why, ICMPv6?, type, code, errno) and nmap's word for each. */
static const struct {
	int		 why, icmp6, type, code, err;
	const char	*word, *what;
} reasons[] = {
	{ WHY_SYN_ACK, 0, 0, 0, 0, "syn-ack", "syn-ack" },
	{ WHY_RST, 0, 0, 0, 0, "conn-refused", "a reset: conn-refused" },
	{ WHY_NO_RESPONSE, 0, 0, 0, 0, "no-response", "no-response" },
	{ WHY_UDP_REPLY, 0, 0, 0, 0, "udp-response", "udp-response" },
	{ WHY_ICMP, 0, ICMP_DEST_UNREACH, 13, 0, "admin-prohibited",
	    "ICMP 3/13" },
	{ WHY_ICMP, 0, ICMP_DEST_UNREACH, 1, 0, "host-unreach", "ICMP 3/1" },
	{ WHY_ICMP, 0, ICMP_DEST_UNREACH, 3, 0, "port-unreach", "ICMP 3/3" },
	{ WHY_ICMP, 0, ICMP_DEST_UNREACH, 10, 0, "host-prohibited",
	    "ICMP 3/10" },
	{ WHY_ICMP, 0, ICMP_DEST_UNREACH, 4, 0, "dest-unreach",
	    "ICMP 3/4: dest-unreach, as nmap" },
	{ WHY_ICMP, 0, ICMP_DEST_UNREACH, 99, 0, "dest-unreach", "ICMP 3/99" },
	{ WHY_ICMP, 0, ICMP_TIME_EXCEEDED, 0, 0, "time-exceeded", "ICMP 11" },
	{ WHY_ICMP, 1, ICMP6_DST_UNREACH, 1, 0, "admin-prohibited",
	    "ICMPv6 1/1" },
	{ WHY_ICMP, 1, ICMP6_DST_UNREACH, 3, 0, "host-unreach", "ICMPv6 1/3" },
	{ WHY_ICMP, 1, ICMP6_DST_UNREACH, 0, 0, "no-route", "ICMPv6 1/0" },
	{ WHY_ICMP, 1, 200, 0, 0, "unknown-response", "ICMPv6 type 200" },
	{ WHY_ERRNO, 0, 0, 0, EHOSTUNREACH, "host-unreach", "EHOSTUNREACH" },
	{ WHY_ERRNO, 0, 0, 0, EACCES, "admin-prohibited",
	    "EACCES, as nmap -sT" },
	{ WHY_ERRNO, 0, 0, 0, EPERM, "admin-prohibited",
	    "EPERM (a local firewall)" },
	{ WHY_ERRNO, 0, 0, 0, ENOBUFS, "unknown-response", "another errno" },
};

static void
test_reasons(void)
{
	struct probe_result	 r;
	size_t			 i;

	for (i = 0; i < sizeof reasons / sizeof *reasons; i++) {
		memset(&r, 0, sizeof r);
		r.why = (uint8_t)reasons[i].why;
		r.icmp6 = (uint8_t)reasons[i].icmp6;
		r.icmp_type = (uint8_t)reasons[i].type;
		r.icmp_code = (uint8_t)reasons[i].code;
		r.err = reasons[i].err;
		is(report_reason(&r), reasons[i].word, reasons[i].what);
	}
}

/* A set of one host, 192.0.2.1 named name, probing ports. */
static void
one_host(struct tgt_set *set, const char *ports, const char *name)
{
	struct tgt_ports	 p;
	struct tgt_spec		 sp;
	char			 err[256];
	uint8_t			 a[4] = { 192, 0, 2, 1 };

	if (tgt_ports_parse(ports, "tcp", &p, err, sizeof err) == -1)
		abort();
	tgt_set_init(set, &p);
	if (tgt_spec_parse(name != NULL ? name : "192.0.2.1", "tcp", &sp,
	    err, sizeof err) == -1 || tgt_set_add(set, &sp, AF_INET, a, err,
	    sizeof err) == -1 || tgt_set_finish(set) == -1)
		abort();
}

static void
test_ranges(void)
{
	struct tgt_set	 set;
	char		*s = NULL;
	size_t		 n = 0;

	one_host(&set, "443,22,80-82,65535,1", NULL);
	CAPTURE(s, n = report_port_ranges(fp, &set));
	is(s, "1,22,80-82,443,65535", "services list with ranges");
	tap_is_ll((long long)n, 7, "and its count");
	tap_is_ll((long long)report_port_ranges(NULL, &set), 7,
	    "counted without a stream");
	free(s);
	tgt_set_free(&set);
}

/* A result for host 0. */
static struct probe_result
res(uint16_t port, int state, int why)
{
	struct probe_result	 r;

	memset(&r, 0, sizeof r);
	r.port = port;
	r.state = (uint8_t)state;
	r.why = (uint8_t)why;
	r.rtt_us = -1;
	return r;
}

/*
 * A run over one host (192.0.2.1, or name): ports 22 and 80 open and
 * listed, 100-102 closed and, with filtered, 200 filtered, not listed.
 */
static struct fixture {
	struct report_run	 run;
	struct probe_result	 listed[2];
	struct probe_hcount	 hc;
	struct report_tally	 t;
	struct tgt_set		 set;
	char			*svc[65536];
} fx;

static void
fx_add(int port, int state, int why)
{
	struct probe_result	 r = res((uint16_t)port, state, why);

	if (report_tally_add(&fx.t, &r) == -1)
		abort();
	fx.hc.n[state]++;
}

static void
fx_init(const char *name, int filtered)
{
	memset(&fx, 0, sizeof fx);
	one_host(&fx.set, "22,80,100-102,200", name);
	fx.listed[0] = res(22, PROBE_OPEN, WHY_SYN_ACK);
	fx.listed[1] = res(80, PROBE_OPEN, WHY_SYN_ACK);
	fx.hc.n[PROBE_OPEN] = 2;
	if (report_tally_init(&fx.t, 1) == -1)
		abort();
	fx_add(100, PROBE_CLOSED, WHY_RST);
	fx_add(101, PROBE_CLOSED, WHY_RST);
	fx_add(102, PROBE_CLOSED, WHY_RST);
	if (filtered)
		fx_add(200, PROBE_FILTERED, WHY_NO_RESPONSE);
	fx.run.set = &fx.set;
	fx.run.res = fx.listed;
	fx.run.nres = 2;
	fx.run.hc = &fx.hc;
	fx.run.tally = &fx.t;
	fx.run.svc = fx.svc;
	fx.run.args = "sockkit probe -p 22,80,100-102,200 -oG - 192.0.2.1";
	fx.run.start = 1796454752;
	fx.run.end = 1796454753;
	fx.run.elapsed = 1.234;
}

static void
fx_free(void)
{
	report_tally_free(&fx.t);
	tgt_set_free(&fx.set);
}

static void
test_grepable_ports(void)
{
	char	*s = NULL;

	fx_init(NULL, 0);
	fx.svc[22] = "ssh";
	fx.svc[80] = "http/alt";	/* '/' is the field separator */
	CAPTURE(s, report_grepable_ports(fp, &fx.run, 0, 0, 2));
	is(s, "Ports: 22/open/tcp//ssh///, 80/open/tcp//http|alt///\t"
	    "Ignored State: closed (3)", "two ports and one ignored state");
	free(s);
	CAPTURE(s, report_grepable_ports(fp, &fx.run, 0, 0, 0));
	is(s, "Ports: \tIgnored State: closed (3)",
	    "no listed port: an empty Ports: field, as nmap");
	free(s);
	fx_free();
	fx_init(NULL, 1);
	CAPTURE(s, report_grepable_ports(fp, &fx.run, 0, 0, 1));
	is(s, "Ports: 22/open/tcp/////", "two ignored states: nmap names none");
	free(s);
	fx.run.udp = 1;
	fx.svc[80] = "http";
	CAPTURE(s, report_grepable_ports(fp, &fx.run, 0, 1, 2));
	is(s, "Ports: 80/open/udp//http///", "udp");
	free(s);
	fx_free();
}

static void
test_grepable(void)
{
	char	*s = NULL;

	fx_init(NULL, 0);
	fx.svc[22] = "ssh";
	CAPTURE(s, report_grepable(fp, &fx.run));
	is(s, "# Nmap sockkit-" PACKAGE_VERSION " scan initiated Sat Dec  5 "
	    "07:12:32 2026 as: sockkit probe -p 22,80,100-102,200 -oG - "
	    "192.0.2.1\n"
	    "Host: 192.0.2.1 ()\tStatus: Up\n"
	    "Host: 192.0.2.1 ()\tPorts: 22/open/tcp//ssh///, "
	    "80/open/tcp/////\tIgnored State: closed (3)\n"
	    "# Nmap done at Sat Dec  5 07:12:33 2026 -- 1 IP address "
	    "(1 host up) scanned in 1.23 seconds\n", "a whole -oG report");
	free(s);
	fx.run.open_only = 1;
	fx.run.nres = 0;
	CAPTURE(s, report_grepable(fp, &fx.run));
	ok(s != NULL && strstr(s, "Host:") == NULL && strstr(s, "-- 1 IP "
	    "address (1 host up)") != NULL, "--open hides a host without "
	    "open ports, still counted as scanned, as nmap --open");
	free(s);
	fx.run.interrupted = "interrupted";
	CAPTURE(s, report_grepable(fp, &fx.run));
	ok(s != NULL && strstr(s, "# Nmap done") == NULL,
	    "interrupted: no trailer");
	free(s);
	fx_free();
}

/* Whether the whole -oX report holds want. */
static int
xml_has(const char *want)
{
	char	*s = NULL;
	int	 found;

	CAPTURE(s, report_xml(fp, &fx.run));
	found = s != NULL && strstr(s, want) != NULL;
	if (!found)
		printf("#   no '%s' in:\n%s", want, s);
	free(s);
	return found;
}

static void
test_xml(void)
{
	fx_init("example.org", 1);
	fx.svc[22] = "a<b";
	fx.run.args = "sockkit probe -p 22 --exclude 'x&y' example.org";
	ok(xml_has("args=\"sockkit probe -p 22 --exclude &apos;x&amp;y&apos; "
	    "example.org\""), "-oX: the args line escaped");
	ok(xml_has("<service name=\"a&lt;b\" method=\"table\" conf=\"3\"/>"),
	    "-oX: a service name escaped");
	ok(xml_has("<hostname name=\"example.org\" type=\"user\"/>"),
	    "-oX: the name given, type user");
	ok(xml_has("<extraports state=\"closed\" count=\"3\">\n"
	    "<extrareasons reason=\"conn-refused\" count=\"3\" "
	    "proto=\"tcp\"/>\n</extraports>\n<extraports state=\"filtered\" "
	    "count=\"1\">\n<extrareasons reason=\"no-response\" count=\"1\" "
	    "proto=\"tcp\"/>"), "-oX: two extraports, their reasons");
	ok(xml_has("<status state=\"up\" reason=\"syn-ack\" "
	    "reason_ttl=\"0\"/>"), "-oX: up, for its first answer");
	ok(xml_has("elapsed=\"1.23\" exit=\"success\"/>"),
	    "-oX: elapsed, success");
	fx.run.interrupted = "interrupted";
	ok(xml_has("exit=\"error\" errormsg=\"interrupted\""),
	    "-oX: an interrupted run ends in error");
	fx_free();
}

static void
test_outs(void)
{
	struct report_outs	 o;
	char			 err[256];

	memset(&o, 0, sizeof o);
	ok(report_outs_add(&o, "X", "a.xml", err, sizeof err) == 0, "-oX");
	ok(report_outs_add(&o, "G", "-", err, sizeof err) == 0, "-oG -");
	tap_is_ll(report_outs_stdout(&o), 'G', "-oG goes to stdout");
	ok(report_outs_add(&o, "N", "-", err, sizeof err) == -1 &&
	    strstr(err, "only one output") != NULL, "-oN - as well: refused");
	ok(report_outs_add(&o, "X", "b.xml", err, sizeof err) == -1 &&
	    strstr(err, "given twice") != NULL, "-oX twice: refused");
	ok(report_outs_add(&o, "Q", "x", err, sizeof err) == -1 &&
	    strstr(err, "'-oQ'") != NULL, "-oQ: unknown");
	report_outs_free(&o);
	ok(report_outs_add(&o, "A", "-", err, sizeof err) == -1,
	    "-oA -: refused");
	ok(report_outs_add(&o, "A", "scan", err, sizeof err) == 0 &&
	    strcmp(o.path[REPORT_XML], "scan.xml") == 0 &&
	    strcmp(o.path[REPORT_GREPABLE], "scan.gnmap") == 0 &&
	    strcmp(o.path[REPORT_NORMAL], "scan.nmap") == 0,
	    "-oA scan: scan.xml, scan.gnmap, scan.nmap");
	tap_is_ll(report_outs_stdout(&o), 0, "nothing on stdout");
	report_outs_free(&o);
}

static void
test_args(void)
{
	char	*argv[] = { "probe", "-p", "22", "-oX", "-", "::1" }, *s;

	s = report_args(6, argv);
	is(s, "sockkit probe -p 22 -oX - ::1", "the args line");
	free(s);
}

/*
 * The services list is whole or NULL: a strdup() that fails midway (the
 * 21st name) gives NULL and ENOMEM, never a list with holes that would
 * show known ports as "-" (ASan reports a leak of the names made before).
 */
static void
test_services_nomem(void)
{
	char	**svc;

	if (tap_no_services() != NULL) {
		tap_skip(tap_no_services());
		tap_skip(tap_no_services());
		return;
	}
	svc = report_services("tcp");
	ok(svc != NULL && svc[80] != NULL && strcmp(svc[80], "http") == 0,
	    "services: port 80 is http");
	report_services_free(svc);
	strdup_left = 20;
	errno = 0;
	svc = report_services("tcp");
	strdup_left = -1;
	ok(svc == NULL && errno == ENOMEM,
	    "services: a strdup() failing midway gives NULL and ENOMEM");
	report_services_free(svc);
}

/* report_banner: text stays, \\ \r \n \t and other bytes escaped. */
static void
test_banner(void)
{
	static const uint8_t	 greet[] = "SSH-2.0-x\r\n";
	static const uint8_t	 bin[] = { 0, 1, 0xff, '\\', '\t', 'a' };
	char			*s;

	s = report_banner(greet, sizeof greet - 1);
	is(s, "SSH-2.0-x\\r\\n", "banner: a greeting line");
	free(s);
	s = report_banner(bin, sizeof bin);
	is(s, "\\x00\\x01\\xff\\\\\\ta", "banner: binary bytes, \\, tab");
	free(s);
	s = report_banner(bin, 0);
	is(s, "", "banner: nothing sent");
	free(s);
}

/* Every reason word survives a merge: word -> verdict -> word. */
static void
test_reason_back(void)
{
	struct probe_result	 r;
	const char		*w;
	int			 i, bad = 0;

	for (i = 0; (w = report_reason_word(i)) != NULL; i++) {
		memset(&r, 0, sizeof r);
		report_reason_result(report_reason_find(w), &r);
		if (strcmp(report_reason(&r), w) != 0)
			bad++;
	}
	ok(i == 18 && bad == 0, "reason words: each of the 18 back from its "
	    "verdict");
	report_reason_result(-1, &r);
	is(report_reason(&r), "unknown-response", "reason: none is unknown");
	ok(report_reason_find("syn-ack") == 0 &&
	    report_reason_find("nonsense") == -1, "reason_find");
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	test_escape();
	test_reasons();
	test_ranges();
	test_grepable_ports();
	test_grepable();
	test_xml();
	test_outs();
	test_args();
	test_services_nomem();
	test_banner();
	test_reason_back();
	return tap_done();
}

/*
 * probe-report.c: the files "sockkit probe" writes for other tools.
 * nmap's XML (-oX) follows the DTD nmap ships (docs/nmap.dtd, output
 * version 1.05) so xmllint, ndiff and nmap.xsl read it; the grepable
 * layout (-oG) is nmap's line for line; -oN is the table stdout shows.
 * Every port and reason uses nmap's words, as "nmap -sT" (or -sU) writes
 * them for the same answer.
 */
#include "config.h"

#include <sys/types.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net.h"
#include "probe-report.h"

/* nmap's reason words (portreasons.cc), those a connect() probe meets. */
enum {
	R_SYN_ACK, R_CONN_REFUSED, R_UDP_RESPONSE, R_NO_RESPONSE,
	R_NET_UNREACH, R_HOST_UNREACH, R_PROTO_UNREACH, R_PORT_UNREACH,
	R_NET_PROHIBITED, R_HOST_PROHIBITED, R_ADMIN_PROHIBITED,
	R_DEST_UNREACH, R_TIME_EXCEEDED, R_PARAM_PROBLEM, R_NO_ROUTE,
	R_BEYOND_SCOPE, R_REJECT_ROUTE, R_UNKNOWN, R_N
};
static const char *reason_word[R_N] = {
	"syn-ack", "conn-refused", "udp-response", "no-response",
	"net-unreach", "host-unreach", "proto-unreach", "port-unreach",
	"net-prohibited", "host-prohibited", "admin-prohibited",
	"dest-unreach", "time-exceeded", "param-problem", "no-route",
	"beyond-scope", "reject-route", "unknown-response"
};

/* Destination unreachable codes as nmap names them (RFC 792, 1812). */
static const uint8_t icmp4_reason[16] = {
	R_NET_UNREACH, R_HOST_UNREACH, R_PROTO_UNREACH, R_PORT_UNREACH,
	R_DEST_UNREACH, R_DEST_UNREACH, R_DEST_UNREACH, R_DEST_UNREACH,
	R_DEST_UNREACH, R_NET_PROHIBITED, R_HOST_PROHIBITED, R_DEST_UNREACH,
	R_DEST_UNREACH, R_ADMIN_PROHIBITED, R_DEST_UNREACH, R_DEST_UNREACH
};
/* The same for ICMPv6 (RFC 4443 3.1): code 5, failed policy, is a filter. */
static const uint8_t icmp6_reason[7] = {
	R_NO_ROUTE, R_ADMIN_PROHIBITED, R_BEYOND_SCOPE, R_HOST_UNREACH,
	R_PORT_UNREACH, R_ADMIN_PROHIBITED, R_REJECT_ROUTE
};

/* What fills the version of nmap in a header: this program's own. */
#define REPORT_VERSION	"sockkit-" PACKAGE_VERSION

static int	reason_icmp(const struct probe_result *);
static int	reason_code(const struct probe_result *);
static const char *ctime_str(time_t, char *, size_t);
static const char *service(const struct report_run *, uint16_t);
static const char *host_reason(const struct report_run *, size_t, size_t);
static size_t	tally_state(const struct report_run *, uint32_t, int,
		    struct report_tent *, size_t);
static void	xml_head(FILE *, const struct report_run *);
static void	xml_host(FILE *, const struct report_run *, uint32_t, size_t,
		    size_t);
static void	xml_extraports(FILE *, const struct report_run *, uint32_t);
static void	xml_port(FILE *, const struct report_run *,
		    const struct probe_result *);
static void	xml_tls(FILE *, const struct probe_tls *);
static void	xml_tail(FILE *, const struct report_run *);
static unsigned	probed_hosts(const struct report_run *);
static void	done_line(FILE *, const struct report_run *, const char *);
static const char *table_rtt(int64_t, char *, size_t);
static void	report_table_tls(FILE *, const struct probe_tls *);
static int	outs_set(struct report_outs *, int, const char *, char *,
		    char *, size_t);

/* ICMP errors: nmap's icmp_to_reason(). */
static int
reason_icmp(const struct probe_result *r)
{
	if (!r->icmp6 && r->icmp_type == ICMP_DEST_UNREACH)
		return r->icmp_code < 16 ? icmp4_reason[r->icmp_code] :
		    R_DEST_UNREACH;
	if (r->icmp6 && r->icmp_type == ICMP6_DST_UNREACH)
		return r->icmp_code < 7 ? icmp6_reason[r->icmp_code] :
		    R_DEST_UNREACH;
	if ((!r->icmp6 && r->icmp_type == ICMP_TIME_EXCEEDED) ||
	    (r->icmp6 && r->icmp_type == ICMP6_TIME_EXCEEDED))
		return R_TIME_EXCEEDED;
	if (r->icmp6 && r->icmp_type == ICMP6_PARAM_PROB)
		return R_PARAM_PROBLEM;
	return R_UNKNOWN;
}

/*
 * The reason of a verdict as an index of reason_word: a refused connect()
 * is nmap -sT's "conn-refused", a local EACCES or EPERM (a firewall of
 * this host) its "admin-prohibited".
 */
static int
reason_code(const struct probe_result *r)
{
	switch (r->why) {
	case WHY_SYN_ACK: return R_SYN_ACK;
	case WHY_RST: return R_CONN_REFUSED;
	case WHY_UDP_REPLY: return R_UDP_RESPONSE;
	case WHY_NO_RESPONSE: return R_NO_RESPONSE;
	case WHY_ICMP: return reason_icmp(r);
	case WHY_ERRNO:
		if (r->err == EHOSTUNREACH)
			return R_HOST_UNREACH;
		if (r->err == ENETUNREACH)
			return R_NET_UNREACH;
		if (r->err == EACCES || r->err == EPERM)
			return R_ADMIN_PROHIBITED;
		break;
	}
	return R_UNKNOWN;
}

char *
report_banner(const uint8_t *b, size_t len)
{
	char	*s, *p;
	size_t	 i;

	if ((s = p = malloc(len * 4 + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (b[i] == '\\' || b[i] == '\r' || b[i] == '\n' || b[i] == '\t') {
			*p++ = '\\';
			*p++ = b[i] == '\\' ? '\\' : b[i] == '\r' ? 'r' :
			    b[i] == '\n' ? 'n' : 't';
		} else if (b[i] >= 0x20 && b[i] < 0x7f)
			*p++ = (char)b[i];
		else
			p += sprintf(p, "\\x%02x", b[i]);
	}
	*p = '\0';
	return s;
}

void
report_results_free(struct probe_result *res, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free((void *)(uintptr_t)res[i].banner);
		free((void *)(uintptr_t)res[i].tls);
	}
	free(res);
}

const char *
report_reason(const struct probe_result *r)
{
	return reason_word[reason_code(r)];
}

int
report_tally_init(struct report_tally *t, size_t nhost)
{
	memset(t, 0, sizeof *t);
	t->nhost = nhost;
	t->head = calloc(nhost ? nhost : 1, sizeof *t->head);
	return t->head == NULL ? -1 : 0;
}

int
report_tally_add(struct report_tally *t, const struct probe_result *r)
{
	return report_tally_put(t, r->host, r->state, reason_code(r), 1);
}

int
report_tally_put(struct report_tally *t, uint32_t host, int state,
    int reason, uint32_t n)
{
	struct report_tent	*e;
	uint32_t		 i;

	for (i = t->head[host]; i != 0; i = t->e[i - 1].next)
		if (t->e[i - 1].state == state && t->e[i - 1].reason == reason) {
			t->e[i - 1].n += n;
			return 0;
		}
	if (t->ne == t->cap) {
		if (t->cap >= UINT32_MAX / 2 ||
		    (e = realloc(t->e, (t->cap ? t->cap * 2 : 64) *
		    sizeof *e)) == NULL)
			return -1;
		t->e = e;
		t->cap = t->cap ? t->cap * 2 : 64;
	}
	e = &t->e[t->ne++];
	e->state = (uint8_t)state;
	e->reason = (uint8_t)reason;
	e->n = n;
	e->next = t->head[host];
	t->head[host] = (uint32_t)t->ne;
	return 0;
}

/*
 * A verdict's why and ICMP message for each reason word, the inverse of
 * reason_code(): a merged report's ports are said as they were.
 */
static const uint8_t reason_back[R_N][4] = {	/* why, icmp6, type, code */
	{ WHY_SYN_ACK }, { WHY_RST }, { WHY_UDP_REPLY }, { WHY_NO_RESPONSE },
	/* net-, host-, proto-, port-unreach, net-, host-, admin-prohibited */
	{ WHY_ICMP, 0, 3, 0 }, { WHY_ICMP, 0, 3, 1 }, { WHY_ICMP, 0, 3, 2 },
	{ WHY_ICMP, 0, 3, 3 }, { WHY_ICMP, 0, 3, 9 }, { WHY_ICMP, 0, 3, 10 },
	{ WHY_ICMP, 0, 3, 13 },
	/* dest-unreach, time-exceeded; ICMPv6 param-problem, no-route,
	 * beyond-scope, reject-route; unknown-response */
	{ WHY_ICMP, 0, 3, 4 }, { WHY_ICMP, 0, 11, 0 }, { WHY_ICMP, 1, 4, 0 },
	{ WHY_ICMP, 1, 1, 0 }, { WHY_ICMP, 1, 1, 2 }, { WHY_ICMP, 1, 1, 6 },
	{ WHY_ICMP, 0, 255, 0 }
};

void
report_reason_result(int reason, struct probe_result *r)
{
	if (reason < 0 || reason >= R_N)
		reason = R_UNKNOWN;
	r->why = reason_back[reason][0];
	r->icmp6 = reason_back[reason][1];
	r->icmp_type = reason_back[reason][2];
	r->icmp_code = reason_back[reason][3];
}

const char *
report_reason_word(int reason)
{
	return reason >= 0 && reason < R_N ? reason_word[reason] : NULL;
}

int
report_reason_find(const char *word)
{
	int	 i;

	for (i = 0; i < R_N; i++)
		if (strcmp(reason_word[i], word) == 0)
			return i;
	return -1;
}

void
report_tally_free(struct report_tally *t)
{
	free(t->head);
	free(t->e);
	memset(t, 0, sizeof *t);
}

char **
report_services(const char *proto)
{
	struct servent	*se;
	char		**svc;
	uint16_t	  p;

	if ((svc = calloc(65536, sizeof *svc)) == NULL)
		return NULL;
	setservent(1);
	while ((se = getservent()) != NULL) {
		p = ntohs((uint16_t)se->s_port);
		if (strcmp(se->s_proto, proto) != 0 || svc[p] != NULL)
			continue;
		if ((svc[p] = strdup(se->s_name)) == NULL) {
			endservent();
			report_services_free(svc);
			errno = ENOMEM;
			return NULL;
		}
	}
	endservent();
	return svc;
}

void
report_services_free(char **svc)
{
	size_t	 i;

	if (svc == NULL)
		return;
	for (i = 0; i < 65536; i++)
		free(svc[i]);
	free(svc);
}

const char *
report_host(const struct tgt_set *set, uint32_t i, int with_name, char *buf,
    size_t len)
{
	const struct tgt_host	*h = &set->host[i];
	char			 a[NET_ADDRSTRLEN], zone[IF_NAMESIZE];

	inet_ntop(h->family, h->addr, a, sizeof a);
	if (h->scope != 0 && if_indextoname(h->scope, zone) != NULL)
		snprintf(a + strlen(a), sizeof a - strlen(a), "%%%s", zone);
	if (with_name && h->name != NULL && strcmp(h->name, a) != 0)
		snprintf(buf, len, "%s (%s)", a, h->name);
	else
		snprintf(buf, len, "%s", a);
	return buf;
}

void
report_xml_str(FILE *fp, const char *s)
{
	unsigned char	 c;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		switch (c) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&apos;", fp); break;
		default:
			if (c < 0x20 || c >= 0x7f)
				fprintf(fp, "\\x%02x", c);
			else
				fputc(c, fp);
		}
	}
}

size_t
report_port_ranges(FILE *fp, const struct tgt_set *set)
{
	uint8_t		 bit[65536 / 8];
	size_t		 i, j, n = 0;
	unsigned	 p, lo;

	memset(bit, 0, sizeof bit);
	for (i = 0; i < set->nplist; i++)
		for (j = 0; j < set->plist[i].n; j++)
			bit[set->plist[i].port[j] / 8] |=
			    1u << (set->plist[i].port[j] % 8);
	for (p = 1; p < 65536; p++) {
		if (!(bit[p / 8] & 1u << (p % 8)))
			continue;
		for (lo = p; p + 1 < 65536 && bit[(p + 1) / 8] &
		    1u << ((p + 1) % 8); p++)
			;
		if (fp != NULL && p > lo)
			fprintf(fp, "%s%u-%u", n ? "," : "", lo, p);
		else if (fp != NULL)
			fprintf(fp, "%s%u", n ? "," : "", lo);
		n += p - lo + 1;
	}
	return n;
}

int
report_next_host(const struct report_run *run, uint32_t *h, size_t *i,
    size_t *first, size_t *end)
{
	const uint32_t	*n;

	while (++*h < run->set->nhost) {
		n = run->hc[*h].n;
		while (*i < run->nres && run->res[*i].host < *h)
			(*i)++;
		*first = *i;
		while (*i < run->nres && run->res[*i].host == *h)
			(*i)++;
		*end = *i;
		if (n[0] + n[1] + n[2] + n[3] == 0 || (run->open_only &&
		    *first == *end))
			continue;
		return 1;
	}
	return 0;
}

/* nmap's dates: "Sat Dec  5 07:12:32 2026", local time. */
static const char *
ctime_str(time_t t, char *buf, size_t len)
{
	struct tm	 tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%a %b %e %H:%M:%S %Y", &tm) == 0)
		snprintf(buf, len, "%lld", (long long)t);
	return buf;
}

/* The service name of port, or NULL when the database has none. */
static const char *
service(const struct report_run *run, uint16_t port)
{
	return run->svc != NULL ? run->svc[port] : NULL;
}

/*
 * Why a host counts as up: the first answer among its listed ports, else
 * "user-set", as nmap -Pn says for a host it was told to probe.
 */
static const char *
host_reason(const struct report_run *run, size_t first, size_t end)
{
	size_t	 i;

	for (i = first; i < end; i++)
		if (run->res[i].why == WHY_SYN_ACK ||
		    run->res[i].why == WHY_RST ||
		    run->res[i].why == WHY_UDP_REPLY)
			return report_reason(&run->res[i]);
	return "user-set";
}

/*
 * The tally entries of host h in state, most ports first, into out (room
 * for max); returns how many.
 */
static size_t
tally_state(const struct report_run *run, uint32_t h, int state,
    struct report_tent *out, size_t max)
{
	struct report_tent	 t;
	uint32_t		 i;
	size_t			 n = 0, j;

	if (run->tally == NULL || run->tally->head == NULL)
		return 0;
	for (i = run->tally->head[h]; i != 0; i = run->tally->e[i - 1].next) {
		t = run->tally->e[i - 1];
		if (t.state != state || n == max)
			continue;
		for (j = n++; j > 0 && out[j - 1].n < t.n; j--)
			out[j] = out[j - 1];
		out[j] = t;
	}
	return n;
}

/* The prologue, <nmaprun> and <scaninfo>. */
static void
xml_head(FILE *fp, const struct report_run *run)
{
	char	 when[64];

	ctime_str(run->start, when, sizeof when);
	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<!DOCTYPE nmaprun>\n"
	    "<?xml-stylesheet href=\"file:///usr/share/nmap/nmap.xsl\" "
	    "type=\"text/xsl\"?>\n"
	    "<!-- sockkit %s probe initiated %s -->\n"
	    "<nmaprun scanner=\"nmap\" args=\"", PACKAGE_VERSION, when);
	report_xml_str(fp, run->args != NULL ? run->args : "sockkit probe");
	fprintf(fp, "\" start=\"%lld\" startstr=\"%s\" version=\"%s\" "
	    "xmloutputversion=\"1.05\">\n<scaninfo type=\"%s\" "
	    "protocol=\"%s\" numservices=\"", (long long)run->start, when,
	    REPORT_VERSION, run->udp ? "udp" : "connect",
	    run->udp ? "udp" : "tcp");
	fprintf(fp, "%zu\" services=\"", report_port_ranges(NULL, run->set));
	report_port_ranges(fp, run->set);
	fprintf(fp, "\"/>\n<verbose level=\"%d\"/>\n<debugging level=\"0\"/>\n",
	    run->verbose);
}

/* <extraports>: the ports of h not listed, by state, with their reasons. */
static void
xml_extraports(FILE *fp, const struct report_run *run, uint32_t h)
{
	struct report_tent	 t[R_N];
	size_t			 n, i;
	uint32_t		 sum;
	int			 s;

	for (s = 0; s < PROBE_NSTATES; s++) {
		n = tally_state(run, h, s, t, R_N);
		for (sum = 0, i = 0; i < n; i++)
			sum += t[i].n;
		if (n == 0)
			continue;
		fprintf(fp, "<extraports state=\"%s\" count=\"%u\">\n",
		    probe_state_name(s), sum);
		for (i = 0; i < n; i++)
			fprintf(fp, "<extrareasons reason=\"%s\" count=\"%u\" "
			    "proto=\"%s\"/>\n", reason_word[t[i].reason],
			    t[i].n, run->udp ? "udp" : "tcp");
		fprintf(fp, "</extraports>\n");
	}
}

/*
 * One <port>: state, reason (no TTL is known: 0, as nmap -sT; the sender
 * of an ICMP error as reason_ip), service.
 */
static void
xml_port(FILE *fp, const struct report_run *run, const struct probe_result *r)
{
	const char	*svc = service(run, r->port);
	char		 ip[INET6_ADDRSTRLEN];

	fprintf(fp, "<port protocol=\"%s\" portid=\"%u\"><state state=\"%s\" "
	    "reason=\"%s\" reason_ttl=\"0\"", run->udp ? "udp" : "tcp",
	    r->port, probe_state_name(r->state), report_reason(r));
	if (r->why == WHY_ICMP && r->from_family != 0 &&
	    inet_ntop(r->from_family, r->from, ip, sizeof ip) != NULL)
		fprintf(fp, " reason_ip=\"%s\"", ip);	/* who sent it */
	fprintf(fp, "/>");
	if (svc != NULL || report_tls_up(r)) {
		fprintf(fp, "<service name=\"");
		report_xml_str(fp, svc != NULL ? svc : "ssl");
		fprintf(fp, "\"%s method=\"table\" conf=\"3\"/>",
		    report_tls_up(r) ? " tunnel=\"ssl\"" : "");
	}
	if (r->tls != NULL)
		xml_tls(fp, r->tls);
	if (r->banner != NULL && r->banner_len > 0) {
		/* nmap's banner script, where nmap -sV --script banner
		 * puts it */
		fprintf(fp, "<script id=\"banner\" output=\"");
		report_xml_str(fp, (const char *)r->banner);
		fprintf(fp, "\"/>");
	}
	fprintf(fp, "</port>\n");
}

/*
 * --tls: what the handshake showed, as script output: "tls" (version,
 * cipher, ALPN, or why there was no TLS) and, where nmap's ssl-cert
 * puts it, the certificate.
 */
static void
xml_tls(FILE *fp, const struct probe_tls *t)
{
	char	 line[PROBE_TLS_LINE];

	fprintf(fp, "<script id=\"tls\" output=\"");
	report_xml_str(fp, report_tls_line(t, line, sizeof line));
	fprintf(fp, "\"/>");
	if (t->subject[0] == '\0' && t->fingerprint[0] == '\0')
		return;		/* no certificate came */
	fprintf(fp, "<script id=\"ssl-cert\" output=\"Subject: ");
	report_xml_str(fp, t->subject);
	fprintf(fp, "&#xa;Issuer: ");
	report_xml_str(fp, t->issuer);
	fprintf(fp, "&#xa;Not valid before: ");
	report_xml_str(fp, t->not_before);
	fprintf(fp, "&#xa;Not valid after:  ");
	report_xml_str(fp, t->not_after);
	fprintf(fp, "&#xa;SHA-256: ");
	report_xml_str(fp, t->fingerprint);
	fprintf(fp, "\"/>");
}

/* One <host>: status, address, the name as given, its ports. */
static void
xml_host(FILE *fp, const struct report_run *run, uint32_t h, size_t first,
    size_t end)
{
	const struct tgt_host	*th = &run->set->host[h];
	char			 a[NET_ADDRSTRLEN];
	size_t			 i;

	/* The zone too (fe80::1%eth0): the same address on two links is
	 * two hosts. */
	report_host(run->set, h, 0, a, sizeof a);
	fprintf(fp, "<host><status state=\"up\" reason=\"%s\" "
	    "reason_ttl=\"0\"/>\n<address addr=\"", host_reason(run, first,
	    end));
	report_xml_str(fp, a);
	fprintf(fp, "\" addrtype=\"%s\"/>\n<hostnames>\n",
	    th->family == AF_INET6 ? "ipv6" : "ipv4");
	if (th->name != NULL && strcmp(th->name, a) != 0) {
		fprintf(fp, "<hostname name=\"");
		report_xml_str(fp, th->name);
		fprintf(fp, "\" type=\"user\"/>\n");
	}
	fprintf(fp, "</hostnames>\n<ports>");
	xml_extraports(fp, run, h);
	for (i = first; i < end; i++)
		xml_port(fp, run, &run->res[i]);
	fprintf(fp, "</ports>\n</host>\n");
}

/*
 * Hosts probed, shown or not (--open hides some): nmap's "N IP addresses
 * (N hosts up)".
 */
static unsigned
probed_hosts(const struct report_run *run)
{
	const uint32_t	*n;
	unsigned	 nhost = 0;
	size_t		 h;

	for (h = 0; h < run->set->nhost; h++) {
		n = run->hc[h].n;
		nhost += n[0] + n[1] + n[2] + n[3] > 0;
	}
	return nhost;
}

/* "N IP address(es) (N host(s) up) scanned in S seconds", after head. */
static void
done_line(FILE *fp, const struct report_run *run, const char *head)
{
	unsigned	 nhost = probed_hosts(run);
	char		 when[64];

	fprintf(fp, "%s%s%s %u IP address%s (%u host%s up) scanned in %.2f "
	    "seconds", head, ctime_str(run->end, when, sizeof when),
	    *head == '#' ? " --" : ";", nhost, nhost == 1 ? "" : "es", nhost,
	    nhost == 1 ? "" : "s", run->elapsed);
}

/* <runstats> and the end of <nmaprun>. */
static void
xml_tail(FILE *fp, const struct report_run *run)
{
	unsigned	 nhost = probed_hosts(run);
	char		 when[64];

	fprintf(fp, "<runstats><finished time=\"%lld\" timestr=\"%s\" "
	    "summary=\"", (long long)run->end, ctime_str(run->end, when,
	    sizeof when));
	done_line(fp, run, "Nmap done at ");
	fprintf(fp, "\" elapsed=\"%.2f\" exit=\"%s\"", run->elapsed,
	    run->interrupted != NULL ? "error" : "success");
	if (run->interrupted != NULL) {
		fprintf(fp, " errormsg=\"");
		report_xml_str(fp, run->interrupted);
		fprintf(fp, "\"");
	}
	fprintf(fp, "/><hosts up=\"%u\" down=\"0\" total=\"%u\"/>\n"
	    "</runstats>\n</nmaprun>\n", nhost, nhost);
}

int
report_xml(FILE *fp, const struct report_run *run)
{
	uint32_t	 h = UINT32_MAX;
	size_t		 i = 0, first, end;

	xml_head(fp, run);
	while (report_next_host(run, &h, &i, &first, &end))
		xml_host(fp, run, h, first, end);
	xml_tail(fp, run);
	return fflush(fp) == EOF || ferror(fp) ? -1 : 0;
}

void
report_grepable_ports(FILE *fp, const struct report_run *run, uint32_t h,
    size_t first, size_t end)
{
	struct report_tent	 t[R_N];
	const char		*svc;
	size_t			 i, n, ignored = 0;
	uint32_t		 sum = 0;
	int			 s, istate = 0;

	fprintf(fp, "Ports: ");
	for (i = first; i < end; i++) {
		svc = service(run, run->res[i].port);
		fprintf(fp, "%s%u/%s/%s//%s", i > first ? ", " : "",
		    run->res[i].port, probe_state_name(run->res[i].state),
		    run->udp ? "udp" : "tcp", !report_tls_up(&run->res[i]) ?
		    "" : svc != NULL ? "ssl|" : "ssl");	/* nmap's tunnel,
							   as in ssl|https */
		for (; svc != NULL && *svc != '\0'; svc++)
			fputc(*svc == '/' ? '|' : *svc, fp);
		fprintf(fp, "///");
	}
	for (s = 0; s < PROBE_NSTATES; s++) {
		if ((n = tally_state(run, h, s, t, R_N)) == 0)
			continue;
		ignored++;
		istate = s;
		for (sum = 0, i = 0; i < n; i++)
			sum += t[i].n;
	}
	/* Grepable output has room for one ignored state (nmap's own
	 * rule): with more, it names none. */
	if (ignored == 1)
		fprintf(fp, "\tIgnored State: %s (%u)", probe_state_name(istate),
		    sum);
}

int
report_grepable(FILE *fp, const struct report_run *run)
{
	uint32_t	 h = UINT32_MAX;
	size_t		 i = 0, first, end;
	char		 when[64], a[NET_ADDRSTRLEN + 64], name[300];
	const char	*nm;

	fprintf(fp, "# Nmap %s scan initiated %s as: %s\n", REPORT_VERSION,
	    ctime_str(run->start, when, sizeof when), run->args != NULL ?
	    run->args : "sockkit probe");
	while (report_next_host(run, &h, &i, &first, &end)) {
		report_host(run->set, h, 0, a, sizeof a);
		nm = run->set->host[h].name;
		snprintf(name, sizeof name, "%s", nm != NULL &&
		    strcmp(nm, a) != 0 ? nm : "");
		fprintf(fp, "Host: %s (%s)\tStatus: Up\nHost: %s (%s)\t", a,
		    name, a, name);
		report_grepable_ports(fp, run, h, first, end);
		fprintf(fp, "\n");
	}
	/* An interrupted run has no trailer: readers take its absence
	 * for an unfinished scan, as with nmap's. */
	if (run->interrupted == NULL) {
		done_line(fp, run, "# Nmap done at ");
		fprintf(fp, "\n");
	}
	return fflush(fp) == EOF || ferror(fp) ? -1 : 0;
}

/* An RTT for the RTT column: "0.061ms", "4.52ms", "20.3ms" or "-". */
static const char *
table_rtt(int64_t us, char *buf, size_t len)
{
	double	 ms = us / 1000.0;

	if (us < 0)
		return "-";
	snprintf(buf, len, ms < 1 ? "%.3fms" : ms < 10 ? "%.2fms" : "%.1fms",
	    ms);
	return buf;
}

void
report_table_head(FILE *fp, const struct report_run *run, uint32_t h)
{
	char	 hs[NET_ADDRSTRLEN + 300];

	fprintf(fp, "%s\n%-9s %-13s %-15s %-25s %s\n", report_host(run->set, h,
	    1, hs, sizeof hs), "PORT", "STATE", "SERVICE", "REASON", "RTT");
}

void
report_table_port(FILE *fp, const struct report_run *run,
    const struct probe_result *r)
{
	const char	*svc = service(run, r->port);
	char		 pp[16], why[64], rtt[32];

	snprintf(pp, sizeof pp, "%u/%s", r->port, run->udp ? "udp" : "tcp");
	fprintf(fp, "%-9s %-13s %-15s %-25s %s\n", pp,
	    probe_state_name(r->state), svc != NULL ? svc : "-",
	    probe_reason(r, why, sizeof why), table_rtt(r->rtt_us, rtt,
	    sizeof rtt));
	if (r->tls != NULL)
		report_table_tls(fp, r->tls);
	if (r->banner != NULL && r->banner_len > 0)
		fprintf(fp, "|_banner: %s\n", (const char *)r->banner);
}

/* --tls under a port of the table: the handshake, the certificate. */
static void
report_table_tls(FILE *fp, const struct probe_tls *t)
{
	char	 line[PROBE_TLS_LINE];

	fprintf(fp, "|_tls: %s\n", report_tls_line(t, line, sizeof line));
	if (t->subject[0] != '\0')
		fprintf(fp, "|_cert: %s, issuer %s, valid %s to %s\n",
		    t->subject, t->issuer, t->not_before, t->not_after);
}

int
report_tls_up(const struct probe_result *r)
{
	return r->tls != NULL && r->tls->error[0] == '\0';
}

const char *
report_tls_line(const struct probe_tls *t, char *buf, size_t len)
{
	if (t->error[0] != '\0')
		snprintf(buf, len, "no TLS: %s", t->error);
	else
		snprintf(buf, len, "%s%s%s%s%s", t->version,
		    t->cipher[0] != '\0' || t->alpn[0] != '\0' ? ", " : "",
		    t->cipher, t->alpn[0] != '\0' ? ", ALPN " : "", t->alpn);
	return buf;
}

void
report_table_host(FILE *fp, const struct report_run *run, uint32_t h,
    size_t first, size_t end)
{
	const uint32_t	*n = run->hc[h].n;
	char		 hs[NET_ADDRSTRLEN + 300];
	size_t		 i;
	int		 s;

	if (first < end)
		report_table_head(fp, run, h);
	for (i = first; i < end; i++)
		report_table_port(fp, run, &run->res[i]);
	if (run->open_only)
		return;
	report_host(run->set, h, 1, hs, sizeof hs);
	fprintf(fp, "%s: %u port%s: %u open", hs, n[0] + n[1] + n[2] + n[3],
	    n[0] + n[1] + n[2] + n[3] == 1 ? "" : "s", n[PROBE_OPEN]);
	for (s = 1; s < PROBE_NSTATES; s++)
		if (n[s] > 0)
			fprintf(fp, ", %u %s", n[s], probe_state_name(s));
	fprintf(fp, "\n");
}

int
report_table(FILE *fp, const struct report_run *run)
{
	uint32_t	 h = UINT32_MAX;
	size_t		 i = 0, first, end;
	int		 shown = 0;

	while (report_next_host(run, &h, &i, &first, &end)) {
		if (shown++ > 0 && (first < end || !run->open_only))
			fprintf(fp, "\n");
		report_table_host(fp, run, h, first, end);
	}
	return fflush(fp) == EOF || ferror(fp) ? -1 : 0;
}

/* The letter of each format after "-o", and -oA's file name endings. */
static const char fmt_letter[REPORT_NFMT] = { 'N', 'X', 'G' };
static const char *fmt_ext[REPORT_NFMT] = { ".nmap", ".xml", ".gnmap" };

/* Set format f's path; -1 with err when it has one already. */
static int
outs_set(struct report_outs *o, int f, const char *path, char *owned,
    char *err, size_t len)
{
	if (o->path[f] != NULL) {
		snprintf(err, len, "-o%c: its file is given twice",
		    fmt_letter[f]);
		free(owned);
		return -1;
	}
	o->path[f] = path;
	o->owned[f] = owned;
	return 0;
}

int
report_outs_add(struct report_outs *o, const char *opt, const char *path,
    char *err, size_t len)
{
	char	*name;
	int	 f;

	if (strcmp(opt, "A") == 0) {
		if (strcmp(path, "-") == 0) {
			snprintf(err, len, "-oA: writes three files: it "
			    "needs a BASE name, not -");
			return -1;
		}
		for (f = 0; f < REPORT_NFMT; f++) {
			if ((name = malloc(strlen(path) + 8)) == NULL) {
				snprintf(err, len, "out of memory");
				return -1;
			}
			sprintf(name, "%s%s", path, fmt_ext[f]);
			if (outs_set(o, f, name, name, err, len) == -1)
				return -1;
		}
		return 0;
	}
	for (f = 0; f < REPORT_NFMT; f++)
		if (opt[0] == fmt_letter[f] && opt[1] == '\0')
			break;
	if (f == REPORT_NFMT) {
		snprintf(err, len, "unknown output format '-o%s': -oN, -oX, "
		    "-oG or -oA", opt);
		return -1;
	}
	if (strcmp(path, "-") == 0 && report_outs_stdout(o)) {
		snprintf(err, len, "-o%s -: only one output can go to stdout",
		    opt);
		return -1;
	}
	return outs_set(o, f, path, NULL, err, len);
}

int
report_outs_stdout(const struct report_outs *o)
{
	int	 f;

	for (f = 0; f < REPORT_NFMT; f++)
		if (o->path[f] != NULL && strcmp(o->path[f], "-") == 0)
			return fmt_letter[f];
	return 0;
}

int
report_outs_open(struct report_outs *o, char *err, size_t len)
{
	int	 f;

	for (f = 0; f < REPORT_NFMT; f++) {
		if (o->path[f] == NULL || o->fp[f] != NULL)
			continue;
		o->fp[f] = strcmp(o->path[f], "-") == 0 ? stdout :
		    fopen(o->path[f], "w");
		if (o->fp[f] == NULL) {
			snprintf(err, len, "-o%c %s: %s", fmt_letter[f],
			    o->path[f], strerror(errno));
			return -1;
		}
	}
	return 0;
}

int
report_outs_write(struct report_outs *o, const struct report_run *run,
    char *err, size_t len)
{
	static int	(*const writer[REPORT_NFMT])(FILE *,
			    const struct report_run *) = {
		report_table, report_xml, report_grepable
	};
	int		 f, rc = 0, bad;

	for (f = 0; f < REPORT_NFMT; f++) {
		if (o->fp[f] == NULL)
			continue;
		errno = 0;
		bad = writer[f](o->fp[f], run) == -1;
		if (o->fp[f] != stdout && fclose(o->fp[f]) == EOF)
			bad = 1;
		o->fp[f] = NULL;
		if (bad && rc == 0) {
			snprintf(err, len, "-o%c %s: %s", fmt_letter[f],
			    o->path[f], errno ? strerror(errno) :
			    "write error");
			rc = -1;
		}
	}
	return rc;
}

void
report_outs_free(struct report_outs *o)
{
	int	 f;

	for (f = 0; f < REPORT_NFMT; f++) {
		if (o->fp[f] != NULL && o->fp[f] != stdout)
			fclose(o->fp[f]);
		free(o->owned[f]);
	}
	memset(o, 0, sizeof *o);
}

char *
report_args(int argc, char **argv)
{
	size_t	 len = sizeof "sockkit", i;
	char	*s;

	for (i = 0; i < (size_t)argc; i++)
		len += strlen(argv[i]) + 1;
	if ((s = malloc(len)) == NULL)
		return NULL;
	strcpy(s, "sockkit");
	for (i = 0; i < (size_t)argc; i++) {
		strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

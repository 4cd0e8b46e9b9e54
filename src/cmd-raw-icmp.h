/*
 * cmd-raw-icmp.h: "raw icmp" (echo, like ping) and "--traceroute" on raw
 * icmp, udp and tcp: the usage lines, and the helpers both files share.
 */
#ifndef RAW_ICMP_H
#define RAW_ICMP_H

#include <sys/socket.h>

#include "cmd.h"

struct icmpsock;

/* Spliced into "sockkit raw --help" (cmd-raw.c). */
#define RAW_ICMP_USAGE \
	"\n" \
	"raw icmp [-46] [-c COUNT] [-i SECS] [-s SIZE] [--ttl N] [-W SECS] " \
	"HOST\n" \
	"  -4, -6              IPv4 or IPv6 only\n" \
	"  -c COUNT            echo requests to send (4; 0: until " \
	"interrupted)\n" \
	"  -i SECS             between requests (1; at least 0.2 unless " \
	"root;\n" \
	"                      0 as root: flood, bursts of 8, the next " \
	"once they are in)\n" \
	"  -s SIZE             payload bytes (56, at most 65507)\n" \
	"      --ttl N         TTL or hop limit of what is sent (1-255)\n" \
	"  -W SECS             how long to wait for a reply (2; " \
	"traceroute: 3)\n" \
	"  exit status 0 when any echo reply came, 1 when none (as ping)\n" \
	"raw icmp|udp|tcp --traceroute [-46] [options] HOST\n" \
	"      --traceroute    the routers on the path to HOST, hop by hop\n" \
	"      --first-ttl N   the first TTL probed (1)\n" \
	"      --max-ttl N     the last TTL probed (30)\n" \
	"  -q N                probes per hop (3, at most 10)\n" \
	"  -N N                hops probed at once (16)\n" \
	"  -p PORT             udp: first port, one more per probe (33434);\n" \
	"                      tcp: the port (80)\n" \
	"  icmp and --traceroute: --trace, --json, --write, --svg, --html " \
	"as for tcp\n" \
	"  below (the probes, their answers and the routers' ICMP errors)\n"

/*
 * The operands of raw icmp and --traceroute: exactly one, HOST, into
 * *host.  Returns -1, or EXIT_USAGE after saying what is wrong.
 */
int	raw_icmp_host(struct cmd_ctx *, int, char **, const char **);

/*
 * Parse arg (for option opt, "-c" or "--ttl") as a whole number in
 * [min, max].  Returns 0, or -1 with err (a usage error).
 */
int	raw_icmp_number(const char *, const char *, long, long, long *, char *,
	    size_t);

/* The same for seconds ("0.5") into milliseconds in [min_ms, max_ms]. */
int	raw_icmp_secs(const char *, const char *, long, long, long *, char *,
	    size_t);

/*
 * Resolve HOST for family into ss (len bytes), and its address as text
 * into str.  Returns 0, or the exit status (reported: 1 for an unknown
 * host).
 */
int	raw_icmp_resolve(const char *, int, struct sockaddr_storage *,
	    socklen_t *, char *, size_t);

struct capture;

/*
 * After raw icmp or --traceroute ran (rc its status): the capture, when
 * open, lingers for the last answers and ends.  Returns the exit status.
 */
int	raw_icmp_end(struct cmd_ctx *, int);

/*
 * An ICMP socket connected to the destination.  Returns 0, or the exit
 * status (reported).
 */
int	raw_icmp_connect(struct icmpsock *, const struct sockaddr_storage *,
	    socklen_t, const char *);

/*
 * The capture the options ask for (none: nothing), of what the BPF
 * expression expr takes, this host's end the address the route to dst
 * leaves from; then privileges are dropped, capture or not.  Returns -1,
 * or the exit status (reported).
 */
int	raw_icmp_capture(struct cmd_ctx *, const char *,
	    const struct sockaddr_storage *, socklen_t);

#endif

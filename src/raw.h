/*
 * raw.h: "sockkit raw", SOCK_RAW sockets.  cmd-raw.c holds the command
 * entry and dispatches to the subcommands:
 *   raw icmp             raw-icmp.c   echo request/reply (ping)
 *   raw tcp|udp|ip       raw-craft.c  crafted packets through IP_HDRINCL
 *   raw listen           raw-listen.c a one-protocol packet printer
 *   --traceroute         raw-trace.c  TTL-limited probes (icmp, udp, tcp)
 * Each exec function gets argv with argv[0] set to the subcommand name
 * and returns an exit status; usage errors go through raw_usage_error().
 */
#ifndef RAW_H
#define RAW_H

#include <stddef.h>

#include "sockkit.h"

extern const struct cmd_entry cmd_raw_entry;

int	raw_icmp_exec(int, char **);
int	raw_tcp_exec(int, char **);
int	raw_udp_exec(int, char **);
int	raw_ip_exec(int, char **);
int	raw_listen_exec(int, char **);

/*
 * socket(family, SOCK_RAW, proto).  Returns the fd, or -1 with err; when
 * the reason is a missing CAP_NET_RAW, err says so and how to grant it.
 */
int	raw_open(int, int, char *, size_t);

/*
 * An IP protocol: a number 0-255 or a name ("gre", "icmp").  Returns 0,
 * or -1 with the reason in err.
 */
int	raw_parse_proto(const char *, int *, char *, size_t);

/* A protocol's name ("tcp") or NULL, for messages. */
const char *raw_proto_name(int);

/* --traceroute given to icmp, udp or tcp (proto: IPPROTO_*). */
int	raw_trace_exec(int, int, char **);

#endif

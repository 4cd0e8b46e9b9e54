/*
 * cmd-raw.h: "sockkit raw", SOCK_RAW sockets.  cmd-raw.c holds the command
 * entry and dispatches to the subcommands:
 *   raw icmp             cmd-raw-icmp.c   echo request/reply (ping)
 *   raw tcp|udp|ip       cmd-raw-craft.c  crafted packets (IP_HDRINCL)
 *   raw listen           cmd-raw-listen.c a one-protocol packet printer
 *   --traceroute         cmd-raw-trace.c  TTL-limited probes
 * Each exec function gets the raw command's context (c->sub names the
 * subcommand) and argv with argv[0] set to the subcommand name, and
 * returns an exit status; usage errors go through cmd_usage_error().
 * The raw sockets themselves are rawsock.c's.
 */
#ifndef CMD_RAW_H
#define CMD_RAW_H

#include <stddef.h>

#include "cmd.h"

extern const struct cmd_entry cmd_raw_entry;

int	raw_icmp_exec(struct cmd_ctx *, int, char **);
int	raw_tcp_exec(struct cmd_ctx *, int, char **);
int	raw_udp_exec(struct cmd_ctx *, int, char **);
int	raw_ip_exec(struct cmd_ctx *, int, char **);
int	raw_listen_exec(struct cmd_ctx *, int, char **);

/* --traceroute given to icmp, udp or tcp (proto: IPPROTO_*). */
int	raw_trace_exec(struct cmd_ctx *, int, int, char **);

#endif

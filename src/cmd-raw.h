/*
 * cmd-raw.h: "sockkit raw", SOCK_RAW sockets.  cmd-raw.c holds the command
 * entry and dispatches to the subcommands:
 *   raw icmp             cmd-raw-icmp.c   echo request/reply (ping)
 *   raw tcp|udp|ip       cmd-raw-craft.c  crafted packets (IP_HDRINCL)
 *   raw listen           cmd-raw-listen.c a one-protocol packet printer
 *   --traceroute         cmd-raw-trace.c  TTL-limited probes
 * Each is an entry of its own (the life cycle of struct cmd_entry) run in
 * the raw command's context, c->sub naming it; usage errors go through
 * cmd_usage_error() and name the subcommand.
 * The raw sockets themselves are rawsock.c's.
 */
#ifndef CMD_RAW_H
#define CMD_RAW_H

#include <stddef.h>

#include "cmd.h"

extern const struct cmd_entry cmd_raw_entry;

/*
 * The subcommands, each an entry of its own run in raw's context:
 * cmd_run() with c->sub their name (tcp, udp and ip share raw_craft_entry;
 * raw_trace_entry is icmp, udp or tcp with --traceroute).
 */
extern const struct cmd_entry raw_icmp_entry;
extern const struct cmd_entry raw_craft_entry;
extern const struct cmd_entry raw_listen_entry;
extern const struct cmd_entry raw_trace_entry;

#endif

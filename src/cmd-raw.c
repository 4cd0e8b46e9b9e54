/*
 * cmd-raw.c: "sockkit raw", the entry and the subcommand table.
 */
#include "config.h"

#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "raw.h"
#include "capture.h"
#include "raw-icmp.h"
#include "sockkit.h"

static int	cmd_raw_exec(int, char **);

/* The usage text is kept in one place so --help and sockkit(1) agree. */
const struct cmd_entry cmd_raw_entry = {
	.name = "raw",
	.summary = "SOCK_RAW: ICMP echo, crafted TCP/UDP/IP packets, "
	    "traceroute, raw listen",
	.usage =
	    "raw icmp [options] HOST\n"
	    "raw tcp|udp [options] HOST PORT\n"
	    "raw ip --proto N [options] HOST\n"
	    "raw listen --proto icmp|tcp|udp|N [options]\n"
	    "\n"
	    "  -h, --help          show this help\n" RAW_ICMP_USAGE PRIV_USAGE CAPTURE_USAGE,
	.exec = cmd_raw_exec,
};

static const struct raw_sub {
	const char	*name;
	int		 proto;		/* for --traceroute; 0: none */
	int		(*exec)(int, char **);
} raw_subs[] = {
	{ "icmp", IPPROTO_ICMP, raw_icmp_exec },
	{ "tcp", IPPROTO_TCP, raw_tcp_exec },
	{ "udp", IPPROTO_UDP, raw_udp_exec },
	{ "ip", 0, raw_ip_exec },
	{ "listen", 0, raw_listen_exec },
};

/* Whether argv holds --traceroute before any "--". */
static int
raw_wants_traceroute(int argc, char **argv)
{
	int	i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--traceroute") == 0)
			return 1;
	}
	return 0;
}

static int
cmd_raw_exec(int argc, char **argv)
{
	const struct raw_sub	*s;
	size_t			 i;

	if (argc < 2)
		return cmd_usage_error(&cmd_raw_entry, "missing subcommand: "
		    "icmp, tcp, udp, ip or listen");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return cmd_help(&cmd_raw_entry);
	for (i = 0; i < sizeof raw_subs / sizeof raw_subs[0]; i++) {
		s = &raw_subs[i];
		if (strcmp(argv[1], s->name) != 0)
			continue;
		if (s->proto != 0 && raw_wants_traceroute(argc - 1, argv + 1))
			return raw_trace_exec(s->proto, argc - 1, argv + 1);
		return s->exec(argc - 1, argv + 1);
	}
	return cmd_usage_error(&cmd_raw_entry, "unknown subcommand '%s': "
	    "use icmp, tcp, udp, ip or listen", argv[1]);
}

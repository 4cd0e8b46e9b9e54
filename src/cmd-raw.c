/*
 * cmd-raw.c: "sockkit raw", the entry and the subcommand table.
 */
#include "config.h"

#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "cmd-raw-icmp.h"
#include "cmd-raw.h"

static const struct raw_sub {
	const char	*name;
	int		 proto;		/* for --traceroute; 0: none */
	const struct cmd_entry *entry;
} raw_subs[] = {
	{ "icmp", IPPROTO_ICMP, &raw_icmp_entry },
	{ "tcp", IPPROTO_TCP, &raw_craft_entry },
	{ "udp", IPPROTO_UDP, &raw_craft_entry },
	{ "ip", 0, &raw_craft_entry },
	{ "listen", 0, &raw_listen_entry },
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

/*
 * The subcommand argv names, exactly or by a unique prefix.  Returns it,
 * or NULL after a usage error.
 */
static const struct raw_sub *
raw_lookup(const char *name)
{
	const char	*names[sizeof raw_subs / sizeof raw_subs[0] + 1];
	size_t		 n;
	int		 i;

	for (n = 0; n < sizeof raw_subs / sizeof raw_subs[0]; n++)
		names[n] = raw_subs[n].name;
	names[n] = NULL;
	i = cmd_find(&cmd_raw_entry, "subcommand", names, name, 0,
	    "use icmp, tcp, udp, ip or listen");
	return i == -1 ? NULL : &raw_subs[i];
}

/* The subcommand argv[1] names, in raw's context; the exit status. */
static int
raw_start(struct cmd_ctx *c, void *arg)
{
	const struct raw_sub	*s;

	(void)arg;
	if (c->argc < 2)
		return cmd_usage_error(&cmd_raw_entry, "missing subcommand: "
		    "icmp, tcp, udp, ip or listen");
	if (strcmp(c->argv[1], "-h") == 0 || strcmp(c->argv[1], "--help") == 0)
		return cmd_help(&cmd_raw_entry);
	if ((s = raw_lookup(c->argv[1])) == NULL)
		return EXIT_USAGE;
	c->argv[1] = (char *)s->name;
	c->sub = s->name;
	if (s->proto != 0 && raw_wants_traceroute(c->argc - 1, c->argv + 1)) {
		snprintf(c->where, sizeof c->where, "raw: %s --traceroute",
		    s->name);
		return cmd_run(c, &raw_trace_entry, c->argc - 1, c->argv + 1);
	}
	snprintf(c->where, sizeof c->where, "raw: %s", s->name);
	return cmd_run(c, s->entry, c->argc - 1, c->argv + 1);
}

/* The usage text is kept in one place so --help and sockkit(1) agree. */
const struct cmd_entry cmd_raw_entry = {
	.name = "raw",
	.summary = "SOCK_RAW: ICMP echo, crafted TCP/UDP/IP packets, "
	    "traceroute, raw listen",
	.usage =
	    "raw icmp [options] HOST\n"
	    "       sockkit raw tcp|udp [options] HOST PORT\n"
	    "       sockkit raw ip --proto N [options] HOST\n"
	    "       sockkit raw listen --proto icmp|tcp|udp|N [options]\n"
	    "\n"
	    "  -h, --help          show this help\n"
	    RAW_ICMP_USAGE
	    "\n"
	    "raw tcp, udp and ip: one IPv4 packet per probe, built by sockkit "
	    "and sent\n"
	    "through IP_HDRINCL; the replies drawn as a ladder on stderr, a "
	    "verdict per\n"
	    "probe on stdout (exit 0 when any probe was answered, else 1)\n"
	    "      --flags LETTERS tcp: any of S A F R P U E C (\"SA\", "
	    "\"FPU\"; \"\" none) (S)\n"
	    "      --sport PORT  tcp, udp: source port (a free one at random)\n"
	    "      --seq N       tcp: sequence number (random)\n"
	    "      --ack N       tcp: acknowledgment number (0)\n"
	    "      --win N       tcp: window (1024)\n"
	    "      --ttl N       time to live, 1-255 (64)\n"
	    "      --tos N       type of service byte, 0-255 (0)\n"
	    "      --id N        IP identification, 0-65535 (random)\n"
	    "      --df          set Don't Fragment\n"
	    "      --data STRING payload; --data-hex HEX: as hex digits\n"
	    "      --badsum      tcp, udp: send a wrong checksum\n"
	    "      --proto P     ip: protocol number 0-255 or name (gre, ...)\n"
	    "  -c COUNT          probes to send (1)\n"
	    "  -i SECS           between probes (1)\n"
	    "  -W SECS           wait for each probe's reply (1)\n"
	    "  -4                IPv4, the only family crafted here\n"
	    CAPTURE_USAGE
	    "\n"
	    "raw listen: print every packet a raw socket of one protocol "
	    "receives\n"
	    "      --proto P     icmp, tcp, udp, or any protocol number or "
	    "name\n"
	    "  -c COUNT          stop after COUNT packets (0: until "
	    "interrupted)\n"
	    "      --json        one JSON object per packet\n"
	    "  -6                an IPv6 raw socket (--proto icmp: ICMPv6)\n"
	    "      --trace, --write FILE, --svg FILE, --html FILE  the same "
	    "packets as a\n"
	    "                    ladder, a pcap file, pictures (as above)\n"
	    "\n"
	    "Privileges (every raw command needs CAP_NET_RAW):\n"
	    PRIV_USAGE,
	.flags = CMD_CAPTURE | CMD_PRIV, .run = raw_start,
};

/*
 * rawsock.c: opening SOCK_RAW sockets and naming IP protocols, for the raw
 * commands.
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rawsock.h"
#include "util.h"

int
raw_open(int family, int proto, char *err, size_t errlen)
{
	char		 self[PATH_MAX];
	int		 fd;

	if ((fd = socket(family, SOCK_RAW, proto)) != -1)
		return fd;
	if (errno != EPERM && errno != EACCES) {
		snprintf(err, errlen, "raw socket: %s", strerror(errno));
		return -1;
	}
	snprintf(err, errlen, "a raw socket needs CAP_NET_RAW, which this "
	    "process lacks: run as root, or grant it with "
	    "'setcap cap_net_raw+ep %s'", sk_self_path(self, sizeof self));
	return -1;
}

/* Names that work without /etc/protocols (netbase may be missing). */
static const struct {
	const char	*name;
	int		 proto;
} raw_protos[] = {
	{ "icmp", IPPROTO_ICMP }, { "igmp", IPPROTO_IGMP },
	{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP },
	{ "gre", IPPROTO_GRE }, { "esp", IPPROTO_ESP }, { "ah", IPPROTO_AH },
	{ "icmpv6", IPPROTO_ICMPV6 }, { "sctp", IPPROTO_SCTP },
};

int
raw_parse_proto(const char *s, int *proto, char *err, size_t errlen)
{
	struct protoent	*pe;
	long		 v;
	size_t		 i;

	if (*s >= '0' && *s <= '9') {
		if (parse_long(s, 0, 255, &v, err, errlen) == -1)
			return -1;
		*proto = (int)v;
		return 0;
	}
	for (i = 0; i < sizeof raw_protos / sizeof raw_protos[0]; i++)
		if (strcasecmp(s, raw_protos[i].name) == 0) {
			*proto = raw_protos[i].proto;
			return 0;
		}
	if (*s != '\0' && (pe = getprotobyname(s)) != NULL) {
		*proto = pe->p_proto;
		return 0;
	}
	snprintf(err, errlen, "unknown protocol (give a number 0-255 or a "
	    "name such as icmp, tcp, udp, gre)");
	return -1;
}

const char *
raw_proto_name(int proto)
{
	size_t	 i;

	for (i = 0; i < sizeof raw_protos / sizeof raw_protos[0]; i++)
		if (raw_protos[i].proto == proto)
			return raw_protos[i].name;
	return NULL;
}

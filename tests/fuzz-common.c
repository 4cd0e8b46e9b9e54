/*
 * fuzz-common.c: shared by the fuzz targets.  They are linked with
 * -Wl,--wrap=getaddrinfo,--wrap=getservbyname, so the library code they
 * drive can never make a real name lookup: getaddrinfo() is forced to
 * AI_NUMERICHOST, and service names come from a small fixed table instead
 * of /etc/services or NSS.  Runs stay fast and give the same answers on
 * every machine.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <netdb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int	__real_getaddrinfo(const char *, const char *,
	    const struct addrinfo *, struct addrinfo **);
int	__wrap_getaddrinfo(const char *, const char *,
	    const struct addrinfo *, struct addrinfo **);
struct servent *__wrap_getservbyname(const char *, const char *);

char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char	*s;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* getaddrinfo() for numeric hosts only: never DNS, hosts or NSS. */
int
__wrap_getaddrinfo(const char *node, const char *service,
    const struct addrinfo *hints, struct addrinfo **res)
{
	struct addrinfo	 h;

	if (hints != NULL)
		h = *hints;
	else {
		memset(&h, 0, sizeof h);
		h.ai_family = AF_UNSPEC;
	}
	h.ai_flags |= AI_NUMERICHOST | AI_NUMERICSERV;
	return __real_getaddrinfo(node, service, &h, res);
}

/* A few well-known services, the same for "tcp" and "udp". */
struct servent *
__wrap_getservbyname(const char *name, const char *proto)
{
	static const struct { const char *name; int port; } tab[] = {
		{ "ssh", 22 }, { "domain", 53 }, { "http", 80 },
		{ "https", 443 }, { "echo", 7 }, { "x11", 6000 },
	};
	static struct servent	 se;
	static char		*noalias[] = { NULL };
	size_t			 i;

	if (proto == NULL || (strcmp(proto, "tcp") != 0 &&
	    strcmp(proto, "udp") != 0))
		return NULL;
	for (i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		if (strcmp(name, tab[i].name) != 0)
			continue;
		se.s_name = (char *)(uintptr_t)tab[i].name;
		se.s_aliases = noalias;
		se.s_port = (int)htons((uint16_t)tab[i].port);
		se.s_proto = (char *)(uintptr_t)proto;
		return &se;
	}
	return NULL;
}

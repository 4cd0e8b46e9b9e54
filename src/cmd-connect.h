/*
 * cmd-connect.h: what connect's files share: the proxy options and the
 * negotiation driven over the connected socket (cmd-connect-proxy.c).
 */
#ifndef CMD_CONNECT_H
#define CMD_CONNECT_H

#include <stddef.h>
#include <stdint.h>

#include "proxy.h"
#include "track.h"

struct capture;

#define CONNECT_PROXY_MSGS	8

/* The negotiation's messages, by offset in each direction, for the ladder. */
struct connect_proxy_msg {
	int		 dir;		/* 0: we sent it, 1: the proxy did */
	uint32_t	 start, len;
	char		 name[TRACK_NOTE_LEN];
};

/* --proxy and its companions, and what the ladder needs to name. */
struct connect_proxy {
	const char	*spec;		/* --proxy HOST[:PORT]; NULL: none */
	enum proxy_type	 type;		/* --proxy-type, socks5 by default */
	int		 type_set;
	const char	*auth;		/* --proxy-auth USER[:PASS] */
	int		 dns;		/* --proxy-dns: 'l'ocal, 'r'emote, 0 */
	char		 host[256];	/* of spec */
	char		 user[256];	/* of auth, before its ':' */
	uint16_t	 port;
	/* The ladder's side: what was said, and where each side began. */
	struct connect_proxy_msg msg[CONNECT_PROXY_MSGS];
	int		 nmsg;
	uint32_t	 sent[2];	/* bytes said so far, per direction */
	uint16_t	 lport;		/* our end's port */
	uint32_t	 isn[2];
	int		 isn_seen[2], relay_named[2];
};

/*
 * Take --proxy, --proxy-type, --proxy-auth or --proxy-dns (ch) into p.
 * Returns 0, or -1 with err (a cmd_option_fn's message).
 */
int	connect_proxy_option(struct connect_proxy *, int, const char *, char *,
	    size_t);

/* What cannot go together; NULL, or the usage error's words. */
const char *connect_proxy_check(struct connect_proxy *, char *,
	    size_t);

/*
 * Ask the proxy on fd (connected) for host port, its replies judged, the
 * messages named on the capture's arrows (c may be NULL); wait_ms bounds
 * each wait (-1: none).  Returns 0 with the tunnel open, or -1 with err.
 */
int	connect_proxy_run(struct connect_proxy *, int, const char *, uint16_t,
	    int, long, struct capture *, char *, size_t);



/*
 * connect -z HOST PORTS with a list or range of PORTS, through probe's
 * engine, each port said with -v.  Returns the exit status: 0 when one
 * port (at least) accepted.
 */
int	connect_scan(const char *, const char *, int, long);

/* Say -z's results as OpenBSD nc does (sockkit nc), or not. */
void	connect_set_nc_words(int);
int	connect_nc_style(void);

#endif

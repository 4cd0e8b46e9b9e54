/*
 * cmd-udp.h: the udp command's client and server loops (cmd-udp-client.c,
 * cmd-udp-serve.c), driven by cmd-udp.c.
 */
#ifndef UDP_H
#define UDP_H

#include <sys/types.h>
#include <sys/socket.h>

#include <poll.h>

#include "cmd.h"
#include "mcast.h"
#include "exec.h"
#include "net.h"

enum udp_mode {
	UDP_RELAY,		/* datagrams to stdout, stdin to senders */
	UDP_ECHO,		/* each datagram back to its sender */
	UDP_TIME,		/* each datagram back with the time before it */
};

/* udp's own options; the shared ones (and the capture) are in c. */
struct udp_opts {
	struct cmd_ctx		*c;
	const char		*unix_path;	/* -U */
	int			 listen;	/* -l */
	int			 socktype;	/* SOCK_DGRAM, or --type */
	struct net_source	 src;		/* -s, -p */
	long			 wait_ms;	/* -w; -1: not given */
	long			 quit_ms;	/* -q; -1: not given */
	int			 zero;		/* -z */
	const char		*data;		/* --data */
	int			 chunk;		/* --chunk */
	int			 unconnected;	/* --unconnected */
	enum udp_mode		 mode;		/* --mode */
	int			 to_all;	/* --to-all */
	struct net_acl		 acl;		/* --allow, --deny */
	int			 unlink_existing; /* --unlink */
	const char		*join;		/* --join GROUP */
	struct sockaddr_storage	 group;		/* its address */
	const char		*source;	/* --source ADDR */
	struct sockaddr_storage	 srcaddr;	/* its address */
	const char		*iface;		/* --iface IF */
	struct mcast_send	 ms;		/* --broadcast, --ttl, --iface,
						   --multicast-loop */
	struct exec_spec	 exec;		/* -l --exec, --sh-exec */
};

/* After "Permission denied" from a send or connect without --broadcast. */
#define UDP_BROADCAST_HINT	" (sending to a broadcast address needs " \
	"--broadcast)"

/* The client's socket and whom it talks to. */
struct udp_peer {
	int			 fd;
	struct sockaddr_storage	 sa;		/* for sendto(): unconnected */
	socklen_t		 salen;
	char			 name[NET_ADDRSTRLEN + 16]; /* "ADDR port N" */
	size_t			 max;		/* largest datagram */
};

/*
 * poll() the n descriptors of pfd and, as pfd[n] (pfd has room for it),
 * the packets of the capture o draws, fed to it when they come: the
 * wait of the client's and the server's loops.  Returns 0, also when a
 * signal cut the wait short, or -1 with "poll: why" in err.
 */
int	udp_poll(const struct udp_opts *, struct pollfd *, nfds_t, int, char *,
	    size_t);

/*
 * Send standard input (or --data) as datagrams and write every reply to
 * standard output until input has ended and -w has passed without a
 * datagram, or -q ran out.  Returns 0, or -1 with the reason in err (an
 * ICMP error, a datagram too large, a failed send).
 */
int	udp_client_run(const struct udp_peer *, const struct udp_opts *,
	    char *, size_t);

/* What -z found. */
enum udp_zero_result {
	UDP_OPEN,		/* a reply came */
	UDP_CLOSED,		/* ICMP port unreachable */
	UDP_FILTERED,		/* another ICMP unreachable */
	UDP_OPEN_FILTERED,	/* silence until -w */
};

/*
 * Send one datagram and wait -w for what comes back.  Returns 0 with the
 * result and a description (the ICMP error, the reply's size) in why, or
 * -1 with the reason in why when it could not even ask.
 */
int	udp_zero_run(const struct udp_peer *, const struct udp_opts *,
	    enum udp_zero_result *, char *, size_t);

/*
 * Serve datagrams on fd until a signal, or -q after input ended.
 * Returns 0, or -1 with the reason in err.
 */
int	udp_serve_run(int, int, const struct udp_opts *, char *, size_t);

#endif

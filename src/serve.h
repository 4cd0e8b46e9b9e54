/*
 * serve.h: the listen server: one epoll loop for every client.
 */
#ifndef SERVE_H
#define SERVE_H

#include "net.h"

enum serve_mode {
	SERVE_RELAY,		/* stdin to every client, clients to stdout */
	SERVE_ECHO,		/* every byte back to its sender */
	SERVE_TIME,		/* each line back with the time before it */
	SERVE_DISCARD,		/* read and drop */
};

struct serve_opts {
	int			 listen_fd;	/* -1: serve client_fd alone */
	int			 client_fd;	/* an accepted client, or -1 */
	const struct sockaddr	*client_sa;
	socklen_t		 client_salen;
	enum serve_mode		 mode;
	int			 keep;		/* -k: go on accepting */
	int			 messages;	/* SOCK_SEQPACKET: one answer a message */
	int			 max_conns;	/* at the limit, leave the rest
						   in the listen backlog */
	long			 idle_ms;	/* -w per connection; -1 */
	/* --min-rate: close a client that moves fewer bytes in a window. */
	long long		 min_bytes;	/* 0: no minimum */
	long			 min_window_ms;
	/*
	 * relay -k: stdin held for one client.  Stdin waits while a client
	 * cannot take the next chunk; one that stays so for queue_ms is
	 * closed or, with lossy, skipped until it has caught up.
	 */
	long long		 max_queue;
	long			 queue_ms;
	int			 lossy;		/* then skip, not close */
	const struct net_acl	*acl;
	int			 in_fd, out_fd;	/* relay mode */
	/*
	 * relay -k --broker: what a client sends goes to every other
	 * client (not to stdout), held as stdin is (max_queue, lossy);
	 * --chat: line by line, "<userN> " before each, joins and leaves
	 * announced, as ncat's --chat.
	 */
	int			 broker;
	int			 chat;
	/* --trace: the capture's fd, read when ready; each accepted client. */
	int			 extra_fd;	/* -1: none */
	void			(*on_extra)(void *);
	void			*extra_arg;
	void			(*on_accept)(void *, int,
				    const struct sockaddr *);
	void			*accept_arg;
	/* --tls: each client's handshake first, within handshake_ms. */
	struct tls_ctx		*tls;		/* NULL: plain TCP */
	long			 handshake_ms;
};

/*
 * Accept one client that the access list lets in, refusing others with a
 * message.  Returns the connected non-blocking fd with its address in
 * peer/peerlen, or -1 with a message in err.
 */
int	serve_accept_one(int, const struct net_acl *, struct sockaddr *,
	    socklen_t *, char *, size_t);

/*
 * Serve client_fd and whoever connects to listen_fd until no client is
 * left and none can come (no listen_fd), or until a signal.  Returns 0, or -1 with a message in err.
 */
int	serve_run(const struct serve_opts *, char *, size_t);

/* Format "[Sat Nov 21 23:59:01 2026] " for the time mode into buf. */
size_t	serve_time_prefix(char *, size_t);

#endif

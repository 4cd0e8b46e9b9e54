/*
 * probe.h: the engine of "sockkit probe": many non-blocking connect()s
 * (or UDP datagrams) in one epoll loop, with adaptive concurrency and
 * per-host timeouts.  It reports each port's verdict through a callback
 * and never prints or exits.
 */
#ifndef PROBE_H
#define PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "targets.h"

enum probe_state {
	PROBE_OPEN,
	PROBE_CLOSED,
	PROBE_FILTERED,
	PROBE_OPEN_FILTERED,	/* UDP silence */
	PROBE_NSTATES
};

/* Why a port got its state; see probe_reason(). */
enum probe_why {
	WHY_SYN_ACK,		/* TCP connect succeeded */
	WHY_RST,		/* ECONNREFUSED without an ICMP message */
	WHY_UDP_REPLY,		/* a datagram came back */
	WHY_NO_RESPONSE,	/* silent after every try */
	WHY_ICMP,		/* icmp_type/icmp_code say which */
	WHY_ERRNO		/* a local error: err holds errno */
};

struct probe_result {
	uint32_t	 host;		/* index into the target set */
	uint16_t	 port;
	uint8_t		 state;		/* enum probe_state */
	uint8_t		 why;		/* enum probe_why */
	uint8_t		 icmp6;		/* the message was ICMPv6 */
	uint8_t		 icmp_type, icmp_code;
	uint8_t		 tries;		/* attempts made */
	int		 err;		/* errno for WHY_ERRNO */
	int		 from_family;	/* WHY_ICMP: who sent the message
					   (AF_INET, AF_INET6), or 0 */
	uint8_t		 from[16];
	int64_t		 rtt_us;	/* -1 when nothing answered */
	const uint8_t	*banner;	/* --banner: what the service sent,
					   valid during on_result only */
	int		 banner_len;	/* -1: not read, 0: nothing sent */
	const struct probe_tls *tls;	/* --tls: what the handshake
					   showed, or NULL; valid during
					   on_result only */
};

/* --tls: what a TLS handshake on an open port showed. */
struct probe_tls {
	char		 error[160];	/* "" when it completed, else why
					   not ("no TLS: ...") */
	char		 version[16];	/* "TLSv1.3" */
	char		 cipher[64];
	char		 alpn[64];
	char		 subject[256];	/* "" when no certificate came */
	char		 issuer[256];
	char		 not_before[32], not_after[32];	/* UTC */
	char		 fingerprint[96];	/* SHA-256, AB:CD:... */
};

/* The most bytes of a banner kept. */
#define PROBE_BANNER_MAX	256

/* Progress so far, for the progress line. */
struct probe_stats {
	uint64_t	 total;		/* jobs in this shard */
	uint64_t	 done;
	uint64_t	 count[PROBE_NSTATES];
	uint64_t	 attempts;	/* sockets opened */
	uint64_t	 self_connects;	/* seen and not counted */
	uint64_t	 local_errors;	/* EADDRNOTAVAIL, ENOBUFS... */
	int		 peak_active;
	int		 cap;		/* concurrency limit used */
	int64_t		 elapsed_us;
};

struct probe_opts {
	int		 udp;
	int		 graceful;	/* FIN, not RST, on open ports */
	int		 retries;
	long		 cap;		/* -c: most probes at once */
	long		 fixed_timeout_ms;	/* -w, or -1 */
	long		 min_timeout_ms, max_timeout_ms;
	long		 delay_ms;	/* per host; -1: UDP pacing */
	double		 rate;		/* attempts/s, 0: no limit */
	long		 banner_ms;	/* --banner: wait this long on an
					   open port for its first bytes; 0:
					   off */
	/*
	 * --tls: a conversation on each open port in place of the banner
	 * read, in its slot and time (banner_ms).  sess_open starts it on
	 * the connected socket (NULL: none); sess_step goes on when the
	 * socket is ready: 0 to be called again when it is ready for
	 * *events (POLLIN, POLLOUT), else it ended; sess_done (late: the
	 * time is up) puts what it learnt in the result, which is reported
	 * at once, and ends it.
	 */
	void		*(*sess_open)(int, uint32_t, uint16_t, void *);
	int		(*sess_step)(void *, int *);
	void		(*sess_done)(void *, int, struct probe_result *);
	void		*sess_arg;	/* sess_open's */
	void		(*on_result)(const struct probe_result *, void *);
	void		(*on_progress)(const struct probe_stats *, void *);
	int		 poll_fd;	/* -1, or an fd (the capture's) to
					   watch: on_poll when readable */
	void		(*on_poll)(void *);
	const struct tgt_hp *first;	/* jobs to start before the
					   iterator's (--resume) */
	size_t		 nfirst;
	void		(*on_pending)(uint32_t, uint16_t, void *);
					/* interrupted: each job started or
					   waiting, without a verdict */
	void		*arg;
};

/*
 * Probe every job the iterator yields.  Returns 0 when all are done (or
 * the run was interrupted: sk_interrupted), or -1 with a message in err
 * when the engine cannot go on (no epoll, no sockets at all).
 */
int	probe_run(const struct probe_opts *, const struct tgt_set *,
	    struct tgt_iter *, struct probe_stats *, char *, size_t);

/* "open", "closed", "filtered", "open|filtered". */
const char *probe_state_name(int);

/* The REASON column: "syn-ack", "rst", "icmp admin-prohibited"... */
const char *probe_reason(const struct probe_result *, char *, size_t);

/* The UDP payload probe sends to port (empty for most); its length. */
const uint8_t *probe_udp_payload(uint16_t, size_t *);

#endif

/*
 * icmpsock.h: ICMP and ICMPv6 echo sockets for "raw icmp" and the
 * traceroutes: a raw socket when we may, else a ping socket (SOCK_DGRAM,
 * IPPROTO_ICMP, allowed by net.ipv4.ping_group_range); echo requests
 * built and replies read with bounds checks; ICMP errors read from the
 * socket's error queue (IP_RECVERR), for echo and for UDP/TCP probes.
 */
#ifndef ICMPSOCK_H
#define ICMPSOCK_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

/* Bytes of echo payload that carry the per-run cookie. */
#define ICMPSOCK_COOKIE		8
/* The largest -s SIZE: 65535 - 20 (IPv4 header) - 8 (ICMP header). */
#define ICMPSOCK_MAXDATA	65507

struct icmpsock {
	int		 fd;
	int		 family;	/* AF_INET or AF_INET6 */
	int		 dgram;		/* a ping socket: the kernel owns id */
	uint16_t	 id;		/* echo identifier */
};

/* What a read from the socket (or its error queue) found. */
struct icmpsock_msg {
	int		 err;		/* 1: from the error queue */
	uint8_t		 type, code;	/* the ICMP message (error: its type) */
	uint16_t	 id, seq;	/* echo: ours; error: the quote's */
	int		 cookie_ok;	/* the payload carries our cookie */
	int		 ttl;		/* the reply's TTL, -1 unknown */
	int64_t		 at_us;		/* when it came (icmpsock_now_us()) */
	size_t		 len;		/* ICMP bytes (header and payload) */
	struct sockaddr_storage from;	/* sender (error: the offender) */
	const uint8_t	*quote;		/* error: what we sent, as quoted */
	size_t		 quotelen;
};

/*
 * Open an echo socket of family: raw when this process may, else a ping
 * socket.  Returns 0, or -1 with a message in err (without CAP_NET_RAW
 * and outside ping_group_range: what is missing and how to get it).
 */
int	icmpsock_open(struct icmpsock *, int, char *, size_t);

/*
 * No TTL and no kernel receive time with each message (a flood has no
 * use for them and they cost a control message each): times are then
 * taken when the message is read.  0 or -1 with errno.
 */
int	icmpsock_lean(const struct icmpsock *);

/* Wall-clock microseconds, the clock of the kernel's receive times. */
int64_t	icmpsock_now_us(void);

/* Set the TTL (hop limit) of what fd sends; 0 or -1 with errno. */
int	icmpsock_set_ttl(int, int, int);

/*
 * Ask fd (any socket of family) for ICMP errors in its error queue and
 * kernel receive times on its messages.  0 or -1 with errno.
 */
int	icmpsock_recverr(int, int);

/*
 * Build an echo request with seq and a payload of datalen bytes starting
 * with cookie into buf (at least 8 + datalen bytes); returns its length.
 */
size_t	icmpsock_echo(const struct icmpsock *, uint8_t *, size_t, uint16_t,
	    const uint8_t *);

/*
 * Read one message from the socket's queue into buf and m.  Returns 1 for
 * an echo reply or error about our own echo (id and, when it fits, the
 * cookie checked), 0 for something else (another process's ICMP), -1 with
 * errno (EAGAIN: nothing queued).
 */
int	icmpsock_recv(const struct icmpsock *, uint8_t *, size_t,
	    const uint8_t *, struct icmpsock_msg *);

/* Reads of up to ICMPSOCK_BATCH messages in one recvmmsg(). */
#define ICMPSOCK_BATCH		16
struct icmpsock_batch {
	struct mmsghdr	 mm[ICMPSOCK_BATCH];
	struct iovec	 iov[ICMPSOCK_BATCH];
	struct sockaddr_storage from[ICMPSOCK_BATCH];
	char		 ctl[ICMPSOCK_BATCH][256];
	uint8_t		*buf;
	size_t		 buflen;
};

/* Buffers of buflen bytes for each message; 0 or -1 (errno). */
int	icmpsock_batch_init(struct icmpsock_batch *, size_t);
void	icmpsock_batch_free(struct icmpsock_batch *);

/*
 * icmpsock_recv() for every message queued, up to ICMPSOCK_BATCH: fills
 * m[i] and ours[i] (what icmpsock_recv() would return) and returns how
 * many, or -1 with errno (EAGAIN: nothing queued).
 */
int	icmpsock_recv_batch(const struct icmpsock *, struct icmpsock_batch *,
	    const uint8_t *, struct icmpsock_msg *, int *);

/*
 * Read one ICMP error from fd's error queue (IP_RECVERR): type, code,
 * offender, and the quoted bytes of what we sent (from the transport
 * header on).  Returns 1, 0 for a queued error that is no ICMP error, or
 * -1 with errno (EAGAIN: none queued).
 */
int	icmpsock_errqueue(int, uint8_t *, size_t, struct icmpsock_msg *);

/*
 * An ICMP error from s's error queue about one of our echo requests (its
 * id, and the cookie when the quote is long enough to hold it: a router
 * need quote only 8 bytes): returns 1 with the quoted id and seq in m, 0
 * for another error, -1 with errno (EAGAIN: none queued).
 */
int	icmpsock_recv_err(const struct icmpsock *, uint8_t *, size_t,
	    const uint8_t *, struct icmpsock_msg *);

/* "time exceeded", "port unreachable"... for family, type and code. */
const char *icmpsock_name(int, uint8_t, uint8_t, char *, size_t);

#endif

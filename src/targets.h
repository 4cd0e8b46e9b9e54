/*
 * targets.h: what "sockkit probe" probes: port lists, target hosts and
 * address blocks, exclusions, and the order of the (host, port) pairs
 * (a keyed permutation, cut into shards).  Nothing here prints or exits;
 * errors are written into the caller's buffer.
 */
#ifndef TARGETS_H
#define TARGETS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A port list, ascending and without duplicates. */
struct tgt_ports {
	uint16_t	*port;
	size_t		 n;
};

/*
 * Parse a port spec: "22", "22,80,443", "8000-8100", "-" (1-65535),
 * "1024-" and "-1024", service names looked up for proto, all mixed.
 * Returns 0, or -1 with an error that names the bad part.
 */
int	tgt_ports_parse(const char *, const char *, struct tgt_ports *,
	    char *, size_t);
void	tgt_ports_free(struct tgt_ports *);
/* A port bitmap (bit p of byte p / 8) as a list; 0 or -1 (ENOMEM). */
int	tgt_ports_bits(const uint8_t *, struct tgt_ports *);

/* A target as typed, split into its parts but not yet resolved. */
struct tgt_spec {
	char		 host[256];	/* name or address, without [] */
	int		 numeric;	/* host is an address (block) */
	int		 family;	/* AF_INET/AF_INET6 when numeric */
	uint8_t		 addr[16];	/* masked to the prefix */
	unsigned	 prefix;	/* 32 or 128 for one address */
	uint32_t	 scope;		/* the zone's interface, else 0 */
	int		 has_port;	/* HOST:PORT */
	uint16_t	 port;
};

/*
 * Split "host", "192.0.2.1", "2001:db8::1", "[2001:db8::1]:22",
 * "host:22", "10.0.0.0/24", "fd00::/120" or "fe80::1%eth0" (a zone: the
 * interface, by name or index, of one IPv6 address).  Returns 0, or -1 with an
 * error naming the target.
 */
int	tgt_spec_parse(const char *, const char *, struct tgt_spec *, char *,
	    size_t);

/* How many addresses a spec covers; saturates at UINT64_MAX. */
uint64_t tgt_spec_size(const struct tgt_spec *);

/* One host to probe. */
struct tgt_host {
	int		 family;
	uint8_t		 addr[16];
	uint32_t	 scope;		/* IPv6 zone (ifindex), or 0 */
	uint32_t	 plist;		/* index into tgt_set.plist */
	const char	*name;		/* hostname as typed, or NULL */
};

/* An excluded block. */
struct tgt_excl {
	int		 family;
	uint8_t		 addr[16];
	unsigned	 prefix;
};

/* Every host, its ports, and the size of the job space. */
struct tgt_set {
	struct tgt_host	*host;
	size_t		 nhost, hostcap;
	struct tgt_ports *plist;	/* plist[0]: the -p list */
	size_t		 nplist;
	struct tgt_excl	*excl;
	size_t		 nexcl;
	uint32_t	*hash;		/* host index + 1, 0 = empty */
	size_t		 hashsize;
	uint64_t	*cum;		/* jobs before host i */
	uint64_t	 total;		/* host x port pairs */
	uint32_t	 merged[3];	/* last union: a, b -> list */
	char		**names;	/* owned copies of hostnames */
	size_t		 nnames;
};

/* The most hosts one run may hold, even with --force. */
#define TGT_MAX_HOSTS	(1UL << 24)

/* Start a set whose default port list is ports (the set takes it). */
void	tgt_set_init(struct tgt_set *, struct tgt_ports *);
void	tgt_set_free(struct tgt_set *);

/* Exclude a block (numeric spec).  Returns 0 or -1 with err. */
int	tgt_set_exclude(struct tgt_set *, int, const uint8_t *, unsigned,
	    char *, size_t);

/*
 * Add the addresses of a numeric spec, or one resolved address for a name
 * (family and addr given by the caller), minus the exclusions.  A host
 * already in the set keeps one entry and gets the union of both port
 * lists.  Returns 0 or -1 with err (too many hosts, out of memory).
 */
int	tgt_set_add(struct tgt_set *, const struct tgt_spec *, int,
	    const uint8_t *, char *, size_t);

/* The index of a host in the set, or UINT32_MAX. */
uint32_t tgt_set_find(const struct tgt_set *, int, const uint8_t *, uint32_t);

/* Fix the job space after the last add: fills cum and total. */
int	tgt_set_finish(struct tgt_set *);

/* Job number j (0 <= j < total) as a host index and port. */
void	tgt_set_job(const struct tgt_set *, uint64_t, uint32_t *,
	    uint16_t *);

/*
 * A bijection of [0, n): a keyed Feistel network on the smallest even
 * number of bits that holds n, walking cycles back into range, or the
 * identity for sequential order.
 */
struct tgt_perm {
	uint64_t	 n;
	uint64_t	 key[4];
	unsigned	 halfbits;
	int		 identity;
};
void	 tgt_perm_init(struct tgt_perm *, uint64_t, uint64_t, int);
uint64_t tgt_perm_at(const struct tgt_perm *, uint64_t);

/*
 * A capture filter (tcpdump syntax) for a probe of set whose own sockets
 * take ports lo-hi (ip_local_port_range): TCP and UDP between one of our
 * ports and a probed port of a target, and the ICMP errors that quote a
 * packet sent to a target.  Past TGT_BPF_HOSTS targets, or TGT_BPF_RANGES
 * runs of ports, those parts take any target or any port.  Writes it to
 * fp; pure.
 */
#define TGT_BPF_HOSTS	64
#define TGT_BPF_RANGES	32
void	tgt_set_bpf(const struct tgt_set *, unsigned, unsigned, FILE *);

/*
 * The packets of probed ports as a capture filter, to read their evidence
 * back: their TCP or UDP segments, and the ICMP errors that quote a packet
 * sent to one of them, whoever sent them (the target, a router, our own
 * stack).  The ports are set's hosts' hp[0, n) (sorted here), written as
 * runs of consecutive ports: past TGT_BPF_EVIDENCE runs (a filter of
 * thousands of terms takes libpcap's optimizer minutes and gigabytes),
 * every port of their hosts; past that many hosts, nothing, which takes
 * every packet.  Writes it to fp; returns 1 when it took exactly those
 * ports, 0 when it had to take more.
 */
struct tgt_hp {
	uint32_t	 host;		/* index into set->host */
	uint16_t	 port;
};
#define TGT_BPF_EVIDENCE	64

/* Jobs in order, by host, then port: <0, 0 or >0, as for qsort(3). */
int	tgt_order(uint32_t, uint16_t, uint32_t, uint16_t);
int	tgt_bpf_evidence(const struct tgt_set *, struct tgt_hp *, size_t,
	    FILE *);

/* Parse "I/N" (1 <= I <= N).  Returns 0 or -1 with err. */
int	tgt_shard_parse(const char *, uint64_t *, uint64_t *, char *,
	    size_t);

/*
 * Walks the positions of one shard through the permutation: position
 * index-1, then every count-th after it.
 */
struct tgt_iter {
	const struct tgt_set	*set;
	struct tgt_perm		 perm;
	uint64_t		 pos, step, done, count;
};
void	tgt_iter_init(struct tgt_iter *, const struct tgt_set *, uint64_t,
	    int, uint64_t, uint64_t);
/* The next job; returns 1, or 0 when the shard is done. */
int	tgt_iter_next(struct tgt_iter *, uint32_t *, uint16_t *);
/* Go on as if n more jobs had been taken (a resumed run). */
void	tgt_iter_skip(struct tgt_iter *, uint64_t);

#endif

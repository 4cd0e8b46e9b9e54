/*
 * probe-report.h: the files "sockkit probe" writes for other tools: nmap's
 * XML (-oX) and grepable (-oG) layouts, and the table stdout shows (-oN).
 * Each writer takes the run's results and writes one format to a FILE *;
 * nothing here prints to the terminal or exits, errors go into the
 * caller's buffer.
 */
#ifndef PROBE_REPORT_H
#define PROBE_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "probe.h"
#include "targets.h"

/* Per host: how many ports ended in each state. */
struct probe_hcount {
	uint32_t	 n[PROBE_NSTATES];
};

/*
 * The reasons of the ports a report does not list one by one (nmap's
 * extraports), per host: a chain of (state, reason, count) entries, a few
 * per host, however many ports were probed.
 */
struct report_tent {
	uint32_t	 next;		/* index + 1 of the next entry, 0 */
	uint32_t	 n;
	uint8_t		 state, reason;
};
struct report_tally {
	uint32_t	*head;		/* per host: index + 1, 0: none */
	size_t		 nhost;
	struct report_tent *e;
	size_t		 ne, cap;
};

/* Start a tally for nhost hosts; 0 or -1 (out of memory). */
int	report_tally_init(struct report_tally *, size_t);
/* Free n listed results and their banners' text. */
void	report_results_free(struct probe_result *, size_t);
/* Count one port; 0 or -1 (out of memory). */
int	report_tally_add(struct report_tally *, const struct probe_result *);
/* Count n ports of host in state for reason (a code of report_reason_find()). */
int	report_tally_put(struct report_tally *, uint32_t, int, int, uint32_t);
/* Whether a port's --tls handshake completed. */
int	report_tls_up(const struct probe_result *);
/*
 * --tls in a line: "TLSv1.3, TLS_AES_256_GCM_SHA384, ALPN h2", or "no
 * TLS: why"; in buf (PROBE_TLS_LINE bytes are enough).
 */
#define PROBE_TLS_LINE	256
const char *report_tls_line(const struct probe_tls *, char *, size_t);
/* A reason's word ("conn-refused"), or NULL for no such code. */
const char *report_reason_word(int);
/* Set r's why and ICMP message to what gives reason (-1: unknown). */
void	report_reason_result(int, struct probe_result *);
/* The code of a reason word, or -1 when nmap has no such reason. */
int	report_reason_find(const char *);
void	report_tally_free(struct report_tally *);

/* What a report describes: one finished (or interrupted) run. */
struct report_run {
	const struct tgt_set	*set;
	const struct probe_result *res;	/* listed ports, by host, then port;
					   a banner is report_banner()'s
					   text here */
	size_t			 nres;
	const struct probe_hcount *hc;	/* per host */
	const struct report_tally *tally;	/* the ports not listed */
	char * const		*svc;	/* service names by port, or NULL */
	int			 udp, open_only, verbose;
	const char		*args;	/* the command line */
	time_t			 start, end;	/* wall clock */
	double			 elapsed;	/* seconds */
	const char		*interrupted;	/* why it stopped early, or
						   NULL */
};

/*
 * The next host a report shows after *h (start with *h = UINT32_MAX and
 * *i = 0): one that was probed, and with --open one with a listed port.
 * Its listed ports are res[*first, *end).  Returns 1, or 0 at the end.
 */
int	report_next_host(const struct report_run *, uint32_t *, size_t *,
	    size_t *, size_t *);

/*
 * The bytes a service sent, as text on one line: printable ASCII as it
 * is, \\ \r \n \t, other bytes \xNN.  NULL when out of memory.
 */
char	*report_banner(const uint8_t *, size_t);

/* The nmap word for why a port got its state: "syn-ack", "conn-refused". */
const char *report_reason(const struct probe_result *);

/*
 * Service names by port from the services database for proto: an array
 * of 65536 (NULL where none), or NULL when out of memory.
 */
char	**report_services(const char *);
void	 report_services_free(char **);

/* "192.0.2.1", "fe80::1%eth0", or "192.0.2.1 (name)" (with_name). */
const char *report_host(const struct tgt_set *, uint32_t, int, char *,
	    size_t);

/* s for an XML attribute or text: & < > " ' as entities, other bytes
 * that are not printable ASCII as \xNN.  Writes to fp. */
void	report_xml_str(FILE *, const char *);

/* Ports as nmap's services list, "22,25,8000-8100", to fp (NULL: only
 * counted); returns how many. */
size_t	report_port_ranges(FILE *, const struct tgt_set *);

/*
 * One host's grepable "Ports:" field and "Ignored State:", the ports
 * res[first, end): "Ports: 22/open/tcp//ssh///, ...".
 */
void	report_grepable_ports(FILE *, const struct report_run *, uint32_t,
	    size_t, size_t);

/* The table's head for host h: its address, then the column names. */
void	report_table_head(FILE *, const struct report_run *, uint32_t);
/* One row of the table: port, state, service, reason, RTT. */
void	report_table_port(FILE *, const struct report_run *,
	    const struct probe_result *);
/* The table stdout shows, for one host: res[first, end) and a summary. */
void	report_table_host(FILE *, const struct report_run *, uint32_t,
	    size_t, size_t);

/* Whole reports; each returns 0, or -1 when fp has an error. */
int	report_xml(FILE *, const struct report_run *);
int	report_grepable(FILE *, const struct report_run *);
int	report_table(FILE *, const struct report_run *);

/* The formats of -oN, -oX, -oG (and -oA: all three). */
enum report_fmt { REPORT_NORMAL, REPORT_XML, REPORT_GREPABLE, REPORT_NFMT };

/* The files asked for, by format: a path ("-": stdout) and its stream. */
struct report_outs {
	const char	*path[REPORT_NFMT];
	char		*owned[REPORT_NFMT];	/* -oA's names */
	FILE		*fp[REPORT_NFMT];
};

/*
 * Take one -oX/-oG/-oN/-oA: opt is what follows "-o" ("X"), path its
 * FILE.  Returns 0, or -1 with a usage message in err (unknown letter,
 * a format given twice, two on stdout).
 */
int	report_outs_add(struct report_outs *, const char *, const char *,
	    char *, size_t);
/* The letter of the format that goes to stdout ('X'), or 0. */
int	report_outs_stdout(const struct report_outs *);
/* Open every file; 0, or -1 with "-oX PATH: reason" in err. */
int	report_outs_open(struct report_outs *, char *, size_t);
/* Write and close every file; 0, or -1 with the first error in err. */
int	report_outs_write(struct report_outs *, const struct report_run *,
	    char *, size_t);
void	report_outs_free(struct report_outs *);

/* "sockkit probe ARG...", nmap's args line; NULL when out of memory. */
char	*report_args(int, char **);

#endif

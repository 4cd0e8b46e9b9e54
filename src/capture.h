/*
 * capture.h: capture sockkit's own traffic with libpcap and feed it through
 * decode -> track -> render (render.h) as it arrives (--trace, --json,
 * --write, --svg, --html).
 * Commands open a capture before their first packet, set a filter for the
 * exact connection, and hand the capture's fd to their event loop.
 */
#ifndef CAPTURE_H
#define CAPTURE_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stdint.h>

#include "optid.h"
#include "relay.h"
#include "track.h"

struct keylog;

struct capture_opts {
	int		 trace;		/* --trace: draw the ladder on stderr */
	int		 json;		/* --json: JSON lines on stderr instead */
	const char	*write_path;	/* --write FILE.pcap */
	int		 write_fd;	/* > 0: write into this file, made by
					   the caller, instead of opening
					   write_path (then a name for
					   messages); fds 0-2 are never it */
	long		 linger_ms;	/* --linger-capture MS (250) */
	int		 preview;	/* --data-preview N (16) */
	int		 preview_set;	/* --data-preview was given */
	const struct keylog *keylog;	/* secrets of sockkit's own TLS
					   connections, to decrypt with */
	int		 full;		/* --full */
	int		 ascii;		/* --ascii */
	const char	*color;		/* --color=WHEN */
	const char	*svg_path;	/* --svg FILE: the picture */
	const char	*html_path;	/* --html FILE: picture and ladder */
	const char	*graph_path;	/* --graph FILE: time-sequence graph */
	const char	*title;		/* of the pictures, NULL: a default */
	int		 snaplen;	/* bytes kept of a packet for the file;
					   0: all of the largest */
};

/* The option lines for a command's usage text. */
#define CAPTURE_USAGE \
	"      --trace       draw this connection's packets as a ladder on " \
	"stderr\n" \
	"      --json        with --trace: one JSON object per event instead\n" \
	"      --write FILE  save this connection's packets (nanosecond pcap)\n" \
	"      --linger-capture MS  capture after close until the end is seen" \
	" (250)\n" \
	"      --data-preview N  payload bytes shown per packet (16; 0: none)\n" \
	"      --full        draw every segment; --ascii: no box drawing\n" \
	"      --color=WHEN  auto, always or never (auto)\n" \
	"      --svg FILE    draw the packets as an SVG sequence diagram\n" \
	"      --html FILE   the diagram and the ladder in one HTML page\n" \
	"      --graph FILE  time-sequence graph (SVG) of the TCP data\n"

void	capture_opts_init(struct capture_opts *);

/*
 * Take option ch (a CAPTURE_OPT_ value) with its argument.  Returns 0, or
 * -1 with the reason in err (a usage error).
 */
int	capture_parse(struct capture_opts *, int, const char *, char *, size_t);

/* Whether any option asks for a capture (--json implies --trace). */
int	capture_wanted(const struct capture_opts *);

struct capture;

/*
 * Open and activate a capture on every interface, before anything is sent.
 * Returns NULL with a message in err: without CAP_NET_RAW it says what is
 * missing and how to grant it.
 */
struct capture	*capture_open(const struct capture_opts *, char *, size_t);

/*
 * A capture that the caller feeds instead of libpcap, with packets of
 * link type dlt (DLT_RAW: what a raw socket received): the same --write
 * file and pipeline; capture_fd() is -1, and nothing is filtered.
 * Returns NULL with a message in err.
 */
struct capture	*capture_open_fed(const struct capture_opts *, int, char *,
		    size_t);

/* One packet for a fed capture, taken at ts (nanoseconds, the epoch's). */
void	capture_feed(struct capture *, int64_t, const uint8_t *, size_t);

/*
 * Capture only the TCP (proto) connection between local and remote (or,
 * with remote NULL, everything to and from local's port).  Returns 0 or -1
 * with err.
 */
int	capture_filter(struct capture *, int, const struct sockaddr *,
	    const struct sockaddr *, char *, size_t);

/*
 * Capture what the BPF expression expr takes (tcpdump syntax), for callers
 * that own every socket of the conversation.  Returns 0 or -1 with err.
 */
int	capture_filter_expr(struct capture *, const char *, char *, size_t);

/* This host's end of the connection, marked in the ladder. */
void	capture_set_local(struct capture *, const struct sockaddr *);

/* The fd to poll for packets, and what to call when it is readable. */
int	capture_fd(const struct capture *);
void	capture_poll(void *);

/* A socket call made now ("connect()", "close()"), errno 0 if it worked. */
void	capture_call(struct capture *, const char *, int);

/* The same for a call made at ts, a time from capture_now(). */
void	capture_call_at(struct capture *, int64_t, const char *, int);

/*
 * A call made at ts that moves the TCP state of the socket whose address
 * is self (NULL: the one capture_set_local() named): close(),
 * shutdown(SHUT_WR), a close() that resets.  Drawn as capture_call_at()
 * does, in time order with the packets, with the state it enters.
 */
void	capture_state_call(struct capture *, int64_t, const struct sockaddr *,
	    enum track_call, const char *, int);

/*
 * close(fd), drawn (when c is not NULL) as the call what, made then, with
 * the state it moves fd's end to: FIN_WAIT_1 or LAST_ACK, or CLOSED when
 * the close resets (unread bytes, SO_LINGER 0).  Returns close()'s result.
 */
int	capture_close_fd(struct capture *, int, const char *);
int64_t	capture_now(void);

struct tcp_info;

/*
 * What TCP_INFO says of socket fd at ts (capture_now()), from given or,
 * when NULL, asked now: a sample for the --graph picture's second panel
 * (cwnd, ssthresh, srtt, rto), also the --html page's.  Nothing
 * without --graph or --html.  The relay
 * hook (capture_hook_relay) takes one after each send and recv.
 */
void	capture_tcp_info(struct capture *, int, int64_t,
	    const struct tcp_info *);

/* The relay's on_event hook: send/recv/shutdown as socket calls. */
void	capture_relay_event(void *, const struct relay_call *);

/* Hook c into r: its fd in the relay's poll, the calls on its axis. */
void	capture_hook_relay(struct capture *, struct relay_opts *);

/*
 * After the socket is closed: keep capturing until the connection's end is
 * seen (FINs and their ACKs, or a RST) or the linger time is over; when
 * this host sent the last ACK, until the peer has been quiet for the
 * linger time (it retransmits its FIN if that ACK was lost).
 */
void	capture_linger(struct capture *);

struct decode_pkt;

/*
 * Called with every decoded packet (ts in nanoseconds) before it is
 * drawn, for a command that judges the replies itself.  A note the hook
 * writes into note (notelen bytes, empty at first) is drawn under the
 * packet, e.g. who sent it.
 */
typedef void	(*capture_pkt_hook)(void *, int64_t, const struct decode_pkt *,
		    char *, size_t);
void	capture_set_hook(struct capture *, capture_pkt_hook, void *);
/*
 * Whether writing the --write file failed (a full disk): -1 with the
 * reason in err, else 0.  The file then ends at the last whole packet.
 */
int	capture_write_error(const struct capture *, char *, size_t);

/* Draw the verdict with the capture's drop count, close the file, free. */
void	capture_close(struct capture *);

/*
 * The same, and write the --svg and --html pictures: returns 0, or -1 with
 * "--svg FILE: reason" in err when one could not be written.
 */
int	capture_end(struct capture *, char *, size_t);

#endif

/*
 * capture.c: live capture of sockkit's own connections.
 *
 * The handle is made with pcap_create() on the "any" device, in immediate
 * mode (without it Linux hands packets over up to a second late and a
 * prompt exit loses them) and with nanosecond timestamps, and activated
 * before the socket exists.  The filter names the exact connection and is
 * set before connect() sends the SYN; it is never narrowed afterwards.
 * Packets go through decode -> track -> the render sink (render.c) as they
 * arrive; the socket calls sockkit makes are queued and drawn in time
 * order between them.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <ifaddrs.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "capture.h"
#include "decode.h"
#include "ladder.h"
#include "render.h"
#include "sockdiag.h"
#include "net.h"
#include "pcapload.h"
#include "svg.h"
#include "track.h"
#include "tsg.h"
#include "util.h"
#include "words.h"

#define CAPTURE_SNAP_FILE (65536 + 128)	/* --write: see capture_open() */
#define CALL_LEN	160
#define REPEAT_SHOWN	3		/* send/recv lines before they fold */
#define MS		1000000LL	/* nanoseconds */
#define CAPTURE_NOTES	4		/* hook notes kept for late events */
#define CAPTURE_AHEAD	64		/* TLS conversations decoded ahead */
/*
 * Calls and packets are drawn in the order of their times.  A call is
 * known as soon as it returns, a packet only when libpcap hands it over,
 * a little after its time stamp: both wait in a merge queue until
 * MERGE_LAG has passed since their time (or the queue is full).  A fold
 * of repeated send/recv calls is drawn at its first call's time, so what
 * comes after that call waits behind it until the fold ends (another
 * call), FOLD_MAX packets or FOLD_BYTES of them wait (a TLS connection's
 * are whole segments), or FOLD_LAG has passed.  While
 * capture_linger() waits for the end, no call of ours can come: what the
 * ring has handed over is drawn after LINGER_LAG.
 */
#define MERGE_MAX	8192		/* calls and packets waiting */
#define MERGE_BYTES	(8 << 20)	/* and their packets' bytes */
#define MERGE_LAG	(50 * MS)
#define MERGE_SLACK	(10 * MS)	/* the timer's: see merge_arm() */
#define LINGER_LAG	(1 * MS)
#define FOLD_MAX	2048
#define FOLD_BYTES	(8 << 20)
#define PEER_POLL_MS	2		/* capture_linger() asks the peer */
#define FOLD_LAG	(250 * MS)

static void	capture_event(void *, const struct track_event *);
static void	merge_tick(struct capture *);
static int	capture_outputs(struct capture *, char *, size_t);
static void	capture_packet(u_char *, const struct pcap_pkthdr *,
		    const u_char *);
static struct held *held_get(struct capture *, uint32_t);
static void	held_put(struct capture *, struct held *);
static void	ahead_start(struct capture *, struct track_conv *);
static void	ahead_end(struct capture *, const struct track_conv *);

/* A call or a packet waiting to be drawn. */
struct held {
	int64_t		 ts;		/* a call's start, a packet's stamp */
	int		 call;		/* a call, else a packet */
	int		 err;		/* the call's errno, 0 if it worked */
	char		 verb[8];	/* "send", "recv": calls that fold */
	uint64_t	 bytes;		/* what such a call moved */
	char		 what[CALL_LEN];	/* the call's words */
	int		 moves;		/* the call moves its end's state: */
	enum track_call	 tcall;		/* how */
	uint64_t	 conv;		/* the conversation it moved, or 0 */
	struct decode_addr self;	/* the end that made it */
	uint16_t	 self_port;
	char		 note[TRACK_NOTE_LEN];	/* the hook's, for a packet */
	uint32_t	 caplen, len;	/* the packet's bytes kept, on wire */
	uint32_t	 cap;		/* room in b */
	int		 slab;		/* in a slab (held_slab()): pooled */
	int		 tls_fed;	/* its TLS decoded as captured: */
	struct tlsview_seg tls;		/* what it said */
	uint8_t		 b[];
};

/*
 * A TLS conversation of ours whose segments are decoded as they are
 * captured, once the drawing has found all its keys (tlsview_go_ahead()):
 * its packets then wait to be drawn with their headers and TLS events,
 * not whole.  The tracker's numbers of it, taken then, make the relative
 * sequence numbers the drawing would.
 */
struct ahead {
	struct track_conv *conv;
	uint32_t	 base[2], isn[2];
	int		 isn_known[2];
	int		 open;		/* until a new SYN on its ports */
};

/*
 * Packets drawn give their buffers back for the next ones: a TLS
 * connection keeps whole segments (64 KiB), and a malloc() and free()
 * each, with the heap trimmed and grown again, cost a page fault for
 * every 4 KiB copied (half the time of a traced TLS transfer).  A packet
 * of more than half the snap length gets room for all of it, in a slab
 * of such items made in huge pages where the kernel allows (a fault per
 * 2 MiB, not per 4 KiB); drawn, it goes back to the pool for the next
 * one.  The slabs hold as many as the merge queue and a fold can (2 x 8
 * MiB of 64 KiB segments); both count the room an item takes, not its
 * packet's length.
 */
#define HELD_SLABS	4
#define HELD_SLAB_ITEMS	64
#define HELD_POOL	(HELD_SLABS * HELD_SLAB_ITEMS)
#define HELD_POOLED	2048		/* no pool below this snap length */
#define HELD_KEEP	256		/* headers: what a ladder keeps, with
					   the preview */
#define HELD_SMALL	4096		/* such items kept for reuse */
#define HUGE_PAGE	(2 << 20)

/* Whether the end of the connection was seen, and what may still come. */
enum capture_done {
	DONE_NOT,		/* not yet */
	DONE_QUIET,		/* this host sent the last ACK: the peer may
				   retransmit its FIN if that ACK was lost */
	DONE_FINAL,		/* reset, refused, or the peer sent the last
				   ACK: nothing more comes */
};

struct capture {
	struct capture_opts o;
	pcap_t		*p;
	pcap_dumper_t	*dump;
	FILE		*dump_fp;	/* unbuffered: each record written now */
	int64_t		 dump_good;	/* the file's length after the last
					   record written whole */
	int		 dump_errno;	/* why writing stopped, or 0 */
	struct track	*tr;
	struct render	*r;		/* the ladder, the pictures */
	int		 dlt;
	int		 fed;		/* capture_open_fed(): no live handle */
	enum capture_done done;
	int64_t		 quiet_ms;	/* DONE_QUIET: since when (now_ms()) */
	int		 has_local;	/* capture_set_local() was called */
	int		 info_fd;	/* the relay's socket + 1, 0: none */
	struct decode_addr local;
	uint16_t	 local_port;
	int		 peer_local;	/* the relay's peer is a socket of
					   this namespace (sock_diag found it) */
	uint16_t	 quiet_ports[2];	/* DONE_QUIET: its conversation's */
	struct sockaddr_storage self_sa, peer_sa;	/* the relay's ends */
	uint64_t	 packets;
	int		 efd, tfd;	/* epoll of the pcap fd and the timer */
	int64_t		 armed;		/* the timer's deadline, 0: none */
	int		 lingering;	/* in capture_linger(): LINGER_LAG */
	struct held	*mq[MERGE_MAX];	/* the merge queue: a ring, by time */
	size_t		 mhead, mn, mbytes;
	char		 last_verb[8];	/* of the calls drawn last */
	int		 repeats;	/* how many in a row */
	struct held	*fold;		/* the fold's first call, or NULL */
	uint64_t	 fold_n, fold_bytes;
	struct held	*behind[FOLD_MAX];	/* packets behind the fold */
	size_t		 nbehind, behind_bytes;
	struct held	*pool[HELD_POOL];	/* slab items free */
	size_t		 npool;
	struct held	*small[HELD_SMALL];	/* header items free */
	size_t		 nsmall;
	uint32_t	 small_cap;	/* their room: HELD_KEEP + preview */
	void		*slab[HELD_SLABS];
	size_t		 nslab;
	uint32_t	 snap;		/* their room: the snap length */
	capture_pkt_hook hook;
	void		*hook_arg;
	/*
	 * The hook's notes of the last packets fed to the tracker, by frame
	 * number: a tracker may give a packet's event after the next packet.
	 */
	struct {
		uint64_t frame;
		char	 text[TRACK_NOTE_LEN];
	}		 notes[CAPTURE_NOTES];
	uint64_t	 frames;		/* packets fed to the tracker */
	struct held	*drawing;	/* the packet fed to it now */
	struct ahead	 ahead[CAPTURE_AHEAD];
	size_t		 nahead;
	uint64_t	 ahead_fed;	/* packets decoded ahead, for -v */
};

void
capture_opts_init(struct capture_opts *o)
{
	memset(o, 0, sizeof *o);
	o->linger_ms = 250;
	o->preview = 16;
}

int
capture_parse(struct capture_opts *o, int ch, const char *arg, char *err,
    size_t errlen)
{
	long	 v;
	char	 why[128];

	switch (ch) {
	case CAPTURE_OPT_TRACE: o->trace = 1; return 0;
	case CAPTURE_OPT_JSON: o->json = 1; return 0;
	case CAPTURE_OPT_FULL: o->full = 1; return 0;
	case CAPTURE_OPT_ASCII: o->ascii = 1; return 0;
	case CAPTURE_OPT_WRITE: o->write_path = arg; return 0;
	case CAPTURE_OPT_SVG: o->svg_path = arg; return 0;
	case CAPTURE_OPT_HTML: o->html_path = arg; return 0;
	case CAPTURE_OPT_GRAPH: o->graph_path = arg; return 0;
	case CAPTURE_OPT_COLOR:
		if (ladder_color_when(arg, 0) == -1) {
			snprintf(err, errlen, "--color '%s': expected auto, "
			    "always or never", arg);
			return -1;
		}
		o->color = arg;
		return 0;
	}
	if (parse_long(arg, 0, ch == CAPTURE_OPT_LINGER ? 60000 : 4096, &v,
	    why, sizeof why) == -1) {
		snprintf(err, errlen, "--%s '%s': %s", ch == CAPTURE_OPT_LINGER ?
		    "linger-capture" : "data-preview", arg, why);
		return -1;
	}
	if (ch == CAPTURE_OPT_LINGER)
		o->linger_ms = v;
	else {
		o->preview = (int)v;
		o->preview_set = 1;
	}
	return 0;
}

int
capture_wanted(const struct capture_opts *o)
{
	return o->trace || o->json || o->write_path != NULL ||
	    o->svg_path != NULL || o->html_path != NULL ||
	    o->graph_path != NULL;
}

/* The message for a capture that could not start, into err. */
static void
capture_open_error(pcap_t *p, int rc, char *err, size_t errlen)
{
	char	 self[PATH_MAX];

	if (rc == PCAP_ERROR_PERM_DENIED || (rc == PCAP_ERROR &&
	    strstr(pcap_geterr(p), "ermission") != NULL))
		snprintf(err, errlen, "capture: permission denied: capturing "
		    "packets needs CAP_NET_RAW; run as root, or grant it with "
		    "'setcap cap_net_raw+ep %s'", sk_self_path(self, sizeof self));
	else
		snprintf(err, errlen, "capture: %s", rc == PCAP_ERROR ?
		    pcap_geterr(p) : pcap_statustostr(rc));
}

/* Compile and set a BPF filter; returns 0 or -1 with err. */
static int
capture_set_filter(struct capture *c, const char *expr, char *err,
    size_t errlen)
{
	struct bpf_program	 prog;
	int			 rc;

	if (pcap_compile(c->p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == -1) {
		snprintf(err, errlen, "capture filter '%s': %s", expr,
		    pcap_geterr(c->p));
		return -1;
	}
	rc = pcap_setfilter(c->p, &prog);
	if (rc == -1)
		snprintf(err, errlen, "capture filter '%s': %s", expr,
		    pcap_geterr(c->p));
	pcap_freecode(&prog);
	return rc;
}

static void
capture_discard(u_char *arg, const struct pcap_pkthdr *h, const u_char *b)
{
	(void)arg; (void)h; (void)b;
}

/*
 * The stream of the --write file: a new descriptor of o.write_fd when the
 * caller made the file itself (it keeps its own), else write_path opened
 * anew.  NULL with errno.
 */
static FILE *
capture_dump_stream(const struct capture *c)
{
	FILE	*fp;
	int	 fd;

	if (c->o.write_fd <= 0)
		return fopen(c->o.write_path, "wb");
	if ((fd = dup(c->o.write_fd)) == -1)
		return NULL;
	if ((fp = fdopen(fd, "wb")) == NULL)
		close(fd);
	return fp;
}

/*
 * Open the --write file unbuffered, so that each record reaches the file
 * (or fails) within pcap_dump() and a failed one can be cut off whole.
 * libpcap closes the stream itself when it cannot write the file header
 * (a full disk, /dev/full) but not when it refuses the link type, so
 * whether the descriptor is still open says whose the stream is: closing
 * it again would be a double free.  Returns 0 or -1 with err.
 */
static int
capture_dump_open(struct capture *c, char *err, size_t errlen)
{
	int	 fd, e;

	if ((c->dump_fp = capture_dump_stream(c)) == NULL) {
		snprintf(err, errlen, "--write %s: %s", c->o.write_path,
		    strerror(errno));
		return -1;
	}
	setvbuf(c->dump_fp, NULL, _IONBF, 0);
	fd = fileno(c->dump_fp);
	errno = 0;
	if ((c->dump = pcap_dump_fopen(c->p, c->dump_fp)) == NULL) {
		e = errno;
		if (fcntl(fd, F_GETFD) != -1)
			fclose(c->dump_fp);	/* not libpcap's: ours */
		c->dump_fp = NULL;
		snprintf(err, errlen, "--write %s: %s", c->o.write_path,
		    e != 0 ? strerror(e) : pcap_geterr(c->p));
		return -1;
	}
	c->dump_good = pcap_dump_ftell64(c->dump);
	return 0;
}

/*
 * One record to the --write file.  When it cannot be written whole (a
 * full disk), cut the file back to the last whole record, stop writing
 * and keep the reason for capture_write_error().
 */
static void
capture_dump(struct capture *c, const struct pcap_pkthdr *h, const u_char *b)
{
	errno = 0;
	pcap_dump((u_char *)c->dump, h, b);
	if (!ferror(c->dump_fp)) {
		c->dump_good = pcap_dump_ftell64(c->dump);
		return;
	}
	c->dump_errno = errno != 0 ? errno : EIO;
	/* On failure the reason to report stays the write's. */
	(void)ftruncate(fileno(c->dump_fp), (off_t)c->dump_good);
	pcap_dump_close(c->dump);	/* closes dump_fp; nothing is buffered */
	c->dump = NULL;
	c->dump_fp = NULL;
}

/*
 * Close the --write file.  Nothing should wait in the unbuffered stream,
 * but a flush that fails is kept as a failed record is.
 */
static void
capture_dump_end(struct capture *c)
{
	if (c->dump == NULL)
		return;
	errno = 0;
	if (pcap_dump_flush(c->dump) == -1 && c->dump_errno == 0)
		c->dump_errno = errno != 0 ? errno : EIO;
	pcap_dump_close(c->dump);
	c->dump = NULL;
	c->dump_fp = NULL;
}

int
capture_write_error(const struct capture *c, char *err, size_t errlen)
{
	if (c == NULL || c->dump_errno == 0)
		return 0;
	snprintf(err, errlen, "--write %s: %s: the file ends at the last "
	    "whole packet", c->o.write_path, strerror(c->dump_errno));
	return -1;
}

/*
 * After activation: a filter that takes nothing until the connection is
 * known (and the packets that came before it dropped), the --write file,
 * the pipeline.  Returns 0 or -1 with err.
 */
static int
capture_prepare(struct capture *c, char *err, size_t errlen)
{
	if (capture_set_filter(c, "less 1", err, errlen) == -1)
		return -1;
	while (pcap_dispatch(c->p, -1, capture_discard, NULL) > 0)
		;
	return capture_outputs(c, err, errlen);
}

/* What a picture's budget left out, said as it is. */
static void
capture_warn(const char *msg)
{
	sk_warnx("%s", msg);
}

/*
 * The --write file, the tracker, and the render sink with the ladder
 * (--trace, --json: on stderr) and the pictures' files.  Returns 0 or -1
 * with err.
 */
static int
capture_outputs(struct capture *c, char *err, size_t errlen)
{
	struct render_opts	 ro;

	if (c->o.write_path != NULL && capture_dump_open(c, err,
	    errlen) == -1)
		return -1;
	if ((c->tr = track_new(64)) == NULL) {
		snprintf(err, errlen, "capture: %s", strerror(ENOMEM));
		return -1;
	}
	memset(&ro, 0, sizeof ro);
	ro.text = c->o.trace || c->o.json ? stderr : NULL;
	ro.lo.mode = c->o.json ? LADDER_JSON : LADDER_DRAW;
	ro.lo.full = c->o.full;
	ro.lo.ascii = c->o.ascii;
	ro.lo.preview = c->o.preview;
	ro.tls.keylog = c->o.keylog;
	ro.tls.preview = c->o.preview_set ? c->o.preview : 0;
	ro.color = c->o.color;
	ro.svg_path = c->o.svg_path;
	ro.html_path = c->o.html_path;
	ro.graph_path = c->o.graph_path;
	ro.title = c->o.title != NULL ? c->o.title : "sockkit: packets "
	    "captured live";
	ro.warn = capture_warn;
	c->r = render_open(&ro, err, errlen);
	return c->r == NULL ? -1 : 0;
}

/* Close the epoll and timer fds, if open. */
static void
capture_close_fds(struct capture *c)
{
	if (c->efd != -1)
		close(c->efd);
	if (c->tfd != -1)
		close(c->tfd);
	c->efd = c->tfd = -1;
}

/*
 * The fd that callers poll: an epoll of libpcap's fd and a timer that
 * fires when something held for ordering is due.  Returns 0 or -1 with
 * err.
 */
static int
capture_fds(struct capture *c, char *err, size_t errlen)
{
	struct epoll_event	 ev;

	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	if ((c->efd = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    (c->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK |
	    TFD_CLOEXEC)) == -1 ||
	    epoll_ctl(c->efd, EPOLL_CTL_ADD, c->tfd, &ev) == -1 ||
	    epoll_ctl(c->efd, EPOLL_CTL_ADD, pcap_get_selectable_fd(c->p),
	    &ev) == -1) {
		snprintf(err, errlen, "capture: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Free a capture that failed to open, with whatever it had opened. */
static void
capture_abandon(struct capture *c)
{
	char	 err[512];

	if (c->dump != NULL)
		pcap_dump_close(c->dump);
	track_finish(c->tr, capture_event, c);	/* no packet: no event */
	render_close(c->r, err, sizeof err);
	capture_close_fds(c);
	pcap_close(c->p);
	free(c);
}

struct capture *
capture_open(const struct capture_opts *o, char *err, size_t errlen)
{
	char		 ebuf[PCAP_ERRBUF_SIZE];
	struct capture	*c;
	int		 rc, whole;

	if ((c = calloc(1, sizeof *c)) == NULL) {
		snprintf(err, errlen, "capture: %s", strerror(errno));
		return NULL;
	}
	c->o = *o;
	c->efd = c->tfd = -1;
	if ((c->p = pcap_create("any", ebuf)) == NULL) {
		snprintf(err, errlen, "capture: %s", ebuf);
		free(c);
		return NULL;
	}
	/*
	 * Headers and the preview are all a ladder needs; a file gets all of
	 * the largest packet loopback makes (a 64 KiB GSO segment, its
	 * cooked header).  Immediate mode, for the live ladder, makes
	 * libpcap use TPACKET_V2, whose ring has one frame of that size per
	 * packet: tcpdump's 262144 gave 16 frames in 8 MiB, and a burst of
	 * 17 packets lost one.  Our own TLS connection (a key log to open it
	 * with) needs whole segments too: its records span them.  16 MiB
	 * gives 255 frames (each in 128 KiB of kernel memory): 64 KiB
	 * segments for four times what a sending socket holds by default
	 * (tcp_wmem, 4 MiB); a peer whose window has grown can overrun it
	 * while sockkit does not read, and the verdict counts the drops.
	 * Not more: reading a page of the ring the first time costs a fault,
	 * and on a VM that shadows page tables a traced transfer paid 20 ms
	 * for each 16 MiB.
	 */
	whole = o->write_path != NULL || o->keylog != NULL;
	c->small_cap = (uint32_t)(HELD_KEEP + o->preview);
	c->snap = !whole ? c->small_cap : o->snaplen > 0 ?
	    (uint32_t)o->snaplen : CAPTURE_SNAP_FILE;
	pcap_set_snaplen(c->p, (int)c->snap);
	pcap_set_immediate_mode(c->p, 1);
	pcap_set_buffer_size(c->p, whole ? 16 << 20 : 8 << 20);
	pcap_set_tstamp_precision(c->p, PCAP_TSTAMP_PRECISION_NANO);
	if ((rc = pcap_activate(c->p)) < 0)
		capture_open_error(c->p, rc, err, errlen);
	else if (pcap_setnonblock(c->p, 1, ebuf) == -1)
		snprintf(err, errlen, "capture: %s", ebuf);
	else if ((c->dlt = pcap_datalink(c->p)) >= 0 &&
	    capture_fds(c, err, errlen) == 0 &&
	    capture_prepare(c, err, errlen) == 0)
		return c;
	capture_abandon(c);
	return NULL;
}

struct capture *
capture_open_fed(const struct capture_opts *o, int dlt, char *err,
    size_t errlen)
{
	struct capture	*c;
	char		 why[PCAP_ERRBUF_SIZE];

	if (pcapload_ready(why, sizeof why) == -1) {
		snprintf(err, errlen, "capture: %s", why);
		return NULL;
	}
	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->p = pcap_open_dead_with_tstamp_precision(dlt, 262144,
	    PCAP_TSTAMP_PRECISION_NANO)) == NULL) {
		snprintf(err, errlen, "capture: %s", strerror(ENOMEM));
		free(c);
		return NULL;
	}
	c->o = *o;
	c->efd = c->tfd = -1;
	c->dlt = dlt;
	c->fed = 1;
	c->snap = CAPTURE_SNAP_FILE;
	c->small_cap = (uint32_t)(HELD_KEEP + o->preview);
	if (capture_outputs(c, err, errlen) == 0)
		return c;
	capture_abandon(c);
	return NULL;
}

void
capture_feed(struct capture *c, int64_t ts, const uint8_t *b, size_t len)
{
	struct pcap_pkthdr	 h;

	memset(&h, 0, sizeof h);
	h.ts.tv_sec = (time_t)(ts / 1000000000);
	h.ts.tv_usec = (suseconds_t)(ts % 1000000000);	/* nanoseconds */
	h.caplen = h.len = (bpf_u_int32)len;
	capture_packet((u_char *)c, &h, b);
	merge_tick(c);
	fflush(stderr);
}

/* "host 127.0.0.1 and port 80" parts for an address, into buf. */
static void
filter_end(const char *dir, const struct sockaddr *sa, char *buf,
    size_t len)
{
	char	 a[NET_ADDRSTRLEN];

	net_addr_str(sa, a, sizeof a);
	snprintf(buf, len, "%s host %s and %s port %d", dir, a, dir,
	    net_addr_port(sa));
}

/* Whether sa is the any address (0.0.0.0 or ::). */
static int
addr_is_any(const struct sockaddr *sa)
{
	const struct sockaddr_in6 *s6;

	if (sa->sa_family == AF_INET)
		return ((const struct sockaddr_in *)(const void *)sa)->
		    sin_addr.s_addr == htonl(INADDR_ANY);
	s6 = (const struct sockaddr_in6 *)(const void *)sa;
	return IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr);
}

/*
 * Append " or DIR host A" for each address of this host (" or DIR net
 * 127.0.0.0/8" for a loopback block: all of it is ours) to buf.  Returns
 * 0, or -1 when they do not fit or cannot be listed.
 */
static int
filter_our_hosts(const char *dir, char *buf, size_t len)
{
	struct ifaddrs	*ifa, *i;
	char		 a[NET_ADDRSTRLEN];
	size_t		 n = strlen(buf);
	int		 w, rc = 0;

	if (getifaddrs(&ifa) == -1)
		return -1;
	for (i = ifa; i != NULL && rc == 0; i = i->ifa_next) {
		if (i->ifa_addr == NULL || (i->ifa_addr->sa_family != AF_INET &&
		    i->ifa_addr->sa_family != AF_INET6))
			continue;
		net_addr_str(i->ifa_addr, a, sizeof a);
		if (strchr(a, '%') != NULL)	/* fe80::1%eth0: no zone */
			*strchr(a, '%') = '\0';
		if (i->ifa_flags & IFF_LOOPBACK && i->ifa_addr->sa_family ==
		    AF_INET)
			w = snprintf(buf + n, len - n, " or %s net 127.0.0.0/8",
			    dir);
		else
			w = snprintf(buf + n, len - n, " or %s host %s", dir, a);
		if (w < 0 || (size_t)w >= len - n)
			rc = -1;
		else
			n += (size_t)w;
	}
	freeifaddrs(ifa);
	return rc;
}

/*
 * Set the filter of a conversation, expr, with the second copies of
 * loopback packets dropped in the kernel.  On the "any" device a packet
 * to an address of this host is handed over twice, sent and received on
 * lo, and libpcap drops the sent copy only after the kernel has copied it
 * into the ring: a 64 KiB segment cost two copies.  The test reads the
 * cooked header's packet type and the IP header, as libpcap can in user
 * space too (it filters there what the ring holds when a filter is set).
 * The filter is set as given when the addresses do not fit.
 */
static int
capture_set_conv_filter(struct capture *c, const char *expr, char *err,
    size_t errlen)
{
	char	 ours[3800], *once;
	int	 rc;

	snprintf(ours, sizeof ours, "dst host ::1");
	if (filter_our_hosts("dst", ours, sizeof ours) == -1 ||
	    asprintf(&once, "not (outbound and (%s)) and (%s)", ours,
	    expr) == -1)
		return capture_set_filter(c, expr, err, errlen);
	rc = capture_set_filter(c, once, err, errlen);
	free(once);
	return rc == 0 ? 0 : capture_set_filter(c, expr, err, errlen);
}

/*
 * The filter of a listener on local (remote NULL): its port on its own
 * address, or on every address of this host when it listens on all, so
 * that a connection of another program to the same port elsewhere is not
 * taken.  Falls back to the port alone when the addresses do not fit.
 */
static int
capture_filter_listener(struct capture *c, const char *pn,
    const struct sockaddr *local, char *err, size_t errlen)
{
	char	 expr[8192], dst[3800], src[3800], a[NET_ADDRSTRLEN];
	int	 port = net_addr_port(local);

	net_addr_str(local, a, sizeof a);
	if (!addr_is_any(local)) {
		snprintf(dst, sizeof dst, "dst host %s", a);
		snprintf(src, sizeof src, "src host %s", a);
	} else {
		/* ::1 first, so that each address after it says " or". */
		snprintf(dst, sizeof dst, "dst host ::1");
		snprintf(src, sizeof src, "src host ::1");
		if (filter_our_hosts("dst", dst, sizeof dst) == -1 ||
		    filter_our_hosts("src", src, sizeof src) == -1) {
			snprintf(expr, sizeof expr, "%s port %d", pn, port);
			return capture_set_conv_filter(c, expr, err, errlen);
		}
	}
	snprintf(expr, sizeof expr, "%s and ((dst port %d and (%s)) or "
	    "(src port %d and (%s)))", pn, port, dst, port, src);
	return capture_set_conv_filter(c, expr, err, errlen);
}

int
capture_filter(struct capture *c, int proto, const struct sockaddr *local,
    const struct sockaddr *remote, char *err, size_t errlen)
{
	char		 expr[1024], l_src[128], l_dst[128], r_src[128],
			 r_dst[128];
	const char	*pn = proto == IPPROTO_UDP ? "udp" : "tcp";

	if (remote == NULL)
		return capture_filter_listener(c, pn, local, err, errlen);
	filter_end("src", remote, r_src, sizeof r_src);
	filter_end("dst", remote, r_dst, sizeof r_dst);
	snprintf(l_src, sizeof l_src, "src port %d", net_addr_port(local));
	snprintf(l_dst, sizeof l_dst, "dst port %d", net_addr_port(local));
	/*
	 * ICMP errors quoting our datagrams (from any router): the quoted
	 * ports sit at fixed offsets when the quoted header has no options.
	 */
	snprintf(expr, sizeof expr, "(%s and ((%s and %s) or (%s and %s))) or "
	    "(icmp and (icmp[0] = 3 or icmp[0] = 11) and icmp[28:2] = %d and "
	    "icmp[30:2] = %d) or (icmp6 and ip6[6] = 58 and ip6[40] < 5 and "
	    "ip6[88:2] = %d and ip6[90:2] = %d)", pn, l_src, r_dst, r_src,
	    l_dst, net_addr_port(local), net_addr_port(remote),
	    net_addr_port(local), net_addr_port(remote));
	return capture_set_conv_filter(c, expr, err, errlen);
}

int
capture_filter_expr(struct capture *c, const char *expr, char *err,
    size_t errlen)
{
	return capture_set_filter(c, expr, err, errlen);
}

/* A socket address as the decoder's address (v4-mapped as IPv4). */
static void
capture_addr(const struct sockaddr *sa, struct decode_addr *a)
{
	const struct sockaddr_in6 *s6;

	memset(a, 0, sizeof *a);
	if (sa->sa_family == AF_INET) {
		a->family = AF_INET;
		memcpy(a->addr, &((const struct sockaddr_in *)(const void *)sa)
		    ->sin_addr, 4);
		return;
	}
	s6 = (const struct sockaddr_in6 *)(const void *)sa;
	a->family = AF_INET6;
	memcpy(a->addr, &s6->sin6_addr, 16);
	if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		a->family = AF_INET;
		memmove(a->addr, a->addr + 12, 4);
		memset(a->addr + 4, 0, 12);
	}
}

void
capture_set_local(struct capture *c, const struct sockaddr *sa)
{
	struct decode_addr	 a;

	capture_addr(sa, &a);
	c->has_local = 1;
	c->local = a;
	c->local_port = (uint16_t)net_addr_port(sa);
	render_set_local(c->r, &a, c->local_port);
}

int
capture_fd(const struct capture *c)
{
	return c->fed ? -1 : c->efd;
}

/*
 * Whether end d of conv is this host's (when capture_set_local() did not
 * say, every end may be: the linger then waits as for our last ACK).
 */
static int
capture_is_local(const struct capture *c, const struct track_conv *cv, int d)
{
	const struct track_end	*e = &cv->end[d];

	return !c->has_local || (e->port == c->local_port &&
	    e->addr.family == c->local.family &&
	    memcmp(e->addr.addr, c->local.addr, sizeof e->addr.addr) == 0);
}

/*
 * Watch for the connection's end: a reset or refusal ends it, and so does
 * the peer's ACK of the last FIN; when this host sent that ACK, the peer
 * may retransmit its FIN (the ACK lost), so capture_linger() goes on
 * until it has been quiet for the linger time.
 */
static void
capture_watch_end(struct capture *c, const struct track_event *ev)
{
	const struct track_conv	*cv = ev->conv;
	int			 local = capture_is_local(c, cv, ev->dir);

	if (cv->how == TRACK_RST || cv->how == TRACK_REFUSED)
		c->done = DONE_FINAL;
	else if (c->done == DONE_NOT && cv->close_done) {
		c->done = local ? DONE_QUIET : DONE_FINAL;
		c->quiet_ms = now_ms();
		c->quiet_ports[0] = cv->end[0].port;
		c->quiet_ports[1] = cv->end[1].port;
	} else if (c->done == DONE_QUIET && !local)
		c->quiet_ms = now_ms();	/* the peer is not done yet */
}

/* The hook's note for the packet fed to the tracker as frame, or NULL. */
static const char *
capture_note(const struct capture *c, uint64_t frame)
{
	size_t	 i = frame % CAPTURE_NOTES;

	return frame != 0 && c->notes[i].frame == frame ? c->notes[i].text :
	    NULL;
}

/*
 * Tracker events: the packet (with the hook's note, if any, added to the
 * tracker's, and its TLS events if they were decoded as it was captured)
 * to the render sink; watch for the end; decode a TLS conversation ahead
 * from when the drawing has its keys.
 */
static void
capture_event(void *arg, const struct track_event *ev)
{
	struct capture		*c = arg;
	struct track_event	 noted;
	const struct tlsview_seg *seg = NULL;
	const char		*note;

	if (ev->conv != NULL && ev->kind == TRACK_EV_PACKET)
		capture_watch_end(c, ev);
	if (ev->conv != NULL && ev->kind == TRACK_EV_END)
		ahead_end(c, ev->conv);
	if (ev->kind == TRACK_EV_PACKET && ev->frame == c->frames &&
	    c->drawing != NULL && c->drawing->tls_fed)
		seg = &c->drawing->tls;
	note = ev->kind == TRACK_EV_PACKET ? capture_note(c, ev->frame) : NULL;
	if (note != NULL && ev->nnotes < TRACK_MAX_NOTES) {
		noted = *ev;
		noted.notes[noted.nnotes].warn = 0;
		snprintf(noted.notes[noted.nnotes].text, TRACK_NOTE_LEN, "%s",
		    note);
		noted.nnotes++;
		ev = &noted;
	}
	render_event_seg(c->r, ev, seg);
	if (seg == NULL && c->o.keylog != NULL && ev->kind == TRACK_EV_PACKET &&
	    ev->conv != NULL && ev->conv->proto == IPPROTO_TCP &&
	    render_tls_go_ahead(c->r, ev->conv))
		ahead_start(c, ev->conv);
}

/* Draw a call line. */
static void
draw_call(struct capture *c, int64_t ts, uint64_t conv, const char *what,
    int err)
{
	track_flush(c->tr, capture_event, c);	/* a held packet came first */
	render_call(c->r, ts, conv, what, err);
}

/* Draw a held packet through decode -> track -> renderers, and free it. */
static void
draw_packet(struct capture *c, struct held *h)
{
	struct decode_pkt	 pk;

	decode_packet(c->dlt, h->b, h->caplen, h->len, &pk);
	c->frames++;
	if (h->note[0] != '\0') {
		c->notes[c->frames % CAPTURE_NOTES].frame = c->frames;
		snprintf(c->notes[c->frames % CAPTURE_NOTES].text,
		    TRACK_NOTE_LEN, "%s", h->note);
	}
	c->drawing = h;
	track_packet(c->tr, h->ts, &pk, capture_event, c);
	c->drawing = NULL;
	if (h->tls_fed)
		tlsview_seg_free(&h->tls);
	held_put(c, h);
}

/* What h takes, for the limits of the merge queue and the fold. */
static size_t
held_bytes(const struct held *h)
{
	return h->cap + (size_t)h->tls.n * sizeof *h->tls.ev;
}

/*
 * Decode pk's TLS now if it belongs to conversation a; returns 1 with
 * its events in seg, else 0.  A SYN that opens a's ports anew ends a:
 * what follows is kept whole and decoded when drawn, in order still.
 */
static int
ahead_one(struct capture *c, struct ahead *a, const struct decode_pkt *pk,
    struct tlsview_seg *seg)
{
	int	 d;

	if (!a->open || (d = track_conv_dir(a->conv, pk)) == -1)
		return 0;
	if ((pk->flags & (DECODE_SYN | DECODE_ACK)) == DECODE_SYN &&
	    (!a->isn_known[d] || a->isn[d] != pk->seq)) {
		a->open = 0;
		return 0;
	}
	return render_tls_ahead(c->r, a->conv, d, pk->seq - a->base[d], pk,
	    seg);
}

/* Decode pk's TLS now if it belongs to a conversation decoded ahead. */
static int
ahead_feed(struct capture *c, const struct decode_pkt *pk,
    struct tlsview_seg *seg)
{
	size_t	 i;

	for (i = 0; i < c->nahead; i++)
		if (ahead_one(c, &c->ahead[i], pk, seg))
			return 1;
	return 0;
}

/* Decode held packet h now if it belongs to a; returns the bytes added. */
static size_t
ahead_held(struct capture *c, struct ahead *a, struct held *h)
{
	struct decode_pkt	 pk;

	if (h == NULL || h->call || h->tls_fed)
		return 0;
	decode_packet(c->dlt, h->b, h->caplen, h->len, &pk);
	if (!ahead_one(c, a, &pk, &h->tls))
		return 0;
	h->tls_fed = 1;
	c->ahead_fed++;
	return (size_t)h->tls.n * sizeof *h->tls.ev;
}

/*
 * Decode conv's TLS ahead from now on.  What waits to be drawn (behind a
 * fold, then in the merge queue) was captured after the packet drawn now:
 * it is decoded first, in that order.  With CAPTURE_AHEAD already, conv
 * is decoded as it is drawn, as before.
 */
static void
ahead_start(struct capture *c, struct track_conv *conv)
{
	struct ahead	*a;
	size_t		 i;
	int		 d;

	if (c->nahead == CAPTURE_AHEAD || !conv->end[0].base_known ||
	    !conv->end[1].base_known)
		return;
	a = &c->ahead[c->nahead++];
	a->conv = conv;
	a->open = 1;
	for (d = 0; d < 2; d++) {
		a->base[d] = conv->end[d].base;
		a->isn[d] = conv->end[d].isn;
		a->isn_known[d] = conv->end[d].isn_known;
	}
	for (i = 0; i < c->nbehind; i++)
		c->behind_bytes += ahead_held(c, a, c->behind[i]);
	for (i = 0; i < c->mn; i++)
		c->mbytes += ahead_held(c, a,
		    c->mq[(c->mhead + i) % MERGE_MAX]);
}

/* conv ended: no more decoding ahead for it. */
static void
ahead_end(struct capture *c, const struct track_conv *conv)
{
	size_t	 i;

	for (i = 0; i < c->nahead; i++)
		if (c->ahead[i].conv == conv) {
			c->ahead[i] = c->ahead[--c->nahead];
			return;
		}
}

/*
 * One more slab of items with room for the snap length, into the pool;
 * nothing when all are made or memory is short.
 */
static void
held_slab(struct capture *c)
{
	size_t		 item, len, i;
	struct held	*h;
	void		*s;

	item = (sizeof *h + c->snap + 63) & ~(size_t)63;
	len = item * HELD_SLAB_ITEMS;
	if (c->nslab == HELD_SLABS || posix_memalign(&s, HUGE_PAGE, len) != 0)
		return;
#ifdef MADV_HUGEPAGE
	(void)madvise(s, len, MADV_HUGEPAGE);	/* a wish: may be refused */
#endif
	c->slab[c->nslab++] = s;
	for (i = HELD_SLAB_ITEMS; i-- > 0;) {
		h = (struct held *)((char *)s + i * item);
		h->cap = c->snap;
		h->slab = 1;
		c->pool[c->npool++] = h;
	}
}

/*
 * A packet's held item with room for keep bytes, its header zeroed (not
 * the bytes: a whole segment is 64 KiB): from the pool of slab items or
 * the free header items (a packet's malloc() and free() cost as much as
 * the rest of its capture), or a new one.  NULL when out of memory.
 */
static struct held *
held_get(struct capture *c, uint32_t keep)
{
	struct held	*h;
	uint32_t	 cap;
	int		 slab, big;

	big = c->snap >= HELD_POOLED && keep > c->snap / 2 && keep <= c->snap;
	if (big && c->npool == 0)
		held_slab(c);
	if (keep <= c->small_cap)
		keep = c->small_cap;
	if (big && c->npool > 0)
		h = c->pool[--c->npool];
	else if (keep == c->small_cap && c->nsmall > 0)
		h = c->small[--c->nsmall];
	else if ((h = malloc(sizeof *h + keep)) == NULL)
		return NULL;
	else {
		h->cap = keep;
		h->slab = 0;
	}
	cap = h->cap;
	slab = h->slab;
	memset(h, 0, sizeof *h);
	h->cap = cap;
	h->slab = slab;
	return h;
}

/* A drawn packet's item: back to its pool, or freed. */
static void
held_put(struct capture *c, struct held *h)
{
	if (h->slab)
		c->pool[c->npool++] = h;
	else if (h->cap == c->small_cap && c->nsmall < HELD_SMALL)
		c->small[c->nsmall++] = h;
	else
		free(h);
}

/*
 * End the fold of repeated calls: its line at its first call's time (the
 * call itself when it is alone), then the packets that waited behind it.
 */
static void
fold_end(struct capture *c)
{
	char		 what[CALL_LEN], n[32], b[32];
	struct held	*h;
	size_t		 i;

	if (c->fold == NULL)
		return;
	if (c->fold_n == 1)
		draw_call(c, c->fold->ts, 0, c->fold->what, c->fold->err);
	else {
		snprintf(what, sizeof what, "... %s more %s calls, %s bytes",
		    fmt_count(c->fold_n, n, sizeof n), c->fold->verb,
		    fmt_count(c->fold_bytes, b, sizeof b));
		draw_call(c, c->fold->ts, 0, what, 0);
	}
	free(c->fold);
	c->fold = NULL;
	for (i = 0; i < c->nbehind; i++) {
		h = c->behind[i];
		c->behind[i] = NULL;	/* drawn: ahead_start() skips it */
		draw_packet(c, h);
	}
	c->nbehind = c->behind_bytes = 0;
}

/*
 * A call that moves its end's state, in time order with the packets: the
 * tracker's state moves now, and the call's line says so.
 */
static void
call_moves(struct capture *c, struct held *h)
{
	enum track_state	 path[TRACK_MAX_PATH + 1];
	size_t			 off = strlen(h->what), np, i;
	int			 e;

	e = track_call(c->tr, &h->self, h->self_port, h->tcall, path, &np,
	    &h->conv);
	if (e < 0 || np < 2) {
		h->conv = 0;
		return;
	}
	words_cat(h->what, sizeof h->what, &off, "; %c:", e == 0 ? 'A' : 'B');
	for (i = 0; i < np; i++)
		words_cat(h->what, sizeof h->what, &off, " %s%s", i ? "-> " :
		    "", track_state_name(path[i]));
}

/*
 * Draw one call in time order, or fold it: past REPEAT_SHOWN send (or
 * recv) calls in a row, the rest are counted in one line.
 */
static void
out_call(struct capture *c, struct held *h)
{
	if (h->verb[0] != '\0' && strcmp(h->verb, c->last_verb) == 0 &&
	    ++c->repeats > REPEAT_SHOWN && !c->o.full) {
		if (c->fold == NULL) {
			c->fold = h;
			c->fold_n = 1;
			c->fold_bytes = h->bytes;
			return;
		}
		c->fold_n++;
		c->fold_bytes += h->bytes;
		free(h);
		return;
	}
	fold_end(c);
	if (h->verb[0] == '\0' || strcmp(h->verb, c->last_verb) != 0) {
		snprintf(c->last_verb, sizeof c->last_verb, "%s", h->verb);
		c->repeats = h->verb[0] != '\0';
	}
	if (h->moves && h->err == 0) {
		track_flush(c->tr, capture_event, c);
		call_moves(c, h);
	}
	draw_call(c, h->ts, h->conv, h->what, h->err);
	free(h);
}

/* Draw what leaves the merge queue (in time order), or hold it. */
static void
out_item(struct capture *c, struct held *h)
{
	if (h->call) {
		out_call(c, h);
		return;
	}
	if (c->fold == NULL) {
		draw_packet(c, h);
		return;
	}
	if (c->nbehind == FOLD_MAX ||
	    c->behind_bytes + held_bytes(h) > FOLD_BYTES)
		fold_end(c);
	if (c->fold != NULL) {
		c->behind[c->nbehind++] = h;
		c->behind_bytes += held_bytes(h);
	} else
		draw_packet(c, h);
}

/* Take the oldest item off the merge queue. */
static struct held *
merge_pop(struct capture *c)
{
	struct held	*h = c->mq[c->mhead];

	c->mhead = (c->mhead + 1) % MERGE_MAX;
	c->mn--;
	if (!h->call)
		c->mbytes -= held_bytes(h);
	return h;
}

/* Draw what the merge queue holds up to time upto, oldest first. */
static void
merge_release(struct capture *c, int64_t upto)
{
	while (c->mn > 0 && c->mq[c->mhead]->ts <= upto)
		out_item(c, merge_pop(c));
}

/* Room for one more in the merge queue: when it is full, the oldest go. */
static void
merge_room(struct capture *c)
{
	while (c->mn > 0 && (c->mn == MERGE_MAX || c->mbytes > MERGE_BYTES))
		out_item(c, merge_pop(c));
}

/*
 * Put h in the merge queue in time order (after items of equal time),
 * making room first (a packet made room before it was decoded: drawing
 * may start decoding its conversation ahead).
 */
static void
merge_push(struct capture *c, struct held *h)
{
	size_t	 i, prev;

	merge_room(c);
	i = (c->mhead + c->mn) % MERGE_MAX;
	c->mn++;
	if (!h->call)
		c->mbytes += held_bytes(h);
	while (i != c->mhead) {
		prev = (i + MERGE_MAX - 1) % MERGE_MAX;
		if (c->mq[prev]->ts <= h->ts)
			break;
		c->mq[i] = c->mq[prev];
		i = prev;
	}
	c->mq[i] = h;
}

/* Now on the capture's clock (CLOCK_REALTIME), in nanoseconds. */
static int64_t
wall_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Set the one-shot timer to wall time at (0: stop it). */
static void
timer_set(struct capture *c, int64_t at)
{
	struct itimerspec	 it;
	int64_t			 d;

	memset(&it, 0, sizeof it);
	if (at != 0) {
		d = at - wall_ns();
		if (d < 1000)
			d = 1000;
		it.it_value.tv_sec = (time_t)(d / 1000000000);
		it.it_value.tv_nsec = (long)(d % 1000000000);
	}
	if (timerfd_settime(c->tfd, 0, &it, NULL) == 0)
		c->armed = at;
}

/*
 * Arm the timer for the next thing to draw (wall time at; 0: nothing),
 * MERGE_SLACK late.  It only draws what no packet comes to draw: while
 * they flow, each one's tick draws what is due, and the timer armed no
 * more than MERGE_SLACK after the next due item stays.  A data phase so
 * costs a timerfd_settime() per MERGE_SLACK, not one per packet.  While
 * lingering the end is drawn on time.
 */
static void
merge_arm(struct capture *c, int64_t at)
{
	int64_t	 slack = c->lingering ? 0 : MERGE_SLACK;

	if (c->tfd == -1 || at == 0 ||
	    (c->armed != 0 && c->armed <= at + slack))
		return;
	timer_set(c, at + slack);
}

/*
 * Draw what may be drawn now: what is older than the lag (a fed capture
 * has no lag: its caller hands packets over in order), and a fold that
 * waited FOLD_LAG.  Then arm the timer for the next.
 */
static void
merge_tick(struct capture *c)
{
	int64_t	 now = wall_ns(), at = 0;
	int64_t	 lag = c->lingering ? LINGER_LAG : MERGE_LAG;

	merge_release(c, c->fed ? INT64_MAX : now - lag);
	if (c->fold != NULL && (c->fed || now - c->fold->ts >= FOLD_LAG))
		fold_end(c);
	if (c->mn > 0)
		at = c->mq[c->mhead]->ts + lag;
	if (c->fold != NULL && (at == 0 || c->fold->ts + FOLD_LAG < at))
		at = c->fold->ts + FOLD_LAG;
	merge_arm(c, at);
}

/* Draw everything held: at the end, and before lingering ends. */
static void
merge_flush(struct capture *c)
{
	merge_release(c, INT64_MAX);
	fold_end(c);
	if (c->tfd != -1 && c->armed != 0)
		timer_set(c, 0);
}

/*
 * One captured packet: to the file now; to the hook now, which may judge
 * it at once, keeping its note; its TLS decoded now if its conversation
 * is decoded ahead; into the merge queue (bytes enough for the pipeline),
 * to be drawn in time order.
 */
static void
capture_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *b)
{
	struct capture		*c = (struct capture *)arg;
	struct decode_pkt	 pk;
	struct tlsview_seg	 seg;
	struct held		*m;
	uint32_t		 keep = h->caplen;
	int			 fed = 0;

	c->packets++;
	if (c->dump != NULL)
		capture_dump(c, h, b);
	merge_room(c);
	if (c->hook != NULL || c->nahead > 0)
		decode_packet(c->dlt, b, h->caplen, h->len, &pk);
	if (c->nahead > 0)
		fed = ahead_feed(c, &pk, &seg);
	/* A TLS connection of ours is decoded from whole segments. */
	if ((c->o.keylog == NULL || fed) && keep > c->small_cap)
		keep = c->small_cap;
	if ((m = held_get(c, keep)) == NULL) {
		if (fed)
			tlsview_seg_free(&seg);
		return;		/* counted, not drawn: out of memory */
	}
	m->ts = (int64_t)h->ts.tv_sec * 1000000000 + h->ts.tv_usec;
	m->caplen = keep;
	m->len = h->len;
	memcpy(m->b, b, keep);
	if (fed) {
		m->tls_fed = 1;
		m->tls = seg;
		c->ahead_fed++;
	}
	if (c->hook != NULL)
		c->hook(c->hook_arg, m->ts, &pk, m->note, sizeof m->note);
	merge_push(c, m);
}

void
capture_set_hook(struct capture *c, capture_pkt_hook fn, void *arg)
{
	c->hook = fn;
	c->hook_arg = arg;
}

void
capture_poll(void *arg)
{
	struct capture	*c = arg;
	uint64_t	 fired;
	int		 i, got, n = 0;

	if (c->fed)
		return;
	/*
	 * Bounded, so that others get their turn.  A short batch emptied
	 * the ring: another call would only poll() to find it empty.
	 */
	for (i = 0; i < 64; i++) {
		got = pcap_dispatch(c->p, 256, capture_packet, (u_char *)c);
		n += got > 0 ? got : 0;
		if (got < 256)
			break;
	}
	/*
	 * No packet: the timer woke us; it fired (it is one-shot), and the
	 * tick below arms it again.  While packets come, their ticks draw
	 * what is due, and a timer that fired waits to be read.
	 */
	if (n == 0 && read(c->tfd, &fired, sizeof fired) ==
	    (ssize_t)sizeof fired)
		c->armed = 0;
	merge_tick(c);
	fflush(stderr);
}

/* A call that moves the state of the end that made it. */
struct state_call {
	enum track_call	 what;
	struct decode_addr self;
	uint16_t	 port;
};

/*
 * Queue a call made at ts; verb and bytes for those that fold, tc for
 * those that move a state.
 */
static void
queue_call(struct capture *c, int64_t ts, const char *verb, uint64_t bytes,
    const char *what, int err, const struct state_call *tc)
{
	struct held	*h;

	if ((h = calloc(1, sizeof *h)) == NULL)
		return;
	h->ts = ts;
	h->call = 1;
	h->err = err;
	h->bytes = bytes;
	snprintf(h->verb, sizeof h->verb, "%s", verb);
	snprintf(h->what, sizeof h->what, "%s", what);
	if (tc != NULL) {
		h->moves = 1;
		h->tcall = tc->what;
		h->self = tc->self;
		h->self_port = tc->port;
	}
	merge_push(c, h);
	merge_tick(c);
}

void
capture_call(struct capture *c, const char *what, int err)
{
	capture_call_at(c, wall_ns(), what, err);
}

void
capture_call_at(struct capture *c, int64_t ts, const char *what, int err)
{
	if (c == NULL)
		return;
	queue_call(c, ts, "", 0, what, err, NULL);
}

void
capture_state_call(struct capture *c, int64_t ts, const struct sockaddr *self,
    enum track_call how, const char *what, int err)
{
	struct state_call	 tc;

	if (c == NULL)
		return;
	if (self == NULL && !c->has_local) {
		queue_call(c, ts, "", 0, what, err, NULL);
		return;
	}
	tc.what = how;
	if (self != NULL) {
		capture_addr(self, &tc.self);
		tc.port = (uint16_t)net_addr_port(self);
	} else {
		tc.self = c->local;
		tc.port = c->local_port;
	}
	queue_call(c, ts, "", 0, what, err, &tc);
}

/*
 * Whether closing fd resets the connection (RFC 9293 3.10.5 ABORT): as
 * Linux does when unread bytes wait or SO_LINGER is on with 0 s.
 */
static int
close_aborts(int fd)
{
	struct linger	 lg;
	socklen_t	 len = sizeof lg;
	int		 unread = 0;

	if (ioctl(fd, FIONREAD, &unread) == 0 && unread > 0)
		return 1;
	return getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len) == 0 &&
	    lg.l_onoff && lg.l_linger == 0;
}

int
capture_close_fd(struct capture *c, int fd, const char *what)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	int			 rc, e, ip, aborts;
	int64_t			 t;

	if (c == NULL)
		return close(fd);
	ip = getsockname(fd, (struct sockaddr *)&ss, &len) == 0 &&
	    (ss.ss_family == AF_INET || ss.ss_family == AF_INET6);
	aborts = close_aborts(fd);
	t = wall_ns();
	rc = close(fd);
	e = rc == -1 ? errno : 0;
	if (ip)
		capture_state_call(c, t, (struct sockaddr *)&ss, aborts ?
		    TRACK_CALL_ABORT : TRACK_CALL_CLOSE, what, e);
	else
		capture_call_at(c, t, what, e);
	errno = e;
	return rc;
}

int64_t
capture_now(void)
{
	return wall_ns();
}

void
capture_relay_event(void *arg, const struct relay_call *rc)
{
	struct capture	*c = arg;
	const char	*verb = rc->ev == RELAY_SEND ? "send" : "recv";
	char		 what[CALL_LEN];

	if (rc->ev == RELAY_SHUTDOWN) {
		capture_state_call(c, rc->start, NULL, TRACK_CALL_SHUTDOWN,
		    "shutdown(SHUT_WR)", 0);
		return;
	}
	if (rc->n == -1) {
		snprintf(what, sizeof what, "%s()", verb);
		queue_call(c, rc->start, "", 0, what, rc->err, NULL);
		return;
	}
	if (rc->ev == RELAY_RECV && rc->n == 0) {
		capture_state_call(c, rc->start, NULL, TRACK_CALL_EOF,
		    "recv() = 0: EOF, the peer closed its side", 0);
		return;
	}
	snprintf(what, sizeof what, "%s %zd", verb, rc->n);
	queue_call(c, rc->start, verb, (uint64_t)rc->n, what, 0, NULL);
	if (c->info_fd > 0)
		capture_tcp_info(c, c->info_fd - 1, rc->end, NULL);
}

void
capture_tcp_info(struct capture *c, int fd, int64_t ts,
    const struct tcp_info *given)
{
	struct tsg_sample	 s;
	struct tcp_info		 ti;
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ti, slen = sizeof ss;

	if (c == NULL || (c->o.graph_path == NULL && c->o.html_path == NULL))
		return;
	if (given == NULL) {
		memset(&ti, 0, sizeof ti);
		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == -1)
			return;
		given = &ti;
	}
	if (getsockname(fd, (struct sockaddr *)&ss, &slen) == -1 ||
	    (ss.ss_family != AF_INET && ss.ss_family != AF_INET6))
		return;
	memset(&s, 0, sizeof s);
	s.ts = ts;
	s.port = ntohs(ss.ss_family == AF_INET ?
	    ((struct sockaddr_in *)&ss)->sin_port :
	    ((struct sockaddr_in6 *)&ss)->sin6_port);
	s.cwnd = given->tcpi_snd_cwnd;
	s.ssthresh = given->tcpi_snd_ssthresh;
	s.srtt_us = given->tcpi_rtt;
	s.rto_us = given->tcpi_rto;
	render_sample(c->r, &s);
}

/*
 * Whether the relay's peer, a socket of this host, can send nothing more:
 * the kernel has it gone (or CLOSE), so its FIN was acknowledged; or both
 * ends are in TIME_WAIT (a simultaneous close: each FIN acknowledged, no
 * FIN left to retransmit on either side).  This is evidence, not a guess:
 * the sockets' own states.
 */
static int
peer_acked(const struct capture *c)
{
	int	 me = net_addr_port((const struct sockaddr *)&c->self_sa);
	int	 him = net_addr_port((const struct sockaddr *)&c->peer_sa);
	int	 st, own;

	/* Only the relay's own connection: its ends are those two ports. */
	if (!((c->quiet_ports[0] == me && c->quiet_ports[1] == him) ||
	    (c->quiet_ports[0] == him && c->quiet_ports[1] == me)))
		return 0;
	st = sockdiag_tcp_state((const struct sockaddr *)&c->peer_sa,
	    (const struct sockaddr *)&c->self_sa);
	if (st == TCP_TIME_WAIT) {
		own = sockdiag_tcp_state((const struct sockaddr *)&c->self_sa,
		    (const struct sockaddr *)&c->peer_sa);
		return own == 0 || own == TCP_TIME_WAIT || own == TCP_CLOSE;
	}
	return st == 0 || st == TCP_CLOSE;
}

/*
 * How long capture_linger(), which began at start (now_ms()), goes on:
 * not at all once nothing more can come; the linger time after a close
 * whose last ACK was ours, counted from the peer's last packet.
 */
static int64_t
linger_left(const struct capture *c, int64_t start)
{
	int64_t	 from = start;

	if (c->done == DONE_FINAL)
		return 0;
	if (c->done == DONE_QUIET && c->quiet_ms > from)
		from = c->quiet_ms;
	return from + c->o.linger_ms - now_ms();
}

void
capture_linger(struct capture *c)
{
	struct pollfd	 pfd;
	int64_t		 start = now_ms(), left;

	pfd.fd = capture_fd(c);
	pfd.events = POLLIN;
	c->lingering = 1;
	capture_poll(c);
	while (!sk_interrupted && (left = linger_left(c, start)) > 0) {
		if (c->done == DONE_QUIET && c->peer_local) {
			if (peer_acked(c)) {
				c->done = DONE_FINAL;
				break;
			}
			if (left > PEER_POLL_MS)
				left = PEER_POLL_MS;
		}
		if (poll(&pfd, 1, (int)left) > 0)
			capture_poll(c);
	}
	merge_flush(c);
	fflush(stderr);
	c->done = DONE_NOT;	/* a next connection starts afresh */
	c->quiet_ms = 0;
	c->peer_local = 0;
	c->lingering = 0;
}

void
capture_close(struct capture *c)
{
	char	 err[512];

	capture_end(c, err, sizeof err);
}

int
capture_end(struct capture *c, char *err, size_t errlen)
{
	struct pcap_stat	 st;
	char			 n[32], m[32];
	int			 rc;

	if (c == NULL)
		return 0;
	capture_poll(c);
	merge_flush(c);
	if (!c->fed && pcap_stats(c->p, &st) == 0) {
		render_set_drops(c->r, st.ps_drop, 1);
		if (!render_has_text(c->r) && st.ps_drop > 0)	/* no verdict */
			sk_warnx("capture: %u packet%s dropped by the kernel",
			    st.ps_drop, st.ps_drop == 1 ? "" : "s");
	}
	track_finish(c->tr, capture_event, c);
	if (c->ahead_fed > 0)
		sk_verbose("capture: %s packets, the TLS of %s of them decoded "
		    "as they were captured", fmt_count(c->packets, n,
		    sizeof n), fmt_count(c->ahead_fed, m, sizeof m));
	rc = render_close(c->r, err, errlen);
	c->r = NULL;
	capture_dump_end(c);
	if (rc == 0)
		rc = capture_write_error(c, err, errlen);
	capture_close_fds(c);
	pcap_close(c->p);
	fflush(stdout);
	while (c->nslab > 0)
		free(c->slab[--c->nslab]);
	while (c->nsmall > 0)
		free(c->small[--c->nsmall]);
	free(c);
	return rc;
}

/*
 * Whether the peer of the TCP socket fd is a socket of this namespace
 * (loopback, or an address of this host): then capture_linger() can ask
 * the kernel whether it still waits for the ACK of its FIN, instead of
 * waiting the linger time for a retransmission that cannot come.
 */
static void
capture_find_peer(struct capture *c, int fd)
{
	socklen_t	 len = sizeof c->self_sa, plen = sizeof c->peer_sa;
	int		 type, st;
	socklen_t	 tlen = sizeof type;

	c->peer_local = 0;
	if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) == -1 ||
	    type != SOCK_STREAM ||
	    getsockname(fd, (struct sockaddr *)&c->self_sa, &len) == -1 ||
	    getpeername(fd, (struct sockaddr *)&c->peer_sa, &plen) == -1 ||
	    (c->self_sa.ss_family != AF_INET &&
	    c->self_sa.ss_family != AF_INET6))
		return;
	st = sockdiag_tcp_state((struct sockaddr *)&c->peer_sa,
	    (struct sockaddr *)&c->self_sa);
	c->peer_local = st > 0;
}

void
capture_hook_relay(struct capture *c, struct relay_opts *r)
{
	r->extra_fd = -1;
	if (c == NULL)
		return;
	r->on_event = capture_relay_event;
	r->now = capture_now;
	r->arg = c;
	r->extra_fd = capture_fd(c);
	r->on_extra = capture_poll;
	c->info_fd = r->net_fd >= 0 ? r->net_fd + 1 : 0;
	capture_find_peer(c, r->net_fd);
}

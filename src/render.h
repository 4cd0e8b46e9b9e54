/*
 * render.h: the render sink.  Every picture of tracker events goes
 * through one: the text ladder (or its JSON Lines, or its summaries) on a
 * stream, and the --svg and --html pictures in their files.  It is the
 * tracker's callback (render_event) and takes sockkit's own socket calls;
 * the live capture (capture.c), view and probe --trace all feed one.
 *
 * It decides once what the three used to decide each: whether the ladder
 * is coloured (--color, else a terminal without NO_COLOR), that "-" is
 * stdout for a picture (and that the ladder then stays off stdout), when
 * the picture files are made (at render_open(), while the command may
 * still be root, so that a bad path stops it before it starts), and how a
 * file error is said: "--svg PATH: reason".  The --graph picture (tsg.h)
 * is made the same way.  It prints nothing itself:
 * errors come back in the caller's buffer, and what a picture's budget
 * left out goes to the caller's warn function.
 */
#ifndef RENDER_H
#define RENDER_H

#include <stdint.h>
#include <stdio.h>

#include "decode.h"
#include "ladder.h"
#include "svg.h"
#include "tlsview.h"
#include "track.h"

struct render_opts {
	FILE		*text;		/* the ladder's stream; NULL: none */
	struct ladder_opts lo;		/* its mode and looks (lo.color is
					   decided from color) */
	const char	*color;		/* --color=WHEN, NULL: auto */
	const char	*svg_path;	/* --svg FILE ("-": stdout) */
	const char	*html_path;	/* --html FILE ("-": stdout) */
	const char	*graph_path;	/* --graph FILE ("-": stdout): the
					   time-sequence graph (tsg.h) of
					   conversation lo.only_conv, else
					   the first TCP one with data */
	const char	*title;		/* of the pictures */
	struct tlsview_opts tls;	/* the TLS layer's key log, preview */
	void		(*warn)(const char *);	/* says what a budget left
						   out, "--svg PATH: ..." */
};

/* The ladder that draws the --html page's transcript (svg.h). */
extern const struct svg_text render_transcript;

struct render;

/*
 * Make the sink: the picture files (created now), the collector of the
 * pictures, the ladder.  Returns NULL with the reason in err ("--svg
 * PATH: reason", "--html PATH: no temporary file for the transcript ...",
 * or memory), with no file left behind.
 */
struct render	*render_open(const struct render_opts *, char *, size_t);

/* The track_cb: one tracker event to every output. */
void	render_event(void *, const struct track_event *);

/*
 * The same, for a packet whose TLS events were decoded as it was
 * captured (seg, from render_tls_ahead()); NULL: decoded now.
 */
void	render_event_seg(struct render *, const struct track_event *,
	    const struct tlsview_seg *);

/* The TLS layer's tlsview_go_ahead() and tlsview_ahead() (tlsview.h). */
int	render_tls_go_ahead(struct render *, struct track_conv *);
int	render_tls_ahead(struct render *, struct track_conv *, int, uint32_t,
	    const struct decode_pkt *, struct tlsview_seg *);

/*
 * A socket call sockkit made at ts nanoseconds, errno 0 if it worked;
 * conv the conversation whose state it moved, or 0.
 */
void	render_call(struct render *, int64_t, uint64_t, const char *, int);

struct tsg_sample;

/* A TCP_INFO sample of one of sockkit's sockets, for the graph (tsg.h). */
void	render_sample(struct render *, const struct tsg_sample *);

/* This host's endpoint, marked "(this host)". */
void	render_set_local(struct render *, const struct decode_addr *,
	    uint16_t);

/* Packets the capture dropped, for the verdicts (live capture only). */
void	render_set_drops(struct render *, uint64_t, int);

/* Whether a ladder is drawn (its verdicts then say what was dropped). */
int	render_has_text(const struct render *);

/*
 * The ladder's last words, then the pictures written and their files
 * closed ("-": stdout flushed), and free.  Returns 0, or -1 with the
 * first failure in err ("--svg PATH: reason").  NULL is a no-op.
 */
int	render_close(struct render *, char *, size_t);

#endif

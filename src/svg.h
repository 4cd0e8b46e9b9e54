/*
 * svg.h: tracker events -> a picture.  A sequence diagram per conversation
 * (two lanes, one arrow per packet, time flowing down), as a standalone SVG
 * document or a self-contained HTML page that also holds the text ladder.
 * The scale needs every time, so events are collected and the document is
 * written at the end.  It writes only to the stream it is given, and keeps
 * the HTML page's transcript in an unlinked temporary file.
 *
 * Memory is bounded whatever comes in: a picture draws at most max_convs
 * conversations and max_items packets and socket calls, and its transcript
 * holds at most max_transcript bytes.  What was left out is said in the
 * picture, and svg_left_out() says it for the command to print.
 */
#ifndef SVG_H
#define SVG_H

#include <stdint.h>
#include <stdio.h>

#include "decode.h"
#include "track.h"

/*
 * The text renderer that draws the HTML page's transcript (the ladder:
 * render.h's render_transcript), handed in so that this module keeps the
 * transcript's stream, budget and state without knowing how it is drawn:
 * open(fp, preview, full, only_conv) makes one writing to fp (NULL: out
 * of memory); the others are its track_cb, its socket calls, this host's
 * endpoint, the capture's drops, and its last words and free.
 */
struct svg_text {
	void	*(*open)(FILE *, int, int, uint64_t);
	void	 (*event)(void *, const struct track_event *);
	void	 (*call)(void *, int64_t, const char *, int);
	void	 (*here)(void *, const struct decode_addr *, uint16_t);
	void	 (*drops)(void *, uint64_t, int);
	void	 (*close)(void *);
};

struct svg_opts {
	int		 preview;	/* payload bytes in the labels, 0: none */
	uint64_t	 only_conv;	/* draw conversation N only, 0: all */
	int		 transcript;	/* keep the text ladder for svg_html() */
	const struct svg_text *text;	/* which draws it (transcript only) */
	int		 full;		/* the transcript folds nothing */
	const char	*title;		/* what the picture shows */
	size_t		 max_convs;	/* conversations drawn, 0: the default */
	size_t		 max_items;	/* packets and calls drawn, 0: default */
	size_t		 max_transcript; /* bytes of transcript, 0: default */
};

/* The budget of a picture; doc/sockkit.1 gives these figures. */
#define SVG_MAX_CONVS		1000
#define SVG_MAX_ITEMS		20000
#define SVG_MAX_TRANSCRIPT	(16 * 1024 * 1024)

struct svg;

/*
 * A collector; NULL with errno when out of memory or, with a transcript,
 * when no temporary file could be made ($TMPDIR, else /tmp).
 */
struct svg	*svg_new(const struct svg_opts *);

/* The track_cb: keep one tracker event. */
void	svg_event(void *, const struct track_event *);

/* A socket call sockkit made at ts nanoseconds, errno 0 if it worked. */
void	svg_call(struct svg *, int64_t, const char *, int);

/* This host's endpoint, marked "(this host)" on its lane. */
void	svg_set_local(struct svg *, const struct decode_addr *, uint16_t);

/* Packets the capture dropped, for the verdicts (live capture only). */
void	svg_set_drops(struct svg *, uint64_t, int);

/*
 * Write the SVG document (svg_write) or the HTML page (svg_html) to fp.
 * Returns 0, or -1 with errno when writing failed or when memory ran out
 * while the events were kept (ENOMEM: the picture would be incomplete).
 */
int	svg_write(struct svg *, FILE *);
int	svg_html(struct svg *, FILE *);

/*
 * The HTML page with a second picture under the diagram: graph (when not
 * NULL) writes it to fp as an inline SVG element, returning 0 or -1 with
 * errno; the page lets the reader zoom it (no script).
 */
int	svg_html_graph(struct svg *, FILE *, int (*)(void *, FILE *), void *);

/*
 * What the budget left out of the picture (and with html, of its
 * transcript: call it after svg_html()), as one sentence in buf without
 * "sockkit: ".  Returns 0 when nothing was left out, else 1.
 */
int	svg_left_out(const struct svg *, int, char *, size_t);

/* Write s as XML text: entities for markup, nothing that is not UTF-8. */
void	svg_xml_text(FILE *, const char *, size_t);

void	svg_free(struct svg *);

#endif

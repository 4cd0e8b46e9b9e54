/*
 * ladder.h: tracker events -> text.  A ladder diagram (two lanes per
 * conversation, arrows in the true direction), one JSON object per event,
 * or one summary line per conversation.  The renderer writes only to the
 * stream it is given and keeps no global state.
 */
#ifndef LADDER_H
#define LADDER_H

#include <stdint.h>
#include <stdio.h>

#include "decode.h"
#include "track.h"
#include "words.h"

enum ladder_mode {
	LADDER_DRAW,		/* the ladder */
	LADDER_JSON,		/* one JSON object per event per line */
	LADDER_SUMMARY,		/* one line per conversation */
	LADDER_SUMMARY_JSON,	/* one JSON object per conversation */
};

struct ladder_opts {
	enum ladder_mode mode;
	int		 full;		/* --full: never fold data phases */
	int		 color;		/* ANSI colours */
	int		 ascii;		/* no box-drawing characters */
	int		 preview;	/* payload bytes shown, 0: none */
	uint64_t	 only_conv;	/* --conv N, 0: all */
	struct words_here here;		/* this host's endpoint, marked */
};

struct ladder;

/* A renderer writing to fp; NULL when out of memory. */
struct ladder	*ladder_new(FILE *, const struct ladder_opts *);

/* The track_cb: draw one tracker event. */
void	ladder_event(void *, const struct track_event *);

/*
 * A socket call sockkit made ("connect()", "send 5") at ts nanoseconds,
 * with errno (0 for none) when it failed.
 */
void	ladder_call(struct ladder *, int64_t, const char *, int);

/* The same for a call that moved conversation conv's state (JSON: "conv"). */
void	ladder_call_conv(struct ladder *, int64_t, uint64_t, const char *,
	    int);

/* This host's endpoint, marked "(this host)" in the lanes. */
void	ladder_set_local(struct ladder *, const struct decode_addr *,
	    uint16_t);

/* Packets the capture dropped, for the verdicts (live capture only). */
void	ladder_set_drops(struct ladder *, uint64_t, int);

/* The last words (packets not drawn) and free the renderer. */
void	ladder_free(struct ladder *);

/* Write s as a JSON string (quotes included) with every escape needed. */
void	ladder_json_string(FILE *, const uint8_t *, size_t);

/*
 * --color=WHEN: 1 for colours, 0 without, -1 when WHEN is not auto,
 * always or never; tty says whether auto would colour.
 */
int	ladder_color_when(const char *, int);

#endif

/*
 * replay.h: a capture file read back through decode -> track to a
 * callback (a render sink's render_event, or a wrapper of it), for the
 * commands that draw one: view, and probe, which reads back its own.
 */
#ifndef REPLAY_H
#define REPLAY_H

#include <stddef.h>
#include <stdio.h>

#include <pcap/pcap.h>

#include "track.h"

/*
 * The capture file at path, or (fd > 0) the one open on fd, read from
 * its start through a descriptor of its own (path then only names it),
 * with nanosecond times.  NULL with errbuf (PCAP_ERRBUF_SIZE).
 */
pcap_t	*replay_open(const char *, int, char *);

/*
 * Take only what the BPF expression expr takes (tcpdump syntax; "" takes
 * everything).  Returns 0; -1 with "bad filter 'EXPR': why" in err when
 * it does not compile; -2 with "filter 'EXPR': why" when it could not be
 * set.
 */
int	replay_filter(pcap_t *, const char *, char *, size_t);

/*
 * Feed every packet of p to a tracker of at most max_convs conversations
 * (with a look-ahead of one packet: the next is in the file) and its
 * events to cb, until the file ends, sk_interrupted is set, or out (when
 * not NULL) fails ("| head" went away); then finish the tracker.  Returns
 * 0, or -1 with the reason in err after a read error (what was read is
 * drawn) or when memory ran out.
 */
int	replay_run(pcap_t *, size_t, track_cb, void *, FILE *, char *,
	    size_t);

#endif

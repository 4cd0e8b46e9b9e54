/*
 * probe-merge.h: "sockkit probe --merge": nmap XML reports (sockkit's own
 * -oX, or nmap's) read back and joined into one run, so that a job split
 * with --shard across machines ends as one report.  The reader takes
 * untrusted bytes through bounds-checked cursors; nothing here prints or
 * exits.
 */
#ifndef PROBE_MERGE_H
#define PROBE_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "probe.h"
#include "probe-report.h"
#include "targets.h"

#define MERGE_TCP	1
#define MERGE_UDP	2

/* One run made of several reports. */
struct merge {
	struct tgt_set		 set;	/* every host of every file */
	struct probe_result	*res;	/* their listed ports, by host and
					   port; banners as text */
	size_t			 nres, rescap;
	struct probe_hcount	*hc;
	struct report_tally	 tally;
	struct merge_extra	*extra;	/* unlisted counts, until the
					   hosts are known */
	size_t			 nextra, extracap;
	int			 proto;	/* 0 unknown, MERGE_TCP, MERGE_UDP */
	uint8_t			 bits[65536 / 8]; /* the ports scanned, in
					   any file */
	long long		 start, end;	/* Unix times */
	double			 elapsed;	/* the longest */
	uint64_t		 duplicates;	/* ports in two files */
};

/* Start an empty merge; 0 or -1 (out of memory). */
int	merge_init(struct merge *);

/*
 * Add the report in buf[0, len) (named name in errors).  Returns 0, or -1
 * with err naming the file and what is wrong with it.
 */
int	merge_add(struct merge *, const char *, const char *, size_t, char *,
	    size_t);

/*
 * After the last file: fix the hosts, sort the ports (a port two files
 * list is kept once: counted in duplicates), count them.  Returns 0 or -1
 * with err.
 */
int	merge_finish(struct merge *, char *, size_t);
void	merge_free(struct merge *);

#endif

/*
 * probe-resume.h: the state file of an interrupted "sockkit probe"
 * (--state FILE), and reading it back for --resume FILE.  The file holds
 * the run's command line, the seed and how far its walk of the job space
 * got, every verdict so far (the listed ports one by one, the others as
 * counts), and the jobs that were in flight, which are probed again.
 * Nothing here prints or exits; errors go into the caller's buffer.
 */
#ifndef PROBE_RESUME_H
#define PROBE_RESUME_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "probe.h"
#include "probe-report.h"
#include "targets.h"

/* What a run had done when it stopped. */
struct resume_hosts {
	uint32_t	 idx;		/* index into the target set */
	char		 addr[64];	/* its address (and zone), to check
					   the set */
	struct probe_hcount n;
};
struct resume_tally {
	uint32_t	 host;
	uint8_t		 state, reason;
	uint32_t	 n;
};
struct resume {
	char		**argv;		/* the run's words, "probe" first */
	int		  argc;
	uint64_t	  seed;
	uint64_t	  given;	/* jobs the walk had handed out */
	double		  elapsed;	/* seconds, all runs so far */
	long long	  start;	/* the first run's, Unix time */
	struct resume_hosts *host;
	size_t		  nhost;
	struct probe_result *port;	/* listed; banner: escaped text */
	size_t		  nport;
	struct resume_tally *tally;
	size_t		  ntally;
	struct tgt_hp	 *pending;	/* in flight: to probe again */
	size_t		  npending;
};

/* Where a run is, for resume_write(). */
struct resume_at {
	int		  argc;
	char		**argv;
	uint64_t	  seed, given;
	double		  elapsed;
	long long	  start;
	const struct tgt_hp *pending;
	size_t		  npending;
};

/*
 * Write the state of run (its set, listed ports, counts and tally) and
 * where it was to fp.  Returns 0, or -1 with err (a write failed).
 */
int	resume_write(FILE *, const struct report_run *, const struct resume_at *,
	    char *, size_t);

/*
 * Read a state file into *r (resume_free() it).  Returns 0, or -1 with
 * err: unreadable, empty (the run it was written for finished) or not a
 * state file, naming the line.
 */
int	resume_read(FILE *, struct resume *, char *, size_t);
void	resume_free(struct resume *);

/*
 * Check r's hosts against set (the targets must resolve as they did).
 * Returns 0, or -1 with err naming the first host that differs.
 */
int	resume_check(const struct resume *, const struct tgt_set *, char *,
	    size_t);

/*
 * Hand r's verdicts to a resumed run (after resume_check()): the counts
 * into hc, the unlisted ports into t (when it is kept), the listed ports
 * as *res (which must be empty; r gives them up).  Returns 0 or -1 (out
 * of memory).
 */
int	resume_restore(struct resume *, struct probe_hcount *,
	    struct report_tally *, struct probe_result **, size_t *, size_t *);

#endif

/*
 * step.h: classroom mode.  A finished ladder (the text the render sink
 * wrote) replayed one step at a time: a step is a line with a time (a
 * packet or a socket call) and the lines under it (its notes), followed
 * by a line naming the step and both ends' states.  With step set each
 * waits for a line (Enter) on the control fd; with a speed the steps come
 * at their own pace, scaled.
 */
#ifndef STEP_H
#define STEP_H

#include <stdio.h>

struct step_opts {
	int		 step;		/* --step: wait for Enter */
	double		 speed;		/* --speed X, 0: none */
	int		 ctl_fd;	/* where Enter comes from */
};

/* The longest wait between two steps at any speed, in ms. */
#define STEP_MAX_WAIT_MS	3000

/*
 * Take option ch, OPT_STEP or OPT_SPEED (its value val: a factor from
 * 0.01 to 1000), into o.  Returns 0, or -1 with the reason in err.
 */
int	step_parse(struct step_opts *, int, const char *, char *, size_t);

/*
 * Replay the ladder text of in onto out.  Returns 0 at the end, 1 when
 * the reader quit (q, or the end of the control input), -1 with errno
 * when reading or writing failed.
 */
int	step_replay(FILE *, FILE *, const struct step_opts *);

#endif

/*
 * step.c: classroom mode (step.h): the ladder's text replayed step by
 * step, each with the states its two ends are in.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "optid.h"
#include "step.h"
#include "util.h"

#define STEP_LINE	4096
#define STATE_LEN	24

/* What the replay knows: the states drawn last, the step it is at. */
struct stepper {
	char		 st[2][STATE_LEN];	/* A's and B's */
	unsigned	 n;			/* steps shown */
	double		 t;			/* the last step's ms, -1: none */
};

static const char *const step_states[] = { "CLOSED", "LISTEN", "SYN_SENT",
    "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2",
    "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT", "?", NULL };

/* Whether the word w (len bytes) is a state's name. */
static int
is_state(const char *w, size_t len)
{
	int	 i;

	for (i = 0; step_states[i] != NULL; i++)
		if (strlen(step_states[i]) == len &&
		    strncmp(step_states[i], w, len) == 0)
			return 1;
	return 0;
}

/* Copy the word w (len bytes) into the state of end e. */
static void
set_state(struct stepper *s, int e, const char *w, size_t len)
{
	if (len >= STATE_LEN)
		len = STATE_LEN - 1;
	memcpy(s->st[e], w, len);
	s->st[e][len] = '\0';
}

/*
 * A line's time column in ms: the number that starts it (after spaces)
 * when two spaces follow it.  Returns 1 and sets *ms, else 0.
 */
static int
line_time(const char *l, double *ms)
{
	char	*end;

	while (*l == ' ')
		l++;
	if (*l < '0' || *l > '9')
		return 0;
	*ms = strtod(l, &end);
	return end[0] == ' ' && end[1] == ' ';
}

/* The last word of l, its length in *len; NULL when none. */
static const char *
last_word(const char *l, size_t *len)
{
	size_t	 e = strlen(l), b;

	while (e > 0 && (l[e - 1] == ' ' || l[e - 1] == '\n'))
		e--;
	for (b = e; b > 0 && l[b - 1] != ' '; b--)
		;
	*len = e - b;
	return e > b ? l + b : NULL;
}

/* The first word of l at *w, its length; 0 when none. */
static size_t
first_word(const char *l, const char **w)
{
	*w = l + strspn(l, " ");
	return strcspn(*w, " \n");
}

/*
 * The states line l draws: a call's "; A: X -> Y", a note's "A: X -> Y",
 * the two columns under a conversation's head, a packet's (the first
 * word after the time, the last of the line).
 */
static void
take_states(struct stepper *s, const char *l, int timed)
{
	const char	*w, *p;
	size_t		 len, n;

	if ((p = strstr(l, "; A: ")) != NULL ||
	    (p = strstr(l, "; B: ")) != NULL) {
		if ((w = last_word(p, &len)) != NULL && is_state(w, len))
			set_state(s, p[2] == 'B', w, len);
		return;
	}
	if (strstr(l, "this host: ") != NULL)
		return;
	n = first_word(l, &w);
	if (!timed && n == 2 && (w[0] == 'A' || w[0] == 'B') && w[1] == ':') {
		if ((p = last_word(l, &len)) != NULL && is_state(p, len))
			set_state(s, w[0] == 'B', p, len);
		return;
	}
	if (timed)
		n = first_word(w + n, &w);
	if (!is_state(w, n))
		n = 0;
	else if (timed || (p = last_word(l, &len)) != w)
		set_state(s, 0, w, n);
	if ((p = last_word(l, &len)) != NULL && p != w && is_state(p, len) &&
	    (timed || n > 0))
		set_state(s, 1, p, len);
}

/*
 * Wait before step number n: for a line on the control fd (--step), or
 * the step's own time scaled (--speed).  Returns 0, or 1 to quit.
 */
static int
step_wait(struct stepper *s, FILE *out, const struct step_opts *o,
    double t)
{
	char	 c = 0;
	ssize_t	 r;
	double	 ms;

	if (o->step) {
		fprintf(out, "-- step %u  A: %s  B: %s  (Enter: next, q: quit) --",
		    s->n, s->st[0], s->st[1]);
		fflush(out);
		do {
			if ((r = read(o->ctl_fd, &c, 1)) == -1 && errno != EINTR)
				return 1;
			if (r == 0 || c == 'q')
				return 1;
		} while (r == -1 || c != '\n');
		if (!isatty(o->ctl_fd))
			fputc('\n', out);	/* a terminal echoed it */
		return 0;
	}
	fprintf(out, "-- step %u  A: %s  B: %s --\n", s->n, s->st[0], s->st[1]);
	fflush(out);
	ms = s->t >= 0 && t > s->t ? (t - s->t) / o->speed : 0;
	if (ms > STEP_MAX_WAIT_MS)
		ms = STEP_MAX_WAIT_MS;
	if (ms > 0)
		poll(NULL, 0, (int)ms);
	return 0;
}

int
step_parse(struct step_opts *o, int ch, const char *val, char *err,
    size_t errlen)
{
	char	*end;

	if (ch == OPT_STEP) {
		o->step = 1;
		return 0;
	}
	o->speed = strtod(val, &end);
	if (end == val || *end != '\0' || !(o->speed >= 0.01 &&
	    o->speed <= 1000)) {
		snprintf(err, errlen, "--speed '%s': expected a factor from "
		    "0.01 to 1000", val);
		return -1;
	}
	return 0;
}

int
step_replay(FILE *in, FILE *out, const struct step_opts *o)
{
	struct stepper	 s;
	char		 l[STEP_LINE];
	double		 t;
	int		 timed;

	memset(&s, 0, sizeof s);
	strcpy(s.st[0], "?");
	strcpy(s.st[1], "?");
	s.t = -1;
	while (fgets(l, sizeof l, in) != NULL && !sk_interrupted) {
		timed = line_time(l, &t);
		if (timed && s.n > 0 && step_wait(&s, out, o, t) == 1) {
			fputs("\n-- stopped --\n", out);
			return 1;
		}
		if (timed) {
			s.n++;
			s.t = t;
		}
		if (strncmp(l, "conversation ", 13) == 0)
			strcpy(s.st[0], "?"), strcpy(s.st[1], "?");
		take_states(&s, l, timed);
		fputs(l, out);
	}
	if (s.n > 0)
		fprintf(out, "-- step %u  A: %s  B: %s: the end --\n", s.n,
		    s.st[0], s.st[1]);
	fflush(out);
	return ferror(in) || ferror(out) ? -1 : 0;
}

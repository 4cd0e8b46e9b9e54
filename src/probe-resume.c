/*
 * probe-resume.c: the state file of an interrupted probe, written and read
 * back.  One record a line, a keyword first:
 *
 *	sockkit probe state 1
 *	arg WORD		the command line, a word a line (\\ and \n)
 *	seed N, given N, elapsed SECS, start UNIXTIME
 *	host IDX ADDR N_OPEN N_CLOSED N_FILTERED N_OPEN_FILTERED
 *	port IDX PORT STATE WHY ICMP6 TYPE CODE TRIES ERR RTT_US FROM BLEN =BANNER
 *	tally IDX STATE REASON N
 *	pending IDX PORT
 *	end
 *
 * masscan's paused.conf is the idea; this one also keeps the verdicts, so
 * that the resumed run's reports are those of a run never interrupted.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "probe-resume.h"

#define RESUME_MAGIC	"sockkit probe state 1"
#define RESUME_FIELDS	16	/* the most in one record */

static void	put_word(FILE *, const char *);
static void	put_port(FILE *, const struct probe_result *);
static int	split(char *, char **, int);
static int	num(const char *, uint64_t, uint64_t *);
static int	read_line(struct resume *, char **, int, char *, size_t);
static int	read_port(struct resume *, char **, int);
static char	*unescape(const char *);

/* A command-line word, with backslash and newline escaped. */
static void
put_word(FILE *fp, const char *s)
{
	fputs("arg ", fp);
	for (; *s != '\0'; s++)
		if (*s == '\\')
			fputs("\\\\", fp);
		else if (*s == '\n')
			fputs("\\n", fp);
		else
			putc(*s, fp);
	putc('\n', fp);
}

/* A listed port's verdict; its banner is already escaped text. */
static void
put_port(FILE *fp, const struct probe_result *r)
{
	char	 from[NET_ADDRSTRLEN] = "-";

	if (r->from_family != 0)
		inet_ntop(r->from_family, r->from, from, sizeof from);
	fprintf(fp, "port %" PRIu32 " %u %u %u %u %u %u %u %d %" PRId64
	    " %s %d %s%s\n", r->host, r->port, r->state, r->why, r->icmp6,
	    r->icmp_type, r->icmp_code, r->tries, r->err, r->rtt_us, from,
	    r->banner_len, r->banner != NULL ? "=" : "-",
	    r->banner != NULL ? (const char *)r->banner : "");
}

int
resume_write(FILE *fp, const struct report_run *run,
    const struct resume_at *at, char *err, size_t errlen)
{
	const struct report_tent	*e;
	const uint32_t			*n;
	char				 a[NET_ADDRSTRLEN + 300];
	size_t				 i;
	uint32_t			 h, k;

	fprintf(fp, "%s\n", RESUME_MAGIC);
	for (i = 0; i < (size_t)at->argc; i++)
		put_word(fp, at->argv[i]);
	fprintf(fp, "seed %" PRIu64 "\ngiven %" PRIu64 "\nelapsed %.6f\n"
	    "start %lld\n", at->seed, at->given, at->elapsed, at->start);
	for (h = 0; h < run->set->nhost; h++) {
		n = run->hc[h].n;
		if (n[0] + n[1] + n[2] + n[3] > 0)
			fprintf(fp, "host %" PRIu32 " %s %u %u %u %u\n", h,
			    report_host(run->set, h, 0, a, sizeof a), n[0],
			    n[1], n[2], n[3]);
		for (k = run->tally->head != NULL ? run->tally->head[h] : 0;
		    k != 0; k = e->next) {
			e = &run->tally->e[k - 1];
			fprintf(fp, "tally %" PRIu32 " %u %s %u\n", h, e->state,
			    report_reason_word(e->reason), e->n);
		}
	}
	for (i = 0; i < run->nres; i++)
		put_port(fp, &run->res[i]);
	for (i = 0; i < at->npending; i++)
		fprintf(fp, "pending %" PRIu32 " %u\n", at->pending[i].host,
		    at->pending[i].port);
	fprintf(fp, "end\n");
	if (fflush(fp) == EOF || ferror(fp))
		return snprintf(err, errlen, "%s", strerror(errno)), -1;
	return 0;
}

/*
 * Split line at spaces into at most max fields, the last one the rest of
 * the line.  Returns the number of fields.
 */
static int
split(char *line, char **f, int max)
{
	int	 n = 0;

	while (*line != '\0' && n < max) {
		f[n++] = line;
		if (n == max)
			break;
		if ((line = strchr(line, ' ')) == NULL)
			break;
		*line++ = '\0';
	}
	return n;
}

/* A decimal number up to max into *v; 0, or -1 when it is not one. */
static int
num(const char *s, uint64_t max, uint64_t *v)
{
	char	*end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return *end != '\0' || errno != 0 || *v > max ? -1 : 0;
}

/* A word of "arg", its escapes undone; NULL when out of memory. */
static char *
unescape(const char *s)
{
	char	*w, *p;

	if ((w = p = malloc(strlen(s) + 1)) == NULL)
		return NULL;
	for (; *s != '\0'; s++) {
		if (*s == '\\' && (s[1] == '\\' || s[1] == 'n')) {
			*p++ = *++s == 'n' ? '\n' : '\\';
			continue;
		}
		*p++ = *s;
	}
	*p = '\0';
	return w;
}

/* Grow *v of *n items of size sz by one; the new item, or NULL. */
static void *
grow(void *v, size_t *n, size_t sz)
{
	char	*nv;

	if ((nv = realloc(*(void **)v, (*n + 1) * sz)) == NULL)
		return NULL;
	*(void **)v = nv;
	memset(nv + *n * sz, 0, sz);
	return nv + (*n)++ * sz;
}

/* A "port" record; 0, or -1 when it is malformed or memory is out. */
static int
read_port(struct resume *r, char **f, int n)
{
	struct probe_result	*p;
	uint64_t		 v[10];
	int			 i, fam;

	if (n != 14)
		return -1;
	for (i = 0; i < 10; i++)
		if (num(f[i + 1], i == 9 ? INT64_MAX : UINT32_MAX, &v[i]) == -1 &&
		    !(i == 9 && strcmp(f[i + 1], "-1") == 0))
			return -1;
	if (strcmp(f[10], "-1") == 0)
		v[9] = (uint64_t)-1;
	if (v[1] > 65535 || v[2] >= PROBE_NSTATES || v[3] > WHY_ERRNO ||
	    v[4] > 1 || v[5] > 255 || v[6] > 255 || v[7] > 255 ||
	    (p = grow(&r->port, &r->nport, sizeof *p)) == NULL)
		return -1;
	p->host = (uint32_t)v[0];
	p->port = (uint16_t)v[1];
	p->state = (uint8_t)v[2];
	p->why = (uint8_t)v[3];
	p->icmp6 = (uint8_t)v[4];
	p->icmp_type = (uint8_t)v[5];
	p->icmp_code = (uint8_t)v[6];
	p->tries = (uint8_t)v[7];
	p->err = (int)v[8];
	p->rtt_us = (int64_t)v[9];
	fam = strchr(f[11], ':') != NULL ? AF_INET6 : AF_INET;
	if (strcmp(f[11], "-") != 0) {
		if (inet_pton(fam, f[11], p->from) != 1)
			return -1;
		p->from_family = fam;
	}
	p->banner_len = atoi(f[12]);
	if (p->banner_len < -1 || p->banner_len > PROBE_BANNER_MAX)
		return -1;
	if (f[13][0] == '=' && (p->banner = (const uint8_t *)strdup(f[13] +
	    1)) == NULL)
		return -1;
	return f[13][0] == '=' || f[13][0] == '-' ? 0 : -1;
}

/* One record of a state file into r; 0, 1 at "end", or -1 with err. */
static int
read_line(struct resume *r, char **f, int n, char *err, size_t errlen)
{
	struct resume_hosts	*h;
	struct resume_tally	*t;
	struct tgt_hp		*hp;
	uint64_t		 v[5];
	char			**argv;
	int			 i;

	if (strcmp(f[0], "end") == 0 && n == 1)
		return 1;
	if (strcmp(f[0], "arg") == 0 && n == 2) {
		if ((argv = realloc(r->argv, (r->argc + 2) * sizeof *argv)) ==
		    NULL)
			return snprintf(err, errlen, "out of memory"), -1;
		r->argv = argv;
		if ((argv[r->argc] = unescape(f[1])) == NULL)
			return snprintf(err, errlen, "out of memory"), -1;
		argv[++r->argc] = NULL;
		return 0;
	}
	if (n == 2 && (strcmp(f[0], "seed") == 0 || strcmp(f[0], "given") == 0 ||
	    strcmp(f[0], "start") == 0) && num(f[1], UINT64_MAX, &v[0]) == 0) {
		if (f[0][1] == 'e')
			r->seed = v[0];
		else if (f[0][0] == 'g')
			r->given = v[0];
		else
			r->start = (long long)v[0];
		return 0;
	}
	if (n == 2 && strcmp(f[0], "elapsed") == 0) {
		r->elapsed = strtod(f[1], NULL);
		return 0;
	}
	if (strcmp(f[0], "host") == 0 && n == 7) {
		for (i = 0; i < 5; i++)
			if (num(f[i == 0 ? 1 : i + 2], UINT32_MAX, &v[i]) == -1)
				return -1;
		if (strlen(f[2]) >= sizeof h->addr)
			return -1;
		if ((h = grow(&r->host, &r->nhost, sizeof *h)) == NULL)
			return snprintf(err, errlen, "out of memory"), -1;
		memcpy(h->addr, f[2], strlen(f[2]) + 1);
		h->idx = (uint32_t)v[0];
		for (i = 0; i < PROBE_NSTATES; i++)
			h->n.n[i] = (uint32_t)v[i + 1];
		return 0;
	}
	if (strcmp(f[0], "tally") == 0 && n == 5) {
		if (num(f[1], UINT32_MAX, &v[0]) == -1 ||
		    num(f[2], PROBE_NSTATES - 1, &v[1]) == -1 ||
		    (i = report_reason_find(f[3])) == -1 ||
		    num(f[4], UINT32_MAX, &v[2]) == -1)
			return -1;
		if ((t = grow(&r->tally, &r->ntally, sizeof *t)) == NULL)
			return snprintf(err, errlen, "out of memory"), -1;
		t->host = (uint32_t)v[0];
		t->state = (uint8_t)v[1];
		t->reason = (uint8_t)i;
		t->n = (uint32_t)v[2];
		return 0;
	}
	if (strcmp(f[0], "pending") == 0 && n == 3) {
		if (num(f[1], UINT32_MAX, &v[0]) == -1 ||
		    num(f[2], 65535, &v[1]) == -1)
			return -1;
		if ((hp = grow(&r->pending, &r->npending, sizeof *hp)) == NULL)
			return snprintf(err, errlen, "out of memory"), -1;
		hp->host = (uint32_t)v[0];
		hp->port = (uint16_t)v[1];
		return 0;
	}
	if (strcmp(f[0], "port") == 0)
		return read_port(r, f, n);
	return -1;
}

int
resume_read(FILE *fp, struct resume *r, char *err, size_t errlen)
{
	char		*line = NULL, *f[RESUME_FIELDS];
	size_t		 cap = 0;
	ssize_t		 len;
	unsigned long	 no = 0;
	int		 rc = -1, n;

	memset(r, 0, sizeof *r);
	err[0] = '\0';
	while ((len = getline(&line, &cap, fp)) != -1) {
		no++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (no == 1 && strcmp(line, RESUME_MAGIC) != 0) {
			snprintf(err, errlen, "not a probe state file (its first "
			    "line is not \"%s\")", RESUME_MAGIC);
			break;
		}
		if (no == 1)
			continue;
		n = split(line, f, strcmp(line, "port") == 0 ||
		    strncmp(line, "port ", 5) == 0 ? 14 : line[0] == 'a' ?
		    2 : RESUME_FIELDS);
		if (n == 0 || (rc = read_line(r, f, n, err, errlen)) == -1) {
			if (err[0] == '\0')
				snprintf(err, errlen, "line %lu is not a state "
				    "record", no);
			rc = -1;
			break;
		}
		if (rc == 1)
			break;
	}
	free(line);
	if (no == 0)
		snprintf(err, errlen, "empty: the run it was written for "
		    "finished, or never stopped early");
	else if (rc == 0 && err[0] == '\0')
		snprintf(err, errlen, "cut short: no \"end\" line");
	else if (rc == 1 && r->argc < 1)
		snprintf(err, errlen, "names no command line");
	if (rc == 1 && r->argc >= 1)
		return 0;
	resume_free(r);
	return -1;
}

void
resume_free(struct resume *r)
{
	size_t	 i;

	for (i = 0; i < (size_t)r->argc; i++)
		free(r->argv[i]);
	report_results_free(r->port, r->nport);
	free(r->argv);
	free(r->host);
	free(r->tally);
	free(r->pending);
	memset(r, 0, sizeof *r);
}

int
resume_check(const struct resume *r, const struct tgt_set *set, char *err,
    size_t errlen)
{
	char	 a[NET_ADDRSTRLEN + 300];
	size_t	 i;

	for (i = 0; i < r->nhost; i++)
		if (r->host[i].idx >= set->nhost || strcmp(report_host(set,
		    r->host[i].idx, 0, a, sizeof a), r->host[i].addr) != 0)
			return snprintf(err, errlen, "the targets are not what "
			    "they were: host %u was %s, now %s", r->host[i].idx,
			    r->host[i].addr, r->host[i].idx < set->nhost ? a :
			    "missing"), -1;
	for (i = 0; i < r->nport; i++)
		if (r->port[i].host >= set->nhost)
			return snprintf(err, errlen, "port record of host %u: "
			    "no such host", r->port[i].host), -1;
	for (i = 0; i < r->ntally; i++)
		if (r->tally[i].host >= set->nhost)
			return snprintf(err, errlen, "tally record of host %u: "
			    "no such host", r->tally[i].host), -1;
	for (i = 0; i < r->npending; i++)
		if (r->pending[i].host >= set->nhost)
			return snprintf(err, errlen, "pending record of host %u:"
			    " no such host", r->pending[i].host), -1;
	return 0;
}

int
resume_restore(struct resume *r, struct probe_hcount *hc,
    struct report_tally *t, struct probe_result **res, size_t *nres,
    size_t *rescap)
{
	size_t	 i;

	for (i = 0; i < r->nhost; i++)
		hc[r->host[i].idx] = r->host[i].n;
	for (i = 0; t->head != NULL && i < r->ntally; i++)
		if (report_tally_put(t, r->tally[i].host, r->tally[i].state,
		    r->tally[i].reason, r->tally[i].n) == -1)
			return -1;
	*res = r->port;
	*nres = *rescap = r->nport;
	r->port = NULL;
	r->nport = 0;
	return 0;
}

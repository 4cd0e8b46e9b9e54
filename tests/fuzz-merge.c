/*
 * fuzz-merge.c: a fuzz target for "sockkit probe --merge"'s reader of
 * nmap XML reports (src/probe-merge.c), which takes files from anyone.
 *
 * Input: one or more reports separated by a line "--8<--".  Properties:
 * the reader never crashes, leaks or reads out of bounds (the sanitizers
 * watch); a refusal says what it refused; a merge that succeeds lists
 * each (host, port) once, in order, within its hosts; and its own -oX,
 * read back, is the same run: the same probed hosts, listed ports with
 * their states, reasons and what --tls said, and counts per host.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "probe-merge.h"

const char *const fuzz_seed_dirs[] = { "fuzz/merge", "fuzz/regress/merge",
    NULL };

#define SEP		"--8<--\n"
#define MAX_FILES	4

/* Merge the reports in buf[0, len); 0, or -1 with err set. */
static int
merge_all(struct merge *m, const char *buf, size_t len, char *err,
    size_t errlen)
{
	const char	*p = buf, *end = buf + len, *q;
	int		 n;

	if (merge_init(m) == -1)
		abort();
	for (n = 0; n < MAX_FILES; n++) {
		q = memmem(p, (size_t)(end - p), SEP, sizeof SEP - 1);
		if (q == NULL || n == MAX_FILES - 1)
			q = end;
		if (merge_add(m, "f", p, (size_t)(q - p), err, errlen) == -1)
			return -1;
		if (q == end)
			break;
		p = q + sizeof SEP - 1;
	}
	return merge_finish(m, err, errlen);
}

/* The listed ports are in (host, port) order, once each, of known hosts. */
static void
check_order(const struct merge *m)
{
	size_t	 i;

	for (i = 0; i < m->nres; i++) {
		FUZZ_ASSERT(m->res[i].host < m->set.nhost);
		FUZZ_ASSERT(m->res[i].state < PROBE_NSTATES);
		if (i > 0)
			FUZZ_ASSERT(m->res[i - 1].host < m->res[i].host ||
			    (m->res[i - 1].host == m->res[i].host &&
			    m->res[i - 1].port < m->res[i].port));
	}
}

/* The run's -oX, in memory; free() it. */
static char *
merge_xml(const struct merge *m, size_t *len)
{
	struct report_run	 run;
	FILE			*f;
	char			*buf = NULL;

	memset(&run, 0, sizeof run);
	run.set = &m->set;
	run.res = m->res;
	run.nres = m->nres;
	run.hc = m->hc;
	run.tally = &m->tally;
	run.udp = m->proto == MERGE_UDP;
	run.args = "sockkit probe --merge";
	run.start = (time_t)m->start;
	run.end = (time_t)m->end;
	run.elapsed = m->elapsed;
	if ((f = open_memstream(&buf, len)) == NULL)
		abort();
	FUZZ_ASSERT(report_xml(f, &run) == 0);
	if (fclose(f) != 0)
		abort();
	return buf;
}

/*
 * The hosts with a verdict, in order: rank[h] is host h's place among
 * them, or UINT32_MAX for a host none of whose ports was probed (a report
 * leaves it out).  Returns how many there are; free() *rank.
 */
static uint32_t
probed_ranks(const struct merge *m, uint32_t **rank)
{
	uint32_t	 h, n = 0;
	int		 s, any;

	if ((*rank = calloc(m->set.nhost + 1, sizeof **rank)) == NULL)
		abort();
	for (h = 0; h < m->set.nhost; h++) {
		for (s = any = 0; s < PROBE_NSTATES; s++)
			any |= m->hc[h].n[s] != 0;
		(*rank)[h] = any ? n++ : UINT32_MAX;
	}
	return n;
}

/* What --tls said of a port survives a round trip. */
static void
check_tls(const struct probe_tls *a, const struct probe_tls *b)
{
	FUZZ_ASSERT((a == NULL) == (b == NULL));
	if (a == NULL)
		return;
	FUZZ_ASSERT(strcmp(a->error, b->error) == 0);
	if (a->error[0] != '\0')
		return;
	FUZZ_ASSERT(strcmp(a->version, b->version) == 0);
	FUZZ_ASSERT(strcmp(a->cipher, b->cipher) == 0);
	FUZZ_ASSERT(strcmp(a->alpn, b->alpn) == 0);
	FUZZ_ASSERT(strcmp(a->subject, b->subject) == 0);
	FUZZ_ASSERT(strcmp(a->fingerprint, b->fingerprint) == 0);
}

/* a and b describe the same run: its probed hosts, ports and counts. */
static void
check_same(const struct merge *a, const struct merge *b)
{
	uint32_t	*ra, *rb, h, g;
	size_t		 i;

	FUZZ_ASSERT(probed_ranks(a, &ra) == probed_ranks(b, &rb));
	FUZZ_ASSERT(a->nres == b->nres);
	for (i = 0; i < a->nres; i++) {
		FUZZ_ASSERT(ra[a->res[i].host] == rb[b->res[i].host]);
		FUZZ_ASSERT(a->res[i].port == b->res[i].port);
		FUZZ_ASSERT(a->res[i].state == b->res[i].state);
		FUZZ_ASSERT(a->res[i].why == b->res[i].why);
		check_tls(a->res[i].tls, b->res[i].tls);
	}
	for (h = g = 0; h < a->set.nhost; h++) {
		if (ra[h] == UINT32_MAX)
			continue;
		while (rb[g] == UINT32_MAX)
			g++;
		FUZZ_ASSERT(memcmp(a->hc[h].n, b->hc[g].n, sizeof a->hc[h].n)
		    == 0);
		g++;
	}
	free(ra);
	free(rb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct merge	 m, back;
	char		 err[1024], *xml;
	size_t		 len;

	err[0] = '\0';
	if (merge_all(&m, (const char *)data, size, err, sizeof err) == -1) {
		FUZZ_ASSERT(err[0] != '\0');
		merge_free(&m);
		return 0;
	}
	check_order(&m);
	xml = merge_xml(&m, &len);
	if (merge_all(&back, xml, len, err, sizeof err) == -1) {
		fprintf(stderr, "its own -oX refused: %s\n%.*s\n", err,
		    (int)len, xml);
		FUZZ_ASSERT(!"a merged run's -oX reads back");
	}
	check_same(&m, &back);
	merge_free(&back);
	merge_free(&m);
	free(xml);
	return 0;
}

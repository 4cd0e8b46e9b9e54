/*
 * keylog.c: the NSS key log store (keylog.h).
 *
 * The format (NSS's "Key Log Format", also draft-ietf-tls-keylogfile):
 * "LABEL SP CLIENT_RANDOM SP SECRET", both in hex, the client random 32
 * bytes, lines starting with '#' comments.  Connections are kept in a
 * hash of their client random; a random seen again gets its new secrets.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "keylog.h"

#define NBUCKET		4096

struct kl_conn {
	struct kl_conn	*next;		/* in its bucket */
	struct kl_conn	*newer;		/* in the order they came */
	uint8_t		 random[32];
	uint8_t		 len[KEYLOG_NLABELS];	/* 0: not logged */
	uint8_t		 secret[KEYLOG_NLABELS][KEYLOG_SECRET_MAX];
};

struct keylog {
	struct kl_conn	*bucket[NBUCKET];
	struct kl_conn	*oldest, *newest;
	size_t		 n;
	size_t		 window;	/* 0, or forget past this many */
};

static const char *const label_names[KEYLOG_NLABELS] = {
	"CLIENT_RANDOM", "CLIENT_EARLY_TRAFFIC_SECRET",
	"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
	"CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0",
	"EARLY_EXPORTER_SECRET", "EXPORTER_SECRET",
};

const char *
keylog_label_name(enum keylog_label l)
{
	return (unsigned)l < KEYLOG_NLABELS ? label_names[l] : "?";
}

struct keylog *
keylog_new(void)
{
	return calloc(1, sizeof (struct keylog));
}

void
keylog_free(struct keylog *kl)
{
	struct kl_conn	*c, *next;
	size_t		 i;

	if (kl == NULL)
		return;
	for (i = 0; i < NBUCKET; i++)
		for (c = kl->bucket[i]; c != NULL; c = next) {
			next = c->next;
			free(c);
		}
	free(kl);
}

void
keylog_set_window(struct keylog *kl, size_t n)
{
	kl->window = n;
}

size_t
keylog_count(const struct keylog *kl)
{
	return kl->n;
}

/* A hex digit's value, or -1. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The n hex digits at p into out (room for max bytes).  Returns the
 * bytes written, or -1 when n is odd, too long, or not all hex.
 */
static long
unhex(const char *p, size_t n, uint8_t *out, size_t max)
{
	size_t	 i;
	int	 hi, lo;

	if (n == 0 || n % 2 != 0 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		if ((hi = hexval(p[2 * i])) < 0 ||
		    (lo = hexval(p[2 * i + 1])) < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

/* The bucket of a client random: its first bytes are random already. */
static size_t
bucket_of(const uint8_t *random)
{
	return ((size_t)random[0] << 8 | random[1]) % NBUCKET;
}

/* The connection of random; NULL: none. */
static struct kl_conn *
conn_find(const struct keylog *kl, const uint8_t *random)
{
	struct kl_conn	*c;

	for (c = kl->bucket[bucket_of(random)]; c != NULL; c = c->next)
		if (memcmp(c->random, random, 32) == 0)
			return c;
	return NULL;
}

/* Forget the oldest connection. */
static void
conn_forget_oldest(struct keylog *kl)
{
	struct kl_conn	*c = kl->oldest, **pp;

	for (pp = &kl->bucket[bucket_of(c->random)]; *pp != c;
	    pp = &(*pp)->next)
		;
	*pp = c->next;
	if ((kl->oldest = c->newer) == NULL)
		kl->newest = NULL;
	kl->n--;
	free(c);
}

/* The connection of random, made if need be; NULL: full, or no memory. */
static struct kl_conn *
conn_get(struct keylog *kl, const uint8_t *random)
{
	struct kl_conn	*c, **head = &kl->bucket[bucket_of(random)];

	if ((c = conn_find(kl, random)) != NULL)
		return c;
	if (kl->window > 0 && kl->n >= kl->window)
		conn_forget_oldest(kl);
	if (kl->n >= KEYLOG_MAX || (c = calloc(1, sizeof *c)) == NULL)
		return NULL;
	memcpy(c->random, random, 32);
	c->next = *head;
	*head = c;
	if (kl->newest != NULL)
		kl->newest->newer = c;
	else
		kl->oldest = c;
	kl->newest = c;
	kl->n++;
	return c;
}

/* The label spelled by p (n bytes), or -1. */
static int
label_of(const char *p, size_t n)
{
	int	 i;

	for (i = 0; i < KEYLOG_NLABELS; i++)
		if (strlen(label_names[i]) == n &&
		    memcmp(label_names[i], p, n) == 0)
			return i;
	return -1;
}

/* Split p (n bytes) at spaces and tabs into at most 4 fields; the count. */
static int
fields(const char *p, size_t n, const char *f[4], size_t flen[4])
{
	size_t	 i = 0, s;
	int	 k = 0;

	while (i < n) {
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i == n)
			break;
		if (k == 4)
			return 5;
		for (s = i; i < n && p[i] != ' ' && p[i] != '\t'; i++)
			;
		f[k] = p + s;
		flen[k++] = i - s;
	}
	return k;
}

int
keylog_add_line(struct keylog *kl, const char *line, size_t n, char *err,
    size_t errlen)
{
	const char	*f[4];
	size_t		 flen[4];
	uint8_t		 random[32], secret[KEYLOG_SECRET_MAX];
	struct kl_conn	*c;
	long		 slen;
	int		 k, label;

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (n > KEYLOG_LINE_MAX) {
		snprintf(err, errlen, "a line of %zu bytes (at most %d)", n,
		    KEYLOG_LINE_MAX);
		return -1;
	}
	if ((k = fields(line, n, f, flen)) == 0 || f[0][0] == '#')
		return 0;
	if ((label = label_of(f[0], flen[0])) == -1)
		return 0;	/* RSA, a label of a later draft: not used */
	if (k != 3) {
		snprintf(err, errlen, "%s: expected 3 fields (LABEL "
		    "CLIENT_RANDOM SECRET), not %s%d", label_names[label],
		    k > 4 ? "more than " : "", k > 4 ? 4 : k);
		return -1;
	}
	if (flen[1] != 64 || unhex(f[1], 64, random, 32) != 32) {
		snprintf(err, errlen, "%s: the client random is not 64 hex "
		    "digits", label_names[label]);
		return -1;
	}
	if ((slen = unhex(f[2], flen[2], secret, sizeof secret)) == -1) {
		snprintf(err, errlen, "%s: the secret is not 2 to %d hex "
		    "digits", label_names[label], 2 * KEYLOG_SECRET_MAX);
		return -1;
	}
	if ((c = conn_get(kl, random)) == NULL) {
		snprintf(err, errlen, "%s", kl->n >= KEYLOG_MAX ? "more than "
		    "2^20 connections in the key log" : "out of memory");
		return -1;
	}
	memcpy(c->secret[label], secret, (size_t)slen);
	c->len[label] = (uint8_t)slen;
	return 1;
}

long
keylog_read(struct keylog *kl, FILE *fp, char *err, size_t errlen)
{
	char		 line[KEYLOG_LINE_MAX + 2], why[160];
	unsigned long	 nr = 0;
	long		 kept = 0;
	size_t		 n;
	int		 rc;

	while (fgets(line, sizeof line, fp) != NULL) {
		nr++;
		n = strlen(line);
		if (n == sizeof line - 1 && line[n - 1] != '\n') {
			snprintf(err, errlen, "line %lu: longer than %d bytes",
			    nr, KEYLOG_LINE_MAX);
			return -1;
		}
		if ((rc = keylog_add_line(kl, line, n, why, sizeof why)) ==
		    -1) {
			snprintf(err, errlen, "line %lu: %s", nr, why);
			return -1;
		}
		kept += rc;
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "read error after line %lu", nr);
		return -1;
	}
	return kept;
}

const uint8_t *
keylog_find(const struct keylog *kl, const uint8_t *random,
    enum keylog_label label, size_t *len)
{
	struct kl_conn	*c;

	if ((unsigned)label >= KEYLOG_NLABELS ||
	    (c = conn_find(kl, random)) == NULL ||
	    c->len[label] == 0)
		return NULL;
	*len = c->len[label];
	return c->secret[label];
}

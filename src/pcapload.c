/*
 * pcapload.c: the pcap_* functions sockkit calls, from a libpcap that is
 * loaded when a capture or a pcap file is first opened (see pcapload.h).
 *
 * libpcap as Debian builds it needs a dozen shared libraries (dbus,
 * systemd, gcrypt, zstd...); linked, they are loaded and relocated at
 * every start of sockkit, which was a third of a `connect -z` run.  Here
 * only the opening functions load it; every other wrapper is reached
 * through a handle one of them returned, so the table is filled by then.
 * Compiled only when configure found the soname (PCAP_SONAME).
 */
#include "config.h"

#include <stdio.h>

#include <pcap/pcap.h>

#include "pcapload.h"
#include "util.h"

/* Every function sockkit calls: one wrapper below for each. */
#define PCAPLOAD_FUNCS(X)						\
	X(pcap_activate) X(pcap_close) X(pcap_compile) X(pcap_create)	\
	X(pcap_datalink) X(pcap_datalink_val_to_name) X(pcap_dispatch)	\
	X(pcap_dump) X(pcap_dump_close) X(pcap_dump_flush)		\
	X(pcap_dump_fopen) X(pcap_dump_ftell64) X(pcap_freecode)	\
	X(pcap_get_selectable_fd) X(pcap_geterr) X(pcap_next_ex)	\
	X(pcap_open_dead_with_tstamp_precision)				\
	X(pcap_fopen_offline_with_tstamp_precision)			\
	X(pcap_open_offline_with_tstamp_precision)			\
	X(pcap_set_buffer_size) X(pcap_set_immediate_mode)		\
	X(pcap_set_snaplen) X(pcap_set_tstamp_precision) X(pcap_setfilter) \
	X(pcap_setnonblock) X(pcap_stats) X(pcap_statustostr)

/* The real functions, typed from pcap.h's own declarations. */
#define PCAPLOAD_POINTER(f)	__typeof__(f) *f;
static struct {
	PCAPLOAD_FUNCS(PCAPLOAD_POINTER)
} pl;

#define PCAPLOAD_ENTRY(f)	{ #f, (void **)(void *)&pl.f },
static const struct sk_dlsym pl_syms[] = {
	PCAPLOAD_FUNCS(PCAPLOAD_ENTRY)
};

static int	pl_state;		/* 0 not tried, 1 loaded, -1 failed */
static char	pl_why[PCAP_ERRBUF_SIZE];	/* why it failed */

/*
 * dlopen() libpcap once.  Returns 0 or -1 with pl_why: why it could not
 * be loaded and the package to install, or the first missing function
 * (a libpcap older than the 1.9 sockkit needs).
 */
static int
pl_load(void)
{
	if (pl_state == 0)
		pl_state = sk_dlopen(PCAP_SONAME, PCAP_PACKAGE,
		    "libpcap 1.9 or later", pl_syms, sizeof pl_syms /
		    sizeof pl_syms[0], pl_why, sizeof pl_why) != NULL ? 1 : -1;
	return pl_state == 1 ? 0 : -1;
}

int
pcapload_ready(char *err, size_t errlen)
{
	return sk_dlready(pl_load(), pl_why, err, errlen);
}

/* The opening functions: they load the library, or say why not. */
pcap_t *
pcap_create(const char *source, char *errbuf)
{
	if (pcapload_ready(errbuf, PCAP_ERRBUF_SIZE) == -1)
		return NULL;
	return pl.pcap_create(source, errbuf);
}

pcap_t *
pcap_open_offline_with_tstamp_precision(const char *fname, u_int prec,
    char *errbuf)
{
	if (pcapload_ready(errbuf, PCAP_ERRBUF_SIZE) == -1)
		return NULL;
	return pl.pcap_open_offline_with_tstamp_precision(fname, prec, errbuf);
}

pcap_t *
pcap_fopen_offline_with_tstamp_precision(FILE *fp, u_int prec, char *errbuf)
{
	if (pcapload_ready(errbuf, PCAP_ERRBUF_SIZE) == -1)
		return NULL;
	return pl.pcap_fopen_offline_with_tstamp_precision(fp, prec, errbuf);
}

/* Without an error buffer: callers ask pcapload_ready() first. */
pcap_t *
pcap_open_dead_with_tstamp_precision(int linktype, int snaplen, u_int prec)
{
	if (pl_load() == -1)
		return NULL;
	return pl.pcap_open_dead_with_tstamp_precision(linktype, snaplen, prec);
}

/* These two take no handle: answer even when nothing could be loaded. */
const char *
pcap_statustostr(int error)
{
	return pl_load() == 0 ? pl.pcap_statustostr(error) : pl_why;
}

const char *
pcap_datalink_val_to_name(int dlt)
{
	return pl_load() == 0 ? pl.pcap_datalink_val_to_name(dlt) : NULL;
}

/* The rest take what an opening function returned: pl is filled. */
int
pcap_activate(pcap_t *p)
{
	return pl.pcap_activate(p);
}

void
pcap_close(pcap_t *p)
{
	pl.pcap_close(p);
}

int
pcap_compile(pcap_t *p, struct bpf_program *prog, const char *expr,
    int optimize, bpf_u_int32 netmask)
{
	return pl.pcap_compile(p, prog, expr, optimize, netmask);
}

int
pcap_datalink(pcap_t *p)
{
	return pl.pcap_datalink(p);
}

int
pcap_dispatch(pcap_t *p, int cnt, pcap_handler cb, u_char *user)
{
	return pl.pcap_dispatch(p, cnt, cb, user);
}

void
pcap_dump(u_char *user, const struct pcap_pkthdr *h, const u_char *sp)
{
	pl.pcap_dump(user, h, sp);
}

void
pcap_dump_close(pcap_dumper_t *d)
{
	pl.pcap_dump_close(d);
}

int
pcap_dump_flush(pcap_dumper_t *d)
{
	return pl.pcap_dump_flush(d);
}

pcap_dumper_t *
pcap_dump_fopen(pcap_t *p, FILE *fp)
{
	return pl.pcap_dump_fopen(p, fp);
}

int64_t
pcap_dump_ftell64(pcap_dumper_t *d)
{
	return pl.pcap_dump_ftell64(d);
}

void
pcap_freecode(struct bpf_program *prog)
{
	pl.pcap_freecode(prog);
}

int
pcap_get_selectable_fd(pcap_t *p)
{
	return pl.pcap_get_selectable_fd(p);
}

char *
pcap_geterr(pcap_t *p)
{
	return pl.pcap_geterr(p);
}

int
pcap_next_ex(pcap_t *p, struct pcap_pkthdr **h, const u_char **data)
{
	return pl.pcap_next_ex(p, h, data);
}

/* The settings before pcap_activate(): int f(pcap_t *, int), all four. */
#define PCAPLOAD_SETTER(f)						\
int									\
f(pcap_t *p, int value)							\
{									\
	return pl.f(p, value);						\
}
PCAPLOAD_SETTER(pcap_set_buffer_size)
PCAPLOAD_SETTER(pcap_set_immediate_mode)
PCAPLOAD_SETTER(pcap_set_snaplen)
PCAPLOAD_SETTER(pcap_set_tstamp_precision)

int
pcap_setfilter(pcap_t *p, struct bpf_program *prog)
{
	return pl.pcap_setfilter(p, prog);
}

int
pcap_setnonblock(pcap_t *p, int on, char *errbuf)
{
	return pl.pcap_setnonblock(p, on, errbuf);
}

int
pcap_stats(pcap_t *p, struct pcap_stat *st)
{
	return pl.pcap_stats(p, st);
}

/*
 * replay.c: a capture file through decode -> track (replay.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "decode.h"
#include "replay.h"
#include "track.h"
#include "util.h"

pcap_t *
replay_open(const char *path, int fd, char *errbuf)
{
	FILE	*fp;
	pcap_t	*p;
	int	 fd2;

	if (fd <= 0)
		return pcap_open_offline_with_tstamp_precision(path,
		    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (lseek(fd, 0, SEEK_SET) == -1 || (fd2 = dup(fd)) == -1) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
		return NULL;
	}
	if ((fp = fdopen(fd2, "rb")) == NULL) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
		close(fd2);
		return NULL;
	}
	/* Unlike pcap_open_offline(), this leaves fp open on failure. */
	if ((p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, errbuf)) == NULL)
		fclose(fp);
	return p;
}

int
replay_filter(pcap_t *p, const char *expr, char *err, size_t errlen)
{
	struct bpf_program	 prog;
	int			 rc = 0;

	if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == -1) {
		snprintf(err, errlen, "bad filter '%s': %s", expr,
		    pcap_geterr(p));
		return -1;
	}
	if (pcap_setfilter(p, &prog) == -1) {
		snprintf(err, errlen, "filter '%s': %s", expr, pcap_geterr(p));
		rc = -2;
	}
	pcap_freecode(&prog);
	return rc;
}

int
replay_run(pcap_t *p, size_t max_convs, track_cb cb, void *arg, FILE *out,
    char *err, size_t errlen)
{
	struct pcap_pkthdr	*h;
	const u_char		*data;
	struct decode_pkt	 pk;
	struct track		*tr;
	uint64_t		 count = 0;
	int			 dlt = pcap_datalink(p), n = 0, rc = 0;

	if ((tr = track_new(max_convs)) == NULL) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -1;
	}
	track_set_lookahead(tr, 1);	/* a file: the next packet is here */
	while (!sk_interrupted && (n = pcap_next_ex(p, &h, &data)) >= 0) {
		if (n == 0)
			continue;
		if ((++count & 4095) == 0 && out != NULL && ferror(out))
			break;		/* "| head" went away: cb's end says so */
		decode_packet(dlt, data, h->caplen, h->len, &pk);
		track_packet(tr, (int64_t)h->ts.tv_sec * 1000000000 +
		    h->ts.tv_usec, &pk, cb, arg);
	}
	if (!sk_interrupted && n == PCAP_ERROR) {
		snprintf(err, errlen, "%s", pcap_geterr(p));
		rc = -1;
	}
	track_finish(tr, cb, arg);
	return rc;
}

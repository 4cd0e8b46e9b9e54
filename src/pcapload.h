/*
 * pcapload.h: libpcap, loaded on first use (src/pcapload.c).
 *
 * When configure found libpcap's soname (PCAP_SONAME), sockkit does not
 * link libpcap: pcapload.c defines the pcap_* functions sockkit calls,
 * each a wrapper that calls the real one through a table filled by
 * dlopen() and dlsym() when a capture or a pcap file is first opened.
 * Callers keep calling pcap_create() and the rest as usual; the opening
 * ones (pcap_create, pcap_open_offline_with_tstamp_precision) put the
 * reason into their error buffer when the library cannot be loaded.
 * A pcap_* function sockkit starts to call needs a wrapper there too:
 * without one, linking sockkit fails with an undefined reference.
 */
#ifndef SOCKKIT_PCAPLOAD_H
#define SOCKKIT_PCAPLOAD_H

#include <stddef.h>

#include "util.h"

#ifdef PCAP_SONAME
/*
 * Load libpcap now if it is not loaded: 0 when its functions can be
 * called, or -1 with one line in err naming the library, why it could
 * not be loaded and the package that holds it.  For callers whose first
 * pcap_* call has no error buffer (pcap_open_dead...).
 */
int	pcapload_ready(char *, size_t);
#else
/* libpcap is linked: it is always there. */
#define pcapload_ready(err, errlen)	sk_linked_ready(err, errlen)
#endif

#endif

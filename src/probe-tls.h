/*
 * probe-tls.h: "probe --tls" (src/probe-tls.c): the engine's open-port
 * conversation (probe.h's sess_* hooks) as a TLS handshake.  Built only
 * with OpenSSL.
 */
#ifndef PROBE_TLS_H
#define PROBE_TLS_H

#include <stddef.h>
#include <stdint.h>

struct probe_result;
struct tgt_set;
struct probe_tlsctx;

/*
 * The settings every handshake of a run shares (OpenSSL loaded here);
 * banner: read the service's first bytes through TLS as well.  Returns
 * NULL with err.
 */
struct probe_tlsctx *probe_tls_new(const struct tgt_set *, int, char *,
	    size_t);
void	probe_tls_free(struct probe_tlsctx *);

/* The hooks: sess_open's arg is the probe_tlsctx. */
void	*probe_tls_open(int, uint32_t, uint16_t, void *);
int	 probe_tls_step(void *, int *);
void	 probe_tls_done(void *, int, struct probe_result *);

#endif

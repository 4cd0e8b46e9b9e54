/*
 * sslload.c: the OpenSSL functions tls.c calls, from a libssl and a
 * libcrypto loaded on the first TLS connection (see sslload.h), as
 * pcapload.c loads libpcap.  Compiled only when configure found both
 * sonames (SSL_SONAME, CRYPTO_SONAME).
 */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "sslload.h"
#include "util.h"

struct sslload_fns sslload_fn;

#define SSLLOAD_ENTRY(f)	{ #f, (void **)(void *)&sslload_fn.f },
static const struct sk_dlsym sl_ssl[] = {
	SSLLOAD_SSL_FUNCS(SSLLOAD_ENTRY)
};
static const struct sk_dlsym sl_crypto[] = {
	SSLLOAD_CRYPTO_FUNCS(SSLLOAD_ENTRY)
};

static int	sl_state;		/* 0 not tried, 1 loaded, -1 failed */
static char	sl_why[300];		/* why it failed */

/*
 * dlopen() soname and fill the n slots of syms from it.  Returns the
 * handle, or NULL with sl_why: why it could not be loaded and the
 * package to install, or the first missing function (an OpenSSL before
 * 3).
 */
static void *
sl_open(const char *soname, const struct sk_dlsym *syms, size_t n)
{
	char	 why[sizeof sl_why - sizeof "TLS: " + 1];
	void	*h;

	if ((h = sk_dlopen(soname, SSL_PACKAGE, "OpenSSL 3", syms, n, why,
	    sizeof why)) == NULL)
		snprintf(sl_why, sizeof sl_why, "TLS: %s", why);
	return h;
}

/* Load both libraries once; 0 or -1 with sl_why. */
static int
sl_load(void)
{
	void	*crypto;

	if (sl_state != 0)
		return sl_state == 1 ? 0 : -1;
	sl_state = -1;
	if ((crypto = sl_open(CRYPTO_SONAME, sl_crypto, sizeof sl_crypto /
	    sizeof sl_crypto[0])) == NULL)
		return -1;
	if (sl_open(SSL_SONAME, sl_ssl, sizeof sl_ssl / sizeof sl_ssl[0]) ==
	    NULL) {
		memset(&sslload_fn, 0, sizeof sslload_fn);
		dlclose(crypto);
		return -1;
	}
	sl_state = 1;
	return 0;
}

int
sslload_ready(char *err, size_t errlen)
{
	return sk_dlready(sl_load(), sl_why, err, errlen);
}

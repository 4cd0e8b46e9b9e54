/*
 * sslload.c: the OpenSSL functions tls.c calls, from a libssl and a
 * libcrypto loaded on the first TLS connection (see sslload.h), as
 * pcapload.c loads libpcap.  Compiled only when configure found both
 * sonames (SSL_SONAME, CRYPTO_SONAME).
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sslload.h"

struct sslload_fns sslload_fn;

#define SSLLOAD_ENTRY(f)	{ #f, (void **)(void *)&sslload_fn.f },
struct sslload_sym {
	const char	*name;
	void		**slot;
};
static const struct sslload_sym sl_ssl[] = {
	SSLLOAD_SSL_FUNCS(SSLLOAD_ENTRY)
};
static const struct sslload_sym sl_crypto[] = {
	SSLLOAD_CRYPTO_FUNCS(SSLLOAD_ENTRY)
};

static int	sl_state;		/* 0 not tried, 1 loaded, -1 failed */
static char	sl_why[300];		/* why it failed */

/*
 * dlopen() soname.  Returns the handle, or NULL with sl_why: dlerror()'s
 * reason (without the soname it usually starts with) and the package.
 */
static void *
sl_open(const char *soname)
{
	const char	*why;
	void		*h;
	size_t		 n = strlen(soname);

	if ((h = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) != NULL)
		return h;
	if ((why = dlerror()) == NULL)
		why = "unknown error";
	if (strncmp(why, soname, n) == 0 && strncmp(why + n, ": ", 2) == 0)
		why += n + 2;
	snprintf(sl_why, sizeof sl_why, "TLS: cannot load %s: %s; install %s",
	    soname, why, SSL_PACKAGE);
	return NULL;
}

/*
 * Fill the n slots of syms from handle h of soname.  Returns 0, or -1
 * with sl_why naming the first missing function (an OpenSSL before 3).
 */
static int
sl_resolve(void *h, const char *soname, const struct sslload_sym *syms,
    size_t n)
{
	size_t	 i;
	void	*sym;

	for (i = 0; i < n; i++) {
		if ((sym = dlsym(h, syms[i].name)) == NULL) {
			snprintf(sl_why, sizeof sl_why, "TLS: cannot load %s: "
			    "it has no %s; sockkit needs OpenSSL 3", soname,
			    syms[i].name);
			return -1;
		}
		memcpy(syms[i].slot, &sym, sizeof sym);
	}
	return 0;
}

/* Load both libraries once; 0 or -1 with sl_why. */
static int
sl_load(void)
{
	void	*crypto, *ssl = NULL;

	if (sl_state != 0)
		return sl_state == 1 ? 0 : -1;
	sl_state = -1;
	if ((crypto = sl_open(CRYPTO_SONAME)) == NULL ||
	    (ssl = sl_open(SSL_SONAME)) == NULL ||
	    sl_resolve(crypto, CRYPTO_SONAME, sl_crypto, sizeof sl_crypto /
	    sizeof sl_crypto[0]) == -1 ||
	    sl_resolve(ssl, SSL_SONAME, sl_ssl, sizeof sl_ssl /
	    sizeof sl_ssl[0]) == -1) {
		memset(&sslload_fn, 0, sizeof sslload_fn);
		if (ssl != NULL)
			dlclose(ssl);
		if (crypto != NULL)
			dlclose(crypto);
		return -1;
	}
	sl_state = 1;
	return 0;
}

int
sslload_ready(char *err, size_t errlen)
{
	if (sl_load() == 0)
		return 0;
	snprintf(err, errlen, "%s", sl_why);
	errno = ELIBACC;
	return -1;
}

/*
 * bench/tls-min.c: the least a TLS 1.3 relay can do with OpenSSL, the
 * limit of bench/tls.sh.  Blocking sockets, one 256 KiB buffer, no
 * checks of the peer (the ends trust each other), AES-256-GCM as every
 * tool there picks, and the handshake they all make (the server sends
 * OpenSSL's default two session tickets, as sockkit, socat and ncat do):
 *
 *	tls-min server PORT CERT KEY	accept clients one by one; each:
 *					handshake, read all to stdout
 *	tls-min send PORT		handshake, stdin to the server
 *	tls-min hs PORT N		N full handshakes, one after another
 */
#include <netinet/in.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ssl.h>

#define BUF	(256 * 1024)

static int
tcp(int port, int server)
{
	struct sockaddr_in	 sin;
	int			 fd = socket(AF_INET, SOCK_STREAM, 0), on = 1;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (server ? bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(fd, 4096) == -1 : connect(fd, (struct sockaddr *)&sin,
	    sizeof sin) == -1) {
		perror("tls-min");
		exit(1);
	}
	return fd;
}

static void
serve(int port, const char *cert, const char *key)
{
	SSL_CTX	*ctx = SSL_CTX_new(TLS_server_method());
	char	*buf = malloc(BUF);
	size_t	 n;
	int	 lfd = tcp(port, 1), fd;
	SSL	*ssl;

	/* A client that closes before the tickets come must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
		exit(1);
	while ((fd = accept(lfd, NULL, NULL)) != -1) {
		ssl = SSL_new(ctx);
		SSL_set_fd(ssl, fd);
		if (SSL_accept(ssl) == 1)
			while (SSL_read_ex(ssl, buf, BUF, &n) == 1)
				if (fwrite(buf, 1, n, stdout) != n)
					break;
		SSL_shutdown(ssl);
		SSL_free(ssl);
		close(fd);
	}
}

static SSL *
dial(SSL_CTX *ctx, int port)
{
	SSL	*ssl = SSL_new(ctx);

	SSL_set_fd(ssl, tcp(port, 0));
	if (SSL_connect(ssl) != 1)
		exit(1);
	return ssl;
}

int
main(int argc, char **argv)
{
	SSL_CTX	*ctx;
	SSL	*ssl;
	char	*buf = malloc(BUF);
	ssize_t	 n;
	size_t	 w;
	long	 i;

	if (argc >= 5 && strcmp(argv[1], "server") == 0) {
		serve(atoi(argv[2]), argv[3], argv[4]);
		return 0;
	}
	ctx = SSL_CTX_new(TLS_client_method());
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (argc == 3 && strcmp(argv[1], "send") == 0) {
		ssl = dial(ctx, atoi(argv[2]));
		while ((n = read(0, buf, BUF)) > 0)
			if (SSL_write_ex(ssl, buf, (size_t)n, &w) != 1)
				return 1;
		SSL_shutdown(ssl);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "hs") == 0) {
		for (i = atol(argv[3]); i > 0; i--) {
			ssl = dial(ctx, atoi(argv[2]));
			SSL_shutdown(ssl);
			close(SSL_get_fd(ssl));
			SSL_free(ssl);
		}
		return 0;
	}
	fprintf(stderr, "usage: tls-min server PORT CERT KEY | send PORT | "
	    "hs PORT N\n");
	return 2;
}

/*
 * optid.h: the getopt_long() value of every long option that has no
 * letter, for every command, in one enum: no two can meet, and a new one
 * is one line here.  The shared options come first (cmd.c's table takes
 * them to capture.c, priv.c and streamopt.c); the commands' own follow.
 */
#ifndef OPTID_H
#define OPTID_H

enum opt_id {
	OPT_ID_FIRST = 256,		/* above every letter */

	/* Capture and drawing: capture_parse() takes them. */
	CAPTURE_OPT_TRACE = OPT_ID_FIRST, CAPTURE_OPT_WRITE,
	CAPTURE_OPT_JSON, CAPTURE_OPT_LINGER, CAPTURE_OPT_PREVIEW,
	CAPTURE_OPT_FULL, CAPTURE_OPT_COLOR, CAPTURE_OPT_ASCII,
	CAPTURE_OPT_SVG, CAPTURE_OPT_HTML, CAPTURE_OPT_GRAPH,
	CAPTURE_OPT_END,		/* one past the last */

	/* Privileges: priv_parse(). */
	PRIV_OPT_USER = CAPTURE_OPT_END, PRIV_OPT_NO_DROP,

	/* The stream commands' relay: stream_parse(). */
	STREAM_OPT_NO_SHUTDOWN, STREAM_OPT_SEQPACKET,
	STREAM_OPT_SEND_ONLY, STREAM_OPT_RECV_ONLY, STREAM_OPT_HEX_DUMP,
	STREAM_OPT_APPEND_OUTPUT,
	STREAM_OPT_TLS, STREAM_OPT_CA_FILE, STREAM_OPT_SNI,	/* TLS */
	STREAM_OPT_NO_SNI, STREAM_OPT_ALPN, STREAM_OPT_TLS_MIN,
	STREAM_OPT_TLS_MAX, STREAM_OPT_CERT, STREAM_OPT_KEY,
	STREAM_OPT_INSECURE, STREAM_OPT_KEYLOG, STREAM_OPT_VERIFY_CLIENT,
	STREAM_OPT_TLS_END,		/* one past the last TLS option */

	/* The commands' own; one name may serve several commands. */
	OPT_ALLOW, OPT_DENY, OPT_MODE, OPT_UNLINK, OPT_DATA, OPT_JSON,
	OPT_LIST, OPT_STEP, OPT_SPEED,			/* demo */
	OPT_PROXY, OPT_PROXY_TYPE, OPT_PROXY_AUTH, OPT_PROXY_DNS, /* connect */
	OPT_MAX_CONNS, OPT_MIN_RATE, OPT_MAX_QUEUE, OPT_LOSSY,	/* listen */
	OPT_BROKER, OPT_CHAT, OPT_EXEC, OPT_SH_EXEC,	/* listen, connect, udp */
	OPT_CHUNK, OPT_UNCONNECTED, OPT_TO_ALL, OPT_TYPE,	/* udp */
	OPT_BROADCAST, OPT_JOIN, OPT_SOURCE, OPT_IFACE, OPT_HOPS,
	OPT_MCAST_LOOP,
	OPT_EXCLUDE, OPT_FORCE, OPT_OPEN, OPT_GREPABLE,		/* probe */
	OPT_ALL_OPEN, OPT_MIN_TIMEOUT, OPT_MAX_TIMEOUT, OPT_RETRIES,
	OPT_RATE, OPT_DELAY, OPT_GRACEFUL, OPT_NO_RANDOMIZE, OPT_SEED,
	OPT_SHARD, OPT_SORTED, OPT_RESOLVE_ALL, OPT_BANNER, OPT_RESUME,
	OPT_STATE, OPT_MERGE,
	OPT_SUMMARY, OPT_CONV, OPT_MAXCONVS,			/* view */
	OPT_KEYLOG,
	OPT_FLAGS, OPT_SPORT, OPT_SEQ, OPT_ACK, OPT_WIN,	/* raw */
	OPT_TTL, OPT_TOS, OPT_ID, OPT_DF, OPT_DATA_HEX, OPT_BADSUM,
	OPT_PROTO, OPT_TRACEROUTE, OPT_FIRST_TTL, OPT_MAX_TTL,
};

/* Whether getopt_long()'s ch is one of the capture options. */
#define CAPTURE_OPT_IS(ch) \
	((ch) >= CAPTURE_OPT_TRACE && (ch) < CAPTURE_OPT_END)

#endif

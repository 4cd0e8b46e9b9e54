/*
 * cmd.h: what every command shares, owned once: the command entry and its
 * flags, the shared options and their parsing, the capture, the dropping
 * of privileges, the exit status and the messages of usage errors.
 * sockkit.c keeps the table; each cmd-*.c exports one entry.
 */
#ifndef CMD_H
#define CMD_H

#include <getopt.h>
#include <stdint.h>

#include "capture.h"
#include "optid.h"
#include "priv.h"
#include "streamopt.h"
#include "util.h"

/*
 * What a command takes from the shared options, in the manner of git's
 * command table: cmd_getopt() adds the options each flag names to the
 * command's own (-h and --help every command takes).
 */
#define CMD_TRACE	0x01	/* --trace, --write */
#define CMD_LADDER	0x02	/* --json, --full, --data-preview */
#define CMD_LOOK	0x04	/* --color, --ascii */
#define CMD_PICTURE	0x08	/* --svg, --html */
#define CMD_LINGER	0x10	/* --linger-capture */
#define CMD_GRAPH	0x80	/* --graph */
#define CMD_CAPTURE	0x9f	/* all of them: a live capture */
#define CMD_PRIV	0x20	/* --user, --no-drop */
#define CMD_STREAM	0x40	/* -U, --seqpacket, -w, -q, -C, -x,
				   --no-shutdown (streamopt.h) */
#define CMD_SESSION	0x100	/* -o, --hex-dump, --append-output, -d
				   alone (streamopt.h), for udp */
#define CMD_TLS		0x200	/* --tls alone, the command's own (probe) */

struct cmd_ctx;

/*
 * A command's own option: takes ch with its argument into arg (the
 * command's options).  Returns 0, or -1 with the reason in err (a usage
 * error), as every option parser does.
 */
typedef int	(*cmd_option_fn)(void *, int, const char *, char *, size_t);

/*
 * One command, and its life cycle: cmd_run() zeroes size bytes for its
 * options, init() sets their defaults, cmd_getopt() parses (option()
 * takes the command's own), check() rejects what cannot go together and
 * run() does the work; then fini() frees what the options hold.  The
 * operands are c->argc and c->argv (argv after the options; with no
 * option() the whole argv, argv[0] the command's name).  check() returns
 * -1 or the exit status; run() returns the exit status; neither calls
 * exit().  A subcommand (raw icmp) is an entry too, run by its command's
 * run().  Every entry names every field, NULL for none, in this order.
 */
struct cmd_entry {
	const char	*name;
	const char	*summary;	/* one line for sockkit --help */
	const char	*usage;		/* the full option list */
	int		 flags;		/* CMD_* */
	const char	*shorts;	/* its own letters ("46p:s:") */
	const char	*longs;		/* its own long options, by name */
	size_t		 size;		/* of its options */
	void		(*init)(struct cmd_ctx *, void *);
	cmd_option_fn	 option;	/* NULL: no options, argv as given */
	int		(*check)(struct cmd_ctx *, void *);
	int		(*run)(struct cmd_ctx *, void *);
	void		(*fini)(void *);
};

/* One run of a command: the shared options and what they opened. */
struct cmd_ctx {
	const struct cmd_entry *cmd;
	const char	*sub;		/* raw's subcommand, for usage errors */
	char		 where[64];	/* "connect", "raw: icmp --traceroute":
					   the runtime messages' prefix */
	int		 flags;		/* the command's CMD_* */
	int		 family;	/* -4, -6: AF_INET, AF_INET6, or
					   AF_UNSPEC */
	int		 argc;		/* the operands, after the options */
	char		**argv;
	struct capture_opts cap;	/* CMD_TRACE ... CMD_LINGER */
	struct priv_opts priv;		/* CMD_PRIV */
	struct stream_opts stream;	/* CMD_STREAM */
	struct capture	*capture;	/* open, when a command opened it */
	struct keylog	*keylog;	/* our TLS secrets, for the picture */
};

extern const struct cmd_entry cmd_connect_entry;
extern const struct cmd_entry cmd_demo_entry;
extern const struct cmd_entry cmd_listen_entry;
extern const struct cmd_entry cmd_nc_entry;
extern const struct cmd_entry cmd_udp_entry;
extern const struct cmd_entry cmd_probe_entry;
extern const struct cmd_entry cmd_raw_entry;
extern const struct cmd_entry cmd_view_entry;

/*
 * Run cmd with argv (argv[0] its name): a context for its flags, its life
 * cycle (cmd_run()), then the capture's end.  Returns the exit status.
 */
int	cmd_main(const struct cmd_entry *, int, char **);

/*
 * The life cycle of cmd (see struct cmd_entry) in the context c, which
 * may be another command's (a subcommand's).  Returns the exit status.
 */
int	cmd_run(struct cmd_ctx *, const struct cmd_entry *, int, char **);

/* Set up c for cmd (the defaults of every shared option). */
void	cmd_ctx_init(struct cmd_ctx *, const struct cmd_entry *);

/*
 * getopt_long() over argv with the command's own options (shorts without
 * a leading ':'; longs the names of its long options, space-separated,
 * each a row of cmd.c's one table) and the shared ones c's flags ask
 * for.  The shared ones go into c; -4 and -6 (when in shorts) into
 * c->family, -v into sk_verbosity; every other one to one(arg, ...).
 * Returns -1 with optind at the operands, or the exit status: EXIT_OK
 * after -h (the usage printed), EXIT_USAGE after saying what is wrong.
 */
int	cmd_getopt(struct cmd_ctx *, int, char **, const char *,
	    const char *, cmd_option_fn, void *);

/*
 * Open the capture the options ask for (none: nothing), before anything
 * is sent.  Returns -1, or EXIT_RUNTIME after saying why.
 */
int	cmd_capture_open(struct cmd_ctx *);

/*
 * When c speaks TLS (c->stream.tls.on), keep the secrets OpenSSL derives
 * in c->keylog, for the capture's picture (c->cap.keylog) to decrypt
 * with; before any TLS context is made.  cmd_end() lets them go.
 */
void	cmd_keylog_start(struct cmd_ctx *);

/* After the sockets are closed: let c's capture see the end (not after ^C). */
void	cmd_linger(struct cmd_ctx *);

/*
 * End c's capture (the pictures written) and fold a failure into the
 * command's status rc.  Returns the status to exit with.
 */
int	cmd_end(struct cmd_ctx *, int);

/*
 * Drop root and every capability now that the privileged handles are
 * open (priv_drop()).  Returns -1 when that worked (or nothing was to be
 * dropped), else says why in one line and returns EXIT_RUNTIME: a command
 * never goes on as root by accident.
 */
int	cmd_drop_privileges(struct cmd_ctx *);

/*
 * The usage checks of the shared options: --user naming a user of uid 0.
 * Returns -1, or EXIT_USAGE after saying why.
 */
int	cmd_check_priv(struct cmd_ctx *);

/*
 * Check, without any lookup, a HOST or ADDRESS argument, an -s ADDR and a
 * -U PATH as typed (each may be NULL).  Returns -1, or EXIT_USAGE after
 * a usage error that names the bad one.
 */
int	cmd_check_addrs(const struct cmd_entry *, const char *, const char *,
	    const char *);

/*
 * What a -U socket cannot go with: --allow or --deny (nacl of them given;
 * an IP "what" needs them), a capture (of "proto"), --user (the socket
 * file is removed by the user who made it).  Returns -1, or EXIT_USAGE
 * after saying which.
 */
int	cmd_check_unix(struct cmd_ctx *, size_t, const char *, const char *);

/*
 * The listening socket of a server command: on unix_path (unlinking an
 * old socket file first with unlink_existing), else on c's operands
 * [ADDRESS] PORT (of service, "tcp" or "udp") and -4/-6.  Returns it, or
 * -1 with err.
 */
int	cmd_listen_socket(const struct cmd_ctx *, const char *, int, int, int,
	    const char *, char *, size_t);

/* Print a command's usage to stdout (for --help) and return EXIT_OK. */
int	cmd_help(const struct cmd_entry *);

/*
 * Report a usage error, one line "sockkit: CMD: MESSAGE" on stderr, and
 * return EXIT_USAGE so callers can write "return cmd_usage_error(...)".
 */
int	cmd_usage_error(const struct cmd_entry *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Report what getopt_long() returned '?' or ':' for (an unknown option or
 * one missing its value) and return EXIT_USAGE.
 */
int	cmd_bad_option(const struct cmd_entry *, int, char **);

struct net_acl;

/*
 * --allow CIDR (deny 0) or --deny CIDR (deny 1) into acl.  Returns 0, or
 * -1 with err naming the option (a cmd_option_fn's message).
 */
int	cmd_acl_option(struct net_acl *, int, const char *, char *, size_t);

/*
 * -p PORT (a source port, 0 allowed) of service proto into port.
 * Returns 0, or -1 with err (a cmd_option_fn's message).
 */
int	cmd_port_option(const char *, const char *, uint16_t *, char *, size_t);

/*
 * Find name among names (NULL-terminated): exactly, else as the prefix
 * of exactly one.  Returns its index, or -1 after a usage error of cmd
 * (NULL: of sockkit itself): "ambiguous KIND 'name': it could be a, b"
 * when several match; when none does, "unknown KIND 'name'", with "did
 * you mean" the name fewer than maxdist edits away, and hint.  Commands,
 * raw's subcommands and demo's scenarios are all found so.
 */
int	cmd_find(const struct cmd_entry *, const char *, const char *const *,
	    const char *, int, const char *);

#endif

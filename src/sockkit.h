/*
 * sockkit.h: the command table and what every command shares.
 */
#ifndef SOCKKIT_H
#define SOCKKIT_H

/* Exit statuses, the same for every command (documented in sockkit(1)). */
#define EXIT_OK		0
#define EXIT_RUNTIME	1
#define EXIT_USAGE	2

/*
 * One command.  Each cmd-*.c file exports one of these and sockkit.c keeps
 * the table.  exec() gets argv with argv[0] set to the command name and
 * returns the exit status; it never calls exit() itself.
 */
struct cmd_entry {
	const char	*name;
	const char	*summary;	/* one line for sockkit --help */
	const char	*usage;		/* the full option list */
	int		(*exec)(int, char **);
};

extern const struct cmd_entry cmd_connect_entry;
extern const struct cmd_entry cmd_demo_entry;
extern const struct cmd_entry cmd_listen_entry;
extern const struct cmd_entry cmd_udp_entry;
extern const struct cmd_entry cmd_probe_entry;
extern const struct cmd_entry cmd_raw_entry;
extern const struct cmd_entry cmd_view_entry;

/*
 * Check, without any lookup, a HOST or ADDRESS argument, an -s ADDR and a
 * -U PATH as typed (each may be NULL).  Returns -1, or EXIT_USAGE after
 * a usage error that names the bad one.
 */
int	cmd_check_addrs(const struct cmd_entry *, const char *, const char *,
	    const char *);

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

/*
 * Take -4 or -6 (ch) into *family, which starts AF_UNSPEC.  Returns -1,
 * or EXIT_USAGE after saying that both were given (sub, when not NULL,
 * names the subcommand: "listen: ...").
 */
int	cmd_family(const struct cmd_entry *, const char *, int, int *);

struct priv_opts;

/*
 * Drop root and every capability now that the privileged handles are
 * open (priv_drop()).  Returns -1 when that worked (or nothing was to be
 * dropped), else says why in one line and returns EXIT_RUNTIME: a command
 * never goes on as root by accident.
 */
int	cmd_drop_privileges(const struct cmd_entry *, const struct priv_opts *);

#endif

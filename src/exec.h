/*
 * exec.h: --exec and --sh-exec, a program whose standard input and
 * output are the connection.  The child gets the socket itself (no relay
 * through sockkit: every byte goes straight between the kernel and the
 * program), its stderr stays sockkit's, and its environment says who
 * called (SOCKKIT_REMOTE_ADDR, _PORT, SOCKKIT_LOCAL_ADDR, _PORT,
 * SOCKKIT_PROTO).
 */
#ifndef EXEC_H
#define EXEC_H

#include <sys/types.h>
#include <sys/socket.h>

#include "net.h"

struct capture;

/* The program to run: --exec 'PROG ARGS' split at blanks, or sh -c. */
struct exec_spec {
	const char	*cmd;		/* as given; NULL: no --exec */
	int		 shell;		/* --sh-exec: /bin/sh -c cmd */
	char		**argv;		/* what is run, NULL-terminated */
	char		*words;		/* --exec: the split copy of cmd */
	char		 name[96];	/* "cat", "sh -c 'cat'": for messages */
};

/*
 * Take --exec (shell 0) or --sh-exec (shell 1) CMD into spec.  --exec's
 * program must exist: a name without '/' on PATH, else an executable
 * file.  Returns 0, or -1 with the reason in err (a usage error).
 */
int	exec_parse(struct exec_spec *, const char *, int, char *, size_t);

/*
 * --exec or --sh-exec (ch, an OPT_ value) with its argument, for a
 * command's option parser: exec_parse(), and only one of the two.
 * Returns 0, or -1 with the reason in err.
 */
int	exec_option(struct exec_spec *, int, const char *, char *, size_t);

struct cmd_ctx;

/*
 * The usage check of a command given spec: as root it must have been
 * told --user NAME (the program runs as NAME) or --no-drop (as root,
 * said on purpose).  Returns -1, or EXIT_USAGE after saying why.
 */
int	exec_check(struct cmd_ctx *, const struct exec_spec *);

/* Free what exec_parse() took. */
void	exec_free(struct exec_spec *);

/*
 * Run spec with fd (a connected socket, or a connected UDP socket for
 * proto "udp") as its stdin and stdout, and the SOCKKIT_* environment
 * of fd's two ends.  fd is made blocking for the child; the caller then
 * closes its copy.  With a capture, the call is drawn on its axis.
 * Returns the child's pid, or -1 with the reason in err.
 */
pid_t	exec_spawn(const struct exec_spec *, int, const char *,
	    struct capture *, char *, size_t);

/*
 * What a wait status means, "exited 0", "killed by SIGTERM", into buf;
 * returns the status sockkit passes on: the exit code, or 128 + the
 * signal, as a shell does.
 */
int	exec_status(int, char *, size_t);

/*
 * Block SIGCHLD and return a signalfd that reads it (non-blocking,
 * close-on-exec), so that an event loop reaps children as they exit;
 * -1 with errno.  exec_spawn() unblocks it in the child.
 */
int	exec_sigchld_fd(void);

/* What listen and udp -l need to run a child for each client. */
struct exec_serve {
	int			 listen_fd;
	int			 keep;		/* -k: a child per client */
	int			 max_conns;	/* children at once */
	const struct net_acl	*acl;
	const struct exec_spec	*spec;
	const char		*proto;		/* "tcp", "udp", "unix" */
	struct capture		*capture;	/* --trace, or NULL */
	/* UDP: the listening socket is given away; make the next one. */
	int			(*reopen)(void *, char *, size_t);
	void			*reopen_arg;
};

/*
 * Accept clients on listen_fd (a stream socket; for proto "udp" a
 * datagram socket whose first datagram from a new sender is peeked, the
 * socket connected to that sender and given to the child, and a new one
 * opened by reopen()), a child for each, at most max_conns at once, each
 * reaped when it exits.  Without keep: one client, and its child waited
 * for.  Returns the exit status: without keep the child's (exec_status),
 * with keep 0 when interrupted, or 1 after saying why it failed.
 */
int	exec_serve_run(const struct exec_serve *);

/*
 * connect --exec: run spec on the connected fd, close sockkit's copy
 * (the connection is the child's now) and wait for the child, feeding
 * the capture meanwhile.  Returns the child's status (exec_status), or
 * 1 after saying why it could not run.
 */
int	exec_connected(const struct exec_spec *, int, const char *,
	    struct capture *);

#endif

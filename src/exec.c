/*
 * exec.c: --exec and --sh-exec.  The child is started with posix_spawn
 * (a vfork underneath: nothing of sockkit's memory is copied, which is
 * what makes a connection per fork cheap) on the socket itself, so no
 * byte passes through sockkit.  Children are reaped from a signalfd in
 * the same poll as the listener and the capture: none is left a zombie,
 * and a slot under --max-conns frees as soon as its child exits.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "cmd.h"
#include "exec.h"
#include "util.h"

extern char **environ;

#define ENV_OURS	5

/* One running child of the -k server. */
struct child {
	pid_t		 pid;
	char		 peer[NET_ADDRSTRLEN + 16];
	struct child	*next;
};

struct eserver {
	const struct exec_serve	*o;
	int			 lfd;
	int			 sfd;		/* SIGCHLD */
	int			 nchildren;
	int			 accepting;
	int			 last_status;	/* of the last child reaped */
	struct child		*children;
};

/* Whether name is an executable on PATH (a name without '/'). */
static int
exec_on_path(const char *name)
{
	const char	*path = getenv("PATH"), *p, *end;
	char		 full[4096];

	if (path == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = end + 1) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		if (snprintf(full, sizeof full, "%.*s/%s", (int)(end - p), p,
		    name) < (int)sizeof full && access(full, X_OK) == 0)
			return 1;
		if (*end == '\0')
			return 0;
	}
}

/* Split cmd at blanks into spec->argv; 0, or -1 with err. */
static int
exec_split(struct exec_spec *spec, const char *cmd, char *err, size_t errlen)
{
	size_t	 n = 0;
	char	*p, *save = NULL;

	if ((spec->words = strdup(cmd)) == NULL ||
	    (spec->argv = calloc(strlen(cmd) / 2 + 2,
	    sizeof *spec->argv)) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	for (p = strtok_r(spec->words, " \t\n", &save); p != NULL;
	    p = strtok_r(NULL, " \t\n", &save))
		spec->argv[n++] = p;
	if (n == 0) {
		snprintf(err, errlen, "--exec '%s': no program named", cmd);
		return -1;
	}
	return 0;
}

/*
 * Whether sh -c cmd would do no more than split cmd at blanks and run
 * the program its first word names: no character of the shell's syntax
 * (quotes, $, globs, redirections, ~, =, \\), and a first word that is
 * a program, not a builtin or reserved word.  Then --sh-exec runs it
 * without the shell, as bash -c does: one exec a client, not two.
 */
static int
exec_plain(const char *cmd)
{
	static const char *shell_words[] = { "!", ".", ":", "[", "alias",
	    "bg", "break", "case", "cd", "command", "continue", "do", "done",
	    "echo", "elif", "else", "esac", "eval", "exec", "exit", "export",
	    "false", "fg", "fi", "for", "getopts", "hash", "if", "in",
	    "jobs", "kill", "local", "printf", "pwd", "read", "readonly",
	    "return", "set", "shift", "test", "then", "times", "trap",
	    "true", "type", "ulimit", "umask", "unalias", "unset", "until",
	    "wait", "while", "{", "}" };
	char	 first[256];
	size_t	 i, n;

	if (cmd[strspn(cmd, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_./:,+@%- \t")] != '\0')
		return 0;
	cmd += strspn(cmd, " \t");
	if ((n = strcspn(cmd, " \t")) >= sizeof first)
		return 0;
	memcpy(first, cmd, n);
	first[n] = '\0';
	for (i = 0; i < sizeof shell_words / sizeof shell_words[0]; i++)
		if (strcmp(first, shell_words[i]) == 0)
			return 0;
	return strchr(first, '/') ? access(first, X_OK) == 0 :
	    exec_on_path(first);
}

int
exec_parse(struct exec_spec *spec, const char *cmd, int shell, char *err,
    size_t errlen)
{
	const char	*prog;

	exec_free(spec);
	spec->cmd = cmd;
	spec->shell = shell;
	if (shell && snprintf(spec->name, sizeof spec->name, "sh -c '%s'",
	    cmd) >= (int)sizeof spec->name)
		memcpy(spec->name + sizeof spec->name - 5, "...'", 5);
	if (shell && cmd[strspn(cmd, " \t\n")] == '\0') {
		snprintf(err, errlen, "--sh-exec '%s': no command given", cmd);
		return -1;
	}
	if (shell && exec_plain(cmd))
		return exec_split(spec, cmd, err, errlen);
	if (shell) {
		if ((spec->argv = calloc(4, sizeof *spec->argv)) == NULL) {
			snprintf(err, errlen, "%s", strerror(errno));
			return -1;
		}
		spec->argv[0] = "/bin/sh";
		spec->argv[1] = "-c";
		spec->argv[2] = (char *)cmd;
		return 0;
	}
	if (exec_split(spec, cmd, err, errlen) == -1)
		return -1;
	prog = spec->argv[0];
	if (strchr(prog, '/') ? access(prog, X_OK) == -1 : !exec_on_path(prog)) {
		snprintf(err, errlen, "--exec '%s': %s '%s' (give a path, or "
		    "use --sh-exec for a shell command)", cmd,
		    strchr(prog, '/') ? "no executable file" :
		    "no program on PATH named", prog);
		return -1;
	}
	snprintf(spec->name, sizeof spec->name, "%s", prog);
	return 0;
}

int
exec_option(struct exec_spec *spec, int ch, const char *arg, char *err,
    size_t errlen)
{
	if (spec->cmd != NULL) {
		snprintf(err, errlen, "--%s '%s': give one --exec or "
		    "--sh-exec", ch == OPT_SH_EXEC ? "sh-exec" : "exec", arg);
		return -1;
	}
	return exec_parse(spec, arg, ch == OPT_SH_EXEC, err, errlen);
}

int
exec_check(struct cmd_ctx *c, const struct exec_spec *spec)
{
	if (spec->cmd == NULL || c->priv.user != NULL || c->priv.no_drop ||
	    !priv_will_switch(&c->priv))
		return -1;
	return cmd_usage_error(c->cmd, "--%s as root would run %s as root "
	    "for every client: give --user NAME to run it as NAME, or "
	    "--no-drop to mean root", spec->shell ? "sh-exec" : "exec",
	    spec->name);
}

void
exec_free(struct exec_spec *spec)
{
	free(spec->argv);
	free(spec->words);
	spec->argv = NULL;
	spec->words = NULL;
}

/* "NAME=VALUE" into a new string; NULL when out of memory. */
static char *
env_pair(const char *name, const char *value)
{
	char	*s;

	if (asprintf(&s, "%s=%s", name, value) == -1)
		return NULL;
	return s;
}

/* Add the address and port of sa as PREFIX_ADDR and PREFIX_PORT. */
static int
env_end(char **env, size_t *n, const char *prefix,
    const struct sockaddr *sa)
{
	char	 name[32], addr[sizeof(struct sockaddr_un)], port[16];

	if (sa->sa_family == AF_UNIX)
		snprintf(addr, sizeof addr, "%s",
		    ((const struct sockaddr_un *)sa)->sun_path);
	else
		net_addr_str(sa, addr, sizeof addr);
	snprintf(name, sizeof name, "%s_ADDR", prefix);
	if ((env[(*n)++] = env_pair(name, addr)) == NULL)
		return -1;
	if (sa->sa_family == AF_UNIX)
		return 0;
	snprintf(port, sizeof port, "%d", net_addr_port(sa));
	snprintf(name, sizeof name, "%s_PORT", prefix);
	return (env[(*n)++] = env_pair(name, port)) == NULL ? -1 : 0;
}

/* Free an environment built by env_build(): only its own strings. */
static void
env_free(char **env, size_t ours)
{
	size_t	 i;

	if (env == NULL)
		return;
	for (i = 0; i < ours; i++)
		free(env[i]);
	free(env);
}

/*
 * The child's environment: the SOCKKIT_* variables of fd's two ends
 * first (ours of them, to free), then sockkit's own without any old
 * SOCKKIT_ of the same names.  NULL when out of memory.
 */
static char **
env_build(int fd, const char *proto, size_t *ours)
{
	struct sockaddr_storage	 l, r;
	socklen_t		 ll = sizeof l, rl = sizeof r;
	size_t			 n = 0, i, total = 0;
	char			**env;

	memset(&l, 0, sizeof l);
	memset(&r, 0, sizeof r);
	if (getsockname(fd, (struct sockaddr *)&l, &ll) == -1)
		l.ss_family = AF_UNIX;
	if (getpeername(fd, (struct sockaddr *)&r, &rl) == -1)
		r.ss_family = AF_UNIX;
	while (environ[total] != NULL)
		total++;
	if ((env = calloc(total + ENV_OURS + 1, sizeof *env)) == NULL)
		return NULL;
	if (env_end(env, &n, "SOCKKIT_REMOTE", (struct sockaddr *)&r) == -1 ||
	    env_end(env, &n, "SOCKKIT_LOCAL", (struct sockaddr *)&l) == -1 ||
	    (env[n++] = env_pair("SOCKKIT_PROTO", proto)) == NULL) {
		env_free(env, n);
		return NULL;
	}
	*ours = n;
	for (i = 0; i < total; i++)
		if (strncmp(environ[i], "SOCKKIT_REMOTE_", 15) != 0 &&
		    strncmp(environ[i], "SOCKKIT_LOCAL_", 14) != 0 &&
		    strncmp(environ[i], "SOCKKIT_PROTO=", 14) != 0)
			env[n++] = environ[i];
	return env;
}

/*
 * posix_spawn's attributes for the child: SIGPIPE back to its default
 * (sockkit ignores it) and no signal blocked (SIGCHLD is, in sockkit).
 */
static int
spawn_attr(posix_spawnattr_t *attr)
{
	sigset_t	 def, none;

	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGCHLD);
	if (posix_spawnattr_init(attr) != 0)
		return -1;
	posix_spawnattr_setsigmask(attr, &none);
	posix_spawnattr_setsigdefault(attr, &def);
	return posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF) == 0 ? 0 : -1;
}

pid_t
exec_spawn(const struct exec_spec *spec, int fd, const char *proto,
    struct capture *cap, char *err, size_t errlen)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 attr;
	char				**env, what[192];
	size_t				 ours = 0;
	pid_t				 pid = -1;
	int				 e;

	if (set_nonblock(fd, 0) == -1 ||
	    (env = env_build(fd, proto, &ours)) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, fd, STDOUT_FILENO);
	if (spawn_attr(&attr) == -1)
		e = ENOMEM;
	else
		e = posix_spawnp(&pid, spec->argv[0], &fa, &attr,
		    spec->argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	env_free(env, ours);
	snprintf(what, sizeof what, "fork()+exec(%s)", spec->name);
	if (e != 0) {
		capture_call(cap, what, e);
		snprintf(err, errlen, "cannot run %s: %s", spec->name,
		    strerror(e));
		return -1;
	}
	snprintf(what, sizeof what, "fork()+exec(%s) = pid %ld", spec->name,
	    (long)pid);
	capture_call(cap, what, 0);
	return pid;
}

int
exec_status(int st, char *buf, size_t len)
{
	if (WIFEXITED(st)) {
		snprintf(buf, len, "exited %d", WEXITSTATUS(st));
		return WEXITSTATUS(st);
	}
	if (WIFSIGNALED(st)) {
		snprintf(buf, len, "killed by SIG%s", sigabbrev_np(WTERMSIG(st)) ?
		    sigabbrev_np(WTERMSIG(st)) : "?");
		return 128 + WTERMSIG(st);
	}
	snprintf(buf, len, "ended (status %#x)", st);
	return 1;
}

int
exec_sigchld_fd(void)
{
	sigset_t	 set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/*
 * Whether child pid has ended (1, its status in *st) or not (0).  After
 * SIGINT or SIGTERM it is passed on to the child, then waited for: the
 * connection is the child's, sockkit does not end before it.
 */
static int
exec_wait(pid_t pid, int *st)
{
	pid_t	 r;

	r = waitpid(pid, st, WNOHANG);
	if (r == 0 && sk_interrupted) {
		kill(pid, sk_interrupted);
		r = waitpid(pid, st, 0);
	}
	if (r == -1)
		*st = 1 << 8;	/* "exited 1": it cannot be waited for */
	return r != 0;
}

/* A child ended: take it off the list, say so, keep its status. */
static void
eserve_child_done(struct eserver *s, pid_t pid, int st)
{
	struct child	**pp, *c;
	char		 how[64], what[256];

	s->last_status = exec_status(st, how, sizeof how);
	for (pp = &s->children; (c = *pp) != NULL; pp = &c->next)
		if (c->pid == pid)
			break;
	snprintf(what, sizeof what, "child %ld (%s) %s", (long)pid,
	    s->o->spec->name, how);
	capture_call(s->o->capture, what, 0);
	if (c == NULL)
		return;
	sk_verbose("%s, for %s", what, c->peer);
	*pp = c->next;
	free(c);
	s->nchildren--;
}

/* SIGCHLD: reap every child that has ended. */
static void
eserve_reap(struct eserver *s)
{
	struct signalfd_siginfo	 si;
	pid_t			 pid;
	int			 st;

	while (read(s->sfd, &si, sizeof si) == (ssize_t)sizeof si)
		;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		eserve_child_done(s, pid, st);
}

/* Run the program for the client on fd (from peer); keep its pid. */
static void
eserve_spawn(struct eserver *s, int fd, const char *peer)
{
	struct child	*c;
	char		 err[300];
	pid_t		 pid;

	if ((c = calloc(1, sizeof *c)) == NULL) {
		sk_warn("listen: connection from %s", peer);
		return;
	}
	pid = exec_spawn(s->o->spec, fd, s->o->proto, s->o->capture, err,
	    sizeof err);
	if (pid == -1) {
		sk_warnx("listen: connection from %s: %s", peer, err);
		free(c);
		return;
	}
	sk_verbose("connection from %s: running %s, pid %ld", peer,
	    s->o->spec->name, (long)pid);
	c->pid = pid;
	snprintf(c->peer, sizeof c->peer, "%s", peer);
	c->next = s->children;
	s->children = c;
	s->nchildren++;
	if (!s->o->keep)
		s->accepting = 0;
}

/*
 * Whether the client at sa may come in: the access list, checked before
 * anything runs.  Names it into peer either way.
 */
static int
eserve_allowed(struct eserver *s, const struct sockaddr *sa, char *peer,
    size_t peerlen)
{
	char	 addr[NET_ADDRSTRLEN], rule[128], what[160];

	if (sa->sa_family == AF_UNIX)
		snprintf(peer, peerlen, "a local client");
	else
		snprintf(peer, peerlen, "%s port %d", net_addr_str(sa, addr,
		    sizeof addr), net_addr_port(sa));
	if (s->o->acl != NULL &&
	    net_acl_check(s->o->acl, sa, rule, sizeof rule) != NULL) {
		sk_warnx("listen: connection from %s denied (%s)", peer, rule);
		return 0;
	}
	if (s->o->capture != NULL && sa->sa_family != AF_UNIX) {
		snprintf(what, sizeof what, "%s = client %s",
		    strcmp(s->o->proto, "udp") == 0 ?
		    "recvfrom(MSG_PEEK)" : "accept()", peer);
		capture_call(s->o->capture, what, 0);
	}
	return 1;
}

/* A stream client: accept, check, run.  Returns 0, or -1 when none. */
static int
eserve_accept(struct eserver *s)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	char			 peer[NET_ADDRSTRLEN + 16];
	int			 fd;

	fd = accept4(s->lfd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);
	if (fd == -1) {
		if (errno != EAGAIN && errno != EINTR && errno !=
		    ECONNABORTED)
			sk_warn("listen: accept");
		return -1;
	}
	if (eserve_allowed(s, (struct sockaddr *)&ss, peer, sizeof peer))
		eserve_spawn(s, fd, peer);
	close(fd);
	return 0;
}

/*
 * A datagram from a sender: as ncat does, connect the listening socket
 * to it (the datagram, only peeked, stays queued for the child) and give
 * it to the child.  With -k a new socket is bound first: the kernel gives
 * the newest of equal sockets what comes, so the next sender's datagram
 * never finds the port closed, and after connect() this sender's go to
 * its child.  Returns 0, or -1 when nothing came or no new socket could
 * be made.
 */
static int
eserve_datagram(struct eserver *s)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	char			 peer[NET_ADDRSTRLEN + 16], err[300], b;
	int			 next = -1;

	if (recvfrom(s->lfd, &b, 1, MSG_PEEK | MSG_DONTWAIT,
	    (struct sockaddr *)&ss, &len) == -1)
		return -1;
	if (!eserve_allowed(s, (struct sockaddr *)&ss, peer, sizeof peer)) {
		recv(s->lfd, &b, 1, MSG_DONTWAIT);	/* drop it */
		return 0;
	}
	if (s->o->keep &&
	    (next = s->o->reopen(s->o->reopen_arg, err, sizeof err)) == -1) {
		sk_warnx("%s", err);
		s->accepting = 0;
		return -1;
	}
	if (connect(s->lfd, (struct sockaddr *)&ss, len) == -1)
		sk_warn("listen: connect to %s", peer);
	else
		eserve_spawn(s, s->lfd, peer);
	close(s->lfd);
	s->lfd = next;
	if (next == -1)
		s->accepting = 0;
	return 0;
}

/* What to poll: SIGCHLD, the listener while there is room, the capture. */
static nfds_t
eserve_fds(struct eserver *s, struct pollfd *pfd)
{
	nfds_t	 n = 0;

	pfd[n++] = (struct pollfd){ .fd = s->sfd, .events = POLLIN };
	pfd[n++] = (struct pollfd){ .fd = s->accepting && s->nchildren <
	    s->o->max_conns ? s->lfd : -1, .events = POLLIN };
	pfd[n++] = (struct pollfd){ .fd = s->o->capture != NULL ?
	    capture_fd(s->o->capture) : -1, .events = POLLIN };
	return n;
}

/* One round of the loop's events; -1 when the loop must stop. */
static int
eserve_round(struct eserver *s, struct pollfd *pfd)
{
	int	 i;

	if (pfd[0].revents & POLLIN)
		eserve_reap(s);
	if (pfd[1].fd >= 0 && (pfd[1].revents & POLLIN)) {
		for (i = 0; i < 64 && s->accepting &&
		    s->nchildren < s->o->max_conns; i++)
			if ((strcmp(s->o->proto, "udp") == 0 ?
			    eserve_datagram(s) : eserve_accept(s)) == -1)
				break;
	}
	if (pfd[2].fd >= 0 && (pfd[2].revents & POLLIN))
		capture_poll(s->o->capture);
	return s->lfd == -1 && s->accepting ? -1 : 0;
}

int
exec_serve_run(const struct exec_serve *o)
{
	struct eserver	 s;
	struct pollfd	 pfd[3];
	struct child	*c;
	int		 rc = 0, st;

	memset(&s, 0, sizeof s);
	s.o = o;
	s.lfd = o->listen_fd;
	s.accepting = 1;
	if ((s.sfd = exec_sigchld_fd()) == -1) {
		sk_warn("listen: signalfd");
		return EXIT_RUNTIME;
	}
	if (strcmp(o->proto, "udp") != 0)
		set_nonblock(s.lfd, 1);
	while (!sk_interrupted && (s.accepting || s.nchildren > 0)) {
		if (sk_poll(pfd, eserve_fds(&s, pfd), -1) == -1) {
			if (errno == EINTR)
				continue;
			sk_warn("listen: poll");
			rc = EXIT_RUNTIME;
			break;
		}
		if (eserve_round(&s, pfd) == -1)
			rc = EXIT_RUNTIME;
	}
	if (!o->keep && s.children != NULL) {	/* interrupted */
		exec_wait(s.children->pid, &st);
		eserve_child_done(&s, s.children->pid, st);
	}
	if (!o->keep && rc == 0)
		rc = s.last_status;
	while ((c = s.children) != NULL) {
		s.children = c->next;
		free(c);
	}
	close(s.sfd);
	if (s.lfd != o->listen_fd && s.lfd != -1)
		close(s.lfd);
	return rc;
}

int
exec_connected(const struct exec_spec *spec, int fd, const char *proto,
    struct capture *cap)
{
	struct pollfd	 pfd[2];
	char		 err[300], how[64], what[256];
	pid_t		 pid;
	int		 sfd, st;

	if ((sfd = exec_sigchld_fd()) == -1) {
		sk_warn("signalfd");
		return EXIT_RUNTIME;
	}
	pid = exec_spawn(spec, fd, proto, cap, err, sizeof err);
	close(fd);
	if (pid == -1) {
		sk_warnx("%s", err);
		close(sfd);
		return EXIT_RUNTIME;
	}
	pfd[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = cap != NULL ? capture_fd(cap) : -1,
	    .events = POLLIN };
	while (exec_wait(pid, &st) == 0) {
		if (sk_poll(pfd, 2, -1) == -1 && errno != EINTR)
			break;
		if (pfd[1].fd >= 0 && (pfd[1].revents & POLLIN))
			capture_poll(cap);
	}
	close(sfd);
	st = exec_status(st, how, sizeof how);
	snprintf(what, sizeof what, "child %ld (%s) %s", (long)pid, spec->name,
	    how);
	capture_call(cap, what, 0);
	sk_verbose("%s", what);
	return st;
}

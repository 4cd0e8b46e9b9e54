/*
 * sockkit.c: main and the command table: --help and --version, which
 * command runs (by name or unique prefix), and what becomes of stdout,
 * signals and the exit status around it.  sockkit takes no options before
 * the command; every option belongs to one (cmd.c has the shared ones).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "util.h"

static const struct cmd_entry *cmd_table[] = {
	&cmd_connect_entry,
	&cmd_listen_entry,
	&cmd_udp_entry,
	&cmd_probe_entry,
	&cmd_raw_entry,
	&cmd_view_entry,
	&cmd_demo_entry,
	&cmd_nc_entry,
	NULL
};

static void	usage(FILE *);
static int	lookup(const char *, const struct cmd_entry **);
static void	on_signal(int);
static void	sanitize_stdfds(void);
static int	finish(int);

static void
usage(FILE *fp)
{
	const struct cmd_entry	**cp;

	fprintf(fp, "usage: sockkit COMMAND [options] [arguments]\n"
	    "       sockkit help COMMAND | COMMAND --help\n"
	    "       sockkit --version\n\n"
	    "A netcat-style network diagnostic toolkit.  Commands:\n");
	for (cp = cmd_table; *cp != NULL; cp++)
		fprintf(fp, "  %-10s %s\n", (*cp)->name, (*cp)->summary);
	fprintf(fp, "\nA unique prefix of a command works too.  Exit status: "
	    "0 success, 1 runtime failure,\n2 usage error.  See sockkit(1).\n");
}

/*
 * Find a command by exact name or unique prefix.  Returns 0 with *out set,
 * or EXIT_USAGE after saying what is wrong (unknown or ambiguous).
 */
static int
lookup(const char *name, const struct cmd_entry **out)
{
	const char	*names[sizeof cmd_table / sizeof cmd_table[0]];
	size_t		 n;
	int		 i;

	for (n = 0; cmd_table[n] != NULL; n++)
		names[n] = cmd_table[n]->name;
	names[n] = NULL;
	if ((i = cmd_find(NULL, "command", names, name, 3,
	    "see sockkit --help")) == -1)
		return EXIT_USAGE;
	*out = cmd_table[i];
	return 0;
}

/*
 * Keep descriptors 0-2 taken, as git does: started with stdin or stdout
 * closed, the first socket would become fd 0 or 1, and the relay would
 * read the peer's data from it or write it back to it.  A closed stdout
 * becomes /dev/null opened for reading only, so that a write to it fails
 * (EBADF) as it would have: data that must go there is never lost
 * silently, and a command that writes nothing there does not mind.
 */
static void
sanitize_stdfds(void)
{
	int	 fd;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
		    open("/dev/null", fd == STDOUT_FILENO ? O_RDONLY :
		    O_RDWR) != fd)
			return;		/* the lowest free fd is always fd */
}

static void
on_signal(int sig)
{
	sk_interrupted = sig;
}

static volatile sig_atomic_t test_signals;

/* SOCKKIT_TEST_EINTR: a signal that means nothing but interrupts. */
static void
on_test_signal(int sig)
{
	(void)sig;
	test_signals++;
}

/*
 * For the fault tests: with SOCKKIT_TEST_EINTR set, SIGUSR1 is caught
 * without SA_RESTART, so that each one that lands in a blocking call
 * makes it fail with EINTR, which every loop must shrug off; at the end
 * the count caught is said, so the test knows they arrived.
 */
static void
test_eintr_setup(void)
{
	struct sigaction	 sa;

	if (getenv("SOCKKIT_TEST_EINTR") == NULL)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_test_signal;
	sigaction(SIGUSR1, &sa, NULL);
}

/*
 * After a command: make sure what it wrote to stdout really arrived, as
 * git does, and die by the signal that interrupted us so that the shell
 * sees it.
 */
static int
finish(int status)
{
	if (getenv("SOCKKIT_TEST_EINTR") != NULL)
		fprintf(stderr, "sockkit: test: %d SIGUSR1 caught\n",
		    (int)test_signals);
	errno = 0;
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF) {
		if (errno != EPIPE)
			sk_warnx("stdout: %s", errno != 0 ? strerror(errno) :
			    "write failed");
		if (status == EXIT_OK)
			status = EXIT_RUNTIME;
	}
	if (sk_interrupted) {
		fflush(stderr);
		signal(sk_interrupted, SIG_DFL);
		raise(sk_interrupted);
	}
	return status;
}

/*
 * --help, --version and "help COMMAND" with more words after them: a
 * usage error (a script that passes one by mistake must not see exit 0).
 * Returns -1, or EXIT_USAGE after saying which word is too many.
 */
static int
extra_args(int argc, char **argv)
{
	const char	*a = argv[1];
	int		 max;

	if (strcmp(a, "help") == 0)
		max = 3;
	else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 ||
	    strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0)
		max = 2;
	else
		return -1;
	if (argc <= max)
		return -1;
	if (max == 3)
		sk_warnx("help: unexpected argument '%s': it takes one COMMAND",
		    argv[max]);
	else if (a[1] == 'h' || a[2] == 'h')
		sk_warnx("%s: unexpected argument '%s': it takes none (the "
		    "help of a command: sockkit help %s)", a, argv[max],
		    argv[max]);
	else
		sk_warnx("%s: unexpected argument '%s': it takes none", a,
		    argv[max]);
	return EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	const struct cmd_entry	*cmd;
	struct sigaction	 sa;
	int			 rc;

	sanitize_stdfds();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: loops see EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	test_eintr_setup();

	if (strcmp(strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 :
	    argv[0], "nc") == 0)	/* installed, or linked, as nc */
		return finish(cmd_main(&cmd_nc_entry, argc, argv));
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if ((rc = extra_args(argc, argv)) != -1)
		return rc;
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return finish(EXIT_OK);
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("sockkit %s\n", PACKAGE_VERSION);
		return finish(EXIT_OK);
	}
	if (argv[1][0] == '-') {
		sk_warnx("unknown option '%s' before the command (see "
		    "sockkit --help)", argv[1]);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc < 3) {
			usage(stdout);
			return finish(EXIT_OK);
		}
		if ((rc = lookup(argv[2], &cmd)) != 0)
			return rc;
		return finish(cmd_help(cmd));
	}
	if ((rc = lookup(argv[1], &cmd)) != 0)
		return rc;
	argv[1] = (char *)cmd->name;
	return finish(cmd_main(cmd, argc - 1, argv + 1));
}

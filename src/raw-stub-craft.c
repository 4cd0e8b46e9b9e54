/*
 * raw-stub-craft.c: stand-ins for the raw subcommands built on another
 * branch (raw tcp|udp|ip crafting and raw listen), so this branch links.
 * Deleted when the branches are merged.
 */
#include "config.h"

#include "raw.h"
#include "sockkit.h"
#include "util.h"

/* Say that the subcommand is not in this build; a runtime failure. */
static int
raw_stub(char **argv)
{
	sk_warnx("raw: %s: not built in this branch", argv[0]);
	return EXIT_RUNTIME;
}

int
raw_tcp_exec(int argc, char **argv)
{
	(void)argc;
	return raw_stub(argv);
}

int
raw_udp_exec(int argc, char **argv)
{
	(void)argc;
	return raw_stub(argv);
}

int
raw_ip_exec(int argc, char **argv)
{
	(void)argc;
	return raw_stub(argv);
}

int
raw_listen_exec(int argc, char **argv)
{
	(void)argc;
	return raw_stub(argv);
}

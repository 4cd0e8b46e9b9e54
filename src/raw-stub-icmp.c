/*
 * raw-stub-icmp.c: stand-ins for "raw icmp" and --traceroute, which
 * another branch builds (raw-icmp.c, raw-trace.c); this branch links
 * without them.  Delete this file when those are merged.
 */
#include "config.h"

#include "raw.h"
#include "util.h"

int
raw_icmp_exec(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	sk_warnx("raw: icmp: not built in this branch");
	return EXIT_RUNTIME;
}

int
raw_trace_exec(int proto, int argc, char **argv)
{
	(void)proto;
	(void)argc;
	sk_warnx("raw: %s --traceroute: not built in this branch", argv[0]);
	return EXIT_RUNTIME;
}

/*
 * priv.h: give up root once the privileged sockets are open.
 * Raw sockets and capture handles need CAP_NET_RAW only when they are
 * opened; after that sockkit runs as an unprivileged user with no
 * capabilities, so bytes from the network never meet a root process.
 */
#ifndef PRIV_H
#define PRIV_H

#include <stddef.h>

#include "optid.h"

#define PRIV_DEFAULT_USER	"nobody"

struct priv_opts {
	const char	*user;		/* --user NAME (nobody) */
	int		 no_drop;	/* --no-drop: keep root and capabilities */
	int		 own_userns;	/* root of our own user namespace only:
					   uid 0 there is the invoking user */
};

#define PRIV_USAGE \
	"      --user NAME   as root: run as NAME once the sockets and any\n" \
	"                    capture are open (nobody; given: even with no\n" \
	"                    capture; not a user of uid 0)\n" \
	"      --no-drop     as root: keep root and every capability\n"

/*
 * Give up privileges: as root, switch to o->user (nobody by default)
 * with its group and no supplementary groups (not with o->own_userns,
 * where no other user is mapped and root already is the invoking user);
 * as any user, clear every capability (a binary given cap_net_raw by
 * setcap keeps none), and set no_new_privs so no exec can get them back.
 * Does nothing with o->no_drop.  Returns 0, or -1 with the reason in err
 * (unknown user, a user of uid 0, a failed setuid); the caller must then
 * stop, not go on as root.
 */
int	priv_drop(const struct priv_opts *, char *, size_t);

/*
 * Whether --user can be dropped to: -1 with err when it names a user of
 * uid 0 (switching to it would leave uid 0 with no capabilities, not an
 * unprivileged process), else 0.  Commands call it with their usage
 * checks; priv_drop() calls it too.
 */
int	priv_check(const struct priv_opts *, char *, size_t);

/*
 * Take option ch (a PRIV_OPT_ value) with its argument.  Returns 0, or -1
 * with the reason in err when ch is not a privilege option.
 */
int	priv_parse(struct priv_opts *, int, const char *, char *, size_t);

/*
 * Whether priv_drop() will switch users: running as root without
 * --no-drop, outside a user namespace of our own.  Commands use it to
 * refuse what cannot work after the drop.
 */
int	priv_will_switch(const struct priv_opts *);

/* Whether this process holds any effective capability (or is root). */
int	priv_have_caps(void);

#endif

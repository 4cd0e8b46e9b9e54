/*
 * priv.c: dropping root and capabilities after start-up.
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <linux/capability.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "priv.h"

/* Read (set == 0) or write this thread's capability sets; -1 on error. */
static int
priv_capsys(int set, struct __user_cap_data_struct data[2])
{
	struct __user_cap_header_struct hdr;

	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	hdr.pid = 0;
	return (int)syscall(set ? SYS_capset : SYS_capget, &hdr, data);
}

int
priv_have_caps(void)
{
	struct __user_cap_data_struct d[2];

	if (geteuid() == 0)
		return 1;
	memset(d, 0, sizeof d);
	if (priv_capsys(0, d) == -1)
		return 0;
	return (d[0].effective | d[1].effective |
	    d[0].permitted | d[1].permitted) != 0;
}

/*
 * Empty the bounding set too, so not even a set-uid program run later
 * could regain a capability.  Needs CAP_SETPCAP, which root has; errors
 * past the kernel's last capability end the loop.
 */
static void
priv_drop_bounding(void)
{
	int	cap;

	for (cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1 &&
		    errno == EINVAL)
			break;
}

/* As root: become pw with its primary group only.  -1 with err. */
static int
priv_switch_user(const struct passwd *pw, char *err, size_t errlen)
{
	if (setgroups(0, NULL) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1) {
		snprintf(err, errlen, "cannot switch to user %s: %s",
		    pw->pw_name, strerror(errno));
		return -1;
	}
	if (pw->pw_uid != 0 && setuid(0) != -1) {
		snprintf(err, errlen, "switched to user %s but could "
		    "become root again; refusing to go on", pw->pw_name);
		return -1;
	}
	return 0;
}

int
priv_parse(struct priv_opts *o, int ch, const char *arg, char *err,
    size_t errlen)
{
	if (ch == PRIV_OPT_USER)
		o->user = arg;
	else if (ch == PRIV_OPT_NO_DROP)
		o->no_drop = 1;
	else {
		snprintf(err, errlen, "not a privilege option");
		return -1;
	}
	return 0;
}

int
priv_will_switch(const struct priv_opts *o)
{
	return !o->no_drop && !o->own_userns && geteuid() == 0;
}

/* The user to become: --user, else nobody.  NULL with err if unknown. */
static struct passwd *
priv_user(const struct priv_opts *o, char *err, size_t errlen)
{
	const char	*name;
	struct passwd	*pw;

	name = o->user != NULL ? o->user : PRIV_DEFAULT_USER;
	errno = 0;
	if ((pw = getpwnam(name)) == NULL)
		snprintf(err, errlen, "unknown user %s for dropping root "
		    "(give one with --user, or --no-drop)", name);
	return pw;
}

int
priv_check(const struct priv_opts *o, char *err, size_t errlen)
{
	struct passwd	*pw;

	if (o->user == NULL || o->no_drop)
		return 0;
	if ((pw = getpwnam(o->user)) != NULL && pw->pw_uid == 0) {
		snprintf(err, errlen, "--user %s: that is uid 0, root without "
		    "capabilities but still owner of root's files; name an "
		    "unprivileged user, or keep root with --no-drop", o->user);
		return -1;
	}
	return 0;
}

int
priv_drop(const struct priv_opts *o, char *err, size_t errlen)
{
	struct __user_cap_data_struct	 d[2];
	struct passwd			*pw;

	if (o->no_drop)
		return 0;
	if (priv_check(o, err, errlen) == -1)
		return -1;
	if (priv_will_switch(o)) {
		if ((pw = priv_user(o, err, errlen)) == NULL)
			return -1;
		priv_drop_bounding();
		if (priv_switch_user(pw, err, errlen) == -1)
			return -1;
	} else if (o->own_userns)
		priv_drop_bounding();
	memset(d, 0, sizeof d);
	if (priv_capsys(1, d) == -1) {
		snprintf(err, errlen, "cannot clear capabilities: %s",
		    strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(err, errlen, "cannot set no_new_privs: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

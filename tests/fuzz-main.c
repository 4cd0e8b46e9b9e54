/*
 * fuzz-main.c: replays fuzz inputs without libFuzzer, so that every
 * "make check" runs each fuzz target (under ASan and UBSan with
 * --enable-debug) over its seed corpus and its regression inputs.
 *
 * Usage: fuzz-NAME [FILE|DIR]...  With no argument, the directories the
 * target names in fuzz_seed_dirs, under $srcdir (the tests directory).
 * Every regular file is one input, read whole, in name order; each prints
 * one TAP line.  A failed property aborts, which the TAP driver reports.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static int	replay_file(const char *);
static int	replay_dir(const char *);
static int	replay_path(const char *);
static int	name_cmp(const void *, const void *);

static int	n_run, n_bad;

/*
 * Run the target on one file, read into a buffer of exactly its size so
 * that ASan catches a read past the input.  Returns 0, or -1 if it cannot
 * be read.
 */
static int
replay_file(const char *path)
{
	struct stat	 st;
	uint8_t		*buf;
	size_t		 len;
	FILE		*fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	if (fstat(fileno(fp), &st) == -1) {
		fclose(fp);
		return -1;
	}
	len = (size_t)st.st_size;
	if ((buf = malloc(len ? len : 1)) == NULL)
		abort();
	if (fread(buf, 1, len, fp) != len) {
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	printf("ok %d - %s (%zu bytes)\n", ++n_run, path, len);
	fflush(stdout);
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, in name order; returns 0 or -1. */
static int
replay_dir(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL, path[4096];
	size_t		 n = 0, i;
	struct stat	 st;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((names = realloc(names, (n + 1) * sizeof *names)) == NULL ||
		    (names[n++] = strdup(de->d_name)) == NULL)
			abort();
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, name_cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    replay_file(path) == -1) {
			printf("not ok %d - %s: %s\n", ++n_run, path,
			    strerror(errno));
			n_bad++;
		}
		free(names[i]);
	}
	free(names);
	return 0;
}

/* A file or a directory; a missing one is a failed test. */
static int
replay_path(const char *path)
{
	struct stat	 st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return replay_dir(path);
	if (stat(path, &st) == 0 && replay_file(path) == 0)
		return 0;
	printf("not ok %d - %s: %s\n", ++n_run, path, strerror(errno));
	n_bad++;
	return -1;
}

int
main(int argc, char **argv)
{
	const char	*src = getenv("srcdir");
	char		 path[4096];
	size_t		 i;
	int		 j;

	if (argc > 1) {
		for (j = 1; j < argc; j++)
			replay_path(argv[j]);
	} else {
		/* The seeds must be there; regression inputs may not be. */
		for (i = 0; fuzz_seed_dirs[i] != NULL; i++) {
			snprintf(path, sizeof path, "%s/%s",
			    src ? src : "tests", fuzz_seed_dirs[i]);
			if (i == 0 || access(path, F_OK) == 0)
				replay_path(path);
		}
	}
	printf("1..%d\n", n_run);
	return n_bad == 0 && n_run > 0 ? 0 : 1;
}

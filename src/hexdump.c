/*
 * hexdump.c: the -x dump of relayed data.
 */
#include "config.h"

#include <stdio.h>

#include "hexdump.h"

void
hexdump_chunk(FILE *fp, int dir, uint64_t offset, const void *buf,
    size_t len)
{
	const unsigned char	*p = buf;
	/*
	 * "D OFFSET " (up to 16 hex digits past 4 GiB), 16 bytes at 3
	 * characters and one extra space, "  |", 16 characters, "|", NUL.
	 */
	char			 line[3 + 16 + 49 + 3 + 16 + 2];
	size_t			 i, j, o;

	fprintf(fp, "%c %s %zu bytes at offset %llu\n", dir,
	    dir == '>' ? "sent" : "received", len, (unsigned long long)offset);
	for (i = 0; i < len; i += 16) {
		o = (size_t)snprintf(line, sizeof line, "%c %08llx ", dir,
		    (unsigned long long)(offset + i));
		for (j = 0; j < 16; j++) {
			if (i + j < len)
				o += (size_t)snprintf(line + o, sizeof line - o,
				    "%s%02x", j == 8 ? "  " : " ", p[i + j]);
			else
				o += (size_t)snprintf(line + o, sizeof line - o,
				    "%s  ", j == 8 ? "  " : " ");
		}
		o += (size_t)snprintf(line + o, sizeof line - o, "  |");
		for (j = 0; j < 16 && i + j < len; j++)
			line[o++] = p[i + j] >= 0x20 && p[i + j] < 0x7f ?
			    (char)p[i + j] : '.';
		line[o++] = '|';
		line[o] = '\0';
		fprintf(fp, "%s\n", line);
	}
}

void
hexdump_ncat(FILE *fp, const void *buf, size_t len)
{
	const unsigned char	*p = buf;
	/* "OFFSET   ", 16 bytes at 3 characters, two spaces, 16, NUL. */
	char			 line[16 + 3 + 48 + 2 + 16 + 1];
	size_t			 i, j, o;

	for (i = 0; i < len; i += 16) {
		o = (size_t)snprintf(line, sizeof line, "%04zx   ", i);
		for (j = 0; j < 16; j++) {
			if (i + j < len)
				o += (size_t)snprintf(line + o, sizeof line - o,
				    "%02x ", p[i + j]);
			else
				o += (size_t)snprintf(line + o, sizeof line - o,
				    "   ");
			if (j == 7)
				line[o++] = ' ';
		}
		line[o++] = ' ';
		for (j = 0; j < 16; j++)
			line[o++] = i + j >= len ? ' ' : p[i + j] > 0x20 &&
			    p[i + j] < 0x7f ? (char)p[i + j] : '.';
		line[o] = '\0';
		fprintf(fp, "%s\n", line);
	}
}

void
hexdump_log(FILE *copy, FILE *hex, const void *buf, size_t len)
{
	if (copy != NULL) {
		fwrite(buf, 1, len, copy);
		fflush(copy);
	}
	if (hex != NULL) {
		hexdump_ncat(hex, buf, len);
		fflush(hex);
	}
}

/*
 * hexdump.h: the -x dump of relayed data, and --hex-dump's.
 */
#ifndef HEXDUMP_H
#define HEXDUMP_H

#include <stdint.h>
#include <stdio.h>

/*
 * Dump one chunk to fp: a header naming the direction ('>' sent, '<'
 * received), the stream offset of its first byte and its length, then
 * 16 bytes a line with offsets counted from the start of the stream.
 */
void	hexdump_chunk(FILE *, int, uint64_t, const void *, size_t);

/*
 * Dump one chunk to fp as ncat's --hex-dump does: 16 bytes a line, the
 * offset counted from the chunk's start, the printable bytes (a space
 * is not one) beside them.
 */
void	hexdump_ncat(FILE *, const void *, size_t);

/*
 * One chunk of a session into its copy (-o: the bytes) and its dump
 * (--hex-dump: hexdump_ncat()), each flushed; either may be NULL.
 */
void	hexdump_log(FILE *, FILE *, const void *, size_t);

#endif

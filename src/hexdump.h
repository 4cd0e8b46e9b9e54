/*
 * hexdump.h: the -x dump of relayed data.
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

#endif

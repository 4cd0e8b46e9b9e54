/*
 * cksum.c: Internet checksums.
 */
#include "config.h"

#include "cksum.h"

uint32_t
cksum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t	*p = buf;

	for (; len >= 2; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len == 1)
		sum += (uint32_t)p[0] << 8;
	/* Fold now and then so a sum over 64 KiB cannot overflow. */
	return (sum & 0xffff) + (sum >> 16);
}

uint16_t
cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t
cksum_pseudo(const uint8_t *src, const uint8_t *dst, size_t alen,
    uint8_t proto, uint32_t len)
{
	uint32_t	sum = 0;

	sum = cksum_add(sum, src, alen);
	sum = cksum_add(sum, dst, alen);
	sum += len >> 16;
	sum += len & 0xffff;
	sum += proto;
	return sum;
}

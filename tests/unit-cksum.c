/*
 * unit-cksum.c: the Internet checksum against RFC 1071's worked example
 * and a real IPv4 header and UDP datagram.
 */
#include <stdint.h>
#include <string.h>

#include "cksum.h"
#include "tap.h"

int
main(void)
{
	/* RFC 1071 section 3: the sum of these words is ddf2. */
	static const uint8_t rfc[] = {
	    0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	/* An IPv4 header 127.0.0.1 -> 127.0.0.1, checksum field zero. */
	uint8_t ip[] = {
	    0x45, 0x00, 0x00, 0x21, 0x00, 0x01, 0x40, 0x00, 0x40, 0x11,
	    0x00, 0x00, 0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00, 0x01 };
	/* UDP 1234 -> 5678, "hello", between those addresses. */
	uint8_t udp[] = {
	    0x04, 0xd2, 0x16, 0x2e, 0x00, 0x0d, 0x00, 0x00,
	    'h', 'e', 'l', 'l', 'o' };
	uint8_t odd[] = { 0xff };
	uint32_t sum;
	uint16_t c;

	tap_ok(cksum_fold(cksum_add(0, rfc, sizeof rfc)) == (uint16_t)~0xddf2,
	    "RFC 1071 example sums to ddf2");
	c = cksum_fold(cksum_add(0, ip, sizeof ip));
	ip[10] = c >> 8;
	ip[11] = c & 0xff;
	tap_ok(cksum_fold(cksum_add(0, ip, sizeof ip)) == 0,
	    "an IPv4 header with its checksum verifies to 0");
	tap_is_ll(c, 0x3cc9, "IPv4 header checksum is 3cc9");
	sum = cksum_pseudo(ip + 12, ip + 16, 4, 17, sizeof udp);
	c = cksum_fold(cksum_add(sum, udp, sizeof udp));
	udp[6] = c >> 8;
	udp[7] = c & 0xff;
	sum = cksum_pseudo(ip + 12, ip + 16, 4, 17, sizeof udp);
	tap_ok(cksum_fold(cksum_add(sum, udp, sizeof udp)) == 0,
	    "UDP with the pseudo-header verifies to 0");
	tap_ok(cksum_fold(cksum_add(0, odd, 1)) == 0x00ff,
	    "an odd last byte is padded with zero");
	tap_ok(cksum_fold(0xffff) == 0, "a sum of ffff folds to 0");
	return tap_done();
}

/*
 * tlscert.c: the subject and issuer of an X.509 certificate (RFC 5280
 * 4.1) as a Certificate message carries it, for the TLS decoder's
 * details: a DER walk (ITU-T X.690 8.1: tag, length, value) through the
 * checked cursor, down to tbsCertificate's issuer and subject Names and
 * their commonName (2.5.4.3), else organizationName (2.5.4.10).  No
 * signature is checked and nothing is trusted: a certificate that does
 * not parse is only left unnamed.
 */
#include "config.h"

#include <string.h>

#include "tlsmsg.h"

#define DER_SEQUENCE	0x30
#define DER_SET		0x31
#define DER_OID		0x06
#define DER_CTX0	0xa0	/* [0] EXPLICIT: the version */

static const uint8_t oid_cn[] = { 0x55, 0x04, 0x03 };
static const uint8_t oid_o[] = { 0x55, 0x04, 0x0a };

/*
 * The next TLV at c: its tag in *tag, its value as the cursor v.
 * Returns -1 for a high tag number, an indefinite or overlong length, or
 * a value past c.
 */
static int
der_next(struct tcur *c, uint8_t *tag, struct tcur *v)
{
	uint8_t	 b, i, n;
	size_t	 len = 0;

	if (tc_u8(c, tag) == -1 || (*tag & 0x1f) == 0x1f || tc_u8(c, &b) == -1)
		return -1;
	if (b < 0x80)
		len = b;
	else {
		if ((n = b & 0x7f) == 0 || n > 4)
			return -1;
		for (i = 0; i < n; i++) {
			if (tc_u8(c, &b) == -1)
				return -1;
			len = len << 8 | b;
		}
	}
	return tc_sub(c, len, v);
}

/* The next TLV at c, which must have tag want; 0 or -1. */
static int
der_want(struct tcur *c, uint8_t want, struct tcur *v)
{
	uint8_t	 tag;

	return der_next(c, &tag, v) == 0 && tag == want ? 0 : -1;
}

/*
 * The value of attribute oid (olen bytes) in Name name (a SEQUENCE OF
 * SET OF AttributeTypeAndValue), the last one given; 0 or -1.
 */
static int
name_attr(struct tcur name, const uint8_t *oid, size_t olen,
    struct tcur *val)
{
	struct tcur	 rdn, atv, type, v;
	uint8_t		 tag;
	int		 found = -1;

	while (tc_left(&name) > 0) {
		if (der_want(&name, DER_SET, &rdn) == -1)
			return -1;
		while (tc_left(&rdn) > 0) {
			if (der_want(&rdn, DER_SEQUENCE, &atv) == -1 ||
			    der_want(&atv, DER_OID, &type) == -1 ||
			    der_next(&atv, &tag, &v) == -1)
				return -1;
			if (type.len == olen && memcmp(type.p, oid, olen) == 0) {
				*val = v;
				found = 0;
			}
		}
	}
	return found;
}

/* "CN=value" (or "O=value") of Name name into t; "?" without either. */
static void
name_text(struct ttext *t, struct tcur name)
{
	struct tcur	 v;

	if (name_attr(name, oid_cn, sizeof oid_cn, &v) == 0) {
		tt_add(t, "CN=");
		tt_wire(t, v.p, v.len);
	} else if (name_attr(name, oid_o, sizeof oid_o, &v) == 0) {
		tt_add(t, "O=");
		tt_wire(t, v.p, v.len);
	} else
		tt_add(t, "?");
}

int
tls_cert_names(struct tcur cert, struct ttext *t)
{
	struct tcur	 crt, tbs, skip, issuer, subject;
	uint8_t		 tag;

	if (der_want(&cert, DER_SEQUENCE, &crt) == -1 ||
	    der_want(&crt, DER_SEQUENCE, &tbs) == -1 ||
	    der_next(&tbs, &tag, &skip) == -1)		/* version or serial */
		return -1;
	if (tag == DER_CTX0 && der_next(&tbs, &tag, &skip) == -1)  /* serial */
		return -1;
	if (der_want(&tbs, DER_SEQUENCE, &skip) == -1 ||	/* signature */
	    der_want(&tbs, DER_SEQUENCE, &issuer) == -1 ||
	    der_want(&tbs, DER_SEQUENCE, &skip) == -1 ||	/* validity */
	    der_want(&tbs, DER_SEQUENCE, &subject) == -1)
		return -1;
	tt_add(t, "subject ");
	name_text(t, subject);
	if (issuer.len == subject.len &&
	    memcmp(issuer.p, subject.p, issuer.len) == 0) {
		tt_add(t, " (self-signed)");
		return 0;
	}
	tt_add(t, ", issuer ");
	name_text(t, issuer);
	return 0;
}

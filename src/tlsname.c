/*
 * tlsname.c: names for the numbers of TLS, from the IANA TLS registries
 * (RFC 8446 B.4 and 6, RFC 5246 A.5, RFC 8422 5.1.1, RFC 7919).  Only the
 * values one meets in practice: the rest is shown as a number.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "tlsdecode.h"

struct tls_name {
	uint16_t	 v;
	const char	*name;
};

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

static const struct tls_name versions[] = {
	{ 0x0300, "SSL3.0" }, { 0x0301, "TLS1.0" }, { 0x0302, "TLS1.1" },
	{ 0x0303, "TLS1.2" }, { 0x0304, "TLS1.3" },
};

static const struct tls_name ciphers[] = {
	{ 0x1301, "TLS_AES_128_GCM_SHA256" },
	{ 0x1302, "TLS_AES_256_GCM_SHA384" },
	{ 0x1303, "TLS_CHACHA20_POLY1305_SHA256" },
	{ 0x1304, "TLS_AES_128_CCM_SHA256" },
	{ 0x1305, "TLS_AES_128_CCM_8_SHA256" },
	{ 0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" },
	{ 0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" },
	{ 0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
	{ 0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
	{ 0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
	{ 0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" },
	{ 0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
	{ 0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA" },
	{ 0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA" },
	{ 0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA" },
	{ 0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA" },
	{ 0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256" },
	{ 0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384" },
	{ 0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256" },
	{ 0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384" },
	{ 0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256" },
	{ 0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384" },
	{ 0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA" },
	{ 0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA" },
	{ 0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256" },
	{ 0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256" },
	{ 0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256" },
	{ 0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384" },
	{ 0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA" },
	{ 0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA" },
	{ 0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256" },
	{ 0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256" },
	{ 0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA" },
	{ 0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV" },
	{ 0x5600, "TLS_FALLBACK_SCSV" },
};

static const struct tls_name groups[] = {
	{ 0x0017, "secp256r1" }, { 0x0018, "secp384r1" },
	{ 0x0019, "secp521r1" }, { 0x001d, "x25519" }, { 0x001e, "x448" },
	{ 0x0100, "ffdhe2048" }, { 0x0101, "ffdhe3072" },
	{ 0x0102, "ffdhe4096" }, { 0x0103, "ffdhe6144" },
	{ 0x0104, "ffdhe8192" }, { 0x0200, "MLKEM512" },
	{ 0x0201, "MLKEM768" }, { 0x0202, "MLKEM1024" },
	{ 0x11eb, "SecP256r1MLKEM768" }, { 0x11ec, "X25519MLKEM768" },
	{ 0x6399, "X25519Kyber768Draft00" },
};

static const struct tls_name alerts[] = {
	{ 0, "close_notify" }, { 10, "unexpected_message" },
	{ 20, "bad_record_mac" }, { 21, "decryption_failed" },
	{ 22, "record_overflow" }, { 30, "decompression_failure" },
	{ 40, "handshake_failure" }, { 41, "no_certificate" },
	{ 42, "bad_certificate" }, { 43, "unsupported_certificate" },
	{ 44, "certificate_revoked" }, { 45, "certificate_expired" },
	{ 46, "certificate_unknown" }, { 47, "illegal_parameter" },
	{ 48, "unknown_ca" }, { 49, "access_denied" }, { 50, "decode_error" },
	{ 51, "decrypt_error" }, { 60, "export_restriction" },
	{ 70, "protocol_version" }, { 71, "insufficient_security" },
	{ 80, "internal_error" }, { 86, "inappropriate_fallback" },
	{ 90, "user_canceled" }, { 100, "no_renegotiation" },
	{ 109, "missing_extension" }, { 110, "unsupported_extension" },
	{ 111, "certificate_unobtainable" }, { 112, "unrecognized_name" },
	{ 113, "bad_certificate_status_response" },
	{ 114, "bad_certificate_hash_value" }, { 115, "unknown_psk_identity" },
	{ 116, "certificate_required" }, { 120, "no_application_protocol" },
};

static const struct tls_name sigschemes[] = {
	{ 0x0401, "rsa_pkcs1_sha256" }, { 0x0501, "rsa_pkcs1_sha384" },
	{ 0x0601, "rsa_pkcs1_sha512" },
	{ 0x0403, "ecdsa_secp256r1_sha256" },
	{ 0x0503, "ecdsa_secp384r1_sha384" },
	{ 0x0603, "ecdsa_secp521r1_sha512" },
	{ 0x0804, "rsa_pss_rsae_sha256" }, { 0x0805, "rsa_pss_rsae_sha384" },
	{ 0x0806, "rsa_pss_rsae_sha512" }, { 0x0807, "ed25519" },
	{ 0x0808, "ed448" }, { 0x0809, "rsa_pss_pss_sha256" },
	{ 0x080a, "rsa_pss_pss_sha384" }, { 0x080b, "rsa_pss_pss_sha512" },
};

static const struct tls_name contents[] = {
	{ TLS_CT_CCS, "ChangeCipherSpec" }, { TLS_CT_ALERT, "Alert" },
	{ TLS_CT_HANDSHAKE, "Handshake" },
	{ TLS_CT_APPDATA, "application data" },
	{ TLS_CT_HEARTBEAT, "Heartbeat" },
};

static const struct tls_name hs_types[] = {
	{ 0, "HelloRequest" }, { 1, "ClientHello" }, { 2, "ServerHello" },
	{ 3, "HelloVerifyRequest" }, { 4, "NewSessionTicket" },
	{ 5, "EndOfEarlyData" }, { 8, "EncryptedExtensions" },
	{ 11, "Certificate" }, { 12, "ServerKeyExchange" },
	{ 13, "CertificateRequest" }, { 14, "ServerHelloDone" },
	{ 15, "CertificateVerify" }, { 16, "ClientKeyExchange" },
	{ 20, "Finished" }, { 22, "CertificateStatus" },
	{ 24, "KeyUpdate" }, { 25, "CompressedCertificate" },
	{ 254, "MessageHash" },
};

/* The name of v in a table of n entries, or NULL. */
static const char *
lookup(const struct tls_name *t, size_t n, uint16_t v)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].name;
	return NULL;
}

/* RFC 8701: 0x?a?a with both bytes equal. */
static int
is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

const char *
tls_version_name(uint16_t v)
{
	return is_grease(v) ? "GREASE" : lookup(versions, NELEM(versions), v);
}

const char *
tls_cipher_name(uint16_t v)
{
	return is_grease(v) ? "GREASE" : lookup(ciphers, NELEM(ciphers), v);
}

const char *
tls_group_name(uint16_t v)
{
	return is_grease(v) ? "GREASE" : lookup(groups, NELEM(groups), v);
}

const char *
tls_alert_name(uint8_t v)
{
	return lookup(alerts, NELEM(alerts), v);
}

const char *
tls_sigscheme_name(uint16_t v)
{
	return lookup(sigschemes, NELEM(sigschemes), v);
}

const char *
tls_content_name(uint8_t v)
{
	return lookup(contents, NELEM(contents), v);
}

const char *
tls_hs_name(uint8_t v)
{
	const char	*s = lookup(hs_types, NELEM(hs_types), v);

	return s != NULL ? s : "handshake";
}

/*
 * sslload.h: OpenSSL, loaded on the first TLS connection (src/sslload.c).
 *
 * Linking libssl and libcrypto doubles the time sockkit takes to start
 * (a hello world: 2.8 ms, 5.7 ms with -lssl -lcrypto), which every run
 * of every command would pay.  When configure found their sonames
 * (SSL_SONAME, CRYPTO_SONAME), sockkit does not link them: tls.c and
 * tlscrypt.c (view --keylog) call each function as SSLCALL(name)(...),
 * through a table that sslload_ready() fills with dlopen() and dlsym();
 * linked (--disable-openssl-dlopen),
 * SSLCALL(name) is just name.  A function they start to call is one
 * word in the list below: libssl's in SSLLOAD_SSL_FUNCS, libcrypto's in
 * SSLLOAD_CRYPTO_FUNCS.  Macros such as SSL_CTX_set_min_proto_version
 * expand to a real function (SSL_CTX_ctrl): call and list that one.
 */
#ifndef SOCKKIT_SSLLOAD_H
#define SOCKKIT_SSLLOAD_H

#include <stddef.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "util.h"

/* libssl's functions sockkit calls. */
#define SSLLOAD_SSL_FUNCS(X)						\
	X(TLS_client_method) X(TLS_server_method)			\
	X(SSL_CTX_new) X(SSL_CTX_free) X(SSL_CTX_ctrl)			\
	X(SSL_CTX_set_verify) X(SSL_CTX_load_verify_locations)		\
	X(SSL_CTX_set_default_verify_paths) X(SSL_CTX_set_alpn_protos)	\
	X(SSL_CTX_set_alpn_select_cb) X(SSL_select_next_proto)		\
	X(SSL_CTX_use_certificate_chain_file)				\
	X(SSL_CTX_use_PrivateKey_file) X(SSL_CTX_check_private_key)	\
	X(SSL_CTX_use_certificate) X(SSL_CTX_use_PrivateKey)		\
	X(SSL_CTX_set_client_CA_list) X(SSL_load_client_CA_file)	\
	X(SSL_CTX_set_keylog_callback) X(SSL_CTX_set_ex_data)		\
	X(SSL_CTX_get_ex_data) X(SSL_get_SSL_CTX)			\
	X(SSL_new) X(SSL_free) X(SSL_set_fd) X(SSL_ctrl)		\
	X(SSL_set_connect_state) X(SSL_set_accept_state)		\
	X(SSL_set1_host) X(SSL_do_handshake) X(SSL_get_error)		\
	X(SSL_read_ex) X(SSL_write_ex) X(SSL_pending) X(SSL_shutdown)	\
	X(SSL_get_shutdown) X(SSL_get_verify_result)			\
	X(SSL_get_version) X(SSL_get_current_cipher)			\
	X(SSL_CIPHER_get_name) X(SSL_get0_alpn_selected)		\
	X(SSL_get1_peer_certificate) X(SSL_set_ex_data) X(SSL_get_ex_data) \
	X(SSL_get_ex_data_X509_STORE_CTX_idx)

/* libcrypto's. */
#define SSLLOAD_CRYPTO_FUNCS(X)						\
	X(ERR_get_error) X(ERR_peek_error) X(ERR_clear_error)		\
	X(ERR_reason_error_string) X(ERR_error_string_n)		\
	X(X509_verify_cert_error_string) X(X509_free) X(X509_new)	\
	X(X509_get_subject_name) X(X509_get_issuer_name)		\
	X(X509_NAME_oneline) X(X509_get0_notBefore) X(X509_get0_notAfter) \
	X(X509_getm_notBefore) X(X509_getm_notAfter)			\
	X(X509_gmtime_adj) X(X509_digest) X(X509_get_ext_d2i)		\
	X(X509_set_version) X(X509_get_serialNumber) X(X509_set_pubkey)	\
	X(X509_set_issuer_name) X(X509_NAME_add_entry_by_txt)		\
	X(X509_sign) X(ASN1_INTEGER_set) X(ASN1_TIME_to_tm)		\
	X(ASN1_STRING_get0_data) X(ASN1_STRING_length)			\
	X(GENERAL_NAMES_free) X(OPENSSL_sk_num) X(OPENSSL_sk_value)	\
	X(EVP_sha256) X(EVP_PKEY_Q_keygen) X(EVP_PKEY_free)		\
	X(X509_STORE_CTX_get_error) X(X509_STORE_CTX_get_ex_data)	\
	X(X509_STORE_CTX_get_current_cert)				\
	X(HMAC) X(EVP_sha384) X(EVP_aes_128_gcm) X(EVP_aes_256_gcm)	\
	X(EVP_chacha20_poly1305) X(EVP_CIPHER_CTX_new)			\
	X(EVP_aes_128_ctr) X(EVP_aes_256_ctr) X(EVP_chacha20)		\
	X(EVP_CIPHER_CTX_free) X(EVP_CIPHER_CTX_ctrl)			\
	X(EVP_DecryptInit_ex) X(EVP_DecryptUpdate) X(EVP_DecryptFinal_ex)

#ifdef SSL_SONAME
#define SSLLOAD_POINTER(f)	__typeof__(f) *f;
/* The real functions, typed from OpenSSL's own declarations. */
struct sslload_fns {
	SSLLOAD_SSL_FUNCS(SSLLOAD_POINTER)
	SSLLOAD_CRYPTO_FUNCS(SSLLOAD_POINTER)
};
extern struct sslload_fns sslload_fn;
#define SSLCALL(f)	(sslload_fn.f)

/*
 * Load libcrypto and libssl now if they are not loaded: 0 when every
 * function of the lists can be called, or -1 with one line in err naming
 * the library, why it could not be loaded and the package to install.
 */
int	sslload_ready(char *, size_t);
#else
#define SSLCALL(f)	f

/* OpenSSL is linked: it is always there. */
#define sslload_ready(err, errlen)	sk_linked_ready(err, errlen)
#endif

#endif

#ifndef LOOKOUT_CCURL_H
#define LOOKOUT_CCURL_H
#include <curl/curl.h>
#include <stdint.h>

/* Typed wrappers for libcurl's variadic setopt/getinfo calls, which Swift cannot call. */
CURLcode lk_easy_setopt_long(CURL *h, CURLoption o, long v);
CURLcode lk_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v);
CURLcode lk_easy_setopt_string(CURL *h, CURLoption o, const char *v);
CURLcode lk_easy_setopt_pointer(CURL *h, CURLoption o, void *v);
CURLcode lk_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v);
CURLcode lk_easy_setopt_write_function(CURL *h, curl_write_callback cb);
CURLcode lk_easy_setopt_header_function(CURL *h, curl_write_callback cb);
CURLcode lk_easy_setopt_read_function(CURL *h, curl_read_callback cb);
CURLcode lk_easy_getinfo_long(CURL *h, CURLINFO i, long *out);
CURLcode lk_easy_getinfo_double(CURL *h, CURLINFO i, double *out);
CURLcode lk_easy_getinfo_off(CURL *h, CURLINFO i, curl_off_t *out);
CURLcode lk_easy_getinfo_pointer(CURL *h, CURLINFO i, void **out);
CURLcode lk_easy_getinfo_string(CURL *h, CURLINFO i, char **out);
CURLcode lk_easy_getinfo_certinfo(CURL *h, struct curl_certinfo **out);
CURLMcode lk_multi_setopt_long(CURLM *m, CURLMoption o, long v);

/* TLS over libcurl's OpenSSL backend (tls.c). */
/* libcurl's built-in CA bundle path, or NULL. */
const char *lk_default_ca_file(void);
/* Verifies against `path` through a process-wide parsed store (see tls.c); 0 if unreadable. */
int lk_easy_use_cached_ca(CURL *easy, const char *path);
/* During a transfer: the earliest notAfter (Unix seconds) of the peer's chain; 0 if none. */
int lk_easy_peer_earliest_expiry(CURL *easy, int64_t *out);
/* During a transfer: 1 if the TLS session was resumed, 0 if new, -1 if unknown. */
int lk_easy_session_reused(CURL *easy);

/* SSL_CTX recycling (ctx_pool.c). On by default; off frees the idle contexts (benchmarks). */
void lk_tls_ctx_pool_set_enabled(int enabled);
/* Contexts made and handed out again since start, and those idle now. */
void lk_tls_ctx_pool_stats(unsigned long *created, unsigned long *reused, int *idle);
/* 1 if every idle context has a new context's settings (tests). */
int lk_tls_ctx_pool_idle_are_fresh(void);
/* Peer certificates decoded once per DER (x509_cache.c). On by default (benchmarks turn it off). */
void lk_tls_cert_cache_set_enabled(int enabled);
/* Certificates from handshakes found decoded, and those decoded. */
void lk_tls_cert_cache_stats(unsigned long *hits, unsigned long *misses);
/* 1 for the setopt options whose SSL_CTX settings the pool cannot reset (refused). */
int lk_tls_ctx_pool_refuses_option(CURLoption option);
#endif

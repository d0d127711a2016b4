/*
 * N HTTPS GETs through one libcurl multi handle, each on a new connection with a full TLS
 * handshake, configured as Lookout configures a probe (Sources/Curl: FRESH_CONNECT,
 * FORBID_REUSE, no session cache, a CA store parsed once and installed by the SSL_CTX callback,
 * the peer chain's notAfter read at the status line). Run it under callgrind twice, with 1 and
 * with N+1 GETs, and the difference divided by N is the instructions one handshake costs in the
 * client: see run.sh. Variants come from the environment (each unset by default):
 *   ALPN_OFF=1, TLS13=<suites>, CURVES=<groups>, CIPHERS=<TLS 1.2 list>,
 *   NO_TICKET=1 (SSL_OP_NO_TICKET), NO_EXPIRY=1 (skip reading notAfter)
 *   usage: handshake N URL CA_FILE
 */
#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static X509_STORE *store;

static const char *env(const char *name) {
    const char *value = getenv(name);
    return value && *value ? value : NULL;
}

static CURLcode install_store(CURL *easy, void *ctx, void *unused) {
    (void)easy; (void)unused;
    if (!X509_STORE_up_ref(store)) return CURLE_OUT_OF_MEMORY;
    SSL_CTX_set_cert_store(ctx, store);
    if (env("NO_TICKET")) SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    return CURLE_OK;
}

static size_t discard(char *data, size_t size, size_t count, void *unused) {
    (void)data; (void)unused;
    return size * count;
}

static size_t header(char *data, size_t size, size_t count, void *easy) {
    size_t n = size * count;
    struct curl_tlssessioninfo *info = NULL;
    if (env("NO_EXPIRY") || n < 5 || memcmp(data, "HTTP/", 5) != 0) return n;
    if (curl_easy_getinfo(easy, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || !info || !info->internals) return n;
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(info->internals);
    for (int i = 0; chain && i < sk_X509_num(chain); i++) {
        struct tm parts;
        ASN1_TIME_to_tm(X509_get0_notAfter(sk_X509_value(chain, i)), &parts);
    }
    return n;
}

static CURL *new_transfer(const char *url) {
    CURL *easy = curl_easy_init();
    if (!easy) return NULL;
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(easy, CURLOPT_CAINFO, (char *)NULL);
    curl_easy_setopt(easy, CURLOPT_CAPATH, (char *)NULL);
    curl_easy_setopt(easy, CURLOPT_CA_CACHE_TIMEOUT, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, install_store);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, easy);
    curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_SESSIONID_CACHE, 0L);
    if (env("ALPN_OFF")) curl_easy_setopt(easy, CURLOPT_SSL_ENABLE_ALPN, 0L);
    if (env("TLS13")) curl_easy_setopt(easy, CURLOPT_TLS13_CIPHERS, env("TLS13"));
    if (env("CURVES")) curl_easy_setopt(easy, CURLOPT_SSL_EC_CURVES, env("CURVES"));
    if (env("CIPHERS")) curl_easy_setopt(easy, CURLOPT_SSL_CIPHER_LIST, env("CIPHERS"));
    return easy;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s N URL CA_FILE\n", argv[0]); return 2; }
    int count = atoi(argv[1]), failures = 0;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    store = X509_STORE_new();
    if (!store || !X509_STORE_load_file(store, argv[3])) { fprintf(stderr, "cannot load %s\n", argv[3]); return 1; }
    X509_STORE_set_flags(store, X509_V_FLAG_TRUSTED_FIRST | X509_V_FLAG_PARTIAL_CHAIN);
    CURLM *multi = curl_multi_init();
    for (int i = 0; i < count; i++) {
        CURL *easy = new_transfer(argv[2]);
        if (!easy) return 1;
        curl_multi_add_handle(multi, easy);
        int running = 1;
        for (int polls = 0; running && polls < 10000; polls++) {
            curl_multi_perform(multi, &running);
            if (running) curl_multi_poll(multi, NULL, 0, 1000, NULL);
        }
        CURLMsg *message;
        int queued;
        while ((message = curl_multi_info_read(multi, &queued)))
            if (message->msg == CURLMSG_DONE && message->data.result != CURLE_OK) {
                if (failures++ == 0) fprintf(stderr, "failed: %s\n", curl_easy_strerror(message->data.result));
            }
        curl_multi_remove_handle(multi, easy);
        curl_easy_cleanup(easy);
    }
    curl_multi_cleanup(multi);
    X509_STORE_free(store);
    return failures ? 1 : 0;
}

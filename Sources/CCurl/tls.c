/*
 * TLS helpers over libcurl's OpenSSL backend (Debian's libcurl 7.88 + OpenSSL 3.0).
 *
 * CA stores: libcurl caches one parsed CA store per multi handle, keyed by the CAINFO path,
 * so transfers alternating between two CA files (the system bundle and a check's ca_file)
 * re-parse a bundle on every switch: 140 certificates, about 16 ms of CPU per handshake
 * instead of 1. Here every CA file keeps its own parsed X509_STORE for the process, reloaded
 * when the file changes, and CURLOPT_SSL_CTX_FUNCTION hands it to each new SSL_CTX.
 *
 * Certificate expiry: CURLOPT_CERTINFO formats the whole chain as text (PEM included); reading
 * notAfter from the live SSL's peer chain costs next to nothing.
 */
#include "CCurl.h"
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct lk_ca_entry {
    struct lk_ca_entry *next;
    char *path;
    X509_STORE *store;
    struct stat loaded; /* the file as it was when `store` was read */
};

/* Entries live for the process: one per CA file ever used, so few. */
static struct lk_ca_entry *lk_ca_entries;
static pthread_mutex_t lk_ca_lock = PTHREAD_MUTEX_INITIALIZER;

static int lk_same_file(const struct stat *a, const struct stat *b) {
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size
        && a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static X509_STORE *lk_load_store(const char *path) {
    X509_STORE *store = X509_STORE_new();
    if (!store) return NULL;
    if (!X509_STORE_load_file(store, path)) {
        X509_STORE_free(store);
        return NULL;
    }
    /* The flags libcurl sets on a store it loads itself (no CRL file, partial chains allowed). */
    X509_STORE_set_flags(store, X509_V_FLAG_TRUSTED_FIRST | X509_V_FLAG_PARTIAL_CHAIN);
    return store;
}

/* The entry's store with a reference for the caller, (re)loading it if the file changed.
   Call with lk_ca_lock held. */
static X509_STORE *lk_entry_store(struct lk_ca_entry *entry) {
    struct stat now;
    if (stat(entry->path, &now) != 0) return NULL;
    if (!entry->store || !lk_same_file(&now, &entry->loaded)) {
        X509_STORE *fresh = lk_load_store(entry->path);
        if (!fresh) return NULL;
        X509_STORE_free(entry->store);
        entry->store = fresh;
        entry->loaded = now;
    }
    return X509_STORE_up_ref(entry->store) ? entry->store : NULL;
}

static struct lk_ca_entry *lk_find_or_add(const char *path) {
    for (struct lk_ca_entry *e = lk_ca_entries; e; e = e->next)
        if (strcmp(e->path, path) == 0) return e;
    struct lk_ca_entry *entry = calloc(1, sizeof *entry);
    if (!entry) return NULL;
    entry->path = strdup(path);
    if (!entry->path) { free(entry); return NULL; }
    entry->next = lk_ca_entries;
    lk_ca_entries = entry;
    return entry;
}

static CURLcode lk_install_store(CURL *easy, void *ssl_ctx, void *userptr) {
    (void)easy;
    pthread_mutex_lock(&lk_ca_lock);
    X509_STORE *store = lk_entry_store(userptr);
    pthread_mutex_unlock(&lk_ca_lock);
    if (!store) return CURLE_SSL_CACERT_BADFILE;
    SSL_CTX_set_cert_store(ssl_ctx, store); /* takes over our reference, frees libcurl's empty store */
    return CURLE_OK;
}

const char *lk_default_ca_file(void) {
    return curl_version_info(CURLVERSION_NOW)->cainfo;
}

int lk_easy_use_cached_ca(CURL *easy, const char *path) {
    if (!path) return 0;
    pthread_mutex_lock(&lk_ca_lock);
    struct lk_ca_entry *entry = lk_find_or_add(path);
    X509_STORE *store = entry ? lk_entry_store(entry) : NULL;
    pthread_mutex_unlock(&lk_ca_lock);
    if (!store) return 0; /* unreadable: the caller falls back to CURLOPT_CAINFO and libcurl's error */
    X509_STORE_free(store);
    /* No CAINFO, no CAPATH and no libcurl cache: libcurl 7.88 sets its store up lazily, after
       the SSL_CTX callback, and a cached (empty) store would replace ours. Uncached, it only
       ORs the flags set above into our store again (the same bits: a harmless rewrite even
       from two loop threads) and loads nothing (Debian's build has no CA fallback); libcurl
       8.3+ sets it up before the callback, which then replaces it. The callback may also run for
       an HTTPS proxy's own TLS, so such a proxy is verified against the same store. */
    if (curl_easy_setopt(easy, CURLOPT_CAINFO, (char *)NULL) != CURLE_OK
        || curl_easy_setopt(easy, CURLOPT_CAPATH, (char *)NULL) != CURLE_OK
        || curl_easy_setopt(easy, CURLOPT_CA_CACHE_TIMEOUT, 0L) != CURLE_OK
        || curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, lk_install_store) != CURLE_OK
        || curl_easy_setopt(easy, CURLOPT_SSL_CTX_DATA, entry) != CURLE_OK)
        return 0;
    return 1;
}

int lk_easy_peer_earliest_expiry(CURL *easy, int64_t *out) {
    struct curl_tlssessioninfo *info = NULL;
    if (curl_easy_getinfo(easy, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || !info
        || info->backend != CURLSSLBACKEND_OPENSSL || !info->internals)
        return 0;
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain((SSL *)info->internals);
    int found = 0;
    for (int i = 0; chain && i < sk_X509_num(chain); i++) {
        const ASN1_TIME *notAfter = X509_get0_notAfter(sk_X509_value(chain, i));
        struct tm parts;
        if (!notAfter || !ASN1_TIME_to_tm(notAfter, &parts)) continue;
        int64_t when = (int64_t)timegm(&parts);
        if (!found || when < *out) *out = when;
        found = 1;
    }
    return found;
}

int lk_easy_session_reused(CURL *easy) {
    struct curl_tlssessioninfo *info = NULL;
    if (curl_easy_getinfo(easy, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || !info
        || info->backend != CURLSSLBACKEND_OPENSSL || !info->internals)
        return -1;
    return SSL_session_reused((SSL *)info->internals);
}

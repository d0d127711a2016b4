/*
 * SSL_CTX recycling for libcurl 7.88's OpenSSL backend (issue #5, docs/tls-probe-cost.md).
 *
 * libcurl 7.88 makes a new SSL_CTX for every TLS connection, and OpenSSL 3.0's SSL_CTX_new
 * re-fetches its providers' algorithms each time: about 1.2 M of the ~5.7 M instructions a
 * probe's handshake costs. This file takes SSL_CTX_new, SSL_CTX_up_ref and SSL_CTX_free for
 * the process (the executable's definitions come before libssl's; libcurl and libssl itself
 * call all three through the PLT) and hands out contexts that are no longer used instead of
 * making new ones.
 *
 * A context is never shared: it goes back to the pool only when every reference but the pool's
 * own is gone (libcurl's, and those of the SSL objects made from it, which libssl takes and
 * drops through SSL_CTX_up_ref / SSL_CTX_free), so no connection can see another one's
 * settings change under it. Before it goes back, everything libcurl or a callback may have set
 * on it is put back as a new context has it: options, mode, protocol versions, verification,
 * ALPN, TLS 1.3 suites, session-cache mode and callback, key-log and message callbacks,
 * post-handshake auth, and a new empty certificate store (trust never carries over). A context
 * whose settings cannot be put back (a client certificate, a changed cipher list) is freed
 * instead. Lookout sets none of CURLOPT_SSLCERT, CURLOPT_SSL_CIPHER_LIST, CURLOPT_SSL_EC_CURVES
 * or CURLOPT_TLSAUTH_* (nor their proxy twins), and CCurl's setopt wrappers refuse them
 * (lk_tls_ctx_pool_refuses_option): curves and SRP credentials cannot be read back from a
 * context to tell whether it still has OpenSSL's defaults.
 */
#define _GNU_SOURCE
#include "CCurl.h"
#include <dlfcn.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdlib.h>

/* Idle contexts kept at most; more are freed. Each holds ~10 KB (cipher, group and sigalg
   tables). A round of probes needs as many as it has handshakes in flight. */
#define LK_POOL_IDLE_MAX 128

struct lk_pooled {
    SSL_CTX *ctx;
    int users;                  /* references other than the pool's own */
    struct lk_pooled *next_idle;
};

static pthread_mutex_t lk_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t lk_pool_once = PTHREAD_ONCE_INIT;
static int lk_pool_index = -1;  /* SSL_CTX ex_data slot holding the struct lk_pooled */
static int (*lk_real_up_ref)(SSL_CTX *);
static void (*lk_real_free)(SSL_CTX *);
static struct lk_pooled *lk_idle;
static int lk_idle_count;
static int lk_pool_enabled = 1;
static unsigned long lk_reused, lk_created;

/* A new client context's settings, read once from a context nobody has touched. */
static struct {
    uint64_t options;
    long mode, min_proto, max_proto, cache_mode;
    int verify_mode;
    STACK_OF(SSL_CIPHER) *ciphers; /* a private copy of the default list */
} lk_fresh;

static void lk_pool_init(void) {
    lk_real_up_ref = (int (*)(SSL_CTX *))dlsym(RTLD_NEXT, "SSL_CTX_up_ref");
    lk_real_free = (void (*)(SSL_CTX *))dlsym(RTLD_NEXT, "SSL_CTX_free");
    if (!lk_real_up_ref || !lk_real_free) abort(); /* libssl is linked: cannot happen */
    lk_pool_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    SSL_CTX *probe = SSL_CTX_new_ex(NULL, NULL, TLS_client_method());
    if (!probe || lk_pool_index < 0) {
        lk_pool_enabled = 0;
    } else {
        lk_fresh.options = SSL_CTX_get_options(probe);
        lk_fresh.mode = SSL_CTX_get_mode(probe);
        lk_fresh.min_proto = SSL_CTX_get_min_proto_version(probe);
        lk_fresh.max_proto = SSL_CTX_get_max_proto_version(probe);
        lk_fresh.cache_mode = SSL_CTX_get_session_cache_mode(probe);
        lk_fresh.verify_mode = SSL_CTX_get_verify_mode(probe);
        lk_fresh.ciphers = sk_SSL_CIPHER_dup(SSL_CTX_get_ciphers(probe));
        if (!lk_fresh.ciphers) lk_pool_enabled = 0;
    }
    if (probe) lk_real_free(probe);
}

static struct lk_pooled *lk_member(SSL_CTX *ctx) {
    return ctx && lk_pool_index >= 0 ? SSL_CTX_get_ex_data(ctx, lk_pool_index) : NULL;
}

/* Takes `member` out of the pool and drops the pool's reference to its context: the last one,
   so the context goes. */
static void lk_discard(struct lk_pooled *member) {
    SSL_CTX_set_ex_data(member->ctx, lk_pool_index, NULL);
    lk_real_free(member->ctx);
    free(member);
}

static int lk_same_ciphers(const SSL_CTX *ctx) {
    STACK_OF(SSL_CIPHER) *now = SSL_CTX_get_ciphers(ctx);
    int count = sk_SSL_CIPHER_num(lk_fresh.ciphers);
    if (!now || sk_SSL_CIPHER_num(now) != count) return 0;
    for (int i = 0; i < count; i++)
        if (sk_SSL_CIPHER_value(now, i) != sk_SSL_CIPHER_value(lk_fresh.ciphers, i)) return 0;
    return 1;
}

/* Puts `ctx` back as SSL_CTX_new made it; 0 if that is not possible. */
static int lk_reset(SSL_CTX *ctx) {
    if (SSL_CTX_get0_certificate(ctx) || SSL_CTX_get0_privatekey(ctx) || SSL_CTX_sess_number(ctx) != 0)
        return 0;
    X509_STORE *store = X509_STORE_new();
    if (!store) return 0;
    SSL_CTX_set_cert_store(ctx, store); /* frees the store the last connection used */
    SSL_CTX_clear_options(ctx, ~(uint64_t)0);
    SSL_CTX_set_options(ctx, lk_fresh.options);
    SSL_CTX_clear_mode(ctx, ~0L);
    SSL_CTX_set_mode(ctx, lk_fresh.mode);
    if (!SSL_CTX_set_min_proto_version(ctx, lk_fresh.min_proto)
        || !SSL_CTX_set_max_proto_version(ctx, lk_fresh.max_proto))
        return 0;
    SSL_CTX_set_verify(ctx, lk_fresh.verify_mode, NULL);
    if (SSL_CTX_set_alpn_protos(ctx, NULL, 0) != 0) return 0;
    SSL_CTX_set_session_cache_mode(ctx, lk_fresh.cache_mode);
    SSL_CTX_sess_set_new_cb(ctx, NULL);
    SSL_CTX_set_keylog_callback(ctx, NULL);
    SSL_CTX_set_msg_callback(ctx, NULL);
    SSL_CTX_set_msg_callback_arg(ctx, NULL);
    SSL_CTX_set_post_handshake_auth(ctx, 0);
    if (!lk_same_ciphers(ctx)) {
        /* Probes order the TLS 1.3 suites; anything else changed the list for good. */
        if (!SSL_CTX_set_ciphersuites(ctx, OSSL_default_ciphersuites()) || !lk_same_ciphers(ctx))
            return 0;
    }
    return 1;
}

SSL_CTX *SSL_CTX_new(const SSL_METHOD *method) {
    pthread_once(&lk_pool_once, lk_pool_init);
    if (method != TLS_client_method()) return SSL_CTX_new_ex(NULL, NULL, method);
    pthread_mutex_lock(&lk_pool_lock);
    int enabled = lk_pool_enabled;
    struct lk_pooled *member = enabled ? lk_idle : NULL;
    if (member) {
        lk_idle = member->next_idle;
        lk_idle_count--;
        member->next_idle = NULL;
        member->users = 1;
        lk_reused++;
        pthread_mutex_unlock(&lk_pool_lock);
        lk_real_up_ref(member->ctx); /* the caller's reference; cannot fail on a live context */
        return member->ctx;
    }
    pthread_mutex_unlock(&lk_pool_lock);
    SSL_CTX *ctx = SSL_CTX_new_ex(NULL, NULL, method);
    if (!ctx || !enabled) return ctx;
    member = calloc(1, sizeof *member);
    /* The pool's own reference keeps the context alive between connections. */
    if (!member || !lk_real_up_ref(ctx)) {
        free(member);
        return ctx;
    }
    member->ctx = ctx;
    member->users = 1;
    if (!SSL_CTX_set_ex_data(ctx, lk_pool_index, member)) {
        lk_real_free(ctx);
        free(member);
        return ctx;
    }
    pthread_mutex_lock(&lk_pool_lock);
    lk_created++;
    pthread_mutex_unlock(&lk_pool_lock);
    return ctx;
}

int SSL_CTX_up_ref(SSL_CTX *ctx) {
    pthread_once(&lk_pool_once, lk_pool_init);
    if (!lk_real_up_ref(ctx)) return 0;
    struct lk_pooled *member = lk_member(ctx);
    if (member) {
        pthread_mutex_lock(&lk_pool_lock);
        member->users++;
        pthread_mutex_unlock(&lk_pool_lock);
    }
    return 1;
}

void SSL_CTX_free(SSL_CTX *ctx) {
    if (!ctx) return;
    pthread_once(&lk_pool_once, lk_pool_init);
    struct lk_pooled *member = lk_member(ctx);
    if (!member) {
        lk_real_free(ctx);
        return;
    }
    pthread_mutex_lock(&lk_pool_lock);
    int last = --member->users == 0;
    int keep = last && lk_pool_enabled && lk_idle_count < LK_POOL_IDLE_MAX;
    pthread_mutex_unlock(&lk_pool_lock);
    lk_real_free(ctx); /* never the last reference: the pool holds one */
    if (!last) return;
    /* Nobody else holds the context now: reset it outside the lock. */
    if (keep && lk_reset(ctx)) {
        pthread_mutex_lock(&lk_pool_lock);
        member->next_idle = lk_idle;
        lk_idle = member;
        lk_idle_count++;
        pthread_mutex_unlock(&lk_pool_lock);
        return;
    }
    lk_discard(member);
}

void lk_tls_ctx_pool_set_enabled(int enabled) {
    pthread_once(&lk_pool_once, lk_pool_init);
    pthread_mutex_lock(&lk_pool_lock);
    if (lk_fresh.ciphers) lk_pool_enabled = enabled != 0;
    struct lk_pooled *drained = enabled ? NULL : lk_idle;
    if (drained) {
        lk_idle = NULL;
        lk_idle_count = 0;
    }
    pthread_mutex_unlock(&lk_pool_lock);
    while (drained) {
        struct lk_pooled *next = drained->next_idle;
        lk_discard(drained);
        drained = next;
    }
}

int lk_tls_ctx_pool_refuses_option(CURLoption option) {
    switch (option) {
    case CURLOPT_SSLCERT: case CURLOPT_SSLKEY: case CURLOPT_SSLCERT_BLOB: case CURLOPT_SSLKEY_BLOB:
    case CURLOPT_SSL_CIPHER_LIST: case CURLOPT_SSL_EC_CURVES:
    case CURLOPT_TLSAUTH_USERNAME: case CURLOPT_TLSAUTH_PASSWORD: case CURLOPT_TLSAUTH_TYPE:
    case CURLOPT_PROXY_SSLCERT: case CURLOPT_PROXY_SSLKEY: case CURLOPT_PROXY_SSLCERT_BLOB:
    case CURLOPT_PROXY_SSLKEY_BLOB: case CURLOPT_PROXY_SSL_CIPHER_LIST:
    case CURLOPT_PROXY_TLSAUTH_USERNAME: case CURLOPT_PROXY_TLSAUTH_PASSWORD:
    case CURLOPT_PROXY_TLSAUTH_TYPE:
        return 1;
    default:
        return 0;
    }
}

void lk_tls_ctx_pool_stats(unsigned long *created, unsigned long *reused, int *idle) {
    pthread_mutex_lock(&lk_pool_lock);
    *created = lk_created;
    *reused = lk_reused;
    *idle = lk_idle_count;
    pthread_mutex_unlock(&lk_pool_lock);
}

int lk_tls_ctx_pool_idle_are_fresh(void) {
    pthread_once(&lk_pool_once, lk_pool_init);
    pthread_mutex_lock(&lk_pool_lock);
    int fresh = 1;
    for (struct lk_pooled *m = lk_idle; m && fresh; m = m->next_idle) {
        SSL_CTX *ctx = m->ctx;
        X509_STORE *store = SSL_CTX_get_cert_store(ctx);
        fresh = SSL_CTX_get_options(ctx) == lk_fresh.options
            && SSL_CTX_get_mode(ctx) == lk_fresh.mode
            && SSL_CTX_get_min_proto_version(ctx) == lk_fresh.min_proto
            && SSL_CTX_get_max_proto_version(ctx) == lk_fresh.max_proto
            && SSL_CTX_get_verify_mode(ctx) == lk_fresh.verify_mode
            && SSL_CTX_get_session_cache_mode(ctx) == lk_fresh.cache_mode
            && SSL_CTX_sess_get_new_cb(ctx) == NULL
            && SSL_CTX_get_keylog_callback(ctx) == NULL
            && store && sk_X509_OBJECT_num(X509_STORE_get0_objects(store)) == 0
            && !SSL_CTX_get0_certificate(ctx)
            && lk_same_ciphers(ctx)
            && m->users == 0;
    }
    pthread_mutex_unlock(&lk_pool_lock);
    return fresh;
}

/*
 * Decoded peer certificates, kept by their exact DER bytes (issue #5, docs/tls-probe-cost.md).
 *
 * OpenSSL 3.0 decodes a certificate's public key through a provider decoder chain that it builds
 * anew for every certificate (`OSSL_DECODER_CTX_new_for_pkey`): ~1.4 M instructions per
 * certificate, a third of a probe's handshake once the SSL_CTX is recycled (ctx_pool.c). A probe
 * receives the same certificates every time. This file takes `d2i_X509` for the process and,
 * only when libssl itself is the caller (decoding a peer's certificate from the handshake),
 * hands back the X509 decoded earlier from the same bytes, with a reference for the caller.
 *
 * A decoded certificate is immutable for these callers: libssl stores it in the session and the
 * verified chain, and what OpenSSL caches on it later (extension flags) is derived from its bytes
 * under its own lock. Trust, validity dates and host names are checked per connection as before;
 * a changed certificate has other bytes and is decoded. Calls from anywhere else (PEM loading of
 * CA files, libcurl, Lookout) go straight to OpenSSL. SM2 keys are never cached (libssl may set
 * a distinguishing id on those). The table has 256 slots; a new certificate replaces the one in
 * its slot.
 */
#define _GNU_SOURCE
#include "CCurl.h"
#include <dlfcn.h>
#include <link.h>
#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define LK_X509_SLOTS 256

struct lk_cert_slot {
    X509 *x509;
    unsigned char *der;
    size_t length;
    uint64_t hash;
};

static struct lk_cert_slot lk_slots[LK_X509_SLOTS];
static pthread_mutex_t lk_cert_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t lk_cert_once = PTHREAD_ONCE_INIT;
static X509 *(*lk_real_d2i)(X509 **, const unsigned char **, long);
/* libssl's executable segment: only calls from there use the table. */
static uintptr_t lk_ssl_text_start, lk_ssl_text_end;
static int lk_cert_cache_enabled = 1;
static unsigned long lk_cert_hits, lk_cert_misses;

static int lk_find_text(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    uintptr_t base = (uintptr_t)data;
    if (info->dlpi_addr != base) return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            lk_ssl_text_start = base + ph->p_vaddr;
            lk_ssl_text_end = lk_ssl_text_start + ph->p_memsz;
            return 1;
        }
    }
    return 0;
}

static void lk_cert_init(void) {
    lk_real_d2i = (X509 * (*)(X509 **, const unsigned char **, long))dlsym(RTLD_NEXT, "d2i_X509");
    if (!lk_real_d2i) abort(); /* libcrypto is linked: cannot happen */
    /* SSL_new is libssl's own (not taken by this process, unlike SSL_CTX_new); looked up in
       libssl itself, since its address in the executable could be a PLT stub. */
    void *ssl = dlopen("libssl.so.3", RTLD_LAZY | RTLD_NOLOAD);
    void *ssl_new = ssl ? dlsym(ssl, "SSL_new") : NULL;
    Dl_info info;
    if (ssl_new && dladdr(ssl_new, &info) && info.dli_fbase)
        dl_iterate_phdr(lk_find_text, info.dli_fbase);
    if (ssl) dlclose(ssl);
}

static uint64_t lk_hash(const unsigned char *bytes, size_t count) {
    uint64_t hash = 0xcbf29ce484222325ULL ^ count;
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        uint64_t word;
        memcpy(&word, bytes + i, 8);
        hash = (hash ^ word) * 0x100000001b3ULL;
        hash ^= hash >> 29;
    }
    for (; i < count; i++) hash = (hash ^ bytes[i]) * 0x100000001b3ULL;
    return hash ^ (hash >> 32);
}

/* The length of the DER element at `bytes` (tag, length and contents), or 0. */
static size_t lk_element_length(const unsigned char *bytes, long available) {
    const unsigned char *contents = bytes;
    long length = 0;
    int tag = 0, class = 0;
    int flags = ASN1_get_object(&contents, &length, &tag, &class, available);
    if ((flags & 0x80) || flags == 0x21 || tag != V_ASN1_SEQUENCE || class != V_ASN1_UNIVERSAL)
        return 0;
    return (size_t)(contents - bytes) + (size_t)length;
}

X509 *d2i_X509(X509 **px, const unsigned char **pp, long length) {
    pthread_once(&lk_cert_once, lk_cert_init);
    uintptr_t caller = (uintptr_t)__builtin_return_address(0);
    if (!__atomic_load_n(&lk_cert_cache_enabled, __ATOMIC_RELAXED) || caller < lk_ssl_text_start || caller >= lk_ssl_text_end
        || !pp || !*pp || length <= 0)
        return lk_real_d2i(px, pp, length);
    const unsigned char *start = *pp;
    size_t element = lk_element_length(start, length);
    if (element == 0 || element > (size_t)length) return lk_real_d2i(px, pp, length);
    uint64_t hash = lk_hash(start, element);
    struct lk_cert_slot *slot = &lk_slots[hash & (LK_X509_SLOTS - 1)];

    pthread_mutex_lock(&lk_cert_lock);
    X509 *found = NULL;
    if (slot->x509 && slot->hash == hash && slot->length == element && memcmp(slot->der, start, element) == 0
        && X509_up_ref(slot->x509))
        found = slot->x509;
    if (found) lk_cert_hits++; else lk_cert_misses++;
    pthread_mutex_unlock(&lk_cert_lock);
    if (found) {
        if (px) {
            X509_free(*px);
            *px = found;
        }
        *pp = start + element;
        return found;
    }

    X509 *decoded = lk_real_d2i(px, pp, length);
    if (!decoded || (size_t)(*pp - start) != element) return decoded;
    EVP_PKEY *key = X509_get0_pubkey(decoded);
    if (!key || EVP_PKEY_is_a(key, "SM2")) return decoded;
    unsigned char *copy = malloc(element);
    if (!copy) return decoded;
    memcpy(copy, start, element);
    if (!X509_up_ref(decoded)) {
        free(copy);
        return decoded;
    }
    pthread_mutex_lock(&lk_cert_lock);
    struct lk_cert_slot old = *slot;
    *slot = (struct lk_cert_slot){ .x509 = decoded, .der = copy, .length = element, .hash = hash };
    pthread_mutex_unlock(&lk_cert_lock);
    X509_free(old.x509);
    free(old.der);
    return decoded;
}

void lk_tls_cert_cache_set_enabled(int enabled) {
    pthread_once(&lk_cert_once, lk_cert_init);
    __atomic_store_n(&lk_cert_cache_enabled, enabled != 0, __ATOMIC_RELAXED);
}

void lk_tls_cert_cache_stats(unsigned long *hits, unsigned long *misses) {
    pthread_mutex_lock(&lk_cert_lock);
    *hits = lk_cert_hits;
    *misses = lk_cert_misses;
    pthread_mutex_unlock(&lk_cert_lock);
}

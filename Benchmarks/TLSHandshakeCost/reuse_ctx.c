/*
 * Prototype for the measurement only, never linked into Lookout: linked into a second build of
 * handshake.c, it interposes libssl's SSL_CTX_new so that every connection gets the same SSL_CTX
 * (one more reference each) instead of a new one, to show what libcurl 7.88's SSL_CTX per
 * connection costs. Unsafe in a real process: settings libcurl puts on the context for one
 * transfer (CA store, ALPN, options) would leak into the others sharing it.
 */
#include <openssl/ssl.h>

SSL_CTX *SSL_CTX_new(const SSL_METHOD *method) {
    static SSL_CTX *shared;
    if (!shared) shared = SSL_CTX_new_ex(NULL, NULL, method);
    if (shared && !SSL_CTX_up_ref(shared)) return NULL;
    return shared;
}

import CCurl

/// Peer certificates decoded once per exact DER bytes (CCurl/x509_cache.c).
///
/// OpenSSL 3.0 builds a new key decoder for every certificate it receives in a handshake, about a
/// third of a probe's handshake once its context is recycled (`TLSContextPool`). Certificates
/// that libssl receives are kept decoded by their bytes and handed out again; verification,
/// validity dates and host names are still checked on every connection. On from the start.
public enum TLSCertificateCache {
    /// Certificates from handshakes found already decoded, and those decoded.
    public struct Stats: Sendable, Equatable {
        public var hits: Int
        public var misses: Int
    }

    /// The counts since the process started.
    public static var stats: Stats {
        var hits: UInt = 0, misses: UInt = 0
        lk_tls_cert_cache_stats(&hits, &misses)
        return Stats(hits: Int(hits), misses: Int(misses))
    }

    /// Turns the cache on or off for the process (benchmarks compare the two).
    public static func setEnabled(_ enabled: Bool) {
        lk_tls_cert_cache_set_enabled(enabled ? 1 : 0)
    }
}

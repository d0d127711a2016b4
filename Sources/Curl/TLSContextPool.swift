import CCurl

/// The process's recycled OpenSSL contexts (CCurl/ctx_pool.c).
///
/// libcurl 7.88 makes a new `SSL_CTX` for every TLS connection, and with OpenSSL 3.0 that is
/// about a fifth of a probe's handshake. The pool hands a context that no connection uses any
/// more, reset to a new context's settings, to the next connection. It is on from the start.
public enum TLSContextPool {
    /// How many contexts were made and how many handed out again.
    public struct Stats: Sendable, Equatable {
        public var created: Int
        public var reused: Int
        /// Contexts waiting for a connection now.
        public var idle: Int
    }

    /// The counts since the process started.
    public static var stats: Stats {
        var created: UInt = 0, reused: UInt = 0
        var idle: Int32 = 0
        lk_tls_ctx_pool_stats(&created, &reused, &idle)
        return Stats(created: Int(created), reused: Int(reused), idle: Int(idle))
    }

    /// Turns recycling on or off for the process (benchmarks compare the two); off frees the
    /// idle contexts, and contexts in use are freed when their connection closes.
    public static func setEnabled(_ enabled: Bool) {
        lk_tls_ctx_pool_set_enabled(enabled ? 1 : 0)
    }

    /// Whether every idle context has exactly a new context's settings.
    static var idleContextsAreFresh: Bool { lk_tls_ctx_pool_idle_are_fresh() == 1 }
}

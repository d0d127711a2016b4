import CCurl
#if canImport(Glibc)
import Glibc
#endif

extension Transfer {
    /// libcurl's built-in CA bundle (Debian: /etc/ssl/certs/ca-certificates.crt).
    static let defaultCAFile: String? = lk_default_ca_file().map { String(cString: $0) }

    /// Sets how the server certificate is verified: against `caFile` (the system bundle when
    /// nil), or not at all.
    ///
    /// A transfer on a connection of its own (`ownConnection`: fresh and never reused, as every
    /// probe's) verifies through a parsed CA store kept per file for the process (CCurl/tls.c):
    /// libcurl's cache holds one CA file per multi handle and re-parses a whole bundle on every
    /// switch. Pooled connections keep libcurl's own loading, because libcurl matches a pooled
    /// connection to a request by its CAINFO path, which the process-wide store leaves unset.
    func configureTrust(caFile: String?, insecure: Bool, ownConnection: Bool) throws(CurlError) {
        if insecure {
            try set(CURLOPT_SSL_VERIFYPEER, 0)
            try set(CURLOPT_SSL_VERIFYHOST, 0)
            return
        }
        if let caFile, Self.isSpecialFile(caFile) {
            // Reading a FIFO or a device would block the loop thread, and every transfer with it.
            throw CurlError(kind: .tls, code: Int(CURLE_SSL_CACERT_BADFILE.rawValue),
                            message: "CA file \"\(caFile)\" is not a regular file")
        }
        if ownConnection, let file = caFile ?? Self.defaultCAFile, lk_easy_use_cached_ca(easy, file) == 1 { return }
        // Unreadable or not PEM: let libcurl load it and report the error as it always has.
        if let caFile { try set(CURLOPT_CAINFO, caFile) }
    }

    /// Whether `path` exists and is not a regular file (a FIFO, a device, a directory).
    private static func isSpecialFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT != S_IFREG
    }

    /// Offers OpenSSL's three TLS 1.3 suites with TLS_AES_128_GCM_SHA256 first, as Go's client
    /// (blackbox_exporter) does, instead of OpenSSL's AES-256/SHA-384 first. The same suites are
    /// offered; a server that honours the client's order runs its key schedule on SHA-256, about
    /// 70k fewer instructions of the ~5.7-6.2 M a full handshake costs (callgrind,
    /// Benchmarks/TLSHandshakeCost). A libcurl without the option keeps its default order.
    func preferSHA256Suites() throws(CurlError) {
        let rc = lk_easy_setopt_string(easy, CURLOPT_TLS13_CIPHERS, Self.tls13Suites)
        guard rc == CURLE_OK || rc == CURLE_NOT_BUILT_IN || rc == CURLE_UNKNOWN_OPTION else {
            throw CurlError(kind: .invalidRequest, code: Int(rc.rawValue),
                            message: "setting the TLS 1.3 suites: \(String(cString: curl_easy_strerror(rc)))")
        }
    }

    private static let tls13Suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"

    /// Reads the peer chain's earliest expiry on each status line, while the connection is
    /// still open (a probe's connection is closed by the time the transfer returns).
    func notePeerCertificates(statusLine: UnsafeRawBufferPointer) {
        guard captureExpiry, statusLine.starts(with: Self.statusPrefix) else { return }
        // Each response replaces the last: the final one's connection is what is reported
        // (none after a redirect from https to plain http, as blackbox_exporter does).
        var expiry: Int64 = 0
        peerExpiry = lk_easy_peer_earliest_expiry(easy, &expiry) == 1 ? expiry : nil
        let reused = lk_easy_session_reused(easy)
        sessionResumed = reused >= 0 ? reused == 1 : nil
    }

    private static let statusPrefix = Array("HTTP/".utf8)
}

import CCurl

extension CurlLoop {
    /// Opens a TCP connection to `host:port` and closes it at once, returning how long the
    /// connect took (DNS included). Throws `CurlError` (`.connectionRefused`, `.dns`, `.timeout`…).
    public func connect(host: String, port: Int, timeout: Duration,
                        ipVersion: HTTPRequest.IPVersion = .any) async throws -> Duration {
        let transfer = try Transfer()
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        // CONNECT_ONLY stops after the connection is made: no request is sent on it.
        try transfer.set(CURLOPT_URL, "http://\(bracketed):\(port)/")
        try transfer.set(CURLOPT_CONNECT_ONLY, 1)
        try transfer.set(CURLOPT_TIMEOUT_MS, timeout.milliseconds)
        try transfer.set(CURLOPT_FRESH_CONNECT, 1)
        try transfer.set(CURLOPT_FORBID_REUSE, 1)
        switch ipVersion {
        case .any: break
        case .v4: try transfer.set(CURLOPT_IPRESOLVE, Int(CURL_IPRESOLVE_V4))
        case .v6: try transfer.set(CURLOPT_IPRESOLVE, Int(CURL_IPRESOLVE_V6))
        }
        let code = try await run(transfer)
        guard code == CURLE_OK else { throw CurlError(code: code, transfer: transfer) }
        return .microseconds(transfer.info(offset: CURLINFO_CONNECT_TIME_T))
    }
}

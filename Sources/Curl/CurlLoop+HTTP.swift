import CCurl

extension CurlLoop {
    /// Sends `request` and returns the final response, whatever its status.
    /// Throws `CurlError` when no response arrived, or `CancellationError` if the task is cancelled.
    public func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transfer = try Transfer()
        try transfer.configure(request)
        let code = try await run(transfer)
        // A body cut at its limit on request is a response, not a failure.
        let truncated = request.truncateBody && transfer.exceededBodyLimit && code == CURLE_WRITE_ERROR
        guard code == CURLE_OK || truncated else { throw CurlError(code: code, transfer: transfer) }
        return HTTPResponse(transfer: transfer, request: request)
    }
}

extension Transfer {
    func configure(_ request: HTTPRequest) throws(CurlError) {
        try set(CURLOPT_URL, request.url)
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_TIMEOUT_MS, request.timeout.milliseconds)
        try set(CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0)
        try set(CURLOPT_MAXREDIRS, request.maxRedirects)
        try configureTrust(caFile: request.caFile, insecure: request.insecure,
                           ownConnection: request.freshConnection || request.captureCertificates)
        switch request.ipVersion {
        case .any: break
        case .v4: try set(CURLOPT_IPRESOLVE, Int(CURL_IPRESOLVE_V4))
        case .v6: try set(CURLOPT_IPRESOLVE, Int(CURL_IPRESOLVE_V6))
        }
        if request.acceptGzip { try set(CURLOPT_ACCEPT_ENCODING, "gzip") }
        if let limit = request.maxBodyBytes {
            maxBodyBytes = limit
            truncateBody = request.truncateBody
            // Fails early on a declared Content-Length; the write callback catches the rest.
            if !request.truncateBody { try set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(limit)) }
        }
        captureExpiry = request.captureCertificates
        if request.freshConnection || request.captureCertificates {
            try set(CURLOPT_FRESH_CONNECT, 1)
            try set(CURLOPT_FORBID_REUSE, 1)
            // A probe measures a full handshake, never a resumed session.
            try set(CURLOPT_SSL_SESSIONID_CACHE, 0)
            try preferSHA256Suites()
        }
        try configureMethod(request)
        try set(CURLOPT_HTTPHEADER, list: request.headers.map { "\($0.name): \($0.value)" })
    }

    private func configureMethod(_ request: HTTPRequest) throws(CurlError) {
        let method = request.method.uppercased()
        if let body = request.body {
            try set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.count))
            // COPYPOSTFIELDS copies, so the bytes need not outlive this call (POSTFIELDS would not).
            let rc = body.withUnsafeBytes { bytes in
                lk_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(errorBuffer)))
            }
            guard rc == CURLE_OK else {
                throw CurlError(kind: .invalidRequest, code: Int(rc.rawValue), message: "setting the request body failed")
            }
            if method != "POST" { try set(CURLOPT_CUSTOMREQUEST, method) }
        } else if method == "HEAD" {
            try set(CURLOPT_NOBODY, 1)
        } else if method != "GET" {
            try set(CURLOPT_CUSTOMREQUEST, method)
        }
    }
}

extension HTTPResponse {
    init(transfer: Transfer, request: HTTPRequest) {
        status = transfer.info(CURLINFO_RESPONSE_CODE)
        headers = HeaderParser.finalHeaders(transfer.headerLines)
        body = transfer.body
        bodyTruncated = request.truncateBody && transfer.exceededBodyLimit
        timings = Timings(
            total: .microseconds(transfer.info(offset: CURLINFO_TOTAL_TIME_T)),
            dnsLookup: .microseconds(transfer.info(offset: CURLINFO_NAMELOOKUP_TIME_T)),
            connect: .microseconds(transfer.info(offset: CURLINFO_CONNECT_TIME_T)),
            tlsHandshake: .microseconds(transfer.info(offset: CURLINFO_APPCONNECT_TIME_T)),
            firstByte: .microseconds(transfer.info(offset: CURLINFO_STARTTRANSFER_TIME_T)))
        certificateExpiry = request.captureCertificates ? transfer.peerExpiry : nil
        tlsSessionResumed = transfer.sessionResumed
        effectiveURL = Redaction.redactURL(Substring(transfer.info(string: CURLINFO_EFFECTIVE_URL) ?? request.url))
        redirectCount = transfer.info(CURLINFO_REDIRECT_COUNT)
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so a sub-millisecond timeout never becomes "no timeout" (0).
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        let ms = Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
        return Swift.max(ms, 1)
    }
}

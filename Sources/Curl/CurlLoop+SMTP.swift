import CCurl

extension CurlLoop {
    /// Submits `message` and returns once the server has accepted it.
    /// Throws `CurlError` (4xx replies are retryable, 5xx are not) or `CancellationError`.
    public func send(_ message: SMTPMessage) async throws -> SMTPResult {
        let transfer = try Transfer()
        try transfer.configure(message)
        let code = try await run(transfer)
        guard code == CURLE_OK else {
            var error = CurlError(code: code, transfer: transfer)
            // libcurl's text is generic ("Weird server reply", "RCPT failed: 550"); the server's
            // own words say why ("5.1.1 <ops@example.com>: Recipient address rejected").
            if let reply = SMTPReply.refusal(in: transfer.headerLines) {
                error.message += "; server replied \"\(Redaction.redactURLs(in: reply))\""
            }
            throw error
        }
        return SMTPResult(responseCode: transfer.info(CURLINFO_RESPONSE_CODE))
    }
}

extension Transfer {
    func configure(_ message: SMTPMessage) throws(CurlError) {
        try set(CURLOPT_URL, message.url)
        try set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        try set(CURLOPT_TIMEOUT_MS, message.timeout.milliseconds)
        switch message.security {
        case .startTLS, .implicitTLS: try set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        case .none: try set(CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
        }
        try configureTrust(caFile: message.caFile, insecure: message.insecure, ownConnection: false)
        if let username = message.username { try set(CURLOPT_USERNAME, username) }
        if let password = message.password { try set(CURLOPT_PASSWORD, password) }
        try set(CURLOPT_MAIL_FROM, "<\(message.from)>")
        try set(CURLOPT_MAIL_RCPT, list: message.recipients.map { "<\($0)>" })
        try setUpload(message.message)
    }
}

import CCurl

/// Why a transfer failed, classified so callers can decide between retrying and giving up.
///
/// Messages never contain URL credentials or query strings: both are redacted.
public struct CurlError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The broad class of failure.
    public enum Kind: String, Sendable, Equatable {
        case connectionRefused = "connection refused"
        case dns = "DNS failure"
        case timeout
        case tls = "TLS error"
        case tooLarge = "response too large"
        case tooManyRedirects = "too many redirects"
        case connectionLost = "connection lost"
        case protocolError = "protocol error"
        case loginDenied = "login denied"
        case rejected = "rejected by server"
        case invalidRequest = "invalid request"
        case cancelled
        case other
    }

    /// The broad class of failure.
    public var kind: Kind
    /// The libcurl result code (`CURLcode`), or -1 for failures outside libcurl.
    public var code: Int
    /// What went wrong, from libcurl's error buffer, with secrets redacted.
    public var message: String
    /// The last response code from the server (HTTP status or SMTP reply), 0 if none.
    public var responseCode: Int

    /// Whether the same request may succeed if sent again later.
    public var isRetryable: Bool {
        switch kind {
        case .connectionRefused, .dns, .timeout, .connectionLost: return true
        case .rejected, .protocolError: return (400..<500).contains(responseCode)
        case .tls, .tooLarge, .tooManyRedirects, .loginDenied, .invalidRequest, .cancelled, .other: return false
        }
    }

    /// Creates an error; `message` is redacted.
    public init(kind: Kind, code: Int, message: String, responseCode: Int = 0) {
        self.kind = kind
        self.code = code
        self.message = Redaction.redactURLs(in: message)
        self.responseCode = responseCode
    }

    public var description: String {
        var text = code >= 0 ? "curl error \(code) (\(kind.rawValue)): \(message)" : "\(kind.rawValue): \(message)"
        if responseCode != 0 { text += "; last response code \(responseCode)" }
        return text
    }
}

extension CurlError {
    /// Builds the error for a finished transfer from its code, error buffer and response code.
    init(code: CURLcode, transfer: Transfer) {
        let detail = transfer.errorText
        let generic = String(cString: curl_easy_strerror(code))
        // libcurl often puts the generic text in the buffer itself ("Failed to connect to … port 1 after 0 ms: Couldn't connect to server").
        let message = detail.isEmpty ? generic : detail.contains(generic) ? detail : "\(detail) (\(generic))"
        let response = transfer.info(CURLINFO_RESPONSE_CODE)
        let kind = transfer.exceededBodyLimit ? .tooLarge : Self.classify(code, response: response)
        self.init(kind: kind, code: Int(code.rawValue), message: message, responseCode: response)
    }

    static func classify(_ code: CURLcode, response: Int) -> Kind {
        switch code {
        case CURLE_COULDNT_CONNECT: return .connectionRefused
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .dns
        case CURLE_OPERATION_TIMEDOUT: return .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_USE_SSL_FAILED, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_CRL_BADFILE:
            return .tls
        case CURLE_FILESIZE_EXCEEDED: return .tooLarge
        case CURLE_TOO_MANY_REDIRECTS: return .tooManyRedirects
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE:
            return response >= 400 ? .rejected : .connectionLost
        case CURLE_LOGIN_DENIED: return .loginDenied
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT: return .invalidRequest
        case CURLE_WEIRD_SERVER_REPLY, CURLE_BAD_CONTENT_ENCODING, CURLE_HTTP2, CURLE_HTTP2_STREAM,
             CURLE_RANGE_ERROR, CURLE_UPLOAD_FAILED:
            return response >= 400 ? .rejected : .protocolError
        default: return response >= 400 ? .rejected : .other
        }
    }
}

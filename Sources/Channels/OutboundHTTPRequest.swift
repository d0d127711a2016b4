import Notify

/// An HTTP request as a channel renders it. `url` may hold a secret and is never logged.
public struct OutboundHTTPRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    public var headers: [(String, String)] { headerList.map { ($0.name, $0.value) } }
    var headerList: [Header]
    public var body: [UInt8]

    struct Header: Sendable, Hashable {
        var name: String
        var value: String
    }

    init(method: String = "POST", url: String, headers: [(String, String)], body: [UInt8]) {
        self.method = method
        self.url = url
        self.headerList = headers.map { Header(name: $0.0, value: $0.1) }
        self.body = body
    }

    /// The body as text (for tests and logs of non-secret bodies).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What came back from one HTTP attempt.
public struct OutboundHTTPResponse: Sendable, Hashable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Performs HTTP requests. The production implementation runs on the shared curl-multi loop.
public protocol HTTPTransport: Sendable {
    /// Sends a request; a transport failure (refused, timeout, TLS) is a thrown `TransportError`.
    func perform(_ request: OutboundHTTPRequest, timeoutMilliseconds: Int64) async throws(TransportError) -> OutboundHTTPResponse
}

/// A failure below HTTP: no response was received.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Whether trying again may help (connection refused, timeout) or not (bad URL, TLS policy).
    public var retryable: Bool
    /// A description without secrets.
    public var message: String

    public init(retryable: Bool, message: String) {
        self.retryable = retryable
        self.message = message
    }

    public var description: String { message }
}

enum HTTPClassifier {
    /// Receivers' conventions: 2xx accepted; 408, 429 and 5xx retried (429 after `Retry-After`);
    /// every other status refused for good, with the receiver's body for the log.
    static func classify(_ response: OutboundHTTPResponse, accepted: ClosedRange<Int> = 200...299) -> DeliveryResult {
        if accepted.contains(response.status) { return .delivered }
        let body = String(decoding: response.body.prefix(1024), as: UTF8.self)
        let reason = "HTTP \(response.status): \(body)"
        switch response.status {
        case 408, 429, 500...599:
            return .retry(after: retryAfter(response.headers), reason: reason)
        default:
            return .permanent(reason: reason)
        }
    }

    static func classify(_ error: TransportError) -> DeliveryResult {
        error.retryable ? .retry(after: nil, reason: error.message) : .permanent(reason: error.message)
    }

    /// `Retry-After` in seconds (the HTTP-date form is rare for webhooks and treated as absent).
    static func retryAfter(_ headers: [String: String]) -> Int64? {
        guard let value = headers.first(where: { $0.key.lowercased() == "retry-after" })?.value,
              let seconds = Int64(value.filter { !$0.isWhitespace }) else { return nil }
        return max(0, seconds) * 1000
    }

    static func send(_ request: OutboundHTTPRequest, via transport: any HTTPTransport, timeout: Int64,
                     accepted: ClosedRange<Int> = 200...299) async -> DeliveryResult {
        do {
            let response = try await transport.perform(request, timeoutMilliseconds: timeout)
            return classify(response, accepted: accepted)
        } catch {
            return classify(error)
        }
    }
}

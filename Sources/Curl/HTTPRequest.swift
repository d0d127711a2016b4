/// One HTTP(S) request as the loop sends it. Defaults suit a health probe: GET, 10 s timeout,
/// no redirects followed, system CAs, a 10 MiB body limit.
public struct HTTPRequest: Sendable {
    /// Which IP family to resolve the host to.
    public enum IPVersion: Sendable { case any, v4, v6 }

    /// The URL; credentials in it are used but never appear in errors.
    public var url: String
    /// The method; HEAD sends no body back, others are sent verbatim.
    public var method: String = "GET"
    /// Header fields in order; names are sent as given.
    public var headers: [(name: String, value: String)] = []
    /// The request body; sent for any method when non-nil (as for POST).
    public var body: [UInt8]?
    /// Whole-transfer timeout, connect included.
    public var timeout: Duration = .seconds(10)
    /// Follows 3xx responses (http and https only).
    public var followRedirects = false
    /// Redirects followed before failing with `.tooManyRedirects`.
    public var maxRedirects = 10
    /// A PEM file of CA certificates to trust instead of the system store.
    public var caFile: String?
    /// Skips certificate and host name verification.
    public var insecure = false
    /// The IP family to connect over.
    public var ipVersion: IPVersion = .any
    /// Sends `Accept-Encoding: gzip` and decodes a gzip response.
    public var acceptGzip = false
    /// The largest (decoded) body accepted; a larger one fails with `.tooLarge`. Nil: no limit.
    public var maxBodyBytes: Int? = 10 << 20
    /// Keeps the first `maxBodyBytes` of a larger body and returns the response instead of failing
    /// (`HTTPResponse.bodyTruncated` is then set): for callers that judge the status, not the body.
    public var truncateBody = false
    /// Records the server's certificate chain so `HTTPResponse.certificateExpiry` is set.
    /// Certificates are only seen on a new connection, so this implies `freshConnection`.
    public var captureCertificates = false
    /// Opens a new connection instead of reusing a pooled one, and closes it afterwards, so
    /// timings include connect and TLS handshake, as a health probe should measure them.
    public var freshConnection = false

    /// A GET of `url` with the defaults above.
    public init(url: String) {
        self.url = url
    }
}

/// What came back: the final response after any redirects followed.
public struct HTTPResponse: Sendable {
    /// Phases of the transfer, each measured from its start.
    public struct Timings: Sendable, Equatable {
        /// The whole transfer.
        public var total: Duration
        /// Name resolution finished.
        public var dnsLookup: Duration
        /// TCP connection established.
        public var connect: Duration
        /// TLS handshake finished; zero for plain HTTP.
        public var tlsHandshake: Duration
        /// Time to the first response byte.
        public var firstByte: Duration
    }

    /// The HTTP status code.
    public var status: Int
    /// Header fields of the final response, in order.
    public var headers: [(name: String, value: String)]
    /// The body, decoded if it was gzip-encoded and `acceptGzip` was set.
    public var body: [UInt8]
    /// The body went past `maxBodyBytes` and was cut there (only with `truncateBody`).
    public var bodyTruncated = false
    /// How long each phase took.
    public var timings: Timings
    /// The earliest "not after" date over the server's certificate chain, when captured.
    public var certificateExpiry: UnixTime?
    /// The URL of the final response, with credentials and query string redacted.
    public var effectiveURL: String
    /// Redirects followed to get here.
    public var redirectCount: Int
    /// Whether the TLS session of the final response was resumed; nil for plain HTTP or
    /// when certificates were not captured.
    var tlsSessionResumed: Bool?

    /// The first value of header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}

/// Seconds since the Unix epoch, as libcurl and certificates report dates.
public typealias UnixTime = Int64

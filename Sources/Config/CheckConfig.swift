/// One health probe (`checks[]`): series `probe_*{check="<name>"}`.
public struct CheckConfig: Sendable {
    public enum Target: Sendable, Hashable {
        case http(url: String)
        case tcp(address: HostPort)
    }

    public enum IPVersion: String, Sendable {
        case any, ipv4 = "4", ipv6 = "6"
    }

    public var name: String
    public var target: Target
    /// HTTP method (default GET).
    public var method: String
    /// Request headers; values are secrets because they often carry tokens.
    public var headers: [String: Secret]
    public var body: String?
    /// ms, default 30s.
    public var interval: Int64
    /// ms, default 10s or the interval when shorter; never more than the interval.
    public var timeout: Int64
    /// Default true.
    public var followRedirects: Bool
    /// Default 10.
    public var maxRedirects: Int
    public var caFile: String?
    /// Default false.
    public var insecureSkipVerify: Bool
    public var ipVersion: IPVersion
    public var expect: CheckExpectation
    /// Fail when the certificate expires in fewer days.
    public var tlsMinDays: Int?
    public var position: SourcePosition

    /// Memberwise initialiser, for building configs in code.
    public init(
        name: String, target: Target, method: String, headers: [String: Secret], body: String? = nil,
        interval: Int64, timeout: Int64, followRedirects: Bool, maxRedirects: Int, caFile: String? = nil,
        insecureSkipVerify: Bool, ipVersion: IPVersion, expect: CheckExpectation, tlsMinDays: Int? = nil,
        position: SourcePosition
    ) {
        self.name = name
        self.target = target
        self.method = method
        self.headers = headers
        self.body = body
        self.interval = interval
        self.timeout = timeout
        self.followRedirects = followRedirects
        self.maxRedirects = maxRedirects
        self.caFile = caFile
        self.insecureSkipVerify = insecureSkipVerify
        self.ipVersion = ipVersion
        self.expect = expect
        self.tlsMinDays = tlsMinDays
        self.position = position
    }
}

/// `checks[].expect`
public struct CheckExpectation: Sendable {
    /// Accepted status codes; nil means any 2xx.
    public var status: [Int]?
    /// ms.
    public var maxLatency: Int64?
    public var bodyContains: String?
    /// Unanchored regular expression searched in the body (validated to compile).
    public var bodyRegex: String?
    /// Dotted JSON path → expected value, in file order.
    public var json: [JSONExpectation]

    /// Memberwise initialiser, for building configs in code.
    public init(
        status: [Int]? = nil, maxLatency: Int64? = nil, bodyContains: String? = nil,
        bodyRegex: String? = nil, json: [JSONExpectation]
    ) {
        self.status = status
        self.maxLatency = maxLatency
        self.bodyContains = bodyContains
        self.bodyRegex = bodyRegex
        self.json = json
    }
}

/// One `expect.json` entry.
public struct JSONExpectation: Sendable, Hashable {
    /// A typed expected value: plain YAML `3`, `true` and `null` keep their JSON type; quoted text is a string.
    public enum Value: Sendable, Hashable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
    }

    /// Dotted path such as `checks.database`; a numeric component indexes an array.
    public var path: String
    public var value: Value

    /// Memberwise initialiser, for building configs in code.
    public init(path: String, value: Value) {
        self.path = path
        self.value = value
    }
}

/// One health check as Collect runs it; the Daemon maps the `checks:` config onto this.
/// Equal specs are the same check, so a reload keeps its schedule running.
public struct ProbeSpec: Sendable, Hashable {
    /// What is probed.
    public enum Target: Sendable, Hashable {
        /// An HTTP(S) request to this URL.
        case http(url: String)
        /// A TCP connect to `host:port`.
        case tcp(host: String, port: Int)
    }

    /// The IP family to resolve names to.
    public enum IPVersion: Sendable, Hashable { case any, v4, v6 }

    /// One header field of the request.
    public struct Header: Sendable, Hashable {
        /// The field name, sent as given.
        public var name: String
        /// The field value.
        public var value: String
        /// A header field.
        public init(_ name: String, _ value: String) { self.name = name; self.value = value }
    }

    /// The value of the `check` label and the key of this check everywhere.
    public var name: String
    /// What is probed: a URL or a TCP address.
    public var target: Target
    /// How often the check runs.
    public var interval: Duration = .seconds(30)
    /// Limits the whole probe; kept below the interval by the scheduler.
    public var timeout: Duration = .seconds(10)
    /// The HTTP method.
    public var method = "GET"
    /// Request header fields, sent in order.
    public var headers: [Header] = []
    /// A request body, sent as is.
    public var body: String?
    /// Follows 3xx responses (as blackbox_exporter does by default); the final status is judged.
    public var followRedirects = true
    /// Redirects followed before failing with "too many redirects".
    public var maxRedirects = 10
    /// A PEM file of CAs trusted instead of the system store.
    public var caFile: String?
    /// Skips certificate verification (the expiry is still reported).
    public var insecure = false
    /// The IP family to connect over.
    public var ipVersion: IPVersion = .any
    /// What the response must look like.
    public var expect = ProbeExpectation()
    /// Fail when the earliest certificate of the chain expires in fewer days than this.
    public var tlsMinDays: Int?

    /// A check of `target` with defaults: every 30 s, 10 s timeout, GET, redirects followed, any 2xx.
    public init(name: String, target: Target) {
        self.name = name
        self.target = target
    }
}

/// What a probe must see to count as a success. Empty means any 2xx status.
public struct ProbeExpectation: Sendable, Hashable {
    /// Accepted HTTP statuses; nil accepts 200–299.
    public var statuses: Set<Int>?
    /// Fails a probe that took longer than this, even if everything else passed.
    public var maxLatency: Duration?
    /// Text the body must contain.
    public var bodyContains: String?
    /// A regular expression (Swift `Regex` syntax) some part of the body must match.
    public var bodyRegex: String?
    /// Dotted paths into a JSON body (`checks.database`, `items[0].state`) and the values they must hold.
    public var json: [JSONExpectation] = []

    /// Expects any 2xx and nothing more.
    public init() {}
}

/// One `expect.json` entry: the value at `path` must equal `value`.
public struct JSONExpectation: Sendable, Hashable {
    /// A typed expected value; YAML `3` is a number and `"3"` a string.
    public enum Value: Sendable, Hashable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
    }

    /// A dotted path with optional array indexes: `checks.database`, `items[0].state`.
    public var path: String
    /// The value expected there; types must match (the string "3" is not the number 3).
    public var value: Value

    /// The value at `path` must equal `value`.
    public init(path: String, value: Value) {
        self.path = path
        self.value = value
    }
}

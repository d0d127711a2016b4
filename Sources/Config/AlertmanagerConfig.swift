/// One `alertmanagers[]` entry (Alertmanager API v2). Alerts go to `<url>/api/v2/alerts`, so `url`
/// may carry a path prefix (`http://proxy/alertmanager`).
public struct AlertmanagerConfig: Sendable {
    /// The instance's base URL.
    public var url: String
    /// Per-request timeout, ms (default 10s, as Prometheus).
    public var timeout: Int64
    public var auth: ClientAuth?
    /// Extra request headers (e.g. a tenant header), values kept secret.
    public var headers: [String: Secret]
    /// Where the entry is in the config file.
    public var position: SourcePosition

    /// Memberwise initialiser, for building configs in code.
    public init(url: String, timeout: Int64 = 10_000, auth: ClientAuth? = nil, headers: [String: Secret] = [:],
                position: SourcePosition = SourcePosition(file: "", line: 0, column: 0)) {
        self.url = url
        self.timeout = timeout
        self.auth = auth
        self.headers = headers
        self.position = position
    }
}

import Config
import Foundation
import Model

/// One remote-write endpoint as the queue uses it: where to post, with which headers, and the
/// names it goes by in the backlog and in metrics.
struct Endpoint: Sendable {
    /// The URL as configured (credentials included: they reach libcurl and nothing else).
    let url: String
    /// The backlog's key: the URL without credentials (so rotating a password keeps the backlog),
    /// its query as a digest (`backlogKey`).
    let key: String
    /// The URL for logs and metric labels: no credentials, no query string.
    let label: String
    /// Every header of a request, authentication included.
    let headers: [(name: String, value: String)]
    let queue: RemoteWriteQueue

    /// The headers remote write 1.0 requires; custom headers cannot replace them.
    static let protocolHeaders: [(name: String, value: String)] = [
        ("Content-Encoding", "snappy"),
        ("Content-Type", "application/x-protobuf"),
        ("X-Prometheus-Remote-Write-Version", "0.1.0"),
    ]

    init(_ config: RemoteWriteConfig, userAgent: String) {
        url = config.url
        key = Self.backlogKey(config.url)
        label = Self.redacted(config.url)
        queue = config.queue
        var headers = Self.protocolHeaders + [("User-Agent", userAgent)]
        if let auth = config.auth { headers.append(("Authorization", auth.authorizationHeader)) }
        let reserved = Set(headers.map { $0.name.lowercased() })
        for (name, value) in config.headers.sorted(by: { $0.key < $1.key }) where !reserved.contains(name.lowercased()) {
            headers.append((name, value.value))
        }
        self.headers = headers
    }

    private init(url: String, key: String, label: String, headers: [(name: String, value: String)], queue: RemoteWriteQueue) {
        self.url = url
        self.key = key
        self.label = label
        self.headers = headers
        self.queue = queue
    }

    /// The same endpoint under another key and label, for a URL configured twice.
    func renamed(suffix: String) -> Endpoint {
        Endpoint(url: url, key: key + suffix, label: label + suffix, headers: headers, queue: queue)
    }

    /// `scheme://user:pass@host/path?q` → `scheme://host/path?q`.
    static func removingCredentials(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + rest[rest.index(after: at)...]
    }

    /// The endpoint's key in the backlog file: the URL without credentials, its query (which may
    /// carry a token) only as a SHA-256, so `remote-write.db` holds no secret. A URL without a
    /// query keeps the key it always had.
    static func backlogKey(_ url: String) -> String {
        let bare = removingCredentials(url)
        guard let query = bare.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return bare }
        return String(bare[..<query]) + "?sha256:" + SHA256.hex(String(bare[query...]))
    }

    /// No credentials, and the query (which may carry a token) replaced by `?REDACTED`.
    static func redacted(_ url: String) -> String {
        let bare = removingCredentials(url)
        guard let query = bare.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return bare }
        return String(bare[..<query]) + "?REDACTED"
    }
}

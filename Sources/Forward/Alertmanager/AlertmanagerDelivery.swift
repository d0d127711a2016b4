import Config
import Curl
import Foundation

/// What one `POST /api/v2/alerts` came to.
enum DeliveryOutcome: Sendable, Equatable {
    /// 2xx: the instance has the alerts.
    case accepted
    /// Another 4xx (or 3xx): the request itself is wrong, so sending it again cannot help.
    case rejected(status: Int, body: String)
    /// 5xx, 429 or no response: try again later; `retryAfter` (ms) when the instance asked.
    case retry(reason: String, retryAfter: Int64?)
}

/// Builds and sends the request for one instance.
struct AlertmanagerEndpoint: Sendable {
    let config: AlertmanagerConfig
    /// `<url>/api/v2/alerts`.
    let url: String
    /// The URL without credentials or query, for logs and metric labels.
    let label: String

    init(_ config: AlertmanagerConfig) {
        self.config = config
        var base = config.url
        while base.hasSuffix("/") { base.removeLast() }
        url = base + "/api/v2/alerts"
        label = AlertmanagerEndpoint.redact(config.url)
    }

    func request(body: [UInt8]) -> HTTPRequest {
        var request = HTTPRequest(url: url)
        request.method = "POST"
        request.body = body
        request.timeout = .milliseconds(config.timeout)
        request.maxBodyBytes = 64 << 10
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("User-Agent", "Lookout"),
        ]
        if let auth = config.auth { headers.append(("Authorization", auth.authorizationHeader)) }
        for (name, value) in config.headers.sorted(by: { $0.key < $1.key }) { headers.append((name, value.value)) }
        request.headers = headers
        return request
    }

    func send(_ body: [UInt8], loop: CurlLoop) async -> DeliveryOutcome {
        do {
            let response = try await loop.perform(request(body: body))
            return Self.classify(status: response.status, body: response.body, retryAfter: response.header("Retry-After"))
        } catch let error as CurlError {
            return .retry(reason: scrub(error.description), retryAfter: nil)
        } catch {
            return .retry(reason: "cancelled", retryAfter: nil)
        }
    }

    static func classify(status: Int, body: [UInt8], retryAfter: String?) -> DeliveryOutcome {
        let text = String(decoding: body.prefix(512), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        switch status {
        case 200..<300: return .accepted
        case 429, 500..<600:
            let delay = retryAfter.flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }.map { $0 * 1000 }
            return .retry(reason: "HTTP \(status)" + (text.isEmpty ? "" : ": " + text), retryAfter: delay)
        default: return .rejected(status: status, body: text)
        }
    }

    private func scrub(_ message: String) -> String {
        message.replacingOccurrences(of: url, with: label + "/api/v2/alerts")
            .replacingOccurrences(of: config.url, with: label)
    }

    /// Drops userinfo, query and fragment.
    static func redact(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        var rest = Substring(url[scheme.upperBound...])
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<cut] }
        let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        if let at = rest[..<hostEnd].lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        return String(url[..<scheme.upperBound]) + rest
    }
}

import Curl
import Foundation

/// HTTP and SMTP for the channels over the process's shared curl-multi loop.
public struct CurlTransport: HTTPTransport, SMTPTransport {
    let loop: CurlLoop
    let caFile: String?

    /// Uses `loop` for every request; `caFile` adds a CA bundle to trust (e.g. a private relay).
    public init(loop: CurlLoop, caFile: String? = nil) {
        self.loop = loop
        self.caFile = caFile
    }

    public func perform(_ request: OutboundHTTPRequest, timeoutMilliseconds: Int64) async throws(TransportError) -> OutboundHTTPResponse {
        var r = Curl.HTTPRequest(url: request.url)
        r.method = request.method
        r.headers = request.headerList.map { (name: $0.name, value: $0.value) }
        r.body = request.body
        r.timeout = .milliseconds(timeoutMilliseconds)
        r.caFile = caFile
        r.maxBodyBytes = 1 << 20
        do {
            let response = try await loop.perform(r)
            var headers: [String: String] = [:]
            for field in response.headers where headers[field.name.lowercased()] == nil {
                headers[field.name.lowercased()] = field.value
            }
            return OutboundHTTPResponse(status: response.status, headers: headers, body: response.body)
        } catch let error as CurlError {
            throw TransportError(retryable: error.isRetryable, message: Self.scrub(error.description, secrets: [request.url]))
        } catch {
            throw TransportError(retryable: true, message: "request cancelled")
        }
    }

    public func submit(_ message: EmailMessage, timeoutMilliseconds: Int64) async throws(TransportError) {
        var m = SMTPMessage(url: message.url, from: message.mailFrom, recipients: message.recipients, message: message.data)
        if message.tls == .none { m.security = .none }
        m.username = message.username
        m.password = message.password
        m.caFile = message.caFile ?? caFile
        m.timeout = .milliseconds(timeoutMilliseconds)
        do {
            _ = try await loop.send(m)
        } catch let error as CurlError {
            let secrets = [message.password, message.username].compactMap { $0 }.filter { $0.count >= 4 }
            throw TransportError(retryable: error.isRetryable, message: Self.scrub(error.description, secrets: secrets))
        } catch {
            throw TransportError(retryable: true, message: "submission cancelled")
        }
    }

    /// Removes secrets (whole URLs and their paths, passwords) from a message.
    static func scrub(_ text: String, secrets: [String]) -> String {
        var out = text
        for secret in secrets where !secret.isEmpty {
            out = out.replacingOccurrences(of: secret, with: secret.contains("://") ? Redact.url(secret) : "<redacted>")
            if let schemeEnd = secret.range(of: "://"),
               let slash = secret[schemeEnd.upperBound...].firstIndex(of: "/") {
                let path = String(secret[slash...])
                if path.count > 1 { out = out.replacingOccurrences(of: path, with: "/<redacted>") }
            }
        }
        return out
    }
}

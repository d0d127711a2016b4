import Curl
import Model

/// Runs one check through the shared curl loop and turns the outcome into a `ProbeResult`.
struct Prober: Sendable {
    /// The most of a body a probe reads (1 MiB).
    static let maxBodyBytes = 1 << 20

    let spec: ProbeSpec
    let loop: CurlLoop
    let evaluator: ProbeEvaluator

    init(spec: ProbeSpec, loop: CurlLoop) throws {
        self.spec = spec
        self.loop = loop
        evaluator = try ProbeEvaluator(spec: spec)
    }

    func probe(now: Timestamp) async throws(CancellationError) -> ProbeResult {
        var result = ProbeResult(check: spec.name, timestamp: now, success: false, reason: nil,
                                 duration: .zero, httpStatus: 0, certificateExpiry: nil, isHTTP: false)
        let clock = ContinuousClock()
        let start = clock.now
        do {
            switch spec.target {
            case .http(let url):
                result.isHTTP = true
                let response = try await loop.perform(request(url: url))
                result.duration = response.timings.total
                result.httpStatus = response.status
                result.certificateExpiry = response.certificateExpiry
                result.reason = evaluator.failure(status: response.status, body: response.body,
                                                  duration: response.timings.total,
                                                  certificateExpiry: response.certificateExpiry, now: now / 1000)
            case .tcp(let host, let port):
                result.duration = try await loop.connect(host: host, port: port, timeout: spec.timeout,
                                                         ipVersion: ipVersion)
                if let maxLatency = spec.expect.maxLatency, result.duration > maxLatency {
                    result.reason = "latency \(result.duration.humanReadable) > \(maxLatency.humanReadable)"
                }
            }
        } catch let error as CurlError {
            result.duration = clock.now - start
            result.reason = ProbeEvaluator.reason(for: error, maxRedirects: spec.maxRedirects)
            // The last status seen (a redirect loop's 302, a cut-off 200); 0 only when none arrived.
            result.httpStatus = result.isHTTP ? error.responseCode : 0
        } catch {
            throw CancellationError()
        }
        result.success = result.reason == nil
        return result
    }

    private var ipVersion: HTTPRequest.IPVersion {
        switch spec.ipVersion {
        case .any: return .any
        case .v4: return .v4
        case .v6: return .v6
        }
    }

    private func request(url: String) -> HTTPRequest {
        var request = HTTPRequest(url: url)
        request.method = spec.method
        request.headers = spec.headers.map { ($0.name, $0.value) }
        request.body = spec.body.map { Array($0.utf8) }
        request.timeout = spec.timeout
        request.followRedirects = spec.followRedirects
        request.maxRedirects = spec.maxRedirects
        request.caFile = spec.caFile
        request.insecure = spec.insecure
        request.ipVersion = ipVersion
        request.acceptGzip = true
        request.maxBodyBytes = Self.maxBodyBytes
        // Without a body condition only the status counts, so a large page is no failure.
        request.truncateBody = spec.expect.bodyContains == nil && spec.expect.bodyRegex == nil && spec.expect.json.isEmpty
        // A probe measures what a new client sees: its own connection, handshake and certificate.
        request.freshConnection = true
        request.captureCertificates = url.lowercased().hasPrefix("https:")
        return request
    }
}

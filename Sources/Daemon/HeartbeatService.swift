import Curl
import Logging
import ServiceLifecycle

/// The dead man's switch: pings `global.heartbeat.url` (e.g. healthchecks.io) every interval
/// while rule evaluation is alive, so an outside service notices when Lookout stops.
/// The URL is a secret: it never appears in logs, not even in swift-service-lifecycle's debug
/// lines naming each service (hence the description).
struct HeartbeatService: Service, CustomStringConvertible {
    var description: String { "heartbeat" }
    let url: String
    let interval: Duration
    let loop: CurlLoop
    let logger: Logger
    /// Whether the monitoring pipeline is healthy enough to vouch for (rules evaluating).
    let healthy: @Sendable () -> Bool

    func run() async throws {
        var failing = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if healthy() {
                var request = HTTPRequest(url: url)
                request.timeout = .seconds(10)
                do {
                    let response = try await loop.perform(request)
                    if !(200..<300).contains(response.status) { throw HeartbeatFailure(status: response.status) }
                    if failing { logger.info("heartbeat delivered again") }
                    failing = false
                } catch is CancellationError {
                    return
                } catch {
                    if !failing { logger.warning("heartbeat ping failed", metadata: ["error": "\(error)"]) }
                    failing = true
                }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}

struct HeartbeatFailure: Error, CustomStringConvertible {
    let status: Int
    var description: String { "receiver answered HTTP \(status)" }
}

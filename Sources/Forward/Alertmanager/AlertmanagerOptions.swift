import Foundation
import Model

/// Queue bounds and retry pacing of the Alertmanager forwarder. The defaults follow Prometheus'
/// notifier (64 alerts per request, 10 000 queued) plus a bounded retry window.
public struct AlertmanagerOptions: Sendable {
    /// Alerts per `POST /api/v2/alerts`.
    public var maxBatch = 64
    /// Alerts queued per instance at most; the oldest beyond are dropped.
    public var maxQueueLength = 10_000
    /// Queued alerts older than this (ms) are dropped: an alert's own `endsAt` is past by then.
    public var maxQueueAge: Int64 = 3_600_000
    /// First retry delay (ms); doubles per failed attempt up to `maxBackoff`, half of it jittered.
    public var initialBackoff: Int64 = 500
    /// Longest retry delay (ms), also the cap on a `Retry-After`.
    public var maxBackoff: Int64 = 30_000
    /// The clock, in ms since the epoch.
    public var now: @Sendable () -> Timestamp = { Timestamp((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// The defaults.
    public init() {}

    /// Delay before the next attempt after `attempt` failures (counting from 1): exponential with
    /// half of it jittered, never below what a `Retry-After` asked for (capped at `maxBackoff`).
    func backoff(attempt: Int, retryAfter: Int64?, random: Double) -> Int64 {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxBackoff, initialBackoff << Int64(exponent))
        let jittered = ceiling / 2 + Int64(Double(ceiling / 2) * random)
        guard let retryAfter else { return jittered }
        return max(jittered, min(retryAfter, maxBackoff))
    }
}

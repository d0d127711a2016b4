import Foundation
import Model

/// What a receiver made of one delivery attempt.
public enum DeliveryResult: Sendable, Hashable {
    /// The receiver accepted the notification.
    case delivered
    /// A transient failure (5xx, 408, 429, network); retry no sooner than `after` ms from now when given.
    case retry(after: Int64?, reason: String)
    /// The receiver refused it for good (other 4xx); `reason` carries its body. Not retried.
    case permanent(reason: String)
}

/// A notification channel: Slack, email, PagerDuty, webhook, log. Implementations live in the
/// `Channels` target, one file each; `render` is pure (notification → request) and `send`
/// performs the I/O, so tests can check exact request bodies.
///
/// Implementations are `Sendable` and safe to call concurrently. Errors and reasons never
/// contain secrets (webhook URLs, routing keys, passwords).
public protocol Channel: Sendable {
    /// The wire request this channel sends.
    associatedtype Request: Sendable
    /// Builds the request for one notification. Throws only for notifications that can never be
    /// sent (they are dropped as permanent failures).
    func render(_ notification: GroupNotification) throws -> Request
    /// Builds the request for one scheduled report. Channels that cannot carry reports (PagerDuty
    /// is for incidents) throw; the report is then dropped as a permanent failure.
    func renderReport(_ report: ReportNotification) throws -> Request
    /// Sends one rendered request and classifies the outcome.
    func send(_ request: Request) async -> DeliveryResult
}

extension Channel {
    /// Renders and sends; a render failure is a permanent failure.
    public func deliver(_ notification: GroupNotification) async -> DeliveryResult {
        let request: Request
        do {
            request = try render(notification)
        } catch {
            return .permanent(reason: "cannot render notification: \(error)")
        }
        return await send(request)
    }

    /// Renders and sends a report; a render failure is a permanent failure.
    public func deliver(_ report: ReportNotification) async -> DeliveryResult {
        let request: Request
        do {
            request = try renderReport(report)
        } catch {
            return .permanent(reason: "cannot render report: \(error)")
        }
        return await send(request)
    }

    /// Delivers whichever kind of message was queued.
    func deliver(_ message: QueuedMessage) async -> DeliveryResult {
        switch message {
        case .alerts(let notification): return await deliver(notification)
        case .report(let report): return await deliver(report)
        }
    }
}

/// What an outbox row carries. Alert notifications are stored as bare `GroupNotification` JSON
/// (as before reports existed, so queued rows of older versions still decode); reports under a
/// `report` key.
enum QueuedMessage: Sendable {
    case alerts(GroupNotification)
    case report(ReportNotification)

    private struct ReportEnvelope: Codable {
        var report: ReportNotification
    }

    static func encode(_ report: ReportNotification) throws -> [UInt8] {
        Array(try JSONEncoder().encode(ReportEnvelope(report: report)))
    }

    static func decode(_ payload: [UInt8]) throws -> QueuedMessage {
        let data = Data(payload)
        if let envelope = try? JSONDecoder().decode(ReportEnvelope.self, from: data) { return .report(envelope.report) }
        return .alerts(try JSONDecoder().decode(GroupNotification.self, from: data))
    }
}

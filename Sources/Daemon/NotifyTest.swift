import Channels
import Config
import Curl
import Foundation
import Logging
import Notify

/// `lookout notify test CHANNEL`: one clearly marked test notification through one configured
/// channel, bypassing grouping and the queue, so the operator sees the receiver's own answer.
public enum NotifyTest {
    /// The channel named on the command line is not in `notify.channels`: invalid input (exit 1).
    public struct UnknownChannel: Error, CustomStringConvertible {
        public var description: String
    }

    /// Sends the test notification; the result says delivered, or the receiver's error.
    /// Throws `UnknownChannel` when no channel has that name.
    public static func send(channel name: String, config: LookoutConfig) async throws -> DeliveryResult {
        let settings = NotifyMapping.settings(config)
        guard let spec = settings.channels[name] else {
            let known = settings.channels.keys.sorted().joined(separator: ", ")
            throw UnknownChannel(description: "unknown channel \"\(name)\" (configured: \(known.isEmpty ? "none" : known))")
        }
        let loop = try CurlLoop()
        defer { loop.shutdown() }
        let transport = CurlTransport(loop: loop)
        let channel = ChannelFactory(http: transport, smtp: transport, logger: Logger(label: "lookout.notify")).make(name: name, spec: spec)
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        let test = Notifier.testNotification(channel: name, externalURL: settings.externalURL, now: now)
        let result = await channel.deliver(test)
        guard case .pagerduty = spec, case .delivered = result else { return result }
        // The trigger paged; resolve the same incident (same group key, so the same dedup_key)
        // instead of leaving an open incident for someone to close by hand.
        return await channel.deliver(resolved(test, at: now))
    }

    /// `notification` with every alert resolved at `time`.
    static func resolved(_ notification: GroupNotification, at time: Int64) -> GroupNotification {
        var copy = notification
        copy.alerts = notification.alerts.map { alert in
            var alert = alert
            alert.state = .inactive
            alert.resolvedAt = time
            return alert
        }
        return copy
    }
}

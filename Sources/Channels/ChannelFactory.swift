import Logging
import Notify

/// Builds channels from their specs: the one place that maps each kind to its implementation.
public struct ChannelFactory: Sendable {
    let http: any HTTPTransport
    let smtp: any SMTPTransport
    let logger: Logger
    let timeout: Int64

    /// `http` and `smtp` are shared by every channel; `timeout` bounds one attempt (ms).
    public init(http: any HTTPTransport, smtp: any SMTPTransport, logger: Logger, timeout: Int64 = 30_000) {
        self.http = http
        self.smtp = smtp
        self.logger = logger
        self.timeout = timeout
    }

    /// The channel for one configured name and spec.
    public func make(name: String, spec: ChannelSpec) -> any Channel {
        switch spec {
        case .slack(let s): return SlackChannel(name: name, spec: s, transport: http, timeout: timeout)
        case .email(let s): return EmailChannel(name: name, spec: s, transport: smtp, timeout: timeout)
        case .pagerduty(let s): return PagerDutyChannel(name: name, spec: s, transport: http, timeout: timeout)
        case .webhook(let s): return WebhookChannel(name: name, spec: s, transport: http, timeout: timeout)
        case .log: return LogChannel(name: name, logger: logger)
        }
    }

    /// Every configured channel by name.
    public func makeAll(_ specs: [String: ChannelSpec]) -> [String: any Channel] {
        specs.reduce(into: [:]) { $0[$1.key] = make(name: $1.key, spec: $1.value) }
    }
}

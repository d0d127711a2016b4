import Model

/// `notify:` — channels, the routing tree and grouping.
public struct NotifyConfig: Sendable {
    /// In file order.
    public var channels: [ChannelConfig]
    /// First match wins unless a route has `continue`.
    public var routes: [RouteConfig]
    /// Where alerts no route matched go (default: none).
    public var defaultChannels: [String]
    /// Default `[alertname]`.
    public var groupBy: [String]
    /// ms, defaults 30s, 5m, 4h.
    public var groupWait: Int64
    public var groupInterval: Int64
    public var repeatInterval: Int64
    /// Default true.
    public var sendResolved: Bool
    /// Give up on an undelivered notification after this long, ms (default 24h).
    public var maxAge: Int64
    public var inhibit: [InhibitRule]

    /// The channel called `name`.
    public func channel(named name: String) -> ChannelConfig? { channels.first { $0.name == name } }

    /// Memberwise initialiser, for building configs in code.
    public init(
        channels: [ChannelConfig], routes: [RouteConfig], defaultChannels: [String], groupBy: [String],
        groupWait: Int64, groupInterval: Int64, repeatInterval: Int64, sendResolved: Bool, maxAge: Int64,
        inhibit: [InhibitRule]
    ) {
        self.channels = channels
        self.routes = routes
        self.defaultChannels = defaultChannels
        self.groupBy = groupBy
        self.groupWait = groupWait
        self.groupInterval = groupInterval
        self.repeatInterval = repeatInterval
        self.sendResolved = sendResolved
        self.maxAge = maxAge
        self.inhibit = inhibit
    }
}

/// One named channel.
public struct ChannelConfig: Sendable {
    public enum Kind: Sendable {
        case pagerduty(PagerDuty)
        case slack(Slack)
        case email(Email)
        case webhook(Webhook)
        case log
    }

    public struct PagerDuty: Sendable {
        public var routingKey: Secret
        /// Default `https://events.pagerduty.com/v2/enqueue`.
        public var url: String
        /// Fixed `payload.severity`; nil maps the alert's `severity` label.
        public var severity: String?

        /// Memberwise initialiser, for building configs in code.
        public init(routingKey: Secret, url: String, severity: String? = nil) {
            self.routingKey = routingKey
            self.url = url
            self.severity = severity
        }
    }

    public struct Slack: Sendable {
        public var webhookURL: Secret

        /// Memberwise initialiser, for building configs in code.
        public init(webhookURL: Secret) {
            self.webhookURL = webhookURL
        }
    }

    public struct Email: Sendable {
        public enum TLS: String, Sendable {
            /// `smtps://`
            case implicit
            /// Required STARTTLS (default for `smtp://`).
            case starttls
            /// Plain text, only when asked for.
            case none
        }

        public var smtpURL: String
        public var tls: TLS
        public var username: String?
        public var password: Secret?
        public var from: String
        public var to: [String]
        public var caFile: String?

        /// Memberwise initialiser, for building configs in code.
        public init(
            smtpURL: String, tls: TLS, username: String? = nil, password: Secret? = nil, from: String,
            to: [String], caFile: String? = nil
        ) {
            self.smtpURL = smtpURL
            self.tls = tls
            self.username = username
            self.password = password
            self.from = from
            self.to = to
            self.caFile = caFile
        }
    }

    public struct Webhook: Sendable {
        public var url: Secret
        public var bearerToken: Secret?

        /// Memberwise initialiser, for building configs in code.
        public init(url: Secret, bearerToken: Secret? = nil) {
            self.url = url
            self.bearerToken = bearerToken
        }
    }

    public var name: String
    public var kind: Kind
    public var position: SourcePosition

    /// `pagerduty`, `slack`, `email`, `webhook` or `log`.
    public var kindName: String {
        switch kind {
        case .pagerduty: return "pagerduty"
        case .slack: return "slack"
        case .email: return "email"
        case .webhook: return "webhook"
        case .log: return "log"
        }
    }

    /// Memberwise initialiser, for building configs in code.
    public init(name: String, kind: Kind, position: SourcePosition) {
        self.name = name
        self.kind = kind
        self.position = position
    }
}

/// One route: all matchers (from `match` and `matchers`) must hold. As in Alertmanager, a route
/// may override the grouping settings and hold nested routes; what it leaves out it inherits from
/// its parent (a top-level route's parent is `notify:` itself).
public struct RouteConfig: Sendable {
    /// Empty matches every alert.
    public var matchers: [Matcher]
    /// Empty on a nested route that inherits its parent's channels.
    public var channels: [String]
    /// Keep looking at later routes after this one matched.
    public var continueMatching: Bool
    public var position: SourcePosition
    /// Overrides of `notify.group_by`, `group_wait`, `group_interval`, `repeat_interval`,
    /// `send_resolved` (ms for durations); nil inherits.
    public var groupBy: [String]?
    public var groupWait: Int64?
    public var groupInterval: Int64?
    public var repeatInterval: Int64?
    public var sendResolved: Bool?
    /// Nested routes, tried in order for alerts this route matched; first match wins unless `continue`.
    public var routes: [RouteConfig]

    /// Memberwise initialiser, for building configs in code.
    public init(matchers: [Matcher], channels: [String], continueMatching: Bool, position: SourcePosition,
                groupBy: [String]? = nil, groupWait: Int64? = nil, groupInterval: Int64? = nil,
                repeatInterval: Int64? = nil, sendResolved: Bool? = nil, routes: [RouteConfig] = []) {
        self.matchers = matchers
        self.channels = channels
        self.continueMatching = continueMatching
        self.position = position
        self.groupBy = groupBy
        self.groupWait = groupWait
        self.groupInterval = groupInterval
        self.repeatInterval = repeatInterval
        self.sendResolved = sendResolved
        self.routes = routes
    }
}

/// Mute alerts matching `target` while an alert matching `source` fires with equal `equal` labels.
/// `source`/`target` hold the equality map and the Alertmanager-syntax `source_matchers` /
/// `target_matchers` together: all must hold.
public struct InhibitRule: Sendable {
    public var source: [Matcher]
    public var target: [Matcher]
    public var equal: [String]

    /// Memberwise initialiser, for building configs in code.
    public init(source: [Matcher], target: [Matcher], equal: [String]) {
        self.source = source
        self.target = target
        self.equal = equal
    }
}
